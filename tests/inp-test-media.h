/* inp-test-media.h: reading back what the image code and the sandbox write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

guint      inp_test_count_gif_frames  (GBytes     *gif);
GdkPixbuf *inp_test_load_pixbuf       (GBytes     *bytes);
GBytes    *inp_test_new_png           (int         width,
                                       int         height,
                                       guint32     rgba);
GdkPixbuf *inp_test_new_pattern       (int         width,
                                       int         height,
                                       gboolean    alpha);
void       inp_test_get_pixel         (GdkPixbuf  *pixbuf,
                                       int         x,
                                       int         y,
                                       guint8     *rgba);

G_END_DECLS
