/* inp-window.c: the main window, which composes the panels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-a11y.h"
#include "inp-error.h"
#include "inp-file-dialog.h"
#include "inp-window-private.h"

G_DEFINE_FINAL_TYPE (InpWindow, inp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SIDEBAR_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

InpWindow *
inp_window_new (InpApplication *application)
{
  g_return_val_if_fail (INP_IS_APPLICATION (application), NULL);

  return g_object_new (INP_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
restore_state (InpWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_state (InpWindow *self)
{
  int width = 0;
  int height = 0;

  /* The default size tracks the last unmaximised size, which is what a restart should restore. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
inp_window_close_request (GtkWindow *window)
{
  InpWindow *self = INP_WINDOW (window);

  save_state (self);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (inp_window_parent_class)->close_request (window);
}

static void
inp_window_constructed (GObject *object)
{
  InpWindow *self = INP_WINDOW (object);

  G_OBJECT_CLASS (inp_window_parent_class)->constructed (object);

  self->settings = g_settings_new (APP_ID);
  restore_state (self);
  inp_window_generate_init (self);
  inp_window_history_init (self);
  inp_window_status_init (self);
}

static void
inp_window_dispose (GObject *object)
{
  InpWindow *self = INP_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  inp_window_status_dispose (self);
  inp_window_generate_dispose (self);
  inp_window_history_dispose (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "canvas", NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_WINDOW);

  G_OBJECT_CLASS (inp_window_parent_class)->dispose (object);
}

/* Built on demand: building it with every window (what GtkApplication does with a
 * gtk/help-overlay.ui resource) took a seventh of the window's start-up. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = NULL;

      builder = gtk_builder_new_from_resource (INP_RESOURCE_PREFIX "/inp-help-overlay.ui");
      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      /* The window then shows the accelerators of its actions, and owns the overlay. */
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/**
 * inp_window_get_canvas:
 *
 * Returns: (transfer none): the mask canvas, which holds the open picture and its mask
 */
InpMaskCanvas *
inp_window_get_canvas (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->canvas;
}

InpModelPicker *
inp_window_get_model_picker (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->model_picker;
}

InpPromptPanel *
inp_window_get_prompt_panel (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->prompt_panel;
}

InpParamForm *
inp_window_get_param_form (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->param_form;
}

void
inp_window_show_toast (InpWindow  *self,
                       const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  /* Toast titles are markup in libadwaita 1.2: a path or a parser's "<data>" must show as is. */
  AdwToast *toast = adw_toast_new (escaped);

  /* Server messages can be long; they are shown whole in the job row. */
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * inp_window_weak_new: (skip)
 *
 * For callbacks that can come after the window closed, such as a clipboard or keyring answer:
 * they must not keep it alive. Pass the result as user data and take it back once.
 */
GWeakRef *
inp_window_weak_new (InpWindow *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);

  return weak;
}

/* Frees @weak; returns the window if it is still there, with a reference. */
InpWindow *
inp_window_weak_take (GWeakRef *weak)
{
  InpWindow *self = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);

  return self;
}

/* The centre shows the first-run page until there is a way to run models or a picture. */
void
inp_window_update_centre (InpWindow *self)
{
  const char *page = "empty";

  if (inp_mask_canvas_get_image (self->canvas) != NULL)
    page = "canvas";
  else if (self->needs_token)
    page = "welcome";

  gtk_stack_set_visible_child_name (self->canvas_stack, page);
}

static void
canvas_state_changed_cb (InpWindow  *self,
                         GParamSpec *pspec,
                         gpointer    unused)
{
  inp_model_picker_set_canvas_state (self->model_picker,
                                     inp_mask_canvas_get_image (self->canvas) != NULL,
                                     !inp_mask_canvas_is_mask_empty (self->canvas));
}

typedef struct
{
  GdkPixbuf      *pixbuf;
  InpRestoreData *provenance;
} Opened;

static void
opened_free (Opened *opened)
{
  g_clear_object (&opened->pixbuf);
  g_clear_pointer (&opened->provenance, inp_restore_data_free);
  g_free (opened);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Opened, opened_free)

static void
load_picture_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *path = g_file_get_path (file);
  Opened *opened;

  stream = g_file_read (file, cancellable, &error);
  if (stream != NULL)
    pixbuf = gdk_pixbuf_new_from_stream (G_INPUT_STREAM (stream), cancellable, &error);

  if (pixbuf == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, INP_ERROR, INP_ERROR_INVALID_INPUT,
                                 /* Translators: a file name, then why it could not be opened */
                                 _("“%s” could not be opened: %s"), name, error->message);
      return;
    }

  opened = g_new0 (Opened, 1);
  /* Cameras store portraits sideways with an orientation tag; show them upright. */
  opened->pixbuf = gdk_pixbuf_apply_embedded_orientation (pixbuf);

  /* A picture Inpainter made says how; anything else simply has nothing to offer. */
  if (path != NULL)
    {
      g_autoptr(GError) provenance_error = NULL;

      opened->provenance = inp_restore_data_load_file (path, &provenance_error);
      if (opened->provenance == NULL
          && !g_error_matches (provenance_error, INP_ERROR, INP_ERROR_NOT_FOUND))
        g_debug ("window: no provenance read from %s: %s", name, provenance_error->message);
    }

  g_task_return_pointer (task, opened, (GDestroyNotify) opened_free);
}

static void
picture_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InpWindow *self = g_task_get_source_object (task);
  g_autoptr(Opened) opened = NULL;
  GdkPixbuf *pixbuf;
  GError *error = NULL;
  GFile *file = g_task_get_task_data (task);
  g_autofree char *basename = g_file_get_basename (file);

  opened = g_task_propagate_pointer (G_TASK (result), &error);
  if (opened == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The window may have closed while the picture was decoded. */
  if (g_task_return_error_if_cancelled (task))
    return;

  pixbuf = opened->pixbuf;
  g_debug ("window: opened %s, %d × %d", basename, gdk_pixbuf_get_width (pixbuf),
           gdk_pixbuf_get_height (pixbuf));
  inp_mask_canvas_set_pixbuf (self->canvas, pixbuf);
  inp_window_status_set_picture_name (self, basename);
  inp_window_update_centre (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  inp_window_history_offer (self, g_steal_pointer (&opened->provenance));
  g_task_return_boolean (task, TRUE);
}

/**
 * inp_window_open_async:
 * @file: a picture (PNG, JPEG, WebP…)
 *
 * Decodes the picture off the main thread, then shows it on the canvas with an empty mask.
 * If it cannot be read, the picture and mask already open stay as they were. When the picture
 * carries Inpainter's provenance, a toast offers to restore its settings
 * (see inp_window_get_provenance()).
 */
void
inp_window_open_async (InpWindow           *self,
                       GFile               *file,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) load = NULL;

  g_return_if_fail (INP_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (cancellable == NULL)
    cancellable = self->cancellable;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_window_open_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);

  load = g_task_new (NULL, cancellable, picture_loaded_cb, g_steal_pointer (&task));
  g_task_set_task_data (load, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (load, load_picture_thread);
}

gboolean
inp_window_open_finish (InpWindow     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  InpWindow *self = INP_WINDOW (source);
  g_autoptr(GError) error = NULL;

  if (!inp_window_open_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    inp_window_show_toast (self, error->message);
}

/**
 * inp_window_open_file:
 * @file: a picture
 *
 * Opens @file as inp_window_open_async() does, for callers with nothing to do afterwards
 * (a drop, the command line, a result used as the picture): a failure is shown as a toast.
 */
void
inp_window_open_file (InpWindow *self,
                      GFile     *file)
{
  g_return_if_fail (INP_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  inp_window_open_async (self, file, NULL, open_done_cb, NULL);
}

static void
open_chosen_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(InpWindow) self = user_data;
  g_autoptr(GFile) file = inp_file_dialog_run_finish (result, NULL);

  self->choosing = FALSE;
  if (file != NULL && !g_cancellable_is_cancelled (self->cancellable))
    inp_window_open_file (self, file);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  InpWindow *self = INP_WINDOW (widget);

  if (self->choosing)
    return;

  self->choosing = TRUE;
  inp_file_dialog_run_async (widget, GTK_FILE_CHOOSER_ACTION_OPEN, _("Open Picture"), _("_Open"),
                             NULL, self->cancellable, open_chosen_cb, g_object_ref (self));
}

static void
zoom_changed_cb (InpWindow     *self,
                 GParamSpec    *pspec,
                 InpMaskCanvas *canvas)
{
  /* Translators: a zoom level, such as “150 %”. */
  g_autofree char *label = g_strdup_printf (_("%.0f %%"),
                                            inp_mask_canvas_get_zoom (canvas) * 100.0);

  gtk_menu_button_set_label (self->zoom_button, label);
}

static void
brush_size_changed_cb (InpWindow     *self,
                       GParamSpec    *pspec,
                       InpMaskCanvas *canvas)
{
  /* Translators: the brush size, such as “64 px”. */
  g_autofree char *label = g_strdup_printf (_("%.0f px"), inp_mask_canvas_get_brush_size (canvas));

  gtk_menu_button_set_label (self->brush_button, label);
}

static void
flap_reveal_changed_cb (InpWindow  *self,
                        GParamSpec *pspec,
                        AdwFlap    *flap)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_SHOWN]);
}

static void
inp_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  InpWindow *self = INP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_SHOWN:
      /* The header bar's toggle asks before the template has bound the flap. */
      g_value_set_boolean (value, self->flap == NULL || adw_flap_get_reveal_flap (self->flap));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  InpWindow *self = INP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_SHOWN:
      /* The flap's own notify is forwarded, so no notify is emitted here. */
      adw_flap_set_reveal_flap (self->flap, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_window_class_init (InpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = inp_window_constructed;
  object_class->dispose = inp_window_dispose;
  object_class->get_property = inp_window_get_property;
  object_class->set_property = inp_window_set_property;
  window_class->close_request = inp_window_close_request;

  /**
   * InpWindow:sidebar-shown:
   *
   * Whether the side panel with the prompt and the model is revealed.
   */
  properties[PROP_SIDEBAR_SHOWN] =
    g_param_spec_boolean ("sidebar-shown", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, INP_RESOURCE_PREFIX "/inp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, sandbox_badge);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, canvas_stack);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, model_picker);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, prompt_panel);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, param_form);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, results_stack);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, gallery_box);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, brush_button);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, color_button);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, hardness_adjustment);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, opacity_adjustment);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, edge_adjustment);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, extend_adjustment);

  gtk_widget_class_install_property_action (widget_class, "win.toggle-sidebar", "sidebar-shown");
  gtk_widget_class_bind_template_callback (widget_class, flap_reveal_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);

  inp_window_generate_class_init (widget_class);
  inp_window_input_class_init (widget_class);
  inp_window_outpaint_class_init (widget_class);
  inp_window_history_class_init (widget_class);
  inp_window_status_class_init (widget_class);

  g_type_ensure (INP_TYPE_MASK_CANVAS);
  g_type_ensure (INP_TYPE_MODEL_PICKER);
  g_type_ensure (INP_TYPE_PROMPT_PANEL);
  g_type_ensure (INP_TYPE_PARAM_FORM);
}

static void
bind (gpointer    source,
      const char *source_property,
      gpointer    target,
      const char *target_property)
{
  g_object_bind_property (source, source_property, target, target_property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

static void
inp_window_init (InpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  inp_a11y_name_inner_buttons (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  /* The tool bar and menus reach the canvas's actions from outside it. */
  gtk_widget_insert_action_group (GTK_WIDGET (self), "canvas",
                                  inp_mask_canvas_get_action_group (self->canvas));
  bind (self->canvas, "brush-size", self->size_adjustment, "value");
  bind (self->canvas, "hardness", self->hardness_adjustment, "value");
  bind (self->canvas, "opacity", self->opacity_adjustment, "value");
  bind (self->canvas, "edge-amount", self->edge_adjustment, "value");
  bind (self->canvas, "extend-amount", self->extend_adjustment, "value");
  bind (self->canvas, "overlay-color", self->color_button, "rgba");
  g_signal_connect_object (self->canvas, "notify::zoom", G_CALLBACK (zoom_changed_cb), self,
                           G_CONNECT_SWAPPED);
  zoom_changed_cb (self, NULL, self->canvas);
  g_signal_connect_object (self->canvas, "notify::brush-size", G_CALLBACK (brush_size_changed_cb),
                           self, G_CONNECT_SWAPPED);
  brush_size_changed_cb (self, NULL, self->canvas);

  /* The picker says which model; the form and the prompt panel follow it. */
  g_object_bind_property (self->model_picker, "selected-model", self->param_form, "model",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->model_picker, "selected-model", self->prompt_panel, "model",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->canvas, "notify::image", G_CALLBACK (canvas_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::is-mask-empty",
                           G_CALLBACK (canvas_state_changed_cb), self, G_CONNECT_SWAPPED);
  canvas_state_changed_cb (self, NULL, NULL);
  inp_window_input_init (self);
  inp_window_outpaint_init (self);

  if (IS_DEVEL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
