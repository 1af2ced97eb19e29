/* inp-library-job.h: one recorded generation, as the library last saw it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * InpLibraryJobStatus:
 * @INP_LIBRARY_JOB_STATUS_PENDING: recorded; the create request has not been answered yet
 * @INP_LIBRARY_JOB_STATUS_STARTING: the service accepted it and is starting the model
 * @INP_LIBRARY_JOB_STATUS_PROCESSING: the model is running
 * @INP_LIBRARY_JOB_STATUS_DOWNLOADING: the service has finished; not every output is on disk yet,
 *   and the outputs can be fetched again (this is also where a failed save leaves a job)
 * @INP_LIBRARY_JOB_STATUS_SUCCEEDED: every output is on disk
 * @INP_LIBRARY_JOB_STATUS_FAILED: the model or the service failed
 * @INP_LIBRARY_JOB_STATUS_CANCELED: cancelled by the user
 * @INP_LIBRARY_JOB_STATUS_EXPIRED: the service no longer has the prediction or its outputs
 * @INP_LIBRARY_JOB_STATUS_NOT_SENT: never reached the service (for example the app quit first);
 *   it can be run again
 *
 * Where a job is. The nicks are what the database stores; those of STARTING, PROCESSING,
 * FAILED and CANCELED are the service's own status names. The service's `succeeded` is
 * DOWNLOADING here until every output is stored: only then is a job SUCCEEDED.
 */
typedef enum
{
  INP_LIBRARY_JOB_STATUS_PENDING,
  INP_LIBRARY_JOB_STATUS_STARTING,
  INP_LIBRARY_JOB_STATUS_PROCESSING,
  INP_LIBRARY_JOB_STATUS_DOWNLOADING,
  INP_LIBRARY_JOB_STATUS_SUCCEEDED,
  INP_LIBRARY_JOB_STATUS_FAILED,
  INP_LIBRARY_JOB_STATUS_CANCELED,
  INP_LIBRARY_JOB_STATUS_EXPIRED,
  INP_LIBRARY_JOB_STATUS_NOT_SENT,
} InpLibraryJobStatus;

#define INP_LIBRARY_JOB_STATUS_LAST INP_LIBRARY_JOB_STATUS_NOT_SENT

/* For InpLibraryQuery.statuses. */
#define INP_LIBRARY_JOB_STATUS_BIT(status) (1u << (status))

#define INP_TYPE_LIBRARY_JOB_STATUS (inp_library_job_status_get_type ())

GType                inp_library_job_status_get_type     (void) G_GNUC_CONST;
const char          *inp_library_job_status_to_string    (InpLibraryJobStatus  status);
gboolean             inp_library_job_status_from_string  (const char          *string,
                                                          InpLibraryJobStatus *status);
const char          *inp_library_job_status_get_label    (InpLibraryJobStatus  status);
gboolean             inp_library_job_status_is_finished  (InpLibraryJobStatus  status);

/**
 * InpLibraryJobEvent:
 * @status: the status the job entered
 * @time: when, in microseconds since the epoch (UTC)
 * @message: (nullable): the reason, for failures
 *
 * One step of a job's status history.
 */
typedef struct
{
  InpLibraryJobStatus  status;
  gint64               time;
  char                *message;
} InpLibraryJobEvent;

void                 inp_library_job_event_free          (InpLibraryJobEvent  *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpLibraryJobEvent, inp_library_job_event_free)

#define INP_TYPE_LIBRARY_JOB (inp_library_job_get_type ())

G_DECLARE_FINAL_TYPE (InpLibraryJob, inp_library_job, INP, LIBRARY_JOB, GObject)

gint64               inp_library_job_get_id              (InpLibraryJob       *self);
GDateTime           *inp_library_job_get_created         (InpLibraryJob       *self);
GDateTime           *inp_library_job_get_updated         (InpLibraryJob       *self);
const char          *inp_library_job_get_model           (InpLibraryJob       *self);
const char          *inp_library_job_get_version         (InpLibraryJob       *self);
const char          *inp_library_job_get_endpoint_host   (InpLibraryJob       *self);
const char          *inp_library_job_get_prompt          (InpLibraryJob       *self);
JsonNode            *inp_library_job_get_inputs          (InpLibraryJob       *self);
GFile               *inp_library_job_get_image           (InpLibraryJob       *self);
GFile               *inp_library_job_get_mask            (InpLibraryJob       *self);
GFile               *inp_library_job_get_directory       (InpLibraryJob       *self);
const char          *inp_library_job_get_prediction_id   (InpLibraryJob       *self);
InpLibraryJobStatus  inp_library_job_get_status          (InpLibraryJob       *self);
const char          *inp_library_job_get_error           (InpLibraryJob       *self);
JsonNode            *inp_library_job_get_metrics         (InpLibraryJob       *self);
guint                inp_library_job_get_n_outputs       (InpLibraryJob       *self);
guint                inp_library_job_get_n_deleted_outputs (InpLibraryJob     *self);
char                *inp_library_job_describe_deleted_outputs (InpLibraryJob  *self);

G_END_DECLS
