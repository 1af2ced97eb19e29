/* inp-result-viewer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "inp-catalog.h"
#include "inp-frame-animation.h"
#include "inp-result-viewer.h"
#include "inp-thumbnail-loader.h"

/* Large enough for a full screen; a 4K result is scaled, never decoded whole on the main loop. */
#define VIEW_SIZE 2048

struct _InpResultViewer
{
  AdwWindow           parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  InpCompareView     *compare_view;
  GtkVideo           *video;
  AdwStatusPage      *error_page;
  GtkActionBar       *compare_bar;
  GtkAdjustment      *compare_adjustment;

  /* Owned references */
  InpLibraryOutput   *output;
  GFile              *input;
  GdkPaintable       *input_paintable;
  InpFrameAnimation  *animation;
  InpThumbnailLoader *loader;
  GCancellable       *cancellable;

  guint               n_pending;
  gboolean            comparing;
};

G_DEFINE_FINAL_TYPE (InpResultViewer, inp_result_viewer, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_OUTPUT,
  PROP_INPUT,
  PROP_LOADED,
  PROP_COMPARING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * inp_result_viewer_new:
 * @output: the result to show
 * @input: (nullable): the job's input image, to compare with
 *
 * Returns: (transfer full): a window; present it.
 */
InpResultViewer *
inp_result_viewer_new (InpLibraryOutput *output,
                       GFile            *input)
{
  g_return_val_if_fail (INP_IS_LIBRARY_OUTPUT (output), NULL);
  g_return_val_if_fail (input == NULL || G_IS_FILE (input), NULL);

  return g_object_new (INP_TYPE_RESULT_VIEWER,
                       "output", output,
                       "input", input,
                       NULL);
}

static void
update_compare (InpResultViewer *self)
{
  gboolean comparing = self->comparing && self->input_paintable != NULL;

  inp_compare_view_set_before (self->compare_view, comparing ? self->input_paintable : NULL);
  gtk_action_bar_set_revealed (self->compare_bar, comparing);
  if (!comparing)
    inp_compare_view_set_blink (self->compare_view, FALSE);
}

static void
load_done (InpResultViewer *self)
{
  g_assert (self->n_pending > 0);

  if (--self->n_pending > 0)
    return;

  gtk_spinner_stop (self->spinner);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") != 0)
    gtk_stack_set_visible_child_name (self->stack, "image");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.compare",
                                 self->input_paintable != NULL);
  update_compare (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/* The callbacks hold no reference: dispose cancels, and a cancelled load does not touch the
 * viewer. */
static void
output_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  InpResultViewer *self = user_data;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GError) error = NULL;

  paintable = inp_thumbnail_loader_load_finish (INP_THUMBNAIL_LOADER (object), result, NULL,
                                                &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (paintable == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      inp_compare_view_set_after (self->compare_view, paintable);
      /* An animated GIF plays for as long as the window is open. */
      if (INP_IS_FRAME_ANIMATION (paintable))
        {
          self->animation = g_object_ref (INP_FRAME_ANIMATION (paintable));
          inp_frame_animation_play (self->animation);
        }
    }

  load_done (self);
}

static void
input_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  InpResultViewer *self = user_data;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GError) error = NULL;

  paintable = inp_thumbnail_loader_load_finish (INP_THUMBNAIL_LOADER (object), result, NULL,
                                                &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->input_paintable = g_steal_pointer (&paintable);

  /* Without its input a result can still be shown; only comparing is not offered. */
  if (error != NULL)
    g_debug ("viewer: the input cannot be shown: %s", error->message);

  load_done (self);
}

static void
inp_result_viewer_constructed (GObject *object)
{
  InpResultViewer *self = INP_RESULT_VIEWER (object);
  const char *media_type = inp_library_output_get_media_type (self->output);
  const char *prompt = inp_library_output_get_prompt (self->output);
  int size = VIEW_SIZE;

  G_OBJECT_CLASS (inp_result_viewer_parent_class)->constructed (object);

  adw_window_title_set_title (self->window_title,
                              inp_catalog_get_title_for (inp_catalog_get_default (),
                                                         inp_library_output_get_model (self->output)));
  adw_window_title_set_subtitle (self->window_title, prompt != NULL ? prompt : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.compare", FALSE);

  if (media_type != NULL && g_str_has_prefix (media_type, "video/"))
    {
      gtk_video_set_file (self->video, inp_library_output_get_file (self->output));
      gtk_stack_set_visible_child_name (self->stack, "video");
      gtk_widget_set_visible (GTK_WIDGET (self->compare_bar), FALSE);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_start (self->spinner);

  self->n_pending++;
  inp_thumbnail_loader_load_async (self->loader, inp_library_output_get_file (self->output), size,
                                   self->cancellable, output_loaded_cb, self);
  if (self->input != NULL)
    {
      self->n_pending++;
      inp_thumbnail_loader_load_async (self->loader, self->input, size, self->cancellable,
                                       input_loaded_cb, self);
    }
}

static gboolean
key_pressed_cb (InpResultViewer       *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_b || keyval == GDK_KEY_B) && self->input_paintable != NULL)
    {
      inp_compare_view_set_blink (self->compare_view, TRUE);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
key_released_cb (InpResultViewer       *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_b || keyval == GDK_KEY_B)
    inp_compare_view_set_blink (self->compare_view, FALSE);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
inp_result_viewer_dispose (GObject *object)
{
  InpResultViewer *self = INP_RESULT_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->input_paintable);
  if (self->animation != NULL)
    inp_frame_animation_stop (self->animation);
  g_clear_object (&self->animation);
  g_clear_object (&self->loader);
  g_clear_object (&self->output);
  g_clear_object (&self->input);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_RESULT_VIEWER);

  G_OBJECT_CLASS (inp_result_viewer_parent_class)->dispose (object);
}

static void
inp_result_viewer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  InpResultViewer *self = INP_RESULT_VIEWER (object);

  switch (prop_id)
    {
    case PROP_OUTPUT:
      g_value_set_object (value, self->output);
      break;

    case PROP_INPUT:
      g_value_set_object (value, self->input);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, inp_result_viewer_get_loaded (self));
      break;

    case PROP_COMPARING:
      g_value_set_boolean (value, self->comparing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_result_viewer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  InpResultViewer *self = INP_RESULT_VIEWER (object);

  switch (prop_id)
    {
    case PROP_OUTPUT:
      self->output = g_value_dup_object (value);
      break;

    case PROP_INPUT:
      self->input = g_value_dup_object (value);
      break;

    case PROP_COMPARING:
      inp_result_viewer_set_comparing (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_result_viewer_class_init (InpResultViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = inp_result_viewer_constructed;
  object_class->dispose = inp_result_viewer_dispose;
  object_class->get_property = inp_result_viewer_get_property;
  object_class->set_property = inp_result_viewer_set_property;

  properties[PROP_OUTPUT] =
    g_param_spec_object ("output", NULL, NULL, INP_TYPE_LIBRARY_OUTPUT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_INPUT] =
    g_param_spec_object ("input", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * InpResultViewer:loaded:
   *
   * Whether the result (and its input, if any) have been decoded or have failed to.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpResultViewer:comparing:
   *
   * Whether the input shows left of a divider.
   */
  properties[PROP_COMPARING] =
    g_param_spec_boolean ("comparing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (INP_TYPE_COMPARE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-result-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, InpResultViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, InpResultViewer, stack);
  gtk_widget_class_bind_template_child (widget_class, InpResultViewer, spinner);
  gtk_widget_class_bind_template_child (widget_class, InpResultViewer, compare_view);
  gtk_widget_class_bind_template_child (widget_class, InpResultViewer, video);
  gtk_widget_class_bind_template_child (widget_class, InpResultViewer, error_page);
  gtk_widget_class_bind_template_child (widget_class, InpResultViewer, compare_bar);
  gtk_widget_class_bind_template_child (widget_class, InpResultViewer, compare_adjustment);

  gtk_widget_class_install_property_action (widget_class, "viewer.compare", "comparing");
  gtk_widget_class_install_action (widget_class, "viewer.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "viewer.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "viewer.compare", NULL);
}

static void
inp_result_viewer_init (InpResultViewer *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->loader = inp_thumbnail_loader_new (0);
  self->cancellable = g_cancellable_new ();

  g_object_bind_property (self->compare_adjustment, "value", self->compare_view, "position",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  keys = gtk_event_controller_key_new ();
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect_swapped (keys, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/**
 * inp_result_viewer_get_output:
 *
 * Returns: (transfer none): the result shown.
 */
InpLibraryOutput *
inp_result_viewer_get_output (InpResultViewer *self)
{
  g_return_val_if_fail (INP_IS_RESULT_VIEWER (self), NULL);

  return self->output;
}

gboolean
inp_result_viewer_get_loaded (InpResultViewer *self)
{
  g_return_val_if_fail (INP_IS_RESULT_VIEWER (self), FALSE);

  return self->n_pending == 0;
}

gboolean
inp_result_viewer_get_comparing (InpResultViewer *self)
{
  g_return_val_if_fail (INP_IS_RESULT_VIEWER (self), FALSE);

  return self->comparing;
}

void
inp_result_viewer_set_comparing (InpResultViewer *self,
                                 gboolean         comparing)
{
  g_return_if_fail (INP_IS_RESULT_VIEWER (self));

  comparing = !!comparing;
  if (self->comparing == comparing)
    return;

  self->comparing = comparing;
  update_compare (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARING]);
}

/**
 * inp_result_viewer_get_compare_view:
 *
 * Returns: (transfer none): the view that draws the result and its input.
 */
InpCompareView *
inp_result_viewer_get_compare_view (InpResultViewer *self)
{
  g_return_val_if_fail (INP_IS_RESULT_VIEWER (self), NULL);

  return self->compare_view;
}
