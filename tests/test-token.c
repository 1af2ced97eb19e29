/* test-token.c: the token from the environment and from the keyring (libsecret's file backend)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* libsecret 0.20's file backend overwrites the etag of its previous write without freeing it
 * (on_replace_contents in secret-file-collection.c). Only writes are exempted, only here. */
#define KEYRING_WRITE_BEGIN() __lsan_disable ()
#define KEYRING_WRITE_END() __lsan_enable ()
#else
#define KEYRING_WRITE_BEGIN()
#define KEYRING_WRITE_END()
#endif

#include "inp-error.h"
#include "inp-test-utils.h"
#include "inp-token.h"

typedef struct
{
  char     *token;
  gboolean  ok;
  GError   *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->token, g_free);
  g_clear_error (&result->error);
  result->ok = FALSE;
}

static void
lookup (InpEndpoint *endpoint,
        Result      *result)
{
  g_autoptr(GAsyncResult) async_result = NULL;

  result_clear (result);
  inp_token_lookup_async (endpoint, NULL, inp_test_result_cb, &async_result);
  result->token = inp_token_lookup_finish (inp_test_wait_result (&async_result, 10000),
                                           &result->error);
}

static void
store (InpEndpoint *endpoint,
       const char  *token,
       Result      *result)
{
  g_autoptr(GAsyncResult) async_result = NULL;

  result_clear (result);
  KEYRING_WRITE_BEGIN ();
  inp_token_store_async (endpoint, token, NULL, inp_test_result_cb, &async_result);
  inp_test_wait_result (&async_result, 10000);
  KEYRING_WRITE_END ();
  result->ok = inp_token_store_finish (async_result, &result->error);
}

static void
clear (InpEndpoint *endpoint,
       Result      *result)
{
  g_autoptr(GAsyncResult) async_result = NULL;

  result_clear (result);
  KEYRING_WRITE_BEGIN ();
  inp_token_clear_async (endpoint, NULL, inp_test_result_cb, &async_result);
  inp_test_wait_result (&async_result, 10000);
  KEYRING_WRITE_END ();
  result->ok = inp_token_clear_finish (async_result, &result->error);
}

static void
test_keyring (void)
{
  g_autoptr(InpEndpoint) relay = inp_endpoint_new ("https://relay.example/replicate/v1", NULL);
  g_autoptr(InpEndpoint) relay_v2 = inp_endpoint_new ("https://relay.example/v2", NULL);
  g_autoptr(InpEndpoint) replicate = inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_REPLICATE);
  Result result = { 0, };

  g_assert_null (inp_token_get_from_environment ());

  lookup (relay, &result);
  g_assert_error (result.error, INP_ERROR, INP_ERROR_NO_TOKEN);
  g_assert_null (result.token);
  g_assert_nonnull (strstr (result.error->message, "relay.example"));

  store (relay, "  r8_relay_secret\n", &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  /* Keyed by host: the same host under another path shares it, another host does not. */
  lookup (relay_v2, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.token, ==, "r8_relay_secret");

  lookup (replicate, &result);
  g_assert_error (result.error, INP_ERROR, INP_ERROR_NO_TOKEN);

  store (replicate, "r8_replicate_secret", &result);
  g_assert_no_error (result.error);
  lookup (replicate, &result);
  g_assert_cmpstr (result.token, ==, "r8_replicate_secret");

  store (relay, "   ", &result);
  g_assert_error (result.error, INP_ERROR, INP_ERROR_NO_TOKEN);

  clear (relay, &result);
  g_assert_no_error (result.error);
  lookup (relay, &result);
  g_assert_error (result.error, INP_ERROR, INP_ERROR_NO_TOKEN);
  /* The error names the host, never a token. */
  g_assert_null (strstr (result.error->message, "r8_"));

  /* Clearing what is not there is fine. */
  clear (relay, &result);
  g_assert_no_error (result.error);

  lookup (replicate, &result);
  g_assert_cmpstr (result.token, ==, "r8_replicate_secret");

  result_clear (&result);
}

static void
test_environment_wins (void)
{
  g_autoptr(InpEndpoint) replicate = inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_REPLICATE);
  Result result = { 0, };

  store (replicate, "r8_from_keyring", &result);
  g_assert_no_error (result.error);

  g_setenv (INP_TOKEN_ENVIRONMENT_VARIABLE, "r8_from_environment", TRUE);
  lookup (replicate, &result);
  g_assert_cmpstr (result.token, ==, "r8_from_environment");

  /* Empty counts as unset. */
  g_setenv (INP_TOKEN_ENVIRONMENT_VARIABLE, "", TRUE);
  g_assert_null (inp_token_get_from_environment ());
  lookup (replicate, &result);
  g_assert_cmpstr (result.token, ==, "r8_from_keyring");

  clear (replicate, &result);
  result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *keyring = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  dir = inp_test_make_temp_dir ();
  keyring = g_build_filename (dir, "test.keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  g_test_add_func ("/core/token/keyring", test_keyring);
  g_test_add_func ("/core/token/environment-wins", test_environment_wins);

  ret = g_test_run ();
  inp_test_remove_tree (dir);
  return ret;
}
