/* test-provenance.c: provenance in real PNG, JPEG and WebP files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* memmem() */
#define _GNU_SOURCE

#include "config.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "inp-error.h"
#include "inp-provenance.h"
#include "inp-test-utils.h"

static GdkPixbuf *
make_pixbuf (void)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);

  gdk_pixbuf_fill (pixbuf, 0x2080c0ff);
  return pixbuf;
}

static char *
save_pixbuf (const char *dir,
             const char *name,
             const char *format)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  gdk_pixbuf_save (pixbuf, path, format, &error, NULL);
  g_assert_no_error (error);

  return path;
}

static InpProvenance *
make_provenance (const char *prompt)
{
  g_autofree char *json =
    g_strdup_printf ("{\"prompt\": \"%s\", \"seed\": 987654321, \"steps\": 30,"
                     " \"mask\": \"mask.png\"}", prompt);
  g_autoptr(JsonNode) inputs = json_from_string (json, NULL);

  return inp_provenance_new ("stability-ai/stable-diffusion-inpainting", "95b7223104", inputs);
}

static void
assert_same_provenance (const InpProvenance *a,
                        const InpProvenance *b)
{
  g_assert_cmpstr (a->prompt, ==, b->prompt);
  g_assert_cmpstr (a->model, ==, b->model);
  g_assert_cmpstr (a->version, ==, b->version);
  g_assert_cmpint (a->has_seed, ==, b->has_seed);
  g_assert_cmpint (a->seed, ==, b->seed);
  g_assert_cmpint (a->ai_generated, ==, b->ai_generated);
  g_assert_cmpstr (a->software, ==, b->software);
  g_assert_true (json_node_equal (a->inputs, b->inputs));
}

static gsize
count_occurrences (const char *haystack,
                   gsize       length,
                   const char *needle)
{
  gsize n = 0;
  const char *p = haystack;
  const char *end = haystack + length;

  while ((p = memmem (p, end - p, needle, strlen (needle))) != NULL)
    {
      n++;
      p++;
    }

  return n;
}

static void
test_png_round_trip (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *path = save_pixbuf (dir, "out.png", "png");
  g_autofree char *sidecar = inp_provenance_sidecar_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(InpProvenance) provenance = make_provenance ("a red fox, 雪地里的狐狸");
  g_autoptr(InpProvenance) read_back = NULL;
  g_autoptr(GdkPixbuf) original = make_pixbuf ();
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_cmpstr (provenance->prompt, ==, "a red fox, 雪地里的狐狸");
  g_assert_true (provenance->has_seed);
  g_assert_cmpint (provenance->seed, ==, 987654321);

  inp_provenance_write_file (provenance, path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));

  /* Plain tEXt for ASCII, iTXt for the UTF-8 prompt, and the IPTC marker in both forms. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (count_occurrences (contents, length, "tEXtSource"), ==, 1);
  g_assert_cmpuint (count_occurrences (contents, length, "iTXtDescription"), ==, 1);
  g_assert_cmpuint (count_occurrences (contents, length, "tEXtDigitalSourceType"), ==, 1);
  g_assert_cmpuint (count_occurrences (contents, length, "iTXtXML:com.adobe.xmp"), ==, 1);
  g_assert_cmpuint (count_occurrences (contents, length, "trainedAlgorithmicMedia"), ==, 2);

  read_back = inp_provenance_read_file (path, &error);
  g_assert_no_error (error);
  assert_same_provenance (provenance, read_back);

  /* The image is the same image, and a standard decoder sees our chunks. */
  loaded = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 40);
  g_assert_cmpmem (gdk_pixbuf_read_pixels (loaded), 40 * 30 * 3,
                   gdk_pixbuf_read_pixels (original), 40 * 30 * 3);
  g_assert_cmpstr (gdk_pixbuf_get_option (loaded, "tEXt::Source"), ==,
                   "stability-ai/stable-diffusion-inpainting");
  g_assert_cmpstr (gdk_pixbuf_get_option (loaded, "tEXt::Seed"), ==, "987654321");

  inp_test_remove_tree (dir);
}

/* Writing again replaces the chunks instead of piling them up. */
static void
test_png_rewrite (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *path = save_pixbuf (dir, "out.png", "png");
  g_autofree char *contents = NULL;
  g_autoptr(InpProvenance) first = make_provenance ("first");
  g_autoptr(InpProvenance) second = make_provenance ("second");
  g_autoptr(InpProvenance) read_back = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  second->has_seed = FALSE;
  inp_provenance_write_file (first, path, &error);
  g_assert_no_error (error);
  inp_provenance_write_file (second, path, &error);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (count_occurrences (contents, length, "tEXtDescription"), ==, 1);
  g_assert_cmpuint (count_occurrences (contents, length, "tEXtSeed"), ==, 0);
  read_back = inp_provenance_read_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_back->prompt, ==, "second");
  g_assert_false (read_back->has_seed);

  inp_test_remove_tree (dir);
}

static void
test_sidecar (gconstpointer data)
{
  const char *format = data;
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *name = g_strconcat ("out.", format, NULL);
  g_autofree char *path = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *json = NULL;
  g_autoptr(InpProvenance) provenance = make_provenance ("a lighthouse at dusk");
  g_autoptr(InpProvenance) read_back = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_length;
  gsize after_length;
  gboolean writable = FALSE;
  g_autoptr(GSList) formats = NULL;

  formats = gdk_pixbuf_get_formats ();
  for (GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *format_name = gdk_pixbuf_format_get_name (l->data);

      if (g_str_equal (format_name, format))
        writable = gdk_pixbuf_format_is_writable (l->data);
    }
  if (!writable)
    {
      g_test_skip_printf ("gdk-pixbuf cannot write %s here", format);
      inp_test_remove_tree (dir);
      return;
    }

  path = save_pixbuf (dir, name, format);
  g_assert_true (g_file_get_contents (path, &before, &before_length, NULL));
  inp_provenance_write_file (provenance, path, &error);
  g_assert_no_error (error);

  /* The image itself is untouched; everything is in `<file>.json`. */
  g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);
  sidecar = inp_provenance_sidecar_path (path);
  g_assert_true (g_str_has_suffix (sidecar, ".json"));
  g_assert_true (g_file_get_contents (sidecar, &json, NULL, NULL));
  document = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (document), "ai_generated"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (document),
                                                  "digital_source_type"), ==,
                   INP_PROVENANCE_DIGITAL_SOURCE_TYPE);

  read_back = inp_provenance_read_file (path, &error);
  g_assert_no_error (error);
  assert_same_provenance (provenance, read_back);

  inp_test_remove_tree (dir);
}

static void
test_missing_and_malformed (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *png = save_pixbuf (dir, "plain.png", "png");
  g_autofree char *sidecar = NULL;
  g_autofree char *jpeg = save_pixbuf (dir, "plain.jpeg", "jpeg");
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(InpProvenance) provenance = make_provenance ("x");
  g_autoptr(InpProvenance) read_back = NULL;
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  read_back = inp_provenance_read_file (png, &error);
  g_assert_null (read_back);
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  read_back = inp_provenance_read_file (jpeg, &error);
  g_assert_null (read_back);
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  read_back = inp_provenance_read_file (missing, &error);
  g_assert_null (read_back);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A sidecar that is not JSON is a clear error, not a crash. */
  sidecar = inp_provenance_sidecar_path (jpeg);
  g_assert_true (g_file_set_contents (sidecar, "{not json", -1, NULL));
  read_back = inp_provenance_read_file (jpeg, &error);
  g_assert_null (read_back);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* A chunk whose length runs past the end of the file. */
  g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
  truncated = g_bytes_new (contents, 33 + 6);
  result = inp_provenance_add_to_png (provenance, truncated, &error);
  g_assert_null (result);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_clear_pointer (&truncated, g_bytes_unref);
  truncated = g_bytes_new (contents + 1, length - 1);
  result = inp_provenance_add_to_png (provenance, truncated, &error);
  g_assert_null (result);
  g_assert_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT);

  inp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/provenance/png-round-trip", test_png_round_trip);
  g_test_add_func ("/core/provenance/png-rewrite", test_png_rewrite);
  g_test_add_data_func ("/core/provenance/sidecar/jpeg", "jpeg", test_sidecar);
  g_test_add_data_func ("/core/provenance/sidecar/webp", "webp", test_sidecar);
  g_test_add_func ("/core/provenance/missing-and-malformed", test_missing_and_malformed);

  return g_test_run ();
}
