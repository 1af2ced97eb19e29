/* bench-startup.c: from exec to the main window's first painted frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each run is a fresh process (this program again, with --child): it starts the real
 * InpApplication as main() does and reports, at the first frame clock `after-paint` of its
 * window, how long ago the kernel started the process, and the CPU time the process (all its
 * threads) had used by then: on a machine shared with other work, the wall time also holds
 * time spent waiting for a core. The parent prints the figures.
 *
 * Side by side, GNOME Text Editor (Debian's `gnome-text-editor`) has no hook of ours, so both apps
 * are also timed the same external way, alternately in the same run:
 * - each is started by g_spawn_async() as a new, non-unique instance with no session to restore
 *   (Inpainter: this program with --plain, which runs InpApplication as main() does, with no hook;
 *   Text Editor: `gnome-text-editor --standalone`, which implies --ignore-session), in the same
 *   environment (fresh XDG data, config, state and cache folders, the same GSK_RENDERER);
 * - the clock starts just before the spawn, in this process, and stops at the first poll (every
 *   millisecond, over our own X connection) that finds a top-level window whose _NET_WM_PID is the
 *   child's, viewable, and whose pixels are no longer uniform. The root window is painted one flat
 *   colour first, so a mapped window that has not drawn yet (no background of its own, or a plain
 *   one) reads as uniform, and the first painted frame of either app — header bar, text, borders —
 *   does not. Nothing in either app is instrumented, so neither gains from the method;
 * - the first run of each warms the caches and is reported on its own; the rest give the median.
 * Without `gnome-text-editor` the side-by-side line says it was skipped, and why.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "inp-application.h"
#include "inp-i18n.h"
#include "inp-test-utils.h"
#include "inp-window.h"

#define RUNS 7

/* Milliseconds since the kernel started this process (its exec), on the boot clock. */
static double
ms_since_exec (void)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  struct timespec now;
  const char *after_name;
  guint64 start_ticks;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return -1;

  /* The command name may hold spaces; the fields after it are space separated. */
  after_name = strrchr (stat, ')');
  fields = g_strsplit (after_name + 2, " ", -1);
  start_ticks = g_ascii_strtoull (fields[19], NULL, 10);
  clock_gettime (CLOCK_BOOTTIME, &now);

  return (now.tv_sec + now.tv_nsec / 1e9 - start_ticks / (double) sysconf (_SC_CLK_TCK)) * 1000.0;
}

static void
after_paint_cb (GdkFrameClock  *clock,
                InpApplication *app)
{
  double ms = ms_since_exec ();
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  g_print ("%.1f %.1f\n", ms,
           (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
           + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, app);
  g_application_quit (G_APPLICATION (app));
}

static void
window_realized_cb (GtkWidget      *window,
                    InpApplication *app)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), app);
}

static void
activated_cb (InpApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* Presenting the window in activate has realized it already; it paints later. */
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    window_realized_cb (GTK_WIDGET (window), app);
  else
    g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), app);
}

static int
run_child (gboolean hooked)
{
  g_autoptr(InpApplication) app = NULL;
  const char *argv[] = { "inpainter", NULL };

  inp_i18n_init ();
  app = inp_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (hooked)
    g_signal_connect_after (app, "activate", G_CALLBACK (activated_cb), NULL);

  return g_application_run (G_APPLICATION (app), 1, (char **) argv);
}

/* Whether @window, or one of its children, is a viewable top-level of @pid that has painted. */
static gboolean
window_painted (Display *display,
                Window   window,
                Atom     pid_atom,
                GPid     pid)
{
  Atom type;
  int format;
  unsigned long n_items;
  unsigned long after;
  unsigned char *data = NULL;
  gboolean ours = FALSE;
  gboolean painted = FALSE;
  XWindowAttributes attributes;
  XImage *image;

  if (XGetWindowProperty (display, window, pid_atom, 0, 1, False, XA_CARDINAL, &type, &format,
                          &n_items, &after, &data) == Success && data != NULL)
    {
      ours = n_items == 1 && format == 32 && *(unsigned long *) data == (unsigned long) pid;
      XFree (data);
    }
  if (!ours || !XGetWindowAttributes (display, window, &attributes)
      || attributes.map_state != IsViewable)
    return FALSE;

  image = XGetImage (display, window, 0, 0, attributes.width, attributes.height, AllPlanes,
                     ZPixmap);
  if (image == NULL)
    return FALSE;
  for (int y = 0; y < image->height && !painted; y++)
    for (int x = 0; x < image->width && !painted; x++)
      painted = XGetPixel (image, x, y) != XGetPixel (image, 0, 0);
  XDestroyImage (image);

  return painted;
}

static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  /* A window may go between the query and the request; the next poll sees it again. */
  return 0;
}

static gboolean
pid_has_painted (Display *display,
                 Atom     pid_atom,
                 GPid     pid)
{
  Window root;
  Window parent;
  Window *children = NULL;
  unsigned int n_children = 0;
  gboolean painted = FALSE;

  if (!XQueryTree (display, DefaultRootWindow (display), &root, &parent, &children, &n_children))
    return FALSE;
  for (unsigned int i = 0; i < n_children && !painted; i++)
    painted = window_painted (display, children[i], pid_atom, pid);
  if (children != NULL)
    XFree (children);

  return painted;
}

/* Milliseconds from just before the spawn of @argv to its first painted window; -1 on failure. */
static double
external_first_frame_ms (Display     *display,
                         const char **argv)
{
  Atom pid_atom = XInternAtom (display, "_NET_WM_PID", False);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  gint64 start;
  gint64 deadline;
  double ms = -1;
  GPid pid;

  /* The test environment's G_DEBUG (gc-friendly, fatal-warnings) is for our tests: neither app
   * runs with it here, as neither would for a user. */
  envp = g_environ_unsetenv (envp, "G_DEBUG");
  start = g_get_monotonic_time ();
  deadline = start + 30 * G_USEC_PER_SEC;
  if (!g_spawn_async (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD
                      | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, &error))
    {
      g_printerr ("bench-startup: %s\n", error->message);
      return -1;
    }

  while (g_get_monotonic_time () < deadline)
    {
      if (pid_has_painted (display, pid_atom, pid))
        {
          ms = (g_get_monotonic_time () - start) / 1000.0;
          break;
        }
      if (waitpid (pid, NULL, WNOHANG) == pid)
        return -1;
      g_usleep (1000);
    }

  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  /* Let the server forget the window before the next start. */
  XSync (display, False);
  g_usleep (200 * 1000);

  return ms;
}

/* Both apps, started and timed the same external way, alternately; see the top of the file. */
static void
bench_side_by_side (const char *self)
{
  g_autofree char *editor = g_find_program_in_path ("gnome-text-editor");
  const char *ours_argv[] = { self, "--plain", NULL };
  const char *editor_argv[] = { editor, "--standalone", NULL };
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) theirs = g_array_new (FALSE, FALSE, sizeof (double));
  const char *display_name = g_getenv ("DISPLAY");
  Display *display;
  double ours_median;
  double theirs_median;

  if (editor == NULL)
    {
      g_print ("{\"bench\":\"startup-side-by-side\",\"skipped\":true,"
               "\"reason\":\"gnome-text-editor is not installed (Debian package gnome-text-editor)\"}\n");
      return;
    }
  display = display_name != NULL ? XOpenDisplay (display_name) : NULL;
  if (display == NULL)
    {
      g_print ("{\"bench\":\"startup-side-by-side\",\"skipped\":true,"
               "\"reason\":\"cannot open the X11 display '%s': the external timing needs one (Xvfb)\"}\n",
               display_name != NULL ? display_name : "");
      return;
    }

  XSetErrorHandler (ignore_x_error);
  /* A flat root: an unpainted window shows through as one colour. */
  XSetWindowBackground (display, DefaultRootWindow (display),
                        BlackPixel (display, DefaultScreen (display)));
  XClearWindow (display, DefaultRootWindow (display));
  XSync (display, False);

  for (guint i = 0; i < RUNS; i++)
    {
      double ours_ms = external_first_frame_ms (display, ours_argv);
      double theirs_ms = external_first_frame_ms (display, editor_argv);

      if (ours_ms < 0 || theirs_ms < 0)
        {
          g_print ("{\"bench\":\"startup-side-by-side\",\"skipped\":true,"
                   "\"reason\":\"%s did not show a painted window within 30 s\"}\n",
                   ours_ms < 0 ? "inpainter" : "gnome-text-editor");
          XCloseDisplay (display);
          return;
        }
      if (i == 0)
        {
          g_print ("{\"bench\":\"startup-external-cold\",\"inpainter_ms\":%.1f,"
                   "\"gnome_text_editor_ms\":%.1f}\n", ours_ms, theirs_ms);
          continue;
        }
      g_array_append_val (ours, ours_ms);
      g_array_append_val (theirs, theirs_ms);
    }
  XCloseDisplay (display);

  ours_median = inp_test_percentile (ours, 0.5);
  theirs_median = inp_test_percentile (theirs, 0.5);
  g_print ("{\"bench\":\"startup-external-inpainter\",\"runs\":%u,\"median_ms\":%.1f,"
           "\"max_ms\":%.1f}\n",
           ours->len, ours_median, inp_test_percentile (ours, 1.0));
  g_print ("{\"bench\":\"startup-external-gnome-text-editor\",\"runs\":%u,\"median_ms\":%.1f,"
           "\"max_ms\":%.1f}\n",
           theirs->len, theirs_median, inp_test_percentile (theirs, 1.0));
  g_print ("{\"bench\":\"startup-side-by-side\",\"runs\":%u,\"inpainter_median_ms\":%.1f,"
           "\"gnome_text_editor_median_ms\":%.1f,\"ratio\":%.2f,\"target_ratio\":1.0,"
           "\"renderer\":\"%s\"}\n",
           ours->len, ours_median, theirs_median, ours_median / theirs_median,
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) figures = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_figures = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;
  g_autofree char *cache = NULL;

  if (argc > 1 && g_str_equal (argv[1], "--child"))
    return run_child (TRUE);
  if (argc > 1 && g_str_equal (argv[1], "--plain"))
    return run_child (FALSE);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-startup: no display; run it under Xvfb (tools/dev bench does)\n");
      return 77;
    }

  /* A library of its own, so that start-up opens (and creates) a real one. */
  dir = inp_test_make_temp_dir ();
  data = g_build_filename (dir, "data", NULL);
  config = g_build_filename (dir, "config", NULL);
  state = g_build_filename (dir, "state", NULL);
  cache = g_build_filename (dir, "cache", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  /* The same fresh folders for Text Editor: no settings, state or session of a user's. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  /* A token in the environment, as for a user who set one: no keyring daemon to start. */
  g_setenv ("REPLICATE_API_TOKEN", "r8_bench_token", TRUE);

  for (guint i = 0; i < RUNS; i++)
    {
      const char *child_argv[] = { argv[0], "--child", NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      int status;
      char *end = NULL;
      double ms;
      double cpu_ms;

      g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      ms = g_ascii_strtod (out, &end);
      cpu_ms = g_ascii_strtod (end, NULL);
      g_assert_cmpfloat (ms, >, 0);
      g_assert_cmpfloat (cpu_ms, >, 0);
      /* The first run warms the caches; it is reported on its own. */
      if (i == 0)
        g_print ("{\"bench\":\"startup-first-frame-cold\",\"ms\":%.1f,\"cpu_ms\":%.1f}\n", ms,
                 cpu_ms);
      else
        {
          g_array_append_val (figures, ms);
          g_array_append_val (cpu_figures, cpu_ms);
        }
    }

  g_print ("{\"bench\":\"startup-first-frame\",\"runs\":%u,\"median_ms\":%.1f,\"max_ms\":%.1f,"
           "\"renderer\":\"%s\"}\n",
           figures->len, inp_test_percentile (figures, 0.5), inp_test_percentile (figures, 1.0),
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default");
  g_print ("{\"bench\":\"startup-first-frame-cpu\",\"runs\":%u,\"median_ms\":%.1f,"
           "\"min_ms\":%.1f}\n",
           cpu_figures->len, inp_test_percentile (cpu_figures, 0.5),
           inp_test_percentile (cpu_figures, 0.0));

  bench_side_by_side (argv[0]);

  inp_test_remove_tree (dir);

  return 0;
}
