/* inp-i18n.h: locale and message catalogue set-up shared by the app, the CLI and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void         inp_i18n_init                (void);
const char  *inp_i18n_get_localedir       (void);
char        *inp_i18n_keep_words_together (const char *text);

G_END_DECLS
