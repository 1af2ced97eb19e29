/* fuzz-input-schema.c: the Cog/OpenAPI schema parser and validator on arbitrary JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>

#include "inp-input-schema.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical from json-glib means a member was used without checking its type: a bug. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

/* Exercises a parsed schema the way clients do: read every field, validate its defaults, and
 * parse a few typed texts. */
static void
exercise (InpInputSchema *schema)
{
  g_autoptr(JsonObject) input = json_object_new ();
  GPtrArray *fields = inp_input_schema_get_fields (schema);
  const char *texts[] = { "1", "2.5", "true", "[1]", "a,b", "{}", "" };

  for (guint i = 0; i < fields->len; i++)
    {
      InpInputField *field = g_ptr_array_index (fields, i);
      const char *name = inp_input_field_get_name (field);

      if (inp_input_field_get_default (field) != NULL)
        json_object_set_member (input, name, json_node_copy (inp_input_field_get_default (field)));
      else if (inp_input_field_get_enum (field) != NULL
               && json_array_get_length (inp_input_field_get_enum (field)) > 0)
        json_object_set_member (input, name,
                                json_node_copy (json_array_get_element (inp_input_field_get_enum (field), 0)));

      for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
        {
          JsonNode *value = inp_input_schema_parse_value (schema, name, texts[j], NULL);

          g_clear_pointer (&value, json_node_unref);
        }
      g_assert (inp_input_schema_lookup (schema, name) == field);
    }

  inp_input_schema_validate (schema, input, NULL);
  json_object_set_int_member (input, "not-a-field", 1);
  {
    g_autoptr(GPtrArray) issues = inp_input_schema_check (schema, input);

    g_assert (issues->len >= 1);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(InpInputSchema) from_openapi = NULL;
  g_autoptr(InpInputSchema) from_input = NULL;
  JsonNode *root;

  if (size > G_MAXSSIZE || !json_parser_load_from_data (parser, (const char *) data, size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  from_openapi = inp_input_schema_new_from_openapi (json_node_get_object (root), NULL);
  if (from_openapi != NULL)
    exercise (from_openapi);

  from_input = inp_input_schema_new_from_input (json_node_get_object (root),
                                                json_node_get_object (root), NULL);
  if (from_input != NULL)
    exercise (from_input);

  return 0;
}
