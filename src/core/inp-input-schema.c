/* inp-input-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "inp-error.h"
#include "inp-input-schema.h"
#include "inp-json.h"

struct _InpInputField
{
  gatomicrefcount  ref_count;
  char            *name;
  char            *title;
  char            *description;
  InpFieldType     type;
  JsonNode        *default_value;
  JsonArray       *enum_values;
  double           minimum;
  double           maximum;
  int              order;
  guint            index;
  guint            has_minimum : 1;
  guint            has_maximum : 1;
  guint            required : 1;
  guint            translatable : 1;
};

struct _InpInputSchema
{
  GObject     parent_instance;

  GPtrArray  *fields;   /* of InpInputField, in x-order */
  GHashTable *by_name;  /* name → InpInputField, borrowed from fields */
};

G_DEFINE_FINAL_TYPE (InpInputSchema, inp_input_schema, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (InpInputField, inp_input_field, inp_input_field_ref, inp_input_field_unref)

/* The gettext contexts of the built-in models' schema texts, as tools/update-catalog-strings
 * writes them: a field's "Prompt" is not the prompt panel's, nor its "Output Format" the
 * preferences' one. */
#define FIELD_CONTEXT "model input"
#define CHOICE_CONTEXT "model input choice"

/* pgettext() through libc's dgettext() rather than g_dpgettext2(): GLib decides once per process
 * whether to translate at all, and a process that switches language, as the tests do, would keep
 * the first answer. Returns @text itself when the catalogue has no translation. */
static const char *
translate_in_context (const char *context,
                      const char *text)
{
  g_autofree char *key = g_strconcat (context, "\004", text, NULL);
  const char *translated = dgettext (GETTEXT_PACKAGE, key);

  return translated == key ? text : translated;
}

/* Fields */

InpInputField *
inp_input_field_ref (InpInputField *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  g_atomic_ref_count_inc (&field->ref_count);
  return field;
}

void
inp_input_field_unref (InpInputField *field)
{
  g_return_if_fail (field != NULL);

  if (!g_atomic_ref_count_dec (&field->ref_count))
    return;

  g_free (field->name);
  g_free (field->title);
  g_free (field->description);
  g_clear_pointer (&field->default_value, json_node_unref);
  g_clear_pointer (&field->enum_values, json_array_unref);
  g_free (field);
}

const char *
inp_input_field_get_name (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, NULL);
  return field->name;
}

/**
 * inp_input_field_get_title:
 *
 * Returns: the schema's title, or a title made from the name (`num_outputs` → "Num Outputs"),
 *   translated when the schema is a built-in model's.
 */
const char *
inp_input_field_get_title (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, NULL);
  return field->translatable ? translate_in_context (FIELD_CONTEXT, field->title)
                             : field->title;
}

/**
 * inp_input_field_get_description:
 *
 * Returns: (nullable): the schema's description, translated when the schema is a built-in
 *   model's.
 */
const char *
inp_input_field_get_description (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (field->description == NULL || !field->translatable)
    return field->description;
  return translate_in_context (FIELD_CONTEXT, field->description);
}

/**
 * inp_input_field_get_choice_label:
 * @value: one of the field's enum values
 *
 * What to show for @value. The value itself is what the model is sent; only a built-in model's
 * values that read as words ("Zoom out 2x") have a translated label.
 *
 * Returns: the label, translated when the schema is a built-in model's; else @value.
 */
const char *
inp_input_field_get_choice_label (const InpInputField *field,
                                  const char          *value)
{
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (!field->translatable)
    return value;
  return translate_in_context (CHOICE_CONTEXT, value);
}

InpFieldType
inp_input_field_get_field_type (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, INP_FIELD_TYPE_STRING);
  return field->type;
}

/**
 * inp_input_field_get_default:
 *
 * Returns: (nullable) (transfer none): the default value, if the schema gives one.
 */
JsonNode *
inp_input_field_get_default (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, NULL);
  return field->default_value;
}

gboolean
inp_input_field_has_minimum (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, FALSE);
  return field->has_minimum;
}

double
inp_input_field_get_minimum (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, 0.0);
  return field->minimum;
}

gboolean
inp_input_field_has_maximum (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, FALSE);
  return field->has_maximum;
}

double
inp_input_field_get_maximum (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, 0.0);
  return field->maximum;
}

/**
 * inp_input_field_get_enum:
 *
 * Returns: (nullable) (transfer none): the allowed values, whether inline or through `$ref`.
 */
JsonArray *
inp_input_field_get_enum (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, NULL);
  return field->enum_values;
}

gboolean
inp_input_field_is_required (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, FALSE);
  return field->required;
}

/**
 * inp_input_field_get_order:
 *
 * Returns: the `x-order`, or G_MAXINT when the schema gives none.
 */
int
inp_input_field_get_order (const InpInputField *field)
{
  g_return_val_if_fail (field != NULL, G_MAXINT);
  return field->order;
}

void
inp_input_issue_free (InpInputIssue *issue)
{
  if (issue == NULL)
    return;

  g_free (issue->field);
  g_free (issue->message);
  g_free (issue);
}

/* Parsing. Everything here reads untrusted JSON from a server, so every member is type-checked
 * before use: json-glib's getters assert on a mismatched node type. */

static JsonObject *
get_object_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array_member (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
get_number_member (JsonObject *object,
                   const char *name,
                   double     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (!node_is_number (node))
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

static char *
title_from_name (const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, "_", -1);
  GString *title = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (title->len > 0)
        g_string_append_c (title, ' ');
      g_string_append_c (title, g_ascii_toupper (words[i][0]));
      g_string_append (title, words[i] + 1);
    }

  return g_string_free (title, FALSE);
}

/* Follows a "#/components/schemas/<name>" reference; any other form is not one Cog writes. */
static JsonObject *
resolve_ref (JsonObject  *schemas,
             const char  *ref,
             const char  *field_name,
             GError     **error)
{
  const char *prefix = "#/components/schemas/";
  JsonObject *target = NULL;

  if (g_str_has_prefix (ref, prefix) && schemas != NULL)
    target = get_object_member (schemas, ref + strlen (prefix));

  if (target == NULL)
    g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                 /* Translators: a model input’s name, then the definition it refers to */
                 _("The input schema of field “%s” refers to “%s”, which it does not define"),
                 field_name, ref);

  return target;
}

/* The schema object that holds the field's type and enum: the property itself, the target of its
 * `$ref`, the first `allOf` member's target (Cog's enum rendering), or the first non-null `anyOf`
 * member (pydantic's rendering of optional fields). */
static JsonObject *
find_type_object (JsonObject  *property,
                  JsonObject  *schemas,
                  const char  *field_name,
                  GError     **error)
{
  const char *ref = get_string_member (property, "$ref");
  JsonArray *list;

  if (ref != NULL)
    return resolve_ref (schemas, ref, field_name, error);

  list = get_array_member (property, "allOf");
  if (list == NULL)
    list = get_array_member (property, "anyOf");
  if (list != NULL && json_object_get_member (property, "type") == NULL)
    {
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          JsonObject *member;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          member = json_node_get_object (node);
          if (g_strcmp0 (get_string_member (member, "type"), "null") == 0)
            continue;
          ref = get_string_member (member, "$ref");
          return ref != NULL ? resolve_ref (schemas, ref, field_name, error) : member;
        }
    }

  return property;
}

static gboolean
parse_type (InpInputField  *field,
            JsonObject     *type_object,
            JsonObject     *property,
            GError        **error)
{
  const char *type = get_string_member (type_object, "type");
  const char *format = get_string_member (type_object, "format");

  if (format == NULL)
    format = get_string_member (property, "format");

  /* An enum without a type takes the type of its values. */
  if (type == NULL && field->enum_values != NULL && json_array_get_length (field->enum_values) > 0)
    {
      JsonNode *first = json_array_get_element (field->enum_values, 0);

      if (JSON_NODE_HOLDS_VALUE (first))
        {
          GType value_type = json_node_get_value_type (first);

          type = value_type == G_TYPE_STRING ? "string"
                 : value_type == G_TYPE_INT64 ? "integer"
                 : value_type == G_TYPE_DOUBLE ? "number"
                 : value_type == G_TYPE_BOOLEAN ? "boolean" : NULL;
        }
    }

  if (g_strcmp0 (type, "string") == 0)
    field->type = g_strcmp0 (format, "uri") == 0 ? INP_FIELD_TYPE_FILE : INP_FIELD_TYPE_STRING;
  else if (g_strcmp0 (type, "integer") == 0)
    field->type = INP_FIELD_TYPE_INTEGER;
  else if (g_strcmp0 (type, "number") == 0)
    field->type = INP_FIELD_TYPE_NUMBER;
  else if (g_strcmp0 (type, "boolean") == 0)
    field->type = INP_FIELD_TYPE_BOOLEAN;
  else if (g_strcmp0 (type, "array") == 0)
    field->type = INP_FIELD_TYPE_ARRAY;
  else if (g_strcmp0 (type, "object") == 0)
    field->type = INP_FIELD_TYPE_OBJECT;
  else
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   /* Translators: a model input’s name, then a type name such as “tuple” */
                   _("The input schema gives field “%s” an unsupported type “%s”"),
                   field->name, type != NULL ? type : "");
      return FALSE;
    }

  return TRUE;
}

static InpInputField *
parse_field (const char  *name,
             JsonNode    *node,
             JsonObject  *schemas,
             guint        index,
             GError     **error)
{
  g_autoptr(InpInputField) field = g_new0 (InpInputField, 1);
  JsonObject *property;
  JsonObject *type_object;
  JsonNode *enum_node;
  JsonNode *member;
  const char *text;
  double number;

  g_atomic_ref_count_init (&field->ref_count);
  field->name = g_strdup (name);
  field->index = index;
  field->order = G_MAXINT;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   _("The input schema describes field “%s” with something other than an object"),
                   name);
      return NULL;
    }
  property = json_node_get_object (node);

  type_object = find_type_object (property, schemas, name, error);
  if (type_object == NULL)
    return NULL;

  /* Copied whole, so that the schema shares nothing with the document it came from. */
  enum_node = json_object_get_member (property, "enum");
  if (enum_node == NULL || !JSON_NODE_HOLDS_ARRAY (enum_node))
    enum_node = json_object_get_member (type_object, "enum");
  if (enum_node != NULL && JSON_NODE_HOLDS_ARRAY (enum_node))
    {
      g_autoptr(JsonNode) copy = inp_json_node_deep_copy (enum_node);

      field->enum_values = json_array_ref (json_node_get_array (copy));
    }

  if (!parse_type (field, type_object, property, error))
    return NULL;

  /* The property's own keywords win over those of the schema it refers to. */
  text = get_string_member (property, "title");
  field->title = text != NULL && *text != '\0' ? g_strdup (text) : title_from_name (name);
  text = get_string_member (property, "description");
  field->description = g_strdup (text);

  member = json_object_get_member (property, "default");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    field->default_value = inp_json_node_deep_copy (member);

  if (get_number_member (property, "minimum", &number)
      || get_number_member (type_object, "minimum", &number))
    {
      field->has_minimum = TRUE;
      field->minimum = number;
    }
  if (get_number_member (property, "maximum", &number)
      || get_number_member (type_object, "maximum", &number))
    {
      field->has_maximum = TRUE;
      field->maximum = number;
    }

  member = json_object_get_member (property, "x-order");
  if (node_is_number (member))
    {
      number = json_node_get_double (member);
      if (isfinite (number) && number >= G_MININT && number <= G_MAXINT)
        field->order = (int) number;
    }

  return g_steal_pointer (&field);
}

static int
compare_fields (gconstpointer a,
                gconstpointer b)
{
  const InpInputField *field_a = *(InpInputField * const *) a;
  const InpInputField *field_b = *(InpInputField * const *) b;

  if (field_a->order != field_b->order)
    return field_a->order < field_b->order ? -1 : 1;
  return field_a->index < field_b->index ? -1 : field_a->index > field_b->index;
}

/**
 * inp_input_schema_new_from_input:
 * @input_schema: the `Input` schema object (`type: object`, `properties`, `required`)
 * @components: (nullable): what `$ref`s point into: either `components` (holding `schemas`)
 *   or the `schemas` object itself
 * @error: return location for an %INP_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the schema, or %NULL if it cannot be understood.
 */
InpInputSchema *
inp_input_schema_new_from_input (JsonObject  *input_schema,
                                 JsonObject  *components,
                                 GError     **error)
{
  g_autoptr(InpInputSchema) self = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *properties;
  JsonObject *schemas = NULL;
  JsonArray *required;
  guint index = 0;

  g_return_val_if_fail (input_schema != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (components != NULL)
    {
      schemas = get_object_member (components, "schemas");
      if (schemas == NULL)
        schemas = components;
    }

  properties = get_object_member (input_schema, "properties");
  if (properties == NULL)
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_PROTOCOL,
                           _("The model’s input schema has no properties"));
      return NULL;
    }

  self = g_object_new (INP_TYPE_INPUT_SCHEMA, NULL);

  names = json_object_get_members (properties);
  for (const GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      InpInputField *field;

      /* A repeated key in the document would give two fields of one name. */
      if (g_hash_table_contains (self->by_name, name))
        continue;

      field = parse_field (name, json_object_get_member (properties, name), schemas, index++, error);
      if (field == NULL)
        return NULL;
      g_ptr_array_add (self->fields, field);
      g_hash_table_insert (self->by_name, field->name, field);
    }

  required = get_array_member (input_schema, "required");
  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    {
      JsonNode *node = json_array_get_element (required, i);
      InpInputField *field;

      if (json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      field = g_hash_table_lookup (self->by_name, json_node_get_string (node));
      if (field != NULL)
        field->required = TRUE;
    }

  g_ptr_array_sort (self->fields, compare_fields);

  return g_steal_pointer (&self);
}

/**
 * inp_input_schema_new_from_openapi:
 * @openapi_schema: a version's `openapi_schema`, as Cog writes it
 * @error: return location for an %INP_ERROR_PROTOCOL error
 *
 * Reads `components.schemas.Input`, following `$ref`s into `components.schemas`.
 *
 * Returns: (transfer full) (nullable): the schema, or %NULL if it cannot be understood.
 */
InpInputSchema *
inp_input_schema_new_from_openapi (JsonObject  *openapi_schema,
                                   GError     **error)
{
  JsonObject *components;
  JsonObject *schemas = NULL;
  JsonObject *input = NULL;

  g_return_val_if_fail (openapi_schema != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  components = get_object_member (openapi_schema, "components");
  if (components != NULL)
    schemas = get_object_member (components, "schemas");
  if (schemas != NULL)
    input = get_object_member (schemas, "Input");

  if (input == NULL)
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_PROTOCOL,
                           _("The model’s schema has no Input definition"));
      return NULL;
    }

  return inp_input_schema_new_from_input (input, schemas, error);
}

/**
 * inp_input_schema_set_translatable:
 *
 * Marks the fields' titles, descriptions and word-like choices as English strings that
 * tools/update-catalog-strings copied into the translations: true of the built-in models only.
 * A model added by name keeps its server's text, which no catalogue knows.
 */
void
inp_input_schema_set_translatable (InpInputSchema *self,
                                   gboolean        translatable)
{
  g_return_if_fail (INP_IS_INPUT_SCHEMA (self));

  for (guint i = 0; i < self->fields->len; i++)
    {
      InpInputField *field = g_ptr_array_index (self->fields, i);

      field->translatable = !!translatable;
    }
}

/**
 * inp_input_schema_get_fields:
 *
 * Returns: (transfer none) (element-type InpInputField): the fields, in `x-order`.
 */
GPtrArray *
inp_input_schema_get_fields (InpInputSchema *self)
{
  g_return_val_if_fail (INP_IS_INPUT_SCHEMA (self), NULL);
  return self->fields;
}

/**
 * inp_input_schema_lookup:
 *
 * Returns: (transfer none) (nullable): the field called @name.
 */
InpInputField *
inp_input_schema_lookup (InpInputSchema *self,
                         const char     *name)
{
  g_return_val_if_fail (INP_IS_INPUT_SCHEMA (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->by_name, name);
}

/* Validation */

static char *
format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", value));
}

static char *
format_enum (JsonArray *values)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *node = json_array_get_element (values, i);

      if (i > 0)
        g_string_append (text, ", ");
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append_printf (text, "\"%s\"", json_node_get_string (node));
      else if (node_is_number (node))
        {
          g_autofree char *number = format_number (json_node_get_double (node));

          g_string_append (text, number);
        }
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        g_string_append (text, json_node_get_boolean (node) ? "true" : "false");
      else
        g_string_append (text, "null");
    }

  return g_string_free (text, FALSE);
}

static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  if (node_is_number (a) && node_is_number (b))
    return json_node_get_double (a) == json_node_get_double (b);
  if (!JSON_NODE_HOLDS_VALUE (a) || !JSON_NODE_HOLDS_VALUE (b))
    return FALSE;
  if (json_node_get_value_type (a) != json_node_get_value_type (b))
    return FALSE;
  if (json_node_get_value_type (a) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
  if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (a) == json_node_get_boolean (b);
  return FALSE;
}

static const char *
type_message (InpFieldType type)
{
  switch (type)
    {
    case INP_FIELD_TYPE_STRING:
      return _("Expected text");
    case INP_FIELD_TYPE_INTEGER:
      return _("Expected a whole number");
    case INP_FIELD_TYPE_NUMBER:
      return _("Expected a number");
    case INP_FIELD_TYPE_BOOLEAN:
      return _("Expected true or false");
    case INP_FIELD_TYPE_FILE:
      return _("Expected a file: an https URL or a data URI");
    case INP_FIELD_TYPE_ARRAY:
      return _("Expected a list");
    case INP_FIELD_TYPE_OBJECT:
      return _("Expected an object");
    default:
      g_assert_not_reached ();
    }
}

static gboolean
value_has_type (JsonNode     *node,
                InpFieldType  type)
{
  GType value_type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (type)
    {
    case INP_FIELD_TYPE_STRING:
    case INP_FIELD_TYPE_FILE:
      return value_type == G_TYPE_STRING;
    case INP_FIELD_TYPE_INTEGER:
      /* JSON Schema counts 2.0 as an integer. */
      return value_type == G_TYPE_INT64
             || (value_type == G_TYPE_DOUBLE
                 && json_node_get_double (node) == floor (json_node_get_double (node))
                 && isfinite (json_node_get_double (node)));
    case INP_FIELD_TYPE_NUMBER:
      return value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE;
    case INP_FIELD_TYPE_BOOLEAN:
      return value_type == G_TYPE_BOOLEAN;
    case INP_FIELD_TYPE_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    case INP_FIELD_TYPE_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    default:
      g_assert_not_reached ();
    }
}

static InpInputIssue *
issue_new (const char      *field,
           InpFieldProblem  problem,
           char            *message)
{
  InpInputIssue *issue = g_new0 (InpInputIssue, 1);

  issue->field = g_strdup (field);
  issue->problem = problem;
  issue->message = message;

  return issue;
}

/* Checks one present, non-null value against its field. */
static InpInputIssue *
check_value (const InpInputField *field,
             JsonNode            *node)
{
  if (!value_has_type (node, field->type))
    return issue_new (field->name, INP_FIELD_PROBLEM_TYPE, g_strdup (type_message (field->type)));

  if (node_is_number (node))
    {
      double value = json_node_get_double (node);

      if (field->has_minimum && value < field->minimum)
        {
          g_autofree char *limit = format_number (field->minimum);

          return issue_new (field->name, INP_FIELD_PROBLEM_TOO_SMALL,
                            /* Translators: %s is the smallest value allowed, such as “0.5” */
                            g_strdup_printf (_("Must be greater than or equal to %s"), limit));
        }
      if (field->has_maximum && value > field->maximum)
        {
          g_autofree char *limit = format_number (field->maximum);

          return issue_new (field->name, INP_FIELD_PROBLEM_TOO_LARGE,
                            /* Translators: %s is the largest value allowed, such as “50” */
                            g_strdup_printf (_("Must be less than or equal to %s"), limit));
        }
    }

  if (field->enum_values != NULL && json_array_get_length (field->enum_values) > 0)
    {
      g_autofree char *allowed = NULL;

      for (guint i = 0; i < json_array_get_length (field->enum_values); i++)
        if (values_equal (json_array_get_element (field->enum_values, i), node))
          return NULL;

      allowed = format_enum (field->enum_values);
      return issue_new (field->name, INP_FIELD_PROBLEM_ENUM,
                        /* Translators: the first %s is an input's name, the second a list of values */
                        g_strdup_printf (_("%s must be one of the following: %s"),
                                         field->name, allowed));
    }

  return NULL;
}

/**
 * inp_input_schema_check:
 * @input: the `input` object of a prediction
 *
 * Finds every problem with @input: wrong types, values out of range or not in the enum, missing
 * required fields, and fields the schema does not have. A `null` value counts as absent.
 *
 * Returns: (transfer full) (element-type InpInputIssue): the problems, empty when @input is valid.
 */
GPtrArray *
inp_input_schema_check (InpInputSchema *self,
                        JsonObject     *input)
{
  g_autoptr(GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_input_issue_free);
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (INP_IS_INPUT_SCHEMA (self), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      const InpInputField *field = g_ptr_array_index (self->fields, i);
      JsonNode *node = json_object_get_member (input, field->name);
      InpInputIssue *issue = NULL;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (field->required)
            issue = issue_new (field->name, INP_FIELD_PROBLEM_REQUIRED,
                               /* Translators: %s is the name of a model input, such as “prompt” */
                               g_strdup_printf (_("%s is required"), field->name));
        }
      else
        issue = check_value (field, node);

      if (issue != NULL)
        g_ptr_array_add (issues, issue);
    }

  names = json_object_get_members (input);
  for (const GList *l = names; l != NULL; l = l->next)
    if (!g_hash_table_contains (self->by_name, l->data))
      g_ptr_array_add (issues,
                       issue_new (l->data, INP_FIELD_PROBLEM_UNKNOWN,
                                  g_strdup_printf (_("This model has no input named %s"),
                                                   (const char *) l->data)));

  return g_steal_pointer (&issues);
}

static GError *
error_from_issues (GPtrArray *issues)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_field_error_free);
  g_autoptr(GString) summary = g_string_new (NULL);

  for (guint i = 0; i < issues->len; i++)
    {
      const InpInputIssue *issue = g_ptr_array_index (issues, i);

      g_ptr_array_add (fields, inp_field_error_new (issue->field, issue->message));
      if (i > 0)
        g_string_append (summary, "; ");
      g_string_append_printf (summary, "%s: %s", issue->field, issue->message);
    }

  return inp_error_new_with_fields (INP_ERROR_INVALID_INPUT, fields,
                                    ngettext ("%u input is not valid: %s",
                                              "%u inputs are not valid: %s",
                                              issues->len),
                                    issues->len, summary->str);
}

/**
 * inp_input_schema_validate:
 * @input: the `input` object of a prediction
 * @error: return location for an %INP_ERROR_INVALID_INPUT error that carries one
 *   #InpFieldError per bad field (see inp_error_get_fields())
 *
 * Returns: %TRUE if @input is valid for this schema.
 */
gboolean
inp_input_schema_validate (InpInputSchema  *self,
                           JsonObject      *input,
                           GError         **error)
{
  g_autoptr(GPtrArray) issues = NULL;

  g_return_val_if_fail (INP_IS_INPUT_SCHEMA (self), FALSE);
  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  issues = inp_input_schema_check (self, input);
  if (issues->len == 0)
    return TRUE;

  g_propagate_error (error, error_from_issues (issues));
  return FALSE;
}

static JsonNode *
parse_text (const InpInputField *field,
            const char          *text,
            char               **problem)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  switch (field->type)
    {
    case INP_FIELD_TYPE_STRING:
    case INP_FIELD_TYPE_FILE:
      return json_node_init_string (json_node_alloc (), text);

    case INP_FIELD_TYPE_INTEGER:
      {
        gint64 value;

        if (!g_ascii_string_to_signed (stripped, 10, G_MININT64, G_MAXINT64, &value, NULL))
          break;
        return json_node_init_int (json_node_alloc (), value);
      }

    case INP_FIELD_TYPE_NUMBER:
      {
        char *end = NULL;
        double value = g_ascii_strtod (stripped, &end);

        if (*stripped == '\0' || end == NULL || *end != '\0' || !isfinite (value))
          break;
        return json_node_init_double (json_node_alloc (), value);
      }

    case INP_FIELD_TYPE_BOOLEAN:
      {
        const char *yes[] = { "true", "yes", "on", "1", NULL };
        const char *no[] = { "false", "no", "off", "0", NULL };

        for (guint i = 0; yes[i] != NULL; i++)
          {
            if (g_ascii_strcasecmp (stripped, yes[i]) == 0)
              return json_node_init_boolean (json_node_alloc (), TRUE);
            if (g_ascii_strcasecmp (stripped, no[i]) == 0)
              return json_node_init_boolean (json_node_alloc (), FALSE);
          }
        break;
      }

    case INP_FIELD_TYPE_ARRAY:
    case INP_FIELD_TYPE_OBJECT:
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        JsonNode *root;

        /* A list may also be written without brackets, as comma-separated text. */
        if (field->type == INP_FIELD_TYPE_ARRAY && stripped[0] != '[')
          {
            g_auto(GStrv) items = g_strsplit (stripped, ",", -1);
            JsonArray *array = json_array_new ();

            for (guint i = 0; items[i] != NULL; i++)
              json_array_add_string_element (array, g_strstrip (items[i]));
            return json_node_init_array (json_node_alloc (), array);
          }

        if (!json_parser_load_from_data (parser, stripped, -1, NULL))
          break;
        root = json_parser_get_root (parser);
        if (root == NULL || !value_has_type (root, field->type))
          break;
        return json_node_copy (root);
      }

    default:
      g_assert_not_reached ();
    }

  /* Translators: the first %s says what was expected ("Expected a number"), the second is what
   * was typed */
  *problem = g_strdup_printf (_("%s, not “%s”"), type_message (field->type), text);
  return NULL;
}

/**
 * inp_input_schema_parse_value:
 * @name: the field's name
 * @text: the value as a person typed it (`NAME=VALUE` on the command line)
 * @error: return location for an %INP_ERROR_INVALID_INPUT error naming the field
 *
 * Turns @text into a JSON value of the field's type and checks its range and enum.
 *
 * Returns: (transfer full) (nullable): the value.
 */
JsonNode *
inp_input_schema_parse_value (InpInputSchema  *self,
                              const char      *name,
                              const char      *text,
                              GError         **error)
{
  g_autoptr(GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_input_issue_free);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *problem = NULL;
  InpInputIssue *issue;
  InpInputField *field;

  g_return_val_if_fail (INP_IS_INPUT_SCHEMA (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  field = inp_input_schema_lookup (self, name);
  if (field == NULL)
    issue = issue_new (name, INP_FIELD_PROBLEM_UNKNOWN,
                       g_strdup_printf (_("This model has no input named %s"), name));
  else if ((node = parse_text (field, text, &problem)) == NULL)
    issue = issue_new (name, INP_FIELD_PROBLEM_TYPE, g_steal_pointer (&problem));
  else
    issue = check_value (field, node);

  if (issue == NULL)
    return g_steal_pointer (&node);

  g_ptr_array_add (issues, issue);
  g_propagate_error (error, error_from_issues (issues));
  return NULL;
}

static void
inp_input_schema_finalize (GObject *object)
{
  InpInputSchema *self = INP_INPUT_SCHEMA (object);

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);

  G_OBJECT_CLASS (inp_input_schema_parent_class)->finalize (object);
}

static void
inp_input_schema_class_init (InpInputSchemaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_input_schema_finalize;
}

static void
inp_input_schema_init (InpInputSchema *self)
{
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_input_field_unref);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
}
