/* inp-test-notifications.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GApplication chooses its notification backend once per process, at the first notification:
 * GNOME Shell's org.gtk.Notifications when that name has an owner on the session bus, otherwise
 * org.freedesktop.Notifications, which a test session lacks (GLib then warns, and warnings are
 * fatal in tests). Windows of tests that run side by side on one display take each other's
 * focus, so any of them may notify. Every GUI test therefore queues for the name at start-up:
 * while one runs, the name has an owner, and the choice is always the same.
 */

#include "config.h"

#include "inp-test-notifications.h"
#include "inp-test-utils.h"

#define NAME "org.gtk.Notifications"

static GDBusConnection *bus;
static GPtrArray *calls;
static guint owner_id;
static int owned;

static void
call_free (InpTestNotificationCall *call)
{
  g_free (call->method);
  g_free (call->id);
  g_clear_pointer (&call->notification, g_variant_unref);
  g_free (call);
}

static const char interface_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "      <arg type='a{sv}' name='notification' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

/* Tests that run at the same time may send here too: only this process's calls are kept. */
static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  const char *app_id = NULL;
  const char *id = NULL;
  InpTestNotificationCall *call;

  g_variant_get_child (parameters, 0, "&s", &app_id);
  g_variant_get_child (parameters, 1, "&s", &id);
  if (g_strcmp0 (sender, g_dbus_connection_get_unique_name (connection)) == 0
      && g_str_equal (app_id, APP_ID))
    {
      call = g_new0 (InpTestNotificationCall, 1);
      call->method = g_strdup (method_name);
      call->id = g_strdup (id);
      if (g_str_equal (method_name, "AddNotification"))
        call->notification = g_variant_get_child_value (parameters, 2);
      g_ptr_array_add (calls, call);
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  owned = 1;
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  owned = -1;
}

static void
own (GBusNameOwnerFlags flags)
{
  if (owner_id != 0)
    g_bus_unown_name (owner_id);
  owned = 0;
  owner_id = g_bus_own_name_on_connection (bus, NAME, flags, name_acquired_cb, name_lost_cb,
                                           NULL, NULL);
}

/**
 * inp_test_notifications_start:
 *
 * Serves org.gtk.Notifications on the session bus, queued behind any other test that does, and
 * gives way to a test that takes it. Without a session bus, does nothing.
 */
void
inp_test_notifications_start (void)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (bus != NULL)
    return;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_test_message ("no session bus, so no notification server: %s", error->message);
      return;
    }

  info = g_dbus_node_info_new_for_xml (interface_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  calls = g_ptr_array_new_with_free_func ((GDestroyNotify) call_free);

  own (G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT);
}

/**
 * inp_test_notifications_take:
 *
 * Becomes the owner of org.gtk.Notifications, so that this process's notifications arrive
 * here, where inp_test_notifications_find() reads them. The test must not run in parallel with
 * another that takes it.
 */
void
inp_test_notifications_take (void)
{
  inp_test_notifications_start ();
  g_assert_nonnull (bus);

  own (G_BUS_NAME_OWNER_FLAGS_REPLACE);
  while (owned == 0)
    g_main_context_iteration (NULL, TRUE);
  if (owned < 0)
    g_error ("another process holds %s on this session bus", NAME);
}

void
inp_test_notifications_clear (void)
{
  g_ptr_array_set_size (calls, 0);
}

guint
inp_test_notifications_count (void)
{
  return calls->len;
}

/**
 * inp_test_notifications_find:
 *
 * Returns: (transfer none) (nullable): the first call of @method for the notification @id
 */
InpTestNotificationCall *
inp_test_notifications_find (const char *method,
                             const char *id)
{
  for (guint i = 0; i < calls->len; i++)
    {
      InpTestNotificationCall *call = g_ptr_array_index (calls, i);

      if (g_str_equal (call->method, method) && g_str_equal (call->id, id))
        return call;
    }

  return NULL;
}

static void
pong_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             NULL);

  *(gboolean *) user_data = TRUE;
}

/**
 * inp_test_notifications_sync:
 *
 * A round trip through the bus to this process: every notification sent before has arrived and
 * been recorded once it returns.
 */
void
inp_test_notifications_sync (void)
{
  gboolean done = FALSE;

  g_dbus_connection_call (bus, g_dbus_connection_get_unique_name (bus), "/",
                          "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, pong_cb, &done);
  inp_test_wait_for (&done, 10000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
