/* inp-library-gallery.h: the library's outputs as a list model, newest first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "inp-library.h"

G_BEGIN_DECLS

#define INP_TYPE_LIBRARY_GALLERY (inp_library_gallery_get_type ())

G_DECLARE_FINAL_TYPE (InpLibraryGallery, inp_library_gallery, INP, LIBRARY_GALLERY, GObject)

InpLibraryGallery *inp_library_gallery_new          (InpLibrary        *library);
InpLibrary        *inp_library_gallery_get_library  (InpLibraryGallery *self);
guint              inp_library_gallery_get_n_loaded (InpLibraryGallery *self);

G_END_DECLS
