/* inp-compare-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <float.h>
#include <glib/gi18n.h>

#include "inp-compare-view.h"

struct _InpCompareView
{
  GtkWidget     parent_instance;

  GdkPaintable *before;
  GdkPaintable *after;
  double        position;
  gboolean      blink;
  double        drag_start_x;
};

G_DEFINE_FINAL_TYPE (InpCompareView, inp_compare_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BEFORE,
  PROP_AFTER,
  PROP_POSITION,
  PROP_BLINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
inp_compare_view_new (void)
{
  return g_object_new (INP_TYPE_COMPARE_VIEW, NULL);
}

/* Where the images go: the result's shape, as large as fits, centred. */
static graphene_rect_t
image_rect (InpCompareView *self)
{
  GdkPaintable *shape = self->after != NULL ? self->after : self->before;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double fit_width = width;
  double fit_height = height;
  graphene_rect_t rect;

  if (shape != NULL)
    gdk_paintable_compute_concrete_size (shape, 0, 0, width, height, &fit_width, &fit_height);

  graphene_rect_init (&rect, (width - fit_width) / 2, (height - fit_height) / 2,
                      fit_width, fit_height);
  return rect;
}

static void
append_paintable (GtkSnapshot           *snapshot,
                  GdkPaintable          *paintable,
                  const graphene_rect_t *rect)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &rect->origin);
  gdk_paintable_snapshot (paintable, snapshot, rect->size.width, rect->size.height);
  gtk_snapshot_restore (snapshot);
}

static void
inp_compare_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  InpCompareView *self = INP_COMPARE_VIEW (widget);
  graphene_rect_t rect = image_rect (self);
  graphene_rect_t left;
  GdkRGBA line = { 1, 1, 1, 0.9 };
  double split;

  if (self->before != NULL && self->blink)
    {
      append_paintable (snapshot, self->before, &rect);
      return;
    }

  if (self->after != NULL)
    append_paintable (snapshot, self->after, &rect);

  if (self->before == NULL || self->position <= 0)
    return;

  split = rect.size.width * self->position;
  graphene_rect_init (&left, rect.origin.x, rect.origin.y, split, rect.size.height);
  gtk_snapshot_push_clip (snapshot, &left);
  append_paintable (snapshot, self->before, &rect);
  gtk_snapshot_pop (snapshot);

  /* The divider, so the eye finds the edge even where both sides are alike. */
  if (self->position < 1)
    gtk_snapshot_append_color (snapshot, &line,
                               &GRAPHENE_RECT_INIT (rect.origin.x + split - 1, rect.origin.y,
                                                    2, rect.size.height));
}

static void
set_position_from_x (InpCompareView *self,
                     double          x)
{
  graphene_rect_t rect = image_rect (self);

  if (rect.size.width > 0)
    inp_compare_view_set_position (self, (x - rect.origin.x) / rect.size.width);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               InpCompareView *self)
{
  if (self->before == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_start_x = x;
  set_position_from_x (self, x);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                InpCompareView *self)
{
  set_position_from_x (self, self->drag_start_x + offset_x);
}

static void
paintable_changed_cb (InpCompareView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_paintable (InpCompareView  *self,
               GdkPaintable   **slot,
               GdkPaintable    *paintable,
               GParamSpec      *pspec)
{
  if (*slot == paintable)
    return;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, paintable_changed_cb, self);
  g_set_object (slot, paintable);
  if (paintable != NULL)
    {
      g_signal_connect_swapped (paintable, "invalidate-contents",
                                G_CALLBACK (paintable_changed_cb), self);
      g_signal_connect_swapped (paintable, "invalidate-size",
                                G_CALLBACK (paintable_changed_cb), self);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
inp_compare_view_dispose (GObject *object)
{
  InpCompareView *self = INP_COMPARE_VIEW (object);

  set_paintable (self, &self->before, NULL, properties[PROP_BEFORE]);
  set_paintable (self, &self->after, NULL, properties[PROP_AFTER]);

  G_OBJECT_CLASS (inp_compare_view_parent_class)->dispose (object);
}

static void
inp_compare_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  InpCompareView *self = INP_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_BEFORE:
      g_value_set_object (value, self->before);
      break;

    case PROP_AFTER:
      g_value_set_object (value, self->after);
      break;

    case PROP_POSITION:
      g_value_set_double (value, self->position);
      break;

    case PROP_BLINK:
      g_value_set_boolean (value, self->blink);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_compare_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  InpCompareView *self = INP_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_BEFORE:
      inp_compare_view_set_before (self, g_value_get_object (value));
      break;

    case PROP_AFTER:
      inp_compare_view_set_after (self, g_value_get_object (value));
      break;

    case PROP_POSITION:
      inp_compare_view_set_position (self, g_value_get_double (value));
      break;

    case PROP_BLINK:
      inp_compare_view_set_blink (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_compare_view_class_init (InpCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inp_compare_view_dispose;
  object_class->get_property = inp_compare_view_get_property;
  object_class->set_property = inp_compare_view_set_property;
  widget_class->snapshot = inp_compare_view_snapshot;

  /**
   * InpCompareView:before:
   *
   * The input image, shown left of the divider; %NULL shows only the result.
   */
  properties[PROP_BEFORE] =
    g_param_spec_object ("before", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpCompareView:after:
   *
   * The result, shown right of the divider.
   */
  properties[PROP_AFTER] =
    g_param_spec_object ("after", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpCompareView:position:
   *
   * Where the divider is, as a fraction of the image's width from its left edge.
   */
  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL, 0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * InpCompareView:blink:
   *
   * Whether the input is shown whole, while a key is held.
   */
  properties[PROP_BLINK] =
    g_param_spec_boolean ("blink", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "inp-compare-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
inp_compare_view_init (InpCompareView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->position = 0.5;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The result, with its input left of the divider"), -1);

  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

/**
 * inp_compare_view_get_before:
 *
 * Returns: (transfer none) (nullable): the input image.
 */
GdkPaintable *
inp_compare_view_get_before (InpCompareView *self)
{
  g_return_val_if_fail (INP_IS_COMPARE_VIEW (self), NULL);

  return self->before;
}

void
inp_compare_view_set_before (InpCompareView *self,
                             GdkPaintable   *before)
{
  g_return_if_fail (INP_IS_COMPARE_VIEW (self));
  g_return_if_fail (before == NULL || GDK_IS_PAINTABLE (before));

  set_paintable (self, &self->before, before, properties[PROP_BEFORE]);
}

/**
 * inp_compare_view_get_after:
 *
 * Returns: (transfer none) (nullable): the result.
 */
GdkPaintable *
inp_compare_view_get_after (InpCompareView *self)
{
  g_return_val_if_fail (INP_IS_COMPARE_VIEW (self), NULL);

  return self->after;
}

void
inp_compare_view_set_after (InpCompareView *self,
                            GdkPaintable   *after)
{
  g_return_if_fail (INP_IS_COMPARE_VIEW (self));
  g_return_if_fail (after == NULL || GDK_IS_PAINTABLE (after));

  set_paintable (self, &self->after, after, properties[PROP_AFTER]);
}

double
inp_compare_view_get_position (InpCompareView *self)
{
  g_return_val_if_fail (INP_IS_COMPARE_VIEW (self), 0.0);

  return self->position;
}

void
inp_compare_view_set_position (InpCompareView *self,
                               double          position)
{
  g_return_if_fail (INP_IS_COMPARE_VIEW (self));

  position = CLAMP (position, 0.0, 1.0);
  if (G_APPROX_VALUE (self->position, position, DBL_EPSILON))
    return;

  self->position = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

gboolean
inp_compare_view_get_blink (InpCompareView *self)
{
  g_return_val_if_fail (INP_IS_COMPARE_VIEW (self), FALSE);

  return self->blink;
}

void
inp_compare_view_set_blink (InpCompareView *self,
                            gboolean        blink)
{
  g_return_if_fail (INP_IS_COMPARE_VIEW (self));

  blink = !!blink;
  if (self->blink == blink)
    return;

  self->blink = blink;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLINK]);
}
