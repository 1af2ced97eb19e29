/* test-window.c: the application shell under a real display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-application.h"
#include "inp-error.h"
#include "inp-preferences-window.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-window.h"
#include "inp-window-private.h"
#include "inp-catalog.h"

static void
test_window_shell (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  GtkWindow *about;
  GtkWindow *shortcuts;
  GtkWindow *preferences;

  g_object_ref (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >, 0);

  /* Every app action the menu names exists and is enabled. */
  for (guint i = 0; i < 4; i++)
    {
      const char *names[] = { "about", "preferences", "shortcuts", "quit" };

      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), names[i]));
      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), names[i]));
    }

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = inp_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  inp_test_wait_for_frame (GTK_WIDGET (about));
  gtk_window_destroy (about);

  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  shortcuts = inp_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  inp_test_wait_for_frame (GTK_WIDGET (shortcuts));
  gtk_window_destroy (shortcuts);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = inp_test_find_toplevel (INP_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  inp_test_wait_for_frame (GTK_WIDGET (preferences));
  gtk_window_destroy (preferences);

  gtk_window_close (GTK_WINDOW (window));
  inp_test_destroy_toplevels ();
  g_assert_finalize_object (window);
}

static void
test_window_sidebar_action (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  gboolean shown;

  g_object_get (window, "sidebar-shown", &shown, NULL);
  g_assert_true (shown);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  g_object_get (window, "sidebar-shown", &shown, NULL);
  g_assert_false (shown);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  g_object_get (window, "sidebar-shown", &shown, NULL);
  g_assert_true (shown);

  inp_test_destroy_and_finalize (window);
}

static void
test_window_state_saved (InpApplication *app)
{
  GSettings *settings = inp_application_get_settings (app);
  InpWindow *window = inp_test_active_window (app);
  int width, height;

  /* The window opened with what the previous test left: the memory backend lasts the process. */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, g_settings_get_int (settings, "window-width"));
  g_assert_cmpint (height, ==, g_settings_get_int (settings, "window-height"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close", NULL);
  inp_test_destroy_toplevels ();
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);

  gtk_window_present (GTK_WINDOW (inp_window_new (app)));
  window = inp_test_active_window (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  /* A new size is written back when the window closes. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  inp_test_wait_for_frame (GTK_WIDGET (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close", NULL);
  inp_test_destroy_toplevels ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} OpenResult;

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  OpenResult *r = user_data;

  r->ok = inp_window_open_finish (INP_WINDOW (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
open_picture (InpWindow  *window,
              const char *path,
              GError    **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  OpenResult r = { FALSE, FALSE, NULL };

  inp_window_open_async (window, file, NULL, open_cb, &r);
  inp_test_wait_for (&r.done, 10000);
  if (r.error != NULL)
    g_propagate_error (error, r.error);

  return r.ok;
}

static void
test_window_open_picture (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *good = g_build_filename (dir, "holiday.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "notes.jpg", NULL);
  g_autoptr(GdkPixbuf) picture = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 200);
  g_autoptr(GError) error = NULL;
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  GtkStack *stack;
  GdkPixbuf *shown;

  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), INP_TYPE_WINDOW,
                                                    "canvas_stack"));
  /* Tests have no token: once the keyring has been asked, the first-run page offers to enter
   * one, or to use the sandbox. */
  while (inp_window_get_client (window) == NULL
         && g_strcmp0 (gtk_stack_get_visible_child_name (stack), "welcome") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "welcome");
  g_assert_null (inp_window_get_client (window));

  gdk_pixbuf_fill (picture, 0x204060ff);
  gdk_pixbuf_save (picture, good, "png", &error, NULL);
  g_assert_no_error (error);
  g_file_set_contents (bad, "this is not a picture", -1, &error);
  g_assert_no_error (error);

  /* A picture opens off the main loop onto the canvas, with an empty mask. */
  g_assert_true (open_picture (window, good, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "canvas");
  shown = inp_mask_canvas_get_pixbuf (canvas);
  g_assert_cmpint (gdk_pixbuf_get_width (shown), ==, 300);
  g_assert_cmpint (gdk_pixbuf_get_height (shown), ==, 200);
  g_assert_true (inp_mask_canvas_is_mask_empty (canvas));
  inp_test_wait_for_frame (GTK_WIDGET (canvas));

  /* The tool bar reaches the canvas's actions through the window. */
  gtk_widget_activate_action (GTK_WIDGET (window), "canvas.fill", NULL);
  g_assert_false (inp_mask_canvas_is_mask_empty (canvas));

  /* A file that is not a picture is refused by name, and nothing already open is lost. */
  g_assert_false (open_picture (window, bad, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "notes.jpg"));
  g_assert_true (inp_mask_canvas_get_pixbuf (canvas) == shown);
  g_assert_false (inp_mask_canvas_is_mask_empty (canvas));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "canvas");

  inp_test_destroy_and_finalize (window);
  inp_test_remove_tree (dir);
}

static void
wait_for_image_size (InpMaskCanvas *canvas,
                     int            width,
                     int            height)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      GdkTexture *image = inp_mask_canvas_get_image (canvas);

      if (image != NULL && gdk_texture_get_width (image) == width
          && gdk_texture_get_height (image) == height)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("the canvas never showed a %d × %d picture", width, height);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_window_new_canvas (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  GtkStack *stack;
  GtkWindow *dialog;
  GdkPixbuf *pixbuf;

  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), INP_TYPE_WINDOW,
                                                    "canvas_stack"));

  /* A blank canvas of a chosen size, for text-to-image models. */
  inp_window_new_canvas (window, 640, 480);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "canvas");
  pixbuf = inp_mask_canvas_get_pixbuf (canvas);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 640);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 480);
  g_assert_cmpint (gdk_pixbuf_get_pixels (pixbuf)[0], ==, 255);
  g_assert_true (inp_mask_canvas_is_mask_empty (canvas));

  /* The dialog offers presets; the first is chosen. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-canvas", NULL);
  dialog = inp_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  inp_test_wait_for_frame (GTK_WIDGET (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "create");
  wait_for_image_size (canvas, 1024, 1024);

  inp_test_destroy_and_finalize (window);
}

static const char *
form_string (InpWindow  *window,
             const char *name)
{
  static char value[64];
  g_autoptr(JsonObject) values = inp_param_form_dup_values (inp_window_get_param_form (window));

  g_strlcpy (value, json_object_has_member (values, name)
                    ? json_object_get_string_member (values, name) : "", sizeof value);
  return value;
}

static void
test_window_outpaint_preset (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  InpModelPicker *picker = inp_window_get_model_picker (window);
  InpCatalog *catalog = inp_catalog_get_default ();
  int amount;

  inp_window_new_canvas (window, 300, 200);
  g_object_get (canvas, "extend-amount", &amount, NULL);

  /* FLUX Fill Pro extends pictures itself: extending to the left chooses its preset instead of
   * filling a strip of edge colours, and the canvas stays as it is. */
  inp_model_picker_set_selected_model (picker,
                                       inp_catalog_lookup (catalog, "black-forest-labs/flux-fill-pro"));
  gtk_widget_activate_action (GTK_WIDGET (window), "canvas.extend", "s", "left");
  g_assert_cmpstr (form_string (window, "outpaint"), ==, "Left outpaint");
  g_assert_cmpint (gdk_pixbuf_get_width (inp_mask_canvas_get_pixbuf (canvas)), ==, 300);
  g_assert_true (inp_mask_canvas_is_mask_empty (canvas));

  /* The toast's "Extend Here Instead" extends the canvas and takes the preset back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.extend-here", "s", "left");
  g_assert_cmpint (gdk_pixbuf_get_width (inp_mask_canvas_get_pixbuf (canvas)), ==, 300 + amount);
  g_assert_false (inp_mask_canvas_is_mask_empty (canvas));
  g_assert_cmpstr (form_string (window, "outpaint"), !=, "Left outpaint");

  /* A model without presets extends the canvas straight away. */
  inp_model_picker_set_selected_model (
    picker, inp_catalog_lookup (catalog, "stability-ai/stable-diffusion-inpainting"));
  g_assert_null (inp_window_outpaint_preset_for (inp_model_picker_get_selected_model (picker),
                                                 "top"));
  gtk_widget_activate_action (GTK_WIDGET (window), "canvas.extend", "s", "top");
  g_assert_cmpint (gdk_pixbuf_get_height (inp_mask_canvas_get_pixbuf (canvas)), ==, 200 + amount);

  inp_test_destroy_and_finalize (window);
}

static void
test_window_paste (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  g_autoptr(GdkPixbuf) picture = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 123, 45);
  g_autoptr(GdkTexture) texture = NULL;

  gdk_pixbuf_fill (picture, 0x336699ff);
  texture = gdk_texture_new_for_pixbuf (picture);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (window)), texture);

  /* Ctrl+V outside a text field pastes the picture onto the canvas. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL);
  wait_for_image_size (canvas, 123, 45);
  g_assert_true (inp_mask_canvas_is_mask_empty (canvas));

  inp_test_destroy_and_finalize (window);
}

static void
opened_cb (InpApplication *app,
           gpointer        files,
           int             n_files,
           const char     *hint,
           gboolean       *seen)
{
  InpWindow *window = inp_test_active_window (app);

  /* `inpainter FILE` opens the picture in the window. */
  g_assert_cmpint (n_files, ==, 1);
  wait_for_image_size (inp_window_get_canvas (window), 300, 200);
  *seen = TRUE;

  inp_test_destroy_and_finalize (window);
}

static void
test_window_command_line (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "from the command line.png", NULL);
  g_autoptr(GdkPixbuf) picture = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 200);
  g_autoptr(GError) error = NULL;
  InpApplication *app = inp_application_new ();
  const char *argv[] = { "inpainter", path, NULL };
  gboolean seen = FALSE;

  gdk_pixbuf_fill (picture, 0x806040ff);
  gdk_pixbuf_save (picture, path, "png", &error, NULL);
  g_assert_no_error (error);

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "open", G_CALLBACK (opened_cb), &seen);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, (char **) argv), ==, 0);
  g_assert_true (seen);
  g_assert_finalize_object (app);
  inp_test_remove_tree (dir);
}


/* Prints the deepest widgets under @widget that need more than @limit pixels of width, so that a
 * failure says what to fix. Returns how many there are. */
static guint
report_wide (GtkWidget *widget,
             int        limit)
{
  guint n_wide_children = 0;
  int minimum;

  if (!gtk_widget_get_visible (widget))
    return 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= limit)
    return 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n_wide_children += report_wide (child, limit);

  if (n_wide_children == 0)
    {
      g_test_message ("%s (%s, %s) needs %d px", G_OBJECT_TYPE_NAME (widget),
                      gtk_widget_get_css_name (widget),
                      gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), minimum);
      return 1;
    }

  return n_wide_children;
}

/* The narrowest width: a phone's 360 px, with a picture, the side panel folded and the
 * decorations GNOME uses (a close button only). */
static void
test_window_narrow (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (window));
  g_autofree char *layout = NULL;
  int minimum;

  g_object_get (settings, "gtk-decoration-layout", &layout, NULL);
  g_object_set (settings, "gtk-decoration-layout", ":close", NULL);

  /* The first page, then a picture with its toolbar. */
  for (guint i = 0; i < 2; i++)
    {
      if (i == 1)
        inp_window_new_canvas (window, 640, 480);
      inp_test_wait_for_frame (GTK_WIDGET (window));

      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                          NULL, NULL);
      report_wide (GTK_WIDGET (window), 360);
      g_assert_cmpint (minimum, <=, 360);
    }

  g_object_set (settings, "gtk-decoration-layout", layout, NULL);
}

static void
run_window_new_canvas (void)
{
  inp_test_run_in_application (test_window_new_canvas);
}

static void
run_window_paste (void)
{
  inp_test_run_in_application (test_window_paste);
}

static void
run_window_outpaint_preset (void)
{
  inp_test_run_in_application (test_window_outpaint_preset);
}

static void
run_window_open_picture (void)
{
  inp_test_run_in_application (test_window_open_picture);
}

static void
run_window_narrow (void)
{
  inp_test_run_in_application (test_window_narrow);
}

static void
run_window_shell (void)
{
  inp_test_run_in_application (test_window_shell);
}

static void
run_window_sidebar_action (void)
{
  inp_test_run_in_application (test_window_sidebar_action);
}

static void
run_window_state_saved (void)
{
  inp_test_run_in_application (test_window_state_saved);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);
  int status;

  /* The windows open a library: a fresh one, never the user's. */
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  inp_test_ui_init (&argc, &argv);

  inp_test_ui_add_func ("/ui/window/shell", run_window_shell);
  inp_test_ui_add_func ("/ui/window/sidebar-action", run_window_sidebar_action);
  inp_test_ui_add_func ("/ui/window/state-saved", run_window_state_saved);
  inp_test_ui_add_func ("/ui/window/open-picture", run_window_open_picture);
  inp_test_ui_add_func ("/ui/window/new-canvas", run_window_new_canvas);
  inp_test_ui_add_func ("/ui/window/paste", run_window_paste);
  inp_test_ui_add_func ("/ui/window/outpaint-preset", run_window_outpaint_preset);
  inp_test_ui_add_func ("/ui/window/command-line", test_window_command_line);
  inp_test_ui_add_func ("/ui/window/narrow", run_window_narrow);

  status = g_test_run ();
  inp_test_remove_tree (dir);

  return status;
}
