/* inp-mask.h: the inpainting mask at full image resolution, in tiles, with undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define INP_TYPE_MASK (inp_mask_get_type ())

G_DECLARE_FINAL_TYPE (InpMask, inp_mask, INP, MASK, GObject)

/* The side of a square tile; a tile is allocated when something is first painted into it. */
#define INP_MASK_TILE_SIZE 256

/* 255 means "repaint this pixel", 0 means "keep it": the convention of every catalogue model. */
#define INP_MASK_REPAINT 255
#define INP_MASK_KEEP    0

/* Undo memory used unless inp_mask_set_undo_limit() says otherwise. */
#define INP_MASK_DEFAULT_UNDO_LIMIT (128 * 1024 * 1024)

/**
 * InpMaskRect:
 *
 * A rectangle in image pixels.
 */
typedef struct
{
  int x;
  int y;
  int width;
  int height;
} InpMaskRect;

/**
 * InpBrush:
 * @size: the dab's diameter in image pixels, at full pressure
 * @hardness: 0 for an edge that fades over the whole radius, 1 for a crisp edge
 * @opacity: the most a stroke changes a pixel, 0–1; overlapping dabs of one stroke do not add up
 * @erase: %TRUE to take pixels out of the mask instead of adding them
 */
typedef struct
{
  double   size;
  double   hardness;
  double   opacity;
  gboolean erase;
} InpBrush;

InpMask    *inp_mask_new                (int                width,
                                         int                height);
int         inp_mask_get_width          (InpMask           *self);
int         inp_mask_get_height         (InpMask           *self);
guint8      inp_mask_get_pixel          (InpMask           *self,
                                         int                x,
                                         int                y);
void        inp_mask_read_rect          (InpMask           *self,
                                         const InpMaskRect *rect,
                                         guint8            *pixels,
                                         gsize              stride);
const guint8 *inp_mask_peek_tile        (InpMask           *self,
                                         int                tile_x,
                                         int                tile_y,
                                         guint8            *fill);
guint       inp_mask_get_n_allocated_tiles (InpMask        *self);

gboolean    inp_mask_is_empty           (InpMask           *self);
double      inp_mask_get_coverage       (InpMask           *self);
gboolean    inp_mask_get_bounds         (InpMask           *self,
                                         InpMaskRect       *bounds);

/* Strokes: everything between begin and end is one undo step. */
void        inp_mask_begin_stroke       (InpMask           *self,
                                         const InpBrush    *brush);
void        inp_mask_stroke_to          (InpMask           *self,
                                         double             x,
                                         double             y,
                                         double             pressure);
void        inp_mask_end_stroke         (InpMask           *self);
gboolean    inp_mask_in_stroke          (InpMask           *self);
void        inp_mask_draw_line          (InpMask           *self,
                                         const InpBrush    *brush,
                                         double             x0,
                                         double             y0,
                                         double             x1,
                                         double             y1);

/* Shapes fill with @value: INP_MASK_REPAINT to add, INP_MASK_KEEP to clear. */
void        inp_mask_fill_rect          (InpMask           *self,
                                         const InpMaskRect *rect,
                                         guint8             value);
void        inp_mask_fill_ellipse       (InpMask           *self,
                                         const InpMaskRect *rect,
                                         guint8             value);
void        inp_mask_fill_polygon       (InpMask           *self,
                                         const double      *points,
                                         guint              n_points,
                                         guint8             value);

void        inp_mask_invert             (InpMask           *self);
void        inp_mask_clear              (InpMask           *self);
void        inp_mask_fill               (InpMask           *self);
void        inp_mask_grow               (InpMask           *self,
                                         int                pixels);
void        inp_mask_shrink             (InpMask           *self,
                                         int                pixels);
void        inp_mask_feather            (InpMask           *self,
                                         int                pixels);
void        inp_mask_extend             (InpMask           *self,
                                         int                left,
                                         int                top,
                                         int                right,
                                         int                bottom);

gboolean    inp_mask_set_from_alpha     (InpMask           *self,
                                         GdkPixbuf         *image,
                                         GError           **error);
gboolean    inp_mask_import             (InpMask           *self,
                                         GdkPixbuf         *pixbuf,
                                         gboolean          *scaled,
                                         GError           **error);
gboolean    inp_mask_import_file        (InpMask           *self,
                                         GFile             *file,
                                         gboolean          *scaled,
                                         GCancellable      *cancellable,
                                         GError           **error);
GBytes     *inp_mask_save_png_bytes     (InpMask           *self,
                                         int                width,
                                         int                height,
                                         GError           **error);

gboolean    inp_mask_can_undo           (InpMask           *self);
gboolean    inp_mask_can_redo           (InpMask           *self);
gboolean    inp_mask_undo               (InpMask           *self);
gboolean    inp_mask_redo               (InpMask           *self);
void        inp_mask_set_undo_limit     (InpMask           *self,
                                         gsize              bytes);
gsize       inp_mask_get_undo_size      (InpMask           *self);
guint       inp_mask_get_n_undo_steps   (InpMask           *self);

GdkPixbuf  *inp_pixbuf_extend           (GdkPixbuf         *pixbuf,
                                         int                left,
                                         int                top,
                                         int                right,
                                         int                bottom);
GBytes     *inp_grey_png_encode         (const guint8      *pixels,
                                         int                width,
                                         int                height,
                                         gsize              stride,
                                         GError           **error);
GBytes     *inp_grey_png_encode_scaled  (const guint8      *pixels,
                                         int                width,
                                         int                height,
                                         int                target_width,
                                         int                target_height,
                                         GError           **error);
GdkPixbuf  *inp_mask_load_picture       (GFile             *file,
                                         GCancellable      *cancellable,
                                         GError           **error);

G_END_DECLS
