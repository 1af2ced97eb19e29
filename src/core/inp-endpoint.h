/* inp-endpoint.h: where the API lives, and which optional routes it has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INP_ENDPOINT_QUICKROUTER_URL "https://api.quickrouter.ai/replicate/v1"
#define INP_ENDPOINT_REPLICATE_URL   "https://api.replicate.com/v1"

/**
 * InpEndpointPreset:
 * @INP_ENDPOINT_PRESET_QUICKROUTER: the QuickRouter relay
 * @INP_ENDPOINT_PRESET_REPLICATE: Replicate itself
 * @INP_ENDPOINT_PRESET_CUSTOM: the address in the `custom-base-url` setting
 *
 * The values match the nicks of the `endpoint` setting.
 */
typedef enum
{
  INP_ENDPOINT_PRESET_QUICKROUTER,
  INP_ENDPOINT_PRESET_REPLICATE,
  INP_ENDPOINT_PRESET_CUSTOM,
} InpEndpointPreset;

/**
 * InpRoute:
 * @INP_ROUTE_FILES: `POST /files`
 * @INP_ROUTE_MODELS: `GET /models/{owner}/{name}`
 * @INP_ROUTE_ACCOUNT: `GET /account`
 *
 * The routes a relay may lack.
 */
typedef enum
{
  INP_ROUTE_FILES,
  INP_ROUTE_MODELS,
  INP_ROUTE_ACCOUNT,
  INP_N_ROUTES,
} InpRoute;

/**
 * InpRouteState:
 * @INP_ROUTE_STATE_UNKNOWN: not tried yet
 * @INP_ROUTE_STATE_PRESENT: answered once with something other than 404/405
 * @INP_ROUTE_STATE_ABSENT: answered 404 or 405 for the route itself
 */
typedef enum
{
  INP_ROUTE_STATE_UNKNOWN,
  INP_ROUTE_STATE_PRESENT,
  INP_ROUTE_STATE_ABSENT,
} InpRouteState;

#define INP_TYPE_ENDPOINT (inp_endpoint_get_type ())

G_DECLARE_FINAL_TYPE (InpEndpoint, inp_endpoint, INP, ENDPOINT, GObject)

gboolean       inp_endpoint_check_base_url       (const char        *base_url,
                                                  GError           **error);
InpEndpoint   *inp_endpoint_new                  (const char        *base_url,
                                                  GError           **error);
InpEndpoint   *inp_endpoint_new_for_preset       (InpEndpointPreset  preset);
InpEndpoint   *inp_endpoint_new_from_settings    (GSettings         *settings,
                                                  GError           **error);
const char    *inp_endpoint_get_base_url         (InpEndpoint       *self);
const char    *inp_endpoint_get_host             (InpEndpoint       *self);
const char    *inp_endpoint_get_origin           (InpEndpoint       *self);
gboolean       inp_endpoint_get_needs_network    (InpEndpoint       *self);
void           inp_endpoint_set_needs_network    (InpEndpoint       *self,
                                                  gboolean           needs_network);
gboolean       inp_endpoint_is_same_origin       (InpEndpoint       *self,
                                                  const char        *url);
char          *inp_endpoint_build_url            (InpEndpoint       *self,
                                                  const char        *first_segment,
                                                  ...) G_GNUC_NULL_TERMINATED;
InpRouteState  inp_endpoint_get_route_state      (InpEndpoint       *self,
                                                  InpRoute           route);
void           inp_endpoint_set_route_state      (InpEndpoint       *self,
                                                  InpRoute           route,
                                                  InpRouteState      state);
void           inp_endpoint_forget_routes        (void);

char          *inp_url_get_origin                (const char        *url);

G_END_DECLS
