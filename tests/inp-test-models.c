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
