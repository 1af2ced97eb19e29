/* test-job-queue.c: jobs run a few at a time, against the sandbox over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-error.h"
#include "inp-job-queue.h"
#include "inp-test-models.h"
#include "inp-test-network.h"
#include "inp-test-sandbox.h"
#include "inp-test-utils.h"

typedef struct
{
  InpSandbox *sandbox;
  InpClient  *client;
  char       *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->sandbox = inp_test_sandbox_start ("/v1");
  fixture->client = inp_test_client_new (fixture->sandbox);
  fixture->dir = inp_test_make_temp_dir ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  inp_test_assert_finalized_soon (g_steal_pointer (&fixture->client));
  inp_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

typedef struct
{
  guint     finished;
  guint     max_seen;
  GPtrArray *order;
} Watch;

static void
job_finished_cb (InpJobQueue *queue,
                 InpJob      *job,
                 Watch       *watch)
{
  watch->finished++;
  g_ptr_array_add (watch->order, job);
}

static void
n_running_cb (InpJobQueue *queue,
              GParamSpec  *pspec,
              Watch       *watch)
{
  watch->max_seen = MAX (watch->max_seen, inp_job_queue_get_n_running (queue));
}

static void
wait_finished (Watch *watch,
               guint  count)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (watch->finished < count)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %u finished jobs (have %u)", count, watch->finished);
      g_main_context_iteration (NULL, TRUE);
    }
}

static InpJob *
new_job (Fixture    *fixture,
         const char *model_id,
         const char *prompt)
{
  InpModel *model = inp_test_lookup_model (model_id);
  InpJob *job = inp_test_job_for_model (fixture->client, model, fixture->dir);

  if (prompt != NULL)
    json_object_set_string_member (inp_job_get_values (job), "prompt", prompt);

  return job;
}

static void
test_limit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(InpJobQueue) queue = inp_job_queue_new (2);
  Watch watch = { 0, 0, g_ptr_array_new () };
  InpJob *jobs[4];

  g_signal_connect (queue, "job-finished", G_CALLBACK (job_finished_cb), &watch);
  g_signal_connect (queue, "notify::n-running", G_CALLBACK (n_running_cb), &watch);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      jobs[i] = new_job (fixture, "stability-ai/sdxl", NULL);
      inp_job_queue_add (queue, jobs[i]);
      g_object_unref (jobs[i]);
    }

  /* Newest first; only two run, the others wait their turn. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 4);
  g_assert_true (g_list_model_get_item (G_LIST_MODEL (queue), 0) == (gpointer) jobs[3]);
  g_object_unref (jobs[3]);
  g_assert_cmpuint (inp_job_queue_get_n_running (queue), ==, 2);
  g_assert_false (inp_job_queue_is_waiting (queue, jobs[0]));
  g_assert_true (inp_job_queue_is_waiting (queue, jobs[2]));
  g_assert_true (inp_job_queue_is_waiting (queue, jobs[3]));
  g_assert_cmpfloat (inp_job_queue_get_elapsed (queue, jobs[3]), ==, 0);

  wait_finished (&watch, 4);
  g_assert_cmpuint (watch.max_seen, ==, 2);
  g_assert_cmpuint (inp_job_queue_get_n_running (queue), ==, 0);
  /* The waiting ones started oldest first. */
  g_assert_true (g_ptr_array_index (watch.order, 3) == jobs[3]
                 || g_ptr_array_index (watch.order, 3) == jobs[2]);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      GPtrArray *paths = inp_job_get_output_paths (jobs[i]);

      g_assert_cmpint (inp_job_get_state (jobs[i]), ==, INP_JOB_STATE_SUCCEEDED);
      g_assert_null (inp_job_queue_get_error (queue, jobs[i]));
      g_assert_cmpfloat (inp_job_queue_get_elapsed (queue, jobs[i]), >, 0);
      g_assert_nonnull (paths);
      g_assert_cmpuint (paths->len, >=, 1);
      g_assert_true (g_file_test (g_ptr_array_index (paths, 0), G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 4);

  /* Raising the limit starts waiting jobs at once. */
  inp_job_queue_set_max_running (queue, 1);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(InpJob) job = new_job (fixture, "stability-ai/sdxl", NULL);

      inp_job_queue_add (queue, job);
    }
  g_assert_cmpuint (inp_job_queue_get_n_running (queue), ==, 1);
  inp_job_queue_set_max_running (queue, 3);
  g_assert_cmpuint (inp_job_queue_get_n_running (queue), ==, 3);
  wait_finished (&watch, 7);

  g_ptr_array_unref (watch.order);
  inp_test_assert_finalized_soon (g_steal_pointer (&queue));
}

static void
test_failure_and_retry (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(InpJobQueue) queue = inp_job_queue_new (2);
  Watch watch = { 0, 0, g_ptr_array_new () };
  g_autoptr(InpJob) job = new_job (fixture, "stability-ai/sdxl", "sandbox:nsfw a fox");
  const GError *error;
  InpJob *retried;
  guint id;

  g_signal_connect (queue, "job-finished", G_CALLBACK (job_finished_cb), &watch);
  inp_job_queue_add (queue, job);
  id = inp_job_queue_get_job_id (queue, job);
  g_assert_cmpuint (id, >, 0);
  g_assert_true (inp_job_queue_lookup_job (queue, id) == job);
  wait_finished (&watch, 1);

  /* The model's own message is kept for the row to show. */
  error = inp_job_queue_get_error (queue, job);
  g_assert_error (error, INP_ERROR, INP_ERROR_PREDICTION_FAILED);
  g_assert_nonnull (strstr (error->message, "NSFW content detected"));
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_FAILED);

  /* Retry replaces the job with a copy that sends exactly the same input. */
  retried = inp_job_queue_retry (queue, job);
  g_assert_true (retried != job);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (inp_job_get_values (retried), "prompt"), ==,
                   "sandbox:nsfw a fox");
  g_assert_true (inp_job_get_model (retried) == inp_job_get_model (job));
  /* What refers to the job by its number now finds the retry. */
  g_assert_cmpuint (inp_job_queue_get_job_id (queue, retried), ==, id);
  g_assert_true (inp_job_queue_lookup_job (queue, id) == retried);
  g_assert_cmpuint (inp_job_queue_get_job_id (queue, job), ==, 0);
  wait_finished (&watch, 2);
  g_assert_true (g_ptr_array_index (watch.order, 1) == retried);
  g_assert_error (inp_job_queue_get_error (queue, retried), INP_ERROR,
                  INP_ERROR_PREDICTION_FAILED);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 2);

  g_ptr_array_unref (watch.order);
  inp_test_assert_finalized_soon (g_steal_pointer (&queue));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(InpJobQueue) queue = inp_job_queue_new (1);
  Watch watch = { 0, 0, g_ptr_array_new () };
  g_autoptr(InpJob) running = new_job (fixture, "stability-ai/sdxl", "sandbox:slow a fox");
  g_autoptr(InpJob) waiting = new_job (fixture, "stability-ai/sdxl", NULL);

  g_signal_connect (queue, "job-finished", G_CALLBACK (job_finished_cb), &watch);
  /* Polling rather than a held create, so that the prediction runs on the service. */
  inp_client_set_wait_seconds (fixture->client, 0);
  inp_sandbox_set_model_time (fixture->sandbox, 500);
  inp_job_queue_add (queue, running);
  inp_job_queue_add (queue, waiting);

  /* A waiting job just leaves; nothing was sent for it. */
  inp_job_queue_cancel (queue, waiting);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);

  /* A running job is cancelled on the service once it exists there. */
  while (inp_job_get_state (running) < INP_JOB_STATE_RUNNING)
    g_main_context_iteration (NULL, TRUE);
  inp_job_queue_cancel (queue, running);
  wait_finished (&watch, 1);
  g_assert_cmpint (inp_job_get_state (running), ==, INP_JOB_STATE_CANCELLED);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CANCEL), ==, 1);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 1);
  g_assert_cmpuint (inp_job_queue_get_n_running (queue), ==, 0);

  g_ptr_array_unref (watch.order);
  inp_test_assert_finalized_soon (g_steal_pointer (&queue));
}

static void
online_changed_cb (InpJobQueue *queue,
                   GParamSpec  *pspec,
                   guint       *changes)
{
  (*changes)++;
}

/* Offline, jobs for the network wait instead of failing, and start by themselves when it is
 * back; a job for a service on this machine runs regardless. */
static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(InpJobQueue) queue = inp_job_queue_new (2);
  g_autoptr(GNetworkMonitor) monitor = inp_test_network_monitor_new (FALSE);
  g_autoptr(InpClient) local_client = inp_test_client_new (fixture->sandbox);
  Watch watch = { 0, 0, g_ptr_array_new () };
  g_autoptr(InpJob) remote = new_job (fixture, "stability-ai/sdxl", "a fox");
  g_autoptr(InpJob) dropped = new_job (fixture, "stability-ai/sdxl", "a hare");
  g_autoptr(InpJob) local = NULL;
  guint changes = 0;

  inp_endpoint_set_needs_network (inp_client_get_endpoint (local_client), FALSE);
  local = inp_test_job_for_model (local_client, inp_test_lookup_model ("stability-ai/sdxl"),
                                  fixture->dir);
  g_signal_connect (queue, "job-finished", G_CALLBACK (job_finished_cb), &watch);
  g_signal_connect (queue, "notify::online", G_CALLBACK (online_changed_cb), &changes);

  g_assert_true (inp_job_queue_get_online (queue));
  inp_job_queue_set_network_monitor (queue, monitor);
  g_assert_true (inp_job_queue_get_network_monitor (queue) == monitor);
  g_assert_false (inp_job_queue_get_online (queue));
  g_assert_cmpuint (changes, ==, 1);

  inp_job_queue_add (queue, remote);
  inp_job_queue_add (queue, dropped);
  inp_job_queue_add (queue, local);
  g_assert_true (inp_job_queue_is_waiting_for_network (queue, remote));
  g_assert_false (inp_job_queue_is_waiting (queue, remote));
  g_assert_false (inp_job_queue_is_waiting_for_network (queue, local));
  g_assert_cmpuint (inp_job_queue_get_n_running (queue), ==, 1);

  /* A waiting job can still be cancelled: it leaves without a trace. */
  inp_job_queue_cancel (queue, dropped);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);

  wait_finished (&watch, 1);
  g_assert_true (g_ptr_array_index (watch.order, 0) == local);
  g_assert_cmpint (inp_job_get_state (local), ==, INP_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (inp_job_get_state (remote), ==, INP_JOB_STATE_READY);
  g_assert_true (inp_job_queue_is_waiting_for_network (queue, remote));
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 1);

  inp_test_network_monitor_set_available (INP_TEST_NETWORK_MONITOR (monitor), TRUE);
  g_assert_true (inp_job_queue_get_online (queue));
  g_assert_false (inp_job_queue_is_waiting_for_network (queue, remote));
  g_assert_cmpint (inp_job_get_state (remote), >, INP_JOB_STATE_READY);
  wait_finished (&watch, 2);
  g_assert_cmpint (inp_job_get_state (remote), ==, INP_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 2);
  g_assert_cmpuint (changes, ==, 2);

  /* Without a monitor the queue is simply online. */
  inp_test_network_monitor_set_available (INP_TEST_NETWORK_MONITOR (monitor), FALSE);
  g_assert_false (inp_job_queue_get_online (queue));
  inp_job_queue_set_network_monitor (queue, NULL);
  g_assert_true (inp_job_queue_get_online (queue));

  g_ptr_array_unref (watch.order);
  inp_test_assert_finalized_soon (g_steal_pointer (&queue));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/job-queue/limit", Fixture, NULL, fixture_set_up, test_limit,
              fixture_tear_down);
  g_test_add ("/core/job-queue/failure-and-retry", Fixture, NULL, fixture_set_up,
              test_failure_and_retry, fixture_tear_down);
  g_test_add ("/core/job-queue/cancel", Fixture, NULL, fixture_set_up, test_cancel,
              fixture_tear_down);
  g_test_add ("/core/job-queue/offline", Fixture, NULL, fixture_set_up, test_offline,
              fixture_tear_down);

  return g_test_run ();
}
