/* test-drop.c: pictures dropped on the canvas by a real X11 drag and drop (XDND)
 *
 * Another program (inp-test-drag-source) offers a file or a picture; the pointer is moved with
 * XTest through xdotool, as a hand would: press on the source, move over the canvas, release.
 * Meson gives this test an X server of its own, so that no other test's window is in the way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <gdk/x11/gdkx.h>

#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-window.h"

static char *dir;

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *output;
  GString          *lines;
  gboolean          reading;
} Helper;

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Helper *helper = user_data;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    NULL);
  if (line == NULL)
    {
      helper->reading = FALSE;
      return;
    }

  g_string_append_printf (helper->lines, "%s\n", line);
  g_data_input_stream_read_line_async (helper->output, G_PRIORITY_DEFAULT, NULL, line_read_cb,
                                       helper);
}

/* Starts the drag source and waits until its window has painted. */
static Helper *
helper_start (const char *option,
              const char *path)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "inp-test-drag-source", NULL);
  g_autoptr(GError) error = NULL;
  Helper *helper = g_new0 (Helper, 1);

  helper->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program, option,
                                      path, NULL);
  g_assert_no_error (error);
  helper->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (helper->process));
  helper->lines = g_string_new (NULL);
  helper->reading = TRUE;
  g_data_input_stream_read_line_async (helper->output, G_PRIORITY_DEFAULT, NULL, line_read_cb,
                                       helper);
  inp_test_wait_until (strstr (helper->lines->str, "ready ") != NULL || !helper->reading, 20000);
  g_assert_nonnull (strstr (helper->lines->str, "ready "));

  return helper;
}

static void
helper_stop (Helper *helper)
{
  g_subprocess_force_exit (helper->process);
  inp_test_wait_until (!helper->reading, 10000);
  g_clear_object (&helper->output);
  g_clear_object (&helper->process);
  g_string_free (helper->lines, TRUE);
  g_free (helper);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Runs xdotool while this process keeps answering the X server, as the drop needs. */
static void
xdotool (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, run_done_cb, &done);
  inp_test_wait_for (&done, 20000);
  g_assert_true (g_subprocess_get_successful (process));
}

/* The canvas's centre, on the screen. Without a window manager the window stands where its
 * X window is; its client-side decorations are inside it. */
static void
canvas_centre_on_screen (InpWindow *window,
                         int       *x,
                         int       *y)
{
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                INP_TYPE_WINDOW, "canvas_stack"));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *geometry = NULL;
  g_autofree char *xid = NULL;
  graphene_rect_t bounds;
  double dx, dy;
  int origin_x = 0;
  int origin_y = 0;

  g_assert_true (gtk_widget_compute_bounds (stack, GTK_WIDGET (window), &bounds));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);

  /* Where the X window is, as the X server says. */
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  {
    const char *args[] = { "xdotool", "getwindowgeometry", "--shell", xid, NULL };
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) lines = NULL;

    g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &geometry, NULL,
                  NULL, &error);
    g_assert_no_error (error);
    lines = g_strsplit (geometry, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        if (g_str_has_prefix (lines[i], "X="))
          origin_x = atoi (lines[i] + 2);
        else if (g_str_has_prefix (lines[i], "Y="))
          origin_y = atoi (lines[i] + 2);
      }
  }

  *x = origin_x + (int) (dx + bounds.origin.x + bounds.size.width / 2);
  *y = origin_y + (int) (dy + bounds.origin.y + bounds.size.height / 2);
}

/* Presses on the source, moves in steps over the canvas and releases there. */
static void
drag_to_canvas (InpWindow  *window,
                Helper     *helper)
{
  const char *ready = strstr (helper->lines->str, "ready ");
  g_autofree char *source_xid = g_strndup (ready + strlen ("ready "),
                                           strcspn (ready + strlen ("ready "), "\n"));
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  int target_x, target_y;
  const int source_x = 60, source_y = 740;
  const guint steps = 12;

  canvas_centre_on_screen (window, &target_x, &target_y);
  g_test_message ("dragging from (%d, %d) to the canvas at (%d, %d)", source_x, source_y,
                  target_x, target_y);

  /* The source's window goes to the bottom-left corner, on top of everything, away from the
   * canvas's centre. */
  {
    const char *move[] = { "windowmove", source_xid, "0", "680", "windowraise", source_xid, NULL };

    xdotool (move);
  }

  g_ptr_array_add (args, g_strdup ("mousemove"));
  g_ptr_array_add (args, g_strdup_printf ("%d", source_x));
  g_ptr_array_add (args, g_strdup_printf ("%d", source_y));
  g_ptr_array_add (args, g_strdup ("sleep"));
  g_ptr_array_add (args, g_strdup ("0.2"));
  g_ptr_array_add (args, g_strdup ("mousedown"));
  g_ptr_array_add (args, g_strdup ("1"));
  for (guint i = 1; i <= steps; i++)
    {
      g_ptr_array_add (args, g_strdup ("sleep"));
      g_ptr_array_add (args, g_strdup ("0.1"));
      g_ptr_array_add (args, g_strdup ("mousemove"));
      g_ptr_array_add (args, g_strdup_printf ("%d", source_x + (target_x - source_x) * (int) i
                                                                / (int) steps));
      g_ptr_array_add (args, g_strdup_printf ("%d", source_y + (target_y - source_y) * (int) i
                                                                / (int) steps));
    }
  g_ptr_array_add (args, g_strdup ("sleep"));
  g_ptr_array_add (args, g_strdup ("0.3"));
  g_ptr_array_add (args, g_strdup ("mouseup"));
  g_ptr_array_add (args, g_strdup ("1"));
  g_ptr_array_add (args, NULL);

  xdotool ((const char * const *) args->pdata);
}

static char *
write_picture (const char *name,
               int         width,
               int         height,
               guint32     rgba)
{
  g_autoptr(GdkPixbuf) picture = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  gdk_pixbuf_fill (picture, rgba);
  gdk_pixbuf_save (picture, path, "png", &error, NULL);
  g_assert_no_error (error);

  return path;
}

static void
assert_canvas_shows (InpWindow *window,
                     int        width,
                     int        height,
                     guint32    rgba)
{
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  GdkPixbuf *shown;
  const guchar *pixel;

  inp_test_wait_until (inp_mask_canvas_get_image (canvas) != NULL, 20000);
  shown = inp_mask_canvas_get_pixbuf (canvas);
  g_assert_cmpint (gdk_pixbuf_get_width (shown), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (shown), ==, height);
  pixel = gdk_pixbuf_read_pixels (shown) + (height / 2) * gdk_pixbuf_get_rowstride (shown)
          + (width / 2) * gdk_pixbuf_get_n_channels (shown);
  g_assert_cmpuint (pixel[0], ==, (rgba >> 24) & 0xff);
  g_assert_cmpuint (pixel[1], ==, (rgba >> 16) & 0xff);
  g_assert_cmpuint (pixel[2], ==, (rgba >> 8) & 0xff);
}

static void
test_drop_file (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  g_autofree char *path = write_picture ("dropped.png", 320, 240, 0x3080c0ff);
  Helper *helper = helper_start ("--file", path);

  g_assert_null (inp_mask_canvas_get_image (inp_window_get_canvas (window)));
  drag_to_canvas (window, helper);
  assert_canvas_shows (window, 320, 240, 0x3080c0ff);

  helper_stop (helper);
  inp_test_destroy_and_finalize (window);
}

static void
test_drop_texture (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  g_autofree char *path = write_picture ("pixels.png", 200, 150, 0xc04020ff);
  Helper *helper = helper_start ("--texture", path);

  drag_to_canvas (window, helper);
  assert_canvas_shows (window, 200, 150, 0xc04020ff);

  helper_stop (helper);
  inp_test_destroy_and_finalize (window);
}

static void
test_drop_not_a_picture (InpApplication *app)
{
  InpWindow *window = inp_test_active_window (app);
  g_autofree char *path = g_build_filename (dir, "shopping-list.png", NULL);
  g_autoptr(GError) error = NULL;
  Helper *helper;

  g_file_set_contents (path, "eggs, flour, milk", -1, &error);
  g_assert_no_error (error);
  helper = helper_start ("--file", path);

  /* Refused by name in a toast; the canvas stays as it was. */
  drag_to_canvas (window, helper);
  inp_test_wait_until (inp_test_label_shown (GTK_WIDGET (window), "shopping-list.png"), 20000);
  g_assert_null (inp_mask_canvas_get_image (inp_window_get_canvas (window)));

  helper_stop (helper);
  inp_test_destroy_and_finalize (window);
}

static gboolean
can_drag (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("a real drag and drop needs an X11 display");
      return FALSE;
    }
  if (xdotool == NULL)
    {
      g_test_skip ("xdotool is not installed: it moves the pointer for the drag");
      return FALSE;
    }

  return TRUE;
}

static void
run_drop_file (void)
{
  if (can_drag ())
    inp_test_run_in_application (test_drop_file);
}

static void
run_drop_texture (void)
{
  if (can_drag ())
    inp_test_run_in_application (test_drop_texture);
}

static void
run_drop_not_a_picture (void)
{
  if (can_drag ())
    inp_test_run_in_application (test_drop_not_a_picture);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  g_autofree char *cache_dir = NULL;
  int status;

  /* The windows open a library: a fresh one, never the user's. */
  dir = inp_test_make_temp_dir ();
  data_dir = g_build_filename (dir, "data", NULL);
  cache_dir = g_build_filename (dir, "cache", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  inp_test_ui_init (&argc, &argv);

  inp_test_ui_add_func ("/ui/drop/file", run_drop_file);
  inp_test_ui_add_func ("/ui/drop/texture", run_drop_texture);
  inp_test_ui_add_func ("/ui/drop/not-a-picture", run_drop_not_a_picture);

  status = g_test_run ();
  inp_test_remove_tree (dir);
  g_free (dir);

  return status;
}
