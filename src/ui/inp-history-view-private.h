/* inp-history-view-private.h: what the tests look at inside the history view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "inp-history-view.h"

G_BEGIN_DECLS

const char    *inp_history_view_get_page        (InpHistoryView *self);
GtkAdjustment *inp_history_view_get_vadjustment (InpHistoryView *self);

G_END_DECLS
