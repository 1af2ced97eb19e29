/* inp-prompt-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-a11y.h"
#include "inp-error.h"
#include "inp-input-roles.h"
#include "inp-prompt-panel.h"

/* How many recent prompts are kept: enough to find yesterday's, few enough to scan. */
#define RECENT_MAX 20

struct _InpPromptPanel
{
  AdwBin               parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *prompt_group;
  AdwPreferencesGroup *end_group;
  AdwPreferencesGroup *negative_group;
  GtkTextView         *prompt_view;
  GtkTextView         *end_view;
  GtkTextView         *negative_view;
  GtkWidget           *recent_button;
  GtkWidget           *recent_popover;
  GtkListBox          *recent_list;
  GtkWidget           *recent_empty_label;
  GtkWidget           *clear_recent_button;

  InpModel            *model;
  GSettings           *settings;
};

G_DEFINE_FINAL_TYPE (InpPromptPanel, inp_prompt_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const InpInputRole prompt_roles[] = {
  INP_INPUT_ROLE_PROMPT,
  INP_INPUT_ROLE_PROMPT_END,
  INP_INPUT_ROLE_NEGATIVE_PROMPT,
};

static GtkTextView *
view_for_role (InpPromptPanel *self,
               InpInputRole    role)
{
  switch (role)
    {
    case INP_INPUT_ROLE_PROMPT:
      return self->prompt_view;
    case INP_INPUT_ROLE_PROMPT_END:
      return self->end_view;
    case INP_INPUT_ROLE_NEGATIVE_PROMPT:
      return self->negative_view;
    case INP_INPUT_ROLE_PARAMETER:
    case INP_INPUT_ROLE_IMAGE:
    case INP_INPUT_ROLE_MASK:
    case INP_INPUT_ROLE_SIZE:
    default:
      g_assert_not_reached ();
    }
}

static AdwPreferencesGroup *
group_for_view (InpPromptPanel *self,
                GtkTextView    *view)
{
  if (view == self->prompt_view)
    return self->prompt_group;
  if (view == self->end_view)
    return self->end_group;
  return self->negative_group;
}

static char *
dup_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

/* What each group says when nothing is wrong, by the model's task. */
static const char *
prompt_description (InpPromptPanel *self)
{
  if (self->model == NULL)
    return _("Describe what should appear in the masked area");
  if (inp_model_find_input_with_role (self->model, INP_INPUT_ROLE_PROMPT) == NULL)
    return _("This model needs no prompt");
  if (inp_model_find_input_with_role (self->model, INP_INPUT_ROLE_PROMPT_END) != NULL)
    return _("Describe the first frame of the animation");

  switch (inp_model_get_task (self->model))
    {
    case INP_MODEL_TASK_INPAINT:
    case INP_MODEL_TASK_FILL:
      return _("Describe what should appear in the masked area");
    case INP_MODEL_TASK_GENERATE:
      return _("Describe the picture to make");
    case INP_MODEL_TASK_IMAGE_TO_IMAGE:
      return _("Describe how the picture should look");
    case INP_MODEL_TASK_ANIMATE:
      return _("Describe the animation to make");
    case INP_MODEL_TASK_REMOVE_OBJECT:
    case INP_MODEL_TASK_REMOVE_BACKGROUND:
    default:
      return _("Describe what you want");
    }
}

static void
view_unmark (InpPromptPanel *self,
             GtkTextView    *view)
{
  AdwPreferencesGroup *group = group_for_view (self, view);

  if (!gtk_widget_has_css_class (GTK_WIDGET (view), "error"))
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (view), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (group), "inp-error");
  if (view == self->prompt_view)
    adw_preferences_group_set_description (group, prompt_description (self));
  else if (view == self->end_view)
    adw_preferences_group_set_description (group, _("Describe the last frame: the animation moves "
                                                    "from the first prompt to this one"));
  else
    adw_preferences_group_set_description (group, _("Describe what should not appear"));
  gtk_accessible_reset_state (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_STATE_INVALID);
}

static void
view_mark (InpPromptPanel *self,
           GtkTextView    *view,
           const char     *message)
{
  AdwPreferencesGroup *group = group_for_view (self, view);
  /* The group's description is markup; a server's message may hold “<” or “&”. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  gtk_widget_add_css_class (GTK_WIDGET (view), "error");
  gtk_widget_add_css_class (GTK_WIDGET (group), "inp-error");
  adw_preferences_group_set_description (group, escaped);
  gtk_accessible_update_state (GTK_ACCESSIBLE (view),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
}

static void
buffer_changed_cb (GtkTextBuffer *buffer,
                   GtkTextView   *view)
{
  InpPromptPanel *self = INP_PROMPT_PANEL (gtk_widget_get_ancestor (GTK_WIDGET (view),
                                                                    INP_TYPE_PROMPT_PANEL));

  if (self != NULL)
    view_unmark (self, view);
}

static void
update_for_model (InpPromptPanel *self)
{
  gboolean has_prompt = TRUE;
  gboolean has_end = FALSE;
  gboolean has_negative = FALSE;

  if (self->model != NULL)
    {
      has_prompt = inp_model_find_input_with_role (self->model, INP_INPUT_ROLE_PROMPT) != NULL;
      has_end = inp_model_find_input_with_role (self->model, INP_INPUT_ROLE_PROMPT_END) != NULL;
      has_negative = inp_model_find_input_with_role (self->model,
                                                     INP_INPUT_ROLE_NEGATIVE_PROMPT) != NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (prompt_roles); i++)
    view_unmark (self, view_for_role (self, prompt_roles[i]));

  /* An animation's two prompts are its first and last frame; the main view takes the first. */
  adw_preferences_group_set_title (self->prompt_group,
                                   has_end ? _("Start Prompt") : _("Prompt"));
  adw_preferences_group_set_description (self->prompt_group, prompt_description (self));
  adw_preferences_group_set_description (self->end_group,
                                         _("Describe the last frame: the animation moves "
                                           "from the first prompt to this one"));
  adw_preferences_group_set_description (self->negative_group,
                                         _("Describe what should not appear"));

  /* Text typed for another model stays, only out of reach, so switching back loses nothing. */
  gtk_widget_set_visible (GTK_WIDGET (self->prompt_view), has_prompt);
  gtk_widget_set_visible (self->recent_button, has_prompt);
  gtk_widget_set_visible (GTK_WIDGET (self->end_group), has_end);
  gtk_widget_set_visible (GTK_WIDGET (self->negative_group), has_negative);
}

/* Recent prompts */

static void
recent_changed_cb (InpPromptPanel *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-prompts");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (recent[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), 2);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
      gtk_widget_set_tooltip_text (label, recent[i]);
      gtk_list_box_append (self->recent_list, label);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), recent[0] != NULL);
  gtk_widget_set_visible (self->recent_empty_label, recent[0] == NULL);
  gtk_widget_set_sensitive (self->clear_recent_button, recent[0] != NULL);
}

static void
recent_row_activated_cb (InpPromptPanel *self,
                         GtkListBoxRow  *row)
{
  GtkWidget *label = gtk_list_box_row_get_child (row);

  inp_prompt_panel_set_prompt (self, gtk_label_get_text (GTK_LABEL (label)));
  gtk_popover_popdown (GTK_POPOVER (self->recent_popover));
  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
}

static void
clear_recent_cb (InpPromptPanel *self)
{
  g_settings_set_strv (self->settings, "recent-prompts", NULL);
  gtk_popover_popdown (GTK_POPOVER (self->recent_popover));
}

/* Public API */

GtkWidget *
inp_prompt_panel_new (void)
{
  return g_object_new (INP_TYPE_PROMPT_PANEL, NULL);
}

/**
 * inp_prompt_panel_get_model:
 *
 * Returns: (transfer none) (nullable): the model the prompts are for.
 */
InpModel *
inp_prompt_panel_get_model (InpPromptPanel *self)
{
  g_return_val_if_fail (INP_IS_PROMPT_PANEL (self), NULL);

  return self->model;
}

/**
 * inp_prompt_panel_set_model:
 * @model: (nullable): the chosen model
 *
 * Shows the prompt fields @model has: the negative prompt only where it has one, and a second
 * prompt for animations that run from one prompt to another. Text already typed is kept.
 */
void
inp_prompt_panel_set_model (InpPromptPanel *self,
                            InpModel       *model)
{
  g_return_if_fail (INP_IS_PROMPT_PANEL (self));
  g_return_if_fail (model == NULL || INP_IS_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  update_for_model (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * inp_prompt_panel_dup_prompt:
 *
 * Returns: (transfer full): the main prompt, without surrounding white space.
 */
char *
inp_prompt_panel_dup_prompt (InpPromptPanel *self)
{
  g_return_val_if_fail (INP_IS_PROMPT_PANEL (self), NULL);

  return dup_view_text (self->prompt_view);
}

void
inp_prompt_panel_set_prompt (InpPromptPanel *self,
                             const char     *text)
{
  g_return_if_fail (INP_IS_PROMPT_PANEL (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view),
                            text != NULL ? text : "", -1);
}

/**
 * inp_prompt_panel_fill_input:
 * @input: the `input` object of a prediction being prepared
 *
 * Writes the prompts under the model's own names (`prompt`, `negative_prompt`, `n_prompt`,
 * `prompt_start`, `prompt_end`…). Empty prompts are left out, so the model's default applies
 * (or validation reports a required one).
 */
void
inp_prompt_panel_fill_input (InpPromptPanel *self,
                             JsonObject     *input)
{
  g_return_if_fail (INP_IS_PROMPT_PANEL (self));
  g_return_if_fail (input != NULL);

  if (self->model == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (prompt_roles); i++)
    {
      const char *name = inp_model_find_input_with_role (self->model, prompt_roles[i]);
      g_autofree char *text = NULL;

      if (name == NULL)
        continue;
      text = dup_view_text (view_for_role (self, prompt_roles[i]));
      if (*text != '\0')
        json_object_set_string_member (input, name, text);
    }
}

/**
 * inp_prompt_panel_set_from_input:
 * @input: the `input` object of an earlier prediction of the current model
 *
 * Shows the prompts of @input, for example to run a job again. Prompts it lacks are emptied.
 */
void
inp_prompt_panel_set_from_input (InpPromptPanel *self,
                                 JsonObject     *input)
{
  g_return_if_fail (INP_IS_PROMPT_PANEL (self));
  g_return_if_fail (input != NULL);

  if (self->model == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (prompt_roles); i++)
    {
      const char *name = inp_model_find_input_with_role (self->model, prompt_roles[i]);
      JsonNode *node = name != NULL ? json_object_get_member (input, name) : NULL;
      const char *text = node != NULL && JSON_NODE_HOLDS_VALUE (node)
                         && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : "";

      if (name != NULL)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (view_for_role (self, prompt_roles[i])),
                                  text, -1);
    }
}

/**
 * inp_prompt_panel_mark_errors:
 * @field_errors: (element-type InpFieldError): bad fields, as inp_error_get_fields() gives them
 *
 * Marks the prompt fields named in @field_errors, for example after the server answered 422.
 *
 * Returns: how many of the fields are the panel's.
 */
guint
inp_prompt_panel_mark_errors (InpPromptPanel *self,
                              GPtrArray      *field_errors)
{
  guint marked = 0;

  g_return_val_if_fail (INP_IS_PROMPT_PANEL (self), 0);
  g_return_val_if_fail (field_errors != NULL, 0);

  if (self->model == NULL)
    return 0;

  for (guint i = 0; i < field_errors->len; i++)
    {
      const InpFieldError *field_error = g_ptr_array_index (field_errors, i);
      InpInputRole role = inp_model_get_input_role (self->model, field_error->field);

      if (role != INP_INPUT_ROLE_PROMPT && role != INP_INPUT_ROLE_PROMPT_END
          && role != INP_INPUT_ROLE_NEGATIVE_PROMPT)
        continue;
      if (inp_input_schema_lookup (inp_model_get_schema (self->model), field_error->field) == NULL)
        continue;

      view_mark (self, view_for_role (self, role), field_error->message);
      marked++;
    }

  return marked;
}

/**
 * inp_prompt_panel_validate:
 * @error: return location for an %INP_ERROR_INVALID_INPUT error naming the empty fields
 *
 * Checks that every prompt the model requires has been written, and marks those that have not.
 *
 * Returns: %TRUE when nothing required is missing.
 */
gboolean
inp_prompt_panel_validate (InpPromptPanel  *self,
                           GError         **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  const InpFieldError *first;

  g_return_val_if_fail (INP_IS_PROMPT_PANEL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->model == NULL)
    return TRUE;

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_field_error_free);
  for (guint i = 0; i < G_N_ELEMENTS (prompt_roles); i++)
    {
      const char *name = inp_model_find_input_with_role (self->model, prompt_roles[i]);
      GtkTextView *view = view_for_role (self, prompt_roles[i]);
      g_autofree char *text = NULL;
      InpInputField *field;

      view_unmark (self, view);
      if (name == NULL)
        continue;
      field = inp_input_schema_lookup (inp_model_get_schema (self->model), name);
      text = dup_view_text (view);
      if (*text == '\0' && inp_input_field_is_required (field))
        g_ptr_array_add (problems,
                         inp_field_error_new (name,
                                              prompt_roles[i] == INP_INPUT_ROLE_PROMPT_END
                                              ? _("Write where the animation should end")
                                              : _("Write a prompt first")));
    }

  if (problems->len == 0)
    return TRUE;

  first = g_ptr_array_index (problems, 0);
  inp_prompt_panel_mark_errors (self, problems);
  gtk_widget_grab_focus (GTK_WIDGET (view_for_role (self,
                                                    inp_model_get_input_role (self->model,
                                                                              first->field))));
  g_propagate_error (error, inp_error_new_with_fields (INP_ERROR_INVALID_INPUT, problems,
                                                       "%s", first->message));
  return FALSE;
}

/**
 * inp_prompt_panel_remember_prompt:
 *
 * Puts the main prompt at the top of the recent prompts (kept in GSettings, newest first, each
 * once, at most twenty). Call it when a generation starts.
 */
void
inp_prompt_panel_remember_prompt (InpPromptPanel *self)
{
  g_auto(GStrv) recent = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;
  g_autofree char *text = NULL;
  guint kept = 1;

  g_return_if_fail (INP_IS_PROMPT_PANEL (self));

  text = dup_view_text (self->prompt_view);
  if (*text == '\0')
    return;

  recent = g_settings_get_strv (self->settings, "recent-prompts");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, text);
  for (guint i = 0; recent[i] != NULL && kept < RECENT_MAX; i++)
    if (!g_str_equal (recent[i], text))
      {
        g_strv_builder_add (builder, recent[i]);
        kept++;
      }

  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-prompts", (const char * const *) updated);
}

/* GObject */

static void
inp_prompt_panel_dispose (GObject *object)
{
  InpPromptPanel *self = INP_PROMPT_PANEL (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_PROMPT_PANEL);

  g_clear_object (&self->model);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (inp_prompt_panel_parent_class)->dispose (object);
}

static void
inp_prompt_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  InpPromptPanel *self = INP_PROMPT_PANEL (object);

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
inp_prompt_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  InpPromptPanel *self = INP_PROMPT_PANEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      inp_prompt_panel_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_prompt_panel_class_init (InpPromptPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inp_prompt_panel_dispose;
  object_class->get_property = inp_prompt_panel_get_property;
  object_class->set_property = inp_prompt_panel_set_property;

  /**
   * InpPromptPanel:model:
   *
   * The model the prompts are for; it decides which prompt fields show.
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, INP_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-prompt-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, prompt_group);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, end_group);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, negative_group);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, end_view);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, negative_view);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, recent_button);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, recent_popover);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, recent_list);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, recent_empty_label);
  gtk_widget_class_bind_template_child (widget_class, InpPromptPanel, clear_recent_button);
  gtk_widget_class_bind_template_callback (widget_class, recent_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_recent_cb);
}

static void
inp_prompt_panel_init (InpPromptPanel *self)
{
  GtkEventController *shortcuts;
  GtkShortcutTrigger *trigger;

  gtk_widget_init_template (GTK_WIDGET (self));
  inp_a11y_name_inner_buttons (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_swapped (self->settings, "changed::recent-prompts",
                            G_CALLBACK (recent_changed_cb), self);
  recent_changed_cb (self);

  for (guint i = 0; i < G_N_ELEMENTS (prompt_roles); i++)
    {
      GtkTextView *view = view_for_role (self, prompt_roles[i]);

      g_signal_connect_object (gtk_text_view_get_buffer (view), "changed",
                               G_CALLBACK (buffer_changed_cb), view, 0);
    }

  /* Captured before the text views see the key, which would otherwise insert a new line. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  trigger = gtk_alternative_trigger_new (gtk_shortcut_trigger_parse_string ("<Control>Return"),
                                         gtk_shortcut_trigger_parse_string ("<Control>KP_Enter"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger,
                                                          gtk_named_action_new ("win.generate")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  update_for_model (self);
}
