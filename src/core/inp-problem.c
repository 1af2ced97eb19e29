/* inp-problem.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "inp-error.h"
#include "inp-problem.h"

/* A server's detail is shown to people; a page of it helps nobody. */
#define MAX_DETAIL_CHARS 600
#define MAX_FIELDS 100

static char *
clean_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  glong n = 0;

  for (const char *p = valid; *p != '\0' && n < MAX_DETAIL_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      /* Control characters could rewrite a terminal; line breaks become spaces. */
      if (c == '\n' || c == '\r' || c == '\t')
        g_string_append_c (out, ' ');
      else if (!g_unichar_iscntrl (c))
        g_string_append_unichar (out, c);
    }
  if (*valid != '\0' && n >= MAX_DETAIL_CHARS && g_utf8_strlen (valid, -1) > MAX_DETAIL_CHARS)
    g_string_append (out, "…");

  return g_strstrip (g_string_free (out, FALSE));
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static GPtrArray *
parse_invalid_fields (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "invalid_fields");
  g_autoptr(GPtrArray) fields = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_field_error_free);

  for (guint i = 0; i < json_array_get_length (array) && fields->len < MAX_FIELDS; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *field;
      const char *description;
      g_autofree char *clean_field = NULL;
      g_autofree char *clean_description = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;

      field = get_string_member (json_node_get_object (element), "field");
      description = get_string_member (json_node_get_object (element), "description");
      if (field == NULL)
        field = "";
      if (description == NULL)
        description = "";

      /* The service names model inputs "input.<name>"; the form knows them as "<name>". "input"
       * alone means the input as a whole. */
      if (g_str_has_prefix (field, "input."))
        field += strlen ("input.");
      else if (g_str_equal (field, "input"))
        field = "";

      clean_field = clean_text (field);
      clean_description = clean_text (description);
      g_ptr_array_add (fields, inp_field_error_new (clean_field, clean_description));
    }

  return g_steal_pointer (&fields);
}

static InpError
code_for_status (guint http_status)
{
  switch (http_status)
    {
    case 400:
    case 422:
      return INP_ERROR_VALIDATION;
    case 401:
    case 403:
      return INP_ERROR_UNAUTHORIZED;
    case 402:
      return INP_ERROR_PAYMENT_REQUIRED;
    case 404:
    case 405:
    case 410:
      return INP_ERROR_NOT_FOUND;
    case 413:
      return INP_ERROR_TOO_LARGE;
    case 429:
      return INP_ERROR_RATE_LIMITED;
    default:
      return http_status >= 500 && http_status < 600 ? INP_ERROR_SERVER : INP_ERROR_FAILED;
    }
}

static const char *
summary_for_code (InpError code)
{
  switch (code)
    {
    case INP_ERROR_UNAUTHORIZED:
      return _("The API token was refused");
    case INP_ERROR_PAYMENT_REQUIRED:
      return _("The account needs billing or credit");
    case INP_ERROR_NOT_FOUND:
      return _("The service does not know this");
    case INP_ERROR_TOO_LARGE:
      return _("The request is too large for the service");
    case INP_ERROR_VALIDATION:
      return _("The service refused the input");
    case INP_ERROR_RATE_LIMITED:
      return _("Too many requests; the service asks to wait");
    case INP_ERROR_SERVER:
      return _("The service failed");
    case INP_ERROR_NETWORK:
    case INP_ERROR_PROTOCOL:
    case INP_ERROR_CANCELLED:
    case INP_ERROR_INVALID_INPUT:
    case INP_ERROR_PREDICTION_FAILED:
    case INP_ERROR_OUTPUT_EXPIRED:
    case INP_ERROR_INSECURE_URL:
    case INP_ERROR_NO_TOKEN:
    case INP_ERROR_FAILED:
    default:
      return _("The service refused the request");
    }
}

/**
 * inp_problem_to_error:
 * @http_status: the answer's status, 400 or above
 * @body: (nullable): the answer's body, usually application/problem+json
 * @length: its length in bytes
 *
 * Builds the error to show: the kind from @http_status, the text from the body's `detail` (or
 * `title`), and for 422 the per-field list from `invalid_fields` with `input.` stripped. A body
 * that is not a problem document still gives a clean error of the right kind.
 *
 * Returns: (transfer full): a new #GError in %INP_ERROR.
 */
GError *
inp_problem_to_error (guint       http_status,
                      const char *body,
                      gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *detail = NULL;
  InpError code = code_for_status (http_status);
  JsonNode *root;

  if (body != NULL && length > 0 && length <= G_MAXSSIZE
      && json_parser_load_from_data (parser, body, length, NULL)
      && (root = json_parser_get_root (parser)) != NULL
      && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *text = get_string_member (object, "detail");

      if (text == NULL || *text == '\0')
        text = get_string_member (object, "title");
      if (text != NULL)
        detail = clean_text (text);
      if (code == INP_ERROR_VALIDATION)
        fields = parse_invalid_fields (object);
    }

  if (detail != NULL && *detail != '\0')
    /* Translators: the first part says what went wrong, the second is the service's own words. */
    return inp_error_new_with_fields (code, fields, _("%s: %s"), summary_for_code (code), detail);

  /* Translators: what went wrong, then the HTTP status code, such as 503 */
  return inp_error_new_with_fields (code, fields, _("%s (HTTP %u)."), summary_for_code (code),
                                    http_status);
}
