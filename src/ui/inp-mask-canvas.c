/* inp-mask-canvas.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "inp-error.h"
#include "inp-file-dialog.h"
#include "inp-mask-canvas-private.h"

/* The view draws the picture and the mask in square tiles. At level k a tile covers
 * (VIEW_TILE << k) image pixels in VIEW_TILE texture pixels, so a zoomed-out view of a huge
 * picture costs what the screen shows, and a mask change redraws only the tiles it touched. */
#define VIEW_TILE INP_MASK_TILE_SIZE
#define MAX_CACHED_TILES 128

G_DEFINE_ENUM_TYPE (InpCanvasTool, inp_canvas_tool,
  G_DEFINE_ENUM_VALUE (INP_CANVAS_TOOL_BRUSH, "brush"),
  G_DEFINE_ENUM_VALUE (INP_CANVAS_TOOL_ERASER, "eraser"),
  G_DEFINE_ENUM_VALUE (INP_CANVAS_TOOL_RECTANGLE, "rectangle"),
  G_DEFINE_ENUM_VALUE (INP_CANVAS_TOOL_ELLIPSE, "ellipse"),
  G_DEFINE_ENUM_VALUE (INP_CANVAS_TOOL_LASSO, "lasso"))

typedef struct
{
  guint64     key;
  int         level;
  int         tx;
  int         ty;
  int         width;
  int         height;
  GdkTexture *image;
  GdkTexture *mask;
  guint8     *grey;
  cairo_surface_t *surface;
  cairo_surface_t *image_surface;
  gboolean    uniform;
  guint8      fill;
  int         dirty[4];
  gboolean    mask_stale;
  guint64     frame;
} ViewTile;

typedef enum
{
  MODE_NONE,
  MODE_STROKE,
  MODE_SHAPE,
  MODE_LASSO,
  MODE_PAN,
} Mode;

struct _InpMaskCanvas
{
  GtkWidget           parent_instance;

  /* Template objects */
  GtkGestureDrag     *drag;
  GtkGestureStylus   *stylus;

  /* Owned references */
  GdkPixbuf          *pixbuf;
  GBytes             *image_bytes;
  GdkTexture         *texture;
  InpMask            *mask;
  GSimpleActionGroup *actions;
  GHashTable         *tiles;
  GPtrArray          *history;
  guint               history_pos;
  gboolean            choosing;
  GCancellable       *cancellable;

  /* Tools */
  InpCanvasTool       tool;
  double              sizes[2];
  double              hardness;
  double              opacity;
  GdkRGBA             overlay_color;
  gboolean            show_mask;
  int                 edge_amount;
  int                 extend_amount;
  guint8              lut[256][4];

  /* View: a widget point (x, y) shows image point ((x - origin_x) / zoom, …). */
  double              zoom;
  double              origin_x;
  double              origin_y;
  gboolean            fit;
  guint64             frame;

  /* Input */
  Mode                mode;
  gboolean            space_held;
  gboolean            hovering;
  double              hover_x;
  double              hover_y;
  gboolean            has_last_point;
  double              last_x;
  double              last_y;
  double              shape_x0;
  double              shape_y0;
  double              shape_x1;
  double              shape_y1;
  gboolean            shape_clear;
  GArray             *lasso;
  double              pan_origin_x;
  double              pan_origin_y;
  double              pinch_zoom;

  gboolean            was_empty;
  char               *a11y_description;
  guint               a11y_idle_id;

  /* The keyboard's brush: where the arrow keys have moved it, in image pixels. */
  gboolean            key_cursor;
  gboolean            key_down;
  double              key_x;
  double              key_y;
};

G_DEFINE_FINAL_TYPE (InpMaskCanvas, inp_mask_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_IMAGE,
  PROP_MASK,
  PROP_IS_MASK_EMPTY,
  PROP_TOOL,
  PROP_BRUSH_SIZE,
  PROP_HARDNESS,
  PROP_OPACITY,
  PROP_OVERLAY_COLOR,
  PROP_SHOW_MASK,
  PROP_ZOOM,
  PROP_EDGE_AMOUNT,
  PROP_EXTEND_AMOUNT,
  N_PROPS
};

enum {
  SIGNAL_MASK_CHANGED,
  SIGNAL_EXTEND_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update_actions (InpMaskCanvas *self);
static void queue_update_a11y (InpMaskCanvas *self);

GtkWidget *
inp_mask_canvas_new (void)
{
  return g_object_new (INP_TYPE_MASK_CANVAS, NULL);
}

/* Coordinates */

static double
snap (InpMaskCanvas *self,
      double         value)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  return round (value * scale) / scale;
}

void
inp_mask_canvas_widget_to_image (InpMaskCanvas *self,
                                 double         widget_x,
                                 double         widget_y,
                                 double        *image_x,
                                 double        *image_y)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  *image_x = (widget_x - self->origin_x) / self->zoom;
  *image_y = (widget_y - self->origin_y) / self->zoom;
}

void
inp_mask_canvas_image_to_widget (InpMaskCanvas *self,
                                 double         image_x,
                                 double         image_y,
                                 double        *widget_x,
                                 double        *widget_y)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  *widget_x = self->origin_x + image_x * self->zoom;
  *widget_y = self->origin_y + image_y * self->zoom;
}

static int
image_width (InpMaskCanvas *self)
{
  return self->pixbuf != NULL ? gdk_pixbuf_get_width (self->pixbuf) : 0;
}

static int
image_height (InpMaskCanvas *self)
{
  return self->pixbuf != NULL ? gdk_pixbuf_get_height (self->pixbuf) : 0;
}

/* Keeps at least a margin of the picture on screen, so it cannot be panned out of reach. */
static void
clamp_origin (InpMaskCanvas *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double iw = image_width (self) * self->zoom;
  double ih = image_height (self) * self->zoom;
  double margin_x = MIN (48.0, iw);
  double margin_y = MIN (48.0, ih);

  self->origin_x = snap (self, CLAMP (self->origin_x, margin_x - iw,
                                      MAX (w - margin_x, margin_x - iw)));
  self->origin_y = snap (self, CLAMP (self->origin_y, margin_y - ih,
                                      MAX (h - margin_y, margin_y - ih)));
}

double
inp_mask_canvas_get_zoom (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), 1.0);

  return self->zoom;
}

/**
 * inp_mask_canvas_zoom_at:
 * @zoom: the new zoom (widget pixels per image pixel), clamped to 5 %–3200 %
 * @widget_x: @widget_y: the point that stays where it is, usually the pointer
 */
void
inp_mask_canvas_zoom_at (InpMaskCanvas *self,
                         double         zoom,
                         double         widget_x,
                         double         widget_y)
{
  double ix, iy;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  zoom = CLAMP (zoom, INP_MASK_CANVAS_MIN_ZOOM, INP_MASK_CANVAS_MAX_ZOOM);
  inp_mask_canvas_widget_to_image (self, widget_x, widget_y, &ix, &iy);
  self->fit = FALSE;
  self->origin_x = widget_x - ix * zoom;
  self->origin_y = widget_y - iy * zoom;

  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
      queue_update_a11y (self);
    }
  clamp_origin (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

#define FIT_MARGIN 12.0
#define FIT_BOTTOM_CLEARANCE 60.0

static void
apply_fit (InpMaskCanvas *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom;

  if (self->pixbuf == NULL || w <= 0 || h <= 0)
    return;

  /* The band left for the picture stays clear of the floating undo and zoom buttons that the
   * window lays along the bottom edge. */
  zoom = MIN ((w - 2 * FIT_MARGIN) / image_width (self),
              (h - FIT_MARGIN - FIT_BOTTOM_CLEARANCE) / image_height (self));
  zoom = CLAMP (zoom, INP_MASK_CANVAS_MIN_ZOOM, INP_MASK_CANVAS_MAX_ZOOM);
  self->origin_x = snap (self, (w - image_width (self) * zoom) / 2.0);
  self->origin_y = snap (self, (FIT_MARGIN + h - FIT_BOTTOM_CLEARANCE
                                - image_height (self) * zoom) / 2.0);
  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
      queue_update_a11y (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
inp_mask_canvas_zoom_fit (InpMaskCanvas *self)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  self->fit = TRUE;
  apply_fit (self);
}

static void
zoom_by (InpMaskCanvas *self,
         double         factor)
{
  double x = self->hover_x;
  double y = self->hover_y;

  /* Keyboard zoom centres on the pointer when it is over the canvas, else on the middle. */
  if (!self->hovering)
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  inp_mask_canvas_zoom_at (self, self->zoom * factor, x, y);
}

/* View tiles */

static void
view_tile_free (ViewTile *tile)
{
  g_clear_object (&tile->image);
  g_clear_object (&tile->mask);
  g_clear_pointer (&tile->surface, cairo_surface_destroy);
  g_clear_pointer (&tile->image_surface, cairo_surface_destroy);
  g_free (tile->grey);
  g_free (tile);
}

static void
drop_view_tiles (InpMaskCanvas *self)
{
  g_hash_table_remove_all (self->tiles);
}

static void
build_lut (InpMaskCanvas *self)
{
  for (int v = 0; v < 256; v++)
    {
      if (self->show_mask)
        {
          self->lut[v][0] = self->lut[v][1] = self->lut[v][2] = (guint8) v;
          self->lut[v][3] = 255;
        }
      else
        {
          /* Straight BGRA: the tint, at the mask's strength times the overlay opacity. */
          double a = v / 255.0 * self->overlay_color.alpha;

          self->lut[v][0] = (guint8) (self->overlay_color.blue * 255.0 + 0.5);
          self->lut[v][1] = (guint8) (self->overlay_color.green * 255.0 + 0.5);
          self->lut[v][2] = (guint8) (self->overlay_color.red * 255.0 + 0.5);
          self->lut[v][3] = (guint8) (a * 255.0 + 0.5);
        }
    }
}

static void
restyle_mask (InpMaskCanvas *self)
{
  GHashTableIter iter;
  ViewTile *tile;

  build_lut (self);
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tile))
    tile->mask_stale = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static ViewTile *
ensure_view_tile (InpMaskCanvas *self,
                  int            level,
                  int            tx,
                  int            ty)
{
  guint64 key = ((guint64) level << 56) | ((guint64) ty << 28) | (guint64) tx;
  ViewTile *tile = g_hash_table_lookup (self->tiles, &key);
  int span = VIEW_TILE << level;

  if (tile != NULL)
    return tile;

  tile = g_new0 (ViewTile, 1);
  tile->key = key;
  tile->level = level;
  tile->tx = tx;
  tile->ty = ty;
  tile->width = MIN (VIEW_TILE, ((image_width (self) - tx * span) + (1 << level) - 1) >> level);
  tile->height = MIN (VIEW_TILE, ((image_height (self) - ty * span) + (1 << level) - 1) >> level);
  tile->uniform = TRUE;
  tile->fill = 0;
  tile->dirty[0] = 0;
  tile->dirty[1] = 0;
  tile->dirty[2] = tile->width;
  tile->dirty[3] = tile->height;
  tile->mask_stale = TRUE;
  g_hash_table_insert (self->tiles, &tile->key, tile);

  return tile;
}

static GdkMemoryFormat
image_format (InpMaskCanvas *self)
{
  return gdk_pixbuf_get_has_alpha (self->pixbuf) ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8;
}

static void
ensure_image_texture (InpMaskCanvas *self,
                      ViewTile      *tile)
{
  int n = gdk_pixbuf_get_n_channels (self->pixbuf);
  int stride = gdk_pixbuf_get_rowstride (self->pixbuf);
  int span = VIEW_TILE << tile->level;
  int x0 = tile->tx * span;
  int y0 = tile->ty * span;
  g_autoptr(GBytes) bytes = NULL;

  if (tile->image != NULL)
    return;

  if (tile->level == 0)
    {
      /* Full resolution shares the picture's own pixels: no copy. */
      gsize offset = (gsize) y0 * stride + (gsize) x0 * n;
      gsize len = (gsize) (tile->height - 1) * stride + (gsize) tile->width * n;

      bytes = g_bytes_new_from_bytes (self->image_bytes, offset, len);
      tile->image = gdk_memory_texture_new (tile->width, tile->height, image_format (self),
                                            bytes, stride);
      return;
    }
  else
    {
      const guint8 *src = g_bytes_get_data (self->image_bytes, NULL);
      int block = 1 << tile->level;
      int w = image_width (self);
      int h = image_height (self);
      guint8 *out = g_malloc ((gsize) tile->width * tile->height * n);
      g_autofree guint32 *sums = g_new (guint32, (gsize) tile->width * n);

      /* Each texture pixel is the average of the block of image pixels it stands for. */
      for (int v = 0; v < tile->height; v++)
        {
          int sy0 = y0 + v * block;
          int sy1 = MIN (h, sy0 + block);

          memset (sums, 0, sizeof (guint32) * tile->width * n);
          for (int sy = sy0; sy < sy1; sy++)
            {
              const guint8 *row = src + (gsize) sy * stride;

              for (int u = 0; u < tile->width; u++)
                {
                  int sx0 = x0 + u * block;
                  int sx1 = MIN (w, sx0 + block);

                  for (int sx = sx0; sx < sx1; sx++)
                    for (int c = 0; c < n; c++)
                      sums[u * n + c] += row[sx * n + c];
                }
            }

          for (int u = 0; u < tile->width; u++)
            {
              int count = (sy1 - sy0) * (MIN (w, x0 + (u + 1) * block) - (x0 + u * block));

              for (int c = 0; c < n; c++)
                out[((gsize) v * tile->width + u) * n + c] =
                  (guint8) ((sums[u * n + c] + count / 2) / count);
            }
        }

      bytes = g_bytes_new_take (out, (gsize) tile->width * tile->height * n);
      tile->image = gdk_memory_texture_new (tile->width, tile->height, image_format (self),
                                            bytes, (gsize) tile->width * n);
    }
}

/* Whether every mask pixel under the tile has one value, found from the mask's own tiles. */
static gboolean
mask_uniform_under (InpMaskCanvas *self,
                    ViewTile      *tile,
                    guint8        *fill)
{
  int n_tx = (image_width (self) + VIEW_TILE - 1) / VIEW_TILE;
  int n_ty = (image_height (self) + VIEW_TILE - 1) / VIEW_TILE;
  int first = -1;

  for (int my = tile->ty << tile->level; my < MIN (n_ty, (tile->ty + 1) << tile->level); my++)
    for (int mx = tile->tx << tile->level; mx < MIN (n_tx, (tile->tx + 1) << tile->level); mx++)
      {
        guint8 value;

        if (inp_mask_peek_tile (self->mask, mx, my, &value) != NULL)
          return FALSE;
        if (first >= 0 && value != first)
          return FALSE;
        first = value;
      }

  *fill = (guint8) MAX (first, 0);
  return TRUE;
}

/* Recomputes the dirty part of the tile's mask, averaged down to its level. */
static void
update_grey (InpMaskCanvas *self,
             ViewTile      *tile)
{
  int block = 1 << tile->level;
  int span = VIEW_TILE << tile->level;
  int w = image_width (self);
  int h = image_height (self);
  int u0, v0, u1, v1;
  guint8 fill;

  if (tile->dirty[0] >= tile->dirty[2] || tile->dirty[1] >= tile->dirty[3])
    return;

  if (mask_uniform_under (self, tile, &fill))
    {
      g_clear_pointer (&tile->grey, g_free);
      tile->uniform = TRUE;
      tile->fill = fill;
      tile->dirty[0] = tile->dirty[2] = 0;
      return;
    }

  if (tile->grey == NULL)
    {
      tile->grey = g_malloc0 (VIEW_TILE * VIEW_TILE);
      tile->dirty[0] = 0;
      tile->dirty[1] = 0;
      tile->dirty[2] = tile->width;
      tile->dirty[3] = tile->height;
    }
  tile->uniform = FALSE;

  u0 = tile->dirty[0];
  v0 = tile->dirty[1];
  u1 = tile->dirty[2];
  v1 = tile->dirty[3];
  tile->dirty[0] = tile->dirty[2] = 0;

  if (tile->level == 0)
    {
      InpMaskRect r = { tile->tx * span + u0, tile->ty * span + v0, u1 - u0, v1 - v0 };

      inp_mask_read_rect (self->mask, &r, tile->grey + v0 * VIEW_TILE + u0, VIEW_TILE);
      return;
    }
  else
    {
      int x0 = tile->tx * span + u0 * block;
      int x1 = MIN (w, tile->tx * span + u1 * block);
      g_autofree guint8 *row = g_malloc (x1 - x0);
      g_autofree guint32 *sums = g_new (guint32, u1 - u0);

      for (int v = v0; v < v1; v++)
        {
          int sy0 = tile->ty * span + v * block;
          int sy1 = MIN (h, sy0 + block);

          memset (sums, 0, sizeof (guint32) * (u1 - u0));
          for (int sy = sy0; sy < sy1; sy++)
            {
              InpMaskRect r = { x0, sy, x1 - x0, 1 };

              inp_mask_read_rect (self->mask, &r, row, x1 - x0);
              for (int x = 0; x < x1 - x0; x++)
                sums[x >> tile->level] += row[x];
            }

          for (int u = u0; u < u1; u++)
            {
              int bx0 = tile->tx * span + u * block;
              int count = (sy1 - sy0) * (MIN (w, bx0 + block) - bx0);

              tile->grey[v * VIEW_TILE + u] = (guint8) ((sums[u - u0] + count / 2) / count);
            }
        }
    }
}

static void
refresh_grey (InpMaskCanvas *self,
              ViewTile      *tile)
{
  if (tile->dirty[0] < tile->dirty[2])
    {
      update_grey (self, tile);
      tile->mask_stale = TRUE;
      /* Replaced, never changed in place: earlier frames may still hold the old surface. */
      g_clear_pointer (&tile->surface, cairo_surface_destroy);
    }
}

/* A copy of the tile's mask as an A8 surface, for drawing pixel-exact at high zoom. */
static cairo_surface_t *
ensure_mask_surface (InpMaskCanvas *self,
                     ViewTile      *tile)
{
  refresh_grey (self, tile);
  if (tile->uniform)
    return NULL;

  if (tile->surface == NULL)
    {
      int stride;

      tile->surface = cairo_image_surface_create (CAIRO_FORMAT_A8, tile->width, tile->height);
      stride = cairo_image_surface_get_stride (tile->surface);
      cairo_surface_flush (tile->surface);
      for (int v = 0; v < tile->height; v++)
        memcpy (cairo_image_surface_get_data (tile->surface) + v * stride,
                tile->grey + v * VIEW_TILE, tile->width);
      cairo_surface_mark_dirty (tile->surface);
    }

  return tile->surface;
}

/* The picture's full-resolution tile as a cairo surface, for drawing pixel-exact at high zoom. */
static cairo_surface_t *
ensure_image_surface (InpMaskCanvas *self,
                      ViewTile      *tile)
{
  const guint8 *src = g_bytes_get_data (self->image_bytes, NULL);
  int n = gdk_pixbuf_get_n_channels (self->pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (self->pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (self->pixbuf);
  guint8 *dest;
  int dest_stride;

  g_assert (tile->level == 0);

  if (tile->image_surface != NULL)
    return tile->image_surface;

  tile->image_surface = cairo_image_surface_create (alpha ? CAIRO_FORMAT_ARGB32
                                                          : CAIRO_FORMAT_RGB24,
                                                    tile->width, tile->height);
  cairo_surface_flush (tile->image_surface);
  dest = cairo_image_surface_get_data (tile->image_surface);
  dest_stride = cairo_image_surface_get_stride (tile->image_surface);
  src += (gsize) tile->ty * VIEW_TILE * src_stride + (gsize) tile->tx * VIEW_TILE * n;

  for (int v = 0; v < tile->height; v++)
    {
      const guint8 *p = src + (gsize) v * src_stride;
      guint32 *row = (guint32 *) (gpointer) (dest + (gsize) v * dest_stride);

      for (int u = 0; u < tile->width; u++, p += n)
        {
          guint32 a = alpha ? p[3] : 255;

          /* Cairo wants native-endian premultiplied ARGB. */
          row[u] = a << 24 | (p[0] * a / 255) << 16 | (p[1] * a / 255) << 8 | (p[2] * a / 255);
        }
    }
  cairo_surface_mark_dirty (tile->image_surface);

  return tile->image_surface;
}

static void
ensure_mask_texture (InpMaskCanvas *self,
                     ViewTile      *tile)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *out;
  gsize n;

  refresh_grey (self, tile);
  if (!tile->mask_stale)
    return;

  tile->mask_stale = FALSE;
  g_clear_object (&tile->mask);
  if (tile->uniform)
    return;

  n = (gsize) tile->width * tile->height;
  out = g_malloc (n * 4);
  for (int v = 0; v < tile->height; v++)
    for (int u = 0; u < tile->width; u++)
      memcpy (out + ((gsize) v * tile->width + u) * 4, self->lut[tile->grey[v * VIEW_TILE + u]], 4);
  bytes = g_bytes_new_take (out, n * 4);
  /* Straight, not premultiplied, alpha: the cairo renderer converts every texture it draws at
   * every frame, and GTK 4.8 converts this format at less than half the cost of its premultiplied
   * twin (measured: 0.15 against 0.36 ms a tile). */
  tile->mask = gdk_memory_texture_new (tile->width, tile->height,
                                       GDK_MEMORY_B8G8R8A8, bytes,
                                       (gsize) tile->width * 4);
}

static void
mask_changed_cb (InpMaskCanvas *self,
                 int            x,
                 int            y,
                 int            width,
                 int            height,
                 InpMask       *mask)
{
  GHashTableIter iter;
  ViewTile *tile;

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tile))
    {
      int u0 = MAX (0, (x >> tile->level) - tile->tx * VIEW_TILE);
      int v0 = MAX (0, (y >> tile->level) - tile->ty * VIEW_TILE);
      int u1 = MIN (tile->width, ((x + width - 1) >> tile->level) + 1 - tile->tx * VIEW_TILE);
      int v1 = MIN (tile->height, ((y + height - 1) >> tile->level) + 1 - tile->ty * VIEW_TILE);

      if (u0 >= u1 || v0 >= v1)
        continue;

      if (tile->dirty[0] >= tile->dirty[2])
        {
          tile->dirty[0] = u0;
          tile->dirty[1] = v0;
          tile->dirty[2] = u1;
          tile->dirty[3] = v1;
        }
      else
        {
          tile->dirty[0] = MIN (tile->dirty[0], u0);
          tile->dirty[1] = MIN (tile->dirty[1], v0);
          tile->dirty[2] = MAX (tile->dirty[2], u1);
          tile->dirty[3] = MAX (tile->dirty[3], v1);
        }
    }

  /* Strokes and shapes of our own are described when they end. */
  if (self->mode == MODE_NONE)
    queue_update_a11y (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static int
view_level (InpMaskCanvas *self)
{
  double device_zoom = self->zoom * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int level = 0;

  /* The coarsest level whose texture pixels are still at least a screen pixel each. */
  while (level < 12 && device_zoom * (2 << level) <= 1.0)
    level++;

  return level;
}

static void
evict_view_tiles (InpMaskCanvas *self)
{
  GHashTableIter iter;
  ViewTile *tile;

  if (g_hash_table_size (self->tiles) <= MAX_CACHED_TILES)
    return;

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tile))
    if (tile->frame != self->frame)
      g_hash_table_iter_remove (&iter);
}

/* Drawing */

static void
append_ring (GtkSnapshot   *snapshot,
             double         cx,
             double         cy,
             double         rx,
             double         ry,
             const GdkRGBA *color)
{
  GskRoundedRect ring;
  GdkRGBA colors[4] = { *color, *color, *color, *color };
  float widths[4] = { 1, 1, 1, 1 };

  gsk_rounded_rect_init (&ring,
                         &GRAPHENE_RECT_INIT (cx - rx, cy - ry, 2 * rx, 2 * ry),
                         &GRAPHENE_SIZE_INIT (rx, ry), &GRAPHENE_SIZE_INIT (rx, ry),
                         &GRAPHENE_SIZE_INIT (rx, ry), &GRAPHENE_SIZE_INIT (rx, ry));
  gtk_snapshot_append_border (snapshot, &ring, widths, colors);
}

static void
append_frame (GtkSnapshot           *snapshot,
              const graphene_rect_t *rect,
              gboolean               round)
{
  static const GdkRGBA black = { 0, 0, 0, 0.8f };
  static const GdkRGBA white = { 1, 1, 1, 0.9f };
  double cx = rect->origin.x + rect->size.width / 2.0;
  double cy = rect->origin.y + rect->size.height / 2.0;
  double rx = rect->size.width / 2.0;
  double ry = rect->size.height / 2.0;

  if (round)
    {
      append_ring (snapshot, cx, cy, rx + 1, ry + 1, &black);
      append_ring (snapshot, cx, cy, rx, ry, &white);
    }
  else
    {
      GskRoundedRect outer, inner;
      GdkRGBA b[4] = { black, black, black, black };
      GdkRGBA w[4] = { white, white, white, white };
      float widths[4] = { 1, 1, 1, 1 };

      gsk_rounded_rect_init_from_rect (&outer, &GRAPHENE_RECT_INIT (rect->origin.x - 1,
                                                                   rect->origin.y - 1,
                                                                   rect->size.width + 2,
                                                                   rect->size.height + 2), 0);
      gsk_rounded_rect_init_from_rect (&inner, rect, 0);
      gtk_snapshot_append_border (snapshot, &outer, widths, b);
      gtk_snapshot_append_border (snapshot, &inner, widths, w);
    }
}

static void
append_lasso (InpMaskCanvas *self,
              GtkSnapshot   *snapshot)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  cairo_t *cr;

  if (self->lasso->len < 2)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  for (guint i = 0; i < self->lasso->len; i++)
    {
      const graphene_point_t *p = &g_array_index (self->lasso, graphene_point_t, i);
      double x, y;

      inp_mask_canvas_image_to_widget (self, p->x, p->y, &x, &y);
      cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
  cairo_set_line_width (cr, 3.0);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.8);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
append_checkerboard (GtkSnapshot           *snapshot,
                     const graphene_rect_t *rect)
{
  static const GdkRGBA light = { 0.80f, 0.80f, 0.80f, 1 };
  static const GdkRGBA dark = { 0.60f, 0.60f, 0.60f, 1 };

  gtk_snapshot_push_repeat (snapshot, rect, &GRAPHENE_RECT_INIT (0, 0, 16, 16));
  gtk_snapshot_append_color (snapshot, &light, &GRAPHENE_RECT_INIT (0, 0, 16, 16));
  gtk_snapshot_append_color (snapshot, &dark, &GRAPHENE_RECT_INIT (0, 0, 8, 8));
  gtk_snapshot_append_color (snapshot, &dark, &GRAPHENE_RECT_INIT (8, 8, 8, 8));
  gtk_snapshot_pop (snapshot);
}

static void
tile_bounds (InpMaskCanvas   *self,
             ViewTile        *tile,
             graphene_rect_t *bounds)
{
  int span = VIEW_TILE << tile->level;
  /* Tile edges land on device pixels so neighbouring tiles meet without a seam. */
  double left = (double) tile->tx * span;
  double top = (double) tile->ty * span;
  double x0 = snap (self, self->origin_x + left * self->zoom);
  double y0 = snap (self, self->origin_y + top * self->zoom);
  double x1 = snap (self, self->origin_x + (left + (tile->width << tile->level)) * self->zoom);
  double y1 = snap (self, self->origin_y + (top + (tile->height << tile->level)) * self->zoom);

  *bounds = GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0);
}

static void
append_mask_tile (InpMaskCanvas         *self,
                  GtkSnapshot           *snapshot,
                  ViewTile              *tile,
                  const graphene_rect_t *bounds)
{
  GdkRGBA tint = self->overlay_color;
  float grey;

  ensure_mask_texture (self, tile);
  if (tile->mask != NULL)
    {
      gtk_snapshot_append_texture (snapshot, tile->mask, bounds);
      return;
    }

  if (!tile->uniform || tile->fill == 0)
    return;

  grey = tile->fill / 255.f;
  if (self->show_mask)
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { grey, grey, grey, 1 }, bounds);
  else
    {
      tint.alpha *= grey;
      gtk_snapshot_append_color (snapshot, &tint, bounds);
    }
}

static void
append_pixels (InpMaskCanvas *self,
               GtkSnapshot   *snapshot,
               int            tx0,
               int            ty0,
               int            tx1,
               int            ty1)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));

  cairo_translate (cr, self->origin_x, self->origin_y);
  cairo_scale (cr, self->zoom, self->zoom);

  if (!self->show_mask)
    for (int ty = ty0; ty < ty1; ty++)
      for (int tx = tx0; tx < tx1; tx++)
        {
          ViewTile *tile = ensure_view_tile (self, 0, tx, ty);
          cairo_pattern_t *pattern;
          cairo_matrix_t matrix;

          pattern = cairo_pattern_create_for_surface (ensure_image_surface (self, tile));
          cairo_matrix_init_translate (&matrix, -tx * VIEW_TILE, -ty * VIEW_TILE);
          cairo_pattern_set_matrix (pattern, &matrix);
          cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
          cairo_set_source (cr, pattern);
          cairo_rectangle (cr, tx * VIEW_TILE, ty * VIEW_TILE, tile->width, tile->height);
          cairo_fill (cr);
          cairo_pattern_destroy (pattern);
        }

  if (self->show_mask)
    cairo_set_source_rgb (cr, 1, 1, 1);
  else
    gdk_cairo_set_source_rgba (cr, &self->overlay_color);

  for (int ty = ty0; ty < ty1; ty++)
    for (int tx = tx0; tx < tx1; tx++)
      {
        ViewTile *tile = ensure_view_tile (self, 0, tx, ty);
        cairo_surface_t *surface = ensure_mask_surface (self, tile);
        int x = tx * VIEW_TILE;
        int y = ty * VIEW_TILE;

        if (surface != NULL)
          {
            cairo_pattern_t *pattern = cairo_pattern_create_for_surface (surface);
            cairo_matrix_t matrix;

            cairo_matrix_init_translate (&matrix, -x, -y);
            cairo_pattern_set_matrix (pattern, &matrix);
            cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
            cairo_mask (cr, pattern);
            cairo_pattern_destroy (pattern);
          }
        else if (tile->fill > 0)
          {
            cairo_save (cr);
            cairo_rectangle (cr, x, y, tile->width, tile->height);
            cairo_clip (cr);
            cairo_paint_with_alpha (cr, tile->fill / 255.0);
            cairo_restore (cr);
          }
      }

  cairo_destroy (cr);
}

static void
inp_mask_canvas_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  InpMaskCanvas *self = INP_MASK_CANVAS (widget);
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);
  graphene_rect_t image_rect;
  gboolean pixel_exact;
  int level, span, tx0, ty0, tx1, ty1;

  if (self->pixbuf == NULL)
    return;

  self->frame++;
  level = view_level (self);
  /* GTK 4.8 always filters textures linearly, which would smear each magnified pixel into its
   * neighbours; from 200 % picture and mask are drawn with cairo, nearest-neighbour, instead. */
  pixel_exact = self->zoom * gtk_widget_get_scale_factor (widget) >= 2.0;
  span = VIEW_TILE << level;

  image_rect = GRAPHENE_RECT_INIT (self->origin_x, self->origin_y,
                                   image_width (self) * self->zoom,
                                   image_height (self) * self->zoom);
  tx0 = MAX (0, (int) floor (-self->origin_x / self->zoom / span));
  ty0 = MAX (0, (int) floor (-self->origin_y / self->zoom / span));
  tx1 = MIN ((image_width (self) + span - 1) / span,
             (int) ceil ((w - self->origin_x) / self->zoom / span));
  ty1 = MIN ((image_height (self) + span - 1) / span,
             (int) ceil ((h - self->origin_y) / self->zoom / span));

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gtk_snapshot_push_clip (snapshot, &image_rect);

  if (self->show_mask)
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 }, &image_rect);
  else if (gdk_pixbuf_get_has_alpha (self->pixbuf))
    append_checkerboard (snapshot, &image_rect);

  for (int ty = ty0; ty < ty1; ty++)
    for (int tx = tx0; tx < tx1; tx++)
      {
        ViewTile *tile = ensure_view_tile (self, level, tx, ty);
        graphene_rect_t bounds;

        tile->frame = self->frame;
        tile_bounds (self, tile, &bounds);

        if (pixel_exact)
          continue;

        if (!self->show_mask)
          {
            ensure_image_texture (self, tile);
            gtk_snapshot_append_texture (snapshot, tile->image, &bounds);
          }
        append_mask_tile (self, snapshot, tile, &bounds);
      }

  if (pixel_exact)
    append_pixels (self, snapshot, tx0, ty0, tx1, ty1);

  gtk_snapshot_pop (snapshot);

  /* Shape previews and the brush outline, drawn in black and white to read on any picture. */
  if (self->mode == MODE_SHAPE)
    {
      double ax, ay, bx, by;

      inp_mask_canvas_image_to_widget (self, MIN (self->shape_x0, self->shape_x1),
                                       MIN (self->shape_y0, self->shape_y1), &ax, &ay);
      inp_mask_canvas_image_to_widget (self, MAX (self->shape_x0, self->shape_x1),
                                       MAX (self->shape_y0, self->shape_y1), &bx, &by);
      append_frame (snapshot, &GRAPHENE_RECT_INIT (ax, ay, bx - ax, by - ay),
                    self->tool == INP_CANVAS_TOOL_ELLIPSE);
    }
  else if (self->mode == MODE_LASSO)
    append_lasso (self, snapshot);

  if (self->hovering && self->mode != MODE_PAN && !self->space_held)
    {
      double x = self->hover_x;
      double y = self->hover_y;

      /* The keyboard's cursor stays on its image point when the view zooms or pans. */
      if (self->key_cursor)
        inp_mask_canvas_image_to_widget (self, self->key_x, self->key_y, &x, &y);

      if (self->tool == INP_CANVAS_TOOL_BRUSH || self->tool == INP_CANVAS_TOOL_ERASER)
        {
          double r = MAX (inp_mask_canvas_get_brush_size (self) / 2.0 * self->zoom, 2.0);

          append_frame (snapshot, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), TRUE);
        }
      else if (self->key_cursor)
        {
          /* The shapes have no pointer cursor to show where the keys are. */
          append_frame (snapshot, &GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8), FALSE);
        }
    }

  gtk_snapshot_pop (snapshot);
  evict_view_tiles (self);
}

static void
inp_mask_canvas_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  InpMaskCanvas *self = INP_MASK_CANVAS (widget);

  if (self->fit)
    apply_fit (self);
  else
    clamp_origin (self);
}

static void
inp_mask_canvas_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = 64;
  *natural = 400;
}

/* State shown to others */

static const char *
tool_name (InpCanvasTool tool)
{
  switch (tool)
    {
    case INP_CANVAS_TOOL_BRUSH:
      return _("Brush");
    case INP_CANVAS_TOOL_ERASER:
      return _("Eraser");
    case INP_CANVAS_TOOL_RECTANGLE:
      return _("Rectangle");
    case INP_CANVAS_TOOL_ELLIPSE:
      return _("Ellipse");
    case INP_CANVAS_TOOL_LASSO:
      return _("Lasso");
    default:
      g_assert_not_reached ();
    }
}

static void
update_a11y (InpMaskCanvas *self)
{
  g_autofree char *coverage = NULL;
  g_autofree char *old = g_steal_pointer (&self->a11y_description);

  if (self->pixbuf == NULL)
    {
      self->a11y_description = g_strdup (_("No picture is open"));
    }
  else
    {
      double percent = inp_mask_get_coverage (self->mask) * 100.0;

      if (inp_mask_is_empty (self->mask))
        coverage = g_strdup (_("Nothing is masked yet."));
      else
        /* Translators: how much of the picture the model will repaint. */
        coverage = g_strdup_printf (_("%.0f %% of the picture will be repainted."),
                                    percent < 1.0 && percent > 0.0 ? 1.0 : percent);

      /* Translators: the tool, its size in pixels, the zoom, then how much is masked. */
      self->a11y_description = g_strdup_printf (_("%s, %d px, zoom %d %%. %s"),
                                                tool_name (self->tool),
                                                (int) round (inp_mask_canvas_get_brush_size (self)),
                                                (int) round (self->zoom * 100.0), coverage);
    }

  if (g_strcmp0 (old, self->a11y_description) != 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->a11y_description,
                                    -1);
}

/* Changes made to the mask from outside, such as a mask taken from a result, are described
 * once the main loop is idle, never once per dab. */
static gboolean
a11y_idle_cb (gpointer user_data)
{
  InpMaskCanvas *self = user_data;

  self->a11y_idle_id = 0;
  update_a11y (self);
  return G_SOURCE_REMOVE;
}

static void
queue_update_a11y (InpMaskCanvas *self)
{
  if (self->a11y_idle_id == 0)
    self->a11y_idle_id = g_idle_add (a11y_idle_cb, self);
}

const char *
_inp_mask_canvas_get_a11y_description (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), NULL);

  return self->a11y_description;
}

/* Called after every stroke and operation: one change for everyone watching. */
static void
mask_step_done (InpMaskCanvas *self)
{
  update_actions (self);
  update_a11y (self);
  g_signal_emit (self, signals[SIGNAL_MASK_CHANGED], 0);
}

/* Input */

static void
update_cursor (InpMaskCanvas *self)
{
  const char *name = "default";

  if (self->pixbuf == NULL)
    name = "default";
  else if (self->mode == MODE_PAN)
    name = "grabbing";
  else if (self->space_held)
    name = "grab";
  else if (self->tool == INP_CANVAS_TOOL_BRUSH || self->tool == INP_CANVAS_TOOL_ERASER)
    name = "none";
  else
    name = "crosshair";

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static InpBrush
current_brush (InpMaskCanvas *self,
               gboolean       erase)
{
  InpBrush brush;

  brush.size = inp_mask_canvas_get_brush_size (self);
  brush.hardness = self->hardness;
  brush.opacity = self->opacity;
  brush.erase = erase || self->tool == INP_CANVAS_TOOL_ERASER;

  return brush;
}

void
_inp_mask_canvas_pointer_down (InpMaskCanvas          *self,
                               const InpPointerSample *sample,
                               gboolean                erase,
                               GdkModifierType         state)
{
  double ix, iy;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  if (self->pixbuf == NULL || self->mode != MODE_NONE)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  inp_mask_canvas_widget_to_image (self, sample->x, sample->y, &ix, &iy);

  switch (self->tool)
    {
    case INP_CANVAS_TOOL_BRUSH:
    case INP_CANVAS_TOOL_ERASER:
      {
        InpBrush brush = current_brush (self, erase);

        if ((state & GDK_SHIFT_MASK) != 0 && self->has_last_point)
          {
            /* Shift+click: a straight line from where the last stroke ended. */
            inp_mask_draw_line (self->mask, &brush, self->last_x, self->last_y, ix, iy);
            self->last_x = ix;
            self->last_y = iy;
            mask_step_done (self);
            return;
          }

        inp_mask_begin_stroke (self->mask, &brush);
        inp_mask_stroke_to (self->mask, ix, iy, sample->pressure);
        self->last_x = ix;
        self->last_y = iy;
        self->mode = MODE_STROKE;
      }
      break;

    case INP_CANVAS_TOOL_RECTANGLE:
    case INP_CANVAS_TOOL_ELLIPSE:
      self->shape_x0 = self->shape_x1 = ix;
      self->shape_y0 = self->shape_y1 = iy;
      self->shape_clear = erase || (state & GDK_CONTROL_MASK) != 0;
      self->mode = MODE_SHAPE;
      break;

    case INP_CANVAS_TOOL_LASSO:
      g_array_set_size (self->lasso, 0);
      g_array_append_val (self->lasso, GRAPHENE_POINT_INIT (ix, iy));
      self->shape_clear = erase || (state & GDK_CONTROL_MASK) != 0;
      self->mode = MODE_LASSO;
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_inp_mask_canvas_pointer_motion (InpMaskCanvas          *self,
                                 const InpPointerSample *samples,
                                 guint                   n_samples)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  if (n_samples > 0)
    _inp_mask_canvas_hover (self, samples[n_samples - 1].x, samples[n_samples - 1].y);

  for (guint i = 0; i < n_samples; i++)
    {
      double ix, iy;

      inp_mask_canvas_widget_to_image (self, samples[i].x, samples[i].y, &ix, &iy);

      switch (self->mode)
        {
        case MODE_STROKE:
          inp_mask_stroke_to (self->mask, ix, iy, samples[i].pressure);
          self->last_x = ix;
          self->last_y = iy;
          break;

        case MODE_SHAPE:
          self->shape_x1 = ix;
          self->shape_y1 = iy;
          break;

        case MODE_LASSO:
          {
            const graphene_point_t *last = &g_array_index (self->lasso, graphene_point_t,
                                                           self->lasso->len - 1);

            /* A point per screen pixel is enough detail for an outline. */
            if (fabs (last->x - ix) * self->zoom >= 1.0 || fabs (last->y - iy) * self->zoom >= 1.0)
              g_array_append_val (self->lasso, GRAPHENE_POINT_INIT (ix, iy));
          }
          break;

        case MODE_NONE:
        case MODE_PAN:
        default:
          break;
        }
    }

  if (self->mode == MODE_SHAPE || self->mode == MODE_LASSO)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_inp_mask_canvas_pointer_up (InpMaskCanvas *self)
{
  guint8 value;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  value = self->shape_clear ? INP_MASK_KEEP : INP_MASK_REPAINT;

  switch (self->mode)
    {
    case MODE_STROKE:
      inp_mask_end_stroke (self->mask);
      self->has_last_point = TRUE;
      break;

    case MODE_SHAPE:
      {
        InpMaskRect r;

        r.x = (int) round (MIN (self->shape_x0, self->shape_x1));
        r.y = (int) round (MIN (self->shape_y0, self->shape_y1));
        r.width = (int) round (MAX (self->shape_x0, self->shape_x1)) - r.x;
        r.height = (int) round (MAX (self->shape_y0, self->shape_y1)) - r.y;
        if (self->tool == INP_CANVAS_TOOL_ELLIPSE)
          inp_mask_fill_ellipse (self->mask, &r, value);
        else
          inp_mask_fill_rect (self->mask, &r, value);
      }
      break;

    case MODE_LASSO:
      {
        g_autofree double *points = g_new (double, self->lasso->len * 2);

        for (guint i = 0; i < self->lasso->len; i++)
          {
            points[2 * i] = g_array_index (self->lasso, graphene_point_t, i).x;
            points[2 * i + 1] = g_array_index (self->lasso, graphene_point_t, i).y;
          }
        inp_mask_fill_polygon (self->mask, points, self->lasso->len, value);
      }
      g_array_set_size (self->lasso, 0);
      break;

    case MODE_NONE:
    case MODE_PAN:
    default:
      return;
    }

  self->mode = MODE_NONE;
  mask_step_done (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_inp_mask_canvas_hover (InpMaskCanvas *self,
                        double         x,
                        double         y)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * _inp_mask_canvas_scroll:
 *
 * Ctrl+scroll zooms around the pointer and Alt+scroll changes the brush size; plain scrolling
 * pans (Shift turns vertical scrolling sideways). The deltas are in screen pixels.
 */
void
_inp_mask_canvas_scroll (InpMaskCanvas   *self,
                         double           dx,
                         double           dy,
                         GdkModifierType  state)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  if (self->pixbuf == NULL)
    return;

  if ((state & GDK_CONTROL_MASK) != 0)
    {
      double x = self->hovering ? self->hover_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      double y = self->hovering ? self->hover_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

      inp_mask_canvas_zoom_at (self, self->zoom * pow (2.0, -dy / 200.0), x, y);
    }
  else if ((state & GDK_ALT_MASK) != 0)
    {
      inp_mask_canvas_set_brush_size (self, inp_mask_canvas_get_brush_size (self) *
                                            pow (2.0, -(dy + dx) / 200.0));
    }
  else
    {
      if ((state & GDK_SHIFT_MASK) != 0 && dx == 0)
        {
          dx = dy;
          dy = 0;
        }
      self->fit = FALSE;
      self->origin_x -= dx;
      self->origin_y -= dy;
      clamp_origin (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
event_has_tool (GtkEventController *controller)
{
  GdkEvent *event = gtk_event_controller_get_current_event (controller);

  return event != NULL && gdk_event_get_device_tool (event) != NULL;
}

static void
drag_begin_cb (InpMaskCanvas  *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GtkEventController *controller = GTK_EVENT_CONTROLLER (gesture);
  GdkModifierType state = gtk_event_controller_get_current_event_state (controller);
  InpPointerSample sample = { x, y, 1.0 };

  /* Pens are followed by the stylus gesture, with pressure; taking them here too would paint
   * every stroke twice. */
  if (event_has_tool (GTK_EVENT_CONTROLLER (gesture)) && button != GDK_BUTTON_MIDDLE &&
      !self->space_held)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  if (button == GDK_BUTTON_MIDDLE || self->space_held)
    {
      if (self->mode == MODE_NONE)
        {
          self->mode = MODE_PAN;
          self->pan_origin_x = self->origin_x;
          self->pan_origin_y = self->origin_y;
          self->fit = FALSE;
          update_cursor (self);
        }
      return;
    }

  _inp_mask_canvas_pointer_down (self, &sample, button == GDK_BUTTON_SECONDARY, state);
}

static void
drag_update_cb (InpMaskCanvas  *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *gesture)
{
  double x, y;

  if (self->mode == MODE_PAN)
    {
      self->origin_x = self->pan_origin_x + offset_x;
      self->origin_y = self->pan_origin_y + offset_y;
      clamp_origin (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  _inp_mask_canvas_pointer_motion (self,
                                   &(InpPointerSample) { x + offset_x, y + offset_y, 1.0 }, 1);
}

static void
drag_end_cb (InpMaskCanvas  *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *gesture)
{
  if (self->mode == MODE_PAN)
    {
      self->mode = MODE_NONE;
      update_cursor (self);
      return;
    }

  _inp_mask_canvas_pointer_up (self);
}

static double
stylus_pressure (GtkGestureStylus *gesture)
{
  double pressure;

  /* A pen without pressure reports nothing; it paints at full size. */
  if (!gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &pressure))
    return 1.0;

  return CLAMP (pressure, 0.05, 1.0);
}

static void
stylus_down_cb (InpMaskCanvas    *self,
                double            x,
                double            y,
                GtkGestureStylus *gesture)
{
  GdkDeviceTool *tool = gtk_gesture_stylus_get_device_tool (gesture);
  gboolean eraser = tool != NULL &&
                    gdk_device_tool_get_tool_type (tool) == GDK_DEVICE_TOOL_TYPE_ERASER;
  GtkEventController *controller = GTK_EVENT_CONTROLLER (gesture);
  GdkModifierType state = gtk_event_controller_get_current_event_state (controller);
  InpPointerSample sample = { x, y, stylus_pressure (gesture) };

  if (self->space_held)
    return;

  _inp_mask_canvas_pointer_down (self, &sample, eraser, state);
}

static void
stylus_motion_cb (InpMaskCanvas    *self,
                  double            x,
                  double            y,
                  GtkGestureStylus *gesture)
{
  GdkTimeCoord *backlog = NULL;
  guint n = 0;

  if (self->mode == MODE_NONE)
    {
      _inp_mask_canvas_hover (self, x, y);
      return;
    }

  /* The backlog holds the positions the compositor merged into this event: using them keeps
   * fast strokes round instead of polygonal. */
  if (gtk_gesture_stylus_get_backlog (gesture, &backlog, &n) && n > 0)
    {
      g_autofree InpPointerSample *samples = g_new (InpPointerSample, n);

      for (guint i = 0; i < n; i++)
        {
          samples[i].x = backlog[i].axes[GDK_AXIS_X];
          samples[i].y = backlog[i].axes[GDK_AXIS_Y];
          samples[i].pressure = (backlog[i].flags & GDK_AXIS_FLAG_PRESSURE) != 0
                                ? CLAMP (backlog[i].axes[GDK_AXIS_PRESSURE], 0.05, 1.0) : 1.0;
        }
      _inp_mask_canvas_pointer_motion (self, samples, n);
      g_free (backlog);
      return;
    }

  _inp_mask_canvas_pointer_motion (self,
                                   &(InpPointerSample) { x, y, stylus_pressure (gesture) }, 1);
}

static void
stylus_up_cb (InpMaskCanvas    *self,
              double            x,
              double            y,
              GtkGestureStylus *gesture)
{
  _inp_mask_canvas_pointer_up (self);
}

static void
motion_cb (InpMaskCanvas            *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  /* The pointer takes over from the keyboard's cursor. */
  self->key_cursor = FALSE;
  _inp_mask_canvas_hover (self, x, y);
}

static void
leave_cb (InpMaskCanvas            *self,
          GtkEventControllerMotion *controller)
{
  /* The keyboard's cursor stays visible when the pointer leaves. */
  self->hovering = self->key_cursor;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scroll_cb (InpMaskCanvas            *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  /* Wheels step in notches; touchpads report pixels already. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    {
      dx *= 50.0;
      dy *= 50.0;
    }

  _inp_mask_canvas_scroll (self, dx, dy, state);
  return TRUE;
}

static void
pinch_begin_cb (InpMaskCanvas  *self,
                GdkEventSequence *sequence,
                GtkGestureZoom *gesture)
{
  self->pinch_zoom = self->zoom;
}

static void
pinch_scale_changed_cb (InpMaskCanvas  *self,
                        double          scale,
                        GtkGestureZoom *gesture)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;

  inp_mask_canvas_zoom_at (self, self->pinch_zoom * scale, x, y);
}

/* Keyboard painting: the arrow keys move a brush cursor in screen-sized steps, Return puts the
 * tool down and lifts it again, so a stroke, a shape or a lasso outline follows the moves. */
#define KEY_STEP 8.0
#define KEY_STEP_FAST 40.0

static void
key_cursor_sample (InpMaskCanvas    *self,
                   InpPointerSample *sample)
{
  inp_mask_canvas_image_to_widget (self, self->key_x, self->key_y, &sample->x, &sample->y);
  sample->pressure = 1.0;
}

/* Puts the keyboard cursor where the pointer was, or in the middle of the picture. */
static void
ensure_key_cursor (InpMaskCanvas *self)
{
  if (self->key_cursor)
    return;

  if (self->hovering)
    {
      inp_mask_canvas_widget_to_image (self, self->hover_x, self->hover_y,
                                       &self->key_x, &self->key_y);
    }
  else
    {
      self->key_x = image_width (self) / 2.0;
      self->key_y = image_height (self) / 2.0;
    }
  self->key_x = CLAMP (self->key_x, 0, image_width (self));
  self->key_y = CLAMP (self->key_y, 0, image_height (self));
  self->key_cursor = TRUE;
}

static void
move_key_cursor (InpMaskCanvas *self,
                 double         dx,
                 double         dy)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  InpPointerSample sample;

  ensure_key_cursor (self);
  self->key_x = CLAMP (self->key_x + dx / self->zoom, 0, image_width (self));
  self->key_y = CLAMP (self->key_y + dy / self->zoom, 0, image_height (self));

  /* The view follows the cursor when it reaches an edge of a zoomed-in picture. */
  key_cursor_sample (self, &sample);
  if (sample.x < 0 || sample.x > width || sample.y < 0 || sample.y > height)
    {
      self->fit = FALSE;
      self->origin_x -= sample.x < 0 ? sample.x : MAX (0, sample.x - width);
      self->origin_y -= sample.y < 0 ? sample.y : MAX (0, sample.y - height);
      clamp_origin (self);
      key_cursor_sample (self, &sample);
    }

  if (self->mode != MODE_NONE && self->mode != MODE_PAN)
    _inp_mask_canvas_pointer_motion (self, &sample, 1);
  else
    _inp_mask_canvas_hover (self, sample.x, sample.y);
}

static void
lift_key_tool (InpMaskCanvas *self)
{
  self->key_down = FALSE;
  _inp_mask_canvas_pointer_up (self);
}

/* Tabbing away with the tool down ends the stroke or shape there, as lifting it would. */
static void
focus_leave_cb (InpMaskCanvas           *self,
                GtkEventControllerFocus *controller)
{
  if (self->key_down)
    lift_key_tool (self);
}

static gboolean
key_pressed_cb (InpMaskCanvas         *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  double step = (state & GDK_SHIFT_MASK) != 0 ? KEY_STEP_FAST : KEY_STEP;

  if (self->pixbuf == NULL)
    return FALSE;

  /* Ctrl and Alt combinations belong to the shortcuts, such as Ctrl+Return to generate. */
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_space:
      self->space_held = TRUE;
      update_cursor (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return TRUE;

    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      move_key_cursor (self, -step, 0);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      move_key_cursor (self, step, 0);
      return TRUE;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_key_cursor (self, 0, -step);
      return TRUE;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_key_cursor (self, 0, step);
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (self->mode == MODE_NONE)
        {
          InpPointerSample sample;

          ensure_key_cursor (self);
          key_cursor_sample (self, &sample);
          _inp_mask_canvas_pointer_down (self, &sample, FALSE, 0);
          self->key_down = self->mode != MODE_NONE;
        }
      else
        {
          lift_key_tool (self);
        }
      return TRUE;

    case GDK_KEY_Escape:
      if (self->mode == MODE_NONE)
        return FALSE;
      lift_key_tool (self);
      return TRUE;

    default:
      return FALSE;
    }
}

static void
key_released_cb (InpMaskCanvas         *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_space)
    return;

  self->space_held = FALSE;
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The picture */

static void
set_current_pixbuf (InpMaskCanvas *self,
                    GdkPixbuf     *pixbuf,
                    GdkTexture    *texture)
{
  g_assert (pixbuf == NULL || gdk_pixbuf_get_bits_per_sample (pixbuf) == 8);

  drop_view_tiles (self);
  g_clear_pointer (&self->image_bytes, g_bytes_unref);
  g_set_object (&self->pixbuf, pixbuf);
  g_set_object (&self->texture, texture);

  if (pixbuf != NULL)
    {
      /* Wrap the pixels without copying: the view's full-resolution tiles point into them. */
      self->image_bytes = g_bytes_new_with_free_func (gdk_pixbuf_read_pixels (pixbuf),
                                                      gdk_pixbuf_get_byte_length (pixbuf),
                                                      g_object_unref, g_object_ref (pixbuf));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
mask_resized_cb (InpMaskCanvas *self,
                 GParamSpec    *pspec,
                 InpMask       *mask)
{
  int w = inp_mask_get_width (mask);
  int h = inp_mask_get_height (mask);

  if (w == image_width (self) && h == image_height (self))
    return;

  /* Undo or redo of an extension: bring back the picture of that size. */
  for (guint i = 0; i < self->history->len; i++)
    {
      GdkPixbuf *pixbuf = g_ptr_array_index (self->history, i);

      if (gdk_pixbuf_get_width (pixbuf) == w && gdk_pixbuf_get_height (pixbuf) == h)
        {
          self->history_pos = i;
          set_current_pixbuf (self, pixbuf, NULL);
          return;
        }
    }

  g_warning ("canvas: no picture of %d × %d for the mask", w, h);
}

static void
mask_state_cb (InpMaskCanvas *self,
               GParamSpec    *pspec,
               InpMask       *mask)
{
  gboolean empty = inp_mask_is_empty (mask);

  /* Also reached when others change the mask directly through inp_mask_canvas_get_mask(). */
  if (empty != self->was_empty)
    {
      self->was_empty = empty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MASK_EMPTY]);
    }
  update_actions (self);
}

static void
set_mask (InpMaskCanvas *self,
          InpMask       *mask)
{
  if (self->mask != NULL)
    g_signal_handlers_disconnect_by_data (self->mask, self);
  g_set_object (&self->mask, mask);

  if (mask != NULL)
    {
      g_signal_connect_object (mask, "changed", G_CALLBACK (mask_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (mask, "notify::width", G_CALLBACK (mask_resized_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (mask, "notify::height", G_CALLBACK (mask_resized_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (mask, "notify::is-empty", G_CALLBACK (mask_state_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (mask, "notify::can-undo", G_CALLBACK (mask_state_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (mask, "notify::can-redo", G_CALLBACK (mask_state_cb), self,
                               G_CONNECT_SWAPPED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MASK]);
}

/**
 * inp_mask_canvas_set_pixbuf:
 * @pixbuf: (nullable): the picture to paint a mask for; its pixels are shared, not copied,
 *   and must not change afterwards
 *
 * Shows a new picture with an empty mask, fitted to the view.
 */
void
inp_mask_canvas_set_pixbuf (InpMaskCanvas *self,
                            GdkPixbuf     *pixbuf)
{
  g_autoptr(InpMask) mask = NULL;
  gboolean was_empty = self->was_empty;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));
  g_return_if_fail (pixbuf == NULL || GDK_IS_PIXBUF (pixbuf));

  if (self->mode == MODE_STROKE)
    inp_mask_end_stroke (self->mask);
  self->mode = MODE_NONE;
  self->has_last_point = FALSE;

  g_ptr_array_set_size (self->history, 0);
  self->history_pos = 0;
  if (pixbuf != NULL)
    {
      g_ptr_array_add (self->history, g_object_ref (pixbuf));
      mask = inp_mask_new (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf));
    }

  set_current_pixbuf (self, pixbuf, NULL);
  set_mask (self, mask);
  self->was_empty = TRUE;
  if (!was_empty)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MASK_EMPTY]);

  update_actions (self);
  update_a11y (self);
  update_cursor (self);
  inp_mask_canvas_zoom_fit (self);
}

GdkPixbuf *
inp_mask_canvas_get_pixbuf (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), NULL);

  return self->pixbuf;
}

/* GDK 4.8 can only hand out premultiplied BGRA; GdkPixbuf wants straight RGBA. */
static GdkPixbuf *
pixbuf_from_texture (GdkTexture *texture)
{
  int w = gdk_texture_get_width (texture);
  int h = gdk_texture_get_height (texture);
  guint8 *data = g_malloc ((gsize) w * h * 4);

  gdk_texture_download (texture, data, (gsize) w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      guint8 *p = data + i * 4;
      guint32 argb;
      guint8 a, r, g, b;

      memcpy (&argb, p, 4);
      a = argb >> 24;
      r = (argb >> 16) & 0xff;
      g = (argb >> 8) & 0xff;
      b = argb & 0xff;
      if (a != 0 && a != 255)
        {
          r = (guint8) MIN (255, (r * 255 + a / 2) / a);
          g = (guint8) MIN (255, (g * 255 + a / 2) / a);
          b = (guint8) MIN (255, (b * 255 + a / 2) / a);
        }
      p[0] = r;
      p[1] = g;
      p[2] = b;
      p[3] = a;
    }

  return gdk_pixbuf_new_from_data (data, GDK_COLORSPACE_RGB, TRUE, 8, w, h, w * 4,
                                   (GdkPixbufDestroyNotify) g_free, NULL);
}

/**
 * inp_mask_canvas_set_image:
 * @image: (nullable): the picture
 *
 * Shows a new picture with an empty mask. inp_mask_canvas_set_pixbuf() avoids a copy.
 */
void
inp_mask_canvas_set_image (InpMaskCanvas *self,
                           GdkTexture    *image)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));
  g_return_if_fail (image == NULL || GDK_IS_TEXTURE (image));

  if (image == self->texture && image != NULL)
    return;

  if (image != NULL)
    pixbuf = pixbuf_from_texture (image);
  inp_mask_canvas_set_pixbuf (self, pixbuf);
  g_set_object (&self->texture, image);
}

/**
 * inp_mask_canvas_get_image:
 *
 * Returns: (nullable) (transfer none): the picture shown, as it is now (extended or not)
 */
GdkTexture *
inp_mask_canvas_get_image (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), NULL);

  if (self->texture == NULL && self->pixbuf != NULL)
    self->texture = gdk_memory_texture_new (image_width (self), image_height (self),
                                            image_format (self), self->image_bytes,
                                            gdk_pixbuf_get_rowstride (self->pixbuf));

  return self->texture;
}

InpMask *
inp_mask_canvas_get_mask (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), NULL);

  return self->mask;
}

gboolean
inp_mask_canvas_is_mask_empty (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), TRUE);

  return self->mask == NULL || inp_mask_is_empty (self->mask);
}

GActionGroup *
inp_mask_canvas_get_action_group (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), NULL);

  return G_ACTION_GROUP (self->actions);
}

/* Tool settings */

InpCanvasTool
inp_mask_canvas_get_tool (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), INP_CANVAS_TOOL_BRUSH);

  return self->tool;
}

void
inp_mask_canvas_set_tool (InpMaskCanvas *self,
                          InpCanvasTool  tool)
{
  gboolean size_changes;
  const char *nick;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));
  g_return_if_fail (tool <= INP_CANVAS_TOOL_LASSO);

  if (tool == self->tool)
    return;

  size_changes = inp_mask_canvas_get_brush_size (self) !=
                 self->sizes[tool == INP_CANVAS_TOOL_ERASER];
  self->tool = tool;
  nick = g_enum_get_value (g_type_class_peek (INP_TYPE_CANVAS_TOOL), tool)->value_nick;
  g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "tool",
                                      g_variant_new_string (nick));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
  if (size_changes)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRUSH_SIZE]);
  update_cursor (self);
  update_a11y (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Brush and eraser remember their own sizes: a big eraser after a fine brush is common. */
double
inp_mask_canvas_get_brush_size (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), 0.0);

  return self->sizes[self->tool == INP_CANVAS_TOOL_ERASER];
}

void
inp_mask_canvas_set_brush_size (InpMaskCanvas *self,
                                double         size)
{
  double *slot;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  size = CLAMP (round (size * 10.0) / 10.0, 1.0, 2000.0);
  slot = &self->sizes[self->tool == INP_CANVAS_TOOL_ERASER];
  if (*slot == size)
    return;

  *slot = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRUSH_SIZE]);
  update_a11y (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
inp_mask_canvas_get_hardness (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), 0.0);

  return self->hardness;
}

void
inp_mask_canvas_set_hardness (InpMaskCanvas *self,
                              double         hardness)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  hardness = CLAMP (hardness, 0.0, 1.0);
  if (self->hardness == hardness)
    return;

  self->hardness = hardness;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HARDNESS]);
}

double
inp_mask_canvas_get_opacity (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), 0.0);

  return self->opacity;
}

void
inp_mask_canvas_set_opacity (InpMaskCanvas *self,
                             double         opacity)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  opacity = CLAMP (opacity, 0.01, 1.0);
  if (self->opacity == opacity)
    return;

  self->opacity = opacity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPACITY]);
}

gboolean
inp_mask_canvas_get_show_mask (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), FALSE);

  return self->show_mask;
}

/**
 * inp_mask_canvas_set_show_mask:
 * @show_mask: %TRUE to show the exact mask that will be sent (white repaints, black keeps)
 *   instead of the picture with a tinted overlay
 */
void
inp_mask_canvas_set_show_mask (InpMaskCanvas *self,
                               gboolean       show_mask)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));

  show_mask = !!show_mask;
  if (self->show_mask == show_mask)
    return;

  self->show_mask = show_mask;
  g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "toggle-mask-view",
                                      g_variant_new_boolean (show_mask));
  restyle_mask (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_MASK]);
}

const GdkRGBA *
inp_mask_canvas_get_overlay_color (InpMaskCanvas *self)
{
  g_return_val_if_fail (INP_IS_MASK_CANVAS (self), NULL);

  return &self->overlay_color;
}

/**
 * inp_mask_canvas_set_overlay_color:
 * @color: the tint over masked areas; its alpha is the overlay's opacity
 */
void
inp_mask_canvas_set_overlay_color (InpMaskCanvas *self,
                                   const GdkRGBA *color)
{
  g_return_if_fail (INP_IS_MASK_CANVAS (self));
  g_return_if_fail (color != NULL);

  if (gdk_rgba_equal (&self->overlay_color, color))
    return;

  self->overlay_color = *color;
  restyle_mask (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERLAY_COLOR]);
}

/* File dialogs */

static void
show_toast (InpMaskCanvas *self,
            const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_debug ("canvas: %s", message);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static void
load_mask_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GdkPixbuf *pixbuf = inp_mask_load_picture (task_data, cancellable, &error);

  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

typedef struct
{
  GFile *file;
  int    width;
  int    height;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

static void
mask_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InpMaskCanvas *self = g_task_get_source_object (task);
  ImportData *data = g_task_get_task_data (task);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->mask == NULL || self->mode != MODE_NONE)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_INVALID_INPUT,
                               _("Finish the stroke before importing a mask"));
      return;
    }

  data->width = gdk_pixbuf_get_width (pixbuf);
  data->height = gdk_pixbuf_get_height (pixbuf);
  if (!inp_mask_import (self->mask, pixbuf, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  mask_step_done (self);
  g_task_return_boolean (task, TRUE);
}

/* Reads a mask picture off the main thread, then replaces the mask with it as one undo step. */
void
_inp_mask_canvas_import_mask_file_async (InpMaskCanvas       *self,
                                         GFile               *file,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) load = NULL;
  ImportData *data = g_new0 (ImportData, 1);

  data->file = g_object_ref (file);
  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, _inp_mask_canvas_import_mask_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);

  load = g_task_new (NULL, self->cancellable, mask_loaded_cb, g_steal_pointer (&task));
  g_task_set_task_data (load, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (load, load_mask_thread);
}

/* Returns the size of the mask file, which was scaled when it differs from the picture's. */
gboolean
_inp_mask_canvas_import_mask_file_finish (InpMaskCanvas  *self,
                                          GAsyncResult   *result,
                                          int            *file_width,
                                          int            *file_height,
                                          GError        **error)
{
  ImportData *data = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  *file_width = data->width;
  *file_height = data->height;
  return TRUE;
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  InpMaskCanvas *self = INP_MASK_CANVAS (source);
  g_autoptr(GError) error = NULL;
  int width, height;

  if (!_inp_mask_canvas_import_mask_file_finish (self, result, &width, &height, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  if (width != image_width (self) || height != image_height (self))
    {
      g_autofree char *message =
        /* Translators: the mask file had another size than the picture. */
        g_strdup_printf (_("The mask was %d × %d pixels and was scaled to fit the picture"),
                         width, height);

      show_toast (self, message);
    }
}

static void
export_chosen_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(InpMaskCanvas) self = user_data;
  g_autoptr(GFile) file = inp_file_dialog_run_finish (result, NULL);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  self->choosing = FALSE;
  if (file == NULL || self->mask == NULL)
    return;

  png = inp_mask_save_png_bytes (self->mask, inp_mask_get_width (self->mask),
                                 inp_mask_get_height (self->mask), &error);
  if (png == NULL ||
      !g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The mask could not be saved: %s"),
                                                  error->message);

      show_toast (self, message);
      return;
    }

  show_toast (self, _("Mask saved"));
}

static void
import_chosen_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(InpMaskCanvas) self = user_data;
  g_autoptr(GFile) file = inp_file_dialog_run_finish (result, NULL);

  self->choosing = FALSE;
  if (file != NULL && self->mask != NULL)
    _inp_mask_canvas_import_mask_file_async (self, file, import_done_cb, NULL);
}

/* Actions */

static gboolean
ready_for_operation (InpMaskCanvas *self)
{
  return self->mask != NULL && self->mode == MODE_NONE;
}

static void
undo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  InpMaskCanvas *self = user_data;

  if (ready_for_operation (self) && inp_mask_undo (self->mask))
    mask_step_done (self);
}

static void
redo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  InpMaskCanvas *self = user_data;

  if (ready_for_operation (self) && inp_mask_redo (self->mask))
    mask_step_done (self);
}

static void
operation_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  InpMaskCanvas *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (!ready_for_operation (self))
    return;

  if (g_str_equal (name, "invert"))
    inp_mask_invert (self->mask);
  else if (g_str_equal (name, "clear"))
    inp_mask_clear (self->mask);
  else if (g_str_equal (name, "fill"))
    inp_mask_fill (self->mask);
  else if (g_str_equal (name, "grow"))
    inp_mask_grow (self->mask, self->edge_amount);
  else if (g_str_equal (name, "shrink"))
    inp_mask_shrink (self->mask, self->edge_amount);
  else if (g_str_equal (name, "feather"))
    inp_mask_feather (self->mask, self->edge_amount);
  else if (g_str_equal (name, "mask-from-alpha"))
    {
      g_autoptr(GError) error = NULL;

      if (!inp_mask_set_from_alpha (self->mask, self->pixbuf, &error))
        {
          show_toast (self, error->message);
          return;
        }
    }
  else
    g_assert_not_reached ();

  mask_step_done (self);
}

/**
 * inp_mask_canvas_extend:
 * @side: "left", "right", "top", "bottom" or "all"
 *
 * Adds #InpMaskCanvas:extend-amount pixels on @side: the new area takes the edge colours and is
 * masked, so that a model paints it. Undoable. Unlike the `canvas.extend` action, this does not
 * ask #InpMaskCanvas::extend-requested first.
 */
void
inp_mask_canvas_extend (InpMaskCanvas *self,
                        const char    *side)
{
  int n;
  int left = 0, top = 0, right = 0, bottom = 0;
  g_autoptr(GdkPixbuf) extended = NULL;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));
  g_return_if_fail (side != NULL);

  n = self->extend_amount;
  if (!ready_for_operation (self))
    return;

  if (g_str_equal (side, "left") || g_str_equal (side, "all"))
    left = n;
  if (g_str_equal (side, "right") || g_str_equal (side, "all"))
    right = n;
  if (g_str_equal (side, "top") || g_str_equal (side, "all"))
    top = n;
  if (g_str_equal (side, "bottom") || g_str_equal (side, "all"))
    bottom = n;
  if (left + top + right + bottom == 0)
    return;

  extended = inp_pixbuf_extend (self->pixbuf, left, top, right, bottom);
  if (extended == NULL)
    {
      show_toast (self, _("There is not enough memory to extend the picture"));
      return;
    }

  /* A new extension forgets the pictures that could have been redone. */
  g_ptr_array_set_size (self->history, self->history_pos + 1);
  g_ptr_array_add (self->history, g_object_ref (extended));
  self->history_pos = self->history->len - 1;

  /* The view keeps showing the same part of the picture where it was. */
  self->origin_x -= left * self->zoom;
  self->origin_y -= top * self->zoom;
  set_current_pixbuf (self, extended, NULL);
  inp_mask_extend (self->mask, left, top, right, bottom);
  if (self->fit)
    apply_fit (self);
  mask_step_done (self);
}

static void
extend_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  InpMaskCanvas *self = user_data;
  const char *side = g_variant_get_string (parameter, NULL);
  gboolean handled = FALSE;

  /* A model that extends pictures itself (flux-fill-pro's outpaint presets) may take over. */
  g_signal_emit (self, signals[SIGNAL_EXTEND_REQUESTED], 0, side, &handled);
  if (!handled)
    inp_mask_canvas_extend (self, side);
}

static void
tool_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  InpMaskCanvas *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  GEnumValue *value;

  if (g_str_equal (name, "tool"))
    name = g_variant_get_string (parameter, NULL);
  else
    name += strlen ("tool-");

  value = g_enum_get_value_by_nick (g_type_class_peek (INP_TYPE_CANVAS_TOOL), name);
  if (value != NULL)
    inp_mask_canvas_set_tool (self, value->value);
}

static void
view_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  InpMaskCanvas *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (self->pixbuf == NULL)
    return;

  if (g_str_equal (name, "zoom-in"))
    zoom_by (self, M_SQRT2);
  else if (g_str_equal (name, "zoom-out"))
    zoom_by (self, M_SQRT1_2);
  else if (g_str_equal (name, "zoom-fit"))
    inp_mask_canvas_zoom_fit (self);
  else if (g_str_equal (name, "zoom-1to1"))
    zoom_by (self, 1.0 / self->zoom);
  else if (g_str_equal (name, "brush-bigger"))
    inp_mask_canvas_set_brush_size (self, MAX (inp_mask_canvas_get_brush_size (self) * 1.25,
                                               inp_mask_canvas_get_brush_size (self) + 1));
  else if (g_str_equal (name, "brush-smaller"))
    inp_mask_canvas_set_brush_size (self, MIN (inp_mask_canvas_get_brush_size (self) / 1.25,
                                               inp_mask_canvas_get_brush_size (self) - 1));
  else
    g_assert_not_reached ();
}

static void
toggle_mask_view_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  InpMaskCanvas *self = user_data;

  inp_mask_canvas_set_show_mask (self, !self->show_mask);
}

static void
file_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  InpMaskCanvas *self = user_data;

  if (!ready_for_operation (self))
    return;

  if (self->choosing)
    return;

  self->choosing = TRUE;
  if (g_str_equal (g_action_get_name (G_ACTION (action)), "export-mask"))
    inp_file_dialog_run_async (GTK_WIDGET (self), GTK_FILE_CHOOSER_ACTION_SAVE, _("Export Mask"),
                               _("_Export"),
                               /* Translators: the file name an exported mask gets; keep “.png” */
                               _("mask.png"), self->cancellable, export_chosen_cb,
                               g_object_ref (self));
  else
    inp_file_dialog_run_async (GTK_WIDGET (self), GTK_FILE_CHOOSER_ACTION_OPEN, _("Import Mask"),
                               _("_Import"), NULL, self->cancellable, import_chosen_cb,
                               g_object_ref (self));
}

static const GActionEntry canvas_actions[] = {
  { "undo", undo_activated },
  { "redo", redo_activated },
  { "invert", operation_activated },
  { "clear", operation_activated },
  { "fill", operation_activated },
  { "grow", operation_activated },
  { "shrink", operation_activated },
  { "feather", operation_activated },
  { "mask-from-alpha", operation_activated },
  { "extend", extend_activated, "s" },
  { "tool", tool_activated, "s", "'brush'" },
  { "tool-brush", tool_activated },
  { "tool-eraser", tool_activated },
  { "tool-rectangle", tool_activated },
  { "tool-ellipse", tool_activated },
  { "tool-lasso", tool_activated },
  { "zoom-in", view_activated },
  { "zoom-out", view_activated },
  { "zoom-fit", view_activated },
  { "zoom-1to1", view_activated },
  { "brush-bigger", view_activated },
  { "brush-smaller", view_activated },
  { "toggle-mask-view", toggle_mask_view_activated, NULL, "false" },
  { "import-mask", file_activated },
  { "export-mask", file_activated },
};

static void
set_enabled (InpMaskCanvas *self,
             const char    *name,
             gboolean       enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (InpMaskCanvas *self)
{
  gboolean has_image = self->mask != NULL;
  gboolean has_mask = has_image && !inp_mask_is_empty (self->mask);

  for (guint i = 0; i < G_N_ELEMENTS (canvas_actions); i++)
    set_enabled (self, canvas_actions[i].name, has_image);

  set_enabled (self, "undo", has_image && inp_mask_can_undo (self->mask));
  set_enabled (self, "redo", has_image && inp_mask_can_redo (self->mask));
  set_enabled (self, "clear", has_mask);
  set_enabled (self, "grow", has_mask);
  set_enabled (self, "shrink", has_mask);
  set_enabled (self, "feather", has_mask);
  set_enabled (self, "export-mask", has_image);
  set_enabled (self, "mask-from-alpha", has_image && gdk_pixbuf_get_has_alpha (self->pixbuf));
}

/* Export */

typedef struct
{
  GdkPixbuf   *pixbuf;
  guint8      *mask;
  int          width;
  int          height;
  int          target_width;
  int          target_height;
  InpMaskRect  bounds;
  gboolean     has_bounds;
  GBytes      *image_png;
  GBytes      *mask_png;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->pixbuf);
  g_free (data->mask);
  g_clear_pointer (&data->image_png, g_bytes_unref);
  g_clear_pointer (&data->mask_png, g_bytes_unref);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  /* One transform for both, so that the mask stays on the pixels it was painted on. */
  if (data->target_width != data->width || data->target_height != data->height)
    scaled = gdk_pixbuf_scale_simple (data->pixbuf, data->target_width, data->target_height,
                                      GDK_INTERP_BILINEAR);
  else
    scaled = g_object_ref (data->pixbuf);

  if (scaled == NULL)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("There is not enough memory to scale the picture"));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!gdk_pixbuf_save_to_buffer (scaled, &buffer, &size, "png", &error, NULL))
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_FAILED,
                               _("The picture could not be encoded: %s"), error->message);
      return;
    }
  data->image_png = g_bytes_new_take (buffer, size);

  data->mask_png = inp_grey_png_encode_scaled (data->mask, data->width, data->height,
                                               data->target_width, data->target_height, &error);
  if (data->mask_png == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * inp_mask_canvas_export_async:
 * @target_width: @target_height: the size the model needs (see inp-image for its rules)
 *
 * Encodes the picture and the mask as PNG files resized to the target size with the same
 * transform, off the main thread. The state is taken now; painting meanwhile does not change it.
 */
void
inp_mask_canvas_export_async (InpMaskCanvas       *self,
                              int                  target_width,
                              int                  target_height,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;
  InpMaskRect all;

  g_return_if_fail (INP_IS_MASK_CANVAS (self));
  g_return_if_fail (target_width > 0 && target_height > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_mask_canvas_export_async);

  if (self->pixbuf == NULL)
    {
      g_task_return_new_error (task, INP_ERROR, INP_ERROR_INVALID_INPUT,
                               _("No picture is open"));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->pixbuf = g_object_ref (self->pixbuf);
  data->width = image_width (self);
  data->height = image_height (self);
  data->target_width = target_width;
  data->target_height = target_height;
  data->mask = g_malloc ((gsize) data->width * data->height);
  all = (InpMaskRect) { 0, 0, data->width, data->height };
  inp_mask_read_rect (self->mask, &all, data->mask, data->width);

  if (inp_mask_get_bounds (self->mask, &data->bounds))
    {
      double sx = (double) target_width / data->width;
      double sy = (double) target_height / data->height;
      int x0 = (int) floor (data->bounds.x * sx);
      int y0 = (int) floor (data->bounds.y * sy);
      int x1 = MIN (target_width, (int) ceil ((data->bounds.x + data->bounds.width) * sx));
      int y1 = MIN (target_height, (int) ceil ((data->bounds.y + data->bounds.height) * sy));

      data->bounds = (InpMaskRect) { x0, y0, x1 - x0, y1 - y0 };
      data->has_bounds = TRUE;
    }

  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * inp_mask_canvas_export_finish:
 * @image_png: (out) (optional): the picture as PNG
 * @mask_png: (out) (optional): the mask as 8-bit grey PNG, white where to repaint
 * @mask_bounds: (out) (optional): the masked area in target pixels; empty when nothing is masked
 */
gboolean
inp_mask_canvas_export_finish (InpMaskCanvas  *self,
                               GAsyncResult   *result,
                               GBytes        **image_png,
                               GBytes        **mask_png,
                               InpMaskRect    *mask_bounds,
                               GError        **error)
{
  ExportData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  if (image_png != NULL)
    *image_png = g_bytes_ref (data->image_png);
  if (mask_png != NULL)
    *mask_png = g_bytes_ref (data->mask_png);
  if (mask_bounds != NULL)
    *mask_bounds = data->has_bounds ? data->bounds : (InpMaskRect) { 0, 0, 0, 0 };

  return TRUE;
}

/* GObject */

static void
inp_mask_canvas_dispose (GObject *object)
{
  InpMaskCanvas *self = INP_MASK_CANVAS (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->a11y_idle_id, g_source_remove);

  if (self->mode == MODE_STROKE)
    inp_mask_end_stroke (self->mask);
  self->mode = MODE_NONE;

  gtk_widget_insert_action_group (GTK_WIDGET (self), "canvas", NULL);
  g_clear_object (&self->actions);
  set_mask (self, NULL);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->image_bytes, g_bytes_unref);
  g_clear_object (&self->pixbuf);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->history, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_MASK_CANVAS);

  G_OBJECT_CLASS (inp_mask_canvas_parent_class)->dispose (object);
}

static void
inp_mask_canvas_finalize (GObject *object)
{
  InpMaskCanvas *self = INP_MASK_CANVAS (object);

  g_clear_pointer (&self->lasso, g_array_unref);
  g_free (self->a11y_description);

  G_OBJECT_CLASS (inp_mask_canvas_parent_class)->finalize (object);
}

static void
inp_mask_canvas_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  InpMaskCanvas *self = INP_MASK_CANVAS (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      g_value_set_object (value, inp_mask_canvas_get_image (self));
      break;

    case PROP_MASK:
      g_value_set_object (value, self->mask);
      break;

    case PROP_IS_MASK_EMPTY:
      g_value_set_boolean (value, inp_mask_canvas_is_mask_empty (self));
      break;

    case PROP_TOOL:
      g_value_set_enum (value, self->tool);
      break;

    case PROP_BRUSH_SIZE:
      g_value_set_double (value, inp_mask_canvas_get_brush_size (self));
      break;

    case PROP_HARDNESS:
      g_value_set_double (value, self->hardness);
      break;

    case PROP_OPACITY:
      g_value_set_double (value, self->opacity);
      break;

    case PROP_OVERLAY_COLOR:
      g_value_set_boxed (value, &self->overlay_color);
      break;

    case PROP_SHOW_MASK:
      g_value_set_boolean (value, self->show_mask);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_EDGE_AMOUNT:
      g_value_set_int (value, self->edge_amount);
      break;

    case PROP_EXTEND_AMOUNT:
      g_value_set_int (value, self->extend_amount);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_mask_canvas_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  InpMaskCanvas *self = INP_MASK_CANVAS (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      inp_mask_canvas_set_image (self, g_value_get_object (value));
      break;

    case PROP_TOOL:
      inp_mask_canvas_set_tool (self, g_value_get_enum (value));
      break;

    case PROP_BRUSH_SIZE:
      inp_mask_canvas_set_brush_size (self, g_value_get_double (value));
      break;

    case PROP_HARDNESS:
      inp_mask_canvas_set_hardness (self, g_value_get_double (value));
      break;

    case PROP_OPACITY:
      inp_mask_canvas_set_opacity (self, g_value_get_double (value));
      break;

    case PROP_OVERLAY_COLOR:
      if (g_value_get_boxed (value) != NULL)
        inp_mask_canvas_set_overlay_color (self, g_value_get_boxed (value));
      break;

    case PROP_SHOW_MASK:
      inp_mask_canvas_set_show_mask (self, g_value_get_boolean (value));
      break;

    case PROP_EDGE_AMOUNT:
      if (self->edge_amount != g_value_get_int (value))
        {
          self->edge_amount = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_EXTEND_AMOUNT:
      if (self->extend_amount != g_value_get_int (value))
        {
          self->extend_amount = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_binding (GtkWidgetClass  *widget_class,
             guint            keyval,
             GdkModifierType  mods,
             const char      *action)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, mods, action, NULL);
}

static const struct
{
  guint       keyval;
  const char *side;
} extend_keys[] = {
  { GDK_KEY_Left, "left" },
  { GDK_KEY_Right, "right" },
  { GDK_KEY_Up, "top" },
  { GDK_KEY_Down, "bottom" },
  { GDK_KEY_Home, "all" },
};

static void
inp_mask_canvas_class_init (InpMaskCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GdkModifierType ctrl_shift = GDK_CONTROL_MASK | GDK_SHIFT_MASK;

  object_class->dispose = inp_mask_canvas_dispose;
  object_class->finalize = inp_mask_canvas_finalize;
  object_class->get_property = inp_mask_canvas_get_property;
  object_class->set_property = inp_mask_canvas_set_property;
  widget_class->snapshot = inp_mask_canvas_snapshot;
  widget_class->size_allocate = inp_mask_canvas_size_allocate;
  widget_class->measure = inp_mask_canvas_measure;

  properties[PROP_IMAGE] =
    g_param_spec_object ("image", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MASK] =
    g_param_spec_object ("mask", NULL, NULL, INP_TYPE_MASK,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_MASK_EMPTY] =
    g_param_spec_boolean ("is-mask-empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_enum ("tool", NULL, NULL, INP_TYPE_CANVAS_TOOL, INP_CANVAS_TOOL_BRUSH,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BRUSH_SIZE] =
    g_param_spec_double ("brush-size", NULL, NULL, 1.0, 2000.0, 64.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HARDNESS] =
    g_param_spec_double ("hardness", NULL, NULL, 0.0, 1.0, 0.7,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPACITY] =
    g_param_spec_double ("opacity", NULL, NULL, 0.01, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OVERLAY_COLOR] =
    g_param_spec_boxed ("overlay-color", NULL, NULL, GDK_TYPE_RGBA,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_MASK] =
    g_param_spec_boolean ("show-mask", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         INP_MASK_CANVAS_MIN_ZOOM, INP_MASK_CANVAS_MAX_ZOOM, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDGE_AMOUNT] =
    g_param_spec_int ("edge-amount", NULL, NULL, 1, 500, 8,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTEND_AMOUNT] =
    g_param_spec_int ("extend-amount", NULL, NULL, 1, 4096, 256,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InpMaskCanvas::mask-changed:
   *
   * Emitted once per finished stroke or operation, including undo and redo.
   */
  signals[SIGNAL_MASK_CHANGED] =
    g_signal_new ("mask-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * InpMaskCanvas::extend-requested:
   * @side: "left", "right", "top", "bottom" or "all"
   *
   * Emitted when the user asks to extend the canvas, before anything changes. A handler that
   * returns %TRUE has dealt with it (for example by choosing a model's own outpaint preset), and
   * the canvas is left as it is; inp_mask_canvas_extend() extends it regardless.
   */
  signals[SIGNAL_EXTEND_REQUESTED] =
    g_signal_new ("extend-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-mask-canvas.ui");
  gtk_widget_class_bind_template_child (widget_class, InpMaskCanvas, drag);
  gtk_widget_class_bind_template_child (widget_class, InpMaskCanvas, stylus);
  gtk_widget_class_bind_template_callback (widget_class, drag_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_update_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_end_cb);
  gtk_widget_class_bind_template_callback (widget_class, stylus_down_cb);
  gtk_widget_class_bind_template_callback (widget_class, stylus_motion_cb);
  gtk_widget_class_bind_template_callback (widget_class, stylus_up_cb);
  gtk_widget_class_bind_template_callback (widget_class, motion_cb);
  gtk_widget_class_bind_template_callback (widget_class, leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, scroll_cb);
  gtk_widget_class_bind_template_callback (widget_class, pinch_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, pinch_scale_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_released_cb);
  gtk_widget_class_bind_template_callback (widget_class, focus_leave_cb);

  gtk_widget_class_set_css_name (widget_class, "inpmaskcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  /* The keys act while the canvas has focus, so the prompt keeps its own Ctrl+Z. */
  add_binding (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "canvas.undo");
  add_binding (widget_class, GDK_KEY_z, ctrl_shift, "canvas.redo");
  add_binding (widget_class, GDK_KEY_Z, ctrl_shift, "canvas.redo");
  add_binding (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "canvas.redo");
  add_binding (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "canvas.invert");
  add_binding (widget_class, GDK_KEY_Delete, 0, "canvas.clear");
  add_binding (widget_class, GDK_KEY_BackSpace, 0, "canvas.clear");
  add_binding (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "canvas.fill");
  add_binding (widget_class, GDK_KEY_bracketright, GDK_CONTROL_MASK, "canvas.grow");
  add_binding (widget_class, GDK_KEY_bracketleft, GDK_CONTROL_MASK, "canvas.shrink");
  add_binding (widget_class, GDK_KEY_f, ctrl_shift, "canvas.feather");
  add_binding (widget_class, GDK_KEY_F, ctrl_shift, "canvas.feather");
  add_binding (widget_class, GDK_KEY_t, ctrl_shift, "canvas.mask-from-alpha");
  add_binding (widget_class, GDK_KEY_T, ctrl_shift, "canvas.mask-from-alpha");
  add_binding (widget_class, GDK_KEY_o, ctrl_shift, "canvas.import-mask");
  add_binding (widget_class, GDK_KEY_O, ctrl_shift, "canvas.import-mask");
  add_binding (widget_class, GDK_KEY_s, ctrl_shift, "canvas.export-mask");
  add_binding (widget_class, GDK_KEY_S, ctrl_shift, "canvas.export-mask");
  add_binding (widget_class, GDK_KEY_b, 0, "canvas.tool-brush");
  add_binding (widget_class, GDK_KEY_e, 0, "canvas.tool-eraser");
  add_binding (widget_class, GDK_KEY_r, 0, "canvas.tool-rectangle");
  add_binding (widget_class, GDK_KEY_o, 0, "canvas.tool-ellipse");
  add_binding (widget_class, GDK_KEY_l, 0, "canvas.tool-lasso");
  add_binding (widget_class, GDK_KEY_m, 0, "canvas.toggle-mask-view");
  add_binding (widget_class, GDK_KEY_bracketright, 0, "canvas.brush-bigger");
  add_binding (widget_class, GDK_KEY_bracketleft, 0, "canvas.brush-smaller");
  add_binding (widget_class, GDK_KEY_plus, 0, "canvas.zoom-in");
  add_binding (widget_class, GDK_KEY_equal, 0, "canvas.zoom-in");
  add_binding (widget_class, GDK_KEY_KP_Add, 0, "canvas.zoom-in");
  add_binding (widget_class, GDK_KEY_minus, 0, "canvas.zoom-out");
  add_binding (widget_class, GDK_KEY_KP_Subtract, 0, "canvas.zoom-out");
  add_binding (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "canvas.zoom-fit");
  add_binding (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "canvas.zoom-1to1");
  add_binding (widget_class, GDK_KEY_1, 0, "canvas.zoom-1to1");

  /* Shift+Ctrl+arrow extends the canvas on that side, for outpainting. */
  for (guint i = 0; i < G_N_ELEMENTS (extend_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, extend_keys[i].keyval, ctrl_shift,
                                         "canvas.extend", "s", extend_keys[i].side);
}

static void
inp_mask_canvas_init (InpMaskCanvas *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                       (GDestroyNotify) view_tile_free);
  self->history = g_ptr_array_new_with_free_func (g_object_unref);
  self->lasso = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  self->cancellable = g_cancellable_new ();
  self->sizes[0] = 64.0;
  self->sizes[1] = 64.0;
  self->hardness = 0.7;
  self->opacity = 1.0;
  self->zoom = 1.0;
  self->fit = TRUE;
  self->was_empty = TRUE;
  self->edge_amount = 8;
  self->extend_amount = 256;
  /* A saturated red at half strength reads on white, on black and on skin alike. */
  self->overlay_color = (GdkRGBA) { 0.88f, 0.11f, 0.14f, 0.55f };
  build_lut (self);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), canvas_actions,
                                   G_N_ELEMENTS (canvas_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "canvas", G_ACTION_GROUP (self->actions));

  update_actions (self);
  update_a11y (self);
}
