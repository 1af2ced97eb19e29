/* inp-window-outpaint.c: extending the picture with a model's own outpaint presets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-input-schema.h"
#include "inp-mask-canvas.h"
#include "inp-window-private.h"

/* Which preset of an `outpaint` input (flux-fill-pro) extends the picture on each side. A model
 * that extends the picture itself does better than filling a strip of edge colours for it. */
static const struct
{
  const char *side;
  const char *preset;
} outpaint_presets[] = {
  { "left", "Left outpaint" },
  { "right", "Right outpaint" },
  { "top", "Top outpaint" },
  { "bottom", "Bottom outpaint" },
  { "all", "Zoom out 1.5x" },
};

/**
 * inp_window_outpaint_preset_for:
 * @model: (nullable): the chosen model
 * @side: "left", "right", "top", "bottom" or "all"
 *
 * Returns: (nullable): the value of @model's `outpaint` input that extends the picture on
 *   @side, or %NULL when the model has no such preset.
 */
const char *
inp_window_outpaint_preset_for (InpModel   *model,
                                const char *side)
{
  InpInputField *field;
  JsonArray *choices;

  if (model == NULL)
    return NULL;

  field = inp_input_schema_lookup (inp_model_get_schema (model), "outpaint");
  if (field == NULL || (choices = inp_input_field_get_enum (field)) == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (outpaint_presets); i++)
    {
      if (!g_str_equal (side, outpaint_presets[i].side))
        continue;

      for (guint j = 0; j < json_array_get_length (choices); j++)
        {
          JsonNode *choice = json_array_get_element (choices, j);

          if (JSON_NODE_HOLDS_VALUE (choice)
              && json_node_get_value_type (choice) == G_TYPE_STRING
              && g_str_equal (json_node_get_string (choice), outpaint_presets[i].preset))
            return outpaint_presets[i].preset;
        }
    }

  return NULL;
}

static void
set_outpaint (InpWindow  *self,
              const char *value)
{
  g_autoptr(JsonObject) values = json_object_new ();

  json_object_set_string_member (values, "outpaint", value);
  inp_param_form_set_values (self->param_form, values);
}

static gboolean
extend_requested_cb (InpWindow     *self,
                     const char    *side,
                     InpMaskCanvas *canvas)
{
  InpModel *model = inp_model_picker_get_selected_model (self->model_picker);
  const char *preset = inp_window_outpaint_preset_for (model, side);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (preset == NULL)
    return FALSE;

  set_outpaint (self, preset);

  /* Translators: the first %s is a model's title, the second the name of one of its settings'
   * values, such as "Left outpaint", shown as the model names it. */
  title = g_strdup_printf (_("%s extends the picture itself: its Outpaint setting is now “%s”"),
                           inp_model_get_title (model), preset);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Extend Here Instead"));
  adw_toast_set_action_name (toast, "win.extend-here");
  adw_toast_set_action_target_value (toast, g_variant_new_string (side));
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  return TRUE;
}

static void
extend_here_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  InpWindow *self = INP_WINDOW (widget);

  /* The user prefers the canvas's own extension: the model should not extend again on top. */
  set_outpaint (self, "None");
  inp_mask_canvas_extend (self->canvas, g_variant_get_string (parameter, NULL));
}

void
inp_window_outpaint_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.extend-here", "s", extend_here_action);
}

void
inp_window_outpaint_init (InpWindow *self)
{
  g_signal_connect_object (self->canvas, "extend-requested",
                           G_CALLBACK (extend_requested_cb), self, G_CONNECT_SWAPPED);
}
