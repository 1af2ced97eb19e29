/* inp-model-picker-private.h: the picker's inner widgets, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "inp-model-picker.h"

G_BEGIN_DECLS

GtkWidget  *inp_model_picker_get_current_row   (InpModelPicker *self);
GtkWidget  *inp_model_picker_get_search_entry  (InpModelPicker *self);
GtkWidget  *inp_model_picker_get_add_entry     (InpModelPicker *self);
GtkWidget  *inp_model_picker_get_popover       (InpModelPicker *self);
guint       inp_model_picker_get_n_groups      (InpModelPicker *self);
GListModel *inp_model_picker_get_group         (InpModelPicker *self,
                                                guint           index,
                                                const char    **title,
                                                GtkWidget     **list);

G_END_DECLS
