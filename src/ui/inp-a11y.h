/* inp-a11y.h: what GTK 4.8 needs to give every control a name a screen reader can speak
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void inp_a11y_name_inner_buttons (GtkWidget *root);
void inp_a11y_name_list_cell     (GtkWidget *child);

G_END_DECLS
