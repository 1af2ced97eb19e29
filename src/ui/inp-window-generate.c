/* inp-window-generate.c: the window's connection (token or sandbox) and win.generate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "inp-endpoint.h"
#include "inp-error.h"
#include "inp-image.h"
#include "inp-input-roles.h"
#include "inp-job-row.h"
#include "inp-results-folder.h"
#include "inp-resume.h"
#include "inp-token.h"
#include "inp-window-private.h"

/**
 * inp_window_get_job_queue:
 *
 * Returns: (transfer none): the jobs this window started, newest first
 */
InpJobQueue *
inp_window_get_job_queue (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->queue;
}

/**
 * inp_window_get_client:
 *
 * Returns: (transfer none) (nullable): the client new jobs use, or %NULL while there is no token
 *   and no sandbox
 */
InpClient *
inp_window_get_client (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->client;
}

/**
 * inp_window_get_sandbox:
 *
 * Returns: (transfer none) (nullable): the offline sandbox, when the window uses it
 */
InpSandbox *
inp_window_get_sandbox (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->sandbox;
}

static void
set_client (InpWindow *self,
            InpClient *client)
{
  /* A replaced client may still be running jobs: they keep the strategy they had. */
  if (self->client != NULL && self->client != client)
    g_settings_unbind (self->client, "upload-strategy");
  g_set_object (&self->client, client);
  if (client != NULL)
    {
      inp_client_set_wait_seconds (client, g_settings_get_int (self->settings, "wait-seconds"));
      g_settings_bind (self->settings, "upload-strategy", client, "upload-strategy",
                       G_SETTINGS_BIND_GET);
    }
  self->needs_token = client == NULL;
  inp_window_update_centre (self);
}

/* The keyring may take its time to answer a cancelled lookup: it must not keep a closed window
 * alive meanwhile, so the window is held weakly. */
typedef struct
{
  GWeakRef    *window;
  InpEndpoint *endpoint;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->endpoint);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void resume_unfinished (InpWindow *self);

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(InpWindow) self = inp_window_weak_take (lookup->window);
  g_autoptr(InpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = inp_token_lookup_finish (result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || self->sandbox != NULL)
    return;

  if (token == NULL)
    {
      g_debug ("window: no token for %s", inp_endpoint_get_host (lookup->endpoint));
      if (error != NULL && !g_error_matches (error, INP_ERROR, INP_ERROR_NO_TOKEN))
        inp_window_show_toast (self, error->message);
      set_client (self, NULL);
      return;
    }

  g_debug ("window: connected to %s", inp_endpoint_get_host (lookup->endpoint));
  client = inp_client_new (lookup->endpoint, token);
  set_client (self, client);
  resume_unfinished (self);
}

static void
resumed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  InpResume *resume = INP_RESUME (source);
  g_autoptr(InpWindow) self = inp_window_weak_take (user_data);
  g_autoptr(GError) error = NULL;
  guint n_settled = inp_resume_get_n_settled (resume);

  /* Jobs of another endpoint wait for it: that is no news worth a toast. */
  if (!inp_resume_run_finish (resume, result, &error))
    g_debug ("window: resuming: %s", error->message);
  g_debug ("window: resumed %u of %u unfinished jobs", n_settled, inp_resume_get_n_jobs (resume));

  if (self != NULL && n_settled > 0)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (ngettext ("%u job left unfinished last time has been settled",
                                           "%u jobs left unfinished last time have been settled",
                                           n_settled),
                                 n_settled);
      inp_window_show_toast (self, message);
    }
}

/* Once per run of the application, with its first connection: the jobs a crash or a quit left
 * unfinished are followed to their end (or marked), before any new one is sent. */
static void
resume_unfinished (InpWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(InpResume) resume = NULL;

  if (application == NULL || self->library == NULL
      || g_object_get_data (G_OBJECT (application), "inp-resumed") != NULL)
    return;

  g_object_set_data (G_OBJECT (application), "inp-resumed", GINT_TO_POINTER (TRUE));
  resume = inp_resume_new (self->library);
  inp_resume_add_client (resume, self->client);
  inp_resume_run_async (resume, self->cancellable, resumed_cb, inp_window_weak_new (self));
}

/* Reads the endpoint from the settings and looks its token up; the client follows. */
static void
connect_to_endpoint (InpWindow *self)
{
  g_autoptr(InpEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;
  Lookup *lookup;

  if (self->sandbox != NULL)
    return;

  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();

  endpoint = inp_endpoint_new_from_settings (self->settings, &error);
  if (endpoint == NULL)
    {
      inp_window_show_toast (self, error->message);
      set_client (self, NULL);
      return;
    }

  lookup = g_new0 (Lookup, 1);
  lookup->window = inp_window_weak_new (self);
  lookup->endpoint = g_steal_pointer (&endpoint);
  inp_token_lookup_async (lookup->endpoint, self->connect_cancellable, token_looked_up_cb,
                          lookup);
}

static void
endpoint_changed_cb (InpWindow  *self,
                     const char *key,
                     GSettings  *settings)
{
  connect_to_endpoint (self);
}

static void
wait_seconds_changed_cb (InpWindow  *self,
                         const char *key,
                         GSettings  *settings)
{
  if (self->client != NULL)
    inp_client_set_wait_seconds (self->client, g_settings_get_int (settings, key));
}

static void
active_changed_cb (InpWindow  *self,
                   GParamSpec *pspec,
                   gpointer    unused)
{
  /* Back from the preferences, where a token may just have been stored. */
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->needs_token && self->sandbox == NULL)
    connect_to_endpoint (self);
}

/**
 * inp_window_use_sandbox:
 *
 * Starts the built-in sandbox on loopback and runs every new job against it; a badge in the
 * header bar says results are simulated for as long as the window uses it.
 *
 * Returns: whether the sandbox runs
 */
gboolean
inp_window_use_sandbox (InpWindow  *self,
                        GError    **error)
{
  g_autoptr(InpSandbox) sandbox = NULL;
  g_autoptr(InpEndpoint) endpoint = NULL;
  g_autoptr(InpClient) client = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *token = NULL;

  g_return_val_if_fail (INP_IS_WINDOW (self), FALSE);

  if (self->sandbox != NULL)
    return TRUE;

  /* A token of its own, so that no real token is ever sent to it. */
  uuid = g_uuid_string_random ();
  token = g_strconcat ("r8_sandbox_", uuid, NULL);
  sandbox = inp_sandbox_new ();
  inp_sandbox_set_token (sandbox, token);
  if (!inp_sandbox_start (sandbox, "/v1", error))
    return FALSE;

  endpoint = inp_endpoint_new (inp_sandbox_get_base_url (sandbox), error);
  if (endpoint == NULL)
    {
      inp_sandbox_stop (sandbox);
      return FALSE;
    }

  g_debug ("window: using the offline sandbox at %s", inp_sandbox_get_base_url (sandbox));
  g_cancellable_cancel (self->connect_cancellable);
  self->sandbox = g_steal_pointer (&sandbox);
  client = inp_client_new (endpoint, token);
  set_client (self, client);
  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_badge), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.use-sandbox", FALSE);

  return TRUE;
}

static void
use_sandbox_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  InpWindow *self = INP_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!inp_window_use_sandbox (self, &error))
    inp_window_show_toast (self, error->message);
}

/* The results-folder setting, or %NULL when it is empty. */
static char *
dup_results_folder (InpWindow *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "results-folder");

  return folder[0] != '\0' ? g_steal_pointer (&folder) : NULL;
}

/* With a library, outputs are downloaded to the cache and the library keeps its own copies (and
 * the results folder gets copies of those); without one, they stay where they were downloaded,
 * in the results folder when one is set. */
static char *
dup_output_directory (InpWindow *self)
{
  char *folder;

  if (self->library != NULL)
    return g_build_filename (g_get_user_cache_dir (), "inpainter", "downloads", NULL);

  folder = dup_results_folder (self);
  if (folder != NULL && g_path_is_absolute (folder))
    return folder;
  g_free (folder);

  return g_build_filename (g_get_user_data_dir (), "inpainter", "results", NULL);
}

/* The output-format setting, given as the output_format input to models whose schema lists
 * that value, unless the form already holds a value of the user's. */
static void
apply_output_format (InpWindow  *self,
                     InpModel   *model,
                     JsonObject *values)
{
  g_autofree char *format = g_settings_get_string (self->settings, "output-format");
  InpInputSchema *schema = inp_model_get_schema (model);
  InpInputField *field;
  JsonArray *choices;

  if (g_str_equal (format, "automatic") || json_object_has_member (values, "output_format")
      || schema == NULL)
    return;

  field = inp_input_schema_lookup (schema, "output_format");
  choices = field != NULL ? inp_input_field_get_enum (field) : NULL;
  for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
    {
      JsonNode *choice = json_array_get_element (choices, i);

      if (JSON_NODE_HOLDS_VALUE (choice) && json_node_get_value_type (choice) == G_TYPE_STRING
          && g_str_equal (json_node_get_string (choice), format))
        {
          json_object_set_string_member (values, "output_format", format);
          return;
        }
    }

  g_debug ("window: %s has no output format %s; its default stands",
           inp_model_get_id (model), format);
}

static InpJob *
new_job (InpWindow  *self,
         InpClient  *client,
         InpModel   *model,
         JsonObject *values)
{
  g_autofree char *directory = dup_output_directory (self);
  InpJob *job = inp_job_new (client, model, values, directory);

  inp_job_set_library (job, self->library);

  return job;
}

/* Whether the canvas picture goes to the model: always when it needs one; for text-to-image
 * models only when a mask asks for inpainting. */
static gboolean
should_send_image (InpWindow *self,
                   InpModel  *model)
{
  if (inp_mask_canvas_get_image (self->canvas) == NULL)
    return FALSE;
  if (inp_model_needs_image (model))
    return TRUE;
  if (!inp_model_accepts_image (model))
    return FALSE;

  return inp_model_get_task (model) != INP_MODEL_TASK_GENERATE
         || (inp_model_get_mask_input (model) != NULL && !inp_mask_canvas_is_mask_empty (self->canvas));
}

static void
set_size_inputs (InpModel   *model,
                 JsonObject *values,
                 int         width,
                 int         height)
{
  const InpSizeRules *rules = inp_model_get_size_rules (model);

  if (rules == NULL)
    return;
  if (rules->width_input != NULL)
    json_object_set_int_member (values, rules->width_input, width);
  if (rules->height_input != NULL)
    json_object_set_int_member (values, rules->height_input, height);
}

static void
fitted_size (InpWindow *self,
             InpModel  *model,
             int       *width,
             int       *height)
{
  GdkTexture *image = inp_mask_canvas_get_image (self->canvas);
  const InpSizeRules *rules = inp_model_get_size_rules (model);

  *width = gdk_texture_get_width (image);
  *height = gdk_texture_get_height (image);
  if (rules != NULL)
    inp_size_rules_fit (rules, *width, *height, width, height);
}

static void
enqueue (InpWindow  *self,
         InpJob     *job)
{
  inp_job_queue_add (self->queue, job);
  gtk_stack_set_visible_child_name (self->results_stack, "jobs");
}

typedef struct
{
  InpWindow  *window;
  InpClient  *client;
  InpModel   *model;
  JsonObject *values;
  gboolean    send_mask;
  int         width;
  int         height;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->window);
  g_clear_object (&export->client);
  g_clear_object (&export->model);
  g_clear_pointer (&export->values, json_object_unref);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  InpWindow *self = export->window;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) mask = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InpJob) job = NULL;
  InpMaskRect bounds;

  self->exporting--;
  if (!inp_mask_canvas_export_finish (INP_MASK_CANVAS (source), result, &image, &mask, &bounds,
                                      &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        inp_window_show_toast (self, error->message);
      return;
    }

  g_debug ("window: exported %d × %d for %s", export->width, export->height,
           inp_model_get_id (export->model));
  set_size_inputs (export->model, export->values, export->width, export->height);
  job = new_job (self, export->client, export->model, export->values);
  inp_job_set_file (job, inp_model_get_image_input (export->model), image, "image/png");
  if (export->send_mask && mask != NULL)
    inp_job_set_file (job, inp_model_get_mask_input (export->model), mask, "image/png");
  enqueue (self, job);
}

static gboolean
validate_inputs (InpWindow *self)
{
  g_autoptr(GError) form_error = NULL;
  g_autoptr(GError) prompt_error = NULL;
  gboolean form_ok;
  gboolean prompt_ok;

  /* Both run, so every bad field is marked at once. */
  prompt_ok = inp_prompt_panel_validate (self->prompt_panel, &prompt_error);
  form_ok = inp_param_form_validate (self->param_form, &form_error);
  if (prompt_ok && form_ok)
    return TRUE;

  adw_flap_set_reveal_flap (self->flap, TRUE);
  inp_window_show_toast (self, (prompt_error != NULL ? prompt_error : form_error)->message);

  return FALSE;
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  InpWindow *self = INP_WINDOW (widget);
  InpModel *model = inp_model_picker_get_selected_model (self->model_picker);
  g_autofree char *blocker = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(InpJob) job = NULL;
  gboolean send_mask;

  if (model == NULL)
    {
      inp_window_show_toast (self, _("Choose a model first."));
      return;
    }

  blocker = inp_model_picker_dup_blocker (self->model_picker, model);
  if (blocker != NULL)
    {
      inp_window_show_toast (self, blocker);
      return;
    }

  if (!validate_inputs (self))
    return;

  if (self->client == NULL)
    {
      self->needs_token = TRUE;
      gtk_stack_set_visible_child_name (self->canvas_stack, "welcome");
      inp_window_show_toast (self, _("Enter an API token, or try the offline sandbox."));
      return;
    }

  values = inp_param_form_dup_values (self->param_form);
  inp_prompt_panel_fill_input (self->prompt_panel, values);
  inp_prompt_panel_remember_prompt (self->prompt_panel);
  apply_output_format (self, model, values);
  send_mask = inp_model_get_mask_input (model) != NULL
              && !inp_mask_canvas_is_mask_empty (self->canvas);
  g_debug ("window: generate with %s", inp_model_get_id (model));

  if (should_send_image (self, model))
    {
      Export *export = g_new0 (Export, 1);

      export->window = g_object_ref (self);
      export->client = g_object_ref (self->client);
      export->model = g_object_ref (model);
      export->values = g_steal_pointer (&values);
      export->send_mask = send_mask;
      fitted_size (self, model, &export->width, &export->height);

      /* Encoding the picture and mask runs off the main loop. */
      self->exporting++;
      inp_mask_canvas_export_async (self->canvas, export->width, export->height,
                                    self->cancellable, exported_cb, export);
      return;
    }

  /* A text-to-image model with a canvas of a chosen size makes pictures of that size. */
  if (inp_mask_canvas_get_image (self->canvas) != NULL
      && inp_model_find_input_with_role (model, INP_INPUT_ROLE_SIZE) != NULL)
    {
      int width, height;

      fitted_size (self, model, &width, &height);
      set_size_inputs (model, values, width, height);
    }

  job = new_job (self, self->client, model, values);
  enqueue (self, job);
}

/* The library keeps its own copies of a recorded job's outputs. */
static void
forget_downloads (InpJob *job)
{
  GPtrArray *paths = inp_job_get_output_paths (job);

  if (inp_job_get_library_id (job) <= 0 || paths == NULL)
    return;

  for (guint i = 0; i < paths->len; i++)
    g_unlink (g_ptr_array_index (paths, i));
}

static void
results_copied_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(InpWindow) self = inp_window_weak_take (user_data);
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;

  paths = inp_results_folder_copy_finish (result, &error);
  if (paths == NULL && self != NULL)
    inp_window_show_toast (self, error->message);
  else if (paths == NULL)
    g_debug ("window: copying to the results folder: %s", error->message);
}

/* The library keeps the outputs; the results folder, when one is set, gets copies. */
static void
copy_to_results_folder (InpWindow *self,
                        InpJob    *job)
{
  g_autofree char *folder = dup_results_folder (self);
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GError) error = NULL;

  if (folder == NULL || self->library == NULL || inp_job_get_library_id (job) <= 0)
    return;

  outputs = inp_library_list_outputs (self->library, inp_job_get_library_id (job), &error);
  if (outputs == NULL)
    {
      inp_window_show_toast (self, error->message);
      return;
    }

  /* Not cancelled with the window: a copy of a finished result should still arrive. */
  inp_results_folder_copy_async (folder, outputs, NULL, results_copied_cb,
                                 inp_window_weak_new (self));
}

/* The service names a missing input only in words ("prompt is required", for the input as a
 * whole); find the name there so that the field can be marked. */
static GPtrArray *
resolve_fields (GPtrArray *fields)
{
  GPtrArray *resolved;

  if (fields == NULL)
    return NULL;

  resolved = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_field_error_free);
  for (guint i = 0; i < fields->len; i++)
    {
      InpFieldError *field = g_ptr_array_index (fields, i);
      const char *end = strstr (field->message, " is required");
      g_autofree char *name = NULL;

      if (field->field[0] == '\0' && end != NULL && end > field->message)
        name = g_strndup (field->message, end - field->message);
      g_ptr_array_add (resolved, inp_field_error_new (name != NULL ? name : field->field,
                                                      field->message));
    }

  return resolved;
}

static void
job_finished_cb (InpWindow   *self,
                 InpJob      *job,
                 InpJobQueue *queue)
{
  const GError *error = inp_job_queue_get_error (queue, job);
  g_autoptr(GPtrArray) fields = NULL;

  if (error == NULL)
    {
      g_debug ("window: %s done", inp_model_get_id (inp_job_get_model (job)));
      forget_downloads (job);
      copy_to_results_folder (self, job);
      gtk_stack_set_visible_child_name (self->results_stack, "gallery");
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, INP_ERROR, INP_ERROR_CANCELLED))
    return;

  inp_window_show_toast (self, error->message);

  /* A 422 names the fields the service refused: mark them where they are edited, when the form
   * still shows that model. */
  fields = resolve_fields (inp_error_get_fields (error));
  if (fields != NULL && inp_model_picker_get_selected_model (self->model_picker)
                        == inp_job_get_model (job))
    {
      adw_flap_set_reveal_flap (self->flap, TRUE);
      inp_param_form_mark_errors (self->param_form, fields);
      inp_prompt_panel_mark_errors (self->prompt_panel, fields);
    }
}

static GtkWidget *
create_job_row_cb (gpointer item,
                   gpointer user_data)
{
  InpWindow *self = user_data;

  return inp_job_row_new (self->queue, INP_JOB (item));
}

/**
 * inp_window_find_job_row:
 *
 * Returns: (transfer none) (nullable): the row that shows @job
 */
GtkWidget *
inp_window_find_job_row (InpWindow *self,
                         InpJob    *job)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->jobs_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (INP_IS_JOB_ROW (child) && inp_job_row_get_job (INP_JOB_ROW (child)) == job)
        return child;
    }

  return NULL;
}

typedef struct
{
  InpWindow *window;
  char      *id;
} AddModel;

static void
add_model_free (AddModel *add)
{
  g_clear_object (&add->window);
  g_free (add->id);
  g_free (add);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AddModel, add_model_free)

static void
model_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AddModel) add = user_data;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(InpModel) model = NULL;
  g_autoptr(GError) error = NULL;

  object = inp_client_get_model_finish (INP_CLIENT (source), result, &error);
  if (object != NULL)
    model = inp_model_new_from_api (object, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (model == NULL)
    {
      inp_model_picker_show_add_error (add->window->model_picker, error->message);
      return;
    }

  g_debug ("window: added %s", add->id);
  inp_model_picker_add_model (add->window->model_picker, model);
}

static void
add_model_requested_cb (InpWindow      *self,
                        const char     *id,
                        InpModelPicker *picker)
{
  AddModel *add;

  if (self->client == NULL)
    {
      inp_model_picker_show_add_error (picker, _("Enter an API token or use the offline sandbox "
                                                 "before adding a model."));
      return;
    }

  add = g_new0 (AddModel, 1);
  add->window = g_object_ref (self);
  add->id = g_strdup (id);
  inp_client_get_model_async (self->client, id, self->cancellable, model_fetched_cb, add);
}

/* The application, and with it the library, is set only after construction. */
static void
application_changed_cb (InpWindow  *self,
                        GParamSpec *pspec,
                        gpointer    unused)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  InpCustomModels *custom;
  const GError *problem;

  if (application == NULL || self->gallery != NULL)
    return;

  self->library = inp_application_get_library (INP_APPLICATION (application), &error);

  if (self->library != NULL)
    {
      g_object_ref (self->library);
      problem = inp_library_get_problem (self->library);
      if (problem != NULL)
        inp_window_show_toast (self, problem->message);
    }
  else if (error != NULL)
    {
      inp_window_show_toast (self, error->message);
    }

  /* Models added by name last time are listed before anything is generated. */
  custom = inp_application_get_custom_models (INP_APPLICATION (application));
  inp_model_picker_set_custom_models (self->model_picker, custom);
  problem = inp_custom_models_get_problem (custom);
  if (problem != NULL)
    inp_window_show_toast (self, problem->message);

  self->gallery = inp_gallery_new (self->library);
  gtk_widget_set_vexpand (GTK_WIDGET (self->gallery), TRUE);
  gtk_box_append (self->gallery_box, GTK_WIDGET (self->gallery));
  inp_window_input_follow_gallery (self);
}

/**
 * inp_window_get_library:
 *
 * Returns: (transfer none) (nullable): the library the window's jobs are recorded in
 */
InpLibrary *
inp_window_get_library (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->library;
}

/**
 * inp_window_get_gallery:
 *
 * Returns: (transfer none) (nullable): the results, once the window belongs to the application
 */
InpGallery *
inp_window_get_gallery (InpWindow *self)
{
  g_return_val_if_fail (INP_IS_WINDOW (self), NULL);

  return self->gallery;
}

void
inp_window_generate_init (InpWindow *self)
{
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
  application_changed_cb (self, NULL, NULL);

  self->queue = inp_job_queue_new (g_settings_get_int (self->settings, "concurrent-jobs"));
  g_settings_bind (self->settings, "concurrent-jobs", self->queue, "max-running",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->queue, "job-finished", G_CALLBACK (job_finished_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->jobs_list, G_LIST_MODEL (self->queue), create_job_row_cb,
                           self, NULL);

  g_signal_connect_object (self->model_picker, "add-model-requested",
                           G_CALLBACK (add_model_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::endpoint", G_CALLBACK (endpoint_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::custom-base-url",
                           G_CALLBACK (endpoint_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::wait-seconds",
                           G_CALLBACK (wait_seconds_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_changed_cb), NULL);

  connect_to_endpoint (self);
}

void
inp_window_generate_dispose (InpWindow *self)
{
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);

  if (self->jobs_list != NULL)
    gtk_list_box_bind_model (self->jobs_list, NULL, NULL, NULL, NULL);
  if (self->queue != NULL)
    {
      g_settings_unbind (self->queue, "max-running");
      g_signal_handlers_disconnect_by_data (self->queue, self);
      inp_job_queue_cancel_all (self->queue);
    }
  g_clear_object (&self->queue);
  if (self->client != NULL)
    g_settings_unbind (self->client, "upload-strategy");
  g_clear_object (&self->client);
  g_clear_object (&self->library);
  self->gallery = NULL;

  if (self->sandbox != NULL)
    inp_sandbox_stop (self->sandbox);
  g_clear_object (&self->sandbox);
}

void
inp_window_generate_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "win.use-sandbox", NULL, use_sandbox_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.generate", NULL);
}
