/* inp-library-private.h: what the library's own files share, and a hook for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "inp-atomic-file.h"
#include "inp-library.h"

G_BEGIN_DECLS

/* The columns inp_library_job_new_from_row() reads, in order, from `jobs j`: the last two count
 * the outputs that are kept and those deleted (still recoverable). */
#define INP_LIBRARY_JOB_COLUMNS \
  "j.id, j.dir, j.created_at, j.updated_at, j.model, j.version, j.endpoint_host, j.prompt, " \
  "j.inputs, j.image_path, j.mask_path, j.prediction_id, j.status, j.error, j.metrics, " \
  "(SELECT count(*) FROM outputs o WHERE o.job_id = j.id AND o.deleted_at IS NULL), " \
  "(SELECT count(*) FROM outputs o WHERE o.job_id = j.id AND o.deleted_at IS NOT NULL)"

/* The columns inp_library_output_new_from_row() reads, in order, from `outputs o JOIN jobs j`. */
#define INP_LIBRARY_OUTPUT_COLUMNS \
  "o.id, o.job_id, o.idx, o.path, o.media_type, o.size, o.width, o.height, o.sha256, " \
  "o.created_at, j.prompt, j.model"

GDateTime        *inp_library_date_time_new        (gint64        usec);
InpLibraryJob    *inp_library_job_new_from_row     (sqlite3_stmt *stmt,
                                                    GFile        *files_dir);
InpLibraryOutput *inp_library_output_new_from_row  (sqlite3_stmt *stmt,
                                                    GFile        *files_dir);

/* Reads a page of the gallery: outputs that are not deleted, of jobs that are not deleted, newest
 * first. */
GPtrArray        *inp_library_list_gallery_page    (InpLibrary   *self,
                                                    guint         offset,
                                                    guint         limit,
                                                    GError      **error);
guint             inp_library_count_gallery        (InpLibrary   *self,
                                                    GError      **error);

/* Tests send output bytes to /dev/full through this; see InpAtomicFileOpenFunc. */
void              inp_library_set_open_func        (InpLibrary            *self,
                                                    InpAtomicFileOpenFunc  func,
                                                    gpointer               user_data);

G_END_DECLS
