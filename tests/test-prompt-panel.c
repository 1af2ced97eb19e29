/* test-prompt-panel.c: prompts under each model's own names, Ctrl+Enter, recent prompts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-prompt-panel.h"
#include "inp-test-models.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

typedef struct
{
  GtkWidget      *window;
  InpPromptPanel *panel;
  guint           generated;
} Fixture;

static void
generate_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  Fixture *fixture = user_data;

  fixture->generated++;
}

/* A window with a `win.generate` action, as InpWindow will have. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) generate = g_simple_action_new ("generate", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "recent-prompts");
  g_signal_connect (generate, "activate", G_CALLBACK (generate_cb), fixture);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (generate));

  fixture->generated = 0;
  fixture->panel = g_object_ref_sink (INP_PROMPT_PANEL (inp_prompt_panel_new ()));
  fixture->window = gtk_window_new ();
  gtk_widget_insert_action_group (fixture->window, "win", G_ACTION_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->panel));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 340, 480);
  gtk_window_present (GTK_WINDOW (fixture->window));
  inp_test_wait_for_frame (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->panel);
}

/* The panel's text views, in the order prompt, end prompt, negative prompt. */
static void
collect_views (GtkWidget  *widget,
               GPtrArray  *views)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TEXT_VIEW (child))
        g_ptr_array_add (views, child);
      else
        collect_views (child, views);
    }
}

static GtkTextView *
view_at (InpPromptPanel *panel,
         guint           index)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  collect_views (GTK_WIDGET (panel), views);
  g_assert_cmpuint (views->len, ==, 3);
  return g_ptr_array_index (views, index);
}

static void
set_view_text (InpPromptPanel *panel,
               guint           index,
               const char     *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view_at (panel, index)), text, -1);
}

static gboolean
view_shown (InpPromptPanel *panel,
            guint           index)
{
  GtkWidget *view = GTK_WIDGET (view_at (panel, index));

  return gtk_widget_is_drawable (view) && gtk_widget_is_sensitive (view);
}

#define NEGATIVE_AND_PROMPT "{\"negative_prompt\":\"N\",\"prompt\":\"P\"}"

static void
test_fields (Fixture       *fixture,
             gconstpointer  data)
{
  struct {
    const char *id;
    const char *expected;   /* the input written, as compact JSON with sorted members */
    gboolean    negative;
    gboolean    end;
  } cases[] = {
    { "stability-ai/stable-diffusion-inpainting", NEGATIVE_AND_PROMPT, TRUE, FALSE },
    { "stability-ai/sdxl", NEGATIVE_AND_PROMPT, TRUE, FALSE },
    { "black-forest-labs/flux-fill-dev", "{\"prompt\":\"P\"}", FALSE, FALSE },
    { "black-forest-labs/flux-fill-pro", "{\"prompt\":\"P\"}", FALSE, FALSE },
    { "stability-ai/stable-diffusion", NEGATIVE_AND_PROMPT, TRUE, FALSE },
    { "lucataco/flux-schnell-lora", "{\"prompt\":\"P\"}", FALSE, FALSE },
    { "lucataco/flux-dev-lora", "{\"prompt\":\"P\"}", FALSE, FALSE },
    { "stability-ai/stable-diffusion-img2img", NEGATIVE_AND_PROMPT, TRUE, FALSE },
    { "sujaykhandekar/object-removal", "{}", FALSE, FALSE },
    { "cjwbw/rembg", "{}", FALSE, FALSE },
    { "andreasjansson/stable-diffusion-animation", "{\"prompt_end\":\"E\",\"prompt_start\":\"P\"}",
      FALSE, TRUE },
    { "lucataco/animate-diff", "{\"n_prompt\":\"N\",\"prompt\":\"P\"}", TRUE, FALSE },
  };
  InpPromptPanel *panel = fixture->panel;

  set_view_text (panel, 0, "  P \n");
  set_view_text (panel, 1, "E");
  set_view_text (panel, 2, "N");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GList) names = NULL;
      g_autofree char *written = NULL;
      JsonObject *sorted = json_object_new ();

      g_test_message ("%s", cases[i].id);
      inp_prompt_panel_set_model (panel, inp_test_lookup_model (cases[i].id));
      inp_test_wait_for_frame (fixture->window);
      g_assert_cmpint (view_shown (panel, 0), ==, g_strcmp0 (cases[i].expected, "{}") != 0);
      g_assert_cmpint (view_shown (panel, 1), ==, cases[i].end);
      g_assert_cmpint (view_shown (panel, 2), ==, cases[i].negative);

      inp_prompt_panel_fill_input (panel, input);
      names = g_list_sort (json_object_get_members (input), (GCompareFunc) g_strcmp0);
      for (const GList *l = names; l != NULL; l = l->next)
        json_object_set_member (sorted, l->data,
                                json_node_copy (json_object_get_member (input, l->data)));
      node = json_node_init_object (json_node_alloc (), sorted);
      json_object_unref (sorted);
      written = json_to_string (node, FALSE);
      g_assert_cmpstr (written, ==, cases[i].expected);
    }

  /* Text typed stays through model changes, even where a model has no use for it. */
  {
    g_autofree char *prompt = inp_prompt_panel_dup_prompt (panel);

    g_assert_cmpstr (prompt, ==, "P");
  }

  /* An earlier job's prompts come back under the model's names. */
  {
    g_autoptr(JsonObject) input = json_object_new ();
    g_autoptr(JsonObject) again = json_object_new ();

    inp_prompt_panel_set_model (panel, inp_test_lookup_model ("lucataco/animate-diff"));
    json_object_set_string_member (input, "prompt", "a koi pond");
    json_object_set_string_member (input, "n_prompt", "blurry");
    inp_prompt_panel_set_from_input (panel, input);
    inp_prompt_panel_fill_input (panel, again);
    g_assert_cmpstr (json_object_get_string_member (again, "prompt"), ==, "a koi pond");
    g_assert_cmpstr (json_object_get_string_member (again, "n_prompt"), ==, "blurry");
  }
}

/* The Ctrl+Enter shortcut, as the panel declares it. */
static GtkShortcut *
find_generate_shortcut (InpPromptPanel *panel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (panel));
  g_autoptr(GtkShortcutTrigger) ctrl_return = gtk_shortcut_trigger_parse_string ("<Control>Return");

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==,
                       GTK_PHASE_CAPTURE);
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
            trigger = gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger));
          if (gtk_shortcut_trigger_equal (trigger, ctrl_return))
            return g_steal_pointer (&shortcut);
        }
    }

  return NULL;
}

static void
test_ctrl_enter (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GtkShortcut) shortcut = find_generate_shortcut (fixture->panel);
  GtkShortcutAction *action;
  GtkTextView *view = view_at (fixture->panel, 0);

  g_assert_nonnull (shortcut);
  action = gtk_shortcut_get_action (shortcut);
  g_assert_true (GTK_IS_NAMED_ACTION (action));
  g_assert_cmpstr (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), ==,
                   "win.generate");

  /* Activated from the focused text view, the action is found up the widget tree in the window. */
  gtk_widget_grab_focus (GTK_WIDGET (view));
  g_assert_true (gtk_shortcut_action_activate (action, 0, GTK_WIDGET (view), NULL));
  g_assert_cmpuint (fixture->generated, ==, 1);

  /* Ctrl+Enter generates; it does not add a line to the prompt. */
  {
    GtkTextIter start;
    GtkTextIter end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
    text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "");
  }
}

static void
push_children (GPtrArray *stack,
               GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (stack, child);
}

static guint
recent_rows (InpPromptPanel *panel,
             GtkListBox    **list_out)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  GtkWidget *button = NULL;
  GtkPopover *popover;
  GtkListBox *list = NULL;
  guint n = 0;

  /* The recent-prompts button is the panel's only menu button. */
  g_ptr_array_add (stack, panel);
  while (stack->len > 0 && button == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_MENU_BUTTON (widget))
        button = widget;
      push_children (stack, widget);
    }
  g_assert_nonnull (button);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));

  g_ptr_array_set_size (stack, 0);
  g_ptr_array_add (stack, popover);
  while (stack->len > 0 && list == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_LIST_BOX (widget))
        list = GTK_LIST_BOX (widget);
      push_children (stack, widget);
    }
  g_assert_nonnull (list);

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  if (list_out != NULL)
    *list_out = list;
  return n;
}

static void
test_recent (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  InpPromptPanel *panel = fixture->panel;
  g_auto(GStrv) recent = NULL;
  GtkListBox *list;

  g_assert_cmpuint (recent_rows (panel, NULL), ==, 0);

  inp_prompt_panel_set_prompt (panel, "a red fox");
  inp_prompt_panel_remember_prompt (panel);
  inp_prompt_panel_set_prompt (panel, "a lighthouse at dusk");
  inp_prompt_panel_remember_prompt (panel);
  inp_prompt_panel_set_prompt (panel, " a red fox ");
  inp_prompt_panel_remember_prompt (panel);
  inp_prompt_panel_set_prompt (panel, "   ");
  inp_prompt_panel_remember_prompt (panel);

  /* Newest first, each once, blank prompts never. */
  recent = g_settings_get_strv (settings, "recent-prompts");
  g_assert_cmpuint (g_strv_length (recent), ==, 2);
  g_assert_cmpstr (recent[0], ==, "a red fox");
  g_assert_cmpstr (recent[1], ==, "a lighthouse at dusk");
  g_assert_cmpuint (recent_rows (panel, &list), ==, 2);

  /* Choosing one puts it back in the prompt. */
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 1));
  {
    g_autofree char *prompt = inp_prompt_panel_dup_prompt (panel);

    g_assert_cmpstr (prompt, ==, "a lighthouse at dusk");
  }

  /* The list is capped. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *text = g_strdup_printf ("prompt number %u", i);

      inp_prompt_panel_set_prompt (panel, text);
      inp_prompt_panel_remember_prompt (panel);
    }
  g_clear_pointer (&recent, g_strfreev);
  recent = g_settings_get_strv (settings, "recent-prompts");
  g_assert_cmpuint (g_strv_length (recent), ==, 20);
  g_assert_cmpstr (recent[0], ==, "prompt number 29");
  g_assert_cmpstr (recent[19], ==, "prompt number 10");
  g_assert_cmpuint (recent_rows (panel, NULL), ==, 20);
}

static const char *
first_field (const GError *error)
{
  GPtrArray *fields = inp_error_get_fields (error);

  g_assert_nonnull (fields);
  g_assert_cmpuint (fields->len, >, 0);
  return ((InpFieldError *) g_ptr_array_index (fields, 0))->field;
}

static void
test_validate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  InpPromptPanel *panel = fixture->panel;

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_field_error_free);

  /* FLUX Fill requires a prompt; an empty one is marked before anything is sent. */
  inp_prompt_panel_set_model (panel, inp_test_lookup_model ("black-forest-labs/flux-fill-dev"));
  g_assert_false (inp_prompt_panel_validate (panel, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_assert_cmpstr (first_field (error), ==, "prompt");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (view_at (panel, 0)), "error"));
  inp_test_wait_for_frame (fixture->window);
  set_view_text (panel, 0, "a stone bridge");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (view_at (panel, 0)), "error"));
  g_assert_true (inp_prompt_panel_validate (panel, NULL));

  /* Stable Diffusion has a default prompt: an empty one is allowed. */
  set_view_text (panel, 0, "");
  inp_prompt_panel_set_model (panel, inp_test_lookup_model ("stability-ai/stable-diffusion"));
  g_assert_true (inp_prompt_panel_validate (panel, NULL));

  /* The animation needs both ends. */
  inp_prompt_panel_set_model (panel,
                              inp_test_lookup_model ("andreasjansson/stable-diffusion-animation"));
  set_view_text (panel, 0, "a seed");
  g_clear_error (&error);
  g_assert_false (inp_prompt_panel_validate (panel, &error));
  g_assert_cmpstr (first_field (error), ==, "prompt_end");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (view_at (panel, 1)), "error"));

  /* A 422 naming the negative prompt marks it; other fields are the form's. */
  inp_prompt_panel_set_model (panel, inp_test_lookup_model ("stability-ai/sdxl"));
  g_ptr_array_add (fields, inp_field_error_new ("negative_prompt",
                                                "Length must be <= 500 & plain text"));
  g_ptr_array_add (fields, inp_field_error_new ("num_outputs", "Must be less than or equal to 4"));
  g_assert_cmpuint (inp_prompt_panel_mark_errors (panel, fields), ==, 1);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (view_at (panel, 2)), "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (view_at (panel, 0)), "error"));
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  /* Without a display, inp_test_ui_add_func() reports a skip. */
  if (gdk_display_get_default () == NULL)
    {
      inp_test_ui_add_func (path, NULL);
      return;
    }
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  inp_test_ui_init (&argc, &argv);

  add_test ("/ui/prompt-panel/fields", test_fields);
  add_test ("/ui/prompt-panel/ctrl-enter", test_ctrl_enter);
  add_test ("/ui/prompt-panel/recent", test_recent);
  add_test ("/ui/prompt-panel/validate", test_validate);

  return g_test_run ();
}
