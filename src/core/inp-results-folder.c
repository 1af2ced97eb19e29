/* inp-results-folder.c: copies of finished outputs in the folder the user chose
 *
 * The library keeps every output under its own files folder, by relative path, so that it can
 * be moved and backed up as one. The `results-folder` setting therefore gets a copy of each
 * finished output (and of its provenance sidecar), named so that it can be told apart there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "inp-provenance.h"
#include "inp-results-folder.h"

#define MAX_ATTEMPTS 100

/**
 * inp_results_folder_file_name:
 *
 * A name that says where a file came from:
 * `inpainter-<date>-<time>-<model name>-<job id>-<number>.<extension>`, for example
 * `inpainter-20261121-010500-flux-fill-pro-12-1.webp`.
 *
 * Returns: (transfer full): the file name for @output's copy
 */
char *
inp_results_folder_file_name (InpLibraryOutput *output)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *model = NULL;
  const char *model_id;
  const char *slash;
  const char *extension;

  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (output), NULL);

  basename = g_file_get_basename (inp_library_output_get_file (output));
  extension = strrchr (basename, '.');
  local = g_date_time_to_local (inp_library_output_get_created (output));
  stamp = g_date_time_format (local, "%Y%m%d-%H%M%S");

  model_id = inp_library_output_get_model (output);
  slash = model_id != NULL ? strrchr (model_id, '/') : NULL;
  model = g_strdup (slash != NULL ? slash + 1 : model_id != NULL ? model_id : "model");
  /* The name part of a model id is already tame; this keeps a folder name out of it anyway. */
  g_strcanon (model, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "-_.", '-');

  return g_strdup_printf ("inpainter-%s-%s-%" G_GINT64_FORMAT "-%u%s", stamp, model,
                          inp_library_output_get_job_id (output),
                          inp_library_output_get_index (output) + 1,
                          extension != NULL ? extension : "");
}

typedef struct
{
  char      *folder;
  GPtrArray *outputs;
} CopyData;

static void
copy_data_free (CopyData *data)
{
  g_free (data->folder);
  g_ptr_array_unref (data->outputs);
  g_free (data);
}

/* "name.ext", then "name (2).ext" and so on: a file already there is never replaced. */
static char *
numbered_path (const char *folder,
               const char *name,
               guint       attempt)
{
  const char *dot = strrchr (name, '.');
  g_autofree char *stem = NULL;
  g_autofree char *numbered = NULL;

  if (attempt == 1)
    return g_build_filename (folder, name, NULL);

  stem = dot != NULL ? g_strndup (name, dot - name) : g_strdup (name);
  numbered = g_strdup_printf ("%s (%u)%s", stem, attempt, dot != NULL ? dot : "");

  return g_build_filename (folder, numbered, NULL);
}

static char *
copy_one (const char       *folder,
          InpLibraryOutput *output,
          GCancellable     *cancellable,
          GError          **error)
{
  GFile *source = inp_library_output_get_file (output);
  g_autofree char *source_path = g_file_get_path (source);
  g_autofree char *name = inp_results_folder_file_name (output);
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  for (guint attempt = 1; path == NULL; attempt++)
    {
      g_autofree char *candidate = numbered_path (folder, name, attempt);
      g_autoptr(GFile) destination = g_file_new_for_path (candidate);

      g_clear_error (&local_error);
      if (g_file_copy (source, destination, G_FILE_COPY_NONE, cancellable, NULL, NULL,
                       &local_error))
        path = g_steal_pointer (&candidate);
      else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS)
               || attempt >= MAX_ATTEMPTS)
        goto failed;
    }

  /* JPEG and WebP keep their provenance beside them; PNG carries it inside. */
  if (source_path != NULL
      && !inp_provenance_copy_sidecar (source_path, path, cancellable, &local_error))
    goto failed;

  g_debug ("results: copied output %u of job %" G_GINT64_FORMAT " to %s",
           inp_library_output_get_index (output), inp_library_output_get_job_id (output), path);
  return g_steal_pointer (&path);

failed:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  else
    {
      g_autofree char *display = g_filename_display_name (folder);

      g_set_error (error, local_error->domain, local_error->code,
                   /* Translators: a folder name, then why the copy failed */
                   _("A result could not be copied to the results folder “%s”: %s"),
                   display, local_error->message);
    }

  return NULL;
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CopyData *data = task_data;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  if (!g_path_is_absolute (data->folder))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                               _("The results folder “%s” is not an absolute path. Choose the "
                                 "folder again in the preferences."), data->folder);
      return;
    }

  if (g_mkdir_with_parents (data->folder, 0755) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (data->folder);

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               /* Translators: a folder name, then why it could not be created */
                               _("The results folder “%s” could not be created: %s"), display,
                               g_strerror (saved_errno));
      return;
    }

  for (guint i = 0; i < data->outputs->len; i++)
    {
      char *path = copy_one (data->folder, g_ptr_array_index (data->outputs, i), cancellable,
                             &error);

      if (path == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (paths, path);
    }

  g_task_return_pointer (task, g_steal_pointer (&paths), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * inp_results_folder_copy_async:
 * @folder: an absolute path; created when missing
 * @outputs: (element-type InpLibraryOutput): the outputs of one job, as the library lists them
 *
 * Copies each output, with its provenance sidecar, into @folder under the name
 * inp_results_folder_file_name() gives, in a worker thread. Files already in @folder are
 * never replaced: a copy gets a number instead.
 */
void
inp_results_folder_copy_async (const char          *folder,
                               GPtrArray           *outputs,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CopyData *data;

  g_return_if_fail (folder != NULL);
  g_return_if_fail (outputs != NULL);

  data = g_new0 (CopyData, 1);
  data->folder = g_strdup (folder);
  data->outputs = g_ptr_array_ref (outputs);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_results_folder_copy_async);
  g_task_set_task_data (task, data, (GDestroyNotify) copy_data_free);
  g_task_run_in_thread (task, copy_thread);
}

/**
 * inp_results_folder_copy_finish:
 *
 * Returns: (transfer full) (element-type filename): the paths of the copies, in the order of
 *   the outputs
 */
GPtrArray *
inp_results_folder_copy_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
