/* test-input-roles.c: who feeds each input of every catalogue model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-catalog.h"
#include "inp-i18n.h"
#include "inp-input-roles.h"
#include "inp-test-models.h"

static void
test_prompts (void)
{
  struct {
    const char *id;
    const char *prompt;
    const char *end;
    const char *negative;
  } cases[] = {
    { "stability-ai/stable-diffusion-inpainting", "prompt", NULL, "negative_prompt" },
    { "stability-ai/sdxl", "prompt", NULL, "negative_prompt" },
    { "black-forest-labs/flux-fill-dev", "prompt", NULL, NULL },
    { "black-forest-labs/flux-fill-pro", "prompt", NULL, NULL },
    { "stability-ai/stable-diffusion", "prompt", NULL, "negative_prompt" },
    { "lucataco/flux-schnell-lora", "prompt", NULL, NULL },
    { "lucataco/flux-dev-lora", "prompt", NULL, NULL },
    { "stability-ai/stable-diffusion-img2img", "prompt", NULL, "negative_prompt" },
    { "sujaykhandekar/object-removal", NULL, NULL, NULL },
    { "cjwbw/rembg", NULL, NULL, NULL },
    { "andreasjansson/stable-diffusion-animation", "prompt_start", "prompt_end", NULL },
    { "lucataco/animate-diff", "prompt", NULL, "n_prompt" },
  };
  InpModel *removal = inp_test_lookup_model ("sujaykhandekar/object-removal");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inp_catalog_get_default ())), ==,
                    G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      InpModel *model = inp_test_lookup_model (cases[i].id);
      const char *prompt = inp_model_find_input_with_role (model, INP_INPUT_ROLE_PROMPT);
      const char *end = inp_model_find_input_with_role (model, INP_INPUT_ROLE_PROMPT_END);

      g_test_message ("%s", cases[i].id);
      g_assert_cmpstr (prompt, ==, cases[i].prompt);
      g_assert_cmpstr (end, ==, cases[i].end);
      g_assert_cmpstr (inp_model_find_input_with_role (model, INP_INPUT_ROLE_NEGATIVE_PROMPT), ==,
                       cases[i].negative);
    }

  /* A text input that only sounds like a prompt is an ordinary setting. */
  g_assert_cmpint (inp_model_get_input_role (removal, "objects_to_remove"), ==,
                   INP_INPUT_ROLE_PARAMETER);
}

static void
test_canvas (void)
{
  InpModel *inpaint = inp_test_lookup_model ("stability-ai/stable-diffusion-inpainting");
  InpModel *generate = inp_test_lookup_model ("stability-ai/stable-diffusion");
  InpModel *lora = inp_test_lookup_model ("lucataco/flux-schnell-lora");
  InpModel *removal = inp_test_lookup_model ("sujaykhandekar/object-removal");
  InpModel *sdxl = inp_test_lookup_model ("stability-ai/sdxl");

  g_assert_cmpint (inp_model_get_input_role (inpaint, "image"), ==, INP_INPUT_ROLE_IMAGE);
  g_assert_cmpint (inp_model_get_input_role (inpaint, "mask"), ==, INP_INPUT_ROLE_MASK);
  g_assert_cmpint (inp_model_get_input_role (inpaint, "width"), ==, INP_INPUT_ROLE_SIZE);
  g_assert_cmpint (inp_model_get_input_role (inpaint, "num_outputs"), ==, INP_INPUT_ROLE_PARAMETER);
  g_assert_cmpint (inp_model_get_input_role (removal, "image_path"), ==, INP_INPUT_ROLE_IMAGE);

  /* Without an image to size from, a text-to-image model's size is the user's choice. */
  g_assert_cmpint (inp_model_get_input_role (generate, "width"), ==, INP_INPUT_ROLE_PARAMETER);

  /* SDXL's schema leaves image and mask optional, but inpainting needs both. */
  g_assert_true (inp_model_needs_image (sdxl));
  g_assert_true (inp_model_needs_mask (sdxl));
  g_assert_true (inp_model_needs_image (removal));
  g_assert_false (inp_model_needs_mask (removal));
  g_assert_false (inp_model_needs_image (generate));
  g_assert_false (inp_model_accepts_image (generate));
  g_assert_false (inp_model_needs_image (lora));
  g_assert_true (inp_model_accepts_image (lora));
}

int
main (int   argc,
      char *argv[])
{
  inp_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/input-roles/prompts", test_prompts);
  g_test_add_func ("/core/input-roles/canvas", test_canvas);

  return g_test_run ();
}
