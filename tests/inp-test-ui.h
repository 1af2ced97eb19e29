/* inp-test-ui.h: helpers for tests that present real widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-application.h"
#include "inp-window.h"

G_BEGIN_DECLS

typedef void (*InpTestAppFunc) (InpApplication *app);

gboolean   inp_test_ui_init         (int        *argc,
                                     char     ***argv);
void       inp_test_ui_add_func     (const char *path,
                                     GTestFunc   func);
void       inp_test_wait_for_frame  (GtkWidget  *widget);
GtkWindow *inp_test_find_toplevel   (GType       type);
void       inp_test_destroy_toplevels (void);
void       inp_test_destroy_and_finalize (gpointer window);
void       inp_test_run_in_application (InpTestAppFunc func);
InpWindow *inp_test_active_window   (InpApplication *app);
GtkWidget *inp_test_present         (GtkWidget  *child,
                                     int         width,
                                     int         height);
GtkWidget *inp_test_find_button     (GtkWidget  *widget,
                                     const char *label);
gboolean   inp_test_label_shown     (GtkWidget  *widget,
                                     const char *text);
GtkWidget *inp_test_find_label      (GtkWidget  *widget,
                                     const char *text);

G_END_DECLS
