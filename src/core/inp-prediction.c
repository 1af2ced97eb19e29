/* inp-prediction.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-error.h"
#include "inp-prediction.h"

/* Identifiers end up in URL paths and file names, so anything beyond this shape is refused. */
#define MAX_ID_LENGTH 128

struct _InpPrediction
{
  GObject              parent_instance;

  char                *id;
  char                *model;
  char                *version;
  InpPredictionStatus  status;
  JsonNode            *input;
  JsonNode            *output;
  char                *logs;
  int                  progress_percent;
  int                  progress_current;
  int                  progress_total;
  char                *error;
  GDateTime           *created_at;
  GDateTime           *started_at;
  GDateTime           *completed_at;
  JsonNode            *metrics;
  gboolean             data_removed;
};

G_DEFINE_FINAL_TYPE (InpPrediction, inp_prediction, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (InpPredictionStatus, inp_prediction_status,
  G_DEFINE_ENUM_VALUE (INP_PREDICTION_STATUS_STARTING, "starting"),
  G_DEFINE_ENUM_VALUE (INP_PREDICTION_STATUS_PROCESSING, "processing"),
  G_DEFINE_ENUM_VALUE (INP_PREDICTION_STATUS_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (INP_PREDICTION_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (INP_PREDICTION_STATUS_CANCELED, "canceled"),
  G_DEFINE_ENUM_VALUE (INP_PREDICTION_STATUS_ABORTED, "aborted"))

enum {
  PROP_0,
  PROP_ID,
  PROP_MODEL,
  PROP_VERSION,
  PROP_STATUS,
  PROP_INPUT,
  PROP_OUTPUT,
  PROP_LOGS,
  PROP_PROGRESS,
  PROP_PROGRESS_CURRENT,
  PROP_PROGRESS_TOTAL,
  PROP_ERROR,
  PROP_CREATED_AT,
  PROP_STARTED_AT,
  PROP_COMPLETED_AT,
  PROP_METRICS,
  PROP_DATA_REMOVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const status_names[] = {
  "starting", "processing", "succeeded", "failed", "canceled", "aborted",
};

const char *
inp_prediction_status_to_string (InpPredictionStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

gboolean
inp_prediction_status_is_terminal (InpPredictionStatus status)
{
  return status == INP_PREDICTION_STATUS_SUCCEEDED
         || status == INP_PREDICTION_STATUS_FAILED
         || status == INP_PREDICTION_STATUS_CANCELED
         || status == INP_PREDICTION_STATUS_ABORTED;
}

static gboolean
parse_progress_line (const char *line,
                     gsize       len,
                     int        *percent,
                     int        *current,
                     int        *total)
{
  const char *p = line;
  const char *end = line + len;
  gint64 values[3];
  const char *bar_end = NULL;

  /* `  76%|███████▌  | 38/50 [00:03<00:01, 12.1it/s]` */
  while (p < end && g_ascii_isspace (*p))
    p++;

  for (guint i = 0; i < 3; i++)
    {
      gint64 value = 0;
      const char *start;

      if (i == 1)
        {
          /* Skip the bar: up to the last '|' before the counts, at least one character long. */
          if (p >= end || *p != '|')
            return FALSE;
          bar_end = NULL;
          for (const char *q = p + 2; q < end; q++)
            if (*q == '|')
              {
                bar_end = q;
                break;
              }
          if (bar_end == NULL)
            return FALSE;
          p = bar_end + 1;
          while (p < end && g_ascii_isspace (*p))
            p++;
        }
      else if (i == 2)
        {
          if (p >= end || *p != '/')
            return FALSE;
          p++;
        }

      start = p;
      while (p < end && g_ascii_isdigit (*p) && p - start < 9)
        value = value * 10 + (*p++ - '0');
      if (p == start)
        return FALSE;
      values[i] = value;

      if (i == 0)
        {
          if (p >= end || *p != '%')
            return FALSE;
          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
        }
    }

  if (values[0] > 100 || values[2] == 0 || values[1] > values[2])
    return FALSE;

  *percent = values[0];
  *current = values[1];
  *total = values[2];
  return TRUE;
}

/**
 * inp_parse_progress:
 * @logs: (nullable): a prediction's logs
 * @percent: (out): the percentage of the last progress line
 * @current: (out): its step
 * @total: (out): its number of steps
 *
 * Finds the last tqdm progress line (`NN%|…| cur/total`) in @logs. Lines end in `\n` or `\r`.
 *
 * Returns: %TRUE if there was one.
 */
gboolean
inp_parse_progress (const char *logs,
                    int        *percent,
                    int        *current,
                    int        *total)
{
  const char *line_end;

  g_return_val_if_fail (percent != NULL && current != NULL && total != NULL, FALSE);

  if (logs == NULL)
    return FALSE;

  line_end = logs + strlen (logs);
  while (line_end > logs)
    {
      const char *line_start = line_end;

      while (line_start > logs && line_start[-1] != '\n' && line_start[-1] != '\r')
        line_start--;

      if (parse_progress_line (line_start, line_end - line_start, percent, current, total))
        return TRUE;

      line_end = line_start > logs ? line_start - 1 : logs;
    }

  return FALSE;
}

static GError *
protocol_error (const char *what)
{
  return g_error_new (INP_ERROR, INP_ERROR_PROTOCOL,
                      _("The service answered with a prediction that cannot be read: %s."), what);
}

static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     char       **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” is not a string"), member);

      g_propagate_error (error, protocol_error (what));
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_optional_time (JsonObject  *object,
                   const char  *member,
                   GDateTime  **out,
                   GError     **error)
{
  g_autofree char *text = NULL;

  *out = NULL;
  if (!get_optional_string (object, member, &text, error))
    return FALSE;

  /* A time in an unexpected format costs the display of that time, not the prediction. */
  if (text != NULL)
    *out = g_date_time_new_from_iso8601 (text, NULL);

  return TRUE;
}

static gboolean
id_is_valid (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static gboolean
parse_into (InpPrediction  *self,
            JsonNode       *node,
            GError        **error)
{
  JsonObject *object;
  JsonNode *member;
  g_autofree char *status = NULL;
  guint i;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, protocol_error (_("it is not a JSON object")));
      return FALSE;
    }
  object = json_node_get_object (node);

  if (!get_optional_string (object, "id", &self->id, error)
      || !get_optional_string (object, "status", &status, error)
      || !get_optional_string (object, "model", &self->model, error)
      || !get_optional_string (object, "version", &self->version, error)
      || !get_optional_string (object, "logs", &self->logs, error)
      || !get_optional_time (object, "created_at", &self->created_at, error)
      || !get_optional_time (object, "started_at", &self->started_at, error)
      || !get_optional_time (object, "completed_at", &self->completed_at, error))
    return FALSE;

  if (self->id == NULL || !id_is_valid (self->id))
    {
      g_propagate_error (error, protocol_error (_("its identifier is missing or malformed")));
      return FALSE;
    }

  if (status == NULL)
    {
      g_propagate_error (error, protocol_error (_("it has no status")));
      return FALSE;
    }
  for (i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (status, status_names[i]))
      break;
  if (i == G_N_ELEMENTS (status_names))
    {
      g_autofree char *what = g_strdup_printf (_("its status “%s” is unknown"), status);

      g_propagate_error (error, protocol_error (what));
      return FALSE;
    }
  self->status = i;

  member = json_object_get_member (object, "input");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          g_propagate_error (error, protocol_error (_("“input” is not an object")));
          return FALSE;
        }
      self->input = json_node_copy (member);
    }

  member = json_object_get_member (object, "output");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->output = json_node_copy (member);

  /* Models fail with a string, but some put an object there; either way it is the text to show. */
  member = json_object_get_member (object, "error");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
        self->error = g_strdup (json_node_get_string (member));
      else
        self->error = json_to_string (member, FALSE);
    }

  member = json_object_get_member (object, "metrics");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          g_propagate_error (error, protocol_error (_("“metrics” is not an object")));
          return FALSE;
        }
      self->metrics = json_node_copy (member);
    }

  member = json_object_get_member (object, "data_removed");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          g_propagate_error (error, protocol_error (_("“data_removed” is not a boolean")));
          return FALSE;
        }
      self->data_removed = json_node_get_boolean (member);
    }

  if (!inp_parse_progress (self->logs, &self->progress_percent, &self->progress_current,
                           &self->progress_total))
    {
      self->progress_percent = -1;
      self->progress_current = 0;
      self->progress_total = 0;
    }

  return TRUE;
}

/**
 * inp_prediction_new_from_json:
 * @node: a prediction object as the API returns it
 *
 * Returns: (transfer full) (nullable): the prediction, or %NULL with %INP_ERROR_PROTOCOL when
 *   @node is not a well-formed prediction (no id, unknown status, members of the wrong type).
 */
InpPrediction *
inp_prediction_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(InpPrediction) self = g_object_new (INP_TYPE_PREDICTION, NULL);

  if (!parse_into (self, node, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * inp_prediction_new_from_data:
 * @data: JSON text
 * @length: its length, or -1 when nul-terminated
 *
 * Returns: (transfer full) (nullable): the prediction, or %NULL with %INP_ERROR_PROTOCOL.
 */
InpPrediction *
inp_prediction_new_from_data (const char  *data,
                              gssize       length,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", length, &local_error))
    {
      g_set_error (error, INP_ERROR, INP_ERROR_PROTOCOL,
                   _("The service answered with malformed JSON: %s"), local_error->message);
      return NULL;
    }

  return inp_prediction_new_from_json (json_parser_get_root (parser), error);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_node (JsonNode **field,
          JsonNode  *value)
{
  if (*field == value || (*field != NULL && value != NULL && json_node_equal (*field, value)))
    return FALSE;

  g_clear_pointer (field, json_node_unref);
  *field = value != NULL ? json_node_ref (value) : NULL;
  return TRUE;
}

static gboolean
set_time (GDateTime **field,
          GDateTime  *value)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  *field = value != NULL ? g_date_time_ref (value) : NULL;
  return TRUE;
}

/**
 * inp_prediction_update_from:
 * @newer: a later state of the same prediction
 *
 * Takes every value of @newer, notifying each property that changed.
 */
void
inp_prediction_update_from (InpPrediction *self,
                            InpPrediction *newer)
{
  GObject *object = G_OBJECT (self);

  g_return_if_fail (INP_IS_PREDICTION (self));
  g_return_if_fail (INP_IS_PREDICTION (newer));

  g_object_freeze_notify (object);

  if (set_string (&self->id, newer->id))
    g_object_notify_by_pspec (object, properties[PROP_ID]);
  if (set_string (&self->model, newer->model))
    g_object_notify_by_pspec (object, properties[PROP_MODEL]);
  if (set_string (&self->version, newer->version))
    g_object_notify_by_pspec (object, properties[PROP_VERSION]);
  if (self->status != newer->status)
    {
      self->status = newer->status;
      g_object_notify_by_pspec (object, properties[PROP_STATUS]);
    }
  if (set_node (&self->input, newer->input))
    g_object_notify_by_pspec (object, properties[PROP_INPUT]);
  if (set_node (&self->output, newer->output))
    g_object_notify_by_pspec (object, properties[PROP_OUTPUT]);
  if (set_string (&self->logs, newer->logs))
    g_object_notify_by_pspec (object, properties[PROP_LOGS]);
  if (self->progress_percent != newer->progress_percent
      || self->progress_current != newer->progress_current
      || self->progress_total != newer->progress_total)
    {
      gboolean current_changed = self->progress_current != newer->progress_current;
      gboolean total_changed = self->progress_total != newer->progress_total;

      self->progress_percent = newer->progress_percent;
      self->progress_current = newer->progress_current;
      self->progress_total = newer->progress_total;
      g_object_notify_by_pspec (object, properties[PROP_PROGRESS]);
      if (current_changed)
        g_object_notify_by_pspec (object, properties[PROP_PROGRESS_CURRENT]);
      if (total_changed)
        g_object_notify_by_pspec (object, properties[PROP_PROGRESS_TOTAL]);
    }
  if (set_string (&self->error, newer->error))
    g_object_notify_by_pspec (object, properties[PROP_ERROR]);
  if (set_time (&self->created_at, newer->created_at))
    g_object_notify_by_pspec (object, properties[PROP_CREATED_AT]);
  if (set_time (&self->started_at, newer->started_at))
    g_object_notify_by_pspec (object, properties[PROP_STARTED_AT]);
  if (set_time (&self->completed_at, newer->completed_at))
    g_object_notify_by_pspec (object, properties[PROP_COMPLETED_AT]);
  if (set_node (&self->metrics, newer->metrics))
    g_object_notify_by_pspec (object, properties[PROP_METRICS]);
  if (self->data_removed != newer->data_removed)
    {
      self->data_removed = newer->data_removed;
      g_object_notify_by_pspec (object, properties[PROP_DATA_REMOVED]);
    }

  g_object_thaw_notify (object);
}

/**
 * inp_prediction_update_from_json:
 * @node: a later answer about the same prediction
 *
 * Returns: %TRUE if @node was a well-formed prediction with the same id; otherwise %FALSE with
 *   %INP_ERROR_PROTOCOL, and @self is unchanged.
 */
gboolean
inp_prediction_update_from_json (InpPrediction  *self,
                                 JsonNode       *node,
                                 GError        **error)
{
  g_autoptr(InpPrediction) newer = NULL;

  g_return_val_if_fail (INP_IS_PREDICTION (self), FALSE);

  newer = inp_prediction_new_from_json (node, error);
  if (newer == NULL)
    return FALSE;

  if (self->id != NULL && !g_str_equal (self->id, newer->id))
    {
      g_propagate_error (error, protocol_error (_("it is about another prediction")));
      return FALSE;
    }

  inp_prediction_update_from (self, newer);
  return TRUE;
}

const char *
inp_prediction_get_id (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->id;
}

const char *
inp_prediction_get_model (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->model;
}

const char *
inp_prediction_get_version (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->version;
}

InpPredictionStatus
inp_prediction_get_status (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), INP_PREDICTION_STATUS_STARTING);
  return self->status;
}

/**
 * inp_prediction_get_input:
 *
 * Returns: (transfer none) (nullable): the input as the service echoed it
 */
JsonNode *
inp_prediction_get_input (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->input;
}

/**
 * inp_prediction_get_output:
 *
 * Returns: (transfer none) (nullable): the output, or %NULL while there is none
 */
JsonNode *
inp_prediction_get_output (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->output;
}

const char *
inp_prediction_get_logs (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->logs;
}

/**
 * inp_prediction_get_progress:
 *
 * Returns: the fraction done, from 0 to 1, by the last progress line of the logs; 1 once
 *   succeeded; -1 when unknown.
 */
double
inp_prediction_get_progress (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), -1);

  if (self->status == INP_PREDICTION_STATUS_SUCCEEDED)
    return 1.0;
  if (self->progress_total > 0)
    return (double) self->progress_current / self->progress_total;
  if (self->progress_percent >= 0)
    return self->progress_percent / 100.0;
  return -1;
}

int
inp_prediction_get_progress_current (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), 0);
  return self->progress_current;
}

int
inp_prediction_get_progress_total (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), 0);
  return self->progress_total;
}

const char *
inp_prediction_get_error (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->error;
}

GDateTime *
inp_prediction_get_created_at (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->created_at;
}

GDateTime *
inp_prediction_get_started_at (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->started_at;
}

GDateTime *
inp_prediction_get_completed_at (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->completed_at;
}

JsonNode *
inp_prediction_get_metrics (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);
  return self->metrics;
}

/**
 * inp_prediction_get_predict_time:
 *
 * Returns: `metrics.predict_time` in seconds, or -1 when the service did not say.
 */
double
inp_prediction_get_predict_time (InpPrediction *self)
{
  JsonNode *node;

  g_return_val_if_fail (INP_IS_PREDICTION (self), -1);

  if (self->metrics == NULL)
    return -1;

  node = json_object_get_member (json_node_get_object (self->metrics), "predict_time");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_DOUBLE:
    case G_TYPE_INT64:
      return json_node_get_double (node);

    default:
      return -1;
    }
}

gboolean
inp_prediction_get_data_removed (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), FALSE);
  return self->data_removed;
}

gboolean
inp_prediction_is_terminal (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), FALSE);
  return inp_prediction_status_is_terminal (self->status);
}

gboolean
inp_prediction_has_output (InpPrediction *self)
{
  g_return_val_if_fail (INP_IS_PREDICTION (self), FALSE);

  if (self->output == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (self->output))
    return json_array_get_length (json_node_get_array (self->output)) > 0;

  return TRUE;
}

static gboolean
is_file_reference (const char *text)
{
  return g_str_has_prefix (text, "https://")
         || g_str_has_prefix (text, "http://")
         || g_str_has_prefix (text, "data:");
}

static void
collect_files (JsonNode  *node,
               GPtrArray *files,
               guint      depth)
{
  /* The service never nests deeper than an array of objects; the limit keeps a hostile answer
   * from exhausting the stack. */
  if (depth > 32)
    return;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING
          && is_file_reference (json_node_get_string (node)))
        g_ptr_array_add (files, g_strdup (json_node_get_string (node)));
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          collect_files (json_array_get_element (array, i), files, depth + 1);
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          collect_files (json_object_get_member (object, l->data), files, depth + 1);
      }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

/**
 * inp_prediction_dup_file_outputs:
 *
 * Returns: (transfer full) (element-type utf8): every string of the output, at any depth, that is
 *   an http(s) URL or a data URI, in the order of the output.
 */
GPtrArray *
inp_prediction_dup_file_outputs (InpPrediction *self)
{
  GPtrArray *files;

  g_return_val_if_fail (INP_IS_PREDICTION (self), NULL);

  files = g_ptr_array_new_with_free_func (g_free);
  if (self->output != NULL)
    collect_files (self->output, files, 0);

  return files;
}

static void
inp_prediction_finalize (GObject *object)
{
  InpPrediction *self = INP_PREDICTION (object);

  g_free (self->id);
  g_free (self->model);
  g_free (self->version);
  g_clear_pointer (&self->input, json_node_unref);
  g_clear_pointer (&self->output, json_node_unref);
  g_free (self->logs);
  g_free (self->error);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->completed_at, g_date_time_unref);
  g_clear_pointer (&self->metrics, json_node_unref);

  G_OBJECT_CLASS (inp_prediction_parent_class)->finalize (object);
}

static void
inp_prediction_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  InpPrediction *self = INP_PREDICTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_INPUT:
      g_value_set_boxed (value, self->input);
      break;

    case PROP_OUTPUT:
      g_value_set_boxed (value, self->output);
      break;

    case PROP_LOGS:
      g_value_set_string (value, self->logs);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, inp_prediction_get_progress (self));
      break;

    case PROP_PROGRESS_CURRENT:
      g_value_set_int (value, self->progress_current);
      break;

    case PROP_PROGRESS_TOTAL:
      g_value_set_int (value, self->progress_total);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;

    case PROP_COMPLETED_AT:
      g_value_set_boxed (value, self->completed_at);
      break;

    case PROP_METRICS:
      g_value_set_boxed (value, self->metrics);
      break;

    case PROP_DATA_REMOVED:
      g_value_set_boolean (value, self->data_removed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_prediction_class_init (InpPredictionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = inp_prediction_finalize;
  object_class->get_property = inp_prediction_get_property;

  /* Every property follows the service's answers, so they are read-only here. */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, INP_TYPE_PREDICTION_STATUS,
                       INP_PREDICTION_STATUS_STARTING, flags);
  properties[PROP_INPUT] = g_param_spec_boxed ("input", NULL, NULL, JSON_TYPE_NODE, flags);
  properties[PROP_OUTPUT] = g_param_spec_boxed ("output", NULL, NULL, JSON_TYPE_NODE, flags);
  properties[PROP_LOGS] = g_param_spec_string ("logs", NULL, NULL, NULL, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, flags);
  properties[PROP_PROGRESS_CURRENT] =
    g_param_spec_int ("progress-current", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_PROGRESS_TOTAL] =
    g_param_spec_int ("progress-total", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_STARTED_AT] =
    g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_COMPLETED_AT] =
    g_param_spec_boxed ("completed-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_METRICS] = g_param_spec_boxed ("metrics", NULL, NULL, JSON_TYPE_NODE, flags);
  properties[PROP_DATA_REMOVED] =
    g_param_spec_boolean ("data-removed", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inp_prediction_init (InpPrediction *self)
{
  self->progress_percent = -1;
}
