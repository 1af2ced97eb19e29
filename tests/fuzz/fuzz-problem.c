/* fuzz-problem.c: libFuzzer target for application/problem+json error bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-error.h"
#include "inp-problem.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const guint statuses[] = { 400, 401, 402, 404, 413, 422, 429, 500, 503 };
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;
  guint status = statuses[size % G_N_ELEMENTS (statuses)];

  error = inp_problem_to_error (status, (const char *) data, size);
  g_assert (error != NULL && error->domain == INP_ERROR);
  g_assert (g_utf8_validate (error->message, -1, NULL));

  fields = inp_error_get_fields (error);
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      InpFieldError *field = g_ptr_array_index (fields, i);

      g_assert (field->field != NULL && field->message != NULL);
      g_assert (!g_str_has_prefix (field->field, "input."));
    }

  return 0;
}
