/* bench-client.c: how much the client adds to the service's own time, as JSON lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - client-overhead: predictions with zero model time, create → files on disk, against the raw
 *   HTTP round trip of the same create;
 * - notice-completion: the delay from the sandbox marking a prediction done to the client holding
 *   its files, with Prefer: wait and with polling forced;
 * - request-building: a 2048×2048 photo and its mask, fitted and encoded into a create request
 *   that reaches the sandbox, with the longest stall of the main loop meanwhile.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "inp-catalog.h"
#include "inp-image.h"
#include "inp-test-sandbox.h"
#include "inp-test-utils.h"

#define SDXL_VERSION "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc"

static InpJob *
small_job (InpClient  *client,
           const char *dir)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/sdxl");
  g_autoptr(JsonObject) values = json_object_new ();

  json_object_set_string_member (values, "prompt", "a fox");
  json_object_set_int_member (values, "width", 64);
  json_object_set_int_member (values, "height", 64);
  return inp_job_new (client, model, values, dir);
}

static double
raw_round_trip_ms (SoupSession *session,
                   InpSandbox  *sandbox)
{
  g_autofree char *url = g_strdup_printf ("%s/predictions", inp_sandbox_get_base_url (sandbox));
  const char *body = "{\"version\":\"" SDXL_VERSION "\",\"input\":{\"prompt\":\"a fox\","
                     "\"width\":64,\"height\":64}}";
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new_static (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " INP_TEST_TOKEN);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Prefer", "wait=60");
  soup_message_set_request_body_from_bytes (message, "application/json", request);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 201);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
bench_overhead (const char *dir)
{
  const guint runs = 200;
  g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/v1");
  g_autoptr(InpClient) client = inp_test_client_new (sandbox);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GArray) client_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) raw_ms = g_array_new (FALSE, FALSE, sizeof (double));
  double client_median;
  double raw_median;

  inp_sandbox_set_model_time (sandbox, 0);

  for (guint i = 0; i < runs + 5; i++)
    {
      g_autoptr(InpJob) job = small_job (client, dir);
      g_autoptr(GPtrArray) paths = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      paths = inp_test_run_job (job, NULL, &error);
      g_assert_no_error (error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      for (guint j = 0; j < paths->len; j++)
        g_unlink (g_ptr_array_index (paths, j));

      /* The first few warm caches up on both sides. */
      if (i >= 5)
        g_array_append_val (client_ms, ms);
    }

  for (guint i = 0; i < runs + 5; i++)
    {
      double ms = raw_round_trip_ms (session, sandbox);

      if (i >= 5)
        g_array_append_val (raw_ms, ms);
    }

  client_median = inp_test_percentile (client_ms, 0.5);
  raw_median = inp_test_percentile (raw_ms, 0.5);
  g_print ("{\"bench\":\"client-overhead\",\"runs\":%u,\"median_ms\":%.2f,\"p95_ms\":%.2f,"
           "\"raw_http_median_ms\":%.2f,\"raw_http_p95_ms\":%.2f,\"overhead_median_ms\":%.2f,"
           "\"target_ms\":5}\n",
           runs, client_median, inp_test_percentile (client_ms, 0.95), raw_median,
           inp_test_percentile (raw_ms, 0.95), client_median - raw_median);
}

static void
bench_notice (const char *dir,
              guint       wait_seconds,
              const char *name,
              double      target_ms)
{
  const guint runs = 12;
  g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/v1");
  g_autoptr(InpClient) client = inp_test_client_new (sandbox);
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (double));

  inp_sandbox_set_model_time (sandbox, 700);
  inp_client_set_wait_seconds (client, wait_seconds);

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(InpJob) job = small_job (client, dir);
      g_autoptr(GPtrArray) paths = NULL;
      g_autoptr(GError) error = NULL;
      gint64 held;
      gint64 completed;
      double delay;

      paths = inp_test_run_job (job, NULL, &error);
      held = g_get_monotonic_time ();
      g_assert_no_error (error);
      completed = inp_sandbox_get_completed_us (sandbox,
                                                inp_prediction_get_id (inp_job_get_prediction (job)));
      g_assert_cmpint (completed, >, 0);
      delay = (held - completed) / 1000.0;
      g_array_append_val (delays, delay);
      for (guint j = 0; j < paths->len; j++)
        g_unlink (g_ptr_array_index (paths, j));
    }

  g_print ("{\"bench\":\"%s\",\"runs\":%u,\"model_ms\":700,\"median_ms\":%.2f,\"p95_ms\":%.2f,"
           "\"target_ms\":%.0f}\n",
           name, runs, inp_test_percentile (delays, 0.5), inp_test_percentile (delays, 0.95),
           target_ms);
}

typedef struct
{
  gint64  last_tick;
  gint64  longest_gap;
} Ticker;

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  ticker->longest_gap = MAX (ticker->longest_gap, now - ticker->last_tick);
  ticker->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gint64
create_received_us (InpSandbox *sandbox)
{
  g_autoptr(GPtrArray) requests = inp_sandbox_dup_requests (sandbox);

  for (guint i = 0; i < requests->len; i++)
    {
      InpSandboxRequest *request = g_ptr_array_index (requests, i);

      if (request->route == INP_SANDBOX_ON_CREATE)
        return request->received_us;
    }

  g_assert_not_reached ();
}

/* The product's path from a photo and mask to a create request on the wire: fitting and encoding
 * (inp_image_prepare_async), data URIs (no /files, the heavier case) and the JSON body. The
 * longest stall of the main loop is measured over the whole job, answer and download included.
 * A noise photo is the worst case for encoding. */
static void
bench_request_building (const char *dir)
{
  const guint runs = 7;
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (),
                                        "black-forest-labs/flux-fill-pro");
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GBytes) photo_png = inp_test_noise_png_bytes (2048, 2048);
  g_autoptr(GBytes) mask_png = inp_test_png_bytes (2048, 2048, TRUE);
  g_autoptr(GdkPixbuf) image = inp_image_decode (photo_png, NULL);
  g_autoptr(GdkPixbuf) mask = inp_image_decode (mask_png, NULL);
  gsize image_bytes = 0;

  g_assert_nonnull (image);
  g_assert_nonnull (mask);

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/v1");
      g_autoptr(InpClient) client = inp_test_client_new (sandbox);
      g_autoptr(JsonObject) values = json_object_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(InpPreparedImages) prepared = NULL;
      g_autoptr(InpJob) job = NULL;
      g_autoptr(GPtrArray) paths = NULL;
      g_autoptr(GError) error = NULL;
      Ticker ticker = { 0, };
      guint tick;
      gint64 start;
      double ms;
      double gap;

      inp_sandbox_set_model_time (sandbox, 0);
      inp_sandbox_set_routes (sandbox, 0);

      ticker.last_tick = g_get_monotonic_time ();
      tick = g_timeout_add (2, tick_cb, &ticker);
      start = g_get_monotonic_time ();

      inp_image_prepare_async (model, image, mask, 8 * 1024 * 1024, NULL, inp_test_result_cb,
                               &result);
      prepared = inp_image_prepare_finish (inp_test_wait_result (&result, 30000), &error);
      g_assert_no_error (error);

      json_object_set_string_member (values, "prompt", "a fox");
      job = inp_job_new (client, model, values, dir);
      inp_job_set_file (job, "image", prepared->image, prepared->image_mime);
      inp_job_set_file (job, "mask", prepared->mask, "image/png");
      paths = inp_test_run_job (job, NULL, &error);
      g_assert_no_error (error);
      g_source_remove (tick);

      ms = (create_received_us (sandbox) - start) / 1000.0;
      gap = ticker.longest_gap / 1000.0;
      g_array_append_val (times, ms);
      g_array_append_val (gaps, gap);
      image_bytes = g_bytes_get_size (prepared->image);
      for (guint j = 0; j < paths->len; j++)
        g_unlink (g_ptr_array_index (paths, j));
      inp_sandbox_stop (sandbox);
    }

  g_print ("{\"bench\":\"request-building\",\"runs\":%u,\"size\":\"2048x2048\",\"median_ms\":%.2f,"
           "\"p95_ms\":%.2f,\"encoded_image_bytes\":%" G_GSIZE_FORMAT ","
           "\"main_loop_longest_gap_ms\":%.2f,\"target_ms\":150}\n",
           runs, inp_test_percentile (times, 0.5), inp_test_percentile (times, 0.95), image_bytes,
           inp_test_percentile (gaps, 1.0));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = inp_test_make_temp_dir ();

  bench_overhead (dir);
  bench_notice (dir, 60, "notice-completion-wait", 20);
  bench_notice (dir, 0, "notice-completion-polling", 200);
  bench_request_building (dir);

  inp_test_remove_tree (dir);
  return 0;
}
