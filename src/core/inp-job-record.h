/* inp-job-record.h: one job kept in the library as it runs, or as it is resumed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "inp-library.h"
#include "inp-prediction.h"

G_BEGIN_DECLS

#define INP_TYPE_JOB_RECORD (inp_job_record_get_type ())

G_DECLARE_FINAL_TYPE (InpJobRecord, inp_job_record, INP, JOB_RECORD, GObject)

InpJobRecord        *inp_job_record_new                (InpLibrary           *library,
                                                        gint64                job_id,
                                                        const InpProvenance  *provenance);
InpJobRecord        *inp_job_record_new_for_job        (InpLibrary           *library,
                                                        InpLibraryJob        *job);
gint64               inp_job_record_get_job_id         (InpJobRecord         *self);
InpLibraryJobStatus  inp_job_record_get_status         (InpJobRecord         *self);

void                 inp_job_record_track              (InpJobRecord         *self,
                                                        InpPrediction        *prediction);
void                 inp_job_record_set_status         (InpJobRecord         *self,
                                                        InpLibraryJobStatus   status,
                                                        const char           *message);
void                 inp_job_record_fail               (InpJobRecord         *self,
                                                        const GError         *error);

void                 inp_job_record_store_files_async  (InpJobRecord         *self,
                                                        GPtrArray            *paths,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray           *inp_job_record_store_files_finish (InpJobRecord         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
