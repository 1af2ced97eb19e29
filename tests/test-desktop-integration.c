/* test-desktop-integration.c: notifications, running jobs in the title and the offline state,
 * with the whole window against a real sandbox and the notification server on the session bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "inp-application.h"
#include "inp-catalog.h"
#include "inp-job-row.h"
#include "inp-test-network.h"
#include "inp-test-notifications.h"
#include "inp-test-sandbox.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-window.h"

#define INPAINTING_MODEL "stability-ai/stable-diffusion-inpainting"

static InpSandbox *sandbox;
static char *picture_path;

static const char *
notification_string (InpTestNotificationCall *call,
                     const char              *key)
{
  const char *value = NULL;

  g_assert_true (g_variant_lookup (call->notification, key, "&s", &value));

  return value;
}

static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
header_subtitle (InpWindow *window)
{
  GtkWidget *title = find_descendant (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, NULL);

  g_assert_nonnull (title);

  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title));
}

static gboolean
offline_banner_shown (InpWindow *window)
{
  GtkWidget *banner = find_descendant (GTK_WIDGET (window), GTK_TYPE_BOX, "inp-offline-banner");

  g_assert_nonnull (banner);

  return gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (banner)));
}

static InpWindow *
ready_window (InpApplication *app,
              const char     *prompt)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), INPAINTING_MODEL);
  g_autoptr(GFile) file = g_file_new_for_path (picture_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  InpMaskRect rect = { 32, 32, 64, 64 };
  InpMaskCanvas *canvas;

  g_assert_true (INP_IS_WINDOW (window));
  inp_test_wait_for_frame (GTK_WIDGET (window));
  inp_test_wait_until (inp_window_get_client (INP_WINDOW (window)) != NULL, 30000);

  inp_window_open_async (INP_WINDOW (window), file, NULL, inp_test_result_cb, &result);
  g_assert_true (inp_window_open_finish (INP_WINDOW (window), inp_test_wait_result (&result, 10000),
                                         &error));
  g_assert_no_error (error);
  canvas = inp_window_get_canvas (INP_WINDOW (window));
  inp_mask_fill_rect (inp_mask_canvas_get_mask (canvas), &rect, INP_MASK_REPAINT);

  inp_model_picker_set_selected_model (inp_window_get_model_picker (INP_WINDOW (window)), model);
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (INP_WINDOW (window)), prompt);

  return INP_WINDOW (window);
}

/* Activates win.generate and returns the job it queued, once the canvas has been exported. */
static InpJob *
generate (InpWindow *window)
{
  GListModel *jobs = G_LIST_MODEL (inp_window_get_job_queue (window));
  guint before = g_list_model_get_n_items (jobs);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL));
  inp_test_wait_until (g_list_model_get_n_items (jobs) > before, 10000);

  return g_list_model_get_item (jobs, 0);
}

static void
wait_job (InpJob *job)
{
  inp_test_wait_until (inp_job_get_state (job) >= INP_JOB_STATE_SUCCEEDED, 60000);

  /* The queue's own callbacks, which notify and fill the row, run right after. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Another window takes the focus, as when the user switches to another application. */
static GtkWindow *
leave (InpWindow *window)
{
  GtkWindow *elsewhere = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (elsewhere, 200, 200);
  gtk_window_present (elsewhere);
  inp_test_wait_until (!gtk_window_is_active (GTK_WINDOW (window)), 10000);

  return elsewhere;
}

static char *
expected_body (const char *prompt)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), INPAINTING_MODEL);

  return g_strdup_printf ("%s: “%s”", inp_model_get_title (model), prompt);
}

static char *
job_notification_id (InpWindow *window,
                     InpJob    *job)
{
  return g_strdup_printf ("job-%u-%u",
                          gtk_application_window_get_id (GTK_APPLICATION_WINDOW (window)),
                          inp_job_queue_get_job_id (inp_window_get_job_queue (window), job));
}

static void
activated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Clicks the notification as GNOME Shell does: its default action, through the application's
 * actions on the bus. */
static void
click (InpApplication          *app,
       InpTestNotificationCall *call)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (app));
  const char *action = notification_string (call, "default-action");
  g_autoptr(GVariant) target = NULL;
  GVariant *parameter;
  gboolean done = FALSE;

  g_assert_nonnull (bus);
  g_assert_true (g_str_has_prefix (action, "app."));
  target = g_variant_lookup_value (call->notification, "default-action-target", NULL);
  g_assert_nonnull (target);
  parameter = g_variant_new_variant (target);
  g_dbus_connection_call (bus, g_dbus_connection_get_unique_name (bus),
                          g_application_get_dbus_object_path (G_APPLICATION (app)),
                          "org.gtk.Actions", "Activate",
                          g_variant_new ("(s@av@a{sv})", action + strlen ("app."),
                                         g_variant_new_array (G_VARIANT_TYPE_VARIANT, &parameter, 1),
                                         g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, activated_cb, &done);
  inp_test_wait_for (&done, 10000);
}

/* A job that ends while the user is elsewhere is announced; a click shows its result and takes
 * the notification away. */
static void
test_notify_when_away (InpApplication *app)
{
  InpWindow *window = ready_window (app, "a lighthouse at dusk, oil on canvas, with gulls circling "
                                         "over a stormy sea");
  g_autoptr(InpJob) job = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  InpLibraryOutput *selected;
  InpTestNotificationCall *call;

  g_assert_true (g_application_get_is_registered (G_APPLICATION (app)));
  inp_test_notifications_clear ();
  leave (window);
  job = generate (window);
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);

  id = job_notification_id (window, job);
  inp_test_wait_until (inp_test_notifications_find ("AddNotification", id) != NULL, 10000);
  call = inp_test_notifications_find ("AddNotification", id);
  g_assert_cmpstr (notification_string (call, "title"), ==, "Inpainting finished");
  /* The prompt's start: long prompts are cut at a word's end with an ellipsis. */
  body = expected_body ("a lighthouse at dusk, oil on canvas, with gulls circling…");
  g_assert_cmpstr (notification_string (call, "body"), ==, body);
  g_assert_cmpstr (notification_string (call, "default-action"), ==, "app.show-job");

  /* The click brings the window back with the job's picture selected in the gallery. */
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (
    GTK_WIDGET (inp_window_get_gallery (window)), GTK_TYPE_STACK)), "jobs");
  click (app, call);
  inp_test_wait_until (gtk_window_is_active (GTK_WINDOW (window)), 10000);
  inp_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (inp_window_get_gallery (window))));
  selected = inp_gallery_get_selected (inp_window_get_gallery (window));
  g_assert_nonnull (selected);
  g_assert_cmpint (inp_library_output_get_job_id (selected), ==, inp_job_get_library_id (job));

  /* Seen: the notification is withdrawn. */
  inp_test_wait_until (inp_test_notifications_find ("RemoveNotification", id) != NULL, 10000);

  inp_test_destroy_and_finalize (window);
}

static void
run_notify_when_away (void)
{
  inp_test_run_in_application (test_notify_when_away);
}

/* Nothing is announced to a user who watched the job end, or who cancelled it. */
static void
test_no_notification (InpApplication *app)
{
  InpWindow *window = ready_window (app, "a lighthouse");
  g_autoptr(InpJob) watched = NULL;
  g_autoptr(InpJob) cancelled = NULL;
  GtkWidget *row;

  inp_test_notifications_clear ();
  inp_test_wait_until (gtk_window_is_active (GTK_WINDOW (window)), 10000);
  watched = generate (window);
  wait_job (watched);
  g_assert_cmpint (inp_job_get_state (watched), ==, INP_JOB_STATE_SUCCEEDED);

  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "sandbox:slow a lighthouse");
  cancelled = generate (window);
  leave (window);
  row = inp_window_find_job_row (window, cancelled);
  g_assert_true (gtk_widget_activate_action (row, "job.cancel", NULL));
  wait_job (cancelled);
  g_assert_cmpint (inp_job_get_state (cancelled), ==, INP_JOB_STATE_CANCELLED);

  inp_test_notifications_sync ();
  g_assert_cmpuint (inp_test_notifications_count (), ==, 0);

  inp_test_destroy_and_finalize (window);
}

static void
run_no_notification (void)
{
  inp_test_run_in_application (test_no_notification);
}

/* Several jobs that end while the user is away make one notification, not a pile; a failure
 * says so, and the click shows the failed job's row with the reason. */
static void
test_several_when_away (InpApplication *app)
{
  InpWindow *window = ready_window (app, "sandbox:fail a lighthouse");
  g_autoptr(InpJob) failed = NULL;
  g_autoptr(InpJob) succeeded = NULL;
  g_autofree char *failed_id = NULL;
  g_autofree char *summary_id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *message = NULL;
  GtkWidget *row;
  InpTestNotificationCall *call;

  inp_test_notifications_clear ();
  leave (window);
  failed = generate (window);
  wait_job (failed);
  g_assert_cmpint (inp_job_get_state (failed), ==, INP_JOB_STATE_FAILED);
  failed_id = job_notification_id (window, failed);
  inp_test_wait_until (inp_test_notifications_find ("AddNotification", failed_id) != NULL, 10000);
  call = inp_test_notifications_find ("AddNotification", failed_id);
  g_assert_cmpstr (notification_string (call, "title"), ==, "Inpainting failed");
  body = expected_body ("sandbox:fail a lighthouse");
  g_assert_cmpstr (notification_string (call, "body"), ==, body);

  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "a lighthouse");
  succeeded = generate (window);
  wait_job (succeeded);
  summary_id = g_strdup_printf ("jobs-%u",
                                gtk_application_window_get_id (GTK_APPLICATION_WINDOW (window)));
  inp_test_wait_until (inp_test_notifications_find ("AddNotification", summary_id) != NULL, 10000);
  call = inp_test_notifications_find ("AddNotification", summary_id);
  g_assert_cmpstr (notification_string (call, "title"), ==, "1 picture is ready");
  g_assert_cmpstr (notification_string (call, "body"), ==, "1 job failed");
  g_assert_nonnull (inp_test_notifications_find ("RemoveNotification", failed_id));

  /* A click shows the failed job's row, with the reason. */
  click (app, call);
  inp_test_wait_until (gtk_window_is_active (GTK_WINDOW (window)), 10000);
  row = inp_window_find_job_row (window, failed);
  inp_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_true (gtk_widget_has_focus (row));
  message = inp_job_row_dup_message (INP_JOB_ROW (row));
  g_assert_nonnull (strstr (message, "ran out of memory"));
  inp_test_wait_until (inp_test_notifications_find ("RemoveNotification", summary_id) != NULL, 10000);

  inp_test_destroy_and_finalize (window);
}

static void
run_several_when_away (void)
{
  inp_test_run_in_application (test_several_when_away);
}

/* The title, which taskbars show, counts the running jobs, and is plain again after. */
static void
test_title (InpApplication *app)
{
  InpWindow *window = ready_window (app, "sandbox:slow a lighthouse");
  g_autoptr(InpJob) job = NULL;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Inpainter");
  g_assert_cmpstr (header_subtitle (window), ==, "holiday.png");

  job = generate (window);
  g_assert_cmpuint (inp_job_queue_get_n_running (inp_window_get_job_queue (window)), ==, 1);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Inpainter — 1 running");
  g_assert_cmpstr (header_subtitle (window), ==, "holiday.png · 1 job running");

  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Inpainter");
  g_assert_cmpstr (header_subtitle (window), ==, "holiday.png");

  inp_test_destroy_and_finalize (window);
}

static void
run_title (void)
{
  inp_test_run_in_application (test_title);
}

/* Offline, Generate still takes the job: it waits, sends nothing, and runs by itself once the
 * network is back. */
static void
test_offline (InpApplication *app)
{
  InpWindow *window = ready_window (app, "a lighthouse");
  g_autoptr(GNetworkMonitor) monitor = inp_test_network_monitor_new (TRUE);
  g_autoptr(InpJob) job = NULL;
  g_autofree char *status = NULL;
  g_autofree char *prompt = NULL;
  guint creates = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE);
  guint uploads = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES);
  GtkWidget *row;

  inp_job_queue_set_network_monitor (inp_window_get_job_queue (window), monitor);
  g_assert_false (offline_banner_shown (window));
  inp_test_network_monitor_set_available (INP_TEST_NETWORK_MONITOR (monitor), FALSE);
  g_assert_true (offline_banner_shown (window));

  job = generate (window);
  row = inp_window_find_job_row (window, job);
  status = inp_job_row_dup_status (INP_JOB_ROW (row));
  g_assert_cmpstr (status, ==, "Waiting for network");
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_READY);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, creates);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES), ==, uploads);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Inpainter");
  prompt = inp_prompt_panel_dup_prompt (inp_window_get_prompt_panel (window));
  g_assert_cmpstr (prompt, ==, "a lighthouse");

  inp_test_network_monitor_set_available (INP_TEST_NETWORK_MONITOR (monitor), TRUE);
  g_assert_false (offline_banner_shown (window));
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, creates + 1);
  g_clear_pointer (&status, g_free);
  status = inp_job_row_dup_status (INP_JOB_ROW (row));
  g_assert_true (g_str_has_prefix (status, "Done"));

  inp_job_queue_set_network_monitor (inp_window_get_job_queue (window), NULL);
  inp_test_destroy_and_finalize (window);
}

static void
run_offline (void)
{
  inp_test_run_in_application (test_offline);
}

/* The built-in sandbox runs on this machine: offline changes nothing for it. */
static void
test_offline_sandbox (InpApplication *app)
{
  InpWindow *window = ready_window (app, "a lighthouse");
  g_autoptr(GNetworkMonitor) monitor = inp_test_network_monitor_new (FALSE);
  g_autoptr(InpJob) job = NULL;
  g_autoptr(GError) error = NULL;

  inp_job_queue_set_network_monitor (inp_window_get_job_queue (window), monitor);
  g_assert_true (offline_banner_shown (window));
  g_assert_true (inp_window_use_sandbox (window, &error));
  g_assert_no_error (error);
  g_assert_false (offline_banner_shown (window));

  job = generate (window);
  g_assert_false (inp_job_queue_is_waiting_for_network (inp_window_get_job_queue (window), job));
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);

  inp_test_destroy_and_finalize (window);
}

static void
run_offline_sandbox (void)
{
  inp_test_run_in_application (test_offline_sandbox);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  int status;

  dir = inp_test_make_temp_dir ();
  data_dir = inp_test_set_user_dirs (dir);
  /* GNOME Shell's interface first, whatever else the machine offers. */
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);

  if (inp_test_ui_init (&argc, &argv))
    {
      inp_test_notifications_take ();
      sandbox = inp_test_sandbox_start ("/v1");
      inp_test_sandbox_use_in_app (sandbox);
    }

  picture_path = inp_test_write_png (dir, "holiday.png", 128, 128);

  inp_test_ui_add_func ("/ui/desktop-integration/notify-when-away", run_notify_when_away);
  inp_test_ui_add_func ("/ui/desktop-integration/no-notification", run_no_notification);
  inp_test_ui_add_func ("/ui/desktop-integration/several-when-away", run_several_when_away);
  inp_test_ui_add_func ("/ui/desktop-integration/title", run_title);
  inp_test_ui_add_func ("/ui/desktop-integration/offline", run_offline);
  inp_test_ui_add_func ("/ui/desktop-integration/offline-sandbox", run_offline_sandbox);

  status = g_test_run ();

  if (sandbox != NULL)
    inp_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  inp_test_remove_tree (dir);
  g_free (picture_path);

  return status;
}
