/* inp-atomic-file.h: a file that appears whole, synced, or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * InpAtomicFileOpenFunc:
 * @path: the temporary file to create
 * @user_data: what was given with the function
 *
 * Creates @path for writing. Tests use this to send the bytes to `/dev/full` (a real ENOSPC
 * from the kernel) while the temporary file still exists, which root cannot provoke otherwise.
 *
 * Returns: a file descriptor open for writing, or -1 with errno set.
 */
typedef int (*InpAtomicFileOpenFunc) (const char *path,
                                      gpointer    user_data);

typedef struct _InpAtomicFile InpAtomicFile;

GError        *inp_atomic_file_error             (const char             *path,
                                                  int                     saved_errno);
InpAtomicFile *inp_atomic_file_new               (const char             *dir_path,
                                                  const char             *name,
                                                  InpAtomicFileOpenFunc   open_func,
                                                  gpointer                open_data,
                                                  GError                **error);
gboolean       inp_atomic_file_write             (InpAtomicFile          *self,
                                                  const void             *data,
                                                  gsize                   length,
                                                  GError                **error);
gboolean       inp_atomic_file_commit            (InpAtomicFile          *self,
                                                  GError                **error);
void           inp_atomic_file_free              (InpAtomicFile          *self);
const char    *inp_atomic_file_get_path          (InpAtomicFile          *self);
guint64        inp_atomic_file_get_size          (InpAtomicFile          *self);
const char    *inp_atomic_file_get_sha256        (InpAtomicFile          *self);
gboolean       inp_atomic_file_set_contents      (const char             *dir_path,
                                                  const char             *name,
                                                  const void             *data,
                                                  gsize                   length,
                                                  InpAtomicFileOpenFunc   open_func,
                                                  gpointer                open_data,
                                                  GError                **error);
void           inp_atomic_file_remove_leftovers  (const char             *dir_path,
                                                  const char             *prefix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpAtomicFile, inp_atomic_file_free)

G_END_DECLS
