/* inp-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "inp-error.h"
#include "inp-json.h"
#include "inp-model.h"

struct _InpModel
{
  GObject           parent_instance;

  char             *id;
  char             *owner;
  char             *name;
  char             *title;
  char             *description;
  char             *version;
  char             *image_input;
  char             *mask_input;
  char             *output_format;
  InpModelTask      task;
  InpModelEndpoint  endpoint;
  InpModelOutput    output_kind;
  gboolean          output_is_array;
  gboolean          translatable;
  InpSizeRules      size_rules;
  char             *width_input;
  char             *height_input;
  InpInputSchema   *schema;
  JsonObject       *input_json;
  JsonObject       *components_json;
};

G_DEFINE_FINAL_TYPE (InpModel, inp_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const task_names[] = {
  [INP_MODEL_TASK_INPAINT] = "inpaint",
  [INP_MODEL_TASK_FILL] = "fill",
  [INP_MODEL_TASK_GENERATE] = "generate",
  [INP_MODEL_TASK_IMAGE_TO_IMAGE] = "image-to-image",
  [INP_MODEL_TASK_REMOVE_OBJECT] = "remove-object",
  [INP_MODEL_TASK_REMOVE_BACKGROUND] = "remove-background",
  [INP_MODEL_TASK_ANIMATE] = "animate",
};

/**
 * inp_model_task_to_string:
 *
 * Returns: the task's name in `models.json` and in `inpainter-cli models --json` ("inpaint").
 */
const char *
inp_model_task_to_string (InpModelTask task)
{
  g_return_val_if_fail ((guint) task < G_N_ELEMENTS (task_names), NULL);
  return task_names[task];
}

gboolean
inp_model_task_from_string (const char   *text,
                            InpModelTask *task)
{
  for (guint i = 0; i < G_N_ELEMENTS (task_names); i++)
    {
      if (g_strcmp0 (text, task_names[i]) == 0)
        {
          *task = (InpModelTask) i;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gint64
get_int (JsonObject *object,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

static gboolean
is_version_hash (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
set_id (InpModel    *self,
        const char  *owner,
        const char  *name,
        GError     **error)
{
  if (owner == NULL || name == NULL || *owner == '\0' || *name == '\0'
      || strchr (owner, '/') != NULL || strchr (name, '/') != NULL
      || strchr (name, ':') != NULL)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   /* Translators: the owner and the name halves of a model name */
                   _("“%s/%s” is not a model name of the form owner/name"),
                   owner != NULL ? owner : "", name != NULL ? name : "");
      return FALSE;
    }

  self->owner = g_strdup (owner);
  self->name = g_strdup (name);
  self->id = g_strconcat (owner, "/", name, NULL);
  return TRUE;
}

/* An enumerated dimension lists its allowed values; they become the fitting's choices. */
static guint
read_sizes (JsonArray *values,
            guint     *sizes)
{
  guint n = 0;

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonNode *node = json_array_get_element (values, i);
      gint64 value;

      if (json_node_get_value_type (node) != G_TYPE_INT64)
        continue;
      value = json_node_get_int (node);
      if (value > 0 && value <= G_MAXINT && n < INP_SIZE_RULES_MAX_SIZES)
        sizes[n++] = (guint) value;
    }

  /* Fitting picks the nearest value, so keep them ascending. */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && sizes[j - 1] > sizes[j]; j--)
      {
        guint tmp = sizes[j];

        sizes[j] = sizes[j - 1];
        sizes[j - 1] = tmp;
      }

  return n;
}

static gboolean
check_file_input (InpModel    *self,
                  const char  *name,
                  GError     **error)
{
  InpInputField *field;

  if (name == NULL)
    return TRUE;

  field = inp_input_schema_lookup (self->schema, name);
  if (field == NULL || inp_input_field_get_field_type (field) != INP_FIELD_TYPE_FILE)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   /* Translators: a model id such as “stability-ai/sdxl”, then an input */
                   _("Model %s names “%s” as its image input, but has no such file input"),
                   self->id, name);
      return FALSE;
    }
  return TRUE;
}

/**
 * inp_model_new_from_json:
 * @object: one entry of `models.json`
 * @translatable: whether the title, description and input texts are English strings with
 *   translations (the built-in models)
 * @error: return location for an %INP_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the model.
 */
InpModel *
inp_model_new_from_json (JsonObject  *object,
                         gboolean     translatable,
                         GError     **error)
{
  g_autoptr(InpModel) self = g_object_new (INP_TYPE_MODEL, NULL);
  g_auto(GStrv) parts = NULL;
  const char *id = get_string (object, "id");
  const char *text;
  JsonObject *output;
  JsonObject *rules;
  JsonObject *input;
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  parts = g_strsplit (id != NULL ? id : "", "/", 2);
  if (!set_id (self, parts[0], parts[0] != NULL ? parts[1] : NULL, error))
    return NULL;

  self->translatable = translatable;
  self->title = g_strdup (get_string (object, "title"));
  if (self->title == NULL)
    self->title = g_strdup (self->name);
  self->description = g_strdup (get_string (object, "description"));

  if (!inp_model_task_from_string (get_string (object, "task"), &self->task))
    {
      /* Translators: %s is a model id such as “stability-ai/sdxl”; the task says what it does */
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL, _("Model %s has an unknown task"), self->id);
      return NULL;
    }

  text = get_string (object, "endpoint");
  if (g_strcmp0 (text, "model") == 0)
    self->endpoint = INP_MODEL_ENDPOINT_MODEL;
  else
    self->endpoint = INP_MODEL_ENDPOINT_VERSION;

  text = get_string (object, "version");
  if (text != NULL && !is_version_hash (text))
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   _("Model %s has a version that is not a 64-digit hash"), self->id);
      return NULL;
    }
  self->version = g_ascii_strdown (text != NULL ? text : "", -1);
  if (self->version[0] == '\0')
    g_clear_pointer (&self->version, g_free);
  if (self->endpoint == INP_MODEL_ENDPOINT_VERSION && self->version == NULL)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   _("Model %s is run by version but has none"), self->id);
      return NULL;
    }

  input = get_object (object, "input_schema");
  if (input == NULL)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL, _("Model %s has no input schema"), self->id);
      return NULL;
    }
  /* Copies, so that the model shares no JSON with its source, which may live in another thread. */
  self->input_json = inp_json_object_deep_copy (input);
  if (get_object (object, "components") != NULL)
    self->components_json = inp_json_object_deep_copy (get_object (object, "components"));
  self->schema = inp_input_schema_new_from_input (self->input_json, self->components_json, error);
  if (self->schema == NULL)
    return NULL;
  inp_input_schema_set_translatable (self->schema, translatable);

  self->image_input = g_strdup (get_string (object, "image_input"));
  self->mask_input = g_strdup (get_string (object, "mask_input"));
  if (!check_file_input (self, self->image_input, error)
      || !check_file_input (self, self->mask_input, error))
    return NULL;

  output = get_object (object, "output");
  self->output_kind = g_strcmp0 (get_string (output, "kind"), "video") == 0
                      ? INP_MODEL_OUTPUT_VIDEO : INP_MODEL_OUTPUT_IMAGE;
  node = output != NULL ? json_object_get_member (output, "multiple") : NULL;
  self->output_is_array = node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                          && json_node_get_boolean (node);
  self->output_format = g_strdup (get_string (output, "format"));

  rules = get_object (object, "size_rules");
  self->size_rules.multiple = (guint) CLAMP (get_int (rules, "multiple", 1), 1, 1024);
  self->size_rules.max_side = (guint) CLAMP (get_int (rules, "max_side", 2048), 1, 65535);
  if (rules != NULL && json_object_has_member (rules, "widths")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (rules, "widths")))
    self->size_rules.n_widths = read_sizes (json_object_get_array_member (rules, "widths"),
                                            self->size_rules.widths);
  if (rules != NULL && json_object_has_member (rules, "heights")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (rules, "heights")))
    self->size_rules.n_heights = read_sizes (json_object_get_array_member (rules, "heights"),
                                             self->size_rules.heights);
  node = rules != NULL ? json_object_get_member (rules, "mask_same_size") : NULL;
  self->size_rules.mask_same_size = node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                                    && json_node_get_boolean (node);
  self->width_input = g_strdup (get_string (rules, "width_input"));
  self->height_input = g_strdup (get_string (rules, "height_input"));
  self->size_rules.width_input = self->width_input;
  self->size_rules.height_input = self->height_input;

  return g_steal_pointer (&self);
}

static const char *
find_file_input (InpInputSchema *schema,
                 gboolean        mask)
{
  const char *preferred[] = { "image", "input_image", "image_path", "init_image", "img", NULL };
  GPtrArray *fields = inp_input_schema_get_fields (schema);

  if (!mask)
    {
      for (guint i = 0; preferred[i] != NULL; i++)
        {
          InpInputField *field = inp_input_schema_lookup (schema, preferred[i]);

          if (field != NULL && inp_input_field_get_field_type (field) == INP_FIELD_TYPE_FILE)
            return preferred[i];
        }
    }

  for (guint i = 0; i < fields->len; i++)
    {
      InpInputField *field = g_ptr_array_index (fields, i);
      const char *name = inp_input_field_get_name (field);
      gboolean is_mask = strstr (name, "mask") != NULL;

      if (inp_input_field_get_field_type (field) == INP_FIELD_TYPE_FILE && is_mask == mask)
        return name;
    }

  return NULL;
}

static void
size_input_from_schema (InpModel    *self,
                        const char  *name,
                        char       **input,
                        guint       *sizes,
                        guint       *n_sizes)
{
  InpInputField *field = inp_input_schema_lookup (self->schema, name);

  if (field == NULL || inp_input_field_get_field_type (field) != INP_FIELD_TYPE_INTEGER)
    return;

  *input = g_strdup (name);
  *n_sizes = read_sizes (inp_input_field_get_enum (field), sizes);
}

/**
 * inp_model_new_from_api:
 * @model_object: the answer of `GET /models/{owner}/{name}`
 * @error: return location for an %INP_ERROR_PROTOCOL error
 *
 * Builds a model that is not in the catalogue from what the service says about it. Its task and
 * image inputs are guessed from the schema: a file input called like a mask makes an inpainting
 * model, another file input an image-to-image one, none a generator.
 *
 * Returns: (transfer full) (nullable): the model.
 */
InpModel *
inp_model_new_from_api (JsonObject  *model_object,
                        GError     **error)
{
  g_autoptr(InpModel) self = g_object_new (INP_TYPE_MODEL, NULL);
  JsonObject *latest_version;
  JsonObject *openapi;
  JsonObject *schemas;
  JsonObject *output;
  JsonNode *official;
  const char *version;

  g_return_val_if_fail (model_object != NULL, NULL);

  if (!set_id (self, get_string (model_object, "owner"), get_string (model_object, "name"), error))
    return NULL;

  self->title = g_strdup (self->name);
  self->description = g_strdup (get_string (model_object, "description"));

  latest_version = get_object (model_object, "latest_version");
  openapi = get_object (latest_version, "openapi_schema");
  if (openapi == NULL)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   _("The service describes model %s without an input schema"), self->id);
      return NULL;
    }

  self->schema = inp_input_schema_new_from_openapi (openapi, error);
  if (self->schema == NULL)
    return NULL;
  schemas = get_object (get_object (openapi, "components"), "schemas");
  self->input_json = inp_json_object_deep_copy (get_object (schemas, "Input"));
  self->components_json = inp_json_object_deep_copy (schemas);

  version = get_string (latest_version, "id");
  official = json_object_get_member (model_object, "is_official");
  if (is_version_hash (version))
    self->version = g_ascii_strdown (version, -1);
  if (self->version == NULL
      || (official != NULL && json_node_get_value_type (official) == G_TYPE_BOOLEAN
          && json_node_get_boolean (official)))
    self->endpoint = INP_MODEL_ENDPOINT_MODEL;
  else
    self->endpoint = INP_MODEL_ENDPOINT_VERSION;

  self->image_input = g_strdup (find_file_input (self->schema, FALSE));
  self->mask_input = g_strdup (find_file_input (self->schema, TRUE));
  if (self->image_input != NULL && self->mask_input != NULL)
    self->task = INP_MODEL_TASK_INPAINT;
  else if (self->image_input != NULL)
    self->task = INP_MODEL_TASK_IMAGE_TO_IMAGE;
  else
    {
      self->task = INP_MODEL_TASK_GENERATE;
      g_clear_pointer (&self->mask_input, g_free);
    }

  output = get_object (schemas, "Output");
  self->output_kind = INP_MODEL_OUTPUT_IMAGE;
  self->output_is_array = g_strcmp0 (get_string (output, "type"), "array") == 0;

  /* Multiples of 8 suit every diffusion model; the cap keeps uploads reasonable. */
  self->size_rules.multiple = 8;
  self->size_rules.max_side = 1440;
  size_input_from_schema (self, "width", &self->width_input,
                          self->size_rules.widths, &self->size_rules.n_widths);
  size_input_from_schema (self, "height", &self->height_input,
                          self->size_rules.heights, &self->size_rules.n_heights);
  self->size_rules.width_input = self->width_input;
  self->size_rules.height_input = self->height_input;

  return g_steal_pointer (&self);
}

const char *
inp_model_get_id (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->id;
}

const char *
inp_model_get_owner (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->owner;
}

const char *
inp_model_get_name (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->name;
}

/**
 * inp_model_get_title:
 *
 * Returns: the title, translated for built-in models.
 */
const char *
inp_model_get_title (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->translatable ? dgettext (GETTEXT_PACKAGE, self->title) : self->title;
}

/**
 * inp_model_get_description:
 *
 * Returns: (nullable): a one-line description, translated for built-in models.
 */
const char *
inp_model_get_description (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);

  if (self->description == NULL || *self->description == '\0')
    return NULL;
  return self->translatable ? dgettext (GETTEXT_PACKAGE, self->description) : self->description;
}

InpModelTask
inp_model_get_task (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), INP_MODEL_TASK_GENERATE);
  return self->task;
}

InpModelEndpoint
inp_model_get_endpoint (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), INP_MODEL_ENDPOINT_VERSION);
  return self->endpoint;
}

/**
 * inp_model_get_version:
 *
 * Returns: (nullable): the 64-hex version id, or %NULL for models run through their model route.
 */
const char *
inp_model_get_version (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->version;
}

/**
 * inp_model_get_schema:
 *
 * Returns: (transfer none): the input schema.
 */
InpInputSchema *
inp_model_get_schema (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->schema;
}

/**
 * inp_model_get_image_input:
 *
 * Returns: (nullable): the file input that takes the canvas image ("image", "image_path"…).
 */
const char *
inp_model_get_image_input (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->image_input;
}

/**
 * inp_model_get_mask_input:
 *
 * Returns: (nullable): the file input that takes the mask (white = repaint, black = keep).
 */
const char *
inp_model_get_mask_input (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->mask_input;
}

InpModelOutput
inp_model_get_output_kind (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), INP_MODEL_OUTPUT_IMAGE);
  return self->output_kind;
}

/**
 * inp_model_get_output_is_array:
 *
 * Returns: whether the output is a list of files rather than a single one. Clients should accept
 *   both shapes anyway.
 */
gboolean
inp_model_get_output_is_array (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), FALSE);
  return self->output_is_array;
}

/**
 * inp_model_get_output_format:
 *
 * Returns: (nullable): the format of the output by default ("png", "webp", "gif"…), if known.
 */
const char *
inp_model_get_output_format (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->output_format;
}

/**
 * inp_model_get_size_rules:
 *
 * Returns: (transfer none): how images must be sized for this model; see inp_image_fit().
 */
const InpSizeRules *
inp_model_get_size_rules (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return &self->size_rules;
}

/**
 * inp_model_get_input_json:
 *
 * Returns: (transfer none): the `Input` schema object, as Cog writes it.
 */
JsonObject *
inp_model_get_input_json (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->input_json;
}

/**
 * inp_model_get_components_json:
 *
 * Returns: (transfer none) (nullable): the schemas the input's `$ref`s point to.
 */
JsonObject *
inp_model_get_components_json (InpModel *self)
{
  g_return_val_if_fail (INP_IS_MODEL (self), NULL);
  return self->components_json;
}

static JsonNode *
uri_schema (void)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "type", "string");
  json_object_set_string_member (object, "format", "uri");
  return json_node_init_object (json_node_alloc (), object);
}

/**
 * inp_model_dup_openapi_schema:
 *
 * Builds an `openapi_schema` as Cog would publish it for this model: `components.schemas` with
 * `Input`, `Output` and every enum the input refers to.
 *
 * Returns: (transfer full): a new object.
 */
JsonObject *
inp_model_dup_openapi_schema (InpModel *self)
{
  JsonObject *openapi = json_object_new ();
  JsonObject *components = json_object_new ();
  JsonObject *schemas = json_object_new ();
  JsonObject *info = json_object_new ();
  JsonObject *output = json_object_new ();

  g_return_val_if_fail (INP_IS_MODEL (self), NULL);

  json_object_set_string_member (info, "title", "Cog");
  json_object_set_string_member (info, "version", "0.1.0");
  json_object_set_object_member (openapi, "info", info);
  json_object_set_string_member (openapi, "openapi", "3.0.2");

  if (self->components_json != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (self->components_json);

      /* Deep copies: the caller may change them, and other threads read the originals. */
      for (const GList *l = names; l != NULL; l = l->next)
        json_object_set_member (schemas, l->data,
                                inp_json_node_deep_copy (json_object_get_member (self->components_json,
                                                                                 l->data)));
    }
  json_object_set_object_member (schemas, "Input", inp_json_object_deep_copy (self->input_json));

  json_object_set_string_member (output, "title", "Output");
  if (self->output_is_array)
    {
      json_object_set_string_member (output, "type", "array");
      json_object_set_member (output, "items", uri_schema ());
    }
  else
    {
      json_object_set_string_member (output, "type", "string");
      json_object_set_string_member (output, "format", "uri");
    }
  json_object_set_object_member (schemas, "Output", output);

  json_object_set_object_member (components, "schemas", schemas);
  json_object_set_object_member (openapi, "components", components);

  return openapi;
}

/**
 * inp_model_dup_api_json:
 *
 * Describes the model as `GET /models/{owner}/{name}` does: owner, name, description,
 * is_official and a latest_version with its id (when the model has one) and openapi_schema.
 * inp_model_new_from_api() reads it back into an equal model, which is how models added by name
 * are kept across starts.
 *
 * Returns: (transfer full): a new object.
 */
JsonObject *
inp_model_dup_api_json (InpModel *self)
{
  JsonObject *object;
  JsonObject *version;

  g_return_val_if_fail (INP_IS_MODEL (self), NULL);

  object = json_object_new ();
  version = json_object_new ();
  json_object_set_string_member (object, "owner", self->owner);
  json_object_set_string_member (object, "name", self->name);
  if (self->description != NULL)
    json_object_set_string_member (object, "description", self->description);
  else
    json_object_set_null_member (object, "description");
  json_object_set_boolean_member (object, "is_official",
                                  self->endpoint == INP_MODEL_ENDPOINT_MODEL);
  if (self->version != NULL)
    json_object_set_string_member (version, "id", self->version);
  json_object_set_object_member (version, "openapi_schema", inp_model_dup_openapi_schema (self));
  json_object_set_object_member (object, "latest_version", version);

  return object;
}

static void
inp_model_finalize (GObject *object)
{
  InpModel *self = INP_MODEL (object);

  g_free (self->id);
  g_free (self->owner);
  g_free (self->name);
  g_free (self->title);
  g_free (self->description);
  g_free (self->version);
  g_free (self->image_input);
  g_free (self->mask_input);
  g_free (self->output_format);
  g_free (self->width_input);
  g_free (self->height_input);
  g_clear_object (&self->schema);
  g_clear_pointer (&self->input_json, json_object_unref);
  g_clear_pointer (&self->components_json, json_object_unref);

  G_OBJECT_CLASS (inp_model_parent_class)->finalize (object);
}

static void
inp_model_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  InpModel *self = INP_MODEL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, inp_model_get_id (self));
      break;

    case PROP_TITLE:
      g_value_set_string (value, inp_model_get_title (self));
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, inp_model_get_description (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_model_class_init (InpModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_model_finalize;
  object_class->get_property = inp_model_get_property;

  /**
   * InpModel:id:
   *
   * The model's "owner/name".
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpModel:title:
   *
   * A short name for people, translated for built-in models.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpModel:description:
   *
   * What the model does, in one line.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inp_model_init (InpModel *self)
{
}
