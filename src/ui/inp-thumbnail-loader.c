/* inp-thumbnail-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "inp-frame-animation.h"
#include "inp-image.h"
#include "inp-thumbnail-loader.h"

/* An animation longer than this is cut: a thumbnail need not hold a whole film in memory. */
#define MAX_FRAMES 300

typedef struct
{
  char         *key;
  GdkPaintable *paintable;
  gboolean      has_alpha;
  gsize         cost;
} CacheEntry;

typedef struct
{
  GFile                  *file;
  int                     size;
  char                   *key;
  InpThumbnailDecodeFunc  decode_func;
  gpointer                decode_data;
} LoadData;

typedef struct
{
  GdkPaintable *paintable;
  gboolean      has_alpha;
} LoadResult;

struct _InpThumbnailLoader
{
  GObject                 parent_instance;

  /* Most recently used first; the table points into it. */
  GQueue                  lru;
  GHashTable             *entries;
  gsize                   cache_bytes;
  gsize                   max_cache_bytes;

  InpThumbnailDecodeFunc  decode_func;
  gpointer                decode_data;
};

static GThreadPool *decode_pool;
/* Tasks waiting for a decoding thread, newest first; each push to the pool takes one. */
static GMutex pending_lock;
static GQueue pending = G_QUEUE_INIT;

G_DEFINE_FINAL_TYPE (InpThumbnailLoader, inp_thumbnail_loader, G_TYPE_OBJECT)

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->key);
  g_clear_object (&entry->paintable);
  g_free (entry);
}

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_free (data->key);
  g_free (data);
}

static void
load_result_free (LoadResult *result)
{
  g_clear_object (&result->paintable);
  g_free (result);
}

static char *
make_key (GFile *file,
          int    size)
{
  g_autofree char *uri = g_file_get_uri (file);

  return g_strdup_printf ("%d %s", size, uri);
}

static gsize
paintable_cost (GdkPaintable *paintable)
{
  gsize frames = 1;

  if (INP_IS_FRAME_ANIMATION (paintable))
    frames = inp_frame_animation_get_n_frames (INP_FRAME_ANIMATION (paintable));

  return frames * 4 * MAX (1, gdk_paintable_get_intrinsic_width (paintable))
                    * MAX (1, gdk_paintable_get_intrinsic_height (paintable));
}

static void
inp_thumbnail_loader_finalize (GObject *object)
{
  InpThumbnailLoader *self = INP_THUMBNAIL_LOADER (object);

  g_queue_clear_full (&self->lru, (GDestroyNotify) cache_entry_free);
  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (inp_thumbnail_loader_parent_class)->finalize (object);
}

static void
inp_thumbnail_loader_class_init (InpThumbnailLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_thumbnail_loader_finalize;
}

static void
inp_thumbnail_loader_init (InpThumbnailLoader *self)
{
  g_queue_init (&self->lru);
  self->entries = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * inp_thumbnail_loader_new:
 * @cache_bytes: how many bytes of decoded pixels to keep for reuse
 *
 * Returns: (transfer full): a loader with an empty cache.
 */
InpThumbnailLoader *
inp_thumbnail_loader_new (gsize cache_bytes)
{
  InpThumbnailLoader *self = g_object_new (INP_TYPE_THUMBNAIL_LOADER, NULL);

  self->max_cache_bytes = cache_bytes;

  return self;
}

static void
cache_insert (InpThumbnailLoader *self,
              const char         *key,
              GdkPaintable       *paintable,
              gboolean            has_alpha)
{
  CacheEntry *entry;

  if (g_hash_table_contains (self->entries, key))
    return;

  entry = g_new0 (CacheEntry, 1);
  entry->key = g_strdup (key);
  entry->paintable = g_object_ref (paintable);
  entry->has_alpha = has_alpha;
  entry->cost = paintable_cost (paintable);

  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->entries, entry->key, self->lru.head);
  self->cache_bytes += entry->cost;

  /* The newest entry stays even when it alone is over the limit: it is on screen. */
  while (self->cache_bytes > self->max_cache_bytes && self->lru.length > 1)
    {
      CacheEntry *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->entries, oldest->key);
      self->cache_bytes -= oldest->cost;
      cache_entry_free (oldest);
    }
}

/**
 * inp_thumbnail_loader_lookup:
 * @has_alpha: (out) (optional): whether the image has an alpha channel
 *
 * Returns: (transfer full) (nullable): the cached paintable of @file at @size, if any.
 */
GdkPaintable *
inp_thumbnail_loader_lookup (InpThumbnailLoader *self,
                             GFile              *file,
                             int                 size,
                             gboolean           *has_alpha)
{
  g_autofree char *key = NULL;
  GList *link;
  CacheEntry *entry;

  g_return_val_if_fail (INP_IS_THUMBNAIL_LOADER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  key = make_key (file, size);
  link = g_hash_table_lookup (self->entries, key);
  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  entry = link->data;
  if (has_alpha != NULL)
    *has_alpha = entry->has_alpha;

  return g_object_ref (entry->paintable);
}

/* Scales @pixbuf down to fit a @size square, never up. */
static GdkPixbuf *
fit_pixbuf (GdkPixbuf *pixbuf,
            int        size)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  double scale = MIN ((double) size / width, (double) size / height);

  if (scale >= 1.0)
    return g_object_ref (pixbuf);

  return gdk_pixbuf_scale_simple (pixbuf,
                                  MAX (1, (int) (width * scale + 0.5)),
                                  MAX (1, (int) (height * scale + 0.5)),
                                  GDK_INTERP_BILINEAR);
}

static GdkPaintable *
decode_animation (GFile       *file,
                  int          size,
                  gboolean    *has_alpha,
                  GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbufAnimation) animation = NULL;
  g_autoptr(GdkPixbufAnimationIter) iter = NULL;
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_frames;

  bytes = g_file_load_bytes (file, NULL, NULL, error);
  if (bytes == NULL)
    return NULL;
  n_frames = MIN (inp_image_count_gif_frames (bytes), MAX_FRAMES);

  stream = g_memory_input_stream_new_from_bytes (bytes);
  animation = gdk_pixbuf_animation_new_from_stream (stream, NULL, error);
  if (animation == NULL)
    return NULL;

  /* gdk-pixbuf steps animations only by wall-clock time in a GTimeVal; it has no other API. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GTimeVal time = { 0, 0 };

    iter = gdk_pixbuf_animation_get_iter (animation, &time);
    for (guint i = 0; i < MAX (n_frames, 1); i++)
      {
        GdkPixbuf *pixbuf = gdk_pixbuf_animation_iter_get_pixbuf (iter);
        int delay = gdk_pixbuf_animation_iter_get_delay_time (iter);
        g_autoptr(GdkPixbuf) scaled = NULL;
        guint delay_ms = delay < 0 ? 0 : (guint) delay;

        if (pixbuf == NULL)
          break;

        scaled = fit_pixbuf (pixbuf, size);
        *has_alpha = *has_alpha || gdk_pixbuf_get_has_alpha (scaled);
        g_ptr_array_add (frames, gdk_texture_new_for_pixbuf (scaled));
        g_array_append_val (delays, delay_ms);

        if (delay < 0)
          break;
        g_time_val_add (&time, MAX (delay, 1) * 1000);
        gdk_pixbuf_animation_iter_advance (iter, &time);
      }
  }
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (frames->len == 0)
    {
      g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                   _("The animation has no frames"));
      return NULL;
    }

  return GDK_PAINTABLE (inp_frame_animation_new (frames, delays));
}

static GdkPaintable *
decode_image (const char  *path,
              int          width,
              int          height,
              int          size,
              gboolean    *has_alpha,
              GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;

  /* The loader scales while it decodes where the format allows (JPEG does). */
  if (width > size || height > size)
    pixbuf = gdk_pixbuf_new_from_file_at_scale (path, size, size, TRUE, error);
  else
    pixbuf = gdk_pixbuf_new_from_file (path, error);
  if (pixbuf == NULL)
    return NULL;

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  *has_alpha = gdk_pixbuf_get_has_alpha (oriented);

  return GDK_PAINTABLE (gdk_texture_new_for_pixbuf (oriented));
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (data->file);
  GdkPixbufFormat *format;
  g_autofree char *format_name = NULL;
  GdkPaintable *paintable;
  LoadResult *result;
  gboolean has_alpha = FALSE;
  int width = 0;
  int height = 0;

  /* Items scrolled past cancel their loads; most of a fast scroll never decodes. */
  if (g_task_return_error_if_cancelled (task))
    return;

  if (data->decode_func != NULL)
    data->decode_func (data->file, data->decode_data);

  format = path != NULL ? gdk_pixbuf_get_file_info (path, &width, &height) : NULL;
  if (format == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("This file is not an image that can be shown"));
      return;
    }

  format_name = gdk_pixbuf_format_get_name (format);
  if (g_str_equal (format_name, "gif"))
    paintable = decode_animation (data->file, data->size, &has_alpha, &error);
  else
    paintable = decode_image (path, width, height, data->size, &has_alpha, &error);

  if (paintable == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (LoadResult, 1);
  result->paintable = paintable;
  result->has_alpha = has_alpha;
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
decode_pool_func (gpointer data,
                  gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

#ifdef __linux__
  /* Decoding yields to the main loop: on a two-core machine a scroll must never wait for a
   * thumbnail. Linux sets niceness per thread. */
  static GPrivate lowered;

  if (g_private_get (&lowered) == NULL)
    {
      setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
      g_private_set (&lowered, GINT_TO_POINTER (1));
    }
#endif

  /* Newest first: after a fast scroll, what is on screen now comes before what was on screen.
   * A stack keeps that at no cost per request, where a sorted queue costs one comparison per
   * request still waiting, and a fast scroll leaves hundreds waiting (cancelled). */
  g_mutex_lock (&pending_lock);
  task = g_queue_pop_head (&pending);
  g_mutex_unlock (&pending_lock);
  g_assert (task != NULL);

  load_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
               g_task_get_cancellable (task));
}

/* Decoding has threads of its own, fewer than the cores, so that the main loop keeps one. */
static GThreadPool *
get_decode_pool (void)
{
  if (g_once_init_enter (&decode_pool))
    {
      int n_threads = MAX (1, (int) g_get_num_processors () - 1);
      GThreadPool *pool = g_thread_pool_new (decode_pool_func, NULL, n_threads, FALSE, NULL);

      g_once_init_leave (&decode_pool, pool);
    }

  return decode_pool;
}

/**
 * inp_thumbnail_loader_load_async:
 * @file: a local image file: anything gdk-pixbuf reads; GIFs become animations
 * @size: the largest width and height wanted, in device pixels
 *
 * Decodes @file in a worker thread, scaled down to fit @size, unless the cache has it.
 */
void
inp_thumbnail_loader_load_async (InpThumbnailLoader  *self,
                                 GFile               *file,
                                 int                  size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkPaintable) cached = NULL;
  LoadData *data;
  gboolean has_alpha = FALSE;

  g_return_if_fail (INP_IS_THUMBNAIL_LOADER (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (size > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_thumbnail_loader_load_async);

  cached = inp_thumbnail_loader_lookup (self, file, size, &has_alpha);
  if (cached != NULL)
    {
      LoadResult *result = g_new0 (LoadResult, 1);

      result->paintable = g_steal_pointer (&cached);
      result->has_alpha = has_alpha;
      g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
      return;
    }

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  data->size = size;
  data->key = make_key (file, size);
  data->decode_func = self->decode_func;
  data->decode_data = self->decode_data;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  g_mutex_lock (&pending_lock);
  g_queue_push_head (&pending, g_steal_pointer (&task));
  g_mutex_unlock (&pending_lock);
  /* The pool's item only says that one more task waits; the stack says which runs. */
  g_thread_pool_push (get_decode_pool (), GINT_TO_POINTER (1), NULL);
}

/**
 * inp_thumbnail_loader_load_finish:
 * @has_alpha: (out) (optional): whether the image has an alpha channel
 *
 * Returns: (transfer full): a #GdkTexture, or an #InpFrameAnimation for an animated GIF.
 */
GdkPaintable *
inp_thumbnail_loader_load_finish (InpThumbnailLoader  *self,
                                  GAsyncResult        *result,
                                  gboolean            *has_alpha,
                                  GError             **error)
{
  LoadResult *loaded;
  LoadData *data;
  GdkPaintable *paintable;

  g_return_val_if_fail (INP_IS_THUMBNAIL_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;

  /* Cached here, in the main thread, so that the cache needs no lock. */
  data = g_task_get_task_data (G_TASK (result));
  if (data != NULL)
    cache_insert (self, data->key, loaded->paintable, loaded->has_alpha);

  if (has_alpha != NULL)
    *has_alpha = loaded->has_alpha;
  paintable = g_steal_pointer (&loaded->paintable);
  load_result_free (loaded);

  return paintable;
}

/**
 * inp_thumbnail_loader_get_cache_size:
 *
 * Returns: how many bytes of pixels the cache holds.
 */
gsize
inp_thumbnail_loader_get_cache_size (InpThumbnailLoader *self)
{
  g_return_val_if_fail (INP_IS_THUMBNAIL_LOADER (self), 0);

  return self->cache_bytes;
}

/**
 * inp_thumbnail_loader_set_decode_func:
 * @func: (nullable): called in the decoding thread before each decode
 *
 * Lets tests and benchmarks see where and when decoding happens.
 */
void
inp_thumbnail_loader_set_decode_func (InpThumbnailLoader     *self,
                                      InpThumbnailDecodeFunc  func,
                                      gpointer                user_data)
{
  g_return_if_fail (INP_IS_THUMBNAIL_LOADER (self));

  self->decode_func = func;
  self->decode_data = user_data;
}
