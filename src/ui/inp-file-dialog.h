/* inp-file-dialog.h: choosing a file, behind one helper so that the port to GtkFileDialog
 * (GTK 4.10) touches one file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void   inp_file_dialog_run_async  (GtkWidget            *parent,
                                   GtkFileChooserAction  action,
                                   const char           *title,
                                   const char           *accept_label,
                                   const char           *initial_name,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
GFile *inp_file_dialog_run_finish (GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS
