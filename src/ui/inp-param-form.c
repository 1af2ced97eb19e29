/* inp-param-form.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "inp-error.h"
#include "inp-input-roles.h"
#include "inp-param-form.h"

/* How long typing may pause before the values are written to GSettings. */
#define SAVE_DELAY_MS 300

typedef enum
{
  PARAM_KIND_CHOICE,
  PARAM_KIND_SPIN,
  PARAM_KIND_SCALE,
  PARAM_KIND_SWITCH,
  PARAM_KIND_TEXT,
  PARAM_KIND_NUMBER,
  PARAM_KIND_SEED,
  PARAM_KIND_FILE,
  PARAM_KIND_JSON,
} ParamKind;

typedef struct
{
  InpParamForm  *form;
  InpInputField *field;
  ParamKind      kind;
  GtkWidget     *row;
  GtkWidget     *control;
  GtkWidget     *error_icon;
  GtkWidget     *clear_button;
  char          *file_uri;
  guint          has_unset_choice : 1;
  guint          marked : 1;
} Param;

struct _InpParamForm
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *group;
  GtkWidget            *reset_button;

  InpModel             *model;
  GPtrArray            *params;    /* of Param, in x-order */
  GHashTable           *by_name;   /* name → Param, borrowed from params */
  GSettings            *settings;
  GtkFileChooserNative *chooser;
  Param                *choosing;  /* the file row the chooser fills */
  guint                 save_source;
  guint                 loading;   /* set while code, not the user, changes values */
};

G_DEFINE_FINAL_TYPE (InpParamForm, inp_param_form, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
param_free (Param *param)
{
  g_clear_pointer (&param->field, inp_input_field_unref);
  g_free (param->file_uri);
  g_free (param);
}

/* Values */

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* Like json_node_equal(), but 30 and 30.0 are the same number, as they are to the server. */
static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (node_is_number (a) && node_is_number (b))
    return json_node_get_double (a) == json_node_get_double (b);
  return json_node_equal (a, b);
}

static char *
format_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.10g",
                                          json_node_get_double (node)));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    }

  return json_to_string (node, FALSE);
}

static const char *
param_name (Param *param)
{
  return inp_input_field_get_name (param->field);
}

static double
param_default_number (Param *param)
{
  JsonNode *default_value = inp_input_field_get_default (param->field);

  if (node_is_number (default_value))
    return json_node_get_double (default_value);
  if (inp_input_field_has_minimum (param->field))
    return inp_input_field_get_minimum (param->field);
  return 0;
}

static void
param_show_file (Param *param)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;

  if (param->file_uri != NULL)
    {
      file = g_file_new_for_uri (param->file_uri);
      name = g_file_get_basename (file);
    }

  if (!param->marked)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (param->row),
                                 name != NULL ? name : _("No image chosen"));
  gtk_widget_set_visible (param->clear_button, param->file_uri != NULL);
}

/* Shows @node, or the field's default when @node is %NULL. Out-of-range numbers are clamped by
 * the spin button or scale; text of any kind is shown as it is, to be checked by validation. */
static void
param_set_value (Param    *param,
                 JsonNode *node)
{
  JsonNode *default_value = inp_input_field_get_default (param->field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    node = default_value;

  switch (param->kind)
    {
    case PARAM_KIND_CHOICE:
      {
        JsonArray *choices = inp_input_field_get_enum (param->field);
        guint offset = param->has_unset_choice ? 1 : 0;
        guint selected = 0;

        for (guint i = 0; node != NULL && i < json_array_get_length (choices); i++)
          if (nodes_equal (json_array_get_element (choices, i), node))
            {
              selected = i + offset;
              break;
            }
        adw_combo_row_set_selected (ADW_COMBO_ROW (param->row), selected);
        break;
      }

    case PARAM_KIND_SPIN:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (param->control),
                                 node_is_number (node) ? json_node_get_double (node)
                                                       : param_default_number (param));
      break;

    case PARAM_KIND_SCALE:
      gtk_range_set_value (GTK_RANGE (param->control),
                           node_is_number (node) ? json_node_get_double (node)
                                                 : param_default_number (param));
      break;

    case PARAM_KIND_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (param->control),
                             node != NULL && JSON_NODE_HOLDS_VALUE (node)
                             && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                             && json_node_get_boolean (node));
      break;

    case PARAM_KIND_TEXT:
    case PARAM_KIND_NUMBER:
    case PARAM_KIND_SEED:
    case PARAM_KIND_JSON:
      {
        g_autofree char *text = format_node (node);

        gtk_editable_set_text (GTK_EDITABLE (param->control), text);
        break;
      }

    case PARAM_KIND_FILE:
      g_free (param->file_uri);
      param->file_uri = node != NULL && JSON_NODE_HOLDS_VALUE (node)
                        && json_node_get_value_type (node) == G_TYPE_STRING
                        && *json_node_get_string (node) != '\0'
                        ? g_strdup (json_node_get_string (node)) : NULL;
      param_show_file (param);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Returns what the row holds, %NULL when it is unset (the server's default applies), or %NULL
 * with @error set when its text is not a valid value. */
static JsonNode *
param_get_value (Param   *param,
                 GError **error)
{
  InpFieldType type = inp_input_field_get_field_type (param->field);

  switch (param->kind)
    {
    case PARAM_KIND_CHOICE:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (param->row));
        JsonArray *choices = inp_input_field_get_enum (param->field);

        if (param->has_unset_choice)
          {
            if (selected == 0)
              return NULL;
            selected--;
          }
        if (selected >= json_array_get_length (choices))
          return NULL;
        return json_node_copy (json_array_get_element (choices, selected));
      }

    case PARAM_KIND_SPIN:
    case PARAM_KIND_SCALE:
      {
        double value = param->kind == PARAM_KIND_SPIN
                       ? gtk_spin_button_get_value (GTK_SPIN_BUTTON (param->control))
                       : gtk_range_get_value (GTK_RANGE (param->control));

        if (type == INP_FIELD_TYPE_INTEGER)
          return json_node_init_int (json_node_alloc (), (gint64) llround (value));
        /* Steps of 0.1 add up to 0.30000000000000004; the server should see what is shown. */
        return json_node_init_double (json_node_alloc (), round (value * 1e6) / 1e6);
      }

    case PARAM_KIND_SWITCH:
      return json_node_init_boolean (json_node_alloc (),
                                     gtk_switch_get_active (GTK_SWITCH (param->control)));

    case PARAM_KIND_TEXT:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (param->control));

        if (*text == '\0' && inp_input_field_get_default (param->field) == NULL)
          return NULL;
        return json_node_init_string (json_node_alloc (), text);
      }

    case PARAM_KIND_NUMBER:
    case PARAM_KIND_SEED:
    case PARAM_KIND_JSON:
      {
        const char *typed = gtk_editable_get_text (GTK_EDITABLE (param->control));
        g_autofree char *text = g_strstrip (g_strdup (typed));
        InpInputSchema *schema = inp_model_get_schema (param->form->model);

        if (*text == '\0')
          return NULL;
        return inp_input_schema_parse_value (schema, param_name (param), text, error);
      }

    case PARAM_KIND_FILE:
      return param->file_uri != NULL ? json_node_init_string (json_node_alloc (), param->file_uri)
                                     : NULL;

    default:
      g_assert_not_reached ();
    }
}

/* The values that matter: those that differ from the defaults, and every required one. Rows whose
 * text does not parse are left out and, when @problems is given, listed there. */
static JsonObject *
collect_values (InpParamForm *self,
                GPtrArray    *problems)
{
  JsonObject *values = json_object_new ();

  for (guint i = 0; self->params != NULL && i < self->params->len; i++)
    {
      Param *param = g_ptr_array_index (self->params, i);
      JsonNode *default_value = inp_input_field_get_default (param->field);
      g_autoptr(GError) error = NULL;
      JsonNode *node = param_get_value (param, &error);

      if (error != NULL)
        {
          GPtrArray *fields = inp_error_get_fields (error);
          const InpFieldError *first = fields != NULL && fields->len > 0
                                       ? g_ptr_array_index (fields, 0) : NULL;

          if (problems != NULL)
            g_ptr_array_add (problems,
                             inp_field_error_new (param_name (param),
                                                  first != NULL ? first->message : error->message));
          continue;
        }
      if (node == NULL)
        continue;
      if (!inp_input_field_is_required (param->field)
          && default_value != NULL && nodes_equal (node, default_value))
        {
          json_node_unref (node);
          continue;
        }
      json_object_set_member (values, param_name (param), node);
    }

  return values;
}

/* Errors */

static void
param_mark (Param      *param,
            const char *message)
{
  param->marked = TRUE;
  gtk_widget_add_css_class (param->row, "error");
  gtk_widget_set_tooltip_text (param->row, message);
  gtk_widget_set_tooltip_text (param->error_icon, message);
  gtk_widget_set_visible (param->error_icon, TRUE);
  if (ADW_IS_ACTION_ROW (param->row))
    {
      /* The whole message, however long: it says how to put the value right. */
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (param->row), 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (param->row), message);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (param->control),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (param->control),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
}

static void
param_unmark (Param *param)
{
  const char *description = inp_input_field_get_description (param->field);

  if (!param->marked)
    return;

  param->marked = FALSE;
  gtk_widget_remove_css_class (param->row, "error");
  gtk_widget_set_tooltip_text (param->row, description);
  gtk_widget_set_visible (param->error_icon, FALSE);
  if (ADW_IS_ACTION_ROW (param->row))
    adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (param->row), 2);
  if (param->kind == PARAM_KIND_FILE)
    param_show_file (param);
  else if (ADW_IS_ACTION_ROW (param->row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (param->row), description);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (param->control),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_state (GTK_ACCESSIBLE (param->control), GTK_ACCESSIBLE_STATE_INVALID);
}

/* Memory: the values that differ from the defaults, as JSON, per model id. */

static void
save_now (InpParamForm *self)
{
  g_autoptr(GVariant) stored = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *id;
  const char *text;
  const char *old_text = NULL;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->model == NULL)
    return;

  id = inp_model_get_id (self->model);
  values = collect_values (self, NULL);
  if (json_object_get_size (values) > 0)
    {
      root = json_node_init_object (json_node_alloc (), values);
      json = json_to_string (root, FALSE);
    }

  stored = g_settings_get_value (self->settings, "model-values");
  g_variant_lookup (stored, id, "&s", &old_text);
  if (g_strcmp0 (old_text, json) == 0)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, stored);
  while (g_variant_iter_next (&iter, "{&s&s}", &id, &text))
    if (!g_str_equal (id, inp_model_get_id (self->model)))
      g_variant_builder_add (&builder, "{ss}", id, text);
  if (json != NULL)
    g_variant_builder_add (&builder, "{ss}", inp_model_get_id (self->model), json);

  g_debug ("param-form: remembering %s for %s", json != NULL ? json : "defaults",
           inp_model_get_id (self->model));
  g_settings_set_value (self->settings, "model-values", g_variant_builder_end (&builder));
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  InpParamForm *self = user_data;

  self->save_source = 0;
  save_now (self);

  return G_SOURCE_REMOVE;
}

static void
load_stored (InpParamForm *self)
{
  g_autoptr(GVariant) stored = g_settings_get_value (self->settings, "model-values");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *json = NULL;
  JsonNode *root;

  if (!g_variant_lookup (stored, inp_model_get_id (self->model), "&s", &json))
    return;

  /* A damaged entry costs the remembered values of one model, never the form. */
  if (!json_parser_load_from_data (parser, json, -1, &error))
    {
      g_debug ("param-form: ignoring stored values of %s: %s",
               inp_model_get_id (self->model), error->message);
      return;
    }
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    inp_param_form_set_values (self, json_node_get_object (root));
}

static void
param_changed (Param *param)
{
  InpParamForm *self = param->form;

  if (self->loading > 0)
    return;

  param_unmark (param);
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

/* Building rows */

static gboolean
is_seed (InpInputField *field)
{
  const char *name = inp_input_field_get_name (field);

  return inp_input_field_get_field_type (field) == INP_FIELD_TYPE_INTEGER
         && (g_str_equal (name, "seed") || g_str_has_suffix (name, "_seed"));
}

static ParamKind
choose_kind (InpInputField *field)
{
  JsonArray *choices = inp_input_field_get_enum (field);
  double span;

  if (choices != NULL && json_array_get_length (choices) > 0)
    return PARAM_KIND_CHOICE;

  switch (inp_input_field_get_field_type (field))
    {
    case INP_FIELD_TYPE_BOOLEAN:
      return PARAM_KIND_SWITCH;
    case INP_FIELD_TYPE_FILE:
      return PARAM_KIND_FILE;
    case INP_FIELD_TYPE_ARRAY:
    case INP_FIELD_TYPE_OBJECT:
      return PARAM_KIND_JSON;
    case INP_FIELD_TYPE_STRING:
      return PARAM_KIND_TEXT;
    case INP_FIELD_TYPE_INTEGER:
    case INP_FIELD_TYPE_NUMBER:
      if (is_seed (field))
        return PARAM_KIND_SEED;
      /* A spin button always holds a number; a field that may be left unset needs an entry. */
      if (!inp_input_field_has_minimum (field) || !inp_input_field_has_maximum (field)
          || (inp_input_field_get_default (field) == NULL && !inp_input_field_is_required (field)))
        return PARAM_KIND_NUMBER;
      /* A short range reads best as a slider: a handful of outputs, a strength from 0 to 1. */
      span = inp_input_field_get_maximum (field) - inp_input_field_get_minimum (field);
      if (span > 0
          && ((inp_input_field_get_field_type (field) == INP_FIELD_TYPE_INTEGER && span <= 10)
              || (inp_input_field_get_field_type (field) == INP_FIELD_TYPE_NUMBER && span <= 5)))
        return PARAM_KIND_SCALE;
      return PARAM_KIND_SPIN;
    default:
      g_assert_not_reached ();
    }
}

static void
control_changed_cb (Param *param)
{
  param_changed (param);
}

static void
file_chooser_response_cb (InpParamForm         *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  Param *param = self->choosing;

  self->choosing = NULL;
  if (response == GTK_RESPONSE_ACCEPT && param != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      g_free (param->file_uri);
      param->file_uri = g_file_get_uri (file);
      param_show_file (param);
      param_changed (param);
    }
  g_clear_object (&self->chooser);
}

static void
choose_file_cb (Param *param)
{
  InpParamForm *self = param->form;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;

  /* Translators: the title of the dialog that picks an image for a setting
   * such as “Control Image” */
  self->chooser = gtk_file_chooser_native_new (_("Choose an Image"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the name of the file filter that shows picture files */
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  self->choosing = param;
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (file_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_file_cb (Param *param)
{
  g_clear_pointer (&param->file_uri, g_free);
  param_show_file (param);
  param_changed (param);
}

static GtkWidget *
new_suffix_entry (Param      *param,
                  const char *placeholder,
                  int         width_chars)
{
  GtkWidget *entry = gtk_entry_new ();
  gboolean integer = inp_input_field_get_field_type (param->field) == INP_FIELD_TYPE_INTEGER;

  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_editable_set_alignment (GTK_EDITABLE (entry), 1.0);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry),
                               integer ? GTK_INPUT_PURPOSE_DIGITS : GTK_INPUT_PURPOSE_NUMBER);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), width_chars);
  if (placeholder != NULL)
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);

  return entry;
}

static void
build_row (InpParamForm *self,
           Param        *param)
{
  InpInputField *field = param->field;
  const char *title = inp_input_field_get_title (field);
  const char *description = inp_input_field_get_description (field);
  gboolean integer = inp_input_field_get_field_type (field) == INP_FIELD_TYPE_INTEGER;
  double minimum = inp_input_field_get_minimum (field);
  double maximum = inp_input_field_get_maximum (field);
  double step = integer ? 1 : (maximum - minimum <= 1 ? 0.01 : 0.1);
  guint digits = integer ? 0 : 2;

  param->error_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_visible (param->error_icon, FALSE);
  gtk_widget_add_css_class (param->error_icon, "error");

  if (param->kind == PARAM_KIND_TEXT || param->kind == PARAM_KIND_JSON)
    {
      param->row = adw_entry_row_new ();
      param->control = param->row;
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (param->row), param->error_icon);
      g_signal_connect_swapped (param->control, "changed", G_CALLBACK (control_changed_cb), param);
    }
  else if (param->kind == PARAM_KIND_CHOICE)
    {
      GtkStringList *labels = gtk_string_list_new (NULL);
      JsonArray *choices = inp_input_field_get_enum (field);

      param->row = adw_combo_row_new ();
      param->control = param->row;
      /* Without a default, leaving the choice to the model must stay possible. */
      param->has_unset_choice = inp_input_field_get_default (field) == NULL
                                && !inp_input_field_is_required (field);
      if (param->has_unset_choice)
        gtk_string_list_append (labels, C_("choice", "Automatic"));
      /* The list shows labels; param_get_value() sends the enum value at the same position. */
      for (guint i = 0; i < json_array_get_length (choices); i++)
        {
          JsonNode *choice = json_array_get_element (choices, i);
          g_autofree char *label = format_node (choice);

          if (JSON_NODE_HOLDS_VALUE (choice) && json_node_get_value_type (choice) == G_TYPE_STRING)
            gtk_string_list_append (labels, inp_input_field_get_choice_label (field, label));
          else
            gtk_string_list_append (labels, label);
        }
      adw_combo_row_set_model (ADW_COMBO_ROW (param->row), G_LIST_MODEL (labels));
      g_object_unref (labels);
      adw_action_row_add_suffix (ADW_ACTION_ROW (param->row), param->error_icon);
      g_signal_connect_swapped (param->row, "notify::selected",
                                G_CALLBACK (control_changed_cb), param);
    }
  else
    {
      param->row = adw_action_row_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (param->row), param->error_icon);

      switch (param->kind)
        {
        case PARAM_KIND_SPIN:
          param->control = gtk_spin_button_new_with_range (minimum, maximum, step);
          gtk_spin_button_set_digits (GTK_SPIN_BUTTON (param->control), digits);
          gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (param->control), TRUE);
          gtk_widget_set_valign (param->control, GTK_ALIGN_CENTER);
          g_signal_connect_swapped (param->control, "value-changed",
                                    G_CALLBACK (control_changed_cb), param);
          break;

        case PARAM_KIND_SCALE:
          param->control = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL,
                                                     minimum, maximum, step);
          gtk_scale_set_digits (GTK_SCALE (param->control), digits);
          gtk_scale_set_draw_value (GTK_SCALE (param->control), TRUE);
          gtk_scale_set_value_pos (GTK_SCALE (param->control), GTK_POS_LEFT);
          gtk_widget_set_size_request (param->control, 120, -1);
          gtk_widget_set_valign (param->control, GTK_ALIGN_CENTER);
          g_signal_connect_swapped (param->control, "value-changed",
                                    G_CALLBACK (control_changed_cb), param);
          break;

        case PARAM_KIND_SWITCH:
          param->control = gtk_switch_new ();
          gtk_widget_set_valign (param->control, GTK_ALIGN_CENTER);
          g_signal_connect_swapped (param->control, "notify::active",
                                    G_CALLBACK (control_changed_cb), param);
          break;

        case PARAM_KIND_NUMBER:
          param->control = new_suffix_entry (param, C_("value", "Automatic"), 7);
          g_signal_connect_swapped (param->control, "changed",
                                    G_CALLBACK (control_changed_cb), param);
          break;

        case PARAM_KIND_SEED:
          /* Translators: shown in an empty seed field; each run then picks its own seed */
          param->control = new_suffix_entry (param, _("Random"), 10);
          g_signal_connect_swapped (param->control, "changed",
                                    G_CALLBACK (control_changed_cb), param);
          break;

        case PARAM_KIND_FILE:
          param->control = gtk_button_new_from_icon_name ("document-open-symbolic");
          gtk_widget_set_tooltip_text (param->control, _("Choose Image…"));
          gtk_widget_set_valign (param->control, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (param->control, "flat");
          g_signal_connect_swapped (param->control, "clicked", G_CALLBACK (choose_file_cb), param);
          param->clear_button = gtk_button_new_from_icon_name ("edit-clear-symbolic");
          gtk_widget_set_tooltip_text (param->clear_button, _("Remove Image"));
          gtk_widget_set_valign (param->clear_button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (param->clear_button, "flat");
          g_signal_connect_swapped (param->clear_button, "clicked",
                                    G_CALLBACK (clear_file_cb), param);
          adw_action_row_add_suffix (ADW_ACTION_ROW (param->row), param->clear_button);
          break;

        case PARAM_KIND_CHOICE:
        case PARAM_KIND_TEXT:
        case PARAM_KIND_JSON:
        default:
          g_assert_not_reached ();
        }

      adw_action_row_add_suffix (ADW_ACTION_ROW (param->row), param->control);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (param->row), param->control);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (param->row), 2);
      if (description != NULL && param->kind != PARAM_KIND_FILE)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (param->row), description);
    }

  /* Schema text is not markup: “&” and “<” must show as they are. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (param->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (param->row), title);
  gtk_widget_set_tooltip_text (param->row, description);
  if (param->control != param->row)
    gtk_accessible_update_property (GTK_ACCESSIBLE (param->control),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                    -1);
  if (ADW_IS_COMBO_ROW (param->row))
    adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (param->row), 2);
  if (ADW_IS_COMBO_ROW (param->row) && description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (param->row), description);

}

static void
remove_rows (InpParamForm *self)
{
  for (guint i = 0; i < self->params->len; i++)
    {
      Param *param = g_ptr_array_index (self->params, i);

      /* A combo row that loses its model would report a change to a row that is going away. */
      g_signal_handlers_disconnect_by_data (param->row, param);
      g_signal_handlers_disconnect_by_data (param->control, param);
      adw_preferences_group_remove (self->group, param->row);
    }
  g_hash_table_remove_all (self->by_name);
  g_ptr_array_set_size (self->params, 0);
}

static void
build_rows (InpParamForm *self)
{
  GPtrArray *fields = inp_input_schema_get_fields (inp_model_get_schema (self->model));

  for (guint i = 0; i < fields->len; i++)
    {
      InpInputField *field = g_ptr_array_index (fields, i);
      Param *param;

      if (inp_model_get_input_role (self->model, inp_input_field_get_name (field))
          != INP_INPUT_ROLE_PARAMETER)
        continue;

      param = g_new0 (Param, 1);
      param->form = self;
      param->field = inp_input_field_ref (field);
      param->kind = choose_kind (field);
      build_row (self, param);
      param_set_value (param, NULL);

      g_ptr_array_add (self->params, param);
      g_hash_table_insert (self->by_name, (gpointer) inp_input_field_get_name (field), param);
      adw_preferences_group_add (self->group, param->row);
    }
}

static void
update_state (InpParamForm *self)
{
  gboolean has_params = self->params->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.reset", has_params);
  gtk_widget_set_visible (self->reset_button, has_params);
  if (self->model == NULL)
    adw_preferences_group_set_description (self->group, NULL);
  else if (!has_params)
    adw_preferences_group_set_description (self->group, _("This model has no other settings"));
  else
    adw_preferences_group_set_description (self->group, NULL);
}

/* Public API */

GtkWidget *
inp_param_form_new (void)
{
  return g_object_new (INP_TYPE_PARAM_FORM, NULL);
}

/**
 * inp_param_form_get_model:
 *
 * Returns: (transfer none) (nullable): the model whose settings the form shows.
 */
InpModel *
inp_param_form_get_model (InpParamForm *self)
{
  g_return_val_if_fail (INP_IS_PARAM_FORM (self), NULL);

  return self->model;
}

/**
 * inp_param_form_set_model:
 * @model: (nullable): the model to show
 *
 * Rebuilds the form for @model, with the values last used for it. The values of the previous
 * model are remembered first.
 */
void
inp_param_form_set_model (InpParamForm *self,
                          InpModel     *model)
{
  g_return_if_fail (INP_IS_PARAM_FORM (self));
  g_return_if_fail (model == NULL || INP_IS_MODEL (model));

  if (self->model == model)
    return;

  if (self->save_source != 0)
    save_now (self);
  if (self->choosing != NULL)
    {
      self->choosing = NULL;
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  remove_rows (self);
  g_set_object (&self->model, model);

  if (model != NULL)
    {
      g_debug ("param-form: building the form of %s", inp_model_get_id (model));
      self->loading++;
      build_rows (self);
      load_stored (self);
      self->loading--;
    }

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * inp_param_form_dup_values:
 *
 * The form's values to send: those that differ from the schema's defaults, and every required
 * one. Text that is not a valid value is left out; inp_param_form_validate() reports it.
 *
 * Returns: (transfer full): the values, by input name.
 */
JsonObject *
inp_param_form_dup_values (InpParamForm *self)
{
  g_return_val_if_fail (INP_IS_PARAM_FORM (self), NULL);

  return collect_values (self, NULL);
}

/**
 * inp_param_form_set_values:
 * @values: values by input name, as inp_param_form_dup_values() gives them
 *
 * Shows @values, for example those of a job to run again. Inputs the form does not show are
 * ignored, and rows not named keep their values.
 */
void
inp_param_form_set_values (InpParamForm *self,
                           JsonObject   *values)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_if_fail (INP_IS_PARAM_FORM (self));
  g_return_if_fail (values != NULL);

  self->loading++;
  json_object_iter_init (&iter, values);
  while (json_object_iter_next (&iter, &name, &node))
    {
      Param *param = g_hash_table_lookup (self->by_name, name);

      if (param != NULL)
        {
          param_unmark (param);
          param_set_value (param, node);
        }
    }
  self->loading--;

  if (self->model != NULL)
    save_now (self);
}

/**
 * inp_param_form_mark_errors:
 * @field_errors: (element-type InpFieldError): bad fields, as inp_error_get_fields() gives them
 *
 * Marks the rows of the named fields with the error style and the message, for example after
 * the server answered 422. The marks go when the value is changed.
 *
 * Returns: how many of the fields the form shows; others belong to the prompt or the canvas.
 */
guint
inp_param_form_mark_errors (InpParamForm *self,
                            GPtrArray    *field_errors)
{
  gboolean focused = FALSE;
  guint marked = 0;

  g_return_val_if_fail (INP_IS_PARAM_FORM (self), 0);
  g_return_val_if_fail (field_errors != NULL, 0);

  for (guint i = 0; i < field_errors->len; i++)
    {
      const InpFieldError *field_error = g_ptr_array_index (field_errors, i);
      Param *param = g_hash_table_lookup (self->by_name, field_error->field);

      if (param == NULL)
        continue;

      param_mark (param, field_error->message);
      marked++;
      /* Bring the first bad row into view, so a long form does not hide the problem. */
      if (!focused)
        focused = gtk_widget_grab_focus (param->control);
    }

  return marked;
}

/**
 * inp_param_form_clear_errors:
 *
 * Removes every error mark.
 */
void
inp_param_form_clear_errors (InpParamForm *self)
{
  g_return_if_fail (INP_IS_PARAM_FORM (self));

  for (guint i = 0; i < self->params->len; i++)
    param_unmark (g_ptr_array_index (self->params, i));
}

/**
 * inp_param_form_validate:
 * @error: return location for an %INP_ERROR_INVALID_INPUT error carrying one #InpFieldError per
 *   bad row
 *
 * Checks every row against the schema (text that does not parse, values out of range or not
 * allowed, required values missing) and marks the bad rows, before anything is sent.
 *
 * Returns: %TRUE when every row holds a valid value.
 */
gboolean
inp_param_form_validate (InpParamForm  *self,
                         GError       **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (INP_IS_PARAM_FORM (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  inp_param_form_clear_errors (self);
  if (self->model == NULL)
    return TRUE;

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_field_error_free);
  values = collect_values (self, problems);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < problems->len; i++)
    g_hash_table_add (seen, ((InpFieldError *) g_ptr_array_index (problems, i))->field);

  /* The schema also reports the prompt and canvas inputs; only the form's own rows count here. */
  issues = inp_input_schema_check (inp_model_get_schema (self->model), values);
  for (guint i = 0; i < issues->len; i++)
    {
      const InpInputIssue *issue = g_ptr_array_index (issues, i);

      if (!g_hash_table_contains (self->by_name, issue->field)
          || g_hash_table_contains (seen, issue->field))
        continue;
      g_ptr_array_add (problems, inp_field_error_new (issue->field, issue->message));
      g_hash_table_add (seen, issue->field);
    }

  if (problems->len == 0)
    return TRUE;

  inp_param_form_mark_errors (self, problems);
  g_debug ("param-form: %u invalid settings for %s", problems->len, inp_model_get_id (self->model));
  g_propagate_error (error,
                     inp_error_new_with_fields (INP_ERROR_INVALID_INPUT, problems,
                                                ngettext ("%u setting is not valid",
                                                          "%u settings are not valid",
                                                          problems->len),
                                                problems->len));
  return FALSE;
}

/**
 * inp_param_form_reset:
 *
 * Shows the schema's defaults and forgets the values remembered for the model.
 */
void
inp_param_form_reset (InpParamForm *self)
{
  g_return_if_fail (INP_IS_PARAM_FORM (self));

  self->loading++;
  for (guint i = 0; i < self->params->len; i++)
    {
      Param *param = g_ptr_array_index (self->params, i);

      param_unmark (param);
      param_set_value (param, NULL);
    }
  self->loading--;

  save_now (self);
}

/**
 * inp_param_form_get_row:
 * @name: an input's name
 *
 * Returns: (transfer none) (nullable): the row of the input, or %NULL when the form does not show
 *   it (the prompt panel or the canvas feeds it, or the model has no such input).
 */
GtkWidget *
inp_param_form_get_row (InpParamForm *self,
                        const char   *name)
{
  Param *param;

  g_return_val_if_fail (INP_IS_PARAM_FORM (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  param = g_hash_table_lookup (self->by_name, name);
  return param != NULL ? param->row : NULL;
}

/* GObject */

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  inp_param_form_reset (INP_PARAM_FORM (widget));
}

static void
inp_param_form_dispose (GObject *object)
{
  InpParamForm *self = INP_PARAM_FORM (object);

  /* What was typed just before closing is remembered too. */
  if (self->save_source != 0)
    save_now (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->choosing = NULL;

  self->loading++;
  /* The group is both the bin's child and a template child: the bin must let go of it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_PARAM_FORM);

  if (self->by_name != NULL)
    g_hash_table_remove_all (self->by_name);
  if (self->params != NULL)
    g_ptr_array_set_size (self->params, 0);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (inp_param_form_parent_class)->dispose (object);
}

static void
inp_param_form_finalize (GObject *object)
{
  InpParamForm *self = INP_PARAM_FORM (object);

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->params, g_ptr_array_unref);

  G_OBJECT_CLASS (inp_param_form_parent_class)->finalize (object);
}

static void
inp_param_form_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  InpParamForm *self = INP_PARAM_FORM (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_param_form_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  InpParamForm *self = INP_PARAM_FORM (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      inp_param_form_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_param_form_class_init (InpParamFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inp_param_form_dispose;
  object_class->finalize = inp_param_form_finalize;
  object_class->get_property = inp_param_form_get_property;
  object_class->set_property = inp_param_form_set_property;

  /**
   * InpParamForm:model:
   *
   * The model whose settings the form shows.
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, INP_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-param-form.ui");
  gtk_widget_class_bind_template_child (widget_class, InpParamForm, group);
  gtk_widget_class_bind_template_child (widget_class, InpParamForm, reset_button);

  gtk_widget_class_install_action (widget_class, "form.reset", NULL, reset_action);
}

static void
inp_param_form_init (InpParamForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->settings = g_settings_new (APP_ID);
  update_state (self);
}
