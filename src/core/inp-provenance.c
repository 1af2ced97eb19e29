/* inp-provenance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "inp-error.h"
#include "inp-provenance.h"

/* PNG keywords. "Description", "Source" and "Software" are keywords the PNG specification
 * defines; the rest are ours. The XMP packet carries the IPTC marker where photo tools look. */
#define KEY_PROMPT         "Description"
#define KEY_MODEL          "Source"
#define KEY_SOFTWARE       "Software"
#define KEY_VERSION        "Model Version"
#define KEY_SEED           "Seed"
#define KEY_INPUTS         "Inputs"
#define KEY_SOURCE_TYPE    "DigitalSourceType"
#define KEY_XMP            "XML:com.adobe.xmp"

#define PNG_SIGNATURE      "\x89PNG\r\n\x1a\n"
#define PNG_SIGNATURE_LEN  8
#define PNG_IHDR_CHUNK_LEN (8 + 13 + 4)

/* Text chunks larger than this are not provenance we wrote; they are skipped when reading. */
#define MAX_TEXT_CHUNK     (4 * 1024 * 1024)

static const char *const our_keys[] = {
  KEY_PROMPT, KEY_MODEL, KEY_SOFTWARE, KEY_VERSION, KEY_SEED, KEY_INPUTS, KEY_SOURCE_TYPE, KEY_XMP,
};

G_DEFINE_BOXED_TYPE (InpProvenance, inp_provenance, inp_provenance_copy, inp_provenance_free)

/**
 * inp_provenance_new:
 * @model: (nullable): the model, as `owner/name`
 * @version: (nullable): the model version
 * @inputs: (nullable): the input values, a JSON object; `prompt` and `seed` are taken from it
 *
 * Returns: (transfer full): provenance marked as AI-generated and written by Inpainter.
 */
InpProvenance *
inp_provenance_new (const char *model,
                    const char *version,
                    JsonNode   *inputs)
{
  InpProvenance *self = g_new0 (InpProvenance, 1);

  self->model = g_strdup (model);
  self->version = g_strdup (version);
  self->ai_generated = TRUE;
  self->software = g_strdup ("Inpainter " PACKAGE_VERSION);

  if (inputs != NULL && JSON_NODE_HOLDS_OBJECT (inputs))
    {
      JsonObject *object = json_node_get_object (inputs);
      JsonNode *seed = json_object_get_member (object, "seed");

      self->inputs = json_node_copy (inputs);
      self->prompt = g_strdup (json_object_get_string_member_with_default (object, "prompt", NULL));
      if (seed != NULL && JSON_NODE_HOLDS_VALUE (seed) &&
          json_node_get_value_type (seed) == G_TYPE_INT64)
        {
          self->seed = json_node_get_int (seed);
          self->has_seed = TRUE;
        }
    }

  return self;
}

InpProvenance *
inp_provenance_copy (const InpProvenance *provenance)
{
  InpProvenance *copy;

  g_return_val_if_fail (provenance != NULL, NULL);

  copy = g_memdup2 (provenance, sizeof *provenance);
  copy->prompt = g_strdup (provenance->prompt);
  copy->model = g_strdup (provenance->model);
  copy->version = g_strdup (provenance->version);
  copy->software = g_strdup (provenance->software);
  copy->inputs = provenance->inputs != NULL ? json_node_copy (provenance->inputs) : NULL;

  return copy;
}

void
inp_provenance_free (InpProvenance *provenance)
{
  if (provenance == NULL)
    return;

  g_free (provenance->prompt);
  g_free (provenance->model);
  g_free (provenance->version);
  g_free (provenance->software);
  g_clear_pointer (&provenance->inputs, json_node_unref);
  g_free (provenance);
}

static char *
inputs_to_string (const InpProvenance *self)
{
  if (self->inputs == NULL)
    return NULL;

  return json_to_string (self->inputs, FALSE);
}

/* PNG (ISO/IEC 15948) CRC-32 over a chunk's type and data. */
static guint32
png_crc (const guint8 *data,
         gsize         length,
         guint32       crc)
{
  static guint32 table[256];
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialised, 1);
    }

  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return crc;
}

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);

  g_byte_array_append (array, (const guint8 *) &be, 4);
}

static void
append_chunk (GByteArray   *array,
              const char   *type,
              const guint8 *data,
              gsize         length)
{
  guint32 crc;

  append_be32 (array, length);
  g_byte_array_append (array, (const guint8 *) type, 4);
  g_byte_array_append (array, data, length);
  crc = png_crc ((const guint8 *) type, 4, 0xffffffffu);
  crc = png_crc (data, length, crc);
  append_be32 (array, crc ^ 0xffffffffu);
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/* tEXt holds Latin-1 only, so anything beyond ASCII (a Chinese prompt) goes in an iTXt chunk,
 * which is UTF-8; both are read back alike. */
static void
append_text (GByteArray *array,
             const char *key,
             const char *value)
{
  g_autoptr(GByteArray) data = NULL;
  gboolean international;

  if (value == NULL)
    return;

  data = g_byte_array_new ();
  international = !is_ascii (value) || g_str_equal (key, KEY_XMP);

  g_byte_array_append (data, (const guint8 *) key, strlen (key) + 1);
  if (international)
    {
      /* Uncompressed, no language tag, no translated keyword. */
      static const guint8 header[] = { 0, 0, 0, 0 };

      g_byte_array_append (data, header, sizeof header);
    }
  g_byte_array_append (data, (const guint8 *) value, strlen (value));
  append_chunk (array, international ? "iTXt" : "tEXt", data->data, data->len);
}

static char *
build_xmp (void)
{
  return g_strdup ("<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                   "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
                   "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                   "<rdf:Description rdf:about=\"\""
                   " xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\""
                   " Iptc4xmpExt:DigitalSourceType=\"" INP_PROVENANCE_DIGITAL_SOURCE_TYPE "\"/>"
                   "</rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>");
}

/**
 * inp_provenance_build_png_chunks:
 *
 * Returns: (transfer full): the text chunks for @provenance, to be placed right after a PNG's
 *   IHDR chunk.
 */
GBytes *
inp_provenance_build_png_chunks (const InpProvenance *provenance)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autofree char *inputs = NULL;
  g_autofree char *seed = NULL;

  g_return_val_if_fail (provenance != NULL, NULL);

  inputs = inputs_to_string (provenance);
  if (provenance->has_seed)
    seed = g_strdup_printf ("%" G_GINT64_FORMAT, provenance->seed);

  append_text (array, KEY_PROMPT, provenance->prompt);
  append_text (array, KEY_MODEL, provenance->model);
  append_text (array, KEY_VERSION, provenance->version);
  append_text (array, KEY_SEED, seed);
  append_text (array, KEY_INPUTS, inputs);
  append_text (array, KEY_SOFTWARE, provenance->software);
  if (provenance->ai_generated)
    {
      g_autofree char *xmp = build_xmp ();

      append_text (array, KEY_SOURCE_TYPE, INP_PROVENANCE_DIGITAL_SOURCE_TYPE);
      append_text (array, KEY_XMP, xmp);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

/**
 * inp_provenance_is_png:
 * @data: the first bytes of a file
 * @length: at least the signature and the IHDR chunk (33 bytes) to say yes
 *
 * Returns: whether @data starts like a PNG whose first chunk is IHDR.
 */
gboolean
inp_provenance_is_png (const guint8 *data,
                       gsize         length)
{
  return length >= PNG_SIGNATURE_LEN + PNG_IHDR_CHUNK_LEN &&
         memcmp (data, PNG_SIGNATURE, PNG_SIGNATURE_LEN) == 0 &&
         memcmp (data + PNG_SIGNATURE_LEN, "\0\0\0\x0dIHDR", 8) == 0;
}

static gboolean
is_our_text_chunk (const char   *type,
                   const guint8 *data,
                   gsize         length)
{
  if (memcmp (type, "tEXt", 4) != 0 && memcmp (type, "iTXt", 4) != 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (our_keys); i++)
    {
      gsize key_length = strlen (our_keys[i]);

      if (length > key_length && data[key_length] == '\0' &&
          memcmp (data, our_keys[i], key_length) == 0)
        return TRUE;
    }

  return FALSE;
}

static GError *
not_png_error (void)
{
  return g_error_new_literal (INP_ERROR, INP_ERROR_INVALID_INPUT,
                              _("The image is not a valid PNG file"));
}

/**
 * inp_provenance_add_to_png:
 * @png: a whole PNG file
 *
 * Writes @provenance into a copy of @png, replacing provenance written earlier. The image
 * data is copied unchanged.
 *
 * Returns: (transfer full): the new PNG, or %NULL if @png is not a PNG.
 */
GBytes *
inp_provenance_add_to_png (const InpProvenance  *provenance,
                           GBytes               *png,
                           GError              **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GBytes) chunks = NULL;
  const guint8 *data;
  gsize length;
  gsize pos;

  g_return_val_if_fail (provenance != NULL, NULL);
  g_return_val_if_fail (png != NULL, NULL);

  data = g_bytes_get_data (png, &length);
  if (!inp_provenance_is_png (data, length))
    {
      g_propagate_error (error, not_png_error ());
      return NULL;
    }

  chunks = inp_provenance_build_png_chunks (provenance);
  pos = PNG_SIGNATURE_LEN + PNG_IHDR_CHUNK_LEN;
  g_byte_array_append (out, data, pos);
  g_byte_array_append (out, g_bytes_get_data (chunks, NULL), g_bytes_get_size (chunks));

  while (pos < length)
    {
      guint32 chunk_length;

      if (length - pos < 12)
        {
          g_propagate_error (error, not_png_error ());
          return NULL;
        }
      memcpy (&chunk_length, data + pos, 4);
      chunk_length = GUINT32_FROM_BE (chunk_length);
      if (chunk_length > length - pos - 12)
        {
          g_propagate_error (error, not_png_error ());
          return NULL;
        }
      if (!is_our_text_chunk ((const char *) data + pos + 4, data + pos + 8, chunk_length))
        g_byte_array_append (out, data + pos, chunk_length + 12);
      pos += chunk_length + 12;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * inp_provenance_to_json:
 *
 * Returns: (transfer full): the sidecar document for @provenance, pretty-printed.
 */
char *
inp_provenance_to_json (const InpProvenance *provenance)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (provenance != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ai_generated");
  json_builder_add_boolean_value (builder, provenance->ai_generated);
  if (provenance->ai_generated)
    {
      json_builder_set_member_name (builder, "digital_source_type");
      json_builder_add_string_value (builder, INP_PROVENANCE_DIGITAL_SOURCE_TYPE);
    }
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, provenance->prompt);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, provenance->model);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, provenance->version);
  json_builder_set_member_name (builder, "seed");
  if (provenance->has_seed)
    json_builder_add_int_value (builder, provenance->seed);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "inputs");
  if (provenance->inputs != NULL)
    json_builder_add_value (builder, json_node_copy (provenance->inputs));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "software");
  json_builder_add_string_value (builder, provenance->software);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

static char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (node));
}

static GError *
unreadable_error (void)
{
  return g_error_new_literal (INP_ERROR, INP_ERROR_INVALID_INPUT,
                              _("The file’s generation details cannot be read"));
}

/**
 * inp_provenance_from_json:
 * @json: a sidecar document
 * @length: its length, or -1 if nul-terminated
 *
 * Returns: (transfer full): the provenance, or %NULL with @error set.
 */
InpProvenance *
inp_provenance_from_json (const char  *json,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(InpProvenance) self = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_propagate_error (error, unreadable_error ());
      return NULL;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  self = g_new0 (InpProvenance, 1);
  self->ai_generated = json_object_get_boolean_member_with_default (object, "ai_generated", FALSE);
  self->prompt = dup_string_member (object, "prompt");
  self->model = dup_string_member (object, "model");
  self->version = dup_string_member (object, "version");
  self->software = dup_string_member (object, "software");

  node = json_object_get_member (object, "seed");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    {
      self->seed = json_node_get_int (node);
      self->has_seed = TRUE;
    }

  node = json_object_get_member (object, "inputs");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    self->inputs = json_node_copy (node);

  return g_steal_pointer (&self);
}

/**
 * inp_provenance_sidecar_path:
 *
 * Returns: (transfer full): where the sidecar of @path lives: `<path>.json`.
 */
char *
inp_provenance_sidecar_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_strconcat (path, ".json", NULL);
}

/**
 * inp_provenance_copy_sidecar:
 * @source_path: an image file, perhaps with a sidecar
 * @destination_path: a copy of it
 *
 * JPEG and WebP keep their provenance beside them: when @source_path has a sidecar, it is
 * copied (replacing any) to the sidecar of @destination_path, so that it travels with the copy.
 *
 * Returns: whether that went well, or there was no sidecar
 */
gboolean
inp_provenance_copy_sidecar (const char    *source_path,
                             const char    *destination_path,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *source_sidecar = NULL;
  g_autofree char *destination_sidecar = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;

  g_return_val_if_fail (source_path != NULL, FALSE);
  g_return_val_if_fail (destination_path != NULL, FALSE);

  source_sidecar = inp_provenance_sidecar_path (source_path);
  if (!g_file_test (source_sidecar, G_FILE_TEST_EXISTS))
    return TRUE;

  destination_sidecar = inp_provenance_sidecar_path (destination_path);
  from = g_file_new_for_path (source_sidecar);
  to = g_file_new_for_path (destination_sidecar);

  return g_file_copy (from, to, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, error);
}

static gboolean
read_head (const char  *path,
           guint8      *buffer,
           gsize        size,
           gsize       *n_read,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, error);

  if (stream == NULL)
    return FALSE;

  return g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, size, n_read, NULL, error);
}

/**
 * inp_provenance_write_file:
 * @path: an image file
 *
 * Writes @provenance into @path if it is a PNG (replacing the file atomically), and into the
 * sidecar `<path>.json` otherwise.
 */
gboolean
inp_provenance_write_file (const InpProvenance  *provenance,
                           const char           *path,
                           GError              **error)
{
  guint8 head[PNG_SIGNATURE_LEN + PNG_IHDR_CHUNK_LEN];
  gsize n_read = 0;

  g_return_val_if_fail (provenance != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!read_head (path, head, sizeof head, &n_read, error))
    return FALSE;

  if (inp_provenance_is_png (head, n_read))
    {
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) written = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, error))
        return FALSE;
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      written = inp_provenance_add_to_png (provenance, bytes, error);
      if (written == NULL)
        return FALSE;

      return g_file_set_contents_full (path, g_bytes_get_data (written, NULL),
                                       g_bytes_get_size (written),
                                       G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
    }
  else
    {
      g_autofree char *sidecar = inp_provenance_sidecar_path (path);
      g_autofree char *json = inp_provenance_to_json (provenance);

      return g_file_set_contents_full (sidecar, json, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                       0644, error);
    }
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
take_text (InpProvenance *self,
           const char    *key,
           const char    *value,
           gsize          length)
{
  g_autofree char *text = g_strndup (value, length);

  if (!g_utf8_validate (text, -1, NULL))
    return;

  if (g_str_equal (key, KEY_PROMPT))
    replace_string (&self->prompt, text);
  else if (g_str_equal (key, KEY_MODEL))
    replace_string (&self->model, text);
  else if (g_str_equal (key, KEY_VERSION))
    replace_string (&self->version, text);
  else if (g_str_equal (key, KEY_SOFTWARE))
    replace_string (&self->software, text);
  else if (g_str_equal (key, KEY_SEED))
    {
      gint64 seed;

      if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &seed, NULL))
        {
          self->seed = seed;
          self->has_seed = TRUE;
        }
    }
  else if (g_str_equal (key, KEY_INPUTS))
    {
      g_autoptr(JsonNode) node = json_from_string (text, NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          g_clear_pointer (&self->inputs, json_node_unref);
          self->inputs = g_steal_pointer (&node);
        }
    }
  else if (g_str_equal (key, KEY_SOURCE_TYPE))
    self->ai_generated |= g_str_equal (text, INP_PROVENANCE_DIGITAL_SOURCE_TYPE);
  else if (g_str_equal (key, KEY_XMP))
    self->ai_generated |= strstr (text, INP_PROVENANCE_DIGITAL_SOURCE_TYPE) != NULL;
}

/* Takes the keyword and text out of a tEXt or iTXt chunk; compressed iTXt is not ours. */
static void
parse_text_chunk (InpProvenance *self,
                  gboolean       international,
                  const guint8  *data,
                  gsize          length)
{
  const guint8 *end = data + length;
  const guint8 *key_end = memchr (data, '\0', length);
  const guint8 *text;

  if (key_end == NULL)
    return;
  text = key_end + 1;

  if (international)
    {
      const guint8 *language_end;
      const guint8 *translated_end;

      if (end - text < 2 || text[0] != 0)
        return;
      text += 2;
      language_end = memchr (text, '\0', end - text);
      if (language_end == NULL)
        return;
      translated_end = memchr (language_end + 1, '\0', end - (language_end + 1));
      if (translated_end == NULL)
        return;
      text = translated_end + 1;
    }

  take_text (self, (const char *) data, (const char *) text, end - text);
}

static InpProvenance *
read_png (GInputStream  *stream,
          GError       **error)
{
  g_autoptr(InpProvenance) self = g_new0 (InpProvenance, 1);
  gboolean found = FALSE;

  if (!g_seekable_seek (G_SEEKABLE (stream), PNG_SIGNATURE_LEN, G_SEEK_SET, NULL, error))
    return NULL;

  for (;;)
    {
      guint8 header[8];
      gsize n_read = 0;
      guint32 length;

      if (!g_input_stream_read_all (stream, header, sizeof header, &n_read, NULL, error))
        return NULL;
      if (n_read < sizeof header)
        break;

      memcpy (&length, header, 4);
      length = GUINT32_FROM_BE (length);
      if (memcmp (header + 4, "IEND", 4) == 0)
        break;

      if ((memcmp (header + 4, "tEXt", 4) == 0 || memcmp (header + 4, "iTXt", 4) == 0) &&
          length <= MAX_TEXT_CHUNK)
        {
          g_autofree guint8 *data = g_malloc (length + 4);

          if (!g_input_stream_read_all (stream, data, length + 4, &n_read, NULL, error))
            return NULL;
          if (n_read < length + 4)
            break;
          if (is_our_text_chunk ((const char *) header + 4, data, length))
            {
              parse_text_chunk (self, header[4] == 'i', data, length);
              found = TRUE;
            }
        }
      else if (!g_seekable_seek (G_SEEKABLE (stream), (goffset) length + 4, G_SEEK_CUR,
                                 NULL, error))
        return NULL;
    }

  if (!found)
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_NOT_FOUND,
                           _("The image carries no generation details"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * inp_provenance_read_file:
 * @path: an image file
 *
 * Reads provenance back from a PNG's text chunks, or from the sidecar `<path>.json` of any
 * other file (or of a PNG without chunks).
 *
 * Returns: (transfer full): the provenance, or %NULL with %INP_ERROR_NOT_FOUND when the file
 *   carries none.
 */
InpProvenance *
inp_provenance_read_file (const char  *path,
                          GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *contents = NULL;
  guint8 head[PNG_SIGNATURE_LEN + PNG_IHDR_CHUNK_LEN];
  gsize n_read = 0;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, error);
  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &n_read, NULL, error))
    return NULL;

  if (inp_provenance_is_png (head, n_read))
    {
      InpProvenance *provenance = read_png (G_INPUT_STREAM (stream), &local_error);

      if (provenance != NULL)
        return provenance;
      if (!g_error_matches (local_error, INP_ERROR, INP_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);
    }

  sidecar = inp_provenance_sidecar_path (path);
  if (!g_file_get_contents (sidecar, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error_literal (error, INP_ERROR, INP_ERROR_NOT_FOUND,
                             _("The image carries no generation details"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return inp_provenance_from_json (contents, length, error);
}
