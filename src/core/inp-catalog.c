/* inp-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-catalog.h"
#include "inp-error.h"

struct _InpCatalog
{
  GObject    parent_instance;

  GPtrArray *models;   /* of InpModel */
  GMutex     mutex;    /* the default catalogue is read from the sandbox's thread too */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InpCatalog, inp_catalog, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
inp_catalog_get_item_type (GListModel *model)
{
  return INP_TYPE_MODEL;
}

static guint
inp_catalog_get_n_items (GListModel *model)
{
  InpCatalog *self = INP_CATALOG (model);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return self->models->len;
}

static gpointer
inp_catalog_get_item (GListModel *model,
                      guint       position)
{
  InpCatalog *self = INP_CATALOG (model);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (position >= self->models->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->models, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = inp_catalog_get_item_type;
  iface->get_n_items = inp_catalog_get_n_items;
  iface->get_item = inp_catalog_get_item;
}

/**
 * inp_catalog_new:
 *
 * Returns: (transfer full): an empty catalogue.
 */
InpCatalog *
inp_catalog_new (void)
{
  return g_object_new (INP_TYPE_CATALOG, NULL);
}

/**
 * inp_catalog_new_from_resource:
 * @path: a resource holding `{"models": [...]}` in the form of `models.json`
 * @translatable: whether the models' texts have translations (the built-in ones)
 * @error: return location for an error if the list cannot be read
 *
 * Returns: (transfer full) (nullable): a new catalogue of the models in @path.
 */
InpCatalog *
inp_catalog_new_from_resource (const char  *path,
                               gboolean     translatable,
                               GError     **error)
{
  g_autoptr(InpCatalog) self = inp_catalog_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *models;

  g_return_val_if_fail (path != NULL, NULL);

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), error))
    return NULL;

  root = json_parser_get_root (parser);
  models = JSON_NODE_HOLDS_OBJECT (root)
           ? json_object_get_member (json_node_get_object (root), "models") : NULL;
  if (models == NULL || !JSON_NODE_HOLDS_ARRAY (models))
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_FAILED,
                           _("The built-in model list is damaged"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (models)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (models), i);
      g_autoptr(InpModel) model = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      model = inp_model_new_from_json (json_node_get_object (node), translatable, error);
      if (model == NULL)
        return NULL;
      g_ptr_array_add (self->models, g_steal_pointer (&model));
    }

  return g_steal_pointer (&self);
}

/**
 * inp_catalog_new_builtin:
 * @error: return location for an error if the built-in list cannot be read
 *
 * Returns: (transfer full) (nullable): a new catalogue of the models in the `models.json` resource.
 */
InpCatalog *
inp_catalog_new_builtin (GError **error)
{
  return inp_catalog_new_from_resource (INP_RESOURCE_PREFIX "/models.json", TRUE, error);
}

/**
 * inp_catalog_get_default:
 *
 * The twelve built-in models, shared by the whole process. Thread-safe.
 *
 * Returns: (transfer none): the default catalogue.
 */
InpCatalog *
inp_catalog_get_default (void)
{
  static InpCatalog *default_catalog;

  if (g_once_init_enter (&default_catalog))
    {
      g_autoptr(GError) error = NULL;
      InpCatalog *catalog = inp_catalog_new_builtin (&error);

      /* The resource is compiled in, so failing here is a build fault, not a user's problem. */
      if (catalog == NULL)
        g_error ("catalog: the built-in models cannot be read: %s", error->message);
      g_once_init_leave (&default_catalog, catalog);
    }

  return default_catalog;
}

/**
 * inp_catalog_lookup:
 * @id: "owner/name"
 *
 * Returns: (transfer none) (nullable): the model.
 */
InpModel *
inp_catalog_lookup (InpCatalog *self,
                    const char *id)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (INP_IS_CATALOG (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  for (guint i = 0; i < self->models->len; i++)
    {
      InpModel *model = g_ptr_array_index (self->models, i);

      if (g_strcmp0 (inp_model_get_id (model), id) == 0)
        return model;
    }

  return NULL;
}

/**
 * inp_catalog_lookup_version:
 * @version: a 64-hex version id
 *
 * Returns: (transfer none) (nullable): the model with that version.
 */
InpModel *
inp_catalog_lookup_version (InpCatalog *self,
                            const char *version)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (INP_IS_CATALOG (self), NULL);
  g_return_val_if_fail (version != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  for (guint i = 0; i < self->models->len; i++)
    {
      InpModel *model = g_ptr_array_index (self->models, i);

      if (g_ascii_strcasecmp (inp_model_get_version (model) != NULL
                              ? inp_model_get_version (model) : "", version) == 0)
        return model;
    }

  return NULL;
}

/**
 * inp_catalog_add:
 * @model: a model; one with the same id is replaced
 *
 * Emits #GListModel::items-changed in the calling thread.
 */
void
inp_catalog_add (InpCatalog *self,
                 InpModel   *model)
{
  guint position;
  guint removed = 0;

  g_return_if_fail (INP_IS_CATALOG (self));
  g_return_if_fail (INP_IS_MODEL (model));

  g_mutex_lock (&self->mutex);
  for (position = 0; position < self->models->len; position++)
    {
      InpModel *existing = g_ptr_array_index (self->models, position);

      if (g_strcmp0 (inp_model_get_id (existing), inp_model_get_id (model)) == 0)
        break;
    }

  if (position < self->models->len)
    {
      InpModel *replaced = g_ptr_array_index (self->models, position);

      g_ptr_array_index (self->models, position) = g_object_ref (model);
      g_object_unref (replaced);
      removed = 1;
    }
  else
    g_ptr_array_add (self->models, g_object_ref (model));
  g_mutex_unlock (&self->mutex);

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, 1);
}

/**
 * inp_catalog_add_from_json:
 * @model_object: the answer of `GET {base}/models/{owner}/{name}`
 * @error: return location for an %INP_ERROR_PROTOCOL error
 *
 * Adds a model by name, with the schema of its latest version.
 *
 * Returns: (transfer none) (nullable): the model added.
 */
InpModel *
inp_catalog_add_from_json (InpCatalog  *self,
                           JsonObject  *model_object,
                           GError     **error)
{
  g_autoptr(InpModel) model = NULL;

  g_return_val_if_fail (INP_IS_CATALOG (self), NULL);
  g_return_val_if_fail (model_object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = inp_model_new_from_api (model_object, error);
  if (model == NULL)
    return NULL;

  g_debug ("catalog: added %s", inp_model_get_id (model));
  inp_catalog_add (self, model);
  return model;
}

static void
inp_catalog_finalize (GObject *object)
{
  InpCatalog *self = INP_CATALOG (object);

  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (inp_catalog_parent_class)->finalize (object);
}

static void
inp_catalog_class_init (InpCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_catalog_finalize;
}

static void
inp_catalog_init (InpCatalog *self)
{
  self->models = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_init (&self->mutex);
}
