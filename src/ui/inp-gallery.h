/* inp-gallery.h: every result, newest first, grouped by job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-library.h"
#include "inp-thumbnail-loader.h"

G_BEGIN_DECLS

#define INP_TYPE_GALLERY (inp_gallery_get_type ())

G_DECLARE_FINAL_TYPE (InpGallery, inp_gallery, INP, GALLERY, AdwBin)

InpGallery         *inp_gallery_new                  (InpLibrary          *library);
InpLibrary         *inp_gallery_get_library          (InpGallery          *self);
GListModel         *inp_gallery_get_model            (InpGallery          *self);
void                inp_gallery_set_model            (InpGallery          *self,
                                                      GListModel          *model);
InpLibraryOutput   *inp_gallery_get_selected         (InpGallery          *self);
void                inp_gallery_select               (InpGallery          *self,
                                                      guint                position);
InpThumbnailLoader *inp_gallery_get_thumbnail_loader (InpGallery          *self);
GtkGridView        *inp_gallery_get_grid_view        (InpGallery          *self);

void                inp_gallery_save_output_async    (InpGallery          *self,
                                                      InpLibraryOutput    *output,
                                                      GFile               *destination,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            inp_gallery_save_output_finish   (InpGallery          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
