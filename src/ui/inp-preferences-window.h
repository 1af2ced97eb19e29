/* inp-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/**
 * InpConnectionStatus:
 * @INP_CONNECTION_STATUS_NONE: not tested since the endpoint or token last changed
 * @INP_CONNECTION_STATUS_TESTING: a test is running
 * @INP_CONNECTION_STATUS_SUCCESS: the endpoint answered and accepted the token
 * @INP_CONNECTION_STATUS_REFUSED: the endpoint refused the token (HTTP 401)
 * @INP_CONNECTION_STATUS_UNREACHABLE: the endpoint could not be reached
 * @INP_CONNECTION_STATUS_INSECURE: the address is not https (nor http to this computer)
 * @INP_CONNECTION_STATUS_FAILED: anything else: no token, no valid address, an odd answer
 *
 * The outcome of "Test Connection".
 */
typedef enum
{
  INP_CONNECTION_STATUS_NONE,
  INP_CONNECTION_STATUS_TESTING,
  INP_CONNECTION_STATUS_SUCCESS,
  INP_CONNECTION_STATUS_REFUSED,
  INP_CONNECTION_STATUS_UNREACHABLE,
  INP_CONNECTION_STATUS_INSECURE,
  INP_CONNECTION_STATUS_FAILED,
} InpConnectionStatus;

#define INP_TYPE_CONNECTION_STATUS (inp_connection_status_get_type ())
GType inp_connection_status_get_type (void);

#define INP_TYPE_PREFERENCES_WINDOW (inp_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (InpPreferencesWindow, inp_preferences_window, INP, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

InpPreferencesWindow *inp_preferences_window_new                   (GSettings            *settings);
gboolean              inp_preferences_window_get_busy              (InpPreferencesWindow *self);
InpConnectionStatus   inp_preferences_window_get_connection_status (InpPreferencesWindow *self);
const char           *inp_preferences_window_get_connection_message (InpPreferencesWindow *self);
void                  inp_preferences_window_test_connection       (InpPreferencesWindow *self);

G_END_DECLS
