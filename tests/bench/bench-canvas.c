/* bench-canvas.c: painting, drawing and undo on big canvases; one JSON line per figure
 *
 *   bench-canvas paint   2,000-event stroke, 64 px soft brush, 8192 × 8192 picture
 *   bench-canvas draw    snapshot of a 4096 × 4096 canvas at fit after each stroke segment
 *   bench-canvas undo    200 strokes on 8192 × 8192, then undo them all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "inp-mask-canvas-private.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* A picture whose pixels are shared with the canvas, not copied. */
static GdkPixbuf *
make_picture (int size)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, size, size);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + x * 3;

        p[0] = (guint8) (x * 255 / size);
        p[1] = (guint8) (y * 255 / size);
        p[2] = 128;
      }

  return pixbuf;
}

static InpMaskCanvas *
present_canvas (GtkWindow **window,
                GdkPixbuf  *picture)
{
  InpMaskCanvas *canvas = INP_MASK_CANVAS (inp_mask_canvas_new ());

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (*window, 1200, 760);
  gtk_window_set_child (*window, GTK_WIDGET (canvas));
  gtk_window_present (*window);
  inp_test_wait_for_frame (GTK_WIDGET (*window));
  inp_mask_canvas_set_pixbuf (canvas, picture);
  inp_mask_canvas_set_brush_size (canvas, 64.0);
  inp_mask_canvas_set_hardness (canvas, 0.2);
  inp_test_wait_for_frame (GTK_WIDGET (canvas));

  return canvas;
}

/* A recorded hand stroke: a loose spiral with the uneven spacing of real pointer events. */
static void
recorded_point (guint             i,
                double            width,
                double            height,
                InpPointerSample *sample)
{
  double t = i / 2000.0;
  double angle = t * 6.0 * G_PI;
  double radius = 0.15 + 0.3 * t;

  sample->x = width * (0.5 + radius * cos (angle) + 0.004 * sin (i * 0.7));
  sample->y = height * (0.5 + radius * sin (angle) * 0.9 + 0.004 * cos (i * 1.3));
  sample->pressure = 1.0;
}

static void
bench_paint (void)
{
  g_autoptr(GdkPixbuf) picture = make_picture (8192);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWindow *window;
  InpMaskCanvas *canvas = present_canvas (&window, picture);
  double w = gtk_widget_get_width (GTK_WIDGET (canvas));
  double h = gtk_widget_get_height (GTK_WIDGET (canvas));
  InpPointerSample sample;

  recorded_point (0, w, h, &sample);
  _inp_mask_canvas_pointer_down (canvas, &sample, FALSE, 0);

  for (guint i = 1; i < 2000; i++)
    {
      gint64 start;
      double ms;

      recorded_point (i, w, h, &sample);
      start = g_get_monotonic_time ();
      /* The handler paints the dabs and requests the redraw of the tiles they touched. */
      _inp_mask_canvas_pointer_motion (canvas, &sample, 1);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);

      /* Let frames happen as they would between events. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  _inp_mask_canvas_pointer_up (canvas);
  inp_test_wait_for_frame (GTK_WIDGET (canvas));

  g_print ("{\"bench\":\"paint-event\",\"image\":8192,\"brush_px\":64,\"events\":%u,"
           "\"zoom\":%.3f,\"median_ms\":%.3f,\"p95_ms\":%.3f,\"max_ms\":%.3f,\"target_ms\":1}\n",
           times->len + 1, inp_mask_canvas_get_zoom (canvas), inp_test_percentile (times, 0.5),
           inp_test_percentile (times, 0.95), inp_test_percentile (times, 1.0));
  g_print ("{\"bench\":\"paint-peak-rss\",\"mb\":%.1f,\"mask_tiles\":%u,\"target_mb\":400}\n",
           peak_rss_mb (), inp_mask_get_n_allocated_tiles (inp_mask_canvas_get_mask (canvas)));

  gtk_window_destroy (window);
}

static void
bench_draw (void)
{
  g_autoptr(GdkPixbuf) picture = make_picture (4096);
  g_autoptr(GArray) snapshots = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) renders = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWindow *window;
  InpMaskCanvas *canvas = present_canvas (&window, picture);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  double w = gtk_widget_get_width (GTK_WIDGET (canvas));
  double h = gtk_widget_get_height (GTK_WIDGET (canvas));

  for (guint frame = 0; frame < 120; frame++)
    {
      InpPointerSample sample;
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      GtkSnapshot *snapshot;
      gint64 start;
      double ms;

      /* A short stroke before every frame, so each snapshot has changed tiles to bring up. */
      recorded_point (frame * 16, w, h, &sample);
      _inp_mask_canvas_pointer_down (canvas, &sample, FALSE, 0);
      for (guint i = 1; i <= 16; i++)
        {
          recorded_point (frame * 16 + i, w, h, &sample);
          _inp_mask_canvas_pointer_motion (canvas, &sample, 1);
        }
      _inp_mask_canvas_pointer_up (canvas);

      /* The widget's own snapshot, as GTK calls it for a frame: a widget paintable would hand
       * back a cached node. */
      start = g_get_monotonic_time ();
      snapshot = gtk_snapshot_new ();
      GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (frame > 0)
        g_array_append_val (snapshots, ms);

      start = g_get_monotonic_time ();
      texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (frame > 0)
        g_array_append_val (renders, ms);
    }

  g_print ("{\"bench\":\"draw-snapshot\",\"image\":4096,\"zoom\":%.3f,\"frames\":%u,"
           "\"median_ms\":%.3f,\"p95_ms\":%.3f,\"target_ms\":8}\n",
           inp_mask_canvas_get_zoom (canvas), snapshots->len, inp_test_percentile (snapshots, 0.5),
           inp_test_percentile (snapshots, 0.95));
  g_print ("{\"bench\":\"draw-render\",\"image\":4096,\"renderer\":\"%s\",\"median_ms\":%.3f,"
           "\"p95_ms\":%.3f}\n",
           G_OBJECT_TYPE_NAME (renderer), inp_test_percentile (renders, 0.5), inp_test_percentile (renders, 0.95));

  gtk_window_destroy (window);
}

/* 200 strokes at 100 %, each wandering over a few hundred pixels somewhere in the picture. */
static gsize
paint_strokes (InpMask *mask,
               guint    n)
{
  GRand *rand = g_rand_new_with_seed (42);
  gsize max_undo = 0;

  for (guint s = 0; s < n; s++)
    {
      InpBrush brush = { 64.0, 0.2, 1.0, FALSE };
      double x = g_rand_double_range (rand, 100, 8000);
      double y = g_rand_double_range (rand, 100, 8000);

      inp_mask_begin_stroke (mask, &brush);
      for (guint i = 0; i < 150; i++)
        {
          x = CLAMP (x + g_rand_double_range (rand, -6, 10), 0, 8191);
          y = CLAMP (y + g_rand_double_range (rand, -6, 10), 0, 8191);
          inp_mask_stroke_to (mask, x, y, 1.0);
        }
      inp_mask_end_stroke (mask);
      max_undo = MAX (max_undo, inp_mask_get_undo_size (mask));
    }

  g_rand_free (rand);
  return max_undo;
}

static void
bench_undo (void)
{
  g_autoptr(GdkPixbuf) picture = make_picture (8192);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWindow *window;
  InpMaskCanvas *canvas = present_canvas (&window, picture);
  InpMask *mask = inp_mask_canvas_get_mask (canvas);
  g_autoptr(InpMask) capped = inp_mask_new (8192, 8192);
  gsize max_undo, max_capped;
  guint kept;

  /* The same strokes under a 1 MB cap show the oldest steps going. */
  inp_mask_set_undo_limit (capped, 1024 * 1024);
  max_capped = paint_strokes (capped, 200);
  g_print ("{\"bench\":\"undo-memory-capped\",\"strokes\":200,\"steps_kept\":%u,"
           "\"max_mb\":%.2f,\"cap_mb\":1.0}\n",
           inp_mask_get_n_undo_steps (capped), max_capped / 1048576.0);

  inp_mask_canvas_zoom_at (canvas, 1.0, 0, 0);
  max_undo = paint_strokes (mask, 200);
  kept = inp_mask_get_n_undo_steps (mask);
  inp_test_wait_for_frame (GTK_WIDGET (canvas));

  while (inp_mask_can_undo (mask))
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.undo", NULL);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
    }

  g_print ("{\"bench\":\"undo-memory\",\"image\":8192,\"strokes\":200,\"steps_kept\":%u,"
           "\"max_mb\":%.1f,\"cap_mb\":%.1f}\n",
           kept, max_undo / 1048576.0, INP_MASK_DEFAULT_UNDO_LIMIT / 1048576.0);
  g_print ("{\"bench\":\"undo\",\"undos\":%u,\"median_ms\":%.3f,\"p95_ms\":%.3f,\"max_ms\":%.3f,"
           "\"target_ms\":20}\n",
           times->len, inp_test_percentile (times, 0.5), inp_test_percentile (times, 0.95), inp_test_percentile (times, 1.0));
  g_print ("{\"bench\":\"undo-peak-rss\",\"mb\":%.1f}\n", peak_rss_mb ());

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *which = argc > 1 ? argv[1] : "paint";

  if (!gtk_init_check ())
    {
      g_printerr ("bench-canvas: no display; run under Xvfb (tools/dev bench does)\n");
      return 77;
    }

  if (g_str_equal (which, "paint"))
    bench_paint ();
  else if (g_str_equal (which, "draw"))
    bench_draw ();
  else if (g_str_equal (which, "undo"))
    bench_undo ();
  else
    {
      g_printerr ("bench-canvas: unknown benchmark “%s”\n", which);
      return 2;
    }

  return 0;
}
