/* test-history-view.c: the history view over a real library in a temporary folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "inp-history-row.h"
#include "inp-history-view-private.h"
#include "inp-library.h"
#include "inp-test-media.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

typedef struct
{
  char           *dir;
  InpLibrary     *library;
  GtkWidget      *window;
  InpHistoryView *view;
  guint           n_loaded;   /* queries that have finished */
} Fixture;

/* Records a job as a runner would: created, maybe with input files and an output, then moved to
 * @status. */
static gint64
add_job (InpLibrary          *library,
         const char          *model,
         const char          *prompt,
         InpLibraryJobStatus  status,
         const char          *message,
         gboolean             with_files)
{
  g_autoptr(JsonNode) inputs = json_from_string ("{\"num_outputs\": 1}", NULL);
  g_autoptr(GError) error = NULL;
  gint64 job_id;

  json_object_set_string_member (json_node_get_object (inputs), "prompt", prompt);
  job_id = inp_library_create_job (library, model, "v1", "https://api.replicate.com/v1", prompt,
                                   inputs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  if (with_files)
    {
      g_autoptr(GBytes) image = inp_test_new_png (64, 64, 0x3366ccff);
      g_autoptr(GBytes) mask = inp_test_new_png (64, 64, 0xffffffff);
      g_autoptr(GBytes) output = inp_test_new_png (256, 192, 0xcc6633ff);
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (output);
      g_autoptr(InpLibraryOutput) stored = NULL;

      inp_library_store_inputs (library, job_id, image, mask, NULL, &error);
      g_assert_no_error (error);
      stored = inp_library_store_output (library, job_id, 0, "image/png", stream, NULL, NULL,
                                         &error);
      g_assert_no_error (error);
    }

  if (status != INP_LIBRARY_JOB_STATUS_PENDING)
    {
      inp_library_update_status (library, job_id, status, message, &error);
      g_assert_no_error (error);
    }

  return job_id;
}

static void
loading_cb (InpHistoryView *view,
            GParamSpec     *pspec,
            Fixture        *fixture)
{
  if (!inp_history_view_get_loading (view))
    fixture->n_loaded++;
}

/* Waits until a query started after @before has finished. */
static void
wait_loaded (Fixture *fixture,
             guint    before)
{
  inp_test_wait_until (fixture->n_loaded > before && !inp_history_view_get_loading (fixture->view),
                       10000);
}

static void
fixture_open (Fixture *fixture)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = inp_test_make_temp_dir ();
  path = g_build_filename (fixture->dir, "library.db", NULL);
  fixture->library = inp_library_new (path, &error);
  g_assert_no_error (error);
}

static void
fixture_present (Fixture *fixture,
                 int      width,
                 int      height)
{
  guint before = fixture->n_loaded;

  /* The library's signals about the jobs made so far come before the view exists, or their
   * refresh would race with the queries the tests wait for. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  fixture->view = INP_HISTORY_VIEW (inp_history_view_new (fixture->library, NULL));
  g_object_ref_sink (fixture->view);
  g_signal_connect (fixture->view, "notify::loading", G_CALLBACK (loading_cb), fixture);
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->view));
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_loaded (fixture, before);
  inp_test_wait_for_frame (fixture->window);
}

static void
fixture_close (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->view));
  /* A thumbnail or query that was under way holds the library until its thread ends. */
  g_object_add_weak_pointer (G_OBJECT (fixture->library), (gpointer *) &fixture->library);
  g_object_unref (fixture->library);
  inp_test_wait_until (fixture->library == NULL, 10000);
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gint64
job_id_at (Fixture *fixture,
           guint    position)
{
  g_autoptr(InpLibraryJob) job =
    g_list_model_get_item (inp_history_view_get_jobs (fixture->view), position);

  g_assert_nonnull (job);
  return inp_library_job_get_id (job);
}

static guint
n_jobs (Fixture *fixture)
{
  return g_list_model_get_n_items (inp_history_view_get_jobs (fixture->view));
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (INP_IS_HISTORY_ROW (widget) && inp_history_row_get_job (INP_HISTORY_ROW (widget)) != NULL)
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static InpHistoryRow *
find_row (Fixture *fixture,
          gint64   job_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (fixture->view), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      InpHistoryRow *row = g_ptr_array_index (rows, i);

      if (inp_library_job_get_id (inp_history_row_get_job (row)) == job_id)
        return row;
    }

  return NULL;
}

/* Newest first; each row shows its prompt, model title, a relative date, a status that says what
 * went wrong, and a thumbnail of the first output decoded at display size. */
static void
test_rows (void)
{
  Fixture fixture = { 0, };
  gint64 done, failed, expired, not_sent;
  InpHistoryRow *row;
  GdkPaintable *thumbnail;

  fixture_open (&fixture);
  done = add_job (fixture.library, "stability-ai/sdxl", "a lighthouse at dusk",
                  INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL, TRUE);
  failed = add_job (fixture.library, "black-forest-labs/flux-fill-dev", "a red fox",
                    INP_LIBRARY_JOB_STATUS_FAILED, "NSFW content detected", FALSE);
  expired = add_job (fixture.library, "stability-ai/sdxl", "an old harbour",
                     INP_LIBRARY_JOB_STATUS_EXPIRED, NULL, FALSE);
  not_sent = add_job (fixture.library, "someone/unknown-model", "a quiet street",
                      INP_LIBRARY_JOB_STATUS_NOT_SENT, NULL, FALSE);
  fixture_present (&fixture, 800, 600);

  g_assert_cmpstr (inp_history_view_get_page (fixture.view), ==, "list");
  g_assert_cmpuint (n_jobs (&fixture), ==, 4);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, not_sent);
  g_assert_cmpint (job_id_at (&fixture, 1), ==, expired);
  g_assert_cmpint (job_id_at (&fixture, 2), ==, failed);
  g_assert_cmpint (job_id_at (&fixture, 3), ==, done);

  row = find_row (&fixture, failed);
  g_assert_nonnull (row);
  g_assert_cmpstr (inp_history_row_get_status_text (row), ==, "Failed: NSFW content detected");
  g_assert_true (g_str_has_prefix (inp_history_row_get_date_text (row), "Today "));
  row = find_row (&fixture, expired);
  g_assert_true (g_str_has_prefix (inp_history_row_get_status_text (row), "Expired"));
  row = find_row (&fixture, not_sent);
  g_assert_true (g_str_has_prefix (inp_history_row_get_status_text (row), "Not sent"));
  row = find_row (&fixture, done);
  g_assert_cmpstr (inp_history_row_get_status_text (row), ==, "");

  inp_test_wait_until ((thumbnail = inp_history_row_get_thumbnail (find_row (&fixture, done)))
                       != NULL, 10000);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (thumbnail), ==, 128);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (thumbnail), ==, 96);
  g_assert_null (inp_history_row_get_thumbnail (find_row (&fixture, failed)));

  fixture_close (&fixture);
}

static void
test_dates (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (zone, 2026, 11, 21, 10, 30, 0);
  g_autoptr(GDateTime) today = g_date_time_new (zone, 2026, 11, 21, 0, 5, 0);
  g_autoptr(GDateTime) yesterday = g_date_time_new (zone, 2026, 11, 20, 23, 59, 0);
  g_autoptr(GDateTime) this_year = g_date_time_new (zone, 2026, 3, 3, 9, 0, 0);
  g_autoptr(GDateTime) last_year = g_date_time_new (zone, 2025, 12, 31, 9, 0, 0);
  g_autofree char *a = inp_history_format_date (today, now);
  g_autofree char *b = inp_history_format_date (yesterday, now);
  g_autofree char *c = inp_history_format_date (this_year, now);
  g_autofree char *d = inp_history_format_date (last_year, now);

  g_assert_cmpstr (a, ==, "Today 00:05");
  g_assert_cmpstr (b, ==, "Yesterday 23:59");
  g_assert_cmpstr (c, ==, "3 March");
  g_assert_cmpstr (d, ==, "31 December 2025");
}

static void
search_and_wait (Fixture    *fixture,
                 const char *text)
{
  guint before = fixture->n_loaded;

  inp_history_view_set_search_text (fixture->view, text);
  wait_loaded (fixture, before);
}

/* Search by words of the prompt, Chinese too; no match shows the no-results page; clearing
 * shows everything again. */
static void
test_search (void)
{
  Fixture fixture = { 0, };
  gint64 chinese, english;

  fixture_open (&fixture);
  chinese = add_job (fixture.library, "stability-ai/sdxl", "黄昏时的灯塔，海浪",
                     INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL, FALSE);
  english = add_job (fixture.library, "stability-ai/sdxl", "A Lighthouse in fog",
                     INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL, FALSE);
  add_job (fixture.library, "stability-ai/sdxl", "a red fox", INP_LIBRARY_JOB_STATUS_SUCCEEDED,
           NULL, FALSE);
  fixture_present (&fixture, 800, 600);
  g_assert_cmpuint (n_jobs (&fixture), ==, 3);

  search_and_wait (&fixture, "灯塔");
  g_assert_cmpuint (n_jobs (&fixture), ==, 1);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, chinese);

  search_and_wait (&fixture, "lighthouse FOG");
  g_assert_cmpuint (n_jobs (&fixture), ==, 1);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, english);

  search_and_wait (&fixture, "zebra");
  g_assert_cmpuint (n_jobs (&fixture), ==, 0);
  g_assert_cmpstr (inp_history_view_get_page (fixture.view), ==, "no-results");

  search_and_wait (&fixture, "");
  g_assert_cmpuint (n_jobs (&fixture), ==, 3);
  g_assert_cmpstr (inp_history_view_get_page (fixture.view), ==, "list");

  fixture_close (&fixture);
}

static void
filter_and_wait (Fixture                *fixture,
                 const char             *model,
                 InpHistoryStatusFilter  status)
{
  guint before = fixture->n_loaded;

  inp_history_view_set_model_filter (fixture->view, model);
  inp_history_view_set_status_filter (fixture->view, status);
  /* Either change starts a query; the last one wins. */
  wait_loaded (fixture, before);
}

static void
test_filters (void)
{
  Fixture fixture = { 0, };
  gint64 sdxl_done, sdxl_failed, flux_done, flux_running, flux_not_sent;

  fixture_open (&fixture);
  sdxl_done = add_job (fixture.library, "stability-ai/sdxl", "one",
                       INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL, FALSE);
  sdxl_failed = add_job (fixture.library, "stability-ai/sdxl", "two",
                         INP_LIBRARY_JOB_STATUS_FAILED, "out of memory", FALSE);
  flux_done = add_job (fixture.library, "black-forest-labs/flux-fill-dev", "three",
                       INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL, FALSE);
  flux_running = add_job (fixture.library, "black-forest-labs/flux-fill-dev", "four",
                          INP_LIBRARY_JOB_STATUS_PROCESSING, NULL, FALSE);
  flux_not_sent = add_job (fixture.library, "black-forest-labs/flux-fill-dev", "five",
                           INP_LIBRARY_JOB_STATUS_NOT_SENT, NULL, FALSE);
  fixture_present (&fixture, 800, 600);
  g_assert_cmpuint (n_jobs (&fixture), ==, 5);

  filter_and_wait (&fixture, "stability-ai/sdxl", INP_HISTORY_STATUS_ALL);
  g_assert_cmpuint (n_jobs (&fixture), ==, 2);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, sdxl_failed);
  g_assert_cmpint (job_id_at (&fixture, 1), ==, sdxl_done);

  filter_and_wait (&fixture, NULL, INP_HISTORY_STATUS_SUCCEEDED);
  g_assert_cmpuint (n_jobs (&fixture), ==, 2);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, flux_done);
  g_assert_cmpint (job_id_at (&fixture, 1), ==, sdxl_done);

  filter_and_wait (&fixture, "black-forest-labs/flux-fill-dev", INP_HISTORY_STATUS_FAILED);
  g_assert_cmpuint (n_jobs (&fixture), ==, 1);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, flux_not_sent);

  filter_and_wait (&fixture, NULL, INP_HISTORY_STATUS_UNFINISHED);
  g_assert_cmpuint (n_jobs (&fixture), ==, 1);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, flux_running);

  filter_and_wait (&fixture, "stability-ai/sdxl", INP_HISTORY_STATUS_UNFINISHED);
  g_assert_cmpuint (n_jobs (&fixture), ==, 0);
  g_assert_cmpstr (inp_history_view_get_page (fixture.view), ==, "no-results");

  fixture_close (&fixture);
}

/* An empty library says so, rather than showing an empty list. */
static void
test_empty (void)
{
  Fixture fixture = { 0, };

  fixture_open (&fixture);
  fixture_present (&fixture, 360, 600);
  g_assert_cmpuint (n_jobs (&fixture), ==, 0);
  g_assert_cmpstr (inp_history_view_get_page (fixture.view), ==, "empty");
  fixture_close (&fixture);
}

/* Only a page is read at first; scrolling to the end reads the next ones, in order. */
static void
test_paging (void)
{
  Fixture fixture = { 0, };
  GtkAdjustment *adjustment;
  guint first_page;

  fixture_open (&fixture);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("job %u", i);

      add_job (fixture.library, "stability-ai/sdxl", prompt, INP_LIBRARY_JOB_STATUS_SUCCEEDED,
               NULL, FALSE);
    }
  fixture_present (&fixture, 800, 400);

  first_page = n_jobs (&fixture);
  g_assert_cmpuint (first_page, >, 0);
  g_assert_cmpuint (first_page, <, 100);

  adjustment = inp_history_view_get_vadjustment (fixture.view);
  while (n_jobs (&fixture) < 100)
    {
      guint before = fixture.n_loaded;
      guint had = n_jobs (&fixture);

      inp_test_wait_for_frame (fixture.window);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                            gtk_adjustment_get_page_size (adjustment));
      wait_loaded (&fixture, before);
      g_assert_cmpuint (n_jobs (&fixture), >, had);
    }

  g_assert_cmpuint (n_jobs (&fixture), ==, 100);
  for (guint i = 1; i < 100; i++)
    g_assert_cmpint (job_id_at (&fixture, i - 1), >, job_id_at (&fixture, i));

  fixture_close (&fixture);
}

static void
job_signal_cb (InpHistoryView  *view,
               InpLibraryJob   *job,
               InpLibraryJob  **out)
{
  g_set_object (out, job);
}

/* Restore and Run Again, from the view's actions and from a row's own, carry the right job. */
static void
test_signals (void)
{
  Fixture fixture = { 0, };
  g_autoptr(InpLibraryJob) restored = NULL;
  g_autoptr(InpLibraryJob) again = NULL;
  gint64 first, second;
  InpHistoryRow *row;

  fixture_open (&fixture);
  first = add_job (fixture.library, "stability-ai/sdxl", "first",
                   INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL, TRUE);
  second = add_job (fixture.library, "stability-ai/sdxl", "second",
                    INP_LIBRARY_JOB_STATUS_FAILED, "boom", FALSE);
  fixture_present (&fixture, 800, 600);
  g_signal_connect (fixture.view, "restore-job", G_CALLBACK (job_signal_cb), &restored);
  g_signal_connect (fixture.view, "run-again", G_CALLBACK (job_signal_cb), &again);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.view), "history.restore", "x",
                                             first));
  g_assert_nonnull (restored);
  g_assert_cmpint (inp_library_job_get_id (restored), ==, first);
  g_assert_cmpstr (inp_library_job_get_prompt (restored), ==, "first");
  g_assert_nonnull (inp_library_job_get_image (restored));

  row = find_row (&fixture, second);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.run-again", NULL));
  g_assert_nonnull (again);
  g_assert_cmpint (inp_library_job_get_id (again), ==, second);

  g_clear_object (&restored);
  row = find_row (&fixture, second);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.restore", NULL));
  g_assert_cmpint (inp_library_job_get_id (restored), ==, second);

  fixture_close (&fixture);
}

/* Delete takes the job and its files away at once; Undo in the toast brings both back. */
static void
test_delete_undo (void)
{
  Fixture fixture = { 0, };
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output_path = NULL;
  g_autofree char *mask_path = NULL;
  g_autoptr(InpLibraryJob) job = NULL;
  GtkWidget *undo;
  gint64 kept, deleted;

  fixture_open (&fixture);
  kept = add_job (fixture.library, "stability-ai/sdxl", "kept",
                  INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL, TRUE);
  deleted = add_job (fixture.library, "stability-ai/sdxl", "deleted",
                     INP_LIBRARY_JOB_STATUS_SUCCEEDED, NULL, TRUE);
  outputs = inp_library_list_outputs (fixture.library, deleted, &error);
  g_assert_no_error (error);
  output_path = g_file_get_path (inp_library_output_get_file (g_ptr_array_index (outputs, 0)));
  job = inp_library_get_job (fixture.library, deleted, &error);
  g_assert_no_error (error);
  mask_path = g_file_get_path (inp_library_job_get_mask (job));
  fixture_present (&fixture, 800, 600);
  g_assert_cmpuint (n_jobs (&fixture), ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.view), "history.delete", "x",
                                             deleted));
  g_assert_cmpuint (n_jobs (&fixture), ==, 1);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, kept);
  g_assert_false (g_file_test (output_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (mask_path, G_FILE_TEST_EXISTS));

  inp_test_wait_for_frame (fixture.window);
  undo = inp_test_find_button (GTK_WIDGET (fixture.view), "_Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  /* Under load, the refresh that the delete's own change signal asked for can finish after the
   * undo started, still showing one job; the view must settle on two. */
  inp_test_wait_until (n_jobs (&fixture) == 2 && !inp_history_view_get_loading (fixture.view),
                       10000);

  g_assert_cmpuint (n_jobs (&fixture), ==, 2);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, deleted);
  g_assert_true (g_file_test (output_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (mask_path, G_FILE_TEST_IS_REGULAR));

  fixture_close (&fixture);
}

static gpointer
add_job_thread (gpointer data)
{
  return GINT_TO_POINTER ((int) add_job (data, "stability-ai/sdxl", "from another thread",
                                         INP_LIBRARY_JOB_STATUS_FAILED, "late", FALSE));
}

/* A job recorded by another thread (as a running job records) appears at the top by itself. */
static void
test_follows_library (void)
{
  Fixture fixture = { 0, };
  g_autoptr(GThread) thread = NULL;
  gint64 job_id;

  fixture_open (&fixture);
  add_job (fixture.library, "stability-ai/sdxl", "older", INP_LIBRARY_JOB_STATUS_SUCCEEDED,
           NULL, FALSE);
  fixture_present (&fixture, 800, 600);
  g_assert_cmpuint (n_jobs (&fixture), ==, 1);

  thread = g_thread_new ("recorder", add_job_thread, fixture.library);
  job_id = GPOINTER_TO_INT (g_thread_join (g_steal_pointer (&thread)));

  inp_test_wait_until (n_jobs (&fixture) == 2 && !inp_history_view_get_loading (fixture.view),
                       10000);
  g_assert_cmpint (job_id_at (&fixture, 0), ==, job_id);
  inp_test_wait_for_frame (fixture.window);
  g_assert_cmpstr (inp_history_row_get_status_text (find_row (&fixture, job_id)), ==,
                   "Failed: late");

  fixture_close (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  inp_test_ui_init (&argc, &argv);

  inp_test_ui_add_func ("/ui/history-view/rows", test_rows);
  inp_test_ui_add_func ("/ui/history-view/dates", test_dates);
  inp_test_ui_add_func ("/ui/history-view/search", test_search);
  inp_test_ui_add_func ("/ui/history-view/filters", test_filters);
  inp_test_ui_add_func ("/ui/history-view/empty", test_empty);
  inp_test_ui_add_func ("/ui/history-view/paging", test_paging);
  inp_test_ui_add_func ("/ui/history-view/signals", test_signals);
  inp_test_ui_add_func ("/ui/history-view/delete-undo", test_delete_undo);
  inp_test_ui_add_func ("/ui/history-view/follows-library", test_follows_library);

  return g_test_run ();
}

