/* inp-mask-canvas-private.h: the input entry points the gestures use, shared with the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "inp-mask-canvas.h"

G_BEGIN_DECLS

/* One pointer position in widget coordinates, as a motion event or a backlog entry gives it. */
typedef struct
{
  double x;
  double y;
  double pressure;
} InpPointerSample;

void        _inp_mask_canvas_pointer_down   (InpMaskCanvas          *self,
                                             const InpPointerSample *sample,
                                             gboolean                erase,
                                             GdkModifierType         state);
void        _inp_mask_canvas_pointer_motion (InpMaskCanvas          *self,
                                             const InpPointerSample *samples,
                                             guint                   n_samples);
void        _inp_mask_canvas_pointer_up     (InpMaskCanvas          *self);
void        _inp_mask_canvas_hover          (InpMaskCanvas          *self,
                                             double                  x,
                                             double                  y);
void        _inp_mask_canvas_scroll         (InpMaskCanvas          *self,
                                             double                  dx,
                                             double                  dy,
                                             GdkModifierType         state);
void        _inp_mask_canvas_import_mask_file_async  (InpMaskCanvas       *self,
                                                      GFile               *file,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean    _inp_mask_canvas_import_mask_file_finish (InpMaskCanvas       *self,
                                                      GAsyncResult        *result,
                                                      int                 *file_width,
                                                      int                 *file_height,
                                                      GError             **error);
const char *_inp_mask_canvas_get_a11y_description (InpMaskCanvas    *self);

G_END_DECLS
