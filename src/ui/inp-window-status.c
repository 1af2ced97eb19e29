/* inp-window-status.c: what the window tells the desktop: running jobs in its title, a
 * notification when a job ends while the user is elsewhere, and the offline state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "inp-endpoint.h"
#include "inp-input-roles.h"
#include "inp-window-private.h"

/* Enough of a prompt to recognise it in a notification. */
#define PROMPT_START_CHARS 60

/* The gallery is newest first, so a job that just ended is near its start; the search stops
 * here rather than load a whole large library for outputs that are gone. */
#define GALLERY_SEARCH_LIMIT 256

/* A job that ended while the window was not active, and that the user has not seen yet. */
typedef struct
{
  guint    job_id;
  gboolean succeeded;
  guint    n_outputs;
} Unseen;

static void
update_title (InpWindow *self)
{
  guint n_running = inp_job_queue_get_n_running (self->queue);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (n_running == 0)
    {
      title = g_strdup (_("Inpainter"));
      subtitle = g_strdup (self->picture_name != NULL ? self->picture_name : "");
    }
  else
    {
      g_autofree char *running = NULL;

      /* Translators: the window title while jobs run, which taskbars and window switchers
       * show; %u is how many jobs run. */
      title = g_strdup_printf (ngettext ("Inpainter — %u running", "Inpainter — %u running",
                                         n_running),
                               n_running);
      /* Translators: under the window title while jobs run; %u is how many jobs run. */
      running = g_strdup_printf (ngettext ("%u job running", "%u jobs running", n_running),
                                 n_running);
      if (self->picture_name != NULL)
        /* Translators: under the window title: the open picture's name and how many jobs
         * run, such as “holiday.png · 2 jobs running”. */
        subtitle = g_strdup_printf (_("%s · %s"), self->picture_name, running);
      else
        subtitle = g_steal_pointer (&running);
    }

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
n_running_changed_cb (InpWindow   *self,
                      GParamSpec  *pspec,
                      InpJobQueue *queue)
{
  update_title (self);
}

/* @name, the open picture's file name, is shown under the window title beside the number of
 * running jobs. */
void
inp_window_status_set_picture_name (InpWindow  *self,
                                    const char *name)
{
  g_free (self->picture_name);
  self->picture_name = g_strdup (name);
  update_title (self);
}

/* The sandbox runs on this machine: going offline changes nothing for its jobs. */
void
inp_window_status_update (InpWindow *self)
{
  gboolean needs_network;

  /* Nothing to show once the window is being disposed. */
  if (self->queue == NULL)
    return;

  needs_network = self->client == NULL
                  || inp_endpoint_get_needs_network (inp_client_get_endpoint (self->client));
  gtk_revealer_set_reveal_child (self->offline_revealer,
                                 needs_network && !inp_job_queue_get_online (self->queue));
}

static void
online_changed_cb (InpWindow   *self,
                   GParamSpec  *pspec,
                   InpJobQueue *queue)
{
  inp_window_status_update (self);
}

static char *
dup_notification_id (InpWindow *self,
                     guint      job_id)
{
  guint window_id = gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self));

  /* Job 0 stands for the summary of several. */
  if (job_id == 0)
    return g_strdup_printf ("jobs-%u", window_id);

  return g_strdup_printf ("job-%u-%u", window_id, job_id);
}

static void
withdraw (InpWindow *self,
          guint      job_id)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *id = dup_notification_id (self, job_id);

  if (application != NULL)
    g_application_withdraw_notification (G_APPLICATION (application), id);
}

/* The user is back: what ended meanwhile is in front of them, so its notifications go. */
static void
withdraw_all (InpWindow *self)
{
  if (self->unseen == NULL || self->unseen->len == 0)
    return;

  g_debug ("window: withdrawing the notifications of %u jobs", self->unseen->len);
  for (guint i = 0; i < self->unseen->len; i++)
    withdraw (self, g_array_index (self->unseen, Unseen, i).job_id);
  if (self->unseen->len > 1)
    withdraw (self, 0);
  g_array_set_size (self->unseen, 0);
}

static void
active_changed_cb (InpWindow  *self,
                   GParamSpec *pspec,
                   gpointer    unused)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    withdraw_all (self);
}

/* “Model: “the start of the prompt…””, or the model alone when it has no prompt. */
static char *
describe_job (InpJob *job)
{
  InpModel *model = inp_job_get_model (job);
  const char *input = inp_model_find_input_with_role (model, INP_INPUT_ROLE_PROMPT);
  JsonObject *values = inp_job_get_values (job);
  const char *prompt = NULL;
  g_autofree char *start = NULL;

  if (input != NULL && json_object_has_member (values, input))
    {
      JsonNode *node = json_object_get_member (values, input);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        prompt = json_node_get_string (node);
    }

  if (prompt != NULL)
    start = g_strstrip (g_strdup (prompt));
  if (start == NULL || *start == '\0')
    return g_strdup (inp_model_get_title (model));

  g_strdelimit (start, "\n\r\t", ' ');
  if (g_utf8_strlen (start, -1) > PROMPT_START_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (start, 0, PROMPT_START_CHARS - 1);
      const char *rest = g_utf8_offset_to_pointer (start, PROMPT_START_CHARS - 1);
      char *space = strrchr (cut, ' ');

      /* At a word's end, unless that drops most of it. */
      if (*rest != ' ' && space != NULL && space - cut > PROMPT_START_CHARS / 2)
        *space = '\0';
      g_free (start);
      start = g_strconcat (g_strchomp (cut), "…", NULL);
    }

  /* Translators: a notification's text: a model's title and the start of the prompt. */
  return g_strdup_printf (_("%s: “%s”"), inp_model_get_title (model), start);
}

static void
send_notification (InpWindow  *self,
                   guint       notification_job_id,
                   guint       target_job_id,
                   const char *title,
                   const char *body)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autofree char *id = dup_notification_id (self, notification_job_id);
  guint window_id = gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self));

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-job", "(uu)",
                                                window_id, target_job_id);
  g_debug ("window: notifying %s", id);
  g_application_send_notification (G_APPLICATION (application), id, notification);
}

static void
notify_summary (InpWindow *self,
                InpJob    *latest,
                guint      latest_id)
{
  guint n_pictures = 0;
  guint n_failed = 0;
  guint target_id = latest_id;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  /* A click shows the last failure, with its reason, rather than the pictures that are fine. */
  for (guint i = 0; i < self->unseen->len; i++)
    {
      Unseen *unseen = &g_array_index (self->unseen, Unseen, i);

      if (unseen->succeeded)
        {
          n_pictures += unseen->n_outputs;
        }
      else
        {
          n_failed++;
          target_id = unseen->job_id;
        }
    }

  if (n_pictures > 0)
    /* Translators: a notification's title when several jobs ended while the user was away. */
    title = g_strdup_printf (ngettext ("%u picture is ready", "%u pictures are ready", n_pictures),
                             n_pictures);
  else
    /* Translators: a notification's title or text when jobs ended while the user was away. */
    title = g_strdup_printf (ngettext ("%u job failed", "%u jobs failed", n_failed), n_failed);

  if (n_pictures > 0 && n_failed > 0)
    body = g_strdup_printf (ngettext ("%u job failed", "%u jobs failed", n_failed), n_failed);
  else
    body = describe_job (latest);

  send_notification (self, 0, target_id, title, body);
}

static void
job_finished_cb (InpWindow   *self,
                 InpJob      *job,
                 InpJobQueue *queue)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  InpJobState state = inp_job_get_state (job);
  guint job_id = inp_job_queue_get_job_id (queue, job);
  GPtrArray *paths = inp_job_get_output_paths (job);
  Unseen unseen = { job_id, state == INP_JOB_STATE_SUCCEEDED, paths != NULL ? paths->len : 0 };
  guint i;

  /* A job the user cancelled needs no news; one they watched end neither. */
  if ((state != INP_JOB_STATE_SUCCEEDED && state != INP_JOB_STATE_FAILED)
      || gtk_window_is_active (GTK_WINDOW (self))
      || application == NULL || !g_application_get_is_registered (G_APPLICATION (application)))
    return;

  /* A retry ends under the number of the job it replaced. */
  for (i = 0; i < self->unseen->len; i++)
    {
      if (g_array_index (self->unseen, Unseen, i).job_id == job_id)
        break;
    }
  if (i < self->unseen->len)
    g_array_index (self->unseen, Unseen, i) = unseen;
  else
    g_array_append_val (self->unseen, unseen);

  if (self->unseen->len == 1)
    {
      g_autofree char *body = describe_job (job);
      const char *title;

      if (unseen.succeeded)
        /* Translators: a notification's title, shown when the user is in another window. */
        title = _("Inpainting finished");
      else
        /* Translators: a notification's title, shown when the user is in another window. */
        title = _("Inpainting failed");
      send_notification (self, job_id, job_id, title, body);
      return;
    }

  /* Several: one notification that sums them up rather than a pile. */
  for (i = 0; i < self->unseen->len; i++)
    withdraw (self, g_array_index (self->unseen, Unseen, i).job_id);
  notify_summary (self, job, job_id);
}

/* Selects the first output of the library job @library_id in the gallery. */
static gboolean
select_outputs (InpWindow *self,
                gint64     library_id)
{
  GListModel *outputs;
  guint n;

  if (self->gallery == NULL || library_id <= 0)
    return FALSE;

  outputs = inp_gallery_get_model (self->gallery);
  n = MIN (g_list_model_get_n_items (outputs), GALLERY_SEARCH_LIMIT);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InpLibraryOutput) output = g_list_model_get_item (outputs, i);

      if (inp_library_output_get_job_id (output) == library_id)
        {
          inp_gallery_select (self->gallery, i);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * inp_window_show_job:
 * @job_id: a number from inp_job_queue_get_job_id()
 *
 * Presents the window with the job's results selected in the gallery, or its row in the list
 * of jobs when it has none (it failed, or still runs): what a notification's click shows.
 *
 * Returns: whether the job is still in the window's queue
 */
gboolean
inp_window_show_job (InpWindow *self,
                     guint      job_id)
{
  InpJob *job;
  GtkWidget *row;

  g_return_val_if_fail (INP_IS_WINDOW (self), FALSE);

  gtk_window_present (GTK_WINDOW (self));

  /* A job dismissed meanwhile has its results in the gallery, if it had any. */
  job = job_id > 0 ? inp_job_queue_lookup_job (self->queue, job_id) : NULL;
  if (job == NULL)
    {
      gtk_stack_set_visible_child_name (self->results_stack, "gallery");
      return FALSE;
    }

  if (inp_job_get_state (job) == INP_JOB_STATE_SUCCEEDED
      && select_outputs (self, inp_job_get_library_id (job)))
    {
      gtk_stack_set_visible_child_name (self->results_stack, "gallery");
      return TRUE;
    }

  gtk_stack_set_visible_child_name (self->results_stack, "jobs");
  row = inp_window_find_job_row (self, job);
  if (row != NULL)
    gtk_widget_grab_focus (row);

  return TRUE;
}

void
inp_window_status_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, InpWindow, offline_revealer);
}

void
inp_window_status_init (InpWindow *self)
{
  self->unseen = g_array_new (FALSE, FALSE, sizeof (Unseen));

  g_signal_connect_object (self->queue, "notify::n-running", G_CALLBACK (n_running_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::online", G_CALLBACK (online_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "job-finished", G_CALLBACK (job_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_changed_cb), NULL);

  inp_job_queue_set_network_monitor (self->queue, g_network_monitor_get_default ());
  update_title (self);
  inp_window_status_update (self);
}

void
inp_window_status_dispose (InpWindow *self)
{
  /* Their action would find no window. */
  withdraw_all (self);
  g_clear_pointer (&self->unseen, g_array_unref);
  g_clear_pointer (&self->picture_name, g_free);
}
