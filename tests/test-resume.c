/* test-resume.c: inpainter-cli killed at every point of a run, then resumed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built inpainter-cli runs against a sandbox in this process, with a slow model. It is
 * stopped at a named point of the run (INPAINTER_DEBUG_PAUSE_AT makes it say so on stderr and
 * wait), killed with SIGKILL, and then `inpainter-cli resume` settles the library. Every job must
 * end complete, with its files on disk, or clearly marked, and the sandbox must have seen exactly
 * one create per job.
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <glib/gstdio.h>

#include "inp-catalog.h"
#include "inp-debug.h"
#include "inp-error.h"
#include "inp-library-private.h"
#include "inp-resume.h"
#include "inp-test-sandbox.h"
#include "inp-test-utils.h"

typedef struct
{
  InpSandbox *sandbox;
  char       *dir;
  char       *data_home;
  char       *library_path;
  char       *outputs;
  char       *image;
  char       *mask;
} Fixture;

typedef struct
{
  const char          *point;
  const char          *wait;
  const char          *model;
  gboolean             with_files;
  InpLibraryJobStatus  status;
  guint                n_outputs;
} Case;

static void
write_png (const char *path,
           gboolean    mask)
{
  g_autoptr(GBytes) png = inp_test_png_bytes (64, 64, mask);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->sandbox = inp_test_sandbox_start ("/v1");
  /* "sandbox:slow" in the prompt makes it ten times longer: about a second. */
  inp_sandbox_set_model_time (fixture->sandbox, 100);
  fixture->dir = inp_test_make_temp_dir ();
  fixture->data_home = g_build_filename (fixture->dir, "data", NULL);
  fixture->library_path = g_build_filename (fixture->data_home, "inpainter", "library.db", NULL);
  fixture->outputs = g_build_filename (fixture->dir, "outputs", NULL);
  fixture->image = g_build_filename (fixture->dir, "photo.png", NULL);
  fixture->mask = g_build_filename (fixture->dir, "mask.png", NULL);
  write_png (fixture->image, FALSE);
  write_png (fixture->mask, TRUE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  inp_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->data_home);
  g_free (fixture->library_path);
  g_free (fixture->outputs);
  g_free (fixture->image);
  g_free (fixture->mask);
}

static GSubprocessLauncher *
launcher_new (Fixture          *fixture,
              GSubprocessFlags  flags,
              const char       *pause_at)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "REPLICATE_API_TOKEN", INP_TEST_TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "INPAINTER_BASE_URL", "", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_home, TRUE);
  if (pause_at != NULL)
    g_subprocess_launcher_setenv (launcher, "INPAINTER_DEBUG_PAUSE_AT", pause_at, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "INPAINTER_DEBUG_PAUSE_AT");

  return launcher;
}

/* Runs `inpainter-cli run` until it stops at @test_case's point, and kills it there. */
static void
run_and_kill (Fixture    *fixture,
              const Case *test_case)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (fixture, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                  test_case->point);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("inpainter: paused at %s", test_case->point);
  gboolean paused = FALSE;

  g_ptr_array_add (argv, g_strdup (g_getenv ("INPAINTER_CLI")));
  g_ptr_array_add (argv, g_strdup ("run"));
  g_ptr_array_add (argv, g_strdup (test_case->model));
  g_ptr_array_add (argv, g_strdup ("prompt=a lighthouse at dusk sandbox:slow"));
  if (test_case->with_files)
    {
      g_ptr_array_add (argv, g_strdup_printf ("image=@%s", fixture->image));
      g_ptr_array_add (argv, g_strdup_printf ("mask=@%s", fixture->mask));
    }
  if (test_case->n_outputs > 1)
    g_ptr_array_add (argv, g_strdup_printf ("num_outputs=%u", test_case->n_outputs));
  g_ptr_array_add (argv, g_strdup ("--base-url"));
  g_ptr_array_add (argv, g_strdup (inp_sandbox_get_base_url (fixture->sandbox)));
  g_ptr_array_add (argv, g_strdup ("--wait"));
  g_ptr_array_add (argv, g_strdup (test_case->wait));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (fixture->outputs));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* The sandbox answers from its own thread, so blocking here on the pipe is fine. */
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  while (!paused)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("inpainter-cli ended before pausing at %s:\n%s", test_case->point, seen->str);
      g_string_append_printf (seen, "%s\n", line);
      paused = g_str_equal (line, expected);
    }

  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
}

/* Runs `inpainter-cli resume` to its end; returns its exit status. */
static int
resume_cli (Fixture  *fixture,
            char    **out,
            char    **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("INPAINTER_CLI"), "resume",
                                         "--base-url", inp_sandbox_get_base_url (fixture->sandbox),
                                         NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("resume: exit %d\nstdout: %s\nstderr: %s",
                  g_subprocess_get_exit_status (process), *out, *err);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static InpLibraryJob *
the_only_job (InpLibrary *library)
{
  InpLibraryQuery query = { 0, };
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = inp_library_list_jobs (library, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);

  return g_object_ref (g_ptr_array_index (jobs, 0));
}

static InpLibrary *
open_library (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  InpLibrary *library = inp_library_new (fixture->library_path, &error);

  g_assert_no_error (error);
  return library;
}

/* Runs a job until its model is running there, kills it, and opens the library it left. */
static InpLibrary *
kill_while_running (Fixture *fixture)
{
  const Case polling = { INP_DEBUG_POINT_POLLING, "0", "stability-ai/sdxl", FALSE, 0, 1 };

  run_and_kill (fixture, &polling);
  return open_library (fixture);
}

static guint
count_temporary_files (GFile *directory)
{
  g_autofree char *path = g_file_get_path (directory);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".tmp"))
      count++;

  return count;
}

/* Each output is whole: on disk, of the recorded size and sha256, with its provenance. */
static void
assert_outputs_complete (InpLibrary    *library,
                         InpLibraryJob *job,
                         guint          n_outputs)
{
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GError) error = NULL;

  outputs = inp_library_list_outputs (library, inp_library_job_get_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, n_outputs);

  for (guint i = 0; i < outputs->len; i++)
    {
      InpLibraryOutput *output = g_ptr_array_index (outputs, i);
      g_autofree char *path = g_file_get_path (inp_library_output_get_file (output));
      g_autofree char *contents = NULL;
      g_autofree char *sha256 = NULL;
      g_autoptr(InpProvenance) provenance = NULL;
      gsize length;

      g_assert_cmpuint (inp_library_output_get_index (output), ==, i);
      g_assert_false (g_str_has_suffix (path, ".tmp"));
      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (length, ==, inp_library_output_get_size (output));
      sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
      g_assert_cmpstr (sha256, ==, inp_library_output_get_sha256 (output));
      g_assert_cmpint (inp_library_output_get_width (output), >, 0);

      provenance = inp_provenance_read_file (path, &error);
      g_assert_no_error (error);
      g_assert_true (provenance->ai_generated);
      g_assert_cmpstr (provenance->prompt, ==, "a lighthouse at dusk sandbox:slow");
      g_assert_cmpstr (provenance->model, ==, inp_library_job_get_model (job));
    }

  g_assert_cmpuint (count_temporary_files (inp_library_job_get_directory (job)), ==, 0);
}

/* The token never reaches the library: neither the database nor its write-ahead log. */
static void
assert_no_token_in_library (Fixture *fixture)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (fixture->library_path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      g_assert_null (g_strstr_len (contents, length, INP_TEST_TOKEN));
    }
}

static const Case cases[] = {
  { INP_DEBUG_POINT_BEFORE_CREATE, "60", "stability-ai/sdxl", TRUE,
    INP_LIBRARY_JOB_STATUS_NOT_SENT, 2 },
  { INP_DEBUG_POINT_AFTER_CREATE, "0", "stability-ai/sdxl", FALSE,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED, 2 },
  { INP_DEBUG_POINT_AFTER_CREATE, "60", "stability-ai/sdxl", FALSE,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED, 2 },
  { INP_DEBUG_POINT_POLLING, "0", "stability-ai/sdxl", TRUE,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED, 2 },
  { INP_DEBUG_POINT_DOWNLOADING, "0", "stability-ai/sdxl", FALSE,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED, 2 },
  { INP_DEBUG_POINT_DOWNLOADING, "60", "black-forest-labs/flux-fill-dev", TRUE,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED, 1 },
  { INP_DEBUG_POINT_MID_DOWNLOAD, "0", "stability-ai/sdxl", FALSE,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED, 2 },
  { INP_DEBUG_POINT_MID_DOWNLOAD, "0", "black-forest-labs/flux-fill-dev", TRUE,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED, 1 },
  { INP_DEBUG_POINT_STORED, "0", "stability-ai/sdxl", FALSE,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED, 2 },
};

static void
test_kill_and_resume (Fixture       *fixture,
                      gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(InpLibrary) before = NULL;
  g_autoptr(InpLibrary) after = NULL;
  g_autoptr(InpLibraryJob) killed = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean sent = !g_str_equal (test_case->point, INP_DEBUG_POINT_BEFORE_CREATE);
  guint output_gets;
  int status;

  run_and_kill (fixture, test_case);

  /* What the crash left: a recorded job, never a partial output listed as one. */
  before = open_library (fixture);
  killed = the_only_job (before);
  g_assert_false (inp_library_job_status_is_finished (inp_library_job_get_status (killed)));
  g_assert_cmpint (sent, ==, inp_library_job_get_prediction_id (killed) != NULL);
  if (test_case->with_files)
    {
      g_assert_nonnull (inp_library_job_get_image (killed));
      g_assert_nonnull (inp_library_job_get_mask (killed));
    }
  if (g_str_equal (test_case->point, INP_DEBUG_POINT_MID_DOWNLOAD))
    {
      g_assert_cmpuint (inp_library_job_get_n_outputs (killed), ==, 0);
      g_assert_cmpuint (count_temporary_files (inp_library_job_get_directory (killed)), ==, 1);
    }
  if (g_str_equal (test_case->point, INP_DEBUG_POINT_STORED))
    g_assert_cmpuint (inp_library_job_get_n_outputs (killed), ==, test_case->n_outputs);
  g_clear_object (&before);

  output_gets = inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_OUTPUT);
  status = resume_cli (fixture, &out, &err);

  after = open_library (fixture);
  job = the_only_job (after);
  g_assert_cmpint (inp_library_job_get_status (job), ==, test_case->status);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==,
                    sent ? 1 : 0);

  if (test_case->status == INP_LIBRARY_JOB_STATUS_SUCCEEDED)
    {
      g_assert_cmpint (status, ==, 0);
      g_assert_null (inp_library_job_get_error (job));
      assert_outputs_complete (after, job, test_case->n_outputs);
      g_assert_cmpstr (inp_library_job_get_prediction_id (job), ==,
                       inp_library_job_get_prediction_id (killed));
    }
  else
    {
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 0);
      g_assert_nonnull (strstr (inp_library_job_get_error (job), "run again"));
    }

  assert_no_token_in_library (fixture);

  /* Everything was stored before the kill: nothing is fetched again. */
  if (g_str_equal (test_case->point, INP_DEBUG_POINT_STORED))
    g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_OUTPUT), ==,
                      output_gets);

  /* A second resume finds nothing to do. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (resume_cli (fixture, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "");
}

static void
wait_until_completed (InpSandbox *sandbox,
                      const char *prediction_id)
{
  inp_sandbox_mark_done (sandbox, prediction_id);
  for (guint i = 0; inp_sandbox_get_completed_us (sandbox, prediction_id) <= 0; i++)
    {
      g_assert_cmpuint (i, <, 1000);
      g_usleep (10 * 1000);
    }
}

/* The service forgot the outputs while nobody was looking: expired, with the reason. */
static void
test_expired (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(InpLibrary) library = kill_while_running (fixture);
  g_autoptr(InpLibraryJob) killed = the_only_job (library);
  g_autoptr(InpLibraryJob) job = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  wait_until_completed (fixture->sandbox, inp_library_job_get_prediction_id (killed));
  inp_sandbox_expire_outputs (fixture->sandbox);

  g_assert_cmpint (resume_cli (fixture, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "Expired"));
  job = the_only_job (library);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_EXPIRED);
  g_assert_nonnull (strstr (inp_library_job_get_error (job), "about an hour"));
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 0);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 1);
}

/* A prediction the service no longer knows at all. */
static void
test_forgotten (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(InpLibrary) library = kill_while_running (fixture);
  g_autoptr(InpLibraryJob) job = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_GET, INP_SANDBOX_FAULT_PROBLEM, 404, 1);
  g_assert_cmpint (resume_cli (fixture, &out, &err), ==, 1);
  job = the_only_job (library);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_EXPIRED);
  g_assert_nonnull (strstr (inp_library_job_get_error (job), "no longer has this prediction"));
}

/* The service refuses the token: exit 3, and the job is left to be resumed later. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(InpLibrary) library = kill_while_running (fixture);
  g_autoptr(InpLibraryJob) job = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_GET, INP_SANDBOX_FAULT_PROBLEM, 401, 1);
  g_assert_cmpint (resume_cli (fixture, &out, &err), ==, 3);
  job = the_only_job (library);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_PROCESSING);
  g_assert_nonnull (inp_library_job_get_error (job));
  g_clear_object (&job);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (resume_cli (fixture, &out, &err), ==, 0);
  job = the_only_job (library);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_SUCCEEDED);
  assert_outputs_complete (library, job, 1);
}

static int
open_dev_full (const char *path,
               gpointer    user_data)
{
  return open ("/dev/full", O_WRONLY | O_CLOEXEC);
}

static void
job_finished_cb (InpResume     *resume,
                 InpLibraryJob *job,
                 const GError  *error,
                 GError       **last_error)
{
  g_clear_error (last_error);
  if (error != NULL)
    *last_error = g_error_copy (error);
}

/* In this process, so that the library's hook can fill the disk: the job stays to be fetched
 * again, with the reason, and a later resume completes it. */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  const Case downloading = { INP_DEBUG_POINT_DOWNLOADING, "0", "stability-ai/sdxl", FALSE, 0, 2 };
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(InpClient) client = inp_test_client_new (fixture->sandbox);
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) job_error = NULL;

  run_and_kill (fixture, &downloading);
  library = open_library (fixture);

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(InpResume) resume = inp_resume_new (library);
      g_autoptr(GAsyncResult) result = NULL;

      inp_library_set_open_func (library, attempt == 0 ? open_dev_full : NULL, NULL);
      inp_resume_add_client (resume, client);
      g_signal_connect (resume, "job-finished", G_CALLBACK (job_finished_cb), &job_error);
      inp_resume_run_async (resume, NULL, inp_test_result_cb, &result);
      inp_resume_run_finish (resume, inp_test_wait_result (&result, 10000), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (inp_resume_get_n_jobs (resume), ==, 1);
      g_assert_cmpuint (inp_resume_get_n_settled (resume), ==, 1);

      g_clear_object (&job);
      job = the_only_job (library);
      if (attempt == 0)
        {
          g_assert_error (job_error, INP_ERROR, INP_ERROR_FAILED);
          g_assert_cmpint (inp_library_job_get_status (job), ==,
                           INP_LIBRARY_JOB_STATUS_DOWNLOADING);
          g_assert_nonnull (strstr (inp_library_job_get_error (job), "not enough free space"));
          g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 0);
          g_assert_cmpuint (count_temporary_files (inp_library_job_get_directory (job)), ==, 0);
        }
      else
        {
          g_assert_no_error (job_error);
          g_assert_cmpint (inp_library_job_get_status (job), ==,
                           INP_LIBRARY_JOB_STATUS_SUCCEEDED);
          assert_outputs_complete (library, job, 2);
        }
    }

  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 1);
}

static InpJob *
job_new (Fixture    *fixture,
         InpClient  *client,
         InpLibrary *library,
         const char *prompt)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/sdxl");
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GBytes) image = inp_test_png_bytes (64, 64, FALSE);
  g_autoptr(GBytes) mask = inp_test_png_bytes (64, 64, TRUE);
  InpJob *job;

  json_object_set_string_member (values, "prompt", prompt);
  json_object_set_int_member (values, "num_outputs", 2);
  job = inp_job_new (client, model, values, fixture->outputs);
  inp_job_set_file (job, "image", image, "image/png");
  inp_job_set_file (job, "mask", mask, "image/png");
  inp_job_set_library (job, library);

  return job;
}

/* An InpJob given a library records every step of its run, and its outputs with provenance. */
static void
test_record_run (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(InpClient) client = inp_test_client_new (fixture->sandbox);
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(InpJob) job = NULL;
  g_autoptr(InpLibraryJob) recorded = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  InpLibraryJobEvent *event;

  library = open_library (fixture);
  inp_client_set_wait_seconds (client, 0);
  job = job_new (fixture, client, library, "a lighthouse at dusk sandbox:slow");
  paths = inp_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, 2);

  recorded = inp_library_get_job (library, inp_job_get_library_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (recorded), ==, INP_LIBRARY_JOB_STATUS_SUCCEEDED);
  g_assert_cmpstr (inp_library_job_get_prediction_id (recorded), ==,
                   inp_prediction_get_id (inp_job_get_prediction (job)));
  g_assert_true (g_str_has_prefix (inp_library_job_get_endpoint_host (recorded), "127.0.0.1:"));
  g_assert_nonnull (inp_library_job_get_image (recorded));
  g_assert_nonnull (inp_library_job_get_mask (recorded));
  g_assert_nonnull (inp_library_job_get_metrics (recorded));
  assert_outputs_complete (library, recorded, 2);

  /* Recorded before it was sent, then every step in order, each once. */
  history = inp_library_get_history (library, inp_library_job_get_id (recorded), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 5);
  event = g_ptr_array_index (history, 0);
  g_assert_cmpint (event->status, ==, INP_LIBRARY_JOB_STATUS_PENDING);
  event = g_ptr_array_index (history, 1);
  g_assert_cmpint (event->status, ==, INP_LIBRARY_JOB_STATUS_STARTING);
  event = g_ptr_array_index (history, 2);
  g_assert_cmpint (event->status, ==, INP_LIBRARY_JOB_STATUS_PROCESSING);
  event = g_ptr_array_index (history, 3);
  g_assert_cmpint (event->status, ==, INP_LIBRARY_JOB_STATUS_DOWNLOADING);
  event = g_ptr_array_index (history, 4);
  g_assert_cmpint (event->status, ==, INP_LIBRARY_JOB_STATUS_SUCCEEDED);

  assert_no_token_in_library (fixture);
}

static void
state_cb (InpJob     *job,
          GParamSpec *pspec,
          gboolean   *running)
{
  *running = inp_job_get_state (job) == INP_JOB_STATE_RUNNING;
}

/* A job the user cancels is cancelled on the service and recorded as such; one the service
 * refuses is recorded as failed, with the service's reason. */
static void
test_record_cancel_and_refusal (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(InpClient) client = inp_test_client_new (fixture->sandbox);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(InpJob) job = NULL;
  g_autoptr(InpJob) refused = NULL;
  g_autoptr(InpLibraryJob) recorded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  gboolean running = FALSE;

  library = open_library (fixture);
  inp_client_set_wait_seconds (client, 0);

  job = job_new (fixture, client, library, "a lighthouse at dusk sandbox:slow");
  g_signal_connect (job, "notify::state", G_CALLBACK (state_cb), &running);
  inp_job_run_async (job, cancellable, inp_test_result_cb, &result);
  inp_test_wait_for (&running, 10000);
  g_cancellable_cancel (cancellable);
  paths = inp_job_run_finish (job, inp_test_wait_result (&result, 10000), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CANCEL), ==, 1);

  recorded = inp_library_get_job (library, inp_job_get_library_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (recorded), ==, INP_LIBRARY_JOB_STATUS_CANCELED);
  g_assert_cmpuint (inp_library_job_get_n_outputs (recorded), ==, 0);
  g_clear_object (&recorded);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_PROBLEM, 402,
                         1);
  refused = job_new (fixture, client, library, "a lighthouse at dusk");
  paths = inp_test_run_job (refused, NULL, &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_PAYMENT_REQUIRED);
  g_clear_error (&error);
  recorded = inp_library_get_job (library, inp_job_get_library_id (refused), &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (recorded), ==, INP_LIBRARY_JOB_STATUS_FAILED);
  g_assert_null (inp_library_job_get_prediction_id (recorded));
  g_assert_nonnull (inp_library_job_get_error (recorded));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/resume/kill/%s/wait-%s/%s", cases[i].point,
                                               cases[i].wait, cases[i].model);

      g_test_add (path, Fixture, &cases[i], fixture_setup, test_kill_and_resume,
                  fixture_teardown);
    }
  g_test_add ("/core/resume/record/run", Fixture, NULL, fixture_setup, test_record_run,
              fixture_teardown);
  g_test_add ("/core/resume/record/cancel-and-refusal", Fixture, NULL, fixture_setup,
              test_record_cancel_and_refusal, fixture_teardown);
  g_test_add ("/core/resume/expired", Fixture, NULL, fixture_setup, test_expired,
              fixture_teardown);
  g_test_add ("/core/resume/forgotten", Fixture, NULL, fixture_setup, test_forgotten,
              fixture_teardown);
  g_test_add ("/core/resume/refused", Fixture, NULL, fixture_setup, test_refused,
              fixture_teardown);
  g_test_add ("/core/resume/disk-full", Fixture, NULL, fixture_setup, test_disk_full,
              fixture_teardown);

  return g_test_run ();
}
