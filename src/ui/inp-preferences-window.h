/* inp-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define INP_TYPE_PREFERENCES_WINDOW (inp_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (InpPreferencesWindow, inp_preferences_window, INP, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

InpPreferencesWindow *inp_preferences_window_new (GSettings *settings);

G_END_DECLS
