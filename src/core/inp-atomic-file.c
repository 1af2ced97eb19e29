/* inp-atomic-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/file.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "inp-atomic-file.h"
#include "inp-error.h"

#define TEMPORARY_SUFFIX ".tmp"

struct _InpAtomicFile
{
  char      *dir_path;
  char      *path;
  char      *tmp_path;
  int        fd;
  GChecksum *checksum;
  char      *sha256;
  guint64    size;
  gboolean   committed;
};

/**
 * inp_atomic_file_error:
 * @path: the file that could not be written, as the user knows it
 * @saved_errno: why
 *
 * Returns: (transfer full): an %INP_ERROR_FAILED that names @path, and says plainly when the
 *   disk is full.
 */
GError *
inp_atomic_file_error (const char *path,
                       int         saved_errno)
{
  g_autofree char *display = g_filename_display_name (path);

  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    return g_error_new (INP_ERROR, INP_ERROR_FAILED,
                        _("There is not enough free space to save “%s”"), display);

  /* Translators: a file name, then why it could not be saved */
  return g_error_new (INP_ERROR, INP_ERROR_FAILED, _("“%s” could not be saved: %s"),
                      display, g_strerror (saved_errno));
}

static int
default_open (const char *path,
              gpointer    user_data)
{
  return open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

/**
 * inp_atomic_file_remove_leftovers:
 * @prefix: the start of the names to look at ("" for all)
 *
 * Removes temporary files that a crash or a failed save left in @dir_path. A writer that is
 * alive, in this process or another (the app and the CLI can both be resuming), holds a lock on
 * its file and is spared; a crashed one holds none.
 */
void
inp_atomic_file_remove_leftovers (const char *dir_path,
                                  const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      int fd;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, TEMPORARY_SUFFIX))
        continue;

      path = g_build_filename (dir_path, name, NULL);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          g_debug ("atomic-file: removing the leftover %s", path);
          g_remove (path);
        }
      close (fd);
    }
}

/**
 * inp_atomic_file_new:
 * @dir_path: the folder, created if needed
 * @name: the file's name once committed
 * @open_func: (nullable): how to create the temporary file; %NULL for open(2)
 *
 * Starts writing @dir_path/@name under a temporary name of its own, so that a crashed writer's
 * file is never written into and a reader never sees a partial file.
 *
 * Returns: (transfer full): the writer, or %NULL with an %INP_ERROR_FAILED.
 */
InpAtomicFile *
inp_atomic_file_new (const char             *dir_path,
                     const char             *name,
                     InpAtomicFileOpenFunc   open_func,
                     gpointer                open_data,
                     GError                **error)
{
  g_autoptr(InpAtomicFile) self = NULL;
  g_autofree char *tmp_name = NULL;

  g_return_val_if_fail (dir_path != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (InpAtomicFile, 1);
  self->fd = -1;
  self->dir_path = g_strdup (dir_path);
  self->path = g_build_filename (dir_path, name, NULL);
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);

  if (g_mkdir_with_parents (dir_path, 0755) != 0)
    {
      g_propagate_error (error, inp_atomic_file_error (dir_path, errno));
      return NULL;
    }

  inp_atomic_file_remove_leftovers (dir_path, name);
  tmp_name = g_strdup_printf ("%s.%08x" TEMPORARY_SUFFIX, name, g_random_int ());
  self->tmp_path = g_build_filename (dir_path, tmp_name, NULL);

  self->fd = (open_func != NULL ? open_func : default_open) (self->tmp_path, open_data);
  if (self->fd < 0)
    {
      g_propagate_error (error, inp_atomic_file_error (self->path, errno));
      g_clear_pointer (&self->tmp_path, g_free);
      return NULL;
    }

  /* Held until the file is renamed or removed; see inp_atomic_file_remove_leftovers(). */
  flock (self->fd, LOCK_EX);

  return g_steal_pointer (&self);
}

gboolean
inp_atomic_file_write (InpAtomicFile  *self,
                       const void     *data,
                       gsize           length,
                       GError        **error)
{
  const guint8 *bytes = data;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->committed, FALSE);

  g_checksum_update (self->checksum, data, length);
  self->size += length;

  while (length > 0)
    {
      gssize written = write (self->fd, bytes, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        {
          g_propagate_error (error, inp_atomic_file_error (self->path,
                                                           written < 0 ? errno : ENOSPC));
          return FALSE;
        }
      bytes += written;
      length -= written;
    }

  return TRUE;
}

static void
sync_directory (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/**
 * inp_atomic_file_commit:
 *
 * Syncs the data, renames the file into place and syncs the folder: from then on the file is
 * whole on disk, even after a power cut.
 */
gboolean
inp_atomic_file_commit (InpAtomicFile  *self,
                        GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->committed, FALSE);

  if (fsync (self->fd) != 0 || g_rename (self->tmp_path, self->path) != 0)
    {
      g_propagate_error (error, inp_atomic_file_error (self->path, errno));
      return FALSE;
    }

  /* The data was synced before the rename, so a late close error loses nothing. */
  close (self->fd);
  self->fd = -1;
  self->committed = TRUE;
  self->sha256 = g_strdup (g_checksum_get_string (self->checksum));
  sync_directory (self->dir_path);

  return TRUE;
}

/**
 * inp_atomic_file_free:
 *
 * Frees the writer; a file that was not committed is removed.
 */
void
inp_atomic_file_free (InpAtomicFile *self)
{
  if (self == NULL)
    return;

  if (!self->committed && self->tmp_path != NULL)
    g_remove (self->tmp_path);
  if (self->fd >= 0)
    close (self->fd);

  g_free (self->dir_path);
  g_free (self->path);
  g_free (self->tmp_path);
  g_free (self->sha256);
  g_checksum_free (self->checksum);
  g_free (self);
}

/**
 * inp_atomic_file_get_path:
 *
 * Returns: where the file is once committed.
 */
const char *
inp_atomic_file_get_path (InpAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

guint64
inp_atomic_file_get_size (InpAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

/**
 * inp_atomic_file_get_sha256:
 *
 * Returns: (nullable): the SHA-256 of the bytes written, in lowercase hex, once committed.
 */
const char *
inp_atomic_file_get_sha256 (InpAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->sha256;
}

/**
 * inp_atomic_file_set_contents:
 *
 * Writes and commits @data as @dir_path/@name in one go.
 */
gboolean
inp_atomic_file_set_contents (const char             *dir_path,
                              const char             *name,
                              const void             *data,
                              gsize                   length,
                              InpAtomicFileOpenFunc   open_func,
                              gpointer                open_data,
                              GError                **error)
{
  g_autoptr(InpAtomicFile) file = inp_atomic_file_new (dir_path, name, open_func, open_data,
                                                       error);

  return file != NULL &&
         inp_atomic_file_write (file, data, length, error) &&
         inp_atomic_file_commit (file, error);
}
