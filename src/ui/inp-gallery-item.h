/* inp-gallery-item.h: one result in the gallery grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "inp-library-output.h"
#include "inp-thumbnail-loader.h"

G_BEGIN_DECLS

/* The thumbnail's edge in logical pixels; it is decoded at this size times the scale factor. */
#define INP_GALLERY_ITEM_SIZE 160

#define INP_TYPE_GALLERY_ITEM (inp_gallery_item_get_type ())

G_DECLARE_FINAL_TYPE (InpGalleryItem, inp_gallery_item, INP, GALLERY_ITEM, GtkWidget)

InpGalleryItem   *inp_gallery_item_new           (InpThumbnailLoader *loader);
InpLibraryOutput *inp_gallery_item_get_item      (InpGalleryItem     *self);
void              inp_gallery_item_set_item      (InpGalleryItem     *self,
                                                  InpLibraryOutput   *item);
gboolean          inp_gallery_item_get_job_start (InpGalleryItem     *self);
void              inp_gallery_item_set_job_start (InpGalleryItem     *self,
                                                  gboolean            job_start);
GdkPaintable     *inp_gallery_item_get_paintable (InpGalleryItem     *self);
gboolean          inp_gallery_item_get_loaded    (InpGalleryItem     *self);

GdkContentProvider *inp_gallery_content_new      (GFile              *file,
                                                  GdkTexture         *texture);

G_END_DECLS
