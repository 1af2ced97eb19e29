/* test-param-form.c: the settings form, built from every catalogue model's schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-param-form.h"
#include "inp-test-models.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

static GSettings *
app_settings (void)
{
  return g_settings_new (APP_ID);
}

/* Each test starts from no remembered values; the memory backend lasts the whole process. */
static void
forget_values (void)
{
  g_autoptr(GSettings) settings = app_settings ();

  g_settings_reset (settings, "model-values");
}

static InpParamForm *
new_form (GtkWidget **window)
{
  InpParamForm *form = INP_PARAM_FORM (inp_param_form_new ());

  g_object_ref_sink (form);
  *window = inp_test_present (GTK_WIDGET (form), 340, 640);
  return form;
}

static void
finish (GtkWidget    *window,
        InpParamForm *form)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (form);
}

static GtkWidget *
row_control (GtkWidget *row)
{
  g_assert_true (ADW_IS_ACTION_ROW (row));
  return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
}

/* Names that the prompt panel or the canvas feed, spelled out rather than derived. */
static gboolean
is_fed_elsewhere (InpModel   *model,
                  const char *name)
{
  const char *prompts[] = {
    "prompt", "negative_prompt", "n_prompt", "prompt_start", "prompt_end", NULL
  };
  const InpSizeRules *rules = inp_model_get_size_rules (model);

  if (g_strv_contains (prompts, name))
    return TRUE;
  if (g_strcmp0 (name, inp_model_get_image_input (model)) == 0
      || g_strcmp0 (name, inp_model_get_mask_input (model)) == 0)
    return TRUE;
  /* A model that takes the canvas image gets its size from it. */
  return inp_model_get_image_input (model) != NULL
         && (g_strcmp0 (name, rules->width_input) == 0
             || g_strcmp0 (name, rules->height_input) == 0);
}

static void
check_row (InpModel      *model,
           InpInputField *field,
           GtkWidget     *row)
{
  const char *name = inp_input_field_get_name (field);
  JsonArray *choices = inp_input_field_get_enum (field);
  JsonNode *default_value = inp_input_field_get_default (field);
  InpFieldType type = inp_input_field_get_field_type (field);
  /* A range, and a default to start from: otherwise the field must be able to stay unset. */
  gboolean bounded = inp_input_field_has_minimum (field) && inp_input_field_has_maximum (field)
                     && (default_value != NULL || inp_input_field_is_required (field));
  GtkWidget *control;

  g_test_message ("%s: %s", inp_model_get_id (model), name);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   inp_input_field_get_title (field));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, inp_input_field_get_description (field));

  if (choices != NULL)
    {
      GListModel *items;
      guint extra = default_value == NULL ? 1 : 0;

      g_assert_true (ADW_IS_COMBO_ROW (row));
      items = adw_combo_row_get_model (ADW_COMBO_ROW (row));
      g_assert_cmpuint (g_list_model_get_n_items (items), ==,
                        json_array_get_length (choices) + extra);
      if (default_value != NULL)
        {
          guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));

          g_assert_true (json_node_equal (json_array_get_element (choices, selected),
                                          default_value));
        }
      return;
    }

  switch (type)
    {
    case INP_FIELD_TYPE_BOOLEAN:
      control = row_control (row);
      g_assert_true (GTK_IS_SWITCH (control));
      g_assert_cmpint (gtk_switch_get_active (GTK_SWITCH (control)), ==,
                       default_value != NULL && json_node_get_boolean (default_value));
      break;

    case INP_FIELD_TYPE_INTEGER:
    case INP_FIELD_TYPE_NUMBER:
      control = row_control (row);
      if (g_str_equal (name, "seed"))
        {
          g_assert_true (GTK_IS_ENTRY (control));
          g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (control)), ==, "Random");
          g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (control)), ==, "");
        }
      else if (bounded)
        {
          GtkAdjustment *adjustment;
          double span = inp_input_field_get_maximum (field) - inp_input_field_get_minimum (field);

          if (GTK_IS_SCALE (control))
            {
              g_assert_true (type == INP_FIELD_TYPE_INTEGER ? span <= 10 : span <= 5);
              adjustment = gtk_range_get_adjustment (GTK_RANGE (control));
              g_assert_cmpint (gtk_scale_get_digits (GTK_SCALE (control)), ==,
                               type == INP_FIELD_TYPE_INTEGER ? 0 : 2);
            }
          else
            {
              g_assert_true (GTK_IS_SPIN_BUTTON (control));
              adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (control));
              g_assert_cmpuint (gtk_spin_button_get_digits (GTK_SPIN_BUTTON (control)), ==,
                                type == INP_FIELD_TYPE_INTEGER ? 0 : 2);
            }
          g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), ==,
                             inp_input_field_get_minimum (field));
          g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==,
                             inp_input_field_get_maximum (field));
          if (default_value != NULL)
            g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==,
                               json_node_get_double (default_value));
        }
      else
        {
          /* An open range cannot be a spin button; typed text is checked on validation. */
          const char *text;

          g_assert_true (GTK_IS_ENTRY (control));
          text = gtk_editable_get_text (GTK_EDITABLE (control));
          if (default_value != NULL)
            g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==,
                               json_node_get_double (default_value));
        }
      break;

    case INP_FIELD_TYPE_STRING:
      g_assert_true (ADW_IS_ENTRY_ROW (row));
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==,
                       default_value != NULL ? json_node_get_string (default_value) : "");
      break;

    case INP_FIELD_TYPE_FILE:
      control = row_control (row);
      g_assert_true (GTK_IS_BUTTON (control));
      break;

    case INP_FIELD_TYPE_ARRAY:
    case INP_FIELD_TYPE_OBJECT:
      g_assert_true (ADW_IS_ENTRY_ROW (row));
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
test_every_model (void)
{
  GListModel *catalog = G_LIST_MODEL (inp_catalog_get_default ());
  GtkWidget *window;
  InpParamForm *form;

  forget_values ();
  form = new_form (&window);
  g_assert_cmpuint (g_list_model_get_n_items (catalog), ==, 12);

  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (catalog, i);
      GPtrArray *fields = inp_input_schema_get_fields (inp_model_get_schema (model));
      g_autoptr(JsonObject) values = NULL;
      g_autoptr(GError) error = NULL;
      guint rows = 0;

      inp_param_form_set_model (form, model);
      g_assert_true (inp_param_form_get_model (form) == model);
      inp_test_wait_for_frame (window);

      for (guint j = 0; j < fields->len; j++)
        {
          InpInputField *field = g_ptr_array_index (fields, j);
          const char *name = inp_input_field_get_name (field);
          GtkWidget *row = inp_param_form_get_row (form, name);

          if (is_fed_elsewhere (model, name))
            {
              g_assert_null (row);
              continue;
            }
          g_assert_nonnull (row);
          g_assert_true (gtk_widget_is_ancestor (row, GTK_WIDGET (form)));
          g_assert_true (gtk_widget_get_mapped (row));
          check_row (model, field, row);
          rows++;
        }

      /* With every default shown, nothing needs sending and everything is valid. */
      values = inp_param_form_dup_values (form);
      g_assert_cmpuint (json_object_get_size (values), ==, 0);
      g_assert_true (inp_param_form_validate (form, &error));
      g_assert_no_error (error);
      g_test_message ("%s: %u rows", inp_model_get_id (model), rows);
    }

  /* A text-to-image model keeps width and height; an inpainting model takes them from the image. */
  inp_param_form_set_model (form, inp_test_lookup_model ("stability-ai/stable-diffusion"));
  g_assert_true (ADW_IS_COMBO_ROW (inp_param_form_get_row (form, "width")));
  inp_param_form_set_model (form,
                            inp_test_lookup_model ("stability-ai/stable-diffusion-inpainting"));
  g_assert_null (inp_param_form_get_row (form, "width"));
  g_assert_null (inp_param_form_get_row (form, "image"));
  g_assert_null (inp_param_form_get_row (form, "negative_prompt"));

  finish (window, form);
}

static void
assert_values (JsonObject *values,
               const char *expected_json)
{
  g_autoptr(JsonObject) expected = inp_test_parse_object (expected_json);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), values);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GList) names = json_object_get_members (expected);

  g_test_message ("values: %s", text);
  g_assert_cmpuint (json_object_get_size (values), ==, json_object_get_size (expected));
  for (const GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *want = json_object_get_member (expected, l->data);
      JsonNode *got = json_object_get_member (values, l->data);

      g_assert_nonnull (got);
      if (json_node_get_value_type (want) == G_TYPE_DOUBLE
          || json_node_get_value_type (got) == G_TYPE_DOUBLE)
        g_assert_cmpfloat (json_node_get_double (got), ==, json_node_get_double (want));
      else
        g_assert_true (json_node_equal (got, want));
    }
}

static void
test_round_trip (void)
{
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(JsonObject) again = NULL;
  GtkWidget *window;
  InpParamForm *form;
  GtkWidget *control;

  forget_values ();
  form = new_form (&window);
  inp_param_form_set_model (form,
                            inp_test_lookup_model ("stability-ai/stable-diffusion-inpainting"));

  /* Inputs the form does not show (the prompt) are ignored; defaults are not sent back. */
  input = inp_test_parse_object ("{\"prompt\": \"a cat\", \"num_outputs\": 3,"
                                 " \"guidance_scale\": 12.5, \"scheduler\": \"K_EULER\","
                                 " \"disable_safety_checker\": true, \"seed\": 1234,"
                                 " \"num_inference_steps\": 50}");
  inp_param_form_set_values (form, input);
  values = inp_param_form_dup_values (form);
  assert_values (values, "{\"num_outputs\": 3, \"guidance_scale\": 12.5,"
                         " \"scheduler\": \"K_EULER\","
                         " \"disable_safety_checker\": true, \"seed\": 1234}");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (values, "num_outputs")), ==,
                   G_TYPE_INT64);

  /* Values that went out come back in unchanged. */
  inp_param_form_reset (form);
  again = inp_param_form_dup_values (form);
  g_assert_cmpuint (json_object_get_size (again), ==, 0);
  inp_param_form_set_values (form, values);
  g_clear_pointer (&again, json_object_unref);
  again = inp_param_form_dup_values (form);
  assert_values (again, "{\"num_outputs\": 3, \"guidance_scale\": 12.5, \"scheduler\": \"K_EULER\","
                        " \"disable_safety_checker\": true, \"seed\": 1234}");

  /* The widgets themselves: a step of the spin button, a flick of the switch. */
  control = row_control (inp_param_form_get_row (form, "num_inference_steps"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control), 51);
  control = row_control (inp_param_form_get_row (form, "disable_safety_checker"));
  gtk_switch_set_active (GTK_SWITCH (control), FALSE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (inp_param_form_get_row (form, "scheduler")), 0);
  g_clear_pointer (&again, json_object_unref);
  again = inp_param_form_dup_values (form);
  assert_values (again, "{\"num_outputs\": 3, \"guidance_scale\": 12.5, \"scheduler\": \"DDIM\","
                        " \"num_inference_steps\": 51, \"seed\": 1234}");

  /* A spin button cannot hold a value out of its range: it shows the nearest allowed one. */
  g_clear_pointer (&input, json_object_unref);
  input = inp_test_parse_object ("{\"num_outputs\": 9}");
  inp_param_form_set_values (form, input);
  control = row_control (inp_param_form_get_row (form, "num_outputs"));
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (control)), ==, 4);

  /* Enum values that are numbers go back as numbers. */
  inp_param_form_set_model (form, inp_test_lookup_model ("stability-ai/stable-diffusion"));
  g_clear_pointer (&input, json_object_unref);
  input = inp_test_parse_object ("{\"width\": 512, \"height\": 1024}");
  inp_param_form_set_values (form, input);
  g_clear_pointer (&again, json_object_unref);
  again = inp_param_form_dup_values (form);
  assert_values (again, "{\"width\": 512, \"height\": 1024}");

  finish (window, form);
}

static gboolean
has_field (GPtrArray  *fields,
           const char *name)
{
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    if (g_str_equal (((InpFieldError *) g_ptr_array_index (fields, i))->field, name))
      return TRUE;
  return FALSE;
}

static void
test_out_of_range (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values = NULL;
  GtkWidget *window;
  InpParamForm *form;
  GtkWidget *row;
  GtkWidget *seed;
  GtkWidget *steps;

  forget_values ();
  form = new_form (&window);
  inp_param_form_set_model (form, inp_test_lookup_model ("lucataco/animate-diff"));

  row = inp_param_form_get_row (form, "seed");
  seed = row_control (row);
  gtk_editable_set_text (GTK_EDITABLE (seed), "3000000000");
  g_assert_false (inp_param_form_validate (form, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_assert_true (has_field (inp_error_get_fields (error), "seed"));
  g_assert_cmpuint (inp_error_get_fields (error)->len, ==, 1);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Must be less than or equal to 2147483647");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==,
                   "Must be less than or equal to 2147483647");
  inp_test_wait_for_frame (window);

  /* What was typed stays, to be corrected; a bad value is never sent. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (seed)), ==, "3000000000");
  values = inp_param_form_dup_values (form);
  g_assert_false (json_object_has_member (values, "seed"));

  /* Correcting the value removes the mark at once. */
  gtk_editable_set_text (GTK_EDITABLE (seed), "42");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_clear_error (&error);
  g_assert_true (inp_param_form_validate (form, &error));
  g_assert_no_error (error);
  g_clear_pointer (&values, json_object_unref);
  values = inp_param_form_dup_values (form);
  assert_values (values, "{\"seed\": 42}");

  /* Text that is no number at all, in two rows at once. */
  inp_param_form_set_model (form, inp_test_lookup_model ("stability-ai/sdxl"));
  seed = row_control (inp_param_form_get_row (form, "seed"));
  steps = row_control (inp_param_form_get_row (form, "refine_steps"));
  gtk_editable_set_text (GTK_EDITABLE (seed), "lucky");
  gtk_editable_set_text (GTK_EDITABLE (steps), "1.5");
  g_assert_false (inp_param_form_validate (form, &error));
  g_assert_true (has_field (inp_error_get_fields (error), "seed"));
  g_assert_true (has_field (inp_error_get_fields (error), "refine_steps"));
  g_assert_true (gtk_widget_has_css_class (inp_param_form_get_row (form, "seed"), "error"));
  g_assert_true (gtk_widget_has_css_class (inp_param_form_get_row (form, "refine_steps"), "error"));
  g_assert_false (gtk_widget_has_css_class (inp_param_form_get_row (form, "lora_scale"), "error"));

  finish (window, form);
}

static void
test_mark_errors (void)
{
  g_autoptr(GPtrArray) fields = NULL;
  InpInputSchema *schema = inp_model_get_schema (inp_test_lookup_model ("stability-ai/sdxl"));
  GtkWidget *window;
  InpParamForm *form;
  GtkWidget *row;
  GtkWidget *refiner;

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_field_error_free);

  forget_values ();
  form = new_form (&window);
  inp_param_form_set_model (form, inp_test_lookup_model ("stability-ai/sdxl"));

  /* As the server's 422 names them: one form field, one prompt field, one it does not know. */
  g_ptr_array_add (fields, inp_field_error_new ("num_outputs", "Must be less than or equal to 4"));
  g_ptr_array_add (fields, inp_field_error_new ("refine", "refine must be one of the following"));
  g_ptr_array_add (fields, inp_field_error_new ("prompt", "prompt is required"));
  g_ptr_array_add (fields, inp_field_error_new ("no_such_input", "Additional property"));
  g_assert_cmpuint (inp_param_form_mark_errors (form, fields), ==, 2);

  row = inp_param_form_get_row (form, "num_outputs");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Must be less than or equal to 4");
  refiner = inp_param_form_get_row (form, "refine");
  g_assert_true (gtk_widget_has_css_class (refiner, "error"));
  g_assert_false (gtk_widget_has_css_class (inp_param_form_get_row (form, "seed"), "error"));
  inp_test_wait_for_frame (window);

  /* Changing a marked value clears its mark, and only its own. */
  gtk_range_set_value (GTK_RANGE (row_control (row)), 2);
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   inp_input_field_get_description (inp_input_schema_lookup (schema,
                                                                             "num_outputs")));
  g_assert_true (gtk_widget_has_css_class (refiner, "error"));
  inp_param_form_clear_errors (form);
  g_assert_false (gtk_widget_has_css_class (refiner, "error"));

  finish (window, form);
}

static void
test_memory (void)
{
  g_autoptr(GSettings) settings = app_settings ();
  g_autoptr(GVariant) stored = NULL;
  g_autoptr(JsonObject) values = NULL;
  const char *json = NULL;
  GtkWidget *window;
  InpParamForm *form;
  InpModel *flux = inp_test_lookup_model ("lucataco/flux-dev-lora");
  InpModel *sd = inp_test_lookup_model ("stability-ai/stable-diffusion");
  GtkWidget *control;

  forget_values ();
  form = new_form (&window);
  inp_param_form_set_model (form, flux);
  control = row_control (inp_param_form_get_row (form, "guidance_scale"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control), 5);
  adw_combo_row_set_selected (ADW_COMBO_ROW (inp_param_form_get_row (form, "output_format")), 2);
  gtk_editable_set_text (GTK_EDITABLE (inp_param_form_get_row (form, "hf_lora")),
                         "alvdansen/frosting_lane_flux");

  /* Switching models writes the values of the model left. */
  inp_param_form_set_model (form, sd);
  stored = g_settings_get_value (settings, "model-values");
  g_assert_true (g_variant_lookup (stored, "lucataco/flux-dev-lora", "&s", &json));
  g_assert_nonnull (strstr (json, "\"output_format\":\"png\""));

  /* Closing right after typing loses nothing either. */
  control = row_control (inp_param_form_get_row (form, "num_inference_steps"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control), 30);
  finish (window, form);

  form = new_form (&window);
  inp_param_form_set_model (form, flux);
  values = inp_param_form_dup_values (form);
  assert_values (values, "{\"guidance_scale\": 5, \"output_format\": \"png\","
                         " \"hf_lora\": \"alvdansen/frosting_lane_flux\"}");
  inp_param_form_set_model (form, sd);
  g_clear_pointer (&values, json_object_unref);
  values = inp_param_form_dup_values (form);
  assert_values (values, "{\"num_inference_steps\": 30}");

  /* Reset to Defaults shows the defaults and forgets this model's values, not the others'. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.reset", NULL));
  g_clear_pointer (&values, json_object_unref);
  values = inp_param_form_dup_values (form);
  g_assert_cmpuint (json_object_get_size (values), ==, 0);
  g_clear_pointer (&stored, g_variant_unref);
  stored = g_settings_get_value (settings, "model-values");
  g_assert_false (g_variant_lookup (stored, "stability-ai/stable-diffusion", "&s", &json));
  g_assert_true (g_variant_lookup (stored, "lucataco/flux-dev-lora", "&s", &json));
  finish (window, form);
}

static void
test_damaged_memory (void)
{
  g_autoptr(GSettings) settings = app_settings ();
  g_autoptr(JsonObject) values = NULL;
  GVariantBuilder builder;
  GtkWidget *window;
  InpParamForm *form;

  /* Damaged JSON, a value of the wrong type, a number out of range, an unknown input. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", "stability-ai/sdxl", "{not json");
  g_variant_builder_add (&builder, "{ss}", "lucataco/animate-diff",
                         "{\"steps\": \"many\", \"guidance_scale\": 99, \"gone\": 1, \"seed\": 7}");
  g_settings_set_value (settings, "model-values", g_variant_builder_end (&builder));

  form = new_form (&window);
  inp_param_form_set_model (form, inp_test_lookup_model ("stability-ai/sdxl"));
  values = inp_param_form_dup_values (form);
  g_assert_cmpuint (json_object_get_size (values), ==, 0);

  inp_param_form_set_model (form, inp_test_lookup_model ("lucataco/animate-diff"));
  g_clear_pointer (&values, json_object_unref);
  values = inp_param_form_dup_values (form);
  assert_values (values, "{\"guidance_scale\": 10, \"seed\": 7}");
  g_assert_true (inp_param_form_validate (form, NULL));

  finish (window, form);
}

static void
test_no_settings (void)
{
  GtkWidget *group;
  GtkWidget *window;
  InpParamForm *form;

  forget_values ();
  form = new_form (&window);
  inp_param_form_set_model (form, inp_test_lookup_model ("cjwbw/rembg"));
  g_assert_null (inp_param_form_get_row (form, "image"));
  g_assert_true (inp_param_form_validate (form, NULL));
  group = gtk_widget_get_first_child (GTK_WIDGET (form));
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                   "This model has no other settings");
  inp_test_wait_for_frame (window);

  inp_param_form_set_model (form, NULL);
  g_assert_null (inp_param_form_get_model (form));
  finish (window, form);
}

static void
test_added_model (void)
{
  g_autoptr(InpModel) model = inp_test_new_added_model ();
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonObject) values = NULL;
  GtkWidget *window;
  InpParamForm *form;
  GtkWidget *row;

  forget_values ();
  form = new_form (&window);
  inp_param_form_set_model (form, model);

  /* The canvas feeds image and mask; the control image gets a chooser of its own. */
  g_assert_null (inp_param_form_get_row (form, "image"));
  g_assert_null (inp_param_form_get_row (form, "mask"));
  g_assert_null (inp_param_form_get_row (form, "prompt"));
  row = inp_param_form_get_row (form, "control_image");
  g_assert_true (GTK_IS_BUTTON (row_control (row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Control <Image> & Co");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "No image chosen");
  g_assert_true (ADW_IS_ENTRY_ROW (inp_param_form_get_row (form, "tags")));
  inp_test_wait_for_frame (window);

  /* A required value is sent even when it equals its default. */
  values = inp_param_form_dup_values (form);
  assert_values (values, "{\"strength\": 0.5}");

  input = inp_test_parse_object ("{\"control_image\": \"file:///tmp/pose%20map.png\"}");
  inp_param_form_set_values (form, input);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "pose map.png");
  gtk_editable_set_text (GTK_EDITABLE (inp_param_form_get_row (form, "tags")), "red, blue");
  g_clear_pointer (&values, json_object_unref);
  values = inp_param_form_dup_values (form);
  g_assert_cmpstr (json_object_get_string_member (values, "control_image"), ==,
                   "file:///tmp/pose%20map.png");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (values, "tags")), ==, 2);
  g_assert_true (inp_param_form_validate (form, NULL));

  finish (window, form);
}

/* In zh_CN a built-in model's rows read in Chinese, and a choice shown translated is still sent
 * to the model exactly as its schema spells it. */
static void
test_translated (void)
{
  g_autoptr(JsonObject) values = NULL;
  GtkStringObject *item;
  GtkWidget *window;
  InpParamForm *form;
  GtkWidget *row;

  if (!inp_test_set_language ("zh_CN"))
    return;
  forget_values ();
  form = new_form (&window);
  inp_param_form_set_model (form, inp_test_lookup_model ("black-forest-labs/flux-fill-pro"));

  row = inp_param_form_get_row (form, "steps");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "步数");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "去噪的步数");

  row = inp_param_form_get_row (form, "outpaint");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "外扩");
  item = g_list_model_get_item (adw_combo_row_get_model (ADW_COMBO_ROW (row)), 2);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "外扩 2 倍");
  g_object_unref (item);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);
  inp_test_wait_for_frame (window);

  values = inp_param_form_dup_values (form);
  assert_values (values, "{\"outpaint\": \"Zoom out 2x\"}");

  finish (window, form);
  inp_test_set_language ("");
}

int
main (int   argc,
      char *argv[])
{
  inp_test_ui_init (&argc, &argv);

  inp_test_ui_add_func ("/ui/param-form/every-model", test_every_model);
  inp_test_ui_add_func ("/ui/param-form/round-trip", test_round_trip);
  inp_test_ui_add_func ("/ui/param-form/out-of-range", test_out_of_range);
  inp_test_ui_add_func ("/ui/param-form/mark-errors", test_mark_errors);
  inp_test_ui_add_func ("/ui/param-form/memory", test_memory);
  inp_test_ui_add_func ("/ui/param-form/damaged-memory", test_damaged_memory);
  inp_test_ui_add_func ("/ui/param-form/no-settings", test_no_settings);
  inp_test_ui_add_func ("/ui/param-form/added-model", test_added_model);
  inp_test_ui_add_func ("/ui/param-form/translated", test_translated);

  return g_test_run ();
}
