/* inp-preferences-window.c: the service endpoint and generation defaults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-preferences-window.h"

struct _InpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwComboRow          *endpoint_row;
  AdwEntryRow          *custom_url_row;
  GtkAdjustment        *wait_adjustment;

  /* Owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (InpPreferencesWindow, inp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The order of the rows in the combo row, as stored in the "endpoint" key. */
static const char * const endpoint_ids[] = { "quickrouter", "replicate", "custom" };

InpPreferencesWindow *
inp_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (INP_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}

static gboolean
endpoint_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (endpoint_ids); i++)
    {
      if (g_str_equal (id, endpoint_ids[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
endpoint_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (endpoint_ids))
    return NULL;

  return g_variant_new_string (endpoint_ids[position]);
}

static gboolean
custom_row_visible_mapping (GValue   *value,
                            GVariant *variant,
                            gpointer  user_data)
{
  g_value_set_boolean (value, g_str_equal (g_variant_get_string (variant, NULL), "custom"));
  return TRUE;
}

static void
inp_preferences_window_constructed (GObject *object)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (inp_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "endpoint", self->endpoint_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                endpoint_get_mapping, endpoint_set_mapping, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "endpoint", self->custom_url_row, "visible",
                                G_SETTINGS_BIND_GET,
                                custom_row_visible_mapping, NULL, NULL, NULL);
  g_settings_bind (self->settings, "custom-base-url", self->custom_url_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "wait-seconds", self->wait_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
inp_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_preferences_window_dispose (GObject *object)
{
  InpPreferencesWindow *self = INP_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (inp_preferences_window_parent_class)->dispose (object);
}

static void
inp_preferences_window_class_init (InpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = inp_preferences_window_constructed;
  object_class->dispose = inp_preferences_window_dispose;
  object_class->set_property = inp_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, custom_url_row);
  gtk_widget_class_bind_template_child (widget_class, InpPreferencesWindow, wait_adjustment);
}

static void
inp_preferences_window_init (InpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
