/* inp-job-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order of the writes is what makes a crash harmless: the prediction id is kept the moment
 * it is known (so a restart follows that prediction instead of creating another), and a job is
 * marked succeeded only after every output has been synced and renamed into place.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-debug.h"
#include "inp-error.h"
#include "inp-job-record.h"

struct _InpJobRecord
{
  GObject              parent_instance;

  InpLibrary          *library;
  gint64               job_id;
  InpProvenance       *provenance;
  InpLibraryJobStatus  status;
  gboolean             has_prediction_id;
  char                *metrics;
  InpPrediction       *prediction;
};

G_DEFINE_FINAL_TYPE (InpJobRecord, inp_job_record, G_TYPE_OBJECT)

/**
 * inp_job_record_new:
 * @library: the library the job is in
 * @job_id: a job just made with inp_library_create_job()
 * @provenance: (nullable): written into each output
 *
 * Returns: (transfer full): a record of a job that has not been sent yet.
 */
InpJobRecord *
inp_job_record_new (InpLibrary          *library,
                    gint64               job_id,
                    const InpProvenance *provenance)
{
  InpJobRecord *self;

  g_return_val_if_fail (INP_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (job_id > 0, NULL);

  self = g_object_new (INP_TYPE_JOB_RECORD, NULL);
  self->library = g_object_ref (library);
  self->job_id = job_id;
  self->provenance = provenance != NULL ? inp_provenance_copy (provenance) : NULL;
  self->status = INP_LIBRARY_JOB_STATUS_PENDING;

  return self;
}

/**
 * inp_job_record_new_for_job:
 * @job: a job read back from @library, to be taken up again
 *
 * Returns: (transfer full): a record that goes on from where @job was left.
 */
InpJobRecord *
inp_job_record_new_for_job (InpLibrary    *library,
                            InpLibraryJob *job)
{
  g_autoptr(InpProvenance) provenance = NULL;
  InpJobRecord *self;

  g_return_val_if_fail (INP_IS_LIBRARY_JOB (job), NULL);

  provenance = inp_provenance_new (inp_library_job_get_model (job),
                                   inp_library_job_get_version (job),
                                   inp_library_job_get_inputs (job));
  if (provenance->prompt == NULL && *inp_library_job_get_prompt (job) != '\0')
    provenance->prompt = g_strdup (inp_library_job_get_prompt (job));

  self = inp_job_record_new (library, inp_library_job_get_id (job), provenance);
  self->status = inp_library_job_get_status (job);
  self->has_prediction_id = inp_library_job_get_prediction_id (job) != NULL;

  return self;
}

gint64
inp_job_record_get_job_id (InpJobRecord *self)
{
  g_return_val_if_fail (INP_IS_JOB_RECORD (self), 0);

  return self->job_id;
}

/**
 * inp_job_record_get_status:
 *
 * Returns: the status last written for the job.
 */
InpLibraryJobStatus
inp_job_record_get_status (InpJobRecord *self)
{
  g_return_val_if_fail (INP_IS_JOB_RECORD (self), INP_LIBRARY_JOB_STATUS_PENDING);

  return self->status;
}

/**
 * inp_job_record_set_status:
 * @message: (nullable): why, for a person
 *
 * Writes a step of the job. A job only moves forward: a finished job stays as it is. A library
 * that cannot be written is reported, but does not stop the job: its files still arrive.
 */
void
inp_job_record_set_status (InpJobRecord        *self,
                           InpLibraryJobStatus  status,
                           const char          *message)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (INP_IS_JOB_RECORD (self));

  if (inp_library_job_status_is_finished (self->status)
      || (status == self->status && message == NULL))
    return;

  if (!inp_library_update_status (self->library, self->job_id, status, message, &error))
    {
      g_warning ("job-record: job %" G_GINT64_FORMAT " could not be updated: %s",
                 self->job_id, error->message);
      return;
    }

  self->status = status;
}

static InpLibraryJobStatus
status_for_prediction (InpPrediction  *prediction,
                       char          **message)
{
  const char *model_error;

  *message = NULL;
  switch (inp_prediction_get_status (prediction))
    {
    case INP_PREDICTION_STATUS_STARTING:
      return INP_LIBRARY_JOB_STATUS_STARTING;

    case INP_PREDICTION_STATUS_PROCESSING:
      return INP_LIBRARY_JOB_STATUS_PROCESSING;

    case INP_PREDICTION_STATUS_SUCCEEDED:
      /* Succeeded only once the outputs are on disk. */
      return INP_LIBRARY_JOB_STATUS_DOWNLOADING;

    case INP_PREDICTION_STATUS_FAILED:
      model_error = inp_prediction_get_error (prediction);
      *message = g_strdup (model_error != NULL ? model_error : _("The model failed without "
                                                                 "saying why."));
      return INP_LIBRARY_JOB_STATUS_FAILED;

    case INP_PREDICTION_STATUS_ABORTED:
      *message = g_strdup (_("The service stopped the prediction before it started, because its "
                             "deadline passed."));
      return INP_LIBRARY_JOB_STATUS_CANCELED;

    case INP_PREDICTION_STATUS_CANCELED:
    default:
      return INP_LIBRARY_JOB_STATUS_CANCELED;
    }
}

static void
record_prediction (InpJobRecord *self)
{
  InpPrediction *prediction = self->prediction;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  InpLibraryJobStatus status;
  JsonNode *metrics;

  if (!self->has_prediction_id && inp_prediction_get_id (prediction) != NULL)
    {
      if (inp_library_set_prediction_id (self->library, self->job_id,
                                         inp_prediction_get_id (prediction), &error))
        self->has_prediction_id = TRUE;
      else
        g_warning ("job-record: the prediction id of job %" G_GINT64_FORMAT " could not be "
                   "kept: %s", self->job_id, error->message);
      g_clear_error (&error);
    }

  /* Metrics grow as the prediction runs; each new value replaces the last. */
  metrics = inp_prediction_get_metrics (prediction);
  if (metrics != NULL)
    {
      g_autofree char *json = json_to_string (metrics, FALSE);

      if (g_strcmp0 (json, self->metrics) != 0)
        {
          if (inp_library_set_metrics (self->library, self->job_id, metrics, &error))
            {
              g_free (self->metrics);
              self->metrics = g_steal_pointer (&json);
            }
          else
            g_debug ("job-record: metrics not kept: %s", error->message);
        }
    }

  /* The statuses are ordered as a job moves, so a late or repeated answer never moves it back. */
  status = status_for_prediction (prediction, &message);
  if (status <= self->status)
    return;

  inp_job_record_set_status (self, status, message);
  if (status == INP_LIBRARY_JOB_STATUS_PROCESSING)
    inp_debug_pause_at (INP_DEBUG_POINT_POLLING);
}

static void
prediction_changed_cb (InpJobRecord  *self,
                       GParamSpec    *pspec,
                       InpPrediction *prediction)
{
  record_prediction (self);
}

/**
 * inp_job_record_track:
 * @prediction: the job's prediction, as created or as read again from the service
 *
 * Keeps the prediction's id, status, metrics and error in the library now and whenever they
 * change. A prediction that succeeded leaves the job %INP_LIBRARY_JOB_STATUS_DOWNLOADING: see
 * inp_job_record_store_files_async().
 */
void
inp_job_record_track (InpJobRecord  *self,
                      InpPrediction *prediction)
{
  g_return_if_fail (INP_IS_JOB_RECORD (self));
  g_return_if_fail (INP_IS_PREDICTION (prediction));

  if (self->prediction != NULL)
    g_signal_handlers_disconnect_by_data (self->prediction, self);
  g_set_object (&self->prediction, prediction);

  g_signal_connect_object (prediction, "notify::id", G_CALLBACK (prediction_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (prediction, "notify::status", G_CALLBACK (prediction_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (prediction, "notify::metrics", G_CALLBACK (prediction_changed_cb),
                           self, G_CONNECT_SWAPPED);
  record_prediction (self);
}

/**
 * inp_job_record_fail:
 * @error: why the job stopped
 *
 * Writes how a job that stopped with @error stands: expired, cancelled or failed when that is
 * final; when the prediction may still be followed or its outputs fetched again, the job stays
 * unfinished with @error as its reason, so that resuming takes it up.
 */
void
inp_job_record_fail (InpJobRecord *self,
                     const GError *error)
{
  g_return_if_fail (INP_IS_JOB_RECORD (self));
  g_return_if_fail (error != NULL);

  if (inp_library_job_status_is_finished (self->status))
    return;

  if (g_error_matches (error, INP_ERROR, INP_ERROR_OUTPUT_EXPIRED))
    inp_job_record_set_status (self, INP_LIBRARY_JOB_STATUS_EXPIRED, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    inp_job_record_set_status (self, INP_LIBRARY_JOB_STATUS_CANCELED, NULL);
  else if (g_error_matches (error, INP_ERROR, INP_ERROR_CANCELLED))
    inp_job_record_set_status (self, INP_LIBRARY_JOB_STATUS_CANCELED, error->message);
  else if (g_error_matches (error, INP_ERROR, INP_ERROR_PREDICTION_FAILED)
           || !self->has_prediction_id)
    inp_job_record_set_status (self, INP_LIBRARY_JOB_STATUS_FAILED, error->message);
  else
    inp_job_record_set_status (self, self->status, error->message);
}

/* ─── Storing the outputs ─────────────────────────────────────────────────────────────────────── */

typedef struct
{
  GPtrArray *paths;
  GPtrArray *outputs;
} StoreFiles;

static void
store_files_free (StoreFiles *store)
{
  g_clear_pointer (&store->paths, g_ptr_array_unref);
  g_clear_pointer (&store->outputs, g_ptr_array_unref);
  g_free (store);
}

/* The client names each file after its Content-Type, so the extension is reliable. */
static const char *
media_type_for_path (const char *path)
{
  static const struct { const char *extension; const char *type; } types[] = {
    { ".png", "image/png" },
    { ".jpg", "image/jpeg" },
    { ".jpeg", "image/jpeg" },
    { ".webp", "image/webp" },
    { ".gif", "image/gif" },
    { ".mp4", "video/mp4" },
    { ".webm", "video/webm" },
    { ".json", "application/json" },
    { ".txt", "text/plain" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (path, types[i].extension))
      return types[i].type;

  return "application/octet-stream";
}

static void store_next (GTask *task);

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreFiles *store = g_task_get_task_data (task);
  InpLibraryOutput *output;
  GError *error = NULL;

  /* A failed store has already left the job DOWNLOADING with the reason. */
  output = inp_library_store_output_finish (INP_LIBRARY (source), result, &error);
  if (output == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_ptr_array_add (store->outputs, output);
  store_next (g_steal_pointer (&task));
}

static void
store_next (GTask *task)
{
  InpJobRecord *self = g_task_get_source_object (task);
  StoreFiles *store = g_task_get_task_data (task);
  guint index = store->outputs->len;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  GError *error = NULL;
  const char *path;

  if (index >= store->paths->len)
    {
      inp_debug_pause_at (INP_DEBUG_POINT_STORED);
      inp_job_record_set_status (self, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL);
      g_task_return_pointer (task, g_ptr_array_ref (store->outputs),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  path = g_ptr_array_index (store->paths, index);
  file = g_file_new_for_path (path);
  stream = g_file_read (file, g_task_get_cancellable (task), &error);
  if (stream == NULL)
    {
      g_autoptr(GError) read_error = error;

      error = g_error_new (INP_ERROR, INP_ERROR_FAILED, _("The output could not be read back: %s"),
                           read_error->message);
      inp_job_record_set_status (self, INP_LIBRARY_JOB_STATUS_DOWNLOADING, error->message);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  inp_library_store_output_async (self->library, self->job_id, index, media_type_for_path (path),
                                  G_INPUT_STREAM (stream), self->provenance,
                                  g_task_get_cancellable (task), stored_cb, task);
}

/**
 * inp_job_record_store_files_async:
 * @paths: (element-type filename): the prediction's outputs as downloaded, in output order
 *
 * Copies each file into the library (synced and renamed, with provenance), then marks the job
 * succeeded. When a copy fails the job stays %INP_LIBRARY_JOB_STATUS_DOWNLOADING with the
 * reason, and resuming fetches the outputs again.
 */
void
inp_job_record_store_files_async (InpJobRecord        *self,
                                  GPtrArray           *paths,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  StoreFiles *store;

  g_return_if_fail (INP_IS_JOB_RECORD (self));
  g_return_if_fail (paths != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_job_record_store_files_async);
  store = g_new0 (StoreFiles, 1);
  store->paths = g_ptr_array_ref (paths);
  store->outputs = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, store, (GDestroyNotify) store_files_free);

  inp_job_record_set_status (self, INP_LIBRARY_JOB_STATUS_DOWNLOADING, NULL);
  store_next (task);
}

/**
 * inp_job_record_store_files_finish:
 *
 * Returns: (transfer full) (element-type InpLibraryOutput): the stored outputs, or %NULL with
 *   @error set.
 */
GPtrArray *
inp_job_record_store_files_finish (InpJobRecord  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (INP_IS_JOB_RECORD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
inp_job_record_dispose (GObject *object)
{
  InpJobRecord *self = INP_JOB_RECORD (object);

  if (self->prediction != NULL)
    g_signal_handlers_disconnect_by_data (self->prediction, self);
  g_clear_object (&self->prediction);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (inp_job_record_parent_class)->dispose (object);
}

static void
inp_job_record_finalize (GObject *object)
{
  InpJobRecord *self = INP_JOB_RECORD (object);

  g_clear_pointer (&self->provenance, inp_provenance_free);
  g_free (self->metrics);

  G_OBJECT_CLASS (inp_job_record_parent_class)->finalize (object);
}

static void
inp_job_record_class_init (InpJobRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = inp_job_record_dispose;
  object_class->finalize = inp_job_record_finalize;
}

static void
inp_job_record_init (InpJobRecord *self)
{
}
