/* inp-test-sandbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "inp-test-sandbox.h"
#include "inp-test-utils.h"
#include "inp-token.h"

/**
 * inp_test_sandbox_start:
 * @prefix: "/v1" or "/replicate/v1"
 *
 * Returns: (transfer full): a running sandbox that wants %INP_TEST_TOKEN, with a short model time.
 */
InpSandbox *
inp_test_sandbox_start (const char *prefix)
{
  g_autoptr(GError) error = NULL;
  InpSandbox *sandbox = inp_sandbox_new ();

  inp_sandbox_set_token (sandbox, INP_TEST_TOKEN);
  inp_sandbox_set_model_time (sandbox, 60);
  inp_sandbox_start (sandbox, prefix, &error);
  g_assert_no_error (error);

  return sandbox;
}

/**
 * inp_test_sandbox_use_in_app:
 *
 * Makes @sandbox the endpoint of the application's windows, as for a user who chose a custom
 * endpoint and has the token in the environment.
 */
void
inp_test_sandbox_use_in_app (InpSandbox *sandbox)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_setenv (INP_TOKEN_ENVIRONMENT_VARIABLE, INP_TEST_TOKEN, TRUE);
  g_settings_set_string (settings, "endpoint", "custom");
  g_settings_set_string (settings, "custom-base-url", inp_sandbox_get_base_url (sandbox));
}

/**
 * inp_test_client_new:
 *
 * Returns: (transfer full): a client of @sandbox with quick retries, as tests want them.
 */
InpClient *
inp_test_client_new (InpSandbox *sandbox)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InpEndpoint) endpoint = inp_endpoint_new (inp_sandbox_get_base_url (sandbox), &error);
  InpClient *client;

  g_assert_no_error (error);
  inp_endpoint_forget_routes ();
  client = inp_client_new (endpoint, INP_TEST_TOKEN);
  inp_client_set_retry_policy (client, 4, 20);

  return client;
}

/**
 * inp_test_write_png:
 * @dir: a folder of the test's
 * @name: the file's name
 *
 * Writes a colour-pattern inp_test_png_bytes() picture, as a picture a user would open.
 *
 * Returns: (transfer full): its path
 */
char *
inp_test_write_png (const char *dir,
                    const char *name,
                    int         width,
                    int         height)
{
  g_autoptr(GBytes) png = inp_test_png_bytes (width, height, FALSE);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);

  return path;
}

/**
 * inp_test_png_bytes:
 * @mask: a black picture with a white square in the middle, instead of a colour pattern
 *
 * Returns: (transfer full): a PNG file.
 */
GBytes *
inp_test_png_bytes (int      width,
                    int      height,
                    gboolean mask)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        if (mask)
          {
            gboolean inside = x > width / 4 && x < 3 * width / 4 && y > height / 4
                              && y < 3 * height / 4;

            p[0] = p[1] = p[2] = inside ? 255 : 0;
          }
        else
          {
            p[0] = x * 255 / width;
            p[1] = y * 255 / height;
            p[2] = 128;
          }
      }

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/**
 * inp_test_noise_png_bytes:
 *
 * Returns: (transfer full): a PNG of deterministic noise, which hardly compresses: the size of a
 *   real photo's file, or more.
 */
GBytes *
inp_test_noise_png_bytes (int width,
                          int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * 3; x++)
      pixels[y * stride + x] = g_rand_int_range (rand, 0, 256);

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/**
 * inp_test_job_for_model:
 *
 * Returns: (transfer full): a job with a prompt for every required text input and a picture for
 *   every image input the model has.
 */
InpJob *
inp_test_job_for_model (InpClient  *client,
                        InpModel   *model,
                        const char *output_directory)
{
  g_autoptr(JsonObject) values = json_object_new ();
  InpInputSchema *schema = inp_model_get_schema (model);
  GPtrArray *fields = inp_input_schema_get_fields (schema);
  const char *image_input = inp_model_get_image_input (model);
  const char *mask_input = inp_model_get_mask_input (model);
  InpJob *job;

  for (guint i = 0; i < fields->len; i++)
    {
      InpInputField *field = g_ptr_array_index (fields, i);
      const char *name = inp_input_field_get_name (field);

      if (inp_input_field_get_field_type (field) != INP_FIELD_TYPE_STRING
          || inp_input_field_get_enum (field) != NULL)
        continue;
      if (inp_input_field_is_required (field) || g_str_equal (name, "prompt"))
        json_object_set_string_member (values, name, "a red fox in the snow");
    }

  job = inp_job_new (client, model, values, output_directory);

  for (guint i = 0; i < fields->len; i++)
    {
      InpInputField *field = g_ptr_array_index (fields, i);
      const char *name = inp_input_field_get_name (field);

      if (inp_input_field_get_field_type (field) != INP_FIELD_TYPE_FILE)
        continue;
      if (g_strcmp0 (name, mask_input) == 0)
        {
          g_autoptr(GBytes) mask = inp_test_png_bytes (128, 128, TRUE);

          inp_job_set_file (job, name, mask, "image/png");
        }
      else if (g_strcmp0 (name, image_input) == 0 || inp_input_field_is_required (field))
        {
          g_autoptr(GBytes) image = inp_test_png_bytes (128, 128, FALSE);

          inp_job_set_file (job, name, image, "image/png");
        }
    }

  return job;
}

/**
 * inp_test_run_job:
 *
 * Runs @job on the default main context until it ends.
 *
 * Returns: (transfer full) (nullable): the saved paths, or %NULL with @error set.
 */
GPtrArray *
inp_test_run_job (InpJob        *job,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_job_run_async (job, cancellable, inp_test_result_cb, &result);
  return inp_job_run_finish (job, inp_test_wait_result (&result, 60000), error);
}

/**
 * inp_test_assert_token_kept:
 *
 * Asserts from the sandbox's request log that a token went to the API origin only, with every
 * request there, and that nothing at all went to the decoy (the `urls.*` host).
 */
void
inp_test_assert_token_kept (InpSandbox *sandbox)
{
  g_autoptr(GPtrArray) requests = inp_sandbox_dup_requests (sandbox);

  for (guint i = 0; i < requests->len; i++)
    {
      InpSandboxRequest *request = g_ptr_array_index (requests, i);

      g_assert_cmpstr (request->origin, !=, "decoy");
      if (g_str_equal (request->origin, "api"))
        g_assert_true (g_str_has_prefix (request->authorization, "Bearer "));
      else
        g_assert_null (request->authorization);
    }
}

guint
inp_test_count_origin (InpSandbox *sandbox,
                       const char *origin)
{
  g_autoptr(GPtrArray) requests = inp_sandbox_dup_requests (sandbox);
  guint count = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      InpSandboxRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->origin, origin))
        count++;
    }

  return count;
}
