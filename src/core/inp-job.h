/* inp-job.h: one generation from input values to files on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "inp-client.h"
#include "inp-library.h"
#include "inp-model.h"
#include "inp-prediction.h"

G_BEGIN_DECLS

/**
 * InpJobState:
 * @INP_JOB_STATE_READY: not started
 * @INP_JOB_STATE_UPLOADING: checking the input and sending its files
 * @INP_JOB_STATE_CREATING: asking the service for a prediction
 * @INP_JOB_STATE_RUNNING: the model is running; the prediction is being followed
 * @INP_JOB_STATE_DOWNLOADING: saving the outputs
 * @INP_JOB_STATE_SUCCEEDED: every output is on disk
 * @INP_JOB_STATE_FAILED: something failed; see the error of inp_job_run_finish()
 * @INP_JOB_STATE_CANCELLED: cancelled, on the service too when it had started there
 */
typedef enum
{
  INP_JOB_STATE_READY,
  INP_JOB_STATE_UPLOADING,
  INP_JOB_STATE_CREATING,
  INP_JOB_STATE_RUNNING,
  INP_JOB_STATE_DOWNLOADING,
  INP_JOB_STATE_SUCCEEDED,
  INP_JOB_STATE_FAILED,
  INP_JOB_STATE_CANCELLED,
} InpJobState;

#define INP_TYPE_JOB_STATE (inp_job_state_get_type ())
GType inp_job_state_get_type (void) G_GNUC_CONST;

#define INP_TYPE_JOB (inp_job_get_type ())

G_DECLARE_FINAL_TYPE (InpJob, inp_job, INP, JOB, GObject)

InpJob        *inp_job_new              (InpClient            *client,
                                         InpModel             *model,
                                         JsonObject           *values,
                                         const char           *output_directory);
InpJob        *inp_job_dup              (InpJob               *self);
InpClient     *inp_job_get_client       (InpJob               *self);
InpModel      *inp_job_get_model        (InpJob               *self);
JsonObject    *inp_job_get_values       (InpJob               *self);
void           inp_job_set_version      (InpJob               *self,
                                         const char           *version);
void           inp_job_set_library      (InpJob               *self,
                                         InpLibrary           *library);
gint64         inp_job_get_library_id   (InpJob               *self);
void           inp_job_set_file         (InpJob               *self,
                                         const char           *input_name,
                                         GBytes               *bytes,
                                         const char           *content_type);
gboolean       inp_job_validate         (InpJob               *self,
                                         GError              **error);

InpJobState    inp_job_get_state        (InpJob               *self);
InpPrediction *inp_job_get_prediction   (InpJob               *self);
double         inp_job_get_progress     (InpJob               *self);
GPtrArray     *inp_job_get_output_paths (InpJob               *self);

void           inp_job_run_async        (InpJob               *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GPtrArray     *inp_job_run_finish       (InpJob               *self,
                                         GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
