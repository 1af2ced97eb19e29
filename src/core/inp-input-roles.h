/* inp-input-roles.h: which part of the app feeds each input of a model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "inp-model.h"

G_BEGIN_DECLS

/**
 * InpInputRole:
 * @INP_INPUT_ROLE_PARAMETER: an ordinary setting, shown in the parameter form
 * @INP_INPUT_ROLE_PROMPT: the main prompt (`prompt`, or `prompt_start` of an animation)
 * @INP_INPUT_ROLE_PROMPT_END: the prompt an animation ends on (`prompt_end`)
 * @INP_INPUT_ROLE_NEGATIVE_PROMPT: what should not appear (`negative_prompt`, `n_prompt`)
 * @INP_INPUT_ROLE_IMAGE: the canvas image
 * @INP_INPUT_ROLE_MASK: the canvas mask
 * @INP_INPUT_ROLE_SIZE: a width or height that the fitted canvas image sets
 *
 * Who supplies an input: the prompt panel, the canvas, or the parameter form.
 */
typedef enum
{
  INP_INPUT_ROLE_PARAMETER,
  INP_INPUT_ROLE_PROMPT,
  INP_INPUT_ROLE_PROMPT_END,
  INP_INPUT_ROLE_NEGATIVE_PROMPT,
  INP_INPUT_ROLE_IMAGE,
  INP_INPUT_ROLE_MASK,
  INP_INPUT_ROLE_SIZE,
} InpInputRole;

InpInputRole  inp_model_get_input_role        (InpModel     *model,
                                               const char   *name);
const char   *inp_model_find_input_with_role  (InpModel     *model,
                                               InpInputRole  role);
gboolean      inp_model_needs_image           (InpModel     *model);
gboolean      inp_model_needs_mask            (InpModel     *model);
gboolean      inp_model_accepts_image         (InpModel     *model);

G_END_DECLS
