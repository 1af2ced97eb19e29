/* inp-file-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-file-dialog.h"

typedef struct
{
  GtkNativeDialog *dialog;
  gulong           cancelled_id;
  gboolean         done;
} DialogData;

static void
dialog_data_free (DialogData *data)
{
  if (data->dialog != NULL)
    gtk_native_dialog_destroy (data->dialog);
  g_clear_object (&data->dialog);
  g_free (data);
}

static void
response_cb (GtkNativeDialog *dialog,
             int              response,
             GTask           *task)
{
  DialogData *data = g_task_get_task_data (task);
  GFile *file = NULL;

  data->done = TRUE;

  /* Whichever comes first, the answer or the cancellation, ends the dialog. */
  g_signal_handlers_disconnect_by_func (dialog, response_cb, task);
  g_cancellable_disconnect (g_task_get_cancellable (task), data->cancelled_id);
  data->cancelled_id = 0;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (file != NULL)
    g_task_return_pointer (task, file, g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "dismissed");

  /* The task held itself while the dialog was up. */
  g_object_unref (task);
}

static gboolean
dismiss_cb (gpointer user_data)
{
  GTask *task = user_data;
  DialogData *data = g_task_get_task_data (task);

  if (!data->done)
    {
      gtk_native_dialog_hide (data->dialog);
      response_cb (data->dialog, GTK_RESPONSE_CANCEL, task);
    }

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  /* Not from inside the handler: disconnecting there would deadlock. */
  g_idle_add_full (G_PRIORITY_DEFAULT, dismiss_cb, g_object_ref (task), g_object_unref);
}

/**
 * inp_file_dialog_run_async:
 * @parent: the widget whose window the dialog belongs to
 * @action: open one file, save one, or choose a folder
 * @initial_name: (nullable): for saving, the proposed name
 *
 * Shows a native file chooser (the portal's where there is one). Opening offers pictures
 * only. Cancelling @cancellable closes the dialog.
 */
void
inp_file_dialog_run_async (GtkWidget            *parent,
                           GtkFileChooserAction  action,
                           const char           *title,
                           const char           *accept_label,
                           const char           *initial_name,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  GtkFileChooserNative *chooser;
  DialogData *data;
  GTask *task;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (action == GTK_FILE_CHOOSER_ACTION_OPEN ||
                    action == GTK_FILE_CHOOSER_ACTION_SAVE ||
                    action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         action, accept_label, _("_Cancel"));
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      /* Translators: the name of the file filter that shows picture files */
      gtk_file_filter_set_name (filter, _("Pictures"));
      gtk_file_filter_add_pixbuf_formats (filter);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  else if (action == GTK_FILE_CHOOSER_ACTION_SAVE && initial_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), initial_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_file_dialog_run_async);
  data = g_new0 (DialogData, 1);
  data->dialog = GTK_NATIVE_DIALOG (chooser);
  g_task_set_task_data (task, data, (GDestroyNotify) dialog_data_free);

  g_signal_connect (chooser, "response", G_CALLBACK (response_cb), task);
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task, NULL);
  gtk_native_dialog_show (data->dialog);
}

/**
 * inp_file_dialog_run_finish:
 *
 * Returns: (transfer full): the chosen file, or %NULL with %G_IO_ERROR_CANCELLED when the
 *   dialog was dismissed
 */
GFile *
inp_file_dialog_run_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
