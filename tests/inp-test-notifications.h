/* inp-test-notifications.h: the desktop's notification server, as GUI tests need it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * InpTestNotificationCall:
 * @method: "AddNotification" or "RemoveNotification"
 * @id: the notification's id, as the application gave it
 * @notification: (nullable): what AddNotification sent (a{sv}: title, body, default-action…)
 */
typedef struct
{
  char     *method;
  char     *id;
  GVariant *notification;
} InpTestNotificationCall;

void                     inp_test_notifications_start (void);
void                     inp_test_notifications_take  (void);
void                     inp_test_notifications_clear (void);
guint                    inp_test_notifications_count (void);
InpTestNotificationCall *inp_test_notifications_find  (const char *method,
                                                       const char *id);
void                     inp_test_notifications_sync  (void);

G_END_DECLS
