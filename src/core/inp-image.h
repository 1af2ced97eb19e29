/* inp-image.h: decoding and encoding images, data URIs, masks, and fitting to a model's sizes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "inp-model.h"

G_BEGIN_DECLS

/**
 * InpPreparedImages:
 * @image: the fitted image, encoded (PNG when it has transparency, JPEG otherwise)
 * @image_mime: "image/png" or "image/jpeg"
 * @mask: (nullable): the fitted mask as a binarised 8-bit grey PNG, or %NULL without a mask
 * @width: the fitted width of both
 * @height: the fitted height of both
 */
typedef struct
{
  GBytes *image;
  char   *image_mime;
  GBytes *mask;
  int     width;
  int     height;
} InpPreparedImages;

char              *inp_data_uri_encode             (GBytes              *bytes,
                                                    const char          *mime);
GBytes            *inp_data_uri_decode             (const char          *uri,
                                                    char               **mime_out,
                                                    GError             **error);

GdkPixbuf         *inp_image_decode                (GBytes              *bytes,
                                                    GError             **error);
GBytes            *inp_image_encode                (GdkPixbuf           *pixbuf,
                                                    const char          *format,
                                                    int                  quality,
                                                    GError             **error);
const char        *inp_image_format_to_mime        (const char          *format);
GdkPixbuf         *inp_image_scale                 (GdkPixbuf           *pixbuf,
                                                    int                  width,
                                                    int                  height);
GBytes            *inp_image_encode_gif            (GPtrArray           *frames,
                                                    guint                delay_cs);
guint              inp_image_count_gif_frames      (GBytes              *gif);

GdkPixbuf         *inp_image_binarize_mask         (GdkPixbuf           *mask);
GBytes            *inp_image_encode_mask           (GdkPixbuf           *mask,
                                                    GError             **error);

void               inp_size_rules_fit              (const InpSizeRules  *rules,
                                                    int                  width,
                                                    int                  height,
                                                    int                 *fitted_width,
                                                    int                 *fitted_height);
gboolean           inp_image_fit                   (const InpSizeRules  *rules,
                                                    GdkPixbuf           *image,
                                                    GdkPixbuf           *mask,
                                                    GdkPixbuf          **image_out,
                                                    GdkPixbuf          **mask_out,
                                                    GError             **error);

InpPreparedImages *inp_image_prepare               (InpModel            *model,
                                                    GdkPixbuf           *image,
                                                    GdkPixbuf           *mask,
                                                    gsize                max_image_bytes,
                                                    GError             **error);
void               inp_image_prepare_async         (InpModel            *model,
                                                    GdkPixbuf           *image,
                                                    GdkPixbuf           *mask,
                                                    gsize                max_image_bytes,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
InpPreparedImages *inp_image_prepare_finish        (GAsyncResult        *result,
                                                    GError             **error);
void               inp_prepared_images_free        (InpPreparedImages   *prepared);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpPreparedImages, inp_prepared_images_free)

G_END_DECLS
