/* inp-library-gallery.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-library-gallery.h"
#include "inp-library-private.h"

/* Rows read per query; a grid shows a few dozen at a time. */
#define PAGE_SIZE 64

struct _InpLibraryGallery
{
  GObject     parent_instance;

  InpLibrary *library;
  guint       n_items;
  /* Sparse: NULL where a page has not been read yet. */
  GPtrArray  *items;
  guint       n_loaded;
};

static void inp_library_gallery_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InpLibraryGallery, inp_library_gallery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      inp_library_gallery_list_model_init))

enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
inp_library_gallery_get_item_type (GListModel *model)
{
  return INP_TYPE_LIBRARY_OUTPUT;
}

static guint
inp_library_gallery_get_n_items (GListModel *model)
{
  return INP_LIBRARY_GALLERY (model)->n_items;
}

static void
load_page (InpLibraryGallery *self,
           guint              position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  guint start = position - position % PAGE_SIZE;

  page = inp_library_list_gallery_page (self->library, start, PAGE_SIZE, &error);
  if (page == NULL)
    {
      g_warning ("library: the gallery could not be read: %s", error->message);
      return;
    }

  for (guint i = 0; i < page->len && start + i < self->n_items; i++)
    {
      if (g_ptr_array_index (self->items, start + i) == NULL)
        {
          g_ptr_array_index (self->items, start + i) = g_object_ref (g_ptr_array_index (page, i));
          self->n_loaded++;
        }
    }
}

static gpointer
inp_library_gallery_get_item (GListModel *model,
                              guint       position)
{
  InpLibraryGallery *self = INP_LIBRARY_GALLERY (model);
  gpointer item;

  if (position >= self->n_items)
    return NULL;

  if (g_ptr_array_index (self->items, position) == NULL)
    load_page (self, position);

  item = g_ptr_array_index (self->items, position);
  return item != NULL ? g_object_ref (item) : NULL;
}

static void
inp_library_gallery_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = inp_library_gallery_get_item_type;
  iface->get_n_items = inp_library_gallery_get_n_items;
  iface->get_item = inp_library_gallery_get_item;
}

static guint
count (InpLibraryGallery *self)
{
  g_autoptr(GError) error = NULL;
  guint n = inp_library_count_gallery (self->library, &error);

  if (error != NULL)
    g_warning ("library: the gallery could not be counted: %s", error->message);

  return n;
}

static void
reset (InpLibraryGallery *self)
{
  guint old_n_items = self->n_items;

  self->n_items = count (self);
  self->n_loaded = 0;
  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->items, self->n_items);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);
  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
output_added_cb (InpLibraryGallery *self,
                 InpLibraryOutput  *output,
                 InpLibrary        *library)
{
  /* Storing an index again replaces an older row, which moves rather than adds an item. */
  if (count (self) != self->n_items + 1)
    {
      reset (self);
      return;
    }

  g_ptr_array_insert (self->items, 0, g_object_ref (output));
  self->n_items++;
  self->n_loaded++;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
outputs_reset_cb (InpLibraryGallery *self,
                  InpLibrary        *library)
{
  reset (self);
}

/* Whether the item read at @position, if it has been read, is @output. */
static gboolean
is_at (InpLibraryGallery *self,
       InpLibraryOutput  *output,
       guint              position)
{
  InpLibraryOutput *item = g_ptr_array_index (self->items, position);

  return item == NULL || inp_library_output_get_id (item) == inp_library_output_get_id (output);
}

static void
output_deleted_cb (InpLibraryGallery *self,
                   InpLibraryOutput  *output,
                   guint              position,
                   InpLibrary        *library)
{
  /* An output of a deleted job was never shown. */
  if (position == G_MAXUINT)
    return;

  /* Positions hold for a list that has taken in every earlier change; one that has not (it was
   * made while a change was on its way) reads everything again. */
  if (position >= self->n_items || !is_at (self, output, position) ||
      count (self) != self->n_items - 1)
    {
      reset (self);
      return;
    }

  if (g_ptr_array_index (self->items, position) != NULL)
    self->n_loaded--;
  g_ptr_array_remove_index (self->items, position);
  self->n_items--;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
output_restored_cb (InpLibraryGallery *self,
                    InpLibraryOutput  *output,
                    guint              position,
                    InpLibrary        *library)
{
  if (position == G_MAXUINT)
    return;

  if (position > self->n_items || count (self) != self->n_items + 1)
    {
      reset (self);
      return;
    }

  g_ptr_array_insert (self->items, position, g_object_ref (output));
  self->n_items++;
  self->n_loaded++;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
inp_library_gallery_constructed (GObject *object)
{
  InpLibraryGallery *self = INP_LIBRARY_GALLERY (object);

  G_OBJECT_CLASS (inp_library_gallery_parent_class)->constructed (object);

  g_signal_connect_object (self->library, "output-added",
                           G_CALLBACK (output_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "outputs-reset",
                           G_CALLBACK (outputs_reset_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "output-deleted",
                           G_CALLBACK (output_deleted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "output-restored",
                           G_CALLBACK (output_restored_cb), self, G_CONNECT_SWAPPED);

  self->n_items = count (self);
  g_ptr_array_set_size (self->items, self->n_items);
}

static void
inp_library_gallery_dispose (GObject *object)
{
  InpLibraryGallery *self = INP_LIBRARY_GALLERY (object);

  g_clear_object (&self->library);

  G_OBJECT_CLASS (inp_library_gallery_parent_class)->dispose (object);
}

static void
inp_library_gallery_finalize (GObject *object)
{
  InpLibraryGallery *self = INP_LIBRARY_GALLERY (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (inp_library_gallery_parent_class)->finalize (object);
}

static void
inp_library_gallery_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  InpLibraryGallery *self = INP_LIBRARY_GALLERY (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_library_gallery_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  InpLibraryGallery *self = INP_LIBRARY_GALLERY (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      self->library = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_library_gallery_class_init (InpLibraryGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = inp_library_gallery_constructed;
  object_class->dispose = inp_library_gallery_dispose;
  object_class->finalize = inp_library_gallery_finalize;
  object_class->get_property = inp_library_gallery_get_property;
  object_class->set_property = inp_library_gallery_set_property;

  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, INP_TYPE_LIBRARY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * InpLibraryGallery:n-items:
   *
   * How many outputs there are, as #GListModel counts them.
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* Unread slots are NULL, which g_object_unref() refuses. */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
inp_library_gallery_init (InpLibraryGallery *self)
{
  self->items = g_ptr_array_new_with_free_func (unref_item);
}

/**
 * inp_library_gallery_new:
 *
 * A list of every output of @library that is not deleted, of jobs that are not deleted, newest
 * first. Rows are read a page at a time as items are asked for; new outputs appear at the top as
 * they are stored, and deleted ones leave (and come back to) their place.
 *
 * Returns: (transfer full): the gallery.
 */
InpLibraryGallery *
inp_library_gallery_new (InpLibrary *library)
{
  g_return_val_if_fail (INP_IS_LIBRARY (library), NULL);

  return g_object_new (INP_TYPE_LIBRARY_GALLERY, "library", library, NULL);
}

/**
 * inp_library_gallery_get_library:
 *
 * Returns: (transfer none): the library.
 */
InpLibrary *
inp_library_gallery_get_library (InpLibraryGallery *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_GALLERY (self), NULL);

  return self->library;
}

/**
 * inp_library_gallery_get_n_loaded:
 *
 * Returns: how many items have been read from the database so far.
 */
guint
inp_library_gallery_get_n_loaded (InpLibraryGallery *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_GALLERY (self), 0);

  return self->n_loaded;
}
