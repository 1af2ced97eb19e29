/* inp-param-form.h: a model's settings, as a form built from its input schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "inp-model.h"

G_BEGIN_DECLS

#define INP_TYPE_PARAM_FORM (inp_param_form_get_type ())

G_DECLARE_FINAL_TYPE (InpParamForm, inp_param_form, INP, PARAM_FORM, AdwBin)

GtkWidget  *inp_param_form_new           (void);
InpModel   *inp_param_form_get_model     (InpParamForm  *self);
void        inp_param_form_set_model     (InpParamForm  *self,
                                          InpModel      *model);
JsonObject *inp_param_form_dup_values    (InpParamForm  *self);
void        inp_param_form_set_values    (InpParamForm  *self,
                                          JsonObject    *values);
gboolean    inp_param_form_validate      (InpParamForm  *self,
                                          GError       **error);
guint       inp_param_form_mark_errors   (InpParamForm  *self,
                                          GPtrArray     *field_errors);
void        inp_param_form_clear_errors  (InpParamForm  *self);
void        inp_param_form_reset         (InpParamForm  *self);
GtkWidget  *inp_param_form_get_row       (InpParamForm  *self,
                                          const char    *name);

G_END_DECLS
