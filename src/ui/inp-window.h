/* inp-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-application.h"
#include "inp-mask-canvas.h"

G_BEGIN_DECLS

#define INP_TYPE_WINDOW (inp_window_get_type ())

G_DECLARE_FINAL_TYPE (InpWindow, inp_window, INP, WINDOW, AdwApplicationWindow)

InpWindow     *inp_window_new          (InpApplication       *application);
InpMaskCanvas *inp_window_get_canvas   (InpWindow            *self);
void           inp_window_open_async   (InpWindow            *self,
                                        GFile                *file,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean       inp_window_open_finish  (InpWindow            *self,
                                        GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
