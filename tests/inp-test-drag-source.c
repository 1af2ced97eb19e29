/* inp-test-drag-source.c: a tiny GTK program that offers something to drag, for drop tests
 *
 *   inp-test-drag-source --file PATH      offers the file (text/uri-list, as file managers do)
 *   inp-test-drag-source --texture PATH   offers the picture's pixels (image/png and the like)
 *
 * It shows a small undecorated window, prints "ready <xid>" on standard output once it has
 * painted, and "drag-end" when a drag finished; the test moves the pointer with XTest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             gpointer       user_data)
{
  printf ("drag-end\n");
  fflush (stdout);
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  printf ("ready %lu\n", (unsigned long) gdk_x11_surface_get_xid (surface));
  fflush (stdout);
}

static void
map_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), window);
  gtk_widget_queue_draw (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GdkContentProvider) content = NULL;
  g_autoptr(GError) error = NULL;
  GtkDragSource *source;
  GtkWidget *window;
  GtkWidget *label;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s --file PATH | --texture PATH\n", argv[0]);
      return 2;
    }

  gtk_init ();
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      fprintf (stderr, "%s: needs an X11 display\n", argv[0]);
      return 77;
    }

  if (g_str_equal (argv[1], "--file"))
    {
      g_autoptr(GFile) file = g_file_new_for_path (argv[2]);

      content = gdk_content_provider_new_typed (G_TYPE_FILE, file);
    }
  else if (g_str_equal (argv[1], "--texture"))
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (argv[2], &error);

      if (texture == NULL)
        {
          fprintf (stderr, "%s: %s\n", argv[0], error->message);
          return 1;
        }
      content = gdk_content_provider_new_typed (GDK_TYPE_TEXTURE, texture);
    }
  else
    {
      fprintf (stderr, "%s: unknown option %s\n", argv[0], argv[1]);
      return 2;
    }

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Inpainter test drag source");
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 120, 120);
  label = gtk_label_new ("Drag me");
  gtk_widget_set_size_request (label, 120, 120);
  gtk_window_set_child (GTK_WINDOW (window), label);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_content (source, content);
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "drag-end", G_CALLBACK (drag_end_cb), NULL);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (source));

  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));

  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}
