/* test-keyboard.c: the whole flow with the keyboard alone, as real key presses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4 has no API to synthesise key events, so the test sends real ones through the X server
 * with xdotool (XTest), after giving its own window the input focus. That needs X11 (Xvfb in
 * the test run) and xdotool; without them the test is skipped. It must not share the display
 * with other tests' windows, which could take the focus: meson runs it alone (is_parallel). */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <string.h>

#include "inp-catalog.h"
#include "inp-gallery.h"
#include "inp-mask-canvas-private.h"
#include "inp-model-picker-private.h"
#include "inp-result-viewer.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-window.h"

#define KEY_TIMEOUT_MS 10000

static char *xdotool;

/* Gives @window the X input focus and types @keys (xdotool key names, such as "ctrl+v"). */
static void
send_keys (GtkWindow  *window,
           const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));
  g_auto(GStrv) key_list = g_strsplit (keys, " ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  /* One xdotool run: the focus request reaches the server before the key events. */
  g_strv_builder_add_many (builder, xdotool, "windowfocus", xid, "key", "--clearmodifiers",
                           "--delay", "15", NULL);
  g_strv_builder_addv (builder, (const char **) key_list);
  argv = g_strv_builder_end (builder);

  g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("xdotool %s: %s (%s)", keys, error->message, err);
}

static GtkWidget *
focus_of (GtkWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
focus_within (GtkWindow *window,
              GtkWidget *target)
{
  GtkWidget *focus = focus_of (window);

  return focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target));
}

/* Presses Tab until the focus is on or inside @target, as a keyboard user would. */
static void
tab_to (GtkWindow  *window,
        GtkWidget  *target,
        const char *what)
{
  for (guint i = 0; i < 80; i++)
    {
      GtkWidget *before = focus_of (window);

      if (focus_within (window, target))
        {
          g_test_message ("%s reached with %u presses of Tab", what, i);
          return;
        }

      send_keys (window, "Tab");
      inp_test_wait_until (focus_of (window) != before, KEY_TIMEOUT_MS);
    }

  g_error ("Tab never reached %s", what);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A mapped item of a menu, found by its text: GTK 4.8's menu items do not expose their action. */
static GtkWidget *
find_menu_item (GtkWidget  *widget,
                const char *text)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton") && gtk_widget_get_mapped (widget))
    {
      g_autofree char *item_text = NULL;

      g_object_get (widget, "text", &item_text, NULL);
      if (g_strcmp0 (item_text, text) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_item (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Whether a result other than @output is selected. */
static gboolean
selected_other (InpGallery       *gallery,
                InpLibraryOutput *output)
{
  g_autoptr(InpLibraryOutput) selected = inp_gallery_get_selected (gallery);

  return selected != NULL && selected != output;
}

static gboolean
prompt_is (InpWindow  *window,
           const char *text)
{
  g_autofree char *prompt = inp_prompt_panel_dup_prompt (inp_window_get_prompt_panel (window));

  return g_strcmp0 (prompt, text) == 0;
}

static double
coverage (InpMaskCanvas *canvas)
{
  return inp_mask_get_coverage (inp_mask_canvas_get_mask (canvas));
}

static void
test_keyboard_flow (InpApplication *app)
{
  InpWindow *window = INP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GtkWindow *gtk_window = GTK_WINDOW (window);
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  InpModelPicker *picker = inp_window_get_model_picker (window);
  InpGallery *gallery = inp_window_get_gallery (window);
  GListModel *results = inp_gallery_get_model (gallery);
  GListModel *jobs = G_LIST_MODEL (inp_window_get_job_queue (window));
  InpModel *fill = inp_catalog_lookup (inp_catalog_get_default (),
                                       "black-forest-labs/flux-fill-dev");
  g_autoptr(GdkPixbuf) pixels = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
  g_autoptr(GdkTexture) picture = NULL;
  g_autoptr(InpLibraryOutput) before = NULL;
  g_autoptr(InpLibraryOutput) moved = NULL;
  GtkWidget *prompt_view;
  GtkWidget *save_item;
  GtkWindow *viewer;
  double painted;

  inp_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.use-sandbox", NULL));

  /* Open: Ctrl+V pastes the picture on the clipboard (the open dialog belongs to the desktop). */
  gdk_pixbuf_fill (pixels, 0x4477aaff);
  picture = gdk_texture_new_for_pixbuf (pixels);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (window)), picture);
  send_keys (gtk_window, "ctrl+v");
  inp_test_wait_until (inp_mask_canvas_get_image (canvas) != NULL, KEY_TIMEOUT_MS);
  inp_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (inp_mask_canvas_is_mask_empty (canvas));

  /* Paint: Tab to the canvas, pick the brush, make it bigger, put it down with Return, move it
   * with the arrows (Shift for long steps) and lift it. One stroke, one undo step. */
  tab_to (gtk_window, GTK_WIDGET (canvas), "the canvas");
  send_keys (gtk_window, "e b bracketright bracketright");
  inp_test_wait_until (inp_mask_canvas_get_tool (canvas) == INP_CANVAS_TOOL_BRUSH
                       && inp_mask_canvas_get_brush_size (canvas) > 64, KEY_TIMEOUT_MS);
  send_keys (gtk_window, "Return Right Right Right shift+Down shift+Right Return");
  inp_test_wait_until (!inp_mask_canvas_is_mask_empty (canvas)
                       && strstr (_inp_mask_canvas_get_a11y_description (canvas), "repainted"),
                       KEY_TIMEOUT_MS);
  painted = coverage (canvas);
  g_assert_cmpfloat (painted, >, 0.01);
  g_assert_cmpuint (inp_mask_get_n_undo_steps (inp_mask_canvas_get_mask (canvas)), ==, 1);

  /* The eraser takes some of it away again, and Ctrl+Z brings it back. */
  send_keys (gtk_window, "e Return Left Left Return");
  inp_test_wait_until (coverage (canvas) < painted, KEY_TIMEOUT_MS);
  send_keys (gtk_window, "ctrl+z");
  inp_test_wait_until (coverage (canvas) == painted, KEY_TIMEOUT_MS);
  send_keys (gtk_window, "b");
  inp_test_wait_until (inp_mask_canvas_get_tool (canvas) == INP_CANVAS_TOOL_BRUSH,
                       KEY_TIMEOUT_MS);

  /* Choose a model: Tab to the picker, open it, type a few words, Return takes the first. */
  tab_to (gtk_window, GTK_WIDGET (picker), "the model picker");
  send_keys (gtk_window, "space");
  inp_test_wait_until (gtk_widget_get_mapped (inp_model_picker_get_popover (picker)),
                       KEY_TIMEOUT_MS);
  inp_test_wait_until (focus_within (gtk_window, inp_model_picker_get_search_entry (picker)),
                       KEY_TIMEOUT_MS);
  send_keys (gtk_window, "f l u x minus f i l l minus d e v Return");
  inp_test_wait_until (inp_model_picker_get_selected_model (picker) == fill, KEY_TIMEOUT_MS);
  inp_test_wait_until (!gtk_widget_get_mapped (inp_model_picker_get_popover (picker)),
                       KEY_TIMEOUT_MS);

  /* Set a field: Tab to the prompt and type it. */
  prompt_view = find_widget (GTK_WIDGET (inp_window_get_prompt_panel (window)),
                             GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (prompt_view);
  tab_to (gtk_window, prompt_view, "the prompt");
  send_keys (gtk_window, "f o x");
  inp_test_wait_until (prompt_is (window, "fox"), KEY_TIMEOUT_MS);

  /* Generate with Ctrl+Return, twice, so that there are results to move between. */
  send_keys (gtk_window, "ctrl+Return");
  inp_test_wait_until (g_list_model_get_n_items (jobs) == 1, KEY_TIMEOUT_MS);
  inp_test_wait_until (g_list_model_get_n_items (results) >= 1, 60000);
  send_keys (gtk_window, "ctrl+Return");
  inp_test_wait_until (g_list_model_get_n_items (jobs) == 2, KEY_TIMEOUT_MS);
  inp_test_wait_until (g_list_model_get_n_items (results) >= 2, 60000);

  /* Browse: Tab into the gallery, and the arrows move the selection between results. */
  tab_to (gtk_window, GTK_WIDGET (inp_gallery_get_grid_view (gallery)), "the gallery");
  before = inp_gallery_get_selected (gallery);
  send_keys (gtk_window, "Right");
  inp_test_wait_until (selected_other (gallery, before), KEY_TIMEOUT_MS);
  moved = inp_gallery_get_selected (gallery);
  send_keys (gtk_window, "Left");
  inp_test_wait_until (selected_other (gallery, moved), KEY_TIMEOUT_MS);

  /* Open the result with Return; Escape closes its window. */
  send_keys (gtk_window, "Return");
  inp_test_wait_until ((viewer = inp_test_find_toplevel (INP_TYPE_RESULT_VIEWER)) != NULL,
                       KEY_TIMEOUT_MS);
  inp_test_wait_for_frame (GTK_WIDGET (viewer));
  send_keys (viewer, "Escape");
  inp_test_wait_until (inp_test_find_toplevel (INP_TYPE_RESULT_VIEWER) == NULL, KEY_TIMEOUT_MS);

  /* Save: the result's menu (Shift+F10) offers Save As, enabled; the file chooser that it
   * opens belongs to the desktop, so the test stops there. */
  tab_to (gtk_window, GTK_WIDGET (inp_gallery_get_grid_view (gallery)), "the gallery again");
  send_keys (gtk_window, "shift+F10");
  inp_test_wait_until ((save_item = find_menu_item (GTK_WIDGET (gallery), "Save As…")) != NULL,
                       KEY_TIMEOUT_MS);
  g_assert_true (gtk_widget_is_sensitive (save_item));
  send_keys (gtk_window, "Escape");
  inp_test_wait_until (find_menu_item (GTK_WIDGET (gallery), "Save As…") == NULL,
                       KEY_TIMEOUT_MS);

  inp_test_destroy_and_finalize (window);
}

static void
run_keyboard_flow (void)
{
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("real key events need an X11 display (Xvfb)");
      return;
    }
  if (xdotool == NULL)
    {
      g_test_skip ("real key events need xdotool");
      return;
    }

  inp_test_run_in_application (test_keyboard_flow);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);
  int status;

  /* Results go to a fresh data folder. */
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  xdotool = g_find_program_in_path ("xdotool");

  inp_test_ui_init (&argc, &argv);
  inp_test_ui_add_func ("/ui/keyboard/flow", run_keyboard_flow);

  status = g_test_run ();
  inp_test_remove_tree (dir);
  g_free (xdotool);

  return status;
}
