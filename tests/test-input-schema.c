/* test-input-schema.c: Cog/OpenAPI input schemas, validation and value parsing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-i18n.h"
#include "inp-input-schema.h"

static JsonNode *
load_json_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static InpInputSchema *
catalog_schema (const char *id)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), id);

  g_assert_nonnull (model);
  return g_object_ref (inp_model_get_schema (model));
}

static void
test_sdxl_version (void)
{
  g_autoptr(JsonNode) root = load_json_file ("sdxl-version-example.json");
  JsonObject *openapi = json_object_get_object_member (json_node_get_object (root), "openapi_schema");
  g_autoptr(InpInputSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected_order[] = {
    "prompt", "negative_prompt", "image", "mask", "width", "height", "num_outputs", "scheduler",
    "num_inference_steps", "guidance_scale", "prompt_strength", "seed", "refine",
    "high_noise_frac", "refine_steps", "apply_watermark", "lora_scale", "replicate_weights",
    "disable_safety_checker",
  };
  GPtrArray *fields;
  InpInputField *field;
  JsonArray *values;

  schema = inp_input_schema_new_from_openapi (openapi, &error);
  g_assert_no_error (error);
  g_assert_nonnull (schema);

  /* The document lists properties in hash order; x-order puts them back. */
  fields = inp_input_schema_get_fields (schema);
  g_assert_cmpuint (fields->len, ==, G_N_ELEMENTS (expected_order));
  for (guint i = 0; i < fields->len; i++)
    {
      field = g_ptr_array_index (fields, i);
      g_assert_cmpstr (inp_input_field_get_name (field), ==, expected_order[i]);
      g_assert_cmpint (inp_input_field_get_order (field), ==, i);
    }

  /* An allOf + $ref enum. */
  field = inp_input_schema_lookup (schema, "scheduler");
  g_assert_nonnull (field);
  g_assert_cmpint (inp_input_field_get_field_type (field), ==, INP_FIELD_TYPE_STRING);
  values = inp_input_field_get_enum (field);
  g_assert_nonnull (values);
  g_assert_cmpuint (json_array_get_length (values), ==, 7);
  g_assert_cmpstr (json_array_get_string_element (values, 0), ==, "DDIM");
  g_assert_cmpstr (json_node_get_string (inp_input_field_get_default (field)), ==, "K_EULER");
  g_assert_cmpstr (inp_input_field_get_description (field), ==, "scheduler");

  field = inp_input_schema_lookup (schema, "image");
  g_assert_cmpint (inp_input_field_get_field_type (field), ==, INP_FIELD_TYPE_FILE);
  g_assert_null (inp_input_field_get_default (field));
  g_assert_false (inp_input_field_is_required (field));

  field = inp_input_schema_lookup (schema, "num_outputs");
  g_assert_cmpint (inp_input_field_get_field_type (field), ==, INP_FIELD_TYPE_INTEGER);
  g_assert_true (inp_input_field_has_minimum (field));
  g_assert_true (inp_input_field_has_maximum (field));
  g_assert_cmpfloat (inp_input_field_get_minimum (field), ==, 1);
  g_assert_cmpfloat (inp_input_field_get_maximum (field), ==, 4);
  g_assert_cmpint (json_node_get_int (inp_input_field_get_default (field)), ==, 1);
  g_assert_cmpstr (inp_input_field_get_title (field), ==, "Num Outputs");

  field = inp_input_schema_lookup (schema, "guidance_scale");
  g_assert_cmpint (inp_input_field_get_field_type (field), ==, INP_FIELD_TYPE_NUMBER);
  g_assert_cmpfloat (json_node_get_double (inp_input_field_get_default (field)), ==, 7.5);

  field = inp_input_schema_lookup (schema, "apply_watermark");
  g_assert_cmpint (inp_input_field_get_field_type (field), ==, INP_FIELD_TYPE_BOOLEAN);
  g_assert_true (json_node_get_boolean (inp_input_field_get_default (field)));

  field = inp_input_schema_lookup (schema, "seed");
  g_assert_false (inp_input_field_has_minimum (field));
  g_assert_null (inp_input_field_get_enum (field));

  g_assert_null (inp_input_schema_lookup (schema, "no_such_field"));
}

static void
test_inline_enum (void)
{
  g_autoptr(InpInputSchema) schema = catalog_schema ("stability-ai/stable-diffusion");
  InpInputField *field = inp_input_schema_lookup (schema, "width");
  JsonArray *values = inp_input_field_get_enum (field);

  g_assert_cmpint (inp_input_field_get_field_type (field), ==, INP_FIELD_TYPE_INTEGER);
  g_assert_cmpuint (json_array_get_length (values), ==, 16);
  g_assert_cmpint (json_array_get_int_element (values, 0), ==, 64);
  g_assert_cmpint (json_array_get_int_element (values, 15), ==, 1024);
  g_assert_cmpint (json_node_get_int (inp_input_field_get_default (field)), ==, 768);
}

static void
test_required (void)
{
  g_autoptr(InpInputSchema) schema = catalog_schema ("stability-ai/stable-diffusion-inpainting");

  g_assert_true (inp_input_field_is_required (inp_input_schema_lookup (schema, "image")));
  g_assert_true (inp_input_field_is_required (inp_input_schema_lookup (schema, "mask")));
  g_assert_false (inp_input_field_is_required (inp_input_schema_lookup (schema, "prompt")));
}

static const char *
field_message (GPtrArray  *fields,
               const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    {
      InpFieldError *field_error = g_ptr_array_index (fields, i);

      if (g_strcmp0 (field_error->field, name) == 0)
        return field_error->message;
    }
  return NULL;
}

static void
test_validate_errors (void)
{
  g_autoptr(InpInputSchema) schema = catalog_schema ("stability-ai/stable-diffusion-inpainting");
  g_autoptr(JsonObject) input = parse_object ("{"
                                              "\"prompt\": 5,"
                                              "\"num_outputs\": 9,"
                                              "\"guidance_scale\": 0.5,"
                                              "\"scheduler\": \"FAST\","
                                              "\"width\": 700,"
                                              "\"num_inference_steps\": 2.5,"
                                              "\"disable_safety_checker\": \"yes\","
                                              "\"promt\": \"typo\""
                                              "}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  GPtrArray *fields;

  g_assert_false (inp_input_schema_validate (schema, input, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "num_outputs"));

  fields = inp_error_get_fields (error);
  g_assert_nonnull (fields);
  g_assert_cmpuint (fields->len, ==, 10);
  g_assert_cmpstr (field_message (fields, "prompt"), ==, "Expected text");
  g_assert_cmpstr (field_message (fields, "image"), ==, "image is required");
  g_assert_cmpstr (field_message (fields, "mask"), ==, "mask is required");
  g_assert_cmpstr (field_message (fields, "num_outputs"), ==, "Must be less than or equal to 4");
  g_assert_cmpstr (field_message (fields, "guidance_scale"), ==,
                   "Must be greater than or equal to 1");
  g_assert_cmpstr (field_message (fields, "scheduler"), ==,
                   "scheduler must be one of the following: \"DDIM\", \"K_EULER\", "
                   "\"DPMSolverMultistep\", \"K_EULER_ANCESTRAL\", \"PNDM\", \"KLMS\"");
  g_assert_nonnull (strstr (field_message (fields, "width"), "64, 128, 192"));
  g_assert_cmpstr (field_message (fields, "num_inference_steps"), ==, "Expected a whole number");
  g_assert_cmpstr (field_message (fields, "disable_safety_checker"), ==, "Expected true or false");
  g_assert_cmpstr (field_message (fields, "promt"), ==, "This model has no input named promt");

  /* The typed list says which kind each is, for the sandbox's 422 bodies. */
  issues = inp_input_schema_check (schema, input);
  g_assert_cmpuint (issues->len, ==, 10);
  for (guint i = 0; i < issues->len; i++)
    {
      InpInputIssue *issue = g_ptr_array_index (issues, i);
      InpFieldProblem expected;

      if (g_str_equal (issue->field, "image") || g_str_equal (issue->field, "mask"))
        expected = INP_FIELD_PROBLEM_REQUIRED;
      else if (g_str_equal (issue->field, "num_outputs"))
        expected = INP_FIELD_PROBLEM_TOO_LARGE;
      else if (g_str_equal (issue->field, "guidance_scale"))
        expected = INP_FIELD_PROBLEM_TOO_SMALL;
      else if (g_str_equal (issue->field, "scheduler") || g_str_equal (issue->field, "width"))
        expected = INP_FIELD_PROBLEM_ENUM;
      else if (g_str_equal (issue->field, "promt"))
        expected = INP_FIELD_PROBLEM_UNKNOWN;
      else
        expected = INP_FIELD_PROBLEM_TYPE;
      g_assert_cmpint (issue->problem, ==, expected);
    }
}

static void
test_validate_ok (void)
{
  g_autoptr(InpInputSchema) schema = catalog_schema ("stability-ai/stable-diffusion-inpainting");
  g_autoptr(JsonObject) input = parse_object ("{"
                                              "\"prompt\": \"a red fox\","
                                              "\"image\": \"data:image/png;base64,AAAA\","
                                              "\"mask\": \"https://example.com/mask.png\","
                                              "\"num_outputs\": 4.0,"
                                              "\"guidance_scale\": 20,"
                                              "\"width\": 512.0,"
                                              "\"seed\": null,"
                                              "\"disable_safety_checker\": true"
                                              "}");
  g_autoptr(GError) error = NULL;

  /* 4.0 is an integer to JSON Schema, a bound is inclusive, and null means "not given". */
  g_assert_true (inp_input_schema_validate (schema, input, &error));
  g_assert_no_error (error);
}

static void
test_parse_value (void)
{
  g_autoptr(InpInputSchema) schema = catalog_schema ("stability-ai/stable-diffusion-inpainting");
  g_autoptr(InpInputSchema) flux = catalog_schema ("black-forest-labs/flux-fill-dev");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;

  node = inp_input_schema_parse_value (schema, "num_outputs", " 3 ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, 3);
  g_clear_pointer (&node, json_node_unref);

  node = inp_input_schema_parse_value (schema, "guidance_scale", "7.25", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (json_node_get_double (node), ==, 7.25);
  g_clear_pointer (&node, json_node_unref);

  node = inp_input_schema_parse_value (schema, "disable_safety_checker", "Yes", &error);
  g_assert_no_error (error);
  g_assert_true (json_node_get_boolean (node));
  g_clear_pointer (&node, json_node_unref);

  node = inp_input_schema_parse_value (schema, "prompt", "12", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (node), ==, "12");
  g_clear_pointer (&node, json_node_unref);

  node = inp_input_schema_parse_value (schema, "width", "768", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (node), ==, 768);
  g_clear_pointer (&node, json_node_unref);

  /* A string enum given as text, through $ref. */
  node = inp_input_schema_parse_value (flux, "megapixels", "0.25", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (node), ==, "0.25");
  g_clear_pointer (&node, json_node_unref);

  node = inp_input_schema_parse_value (schema, "num_outputs", "2.5", &error);
  g_assert_null (node);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  fields = inp_error_get_fields (error);
  g_assert_cmpuint (fields->len, ==, 1);
  g_assert_cmpstr (((InpFieldError *) g_ptr_array_index (fields, 0))->field, ==, "num_outputs");
  g_assert_cmpstr (((InpFieldError *) g_ptr_array_index (fields, 0))->message, ==,
                   "Expected a whole number, not “2.5”");
  g_clear_error (&error);

  node = inp_input_schema_parse_value (schema, "num_outputs", "5", &error);
  g_assert_null (node);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Must be less than or equal to 4"));
  g_clear_error (&error);

  node = inp_input_schema_parse_value (schema, "width", "700", &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  node = inp_input_schema_parse_value (schema, "guidance_scale", "lots", &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  node = inp_input_schema_parse_value (schema, "disable_safety_checker", "maybe", &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  node = inp_input_schema_parse_value (schema, "steps", "4", &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  fields = inp_error_get_fields (error);
  g_assert_cmpstr (((InpFieldError *) g_ptr_array_index (fields, 0))->field, ==, "steps");
  g_clear_error (&error);
}

static void
test_parse_array (void)
{
  g_autoptr(JsonObject) input = parse_object ("{\"properties\": {"
                                              "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
                                              "\"extra\": {\"type\": \"object\"}}}");
  g_autoptr(InpInputSchema) schema = inp_input_schema_new_from_input (input, NULL, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (schema);

  node = inp_input_schema_parse_value (schema, "tags", "cat, dog", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 1), ==, "dog");
  g_clear_pointer (&node, json_node_unref);

  node = inp_input_schema_parse_value (schema, "tags", "[1, 2, 3]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 3);
  g_clear_pointer (&node, json_node_unref);

  node = inp_input_schema_parse_value (schema, "extra", "{\"a\": 1}", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_clear_pointer (&node, json_node_unref);

  node = inp_input_schema_parse_value (schema, "extra", "[1]", &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
}

static void
test_malformed (void)
{
  const char *documents[] = {
    "{}",
    "{\"properties\": []}",
    "{\"properties\": {\"a\": 1}}",
    "{\"properties\": {\"a\": {\"allOf\": [{\"$ref\": \"#/components/schemas/missing\"}]}}}",
    "{\"properties\": {\"a\": {\"$ref\": \"elsewhere.json#/x\"}}}",
    "{\"properties\": {\"a\": {\"type\": \"matrix\"}}}",
    "{\"properties\": {\"a\": {}}}",
    "{\"properties\": {\"a\": {\"type\": 3}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(JsonObject) input = parse_object (documents[i]);
      g_autoptr(InpInputSchema) schema = NULL;
      g_autoptr(GError) error = NULL;

      schema = inp_input_schema_new_from_input (input, NULL, &error);
      g_assert_null (schema);
      g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
    }
}

static void
test_lenient (void)
{
  /* Odd but harmless keywords are tolerated: no x-order, float bounds on an integer, anyOf with
   * null (pydantic's optional), an enum without a type, a non-string title. */
  g_autoptr(JsonObject) input = parse_object (
    "{\"required\": [\"b\", 7, \"nope\"], \"properties\": {"
    "\"b\": {\"type\": \"integer\", \"minimum\": 0.0, \"maximum\": 10.0, \"x-order\": 1},"
    "\"a\": {\"anyOf\": [{\"type\": \"null\"}, {\"type\": \"string\", \"format\": \"uri\"}],"
    "        \"x-order\": 0, \"title\": 5},"
    "\"c\": {\"enum\": [1.5, 2.5]},"
    "\"d\": {\"type\": \"boolean\", \"x-order\": \"first\"}}}");
  g_autoptr(InpInputSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;

  schema = inp_input_schema_new_from_input (input, NULL, &error);
  g_assert_no_error (error);
  fields = inp_input_schema_get_fields (schema);
  g_assert_cmpuint (fields->len, ==, 4);
  g_assert_cmpstr (inp_input_field_get_name (g_ptr_array_index (fields, 0)), ==, "a");
  g_assert_cmpstr (inp_input_field_get_name (g_ptr_array_index (fields, 1)), ==, "b");
  g_assert_cmpstr (inp_input_field_get_name (g_ptr_array_index (fields, 2)), ==, "c");
  g_assert_cmpint (inp_input_field_get_field_type (g_ptr_array_index (fields, 0)), ==,
                   INP_FIELD_TYPE_FILE);
  g_assert_cmpstr (inp_input_field_get_title (g_ptr_array_index (fields, 0)), ==, "A");
  g_assert_cmpint (inp_input_field_get_field_type (g_ptr_array_index (fields, 2)), ==,
                   INP_FIELD_TYPE_NUMBER);
  g_assert_true (inp_input_field_is_required (g_ptr_array_index (fields, 1)));
  g_assert_cmpfloat (inp_input_field_get_maximum (g_ptr_array_index (fields, 1)), ==, 10);
}

/* Inputs the fuzzer once found troublesome: each must parse or fail cleanly, and a schema that
 * parses must validate its own defaults without crashing. */
static void
test_fuzz_regressions (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "fuzz", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(InpInputSchema) schema = NULL;
      g_autoptr(JsonObject) input = json_object_new ();
      JsonNode *root;

      if (!g_str_has_prefix (name, "input-schema-"))
        continue;
      count++;
      g_test_message ("replaying %s", name);
      if (!json_parser_load_from_file (parser, path, NULL))
        continue;
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;

      schema = inp_input_schema_new_from_openapi (json_node_get_object (root), NULL);
      if (schema == NULL)
        schema = inp_input_schema_new_from_input (json_node_get_object (root),
                                                  json_node_get_object (root), NULL);
      if (schema == NULL)
        continue;

      for (guint i = 0; i < inp_input_schema_get_fields (schema)->len; i++)
        {
          InpInputField *field = g_ptr_array_index (inp_input_schema_get_fields (schema), i);

          if (inp_input_field_get_default (field) != NULL)
            json_object_set_member (input, inp_input_field_get_name (field),
                                    json_node_copy (inp_input_field_get_default (field)));
        }
      inp_input_schema_validate (schema, input, NULL);
    }

  g_assert_cmpuint (count, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  inp_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/input-schema/sdxl-version", test_sdxl_version);
  g_test_add_func ("/core/input-schema/inline-enum", test_inline_enum);
  g_test_add_func ("/core/input-schema/required", test_required);
  g_test_add_func ("/core/input-schema/validate-errors", test_validate_errors);
  g_test_add_func ("/core/input-schema/validate-ok", test_validate_ok);
  g_test_add_func ("/core/input-schema/parse-value", test_parse_value);
  g_test_add_func ("/core/input-schema/parse-array", test_parse_array);
  g_test_add_func ("/core/input-schema/malformed", test_malformed);
  g_test_add_func ("/core/input-schema/lenient", test_lenient);
  g_test_add_func ("/core/input-schema/fuzz-regressions", test_fuzz_regressions);

  return g_test_run ();
}
