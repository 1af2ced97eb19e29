/* inp-test-models.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-catalog.h"
#include "inp-test-models.h"

/* Returns: (transfer none): the built-in model @id; the test fails if there is none. */
InpModel *
inp_test_lookup_model (const char *id)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), id);

  if (model == NULL)
    g_error ("no model %s in the catalogue", id);
  return model;
}

/* Returns: (transfer full): @json parsed; the test fails unless it is a JSON object. */
JsonObject *
inp_test_parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

/* Returns: (transfer full): a model added by name, as the service describes it: a required prompt,
 * canvas image and mask, a `control_image` of its own, a required `strength` and a `tags` list. */
InpModel *
inp_test_new_added_model (void)
{
  const char *json =
    "{\"owner\": \"someone\", \"name\": \"controlnet-fill\","
    " \"latest_version\": {"
    "  \"id\": \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
    "  \"openapi_schema\": {\"components\": {\"schemas\": {"
    "   \"Input\": {\"type\": \"object\", \"required\": [\"prompt\", \"strength\"],"
    "    \"properties\": {"
    "     \"prompt\": {\"type\": \"string\", \"x-order\": 0},"
    "     \"image\": {\"type\": \"string\", \"format\": \"uri\", \"x-order\": 1},"
    "     \"mask\": {\"type\": \"string\", \"format\": \"uri\", \"x-order\": 2},"
    "     \"control_image\": {\"type\": \"string\", \"format\": \"uri\","
    "                       \"title\": \"Control <Image> & Co\", \"x-order\": 3},"
    "     \"strength\": {\"type\": \"number\", \"default\": 0.5, \"minimum\": 0,"
    "                  \"maximum\": 1, \"x-order\": 4},"
    "     \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"x-order\": 5}}},"
    "   \"Output\": {\"type\": \"string\", \"format\": \"uri\"}}}}}}";
  g_autoptr(JsonObject) object = inp_test_parse_object (json);
  g_autoptr(GError) error = NULL;
  InpModel *model = inp_model_new_from_api (object, &error);

  g_assert_no_error (error);
  return model;
}
