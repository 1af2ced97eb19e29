/* inp-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-json.h"

/* json_node_copy() shares objects, arrays and values by reference, and json-glib's reference
 * counts are not atomic: JSON that crosses threads (the sandbox's, a worker's) is copied whole. */

/**
 * inp_json_node_deep_copy:
 *
 * Returns: (transfer full): a copy of @node that shares nothing with it.
 */
JsonNode *
inp_json_node_deep_copy (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return json_node_init_object (json_node_alloc (),
                                    inp_json_object_deep_copy (json_node_get_object (node)));

    case JSON_NODE_ARRAY:
      {
        JsonArray *source = json_node_get_array (node);
        JsonArray *array = json_array_sized_new (json_array_get_length (source));

        for (guint i = 0; i < json_array_get_length (source); i++)
          json_array_add_element (array, inp_json_node_deep_copy (json_array_get_element (source, i)));
        return json_node_init_array (json_node_alloc (), array);
      }

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          return json_node_init_int (json_node_alloc (), json_node_get_int (node));
        if (type == G_TYPE_DOUBLE)
          return json_node_init_double (json_node_alloc (), json_node_get_double (node));
        if (type == G_TYPE_BOOLEAN)
          return json_node_init_boolean (json_node_alloc (), json_node_get_boolean (node));
        return json_node_init_string (json_node_alloc (), json_node_get_string (node));
      }

    case JSON_NODE_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}

/**
 * inp_json_object_deep_copy:
 *
 * Returns: (transfer full): a copy of @object that shares nothing with it, members in order.
 */
JsonObject *
inp_json_object_deep_copy (JsonObject *object)
{
  g_autoptr(GList) names = NULL;
  JsonObject *copy;

  g_return_val_if_fail (object != NULL, NULL);

  copy = json_object_new ();
  names = json_object_get_members (object);
  for (const GList *l = names; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            inp_json_node_deep_copy (json_object_get_member (object, l->data)));

  return copy;
}
