/* test-cli.c: the built inpainter-cli, run as a program against the sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "inp-provenance.h"
#include "inp-test-sandbox.h"
#include "inp-test-utils.h"

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static char *keyring_dir;
/* Where runs are recorded: a library of the tests' own, never the user's. */
static char *data_home;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static const char *
cli_path (void)
{
  const char *path = g_getenv ("INPAINTER_CLI");

  g_assert_nonnull (path);
  return path;
}

static GSubprocessLauncher *
launcher_new (const char *token,
              const char *base_url)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *keyring = g_build_filename (keyring_dir, "cli.keyring", NULL);

  g_subprocess_launcher_setenv (launcher, "REPLICATE_API_TOKEN", token != NULL ? token : "", TRUE);
  g_subprocess_launcher_setenv (launcher, "INPAINTER_BASE_URL", base_url != NULL ? base_url : "",
                                TRUE);
  /* An empty keyring of its own: the CLI never finds a real token. */
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);

  return launcher;
}

static void
run_cli_env (Run         *run,
             const char  *token,
             const char  *base_url,
             const char  *first_arg,
             ...)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (token, base_url);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) cli_path ());
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

#define run_cli(run, ...) run_cli_env ((run), NULL, NULL, __VA_ARGS__)

static guint
count_lines (const char *text)
{
  guint lines = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      lines++;

  return lines;
}

static void
test_models (void)
{
  g_auto(Run) run = { 0, };
  g_auto(Run) json = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  run_cli (&run, "models", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (count_lines (run.out), ==, 12);
  g_assert_nonnull (strstr (run.out, "stability-ai/sdxl"));
  g_assert_nonnull (strstr (run.out, "black-forest-labs/flux-fill-pro"));

  run_cli (&json, "models", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = json_from_string (json.out, &error);
  g_assert_no_error (error);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 12);
  g_assert_true (json_object_has_member (json_array_get_object_element (array, 0), "task"));
}

static void
assert_usage_error (Run *run)
{
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_cmpstr (run->err, !=, "");
  run_clear (run);
}

static void
test_usage (void)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, NULL);
  assert_usage_error (&run);
  run_cli (&run, "frobnicate", NULL);
  assert_usage_error (&run);
  run_cli (&run, "run", NULL);
  assert_usage_error (&run);
  run_cli (&run, "run", "stability-ai/sdxl", "--wait", "99", NULL);
  assert_usage_error (&run);
  run_cli (&run, "run", "stability-ai/sdxl", "prompt", NULL);
  assert_usage_error (&run);
  run_cli (&run, "run", "no/such-model", "--sandbox", NULL);
  assert_usage_error (&run);
  run_cli (&run, "run", "stability-ai/sdxl", "--no-such-option", NULL);
  assert_usage_error (&run);
  run_cli (&run, "get", NULL);
  assert_usage_error (&run);
  run_cli (&run, "models", "extra", NULL);
  assert_usage_error (&run);
}

static void
test_run_sandbox (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_auto(Run) run = { 0, };
  g_auto(GStrv) lines = NULL;
  InpProvenance *provenance = NULL;
  GError *error = NULL;

  run_cli (&run, "run", "stability-ai/sdxl", "prompt=a fox in the snow", "num_outputs=2",
           "width=64", "height=64", "-o", dir, "--sandbox", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "sandbox"));

  /* Exactly the saved paths on stdout, one per line; progress stays on stderr. */
  lines = g_strsplit (g_strchomp (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], dir));
      g_assert_true (g_str_has_suffix (lines[i], ".png"));
      g_assert_true (g_file_test (lines[i], G_FILE_TEST_IS_REGULAR));

      /* The copies in -o say how they were made, as the library's do. */
      provenance = inp_provenance_read_file (lines[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (provenance);
      g_assert_cmpstr (provenance->model, ==, "stability-ai/sdxl");
      g_assert_cmpstr (provenance->prompt, ==, "a fox in the snow");
      g_assert_true (provenance->ai_generated);
      g_clear_pointer (&provenance, inp_provenance_free);
    }

  inp_test_remove_tree (dir);
}

static void
test_run_file_input (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *photo = inp_test_write_png (dir, "photo.png", 96, 64);
  g_autofree char *argument = g_strdup_printf ("image=@%s", photo);
  g_autofree char *missing = g_strdup_printf ("image=@%s/nothing.png", dir);
  g_autofree char *outputs = g_build_filename (dir, "out", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0, };
  g_auto(Run) unreadable = { 0, };
  g_auto(Run) not_a_file = { 0, };
  g_autoptr(GdkPixbuf) result = NULL;

  run_cli (&run, "run", "cjwbw/rembg", argument, "-o", outputs, "--sandbox", NULL);
  g_assert_cmpint (run.status, ==, 0);
  result = gdk_pixbuf_new_from_file (g_strchomp (run.out), &error);
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_get_has_alpha (result));

  run_cli (&unreadable, "run", "cjwbw/rembg", missing, "--sandbox", NULL);
  g_assert_cmpint (unreadable.status, ==, 2);

  run_cli (&not_a_file, "run", "stability-ai/sdxl", "prompt=@/etc/hostname", "--sandbox", NULL);
  g_assert_cmpint (not_a_file.status, ==, 2);

  inp_test_remove_tree (dir);
}

static void
test_validation (void)
{
  g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/v1");
  const char *base = inp_sandbox_get_base_url (sandbox);
  g_auto(Run) range = { 0, };
  g_auto(Run) unknown = { 0, };
  g_auto(Run) type = { 0, };
  g_auto(Run) missing = { 0, };
  g_autoptr(GPtrArray) requests = NULL;

  run_cli_env (&range, INP_TEST_TOKEN, base, "run", "stability-ai/sdxl", "num_outputs=9", NULL);
  g_assert_cmpint (range.status, ==, 2);
  g_assert_nonnull (strstr (range.err, "num_outputs"));

  run_cli_env (&unknown, INP_TEST_TOKEN, base, "run", "stability-ai/sdxl", "colour=red", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "colour"));

  run_cli_env (&type, INP_TEST_TOKEN, base, "run", "stability-ai/sdxl", "num_outputs=two", NULL);
  g_assert_cmpint (type.status, ==, 2);

  run_cli_env (&missing, INP_TEST_TOKEN, base, "run", "cjwbw/rembg", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "image"));

  /* Nothing was sent. */
  requests = inp_sandbox_dup_requests (sandbox);
  g_assert_cmpuint (requests->len, ==, 0);
  inp_sandbox_stop (sandbox);
}

static void
test_failed (void)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, "run", "stability-ai/sdxl", "prompt=sandbox:nsfw", "width=64", "height=64",
           "--sandbox", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "NSFW content detected"));
}

/* `history --json`, with one filter option when @option is set. */
static JsonArray *
history_json (Run        *run,
              const char *option,
              const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  run_clear (run);
  run_cli (run, "history", "--json", option, value, NULL);
  g_assert_cmpint (run->status, ==, 0);
  root = json_from_string (run->out, &error);
  g_assert_no_error (error);

  return json_array_ref (json_node_get_array (root));
}

/* Runs are recorded in the library (unless --no-library), and history lists and filters them. */
static void
test_history (void)
{
  g_autofree char *saved_home = g_steal_pointer (&data_home);
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *outputs = g_build_filename (dir, "out", NULL);
  g_auto(Run) run = { 0, };
  g_autoptr(JsonArray) jobs = NULL;
  JsonObject *job;
  JsonArray *files;

  data_home = g_build_filename (dir, "data", NULL);

  run_cli (&run, "history", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);

  run_cli (&run, "run", "stability-ai/sdxl", "prompt=a red kite over the sea", "num_outputs=2",
           "width=64", "height=64", "-o", outputs, "--sandbox", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, "run", "stability-ai/stable-diffusion", "prompt=a blue boat sandbox:fail",
           "width=64", "height=64", "-o", outputs, "--sandbox", NULL);
  g_assert_cmpint (run.status, ==, 1);
  run_clear (&run);
  run_cli (&run, "run", "stability-ai/sdxl", "prompt=not recorded", "width=64", "height=64",
           "-o", outputs, "--sandbox", "--no-library", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  /* Newest first, one line each. */
  run_cli (&run, "history", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "not recorded"));
  g_assert_true (strstr (run.out, "a blue boat") < strstr (run.out, "a red kite"));
  g_assert_nonnull (strstr (run.out, "E1001: The model ran out of memory."));

  jobs = history_json (&run, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (jobs), ==, 2);
  job = json_array_get_object_element (jobs, 1);
  g_assert_cmpstr (json_object_get_string_member (job, "status"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (job, "model"), ==, "stability-ai/sdxl");
  g_assert_nonnull (json_object_get_string_member (job, "prediction_id"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (job, "endpoint_host"),
                                   "127.0.0.1:"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (job, "inputs"),
                                               "num_outputs"), ==, 2);
  files = json_object_get_array_member (job, "outputs");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *file = json_array_get_object_element (files, i);
      const char *path = json_object_get_string_member (file, "path");

      g_assert_true (g_str_has_prefix (path, data_home));
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpuint (strlen (json_object_get_string_member (file, "sha256")), ==, 64);
    }
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (job, "history"),
                                                    0), "status"), ==, "pending");
  g_clear_pointer (&jobs, json_array_unref);

  jobs = history_json (&run, "--search", "kite");
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  g_clear_pointer (&jobs, json_array_unref);
  jobs = history_json (&run, "--model", "stability-ai/stable-diffusion");
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  job = json_array_get_object_element (jobs, 0);
  g_assert_cmpstr (json_object_get_string_member (job, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (job, "error"), ==,
                   "E1001: The model ran out of memory.");
  g_clear_pointer (&jobs, json_array_unref);
  jobs = history_json (&run, "--status", "succeeded");
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  g_clear_pointer (&jobs, json_array_unref);

  run_clear (&run);
  run_cli (&run, "history", "--status", "sideways", NULL);
  assert_usage_error (&run);

  /* Nothing is unfinished. */
  run_cli (&run, "resume", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  g_free (data_home);
  data_home = g_steal_pointer (&saved_home);
  inp_test_remove_tree (dir);
}

static void
test_service_errors (void)
{
  g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/replicate/v1");
  g_autoptr(InpSandbox) gone = inp_test_sandbox_start ("/v1");
  const char *base = inp_sandbox_get_base_url (sandbox);
  g_autofree char *gone_base = g_strdup (inp_sandbox_get_base_url (gone));
  g_auto(Run) wrong = { 0, };
  g_auto(Run) none = { 0, };
  g_auto(Run) refused = { 0, };
  g_auto(Run) insecure = { 0, };
  g_auto(Run) server = { 0, };
  g_auto(Run) elsewhere = { 0, };

  run_cli_env (&wrong, "r8_wrong", base, "run", "stability-ai/sdxl", "prompt=a fox", NULL);
  g_assert_cmpint (wrong.status, ==, 3);
  g_assert_null (strstr (wrong.err, "r8_wrong"));

  run_cli_env (&none, NULL, base, "run", "stability-ai/sdxl", "prompt=a fox", NULL);
  g_assert_cmpint (none.status, ==, 3);
  g_assert_nonnull (strstr (none.err, "127.0.0.1"));

  inp_sandbox_stop (gone);
  run_cli_env (&refused, INP_TEST_TOKEN, NULL, "run", "stability-ai/sdxl", "prompt=a fox",
               "--base-url", gone_base, NULL);
  g_assert_cmpint (refused.status, ==, 3);

  run_cli_env (&insecure, INP_TEST_TOKEN, NULL, "run", "stability-ai/sdxl", "prompt=a fox",
               "--base-url", "http://relay.example/v1", NULL);
  g_assert_cmpint (insecure.status, ==, 2);

  inp_sandbox_add_fault (sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_SERVER_ERROR, 500, 1);
  run_cli_env (&server, INP_TEST_TOKEN, base, "run", "stability-ai/sdxl", "prompt=a fox", NULL);
  g_assert_cmpint (server.status, ==, 3);

  /* A model outside the catalogue is looked up on the service, which does not know it. */
  run_cli_env (&elsewhere, INP_TEST_TOKEN, base, "run",
               "someone/unknown:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
               "prompt=a fox", NULL);
  g_assert_cmpint (elsewhere.status, ==, 3);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_MODEL), ==, 1);

  inp_test_assert_token_kept (sandbox);
  inp_sandbox_stop (sandbox);
}

static void
test_base_url_sources (void)
{
  g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/replicate/v1");
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_auto(Run) from_env = { 0, };
  g_auto(Run) flag_wins = { 0, };
  g_auto(GStrv) lines = NULL;

  /* INPAINTER_BASE_URL when there is no --base-url… */
  run_cli_env (&from_env, INP_TEST_TOKEN, inp_sandbox_get_base_url (sandbox), "run",
               "stability-ai/sdxl", "prompt=a fox", "width=64", "height=64", "-o", dir, NULL);
  g_assert_cmpint (from_env.status, ==, 0);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, 1);

  /* …and --base-url over it (the variable names an address that would be refused). */
  run_cli_env (&flag_wins, INP_TEST_TOKEN, "http://relay.example/v1", "run", "stability-ai/sdxl",
               "prompt=a fox", "width=64", "height=64", "--wait", "0", "-o", dir,
               "--base-url", inp_sandbox_get_base_url (sandbox), NULL);
  g_assert_cmpint (flag_wins.status, ==, 0);
  lines = g_strsplit (g_strchomp (flag_wins.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, 2);
  /* --wait 0 polls without a Prefer header. */
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_GET), >=, 1);

  inp_test_assert_token_kept (sandbox);
  inp_sandbox_stop (sandbox);
  inp_test_remove_tree (dir);
}

static void
test_json (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_auto(Run) run = { 0, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  run_cli (&run, "run", "lucataco/flux-schnell-lora", "prompt=a fox", "output_format=webp",
           "-o", dir, "--sandbox", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "files")), ==, 1);
  g_assert_true (g_str_has_suffix (json_array_get_string_element (
                   json_object_get_array_member (object, "files"), 0), ".webp"));
  g_assert_nonnull (json_object_get_string_member (object, "id"));

  inp_test_remove_tree (dir);
}

static void
test_get_and_cancel (void)
{
  g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/v1");
  g_autoptr(InpClient) client = inp_test_client_new (sandbox);
  g_autoptr(JsonNode) input = json_from_string ("{\"prompt\":\"a slow fox\"}", NULL);
  const char *base = inp_sandbox_get_base_url (sandbox);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) get = { 0, };
  g_auto(Run) cancel = { 0, };
  g_auto(Run) json = { 0, };
  g_auto(Run) unknown = { 0, };
  g_autoptr(JsonNode) root = NULL;
  const char *id;

  inp_sandbox_set_model_time (sandbox, 30000);
  inp_client_set_wait_seconds (client, 0);
  inp_client_create_by_version_async (client,
                                      "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc",
                                      json_node_get_object (input), NULL, inp_test_result_cb,
                                      &result);
  prediction = inp_client_create_finish (client, inp_test_wait_result (&result, 10000), &error);
  g_assert_no_error (error);
  id = inp_prediction_get_id (prediction);

  run_cli_env (&get, INP_TEST_TOKEN, base, "get", id, NULL);
  g_assert_cmpint (get.status, ==, 0);
  g_assert_true (g_str_has_prefix (get.out, id));

  run_cli_env (&cancel, INP_TEST_TOKEN, NULL, "cancel", id, "--base-url", base, NULL);
  g_assert_cmpint (cancel.status, ==, 0);
  g_assert_nonnull (strstr (cancel.out, "canceled"));
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CANCEL), ==, 1);

  run_cli_env (&json, INP_TEST_TOKEN, base, "get", id, "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = json_from_string (json.out, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==,
                   "canceled");

  run_cli_env (&unknown, INP_TEST_TOKEN, base, "get", "nosuchprediction", NULL);
  g_assert_cmpint (unknown.status, ==, 3);

  inp_test_assert_token_kept (sandbox);
  inp_sandbox_stop (sandbox);
}

static void
test_interrupt (void)
{
  g_autoptr(InpSandbox) sandbox = inp_test_sandbox_start ("/v1");
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (INP_TEST_TOKEN,
                                                          inp_sandbox_get_base_url (sandbox));
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  inp_sandbox_set_model_time (sandbox, 60000);
  process = g_subprocess_launcher_spawn (launcher, &error, cli_path (), "run", "stability-ai/sdxl",
                                         "prompt=a slow fox", "--wait", "0", "-o", dir, NULL);
  g_assert_no_error (error);

  /* Once it is polling, the prediction is running on the service. */
  while (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_GET) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CANCEL), ==, 1);

  inp_sandbox_stop (sandbox);
  inp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  keyring_dir = inp_test_make_temp_dir ();
  data_home = g_build_filename (keyring_dir, "data", NULL);

  g_test_add_func ("/cli/models", test_models);
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/run-sandbox", test_run_sandbox);
  g_test_add_func ("/cli/run-file-input", test_run_file_input);
  g_test_add_func ("/cli/validation", test_validation);
  g_test_add_func ("/cli/failed", test_failed);
  g_test_add_func ("/cli/history", test_history);
  g_test_add_func ("/cli/service-errors", test_service_errors);
  g_test_add_func ("/cli/base-url-sources", test_base_url_sources);
  g_test_add_func ("/cli/json", test_json);
  g_test_add_func ("/cli/get-and-cancel", test_get_and_cancel);
  g_test_add_func ("/cli/interrupt", test_interrupt);

  ret = g_test_run ();
  inp_test_remove_tree (keyring_dir);
  g_free (keyring_dir);
  return ret;
}
