/* inp-mask.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "inp-error.h"
#include "inp-mask.h"

#define TILE INP_MASK_TILE_SIZE
#define TILE_BYTES (TILE * TILE)

/* A tile whose data is NULL has every pixel equal to fill: empty and filled areas cost nothing. */
typedef struct
{
  guint8  *data;
  guint8   fill;
  guint32  n_nonzero;
  guint32  n_set;
} Tile;

/* A tile as it was before a step, packed with PackBits; packed == NULL means uniform fill. */
typedef struct
{
  guint    index;
  guint8   fill;
  guint8  *packed;
  gsize    packed_len;
} SavedTile;

/* One undo step: either changed tiles, or a whole grid of another size (extend). */
typedef struct
{
  GArray  *tiles;
  Tile    *grid;
  int      width;
  int      height;
  gsize    bytes;
} Step;

/* What a tile was when the current stroke or operation first touched it. */
typedef struct
{
  gboolean  touched;
  guint8    orig_fill;
  guint8   *orig;
  guint8   *alpha;
} TxnTile;

struct _InpMask
{
  GObject    parent_instance;

  int        width;
  int        height;
  int        n_tx;
  int        n_ty;
  Tile      *tiles;
  guint64    total_nonzero;
  guint64    total_set;

  /* The open transaction (a stroke or an operation). */
  TxnTile   *txn;
  GArray    *txn_touched;
  gboolean   in_stroke;
  InpBrush   brush;
  gboolean   has_last;
  double     last_x;
  double     last_y;
  double     last_pressure;
  double     residual;

  GQueue     undo;
  GQueue     redo;
  gsize      undo_bytes;
  gsize      undo_limit;

  gboolean   was_empty;
  gboolean   could_undo;
  gboolean   could_redo;
};

G_DEFINE_FINAL_TYPE (InpMask, inp_mask, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_IS_EMPTY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* PackBits: a header n < 128 copies n + 1 literal bytes, n >= 128 repeats the next byte n - 125
 * times. Masks are mostly long runs, so a tile usually packs into a few hundred bytes. */
static guint8 *
pack_bits (const guint8 *src,
           gsize         len,
           gsize        *out_len)
{
  guint8 *out = g_malloc (len + len / 128 + 2);
  gsize o = 0;
  gsize i = 0;

  while (i < len)
    {
      gsize run = 1;

      while (i + run < len && run < 130 && src[i + run] == src[i])
        run++;

      if (run >= 3)
        {
          out[o++] = (guint8) (run + 125);
          out[o++] = src[i];
          i += run;
        }
      else
        {
          gsize start = i;
          gsize n = 0;

          while (i < len && n < 128)
            {
              if (i + 2 < len && src[i] == src[i + 1] && src[i] == src[i + 2])
                break;
              i++;
              n++;
            }
          out[o++] = (guint8) (n - 1);
          memcpy (out + o, src + start, n);
          o += n;
        }
    }

  *out_len = o;
  return g_realloc (out, o);
}

static void
unpack_bits (const guint8 *src,
             gsize         len,
             guint8       *dest)
{
  gsize i = 0;
  gsize o = 0;

  while (i < len)
    {
      guint8 n = src[i++];

      if (n < 128)
        {
          memcpy (dest + o, src + i, n + 1);
          i += n + 1;
          o += n + 1;
        }
      else
        {
          memset (dest + o, src[i++], n - 125);
          o += n - 125;
        }
    }

  g_assert (o == TILE_BYTES);
}

static void
grid_free (Tile *grid,
           int   n)
{
  for (int i = 0; i < n; i++)
    g_free (grid[i].data);
  g_free (grid);
}

static void
step_free (Step *step)
{
  if (step->tiles != NULL)
    {
      for (guint i = 0; i < step->tiles->len; i++)
        g_free (g_array_index (step->tiles, SavedTile, i).packed);
      g_array_unref (step->tiles);
    }
  if (step->grid != NULL)
    grid_free (step->grid, ((step->width + TILE - 1) / TILE) * ((step->height + TILE - 1) / TILE));
  g_free (step);
}

static inline int
tile_index (InpMask *self,
            int      tx,
            int      ty)
{
  return ty * self->n_tx + tx;
}

/* The part of tile @index that lies inside the image. */
static void
tile_extent (InpMask *self,
             int      index,
             int     *w,
             int     *h)
{
  int tx = index % self->n_tx;
  int ty = index / self->n_tx;

  *w = MIN (TILE, self->width - tx * TILE);
  *h = MIN (TILE, self->height - ty * TILE);
}

static void
tile_recount (InpMask *self,
              int      index)
{
  Tile *tile = &self->tiles[index];
  guint32 nonzero = 0;
  guint32 set = 0;
  int w, h;

  tile_extent (self, index, &w, &h);
  self->total_nonzero -= tile->n_nonzero;
  self->total_set -= tile->n_set;

  if (tile->data == NULL)
    {
      nonzero = tile->fill > 0 ? (guint32) (w * h) : 0;
      set = tile->fill >= 128 ? (guint32) (w * h) : 0;
    }
  else
    {
      gboolean all_full = TRUE;

      for (int y = 0; y < h; y++)
        {
          const guint8 *row = tile->data + y * TILE;

          for (int x = 0; x < w; x++)
            {
              nonzero += row[x] != 0;
              set += row[x] >= 128;
              all_full &= row[x] == 255;
            }
        }

      /* Collapse uniform tiles back, so cleared or filled areas free their memory. */
      if (nonzero == 0 || all_full)
        {
          tile->fill = nonzero == 0 ? 0 : 255;
          g_clear_pointer (&tile->data, g_free);
        }
    }

  tile->n_nonzero = nonzero;
  tile->n_set = set;
  self->total_nonzero += nonzero;
  self->total_set += set;
}

static void
recount_all (InpMask *self)
{
  self->total_nonzero = 0;
  self->total_set = 0;
  for (int i = 0; i < self->n_tx * self->n_ty; i++)
    {
      self->tiles[i].n_nonzero = 0;
      self->tiles[i].n_set = 0;
      tile_recount (self, i);
    }
}

static void
notify_state (InpMask *self)
{
  gboolean empty = self->total_nonzero == 0;
  gboolean can_undo = self->undo.length > 0;
  gboolean can_redo = self->redo.length > 0;

  if (empty != self->was_empty)
    {
      self->was_empty = empty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_EMPTY]);
    }
  if (can_undo != self->could_undo)
    {
      self->could_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->could_redo)
    {
      self->could_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
}

static void
emit_changed (InpMask *self,
              int      x0,
              int      y0,
              int      x1,
              int      y1)
{
  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, self->width);
  y1 = MIN (y1, self->height);
  if (x1 > x0 && y1 > y0)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0, x0, y0, x1 - x0, y1 - y0);
}

static void
trim_undo (InpMask *self)
{
  while (self->undo_bytes > self->undo_limit && self->undo.length > 0)
    {
      Step *oldest = g_queue_pop_tail (&self->undo);

      self->undo_bytes -= oldest->bytes;
      g_debug ("mask: dropped the oldest undo step (%zu bytes) to stay under %zu",
               oldest->bytes, self->undo_limit);
      step_free (oldest);
    }
}

static void
clear_queue (InpMask *self,
             GQueue  *queue)
{
  Step *step;

  while ((step = g_queue_pop_head (queue)) != NULL)
    {
      self->undo_bytes -= step->bytes;
      step_free (step);
    }
}

static void
push_step (InpMask *self,
           Step    *step)
{
  clear_queue (self, &self->redo);
  g_queue_push_head (&self->undo, step);
  self->undo_bytes += step->bytes;
  trim_undo (self);
}

static void
txn_begin (InpMask *self)
{
  g_assert (self->txn == NULL);

  self->txn = g_new0 (TxnTile, self->n_tx * self->n_ty);
  self->txn_touched = g_array_new (FALSE, FALSE, sizeof (int));
}

/* Remembers tile @index as it was, and gives it its own pixels when @materialise is set. */
static Tile *
txn_touch (InpMask  *self,
           int       index,
           gboolean  materialise)
{
  Tile *tile = &self->tiles[index];
  TxnTile *t = &self->txn[index];

  if (!t->touched)
    {
      t->touched = TRUE;
      t->orig_fill = tile->fill;
      t->orig = tile->data != NULL ? g_memdup2 (tile->data, TILE_BYTES) : NULL;
      g_array_append_val (self->txn_touched, index);
    }

  if (materialise && tile->data == NULL)
    {
      tile->data = g_malloc (TILE_BYTES);
      memset (tile->data, tile->fill, TILE_BYTES);
    }

  return tile;
}

static void
txn_end (InpMask *self)
{
  Step *step = g_new0 (Step, 1);

  g_assert (self->txn != NULL);

  step->tiles = g_array_new (FALSE, FALSE, sizeof (SavedTile));

  for (guint i = 0; i < self->txn_touched->len; i++)
    {
      int index = g_array_index (self->txn_touched, int, i);
      TxnTile *t = &self->txn[index];
      Tile *tile = &self->tiles[index];
      gboolean same;

      if (t->orig == NULL && tile->data == NULL)
        same = t->orig_fill == tile->fill;
      else if (t->orig != NULL && tile->data != NULL)
        same = memcmp (t->orig, tile->data, TILE_BYTES) == 0;
      else
        {
          const guint8 *data = t->orig != NULL ? t->orig : tile->data;
          guint8 fill = t->orig != NULL ? tile->fill : t->orig_fill;

          same = data[0] == fill && memcmp (data, data + 1, TILE_BYTES - 1) == 0;
        }

      if (!same)
        {
          SavedTile saved = { index, t->orig_fill, NULL, 0 };

          if (t->orig != NULL)
            saved.packed = pack_bits (t->orig, TILE_BYTES, &saved.packed_len);
          step->bytes += saved.packed_len + sizeof (SavedTile);
          g_array_append_val (step->tiles, saved);
          tile_recount (self, index);
        }

      g_free (t->orig);
      g_free (t->alpha);
    }

  g_clear_pointer (&self->txn, g_free);
  g_clear_pointer (&self->txn_touched, g_array_unref);

  if (step->tiles->len > 0)
    push_step (self, step);
  else
    step_free (step);

  notify_state (self);
}

static void
inp_mask_finalize (GObject *object)
{
  InpMask *self = INP_MASK (object);

  if (self->txn != NULL)
    {
      for (guint i = 0; i < self->txn_touched->len; i++)
        {
          TxnTile *t = &self->txn[g_array_index (self->txn_touched, int, i)];

          g_free (t->orig);
          g_free (t->alpha);
        }
      g_free (self->txn);
      g_array_unref (self->txn_touched);
    }

  clear_queue (self, &self->undo);
  clear_queue (self, &self->redo);

  for (int i = 0; i < self->n_tx * self->n_ty; i++)
    g_free (self->tiles[i].data);
  g_free (self->tiles);

  G_OBJECT_CLASS (inp_mask_parent_class)->finalize (object);
}

static void
inp_mask_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  InpMask *self = INP_MASK (object);

  switch (prop_id)
    {
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;

    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;

    case PROP_IS_EMPTY:
      g_value_set_boolean (value, inp_mask_is_empty (self));
      break;

    case PROP_CAN_UNDO:
      g_value_set_boolean (value, inp_mask_can_undo (self));
      break;

    case PROP_CAN_REDO:
      g_value_set_boolean (value, inp_mask_can_redo (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_mask_class_init (InpMaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_mask_finalize;
  object_class->get_property = inp_mask_get_property;

  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_EMPTY] =
    g_param_spec_boolean ("is-empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InpMask::changed:
   * @x: @y: @width: @height: the changed area, in image pixels
   *
   * Emitted whenever pixels change, including through undo and redo.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
}

static void
inp_mask_init (InpMask *self)
{
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
  self->undo_limit = INP_MASK_DEFAULT_UNDO_LIMIT;
  self->was_empty = TRUE;
}

static void
set_size (InpMask *self,
          int      width,
          int      height)
{
  self->width = width;
  self->height = height;
  self->n_tx = (width + TILE - 1) / TILE;
  self->n_ty = (height + TILE - 1) / TILE;
}

/**
 * inp_mask_new:
 * @width: @height: the image's size in pixels
 *
 * Returns: (transfer full): an empty mask: every pixel is kept.
 */
InpMask *
inp_mask_new (int width,
              int height)
{
  InpMask *self;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  self = g_object_new (INP_TYPE_MASK, NULL);
  set_size (self, width, height);
  self->tiles = g_new0 (Tile, self->n_tx * self->n_ty);

  return self;
}

int
inp_mask_get_width (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), 0);

  return self->width;
}

int
inp_mask_get_height (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), 0);

  return self->height;
}

guint8
inp_mask_get_pixel (InpMask *self,
                    int      x,
                    int      y)
{
  const Tile *tile;

  g_return_val_if_fail (INP_IS_MASK (self), 0);

  if (x < 0 || y < 0 || x >= self->width || y >= self->height)
    return 0;

  tile = &self->tiles[tile_index (self, x / TILE, y / TILE)];
  if (tile->data == NULL)
    return tile->fill;

  return tile->data[(y % TILE) * TILE + x % TILE];
}

/**
 * inp_mask_peek_tile:
 * @fill: (out): the value of every pixel when the tile has no pixels of its own
 *
 * Returns: (nullable) (transfer none): the tile's TILE_SIZE × TILE_SIZE pixels, or %NULL when
 *   the tile is uniform; valid until the mask next changes.
 */
const guint8 *
inp_mask_peek_tile (InpMask *self,
                    int      tile_x,
                    int      tile_y,
                    guint8  *fill)
{
  const Tile *tile;

  g_return_val_if_fail (INP_IS_MASK (self), NULL);
  g_return_val_if_fail (tile_x >= 0 && tile_x < self->n_tx, NULL);
  g_return_val_if_fail (tile_y >= 0 && tile_y < self->n_ty, NULL);

  tile = &self->tiles[tile_index (self, tile_x, tile_y)];
  *fill = tile->fill;

  return tile->data;
}

guint
inp_mask_get_n_allocated_tiles (InpMask *self)
{
  guint n = 0;

  g_return_val_if_fail (INP_IS_MASK (self), 0);

  for (int i = 0; i < self->n_tx * self->n_ty; i++)
    n += self->tiles[i].data != NULL;

  return n;
}

/**
 * inp_mask_read_rect:
 * @rect: an area inside the image
 * @pixels: (out caller-allocates): @rect's height rows of @stride bytes
 *
 * Copies the mask's values in @rect.
 */
void
inp_mask_read_rect (InpMask           *self,
                    const InpMaskRect *rect,
                    guint8            *pixels,
                    gsize              stride)
{
  g_return_if_fail (INP_IS_MASK (self));
  g_return_if_fail (rect->x >= 0 && rect->y >= 0);
  g_return_if_fail (rect->x + rect->width <= self->width);
  g_return_if_fail (rect->y + rect->height <= self->height);

  for (int ty = rect->y / TILE; ty * TILE < rect->y + rect->height; ty++)
    for (int tx = rect->x / TILE; tx * TILE < rect->x + rect->width; tx++)
      {
        const Tile *tile = &self->tiles[tile_index (self, tx, ty)];
        int x0 = MAX (rect->x, tx * TILE);
        int x1 = MIN (rect->x + rect->width, (tx + 1) * TILE);
        int y0 = MAX (rect->y, ty * TILE);
        int y1 = MIN (rect->y + rect->height, (ty + 1) * TILE);

        for (int y = y0; y < y1; y++)
          {
            guint8 *dest = pixels + (gsize) (y - rect->y) * stride + (x0 - rect->x);

            if (tile->data == NULL)
              memset (dest, tile->fill, x1 - x0);
            else
              memcpy (dest, tile->data + (y - ty * TILE) * TILE + (x0 - tx * TILE), x1 - x0);
          }
      }
}

/* Writes @rect from @pixels inside the open transaction, touching only tiles that change. */
static void
write_rect (InpMask           *self,
            const InpMaskRect *rect,
            const guint8      *pixels,
            gsize              stride)
{
  for (int ty = rect->y / TILE; ty * TILE < rect->y + rect->height; ty++)
    for (int tx = rect->x / TILE; tx * TILE < rect->x + rect->width; tx++)
      {
        int index = tile_index (self, tx, ty);
        int x0 = MAX (rect->x, tx * TILE);
        int x1 = MIN (rect->x + rect->width, (tx + 1) * TILE);
        int y0 = MAX (rect->y, ty * TILE);
        int y1 = MIN (rect->y + rect->height, (ty + 1) * TILE);
        gboolean differs = FALSE;

        for (int y = y0; y < y1 && !differs; y++)
          {
            const guint8 *src = pixels + (gsize) (y - rect->y) * stride + (x0 - rect->x);
            const Tile *tile = &self->tiles[index];

            if (tile->data != NULL)
              differs = memcmp (src, tile->data + (y - ty * TILE) * TILE + (x0 - tx * TILE),
                                x1 - x0) != 0;
            else
              for (int x = 0; x < x1 - x0 && !differs; x++)
                differs = src[x] != tile->fill;
          }

        if (!differs)
          continue;

        txn_touch (self, index, TRUE);
        for (int y = y0; y < y1; y++)
          memcpy (self->tiles[index].data + (y - ty * TILE) * TILE + (x0 - tx * TILE),
                  pixels + (gsize) (y - rect->y) * stride + (x0 - rect->x), x1 - x0);
      }
}

gboolean
inp_mask_is_empty (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), TRUE);

  return self->total_nonzero == 0;
}

/**
 * inp_mask_get_coverage:
 *
 * Returns: the share of the image, 0–1, whose value is at least 128: what a model repaints.
 */
double
inp_mask_get_coverage (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), 0.0);

  return (double) self->total_set / ((double) self->width * self->height);
}

/**
 * inp_mask_get_bounds:
 * @bounds: (out): the smallest rectangle holding every pixel that is not 0
 *
 * Returns: %FALSE when the mask is empty.
 */
gboolean
inp_mask_get_bounds (InpMask     *self,
                     InpMaskRect *bounds)
{
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;

  g_return_val_if_fail (INP_IS_MASK (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  *bounds = (InpMaskRect) { 0, 0, 0, 0 };
  if (self->total_nonzero == 0)
    return FALSE;

  for (int i = 0; i < self->n_tx * self->n_ty; i++)
    {
      const Tile *tile = &self->tiles[i];
      int ox = (i % self->n_tx) * TILE;
      int oy = (i / self->n_tx) * TILE;
      int w, h;

      if (tile->n_nonzero == 0)
        continue;

      tile_extent (self, i, &w, &h);

      /* A tile inside the bounds found so far cannot widen them. */
      if (ox >= x0 && oy >= y0 && ox + w <= x1 && oy + h <= y1)
        continue;

      if (tile->data == NULL)
        {
          x0 = MIN (x0, ox);
          y0 = MIN (y0, oy);
          x1 = MAX (x1, ox + w);
          y1 = MAX (y1, oy + h);
          continue;
        }

      for (int y = 0; y < h; y++)
        {
          const guint8 *row = tile->data + y * TILE;
          int first = -1, last = -1;

          for (int x = 0; x < w; x++)
            if (row[x] != 0)
              {
                if (first < 0)
                  first = x;
                last = x;
              }

          if (first >= 0)
            {
              x0 = MIN (x0, ox + first);
              x1 = MAX (x1, ox + last + 1);
              y0 = MIN (y0, oy + y);
              y1 = MAX (y1, oy + y + 1);
            }
        }
    }

  *bounds = (InpMaskRect) { x0, y0, x1 - x0, y1 - y0 };
  return TRUE;
}

/* Dabs */

static inline guint8
txn_orig_pixel (const TxnTile *t,
                int            offset)
{
  return t->orig != NULL ? t->orig[offset] : t->orig_fill;
}

/* One soft round dab. Within a stroke a pixel moves towards the target by the strongest dab that
 * covered it, not the sum, so opacity is a ceiling and the dab spacing does not show. */
static void
dab (InpMask *self,
     double   cx,
     double   cy,
     double   radius,
     int     *dirty)
{
  double hardness = CLAMP (self->brush.hardness, 0.0, 1.0);
  double opacity = CLAMP (self->brush.opacity, 0.0, 1.0);
  int target = self->brush.erase ? 0 : 255;
  double inner, outer, r2, inner2, span;
  int x0, y0, x1, y1;

  /* The edge is antialiased over a pixel centred on the radius, so even a one-pixel brush
   * paints the pixel under the pointer wherever in that pixel the pointer is. */
  outer = radius + 0.5;
  inner = MAX (0.0, MIN (radius * hardness, radius - 0.5));
  r2 = outer * outer;
  inner2 = inner * inner;
  span = outer - inner;

  x0 = MAX (0, (int) floor (cx - outer));
  y0 = MAX (0, (int) floor (cy - outer));
  x1 = MIN (self->width, (int) ceil (cx + outer));
  y1 = MIN (self->height, (int) ceil (cy + outer));
  if (x1 <= x0 || y1 <= y0)
    return;

  dirty[0] = MIN (dirty[0], x0);
  dirty[1] = MIN (dirty[1], y0);
  dirty[2] = MAX (dirty[2], x1);
  dirty[3] = MAX (dirty[3], y1);

  for (int ty = y0 / TILE; ty * TILE < y1; ty++)
    for (int tx = x0 / TILE; tx * TILE < x1; tx++)
      {
        int index = tile_index (self, tx, ty);
        Tile *tile = txn_touch (self, index, TRUE);
        TxnTile *t = &self->txn[index];
        int sx0 = MAX (x0, tx * TILE), sx1 = MIN (x1, (tx + 1) * TILE);
        int sy0 = MAX (y0, ty * TILE), sy1 = MIN (y1, (ty + 1) * TILE);

        if (t->alpha == NULL)
          t->alpha = g_malloc0 (TILE_BYTES);

        for (int y = sy0; y < sy1; y++)
          {
            double dy = y + 0.5 - cy;
            double dy2 = dy * dy;
            int row = (y - ty * TILE) * TILE - tx * TILE;

            if (dy2 >= r2)
              continue;

            for (int x = sx0; x < sx1; x++)
              {
                double dx = x + 0.5 - cx;
                double d2 = dx * dx + dy2;
                double f;
                int a;
                int offset;

                if (d2 >= r2)
                  continue;

                if (d2 <= inner2)
                  f = 1.0;
                else
                  {
                    double s = (sqrt (d2) - inner) / span;

                    f = 1.0 - s * s * (3.0 - 2.0 * s);
                  }

                a = (int) (f * opacity * 255.0 + 0.5);
                offset = row + x;
                if (a > t->alpha[offset])
                  {
                    int orig = txn_orig_pixel (t, offset);
                    int rounding = target > orig ? 127 : -127;

                    t->alpha[offset] = (guint8) a;
                    tile->data[offset] = (guint8) (orig + ((target - orig) * a + rounding) / 255);
                  }
              }
          }
      }
}

static double
dab_radius (InpMask *self,
            double   pressure)
{
  return MAX (0.5, self->brush.size * CLAMP (pressure, 0.0, 1.0) / 2.0);
}


/**
 * inp_mask_begin_stroke:
 * @brush: the brush; copied
 *
 * Starts a stroke: the dabs until inp_mask_end_stroke() form one undo step.
 */
void
inp_mask_begin_stroke (InpMask        *self,
                       const InpBrush *brush)
{
  g_return_if_fail (INP_IS_MASK (self));
  g_return_if_fail (brush != NULL);
  g_return_if_fail (!self->in_stroke);

  self->brush = *brush;
  self->in_stroke = TRUE;
  self->has_last = FALSE;
  txn_begin (self);
}

gboolean
inp_mask_in_stroke (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), FALSE);

  return self->in_stroke;
}

/**
 * inp_mask_stroke_to:
 * @x: @y: the point in image pixels (pixel centres are at .5)
 * @pressure: 0–1; scales the dab's size
 *
 * Continues the stroke to a point, with dabs evenly spaced along the way.
 */
void
inp_mask_stroke_to (InpMask *self,
                    double   x,
                    double   y,
                    double   pressure)
{
  int dirty[4] = { G_MAXINT, G_MAXINT, G_MININT, G_MININT };

  g_return_if_fail (INP_IS_MASK (self));
  g_return_if_fail (self->in_stroke);

  if (!self->has_last)
    {
      dab (self, x, y, dab_radius (self, pressure), dirty);
      self->residual = 0.0;
    }
  else
    {
      double dx = x - self->last_x;
      double dy = y - self->last_y;
      double length = sqrt (dx * dx + dy * dy);
      double travelled = 0.0;

      while (TRUE)
        {
          double t, p, spacing;

          /* Spacing follows the size where the previous dab was laid down. */
          p = self->last_pressure + (pressure - self->last_pressure) *
              (length > 0 ? travelled / length : 1.0);
          spacing = MAX (0.5, dab_radius (self, p) * 0.25);
          if (travelled + spacing - self->residual > length)
            break;

          travelled += spacing - self->residual;
          self->residual = 0.0;
          t = travelled / length;
          dab (self, self->last_x + dx * t, self->last_y + dy * t,
               dab_radius (self, self->last_pressure + (pressure - self->last_pressure) * t),
               dirty);
        }
      self->residual += length - travelled;
    }

  self->has_last = TRUE;
  self->last_x = x;
  self->last_y = y;
  self->last_pressure = pressure;

  if (dirty[0] < dirty[2])
    emit_changed (self, dirty[0], dirty[1], dirty[2], dirty[3]);
}

void
inp_mask_end_stroke (InpMask *self)
{
  g_return_if_fail (INP_IS_MASK (self));
  g_return_if_fail (self->in_stroke);

  self->in_stroke = FALSE;
  txn_end (self);
}

/**
 * inp_mask_draw_line:
 *
 * Paints a straight stroke from (@x0, @y0) to (@x1, @y1) as one undo step.
 */
void
inp_mask_draw_line (InpMask        *self,
                    const InpBrush *brush,
                    double          x0,
                    double          y0,
                    double          x1,
                    double          y1)
{
  g_return_if_fail (INP_IS_MASK (self));

  inp_mask_begin_stroke (self, brush);
  inp_mask_stroke_to (self, x0, y0, 1.0);
  inp_mask_stroke_to (self, x1, y1, 1.0);
  inp_mask_end_stroke (self);
}

/* Shapes */

/* Puts coverage @cov (0–255) of @value into a pixel: adding never lowers, clearing never
 * raises. */
static inline guint8
apply_coverage (guint8 old,
                int    cov,
                guint8 value)
{
  if (value != 0)
    return (guint8) MAX (old, cov * value / 255);

  return (guint8) MIN (old, 255 - cov);
}

typedef int (*CoverageFunc) (double x, double y, gpointer data);

static int
rect_coverage (double   x,
               double   y,
               gpointer data)
{
  return 255;
}

static void
fill_shape (InpMask      *self,
            int           bx0,
            int           by0,
            int           bx1,
            int           by1,
            CoverageFunc  coverage,
            gpointer      data,
            guint8        value)
{
  g_return_if_fail (!self->in_stroke);

  bx0 = MAX (bx0, 0);
  by0 = MAX (by0, 0);
  bx1 = MIN (bx1, self->width);
  by1 = MIN (by1, self->height);
  if (bx1 <= bx0 || by1 <= by0)
    return;

  txn_begin (self);
  for (int ty = by0 / TILE; ty * TILE < by1; ty++)
    for (int tx = bx0 / TILE; tx * TILE < bx1; tx++)
      {
        int index = tile_index (self, tx, ty);
        int sx0 = MAX (bx0, tx * TILE), sx1 = MIN (bx1, (tx + 1) * TILE);
        int sy0 = MAX (by0, ty * TILE), sy1 = MIN (by1, (ty + 1) * TILE);
        int w, h;
        Tile *tile;

        /* A rectangle covering a whole tile makes it uniform without touching its pixels. */
        tile_extent (self, index, &w, &h);
        if (coverage == rect_coverage && (value == 0 || value == 255) &&
            sx1 - sx0 == w && sy1 - sy0 == h)
          {
            tile = txn_touch (self, index, FALSE);
            g_clear_pointer (&tile->data, g_free);
            tile->fill = value;
            continue;
          }

        tile = txn_touch (self, index, TRUE);

        for (int y = sy0; y < sy1; y++)
          {
            guint8 *row = tile->data + (y - ty * TILE) * TILE - tx * TILE;

            for (int x = sx0; x < sx1; x++)
              {
                int cov = coverage (x + 0.5, y + 0.5, data);

                if (cov > 0)
                  row[x] = apply_coverage (row[x], cov, value);
              }
          }
      }
  txn_end (self);
  emit_changed (self, bx0, by0, bx1, by1);
}

void
inp_mask_fill_rect (InpMask           *self,
                    const InpMaskRect *rect,
                    guint8             value)
{
  g_return_if_fail (INP_IS_MASK (self));
  g_return_if_fail (rect != NULL);

  fill_shape (self, rect->x, rect->y, rect->x + rect->width, rect->y + rect->height,
              rect_coverage, NULL, value);
}

typedef struct
{
  double cx, cy, rx, ry;
} Ellipse;

static int
ellipse_coverage (double   x,
                  double   y,
                  gpointer data)
{
  const Ellipse *e = data;
  double nx = (x - e->cx) / e->rx;
  double ny = (y - e->cy) / e->ry;
  double q = sqrt (nx * nx + ny * ny);
  /* The distance to the edge, in pixels, approximated along the nearer axis. */
  double d = (q - 1.0) * MIN (e->rx, e->ry);

  return (int) (CLAMP (0.5 - d, 0.0, 1.0) * 255.0 + 0.5);
}

void
inp_mask_fill_ellipse (InpMask           *self,
                       const InpMaskRect *rect,
                       guint8             value)
{
  Ellipse e;

  g_return_if_fail (INP_IS_MASK (self));
  g_return_if_fail (rect != NULL);

  if (rect->width <= 0 || rect->height <= 0)
    return;

  e.rx = rect->width / 2.0;
  e.ry = rect->height / 2.0;
  e.cx = rect->x + e.rx;
  e.cy = rect->y + e.ry;
  fill_shape (self, rect->x, rect->y, rect->x + rect->width, rect->y + rect->height,
              ellipse_coverage, &e, value);
}

typedef struct
{
  const double *points;
  guint         n;
} Polygon;

/* Even-odd rule at the pixel centre, so a lasso that crosses itself leaves a hole there. */
static int
polygon_coverage (double   x,
                  double   y,
                  gpointer data)
{
  const Polygon *p = data;
  gboolean inside = FALSE;

  for (guint i = 0, j = p->n - 1; i < p->n; j = i++)
    {
      double xi = p->points[2 * i], yi = p->points[2 * i + 1];
      double xj = p->points[2 * j], yj = p->points[2 * j + 1];

      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        inside = !inside;
    }

  return inside ? 255 : 0;
}

/**
 * inp_mask_fill_polygon:
 * @points: (array length=n_points): x, y pairs in image pixels
 * @n_points: the number of points (not of doubles)
 *
 * Fills or clears a freehand lasso, closing it from the last point to the first.
 */
void
inp_mask_fill_polygon (InpMask      *self,
                       const double *points,
                       guint         n_points,
                       guint8        value)
{
  Polygon p = { points, n_points };
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  g_return_if_fail (INP_IS_MASK (self));

  if (n_points < 3)
    return;

  for (guint i = 0; i < n_points; i++)
    {
      x0 = MIN (x0, points[2 * i]);
      x1 = MAX (x1, points[2 * i]);
      y0 = MIN (y0, points[2 * i + 1]);
      y1 = MAX (y1, points[2 * i + 1]);
    }

  fill_shape (self, (int) floor (x0), (int) floor (y0), (int) ceil (x1), (int) ceil (y1),
              polygon_coverage, &p, value);
}

/* Whole-mask operations */

typedef enum
{
  WHOLE_CLEAR,
  WHOLE_FILL,
  WHOLE_INVERT,
} WholeOp;

static void
whole_op (InpMask *self,
          WholeOp  op)
{
  g_return_if_fail (!self->in_stroke);

  txn_begin (self);
  for (int i = 0; i < self->n_tx * self->n_ty; i++)
    {
      Tile *tile = &self->tiles[i];

      if (op != WHOLE_INVERT && tile->data == NULL &&
          tile->fill == (op == WHOLE_FILL ? 255 : 0))
        continue;

      txn_touch (self, i, FALSE);
      switch (op)
        {
        case WHOLE_CLEAR:
        case WHOLE_FILL:
          g_clear_pointer (&tile->data, g_free);
          tile->fill = op == WHOLE_FILL ? 255 : 0;
          break;

        case WHOLE_INVERT:
          tile->fill = 255 - tile->fill;
          if (tile->data != NULL)
            for (int p = 0; p < TILE_BYTES; p++)
              tile->data[p] = 255 - tile->data[p];
          break;

        default:
          g_assert_not_reached ();
        }
    }
  txn_end (self);
  emit_changed (self, 0, 0, self->width, self->height);
}

void
inp_mask_invert (InpMask *self)
{
  g_return_if_fail (INP_IS_MASK (self));

  whole_op (self, WHOLE_INVERT);
}

void
inp_mask_clear (InpMask *self)
{
  g_return_if_fail (INP_IS_MASK (self));

  whole_op (self, WHOLE_CLEAR);
}

void
inp_mask_fill (InpMask *self)
{
  g_return_if_fail (INP_IS_MASK (self));

  whole_op (self, WHOLE_FILL);
}

/* Squared Euclidean distance transform (Meijster et al.): for every pixel of the w × h grid,
 * the squared distance to the nearest pixel where @is_source holds. Calls @apply row by row. */
typedef void (*DistanceRowFunc) (int y, const gint64 *dist2, gpointer data);

static void
distance_transform (const guint8    *pixels,
                    int              w,
                    int              h,
                    gboolean         source_when_set,
                    DistanceRowFunc  apply,
                    gpointer         data)
{
  gint64 infinity = (gint64) (w + h) * (w + h);
  g_autofree gint32 *g = g_new (gint32, (gsize) w * h);
  g_autofree gint64 *dist2 = g_new (gint64, w);
  g_autofree int *s = g_new (int, w);
  g_autofree int *t = g_new (int, w);
  gint32 far = w + h;

  /* Phase one: the vertical distance to the nearest source in each column. */
  for (int x = 0; x < w; x++)
    {
      gint32 d = far;

      for (int y = 0; y < h; y++)
        {
          gboolean source = (pixels[(gsize) y * w + x] >= 128) == source_when_set;

          d = source ? 0 : MIN (d + 1, far);
          g[(gsize) y * w + x] = d;
        }
      for (int y = h - 2; y >= 0; y--)
        if (g[(gsize) (y + 1) * w + x] + 1 < g[(gsize) y * w + x])
          g[(gsize) y * w + x] = g[(gsize) (y + 1) * w + x] + 1;
    }

  /* Phase two: the lower envelope of parabolas along each row. */
  for (int y = 0; y < h; y++)
    {
      const gint32 *gy = g + (gsize) y * w;
      int q = 0;

#define F(x, i) ((gint64) ((x) - (i)) * ((x) - (i)) + (gint64) gy[i] * gy[i])
#define SEP(i, u) (((gint64) (u) * (u) - (gint64) (i) * (i) + (gint64) gy[u] * gy[u] - \
                    (gint64) gy[i] * gy[i]) / (2 * ((gint64) (u) - (i))))
      s[0] = 0;
      t[0] = 0;
      for (int u = 1; u < w; u++)
        {
          while (q >= 0 && F (t[q], s[q]) > F (t[q], u))
            q--;
          if (q < 0)
            {
              q = 0;
              s[0] = u;
            }
          else
            {
              gint64 sep = 1 + SEP (s[q], u);

              if (sep < w)
                {
                  q++;
                  s[q] = u;
                  t[q] = (int) sep;
                }
            }
        }
      for (int u = w - 1; u >= 0; u--)
        {
          gint64 d = F (u, s[q]);

          dist2[u] = gy[s[q]] >= far ? infinity : d;
          if (u == t[q])
            q--;
        }
#undef F
#undef SEP

      apply (y, dist2, data);
    }
}

typedef struct
{
  guint8  *pixels;
  int      w;
  double   amount;
  gboolean grow;
} MorphData;

static void
morph_row (int           y,
           const gint64 *dist2,
           gpointer      user_data)
{
  MorphData *m = user_data;
  guint8 *row = m->pixels + (gsize) y * m->w;

  for (int x = 0; x < m->w; x++)
    {
      double d = sqrt ((double) dist2[x]);

      if (m->grow)
        {
          /* Pixels within @amount of the mask join it, with a one-pixel smooth edge. */
          double v = CLAMP (m->amount - d + 1.0, 0.0, 1.0) * 255.0;

          row[x] = (guint8) MAX (row[x], (int) (v + 0.5));
        }
      else
        {
          double v = CLAMP (d - m->amount, 0.0, 1.0) * 255.0;

          row[x] = (guint8) MIN (row[x], (int) (v + 0.5));
        }
    }
}

/* Runs @func over a copy of the masked area widened by @margin, then writes back what changed. */
static void
region_op (InpMask *self,
           int      margin,
           void   (*func) (guint8 *pixels, int w, int h, int amount, gboolean flag),
           int      amount,
           gboolean flag)
{
  InpMaskRect bounds;
  InpMaskRect r;
  g_autofree guint8 *pixels = NULL;

  g_return_if_fail (!self->in_stroke);

  if (!inp_mask_get_bounds (self, &bounds) || amount <= 0)
    return;

  r.x = MAX (0, bounds.x - margin);
  r.y = MAX (0, bounds.y - margin);
  r.width = MIN (self->width, bounds.x + bounds.width + margin) - r.x;
  r.height = MIN (self->height, bounds.y + bounds.height + margin) - r.y;

  pixels = g_malloc ((gsize) r.width * r.height);
  inp_mask_read_rect (self, &r, pixels, r.width);
  func (pixels, r.width, r.height, amount, flag);

  txn_begin (self);
  write_rect (self, &r, pixels, r.width);
  txn_end (self);
  emit_changed (self, r.x, r.y, r.x + r.width, r.y + r.height);
}

static void
morph_func (guint8   *pixels,
            int       w,
            int       h,
            int       amount,
            gboolean  grow)
{
  MorphData m = { pixels, w, amount, grow };
  g_autofree guint8 *source = g_memdup2 (pixels, (gsize) w * h);

  /* Growing measures the distance to the mask, shrinking the distance to what is kept. */
  distance_transform (source, w, h, grow, morph_row, &m);
}

/**
 * inp_mask_grow:
 * @pixels: how far the mask spreads outwards
 *
 * Widens the mask by a disc of @pixels radius: one undo step.
 */
void
inp_mask_grow (InpMask *self,
               int      pixels)
{
  g_return_if_fail (INP_IS_MASK (self));

  region_op (self, pixels + 1, morph_func, pixels, TRUE);
}

/**
 * inp_mask_shrink:
 * @pixels: how far the mask retreats from what is kept
 *
 * Narrows the mask by a disc of @pixels radius; the image's edges do not eat into it.
 */
void
inp_mask_shrink (InpMask *self,
                 int      pixels)
{
  g_return_if_fail (INP_IS_MASK (self));

  region_op (self, 1, morph_func, pixels, FALSE);
}

static void
box_blur_line (guint8   *line,
               gsize     step,
               int       n,
               int       radius,
               guint8   *scratch)
{
  int width = 2 * radius + 1;
  int sum = 0;

  for (int i = 0; i < n; i++)
    scratch[i] = line[i * step];

  /* Beyond the ends the line repeats its end value, so edges do not fade into black. */
  for (int i = -radius; i <= radius; i++)
    sum += scratch[CLAMP (i, 0, n - 1)];

  for (int i = 0; i < n; i++)
    {
      line[i * step] = (guint8) ((sum + width / 2) / width);
      sum += scratch[MIN (i + radius + 1, n - 1)] - scratch[MAX (i - radius, 0)];
    }
}

static void
feather_func (guint8   *pixels,
              int       w,
              int       h,
              int       amount,
              gboolean  unused)
{
  /* Three box passes approximate a Gaussian whose visible edge spans about @amount pixels. */
  int radius = MAX (1, (amount + 2) / 3);
  g_autofree guint8 *scratch = g_malloc (MAX (w, h));

  for (int pass = 0; pass < 3; pass++)
    {
      for (int y = 0; y < h; y++)
        box_blur_line (pixels + (gsize) y * w, 1, w, radius, scratch);
      for (int x = 0; x < w; x++)
        box_blur_line (pixels + x, w, h, radius, scratch);
    }
}

/**
 * inp_mask_feather:
 * @pixels: how wide the soft edge becomes
 *
 * Softens the mask's edges: one undo step.
 */
void
inp_mask_feather (InpMask *self,
                  int      pixels)
{
  g_return_if_fail (INP_IS_MASK (self));

  region_op (self, pixels + 1, feather_func, pixels, FALSE);
}

static gsize
grid_bytes (const Tile *grid,
            int         n)
{
  gsize bytes = n * sizeof (Tile);

  for (int i = 0; i < n; i++)
    bytes += grid[i].data != NULL ? TILE_BYTES : 0;

  return bytes;
}

/* Exchanges the current grid with the one a resize step holds. */
static void
swap_grid (InpMask *self,
           Step    *step)
{
  Tile *grid = self->tiles;
  int width = self->width;
  int height = self->height;

  self->tiles = step->grid;
  set_size (self, step->width, step->height);
  step->grid = grid;
  step->width = width;
  step->height = height;
  step->bytes = grid_bytes (grid, ((width + TILE - 1) / TILE) * ((height + TILE - 1) / TILE));
  recount_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
}

/**
 * inp_mask_extend:
 * @left: @top: @right: @bottom: pixels added on each side
 *
 * Grows the canvas for outpainting: the old mask keeps its place and the new area is masked.
 */
void
inp_mask_extend (InpMask *self,
                 int      left,
                 int      top,
                 int      right,
                 int      bottom)
{
  g_autofree guint8 *row = NULL;
  Step *step;
  Tile *grid;
  int new_w, new_h, new_tx, new_ty;

  g_return_if_fail (INP_IS_MASK (self));
  g_return_if_fail (!self->in_stroke);
  g_return_if_fail (left >= 0 && top >= 0 && right >= 0 && bottom >= 0);

  if (left + top + right + bottom == 0)
    return;

  new_w = self->width + left + right;
  new_h = self->height + top + bottom;
  new_tx = (new_w + TILE - 1) / TILE;
  new_ty = (new_h + TILE - 1) / TILE;
  grid = g_new0 (Tile, new_tx * new_ty);
  for (int i = 0; i < new_tx * new_ty; i++)
    grid[i].fill = 255;

  row = g_malloc (self->width);
  for (int y = 0; y < self->height; y++)
    {
      InpMaskRect src = { 0, y, self->width, 1 };
      int dest_y = top + y;

      inp_mask_read_rect (self, &src, row, self->width);
      for (int tx = left / TILE; tx * TILE < left + self->width; tx++)
        {
          Tile *tile = &grid[(dest_y / TILE) * new_tx + tx];
          int x0 = MAX (left, tx * TILE);
          int x1 = MIN (left + self->width, (tx + 1) * TILE);

          if (tile->data == NULL)
            {
              tile->data = g_malloc (TILE_BYTES);
              memset (tile->data, tile->fill, TILE_BYTES);
            }
          memcpy (tile->data + (dest_y % TILE) * TILE + (x0 - tx * TILE), row + (x0 - left),
                  x1 - x0);
        }
    }

  step = g_new0 (Step, 1);
  step->grid = grid;
  step->width = new_w;
  step->height = new_h;
  swap_grid (self, step);
  push_step (self, step);
  notify_state (self);
  emit_changed (self, 0, 0, self->width, self->height);
}

/* Undo and redo */

static void
apply_step (InpMask *self,
            Step    *step)
{
  if (step->grid != NULL)
    {
      self->undo_bytes -= step->bytes;
      swap_grid (self, step);
      self->undo_bytes += step->bytes;
      emit_changed (self, 0, 0, self->width, self->height);
      return;
    }

  self->undo_bytes -= step->bytes;
  step->bytes = 0;

  for (guint i = 0; i < step->tiles->len; i++)
    {
      SavedTile *saved = &g_array_index (step->tiles, SavedTile, i);
      Tile *tile = &self->tiles[saved->index];
      SavedTile now = { saved->index, tile->fill, NULL, 0 };
      int tx = saved->index % self->n_tx;
      int ty = saved->index / self->n_tx;

      if (tile->data != NULL)
        now.packed = pack_bits (tile->data, TILE_BYTES, &now.packed_len);

      if (saved->packed != NULL)
        {
          if (tile->data == NULL)
            tile->data = g_malloc (TILE_BYTES);
          unpack_bits (saved->packed, saved->packed_len, tile->data);
        }
      else
        g_clear_pointer (&tile->data, g_free);
      tile->fill = saved->fill;

      g_free (saved->packed);
      *saved = now;
      step->bytes += now.packed_len + sizeof (SavedTile);
      tile_recount (self, saved->index);
      emit_changed (self, tx * TILE, ty * TILE, (tx + 1) * TILE, (ty + 1) * TILE);
    }

  self->undo_bytes += step->bytes;
}

gboolean
inp_mask_can_undo (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), FALSE);

  return self->undo.length > 0;
}

gboolean
inp_mask_can_redo (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), FALSE);

  return self->redo.length > 0;
}

/**
 * inp_mask_undo:
 *
 * Takes back the last stroke or operation.
 *
 * Returns: %FALSE when there was nothing to undo.
 */
gboolean
inp_mask_undo (InpMask *self)
{
  Step *step;

  g_return_val_if_fail (INP_IS_MASK (self), FALSE);
  g_return_val_if_fail (!self->in_stroke, FALSE);

  step = g_queue_pop_head (&self->undo);
  if (step == NULL)
    return FALSE;

  apply_step (self, step);
  g_queue_push_head (&self->redo, step);
  trim_undo (self);
  notify_state (self);

  return TRUE;
}

gboolean
inp_mask_redo (InpMask *self)
{
  Step *step;

  g_return_val_if_fail (INP_IS_MASK (self), FALSE);
  g_return_val_if_fail (!self->in_stroke, FALSE);

  step = g_queue_pop_head (&self->redo);
  if (step == NULL)
    return FALSE;

  apply_step (self, step);
  g_queue_push_head (&self->undo, step);
  trim_undo (self);
  notify_state (self);

  return TRUE;
}

/**
 * inp_mask_set_undo_limit:
 * @bytes: the most memory undo and redo may hold; the oldest steps go first
 */
void
inp_mask_set_undo_limit (InpMask *self,
                         gsize    bytes)
{
  g_return_if_fail (INP_IS_MASK (self));

  self->undo_limit = bytes;
  trim_undo (self);
  notify_state (self);
}

gsize
inp_mask_get_undo_size (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), 0);

  return self->undo_bytes;
}

guint
inp_mask_get_n_undo_steps (InpMask *self)
{
  g_return_val_if_fail (INP_IS_MASK (self), 0);

  return self->undo.length;
}

/* Images */

/* Replaces the whole mask with @pixels (width × height, tightly packed) as one undo step. */
static void
replace_all (InpMask      *self,
             const guint8 *pixels)
{
  InpMaskRect all = { 0, 0, self->width, self->height };

  txn_begin (self);
  write_rect (self, &all, pixels, self->width);
  txn_end (self);
  emit_changed (self, 0, 0, self->width, self->height);
}

/**
 * inp_mask_set_from_alpha:
 * @image: a picture of the mask's size whose transparent parts should be repainted
 *
 * Makes the mask from the picture's alpha channel: fully transparent pixels become 255.
 *
 * Returns: %FALSE, with the mask unchanged, when the picture has no transparent pixels.
 */
gboolean
inp_mask_set_from_alpha (InpMask    *self,
                         GdkPixbuf  *image,
                         GError    **error)
{
  g_autofree guint8 *pixels = NULL;
  const guint8 *src;
  int stride, n_channels;
  gboolean any = FALSE;

  g_return_val_if_fail (INP_IS_MASK (self), FALSE);
  g_return_val_if_fail (GDK_IS_PIXBUF (image), FALSE);
  g_return_val_if_fail (!self->in_stroke, FALSE);

  if (!gdk_pixbuf_get_has_alpha (image))
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_INVALID_INPUT,
                           _("The picture has no transparency to make a mask from"));
      return FALSE;
    }

  if (gdk_pixbuf_get_width (image) != self->width || gdk_pixbuf_get_height (image) != self->height)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT,
                   /* Translators: the width and height of the picture, then those of the mask */
                   _("The picture is %d × %d pixels but the mask is %d × %d"),
                   gdk_pixbuf_get_width (image), gdk_pixbuf_get_height (image),
                   self->width, self->height);
      return FALSE;
    }

  src = gdk_pixbuf_read_pixels (image);
  stride = gdk_pixbuf_get_rowstride (image);
  n_channels = gdk_pixbuf_get_n_channels (image);
  pixels = g_malloc ((gsize) self->width * self->height);

  for (int y = 0; y < self->height; y++)
    for (int x = 0; x < self->width; x++)
      {
        guint8 alpha = src[(gsize) y * stride + x * n_channels + 3];

        pixels[(gsize) y * self->width + x] = 255 - alpha;
        any |= alpha != 255;
      }

  if (!any)
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_INVALID_INPUT,
                           _("The picture is fully opaque, so its transparency marks nothing to "
                             "repaint"));
      return FALSE;
    }

  replace_all (self, pixels);
  return TRUE;
}

/**
 * inp_mask_import:
 * @pixbuf: a mask picture: white (or light) repaints, black (or dark) keeps
 * @scaled: (out) (optional): set when @pixbuf had another size and was scaled to fit
 *
 * Replaces the mask with @pixbuf, binarised at half brightness, as one undo step. Transparent
 * pixels count as black.
 */
gboolean
inp_mask_import (InpMask    *self,
                 GdkPixbuf  *pixbuf,
                 gboolean   *scaled,
                 GError    **error)
{
  g_autoptr(GdkPixbuf) fitted = NULL;
  g_autofree guint8 *pixels = NULL;
  const guint8 *src;
  int stride, n_channels;
  gboolean has_alpha;

  g_return_val_if_fail (INP_IS_MASK (self), FALSE);
  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), FALSE);
  g_return_val_if_fail (!self->in_stroke, FALSE);

  if (scaled != NULL)
    *scaled = FALSE;

  if (gdk_pixbuf_get_width (pixbuf) != self->width ||
      gdk_pixbuf_get_height (pixbuf) != self->height)
    {
      fitted = gdk_pixbuf_scale_simple (pixbuf, self->width, self->height, GDK_INTERP_BILINEAR);
      if (fitted == NULL)
        {
          g_set_error_literal (error, INP_ERROR, INP_ERROR_FAILED,
                               _("There is not enough memory to scale the mask"));
          return FALSE;
        }
      if (scaled != NULL)
        *scaled = TRUE;
    }
  else
    fitted = g_object_ref (pixbuf);

  src = gdk_pixbuf_read_pixels (fitted);
  stride = gdk_pixbuf_get_rowstride (fitted);
  n_channels = gdk_pixbuf_get_n_channels (fitted);
  has_alpha = gdk_pixbuf_get_has_alpha (fitted);
  pixels = g_malloc ((gsize) self->width * self->height);

  for (int y = 0; y < self->height; y++)
    for (int x = 0; x < self->width; x++)
      {
        const guint8 *p = src + (gsize) y * stride + x * n_channels;
        /* Rec. 601 luma in integers, then weighted by alpha. */
        int luma = (p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000;

        if (has_alpha)
          luma = luma * p[3] / 255;
        pixels[(gsize) y * self->width + x] = luma >= 128 ? 255 : 0;
      }

  replace_all (self, pixels);
  return TRUE;
}

/**
 * inp_mask_load_picture:
 *
 * Reads a picture to import as a mask; safe to call from a worker thread.
 *
 * Returns: (transfer full): the picture, or %NULL with an error that names the file.
 */
GdkPixbuf *
inp_mask_load_picture (GFile         *file,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = g_file_read (file, cancellable, &local_error);
  if (stream != NULL)
    pixbuf = gdk_pixbuf_new_from_stream (G_INPUT_STREAM (stream), cancellable, &local_error);

  if (pixbuf == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      name = g_file_get_parse_name (file);
      g_set_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT,
                   /* Translators: a file name, then why it could not be read */
                   _("“%s” cannot be read as a mask: %s"), name, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&pixbuf);
}

/**
 * inp_mask_import_file:
 *
 * Reads a mask picture (PNG, JPEG, WebP…) and imports it as inp_mask_import() does.
 */
gboolean
inp_mask_import_file (InpMask       *self,
                      GFile         *file,
                      gboolean      *scaled,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_return_val_if_fail (INP_IS_MASK (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  pixbuf = inp_mask_load_picture (file, cancellable, error);
  if (pixbuf == NULL)
    return FALSE;

  return inp_mask_import (self, pixbuf, scaled, error);
}

/* A minimal PNG writer for 8-bit greyscale, which GdkPixbuf cannot write: the mask stays one
 * byte per pixel on the wire, exactly the values that were painted. */
static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  static guint32 table[256];
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialised, 1);
    }

  crc ^= 0xffffffffu;
  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return crc ^ 0xffffffffu;
}

static void
png_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint32 be_len = GUINT32_TO_BE ((guint32) len);
  guint32 crc;

  g_byte_array_append (out, (const guint8 *) &be_len, 4);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (out, data, len);
  crc = crc32_update (0, (const guint8 *) type, 4);
  crc = GUINT32_TO_BE (crc32_update (crc, data, len));
  g_byte_array_append (out, (const guint8 *) &crc, 4);
}

/**
 * inp_grey_png_encode:
 * @pixels: @height rows of @width bytes, @stride apart
 *
 * Returns: (transfer full): an 8-bit greyscale PNG file.
 */
GBytes *
inp_grey_png_encode (const guint8  *pixels,
                     int            width,
                     int            height,
                     gsize          stride,
                     GError       **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zlib = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GBytes) idat = NULL;
  guint8 ihdr[13];
  guint32 be;

  g_return_val_if_fail (pixels != NULL && width > 0 && height > 0, NULL);

  for (int y = 0; y < height; y++)
    {
      static const guint8 filter_none = 0;

      if (!g_output_stream_write_all (zlib, &filter_none, 1, NULL, NULL, error) ||
          !g_output_stream_write_all (zlib, pixels + (gsize) y * stride, width, NULL, NULL, error))
        return NULL;
    }
  if (!g_output_stream_close (zlib, NULL, error))
    return NULL;
  idat = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));

  be = GUINT32_TO_BE ((guint32) width);
  memcpy (ihdr, &be, 4);
  be = GUINT32_TO_BE ((guint32) height);
  memcpy (ihdr + 4, &be, 4);
  ihdr[8] = 8;   /* bits per sample */
  ihdr[9] = 0;   /* greyscale */
  ihdr[10] = 0;  /* deflate */
  ihdr[11] = 0;  /* adaptive filtering */
  ihdr[12] = 0;  /* no interlace */

  g_byte_array_append (out, signature, sizeof signature);
  png_chunk (out, "IHDR", ihdr, sizeof ihdr);
  png_chunk (out, "IDAT", g_bytes_get_data (idat, NULL), g_bytes_get_size (idat));
  png_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * inp_grey_png_encode_scaled:
 * @pixels: @height rows of @width bytes, tightly packed
 * @target_width: @target_height: the size to save at
 *
 * Scales as GdkPixbuf scales a picture (bilinear), so that a mask and its image exported to the
 * same size stay aligned, then encodes an 8-bit greyscale PNG. Safe in a worker thread.
 *
 * Returns: (transfer full): the PNG file.
 */
GBytes *
inp_grey_png_encode_scaled (const guint8  *pixels,
                            int            width,
                            int            height,
                            int            target_width,
                            int            target_height,
                            GError       **error)
{
  g_autoptr(GdkPixbuf) grey = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autofree guint8 *out = NULL;
  const guint8 *src;
  guint8 *dest;
  int stride;

  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (target_width > 0 && target_height > 0, NULL);

  if (target_width == width && target_height == height)
    return inp_grey_png_encode (pixels, width, height, width, error);

  /* GdkPixbuf scales RGB only, so the grey values ride in all three channels. */
  grey = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (grey != NULL)
    {
      dest = gdk_pixbuf_get_pixels (grey);
      stride = gdk_pixbuf_get_rowstride (grey);
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          memset (dest + (gsize) y * stride + x * 3, pixels[(gsize) y * width + x], 3);
      scaled = gdk_pixbuf_scale_simple (grey, target_width, target_height, GDK_INTERP_BILINEAR);
    }

  if (scaled == NULL)
    {
      g_set_error_literal (error, INP_ERROR, INP_ERROR_FAILED,
                           _("There is not enough memory to scale the mask"));
      return NULL;
    }

  src = gdk_pixbuf_read_pixels (scaled);
  stride = gdk_pixbuf_get_rowstride (scaled);
  out = g_malloc ((gsize) target_width * target_height);
  for (int y = 0; y < target_height; y++)
    for (int x = 0; x < target_width; x++)
      out[(gsize) y * target_width + x] = src[(gsize) y * stride + x * 3];

  return inp_grey_png_encode (out, target_width, target_height, target_width, error);
}

/**
 * inp_mask_save_png_bytes:
 * @width: @height: the size to save at; the mask is scaled as GdkPixbuf scales the image
 *
 * Returns: (transfer full): the mask as an 8-bit greyscale PNG, white where to repaint.
 */
GBytes *
inp_mask_save_png_bytes (InpMask  *self,
                         int       width,
                         int       height,
                         GError  **error)
{
  InpMaskRect all;
  g_autofree guint8 *pixels = NULL;

  g_return_val_if_fail (INP_IS_MASK (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  all = (InpMaskRect) { 0, 0, self->width, self->height };
  pixels = g_malloc ((gsize) self->width * self->height);
  inp_mask_read_rect (self, &all, pixels, self->width);

  return inp_grey_png_encode_scaled (pixels, self->width, self->height, width, height, error);
}

/**
 * inp_pixbuf_extend:
 * @left: @top: @right: @bottom: pixels added on each side
 *
 * Returns: (transfer full): a larger copy of @pixbuf whose new area repeats the nearest edge
 *   pixel, a neutral start that outpainting models blend from.
 */
GdkPixbuf *
inp_pixbuf_extend (GdkPixbuf *pixbuf,
                   int        left,
                   int        top,
                   int        right,
                   int        bottom)
{
  int w, h, n, src_stride, dest_stride, new_w, new_h;
  const guint8 *src;
  guint8 *dest;
  GdkPixbuf *result;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (left >= 0 && top >= 0 && right >= 0 && bottom >= 0, NULL);

  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  n = gdk_pixbuf_get_n_channels (pixbuf);
  new_w = w + left + right;
  new_h = h + top + bottom;
  result = gdk_pixbuf_new (GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha (pixbuf), 8, new_w, new_h);
  if (result == NULL)
    return NULL;

  src = gdk_pixbuf_read_pixels (pixbuf);
  src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  dest = gdk_pixbuf_get_pixels (result);
  dest_stride = gdk_pixbuf_get_rowstride (result);

  for (int y = 0; y < new_h; y++)
    {
      const guint8 *src_row = src + (gsize) CLAMP (y - top, 0, h - 1) * src_stride;
      guint8 *dest_row = dest + (gsize) y * dest_stride;

      for (int x = 0; x < left; x++)
        memcpy (dest_row + x * n, src_row, n);
      memcpy (dest_row + left * n, src_row, (gsize) w * n);
      for (int x = left + w; x < new_w; x++)
        memcpy (dest_row + x * n, src_row + (gsize) (w - 1) * n, n);
    }

  return result;
}
