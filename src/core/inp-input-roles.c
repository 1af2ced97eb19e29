/* inp-input-roles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-input-roles.h"

static gboolean
is_text_field (InpModel   *model,
               const char *name)
{
  InpInputField *field = inp_input_schema_lookup (inp_model_get_schema (model), name);

  return field != NULL && inp_input_field_get_field_type (field) == INP_FIELD_TYPE_STRING;
}

/**
 * inp_model_get_input_role:
 * @name: an input of @model
 *
 * Says who supplies the input. Prompts are recognised by the names that Stable Diffusion ports
 * use; width and height belong to the canvas only when the model takes the canvas image, since a
 * text-to-image model needs them chosen in the form.
 *
 * Returns: the role of @name.
 */
InpInputRole
inp_model_get_input_role (InpModel   *model,
                          const char *name)
{
  const InpSizeRules *rules;

  g_return_val_if_fail (INP_IS_MODEL (model), INP_INPUT_ROLE_PARAMETER);
  g_return_val_if_fail (name != NULL, INP_INPUT_ROLE_PARAMETER);

  if (g_strcmp0 (name, inp_model_get_image_input (model)) == 0)
    return INP_INPUT_ROLE_IMAGE;
  if (g_strcmp0 (name, inp_model_get_mask_input (model)) == 0)
    return INP_INPUT_ROLE_MASK;

  rules = inp_model_get_size_rules (model);
  if (inp_model_get_image_input (model) != NULL && rules != NULL
      && (g_strcmp0 (name, rules->width_input) == 0 || g_strcmp0 (name, rules->height_input) == 0))
    return INP_INPUT_ROLE_SIZE;

  if (!is_text_field (model, name))
    return INP_INPUT_ROLE_PARAMETER;

  if (g_str_equal (name, "prompt") || g_str_equal (name, "prompt_start"))
    return INP_INPUT_ROLE_PROMPT;
  if (g_str_equal (name, "prompt_end"))
    return INP_INPUT_ROLE_PROMPT_END;
  if (g_str_equal (name, "negative_prompt") || g_str_equal (name, "n_prompt")
      || g_str_has_suffix (name, "_negative_prompt"))
    return INP_INPUT_ROLE_NEGATIVE_PROMPT;

  return INP_INPUT_ROLE_PARAMETER;
}

/**
 * inp_model_find_input_with_role:
 *
 * Returns: (nullable): the first input, in x-order, that has @role.
 */
const char *
inp_model_find_input_with_role (InpModel     *model,
                                InpInputRole  role)
{
  GPtrArray *fields;

  g_return_val_if_fail (INP_IS_MODEL (model), NULL);

  fields = inp_input_schema_get_fields (inp_model_get_schema (model));
  for (guint i = 0; i < fields->len; i++)
    {
      const char *name = inp_input_field_get_name (g_ptr_array_index (fields, i));

      if (inp_model_get_input_role (model, name) == role)
        return name;
    }

  return NULL;
}

static gboolean
input_is_required (InpModel   *model,
                   const char *name)
{
  InpInputField *field;

  if (name == NULL)
    return FALSE;
  field = inp_input_schema_lookup (inp_model_get_schema (model), name);
  return field != NULL && inp_input_field_is_required (field);
}

/**
 * inp_model_needs_image:
 *
 * Whether generating needs an image on the canvas: the schema requires one, or the task makes no
 * sense without one (SDXL's schema leaves `image` optional, but inpainting nothing is useless).
 */
gboolean
inp_model_needs_image (InpModel *model)
{
  const char *image_input;

  g_return_val_if_fail (INP_IS_MODEL (model), FALSE);

  image_input = inp_model_get_image_input (model);
  if (image_input == NULL)
    return FALSE;

  switch (inp_model_get_task (model))
    {
    case INP_MODEL_TASK_INPAINT:
    case INP_MODEL_TASK_FILL:
    case INP_MODEL_TASK_IMAGE_TO_IMAGE:
    case INP_MODEL_TASK_REMOVE_OBJECT:
    case INP_MODEL_TASK_REMOVE_BACKGROUND:
      return TRUE;
    case INP_MODEL_TASK_GENERATE:
    case INP_MODEL_TASK_ANIMATE:
    default:
      return input_is_required (model, image_input);
    }
}

/**
 * inp_model_needs_mask:
 *
 * Whether generating needs a painted mask: the schema requires one, or the model inpaints.
 */
gboolean
inp_model_needs_mask (InpModel *model)
{
  const char *mask_input;
  InpModelTask task;

  g_return_val_if_fail (INP_IS_MODEL (model), FALSE);

  mask_input = inp_model_get_mask_input (model);
  if (mask_input == NULL)
    return FALSE;

  task = inp_model_get_task (model);
  return task == INP_MODEL_TASK_INPAINT || task == INP_MODEL_TASK_FILL
         || input_is_required (model, mask_input);
}

/**
 * inp_model_accepts_image:
 *
 * Whether the model takes the canvas image at all, needed or not (FLUX LoRA models can start
 * from one).
 */
gboolean
inp_model_accepts_image (InpModel *model)
{
  g_return_val_if_fail (INP_IS_MODEL (model), FALSE);

  return inp_model_get_image_input (model) != NULL;
}
