/* inp-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "inp-custom-models.h"
#include "inp-library.h"

G_BEGIN_DECLS

#define INP_TYPE_APPLICATION (inp_application_get_type ())

G_DECLARE_FINAL_TYPE (InpApplication, inp_application, INP, APPLICATION, AdwApplication)

InpApplication *inp_application_new          (void);
GSettings      *inp_application_get_settings (InpApplication *self);
InpLibrary     *inp_application_get_library  (InpApplication *self,
                                              GError        **error);
InpCustomModels *inp_application_get_custom_models (InpApplication *self);

G_END_DECLS
