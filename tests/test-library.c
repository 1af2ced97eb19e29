/* test-library.c: the library store, on real SQLite files and real files in a temporary folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* memmem() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "inp-error.h"
#include "inp-library-gallery.h"
#include "inp-library-private.h"
#include "inp-test-media.h"
#include "inp-test-utils.h"

#define PLANTED_TOKEN "r8_PLANTED-token-never-to-be-stored-0123456789"

typedef struct
{
  char       *dir;
  char       *db_path;
  InpLibrary *library;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = inp_test_make_temp_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "library.db", NULL);
  fixture->library = inp_library_new (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->library);
}

/* A worker thread lets go of its task (and so of the library) just after it reports. */
static void
wait_for_last_reference (gpointer object)
{
  for (guint i = 0; i < 5000 && G_OBJECT (object)->ref_count > 1; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->library != NULL)
    {
      wait_for_last_reference (fixture->library);
      g_assert_finalize_object (fixture->library);
    }
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (fixture->library);
  fixture->library = inp_library_new (fixture->db_path, &error);
  g_assert_no_error (error);
}

/* A picture of one colour in @format ("jpeg" for the sidecar cases; PNGs come from inp-test-media). */
static GBytes *
make_image (const char *format,
            int         width,
            int         height,
            guint32     rgba)
{
  gboolean alpha = g_str_equal (format, "png");
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, format, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, length);
}

static JsonNode *
make_inputs (const char *prompt,
             gint64      seed)
{
  g_autofree char *json =
    g_strdup_printf ("{\"prompt\": \"%s\", \"seed\": %" G_GINT64_FORMAT ", \"num_outputs\": 1,"
                     " \"guidance_scale\": 7.5}", prompt, seed);

  return json_from_string (json, NULL);
}

static gint64
create_job (InpLibrary *library,
            const char *model,
            const char *prompt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) inputs = make_inputs (prompt, 42);
  gint64 job_id;

  job_id = inp_library_create_job (library, model, "v1", "https://api.example.com/v1", prompt,
                                   inputs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  return job_id;
}

static InpLibraryOutput *
store_bytes (InpLibrary          *library,
             gint64               job_id,
             guint                index,
             const char          *media_type,
             GBytes              *bytes,
             const InpProvenance *provenance)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  InpLibraryOutput *output;

  output = inp_library_store_output (library, job_id, index, media_type, stream, provenance,
                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (output);

  return output;
}

static InpLibraryOutput *
store_png (InpLibrary          *library,
           gint64               job_id,
           guint                index,
           GBytes              *png,
           const InpProvenance *provenance)
{
  return store_bytes (library, job_id, index, "image/png", png, provenance);
}

static char *
file_sha256 (GFile *file)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static guint
count_files_with_suffix (const char *dir_path,
                         const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, suffix))
      n++;

  return n;
}

/* A job goes through every step a runner takes, and everything is there after a restart. */
static void
test_job_lifecycle (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) inputs = make_inputs ("a red fox in the snow", 1234);
  g_autoptr(JsonNode) metrics = json_from_string ("{\"predict_time\": 2.5}", NULL);
  g_autoptr(GBytes) image = inp_test_new_png (64, 48, 0x336699ff);
  g_autoptr(GBytes) mask = inp_test_new_png (64, 48, 0xffffffff);
  g_autoptr(GBytes) result = inp_test_new_png (64, 48, 0xcc3300ff);
  g_autoptr(InpProvenance) provenance = NULL;
  g_autoptr(InpProvenance) read_back = NULL;
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autofree char *image_contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *output_path = NULL;
  gsize image_length;
  const InpLibraryJobStatus steps[] = {
    INP_LIBRARY_JOB_STATUS_PENDING, INP_LIBRARY_JOB_STATUS_STARTING,
    INP_LIBRARY_JOB_STATUS_PROCESSING, INP_LIBRARY_JOB_STATUS_DOWNLOADING,
    INP_LIBRARY_JOB_STATUS_SUCCEEDED,
  };
  gint64 job_id;

  job_id = inp_library_create_job (fixture->library, "stability-ai/sdxl-inpainting", "abc123",
                                   "https://api.quickrouter.ai/replicate/v1",
                                   "a red fox in the snow", inputs, &error);
  g_assert_no_error (error);

  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_PENDING);
  g_assert_null (inp_library_job_get_prediction_id (job));
  g_clear_object (&job);

  inp_library_store_inputs (fixture->library, job_id, image, mask, NULL, &error);
  g_assert_no_error (error);
  inp_library_set_prediction_id (fixture->library, job_id, "pred-0001", &error);
  g_assert_no_error (error);
  for (guint i = 1; i < G_N_ELEMENTS (steps) - 1; i++)
    {
      inp_library_update_status (fixture->library, job_id, steps[i], NULL, &error);
      g_assert_no_error (error);
    }
  inp_library_set_metrics (fixture->library, job_id, metrics, &error);
  g_assert_no_error (error);

  provenance = inp_provenance_new ("stability-ai/sdxl-inpainting", "abc123", inputs);
  output = store_png (fixture->library, job_id, 0, result, provenance);
  inp_library_update_status (fixture->library, job_id, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL,
                             &error);
  g_assert_no_error (error);
  output_path = g_file_get_path (inp_library_output_get_file (output));
  g_clear_object (&output);

  reopen (fixture);

  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inp_library_job_get_model (job), ==, "stability-ai/sdxl-inpainting");
  g_assert_cmpstr (inp_library_job_get_version (job), ==, "abc123");
  g_assert_cmpstr (inp_library_job_get_endpoint_host (job), ==, "api.quickrouter.ai");
  g_assert_cmpstr (inp_library_job_get_prompt (job), ==, "a red fox in the snow");
  g_assert_cmpstr (inp_library_job_get_prediction_id (job), ==, "pred-0001");
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_SUCCEEDED);
  g_assert_null (inp_library_job_get_error (job));
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 1);
  g_assert_true (json_node_equal (inp_library_job_get_inputs (job), inputs));
  g_assert_true (json_node_equal (inp_library_job_get_metrics (job), metrics));

  /* The input image is kept byte for byte, under the job's folder. */
  g_assert_true (g_file_load_contents (inp_library_job_get_image (job), NULL, &image_contents,
                                       &image_length, NULL, NULL));
  g_assert_cmpmem (image_contents, image_length, g_bytes_get_data (image, NULL),
                   g_bytes_get_size (image));
  g_assert_true (g_file_has_prefix (inp_library_job_get_mask (job),
                                    inp_library_job_get_directory (job)));
  g_assert_true (g_file_query_exists (inp_library_job_get_mask (job), NULL));

  history = inp_library_get_history (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, G_N_ELEMENTS (steps));
  for (guint i = 0; i < history->len; i++)
    {
      InpLibraryJobEvent *event = g_ptr_array_index (history, i);

      g_assert_cmpint (event->status, ==, steps[i]);
      g_assert_cmpint (event->time, >, 0);
      if (i > 0)
        g_assert_cmpint (event->time, >=, ((InpLibraryJobEvent *) history->pdata[i - 1])->time);
    }

  outputs = inp_library_list_outputs (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 1);
  output = g_object_ref (g_ptr_array_index (outputs, 0));
  g_assert_cmpstr (g_file_peek_path (inp_library_output_get_file (output)), ==, output_path);
  g_assert_cmpstr (inp_library_output_get_media_type (output), ==, "image/png");
  g_assert_cmpint (inp_library_output_get_width (output), ==, 64);
  g_assert_cmpint (inp_library_output_get_height (output), ==, 48);
  g_assert_cmpstr (inp_library_output_get_prompt (output), ==, "a red fox in the snow");
  sha = file_sha256 (inp_library_output_get_file (output));
  g_assert_cmpstr (inp_library_output_get_sha256 (output), ==, sha);
  /* The stored PNG carries the provenance, so it is larger than what the model sent. */
  g_assert_cmpuint (inp_library_output_get_size (output), >, g_bytes_get_size (result));

  read_back = inp_provenance_read_file (output_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_back->prompt, ==, "a red fox in the snow");
  g_assert_cmpstr (read_back->model, ==, "stability-ai/sdxl-inpainting");
  g_assert_true (read_back->has_seed);
  g_assert_cmpint (read_back->seed, ==, 1234);
  g_assert_true (read_back->ai_generated);

  g_assert_cmpuint (count_files_with_suffix (g_file_peek_path (inp_library_job_get_directory (job)),
                                             ".tmp"), ==, 0);
}

/* Outputs that are not PNG get a sidecar; storing an index again replaces the output. */
static void
test_sidecar_and_replace (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) inputs = make_inputs ("a lighthouse", 7);
  g_autoptr(InpProvenance) provenance = inp_provenance_new ("black-forest-labs/flux-fill-pro",
                                                            NULL, inputs);
  g_autoptr(InpProvenance) read_back = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autoptr(InpLibraryOutput) again = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autofree char *sidecar = NULL;
  const char video[] = "\0\0\0\x18" "ftypmp42 not really a video";
  gint64 job_id = create_job (fixture->library, "black-forest-labs/flux-fill-pro", "a lighthouse");

  stream = g_memory_input_stream_new_from_data (video, sizeof video, NULL);
  output = inp_library_store_output (fixture->library, job_id, 0, "video/mp4", stream, provenance,
                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (g_file_peek_path (inp_library_output_get_file (output)),
                                   "output-0.mp4"));
  g_assert_cmpuint (inp_library_output_get_size (output), ==, sizeof video);
  g_assert_cmpint (inp_library_output_get_width (output), ==, 0);

  sidecar = inp_provenance_sidecar_path (g_file_peek_path (inp_library_output_get_file (output)));
  g_assert_true (g_file_test (sidecar, G_FILE_TEST_IS_REGULAR));
  read_back = inp_provenance_read_file (g_file_peek_path (inp_library_output_get_file (output)),
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_back->prompt, ==, "a lighthouse");
  g_assert_cmpstr (read_back->model, ==, "black-forest-labs/flux-fill-pro");
  g_assert_true (read_back->ai_generated);

  g_clear_object (&stream);
  stream = g_memory_input_stream_new_from_data (video, 10, NULL);
  again = inp_library_store_output (fixture->library, job_id, 0, "video/mp4", stream, NULL, NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inp_library_output_get_size (again), ==, 10);

  outputs = inp_library_list_outputs (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 1);
  g_assert_cmpuint (inp_library_output_get_size (g_ptr_array_index (outputs, 0)), ==, 10);
  g_clear_pointer (&outputs, g_ptr_array_unref);

  /* Stored again as another type: the old file and its sidecar go. */
  g_clear_object (&stream);
  stream = g_memory_input_stream_new_from_data (video, 10, NULL);
  g_clear_object (&again);
  again = inp_library_store_output (fixture->library, job_id, 0, "image/webp", stream, NULL, NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (inp_library_output_get_file (output), NULL));
  g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_query_exists (inp_library_output_get_file (again), NULL));
  outputs = inp_library_list_outputs (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 1);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

static void
assert_tree_lacks (const char *path,
                   const char *needle,
                   guint      *n_files)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      (*n_files)++;
      if (file_contains (path, needle))
        g_error ("%s holds the token", path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      assert_tree_lacks (child, needle, n_files);
    }
}

/* The token can reach the library only through a careless endpoint URL; it is never written. */
static void
test_token_never_stored (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) inputs = make_inputs ("a quiet harbour", 3);
  g_autoptr(InpProvenance) provenance = inp_provenance_new ("owner/model", "v2", inputs);
  g_autoptr(GBytes) png = inp_test_new_png (8, 8, 0x00ff00ff);
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autofree char *endpoint = NULL;
  guint n_files = 0;
  gint64 job_id;

  g_setenv ("REPLICATE_API_TOKEN", PLANTED_TOKEN, TRUE);
  endpoint = g_strdup_printf ("https://user:%s@relay.example.org:8443/replicate/v1?key=%s#%s",
                              PLANTED_TOKEN, PLANTED_TOKEN, PLANTED_TOKEN);
  job_id = inp_library_create_job (fixture->library, "owner/model", "v2", endpoint,
                                   "a quiet harbour", inputs, &error);
  g_assert_no_error (error);
  inp_library_set_prediction_id (fixture->library, job_id, "p1", &error);
  g_assert_no_error (error);
  output = store_png (fixture->library, job_id, 0, png, provenance);
  inp_library_update_status (fixture->library, job_id, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL,
                             &error);
  g_assert_no_error (error);

  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inp_library_job_get_endpoint_host (job), ==, "relay.example.org:8443");

  /* Every byte under the library's folder: the database, its WAL and every file. */
  assert_tree_lacks (fixture->dir, PLANTED_TOKEN, &n_files);
  g_assert_cmpuint (n_files, >=, 3);
  g_clear_object (&job);
  g_clear_object (&output);
  g_assert_finalize_object (g_steal_pointer (&fixture->library));
  n_files = 0;
  assert_tree_lacks (fixture->dir, PLANTED_TOKEN, &n_files);
  g_assert_true (file_contains (fixture->db_path, "relay.example.org"));
  g_setenv ("REPLICATE_API_TOKEN", "", TRUE);
}

static void
exec_or_fail (sqlite3    *db,
              const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The schemas as released, written out here so that the fixtures do not follow the code. */
static const char schema_v1[] =
  "CREATE TABLE jobs (id INTEGER PRIMARY KEY, dir TEXT NOT NULL UNIQUE,"
  " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, model TEXT NOT NULL, version TEXT,"
  " endpoint_host TEXT, prompt TEXT NOT NULL DEFAULT '', inputs TEXT NOT NULL DEFAULT '{}',"
  " image_path TEXT, mask_path TEXT, prediction_id TEXT, status TEXT NOT NULL, error TEXT,"
  " metrics TEXT);"
  "CREATE TABLE job_events (job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  " at INTEGER NOT NULL, status TEXT NOT NULL, message TEXT);"
  "CREATE INDEX job_events_by_job ON job_events (job_id);"
  "CREATE TABLE outputs (id INTEGER PRIMARY KEY,"
  " job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, idx INTEGER NOT NULL,"
  " path TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,"
  " width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0, sha256 TEXT NOT NULL,"
  " created_at INTEGER NOT NULL, UNIQUE (job_id, idx));"
  "PRAGMA user_version = 1;";

static const char schema_v2[] =
  "CREATE INDEX jobs_by_model ON jobs (model);"
  "CREATE INDEX jobs_by_status ON jobs (status);"
  "CREATE VIRTUAL TABLE jobs_fts USING fts5 (prompt, content='jobs', content_rowid='id',"
  " tokenize='trigram');"
  "INSERT INTO jobs_fts (jobs_fts) VALUES ('rebuild');"
  "CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN"
  " INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, new.prompt); END;"
  "CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN"
  " INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt); END;"
  "CREATE TRIGGER jobs_fts_update AFTER UPDATE OF prompt ON jobs BEGIN"
  " INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);"
  " INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, new.prompt); END;"
  "PRAGMA user_version = 2;";

static const char schema_v3[] =
  "ALTER TABLE jobs ADD COLUMN deleted_at INTEGER;"
  "CREATE INDEX jobs_deleted ON jobs (deleted_at) WHERE deleted_at IS NOT NULL;"
  "PRAGMA user_version = 3;";

static const char fixture_rows[] =
  "INSERT INTO jobs (id, dir, created_at, updated_at, model, version, endpoint_host, prompt,"
  " inputs, prediction_id, status) VALUES"
  " (1, 'd1', 1700000000000000, 1700000001000000, 'owner/old-model', 'v0',"
  "  'api.replicate.com', 'an old orange cat', '{\"prompt\":\"an old orange cat\"}', 'p-old',"
  "  'succeeded'),"
  " (2, 'd2', 1700000002000000, 1700000002000000, 'owner/old-model', NULL, NULL,"
  "  'a forgotten castle', '{}', NULL, 'pending');"
  "INSERT INTO job_events VALUES (1, 1700000000000000, 'pending', NULL),"
  " (1, 1700000001000000, 'succeeded', NULL), (2, 1700000002000000, 'pending', NULL);"
  "INSERT INTO outputs (job_id, idx, path, media_type, size, width, height, sha256, created_at)"
  " VALUES (1, 0, 'd1/output-0.png', 'image/png', 3, 1, 1, 'abc', 1700000001000000);";

static void
test_migration (gconstpointer data)
{
  guint from_version = GPOINTER_TO_UINT (data);
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GPtrArray) history = NULL;
  InpLibraryQuery query = { .text = "orange" };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 new_job;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (from_version >= 1)
    {
      exec_or_fail (db, schema_v1);
      exec_or_fail (db, fixture_rows);
    }
  if (from_version >= 2)
    exec_or_fail (db, schema_v2);
  if (from_version >= 3)
    exec_or_fail (db, schema_v3);
  sqlite3_close (db);

  library = inp_library_new (path, &error);
  g_assert_no_error (error);
  g_assert_null (inp_library_get_problem (library));
  g_assert_cmpstr (inp_library_get_path (library), ==, path);

  if (from_version >= 1)
    {
      job = inp_library_get_job (library, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (inp_library_job_get_prompt (job), ==, "an old orange cat");
      g_assert_cmpstr (inp_library_job_get_prediction_id (job), ==, "p-old");
      g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_SUCCEEDED);

      /* The search index covers rows written before it existed. */
      found = inp_library_list_jobs (library, &query, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpint (inp_library_job_get_id (g_ptr_array_index (found, 0)), ==, 1);

      unfinished = inp_library_list_unfinished (library, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (unfinished->len, ==, 1);
      g_assert_cmpint (inp_library_job_get_id (g_ptr_array_index (unfinished, 0)), ==, 2);

      outputs = inp_library_list_outputs (library, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (outputs->len, ==, 1);
      history = inp_library_get_history (library, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (history->len, ==, 2);

      /* Deleting needs the newest schema's columns: a job, and one output (whose file is not
       * there, which is fine). */
      inp_library_delete_job (library, 2, &error);
      g_assert_no_error (error);
      inp_library_delete_output (library, inp_library_output_get_id (g_ptr_array_index (outputs,
                                                                                        0)),
                                 &error);
      g_assert_no_error (error);
      g_clear_pointer (&outputs, g_ptr_array_unref);
      outputs = inp_library_list_outputs (library, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (outputs->len, ==, 0);
      g_clear_object (&job);
      job = inp_library_get_job (library, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 0);
      g_assert_cmpuint (inp_library_job_get_n_deleted_outputs (job), ==, 1);
    }

  new_job = create_job (library, "owner/new-model", "an orange sunset");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = inp_library_list_jobs (library, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, from_version >= 1 ? 2 : 1);
  g_assert_cmpint (inp_library_job_get_id (g_ptr_array_index (found, 0)), ==, new_job);
  g_assert_finalize_object (g_steal_pointer (&library));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, INP_LIBRARY_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  inp_test_remove_tree (dir);
}

static void
assert_set_aside (const char *dir,
                  const char *path,
                  GBytes     *original,
                  const char *expected_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(InpLibrary) again = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autofree char *fresh = g_build_filename (dir, "library-2.db", NULL);
  g_autofree char *contents = NULL;
  const GError *problem;
  GError *property = NULL;
  gsize length;

  library = inp_library_new (path, &error);
  g_assert_no_error (error);
  problem = inp_library_get_problem (library);
  g_assert_nonnull (problem);
  g_assert_error ((GError *) problem, INP_ERROR, INP_ERROR_FAILED);
  g_assert_nonnull (strstr (problem->message, expected_message));
  g_assert_nonnull (strstr (problem->message, "library-2.db"));
  g_object_get (library, "problem", &property, NULL);
  g_assert_cmpstr (property->message, ==, problem->message);
  g_clear_error (&property);
  g_assert_cmpstr (inp_library_get_set_aside_path (library), ==, path);
  g_assert_cmpstr (inp_library_get_path (library), ==, fresh);

  /* The fresh library works, and the next start finds the work done in it. */
  create_job (library, "owner/model", "kept in the fresh library");
  g_assert_finalize_object (g_steal_pointer (&library));
  again = inp_library_new (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (inp_library_get_problem (again));
  jobs = inp_library_list_jobs (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_finalize_object (g_steal_pointer (&again));

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  after = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_assert_true (g_bytes_equal (original, after));
}

static void
test_corrupt_database (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autoptr(GBytes) original = NULL;
  GString *garbage = g_string_new ("SQLite format 3");

  /* A real header, then noise: damaged rather than simply foreign. */
  g_string_append_c (garbage, '\0');
  for (guint i = 0; i < 8192; i++)
    g_string_append_c (garbage, (char) (i * 7919 % 251));
  g_assert_true (g_file_set_contents (path, garbage->str, garbage->len, NULL));
  original = g_string_free_to_bytes (garbage);

  assert_set_aside (dir, path, original, "damaged");
  inp_test_remove_tree (dir);
}

static void
test_newer_database (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) original = NULL;
  sqlite3 *db = NULL;
  gsize length;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_or_fail (db, "CREATE TABLE future (x); INSERT INTO future VALUES (1);"
                    "PRAGMA user_version = 99;");
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  original = g_bytes_new_take (g_steal_pointer (&contents), length);

  assert_set_aside (dir, path, original, "newer version");
  inp_test_remove_tree (dir);
}

static void
test_unusable_folder (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *blocker = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "library.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(InpLibrary) library = NULL;

  /* A regular file where the folder should be: ENOTDIR, which root cannot override. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  library = inp_library_new (path, &error);
  g_assert_null (library);
  g_assert_error (error, INP_ERROR, INP_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not-a-folder"));

  inp_test_remove_tree (dir);
}

static int
open_dev_full (const char *path,
               gpointer    user_data)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  char **created = user_data;

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_free (*created);
  *created = g_strdup (path);

  return open ("/dev/full", O_WRONLY | O_CLOEXEC);
}

/* A full disk: a clear error, no output recorded, no temporary file, and a job that says its
 * outputs are still to be fetched; once there is space, the same output is stored. */
static void got_result_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);
static GAsyncResult *wait_for_result (GAsyncResult **result);

/* Stores a PNG as output 0, through the blocking call or the asynchronous one. */
static InpLibraryOutput *
store_maybe_async (InpLibrary    *library,
                   gint64         job_id,
                   GInputStream  *stream,
                   gboolean       async,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!async)
    return inp_library_store_output (library, job_id, 0, "image/png", stream, NULL, NULL, error);

  inp_library_store_output_async (library, job_id, 0, "image/png", stream, NULL, NULL,
                                  got_result_cb, &result);
  return inp_library_store_output_finish (library, wait_for_result (&result), error);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_test_new_png (32, 32, 0xffffffff);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (png);
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autofree char *created = NULL;
  gint64 job_id = create_job (fixture->library, "owner/model", "a field of tulips");

  inp_library_set_prediction_id (fixture->library, job_id, "pred-full", &error);
  g_assert_no_error (error);
  inp_library_update_status (fixture->library, job_id, INP_LIBRARY_JOB_STATUS_PROCESSING, NULL,
                             &error);
  g_assert_no_error (error);

  inp_library_set_open_func (fixture->library, open_dev_full, &created);
  output = store_maybe_async (fixture->library, job_id, stream, GPOINTER_TO_INT (data), &error);
  g_assert_null (output);
  g_assert_error (error, INP_ERROR, INP_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not enough free space"));
  g_assert_nonnull (strstr (error->message, "output-0.png”"));
  g_clear_error (&error);
  g_assert_nonnull (created);
  g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));

  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_DOWNLOADING);
  g_assert_nonnull (strstr (inp_library_job_get_error (job), "not enough free space"));
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 0);
  g_assert_cmpuint (count_files_with_suffix (g_file_peek_path (inp_library_job_get_directory (job)),
                                             ""), ==, 0);
  outputs = inp_library_list_outputs (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 0);
  unfinished = inp_library_list_unfinished (fixture->library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 1);
  g_assert_cmpstr (inp_library_job_get_prediction_id (g_ptr_array_index (unfinished, 0)), ==,
                   "pred-full");

  /* Space comes back: the retry stores the output and the job can finish. */
  inp_library_set_open_func (fixture->library, NULL, NULL);
  g_clear_object (&stream);
  stream = g_memory_input_stream_new_from_bytes (png);
  output = store_maybe_async (fixture->library, job_id, stream, GPOINTER_TO_INT (data), &error);
  g_assert_no_error (error);
  inp_library_update_status (fixture->library, job_id, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL,
                             &error);
  g_assert_no_error (error);
  g_clear_object (&job);
  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_null (inp_library_job_get_error (job));
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 1);
}

/* The job's folder cannot be made: the same clear error and nothing recorded. */
static void
test_unwritable_job_folder (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_test_new_png (4, 4, 0x000000ff);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (png);
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  gint64 job_id = create_job (fixture->library, "owner/model", "a blocked folder");

  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (g_file_peek_path (inp_library_job_get_directory (job)),
                                      "in the way", -1, NULL));

  output = inp_library_store_output (fixture->library, job_id, 0, "image/png", stream, NULL, NULL,
                                     &error);
  g_assert_null (output);
  g_assert_error (error, INP_ERROR, INP_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "could not be saved"));
  g_clear_error (&error);

  g_clear_object (&job);
  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_DOWNLOADING);
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 0);
}

/* A crash leaves temporary files behind; they are never recorded, and they are cleaned up unless
 * a writer in another process still holds them. */
static void
test_leftover_temporary_files (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_test_new_png (4, 4, 0x808080ff);
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *live = NULL;
  const char *dir;
  gint64 job_id = create_job (fixture->library, "owner/model", "crashed mid-download");
  int live_fd;

  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  dir = g_file_peek_path (inp_library_job_get_directory (job));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  stale = g_build_filename (dir, "output-0.png.0badf00d.tmp", NULL);
  live = g_build_filename (dir, "output-1.png.0000beef.tmp", NULL);
  g_assert_true (g_file_set_contents (stale, "half an ima", -1, NULL));
  g_assert_true (g_file_set_contents (live, "being writ", -1, NULL));
  live_fd = open (live, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (flock (live_fd, LOCK_EX), ==, 0);

  output = store_png (fixture->library, job_id, 0, png, NULL);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  outputs = inp_library_list_outputs (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 1);

  inp_library_update_status (fixture->library, job_id, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL,
                             &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));

  close (live_fd);
  inp_library_update_status (fixture->library, job_id, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL,
                             &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files_with_suffix (dir, ".tmp"), ==, 0);
  g_assert_cmpuint (count_files_with_suffix (dir, ".png"), ==, 1);
}

/* The app and the CLI open the same library at once. */
static void
test_two_connections (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InpLibrary) other = inp_library_new (fixture->db_path, &error);
  g_autoptr(InpLibraryJob) seen = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  gint64 job_id;

  g_assert_no_error (error);
  job_id = create_job (fixture->library, "owner/model", "made by the app");
  unfinished = inp_library_list_unfinished (other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 1);

  inp_library_update_status (other, job_id, INP_LIBRARY_JOB_STATUS_NOT_SENT, "settled by the CLI",
                             &error);
  g_assert_no_error (error);
  seen = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (seen), ==, INP_LIBRARY_JOB_STATUS_NOT_SENT);

  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
assert_found (InpLibrary            *library,
              const InpLibraryQuery *query,
              guint                  n,
              const gint64          *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = inp_library_list_jobs (library, query, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (inp_library_job_get_id (g_ptr_array_index (jobs, i)), ==, expected[i]);
}

static void
test_search_and_filter (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 fox = create_job (fixture->library, "owner/sdxl", "A red fox in the snow");
  gint64 whale = create_job (fixture->library, "owner/flux", "a blue whale, 100% calm");
  gint64 chinese = create_job (fixture->library, "owner/flux", "雪地里的红色狐狸");
  gint64 fox2 = create_job (fixture->library, "owner/flux", "foxglove flowers");
  InpLibraryQuery query = { 0 };

  inp_library_update_status (fixture->library, whale, INP_LIBRARY_JOB_STATUS_FAILED, "boom",
                             &error);
  g_assert_no_error (error);

  query.text = "fox";
  assert_found (fixture->library, &query, 2, (gint64[]) { fox2, fox });
  query.text = "  RED   fox ";
  assert_found (fixture->library, &query, 1, (gint64[]) { fox });
  query.text = "狐狸";
  assert_found (fixture->library, &query, 1, (gint64[]) { chinese });
  query.text = "红色狐狸";
  assert_found (fixture->library, &query, 1, (gint64[]) { chinese });
  query.text = "蓝色狐狸";
  assert_found (fixture->library, &query, 0, NULL);
  query.text = "100%";
  assert_found (fixture->library, &query, 1, (gint64[]) { whale });
  query.text = "%";
  assert_found (fixture->library, &query, 1, (gint64[]) { whale });
  query.text = "_";
  assert_found (fixture->library, &query, 0, NULL);

  query.text = NULL;
  query.model = "owner/flux";
  assert_found (fixture->library, &query, 3, (gint64[]) { fox2, chinese, whale });
  query.statuses = INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_PENDING);
  assert_found (fixture->library, &query, 2, (gint64[]) { fox2, chinese });
  query.model = NULL;
  query.statuses |= INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_FAILED);
  query.text = "a";
  assert_found (fixture->library, &query, 2, (gint64[]) { whale, fox });

  /* Pages, newest first. */
  query = (InpLibraryQuery) { .limit = 2 };
  assert_found (fixture->library, &query, 2, (gint64[]) { fox2, chinese });
  query.offset = 2;
  assert_found (fixture->library, &query, 2, (gint64[]) { whale, fox });
  query.offset = 4;
  assert_found (fixture->library, &query, 0, NULL);
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
output_added_cb (InpLibrary       *library,
                 InpLibraryOutput *output,
                 gpointer          user_data)
{
  gint64 *added = user_data;

  *added = inp_library_output_get_id (output);
}

/* The worker-thread variants, and signals that arrive in the library's own thread. */
/* The job is written on a worker thread; a cancel meanwhile does not lose the row or its id. */
static void
test_create_job_async (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) inputs = make_inputs ("a heron at dawn", 77);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gint64 job_id;
  gint64 cancelled_id;

  inp_library_create_job_async (fixture->library, "owner/model", "v3",
                                "https://api.replicate.com/v1", "a heron at dawn", inputs, NULL,
                                got_result_cb, &result);
  /* The caller's values may change at once: the row keeps what was passed. */
  json_object_set_string_member (json_node_get_object (inputs), "prompt", "changed");
  job_id = inp_library_create_job_finish (fixture->library, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  g_cancellable_cancel (cancellable);
  inp_library_create_job_async (fixture->library, "owner/model", NULL, NULL, NULL, NULL,
                                cancellable, got_result_cb, &cancelled_result);
  cancelled_id = inp_library_create_job_finish (fixture->library,
                                                wait_for_result (&cancelled_result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cancelled_id, >, job_id);

  /* The results hold the library; so does the worker thread for a moment after reporting. */
  g_clear_object (&result);
  g_clear_object (&cancelled_result);
  wait_for_last_reference (fixture->library);
  reopen (fixture);
  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inp_library_job_get_model (job), ==, "owner/model");
  g_assert_cmpstr (inp_library_job_get_version (job), ==, "v3");
  g_assert_cmpstr (inp_library_job_get_endpoint_host (job), ==, "api.replicate.com");
  g_assert_cmpstr (inp_library_job_get_prompt (job), ==, "a heron at dawn");
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_PENDING);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (
                     inp_library_job_get_inputs (job)), "prompt"), ==, "a heron at dawn");
  g_clear_object (&job);
  job = inp_library_get_job (fixture->library, cancelled_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_PENDING);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) png = inp_test_new_png (16, 16, 0x123456ff);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (png);
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GAsyncResult) inputs_result = NULL;
  g_autoptr(GAsyncResult) output_result = NULL;
  g_autoptr(GAsyncResult) jobs_result = NULL;
  g_autoptr(GError) error = NULL;
  InpLibraryQuery query = { .text = "async" };
  gint64 added = 0;
  gint64 job_id = create_job (fixture->library, "owner/model", "stored asynchronously");

  g_signal_connect (fixture->library, "output-added", G_CALLBACK (output_added_cb), &added);

  inp_library_store_inputs_async (fixture->library, job_id, png, png, NULL, got_result_cb,
                                  &inputs_result);
  inp_library_store_inputs_finish (fixture->library, wait_for_result (&inputs_result), &error);
  g_assert_no_error (error);

  inp_library_store_output_async (fixture->library, job_id, 0, "image/png", stream, NULL, NULL,
                                  got_result_cb, &output_result);
  output = inp_library_store_output_finish (fixture->library, wait_for_result (&output_result),
                                            &error);
  g_assert_no_error (error);
  while (added == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (added, ==, inp_library_output_get_id (output));

  inp_library_list_jobs_async (fixture->library, &query, NULL, got_result_cb, &jobs_result);
  jobs = inp_library_list_jobs_finish (fixture->library, wait_for_result (&jobs_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_nonnull (inp_library_job_get_image (g_ptr_array_index (jobs, 0)));

  g_signal_handlers_disconnect_by_data (fixture->library, &added);
  g_clear_object (&inputs_result);
  g_clear_object (&output_result);
  g_clear_object (&jobs_result);
}

static void
serve_png_cb (SoupServer        *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  GBytes *png = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (message);
  gsize length;
  const guint8 *data = g_bytes_get_data (png, &length);

  /* Chunked, in pieces smaller than the PNG head, so that reads come back short. */
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (message),
                                     SOUP_ENCODING_CHUNKED);
  for (gsize offset = 0; offset < length; offset += 20)
    soup_message_body_append (body, SOUP_MEMORY_COPY, data + offset, MIN (20, length - offset));
  soup_message_body_complete (body);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GInputStream **stream = user_data;
  g_autoptr(GError) error = NULL;

  *stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
}

/* An HTTP body from libsoup can only be read in the thread that sent the request: the library
 * reads it there, and syncs and records on a worker thread. */
static void
test_store_from_http (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_test_new_png (300, 200, 0x4488ccff);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonNode) inputs = make_inputs ("served over loopback", 5);
  g_autoptr(InpProvenance) provenance = inp_provenance_new ("owner/model", "v9", inputs);
  g_autoptr(InpProvenance) read_back = NULL;
  gint64 job_id = create_job (fixture->library, "owner/model", "served over loopback");
  GSList *uris;
  g_autofree char *url = NULL;

  soup_server_add_handler (server, "/output.png", serve_png_cb, png, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/output.png", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(InpLibraryOutput) output = NULL;
      g_autofree char *sha = NULL;

      soup_session_send_async (session, message, G_PRIORITY_DEFAULT, NULL, sent_cb, &stream);
      while (stream == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);

      inp_library_store_output_async (fixture->library, job_id, round, "image/png", stream,
                                      round == 1 ? provenance : NULL, NULL, got_result_cb,
                                      &result);
      output = inp_library_store_output_finish (fixture->library, wait_for_result (&result),
                                                &error);
      g_assert_no_error (error);
      g_assert_cmpint (inp_library_output_get_width (output), ==, 300);
      g_assert_cmpint (inp_library_output_get_height (output), ==, 200);
      sha = file_sha256 (inp_library_output_get_file (output));
      g_assert_cmpstr (inp_library_output_get_sha256 (output), ==, sha);

      if (round == 0)
        {
          g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);

          g_assert_cmpstr (sha, ==, expected);
        }
      else
        {
          read_back = inp_provenance_read_file (g_file_peek_path (inp_library_output_get_file (output)),
                                                &error);
          g_assert_no_error (error);
          g_assert_cmpstr (read_back->prompt, ==, "served over loopback");
          g_assert_cmpstr (read_back->version, ==, "v9");
        }
    }
}

static void
test_unfinished (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  gint64 never_sent = create_job (fixture->library, "owner/model", "never sent");
  gint64 running = create_job (fixture->library, "owner/model", "running");
  gint64 done = create_job (fixture->library, "owner/model", "done");

  inp_library_set_prediction_id (fixture->library, running, "p-run", &error);
  g_assert_no_error (error);
  inp_library_update_status (fixture->library, running, INP_LIBRARY_JOB_STATUS_PROCESSING, NULL,
                             &error);
  g_assert_no_error (error);
  inp_library_set_prediction_id (fixture->library, done, "p-done", &error);
  g_assert_no_error (error);
  inp_library_update_status (fixture->library, done, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL,
                             &error);
  g_assert_no_error (error);

  unfinished = inp_library_list_unfinished (fixture->library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 2);
  g_assert_cmpint (inp_library_job_get_id (g_ptr_array_index (unfinished, 0)), ==, never_sent);
  g_assert_null (inp_library_job_get_prediction_id (g_ptr_array_index (unfinished, 0)));
  g_assert_cmpint (inp_library_job_get_id (g_ptr_array_index (unfinished, 1)), ==, running);

  /* What a resume does with each: the unsent job is marked, the other is settled. */
  inp_library_update_status (fixture->library, never_sent, INP_LIBRARY_JOB_STATUS_NOT_SENT,
                             "Inpainter quit before the job was sent", &error);
  g_assert_no_error (error);
  inp_library_update_status (fixture->library, running, INP_LIBRARY_JOB_STATUS_EXPIRED,
                             "The service no longer has this prediction", &error);
  g_assert_no_error (error);
  g_clear_pointer (&unfinished, g_ptr_array_unref);
  unfinished = inp_library_list_unfinished (fixture->library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfinished->len, ==, 0);

  job = inp_library_get_job (fixture->library, never_sent, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_NOT_SENT);
  g_assert_cmpstr (inp_library_job_get_error (job), ==, "Inpainter quit before the job was sent");
  history = inp_library_get_history (fixture->library, running, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpstr (((InpLibraryJobEvent *) history->pdata[2])->message, ==,
                   "The service no longer has this prediction");

  g_assert_false (inp_library_update_status (fixture->library, 9999,
                                             INP_LIBRARY_JOB_STATUS_FAILED, NULL, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
}

static void
test_delete_restore_purge (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_test_new_png (8, 8, 0xff00ffff);
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(InpLibraryGallery) gallery = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autofree char *trash = NULL;
  gint64 kept = create_job (fixture->library, "owner/model", "kept");
  gint64 job_id = create_job (fixture->library, "owner/model", "to be deleted");
  GFile *file;

  g_clear_object (&output);
  output = store_png (fixture->library, kept, 0, png, NULL);
  g_clear_object (&output);
  output = store_png (fixture->library, job_id, 0, png, NULL);
  file = inp_library_output_get_file (output);
  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  gallery = inp_library_gallery_new (fixture->library);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 2);

  inp_library_delete_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (file, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 1);
  jobs = inp_library_list_jobs (fixture->library, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_false (inp_library_delete_job (fixture->library, job_id, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Undo brings back the row and the very same file. */
  inp_library_restore_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (file, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 2);

  inp_library_delete_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  inp_library_purge_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_null (inp_library_get_job (fixture->library, job_id, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_query_exists (inp_library_job_get_directory (job), NULL));
  trash = g_build_filename (g_file_peek_path (inp_library_get_files_dir (fixture->library)),
                            ".trash", NULL);
  g_assert_cmpuint (count_files_with_suffix (trash, ""), ==, 0);
  g_assert_false (inp_library_restore_job (fixture->library, job_id, &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *changes = user_data;

  changes[0] = position;
  changes[1] = removed;
  changes[2] = added;
}

static void
test_gallery (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) png = inp_test_new_png (2, 2, 0xffffffff);
  g_autoptr(InpLibraryGallery) gallery = NULL;
  g_autoptr(InpLibraryOutput) first = NULL;
  g_autoptr(InpLibraryOutput) last = NULL;
  g_autoptr(InpLibraryOutput) newest = NULL;
  g_autoptr(InpLibraryOutput) top = NULL;
  guint changes[3] = { G_MAXUINT, G_MAXUINT, G_MAXUINT };
  gint64 last_job = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("picture %u", i);

      last_job = create_job (fixture->library, "owner/model", prompt);
      for (guint k = 0; k < 3; k++)
        g_object_unref (store_png (fixture->library, last_job, k, png, NULL));
    }

  gallery = inp_library_gallery_new (fixture->library);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (gallery)) == INP_TYPE_LIBRARY_OUTPUT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 150);
  g_assert_cmpuint (inp_library_gallery_get_n_loaded (gallery), ==, 0);

  first = g_list_model_get_item (G_LIST_MODEL (gallery), 0);
  g_assert_cmpint (inp_library_output_get_job_id (first), ==, last_job);
  g_assert_cmpuint (inp_library_output_get_index (first), ==, 2);
  g_assert_cmpstr (inp_library_output_get_prompt (first), ==, "picture 49");
  /* One page read, not the table. */
  g_assert_cmpuint (inp_library_gallery_get_n_loaded (gallery), ==, 64);

  last = g_list_model_get_item (G_LIST_MODEL (gallery), 149);
  g_assert_cmpstr (inp_library_output_get_prompt (last), ==, "picture 0");
  g_assert_cmpuint (inp_library_output_get_index (last), ==, 0);
  g_assert_cmpuint (inp_library_gallery_get_n_loaded (gallery), ==, 64 + 22);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (gallery), 150));

  g_signal_connect (gallery, "items-changed", G_CALLBACK (items_changed_cb), changes);
  newest = store_png (fixture->library, create_job (fixture->library, "owner/model", "newest"), 0,
                      png, NULL);
  g_assert_cmpuint (changes[0], ==, 0);
  g_assert_cmpuint (changes[1], ==, 0);
  g_assert_cmpuint (changes[2], ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 151);
  top = g_list_model_get_item (G_LIST_MODEL (gallery), 0);
  g_assert_cmpint (inp_library_output_get_id (top), ==, inp_library_output_get_id (newest));
  g_clear_object (&last);
  last = g_list_model_get_item (G_LIST_MODEL (gallery), 150);
  g_assert_cmpstr (inp_library_output_get_prompt (last), ==, "picture 0");

  g_signal_handlers_disconnect_by_data (gallery, changes);
}

/* A JPEG keeps its provenance in a sidecar file beside it. */
static InpLibraryOutput *
store_jpeg (InpLibrary *library,
            gint64      job_id,
            guint       index,
            GBytes     *jpeg)
{
  g_autoptr(InpProvenance) provenance = inp_provenance_new ("owner/model", "v1", NULL);

  return store_bytes (library, job_id, index, "image/jpeg", jpeg, provenance);
}

/* Where a deleted output's file waits, as the library lays out its trash. */
static char *
trashed_output_path (Fixture          *fixture,
                     InpLibraryOutput *output)
{
  const char *files = g_file_peek_path (inp_library_get_files_dir (fixture->library));
  g_autofree char *relative = g_file_get_relative_path (inp_library_get_files_dir (fixture->library),
                                                        inp_library_output_get_file (output));

  return g_build_filename (files, ".trash", "outputs", relative, NULL);
}

static gint64
id_at (GListModel *model,
       guint       position)
{
  g_autoptr(InpLibraryOutput) output = g_list_model_get_item (model, position);

  g_assert_nonnull (output);
  return inp_library_output_get_id (output);
}

static guint
n_job_outputs (InpLibrary *library,
               gint64      job_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outputs = inp_library_list_outputs (library, job_id, &error);

  g_assert_no_error (error);
  return outputs->len;
}

typedef struct
{
  guint n_deleted;
  guint n_restored;
  guint n_job_changed;
  guint position;
} OutputSignals;

static void
output_deleted_cb (InpLibrary       *library,
                   InpLibraryOutput *output,
                   guint             position,
                   OutputSignals    *signals)
{
  signals->n_deleted++;
  signals->position = position;
}

static void
output_restored_cb (InpLibrary       *library,
                    InpLibraryOutput *output,
                    guint             position,
                    OutputSignals    *signals)
{
  signals->n_restored++;
  signals->position = position;
}

static void
job_changed_cb (InpLibrary    *library,
                gint64         job_id,
                OutputSignals *signals)
{
  signals->n_job_changed++;
}

/* One output of a batch goes, with its sidecar, and comes back; the others are not touched. */
static void
test_output_delete_restore_purge (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_test_new_png (8, 8, 0xff0000ff);
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 8, 8, 0x00ff00ff);
  g_autoptr(InpLibraryGallery) gallery = NULL;
  g_autoptr(InpLibraryOutput) other = NULL;
  g_autoptr(InpLibraryOutput) first = NULL;
  g_autoptr(InpLibraryOutput) second = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *first_trashed = NULL;
  g_autofree char *second_path = NULL;
  g_autofree char *second_sidecar = NULL;
  g_autofree char *second_trashed = NULL;
  g_autofree char *second_trashed_sidecar = NULL;
  g_autofree char *first_before = NULL;
  g_autofree char *first_after = NULL;
  guint changes[3] = { G_MAXUINT, G_MAXUINT, G_MAXUINT };
  OutputSignals signals = { 0 };
  gint64 kept = create_job (fixture->library, "owner/model", "kept");
  gint64 batch = create_job (fixture->library, "owner/model", "a batch of two");

  other = store_png (fixture->library, kept, 0, png, NULL);
  first = store_png (fixture->library, batch, 0, png, NULL);
  second = store_jpeg (fixture->library, batch, 1, jpeg);
  first_path = g_file_get_path (inp_library_output_get_file (first));
  first_trashed = trashed_output_path (fixture, first);
  second_path = g_file_get_path (inp_library_output_get_file (second));
  second_sidecar = inp_provenance_sidecar_path (second_path);
  second_trashed = trashed_output_path (fixture, second);
  second_trashed_sidecar = inp_provenance_sidecar_path (second_trashed);
  g_assert_true (g_file_test (second_sidecar, G_FILE_TEST_IS_REGULAR));
  first_before = file_sha256 (inp_library_output_get_file (first));

  /* Newest first: the batch's second output, its first, then the other job's. */
  gallery = inp_library_gallery_new (fixture->library);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 3);
  g_assert_cmpint (id_at (G_LIST_MODEL (gallery), 1), ==, inp_library_output_get_id (first));
  g_signal_connect (gallery, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_signal_connect (fixture->library, "output-deleted", G_CALLBACK (output_deleted_cb), &signals);
  g_signal_connect (fixture->library, "output-restored", G_CALLBACK (output_restored_cb),
                    &signals);
  g_signal_connect (fixture->library, "job-changed", G_CALLBACK (job_changed_cb), &signals);

  g_assert_true (inp_library_delete_output (fixture->library, inp_library_output_get_id (first),
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpuint (signals.n_deleted, ==, 1);
  g_assert_cmpuint (signals.position, ==, 1);
  g_assert_cmpuint (signals.n_job_changed, ==, 1);
  g_assert_cmpuint (changes[0], ==, 1);
  g_assert_cmpuint (changes[1], ==, 1);
  g_assert_cmpuint (changes[2], ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 2);
  g_assert_cmpint (id_at (G_LIST_MODEL (gallery), 0), ==, inp_library_output_get_id (second));
  g_assert_cmpint (id_at (G_LIST_MODEL (gallery), 1), ==, inp_library_output_get_id (other));
  g_assert_false (g_file_test (first_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (first_trashed, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (second_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (n_job_outputs (fixture->library, batch), ==, 1);
  job = inp_library_get_job (fixture->library, batch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 1);
  g_assert_cmpuint (inp_library_job_get_n_deleted_outputs (job), ==, 1);
  g_assert_null (inp_library_job_describe_deleted_outputs (job));

  /* Twice is a clear error, and changes nothing. */
  g_assert_false (inp_library_delete_output (fixture->library, inp_library_output_get_id (first),
                                             &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (g_file_test (first_trashed, G_FILE_TEST_IS_REGULAR));

  /* Undo puts the very same file back, and the output back in its place. */
  g_assert_true (inp_library_restore_output (fixture->library, inp_library_output_get_id (first),
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpuint (signals.n_restored, ==, 1);
  g_assert_cmpuint (changes[0], ==, 1);
  g_assert_cmpuint (changes[1], ==, 0);
  g_assert_cmpuint (changes[2], ==, 1);
  g_assert_cmpint (id_at (G_LIST_MODEL (gallery), 1), ==, inp_library_output_get_id (first));
  g_assert_true (g_file_test (first_path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (first_trashed, G_FILE_TEST_EXISTS));
  first_after = file_sha256 (inp_library_output_get_file (first));
  g_assert_cmpstr (first_after, ==, first_before);
  g_assert_cmpuint (n_job_outputs (fixture->library, batch), ==, 2);
  g_assert_false (inp_library_restore_output (fixture->library,
                                              inp_library_output_get_id (first), &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A JPEG's provenance sidecar travels with it, both ways. */
  g_assert_true (inp_library_delete_output (fixture->library, inp_library_output_get_id (second),
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes[0], ==, 0);
  g_assert_false (g_file_test (second_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (second_sidecar, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (second_trashed, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (second_trashed_sidecar, G_FILE_TEST_IS_REGULAR));
  g_assert_true (inp_library_restore_output (fixture->library,
                                             inp_library_output_get_id (second), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (second_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (second_sidecar, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (second_trashed_sidecar, G_FILE_TEST_EXISTS));
  g_assert_cmpint (id_at (G_LIST_MODEL (gallery), 0), ==, inp_library_output_get_id (second));

  /* Purging finishes a delete for good; an output that is not deleted is left alone. */
  g_assert_true (inp_library_purge_output (fixture->library, inp_library_output_get_id (other),
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_job_outputs (fixture->library, kept), ==, 1);
  g_assert_true (inp_library_delete_output (fixture->library, inp_library_output_get_id (second),
                                            &error));
  g_assert_true (inp_library_purge_output (fixture->library, inp_library_output_get_id (second),
                                           &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (second_trashed, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (second_trashed_sidecar, G_FILE_TEST_EXISTS));
  g_assert_false (inp_library_restore_output (fixture->library,
                                              inp_library_output_get_id (second), &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&job);
  job = inp_library_get_job (fixture->library, batch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 1);
  g_assert_cmpuint (inp_library_job_get_n_deleted_outputs (job), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 2);

  g_signal_handlers_disconnect_by_data (fixture->library, &signals);
  g_signal_handlers_disconnect_by_data (gallery, changes);
}

/* A job whose every output was deleted still records what was asked, and says why it shows none. */
static void
test_output_every_deleted (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_test_new_png (4, 4, 0xffffffff);
  g_autoptr(InpLibraryOutput) first = NULL;
  g_autoptr(InpLibraryOutput) second = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(InpLibraryGallery) gallery = NULL;
  g_autofree char *note = NULL;
  InpLibraryQuery query = { .text = "lighthouse" };
  gint64 job_id = create_job (fixture->library, "owner/model", "a lighthouse at dusk");

  first = store_png (fixture->library, job_id, 0, png, NULL);
  second = store_png (fixture->library, job_id, 1, png, NULL);
  inp_library_update_status (fixture->library, job_id, INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL,
                             &error);
  g_assert_no_error (error);
  gallery = inp_library_gallery_new (fixture->library);

  inp_library_delete_output (fixture->library, inp_library_output_get_id (first), &error);
  g_assert_no_error (error);
  inp_library_delete_output (fixture->library, inp_library_output_get_id (second), &error);
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 0);
  found = inp_library_list_jobs (fixture->library, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  job = g_object_ref (g_ptr_array_index (found, 0));
  g_assert_cmpint (inp_library_job_get_status (job), ==, INP_LIBRARY_JOB_STATUS_SUCCEEDED);
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 0);
  g_assert_cmpuint (inp_library_job_get_n_deleted_outputs (job), ==, 2);
  note = inp_library_job_describe_deleted_outputs (job);
  g_assert_cmpstr (note, ==, "All 2 of its results were deleted");
  g_assert_cmpuint (n_job_outputs (fixture->library, job_id), ==, 0);

  /* And after a restart too. */
  g_clear_object (&job);
  g_clear_pointer (&note, g_free);
  g_clear_object (&gallery);
  reopen (fixture);
  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inp_library_job_get_n_deleted_outputs (job), ==, 2);
  inp_library_restore_output (fixture->library, inp_library_output_get_id (second), &error);
  g_assert_no_error (error);
  g_clear_object (&job);
  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_null (inp_library_job_describe_deleted_outputs (job));
  g_assert_cmpuint (n_job_outputs (fixture->library, job_id), ==, 1);
}

/* Deleting a job and its outputs one by one, in either order, undoes cleanly. */
static void
test_output_with_deleted_job (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_test_new_png (4, 4, 0x0000ffff);
  g_autoptr(InpLibraryOutput) first = NULL;
  g_autoptr(InpLibraryOutput) second = NULL;
  g_autoptr(InpLibraryGallery) gallery = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *trash_outputs = NULL;
  gint64 job_id = create_job (fixture->library, "owner/model", "two");

  first = store_png (fixture->library, job_id, 0, png, NULL);
  second = store_png (fixture->library, job_id, 1, png, NULL);
  first_path = g_file_get_path (inp_library_output_get_file (first));
  gallery = inp_library_gallery_new (fixture->library);

  /* Output, then its job: the job's folder goes to the trash beside the output's. */
  inp_library_delete_output (fixture->library, inp_library_output_get_id (first), &error);
  g_assert_no_error (error);
  inp_library_delete_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 0);

  /* An output of a deleted job cannot be deleted on its own. */
  g_assert_false (inp_library_delete_output (fixture->library,
                                             inp_library_output_get_id (second), &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The output's undo, clicked late, brings it back with its job's files, still unseen. */
  inp_library_restore_output (fixture->library, inp_library_output_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 0);
  g_assert_false (g_file_test (first_path, G_FILE_TEST_EXISTS));

  inp_library_restore_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 2);
  g_assert_true (g_file_test (first_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_query_exists (inp_library_output_get_file (second), NULL));

  /* Purging the job takes its deleted outputs' files with it. */
  inp_library_delete_output (fixture->library, inp_library_output_get_id (second), &error);
  g_assert_no_error (error);
  job = inp_library_get_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  inp_library_delete_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  inp_library_purge_job (fixture->library, job_id, &error);
  g_assert_no_error (error);
  trash_outputs = g_build_filename (g_file_peek_path (inp_library_get_files_dir (fixture->library)),
                                    ".trash", "outputs", NULL);
  g_assert_cmpuint (count_files_with_suffix (trash_outputs, ""), ==, 0);
  g_assert_false (g_file_query_exists (inp_library_job_get_directory (job), NULL));
}

/* Opening the library purges outputs deleted more than an hour ago, and only those. */
static void
test_output_purge_at_open (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 4, 4, 0xff00ffff);
  g_autoptr(InpLibraryOutput) old = NULL;
  g_autoptr(InpLibraryOutput) recent = NULL;
  g_autofree char *old_trashed = NULL;
  g_autofree char *old_trashed_sidecar = NULL;
  g_autofree char *recent_trashed = NULL;
  g_autofree char *sql = NULL;
  gint64 job_id = create_job (fixture->library, "owner/model", "old and recent");
  sqlite3 *db = NULL;

  old = store_jpeg (fixture->library, job_id, 0, jpeg);
  recent = store_jpeg (fixture->library, job_id, 1, jpeg);
  old_trashed = trashed_output_path (fixture, old);
  old_trashed_sidecar = inp_provenance_sidecar_path (old_trashed);
  recent_trashed = trashed_output_path (fixture, recent);
  inp_library_delete_output (fixture->library, inp_library_output_get_id (old), &error);
  g_assert_no_error (error);
  inp_library_delete_output (fixture->library, inp_library_output_get_id (recent), &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (old_trashed_sidecar, G_FILE_TEST_IS_REGULAR));

  /* Deleted two hours ago, as far as the database knows. */
  g_assert_cmpint (sqlite3_open (fixture->db_path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("UPDATE outputs SET deleted_at = %" G_GINT64_FORMAT " WHERE id = %"
                         G_GINT64_FORMAT, g_get_real_time () - (gint64) 2 * 60 * 60 * G_USEC_PER_SEC,
                         inp_library_output_get_id (old));
  exec_or_fail (db, sql);
  sqlite3_close (db);

  reopen (fixture);
  g_assert_false (g_file_test (old_trashed, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_trashed_sidecar, G_FILE_TEST_EXISTS));
  g_assert_false (inp_library_restore_output (fixture->library, inp_library_output_get_id (old),
                                              &error));
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (g_file_test (recent_trashed, G_FILE_TEST_IS_REGULAR));
  g_assert_true (inp_library_restore_output (fixture->library,
                                             inp_library_output_get_id (recent), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (inp_library_output_get_file (recent), NULL));
  g_assert_cmpuint (n_job_outputs (fixture->library, job_id), ==, 1);
}

/* Deleting and restoring keep a paged gallery in step with the database, read or not. */
static void
test_output_gallery_pages (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) png = inp_test_new_png (2, 2, 0xffffffff);
  g_autoptr(InpLibraryGallery) gallery = NULL;
  g_autoptr(InpLibraryGallery) fresh = NULL;
  g_autoptr(GError) error = NULL;
  guint changes[3] = { G_MAXUINT, G_MAXUINT, G_MAXUINT };
  gint64 unread_id, read_id, below_unread;

  for (guint i = 0; i < 40; i++)
    {
      gint64 job_id = create_job (fixture->library, "owner/model", "page");

      for (guint k = 0; k < 3; k++)
        g_object_unref (store_png (fixture->library, job_id, k, png, NULL));
    }

  gallery = inp_library_gallery_new (fixture->library);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 120);
  read_id = id_at (G_LIST_MODEL (gallery), 3);
  g_assert_cmpuint (inp_library_gallery_get_n_loaded (gallery), ==, 64);
  g_signal_connect (gallery, "items-changed", G_CALLBACK (items_changed_cb), changes);

  /* An output on a page not read yet: the gallery does not read it to remove it. */
  {
    g_autoptr(GPtrArray) page = inp_library_list_gallery_page (fixture->library, 100, 2, &error);

    g_assert_no_error (error);
    unread_id = inp_library_output_get_id (g_ptr_array_index (page, 0));
    below_unread = inp_library_output_get_id (g_ptr_array_index (page, 1));
  }
  inp_library_delete_output (fixture->library, unread_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes[0], ==, 100);
  g_assert_cmpuint (changes[1], ==, 1);
  g_assert_cmpuint (changes[2], ==, 0);
  g_assert_cmpuint (inp_library_gallery_get_n_loaded (gallery), ==, 64);
  g_assert_cmpint (id_at (G_LIST_MODEL (gallery), 100), ==, below_unread);

  inp_library_delete_output (fixture->library, read_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes[0], ==, 3);
  g_assert_cmpuint (changes[1], ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 118);

  /* One place higher than it was, as an output above it is gone now. */
  inp_library_restore_output (fixture->library, unread_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes[0], ==, 99);
  g_assert_cmpuint (changes[1], ==, 0);
  g_assert_cmpuint (changes[2], ==, 1);

  /* Item by item, the list is what a list made now reads. */
  fresh = inp_library_gallery_new (fixture->library);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 119);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fresh)), ==, 119);
  for (guint i = 0; i < 119; i++)
    g_assert_cmpint (id_at (G_LIST_MODEL (gallery), i), ==, id_at (G_LIST_MODEL (fresh), i));

  g_signal_handlers_disconnect_by_data (gallery, changes);
}

static void
test_status_names (void)
{
  for (InpLibraryJobStatus status = 0; status <= INP_LIBRARY_JOB_STATUS_LAST; status++)
    {
      InpLibraryJobStatus parsed;

      g_assert_true (inp_library_job_status_from_string (inp_library_job_status_to_string (status),
                                                         &parsed));
      g_assert_cmpint (parsed, ==, status);
      g_assert_nonnull (inp_library_job_status_get_label (status));
    }
  g_assert_cmpstr (inp_library_job_status_to_string (INP_LIBRARY_JOB_STATUS_NOT_SENT), ==,
                   "not-sent");
  g_assert_false (inp_library_job_status_is_finished (INP_LIBRARY_JOB_STATUS_DOWNLOADING));
  g_assert_true (inp_library_job_status_is_finished (INP_LIBRARY_JOB_STATUS_EXPIRED));
}

static void
test_default_path (void)
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *expected = g_build_filename (dir, "inpainter", "library.db", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InpLibrary) library = NULL;

  /* g_get_user_data_dir() is cached, so the default is checked against what GLib says. */
  path = inp_library_get_default_path ();
  g_assert_true (g_str_has_suffix (path, "/inpainter/library.db"));
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));

  library = inp_library_new (expected, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_suffix (g_file_peek_path (inp_library_get_files_dir (library)),
                                   "/inpainter/files"));
  g_assert_finalize_object (g_steal_pointer (&library));
  inp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/core/library/lifecycle", test_job_lifecycle);
  ADD ("/core/library/sidecar-and-replace", test_sidecar_and_replace);
  ADD ("/core/library/token-never-stored", test_token_never_stored);
  g_test_add ("/core/library/disk-full/sync", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_disk_full, fixture_tear_down);
  g_test_add ("/core/library/disk-full/async", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_disk_full, fixture_tear_down);
  ADD ("/core/library/unwritable-job-folder", test_unwritable_job_folder);
  ADD ("/core/library/leftover-temporary-files", test_leftover_temporary_files);
  ADD ("/core/library/two-connections", test_two_connections);
  ADD ("/core/library/search-and-filter", test_search_and_filter);
  ADD ("/core/library/async", test_async);
  ADD ("/core/library/create-job-async", test_create_job_async);
  ADD ("/core/library/store-from-http", test_store_from_http);
  ADD ("/core/library/unfinished", test_unfinished);
  ADD ("/core/library/delete-restore-purge", test_delete_restore_purge);
  ADD ("/core/library/gallery", test_gallery);
  ADD ("/core/library/output/delete-restore-purge", test_output_delete_restore_purge);
  ADD ("/core/library/output/every-output-deleted", test_output_every_deleted);
  ADD ("/core/library/output/with-deleted-job", test_output_with_deleted_job);
  ADD ("/core/library/output/purge-at-open", test_output_purge_at_open);
  ADD ("/core/library/output/gallery-pages", test_output_gallery_pages);
  g_test_add_data_func ("/core/library/migrate/from-empty", GUINT_TO_POINTER (0), test_migration);
  g_test_add_data_func ("/core/library/migrate/from-v1", GUINT_TO_POINTER (1), test_migration);
  g_test_add_data_func ("/core/library/migrate/from-v2", GUINT_TO_POINTER (2), test_migration);
  g_test_add_data_func ("/core/library/migrate/from-v3", GUINT_TO_POINTER (3), test_migration);
  g_test_add_func ("/core/library/corrupt-database", test_corrupt_database);
  g_test_add_func ("/core/library/newer-database", test_newer_database);
  g_test_add_func ("/core/library/unusable-folder", test_unusable_folder);
  g_test_add_func ("/core/library/status-names", test_status_names);
  g_test_add_func ("/core/library/default-path", test_default_path);

#undef ADD

  return g_test_run ();
}
