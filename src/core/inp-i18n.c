/* inp-i18n.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>
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

/* U+2060 WORD JOINER: no line break on either side, and nothing drawn. */
#define WORD_JOINER 0x2060

/**
 * inp_i18n_keep_words_together:
 * @text: a short label, such as a model's translated title
 *
 * Pango may break a line between any two ideographs, so a narrow row shows a title such as
 * “Stable Diffusion 局部重绘” as “…局部重” over “绘”. This puts a word joiner between adjacent
 * ideographs, so that such a title only wraps where it has a space. Meant for short titles:
 * a run of ideographs longer than a line still breaks, wherever it must.
 *
 * Returns: (transfer full): @text with word joiners between adjacent ideographs
 */
char *
inp_i18n_keep_words_together (const char *text)
{
  GString *joined;
  gboolean previous_ideograph = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  joined = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean ideograph = g_unichar_break_type (c) == G_UNICODE_BREAK_IDEOGRAPHIC;

      if (ideograph && previous_ideograph)
        g_string_append_unichar (joined, WORD_JOINER);
      g_string_append_unichar (joined, c);
      previous_ideograph = ideograph;
    }

  return g_string_free (joined, FALSE);
}
