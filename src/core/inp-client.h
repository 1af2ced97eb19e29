/* inp-client.h: every HTTP exchange with a Replicate-compatible API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "inp-endpoint.h"
#include "inp-prediction.h"

G_BEGIN_DECLS

#define INP_CLIENT_DEFAULT_WAIT_SECONDS 60
#define INP_CLIENT_DEFAULT_MAX_JSON_BYTES (32 * 1024 * 1024)
#define INP_CLIENT_DEFAULT_MAX_DOWNLOAD_BYTES (512 * 1024 * 1024)
#define INP_CLIENT_DEFAULT_MAX_DATA_URI_BYTES (10 * 1000 * 1000)

/**
 * InpUploadStrategy:
 * @INP_UPLOAD_STRATEGY_AUTOMATIC: `POST /files` where the endpoint has it, else data URIs
 * @INP_UPLOAD_STRATEGY_DATA_URI: always data URIs; `/files` is never called
 *
 * How file inputs reach the service. The nicks match the `upload-strategy` setting.
 */
typedef enum
{
  INP_UPLOAD_STRATEGY_AUTOMATIC,
  INP_UPLOAD_STRATEGY_DATA_URI,
} InpUploadStrategy;

#define INP_TYPE_UPLOAD_STRATEGY (inp_upload_strategy_get_type ())
GType inp_upload_strategy_get_type (void) G_GNUC_CONST;

#define INP_TYPE_CLIENT (inp_client_get_type ())

G_DECLARE_FINAL_TYPE (InpClient, inp_client, INP, CLIENT, GObject)

InpClient     *inp_client_new                      (InpEndpoint          *endpoint,
                                                    const char           *token);
InpEndpoint   *inp_client_get_endpoint             (InpClient            *self);
guint          inp_client_get_wait_seconds         (InpClient            *self);
void           inp_client_set_wait_seconds         (InpClient            *self,
                                                    guint                 wait_seconds);
InpUploadStrategy inp_client_get_upload_strategy    (InpClient            *self);
void           inp_client_set_upload_strategy      (InpClient            *self,
                                                    InpUploadStrategy     strategy);
void           inp_client_set_limits               (InpClient            *self,
                                                    gsize                 max_json_bytes,
                                                    gsize                 max_download_bytes,
                                                    gsize                 max_data_uri_bytes);
void           inp_client_set_retry_policy         (InpClient            *self,
                                                    guint                 max_attempts,
                                                    guint                 base_delay_ms);

gboolean       inp_client_answer_is_final          (InpPrediction        *prediction);
gint64         inp_client_parse_retry_after        (const char           *value);

void           inp_client_create_by_version_async  (InpClient            *self,
                                                    const char           *version,
                                                    JsonObject           *input,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
void           inp_client_create_by_model_async    (InpClient            *self,
                                                    const char           *model,
                                                    JsonObject           *input,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
InpPrediction *inp_client_create_finish            (InpClient            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void           inp_client_get_prediction_async     (InpClient            *self,
                                                    const char           *id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
InpPrediction *inp_client_get_prediction_finish    (InpClient            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void           inp_client_cancel_prediction_async  (InpClient            *self,
                                                    const char           *id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
InpPrediction *inp_client_cancel_prediction_finish (InpClient            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void           inp_client_follow_async             (InpClient            *self,
                                                    InpPrediction        *prediction,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean       inp_client_follow_finish            (InpClient            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void           inp_client_upload_async             (InpClient            *self,
                                                    GBytes               *bytes,
                                                    const char           *content_type,
                                                    const char           *filename,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char          *inp_client_upload_finish            (InpClient            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void           inp_client_get_model_async          (InpClient            *self,
                                                    const char           *model,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
JsonObject    *inp_client_get_model_finish         (InpClient            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void           inp_client_get_account_async        (InpClient            *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
JsonObject    *inp_client_get_account_finish       (InpClient            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void           inp_client_download_outputs_async   (InpClient            *self,
                                                    InpPrediction        *prediction,
                                                    const char           *directory,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray     *inp_client_download_outputs_finish  (InpClient            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
