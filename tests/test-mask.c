/* test-mask.c: the mask model, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "inp-error.h"
#include "inp-i18n.h"
#include "inp-mask.h"
#include "inp-test-utils.h"

static const InpBrush hard_brush = { 20.0, 1.0, 1.0, FALSE };

static guint8 *
snapshot_mask (InpMask *mask)
{
  InpMaskRect all = { 0, 0, inp_mask_get_width (mask), inp_mask_get_height (mask) };
  guint8 *pixels = g_malloc ((gsize) all.width * all.height);

  inp_mask_read_rect (mask, &all, pixels, all.width);
  return pixels;
}

static void
assert_same_pixels (InpMask      *mask,
                    const guint8 *expected)
{
  g_autofree guint8 *now = snapshot_mask (mask);
  gsize n = (gsize) inp_mask_get_width (mask) * inp_mask_get_height (mask);

  g_assert_cmpmem (now, n, expected, n);
}

static void
paint_line (InpMask        *mask,
            const InpBrush *brush,
            double          x0,
            double          y0,
            double          x1,
            double          y1)
{
  inp_mask_begin_stroke (mask, brush);
  /* Many small events, as a pointer sends them. */
  for (int i = 0; i <= 50; i++)
    inp_mask_stroke_to (mask, x0 + (x1 - x0) * i / 50.0, y0 + (y1 - y0) * i / 50.0, 1.0);
  inp_mask_end_stroke (mask);
}

static void
test_mask_new (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (8192, 8192);
  InpMaskRect bounds;

  g_assert_true (inp_mask_is_empty (mask));
  g_assert_cmpfloat (inp_mask_get_coverage (mask), ==, 0.0);
  g_assert_false (inp_mask_get_bounds (mask, &bounds));
  g_assert_cmpuint (inp_mask_get_n_allocated_tiles (mask), ==, 0);
  g_assert_false (inp_mask_can_undo (mask));
  g_assert_cmpuint (inp_mask_get_pixel (mask, 8191, 8191), ==, INP_MASK_KEEP);
}

static void
test_mask_dab_hardness (void)
{
  g_autoptr(InpMask) hard = inp_mask_new (200, 200);
  g_autoptr(InpMask) soft = inp_mask_new (200, 200);
  InpBrush soft_brush = { 40.0, 0.0, 1.0, FALSE };
  InpBrush crisp = { 40.0, 1.0, 1.0, FALSE };
  guint8 previous = 255;

  inp_mask_begin_stroke (hard, &crisp);
  inp_mask_stroke_to (hard, 100.0, 100.0, 1.0);
  inp_mask_end_stroke (hard);

  /* A hard dab of radius 20: full to within a pixel of the edge, nothing outside. */
  g_assert_cmpuint (inp_mask_get_pixel (hard, 100, 100), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (hard, 100 + 18, 100), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (hard, 100 + 20, 100), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (hard, 100, 100 - 21), ==, 0);

  inp_mask_begin_stroke (soft, &soft_brush);
  inp_mask_stroke_to (soft, 100.0, 100.0, 1.0);
  inp_mask_end_stroke (soft);

  /* A soft dab falls off smoothly from the centre: about half at half the radius. */
  for (int x = 100; x < 121; x++)
    {
      guint8 v = inp_mask_get_pixel (soft, x, 100);

      g_assert_cmpuint (v, <=, previous);
      previous = v;
    }
  g_assert_cmpuint (inp_mask_get_pixel (soft, 100, 100), >=, 250);
  g_assert_cmpuint (inp_mask_get_pixel (soft, 110, 100), >, 100);
  g_assert_cmpuint (inp_mask_get_pixel (soft, 110, 100), <, 160);
  g_assert_cmpuint (inp_mask_get_pixel (soft, 119, 100), <, 10);
}

static void
test_mask_opacity_ceiling (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (300, 100);
  InpBrush half = { 30.0, 1.0, 0.5, FALSE };

  /* Scrubbing back and forth within one stroke does not build up past the opacity. */
  inp_mask_begin_stroke (mask, &half);
  for (int i = 0; i < 20; i++)
    inp_mask_stroke_to (mask, i % 2 ? 200.0 : 100.0, 50.0, 1.0);
  inp_mask_end_stroke (mask);
  g_assert_cmpint (ABS ((int) inp_mask_get_pixel (mask, 150, 50) - 128), <=, 1);

  /* A second stroke adds half of what is left. */
  paint_line (mask, &half, 100.0, 50.0, 200.0, 50.0);
  g_assert_cmpint (ABS ((int) inp_mask_get_pixel (mask, 150, 50) - 191), <=, 2);

  /* Erasing at half opacity halves it again. */
  half.erase = TRUE;
  paint_line (mask, &half, 100.0, 50.0, 200.0, 50.0);
  g_assert_cmpint (ABS ((int) inp_mask_get_pixel (mask, 150, 50) - 96), <=, 2);
}

static void
test_mask_tiles (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (8192, 8192);
  InpBrush small = { 10.0, 1.0, 1.0, FALSE };

  paint_line (mask, &small, 20.0, 20.0, 40.0, 20.0);
  g_assert_cmpuint (inp_mask_get_n_allocated_tiles (mask), ==, 1);

  /* A dab on a tile corner touches the four tiles around it, and only those. */
  inp_mask_begin_stroke (mask, &small);
  inp_mask_stroke_to (mask, 512.0, 512.0, 1.0);
  inp_mask_end_stroke (mask);
  g_assert_cmpuint (inp_mask_get_n_allocated_tiles (mask), ==, 5);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 511, 511), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 512, 512), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 511, 512), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 512, 511), ==, 255);

  /* Erasing everything gives the memory back. */
  inp_mask_clear (mask);
  g_assert_cmpuint (inp_mask_get_n_allocated_tiles (mask), ==, 0);
  g_assert_true (inp_mask_is_empty (mask));
}

static void
test_mask_even_spacing (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (600, 100);
  InpBrush brush = { 8.0, 1.0, 1.0, FALSE };

  /* Two far-apart events still give an unbroken line. */
  inp_mask_begin_stroke (mask, &brush);
  inp_mask_stroke_to (mask, 10.5, 50.5, 1.0);
  inp_mask_stroke_to (mask, 590.5, 50.5, 1.0);
  inp_mask_end_stroke (mask);

  for (int x = 10; x <= 590; x++)
    g_assert_cmpuint (inp_mask_get_pixel (mask, x, 50), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 300, 60), ==, 0);

  /* Pressure scales the size. */
  inp_mask_clear (mask);
  inp_mask_begin_stroke (mask, &(InpBrush) { 40.0, 1.0, 1.0, FALSE });
  inp_mask_stroke_to (mask, 100.5, 50.5, 0.25);
  inp_mask_end_stroke (mask);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 100, 50 + 3), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 100, 50 + 8), ==, 0);
}

static void
set_flag_cb (gboolean *flag)
{
  *flag = TRUE;
}

static void
record_changed_cb (InpMask *mask,
                   int      x,
                   int      y,
                   int      width,
                   int      height,
                   int     *area)
{
  area[0] = x;
  area[1] = y;
  area[2] = width;
  area[3] = height;
  area[4]++;
}

static void
test_mask_changed (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (400, 400);
  int area[5] = { 0 };
  gboolean notified = FALSE;

  g_signal_connect (mask, "changed", G_CALLBACK (record_changed_cb), area);
  g_signal_connect_swapped (mask, "notify::is-empty", G_CALLBACK (set_flag_cb), &notified);

  inp_mask_begin_stroke (mask, &hard_brush);
  inp_mask_stroke_to (mask, 100.0, 200.0, 1.0);
  g_assert_cmpint (area[4], ==, 1);
  /* The dab's radius plus its half-pixel antialiased edge. */
  g_assert_cmpint (area[0], ==, 89);
  g_assert_cmpint (area[1], ==, 189);
  g_assert_cmpint (area[2], ==, 22);
  g_assert_cmpint (area[3], ==, 22);
  inp_mask_end_stroke (mask);

  /* is-empty changed once the stroke was done. */
  g_assert_true (notified);
  g_assert_false (inp_mask_is_empty (mask));
}

static void
test_mask_undo_redo (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (1000, 700);
  g_autofree guint8 *blank = snapshot_mask (mask);
  g_autofree guint8 *one = NULL;
  g_autofree guint8 *two = NULL;

  /* Strokes that cross several tiles. */
  paint_line (mask, &hard_brush, 10.0, 10.0, 900.0, 600.0);
  one = snapshot_mask (mask);
  paint_line (mask, &(InpBrush) { 60.0, 0.3, 0.8, FALSE }, 900.0, 10.0, 10.0, 600.0);
  two = snapshot_mask (mask);
  g_assert_cmpuint (inp_mask_get_n_undo_steps (mask), ==, 2);

  g_assert_true (inp_mask_undo (mask));
  assert_same_pixels (mask, one);
  g_assert_true (inp_mask_undo (mask));
  assert_same_pixels (mask, blank);
  g_assert_true (inp_mask_is_empty (mask));
  g_assert_false (inp_mask_undo (mask));

  g_assert_true (inp_mask_redo (mask));
  assert_same_pixels (mask, one);
  g_assert_true (inp_mask_redo (mask));
  assert_same_pixels (mask, two);
  g_assert_false (inp_mask_redo (mask));

  /* Operations are steps too, and a new change forgets what could be redone. */
  inp_mask_invert (mask);
  g_assert_true (inp_mask_undo (mask));
  assert_same_pixels (mask, two);
  g_assert_true (inp_mask_can_redo (mask));
  inp_mask_fill_rect (mask, &(InpMaskRect) { 0, 0, 10, 10 }, INP_MASK_REPAINT);
  g_assert_false (inp_mask_can_redo (mask));

  /* A stroke that changes nothing is no step. */
  inp_mask_begin_stroke (mask, &hard_brush);
  inp_mask_end_stroke (mask);
  g_assert_cmpuint (inp_mask_get_n_undo_steps (mask), ==, 3);
}

static void
test_mask_undo_limit (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (2048, 2048);
  InpBrush soft = { 64.0, 0.2, 1.0, FALSE };
  g_autofree guint8 *before_last = NULL;
  gsize limit = 512 * 1024;

  inp_mask_set_undo_limit (mask, limit);
  for (int i = 0; i < 40; i++)
    {
      if (i == 39)
        before_last = snapshot_mask (mask);
      paint_line (mask, &soft, 30.0 + i * 50, 30.0, 2000.0 - i * 40, 2000.0);
      g_assert_cmpuint (inp_mask_get_undo_size (mask), <=, limit);
    }

  /* The oldest steps went; the latest can still be undone exactly. */
  g_assert_cmpuint (inp_mask_get_n_undo_steps (mask), <, 40);
  g_assert_cmpuint (inp_mask_get_n_undo_steps (mask), >, 0);
  g_assert_true (inp_mask_undo (mask));
  assert_same_pixels (mask, before_last);
}

static void
test_mask_shapes (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (300, 300);
  const double triangle[] = { 200, 200, 280, 200, 200, 280 };
  InpMaskRect bounds;

  inp_mask_fill_rect (mask, &(InpMaskRect) { 10, 20, 30, 40 }, INP_MASK_REPAINT);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 10, 20), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 39, 59), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 40, 59), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 39, 60), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 9, 20), ==, 0);
  g_assert_true (inp_mask_get_bounds (mask, &bounds));
  g_assert_cmpint (bounds.x, ==, 10);
  g_assert_cmpint (bounds.y, ==, 20);
  g_assert_cmpint (bounds.width, ==, 30);
  g_assert_cmpint (bounds.height, ==, 40);
  g_assert_cmpfloat_with_epsilon (inp_mask_get_coverage (mask), 1200.0 / 90000.0, 1e-9);

  inp_mask_fill_ellipse (mask, &(InpMaskRect) { 100, 100, 80, 40 }, INP_MASK_REPAINT);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 140, 120), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 101, 120), >, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 101, 101), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 178, 138), ==, 0);

  inp_mask_fill_polygon (mask, triangle, 3, INP_MASK_REPAINT);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 210, 210), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 270, 270), ==, 0);

  /* A big rectangle costs no pixel memory for the tiles it covers whole. */
  {
    g_autoptr(InpMask) big = inp_mask_new (4096, 4096);

    inp_mask_fill_rect (big, &(InpMaskRect) { 100, 100, 3000, 3000 }, INP_MASK_REPAINT);
    g_assert_cmpuint (inp_mask_get_n_allocated_tiles (big), ==, 4 * 12);
    g_assert_cmpfloat (inp_mask_get_coverage (big), ==, 9000000.0 / (4096.0 * 4096.0));
    g_assert_true (inp_mask_undo (big));
    g_assert_true (inp_mask_is_empty (big));
  }

  /* Clearing a rectangle through all three shapes. */
  inp_mask_fill_rect (mask, &(InpMaskRect) { 0, 0, 300, 130 }, INP_MASK_KEEP);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 20, 30), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 140, 120), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 140, 135), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 210, 210), ==, 255);
}

static void
test_mask_whole (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (1000, 1000);

  inp_mask_fill (mask);
  g_assert_cmpfloat (inp_mask_get_coverage (mask), ==, 1.0);
  g_assert_cmpuint (inp_mask_get_n_allocated_tiles (mask), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 999, 999), ==, 255);

  inp_mask_fill_rect (mask, &(InpMaskRect) { 0, 0, 100, 100 }, INP_MASK_KEEP);
  inp_mask_invert (mask);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 50, 50), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 500, 500), ==, 0);
  g_assert_cmpfloat_with_epsilon (inp_mask_get_coverage (mask), 0.01, 1e-9);

  inp_mask_clear (mask);
  g_assert_true (inp_mask_is_empty (mask));
  g_assert_true (inp_mask_undo (mask));
  g_assert_cmpuint (inp_mask_get_pixel (mask, 50, 50), ==, 255);
  g_assert_true (inp_mask_undo (mask));
  g_assert_true (inp_mask_undo (mask));
  g_assert_cmpuint (inp_mask_get_pixel (mask, 50, 50), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 500, 500), ==, 255);
}

static void
test_mask_grow_shrink (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (400, 300);
  InpMaskRect bounds;

  inp_mask_fill_rect (mask, &(InpMaskRect) { 100, 100, 40, 40 }, INP_MASK_REPAINT);

  inp_mask_grow (mask, 5);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 95, 120), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 94, 120), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 144, 120), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 145, 120), ==, 0);
  /* A disc, not a square: the corner is rounded. */
  g_assert_cmpuint (inp_mask_get_pixel (mask, 95, 95), ==, 0);
  g_assert_true (inp_mask_get_bounds (mask, &bounds));
  g_assert_cmpint (bounds.x, ==, 95);
  g_assert_cmpint (bounds.width, ==, 50);
  g_assert_true (inp_mask_undo (mask));

  inp_mask_shrink (mask, 3);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 103, 120), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 102, 120), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 136, 120), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 137, 120), ==, 0);

  /* The image's edge does not eat into a mask that touches it. */
  inp_mask_clear (mask);
  inp_mask_fill_rect (mask, &(InpMaskRect) { 0, 0, 50, 300 }, INP_MASK_REPAINT);
  inp_mask_shrink (mask, 10);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 0, 150), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 39, 150), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 40, 150), ==, 0);
}

static void
test_mask_feather (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (400, 300);
  guint8 previous = 0;

  inp_mask_fill_rect (mask, &(InpMaskRect) { 100, 100, 100, 100 }, INP_MASK_REPAINT);
  inp_mask_feather (mask, 12);

  g_assert_cmpuint (inp_mask_get_pixel (mask, 150, 150), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 60, 150), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 100, 150), >, 60);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 100, 150), <, 200);

  /* The edge rises steadily. */
  for (int x = 85; x < 116; x++)
    {
      guint8 v = inp_mask_get_pixel (mask, x, 150);

      g_assert_cmpuint (v, >=, previous);
      previous = v;
    }

  g_assert_true (inp_mask_undo (mask));
  g_assert_cmpuint (inp_mask_get_pixel (mask, 100, 150), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 99, 150), ==, 0);
}

static GdkPixbuf *
make_rgba (int    width,
           int    height,
           guint8 alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);

  gdk_pixbuf_fill (pixbuf, 0x336699 << 8 | alpha);
  return pixbuf;
}

static void
test_mask_from_alpha (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (64, 48);
  g_autoptr(GdkPixbuf) opaque = make_rgba (64, 48, 255);
  g_autoptr(GdkPixbuf) holed = make_rgba (64, 48, 255);
  g_autoptr(GdkPixbuf) rgb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GdkPixbuf) hole = make_rgba (10, 8, 0);
  g_autoptr(GError) error = NULL;

  inp_mask_fill_rect (mask, &(InpMaskRect) { 0, 0, 4, 4 }, INP_MASK_REPAINT);

  /* Pictures without transparency are refused and the mask stays as it was. */
  g_assert_false (inp_mask_set_from_alpha (mask, rgb, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (inp_mask_set_from_alpha (mask, opaque, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 1, 1), ==, 255);

  gdk_pixbuf_copy_area (hole, 0, 0, 10, 8, holed, 20, 30);
  g_assert_true (inp_mask_set_from_alpha (mask, holed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 1, 1), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 20, 30), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 29, 37), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 30, 37), ==, 0);
  g_assert_true (inp_mask_undo (mask));
  g_assert_cmpuint (inp_mask_get_pixel (mask, 1, 1), ==, 255);
}

static GdkPixbuf *
decode_png (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
test_mask_export_import (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (300, 200);
  g_autoptr(InpMask) copy = inp_mask_new (300, 200);
  g_autoptr(InpMask) other = inp_mask_new (600, 400);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) half = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *expected = NULL;
  const guint8 *data;
  gsize size;
  gboolean scaled = TRUE;

  inp_mask_fill_rect (mask, &(InpMaskRect) { 30, 40, 100, 50 }, INP_MASK_REPAINT);
  paint_line (mask, &(InpBrush) { 30.0, 0.0, 1.0, FALSE }, 200.0, 150.0, 280.0, 150.0);
  expected = snapshot_mask (mask);

  png = inp_mask_save_png_bytes (mask, 300, 200, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (png, &size);
  g_assert_cmpuint (size, >, 33);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  g_assert_cmpuint (data[24], ==, 8);  /* bit depth */
  g_assert_cmpuint (data[25], ==, 0);  /* greyscale */

  /* Every grey value survives the round trip exactly. */
  decoded = decode_png (png);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 300);
  for (int y = 0; y < 200; y++)
    for (int x = 0; x < 300; x++)
      g_assert_cmpuint (gdk_pixbuf_read_pixels (decoded)[y * gdk_pixbuf_get_rowstride (decoded) +
                                                         x * gdk_pixbuf_get_n_channels (decoded)],
                        ==, expected[y * 300 + x]);

  /* Importing binarises: the hard rectangle comes back exactly, the soft line as 0 or 255. */
  g_assert_true (inp_mask_import (copy, decoded, &scaled, &error));
  g_assert_no_error (error);
  g_assert_false (scaled);
  g_assert_cmpuint (inp_mask_get_pixel (copy, 30, 40), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (copy, 29, 40), ==, 0);
  for (int x = 185; x < 300; x++)
    {
      guint8 v = inp_mask_get_pixel (copy, x, 150);

      g_assert_true (v == 0 || v == 255);
      g_assert_cmpuint (v, ==, expected[150 * 300 + x] >= 128 ? 255 : 0);
    }

  /* A mask of another size is scaled to fit and says so. */
  g_assert_true (inp_mask_import (other, decoded, &scaled, &error));
  g_assert_no_error (error);
  g_assert_true (scaled);
  g_assert_cmpuint (inp_mask_get_pixel (other, 100, 120), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (other, 20, 20), ==, 0);

  /* Exported at half size for a model, the masked area halves too. */
  half = inp_mask_save_png_bytes (mask, 150, 100, &error);
  g_assert_no_error (error);
  g_clear_object (&decoded);
  decoded = decode_png (half);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 150);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 100);
  g_assert_cmpuint (gdk_pixbuf_read_pixels (decoded)[30 * gdk_pixbuf_get_rowstride (decoded) +
                                                     40 * gdk_pixbuf_get_n_channels (decoded)],
                    ==, 255);
  g_assert_cmpuint (gdk_pixbuf_read_pixels (decoded)[10 * gdk_pixbuf_get_rowstride (decoded) +
                                                     10 * gdk_pixbuf_get_n_channels (decoded)],
                    ==, 0);
}

static void
test_mask_import_file (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *good = g_build_filename (dir, "mask.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "notes.png", NULL);
  g_autoptr(InpMask) mask = inp_mask_new (120, 80);
  g_autoptr(InpMask) target = inp_mask_new (120, 80);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;
  gboolean scaled = TRUE;

  inp_mask_fill_ellipse (mask, &(InpMaskRect) { 10, 10, 60, 50 }, INP_MASK_REPAINT);
  png = inp_mask_save_png_bytes (mask, 120, 80, &error);
  g_assert_no_error (error);
  g_file_set_contents (good, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);
  g_file_set_contents (bad, "not a picture", -1, &error);
  g_assert_no_error (error);

  inp_mask_fill_rect (target, &(InpMaskRect) { 100, 60, 10, 10 }, INP_MASK_REPAINT);

  /* A file that is not a picture is refused with its name, and the mask is untouched. */
  g_assert_false (inp_mask_import_file (target, bad_file, &scaled, NULL, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "notes.png"));
  g_clear_error (&error);
  g_assert_cmpuint (inp_mask_get_pixel (target, 105, 65), ==, 255);

  g_assert_true (inp_mask_import_file (target, good_file, &scaled, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (scaled);
  g_assert_cmpuint (inp_mask_get_pixel (target, 40, 35), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (target, 105, 65), ==, 0);
  g_assert_true (inp_mask_undo (target));
  g_assert_cmpuint (inp_mask_get_pixel (target, 105, 65), ==, 255);

  inp_test_remove_tree (dir);
}

static void
test_mask_extend (void)
{
  g_autoptr(InpMask) mask = inp_mask_new (300, 280);
  g_autoptr(GdkPixbuf) image = make_rgba (300, 280, 255);
  g_autoptr(GdkPixbuf) extended = NULL;
  g_autoptr(GdkPixbuf) column = make_rgba (1, 280, 255);
  g_autofree guint8 *before = NULL;
  const guint8 *p;
  int stride;

  inp_mask_fill_rect (mask, &(InpMaskRect) { 10, 20, 30, 40 }, INP_MASK_REPAINT);
  before = snapshot_mask (mask);

  inp_mask_extend (mask, 10, 20, 300, 0);
  g_assert_cmpint (inp_mask_get_width (mask), ==, 610);
  g_assert_cmpint (inp_mask_get_height (mask), ==, 300);
  /* The old mask moved with the picture; the new margins are masked. */
  g_assert_cmpuint (inp_mask_get_pixel (mask, 20, 40), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 50, 80), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 309, 299), ==, 0);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 5, 150), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 150, 5), ==, 255);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 600, 290), ==, 255);

  g_assert_true (inp_mask_undo (mask));
  g_assert_cmpint (inp_mask_get_width (mask), ==, 300);
  g_assert_cmpint (inp_mask_get_height (mask), ==, 280);
  assert_same_pixels (mask, before);
  g_assert_true (inp_mask_redo (mask));
  g_assert_cmpint (inp_mask_get_width (mask), ==, 610);
  g_assert_cmpuint (inp_mask_get_pixel (mask, 20, 40), ==, 255);

  /* The picture grows the same way, with its edge colours. */
  gdk_pixbuf_fill (image, 0x000000ff);
  gdk_pixbuf_copy_area (column, 0, 0, 1, 280, image, 299, 0);
  extended = inp_pixbuf_extend (image, 10, 20, 300, 0);
  g_assert_cmpint (gdk_pixbuf_get_width (extended), ==, 610);
  g_assert_cmpint (gdk_pixbuf_get_height (extended), ==, 300);
  p = gdk_pixbuf_read_pixels (extended);
  stride = gdk_pixbuf_get_rowstride (extended);
  g_assert_cmpuint (p[0], ==, 0);
  g_assert_cmpuint (p[stride * 100 + 600 * 4 + 0], ==, 0x33);
  g_assert_cmpuint (p[stride * 100 + 600 * 4 + 2], ==, 0x99);
}

int
main (int   argc,
      char *argv[])
{
  inp_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/mask/new", test_mask_new);
  g_test_add_func ("/core/mask/dab-hardness", test_mask_dab_hardness);
  g_test_add_func ("/core/mask/opacity-ceiling", test_mask_opacity_ceiling);
  g_test_add_func ("/core/mask/tiles", test_mask_tiles);
  g_test_add_func ("/core/mask/even-spacing", test_mask_even_spacing);
  g_test_add_func ("/core/mask/changed", test_mask_changed);
  g_test_add_func ("/core/mask/undo-redo", test_mask_undo_redo);
  g_test_add_func ("/core/mask/undo-limit", test_mask_undo_limit);
  g_test_add_func ("/core/mask/shapes", test_mask_shapes);
  g_test_add_func ("/core/mask/whole", test_mask_whole);
  g_test_add_func ("/core/mask/grow-shrink", test_mask_grow_shrink);
  g_test_add_func ("/core/mask/feather", test_mask_feather);
  g_test_add_func ("/core/mask/from-alpha", test_mask_from_alpha);
  g_test_add_func ("/core/mask/export-import", test_mask_export_import);
  g_test_add_func ("/core/mask/import-file", test_mask_import_file);
  g_test_add_func ("/core/mask/extend", test_mask_extend);

  return g_test_run ();
}
