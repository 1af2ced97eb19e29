/* inp-test-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-i18n.h"
#include "inp-test-notifications.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

static gboolean have_display;

/**
 * inp_test_ui_init:
 *
 * Initialises the test framework and, when there is a display, GTK and libadwaita.
 *
 * Returns: whether a display is available. Without one, tests added with
 *   inp_test_ui_add_func() are reported as skipped rather than passed.
 */
gboolean
inp_test_ui_init (int    *argc,
                  char ***argv)
{
  inp_i18n_init ();
  g_test_init (argc, argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      inp_test_notifications_start ();
    }

  return have_display;
}

static void
skip_without_display (gconstpointer data)
{
  g_test_skip ("no display: run the GUI tests under Xvfb (tools/dev test does)");
}

static void
run_with_display (gconstpointer data)
{
  GTestFunc func = (GTestFunc) data;

  func ();
}

void
inp_test_ui_add_func (const char *path,
                      GTestFunc   func)
{
  g_test_add_data_func (path, (gconstpointer) func,
                        have_display ? run_with_display : skip_without_display);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Waits until @widget's window has painted a frame, failing the test after ten seconds. */
void
inp_test_wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;

  g_assert_true (gtk_widget_get_mapped (widget) || GTK_IS_WINDOW (widget));

  while (gtk_widget_get_frame_clock (widget) == NULL)
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  inp_test_wait_for (&painted, 10000);
  g_signal_handler_disconnect (clock, handler);
}

/* Returns the first toplevel of @type that is visible, or %NULL. */
GtkWindow *
inp_test_find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

void
inp_test_destroy_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Destroys every window and checks that @window, with everything it started, is gone. */
void
inp_test_destroy_and_finalize (gpointer window)
{
  g_object_ref (window);
  inp_test_destroy_toplevels ();
  g_assert_finalize_object (window);
}

static void
activate_cb (InpApplication *app,
             InpTestAppFunc  func)
{
  func (app);
  inp_test_destroy_toplevels ();
}

/**
 * inp_test_run_in_application:
 * @func: the test body, called once the application has activated and opened its window
 *
 * Runs a real #InpApplication through g_application_run(), as `main()` does, so that start-up
 * and shut-down happen exactly as for users; the application must be finalised afterwards.
 */
void
inp_test_run_in_application (InpTestAppFunc func)
{
  InpApplication *app = inp_application_new ();
  const char *argv[] = { "inpainter", NULL };
  int status;

  /* Non-unique: the test must not find or become a running instance on the session bus. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), func);

  status = g_application_run (G_APPLICATION (app), 1, (char **) argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_finalize_object (app);
}

/**
 * inp_test_present:
 * @child: (transfer floating): the widget under test
 *
 * Shows @child alone in a new window of the given size, scrolled vertically when it is taller,
 * and waits until the window has painted. Destroy the window with gtk_window_destroy().
 *
 * Returns: (transfer none): the window.
 */
GtkWidget *
inp_test_present (GtkWidget *child,
                  int        width,
                  int        height)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), child);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  inp_test_wait_for_frame (window);

  return window;
}

/* The first widget under @widget, itself included, of @type that shows @text. */
static GtkWidget *
find_showing (GtkWidget  *widget,
              GType       type,
              const char *text)
{
  const char *shown = NULL;

  if (type == GTK_TYPE_BUTTON && GTK_IS_BUTTON (widget))
    shown = gtk_button_get_label (GTK_BUTTON (widget));
  else if (type == GTK_TYPE_LABEL && GTK_IS_LABEL (widget))
    shown = gtk_label_get_label (GTK_LABEL (widget));
  if (shown != NULL && g_strcmp0 (shown, text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_showing (child, type, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * inp_test_find_button:
 * @label: the button's label, with its mnemonic underline
 *
 * Returns: (transfer none) (nullable): the first button under @widget with @label, such as the
 *   button of a toast
 */
GtkWidget *
inp_test_find_button (GtkWidget  *widget,
                      const char *label)
{
  return find_showing (widget, GTK_TYPE_BUTTON, label);
}

/**
 * inp_test_find_label:
 * @text: the label's text
 *
 * Returns: (transfer none) (nullable): the first label under @widget showing @text, such as the
 *   title of a toast
 */
GtkWidget *
inp_test_find_label (GtkWidget  *widget,
                     const char *text)
{
  return find_showing (widget, GTK_TYPE_LABEL, text);
}

/**
 * inp_test_label_shown:
 * @text: part of a label's text
 *
 * Returns: whether a label under @widget holds @text, such as the title of a toast
 */
gboolean
inp_test_label_shown (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (inp_test_label_shown (child, text))
        return TRUE;
    }

  return FALSE;
}

/**
 * inp_test_active_window:
 *
 * Returns: (transfer none): the application's active window, once it has drawn a frame
 */
InpWindow *
inp_test_active_window (InpApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (INP_IS_WINDOW (window));
  inp_test_wait_for_frame (GTK_WIDGET (window));

  return INP_WINDOW (window);
}
