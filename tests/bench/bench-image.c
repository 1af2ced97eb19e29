/* bench-image.c: fitting and encoding a large photo and its mask for upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one JSON line per figure: the time inp_image_prepare() takes for a 2048×2048 photo and
 * its mask (fit to the model's sizes, JPEG and 8-bit grey PNG), then as data URIs.
 */

#include "config.h"

#include "inp-catalog.h"
#include "inp-image.h"
#include "inp-test-utils.h"

#define RUNS 15

/* A photo-like picture: gradients with grain, which costs a JPEG encoder what a real photo does. */
static GdkPixbuf *
new_photo (int size)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, size, size);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  guint32 noise = 12345;

  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * 3;

        noise = noise * 1103515245u + 12345u;
        p[0] = (guint8) ((x * 255 / size + (noise >> 28)) & 0xff);
        p[1] = (guint8) ((y * 255 / size + (noise >> 24 & 7)) & 0xff);
        p[2] = (guint8) (((x + y) / 16 + (noise >> 20 & 7)) & 0xff);
      }

  return pixbuf;
}

static GdkPixbuf *
new_mask (int size)
{
  GdkPixbuf *mask = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, size, size);
  g_autoptr(GdkPixbuf) brush = gdk_pixbuf_new_subpixbuf (mask, size / 3, size / 4, size / 3, size / 2);

  gdk_pixbuf_fill (mask, 0x000000ff);
  gdk_pixbuf_fill (brush, 0xffffffff);
  return mask;
}

static void
report (const char *bench,
        const char *model,
        double     *times)
{
  qsort (times, RUNS, sizeof (double), inp_test_compare_doubles);
  g_print ("{\"bench\":\"%s\",\"model\":\"%s\",\"median_ms\":%.1f,\"p95_ms\":%.1f,"
           "\"target_ms\":150}\n",
           bench, model, times[RUNS / 2], times[(RUNS * 95 + 99) / 100 - 1]);
}

int
main (int   argc,
      char *argv[])
{
  const char *models[] = { "black-forest-labs/flux-fill-dev", "stability-ai/stable-diffusion-inpainting" };
  g_autoptr(GdkPixbuf) photo = new_photo (2048);
  g_autoptr(GdkPixbuf) mask = new_mask (2048);

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), models[m]);
      double prepare[RUNS];
      double with_uris[RUNS];

      for (guint i = 0; i < RUNS; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(InpPreparedImages) prepared = NULL;
          g_autofree char *image_uri = NULL;
          g_autofree char *mask_uri = NULL;
          gint64 start = g_get_monotonic_time ();

          prepared = inp_image_prepare (model, photo, mask, 0, &error);
          g_assert_no_error (error);
          prepare[i] = (g_get_monotonic_time () - start) / 1000.0;

          image_uri = inp_data_uri_encode (prepared->image, prepared->image_mime);
          mask_uri = inp_data_uri_encode (prepared->mask, "image/png");
          with_uris[i] = (g_get_monotonic_time () - start) / 1000.0;
        }

      report ("image-prepare-2048", models[m], prepare);
      report ("image-prepare-2048-data-uris", models[m], with_uris);
    }

  return 0;
}
