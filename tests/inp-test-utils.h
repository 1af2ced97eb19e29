/* inp-test-utils.h: helpers shared by the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* libsecret 0.20's file backend overwrites the etag of its previous write without freeing it
 * (on_replace_contents in secret-file-collection.c). Only keyring writes are exempted, with
 * these around the code that waits for them. */
#define KEYRING_WRITE_BEGIN() __lsan_disable ()
#define KEYRING_WRITE_END() __lsan_enable ()
#define UNDER_ASAN TRUE
#else
#define KEYRING_WRITE_BEGIN()
#define KEYRING_WRITE_END()
#define UNDER_ASAN FALSE
#endif

G_BEGIN_DECLS

gboolean inp_test_iterate_until   (gboolean    *flag,
                                   guint        timeout_ms);
char    *inp_test_make_temp_dir   (void);
char    *inp_test_set_user_dirs   (const char  *dir);
char    *inp_test_use_temp_data_dirs (void);
void     inp_test_remove_tree     (const char  *path);
void     inp_test_assert_same_file (GFile      *file,
                                    const char *path);
void     inp_test_assert_finalized_soon (gpointer  object);
int      inp_test_compare_doubles (gconstpointer a,
                                   gconstpointer b);
gboolean inp_test_set_language    (const char  *language);

/* Iterates the default main context until @flag is set; fails the test after @timeout_ms. */
#define inp_test_wait_for(flag, timeout_ms) \
  G_STMT_START { \
    if (!inp_test_iterate_until ((flag), (timeout_ms))) \
      g_error ("%s:%d: timed out after %u ms waiting for %s", \
               __FILE__, __LINE__, (guint) (timeout_ms), #flag); \
  } G_STMT_END

/* Iterates the default main context until @condition holds; fails the test after @timeout_ms. */
#define inp_test_wait_until(condition, timeout_ms) \
  G_STMT_START { \
    gint64 wait_deadline = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000; \
    while (!(condition)) \
      { \
        if (g_get_monotonic_time () > wait_deadline) \
          g_error ("%s:%d: timed out after %u ms waiting for %s", \
                   __FILE__, __LINE__, (guint) (timeout_ms), #condition); \
        if (!g_main_context_iteration (NULL, FALSE)) \
          g_usleep (1000); \
      } \
  } G_STMT_END

double        inp_test_percentile     (GArray        *values,
                                       double         fraction);

void          inp_test_result_cb      (GObject       *source,
                                       GAsyncResult  *result,
                                       gpointer       user_data);
GAsyncResult *inp_test_wait_result    (GAsyncResult **result,
                                       guint          timeout_ms);

G_END_DECLS
