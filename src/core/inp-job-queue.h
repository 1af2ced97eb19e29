/* inp-job-queue.h: the jobs of a window, run a few at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "inp-job.h"

G_BEGIN_DECLS

#define INP_JOB_QUEUE_DEFAULT_MAX_RUNNING 2

#define INP_TYPE_JOB_QUEUE (inp_job_queue_get_type ())

G_DECLARE_FINAL_TYPE (InpJobQueue, inp_job_queue, INP, JOB_QUEUE, GObject)

InpJobQueue  *inp_job_queue_new             (int           max_running);
int           inp_job_queue_get_max_running (InpJobQueue  *self);
void          inp_job_queue_set_max_running (InpJobQueue  *self,
                                             int           max_running);
guint         inp_job_queue_get_n_running   (InpJobQueue  *self);
void          inp_job_queue_add             (InpJobQueue  *self,
                                             InpJob       *job);
gboolean      inp_job_queue_is_waiting      (InpJobQueue  *self,
                                             InpJob       *job);
gboolean      inp_job_queue_is_waiting_for_network (InpJobQueue *self,
                                                    InpJob      *job);
guint         inp_job_queue_get_job_id      (InpJobQueue  *self,
                                             InpJob       *job);
InpJob       *inp_job_queue_lookup_job      (InpJobQueue  *self,
                                             guint         id);
void          inp_job_queue_cancel          (InpJobQueue  *self,
                                             InpJob       *job);
InpJob       *inp_job_queue_retry           (InpJobQueue  *self,
                                             InpJob       *job);
void          inp_job_queue_remove          (InpJobQueue  *self,
                                             InpJob       *job);
void          inp_job_queue_cancel_all      (InpJobQueue  *self);
const GError *inp_job_queue_get_error       (InpJobQueue  *self,
                                             InpJob       *job);
double        inp_job_queue_get_elapsed     (InpJobQueue  *self,
                                             InpJob       *job);

GNetworkMonitor *inp_job_queue_get_network_monitor (InpJobQueue     *self);
void             inp_job_queue_set_network_monitor (InpJobQueue     *self,
                                                    GNetworkMonitor *monitor);
gboolean         inp_job_queue_get_online          (InpJobQueue     *self);

G_END_DECLS
