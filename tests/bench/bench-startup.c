/* bench-startup.c: from exec to the main window's first painted frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each run is a fresh process (this program again, with --child): it starts the real
 * InpApplication as main() does and reports, at the first frame clock `after-paint` of its
 * window, how long ago the kernel started the process. The parent prints the figures.
 * If `gnome-text-editor` is installed it is not timed here: it offers no first-frame hook, and a
 * window-mapped time would not compare like with like.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
  g_print ("%.1f\n", ms_since_exec ());
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
run_child (void)
{
  g_autoptr(InpApplication) app = NULL;
  const char *argv[] = { "inpainter", NULL };

  inp_i18n_init ();
  app = inp_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_cb), NULL);

  return g_application_run (G_APPLICATION (app), 1, (char **) argv);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) figures = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;

  if (argc > 1 && g_str_equal (argv[1], "--child"))
    return run_child ();

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-startup: no display; run it under Xvfb (tools/dev bench does)\n");
      return 77;
    }

  /* A library of its own, so that start-up opens (and creates) a real one. */
  dir = inp_test_make_temp_dir ();
  data = g_build_filename (dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  /* A token in the environment, as for a user who set one: no keyring daemon to start. */
  g_setenv ("REPLICATE_API_TOKEN", "r8_bench_token", TRUE);

  for (guint i = 0; i < RUNS; i++)
    {
      const char *child_argv[] = { argv[0], "--child", NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      int status;
      double ms;

      g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      ms = g_ascii_strtod (out, NULL);
      g_assert_cmpfloat (ms, >, 0);
      /* The first run warms the caches; it is reported on its own. */
      if (i == 0)
        g_print ("{\"bench\":\"startup-first-frame-cold\",\"ms\":%.1f}\n", ms);
      else
        g_array_append_val (figures, ms);
    }

  g_print ("{\"bench\":\"startup-first-frame\",\"runs\":%u,\"median_ms\":%.1f,\"max_ms\":%.1f,"
           "\"renderer\":\"%s\"}\n",
           figures->len, inp_test_percentile (figures, 0.5), inp_test_percentile (figures, 1.0),
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default");

  inp_test_remove_tree (dir);

  return 0;
}
