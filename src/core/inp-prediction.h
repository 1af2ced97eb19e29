/* inp-prediction.h: one prediction as the service reports it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * InpPredictionStatus:
 * @INP_PREDICTION_STATUS_STARTING: queued or booting
 * @INP_PREDICTION_STATUS_PROCESSING: the model is running
 * @INP_PREDICTION_STATUS_SUCCEEDED: finished with output
 * @INP_PREDICTION_STATUS_FAILED: the model failed; see inp_prediction_get_error()
 * @INP_PREDICTION_STATUS_CANCELED: cancelled by someone
 * @INP_PREDICTION_STATUS_ABORTED: its deadline passed before it started
 */
typedef enum
{
  INP_PREDICTION_STATUS_STARTING,
  INP_PREDICTION_STATUS_PROCESSING,
  INP_PREDICTION_STATUS_SUCCEEDED,
  INP_PREDICTION_STATUS_FAILED,
  INP_PREDICTION_STATUS_CANCELED,
  INP_PREDICTION_STATUS_ABORTED,
} InpPredictionStatus;

#define INP_TYPE_PREDICTION_STATUS (inp_prediction_status_get_type ())
GType        inp_prediction_status_get_type    (void) G_GNUC_CONST;

#define INP_TYPE_PREDICTION (inp_prediction_get_type ())

G_DECLARE_FINAL_TYPE (InpPrediction, inp_prediction, INP, PREDICTION, GObject)

InpPrediction       *inp_prediction_new_from_json       (JsonNode       *node,
                                                         GError        **error);
InpPrediction       *inp_prediction_new_from_data       (const char     *data,
                                                         gssize          length,
                                                         GError        **error);
gboolean             inp_prediction_update_from_json    (InpPrediction  *self,
                                                         JsonNode       *node,
                                                         GError        **error);
void                 inp_prediction_update_from         (InpPrediction  *self,
                                                         InpPrediction  *newer);

const char          *inp_prediction_get_id              (InpPrediction  *self);
const char          *inp_prediction_get_model           (InpPrediction  *self);
const char          *inp_prediction_get_version         (InpPrediction  *self);
InpPredictionStatus  inp_prediction_get_status          (InpPrediction  *self);
JsonNode            *inp_prediction_get_input           (InpPrediction  *self);
JsonNode            *inp_prediction_get_output          (InpPrediction  *self);
const char          *inp_prediction_get_logs            (InpPrediction  *self);
double               inp_prediction_get_progress        (InpPrediction  *self);
int                  inp_prediction_get_progress_current (InpPrediction *self);
int                  inp_prediction_get_progress_total  (InpPrediction  *self);
const char          *inp_prediction_get_error           (InpPrediction  *self);
GDateTime           *inp_prediction_get_created_at      (InpPrediction  *self);
GDateTime           *inp_prediction_get_started_at      (InpPrediction  *self);
GDateTime           *inp_prediction_get_completed_at    (InpPrediction  *self);
JsonNode            *inp_prediction_get_metrics         (InpPrediction  *self);
double               inp_prediction_get_predict_time    (InpPrediction  *self);
gboolean             inp_prediction_get_data_removed    (InpPrediction  *self);

gboolean             inp_prediction_is_terminal         (InpPrediction  *self);
gboolean             inp_prediction_has_output          (InpPrediction  *self);
GPtrArray           *inp_prediction_dup_file_outputs    (InpPrediction  *self);

const char          *inp_prediction_status_to_string    (InpPredictionStatus status);
gboolean             inp_prediction_status_is_terminal  (InpPredictionStatus status);
gboolean             inp_parse_progress                 (const char     *logs,
                                                         int            *percent,
                                                         int            *current,
                                                         int            *total);

G_END_DECLS
