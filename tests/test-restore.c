/* test-restore.c: a past generation's settings, read back from the library or from a picture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-library-output.h"
#include "inp-restore.h"
#include "inp-test-media.h"
#include "inp-test-sandbox.h"
#include "inp-test-utils.h"

#define PROMPT "灯塔 at dusk, 黄昏的海边"

typedef struct
{
  InpSandbox *sandbox;
  InpClient  *client;
  InpLibrary *library;
  char       *dir;
  GBytes     *image;
  GBytes     *mask;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->sandbox = inp_test_sandbox_start ("/v1");
  fixture->client = inp_test_client_new (fixture->sandbox);
  fixture->dir = inp_test_make_temp_dir ();
  path = g_build_filename (fixture->dir, "library.db", NULL);
  fixture->library = inp_library_new (path, &error);
  g_assert_no_error (error);
  fixture->image = inp_test_png_bytes (64, 64, FALSE);
  fixture->mask = inp_test_png_bytes (64, 64, TRUE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->client);
  inp_test_assert_finalized_soon (g_steal_pointer (&fixture->library));
  inp_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_bytes_unref (fixture->image);
  g_bytes_unref (fixture->mask);
}

/* Runs one real job against the sandbox, recorded in the fixture's library. */
static InpLibraryJob *
run_recorded_job (Fixture    *fixture,
                  const char *model_id,
                  gboolean    with_files)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), model_id);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autofree char *outputs = g_build_filename (fixture->dir, "outputs", NULL);
  g_autoptr(InpJob) job = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  InpLibraryJob *recorded;

  g_assert_nonnull (model);
  json_object_set_string_member (values, "prompt", PROMPT);
  json_object_set_string_member (values, "negative_prompt", "blurry, 模糊");
  json_object_set_int_member (values, "seed", 4242);
  json_object_set_int_member (values, "num_outputs", 1);
  job = inp_job_new (fixture->client, model, values, outputs);
  if (with_files)
    {
      inp_job_set_file (job, "image", fixture->image, "image/png");
      inp_job_set_file (job, "mask", fixture->mask, "image/png");
    }
  inp_job_set_library (job, fixture->library);
  paths = inp_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, 1);

  recorded = inp_library_get_job (fixture->library, inp_job_get_library_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (recorded), ==, INP_LIBRARY_JOB_STATUS_SUCCEEDED);

  return recorded;
}

static void
assert_settings (const InpRestoreData *data,
                 const char           *model,
                 const char           *version)
{
  g_assert_cmpstr (data->model, ==, model);
  g_assert_cmpstr (data->version, ==, version);
  g_assert_cmpstr (data->prompt, ==, PROMPT);
  g_assert_cmpstr (data->negative_prompt, ==, "blurry, 模糊");
  g_assert_true (data->has_seed);
  g_assert_cmpint (data->seed, ==, 4242);
  g_assert_cmpstr (json_object_get_string_member (data->inputs, "prompt"), ==, PROMPT);
  g_assert_cmpint (json_object_get_int_member (data->inputs, "num_outputs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (data->inputs, "seed"), ==, 4242);
}

static InpRestoreData *
load_job (InpLibraryJob  *job,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_restore_data_load_job_async (job, NULL, inp_test_result_cb, &result);
  inp_test_wait_result (&result, 10000);
  return inp_restore_data_load_job_finish (result, error);
}

/* A job recorded by a real run gives back its model, prompt, inputs, image and mask; its output
 * PNG gives back the same settings through its provenance. */
static void
test_job_round_trip (Fixture       *fixture,
                     gconstpointer  unused)
{
  g_autoptr(InpLibraryJob) job = run_recorded_job (fixture, "stability-ai/sdxl", TRUE);
  g_autoptr(InpRestoreData) data = NULL;
  g_autoptr(InpRestoreData) from_output = NULL;
  g_autoptr(InpRestoreData) copy = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GdkPixbuf) mask = NULL;
  g_autofree char *output_path = NULL;
  g_autoptr(GError) error = NULL;

  data = load_job (job, &error);
  g_assert_no_error (error);
  g_assert_cmpint (data->job_id, ==, inp_library_job_get_id (job));
  assert_settings (data, "stability-ai/sdxl", inp_library_job_get_version (job));
  g_assert_nonnull (data->version);
  g_assert_true (g_bytes_equal (data->image, fixture->image));
  g_assert_nonnull (data->mask);
  mask = inp_test_load_pixbuf (data->mask);
  g_assert_cmpint (gdk_pixbuf_get_width (mask), ==, 64);
  g_assert_cmpint (gdk_pixbuf_get_height (mask), ==, 64);

  /* The caller owns its inputs: changing the copy changes nothing in the original. */
  copy = inp_restore_data_copy (data);
  json_object_set_string_member (copy->inputs, "prompt", "changed");
  g_assert_cmpstr (json_object_get_string_member (data->inputs, "prompt"), ==, PROMPT);
  g_assert_true (copy->image == data->image);

  outputs = inp_library_list_outputs (fixture->library, inp_library_job_get_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 1);
  output_path = g_file_get_path (inp_library_output_get_file (g_ptr_array_index (outputs, 0)));
  from_output = inp_restore_data_load_file (output_path, &error);
  g_assert_no_error (error);
  assert_settings (from_output, "stability-ai/sdxl", inp_library_job_get_version (job));
  g_assert_cmpint (from_output->job_id, ==, 0);
  g_assert_null (from_output->image);
  g_assert_null (from_output->mask);
}

/* A text-to-image job has no image or mask to give back, and that is not an error. */
static void
test_job_without_files (Fixture       *fixture,
                        gconstpointer  unused)
{
  g_autoptr(InpLibraryJob) job = run_recorded_job (fixture, "stability-ai/sdxl", FALSE);
  g_autoptr(InpRestoreData) data = NULL;
  g_autoptr(GError) error = NULL;

  data = load_job (job, &error);
  g_assert_no_error (error);
  assert_settings (data, "stability-ai/sdxl", inp_library_job_get_version (job));
  g_assert_null (data->image);
  g_assert_null (data->mask);
}

/* A stored mask that went missing is a clear error, and the job stays as it was. */
static void
test_job_missing_file (Fixture       *fixture,
                       gconstpointer  unused)
{
  g_autoptr(InpLibraryJob) job = run_recorded_job (fixture, "stability-ai/sdxl", TRUE);
  g_autoptr(InpLibraryJob) again = NULL;
  g_autoptr(InpRestoreData) data = NULL;
  g_autofree char *mask_path = g_file_get_path (inp_library_job_get_mask (job));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_unlink (mask_path), ==, 0);
  data = load_job (job, &error);
  g_assert_null (data);
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "mask"));
  g_clear_error (&error);

  again = inp_library_get_job (fixture->library, inp_library_job_get_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (again), ==, INP_LIBRARY_JOB_STATUS_SUCCEEDED);
}

static char *
save_picture (const char *dir,
              const char *name,
              const char *type)
{
  g_autoptr(GdkPixbuf) pixbuf = inp_test_new_pattern (48, 32, FALSE);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_save (pixbuf, path, type, &error, NULL);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* A PNG (text chunks) or JPEG (sidecar) written with provenance gives back its settings; one
 * without says so clearly. */
static void
test_file (gconstpointer data)
{
  const char *type = data;
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *name = g_strdup_printf ("picture.%s", type);
  g_autofree char *path = save_picture (dir, name, type);
  g_autofree char *plain = save_picture (dir, type[0] == 'p' ? "plain.png" : "plain.jpeg", type);
  g_autoptr(JsonNode) inputs = json_from_string ("{\"prompt\": \"" PROMPT "\","
                                                 " \"negative_prompt\": \"blurry, 模糊\","
                                                 " \"seed\": 4242, \"num_outputs\": 1}", NULL);
  g_autoptr(InpProvenance) provenance = inp_provenance_new ("black-forest-labs/flux-fill-dev",
                                                            "abc123", inputs);
  g_autoptr(InpRestoreData) restored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  inp_provenance_write_file (provenance, path, &error);
  g_assert_no_error (error);

  inp_restore_data_load_file_async (path, NULL, inp_test_result_cb, &result);
  inp_test_wait_result (&result, 10000);
  restored = inp_restore_data_load_file_finish (result, &error);
  g_assert_no_error (error);
  assert_settings (restored, "black-forest-labs/flux-fill-dev", "abc123");
  g_assert_null (restored->image);
  g_assert_null (restored->mask);
  g_clear_pointer (&restored, inp_restore_data_free);

  restored = inp_restore_data_load_file (plain, &error);
  g_assert_null (restored);
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, !=, "");

  inp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/restore/job/round-trip", Fixture, NULL, fixture_setup, test_job_round_trip,
              fixture_teardown);
  g_test_add ("/core/restore/job/without-files", Fixture, NULL, fixture_setup,
              test_job_without_files, fixture_teardown);
  g_test_add ("/core/restore/job/missing-file", Fixture, NULL, fixture_setup,
              test_job_missing_file, fixture_teardown);
  g_test_add_data_func ("/core/restore/file/png", "png", test_file);
  g_test_add_data_func ("/core/restore/file/jpeg", "jpeg", test_file);

  return g_test_run ();
}
