/* inp-model.h: one model that Inpainter can run, built in or added by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "inp-input-schema.h"

G_BEGIN_DECLS

/**
 * InpModelTask:
 * @INP_MODEL_TASK_INPAINT: repaints the masked area of an image
 * @INP_MODEL_TASK_FILL: FLUX fill: inpainting (and outpainting) with a mask
 * @INP_MODEL_TASK_GENERATE: makes images from a prompt (some also take an image)
 * @INP_MODEL_TASK_IMAGE_TO_IMAGE: reimagines a whole image
 * @INP_MODEL_TASK_REMOVE_OBJECT: removes objects it recognises
 * @INP_MODEL_TASK_REMOVE_BACKGROUND: makes the background transparent
 * @INP_MODEL_TASK_ANIMATE: makes a short animation
 */
typedef enum
{
  INP_MODEL_TASK_INPAINT,
  INP_MODEL_TASK_FILL,
  INP_MODEL_TASK_GENERATE,
  INP_MODEL_TASK_IMAGE_TO_IMAGE,
  INP_MODEL_TASK_REMOVE_OBJECT,
  INP_MODEL_TASK_REMOVE_BACKGROUND,
  INP_MODEL_TASK_ANIMATE,
} InpModelTask;

/**
 * InpModelEndpoint:
 * @INP_MODEL_ENDPOINT_VERSION: created with `POST /predictions` and `{"version": …}`
 * @INP_MODEL_ENDPOINT_MODEL: created with `POST /models/{owner}/{name}/predictions` (official models)
 */
typedef enum
{
  INP_MODEL_ENDPOINT_VERSION,
  INP_MODEL_ENDPOINT_MODEL,
} InpModelEndpoint;

typedef enum
{
  INP_MODEL_OUTPUT_IMAGE,
  INP_MODEL_OUTPUT_VIDEO,
} InpModelOutput;

#define INP_SIZE_RULES_MAX_SIZES 32

/**
 * InpSizeRules:
 * @multiple: both sides are rounded to a multiple of this (1 = any size)
 * @max_side: neither side may exceed this; larger images are scaled down
 * @n_widths: how many entries @widths holds; 0 when the width is not enumerated
 * @widths: the allowed widths, ascending
 * @n_heights: how many entries @heights holds
 * @heights: the allowed heights, ascending
 * @mask_same_size: the model refuses a mask of another size than the image
 * @width_input: (nullable): the input that takes the fitted width, if the model has one
 * @height_input: (nullable): the input that takes the fitted height
 *
 * How an image (and its mask, with the same transform) must be sized for a model.
 */
typedef struct
{
  guint        multiple;
  guint        max_side;
  guint        n_widths;
  guint        widths[INP_SIZE_RULES_MAX_SIZES];
  guint        n_heights;
  guint        heights[INP_SIZE_RULES_MAX_SIZES];
  gboolean     mask_same_size;
  const char  *width_input;
  const char  *height_input;
} InpSizeRules;

#define INP_TYPE_MODEL (inp_model_get_type ())

G_DECLARE_FINAL_TYPE (InpModel, inp_model, INP, MODEL, GObject)

InpModel           *inp_model_new_from_json          (JsonObject    *object,
                                                      gboolean       translatable,
                                                      GError       **error);
InpModel           *inp_model_new_from_api           (JsonObject    *model_object,
                                                      GError       **error);
const char         *inp_model_get_id                 (InpModel      *self);
const char         *inp_model_get_owner              (InpModel      *self);
const char         *inp_model_get_name               (InpModel      *self);
const char         *inp_model_get_title              (InpModel      *self);
const char         *inp_model_get_description        (InpModel      *self);
InpModelTask        inp_model_get_task               (InpModel      *self);
InpModelEndpoint    inp_model_get_endpoint           (InpModel      *self);
const char         *inp_model_get_version            (InpModel      *self);
InpInputSchema     *inp_model_get_schema             (InpModel      *self);
const char         *inp_model_get_image_input        (InpModel      *self);
const char         *inp_model_get_mask_input         (InpModel      *self);
InpModelOutput      inp_model_get_output_kind        (InpModel      *self);
gboolean            inp_model_get_output_is_array    (InpModel      *self);
const char         *inp_model_get_output_format      (InpModel      *self);
const InpSizeRules *inp_model_get_size_rules         (InpModel      *self);
JsonObject         *inp_model_get_input_json         (InpModel      *self);
JsonObject         *inp_model_get_components_json    (InpModel      *self);
JsonObject         *inp_model_dup_openapi_schema     (InpModel      *self);
JsonObject         *inp_model_dup_api_json           (InpModel      *self);

const char         *inp_model_task_to_string         (InpModelTask   task);
gboolean            inp_model_task_from_string       (const char    *text,
                                                      InpModelTask  *task);

G_END_DECLS
