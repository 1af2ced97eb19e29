/* inp-model-picker.h: the chosen model, and the searchable catalogue to choose from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-custom-models.h"
#include "inp-model.h"

G_BEGIN_DECLS

#define INP_TYPE_MODEL_PICKER (inp_model_picker_get_type ())

G_DECLARE_FINAL_TYPE (InpModelPicker, inp_model_picker, INP, MODEL_PICKER, AdwBin)

GtkWidget *inp_model_picker_new                 (void);
InpModel  *inp_model_picker_get_selected_model  (InpModelPicker *self);
void       inp_model_picker_set_selected_model  (InpModelPicker *self,
                                                 InpModel       *model);
void       inp_model_picker_set_canvas_state    (InpModelPicker *self,
                                                 gboolean        has_image,
                                                 gboolean        has_mask);
char      *inp_model_picker_dup_blocker         (InpModelPicker *self,
                                                 InpModel       *model);
void       inp_model_picker_add_model           (InpModelPicker *self,
                                                 InpModel       *model);
void       inp_model_picker_remove_model        (InpModelPicker *self,
                                                 InpModel       *model);
void       inp_model_picker_show_add_error      (InpModelPicker *self,
                                                 const char     *message);
InpCustomModels *inp_model_picker_get_custom_models (InpModelPicker  *self);
void       inp_model_picker_set_custom_models   (InpModelPicker  *self,
                                                 InpCustomModels *models);

G_END_DECLS
