/* inp-thumbnail-loader.h: images decoded at display size in worker threads, with a small cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * InpThumbnailDecodeFunc:
 * @file: the file being decoded
 * @user_data: the data given to inp_thumbnail_loader_set_decode_func()
 *
 * Called in the thread that decodes @file, before it decodes. For tests and benchmarks.
 */
typedef void (*InpThumbnailDecodeFunc) (GFile    *file,
                                        gpointer  user_data);

#define INP_TYPE_THUMBNAIL_LOADER (inp_thumbnail_loader_get_type ())

G_DECLARE_FINAL_TYPE (InpThumbnailLoader, inp_thumbnail_loader, INP, THUMBNAIL_LOADER, GObject)

InpThumbnailLoader *inp_thumbnail_loader_new             (gsize                   cache_bytes);
GdkPaintable       *inp_thumbnail_loader_lookup          (InpThumbnailLoader     *self,
                                                          GFile                  *file,
                                                          int                     size,
                                                          gboolean               *has_alpha);
void                inp_thumbnail_loader_load_async      (InpThumbnailLoader     *self,
                                                          GFile                  *file,
                                                          int                     size,
                                                          GCancellable           *cancellable,
                                                          GAsyncReadyCallback     callback,
                                                          gpointer                user_data);
GdkPaintable       *inp_thumbnail_loader_load_finish     (InpThumbnailLoader     *self,
                                                          GAsyncResult           *result,
                                                          gboolean               *has_alpha,
                                                          GError                **error);
gsize               inp_thumbnail_loader_get_cache_size  (InpThumbnailLoader     *self);
void                inp_thumbnail_loader_set_decode_func (InpThumbnailLoader     *self,
                                                          InpThumbnailDecodeFunc  func,
                                                          gpointer                user_data);

G_END_DECLS
