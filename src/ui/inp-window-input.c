/* inp-window-input.c: pictures that arrive by drag and drop, paste, or as a blank canvas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-image.h"
#include "inp-window-private.h"

#define NEW_CANVAS_MIN_SIDE 64
#define NEW_CANVAS_MAX_SIDE 4096

typedef struct
{
  const char *label;
  int         width;
  int         height;
} Preset;

static const Preset presets[] = {
  { N_("Square, 1024 × 1024"), 1024, 1024 },
  { N_("Square, 512 × 512"), 512, 512 },
  { N_("Landscape, 1344 × 768"), 1344, 768 },
  { N_("Landscape, 1024 × 768"), 1024, 768 },
  { N_("Portrait, 768 × 1344"), 768, 1344 },
  { N_("Portrait, 768 × 1024"), 768, 1024 },
};

/**
 * inp_window_open_texture:
 * @texture: a picture, such as one pasted or dropped
 * @name: (nullable): what to call it in the title
 *
 * Shows @texture on the canvas with an empty mask.
 */
void
inp_window_open_texture (InpWindow  *self,
                         GdkTexture *texture,
                         const char *name)
{
  g_return_if_fail (INP_IS_WINDOW (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  g_debug ("window: opened a picture of %d × %d", gdk_texture_get_width (texture),
           gdk_texture_get_height (texture));
  inp_mask_canvas_set_image (self->canvas, texture);
  inp_window_status_set_picture_name (self, name);
  inp_window_update_centre (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  /* Pixels alone carry no provenance: an offer made for the previous picture goes. */
  inp_window_history_offer (self, NULL);
}

/**
 * inp_window_new_canvas:
 *
 * Replaces the picture with a white one of the given size, for text-to-image models: they
 * make pictures of the canvas's size.
 */
void
inp_window_new_canvas (InpWindow *self,
                       int        width,
                       int        height)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (INP_IS_WINDOW (self));
  g_return_if_fail (width >= NEW_CANVAS_MIN_SIDE && width <= NEW_CANVAS_MAX_SIDE);
  g_return_if_fail (height >= NEW_CANVAS_MIN_SIDE && height <= NEW_CANVAS_MAX_SIDE);

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  gdk_pixbuf_fill (pixbuf, 0xffffffff);
  inp_mask_canvas_set_pixbuf (self->canvas, pixbuf);
  /* Translators: the title of a new blank picture, such as “Blank, 1024 × 1024”. */
  title = g_strdup_printf (_("Blank, %d × %d"), width, height);
  inp_window_status_set_picture_name (self, title);
  inp_window_update_centre (self);
  inp_window_history_offer (self, NULL);
}

/* How long to wait for a clipboard whose contents are not known yet. */
#define CLIPBOARD_WAIT_MS 3000

static void
paste_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(InpWindow) self = inp_window_weak_take (user_data);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture == NULL)
    {
      g_debug ("window: nothing to paste: %s", error != NULL ? error->message : "no texture");
      inp_window_show_toast (self, _("The clipboard holds no picture to paste."));
      return;
    }

  /* Translators: the window’s subtitle after a picture was pasted */
  inp_window_open_texture (self, texture, _("Pasted Picture"));
}

static void
paste_read (InpWindow *self)
{
  /* Another application may be slow to hand the picture over; the window can close meanwhile. */
  gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                                    self->cancellable, paste_read_cb, inp_window_weak_new (self));
}

typedef struct
{
  GWeakRef      window;
  GdkClipboard *clipboard;
  gulong        changed_id;
  guint         timeout_id;
} ClipboardWait;

static void
clipboard_wait_done (ClipboardWait *wait)
{
  g_autoptr(InpWindow) self = g_weak_ref_get (&wait->window);

  g_clear_signal_handler (&wait->changed_id, wait->clipboard);
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_clear_object (&wait->clipboard);
  g_weak_ref_clear (&wait->window);
  g_free (wait);

  if (self != NULL)
    paste_read (self);
}

static void
clipboard_changed_cb (GdkClipboard  *clipboard,
                      ClipboardWait *wait)
{
  clipboard_wait_done (wait);
}

static gboolean
clipboard_timeout_cb (gpointer user_data)
{
  ClipboardWait *wait = user_data;

  wait->timeout_id = 0;
  clipboard_wait_done (wait);

  return G_SOURCE_REMOVE;
}

/**
 * inp_window_paste_picture:
 *
 * Opens the picture on the clipboard as the canvas picture, with an empty mask, as Ctrl+V does,
 * but also right after start-up (see below). When the clipboard holds no picture, a toast says
 * so and the canvas stays as it was.
 */
void
inp_window_paste_picture (InpWindow *self)
{
  GdkClipboard *clipboard;
  GdkContentFormats *formats;
  gsize n_types = 0;
  gsize n_mime_types = 0;
  ClipboardWait *wait;

  g_return_if_fail (INP_IS_WINDOW (self));

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  formats = gdk_clipboard_get_formats (clipboard);

  /* Right after start-up the clipboard may not know its contents yet: X11 asks their owner,
   * and Wayland only tells a window that has the keyboard. Reading then would find nothing, so
   * an unknown clipboard is read once it changes, or after a while at the latest. */
  gdk_content_formats_get_gtypes (formats, &n_types);
  gdk_content_formats_get_mime_types (formats, &n_mime_types);
  if (n_types > 0 || n_mime_types > 0)
    {
      paste_read (self);
      return;
    }

  g_debug ("window: the clipboard's contents are not known yet; waiting for them");
  wait = g_new0 (ClipboardWait, 1);
  g_weak_ref_init (&wait->window, self);
  wait->clipboard = g_object_ref (clipboard);
  wait->changed_id = g_signal_connect (clipboard, "changed", G_CALLBACK (clipboard_changed_cb),
                                       wait);
  wait->timeout_id = g_timeout_add (CLIPBOARD_WAIT_MS, clipboard_timeout_cb, wait);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  InpWindow *self = INP_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Text fields keep their own Ctrl+V. */
  if (focus != NULL && (GTK_IS_TEXT (focus) || GTK_IS_TEXT_VIEW (focus)))
    {
      gtk_widget_activate_action (focus, "clipboard.paste", NULL);
      return;
    }

  paste_read (self);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         InpWindow     *self)
{
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      inp_window_open_file (self, g_value_get_object (value));
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      /* Translators: the window’s subtitle after a picture was dropped on it */
      inp_window_open_texture (self, g_value_get_object (value), _("Dropped Picture"));
      return TRUE;
    }

  return FALSE;
}

typedef struct
{
  InpWindow     *window;
  GtkSpinButton *width;
  GtkSpinButton *height;
} NewCanvas;

static void
new_canvas_free (NewCanvas *dialog)
{
  g_clear_object (&dialog->window);
  g_free (dialog);
}

static void
new_canvas_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        NewCanvas        *data)
{
  if (g_str_equal (response, "create"))
    inp_window_new_canvas (data->window, gtk_spin_button_get_value_as_int (data->width),
                           gtk_spin_button_get_value_as_int (data->height));
}

static void
preset_selected_cb (GtkDropDown *drop_down,
                    GParamSpec  *pspec,
                    NewCanvas   *data)
{
  guint selected = gtk_drop_down_get_selected (drop_down);

  if (selected >= G_N_ELEMENTS (presets))
    return;

  gtk_spin_button_set_value (data->width, presets[selected].width);
  gtk_spin_button_set_value (data->height, presets[selected].height);
}

static GtkSpinButton *
side_spin_button (GtkGrid    *grid,
                  int         row,
                  const char *label)
{
  GtkWidget *title = gtk_label_new_with_mnemonic (label);
  GtkWidget *spin = gtk_spin_button_new_with_range (NEW_CANVAS_MIN_SIDE, NEW_CANVAS_MAX_SIDE, 8);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (title), spin);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_grid_attach (grid, title, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);

  return GTK_SPIN_BUTTON (spin);
}

static void
new_canvas_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  InpWindow *self = INP_WINDOW (widget);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *dialog;
  GtkWidget *grid;
  GtkWidget *preset_label;
  GtkWidget *drop_down;
  NewCanvas *data;

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    gtk_string_list_append (labels, _(presets[i].label));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("New Blank Canvas"),
                                   _("Text-to-image models make pictures of the canvas’s size"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "create", _("C_reate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  /* Translators: the size of a new blank canvas, picked from a list */
  preset_label = gtk_label_new_with_mnemonic (_("_Size"));
  gtk_label_set_xalign (GTK_LABEL (preset_label), 0);
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
  gtk_label_set_mnemonic_widget (GTK_LABEL (preset_label), drop_down);
  gtk_grid_attach (GTK_GRID (grid), preset_label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), drop_down, 1, 0, 1, 1);

  data = g_new0 (NewCanvas, 1);
  data->window = g_object_ref (self);
  data->width = side_spin_button (GTK_GRID (grid), 1, _("_Width"));
  data->height = side_spin_button (GTK_GRID (grid), 2, _("_Height"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);

  g_signal_connect (drop_down, "notify::selected", G_CALLBACK (preset_selected_cb), data);
  preset_selected_cb (GTK_DROP_DOWN (drop_down), NULL, data);
  g_signal_connect_data (dialog, "response", G_CALLBACK (new_canvas_response_cb), data,
                         (GClosureNotify) new_canvas_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
use_as_image_cb (InpWindow  *self,
                 GFile      *file,
                 InpGallery *gallery)
{
  /* Iterating: the result becomes the picture to paint on next. */
  inp_window_open_file (self, file);
}

static void
mask_picture_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (task_data);
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);

  if (pixbuf == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
mask_picture_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  InpWindow *self = INP_WINDOW (source);
  InpMask *mask = inp_mask_canvas_get_mask (self->canvas);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixbuf == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        inp_window_show_toast (self, error->message);
      return;
    }

  if (mask == NULL)
    {
      inp_window_show_toast (self, _("Open a picture first, then use a result as its mask."));
      return;
    }

  /* A result of another size than the picture still lines up with it. */
  if (gdk_pixbuf_get_width (pixbuf) != inp_mask_get_width (mask)
      || gdk_pixbuf_get_height (pixbuf) != inp_mask_get_height (mask))
    scaled = inp_image_scale (pixbuf, inp_mask_get_width (mask), inp_mask_get_height (mask));

  if (!inp_mask_set_from_alpha (mask, scaled != NULL ? scaled : pixbuf, &error))
    inp_window_show_toast (self, error->message);
}

static void
use_as_mask_cb (InpWindow  *self,
                GFile      *file,
                InpGallery *gallery)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, mask_picture_loaded_cb, NULL);

  g_task_set_source_tag (task, use_as_mask_cb);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, mask_picture_thread);
}

void
inp_window_input_init (InpWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { G_TYPE_FILE, GDK_TYPE_TEXTURE };

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas_stack), GTK_EVENT_CONTROLLER (target));
}

void
inp_window_input_follow_gallery (InpWindow *self)
{
  g_signal_connect_object (self->gallery, "use-as-image", G_CALLBACK (use_as_image_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->gallery, "use-as-mask", G_CALLBACK (use_as_mask_cb), self,
                           G_CONNECT_SWAPPED);
}

void
inp_window_input_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.new-canvas", NULL, new_canvas_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-canvas", NULL);
}
