/* inp-custom-models.h: the models added by owner/name, kept across starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "inp-model.h"

G_BEGIN_DECLS

#define INP_TYPE_CUSTOM_MODELS (inp_custom_models_get_type ())

G_DECLARE_FINAL_TYPE (InpCustomModels, inp_custom_models, INP, CUSTOM_MODELS, GObject)

char            *inp_custom_models_get_default_path   (void);
InpCustomModels *inp_custom_models_new                (const char       *path);
const char      *inp_custom_models_get_path           (InpCustomModels  *self);
const GError    *inp_custom_models_get_problem        (InpCustomModels  *self);
const char      *inp_custom_models_get_set_aside_path (InpCustomModels  *self);
InpModel        *inp_custom_models_lookup             (InpCustomModels  *self,
                                                       const char       *id);
gboolean         inp_custom_models_add                (InpCustomModels  *self,
                                                       InpModel         *model,
                                                       GError          **error);
gboolean         inp_custom_models_remove             (InpCustomModels  *self,
                                                       const char       *id,
                                                       GError          **error);

G_END_DECLS
