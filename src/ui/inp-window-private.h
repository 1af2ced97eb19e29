/* inp-window-private.h: what the window's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "inp-client.h"
#include "inp-gallery.h"
#include "inp-history-view.h"
#include "inp-job-queue.h"
#include "inp-model-picker.h"
#include "inp-param-form.h"
#include "inp-prompt-panel.h"
#include "inp-restore.h"
#include "inp-sandbox.h"
#include "inp-window.h"

G_BEGIN_DECLS

struct _InpWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwFlap              *flap;
  AdwWindowTitle       *window_title;
  GtkLabel             *sandbox_badge;
  GtkStack             *canvas_stack;
  InpMaskCanvas        *canvas;
  InpModelPicker       *model_picker;
  InpPromptPanel       *prompt_panel;
  InpParamForm         *param_form;
  GtkStack             *results_stack;
  GtkBox               *gallery_box;
  GtkListBox           *jobs_list;
  GtkMenuButton        *zoom_button;
  GtkMenuButton        *brush_button;
  GtkColorButton       *color_button;
  GtkAdjustment        *size_adjustment;
  GtkAdjustment        *hardness_adjustment;
  GtkAdjustment        *opacity_adjustment;
  GtkAdjustment        *edge_adjustment;
  GtkAdjustment        *extend_adjustment;

  /* Owned references */
  GSettings            *settings;
  GCancellable         *cancellable;
  gboolean              choosing;

  /* Generating (inp-window-generate.c) */
  InpClient            *client;
  InpSandbox           *sandbox;
  InpJobQueue          *queue;
  InpLibrary           *library;
  InpGallery           *gallery;
  GCancellable         *connect_cancellable;
  gboolean              needs_token;
  guint                 exporting;

  /* History and provenance (inp-window-history.c) */
  GtkPaned             *results_paned;
  GtkStackPage         *history_page;
  GtkBox               *history_box;
  InpHistoryView       *history;
  InpRestoreData       *provenance;
  AdwToast             *provenance_toast;

  /* Title, notifications and the offline state (inp-window-status.c) */
  GtkRevealer          *offline_revealer;
  char                 *picture_name;
  GArray               *unseen;
};

/* inp-window.c */
GWeakRef  *inp_window_weak_new               (InpWindow      *self);
InpWindow *inp_window_weak_take              (GWeakRef       *weak);
void       inp_window_show_toast             (InpWindow      *self,
                                              const char     *message);
void       inp_window_update_centre          (InpWindow      *self);

/* inp-window-generate.c */
void       inp_window_generate_class_init    (GtkWidgetClass *widget_class);
void       inp_window_generate_init          (InpWindow      *self);
void       inp_window_generate_dispose       (InpWindow      *self);

/* inp-window-history.c */
void       inp_window_history_class_init     (GtkWidgetClass *widget_class);
void       inp_window_history_init           (InpWindow      *self);
void       inp_window_history_dispose        (InpWindow      *self);
void       inp_window_history_offer          (InpWindow      *self,
                                              InpRestoreData *provenance);

/* inp-window-input.c */
void       inp_window_input_class_init       (GtkWidgetClass *widget_class);
void       inp_window_input_init             (InpWindow      *self);
void       inp_window_input_follow_gallery   (InpWindow      *self);

/* inp-window-status.c */
void       inp_window_status_class_init      (GtkWidgetClass *widget_class);
void       inp_window_status_init            (InpWindow      *self);
void       inp_window_status_dispose         (InpWindow      *self);
void       inp_window_status_set_picture_name (InpWindow     *self,
                                              const char     *name);
void       inp_window_status_update          (InpWindow      *self);

/* inp-window-outpaint.c */
void        inp_window_outpaint_class_init   (GtkWidgetClass *widget_class);
void        inp_window_outpaint_init         (InpWindow      *self);
const char *inp_window_outpaint_preset_for   (InpModel       *model,
                                              const char     *side);

G_END_DECLS
