/* inp-test-network.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-test-network.h"

/* Implements GNetworkMonitor as the system's monitors do: properties that notify when the
 * network comes and goes, and "network-changed" with them. */
struct _InpTestNetworkMonitor
{
  GObject  parent_instance;

  gboolean available;
};

static void inp_test_network_monitor_initable_init (GInitableIface *iface);
static void inp_test_network_monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InpTestNetworkMonitor, inp_test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      inp_test_network_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      inp_test_network_monitor_iface_init))

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

GNetworkMonitor *
inp_test_network_monitor_new (gboolean available)
{
  InpTestNetworkMonitor *self = g_object_new (INP_TEST_TYPE_NETWORK_MONITOR, NULL);

  self->available = available;

  return G_NETWORK_MONITOR (self);
}

void
inp_test_network_monitor_set_available (InpTestNetworkMonitor *self,
                                        gboolean               available)
{
  if (self->available == available)
    return;

  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_object_notify (G_OBJECT (self), "connectivity");
  g_signal_emit_by_name (self, "network-changed", available);
}

static gboolean
inp_test_network_monitor_initable (GInitable     *initable,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  return TRUE;
}

static void
inp_test_network_monitor_initable_init (GInitableIface *iface)
{
  iface->init = inp_test_network_monitor_initable;
}

static gboolean
inp_test_network_monitor_can_reach (GNetworkMonitor     *monitor,
                                    GSocketConnectable  *connectable,
                                    GCancellable        *cancellable,
                                    GError             **error)
{
  if (INP_TEST_NETWORK_MONITOR (monitor)->available)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Network unreachable");
  return FALSE;
}

static void
inp_test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = inp_test_network_monitor_can_reach;
}

static void
inp_test_network_monitor_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  InpTestNetworkMonitor *self = INP_TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;

    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_test_network_monitor_class_init (InpTestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = inp_test_network_monitor_get_property;

  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
inp_test_network_monitor_init (InpTestNetworkMonitor *self)
{
  self->available = TRUE;
}
