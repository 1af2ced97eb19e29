/* inp-json.h: JSON helpers json-glib lacks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode   *inp_json_node_deep_copy   (JsonNode   *node);
JsonObject *inp_json_object_deep_copy (JsonObject *object);

G_END_DECLS
