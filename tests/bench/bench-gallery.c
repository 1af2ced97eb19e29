/* bench-gallery.c: scrolling through a gallery of 1,000 results while thumbnails load
 *
 * Prints one JSON line per figure: the longest main-loop stall while scrolling (a 1 ms timeout
 * records the gaps between its runs; a gap is time the loop spent on something else, such as
 * laying out, binding items, painting or taking in decoded thumbnails), the longest frame, how
 * long the last screen takes to fill in once scrolling stops, and the peak RSS. The
 * library is filled through inp_library_store_output() with real 384×384 PNGs, each its own file.
 *
 * Beside each gap, the main thread's own CPU time within it (its thread clock): on a machine
 * shared with other work, a gap also holds time the thread waited for a core, and this says how
 * much of the longest one was the gallery's own work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <time.h>

#include "inp-gallery-item.h"
#include "inp-gallery.h"
#include "inp-image.h"
#include "inp-library.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

#define N_JOBS        250
#define N_OUTPUTS     4
#define N_VARIANTS    16
#define IMAGE_SIZE    384

static gint64 last_tick;
static gint64 last_tick_cpu;
static GArray *gaps;
static GArray *busy;
static guint n_decodes;

static gint64 frame_start;
static double frame_max;

static void
before_paint_cb (GdkFrameClock *clock)
{
  frame_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock)
{
  frame_max = MAX (frame_max, (g_get_monotonic_time () - frame_start) / 1000.0);
}

static gint64
thread_cpu_usec (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_usec ();
  double gap = (now - last_tick) / 1000.0;
  double gap_cpu = (cpu - last_tick_cpu) / 1000.0;

  g_array_append_val (gaps, gap);
  g_array_append_val (busy, gap_cpu);
  last_tick = now;
  last_tick_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

static void
count_decode (GFile    *file,
              gpointer  user_data)
{
  g_atomic_int_inc (&n_decodes);
}

static GBytes *
make_png (guint variant)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                                IMAGE_SIZE, IMAGE_SIZE);
  g_autoptr(GError) error = NULL;
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  GBytes *png;

  for (int y = 0; y < IMAGE_SIZE; y++)
    for (int x = 0; x < IMAGE_SIZE; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * 3;

        p[0] = (guint8) (x * 255 / IMAGE_SIZE);
        p[1] = (guint8) (variant * 16);
        p[2] = (guint8) (y * 255 / IMAGE_SIZE);
      }

  png = inp_image_encode (pixbuf, "png", 90, &error);
  g_assert_no_error (error);
  return png;
}

static double
fill (InpLibrary *library)
{
  GBytes *variants[N_VARIANTS];
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < N_VARIANTS; i++)
    variants[i] = make_png (i);

  for (guint j = 0; j < N_JOBS; j++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) inputs = json_from_string ("{\"prompt\": \"a koi pond\"}", NULL);
      gint64 job_id = inp_library_create_job (library, "owner/model", "v1",
                                              "https://api.example.com/v1", "a koi pond", inputs,
                                              &error);

      g_assert_no_error (error);
      for (guint i = 0; i < N_OUTPUTS; i++)
        {
          g_autoptr(GInputStream) stream =
            g_memory_input_stream_new_from_bytes (variants[(j * N_OUTPUTS + i) % N_VARIANTS]);
          g_autoptr(InpLibraryOutput) output = NULL;

          output = inp_library_store_output (library, job_id, i, "image/png", stream, NULL, NULL,
                                             &error);
          g_assert_no_error (error);
        }
    }

  for (guint i = 0; i < N_VARIANTS; i++)
    g_bytes_unref (variants[i]);

  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Counts the items bound to an output and at least partly inside @viewport. */
static void
collect_items (GtkWidget *widget,
               GtkWidget *viewport,
               guint     *n_items,
               guint     *n_loaded)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!INP_IS_GALLERY_ITEM (child))
        {
          collect_items (child, viewport, n_items, n_loaded);
          continue;
        }

      if (inp_gallery_item_get_item (INP_GALLERY_ITEM (child)) == NULL ||
          !gtk_widget_get_child_visible (gtk_widget_get_parent (child)) ||
          !gtk_widget_compute_bounds (child, viewport, &bounds) ||
          bounds.origin.y + bounds.size.height <= 0 ||
          bounds.origin.y >= gtk_widget_get_height (viewport))
        continue;

      (*n_items)++;
      if (inp_gallery_item_get_loaded (INP_GALLERY_ITEM (child)))
        (*n_loaded)++;
    }
}

static gboolean
visible_loaded (InpGallery *gallery)
{
  GtkWidget *grid = GTK_WIDGET (inp_gallery_get_grid_view (gallery));
  guint n_items = 0;
  guint n_loaded = 0;

  collect_items (grid, gtk_widget_get_parent (grid), &n_items, &n_loaded);
  return n_items > 0 && n_items == n_loaded;
}

static guint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  InpLibrary *library;
  InpGallery *gallery;
  GtkWindow *window;
  GtkAdjustment *adjustment;
  GtkWidget *grid;
  double fill_ms;
  double settle_ms;
  double max_gap;
  double p99_gap;
  double p50_gap;
  double idle_max_gap;
  double longest_busy;
  double max_busy;
  gint64 start;
  guint tick_id;
  guint n_steps = 0;

  if (!inp_test_ui_init (&argc, &argv))
    {
      g_printerr ("bench-gallery: no display; run it under Xvfb (tools/dev bench does)\n");
      return 77;
    }

  dir = inp_test_make_temp_dir ();
  path = g_build_filename (dir, "library.db", NULL);
  library = inp_library_new (path, &error);
  g_assert_no_error (error);
  fill_ms = fill (library);

  gallery = inp_gallery_new (library);
  inp_thumbnail_loader_set_decode_func (inp_gallery_get_thumbnail_loader (gallery),
                                        count_decode, NULL);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_set_child (window, GTK_WIDGET (gallery));
  gtk_window_present (window);
  inp_test_wait_for_frame (GTK_WIDGET (window));

  grid = GTK_WIDGET (inp_gallery_get_grid_view (gallery));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  gaps = g_array_new (FALSE, FALSE, sizeof (double));
  busy = g_array_new (FALSE, FALSE, sizeof (double));

  /* The machine's own noise first: the same measure for a second with nothing to do. */
  while (!visible_loaded (gallery))
    g_main_context_iteration (NULL, TRUE);
  last_tick = g_get_monotonic_time ();
  last_tick_cpu = thread_cpu_usec ();
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, NULL, NULL);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_array_sort (gaps, inp_test_compare_doubles);
  idle_max_gap = g_array_index (gaps, double, gaps->len - 1);
  g_array_set_size (gaps, 0);
  g_array_set_size (busy, 0);

  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

    g_signal_connect (clock, "layout", G_CALLBACK (before_paint_cb), NULL);
    g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  }

  /* Half a page per frame, top to bottom: about 30 rows a second at 60 frames per second. */
  start = g_get_monotonic_time ();
  while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         < gtk_adjustment_get_upper (adjustment) - 1)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            + gtk_adjustment_get_page_size (adjustment) / 2);
      inp_test_wait_for_frame (GTK_WIDGET (window));
      n_steps++;
    }

  /* The last screen's thumbnails arrive: the newest requests are decoded first. */
  {
    gint64 stop = g_get_monotonic_time ();

    while (!visible_loaded (gallery))
      {
        g_assert_cmpint (g_get_monotonic_time () - stop, <, 30 * G_USEC_PER_SEC);
        g_main_context_iteration (NULL, TRUE);
      }
    settle_ms = (g_get_monotonic_time () - stop) / 1000.0;
  }
  g_source_remove (tick_id);

  /* The CPU time inside the longest gap, before the gaps are sorted. */
  {
    guint longest = 0;

    for (guint i = 1; i < gaps->len; i++)
      if (g_array_index (gaps, double, i) > g_array_index (gaps, double, longest))
        longest = i;
    longest_busy = g_array_index (busy, double, longest);
  }
  max_busy = inp_test_percentile (busy, 1.0);
  g_array_sort (gaps, inp_test_compare_doubles);
  max_gap = g_array_index (gaps, double, gaps->len - 1);
  p99_gap = g_array_index (gaps, double, (gaps->len - 1) * 99 / 100);
  p50_gap = g_array_index (gaps, double, (gaps->len - 1) / 2);

  g_print ("{\"bench\":\"gallery-fill\",\"results\":%u,\"ms\":%.0f}\n",
           N_JOBS * N_OUTPUTS, fill_ms);
  g_print ("{\"bench\":\"gallery-scroll\",\"results\":%u,\"steps\":%u,\"ms\":%.0f,"
           "\"decodes\":%u}\n",
           g_list_model_get_n_items (inp_gallery_get_model (gallery)), n_steps,
           (g_get_monotonic_time () - start) / 1000.0, g_atomic_int_get (&n_decodes));
  g_print ("{\"bench\":\"gallery-scroll-stall\",\"max_ms\":%.1f,\"p99_ms\":%.1f,"
           "\"p50_ms\":%.1f,\"idle_max_ms\":%.1f,\"target_ms\":16}\n",
           max_gap, p99_gap, p50_gap, idle_max_gap);
  g_print ("{\"bench\":\"gallery-scroll-busy\",\"max_ms\":%.1f,\"in_longest_stall_ms\":%.1f,"
           "\"target_ms\":16}\n", max_busy, longest_busy);
  g_print ("{\"bench\":\"gallery-scroll-frame\",\"max_ms\":%.1f}\n", frame_max);
  g_print ("{\"bench\":\"gallery-last-screen-ready\",\"ms\":%.1f}\n", settle_ms);
  g_print ("{\"bench\":\"gallery-peak-rss\",\"mb\":%.1f,\"target_mb\":400}\n",
           peak_rss_kb () / 1024.0);

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (library);
  g_array_unref (gaps);
  g_array_unref (busy);
  inp_test_remove_tree (dir);

  return 0;
}
