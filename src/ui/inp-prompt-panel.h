/* inp-prompt-panel.h: the prompt, the negative prompt and recent prompts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "inp-model.h"

G_BEGIN_DECLS

#define INP_TYPE_PROMPT_PANEL (inp_prompt_panel_get_type ())

G_DECLARE_FINAL_TYPE (InpPromptPanel, inp_prompt_panel, INP, PROMPT_PANEL, AdwBin)

GtkWidget *inp_prompt_panel_new                  (void);
InpModel  *inp_prompt_panel_get_model            (InpPromptPanel  *self);
void       inp_prompt_panel_set_model            (InpPromptPanel  *self,
                                                  InpModel        *model);
char      *inp_prompt_panel_dup_prompt           (InpPromptPanel  *self);
void       inp_prompt_panel_set_prompt           (InpPromptPanel  *self,
                                                  const char      *text);
void       inp_prompt_panel_fill_input           (InpPromptPanel  *self,
                                                  JsonObject      *input);
void       inp_prompt_panel_set_from_input       (InpPromptPanel  *self,
                                                  JsonObject      *input);
gboolean   inp_prompt_panel_validate             (InpPromptPanel  *self,
                                                  GError         **error);
guint      inp_prompt_panel_mark_errors          (InpPromptPanel  *self,
                                                  GPtrArray       *field_errors);
void       inp_prompt_panel_remember_prompt      (InpPromptPanel  *self);

G_END_DECLS
