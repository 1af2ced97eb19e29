/* inp-restore.h: what it takes to put a past generation back into the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "inp-library-job.h"

G_BEGIN_DECLS

/**
 * InpRestoreData:
 * @job_id: the library job it comes from, or 0 for a picture file
 * @model: the model, as `owner/name`
 * @version: (nullable): the model version, when recorded
 * @prompt: (nullable): the prompt
 * @negative_prompt: (nullable): the negative prompt, when the model took one
 * @seed: the seed, when @has_seed
 * @has_seed: whether the seed is known
 * @inputs: every input value as it was sent (never %NULL; may be empty)
 * @image: (nullable): the input image as stored, when recorded
 * @mask: (nullable): the mask as stored, when recorded
 *
 * The settings of one generation, read back from the library or from a picture's provenance.
 */
typedef struct
{
  gint64      job_id;
  char       *model;
  char       *version;
  char       *prompt;
  char       *negative_prompt;
  gint64      seed;
  gboolean    has_seed;
  JsonObject *inputs;
  GBytes     *image;
  GBytes     *mask;
} InpRestoreData;

#define INP_TYPE_RESTORE_DATA (inp_restore_data_get_type ())

GType           inp_restore_data_get_type         (void) G_GNUC_CONST;
InpRestoreData *inp_restore_data_copy             (const InpRestoreData  *data);
void            inp_restore_data_free             (InpRestoreData        *data);

InpRestoreData *inp_restore_data_load_job         (InpLibraryJob         *job,
                                                   GCancellable          *cancellable,
                                                   GError               **error);
void            inp_restore_data_load_job_async   (InpLibraryJob         *job,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
InpRestoreData *inp_restore_data_load_job_finish  (GAsyncResult          *result,
                                                   GError               **error);

InpRestoreData *inp_restore_data_load_file        (const char            *path,
                                                   GError               **error);
void            inp_restore_data_load_file_async  (const char            *path,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
InpRestoreData *inp_restore_data_load_file_finish (GAsyncResult          *result,
                                                   GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpRestoreData, inp_restore_data_free)

G_END_DECLS
