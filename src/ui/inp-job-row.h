/* inp-job-row.h: one job in the list: its model, status, progress, logs, Cancel and Retry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "inp-job-queue.h"

G_BEGIN_DECLS

#define INP_TYPE_JOB_ROW (inp_job_row_get_type ())

G_DECLARE_FINAL_TYPE (InpJobRow, inp_job_row, INP, JOB_ROW, GtkListBoxRow)

GtkWidget *inp_job_row_new           (InpJobQueue *queue,
                                      InpJob      *job);
InpJob    *inp_job_row_get_job       (InpJobRow   *self);
char      *inp_job_row_dup_status    (InpJobRow   *self);
char      *inp_job_row_dup_message   (InpJobRow   *self);

G_END_DECLS
