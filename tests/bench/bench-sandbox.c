/* bench-sandbox.c: the sandbox's own round trip, the floor under any client's overhead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one JSON line per figure: plain SoupSession requests against the sandbox with zero model
 * time. A create with `Prefer: wait` (a small image, generated and returned as a data URI), and a
 * GET of the finished prediction.
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "inp-sandbox.h"
#include "inp-test-utils.h"

#define RUNS 200

static void
report (const char *bench,
        double     *times)
{
  qsort (times, RUNS, sizeof (double), inp_test_compare_doubles);
  g_print ("{\"bench\":\"%s\",\"runs\":%d,\"median_ms\":%.2f,\"p95_ms\":%.2f}\n",
           bench, RUNS, times[RUNS / 2], times[RUNS * 95 / 100 - 1]);
}

static GBytes *
send (SoupSession *session,
      const char  *method,
      const char  *url,
      GBytes      *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer sandbox-token");
  if (body != NULL)
    {
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Prefer", "wait");
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), <, 300);
  return answer;
}

int
main (int   argc,
      char *argv[])
{
  static const char request[] =
    "{\"version\": \"ac732df83cea7fff18b8472768c88ad041fa750ff7682a21affe81863cbe77e4\","
    " \"input\": {\"prompt\": \"a benchmark\", \"width\": 64, \"height\": 64}}";
  g_autoptr(InpSandbox) sandbox = inp_sandbox_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GBytes) body = g_bytes_new_static (request, strlen (request));
  g_autoptr(GError) error = NULL;
  g_autofree char *create_url = NULL;
  double create[RUNS];
  double get[RUNS];

  inp_sandbox_set_model_time (sandbox, 0);
  if (!inp_sandbox_start (sandbox, "/v1", &error))
    g_error ("%s", error->message);
  create_url = g_strconcat (inp_sandbox_get_base_url (sandbox), "/predictions", NULL);

  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GBytes) again = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *get_url = NULL;
      const char *id;
      gint64 start = g_get_monotonic_time ();

      answer = send (session, "POST", create_url, body);
      create[i] = (g_get_monotonic_time () - start) / 1000.0;

      json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                                  &error);
      g_assert_no_error (error);
      id = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "id");
      get_url = g_strdup_printf ("%s/predictions/%s", inp_sandbox_get_base_url (sandbox), id);
      start = g_get_monotonic_time ();
      again = send (session, "GET", get_url, NULL);
      get[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  report ("sandbox-create-wait-64px", create);
  report ("sandbox-get", get);

  inp_sandbox_stop (sandbox);
  return 0;
}
