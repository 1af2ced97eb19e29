/* inp-job-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "inp-job-row.h"

/* Only the end of long logs is shown: it is what says where the model is. */
#define LOGS_TAIL_BYTES 4096

struct _InpJobRow
{
  GtkListBoxRow   parent_instance;

  /* Template widgets */
  GtkLabel       *title_label;
  GtkLabel       *status_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *message_label;
  GtkExpander    *logs_expander;
  GtkLabel       *logs_label;
  GtkWidget      *cancel_button;
  GtkWidget      *retry_button;
  GtkWidget      *dismiss_button;

  InpJobQueue    *queue;
  InpJob         *job;
  InpPrediction  *prediction;
  guint           tick_id;
};

G_DEFINE_FINAL_TYPE (InpJobRow, inp_job_row, GTK_TYPE_LIST_BOX_ROW)

static const char *
state_text (InpJobRow *self)
{
  if (inp_job_queue_is_waiting_for_network (self->queue, self->job))
    /* Translators: a job's state while the computer is offline; it starts by itself later. */
    return _("Waiting for network");
  if (inp_job_queue_is_waiting (self->queue, self->job))
    return _("Waiting for a free slot");

  switch (inp_job_get_state (self->job))
    {
    case INP_JOB_STATE_READY:
      /* Translators: the state of a running job: its inputs are being prepared */
      return _("Preparing");
    case INP_JOB_STATE_UPLOADING:
      return _("Sending the picture");
    case INP_JOB_STATE_CREATING:
      return _("Starting");
    case INP_JOB_STATE_RUNNING:
      /* Translators: the state of a running job: the model is at work */
      return _("Running");
    case INP_JOB_STATE_DOWNLOADING:
      return _("Saving the results");
    case INP_JOB_STATE_SUCCEEDED:
      return _("Done");
    case INP_JOB_STATE_FAILED:
      return _("Failed");
    case INP_JOB_STATE_CANCELLED:
      return _("Cancelled");
    default:
      g_assert_not_reached ();
    }
}

/**
 * inp_job_row_dup_status:
 *
 * Returns: (transfer full): the status line, such as “Running · 12 s”
 */
char *
inp_job_row_dup_status (InpJobRow *self)
{
  g_return_val_if_fail (INP_IS_JOB_ROW (self), NULL);

  return g_strdup (gtk_label_get_label (self->status_label));
}

/**
 * inp_job_row_dup_message:
 *
 * Returns: (transfer full) (nullable): the failure shown, with the server's own detail
 */
char *
inp_job_row_dup_message (InpJobRow *self)
{
  g_return_val_if_fail (INP_IS_JOB_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;

  return g_strdup (gtk_label_get_label (self->message_label));
}

static gboolean
is_finished (InpJobRow *self)
{
  return inp_job_get_state (self->job) >= INP_JOB_STATE_SUCCEEDED;
}

static void
update_status (InpJobRow *self)
{
  double elapsed = inp_job_queue_get_elapsed (self->queue, self->job);
  g_autofree char *text = NULL;

  if (elapsed > 0)
    /* Translators: a job's state and how long it has run, such as “Running · 12 s”. */
    text = g_strdup_printf (_("%s · %.0f s"), state_text (self), elapsed);
  else
    text = g_strdup (state_text (self));

  gtk_label_set_label (self->status_label, text);
}

static gboolean
tick_cb (gpointer user_data)
{
  update_status (user_data);

  return G_SOURCE_CONTINUE;
}

static void
update (InpJobRow *self)
{
  gboolean finished = is_finished (self);
  InpJobState state = inp_job_get_state (self->job);
  const GError *error = inp_job_queue_get_error (self->queue, self->job);
  double progress = inp_job_get_progress (self->job);
  gboolean failed = state == INP_JOB_STATE_FAILED || state == INP_JOB_STATE_CANCELLED;

  update_status (self);

  if (state == INP_JOB_STATE_SUCCEEDED)
    gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  else if (progress >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), !finished);

  /* Cancelling by hand needs no explanation; every other failure keeps the server's words. */
  gtk_widget_set_visible (GTK_WIDGET (self->message_label),
                          error != NULL && state != INP_JOB_STATE_CANCELLED);
  if (error != NULL)
    gtk_label_set_label (self->message_label, error->message);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.cancel", !finished);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.retry", finished && failed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.dismiss", finished);
  gtk_widget_set_visible (self->cancel_button, !finished);
  gtk_widget_set_visible (self->retry_button, finished && failed);
  gtk_widget_set_visible (self->dismiss_button, finished);

  if (!finished && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (finished)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
logs_changed_cb (InpJobRow     *self,
                 GParamSpec    *pspec,
                 InpPrediction *prediction)
{
  const char *logs = inp_prediction_get_logs (prediction);
  gsize length = logs != NULL ? strlen (logs) : 0;
  const char *tail = logs;

  if (length > LOGS_TAIL_BYTES)
    tail = g_utf8_find_next_char (logs + length - LOGS_TAIL_BYTES, NULL);

  gtk_label_set_label (self->logs_label, tail != NULL ? tail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->logs_expander), length > 0);
}

static void
prediction_changed_cb (InpJobRow  *self,
                       GParamSpec *pspec,
                       InpJob     *job)
{
  InpPrediction *prediction = inp_job_get_prediction (job);

  if (prediction == self->prediction)
    return;

  if (self->prediction != NULL)
    g_signal_handlers_disconnect_by_func (self->prediction, logs_changed_cb, self);
  g_set_object (&self->prediction, prediction);
  if (prediction != NULL)
    {
      g_signal_connect_object (prediction, "notify::logs", G_CALLBACK (logs_changed_cb), self,
                               G_CONNECT_SWAPPED);
      logs_changed_cb (self, NULL, prediction);
    }
}

static void
job_changed_cb (InpJobRow  *self,
                GParamSpec *pspec,
                InpJob     *job)
{
  update (self);
}

static void
online_changed_cb (InpJobRow   *self,
                   GParamSpec  *pspec,
                   InpJobQueue *queue)
{
  update (self);
}

static void
job_finished_cb (InpJobRow   *self,
                 InpJob      *job,
                 InpJobQueue *queue)
{
  if (job == self->job)
    update (self);
}

/**
 * inp_job_row_new:
 * @queue: the queue that runs @job
 * @job: a job of @queue
 *
 * Returns: (transfer floating): a row that follows @job until it is destroyed.
 */
GtkWidget *
inp_job_row_new (InpJobQueue *queue,
                 InpJob      *job)
{
  InpJobRow *self;

  g_return_val_if_fail (INP_IS_JOB_QUEUE (queue), NULL);
  g_return_val_if_fail (INP_IS_JOB (job), NULL);

  self = g_object_new (INP_TYPE_JOB_ROW, NULL);
  self->queue = g_object_ref (queue);
  self->job = g_object_ref (job);
  gtk_label_set_label (self->title_label, inp_model_get_title (inp_job_get_model (job)));

  g_signal_connect_object (job, "notify::state", G_CALLBACK (job_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::progress", G_CALLBACK (job_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::prediction", G_CALLBACK (prediction_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (queue, "job-finished", G_CALLBACK (job_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (queue, "notify::online", G_CALLBACK (online_changed_cb), self,
                           G_CONNECT_SWAPPED);
  prediction_changed_cb (self, NULL, job);
  update (self);

  return GTK_WIDGET (self);
}

InpJob *
inp_job_row_get_job (InpJobRow *self)
{
  g_return_val_if_fail (INP_IS_JOB_ROW (self), NULL);

  return self->job;
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  InpJobRow *self = INP_JOB_ROW (widget);

  g_debug ("job-row: cancel %s", inp_model_get_id (inp_job_get_model (self->job)));
  inp_job_queue_cancel (self->queue, self->job);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  InpJobRow *self = INP_JOB_ROW (widget);
  g_autoptr(InpJobRow) hold = g_object_ref (self);

  /* The queue replaces the job, so this row goes away with it. */
  inp_job_queue_retry (self->queue, self->job);
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  InpJobRow *self = INP_JOB_ROW (widget);
  g_autoptr(InpJobRow) hold = g_object_ref (self);

  inp_job_queue_remove (self->queue, self->job);
}

static void
inp_job_row_dispose (GObject *object)
{
  InpJobRow *self = INP_JOB_ROW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->prediction != NULL)
    g_signal_handlers_disconnect_by_func (self->prediction, logs_changed_cb, self);
  g_clear_object (&self->prediction);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->job);
  g_clear_object (&self->queue);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_JOB_ROW);

  G_OBJECT_CLASS (inp_job_row_parent_class)->dispose (object);
}

static void
inp_job_row_class_init (InpJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inp_job_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, INP_RESOURCE_PREFIX "/inp-job-row.ui");
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, logs_expander);
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, logs_label);
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, InpJobRow, dismiss_button);

  gtk_widget_class_install_action (widget_class, "job.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "job.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "job.dismiss", NULL, dismiss_action);
}

static void
inp_job_row_init (InpJobRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->logs_expander), FALSE);
}
