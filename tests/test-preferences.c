/* test-preferences.c: the preferences window: settings, the token in the keyring, and the
 * connection test against the sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <string.h>

#include "inp-endpoint.h"
#include "inp-error.h"
#include "inp-preferences-window.h"
#include "inp-sandbox.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-token.h"

#define TEST_TOKEN "r8_prefs_token_7f3a9c2e51"
#define OTHER_TOKEN "r8_prefs_other_token_40d1b8"

/* Only a guard against hanging: keyring writes are slow under the sanitizers on a busy machine. */
#define WAIT_MS 60000

static char *test_dir;
static char *keyfile_path;
static GSettingsBackend *backend;
/* Every log line that contained a token, whatever its level. */
static guint token_log_lines;

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0
          && (strstr (fields[i].value, TEST_TOKEN) != NULL
              || strstr (fields[i].value, OTHER_TOKEN) != NULL))
        token_log_lines++;
    }

  /* Debug lines are seen here whether or not G_MESSAGES_DEBUG shows them; only the default
   * writer filters them, and it would print them among the TAP lines. */
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static GSettings *
new_settings (void)
{
  GSettings *settings = g_settings_new_with_backend (APP_ID, backend);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  /* Each test starts from the defaults. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}

static GtkWidget *
child (InpPreferencesWindow *window,
       const char           *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                 INP_TYPE_PREFERENCES_WINDOW,
                                                                 name));

  g_assert_nonnull (widget);
  return widget;
}

/* Straight to "clicked": keyboard activation of a button clicks only after a delay. */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static InpPreferencesWindow *
open_window (GSettings *settings)
{
  InpPreferencesWindow *window = inp_preferences_window_new (settings);

  gtk_window_present (GTK_WINDOW (window));
  inp_test_wait_for_frame (GTK_WIDGET (window));

  return window;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition  condition,
            gpointer   data,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_MS, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

static gboolean
is_idle (gpointer data)
{
  return !inp_preferences_window_get_busy (data);
}

static gboolean
test_done (gpointer data)
{
  return inp_preferences_window_get_connection_status (data) != INP_CONNECTION_STATUS_TESTING;
}

typedef struct
{
  InpPreferencesWindow *window;
  const char           *text;
} RowText;

static gboolean
token_row_shows (gpointer data)
{
  RowText *expected = data;
  GtkWidget *row = child (expected->window, "token_row");

  return g_str_equal (gtk_editable_get_text (GTK_EDITABLE (row)), expected->text);
}

static void
wait_for_token_row (InpPreferencesWindow *window,
                    const char           *text)
{
  RowText expected = { window, text };

  wait_until (token_row_shows, &expected, "the token row");
}

static void
wait_idle (InpPreferencesWindow *window)
{
  KEYRING_WRITE_BEGIN ();
  wait_until (is_idle, window, "the keyring write");
  KEYRING_WRITE_END ();
}

static void
close_window (InpPreferencesWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* The token from the keyring, or %NULL when there is none for @endpoint's host. */
static char *
keyring_token (InpEndpoint *endpoint)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  inp_token_lookup_async (endpoint, NULL, inp_test_result_cb, &result);
  token = inp_token_lookup_finish (inp_test_wait_result (&result, WAIT_MS), &error);
  if (token == NULL)
    g_assert_error (error, INP_ERROR, INP_ERROR_NO_TOKEN);

  return token;
}

static void
keyring_store (InpEndpoint *endpoint,
               const char  *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  KEYRING_WRITE_BEGIN ();
  inp_token_store_async (endpoint, token, NULL, inp_test_result_cb, &result);
  inp_test_wait_result (&result, WAIT_MS);
  KEYRING_WRITE_END ();
  g_assert_true (inp_token_store_finish (result, &error));
  g_assert_no_error (error);
}

static void
keyring_clear (InpEndpoint *endpoint)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  KEYRING_WRITE_BEGIN ();
  inp_token_clear_async (endpoint, NULL, inp_test_result_cb, &result);
  inp_test_wait_result (&result, WAIT_MS);
  KEYRING_WRITE_END ();
  g_assert_true (inp_token_clear_finish (result, &error));
}

/* No key of the schema, and nothing the settings backend wrote to disk, holds @token. */
static void
assert_not_in_settings (GSettings  *settings,
                        const char *token)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *contents = NULL;

  g_settings_sync ();
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >=, 10);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      g_assert_null (strstr (printed, token));
    }

  if (g_file_get_contents (keyfile_path, &contents, NULL, NULL))
    g_assert_null (strstr (contents, token));
  g_assert_cmpuint (token_log_lines, ==, 0);
}

static void
test_bind_settings (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  InpPreferencesWindow *window = open_window (settings);
  AdwComboRow *endpoint_row = ADW_COMBO_ROW (child (window, "endpoint_row"));
  AdwComboRow *format_row = ADW_COMBO_ROW (child (window, "output_format_row"));
  AdwComboRow *upload_row = ADW_COMBO_ROW (child (window, "upload_row"));
  GtkSpinButton *wait_spin = GTK_SPIN_BUTTON (child (window, "wait_spin"));
  GtkSpinButton *jobs_spin = GTK_SPIN_BUTTON (child (window, "jobs_spin"));
  AdwActionRow *folder_row = ADW_ACTION_ROW (child (window, "folder_row"));
  GtkWidget *reset_folder = child (window, "reset_folder_button");
  const char *formats[] = { "automatic", "png", "jpg", "webp" };
  g_autofree char *library = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GVariant) user_value = NULL;

  /* Endpoint: row → key and key → row. */
  g_assert_cmpuint (adw_combo_row_get_selected (endpoint_row), ==, 0);
  adw_combo_row_set_selected (endpoint_row, 1);
  g_assert_cmpint (g_settings_get_enum (settings, "endpoint"), ==, INP_ENDPOINT_PRESET_REPLICATE);
  g_settings_set_string (settings, "endpoint", "custom");
  g_assert_cmpuint (adw_combo_row_get_selected (endpoint_row), ==, 2);
  g_assert_true (gtk_widget_get_visible (child (window, "custom_url_row")));
  g_settings_set_string (settings, "endpoint", "quickrouter");
  g_assert_false (gtk_widget_get_visible (child (window, "custom_url_row")));

  /* Output format. */
  g_assert_cmpuint (adw_combo_row_get_selected (format_row), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *nick = NULL;

      adw_combo_row_set_selected (format_row, i);
      nick = g_settings_get_string (settings, "output-format");
      g_assert_cmpstr (nick, ==, formats[i]);
    }
  g_settings_set_string (settings, "output-format", "png");
  g_assert_cmpuint (adw_combo_row_get_selected (format_row), ==, 1);

  /* Upload strategy, with a subtitle that says what the choice does. */
  g_assert_cmpuint (adw_combo_row_get_selected (upload_row), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (upload_row)), ==,
                   "As files where the endpoint takes them");
  adw_combo_row_set_selected (upload_row, 1);
  g_assert_cmpint (g_settings_get_enum (settings, "upload-strategy"), ==, 1);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (upload_row)), ==,
                   "Always inside the request");
  g_settings_set_string (settings, "upload-strategy", "automatic");
  g_assert_cmpuint (adw_combo_row_get_selected (upload_row), ==, 0);

  /* Sync wait and concurrent jobs, within their ranges. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (wait_spin), ==, 60);
  gtk_spin_button_set_value (wait_spin, 15);
  g_assert_cmpint (g_settings_get_int (settings, "wait-seconds"), ==, 15);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (jobs_spin), ==, 2);
  gtk_spin_button_set_value (jobs_spin, 5);
  g_assert_cmpint (g_settings_get_int (settings, "concurrent-jobs"), ==, 5);
  gtk_spin_button_set_value (jobs_spin, 20);
  g_assert_cmpint (g_settings_get_int (settings, "concurrent-jobs"), ==, 8);
  g_settings_set_int (settings, "concurrent-jobs", 3);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (jobs_spin), ==, 3);

  /* Results folder: the library's by default, a chosen one shown, and back to the default. */
  library = g_build_filename (g_get_user_data_dir (), "inpainter", "files", NULL);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (folder_row), library));
  g_assert_false (gtk_widget_get_visible (reset_folder));
  folder = g_build_filename (test_dir, "results", NULL);
  g_settings_set_string (settings, "results-folder", folder);
  g_assert_cmpstr (adw_action_row_get_subtitle (folder_row), ==, folder);
  g_assert_true (gtk_widget_get_visible (reset_folder));
  click (reset_folder);
  user_value = g_settings_get_user_value (settings, "results-folder");
  g_assert_null (user_value);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (folder_row), library));

  close_window (window);
}

static gboolean
folder_dialog_shown (gpointer data)
{
  return inp_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
folder_stored (gpointer data)
{
  GSettings *settings = data;
  g_autofree char *folder = g_settings_get_string (settings, "results-folder");

  return *folder != '\0';
}

static void
choose_folder (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  InpPreferencesWindow *window = open_window (settings);
  g_autofree char *path = g_build_filename (test_dir, "chosen results", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autofree char *stored = NULL;
  gboolean settled = FALSE;
  GtkWindow *dialog;

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);

  /* Outside a sandbox GTK 4.8 uses no portal: the native chooser is GTK's own dialog. */
  click (child (window, "choose_folder_button"));
  wait_until (folder_dialog_shown, NULL, "the folder chooser");
  dialog = inp_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)), ==,
                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), folder, NULL));
  /* Answered only once the chooser has shown the folder it was given. */
  inp_test_wait_for_frame (GTK_WIDGET (dialog));
  g_timeout_add (300, timeout_cb, &settled);
  inp_test_wait_for (&settled, 5000);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  wait_until (folder_stored, settings, "the results folder");
  wait_idle (window);
  stored = g_settings_get_string (settings, "results-folder");
  g_assert_cmpstr (stored, ==, path);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (window, "folder_row"))),
                   ==, path);

  close_window (window);
}

static void
test_choose_folder (void)
{
  /* GTK's file chooser loads libcloudproviders, which leaks, and takes GLib past 2048 quarks,
   * where GLib drops its first quark block on purpose. The normal build runs this test. */
  if (UNDER_ASAN)
    {
      g_test_skip ("GTK's file chooser leaks in system libraries");
      return;
    }

  choose_folder ();
}

static void
apply_token (InpPreferencesWindow *window,
             const char           *token)
{
  GtkWidget *row = child (window, "token_row");

  gtk_editable_set_text (GTK_EDITABLE (row), token);
  g_signal_emit_by_name (row, "apply");
  g_assert_true (inp_preferences_window_get_busy (window));
  wait_idle (window);
}

static void
test_token_keyring (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(InpEndpoint) replicate = inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_REPLICATE);
  InpPreferencesWindow *window;
  g_autofree char *stored = NULL;
  g_autofree char *cleared = NULL;

  keyring_clear (replicate);
  g_settings_set_string (settings, "endpoint", "replicate");
  window = open_window (settings);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (window, "token_row"))), ==, "");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (
                              ADW_PREFERENCES_GROUP (child (window, "token_group"))),
                            "api.replicate.com"));

  /* Applying saves it in the keyring for the endpoint's host, surrounding space dropped. */
  apply_token (window, "  " TEST_TOKEN "\n");
  stored = keyring_token (replicate);
  g_assert_cmpstr (stored, ==, TEST_TOKEN);
  assert_not_in_settings (settings, TEST_TOKEN);
  close_window (window);

  /* A new window shows it back. */
  window = open_window (settings);
  wait_for_token_row (window, TEST_TOKEN);

  /* Clearing removes it from the keyring and the row. */
  click (child (window, "clear_token_button"));
  wait_idle (window);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (window, "token_row"))), ==, "");
  cleared = keyring_token (replicate);
  g_assert_null (cleared);
  close_window (window);

  assert_not_in_settings (settings, TEST_TOKEN);
}

static gboolean
window_gone (gpointer data)
{
  return inp_test_find_toplevel (INP_TYPE_PREFERENCES_WINDOW) == NULL;
}

static void
test_token_saved_on_close (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(InpEndpoint) quickrouter =
    inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_QUICKROUTER);
  InpPreferencesWindow *window;
  g_autofree char *stored = NULL;

  keyring_clear (quickrouter);
  window = open_window (settings);
  g_object_ref (window);

  /* Typed, not applied, and the window closed: it is saved first, then the window goes. */
  gtk_editable_set_text (GTK_EDITABLE (child (window, "token_row")), OTHER_TOKEN);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (inp_preferences_window_get_busy (window));
  KEYRING_WRITE_BEGIN ();
  wait_until (window_gone, NULL, "the window to close");
  KEYRING_WRITE_END ();
  g_assert_finalize_object (window);

  stored = keyring_token (quickrouter);
  g_assert_cmpstr (stored, ==, OTHER_TOKEN);
  assert_not_in_settings (settings, OTHER_TOKEN);
  keyring_clear (quickrouter);
}

static void
test_token_follows_endpoint (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(InpEndpoint) replicate = inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_REPLICATE);
  g_autoptr(InpEndpoint) quickrouter =
    inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_QUICKROUTER);
  InpPreferencesWindow *window;
  AdwComboRow *endpoint_row;
  GtkWidget *custom_row;

  keyring_store (replicate, TEST_TOKEN);
  keyring_store (quickrouter, OTHER_TOKEN);

  window = open_window (settings);
  endpoint_row = ADW_COMBO_ROW (child (window, "endpoint_row"));
  custom_row = child (window, "custom_url_row");
  wait_for_token_row (window, OTHER_TOKEN);

  adw_combo_row_set_selected (endpoint_row, 1);
  wait_for_token_row (window, TEST_TOKEN);

  /* A host with no token shows an empty row. */
  adw_combo_row_set_selected (endpoint_row, 2);
  gtk_editable_set_text (GTK_EDITABLE (custom_row), "https://relay.example.org/replicate/v1");
  g_signal_emit_by_name (custom_row, "apply");
  wait_for_token_row (window, "");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (
                              ADW_PREFERENCES_GROUP (child (window, "token_group"))),
                            "relay.example.org"));

  adw_combo_row_set_selected (endpoint_row, 0);
  wait_for_token_row (window, OTHER_TOKEN);
  close_window (window);

  keyring_clear (replicate);
  keyring_clear (quickrouter);
  assert_not_in_settings (settings, TEST_TOKEN);
  assert_not_in_settings (settings, OTHER_TOKEN);
}

static void
test_custom_url_validation (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  InpPreferencesWindow *window;
  GtkWidget *custom_row;
  GtkWidget *error_row;
  g_autofree char *kept = NULL;
  g_autofree char *applied = NULL;

  g_settings_set_string (settings, "custom-base-url", "https://good.example.com/v1");
  g_settings_set_string (settings, "endpoint", "custom");
  window = open_window (settings);
  custom_row = child (window, "custom_url_row");
  error_row = child (window, "custom_url_error_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (custom_row)), ==,
                   "https://good.example.com/v1");
  g_assert_false (gtk_widget_get_visible (error_row));

  /* Plain http to another computer: the reason shows as it is typed, the key keeps its value. */
  gtk_editable_set_text (GTK_EDITABLE (custom_row), "http://relay.example.com/v1");
  g_assert_true (gtk_widget_get_visible (error_row));
  g_assert_true (gtk_widget_has_css_class (custom_row, "error"));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (error_row)),
                            "https"));
  g_signal_emit_by_name (custom_row, "apply");
  kept = g_settings_get_string (settings, "custom-base-url");
  g_assert_cmpstr (kept, ==, "https://good.example.com/v1");

  gtk_editable_set_text (GTK_EDITABLE (custom_row), "not an address");
  g_assert_true (gtk_widget_get_visible (error_row));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (error_row)),
                            "not an address"));

  gtk_editable_set_text (GTK_EDITABLE (custom_row), "");
  g_assert_true (gtk_widget_get_visible (error_row));

  /* Plain http to this computer is fine, and applying stores it. */
  gtk_editable_set_text (GTK_EDITABLE (custom_row), " http://127.0.0.1:8080/v1 ");
  g_assert_false (gtk_widget_get_visible (error_row));
  g_assert_false (gtk_widget_has_css_class (custom_row, "error"));
  g_signal_emit_by_name (custom_row, "apply");
  applied = g_settings_get_string (settings, "custom-base-url");
  g_assert_cmpstr (applied, ==, "http://127.0.0.1:8080/v1");

  /* Another endpoint hides the complaint about the custom address. */
  gtk_editable_set_text (GTK_EDITABLE (custom_row), "ftp://x");
  g_settings_set_string (settings, "endpoint", "replicate");
  g_assert_false (gtk_widget_get_visible (error_row));

  close_window (window);
}

static void
test_environment_token (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(InpEndpoint) quickrouter =
    inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_QUICKROUTER);
  InpPreferencesWindow *window;

  keyring_store (quickrouter, OTHER_TOKEN);
  g_setenv (INP_TOKEN_ENVIRONMENT_VARIABLE, TEST_TOKEN, TRUE);
  window = open_window (settings);

  /* Said, and the environment's token is not shown or editable. */
  g_assert_true (gtk_widget_get_visible (child (window, "environment_row")));
  g_assert_false (gtk_widget_get_sensitive (child (window, "token_row")));
  g_assert_false (gtk_widget_get_sensitive (child (window, "clear_token_button")));
  for (guint i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (window, "token_row"))), ==, "");

  close_window (window);
  g_setenv (INP_TOKEN_ENVIRONMENT_VARIABLE, "", TRUE);

  window = open_window (settings);
  g_assert_false (gtk_widget_get_visible (child (window, "environment_row")));
  wait_for_token_row (window, OTHER_TOKEN);
  close_window (window);
  keyring_clear (quickrouter);
}

/* ─── Test connection ─────────────────────────────────────────────────────────────────────────── */

static InpSandbox *
start_sandbox (void)
{
  g_autoptr(GError) error = NULL;
  InpSandbox *sandbox = inp_sandbox_new ();

  inp_sandbox_set_token (sandbox, TEST_TOKEN);
  g_assert_true (inp_sandbox_start (sandbox, "/v1", &error));
  g_assert_no_error (error);
  inp_endpoint_forget_routes ();

  return sandbox;
}

static InpPreferencesWindow *
open_custom_window (GSettings  *settings,
                    const char *base_url,
                    const char *token)
{
  InpPreferencesWindow *window;

  g_settings_set_string (settings, "endpoint", "custom");
  window = open_window (settings);
  gtk_editable_set_text (GTK_EDITABLE (child (window, "custom_url_row")), base_url);
  gtk_editable_set_text (GTK_EDITABLE (child (window, "token_row")), token);

  return window;
}

static InpConnectionStatus
run_test (InpPreferencesWindow *window)
{
  click (child (window, "test_button"));
  g_assert_cmpint (inp_preferences_window_get_connection_status (window), ==,
                   INP_CONNECTION_STATUS_TESTING);
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (child (window, "test_spinner"))));
  g_assert_false (gtk_widget_get_sensitive (child (window, "test_button")));
  wait_until (test_done, window, "the connection test");
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (child (window, "test_spinner"))));
  g_assert_true (gtk_widget_get_sensitive (child (window, "test_button")));

  return inp_preferences_window_get_connection_status (window);
}

/* Every request the sandbox saw carried exactly @token, or none. */
static void
assert_sandbox_saw (InpSandbox *sandbox,
                    const char *token)
{
  g_autoptr(GPtrArray) requests = inp_sandbox_dup_requests (sandbox);
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);

  for (guint i = 0; i < requests->len; i++)
    {
      InpSandboxRequest *request = g_ptr_array_index (requests, i);

      g_assert_cmpstr (request->origin, ==, "api");
      g_assert_cmpstr (request->method, ==, "GET");
      if (request->authorization != NULL && g_str_has_prefix (request->authorization, bearer))
        continue;
      /* The second probe of an endpoint without /account sends a made-up token on purpose. */
      g_assert_null (strstr (request->authorization, TEST_TOKEN));
    }
}

static void
test_connection_account (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(InpSandbox) sandbox = start_sandbox ();
  InpPreferencesWindow *window;

  window = open_custom_window (settings, inp_sandbox_get_base_url (sandbox), TEST_TOKEN);
  g_assert_cmpint (run_test (window), ==, INP_CONNECTION_STATUS_SUCCESS);
  g_assert_cmpstr (inp_preferences_window_get_connection_message (window), ==,
                   "Connected as sandbox");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (window, "test_row"))), ==,
                   "Connected as sandbox");
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_ACCOUNT), ==, 1);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_GET), ==, 0);
  assert_sandbox_saw (sandbox, TEST_TOKEN);

  /* Changing the token forgets the result. */
  gtk_editable_set_text (GTK_EDITABLE (child (window, "token_row")), "r8_wrong");
  g_assert_cmpint (inp_preferences_window_get_connection_status (window), ==,
                   INP_CONNECTION_STATUS_NONE);

  /* A wrong token is refused, with the server's own words. */
  g_assert_cmpint (run_test (window), ==, INP_CONNECTION_STATUS_REFUSED);
  g_assert_nonnull (strstr (inp_preferences_window_get_connection_message (window),
                            "You did not pass a valid authentication token"));

  close_window (window);
  inp_sandbox_stop (sandbox);
  assert_not_in_settings (settings, TEST_TOKEN);
}

static void
test_connection_without_account (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(InpSandbox) sandbox = start_sandbox ();
  InpPreferencesWindow *window;

  inp_sandbox_set_routes (sandbox, INP_SANDBOX_ROUTE_ALL & ~INP_SANDBOX_ROUTE_ACCOUNT);
  window = open_custom_window (settings, inp_sandbox_get_base_url (sandbox), TEST_TOKEN);

  /* /account answers 404, then GET /predictions/{id}: 404 with the token, 401 without it. */
  g_assert_cmpint (run_test (window), ==, INP_CONNECTION_STATUS_SUCCESS);
  g_assert_nonnull (strstr (inp_preferences_window_get_connection_message (window),
                            "harmless request"));
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_ACCOUNT), ==, 1);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_GET), ==, 2);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, 0);

  /* Known now to lack /account, the endpoint is not asked again; a wrong token is refused. */
  gtk_editable_set_text (GTK_EDITABLE (child (window, "token_row")), "r8_wrong");
  g_assert_cmpint (run_test (window), ==, INP_CONNECTION_STATUS_REFUSED);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_ACCOUNT), ==, 1);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_GET), ==, 3);
  assert_sandbox_saw (sandbox, TEST_TOKEN);

  close_window (window);
  inp_sandbox_stop (sandbox);
}

static void
test_connection_not_an_api (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(InpSandbox) sandbox = start_sandbox ();
  g_autofree char *wrong_prefix = NULL;
  InpPreferencesWindow *window;

  /* The right server with the wrong prefix: 404 for every route, whatever the token. */
  wrong_prefix = g_strdup_printf ("%s/extra", inp_sandbox_get_base_url (sandbox));
  window = open_custom_window (settings, wrong_prefix, TEST_TOKEN);
  g_assert_cmpint (run_test (window), ==, INP_CONNECTION_STATUS_FAILED);
  g_assert_nonnull (strstr (inp_preferences_window_get_connection_message (window),
                            "does not check API tokens"));

  close_window (window);
  inp_sandbox_stop (sandbox);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

static void
test_connection_unreachable (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1", closed_port ());
  InpPreferencesWindow *window = open_custom_window (settings, url, TEST_TOKEN);

  g_assert_cmpint (run_test (window), ==, INP_CONNECTION_STATUS_UNREACHABLE);
  g_assert_nonnull (strstr (inp_preferences_window_get_connection_message (window),
                            "could not be reached"));
  close_window (window);
}

static void
test_connection_insecure (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  InpPreferencesWindow *window;

  window = open_custom_window (settings, "http://relay.example.com/v1", TEST_TOKEN);
  click (child (window, "test_button"));
  /* Refused before anything is sent. */
  g_assert_cmpint (inp_preferences_window_get_connection_status (window), ==,
                   INP_CONNECTION_STATUS_INSECURE);
  g_assert_nonnull (strstr (inp_preferences_window_get_connection_message (window), "https"));
  g_assert_true (gtk_widget_get_visible (child (window, "test_icon")));
  close_window (window);
}

static void
test_connection_no_token (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(InpSandbox) sandbox = start_sandbox ();
  InpPreferencesWindow *window;

  window = open_custom_window (settings, inp_sandbox_get_base_url (sandbox), "  ");
  click (child (window, "test_button"));
  g_assert_cmpint (inp_preferences_window_get_connection_status (window), ==,
                   INP_CONNECTION_STATUS_FAILED);
  g_assert_cmpstr (inp_preferences_window_get_connection_message (window), ==,
                   "Enter an API token first.");
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_ACCOUNT), ==, 0);

  close_window (window);
  inp_sandbox_stop (sandbox);
}

static void
test_connection_cancelled_on_close (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  InpPreferencesWindow *window;
  gboolean later = FALSE;

  /* A server that takes the connection and never answers. */
  g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  window = open_custom_window (settings, url, TEST_TOKEN);
  click (child (window, "test_button"));
  g_assert_cmpint (inp_preferences_window_get_connection_status (window), ==,
                   INP_CONNECTION_STATUS_TESTING);

  /* Closing cancels the request, and nothing keeps the window alive. */
  close_window (window);
  g_timeout_add (200, timeout_cb, &later);
  inp_test_wait_for (&later, 5000);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = NULL;
  int ret;

  g_log_set_writer_func (log_writer, NULL, NULL);

  /* Before libsecret looks: a file keyring. */
  test_dir = inp_test_make_temp_dir ();
  keyring = g_build_filename (test_dir, "test.keyring", NULL);
  keyfile_path = g_build_filename (test_dir, "settings.ini", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  inp_test_ui_init (&argc, &argv);
  backend = g_keyfile_settings_backend_new (keyfile_path, "/", NULL);

  inp_test_ui_add_func ("/ui/preferences/bind-settings", test_bind_settings);
  inp_test_ui_add_func ("/ui/preferences/choose-folder", test_choose_folder);
  inp_test_ui_add_func ("/ui/preferences/token-keyring", test_token_keyring);
  inp_test_ui_add_func ("/ui/preferences/token-saved-on-close", test_token_saved_on_close);
  inp_test_ui_add_func ("/ui/preferences/token-follows-endpoint", test_token_follows_endpoint);
  inp_test_ui_add_func ("/ui/preferences/custom-url-validation", test_custom_url_validation);
  inp_test_ui_add_func ("/ui/preferences/environment-token", test_environment_token);
  inp_test_ui_add_func ("/ui/preferences/connection/account", test_connection_account);
  inp_test_ui_add_func ("/ui/preferences/connection/without-account",
                        test_connection_without_account);
  inp_test_ui_add_func ("/ui/preferences/connection/not-an-api", test_connection_not_an_api);
  inp_test_ui_add_func ("/ui/preferences/connection/unreachable", test_connection_unreachable);
  inp_test_ui_add_func ("/ui/preferences/connection/insecure", test_connection_insecure);
  inp_test_ui_add_func ("/ui/preferences/connection/no-token", test_connection_no_token);
  inp_test_ui_add_func ("/ui/preferences/connection/cancelled-on-close",
                        test_connection_cancelled_on_close);

  ret = g_test_run ();

  g_clear_object (&backend);
  inp_test_remove_tree (test_dir);
  g_free (keyfile_path);
  g_free (test_dir);
  return ret;
}
