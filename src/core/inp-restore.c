/* inp-restore.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-error.h"
#include "inp-json.h"
#include "inp-provenance.h"
#include "inp-restore.h"

G_DEFINE_BOXED_TYPE (InpRestoreData, inp_restore_data, inp_restore_data_copy,
                     inp_restore_data_free)

/**
 * inp_restore_data_copy:
 *
 * Returns: (transfer full): a copy of @data whose inputs may be changed freely (the bytes are
 *   shared: they never change).
 */
InpRestoreData *
inp_restore_data_copy (const InpRestoreData *data)
{
  InpRestoreData *copy;

  g_return_val_if_fail (data != NULL, NULL);

  copy = g_new0 (InpRestoreData, 1);
  copy->job_id = data->job_id;
  copy->model = g_strdup (data->model);
  copy->version = g_strdup (data->version);
  copy->prompt = g_strdup (data->prompt);
  copy->negative_prompt = g_strdup (data->negative_prompt);
  copy->seed = data->seed;
  copy->has_seed = data->has_seed;
  copy->inputs = inp_json_object_deep_copy (data->inputs);
  copy->image = data->image != NULL ? g_bytes_ref (data->image) : NULL;
  copy->mask = data->mask != NULL ? g_bytes_ref (data->mask) : NULL;

  return copy;
}

void
inp_restore_data_free (InpRestoreData *data)
{
  if (data == NULL)
    return;

  g_free (data->model);
  g_free (data->version);
  g_free (data->prompt);
  g_free (data->negative_prompt);
  g_clear_pointer (&data->inputs, json_object_unref);
  g_clear_pointer (&data->image, g_bytes_unref);
  g_clear_pointer (&data->mask, g_bytes_unref);
  g_free (data);
}

/* Everything but the files: the prompt fields and the seed come from the inputs themselves,
 * with @prompt (the recorded one) as the fallback. A copy, so that the caller may change it. */
static InpRestoreData *
restore_data_new (const char *model,
                  const char *version,
                  const char *prompt,
                  JsonNode   *inputs)
{
  InpRestoreData *data = g_new0 (InpRestoreData, 1);
  JsonNode *seed;

  data->model = g_strdup (model);
  data->version = g_strdup (version);
  if (inputs != NULL && JSON_NODE_HOLDS_OBJECT (inputs))
    data->inputs = inp_json_object_deep_copy (json_node_get_object (inputs));
  else
    data->inputs = json_object_new ();

  data->prompt = g_strdup (json_object_get_string_member_with_default (data->inputs, "prompt",
                                                                       prompt));
  data->negative_prompt =
    g_strdup (json_object_get_string_member_with_default (data->inputs, "negative_prompt", NULL));

  seed = json_object_get_member (data->inputs, "seed");
  if (seed != NULL && JSON_NODE_HOLDS_VALUE (seed) &&
      json_node_get_value_type (seed) == G_TYPE_INT64)
    {
      data->seed = json_node_get_int (seed);
      data->has_seed = TRUE;
    }

  return data;
}

/* Whole sentences per file, so that translators see them whole. */
static gboolean
load_input_file (GFile         *file,
                 gboolean       is_mask,
                 GBytes       **bytes,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (file == NULL)
    return TRUE;

  *bytes = g_file_load_bytes (file, cancellable, NULL, &local_error);
  if (*bytes != NULL)
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_set_error_literal (error, INP_ERROR, INP_ERROR_NOT_FOUND,
                         is_mask ? _("The mask of this job is no longer in the library")
                                 : _("The image of this job is no longer in the library"));
  else
    g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                 is_mask ? _("The mask of this job could not be read: %s")
                         : _("The image of this job could not be read: %s"),
                 local_error->message);
  return FALSE;
}

/**
 * inp_restore_data_load_job:
 * @job: a job from the library
 *
 * Reads the job's settings and its stored image and mask. Blocks on the files: see
 * inp_restore_data_load_job_async() for the main thread.
 *
 * Returns: (transfer full): the data, or %NULL when a recorded file cannot be read
 *   (%INP_ERROR_NOT_FOUND when it is gone).
 */
InpRestoreData *
inp_restore_data_load_job (InpLibraryJob  *job,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(InpRestoreData) data = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY_JOB (job), NULL);

  data = restore_data_new (inp_library_job_get_model (job), inp_library_job_get_version (job),
                           inp_library_job_get_prompt (job), inp_library_job_get_inputs (job));
  data->job_id = inp_library_job_get_id (job);

  if (!load_input_file (inp_library_job_get_image (job), FALSE, &data->image, cancellable,
                        error) ||
      !load_input_file (inp_library_job_get_mask (job), TRUE, &data->mask, cancellable, error))
    return NULL;

  g_debug ("restore: job %" G_GINT64_FORMAT " (%s) read back", data->job_id, data->model);
  return g_steal_pointer (&data);
}

/**
 * inp_restore_data_load_file:
 * @path: a picture, typically one Inpainter saved
 *
 * Reads the settings a picture was made with from its provenance (PNG text chunks or a JSON
 * sidecar). The image and mask are not part of provenance, so they stay %NULL.
 *
 * Returns: (transfer full): the data, or %NULL with %INP_ERROR_NOT_FOUND when the picture does
 *   not say how it was made.
 */
InpRestoreData *
inp_restore_data_load_file (const char  *path,
                            GError     **error)
{
  g_autoptr(InpProvenance) provenance = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  provenance = inp_provenance_read_file (path, error);
  if (provenance == NULL)
    return NULL;

  if (provenance->model == NULL || *provenance->model == '\0')
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_NOT_FOUND,
                           _("The image does not say which model made it"));
      return NULL;
    }

  return restore_data_new (provenance->model, provenance->version, provenance->prompt,
                           provenance->inputs);
}

static void
load_job_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  InpRestoreData *data = inp_restore_data_load_job (task_data, cancellable, &error);

  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) inp_restore_data_free);
}

/**
 * inp_restore_data_load_job_async:
 *
 * Like inp_restore_data_load_job(), with the files read in a worker thread.
 */
void
inp_restore_data_load_job_async (InpLibraryJob       *job,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (INP_IS_LIBRARY_JOB (job));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_restore_data_load_job_async);
  g_task_set_task_data (task, g_object_ref (job), g_object_unref);
  g_task_run_in_thread (task, load_job_thread);
}

/**
 * inp_restore_data_load_job_finish:
 *
 * Returns: (transfer full): the data, or %NULL with @error set.
 */
InpRestoreData *
inp_restore_data_load_job_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_restore_data_load_job_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  InpRestoreData *data = inp_restore_data_load_file (task_data, &error);

  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) inp_restore_data_free);
}

/**
 * inp_restore_data_load_file_async:
 *
 * Like inp_restore_data_load_file(), read in a worker thread.
 */
void
inp_restore_data_load_file_async (const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_restore_data_load_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_file_thread);
}

/**
 * inp_restore_data_load_file_finish:
 *
 * Returns: (transfer full): the data, or %NULL with @error set.
 */
InpRestoreData *
inp_restore_data_load_file_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        inp_restore_data_load_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
