/* inp-history-view.h: every job in the library, searchable, newest first
 *
 * The view does not change the window: it emits InpHistoryView::restore-job and
 * InpHistoryView::run-again with the job, and the window acts on them (inp-restore.h reads a
 * job's image, mask and settings back). Deleting shows an undo toast in the overlay given with
 * inp_history_view_set_toast_overlay(), or in the view's own when none is given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-catalog.h"
#include "inp-library.h"

G_BEGIN_DECLS

/**
 * InpHistoryStatusFilter:
 * @INP_HISTORY_STATUS_ALL: every job
 * @INP_HISTORY_STATUS_SUCCEEDED: jobs whose outputs are all on disk
 * @INP_HISTORY_STATUS_FAILED: failed, cancelled, expired or never sent
 * @INP_HISTORY_STATUS_UNFINISHED: still waiting, running or saving
 *
 * The choices of the view's status filter, in its order.
 */
typedef enum
{
  INP_HISTORY_STATUS_ALL,
  INP_HISTORY_STATUS_SUCCEEDED,
  INP_HISTORY_STATUS_FAILED,
  INP_HISTORY_STATUS_UNFINISHED,
} InpHistoryStatusFilter;

#define INP_TYPE_HISTORY_VIEW (inp_history_view_get_type ())

G_DECLARE_FINAL_TYPE (InpHistoryView, inp_history_view, INP, HISTORY_VIEW, AdwBin)

GtkWidget  *inp_history_view_new               (InpLibrary             *library,
                                                InpCatalog             *catalog);
InpLibrary *inp_history_view_get_library       (InpHistoryView         *self);
InpCatalog *inp_history_view_get_catalog       (InpHistoryView         *self);
void        inp_history_view_set_toast_overlay (InpHistoryView         *self,
                                                AdwToastOverlay        *overlay);
GListModel *inp_history_view_get_jobs          (InpHistoryView         *self);
gboolean    inp_history_view_get_loading       (InpHistoryView         *self);
void        inp_history_view_reload            (InpHistoryView         *self);

void        inp_history_view_set_search_text   (InpHistoryView         *self,
                                                const char             *text);
void        inp_history_view_set_model_filter  (InpHistoryView         *self,
                                                const char             *model_id);
void        inp_history_view_set_status_filter (InpHistoryView         *self,
                                                InpHistoryStatusFilter  filter);

G_END_DECLS
