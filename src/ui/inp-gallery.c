/* inp-gallery.c
 *
 * Job grouping: GTK 4.8 has no list sections, so every item says which job it belongs to. Its
 * caption names the model (and the output's number, after the first); neighbouring jobs alternate
 * in tint, and the newest output of each job carries an accent mark at its top edge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-a11y.h"
#include "inp-file-dialog.h"
#include "inp-gallery-item.h"
#include "inp-gallery.h"
#include "inp-library-gallery.h"
#include "inp-provenance.h"
#include "inp-result-viewer.h"

struct _InpGallery
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkScrolledWindow    *scrolled;
  GtkGridView          *grid_view;
  GtkWidget            *empty_page;
  GMenuModel           *context_menu;

  GtkWidget            *popover;

  /* Owned references */
  InpLibrary           *library;
  GListModel           *model;
  GtkSingleSelection   *selection;
  InpThumbnailLoader   *loader;
  GCancellable         *cancellable;
  InpLibraryOutput     *chooser_output;
  GCancellable         *alpha_cancellable;

  guint                 regroup_id;
};

G_DEFINE_FINAL_TYPE (InpGallery, inp_gallery, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  USE_AS_IMAGE,
  USE_AS_MASK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Decoded thumbnails kept for scrolling back: about 400 at 160 px, a few hundred at 2×. */
#define THUMBNAIL_CACHE_BYTES (48 * 1024 * 1024)

static GQuark list_item_quark;

/**
 * inp_gallery_new:
 * @library: (nullable): the library whose outputs to show
 *
 * Returns: (transfer full): a gallery of @library's outputs, or an empty one.
 */
InpGallery *
inp_gallery_new (InpLibrary *library)
{
  g_return_val_if_fail (library == NULL || INP_IS_LIBRARY (library), NULL);

  return g_object_new (INP_TYPE_GALLERY, "library", library, NULL);
}

/* Toasts go where the window shows its own, above everything, when the gallery is inside such an
 * overlay: the gallery's own would be hidden in a small pane. */
static AdwToastOverlay *
toast_overlay (InpGallery *self)
{
  GtkWidget *ancestor = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  return ancestor != NULL ? ADW_TOAST_OVERLAY (ancestor) : self->toast_overlay;
}

static void
toast (InpGallery *self,
       const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (toast_overlay (self), toast);
}

static gboolean
is_video (InpLibraryOutput *output)
{
  const char *media_type = inp_library_output_get_media_type (output);

  return media_type != NULL && g_str_has_prefix (media_type, "video/");
}

static gboolean
is_png (InpLibraryOutput *output)
{
  return g_strcmp0 (inp_library_output_get_media_type (output), "image/png") == 0;
}

static int
thumbnail_size (InpGallery *self)
{
  return INP_GALLERY_ITEM_SIZE * gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
update_actions (InpGallery *self);

static void
alpha_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  InpGallery *self = user_data;
  g_autoptr(GdkPaintable) paintable = NULL;
  gboolean has_alpha = FALSE;

  /* Not a reference: a load in flight must not keep a closed gallery alive. Dispose cancels,
   * and a cancelled load returns an error even if it finished. */
  paintable = inp_thumbnail_loader_load_finish (INP_THUMBNAIL_LOADER (object), result,
                                                &has_alpha, NULL);
  if (paintable != NULL)
    update_actions (self);
}

static void
update_actions (InpGallery *self)
{
  InpLibraryOutput *output = inp_gallery_get_selected (self);
  gboolean has_output = output != NULL;
  gboolean has_alpha = FALSE;

  g_cancellable_cancel (self->alpha_cancellable);
  g_clear_object (&self->alpha_cancellable);

  /* Whether a PNG has alpha is known once its thumbnail is decoded, off the main loop. */
  if (has_output && is_png (output))
    {
      g_autoptr(GdkPaintable) cached = NULL;

      cached = inp_thumbnail_loader_lookup (self->loader, inp_library_output_get_file (output),
                                            thumbnail_size (self), &has_alpha);
      if (cached == NULL)
        {
          self->alpha_cancellable = g_cancellable_new ();
          inp_thumbnail_loader_load_async (self->loader, inp_library_output_get_file (output),
                                           thumbnail_size (self), self->alpha_cancellable,
                                           alpha_loaded_cb, self);
        }
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.open", has_output);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.menu", has_output);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.compare",
                                 has_output && !is_video (output) && self->library != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.save-as", has_output);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.copy", has_output);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.use-as-image",
                                 has_output && !is_video (output));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.use-as-mask",
                                 has_output && is_png (output) && has_alpha);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.delete",
                                 has_output && self->library != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.delete-job",
                                 has_output && self->library != NULL);
  g_clear_object (&output);
}

static void
selection_changed_cb (InpGallery *self)
{
  update_actions (self);
}

/* Whether the output at @position is the newest of its job, which starts a group. */
static gboolean
starts_job (InpGallery       *self,
            InpLibraryOutput *output,
            guint             position)
{
  g_autoptr(InpLibraryOutput) previous = NULL;

  if (position == 0)
    return TRUE;

  previous = g_list_model_get_item (self->model, position - 1);
  return previous == NULL ||
         inp_library_output_get_job_id (previous) != inp_library_output_get_job_id (output);
}

/* A new output above an item can end the group it started; items the grid keeps are not bound
 * again, so they are looked at once the grid has taken in the change. */
static gboolean
regroup_cb (gpointer user_data)
{
  InpGallery *self = INP_GALLERY (user_data);

  self->regroup_id = 0;

  /* The grid's children hold one item widget each. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->grid_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *item = gtk_widget_get_first_child (child);
      GtkListItem *list_item;
      InpLibraryOutput *output;

      if (!INP_IS_GALLERY_ITEM (item))
        continue;

      list_item = g_object_get_qdata (G_OBJECT (item), list_item_quark);
      output = inp_gallery_item_get_item (INP_GALLERY_ITEM (item));
      if (output != NULL && gtk_list_item_get_position (list_item) != GTK_INVALID_LIST_POSITION)
        inp_gallery_item_set_job_start (INP_GALLERY_ITEM (item),
                                        starts_job (self, output,
                                                    gtk_list_item_get_position (list_item)));
    }

  return G_SOURCE_REMOVE;
}

static void
items_changed_cb (InpGallery *self)
{
  guint n_items = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;

  gtk_stack_set_visible_child_name (self->stack, n_items > 0 ? "results" : "empty");
  update_actions (self);
  if (self->regroup_id == 0)
    self->regroup_id = g_idle_add (regroup_cb, self);
}

static void
setup_cb (InpGallery               *self,
          GtkListItem              *list_item,
          GtkSignalListItemFactory *factory)
{
  InpGalleryItem *item = inp_gallery_item_new (self->loader);

  g_object_set_qdata (G_OBJECT (item), list_item_quark, list_item);
  gtk_list_item_set_child (list_item, GTK_WIDGET (item));
}

static void
bind_cb (InpGallery               *self,
         GtkListItem              *list_item,
         GtkSignalListItemFactory *factory)
{
  InpGalleryItem *item = INP_GALLERY_ITEM (gtk_list_item_get_child (list_item));
  InpLibraryOutput *output = gtk_list_item_get_item (list_item);

  inp_gallery_item_set_item (item, output);
  inp_a11y_name_list_cell (GTK_WIDGET (item));
  inp_gallery_item_set_job_start (item, starts_job (self, output,
                                                   gtk_list_item_get_position (list_item)));
}

static void
unbind_cb (InpGallery               *self,
           GtkListItem              *list_item,
           GtkSignalListItemFactory *factory)
{
  /* Cancels a thumbnail still loading for an item scrolled out of sight. */
  inp_gallery_item_set_item (INP_GALLERY_ITEM (gtk_list_item_get_child (list_item)), NULL);
}

static GFile *
input_image_of (InpGallery       *self,
                InpLibraryOutput *output)
{
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GError) error = NULL;
  GFile *image;

  if (self->library == NULL)
    return NULL;

  job = inp_library_get_job (self->library, inp_library_output_get_job_id (output), &error);
  if (job == NULL)
    {
      g_debug ("gallery: no job for the output: %s", error->message);
      return NULL;
    }

  image = inp_library_job_get_image (job);
  return image != NULL ? g_object_ref (image) : NULL;
}

static void
open_viewer (InpGallery *self,
             gboolean    compare)
{
  g_autoptr(InpLibraryOutput) output = inp_gallery_get_selected (self);
  g_autoptr(GFile) input = NULL;
  InpResultViewer *viewer;
  GtkRoot *root;

  if (output == NULL)
    return;

  input = is_video (output) ? NULL : input_image_of (self, output);
  viewer = inp_result_viewer_new (output, input);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (viewer), GTK_WINDOW (root));
  inp_result_viewer_set_comparing (viewer, compare);
  gtk_window_present (GTK_WINDOW (viewer));
}

static void
grid_activate_cb (InpGallery  *self,
                  guint        position,
                  GtkGridView *grid_view)
{
  inp_gallery_select (self, position);
  open_viewer (self, FALSE);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  open_viewer (INP_GALLERY (widget), FALSE);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  open_viewer (INP_GALLERY (widget), TRUE);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  InpGallery *self = INP_GALLERY (object);
  g_autoptr(GError) error = NULL;

  if (!inp_gallery_save_output_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  toast (self, _("Result saved"));
}

static void
chooser_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(InpGallery) self = user_data;
  g_autoptr(InpLibraryOutput) output = g_steal_pointer (&self->chooser_output);
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GError) error = NULL;

  destination = inp_file_dialog_run_finish (result, &error);
  if (destination == NULL || self->cancellable == NULL)
    return;

  inp_gallery_save_output_async (self, output, destination, self->cancellable, save_cb, NULL);
}

static char *
suggested_name (InpLibraryOutput *output)
{
  g_autofree char *basename = g_file_get_basename (inp_library_output_get_file (output));
  const char *extension = strrchr (basename, '.');

  return g_strdup_printf ("inpainter-%" G_GINT64_FORMAT "-%u%s",
                          inp_library_output_get_job_id (output),
                          inp_library_output_get_index (output) + 1,
                          extension != NULL ? extension : "");
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  InpGallery *self = INP_GALLERY (widget);
  g_autoptr(InpLibraryOutput) output = inp_gallery_get_selected (self);
  g_autofree char *name = NULL;

  /* One chooser at a time; the output it saves is the one selected when it opened. */
  if (output == NULL || self->chooser_output != NULL)
    return;

  name = suggested_name (output);
  self->chooser_output = g_steal_pointer (&output);
  inp_file_dialog_run_async (widget, GTK_FILE_CHOOSER_ACTION_SAVE, _("Save Result"), _("_Save"),
                             name, self->cancellable, chooser_cb, g_object_ref (self));
}

static void
decode_full_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  GdkTexture *texture = gdk_texture_new_from_file (G_FILE (task_data), &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
copy_decoded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  InpGallery *self = INP_GALLERY (object);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message =
            g_strdup_printf (_("The result could not be copied: %s"), error->message);

          toast (self, message);
        }
      return;
    }

  provider = inp_gallery_content_new (g_task_get_task_data (G_TASK (result)), texture);
  gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (self)), provider);
  toast (self, _("Copied to clipboard"));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  InpGallery *self = INP_GALLERY (widget);
  g_autoptr(InpLibraryOutput) output = inp_gallery_get_selected (self);
  g_autoptr(GTask) task = NULL;
  GFile *file;

  if (output == NULL)
    return;

  file = inp_library_output_get_file (output);
  if (is_video (output))
    {
      g_autoptr(GdkContentProvider) provider = inp_gallery_content_new (file, NULL);

      gdk_clipboard_set_content (gtk_widget_get_clipboard (widget), provider);
      toast (self, _("Copied to clipboard"));
      return;
    }

  /* Full size for the clipboard, decoded in a worker thread. */
  task = g_task_new (self, self->cancellable, copy_decoded_cb, NULL);
  g_task_set_source_tag (task, copy_action);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, decode_full_thread);
}

static void
use_as_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_autoptr(InpLibraryOutput) output = inp_gallery_get_selected (INP_GALLERY (widget));

  if (output != NULL)
    g_signal_emit (widget, signals[USE_AS_IMAGE], 0, inp_library_output_get_file (output));
}

static void
use_as_mask_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(InpLibraryOutput) output = inp_gallery_get_selected (INP_GALLERY (widget));

  if (output != NULL)
    g_signal_emit (widget, signals[USE_AS_MASK], 0, inp_library_output_get_file (output));
}

/* What an undo button brings back. It holds the library, not the gallery: the toast can
 * outlive the gallery in the window's overlay, and its undo must still work. */
typedef struct
{
  InpLibrary *library;
  gint64      id;
  gboolean    is_job;
  GWeakRef    overlay;
} Undo;

static void
undo_free (gpointer  data,
           GClosure *closure)
{
  Undo *undo = data;

  g_clear_object (&undo->library);
  g_weak_ref_clear (&undo->overlay);
  g_free (undo);
}

static void
undo_clicked_cb (AdwToast *undo_toast,
                 Undo     *undo)
{
  g_autoptr(AdwToastOverlay) overlay = g_weak_ref_get (&undo->overlay);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AdwToast *failure;

  if (undo->is_job ? inp_library_restore_job (undo->library, undo->id, &error)
                   : inp_library_restore_output (undo->library, undo->id, &error))
    return;

  if (undo->is_job)
    message = g_strdup_printf (_("The job could not be restored: %s"), error->message);
  else
    message = g_strdup_printf (_("The result could not be restored: %s"), error->message);
  g_debug ("gallery: %s", message);
  if (overlay == NULL)
    return;

  failure = adw_toast_new (message);
  adw_toast_set_timeout (failure, 3);
  adw_toast_overlay_add_toast (overlay, failure);
}

static void
add_undo_toast (InpGallery *self,
                const char *title,
                gint64      id,
                gboolean    is_job)
{
  AdwToastOverlay *overlay = toast_overlay (self);
  AdwToast *undo_toast = adw_toast_new (title);
  Undo *undo = g_new0 (Undo, 1);

  undo->library = g_object_ref (self->library);
  undo->id = id;
  undo->is_job = is_job;
  g_weak_ref_init (&undo->overlay, overlay);

  adw_toast_set_button_label (undo_toast, _("_Undo"));
  adw_toast_set_priority (undo_toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (undo_toast, "button-clicked", G_CALLBACK (undo_clicked_cb), undo,
                         undo_free, 0);
  adw_toast_overlay_add_toast (overlay, undo_toast);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  InpGallery *self = INP_GALLERY (widget);
  g_autoptr(InpLibraryOutput) output = inp_gallery_get_selected (self);
  g_autoptr(GError) error = NULL;
  gint64 output_id;

  if (output == NULL || self->library == NULL)
    return;

  output_id = inp_library_output_get_id (output);
  if (!inp_library_delete_output (self->library, output_id, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The result could not be deleted: %s"), error->message);

      toast (self, message);
      return;
    }

  add_undo_toast (self, _("Result deleted"), output_id, FALSE);
}

static void
delete_job_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  InpGallery *self = INP_GALLERY (widget);
  g_autoptr(InpLibraryOutput) output = inp_gallery_get_selected (self);
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 job_id;
  guint n_outputs;

  if (output == NULL || self->library == NULL)
    return;

  job_id = inp_library_output_get_job_id (output);
  job = inp_library_get_job (self->library, job_id, NULL);
  n_outputs = job != NULL ? inp_library_job_get_n_outputs (job) : 1;

  if (!inp_library_delete_job (self->library, job_id, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The job could not be deleted: %s"), error->message);

      toast (self, message);
      return;
    }

  title = g_strdup_printf (ngettext ("Job with %u result deleted",
                                     "Job with %u results deleted", n_outputs), n_outputs);
  add_undo_toast (self, title, job_id, TRUE);
}

static void
popup_menu_at (InpGallery *self,
               double      x,
               double      y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  InpGallery *self = INP_GALLERY (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  graphene_rect_t bounds;

  /* Under the focused item when there is one, otherwise in the middle. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->grid_view)) &&
      gtk_widget_compute_bounds (focus, widget, &bounds))
    popup_menu_at (self, bounds.origin.x + bounds.size.width / 2,
                   bounds.origin.y + bounds.size.height / 2);
  else
    popup_menu_at (self, gtk_widget_get_width (widget) / 2.0,
                   gtk_widget_get_height (widget) / 2.0);
}

static void
context_pressed_cb (InpGallery      *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  GtkWidget *picked;
  GtkWidget *item;
  GtkListItem *list_item;
  double self_x, self_y;

  picked = gtk_widget_pick (GTK_WIDGET (self->grid_view), x, y, GTK_PICK_DEFAULT);
  item = picked != NULL ? gtk_widget_get_ancestor (picked, INP_TYPE_GALLERY_ITEM) : NULL;
  if (item == NULL)
    return;

  list_item = g_object_get_qdata (G_OBJECT (item), list_item_quark);
  inp_gallery_select (self, gtk_list_item_get_position (list_item));
  gtk_widget_grab_focus (gtk_widget_get_parent (item));

  if (gtk_widget_translate_coordinates (GTK_WIDGET (self->grid_view), GTK_WIDGET (self),
                                        x, y, &self_x, &self_y))
    popup_menu_at (self, self_x, self_y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
long_pressed_cb (InpGallery          *self,
                 double               x,
                 double               y,
                 GtkGestureLongPress *gesture)
{
  context_pressed_cb (self, 1, x, y, NULL);
}

typedef struct
{
  GFile *source;
  GFile *destination;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->source);
  g_clear_object (&data->destination);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *source_path = g_file_get_path (data->source);
  g_autofree char *destination_path = g_file_get_path (data->destination);
  g_autofree char *name = g_file_get_parse_name (data->destination);

  /* The user confirmed replacing in the chooser. */
  if (!g_file_copy (data->source, data->destination, G_FILE_COPY_OVERWRITE, cancellable,
                    NULL, NULL, &error))
    goto failed;

  /* Inside Flatpak the file chooser's portal grants the chosen file alone, so the settings file
   * beside it can be refused: the picture is saved all the same, and the message says so. */
  if (source_path != NULL && destination_path != NULL
      && !inp_provenance_copy_sidecar (source_path, destination_path, cancellable, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        goto failed;

      g_task_return_new_error (task, error->domain, error->code,
                               /* Translators: a file name, then why its settings file could not be
                                * saved */
                               _("“%s” was saved, but not the settings file beside it: %s"),
                               name, error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
  return;

failed:
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, error->domain, error->code,
                             _("“%s” could not be saved: %s"), name, error->message);
}

/**
 * inp_gallery_save_output_async:
 * @output: the result to save
 * @destination: where to, a local file, replaced if it exists
 *
 * Copies @output's file to @destination, with its provenance sidecar if it has one, in a worker
 * thread. The save-as action's file chooser calls this with the file the user chose.
 */
void
inp_gallery_save_output_async (InpGallery          *self,
                               InpLibraryOutput    *output,
                               GFile               *destination,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (INP_IS_GALLERY (self));
  g_return_if_fail (INP_IS_LIBRARY_OUTPUT (output));
  g_return_if_fail (G_IS_FILE (destination));

  data = g_new0 (SaveData, 1);
  data->source = g_object_ref (inp_library_output_get_file (output));
  data->destination = g_object_ref (destination);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_gallery_save_output_async);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
inp_gallery_save_output_finish (InpGallery    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (INP_IS_GALLERY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
inp_gallery_dispose (GObject *object)
{
  InpGallery *self = INP_GALLERY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->alpha_cancellable);
  g_clear_object (&self->alpha_cancellable);
  g_clear_object (&self->chooser_output);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_handle_id (&self->regroup_id, g_source_remove);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  if (self->grid_view != NULL)
    gtk_grid_view_set_model (self->grid_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->library);

  /* AdwBin unparents the template's child itself: gtk_widget_dispose_template() would free it
   * first. */
  G_OBJECT_CLASS (inp_gallery_parent_class)->dispose (object);

  g_clear_object (&self->loader);
}

static void
inp_gallery_constructed (GObject *object)
{
  InpGallery *self = INP_GALLERY (object);

  G_OBJECT_CLASS (inp_gallery_parent_class)->constructed (object);

  if (self->model == NULL && self->library != NULL)
    {
      g_autoptr(InpLibraryGallery) gallery = inp_library_gallery_new (self->library);

      inp_gallery_set_model (self, G_LIST_MODEL (gallery));
    }
  else if (self->model == NULL)
    {
      g_autoptr(GListStore) empty = g_list_store_new (INP_TYPE_LIBRARY_OUTPUT);

      inp_gallery_set_model (self, G_LIST_MODEL (empty));
    }
}

static void
inp_gallery_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  InpGallery *self = INP_GALLERY (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_gallery_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  InpGallery *self = INP_GALLERY (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      self->library = g_value_dup_object (value);
      break;

    case PROP_MODEL:
      if (g_value_get_object (value) != NULL)
        inp_gallery_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_gallery_class_init (InpGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = inp_gallery_constructed;
  object_class->dispose = inp_gallery_dispose;
  object_class->get_property = inp_gallery_get_property;
  object_class->set_property = inp_gallery_set_property;

  /**
   * InpGallery:library:
   *
   * The library that deletes and restores results and jobs and knows their inputs; without one,
   * results can be viewed, saved and copied but not deleted or compared.
   */
  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, INP_TYPE_LIBRARY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * InpGallery:model:
   *
   * The results shown, #InpLibraryOutput items, newest first; by default every output of
   * #InpGallery:library.
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InpGallery::use-as-image:
   * @file: the result's file
   *
   * The user wants to continue from this result: put it on the canvas.
   */
  signals[USE_AS_IMAGE] =
    g_signal_new ("use-as-image", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  /**
   * InpGallery::use-as-mask:
   * @file: the result's file, a PNG with alpha
   *
   * The user wants this result's alpha channel (after background removal) as the mask.
   */
  signals[USE_AS_MASK] =
    g_signal_new ("use-as-mask", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class, INP_RESOURCE_PREFIX "/inp-gallery.ui");
  gtk_widget_class_bind_template_child (widget_class, InpGallery, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InpGallery, stack);
  gtk_widget_class_bind_template_child (widget_class, InpGallery, scrolled);
  gtk_widget_class_bind_template_child (widget_class, InpGallery, grid_view);
  gtk_widget_class_bind_template_child (widget_class, InpGallery, empty_page);
  gtk_widget_class_bind_template_child (widget_class, InpGallery, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, grid_activate_cb);

  gtk_widget_class_install_action (widget_class, "gallery.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "gallery.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "gallery.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "gallery.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "gallery.use-as-image", NULL,
                                   use_as_image_action);
  gtk_widget_class_install_action (widget_class, "gallery.use-as-mask", NULL, use_as_mask_action);
  gtk_widget_class_install_action (widget_class, "gallery.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "gallery.delete-job", NULL, delete_job_action);
  gtk_widget_class_install_action (widget_class, "gallery.menu", NULL, menu_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "gallery.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "gallery.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "gallery.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "gallery.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, GDK_SHIFT_MASK,
                                       "gallery.delete-job", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_SHIFT_MASK,
                                       "gallery.delete-job", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "gallery.compare", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "gallery.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "gallery.menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "inp-gallery");
  list_item_quark = g_quark_from_static_string ("inp-gallery-list-item");
}

static void
inp_gallery_init (InpGallery *self)
{
  GtkListItemFactory *factory;
  GtkGesture *click;
  GtkGesture *long_press;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->loader = inp_thumbnail_loader_new (THUMBNAIL_CACHE_BYTES);
  self->cancellable = g_cancellable_new ();

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_swapped (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect_swapped (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect_swapped (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_object_unref (factory);

  self->popover = gtk_popover_menu_new_from_model (self->context_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->grid_view), GTK_EVENT_CONTROLLER (click));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_swapped (long_press, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->grid_view), GTK_EVENT_CONTROLLER (long_press));

  update_actions (self);
}

/**
 * inp_gallery_get_library:
 *
 * Returns: (transfer none) (nullable): the library.
 */
InpLibrary *
inp_gallery_get_library (InpGallery *self)
{
  g_return_val_if_fail (INP_IS_GALLERY (self), NULL);

  return self->library;
}

/**
 * inp_gallery_get_model:
 *
 * Returns: (transfer none): the results shown.
 */
GListModel *
inp_gallery_get_model (InpGallery *self)
{
  g_return_val_if_fail (INP_IS_GALLERY (self), NULL);

  return self->model;
}

/**
 * inp_gallery_set_model:
 * @model: a list of #InpLibraryOutput, newest first
 *
 * Shows @model, such as an #InpLibraryGallery or a filtered view of one.
 */
void
inp_gallery_set_model (InpGallery *self,
                       GListModel *model)
{
  g_return_if_fail (INP_IS_GALLERY (self));
  g_return_if_fail (G_IS_LIST_MODEL (model));
  g_return_if_fail (g_type_is_a (g_list_model_get_item_type (model), INP_TYPE_LIBRARY_OUTPUT));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  g_set_object (&self->model, model);
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (items_changed_cb), self);

  g_clear_object (&self->selection);
  self->selection = gtk_single_selection_new (g_object_ref (model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (selection_changed_cb), self);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (self->selection));

  items_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * inp_gallery_get_selected:
 *
 * Returns: (transfer full) (nullable): the result the actions apply to.
 */
InpLibraryOutput *
inp_gallery_get_selected (InpGallery *self)
{
  g_return_val_if_fail (INP_IS_GALLERY (self), NULL);

  if (self->selection == NULL)
    return NULL;

  return g_list_model_get_item (G_LIST_MODEL (self->selection),
                                gtk_single_selection_get_selected (self->selection));
}

/**
 * inp_gallery_select:
 * @position: the result's position, or %GTK_INVALID_LIST_POSITION for none
 *
 * Selects a result, so that the `gallery.` actions apply to it.
 */
void
inp_gallery_select (InpGallery *self,
                    guint       position)
{
  g_return_if_fail (INP_IS_GALLERY (self));

  gtk_single_selection_set_selected (self->selection, position);
  update_actions (self);
}

/**
 * inp_gallery_get_thumbnail_loader:
 *
 * Returns: (transfer none): what decodes the thumbnails.
 */
InpThumbnailLoader *
inp_gallery_get_thumbnail_loader (InpGallery *self)
{
  g_return_val_if_fail (INP_IS_GALLERY (self), NULL);

  return self->loader;
}

/**
 * inp_gallery_get_grid_view:
 *
 * Returns: (transfer none): the grid, for the window's keyboard focus and for tests.
 */
GtkGridView *
inp_gallery_get_grid_view (InpGallery *self)
{
  g_return_val_if_fail (INP_IS_GALLERY (self), NULL);

  return self->grid_view;
}
