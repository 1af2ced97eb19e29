/* inp-image.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "inp-error.h"
#include "inp-image.h"

/* Data URIs */

/**
 * inp_data_uri_encode:
 * @bytes: the file's content
 * @mime: (nullable): its type, such as "image/png"
 *
 * Returns: (transfer full): `data:<mime>;base64,…`
 */
char *
inp_data_uri_encode (GBytes     *bytes,
                     const char *mime)
{
  gsize size = 0;
  const guchar *data;
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  encoded = g_base64_encode (data, size);

  return g_strconcat ("data:", mime != NULL ? mime : "application/octet-stream", ";base64,",
                      encoded, NULL);
}

static gboolean
is_base64 (const char *text,
           gsize       length)
{
  gsize padding = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '=')
        padding++;
      else if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }

  return padding <= 2 && length % 4 == 0;
}

/**
 * inp_data_uri_decode:
 * @uri: a `data:` URI, base64 or percent-encoded
 * @mime_out: (out) (optional): the type it declares ("text/plain;charset=US-ASCII" if none)
 * @error: return location for an %INP_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the decoded bytes.
 */
GBytes *
inp_data_uri_decode (const char  *uri,
                     char       **mime_out,
                     GError     **error)
{
  g_autofree char *header = NULL;
  const char *comma;
  const char *data;
  gboolean base64 = FALSE;
  g_auto(GStrv) params = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  if (g_ascii_strncasecmp (uri, "data:", 5) != 0 || (comma = strchr (uri, ',')) == NULL)
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_PROTOCOL, _("Not a valid data URI"));
      return NULL;
    }

  header = g_strndup (uri + 5, comma - (uri + 5));
  data = comma + 1;
  params = g_strsplit (header, ";", -1);
  for (guint i = 1; params[i] != NULL; i++)
    if (g_ascii_strcasecmp (params[i], "base64") == 0 && params[i + 1] == NULL)
      base64 = TRUE;

  if (mime_out != NULL)
    {
      if (params[0] == NULL || params[0][0] == '\0')
        *mime_out = g_strdup ("text/plain;charset=US-ASCII");
      else
        *mime_out = g_ascii_strdown (params[0], -1);
    }

  if (base64)
    {
      gsize length = strlen (data);
      gsize size = 0;
      guchar *decoded;

      if (!is_base64 (data, length))
        {
          g_set_error_literal (error, INP_ERROR, INP_ERROR_PROTOCOL,
                               _("The data URI’s base64 content is damaged"));
          if (mime_out != NULL)
            g_clear_pointer (mime_out, g_free);
          return NULL;
        }
      decoded = g_base64_decode (length > 0 ? data : "", &size);
      return g_bytes_new_take (decoded, size);
    }
  else
    {
      GBytes *bytes = g_uri_unescape_bytes (data, -1, NULL, NULL);

      if (bytes == NULL)
        {
          g_set_error_literal (error, INP_ERROR, INP_ERROR_PROTOCOL,
                               _("The data URI’s content is damaged"));
          if (mime_out != NULL)
            g_clear_pointer (mime_out, g_free);
        }
      return bytes;
    }
}

/* Decoding and encoding */

/**
 * inp_image_decode:
 * @bytes: an image file in any format gdk-pixbuf reads (PNG, JPEG, WebP, GIF…)
 * @error: return location for an %INP_ERROR_INVALID_INPUT error
 *
 * Returns: (transfer full) (nullable): the image, turned upright by its EXIF orientation.
 */
GdkPixbuf *
inp_image_decode (GBytes  *bytes,
                  GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, &local_error)
      || !gdk_pixbuf_loader_close (loader, &local_error)
      || (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      /* Closing is needed even after a failed write, or the loader complains when finalized. */
      gdk_pixbuf_loader_close (loader, NULL);
      g_set_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT,
                   _("This is not an image Inpainter can read: %s"),
                   local_error != NULL ? local_error->message : _("no image data"));
      return NULL;
    }

  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

/**
 * inp_image_format_to_mime:
 * @format: "png", "jpg", "jpeg", "webp" or "gif"
 *
 * Returns: (nullable): the MIME type, or %NULL for a format Inpainter does not write.
 */
const char *
inp_image_format_to_mime (const char *format)
{
  if (g_strcmp0 (format, "png") == 0)
    return "image/png";
  if (g_strcmp0 (format, "jpg") == 0 || g_strcmp0 (format, "jpeg") == 0)
    return "image/jpeg";
  if (g_strcmp0 (format, "webp") == 0)
    return "image/webp";
  if (g_strcmp0 (format, "gif") == 0)
    return "image/gif";
  return NULL;
}

static GdkPixbuf *
flatten (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  GdkPixbuf *flat;

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return g_object_ref (pixbuf);

  /* JPEG has no transparency: compose onto white, as a viewer would show it. */
  flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  gdk_pixbuf_composite_color (pixbuf, flat, 0, 0, width, height, 0, 0, 1, 1,
                              GDK_INTERP_NEAREST, 255, 0, 0, 16, 0xffffff, 0xffffff);
  return flat;
}

/**
 * inp_image_encode:
 * @format: "png", "jpg"/"jpeg" or "webp"
 * @quality: 1–100 for JPEG and WebP; ignored for PNG
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the encoded file.
 */
GBytes *
inp_image_encode (GdkPixbuf   *pixbuf,
                  const char  *format,
                  int          quality,
                  GError     **error)
{
  g_autofree char *quality_text = g_strdup_printf ("%d", CLAMP (quality, 1, 100));
  g_autoptr(GError) local_error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;
  gboolean saved;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (format != NULL, NULL);

  if (g_strcmp0 (format, "png") == 0)
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &local_error,
                                       "compression", "6", NULL);
  else if (g_strcmp0 (format, "jpg") == 0 || g_strcmp0 (format, "jpeg") == 0)
    {
      g_autoptr(GdkPixbuf) flat = flatten (pixbuf);

      saved = gdk_pixbuf_save_to_buffer (flat, &buffer, &size, "jpeg", &local_error,
                                         "quality", quality_text, NULL);
    }
  else if (g_strcmp0 (format, "webp") == 0)
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "webp", &local_error,
                                       "quality", quality_text, NULL);
  else
    {
      g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                   /* Translators: %s is a file format name such as “bmp” */
                   _("Images cannot be saved as “%s”"), format);
      return NULL;
    }

  if (!saved)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_FAILED, _("The image could not be encoded: %s"),
                   local_error->message);
      return NULL;
    }

  return g_bytes_new_take (buffer, size);
}

/* PNG writing for 8-bit grey masks, which gdk-pixbuf cannot write: a third of the size of RGB. */

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         length)
{
  static guint32 table[256];
  static gsize table_ready;

  if (g_once_init_enter (&table_ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&table_ready, 1);
    }

  crc ^= 0xffffffffu;
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, bytes, 4);
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         length)
{
  guint32 crc;

  append_be32 (png, (guint32) length);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (png, data, length);
  crc = crc32_update (0, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, length);
  append_be32 (png, crc);
}

static GBytes *
zlib_compress (const guint8  *data,
               gsize          length,
               GError       **error)
{
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buffer[16384];
  gsize offset = 0;

  for (;;)
    {
      gsize read = 0;
      gsize written = 0;
      GConverterResult result;

      result = g_converter_convert (compressor, data + offset, length - offset,
                                    buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END,
                                    &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      offset += read;
      g_byte_array_append (out, buffer, written);
      if (result == G_CONVERTER_FINISHED)
        break;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
encode_grey_png (const guint8  *pixels,
                 int            width,
                 int            height,
                 GError       **error)
{
  static const guint8 signature[8] = { 137, 'P', 'N', 'G', '\r', '\n', 26, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autofree guint8 *raw = g_malloc ((gsize) (width + 1) * height);
  g_autoptr(GBytes) compressed = NULL;
  const guint8 ihdr_tail[5] = { 8, 0, 0, 0, 0 };   /* 8 bits, grey, deflate, no filter, no interlace */
  gsize size = 0;
  const guint8 *data;

  for (int y = 0; y < height; y++)
    {
      raw[(gsize) y * (width + 1)] = 0;
      memcpy (raw + (gsize) y * (width + 1) + 1, pixels + (gsize) y * width, width);
    }

  compressed = zlib_compress (raw, (gsize) (width + 1) * height, error);
  if (compressed == NULL)
    return NULL;

  g_byte_array_append (png, signature, sizeof signature);
  append_be32 (header, width);
  append_be32 (header, height);
  g_byte_array_append (header, ihdr_tail, sizeof ihdr_tail);
  append_chunk (png, "IHDR", header->data, header->len);
  data = g_bytes_get_data (compressed, &size);
  append_chunk (png, "IDAT", data, size);
  append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* Masks */

static guint8 *
mask_values (GdkPixbuf *mask)
{
  int width = gdk_pixbuf_get_width (mask);
  int height = gdk_pixbuf_get_height (mask);
  int channels = gdk_pixbuf_get_n_channels (mask);
  int stride = gdk_pixbuf_get_rowstride (mask);
  gboolean alpha = gdk_pixbuf_get_has_alpha (mask);
  const guint8 *pixels = gdk_pixbuf_read_pixels (mask);
  guint8 *values = g_malloc ((gsize) width * height);

  for (int y = 0; y < height; y++)
    {
      const guint8 *row = pixels + (gsize) y * stride;

      for (int x = 0; x < width; x++)
        {
          const guint8 *p = row + (gsize) x * channels;
          guint luma = (p[0] * 299u + p[1] * 587u + p[2] * 114u) / 1000u;

          /* A transparent pixel was never painted, so it is kept. */
          if (alpha)
            luma = luma * p[3] / 255u;
          values[(gsize) y * width + x] = luma >= 128 ? 255 : 0;
        }
    }

  return values;
}

/**
 * inp_image_binarize_mask:
 * @mask: a mask: light (or opaque light) pixels mean repaint
 *
 * Returns: (transfer full): an RGB image of the same size, each pixel pure white (repaint) or
 *   pure black (keep).
 */
GdkPixbuf *
inp_image_binarize_mask (GdkPixbuf *mask)
{
  int width, height, stride;
  g_autofree guint8 *values = NULL;
  GdkPixbuf *result;
  guint8 *pixels;

  g_return_val_if_fail (GDK_IS_PIXBUF (mask), NULL);

  width = gdk_pixbuf_get_width (mask);
  height = gdk_pixbuf_get_height (mask);
  values = mask_values (mask);
  result = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  stride = gdk_pixbuf_get_rowstride (result);
  pixels = gdk_pixbuf_get_pixels (result);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      memset (pixels + (gsize) y * stride + (gsize) x * 3, values[(gsize) y * width + x], 3);

  return result;
}

/**
 * inp_image_encode_mask:
 * @mask: a mask, as for inp_image_binarize_mask()
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the binarised mask as an 8-bit greyscale PNG.
 */
GBytes *
inp_image_encode_mask (GdkPixbuf  *mask,
                       GError    **error)
{
  g_autofree guint8 *values = NULL;

  g_return_val_if_fail (GDK_IS_PIXBUF (mask), NULL);

  values = mask_values (mask);
  return encode_grey_png (values, gdk_pixbuf_get_width (mask), gdk_pixbuf_get_height (mask),
                          error);
}

/* Animated GIF, for the sandbox's animation models: gdk-pixbuf reads GIF but cannot write it. */

typedef struct
{
  GByteArray *out;
  guint8      block[256];
  guint       block_length;
  guint32     bits;
  guint       n_bits;
} GifWriter;

static void
gif_flush_block (GifWriter *writer)
{
  if (writer->block_length == 0)
    return;
  writer->block[0] = (guint8) writer->block_length;
  g_byte_array_append (writer->out, writer->block, writer->block_length + 1);
  writer->block_length = 0;
}

static void
gif_put_code (GifWriter *writer,
              guint      code,
              guint      size)
{
  writer->bits |= (guint32) code << writer->n_bits;
  writer->n_bits += size;
  while (writer->n_bits >= 8)
    {
      writer->block[++writer->block_length] = writer->bits & 0xff;
      writer->bits >>= 8;
      writer->n_bits -= 8;
      if (writer->block_length == 255)
        gif_flush_block (writer);
    }
}

/* LZW with 8-bit symbols, as GIF defines it; the dictionary is a trie of code → child codes. */
static void
gif_compress (GByteArray   *out,
              const guint8 *indices,
              gsize         length)
{
  const guint clear_code = 256;
  const guint end_code = 257;
  g_autofree guint16 *children = g_new0 (guint16, 4096 * 256);
  GifWriter writer = { out, { 0 }, 0, 0, 0 };
  guint code_size = 9;
  guint next_code = 258;
  guint prefix;
  const guint8 min_code_size = 8;

  g_byte_array_append (out, &min_code_size, 1);
  gif_put_code (&writer, clear_code, code_size);

  prefix = length > 0 ? indices[0] : 0;
  for (gsize i = 1; i < length; i++)
    {
      guint symbol = indices[i];
      guint child = children[prefix * 256 + symbol];

      if (child != 0)
        {
          prefix = child;
          continue;
        }

      gif_put_code (&writer, prefix, code_size);
      if (next_code < 4096)
        {
          if (next_code == (1u << code_size))
            code_size++;
          children[prefix * 256 + symbol] = next_code++;
        }
      else
        {
          gif_put_code (&writer, clear_code, code_size);
          memset (children, 0, sizeof (guint16) * 4096 * 256);
          code_size = 9;
          next_code = 258;
        }
      prefix = symbol;
    }

  if (length > 0)
    gif_put_code (&writer, prefix, code_size);
  gif_put_code (&writer, end_code, code_size);
  if (writer.n_bits > 0)
    gif_put_code (&writer, 0, 8 - writer.n_bits);
  gif_flush_block (&writer);
  g_byte_array_append (out, (const guint8 *) "\0", 1);
}

static void
append_le16 (GByteArray *array,
             guint       value)
{
  guint8 bytes[2] = { value & 0xff, (value >> 8) & 0xff };

  g_byte_array_append (array, bytes, 2);
}

/**
 * inp_image_encode_gif:
 * @frames: (element-type GdkPixbuf): the frames, all of one size
 * @delay_cs: time each frame shows, in hundredths of a second
 *
 * Writes a looping GIF with a fixed 3-3-2 RGB palette: good enough for previews and tests.
 *
 * Returns: (transfer full): the file.
 */
GBytes *
inp_image_encode_gif (GPtrArray *frames,
                      guint      delay_cs)
{
  g_autoptr(GByteArray) gif = g_byte_array_new ();
  static const guint8 loop_extension[] = {
    0x21, 0xff, 0x0b, 'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0', 0x03, 0x01, 0, 0, 0
  };
  guint8 screen_flags[3] = { 0xf7, 0, 0 };   /* global palette of 256 colours */
  g_autofree guint8 *indices = NULL;
  int width, height;

  g_return_val_if_fail (frames != NULL && frames->len > 0, NULL);

  width = gdk_pixbuf_get_width (g_ptr_array_index (frames, 0));
  height = gdk_pixbuf_get_height (g_ptr_array_index (frames, 0));
  indices = g_malloc ((gsize) width * height);

  g_byte_array_append (gif, (const guint8 *) "GIF89a", 6);
  append_le16 (gif, width);
  append_le16 (gif, height);
  g_byte_array_append (gif, screen_flags, 3);
  for (guint i = 0; i < 256; i++)
    {
      guint8 rgb[3] = { ((i >> 5) & 7) * 255 / 7, ((i >> 2) & 7) * 255 / 7, (i & 3) * 255 / 3 };

      g_byte_array_append (gif, rgb, 3);
    }
  g_byte_array_append (gif, loop_extension, sizeof loop_extension);

  for (guint f = 0; f < frames->len; f++)
    {
      GdkPixbuf *frame = g_ptr_array_index (frames, f);
      const guint8 *pixels = gdk_pixbuf_read_pixels (frame);
      int stride = gdk_pixbuf_get_rowstride (frame);
      int channels = gdk_pixbuf_get_n_channels (frame);
      guint8 control[8] = { 0x21, 0xf9, 0x04, 0x04, delay_cs & 0xff, (delay_cs >> 8) & 0xff, 0, 0 };
      guint8 descriptor = 0x2c;
      guint8 no_local_palette = 0;

      g_return_val_if_fail (gdk_pixbuf_get_width (frame) == width
                            && gdk_pixbuf_get_height (frame) == height, NULL);

      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            const guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;

            indices[(gsize) y * width + x] = (p[0] & 0xe0) | ((p[1] >> 3) & 0x1c) | (p[2] >> 6);
          }

      g_byte_array_append (gif, control, sizeof control);
      g_byte_array_append (gif, &descriptor, 1);
      append_le16 (gif, 0);
      append_le16 (gif, 0);
      append_le16 (gif, width);
      append_le16 (gif, height);
      g_byte_array_append (gif, &no_local_palette, 1);
      gif_compress (gif, indices, (gsize) width * height);
    }

  g_byte_array_append (gif, (const guint8 *) ";", 1);
  return g_byte_array_free_to_bytes (g_steal_pointer (&gif));
}

/**
 * inp_image_count_gif_frames:
 * @gif: a GIF file
 *
 * Counts the images in a GIF by walking its blocks, without decoding: gdk-pixbuf steps through an
 * animation only by the clock and never says how many frames it has.
 *
 * Returns: the number of frames, or 0 when @gif is not a well-formed GIF.
 */
guint
inp_image_count_gif_frames (GBytes *gif)
{
  gsize size = 0;
  const guint8 *data;
  gsize offset = 13;
  guint frames = 0;

  g_return_val_if_fail (gif != NULL, 0);

  data = g_bytes_get_data (gif, &size);
  if (size <= 13 || (memcmp (data, "GIF89a", 6) != 0 && memcmp (data, "GIF87a", 6) != 0))
    return 0;
  if (data[10] & 0x80)
    offset += 3u << ((data[10] & 0x07) + 1);

  while (offset < size)
    {
      guint8 kind = data[offset];

      if (kind == 0x3b)
        return frames;

      if (kind == 0x21)
        {
          offset += 2;
        }
      else if (kind == 0x2c)
        {
          if (offset + 10 > size)
            return 0;
          frames++;
          if (data[offset + 9] & 0x80)
            offset += 3u << ((data[offset + 9] & 0x07) + 1);
          offset += 10 + 1;   /* the descriptor, then the LZW minimum code size */
        }
      else
        {
          return 0;
        }

      /* Data sub-blocks up to the zero-length terminator. */
      while (offset < size && data[offset] != 0)
        offset += data[offset] + 1;
      offset++;
    }

  /* Truncated: the frames seen so far are still shown by decoders, so count them. */
  return frames;
}

/* Fitting */

static guint
nearest_size (const guint *sizes,
              guint        n_sizes,
              double       value)
{
  guint best = sizes[0];

  for (guint i = 1; i < n_sizes; i++)
    if (fabs (sizes[i] - value) < fabs (best - value))
      best = sizes[i];
  return best;
}

static int
fit_side (double value,
          guint  multiple,
          guint  max_side)
{
  guint largest = MAX (multiple, (max_side / multiple) * multiple);
  double rounded = floor (value / multiple + 0.5) * multiple;

  return (int) CLAMP (rounded, multiple, largest);
}

/**
 * inp_size_rules_fit:
 * @rules: a model's size rules
 * @width: the image's width
 * @height: the image's height
 * @fitted_width: (out): the width to send
 * @fitted_height: (out): the height to send
 *
 * Scales down (never up) to fit the model's largest size, keeping the aspect ratio, then rounds
 * each side to the nearest allowed value: a listed size, or a multiple of the rule's step.
 */
void
inp_size_rules_fit (const InpSizeRules *rules,
                    int                 width,
                    int                 height,
                    int                *fitted_width,
                    int                *fitted_height)
{
  double scale = 1.0;
  guint multiple;
  guint max_side;

  g_return_if_fail (rules != NULL);
  g_return_if_fail (width > 0 && height > 0);

  multiple = MAX (rules->multiple, 1);
  max_side = rules->max_side > 0 ? rules->max_side : G_MAXINT;

  scale = MIN (scale, (double) max_side / MAX (width, height));
  if (rules->n_widths > 0)
    scale = MIN (scale, (double) rules->widths[rules->n_widths - 1] / width);
  if (rules->n_heights > 0)
    scale = MIN (scale, (double) rules->heights[rules->n_heights - 1] / height);

  if (rules->n_widths > 0)
    *fitted_width = nearest_size (rules->widths, rules->n_widths, width * scale);
  else
    *fitted_width = fit_side (width * scale, multiple, max_side);

  if (rules->n_heights > 0)
    *fitted_height = nearest_size (rules->heights, rules->n_heights, height * scale);
  else
    *fitted_height = fit_side (height * scale, multiple, max_side);
}

/**
 * inp_image_scale:
 *
 * Returns: (transfer full): @pixbuf at @width × @height, bilinear; @pixbuf itself if it fits.
 */
GdkPixbuf *
inp_image_scale (GdkPixbuf *pixbuf,
                 int        width,
                 int        height)
{
  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);

  if (gdk_pixbuf_get_width (pixbuf) == width && gdk_pixbuf_get_height (pixbuf) == height)
    return g_object_ref (pixbuf);
  return gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);
}

/**
 * inp_image_fit:
 * @rules: the model's size rules
 * @image: the picture
 * @mask: (nullable): its mask; scaled to the image's size first if it differs
 * @image_out: (out) (transfer full): the fitted image
 * @mask_out: (out) (transfer full) (optional) (nullable): the fitted, binarised mask
 * @error: return location for an error
 *
 * Applies one transform to both so that the mask still covers the same pixels.
 *
 * Returns: %TRUE on success.
 */
gboolean
inp_image_fit (const InpSizeRules  *rules,
               GdkPixbuf           *image,
               GdkPixbuf           *mask,
               GdkPixbuf          **image_out,
               GdkPixbuf          **mask_out,
               GError             **error)
{
  int width, height;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (GDK_IS_PIXBUF (image), FALSE);
  g_return_val_if_fail (mask == NULL || GDK_IS_PIXBUF (mask), FALSE);
  g_return_val_if_fail (image_out != NULL, FALSE);

  inp_size_rules_fit (rules, gdk_pixbuf_get_width (image), gdk_pixbuf_get_height (image),
                      &width, &height);

  *image_out = inp_image_scale (image, width, height);
  if (mask_out != NULL)
    {
      g_autoptr(GdkPixbuf) scaled = NULL;

      *mask_out = NULL;
      if (mask != NULL)
        {
          scaled = inp_image_scale (mask, width, height);
          *mask_out = inp_image_binarize_mask (scaled);
        }
    }

  return TRUE;
}

/* Preparing uploads */

void
inp_prepared_images_free (InpPreparedImages *prepared)
{
  if (prepared == NULL)
    return;

  g_clear_pointer (&prepared->image, g_bytes_unref);
  g_clear_pointer (&prepared->mask, g_bytes_unref);
  g_free (prepared->image_mime);
  g_free (prepared);
}

static GBytes *
encode_photo (GdkPixbuf  *image,
              gsize       max_bytes,
              char      **mime,
              GError    **error)
{
  static const int qualities[] = { 92, 85, 75, 60, 45 };
  GBytes *bytes;

  /* Transparency can carry meaning (FLUX fill reads it as a mask), so keep it losslessly. */
  if (gdk_pixbuf_get_has_alpha (image))
    {
      bytes = inp_image_encode (image, "png", 0, error);
      if (bytes == NULL)
        return NULL;
      if (max_bytes == 0 || g_bytes_get_size (bytes) <= max_bytes)
        {
          *mime = g_strdup ("image/png");
          return bytes;
        }
      g_bytes_unref (bytes);
    }

  for (guint i = 0; i < G_N_ELEMENTS (qualities); i++)
    {
      bytes = inp_image_encode (image, "jpeg", qualities[i], error);
      if (bytes == NULL)
        return NULL;
      if (max_bytes == 0 || g_bytes_get_size (bytes) <= max_bytes)
        {
          *mime = g_strdup ("image/jpeg");
          return bytes;
        }
      g_bytes_unref (bytes);
    }

  g_set_error (error, INP_ERROR, INP_ERROR_TOO_LARGE,
               _("The image is too large to send, even at reduced quality"));
  return NULL;
}

/**
 * inp_image_prepare:
 * @model: the model the images are for
 * @image: the picture
 * @mask: (nullable): its mask
 * @max_image_bytes: the largest encoded image allowed, or 0 for no limit
 * @error: return location for an error
 *
 * Fits @image and @mask to @model's size rules and encodes them for upload. This is CPU work for
 * large photos: from the main thread use inp_image_prepare_async().
 *
 * Returns: (transfer full) (nullable): the encoded images.
 */
InpPreparedImages *
inp_image_prepare (InpModel   *model,
                   GdkPixbuf  *image,
                   GdkPixbuf  *mask,
                   gsize       max_image_bytes,
                   GError    **error)
{
  g_autoptr(InpPreparedImages) prepared = g_new0 (InpPreparedImages, 1);
  g_autoptr(GdkPixbuf) fitted_image = NULL;
  g_autoptr(GdkPixbuf) fitted_mask = NULL;

  g_return_val_if_fail (INP_IS_MODEL (model), NULL);
  g_return_val_if_fail (GDK_IS_PIXBUF (image), NULL);

  if (!inp_image_fit (inp_model_get_size_rules (model), image, mask,
                      &fitted_image, &fitted_mask, error))
    return NULL;

  prepared->width = gdk_pixbuf_get_width (fitted_image);
  prepared->height = gdk_pixbuf_get_height (fitted_image);
  prepared->image = encode_photo (fitted_image, max_image_bytes, &prepared->image_mime, error);
  if (prepared->image == NULL)
    return NULL;

  if (fitted_mask != NULL)
    {
      prepared->mask = inp_image_encode_mask (fitted_mask, error);
      if (prepared->mask == NULL)
        return NULL;
    }

  return g_steal_pointer (&prepared);
}

typedef struct
{
  InpModel  *model;
  GdkPixbuf *image;
  GdkPixbuf *mask;
  gsize      max_image_bytes;
} PrepareData;

static void
prepare_data_free (PrepareData *data)
{
  g_clear_object (&data->model);
  g_clear_object (&data->image);
  g_clear_object (&data->mask);
  g_free (data);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  GError *error = NULL;
  InpPreparedImages *prepared;

  prepared = inp_image_prepare (data->model, data->image, data->mask, data->max_image_bytes,
                                &error);
  if (prepared == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, prepared, (GDestroyNotify) inp_prepared_images_free);
}

/**
 * inp_image_prepare_async:
 *
 * Runs inp_image_prepare() on a worker thread. The pixbufs must not change meanwhile.
 */
void
inp_image_prepare_async (InpModel            *model,
                         GdkPixbuf           *image,
                         GdkPixbuf           *mask,
                         gsize                max_image_bytes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  g_return_if_fail (INP_IS_MODEL (model));
  g_return_if_fail (GDK_IS_PIXBUF (image));
  g_return_if_fail (mask == NULL || GDK_IS_PIXBUF (mask));

  data = g_new0 (PrepareData, 1);
  data->model = g_object_ref (model);
  data->image = g_object_ref (image);
  data->mask = mask != NULL ? g_object_ref (mask) : NULL;
  data->max_image_bytes = max_image_bytes;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_image_prepare_async);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, prepare_thread);
}

/**
 * inp_image_prepare_finish:
 *
 * Returns: (transfer full) (nullable): the encoded images.
 */
InpPreparedImages *
inp_image_prepare_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_image_prepare_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
