/* inp-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "inp-i18n.h"
#include "inp-test-utils.h"

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * inp_test_iterate_until:
 * @flag: set by the code under test when it is done
 * @timeout_ms: how long to wait at most
 *
 * Returns: %TRUE if @flag became set, %FALSE if the time ran out first.
 */
gboolean
inp_test_iterate_until (gboolean *flag,
                        guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return *flag;
}

char *
inp_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("inpainter-test-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

/**
 * inp_test_set_user_dirs:
 * @dir: a temporary folder of the test's
 *
 * Points `XDG_DATA_HOME` and `XDG_CACHE_HOME` into @dir, before anything reads them, so that the
 * library and downloads of the test are its own.
 *
 * Returns: (transfer full): the data folder
 */
char *
inp_test_set_user_dirs (const char *dir)
{
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);

  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);

  return g_steal_pointer (&data_dir);
}

/**
 * inp_test_use_temp_data_dirs:
 *
 * Like inp_test_set_user_dirs(), in a fresh temporary folder, so that windows open a library of
 * their own and never the user's. Call before anything reads them.
 *
 * Returns: (transfer full): the folder, to remove with inp_test_remove_tree()
 */
char *
inp_test_use_temp_data_dirs (void)
{
  char *dir = inp_test_make_temp_dir ();

  g_free (inp_test_set_user_dirs (dir));

  return dir;
}

void
inp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      inp_test_remove_tree (child);
    }
  g_rmdir (path);
}

/**
 * inp_test_result_cb:
 * @user_data: a `GAsyncResult **`, %NULL until the operation ends
 *
 * A callback for any `_async` call: it keeps the result, for the test to `_finish` it after
 * inp_test_wait_result().
 */
void
inp_test_result_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

/**
 * inp_test_wait_result:
 * @result: where inp_test_result_cb() puts the result
 *
 * Iterates the default main context until @result is set; fails the test after @timeout_ms.
 *
 * Returns: (transfer none): the result; it stays in @result for the caller to clear.
 */
GAsyncResult *
inp_test_wait_result (GAsyncResult **result,
                      guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out after %u ms waiting for an asynchronous result", timeout_ms);
  g_source_remove (id);

  return *result;
}

/* For qsort() and g_array_sort() of doubles, smallest first. */
int
inp_test_compare_doubles (gconstpointer a,
                          gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * inp_test_percentile:
 * @values: (element-type double): figures of a benchmark; sorted in place
 * @fraction: 0.5 for the median, 0.95 for the 95th percentile, 1 for the largest
 *
 * Returns: the value at @fraction of the sorted @values.
 */
double
inp_test_percentile (GArray *values,
                     double  fraction)
{
  g_array_sort (values, inp_test_compare_doubles);
  return g_array_index (values, double, (guint) MIN (values->len - 1, fraction * values->len));
}

/**
 * inp_test_assert_finalized_soon:
 * @object: (transfer full): an object the test is done with
 *
 * Drops the test's reference and asserts that @object is finalized within a few seconds. Tasks
 * that ran on worker threads or finished in an idle release their references a moment after
 * their callbacks, so the main context is iterated meanwhile.
 */
void
inp_test_assert_finalized_soon (gpointer object)
{
  gpointer weak = object;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);

  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  if (weak != NULL)
    g_object_remove_weak_pointer (G_OBJECT (weak), &weak);
  g_assert_null (weak);
}

/* Fails the test unless @path holds exactly the bytes of @file. */
void
inp_test_assert_same_file (GFile      *file,
                           const char *path)
{
  g_autofree char *original = NULL;
  g_autofree char *copy = NULL;
  gsize original_length;
  gsize copy_length;
  g_autoptr(GError) error = NULL;

  g_file_load_contents (file, NULL, &original, &original_length, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &copy, &copy_length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (original, original_length, copy, copy_length);
}

/* Shows the messages in @language, such as "zh_CN", or untranslated for "". Returns FALSE, and
 * skips the test, when the build tree holds no catalogue for @language. */
gboolean
inp_test_set_language (const char *language)
{
  if (*language != '\0')
    {
      g_autofree char *mo = g_build_filename (inp_i18n_get_localedir (), language,
                                              "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

      if (!g_file_test (mo, G_FILE_TEST_EXISTS))
        {
          g_test_skip_printf ("the %s catalogue is not built", language);
          return FALSE;
        }
    }

  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "");
  return TRUE;
}
