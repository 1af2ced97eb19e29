/* inp-library-output.h: one output file of a job, safely on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INP_TYPE_LIBRARY_OUTPUT (inp_library_output_get_type ())

G_DECLARE_FINAL_TYPE (InpLibraryOutput, inp_library_output, INP, LIBRARY_OUTPUT, GObject)

gint64      inp_library_output_get_id          (InpLibraryOutput *self);
gint64      inp_library_output_get_job_id      (InpLibraryOutput *self);
guint       inp_library_output_get_index       (InpLibraryOutput *self);
GFile      *inp_library_output_get_file        (InpLibraryOutput *self);
const char *inp_library_output_get_media_type  (InpLibraryOutput *self);
guint64     inp_library_output_get_size        (InpLibraryOutput *self);
int         inp_library_output_get_width       (InpLibraryOutput *self);
int         inp_library_output_get_height      (InpLibraryOutput *self);
const char *inp_library_output_get_sha256      (InpLibraryOutput *self);
GDateTime  *inp_library_output_get_created     (InpLibraryOutput *self);
const char *inp_library_output_get_prompt      (InpLibraryOutput *self);
const char *inp_library_output_get_model       (InpLibraryOutput *self);

G_END_DECLS
