/* inp-window.c: the main window, which composes the panels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-window.h"

struct _InpWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwFlap              *flap;

  /* Owned references */
  GSettings            *settings;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (InpWindow, inp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SIDEBAR_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

InpWindow *
inp_window_new (InpApplication *application)
{
  g_return_val_if_fail (INP_IS_APPLICATION (application), NULL);

  return g_object_new (INP_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
restore_state (InpWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_state (InpWindow *self)
{
  int width = 0;
  int height = 0;

  /* The default size tracks the last unmaximised size, which is what a restart should restore. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
inp_window_close_request (GtkWindow *window)
{
  InpWindow *self = INP_WINDOW (window);

  save_state (self);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (inp_window_parent_class)->close_request (window);
}

static void
inp_window_constructed (GObject *object)
{
  InpWindow *self = INP_WINDOW (object);

  G_OBJECT_CLASS (inp_window_parent_class)->constructed (object);

  self->settings = g_settings_new (APP_ID);
  restore_state (self);
}

static void
inp_window_dispose (GObject *object)
{
  InpWindow *self = INP_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_WINDOW);

  G_OBJECT_CLASS (inp_window_parent_class)->dispose (object);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
flap_reveal_changed_cb (InpWindow  *self,
                        GParamSpec *pspec,
                        AdwFlap    *flap)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_SHOWN]);
}

static void
inp_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  InpWindow *self = INP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_SHOWN:
      /* The header bar's toggle asks before the template has bound the flap. */
      g_value_set_boolean (value, self->flap == NULL || adw_flap_get_reveal_flap (self->flap));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  InpWindow *self = INP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_SHOWN:
      /* The flap's own notify is forwarded, so no notify is emitted here. */
      adw_flap_set_reveal_flap (self->flap, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_window_class_init (InpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = inp_window_constructed;
  object_class->dispose = inp_window_dispose;
  object_class->get_property = inp_window_get_property;
  object_class->set_property = inp_window_set_property;
  window_class->close_request = inp_window_close_request;

  /**
   * InpWindow:sidebar-shown:
   *
   * Whether the side panel with the prompt and the model is revealed.
   */
  properties[PROP_SIDEBAR_SHOWN] =
    g_param_spec_boolean ("sidebar-shown", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, INP_RESOURCE_PREFIX "/inp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InpWindow, flap);

  gtk_widget_class_install_property_action (widget_class, "win.toggle-sidebar", "sidebar-shown");
  gtk_widget_class_bind_template_callback (widget_class, flap_reveal_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
}

static void
inp_window_init (InpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  if (IS_DEVEL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
