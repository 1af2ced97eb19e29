/* bench-library.c: opening a full library, its first gallery page, a prompt search, and deleting
 * and restoring one output
 *
 * Prints one JSON line per figure. The full library holds 10,000 jobs and 30,000 outputs; its
 * rows are written with SQL in one transaction (writing 30,000 synced files would only measure
 * the disk), into a database that the library itself created, so the schema and indexes are the
 * real ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "inp-library-gallery.h"
#include "inp-library.h"
#include "inp-test-utils.h"

#define N_JOBS        10000
#define N_OUTPUTS     3
#define N_ROUNDS      25

static const char *const subjects[] = {
  "a red fox", "an old lighthouse", "a bowl of ramen", "a sleeping cat", "a mountain lake",
  "a city street", "a wooden boat", "a field of tulips", "an astronaut", "a steam train",
  "a koi pond", "a snowy forest", "a desert canyon", "a robot gardener", "a paper lantern",
  "雪地里的狐狸", "山间的小屋", "夜晚的街道",
};
static const char *const styles[] = {
  "at golden hour", "in watercolour", "photorealistic", "as an oil painting", "in fog",
  "under neon lights", "in the style of a woodcut", "at night", "seen from above", "in spring",
};
static const char *const models[] = {
  "stability-ai/sdxl-inpainting", "black-forest-labs/flux-fill-pro",
  "black-forest-labs/flux-fill-dev", "stability-ai/stable-diffusion-inpainting",
};

static void
check (int         rc,
       sqlite3    *db,
       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

static void
fill (const char *path)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261120);
  sqlite3 *db = NULL;
  sqlite3_stmt *job = NULL;
  sqlite3_stmt *event = NULL;
  sqlite3_stmt *output = NULL;
  gint64 start = 1700000000000000;

  check (sqlite3_open (path, &db), db, "open");
  check (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), db, "begin");
  check (sqlite3_prepare_v2 (db, "INSERT INTO jobs (dir, created_at, updated_at, model, version,"
                                 " endpoint_host, prompt, inputs, prediction_id, status)"
                                 " VALUES (?, ?, ?, ?, 'v1', 'api.replicate.com', ?, ?, ?, ?)",
                             -1, &job, NULL), db, "prepare jobs");
  check (sqlite3_prepare_v2 (db, "INSERT INTO job_events (job_id, at, status) VALUES (?, ?, ?)",
                             -1, &event, NULL), db, "prepare events");
  check (sqlite3_prepare_v2 (db, "INSERT INTO outputs (job_id, idx, path, media_type, size,"
                                 " width, height, sha256, created_at)"
                                 " VALUES (?, ?, ?, 'image/png', 1234567, 1024, 1024,"
                                 " 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', ?)",
                             -1, &output, NULL), db, "prepare outputs");

  for (guint i = 0; i < N_JOBS; i++)
    {
      g_autofree char *dir = g_uuid_string_random ();
      g_autofree char *prompt = g_strdup_printf ("%s %s, detailed, %u",
                                                 subjects[g_rand_int_range (rand, 0, G_N_ELEMENTS (subjects))],
                                                 styles[g_rand_int_range (rand, 0, G_N_ELEMENTS (styles))],
                                                 i);
      g_autofree char *inputs = g_strdup_printf ("{\"prompt\":\"%s\",\"seed\":%u,\"num_outputs\":3}",
                                                 prompt, i);
      g_autofree char *prediction = g_strdup_printf ("p%08u", i);
      gint64 at = start + (gint64) i * 60 * G_USEC_PER_SEC;
      gint64 job_id;

      sqlite3_reset (job);
      sqlite3_bind_text (job, 1, dir, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (job, 2, at);
      sqlite3_bind_int64 (job, 3, at);
      sqlite3_bind_text (job, 4, models[i % G_N_ELEMENTS (models)], -1, SQLITE_STATIC);
      sqlite3_bind_text (job, 5, prompt, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (job, 6, inputs, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (job, 7, prediction, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (job, 8, i % 50 == 0 ? "failed" : "succeeded", -1, SQLITE_STATIC);
      check (sqlite3_step (job), db, "insert job");
      job_id = sqlite3_last_insert_rowid (db);

      for (guint k = 0; k < 4; k++)
        {
          static const char *const steps[] = { "pending", "starting", "processing", "succeeded" };

          sqlite3_reset (event);
          sqlite3_bind_int64 (event, 1, job_id);
          sqlite3_bind_int64 (event, 2, at + k);
          sqlite3_bind_text (event, 3, steps[k], -1, SQLITE_STATIC);
          check (sqlite3_step (event), db, "insert event");
        }

      for (guint k = 0; k < N_OUTPUTS; k++)
        {
          g_autofree char *file = g_strdup_printf ("%s/output-%u.png", dir, k);

          sqlite3_reset (output);
          sqlite3_bind_int64 (output, 1, job_id);
          sqlite3_bind_int (output, 2, k);
          sqlite3_bind_text (output, 3, file, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (output, 4, at + 30 * G_USEC_PER_SEC);
          check (sqlite3_step (output), db, "insert output");
        }
    }

  sqlite3_finalize (job);
  sqlite3_finalize (event);
  sqlite3_finalize (output);
  check (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), db, "commit");
  check (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), db, "checkpoint");
  sqlite3_close (db);
}

static double
print_figure (const char *name,
              GArray     *samples,
              double      target_ms)
{
  double median;
  double p95;

  g_array_sort (samples, inp_test_compare_doubles);
  median = g_array_index (samples, double, samples->len / 2);
  p95 = g_array_index (samples, double, MIN (samples->len - 1, samples->len * 95 / 100));

  if (target_ms > 0)
    g_print ("{\"bench\":\"%s\",\"median_ms\":%.3f,\"p95_ms\":%.3f,\"target_ms\":%g}\n",
             name, median, p95, target_ms);
  else
    g_print ("{\"bench\":\"%s\",\"median_ms\":%.3f,\"p95_ms\":%.3f}\n", name, median, p95);

  return median;
}

static double
elapsed_ms (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000.0;
}

/* Opening, as the app does at start-up: the library, the gallery and its first page. */
static double
time_open (const char *path,
           gboolean    first_page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(InpLibraryGallery) gallery = NULL;
  g_autoptr(GObject) item = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  library = inp_library_new (path, &error);
  if (library == NULL)
    g_error ("%s", error->message);
  if (!first_page)
    return elapsed_ms (start);
  gallery = inp_library_gallery_new (library);
  if (first_page && g_list_model_get_n_items (G_LIST_MODEL (gallery)) > 0)
    {
      item = g_list_model_get_item (G_LIST_MODEL (gallery), 0);
      g_assert (inp_library_gallery_get_n_loaded (gallery) > 0);
    }
  ms = elapsed_ms (start);

  return ms;
}

static double
time_search (InpLibrary            *library,
             const InpLibraryQuery *query,
             guint                  expected_at_least)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  jobs = inp_library_list_jobs (library, query, &error);
  ms = elapsed_ms (start);
  if (jobs == NULL)
    g_error ("%s", error->message);
  g_assert (jobs->len >= expected_at_least);

  return ms;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = inp_test_make_temp_dir ();
  g_autofree char *empty_path = g_build_filename (dir, "empty", "library.db", NULL);
  g_autofree char *full_path = g_build_filename (dir, "full", "library.db", NULL);
  g_autoptr(GArray) empty = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) full = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) full_open = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search_short = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) filter = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) scroll = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) delete_restore = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  InpLibraryQuery word = { .text = "lighthouse watercolour", .limit = 50 };
  InpLibraryQuery cjk = { .text = "狐狸", .limit = 50 };
  InpLibraryQuery by_model = { .model = "black-forest-labs/flux-fill-dev",
                               .statuses = INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_FAILED),
                               .limit = 50 };
  double empty_ms;
  double full_ms;

  /* Both libraries are created by the library, so both carry the current schema. */
  g_clear_object (&library);
  library = inp_library_new (empty_path, &error);
  g_assert_no_error (error);
  g_clear_object (&library);
  library = inp_library_new (full_path, &error);
  g_assert_no_error (error);
  g_clear_object (&library);
  fill (full_path);

  for (guint i = 0; i < N_ROUNDS; i++)
    {
      double value = time_open (empty_path, TRUE);

      g_array_append_val (empty, value);
      value = time_open (full_path, TRUE);
      g_array_append_val (full, value);
      value = time_open (full_path, FALSE);
      g_array_append_val (full_open, value);
    }

  library = inp_library_new (full_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_ROUNDS; i++)
    {
      g_autoptr(InpLibraryGallery) gallery = inp_library_gallery_new (library);
      gint64 start;
      double value;

      value = time_search (library, &word, 1);
      g_array_append_val (search, value);
      value = time_search (library, &cjk, 1);
      g_array_append_val (search_short, value);
      value = time_search (library, &by_model, 1);
      g_array_append_val (filter, value);

      /* Scrolling far down the gallery: a page deep in the table. */
      start = g_get_monotonic_time ();
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (gallery), 29000));
      value = elapsed_ms (start);
      g_array_append_val (scroll, value);

      /* Deleting the oldest output and undoing it, with the gallery following: its place in
       * the gallery counts every newer output, so this is the slowest case. */
      start = g_get_monotonic_time ();
      inp_library_delete_output (library, 1, &error);
      g_assert_no_error (error);
      inp_library_restore_output (library, 1, &error);
      g_assert_no_error (error);
      value = elapsed_ms (start);
      g_array_append_val (delete_restore, value);
    }

  empty_ms = print_figure ("library-open-empty", empty, 0);
  full_ms = print_figure ("library-open-first-gallery-page", full, 50);
  print_figure ("library-open-database-only", full_open, 0);
  /* The library's share of start-up: what a full library adds over an empty one. The app's
   * "within 10 %" compares whole start-ups (about 200 ms), so delta_ms is the figure to read. */
  g_print ("{\"bench\":\"library-startup-vs-empty\",\"full_ms\":%.3f,\"empty_ms\":%.3f,"
           "\"delta_ms\":%.3f,\"ratio\":%.3f}\n",
           full_ms, empty_ms, full_ms - empty_ms, full_ms / empty_ms);
  print_figure ("library-search-prompt", search, 20);
  print_figure ("library-search-prompt-short-cjk", search_short, 20);
  print_figure ("library-filter-model-status", filter, 20);
  print_figure ("library-gallery-deep-page", scroll, 0);
  print_figure ("library-delete-restore-oldest-output", delete_restore, 0);

  g_clear_object (&library);
  if (g_getenv ("INPAINTER_BENCH_KEEP") != NULL)
    g_printerr ("bench-library: kept %s\n", dir);
  else
    inp_test_remove_tree (dir);
  return 0;
}
