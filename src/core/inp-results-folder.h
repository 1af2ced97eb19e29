/* inp-results-folder.h: copies of finished outputs in the folder the user chose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "inp-library-output.h"

G_BEGIN_DECLS

char      *inp_results_folder_file_name   (InpLibraryOutput     *output);
void       inp_results_folder_copy_async  (const char           *folder,
                                           GPtrArray            *outputs,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GPtrArray *inp_results_folder_copy_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
