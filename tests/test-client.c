/* test-client.c: the client against the sandbox, over real loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-test-sandbox.h"
#include "inp-test-utils.h"

typedef struct
{
  InpSandbox *sandbox;
  InpClient  *client;
  char       *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->sandbox = inp_test_sandbox_start (data != NULL ? data : "/v1");
  fixture->client = inp_test_client_new (fixture->sandbox);
  fixture->dir = inp_test_make_temp_dir ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  inp_test_assert_token_kept (fixture->sandbox);
  inp_test_assert_finalized_soon (fixture->client);
  inp_sandbox_stop (fixture->sandbox);
  g_assert_finalize_object (fixture->sandbox);
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static InpPrediction *
create_sync (InpClient   *client,
             const char  *model_or_version,
             gboolean     by_model,
             const char  *json_input,
             GError     **error)
{
  g_autoptr(JsonNode) input = json_from_string (json_input, NULL);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_nonnull (input);
  if (by_model)
    inp_client_create_by_model_async (client, model_or_version, json_node_get_object (input),
                                      NULL, inp_test_result_cb, &result);
  else
    inp_client_create_by_version_async (client, model_or_version, json_node_get_object (input),
                                        NULL, inp_test_result_cb, &result);

  return inp_client_create_finish (client, inp_test_wait_result (&result, 30000), error);
}

static InpPrediction *
get_sync (InpClient   *client,
          const char  *id,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_client_get_prediction_async (client, id, NULL, inp_test_result_cb, &result);
  return inp_client_get_prediction_finish (client, inp_test_wait_result (&result, 30000), error);
}

static gboolean
follow_sync (InpClient      *client,
             InpPrediction  *prediction,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_client_follow_async (client, prediction, NULL, inp_test_result_cb, &result);
  return inp_client_follow_finish (client, inp_test_wait_result (&result, 30000), error);
}

static GPtrArray *
download_sync (InpClient      *client,
               InpPrediction  *prediction,
               const char     *dir,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_client_download_outputs_async (client, prediction, dir, NULL, inp_test_result_cb, &result);
  return inp_client_download_outputs_finish (client, inp_test_wait_result (&result, 30000), error);
}

static char *
upload_sync (InpClient  *client,
             GBytes     *bytes,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_client_upload_async (client, bytes, "image/png", "photo.png", NULL, inp_test_result_cb,
                           &result);
  return inp_client_upload_finish (client, inp_test_wait_result (&result, 30000), error);
}

static JsonObject *
get_model_sync (InpClient   *client,
                const char  *model,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_client_get_model_async (client, model, NULL, inp_test_result_cb, &result);
  return inp_client_get_model_finish (client, inp_test_wait_result (&result, 10000), error);
}

static JsonObject *
get_account_sync (InpClient  *client,
                  GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_client_get_account_async (client, NULL, inp_test_result_cb, &result);
  return inp_client_get_account_finish (client, inp_test_wait_result (&result, 10000), error);
}

static void
assert_output_file (const char     *path,
                    InpModelOutput  kind)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  GStatBuf st;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 16);

  /* Results are the user's pictures: they follow the umask (022 here), not a private mode. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  if (g_str_has_suffix (path, ".mp4"))
    {
      g_assert_cmpint (kind, ==, INP_MODEL_OUTPUT_VIDEO);
      g_assert_cmpint (memcmp (contents + 4, "ftyp", 4), ==, 0);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);

      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >, 0);
      if (kind == INP_MODEL_OUTPUT_VIDEO)
        g_assert_true (g_str_has_suffix (path, ".gif"));
    }
}

/* ─── Every catalogue model, end to end ───────────────────────────────────────────────────────── */

static void
test_catalogue (Fixture       *fixture,
                gconstpointer  data)
{
  GListModel *catalog = G_LIST_MODEL (inp_catalog_get_default ());
  guint n_models = g_list_model_get_n_items (catalog);
  guint by_model = 0;
  guint by_version = 0;

  g_assert_cmpuint (n_models, ==, 12);

  for (guint i = 0; i < n_models; i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (catalog, i);
      g_autoptr(InpJob) job = inp_test_job_for_model (fixture->client, model, fixture->dir);
      g_autoptr(GPtrArray) paths = NULL;
      g_autoptr(GError) error = NULL;
      InpPrediction *prediction;

      g_test_message ("running %s", inp_model_get_id (model));
      paths = inp_test_run_job (job, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (paths->len, >=, 1);
      g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);
      g_assert_cmpfloat (inp_job_get_progress (job), ==, 1.0);

      prediction = inp_job_get_prediction (job);
      g_assert_nonnull (prediction);
      g_assert_true (inp_client_answer_is_final (prediction));

      for (guint j = 0; j < paths->len; j++)
        {
          const char *path = g_ptr_array_index (paths, j);
          g_autofree char *dirname = g_path_get_dirname (path);
          g_autofree char *basename = g_path_get_basename (path);

          g_assert_cmpstr (dirname, ==, fixture->dir);
          g_assert_true (g_str_has_prefix (basename, inp_prediction_get_id (prediction)));
          assert_output_file (path, inp_model_get_output_kind (model));
        }

      if (inp_model_get_endpoint (model) == INP_MODEL_ENDPOINT_MODEL)
        by_model++;
      else
        by_version++;
    }

  /* Both creation routes were exercised, each with its own request. */
  g_assert_cmpuint (by_model, >=, 2);
  g_assert_cmpuint (by_version, >=, 8);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==,
                    n_models);
  /* The files went up through /files, where the sandbox has it. */
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_FILES), >=,
                    n_models - 3);
}

/* ─── Sync answers and polling ────────────────────────────────────────────────────────────────── */

static const char *sdxl_version =
  "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc";

static void
test_sync_done (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *qualified = g_strdup_printf ("stability-ai/sdxl:%s", sdxl_version);

  /* owner/name:hash is accepted; only the hash goes out, or the sandbox would refuse it. */
  prediction = create_sync (fixture->client, qualified, FALSE,
                            "{\"prompt\":\"a fox\",\"num_outputs\":2,\"width\":64,\"height\":64}",
                            &error);
  g_assert_no_error (error);
  g_assert_true (inp_client_answer_is_final (prediction));
  g_assert_cmpint (inp_prediction_get_status (prediction), ==, INP_PREDICTION_STATUS_PROCESSING);

  paths = download_sync (fixture->client, prediction, fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, 2);
  for (guint i = 0; i < paths->len; i++)
    assert_output_file (g_ptr_array_index (paths, i), INP_MODEL_OUTPUT_IMAGE);

  /* One round trip: no polling, and the sync outputs were data URIs decoded in place. */
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_GET), ==, 0);
  g_assert_cmpuint (inp_test_count_origin (fixture->sandbox, "output"), ==, 0);
  requests = inp_sandbox_dup_requests (fixture->sandbox);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (((InpSandboxRequest *) g_ptr_array_index (requests, 0))->prefer, ==, "wait=60");
}

static void
test_sync_ran_out (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;

  inp_sandbox_set_model_time (fixture->sandbox, 2500);
  inp_client_set_wait_seconds (fixture->client, 1);

  prediction = create_sync (fixture->client, "black-forest-labs/flux-fill-dev", TRUE,
                            "{\"prompt\":\"a fox\",\"image\":\"data:image/png;base64,"
                            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\"}",
                            &error);
  g_assert_no_error (error);
  g_assert_false (inp_client_answer_is_final (prediction));
  g_assert_null (inp_prediction_get_output (prediction));

  g_assert_true (follow_sync (fixture->client, prediction, &error));
  g_assert_no_error (error);
  g_assert_cmpint (inp_prediction_get_status (prediction), ==, INP_PREDICTION_STATUS_SUCCEEDED);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_GET), >=, 1);

  paths = download_sync (fixture->client, prediction, fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (paths, 0), ".webp"));
  assert_output_file (g_ptr_array_index (paths, 0), INP_MODEL_OUTPUT_IMAGE);
  /* The file came from the output origin, without the token (checked in teardown). */
  g_assert_cmpuint (inp_test_count_origin (fixture->sandbox, "output"), ==, 1);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_polling (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) base = NULL;
  g_autofree char *expected = NULL;
  guint status_changes = 0;
  guint progress_changes = 0;

  inp_sandbox_set_model_time (fixture->sandbox, 1500);
  inp_client_set_wait_seconds (fixture->client, 0);

  prediction = create_sync (fixture->client, sdxl_version, FALSE,
                            "{\"prompt\":\"a fox\",\"width\":64,\"height\":64}", &error);
  g_assert_no_error (error);
  g_assert_false (inp_client_answer_is_final (prediction));

  g_signal_connect (prediction, "notify::status", G_CALLBACK (count_notify_cb), &status_changes);
  g_signal_connect (prediction, "notify::progress", G_CALLBACK (count_notify_cb),
                    &progress_changes);
  g_assert_true (follow_sync (fixture->client, prediction, &error));
  g_assert_cmpint (inp_prediction_get_status (prediction), ==, INP_PREDICTION_STATUS_SUCCEEDED);
  g_assert_cmpuint (status_changes, >=, 1);
  g_assert_cmpuint (progress_changes, >=, 2);
  g_assert_nonnull (inp_prediction_get_logs (prediction));

  /* No Prefer header when polling is forced; every poll built from our base URL. */
  base = g_uri_parse (inp_sandbox_get_base_url (fixture->sandbox), G_URI_FLAGS_NONE, NULL);
  expected = g_strdup_printf ("%s/predictions/%s", g_uri_get_path (base),
                              inp_prediction_get_id (prediction));
  requests = inp_sandbox_dup_requests (fixture->sandbox);
  for (guint i = 0; i < requests->len; i++)
    {
      InpSandboxRequest *request = g_ptr_array_index (requests, i);

      g_assert_null (request->prefer);
      if (request->route == INP_SANDBOX_ON_GET)
        g_assert_cmpstr (request->path, ==, expected);
    }
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_GET), >=, 3);
}

/* ─── Faults ──────────────────────────────────────────────────────────────────────────────────── */

static const char *small_sd = "{\"prompt\":\"a fox\",\"width\":64,\"height\":64}";

static void
test_create_rate_limited (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;

  /* A 429 on create is safe to repeat: the service did not create anything. */
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_RATE_LIMIT, 1, 1);
  prediction = create_sync (fixture->client, sdxl_version, FALSE, small_sd, &error);
  g_assert_no_error (error);
  g_assert_nonnull (prediction);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 2);

  /* Still limited after every attempt: a clear error. */
  g_clear_object (&prediction);
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_RATE_LIMIT, 0, 10);
  prediction = create_sync (fixture->client, sdxl_version, FALSE, small_sd, &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_RATE_LIMITED);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 6);
}

static void
test_create_never_repeated (Fixture       *fixture,
                            gconstpointer  data)
{
  const struct { InpSandboxFaultKind kind; int param; InpError code; } faults[] = {
    { INP_SANDBOX_FAULT_SERVER_ERROR, 500, INP_ERROR_SERVER },
    { INP_SANDBOX_FAULT_SERVER_ERROR, 503, INP_ERROR_SERVER },
    { INP_SANDBOX_FAULT_DROP_CONNECTION, 0, INP_ERROR_NETWORK },
    { INP_SANDBOX_FAULT_TRUNCATED_BODY, 0, INP_ERROR_PROTOCOL },
  };
  g_autoptr(InpPrediction) warm = NULL;

  /* A first request leaves a kept-alive connection, where a silent resend would be tempting. */
  warm = create_sync (fixture->client, sdxl_version, FALSE, small_sd, NULL);
  g_assert_nonnull (warm);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(InpPrediction) prediction = NULL;
      g_autoptr(GError) error = NULL;
      guint before = inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE);

      inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, faults[i].kind,
                             faults[i].param, 1);
      prediction = create_sync (fixture->client, sdxl_version, FALSE, small_sd, &error);
      g_assert_null (prediction);
      g_assert_error (error, INP_ERROR, faults[i].code);
      /* Once only: the request may have reached the service, and a duplicate costs money. */
      g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==,
                        before + 1);
    }
}

static GLogWriterOutput
collect_log_cb (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  GString *log = user_data;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        g_string_append_len (log, fields[i].value,
                             fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                  : fields[i].length);
        g_string_append_c (log, '\n');
      }

  if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    return g_log_writer_standard_streams (level, fields, n_fields, NULL);
  return G_LOG_WRITER_HANDLED;
}

static guint
count_substrings (const char *haystack,
                  const char *needle)
{
  guint count = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    count++;

  return count;
}

static void
test_connection_refused (void)
{
  g_autoptr(InpSandbox) sandbox = NULL;
  g_autoptr(InpClient) client = NULL;
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  log = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);
  g_log_set_writer_func (collect_log_cb, log, NULL);

  /* Nothing listens there any more: a create that provably never left is tried again (the
   * client's debug log says so, as the sandbox cannot count what never reached it), then
   * reported as a network fault. */
  sandbox = inp_test_sandbox_start ("/v1");
  client = inp_test_client_new (sandbox);
  inp_sandbox_stop (sandbox);
  prediction = create_sync (client, sdxl_version, FALSE, small_sd, &error);
  g_assert_null (prediction);
  g_assert_error (error, INP_ERROR, INP_ERROR_NETWORK);
  g_assert_cmpuint (count_substrings (log->str, "retrying in"), ==, 3);
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 30);
  g_autofree char *http_date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  gint64 ms;

  g_assert_cmpint (inp_client_parse_retry_after ("2"), ==, 2000);
  g_assert_cmpint (inp_client_parse_retry_after (" 0"), ==, 0);
  g_assert_cmpint (inp_client_parse_retry_after (NULL), ==, -1);
  g_assert_cmpint (inp_client_parse_retry_after (""), ==, -1);
  g_assert_cmpint (inp_client_parse_retry_after ("soon"), ==, -1);
  g_assert_cmpint (inp_client_parse_retry_after ("-3"), ==, -1);
  g_assert_cmpint (inp_client_parse_retry_after ("99999999999"), ==, -1);
  g_assert_cmpint (inp_client_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT"), ==, 0);

  /* An HTTP date half a minute ahead asks for about that long. */
  ms = inp_client_parse_retry_after (http_date);
  g_assert_cmpint (ms, >, 25000);
  g_assert_cmpint (ms, <=, 30000);
}

static void
test_get_retried (Fixture       *fixture,
                  gconstpointer  data)
{
  const struct { InpSandboxFaultKind kind; int param; } faults[] = {
    { INP_SANDBOX_FAULT_SERVER_ERROR, 502 },
    { INP_SANDBOX_FAULT_SERVER_ERROR, 500 },
    { INP_SANDBOX_FAULT_RATE_LIMIT, 1 },
    { INP_SANDBOX_FAULT_DROP_CONNECTION, 0 },
    { INP_SANDBOX_FAULT_TRUNCATED_BODY, 0 },
  };
  g_autoptr(InpPrediction) created = NULL;
  g_autoptr(GError) error = NULL;

  created = create_sync (fixture->client, sdxl_version, FALSE, small_sd, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(InpPrediction) prediction = NULL;
      guint before = inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_GET);

      inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_GET, faults[i].kind,
                             faults[i].param, 2);
      prediction = get_sync (fixture->client, inp_prediction_get_id (created), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (inp_prediction_get_id (prediction), ==, inp_prediction_get_id (created));
      g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_GET), ==,
                        before + 3);
    }

  /* A GET that keeps failing ends with the kind of failure. */
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_GET, INP_SANDBOX_FAULT_SERVER_ERROR,
                         503, 10);
  g_assert_null (get_sync (fixture->client, inp_prediction_get_id (created), &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_SERVER);
}

static void
test_bad_answers (Fixture       *fixture,
                  gconstpointer  data)
{
  const struct { InpSandboxFaultKind kind; int param; } faults[] = {
    { INP_SANDBOX_FAULT_MALFORMED_JSON, 0 },
    { INP_SANDBOX_FAULT_WRONG_CONTENT_TYPE, 0 },
    { INP_SANDBOX_FAULT_HUGE_BODY, 3 },
    { INP_SANDBOX_FAULT_UNKNOWN_STATUS, 0 },
  };
  g_autoptr(InpPrediction) created = NULL;
  g_autoptr(GError) error = NULL;

  created = create_sync (fixture->client, sdxl_version, FALSE, small_sd, &error);
  g_assert_no_error (error);
  inp_client_set_limits (fixture->client, 1024 * 1024, 8 * 1024 * 1024, 1024 * 1024);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(InpPrediction) prediction = NULL;

      inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_GET, faults[i].kind,
                             faults[i].param, 1);
      prediction = get_sync (fixture->client, inp_prediction_get_id (created), &error);
      g_assert_null (prediction);
      g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
    }

  /* The same faults on create are reported, not repeated. */
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE,
                         INP_SANDBOX_FAULT_UNKNOWN_STATUS, 0, 1);
  g_assert_null (create_sync (fixture->client, sdxl_version, FALSE, small_sd, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
}

static void
test_problems (Fixture       *fixture,
               gconstpointer  data)
{
  const struct { int status; InpError code; } problems[] = {
    { 400, INP_ERROR_VALIDATION },
    { 401, INP_ERROR_UNAUTHORIZED },
    { 402, INP_ERROR_PAYMENT_REQUIRED },
    { 404, INP_ERROR_NOT_FOUND },
    { 413, INP_ERROR_TOO_LARGE },
    { 422, INP_ERROR_VALIDATION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      g_autoptr(GError) error = NULL;

      inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_PROBLEM,
                             problems[i].status, 1);
      g_assert_null (create_sync (fixture->client, sdxl_version, FALSE, small_sd, &error));
      g_assert_error (error, INP_ERROR, problems[i].code);
      /* The service's own words are in the message, and the token is not. */
      g_assert_cmpuint (strlen (error->message), >, 10);
      g_assert_null (strstr (error->message, INP_TEST_TOKEN));
    }
}

static void
test_server_validation (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;
  gboolean found = FALSE;

  /* The client sends what it is given; the sandbox's 422 names the field without "input.". */
  g_assert_null (create_sync (fixture->client, sdxl_version, FALSE,
                              "{\"prompt\":\"a fox\",\"num_outputs\":9}", &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_VALIDATION);
  fields = inp_error_get_fields (error);
  g_assert_nonnull (fields);
  for (guint i = 0; i < fields->len; i++)
    {
      InpFieldError *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->field, "num_outputs"))
        found = TRUE;
    }
  g_assert_true (found);
  g_clear_error (&error);

  /* A model that is run by version does not exist on the model route. */
  g_assert_null (create_sync (fixture->client, "stability-ai/sdxl", TRUE, small_sd, &error));
  g_assert_nonnull (error);
}

static void
test_wrong_token (void)
{
  g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/v1");
  g_autoptr(InpEndpoint) endpoint = inp_endpoint_new (inp_sandbox_get_base_url (sandbox), NULL);
  g_autoptr(InpClient) client = inp_client_new (endpoint, "r8_wrong");
  g_autoptr(GError) error = NULL;

  g_assert_null (create_sync (client, sdxl_version, FALSE, small_sd, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "r8_wrong"));
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, 1);
  inp_sandbox_stop (sandbox);
}

static void
test_model_failed (Fixture       *fixture,
                   gconstpointer  data)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/sdxl");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(InpJob) job = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  json_object_set_string_member (values, "prompt", "sandbox:nsfw a fox");
  job = inp_job_new (fixture->client, model, values, fixture->dir);
  paths = inp_test_run_job (job, NULL, &error);
  g_assert_null (paths);
  g_assert_error (error, INP_ERROR, INP_ERROR_PREDICTION_FAILED);
  g_assert_nonnull (strstr (error->message, "NSFW content detected"));
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_FAILED);
  g_assert_cmpint (inp_prediction_get_status (inp_job_get_prediction (job)), ==,
                   INP_PREDICTION_STATUS_FAILED);

  /* Nothing half-written is left behind. */
  listing = g_dir_open (fixture->dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
}

static void
test_expired (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(InpPrediction) later = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  inp_client_set_wait_seconds (fixture->client, 0);
  prediction = create_sync (fixture->client, sdxl_version, FALSE, small_sd, &error);
  g_assert_no_error (error);
  g_assert_true (follow_sync (fixture->client, prediction, &error));

  /* The output origin answers 404: the file is gone. */
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_OUTPUT, INP_SANDBOX_FAULT_PROBLEM, 404, 1);
  paths = download_sync (fixture->client, prediction, fixture->dir, &error);
  g_assert_null (paths);
  g_assert_error (error, INP_ERROR, INP_ERROR_OUTPUT_EXPIRED);
  g_clear_error (&error);

  /* After the retention purge the prediction says so itself. */
  inp_sandbox_expire_outputs (fixture->sandbox);
  later = get_sync (fixture->client, inp_prediction_get_id (prediction), &error);
  g_assert_no_error (error);
  g_assert_true (inp_prediction_get_data_removed (later));
  paths = download_sync (fixture->client, later, fixture->dir, &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_OUTPUT_EXPIRED);

  /* And the files it had are 404 now too. */
  g_clear_error (&error);
  paths = download_sync (fixture->client, prediction, fixture->dir, &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_OUTPUT_EXPIRED);

  listing = g_dir_open (fixture->dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
}

static void
test_download_cap (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  inp_client_set_wait_seconds (fixture->client, 0);
  prediction = create_sync (fixture->client, sdxl_version, FALSE,
                            "{\"prompt\":\"a fox\",\"width\":512,\"height\":512}", &error);
  g_assert_no_error (error);
  g_assert_true (follow_sync (fixture->client, prediction, &error));

  inp_client_set_limits (fixture->client, 1024 * 1024, 100, 1024 * 1024);
  paths = download_sync (fixture->client, prediction, fixture->dir, &error);
  g_assert_null (paths);
  g_assert_error (error, INP_ERROR, INP_ERROR_TOO_LARGE);

  listing = g_dir_open (fixture->dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
}

/* ─── Routes ──────────────────────────────────────────────────────────────────────────────────── */

static void
test_upload (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) png = inp_test_png_bytes (32, 32, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *again = NULL;
  InpEndpoint *endpoint = inp_client_get_endpoint (fixture->client);

  url = upload_sync (fixture->client, png, &error);
  g_assert_no_error (error);
  g_assert_true (inp_endpoint_is_same_origin (endpoint, url));
  g_assert_cmpint (inp_endpoint_get_route_state (endpoint, INP_ROUTE_FILES), ==,
                   INP_ROUTE_STATE_PRESENT);

  /* A relay without /files: one 404, then data URIs without asking again. */
  inp_endpoint_forget_routes ();
  inp_sandbox_set_routes (fixture->sandbox, INP_SANDBOX_ROUTE_ALL & ~INP_SANDBOX_ROUTE_FILES);
  g_free (url);
  url = upload_sync (fixture->client, png, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "data:image/png;base64,"));
  g_assert_cmpint (inp_endpoint_get_route_state (endpoint, INP_ROUTE_FILES), ==,
                   INP_ROUTE_STATE_ABSENT);
  again = upload_sync (fixture->client, png, &error);
  g_assert_cmpstr (again, ==, url);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_FILES), ==, 2);

  /* Above the data URI cap there is no way to send it: a clear error. */
  inp_client_set_limits (fixture->client, 1024 * 1024, 1024 * 1024, 64);
  g_free (again);
  again = upload_sync (fixture->client, png, &error);
  g_assert_null (again);
  g_assert_error (error, INP_ERROR, INP_ERROR_TOO_LARGE);
}

static void
test_upload_data_uri (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) png = inp_test_png_bytes (32, 32, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *inlined = NULL;
  g_autofree char *uploaded = NULL;
  InpEndpoint *endpoint = inp_client_get_endpoint (fixture->client);

  /* The endpoint has /files, but the data-uri strategy never calls it. */
  inp_client_set_upload_strategy (fixture->client, INP_UPLOAD_STRATEGY_DATA_URI);
  inlined = upload_sync (fixture->client, png, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (inlined, "data:image/png;base64,"));
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_FILES), ==, 0);

  /* Back to automatic, through the property as the settings binding sets it. */
  g_object_set (fixture->client, "upload-strategy", INP_UPLOAD_STRATEGY_AUTOMATIC, NULL);
  uploaded = upload_sync (fixture->client, png, &error);
  g_assert_no_error (error);
  g_assert_true (inp_endpoint_is_same_origin (endpoint, uploaded));
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_FILES), ==, 1);
}

static void
test_relay_without_files (Fixture       *fixture,
                          gconstpointer  data)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (),
                                        "stability-ai/stable-diffusion-inpainting");
  g_autoptr(InpJob) job = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;

  inp_sandbox_set_routes (fixture->sandbox, 0);
  job = inp_test_job_for_model (fixture->client, model, fixture->dir);
  paths = inp_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, 1);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_FILES), ==, 1);
}

static void
test_large_inline_file (Fixture       *fixture,
                        gconstpointer  data)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "cjwbw/rembg");
  g_autoptr(GBytes) photo = inp_test_noise_png_bytes (800, 800);
  g_autoptr(InpJob) job = inp_job_new (fixture->client, model, NULL, fixture->dir);
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) result = NULL;

  /* Megabytes inline: encoded and written into the body on worker threads, and still intact. */
  g_assert_cmpuint (g_bytes_get_size (photo), >, 1024 * 1024);
  inp_sandbox_set_routes (fixture->sandbox, 0);
  inp_job_set_file (job, "image", photo, "image/png");
  paths = inp_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, 1);

  result = gdk_pixbuf_new_from_file (g_ptr_array_index (paths, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 800);
  g_assert_true (gdk_pixbuf_get_has_alpha (result));
}

static void
test_model_and_account (Fixture       *fixture,
                        gconstpointer  data)
{
  InpEndpoint *endpoint = inp_client_get_endpoint (fixture->client);
  g_autoptr(JsonObject) model = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GError) error = NULL;

  model = get_model_sync (fixture->client, "stability-ai/sdxl", &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (model, "latest_version"));

  account = get_account_sync (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_object_get_string_member (account, "username"));
  g_assert_cmpint (inp_endpoint_get_route_state (endpoint, INP_ROUTE_ACCOUNT), ==,
                   INP_ROUTE_STATE_PRESENT);

  /* Without the routes: detected once, then not asked again. */
  inp_endpoint_forget_routes ();
  inp_sandbox_set_routes (fixture->sandbox, INP_SANDBOX_ROUTE_FILES);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (get_account_sync (fixture->client, &error));
      g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
  g_assert_cmpint (inp_endpoint_get_route_state (endpoint, INP_ROUTE_ACCOUNT), ==,
                   INP_ROUTE_STATE_ABSENT);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT), ==, 2);

  g_assert_null (get_model_sync (fixture->client, "stability-ai/sdxl", &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_assert_cmpint (inp_endpoint_get_route_state (endpoint, INP_ROUTE_MODELS), ==,
                   INP_ROUTE_STATE_ABSENT);
}

/* ─── Validation, cancel, privacy ─────────────────────────────────────────────────────────────── */

static void
test_validation_before_sending (Fixture       *fixture,
                                gconstpointer  data)
{
  InpCatalog *catalog = inp_catalog_get_default ();
  InpModel *sdxl = inp_catalog_lookup (catalog, "stability-ai/sdxl");
  InpModel *inpainting = inp_catalog_lookup (catalog, "stability-ai/stable-diffusion-inpainting");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(InpJob) job = NULL;
  g_autoptr(InpJob) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  GPtrArray *fields;

  json_object_set_int_member (values, "num_outputs", 9);
  json_object_set_string_member (values, "scheduler", "FASTEST");
  json_object_set_string_member (values, "no_such_input", "x");
  job = inp_job_new (fixture->client, sdxl, values, fixture->dir);
  g_assert_null (inp_test_run_job (job, NULL, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  fields = inp_error_get_fields (error);
  g_assert_nonnull (fields);
  g_assert_cmpuint (fields->len, ==, 3);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_FAILED);
  g_clear_error (&error);

  /* Required image and mask missing. */
  missing = inp_job_new (fixture->client, inpainting, NULL, fixture->dir);
  g_assert_null (inp_test_run_job (missing, NULL, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_assert_cmpuint (inp_error_get_fields (error)->len, ==, 2);

  requests = inp_sandbox_dup_requests (fixture->sandbox);
  g_assert_cmpuint (requests->len, ==, 0);
}

typedef struct
{
  GCancellable *cancellable;
  InpJobState   state;
} CancelAt;

static void
cancel_at_state_cb (InpJob     *job,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  CancelAt *cancel_at = user_data;

  if (inp_job_get_state (job) == cancel_at->state)
    g_cancellable_cancel (cancel_at->cancellable);
}

/* Runs a slow SDXL job and cancels it when it reaches @state; the job ends cancelled, and so
 * does its prediction on the service. */
static InpJob *
run_and_cancel (Fixture     *fixture,
                guint        wait_seconds,
                InpJobState  state)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/sdxl");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelAt cancel_at = { cancellable, state };
  InpJob *job;

  inp_sandbox_set_model_time (fixture->sandbox, 20000);
  inp_client_set_wait_seconds (fixture->client, wait_seconds);
  json_object_set_string_member (values, "prompt", "a slow fox");
  job = inp_job_new (fixture->client, model, values, fixture->dir);
  g_signal_connect (job, "notify::state", G_CALLBACK (cancel_at_state_cb), &cancel_at);

  g_assert_null (inp_test_run_job (job, cancellable, &error));
  g_signal_handlers_disconnect_by_func (job, cancel_at_state_cb, &cancel_at);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_CANCELLED);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 1);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CANCEL), ==, 1);
  g_assert_cmpint (inp_prediction_get_status (inp_job_get_prediction (job)), ==,
                   INP_PREDICTION_STATUS_CANCELED);

  return job;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(InpJob) job = run_and_cancel (fixture, 0, INP_JOB_STATE_RUNNING);
  g_autoptr(InpPrediction) later = NULL;
  g_autoptr(GError) error = NULL;

  later = get_sync (fixture->client, inp_prediction_get_id (inp_job_get_prediction (job)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_prediction_get_status (later), ==, INP_PREDICTION_STATUS_CANCELED);
}

static void
test_cancel_during_create (Fixture       *fixture,
                           gconstpointer  data)
{
  /* The create is held by Prefer: wait; the cancel waits for its id, then cancels there. */
  g_autoptr(InpJob) job = run_and_cancel (fixture, 1, INP_JOB_STATE_CREATING);
}

static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  data)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "cjwbw/rembg");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(InpJob) job = inp_test_job_for_model (fixture->client, model, fixture->dir);
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (inp_test_run_job (job, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 0);
}

static void
test_logs_redacted (Fixture       *fixture,
                    gconstpointer  data)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "black-forest-labs/flux-fill-pro");
  g_autoptr(InpJob) job = inp_test_job_for_model (fixture->client, model, fixture->dir);
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  GString *log = g_string_new (NULL);

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_string_free (log, TRUE);
      return;
    }

  /* Debug output on, every message collected: the token never appears. */
  g_log_set_debug_enabled (TRUE);
  g_log_set_writer_func (collect_log_cb, log, NULL);
  paths = inp_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_PROBLEM, 401, 1);
  g_clear_object (&job);
  job = inp_test_job_for_model (fixture->client, model, fixture->dir);
  g_assert_null (inp_test_run_job (job, NULL, &error));

  g_assert_cmpuint (log->len, >, 0);
  g_assert_nonnull (strstr (log->str, "client:"));
  g_assert_null (strstr (log->str, INP_TEST_TOKEN));
}

int
main (int   argc,
      char *argv[])
{
  umask (022);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/core/client/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("catalogue/v1", test_catalogue, "/v1");
  ADD ("catalogue/replicate-v1", test_catalogue, "/replicate/v1");
  ADD ("sync-done", test_sync_done, NULL);
  ADD ("sync-ran-out", test_sync_ran_out, "/replicate/v1");
  ADD ("polling", test_polling, "/replicate/v1");
  ADD ("create-rate-limited", test_create_rate_limited, NULL);
  ADD ("create-never-repeated", test_create_never_repeated, NULL);
  g_test_add_func ("/core/client/connection-refused", test_connection_refused);
  g_test_add_func ("/core/client/retry-after", test_retry_after);
  ADD ("get-retried", test_get_retried, NULL);
  ADD ("bad-answers", test_bad_answers, NULL);
  ADD ("problems", test_problems, NULL);
  ADD ("server-validation", test_server_validation, NULL);
  g_test_add_func ("/core/client/wrong-token", test_wrong_token);
  ADD ("model-failed", test_model_failed, NULL);
  ADD ("expired", test_expired, NULL);
  ADD ("download-cap", test_download_cap, NULL);
  ADD ("upload", test_upload, NULL);
  ADD ("upload-data-uri", test_upload_data_uri, NULL);
  ADD ("relay-without-files", test_relay_without_files, "/replicate/v1");
  ADD ("large-inline-file", test_large_inline_file, NULL);
  ADD ("model-and-account", test_model_and_account, NULL);
  ADD ("validation-before-sending", test_validation_before_sending, NULL);
  ADD ("cancel", test_cancel, NULL);
  ADD ("cancel-during-create", test_cancel_during_create, NULL);
  ADD ("cancel-before-start", test_cancel_before_start, NULL);
  ADD ("logs-redacted", test_logs_redacted, NULL);

#undef ADD

  return g_test_run ();
}
