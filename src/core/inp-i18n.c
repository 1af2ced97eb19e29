/* inp-i18n.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "inp-i18n.h"

/**
 * inp_i18n_get_localedir:
 *
 * Returns the directory holding the message catalogues. `INPAINTER_LOCALEDIR` overrides the
 * installed location so that tests and uninstalled runs can use the catalogues in the build tree.
 */
const char *
inp_i18n_get_localedir (void)
{
  const char *dir = g_getenv ("INPAINTER_LOCALEDIR");

  return (dir != NULL && *dir != '\0') ? dir : LOCALEDIR;
}

void
inp_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, inp_i18n_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
