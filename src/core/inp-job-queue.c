/* inp-job-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-endpoint.h"
#include "inp-job-queue.h"

typedef struct
{
  guint         id;
  InpJob       *job;
  GCancellable *cancellable;
  GError       *error;
  gint64        started_us;
  gint64        finished_us;
  gboolean      running;
} Entry;

struct _InpJobQueue
{
  GObject    parent_instance;

  /* Newest first, as a list of jobs is read. */
  GPtrArray       *entries;
  int              max_running;
  guint            n_running;
  guint            last_id;

  GNetworkMonitor *monitor;
  gboolean         online;
};

static void inp_job_queue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InpJobQueue, inp_job_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      inp_job_queue_list_model_init))

enum {
  PROP_0,
  PROP_MAX_RUNNING,
  PROP_N_RUNNING,
  PROP_NETWORK_MONITOR,
  PROP_ONLINE,
  N_PROPS
};

enum {
  JOB_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->job);
  g_clear_object (&entry->cancellable);
  g_clear_error (&entry->error);
  g_free (entry);
}

static GType
inp_job_queue_get_item_type (GListModel *model)
{
  return INP_TYPE_JOB;
}

static guint
inp_job_queue_get_n_items (GListModel *model)
{
  return INP_JOB_QUEUE (model)->entries->len;
}

static gpointer
inp_job_queue_get_item (GListModel *model,
                        guint       position)
{
  InpJobQueue *self = INP_JOB_QUEUE (model);
  Entry *entry;

  if (position >= self->entries->len)
    return NULL;

  entry = g_ptr_array_index (self->entries, position);

  return g_object_ref (entry->job);
}

static void
inp_job_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = inp_job_queue_get_item_type;
  iface->get_n_items = inp_job_queue_get_n_items;
  iface->get_item = inp_job_queue_get_item;
}

/**
 * inp_job_queue_new:
 * @max_running: how many jobs may run at once (at least 1)
 *
 * Returns: (transfer full): an empty queue; a #GListModel of its #InpJob<!-- -->s, newest first.
 */
InpJobQueue *
inp_job_queue_new (int max_running)
{
  return g_object_new (INP_TYPE_JOB_QUEUE,
                       "max-running", MAX (max_running, 1),
                       NULL);
}

static Entry *
find_entry (InpJobQueue *self,
            InpJob      *job,
            guint       *position)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->job == job)
        {
          if (position != NULL)
            *position = i;
          return entry;
        }
    }

  return NULL;
}

static void
set_n_running (InpJobQueue *self,
               guint        n_running)
{
  if (self->n_running == n_running)
    return;

  self->n_running = n_running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
}

static void start_waiting (InpJobQueue *self);

static void
job_run_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(InpJobQueue) self = user_data;
  InpJob *job = INP_JOB (source);
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry;

  paths = inp_job_run_finish (job, result, &error);
  set_n_running (self, self->n_running - 1);

  /* The job may have been removed while it ran. */
  entry = find_entry (self, job, NULL);
  if (entry != NULL)
    {
      entry->running = FALSE;
      entry->finished_us = g_get_monotonic_time ();
      g_clear_error (&entry->error);
      entry->error = g_steal_pointer (&error);
      g_debug ("job-queue: %s finished: %s", inp_model_get_id (inp_job_get_model (job)),
               entry->error != NULL ? entry->error->message : "succeeded");
      g_signal_emit (self, signals[JOB_FINISHED], 0, job);
    }

  start_waiting (self);
}

static void
start_entry (InpJobQueue *self,
             Entry       *entry)
{
  g_assert (!entry->running);
  g_assert (inp_job_get_state (entry->job) == INP_JOB_STATE_READY);

  entry->running = TRUE;
  entry->started_us = g_get_monotonic_time ();
  set_n_running (self, self->n_running + 1);
  inp_job_run_async (entry->job, entry->cancellable, job_run_cb, g_object_ref (self));
}

static gboolean
needs_network (InpJob *job)
{
  return inp_endpoint_get_needs_network (inp_client_get_endpoint (inp_job_get_client (job)));
}

static gboolean
is_ready (Entry *entry)
{
  return !entry->running && inp_job_get_state (entry->job) == INP_JOB_STATE_READY;
}

static void
start_waiting (InpJobQueue *self)
{
  /* Oldest first: they are at the end. */
  for (guint i = self->entries->len; i > 0 && self->n_running < (guint) self->max_running; i--)
    {
      Entry *entry = g_ptr_array_index (self->entries, i - 1);

      /* Sent while offline, a job would only fail: it waits for the network instead. */
      if (is_ready (entry) && (self->online || !needs_network (entry->job)))
        start_entry (self, entry);
    }
}

/**
 * inp_job_queue_add:
 * @job: a job that has not run
 *
 * Puts @job first in the list and starts it at once if fewer than #InpJobQueue:max-running jobs
 * run; otherwise it waits for one of them to finish.
 */
void
inp_job_queue_add (InpJobQueue *self,
                   InpJob      *job)
{
  Entry *entry;

  g_return_if_fail (INP_IS_JOB_QUEUE (self));
  g_return_if_fail (INP_IS_JOB (job));
  g_return_if_fail (inp_job_get_state (job) == INP_JOB_STATE_READY);
  g_return_if_fail (find_entry (self, job, NULL) == NULL);

  entry = g_new0 (Entry, 1);
  entry->id = ++self->last_id;
  entry->job = g_object_ref (job);
  entry->cancellable = g_cancellable_new ();
  g_ptr_array_insert (self->entries, 0, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);

  start_waiting (self);
}

/**
 * inp_job_queue_is_waiting:
 *
 * Returns: whether @job waits for a free slot
 */
gboolean
inp_job_queue_is_waiting (InpJobQueue *self,
                          InpJob      *job)
{
  Entry *entry;

  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), FALSE);

  entry = find_entry (self, job, NULL);

  return entry != NULL && is_ready (entry) && !inp_job_queue_is_waiting_for_network (self, job);
}

/**
 * inp_job_queue_is_waiting_for_network:
 *
 * Returns: whether @job has not started because the queue is offline (see #InpJobQueue:online);
 *   it starts by itself when the network is back
 */
gboolean
inp_job_queue_is_waiting_for_network (InpJobQueue *self,
                                      InpJob      *job)
{
  Entry *entry;

  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), FALSE);

  entry = find_entry (self, job, NULL);

  return entry != NULL && !self->online && is_ready (entry) && needs_network (job);
}

/**
 * inp_job_queue_get_job_id:
 *
 * Returns: a number for @job that stays the same when it is retried, or 0 when @job is not in
 *   the queue
 */
guint
inp_job_queue_get_job_id (InpJobQueue *self,
                          InpJob      *job)
{
  Entry *entry;

  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), 0);

  entry = find_entry (self, job, NULL);

  return entry != NULL ? entry->id : 0;
}

/**
 * inp_job_queue_lookup_job:
 * @id: a number from inp_job_queue_get_job_id()
 *
 * Returns: (transfer none) (nullable): the job with @id (its latest retry), if still in the queue
 */
InpJob *
inp_job_queue_lookup_job (InpJobQueue *self,
                          guint        id)
{
  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->id == id)
        return entry->job;
    }

  return NULL;
}

/**
 * inp_job_queue_cancel:
 *
 * Cancels @job: a running job stops and its prediction is cancelled on the service (the job
 * finishes as cancelled shortly after); a waiting job leaves the queue.
 */
void
inp_job_queue_cancel (InpJobQueue *self,
                      InpJob      *job)
{
  Entry *entry;

  g_return_if_fail (INP_IS_JOB_QUEUE (self));
  g_return_if_fail (INP_IS_JOB (job));

  entry = find_entry (self, job, NULL);
  if (entry == NULL)
    return;

  if (entry->running)
    g_cancellable_cancel (entry->cancellable);
  else if (inp_job_get_state (job) == INP_JOB_STATE_READY)
    inp_job_queue_remove (self, job);
}

/**
 * inp_job_queue_retry:
 * @job: a job of the queue that failed or was cancelled
 *
 * Replaces @job with a copy that has the same model, values and files, and runs the copy.
 *
 * Returns: (transfer none): the new job
 */
InpJob *
inp_job_queue_retry (InpJobQueue *self,
                     InpJob      *job)
{
  g_autoptr(InpJob) copy = NULL;
  Entry *entry;
  guint id;

  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), NULL);
  g_return_val_if_fail (INP_IS_JOB (job), NULL);

  entry = find_entry (self, job, NULL);
  g_return_val_if_fail (entry != NULL && !entry->running, NULL);

  /* The copy keeps the number, so that whatever refers to the job (a notification) follows it. */
  id = entry->id;
  copy = inp_job_dup (job);
  inp_job_queue_remove (self, job);
  inp_job_queue_add (self, copy);
  find_entry (self, copy, NULL)->id = id;

  return copy;
}

/**
 * inp_job_queue_remove:
 *
 * Takes @job out of the list, cancelling it first if it runs.
 */
void
inp_job_queue_remove (InpJobQueue *self,
                      InpJob      *job)
{
  guint position;
  Entry *entry;

  g_return_if_fail (INP_IS_JOB_QUEUE (self));
  g_return_if_fail (INP_IS_JOB (job));

  entry = find_entry (self, job, &position);
  if (entry == NULL)
    return;

  if (entry->running)
    g_cancellable_cancel (entry->cancellable);
  g_ptr_array_remove_index (self->entries, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/**
 * inp_job_queue_cancel_all:
 *
 * Cancels every running job and drops the waiting ones, as when the window closes.
 */
void
inp_job_queue_cancel_all (InpJobQueue *self)
{
  g_return_if_fail (INP_IS_JOB_QUEUE (self));

  for (guint i = self->entries->len; i > 0; i--)
    {
      Entry *entry = g_ptr_array_index (self->entries, i - 1);

      inp_job_queue_cancel (self, entry->job);
    }
}

/**
 * inp_job_queue_get_error:
 *
 * Returns: (nullable): why @job failed, or %NULL while it runs or after it succeeded
 */
const GError *
inp_job_queue_get_error (InpJobQueue *self,
                         InpJob      *job)
{
  Entry *entry;

  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), NULL);

  entry = find_entry (self, job, NULL);

  return entry != NULL ? entry->error : NULL;
}

/**
 * inp_job_queue_get_elapsed:
 *
 * Returns: the seconds @job has run, or ran until it finished; 0 while it waits
 */
double
inp_job_queue_get_elapsed (InpJobQueue *self,
                           InpJob      *job)
{
  Entry *entry;
  gint64 end;

  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), 0);

  entry = find_entry (self, job, NULL);
  if (entry == NULL || entry->started_us == 0)
    return 0;

  end = entry->running || entry->finished_us == 0 ? g_get_monotonic_time () : entry->finished_us;

  return (end - entry->started_us) / (double) G_USEC_PER_SEC;
}

int
inp_job_queue_get_max_running (InpJobQueue *self)
{
  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), 1);

  return self->max_running;
}

/**
 * inp_job_queue_set_max_running:
 * @max_running: how many jobs may run at once (at least 1)
 *
 * A higher limit starts waiting jobs at once; a lower one lets running jobs finish.
 */
void
inp_job_queue_set_max_running (InpJobQueue *self,
                               int          max_running)
{
  g_return_if_fail (INP_IS_JOB_QUEUE (self));

  max_running = MAX (max_running, 1);
  if (self->max_running == max_running)
    return;

  self->max_running = max_running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RUNNING]);
  start_waiting (self);
}

guint
inp_job_queue_get_n_running (InpJobQueue *self)
{
  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), 0);

  return self->n_running;
}

/**
 * inp_job_queue_get_online:
 *
 * Returns: whether jobs that need the network may start (see #InpJobQueue:network-monitor)
 */
gboolean
inp_job_queue_get_online (InpJobQueue *self)
{
  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), TRUE);

  return self->online;
}

static void
update_online (InpJobQueue *self)
{
  gboolean online = TRUE;

  /* Limited or captive connectivity may still reach a relay on the local network: only a
   * machine with no route out at all is offline. */
  if (self->monitor != NULL)
    online = g_network_monitor_get_network_available (self->monitor)
             && g_network_monitor_get_connectivity (self->monitor) != G_NETWORK_CONNECTIVITY_LOCAL;

  if (self->online == online)
    return;

  g_debug ("job-queue: %s", online ? "online" : "offline; new jobs wait for the network");
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
  if (online)
    start_waiting (self);
}

static void
network_changed_cb (InpJobQueue     *self,
                    GParamSpec      *pspec,
                    GNetworkMonitor *monitor)
{
  update_online (self);
}

/**
 * inp_job_queue_get_network_monitor:
 *
 * Returns: (transfer none) (nullable): the monitor that says whether the queue is online
 */
GNetworkMonitor *
inp_job_queue_get_network_monitor (InpJobQueue *self)
{
  g_return_val_if_fail (INP_IS_JOB_QUEUE (self), NULL);

  return self->monitor;
}

/**
 * inp_job_queue_set_network_monitor:
 * @monitor: (nullable): usually g_network_monitor_get_default(); %NULL to be always online
 *
 * While @monitor says the network is unavailable, jobs whose endpoint needs the network (see
 * inp_endpoint_get_needs_network()) wait in the queue instead of failing; they start by
 * themselves when it comes back. Jobs that already run are left to their own retries.
 */
void
inp_job_queue_set_network_monitor (InpJobQueue     *self,
                                   GNetworkMonitor *monitor)
{
  g_return_if_fail (INP_IS_JOB_QUEUE (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, network_changed_cb, self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    {
      g_signal_connect_object (monitor, "notify::network-available",
                               G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (monitor, "notify::connectivity",
                               G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_MONITOR]);
  update_online (self);
}

static void
inp_job_queue_dispose (GObject *object)
{
  InpJobQueue *self = INP_JOB_QUEUE (object);

  /* Running jobs hold a reference to the queue, so only an idle queue gets here. */
  inp_job_queue_cancel_all (self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, network_changed_cb, self);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (inp_job_queue_parent_class)->dispose (object);
}

static void
inp_job_queue_finalize (GObject *object)
{
  InpJobQueue *self = INP_JOB_QUEUE (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (inp_job_queue_parent_class)->finalize (object);
}

static void
inp_job_queue_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  InpJobQueue *self = INP_JOB_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_RUNNING:
      g_value_set_int (value, self->max_running);
      break;

    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;

    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_job_queue_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  InpJobQueue *self = INP_JOB_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_RUNNING:
      inp_job_queue_set_max_running (self, g_value_get_int (value));
      break;

    case PROP_NETWORK_MONITOR:
      inp_job_queue_set_network_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_job_queue_class_init (InpJobQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = inp_job_queue_dispose;
  object_class->finalize = inp_job_queue_finalize;
  object_class->get_property = inp_job_queue_get_property;
  object_class->set_property = inp_job_queue_set_property;

  /**
   * InpJobQueue:max-running:
   *
   * How many jobs may run at once; bound to the `concurrent-jobs` setting by the window.
   */
  properties[PROP_MAX_RUNNING] =
    g_param_spec_int ("max-running", NULL, NULL, 1, G_MAXINT, INP_JOB_QUEUE_DEFAULT_MAX_RUNNING,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpJobQueue:n-running:
   *
   * How many jobs run now.
   */
  properties[PROP_N_RUNNING] =
    g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpJobQueue:network-monitor:
   *
   * What says whether the network is there; %NULL (the default) means always online. The window
   * sets g_network_monitor_get_default().
   */
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpJobQueue:online:
   *
   * Whether jobs that need the network may start; while %FALSE they wait in the queue.
   */
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InpJobQueue::job-finished:
   * @job: the job, still in the queue; inp_job_queue_get_error() says why it failed
   *
   * Emitted when a job of the queue has succeeded, failed or been cancelled.
   */
  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, INP_TYPE_JOB);
}

static void
inp_job_queue_init (InpJobQueue *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->max_running = INP_JOB_QUEUE_DEFAULT_MAX_RUNNING;
  self->online = TRUE;
}
