/* inp-history-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "inp-history-row.h"

struct _InpHistoryRow
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkWidget     *box;
  GtkStack      *thumbnail_stack;
  GtkImage      *picture;
  GtkLabel      *prompt_label;
  GtkLabel      *model_label;
  GtkLabel      *date_label;
  GtkLabel      *status_label;

  InpLibraryJob *job;
};

G_DEFINE_FINAL_TYPE (InpHistoryRow, inp_history_row, GTK_TYPE_WIDGET)

/* The row's menu and buttons name no job; these pass the row's own to the view's actions. */
static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  InpHistoryRow *self = INP_HISTORY_ROW (widget);
  g_autofree char *target = NULL;

  if (self->job == NULL)
    return;

  target = g_strconcat ("history.", action_name + strlen ("row."), NULL);
  gtk_widget_activate_action (widget, target, "x", inp_library_job_get_id (self->job));
}

static void
inp_history_row_dispose (GObject *object)
{
  InpHistoryRow *self = INP_HISTORY_ROW (object);

  g_clear_object (&self->job);
  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_HISTORY_ROW);

  G_OBJECT_CLASS (inp_history_row_parent_class)->dispose (object);
}

static void
inp_history_row_class_init (InpHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inp_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, InpHistoryRow, box);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryRow, thumbnail_stack);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryRow, picture);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryRow, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryRow, model_label);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, InpHistoryRow, status_label);

  gtk_widget_class_install_action (widget_class, "row.restore", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "row.run-again", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "row.open-folder", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "row.delete", NULL, forward_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* Tooltips are asked for, not set at each bind: in GTK 4.8 setting a tooltip on a visible widget
 * queries the pointer, a round trip to the display server, and scrolling binds many rows. */
static gboolean
prompt_tooltip_cb (InpHistoryRow *self,
                   int            x,
                   int            y,
                   gboolean       keyboard,
                   GtkTooltip    *tooltip,
                   GtkWidget     *label)
{
  const char *prompt = self->job != NULL ? inp_library_job_get_prompt (self->job) : NULL;

  if (prompt == NULL || *prompt == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, prompt);
  return TRUE;
}

static gboolean
status_tooltip_cb (InpHistoryRow *self,
                   int            x,
                   int            y,
                   gboolean       keyboard,
                   GtkTooltip    *tooltip,
                   GtkWidget     *label)
{
  const char *status = gtk_label_get_text (self->status_label);

  if (*status == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, status);
  return TRUE;
}

static void
inp_history_row_init (InpHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->prompt_label), TRUE);
  g_signal_connect_swapped (self->prompt_label, "query-tooltip", G_CALLBACK (prompt_tooltip_cb),
                            self);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->status_label), TRUE);
  g_signal_connect_swapped (self->status_label, "query-tooltip", G_CALLBACK (status_tooltip_cb),
                            self);
}

GtkWidget *
inp_history_row_new (void)
{
  return g_object_new (INP_TYPE_HISTORY_ROW, NULL);
}

/**
 * inp_history_row_get_job:
 *
 * Returns: (transfer none) (nullable): the job the row shows.
 */
InpLibraryJob *
inp_history_row_get_job (InpHistoryRow *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_ROW (self), NULL);

  return self->job;
}

/**
 * inp_history_format_date:
 * @date: when a job was made
 * @now: the present, in the same time zone as the user sees it
 *
 * Returns: (transfer full): @date relative to @now, as a person reads a list: "Today 14:02",
 *   "Yesterday 09:15", "3 March", "3 March 2025".
 */
char *
inp_history_format_date (GDateTime *date,
                         GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) yesterday = NULL;

  g_return_val_if_fail (date != NULL && now != NULL, NULL);

  local = g_date_time_to_timezone (date, g_date_time_get_timezone (now));
  local_now = g_date_time_ref (now);
  today = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                           g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                           0, 0, 0);
  yesterday = g_date_time_add_days (today, -1);

  if (g_date_time_compare (local, today) >= 0)
    /* Translators: a time today, in g_date_time_format() notation: "Today 14:02". */
    return g_date_time_format (local, _("Today %H:%M"));
  if (g_date_time_compare (local, yesterday) >= 0)
    /* Translators: a time yesterday, in g_date_time_format() notation. */
    return g_date_time_format (local, _("Yesterday %H:%M"));
  if (g_date_time_get_year (local) == g_date_time_get_year (local_now))
    /* Translators: a day this year, in g_date_time_format() notation: "3 March". */
    return g_date_time_format (local, _("%-d %B"));
  /* Translators: a day of another year, in g_date_time_format() notation: "3 March 2025". */
  return g_date_time_format (local, _("%-d %B %Y"));
}

/* What a person needs to know about a job that did not simply succeed, with the reason. */
static char *
status_text (InpLibraryJob *job)
{
  InpLibraryJobStatus status = inp_library_job_get_status (job);
  const char *reason = inp_library_job_get_error (job);
  gboolean has_reason = reason != NULL && *reason != '\0';

  switch (status)
    {
    case INP_LIBRARY_JOB_STATUS_SUCCEEDED:
      return NULL;
    case INP_LIBRARY_JOB_STATUS_FAILED:
      /* Translators: %s is why the job failed, in the service's words. */
      return has_reason ? g_strdup_printf (_("Failed: %s"), reason) : g_strdup (_("Failed"));
    case INP_LIBRARY_JOB_STATUS_EXPIRED:
      /* Translators: %s is why the results are gone. */
      return has_reason ? g_strdup_printf (_("Expired: %s"), reason)
                        : g_strdup (_("Expired: the service no longer has the results"));
    case INP_LIBRARY_JOB_STATUS_NOT_SENT:
      /* Translators: %s is why the job never reached the service. */
      return has_reason ? g_strdup_printf (_("Not sent: %s"), reason)
                        : g_strdup (_("Not sent: it can be run again"));
    case INP_LIBRARY_JOB_STATUS_PENDING:
    case INP_LIBRARY_JOB_STATUS_STARTING:
    case INP_LIBRARY_JOB_STATUS_PROCESSING:
    case INP_LIBRARY_JOB_STATUS_DOWNLOADING:
    case INP_LIBRARY_JOB_STATUS_CANCELED:
    default:
      return g_strdup (inp_library_job_status_get_label (status));
    }
}

static gboolean
status_is_problem (InpLibraryJobStatus status)
{
  return status == INP_LIBRARY_JOB_STATUS_FAILED ||
         status == INP_LIBRARY_JOB_STATUS_EXPIRED ||
         status == INP_LIBRARY_JOB_STATUS_NOT_SENT;
}

/**
 * inp_history_row_set_job:
 * @job: (nullable): the job to show
 * @model_title: (nullable): the model's title, or %NULL to show its id
 * @now: the present, for relative dates
 *
 * Shows @job. The thumbnail is cleared: the view loads it off the main loop.
 */
void
inp_history_row_set_job (InpHistoryRow *self,
                         InpLibraryJob *job,
                         const char    *model_title,
                         GDateTime     *now)
{
  g_autofree char *date = NULL;
  g_autofree char *status = NULL;
  g_autofree char *label = NULL;
  const char *prompt;

  g_return_if_fail (INP_IS_HISTORY_ROW (self));
  g_return_if_fail (job == NULL || INP_IS_LIBRARY_JOB (job));

  g_set_object (&self->job, job);
  inp_history_row_set_thumbnail (self, NULL);
  if (job == NULL)
    return;

  prompt = inp_library_job_get_prompt (job);
  if (prompt == NULL || *prompt == '\0')
    {
      gtk_label_set_text (self->prompt_label, _("No prompt"));
      gtk_widget_add_css_class (GTK_WIDGET (self->prompt_label), "dim-label");
    }
  else
    {
      g_autofree char *one_line = g_strdelimit (g_strdup (prompt), "\r\n\t", ' ');

      gtk_label_set_text (self->prompt_label, one_line);
      gtk_widget_remove_css_class (GTK_WIDGET (self->prompt_label), "dim-label");
    }

  gtk_label_set_text (self->model_label,
                      model_title != NULL ? model_title : inp_library_job_get_model (job));

  date = inp_history_format_date (inp_library_job_get_created (job), now);
  gtk_label_set_text (self->date_label, date);

  status = status_text (job);
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  if (status_is_problem (inp_library_job_get_status (job)))
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.restore",
                                 inp_library_job_get_model (job) != NULL);

  /* Translators: a history row for screen readers: the model, when, then the prompt. */
  label = g_strdup_printf (_("%s, %s: %s"), gtk_label_get_text (self->model_label), date,
                           gtk_label_get_text (self->prompt_label));
  if (status != NULL)
    {
      g_autofree char *with_status = g_strdup_printf ("%s. %s", label, status);

      g_free (label);
      label = g_steal_pointer (&with_status);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/**
 * inp_history_row_set_thumbnail:
 * @thumbnail: (nullable): the first output, at display size
 */
void
inp_history_row_set_thumbnail (InpHistoryRow *self,
                               GdkPaintable  *thumbnail)
{
  g_return_if_fail (INP_IS_HISTORY_ROW (self));

  gtk_image_set_from_paintable (self->picture, thumbnail);
  gtk_stack_set_visible_child_name (self->thumbnail_stack,
                                    thumbnail != NULL ? "picture" : "placeholder");
}

/**
 * inp_history_row_get_thumbnail:
 *
 * Returns: (transfer none) (nullable): the thumbnail shown, if any.
 */
GdkPaintable *
inp_history_row_get_thumbnail (InpHistoryRow *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_ROW (self), NULL);

  return gtk_image_get_paintable (self->picture);
}

const char *
inp_history_row_get_date_text (InpHistoryRow *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_ROW (self), NULL);

  return gtk_label_get_text (self->date_label);
}

/**
 * inp_history_row_get_status_text:
 *
 * Returns: the status as shown, "" for a job that succeeded.
 */
const char *
inp_history_row_get_status_text (InpHistoryRow *self)
{
  g_return_val_if_fail (INP_IS_HISTORY_ROW (self), NULL);

  return gtk_label_get_text (self->status_label);
}
