/* test-results-folder.c: copies of a library's outputs in the folder the user chose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-library.h"
#include "inp-provenance.h"
#include "inp-results-folder.h"
#include "inp-test-media.h"
#include "inp-test-utils.h"

typedef struct
{
  char       *dir;
  char       *folder;
  InpLibrary *library;
  gint64      job_id;
  GPtrArray  *outputs;
} Fixture;

static GBytes *
encode (const char *format)
{
  g_autoptr(GdkPixbuf) pixbuf = inp_test_new_pattern (64, 48, FALSE);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/* A job of two outputs: a JPEG (provenance in a sidecar) and a PNG (provenance inside). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db_path = NULL;
  g_autoptr(InpProvenance) provenance = NULL;
  g_autoptr(JsonNode) inputs = json_from_string ("{\"prompt\": \"a red fox\"}", NULL);
  g_autoptr(GError) error = NULL;
  const char *types[] = { "image/jpeg", "image/png" };

  fixture->dir = inp_test_make_temp_dir ();
  fixture->folder = g_build_filename (fixture->dir, "Pictures", "Inpainter", NULL);
  db_path = g_build_filename (fixture->dir, "library.db", NULL);
  fixture->library = inp_library_new (db_path, &error);
  g_assert_no_error (error);

  fixture->job_id = inp_library_create_job (fixture->library, "black-forest-labs/flux-fill-pro",
                                            "v1", "https://api.example.com/v1", "a red fox",
                                            inputs, &error);
  g_assert_no_error (error);
  provenance = inp_provenance_new ("black-forest-labs/flux-fill-pro", "v1", inputs);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GBytes) bytes = encode (i == 0 ? "jpeg" : "png");
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
      g_autoptr(InpLibraryOutput) output = NULL;

      output = inp_library_store_output (fixture->library, fixture->job_id, i, types[i], stream,
                                         provenance, NULL, &error);
      g_assert_no_error (error);
    }

  fixture->outputs = inp_library_list_outputs (fixture->library, fixture->job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->outputs->len, ==, 2);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_ptr_array_unref (fixture->outputs);
  g_clear_object (&fixture->library);
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->folder);
  g_free (fixture->dir);
}

static GPtrArray *
copy_sync (const char  *folder,
           GPtrArray   *outputs,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_results_folder_copy_async (folder, outputs, NULL, inp_test_result_cb, &result);

  return inp_results_folder_copy_finish (inp_test_wait_result (&result, 10000), error);
}

static void
test_results_folder_name (Fixture       *fixture,
                          gconstpointer  data)
{
  InpLibraryOutput *output = g_ptr_array_index (fixture->outputs, 1);
  g_autoptr(GDateTime) local = g_date_time_to_local (inp_library_output_get_created (output));
  g_autofree char *stamp = g_date_time_format (local, "%Y%m%d-%H%M%S");
  g_autofree char *expected = g_strdup_printf ("inpainter-%s-flux-fill-pro-%" G_GINT64_FORMAT
                                               "-2.png", stamp, fixture->job_id);
  g_autofree char *name = inp_results_folder_file_name (output);

  g_assert_cmpstr (name, ==, expected);
}

static void
test_results_folder_copy (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(InpProvenance) provenance = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *png_sidecar = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *numbered = NULL;

  /* The folder is made as needed; each copy is the library's file, byte for byte. */
  paths = copy_sync (fixture->folder, fixture->outputs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, 2);
  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *dirname = g_path_get_dirname (g_ptr_array_index (paths, i));
      InpLibraryOutput *output = g_ptr_array_index (fixture->outputs, i);

      g_assert_cmpstr (dirname, ==, fixture->folder);
      inp_test_assert_same_file (inp_library_output_get_file (output),
                                 g_ptr_array_index (paths, i));
    }

  /* The JPEG's provenance comes along beside it; the PNG carries its own. */
  sidecar = inp_provenance_sidecar_path (g_ptr_array_index (paths, 0));
  g_assert_true (g_file_test (sidecar, G_FILE_TEST_IS_REGULAR));
  provenance = inp_provenance_read_file (g_ptr_array_index (paths, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (provenance->model, ==, "black-forest-labs/flux-fill-pro");
  g_assert_cmpstr (provenance->prompt, ==, "a red fox");
  png_sidecar = inp_provenance_sidecar_path (g_ptr_array_index (paths, 1));
  g_assert_false (g_file_test (png_sidecar, G_FILE_TEST_EXISTS));

  /* A second copy never replaces the first: it gets a number. */
  again = copy_sync (fixture->folder, fixture->outputs, &error);
  g_assert_no_error (error);
  first_name = g_path_get_basename (g_ptr_array_index (paths, 0));
  numbered = g_path_get_basename (g_ptr_array_index (again, 0));
  g_assert_cmpstr (numbered, !=, first_name);
  g_assert_true (g_str_has_suffix (numbered, " (2).jpg"));
  g_assert_true (g_file_test (g_ptr_array_index (paths, 0), G_FILE_TEST_IS_REGULAR));
}

static void
test_results_folder_bad (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) relative = NULL;
  g_autoptr(GPtrArray) blocked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file_path = g_build_filename (fixture->dir, "not-a-folder", NULL);
  g_autofree char *under_file = g_build_filename (file_path, "results", NULL);

  relative = copy_sync ("Pictures/Inpainter", fixture->outputs, &error);
  g_assert_null (relative);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  g_assert_nonnull (strstr (error->message, "Pictures/Inpainter"));
  g_clear_error (&error);

  /* A folder that cannot be made is named in the message; the library keeps its files. */
  g_assert_true (g_file_set_contents (file_path, "x", 1, NULL));
  blocked = copy_sync (under_file, fixture->outputs, &error);
  g_assert_null (blocked);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, under_file));
  for (guint i = 0; i < fixture->outputs->len; i++)
    g_assert_true (g_file_query_exists (
                     inp_library_output_get_file (g_ptr_array_index (fixture->outputs, i)),
                     NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/results-folder/name", Fixture, NULL, fixture_set_up,
              test_results_folder_name, fixture_tear_down);
  g_test_add ("/core/results-folder/copy", Fixture, NULL, fixture_set_up,
              test_results_folder_copy, fixture_tear_down);
  g_test_add ("/core/results-folder/bad", Fixture, NULL, fixture_set_up,
              test_results_folder_bad, fixture_tear_down);

  return g_test_run ();
}
