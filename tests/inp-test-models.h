/* inp-test-models.h: catalogue models and JSON for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "inp-model.h"

G_BEGIN_DECLS

InpModel   *inp_test_lookup_model  (const char *id);
JsonObject *inp_test_parse_object  (const char *json);
InpModel   *inp_test_new_added_model (void);

G_END_DECLS
