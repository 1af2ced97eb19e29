/* inp-sandbox-private.h: what the sandbox's server and its simulated models share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "inp-model.h"

G_BEGIN_DECLS

/* One output file of a simulated prediction. */
typedef struct
{
  GBytes *bytes;
  char   *mime;
  char   *extension;
} InpSandboxOutput;

void       inp_sandbox_output_free   (InpSandboxOutput  *output);

gboolean   inp_sandbox_input_mentions (JsonObject       *input,
                                       const char       *trigger);
guint      inp_sandbox_count_steps   (InpModel          *model,
                                      JsonObject        *input);
GPtrArray *inp_sandbox_run_model     (InpModel          *model,
                                      JsonObject        *input,
                                      GHashTable        *files,
                                      char             **failure);

G_END_DECLS
