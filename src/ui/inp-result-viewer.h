/* inp-result-viewer.h: one result, large, and compared with its input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-compare-view.h"
#include "inp-library-output.h"

G_BEGIN_DECLS

#define INP_TYPE_RESULT_VIEWER (inp_result_viewer_get_type ())

G_DECLARE_FINAL_TYPE (InpResultViewer, inp_result_viewer, INP, RESULT_VIEWER, AdwWindow)

InpResultViewer  *inp_result_viewer_new               (InpLibraryOutput *output,
                                                       GFile            *input);
InpLibraryOutput *inp_result_viewer_get_output        (InpResultViewer  *self);
gboolean          inp_result_viewer_get_loaded        (InpResultViewer  *self);
gboolean          inp_result_viewer_get_comparing     (InpResultViewer  *self);
void              inp_result_viewer_set_comparing     (InpResultViewer  *self,
                                                       gboolean          comparing);
InpCompareView   *inp_result_viewer_get_compare_view  (InpResultViewer  *self);

G_END_DECLS
