/* test-custom-models.c: models added by owner/name, kept in a file across starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "inp-custom-models.h"
#include "inp-error.h"
#include "inp-test-models.h"
#include "inp-test-sandbox.h"
#include "inp-test-utils.h"

#define COMMUNITY_INPAINT "sandbox-community/soft-inpaint"
#define COMMUNITY_GENERATE "sandbox-community/pixel-sketch"

typedef struct
{
  InpSandbox *sandbox;
  InpClient  *client;
  char       *dir;
  char       *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->sandbox = inp_test_sandbox_start ("/v1");
  fixture->client = inp_test_client_new (fixture->sandbox);
  fixture->dir = inp_test_make_temp_dir ();
  fixture->path = g_build_filename (fixture->dir, "inpainter", "models.json", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->client);
  inp_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* GET /models/{owner}/{name} through the client, as the window does when a model is added. */
static InpModel *
fetch_model (Fixture    *fixture,
             const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  InpModel *model;

  inp_client_get_model_async (fixture->client, id, NULL, inp_test_result_cb, &result);
  object = inp_client_get_model_finish (fixture->client, inp_test_wait_result (&result, 10000),
                                        &error);
  g_assert_no_error (error);
  model = inp_model_new_from_api (object, &error);
  g_assert_no_error (error);

  return model;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static guint
count_fields (InpModel *model)
{
  return inp_input_schema_get_fields (inp_model_get_schema (model))->len;
}

/* Everything a job needs comes back as it was fetched. */
static void
assert_same_model (InpModel *kept,
                   InpModel *fetched)
{
  const InpSizeRules *a = inp_model_get_size_rules (kept);
  const InpSizeRules *b = inp_model_get_size_rules (fetched);

  g_assert_cmpstr (inp_model_get_id (kept), ==, inp_model_get_id (fetched));
  g_assert_cmpstr (inp_model_get_title (kept), ==, inp_model_get_title (fetched));
  g_assert_cmpstr (inp_model_get_description (kept), ==, inp_model_get_description (fetched));
  g_assert_cmpstr (inp_model_get_version (kept), ==, inp_model_get_version (fetched));
  g_assert_cmpint (inp_model_get_endpoint (kept), ==, inp_model_get_endpoint (fetched));
  g_assert_cmpint (inp_model_get_task (kept), ==, inp_model_get_task (fetched));
  g_assert_cmpstr (inp_model_get_image_input (kept), ==, inp_model_get_image_input (fetched));
  g_assert_cmpstr (inp_model_get_mask_input (kept), ==, inp_model_get_mask_input (fetched));
  g_assert_cmpint (inp_model_get_output_is_array (kept), ==,
                   inp_model_get_output_is_array (fetched));
  g_assert_cmpuint (count_fields (kept), ==, count_fields (fetched));
  g_assert_cmpuint (a->multiple, ==, b->multiple);
  g_assert_cmpuint (a->max_side, ==, b->max_side);
  g_assert_cmpstr (a->width_input, ==, b->width_input);
  g_assert_cmpstr (a->height_input, ==, b->height_input);
}

static void
test_kept_across_starts (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(InpModel) inpaint = fetch_model (fixture, COMMUNITY_INPAINT);
  g_autoptr(InpModel) generate = fetch_model (fixture, COMMUNITY_GENERATE);
  g_autoptr(InpCustomModels) models = inp_custom_models_new (fixture->path);
  g_autoptr(InpCustomModels) again = NULL;
  g_autoptr(InpModel) first = NULL;
  g_autoptr(GError) error = NULL;
  InpInputField *scheduler;

  /* Nothing kept yet is no problem, and creates no file. */
  g_assert_null (inp_custom_models_get_problem (models));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (models)), ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  g_assert_true (inp_custom_models_add (models, inpaint, &error));
  g_assert_no_error (error);
  g_assert_true (inp_custom_models_add (models, generate, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (inp_custom_models_lookup (models, COMMUNITY_INPAINT) == inpaint);

  /* A new start: the same models, in the order they were added, without asking the service. */
  g_clear_object (&models);
  again = inp_custom_models_new (fixture->path);
  g_assert_null (inp_custom_models_get_problem (again));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (again), 0);
  assert_same_model (first, inpaint);
  assert_same_model (inp_custom_models_lookup (again, COMMUNITY_GENERATE), generate);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_MODEL), ==, 2);

  /* The enum behind a $ref survives. */
  scheduler = inp_input_schema_lookup (inp_model_get_schema (first), "scheduler");
  g_assert_nonnull (scheduler);
  g_assert_cmpuint (json_array_get_length (inp_input_field_get_enum (scheduler)), ==, 3);
}

static void
test_runs_after_restart (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(InpModel) fetched = fetch_model (fixture, COMMUNITY_INPAINT);
  g_autoptr(InpCustomModels) models = inp_custom_models_new (fixture->path);
  g_autoptr(InpCustomModels) again = NULL;
  g_autofree char *outputs = g_build_filename (fixture->dir, "outputs", NULL);
  g_autoptr(InpJob) job = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GdkPixbuf) picture = NULL;
  g_autoptr(GError) error = NULL;
  InpModel *kept;

  g_assert_true (inp_custom_models_add (models, fetched, &error));
  g_clear_object (&models);

  /* The kept model, read back alone, runs by its version against the service. */
  again = inp_custom_models_new (fixture->path);
  kept = inp_custom_models_lookup (again, COMMUNITY_INPAINT);
  g_assert_nonnull (kept);
  job = inp_test_job_for_model (fixture->client, kept, outputs);
  paths = inp_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, ==, 1);
  picture = gdk_pixbuf_new_from_file (g_ptr_array_index (paths, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (picture), ==, 128);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_MODEL), ==, 1);
  inp_test_assert_token_kept (fixture->sandbox);
}

static void
test_remove_for_good (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(InpModel) inpaint = fetch_model (fixture, COMMUNITY_INPAINT);
  g_autoptr(InpModel) generate = fetch_model (fixture, COMMUNITY_GENERATE);
  g_autoptr(InpCustomModels) models = inp_custom_models_new (fixture->path);
  g_autoptr(InpCustomModels) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (inp_custom_models_add (models, inpaint, &error));
  g_assert_true (inp_custom_models_add (models, generate, &error));
  g_assert_true (inp_custom_models_remove (models, COMMUNITY_INPAINT, &error));
  g_assert_no_error (error);
  g_assert_null (inp_custom_models_lookup (models, COMMUNITY_INPAINT));
  /* Removing what is not there is no error. */
  g_assert_true (inp_custom_models_remove (models, COMMUNITY_INPAINT, &error));
  g_assert_no_error (error);
  g_clear_object (&models);

  again = inp_custom_models_new (fixture->path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_assert_null (inp_custom_models_lookup (again, COMMUNITY_INPAINT));
  g_assert_nonnull (inp_custom_models_lookup (again, COMMUNITY_GENERATE));
  contents = read_file (fixture->path);
  g_assert_null (strstr (contents, COMMUNITY_INPAINT));
  g_assert_null (strstr (contents, "soft-inpaint"));
}

/* Adding a model again replaces it: how a model is updated to its latest version. */
static void
test_replace (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(InpModel) older = inp_test_new_added_model ();
  g_autoptr(JsonObject) object = inp_model_dup_api_json (older);
  g_autoptr(InpCustomModels) models = inp_custom_models_new (fixture->path);
  g_autoptr(InpCustomModels) again = NULL;
  g_autoptr(InpModel) newer = NULL;
  g_autoptr(GError) error = NULL;
  const char *newer_version = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

  g_assert_true (inp_custom_models_add (models, older, &error));
  json_object_set_string_member (json_object_get_object_member (object, "latest_version"), "id",
                                 newer_version);
  newer = inp_model_new_from_api (object, &error);
  g_assert_no_error (error);
  g_assert_true (inp_custom_models_add (models, newer, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (models)), ==, 1);
  g_assert_true (inp_custom_models_lookup (models, "someone/controlnet-fill") == newer);

  again = inp_custom_models_new (fixture->path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_assert_cmpstr (inp_model_get_version (inp_custom_models_lookup (again,
                                                                    "someone/controlnet-fill")),
                   ==, newer_version);
  assert_same_model (inp_custom_models_lookup (again, "someone/controlnet-fill"), newer);
}

/* Finds the file a damaged list was moved to, and checks it holds @expected untouched. */
static void
assert_set_aside (InpCustomModels *models,
                  const char      *dir,
                  const char      *expected)
{
  const char *aside = inp_custom_models_get_set_aside_path (models);
  g_autofree char *aside_dir = NULL;
  g_autofree char *contents = NULL;

  g_assert_nonnull (aside);
  aside_dir = g_path_get_dirname (aside);
  g_assert_cmpstr (aside_dir, ==, dir);
  contents = read_file (aside);
  g_assert_cmpstr (contents, ==, expected);
}

static void
test_corrupt_file (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *garbage = "{\"format\": 1, \"models\": [{\"owner\": \"someone\", \"na";
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(InpCustomModels) models = NULL;
  g_autoptr(InpCustomModels) again = NULL;
  g_autoptr(InpModel) model = inp_test_new_added_model ();
  g_autoptr(GError) error = NULL;
  const GError *problem;

  write_file (fixture->path, garbage);
  models = inp_custom_models_new (fixture->path);

  /* Start-up goes on with an empty list; the file is kept aside, untouched, and named. */
  problem = inp_custom_models_get_problem (models);
  g_assert_nonnull (problem);
  g_assert_true (g_error_matches (problem, INP_ERROR, INP_ERROR_FAILED));
  g_assert_nonnull (strstr (problem->message, "damaged"));
  g_assert_nonnull (strstr (problem->message, inp_custom_models_get_set_aside_path (models)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (models)), ==, 0);
  assert_set_aside (models, dir, garbage);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* Models added afterwards are kept in a fresh file. */
  g_assert_true (inp_custom_models_add (models, model, &error));
  g_assert_no_error (error);
  assert_set_aside (models, dir, garbage);
  again = inp_custom_models_new (fixture->path);
  g_assert_null (inp_custom_models_get_problem (again));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
}

/* One unreadable entry costs nothing else: the others are listed, the whole file set aside. */
static void
test_damaged_entry (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(InpModel) model = inp_test_new_added_model ();
  g_autoptr(JsonObject) object = inp_model_dup_api_json (model);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *good = json_to_string (node, FALSE);
  g_autofree char *contents = g_strdup_printf ("{\"format\": 1, \"models\": ["
                                               "{\"owner\": \"nobody\", \"name\": \"broken\"},"
                                               " %s, 42]}", good);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(InpCustomModels) models = NULL;
  const GError *problem;

  write_file (fixture->path, contents);
  models = inp_custom_models_new (fixture->path);
  problem = inp_custom_models_get_problem (models);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem->message, "entry 1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (models)), ==, 1);
  assert_same_model (inp_custom_models_lookup (models, "someone/controlnet-fill"), model);
  assert_set_aside (models, dir, contents);
}

/* A list from a newer Inpainter is not read as ours, nor written over. */
static void
test_newer_format (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *contents = "{\"format\": 2, \"models\": []}";
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(InpCustomModels) models = NULL;

  write_file (fixture->path, contents);
  models = inp_custom_models_new (fixture->path);
  g_assert_nonnull (inp_custom_models_get_problem (models));
  g_assert_nonnull (strstr (inp_custom_models_get_problem (models)->message, "newer version"));
  assert_set_aside (models, dir, contents);
}

/* A list that cannot be written keeps the models as they were, and says why. */
static void
test_unwritable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (fixture->dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "models.json", NULL);
  g_autoptr(InpModel) model = inp_test_new_added_model ();
  g_autoptr(InpCustomModels) models = NULL;
  g_autoptr(GError) error = NULL;

  write_file (blocker, "a file where the folder should be");
  models = inp_custom_models_new (path);
  g_assert_null (inp_custom_models_get_problem (models));

  g_assert_false (inp_custom_models_add (models, model, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not-a-folder"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (models)), ==, 0);
}

/* A session-only list writes nothing anywhere. */
static void
test_session_only (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(InpModel) model = inp_test_new_added_model ();
  g_autoptr(InpCustomModels) models = inp_custom_models_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (inp_custom_models_add (models, model, &error));
  g_assert_no_error (error);
  g_assert_null (inp_custom_models_get_path (models));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (models)), ==, 1);
  g_assert_true (inp_custom_models_remove (models, inp_model_get_id (model), &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (models)), ==, 0);
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/core/custom-models/kept-across-starts", test_kept_across_starts);
  add_test ("/core/custom-models/runs-after-restart", test_runs_after_restart);
  add_test ("/core/custom-models/remove-for-good", test_remove_for_good);
  add_test ("/core/custom-models/replace", test_replace);
  add_test ("/core/custom-models/corrupt-file", test_corrupt_file);
  add_test ("/core/custom-models/damaged-entry", test_damaged_entry);
  add_test ("/core/custom-models/newer-format", test_newer_format);
  add_test ("/core/custom-models/unwritable", test_unwritable);
  add_test ("/core/custom-models/session-only", test_session_only);

  return g_test_run ();
}
