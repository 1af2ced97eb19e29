/* inp-frame-animation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-frame-animation.h"

/* Browsers treat GIF delays under 20 ms as 100 ms; so do we, or some GIFs would spin. */
#define MIN_DELAY_MS     20
#define DEFAULT_DELAY_MS 100

struct _InpFrameAnimation
{
  GObject     parent_instance;

  GPtrArray  *frames;
  GArray     *delays;
  guint       current;
  guint       n_players;
  guint       timeout_id;
};

static void inp_frame_animation_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InpFrameAnimation, inp_frame_animation, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      inp_frame_animation_paintable_init))

static GdkTexture *
current_frame (InpFrameAnimation *self)
{
  return g_ptr_array_index (self->frames, self->current);
}

static void
inp_frame_animation_snapshot (GdkPaintable *paintable,
                              GdkSnapshot  *snapshot,
                              double        width,
                              double        height)
{
  InpFrameAnimation *self = INP_FRAME_ANIMATION (paintable);

  gdk_paintable_snapshot (GDK_PAINTABLE (current_frame (self)), snapshot, width, height);
}

static GdkPaintable *
inp_frame_animation_get_current_image (GdkPaintable *paintable)
{
  InpFrameAnimation *self = INP_FRAME_ANIMATION (paintable);

  return g_object_ref (GDK_PAINTABLE (current_frame (self)));
}

static int
inp_frame_animation_get_intrinsic_width (GdkPaintable *paintable)
{
  return gdk_texture_get_width (current_frame (INP_FRAME_ANIMATION (paintable)));
}

static int
inp_frame_animation_get_intrinsic_height (GdkPaintable *paintable)
{
  return gdk_texture_get_height (current_frame (INP_FRAME_ANIMATION (paintable)));
}

static void
inp_frame_animation_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = inp_frame_animation_snapshot;
  iface->get_current_image = inp_frame_animation_get_current_image;
  iface->get_intrinsic_width = inp_frame_animation_get_intrinsic_width;
  iface->get_intrinsic_height = inp_frame_animation_get_intrinsic_height;
}

static guint
delay_of (InpFrameAnimation *self,
          guint              index)
{
  guint delay = g_array_index (self->delays, guint, index);

  return delay < MIN_DELAY_MS ? DEFAULT_DELAY_MS : delay;
}

static gboolean
advance_cb (gpointer user_data)
{
  InpFrameAnimation *self = INP_FRAME_ANIMATION (user_data);

  self->current = (self->current + 1) % self->frames->len;
  self->timeout_id = g_timeout_add (delay_of (self, self->current), advance_cb, self);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));

  return G_SOURCE_REMOVE;
}

static void
inp_frame_animation_finalize (GObject *object)
{
  InpFrameAnimation *self = INP_FRAME_ANIMATION (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->delays, g_array_unref);

  G_OBJECT_CLASS (inp_frame_animation_parent_class)->finalize (object);
}

static void
inp_frame_animation_class_init (InpFrameAnimationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = inp_frame_animation_finalize;
}

static void
inp_frame_animation_init (InpFrameAnimation *self)
{
}

/**
 * inp_frame_animation_new:
 * @frames: (element-type GdkTexture): the frames, all of one size, at least one
 * @delays: (element-type guint): how long each frame shows, in milliseconds
 *
 * Returns: (transfer full): an animation that stands still until played.
 */
InpFrameAnimation *
inp_frame_animation_new (GPtrArray *frames,
                         GArray    *delays)
{
  InpFrameAnimation *self;

  g_return_val_if_fail (frames != NULL && frames->len > 0, NULL);
  g_return_val_if_fail (delays != NULL && delays->len == frames->len, NULL);

  self = g_object_new (INP_TYPE_FRAME_ANIMATION, NULL);
  self->frames = g_ptr_array_ref (frames);
  self->delays = g_array_ref (delays);

  return self;
}

guint
inp_frame_animation_get_n_frames (InpFrameAnimation *self)
{
  g_return_val_if_fail (INP_IS_FRAME_ANIMATION (self), 0);

  return self->frames->len;
}

/**
 * inp_frame_animation_get_frame:
 *
 * Returns: (transfer none): frame @index.
 */
GdkTexture *
inp_frame_animation_get_frame (InpFrameAnimation *self,
                               guint              index)
{
  g_return_val_if_fail (INP_IS_FRAME_ANIMATION (self), NULL);
  g_return_val_if_fail (index < self->frames->len, NULL);

  return g_ptr_array_index (self->frames, index);
}

guint
inp_frame_animation_get_current (InpFrameAnimation *self)
{
  g_return_val_if_fail (INP_IS_FRAME_ANIMATION (self), 0);

  return self->current;
}

/**
 * inp_frame_animation_play:
 *
 * Starts the animation, looping. Calls are counted: one paintable can be shown by several
 * widgets, and it stops only when each has called inp_frame_animation_stop().
 */
void
inp_frame_animation_play (InpFrameAnimation *self)
{
  g_return_if_fail (INP_IS_FRAME_ANIMATION (self));

  if (self->n_players++ == 0 && self->frames->len > 1)
    self->timeout_id = g_timeout_add (delay_of (self, self->current), advance_cb, self);
}

void
inp_frame_animation_stop (InpFrameAnimation *self)
{
  g_return_if_fail (INP_IS_FRAME_ANIMATION (self));
  g_return_if_fail (self->n_players > 0);

  if (--self->n_players == 0)
    g_clear_handle_id (&self->timeout_id, g_source_remove);
}
