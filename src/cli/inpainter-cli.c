/* inpainter-cli.c: run catalogue models from the command line, on the same core as the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "inp-catalog.h"
#include "inp-client.h"
#include "inp-endpoint.h"
#include "inp-error.h"
#include "inp-i18n.h"
#include "inp-job.h"
#include "inp-library.h"
#include "inp-provenance.h"
#include "inp-resume.h"
#include "inp-sandbox.h"
#include "inp-token.h"

/* The exit codes that scripts rely on. */
enum {
  EXIT_OK = 0,
  EXIT_PREDICTION_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_SERVICE = 3,
};

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  InpSandbox   *sandbox;
  InpClient    *client;
  InpJob       *job;
  InpLibrary   *library;
  char         *token;
  GError       *error;
  GPtrArray    *paths;
  InpPrediction *prediction;
  JsonObject   *model_object;
  gboolean      json;
  guint         interrupts;
  InpJobState   shown_state;
  int           shown_step;
} Cli;

static void
cli_clear (Cli *cli)
{
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_object (&cli->cancellable);
  g_clear_object (&cli->job);
  g_clear_object (&cli->library);
  g_clear_object (&cli->client);
  if (cli->sandbox != NULL)
    inp_sandbox_stop (cli->sandbox);
  g_clear_object (&cli->sandbox);
  g_clear_pointer (&cli->token, g_free);
  g_clear_error (&cli->error);
  g_clear_pointer (&cli->paths, g_ptr_array_unref);
  g_clear_object (&cli->prediction);
  g_clear_pointer (&cli->model_object, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cli, cli_clear)

static int
exit_code_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_PREDICTION_FAILED;

  if (error->domain != INP_ERROR)
    return EXIT_SERVICE;

  switch ((InpError) error->code)
    {
    case INP_ERROR_INVALID_INPUT:
    case INP_ERROR_INSECURE_URL:
      return EXIT_USAGE;

    case INP_ERROR_PREDICTION_FAILED:
    case INP_ERROR_CANCELLED:
      return EXIT_PREDICTION_FAILED;

    case INP_ERROR_UNAUTHORIZED:
    case INP_ERROR_PAYMENT_REQUIRED:
    case INP_ERROR_NOT_FOUND:
    case INP_ERROR_TOO_LARGE:
    case INP_ERROR_VALIDATION:
    case INP_ERROR_RATE_LIMITED:
    case INP_ERROR_SERVER:
    case INP_ERROR_NETWORK:
    case INP_ERROR_PROTOCOL:
    case INP_ERROR_OUTPUT_EXPIRED:
    case INP_ERROR_NO_TOKEN:
    case INP_ERROR_FAILED:
    default:
      return EXIT_SERVICE;
    }
}

static int
report_error (const GError *error)
{
  GPtrArray *fields = inp_error_get_fields (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("%s\n", _("Cancelled."));
  else
    g_printerr (_("Error: %s\n"), error->message);

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      InpFieldError *field = g_ptr_array_index (fields, i);

      if (field->field != NULL && *field->field != '\0')
        g_printerr ("  %s: %s\n", field->field, field->message);
      else
        g_printerr ("  %s\n", field->message);
    }

  return exit_code_for_error (error);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("%s\n\n", message);
  if (context != NULL)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
    }
  return EXIT_USAGE;
}

/* ─── Endpoint and token ──────────────────────────────────────────────────────────────────────── */

static InpEndpoint *
endpoint_from_settings (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  /* Without the app installed there is no schema, and g_settings_new() would abort. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return inp_endpoint_new_for_preset (INP_ENDPOINT_PRESET_QUICKROUTER);

  settings = g_settings_new (APP_ID);
  return inp_endpoint_new_from_settings (settings, error);
}

static InpEndpoint *
choose_endpoint (const char  *base_url,
                 GError     **error)
{
  const char *from_environment = g_getenv ("INPAINTER_BASE_URL");

  if (base_url != NULL)
    return inp_endpoint_new (base_url, error);
  if (from_environment != NULL && *from_environment != '\0')
    return inp_endpoint_new (from_environment, error);

  return endpoint_from_settings (error);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Cli *cli = user_data;

  cli->token = inp_token_lookup_finish (result, &cli->error);
  g_main_loop_quit (cli->loop);
}

/* Sets up cli->client for --sandbox, --base-url or the usual sources. */
static gboolean
connect_client (Cli         *cli,
                const char  *base_url,
                gboolean     sandbox,
                GError     **error)
{
  g_autoptr(InpEndpoint) endpoint = NULL;

  if (sandbox)
    {
      g_autofree char *sandbox_token = g_strdup_printf ("sandbox-%08x%08x", g_random_int (),
                                                        g_random_int ());

      cli->sandbox = inp_sandbox_new ();
      inp_sandbox_set_token (cli->sandbox, sandbox_token);
      if (!inp_sandbox_start (cli->sandbox, "/v1", error))
        return FALSE;
      g_printerr ("%s\n", _("Using the built-in sandbox: results are simulated."));
      endpoint = inp_endpoint_new (inp_sandbox_get_base_url (cli->sandbox), error);
      if (endpoint == NULL)
        return FALSE;
      cli->client = inp_client_new (endpoint, sandbox_token);
      return TRUE;
    }

  endpoint = choose_endpoint (base_url, error);
  if (endpoint == NULL)
    return FALSE;

  inp_token_lookup_async (endpoint, NULL, token_cb, cli);
  g_main_loop_run (cli->loop);
  if (cli->token == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&cli->error));
      return FALSE;
    }

  cli->client = inp_client_new (endpoint, cli->token);
  return TRUE;
}

/* ─── The library ─────────────────────────────────────────────────────────────────────────────── */

/* Opens the library at its usual place ($XDG_DATA_HOME/inpainter). A database that had to be set
 * aside is said so, once, and a fresh one is used. */
static InpLibrary *
open_library (GError **error)
{
  g_autoptr(InpLibrary) library = inp_library_new (NULL, error);
  const GError *problem;

  if (library == NULL)
    return NULL;

  problem = inp_library_get_problem (library);
  if (problem != NULL)
    g_printerr (_("Warning: %s\n"), problem->message);

  return g_steal_pointer (&library);
}

/* ─── Output ──────────────────────────────────────────────────────────────────────────────────── */

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_node (JsonBuilder *builder,
          const char  *name,
          JsonNode    *node)
{
  json_builder_set_member_name (builder, name);
  if (node != NULL)
    json_builder_add_value (builder, json_node_copy (node));
  else
    json_builder_add_null_value (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
build_prediction (JsonBuilder   *builder,
                  InpPrediction *prediction)
{
  add_string (builder, "id", inp_prediction_get_id (prediction));
  add_string (builder, "model", inp_prediction_get_model (prediction));
  add_string (builder, "version", inp_prediction_get_version (prediction));
  add_string (builder, "status",
              inp_prediction_status_to_string (inp_prediction_get_status (prediction)));
  add_node (builder, "input", inp_prediction_get_input (prediction));
  add_node (builder, "output", inp_prediction_get_output (prediction));
  add_string (builder, "error", inp_prediction_get_error (prediction));
  add_string (builder, "logs", inp_prediction_get_logs (prediction));
  add_node (builder, "metrics", inp_prediction_get_metrics (prediction));
  add_time (builder, "created_at", inp_prediction_get_created_at (prediction));
  add_time (builder, "started_at", inp_prediction_get_started_at (prediction));
  add_time (builder, "completed_at", inp_prediction_get_completed_at (prediction));
  json_builder_set_member_name (builder, "data_removed");
  json_builder_add_boolean_value (builder, inp_prediction_get_data_removed (prediction));
}

static void
print_prediction (InpPrediction *prediction,
                  gboolean       json)
{
  g_autoptr(GPtrArray) files = NULL;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

      json_builder_begin_object (builder);
      build_prediction (builder, prediction);
      json_builder_end_object (builder);
      print_json (builder);
      return;
    }

  g_print ("%s\t%s\n", inp_prediction_get_id (prediction),
           inp_prediction_status_to_string (inp_prediction_get_status (prediction)));
  if (inp_prediction_get_error (prediction) != NULL)
    g_print ("%s\n", inp_prediction_get_error (prediction));

  files = inp_prediction_dup_file_outputs (prediction);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);

      /* A data URI can be megabytes long; a terminal needs only to know it is there. */
      if (g_str_has_prefix (file, "data:"))
        g_print ("%.40s…\n", file);
      else
        g_print ("%s\n", file);
    }
}

/* ─── models ──────────────────────────────────────────────────────────────────────────────────── */

static int
command_models (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the list as JSON"), NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  GListModel *catalog = G_LIST_MODEL (inp_catalog_get_default ());
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_option_context_set_summary (context, _("Lists the models of the built-in catalogue."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 1)
    return usage_error (context, _("“models” takes no arguments."));

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (catalog); i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (catalog, i);

      if (!json)
        {
          g_print ("%-44s %-18s %s\n", inp_model_get_id (model),
                   inp_model_task_to_string (inp_model_get_task (model)),
                   inp_model_get_title (model));
          continue;
        }

      json_builder_begin_object (builder);
      add_string (builder, "id", inp_model_get_id (model));
      add_string (builder, "title", inp_model_get_title (model));
      add_string (builder, "description", inp_model_get_description (model));
      add_string (builder, "task", inp_model_task_to_string (inp_model_get_task (model)));
      add_string (builder, "endpoint",
                  inp_model_get_endpoint (model) == INP_MODEL_ENDPOINT_MODEL ? "model" : "version");
      add_string (builder, "version", inp_model_get_version (model));
      add_string (builder, "image_input", inp_model_get_image_input (model));
      add_string (builder, "mask_input", inp_model_get_mask_input (model));
      add_string (builder, "output",
                  inp_model_get_output_kind (model) == INP_MODEL_OUTPUT_VIDEO ? "video" : "image");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    print_json (builder);

  return EXIT_OK;
}

/* ─── run ─────────────────────────────────────────────────────────────────────────────────────── */

static gboolean
sigint_cb (gpointer user_data)
{
  Cli *cli = user_data;

  cli->interrupts++;
  if (cli->interrupts == 1)
    {
      g_printerr ("\n%s\n", _("Cancelling the prediction on the service… (press Ctrl+C again to "
                              "quit at once)"));
      g_cancellable_cancel (cli->cancellable);
      return G_SOURCE_CONTINUE;
    }

  g_printerr ("%s\n", _("Quit without waiting for the service."));
  exit (EXIT_PREDICTION_FAILED);
  return G_SOURCE_REMOVE;
}

static void
job_state_cb (InpJob     *job,
              GParamSpec *pspec,
              Cli        *cli)
{
  InpJobState state = inp_job_get_state (job);
  InpPrediction *prediction = inp_job_get_prediction (job);

  if (state == cli->shown_state)
    return;
  cli->shown_state = state;

  switch (state)
    {
    case INP_JOB_STATE_UPLOADING:
      g_printerr ("%s\n", _("Preparing the input…"));
      break;

    case INP_JOB_STATE_CREATING:
      g_printerr ("%s\n", _("Creating the prediction…"));
      break;

    case INP_JOB_STATE_RUNNING:
      /* Translators: %s is the prediction’s id on the service */
      g_printerr (_("Prediction %s is running…\n"), inp_prediction_get_id (prediction));
      break;

    case INP_JOB_STATE_DOWNLOADING:
      /* Translators: %s is the prediction’s id on the service */
      g_printerr (_("Prediction %s finished; saving the outputs…\n"),
                  inp_prediction_get_id (prediction));
      break;

    case INP_JOB_STATE_READY:
    case INP_JOB_STATE_SUCCEEDED:
    case INP_JOB_STATE_FAILED:
    case INP_JOB_STATE_CANCELLED:
    default:
      break;
    }
}

static void
job_progress_cb (InpJob     *job,
                 GParamSpec *pspec,
                 Cli        *cli)
{
  InpPrediction *prediction = inp_job_get_prediction (job);
  int current;
  int total;

  if (prediction == NULL || inp_job_get_state (job) != INP_JOB_STATE_RUNNING)
    return;

  current = inp_prediction_get_progress_current (prediction);
  total = inp_prediction_get_progress_total (prediction);
  if (total <= 0 || current == cli->shown_step)
    return;

  cli->shown_step = current;
  /* Translators: progress of a running model: percentage, then the step of all steps. */
  g_printerr (_("%3.0f%% (step %d of %d)\n"), 100.0 * current / total, current, total);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Cli *cli = user_data;

  cli->paths = inp_job_run_finish (INP_JOB (source), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static void
model_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Cli *cli = user_data;

  cli->model_object = inp_client_get_model_finish (INP_CLIENT (source), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

/* Finds MODEL in the catalogue, or, for `owner/name:version` of another model, asks the service
 * for its schema. */
static InpModel *
resolve_model (Cli         *cli,
               const char  *spec,
               char       **version,
               GError     **error)
{
  InpCatalog *catalog = inp_catalog_get_default ();
  g_autofree char *id = g_strdup (spec);
  char *colon = strchr (id, ':');
  InpModel *model;

  *version = NULL;
  if (colon != NULL)
    {
      *colon = '\0';
      *version = g_strdup (colon + 1);
    }

  model = inp_catalog_lookup (catalog, id);
  if (model != NULL)
    {
      if (*version != NULL && g_strcmp0 (*version, inp_model_get_version (model)) == 0)
        g_clear_pointer (version, g_free);
      return g_object_ref (model);
    }

  if (*version == NULL)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT,
                   _("“%s” is not in the catalogue. Run “inpainter-cli models” for the list, or "
                     "name another model as owner/name:version."), spec);
      return NULL;
    }

  return NULL;
}

static gboolean
read_file_input (InpJob          *job,
                 InpInputSchema  *schema,
                 const char      *name,
                 const char      *path,
                 GError         **error)
{
  InpInputField *field = inp_input_schema_lookup (schema, name);
  g_autofree char *contents = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  if (field == NULL || inp_input_field_get_field_type (field) != INP_FIELD_TYPE_FILE)
    {
      g_set_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT,
                   /* Translators: a model input’s name, then the path written after its @ */
                   _("%s is not a file input of this model, so it cannot take @%s."), name, path);
      return FALSE;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, INP_ERROR, INP_ERROR_INVALID_INPUT,
                   /* Translators: the name of a model input, then why its file could not be read */
                   _("The file for %s could not be read: %s"), name, local_error->message);
      return FALSE;
    }

  content_type = g_content_type_guess (path, (const guchar *) contents, length, NULL);
  mime = g_content_type_get_mime_type (content_type);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  inp_job_set_file (job, name, bytes, mime != NULL ? mime : "application/octet-stream");

  return TRUE;
}

/* Marks the saved outputs as made by Inpainter, with the model and inputs, as the library's copies
 * are, so that opening one in the app offers to restore its settings. Failing to is not fatal: the
 * pictures themselves are saved. */
static void
mark_outputs (InpJob     *job,
              const char *version,
              GPtrArray  *paths)
{
  InpModel *model = inp_job_get_model (job);
  g_autoptr(JsonNode) values = json_node_init_object (json_node_alloc (), inp_job_get_values (job));
  g_autoptr(InpProvenance) provenance = NULL;

  provenance = inp_provenance_new (inp_model_get_id (model),
                                   version != NULL ? version : inp_model_get_version (model),
                                   values);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GError) error = NULL;

      if (!inp_provenance_write_file (provenance, path, &error))
        /* Translators: %s is a saved file's path, the second the reason */
        g_printerr (_("Could not record how %s was made: %s\n"), path, error->message);
    }
}

static int
command_run (int    argc,
             char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *base_url = NULL;
  gboolean sandbox = FALSE;
  gboolean json = FALSE;
  gboolean no_library = FALSE;
  int wait_seconds = INP_CLIENT_DEFAULT_WAIT_SECONDS;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      /* Translators: the help of --output, then its argument’s name; keep both names alike */
      N_("Save the outputs in DIR (default: the current folder)"), N_("DIR") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      N_("The API base address, including the version"), N_("URL") },
    { "sandbox", 0, 0, G_OPTION_ARG_NONE, &sandbox,
      N_("Run against the built-in simulated service"), NULL },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait_seconds,
      N_("Let the service hold the request up to SECONDS (0–60, 0 = poll)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "no-library", 0, 0, G_OPTION_ARG_NONE, &no_library,
      N_("Do not record the job in the library"), NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("MODEL [NAME=VALUE | NAME=@FILE]…"));
  g_autoptr(GError) error = NULL;
  g_autoptr(InpModel) model = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autofree char *version = NULL;
  g_autoptr(GPtrArray) file_args = g_ptr_array_new ();
  g_auto(Cli) cli = { 0, };
  InpInputSchema *schema;
  guint sigint_id;
  int status;

  g_option_context_set_summary (context,
                                _("Runs MODEL (a catalogue id, or owner/name:version) and saves "
                                  "its outputs, printing each saved path."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc < 2)
    return usage_error (context, _("Name the model to run."));
  if (wait_seconds < 0 || wait_seconds > 60)
    return usage_error (context, _("--wait takes a number of seconds from 0 to 60."));

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.cancellable = g_cancellable_new ();
  cli.json = json;

  model = resolve_model (&cli, argv[1], &version, &error);
  if (model == NULL && error != NULL)
    return report_error (error);

  /* Everything that can be checked locally is, before anything is sent or a sandbox started. */
  if (model == NULL)
    {
      if (!connect_client (&cli, base_url, sandbox, &error))
        return report_error (error);

      {
        g_autofree char *id = g_strndup (argv[1], strchr (argv[1], ':') - argv[1]);

        inp_client_get_model_async (cli.client, id, NULL, model_cb, &cli);
        g_main_loop_run (cli.loop);
        if (cli.model_object == NULL)
          return report_error (cli.error);
        model = inp_model_new_from_api (cli.model_object, &error);
        if (model == NULL)
          return report_error (error);
      }
    }

  schema = inp_model_get_schema (model);
  for (int i = 2; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');
      g_autofree char *name = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (eq == NULL || eq == argv[i])
        return usage_error (context, _("Inputs are written NAME=VALUE or NAME=@FILE."));

      name = g_strndup (argv[i], eq - argv[i]);
      if (eq[1] == '@')
        {
          g_ptr_array_add (file_args, argv[i]);
          continue;
        }

      node = inp_input_schema_parse_value (schema, name, eq + 1, &error);
      if (node == NULL)
        return report_error (error);
      json_object_set_member (values, name, g_steal_pointer (&node));
    }

  if (cli.client == NULL && !connect_client (&cli, base_url, sandbox, &error))
    return report_error (error);
  inp_client_set_wait_seconds (cli.client, wait_seconds);

  cli.job = inp_job_new (cli.client, model, values, output != NULL ? output : ".");
  if (version != NULL)
    inp_job_set_version (cli.job, version);
  for (guint i = 0; i < file_args->len; i++)
    {
      const char *arg = g_ptr_array_index (file_args, i);
      const char *eq = strchr (arg, '=');
      g_autofree char *name = g_strndup (arg, eq - arg);

      if (!read_file_input (cli.job, schema, name, eq + 2, &error))
        return report_error (error);
    }

  if (!inp_job_validate (cli.job, &error))
    return report_error (error);

  if (!no_library)
    {
      cli.library = open_library (&error);
      if (cli.library == NULL)
        return report_error (error);
      inp_job_set_library (cli.job, cli.library);
    }

  g_signal_connect (cli.job, "notify::state", G_CALLBACK (job_state_cb), &cli);
  g_signal_connect (cli.job, "notify::progress", G_CALLBACK (job_progress_cb), &cli);
  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &cli);

  inp_job_run_async (cli.job, cli.cancellable, run_cb, &cli);
  g_main_loop_run (cli.loop);
  g_source_remove (sigint_id);

  status = cli.paths != NULL ? EXIT_OK : exit_code_for_error (cli.error);
  if (cli.paths != NULL)
    mark_outputs (cli.job, version, cli.paths);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
      InpPrediction *prediction = inp_job_get_prediction (cli.job);

      json_builder_begin_object (builder);
      if (prediction != NULL)
        build_prediction (builder, prediction);
      json_builder_set_member_name (builder, "files");
      json_builder_begin_array (builder);
      for (guint i = 0; cli.paths != NULL && i < cli.paths->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (cli.paths, i));
      json_builder_end_array (builder);
      add_string (builder, "failure", cli.error != NULL ? cli.error->message : NULL);
      json_builder_set_member_name (builder, "job");
      if (inp_job_get_library_id (cli.job) > 0)
        json_builder_add_int_value (builder, inp_job_get_library_id (cli.job));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    {
      for (guint i = 0; cli.paths != NULL && i < cli.paths->len; i++)
        g_print ("%s\n", (const char *) g_ptr_array_index (cli.paths, i));
    }

  if (cli.error != NULL)
    report_error (cli.error);

  return status;
}

/* ─── get and cancel ──────────────────────────────────────────────────────────────────────────── */

static void
prediction_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cli *cli = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == inp_client_cancel_prediction_async)
    cli->prediction = inp_client_cancel_prediction_finish (INP_CLIENT (source), result,
                                                           &cli->error);
  else
    cli->prediction = inp_client_get_prediction_finish (INP_CLIENT (source), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static int
command_get_or_cancel (int      argc,
                       char   **argv,
                       gboolean cancel)
{
  g_autofree char *base_url = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      N_("The API base address, including the version"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the prediction as JSON"), NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_auto(Cli) cli = { 0, };

  g_option_context_set_summary (context, cancel ? _("Cancels a prediction on the service.")
                                                : _("Shows a prediction’s status and output."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 2 || *argv[1] == '\0')
    return usage_error (context, _("Name exactly one prediction id."));

  cli.loop = g_main_loop_new (NULL, FALSE);
  if (!connect_client (&cli, base_url, FALSE, &error))
    return report_error (error);

  if (cancel)
    inp_client_cancel_prediction_async (cli.client, argv[1], NULL, prediction_cb, &cli);
  else
    inp_client_get_prediction_async (cli.client, argv[1], NULL, prediction_cb, &cli);
  g_main_loop_run (cli.loop);

  if (cli.prediction == NULL)
    return report_error (cli.error);

  print_prediction (cli.prediction, json);
  return EXIT_OK;
}

/* ─── history ─────────────────────────────────────────────────────────────────────────────────── */

static void
add_file (JsonBuilder *builder,
          const char  *name,
          GFile       *file)
{
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  add_string (builder, name, path);
}

static gboolean
build_job (JsonBuilder    *builder,
           InpLibrary     *library,
           InpLibraryJob  *job,
           GError        **error)
{
  gint64 id = inp_library_job_get_id (job);
  g_autoptr(GDateTime) created = inp_library_job_get_created (job);
  g_autoptr(GDateTime) updated = inp_library_job_get_updated (job);
  g_autoptr(GPtrArray) outputs = inp_library_list_outputs (library, id, error);
  g_autoptr(GPtrArray) history = NULL;

  if (outputs == NULL)
    return FALSE;
  history = inp_library_get_history (library, id, error);
  if (history == NULL)
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  add_time (builder, "created", created);
  add_time (builder, "updated", updated);
  add_string (builder, "model", inp_library_job_get_model (job));
  add_string (builder, "version", inp_library_job_get_version (job));
  add_string (builder, "endpoint_host", inp_library_job_get_endpoint_host (job));
  add_string (builder, "prompt", inp_library_job_get_prompt (job));
  add_node (builder, "inputs", inp_library_job_get_inputs (job));
  add_file (builder, "image", inp_library_job_get_image (job));
  add_file (builder, "mask", inp_library_job_get_mask (job));
  add_string (builder, "prediction_id", inp_library_job_get_prediction_id (job));
  add_string (builder, "status", inp_library_job_status_to_string (inp_library_job_get_status (job)));
  add_string (builder, "error", inp_library_job_get_error (job));
  add_node (builder, "metrics", inp_library_job_get_metrics (job));

  json_builder_set_member_name (builder, "outputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < outputs->len; i++)
    {
      InpLibraryOutput *output = g_ptr_array_index (outputs, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, inp_library_output_get_index (output));
      add_file (builder, "path", inp_library_output_get_file (output));
      add_string (builder, "media_type", inp_library_output_get_media_type (output));
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, inp_library_output_get_size (output));
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, inp_library_output_get_width (output));
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, inp_library_output_get_height (output));
      add_string (builder, "sha256", inp_library_output_get_sha256 (output));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);
  for (guint i = 0; i < history->len; i++)
    {
      InpLibraryJobEvent *event = g_ptr_array_index (history, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (event->time / G_USEC_PER_SEC);

      json_builder_begin_object (builder);
      add_string (builder, "status", inp_library_job_status_to_string (event->status));
      add_time (builder, "time", time);
      add_string (builder, "message", event->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return TRUE;
}

static void
print_job_line (InpLibraryJob *job)
{
  g_autoptr(GDateTime) created = inp_library_job_get_created (job);
  g_autofree char *date = g_date_time_format (created, "%Y-%m-%d %H:%M");
  const char *prompt = inp_library_job_get_prompt (job);
  const char *error = inp_library_job_get_error (job);

  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", inp_library_job_get_id (job), date,
           inp_library_job_status_to_string (inp_library_job_get_status (job)),
           inp_library_job_get_model (job), prompt);
  if (error != NULL)
    g_print ("\t%s\n", error);
}

static int
command_history (int    argc,
                 char **argv)
{
  g_autofree char *search = NULL;
  g_autofree char *model = NULL;
  g_autofree char *status = NULL;
  gboolean json = FALSE;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only jobs whose prompt contains every word of TEXT"), N_("TEXT") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("Only jobs of this model"), N_("ID") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only jobs in this status (pending, starting, processing, downloading, succeeded, "
         "failed, canceled, expired, not-sent)"), N_("STATUS") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most N jobs"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the jobs as JSON"), NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  InpLibraryQuery query = { 0, };

  g_option_context_set_summary (context, _("Lists the jobs recorded in the library, newest "
                                           "first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 1)
    return usage_error (context, _("“history” takes no arguments."));
  if (limit < 0)
    return usage_error (context, _("--limit takes a number of jobs."));
  if (status != NULL)
    {
      InpLibraryJobStatus wanted;

      if (!inp_library_job_status_from_string (status, &wanted))
        return usage_error (context, _("Unknown status. Use one of pending, starting, "
                                       "processing, downloading, succeeded, failed, canceled, "
                                       "expired or not-sent."));
      query.statuses = INP_LIBRARY_JOB_STATUS_BIT (wanted);
    }

  library = open_library (&error);
  if (library == NULL)
    return report_error (error);

  query.text = search;
  query.model = model;
  query.limit = limit;
  jobs = inp_library_list_jobs (library, &query, &error);
  if (jobs == NULL)
    return report_error (error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < jobs->len; i++)
    {
      InpLibraryJob *job = g_ptr_array_index (jobs, i);

      if (!json)
        print_job_line (job);
      else if (!build_job (builder, library, job, &error))
        return report_error (error);
    }
  json_builder_end_array (builder);

  if (json)
    print_json (builder);

  return EXIT_OK;
}

/* ─── resume ──────────────────────────────────────────────────────────────────────────────────── */

typedef struct
{
  InpLibrary *library;
  int         status;
} ResumeOutcome;

/* Not reaching the service, or being refused by it, is worth retrying later: exit 3. */
static gboolean
is_service_error (const GError *error)
{
  if (error->domain != INP_ERROR)
    return FALSE;

  switch ((InpError) error->code)
    {
    case INP_ERROR_UNAUTHORIZED:
    case INP_ERROR_PAYMENT_REQUIRED:
    case INP_ERROR_RATE_LIMITED:
    case INP_ERROR_SERVER:
    case INP_ERROR_NETWORK:
    case INP_ERROR_PROTOCOL:
    case INP_ERROR_NO_TOKEN:
      return TRUE;

    case INP_ERROR_NOT_FOUND:
    case INP_ERROR_TOO_LARGE:
    case INP_ERROR_VALIDATION:
    case INP_ERROR_CANCELLED:
    case INP_ERROR_INVALID_INPUT:
    case INP_ERROR_PREDICTION_FAILED:
    case INP_ERROR_OUTPUT_EXPIRED:
    case INP_ERROR_INSECURE_URL:
    case INP_ERROR_FAILED:
    default:
      return FALSE;
    }
}

static void
resume_job_finished_cb (InpResume     *resume,
                        InpLibraryJob *job,
                        const GError  *error,
                        ResumeOutcome *outcome)
{
  InpLibraryJobStatus status = inp_library_job_get_status (job);
  const char *reason = error != NULL ? error->message : inp_library_job_get_error (job);
  gint64 id = inp_library_job_get_id (job);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  /* Translators: a job of the library: its number, its model and the status it ended in. */
  g_printerr (_("Job %s (%s): %s\n"), id_text, inp_library_job_get_model (job),
              /* Translators: a job’s status in “Job %s (%s): %s” */
              error != NULL ? _("still unfinished") : inp_library_job_status_get_label (status));
  if (reason != NULL)
    g_printerr ("  %s\n", reason);

  if (error != NULL)
    outcome->status = MAX (outcome->status, is_service_error (error) ? EXIT_SERVICE
                                                                     : EXIT_PREDICTION_FAILED);
  else if (status != INP_LIBRARY_JOB_STATUS_SUCCEEDED)
    outcome->status = MAX (outcome->status, EXIT_PREDICTION_FAILED);
  else
    {
      g_autoptr(GPtrArray) outputs = inp_library_list_outputs (outcome->library, id, NULL);

      for (guint i = 0; outputs != NULL && i < outputs->len; i++)
        {
          GFile *file = inp_library_output_get_file (g_ptr_array_index (outputs, i));
          g_autofree char *path = g_file_get_path (file);

          g_print ("%s\n", path);
        }
    }
}

static void
resume_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cli *cli = user_data;

  inp_resume_run_finish (INP_RESUME (source), result, &cli->error);
  g_main_loop_quit (cli->loop);
}

static int
command_resume (int    argc,
                char **argv)
{
  g_autofree char *base_url = NULL;
  const GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      N_("The API base address, including the version"), N_("URL") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(InpResume) resume = NULL;
  g_auto(Cli) cli = { 0, };
  ResumeOutcome outcome = { NULL, EXIT_OK };
  gboolean needs_service = FALSE;

  g_option_context_set_summary (context,
                                _("Follows the library’s unfinished jobs until each is settled, "
                                  "saving their outputs, and prints each saved path. Never "
                                  "starts a new prediction."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 1)
    return usage_error (context, _("“resume” takes no arguments."));

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.library = open_library (&error);
  if (cli.library == NULL)
    return report_error (error);

  unfinished = inp_library_list_unfinished (cli.library, &error);
  if (unfinished == NULL)
    return report_error (error);
  if (unfinished->len == 0)
    {
      g_printerr ("%s\n", _("No unfinished jobs."));
      return EXIT_OK;
    }

  for (guint i = 0; i < unfinished->len; i++)
    if (inp_library_job_get_prediction_id (g_ptr_array_index (unfinished, i)) != NULL)
      needs_service = TRUE;

  if (needs_service && !connect_client (&cli, base_url, FALSE, &error))
    return report_error (error);

  resume = inp_resume_new (cli.library);
  if (cli.client != NULL)
    inp_resume_add_client (resume, cli.client);
  outcome.library = cli.library;
  g_signal_connect (resume, "job-finished", G_CALLBACK (resume_job_finished_cb), &outcome);

  g_printerr (g_dngettext (GETTEXT_PACKAGE, "Resuming %u unfinished job…\n",
                           "Resuming %u unfinished jobs…\n", unfinished->len), unfinished->len);
  inp_resume_run_async (resume, NULL, resume_cb, &cli);
  g_main_loop_run (cli.loop);

  if (cli.error != NULL)
    return report_error (cli.error);

  return outcome.status;
}

/* ─── main ────────────────────────────────────────────────────────────────────────────────────── */

static int
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n",
           _("Usage:\n"
             "  inpainter-cli models [--json]\n"
             "  inpainter-cli run MODEL [NAME=VALUE | NAME=@FILE]… [-o DIR] [--base-url URL]\n"
             "                [--sandbox] [--wait SECONDS] [--json] [--no-library]\n"
             "  inpainter-cli get ID [--base-url URL] [--json]\n"
             "  inpainter-cli cancel ID [--base-url URL] [--json]\n"
             "  inpainter-cli history [--json] [--search TEXT] [--model ID] [--status STATUS]\n"
             "                [--limit N]\n"
             "  inpainter-cli resume [--base-url URL]\n"
             "\n"
             "The base URL comes from --base-url, else INPAINTER_BASE_URL, else the app’s "
             "setting.\n"
             "The token comes from REPLICATE_API_TOKEN, else the keyring.\n"
             "Jobs are recorded in the library under $XDG_DATA_HOME/inpainter.\n"
             "Exit status: 0 succeeded, 1 the prediction failed or was cancelled, 2 usage or "
             "validation error (nothing was sent), 3 authentication, network or API error."));
  return stream == stdout ? EXIT_OK : EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  const char *command;

  inp_i18n_init ();
  g_set_prgname ("inpainter-cli");

  if (argc < 2)
    return print_usage (stderr);

  command = argv[1];
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h")
      || g_str_equal (command, "help"))
    return print_usage (stdout);
  if (g_str_equal (command, "--version"))
    {
      g_print ("inpainter-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  /* Each command parses its own options, with its name as argv[0]. */
  if (g_str_equal (command, "models"))
    return command_models (argc - 1, argv + 1);
  if (g_str_equal (command, "run"))
    return command_run (argc - 1, argv + 1);
  if (g_str_equal (command, "get"))
    return command_get_or_cancel (argc - 1, argv + 1, FALSE);
  if (g_str_equal (command, "cancel"))
    return command_get_or_cancel (argc - 1, argv + 1, TRUE);
  if (g_str_equal (command, "history"))
    return command_history (argc - 1, argv + 1);
  if (g_str_equal (command, "resume"))
    return command_resume (argc - 1, argv + 1);

  g_printerr (_("Unknown command “%s”.\n\n"), command);
  return print_usage (stderr);
}
