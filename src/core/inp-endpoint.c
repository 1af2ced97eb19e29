/* inp-endpoint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-endpoint.h"
#include "inp-error.h"

struct _InpEndpoint
{
  GObject  parent_instance;

  char    *base_url;
  char    *host;
  char    *origin;
  gboolean needs_network;
};

G_DEFINE_FINAL_TYPE (InpEndpoint, inp_endpoint, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What each base URL has shown about its optional routes, shared by every endpoint object of that
 * URL so that one 404 is enough for the whole process. */
static GMutex routes_lock;
static GHashTable *routes_by_base_url;

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static char *
origin_of_uri (GUri *uri)
{
  g_autofree char *host = g_ascii_strdown (g_uri_get_host (uri), -1);
  g_autofree char *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);

  /* IPv6 literals come back from GUri without their brackets. */
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%d", scheme, host, effective_port (uri));

  return g_strdup_printf ("%s://%s:%d", scheme, host, effective_port (uri));
}

/**
 * inp_url_get_origin:
 * @url: an absolute http(s) URL
 *
 * Returns: (nullable): "scheme://host:port" with the port always written, or %NULL when @url is not
 *   an absolute http(s) URL with a host.
 */
char *
inp_url_get_origin (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return NULL;

  return origin_of_uri (uri);
}

/**
 * inp_endpoint_check_base_url:
 * @base_url: a base address such as `https://api.replicate.com/v1`
 *
 * Checks that @base_url can be an endpoint: an absolute https URL, or http to a loopback address,
 * without user information, query or fragment.
 *
 * Returns: %TRUE if it can; otherwise %FALSE with %INP_ERROR_INSECURE_URL or %INP_ERROR_FAILED.
 */
gboolean
inp_endpoint_check_base_url (const char  *base_url,
                             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (base_url != NULL, FALSE);

  uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                   /* Translators: what the user typed, then an example address */
                   _("“%s” is not a web address. Write it in full, such as %s."),
                   base_url, INP_ENDPOINT_REPLICATE_URL);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                   _("The API address must not contain a user name, a query or a fragment."));
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (host_is_loopback (host))
        return TRUE;

      g_set_error (error, INP_ERROR, INP_ERROR_INSECURE_URL,
                   _("Plain http would send the API token unencrypted to %s. Use https; plain "
                     "http is only accepted for this computer’s own addresses."), host);
      return FALSE;
    }

  g_set_error (error, INP_ERROR, INP_ERROR_INSECURE_URL,
               _("The API address must start with https://."));
  return FALSE;
}

/**
 * inp_endpoint_new:
 * @base_url: the base address including the API version and any relay prefix
 *
 * Returns: (transfer full) (nullable): a new endpoint, or %NULL with an error when @base_url is
 *   not acceptable (see inp_endpoint_check_base_url()).
 */
InpEndpoint *
inp_endpoint_new (const char  *base_url,
                  GError     **error)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  if (!inp_endpoint_check_base_url (base_url, error))
    return NULL;

  return g_object_new (INP_TYPE_ENDPOINT, "base-url", base_url, NULL);
}

InpEndpoint *
inp_endpoint_new_for_preset (InpEndpointPreset preset)
{
  g_return_val_if_fail (preset != INP_ENDPOINT_PRESET_CUSTOM, NULL);

  return g_object_new (INP_TYPE_ENDPOINT,
                       "base-url", preset == INP_ENDPOINT_PRESET_REPLICATE
                                     ? INP_ENDPOINT_REPLICATE_URL
                                     : INP_ENDPOINT_QUICKROUTER_URL,
                       NULL);
}

/**
 * inp_endpoint_new_from_settings:
 * @settings: the application's settings (`endpoint` and `custom-base-url` keys)
 *
 * Returns: (transfer full) (nullable): the endpoint the settings choose, or %NULL with an error
 *   when the custom address is empty or not acceptable.
 */
InpEndpoint *
inp_endpoint_new_from_settings (GSettings  *settings,
                                GError    **error)
{
  InpEndpointPreset preset;
  g_autofree char *custom = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  preset = g_settings_get_enum (settings, "endpoint");
  if (preset != INP_ENDPOINT_PRESET_CUSTOM)
    return inp_endpoint_new_for_preset (preset);

  custom = g_strstrip (g_settings_get_string (settings, "custom-base-url"));
  if (*custom == '\0')
    {
      g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                   _("A custom endpoint is selected but its address is empty. Enter it in the "
                     "preferences."));
      return NULL;
    }

  return inp_endpoint_new (custom, error);
}

const char *
inp_endpoint_get_base_url (InpEndpoint *self)
{
  g_return_val_if_fail (INP_IS_ENDPOINT (self), NULL);

  return self->base_url;
}

/**
 * inp_endpoint_get_needs_network:
 *
 * Returns: whether reaching the endpoint needs the network; %TRUE unless
 *   inp_endpoint_set_needs_network() said otherwise
 */
gboolean
inp_endpoint_get_needs_network (InpEndpoint *self)
{
  g_return_val_if_fail (INP_IS_ENDPOINT (self), TRUE);

  return self->needs_network;
}

/**
 * inp_endpoint_set_needs_network:
 * @needs_network: %FALSE for a service known to run on this machine, such as the sandbox
 *
 * A loopback address alone does not tell: it may be a local relay to the real service.
 */
void
inp_endpoint_set_needs_network (InpEndpoint *self,
                                gboolean     needs_network)
{
  g_return_if_fail (INP_IS_ENDPOINT (self));

  self->needs_network = !!needs_network;
}

/**
 * inp_endpoint_get_host:
 *
 * Returns: the host name, lower case; the key under which the token is stored.
 */
const char *
inp_endpoint_get_host (InpEndpoint *self)
{
  g_return_val_if_fail (INP_IS_ENDPOINT (self), NULL);

  return self->host;
}

/**
 * inp_endpoint_get_origin:
 *
 * Returns: "scheme://host:port" of the base URL, the only origin that ever sees the token.
 */
const char *
inp_endpoint_get_origin (InpEndpoint *self)
{
  g_return_val_if_fail (INP_IS_ENDPOINT (self), NULL);

  return self->origin;
}

/**
 * inp_endpoint_is_same_origin:
 * @url: any URL
 *
 * Returns: %TRUE when @url has exactly the endpoint's scheme, host and port.
 */
gboolean
inp_endpoint_is_same_origin (InpEndpoint *self,
                             const char  *url)
{
  g_autofree char *origin = NULL;

  g_return_val_if_fail (INP_IS_ENDPOINT (self), FALSE);

  if (url == NULL)
    return FALSE;

  origin = inp_url_get_origin (url);
  return origin != NULL && g_str_equal (origin, self->origin);
}

/**
 * inp_endpoint_build_url:
 * @first_segment: the first path segment below the base, such as "predictions"
 * @...: more segments, then %NULL
 *
 * Each segment is percent-escaped, so an identifier from a server cannot climb out of its place.
 *
 * Returns: (transfer full): the base URL with the segments appended.
 */
char *
inp_endpoint_build_url (InpEndpoint *self,
                        const char  *first_segment,
                        ...)
{
  GString *url;
  va_list args;

  g_return_val_if_fail (INP_IS_ENDPOINT (self), NULL);

  url = g_string_new (self->base_url);
  va_start (args, first_segment);
  for (const char *segment = first_segment; segment != NULL; segment = va_arg (args, const char *))
    {
      g_string_append_c (url, '/');
      g_string_append_uri_escaped (url, segment, NULL, FALSE);
    }
  va_end (args);

  return g_string_free (url, FALSE);
}

static InpRouteState *
lookup_routes_locked (const char *base_url)
{
  InpRouteState *states;

  if (routes_by_base_url == NULL)
    routes_by_base_url = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  states = g_hash_table_lookup (routes_by_base_url, base_url);
  if (states == NULL)
    {
      states = g_new0 (InpRouteState, INP_N_ROUTES);
      g_hash_table_insert (routes_by_base_url, g_strdup (base_url), states);
    }

  return states;
}

InpRouteState
inp_endpoint_get_route_state (InpEndpoint *self,
                              InpRoute     route)
{
  InpRouteState state;

  g_return_val_if_fail (INP_IS_ENDPOINT (self), INP_ROUTE_STATE_UNKNOWN);
  g_return_val_if_fail (route < INP_N_ROUTES, INP_ROUTE_STATE_UNKNOWN);

  g_mutex_lock (&routes_lock);
  state = lookup_routes_locked (self->base_url)[route];
  g_mutex_unlock (&routes_lock);

  return state;
}

void
inp_endpoint_set_route_state (InpEndpoint   *self,
                              InpRoute       route,
                              InpRouteState  state)
{
  g_return_if_fail (INP_IS_ENDPOINT (self));
  g_return_if_fail (route < INP_N_ROUTES);

  g_mutex_lock (&routes_lock);
  lookup_routes_locked (self->base_url)[route] = state;
  g_mutex_unlock (&routes_lock);

  g_debug ("endpoint: route %d of %s is %s", route, self->origin,
           state == INP_ROUTE_STATE_PRESENT ? "present"
           : state == INP_ROUTE_STATE_ABSENT ? "absent" : "unknown");
}

/**
 * inp_endpoint_forget_routes:
 *
 * Forgets what every endpoint has shown about its routes, as after the user changed the relay.
 */
void
inp_endpoint_forget_routes (void)
{
  g_mutex_lock (&routes_lock);
  g_clear_pointer (&routes_by_base_url, g_hash_table_unref);
  g_mutex_unlock (&routes_lock);
}

static void
inp_endpoint_set_base_url (InpEndpoint *self,
                           const char  *base_url)
{
  g_autoptr(GUri) uri = NULL;
  gsize len;

  g_assert (self->base_url == NULL);

  /* Validation happened in the constructors; a property set with a bad URL is a programming error. */
  uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
  g_return_if_fail (uri != NULL && g_uri_get_host (uri) != NULL);

  self->base_url = g_strdup (base_url);
  len = strlen (self->base_url);
  while (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[--len] = '\0';

  self->host = g_ascii_strdown (g_uri_get_host (uri), -1);
  self->origin = origin_of_uri (uri);
}

static void
inp_endpoint_finalize (GObject *object)
{
  InpEndpoint *self = INP_ENDPOINT (object);

  g_free (self->base_url);
  g_free (self->host);
  g_free (self->origin);

  G_OBJECT_CLASS (inp_endpoint_parent_class)->finalize (object);
}

static void
inp_endpoint_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  InpEndpoint *self = INP_ENDPOINT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_endpoint_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  InpEndpoint *self = INP_ENDPOINT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      inp_endpoint_set_base_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_endpoint_class_init (InpEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_endpoint_finalize;
  object_class->get_property = inp_endpoint_get_property;
  object_class->set_property = inp_endpoint_set_property;

  /**
   * InpEndpoint:base-url:
   *
   * The base address, with the API version and any relay prefix, without a trailing slash.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inp_endpoint_init (InpEndpoint *self)
{
  self->needs_network = TRUE;
}
