/* test-model-picker.c: choosing a model, searching, grouping, and what the canvas lacks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-catalog.h"
#include "inp-model-picker-private.h"
#include "inp-test-models.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

static const char * const group_titles[] = {
  "Inpaint & Fill", "Generate", "Image to Image", "Remove Object", "Remove Background", "Animate",
  "Added by You",
};

static InpModelPicker *
new_picker (GtkWidget **window)
{
  InpModelPicker *picker = INP_MODEL_PICKER (inp_model_picker_new ());

  g_object_ref_sink (picker);
  *window = inp_test_present (GTK_WIDGET (picker), 340, 200);
  return picker;
}

static void
finish (GtkWidget      *window,
        InpModelPicker *picker)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (picker);
}

/* The ids a group shows, comma-separated, in order. */
static char *
group_ids (InpModelPicker *picker,
           guint           index)
{
  GListModel *group = inp_model_picker_get_group (picker, index, NULL, NULL);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (group); i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (group, i);

      if (i > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, inp_model_get_id (model));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static gboolean
group_shown (InpModelPicker *picker,
             guint           index)
{
  GtkWidget *list;

  inp_model_picker_get_group (picker, index, NULL, &list);
  return gtk_widget_get_visible (list);
}

static void
test_groups (void)
{
  GtkWidget *window;
  InpModelPicker *picker = new_picker (&window);
  guint total = 0;

  g_assert_cmpuint (inp_model_picker_get_n_groups (picker), ==, G_N_ELEMENTS (group_titles));
  for (guint i = 0; i < G_N_ELEMENTS (group_titles); i++)
    {
      const char *title;
      GListModel *group = inp_model_picker_get_group (picker, i, &title, NULL);

      g_assert_cmpstr (title, ==, group_titles[i]);
      total += g_list_model_get_n_items (group);
    }
  g_assert_cmpuint (total, ==, 12);

  {
    g_autofree char *inpaint = group_ids (picker, 0);
    g_autofree char *generate = group_ids (picker, 1);
    g_autofree char *img2img = group_ids (picker, 2);
    g_autofree char *remove_object = group_ids (picker, 3);
    g_autofree char *rembg = group_ids (picker, 4);
    g_autofree char *animate = group_ids (picker, 5);
    g_autofree char *added = group_ids (picker, 6);

    g_assert_cmpstr (inpaint, ==, "stability-ai/stable-diffusion-inpainting,stability-ai/sdxl,"
                                  "black-forest-labs/flux-fill-dev,"
                                  "black-forest-labs/flux-fill-pro");
    g_assert_cmpstr (generate, ==, "stability-ai/stable-diffusion,lucataco/flux-schnell-lora,"
                                   "lucataco/flux-dev-lora");
    g_assert_cmpstr (img2img, ==, "stability-ai/stable-diffusion-img2img");
    g_assert_cmpstr (remove_object, ==, "sujaykhandekar/object-removal");
    g_assert_cmpstr (rembg, ==, "cjwbw/rembg");
    g_assert_cmpstr (animate, ==,
                     "andreasjansson/stable-diffusion-animation,lucataco/animate-diff");
    g_assert_cmpstr (added, ==, "");
  }

  for (guint i = 0; i < 6; i++)
    g_assert_true (group_shown (picker, i));
  g_assert_false (group_shown (picker, 6));

  finish (window, picker);
}

typedef struct
{
  const char *text;
  gboolean    changed;
} SearchWait;

/* Replacing the text first empties it, which the entry reports at once; wait for the new text. */
static void
search_changed_cb (GtkSearchEntry *entry,
                   SearchWait     *wait)
{
  if (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), wait->text))
    wait->changed = TRUE;
}

static void
search (InpModelPicker *picker,
        const char     *text)
{
  GtkWidget *entry = inp_model_picker_get_search_entry (picker);
  SearchWait wait = { text, FALSE };
  gulong handler;

  handler = g_signal_connect (entry, "search-changed", G_CALLBACK (search_changed_cb), &wait);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  inp_test_wait_for (&wait.changed, 5000);
  g_signal_handler_disconnect (entry, handler);
}

static void
test_search (void)
{
  GtkWidget *window;
  InpModelPicker *picker = new_picker (&window);
  GtkWidget *popover = inp_model_picker_get_popover (picker);
  GtkWidget *search_entry;

  gtk_popover_popup (GTK_POPOVER (popover));
  inp_test_wait_for_frame (popover);

  search (picker, "REMBG");
  for (guint i = 0; i < 7; i++)
    g_assert_cmpint (group_shown (picker, i), ==, i == 4);

  /* Ids match as well as titles. */
  search (picker, "flux-fill");
  {
    g_autofree char *inpaint = group_ids (picker, 0);

    g_assert_cmpstr (inpaint, ==,
                     "black-forest-labs/flux-fill-dev,black-forest-labs/flux-fill-pro");
    for (guint i = 1; i < 7; i++)
      g_assert_false (group_shown (picker, i));
  }

  /* Every word must match, in any order, in the title, the id or the description. */
  search (picker, "outpainting FLUX");
  {
    g_autofree char *inpaint = group_ids (picker, 0);

    g_assert_cmpstr (inpaint, ==, "black-forest-labs/flux-fill-pro");
  }

  search (picker, "no such model anywhere");
  for (guint i = 0; i < 7; i++)
    g_assert_false (group_shown (picker, i));

  /* Enter takes the first match. */
  search (picker, "animate-diff");
  g_signal_emit_by_name (inp_model_picker_get_search_entry (picker), "activate");
  g_assert_cmpstr (inp_model_get_id (inp_model_picker_get_selected_model (picker)), ==,
                   "lucataco/animate-diff");

  /* Opening the picker again starts a new search; activating a row chooses its model. */
  gtk_popover_popup (GTK_POPOVER (popover));
  search_entry = inp_model_picker_get_search_entry (picker);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry)), ==, "");
  for (guint i = 0; i < 6; i++)
    g_assert_true (group_shown (picker, i));
  {
    GtkWidget *list;
    GtkListBoxRow *row;

    inp_model_picker_get_group (picker, 2, NULL, &list);
    row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
    g_signal_emit_by_name (list, "row-activated", row);
    g_assert_cmpstr (inp_model_get_id (inp_model_picker_get_selected_model (picker)), ==,
                     "stability-ai/stable-diffusion-img2img");
  }
  g_assert_false (gtk_widget_get_visible (popover));

  finish (window, picker);
}

static void
test_blockers (void)
{
  GtkWidget *window;
  InpModelPicker *picker = new_picker (&window);
  struct {
    const char *id;
    const char *without_anything;
    const char *with_image_only;
  } cases[] = {
    { "stability-ai/stable-diffusion-inpainting", "Open an image first", "Paint a mask first" },
    { "stability-ai/sdxl", "Open an image first", "Paint a mask first" },
    { "black-forest-labs/flux-fill-dev", "Open an image first", "Paint a mask first" },
    { "black-forest-labs/flux-fill-pro", "Open an image first", "Paint a mask first" },
    { "stability-ai/stable-diffusion", NULL, NULL },
    { "lucataco/flux-schnell-lora", NULL, NULL },
    { "lucataco/flux-dev-lora", NULL, NULL },
    { "stability-ai/stable-diffusion-img2img", "Open an image first", NULL },
    { "sujaykhandekar/object-removal", "Open an image first", NULL },
    { "cjwbw/rembg", "Open an image first", NULL },
    { "andreasjansson/stable-diffusion-animation", NULL, NULL },
    { "lucataco/animate-diff", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      InpModel *model = inp_test_lookup_model (cases[i].id);
      g_autofree char *none = NULL;
      g_autofree char *image = NULL;
      g_autofree char *both = NULL;

      inp_model_picker_set_canvas_state (picker, FALSE, FALSE);
      none = inp_model_picker_dup_blocker (picker, model);
      inp_model_picker_set_canvas_state (picker, TRUE, FALSE);
      image = inp_model_picker_dup_blocker (picker, model);
      inp_model_picker_set_canvas_state (picker, TRUE, TRUE);
      both = inp_model_picker_dup_blocker (picker, model);

      g_test_message ("%s", cases[i].id);
      g_assert_cmpstr (none, ==, cases[i].without_anything);
      g_assert_cmpstr (image, ==, cases[i].with_image_only);
      g_assert_null (both);
    }

  /* A model the canvas cannot serve can still be chosen, and says why it cannot run yet. */
  inp_model_picker_set_canvas_state (picker, FALSE, FALSE);
  inp_model_picker_set_selected_model (picker, inp_test_lookup_model ("cjwbw/rembg"));
  g_assert_true (inp_model_picker_get_selected_model (picker)
                 == inp_test_lookup_model ("cjwbw/rembg"));
  {
    AdwActionRow *row = ADW_ACTION_ROW (inp_model_picker_get_current_row (picker));

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                     inp_model_get_title (inp_test_lookup_model ("cjwbw/rembg")));
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Open an image first");
    inp_test_wait_for_frame (window);

    inp_model_picker_set_canvas_state (picker, TRUE, FALSE);
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                     inp_model_get_description (inp_test_lookup_model ("cjwbw/rembg")));
  }

  finish (window, picker);
}

static void
add_requested_cb (InpModelPicker  *picker,
                  const char      *name,
                  char           **requested)
{
  g_free (*requested);
  *requested = g_strdup (name);
}

static void
test_add_and_remove (void)
{
  g_autoptr(InpModel) model = inp_test_new_added_model ();
  g_autofree char *requested = NULL;
  GtkWidget *window;
  InpModelPicker *picker = new_picker (&window);
  GtkWidget *entry = inp_model_picker_get_add_entry (picker);
  GListModel *added;

  g_signal_connect (picker, "add-model-requested", G_CALLBACK (add_requested_cb), &requested);

  /* A name that is not owner/name is refused in place, and kept to be corrected. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "just-a-name");
  g_signal_emit_by_name (entry, "activate");
  g_assert_null (requested);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "just-a-name");

  gtk_editable_set_text (GTK_EDITABLE (entry), " https://replicate.com/someone/controlnet-fill ");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (requested, ==, "someone/controlnet-fill");

  /* The window fetched it; a failure is shown where the name was typed. */
  inp_model_picker_show_add_error (picker, "No model someone/controlnet-fill");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));

  inp_model_picker_add_model (picker, model);
  g_assert_true (inp_model_picker_get_selected_model (picker) == model);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  {
    g_autofree char *ids = group_ids (picker, 6);

    g_assert_cmpstr (ids, ==, "someone/controlnet-fill");
    g_assert_true (group_shown (picker, 6));
  }

  /* Adding it again does not list it twice; a catalogue model is only chosen. */
  inp_model_picker_add_model (picker, model);
  inp_model_picker_add_model (picker, inp_test_lookup_model ("cjwbw/rembg"));
  g_assert_true (inp_model_picker_get_selected_model (picker)
                 == inp_test_lookup_model ("cjwbw/rembg"));
  added = inp_model_picker_get_group (picker, 6, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (added), ==, 1);

  /* Fetched again with a newer version, it takes the old one's place and is chosen. */
  {
    g_autoptr(JsonObject) object = inp_model_dup_api_json (model);
    g_autoptr(InpModel) newer = NULL;
    g_autoptr(InpModel) listed = NULL;
    g_autoptr(GError) error = NULL;

    json_object_set_string_member (json_object_get_object_member (object, "latest_version"), "id",
                                   "fedcba9876543210fedcba9876543210"
                                   "fedcba9876543210fedcba9876543210");
    newer = inp_model_new_from_api (object, &error);
    g_assert_no_error (error);
    inp_model_picker_add_model (picker, newer);
    g_assert_cmpuint (g_list_model_get_n_items (added), ==, 1);
    listed = g_list_model_get_item (added, 0);
    g_assert_true (listed == newer);
    g_assert_true (inp_model_picker_get_selected_model (picker) == newer);
    inp_model_picker_add_model (picker, model);
  }

  /* Removing the chosen model falls back to the catalogue. */
  inp_model_picker_set_selected_model (picker, model);
  inp_model_picker_remove_model (picker, model);
  g_assert_cmpuint (g_list_model_get_n_items (added), ==, 0);
  g_assert_false (group_shown (picker, 6));
  g_assert_cmpstr (inp_model_get_id (inp_model_picker_get_selected_model (picker)), ==,
                   "stability-ai/stable-diffusion-inpainting");

  finish (window, picker);
}

static void
test_remembered (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *stored = NULL;
  GtkWidget *window;
  InpModelPicker *picker = new_picker (&window);

  inp_model_picker_set_selected_model (picker, inp_test_lookup_model ("cjwbw/rembg"));
  stored = g_settings_get_string (settings, "selected-model");
  g_assert_cmpstr (stored, ==, "cjwbw/rembg");
  finish (window, picker);

  picker = new_picker (&window);
  g_assert_cmpstr (inp_model_get_id (inp_model_picker_get_selected_model (picker)), ==,
                   "cjwbw/rembg");
  finish (window, picker);

  /* A remembered model that no longer exists gives way to the first one. */
  g_settings_set_string (settings, "selected-model", "gone/model");
  picker = new_picker (&window);
  g_assert_cmpstr (inp_model_get_id (inp_model_picker_get_selected_model (picker)), ==,
                   "stability-ai/stable-diffusion-inpainting");
  finish (window, picker);
}

int
main (int   argc,
      char *argv[])
{
  inp_test_ui_init (&argc, &argv);

  inp_test_ui_add_func ("/ui/model-picker/groups", test_groups);
  inp_test_ui_add_func ("/ui/model-picker/search", test_search);
  inp_test_ui_add_func ("/ui/model-picker/blockers", test_blockers);
  inp_test_ui_add_func ("/ui/model-picker/add-and-remove", test_add_and_remove);
  inp_test_ui_add_func ("/ui/model-picker/remembered", test_remembered);

  return g_test_run ();
}
