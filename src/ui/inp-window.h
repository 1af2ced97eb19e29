/* inp-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-application.h"

G_BEGIN_DECLS

#define INP_TYPE_WINDOW (inp_window_get_type ())

G_DECLARE_FINAL_TYPE (InpWindow, inp_window, INP, WINDOW, AdwApplicationWindow)

InpWindow *inp_window_new (InpApplication *application);

G_END_DECLS
