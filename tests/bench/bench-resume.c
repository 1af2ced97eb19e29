/* bench-resume.c: what keeping jobs in the library costs, as JSON lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - job-record-overhead: jobs with zero model time run against the sandbox, with and without a
 *   library (the job row, its steps, and each output synced and renamed into place);
 * - resume: a library left with unfinished jobs whose predictions have ended on the service,
 *   settled by one resume: outputs fetched, stored and the jobs marked done.
 */

#include "config.h"

#include "inp-catalog.h"
#include "inp-resume.h"
#include "inp-test-sandbox.h"
#include "inp-test-utils.h"

#define RUNS 40
#define UNFINISHED_JOBS 40

static InpJob *
small_job (InpClient  *client,
           InpLibrary *library,
           const char *dir)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/sdxl");
  g_autoptr(JsonObject) values = json_object_new ();
  InpJob *job;

  json_object_set_string_member (values, "prompt", "a fox");
  json_object_set_int_member (values, "width", 64);
  json_object_set_int_member (values, "height", 64);
  job = inp_job_new (client, model, values, dir);
  inp_job_set_library (job, library);

  return job;
}

static double
run_ms (InpClient  *client,
        InpLibrary *library,
        const char *dir)
{
  g_autoptr(InpJob) job = small_job (client, library, dir);
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  paths = inp_test_run_job (job, NULL, &error);
  g_assert_no_error (error);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
bench_record_overhead (InpSandbox *sandbox,
                       InpClient  *client,
                       const char *dir)
{
  g_autofree char *outputs = g_build_filename (dir, "outputs", NULL);
  g_autofree char *path = g_build_filename (dir, "record", "library.db", NULL);
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(GArray) with = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) without = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  double with_median;
  double without_median;

  library = inp_library_new (path, &error);
  g_assert_no_error (error);

  /* Interleaved, so that both see the same machine. */
  for (guint i = 0; i < RUNS; i++)
    {
      double ms = run_ms (client, NULL, outputs);

      g_array_append_val (without, ms);
      ms = run_ms (client, library, outputs);
      g_array_append_val (with, ms);
    }

  with_median = inp_test_percentile (with, 0.5);
  without_median = inp_test_percentile (without, 0.5);
  g_print ("{\"bench\":\"job-record-overhead\",\"runs\":%u,\"median_ms\":%.2f,\"p95_ms\":%.2f,"
           "\"with_library_median_ms\":%.2f,\"without_library_median_ms\":%.2f}\n",
           RUNS, with_median - without_median,
           inp_test_percentile (with, 0.95) - inp_test_percentile (without, 0.95),
           with_median, without_median);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  InpPrediction **prediction = user_data;
  g_autoptr(GError) error = NULL;

  *prediction = inp_client_create_finish (INP_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static void
bench_resume (InpSandbox *sandbox,
              InpClient  *client,
              const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "resume", "library.db", NULL);
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/sdxl");
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(InpResume) resume = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) settled = NULL;
  g_autoptr(GError) error = NULL;
  InpLibraryQuery query = { .statuses = INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_SUCCEEDED) };
  gint64 start;
  double total_ms;

  library = inp_library_new (path, &error);
  g_assert_no_error (error);

  /* Jobs left as a crash leaves them: sent, followed up to "processing", then nothing. */
  for (guint i = 0; i < UNFINISHED_JOBS; i++)
    {
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(JsonNode) inputs = NULL;
      g_autoptr(InpPrediction) prediction = NULL;
      gint64 job_id;

      json_object_set_string_member (input, "prompt", "a fox");
      json_object_set_int_member (input, "width", 64);
      json_object_set_int_member (input, "height", 64);
      inputs = json_node_init_object (json_node_alloc (), input);
      job_id = inp_library_create_job (library, inp_model_get_id (model),
                                       inp_model_get_version (model),
                                       inp_sandbox_get_base_url (sandbox), "a fox", inputs,
                                       &error);
      g_assert_no_error (error);

      inp_client_create_by_version_async (client, inp_model_get_version (model), input, NULL,
                                          created_cb, &prediction);
      while (prediction == NULL)
        g_main_context_iteration (NULL, TRUE);
      inp_library_set_prediction_id (library, job_id, inp_prediction_get_id (prediction), &error);
      g_assert_no_error (error);
      inp_library_update_status (library, job_id, INP_LIBRARY_JOB_STATUS_PROCESSING, NULL, &error);
      g_assert_no_error (error);
    }

  resume = inp_resume_new (library);
  inp_resume_add_client (resume, client);
  start = g_get_monotonic_time ();
  inp_resume_run_async (resume, NULL, inp_test_result_cb, &result);
  inp_resume_run_finish (resume, inp_test_wait_result (&result, 120000), &error);
  total_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_no_error (error);

  settled = inp_library_list_jobs (library, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (settled->len, ==, UNFINISHED_JOBS);

  g_print ("{\"bench\":\"resume\",\"jobs\":%u,\"total_ms\":%.1f,\"per_job_ms\":%.2f}\n",
           UNFINISHED_JOBS, total_ms, total_ms / UNFINISHED_JOBS);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(InpSandbox) sandbox = NULL;
  g_autoptr(InpClient) client = NULL;
  g_autofree char *dir = NULL;

  g_test_init (&argc, &argv, NULL);
  sandbox = inp_test_sandbox_start ("/v1");
  inp_sandbox_set_model_time (sandbox, 0);
  client = inp_test_client_new (sandbox);
  dir = inp_test_make_temp_dir ();

  bench_record_overhead (sandbox, client, dir);
  bench_resume (sandbox, client, dir);

  inp_sandbox_stop (sandbox);
  inp_test_remove_tree (dir);

  return 0;
}
