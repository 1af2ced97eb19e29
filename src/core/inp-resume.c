/* inp-resume.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Resuming never creates a prediction: a job that has no prediction id may or may not have
 * reached the service, and creating it again could bill the user twice. It is marked not sent,
 * for the user to run again.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "inp-error.h"
#include "inp-job-record.h"
#include "inp-resume.h"

struct _InpResume
{
  GObject     parent_instance;

  InpLibrary *library;
  GPtrArray  *clients;
  guint       n_jobs;
  guint       n_settled;
  GTask      *task;
};

G_DEFINE_FINAL_TYPE (InpResume, inp_resume, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_JOBS,
  PROP_N_SETTLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  JOB_STARTED,
  JOB_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One job being taken up. */
typedef struct
{
  InpResume     *resume;
  InpLibraryJob *job;
  InpClient     *client;
  InpJobRecord  *record;
  InpPrediction *prediction;
  char          *download_dir;
} ResumeJob;

static void
resume_job_free (ResumeJob *rj)
{
  /* The downloads were copied into the library, or are to be fetched again. */
  if (rj->download_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (rj->download_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (rj->download_dir, name, NULL);

          g_remove (path);
        }
      g_rmdir (rj->download_dir);
      g_free (rj->download_dir);
    }

  g_clear_object (&rj->resume);
  g_clear_object (&rj->job);
  g_clear_object (&rj->client);
  g_clear_object (&rj->record);
  g_clear_object (&rj->prediction);
  g_free (rj);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ResumeJob, resume_job_free)

/**
 * inp_resume_new:
 * @library: the library whose unfinished jobs are to be settled
 *
 * Returns: (transfer full): a resumer with no clients yet; see inp_resume_add_client().
 */
InpResume *
inp_resume_new (InpLibrary *library)
{
  InpResume *self;

  g_return_val_if_fail (INP_IS_LIBRARY (library), NULL);

  self = g_object_new (INP_TYPE_RESUME, NULL);
  self->library = g_object_ref (library);

  return self;
}

/**
 * inp_resume_add_client:
 * @client: a client for one endpoint
 *
 * Jobs recorded for @client's endpoint host are followed through it. Jobs of a host that no
 * client serves stay unfinished, and are reported with an error; except those of a loopback
 * host, which ran on a sandbox that has stopped since: they are expired.
 */
void
inp_resume_add_client (InpResume *self,
                       InpClient *client)
{
  g_return_if_fail (INP_IS_RESUME (self));
  g_return_if_fail (INP_IS_CLIENT (client));

  g_ptr_array_add (self->clients, g_object_ref (client));
}

/**
 * inp_resume_get_n_jobs:
 *
 * Returns: how many unfinished jobs the run found.
 */
guint
inp_resume_get_n_jobs (InpResume *self)
{
  g_return_val_if_fail (INP_IS_RESUME (self), 0);

  return self->n_jobs;
}

/**
 * inp_resume_get_n_settled:
 *
 * Returns: how many of them have been dealt with so far, whatever the outcome.
 */
guint
inp_resume_get_n_settled (InpResume *self)
{
  g_return_val_if_fail (INP_IS_RESUME (self), 0);

  return self->n_settled;
}

static InpClient *
client_for_host (InpResume  *self,
                 const char *host)
{
  for (guint i = 0; host != NULL && i < self->clients->len; i++)
    {
      InpClient *client = g_ptr_array_index (self->clients, i);
      InpEndpoint *endpoint = inp_client_get_endpoint (client);
      g_autofree char *client_host =
        inp_library_endpoint_host (inp_endpoint_get_base_url (endpoint));

      if (g_ascii_strcasecmp (client_host, host) == 0)
        return client;
    }

  return NULL;
}

/* The built-in sandbox serves on loopback and lives only as long as the program that started it. */
static gboolean
is_loopback_host (const char *host)
{
  return host != NULL && (g_str_has_prefix (host, "127.") || g_str_has_prefix (host, "[::1]")
                          || g_str_equal (host, "localhost")
                          || g_str_has_prefix (host, "localhost:"));
}

static void
job_done (ResumeJob    *rj,
          const GError *error)
{
  g_autoptr(ResumeJob) owned = rj;
  InpResume *self = rj->resume;
  g_autoptr(InpLibraryJob) job = NULL;
  gint64 job_id = inp_library_job_get_id (rj->job);

  job = inp_library_get_job (self->library, job_id, NULL);
  if (job == NULL)
    job = g_object_ref (rj->job);

  g_debug ("resume: job %" G_GINT64_FORMAT " is %s%s%s", job_id,
           inp_library_job_status_to_string (inp_library_job_get_status (job)),
           error != NULL ? ": " : "", error != NULL ? error->message : "");

  self->n_settled++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SETTLED]);
  g_signal_emit (self, signals[JOB_FINISHED], 0, job, error);

  if (self->n_settled == self->n_jobs)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      if (!g_task_return_error_if_cancelled (task))
        g_task_return_boolean (task, TRUE);
    }
}

/* Records what an error means for the job, unless the resume itself was stopped: then the job is
 * left exactly as it was, to be taken up next time. */
static void
job_failed (ResumeJob *rj,
            GError    *error)
{
  g_autoptr(GError) owned = error;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    inp_job_record_fail (rj->record, error);

  job_done (rj, inp_library_job_status_is_finished (inp_job_record_get_status (rj->record))
                  ? NULL : error);
}

static GCancellable *
job_cancellable (ResumeJob *rj)
{
  return g_task_get_cancellable (rj->resume->task);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ResumeJob *rj = user_data;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GError) error = NULL;

  /* A failed store has already left the job to be fetched again, with the reason. */
  outputs = inp_job_record_store_files_finish (INP_JOB_RECORD (source), result, &error);
  job_done (rj, error);
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ResumeJob *rj = user_data;
  g_autoptr(GPtrArray) paths = NULL;
  GError *error = NULL;

  paths = inp_client_download_outputs_finish (INP_CLIENT (source), result, &error);
  if (paths == NULL)
    {
      job_failed (rj, error);
      return;
    }

  inp_job_record_store_files_async (rj->record, paths, job_cancellable (rj), stored_cb, rj);
}

static void
fetch_outputs (ResumeJob *rj)
{
  g_autoptr(GPtrArray) files = inp_prediction_dup_file_outputs (rj->prediction);
  GError *error = NULL;

  /* A crash after the last output was stored, before the job was marked done. Outputs the user
   * deleted meanwhile were stored too, and are not to come back. */
  if (files->len > 0 &&
      inp_library_job_get_n_outputs (rj->job) + inp_library_job_get_n_deleted_outputs (rj->job)
        == files->len)
    {
      inp_job_record_set_status (rj->record, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL);
      job_done (rj, NULL);
      return;
    }

  rj->download_dir = g_dir_make_tmp ("inpainter-resume-XXXXXX", &error);
  if (rj->download_dir == NULL)
    {
      g_autoptr(GError) dir_error = error;

      job_failed (rj, g_error_new (INP_ERROR, INP_ERROR_FAILED,
                                   _("No temporary folder could be made for the outputs: %s"),
                                   dir_error->message));
      return;
    }

  inp_client_download_outputs_async (rj->client, rj->prediction, rj->download_dir,
                                     job_cancellable (rj), downloaded_cb, rj);
}

static void
prediction_settled (ResumeJob *rj)
{
  /* Failed and cancelled predictions have been recorded as such by the record. */
  if (inp_prediction_get_status (rj->prediction) == INP_PREDICTION_STATUS_SUCCEEDED)
    fetch_outputs (rj);
  else
    job_done (rj, NULL);
}

static void
followed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ResumeJob *rj = user_data;
  GError *error = NULL;

  if (!inp_client_follow_finish (INP_CLIENT (source), result, &error))
    {
      job_failed (rj, error);
      return;
    }

  prediction_settled (rj);
}

static void
got_prediction_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ResumeJob *rj = user_data;
  GError *error = NULL;

  rj->prediction = inp_client_get_prediction_finish (INP_CLIENT (source), result, &error);
  if (rj->prediction == NULL)
    {
      if (g_error_matches (error, INP_ERROR, INP_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          inp_job_record_set_status (rj->record, INP_LIBRARY_JOB_STATUS_EXPIRED,
                                     _("The service no longer has this prediction. It keeps "
                                       "predictions and their outputs for about an hour."));
          job_done (rj, NULL);
          return;
        }

      job_failed (rj, error);
      return;
    }

  inp_job_record_track (rj->record, rj->prediction);
  if (inp_prediction_is_terminal (rj->prediction))
    {
      prediction_settled (rj);
      return;
    }

  inp_client_follow_async (rj->client, rj->prediction, job_cancellable (rj), followed_cb, rj);
}

static void
start_job (InpResume     *self,
           InpLibraryJob *job)
{
  ResumeJob *rj = g_new0 (ResumeJob, 1);
  const char *prediction_id = inp_library_job_get_prediction_id (job);
  const char *host = inp_library_job_get_endpoint_host (job);

  rj->resume = g_object_ref (self);
  rj->job = g_object_ref (job);
  rj->record = inp_job_record_new_for_job (self->library, job);
  g_signal_emit (self, signals[JOB_STARTED], 0, job);

  if (prediction_id == NULL)
    {
      inp_job_record_set_status (rj->record, INP_LIBRARY_JOB_STATUS_NOT_SENT,
                                 _("Inpainter stopped before the service confirmed this job, so "
                                   "there is nothing to follow. It can be run again."));
      job_done (rj, NULL);
      return;
    }

  rj->client = client_for_host (self, host);
  if (rj->client == NULL && is_loopback_host (host))
    {
      inp_job_record_set_status (rj->record, INP_LIBRARY_JOB_STATUS_EXPIRED,
                                 _("This job ran on a simulated service on this computer, which "
                                   "has stopped since, and its prediction with it."));
      job_done (rj, NULL);
      return;
    }
  if (rj->client == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (host != NULL)
        error = g_error_new (INP_ERROR, INP_ERROR_NO_TOKEN,
                             /* Translators: %s is an API address, such as “https://…/v1” */
                             _("This job was sent to %s, which is not the service in use now. "
                               "It stays unfinished until Inpainter connects to it again."),
                             host);
      else
        error = g_error_new_literal (INP_ERROR, INP_ERROR_NO_TOKEN,
                                     _("This job does not say which service it was sent to, so "
                                       "it cannot be followed."));

      job_done (rj, error);
      return;
    }
  g_object_ref (rj->client);

  g_debug ("resume: following job %" G_GINT64_FORMAT " (prediction %s)",
           inp_library_job_get_id (job), prediction_id);
  inp_client_get_prediction_async (rj->client, prediction_id, job_cancellable (rj),
                                   got_prediction_cb, rj);
}

/**
 * inp_resume_run_async:
 * @cancellable: (nullable): stops resuming; the jobs not settled yet stay as they were
 *
 * Takes up every unfinished job of the library at once: a job with a prediction id is read
 * again from the service, followed until it ends, and its outputs stored (or it is marked
 * failed, cancelled or expired with the reason); a job without one is marked not sent. Emits
 * #InpResume::job-started and #InpResume::job-finished for each.
 */
void
inp_resume_run_async (InpResume           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  GError *error = NULL;

  g_return_if_fail (INP_IS_RESUME (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_resume_run_async);

  jobs = inp_library_list_unfinished (self->library, &error);
  if (jobs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self->n_jobs = jobs->len;
  self->n_settled = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_JOBS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SETTLED]);
  if (jobs->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->task = g_steal_pointer (&task);
  for (guint i = 0; i < jobs->len; i++)
    start_job (self, g_ptr_array_index (jobs, i));
}

/**
 * inp_resume_run_finish:
 *
 * Returns: %TRUE once every job has been dealt with (each job's own outcome came with
 *   #InpResume::job-finished); %FALSE when the library could not be read or the run was
 *   cancelled.
 */
gboolean
inp_resume_run_finish (InpResume     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (INP_IS_RESUME (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
inp_resume_dispose (GObject *object)
{
  InpResume *self = INP_RESUME (object);

  g_assert (self->task == NULL);
  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (inp_resume_parent_class)->dispose (object);
}

static void
inp_resume_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  InpResume *self = INP_RESUME (object);

  switch (prop_id)
    {
    case PROP_N_JOBS:
      g_value_set_uint (value, self->n_jobs);
      break;

    case PROP_N_SETTLED:
      g_value_set_uint (value, self->n_settled);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_resume_class_init (InpResumeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = inp_resume_dispose;
  object_class->get_property = inp_resume_get_property;

  properties[PROP_N_JOBS] = g_param_spec_uint ("n-jobs", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_SETTLED] = g_param_spec_uint ("n-settled", NULL, NULL, 0, G_MAXUINT, 0,
                                                  flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InpResume::job-started:
   * @job: the unfinished job, as the library had it
   */
  signals[JOB_STARTED] =
    g_signal_new ("job-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, INP_TYPE_LIBRARY_JOB);

  /**
   * InpResume::job-finished:
   * @job: the job as the library has it now
   * @error: (nullable): why it is still unfinished (network, token, disk full…); %NULL when it
   *   settled, as succeeded, failed, cancelled, expired or not sent
   */
  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, INP_TYPE_LIBRARY_JOB, G_TYPE_ERROR);
}

static void
inp_resume_init (InpResume *self)
{
  self->clients = g_ptr_array_new_with_free_func (g_object_unref);
}
