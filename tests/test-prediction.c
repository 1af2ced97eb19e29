/* test-prediction.c: prediction objects and problem documents from JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-error.h"
#include "inp-prediction.h"
#include "inp-problem.h"

static const char *sync_answer =
  "{\"id\":\"gm3qorzdhgbfurvjtvhg6dckhu\",\"model\":\"stability-ai/sdxl\","
  "\"version\":\"7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc\","
  "\"input\":{\"prompt\":\"a fox\",\"num_outputs\":2},"
  "\"logs\":\"Using seed: 1\\n  0%|          | 0/50 [00:00<?, ?it/s]\\n"
  " 76%|███████▌  | 38/50 [00:03<00:01, 12.1it/s]\\r 80%|████████  | 40/50 [00:03<00:01]\","
  "\"output\":[\"data:image/png;base64,iVBORw0KGgo=\",\"https://replicate.delivery/pbxt/a/out-1.png\"],"
  "\"data_removed\":false,\"error\":null,\"status\":\"processing\","
  "\"created_at\":\"2024-10-09T10:00:00.123Z\",\"started_at\":\"2024-10-09T10:00:01Z\","
  "\"completed_at\":null,\"metrics\":{\"predict_time\":3.8},"
  "\"urls\":{\"get\":\"https://api.replicate.com/v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu\"}}";

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InpPrediction) prediction = inp_prediction_new_from_data (sync_answer, -1, &error);
  g_autoptr(GPtrArray) files = NULL;
  JsonNode *input;

  g_assert_no_error (error);
  g_assert_cmpstr (inp_prediction_get_id (prediction), ==, "gm3qorzdhgbfurvjtvhg6dckhu");
  g_assert_cmpstr (inp_prediction_get_model (prediction), ==, "stability-ai/sdxl");
  g_assert_cmpint (inp_prediction_get_status (prediction), ==, INP_PREDICTION_STATUS_PROCESSING);
  g_assert_false (inp_prediction_is_terminal (prediction));
  g_assert_true (inp_prediction_has_output (prediction));
  g_assert_null (inp_prediction_get_error (prediction));
  g_assert_false (inp_prediction_get_data_removed (prediction));
  g_assert_cmpfloat_with_epsilon (inp_prediction_get_predict_time (prediction), 3.8, 1e-9);
  g_assert_nonnull (inp_prediction_get_created_at (prediction));
  g_assert_cmpint (g_date_time_get_year (inp_prediction_get_started_at (prediction)), ==, 2024);
  g_assert_null (inp_prediction_get_completed_at (prediction));

  input = inp_prediction_get_input (prediction);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (input), "num_outputs"), ==, 2);

  /* The last progress line wins, whether lines end in \n or \r. */
  g_assert_cmpint (inp_prediction_get_progress_current (prediction), ==, 40);
  g_assert_cmpint (inp_prediction_get_progress_total (prediction), ==, 50);
  g_assert_cmpfloat_with_epsilon (inp_prediction_get_progress (prediction), 0.8, 1e-9);

  files = inp_prediction_dup_file_outputs (prediction);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (files, 0), "data:image/png"));
  g_assert_cmpstr (g_ptr_array_index (files, 1), ==, "https://replicate.delivery/pbxt/a/out-1.png");
}

static void
test_progress (void)
{
  const struct { const char *logs; gboolean found; int percent, current, total; } cases[] = {
    { NULL, FALSE, 0, 0, 0 },
    { "", FALSE, 0, 0, 0 },
    { "Loading model\nseed 3\n", FALSE, 0, 0, 0 },
    { "  4%|▍         | 2/50 [00:00<00:05,  9.0it/s]", TRUE, 4, 2, 50 },
    { "100%|██████████| 50/50 [00:04<00:00, 11.2it/s]\nsaving\n", TRUE, 100, 50, 50 },
    { " 10%|#| 1/10\n 20%|##| 2/10\nnot a bar |x| 3/10\n", TRUE, 20, 2, 10 },
    { "50%|| 1/2", FALSE, 0, 0, 0 },
    { "150%|##| 3/2", FALSE, 0, 0, 0 },
    { "10%|##| 1/0", FALSE, 0, 0, 0 },
    { "10%|##| 99999999999999999999/5", FALSE, 0, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int percent = -1, current = -1, total = -1;
      gboolean found = inp_parse_progress (cases[i].logs, &percent, &current, &total);

      g_assert_cmpint (found, ==, cases[i].found);
      if (found)
        {
          g_assert_cmpint (percent, ==, cases[i].percent);
          g_assert_cmpint (current, ==, cases[i].current);
          g_assert_cmpint (total, ==, cases[i].total);
        }
    }
}

static void
test_statuses (void)
{
  const char *names[] = { "starting", "processing", "succeeded", "failed", "canceled", "aborted" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\":\"p1\",\"status\":\"%s\"}", names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(InpPrediction) prediction = inp_prediction_new_from_data (json, -1, &error);

      g_assert_no_error (error);
      g_assert_cmpint (inp_prediction_get_status (prediction), ==, i);
      g_assert_cmpstr (inp_prediction_status_to_string (i), ==, names[i]);
      g_assert_cmpint (inp_prediction_is_terminal (prediction), ==, i >= 2);
    }
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "",
    "{",
    "[]",
    "null",
    "\"processing\"",
    "{\"status\":\"starting\"}",
    "{\"id\":\"\",\"status\":\"starting\"}",
    "{\"id\":\"../../etc\",\"status\":\"starting\"}",
    "{\"id\":42,\"status\":\"starting\"}",
    "{\"id\":\"p1\"}",
    "{\"id\":\"p1\",\"status\":\"exploded\"}",
    "{\"id\":\"p1\",\"status\":7}",
    "{\"id\":\"p1\",\"status\":\"starting\",\"input\":[1]}",
    "{\"id\":\"p1\",\"status\":\"starting\",\"logs\":{}}",
    "{\"id\":\"p1\",\"status\":\"starting\",\"metrics\":3}",
    "{\"id\":\"p1\",\"status\":\"starting\",\"data_removed\":\"yes\"}",
    "{\"id\":\"p1\",\"status\":\"starting\",\"created_at\":5}",
    "{\"id\":\"p1\",\"status\":\"succeeded\",\"output\":[\"https://x/y.png\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(InpPrediction) prediction = inp_prediction_new_from_data (bad[i], -1, &error);

      g_assert_null (prediction);
      g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
    }
}

static void
test_lenient (void)
{
  /* Shapes the service really sends, or might, which must not be refused. */
  const char *json =
    "{\"id\":\"p1\",\"status\":\"failed\",\"model\":null,\"version\":\"hidden\",\"input\":null,"
    "\"output\":null,\"logs\":null,\"error\":{\"code\":\"E1001\"},\"created_at\":\"yesterday\","
    "\"metrics\":null,\"data_removed\":null,\"urls\":42,\"extra\":[1,2]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(InpPrediction) prediction = inp_prediction_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (inp_prediction_get_version (prediction), ==, "hidden");
  g_assert_cmpstr (inp_prediction_get_error (prediction), ==, "{\"code\":\"E1001\"}");
  g_assert_null (inp_prediction_get_created_at (prediction));
  g_assert_cmpfloat (inp_prediction_get_progress (prediction), <, 0);
  g_assert_cmpfloat (inp_prediction_get_predict_time (prediction), <, 0);
  g_assert_false (inp_prediction_has_output (prediction));
}

static void
test_nested_outputs (void)
{
  const char *json =
    "{\"id\":\"p1\",\"status\":\"succeeded\",\"output\":{\"images\":[\"https://a/1.webp\","
    "[\"data:image/gif;base64,R0lG\"]],\"caption\":\"a fox\",\"n\":3,\"video\":\"http://b/2.mp4\"}}";
  g_autoptr(InpPrediction) prediction = inp_prediction_new_from_data (json, -1, NULL);
  g_autoptr(GPtrArray) files = inp_prediction_dup_file_outputs (prediction);

  g_assert_cmpuint (files->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, "https://a/1.webp");
  g_assert_cmpstr (g_ptr_array_index (files, 1), ==, "data:image/gif;base64,R0lG");
  g_assert_cmpstr (g_ptr_array_index (files, 2), ==, "http://b/2.mp4");
  /* Once succeeded, the progress is complete whatever the logs say. */
  g_assert_cmpfloat (inp_prediction_get_progress (prediction), ==, 1.0);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *seen = user_data;

  g_hash_table_add (seen, (gpointer) g_intern_string (pspec->name));
}

static void
test_update_notifies (void)
{
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  prediction = inp_prediction_new_from_data (
    "{\"id\":\"p1\",\"status\":\"starting\",\"logs\":\"\",\"output\":null}", -1, NULL);
  g_signal_connect (prediction, "notify", G_CALLBACK (count_notify_cb), seen);

  /* The same state again notifies nothing. */
  json_parser_load_from_data (parser, "{\"id\":\"p1\",\"status\":\"starting\",\"logs\":\"\"}",
                              -1, NULL);
  g_assert_true (inp_prediction_update_from_json (prediction, json_parser_get_root (parser),
                                                  &error));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);

  json_parser_load_from_data (parser,
                              "{\"id\":\"p1\",\"status\":\"processing\","
                              "\"logs\":\" 50%|#####     | 25/50\",\"output\":null}", -1, NULL);
  g_assert_true (inp_prediction_update_from_json (prediction, json_parser_get_root (parser),
                                                  &error));
  g_assert_true (g_hash_table_contains (seen, "status"));
  g_assert_true (g_hash_table_contains (seen, "logs"));
  g_assert_true (g_hash_table_contains (seen, "progress"));
  g_assert_true (g_hash_table_contains (seen, "progress-current"));
  g_assert_false (g_hash_table_contains (seen, "output"));
  g_assert_false (g_hash_table_contains (seen, "id"));
  g_assert_cmpfloat_with_epsilon (inp_prediction_get_progress (prediction), 0.5, 1e-9);

  /* An answer about another prediction, or a broken one, changes nothing. */
  g_hash_table_remove_all (seen);
  json_parser_load_from_data (parser, "{\"id\":\"p2\",\"status\":\"succeeded\"}", -1, NULL);
  g_assert_false (inp_prediction_update_from_json (prediction, json_parser_get_root (parser),
                                                   &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
  g_clear_error (&error);
  json_parser_load_from_data (parser, "{\"id\":\"p1\",\"status\":\"exploded\"}", -1, NULL);
  g_assert_false (inp_prediction_update_from_json (prediction, json_parser_get_root (parser),
                                                   &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);
  g_assert_cmpint (inp_prediction_get_status (prediction), ==, INP_PREDICTION_STATUS_PROCESSING);
}

static void
test_problem (void)
{
  const char *validation =
    "{\"title\":\"Input validation failed\",\"status\":422,"
    "\"detail\":\"- input: prompt is required\\n- input.num_inference_steps: Must be less than or "
    "equal to 4\\n\",\"invalid_fields\":[{\"type\":\"required\",\"field\":\"input\","
    "\"description\":\"prompt is required\"},{\"type\":\"number_lte\","
    "\"field\":\"input.num_inference_steps\",\"description\":\"Must be less than or equal to 4\"},"
    "7,{\"field\":3}]}";
  const struct { guint status; const char *body; InpError code; const char *contains; } cases[] = {
    { 401, "{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass a valid authentication "
           "token\",\"status\":401}", INP_ERROR_UNAUTHORIZED, "valid authentication token" },
    { 402, "{\"title\":\"Billing required\",\"detail\":\"You need to set up billing\"}",
      INP_ERROR_PAYMENT_REQUIRED, "set up billing" },
    { 404, "{\"detail\":\"Not found.\"}", INP_ERROR_NOT_FOUND, "Not found." },
    { 413, "{\"detail\":\"Files must be less than 100MB in size\"}", INP_ERROR_TOO_LARGE, "100MB" },
    { 429, "{\"detail\":\"Request was throttled. Your rate limit resets in ~30s.\"}",
      INP_ERROR_RATE_LIMITED, "~30s" },
    { 503, "<html>Service Unavailable</html>", INP_ERROR_SERVER, "503" },
    { 500, NULL, INP_ERROR_SERVER, "500" },
    { 418, "{\"title\":\"Teapot\"}", INP_ERROR_FAILED, "Teapot" },
    { 400, "{\"detail\":\"Failed to parse request body as JSON: EOF\",\"status\":400}",
      INP_ERROR_VALIDATION, "EOF" },
    { 401, "{\"detail\":\"a\\u001b[2Jb\"}", INP_ERROR_UNAUTHORIZED, "a[2Jb" },
  };
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;
  InpFieldError *field;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) case_error =
        inp_problem_to_error (cases[i].status, cases[i].body,
                              cases[i].body != NULL ? strlen (cases[i].body) : 0);

      g_assert_error (case_error, INP_ERROR, cases[i].code);
      g_assert_nonnull (strstr (case_error->message, cases[i].contains));
    }

  error = inp_problem_to_error (422, validation, strlen (validation));
  g_assert_error (error, INP_ERROR, INP_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "prompt is required"));
  g_assert_null (strchr (error->message, '\n'));
  fields = inp_error_get_fields (error);
  g_assert_nonnull (fields);
  g_assert_cmpuint (fields->len, ==, 3);
  field = g_ptr_array_index (fields, 0);
  g_assert_cmpstr (field->field, ==, "");
  g_assert_cmpstr (field->message, ==, "prompt is required");
  field = g_ptr_array_index (fields, 1);
  g_assert_cmpstr (field->field, ==, "num_inference_steps");
  g_assert_cmpstr (field->message, ==, "Must be less than or equal to 4");
}

static void
test_problem_long_detail (void)
{
  g_autoptr(GString) body = g_string_new ("{\"detail\":\"");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (body, "é");
  g_string_append (body, "\"}");

  error = inp_problem_to_error (500, body->str, body->len);
  g_assert_error (error, INP_ERROR, INP_ERROR_SERVER);
  g_assert_cmpint (g_utf8_strlen (error->message, -1), <, 1000);
}

/* The fuzzers' seeds, what they found, and any input that ever crashed them
 * (tests/data/fuzz/prediction-*.json and problem-*.json) are replayed on every run. */
static void
test_fuzz_corpus (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "fuzz", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_str_has_prefix (name, "prediction-") && !g_str_has_prefix (name, "problem-"))
        continue;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (g_str_has_prefix (name, "prediction-"))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(InpPrediction) prediction = inp_prediction_new_from_data (contents, length,
                                                                             &error);

          g_assert_true ((prediction == NULL) != (error == NULL));
        }
      else
        {
          g_autoptr(GError) problem = inp_problem_to_error (422, contents, length);

          g_assert_true (problem->domain == INP_ERROR);
        }
      count++;
    }

  g_assert_cmpuint (count, >=, 4);
  g_test_message ("%u fuzz inputs replayed", count);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/prediction/parse", test_parse);
  g_test_add_func ("/core/prediction/progress", test_progress);
  g_test_add_func ("/core/prediction/statuses", test_statuses);
  g_test_add_func ("/core/prediction/malformed", test_malformed);
  g_test_add_func ("/core/prediction/lenient", test_lenient);
  g_test_add_func ("/core/prediction/nested-outputs", test_nested_outputs);
  g_test_add_func ("/core/prediction/update-notifies", test_update_notifies);
  g_test_add_func ("/core/prediction/problem", test_problem);
  g_test_add_func ("/core/prediction/problem-long-detail", test_problem_long_detail);
  g_test_add_func ("/core/prediction/fuzz-corpus", test_fuzz_corpus);

  return g_test_run ();
}
