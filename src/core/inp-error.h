/* inp-error.h: the error domain of every core operation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define INP_ERROR (inp_error_quark ())

/**
 * InpError:
 * @INP_ERROR_UNAUTHORIZED: the token is missing or was refused (HTTP 401)
 * @INP_ERROR_PAYMENT_REQUIRED: the account needs billing or credit (HTTP 402)
 * @INP_ERROR_NOT_FOUND: the prediction, model, file or route does not exist (HTTP 404)
 * @INP_ERROR_TOO_LARGE: the request or a file was too large (HTTP 413)
 * @INP_ERROR_VALIDATION: the server refused the input (HTTP 422); see inp_error_get_fields()
 * @INP_ERROR_RATE_LIMITED: too many requests, even after retrying (HTTP 429)
 * @INP_ERROR_SERVER: the service failed (HTTP 5xx) even after retrying
 * @INP_ERROR_NETWORK: the service could not be reached
 * @INP_ERROR_PROTOCOL: the answer was malformed, truncated, too large or of an unknown kind
 * @INP_ERROR_CANCELLED: the prediction was cancelled
 * @INP_ERROR_INVALID_INPUT: a value was refused before anything was sent
 * @INP_ERROR_PREDICTION_FAILED: the model ran and failed; the message is the model's error
 * @INP_ERROR_OUTPUT_EXPIRED: the service no longer has the output (404 or data_removed)
 * @INP_ERROR_INSECURE_URL: a base address that is neither https nor loopback http
 * @INP_ERROR_NO_TOKEN: no API token is configured for the endpoint
 * @INP_ERROR_FAILED: anything else, such as a local file that cannot be written
 */
typedef enum
{
  INP_ERROR_UNAUTHORIZED,
  INP_ERROR_PAYMENT_REQUIRED,
  INP_ERROR_NOT_FOUND,
  INP_ERROR_TOO_LARGE,
  INP_ERROR_VALIDATION,
  INP_ERROR_RATE_LIMITED,
  INP_ERROR_SERVER,
  INP_ERROR_NETWORK,
  INP_ERROR_PROTOCOL,
  INP_ERROR_CANCELLED,
  INP_ERROR_INVALID_INPUT,
  INP_ERROR_PREDICTION_FAILED,
  INP_ERROR_OUTPUT_EXPIRED,
  INP_ERROR_INSECURE_URL,
  INP_ERROR_NO_TOKEN,
  INP_ERROR_FAILED,
} InpError;

/**
 * InpFieldError:
 * @field: the input's name as the schema names it (`num_outputs`), without any `input.` prefix
 * @message: what is wrong, for a person
 *
 * One bad input field, found before sending or named by the server's `invalid_fields`.
 */
typedef struct
{
  char *field;
  char *message;
} InpFieldError;

GQuark         inp_error_quark            (void);

InpFieldError *inp_field_error_new        (const char    *field,
                                           const char    *message);
void           inp_field_error_free       (InpFieldError *field_error);

GError        *inp_error_new_with_fields  (InpError       code,
                                           GPtrArray     *fields,
                                           const char    *format,
                                           ...) G_GNUC_PRINTF (3, 4);
GPtrArray     *inp_error_get_fields       (const GError  *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpFieldError, inp_field_error_free)

G_END_DECLS
