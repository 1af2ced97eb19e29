/* test-image.c: data URIs, encoding, masks, and fitting to the models' size rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-i18n.h"
#include "inp-image.h"
#include "inp-test-media.h"
#include "inp-test-utils.h"

static InpModel *
model (const char *id)
{
  InpModel *found = inp_catalog_lookup (inp_catalog_get_default (), id);

  g_assert_nonnull (found);
  return found;
}

static void
test_data_uri (void)
{
  guint8 data[1000];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *mime = NULL;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7 + 3);
  bytes = g_bytes_new (data, sizeof data);

  uri = inp_data_uri_encode (bytes, "image/png");
  g_assert_true (g_str_has_prefix (uri, "data:image/png;base64,"));
  decoded = inp_data_uri_decode (uri, &mime, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mime, ==, "image/png");
  g_assert_true (g_bytes_equal (bytes, decoded));
  g_clear_pointer (&decoded, g_bytes_unref);
  g_clear_pointer (&mime, g_free);

  /* Percent-encoded, with parameters and no explicit type. */
  decoded = inp_data_uri_decode ("data:text/plain;charset=utf-8,hello%20world", &mime, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mime, ==, "text/plain");
  g_assert_cmpmem (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded), "hello world", 11);
  g_clear_pointer (&decoded, g_bytes_unref);
  g_clear_pointer (&mime, g_free);

  decoded = inp_data_uri_decode ("data:,", &mime, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mime, ==, "text/plain;charset=US-ASCII");
  g_assert_cmpuint (g_bytes_get_size (decoded), ==, 0);
  g_clear_pointer (&decoded, g_bytes_unref);
  g_clear_pointer (&mime, g_free);

  /* Empty content encodes and decodes too. */
  {
    g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
    g_autofree char *empty_uri = inp_data_uri_encode (empty, NULL);

    decoded = inp_data_uri_decode (empty_uri, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (decoded), ==, 0);
    g_clear_pointer (&decoded, g_bytes_unref);
  }

  g_assert_null (inp_data_uri_decode ("https://example.com/a.png", NULL, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (inp_data_uri_decode ("data:image/png;base64", NULL, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (inp_data_uri_decode ("data:image/png;base64,AB$D", &mime, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
  g_assert_null (mime);
  g_clear_error (&error);
  g_assert_null (inp_data_uri_decode ("data:image/png;base64,ABC", NULL, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_PROTOCOL);
}

static void
test_encode_formats (void)
{
  g_autoptr(GdkPixbuf) picture = inp_test_new_pattern (96, 64, FALSE);
  const char *formats[] = { "png", "jpg", "webp" };
  const char *signatures[] = { "\x89PNG", "\xff\xd8\xff", "RIFF" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = inp_image_encode (picture, formats[i], 90, &error);
      g_autoptr(GdkPixbuf) decoded = NULL;
      guint8 rgba[4];

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), strlen (signatures[i]),
                       signatures[i], strlen (signatures[i]));
      decoded = inp_image_decode (bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 96);
      g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 64);
      inp_test_get_pixel (decoded, 95, 0, rgba);
      g_assert_cmpint (rgba[0], >, 230);
      g_assert_cmpint (rgba[1], <, 25);
    }

  g_assert_cmpstr (inp_image_format_to_mime ("webp"), ==, "image/webp");
  g_assert_cmpstr (inp_image_format_to_mime ("jpg"), ==, "image/jpeg");
  g_assert_null (inp_image_format_to_mime ("bmp"));
}

static void
test_decode_bad (void)
{
  g_autoptr(GBytes) garbage = g_bytes_new_static ("definitely not a picture", 24);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;

  g_assert_null (inp_image_decode (garbage, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (inp_image_decode (empty, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
}

static GdkPixbuf *
new_mask (int      width,
          int      height,
          gboolean alpha)
{
  GdkPixbuf *mask = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);

  /* Left half grey 100 (keep), right half grey 200 (repaint). */
  gdk_pixbuf_fill (mask, 0x646464ff);
  {
    g_autoptr(GdkPixbuf) right = gdk_pixbuf_new_subpixbuf (mask, width / 2, 0, width - width / 2, height);

    gdk_pixbuf_fill (right, 0xc8c8c8ff);
  }
  return mask;
}

static void
test_binarize (void)
{
  g_autoptr(GdkPixbuf) mask = new_mask (10, 4, TRUE);
  g_autoptr(GdkPixbuf) binary = NULL;
  guint8 rgba[4];

  /* A transparent white pixel was never painted. */
  gdk_pixbuf_get_pixels (mask)[gdk_pixbuf_get_rowstride (mask) * 3 + 9 * 4 + 3] = 0;

  binary = inp_image_binarize_mask (mask);
  g_assert_false (gdk_pixbuf_get_has_alpha (binary));
  inp_test_get_pixel (binary, 0, 0, rgba);
  g_assert_cmpint (rgba[0], ==, 0);
  inp_test_get_pixel (binary, 9, 0, rgba);
  g_assert_cmpint (rgba[0], ==, 255);
  g_assert_cmpint (rgba[2], ==, 255);
  inp_test_get_pixel (binary, 9, 3, rgba);
  g_assert_cmpint (rgba[0], ==, 0);
}

static void
test_encode_mask (void)
{
  g_autoptr(GdkPixbuf) mask = new_mask (300, 200, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_image_encode_mask (mask, &error);
  g_autoptr(GdkPixbuf) decoded = NULL;
  const guint8 *data;
  gsize size;
  guint8 rgba[4];

  g_assert_no_error (error);
  data = g_bytes_get_data (png, &size);
  /* IHDR: bit depth 8, colour type 0 (greyscale). */
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  g_assert_cmpint (data[24], ==, 8);
  g_assert_cmpint (data[25], ==, 0);
  /* Two flat halves compress to almost nothing. */
  g_assert_cmpuint (size, <, 2000);

  decoded = inp_image_decode (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 300);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 200);
  for (int x = 0; x < 300; x += 7)
    {
      inp_test_get_pixel (decoded, x, 150, rgba);
      g_assert_cmpint (rgba[0], ==, x < 150 ? 0 : 255);
    }
}

static void
test_fit_sizes (void)
{
  const struct {
    const char *model;
    int width, height;
    int fitted_width, fitted_height;
  } cases[] = {
    /* Multiples of 32 within 1440. */
    { "black-forest-labs/flux-fill-dev", 1000, 700, 992, 704 },
    { "black-forest-labs/flux-fill-dev", 4000, 3000, 1440, 1088 },
    { "black-forest-labs/flux-fill-dev", 20, 10, 32, 32 },
    /* Any size within 1440: the mask just has to match the image. */
    { "black-forest-labs/flux-fill-pro", 1000, 700, 1000, 700 },
    { "black-forest-labs/flux-fill-pro", 3000, 2000, 1440, 960 },
    /* Enumerated widths and heights. */
    { "stability-ai/stable-diffusion-inpainting", 1000, 700, 1024, 704 },
    { "stability-ai/stable-diffusion-inpainting", 300, 200, 320, 192 },
    { "stability-ai/stable-diffusion-inpainting", 3000, 1000, 1024, 320 },
    { "stability-ai/stable-diffusion-inpainting", 10, 10, 64, 64 },
    /* Multiples of 64 within 1024. */
    { "stability-ai/sdxl", 1000, 700, 1024, 704 },
    { "stability-ai/sdxl", 2048, 1536, 1024, 768 },
    /* Multiples of 16 within 1440. */
    { "lucataco/flux-schnell-lora", 1000, 700, 1008, 704 },
    { "cjwbw/rembg", 640, 480, 640, 480 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int width = 0, height = 0;

      inp_size_rules_fit (inp_model_get_size_rules (model (cases[i].model)),
                          cases[i].width, cases[i].height, &width, &height);
      g_test_message ("%s: %d×%d → %d×%d", cases[i].model, cases[i].width, cases[i].height,
                      width, height);
      g_assert_cmpint (width, ==, cases[i].fitted_width);
      g_assert_cmpint (height, ==, cases[i].fitted_height);
    }
}

static void
test_fit_image_and_mask (void)
{
  g_autoptr(GdkPixbuf) image = inp_test_new_pattern (1000, 700, FALSE);
  g_autoptr(GdkPixbuf) mask = new_mask (500, 350, FALSE);
  g_autoptr(GdkPixbuf) fitted_image = NULL;
  g_autoptr(GdkPixbuf) fitted_mask = NULL;
  g_autoptr(GError) error = NULL;
  const InpSizeRules *rules;
  guint8 rgba[4];

  /* A half-resolution mask is brought to the image's size and then through the same transform. */
  rules = inp_model_get_size_rules (model ("black-forest-labs/flux-fill-dev"));
  g_assert_true (inp_image_fit (rules, image, mask, &fitted_image, &fitted_mask, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (fitted_image), ==, 992);
  g_assert_cmpint (gdk_pixbuf_get_height (fitted_image), ==, 704);
  g_assert_cmpint (gdk_pixbuf_get_width (fitted_mask), ==, 992);
  g_assert_cmpint (gdk_pixbuf_get_height (fitted_mask), ==, 704);
  for (int x = 0; x < 992; x += 31)
    {
      inp_test_get_pixel (fitted_mask, x, 300, rgba);
      g_assert_true (rgba[0] == 0 || rgba[0] == 255);
      if (x < 480)
        g_assert_cmpint (rgba[0], ==, 0);
      else if (x > 512)
        g_assert_cmpint (rgba[0], ==, 255);
    }
  g_clear_object (&fitted_image);
  g_clear_object (&fitted_mask);

  /* flux-fill-pro wants mask and image of one size. */
  rules = inp_model_get_size_rules (model ("black-forest-labs/flux-fill-pro"));
  g_assert_true (inp_image_fit (rules, image, mask, &fitted_image, &fitted_mask, &error));
  g_assert_cmpint (gdk_pixbuf_get_width (fitted_image), ==, gdk_pixbuf_get_width (fitted_mask));
  g_assert_cmpint (gdk_pixbuf_get_height (fitted_image), ==, gdk_pixbuf_get_height (fitted_mask));
  g_assert_cmpint (gdk_pixbuf_get_width (fitted_image), ==, 1000);
  /* Nothing to scale: the very same image comes back. */
  g_assert_true (fitted_image == image);
  g_clear_object (&fitted_image);
  g_clear_object (&fitted_mask);

  /* No mask, no mask out. */
  rules = inp_model_get_size_rules (model ("cjwbw/rembg"));
  g_assert_true (inp_image_fit (rules, image, NULL, &fitted_image, &fitted_mask, &error));
  g_assert_null (fitted_mask);
}

typedef struct
{
  InpPreparedImages *prepared;
  gboolean           done;
} PrepareResult;

static void
prepare_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PrepareResult *out = user_data;
  g_autoptr(GError) error = NULL;

  out->prepared = inp_image_prepare_finish (result, &error);
  g_assert_no_error (error);
  out->done = TRUE;
}

static void
test_prepare_async (void)
{
  g_autoptr(GdkPixbuf) photo = inp_test_new_pattern (2048, 2048, FALSE);
  g_autoptr(GdkPixbuf) mask = new_mask (2048, 2048, FALSE);
  g_autoptr(InpPreparedImages) prepared = NULL;
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GdkPixbuf) decoded_mask = NULL;
  g_autoptr(GError) error = NULL;
  PrepareResult result = { NULL, FALSE };

  inp_image_prepare_async (model ("black-forest-labs/flux-fill-dev"), photo, mask, 0, NULL,
                           prepare_cb, &result);
  inp_test_wait_for (&result.done, 30000);
  prepared = result.prepared;

  g_assert_cmpint (prepared->width, ==, 1440);
  g_assert_cmpint (prepared->height, ==, 1440);
  g_assert_cmpstr (prepared->image_mime, ==, "image/jpeg");
  image = inp_image_decode (prepared->image, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (image), ==, 1440);
  decoded_mask = inp_image_decode (prepared->mask, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded_mask), ==, 1440);
  g_clear_pointer (&prepared, inp_prepared_images_free);

  /* A transparent image stays PNG; an impossible size cap is a clear error. */
  {
    g_autoptr(GdkPixbuf) transparent = inp_test_new_pattern (300, 300, TRUE);

    prepared = inp_image_prepare (model ("black-forest-labs/flux-fill-pro"), transparent, NULL, 0,
                                  &error);
    g_assert_no_error (error);
    g_assert_cmpstr (prepared->image_mime, ==, "image/png");
    g_assert_null (prepared->mask);
    g_clear_pointer (&prepared, inp_prepared_images_free);

    prepared = inp_image_prepare (model ("black-forest-labs/flux-fill-pro"), transparent, NULL, 100,
                                  &error);
    g_assert_null (prepared);
    g_assert_error (error, INP_ERROR, INP_ERROR_TOO_LARGE);
  }
}

static void
test_gif (void)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) gif = NULL;
  g_autoptr(GdkPixbuf) first = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbufAnimation) animation = NULL;
  g_autoptr(GError) error = NULL;
  guint8 rgba[4];

  for (guint i = 0; i < 5; i++)
    {
      GdkPixbuf *frame = inp_test_new_pattern (120, 80, FALSE);

      /* A red square that moves, so frames differ. */
      g_autoptr(GdkPixbuf) square = gdk_pixbuf_new_subpixbuf (frame, i * 20, 10, 20, 20);
      gdk_pixbuf_fill (square, 0xff0000ff);
      g_ptr_array_add (frames, frame);
    }

  gif = inp_image_encode_gif (frames, 10);
  g_assert_cmpuint (inp_test_count_gif_frames (gif), ==, 5);
  {
    /* Not a GIF, or cut inside a block header: no frames rather than a read past the end. */
    g_autoptr(GBytes) png = g_bytes_new_static ("\x89PNG\r\n\x1a\n0123456789", 18);
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (gif, 0, 13 + 768 + 19 + 8 + 5);

    g_assert_cmpuint (inp_image_count_gif_frames (png), ==, 0);
    g_assert_cmpuint (inp_image_count_gif_frames (cut), ==, 0);
  }

  stream = g_memory_input_stream_new_from_bytes (gif);
  animation = gdk_pixbuf_animation_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (gdk_pixbuf_animation_is_static_image (animation));
  g_assert_cmpint (gdk_pixbuf_animation_get_width (animation), ==, 120);

  first = inp_test_load_pixbuf (gif);
  g_assert_cmpint (gdk_pixbuf_get_height (first), ==, 80);
  inp_test_get_pixel (first, 5, 15, rgba);
  g_assert_cmpint (rgba[0], ==, 255);
  g_assert_cmpint (rgba[1], ==, 0);
  /* The palette keeps gradients close: within one palette step. */
  inp_test_get_pixel (first, 119, 79, rgba);
  g_assert_cmpint (rgba[0], >=, 255 - 37);
  g_assert_cmpint (rgba[1], >=, 255 - 37);
}

int
main (int   argc,
      char *argv[])
{
  inp_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/image/data-uri", test_data_uri);
  g_test_add_func ("/core/image/encode-formats", test_encode_formats);
  g_test_add_func ("/core/image/decode-bad", test_decode_bad);
  g_test_add_func ("/core/image/binarize", test_binarize);
  g_test_add_func ("/core/image/encode-mask", test_encode_mask);
  g_test_add_func ("/core/image/fit-sizes", test_fit_sizes);
  g_test_add_func ("/core/image/fit-image-and-mask", test_fit_image_and_mask);
  g_test_add_func ("/core/image/prepare-async", test_prepare_async);
  g_test_add_func ("/core/image/gif", test_gif);

  return g_test_run ();
}
