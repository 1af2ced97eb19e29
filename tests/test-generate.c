/* test-generate.c: the whole window, from a picture to files on disk, against a real sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "inp-application.h"
#include "inp-catalog.h"
#include "inp-endpoint.h"
#include "inp-error.h"
#include "inp-input-roles.h"
#include "inp-job-row.h"
#include "inp-model-picker-private.h"
#include "inp-test-sandbox.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-window.h"

static InpSandbox *sandbox;
static char *data_dir;
static char *picture_path;

static InpWindow *
ready_window (InpApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GFile) file = g_file_new_for_path (picture_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  InpMaskRect rect = { 64, 64, 96, 96 };
  InpMaskCanvas *canvas;

  g_assert_true (INP_IS_WINDOW (window));
  inp_test_wait_for_frame (GTK_WIDGET (window));

  /* The token comes from the environment, the endpoint from the settings: the test's sandbox. */
  inp_test_wait_until (inp_window_get_client (INP_WINDOW (window)) != NULL, 30000);
  g_assert_null (inp_window_get_sandbox (INP_WINDOW (window)));

  inp_window_open_async (INP_WINDOW (window), file, NULL, inp_test_result_cb, &result);
  g_assert_true (inp_window_open_finish (INP_WINDOW (window), inp_test_wait_result (&result, 10000),
                                         &error));
  g_assert_no_error (error);

  /* Paint through the canvas's mask, as a stroke would. */
  canvas = inp_window_get_canvas (INP_WINDOW (window));
  inp_mask_fill_rect (inp_mask_canvas_get_mask (canvas), &rect, INP_MASK_REPAINT);
  g_assert_false (inp_mask_canvas_is_mask_empty (canvas));

  return INP_WINDOW (window);
}

static void
select_model (InpWindow  *window,
              const char *id)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), id);

  g_assert_nonnull (model);
  inp_model_picker_set_selected_model (inp_window_get_model_picker (window), model);
  g_assert_true (inp_param_form_get_model (inp_window_get_param_form (window)) == model);
  g_assert_true (inp_prompt_panel_get_model (inp_window_get_prompt_panel (window)) == model);
}

/* Activates win.generate and returns the job it queued (once the canvas has been exported). */
static InpJob *
generate (InpWindow *window)
{
  GListModel *jobs = G_LIST_MODEL (inp_window_get_job_queue (window));
  guint before = g_list_model_get_n_items (jobs);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL));
  while (g_list_model_get_n_items (jobs) == before)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("win.generate queued no job");
      g_main_context_iteration (NULL, TRUE);
    }

  return g_list_model_get_item (jobs, 0);
}

static void
wait_job (InpJob *job)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (inp_job_get_state (job) < INP_JOB_STATE_SUCCEEDED)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the job did not finish");
      g_main_context_iteration (NULL, TRUE);
    }

  /* The queue's own callback, which fills the row, runs right after. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
has_error_mark (GtkWidget *widget)
{
  if (gtk_widget_has_css_class (widget, "error") && gtk_widget_get_visible (widget)
      && !GTK_IS_LABEL (widget))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (has_error_mark (child))
        return TRUE;
    }

  return FALSE;
}

/* Every prompt the model has, including the end prompt of an animation. */
static void
fill_prompts (InpWindow *window,
              InpModel  *model)
{
  g_autoptr(JsonObject) prompts = json_object_new ();
  const char *prompt = inp_model_find_input_with_role (model, INP_INPUT_ROLE_PROMPT);
  const char *prompt_end = inp_model_find_input_with_role (model, INP_INPUT_ROLE_PROMPT_END);

  if (prompt != NULL)
    json_object_set_string_member (prompts, prompt, "a red fox in the snow");
  if (prompt_end != NULL)
    json_object_set_string_member (prompts, prompt_end, "a white fox in the snow");
  inp_prompt_panel_set_from_input (inp_window_get_prompt_panel (window), prompts);
}

static void
test_generate_every_model (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  GListModel *catalog = G_LIST_MODEL (inp_catalog_get_default ());
  guint n_models = g_list_model_get_n_items (catalog);
  GListModel *gallery = inp_gallery_get_model (inp_window_get_gallery (window));
  guint shown = g_list_model_get_n_items (gallery);

  g_assert_cmpuint (n_models, >=, 10);
  for (guint i = 0; i < n_models; i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (catalog, i);
      const char *id = inp_model_get_id (model);
      g_autoptr(JsonObject) seed = json_object_new ();
      g_autoptr(InpJob) job = NULL;
      g_autoptr(GPtrArray) outputs = NULL;
      g_autoptr(GError) error = NULL;
      JsonNode *input;
      GtkWidget *row;

      g_test_message ("generating with %s", id);
      select_model (window, id);
      fill_prompts (window, model);
      if (inp_param_form_get_row (inp_window_get_param_form (window), "seed") != NULL)
        {
          json_object_set_int_member (seed, "seed", 4242);
          inp_param_form_set_values (inp_window_get_param_form (window), seed);
        }

      job = generate (window);
      g_assert_true (inp_job_get_model (job) == model);
      wait_job (job);
      g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);

      /* The files are on disk in the library, under the user's data folder, and in the gallery;
       * the downloaded copies are gone. */
      outputs = inp_library_list_outputs (inp_window_get_library (window),
                                          inp_job_get_library_id (job), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (outputs->len, >=, 1);
      for (guint p = 0; p < outputs->len; p++)
        {
          g_autofree char *path =
            g_file_get_path (inp_library_output_get_file (g_ptr_array_index (outputs, p)));

          g_assert_true (g_str_has_prefix (path, data_dir));
          g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
          g_assert_false (g_file_test (g_ptr_array_index (inp_job_get_output_paths (job), p),
                                       G_FILE_TEST_EXISTS));
        }
      shown += outputs->len;
      g_assert_cmpuint (g_list_model_get_n_items (gallery), ==, shown);

      /* What the service received holds the parameter set in the form. */
      input = inp_prediction_get_input (inp_job_get_prediction (job));
      if (json_object_has_member (seed, "seed"))
        g_assert_cmpint (json_object_get_int_member (json_node_get_object (input), "seed"), ==,
                         4242);
      if (inp_model_get_mask_input (model) != NULL)
        g_assert_true (json_object_has_member (json_node_get_object (input),
                                               inp_model_get_mask_input (model)));

      row = inp_window_find_job_row (window, job);
      g_assert_nonnull (row);
      g_assert_null (inp_job_row_dup_message (INP_JOB_ROW (row)));
    }

  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), >=, n_models);
  inp_test_assert_token_kept (sandbox);
  inp_test_destroy_and_finalize (window);
}

static void
test_validation_sends_nothing (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  InpParamForm *form = inp_window_get_param_form (window);
  guint creates = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE);
  guint uploads = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES);
  GtkWidget *seed;
  GtkWidget *row;

  select_model (window, "lucataco/animate-diff");
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "a red fox in the snow");
  row = inp_param_form_get_row (form, "seed");
  seed = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (seed), "3000000000");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inp_window_get_job_queue (window))),
                    ==, 0);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, creates);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES), ==, uploads);

  /* The bad value stays where the user typed it. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (seed)), ==, "3000000000");
  gtk_editable_set_text (GTK_EDITABLE (seed), "");
  inp_test_destroy_and_finalize (window);
}

static void
test_failure_keeps_inputs (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  InpPromptPanel *panel = inp_window_get_prompt_panel (window);
  InpParamForm *form = inp_window_get_param_form (window);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonObject) kept = NULL;
  g_autoptr(InpJob) job = NULL;
  g_autoptr(InpJob) retried = NULL;
  g_autofree char *message = NULL;
  g_autofree char *prompt = NULL;
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  double coverage = inp_mask_get_coverage (inp_mask_canvas_get_mask (canvas));
  guint creates;
  GtkWidget *row;

  select_model (window, "stability-ai/stable-diffusion-inpainting");
  inp_prompt_panel_set_prompt (panel, "sandbox:nsfw a red fox");
  json_object_set_int_member (values, "num_inference_steps", 33);
  inp_param_form_set_values (form, values);

  job = generate (window);
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_FAILED);

  /* The row shows the model's own words. */
  row = inp_window_find_job_row (window, job);
  message = inp_job_row_dup_message (INP_JOB_ROW (row));
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "NSFW content detected"));

  /* Prompt, mask and values are all as they were. */
  prompt = inp_prompt_panel_dup_prompt (panel);
  g_assert_cmpstr (prompt, ==, "sandbox:nsfw a red fox");
  g_assert_cmpfloat (inp_mask_get_coverage (inp_mask_canvas_get_mask (canvas)), ==, coverage);
  kept = inp_param_form_dup_values (form);
  g_assert_cmpint (json_object_get_int_member (kept, "num_inference_steps"), ==, 33);

  /* Retry sends the same job again. */
  creates = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE);
  g_assert_true (gtk_widget_activate_action (row, "job.retry", NULL));
  retried = g_list_model_get_item (G_LIST_MODEL (inp_window_get_job_queue (window)), 0);
  g_assert_true (retried != job);
  wait_job (retried);
  g_assert_cmpint (inp_job_get_state (retried), ==, INP_JOB_STATE_FAILED);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, creates + 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (inp_prediction_get_input (
                     inp_job_get_prediction (retried))), "num_inference_steps"), ==, 33);

  inp_test_destroy_and_finalize (window);
}

static void
test_cancel (InpApplication *app)
{
  GSettings *settings = inp_application_get_settings (app);
  InpWindow *window = ready_window (app);
  g_autoptr(InpJob) job = NULL;
  guint cancels = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CANCEL);
  GtkWidget *row;

  /* A short hold, so that the prediction is followed by polling while it runs. */
  g_settings_set_int (settings, "wait-seconds", 1);
  inp_sandbox_set_model_time (sandbox, 1000);
  select_model (window, "stability-ai/sdxl");
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "sandbox:slow a red fox");

  job = generate (window);
  inp_test_wait_until (inp_job_get_state (job) == INP_JOB_STATE_RUNNING, 30000);

  row = inp_window_find_job_row (window, job);
  g_assert_true (gtk_widget_activate_action (row, "job.cancel", NULL));
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_CANCELLED);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CANCEL), ==, cancels + 1);
  g_assert_null (inp_job_row_dup_message (INP_JOB_ROW (row)));

  inp_sandbox_set_model_time (sandbox, 60);
  g_settings_reset (settings, "wait-seconds");
  inp_test_destroy_and_finalize (window);
}

static void
test_server_validation (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  g_autoptr(InpJob) job = NULL;
  g_autofree char *message = NULL;

  select_model (window, "stability-ai/stable-diffusion-inpainting");
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "a red fox in the snow");
  g_assert_false (has_error_mark (GTK_WIDGET (inp_window_get_prompt_panel (window))));

  /* The service refuses the input with a 422 that names the prompt. */
  inp_sandbox_add_fault (sandbox, INP_SANDBOX_ON_CREATE, INP_SANDBOX_FAULT_PROBLEM, 422, 1);
  job = generate (window);
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_FAILED);

  message = inp_job_row_dup_message (INP_JOB_ROW (inp_window_find_job_row (window, job)));
  g_assert_nonnull (strstr (message, "prompt is required"));
  g_assert_true (has_error_mark (GTK_WIDGET (inp_window_get_prompt_panel (window))));

  inp_sandbox_clear_faults (sandbox);
  inp_test_destroy_and_finalize (window);
}

static void
test_sandbox_mode (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  g_autoptr(GError) error = NULL;
  g_autoptr(InpJob) job = NULL;
  g_autoptr(InpLibraryOutput) output = NULL;
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  g_autoptr(GdkTexture) picture = NULL;
  InpGallery *gallery;
  GtkWidget *badge;

  badge = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), INP_TYPE_WINDOW,
                                                    "sandbox_badge"));
  g_assert_false (gtk_widget_get_visible (badge));

  /* The offline sandbox replaces the endpoint, and says so for as long as it is used. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.use-sandbox", NULL));
  g_assert_nonnull (inp_window_get_sandbox (window));
  g_assert_true (gtk_widget_get_visible (badge));

  select_model (window, "cjwbw/rembg");
  job = generate (window);
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (inp_sandbox_count_requests (inp_window_get_sandbox (window),
                                                INP_SANDBOX_ON_CREATE), ==, 1);
  g_assert_true (gtk_widget_get_visible (badge));

  /* The cut-out's transparent background becomes the mask, then the cut-out the picture. */
  gallery = inp_window_get_gallery (window);
  output = g_list_model_get_item (inp_gallery_get_model (gallery), 0);
  g_assert_cmpint (inp_library_output_get_job_id (output), ==, inp_job_get_library_id (job));
  gtk_widget_activate_action (GTK_WIDGET (window), "canvas.clear", NULL);
  g_assert_true (inp_mask_canvas_is_mask_empty (canvas));
  g_signal_emit_by_name (gallery, "use-as-mask", inp_library_output_get_file (output));
  inp_test_wait_until (!inp_mask_canvas_is_mask_empty (canvas), 30000);
  g_assert_cmpfloat (inp_mask_get_coverage (inp_mask_canvas_get_mask (canvas)), <, 1.0);

  /* Held, so that the new picture's texture cannot reuse the old one's freed address. */
  picture = g_object_ref (inp_mask_canvas_get_image (canvas));
  g_signal_emit_by_name (gallery, "use-as-image", inp_library_output_get_file (output));
  inp_test_wait_until (inp_mask_canvas_get_image (canvas) != picture, 30000);
  g_assert_true (inp_mask_canvas_is_mask_empty (canvas));

  inp_test_destroy_and_finalize (window);
}

/* The input the service received for @job. */
static JsonObject *
sent_input (InpJob *job)
{
  return json_node_get_object (inp_prediction_get_input (inp_job_get_prediction (job)));
}

static InpJob *
generate_and_wait (InpWindow  *window,
                   const char *id)
{
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), id);
  InpJob *job;

  select_model (window, id);
  fill_prompts (window, model);
  job = generate (window);
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);

  return job;
}

static void
test_output_format (InpApplication *app)
{
  GSettings *settings = inp_application_get_settings (app);
  InpWindow *window = ready_window (app);
  g_autoptr(JsonObject) chosen = json_object_new ();
  g_autoptr(InpJob) listed = NULL;
  g_autoptr(InpJob) unlisted = NULL;
  g_autoptr(InpJob) without = NULL;
  g_autoptr(InpJob) automatic = NULL;
  g_autoptr(InpJob) own = NULL;

  /* A model that lists png gets it. */
  g_settings_set_string (settings, "output-format", "png");
  listed = generate_and_wait (window, "black-forest-labs/flux-fill-dev");
  g_assert_cmpstr (json_object_get_string_member (sent_input (listed), "output_format"), ==,
                   "png");

  /* One whose enum lacks webp keeps its own default; one without the input gets nothing. */
  g_settings_set_string (settings, "output-format", "webp");
  unlisted = generate_and_wait (window, "black-forest-labs/flux-fill-pro");
  g_assert_false (json_object_has_member (sent_input (unlisted), "output_format"));
  without = generate_and_wait (window, "stability-ai/stable-diffusion-inpainting");
  g_assert_false (json_object_has_member (sent_input (without), "output_format"));

  /* "automatic" leaves the model's default. */
  g_settings_set_string (settings, "output-format", "automatic");
  automatic = generate_and_wait (window, "black-forest-labs/flux-fill-dev");
  g_assert_false (json_object_has_member (sent_input (automatic), "output_format"));

  /* A value set in the model's form wins over the setting. */
  g_settings_set_string (settings, "output-format", "png");
  select_model (window, "black-forest-labs/flux-fill-dev");
  json_object_set_string_member (chosen, "output_format", "jpg");
  inp_param_form_set_values (inp_window_get_param_form (window), chosen);
  own = generate_and_wait (window, "black-forest-labs/flux-fill-dev");
  g_assert_cmpstr (json_object_get_string_member (sent_input (own), "output_format"), ==, "jpg");
  json_object_set_string_member (chosen, "output_format", "webp");
  inp_param_form_set_values (inp_window_get_param_form (window), chosen);

  g_settings_reset (settings, "output-format");
  inp_test_destroy_and_finalize (window);
}

static void
assert_file_inputs (InpJob     *job,
                    const char *prefix)
{
  JsonObject *input = sent_input (job);

  g_assert_true (g_str_has_prefix (json_object_get_string_member (input, "image"), prefix));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (input, "mask"), prefix));
}

static void
test_upload_strategy (InpApplication *app)
{
  GSettings *settings = inp_application_get_settings (app);
  InpWindow *window = ready_window (app);
  const char *id = "stability-ai/stable-diffusion-inpainting";
  g_autoptr(InpJob) uploaded = NULL;
  g_autoptr(InpJob) inlined = NULL;
  g_autoptr(InpJob) fallback = NULL;
  guint uploads;

  /* Automatic, with the route: the picture and the mask go through POST /files. */
  inp_endpoint_forget_routes ();
  uploads = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES);
  uploaded = generate_and_wait (window, id);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES), ==, uploads + 2);
  assert_file_inputs (uploaded, "http");

  /* data-uri: /files is never called, although the endpoint has it. */
  g_settings_set_string (settings, "upload-strategy", "data-uri");
  g_assert_cmpint (inp_client_get_upload_strategy (inp_window_get_client (window)), ==,
                   INP_UPLOAD_STRATEGY_DATA_URI);
  uploads = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES);
  inlined = generate_and_wait (window, id);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES), ==, uploads);
  assert_file_inputs (inlined, "data:image/png;base64,");

  /* Automatic on a relay without /files: one refused try, then data URIs. */
  g_settings_reset (settings, "upload-strategy");
  inp_sandbox_set_routes (sandbox, INP_SANDBOX_ROUTE_ALL & ~INP_SANDBOX_ROUTE_FILES);
  inp_endpoint_forget_routes ();
  uploads = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES);
  fallback = generate_and_wait (window, id);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_FILES), ==, uploads + 1);
  assert_file_inputs (fallback, "data:image/png;base64,");

  inp_sandbox_set_routes (sandbox, INP_SANDBOX_ROUTE_ALL);
  inp_endpoint_forget_routes ();
  inp_test_destroy_and_finalize (window);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @folder, sorted; waits until there are @n_expected of them. */
static GPtrArray *
wait_for_files (const char *folder,
                guint       n_expected)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      if (names->len >= n_expected)
        {
          g_ptr_array_sort (names, compare_names);
          return g_steal_pointer (&names);
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("%u files expected in %s, %u found", n_expected, folder, names->len);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_results_folder (InpApplication *app)
{
  GSettings *settings = inp_application_get_settings (app);
  InpWindow *window = ready_window (app);
  GListModel *gallery = inp_gallery_get_model (inp_window_get_gallery (window));
  g_autofree char *folder = g_build_filename (data_dir, "..", "My Results", NULL);
  g_autoptr(InpJob) job = NULL;
  g_autoptr(InpJob) after = NULL;
  g_autoptr(InpJob) again = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *library_path = NULL;
  g_autofree char *job_part = NULL;
  g_autofree char *after_part = NULL;
  g_autofree char *again_part = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *copy = NULL;
  InpLibraryOutput *output;
  const char *name;
  guint shown;

  /* A webp result: its provenance lives in a sidecar, which travels with the copy. */
  g_settings_set_string (settings, "results-folder", folder);
  shown = g_list_model_get_n_items (gallery);
  job = generate_and_wait (window, "black-forest-labs/flux-fill-dev");
  names = wait_for_files (folder, 2);
  g_assert_cmpuint (names->len, ==, 2);

  /* The library keeps its own copy, under its folder, and the gallery shows it. */
  outputs = inp_library_list_outputs (inp_window_get_library (window),
                                      inp_job_get_library_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 1);
  output = g_ptr_array_index (outputs, 0);
  library_path = g_file_get_path (inp_library_output_get_file (output));
  g_assert_true (g_str_has_prefix (library_path, data_dir));
  g_assert_true (g_file_test (library_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (g_list_model_get_n_items (gallery), ==, shown + 1);

  /* The copy says where it came from, and holds the same bytes. */
  name = g_ptr_array_index (names, 0);
  job_part = g_strdup_printf ("-flux-fill-dev-%" G_GINT64_FORMAT "-1.webp",
                              inp_job_get_library_id (job));
  g_assert_true (g_str_has_prefix (name, "inpainter-"));
  g_assert_true (g_str_has_suffix (name, job_part));
  sidecar = g_strconcat (name, ".json", NULL);
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, sidecar);
  copy = g_build_filename (folder, name, NULL);
  inp_test_assert_same_file (inp_library_output_get_file (output), copy);

  /* Emptied, nothing lands there; set again, the next job's result does. */
  g_settings_reset (settings, "results-folder");
  after = generate_and_wait (window, "stability-ai/stable-diffusion-inpainting");
  g_settings_set_string (settings, "results-folder", folder);
  again = generate_and_wait (window, "stability-ai/stable-diffusion-inpainting");
  g_clear_pointer (&names, g_ptr_array_unref);
  names = wait_for_files (folder, 3);
  after_part = g_strdup_printf ("-%" G_GINT64_FORMAT "-1.png", inp_job_get_library_id (after));
  again_part = g_strdup_printf ("-stable-diffusion-inpainting-%" G_GINT64_FORMAT "-1.png",
                                inp_job_get_library_id (again));
  g_assert_cmpuint (names->len, ==, 3);
  for (guint i = 0; i < names->len; i++)
    g_assert_false (g_str_has_suffix (g_ptr_array_index (names, i), after_part));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (names, 2), again_part));

  g_settings_reset (settings, "results-folder");
  inp_test_remove_tree (folder);
  inp_test_destroy_and_finalize (window);
}

static void
run_output_format (void)
{
  inp_test_run_in_application (test_output_format);
}

static void
run_upload_strategy (void)
{
  inp_test_run_in_application (test_upload_strategy);
}

static void
run_results_folder (void)
{
  inp_test_run_in_application (test_results_folder);
}

static void
run_generate_every_model (void)
{
  inp_test_run_in_application (test_generate_every_model);
}

static void
run_validation_sends_nothing (void)
{
  inp_test_run_in_application (test_validation_sends_nothing);
}

static void
run_failure_keeps_inputs (void)
{
  inp_test_run_in_application (test_failure_keeps_inputs);
}

static void
run_cancel (void)
{
  inp_test_run_in_application (test_cancel);
}

static void
run_server_validation (void)
{
  inp_test_run_in_application (test_server_validation);
}

static void
run_sandbox_mode (void)
{
  inp_test_run_in_application (test_sandbox_mode);
}

static gint64 unfinished_job_id;

static void
test_resume_at_start (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  InpLibrary *library = inp_window_get_library (window);
  GListModel *gallery = inp_gallery_get_model (inp_window_get_gallery (window));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* The job a crash left behind is followed to its end as soon as the window is connected. */
  for (;;)
    {
      g_autoptr(InpLibraryJob) job = inp_library_get_job (library, unfinished_job_id, NULL);

      if (inp_library_job_get_status (job) == INP_LIBRARY_JOB_STATUS_SUCCEEDED)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("the unfinished job was not resumed");
      g_main_context_iteration (NULL, TRUE);
    }

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (gallery), >=, 1);
  {
    g_autoptr(InpLibraryOutput) newest = g_list_model_get_item (gallery, 0);

    g_assert_cmpint (inp_library_output_get_job_id (newest), ==, unfinished_job_id);
  }

  inp_test_destroy_and_finalize (window);
}

static void
run_resume_at_start (void)
{
  g_autoptr(InpClient) client = inp_test_client_new (sandbox);
  InpModel *model = inp_catalog_lookup (inp_catalog_get_default (), "stability-ai/sdxl");
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonNode) inputs = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(InpLibrary) library = NULL;
  g_autoptr(GError) error = NULL;

  /* A run that was killed after the service accepted its prediction. */
  json_object_set_string_member (input, "prompt", "a red fox in the snow");
  json_node_set_object (inputs, input);
  inp_client_create_by_version_async (client, inp_model_get_version (model), input, NULL,
                                      inp_test_result_cb, &result);
  prediction = inp_client_create_finish (client, inp_test_wait_result (&result, 10000), &error);
  g_assert_no_error (error);

  library = inp_library_new (NULL, &error);
  g_assert_no_error (error);
  unfinished_job_id = inp_library_create_job (library, inp_model_get_id (model),
                                              inp_model_get_version (model),
                                              inp_sandbox_get_base_url (sandbox),
                                              "a red fox in the snow", inputs, &error);
  g_assert_no_error (error);
  inp_library_set_prediction_id (library, unfinished_job_id, inp_prediction_get_id (prediction),
                                 &error);
  g_assert_no_error (error);
  g_clear_object (&library);

  inp_test_run_in_application (test_resume_at_start);
}

static InpWindow *
fresh_window (InpApplication *app)
{
  InpWindow *window = inp_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  inp_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_nonnull (inp_window_get_history_view (window));

  return window;
}

static void
restore_job (InpWindow     *window,
             InpLibraryJob *job,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  inp_window_restore_job_async (window, job, FALSE, NULL, inp_test_result_cb, &result);
  inp_window_restore_job_finish (window, inp_test_wait_result (&result, 10000), error);
}

static void
assert_settings (InpWindow  *window,
                 const char *model,
                 const char *prompt,
                 gint64      steps)
{
  g_autoptr(JsonObject) values = inp_param_form_dup_values (inp_window_get_param_form (window));
  g_autofree char *shown = inp_prompt_panel_dup_prompt (inp_window_get_prompt_panel (window));
  InpModel *selected = inp_model_picker_get_selected_model (inp_window_get_model_picker (window));

  g_assert_cmpstr (inp_model_get_id (selected), ==, model);
  g_assert_cmpstr (shown, ==, prompt);
  g_assert_cmpint (json_object_get_int_member (values, "num_inference_steps"), ==, steps);
}

/* The inputs two jobs sent, but for the files, which may be uploaded under new names. */
static void
assert_same_input (InpLibraryJob *a,
                   InpLibraryJob *b)
{
  JsonObject *first = json_node_get_object (inp_library_job_get_inputs (a));
  JsonObject *second = json_node_get_object (inp_library_job_get_inputs (b));
  g_autoptr(GList) names = json_object_get_members (first);

  g_assert_cmpuint (json_object_get_size (first), ==, json_object_get_size (second));
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (first, l->data);
      JsonNode *other = json_object_get_member (second, l->data);
      const char *text = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : NULL;

      g_assert_nonnull (other);
      if (text != NULL && (g_str_has_prefix (text, "data:") || g_str_has_prefix (text, "http")))
        continue;
      g_assert_true (json_node_equal (value, other));
    }
}

static void
test_history (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  InpLibrary *library = inp_window_get_library (window);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(InpJob) job = NULL;
  g_autoptr(InpJob) again = NULL;
  g_autoptr(InpLibraryJob) recorded = NULL;
  g_autoptr(InpLibraryJob) rerun = NULL;
  g_autoptr(GError) error = NULL;
  InpWindow *fresh;
  InpMaskCanvas *canvas;
  GListModel *jobs;
  GtkWidget *undo;
  guint creates;
  gint64 job_id;

  select_model (window, "stability-ai/stable-diffusion-inpainting");
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "a red fox in the snow");
  json_object_set_int_member (values, "num_inference_steps", 33);
  json_object_set_int_member (values, "seed", 4242);
  inp_param_form_set_values (inp_window_get_param_form (window), values);
  job = generate (window);
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);
  job_id = inp_job_get_library_id (job);
  recorded = inp_library_get_job (library, job_id, &error);
  g_assert_no_error (error);

  /* A new window, with nothing open, takes the job back whole. */
  fresh = fresh_window (app);
  canvas = inp_window_get_canvas (fresh);
  g_assert_null (inp_mask_canvas_get_image (canvas));
  restore_job (fresh, recorded, &error);
  g_assert_no_error (error);
  g_assert_nonnull (inp_mask_canvas_get_image (canvas));
  g_assert_cmpint (gdk_texture_get_width (inp_mask_canvas_get_image (canvas)), ==, 256);
  g_assert_cmpint (gdk_texture_get_height (inp_mask_canvas_get_image (canvas)), ==, 192);
  g_assert_cmpfloat_with_epsilon (inp_mask_get_coverage (inp_mask_canvas_get_mask (canvas)),
                                  96.0 * 96.0 / (256.0 * 192.0), 0.005);
  assert_settings (fresh, "stability-ai/stable-diffusion-inpainting", "a red fox in the snow", 33);

  /* Run Again from the history tab sends the same input once more. */
  creates = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE);
  jobs = G_LIST_MODEL (inp_window_get_job_queue (fresh));
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, 0);
  g_signal_emit_by_name (inp_window_get_history_view (fresh), "run-again", recorded);
  inp_test_wait_until (g_list_model_get_n_items (jobs) == 1, 30000);
  again = g_list_model_get_item (jobs, 0);
  wait_job (again);
  g_assert_cmpint (inp_job_get_state (again), ==, INP_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, creates + 1);
  rerun = inp_library_get_job (library, inp_job_get_library_id (again), &error);
  g_assert_no_error (error);
  g_assert_cmpint (inp_library_job_get_id (rerun), !=, job_id);
  assert_same_input (recorded, rerun);

  /* Ctrl+H's action shows the tab and puts the keyboard in it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fresh), "win.show-history", NULL));
  g_assert_nonnull (gtk_window_get_focus (GTK_WINDOW (fresh)));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (fresh)),
                                         GTK_WIDGET (inp_window_get_history_view (fresh))));

  /* Delete from the history tab, then undo with the window's own toast. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (inp_window_get_history_view (fresh)),
                                             "history.delete", "x", job_id));
  inp_test_wait_until ((undo = inp_test_find_button (GTK_WIDGET (fresh), "_Undo")) != NULL,
                       30000);
  g_signal_emit_by_name (undo, "clicked");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autoptr(InpLibraryJob) kept = inp_library_get_job (library, job_id, &error);

    g_assert_no_error (error);
    g_assert_nonnull (kept);
    g_assert_nonnull (g_file_peek_path (inp_library_job_get_image (kept)));
    g_assert_true (g_file_query_exists (inp_library_job_get_image (kept), NULL));
  }

  /* Both windows go at once; each must be finalised. */
  g_object_ref (window);
  inp_test_destroy_and_finalize (fresh);
  g_assert_finalize_object (window);
}

static void
run_history (void)
{
  inp_test_run_in_application (test_history);
}

/* A job whose files are gone says so, and the window keeps what it shows. */
static void
test_history_files_gone (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  InpLibrary *library = inp_window_get_library (window);
  g_autoptr(InpJob) job = NULL;
  g_autoptr(InpLibraryJob) recorded = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *shown;

  select_model (window, "stability-ai/stable-diffusion-inpainting");
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "a lighthouse");
  job = generate (window);
  wait_job (job);
  recorded = inp_library_get_job (library, inp_job_get_library_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (g_file_peek_path (inp_library_job_get_mask (recorded))), ==, 0);

  select_model (window, "stability-ai/sdxl");
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "untouched");
  shown = inp_mask_canvas_get_image (inp_window_get_canvas (window));
  restore_job (window, recorded, &error);
  g_assert_error (error, INP_ERROR, INP_ERROR_NOT_FOUND);
  g_assert_true (inp_mask_canvas_get_image (inp_window_get_canvas (window)) == shown);
  {
    g_autofree char *prompt = inp_prompt_panel_dup_prompt (inp_window_get_prompt_panel (window));

    g_assert_cmpstr (prompt, ==, "untouched");
    g_assert_cmpstr (inp_model_get_id (inp_model_picker_get_selected_model (
                       inp_window_get_model_picker (window))), ==, "stability-ai/sdxl");
  }

  inp_test_destroy_and_finalize (window);
}

static void
run_history_files_gone (void)
{
  inp_test_run_in_application (test_history_files_gone);
}

static void
open_file (InpWindow  *window,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  inp_window_open_async (window, file, NULL, inp_test_result_cb, &result);
  g_assert_true (inp_window_open_finish (window, inp_test_wait_result (&result, 10000), &error));
  g_assert_no_error (error);
}

/* A picture Inpainter made offers its settings back; any other picture offers nothing. */
static void
test_provenance_on_open (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(InpJob) job = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GError) error = NULL;
  InpLibraryOutput *output;

  select_model (window, "stability-ai/stable-diffusion-inpainting");
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "a fox made of glass");
  json_object_set_int_member (values, "num_inference_steps", 27);
  inp_param_form_set_values (inp_window_get_param_form (window), values);
  job = generate (window);
  wait_job (job);
  outputs = inp_library_list_outputs (inp_window_get_library (window),
                                      inp_job_get_library_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, >=, 1);
  output = g_ptr_array_index (outputs, 0);

  /* Other settings in the window, so that restoring shows. */
  select_model (window, "stability-ai/sdxl");
  inp_prompt_panel_set_prompt (inp_window_get_prompt_panel (window), "something else");

  open_file (window, g_file_peek_path (inp_library_output_get_file (output)));
  g_assert_nonnull (inp_window_get_provenance (window));
  g_assert_nonnull (inp_test_find_button (GTK_WIDGET (window), "_Restore Settings"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.restore-settings", NULL));
  assert_settings (window, "stability-ai/stable-diffusion-inpainting", "a fox made of glass", 27);
  g_assert_null (inp_window_get_provenance (window));

  open_file (window, picture_path);
  g_assert_null (inp_window_get_provenance (window));

  inp_test_destroy_and_finalize (window);
}

static void
run_provenance_on_open (void)
{
  inp_test_run_in_application (test_provenance_on_open);
}

/* Models added by owner/name: kept across starts */

#define ADDED_MODEL "sandbox-community/soft-inpaint"
#define ADDED_GROUP 6

/* The ids listed in the picker's "Added by You" group, comma-separated. */
static char *
added_ids (InpWindow *window)
{
  GListModel *group = inp_model_picker_get_group (inp_window_get_model_picker (window),
                                                  ADDED_GROUP, NULL, NULL);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (group); i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (group, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", inp_model_get_id (model));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static GtkWidget *
find_button_with_tooltip (GtkWidget  *widget,
                          const char *tooltip)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Generates with the chosen model and checks the sandbox ran it by its version. */
static void
generate_with_added (InpWindow *window)
{
  InpModel *model = inp_model_picker_get_selected_model (inp_window_get_model_picker (window));
  guint creates = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE);
  g_autoptr(InpJob) job = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (inp_model_get_id (model), ==, ADDED_MODEL);
  fill_prompts (window, model);
  job = generate (window);
  g_assert_true (inp_job_get_model (job) == model);
  wait_job (job);
  g_assert_cmpint (inp_job_get_state (job), ==, INP_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_CREATE), ==, creates + 1);
  outputs = inp_library_list_outputs (inp_window_get_library (window),
                                      inp_job_get_library_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 1);
}

static void
test_added_model_add (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  InpModelPicker *picker = inp_window_get_model_picker (window);
  GtkWidget *entry = inp_model_picker_get_add_entry (picker);
  guint fetches = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_MODEL);
  g_autofree char *ids = NULL;
  GtkWidget *row;

  /* Typed as users copy it, fetched from the service, listed in its group and chosen. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "https://replicate.com/" ADDED_MODEL);
  g_signal_emit_by_name (entry, "activate");
  inp_test_wait_until (g_strcmp0 (inp_model_get_id (inp_model_picker_get_selected_model (picker)),
                                  ADDED_MODEL) == 0, 10000);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_MODEL), ==, fetches + 1);
  ids = added_ids (window);
  g_assert_cmpstr (ids, ==, ADDED_MODEL);

  /* A value chosen in its form, as a user would. */
  row = inp_param_form_get_row (inp_window_get_param_form (window), "scheduler");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  generate_with_added (window);

  inp_test_destroy_and_finalize (window);
}

static void
test_added_model_kept (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  InpModelPicker *picker = inp_window_get_model_picker (window);
  guint fetches = inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_MODEL);
  g_autofree char *ids = added_ids (window);
  g_autoptr(JsonObject) values = NULL;
  InpModel *kept;
  GtkWidget *list;
  GtkWidget *update;
  GtkWidget *remove;

  /* A new start: listed, chosen again, its form as it was left, and it runs without being
   * fetched again. */
  g_assert_cmpstr (ids, ==, ADDED_MODEL);
  g_assert_cmpstr (inp_model_get_id (inp_model_picker_get_selected_model (picker)), ==,
                   ADDED_MODEL);
  values = inp_param_form_dup_values (inp_window_get_param_form (window));
  g_assert_cmpstr (json_object_get_string_member_with_default (values, "scheduler", ""), ==,
                   "DDIM");
  generate_with_added (window);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_MODEL), ==, fetches);

  /* Its row's update button fetches it again, and the latest version takes its place. */
  inp_model_picker_get_group (picker, ADDED_GROUP, NULL, &list);
  kept = inp_model_picker_get_selected_model (picker);
  update = find_button_with_tooltip (list, "Update to the Latest Version");
  g_assert_nonnull (update);
  g_signal_emit_by_name (update, "clicked");
  inp_test_wait_until (inp_model_picker_get_selected_model (picker) != kept, 10000);
  g_assert_cmpuint (inp_sandbox_count_requests (sandbox, INP_SANDBOX_ON_MODEL), ==, fetches + 1);
  g_clear_pointer (&ids, g_free);
  ids = added_ids (window);
  g_assert_cmpstr (ids, ==, ADDED_MODEL);

  /* Removed with its row's button: gone from the list, and the catalogue's first is chosen. */
  remove = find_button_with_tooltip (list, "Remove Model");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  g_clear_pointer (&ids, g_free);
  ids = added_ids (window);
  g_assert_cmpstr (ids, ==, "");
  g_assert_false (gtk_widget_get_visible (list));
  kept = inp_model_picker_get_selected_model (picker);
  g_assert_nonnull (inp_catalog_lookup (inp_catalog_get_default (), inp_model_get_id (kept)));

  inp_test_destroy_and_finalize (window);
}

static void
test_added_model_gone (InpApplication *app)
{
  InpWindow *window = ready_window (app);
  g_autofree char *ids = added_ids (window);
  g_autofree char *path = g_build_filename (data_dir, "inpainter", "models.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) remembered = g_settings_get_value (settings, "model-values");
  const char *text;

  g_assert_cmpstr (ids, ==, "");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, ADDED_MODEL));
  /* Its settings went with it: adding it again starts from its defaults. */
  g_assert_false (g_variant_lookup (remembered, ADDED_MODEL, "&s", &text));

  inp_test_destroy_and_finalize (window);
}

static void
run_added_model_kept (void)
{
  inp_test_run_in_application (test_added_model_add);
  inp_test_run_in_application (test_added_model_kept);
  inp_test_run_in_application (test_added_model_gone);
}

static void
test_added_models_damaged (InpApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  InpModelPicker *picker = inp_window_get_model_picker (INP_WINDOW (window));
  guint listed = 0;

  /* Start-up goes on: every catalogue model is listed, none added, and a toast says why. */
  inp_test_wait_for_frame (GTK_WIDGET (window));
  for (guint i = 0; i < inp_model_picker_get_n_groups (picker); i++)
    listed += g_list_model_get_n_items (inp_model_picker_get_group (picker, i, NULL, NULL));
  g_assert_cmpuint (listed, ==,
                    g_list_model_get_n_items (G_LIST_MODEL (inp_catalog_get_default ())));
  g_assert_true (inp_test_label_shown (GTK_WIDGET (window), "The list of added models"));
  g_assert_true (inp_test_label_shown (GTK_WIDGET (window), "is damaged"));

  inp_test_destroy_and_finalize (window);
}

static void
run_added_models_damaged (void)
{
  g_autofree char *dir = g_build_filename (data_dir, "inpainter", NULL);
  g_autofree char *path = g_build_filename (dir, "models.json", NULL);
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gboolean kept = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "{\"models\": [ not json", -1, NULL));
  inp_test_run_in_application (test_added_models_damaged);

  /* The damaged list was kept aside, untouched. */
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "models.damaged-"))
      {
        g_autofree char *aside = g_build_filename (dir, name, NULL);
        g_autofree char *contents = NULL;

        g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
        g_assert_cmpstr (contents, ==, "{\"models\": [ not json");
        g_remove (aside);
        kept = TRUE;
      }
  g_assert_true (kept);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  int status;

  /* Outputs go to a fresh data folder; the endpoint and the token are the sandbox's. */
  dir = inp_test_make_temp_dir ();
  data_dir = inp_test_set_user_dirs (dir);

  if (inp_test_ui_init (&argc, &argv))
    {
      sandbox = inp_test_sandbox_start ("/v1");
      inp_test_sandbox_use_in_app (sandbox);
    }

  picture_path = inp_test_write_png (dir, "holiday.png", 256, 192);

  inp_test_ui_add_func ("/ui/generate/every-model", run_generate_every_model);
  inp_test_ui_add_func ("/ui/generate/validation-sends-nothing", run_validation_sends_nothing);
  inp_test_ui_add_func ("/ui/generate/failure-keeps-inputs", run_failure_keeps_inputs);
  inp_test_ui_add_func ("/ui/generate/cancel", run_cancel);
  inp_test_ui_add_func ("/ui/generate/server-validation", run_server_validation);
  inp_test_ui_add_func ("/ui/generate/sandbox-mode", run_sandbox_mode);
  inp_test_ui_add_func ("/ui/generate/resume-at-start", run_resume_at_start);
  inp_test_ui_add_func ("/ui/generate/output-format", run_output_format);
  inp_test_ui_add_func ("/ui/generate/upload-strategy", run_upload_strategy);
  inp_test_ui_add_func ("/ui/generate/results-folder", run_results_folder);
  inp_test_ui_add_func ("/ui/generate/history", run_history);
  inp_test_ui_add_func ("/ui/generate/history-files-gone", run_history_files_gone);
  inp_test_ui_add_func ("/ui/generate/provenance-on-open", run_provenance_on_open);
  inp_test_ui_add_func ("/ui/generate/added-model-kept", run_added_model_kept);
  inp_test_ui_add_func ("/ui/generate/added-models-damaged", run_added_models_damaged);

  status = g_test_run ();

  if (sandbox != NULL)
    inp_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  inp_test_remove_tree (dir);
  g_free (picture_path);
  g_free (data_dir);

  return status;
}
