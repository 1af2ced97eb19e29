/* inp-debug.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "inp-debug.h"

/**
 * inp_debug_pause_at:
 * @point: one of the INP_DEBUG_POINT_ names
 *
 * When `INPAINTER_DEBUG_PAUSE_AT` names @point, says so on stderr and stops this process there
 * for good, so that a test can kill it at exactly that point. Otherwise does nothing.
 */
void
inp_debug_pause_at (const char *point)
{
  const char *wanted = g_getenv ("INPAINTER_DEBUG_PAUSE_AT");

  if (wanted == NULL || g_strcmp0 (wanted, point) != 0)
    return;

  /* Not translated: a test reads this line. */
  fprintf (stderr, "inpainter: paused at %s\n", point);
  fflush (stderr);
  for (;;)
    pause ();
}
