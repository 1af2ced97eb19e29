/* inp-history-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-a11y.h"
#include "inp-history-row.h"
#include "inp-history-view-private.h"

/* Jobs read per query: a few screens' worth, so that scrolling rarely waits. */
#define PAGE_SIZE 40

/* Thumbnails are decoded at twice their displayed size, for scale-2 displays. */
#define THUMBNAIL_SIZE 128

/* Library changes often come in bursts (a job moves through several statuses in a second). */
#define REFRESH_DELAY_MS 100

typedef enum
{
  QUERY_RELOAD,   /* filters changed: the first page replaces everything */
  QUERY_MORE,     /* scrolled near the end: the next page is appended */
  QUERY_REFRESH,  /* the library changed: what is loaded is read again */
} QueryKind;

struct _InpHistoryView
{
  AdwBin           parent_instance;

  /* Template widgets */
  GtkSearchEntry  *search_entry;
  GtkDropDown     *model_dropdown;
  GtkDropDown     *status_dropdown;
  GtkStack        *stack;
  GtkScrolledWindow *scrolled_window;
  GtkListView     *list_view;
  AdwStatusPage   *error_page;

  InpLibrary      *library;
  InpCatalog      *catalog;
  AdwToastOverlay *toast_overlay;   /* weak */
  GListStore      *jobs;
  GtkStringList   *model_titles;
  GPtrArray       *model_ids;       /* parallel to model_titles; NULL for "All models" */

  GCancellable    *cancellable;     /* everything, until dispose */
  GCancellable    *query_cancellable;
  gboolean         loading;
  gboolean         exhausted;
  guint            refresh_id;

  GHashTable      *thumbnails;      /* job id → GdkTexture, or NULL when it has none */
  GHashTable      *thumbnails_pending;
  GHashTable      *rows;            /* bound InpHistoryRows */
};

G_DEFINE_FINAL_TYPE (InpHistoryView, inp_history_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_CATALOG,
  PROP_TOAST_OVERLAY,
  PROP_LOADING,
  N_PROPS
};

enum {
  RESTORE_JOB,
  RUN_AGAIN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_query (InpHistoryView *self,
                       QueryKind       kind);

static void
set_loading (InpHistoryView *self,
             gboolean        loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
filters_active (InpHistoryView *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0' ||
         gtk_drop_down_get_selected (self->model_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->status_dropdown) > 0;
}

static void
update_page (InpHistoryView *self)
{
  const char *page;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->jobs)) > 0)
    page = "list";
  else if (filters_active (self))
    page = "no-results";
  else
    page = "empty";

  gtk_stack_set_visible_child_name (self->stack, page);
}

/* Thumbnails */

typedef struct
{
  InpLibrary *library;
  gint64      job_id;
} ThumbnailData;

static void
thumbnail_data_free (gpointer data)
{
  ThumbnailData *thumbnail = data;

  g_clear_object (&thumbnail->library);
  g_free (thumbnail);
}

/* In a worker thread: the job's first still image, decoded at display size. */
static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ThumbnailData *data = task_data;
  g_autoptr(GPtrArray) outputs = NULL;
  GError *error = NULL;

  outputs = inp_library_list_outputs (data->library, data->job_id, &error);
  if (outputs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < outputs->len; i++)
    {
      InpLibraryOutput *output = g_ptr_array_index (outputs, i);
      const char *media_type = inp_library_output_get_media_type (output);
      g_autofree char *path = NULL;
      GdkPixbuf *pixbuf;

      if (media_type == NULL || !g_str_has_prefix (media_type, "image/"))
        continue;

      path = g_file_get_path (inp_library_output_get_file (output));
      pixbuf = gdk_pixbuf_new_from_file_at_scale (path, THUMBNAIL_SIZE, THUMBNAIL_SIZE, TRUE,
                                                  &error);
      if (pixbuf != NULL)
        {
          g_task_return_pointer (task, pixbuf, g_object_unref);
          return;
        }

      g_debug ("history: no thumbnail from %s: %s", path, error->message);
      g_clear_error (&error);
    }

  g_task_return_pointer (task, NULL, NULL);
}

static void
show_thumbnail (InpHistoryView *self,
                gint64          job_id,
                GdkPaintable   *thumbnail)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    {
      InpLibraryJob *job = inp_history_row_get_job (row);

      if (job != NULL && inp_library_job_get_id (job) == job_id)
        inp_history_row_set_thumbnail (row, thumbnail);
    }
}

static void
thumbnail_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  InpHistoryView *self = user_data;
  ThumbnailData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  /* Cancelled means the view is gone: self must not be touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_hash_table_remove (self->thumbnails_pending, &data->job_id);
  if (error != NULL)
    g_debug ("history: no thumbnail for job %" G_GINT64_FORMAT ": %s", data->job_id,
             error->message);
  if (pixbuf != NULL)
    texture = gdk_texture_new_for_pixbuf (pixbuf);

  g_hash_table_insert (self->thumbnails, g_memdup2 (&data->job_id, sizeof data->job_id),
                       texture != NULL ? g_object_ref (texture) : NULL);
  show_thumbnail (self, data->job_id, GDK_PAINTABLE (texture));
}

static void
load_thumbnail (InpHistoryView *self,
                InpHistoryRow  *row,
                InpLibraryJob  *job)
{
  gint64 job_id = inp_library_job_get_id (job);
  g_autoptr(GTask) task = NULL;
  ThumbnailData *data;
  gpointer cached;

  if (g_hash_table_lookup_extended (self->thumbnails, &job_id, NULL, &cached))
    {
      inp_history_row_set_thumbnail (row, cached);
      return;
    }
  if (inp_library_job_get_n_outputs (job) == 0 ||
      g_hash_table_contains (self->thumbnails_pending, &job_id))
    return;

  g_hash_table_add (self->thumbnails_pending, g_memdup2 (&job_id, sizeof job_id));
  data = g_new0 (ThumbnailData, 1);
  data->library = g_object_ref (self->library);
  data->job_id = job_id;
  task = g_task_new (NULL, self->cancellable, thumbnail_cb, self);
  g_task_set_source_tag (task, load_thumbnail);
  g_task_set_task_data (task, data, thumbnail_data_free);
  g_task_run_in_thread (task, thumbnail_thread);
}

/* Rows */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          InpHistoryView           *self)
{
  gtk_list_item_set_child (item, inp_history_row_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         InpHistoryView           *self)
{
  InpHistoryRow *row = INP_HISTORY_ROW (gtk_list_item_get_child (item));
  InpLibraryJob *job = gtk_list_item_get_item (item);
  InpModel *model = inp_catalog_lookup (self->catalog, inp_library_job_get_model (job));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  inp_history_row_set_job (row, job, model != NULL ? inp_model_get_title (model) : NULL, now);
  inp_a11y_name_list_cell (GTK_WIDGET (row));
  g_hash_table_add (self->rows, row);
  load_thumbnail (self, row, job);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           InpHistoryView           *self)
{
  InpHistoryRow *row = INP_HISTORY_ROW (gtk_list_item_get_child (item));

  g_hash_table_remove (self->rows, row);
  inp_history_row_set_job (row, NULL, NULL, NULL);
}

static void
teardown_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             InpHistoryView           *self)
{
  g_hash_table_remove (self->rows, gtk_list_item_get_child (item));
}

/* Queries */

static guint
status_bits (InpHistoryStatusFilter filter)
{
  switch (filter)
    {
    case INP_HISTORY_STATUS_SUCCEEDED:
      return INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_SUCCEEDED);
    case INP_HISTORY_STATUS_FAILED:
      return INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_FAILED) |
             INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_CANCELED) |
             INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_EXPIRED) |
             INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_NOT_SENT);
    case INP_HISTORY_STATUS_UNFINISHED:
      return INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_PENDING) |
             INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_STARTING) |
             INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_PROCESSING) |
             INP_LIBRARY_JOB_STATUS_BIT (INP_LIBRARY_JOB_STATUS_DOWNLOADING);
    case INP_HISTORY_STATUS_ALL:
    default:
      return 0;
    }
}

static gboolean
same_job_state (InpLibraryJob *a,
                InpLibraryJob *b)
{
  return inp_library_job_get_id (a) == inp_library_job_get_id (b) &&
         inp_library_job_get_status (a) == inp_library_job_get_status (b) &&
         inp_library_job_get_n_outputs (a) == inp_library_job_get_n_outputs (b) &&
         g_date_time_equal (inp_library_job_get_updated (a), inp_library_job_get_updated (b));
}

/* Replaces the store's contents with @jobs, leaving alone the rows that did not change, so that
 * a refresh neither flickers nor loses the scroll position. */
static void
replace_jobs (InpHistoryView *self,
              GPtrArray      *jobs)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  guint start = 0;
  guint end_old = n_items;
  guint end_new = jobs->len;

  while (start < n_items && start < jobs->len)
    {
      g_autoptr(InpLibraryJob) old = g_list_model_get_item (G_LIST_MODEL (self->jobs), start);

      if (!same_job_state (old, g_ptr_array_index (jobs, start)))
        break;
      start++;
    }

  while (end_old > start && end_new > start)
    {
      g_autoptr(InpLibraryJob) old = g_list_model_get_item (G_LIST_MODEL (self->jobs),
                                                            end_old - 1);

      if (!same_job_state (old, g_ptr_array_index (jobs, end_new - 1)))
        break;
      end_old--;
      end_new--;
    }

  if (start == end_old && start == end_new)
    return;

  g_list_store_splice (self->jobs, start, end_old - start, jobs->pdata + start, end_new - start);
}

typedef struct
{
  InpHistoryView *self;
  QueryKind       kind;
  guint           limit;
} QueryData;

static void
list_jobs_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree QueryData *query = user_data;
  InpHistoryView *self = query->self;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = inp_library_list_jobs_finish (INP_LIBRARY (source), result, &error);
  /* Cancelled means a newer query or dispose took over: self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->query_cancellable);

  if (jobs == NULL)
    {
      g_debug ("history: listing jobs failed: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_loading (self, FALSE);
      return;
    }

  g_debug ("history: %u jobs read (%s)", jobs->len,
           query->kind == QUERY_MORE ? "more" : query->kind == QUERY_RELOAD ? "reload" : "refresh");
  self->exhausted = jobs->len < query->limit;

  if (query->kind == QUERY_MORE)
    g_list_store_splice (self->jobs, g_list_model_get_n_items (G_LIST_MODEL (self->jobs)), 0,
                         jobs->pdata, jobs->len);
  else
    replace_jobs (self, jobs);

  update_page (self);
  set_loading (self, FALSE);

  /* A first page shorter than the window gives nothing to scroll, so ask for more now. */
  if (!self->exhausted)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

      if (gtk_adjustment_get_upper (adjustment) > 0 &&
          gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment))
        run_query (self, QUERY_MORE);
    }
}

static void
run_query (InpHistoryView *self,
           QueryKind       kind)
{
  InpLibraryQuery query = { 0, };
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  guint model_index = gtk_drop_down_get_selected (self->model_dropdown);
  QueryData *data;
  const char *text;

  if (kind == QUERY_MORE && (self->loading || self->exhausted))
    return;

  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  self->query_cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  query.text = *text != '\0' ? text : NULL;
  if (model_index != GTK_INVALID_LIST_POSITION && model_index < self->model_ids->len)
    query.model = g_ptr_array_index (self->model_ids, model_index);
  query.statuses = status_bits (gtk_drop_down_get_selected (self->status_dropdown));
  switch (kind)
    {
    case QUERY_RELOAD:
      query.limit = PAGE_SIZE;
      break;
    case QUERY_MORE:
      query.offset = n_items;
      query.limit = PAGE_SIZE;
      break;
    case QUERY_REFRESH:
    default:
      /* Whole pages, so that "exhausted" keeps its meaning. */
      query.limit = MAX (PAGE_SIZE, (n_items + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE);
      break;
    }

  data = g_new0 (QueryData, 1);
  data->self = self;
  data->kind = kind;
  data->limit = query.limit;

  set_loading (self, TRUE);
  inp_library_list_jobs_async (self->library, &query, self->query_cancellable, list_jobs_cb,
                               data);
}

static void
maybe_load_more (InpHistoryView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);

  /* Within a screen of the end. */
  if (value + 2 * page >= gtk_adjustment_get_upper (adjustment))
    run_query (self, QUERY_MORE);
}

static gboolean
refresh_cb (gpointer user_data)
{
  InpHistoryView *self = user_data;

  self->refresh_id = 0;
  run_query (self, QUERY_REFRESH);
  return G_SOURCE_REMOVE;
}

/* The library emits this in the thread that made it (the main thread for the app), whichever
 * thread changed the job. */
static void
job_changed_cb (InpHistoryView *self,
                gint64          job_id,
                InpLibrary     *library)
{
  g_debug ("history: job %" G_GINT64_FORMAT " changed", job_id);
  g_hash_table_remove (self->thumbnails, &job_id);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

static void
search_changed_cb (InpHistoryView *self)
{
  run_query (self, QUERY_RELOAD);
}

static void
filter_changed_cb (InpHistoryView *self)
{
  /* Before the template's models are in place there is nothing to filter. */
  if (self->library == NULL || self->model_ids == NULL)
    return;

  run_query (self, QUERY_RELOAD);
}

/* The model filter: "All models" and every model of the catalogue, by title. */
static void
rebuild_model_filter (InpHistoryView *self)
{
  g_autofree char *selected = NULL;
  guint n_models = g_list_model_get_n_items (G_LIST_MODEL (self->catalog));
  guint index = gtk_drop_down_get_selected (self->model_dropdown);
  guint new_index = 0;
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();

  if (self->model_ids != NULL && index != GTK_INVALID_LIST_POSITION &&
      index < self->model_ids->len)
    selected = g_strdup (g_ptr_array_index (self->model_ids, index));

  g_clear_pointer (&self->model_ids, g_ptr_array_unref);
  self->model_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->model_ids, NULL);
  g_ptr_array_add (titles, (gpointer) _("All models"));

  for (guint i = 0; i < n_models; i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (G_LIST_MODEL (self->catalog), i);

      g_ptr_array_add (self->model_ids, g_strdup (inp_model_get_id (model)));
      g_ptr_array_add (titles, (gpointer) g_intern_string (inp_model_get_title (model)));
      if (g_strcmp0 (selected, inp_model_get_id (model)) == 0)
        new_index = i + 1;
    }
  g_ptr_array_add (titles, NULL);

  g_clear_object (&self->model_titles);
  self->model_titles = gtk_string_list_new ((const char * const *) titles->pdata);

  g_signal_handlers_block_by_func (self->model_dropdown, filter_changed_cb, self);
  gtk_drop_down_set_model (self->model_dropdown, G_LIST_MODEL (self->model_titles));
  gtk_drop_down_set_selected (self->model_dropdown, new_index);
  g_signal_handlers_unblock_by_func (self->model_dropdown, filter_changed_cb, self);
}

static void
catalog_changed_cb (InpHistoryView *self)
{
  rebuild_model_filter (self);
}

/* Actions */

/* Returns: (transfer full) (nullable): the loaded job with @job_id, and where it is. */
static InpLibraryJob *
find_job (InpHistoryView *self,
          gint64          job_id,
          guint          *position)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(InpLibraryJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (inp_library_job_get_id (job) == job_id)
        {
          if (position != NULL)
            *position = i;
          return g_steal_pointer (&job);
        }
    }

  return NULL;
}

static AdwToastOverlay *
get_toast_overlay (InpHistoryView *self)
{
  /* The view's own is its child, not a bound template child: AdwBin's dispose unparents it. */
  if (self->toast_overlay != NULL)
    return self->toast_overlay;
  return ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));
}

static void
show_error_toast (InpHistoryView *self,
                  const char     *message)
{
  g_autoptr(AdwToast) toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (get_toast_overlay (self), g_steal_pointer (&toast));
}

static void
job_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  InpHistoryView *self = INP_HISTORY_VIEW (widget);
  g_autoptr(InpLibraryJob) job = find_job (self, g_variant_get_int64 (parameter), NULL);

  if (job == NULL)
    return;

  if (g_str_equal (action_name, "history.restore"))
    g_signal_emit (self, signals[RESTORE_JOB], 0, job);
  else if (g_str_equal (action_name, "history.run-again"))
    g_signal_emit (self, signals[RUN_AGAIN], 0, job);
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  InpHistoryView *self = INP_HISTORY_VIEW (widget);
  g_autoptr(InpLibraryJob) job = find_job (self, g_variant_get_int64 (parameter), NULL);
  g_autofree char *uri = NULL;
  GtkRoot *root;

  if (job == NULL)
    return;

  uri = g_file_get_uri (inp_library_job_get_directory (job));
  root = gtk_widget_get_root (widget);
  g_debug ("history: showing %s", uri);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/* The toast may outlive the view (and a test's library): it holds the library weakly. */
typedef struct
{
  GWeakRef  library;
  gint64    job_id;
  gboolean  undone;
} DeleteData;

static void
delete_data_free (gpointer data)
{
  DeleteData *delete = data;

  g_weak_ref_clear (&delete->library);
  g_free (delete);
}

static void
undo_delete_cb (AdwToast   *toast,
                DeleteData *delete)
{
  g_autoptr(InpLibrary) library = g_weak_ref_get (&delete->library);
  g_autoptr(GError) error = NULL;

  delete->undone = TRUE;
  if (library != NULL && !inp_library_restore_job (library, delete->job_id, &error))
    g_warning ("history: job %" G_GINT64_FORMAT " could not be restored: %s", delete->job_id,
               error->message);
}

/* Once the undo is out of reach the files go; the library would purge them an hour later anyway. */
static void
delete_dismissed_cb (AdwToast   *toast,
                     DeleteData *delete)
{
  g_autoptr(InpLibrary) library = g_weak_ref_get (&delete->library);
  g_autoptr(GError) error = NULL;

  if (delete->undone || library == NULL)
    return;

  if (!inp_library_purge_job (library, delete->job_id, &error))
    g_debug ("history: purging job %" G_GINT64_FORMAT " failed: %s", delete->job_id,
             error->message);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  InpHistoryView *self = INP_HISTORY_VIEW (widget);
  gint64 job_id = g_variant_get_int64 (parameter);
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(AdwToast) toast = NULL;
  g_autoptr(GError) error = NULL;
  DeleteData *delete;
  guint position = 0;

  if (!inp_library_delete_job (self->library, job_id, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The job could not be deleted: %s"),
                                                  error->message);

      show_error_toast (self, message);
      return;
    }

  /* Gone at once; the refresh the library's signal brings agrees. */
  job = find_job (self, job_id, &position);
  if (job != NULL)
    g_list_store_remove (self->jobs, position);
  update_page (self);

  delete = g_new0 (DeleteData, 1);
  g_weak_ref_init (&delete->library, self->library);
  delete->job_id = job_id;

  toast = adw_toast_new (_("Job deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_delete_cb), delete);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (delete_dismissed_cb), delete,
                         (GClosureNotify) (void (*) (void)) delete_data_free, 0);
  adw_toast_overlay_add_toast (get_toast_overlay (self), g_steal_pointer (&toast));
}

static void
list_activate_cb (InpHistoryView *self,
                  guint           position)
{
  g_autoptr(InpLibraryJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), position);

  if (job != NULL)
    g_signal_emit (self, signals[RESTORE_JOB], 0, job);
}

/* GObject */

static void
inp_history_view_constructed (GObject *object)
{
  InpHistoryView *self = INP_HISTORY_VIEW (object);
  GtkAdjustment *adjustment;

  G_OBJECT_CLASS (inp_history_view_parent_class)->constructed (object);

  g_assert (INP_IS_LIBRARY (self->library));
  if (self->catalog == NULL)
    self->catalog = g_object_ref (inp_catalog_get_default ());

  rebuild_model_filter (self);
  g_signal_connect_object (self->catalog, "items-changed", G_CALLBACK (catalog_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "job-changed", G_CALLBACK (job_changed_cb), self,
                           G_CONNECT_SWAPPED);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (maybe_load_more), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (maybe_load_more), self,
                           G_CONNECT_SWAPPED);

  run_query (self, QUERY_RELOAD);
}

static void
inp_history_view_dispose (GObject *object)
{
  InpHistoryView *self = INP_HISTORY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_clear_weak_pointer (&self->toast_overlay);
  if (self->rows != NULL)
    g_hash_table_remove_all (self->rows);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_HISTORY_VIEW);

  g_clear_object (&self->jobs);
  g_clear_object (&self->model_titles);
  g_clear_object (&self->library);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (inp_history_view_parent_class)->dispose (object);
}

static void
inp_history_view_finalize (GObject *object)
{
  InpHistoryView *self = INP_HISTORY_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->model_ids, g_ptr_array_unref);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->thumbnails_pending, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (inp_history_view_parent_class)->finalize (object);
}

static void
inp_history_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  InpHistoryView *self = INP_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;

    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;

    case PROP_TOAST_OVERLAY:
      g_value_set_object (value, self->toast_overlay);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_history_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  InpHistoryView *self = INP_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      self->library = g_value_dup_object (value);
      break;

    case PROP_CATALOG:
      self->catalog = g_value_dup_object (value);
      break;

    case PROP_TOAST_OVERLAY:
      inp_history_view_set_toast_overlay (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_history_view_class_init (InpHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = inp_history_view_constructed;
  object_class->dispose = inp_history_view_dispose;
  object_class->finalize = inp_history_view_finalize;
  object_class->get_property = inp_history_view_get_property;
  object_class->set_property = inp_history_view_set_property;

  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, INP_TYPE_LIBRARY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, INP_TYPE_CATALOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * InpHistoryView:toast-overlay:
   *
   * Where the undo toast of a delete goes; the view's own overlay when %NULL.
   */
  properties[PROP_TOAST_OVERLAY] =
    g_param_spec_object ("toast-overlay", NULL, NULL, ADW_TYPE_TOAST_OVERLAY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * InpHistoryView:loading:
   *
   * Whether a query of the library is under way.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InpHistoryView::restore-job:
   * @job: the job whose image, mask, model, prompt and parameters should go back into the
   *   window (see inp_restore_data_load_job_async())
   */
  signals[RESTORE_JOB] =
    g_signal_new ("restore-job", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, INP_TYPE_LIBRARY_JOB);

  /**
   * InpHistoryView::run-again:
   * @job: the job to run once more with the same inputs
   */
  signals[RUN_AGAIN] =
    g_signal_new ("run-again", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, INP_TYPE_LIBRARY_JOB);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, InpHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryView, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryView, list_view);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryView, error_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);

  gtk_widget_class_install_action (widget_class, "history.restore", "x", job_action);
  gtk_widget_class_install_action (widget_class, "history.run-again", "x", job_action);
  gtk_widget_class_install_action (widget_class, "history.open-folder", "x", open_folder_action);
  gtk_widget_class_install_action (widget_class, "history.delete", "x", delete_action);

  g_type_ensure (INP_TYPE_HISTORY_ROW);
}

static void
inp_history_view_init (InpHistoryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  inp_a11y_name_inner_buttons (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->jobs = g_list_store_new (INP_TYPE_LIBRARY_JOB);
  self->thumbnails = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            (GDestroyNotify) g_object_unref);
  self->thumbnails_pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->rows = g_hash_table_new (NULL, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (
                             G_LIST_MODEL (g_object_ref (self->jobs)))));
}

/**
 * inp_history_view_new:
 * @library: the library to show
 * @catalog: (nullable): the models, for titles and the model filter; the built-in
 *   catalogue when %NULL
 */
GtkWidget *
inp_history_view_new (InpLibrary *library,
                      InpCatalog *catalog)
{
  g_return_val_if_fail (INP_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (catalog == NULL || INP_IS_CATALOG (catalog), NULL);

  return g_object_new (INP_TYPE_HISTORY_VIEW, "library", library, "catalog", catalog, NULL);
}

InpLibrary *
inp_history_view_get_library (InpHistoryView *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_VIEW (self), NULL);

  return self->library;
}

InpCatalog *
inp_history_view_get_catalog (InpHistoryView *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_VIEW (self), NULL);

  return self->catalog;
}

/**
 * inp_history_view_set_toast_overlay:
 * @overlay: (nullable) (transfer none): the window's overlay, held weakly
 */
void
inp_history_view_set_toast_overlay (InpHistoryView  *self,
                                    AdwToastOverlay *overlay)
{
  g_return_if_fail (INP_IS_HISTORY_VIEW (self));
  g_return_if_fail (overlay == NULL || ADW_IS_TOAST_OVERLAY (overlay));

  if (g_set_weak_pointer (&self->toast_overlay, overlay))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOAST_OVERLAY]);
}

/**
 * inp_history_view_get_jobs:
 *
 * Returns: (transfer none): the jobs loaded so far, newest first, as a list of #InpLibraryJob.
 */
GListModel *
inp_history_view_get_jobs (InpHistoryView *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_VIEW (self), NULL);

  return G_LIST_MODEL (self->jobs);
}

gboolean
inp_history_view_get_loading (InpHistoryView *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_VIEW (self), FALSE);

  return self->loading;
}

/**
 * inp_history_view_reload:
 *
 * Reads the first page again, for instance after the library was settled at start-up.
 */
void
inp_history_view_reload (InpHistoryView *self)
{
  g_return_if_fail (INP_IS_HISTORY_VIEW (self));

  run_query (self, QUERY_RELOAD);
}

/**
 * inp_history_view_set_search_text:
 * @text: (nullable): words the prompts must contain
 *
 * Shows @text in the search entry and searches for it at once: the entry's delay is for typing.
 */
void
inp_history_view_set_search_text (InpHistoryView *self,
                                  const char     *text)
{
  g_return_if_fail (INP_IS_HISTORY_VIEW (self));

  /* Setting the text clears it first, which would search for nothing in between. */
  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  run_query (self, QUERY_RELOAD);
}

/**
 * inp_history_view_set_model_filter:
 * @model_id: (nullable): a model of the catalogue, or %NULL for all models
 */
void
inp_history_view_set_model_filter (InpHistoryView *self,
                                   const char     *model_id)
{
  guint index = 0;

  g_return_if_fail (INP_IS_HISTORY_VIEW (self));

  for (guint i = 1; model_id != NULL && i < self->model_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->model_ids, i), model_id))
      index = i;

  gtk_drop_down_set_selected (self->model_dropdown, index);
}

void
inp_history_view_set_status_filter (InpHistoryView         *self,
                                    InpHistoryStatusFilter  filter)
{
  g_return_if_fail (INP_IS_HISTORY_VIEW (self));
  g_return_if_fail (filter <= INP_HISTORY_STATUS_UNFINISHED);

  gtk_drop_down_set_selected (self->status_dropdown, filter);
}

/* The stack's page: "list", "empty", "no-results" or "error". */
const char *
inp_history_view_get_page (InpHistoryView *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkAdjustment *
inp_history_view_get_vadjustment (InpHistoryView *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_VIEW (self), NULL);

  return gtk_scrolled_window_get_vadjustment (self->scrolled_window);
}
