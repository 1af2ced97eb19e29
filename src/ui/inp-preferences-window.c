/* inp-preferences-window.c: the service endpoint, the API token and generation defaults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token lives only in the keyring (inp-token.h), keyed by the endpoint's host, and in the
 * password row while the window is open. It is never written to GSettings and never logged.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-a11y.h"
#include "inp-client.h"
#include "inp-endpoint.h"
#include "inp-error.h"
#include "inp-file-dialog.h"
#include "inp-library.h"
#include "inp-preferences-window.h"
#include "inp-token.h"

/* Where an endpoint lacks GET /account, the token is checked with GET /predictions/{id} for an
 * id that cannot exist: the route every Replicate-compatible API has (the client polls it), it
 * only reads, costs nothing, and the service checks the token before looking the id up. So 404
 * means the token passed and 401 that it was refused. */
#define PROBE_PREDICTION_ID "inpainterconnectiontest0"
/* A 404 proves the token was checked only if a wrong token is refused at the same address. */
#define PROBE_WRONG_TOKEN "inpainter-connection-test-wrong-token"

struct _InpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwComboRow          *endpoint_row;
  AdwEntryRow          *custom_url_row;
  AdwActionRow         *custom_url_error_row;
  AdwPreferencesGroup  *token_group;
  AdwEntryRow          *token_row;
  GtkButton            *clear_token_button;
  AdwActionRow         *environment_row;
  AdwActionRow         *test_row;
  GtkImage             *test_icon;
  GtkSpinner           *test_spinner;
  GtkButton            *test_button;
  AdwComboRow          *output_format_row;
  GtkSpinButton        *wait_spin;
  GtkAdjustment        *wait_adjustment;
  GtkSpinButton        *jobs_spin;
  GtkAdjustment        *jobs_adjustment;
  AdwComboRow          *upload_row;
  AdwActionRow         *folder_row;
  GtkButton            *reset_folder_button;
  GtkButton            *choose_folder_button;

  /* Owned references */
  GSettings            *settings;
  InpEndpoint          *token_endpoint;    /* whose token the row shows; NULL without a valid one */
  GCancellable         *lookup_cancellable;
  GCancellable         *test_cancellable;
  GCancellable         *folder_cancellable;
  InpClient            *test_client;
  char                 *connection_message;

  InpConnectionStatus   connection_status;
  guint                 pending;           /* keyring writes and folder checks under way */
  gboolean              setting_token;     /* the row's text changes from the keyring, not typing */
  gboolean              token_edited;      /* typed and not yet saved */
  guint                 token_edits;       /* counts edits, to tell what a save covered */
  gboolean              close_after_save;
};

G_DEFINE_FINAL_TYPE (InpPreferencesWindow, inp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

G_DEFINE_ENUM_TYPE (InpConnectionStatus, inp_connection_status,
                    G_DEFINE_ENUM_VALUE (INP_CONNECTION_STATUS_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (INP_CONNECTION_STATUS_TESTING, "testing"),
                    G_DEFINE_ENUM_VALUE (INP_CONNECTION_STATUS_SUCCESS, "success"),
                    G_DEFINE_ENUM_VALUE (INP_CONNECTION_STATUS_REFUSED, "refused"),
                    G_DEFINE_ENUM_VALUE (INP_CONNECTION_STATUS_UNREACHABLE, "unreachable"),
                    G_DEFINE_ENUM_VALUE (INP_CONNECTION_STATUS_INSECURE, "insecure"),
                    G_DEFINE_ENUM_VALUE (INP_CONNECTION_STATUS_FAILED, "failed"))

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_BUSY,
  PROP_CONNECTION_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The rows of each combo row, in order, as the nicks of its enum key. */
static const char * const endpoint_nicks[] = { "quickrouter", "replicate", "custom", NULL };
static const char * const output_format_nicks[] = { "automatic", "png", "jpg", "webp", NULL };
static const char * const upload_nicks[] = { "automatic", "data-uri", NULL };

static void load_token (InpPreferencesWindow *self);

InpPreferencesWindow *
inp_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (INP_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}

/**
 * inp_preferences_window_get_busy:
 *
 * Returns: whether a keyring write or a folder check is under way. The window stays alive until
 *   they end, even once closed, so that a token being saved is never lost.
 */
gboolean
inp_preferences_window_get_busy (InpPreferencesWindow *self)
{
  g_return_val_if_fail (INP_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->pending > 0;
}

InpConnectionStatus
inp_preferences_window_get_connection_status (InpPreferencesWindow *self)
{
  g_return_val_if_fail (INP_IS_PREFERENCES_WINDOW (self), INP_CONNECTION_STATUS_NONE);

  return self->connection_status;
}

/**
 * inp_preferences_window_get_connection_message:
 *
 * Returns: (nullable): what the last connection test found, as the window shows it.
 */
const char *
inp_preferences_window_get_connection_message (InpPreferencesWindow *self)
{
  g_return_val_if_fail (INP_IS_PREFERENCES_WINDOW (self), NULL);

  return self->connection_message;
}

static void
show_toast (InpPreferencesWindow *self,
            const char           *message)
{
  /* Toast titles are markup in libadwaita 1.2, and messages quote addresses and paths. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

/* Keeps the window alive while an operation that must not be lost is under way. */
static void
hold (InpPreferencesWindow *self)
{
  g_object_ref (self);
  if (self->pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
release (InpPreferencesWindow *self)
{
  g_assert (self->pending > 0);

  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_unref (self);
}

/* ─── Combo rows and enum keys ────────────────────────────────────────────────────────────────── */

static gboolean
nick_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      if (g_str_equal (nick, nicks[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
nick_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[position]);
}

static void
bind_combo_row (InpPreferencesWindow *self,
                const char           *key,
                AdwComboRow          *row,
                const char * const   *nicks)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_get_mapping, nick_set_mapping, (gpointer) nicks, NULL);
}

static void
update_upload_subtitle (InpPreferencesWindow *self)
{
  if (adw_combo_row_get_selected (self->upload_row) == 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->upload_row),
                                 _("As files where the endpoint takes them"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->upload_row),
                                 _("Always inside the request"));
}

/* ─── Endpoint ────────────────────────────────────────────────────────────────────────────────── */

static gboolean
custom_row_visible_mapping (GValue   *value,
                            GVariant *variant,
                            gpointer  user_data)
{
  g_value_set_boolean (value, g_str_equal (g_variant_get_string (variant, NULL), "custom"));
  return TRUE;
}

static gboolean
custom_is_selected (InpPreferencesWindow *self)
{
  return g_settings_get_enum (self->settings, "endpoint") == INP_ENDPOINT_PRESET_CUSTOM;
}

/* Checks the custom address as typed; shows why it cannot be used, or returns it stripped. */
static char *
check_custom_url (InpPreferencesWindow  *self,
                  GError               **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->custom_url_row));
  g_autofree char *url = g_strstrip (g_strdup (text));

  if (*url == '\0')
    {
      g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                   _("Enter the address of a Replicate-compatible API, such as %s."),
                   INP_ENDPOINT_REPLICATE_URL);
      return NULL;
    }

  if (!inp_endpoint_check_base_url (url, error))
    return NULL;

  return g_steal_pointer (&url);
}

static void
update_custom_url_error (InpPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = check_custom_url (self, &error);
  gboolean show = url == NULL && custom_is_selected (self);

  gtk_widget_set_visible (GTK_WIDGET (self->custom_url_error_row), show);
  if (show)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->custom_url_error_row),
                                     error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->custom_url_row), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->custom_url_row), "error");
}

/* Writes the custom address to the settings when it is valid; an invalid one keeps the last
 * valid value, so the app never works with an address it would refuse. */
static void
commit_custom_url (InpPreferencesWindow *self)
{
  g_autofree char *url = check_custom_url (self, NULL);
  g_autofree char *stored = NULL;

  if (url == NULL)
    return;

  stored = g_settings_get_string (self->settings, "custom-base-url");
  if (!g_str_equal (stored, url))
    g_settings_set_string (self->settings, "custom-base-url", url);
}

static void
custom_url_changed_cb (InpPreferencesWindow *self)
{
  update_custom_url_error (self);
}

static void
custom_url_apply_cb (InpPreferencesWindow *self)
{
  commit_custom_url (self);
}

static void
set_connection_status (InpPreferencesWindow *self,
                       InpConnectionStatus   status,
                       const char           *message)
{
  const char *icon = NULL;
  const char *style = NULL;
  gboolean testing = status == INP_CONNECTION_STATUS_TESTING;

  g_free (self->connection_message);
  self->connection_message = g_strdup (message);

  switch (status)
    {
    case INP_CONNECTION_STATUS_NONE:
    case INP_CONNECTION_STATUS_TESTING:
      break;
    case INP_CONNECTION_STATUS_SUCCESS:
      icon = "emblem-ok-symbolic";
      style = "success";
      break;
    case INP_CONNECTION_STATUS_REFUSED:
    case INP_CONNECTION_STATUS_UNREACHABLE:
    case INP_CONNECTION_STATUS_INSECURE:
    case INP_CONNECTION_STATUS_FAILED:
    default:
      icon = "dialog-error-symbolic";
      style = "error";
      break;
    }

  adw_action_row_set_subtitle (self->test_row,
                               message != NULL
                                 ? message
                                 : _("Checks that the endpoint answers and accepts the token"));
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), icon != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "error");
  if (icon != NULL)
    {
      gtk_image_set_from_icon_name (self->test_icon, icon);
      gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), style);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !testing);

  if (self->connection_status != status)
    {
      self->connection_status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATUS]);
    }
}

static void
forget_connection_test (InpPreferencesWindow *self)
{
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->test_client);
  set_connection_status (self, INP_CONNECTION_STATUS_NONE, NULL);
}

/* Follows the settings: the token shown is the one for the chosen endpoint's host. */
static void
endpoint_changed (InpPreferencesWindow *self)
{
  g_autoptr(InpEndpoint) endpoint = NULL;
  g_autofree char *description = NULL;
  gboolean same_host;

  update_custom_url_error (self);
  forget_connection_test (self);

  endpoint = inp_endpoint_new_from_settings (self->settings, NULL);
  same_host = endpoint != NULL && self->token_endpoint != NULL
              && g_str_equal (inp_endpoint_get_host (endpoint),
                              inp_endpoint_get_host (self->token_endpoint));
  g_set_object (&self->token_endpoint, endpoint);

  if (endpoint != NULL)
    /* Translators: %s is a host name, such as “api.replicate.com” */
    description = g_strdup_printf (_("Saved in your keyring for %s."),
                                   inp_endpoint_get_host (endpoint));
  else
    description = g_strdup (_("Enter a valid custom address first: the token is saved for its "
                              "host."));
  adw_preferences_group_set_description (self->token_group, description);

  if (!same_host)
    load_token (self);
}

static void
settings_changed_cb (InpPreferencesWindow *self,
                     const char           *key)
{
  if (g_str_equal (key, "endpoint") || g_str_equal (key, "custom-base-url"))
    endpoint_changed (self);
  else if (g_str_equal (key, "results-folder"))
    {
      g_autofree char *folder = g_settings_get_string (self->settings, "results-folder");
      g_autofree char *library_path = NULL;
      g_autofree char *library_dir = NULL;
      g_autofree char *files_dir = NULL;
      g_autofree char *display = NULL;
      g_autofree char *subtitle = NULL;

      if (*folder != '\0')
        {
          display = g_filename_display_name (folder);
          adw_action_row_set_subtitle (self->folder_row, display);
        }
      else
        {
          /* The library keeps its files beside its database; see inp_library_new(). */
          library_path = inp_library_get_default_path ();
          library_dir = g_path_get_dirname (library_path);
          files_dir = g_build_filename (library_dir, "files", NULL);
          display = g_filename_display_name (files_dir);
          /* Translators: the results folder row when none is chosen; %s is a path */
          subtitle = g_strdup_printf (_("The library’s folder, %s"), display);
          adw_action_row_set_subtitle (self->folder_row, subtitle);
        }
      gtk_widget_set_visible (GTK_WIDGET (self->reset_folder_button), *folder != '\0');
    }
}

/* ─── Token ───────────────────────────────────────────────────────────────────────────────────── */

static void
set_token_text (InpPreferencesWindow *self,
                const char           *text)
{
  self->setting_token = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), text);
  self->setting_token = FALSE;
  self->token_edited = FALSE;
}

static void
token_lookup_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  InpPreferencesWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  /* Cancelled when the window went away or the endpoint changed: nothing to touch. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self = INP_PREFERENCES_WINDOW (user_data);
  token = inp_token_lookup_finish (result, &error);
  g_clear_object (&self->lookup_cancellable);

  /* Typing while the keyring answered wins over what it said. */
  if (self->token_edited)
    return;

  if (token != NULL)
    set_token_text (self, token);
  else
    g_debug ("preferences: no token loaded for %s: %s",
             inp_endpoint_get_host (self->token_endpoint), error->message);
}

static void
load_token (InpPreferencesWindow *self)
{
  gboolean from_environment = inp_token_get_from_environment () != NULL;

  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);

  gtk_widget_set_visible (GTK_WIDGET (self->environment_row), from_environment);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !from_environment);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_token_button), !from_environment);

  /* The environment's token is never shown, and what is typed is kept across endpoints: it is
   * saved for the endpoint chosen when it is applied. */
  if (from_environment || self->token_edited)
    return;

  set_token_text (self, "");
  if (self->token_endpoint == NULL)
    return;

  self->lookup_cancellable = g_cancellable_new ();
  inp_token_lookup_async (self->token_endpoint, self->lookup_cancellable, token_lookup_cb, self);
}

static void
token_changed_cb (InpPreferencesWindow *self)
{
  if (self->setting_token)
    return;

  self->token_edited = TRUE;
  self->token_edits++;
  /* A keyring answer still on its way must not overwrite what is being typed. */
  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  if (self->connection_status != INP_CONNECTION_STATUS_TESTING)
    set_connection_status (self, INP_CONNECTION_STATUS_NONE, NULL);
}

static void
token_saved (InpPreferencesWindow *self,
             guint                 edits,
             gboolean              ok,
             const char           *success_message,
             const GError         *error)
{
  if (ok)
    {
      /* Typing since the write began is still to be saved. */
      if (edits == self->token_edits)
        self->token_edited = FALSE;
      if (!self->close_after_save)
        show_toast (self, success_message);
    }
  else
    {
      g_debug ("preferences: keyring write failed: %s", error->message);
      show_toast (self, error->message);
    }

  /* After a failure the window stays open with the token still in the row, to try again. */
  if (self->close_after_save)
    {
      self->close_after_save = FALSE;
      if (ok)
        gtk_window_destroy (GTK_WINDOW (self));
    }
}

typedef struct
{
  InpPreferencesWindow *self;
  char                 *host;
  guint                 edits;   /* the window's token_edits when the write began */
} TokenWrite;

static void
token_write_free (TokenWrite *write)
{
  release (write->self);
  g_free (write->host);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokenWrite, token_write_free)

static void
token_store_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TokenWrite) write = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok = inp_token_store_finish (result, &error);

  /* Translators: %s is a host name, such as “api.replicate.com” */
  message = g_strdup_printf (_("Token saved for %s"), write->host);
  token_saved (write->self, write->edits, ok, message, error);
}

static void
token_clear_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TokenWrite) write = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = inp_token_clear_finish (result, &error);

  if (ok && !write->self->token_edited)
    set_token_text (write->self, "");
  token_saved (write->self, write->edits, ok, _("Token removed from the keyring"), error);
}

/* Saves what the row holds for the chosen endpoint; an empty row removes the saved token. */
static gboolean
save_token (InpPreferencesWindow *self)
{
  g_autofree char *token = NULL;
  TokenWrite *write;

  if (inp_token_get_from_environment () != NULL)
    return FALSE;

  if (self->token_endpoint == NULL)
    {
      show_toast (self, _("The token cannot be saved until the endpoint’s address is valid"));
      return FALSE;
    }

  token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  /* Not cancellable: a token on its way to the keyring is kept even if the window closes. */
  write = g_new0 (TokenWrite, 1);
  hold (self);
  write->self = self;
  write->host = g_strdup (inp_endpoint_get_host (self->token_endpoint));
  write->edits = self->token_edits;
  if (*token == '\0')
    inp_token_clear_async (self->token_endpoint, NULL, token_clear_cb, write);
  else
    inp_token_store_async (self->token_endpoint, token, NULL, token_store_cb, write);

  return TRUE;
}

static void
token_apply_cb (InpPreferencesWindow *self)
{
  save_token (self);
}

static void
clear_token_clicked_cb (InpPreferencesWindow *self)
{
  if (self->token_endpoint == NULL)
    return;

  set_token_text (self, "");
  self->token_edited = TRUE;
  save_token (self);
}

/* ─── Test connection ─────────────────────────────────────────────────────────────────────────── */

static void
report_failure (InpPreferencesWindow *self,
                const GError         *error)
{
  InpConnectionStatus status = INP_CONNECTION_STATUS_FAILED;

  if (g_error_matches (error, INP_ERROR, INP_ERROR_UNAUTHORIZED))
    status = INP_CONNECTION_STATUS_REFUSED;
  else if (g_error_matches (error, INP_ERROR, INP_ERROR_NETWORK))
    status = INP_CONNECTION_STATUS_UNREACHABLE;
  else if (g_error_matches (error, INP_ERROR, INP_ERROR_INSECURE_URL))
    status = INP_CONNECTION_STATUS_INSECURE;

  g_debug ("preferences: connection test failed: %s", error->message);
  g_clear_object (&self->test_client);
  set_connection_status (self, status, error->message);
}

static gboolean
test_was_cancelled (GAsyncResult *result)
{
  return g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result)));
}

static void
wrong_token_probe_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  InpPreferencesWindow *self;
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;

  if (test_was_cancelled (result))
    return;

  self = INP_PREFERENCES_WINDOW (user_data);
  prediction = inp_client_get_prediction_finish (INP_CLIENT (source), result, &error);
  g_clear_object (&self->test_client);

  if (g_error_matches (error, INP_ERROR, INP_ERROR_UNAUTHORIZED))
    set_connection_status (self, INP_CONNECTION_STATUS_SUCCESS,
                           _("Connected; the token was accepted. This endpoint has no account "
                             "details, so a harmless request checked the token."));
  else if (error != NULL && !g_error_matches (error, INP_ERROR, INP_ERROR_NOT_FOUND))
    report_failure (self, error);
  else
    set_connection_status (self, INP_CONNECTION_STATUS_FAILED,
                           _("Something answered at this address, but it does not check API "
                             "tokens. Check the address, including the API version at its end "
                             "(such as /v1)."));
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  InpPreferencesWindow *self;
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(InpClient) wrong_client = NULL;
  g_autoptr(GError) error = NULL;

  if (test_was_cancelled (result))
    return;

  self = INP_PREFERENCES_WINDOW (user_data);
  prediction = inp_client_get_prediction_finish (INP_CLIENT (source), result, &error);
  if (error != NULL && !g_error_matches (error, INP_ERROR, INP_ERROR_NOT_FOUND))
    {
      report_failure (self, error);
      return;
    }

  /* A wrong token, to the same origin only, shows whether that 404 came after a token check. */
  wrong_client = inp_client_new (inp_client_get_endpoint (INP_CLIENT (source)), PROBE_WRONG_TOKEN);
  inp_client_set_retry_policy (wrong_client, 1, 0);
  g_set_object (&self->test_client, wrong_client);
  inp_client_get_prediction_async (wrong_client, PROBE_PREDICTION_ID, self->test_cancellable,
                                   wrong_token_probe_cb, self);
}

static void
start_probe (InpPreferencesWindow *self)
{
  g_debug ("preferences: no /account here; checking the token with GET /predictions/{id}");
  inp_client_get_prediction_async (self->test_client, PROBE_PREDICTION_ID, self->test_cancellable,
                                   probe_cb, self);
}

static void
account_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  InpPreferencesWindow *self;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *username = NULL;

  if (test_was_cancelled (result))
    return;

  self = INP_PREFERENCES_WINDOW (user_data);
  account = inp_client_get_account_finish (INP_CLIENT (source), result, &error);
  if (g_error_matches (error, INP_ERROR, INP_ERROR_NOT_FOUND))
    {
      start_probe (self);
      return;
    }
  if (account == NULL)
    {
      report_failure (self, error);
      return;
    }

  if (json_object_has_member (account, "username")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (account, "username"))
      && json_node_get_value_type (json_object_get_member (account, "username")) == G_TYPE_STRING)
    username = json_object_get_string_member (account, "username");

  if (username != NULL && *username != '\0')
    /* Translators: %s is the user name of the account on the service */
    message = g_strdup_printf (_("Connected as %s"), username);
  else
    message = g_strdup (_("Connected; the token was accepted"));

  g_clear_object (&self->test_client);
  set_connection_status (self, INP_CONNECTION_STATUS_SUCCESS, message);
}

/* The endpoint as the rows show it now, even a custom address not yet applied. */
static InpEndpoint *
endpoint_from_rows (InpPreferencesWindow  *self,
                    GError               **error)
{
  g_autofree char *url = NULL;
  InpEndpointPreset preset = g_settings_get_enum (self->settings, "endpoint");

  if (preset != INP_ENDPOINT_PRESET_CUSTOM)
    return inp_endpoint_new_for_preset (preset);

  url = check_custom_url (self, error);
  if (url == NULL)
    return NULL;

  return inp_endpoint_new (url, error);
}

/**
 * inp_preferences_window_test_connection:
 *
 * Checks the endpoint and the token the window shows: `GET /account` where the endpoint has it,
 * otherwise `GET /predictions/{an id that does not exist}`. The outcome is shown in the window
 * and in #InpPreferencesWindow:connection-status; closing the window cancels the test.
 */
void
inp_preferences_window_test_connection (InpPreferencesWindow *self)
{
  g_autoptr(InpEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = NULL;
  const char *token;

  g_return_if_fail (INP_IS_PREFERENCES_WINDOW (self));

  if (self->connection_status == INP_CONNECTION_STATUS_TESTING)
    return;

  forget_connection_test (self);

  endpoint = endpoint_from_rows (self, &error);
  if (endpoint == NULL)
    {
      report_failure (self, error);
      return;
    }

  token = inp_token_get_from_environment ();
  if (token == NULL)
    {
      typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
      token = typed;
    }
  if (*token == '\0')
    {
      set_connection_status (self, INP_CONNECTION_STATUS_FAILED,
                             _("Enter an API token first."));
      return;
    }

  g_debug ("preferences: testing the connection to %s", inp_endpoint_get_origin (endpoint));
  self->test_cancellable = g_cancellable_new ();
  self->test_client = inp_client_new (endpoint, token);
  /* A test should answer now, with what happened, rather than retry for a minute. */
  inp_client_set_retry_policy (self->test_client, 1, 0);
  set_connection_status (self, INP_CONNECTION_STATUS_TESTING, _("Testing…"));

  if (inp_endpoint_get_route_state (endpoint, INP_ROUTE_ACCOUNT) == INP_ROUTE_STATE_ABSENT)
    start_probe (self);
  else
    inp_client_get_account_async (self->test_client, self->test_cancellable, account_cb, self);
}

/* ─── Results folder ──────────────────────────────────────────────────────────────────────────── */

static void
folder_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  InpPreferencesWindow *self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (G_FILE (source));
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *message = NULL;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (info == NULL)
    /* Translators: a folder name, then why it cannot be used */
    message = g_strdup_printf (_("The folder “%s” cannot be used: %s"), display, error->message);
  else if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    message = g_strdup_printf (_("“%s” is not a folder."), display);
  else if (!g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE))
    message = g_strdup_printf (_("You cannot save files in “%s”. Choose another folder."),
                               display);
  else if (!g_utf8_validate (path, -1, NULL))
    message = g_strdup_printf (_("The name of “%s” cannot be stored in the settings. Choose "
                                 "another folder."), display);

  if (message != NULL)
    show_toast (self, message);
  else
    g_settings_set_string (self->settings, "results-folder", path);

  release (self);
}

/* Checks @folder before it becomes the results folder; a bad choice says why and changes
 * nothing. */
static void
use_folder (InpPreferencesWindow *self,
            GFile                *folder)
{
  g_autofree char *path = g_file_get_path (folder);

  if (path == NULL)
    {
      show_toast (self, _("Choose a folder on this computer"));
      return;
    }

  hold (self);
  g_file_query_info_async (folder,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, NULL,
                           folder_info_cb, self);
}

static void
folder_chosen_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  InpPreferencesWindow *self;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  folder = inp_file_dialog_run_finish (result, &error);
  if (folder == NULL)
    return;

  self = INP_PREFERENCES_WINDOW (user_data);
  use_folder (self, folder);
}

static void
choose_folder_clicked_cb (InpPreferencesWindow *self)
{
  g_cancellable_cancel (self->folder_cancellable);
  g_clear_object (&self->folder_cancellable);
  self->folder_cancellable = g_cancellable_new ();

  inp_file_dialog_run_async (GTK_WIDGET (self), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                             _("Results Folder"), _("_Select"), NULL, self->folder_cancellable,
                             folder_chosen_cb, self);
}

static void
reset_folder_clicked_cb (InpPreferencesWindow *self)
{
  g_settings_reset (self->settings, "results-folder");
}

/* ─── Object ──────────────────────────────────────────────────────────────────────────────────── */

static gboolean
inp_preferences_window_close_request (GtkWindow *window)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (window);

  /* What was typed and not applied is kept, as for every other preference. */
  if (custom_is_selected (self))
    commit_custom_url (self);

  if (self->token_edited && !self->close_after_save && save_token (self))
    {
      self->close_after_save = TRUE;
      return TRUE;
    }

  return GTK_WINDOW_CLASS (inp_preferences_window_parent_class)->close_request (window);
}

static void
inp_preferences_window_constructed (GObject *object)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (object);
  g_autofree char *custom_url = NULL;

  G_OBJECT_CLASS (inp_preferences_window_parent_class)->constructed (object);

  bind_combo_row (self, "endpoint", self->endpoint_row, endpoint_nicks);
  g_settings_bind_with_mapping (self->settings, "endpoint", self->custom_url_row, "visible",
                                G_SETTINGS_BIND_GET,
                                custom_row_visible_mapping, NULL, NULL, NULL);
  bind_combo_row (self, "output-format", self->output_format_row, output_format_nicks);
  bind_combo_row (self, "upload-strategy", self->upload_row, upload_nicks);
  g_settings_bind (self->settings, "wait-seconds", self->wait_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "concurrent-jobs", self->jobs_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->upload_row, "notify::selected",
                           G_CALLBACK (update_upload_subtitle), self, G_CONNECT_SWAPPED);
  update_upload_subtitle (self);

  custom_url = g_settings_get_string (self->settings, "custom-base-url");
  gtk_editable_set_text (GTK_EDITABLE (self->custom_url_row), custom_url);

  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  settings_changed_cb (self, "results-folder");
  endpoint_changed (self);
}

static void
inp_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, inp_preferences_window_get_busy (self));
      break;

    case PROP_CONNECTION_STATUS:
      g_value_set_enum (value, self->connection_status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_preferences_window_dispose (GObject *object)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->lookup_cancellable);
  g_cancellable_cancel (self->test_cancellable);
  g_cancellable_cancel (self->folder_cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->folder_cancellable);
  g_clear_object (&self->test_client);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->token_endpoint);

  G_OBJECT_CLASS (inp_preferences_window_parent_class)->dispose (object);
}

static void
inp_preferences_window_finalize (GObject *object)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (object);

  g_free (self->connection_message);

  G_OBJECT_CLASS (inp_preferences_window_parent_class)->finalize (object);
}

static void
inp_preferences_window_class_init (InpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = inp_preferences_window_constructed;
  object_class->dispose = inp_preferences_window_dispose;
  object_class->finalize = inp_preferences_window_finalize;
  object_class->get_property = inp_preferences_window_get_property;
  object_class->set_property = inp_preferences_window_set_property;

  window_class->close_request = inp_preferences_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * InpPreferencesWindow:busy:
   *
   * Whether a keyring write or a folder check is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpPreferencesWindow:connection-status:
   *
   * The outcome of the last connection test.
   */
  properties[PROP_CONNECTION_STATUS] =
    g_param_spec_enum ("connection-status", NULL, NULL,
                       INP_TYPE_CONNECTION_STATUS, INP_CONNECTION_STATUS_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, custom_url_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, custom_url_error_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, token_group);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, clear_token_button);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, environment_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, test_icon);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, output_format_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, wait_spin);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, wait_adjustment);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, jobs_spin);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, jobs_adjustment);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, upload_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, folder_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, reset_folder_button);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, choose_folder_button);
  gtk_widget_class_bind_template_callback (widget_class, custom_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_token_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, inp_preferences_window_test_connection);
  gtk_widget_class_bind_template_callback (widget_class, choose_folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_folder_clicked_cb);
}

static void
inp_preferences_window_init (InpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  inp_a11y_name_inner_buttons (GTK_WIDGET (self));
}
