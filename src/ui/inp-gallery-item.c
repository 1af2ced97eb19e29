/* inp-gallery-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-catalog.h"
#include "inp-frame-animation.h"
#include "inp-gallery-item.h"

struct _InpGalleryItem
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkBox             *box;
  GtkPicture         *picture;
  GtkLabel           *caption;

  /* Owned references */
  InpThumbnailLoader *loader;
  InpLibraryOutput   *item;
  GdkPaintable       *paintable;
  GCancellable       *cancellable;
  char               *load_error;

  gboolean            job_start;
  gboolean            playing;
};

G_DEFINE_FINAL_TYPE (InpGalleryItem, inp_gallery_item, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_JOB_START,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * inp_gallery_item_new:
 * @loader: decodes the thumbnails
 *
 * Returns: (transfer full): an empty item; the gallery's factory gives it an output.
 */
InpGalleryItem *
inp_gallery_item_new (InpThumbnailLoader *loader)
{
  InpGalleryItem *self;

  g_return_val_if_fail (INP_IS_THUMBNAIL_LOADER (loader), NULL);

  self = g_object_new (INP_TYPE_GALLERY_ITEM, NULL);
  self->loader = g_object_ref (loader);

  return self;
}

static gboolean
is_video (InpLibraryOutput *output)
{
  const char *media_type = inp_library_output_get_media_type (output);

  return media_type != NULL && g_str_has_prefix (media_type, "video/");
}

/* Animations and videos play only while they are on screen. */
static void
set_playing (InpGalleryItem *self,
             gboolean        playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;

  if (INP_IS_FRAME_ANIMATION (self->paintable))
    {
      if (playing)
        inp_frame_animation_play (INP_FRAME_ANIMATION (self->paintable));
      else
        inp_frame_animation_stop (INP_FRAME_ANIMATION (self->paintable));
    }
  else if (GTK_IS_MEDIA_STREAM (self->paintable))
    {
      if (playing)
        gtk_media_stream_play (GTK_MEDIA_STREAM (self->paintable));
      else
        gtk_media_stream_pause (GTK_MEDIA_STREAM (self->paintable));
    }
}

static void
set_paintable (InpGalleryItem *self,
               GdkPaintable   *paintable)
{
  gboolean was_loaded = self->paintable != NULL;

  set_playing (self, FALSE);
  g_set_object (&self->paintable, paintable);
  gtk_picture_set_paintable (self->picture, paintable);
  set_playing (self, paintable != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)));

  if (was_loaded != (paintable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  InpGalleryItem *self = user_data;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GError) error = NULL;

  /* Not a reference: rebinding or disposing cancels, and then @self is not touched. */
  paintable = inp_thumbnail_loader_load_finish (INP_THUMBNAIL_LOADER (object), result, NULL,
                                                &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (paintable == NULL)
    {
      g_debug ("gallery: no thumbnail: %s", error->message);
      gtk_picture_set_paintable (self->picture, NULL);
      self->load_error = g_strdup (error->message);
      return;
    }

  set_paintable (self, paintable);
}

/* The model's title from the catalogue, translated; the id of a model it does not know. */
static char *
make_caption (InpLibraryOutput *output)
{
  const char *name = inp_catalog_get_title_for (inp_catalog_get_default (),
                                                inp_library_output_get_model (output));

  if (inp_library_output_get_index (output) == 0)
    return g_strdup (name);

  /* Translators: a gallery caption: the model's name and which output of its job this is */
  return g_strdup_printf (_("%s · %u"), name, inp_library_output_get_index (output) + 1);
}

static void
update (InpGalleryItem *self)
{
  g_autofree char *caption = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GdkPaintable) cached = NULL;
  const char *prompt;
  int size;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->load_error, g_free);

  if (self->item == NULL)
    {
      set_paintable (self, NULL);
      gtk_label_set_label (self->caption, "");
      return;
    }

  /* Neighbouring jobs alternate in tint, so a job's outputs read as one group. */
  if (inp_library_output_get_job_id (self->item) % 2 != 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "job-odd");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "job-odd");

  caption = make_caption (self->item);
  gtk_label_set_label (self->caption, caption);
  prompt = inp_library_output_get_prompt (self->item);

  /* Translators: what a screen reader says for a gallery item: the model, then the prompt */
  label = g_strdup_printf (_("Result of %s: %s"), caption, prompt != NULL ? prompt : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  if (is_video (self->item))
    {
      g_autoptr(GtkMediaStream) stream =
        gtk_media_file_new_for_file (inp_library_output_get_file (self->item));

      gtk_media_stream_set_loop (stream, TRUE);
      gtk_media_stream_set_muted (stream, TRUE);
      set_paintable (self, GDK_PAINTABLE (stream));
      return;
    }

  /* A cached thumbnail shows at once, so scrolling back never flashes empty items. */
  size = INP_GALLERY_ITEM_SIZE * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cached = inp_thumbnail_loader_lookup (self->loader, inp_library_output_get_file (self->item),
                                        size, NULL);
  set_paintable (self, cached);
  if (cached != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  inp_thumbnail_loader_load_async (self->loader, inp_library_output_get_file (self->item), size,
                                   self->cancellable, load_cb, self);
}

/**
 * inp_gallery_content_new:
 * @file: a result's file
 * @texture: (nullable): its pixels
 *
 * What a result offers when it is dragged or copied: the file first, since file managers and
 * browsers take the file itself with its provenance, then the pixels for image editors.
 *
 * Returns: (transfer full): a content provider.
 */
GdkContentProvider *
inp_gallery_content_new (GFile      *file,
                         GdkTexture *texture)
{
  GdkContentProvider *providers[3];
  GdkFileList *files;
  GSList list = { NULL, NULL };
  guint n = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (texture == NULL || GDK_IS_TEXTURE (texture), NULL);

  list.data = file;
  files = gdk_file_list_new_from_list (&list);
  providers[n++] = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, files);
  providers[n++] = gdk_content_provider_new_typed (G_TYPE_FILE, file);
  if (texture != NULL)
    providers[n++] = gdk_content_provider_new_typed (GDK_TYPE_TEXTURE, texture);
  g_boxed_free (GDK_TYPE_FILE_LIST, files);

  return gdk_content_provider_new_union (providers, n);
}

/* The tooltip is asked for, not set at each bind: in GTK 4.8 setting a tooltip on a visible
 * widget queries the pointer, a round trip to the display server, and a scroll binds dozens of
 * items per frame. */
static gboolean
query_tooltip_cb (InpGalleryItem *self,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip)
{
  const char *prompt;
  GtkWidget *target;

  if (self->item == NULL)
    return FALSE;

  /* Over a thumbnail that failed (or from the keyboard), why; over the caption, the prompt. */
  target = keyboard ? NULL : gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  if (self->load_error != NULL && (keyboard || target == GTK_WIDGET (self->picture)))
    {
      gtk_tooltip_set_text (tooltip, self->load_error);
      return TRUE;
    }

  prompt = inp_library_output_get_prompt (self->item);
  if (prompt == NULL || *prompt == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, prompt);
  return TRUE;
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource  *source,
                 double          x,
                 double          y,
                 InpGalleryItem *self)
{
  if (self->item == NULL)
    return NULL;

  if (self->paintable != NULL)
    gtk_drag_source_set_icon (source, self->paintable, 0, 0);

  return inp_gallery_content_new (inp_library_output_get_file (self->item),
                                  GDK_IS_TEXTURE (self->paintable)
                                    ? GDK_TEXTURE (self->paintable) : NULL);
}

static void
inp_gallery_item_map (GtkWidget *widget)
{
  InpGalleryItem *self = INP_GALLERY_ITEM (widget);

  GTK_WIDGET_CLASS (inp_gallery_item_parent_class)->map (widget);
  set_playing (self, self->paintable != NULL);
}

static void
inp_gallery_item_unmap (GtkWidget *widget)
{
  InpGalleryItem *self = INP_GALLERY_ITEM (widget);

  set_playing (self, FALSE);
  GTK_WIDGET_CLASS (inp_gallery_item_parent_class)->unmap (widget);
}

static void
inp_gallery_item_dispose (GObject *object)
{
  InpGalleryItem *self = INP_GALLERY_ITEM (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_playing (self, FALSE);
  g_clear_object (&self->paintable);
  g_clear_object (&self->item);
  g_clear_object (&self->loader);
  g_clear_pointer (&self->load_error, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_GALLERY_ITEM);

  G_OBJECT_CLASS (inp_gallery_item_parent_class)->dispose (object);
}

static void
inp_gallery_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  InpGalleryItem *self = INP_GALLERY_ITEM (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_JOB_START:
      g_value_set_boolean (value, self->job_start);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->paintable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_gallery_item_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  InpGalleryItem *self = INP_GALLERY_ITEM (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      inp_gallery_item_set_item (self, g_value_get_object (value));
      break;

    case PROP_JOB_START:
      inp_gallery_item_set_job_start (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_gallery_item_class_init (InpGalleryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inp_gallery_item_dispose;
  object_class->get_property = inp_gallery_item_get_property;
  object_class->set_property = inp_gallery_item_set_property;
  widget_class->map = inp_gallery_item_map;
  widget_class->unmap = inp_gallery_item_unmap;

  /**
   * InpGalleryItem:item:
   *
   * The output shown.
   */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, INP_TYPE_LIBRARY_OUTPUT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpGalleryItem:job-start:
   *
   * Whether this is the first (newest) output of its job in the gallery, which is marked.
   */
  properties[PROP_JOB_START] =
    g_param_spec_boolean ("job-start", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpGalleryItem:loaded:
   *
   * Whether the thumbnail (or the video) is shown.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-gallery-item.ui");
  gtk_widget_class_bind_template_child (widget_class, InpGalleryItem, box);
  gtk_widget_class_bind_template_child (widget_class, InpGalleryItem, picture);
  gtk_widget_class_bind_template_child (widget_class, InpGalleryItem, caption);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inp-gallery-item");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
inp_gallery_item_init (InpGalleryItem *self)
{
  GtkDragSource *drag_source;

  gtk_widget_init_template (GTK_WIDGET (self));

  drag_source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag_source, GDK_ACTION_COPY);
  g_signal_connect (drag_source, "prepare", G_CALLBACK (drag_prepare_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag_source));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

/**
 * inp_gallery_item_get_item:
 *
 * Returns: (transfer none) (nullable): the output shown.
 */
InpLibraryOutput *
inp_gallery_item_get_item (InpGalleryItem *self)
{
  g_return_val_if_fail (INP_IS_GALLERY_ITEM (self), NULL);

  return self->item;
}

void
inp_gallery_item_set_item (InpGalleryItem   *self,
                           InpLibraryOutput *item)
{
  g_return_if_fail (INP_IS_GALLERY_ITEM (self));
  g_return_if_fail (item == NULL || INP_IS_LIBRARY_OUTPUT (item));

  if (!g_set_object (&self->item, item))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

gboolean
inp_gallery_item_get_job_start (InpGalleryItem *self)
{
  g_return_val_if_fail (INP_IS_GALLERY_ITEM (self), FALSE);

  return self->job_start;
}

void
inp_gallery_item_set_job_start (InpGalleryItem *self,
                                gboolean        job_start)
{
  g_return_if_fail (INP_IS_GALLERY_ITEM (self));

  job_start = !!job_start;
  if (self->job_start == job_start)
    return;

  self->job_start = job_start;
  if (job_start)
    gtk_widget_add_css_class (GTK_WIDGET (self), "job-start");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "job-start");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_START]);
}

/**
 * inp_gallery_item_get_paintable:
 *
 * Returns: (transfer none) (nullable): the thumbnail, animation or video shown, once loaded.
 */
GdkPaintable *
inp_gallery_item_get_paintable (InpGalleryItem *self)
{
  g_return_val_if_fail (INP_IS_GALLERY_ITEM (self), NULL);

  return self->paintable;
}

gboolean
inp_gallery_item_get_loaded (InpGalleryItem *self)
{
  g_return_val_if_fail (INP_IS_GALLERY_ITEM (self), FALSE);

  return self->paintable != NULL;
}
