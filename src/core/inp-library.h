/* inp-library.h: every generation the user made, kept on their disk
 *
 * A job runner records a job before it sends anything, then follows it:
 *
 *   id = inp_library_create_job (…)              status pending
 *   inp_library_store_inputs_async (id, image, mask)
 *   inp_library_set_prediction_id (id, "…")      as soon as the create request answers
 *   inp_library_update_status (id, STARTING/PROCESSING)
 *   inp_library_update_status (id, DOWNLOADING)  the service succeeded
 *   inp_library_store_output_async (id, i, …)    for each output: synced and renamed first
 *   inp_library_update_status (id, SUCCEEDED)    every output is on disk
 *
 * and at start-up settles inp_library_list_unfinished(): follows those with a prediction id,
 * marks the others NOT_SENT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "inp-library-job.h"
#include "inp-library-output.h"
#include "inp-provenance.h"

G_BEGIN_DECLS

/* The schema version this build writes; a database with a higher one is left alone. */
#define INP_LIBRARY_SCHEMA_VERSION 4

/**
 * InpLibraryQuery:
 * @text: (nullable): words that must all appear in the prompt (case-insensitive for ASCII)
 * @model: (nullable): only jobs of this model
 * @statuses: a set of INP_LIBRARY_JOB_STATUS_BIT()s, or 0 for any status
 * @offset: how many matching jobs to skip
 * @limit: how many jobs at most, or 0 for all
 *
 * Which jobs to list, newest first. Zero-initialise it and set what matters.
 */
typedef struct
{
  const char *text;
  const char *model;
  guint       statuses;
  guint       offset;
  guint       limit;
} InpLibraryQuery;

#define INP_TYPE_LIBRARY (inp_library_get_type ())

G_DECLARE_FINAL_TYPE (InpLibrary, inp_library, INP, LIBRARY, GObject)

char             *inp_library_get_default_path    (void);
char             *inp_library_endpoint_host       (const char           *endpoint);
InpLibrary       *inp_library_new                 (const char           *path,
                                                   GError              **error);
const char       *inp_library_get_path            (InpLibrary           *self);
GFile            *inp_library_get_files_dir       (InpLibrary           *self);
const GError     *inp_library_get_problem         (InpLibrary           *self);
const char       *inp_library_get_set_aside_path  (InpLibrary           *self);

gint64            inp_library_create_job          (InpLibrary           *self,
                                                   const char           *model,
                                                   const char           *version,
                                                   const char           *endpoint,
                                                   const char           *prompt,
                                                   JsonNode             *inputs,
                                                   GError              **error);
void              inp_library_create_job_async    (InpLibrary           *self,
                                                   const char           *model,
                                                   const char           *version,
                                                   const char           *endpoint,
                                                   const char           *prompt,
                                                   JsonNode             *inputs,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64            inp_library_create_job_finish   (InpLibrary           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
gboolean          inp_library_set_prediction_id   (InpLibrary           *self,
                                                   gint64                job_id,
                                                   const char           *prediction_id,
                                                   GError              **error);
gboolean          inp_library_update_status       (InpLibrary           *self,
                                                   gint64                job_id,
                                                   InpLibraryJobStatus   status,
                                                   const char           *message,
                                                   GError              **error);
gboolean          inp_library_set_metrics         (InpLibrary           *self,
                                                   gint64                job_id,
                                                   JsonNode             *metrics,
                                                   GError              **error);

gboolean          inp_library_store_inputs        (InpLibrary           *self,
                                                   gint64                job_id,
                                                   GBytes               *image,
                                                   GBytes               *mask,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
void              inp_library_store_inputs_async  (InpLibrary           *self,
                                                   gint64                job_id,
                                                   GBytes               *image,
                                                   GBytes               *mask,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          inp_library_store_inputs_finish (InpLibrary           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

InpLibraryOutput *inp_library_store_output        (InpLibrary           *self,
                                                   gint64                job_id,
                                                   guint                 index,
                                                   const char           *media_type,
                                                   GInputStream         *stream,
                                                   const InpProvenance  *provenance,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
void              inp_library_store_output_async  (InpLibrary           *self,
                                                   gint64                job_id,
                                                   guint                 index,
                                                   const char           *media_type,
                                                   GInputStream         *stream,
                                                   const InpProvenance  *provenance,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
InpLibraryOutput *inp_library_store_output_finish (InpLibrary           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

InpLibraryJob    *inp_library_get_job             (InpLibrary           *self,
                                                   gint64                job_id,
                                                   GError              **error);
GPtrArray        *inp_library_get_history         (InpLibrary           *self,
                                                   gint64                job_id,
                                                   GError              **error);
GPtrArray        *inp_library_list_outputs        (InpLibrary           *self,
                                                   gint64                job_id,
                                                   GError              **error);
GPtrArray        *inp_library_list_jobs           (InpLibrary           *self,
                                                   const InpLibraryQuery *query,
                                                   GError              **error);
void              inp_library_list_jobs_async     (InpLibrary           *self,
                                                   const InpLibraryQuery *query,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray        *inp_library_list_jobs_finish    (InpLibrary           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
GPtrArray        *inp_library_list_unfinished     (InpLibrary           *self,
                                                   GError              **error);

gboolean          inp_library_delete_job          (InpLibrary           *self,
                                                   gint64                job_id,
                                                   GError              **error);
gboolean          inp_library_restore_job         (InpLibrary           *self,
                                                   gint64                job_id,
                                                   GError              **error);
gboolean          inp_library_purge_job           (InpLibrary           *self,
                                                   gint64                job_id,
                                                   GError              **error);
gboolean          inp_library_delete_output       (InpLibrary           *self,
                                                   gint64                output_id,
                                                   GError              **error);
gboolean          inp_library_restore_output      (InpLibrary           *self,
                                                   gint64                output_id,
                                                   GError              **error);
gboolean          inp_library_purge_output        (InpLibrary           *self,
                                                   gint64                output_id,
                                                   GError              **error);

G_END_DECLS
