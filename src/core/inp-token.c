/* inp-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "inp-error.h"
#include "inp-token.h"

/* One secret per API host: a relay and Replicate itself need different tokens. */
static const SecretSchema token_schema = {
  "io.github.inpainter.Inpainter.Token",
  SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/**
 * inp_token_get_from_environment:
 *
 * Returns: (nullable): the value of `REPLICATE_API_TOKEN` when it is set and not empty. It wins
 *   over the keyring, as with Replicate's own clients.
 */
const char *
inp_token_get_from_environment (void)
{
  const char *token = g_getenv (INP_TOKEN_ENVIRONMENT_VARIABLE);

  return (token != NULL && *token != '\0') ? token : NULL;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InpEndpoint *endpoint = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret;
  char *token;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_debug ("token: keyring lookup failed: %s", error->message);
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_NO_TOKEN,
                               _("The keyring could not be read (%s). Set the API token again in "
                                 "the preferences."), error->message);
      return;
    }

  if (secret == NULL || *secret == '\0')
    {
      secret_password_free (secret);
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_NO_TOKEN,
                               /* Translators: %s is a host name, such as “api.replicate.com” */
                               _("No API token is set for %s. Add one in the preferences, or set "
                                 "REPLICATE_API_TOKEN."), inp_endpoint_get_host (endpoint));
      return;
    }

  token = g_strdup (secret);
  secret_password_free (secret);
  g_task_return_pointer (task, token, g_free);
}

/**
 * inp_token_lookup_async:
 * @endpoint: the endpoint whose host the token belongs to
 *
 * Finds the token: `REPLICATE_API_TOKEN` when set, otherwise the keyring entry for the endpoint's
 * host.
 */
void
inp_token_lookup_async (InpEndpoint         *endpoint,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *token;

  g_return_if_fail (INP_IS_ENDPOINT (endpoint));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_token_lookup_async);
  g_task_set_task_data (task, g_object_ref (endpoint), g_object_unref);

  token = inp_token_get_from_environment ();
  if (token != NULL)
    {
      g_task_return_pointer (task, g_strdup (token), g_free);
      return;
    }

  secret_password_lookup (&token_schema, cancellable, lookup_cb, g_steal_pointer (&task),
                          "host", inp_endpoint_get_host (endpoint),
                          NULL);
}

/**
 * inp_token_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL with %INP_ERROR_NO_TOKEN.
 */
char *
inp_token_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_token_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("The token could not be saved in the keyring: %s"),
                               error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * inp_token_store_async:
 * @token: the token; surrounding white space is dropped
 *
 * Saves @token in the keyring under the endpoint's host.
 */
void
inp_token_store_async (InpEndpoint         *endpoint,
                       const char          *token,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  g_autofree char *stripped = NULL;

  g_return_if_fail (INP_IS_ENDPOINT (endpoint));
  g_return_if_fail (token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_token_store_async);

  stripped = g_strstrip (g_strdup (token));
  if (*stripped == '\0')
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_NO_TOKEN, _("The token is empty."));
      return;
    }

  /* Translators: the token’s name in the keyring; %s is a host name, such as “api.replicate.com” */
  label = g_strdup_printf (_("Inpainter API token for %s"), inp_endpoint_get_host (endpoint));
  secret_password_store (&token_schema, SECRET_COLLECTION_DEFAULT, label, stripped,
                         cancellable, store_cb, g_steal_pointer (&task),
                         "host", inp_endpoint_get_host (endpoint),
                         NULL);
}

gboolean
inp_token_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_token_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Clearing a token that was never stored is not a failure. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("The token could not be removed from the keyring: %s"),
                               error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * inp_token_clear_async:
 *
 * Removes the endpoint host's token from the keyring. The environment variable is left alone.
 */
void
inp_token_clear_async (InpEndpoint         *endpoint,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (INP_IS_ENDPOINT (endpoint));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_token_clear_async);

  secret_password_clear (&token_schema, cancellable, clear_cb, g_steal_pointer (&task),
                         "host", inp_endpoint_get_host (endpoint),
                         NULL);
}

gboolean
inp_token_clear_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_token_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
