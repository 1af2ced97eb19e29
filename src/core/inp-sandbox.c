/* inp-sandbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "inp-catalog.h"
#include "inp-error.h"
#include "inp-image.h"
#include "inp-json.h"
#include "inp-sandbox.h"
#include "inp-sandbox-private.h"

#define DEFAULT_TOKEN "sandbox-token"
#define DEFAULT_MODEL_TIME_MS 300
#define MAX_WAIT_S 60

typedef struct
{
  InpSandboxRoute     route;
  InpSandboxFaultKind kind;
  int                 param;
  guint               times;
} Fault;

/* A request as logged; counted ones name a route the API or output origin recognised. */
typedef struct
{
  InpSandboxRequest request;
  gboolean          counted;
} RequestRecord;

typedef struct
{
  char   *id;
  char   *name;
  char   *content_type;
  GBytes *bytes;
  gint64  created_real_us;
} SandboxFile;

typedef struct _Prediction Prediction;

/* A create request held open by `Prefer: wait`. */
typedef struct
{
  SoupServerMessage *msg;
  GSource           *timeout;
  Prediction        *prediction;
  Fault             *post_fault;
  char              *preference;
} Waiter;

struct _Prediction
{
  InpSandbox *sandbox;
  char       *id;
  InpModel   *model;
  char       *version;          /* the 64-hex id, or "hidden" when created through the model route */
  JsonObject *input;
  gint64      created_us;
  gint64      created_real_us;
  gint64      start_us;
  gint64      deadline_us;
  gint64      completed_us;
  gint64      completed_real_us;
  guint       steps;
  char       *final_status;     /* NULL while running */
  char       *error;
  GPtrArray  *outputs;          /* of InpSandboxOutput, once generated */
  char       *failure;          /* the model's error, once generated */
  gboolean    generated;
  gboolean    time_up;
  gboolean    data_removed;
  GSource    *timer;
  GPtrArray  *waiters;          /* of Waiter */
};

struct _InpSandbox
{
  GObject           parent_instance;

  /* Set by inp_sandbox_start() and read-only while running. */
  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  SoupServer       *api;
  SoupServer       *output;
  SoupServer       *decoy;
  char             *prefix;
  char             *base_url;
  char             *output_origin;
  char             *decoy_origin;
  GError           *start_error;
  gboolean          ready;
  GCond             ready_cond;

  /* Everything below is guarded by the mutex. */
  GMutex            mutex;
  char             *token;
  guint             model_time_ms;
  InpSandboxRoutes  routes;
  GPtrArray        *faults;        /* of Fault */
  GPtrArray        *requests;      /* of RequestRecord */
  GHashTable       *predictions;   /* id → Prediction */
  GHashTable       *files;         /* id → SandboxFile */
  guint             pending_runs;  /* model runs on worker threads */
};

G_DEFINE_FINAL_TYPE (InpSandbox, inp_sandbox, G_TYPE_OBJECT)

static void waiter_free (Waiter *waiter);

/* Small helpers */

static char *
format_time (gint64 real_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%06dZ", base, (int) (real_us % G_USEC_PER_SEC));
}

static char *
new_id (void)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  char id[27];

  for (guint i = 0; i < 26; i++)
    id[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  id[26] = '\0';
  return g_strdup (id);
}

/* Official models have no published version; the sandbox gives them a stable stand-in so that
 * GET /models can describe a latest_version, and accepts it on POST /predictions. */
static char *
stand_in_version (InpModel *model)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, inp_model_get_id (model), -1);
}

/* Models published by others, in no built-in catalogue: what a user adds by owner/name. */
static InpCatalog *
community_catalog (void)
{
  static InpCatalog *community;

  if (g_once_init_enter (&community))
    {
      g_autoptr(GError) error = NULL;
      InpCatalog *catalog = inp_catalog_new_from_resource (INP_RESOURCE_PREFIX
                                                           "/sandbox-models.json",
                                                           FALSE, &error);

      /* Compiled in, as the built-in catalogue is: failing is a build fault. */
      if (catalog == NULL)
        g_error ("sandbox: the community models cannot be read: %s", error->message);
      g_once_init_leave (&community, catalog);
    }

  return community;
}

static InpModel *
lookup_model (const char *id)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), id);

  return model != NULL ? model : inp_catalog_lookup (community_catalog (), id);
}

static InpModel *
lookup_version (const char *version)
{
  InpCatalog *catalog = inp_catalog_get_default ();
  InpModel *model = inp_catalog_lookup_version (catalog, version);

  for (guint i = 0; model == NULL && i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
    {
      g_autoptr(InpModel) candidate = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      g_autofree char *stand_in = stand_in_version (candidate);

      if (inp_model_get_version (candidate) == NULL && g_ascii_strcasecmp (stand_in, version) == 0)
        model = candidate;
    }

  if (model == NULL)
    model = inp_catalog_lookup_version (community_catalog (), version);

  return model;
}

static void
fault_free (Fault *fault)
{
  g_free (fault);
}

static void
request_record_free (RequestRecord *record)
{
  g_free (record->request.method);
  g_free (record->request.path);
  g_free (record->request.origin);
  g_free (record->request.authorization);
  g_free (record->request.prefer);
  g_free (record);
}

static void
sandbox_file_free (SandboxFile *file)
{
  g_free (file->id);
  g_free (file->name);
  g_free (file->content_type);
  g_bytes_unref (file->bytes);
  g_free (file);
}

static void
prediction_free (Prediction *prediction)
{
  if (prediction->timer != NULL)
    {
      g_source_destroy (prediction->timer);
      g_source_unref (prediction->timer);
    }
  g_ptr_array_unref (prediction->waiters);
  g_free (prediction->id);
  g_clear_object (&prediction->model);
  g_free (prediction->version);
  json_object_unref (prediction->input);
  g_free (prediction->final_status);
  g_free (prediction->error);
  g_clear_pointer (&prediction->outputs, g_ptr_array_unref);
  g_free (prediction->failure);
  g_free (prediction);
}

/* Responses */

static GBytes *
json_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* Writes a response by hand on the stolen connection: the faults that break HTTP itself. The
 * message is libsoup's no more afterwards: it must not be unpaused. */
static void
send_raw (SoupServerMessage *msg,
          const char        *head,
          GBytes            *body)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  GOutputStream *output;

  if (stream == NULL)
    return;

  output = g_io_stream_get_output_stream (stream);
  if (head != NULL)
    g_output_stream_write_all (output, head, strlen (head), NULL, NULL, NULL);
  if (body != NULL)
    g_output_stream_write_all (output, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                               NULL, NULL, NULL);
  g_output_stream_flush (output, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* Returns whether the connection was taken over by send_raw(). */
static gboolean
send_body (SoupServerMessage *msg,
           guint              status,
           const char        *content_type,
           GBytes            *body,
           const Fault       *fault)
{
  gsize size = g_bytes_get_size (body);

  if (fault != NULL)
    {
      switch (fault->kind)
        {
        case INP_SANDBOX_FAULT_MALFORMED_JSON:
          {
            /* Half an answer is never valid JSON. */
            static const char broken[] = "{\"id\": \"broken\", \"status\": \"succ";

            soup_server_message_set_status (msg, status < 300 ? status : SOUP_STATUS_OK, NULL);
            soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                              broken, strlen (broken));
            return FALSE;
          }

        case INP_SANDBOX_FAULT_WRONG_CONTENT_TYPE:
          {
            static const char page[] = "<!DOCTYPE html><html><head><title>Welcome</title></head>"
                                       "<body><h1>It works!</h1></body></html>";

            soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
            soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                              page, strlen (page));
            return FALSE;
          }

        case INP_SANDBOX_FAULT_TRUNCATED_BODY:
          {
            g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                                     "Content-Type: %s\r\n"
                                                     "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                                     "Connection: close\r\n\r\n",
                                                     status, soup_status_get_phrase (status),
                                                     content_type, size * 2 + 16);
            g_autoptr(GBytes) half = g_bytes_new_from_bytes (body, 0, size / 2);

            send_raw (msg, head, half);
            return TRUE;
          }

        case INP_SANDBOX_FAULT_RATE_LIMIT:
        case INP_SANDBOX_FAULT_SERVER_ERROR:
        case INP_SANDBOX_FAULT_PROBLEM:
        case INP_SANDBOX_FAULT_DROP_CONNECTION:
        case INP_SANDBOX_FAULT_HUGE_BODY:
        case INP_SANDBOX_FAULT_UNKNOWN_STATUS:
        default:
          break;
        }
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), size);
  return FALSE;
}

static void
apply_json_fault (JsonNode    *node,
                  const Fault *fault)
{
  JsonObject *object;

  if (fault == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);

  if (fault->kind == INP_SANDBOX_FAULT_UNKNOWN_STATUS)
    json_object_set_string_member (object, "status", "exploded");
  else if (fault->kind == INP_SANDBOX_FAULT_HUGE_BODY)
    {
      gsize size = (gsize) MAX (fault->param, 1) * 1024 * 1024;
      char *logs = g_malloc (size + 1);

      memset (logs, '.', size);
      logs[size] = '\0';
      json_object_set_string_member (object, "logs", logs);
      g_free (logs);
    }
}

/* Returns whether the connection was taken over by send_raw(). */
static gboolean
send_json (SoupServerMessage *msg,
           guint              status,
           JsonNode          *node,
           const Fault       *fault)
{
  g_autoptr(GBytes) body = NULL;

  apply_json_fault (node, fault);
  body = json_bytes (node);
  return send_body (msg, status, status >= 400 ? "application/problem+json" : "application/json", body,
             fault);
}

static JsonNode *
problem_node (guint       status,
              const char *title,
              const char *detail)
{
  JsonObject *object = json_object_new ();

  if (title != NULL)
    json_object_set_string_member (object, "title", title);
  json_object_set_string_member (object, "detail", detail);
  json_object_set_int_member (object, "status", status);
  return json_node_init_object (json_node_alloc (), object);
}

static void
send_problem (SoupServerMessage *msg,
              guint              status,
              const char        *title,
              const char        *detail)
{
  g_autoptr(JsonNode) node = problem_node (status, title, detail);

  send_json (msg, status, node, NULL);
}

/* The realistic body of each status a PROBLEM fault can give. */
static void
send_fault_problem (SoupServerMessage *msg,
                    int                status)
{
  switch (status)
    {
    case 400:
      send_problem (msg, 400, NULL, "Failed to parse request body as JSON: EOF");
      break;
    case 401:
      send_problem (msg, 401, "Unauthenticated", "You did not pass a valid authentication token");
      break;
    case 402:
      send_problem (msg, 402, "Billing required",
                    "You need to set up billing to run this model. Go to "
                    "https://replicate.com/account/billing#billing and set up billing.");
      break;
    case 404:
      send_problem (msg, 404, "Not found", "The requested resource could not be found.");
      break;
    case 413:
      send_problem (msg, 413, "Request Entity Too Large", "Files must be less than 100MB in size");
      break;
    case 422:
      {
        g_autoptr(JsonNode) node = problem_node (422, "Input validation failed",
                                                 "- input: prompt is required\n");
        JsonArray *fields = json_array_new ();
        JsonObject *field = json_object_new ();

        json_object_set_string_member (field, "type", "required");
        json_object_set_string_member (field, "field", "input");
        json_object_set_string_member (field, "description", "prompt is required");
        json_array_add_object_element (fields, field);
        json_object_set_array_member (json_node_get_object (node), "invalid_fields", fields);
        send_json (msg, 422, node, NULL);
        break;
      }
    default:
      send_problem (msg, status, soup_status_get_phrase (status), "Something went wrong.");
    }
}

/* Faults that act before the request is handled. Returns TRUE when the fault answered. */
static gboolean
apply_early_fault (SoupServerMessage *msg,
                   const Fault       *fault)
{
  switch (fault->kind)
    {
    case INP_SANDBOX_FAULT_RATE_LIMIT:
      if (fault->param > 0)
        {
          g_autofree char *seconds = g_strdup_printf ("%d", fault->param);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", seconds);
        }
      send_problem (msg, 429, "Request was throttled",
                    "Request was throttled. Your rate limit resets in ~30s.");
      return TRUE;

    case INP_SANDBOX_FAULT_SERVER_ERROR:
      send_problem (msg, fault->param >= 500 && fault->param < 600 ? fault->param : 500,
                    "Internal Server Error", "An unexpected error occurred.");
      return TRUE;

    case INP_SANDBOX_FAULT_PROBLEM:
      send_fault_problem (msg, fault->param);
      return TRUE;

    case INP_SANDBOX_FAULT_DROP_CONNECTION:
      send_raw (msg, NULL, NULL);
      return TRUE;

    case INP_SANDBOX_FAULT_MALFORMED_JSON:
    case INP_SANDBOX_FAULT_TRUNCATED_BODY:
    case INP_SANDBOX_FAULT_WRONG_CONTENT_TYPE:
    case INP_SANDBOX_FAULT_HUGE_BODY:
    case INP_SANDBOX_FAULT_UNKNOWN_STATUS:
    default:
      return FALSE;
    }
}

/* Predictions as JSON. Called with the mutex held. */

static char *
progress_logs (Prediction *prediction,
               gint64      now)
{
  g_autoptr(GString) logs = g_string_new (NULL);
  gint64 end = prediction->final_status != NULL ? prediction->completed_us : now;
  gint64 span = MAX (prediction->deadline_us - prediction->start_us, 1);
  double fraction;
  guint done;

  if (now < prediction->start_us && prediction->final_status == NULL)
    return g_strdup ("");

  fraction = CLAMP ((double) (end - prediction->start_us) / span, 0.0, 1.0);
  if (g_strcmp0 (prediction->final_status, "succeeded") == 0)
    fraction = 1.0;
  done = (guint) (fraction * prediction->steps);

  g_string_append_printf (logs, "Using seed: %u\n", g_str_hash (prediction->id) % 100000);
  for (guint step = 0; step <= done; step++)
    {
      guint percent = step * 100 / prediction->steps;
      double elapsed = (double) span / G_USEC_PER_SEC * step / prediction->steps;
      double left = (double) span / G_USEC_PER_SEC - elapsed;
      double rate = prediction->steps / MAX ((double) span / G_USEC_PER_SEC, 0.001);

      g_string_append_printf (logs, "%4u%%|", percent);
      for (guint i = 0; i < 10; i++)
        g_string_append (logs, i < percent / 10 ? "█" : " ");
      g_string_append_printf (logs, "| %u/%u [%02d:%02d<%02d:%02d, %.1fit/s]\n",
                              step, prediction->steps,
                              (int) elapsed / 60, (int) elapsed % 60,
                              (int) left / 60, (int) left % 60, rate);
    }

  return g_string_free (g_steal_pointer (&logs), FALSE);
}

static char *
output_url (Prediction *prediction,
            guint       index)
{
  InpSandboxOutput *output = g_ptr_array_index (prediction->outputs, index);

  return g_strdup_printf ("%s/%s/out-%u.%s", prediction->sandbox->output_origin, prediction->id,
                          index, output->extension);
}

static void
take_string_element (JsonArray *array,
                     char      *value)
{
  json_array_add_string_element (array, value);
  g_free (value);
}

static void
take_string_member (JsonObject *object,
                    const char *name,
                    char       *value)
{
  json_object_set_string_member (object, name, value);
  g_free (value);
}

static JsonNode *
output_node (Prediction *prediction,
             gboolean    as_data_uris)
{
  JsonArray *array;

  if (g_strcmp0 (prediction->final_status, "succeeded") != 0 || prediction->data_removed
      || prediction->outputs == NULL)
    return json_node_new (JSON_NODE_NULL);

  array = json_array_new ();
  for (guint i = 0; i < prediction->outputs->len; i++)
    {
      InpSandboxOutput *output = g_ptr_array_index (prediction->outputs, i);

      if (as_data_uris)
        take_string_element (array, inp_data_uri_encode (output->bytes, output->mime));
      else
        take_string_element (array, output_url (prediction, i));
    }

  if (!inp_model_get_output_is_array (prediction->model) && json_array_get_length (array) > 0)
    {
      JsonNode *single = json_node_copy (json_array_get_element (array, 0));

      json_array_unref (array);
      return single;
    }
  return json_node_init_array (json_node_alloc (), array);
}

typedef enum
{
  VIEW_ASYNC,          /* GET and cancel: the state now, outputs as URLs */
  VIEW_SYNC_DONE,      /* a held create that saw the end: "processing" with data: URIs */
  VIEW_STARTING,       /* a plain create, or a held one whose wait ran out: "starting", no output */
} View;

static JsonNode *
prediction_node (Prediction *prediction,
                 View        view)
{
  InpSandbox *sandbox = prediction->sandbox;
  JsonObject *object = json_object_new ();
  JsonObject *urls = json_object_new ();
  gint64 now = g_get_monotonic_time ();
  const char *status;
  g_autofree char *created_at = format_time (prediction->created_real_us);
  g_autofree char *logs = progress_logs (prediction, now);
  gboolean started;

  if (view == VIEW_STARTING)
    status = "starting";
  else if (prediction->final_status != NULL)
    status = (view == VIEW_SYNC_DONE && g_str_equal (prediction->final_status, "succeeded"))
             ? "processing" : prediction->final_status;
  else
    status = now < prediction->start_us ? "starting" : "processing";
  started = !g_str_equal (status, "starting");

  json_object_set_string_member (object, "id", prediction->id);
  json_object_set_string_member (object, "model", inp_model_get_id (prediction->model));
  json_object_set_string_member (object, "version", prediction->version);
  json_object_set_object_member (object, "input", json_object_ref (prediction->input));
  json_object_set_string_member (object, "logs", view == VIEW_STARTING ? "" : logs);
  json_object_set_member (object, "output",
                          view == VIEW_STARTING ? json_node_new (JSON_NODE_NULL)
                          : output_node (prediction, view == VIEW_SYNC_DONE));
  json_object_set_boolean_member (object, "data_removed", prediction->data_removed);
  if (prediction->error != NULL && view != VIEW_STARTING)
    json_object_set_string_member (object, "error", prediction->error);
  else
    json_object_set_null_member (object, "error");
  json_object_set_string_member (object, "status", status);
  json_object_set_string_member (object, "source", "api");
  json_object_set_string_member (object, "created_at", created_at);

  if (started)
    {
      g_autofree char *started_at = format_time (prediction->created_real_us
                                                 + (prediction->start_us - prediction->created_us));

      json_object_set_string_member (object, "started_at", started_at);
    }
  if (prediction->final_status != NULL && view != VIEW_STARTING)
    {
      g_autofree char *completed_at = format_time (prediction->completed_real_us);
      JsonObject *metrics = json_object_new ();
      double predict = MAX (prediction->completed_us - prediction->start_us, 0) / 1e6;
      double total = MAX (prediction->completed_us - prediction->created_us, 0) / 1e6;

      if (view != VIEW_SYNC_DONE)
        json_object_set_string_member (object, "completed_at", completed_at);
      json_object_set_double_member (metrics, "predict_time", predict);
      json_object_set_double_member (metrics, "total_time", total);
      json_object_set_object_member (object, "metrics", metrics);
    }

  /* Like api.replicate.com behind a relay: these name a host that is not the caller's endpoint. */
  take_string_member (urls, "get", g_strdup_printf ("%s/v1/predictions/%s",
                                                    sandbox->decoy_origin, prediction->id));
  take_string_member (urls, "cancel", g_strdup_printf ("%s/v1/predictions/%s/cancel",
                                                       sandbox->decoy_origin, prediction->id));
  take_string_member (urls, "stream", g_strdup_printf ("%s/v1/files/%s",
                                                       sandbox->decoy_origin, prediction->id));
  take_string_member (urls, "web", g_strdup_printf ("https://replicate.com/p/%s", prediction->id));
  json_object_set_object_member (object, "urls", urls);

  return json_node_init_object (json_node_alloc (), object);
}

/* Lifecycle of a prediction, in the sandbox's thread. */

static void
answer_waiter (Waiter *waiter,
               View    view)
{
  g_autoptr(JsonNode) node = NULL;
  InpSandbox *sandbox = waiter->prediction->sandbox;

  g_mutex_lock (&sandbox->mutex);
  node = prediction_node (waiter->prediction, view);
  g_mutex_unlock (&sandbox->mutex);

  soup_message_headers_replace (soup_server_message_get_response_headers (waiter->msg),
                                "Preference-Applied", waiter->preference);
  /* A truncated answer is written on the stolen connection, which libsoup no longer drives. */
  if (!send_json (waiter->msg, SOUP_STATUS_CREATED, node, waiter->post_fault))
    soup_server_message_unpause (waiter->msg);
}

/* Takes the waiters out under the lock and answers them after. */
static void
release_waiters (Prediction *prediction)
{
  g_autoptr(GPtrArray) waiters = prediction->waiters;

  prediction->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
  g_mutex_unlock (&prediction->sandbox->mutex);
  for (guint i = 0; i < waiters->len; i++)
    answer_waiter (g_ptr_array_index (waiters, i), VIEW_SYNC_DONE);
  g_mutex_lock (&prediction->sandbox->mutex);
}

static void
finish (Prediction *prediction,
        const char *status)
{
  g_debug ("sandbox: %s %s", prediction->id, status);

  prediction->final_status = g_strdup (status);
  prediction->completed_us = g_get_monotonic_time ();
  prediction->completed_real_us = g_get_real_time ();
  if (prediction->start_us > prediction->completed_us)
    prediction->start_us = prediction->completed_us;
  if (prediction->timer != NULL)
    {
      g_source_destroy (prediction->timer);
      g_clear_pointer (&prediction->timer, g_source_unref);
    }
  release_waiters (prediction);
}

/* Called with the mutex held: ends the prediction once both the model and the clock are done. */
static void
maybe_finish (Prediction *prediction)
{
  if (prediction->final_status != NULL || !prediction->generated || !prediction->time_up)
    return;

  if (prediction->failure != NULL)
    {
      prediction->error = g_strdup (prediction->failure);
      finish (prediction, "failed");
    }
  else
    finish (prediction, "succeeded");
}

static gboolean
timer_cb (gpointer user_data)
{
  Prediction *prediction = user_data;
  InpSandbox *sandbox = prediction->sandbox;

  g_mutex_lock (&sandbox->mutex);
  g_clear_pointer (&prediction->timer, g_source_unref);
  prediction->time_up = TRUE;
  maybe_finish (prediction);
  g_mutex_unlock (&sandbox->mutex);

  return G_SOURCE_REMOVE;
}

typedef struct
{
  InpModel   *model;
  JsonObject *input;
  GHashTable *files;
  char       *id;
} RunData;

typedef struct
{
  GPtrArray *outputs;
  char      *failure;
} RunResult;

static void
run_data_free (RunData *data)
{
  g_object_unref (data->model);
  json_object_unref (data->input);
  g_hash_table_unref (data->files);
  g_free (data->id);
  g_free (data);
}

static void
run_result_free (RunResult *result)
{
  g_clear_pointer (&result->outputs, g_ptr_array_unref);
  g_free (result->failure);
  g_free (result);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  RunResult *result = g_new0 (RunResult, 1);

  result->outputs = inp_sandbox_run_model (data->model, data->input, data->files, &result->failure);
  g_task_return_pointer (task, result, (GDestroyNotify) run_result_free);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *async_result,
             gpointer      user_data)
{
  InpSandbox *self = user_data;
  RunData *data = g_task_get_task_data (G_TASK (async_result));
  RunResult *result = g_task_propagate_pointer (G_TASK (async_result), NULL);
  Prediction *prediction;

  g_mutex_lock (&self->mutex);
  self->pending_runs--;
  prediction = g_hash_table_lookup (self->predictions, data->id);
  if (prediction != NULL && result != NULL)
    {
      prediction->outputs = g_steal_pointer (&result->outputs);
      prediction->failure = g_steal_pointer (&result->failure);
      prediction->generated = TRUE;
      maybe_finish (prediction);
    }
  g_mutex_unlock (&self->mutex);

  g_clear_pointer (&result, run_result_free);
}

static void
waiter_free (Waiter *waiter)
{
  if (waiter->timeout != NULL)
    {
      g_source_destroy (waiter->timeout);
      g_source_unref (waiter->timeout);
    }
  g_clear_object (&waiter->msg);
  g_free (waiter->post_fault);
  g_free (waiter->preference);
  g_free (waiter);
}

static gboolean
waiter_timeout_cb (gpointer user_data)
{
  Waiter *waiter = user_data;
  Prediction *prediction = waiter->prediction;
  InpSandbox *sandbox = prediction->sandbox;

  guint index = 0;

  g_mutex_lock (&sandbox->mutex);
  g_clear_pointer (&waiter->timeout, g_source_unref);
  if (g_ptr_array_find (prediction->waiters, waiter, &index))
    g_ptr_array_steal_index (prediction->waiters, index);
  g_mutex_unlock (&sandbox->mutex);

  answer_waiter (waiter, VIEW_STARTING);
  waiter_free (waiter);

  return G_SOURCE_REMOVE;
}

/* Requests */

typedef struct
{
  InpSandboxRoute  route;
  gboolean         known;
  gboolean         method_ok;
  char           **parts;   /* the path below the prefix, split on "/" */
} Route;

static void
route_clear (Route *route)
{
  g_clear_pointer (&route->parts, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Route, route_clear)

static void
parse_route (const char *method,
             const char *path,
             Route      *route)
{
  gboolean get = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  gboolean post = g_str_equal (method, "POST");
  guint n;

  static const struct {
    guint            n_parts;
    const char      *first;
    const char      *last;
    InpSandboxRoute  route;
    gboolean         post;
  } table[] = {
    { 1, "predictions", NULL, INP_SANDBOX_ON_CREATE, TRUE },
    { 2, "predictions", NULL, INP_SANDBOX_ON_GET, FALSE },
    { 3, "predictions", "cancel", INP_SANDBOX_ON_CANCEL, TRUE },
    { 3, "models", NULL, INP_SANDBOX_ON_MODEL, FALSE },
    { 4, "models", "predictions", INP_SANDBOX_ON_CREATE, TRUE },
    { 1, "files", NULL, INP_SANDBOX_ON_FILES, TRUE },
    { 2, "files", NULL, INP_SANDBOX_ON_FILES, FALSE },
    { 1, "account", NULL, INP_SANDBOX_ON_ACCOUNT, FALSE },
  };

  route->parts = g_strsplit (path[0] == '/' ? path + 1 : path, "/", -1);
  n = g_strv_length (route->parts);
  route->route = INP_SANDBOX_ON_GET;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (n != table[i].n_parts || !g_str_equal (route->parts[0], table[i].first)
          || (table[i].last != NULL && !g_str_equal (route->parts[n - 1], table[i].last)))
        continue;

      route->known = TRUE;
      route->route = table[i].route;
      route->method_ok = table[i].post ? post : get;
      return;
    }
}

static void
log_request (InpSandbox        *self,
             SoupServerMessage *msg,
             const char        *origin,
             InpSandboxRoute    route,
             gboolean           counted)
{
  RequestRecord *record = g_new0 (RequestRecord, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *query = g_uri_get_query (uri);

  record->request.route = route;
  record->request.method = g_strdup (soup_server_message_get_method (msg));
  record->request.path = query != NULL ? g_strconcat (g_uri_get_path (uri), "?", query, NULL)
                                       : g_strdup (g_uri_get_path (uri));
  record->request.origin = g_strdup (origin);
  record->request.authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  record->request.prefer = g_strdup (soup_message_headers_get_one (headers, "Prefer"));
  record->request.received_us = g_get_monotonic_time ();
  record->counted = counted;

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->requests, record);
  g_mutex_unlock (&self->mutex);
}

/* Returns a copy of the first armed fault for @route, and uses up one of its times. */
static Fault *
take_fault (InpSandbox      *self,
            InpSandboxRoute  route)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = g_ptr_array_index (self->faults, i);
      Fault *copy;

      if (fault->route != route)
        continue;

      copy = g_memdup2 (fault, sizeof *fault);
      if (--fault->times == 0)
        g_ptr_array_remove_index (self->faults, i);
      return copy;
    }

  return NULL;
}

static gboolean
check_token (InpSandbox        *self,
             SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autoptr(GMutexLocker) locker = NULL;
  const char *given;

  if (header == NULL || *header == '\0')
    {
      send_problem (msg, 401, "Unauthenticated", "You did not pass an authentication token");
      return FALSE;
    }

  given = g_ascii_strncasecmp (header, "Bearer ", 7) == 0 ? header + 7 : NULL;
  locker = g_mutex_locker_new (&self->mutex);
  if (given == NULL || *given == '\0' || (self->token != NULL && g_strcmp0 (given, self->token) != 0))
    {
      g_clear_pointer (&locker, g_mutex_locker_free);
      send_problem (msg, 401, "Unauthenticated", "You did not pass a valid authentication token");
      return FALSE;
    }

  return TRUE;
}

static JsonNode *
parse_body (SoupServerMessage  *msg,
            char              **problem)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (g_bytes_get_size (body) == 0)
    {
      *problem = g_strdup ("Failed to parse request body as JSON: EOF");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   &error))
    {
      *problem = g_strdup_printf ("Failed to parse request body as JSON: %s", error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      *problem = g_strdup ("Failed to parse request body as JSON: expected an object");
      return NULL;
    }

  return json_node_copy (json_parser_get_root (parser));
}

static void
add_invalid_field (JsonArray  *fields,
                   GString    *detail,
                   const char *type,
                   const char *field,
                   const char *description)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "type", type);
  json_object_set_string_member (object, "field", field);
  json_object_set_string_member (object, "description", description);
  json_array_add_object_element (fields, object);
  g_string_append_printf (detail, "- %s: %s\n", *field != '\0' ? field : "(root)", description);
}

static void
send_invalid (SoupServerMessage *msg,
              JsonArray         *fields,
              GString           *detail)
{
  g_autoptr(JsonNode) node = problem_node (422, "Input validation failed", detail->str);

  json_object_set_array_member (json_node_get_object (node), "invalid_fields",
                                json_array_ref (fields));
  send_json (msg, 422, node, NULL);
}

static const char *
issue_type (InpFieldProblem problem)
{
  switch (problem)
    {
    case INP_FIELD_PROBLEM_REQUIRED:
      return "required";
    case INP_FIELD_PROBLEM_TYPE:
      return "invalid_type";
    case INP_FIELD_PROBLEM_TOO_SMALL:
      return "number_gte";
    case INP_FIELD_PROBLEM_TOO_LARGE:
      return "number_lte";
    case INP_FIELD_PROBLEM_ENUM:
      return "enum";
    case INP_FIELD_PROBLEM_UNKNOWN:
      return "additional_property_not_allowed";
    default:
      g_assert_not_reached ();
    }
}

/* Fetches a file input from where the sandbox keeps it. Called with the mutex held. */
static GBytes *
resolve_file (InpSandbox  *self,
              const char  *value,
              char       **failure)
{
  g_autofree char *files_prefix = g_strconcat (self->base_url, "/files/", NULL);
  g_autofree char *output_prefix = g_strconcat (self->output_origin, "/", NULL);
  g_autoptr(GError) error = NULL;

  if (g_str_has_prefix (value, "data:"))
    {
      GBytes *bytes = inp_data_uri_decode (value, NULL, &error);

      if (bytes == NULL)
        *failure = g_strdup (error->message);
      return bytes;
    }

  if (g_str_has_prefix (value, files_prefix))
    {
      SandboxFile *file = g_hash_table_lookup (self->files, value + strlen (files_prefix));

      if (file != NULL)
        return g_bytes_ref (file->bytes);
    }

  if (g_str_has_prefix (value, output_prefix))
    {
      g_auto(GStrv) parts = g_strsplit (value + strlen (output_prefix), "/", 2);
      Prediction *prediction = g_hash_table_lookup (self->predictions, parts[0]);
      guint index;

      if (prediction != NULL && parts[1] != NULL && prediction->outputs != NULL
          && !prediction->data_removed
          && sscanf (parts[1], "out-%u.", &index) == 1 && index < prediction->outputs->len)
        return g_bytes_ref (((InpSandboxOutput *) g_ptr_array_index (prediction->outputs,
                                                                     index))->bytes);
    }

  *failure = g_strdup_printf ("Could not download %s: the sandbox reads only data URIs, its own "
                              "files and its own outputs", value);
  return NULL;
}

/* "wait" is 60 s; "wait=N" is N s for N in 1..60; anything else is no preference. */
static guint
parse_prefer (const char *header)
{
  guint64 seconds;

  if (header == NULL)
    return 0;
  if (g_str_equal (header, "wait"))
    return MAX_WAIT_S;
  if (g_str_has_prefix (header, "wait=")
      && g_ascii_string_to_unsigned (header + 5, 10, 1, MAX_WAIT_S, &seconds, NULL))
    return (guint) seconds;
  return 0;
}

static void
handle_create (InpSandbox        *self,
               SoupServerMessage *msg,
               Route             *route,
               Fault             *given_fault)
{
  g_autofree Fault *fault = given_fault;
  static const char * const version_keys[] = { "version", "input", "webhook",
                                                "webhook_events_filter", "stream", NULL };
  const char * const *allowed = version_keys;
  gboolean by_model = route->parts[0] != NULL && g_str_equal (route->parts[0], "models");
  g_autoptr(JsonArray) invalid = json_array_new ();
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GList) keys = NULL;
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *failure = NULL;
  JsonObject *request;
  JsonNode *input_node;
  JsonObject *input;
  InpModel *model = NULL;
  Prediction *prediction;
  GPtrArray *fields;
  const char *prefer;
  guint wait_s;
  guint model_time;
  RunData *run;
  GTask *task;

  body = parse_body (msg, &problem);
  if (body == NULL)
    {
      send_problem (msg, 400, NULL, problem);
      return;
    }
  request = json_node_get_object (body);

  /* The request body first, as the real service checks it. */
  if (by_model)
    allowed = version_keys + 1;
  keys = json_object_get_members (request);
  for (const GList *l = keys; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *text = g_strdup_printf ("Additional property %s is not allowed",
                                                 (const char *) l->data);

        add_invalid_field (invalid, detail, "additional_property_not_allowed", "", text);
      }
  input_node = json_object_get_member (request, "input");
  if (input_node == NULL)
    add_invalid_field (invalid, detail, "required", "", "input is required");
  else if (!JSON_NODE_HOLDS_OBJECT (input_node))
    add_invalid_field (invalid, detail, "invalid_type", "input",
                       "Invalid type. Expected: object");
  if (!by_model && json_object_get_member (request, "version") == NULL)
    add_invalid_field (invalid, detail, "required", "", "version is required");
  if (json_array_get_length (invalid) > 0)
    {
      send_invalid (msg, invalid, detail);
      return;
    }
  input = json_node_get_object (input_node);

  if (by_model)
    {
      g_autofree char *id = g_strconcat (route->parts[1], "/", route->parts[2], NULL);

      model = lookup_model (id);
      if (model == NULL || inp_model_get_endpoint (model) != INP_MODEL_ENDPOINT_MODEL)
        {
          send_problem (msg, 404, "Not found",
                        model == NULL ? "The requested model does not exist."
                        : "This model is run by version: use POST /predictions with its version.");
          return;
        }
    }
  else
    {
      JsonNode *version = json_object_get_member (request, "version");

      if (json_node_get_value_type (version) == G_TYPE_STRING)
        model = lookup_version (json_node_get_string (version));
      if (model == NULL)
        {
          send_problem (msg, 422, "Invalid version or not permitted",
                        "The specified version does not exist (or perhaps you don't have "
                        "permission to use it?)");
          return;
        }
    }

  /* Then the input, against the model's schema. */
  issues = inp_input_schema_check (inp_model_get_schema (model), input);
  for (guint i = 0; i < issues->len; i++)
    {
      InpInputIssue *issue = g_ptr_array_index (issues, i);
      g_autofree char *field = g_strconcat ("input.", issue->field, NULL);
      g_autofree char *text = NULL;

      if (issue->problem == INP_FIELD_PROBLEM_REQUIRED)
        add_invalid_field (invalid, detail, "required", "input", issue->message);
      else if (issue->problem == INP_FIELD_PROBLEM_UNKNOWN)
        {
          text = g_strdup_printf ("Additional property %s is not allowed", issue->field);
          add_invalid_field (invalid, detail, issue_type (issue->problem), "input", text);
        }
      else
        add_invalid_field (invalid, detail, issue_type (issue->problem), field, issue->message);
    }
  if (json_array_get_length (invalid) > 0)
    {
      send_invalid (msg, invalid, detail);
      return;
    }

  g_mutex_lock (&self->mutex);

  fields = inp_input_schema_get_fields (inp_model_get_schema (model));
  for (guint i = 0; i < fields->len && failure == NULL; i++)
    {
      InpInputField *field = g_ptr_array_index (fields, i);
      const char *name = inp_input_field_get_name (field);
      JsonNode *value = json_object_get_member (input, name);
      GBytes *bytes;

      if (inp_input_field_get_field_type (field) != INP_FIELD_TYPE_FILE || value == NULL
          || json_node_get_value_type (value) != G_TYPE_STRING)
        continue;
      bytes = resolve_file (self, json_node_get_string (value), &failure);
      if (bytes != NULL)
        g_hash_table_insert (files, g_strdup (name), bytes);
    }

  model_time = self->model_time_ms * (inp_sandbox_input_mentions (input, "sandbox:slow") ? 10 : 1);

  prediction = g_new0 (Prediction, 1);
  prediction->sandbox = self;
  prediction->id = new_id ();
  prediction->model = g_object_ref (model);
  prediction->version = by_model ? g_strdup ("hidden")
                        : g_ascii_strdown (json_object_get_string_member (request, "version"), -1);
  prediction->input = json_object_ref (input);
  prediction->created_us = g_get_monotonic_time ();
  prediction->created_real_us = g_get_real_time ();
  prediction->start_us = prediction->created_us + (gint64) model_time * 1000 / 5;
  prediction->deadline_us = prediction->created_us + (gint64) model_time * 1000;
  prediction->steps = inp_sandbox_count_steps (model, input);
  prediction->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
  g_hash_table_insert (self->predictions, prediction->id, prediction);
  g_debug ("sandbox: created %s for %s", prediction->id, inp_model_get_id (model));

  if (failure != NULL)
    {
      prediction->failure = g_steal_pointer (&failure);
      prediction->generated = TRUE;
    }
  else
    {
      run = g_new0 (RunData, 1);
      run->model = g_object_ref (model);
      /* The worker gets its own copy: json-glib's reference counts are not thread-safe. */
      run->input = inp_json_object_deep_copy (input);
      run->files = g_hash_table_ref (files);
      run->id = g_strdup (prediction->id);
      self->pending_runs++;
      /* No reference on the sandbox: the worker thread may drop its task last, and the sandbox
       * waits for every run's callback before it stops anyway. */
      task = g_task_new (NULL, NULL, run_done_cb, self);
      g_task_set_source_tag (task, handle_create);
      g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
      g_task_run_in_thread (task, run_thread);
      g_object_unref (task);
    }

  if (model_time == 0)
    prediction->time_up = TRUE;
  else
    {
      prediction->timer = g_timeout_source_new (model_time);
      g_source_set_callback (prediction->timer, timer_cb, prediction, NULL);
      g_source_attach (prediction->timer, self->context);
    }
  maybe_finish (prediction);

  prefer = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Prefer");
  wait_s = parse_prefer (prefer);
  if (wait_s > 0 && prediction->final_status == NULL)
    {
      Waiter *waiter = g_new0 (Waiter, 1);

      waiter->msg = g_object_ref (msg);
      waiter->prediction = prediction;
      waiter->post_fault = g_steal_pointer (&fault);
      waiter->preference = g_strdup (prefer);
      waiter->timeout = g_timeout_source_new (wait_s * 1000);
      g_source_set_callback (waiter->timeout, waiter_timeout_cb, waiter, NULL);
      g_source_attach (waiter->timeout, self->context);
      g_ptr_array_add (prediction->waiters, waiter);
      soup_server_message_pause (msg);
      g_mutex_unlock (&self->mutex);
      return;
    }

  /* Without a wait, the real service answers at once, before anything ran. */
  answer = prediction_node (prediction, wait_s > 0 ? VIEW_SYNC_DONE : VIEW_STARTING);
  g_mutex_unlock (&self->mutex);

  if (wait_s > 0)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Preference-Applied", prefer);
  send_json (msg, SOUP_STATUS_CREATED, answer, fault);
}

static void
handle_prediction (InpSandbox        *self,
                   SoupServerMessage *msg,
                   Route             *route,
                   const Fault       *fault)
{
  g_autoptr(JsonNode) answer = NULL;
  Prediction *prediction;

  g_mutex_lock (&self->mutex);
  prediction = g_hash_table_lookup (self->predictions, route->parts[1]);
  if (prediction != NULL && route->route == INP_SANDBOX_ON_CANCEL
      && prediction->final_status == NULL)
    finish (prediction, "canceled");
  if (prediction != NULL)
    answer = prediction_node (prediction, VIEW_ASYNC);
  g_mutex_unlock (&self->mutex);

  if (answer == NULL)
    send_problem (msg, 404, "Not found", "The requested prediction does not exist.");
  else
    send_json (msg, SOUP_STATUS_OK, answer, fault);
}

static void
handle_account (InpSandbox        *self,
                SoupServerMessage *msg,
                const Fault       *fault)
{
  g_autoptr(JsonNode) answer = json_node_init_object (json_node_alloc (), json_object_new ());
  JsonObject *object = json_node_get_object (answer);

  json_object_set_string_member (object, "type", "user");
  json_object_set_string_member (object, "username", "sandbox");
  json_object_set_string_member (object, "name", "Inpainter Sandbox");
  json_object_set_null_member (object, "github_url");
  json_object_set_null_member (object, "avatar_url");
  send_json (msg, SOUP_STATUS_OK, answer, fault);
}

static void
handle_model (InpSandbox        *self,
              SoupServerMessage *msg,
              Route             *route,
              const Fault       *fault)
{
  g_autofree char *id = g_strconcat (route->parts[1], "/", route->parts[2], NULL);
  InpModel *model = lookup_model (id);
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object;
  JsonObject *version;

  if (model == NULL)
    {
      send_problem (msg, 404, "Not found", "The requested model does not exist.");
      return;
    }

  answer = json_node_init_object (json_node_alloc (), inp_model_dup_api_json (model));
  object = json_node_get_object (answer);
  version = json_object_get_object_member (object, "latest_version");

  take_string_member (object, "url", g_strdup_printf ("https://replicate.com/%s", id));
  json_object_set_string_member (object, "visibility", "public");
  json_object_set_null_member (object, "github_url");
  json_object_set_null_member (object, "paper_url");
  json_object_set_null_member (object, "license_url");
  json_object_set_int_member (object, "run_count", 0);
  json_object_set_null_member (object, "cover_image_url");
  json_object_set_null_member (object, "default_example");

  if (!json_object_has_member (version, "id"))
    take_string_member (version, "id", stand_in_version (model));
  json_object_set_string_member (version, "created_at", "2024-05-23T23:26:26.222931Z");
  json_object_set_string_member (version, "cog_version", "0.9.5");

  send_json (msg, SOUP_STATUS_OK, answer, fault);
}

static void
handle_files (InpSandbox        *self,
              SoupServerMessage *msg,
              Route             *route,
              const Fault       *fault)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *expires_at = NULL;
  SandboxFile *file = NULL;
  JsonObject *object;
  JsonObject *checksums;
  JsonObject *urls;

  if (route->parts[1] != NULL)
    {
      GBytes *bytes = NULL;
      g_autofree char *content_type = NULL;

      g_mutex_lock (&self->mutex);
      file = g_hash_table_lookup (self->files, route->parts[1]);
      if (file != NULL)
        {
          bytes = g_bytes_ref (file->bytes);
          content_type = g_strdup (file->content_type);
        }
      g_mutex_unlock (&self->mutex);

      if (bytes == NULL)
        send_problem (msg, 404, NULL, "File not found");
      else
        send_body (msg, SOUP_STATUS_OK, content_type, bytes, fault);
      g_clear_pointer (&bytes, g_bytes_unref);
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  multipart = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
  if (multipart == NULL)
    {
      send_problem (msg, 400, NULL, "Expected a multipart/form-data body");
      return;
    }

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *part;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;

      if (!soup_multipart_get_part (multipart, i, &headers, &part)
          || !soup_message_headers_get_content_disposition (headers, &disposition, &params)
          || g_strcmp0 (g_hash_table_lookup (params, "name"), "content") != 0)
        continue;

      file = g_new0 (SandboxFile, 1);
      file->id = new_id ();
      file->bytes = g_bytes_ref (part);
      file->name = g_strdup (g_hash_table_lookup (params, "filename"));
      file->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
      if (file->name == NULL)
        file->name = g_strdup ("file");
      if (file->content_type == NULL)
        file->content_type = g_strdup ("application/octet-stream");
      file->created_real_us = g_get_real_time ();
      break;
    }

  if (file == NULL)
    {
      send_problem (msg, 400, NULL, "Missing content");
      return;
    }

  answer = json_node_init_object (json_node_alloc (), json_object_new ());
  object = json_node_get_object (answer);
  checksums = json_object_new ();
  urls = json_object_new ();
  created_at = format_time (file->created_real_us);
  expires_at = format_time (file->created_real_us + (gint64) G_USEC_PER_SEC * 24 * 3600);

  json_object_set_string_member (object, "id", file->id);
  json_object_set_string_member (object, "name", file->name);
  json_object_set_string_member (object, "content_type", file->content_type);
  json_object_set_int_member (object, "size", g_bytes_get_size (file->bytes));
  take_string_member (checksums, "sha256", g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                                                         file->bytes));
  take_string_member (checksums, "md5", g_compute_checksum_for_bytes (G_CHECKSUM_MD5, file->bytes));
  json_object_set_string_member (object, "etag", json_object_get_string_member (checksums, "md5"));
  json_object_set_object_member (object, "checksums", checksums);
  json_object_set_object_member (object, "metadata", json_object_new ());
  json_object_set_string_member (object, "created_at", created_at);
  json_object_set_string_member (object, "expires_at", expires_at);
  take_string_member (urls, "get", g_strdup_printf ("%s/files/%s", self->base_url, file->id));
  json_object_set_object_member (object, "urls", urls);

  g_mutex_lock (&self->mutex);
  g_hash_table_insert (self->files, file->id, file);
  g_mutex_unlock (&self->mutex);

  send_json (msg, SOUP_STATUS_CREATED, answer, fault);
}

static gboolean
route_enabled (InpSandbox      *self,
               InpSandboxRoute  route)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  switch (route)
    {
    case INP_SANDBOX_ON_FILES:
      return (self->routes & INP_SANDBOX_ROUTE_FILES) != 0;
    case INP_SANDBOX_ON_MODEL:
      return (self->routes & INP_SANDBOX_ROUTE_MODELS) != 0;
    case INP_SANDBOX_ON_ACCOUNT:
      return (self->routes & INP_SANDBOX_ROUTE_ACCOUNT) != 0;
    case INP_SANDBOX_ON_CREATE:
    case INP_SANDBOX_ON_GET:
    case INP_SANDBOX_ON_CANCEL:
    case INP_SANDBOX_ON_OUTPUT:
    default:
      return TRUE;
    }
}

static void
api_handler_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  InpSandbox *self = user_data;
  g_auto(Route) route = { 0, };
  g_autofree Fault *fault = NULL;
  gboolean under_prefix = g_str_has_prefix (path, self->prefix)
                          && path[strlen (self->prefix)] == '/';

  if (under_prefix)
    parse_route (soup_server_message_get_method (msg), path + strlen (self->prefix), &route);
  log_request (self, msg, "api", route.route, under_prefix && route.known);

  if (!under_prefix || !route.known || !route_enabled (self, route.route))
    {
      send_problem (msg, 404, "Not found", "The requested resource could not be found.");
      return;
    }
  if (!route.method_ok)
    {
      send_problem (msg, 405, "Method not allowed", "This method is not allowed on this route.");
      return;
    }

  fault = take_fault (self, route.route);
  if (fault != NULL && apply_early_fault (msg, fault))
    return;

  if (!check_token (self, msg))
    return;

  switch (route.route)
    {
    case INP_SANDBOX_ON_CREATE:
      handle_create (self, msg, &route, g_steal_pointer (&fault));
      break;
    case INP_SANDBOX_ON_GET:
    case INP_SANDBOX_ON_CANCEL:
      handle_prediction (self, msg, &route, fault);
      break;
    case INP_SANDBOX_ON_FILES:
      handle_files (self, msg, &route, fault);
      break;
    case INP_SANDBOX_ON_ACCOUNT:
      handle_account (self, msg, fault);
      break;
    case INP_SANDBOX_ON_MODEL:
      handle_model (self, msg, &route, fault);
      break;
    case INP_SANDBOX_ON_OUTPUT:
    default:
      g_assert_not_reached ();
    }
}

static void
output_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  InpSandbox *self = user_data;
  g_auto(GStrv) parts = g_strsplit (path[0] == '/' ? path + 1 : path, "/", -1);
  g_autofree Fault *fault = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mime = NULL;
  Prediction *prediction;
  guint index;

  log_request (self, msg, "output", INP_SANDBOX_ON_OUTPUT, TRUE);

  fault = take_fault (self, INP_SANDBOX_ON_OUTPUT);
  if (fault != NULL && apply_early_fault (msg, fault))
    return;

  g_mutex_lock (&self->mutex);
  prediction = g_strv_length (parts) == 2 ? g_hash_table_lookup (self->predictions, parts[0]) : NULL;
  if (prediction != NULL && prediction->outputs != NULL && !prediction->data_removed
      && g_strcmp0 (prediction->final_status, "succeeded") == 0
      && sscanf (parts[1], "out-%u.", &index) == 1 && index < prediction->outputs->len)
    {
      InpSandboxOutput *output = g_ptr_array_index (prediction->outputs, index);

      bytes = g_bytes_ref (output->bytes);
      mime = g_strdup (output->mime);
    }
  g_mutex_unlock (&self->mutex);

  if (bytes == NULL)
    {
      static const char missing[] = "Not Found";

      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        missing, strlen (missing));
      return;
    }

  if (fault != NULL && fault->kind == INP_SANDBOX_FAULT_HUGE_BODY)
    {
      gsize size = (gsize) MAX (fault->param, 1) * 1024 * 1024;

      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = g_bytes_new_take (g_malloc0 (size), size);
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "public, max-age=3600");
  send_body (msg, SOUP_STATUS_OK, mime, bytes, fault);
}

static void
decoy_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  InpSandbox *self = user_data;

  g_debug ("sandbox: a client called the decoy origin: %s %s",
           soup_server_message_get_method (msg), path);
  log_request (self, msg, "decoy",
               g_str_has_suffix (path, "/cancel") ? INP_SANDBOX_ON_CANCEL : INP_SANDBOX_ON_GET,
               FALSE);
  send_problem (msg, 404, "Not found",
                "This host stands for api.replicate.com behind a relay: call your own endpoint.");
}

/* The sandbox's thread */

static SoupServer *
listen_loopback (InpSandbox          *self,
                 SoupServerCallback   callback,
                 char               **origin,
                 GError             **error)
{
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "inpainter-sandbox ", NULL);
  GSList *uris;

  soup_server_add_handler (server, NULL, callback, self, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;

  uris = soup_server_get_uris (server);
  *origin = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&server);
}

static gpointer
sandbox_thread (gpointer data)
{
  InpSandbox *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *api_origin = NULL;

  g_main_context_push_thread_default (self->context);

  self->api = listen_loopback (self, api_handler_cb, &api_origin, &error);
  if (self->api != NULL)
    self->output = listen_loopback (self, output_handler_cb, &self->output_origin, &error);
  if (self->output != NULL)
    self->decoy = listen_loopback (self, decoy_handler_cb, &self->decoy_origin, &error);
  if (self->decoy != NULL)
    self->base_url = g_strconcat (api_origin, self->prefix, NULL);

  g_mutex_lock (&self->mutex);
  self->start_error = g_steal_pointer (&error);
  self->ready = TRUE;
  g_cond_broadcast (&self->ready_cond);
  g_mutex_unlock (&self->mutex);

  if (self->base_url != NULL)
    g_main_loop_run (self->loop);

  /* Let model runs still on worker threads report back, so that nothing outlives the sandbox. */
  g_mutex_lock (&self->mutex);
  while (self->pending_runs > 0)
    {
      g_mutex_unlock (&self->mutex);
      g_main_context_iteration (self->context, TRUE);
      g_mutex_lock (&self->mutex);
    }
  g_hash_table_remove_all (self->predictions);
  g_mutex_unlock (&self->mutex);

  if (self->api != NULL)
    soup_server_disconnect (self->api);
  if (self->output != NULL)
    soup_server_disconnect (self->output);
  if (self->decoy != NULL)
    soup_server_disconnect (self->decoy);
  g_clear_object (&self->api);
  g_clear_object (&self->output);
  g_clear_object (&self->decoy);

  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Public API */

/**
 * inp_sandbox_new:
 *
 * Returns: (transfer full): a sandbox, not yet listening.
 */
InpSandbox *
inp_sandbox_new (void)
{
  return g_object_new (INP_TYPE_SANDBOX, NULL);
}

/**
 * inp_sandbox_start:
 * @prefix: the API's path prefix: "/v1" or "/replicate/v1"
 * @error: return location for an error
 *
 * Starts the sandbox's thread and its three listeners, and returns once they accept connections.
 *
 * Returns: %TRUE on success.
 */
gboolean
inp_sandbox_start (InpSandbox  *self,
                   const char  *prefix,
                   GError     **error)
{
  g_return_val_if_fail (INP_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (prefix != NULL && prefix[0] == '/', FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->prefix = g_strdup (prefix);
  while (g_str_has_suffix (self->prefix, "/") && self->prefix[1] != '\0')
    self->prefix[strlen (self->prefix) - 1] = '\0';
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->ready = FALSE;

  /* The catalogues are loaded here, not racing in the sandbox's first request. */
  inp_catalog_get_default ();
  community_catalog ();

  self->thread = g_thread_new ("inp-sandbox", sandbox_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->ready_cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      inp_sandbox_stop (self);
      return FALSE;
    }

  g_debug ("sandbox: listening at %s, outputs at %s", self->base_url, self->output_origin);
  return TRUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * inp_sandbox_stop:
 *
 * Closes every connection and joins the sandbox's thread. Held requests are dropped.
 */
void
inp_sandbox_stop (InpSandbox *self)
{
  g_return_if_fail (INP_IS_SANDBOX (self));

  if (self->thread == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->output_origin, g_free);
  g_clear_pointer (&self->decoy_origin, g_free);
}

/**
 * inp_sandbox_get_base_url:
 *
 * Returns: (nullable): "http://127.0.0.1:PORT/v1", with the prefix given to inp_sandbox_start().
 */
const char *
inp_sandbox_get_base_url (InpSandbox *self)
{
  g_return_val_if_fail (INP_IS_SANDBOX (self), NULL);
  return self->base_url;
}

/**
 * inp_sandbox_get_output_origin:
 *
 * Returns: (nullable): "http://127.0.0.1:PORT2", where output files are served.
 */
const char *
inp_sandbox_get_output_origin (InpSandbox *self)
{
  g_return_val_if_fail (INP_IS_SANDBOX (self), NULL);
  return self->output_origin;
}

/**
 * inp_sandbox_get_decoy_origin:
 *
 * Returns: (nullable): "http://127.0.0.1:PORT3", which `urls.get` and `urls.cancel` name.
 */
const char *
inp_sandbox_get_decoy_origin (InpSandbox *self)
{
  g_return_val_if_fail (INP_IS_SANDBOX (self), NULL);
  return self->decoy_origin;
}

/**
 * inp_sandbox_set_token:
 * @token: (nullable): the Bearer token to require, or %NULL to accept any non-empty one
 */
void
inp_sandbox_set_token (InpSandbox *self,
                       const char *token)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (INP_IS_SANDBOX (self));

  locker = g_mutex_locker_new (&self->mutex);
  g_free (self->token);
  self->token = g_strdup (token);
}

/**
 * inp_sandbox_set_model_time:
 * @ms: how long a prediction runs, from created to done; 0 finishes as soon as the images are made
 */
void
inp_sandbox_set_model_time (InpSandbox *self,
                            guint       ms)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (INP_IS_SANDBOX (self));

  locker = g_mutex_locker_new (&self->mutex);
  self->model_time_ms = ms;
}

void
inp_sandbox_set_routes (InpSandbox       *self,
                        InpSandboxRoutes  routes)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (INP_IS_SANDBOX (self));

  locker = g_mutex_locker_new (&self->mutex);
  self->routes = routes;
}

/**
 * inp_sandbox_add_fault:
 * @route: where
 * @kind: what
 * @param: the kind's parameter (seconds, a status, MiB), see #InpSandboxFaultKind
 * @times: how many requests it affects
 *
 * Faults for one route apply in the order they were added.
 */
void
inp_sandbox_add_fault (InpSandbox          *self,
                       InpSandboxRoute      route,
                       InpSandboxFaultKind  kind,
                       int                  param,
                       guint                times)
{
  g_autoptr(GMutexLocker) locker = NULL;
  Fault *fault;

  g_return_if_fail (INP_IS_SANDBOX (self));

  if (times == 0)
    return;

  fault = g_new0 (Fault, 1);
  fault->route = route;
  fault->kind = kind;
  fault->param = param;
  fault->times = times;

  locker = g_mutex_locker_new (&self->mutex);
  g_ptr_array_add (self->faults, fault);
}

void
inp_sandbox_clear_faults (InpSandbox *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (INP_IS_SANDBOX (self));

  locker = g_mutex_locker_new (&self->mutex);
  g_ptr_array_set_size (self->faults, 0);
}

/**
 * inp_sandbox_expire_outputs:
 *
 * Acts as the service's one-hour purge: every prediction has `data_removed: true` and a null
 * output from now on, and its output files answer 404.
 */
void
inp_sandbox_expire_outputs (InpSandbox *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GHashTableIter iter;
  Prediction *prediction;

  g_return_if_fail (INP_IS_SANDBOX (self));

  locker = g_mutex_locker_new (&self->mutex);
  g_hash_table_iter_init (&iter, self->predictions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &prediction))
    prediction->data_removed = TRUE;
}

typedef struct
{
  InpSandbox *sandbox;
  char       *id;
} MarkDone;

static gboolean
mark_done_cb (gpointer user_data)
{
  MarkDone *mark = user_data;
  Prediction *prediction;

  g_mutex_lock (&mark->sandbox->mutex);
  prediction = g_hash_table_lookup (mark->sandbox->predictions, mark->id);
  if (prediction != NULL && prediction->final_status == NULL)
    {
      if (prediction->timer != NULL)
        {
          g_source_destroy (prediction->timer);
          g_clear_pointer (&prediction->timer, g_source_unref);
        }
      prediction->time_up = TRUE;
      maybe_finish (prediction);
    }
  g_mutex_unlock (&mark->sandbox->mutex);

  return G_SOURCE_REMOVE;
}

static void
mark_done_free (MarkDone *mark)
{
  g_object_unref (mark->sandbox);
  g_free (mark->id);
  g_free (mark);
}

/**
 * inp_sandbox_mark_done:
 * @id: a prediction's id
 *
 * Ends the prediction's model time now; it succeeds as soon as its images are made.
 */
void
inp_sandbox_mark_done (InpSandbox *self,
                       const char *id)
{
  MarkDone *mark;

  g_return_if_fail (INP_IS_SANDBOX (self));
  g_return_if_fail (id != NULL);

  if (self->context == NULL)
    return;

  mark = g_new0 (MarkDone, 1);
  mark->sandbox = g_object_ref (self);
  mark->id = g_strdup (id);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, mark_done_cb, mark,
                              (GDestroyNotify) mark_done_free);
}

void
inp_sandbox_request_free (InpSandboxRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->path);
  g_free (request->origin);
  g_free (request->authorization);
  g_free (request->prefer);
  g_free (request);
}

/**
 * inp_sandbox_dup_requests:
 *
 * Returns: (transfer full) (element-type InpSandboxRequest): every request received on any of
 *   the three origins, in arrival order.
 */
GPtrArray *
inp_sandbox_dup_requests (InpSandbox *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GPtrArray *copy;

  g_return_val_if_fail (INP_IS_SANDBOX (self), NULL);

  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_sandbox_request_free);
  locker = g_mutex_locker_new (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    {
      const InpSandboxRequest *request = &((RequestRecord *) g_ptr_array_index (self->requests, i))->request;
      InpSandboxRequest *dup = g_new0 (InpSandboxRequest, 1);

      dup->route = request->route;
      dup->method = g_strdup (request->method);
      dup->path = g_strdup (request->path);
      dup->origin = g_strdup (request->origin);
      dup->authorization = g_strdup (request->authorization);
      dup->prefer = g_strdup (request->prefer);
      dup->received_us = request->received_us;
      g_ptr_array_add (copy, dup);
    }

  return copy;
}

/**
 * inp_sandbox_count_requests:
 *
 * Returns: how many requests for @route the API origin (or, for %INP_SANDBOX_ON_OUTPUT, the
 *   output origin) received, including faulted and refused ones. Decoy requests are not counted.
 */
guint
inp_sandbox_count_requests (InpSandbox      *self,
                            InpSandboxRoute  route)
{
  g_autoptr(GMutexLocker) locker = NULL;
  guint count = 0;

  g_return_val_if_fail (INP_IS_SANDBOX (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    {
      RequestRecord *record = g_ptr_array_index (self->requests, i);

      if (record->counted && record->request.route == route)
        count++;
    }

  return count;
}

/**
 * inp_sandbox_get_completed_us:
 *
 * Returns: the g_get_monotonic_time() at which the prediction became succeeded, failed or
 *   canceled, or 0 while it runs (or if there is no such prediction).
 */
gint64
inp_sandbox_get_completed_us (InpSandbox *self,
                              const char *prediction_id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  Prediction *prediction;

  g_return_val_if_fail (INP_IS_SANDBOX (self), 0);
  g_return_val_if_fail (prediction_id != NULL, 0);

  locker = g_mutex_locker_new (&self->mutex);
  prediction = g_hash_table_lookup (self->predictions, prediction_id);
  return prediction != NULL && prediction->final_status != NULL ? prediction->completed_us : 0;
}

static void
inp_sandbox_dispose (GObject *object)
{
  inp_sandbox_stop (INP_SANDBOX (object));

  G_OBJECT_CLASS (inp_sandbox_parent_class)->dispose (object);
}

static void
inp_sandbox_finalize (GObject *object)
{
  InpSandbox *self = INP_SANDBOX (object);

  g_clear_error (&self->start_error);
  g_free (self->token);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->requests);
  g_hash_table_unref (self->predictions);
  g_hash_table_unref (self->files);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->ready_cond);

  G_OBJECT_CLASS (inp_sandbox_parent_class)->finalize (object);
}

static void
inp_sandbox_class_init (InpSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = inp_sandbox_dispose;
  object_class->finalize = inp_sandbox_finalize;
}

static void
inp_sandbox_init (InpSandbox *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->ready_cond);
  self->token = g_strdup (DEFAULT_TOKEN);
  self->model_time_ms = DEFAULT_MODEL_TIME_MS;
  self->routes = INP_SANDBOX_ROUTE_ALL;
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_record_free);
  self->predictions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) prediction_free);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) sandbox_file_free);
}
