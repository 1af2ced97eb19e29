/* inp-window-history.c: the history tab, putting a past generation back, and provenance on open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-window-private.h"

typedef struct
{
  InpRestoreData *data;
  InpModel       *model;
  GdkPixbuf      *image;
  GdkPixbuf      *mask;
  gboolean        run_again;
} Restore;

static void
restore_free (Restore *restore)
{
  g_clear_pointer (&restore->data, inp_restore_data_free);
  g_clear_object (&restore->model);
  g_clear_object (&restore->image);
  g_clear_object (&restore->mask);
  g_free (restore);
}

/* A job made with a model added by name can only come back while that model is listed. */
static InpModel *
lookup_model (InpWindow            *self,
              const InpRestoreData *data,
              GError              **error)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), data->model);

  if (model == NULL)
    model = inp_custom_models_lookup (inp_model_picker_get_custom_models (self->model_picker),
                                      data->model);

  if (model == NULL)
    g_set_error (error, INP_ERROR, INP_ERROR_NOT_FOUND,
                 _("The model “%s” is not in the model list: add it by name, then try again"),
                 data->model);

  return model != NULL ? g_object_ref (model) : NULL;
}

/* Everything is checked before this runs, so that a restore applies whole or not at all. */
static void
apply_restore (InpWindow *self,
               Restore   *restore)
{
  if (restore->image != NULL)
    {
      inp_mask_canvas_set_pixbuf (self->canvas, restore->image);
      /* Translators: the window's subtitle after a job's picture was put back from the history. */
      inp_window_status_set_picture_name (self, _("From History"));
      inp_window_update_centre (self);

      if (restore->mask != NULL)
        {
          g_autoptr(GError) error = NULL;

          /* Both were stored together at one size; a failure here is a fault, not bad input. */
          if (!inp_mask_import (inp_mask_canvas_get_mask (self->canvas), restore->mask, NULL,
                                &error))
            g_warning ("window: the restored mask could not be applied: %s", error->message);
        }
    }

  /* The picker's choice resets the form and the prompts, so the values come after it. */
  inp_model_picker_set_selected_model (self->model_picker, restore->model);
  inp_prompt_panel_set_from_input (self->prompt_panel, restore->data->inputs);
  inp_param_form_set_values (self->param_form, restore->data->inputs);

  g_debug ("window: restored %s (job %" G_GINT64_FORMAT ")", restore->data->model,
           restore->data->job_id);
}

static GdkPixbuf *
decode (GBytes        *bytes,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  return gdk_pixbuf_new_from_stream (stream, cancellable, error);
}

static void
decode_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Restore *restore = task_data;
  g_autoptr(GError) error = NULL;

  restore->image = decode (restore->data->image, cancellable, &error);
  if (restore->image != NULL && restore->data->mask != NULL)
    restore->mask = decode (restore->data->mask, cancellable, &error);

  if (error == NULL)
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, INP_ERROR, INP_ERROR_INVALID_INPUT,
                             _("The pictures of this job could not be read: %s"), error->message);
}

static void
decoded_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InpWindow *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The window may have closed while the pictures were decoded. */
  if (g_task_return_error_if_cancelled (task))
    return;

  apply_restore (self, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

static void
job_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InpWindow *self = g_task_get_source_object (task);
  Restore *restore = g_task_get_task_data (task);
  g_autoptr(GTask) decode_task = NULL;
  GError *error = NULL;

  restore->data = inp_restore_data_load_job_finish (result, &error);
  if (restore->data == NULL
      || (restore->model = lookup_model (self, restore->data, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (restore->data->image == NULL)
    {
      if (!g_task_return_error_if_cancelled (task))
        {
          apply_restore (self, restore);
          g_task_return_boolean (task, TRUE);
        }
      return;
    }

  decode_task = g_task_new (NULL, g_task_get_cancellable (task), decoded_cb, g_object_ref (task));
  g_task_set_task_data (decode_task, restore, NULL);
  g_task_run_in_thread (decode_task, decode_thread);
}

/**
 * inp_window_restore_job_async:
 * @job: a job from the library
 * @run_again: whether to generate once the job is back, as Run Again does
 *
 * Puts the job's picture and mask (when it recorded them) on the canvas, selects its model and
 * shows its prompts and values. Fails without changing anything when the job's files are gone or
 * its model is not in the model list.
 */
void
inp_window_restore_job_async (InpWindow           *self,
                              InpLibraryJob       *job,
                              gboolean             run_again,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Restore *restore;

  g_return_if_fail (INP_IS_WINDOW (self));
  g_return_if_fail (INP_IS_LIBRARY_JOB (job));

  if (cancellable == NULL)
    cancellable = self->cancellable;

  restore = g_new0 (Restore, 1);
  restore->run_again = run_again;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_window_restore_job_async);
  g_task_set_task_data (task, restore, (GDestroyNotify) restore_free);

  inp_restore_data_load_job_async (job, cancellable, job_loaded_cb, g_steal_pointer (&task));
}

gboolean
inp_window_restore_job_finish (InpWindow     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  InpWindow *self = INP_WINDOW (source);
  Restore *restore = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!inp_window_restore_job_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        inp_window_show_toast (self, error->message);
      return;
    }

  if (restore->run_again)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.generate", NULL);
  else
    inp_window_show_toast (self, _("Picture and settings restored"));
}

static void
restore_job_cb (InpWindow      *self,
                InpLibraryJob  *job,
                InpHistoryView *view)
{
  inp_window_restore_job_async (self, job, FALSE, NULL, restored_cb, NULL);
}

static void
run_again_cb (InpWindow      *self,
              InpLibraryJob  *job,
              InpHistoryView *view)
{
  inp_window_restore_job_async (self, job, TRUE, NULL, restored_cb, NULL);
}

/* The view is made when the tab is first shown or asked for: made with the window, its query
 * and list cost every start-up for a tab that is hidden then. */
static void
ensure_history (InpWindow *self)
{
  if (self->library == NULL || self->history != NULL)
    return;

  self->history = INP_HISTORY_VIEW (inp_history_view_new (self->library, NULL));
  inp_history_view_set_toast_overlay (self->history, self->toast_overlay);
  gtk_widget_set_vexpand (GTK_WIDGET (self->history), TRUE);
  gtk_box_append (self->history_box, GTK_WIDGET (self->history));
  g_signal_connect_object (self->history, "restore-job", G_CALLBACK (restore_job_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "run-again", G_CALLBACK (run_again_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * inp_window_get_history_view:
 *
 * Returns: (transfer none) (nullable): the history tab, once the window has a library
 */
InpHistoryView *
inp_window_get_history_view (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  ensure_history (self);
  return self->history;
}

/* A list of jobs needs more height than the strip of results: the history tab takes half the
 * window's height when it is shown, unless the divider was already moved higher. */
static void
results_page_changed_cb (InpWindow  *self,
                         GParamSpec *pspec,
                         GtkStack   *stack)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->results_paned));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "history") != 0)
    return;

  ensure_history (self);
  if (height <= 0)
    return;

  if (gtk_paned_get_position (self->results_paned) > height / 2)
    gtk_paned_set_position (self->results_paned, height / 2);
}

/* The library comes with the application, after construction; without one there is no tab. */
static void
application_changed_cb (InpWindow  *self,
                        GParamSpec *pspec,
                        gpointer    unused)
{
  if (self->library == NULL)
    return;

  gtk_stack_page_set_visible (self->history_page, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-history", TRUE);
}

/**
 * inp_window_get_provenance:
 *
 * Returns: (transfer none) (nullable): the settings the open picture says it was made with,
 *   while the window offers to restore them
 */
const InpRestoreData *
inp_window_get_provenance (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->provenance;
}

static void
provenance_toast_dismissed_cb (InpWindow *self,
                               AdwToast  *toast)
{
  if (toast == self->provenance_toast)
    g_clear_object (&self->provenance_toast);
}

static void
withdraw_offer (InpWindow *self)
{
  if (self->provenance_toast != NULL)
    adw_toast_dismiss (self->provenance_toast);
  g_clear_object (&self->provenance_toast);
  g_clear_pointer (&self->provenance, inp_restore_data_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-settings", FALSE);
}

/* Settings that are already in the window are not worth a toast, as with a result used as the
 * next picture. */
static gboolean
already_shown (InpWindow            *self,
               const InpRestoreData *data)
{
  InpModel *model = inp_model_picker_get_selected_model (self->model_picker);
  g_autofree char *prompt = inp_prompt_panel_dup_prompt (self->prompt_panel);

  return model != NULL && g_strcmp0 (inp_model_get_id (model), data->model) == 0
         && g_strcmp0 (prompt, data->prompt != NULL ? data->prompt : "") == 0;
}

/* Called for each picture that opens, with what its provenance says (or %NULL). */
void
inp_window_history_offer (InpWindow      *self,
                          InpRestoreData *provenance)
{
  g_autoptr(InpRestoreData) data = provenance;
  AdwToast *toast;

  withdraw_offer (self);
  if (data == NULL || already_shown (self, data))
    return;

  self->provenance = g_steal_pointer (&data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-settings", TRUE);

  toast = adw_toast_new (_("This picture was made with Inpainter"));
  adw_toast_set_button_label (toast, _("_Restore Settings"));
  adw_toast_set_action_name (toast, "win.restore-settings");
  adw_toast_set_timeout (toast, 10);
  self->provenance_toast = g_object_ref (toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (provenance_toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
restore_settings_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  InpWindow *self = INP_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  Restore restore = { 0 };

  if (self->provenance == NULL)
    return;

  /* The picture is already open: only the model, prompts and values come back. */
  restore.data = self->provenance;
  restore.model = lookup_model (self, self->provenance, &error);
  if (restore.model == NULL)
    {
      inp_window_show_toast (self, error->message);
      return;
    }

  apply_restore (self, &restore);
  g_clear_object (&restore.model);
  /* The toast whose button was pressed goes away by itself. */
  g_clear_object (&self->provenance_toast);
  withdraw_offer (self);
}

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  InpWindow *self = INP_WINDOW (widget);

  ensure_history (self);
  if (self->history == NULL)
    return;

  gtk_stack_set_visible_child_name (self->results_stack, "history");
  /* The first control of the tab, its search entry, takes the keyboard. */
  gtk_widget_child_focus (GTK_WIDGET (self->history), GTK_DIR_TAB_FORWARD);
}

void
inp_window_history_init (InpWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-settings", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-history", FALSE);
  g_signal_connect_object (self->results_stack, "notify::visible-child",
                           G_CALLBACK (results_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
  application_changed_cb (self, NULL, NULL);
}

void
inp_window_history_dispose (InpWindow *self)
{
  g_clear_object (&self->provenance_toast);
  g_clear_pointer (&self->provenance, inp_restore_data_free);
}

void
inp_window_history_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, InpWindow, results_paned);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, history_box);
  gtk_widget_class_install_action (widget_class, "win.restore-settings", NULL,
                                   restore_settings_action);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "win.show-history", NULL);
}
