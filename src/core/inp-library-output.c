/* inp-library-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-library-private.h"

struct _InpLibraryOutput
{
  GObject  parent_instance;

  gint64   id;
  gint64   job_id;
  guint    index;
  GFile   *file;
  char    *media_type;
  guint64  size;
  int      width;
  int      height;
  char    *sha256;
  gint64   created;
  char    *prompt;
  char    *model;
};

G_DEFINE_FINAL_TYPE (InpLibraryOutput, inp_library_output, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_JOB_ID,
  PROP_FILE,
  PROP_MEDIA_TYPE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_PROMPT,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Builds an output from a row of INP_LIBRARY_OUTPUT_COLUMNS. */
InpLibraryOutput *
inp_library_output_new_from_row (sqlite3_stmt *stmt,
                                 GFile        *files_dir)
{
  InpLibraryOutput *self = g_object_new (INP_TYPE_LIBRARY_OUTPUT, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->job_id = sqlite3_column_int64 (stmt, 1);
  self->index = sqlite3_column_int (stmt, 2);
  self->file = g_file_resolve_relative_path (files_dir,
                                             (const char *) sqlite3_column_text (stmt, 3));
  self->media_type = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  self->size = sqlite3_column_int64 (stmt, 5);
  self->width = sqlite3_column_int (stmt, 6);
  self->height = sqlite3_column_int (stmt, 7);
  self->sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  self->created = sqlite3_column_int64 (stmt, 9);
  self->prompt = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  self->model = g_strdup ((const char *) sqlite3_column_text (stmt, 11));

  return self;
}

static void
inp_library_output_finalize (GObject *object)
{
  InpLibraryOutput *self = INP_LIBRARY_OUTPUT (object);

  g_clear_object (&self->file);
  g_free (self->media_type);
  g_free (self->sha256);
  g_free (self->prompt);
  g_free (self->model);

  G_OBJECT_CLASS (inp_library_output_parent_class)->finalize (object);
}

static void
inp_library_output_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  InpLibraryOutput *self = INP_LIBRARY_OUTPUT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_JOB_ID:
      g_value_set_int64 (value, self->job_id);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_MEDIA_TYPE:
      g_value_set_string (value, self->media_type);
      break;

    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;

    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;

    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_library_output_class_init (InpLibraryOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = inp_library_output_finalize;
  object_class->get_property = inp_library_output_get_property;

  /* Outputs never change once recorded, so the properties are read-only. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_JOB_ID] = g_param_spec_int64 ("job-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  properties[PROP_MEDIA_TYPE] = g_param_spec_string ("media-type", NULL, NULL, NULL, flags);
  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
inp_library_output_init (InpLibraryOutput *self)
{
}

gint64
inp_library_output_get_id (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), 0);

  return self->id;
}

gint64
inp_library_output_get_job_id (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), 0);

  return self->job_id;
}

/**
 * inp_library_output_get_index:
 *
 * Returns: the output's place in the prediction's output list.
 */
guint
inp_library_output_get_index (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), 0);

  return self->index;
}

/**
 * inp_library_output_get_file:
 *
 * Returns: (transfer none): the file, complete and synced to disk.
 */
GFile *
inp_library_output_get_file (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), NULL);

  return self->file;
}

const char *
inp_library_output_get_media_type (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), NULL);

  return self->media_type;
}

guint64
inp_library_output_get_size (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), 0);

  return self->size;
}

/**
 * inp_library_output_get_width:
 *
 * Returns: the image's width in pixels, or 0 when unknown (video).
 */
int
inp_library_output_get_width (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), 0);

  return self->width;
}

int
inp_library_output_get_height (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), 0);

  return self->height;
}

/**
 * inp_library_output_get_sha256:
 *
 * Returns: the SHA-256 of the file's bytes, in lowercase hex.
 */
const char *
inp_library_output_get_sha256 (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), NULL);

  return self->sha256;
}

/**
 * inp_library_output_get_created:
 *
 * Returns: (transfer full): when the output was recorded, in local time.
 */
GDateTime *
inp_library_output_get_created (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), NULL);

  return inp_library_date_time_new (self->created);
}

/**
 * inp_library_output_get_prompt:
 *
 * Returns: the prompt of the job that made the output, for captions.
 */
const char *
inp_library_output_get_prompt (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), NULL);

  return self->prompt;
}

const char *
inp_library_output_get_model (InpLibraryOutput *self)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (self), NULL);

  return self->model;
}
