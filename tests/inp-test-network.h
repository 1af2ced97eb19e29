/* inp-test-network.h: a network monitor whose availability the test decides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INP_TEST_TYPE_NETWORK_MONITOR (inp_test_network_monitor_get_type ())

G_DECLARE_FINAL_TYPE (InpTestNetworkMonitor, inp_test_network_monitor, INP_TEST,
                      NETWORK_MONITOR, GObject)

GNetworkMonitor *inp_test_network_monitor_new           (gboolean               available);
void             inp_test_network_monitor_set_available (InpTestNetworkMonitor *self,
                                                         gboolean               available);

G_END_DECLS
