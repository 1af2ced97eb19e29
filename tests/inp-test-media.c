/* inp-test-media.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-image.h"
#include "inp-test-media.h"

/* Counts a GIF's frames; fails the test on a malformed file. */
guint
inp_test_count_gif_frames (GBytes *gif)
{
  guint frames = inp_image_count_gif_frames (gif);

  g_assert_cmpuint (frames, >, 0);
  return frames;
}

GdkPixbuf *
inp_test_load_pixbuf (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* A photo-like test picture: smooth gradients, so that lossy codecs behave as on real images. */
GdkPixbuf *
inp_test_new_pattern (int      width,
                      int      height,
                      gboolean alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;

        p[0] = (guint8) (x * 255 / MAX (width - 1, 1));
        p[1] = (guint8) (y * 255 / MAX (height - 1, 1));
        p[2] = (guint8) ((x + y) & 0xff);
        if (alpha)
          p[3] = 255;
      }

  return pixbuf;
}

void
inp_test_get_pixel (GdkPixbuf *pixbuf,
                    int        x,
                    int        y,
                    guint8    *rgba)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf)
                    + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
                    + (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);

  rgba[0] = p[0];
  rgba[1] = p[1];
  rgba[2] = p[2];
  rgba[3] = gdk_pixbuf_get_has_alpha (pixbuf) ? p[3] : 255;
}
