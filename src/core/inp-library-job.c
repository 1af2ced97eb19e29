/* inp-library-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-library-private.h"

struct _InpLibraryJob
{
  GObject              parent_instance;

  gint64               id;
  gint64               created;
  gint64               updated;
  char                *model;
  char                *version;
  char                *endpoint_host;
  char                *prompt;
  char                *inputs_json;
  JsonNode            *inputs;
  GFile               *directory;
  GFile               *image;
  GFile               *mask;
  char                *prediction_id;
  InpLibraryJobStatus  status;
  char                *error;
  char                *metrics_json;
  JsonNode            *metrics;
  guint                n_outputs;
  guint                n_deleted_outputs;
};

G_DEFINE_FINAL_TYPE (InpLibraryJob, inp_library_job, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (InpLibraryJobStatus, inp_library_job_status,
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_STARTING, "starting"),
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_PROCESSING, "processing"),
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_DOWNLOADING, "downloading"),
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_CANCELED, "canceled"),
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_EXPIRED, "expired"),
  G_DEFINE_ENUM_VALUE (INP_LIBRARY_JOB_STATUS_NOT_SENT, "not-sent"))

enum {
  PROP_0,
  PROP_ID,
  PROP_CREATED,
  PROP_MODEL,
  PROP_VERSION,
  PROP_PROMPT,
  PROP_PREDICTION_ID,
  PROP_STATUS,
  PROP_ERROR,
  PROP_N_OUTPUTS,
  PROP_N_DELETED_OUTPUTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * inp_library_job_status_to_string:
 *
 * Returns: the stable name of @status, as stored and as the CLI prints it (`not-sent`).
 */
const char *
inp_library_job_status_to_string (InpLibraryJobStatus status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (INP_TYPE_LIBRARY_JOB_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_return_val_if_fail (value != NULL, NULL);

  return value->value_nick;
}

gboolean
inp_library_job_status_from_string (const char          *string,
                                    InpLibraryJobStatus *status)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  g_return_val_if_fail (status != NULL, FALSE);

  if (string == NULL)
    return FALSE;

  klass = g_type_class_ref (INP_TYPE_LIBRARY_JOB_STATUS);
  value = g_enum_get_value_by_nick (klass, string);
  if (value == NULL)
    return FALSE;

  *status = value->value;
  return TRUE;
}

/**
 * inp_library_job_status_get_label:
 *
 * Returns: @status for a person, translated.
 */
const char *
inp_library_job_status_get_label (InpLibraryJobStatus status)
{
  switch (status)
    {
    case INP_LIBRARY_JOB_STATUS_PENDING:
      return _("Waiting to be sent");
    case INP_LIBRARY_JOB_STATUS_STARTING:
      /* Translators: the status of a job: the service is starting the model */
      return _("Starting");
    case INP_LIBRARY_JOB_STATUS_PROCESSING:
      /* Translators: the status of a job: the model is running */
      return _("Processing");
    case INP_LIBRARY_JOB_STATUS_DOWNLOADING:
      return _("Saving results");
    case INP_LIBRARY_JOB_STATUS_SUCCEEDED:
      /* Translators: the status of a job that finished with results */
      return _("Done");
    case INP_LIBRARY_JOB_STATUS_FAILED:
      /* Translators: the status of a job */
      return _("Failed");
    case INP_LIBRARY_JOB_STATUS_CANCELED:
      /* Translators: the status of a job */
      return _("Cancelled");
    case INP_LIBRARY_JOB_STATUS_EXPIRED:
      /* Translators: the status of a job whose results the service deleted too early */
      return _("Expired");
    case INP_LIBRARY_JOB_STATUS_NOT_SENT:
      /* Translators: the status of a job that never reached the service */
      return _("Not sent");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * inp_library_job_status_is_finished:
 *
 * Returns: whether nothing more will happen to a job in @status without the user asking.
 */
gboolean
inp_library_job_status_is_finished (InpLibraryJobStatus status)
{
  switch (status)
    {
    case INP_LIBRARY_JOB_STATUS_PENDING:
    case INP_LIBRARY_JOB_STATUS_STARTING:
    case INP_LIBRARY_JOB_STATUS_PROCESSING:
    case INP_LIBRARY_JOB_STATUS_DOWNLOADING:
      return FALSE;
    case INP_LIBRARY_JOB_STATUS_SUCCEEDED:
    case INP_LIBRARY_JOB_STATUS_FAILED:
    case INP_LIBRARY_JOB_STATUS_CANCELED:
    case INP_LIBRARY_JOB_STATUS_EXPIRED:
    case INP_LIBRARY_JOB_STATUS_NOT_SENT:
      return TRUE;
    default:
      g_return_val_if_reached (TRUE);
    }
}

void
inp_library_job_event_free (InpLibraryJobEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->message);
  g_free (event);
}

/* Times are stored in microseconds since the epoch; GLib 2.74 builds a GDateTime from seconds. */
GDateTime *
inp_library_date_time_new (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return g_date_time_add (seconds, usec % G_USEC_PER_SEC);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static GFile *
column_file (sqlite3_stmt *stmt,
             int           column,
             GFile        *files_dir)
{
  const char *relative = (const char *) sqlite3_column_text (stmt, column);

  return relative != NULL ? g_file_resolve_relative_path (files_dir, relative) : NULL;
}

/* Builds a job from a row of INP_LIBRARY_JOB_COLUMNS; paths are relative to @files_dir. */
InpLibraryJob *
inp_library_job_new_from_row (sqlite3_stmt *stmt,
                              GFile        *files_dir)
{
  InpLibraryJob *self = g_object_new (INP_TYPE_LIBRARY_JOB, NULL);
  InpLibraryJobStatus status = INP_LIBRARY_JOB_STATUS_FAILED;

  self->id = sqlite3_column_int64 (stmt, 0);
  self->directory = column_file (stmt, 1, files_dir);
  self->created = sqlite3_column_int64 (stmt, 2);
  self->updated = sqlite3_column_int64 (stmt, 3);
  self->model = dup_column (stmt, 4);
  self->version = dup_column (stmt, 5);
  self->endpoint_host = dup_column (stmt, 6);
  self->prompt = dup_column (stmt, 7);
  self->inputs_json = dup_column (stmt, 8);
  self->image = column_file (stmt, 9, files_dir);
  self->mask = column_file (stmt, 10, files_dir);
  self->prediction_id = dup_column (stmt, 11);
  /* A status written by a newer version reads as failed rather than as running forever. */
  inp_library_job_status_from_string ((const char *) sqlite3_column_text (stmt, 12), &status);
  self->status = status;
  self->error = dup_column (stmt, 13);
  self->metrics_json = dup_column (stmt, 14);
  self->n_outputs = sqlite3_column_int (stmt, 15);
  self->n_deleted_outputs = sqlite3_column_int (stmt, 16);

  return self;
}

static void
inp_library_job_finalize (GObject *object)
{
  InpLibraryJob *self = INP_LIBRARY_JOB (object);

  g_free (self->model);
  g_free (self->version);
  g_free (self->endpoint_host);
  g_free (self->prompt);
  g_free (self->inputs_json);
  g_clear_pointer (&self->inputs, json_node_unref);
  g_clear_object (&self->directory);
  g_clear_object (&self->image);
  g_clear_object (&self->mask);
  g_free (self->prediction_id);
  g_free (self->error);
  g_free (self->metrics_json);
  g_clear_pointer (&self->metrics, json_node_unref);

  G_OBJECT_CLASS (inp_library_job_parent_class)->finalize (object);
}

static void
inp_library_job_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  InpLibraryJob *self = INP_LIBRARY_JOB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_CREATED:
      g_value_take_boxed (value, inp_library_job_get_created (self));
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;

    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;

    case PROP_PREDICTION_ID:
      g_value_set_string (value, self->prediction_id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_N_OUTPUTS:
      g_value_set_uint (value, self->n_outputs);
      break;

    case PROP_N_DELETED_OUTPUTS:
      g_value_set_uint (value, self->n_deleted_outputs);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_library_job_class_init (InpLibraryJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = inp_library_job_finalize;
  object_class->get_property = inp_library_job_get_property;

  /* A job is a snapshot: the library hands out a new one after each change. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_PREDICTION_ID] = g_param_spec_string ("prediction-id", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, INP_TYPE_LIBRARY_JOB_STATUS,
                       INP_LIBRARY_JOB_STATUS_PENDING, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_N_OUTPUTS] = g_param_spec_uint ("n-outputs", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_DELETED_OUTPUTS] =
    g_param_spec_uint ("n-deleted-outputs", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inp_library_job_init (InpLibraryJob *self)
{
}

gint64
inp_library_job_get_id (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), 0);

  return self->id;
}

/**
 * inp_library_job_get_created:
 *
 * Returns: (transfer full): when the job was recorded, in local time.
 */
GDateTime *
inp_library_job_get_created (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return inp_library_date_time_new (self->created);
}

/**
 * inp_library_job_get_updated:
 *
 * Returns: (transfer full): when the job last changed, in local time.
 */
GDateTime *
inp_library_job_get_updated (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return inp_library_date_time_new (self->updated);
}

const char *
inp_library_job_get_model (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->model;
}

const char *
inp_library_job_get_version (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->version;
}

/**
 * inp_library_job_get_endpoint_host:
 *
 * Returns: (nullable): the host (and port) of the endpoint the job was sent to.
 */
const char *
inp_library_job_get_endpoint_host (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->endpoint_host;
}

const char *
inp_library_job_get_prompt (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->prompt;
}

static JsonNode *
parse_lazily (JsonNode   **node,
              const char  *json)
{
  if (*node == NULL && json != NULL)
    *node = json_from_string (json, NULL);

  return *node;
}

/**
 * inp_library_job_get_inputs:
 *
 * Returns: (transfer none) (nullable): every input value as sent, a JSON object.
 */
JsonNode *
inp_library_job_get_inputs (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return parse_lazily (&self->inputs, self->inputs_json);
}

/**
 * inp_library_job_get_image:
 *
 * Returns: (transfer none) (nullable): the input image as stored, if any.
 */
GFile *
inp_library_job_get_image (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->image;
}

/**
 * inp_library_job_get_mask:
 *
 * Returns: (transfer none) (nullable): the mask as stored, if any.
 */
GFile *
inp_library_job_get_mask (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->mask;
}

/**
 * inp_library_job_get_directory:
 *
 * Returns: (transfer none): the folder that holds the job's files (for "Open folder").
 */
GFile *
inp_library_job_get_directory (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->directory;
}

const char *
inp_library_job_get_prediction_id (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->prediction_id;
}

InpLibraryJobStatus
inp_library_job_get_status (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), INP_LIBRARY_JOB_STATUS_FAILED);

  return self->status;
}

/**
 * inp_library_job_get_error:
 *
 * Returns: (nullable): why the job failed, expired or could not save its outputs.
 */
const char *
inp_library_job_get_error (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return self->error;
}

/**
 * inp_library_job_get_metrics:
 *
 * Returns: (transfer none) (nullable): the service's metrics (`predict_time`…), a JSON object.
 */
JsonNode *
inp_library_job_get_metrics (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  return parse_lazily (&self->metrics, self->metrics_json);
}

/**
 * inp_library_job_get_n_outputs:
 *
 * Returns: how many outputs the job has on disk, not counting those the user deleted.
 */
guint
inp_library_job_get_n_outputs (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), 0);

  return self->n_outputs;
}

/**
 * inp_library_job_get_n_deleted_outputs:
 *
 * Returns: how many of the job's outputs were deleted one by one and can still be restored with
 *   inp_library_restore_output().
 */
guint
inp_library_job_get_n_deleted_outputs (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), 0);

  return self->n_deleted_outputs;
}

/**
 * inp_library_job_describe_deleted_outputs:
 *
 * A job whose every output was deleted stays in the history, since it still records what was
 * asked; this says why it shows no result.
 *
 * Returns: (transfer full) (nullable): a sentence for a person, or %NULL when the job still has
 *   an output or never had one.
 */
char *
inp_library_job_describe_deleted_outputs (InpLibraryJob *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_JOB (self), NULL);

  if (self->n_outputs > 0 || self->n_deleted_outputs == 0)
    return NULL;

  if (self->n_deleted_outputs == 1)
    return g_strdup (_("Its result was deleted"));

  return g_strdup_printf (ngettext ("All %u of its results were deleted",
                                    "All %u of its results were deleted",
                                    self->n_deleted_outputs),
                          self->n_deleted_outputs);
}
