/* inp-catalog.h: the models Inpainter knows, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "inp-model.h"

G_BEGIN_DECLS

#define INP_TYPE_CATALOG (inp_catalog_get_type ())

G_DECLARE_FINAL_TYPE (InpCatalog, inp_catalog, INP, CATALOG, GObject)

InpCatalog *inp_catalog_new                (void);
InpCatalog *inp_catalog_new_from_resource  (const char   *path,
                                            gboolean      translatable,
                                            GError      **error);
InpCatalog *inp_catalog_new_builtin        (GError      **error);
InpCatalog *inp_catalog_get_default        (void);
InpModel   *inp_catalog_lookup             (InpCatalog   *self,
                                            const char   *id);
InpModel   *inp_catalog_lookup_version     (InpCatalog   *self,
                                            const char   *version);
InpModel   *inp_catalog_add_from_json      (InpCatalog   *self,
                                            JsonObject   *model_object,
                                            GError      **error);
void        inp_catalog_add                (InpCatalog   *self,
                                            InpModel     *model);

G_END_DECLS
