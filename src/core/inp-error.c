/* inp-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-error.h"

/* Field lists ride along with a GError through GLib's extended-error mechanism, so that any
 * GError of our domain can carry them through GTask and be freed and copied with it. */
typedef struct
{
  GPtrArray *fields;
} InpErrorPrivate;

static void
inp_error_private_init (InpErrorPrivate *priv)
{
  priv->fields = NULL;
}

static void
inp_error_private_copy (const InpErrorPrivate *src,
                        InpErrorPrivate       *dest)
{
  dest->fields = src->fields != NULL ? g_ptr_array_ref (src->fields) : NULL;
}

static void
inp_error_private_clear (InpErrorPrivate *priv)
{
  g_clear_pointer (&priv->fields, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR (InpError, inp_error)

InpFieldError *
inp_field_error_new (const char *field,
                     const char *message)
{
  InpFieldError *field_error = g_new0 (InpFieldError, 1);

  field_error->field = g_strdup (field);
  field_error->message = g_strdup (message);

  return field_error;
}

void
inp_field_error_free (InpFieldError *field_error)
{
  if (field_error == NULL)
    return;

  g_free (field_error->field);
  g_free (field_error->message);
  g_free (field_error);
}

/**
 * inp_error_new_with_fields:
 * @code: the kind of failure
 * @fields: (nullable) (transfer none): a #GPtrArray of #InpFieldError, with a free function
 * @format: the message, for a person
 *
 * Returns: (transfer full): a new #GError in %INP_ERROR that carries @fields.
 */
GError *
inp_error_new_with_fields (InpError    code,
                           GPtrArray  *fields,
                           const char *format,
                           ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (INP_ERROR, code, format, args);
  va_end (args);

  if (fields != NULL)
    inp_error_get_private (error)->fields = g_ptr_array_ref (fields);

  return error;
}

/**
 * inp_error_get_fields:
 *
 * Returns: (nullable) (transfer none): the #InpFieldError list that @error carries, if any.
 */
GPtrArray *
inp_error_get_fields (const GError *error)
{
  InpErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != INP_ERROR)
    return NULL;

  priv = inp_error_get_private (error);
  return priv != NULL ? priv->fields : NULL;
}
