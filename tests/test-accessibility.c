/* test-accessibility.c: every control of every window has a name a screen reader can speak
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs with GTK_A11Y=test, so each widget's accessible attributes are kept in a test context
 * that gtk_test_accessible_*() can read back.
 *
 * The rule for "named" is the one GTK 4.8's AT-SPI backend applies when it answers a screen
 * reader's request for a name (gtk_at_context_get_name): the widget's own LABEL property, then
 * the LABEL property of each widget its LABELLED_BY relation points at. Nothing else counts:
 *  - a tooltip becomes the DESCRIPTION, which is read after the name, not instead of it;
 *  - a button labels itself by its child, so an icon-only button points at a GtkImage that has
 *    no label, and GTK falls back to speaking the type name ("GtkImage"), which names nothing.
 * A GtkButton or GtkCheckButton with a text label, a GtkLabel and the rows of libadwaita all
 * set LABEL or LABELLED_BY themselves, so they pass without help.
 *
 * Which widgets must have a name: every mapped widget, not marked hidden, whose role is one a
 * user operates (buttons, toggles, checks, switches, text boxes, spin buttons, sliders, combo
 * boxes, menu items, tabs, links), every list row that activates, and every focusable widget of
 * our own, such as the mask canvas. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "inp-catalog.h"
#include "inp-gallery.h"
#include "inp-mask-canvas-private.h"
#include "inp-model-picker-private.h"
#include "inp-preferences-window.h"
#include "inp-result-viewer.h"
#include "inp-test-media.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-window.h"

typedef struct
{
  GHashTable *widgets;
  GString    *report;
  guint       n_checked;
  guint       n_unnamed;
} Walk;

static gboolean
has_nonempty_label (GtkAccessible *accessible)
{
  g_autofree char *differs = NULL;

  if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;

  /* check_property answers NULL when the value equals the expected one, here "". */
  differs = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return differs != NULL && differs[strspn (differs, " \t\n")] != '\0';
}

static gboolean
is_hidden (GtkAccessible *accessible)
{
  g_autofree char *differs = NULL;

  if (!gtk_test_accessible_has_state (accessible, GTK_ACCESSIBLE_STATE_HIDDEN))
    return FALSE;

  differs = gtk_test_accessible_check_state (accessible, GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
  return differs == NULL;
}

/* GTK 4.8 has no public getter for a relation's targets; the test context prints a reference
 * list as "TypeName<0xADDRESS> …", and the addresses are looked up among the walked widgets. */
static gboolean
labelled_by_named (Walk          *walk,
                   GtkAccessible *accessible)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *targets = NULL;

  if (!gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return FALSE;

  targets = gtk_test_accessible_check_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                NULL);
  if (targets == NULL)
    return FALSE;

  regex = g_regex_new ("<(0x[0-9a-fA-F]+)>", 0, 0, NULL);
  g_regex_match (regex, targets, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *address = g_match_info_fetch (match, 1);
      gpointer target = GSIZE_TO_POINTER (g_ascii_strtoull (address, NULL, 16));

      if (g_hash_table_contains (walk->widgets, target)
          && has_nonempty_label (GTK_ACCESSIBLE (target)))
        return TRUE;
      g_match_info_next (match, NULL);
    }

  return FALSE;
}

static gboolean
must_be_named (GtkWidget *widget)
{
  switch ((int) gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TAB:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
      return TRUE;

    case GTK_ACCESSIBLE_ROLE_GRID_CELL:
    case GTK_ACCESSIBLE_ROLE_LIST_ITEM:
      /* A list box row that activates, and every cell of a grid or list view the user can
       * move through (a combo row's list of one, which only shows the choice, is not). */
      if (GTK_IS_LIST_BOX_ROW (widget))
        return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget));
      return (GTK_IS_GRID_VIEW (gtk_widget_get_parent (widget))
              || GTK_IS_LIST_VIEW (gtk_widget_get_parent (widget)))
             && gtk_widget_get_can_focus (gtk_widget_get_parent (widget))
             && gtk_widget_get_can_target (gtk_widget_get_parent (widget));

    case GTK_ACCESSIBLE_ROLE_NONE:
    case GTK_ACCESSIBLE_ROLE_PRESENTATION:
      return FALSE;

    default:
      /* Our own focusable widgets; GTK's generic containers take focus only to pass it on. */
      return gtk_widget_get_focusable (widget)
             && g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Inp");
    }
}

static char *
widget_path (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));
      g_autofree char *step = g_strdup_printf ("%s(%s)%s%s%s", G_OBJECT_TYPE_NAME (w),
                                               gtk_widget_get_css_name (w),
                                               id != NULL ? "#" : "", id != NULL ? id : "",
                                               w == widget ? "" : " > ");

      g_string_prepend (path, step);
    }

  return g_string_free (path, FALSE);
}

static void
collect_widgets (Walk      *walk,
                 GtkWidget *widget)
{
  g_hash_table_add (walk->widgets, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (walk, child);
}

static void
check_widget (Walk      *walk,
              GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (!gtk_widget_get_mapped (widget) || is_hidden (accessible))
    return;

  if (must_be_named (widget))
    {
      walk->n_checked++;
      if (!has_nonempty_label (accessible) && !labelled_by_named (walk, accessible))
        {
          g_autofree char *path = widget_path (widget);
          const char *tooltip = gtk_widget_get_tooltip_text (widget);

          walk->n_unnamed++;
          g_string_append_printf (walk->report, "  unnamed: %s%s%s%s\n", path,
                                  tooltip != NULL ? " (tooltip “" : "",
                                  tooltip != NULL ? tooltip : "", tooltip != NULL ? "”)" : "");
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_widget (walk, child);
}

/* Returns the report of unnamed controls under @root (empty when all are named), and how many
 * controls were checked. */
static char *
find_unnamed (GtkWidget *root,
              guint     *n_checked)
{
  Walk walk = { 0 };

  walk.widgets = g_hash_table_new (NULL, NULL);
  walk.report = g_string_new (NULL);
  collect_widgets (&walk, root);
  check_widget (&walk, root);
  g_hash_table_unref (walk.widgets);

  if (n_checked != NULL)
    *n_checked = walk.n_checked;
  return g_string_free (walk.report, FALSE);
}

static void
assert_all_named (GtkWidget  *root,
                  const char *scene)
{
  guint n_checked = 0;
  g_autofree char *report = NULL;

  inp_test_wait_for_frame (root);
  report = find_unnamed (root, &n_checked);
  g_test_message ("%s: %u controls checked", scene, n_checked);
  g_assert_cmpuint (n_checked, >, 0);
  if (*report != '\0')
    g_error ("%s: controls without an accessible name:\n%s", scene, report);
}

/* The checker itself: an icon-only button, even with a tooltip, is reported; the same button
 * with an accessible label, a labelled button and a labelled entry are not. */
static void
test_checker_self_check (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *icon_button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *text_button = gtk_button_new_with_label ("Copy");
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *window;
  g_autofree char *report = NULL;
  guint n_checked = 0;

  gtk_widget_set_tooltip_text (icon_button, "Copy");
  gtk_box_append (GTK_BOX (box), icon_button);
  gtk_box_append (GTK_BOX (box), text_button);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, "Name",
                                  -1);
  window = inp_test_present (box, 200, 200);

  report = find_unnamed (window, &n_checked);
  g_assert_cmpuint (n_checked, ==, 3);
  g_assert_true (g_str_has_prefix (report, "  unnamed: GtkWindow(window) > "));
  g_assert_true (g_str_has_suffix (report, " > GtkButton(button) (tooltip “Copy”)\n"));
  g_assert_null (strstr (report, "\n  unnamed"));
  g_clear_pointer (&report, g_free);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Copy", -1);
  report = find_unnamed (window, NULL);
  g_assert_cmpstr (report, ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
expected_description (InpMaskCanvas *canvas,
                      const char    *tool,
                      const char    *coverage)
{
  return g_strdup_printf ("%s, %d px, zoom %d %%. %s", tool,
                          (int) round (inp_mask_canvas_get_brush_size (canvas)),
                          (int) round (inp_mask_canvas_get_zoom (canvas) * 100.0), coverage);
}

#define assert_description(canvas, tool, coverage) \
  G_STMT_START { \
    g_autofree char *expected__ = expected_description ((canvas), (tool), (coverage)); \
    gtk_test_accessible_assert_property ((canvas), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, \
                                         expected__); \
  } G_STMT_END

static void
stroke (InpMaskCanvas *canvas,
        double         x0,
        double         y0,
        double         x1,
        double         y1,
        gboolean       lift)
{
  InpPointerSample a = { 0, 0, 1.0 };
  InpPointerSample b = { 0, 0, 1.0 };

  inp_mask_canvas_image_to_widget (canvas, x0, y0, &a.x, &a.y);
  inp_mask_canvas_image_to_widget (canvas, x1, y1, &b.x, &b.y);
  _inp_mask_canvas_pointer_down (canvas, &a, FALSE, 0);
  _inp_mask_canvas_pointer_motion (canvas, &b, 1);
  if (lift)
    _inp_mask_canvas_pointer_up (canvas);
}

/* The canvas says what it is, and keeps saying which tool, how big, how near and how much of
 * the picture is masked: after strokes, undo, tool and zoom changes, and changes from outside. */
static void
test_canvas_description (void)
{
  InpMaskCanvas *canvas = INP_MASK_CANVAS (inp_mask_canvas_new ());
  g_autoptr(GdkPixbuf) picture = inp_test_new_pattern (200, 100, FALSE);
  GtkWidget *window = inp_test_present (GTK_WIDGET (canvas), 400, 300);
  InpMaskRect left = { 0, 0, 100, 100 };
  InpMaskRect right = { 100, 0, 100, 100 };
  g_autofree char *painted = NULL;
  double zoom;

  gtk_test_accessible_assert_role (canvas, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (canvas, GTK_ACCESSIBLE_PROPERTY_LABEL, "Mask canvas");
  gtk_test_accessible_assert_property (canvas, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No picture is open");

  inp_mask_canvas_set_pixbuf (canvas, picture);
  inp_mask_canvas_set_brush_size (canvas, 20);
  inp_test_wait_for_frame (window);
  assert_description (canvas, "Brush", "Nothing is masked yet.");

  /* Nothing changes while the brush moves, only when it is lifted. */
  stroke (canvas, 10, 50, 190, 50, FALSE);
  assert_description (canvas, "Brush", "Nothing is masked yet.");
  _inp_mask_canvas_pointer_up (canvas);
  painted = g_strdup_printf ("%.0f %% of the picture will be repainted.",
                             inp_mask_get_coverage (inp_mask_canvas_get_mask (canvas)) * 100.0);
  g_assert_cmpfloat (inp_mask_get_coverage (inp_mask_canvas_get_mask (canvas)), >, 0.1);
  assert_description (canvas, "Brush", painted);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.undo", NULL));
  assert_description (canvas, "Brush", "Nothing is masked yet.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.redo", NULL));
  assert_description (canvas, "Brush", painted);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.tool-eraser", NULL));
  inp_mask_canvas_set_brush_size (canvas, 35);
  assert_description (canvas, "Eraser", painted);

  /* The zoom, once the view has settled. */
  zoom = inp_mask_canvas_get_zoom (canvas);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.zoom-in", NULL));
  g_assert_cmpfloat (inp_mask_canvas_get_zoom (canvas), >, zoom);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_description (canvas, "Eraser", painted);

  /* A mask changed by others, such as one taken from a result, is described too. */
  inp_mask_fill_rect (inp_mask_canvas_get_mask (canvas), &left, INP_MASK_REPAINT);
  inp_mask_fill_rect (inp_mask_canvas_get_mask (canvas), &right, INP_MASK_REPAINT);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_description (canvas, "Eraser", "100 % of the picture will be repainted.");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect_menu_buttons (GtkWidget *widget,
                      GPtrArray *buttons)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_MENU_BUTTON (widget))
    g_ptr_array_add (buttons, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_menu_buttons (child, buttons);
}

/* Opens each menu button's popover in turn and checks what it shows. */
static void
assert_popovers_named (GtkWidget  *root,
                       const char *scene)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_menu_buttons (root, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkMenuButton *button = g_ptr_array_index (buttons, i);
      GtkPopover *popover;
      g_autofree char *path = widget_path (GTK_WIDGET (button));
      g_autofree char *what = NULL;

      gtk_menu_button_popup (button);
      popover = gtk_menu_button_get_popover (button);
      g_assert_nonnull (popover);
      inp_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (popover)), 10000);
      what = g_strdup_printf ("%s, the popover of %s", scene, path);
      assert_all_named (GTK_WIDGET (popover), what);
      gtk_menu_button_popdown (button);
      inp_test_wait_until (!gtk_widget_get_mapped (GTK_WIDGET (popover)), 10000);
    }
}

static void
show_results_page (InpWindow  *window,
                   const char *name)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                              INP_TYPE_WINDOW, "results_stack"));

  gtk_stack_set_visible_child_name (stack, name);
}

static void
test_main_window (InpApplication *app)
{
  InpWindow *window = INP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GtkWidget *widget = GTK_WIDGET (window);
  GListModel *jobs = G_LIST_MODEL (inp_window_get_job_queue (window));
  InpGallery *gallery = inp_window_get_gallery (window);
  InpModelPicker *picker = inp_window_get_model_picker (window);
  GListModel *catalog = G_LIST_MODEL (inp_catalog_get_default ());
  AdwFlap *flap = ADW_FLAP (gtk_widget_get_template_child (widget, INP_TYPE_WINDOW, "flap"));
  GtkWindow *other;

  inp_test_wait_for_frame (widget);
  assert_all_named (widget, "the first start");

  /* A picture and one finished job from the offline sandbox: the canvas, its tools and the
   * gallery with a result. */
  g_assert_true (gtk_widget_activate_action (widget, "win.use-sandbox", NULL));
  inp_window_new_canvas (window, 256, 192);
  inp_model_picker_set_selected_model (picker,
                                       inp_catalog_lookup (inp_catalog_get_default (),
                                                           "cjwbw/rembg"));
  g_assert_true (gtk_widget_activate_action (widget, "win.generate", NULL));
  inp_test_wait_until (g_list_model_get_n_items (jobs) > 0, 30000);
  inp_test_wait_until (g_list_model_get_n_items (inp_gallery_get_model (gallery)) > 0, 60000);

  show_results_page (window, "gallery");
  adw_flap_set_reveal_flap (flap, TRUE);
  assert_all_named (widget, "the window with a picture and a result");

  /* Each model's own parameters. */
  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (catalog, i);
      g_autofree char *scene = g_strdup_printf ("the side panel for %s",
                                                inp_model_get_id (model));

      inp_model_picker_set_selected_model (picker, model);
      assert_all_named (adw_flap_get_flap (flap), scene);
    }
  inp_model_picker_set_selected_model (picker,
                                       inp_catalog_lookup (inp_catalog_get_default (),
                                                           "cjwbw/rembg"));
  assert_popovers_named (widget, "the window");

  show_results_page (window, "jobs");
  assert_all_named (widget, "the jobs list");
  show_results_page (window, "history");
  assert_all_named (widget, "the history view");
  show_results_page (window, "gallery");

  /* The model picker with its search open. */
  gtk_popover_popup (GTK_POPOVER (inp_model_picker_get_popover (picker)));
  inp_test_wait_until (gtk_widget_get_mapped (inp_model_picker_get_popover (picker)), 10000);
  gtk_editable_set_text (GTK_EDITABLE (inp_model_picker_get_search_entry (picker)), "flux");
  assert_all_named (inp_model_picker_get_popover (picker), "the model picker's search");
  gtk_popover_popdown (GTK_POPOVER (inp_model_picker_get_popover (picker)));

  /* The result viewer. */
  inp_gallery_select (gallery, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gallery), "gallery.open", NULL));
  inp_test_wait_until ((other = inp_test_find_toplevel (INP_TYPE_RESULT_VIEWER)) != NULL, 10000);
  assert_all_named (GTK_WIDGET (other), "the result viewer");
  assert_popovers_named (GTK_WIDGET (other), "the result viewer");
  gtk_window_destroy (other);

  /* The preferences. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  inp_test_wait_until ((other = inp_test_find_toplevel (INP_TYPE_PREFERENCES_WINDOW)) != NULL,
                       10000);
  assert_all_named (GTK_WIDGET (other), "the preferences");
  gtk_window_destroy (other);

  inp_test_destroy_and_finalize (window);
}

static void
run_main_window (void)
{
  inp_test_run_in_application (test_main_window);
}

int
main (int   argc,
      char *argv[])
{
  /* Results go to a fresh data folder. */
  g_autofree char *dir = inp_test_use_temp_data_dirs ();
  int status;


  inp_test_ui_init (&argc, &argv);
  inp_test_ui_add_func ("/ui/accessibility/checker-self-check", test_checker_self_check);
  inp_test_ui_add_func ("/ui/accessibility/canvas-description", test_canvas_description);
  inp_test_ui_add_func ("/ui/accessibility/main-window", run_main_window);

  status = g_test_run ();
  inp_test_remove_tree (dir);

  return status;
}
