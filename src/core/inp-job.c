/* inp-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-debug.h"
#include "inp-error.h"
#include "inp-job.h"
#include "inp-job-record.h"

typedef struct
{
  char   *name;
  GBytes *bytes;
  char   *content_type;
} FileInput;

struct _InpJob
{
  GObject        parent_instance;

  InpClient     *client;
  InpModel      *model;
  JsonObject    *values;
  char          *output_directory;
  char          *version;
  GPtrArray     *files;
  InpLibrary    *library;
  InpJobRecord  *record;
  gboolean       failure_recorded;

  InpJobState    state;
  InpPrediction *prediction;
  GPtrArray     *output_paths;

  /* While running */
  GTask         *task;
  JsonObject    *input;
  guint          next_file;
  GCancellable  *stage_cancellable;
  GCancellable  *user_cancellable;
  gulong         cancelled_id;
  gboolean       cancel_requested;
};

G_DEFINE_FINAL_TYPE (InpJob, inp_job, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (InpJobState, inp_job_state,
  G_DEFINE_ENUM_VALUE (INP_JOB_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (INP_JOB_STATE_UPLOADING, "uploading"),
  G_DEFINE_ENUM_VALUE (INP_JOB_STATE_CREATING, "creating"),
  G_DEFINE_ENUM_VALUE (INP_JOB_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (INP_JOB_STATE_DOWNLOADING, "downloading"),
  G_DEFINE_ENUM_VALUE (INP_JOB_STATE_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (INP_JOB_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (INP_JOB_STATE_CANCELLED, "cancelled"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_PREDICTION,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
file_input_free (FileInput *file)
{
  g_free (file->name);
  g_clear_pointer (&file->bytes, g_bytes_unref);
  g_free (file->content_type);
  g_free (file);
}

/**
 * inp_job_new:
 * @client: the client that talks to the service
 * @model: the model to run
 * @values: (nullable): input values by name, as the schema types them
 * @output_directory: where the outputs are saved
 *
 * Returns: (transfer full): a job, ready to run once.
 */
InpJob *
inp_job_new (InpClient  *client,
             InpModel   *model,
             JsonObject *values,
             const char *output_directory)
{
  InpJob *self;

  g_return_val_if_fail (INP_IS_CLIENT (client), NULL);
  g_return_val_if_fail (INP_IS_MODEL (model), NULL);
  g_return_val_if_fail (output_directory != NULL, NULL);

  self = g_object_new (INP_TYPE_JOB, NULL);
  self->client = g_object_ref (client);
  self->model = g_object_ref (model);
  self->values = values != NULL ? json_object_ref (values) : json_object_new ();
  self->output_directory = g_strdup (output_directory);

  return self;
}

/**
 * inp_job_dup:
 *
 * A new job with the same client, model, values, version, files, output folder and library,
 * ready to run:
 * how a failed or cancelled job is retried with exactly what the user entered.
 *
 * Returns: (transfer full): the copy.
 */
InpJob *
inp_job_dup (InpJob *self)
{
  InpJob *copy;

  g_return_val_if_fail (INP_IS_JOB (self), NULL);

  copy = inp_job_new (self->client, self->model, self->values, self->output_directory);
  inp_job_set_version (copy, self->version);
  inp_job_set_library (copy, self->library);
  for (guint i = 0; i < self->files->len; i++)
    {
      FileInput *file = g_ptr_array_index (self->files, i);

      inp_job_set_file (copy, file->name, file->bytes, file->content_type);
    }

  return copy;
}

/**
 * inp_job_get_client:
 *
 * Returns: (transfer none): the client the job runs with
 */
InpClient *
inp_job_get_client (InpJob *self)
{
  g_return_val_if_fail (INP_IS_JOB (self), NULL);

  return self->client;
}

/**
 * inp_job_get_model:
 *
 * Returns: (transfer none): the model the job runs
 */
InpModel *
inp_job_get_model (InpJob *self)
{
  g_return_val_if_fail (INP_IS_JOB (self), NULL);

  return self->model;
}

/**
 * inp_job_get_values:
 *
 * Returns: (transfer none): the input values, without the files
 */
JsonObject *
inp_job_get_values (InpJob *self)
{
  g_return_val_if_fail (INP_IS_JOB (self), NULL);

  return self->values;
}

/**
 * inp_job_set_version:
 * @version: (nullable): a version id to run instead of the model's own
 */
void
inp_job_set_version (InpJob     *self,
                     const char *version)
{
  g_return_if_fail (INP_IS_JOB (self));
  g_return_if_fail (self->state == INP_JOB_STATE_READY);

  g_free (self->version);
  self->version = g_strdup (version);
}

/**
 * inp_job_set_library:
 * @library: (nullable): where the job is recorded
 *
 * Records the job in @library while it runs: written before anything is sent, then its
 * prediction id, status, metrics and error as it moves, its image and mask, and its outputs,
 * stored with provenance before the job is marked succeeded.
 */
void
inp_job_set_library (InpJob     *self,
                     InpLibrary *library)
{
  g_return_if_fail (INP_IS_JOB (self));
  g_return_if_fail (library == NULL || INP_IS_LIBRARY (library));
  g_return_if_fail (self->state == INP_JOB_STATE_READY);

  g_set_object (&self->library, library);
}

/**
 * inp_job_get_library_id:
 *
 * Returns: the job's id in its library, or 0 when it is not recorded (yet).
 */
gint64
inp_job_get_library_id (InpJob *self)
{
  g_return_val_if_fail (INP_IS_JOB (self), 0);

  return self->record != NULL ? inp_job_record_get_job_id (self->record) : 0;
}

/**
 * inp_job_set_file:
 * @input_name: a file input of the model
 * @bytes: the file's contents
 * @content_type: its MIME type
 *
 * The file is uploaded (or inlined as a data URI) when the job runs.
 */
void
inp_job_set_file (InpJob     *self,
                  const char *input_name,
                  GBytes     *bytes,
                  const char *content_type)
{
  FileInput *file;

  g_return_if_fail (INP_IS_JOB (self));
  g_return_if_fail (self->state == INP_JOB_STATE_READY);
  g_return_if_fail (input_name != NULL && bytes != NULL && content_type != NULL);

  file = g_new0 (FileInput, 1);
  file->name = g_strdup (input_name);
  file->bytes = g_bytes_ref (bytes);
  file->content_type = g_strdup (content_type);
  g_ptr_array_add (self->files, file);
}

static JsonObject *
build_input (InpJob *self)
{
  JsonObject *input = json_object_new ();
  g_autoptr(GList) names = json_object_get_members (self->values);

  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (input, l->data,
                            json_node_copy (json_object_get_member (self->values, l->data)));

  return input;
}

/**
 * inp_job_validate:
 *
 * Checks the values and files against the model's schema, without sending anything.
 *
 * Returns: %TRUE if they are acceptable; otherwise %FALSE with %INP_ERROR_INVALID_INPUT naming
 *   each bad field.
 */
gboolean
inp_job_validate (InpJob  *self,
                  GError **error)
{
  g_autoptr(JsonObject) input = NULL;
  InpInputSchema *schema;

  g_return_val_if_fail (INP_IS_JOB (self), FALSE);

  input = build_input (self);
  /* A file becomes a URL or data URI later; any string stands for it in the type check. */
  for (guint i = 0; i < self->files->len; i++)
    {
      FileInput *file = g_ptr_array_index (self->files, i);

      json_object_set_string_member (input, file->name, "data:,");
    }

  schema = inp_model_get_schema (self->model);
  if (schema == NULL)
    return TRUE;

  return inp_input_schema_validate (schema, input, error);
}

static void
set_state (InpJob      *self,
           InpJobState  state)
{
  if (self->state == state)
    return;

  g_debug ("job: %s -> state %d", inp_model_get_id (self->model), state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
prediction_progress_cb (InpJob     *self,
                        GParamSpec *pspec,
                        GObject    *prediction)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_prediction (InpJob        *self,
                InpPrediction *prediction)
{
  if (self->prediction != NULL)
    g_signal_handlers_disconnect_by_func (self->prediction, prediction_progress_cb, self);

  g_set_object (&self->prediction, prediction);
  if (prediction != NULL)
    g_signal_connect_object (prediction, "notify::progress",
                             G_CALLBACK (prediction_progress_cb), self, G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREDICTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
run_cleanup (InpJob *self)
{
  if (self->user_cancellable != NULL)
    g_cancellable_disconnect (self->user_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->user_cancellable);
  g_clear_object (&self->stage_cancellable);
  g_clear_pointer (&self->input, json_object_unref);
}

static void
run_fail (InpJob *self,
          GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->record != NULL && !self->failure_recorded)
    inp_job_record_fail (self->record, error);
  run_cleanup (self);
  set_state (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                   || g_error_matches (error, INP_ERROR, INP_ERROR_CANCELLED)
                     ? INP_JOB_STATE_CANCELLED : INP_JOB_STATE_FAILED);
  g_task_return_error (task, error);
}

static void
cancel_on_service_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(InpJob) self = user_data;
  g_autoptr(InpPrediction) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = inp_client_cancel_prediction_finish (INP_CLIENT (source), result, &error);
  if (answer != NULL)
    inp_prediction_update_from (self->prediction, answer);
  else
    g_debug ("job: cancelling on the service failed: %s", error->message);

  run_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       _("The prediction was cancelled.")));
}

static void
cancel_on_service (InpJob *self)
{
  /* Nothing may stop this request: a prediction left running costs money. */
  inp_client_cancel_prediction_async (self->client, inp_prediction_get_id (self->prediction),
                                      NULL, cancel_on_service_cb, g_object_ref (self));
}

static void
run_succeed (InpJob *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  run_cleanup (self);
  set_state (self, INP_JOB_STATE_SUCCEEDED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  g_task_return_pointer (task, g_ptr_array_ref (self->output_paths),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
store_files_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(InpJob) self = user_data;
  g_autoptr(GPtrArray) outputs = NULL;
  GError *error = NULL;

  outputs = inp_job_record_store_files_finish (INP_JOB_RECORD (source), result, &error);
  if (outputs == NULL)
    {
      /* The library has already left the job to be fetched again, with the reason. */
      self->failure_recorded = TRUE;
      run_fail (self, error);
      return;
    }

  run_succeed (self);
}

static void
download_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(InpJob) self = user_data;
  g_autoptr(GPtrArray) paths = NULL;
  GError *error = NULL;

  paths = inp_client_download_outputs_finish (INP_CLIENT (source), result, &error);
  if (paths == NULL)
    {
      run_fail (self, error);
      return;
    }

  g_clear_pointer (&self->output_paths, g_ptr_array_unref);
  self->output_paths = g_ptr_array_ref (paths);

  if (self->record != NULL)
    {
      inp_job_record_store_files_async (self->record, paths, self->stage_cancellable,
                                        store_files_cb, g_object_ref (self));
      return;
    }

  run_succeed (self);
}

static void
prediction_settled (InpJob *self)
{
  InpPrediction *prediction = self->prediction;
  const char *model_error;

  switch (inp_prediction_get_status (prediction))
    {
    case INP_PREDICTION_STATUS_FAILED:
      model_error = inp_prediction_get_error (prediction);
      run_fail (self, g_error_new (INP_ERROR, INP_ERROR_PREDICTION_FAILED,
                                   _("The model failed: %s"),
                                   model_error != NULL ? model_error : _("no reason given")));
      return;

    case INP_PREDICTION_STATUS_CANCELED:
      run_fail (self, g_error_new_literal (INP_ERROR, INP_ERROR_CANCELLED,
                                           _("The prediction was cancelled on the service.")));
      return;

    case INP_PREDICTION_STATUS_ABORTED:
      run_fail (self, g_error_new_literal (INP_ERROR, INP_ERROR_CANCELLED,
                                           _("The prediction was stopped by the service before "
                                             "it started, because its deadline passed.")));
      return;

    case INP_PREDICTION_STATUS_STARTING:
    case INP_PREDICTION_STATUS_PROCESSING:
    case INP_PREDICTION_STATUS_SUCCEEDED:
    default:
      break;
    }

  set_state (self, INP_JOB_STATE_DOWNLOADING);
  if (self->record != NULL)
    {
      inp_job_record_set_status (self->record, INP_LIBRARY_JOB_STATUS_DOWNLOADING, NULL);
      inp_debug_pause_at (INP_DEBUG_POINT_DOWNLOADING);
    }
  inp_client_download_outputs_async (self->client, prediction, self->output_directory,
                                     self->stage_cancellable, download_cb, g_object_ref (self));
}

static void
follow_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(InpJob) self = user_data;
  GError *error = NULL;

  if (!inp_client_follow_finish (INP_CLIENT (source), result, &error))
    {
      if (self->cancel_requested)
        {
          g_error_free (error);
          cancel_on_service (self);
          return;
        }

      run_fail (self, error);
      return;
    }

  prediction_settled (self);
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(InpJob) self = user_data;
  g_autoptr(InpPrediction) prediction = NULL;
  GError *error = NULL;

  prediction = inp_client_create_finish (INP_CLIENT (source), result, &error);
  if (prediction == NULL)
    {
      run_fail (self, error);
      return;
    }

  set_prediction (self, prediction);
  if (self->record != NULL)
    {
      inp_job_record_track (self->record, prediction);
      inp_debug_pause_at (INP_DEBUG_POINT_AFTER_CREATE);
    }

  /* A cancel that came while the create was in flight is carried out now that the id is known. */
  if (self->cancel_requested)
    {
      if (inp_prediction_is_terminal (prediction))
        run_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             _("The prediction was cancelled.")));
      else
        cancel_on_service (self);
      return;
    }

  if (inp_client_answer_is_final (prediction))
    {
      prediction_settled (self);
      return;
    }

  set_state (self, INP_JOB_STATE_RUNNING);
  inp_client_follow_async (self->client, prediction, self->stage_cancellable, follow_cb,
                           g_object_ref (self));
}

static void
create (InpJob *self)
{
  const char *version = self->version != NULL ? self->version
                                              : inp_model_get_version (self->model);

  set_state (self, INP_JOB_STATE_CREATING);
  if (self->record != NULL)
    inp_debug_pause_at (INP_DEBUG_POINT_BEFORE_CREATE);

  /* The create is never cut off: its answer carries the id needed to cancel on the service. */
  if (inp_model_get_endpoint (self->model) == INP_MODEL_ENDPOINT_VERSION && version != NULL)
    inp_client_create_by_version_async (self->client, version, self->input, NULL, create_cb,
                                        g_object_ref (self));
  else
    inp_client_create_by_model_async (self->client, inp_model_get_id (self->model), self->input,
                                      NULL, create_cb, g_object_ref (self));
}

static void upload_next (InpJob *self);

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(InpJob) self = user_data;
  g_autofree char *value = NULL;
  FileInput *file;
  GError *error = NULL;

  value = inp_client_upload_finish (INP_CLIENT (source), result, &error);
  if (value == NULL)
    {
      run_fail (self, error);
      return;
    }

  file = g_ptr_array_index (self->files, self->next_file);
  json_object_set_string_member (self->input, file->name, value);
  self->next_file++;
  upload_next (self);
}

static void
upload_next (InpJob *self)
{
  FileInput *file;

  if (self->cancel_requested)
    {
      run_fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The prediction was cancelled.")));
      return;
    }

  if (self->next_file >= self->files->len)
    {
      create (self);
      return;
    }

  file = g_ptr_array_index (self->files, self->next_file);
  inp_client_upload_async (self->client, file->bytes, file->content_type, file->name,
                           self->stage_cancellable, upload_cb, g_object_ref (self));
}

static GBytes *
file_bytes (InpJob     *self,
            const char *input_name)
{
  for (guint i = 0; input_name != NULL && i < self->files->len; i++)
    {
      FileInput *file = g_ptr_array_index (self->files, i);

      if (g_str_equal (file->name, input_name))
        return file->bytes;
    }

  return NULL;
}

static void
inputs_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(InpJob) self = user_data;
  GError *error = NULL;

  if (!inp_library_store_inputs_finish (INP_LIBRARY (source), result, &error))
    {
      run_fail (self, error);
      return;
    }

  upload_next (self);
}

static void
job_recorded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(InpJob) self = user_data;
  const char *version = self->version != NULL ? self->version
                                              : inp_model_get_version (self->model);
  g_autoptr(JsonNode) values = json_node_init_object (json_node_alloc (), self->values);
  g_autoptr(InpProvenance) provenance = NULL;
  GError *error = NULL;
  GBytes *image;
  GBytes *mask;
  gint64 job_id;

  job_id = inp_library_create_job_finish (INP_LIBRARY (source), result, &error);
  if (job_id == 0)
    {
      run_fail (self, error);
      return;
    }

  provenance = inp_provenance_new (inp_model_get_id (self->model), version, values);
  self->record = inp_job_record_new (self->library, job_id, provenance);

  /* A cancel while the row was written is recorded on it, as any later one is. */
  if (g_cancellable_set_error_if_cancelled (self->stage_cancellable, &error))
    {
      run_fail (self, error);
      return;
    }

  image = file_bytes (self, inp_model_get_image_input (self->model));
  mask = file_bytes (self, inp_model_get_mask_input (self->model));
  if (image != NULL || mask != NULL)
    {
      inp_library_store_inputs_async (self->library, job_id, image, mask, self->stage_cancellable,
                                      inputs_stored_cb, g_object_ref (self));
      return;
    }

  upload_next (self);
}

/* Writes the job into the library before anything is sent; the commit waits for the disk, so
 * it runs on a worker thread. */
static void
record_start (InpJob *self)
{
  const char *version = self->version != NULL ? self->version
                                              : inp_model_get_version (self->model);
  InpEndpoint *endpoint = inp_client_get_endpoint (self->client);
  g_autoptr(JsonNode) values = json_node_init_object (json_node_alloc (), self->values);
  const char *prompt;

  prompt = json_object_get_string_member_with_default (self->values, "prompt", NULL);
  inp_library_create_job_async (self->library, inp_model_get_id (self->model), version,
                                inp_endpoint_get_base_url (endpoint), prompt, values,
                                self->stage_cancellable, job_recorded_cb, g_object_ref (self));
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   InpJob       *self)
{
  self->cancel_requested = TRUE;
  g_cancellable_cancel (self->stage_cancellable);
}

/**
 * inp_job_run_async:
 * @cancellable: (nullable): cancels the job; a prediction already created is cancelled on the
 *   service too (once its create has answered)
 *
 * Validates (nothing is sent when that fails), uploads or encodes the files, creates the
 * prediction, follows it, and saves its outputs the moment it succeeds.
 */
void
inp_job_run_async (InpJob              *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (INP_IS_JOB (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, inp_job_run_async);

  if (self->state != INP_JOB_STATE_READY)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED, _("This job has already run."));
      return;
    }

  set_state (self, INP_JOB_STATE_UPLOADING);
  self->task = g_steal_pointer (&task);

  if (!inp_job_validate (self, &error))
    {
      run_fail (self, error);
      return;
    }

  self->input = build_input (self);
  self->next_file = 0;
  self->stage_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_cb),
                                                  self, NULL);
    }

  if (self->library != NULL)
    {
      record_start (self);
      return;
    }

  upload_next (self);
}

/**
 * inp_job_run_finish:
 *
 * Returns: (transfer full) (element-type filename): the saved outputs' paths, or %NULL with an
 *   error: %INP_ERROR_INVALID_INPUT (nothing was sent), %INP_ERROR_PREDICTION_FAILED with the
 *   model's error, %G_IO_ERROR_CANCELLED, or an error of the exchange.
 */
GPtrArray *
inp_job_run_finish (InpJob        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (INP_IS_JOB (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

InpJobState
inp_job_get_state (InpJob *self)
{
  g_return_val_if_fail (INP_IS_JOB (self), INP_JOB_STATE_READY);

  return self->state;
}

/**
 * inp_job_get_prediction:
 *
 * Returns: (transfer none) (nullable): the prediction once created
 */
InpPrediction *
inp_job_get_prediction (InpJob *self)
{
  g_return_val_if_fail (INP_IS_JOB (self), NULL);

  return self->prediction;
}

/**
 * inp_job_get_progress:
 *
 * Returns: from 0 to 1, or -1 while unknown
 */
double
inp_job_get_progress (InpJob *self)
{
  g_return_val_if_fail (INP_IS_JOB (self), -1);

  if (self->state == INP_JOB_STATE_SUCCEEDED)
    return 1.0;
  if (self->prediction == NULL)
    return -1;

  return inp_prediction_get_progress (self->prediction);
}

/**
 * inp_job_get_output_paths:
 *
 * Returns: (transfer none) (nullable) (element-type filename): the saved outputs, once succeeded
 */
GPtrArray *
inp_job_get_output_paths (InpJob *self)
{
  g_return_val_if_fail (INP_IS_JOB (self), NULL);

  return self->output_paths;
}

static void
inp_job_dispose (GObject *object)
{
  InpJob *self = INP_JOB (object);

  g_assert (self->task == NULL);
  run_cleanup (self);
  set_prediction (self, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->model);
  g_clear_object (&self->library);
  g_clear_object (&self->record);

  G_OBJECT_CLASS (inp_job_parent_class)->dispose (object);
}

static void
inp_job_finalize (GObject *object)
{
  InpJob *self = INP_JOB (object);

  g_clear_pointer (&self->values, json_object_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->output_paths, g_ptr_array_unref);
  g_free (self->output_directory);
  g_free (self->version);

  G_OBJECT_CLASS (inp_job_parent_class)->finalize (object);
}

static void
inp_job_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  InpJob *self = INP_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PREDICTION:
      g_value_set_object (value, self->prediction);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, inp_job_get_progress (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_job_class_init (InpJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = inp_job_dispose;
  object_class->finalize = inp_job_finalize;
  object_class->get_property = inp_job_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, INP_TYPE_JOB_STATE, INP_JOB_STATE_READY, flags);
  properties[PROP_PREDICTION] =
    g_param_spec_object ("prediction", NULL, NULL, INP_TYPE_PREDICTION, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inp_job_init (InpJob *self)
{
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_input_free);
}
