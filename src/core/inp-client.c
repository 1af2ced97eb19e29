/* inp-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "inp-client.h"
#include "inp-error.h"
#include "inp-image.h"
#include "inp-json.h"
#include "inp-problem.h"

/* An error answer is read only far enough to show its detail. */
#define MAX_ERROR_BODY_BYTES (64 * 1024)
#define READ_CHUNK_BYTES (64 * 1024)
#define MAX_REDIRECTS 5
#define MAX_RETRY_AFTER_MS (120 * 1000)
#define MAX_BACKOFF_MS (8 * 1000)
#define POLL_FIRST_MS 250
#define POLL_STEADY_COUNT 8
#define POLL_MAX_MS 2000
/* Above this, encoding, parsing and decoding move off the main loop. */
#define LARGE_STRING_BYTES (256 * 1024)

struct _InpClient
{
  GObject      parent_instance;

  InpEndpoint *endpoint;
  char        *authorization;
  SoupSession *session;
  guint        wait_seconds;
  InpUploadStrategy upload_strategy;
  gsize        max_json_bytes;
  gsize        max_download_bytes;
  gsize        max_data_uri_bytes;
  guint        max_attempts;
  guint        base_delay_ms;
};

G_DEFINE_FINAL_TYPE (InpClient, inp_client, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (InpUploadStrategy, inp_upload_strategy,
  G_DEFINE_ENUM_VALUE (INP_UPLOAD_STRATEGY_AUTOMATIC, "automatic"),
  G_DEFINE_ENUM_VALUE (INP_UPLOAD_STRATEGY_DATA_URI, "data-uri"))

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_WAIT_SECONDS,
  PROP_UPLOAD_STRATEGY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ─── One HTTP exchange, with retries ─────────────────────────────────────────────────────────── */

typedef enum
{
  RETRY_NEVER,
  RETRY_IDEMPOTENT, /* 429, 5xx and network faults */
  RETRY_CREATE,     /* 429, and network faults where the request never left */
} RetryPolicy;

typedef struct
{
  guint    status;
  char    *content_type;
  GBytes  *body;
} Response;

typedef struct
{
  InpClient     *client;
  char          *method;
  char          *url;
  GBytes        *body;
  char          *body_type;
  char          *prefer;
  RetryPolicy    policy;
  gsize          max_bytes;
  gboolean       follow_redirects;
  GOutputStream *sink;

  guint          attempt;
  guint          redirects;
  SoupMessage   *message;
  GInputStream  *stream;
  GByteArray    *buffer;
  GBytes        *chunk;
  gsize          received;
  goffset        expected_length;
  gboolean       streaming_to_sink;
} Request;

static void
response_free (Response *response)
{
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
request_free (Request *request)
{
  g_clear_object (&request->client);
  g_free (request->method);
  g_free (request->url);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->body_type);
  g_free (request->prefer);
  g_clear_object (&request->sink);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  g_clear_pointer (&request->chunk, g_bytes_unref);
  g_free (request);
}

static void request_start (GTask *task);

static const char *
method_for_log (Request *request)
{
  return request->method;
}

static char *
url_for_log (const char *url)
{
  /* A data URI or a signed URL can be long; the path is enough to follow what happened. */
  if (strlen (url) > 120)
    return g_strdup_printf ("%.*s…", 117, url);
  return g_strdup (url);
}

static gboolean
error_proves_not_sent (const GError *error)
{
  /* Only failures before a connection existed prove the server never saw the request. */
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || error->domain == G_RESOLVER_ERROR;
}

static guint
backoff_ms (Request *request)
{
  guint base = request->client->base_delay_ms;
  guint64 delay = (guint64) base << MIN (request->attempt - 1, 16);
  double jitter;

  delay = MIN (delay, MAX_BACKOFF_MS);
  /* ±25 % so that many clients that failed together do not come back together. */
  jitter = g_random_double_range (0.75, 1.25);
  return (guint) (delay * jitter);
}

/**
 * inp_client_parse_retry_after:
 * @value: (nullable): a `Retry-After` header: delay seconds or an HTTP date
 *
 * Returns: the delay it asks for in milliseconds (0 for a date in the past), or -1 when @value
 *   is missing or unreadable.
 */
gint64
inp_client_parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;

  if (g_ascii_isdigit (*value))
    {
      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &seconds, NULL))
        return -1;
      return (gint64) seconds * 1000;
    }

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (when, now) / 1000);
}

static gint64
retry_after_ms (SoupMessage *message)
{
  return inp_client_parse_retry_after (
    soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After"));
}

static gboolean
retry_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  /* The cancellable is a child source, so cancelling ends the wait at once. */
  if (!g_task_return_error_if_cancelled (task))
    request_start (task);

  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
schedule_retry (GTask *task,
                gint64 delay_ms)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = NULL;

  if (request->attempt >= request->client->max_attempts || delay_ms > MAX_RETRY_AFTER_MS)
    return FALSE;

  if (delay_ms < 0)
    delay_ms = backoff_ms (request);

  g_debug ("client: %s attempt %u failed, retrying in %" G_GINT64_FORMAT " ms",
           method_for_log (request), request->attempt, delay_ms);

  g_clear_object (&request->message);
  g_clear_object (&request->stream);

  source = g_timeout_source_new ((guint) delay_ms);
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
    }
  g_source_set_callback (source, retry_timeout_cb, g_object_ref (task), NULL);
  g_source_set_name (source, "[inpainter] client retry");
  g_source_attach (source, g_task_get_context (task));

  return TRUE;
}

static void
return_network_error (GTask        *task,
                      const GError *error,
                      gboolean      in_body)
{
  /* Before the status line, a closed connection is a network fault; within the body it is an
   * answer that broke off. */
  if (in_body && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                             _("The service’s answer was cut off before its end."));
  else
    g_task_return_new_error (task, INP_ERROR, INP_ERROR_NETWORK,
                             _("The service could not be reached: %s"), error->message);
}

static void read_next (GTask *task);

static void
finish_response (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(Response) response = g_new0 (Response, 1);
  const char *content_type;

  response->status = soup_message_get_status (request->message);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (request->message), NULL);
  response->content_type = g_strdup (content_type);
  if (!request->streaming_to_sink)
    response->body = g_byte_array_free_to_bytes (g_steal_pointer (&request->buffer));

  g_clear_object (&request->stream);
  g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) response_free);
}

static void
read_failed (GTask  *task,
             GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("client: reading the answer to %s failed: %s", method_for_log (request), error->message);

  /* A body that broke off is a network fault; a GET may simply ask again. */
  if (request->policy == RETRY_IDEMPOTENT && schedule_retry (task, -1))
    {
      g_error_free (error);
      return;
    }

  return_network_error (task, error, TRUE);
  g_error_free (error);
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, error);
      else
        {
          g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                                   _("The output could not be written to disk: %s"),
                                   error->message);
          g_error_free (error);
        }
      return;
    }

  g_clear_pointer (&request->chunk, g_bytes_unref);
  read_next (g_steal_pointer (&task));
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      read_failed (task, error);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      /* A connection that closes early can look like a clean end; the length tells. */
      if (request->expected_length >= 0 && request->received < (guint64) request->expected_length)
        {
          read_failed (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                                  "short body"));
          return;
        }

      finish_response (task);
      return;
    }

  request->received += size;
  if (request->received > request->max_bytes)
    {
      g_autofree char *limit = g_format_size (request->max_bytes);

      if (request->streaming_to_sink)
        g_task_return_new_error (task, INP_ERROR, INP_ERROR_TOO_LARGE,
                                 _("The output is larger than %s, so it was not saved."), limit);
      else
        g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                                 _("The service’s answer is larger than %s, so it was not read."),
                                 limit);
      return;
    }

  if (request->streaming_to_sink)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      request->chunk = g_steal_pointer (&bytes);
      g_output_stream_write_all_async (request->sink,
                                       g_bytes_get_data (request->chunk, NULL),
                                       g_bytes_get_size (request->chunk),
                                       G_PRIORITY_DEFAULT, cancellable,
                                       write_cb, g_steal_pointer (&task));
      return;
    }

  g_byte_array_append (request->buffer, g_bytes_get_data (bytes, NULL), size);
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static gboolean
reset_sink (Request  *request,
            GError  **error)
{
  GSeekable *seekable = G_SEEKABLE (request->sink);

  return g_seekable_seek (seekable, 0, G_SEEK_SET, NULL, error)
         && g_seekable_truncate (seekable, 0, NULL, error);
}

static void
start_reading (GTask *task,
               gsize  max_bytes)
{
  Request *request = g_task_get_task_data (task);
  goffset length = -1;
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);

  request->max_bytes = max_bytes;
  request->received = 0;
  request->expected_length = length;

  /* A body announced as too large is refused before a byte of it is read. */
  if (length > 0 && (guint64) length > max_bytes && SOUP_STATUS_IS_SUCCESSFUL (
        soup_message_get_status (request->message)))
    {
      g_autofree char *limit = g_format_size (max_bytes);

      if (request->streaming_to_sink)
        g_task_return_new_error (task, INP_ERROR, INP_ERROR_TOO_LARGE,
                                 _("The output is larger than %s, so it was not saved."), limit);
      else
        g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                                 _("The service’s answer is larger than %s, so it was not read."),
                                 limit);
      g_object_unref (task);
      return;
    }

  g_clear_pointer (&request->buffer, g_byte_array_unref);
  request->buffer = g_byte_array_sized_new (length > 0 && (gsize) length <= max_bytes ? length
                                                                                       : 4096);

  if (request->streaming_to_sink)
    {
      g_autoptr(GError) error = NULL;

      if (!reset_sink (request, &error))
        {
          g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                                   _("The output could not be written to disk: %s"),
                                   error->message);
          g_object_unref (task);
          return;
        }
    }

  read_next (task);
}

static gboolean
follow_redirect (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  const char *location;
  g_autoptr(GUri) target = NULL;

  location = soup_message_headers_get_one (soup_message_get_response_headers (request->message),
                                           "Location");
  if (location == NULL || ++request->redirects > MAX_REDIRECTS)
    return FALSE;

  target = g_uri_parse_relative (soup_message_get_uri (request->message), location,
                                 G_URI_FLAGS_ENCODED, NULL);
  if (target == NULL)
    return FALSE;

  g_free (request->url);
  request->url = g_uri_to_string (target);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  request_start (task);

  return TRUE;
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      gboolean may_retry;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      g_debug ("client: %s failed: %s", method_for_log (request), error->message);

      may_retry = request->policy == RETRY_IDEMPOTENT
                  || (request->policy == RETRY_CREATE && error_proves_not_sent (error));
      if (may_retry && schedule_retry (task, -1))
        return;

      return_network_error (task, error, FALSE);
      return;
    }

  status = soup_message_get_status (request->message);
  g_debug ("client: %s -> %u (attempt %u)", method_for_log (request), status, request->attempt);

  if (SOUP_STATUS_IS_REDIRECTION (status) && status != 304)
    {
      if (request->follow_redirects && follow_redirect (task))
        return;

      g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                               _("The service answered with an unexpected redirection (HTTP %u)."),
                               status);
      return;
    }

  if ((status == 429 && request->policy != RETRY_NEVER)
      || (status >= 500 && request->policy == RETRY_IDEMPOTENT))
    {
      if (schedule_retry (task, retry_after_ms (request->message)))
        return;
    }

  request->streaming_to_sink = request->sink != NULL && SOUP_STATUS_IS_SUCCESSFUL (status);
  start_reading (g_steal_pointer (&task),
                 SOUP_STATUS_IS_SUCCESSFUL (status) ? request->max_bytes : MAX_ERROR_BODY_BYTES);
}

static void
request_start (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  InpClient *self = request->client;
  SoupMessageHeaders *headers;

  request->attempt++;
  request->message = soup_message_new (request->method, request->url);
  if (request->message == NULL)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                               _("The service named an address that cannot be used."));
      return;
    }

  /* Redirects are followed here, not by libsoup, so that the token never follows one to
   * another origin. */
  soup_message_set_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (request->message);
  if (self->authorization != NULL && inp_endpoint_is_same_origin (self->endpoint, request->url))
    soup_message_headers_replace (headers, "Authorization", self->authorization);
  if (request->prefer != NULL)
    soup_message_headers_replace (headers, "Prefer", request->prefer);
  if (request->sink == NULL)
    soup_message_headers_replace (headers, "Accept", "application/json");
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, request->body_type,
                                              request->body);

  g_object_ref (task);
  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);
}

static void
request_async (InpClient           *self,
               const char          *method,
               const char          *url,
               GBytes              *body,
               const char          *body_type,
               const char          *prefer,
               RetryPolicy          policy,
               GOutputStream       *sink,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);
  g_autofree char *log_url = url_for_log (url);

  g_task_set_source_tag (task, request_async);
  request->client = g_object_ref (self);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->body = body != NULL ? g_bytes_ref (body) : NULL;
  request->body_type = g_strdup (body_type);
  request->prefer = g_strdup (prefer);
  request->policy = policy;
  request->sink = sink != NULL ? g_object_ref (sink) : NULL;
  request->follow_redirects = sink != NULL;
  request->max_bytes = sink != NULL ? self->max_download_bytes : self->max_json_bytes;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  g_debug ("client: %s %s", method, log_url);
  request_start (task);
}

static Response *
request_finish (InpClient     *self,
                GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ─── JSON API calls ──────────────────────────────────────────────────────────────────────────── */

typedef struct
{
  int      route;   /* an InpRoute, or -1 */
} ApiCall;

static gboolean
url_is_http (const char *url)
{
  g_autofree char *origin = inp_url_get_origin (url);

  return origin != NULL;
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL
         && (g_ascii_strcasecmp (content_type, "application/json") == 0
             || g_str_has_suffix (content_type, "+json"));
}

/* Turns an error status into the error to show, noting what it says about the route. */
static gboolean
response_check (InpClient  *self,
                Response   *response,
                int         route,
                GError    **error)
{
  gconstpointer data;
  gsize size;

  data = g_bytes_get_data (response->body, &size);

  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      if (route >= 0 && (response->status == 404 || response->status == 405))
        {
          inp_endpoint_set_route_state (self->endpoint, route, INP_ROUTE_STATE_ABSENT);
          g_set_error (error, INP_ERROR, INP_ERROR_NOT_FOUND,
                       _("This endpoint does not offer that service (HTTP %u)."),
                       response->status);
          return FALSE;
        }

      g_propagate_error (error, inp_problem_to_error (response->status, data, size));
      return FALSE;
    }

  if (route >= 0)
    inp_endpoint_set_route_state (self->endpoint, route, INP_ROUTE_STATE_PRESENT);

  if (!is_json_type (response->content_type))
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   /* Translators: %s is a content type such as “text/html” */
                   _("The service answered with “%s” where JSON was expected."),
                   response->content_type != NULL ? response->content_type : _("no content type"));
      return FALSE;
    }

  return TRUE;
}

/* Pure, so that large answers can be parsed on a worker thread. */
static JsonNode *
parse_json (GBytes  *body,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (body, &size);

  if (size > G_MAXSSIZE || !json_parser_load_from_data (parser, data, size, &local_error))
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   _("The service answered with malformed JSON: %s"),
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   _("The service answered with an empty body."));
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

static JsonNode *
response_to_json (InpClient  *self,
                  Response   *response,
                  int         route,
                  GError    **error)
{
  if (!response_check (self, response, route, error))
    return NULL;

  return parse_json (response->body, error);
}

static void
parse_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  JsonNode *node = parse_json (task_data, &error);

  /* The tree is handed over whole: this thread keeps no reference to it. */
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonNode *node = g_task_propagate_pointer (G_TASK (result), &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
api_call_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  InpClient *self = INP_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  ApiCall *call = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  GError *error = NULL;
  JsonNode *node;

  response = request_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!response_check (self, response, call->route, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A sync answer carries its outputs as data URIs: megabytes to parse. */
  if (g_bytes_get_size (response->body) > LARGE_STRING_BYTES)
    {
      g_autoptr(GTask) parsing = g_task_new (self, g_task_get_cancellable (task), parsed_cb,
                                             g_object_ref (task));

      g_task_set_source_tag (parsing, parse_thread);
      g_task_set_task_data (parsing, g_bytes_ref (response->body),
                            (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (parsing, parse_thread);
      return;
    }

  node = parse_json (response->body, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
api_call_async (InpClient           *self,
                const char          *method,
                const char          *url,
                GBytes              *body,
                const char          *prefer,
                RetryPolicy          policy,
                int                  route,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ApiCall *call = g_new0 (ApiCall, 1);

  g_task_set_source_tag (task, source_tag);
  call->route = route;
  g_task_set_task_data (task, call, g_free);

  request_async (self, method, url, body, body != NULL ? "application/json" : NULL, prefer,
                 policy, NULL, cancellable, api_call_cb, g_steal_pointer (&task));
}

static JsonNode *
api_call_finish (GAsyncResult  *result,
                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static InpPrediction *
prediction_from_result (GAsyncResult  *result,
                        GError       **error)
{
  g_autoptr(JsonNode) node = api_call_finish (result, error);

  if (node == NULL)
    return NULL;

  return inp_prediction_new_from_json (node, error);
}

static void
prediction_call_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  InpPrediction *prediction;

  prediction = prediction_from_result (result, &error);
  if (prediction == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, prediction, g_object_unref);
}

/* One API call whose answer is a prediction, finished with g_task_propagate_pointer(). */
static void
prediction_call_async (InpClient           *self,
                       const char          *method,
                       const char          *url,
                       GBytes              *body,
                       const char          *prefer,
                       RetryPolicy          policy,
                       gpointer             source_tag,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  api_call_async (self, method, url, body, prefer, policy, -1, source_tag, cancellable,
                  prediction_call_cb, g_steal_pointer (&task));
}

/* ─── Public API ──────────────────────────────────────────────────────────────────────────────── */

/**
 * inp_client_new:
 * @endpoint: where the API lives
 * @token: (nullable): the API token; sent only to the endpoint's origin
 *
 * Returns: (transfer full): a new client with its own HTTP session.
 */
InpClient *
inp_client_new (InpEndpoint *endpoint,
                const char  *token)
{
  InpClient *self;

  g_return_val_if_fail (INP_IS_ENDPOINT (endpoint), NULL);

  self = g_object_new (INP_TYPE_CLIENT, "endpoint", endpoint, NULL);
  if (token != NULL && *token != '\0')
    self->authorization = g_strdup_printf ("Bearer %s", token);

  return self;
}

InpEndpoint *
inp_client_get_endpoint (InpClient *self)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), NULL);

  return self->endpoint;
}

guint
inp_client_get_wait_seconds (InpClient *self)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), 0);

  return self->wait_seconds;
}

/**
 * inp_client_set_wait_seconds:
 * @wait_seconds: how long the service may hold a create request (1–60), or 0 to never ask it to
 *   wait, which forces polling
 */
void
inp_client_set_wait_seconds (InpClient *self,
                             guint      wait_seconds)
{
  g_return_if_fail (INP_IS_CLIENT (self));

  wait_seconds = MIN (wait_seconds, 60);
  if (self->wait_seconds == wait_seconds)
    return;

  self->wait_seconds = wait_seconds;
  /* The HTTP timeout stays above the wait, or a held request would be cut off. */
  soup_session_set_timeout (self->session, MAX (wait_seconds, 30) + 15);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_SECONDS]);
}

InpUploadStrategy
inp_client_get_upload_strategy (InpClient *self)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), INP_UPLOAD_STRATEGY_AUTOMATIC);

  return self->upload_strategy;
}

/**
 * inp_client_set_upload_strategy:
 * @strategy: how inp_client_upload_async() sends files from now on
 */
void
inp_client_set_upload_strategy (InpClient         *self,
                                InpUploadStrategy  strategy)
{
  g_return_if_fail (INP_IS_CLIENT (self));

  if (self->upload_strategy == strategy)
    return;

  self->upload_strategy = strategy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPLOAD_STRATEGY]);
}

/**
 * inp_client_set_limits:
 * @max_json_bytes: the largest JSON answer read
 * @max_download_bytes: the largest output file saved
 * @max_data_uri_bytes: the largest data URI sent for a file input
 */
void
inp_client_set_limits (InpClient *self,
                       gsize      max_json_bytes,
                       gsize      max_download_bytes,
                       gsize      max_data_uri_bytes)
{
  g_return_if_fail (INP_IS_CLIENT (self));

  self->max_json_bytes = max_json_bytes;
  self->max_download_bytes = max_download_bytes;
  self->max_data_uri_bytes = max_data_uri_bytes;
}

/**
 * inp_client_set_retry_policy:
 * @max_attempts: how many times a request is sent at most (1 = never retried)
 * @base_delay_ms: the first backoff delay; each retry doubles it, up to 8 s
 *
 * A `Retry-After` from the service always wins over the backoff.
 */
void
inp_client_set_retry_policy (InpClient *self,
                             guint      max_attempts,
                             guint      base_delay_ms)
{
  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
}

/**
 * inp_client_answer_is_final:
 * @prediction: the answer to a create request sent with `Prefer: wait`
 *
 * The service answers a waited-for create with `processing` and the output already present when
 * the model finished, and with `starting` (or `processing` without output) when the wait ran out.
 *
 * Returns: %TRUE when @prediction needs no polling.
 */
gboolean
inp_client_answer_is_final (InpPrediction *prediction)
{
  g_return_val_if_fail (INP_IS_PREDICTION (prediction), FALSE);

  if (inp_prediction_is_terminal (prediction))
    return TRUE;

  return inp_prediction_get_status (prediction) == INP_PREDICTION_STATUS_PROCESSING
         && inp_prediction_has_output (prediction);
}

/* Inputs carrying inline files make bodies of megabytes, whose escaping would stall the main
 * loop; those are written on a worker thread. */
static gboolean
input_is_large (JsonObject *input)
{
  g_autoptr(GList) members = input != NULL ? json_object_get_members (input) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (input, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && strlen (json_node_get_string (node)) > LARGE_STRING_BYTES)
        return TRUE;
    }

  return FALSE;
}

static GBytes *
serialize (JsonNode *node)
{
  char *text = json_to_string (node, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

static void
serialize_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  /* task_data is a deep copy that only this thread touches until the task is done. */
  g_task_return_pointer (task, serialize (task_data), (GDestroyNotify) g_bytes_unref);
}

typedef struct
{
  char *url;
  char *prefer;
} Create;

static void
create_free (Create *create)
{
  g_free (create->url);
  g_free (create->prefer);
  g_free (create);
}

static void
create_answered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  InpPrediction *prediction;

  prediction = g_task_propagate_pointer (G_TASK (result), &error);
  if (prediction == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, prediction, g_object_unref);
}

static void
create_send (GTask  *task,
             GBytes *body)
{
  Create *create = g_task_get_task_data (task);

  prediction_call_async (g_task_get_source_object (task), "POST", create->url, body,
                         create->prefer, RETRY_CREATE, create_send, g_task_get_cancellable (task),
                         create_answered_cb, g_object_ref (task));
}

static void
create_serialized_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = g_task_propagate_pointer (G_TASK (result), &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  create_send (task, body);
}

static void
create_async (InpClient           *self,
              const char          *url,
              JsonNode            *body,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Create *create = g_new0 (Create, 1);

  g_task_set_source_tag (task, create_async);
  create->url = g_strdup (url);
  if (self->wait_seconds > 0)
    create->prefer = g_strdup_printf ("wait=%u", self->wait_seconds);
  g_task_set_task_data (task, create, (GDestroyNotify) create_free);

  if (input_is_large (json_object_get_object_member (json_node_get_object (body), "input")))
    {
      g_autoptr(GTask) serializing = g_task_new (self, cancellable, create_serialized_cb,
                                                 g_object_ref (task));

      g_task_set_source_tag (serializing, serialize_thread);
      g_task_set_task_data (serializing, inp_json_node_deep_copy (body),
                            (GDestroyNotify) json_node_unref);
      g_task_run_in_thread (serializing, serialize_thread);
      return;
    }

  {
    g_autoptr(GBytes) bytes = serialize (body);

    create_send (task, bytes);
  }
}

static gboolean
is_version_hash (const char *text)
{
  gsize len = 0;

  for (const char *p = text; *p != '\0'; p++, len++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  return len == 64;
}

static gboolean
split_model_id (const char  *model,
                char       **owner,
                char       **name)
{
  g_auto(GStrv) parts = g_strsplit (model, "/", -1);

  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    return FALSE;

  *owner = g_strdup (parts[0]);
  *name = g_strdup (parts[1]);
  return TRUE;
}

static JsonNode *
build_body (const char *version,
            JsonObject *input)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  if (version != NULL)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, version);
    }
  json_builder_set_member_name (builder, "input");
  if (input != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), input);

      json_builder_add_value (builder, g_steal_pointer (&node));
    }
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * inp_client_create_by_version_async:
 * @version: a 64-hex version id, or `owner/name:<id>`; only the id is sent
 * @input: (nullable): the model's input
 *
 * Creates a prediction with `POST {base}/predictions`, asking the service to wait for the result.
 * A create is retried only on 429 and when the request provably never reached the service.
 */
void
inp_client_create_by_version_async (InpClient           *self,
                                    const char          *version,
                                    JsonObject          *input,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  const char *colon;
  const char *hash;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (version != NULL);

  colon = strrchr (version, ':');
  hash = colon != NULL ? colon + 1 : version;
  if (!is_version_hash (hash))
    {
      g_task_report_new_error (self, callback, user_data, create_async,
                               INP_ERROR, INP_ERROR_INVALID_INPUT,
                               _("“%s” is not a model version. A version is 64 hexadecimal "
                                 "digits, optionally after “owner/name:”."), version);
      return;
    }

  body = build_body (hash, input);
  url = inp_endpoint_build_url (self->endpoint, "predictions", NULL);
  create_async (self, url, body, cancellable, callback, user_data);
}

/**
 * inp_client_create_by_model_async:
 * @model: `owner/name` of a model run through its model endpoint (no version key is sent)
 * @input: (nullable): the model's input
 */
void
inp_client_create_by_model_async (InpClient           *self,
                                  const char          *model,
                                  JsonObject          *input,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *owner = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (model != NULL);

  if (!split_model_id (model, &owner, &name))
    {
      g_task_report_new_error (self, callback, user_data, create_async,
                               INP_ERROR, INP_ERROR_INVALID_INPUT,
                               _("“%s” is not a model name of the form owner/name."), model);
      return;
    }

  body = build_body (NULL, input);
  url = inp_endpoint_build_url (self->endpoint, "models", owner, name, "predictions", NULL);
  create_async (self, url, body, cancellable, callback, user_data);
}

/**
 * inp_client_create_finish:
 *
 * Returns: (transfer full) (nullable): the prediction as the service answered; see
 *   inp_client_answer_is_final() for whether it still needs following.
 */
InpPrediction *
inp_client_create_finish (InpClient     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * inp_client_get_prediction_async:
 * @id: the prediction's id
 *
 * `GET {base}/predictions/{id}`, built from our base URL and never from the answer's `urls.get`.
 */
void
inp_client_get_prediction_async (InpClient           *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *url = NULL;

  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  url = inp_endpoint_build_url (self->endpoint, "predictions", id, NULL);
  prediction_call_async (self, "GET", url, NULL, NULL, RETRY_IDEMPOTENT,
                         inp_client_get_prediction_async, cancellable, callback, user_data);
}

InpPrediction *
inp_client_get_prediction_finish (InpClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * inp_client_cancel_prediction_async:
 * @id: the prediction's id
 *
 * `POST {base}/predictions/{id}/cancel`. Cancelling twice does no harm, so this is retried like
 * a GET.
 */
void
inp_client_cancel_prediction_async (InpClient           *self,
                                    const char          *id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *url = NULL;

  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  url = inp_endpoint_build_url (self->endpoint, "predictions", id, "cancel", NULL);
  prediction_call_async (self, "POST", url, NULL, NULL, RETRY_IDEMPOTENT,
                         inp_client_cancel_prediction_async, cancellable, callback, user_data);
}

InpPrediction *
inp_client_cancel_prediction_finish (InpClient     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ─── Following ───────────────────────────────────────────────────────────────────────────────── */

typedef struct
{
  InpPrediction *prediction;
  guint          polls;
  guint          interval_ms;
} Follow;

static void
follow_free (Follow *follow)
{
  g_clear_object (&follow->prediction);
  g_free (follow);
}

static void follow_poll (GTask *task);

static gboolean
follow_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    follow_poll (g_object_ref (task));

  return G_SOURCE_REMOVE;
}

static void
follow_schedule (GTask *task)
{
  Follow *follow = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = NULL;

  /* Steady at first, where short predictions finish, then gently slower up to the cap. */
  if (follow->polls >= POLL_STEADY_COUNT)
    follow->interval_ms = MIN (follow->interval_ms * 3 / 2, POLL_MAX_MS);

  source = g_timeout_source_new (follow->interval_ms);
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
    }
  g_source_set_callback (source, follow_timeout_cb, task, g_object_unref);
  g_source_set_name (source, "[inpainter] client poll");
  g_source_attach (source, g_task_get_context (task));
}

static void
follow_get_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Follow *follow = g_task_get_task_data (task);
  g_autoptr(InpPrediction) newer = NULL;
  GError *error = NULL;

  newer = inp_client_get_prediction_finish (INP_CLIENT (source), result, &error);
  if (newer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_strcmp0 (inp_prediction_get_id (newer), inp_prediction_get_id (follow->prediction)) != 0)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                               _("The service answered about another prediction."));
      return;
    }

  inp_prediction_update_from (follow->prediction, newer);

  if (inp_prediction_is_terminal (follow->prediction))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  follow_schedule (g_steal_pointer (&task));
}

static void
follow_poll (GTask *task)
{
  Follow *follow = g_task_get_task_data (task);

  follow->polls++;
  inp_client_get_prediction_async (g_task_get_source_object (task),
                                   inp_prediction_get_id (follow->prediction),
                                   g_task_get_cancellable (task), follow_get_cb, task);
}

/**
 * inp_client_follow_async:
 * @prediction: a prediction to follow; it is updated in place and notifies each change
 *
 * Polls `GET {base}/predictions/{id}` until the prediction reaches a terminal status: every
 * 250 ms at first, then slower up to every 2 s. Cancelling stops following; it does not cancel
 * the prediction on the service.
 */
void
inp_client_follow_async (InpClient           *self,
                         InpPrediction       *prediction,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Follow *follow;

  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (INP_IS_PREDICTION (prediction));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_client_follow_async);
  follow = g_new0 (Follow, 1);
  follow->prediction = g_object_ref (prediction);
  follow->interval_ms = POLL_FIRST_MS;
  g_task_set_task_data (task, follow, (GDestroyNotify) follow_free);

  if (inp_prediction_is_terminal (prediction))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  follow_schedule (g_steal_pointer (&task));
}

gboolean
inp_client_follow_finish (InpClient     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ─── Uploads ─────────────────────────────────────────────────────────────────────────────────── */

typedef struct
{
  GBytes *bytes;
  char   *content_type;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_pointer (&upload->bytes, g_bytes_unref);
  g_free (upload->content_type);
  g_free (upload);
}

static void
encode_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Upload *upload = task_data;

  g_task_return_pointer (task, inp_data_uri_encode (upload->bytes, upload->content_type), g_free);
}

static void
upload_return_data_uri (GTask *task)
{
  InpClient *self = g_task_get_source_object (task);
  Upload *upload = g_task_get_task_data (task);
  gsize size = g_bytes_get_size (upload->bytes);

  /* Base64 grows by a third; the cap is on what goes into the request. */
  if ((size + 2) / 3 * 4 > self->max_data_uri_bytes)
    {
      g_autofree char *limit = g_format_size (self->max_data_uri_bytes);

      g_task_return_new_error (task, INP_ERROR, INP_ERROR_TOO_LARGE,
                               /* Translators: %s is a size such as “1.0 MB” */
                               _("The file is too large to send inline (more than %s), and this "
                                 "endpoint does not accept uploads."), limit);
      return;
    }

  if (size > LARGE_STRING_BYTES)
    {
      g_task_run_in_thread (task, encode_thread);
      return;
    }

  g_task_return_pointer (task, inp_data_uri_encode (upload->bytes, upload->content_type), g_free);
}

static void
upload_answered (GTask    *task,
                 JsonNode *node,
                 GError   *error)
{
  JsonNode *urls;
  JsonNode *get;

  if (node == NULL)
    {
      /* No /files, or /files failing: the data URI still gets the file there. Refusals such as
       * 401 or 413 are the user's to see. */
      if (g_error_matches (error, INP_ERROR, INP_ERROR_NOT_FOUND)
          || g_error_matches (error, INP_ERROR, INP_ERROR_SERVER)
          || g_error_matches (error, INP_ERROR, INP_ERROR_NETWORK))
        {
          g_debug ("client: upload failed (%s), sending the file inline", error->message);
          g_error_free (error);
          upload_return_data_uri (task);
          return;
        }

      g_task_return_error (task, error);
      return;
    }

  urls = JSON_NODE_HOLDS_OBJECT (node)
           ? json_object_get_member (json_node_get_object (node), "urls") : NULL;
  get = urls != NULL && JSON_NODE_HOLDS_OBJECT (urls)
          ? json_object_get_member (json_node_get_object (urls), "get") : NULL;
  if (get == NULL || !JSON_NODE_HOLDS_VALUE (get)
      || json_node_get_value_type (get) != G_TYPE_STRING
      || !url_is_http (json_node_get_string (get)))
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                               _("The service accepted the upload but did not say where the "
                                 "file is."));
      return;
    }

  g_task_return_pointer (task, g_strdup (json_node_get_string (get)), g_free);
}

static void
upload_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  InpClient *self = INP_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  /* The answer goes through the same checks as every JSON call, with route detection. */
  response = request_finish (self, result, &error);
  if (response != NULL)
    node = response_to_json (self, response, INP_ROUTE_FILES, &error);

  upload_answered (task, node, error);
}

/**
 * inp_client_upload_async:
 * @bytes: the file's contents
 * @content_type: its MIME type
 * @filename: (nullable): a name for it
 *
 * Turns a file into the string value a file input takes: the `urls.get` of a `POST /files`
 * upload where the endpoint has that route, and otherwise (or when the upload fails on the
 * service's side) a data URI no larger than the data-URI cap. With the
 * %INP_UPLOAD_STRATEGY_DATA_URI strategy it is always a data URI.
 */
void
inp_client_upload_async (InpClient           *self,
                         GBytes              *bytes,
                         const char          *content_type,
                         const char          *filename,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body_type = NULL;
  Upload *upload;

  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (content_type != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_client_upload_async);
  upload = g_new0 (Upload, 1);
  upload->bytes = g_bytes_ref (bytes);
  upload->content_type = g_strdup (content_type);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  if (self->upload_strategy == INP_UPLOAD_STRATEGY_DATA_URI
      || inp_endpoint_get_route_state (self->endpoint, INP_ROUTE_FILES) == INP_ROUTE_STATE_ABSENT)
    {
      upload_return_data_uri (task);
      return;
    }

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "content", filename != NULL ? filename : "file",
                                   content_type, bytes);
  soup_multipart_append_form_string (multipart, "type", content_type);
  if (filename != NULL)
    soup_multipart_append_form_string (multipart, "filename", filename);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  body_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));

  url = inp_endpoint_build_url (self->endpoint, "files", NULL);
  /* Like a create: a duplicate upload is harmless but a resent body is slow, so only 429 and
   * connection failures are retried. */
  request_async (self, "POST", url, body, body_type, NULL, RETRY_CREATE, NULL, cancellable,
                 upload_sent_cb, g_steal_pointer (&task));
}

/**
 * inp_client_upload_finish:
 *
 * Returns: (transfer full) (nullable): the value for the file input: a URL or a data URI.
 */
char *
inp_client_upload_finish (InpClient     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ─── Models and account ──────────────────────────────────────────────────────────────────────── */

static void
object_call_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = api_call_finish (result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                               _("The service answered with JSON that is not an object."));
      return;
    }

  g_task_return_pointer (task, json_object_ref (json_node_get_object (node)),
                         (GDestroyNotify) json_object_unref);
}

static void
route_call_async (InpClient           *self,
                  InpRoute             route,
                  const char          *url,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);

  if (inp_endpoint_get_route_state (self->endpoint, route) == INP_ROUTE_STATE_ABSENT)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_NOT_FOUND,
                               _("This endpoint does not offer that service."));
      return;
    }

  api_call_async (self, "GET", url, NULL, NULL, RETRY_IDEMPOTENT, route, source_tag, cancellable,
                  object_call_cb, g_steal_pointer (&task));
}

/**
 * inp_client_get_model_async:
 * @model: `owner/name`
 *
 * `GET {base}/models/{owner}/{name}`. Fails with %INP_ERROR_NOT_FOUND, without a request, when
 * the endpoint has shown that it lacks the route.
 */
void
inp_client_get_model_async (InpClient           *self,
                            const char          *model,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *owner = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (model != NULL);

  if (!split_model_id (model, &owner, &name))
    {
      g_task_report_new_error (self, callback, user_data, inp_client_get_model_async,
                               INP_ERROR, INP_ERROR_INVALID_INPUT,
                               _("“%s” is not a model name of the form owner/name."), model);
      return;
    }

  url = inp_endpoint_build_url (self->endpoint, "models", owner, name, NULL);
  route_call_async (self, INP_ROUTE_MODELS, url, inp_client_get_model_async, cancellable,
                    callback, user_data);
}

/**
 * inp_client_get_model_finish:
 *
 * Returns: (transfer full) (nullable): the model object, with `latest_version.openapi_schema`.
 */
JsonObject *
inp_client_get_model_finish (InpClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * inp_client_get_account_async:
 *
 * `GET {base}/account`, which checks the token where the endpoint has the route.
 */
void
inp_client_get_account_async (InpClient           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *url = NULL;

  g_return_if_fail (INP_IS_CLIENT (self));

  url = inp_endpoint_build_url (self->endpoint, "account", NULL);
  route_call_async (self, INP_ROUTE_ACCOUNT, url, inp_client_get_account_async, cancellable,
                    callback, user_data);
}

JsonObject *
inp_client_get_account_finish (InpClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ─── Downloading outputs ─────────────────────────────────────────────────────────────────────── */

typedef struct
{
  InpPrediction *prediction;
  GPtrArray     *sources;
  GPtrArray     *paths;
  GFile         *directory;
  guint          index;
  GFile         *partial;
  GOutputStream *sink;
  char          *content_type;
} Download;

static void
download_free (Download *download)
{
  /* A download that stopped half-way leaves nothing behind. */
  if (download->partial != NULL)
    g_file_delete (download->partial, NULL, NULL);

  g_clear_object (&download->prediction);
  g_clear_pointer (&download->sources, g_ptr_array_unref);
  g_clear_pointer (&download->paths, g_ptr_array_unref);
  g_clear_object (&download->directory);
  g_clear_object (&download->partial);
  g_clear_object (&download->sink);
  g_free (download->content_type);
  g_free (download);
}

static const char *
extension_for_type (const char *content_type)
{
  static const struct { const char *type; const char *extension; } types[] = {
    { "image/png", "png" },
    { "image/jpeg", "jpg" },
    { "image/jpg", "jpg" },
    { "image/webp", "webp" },
    { "image/gif", "gif" },
    { "video/mp4", "mp4" },
    { "video/webm", "webm" },
    { "text/plain", "txt" },
    { "application/json", "json" },
  };

  if (content_type == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (content_type, types[i].type) == 0)
      return types[i].extension;

  return NULL;
}

static const char *
extension_for_url (const char *url)
{
  static const char * const known[] = {
    "png", "jpg", "jpeg", "webp", "gif", "mp4", "webm", "txt", "json",
  };
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *path;
  const char *dot;

  if (uri == NULL)
    return NULL;

  path = g_uri_get_path (uri);
  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, '/') != NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (dot + 1, known[i]) == 0)
      return g_str_equal (known[i], "jpeg") ? "jpg" : known[i];

  return NULL;
}

static GFile *
output_file (Download   *download,
             const char *extension)
{
  g_autofree char *name = g_strdup_printf ("%s-%u.%s",
                                           inp_prediction_get_id (download->prediction),
                                           download->index,
                                           extension != NULL ? extension : "bin");

  return g_file_get_child (download->directory, name);
}

static void download_next (GTask *task);

static gboolean
download_commit (GTask      *task,
                 const char *extension)
{
  Download *download = g_task_get_task_data (task);
  g_autoptr(GFile) target = output_file (download, extension);
  g_autoptr(GError) error = NULL;

  /* The rename makes a file appear complete or not at all. */
  if (!g_file_move (download->partial, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("The output could not be saved: %s"), error->message);
      return FALSE;
    }

  g_clear_object (&download->partial);
  g_ptr_array_add (download->paths, g_file_get_path (target));
  download->index++;
  return TRUE;
}

typedef struct
{
  const char *uri;      /* owned by the download, which outlives this */
  GFile      *partial;
} DataUriSave;

static void
data_uri_save_free (DataUriSave *save)
{
  g_clear_object (&save->partial);
  g_free (save);
}

static void
data_uri_save_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DataUriSave *save = task_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *mime = NULL;

  bytes = inp_data_uri_decode (save->uri, &mime, &error);
  if (bytes == NULL)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_PROTOCOL,
                               _("An output could not be decoded: %s"), error->message);
      return;
    }

  if (!g_file_replace_contents (save->partial, g_bytes_get_data (bytes, NULL),
                                g_bytes_get_size (bytes), NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, cancellable, &error))
    {
      g_free (mime);
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("The output could not be written to disk: %s"), error->message);
      return;
    }

  g_task_return_pointer (task, mime, g_free);
}

static void
data_uri_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *mime = NULL;
  GError *error = NULL;

  mime = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (download_commit (task, extension_for_type (mime)))
    download_next (task);
}

static void
download_data_uri (GTask      *task,
                   const char *uri)
{
  Download *download = g_task_get_task_data (task);
  g_autoptr(GTask) saving = g_task_new (g_task_get_source_object (task),
                                        g_task_get_cancellable (task), data_uri_saved_cb,
                                        g_object_ref (task));
  DataUriSave *save = g_new0 (DataUriSave, 1);

  save->uri = uri;
  save->partial = g_object_ref (download->partial);
  g_task_set_source_tag (saving, data_uri_save_thread);
  g_task_set_task_data (saving, save, (GDestroyNotify) data_uri_save_free);

  /* Small ones are not worth a thread hop. */
  if (strlen (uri) > LARGE_STRING_BYTES)
    g_task_run_in_thread (saving, data_uri_save_thread);
  else
    data_uri_save_thread (saving, g_task_get_source_object (task), save,
                          g_task_get_cancellable (task));
}

static void
download_close_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *extension;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("The output could not be written to disk: %s"), error->message);
      return;
    }
  g_clear_object (&download->sink);

  extension = extension_for_type (download->content_type);
  if (extension == NULL)
    extension = extension_for_url (g_ptr_array_index (download->sources, download->index));

  if (download_commit (task, extension))
    download_next (task);
}

static void
download_fetch_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  InpClient *self = INP_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(Response) response = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  response = request_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (response->status == 404 || response->status == 410)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_OUTPUT_EXPIRED,
                               _("The output is no longer available from the service. Outputs "
                                 "are kept for about an hour."));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      gsize size = 0;
      gconstpointer data = response->body != NULL ? g_bytes_get_data (response->body, &size)
                                                  : NULL;

      g_task_return_error (task, inp_problem_to_error (response->status, data, size));
      return;
    }

  g_free (download->content_type);
  download->content_type = g_strdup (response->content_type);
  cancellable = g_task_get_cancellable (task);
  g_output_stream_close_async (download->sink, G_PRIORITY_DEFAULT, cancellable,
                               download_close_cb, g_steal_pointer (&task));
}

static void
download_next (GTask *task)
{
  InpClient *self = g_task_get_source_object (task);
  Download *download = g_task_get_task_data (task);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  const char *source;

  if (download->index >= download->sources->len)
    {
      g_task_return_pointer (task, g_ptr_array_ref (download->paths),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  source = g_ptr_array_index (download->sources, download->index);
  name = g_strdup_printf (".%s-%u.part", inp_prediction_get_id (download->prediction),
                          download->index);
  download->partial = g_file_get_child (download->directory, name);

  if (g_str_has_prefix (source, "data:"))
    {
      download_data_uri (task, source);
      return;
    }

  stream = g_file_replace (download->partial, NULL, FALSE, G_FILE_CREATE_NONE,
                           g_task_get_cancellable (task), &error);
  if (stream == NULL)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("The output could not be written to disk: %s"), error->message);
      return;
    }
  g_set_object (&download->sink, G_OUTPUT_STREAM (stream));

  request_async (self, "GET", source, NULL, NULL, NULL, RETRY_IDEMPOTENT, download->sink,
                 g_task_get_cancellable (task), download_fetch_cb, g_object_ref (task));
}

/**
 * inp_client_download_outputs_async:
 * @prediction: a prediction whose output is present
 * @directory: where to save the files; it is created when missing
 *
 * Saves every file of the output (URLs and data URIs, at any depth) as
 * `{directory}/{id}-{n}.{extension}`, each streamed under a temporary name and renamed when
 * complete. The token goes only to URLs on the endpoint's own origin. An output that is gone
 * gives %INP_ERROR_OUTPUT_EXPIRED.
 */
void
inp_client_download_outputs_async (InpClient           *self,
                                   InpPrediction       *prediction,
                                   const char          *directory,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Download *download;

  g_return_if_fail (INP_IS_CLIENT (self));
  g_return_if_fail (INP_IS_PREDICTION (prediction));
  g_return_if_fail (directory != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_client_download_outputs_async);
  download = g_new0 (Download, 1);
  download->prediction = g_object_ref (prediction);
  download->sources = inp_prediction_dup_file_outputs (prediction);
  download->paths = g_ptr_array_new_with_free_func (g_free);
  download->directory = g_file_new_for_path (directory);
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);

  if (inp_prediction_get_data_removed (prediction))
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_OUTPUT_EXPIRED,
                               _("The service has already removed this prediction’s output. "
                                 "Outputs are kept for about an hour."));
      return;
    }

  if (!g_file_make_directory_with_parents (download->directory, cancellable, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("The folder for the outputs could not be created: %s"),
                               error->message);
      return;
    }

  download_next (task);
}

/**
 * inp_client_download_outputs_finish:
 *
 * Returns: (transfer full) (element-type filename): the saved files' paths, in output order.
 */
GPtrArray *
inp_client_download_outputs_finish (InpClient     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (INP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ─── GObject ─────────────────────────────────────────────────────────────────────────────────── */

static void
inp_client_constructed (GObject *object)
{
  InpClient *self = INP_CLIENT (object);
  g_autofree char *user_agent = g_strdup_printf ("inpainter/%s", PACKAGE_VERSION);

  G_OBJECT_CLASS (inp_client_parent_class)->constructed (object);

  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", self->wait_seconds + 15,
                                                 "max-conns-per-host", 6,
                                                 NULL);
}

static void
inp_client_dispose (GObject *object)
{
  InpClient *self = INP_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->endpoint);

  G_OBJECT_CLASS (inp_client_parent_class)->dispose (object);
}

static void
inp_client_finalize (GObject *object)
{
  InpClient *self = INP_CLIENT (object);

  /* The token is overwritten before its memory goes back to the allocator. */
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);

  G_OBJECT_CLASS (inp_client_parent_class)->finalize (object);
}

static void
inp_client_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  InpClient *self = INP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_object (value, self->endpoint);
      break;

    case PROP_WAIT_SECONDS:
      g_value_set_uint (value, self->wait_seconds);
      break;

    case PROP_UPLOAD_STRATEGY:
      g_value_set_enum (value, self->upload_strategy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_client_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  InpClient *self = INP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      self->endpoint = g_value_dup_object (value);
      break;

    case PROP_WAIT_SECONDS:
      inp_client_set_wait_seconds (self, g_value_get_uint (value));
      break;

    case PROP_UPLOAD_STRATEGY:
      inp_client_set_upload_strategy (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_client_class_init (InpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = inp_client_constructed;
  object_class->dispose = inp_client_dispose;
  object_class->finalize = inp_client_finalize;
  object_class->get_property = inp_client_get_property;
  object_class->set_property = inp_client_set_property;

  properties[PROP_ENDPOINT] =
    g_param_spec_object ("endpoint", NULL, NULL, INP_TYPE_ENDPOINT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * InpClient:wait-seconds:
   *
   * The N of `Prefer: wait=N` on creates; 0 sends no Prefer header.
   */
  properties[PROP_WAIT_SECONDS] =
    g_param_spec_uint ("wait-seconds", NULL, NULL, 0, 60, INP_CLIENT_DEFAULT_WAIT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpClient:upload-strategy:
   *
   * Whether file inputs may go through `POST /files`, or always travel as data URIs.
   */
  properties[PROP_UPLOAD_STRATEGY] =
    g_param_spec_enum ("upload-strategy", NULL, NULL, INP_TYPE_UPLOAD_STRATEGY,
                       INP_UPLOAD_STRATEGY_AUTOMATIC,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inp_client_init (InpClient *self)
{
  self->wait_seconds = INP_CLIENT_DEFAULT_WAIT_SECONDS;
  self->max_json_bytes = INP_CLIENT_DEFAULT_MAX_JSON_BYTES;
  self->max_download_bytes = INP_CLIENT_DEFAULT_MAX_DOWNLOAD_BYTES;
  self->max_data_uri_bytes = INP_CLIENT_DEFAULT_MAX_DATA_URI_BYTES;
  self->max_attempts = 5;
  self->base_delay_ms = 500;
}
