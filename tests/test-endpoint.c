/* test-endpoint.c: base addresses, presets, origins and route detection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-endpoint.h"
#include "inp-error.h"

static void
test_accepts (void)
{
  const char *good[] = {
    "https://api.replicate.com/v1",
    "https://api.quickrouter.ai/replicate/v1/",
    "https://relay.example:8443/replicate/v1",
    "http://127.0.0.1:8080/v1",
    "http://127.3.4.5/v1",
    "http://localhost:1234/replicate/v1",
    "http://[::1]:9000/v1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(InpEndpoint) endpoint = inp_endpoint_new (good[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (endpoint);
      /* The trailing slash is dropped so that paths join with exactly one. */
      g_assert_false (g_str_has_suffix (inp_endpoint_get_base_url (endpoint), "/"));
    }
}

static void
test_refuses (void)
{
  const struct { const char *url; InpError code; } bad[] = {
    { "http://api.replicate.com/v1", INP_ERROR_INSECURE_URL },
    { "http://192.168.1.2/v1", INP_ERROR_INSECURE_URL },
    { "http://127.0.0.1.example.com/v1", INP_ERROR_INSECURE_URL },
    { "http://[::2]/v1", INP_ERROR_INSECURE_URL },
    { "ftp://example.com/v1", INP_ERROR_INSECURE_URL },
    { "api.replicate.com/v1", INP_ERROR_FAILED },
    { "", INP_ERROR_FAILED },
    { "https://user:pass@example.com/v1", INP_ERROR_FAILED },
    { "https://example.com/v1?token=1", INP_ERROR_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(InpEndpoint) endpoint = inp_endpoint_new (bad[i].url, &error);

      g_assert_null (endpoint);
      g_assert_error (error, INP_ERROR, bad[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_presets (void)
{
  g_autoptr(InpEndpoint) quickrouter = inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_QUICKROUTER);
  g_autoptr(InpEndpoint) replicate = inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_REPLICATE);

  g_assert_cmpstr (inp_endpoint_get_base_url (quickrouter), ==,
                   "https://api.quickrouter.ai/replicate/v1");
  g_assert_cmpstr (inp_endpoint_get_host (quickrouter), ==, "api.quickrouter.ai");
  g_assert_cmpstr (inp_endpoint_get_base_url (replicate), ==, "https://api.replicate.com/v1");
  g_assert_cmpstr (inp_endpoint_get_origin (replicate), ==, "https://api.replicate.com:443");
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(InpEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;

  endpoint = inp_endpoint_new_from_settings (settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inp_endpoint_get_base_url (endpoint), ==, INP_ENDPOINT_QUICKROUTER_URL);
  g_clear_object (&endpoint);

  g_settings_set_string (settings, "endpoint", "replicate");
  endpoint = inp_endpoint_new_from_settings (settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inp_endpoint_get_base_url (endpoint), ==, INP_ENDPOINT_REPLICATE_URL);
  g_clear_object (&endpoint);

  g_settings_set_string (settings, "endpoint", "custom");
  endpoint = inp_endpoint_new_from_settings (settings, &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_FAILED);
  g_assert_null (endpoint);
  g_clear_error (&error);

  g_settings_set_string (settings, "custom-base-url", "http://relay.example/replicate/v1");
  endpoint = inp_endpoint_new_from_settings (settings, &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_INSECURE_URL);
  g_clear_error (&error);

  g_settings_set_string (settings, "custom-base-url", " https://relay.example/replicate/v1/ ");
  endpoint = inp_endpoint_new_from_settings (settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inp_endpoint_get_base_url (endpoint), ==, "https://relay.example/replicate/v1");

  g_settings_reset (settings, "endpoint");
  g_settings_reset (settings, "custom-base-url");
}

static void
test_origin (void)
{
  g_autoptr(InpEndpoint) endpoint = inp_endpoint_new ("https://API.example.com/replicate/v1", NULL);
  g_autoptr(InpEndpoint) local = inp_endpoint_new ("http://127.0.0.1:8080/v1", NULL);

  g_assert_true (inp_endpoint_is_same_origin (endpoint, "https://api.example.com/replicate/v1/x"));
  g_assert_true (inp_endpoint_is_same_origin (endpoint, "https://api.example.com:443/other"));
  g_assert_false (inp_endpoint_is_same_origin (endpoint, "http://api.example.com/replicate/v1"));
  g_assert_false (inp_endpoint_is_same_origin (endpoint, "https://api.example.com:8443/v1"));
  g_assert_false (inp_endpoint_is_same_origin (endpoint, "https://api.example.com.evil/v1"));
  g_assert_false (inp_endpoint_is_same_origin (endpoint, "https://replicate.delivery/x.png"));
  g_assert_false (inp_endpoint_is_same_origin (endpoint, "data:image/png;base64,AAAA"));
  g_assert_false (inp_endpoint_is_same_origin (endpoint, NULL));

  g_assert_true (inp_endpoint_is_same_origin (local, "http://127.0.0.1:8080/files/1"));
  g_assert_false (inp_endpoint_is_same_origin (local, "http://127.0.0.1:8081/files/1"));
  g_assert_false (inp_endpoint_is_same_origin (local, "http://localhost:8080/files/1"));
}

static void
test_build_url (void)
{
  g_autoptr(InpEndpoint) endpoint = inp_endpoint_new ("https://relay.example/replicate/v1/", NULL);
  g_autofree char *get = inp_endpoint_build_url (endpoint, "predictions", "abc123", NULL);
  g_autofree char *model = inp_endpoint_build_url (endpoint, "models", "black-forest-labs",
                                                   "flux-fill-pro", "predictions", NULL);
  g_autofree char *hostile = inp_endpoint_build_url (endpoint, "predictions", "../../x?y#z", NULL);

  g_assert_cmpstr (get, ==, "https://relay.example/replicate/v1/predictions/abc123");
  g_assert_cmpstr (model, ==, "https://relay.example/replicate/v1/models/black-forest-labs/"
                              "flux-fill-pro/predictions");
  /* A segment never escapes its place in the path. */
  g_assert_cmpstr (hostile, ==, "https://relay.example/replicate/v1/predictions/..%2F..%2Fx%3Fy%23z");
}

static void
test_routes (void)
{
  g_autoptr(InpEndpoint) first = inp_endpoint_new ("https://relay.example/replicate/v1", NULL);
  g_autoptr(InpEndpoint) second = inp_endpoint_new ("https://relay.example/replicate/v1/", NULL);
  g_autoptr(InpEndpoint) other = inp_endpoint_new ("https://api.replicate.com/v1", NULL);

  inp_endpoint_forget_routes ();
  for (InpRoute route = 0; route < INP_N_ROUTES; route++)
    g_assert_cmpint (inp_endpoint_get_route_state (first, route), ==, INP_ROUTE_STATE_UNKNOWN);

  inp_endpoint_set_route_state (first, INP_ROUTE_FILES, INP_ROUTE_STATE_ABSENT);
  inp_endpoint_set_route_state (first, INP_ROUTE_ACCOUNT, INP_ROUTE_STATE_PRESENT);

  /* What one endpoint object learnt holds for every object of the same base URL… */
  g_assert_cmpint (inp_endpoint_get_route_state (second, INP_ROUTE_FILES), ==,
                   INP_ROUTE_STATE_ABSENT);
  g_assert_cmpint (inp_endpoint_get_route_state (second, INP_ROUTE_ACCOUNT), ==,
                   INP_ROUTE_STATE_PRESENT);
  g_assert_cmpint (inp_endpoint_get_route_state (second, INP_ROUTE_MODELS), ==,
                   INP_ROUTE_STATE_UNKNOWN);
  /* …and not for another endpoint. */
  g_assert_cmpint (inp_endpoint_get_route_state (other, INP_ROUTE_FILES), ==,
                   INP_ROUTE_STATE_UNKNOWN);

  inp_endpoint_forget_routes ();
  g_assert_cmpint (inp_endpoint_get_route_state (first, INP_ROUTE_FILES), ==,
                   INP_ROUTE_STATE_UNKNOWN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/endpoint/accepts", test_accepts);
  g_test_add_func ("/core/endpoint/refuses", test_refuses);
  g_test_add_func ("/core/endpoint/presets", test_presets);
  g_test_add_func ("/core/endpoint/settings", test_settings);
  g_test_add_func ("/core/endpoint/origin", test_origin);
  g_test_add_func ("/core/endpoint/build-url", test_build_url);
  g_test_add_func ("/core/endpoint/routes", test_routes);

  return g_test_run ();
}
