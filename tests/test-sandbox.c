/* test-sandbox.c: the Replicate-compatible sandbox, driven with plain SoupSession requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "inp-catalog.h"
#include "inp-i18n.h"
#include "inp-image.h"
#include "inp-sandbox.h"
#include "inp-test-media.h"

#define TOKEN "sandbox-token"

typedef struct
{
  InpSandbox  *sandbox;
  SoupSession *session;
} Fixture;

typedef struct
{
  guint       status;
  GBytes     *body;
  char       *content_type;
  char       *preference_applied;
  char       *retry_after;
  goffset     content_length;
  GError     *error;
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->content_type);
  g_free (response->preference_applied);
  g_free (response->retry_after);
  g_clear_error (&response->error);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
fixture_start (Fixture    *fixture,
               const char *prefix)
{
  g_autoptr(GError) error = NULL;

  fixture->sandbox = inp_sandbox_new ();
  inp_sandbox_set_model_time (fixture->sandbox, 0);
  g_assert_true (inp_sandbox_start (fixture->sandbox, prefix, &error));
  g_assert_no_error (error);
  fixture->session = soup_session_new ();
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture_start (fixture, data != NULL ? data : "/v1");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  inp_sandbox_stop (fixture->sandbox);
  g_assert_finalize_object (fixture->sandbox);
  g_clear_object (&fixture->session);
}

/* One plain HTTP exchange: what any client, not ours, would send. */
static Response *
send_request (Fixture    *fixture,
              const char *method,
              const char *url,
              const char *token,
              const char *prefer,
              const char *content_type,
              GBytes     *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Response *response = g_new0 (Response, 1);
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (prefer != NULL)
    soup_message_headers_replace (headers, "Prefer", prefer);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  response->body = soup_session_send_and_read (fixture->session, msg, NULL, &response->error);
  response->status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  response->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  response->preference_applied = g_strdup (soup_message_headers_get_one (headers,
                                                                         "Preference-Applied"));
  response->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  response->content_length = soup_message_headers_get_content_length (headers);
  return response;
}

static char *
api_url (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (inp_sandbox_get_base_url (fixture->sandbox), path, NULL);
}

static Response *
api_get (Fixture    *fixture,
         const char *path)
{
  g_autofree char *url = api_url (fixture, path);

  return send_request (fixture, "GET", url, TOKEN, NULL, NULL, NULL);
}

static Response *
api_post_json (Fixture    *fixture,
               const char *path,
               const char *prefer,
               JsonNode   *node)
{
  g_autofree char *url = api_url (fixture, path);
  g_autofree char *json = json_to_string (node, FALSE);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  return send_request (fixture, "POST", url, TOKEN, prefer, "application/json", body);
}

static JsonObject *
body_object (Response *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_no_error (response->error);
  json_parser_load_from_data (parser, g_bytes_get_data (response->body, NULL),
                              g_bytes_get_size (response->body), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonNode *
parse_node (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
set_png_member (JsonObject *object,
                const char *name,
                GdkPixbuf  *pixbuf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = inp_image_encode (pixbuf, "png", 0, &error);
  g_autofree char *uri = NULL;

  g_assert_no_error (error);
  uri = inp_data_uri_encode (png, "image/png");
  json_object_set_string_member (object, name, uri);
}

/* A mask whose right half is white (repaint) and left half black (keep). */
static GdkPixbuf *
half_mask (int width,
           int height)
{
  GdkPixbuf *mask = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GdkPixbuf) right = gdk_pixbuf_new_subpixbuf (mask, width / 2, 0, width - width / 2,
                                                         height);

  gdk_pixbuf_fill (mask, 0x000000ff);
  gdk_pixbuf_fill (right, 0xffffffff);
  return mask;
}

static JsonNode *
create_body (InpModel   *model,
             JsonObject *input)
{
  JsonObject *body = json_object_new ();

  if (inp_model_get_endpoint (model) == INP_MODEL_ENDPOINT_VERSION)
    json_object_set_string_member (body, "version", inp_model_get_version (model));
  json_object_set_object_member (body, "input", json_object_ref (input));
  return json_node_init_object (json_node_alloc (), body);
}

static char *
create_path (InpModel *model)
{
  if (inp_model_get_endpoint (model) == INP_MODEL_ENDPOINT_VERSION)
    return g_strdup ("/predictions");
  return g_strdup_printf ("/models/%s/predictions", inp_model_get_id (model));
}

static Response *
create (Fixture    *fixture,
        const char *model_id,
        JsonObject *input,
        const char *prefer)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), model_id);
  g_autoptr(JsonNode) body = create_body (model, input);
  g_autofree char *path = create_path (model);

  return api_post_json (fixture, path, prefer, body);
}

static gboolean
is_terminal (const char *status)
{
  return g_strv_contains ((const char *[]) { "succeeded", "failed", "canceled", NULL }, status);
}

/* Polls GET /predictions/{id} until it ends. */
static JsonObject *
wait_until_done (Fixture    *fixture,
                 const char *id)
{
  g_autofree char *path = g_strconcat ("/predictions/", id, NULL);

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(Response) response = api_get (fixture, path);
      g_autoptr(JsonObject) prediction = body_object (response);

      g_assert_cmpuint (response->status, ==, 200);
      if (is_terminal (json_object_get_string_member (prediction, "status")))
        return g_steal_pointer (&prediction);
      g_usleep (10 * 1000);
    }

  g_error ("prediction %s never ended", id);
}

/* The output files of a prediction, fetched without a token as a client should. */
static GPtrArray *
fetch_outputs (Fixture    *fixture,
               JsonObject *prediction)
{
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  JsonNode *output = json_object_get_member (prediction, "output");
  g_autoptr(JsonArray) urls = NULL;

  if (JSON_NODE_HOLDS_ARRAY (output))
    urls = json_array_ref (json_node_get_array (output));
  else
    {
      urls = json_array_new ();
      json_array_add_string_element (urls, json_node_get_string (output));
    }

  for (guint i = 0; i < json_array_get_length (urls); i++)
    {
      const char *url = json_array_get_string_element (urls, i);

      if (g_str_has_prefix (url, "data:"))
        {
          g_autoptr(GError) error = NULL;

          g_ptr_array_add (files, inp_data_uri_decode (url, NULL, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_autoptr(Response) response = NULL;

          g_assert_true (g_str_has_prefix (url, inp_sandbox_get_output_origin (fixture->sandbox)));
          response = send_request (fixture, "GET", url, NULL, NULL, NULL, NULL);
          g_assert_no_error (response->error);
          g_assert_cmpuint (response->status, ==, 200);
          g_ptr_array_add (files, g_bytes_ref (response->body));
        }
    }

  return files;
}

/* A valid, quick input for each model: small sizes, and images where the model takes them. */
static JsonObject *
minimal_input (InpModel *model)
{
  g_autoptr(GdkPixbuf) image = inp_test_new_pattern (64, 64, FALSE);
  g_autoptr(GdkPixbuf) mask = half_mask (64, 64);
  JsonObject *input = json_object_new ();
  const char *id = inp_model_get_id (model);

  if (inp_input_schema_lookup (inp_model_get_schema (model), "prompt") != NULL)
    json_object_set_string_member (input, "prompt", "a red fox in the snow");
  if (inp_model_get_image_input (model) != NULL)
    set_png_member (input, inp_model_get_image_input (model), image);
  if (inp_model_get_mask_input (model) != NULL)
    set_png_member (input, inp_model_get_mask_input (model), mask);

  if (g_str_equal (id, "stability-ai/stable-diffusion")
      || g_str_equal (id, "stability-ai/stable-diffusion-inpainting")
      || g_str_equal (id, "stability-ai/sdxl"))
    {
      json_object_set_int_member (input, "width", 128);
      json_object_set_int_member (input, "height", 64);
    }
  if (g_str_equal (id, "andreasjansson/stable-diffusion-animation"))
    {
      json_object_set_string_member (input, "prompt_start", "a seed");
      json_object_set_string_member (input, "prompt_end", "a tree");
      json_object_set_int_member (input, "width", 128);
      json_object_set_int_member (input, "height", 128);
      json_object_set_int_member (input, "num_animation_frames", 3);
    }
  if (g_str_equal (id, "black-forest-labs/flux-fill-dev"))
    json_object_set_string_member (input, "megapixels", "match_input");
  if (g_str_equal (id, "sujaykhandekar/object-removal"))
    json_object_set_string_member (input, "objects_to_remove", "person,dog");

  return input;
}

/* Every catalogue model, through both prefixes: sync first, then async with polling. */
static void
test_every_model (void)
{
  const char *prefixes[] = { "/v1", "/replicate/v1" };
  GListModel *catalog = G_LIST_MODEL (inp_catalog_get_default ());

  for (guint p = 0; p < G_N_ELEMENTS (prefixes); p++)
    {
      Fixture fixture = { NULL, NULL };

      fixture_start (&fixture, prefixes[p]);
      inp_sandbox_set_model_time (fixture.sandbox, 20);
      g_assert_true (g_str_has_suffix (inp_sandbox_get_base_url (fixture.sandbox), prefixes[p]));

      for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
        {
          g_autoptr(InpModel) model = g_list_model_get_item (catalog, i);
          g_autoptr(JsonObject) input = minimal_input (model);
          g_autoptr(Response) sync = NULL;
          g_autoptr(Response) async = NULL;
          g_autoptr(JsonObject) answer = NULL;
          g_autoptr(JsonObject) created = NULL;
          g_autoptr(JsonObject) done = NULL;
          g_autoptr(GPtrArray) sync_files = NULL;
          g_autoptr(GPtrArray) files = NULL;
          JsonNode *output;

          g_test_message ("%s %s", prefixes[p], inp_model_get_id (model));

          sync = create (&fixture, inp_model_get_id (model), input, "wait=30");
          g_assert_cmpuint (sync->status, ==, 201);
          g_assert_cmpstr (sync->preference_applied, ==, "wait=30");
          answer = body_object (sync);
          g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "processing");
          g_assert_cmpstr (json_object_get_string_member (answer, "model"), ==,
                           inp_model_get_id (model));
          output = json_object_get_member (answer, "output");
          g_assert_true (JSON_NODE_HOLDS_ARRAY (output) == inp_model_get_output_is_array (model));
          sync_files = fetch_outputs (&fixture, answer);
          g_assert_cmpuint (sync_files->len, ==, 1);

          async = create (&fixture, inp_model_get_id (model), input, NULL);
          g_assert_cmpuint (async->status, ==, 201);
          created = body_object (async);
          g_assert_cmpstr (json_object_get_string_member (created, "status"), ==, "starting");
          g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (created, "output")));
          g_assert_cmpstr (json_object_get_string_member (created, "version"), ==,
                           inp_model_get_version (model) != NULL ? inp_model_get_version (model)
                                                                  : "hidden");

          done = wait_until_done (&fixture, json_object_get_string_member (created, "id"));
          g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "succeeded");
          files = fetch_outputs (&fixture, done);
          g_assert_cmpuint (files->len, ==, 1);

          /* The same input gives the same picture, whichever way it is delivered. */
          g_assert_true (g_bytes_equal (g_ptr_array_index (files, 0),
                                        g_ptr_array_index (sync_files, 0)));

          if (inp_model_get_output_kind (model) == INP_MODEL_OUTPUT_VIDEO)
            g_assert_cmpuint (inp_test_count_gif_frames (g_ptr_array_index (files, 0)), >, 1);
          else
            {
              g_autoptr(GdkPixbuf) picture = inp_test_load_pixbuf (g_ptr_array_index (files, 0));

              g_assert_cmpint (gdk_pixbuf_get_width (picture), >, 0);
            }
        }

      /* No client sent a token to the output origin, and nobody called the decoy. */
      {
        g_autoptr(GPtrArray) requests = inp_sandbox_dup_requests (fixture.sandbox);

        for (guint i = 0; i < requests->len; i++)
          {
            InpSandboxRequest *request = g_ptr_array_index (requests, i);

            g_assert_cmpstr (request->origin, !=, "decoy");
            if (g_str_equal (request->origin, "output"))
              g_assert_null (request->authorization);
            else
              g_assert_true (g_str_has_prefix (request->path, prefixes[p]));
          }
        g_assert_cmpuint (inp_sandbox_count_requests (fixture.sandbox, INP_SANDBOX_ON_CREATE), ==,
                          2 * g_list_model_get_n_items (catalog));
        g_assert_cmpuint (inp_sandbox_count_requests (fixture.sandbox, INP_SANDBOX_ON_OUTPUT), ==,
                          g_list_model_get_n_items (catalog));
      }

      fixture_teardown (&fixture, NULL);
    }
}

static void
test_wrong_route (Fixture       *fixture,
                  gconstpointer  data)
{
  InpCatalog *catalog = inp_catalog_get_default ();
  InpModel *fill = inp_catalog_lookup (catalog, "black-forest-labs/flux-fill-dev");
  g_autoptr(JsonObject) input = minimal_input (fill);
  g_autoptr(JsonNode) with_version = parse_node ("{\"version\": \"abc\", \"input\": {}}");
  g_autoptr(JsonNode) sdxl_by_model = parse_node ("{\"input\": {}}");
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) problem = NULL;
  JsonObject *field;

  /* A version key on the model route is refused, as the real API does. */
  json_object_set_object_member (json_node_get_object (with_version), "input",
                                 json_object_ref (input));
  response = api_post_json (fixture, "/models/black-forest-labs/flux-fill-dev/predictions", NULL,
                            with_version);
  g_assert_cmpuint (response->status, ==, 422);
  g_assert_cmpstr (response->content_type, ==, "application/problem+json");
  problem = body_object (response);
  field = json_array_get_object_element (json_object_get_array_member (problem, "invalid_fields"), 0);
  g_assert_cmpstr (json_object_get_string_member (field, "type"), ==,
                   "additional_property_not_allowed");
  g_assert_cmpstr (json_object_get_string_member (field, "description"), ==,
                   "Additional property version is not allowed");
  g_clear_pointer (&response, response_free);

  /* A model run by version has no model route. */
  response = api_post_json (fixture, "/models/stability-ai/sdxl/predictions", NULL, sdxl_by_model);
  g_assert_cmpuint (response->status, ==, 404);
  g_clear_pointer (&response, response_free);

  response = api_get (fixture, "/no/such/route");
  g_assert_cmpuint (response->status, ==, 404);
  g_clear_pointer (&response, response_free);

  response = api_get (fixture, "/predictions");
  g_assert_cmpuint (response->status, ==, 405);
  g_clear_pointer (&response, response_free);

  response = api_get (fixture, "/predictions/doesnotexist");
  g_assert_cmpuint (response->status, ==, 404);
}

static void
test_account_and_token (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *url = api_url (fixture, "/account");
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) object = NULL;

  response = send_request (fixture, "GET", url, TOKEN, NULL, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  object = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (object, "username"), ==, "sandbox");
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&object, json_object_unref);

  response = send_request (fixture, "GET", url, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 401);
  object = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==,
                   "You did not pass an authentication token");
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&object, json_object_unref);

  response = send_request (fixture, "GET", url, "r8_wrong", NULL, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 401);
  g_assert_cmpstr (response->content_type, ==, "application/problem+json");
  object = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Unauthenticated");
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==,
                   "You did not pass a valid authentication token");
  g_clear_pointer (&response, response_free);

  inp_sandbox_set_token (fixture->sandbox, "r8_other");
  response = send_request (fixture, "GET", url, "r8_other", NULL, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_clear_pointer (&response, response_free);

  inp_sandbox_set_token (fixture->sandbox, NULL);
  response = send_request (fixture, "GET", url, "anything", NULL, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_clear_pointer (&response, response_free);
  response = send_request (fixture, "GET", url, "", NULL, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 401);
}

static void
test_validation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) unknown_version = parse_node ("{\"version\": \"0000000000000000000000000000000000000000000000000000000000000000\", \"input\": {}}");
  g_autoptr(JsonNode) extra_key = parse_node ("{\"version\": \"7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc\", \"input\": {}, \"model\": \"x\"}");
  g_autoptr(JsonNode) no_input = parse_node ("{\"version\": \"7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc\"}");
  g_autoptr(JsonNode) bad_input = parse_node ("{\"version\": \"2a6b576af31790b470f0a8442e1e9791213fa13799cbb65a9fc1436e96389574\", \"input\": {\"num_inference_steps\": 40, \"output_format\": \"gif\", \"num_outputs\": 0}}");
  g_autofree char *url = api_url (fixture, "/predictions");
  g_autoptr(GBytes) not_json = g_bytes_new_static ("{\"version\": ", 12);
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) problem = NULL;
  JsonArray *fields;
  JsonObject *field;

  response = api_post_json (fixture, "/predictions", NULL, unknown_version);
  g_assert_cmpuint (response->status, ==, 422);
  problem = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (problem, "title"), ==,
                   "Invalid version or not permitted");
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, 422);
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&problem, json_object_unref);

  response = api_post_json (fixture, "/predictions", NULL, extra_key);
  g_assert_cmpuint (response->status, ==, 422);
  problem = body_object (response);
  field = json_array_get_object_element (json_object_get_array_member (problem, "invalid_fields"), 0);
  g_assert_cmpstr (json_object_get_string_member (field, "type"), ==,
                   "additional_property_not_allowed");
  g_assert_cmpstr (json_object_get_string_member (field, "field"), ==, "");
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&problem, json_object_unref);

  response = api_post_json (fixture, "/predictions", NULL, no_input);
  g_assert_cmpuint (response->status, ==, 422);
  problem = body_object (response);
  field = json_array_get_object_element (json_object_get_array_member (problem, "invalid_fields"), 0);
  g_assert_cmpstr (json_object_get_string_member (field, "type"), ==, "required");
  g_assert_cmpstr (json_object_get_string_member (field, "description"), ==, "input is required");
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&problem, json_object_unref);

  /* flux-schnell-lora: prompt required, steps ≤ 12, outputs ≥ 1, webp/jpg/png only. */
  response = api_post_json (fixture, "/predictions", NULL, bad_input);
  g_assert_cmpuint (response->status, ==, 422);
  problem = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (problem, "title"), ==, "Input validation failed");
  fields = json_object_get_array_member (problem, "invalid_fields");
  g_assert_cmpuint (json_array_get_length (fields), ==, 4);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      const char *name;
      const char *type;

      field = json_array_get_object_element (fields, i);
      name = json_object_get_string_member (field, "field");
      type = json_object_get_string_member (field, "type");
      if (g_str_equal (type, "required"))
        {
          g_assert_cmpstr (name, ==, "input");
          g_assert_cmpstr (json_object_get_string_member (field, "description"), ==,
                           "prompt is required");
        }
      else if (g_str_equal (type, "number_lte"))
        {
          g_assert_cmpstr (name, ==, "input.num_inference_steps");
          g_assert_cmpstr (json_object_get_string_member (field, "description"), ==,
                           "Must be less than or equal to 12");
        }
      else if (g_str_equal (type, "number_gte"))
        g_assert_cmpstr (name, ==, "input.num_outputs");
      else
        {
          g_assert_cmpstr (type, ==, "enum");
          g_assert_cmpstr (name, ==, "input.output_format");
          g_assert_cmpstr (json_object_get_string_member (field, "description"), ==,
                           "output_format must be one of the following: \"webp\", \"jpg\", \"png\"");
        }
    }
  g_assert_nonnull (strstr (json_object_get_string_member (problem, "detail"),
                            "- input.num_inference_steps: Must be less than or equal to 12\n"));
  g_clear_pointer (&response, response_free);

  response = send_request (fixture, "POST", url, TOKEN, NULL, "application/json", not_json);
  g_assert_cmpuint (response->status, ==, 400);
  g_clear_pointer (&problem, json_object_unref);
  problem = body_object (response);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (problem, "detail"),
                                   "Failed to parse request body as JSON"));

  /* Nothing invalid became a prediction. */
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 5);
}

static void
test_sync_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/stable-diffusion");
  g_autoptr(JsonObject) input = minimal_input (model);
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) done = NULL;
  const char *id;
  gint64 before;

  inp_sandbox_set_model_time (fixture->sandbox, 60000);
  before = g_get_monotonic_time ();
  response = create (fixture, inp_model_get_id (model), input, "wait=1");
  g_assert_cmpuint (response->status, ==, 201);
  g_assert_cmpstr (response->preference_applied, ==, "wait=1");
  /* Held for the whole second it was allowed, then answered as still starting. */
  g_assert_cmpint (g_get_monotonic_time () - before, >=, G_USEC_PER_SEC);
  answer = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "starting");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (answer, "output")));
  id = json_object_get_string_member (answer, "id");
  g_assert_cmpint (inp_sandbox_get_completed_us (fixture->sandbox, id), ==, 0);

  inp_sandbox_mark_done (fixture->sandbox, id);
  done = wait_until_done (fixture, id);
  g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "succeeded");
  g_assert_cmpint (inp_sandbox_get_completed_us (fixture->sandbox, id), >, before);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/stable-diffusion");
  g_autoptr(JsonObject) input = minimal_input (model);
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(GRegex) tqdm = g_regex_new ("^\\s*(\\d+)%\\s*\\|.+?\\|\\s*(\\d+)\\/(\\d+)",
                                        G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *path = NULL;
  gboolean saw_processing = FALSE;
  JsonObject *metrics;

  json_object_set_int_member (input, "num_inference_steps", 20);
  inp_sandbox_set_model_time (fixture->sandbox, 600);
  response = create (fixture, inp_model_get_id (model), input, NULL);
  created = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (created, "status"), ==, "starting");
  g_assert_false (json_object_has_member (created, "started_at"));
  g_assert_true (json_object_has_member (created, "created_at"));
  path = g_strconcat ("/predictions/", json_object_get_string_member (created, "id"), NULL);

  for (;;)
    {
      g_autoptr(Response) poll = api_get (fixture, path);
      g_autoptr(JsonObject) prediction = body_object (poll);
      const char *status = json_object_get_string_member (prediction, "status");

      if (g_str_equal (status, "processing"))
        {
          saw_processing = TRUE;
          g_assert_true (json_object_has_member (prediction, "started_at"));
          g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (prediction, "output")));
        }
      if (g_str_equal (status, "succeeded"))
        {
          done = g_steal_pointer (&prediction);
          break;
        }
      g_usleep (20 * 1000);
    }

  g_assert_true (saw_processing);
  g_assert_true (json_object_has_member (done, "completed_at"));
  metrics = json_object_get_object_member (done, "metrics");
  g_assert_cmpfloat (json_object_get_double_member (metrics, "total_time"), >=, 0.6);
  g_assert_cmpfloat (json_object_get_double_member (metrics, "predict_time"), >, 0);

  /* The last tqdm line says 100 % of the 20 steps. */
  g_assert_true (g_regex_match (tqdm, json_object_get_string_member (done, "logs"), 0, &match));
  {
    g_autofree char *percent = NULL;
    g_autofree char *current = NULL;
    g_autofree char *total = NULL;

    while (g_match_info_matches (match))
      {
        g_free (percent);
        g_free (current);
        g_free (total);
        percent = g_match_info_fetch (match, 1);
        current = g_match_info_fetch (match, 2);
        total = g_match_info_fetch (match, 3);
        g_match_info_next (match, NULL);
      }
    g_assert_cmpstr (percent, ==, "100");
    g_assert_cmpstr (current, ==, "20");
    g_assert_cmpstr (total, ==, "20");
  }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/stable-diffusion");
  g_autoptr(JsonObject) input = minimal_input (model);
  g_autoptr(Response) response = NULL;
  g_autoptr(Response) cancel = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) canceled = NULL;
  g_autoptr(JsonObject) later = NULL;
  g_autofree char *path = NULL;

  inp_sandbox_set_model_time (fixture->sandbox, 60000);
  response = create (fixture, inp_model_get_id (model), input, NULL);
  created = body_object (response);
  path = g_strdup_printf ("%s/predictions/%s/cancel", inp_sandbox_get_base_url (fixture->sandbox),
                          json_object_get_string_member (created, "id"));

  cancel = send_request (fixture, "POST", path, TOKEN, NULL, NULL, NULL);
  g_assert_cmpuint (cancel->status, ==, 200);
  canceled = body_object (cancel);
  g_assert_cmpstr (json_object_get_string_member (canceled, "status"), ==, "canceled");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (canceled, "output")));

  later = wait_until_done (fixture, json_object_get_string_member (created, "id"));
  g_assert_cmpstr (json_object_get_string_member (later, "status"), ==, "canceled");
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CANCEL), ==, 1);
}

static void
test_failures (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GdkPixbuf) image = inp_test_new_pattern (64, 64, FALSE);
  g_autoptr(GdkPixbuf) small_mask = half_mask (32, 32);
  g_autoptr(JsonObject) nsfw = json_object_new ();
  g_autoptr(JsonObject) mismatched = json_object_new ();
  g_autoptr(JsonObject) remote = json_object_new ();
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) done = NULL;

  /* A model failure is not an HTTP error: 201, then the prediction ends failed. */
  json_object_set_string_member (nsfw, "prompt", "something sandbox:nsfw");
  response = create (fixture, "stability-ai/stable-diffusion", nsfw, "wait");
  g_assert_cmpuint (response->status, ==, 201);
  answer = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==,
                   "NSFW content detected. Try running it again, or try a different prompt.");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (answer, "output")));
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&answer, json_object_unref);

  json_object_set_string_member (nsfw, "prompt", "sandbox:fail");
  response = create (fixture, "stability-ai/stable-diffusion", nsfw, "wait=5");
  answer = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==,
                   "E1001: The model ran out of memory.");
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&answer, json_object_unref);

  json_object_set_string_member (mismatched, "prompt", "a cat");
  set_png_member (mismatched, "image", image);
  set_png_member (mismatched, "mask", small_mask);
  response = create (fixture, "black-forest-labs/flux-fill-pro", mismatched, NULL);
  answer = body_object (response);
  done = wait_until_done (fixture, json_object_get_string_member (answer, "id"));
  g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "failed");
  g_assert_nonnull (strstr (json_object_get_string_member (done, "error"), "must match image size"));
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&done, json_object_unref);

  /* The sandbox never reaches out to the network for inputs. */
  json_object_set_string_member (remote, "image", "https://example.com/cat.png");
  response = create (fixture, "cjwbw/rembg", remote, NULL);
  answer = body_object (response);
  done = wait_until_done (fixture, json_object_get_string_member (answer, "id"));
  g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "failed");
  g_assert_nonnull (strstr (json_object_get_string_member (done, "error"), "example.com"));
}

static void
test_slow (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gint64 before = g_get_monotonic_time ();

  inp_sandbox_set_model_time (fixture->sandbox, 50);
  json_object_set_string_member (input, "prompt", "a snail sandbox:slow");
  json_object_set_int_member (input, "width", 64);
  json_object_set_int_member (input, "height", 64);
  response = create (fixture, "stability-ai/stable-diffusion", input, "wait=30");
  answer = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "processing");
  /* Ten times the model time at the least. */
  g_assert_cmpint (inp_sandbox_get_completed_us (fixture->sandbox,
                                                 json_object_get_string_member (answer, "id"))
                   - before, >=, 500 * 1000);
}

static void
test_files (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GdkPixbuf) image = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  g_autoptr(GdkPixbuf) square = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Response) response = NULL;
  g_autoptr(Response) fetched = NULL;
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GdkPixbuf) cut = NULL;
  g_autofree char *url = api_url (fixture, "/files");
  const char *file_url;
  guint8 rgba[4];

  /* A red square on white: rembg keeps the square and clears the white. */
  gdk_pixbuf_fill (image, 0xffffffff);
  square = gdk_pixbuf_new_subpixbuf (image, 10, 10, 10, 10);
  gdk_pixbuf_fill (square, 0xff0000ff);
  png = inp_image_encode (image, "png", 0, &error);
  g_assert_no_error (error);

  soup_multipart_append_form_file (multipart, "content", "square.png", "image/png", png);
  soup_multipart_to_message (multipart, headers, &body);
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autofree char *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
    g_autoptr(GBytes) answer = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  "Bearer " TOKEN);
    soup_message_set_request_body_from_bytes (msg, content_type, body);
    answer = soup_session_send_and_read (fixture->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
    response = g_new0 (Response, 1);
    response->body = g_bytes_ref (answer);
  }
  file = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, "square.png");
  g_assert_cmpstr (json_object_get_string_member (file, "content_type"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, g_bytes_get_size (png));
  file_url = json_object_get_string_member (json_object_get_object_member (file, "urls"), "get");
  g_assert_true (g_str_has_prefix (file_url, inp_sandbox_get_base_url (fixture->sandbox)));

  fetched = send_request (fixture, "GET", file_url, TOKEN, NULL, NULL, NULL);
  g_assert_cmpuint (fetched->status, ==, 200);
  g_assert_true (g_bytes_equal (fetched->body, png));
  g_clear_pointer (&fetched, response_free);
  fetched = send_request (fixture, "GET", file_url, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (fetched->status, ==, 401);

  /* The upload's URL works as a file input. */
  json_object_set_string_member (input, "image", file_url);
  g_clear_pointer (&response, response_free);
  response = create (fixture, "cjwbw/rembg", input, NULL);
  created = body_object (response);
  done = wait_until_done (fixture, json_object_get_string_member (created, "id"));
  g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "succeeded");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (done, "output")));
  outputs = fetch_outputs (fixture, done);
  g_assert_cmpmem (g_bytes_get_data (g_ptr_array_index (outputs, 0), NULL), 4, "\x89PNG", 4);
  cut = inp_test_load_pixbuf (g_ptr_array_index (outputs, 0));
  g_assert_true (gdk_pixbuf_get_has_alpha (cut));
  g_assert_cmpint (gdk_pixbuf_get_width (cut), ==, 40);
  inp_test_get_pixel (cut, 0, 0, rgba);
  g_assert_cmpint (rgba[3], ==, 0);
  inp_test_get_pixel (cut, 15, 15, rgba);
  g_assert_cmpint (rgba[3], ==, 255);
  g_assert_cmpint (rgba[0], ==, 255);
  g_assert_cmpint (rgba[1], ==, 0);
}

static void
test_optional_routes (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *paths[] = { "/files", "/account", "/models/stability-ai/sdxl" };

  inp_sandbox_set_routes (fixture->sandbox, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = api_url (fixture, paths[i]);
      g_autoptr(Response) response = send_request (fixture, i == 0 ? "POST" : "GET", url, TOKEN,
                                                   NULL, NULL, NULL);
      g_autoptr(JsonObject) problem = body_object (response);

      g_assert_cmpuint (response->status, ==, 404);
      g_assert_cmpstr (response->content_type, ==, "application/problem+json");
      g_assert_true (json_object_has_member (problem, "detail"));
    }

  inp_sandbox_set_routes (fixture->sandbox, INP_SANDBOX_ROUTE_ACCOUNT);
  {
    g_autoptr(Response) response = api_get (fixture, "/account");

    g_assert_cmpuint (response->status, ==, 200);
  }
}

static void
test_model_route (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(Response) response = api_get (fixture, "/models/stability-ai/sdxl");
  g_autoptr(Response) official = api_get (fixture, "/models/black-forest-labs/flux-fill-pro");
  g_autoptr(Response) missing = api_get (fixture, "/models/nobody/nothing");
  g_autoptr(JsonObject) object = body_object (response);
  g_autoptr(JsonObject) official_object = body_object (official);
  g_autoptr(InpCatalog) catalog = inp_catalog_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *version = json_object_get_object_member (object, "latest_version");
  JsonObject *schemas;
  JsonObject *scheduler;
  InpModel *model;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "owner"), ==, "stability-ai");
  g_assert_cmpstr (json_object_get_string_member (version, "id"), ==,
                   "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc");
  schemas = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (version, "openapi_schema"),
                                   "components"), "schemas");
  scheduler = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (schemas, "Input"), "properties"),
    "scheduler");
  g_assert_true (json_object_has_member (scheduler, "allOf"));
  g_assert_true (json_object_has_member (schemas, "scheduler"));

  model = inp_catalog_add_from_json (catalog, object, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_model_get_task (model), ==, INP_MODEL_TASK_INPAINT);
  g_assert_cmpint (inp_model_get_endpoint (model), ==, INP_MODEL_ENDPOINT_VERSION);

  model = inp_catalog_add_from_json (catalog, official_object, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_model_get_endpoint (model), ==, INP_MODEL_ENDPOINT_MODEL);

  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_MODEL), ==, 3);
}

static void
test_images (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GdkPixbuf) photo = inp_test_new_pattern (256, 192, FALSE);
  g_autoptr(GdkPixbuf) mask = half_mask (256, 192);
  g_autoptr(GdkPixbuf) wide = inp_test_new_pattern (1000, 700, FALSE);
  g_autoptr(GdkPixbuf) wide_mask = half_mask (1000, 700);
  g_autoptr(JsonObject) inpaint = json_object_new ();
  g_autoptr(JsonObject) fill = json_object_new ();
  g_autoptr(JsonObject) quarter = json_object_new ();
  g_autoptr(JsonObject) schnell = json_object_new ();
  g_autoptr(JsonObject) animation = json_object_new ();

  /* SD inpainting at the image's own size: unmasked pixels are exactly the input's. */
  json_object_set_string_member (inpaint, "prompt", "a lake");
  set_png_member (inpaint, "image", photo);
  set_png_member (inpaint, "mask", mask);
  json_object_set_int_member (inpaint, "width", 256);
  json_object_set_int_member (inpaint, "height", 192);
  json_object_set_int_member (inpaint, "num_outputs", 3);
  {
    g_autoptr(Response) response = create (fixture, "stability-ai/stable-diffusion-inpainting",
                                           inpaint, "wait");
    g_autoptr(JsonObject) answer = body_object (response);
    g_autoptr(GPtrArray) files = fetch_outputs (fixture, answer);
    guint changed = 0;

    g_assert_cmpuint (files->len, ==, 3);
    for (guint i = 0; i < files->len; i++)
      {
        g_autoptr(GdkPixbuf) result = inp_test_load_pixbuf (g_ptr_array_index (files, i));

        g_assert_cmpmem (g_bytes_get_data (g_ptr_array_index (files, i), NULL), 4, "\x89PNG", 4);
        g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 256);
        g_assert_cmpint (gdk_pixbuf_get_height (result), ==, 192);
        for (int y = 0; y < 192; y += 5)
          for (int x = 0; x < 256; x += 3)
            {
              guint8 got[4], want[4];

              inp_test_get_pixel (result, x, y, got);
              inp_test_get_pixel (photo, x, y, want);
              if (x < 128)
                g_assert_cmpmem (got, 3, want, 3);
              else if (memcmp (got, want, 3) != 0)
                changed++;
            }
        if (i > 0)
          g_assert_false (g_bytes_equal (g_ptr_array_index (files, i), g_ptr_array_index (files, 0)));
      }
    g_assert_cmpuint (changed, >, 3 * 1000);
  }

  /* flux-fill-dev, matching the input: multiples of 32; two webp outputs. */
  json_object_set_string_member (fill, "prompt", "a boat");
  set_png_member (fill, "image", wide);
  set_png_member (fill, "mask", wide_mask);
  json_object_set_string_member (fill, "megapixels", "match_input");
  json_object_set_int_member (fill, "num_outputs", 2);
  {
    g_autoptr(Response) response = create (fixture, "black-forest-labs/flux-fill-dev", fill, "wait");
    g_autoptr(JsonObject) answer = body_object (response);
    g_autoptr(GPtrArray) files = fetch_outputs (fixture, answer);

    g_assert_cmpuint (files->len, ==, 2);
    for (guint i = 0; i < files->len; i++)
      {
        g_autoptr(GdkPixbuf) result = inp_test_load_pixbuf (g_ptr_array_index (files, i));
        const guint8 *head = g_bytes_get_data (g_ptr_array_index (files, i), NULL);

        g_assert_cmpmem (head, 4, "RIFF", 4);
        g_assert_cmpmem (head + 8, 4, "WEBP", 4);
        g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 992);
        g_assert_cmpint (gdk_pixbuf_get_height (result), ==, 704);
      }
  }

  /* A quarter megapixel, as jpg. */
  json_object_set_string_member (quarter, "prompt", "a boat");
  set_png_member (quarter, "image", wide);
  json_object_set_string_member (quarter, "megapixels", "0.25");
  json_object_set_string_member (quarter, "output_format", "jpg");
  {
    g_autoptr(Response) response = create (fixture, "black-forest-labs/flux-fill-dev", quarter, "wait");
    g_autoptr(JsonObject) answer = body_object (response);
    g_autoptr(GPtrArray) files = fetch_outputs (fixture, answer);
    g_autoptr(GdkPixbuf) result = inp_test_load_pixbuf (g_ptr_array_index (files, 0));
    int area = gdk_pixbuf_get_width (result) * gdk_pixbuf_get_height (result);

    g_assert_cmpmem (g_bytes_get_data (g_ptr_array_index (files, 0), NULL), 3, "\xff\xd8\xff", 3);
    g_assert_cmpint (gdk_pixbuf_get_width (result) % 32, ==, 0);
    g_assert_cmpint (gdk_pixbuf_get_height (result) % 32, ==, 0);
    g_assert_cmpint (area, >, 262144 * 9 / 10);
    g_assert_cmpint (area, <, 262144 * 11 / 10);
  }

  /* FLUX schnell: the aspect ratio picks the size. */
  json_object_set_string_member (schnell, "prompt", "a city");
  json_object_set_string_member (schnell, "aspect_ratio", "21:9");
  json_object_set_string_member (schnell, "output_format", "png");
  {
    g_autoptr(Response) response = create (fixture, "lucataco/flux-schnell-lora", schnell, "wait");
    g_autoptr(JsonObject) answer = body_object (response);
    g_autoptr(GPtrArray) files = fetch_outputs (fixture, answer);
    g_autoptr(GdkPixbuf) result = inp_test_load_pixbuf (g_ptr_array_index (files, 0));

    g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 1536);
    g_assert_cmpint (gdk_pixbuf_get_height (result), ==, 640);
  }

  /* An animated GIF with the frames asked for. */
  json_object_set_string_member (animation, "prompt_start", "dawn");
  json_object_set_string_member (animation, "prompt_end", "dusk");
  json_object_set_int_member (animation, "width", 256);
  json_object_set_int_member (animation, "height", 128);
  json_object_set_int_member (animation, "num_animation_frames", 6);
  {
    g_autoptr(Response) response = create (fixture, "andreasjansson/stable-diffusion-animation",
                                           animation, "wait");
    g_autoptr(JsonObject) answer = body_object (response);
    g_autoptr(GPtrArray) files = fetch_outputs (fixture, answer);
    g_autoptr(GdkPixbuf) first = inp_test_load_pixbuf (g_ptr_array_index (files, 0));
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (g_ptr_array_index (files, 0));
    g_autoptr(GdkPixbufAnimation) decoded = gdk_pixbuf_animation_new_from_stream (stream, NULL, NULL);

    g_assert_cmpuint (inp_test_count_gif_frames (g_ptr_array_index (files, 0)), ==, 6);
    g_assert_false (gdk_pixbuf_animation_is_static_image (decoded));
    g_assert_cmpint (gdk_pixbuf_get_width (first), ==, 256);
    g_assert_cmpint (gdk_pixbuf_get_height (first), ==, 128);
  }
}

static void
test_faults (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) object = NULL;

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_RATE_LIMIT, 2, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&response, response_free);
      response = api_get (fixture, "/account");
      g_assert_cmpuint (response->status, ==, 429);
      g_assert_cmpstr (response->retry_after, ==, "2");
    }
  g_clear_pointer (&response, response_free);
  response = api_get (fixture, "/account");
  g_assert_cmpuint (response->status, ==, 200);
  g_clear_pointer (&response, response_free);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_RATE_LIMIT, 0, 1);
  response = api_get (fixture, "/account");
  g_assert_cmpuint (response->status, ==, 429);
  g_assert_null (response->retry_after);
  g_clear_pointer (&response, response_free);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_SERVER_ERROR, 503, 1);
  response = api_get (fixture, "/account");
  g_assert_cmpuint (response->status, ==, 503);
  g_assert_cmpstr (response->content_type, ==, "application/problem+json");
  g_clear_pointer (&response, response_free);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_PROBLEM, 402, 1);
  response = api_get (fixture, "/account");
  g_assert_cmpuint (response->status, ==, 402);
  object = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Billing required");
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&object, json_object_unref);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_MALFORMED_JSON, 0, 1);
  response = api_get (fixture, "/account");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (response->body, NULL),
                                                g_bytes_get_size (response->body), NULL));
  }
  g_clear_pointer (&response, response_free);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_WRONG_CONTENT_TYPE, 0, 1);
  response = api_get (fixture, "/account");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "text/html");
  g_clear_pointer (&response, response_free);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_HUGE_BODY, 2, 1);
  response = api_get (fixture, "/account");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (response->body), >, 2 * 1024 * 1024);
  object = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (object, "username"), ==, "sandbox");
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&object, json_object_unref);

  /* libsoup 3.2 ends a short body without an error: only the length tells. */
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_TRUNCATED_BODY, 0, 1);
  response = api_get (fixture, "/account");
  g_assert_true (response->error != NULL
                 || (goffset) g_bytes_get_size (response->body) < response->content_length);
  g_clear_pointer (&response, response_free);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT, INP_SANDBOX_FAULT_DROP_CONNECTION, 0, 1);
  response = api_get (fixture, "/account");
  g_assert_nonnull (response->error);
  g_assert_cmpuint (response->status, ==, 0);
  g_clear_pointer (&response, response_free);

  /* After every fault, the route answers normally again. */
  response = api_get (fixture, "/account");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_ACCOUNT), ==, 12);
}

/* A create held by `Prefer: wait` and then cut off: the sandbox takes the connection over to
 * write half an answer, and must leave the message alone afterwards (libsoup would complain, which
 * is fatal here). */
static void
test_truncated_held_create (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(Response) response = NULL;

  json_object_set_string_member (input, "prompt", "a kite");
  json_object_set_int_member (input, "width", 64);
  json_object_set_int_member (input, "height", 64);
  inp_sandbox_set_model_time (fixture->sandbox, 300);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_TRUNCATED_BODY, 0, 1);
  response = create (fixture, "stability-ai/stable-diffusion", input, "wait=5");
  g_assert_true (response->error != NULL
                 || (goffset) g_bytes_get_size (response->body) < response->content_length);
  g_clear_pointer (&response, response_free);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 1);

  /* The sandbox goes on serving, held creates included. */
  response = create (fixture, "stability-ai/stable-diffusion", input, "wait=5");
  g_assert_cmpuint (response->status, ==, 201);
  g_assert_cmpstr (response->preference_applied, ==, "wait=5");
}

static void
test_prediction_faults (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = NULL;

  json_object_set_string_member (input, "prompt", "a kite");
  json_object_set_int_member (input, "width", 64);
  json_object_set_int_member (input, "height", 64);

  /* A create that fails early creates nothing; one answered strangely did create. */
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_SERVER_ERROR, 500, 1);
  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_UNKNOWN_STATUS, 0, 1);
  response = create (fixture, "stability-ai/stable-diffusion", input, NULL);
  g_assert_cmpuint (response->status, ==, 500);
  g_clear_pointer (&response, response_free);

  response = create (fixture, "stability-ai/stable-diffusion", input, "wait");
  g_assert_cmpuint (response->status, ==, 201);
  answer = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "exploded");
  path = g_strconcat ("/predictions/", json_object_get_string_member (answer, "id"), NULL);
  g_clear_pointer (&response, response_free);

  inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_GET, INP_SANDBOX_FAULT_HUGE_BODY, 1, 1);
  response = api_get (fixture, path);
  g_clear_pointer (&answer, json_object_unref);
  answer = body_object (response);
  g_assert_cmpuint (strlen (json_object_get_string_member (answer, "logs")), ==, 1024 * 1024);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "succeeded");
  g_clear_pointer (&response, response_free);

  /* Output files can fail too. */
  {
    JsonNode *output = json_object_get_member (answer, "output");
    const char *url = json_array_get_string_element (json_node_get_array (output), 0);

    inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_OUTPUT, INP_SANDBOX_FAULT_TRUNCATED_BODY, 0, 1);
    response = send_request (fixture, "GET", url, NULL, NULL, NULL, NULL);
    g_assert_true (response->error != NULL
                   || (goffset) g_bytes_get_size (response->body) < response->content_length);
    g_clear_pointer (&response, response_free);

    inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_OUTPUT, INP_SANDBOX_FAULT_SERVER_ERROR, 502, 1);
    response = send_request (fixture, "GET", url, NULL, NULL, NULL, NULL);
    g_assert_cmpuint (response->status, ==, 502);
    g_clear_pointer (&response, response_free);

    response = send_request (fixture, "GET", url, NULL, NULL, NULL, NULL);
    g_assert_cmpuint (response->status, ==, 200);
    g_clear_pointer (&response, response_free);

    inp_sandbox_add_fault (fixture->sandbox, INP_SANDBOX_ON_OUTPUT, INP_SANDBOX_FAULT_SERVER_ERROR, 502, 5);
    inp_sandbox_clear_faults (fixture->sandbox);
    response = send_request (fixture, "GET", url, NULL, NULL, NULL, NULL);
    g_assert_cmpuint (response->status, ==, 200);
  }

  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_CREATE), ==, 2);
}

static void
test_expire (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) expired = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;

  json_object_set_string_member (input, "prompt", "a lighthouse");
  json_object_set_int_member (input, "width", 64);
  json_object_set_int_member (input, "height", 64);
  response = create (fixture, "stability-ai/stable-diffusion", input, NULL);
  created = body_object (response);
  done = wait_until_done (fixture, json_object_get_string_member (created, "id"));
  url = g_strdup (json_array_get_string_element (json_object_get_array_member (done, "output"), 0));
  g_assert_false (json_object_get_boolean_member (done, "data_removed"));

  inp_sandbox_expire_outputs (fixture->sandbox);

  path = g_strconcat ("/predictions/", json_object_get_string_member (created, "id"), NULL);
  g_clear_pointer (&response, response_free);
  response = api_get (fixture, path);
  expired = body_object (response);
  g_assert_true (json_object_get_boolean_member (expired, "data_removed"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (expired, "output")));
  g_assert_cmpstr (json_object_get_string_member (expired, "status"), ==, "succeeded");
  g_clear_pointer (&response, response_free);

  response = send_request (fixture, "GET", url, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 404);
}

static void
test_decoy_and_origins (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  JsonObject *urls;
  const char *get_url;
  g_autofree char *output_url = NULL;
  guint decoys = 0;

  json_object_set_string_member (input, "prompt", "a kite");
  json_object_set_int_member (input, "width", 64);
  json_object_set_int_member (input, "height", 64);
  response = create (fixture, "stability-ai/stable-diffusion", input, NULL);
  created = body_object (response);
  urls = json_object_get_object_member (created, "urls");
  get_url = json_object_get_string_member (urls, "get");

  /* urls.* name another host, as api.replicate.com does behind a relay. */
  g_assert_true (g_str_has_prefix (get_url, inp_sandbox_get_decoy_origin (fixture->sandbox)));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (urls, "cancel"),
                                   inp_sandbox_get_decoy_origin (fixture->sandbox)));
  g_assert_cmpstr (inp_sandbox_get_decoy_origin (fixture->sandbox), !=,
                   inp_sandbox_get_output_origin (fixture->sandbox));

  /* A careless client that follows urls.get with its token is caught in the log. */
  g_clear_pointer (&response, response_free);
  response = send_request (fixture, "GET", get_url, TOKEN, NULL, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 404);
  g_clear_pointer (&response, response_free);

  output_url = g_strdup_printf ("%s/%s/out-0.png", inp_sandbox_get_output_origin (fixture->sandbox),
                                json_object_get_string_member (created, "id"));
  response = send_request (fixture, "GET", output_url, "leaked", NULL, NULL, NULL);

  requests = inp_sandbox_dup_requests (fixture->sandbox);
  for (guint i = 0; i < requests->len; i++)
    {
      InpSandboxRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->origin, "decoy"))
        {
          decoys++;
          g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
          g_assert_cmpint (request->route, ==, INP_SANDBOX_ON_GET);
          g_assert_cmpstr (request->method, ==, "GET");
        }
      else if (g_str_equal (request->origin, "output"))
        g_assert_cmpstr (request->authorization, ==, "Bearer leaked");
      else
        {
          g_assert_cmpstr (request->origin, ==, "api");
          g_assert_cmpint (request->route, ==, INP_SANDBOX_ON_CREATE);
          g_assert_null (request->prefer);
        }
      g_assert_cmpint (request->received_us, >, 0);
    }
  g_assert_cmpuint (decoys, ==, 1);
  g_assert_cmpuint (inp_sandbox_count_requests (fixture->sandbox, INP_SANDBOX_ON_GET), ==, 0);
}

static void
held_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, error);

  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "answered");
}

/* Stopping with a create held by `Prefer: wait` closes it instead of hanging. */
static void
test_stop_while_held (void)
{
  static const char request[] =
    "{\"version\": \"ac732df83cea7fff18b8472768c88ad041fa750ff7682a21affe81863cbe77e4\","
    " \"input\": {\"width\": 64, \"height\": 64}}";
  Fixture fixture = { NULL, NULL };
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static (request, strlen (request));
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  fixture_start (&fixture, "/v1");
  inp_sandbox_set_model_time (fixture.sandbox, 60000);
  url = api_url (&fixture, "/predictions");
  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " TOKEN);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Prefer", "wait=60");
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (fixture.session, msg, G_PRIORITY_DEFAULT, NULL, held_cb, &error);

  while (inp_sandbox_count_requests (fixture.sandbox, INP_SANDBOX_ON_CREATE) == 0)
    g_main_context_iteration (NULL, FALSE);

  inp_sandbox_stop (fixture.sandbox);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED)
                  && g_str_equal (error->message, "answered"));

  fixture_teardown (&fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  inp_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/sandbox/every-model", test_every_model);
  g_test_add ("/core/sandbox/wrong-route", Fixture, NULL, fixture_setup, test_wrong_route, fixture_teardown);
  g_test_add ("/core/sandbox/account-and-token", Fixture, "/replicate/v1", fixture_setup, test_account_and_token, fixture_teardown);
  g_test_add ("/core/sandbox/validation", Fixture, NULL, fixture_setup, test_validation, fixture_teardown);
  g_test_add ("/core/sandbox/sync-timeout", Fixture, NULL, fixture_setup, test_sync_timeout, fixture_teardown);
  g_test_add ("/core/sandbox/progress", Fixture, NULL, fixture_setup, test_progress, fixture_teardown);
  g_test_add ("/core/sandbox/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/core/sandbox/failures", Fixture, NULL, fixture_setup, test_failures, fixture_teardown);
  g_test_add ("/core/sandbox/slow", Fixture, NULL, fixture_setup, test_slow, fixture_teardown);
  g_test_add ("/core/sandbox/files", Fixture, NULL, fixture_setup, test_files, fixture_teardown);
  g_test_add ("/core/sandbox/optional-routes", Fixture, NULL, fixture_setup, test_optional_routes, fixture_teardown);
  g_test_add ("/core/sandbox/model-route", Fixture, NULL, fixture_setup, test_model_route, fixture_teardown);
  g_test_add ("/core/sandbox/images", Fixture, NULL, fixture_setup, test_images, fixture_teardown);
  g_test_add ("/core/sandbox/faults", Fixture, NULL, fixture_setup, test_faults, fixture_teardown);
  g_test_add ("/core/sandbox/truncated-held-create", Fixture, NULL, fixture_setup, test_truncated_held_create, fixture_teardown);
  g_test_add ("/core/sandbox/prediction-faults", Fixture, NULL, fixture_setup, test_prediction_faults, fixture_teardown);
  g_test_add ("/core/sandbox/expire", Fixture, NULL, fixture_setup, test_expire, fixture_teardown);
  g_test_add_func ("/core/sandbox/stop-while-held", test_stop_while_held);
  g_test_add ("/core/sandbox/decoy-and-origins", Fixture, NULL, fixture_setup, test_decoy_and_origins, fixture_teardown);

  return g_test_run ();
}
