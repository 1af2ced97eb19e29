/* test-catalog.c: the built-in models and models added by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-i18n.h"
#include "inp-test-utils.h"

static const struct {
  const char       *id;
  InpModelTask      task;
  InpModelEndpoint  endpoint;
  const char       *image_input;
  const char       *mask_input;
  InpModelOutput    output;
} expected_models[] = {
  { "stability-ai/stable-diffusion-inpainting", INP_MODEL_TASK_INPAINT, INP_MODEL_ENDPOINT_VERSION, "image", "mask", INP_MODEL_OUTPUT_IMAGE },
  { "stability-ai/sdxl", INP_MODEL_TASK_INPAINT, INP_MODEL_ENDPOINT_VERSION, "image", "mask", INP_MODEL_OUTPUT_IMAGE },
  { "black-forest-labs/flux-fill-dev", INP_MODEL_TASK_FILL, INP_MODEL_ENDPOINT_MODEL, "image", "mask", INP_MODEL_OUTPUT_IMAGE },
  { "black-forest-labs/flux-fill-pro", INP_MODEL_TASK_FILL, INP_MODEL_ENDPOINT_MODEL, "image", "mask", INP_MODEL_OUTPUT_IMAGE },
  { "stability-ai/stable-diffusion", INP_MODEL_TASK_GENERATE, INP_MODEL_ENDPOINT_VERSION, NULL, NULL, INP_MODEL_OUTPUT_IMAGE },
  { "lucataco/flux-schnell-lora", INP_MODEL_TASK_GENERATE, INP_MODEL_ENDPOINT_VERSION, "image", NULL, INP_MODEL_OUTPUT_IMAGE },
  { "lucataco/flux-dev-lora", INP_MODEL_TASK_GENERATE, INP_MODEL_ENDPOINT_VERSION, "image", NULL, INP_MODEL_OUTPUT_IMAGE },
  { "stability-ai/stable-diffusion-img2img", INP_MODEL_TASK_IMAGE_TO_IMAGE, INP_MODEL_ENDPOINT_VERSION, "image", NULL, INP_MODEL_OUTPUT_IMAGE },
  { "sujaykhandekar/object-removal", INP_MODEL_TASK_REMOVE_OBJECT, INP_MODEL_ENDPOINT_VERSION, "image_path", NULL, INP_MODEL_OUTPUT_IMAGE },
  { "cjwbw/rembg", INP_MODEL_TASK_REMOVE_BACKGROUND, INP_MODEL_ENDPOINT_VERSION, "image", NULL, INP_MODEL_OUTPUT_IMAGE },
  { "andreasjansson/stable-diffusion-animation", INP_MODEL_TASK_ANIMATE, INP_MODEL_ENDPOINT_VERSION, NULL, NULL, INP_MODEL_OUTPUT_VIDEO },
  { "lucataco/animate-diff", INP_MODEL_TASK_ANIMATE, INP_MODEL_ENDPOINT_VERSION, NULL, NULL, INP_MODEL_OUTPUT_VIDEO },
};

/* The version hashes of the reference's model list. */
static const char *expected_versions[] = {
  "ac732df83cea7fff18b8472768c88ad041fa750ff7682a21affe81863cbe77e4",
  "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc",
  "95b7223104132402a9ae91cc677285bc5eb997834bd2349fa486f53910fd68b3",
  "15a3689ee13b0d2616e98820eca31d4c3abcd36672df6afce5cb6feb1d66087d",
  "2a6b576af31790b470f0a8442e1e9791213fa13799cbb65a9fc1436e96389574",
  "091495765fa5ef2725a175a57b276ec30dc9d39c22d30410f2ede68a3eab66b3",
  "ca1f5e306e5721e19c473e0d094e6603f0456fe759c10715fcd6c1b79242d4a5",
  "beecf59c4aee8d81bf04f0381033dfa10dc16e845b4ae00d281e2fa377e48a9f",
  "153b0087c2576ad30d8cbddb35275b387d1a6bf986bda5499948f843f6460faf",
  "fb8af171cfa1616ddcf1242c093f9c46bcada5ad4cf6f2fbe8b81b330ec5c003",
};

static JsonObject *
load_object (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_default (void)
{
  InpCatalog *catalog = inp_catalog_get_default ();
  GListModel *list = G_LIST_MODEL (catalog);

  g_assert_true (inp_catalog_get_default () == catalog);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, G_N_ELEMENTS (expected_models));
  g_assert_true (g_list_model_get_item_type (list) == INP_TYPE_MODEL);

  for (guint i = 0; i < G_N_ELEMENTS (expected_models); i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (list, i);
      g_autofree char *id = NULL;

      g_assert_cmpstr (inp_model_get_id (model), ==, expected_models[i].id);
      g_assert_cmpint (inp_model_get_task (model), ==, expected_models[i].task);
      g_assert_cmpint (inp_model_get_endpoint (model), ==, expected_models[i].endpoint);
      g_assert_cmpstr (inp_model_get_image_input (model), ==, expected_models[i].image_input);
      g_assert_cmpstr (inp_model_get_mask_input (model), ==, expected_models[i].mask_input);
      g_assert_cmpint (inp_model_get_output_kind (model), ==, expected_models[i].output);
      g_assert_true (g_str_has_prefix (expected_models[i].id, inp_model_get_owner (model)));
      g_assert_true (g_str_has_suffix (expected_models[i].id, inp_model_get_name (model)));
      g_assert_cmpuint (strlen (inp_model_get_title (model)), >, 0);
      g_assert_cmpuint (strlen (inp_model_get_description (model)), >, 10);
      g_assert_nonnull (inp_model_get_output_format (model));

      g_object_get (model, "id", &id, NULL);
      g_assert_cmpstr (id, ==, expected_models[i].id);

      if (expected_models[i].endpoint == INP_MODEL_ENDPOINT_MODEL)
        g_assert_null (inp_model_get_version (model));
      else
        g_assert_true (g_strv_contains (expected_versions, inp_model_get_version (model)));
    }

  g_assert_null (g_list_model_get_item (list, G_N_ELEMENTS (expected_models)));
}

static void
test_schemas (void)
{
  GListModel *list = G_LIST_MODEL (inp_catalog_get_default ());
  guint ref_enums = 0;
  guint inline_enums = 0;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (list, i);
      InpInputSchema *schema = inp_model_get_schema (model);
      GPtrArray *fields = inp_input_schema_get_fields (schema);
      JsonObject *properties = json_object_get_object_member (inp_model_get_input_json (model),
                                                              "properties");
      g_autoptr(JsonObject) openapi = inp_model_dup_openapi_schema (model);
      g_autoptr(InpInputSchema) reparsed = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (fields->len, >, 0);
      for (guint j = 0; j < fields->len; j++)
        {
          InpInputField *field = g_ptr_array_index (fields, j);
          JsonObject *property = json_object_get_object_member (properties,
                                                                inp_input_field_get_name (field));

          g_assert_cmpint (inp_input_field_get_order (field), ==, j);
          if (inp_input_field_get_enum (field) != NULL)
            {
              if (json_object_has_member (property, "allOf"))
                ref_enums++;
              else
                inline_enums++;
            }
        }

      /* What the sandbox publishes for GET /models parses back to the same fields. */
      reparsed = inp_input_schema_new_from_openapi (openapi, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (inp_input_schema_get_fields (reparsed)->len, ==, fields->len);
    }

  /* Both renderings of enums are in the catalogue, so both are exercised. */
  g_assert_cmpuint (ref_enums, >=, 4);
  g_assert_cmpuint (inline_enums, >=, 4);
}

static void
test_lookup (void)
{
  InpCatalog *catalog = inp_catalog_get_default ();
  InpModel *model;

  model = inp_catalog_lookup (catalog, "stability-ai/sdxl");
  g_assert_nonnull (model);
  g_assert_true (inp_catalog_lookup_version (catalog, inp_model_get_version (model)) == model);
  g_assert_true (inp_catalog_lookup_version (catalog,
                                             "7762FD07CF82C948538E41F63F77D685E02B063E37E496E96EEFD46C929F9BDC")
                 == model);
  g_assert_null (inp_catalog_lookup (catalog, "stability-ai/sdxl2"));
  g_assert_null (inp_catalog_lookup_version (catalog, "deadbeef"));

  /* Results name their model by its title; one the catalogue lacks, by its id. */
  g_assert_cmpstr (inp_catalog_get_title_for (catalog, "stability-ai/sdxl"), ==,
                   inp_model_get_title (model));
  g_assert_cmpstr (inp_catalog_get_title_for (catalog, "someone/else"), ==, "someone/else");
  g_assert_cmpstr (inp_catalog_get_title_for (catalog, NULL), ==, "");
}

static void
test_size_rules (void)
{
  InpCatalog *catalog = inp_catalog_get_default ();
  const InpSizeRules *rules;

  rules = inp_model_get_size_rules (inp_catalog_lookup (catalog, "black-forest-labs/flux-fill-dev"));
  g_assert_cmpuint (rules->multiple, ==, 32);
  g_assert_cmpuint (rules->max_side, ==, 1440);
  g_assert_cmpuint (rules->n_widths, ==, 0);

  rules = inp_model_get_size_rules (inp_catalog_lookup (catalog, "black-forest-labs/flux-fill-pro"));
  g_assert_true (rules->mask_same_size);

  rules = inp_model_get_size_rules (inp_catalog_lookup (catalog,
                                                        "stability-ai/stable-diffusion-inpainting"));
  g_assert_cmpuint (rules->n_widths, ==, 16);
  g_assert_cmpuint (rules->widths[0], ==, 64);
  g_assert_cmpuint (rules->heights[15], ==, 1024);
  g_assert_cmpstr (rules->width_input, ==, "width");
  g_assert_cmpstr (rules->height_input, ==, "height");
}

static void
items_changed_cb (GListModel *list,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *calls)
{
  (*calls)++;
}

static JsonObject *
sdxl_model_answer (gboolean official)
{
  g_autoptr(JsonObject) version = load_object ("sdxl-version-example.json");
  JsonObject *answer = json_object_new ();

  json_object_set_string_member (answer, "owner", "someone");
  json_object_set_string_member (answer, "name", "my-sdxl");
  json_object_set_string_member (answer, "description", "A fine-tune");
  json_object_set_boolean_member (answer, "is_official", official);
  json_object_set_object_member (answer, "latest_version", json_object_ref (version));
  return answer;
}

static void
test_add_from_json (void)
{
  g_autoptr(InpCatalog) catalog = inp_catalog_new ();
  g_autoptr(JsonObject) answer = sdxl_model_answer (FALSE);
  g_autoptr(JsonObject) official = sdxl_model_answer (TRUE);
  g_autoptr(GError) error = NULL;
  InpModel *model;
  guint calls = 0;

  g_signal_connect (catalog, "items-changed", G_CALLBACK (items_changed_cb), &calls);

  model = inp_catalog_add_from_json (catalog, answer, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 1);
  g_assert_true (inp_catalog_lookup (catalog, "someone/my-sdxl") == model);
  g_assert_cmpstr (inp_model_get_title (model), ==, "my-sdxl");
  g_assert_cmpstr (inp_model_get_description (model), ==, "A fine-tune");
  g_assert_cmpint (inp_model_get_endpoint (model), ==, INP_MODEL_ENDPOINT_VERSION);
  g_assert_cmpstr (inp_model_get_version (model), ==,
                   "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc");
  g_assert_cmpint (inp_model_get_task (model), ==, INP_MODEL_TASK_INPAINT);
  g_assert_cmpstr (inp_model_get_image_input (model), ==, "image");
  g_assert_cmpstr (inp_model_get_mask_input (model), ==, "mask");
  g_assert_true (inp_model_get_output_is_array (model));
  g_assert_cmpstr (inp_model_get_size_rules (model)->width_input, ==, "width");
  g_assert_cmpuint (inp_input_schema_get_fields (inp_model_get_schema (model))->len, ==, 19);

  /* The same model again replaces the first; an official one is run through its model route. */
  model = inp_catalog_add_from_json (catalog, official, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 1);
  g_assert_cmpint (inp_model_get_endpoint (model), ==, INP_MODEL_ENDPOINT_MODEL);
}

static void
test_add_bad_answers (void)
{
  const char *answers[] = {
    "{}",
    "{\"owner\": \"a\", \"name\": \"b\"}",
    "{\"owner\": \"a\", \"name\": \"b\", \"latest_version\": null}",
    "{\"owner\": \"a\", \"name\": \"b\", \"latest_version\": {\"openapi_schema\": {}}}",
    "{\"owner\": \"a/x\", \"name\": \"b\", \"latest_version\": {\"openapi_schema\": {}}}",
    "{\"owner\": 1, \"name\": [], \"latest_version\": 7}",
  };
  g_autoptr(InpCatalog) catalog = inp_catalog_new ();

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_data (parser, answers[i], -1, &error);
      g_assert_no_error (error);
      g_assert_null (inp_catalog_add_from_json (catalog,
                                                json_node_get_object (json_parser_get_root (parser)),
                                                &error));
      g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 0);
}

static void
test_translated (void)
{
  g_autoptr(InpCatalog) catalog = inp_catalog_new_builtin (NULL);
  InpModel *model = inp_catalog_lookup (catalog, "cjwbw/rembg");

  g_assert_cmpstr (inp_model_get_title (model), ==, "Background Removal");

  if (!inp_test_set_language ("zh_CN"))
    return;
  g_assert_cmpstr (inp_model_get_title (model), ==, "背景移除");
  g_assert_cmpstr (inp_model_get_description (model), !=, "Cuts the subject out and makes the background transparent");
  inp_test_set_language ("");
}

/* A field's label comes from the catalogue for the built-in models only: a model added by name
 * has the server's English, which no translation knows, even where the words are the same. */
static void
test_translated_inputs (void)
{
  g_autoptr(InpCatalog) catalog = inp_catalog_new_builtin (NULL);
  g_autoptr(InpCatalog) added = inp_catalog_new ();
  g_autoptr(JsonObject) answer = sdxl_model_answer (FALSE);
  g_autoptr(GError) error = NULL;
  InpInputSchema *builtin_schema;
  InpInputSchema *added_schema;
  InpInputField *field;
  GPtrArray *fields;
  InpModel *model;

  builtin_schema = inp_model_get_schema (inp_catalog_lookup (catalog, "stability-ai/sdxl"));
  model = inp_catalog_add_from_json (added, answer, &error);
  g_assert_no_error (error);
  added_schema = inp_model_get_schema (model);

  if (!inp_test_set_language ("zh_CN"))
    return;

  field = inp_input_schema_lookup (builtin_schema, "num_outputs");
  g_assert_cmpstr (inp_input_field_get_title (field), ==, "输出数量");
  g_assert_cmpstr (inp_input_field_get_description (field), ==, "要生成的图片数量");
  /* A title the schema leaves out is made from the name, and translated all the same. */
  field = inp_input_schema_lookup (builtin_schema, "scheduler");
  g_assert_cmpstr (inp_input_field_get_title (field), ==, "调度器");
  field = inp_input_schema_lookup (builtin_schema, "guidance_scale");
  g_assert_cmpstr (inp_input_field_get_title (field), ==, "引导系数");
  /* The field's "Prompt" is its own entry, not the prompt panel's. */
  field = inp_input_schema_lookup (builtin_schema, "prompt");
  g_assert_cmpstr (inp_input_field_get_title (field), ==, "提示词");

  /* Every field of every built-in model has a translation. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
    {
      g_autoptr(InpModel) item = g_list_model_get_item (G_LIST_MODEL (catalog), i);

      fields = inp_input_schema_get_fields (inp_model_get_schema (item));
      for (guint j = 0; j < fields->len; j++)
        {
          const char *title = inp_input_field_get_title (g_ptr_array_index (fields, j));

          g_assert_true (g_utf8_validate (title, -1, NULL));
          g_assert_false (g_regex_match_simple ("^[A-Z][a-z]+( [A-Z][a-z]+)*$", title, 0, 0));
        }
    }

  /* Word-like choices get a label; the value sent stays as the schema has it. */
  field = inp_input_schema_lookup (inp_model_get_schema (inp_catalog_lookup (catalog,
                                                          "black-forest-labs/flux-fill-pro")),
                                   "outpaint");
  g_assert_cmpstr (inp_input_field_get_choice_label (field, "Zoom out 2x"), ==, "外扩 2 倍");
  g_assert_cmpstr (json_array_get_string_element (inp_input_field_get_enum (field), 2), ==,
                   "Zoom out 2x");
  field = inp_input_schema_lookup (builtin_schema, "scheduler");
  g_assert_cmpstr (inp_input_field_get_choice_label (field, "K_EULER"), ==, "K_EULER");

  field = inp_input_schema_lookup (added_schema, "num_outputs");
  g_assert_cmpstr (inp_input_field_get_title (field), ==, "Num Outputs");
  g_assert_cmpstr (inp_input_field_get_description (field), ==, "Number of images to output.");
  field = inp_input_schema_lookup (added_schema, "prompt");
  g_assert_cmpstr (inp_input_field_get_title (field), ==, "Prompt");

  inp_test_set_language ("");
  field = inp_input_schema_lookup (builtin_schema, "num_outputs");
  g_assert_cmpstr (inp_input_field_get_title (field), ==, "Num Outputs");
}

int
main (int   argc,
      char *argv[])
{
  inp_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/catalog/default", test_default);
  g_test_add_func ("/core/catalog/schemas", test_schemas);
  g_test_add_func ("/core/catalog/lookup", test_lookup);
  g_test_add_func ("/core/catalog/size-rules", test_size_rules);
  g_test_add_func ("/core/catalog/add-from-json", test_add_from_json);
  g_test_add_func ("/core/catalog/add-bad-answers", test_add_bad_answers);
  g_test_add_func ("/core/catalog/translated", test_translated);
  g_test_add_func ("/core/catalog/translated-inputs", test_translated_inputs);

  return g_test_run ();
}
