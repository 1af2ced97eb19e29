/* inp-resume.h: taking up the jobs a crash or a quit left unfinished
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "inp-client.h"
#include "inp-library.h"

G_BEGIN_DECLS

#define INP_TYPE_RESUME (inp_resume_get_type ())

G_DECLARE_FINAL_TYPE (InpResume, inp_resume, INP, RESUME, GObject)

InpResume  *inp_resume_new           (InpLibrary           *library);
void        inp_resume_add_client    (InpResume            *self,
                                      InpClient            *client);
guint       inp_resume_get_n_jobs    (InpResume            *self);
guint       inp_resume_get_n_settled (InpResume            *self);

void        inp_resume_run_async     (InpResume            *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean    inp_resume_run_finish    (InpResume            *self,
                                      GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
