/* inp-custom-models.c
 *
 * One small JSON document beside the library, rewritten whole and atomically on each change:
 *
 *   {"format": 1, "models": [<the model as GET /models/{owner}/{name} describes it>, …]}
 *
 * Each entry is what inp_model_new_from_api() reads, so a kept model is built exactly as a
 * freshly fetched one, with its version and input schema, and runs without asking the service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "inp-atomic-file.h"
#include "inp-custom-models.h"
#include "inp-error.h"

#define FORMAT_VERSION 1
#define MAX_FILE_SIZE  (32 * 1024 * 1024)

struct _InpCustomModels
{
  GObject    parent_instance;

  char      *path;             /* NULL: kept for the session only */
  GPtrArray *models;           /* of InpModel, in the order they were added */
  GError    *problem;
  char      *set_aside_path;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InpCustomModels, inp_custom_models, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
inp_custom_models_get_item_type (GListModel *model)
{
  return INP_TYPE_MODEL;
}

static guint
inp_custom_models_get_n_items (GListModel *model)
{
  return INP_CUSTOM_MODELS (model)->models->len;
}

static gpointer
inp_custom_models_get_item (GListModel *model,
                            guint       position)
{
  InpCustomModels *self = INP_CUSTOM_MODELS (model);

  if (position >= self->models->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->models, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = inp_custom_models_get_item_type;
  iface->get_n_items = inp_custom_models_get_n_items;
  iface->get_item = inp_custom_models_get_item;
}

/* Loading */

/* Reads every entry it can; @reason says what was wrong with the rest, or the whole. */
static gboolean
parse_models (InpCustomModels  *self,
              const char       *data,
              gsize             length,
              char            **reason)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonNode *node;
  JsonArray *models;

  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      *reason = g_strdup (error->message);
      return FALSE;
    }

  node = json_parser_get_root (parser);
  root = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  node = root != NULL ? json_object_get_member (root, "format") : NULL;
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_INT64
      && json_node_get_int (node) > FORMAT_VERSION)
    {
      *reason = g_strdup (_("it was written by a newer version of Inpainter"));
      return FALSE;
    }

  node = root != NULL ? json_object_get_member (root, "models") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      *reason = g_strdup (_("it holds no list of models"));
      return FALSE;
    }

  models = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonNode *element = json_array_get_element (models, i);
      g_autoptr(InpModel) model = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        model = inp_model_new_from_api (json_node_get_object (element), &error);
      if (model == NULL)
        {
          /* The first bad entry is named; the others are kept in the set-aside file alike. */
          if (*reason == NULL)
            /* Translators: the number of an entry in a list, then why it cannot be read */
            *reason = g_strdup_printf (_("entry %u cannot be read: %s"), i + 1,
                                       error != NULL ? error->message : _("it is not an object"));
          g_clear_error (&error);
          continue;
        }
      if (inp_custom_models_lookup (self, inp_model_get_id (model)) == NULL)
        g_ptr_array_add (self->models, g_steal_pointer (&model));
    }

  return *reason == NULL;
}

/* A name beside @path that no file has yet: "models.damaged-20260121-020304.json". */
static char *
set_aside_name (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *stem = g_str_has_suffix (path, ".json")
                          ? g_strndup (path, strlen (path) - strlen (".json")) : g_strdup (path);

  for (guint attempt = 1; attempt < 100; attempt++)
    {
      g_autofree char *candidate = attempt == 1
                                   ? g_strdup_printf ("%s.damaged-%s.json", stem, stamp)
                                   : g_strdup_printf ("%s.damaged-%s-%u.json", stem, stamp,
                                                      attempt);

      if (!g_file_test (candidate, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&candidate);
    }

  return NULL;
}

/* The damaged file is renamed, never rewritten: whatever it held can still be recovered. When
 * even that fails, nothing is written over it for the rest of the session. */
static void
set_aside (InpCustomModels *self,
           const char      *reason)
{
  g_autofree char *display = g_filename_display_name (self->path);
  g_autofree char *aside = set_aside_name (self->path);

  if (aside != NULL && g_rename (self->path, aside) == 0)
    {
      g_autofree char *aside_display = g_filename_display_name (aside);

      self->problem = g_error_new (INP_ERROR, INP_ERROR_FAILED,
                                   /* Translators: the file, why it is damaged, its kept copy */
                                   _("The list of added models “%s” is damaged (%s). It was kept "
                                     "as “%s”, and the models that could be read from it are "
                                     "listed."),
                                   display, reason, aside_display);
      self->set_aside_path = g_steal_pointer (&aside);
    }
  else
    {
      self->problem = g_error_new (INP_ERROR, INP_ERROR_FAILED,
                                   /* Translators: the list’s file, then why it is damaged */
                                   _("The list of added models “%s” is damaged (%s) and was left "
                                     "untouched. Models added now are kept until Inpainter "
                                     "closes."),
                                   display, reason);
      g_clear_pointer (&self->path, g_free);
    }

  g_debug ("custom-models: %s", self->problem->message);
}

static void
load (InpCustomModels *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *reason = NULL;
  GStatBuf info = { 0, };
  gsize length;

  if (g_stat (self->path, &info) != 0 && (errno == ENOENT || errno == ENOTDIR))
    {
      g_debug ("custom-models: none kept yet at %s", self->path);
      return;
    }

  /* Models are a few kilobytes each: anything this large is not ours. */
  if (info.st_size > MAX_FILE_SIZE)
    reason = g_strdup (_("it is far too large"));
  else if (!g_file_get_contents (self->path, &data, &length, &error))
    reason = g_strdup (error->message);
  else
    parse_models (self, data, length, &reason);

  if (reason != NULL)
    set_aside (self, reason);
  else
    g_debug ("custom-models: %u kept at %s", self->models->len, self->path);
}

/* Saving */

static gboolean
save (InpCustomModels  *self,
      GPtrArray        *models,
      GError          **error)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *data = NULL;
  JsonArray *array;
  gsize length;

  if (self->path == NULL)
    return TRUE;

  array = json_array_new ();
  for (guint i = 0; i < models->len; i++)
    json_array_add_object_element (array, inp_model_dup_api_json (g_ptr_array_index (models, i)));
  root = json_node_init_object (json_node_alloc (), json_object_new ());
  json_object_set_int_member (json_node_get_object (root), "format", FORMAT_VERSION);
  json_object_set_array_member (json_node_get_object (root), "models", array);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  dir = g_path_get_dirname (self->path);
  name = g_path_get_basename (self->path);
  if (!inp_atomic_file_set_contents (dir, name, data, length, NULL, NULL, error))
    return FALSE;

  g_debug ("custom-models: kept %u at %s", models->len, self->path);
  return TRUE;
}

static int
find (GPtrArray  *models,
      const char *id)
{
  for (guint i = 0; i < models->len; i++)
    if (g_str_equal (inp_model_get_id (g_ptr_array_index (models, i)), id))
      return (int) i;

  return -1;
}

/* Public API */

/**
 * inp_custom_models_get_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/inpainter/models.json`, beside the library.
 */
char *
inp_custom_models_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "inpainter", "models.json", NULL);
}

/**
 * inp_custom_models_new:
 * @path: (nullable): the file that keeps them, or %NULL to keep them for the session only
 *
 * Reads the models kept at @path. A damaged file never fails this: it is set aside, the models
 * that could be read from it are listed, and inp_custom_models_get_problem() says what happened.
 *
 * Returns: (transfer full): the models.
 */
InpCustomModels *
inp_custom_models_new (const char *path)
{
  InpCustomModels *self = g_object_new (INP_TYPE_CUSTOM_MODELS, NULL);

  self->path = g_strdup (path);
  if (self->path != NULL)
    load (self);

  return self;
}

/**
 * inp_custom_models_get_path:
 *
 * Returns: (nullable): the file that keeps the models, or %NULL when they are kept for the
 *   session only (as after a damaged file could not be set aside).
 */
const char *
inp_custom_models_get_path (InpCustomModels *self)
{
  g_return_val_if_fail (INP_IS_CUSTOM_MODELS (self), NULL);

  return self->path;
}

/**
 * inp_custom_models_get_problem:
 *
 * Returns: (nullable): why the file was set aside at start, for a person.
 */
const GError *
inp_custom_models_get_problem (InpCustomModels *self)
{
  g_return_val_if_fail (INP_IS_CUSTOM_MODELS (self), NULL);

  return self->problem;
}

/**
 * inp_custom_models_get_set_aside_path:
 *
 * Returns: (nullable): where the damaged file was moved, untouched.
 */
const char *
inp_custom_models_get_set_aside_path (InpCustomModels *self)
{
  g_return_val_if_fail (INP_IS_CUSTOM_MODELS (self), NULL);

  return self->set_aside_path;
}

/**
 * inp_custom_models_lookup:
 * @id: "owner/name"
 *
 * Returns: (transfer none) (nullable): the model.
 */
InpModel *
inp_custom_models_lookup (InpCustomModels *self,
                          const char      *id)
{
  int position;

  g_return_val_if_fail (INP_IS_CUSTOM_MODELS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  position = find (self->models, id);
  return position >= 0 ? g_ptr_array_index (self->models, position) : NULL;
}

/**
 * inp_custom_models_add:
 * @model: a model built with inp_model_new_from_api(); one with the same id is replaced, which
 *   is how a model is updated to its latest version
 * @error: return location for an %INP_ERROR_FAILED if the file cannot be written
 *
 * Adds @model and writes the file before the list changes: a model is listed only once kept.
 *
 * Returns: whether @model was added.
 */
gboolean
inp_custom_models_add (InpCustomModels  *self,
                       InpModel         *model,
                       GError          **error)
{
  g_autoptr(GPtrArray) models = NULL;
  int position;

  g_return_val_if_fail (INP_IS_CUSTOM_MODELS (self), FALSE);
  g_return_val_if_fail (INP_IS_MODEL (model), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  models = g_ptr_array_copy (self->models, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (models, g_object_unref);
  position = find (models, inp_model_get_id (model));
  if (position >= 0)
    {
      g_object_unref (g_ptr_array_index (models, position));
      g_ptr_array_index (models, position) = g_object_ref (model);
    }
  else
    g_ptr_array_add (models, g_object_ref (model));

  if (!save (self, models, error))
    return FALSE;

  g_debug ("custom-models: added %s", inp_model_get_id (model));
  g_ptr_array_unref (self->models);
  self->models = g_steal_pointer (&models);
  if (position >= 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), self->models->len - 1, 0, 1);

  return TRUE;
}

/**
 * inp_custom_models_remove:
 * @id: "owner/name"
 * @error: return location for an %INP_ERROR_FAILED if the file cannot be written
 *
 * Removes the model for good. Removing a model that is not listed succeeds.
 *
 * Returns: whether the model is no longer kept.
 */
gboolean
inp_custom_models_remove (InpCustomModels  *self,
                          const char       *id,
                          GError          **error)
{
  g_autoptr(GPtrArray) models = NULL;
  int position;

  g_return_val_if_fail (INP_IS_CUSTOM_MODELS (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  position = find (self->models, id);
  if (position < 0)
    return TRUE;

  models = g_ptr_array_copy (self->models, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (models, g_object_unref);
  g_ptr_array_remove_index (models, position);
  if (!save (self, models, error))
    return FALSE;

  g_debug ("custom-models: removed %s", id);
  g_ptr_array_unref (self->models);
  self->models = g_steal_pointer (&models);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  return TRUE;
}

/* GObject */

static void
inp_custom_models_finalize (GObject *object)
{
  InpCustomModels *self = INP_CUSTOM_MODELS (object);

  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_error (&self->problem);
  g_free (self->set_aside_path);
  g_free (self->path);

  G_OBJECT_CLASS (inp_custom_models_parent_class)->finalize (object);
}

static void
inp_custom_models_class_init (InpCustomModelsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_custom_models_finalize;
}

static void
inp_custom_models_init (InpCustomModels *self)
{
  self->models = g_ptr_array_new_with_free_func (g_object_unref);
}
