/* inp-application.c: application actions, accelerators and the app-wide settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-application.h"
#include "inp-preferences-window.h"
#include "inp-window.h"

struct _InpApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  InpLibrary     *library;
  GError         *library_error;
  InpCustomModels *custom_models;
};

G_DEFINE_FINAL_TYPE (InpApplication, inp_application, ADW_TYPE_APPLICATION)

InpApplication *
inp_application_new (void)
{
  return g_object_new (INP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", INP_RESOURCE_PREFIX,
                       NULL);
}

/**
 * inp_application_get_settings:
 *
 * Returns: (transfer none): the application's settings, created at start-up.
 */
GSettings *
inp_application_get_settings (InpApplication *self)
{
  g_return_val_if_fail (INP_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * inp_application_get_library:
 * @error: why the library cannot be used, when it cannot
 *
 * Opens the library at its usual place under `$XDG_DATA_HOME/inpainter` the first time it is
 * asked for; every window records into and shows this one.
 *
 * Returns: (transfer none) (nullable): the library, or %NULL with @error set.
 */
InpLibrary *
inp_application_get_library (InpApplication  *self,
                             GError         **error)
{
  g_return_val_if_fail (INP_IS_APPLICATION (self), NULL);

  if (self->library == NULL && self->library_error == NULL)
    {
      self->library = inp_library_new (NULL, &self->library_error);
      if (self->library != NULL)
        g_debug ("application: library at %s", inp_library_get_path (self->library));
    }

  if (self->library == NULL)
    {
      g_propagate_error (error, g_error_copy (self->library_error));
      return NULL;
    }

  return self->library;
}

/**
 * inp_application_get_custom_models:
 *
 * Reads the models added by name, beside the library, the first time they are asked for; every
 * window lists and changes these.
 *
 * Returns: (transfer none): the models added by name.
 */
InpCustomModels *
inp_application_get_custom_models (InpApplication *self)
{
  g_return_val_if_fail (INP_IS_APPLICATION (self), NULL);

  if (self->custom_models == NULL)
    {
      g_autofree char *path = inp_custom_models_get_default_path ();

      self->custom_models = inp_custom_models_new (path);
    }

  return self->custom_models;
}

static void
inp_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (inp_window_new (INP_APPLICATION (app)));

  gtk_window_present (window);
}

static void
inp_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (inp_window_new (INP_APPLICATION (app)));

  /* One canvas per window: the first picture named opens, as an editor opens its first file. */
  if (n_files > 0)
    inp_window_open_file (INP_WINDOW (window), files[0]);

  gtk_window_present (window);
}

static void
new_from_clipboard_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);

  /* A window already holding a picture keeps it, with its mask: the pasted one gets its own. */
  if (window == NULL
      || inp_mask_canvas_get_image (inp_window_get_canvas (INP_WINDOW (window))) != NULL)
    window = GTK_WINDOW (inp_window_new (INP_APPLICATION (app)));

  g_debug ("application: new from the clipboard");
  inp_window_paste_picture (INP_WINDOW (window));
  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows;

  /* Closing each window lets it save its state before the application goes. */
  while ((windows = gtk_application_get_windows (app)) != NULL)
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (app));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Inpainter developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Inpainter"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Inpainter developers"),
                         "developers", developers,
                         "comments", _("Repaint part of a picture with Stable Diffusion and FLUX"),
                         "website", "https://github.com/inpainter/inpainter",
                         "issue-url", "https://github.com/inpainter/inpainter/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Inpainter developers",
                         /* Translators: put your names here, one per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  InpApplication *self = user_data;
  InpPreferencesWindow *preferences;

  preferences = inp_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* The window builds the shortcuts window when it is first asked for. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

/* A notification's click: (window id, job id) of the job that ended while the user was away. */
static void
show_job_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window;
  guint window_id;
  guint job_id;

  g_variant_get (parameter, "(uu)", &window_id, &job_id);
  window = gtk_application_get_window_by_id (app, window_id);
  g_debug ("application: show job %u of window %u", job_id, window_id);

  /* The window may have been closed since; its results are in every window's gallery. */
  if (INP_IS_WINDOW (window))
    inp_window_show_job (INP_WINDOW (window), job_id);
  else
    g_application_activate (G_APPLICATION (app));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "show-job", show_job_action, "(uu)" },
  { "about", about_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "new-from-clipboard", new_from_clipboard_action },
};

static void
set_accels (GtkApplication *app,
            const char     *action,
            const char     *accel)
{
  const char *accels[] = { accel, NULL };

  gtk_application_set_accels_for_action (app, action, accels);
}

static void
inp_application_startup (GApplication *app)
{
  InpApplication *self = INP_APPLICATION (app);

  G_APPLICATION_CLASS (inp_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);

  set_accels (GTK_APPLICATION (app), "app.quit", "<Primary>q");
  set_accels (GTK_APPLICATION (app), "app.preferences", "<Primary>comma");
  set_accels (GTK_APPLICATION (app), "win.close", "<Primary>w");
  set_accels (GTK_APPLICATION (app), "win.toggle-sidebar", "F9");
  set_accels (GTK_APPLICATION (app), "win.show-help-overlay", "<Primary>question");
}

static int
inp_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (!g_variant_dict_contains (options, "new-from-clipboard"))
    return -1;

  /* Through the action, so that a running instance opens the window rather than a second
   * process: the desktop file's “New from Clipboard” starts `inpainter --new-from-clipboard`. */
  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_action_group_activate_action (G_ACTION_GROUP (app), "new-from-clipboard", NULL);

  /* A running instance has done the work; this one goes on to present its new window. */
  return g_application_get_is_remote (app) ? 0 : -1;
}

static void
inp_application_dispose (GObject *object)
{
  InpApplication *self = INP_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->library);
  g_clear_error (&self->library_error);
  g_clear_object (&self->custom_models);

  G_OBJECT_CLASS (inp_application_parent_class)->dispose (object);
}

static void
inp_application_class_init (InpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = inp_application_dispose;

  app_class->activate = inp_application_activate;
  app_class->handle_local_options = inp_application_handle_local_options;
  app_class->open = inp_application_open;
  app_class->startup = inp_application_startup;
}

static const GOptionEntry options[] = {
  { "new-from-clipboard", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Start with the picture on the clipboard"), NULL },
  { NULL },
};

static void
inp_application_init (InpApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}
