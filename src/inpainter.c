/* inpainter.c: the application's entry point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-application.h"
#include "inp-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(InpApplication) app = NULL;

  inp_i18n_init ();
  app = inp_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
