/* inp-problem.h: HTTP error answers (application/problem+json) into InpError
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GError *inp_problem_to_error (guint       http_status,
                              const char *body,
                              gsize       length);

G_END_DECLS
