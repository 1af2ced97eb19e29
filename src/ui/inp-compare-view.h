/* inp-compare-view.h: a result over its input, split by a movable divider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INP_TYPE_COMPARE_VIEW (inp_compare_view_get_type ())

G_DECLARE_FINAL_TYPE (InpCompareView, inp_compare_view, INP, COMPARE_VIEW, GtkWidget)

GtkWidget    *inp_compare_view_new           (void);
GdkPaintable *inp_compare_view_get_before    (InpCompareView *self);
void          inp_compare_view_set_before    (InpCompareView *self,
                                              GdkPaintable   *before);
GdkPaintable *inp_compare_view_get_after     (InpCompareView *self);
void          inp_compare_view_set_after     (InpCompareView *self,
                                              GdkPaintable   *after);
double        inp_compare_view_get_position  (InpCompareView *self);
void          inp_compare_view_set_position  (InpCompareView *self,
                                              double          position);
gboolean      inp_compare_view_get_blink     (InpCompareView *self);
void          inp_compare_view_set_blink     (InpCompareView *self,
                                              gboolean        blink);

G_END_DECLS
