/* inp-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-application.h"
#include "inp-client.h"
#include "inp-gallery.h"
#include "inp-history-view.h"
#include "inp-job-queue.h"
#include "inp-mask-canvas.h"
#include "inp-model-picker.h"
#include "inp-param-form.h"
#include "inp-prompt-panel.h"
#include "inp-restore.h"
#include "inp-sandbox.h"

G_BEGIN_DECLS

#define INP_TYPE_WINDOW (inp_window_get_type ())

G_DECLARE_FINAL_TYPE (InpWindow, inp_window, INP, WINDOW, AdwApplicationWindow)

InpWindow     *inp_window_new          (InpApplication       *application);
InpMaskCanvas *inp_window_get_canvas   (InpWindow            *self);
void           inp_window_open_async   (InpWindow            *self,
                                        GFile                *file,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean       inp_window_open_finish  (InpWindow            *self,
                                        GAsyncResult         *result,
                                        GError              **error);
void           inp_window_open_file    (InpWindow            *self,
                                        GFile                *file);
void           inp_window_open_texture (InpWindow            *self,
                                        GdkTexture           *texture,
                                        const char           *name);
void           inp_window_new_canvas   (InpWindow            *self,
                                        int                   width,
                                        int                   height);
void           inp_window_paste_picture (InpWindow           *self);

InpModelPicker *inp_window_get_model_picker (InpWindow       *self);
InpPromptPanel *inp_window_get_prompt_panel (InpWindow       *self);
InpParamForm   *inp_window_get_param_form   (InpWindow       *self);
InpJobQueue    *inp_window_get_job_queue    (InpWindow       *self);
InpClient      *inp_window_get_client       (InpWindow       *self);
InpSandbox     *inp_window_get_sandbox      (InpWindow       *self);
InpLibrary     *inp_window_get_library      (InpWindow       *self);
InpGallery     *inp_window_get_gallery      (InpWindow       *self);
gboolean        inp_window_use_sandbox      (InpWindow       *self,
                                             GError         **error);
GtkWidget      *inp_window_find_job_row     (InpWindow       *self,
                                             InpJob          *job);
gboolean        inp_window_show_job         (InpWindow       *self,
                                             guint            job_id);

InpHistoryView *inp_window_get_history_view (InpWindow       *self);
void            inp_window_restore_job_async  (InpWindow           *self,
                                               InpLibraryJob       *job,
                                               gboolean             run_again,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        inp_window_restore_job_finish (InpWindow           *self,
                                               GAsyncResult        *result,
                                               GError             **error);
const InpRestoreData *inp_window_get_provenance (InpWindow     *self);

G_END_DECLS
