/* inp-mask-canvas.h: the picture with its mask, painted with brush, eraser and shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "inp-mask.h"

G_BEGIN_DECLS

/**
 * InpCanvasTool:
 * @INP_CANVAS_TOOL_BRUSH: paint what should be repainted
 * @INP_CANVAS_TOOL_ERASER: take areas out of the mask
 * @INP_CANVAS_TOOL_RECTANGLE: fill a rectangle (with Ctrl or the right button, clear it)
 * @INP_CANVAS_TOOL_ELLIPSE: fill an ellipse (with Ctrl or the right button, clear it)
 * @INP_CANVAS_TOOL_LASSO: fill a freehand outline (with Ctrl or the right button, clear it)
 */
typedef enum
{
  INP_CANVAS_TOOL_BRUSH,
  INP_CANVAS_TOOL_ERASER,
  INP_CANVAS_TOOL_RECTANGLE,
  INP_CANVAS_TOOL_ELLIPSE,
  INP_CANVAS_TOOL_LASSO,
} InpCanvasTool;

#define INP_TYPE_CANVAS_TOOL (inp_canvas_tool_get_type ())
GType inp_canvas_tool_get_type (void);

#define INP_MASK_CANVAS_MIN_ZOOM 0.05
#define INP_MASK_CANVAS_MAX_ZOOM 32.0

#define INP_TYPE_MASK_CANVAS (inp_mask_canvas_get_type ())

G_DECLARE_FINAL_TYPE (InpMaskCanvas, inp_mask_canvas, INP, MASK_CANVAS, GtkWidget)

GtkWidget     *inp_mask_canvas_new                (void);

void           inp_mask_canvas_set_image          (InpMaskCanvas    *self,
                                                   GdkTexture       *image);
GdkTexture    *inp_mask_canvas_get_image          (InpMaskCanvas    *self);
void           inp_mask_canvas_set_pixbuf         (InpMaskCanvas    *self,
                                                   GdkPixbuf        *pixbuf);
GdkPixbuf     *inp_mask_canvas_get_pixbuf         (InpMaskCanvas    *self);
InpMask       *inp_mask_canvas_get_mask           (InpMaskCanvas    *self);
gboolean       inp_mask_canvas_is_mask_empty      (InpMaskCanvas    *self);
GActionGroup  *inp_mask_canvas_get_action_group   (InpMaskCanvas    *self);

InpCanvasTool  inp_mask_canvas_get_tool           (InpMaskCanvas    *self);
void           inp_mask_canvas_set_tool           (InpMaskCanvas    *self,
                                                   InpCanvasTool     tool);
double         inp_mask_canvas_get_brush_size     (InpMaskCanvas    *self);
void           inp_mask_canvas_set_brush_size     (InpMaskCanvas    *self,
                                                   double            size);
double         inp_mask_canvas_get_hardness       (InpMaskCanvas    *self);
void           inp_mask_canvas_set_hardness       (InpMaskCanvas    *self,
                                                   double            hardness);
double         inp_mask_canvas_get_opacity        (InpMaskCanvas    *self);
void           inp_mask_canvas_set_opacity        (InpMaskCanvas    *self,
                                                   double            opacity);
gboolean       inp_mask_canvas_get_show_mask      (InpMaskCanvas    *self);
void           inp_mask_canvas_set_show_mask      (InpMaskCanvas    *self,
                                                   gboolean          show_mask);
void           inp_mask_canvas_set_overlay_color  (InpMaskCanvas    *self,
                                                   const GdkRGBA    *color);
const GdkRGBA *inp_mask_canvas_get_overlay_color  (InpMaskCanvas    *self);

double         inp_mask_canvas_get_zoom           (InpMaskCanvas    *self);
void           inp_mask_canvas_zoom_at            (InpMaskCanvas    *self,
                                                   double            zoom,
                                                   double            widget_x,
                                                   double            widget_y);
void           inp_mask_canvas_zoom_fit           (InpMaskCanvas    *self);
void           inp_mask_canvas_extend             (InpMaskCanvas    *self,
                                                   const char       *side);
void           inp_mask_canvas_widget_to_image    (InpMaskCanvas    *self,
                                                   double            widget_x,
                                                   double            widget_y,
                                                   double           *image_x,
                                                   double           *image_y);
void           inp_mask_canvas_image_to_widget    (InpMaskCanvas    *self,
                                                   double            image_x,
                                                   double            image_y,
                                                   double           *widget_x,
                                                   double           *widget_y);

void           inp_mask_canvas_export_async       (InpMaskCanvas    *self,
                                                   int               target_width,
                                                   int               target_height,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
gboolean       inp_mask_canvas_export_finish      (InpMaskCanvas    *self,
                                                   GAsyncResult     *result,
                                                   GBytes          **image_png,
                                                   GBytes          **mask_png,
                                                   InpMaskRect      *mask_bounds,
                                                   GError          **error);

G_END_DECLS
