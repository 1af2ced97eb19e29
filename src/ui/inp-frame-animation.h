/* inp-frame-animation.h: an animation of pre-decoded frames, as a paintable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INP_TYPE_FRAME_ANIMATION (inp_frame_animation_get_type ())

G_DECLARE_FINAL_TYPE (InpFrameAnimation, inp_frame_animation, INP, FRAME_ANIMATION, GObject)

InpFrameAnimation *inp_frame_animation_new           (GPtrArray         *frames,
                                                      GArray            *delays);
guint              inp_frame_animation_get_n_frames  (InpFrameAnimation *self);
GdkTexture        *inp_frame_animation_get_frame     (InpFrameAnimation *self,
                                                      guint              index);
guint              inp_frame_animation_get_current   (InpFrameAnimation *self);
void               inp_frame_animation_play          (InpFrameAnimation *self);
void               inp_frame_animation_stop          (InpFrameAnimation *self);

G_END_DECLS
