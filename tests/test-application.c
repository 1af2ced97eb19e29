/* test-application.c: how the desktop starts Inpainter: with a picture file, or with the
 * picture on the clipboard (the launcher's “New from Clipboard”)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-application.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-window.h"

#define NO_PICTURE_TOAST "The clipboard holds no picture to paste."

static GdkClipboard *
display_clipboard (void)
{
  return gdk_display_get_clipboard (gdk_display_get_default ());
}

static void
put_picture_on_clipboard (int     width,
                          int     height,
                          guint32 rgba)
{
  g_autoptr(GdkPixbuf) picture = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autoptr(GdkTexture) texture = NULL;

  gdk_pixbuf_fill (picture, rgba);
  texture = gdk_texture_new_for_pixbuf (picture);
  gdk_clipboard_set_texture (display_clipboard (), texture);
}

static gboolean
canvas_shows (InpWindow *window,
              int        width,
              int        height)
{
  GdkTexture *image = inp_mask_canvas_get_image (inp_window_get_canvas (window));

  return image != NULL && gdk_texture_get_width (image) == width
         && gdk_texture_get_height (image) == height;
}

static guint
count_windows (InpApplication *app)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static InpWindow *
active_window (InpApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (INP_IS_WINDOW (window));

  return INP_WINDOW (window);
}

static void
test_new_from_clipboard_picture (InpApplication *app)
{
  InpWindow *first = active_window (app);
  InpWindow *second;

  inp_test_wait_for_frame (GTK_WIDGET (first));
  g_assert_null (inp_mask_canvas_get_image (inp_window_get_canvas (first)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "new-from-clipboard"));

  /* A window with nothing on its canvas takes the picture itself. */
  put_picture_on_clipboard (97, 61, 0x2266aaff);
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-from-clipboard", NULL);
  inp_test_wait_until (canvas_shows (first, 97, 61), 10000);
  g_assert_cmpuint (count_windows (app), ==, 1);
  g_assert_true (inp_mask_canvas_is_mask_empty (inp_window_get_canvas (first)));

  /* One with a picture keeps it, and its mask: the next picture gets a window of its own. */
  inp_mask_fill (inp_mask_canvas_get_mask (inp_window_get_canvas (first)));
  put_picture_on_clipboard (40, 30, 0xaa6622ff);
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-from-clipboard", NULL);
  g_assert_cmpuint (count_windows (app), ==, 2);
  second = active_window (app);
  g_assert_true (second != first);
  inp_test_wait_until (canvas_shows (second, 40, 30), 10000);
  g_assert_true (canvas_shows (first, 97, 61));
  g_assert_false (inp_mask_canvas_is_mask_empty (inp_window_get_canvas (first)));

  inp_test_destroy_and_finalize (first);
}

static void
test_new_from_clipboard_text (InpApplication *app)
{
  InpWindow *window = active_window (app);

  inp_test_wait_for_frame (GTK_WIDGET (window));

  /* Text is no picture: the window says so and stays empty, ready for one. */
  gdk_clipboard_set_text (display_clipboard (), "a red fox in the snow");
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-from-clipboard", NULL);
  inp_test_wait_until (inp_test_find_label (GTK_WIDGET (window), NO_PICTURE_TOAST) != NULL,
                       10000);
  g_assert_null (inp_mask_canvas_get_image (inp_window_get_canvas (window)));
  g_assert_cmpuint (count_windows (app), ==, 1);

  inp_test_destroy_and_finalize (window);
}

static void
test_new_from_clipboard_late (InpApplication *app)
{
  InpWindow *window = active_window (app);

  inp_test_wait_for_frame (GTK_WIDGET (window));

  /* Right after start-up a clipboard may not know its contents yet: the window waits for them
   * rather than saying there is no picture. */
  gdk_clipboard_set_content (display_clipboard (), NULL);
  inp_test_wait_until (gdk_content_formats_get_gtypes (
                         gdk_clipboard_get_formats (display_clipboard ()), NULL) == NULL, 10000);
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-from-clipboard", NULL);
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (inp_test_find_label (GTK_WIDGET (window), NO_PICTURE_TOAST));

  put_picture_on_clipboard (64, 48, 0x113355ff);
  inp_test_wait_until (canvas_shows (window, 64, 48), 10000);
  g_assert_null (inp_test_find_label (GTK_WIDGET (window), NO_PICTURE_TOAST));

  inp_test_destroy_and_finalize (window);
}

static void
activated_with_clipboard_cb (InpApplication *app,
                             gboolean       *seen)
{
  InpWindow *window = active_window (app);

  /* `inpainter --new-from-clipboard` opens one window, holding the clipboard's picture. */
  inp_test_wait_until (canvas_shows (window, 123, 77), 10000);
  g_assert_cmpuint (count_windows (app), ==, 1);
  *seen = TRUE;

  inp_test_destroy_and_finalize (window);
}

static void
test_new_from_clipboard_command_line (void)
{
  InpApplication *app = inp_application_new ();
  const char *argv[] = { "inpainter", "--new-from-clipboard", NULL };
  gboolean seen = FALSE;

  put_picture_on_clipboard (123, 77, 0x55aa55ff);
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_with_clipboard_cb), &seen);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, (char **) argv), ==, 0);
  g_assert_true (seen);
  g_assert_finalize_object (app);
}

typedef struct
{
  int      width;
  int      height;
  gboolean seen;
} Opened;

static void
opened_cb (InpApplication *app,
           gpointer        files,
           int             n_files,
           const char     *hint,
           Opened         *opened)
{
  InpWindow *window = active_window (app);

  g_assert_cmpint (n_files, ==, 1);
  inp_test_wait_until (canvas_shows (window, opened->width, opened->height), 10000);
  opened->seen = TRUE;

  inp_test_destroy_and_finalize (window);
}

/* The desktop file offers Inpainter for PNG, JPEG and WebP: each opens from the command line
 * (PNG in test-window's /ui/window/command-line). */
static void
open_format (const char *format,
             const char *extension,
             int         width,
             int         height)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *name = g_strconcat ("opened from the desktop.", extension, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPixbuf) picture = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  InpApplication *app = inp_application_new ();
  const char *argv[] = { "inpainter", path, NULL };
  Opened opened = { width, height, FALSE };

  gdk_pixbuf_fill (picture, 0x806040ff);
  gdk_pixbuf_save (picture, path, format, &error, NULL);
  g_assert_no_error (error);

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "open", G_CALLBACK (opened_cb), &opened);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, (char **) argv), ==, 0);
  g_assert_true (opened.seen);
  g_assert_finalize_object (app);
  inp_test_remove_tree (dir);
}

static void
test_open_jpeg (void)
{
  open_format ("jpeg", "jpg", 321, 123);
}

static void
test_open_webp (void)
{
  open_format ("webp", "webp", 222, 111);
}

static void
run_new_from_clipboard_picture (void)
{
  inp_test_run_in_application (test_new_from_clipboard_picture);
}

static void
run_new_from_clipboard_late (void)
{
  inp_test_run_in_application (test_new_from_clipboard_late);
}

static void
run_new_from_clipboard_text (void)
{
  inp_test_run_in_application (test_new_from_clipboard_text);
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

  inp_test_ui_add_func ("/ui/application/new-from-clipboard/picture",
                        run_new_from_clipboard_picture);
  inp_test_ui_add_func ("/ui/application/new-from-clipboard/text", run_new_from_clipboard_text);
  inp_test_ui_add_func ("/ui/application/new-from-clipboard/late", run_new_from_clipboard_late);
  inp_test_ui_add_func ("/ui/application/new-from-clipboard/command-line",
                        test_new_from_clipboard_command_line);
  inp_test_ui_add_func ("/ui/application/open/jpeg", test_open_jpeg);
  inp_test_ui_add_func ("/ui/application/open/webp", test_open_webp);

  status = g_test_run ();
  inp_test_remove_tree (dir);

  return status;
}
