/* inp-history-row.h: one job in the history view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-library-job.h"

G_BEGIN_DECLS

#define INP_TYPE_HISTORY_ROW (inp_history_row_get_type ())

G_DECLARE_FINAL_TYPE (InpHistoryRow, inp_history_row, INP, HISTORY_ROW, GtkWidget)

GtkWidget     *inp_history_row_new            (void);
InpLibraryJob *inp_history_row_get_job        (InpHistoryRow *self);
void           inp_history_row_set_job        (InpHistoryRow *self,
                                               InpLibraryJob *job,
                                               const char    *model_title,
                                               GDateTime     *now);
void           inp_history_row_set_thumbnail  (InpHistoryRow *self,
                                               GdkPaintable  *thumbnail);
GdkPaintable  *inp_history_row_get_thumbnail  (InpHistoryRow *self);
const char    *inp_history_row_get_date_text  (InpHistoryRow *self);
const char    *inp_history_row_get_status_text (InpHistoryRow *self);

char          *inp_history_format_date        (GDateTime     *date,
                                               GDateTime     *now);

G_END_DECLS
