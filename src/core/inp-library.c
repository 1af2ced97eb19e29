/* inp-library.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "inp-atomic-file.h"
#include "inp-debug.h"
#include "inp-error.h"
#include "inp-json.h"
#include "inp-library-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Jobs and outputs deleted longer ago than this can no longer be undone, so opening the library
 * purges them. */
#define PURGE_AFTER_USEC   ((gint64) G_USEC_PER_SEC * 60 * 60)
#define TRASH_DIR          ".trash"
/* Inside TRASH_DIR: outputs deleted one by one, in a folder per job. Job folders are UUIDs, so
 * this name never meets one. */
#define OUTPUT_TRASH_DIR   "outputs"
#define MAX_FRESH_ATTEMPTS 20
#define COPY_BUFFER_SIZE   (64 * 1024)

struct _InpLibrary
{
  GObject             parent_instance;

  char               *path;
  char               *files_path;
  GFile              *files_dir;
  sqlite3            *db;
  GError             *problem;
  char               *set_aside_path;
  GMainContext       *context;

  /* One connection serves every thread; the lock keeps each multi-statement change whole. */
  GMutex              lock;

  InpAtomicFileOpenFunc  open_func;
  gpointer               open_data;
};

G_DEFINE_FINAL_TYPE (InpLibrary, inp_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_PROBLEM,
  PROP_SET_ASIDE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  JOB_CHANGED,
  OUTPUT_ADDED,
  OUTPUTS_RESET,
  OUTPUT_DELETED,
  OUTPUT_RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Each step migrates from the version of its index to the next one, inside one transaction. */
static const char *const migrations[INP_LIBRARY_SCHEMA_VERSION] = {
  /* 0 → 1: jobs, their status history and their outputs. */
  "CREATE TABLE jobs ("
  "  id INTEGER PRIMARY KEY,"
  "  dir TEXT NOT NULL UNIQUE,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  model TEXT NOT NULL,"
  "  version TEXT,"
  "  endpoint_host TEXT,"
  "  prompt TEXT NOT NULL DEFAULT '',"
  "  inputs TEXT NOT NULL DEFAULT '{}',"
  "  image_path TEXT,"
  "  mask_path TEXT,"
  "  prediction_id TEXT,"
  "  status TEXT NOT NULL,"
  "  error TEXT,"
  "  metrics TEXT"
  ");"
  "CREATE TABLE job_events ("
  "  job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  at INTEGER NOT NULL,"
  "  status TEXT NOT NULL,"
  "  message TEXT"
  ");"
  "CREATE INDEX job_events_by_job ON job_events (job_id);"
  "CREATE TABLE outputs ("
  "  id INTEGER PRIMARY KEY,"
  "  job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  idx INTEGER NOT NULL,"
  "  path TEXT NOT NULL,"
  "  media_type TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  width INTEGER NOT NULL DEFAULT 0,"
  "  height INTEGER NOT NULL DEFAULT 0,"
  "  sha256 TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (job_id, idx)"
  ");",

  /* 1 → 2: search by prompt and filters by model and status. The trigram tokenizer indexes
   * substrings, so it finds words in prompts without spaces (Chinese) and parts of words. */
  "CREATE INDEX jobs_by_model ON jobs (model);"
  "CREATE INDEX jobs_by_status ON jobs (status);"
  "CREATE VIRTUAL TABLE jobs_fts USING fts5 (prompt, content='jobs', content_rowid='id',"
  "                                          tokenize='trigram');"
  "INSERT INTO jobs_fts (jobs_fts) VALUES ('rebuild');"
  "CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN"
  "  INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, new.prompt);"
  "END;"
  "CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN"
  "  INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);"
  "END;"
  "CREATE TRIGGER jobs_fts_update AFTER UPDATE OF prompt ON jobs BEGIN"
  "  INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);"
  "  INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, new.prompt);"
  "END;",

  /* 2 → 3: deleting with undo keeps the row until it is purged. */
  "ALTER TABLE jobs ADD COLUMN deleted_at INTEGER;"
  "CREATE INDEX jobs_deleted ON jobs (deleted_at) WHERE deleted_at IS NOT NULL;",

  /* 3 → 4: one output of a batch can be deleted, with undo, and the others kept. */
  "ALTER TABLE outputs ADD COLUMN deleted_at INTEGER;"
  "CREATE INDEX outputs_deleted ON outputs (deleted_at) WHERE deleted_at IS NOT NULL;",
};

/* Errors */

static GError *
db_error (InpLibrary *self)
{
  int code = sqlite3_errcode (self->db);

  if (code == SQLITE_FULL)
    return g_error_new_literal (INP_ERROR, INP_ERROR_FAILED,
                                _("The disk is full, so the library could not be updated"));

  return g_error_new (INP_ERROR, INP_ERROR_FAILED, _("The library could not be updated: %s"),
                      sqlite3_errmsg (self->db));
}

static gboolean
set_db_error (InpLibrary  *self,
              GError     **error)
{
  g_propagate_error (error, db_error (self));
  return FALSE;
}

static GError *
job_not_found_error (gint64 job_id)
{
  g_debug ("library: no job %" G_GINT64_FORMAT, job_id);
  return g_error_new_literal (INP_ERROR, INP_ERROR_NOT_FOUND,
                              _("The job is no longer in the library"));
}

static GError *
output_not_found_error (gint64 output_id)
{
  g_debug ("library: no output %" G_GINT64_FORMAT, output_id);
  return g_error_new_literal (INP_ERROR, INP_ERROR_NOT_FOUND,
                              _("The result is no longer in the library"));
}

/* Statements */

static sqlite3_stmt *
prepare (InpLibrary  *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_propagate_error (error, db_error (self));
      return NULL;
    }

  return stmt;
}

static gboolean
exec_sql (InpLibrary  *self,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (self, error);

  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
step_done (InpLibrary    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_db_error (self, error);

  return TRUE;
}

static gboolean
commit_or_rollback (InpLibrary  *self,
                    gboolean     ok,
                    GError     **error)
{
  if (ok && exec_sql (self, "COMMIT", error))
    return TRUE;

  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Signals are emitted in the thread that made the library, whichever thread changed it. */

typedef struct
{
  /* Weak: a library that is gone by the time the main loop runs has no one to tell. */
  GWeakRef  self;
  guint     signal_id;
  gint64    job_id;
  GObject  *object;
  guint     position;
} Emission;

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_weak_ref_clear (&emission->self);
  g_clear_object (&emission->object);
  g_free (emission);
}

static gboolean
emit_cb (gpointer data)
{
  Emission *emission = data;
  g_autoptr(InpLibrary) self = g_weak_ref_get (&emission->self);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (emission->signal_id == signals[JOB_CHANGED])
    g_signal_emit (self, emission->signal_id, 0, emission->job_id);
  else if (emission->signal_id == signals[OUTPUT_ADDED])
    g_signal_emit (self, emission->signal_id, 0, emission->object);
  else if (emission->signal_id == signals[OUTPUT_DELETED] ||
           emission->signal_id == signals[OUTPUT_RESTORED])
    g_signal_emit (self, emission->signal_id, 0, emission->object, emission->position);
  else
    g_signal_emit (self, emission->signal_id, 0);

  return G_SOURCE_REMOVE;
}

static void
emit_at_in_context (InpLibrary *self,
                    guint       signal,
                    gint64      job_id,
                    gpointer    object,
                    guint       position)
{
  Emission *emission = g_new0 (Emission, 1);

  g_weak_ref_init (&emission->self, self);
  emission->signal_id = signals[signal];
  emission->job_id = job_id;
  emission->object = object != NULL ? g_object_ref (object) : NULL;
  emission->position = position;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_cb, emission,
                              emission_free);
}

static void
emit_in_context (InpLibrary *self,
                 guint       signal,
                 gint64      job_id,
                 gpointer    object)
{
  emit_at_in_context (self, signal, job_id, object, 0);
}

/* Files */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_remove (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static void
remove_with_sidecar (const char *path)
{
  g_autofree char *sidecar = inp_provenance_sidecar_path (path);

  g_remove (path);
  g_remove (sidecar);
}

static const char *
extension_for_media_type (const char *media_type)
{
  static const struct { const char *type; const char *extension; } types[] = {
    { "image/png", "png" },
    { "image/jpeg", "jpg" },
    { "image/webp", "webp" },
    { "image/gif", "gif" },
    { "video/mp4", "mp4" },
    { "video/webm", "webm" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (media_type, types[i].type) == 0)
      return types[i].extension;

  return "bin";
}

static const char *
extension_for_bytes (GBytes *bytes)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (length >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "jpg";
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";

  return "bin";
}

/* Opening */

static char *
fresh_path (const char *path,
            guint       attempt)
{
  g_autofree char *stem = NULL;
  const char *dot;

  if (attempt == 1)
    return g_strdup (path);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return g_strdup_printf ("%s-%u", path, attempt);

  stem = g_strndup (path, dot - path);
  return g_strdup_printf ("%s-%u%s", stem, attempt, dot);
}

typedef enum
{
  PROBE_USABLE,
  PROBE_UNREADABLE,
  PROBE_NEWER,
} ProbeResult;

/* Looks at an existing database read-only, so that a file we cannot use stays byte for byte
 * as it was: a read-write connection could checkpoint a newer version's WAL into it. */
static gboolean
probe (const char   *path,
       ProbeResult  *result,
       char        **reason,
       GError      **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version = 0;
  int rc;

  *result = PROBE_USABLE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      version = sqlite3_column_int (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  /* Reading the schema catches a damaged first page that the header did not. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);

  switch (rc)
    {
    case SQLITE_OK:
      if (version > INP_LIBRARY_SCHEMA_VERSION)
        *result = PROBE_NEWER;
      break;

    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      *result = PROBE_UNREADABLE;
      *reason = g_strdup (sqlite3_errmsg (db));
      break;

    default:
      {
        g_autofree char *display = g_filename_display_name (path);

        /* Translators: the library’s file name, then the reason SQLite gave */
        g_set_error (error, INP_ERROR, INP_ERROR_FAILED, _("The library “%s” cannot be opened: %s"),
                     display, db != NULL ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
        sqlite3_close (db);
        return FALSE;
      }
    }

  sqlite3_close (db);
  return TRUE;
}

static gboolean
migrate (InpLibrary  *self,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int version;
  gboolean ok = TRUE;

  /* IMMEDIATE takes the write lock first, so the app and the CLI never migrate at once. */
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (stmt != NULL)
        set_db_error (self, error);
      return commit_or_rollback (self, FALSE, NULL);
    }
  version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > INP_LIBRARY_SCHEMA_VERSION)
    {
      /* Another process of a newer version got there between the probe and now. */
      g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                   _("The library was upgraded by a newer version of Inpainter"));
      return commit_or_rollback (self, FALSE, NULL);
    }

  for (int i = version; ok && i < INP_LIBRARY_SCHEMA_VERSION; i++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", i + 1);

      g_debug ("library: migrating %s from schema %d to %d", self->path, i, i + 1);
      ok = exec_sql (self, migrations[i], error) && exec_sql (self, set_version, error);
    }

  return commit_or_rollback (self, ok, error);
}

static gboolean purge_before (InpLibrary  *self,
                              gint64       before,
                              GError     **error);

static gboolean
open_library (InpLibrary  *self,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *first_reason = NULL;
  g_autofree char *chosen = NULL;
  ProbeResult first_result = PROBE_USABLE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                   /* Translators: a folder name, then why it could not be created */
                   _("The library folder “%s” cannot be created: %s"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint attempt = 1; chosen == NULL && attempt <= MAX_FRESH_ATTEMPTS; attempt++)
    {
      g_autofree char *candidate = fresh_path (self->path, attempt);
      g_autofree char *reason = NULL;
      ProbeResult result;

      if (!probe (candidate, &result, &reason, error))
        return FALSE;

      if (result == PROBE_USABLE)
        chosen = g_steal_pointer (&candidate);
      else if (attempt == 1)
        {
          first_result = result;
          first_reason = g_steal_pointer (&reason);
        }
    }

  if (chosen == NULL)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_FAILED,
                   _("No usable library could be opened or created beside “%s”"), self->path);
      return FALSE;
    }

  if (first_result != PROBE_USABLE)
    {
      g_autofree char *display = g_filename_display_name (self->path);
      g_autofree char *fresh_display = g_filename_display_name (chosen);

      if (first_result == PROBE_NEWER)
        self->problem = g_error_new (INP_ERROR, INP_ERROR_FAILED,
                                     /* Translators: the library kept, then the one used */
                                     _("The library “%s” was written by a newer version of "
                                       "Inpainter. It was left untouched, and this session "
                                       "uses the library “%s”."),
                                     display, fresh_display);
      else
        self->problem = g_error_new (INP_ERROR, INP_ERROR_FAILED,
                                     /* Translators: a library, SQLite’s reason, then another */
                                     _("The library “%s” is damaged (%s). It was left "
                                       "untouched, and this session uses the library “%s”."),
                                     display, first_reason, fresh_display);
      g_debug ("library: %s", self->problem->message);
      self->set_aside_path = g_steal_pointer (&self->path);
      self->path = g_steal_pointer (&chosen);
    }

  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_autofree char *display = g_filename_display_name (self->path);

      g_set_error (error, INP_ERROR, INP_ERROR_FAILED, _("The library “%s” cannot be opened: %s"),
                   display, self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return FALSE;
    }

  sqlite3_busy_timeout (self->db, 5000);
  /* synchronous=FULL: a committed change survives a power cut, not only a crash. */
  if (!exec_sql (self, "PRAGMA journal_mode = WAL;"
                       "PRAGMA synchronous = FULL;"
                       "PRAGMA foreign_keys = ON;", error) ||
      !migrate (self, error))
    return FALSE;

  self->files_path = g_build_filename (dir, "files", NULL);
  self->files_dir = g_file_new_for_path (self->files_path);
  if (g_mkdir_with_parents (self->files_path, 0700) != 0)
    {
      g_propagate_error (error, inp_atomic_file_error (self->files_path, errno));
      return FALSE;
    }

  {
    g_autoptr(GError) purge_error = NULL;

    if (!purge_before (self, g_get_real_time () - PURGE_AFTER_USEC, &purge_error))
      g_debug ("library: purging deleted jobs and outputs failed: %s", purge_error->message);
  }

  g_debug ("library: opened %s", self->path);
  return TRUE;
}

/* Object */

static void
inp_library_finalize (GObject *object)
{
  InpLibrary *self = INP_LIBRARY (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->path);
  g_free (self->files_path);
  g_clear_object (&self->files_dir);
  g_clear_error (&self->problem);
  g_free (self->set_aside_path);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (inp_library_parent_class)->finalize (object);
}

static void
inp_library_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  InpLibrary *self = INP_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_PROBLEM:
      g_value_set_boxed (value, self->problem);
      break;

    case PROP_SET_ASIDE_PATH:
      g_value_set_string (value, self->set_aside_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_library_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  InpLibrary *self = INP_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_library_class_init (InpLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_library_finalize;
  object_class->get_property = inp_library_get_property;
  object_class->set_property = inp_library_set_property;

  /**
   * InpLibrary:path:
   *
   * The database in use. After a problem this is the fresh one beside the bad one.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * InpLibrary:problem:
   *
   * Why the library asked for could not be used, for the app to show; %NULL when it was fine.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_boxed ("problem", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * InpLibrary:set-aside-path:
   *
   * The database that was left untouched because of #InpLibrary:problem.
   */
  properties[PROP_SET_ASIDE_PATH] =
    g_param_spec_string ("set-aside-path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InpLibrary::job-changed:
   * @job_id: the job
   *
   * A job was created or changed. Emitted in the thread that made the library.
   */
  signals[JOB_CHANGED] =
    g_signal_new ("job-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * InpLibrary::output-added:
   * @output: the output, on disk
   *
   * An output was stored; it is the newest.
   */
  signals[OUTPUT_ADDED] =
    g_signal_new ("output-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, INP_TYPE_LIBRARY_OUTPUT);

  /**
   * InpLibrary::outputs-reset:
   *
   * Outputs disappeared or came back (a job was deleted or restored).
   */
  signals[OUTPUTS_RESET] =
    g_signal_new ("outputs-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * InpLibrary::output-deleted:
   * @output: the output, as it was before it was deleted
   * @position: where it was in the gallery (newest first) just before, or %G_MAXUINT when it
   *   was not there (its job is deleted)
   *
   * One output was deleted. Each position is that of the moment of the change, so a list that
   * applies the changes in order stays in step even when several arrive at once.
   */
  signals[OUTPUT_DELETED] =
    g_signal_new ("output-deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, INP_TYPE_LIBRARY_OUTPUT, G_TYPE_UINT);

  /**
   * InpLibrary::output-restored:
   * @output: the output, back on disk
   * @position: where it is in the gallery now, or %G_MAXUINT when it is not there
   *
   * A deleted output came back.
   */
  signals[OUTPUT_RESTORED] =
    g_signal_new ("output-restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, INP_TYPE_LIBRARY_OUTPUT, G_TYPE_UINT);
}

static void
inp_library_init (InpLibrary *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
}

/**
 * inp_library_get_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/inpainter/library.db`.
 */
char *
inp_library_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "inpainter", "library.db", NULL);
}

/**
 * inp_library_new:
 * @path: (nullable): the database, or %NULL for inp_library_get_default_path()
 * @error: where to put the reason the library cannot be used at all
 *
 * Opens the library, creating or upgrading it as needed. A damaged database, or one from a newer
 * version, is left untouched: a fresh one is used beside it and inp_library_get_problem() says so.
 *
 * Returns: (transfer full): the library, or %NULL with @error set.
 */
InpLibrary *
inp_library_new (const char  *path,
                 GError     **error)
{
  g_autofree char *default_path = NULL;
  g_autoptr(InpLibrary) self = NULL;

  if (path == NULL)
    path = default_path = inp_library_get_default_path ();

  self = g_object_new (INP_TYPE_LIBRARY, "path", path, NULL);
  if (!open_library (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
inp_library_get_path (InpLibrary *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  return self->path;
}

/**
 * inp_library_get_files_dir:
 *
 * Returns: (transfer none): the folder beside the database that holds every job's files.
 */
GFile *
inp_library_get_files_dir (InpLibrary *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  return self->files_dir;
}

/**
 * inp_library_get_problem:
 *
 * Returns: (nullable): why the database asked for was set aside, for a person; see
 *   #InpLibrary:problem.
 */
const GError *
inp_library_get_problem (InpLibrary *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  return self->problem;
}

/**
 * inp_library_get_set_aside_path:
 *
 * Returns: (nullable): the database left untouched because of inp_library_get_problem().
 */
const char *
inp_library_get_set_aside_path (InpLibrary *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  return self->set_aside_path;
}

void
inp_library_set_open_func (InpLibrary            *self,
                           InpAtomicFileOpenFunc  func,
                           gpointer               user_data)
{
  g_return_if_fail (INP_IS_LIBRARY (self));

  self->open_func = func;
  self->open_data = user_data;
}

/* Jobs */

/* Only the host and port are kept: never a path, a query or credentials from the URL. */
static char *
endpoint_host (const char *endpoint)
{
  g_autoptr(GUri) uri = NULL;

  if (endpoint == NULL || *endpoint == '\0')
    return NULL;

  uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      if (g_uri_get_port (uri) != -1)
        return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
      return g_strdup (g_uri_get_host (uri));
    }

  /* A bare host name. */
  if (strpbrk (endpoint, "/@?#: \t") == NULL)
    return g_strdup (endpoint);

  return NULL;
}

/**
 * inp_library_endpoint_host:
 * @endpoint: (nullable): a base URL or a host
 *
 * Returns: (transfer full) (nullable): what inp_library_create_job() keeps of @endpoint, and
 *   inp_library_job_get_endpoint_host() gives back: its host, with the port when it names one.
 */
char *
inp_library_endpoint_host (const char *endpoint)
{
  return endpoint_host (endpoint);
}

static gboolean
insert_event (InpLibrary           *self,
              gint64                job_id,
              gint64                now,
              InpLibraryJobStatus   status,
              const char           *message,
              GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO job_events (job_id, at, status, message) VALUES (?, ?, ?, ?)",
             error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, now);
  bind_text (stmt, 3, inp_library_job_status_to_string (status));
  bind_text (stmt, 4, message);

  return step_done (self, stmt, error);
}

/**
 * inp_library_create_job:
 * @model: the model, as `owner/name`
 * @version: (nullable): the model version, if the job names one
 * @endpoint: (nullable): the base URL or host the job is sent to; only its host and port are kept
 * @prompt: (nullable): the prompt, for search
 * @inputs: (nullable): every input value as it will be sent, a JSON object; pass the image and
 *   the mask to inp_library_store_inputs() rather than as data URIs here
 *
 * Records a job before anything is sent, with the status %INP_LIBRARY_JOB_STATUS_PENDING.
 *
 * Returns: the job's id, or 0 with @error set.
 */
gint64
inp_library_create_job (InpLibrary  *self,
                        const char  *model,
                        const char  *version,
                        const char  *endpoint,
                        const char  *prompt,
                        JsonNode    *inputs,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *host = NULL;
  g_autofree char *inputs_json = NULL;
  g_autofree char *dir = NULL;
  gint64 now = g_get_real_time ();
  gint64 job_id = 0;
  gboolean ok;

  g_return_val_if_fail (INP_IS_LIBRARY (self), 0);
  g_return_val_if_fail (model != NULL, 0);
  g_return_val_if_fail (inputs == NULL || JSON_NODE_HOLDS_OBJECT (inputs), 0);

  host = endpoint_host (endpoint);
  inputs_json = inputs != NULL ? json_to_string (inputs, FALSE) : g_strdup ("{}");
  dir = g_uuid_string_random ();

  locker = g_mutex_locker_new (&self->lock);
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return 0;

  stmt = prepare (self,
                  "INSERT INTO jobs (dir, created_at, updated_at, model, version, endpoint_host,"
                  "                  prompt, inputs, status)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      bind_text (stmt, 1, dir);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, now);
      bind_text (stmt, 4, model);
      bind_text (stmt, 5, version);
      bind_text (stmt, 6, host);
      bind_text (stmt, 7, prompt != NULL ? prompt : "");
      bind_text (stmt, 8, inputs_json);
      bind_text (stmt, 9, inp_library_job_status_to_string (INP_LIBRARY_JOB_STATUS_PENDING));
      ok = step_done (self, stmt, error);
    }
  if (ok)
    {
      job_id = sqlite3_last_insert_rowid (self->db);
      ok = insert_event (self, job_id, now, INP_LIBRARY_JOB_STATUS_PENDING, NULL, error);
    }
  if (!commit_or_rollback (self, ok, error))
    return 0;
  g_clear_pointer (&locker, g_mutex_locker_free);

  g_debug ("library: job %" G_GINT64_FORMAT " recorded for %s", job_id, model);
  emit_in_context (self, JOB_CHANGED, job_id, NULL);

  return job_id;
}

/* Runs an UPDATE of one job: ?1 is the job, ?2 the time now and ?3 @text, where the statement
 * names them (binding a parameter it does not name is a harmless SQLITE_RANGE). A job that is
 * not there is an error. */
static gboolean
update_job (InpLibrary  *self,
            gint64       job_id,
            const char  *sql,
            const char  *text,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  bind_text (stmt, 3, text);
  if (!step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_propagate_error (error, job_not_found_error (job_id));
      return FALSE;
    }

  return TRUE;
}

/**
 * inp_library_set_prediction_id:
 *
 * Records the id the service gave the job's prediction, as soon as the create request answers,
 * so that a restarted app follows that prediction instead of creating another one.
 */
gboolean
inp_library_set_prediction_id (InpLibrary  *self,
                               gint64       job_id,
                               const char  *prediction_id,
                               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (prediction_id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!update_job (self, job_id,
                   "UPDATE jobs SET updated_at = ?2, prediction_id = ?3 WHERE id = ?1",
                   prediction_id, error))
    return FALSE;
  g_clear_pointer (&locker, g_mutex_locker_free);

  emit_in_context (self, JOB_CHANGED, job_id, NULL);
  return TRUE;
}

static char *
job_dir_path (InpLibrary  *self,
              gint64       job_id,
              gboolean     include_deleted,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = prepare (self, include_deleted
                          ? "SELECT dir FROM jobs WHERE id = ?"
                          : "SELECT dir FROM jobs WHERE id = ? AND deleted_at IS NULL", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return g_build_filename (self->files_path, sqlite3_column_text (stmt, 0), NULL);

    case SQLITE_DONE:
      g_propagate_error (error, job_not_found_error (job_id));
      return NULL;

    default:
      set_db_error (self, error);
      return NULL;
    }
}

/**
 * inp_library_update_status:
 * @status: the new status
 * @message: (nullable): why, for a person: the model's error, or why outputs could not be saved
 *
 * Moves a job on and appends the step to its history. @message replaces the job's error, so
 * a later success clears it.
 */
gboolean
inp_library_update_status (InpLibrary           *self,
                           gint64                job_id,
                           InpLibraryJobStatus   status,
                           const char           *message,
                           GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *dir_path = NULL;
  gint64 now = g_get_real_time ();
  gboolean ok;

  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (status <= INP_LIBRARY_JOB_STATUS_LAST, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = prepare (self, "UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      bind_text (stmt, 1, inp_library_job_status_to_string (status));
      bind_text (stmt, 2, message);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, job_id);
      ok = step_done (self, stmt, error);
    }
  if (ok && sqlite3_changes (self->db) == 0)
    {
      g_propagate_error (error, job_not_found_error (job_id));
      ok = FALSE;
    }
  ok = ok && insert_event (self, job_id, now, status, message, error);
  if (ok && inp_library_job_status_is_finished (status))
    dir_path = job_dir_path (self, job_id, TRUE, NULL);
  if (!commit_or_rollback (self, ok, error))
    return FALSE;
  g_clear_pointer (&locker, g_mutex_locker_free);

  g_debug ("library: job %" G_GINT64_FORMAT " is %s", job_id,
           inp_library_job_status_to_string (status));

  /* Nothing will be saved into a finished job's folder any more. */
  if (dir_path != NULL)
    inp_atomic_file_remove_leftovers (dir_path, "");

  emit_in_context (self, JOB_CHANGED, job_id, NULL);
  return TRUE;
}

/**
 * inp_library_set_metrics:
 * @metrics: the prediction's `metrics` object
 */
gboolean
inp_library_set_metrics (InpLibrary  *self,
                         gint64       job_id,
                         JsonNode    *metrics,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (metrics != NULL, FALSE);

  json = json_to_string (metrics, FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!update_job (self, job_id, "UPDATE jobs SET updated_at = ?2, metrics = ?3 WHERE id = ?1",
                   json, error))
    return FALSE;
  g_clear_pointer (&locker, g_mutex_locker_free);

  emit_in_context (self, JOB_CHANGED, job_id, NULL);
  return TRUE;
}

/* Files of a job */

static gboolean
store_input (InpLibrary  *self,
             const char  *dir_path,
             const char  *stem,
             GBytes      *bytes,
             char       **relative,
             GError     **error)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", stem, extension_for_bytes (bytes));
  g_autofree char *dir_name = g_path_get_basename (dir_path);
  gsize length;
  const void *data = g_bytes_get_data (bytes, &length);

  if (!inp_atomic_file_set_contents (dir_path, name, data, length, self->open_func,
                                     self->open_data, error))
    return FALSE;

  *relative = g_build_filename (dir_name, name, NULL);
  return TRUE;
}

/**
 * inp_library_store_inputs:
 * @image: (nullable): the input image as sent (PNG, JPEG or WebP)
 * @mask: (nullable): the mask as sent
 *
 * Keeps the job's input image and mask as files, so that the job can be restored and run again.
 * Blocks on disk writes; see inp_library_store_inputs_async().
 */
gboolean
inp_library_store_inputs (InpLibrary    *self,
                          gint64         job_id,
                          GBytes        *image,
                          GBytes        *mask,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *image_path = NULL;
  g_autofree char *mask_path = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  dir_path = job_dir_path (self, job_id, FALSE, error);
  g_clear_pointer (&locker, g_mutex_locker_free);
  if (dir_path == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if ((image != NULL && !store_input (self, dir_path, "image", image, &image_path, error)) ||
      (mask != NULL && !store_input (self, dir_path, "mask", mask, &mask_path, error)))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self,
                  "UPDATE jobs SET updated_at = ?, image_path = coalesce (?, image_path),"
                  " mask_path = coalesce (?, mask_path) WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  bind_text (stmt, 2, image_path);
  bind_text (stmt, 3, mask_path);
  sqlite3_bind_int64 (stmt, 4, job_id);
  if (!step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&locker, g_mutex_locker_free);

  emit_in_context (self, JOB_CHANGED, job_id, NULL);
  return TRUE;
}

static InpLibraryOutput *
get_output (InpLibrary  *self,
            gint64       output_id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT " INP_LIBRARY_OUTPUT_COLUMNS
                   " FROM outputs o JOIN jobs j ON j.id = o.job_id WHERE o.id = ?", error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, output_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (self, error);
      return NULL;
    }

  return inp_library_output_new_from_row (stmt, self->files_dir);
}

/* The file of the output recorded at @index, if any, relative to the files folder; the lock is
 * held. */
static char *
output_relative_at (InpLibrary *self,
                    gint64      job_id,
                    guint       index)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT path FROM outputs WHERE job_id = ? AND idx = ?", NULL);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int (stmt, 2, index);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static char *output_trash_path (InpLibrary *self,
                                const char *relative);

/* A failed save leaves the job saying that its outputs are still to be fetched, and why. */
static void
record_store_failure (InpLibrary   *self,
                      gint64        job_id,
                      const GError *store_error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_error_matches (store_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (store_error, INP_ERROR, INP_ERROR_NOT_FOUND))
    return;

  if (!inp_library_update_status (self, job_id, INP_LIBRARY_JOB_STATUS_DOWNLOADING,
                                  store_error->message, &local_error))
    g_debug ("library: the failure could not be recorded either: %s", local_error->message);
}

/* One output on its way to disk. The bytes are copied in the thread that owns the stream (an
 * HTTP body must be read where its request was sent); syncing and recording may run elsewhere. */
typedef struct
{
  InpLibrary    *library;
  gint64         job_id;
  guint          index;
  char          *media_type;
  char          *relative;
  char          *sidecar;
  InpProvenance *png_provenance;
  GInputStream  *stream;
  InpAtomicFile *file;
  guint8        *buffer;
} StoreOutput;

/* The signature and IHDR chunk: PNG text chunks go right after them. */
#define PNG_HEAD_LENGTH 33

static void
store_output_free (gpointer data)
{
  StoreOutput *store = data;

  g_clear_object (&store->library);
  g_free (store->media_type);
  g_free (store->relative);
  g_free (store->sidecar);
  g_clear_pointer (&store->png_provenance, inp_provenance_free);
  g_clear_object (&store->stream);
  g_clear_pointer (&store->file, inp_atomic_file_free);
  g_free (store->buffer);
  g_free (store);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreOutput, store_output_free)

static gboolean
is_png_type (const char *media_type)
{
  return g_ascii_strcasecmp (media_type, "image/png") == 0;
}

static StoreOutput *
store_output_new (InpLibrary           *self,
                  gint64                job_id,
                  guint                 index,
                  const char           *media_type,
                  GInputStream         *stream,
                  const InpProvenance  *provenance,
                  GError              **error)
{
  g_autoptr(StoreOutput) store = g_new0 (StoreOutput, 1);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *dir_name = NULL;
  g_autofree char *name = NULL;

  locker = g_mutex_locker_new (&self->lock);
  dir_path = job_dir_path (self, job_id, FALSE, error);
  g_clear_pointer (&locker, g_mutex_locker_free);
  if (dir_path == NULL)
    return NULL;

  store->library = g_object_ref (self);
  store->job_id = job_id;
  store->index = index;
  store->media_type = g_strdup (media_type);
  store->stream = g_object_ref (stream);
  store->buffer = g_malloc (COPY_BUFFER_SIZE);

  dir_name = g_path_get_basename (dir_path);
  name = g_strdup_printf ("output-%u.%s", index, extension_for_media_type (media_type));
  store->relative = g_build_filename (dir_name, name, NULL);
  if (provenance != NULL && is_png_type (media_type))
    store->png_provenance = inp_provenance_copy (provenance);
  else if (provenance != NULL)
    store->sidecar = inp_provenance_to_json (provenance);

  store->file = inp_atomic_file_new (dir_path, name, self->open_func, self->open_data, error);
  if (store->file == NULL)
    return NULL;

  return g_steal_pointer (&store);
}

/* Writes the first bytes of the output, with the provenance chunks after a PNG's IHDR. */
static gboolean
store_output_write_head (StoreOutput  *store,
                         gsize         length,
                         GError      **error)
{
  g_autoptr(GBytes) chunks = NULL;

  if (!inp_atomic_file_write (store->file, store->buffer, length, error))
    return FALSE;

  if (!inp_provenance_is_png (store->buffer, length))
    {
      g_debug ("library: an output said to be PNG is not; stored without provenance");
      return TRUE;
    }

  chunks = inp_provenance_build_png_chunks (store->png_provenance);
  return inp_atomic_file_write (store->file, g_bytes_get_data (chunks, NULL),
                                g_bytes_get_size (chunks), error);
}

/* Syncs, renames and records the output. The sidecar is written first: an output is never on
 * disk without the provenance promised for it. */
static InpLibraryOutput *
store_output_commit (StoreOutput  *store,
                     GError      **error)
{
  InpLibrary *self = store->library;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autofree char *replaced = NULL;
  const char *path = inp_atomic_file_get_path (store->file);
  int width = 0;
  int height = 0;

  if (store->sidecar != NULL)
    {
      g_autofree char *dir_path = g_path_get_dirname (path);
      g_autofree char *name = g_path_get_basename (path);
      g_autofree char *sidecar_name = g_strconcat (name, ".json", NULL);

      if (!inp_atomic_file_set_contents (dir_path, sidecar_name, store->sidecar,
                                         strlen (store->sidecar), self->open_func,
                                         self->open_data, error))
        return NULL;
    }

  if (!inp_atomic_file_commit (store->file, error))
    return NULL;

  if (g_str_has_prefix (store->media_type, "image/"))
    gdk_pixbuf_get_file_info (path, &width, &height);

  locker = g_mutex_locker_new (&self->lock);
  replaced = output_relative_at (self, store->job_id, store->index);
  stmt = prepare (self,
                  "INSERT OR REPLACE INTO outputs (job_id, idx, path, media_type, size, width,"
                  "                                height, sha256, created_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, store->job_id);
  sqlite3_bind_int (stmt, 2, store->index);
  bind_text (stmt, 3, store->relative);
  bind_text (stmt, 4, store->media_type);
  sqlite3_bind_int64 (stmt, 5, inp_atomic_file_get_size (store->file));
  sqlite3_bind_int (stmt, 6, width);
  sqlite3_bind_int (stmt, 7, height);
  bind_text (stmt, 8, inp_atomic_file_get_sha256 (store->file));
  sqlite3_bind_int64 (stmt, 9, g_get_real_time ());
  if (!step_done (self, stmt, error))
    return NULL;
  output = get_output (self, sqlite3_last_insert_rowid (self->db), error);
  if (output == NULL)
    return NULL;
  g_clear_pointer (&locker, g_mutex_locker_free);

  /* An output stored again under another media type leaves its old file behind otherwise, and
   * one that had been deleted its file in the trash. */
  if (replaced != NULL)
    {
      g_autofree char *replaced_path = g_build_filename (self->files_path, replaced, NULL);
      g_autofree char *trashed = output_trash_path (self, replaced);

      if (g_strcmp0 (replaced_path, path) != 0)
        remove_with_sidecar (replaced_path);
      remove_with_sidecar (trashed);
    }

  g_debug ("library: output %u of job %" G_GINT64_FORMAT " stored", store->index, store->job_id);
  emit_in_context (self, OUTPUT_ADDED, store->job_id, output);

  return g_steal_pointer (&output);
}

/**
 * inp_library_store_output:
 * @index: the output's place in the prediction's output list
 * @media_type: its media type (`image/png`, `image/webp`, `video/mp4`…)
 * @stream: the output's bytes, read to the end
 * @provenance: (nullable): written into a PNG's text chunks, or as a `.json` sidecar otherwise
 *
 * Writes an output to a temporary file, syncs it, renames it into place and only then records
 * it, so that a recorded output is always complete. Storing the same @index again replaces it.
 * When the write fails (disk full, folder not writable) nothing is recorded, the temporary file
 * is removed, and the job is left %INP_LIBRARY_JOB_STATUS_DOWNLOADING with the reason as its
 * error, so its outputs can be fetched again. Blocks, reading @stream in this thread; see
 * inp_library_store_output_async().
 *
 * Returns: (transfer full): the stored output, or %NULL with @error set.
 */
InpLibraryOutput *
inp_library_store_output (InpLibrary           *self,
                          gint64                job_id,
                          guint                 index,
                          const char           *media_type,
                          GInputStream         *stream,
                          const InpProvenance  *provenance,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_autoptr(StoreOutput) store = NULL;
  g_autoptr(GError) local_error = NULL;
  InpLibraryOutput *output = NULL;
  gboolean ok;

  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (media_type != NULL, NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  store = store_output_new (self, job_id, index, media_type, stream, provenance, &local_error);
  ok = store != NULL;

  if (ok && store->png_provenance != NULL)
    {
      gsize n_read = 0;

      ok = g_input_stream_read_all (stream, store->buffer, PNG_HEAD_LENGTH, &n_read, cancellable,
                                    &local_error) &&
           store_output_write_head (store, n_read, &local_error);
    }

  while (ok)
    {
      gssize n_read = g_input_stream_read (stream, store->buffer, COPY_BUFFER_SIZE, cancellable,
                                           &local_error);

      if (n_read <= 0)
        {
          ok = n_read == 0;
          break;
        }
      ok = inp_atomic_file_write (store->file, store->buffer, n_read, &local_error);
    }

  if (ok)
    output = store_output_commit (store, &local_error);

  if (output == NULL)
    {
      record_store_failure (self, job_id, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return output;
}

/* Asynchronous variants */

static void
store_output_fail (GTask  *task,
                   GError *error)
{
  StoreOutput *store = g_task_get_task_data (task);

  record_store_failure (store->library, store->job_id, error);
  g_task_return_error (task, error);
}

static void
store_output_commit_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  GError *error = NULL;
  InpLibraryOutput *output = store_output_commit (task_data, &error);

  if (output != NULL)
    g_task_return_pointer (task, output, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
store_output_commit_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  InpLibraryOutput *output = g_task_propagate_pointer (G_TASK (result), &error);

  if (output != NULL)
    g_task_return_pointer (task, output, g_object_unref);
  else
    store_output_fail (task, error);
}

static void store_output_read_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data);

static void
store_output_read_next (GTask *task)
{
  StoreOutput *store = g_task_get_task_data (task);

  g_input_stream_read_async (store->stream, store->buffer, COPY_BUFFER_SIZE, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (task), store_output_read_cb, task);
}

/* Writes go to the page cache and are quick; the slow fsync waits for the commit thread. */
static void
store_output_read_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  StoreOutput *store = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n_read < 0 || (n_read > 0 && !inp_atomic_file_write (store->file, store->buffer, n_read,
                                                           &error)))
    {
      store_output_fail (task, error);
      g_object_unref (task);
      return;
    }

  if (n_read > 0)
    {
      inp_debug_pause_at (INP_DEBUG_POINT_MID_DOWNLOAD);
      store_output_read_next (task);
      return;
    }

  {
    g_autoptr(GTask) commit = g_task_new (g_task_get_source_object (task),
                                          g_task_get_cancellable (task),
                                          store_output_commit_cb, task);

    g_task_set_source_tag (commit, store_output_commit_thread);
    g_task_set_task_data (commit, store, NULL);
    g_task_run_in_thread (commit, store_output_commit_thread);
  }
}

static void
store_output_head_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  StoreOutput *store = g_task_get_task_data (task);
  GError *error = NULL;
  gsize n_read = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &n_read, &error) ||
      !store_output_write_head (store, n_read, &error))
    {
      store_output_fail (task, error);
      g_object_unref (task);
      return;
    }

  store_output_read_next (task);
}

/**
 * inp_library_store_output_async:
 *
 * Like inp_library_store_output(), but @stream is read asynchronously in the thread of the
 * caller's main context (so it may be the body of a libsoup request sent from there), and the
 * file is synced and recorded on a worker thread.
 */
void
inp_library_store_output_async (InpLibrary          *self,
                                gint64               job_id,
                                guint                index,
                                const char          *media_type,
                                GInputStream        *stream,
                                const InpProvenance *provenance,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreOutput *store;
  GError *error = NULL;

  g_return_if_fail (INP_IS_LIBRARY (self));
  g_return_if_fail (media_type != NULL);
  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_library_store_output_async);

  store = store_output_new (self, job_id, index, media_type, stream, provenance, &error);
  if (store == NULL)
    {
      record_store_failure (self, job_id, error);
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, store, store_output_free);

  if (store->png_provenance != NULL)
    g_input_stream_read_all_async (stream, store->buffer, PNG_HEAD_LENGTH, G_PRIORITY_DEFAULT,
                                   cancellable, store_output_head_cb, g_steal_pointer (&task));
  else
    store_output_read_next (g_steal_pointer (&task));
}

/**
 * inp_library_store_output_finish:
 *
 * Returns: (transfer full): the stored output, or %NULL with @error set.
 */
InpLibraryOutput *
inp_library_store_output_finish (InpLibrary    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_library_store_output_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  gint64  job_id;
  GBytes *image;
  GBytes *mask;
} StoreInputs;

static void
store_inputs_free (gpointer data)
{
  StoreInputs *inputs = data;

  g_clear_pointer (&inputs->image, g_bytes_unref);
  g_clear_pointer (&inputs->mask, g_bytes_unref);
  g_free (inputs);
}

static void
store_inputs_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  StoreInputs *inputs = task_data;
  GError *error = NULL;

  if (inp_library_store_inputs (source_object, inputs->job_id, inputs->image, inputs->mask,
                                cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
inp_library_store_inputs_async (InpLibrary          *self,
                                gint64               job_id,
                                GBytes              *image,
                                GBytes              *mask,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreInputs *inputs;

  g_return_if_fail (INP_IS_LIBRARY (self));

  inputs = g_new0 (StoreInputs, 1);
  inputs->job_id = job_id;
  inputs->image = image != NULL ? g_bytes_ref (image) : NULL;
  inputs->mask = mask != NULL ? g_bytes_ref (mask) : NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_library_store_inputs_async);
  g_task_set_task_data (task, inputs, store_inputs_free);
  g_task_run_in_thread (task, store_inputs_thread);
}

gboolean
inp_library_store_inputs_finish (InpLibrary    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_library_store_inputs_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char     *model;
  char     *version;
  char     *endpoint;
  char     *prompt;
  JsonNode *inputs;
} CreateJob;

static void
create_job_free (gpointer data)
{
  CreateJob *create = data;

  g_free (create->model);
  g_free (create->version);
  g_free (create->endpoint);
  g_free (create->prompt);
  g_clear_pointer (&create->inputs, json_node_unref);
  g_free (create);
}

static void
create_job_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CreateJob *create = task_data;
  GError *error = NULL;
  gint64 job_id;

  job_id = inp_library_create_job (source_object, create->model, create->version,
                                   create->endpoint, create->prompt, create->inputs, &error);
  if (job_id != 0)
    g_task_return_int (task, job_id);
  else
    g_task_return_error (task, error);
}

/**
 * inp_library_create_job_async:
 *
 * Like inp_library_create_job(), on a worker thread: the commit waits for the disk (the
 * database is synchronous=FULL), which the main loop must not. The job is recorded even when
 * @cancellable is cancelled meanwhile; the result then still gives its id.
 */
void
inp_library_create_job_async (InpLibrary          *self,
                              const char          *model,
                              const char          *version,
                              const char          *endpoint,
                              const char          *prompt,
                              JsonNode            *inputs,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CreateJob *create;

  g_return_if_fail (INP_IS_LIBRARY (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (inputs == NULL || JSON_NODE_HOLDS_OBJECT (inputs));

  create = g_new0 (CreateJob, 1);
  create->model = g_strdup (model);
  create->version = g_strdup (version);
  create->endpoint = g_strdup (endpoint);
  create->prompt = g_strdup (prompt);
  /* A deep copy: the caller's values may change while the thread serialises them. */
  create->inputs = inputs != NULL ? inp_json_node_deep_copy (inputs) : NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_library_create_job_async);
  g_task_set_task_data (task, create, create_job_free);
  /* Not cut short by @cancellable: a row that was written must be reported. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, create_job_thread);
}

/**
 * inp_library_create_job_finish:
 *
 * Returns: the job's id, or 0 with @error set.
 */
gint64
inp_library_create_job_finish (InpLibrary    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_library_create_job_async,
                        0);

  return g_task_propagate_int (G_TASK (result), error);
}

/* Queries */

typedef gpointer (*RowFunc) (sqlite3_stmt *stmt,
                             GFile        *files_dir);

/* Steps @stmt to the end, making an object of each row. */
static GPtrArray *
collect_rows (InpLibrary    *self,
              sqlite3_stmt  *stmt,
              RowFunc        new_from_row,
              GError       **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (objects, new_from_row (stmt, self->files_dir));

  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&objects);
}

static gpointer
job_from_row (sqlite3_stmt *stmt,
              GFile        *files_dir)
{
  return inp_library_job_new_from_row (stmt, files_dir);
}

/**
 * inp_library_get_job:
 *
 * Returns: (transfer full): the job as it is now (deleted jobs included, until purged), or
 *   %NULL with %INP_ERROR_NOT_FOUND.
 */
InpLibraryJob *
inp_library_get_job (InpLibrary  *self,
                     gint64       job_id,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) jobs = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT " INP_LIBRARY_JOB_COLUMNS " FROM jobs j WHERE j.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  jobs = collect_rows (self, stmt, job_from_row, error);
  if (jobs == NULL)
    return NULL;
  if (jobs->len == 0)
    {
      g_propagate_error (error, job_not_found_error (job_id));
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (jobs, 0));
}

/**
 * inp_library_get_history:
 *
 * Returns: (transfer full) (element-type InpLibraryJobEvent): the job's status history, oldest
 *   first.
 */
GPtrArray *
inp_library_get_history (InpLibrary  *self,
                         gint64       job_id,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) events = NULL;
  int rc;

  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT status, at, message FROM job_events WHERE job_id = ?"
                        " ORDER BY at, rowid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_library_job_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      InpLibraryJobEvent *event = g_new0 (InpLibraryJobEvent, 1);

      event->status = INP_LIBRARY_JOB_STATUS_FAILED;
      inp_library_job_status_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                          &event->status);
      event->time = sqlite3_column_int64 (stmt, 1);
      event->message = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&events);
}

static gpointer
output_from_row (sqlite3_stmt *stmt,
                 GFile        *files_dir)
{
  return inp_library_output_new_from_row (stmt, files_dir);
}

/**
 * inp_library_list_outputs:
 *
 * Returns: (transfer full) (element-type InpLibraryOutput): the job's outputs in their order,
 *   leaving out those deleted with inp_library_delete_output().
 */
GPtrArray *
inp_library_list_outputs (InpLibrary  *self,
                          gint64       job_id,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT " INP_LIBRARY_OUTPUT_COLUMNS
                        " FROM outputs o JOIN jobs j ON j.id = o.job_id"
                        " WHERE o.job_id = ? AND o.deleted_at IS NULL ORDER BY o.idx", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);

  return collect_rows (self, stmt, output_from_row, error);
}

GPtrArray *
inp_library_list_gallery_page (InpLibrary  *self,
                               guint        offset,
                               guint        limit,
                               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  /* The rowid order is the order outputs were stored in, so no sort is needed. */
  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT " INP_LIBRARY_OUTPUT_COLUMNS
                        " FROM outputs o JOIN jobs j ON j.id = o.job_id"
                        " WHERE o.deleted_at IS NULL AND j.deleted_at IS NULL"
                        " ORDER BY o.id DESC LIMIT ? OFFSET ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, limit);
  sqlite3_bind_int (stmt, 2, offset);

  return collect_rows (self, stmt, output_from_row, error);
}

guint
inp_library_count_gallery (InpLibrary  *self,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), 0);

  /* All outputs, less the deleted ones, less the others of deleted jobs: each count walks a
   * small index, where a join would look up every output's job. */
  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT (SELECT count(*) FROM outputs)"
                        " - (SELECT count(*) FROM outputs WHERE deleted_at IS NOT NULL)"
                        " - (SELECT count(*) FROM outputs WHERE deleted_at IS NULL AND job_id IN"
                        "     (SELECT id FROM jobs WHERE deleted_at IS NOT NULL))", error);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (self, error);
      return 0;
    }

  return sqlite3_column_int (stmt, 0);
}

/* An FTS5 phrase that matches @word as a substring in the trigram index: quotes are doubled,
 * and nothing else inside a phrase is syntax. */
static void
append_phrase (GString    *match,
               const char *word)
{
  if (match->len > 0)
    g_string_append (match, " AND ");

  g_string_append_c (match, '"');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');
}

/**
 * inp_library_list_jobs:
 * @query: (nullable): which jobs; %NULL for all
 *
 * Lists jobs that are not deleted, newest first. Text search uses the trigram index of
 * prompts (FTS5): words of three characters or more are looked up in it; a trigram index cannot
 * hold shorter ones, so those are found by scanning the prompts of the rows left.
 *
 * Returns: (transfer full) (element-type InpLibraryJob): the jobs, or %NULL with @error set.
 */
GPtrArray *
inp_library_list_jobs (InpLibrary             *self,
                       const InpLibraryQuery  *query,
                       GError                **error)
{
  static const InpLibraryQuery all = { 0 };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT " INP_LIBRARY_JOB_COLUMNS
                                         " FROM jobs j WHERE j.deleted_at IS NULL");
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GPtrArray) short_words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) statuses = g_ptr_array_new ();
  int column = 1;

  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  if (query == NULL)
    query = &all;

  if (query->text != NULL)
    {
      g_auto(GStrv) words = g_strsplit_set (query->text, " \t\r\n", -1);

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (g_utf8_strlen (words[i], -1) >= 3)
            append_phrase (match, words[i]);
          else if (*words[i] != '\0')
            g_ptr_array_add (short_words, g_strdup (words[i]));
        }
    }
  if (match->len > 0)
    g_string_append (sql, " AND j.id IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?)");
  for (guint i = 0; i < short_words->len; i++)
    g_string_append (sql, " AND instr (lower (j.prompt), lower (?)) > 0");
  if (query->model != NULL)
    g_string_append (sql, " AND j.model = ?");
  for (guint status = 0; status <= INP_LIBRARY_JOB_STATUS_LAST; status++)
    if (query->statuses & INP_LIBRARY_JOB_STATUS_BIT (status))
      g_ptr_array_add (statuses, (gpointer) inp_library_job_status_to_string (status));
  if (statuses->len > 0)
    {
      g_string_append (sql, " AND j.status IN (?");
      for (guint i = 1; i < statuses->len; i++)
        g_string_append (sql, ", ?");
      g_string_append (sql, ")");
    }
  g_string_append (sql, " ORDER BY j.id DESC LIMIT ? OFFSET ?");

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;

  if (match->len > 0)
    bind_text (stmt, column++, match->str);
  for (guint i = 0; i < short_words->len; i++)
    bind_text (stmt, column++, g_ptr_array_index (short_words, i));
  if (query->model != NULL)
    bind_text (stmt, column++, query->model);
  for (guint i = 0; i < statuses->len; i++)
    bind_text (stmt, column++, g_ptr_array_index (statuses, i));
  sqlite3_bind_int64 (stmt, column++, query->limit > 0 ? (gint64) query->limit : -1);
  sqlite3_bind_int64 (stmt, column++, query->offset);

  return collect_rows (self, stmt, job_from_row, error);
}

typedef struct
{
  InpLibraryQuery  query;
  char            *text;
  char            *model;
} ListData;

static void
list_data_free (gpointer data)
{
  ListData *list = data;

  g_free (list->text);
  g_free (list->model);
  g_free (list);
}

static void
list_jobs_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ListData *list = task_data;
  GError *error = NULL;
  GPtrArray *jobs;

  if (g_task_return_error_if_cancelled (task))
    return;

  jobs = inp_library_list_jobs (source_object, &list->query, &error);
  if (jobs != NULL)
    g_task_return_pointer (task, jobs, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
inp_library_list_jobs_async (InpLibrary            *self,
                             const InpLibraryQuery *query,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ListData *list;

  g_return_if_fail (INP_IS_LIBRARY (self));

  list = g_new0 (ListData, 1);
  if (query != NULL)
    {
      list->query = *query;
      list->query.text = list->text = g_strdup (query->text);
      list->query.model = list->model = g_strdup (query->model);
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, inp_library_list_jobs_async);
  g_task_set_task_data (task, list, list_data_free);
  g_task_run_in_thread (task, list_jobs_thread);
}

/**
 * inp_library_list_jobs_finish:
 *
 * Returns: (transfer full) (element-type InpLibraryJob): the jobs, or %NULL with @error set.
 */
GPtrArray *
inp_library_list_jobs_finish (InpLibrary    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == inp_library_list_jobs_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * inp_library_list_unfinished:
 *
 * Lists the jobs to settle at start-up, oldest first: those with a prediction id are to be
 * followed again; those without one never reached the service and are to be marked
 * %INP_LIBRARY_JOB_STATUS_NOT_SENT.
 *
 * Returns: (transfer full) (element-type InpLibraryJob): the jobs, or %NULL with @error set.
 */
GPtrArray *
inp_library_list_unfinished (InpLibrary  *self,
                             GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT " INP_LIBRARY_JOB_COLUMNS " FROM jobs j"
                        " WHERE j.deleted_at IS NULL AND j.status IN (?, ?, ?, ?) ORDER BY j.id",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, inp_library_job_status_to_string (INP_LIBRARY_JOB_STATUS_PENDING));
  bind_text (stmt, 2, inp_library_job_status_to_string (INP_LIBRARY_JOB_STATUS_STARTING));
  bind_text (stmt, 3, inp_library_job_status_to_string (INP_LIBRARY_JOB_STATUS_PROCESSING));
  bind_text (stmt, 4, inp_library_job_status_to_string (INP_LIBRARY_JOB_STATUS_DOWNLOADING));

  return collect_rows (self, stmt, job_from_row, error);
}

/* Deleting, with undo */

static char *
trash_path (InpLibrary *self,
            const char *dir_path)
{
  g_autofree char *name = g_path_get_basename (dir_path);

  return g_build_filename (self->files_path, TRASH_DIR, name, NULL);
}

/* Moves a job's folder or an output's file; a folder that was never made (no files yet) or a
 * file already gone is fine. */
static gboolean
move_path (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (to);
  int saved_errno;

  if (!g_file_test (from, G_FILE_TEST_EXISTS))
    return TRUE;

  if (g_mkdir_with_parents (parent, 0700) == 0 && g_rename (from, to) == 0)
    return TRUE;

  saved_errno = errno;
  g_propagate_error (error, inp_atomic_file_error (to, saved_errno));
  return FALSE;
}

/**
 * inp_library_delete_job:
 *
 * Takes a job and its files out of every list, recoverably: inp_library_restore_job() undoes
 * it, inp_library_purge_job() finishes it, and opening the library an hour later purges it.
 */
gboolean
inp_library_delete_job (InpLibrary  *self,
                        gint64       job_id,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *trashed = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  dir_path = job_dir_path (self, job_id, FALSE, error);
  if (dir_path == NULL)
    return FALSE;
  trashed = trash_path (self, dir_path);

  if (!update_job (self, job_id,
                   "UPDATE jobs SET deleted_at = ?2 WHERE id = ?1", NULL, error))
    return FALSE;
  if (!move_path (dir_path, trashed, error))
    {
      update_job (self, job_id, "UPDATE jobs SET deleted_at = NULL WHERE id = ?1", NULL, NULL);
      return FALSE;
    }
  g_clear_pointer (&locker, g_mutex_locker_free);

  g_debug ("library: job %" G_GINT64_FORMAT " deleted", job_id);
  emit_in_context (self, OUTPUTS_RESET, job_id, NULL);
  emit_in_context (self, JOB_CHANGED, job_id, NULL);
  return TRUE;
}

/**
 * inp_library_restore_job:
 *
 * Undoes inp_library_delete_job().
 */
gboolean
inp_library_restore_job (InpLibrary  *self,
                         gint64       job_id,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *trashed = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  dir_path = job_dir_path (self, job_id, TRUE, error);
  if (dir_path == NULL)
    return FALSE;
  trashed = trash_path (self, dir_path);

  if (!move_path (trashed, dir_path, error) ||
      !update_job (self, job_id,
                   "UPDATE jobs SET deleted_at = NULL WHERE id = ?1", NULL, error))
    return FALSE;
  g_clear_pointer (&locker, g_mutex_locker_free);

  emit_in_context (self, OUTPUTS_RESET, job_id, NULL);
  emit_in_context (self, JOB_CHANGED, job_id, NULL);
  return TRUE;
}

typedef void (*RemoveFilesFunc) (InpLibrary *self,
                                 const char *path);

/* Runs @select, which gives the id and the path of each deleted row to purge (?1 is @value),
 * and removes each row with @delete and then its files. The lock is held. */
static gboolean
purge_rows (InpLibrary       *self,
            const char       *select,
            const char       *delete,
            gint64            value,
            RemoveFilesFunc   remove_files,
            GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, select, error);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, value);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (paths, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    return set_db_error (self, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < ids->len; i++)
    {
      /* Rows go first: a crash in between leaves stray files, never a row without its files. */
      stmt = prepare (self, delete, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (!step_done (self, stmt, error))
        return FALSE;
      g_clear_pointer (&stmt, sqlite3_finalize);

      remove_files (self, g_ptr_array_index (paths, i));
    }

  return TRUE;
}

static void
remove_job_files (InpLibrary *self,
                  const char *dir)
{
  g_autofree char *path = g_build_filename (self->files_path, dir, NULL);
  g_autofree char *trashed = g_build_filename (self->files_path, TRASH_DIR, dir, NULL);
  g_autofree char *trashed_outputs = g_build_filename (self->files_path, TRASH_DIR,
                                                       OUTPUT_TRASH_DIR, dir, NULL);

  remove_tree (trashed);
  remove_tree (path);
  remove_tree (trashed_outputs);
}

/* Removes the rows and files of deleted jobs that match; the lock is held. */
static gboolean
purge_where (InpLibrary  *self,
             const char  *condition,
             gint64       value,
             GError     **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT id, dir FROM jobs"
                                             " WHERE deleted_at IS NOT NULL AND %s", condition);

  return purge_rows (self, select, "DELETE FROM jobs WHERE id = ?", value, remove_job_files,
                     error);
}

static void
remove_output_files (InpLibrary *self,
                     const char *relative)
{
  g_autofree char *trashed = output_trash_path (self, relative);
  g_autofree char *parent = g_path_get_dirname (trashed);

  remove_with_sidecar (trashed);
  /* The job's folder in the trash goes with its last output. */
  g_rmdir (parent);
}

/* Removes the rows and files of deleted outputs that match; the lock is held. */
static gboolean
purge_outputs_where (InpLibrary  *self,
                     const char  *condition,
                     gint64       value,
                     GError     **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT id, path FROM outputs"
                                             " WHERE deleted_at IS NOT NULL AND %s", condition);

  return purge_rows (self, select, "DELETE FROM outputs WHERE id = ?", value,
                     remove_output_files, error);
}

static gboolean
purge_before (InpLibrary  *self,
              gint64       before,
              GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return purge_where (self, "deleted_at < ?", before, error) &&
         purge_outputs_where (self, "deleted_at < ?", before, error);
}

/**
 * inp_library_purge_job:
 *
 * Removes a deleted job and its files for good, once its undo is no longer offered.
 */
gboolean
inp_library_purge_job (InpLibrary  *self,
                       gint64       job_id,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return purge_where (self, "id = ?", job_id, error);
}

/* Deleting one output, with undo */

/* Where a deleted output's file waits for undo: `.trash/outputs/<job folder>/<name>`. */
static char *
output_trash_path (InpLibrary *self,
                   const char *relative)
{
  return g_build_filename (self->files_path, TRASH_DIR, OUTPUT_TRASH_DIR, relative, NULL);
}

/* Where an output that is not deleted has its file: in its job's folder, which is in the trash
 * while the job is deleted. */
static char *
output_kept_path (InpLibrary *self,
                  const char *relative,
                  gboolean    job_deleted)
{
  if (job_deleted)
    return g_build_filename (self->files_path, TRASH_DIR, relative, NULL);

  return g_build_filename (self->files_path, relative, NULL);
}

typedef struct
{
  gint64    job_id;
  char     *relative;
  gboolean  deleted;
  gboolean  job_deleted;
} OutputPlace;

static void
output_place_clear (OutputPlace *place)
{
  g_clear_pointer (&place->relative, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OutputPlace, output_place_clear)

/* Looks up an output's file and whether it or its job is deleted; the lock is held. */
static gboolean
find_output (InpLibrary   *self,
             gint64        output_id,
             OutputPlace  *place,
             GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT o.job_id, o.path, o.deleted_at IS NOT NULL, j.deleted_at IS NOT NULL"
                   " FROM outputs o JOIN jobs j ON j.id = o.job_id WHERE o.id = ?", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, output_id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      place->job_id = sqlite3_column_int64 (stmt, 0);
      place->relative = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      place->deleted = sqlite3_column_int (stmt, 2);
      place->job_deleted = sqlite3_column_int (stmt, 3);
      return TRUE;

    case SQLITE_DONE:
      g_propagate_error (error, output_not_found_error (output_id));
      return FALSE;

    default:
      return set_db_error (self, error);
    }
}

/* The output's place in the gallery, newest first, counting only what the gallery shows; the
 * lock is held. */
static guint
gallery_position (InpLibrary *self,
                  gint64      output_id)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT count(*) FROM outputs o JOIN jobs j ON j.id = o.job_id"
                   " WHERE o.id > ? AND o.deleted_at IS NULL AND j.deleted_at IS NULL", NULL);

  if (stmt == NULL)
    return G_MAXUINT;

  sqlite3_bind_int64 (stmt, 1, output_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return G_MAXUINT;

  return sqlite3_column_int (stmt, 0);
}

/* Moves an output's file and its provenance sidecar, if it has one, together. */
static gboolean
move_output_files (const char  *from,
                   const char  *to,
                   GError     **error)
{
  g_autofree char *from_sidecar = inp_provenance_sidecar_path (from);
  g_autofree char *to_sidecar = inp_provenance_sidecar_path (to);

  if (!move_path (from, to, error))
    return FALSE;

  if (!move_path (from_sidecar, to_sidecar, error))
    {
      g_rename (to, from);
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_output_deleted (InpLibrary  *self,
                    gint64       output_id,
                    gboolean     deleted,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "UPDATE outputs SET deleted_at = ? WHERE id = ?",
                                          error);

  if (stmt == NULL)
    return FALSE;

  if (deleted)
    sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, output_id);

  return step_done (self, stmt, error);
}

/* Moves an output's file (and sidecar) to the trash or back, and marks its row to match. The
 * position sent is the one the output has in the gallery while shown: before it is deleted,
 * after it is restored. */
static gboolean
set_output_deleted_with_files (InpLibrary  *self,
                               gint64       output_id,
                               gboolean     deleting,
                               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(OutputPlace) place = { 0 };
  g_autoptr(InpLibraryOutput) output = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *trashed = NULL;
  guint position = G_MAXUINT;

  locker = g_mutex_locker_new (&self->lock);
  if (!find_output (self, output_id, &place, error))
    return FALSE;
  if (deleting ? place.deleted || place.job_deleted : !place.deleted)
    {
      g_propagate_error (error, output_not_found_error (output_id));
      return FALSE;
    }

  kept = output_kept_path (self, place.relative, place.job_deleted);
  trashed = output_trash_path (self, place.relative);
  if (deleting)
    position = gallery_position (self, output_id);
  if (!move_output_files (deleting ? kept : trashed, deleting ? trashed : kept, error))
    return FALSE;
  if (!set_output_deleted (self, output_id, deleting, error) ||
      (output = get_output (self, output_id, error)) == NULL)
    {
      move_output_files (deleting ? trashed : kept, deleting ? kept : trashed, NULL);
      set_output_deleted (self, output_id, !deleting, NULL);
      return FALSE;
    }
  if (!deleting && !place.job_deleted)
    position = gallery_position (self, output_id);
  g_clear_pointer (&locker, g_mutex_locker_free);

  g_debug ("library: output %" G_GINT64_FORMAT " of job %" G_GINT64_FORMAT " %s", output_id,
           place.job_id, deleting ? "deleted" : "restored");
  emit_at_in_context (self, deleting ? OUTPUT_DELETED : OUTPUT_RESTORED, place.job_id, output,
                      position);
  emit_in_context (self, JOB_CHANGED, place.job_id, NULL);
  return TRUE;
}

/**
 * inp_library_delete_output:
 * @output_id: the output, as inp_library_output_get_id() gives it
 *
 * Takes one output out of the gallery and out of inp_library_list_outputs(), recoverably: its
 * file (and its provenance sidecar) waits in the trash. The job and its other outputs stay; a
 * job whose every output is deleted stays in the history too, since it still records what was
 * asked (see inp_library_job_describe_deleted_outputs()). inp_library_restore_output() undoes
 * it, inp_library_purge_output() finishes it, and opening the library an hour later purges it.
 *
 * Returns: whether the output was deleted; an output already deleted, or of a deleted job, is
 *   %INP_ERROR_NOT_FOUND.
 */
gboolean
inp_library_delete_output (InpLibrary  *self,
                           gint64       output_id,
                           GError     **error)
{
  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);

  return set_output_deleted_with_files (self, output_id, TRUE, error);
}

/**
 * inp_library_restore_output:
 *
 * Undoes inp_library_delete_output(): the file comes back where it was, and the output to its
 * place in the gallery. An output of a job deleted since comes back with that job's files, to
 * be seen again when the job is restored.
 */
gboolean
inp_library_restore_output (InpLibrary  *self,
                            gint64       output_id,
                            GError     **error)
{
  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);

  return set_output_deleted_with_files (self, output_id, FALSE, error);
}

/**
 * inp_library_purge_output:
 *
 * Removes a deleted output and its files for good, once its undo is no longer offered. An output
 * that is not deleted is left alone.
 */
gboolean
inp_library_purge_output (InpLibrary  *self,
                          gint64       output_id,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (INP_IS_LIBRARY (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return purge_outputs_where (self, "id = ?", output_id, error);
}
