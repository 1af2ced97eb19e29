/* test-mask-canvas.c: the mask canvas under a real display, at scale 1 (and 2 with --scale=2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "inp-error.h"
#include "inp-mask-canvas-private.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

#define IMAGE_W 1000
#define IMAGE_H 800

typedef struct
{
  GtkWindow     *window;
  InpMaskCanvas *canvas;
  GdkPixbuf     *pixbuf;
} Fixture;

static GdkPixbuf *
make_picture (int      width,
              int      height,
              gboolean alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);

  /* Mid grey, with a blue left half, so that rendering shows where the picture is. */
  gdk_pixbuf_fill (pixbuf, 0x808080ff);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width / 2; x++)
      {
        guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

        p[0] = 0;
        p[1] = 0;
        p[2] = 200;
      }

  return pixbuf;
}

static void
fixture_setup (Fixture *f)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  f->canvas = INP_MASK_CANVAS (inp_mask_canvas_new ());
  f->pixbuf = make_picture (IMAGE_W, IMAGE_H, FALSE);

  gtk_window_set_default_size (f->window, 400, 300);
  gtk_window_set_child (f->window, GTK_WIDGET (f->canvas));
  g_object_ref (f->canvas);
  gtk_window_present (f->window);
  inp_test_wait_for_frame (GTK_WIDGET (f->window));

  inp_mask_canvas_set_pixbuf (f->canvas, f->pixbuf);
  inp_test_wait_for_frame (GTK_WIDGET (f->canvas));
}

static void
fixture_teardown (Fixture *f)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* An export or import thread lets go of the canvas a moment after its callback ran. */
  inp_test_assert_finalized_soon (f->canvas);
  g_object_unref (f->pixbuf);
}

/* Renders the canvas the way the window does, at the display's scale, and downloads it. */
static guint8 *
render (InpMaskCanvas *canvas,
        int           *width,
        int           *height)
{
  GtkWidget *widget = GTK_WIDGET (canvas);
  int scale = gtk_widget_get_scale_factor (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  guint8 *pixels;

  gtk_snapshot_scale (snapshot, scale, scale);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, w * scale, h * scale));
  *width = gdk_texture_get_width (texture);
  *height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, pixels, (gsize) *width * 4);

  return pixels;
}

/* The red, green and blue of a rendered device pixel. */
static void
rendered_rgb (const guint8 *pixels,
              int           width,
              int           x,
              int           y,
              int          *rgb)
{
  guint32 argb;

  memcpy (&argb, pixels + ((gsize) y * width + x) * 4, 4);
  rgb[0] = (argb >> 16) & 0xff;
  rgb[1] = (argb >> 8) & 0xff;
  rgb[2] = argb & 0xff;
}

static const guint8 *
pixel_at (GdkPixbuf *pixbuf,
          int        x,
          int        y)
{
  return gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
         x * gdk_pixbuf_get_n_channels (pixbuf);
}

static void
click (InpMaskCanvas   *canvas,
       double           x,
       double           y,
       gboolean         erase,
       GdkModifierType  state)
{
  InpPointerSample sample = { x, y, 1.0 };

  _inp_mask_canvas_pointer_down (canvas, &sample, erase, state);
  _inp_mask_canvas_pointer_up (canvas);
}

static void
drag (InpMaskCanvas   *canvas,
      double           x0,
      double           y0,
      double           x1,
      double           y1,
      gboolean         erase,
      GdkModifierType  state)
{
  InpPointerSample sample = { x0, y0, 1.0 };

  _inp_mask_canvas_pointer_down (canvas, &sample, erase, state);
  for (int i = 1; i <= 20; i++)
    {
      InpPointerSample step = { x0 + (x1 - x0) * i / 20.0, y0 + (y1 - y0) * i / 20.0, 1.0 };

      _inp_mask_canvas_pointer_motion (canvas, &step, 1);
    }
  _inp_mask_canvas_pointer_up (canvas);
}

static void
test_canvas_mapping (void)
{
  Fixture f;
  const double zooms[] = { 0.25, 1.0, 3.7, 16.0 };
  const double fractions[] = { 0.2, 0.8 };
  InpMask *mask;
  int scale;

  fixture_setup (&f);
  mask = inp_mask_canvas_get_mask (f.canvas);
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (f.canvas));
  g_test_message ("display scale %d", scale);
  g_assert_cmpint (scale, ==, g_strcmp0 (g_getenv ("GDK_SCALE"), "2") == 0 ? 2 : 1);

  inp_mask_canvas_set_brush_size (f.canvas, 1.0);
  inp_mask_canvas_set_hardness (f.canvas, 1.0);

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      inp_mask_canvas_zoom_at (f.canvas, zooms[z], 200.0, 150.0);
      g_assert_cmpfloat (inp_mask_canvas_get_zoom (f.canvas), ==, zooms[z]);
      inp_test_wait_for_frame (GTK_WIDGET (f.canvas));

      for (guint i = 0; i < G_N_ELEMENTS (fractions); i++)
        for (guint j = 0; j < G_N_ELEMENTS (fractions); j++)
          {
            double wx, wy, ix, iy;
            int px, py;


            /* A pointer position on the device pixel grid, as events arrive at this scale,
             * somewhere inside image pixel (500, 400). */
            inp_mask_canvas_image_to_widget (f.canvas, 500.0 + fractions[i], 400.0 + fractions[j],
                                             &wx, &wy);
            wx = round (wx * scale) / scale;
            wy = round (wy * scale) / scale;
            inp_mask_canvas_widget_to_image (f.canvas, wx, wy, &ix, &iy);
            px = (int) floor (ix);
            py = (int) floor (iy);

            click (f.canvas, wx, wy, FALSE, 0);

            /* The pixel under the pointer was painted, at least as strongly as any other, and
             * nothing a pixel or more away from the pointer was touched. */
            g_assert_cmpuint (inp_mask_get_pixel (mask, px, py), >, 0);
            for (int dy = -2; dy <= 2; dy++)
              for (int dx = -2; dx <= 2; dx++)
                {
                  guint8 v = inp_mask_get_pixel (mask, px + dx, py + dy);

                  g_assert_cmpuint (v, <=, inp_mask_get_pixel (mask, px, py));
                  if (hypot (px + dx + 0.5 - ix, py + dy + 0.5 - iy) >= 1.0)
                    g_assert_cmpuint (v, ==, 0);
                }

            gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.undo", NULL);
            g_assert_true (inp_mask_is_empty (mask));
          }
    }

  fixture_teardown (&f);
}

static void
test_canvas_rendered (void)
{
  Fixture f;
  g_autofree guint8 *pixels = NULL;
  int w, h, rgb[3], scale;

  fixture_setup (&f);
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (f.canvas));

  /* At 400 %, fill image pixels 600–609 × 400–409 with the rectangle tool. */
  inp_mask_canvas_zoom_at (f.canvas, 4.0, 200.0, 150.0);
  /* Put image pixel (600, 400) at widget (100, 100). */
  {
    double ox, oy;

    inp_mask_canvas_image_to_widget (f.canvas, 600, 400, &ox, &oy);
    _inp_mask_canvas_scroll (f.canvas, ox - 100.0, oy - 100.0, 0);
    inp_mask_canvas_image_to_widget (f.canvas, 600, 400, &ox, &oy);
    g_assert_cmpfloat (ox, ==, 100.0);
    g_assert_cmpfloat (oy, ==, 100.0);
  }

  inp_mask_canvas_set_tool (f.canvas, INP_CANVAS_TOOL_RECTANGLE);
  drag (f.canvas, 100.0, 100.0, 140.0, 140.0, FALSE, 0);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 600, 400), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 609, 409), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 610, 409), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 599, 400), ==, 0);

  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));
  pixels = render (f.canvas, &w, &h);
  g_assert_cmpint (w, ==, gtk_widget_get_width (GTK_WIDGET (f.canvas)) * scale);

  /* Inside: the grey picture under the red tint. */
  rendered_rgb (pixels, w, 102 * scale, 102 * scale, rgb);
  g_assert_cmpint (rgb[0], >, rgb[1] + 60);
  rendered_rgb (pixels, w, 139 * scale + scale - 1, 139 * scale + scale - 1, rgb);
  g_assert_cmpint (rgb[0], >, rgb[1] + 60);
  /* Just outside, on both sides: plain grey. */
  rendered_rgb (pixels, w, 140 * scale, 120 * scale, rgb);
  g_assert_cmpint (ABS (rgb[0] - 128), <=, 2);
  g_assert_cmpint (ABS (rgb[1] - 128), <=, 2);
  rendered_rgb (pixels, w, 100 * scale - 1, 120 * scale, rgb);
  g_assert_cmpint (ABS (rgb[0] - 128), <=, 2);

  g_clear_pointer (&pixels, g_free);

  /* Magnified pixels are drawn whole: the blue/grey edge of the picture falls exactly on the
   * device pixel where image column 500 starts. */
  {
    double ex, ey, shift;
    int edge;

    inp_mask_canvas_image_to_widget (f.canvas, 500, 400, &ex, &ey);
    shift = ex - 200.0;
    _inp_mask_canvas_scroll (f.canvas, shift, 0, 0);
    inp_mask_canvas_image_to_widget (f.canvas, 500, 400, &ex, &ey);
    edge = (int) round (ex * scale);
    g_assert_cmpfloat (edge, ==, ex * scale);
    inp_test_wait_for_frame (GTK_WIDGET (f.canvas));
    pixels = render (f.canvas, &w, &h);
    rendered_rgb (pixels, w, edge - 1, (int) (ey * scale) - 8, rgb);
    g_assert_cmpint (rgb[0], ==, 0);
    g_assert_cmpint (rgb[2], ==, 200);
    rendered_rgb (pixels, w, edge, (int) (ey * scale) - 8, rgb);
    g_assert_cmpint (rgb[0], ==, 128);
    g_assert_cmpint (rgb[2], ==, 128);
    g_clear_pointer (&pixels, g_free);
    _inp_mask_canvas_scroll (f.canvas, -shift, 0, 0);
  }

  /* The exact mask view: white where the model repaints, black where it keeps. */
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.toggle-mask-view", NULL);
  g_assert_true (inp_mask_canvas_get_show_mask (f.canvas));
  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));
  pixels = render (f.canvas, &w, &h);
  rendered_rgb (pixels, w, 120 * scale, 120 * scale, rgb);
  g_assert_cmpint (rgb[0], ==, 255);
  g_assert_cmpint (rgb[1], ==, 255);
  g_assert_cmpint (rgb[2], ==, 255);
  rendered_rgb (pixels, w, 160 * scale, 120 * scale, rgb);
  g_assert_cmpint (rgb[0], ==, 0);
  g_assert_cmpint (rgb[2], ==, 0);
  g_clear_pointer (&pixels, g_free);

  /* A later stroke shows up in the next frame: the changed tile was redrawn. */
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.toggle-mask-view", NULL);
  inp_mask_canvas_set_tool (f.canvas, INP_CANVAS_TOOL_BRUSH);
  inp_mask_canvas_set_brush_size (f.canvas, 8.0);
  inp_mask_canvas_set_hardness (f.canvas, 1.0);
  click (f.canvas, 300.0, 200.0, FALSE, 0);
  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));
  pixels = render (f.canvas, &w, &h);
  rendered_rgb (pixels, w, 300 * scale, 200 * scale, rgb);
  g_assert_cmpint (rgb[0], >, rgb[1] + 60);

  fixture_teardown (&f);
}

static void
test_canvas_zoomed_out (void)
{
  Fixture f;
  g_autofree guint8 *pixels = NULL;
  g_autoptr(GdkPixbuf) big = make_picture (4096, 3072, FALSE);
  int w, h, rgb[3], scale;
  double wx, wy;

  fixture_setup (&f);
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (f.canvas));

  /* A big picture fitted into a small window draws from averaged tiles. */
  inp_mask_canvas_set_pixbuf (f.canvas, big);
  g_assert_cmpfloat (inp_mask_canvas_get_zoom (f.canvas), <, 0.1);
  inp_mask_fill_rect (inp_mask_canvas_get_mask (f.canvas),
                      &(InpMaskRect) { 3000, 2000, 800, 800 }, INP_MASK_REPAINT);
  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));
  pixels = render (f.canvas, &w, &h);

  inp_mask_canvas_image_to_widget (f.canvas, 3400, 2400, &wx, &wy);
  rendered_rgb (pixels, w, (int) (wx * scale), (int) (wy * scale), rgb);
  g_assert_cmpint (rgb[0], >, rgb[1] + 60);
  inp_mask_canvas_image_to_widget (f.canvas, 1000, 1500, &wx, &wy);
  rendered_rgb (pixels, w, (int) (wx * scale), (int) (wy * scale), rgb);
  g_assert_cmpint (rgb[0], <, 10);
  g_assert_cmpint (rgb[2], >, 190);

  fixture_teardown (&f);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_canvas_strokes (void)
{
  Fixture f;
  InpMask *mask;
  guint changes = 0;
  guint empty_notifies = 0;
  double ax, ay, bx, by;

  fixture_setup (&f);
  mask = inp_mask_canvas_get_mask (f.canvas);
  g_signal_connect_swapped (f.canvas, "mask-changed", G_CALLBACK (count_cb), &changes);
  g_signal_connect_swapped (f.canvas, "notify::is-mask-empty", G_CALLBACK (count_cb),
                            &empty_notifies);
  inp_mask_canvas_zoom_at (f.canvas, 1.0, 200.0, 150.0);
  inp_mask_canvas_set_hardness (f.canvas, 1.0);
  inp_mask_canvas_set_brush_size (f.canvas, 10.0);
  g_assert_true (inp_mask_canvas_is_mask_empty (f.canvas));

  /* A stroke is one change and one undo step. */
  inp_mask_canvas_widget_to_image (f.canvas, 50, 50, &ax, &ay);
  inp_mask_canvas_widget_to_image (f.canvas, 250, 50, &bx, &by);
  drag (f.canvas, 50, 50, 250, 50, FALSE, 0);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (empty_notifies, ==, 1);
  g_assert_false (inp_mask_canvas_is_mask_empty (f.canvas));
  for (double x = ax; x <= bx; x += 1.0)
    g_assert_cmpuint (inp_mask_get_pixel (mask, (int) x, (int) ay), ==, 255);

  /* The right button erases. */
  drag (f.canvas, 100, 50, 150, 50, TRUE, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) (ax + 75), (int) ay), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) (ax + 25), (int) ay), ==, 255);

  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.undo", NULL);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) (ax + 75), (int) ay), ==, 255);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.redo", NULL);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) (ax + 75), (int) ay), ==, 0);
  g_assert_cmpuint (changes, ==, 4);

  /* Shift+click draws a straight line on from where the last stroke ended. */
  inp_mask_canvas_widget_to_image (f.canvas, 50, 200, &ax, &ay);
  click (f.canvas, 50, 200, FALSE, 0);
  click (f.canvas, 250, 200, FALSE, GDK_SHIFT_MASK);
  for (double x = ax; x <= ax + 200; x += 1.0)
    g_assert_cmpuint (inp_mask_get_pixel (mask, (int) x, (int) ay), ==, 255);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.undo", NULL);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ax + 100, (int) ay), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ax, (int) ay), ==, 255);

  /* The eraser keeps its own size. */
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.tool-eraser", NULL);
  g_assert_cmpint (inp_mask_canvas_get_tool (f.canvas), ==, INP_CANVAS_TOOL_ERASER);
  inp_mask_canvas_set_brush_size (f.canvas, 100.0);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.tool-brush", NULL);
  g_assert_cmpfloat (inp_mask_canvas_get_brush_size (f.canvas), ==, 10.0);

  fixture_teardown (&f);
}

static void
test_canvas_stylus (void)
{
  Fixture f;
  InpMask *mask;
  InpPointerSample down = { 50, 100, 1.0 };
  InpPointerSample backlog[40];
  double ix, iy;

  fixture_setup (&f);
  mask = inp_mask_canvas_get_mask (f.canvas);
  inp_mask_canvas_zoom_at (f.canvas, 1.0, 200.0, 150.0);
  inp_mask_canvas_set_hardness (f.canvas, 1.0);
  inp_mask_canvas_set_brush_size (f.canvas, 40.0);

  /* A pen stroke whose backlog goes from light to full pressure: thin, then wide. */
  down.pressure = 0.25;
  _inp_mask_canvas_pointer_down (f.canvas, &down, FALSE, 0);
  for (guint i = 0; i < G_N_ELEMENTS (backlog); i++)
    backlog[i] = (InpPointerSample) { 50 + i * 5, 100, 0.25 + 0.75 * i / 39.0 };
  _inp_mask_canvas_pointer_motion (f.canvas, backlog, G_N_ELEMENTS (backlog));
  _inp_mask_canvas_pointer_up (f.canvas);

  inp_mask_canvas_widget_to_image (f.canvas, 52, 100, &ix, &iy);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy + 3), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy + 8), ==, 0);
  inp_mask_canvas_widget_to_image (f.canvas, 240, 100, &ix, &iy);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy + 17), ==, 255);

  /* The pen's eraser end erases, whatever the tool. */
  down = (InpPointerSample) { 240, 100, 1.0 };
  _inp_mask_canvas_pointer_down (f.canvas, &down, TRUE, 0);
  _inp_mask_canvas_pointer_up (f.canvas);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy), ==, 0);
  g_assert_cmpint (inp_mask_canvas_get_tool (f.canvas), ==, INP_CANVAS_TOOL_BRUSH);

  fixture_teardown (&f);
}

static void
test_canvas_shapes (void)
{
  Fixture f;
  InpMask *mask;
  double ix, iy;

  fixture_setup (&f);
  mask = inp_mask_canvas_get_mask (f.canvas);
  inp_mask_canvas_zoom_at (f.canvas, 2.0, 200.0, 150.0);

  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.tool-ellipse", NULL);
  drag (f.canvas, 100, 100, 200, 160, FALSE, 0);
  inp_mask_canvas_widget_to_image (f.canvas, 150, 130, &ix, &iy);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy), ==, 255);
  inp_mask_canvas_widget_to_image (f.canvas, 102, 102, &ix, &iy);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy), ==, 0);

  /* With Ctrl a shape clears. */
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.tool-rectangle", NULL);
  drag (f.canvas, 140, 90, 160, 170, FALSE, GDK_CONTROL_MASK);
  inp_mask_canvas_widget_to_image (f.canvas, 150, 130, &ix, &iy);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy), ==, 0);
  inp_mask_canvas_widget_to_image (f.canvas, 120, 130, &ix, &iy);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy), ==, 255);

  /* A lasso triangle. */
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.tool-lasso", NULL);
  {
    InpPointerSample a = { 250, 50, 1 }, b = { 350, 50, 1 }, c = { 250, 150, 1 };

    _inp_mask_canvas_pointer_down (f.canvas, &a, FALSE, 0);
    _inp_mask_canvas_pointer_motion (f.canvas, &b, 1);
    _inp_mask_canvas_pointer_motion (f.canvas, &c, 1);
    _inp_mask_canvas_pointer_up (f.canvas);
  }
  inp_mask_canvas_widget_to_image (f.canvas, 270, 70, &ix, &iy);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy), ==, 255);
  inp_mask_canvas_widget_to_image (f.canvas, 340, 140, &ix, &iy);
  g_assert_cmpuint (inp_mask_get_pixel (mask, (int) ix, (int) iy), ==, 0);
  g_assert_cmpuint (inp_mask_get_n_undo_steps (mask), ==, 3);

  fixture_teardown (&f);
}

static void
test_canvas_actions (void)
{
  Fixture f;
  InpMask *mask;
  GActionGroup *group;
  const char *names[] = {
    "undo", "redo", "invert", "clear", "fill", "grow", "shrink", "feather", "mask-from-alpha",
    "extend", "tool-brush", "tool-eraser", "tool-rectangle", "tool-ellipse", "tool-lasso",
    "zoom-in", "zoom-out", "zoom-fit", "zoom-1to1", "toggle-mask-view", "import-mask",
    "export-mask", "brush-bigger", "brush-smaller",
  };
  double zoom;

  fixture_setup (&f);
  mask = inp_mask_canvas_get_mask (f.canvas);
  group = inp_mask_canvas_get_action_group (f.canvas);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_true (g_action_group_has_action (group, names[i]));

  g_assert_false (g_action_group_get_action_enabled (group, "undo"));
  g_assert_false (g_action_group_get_action_enabled (group, "clear"));
  /* The picture has no alpha channel to make a mask from. */
  g_assert_false (g_action_group_get_action_enabled (group, "mask-from-alpha"));

  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.fill", NULL);
  g_assert_cmpfloat (inp_mask_get_coverage (mask), ==, 1.0);
  g_assert_true (g_action_group_get_action_enabled (group, "undo"));
  g_assert_true (g_action_group_get_action_enabled (group, "clear"));
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.invert", NULL);
  g_assert_true (inp_mask_canvas_is_mask_empty (f.canvas));
  inp_mask_fill_rect (mask, &(InpMaskRect) { 100, 100, 50, 50 }, INP_MASK_REPAINT);
  g_object_set (f.canvas, "edge-amount", 10, NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.grow", NULL);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 90, 120), ==, 255);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.shrink", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.shrink", NULL);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 105, 125), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.feather", NULL);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 125, 125), ==, 255);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.clear", NULL);
  g_assert_true (inp_mask_canvas_is_mask_empty (f.canvas));

  /* Size keys: [ and ] step the brush. */
  inp_mask_canvas_set_brush_size (f.canvas, 40.0);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.brush-bigger", NULL);
  g_assert_cmpfloat (inp_mask_canvas_get_brush_size (f.canvas), ==, 50.0);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.brush-smaller", NULL);
  g_assert_cmpfloat (inp_mask_canvas_get_brush_size (f.canvas), ==, 40.0);

  /* Zoom actions. */
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.zoom-1to1", NULL);
  g_assert_cmpfloat (inp_mask_canvas_get_zoom (f.canvas), ==, 1.0);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (inp_mask_canvas_get_zoom (f.canvas), M_SQRT2, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.zoom-out", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (inp_mask_canvas_get_zoom (f.canvas), M_SQRT1_2, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.zoom-fit", NULL);
  zoom = inp_mask_canvas_get_zoom (f.canvas);
  g_assert_cmpfloat (zoom, <, 0.4);
  g_assert_cmpfloat (IMAGE_W * zoom, <=, gtk_widget_get_width (GTK_WIDGET (f.canvas)));
  g_assert_cmpfloat (IMAGE_H * zoom, <=, gtk_widget_get_height (GTK_WIDGET (f.canvas)));

  /* Zoom stays within 5 %–3200 %. */
  for (int i = 0; i < 30; i++)
    gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.zoom-in", NULL);
  g_assert_cmpfloat (inp_mask_canvas_get_zoom (f.canvas), ==, INP_MASK_CANVAS_MAX_ZOOM);
  for (int i = 0; i < 40; i++)
    gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.zoom-out", NULL);
  g_assert_cmpfloat (inp_mask_canvas_get_zoom (f.canvas), ==, INP_MASK_CANVAS_MIN_ZOOM);

  fixture_teardown (&f);
}

static void
test_canvas_extend (void)
{
  Fixture f;
  InpMask *mask;
  GdkPixbuf *pixbuf;

  fixture_setup (&f);
  mask = inp_mask_canvas_get_mask (f.canvas);
  inp_mask_fill_rect (mask, &(InpMaskRect) { 10, 10, 20, 20 }, INP_MASK_REPAINT);

  g_object_set (f.canvas, "extend-amount", 128, NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.extend", "s", "left");
  pixbuf = inp_mask_canvas_get_pixbuf (f.canvas);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, IMAGE_W + 128);
  g_assert_cmpint (inp_mask_get_width (mask), ==, IMAGE_W + 128);
  g_assert_cmpint (gdk_texture_get_width (inp_mask_canvas_get_image (f.canvas)), ==, IMAGE_W + 128);
  /* The new strip is masked and takes the picture's edge colour (blue). */
  g_assert_cmpuint (inp_mask_get_pixel (mask, 5, 400), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 138, 20), ==, 255);
  g_assert_cmpuint (pixel_at (pixbuf, 0, 400)[2], ==, 200);

  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.extend", "s", "all");
  g_assert_cmpint (inp_mask_get_height (mask), ==, IMAGE_H + 256);
  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));

  /* Undo brings back the picture of each size with its mask. */
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.undo", NULL);
  g_assert_cmpint (gdk_pixbuf_get_width (inp_mask_canvas_get_pixbuf (f.canvas)), ==, IMAGE_W + 128);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.undo", NULL);
  g_assert_true (inp_mask_canvas_get_pixbuf (f.canvas) == f.pixbuf);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 10, 10), ==, 255);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.redo", NULL);
  g_assert_cmpint (gdk_pixbuf_get_width (inp_mask_canvas_get_pixbuf (f.canvas)), ==, IMAGE_W + 128);
  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));

  fixture_teardown (&f);
}

static gboolean
take_over_extend_cb (InpMaskCanvas *canvas,
                     const char    *side,
                     char         **seen)
{
  g_free (*seen);
  *seen = g_strdup (side);
  return TRUE;
}

static void
test_canvas_extend_requested (void)
{
  Fixture f;
  g_autofree char *seen = NULL;
  gulong handler;

  fixture_setup (&f);
  g_object_set (f.canvas, "extend-amount", 64, NULL);

  /* A handler that takes over (as the window does for a model's own outpaint preset) leaves the
   * picture, the mask and the undo history as they were. */
  handler = g_signal_connect (f.canvas, "extend-requested", G_CALLBACK (take_over_extend_cb), &seen);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.extend", "s", "top");
  g_assert_cmpstr (seen, ==, "top");
  g_assert_true (inp_mask_canvas_get_pixbuf (f.canvas) == f.pixbuf);
  g_assert_cmpint (inp_mask_get_height (inp_mask_canvas_get_mask (f.canvas)), ==, IMAGE_H);

  /* Extending directly does not ask, and is undoable like the action. */
  inp_mask_canvas_extend (f.canvas, "top");
  g_assert_cmpint (gdk_pixbuf_get_height (inp_mask_canvas_get_pixbuf (f.canvas)), ==, IMAGE_H + 64);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 5, 5), ==, 255);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.undo", NULL);
  g_assert_true (inp_mask_canvas_get_pixbuf (f.canvas) == f.pixbuf);

  /* Without a handler that takes over, the action extends. */
  g_signal_handler_disconnect (f.canvas, handler);
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.extend", "s", "bottom");
  g_assert_cmpint (gdk_pixbuf_get_height (inp_mask_canvas_get_pixbuf (f.canvas)), ==, IMAGE_H + 64);
  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));

  fixture_teardown (&f);
}

static void
test_canvas_alpha (void)
{
  Fixture f;
  g_autoptr(GdkPixbuf) holed = make_picture (300, 200, TRUE);
  g_autoptr(GdkPixbuf) hole = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 50, 40);

  fixture_setup (&f);
  gdk_pixbuf_fill (hole, 0);
  gdk_pixbuf_copy_area (hole, 0, 0, 50, 40, holed, 100, 100);
  inp_mask_canvas_set_pixbuf (f.canvas, holed);
  g_assert_true (g_action_group_get_action_enabled (inp_mask_canvas_get_action_group (f.canvas),
                                                    "mask-from-alpha"));
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.mask-from-alpha", NULL);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 120, 120), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 20, 20), ==, 0);
  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));

  fixture_teardown (&f);
}

static void
test_canvas_texture (void)
{
  Fixture f;
  guint8 data[4 * 3 * 2];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkPixbuf *pixbuf;
  GdkTexture *image;

  fixture_setup (&f);

  /* A 3 × 2 premultiplied texture: opaque red, half-transparent green, transparent. */
  memset (data, 0, sizeof data);
  memcpy (data + 0, (guint8[]) { 0, 0, 255, 255 }, 4);
  memcpy (data + 4, (guint8[]) { 0, 128, 0, 128 }, 4);
  bytes = g_bytes_new (data, sizeof data);
  texture = gdk_memory_texture_new (3, 2, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, 12);

  g_object_set (f.canvas, "image", texture, NULL);
  g_object_get (f.canvas, "image", &image, NULL);
  g_assert_true (image == texture);
  g_object_unref (image);

  /* The canvas keeps straight RGBA for its own use, with a fresh empty mask. */
  pixbuf = inp_mask_canvas_get_pixbuf (f.canvas);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 3);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 2);
  g_assert_cmpmem (pixel_at (pixbuf, 0, 0), 4, ((guint8[]) { 255, 0, 0, 255 }), 4);
  g_assert_cmpmem (pixel_at (pixbuf, 1, 0), 4, ((guint8[]) { 0, 255, 0, 128 }), 4);
  g_assert_cmpuint (pixel_at (pixbuf, 2, 0)[3], ==, 0);
  g_assert_cmpint (inp_mask_get_width (inp_mask_canvas_get_mask (f.canvas)), ==, 3);
  g_assert_true (inp_mask_canvas_is_mask_empty (f.canvas));

  /* Its alpha makes a mask: the transparent pixels are repainted. */
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.mask-from-alpha", NULL);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 2, 1), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (inp_mask_canvas_get_mask (f.canvas), 0, 0), ==, 0);
  inp_test_wait_for_frame (GTK_WIDGET (f.canvas));

  fixture_teardown (&f);
}

static void
test_canvas_view (void)
{
  Fixture f;
  double before_x, before_y, after_x, after_y, zoom;

  fixture_setup (&f);

  /* Ctrl+scroll zooms around the pointer: the image point under it stays put. */
  _inp_mask_canvas_hover (f.canvas, 123.0, 77.0);
  inp_mask_canvas_widget_to_image (f.canvas, 123.0, 77.0, &before_x, &before_y);
  zoom = inp_mask_canvas_get_zoom (f.canvas);
  _inp_mask_canvas_scroll (f.canvas, 0, -200.0, GDK_CONTROL_MASK);
  g_assert_cmpfloat_with_epsilon (inp_mask_canvas_get_zoom (f.canvas), zoom * 2, 1e-9);
  inp_mask_canvas_widget_to_image (f.canvas, 123.0, 77.0, &after_x, &after_y);
  g_assert_cmpfloat (fabs (after_x - before_x) * inp_mask_canvas_get_zoom (f.canvas), <=, 0.5);
  g_assert_cmpfloat (fabs (after_y - before_y) * inp_mask_canvas_get_zoom (f.canvas), <=, 0.5);

  /* Plain scrolling pans by screen pixels. */
  _inp_mask_canvas_scroll (f.canvas, 10.0, 20.0, 0);
  inp_mask_canvas_widget_to_image (f.canvas, 123.0, 77.0, &after_x, &after_y);
  zoom = inp_mask_canvas_get_zoom (f.canvas);
  g_assert_cmpfloat_with_epsilon ((after_x - before_x) * zoom, 10.0, 0.6);
  g_assert_cmpfloat_with_epsilon ((after_y - before_y) * zoom, 20.0, 0.6);

  /* Alt+scroll sizes the brush. */
  inp_mask_canvas_set_brush_size (f.canvas, 50.0);
  _inp_mask_canvas_scroll (f.canvas, 0, -200.0, GDK_ALT_MASK);
  g_assert_cmpfloat (inp_mask_canvas_get_brush_size (f.canvas), ==, 100.0);

  /* The accessible description names tool, size and coverage. */
  g_assert_nonnull (strstr (_inp_mask_canvas_get_a11y_description (f.canvas), "Brush, 100 px"));
  g_assert_nonnull (strstr (_inp_mask_canvas_get_a11y_description (f.canvas), "Nothing is masked"));
  gtk_widget_activate_action (GTK_WIDGET (f.canvas), "canvas.fill", NULL);
  g_assert_nonnull (strstr (_inp_mask_canvas_get_a11y_description (f.canvas), "100 %"));

  fixture_teardown (&f);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  int       width;
  int       height;
  GError   *error;
} ImportResult;

static void
import_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ImportResult *r = user_data;

  r->ok = _inp_mask_canvas_import_mask_file_finish (INP_MASK_CANVAS (source), result,
                                                    &r->width, &r->height, &r->error);
  r->done = TRUE;
}

static void
test_canvas_import (void)
{
  Fixture f;
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *small = g_build_filename (dir, "small-mask.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "broken.png", NULL);
  g_autoptr(InpMask) source = inp_mask_new (IMAGE_W / 4, IMAGE_H / 4);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) small_file = g_file_new_for_path (small);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;
  ImportResult r = { FALSE };
  InpMask *mask;

  fixture_setup (&f);
  mask = inp_mask_canvas_get_mask (f.canvas);

  /* A quarter-size mask file: read off the main loop, scaled to fit, one undo step. */
  inp_mask_fill_rect (source, &(InpMaskRect) { 0, 0, IMAGE_W / 8, IMAGE_H / 8 }, INP_MASK_REPAINT);
  png = inp_mask_save_png_bytes (source, IMAGE_W / 4, IMAGE_H / 4, &error);
  g_assert_no_error (error);
  g_file_set_contents (small, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);
  g_file_set_contents (bad, "no picture here", -1, &error);
  g_assert_no_error (error);

  _inp_mask_canvas_import_mask_file_async (f.canvas, small_file, import_cb, &r);
  inp_test_wait_for (&r.done, 10000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpint (r.width, ==, IMAGE_W / 4);
  g_assert_cmpint (r.height, ==, IMAGE_H / 4);
  g_assert_cmpuint (inp_mask_get_pixel (mask, IMAGE_W / 4, IMAGE_H / 4), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, IMAGE_W * 3 / 4, IMAGE_H * 3 / 4), ==, 0);
  g_assert_cmpuint (inp_mask_get_n_undo_steps (mask), ==, 1);

  /* A broken file is refused by name and changes nothing. */
  r = (ImportResult) { FALSE };
  _inp_mask_canvas_import_mask_file_async (f.canvas, bad_file, import_cb, &r);
  inp_test_wait_for (&r.done, 10000);
  g_assert_false (r.ok);
  g_assert_error (r.error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (r.error->message, "broken.png"));
  g_clear_error (&r.error);
  g_assert_cmpuint (inp_mask_get_pixel (mask, IMAGE_W / 4, IMAGE_H / 4), ==, 255);
  g_assert_cmpuint (inp_mask_get_n_undo_steps (mask), ==, 1);

  fixture_teardown (&f);
  inp_test_remove_tree (dir);
}

typedef struct
{
  gboolean  done;
  GBytes   *image;
  GBytes   *mask;
  InpMaskRect bounds;
} ExportResult;

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ExportResult *r = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (inp_mask_canvas_export_finish (INP_MASK_CANVAS (source), result, &r->image,
                                                &r->mask, &r->bounds, &error));
  g_assert_no_error (error);
  r->done = TRUE;
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, NULL));
  g_assert_true (gdk_pixbuf_loader_close (loader, NULL));
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
test_canvas_export (void)
{
  Fixture f;
  ExportResult r = { FALSE };
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GdkPixbuf) mask = NULL;

  fixture_setup (&f);
  inp_mask_fill_rect (inp_mask_canvas_get_mask (f.canvas), &(InpMaskRect) { 600, 200, 200, 100 },
                      INP_MASK_REPAINT);

  inp_mask_canvas_export_async (f.canvas, 500, 400, NULL, export_cb, &r);
  /* Painting after the call does not change what is exported. */
  inp_mask_fill_rect (inp_mask_canvas_get_mask (f.canvas), &(InpMaskRect) { 0, 0, 10, 10 },
                      INP_MASK_REPAINT);
  inp_test_wait_for (&r.done, 10000);

  image = decode (r.image);
  mask = decode (r.mask);
  g_assert_cmpint (gdk_pixbuf_get_width (image), ==, 500);
  g_assert_cmpint (gdk_pixbuf_get_height (image), ==, 400);
  g_assert_cmpint (gdk_pixbuf_get_width (mask), ==, 500);
  g_assert_cmpint (gdk_pixbuf_get_height (mask), ==, 400);
  g_assert_cmpint (r.bounds.x, ==, 300);
  g_assert_cmpint (r.bounds.y, ==, 100);
  g_assert_cmpint (r.bounds.width, ==, 100);
  g_assert_cmpint (r.bounds.height, ==, 50);

  /* Same transform: the masked area sits on the grey half, the blue half is kept. */
  g_assert_cmpuint (pixel_at (mask, 350, 120)[0], ==, 255);
  g_assert_cmpuint (pixel_at (mask, 2, 2)[0], ==, 0);
  g_assert_cmpuint (pixel_at (image, 350, 120)[0], ==, 128);
  g_assert_cmpuint (pixel_at (image, 100, 120)[2], ==, 200);

  g_bytes_unref (r.image);
  g_bytes_unref (r.mask);
  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  /* --scale=2 runs every test again at display scale 2 (meson runs both). */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--scale="))
      {
        g_setenv ("GDK_SCALE", argv[i] + strlen ("--scale="), TRUE);
        memmove (argv + i, argv + i + 1, (argc - i) * sizeof (char *));
        argc--;
        break;
      }

  inp_test_ui_init (&argc, &argv);

  inp_test_ui_add_func ("/ui/mask-canvas/mapping", test_canvas_mapping);
  inp_test_ui_add_func ("/ui/mask-canvas/rendered", test_canvas_rendered);
  inp_test_ui_add_func ("/ui/mask-canvas/zoomed-out", test_canvas_zoomed_out);
  inp_test_ui_add_func ("/ui/mask-canvas/strokes", test_canvas_strokes);
  inp_test_ui_add_func ("/ui/mask-canvas/stylus", test_canvas_stylus);
  inp_test_ui_add_func ("/ui/mask-canvas/shapes", test_canvas_shapes);
  inp_test_ui_add_func ("/ui/mask-canvas/actions", test_canvas_actions);
  inp_test_ui_add_func ("/ui/mask-canvas/extend", test_canvas_extend);
  inp_test_ui_add_func ("/ui/mask-canvas/extend-requested", test_canvas_extend_requested);
  inp_test_ui_add_func ("/ui/mask-canvas/alpha", test_canvas_alpha);
  inp_test_ui_add_func ("/ui/mask-canvas/view", test_canvas_view);
  inp_test_ui_add_func ("/ui/mask-canvas/texture", test_canvas_texture);
  inp_test_ui_add_func ("/ui/mask-canvas/export", test_canvas_export);
  inp_test_ui_add_func ("/ui/mask-canvas/import", test_canvas_import);

  return g_test_run ();
}
