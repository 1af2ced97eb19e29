/* test-keyboard.c: the whole flow with the keyboard alone, as real key presses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4 has no API to synthesise key events, so the test sends real ones through the X server
 * with xdotool (XTest), after giving its own window the input focus. That needs X11 (Xvfb in
 * the test run) and xdotool; without them the test is skipped. It must not share the display
 * with other tests' windows, which could take the focus: meson gives it an X server of its own. */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <string.h>

#include "inp-catalog.h"
#include "inp-gallery.h"
#include "inp-mask-canvas-private.h"
#include "inp-model-picker-private.h"
#include "inp-result-viewer.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"
#include "inp-window.h"

#define KEY_TIMEOUT_MS 10000

static char *xdotool;

/* Gives @window the X input focus and types @keys (xdotool key names, such as "ctrl+v"). */
static void
send_keys (GtkWindow  *window,
           const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));
  g_auto(GStrv) key_list = g_strsplit (keys, " ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  /* One xdotool run: the focus request reaches the server before the key events. */
  g_strv_builder_add_many (builder, xdotool, "windowfocus", xid, "key", "--clearmodifiers",
                           "--delay", "15", NULL);
  g_strv_builder_addv (builder, (const char **) key_list);
  argv = g_strv_builder_end (builder);

  g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("xdotool %s: %s (%s)", keys, error->message, err);
}

static GtkWidget *
focus_of (GtkWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
focus_within (GtkWindow *window,
              GtkWidget *target)
{
  GtkWidget *focus = focus_of (window);

  return focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target));
}

/* Presses Tab until the focus is on or inside @target, as a keyboard user would. */
static void
tab_to (GtkWindow  *window,
        GtkWidget  *target,
        const char *what)
{
  for (guint i = 0; i < 80; i++)
    {
      GtkWidget *before = focus_of (window);

      if (focus_within (window, target))
        {
          g_test_message ("%s reached with %u presses of Tab", what, i);
          return;
        }

      send_keys (window, "Tab");
      inp_test_wait_until (focus_of (window) != before, KEY_TIMEOUT_MS);
    }

  g_error ("Tab never reached %s", what);
}

typedef gboolean (*WidgetMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

static GtkWidget *
find_widget (GtkWidget     *widget,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_text_view (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_TEXT_VIEW (widget);
}

/* A mapped item of a menu, found by its text: GTK 4.8's menu items do not expose their action. */
static gboolean
is_menu_item (GtkWidget     *widget,
              gconstpointer  text)
{
  g_autofree char *item_text = NULL;

  if (!g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton")
      || !gtk_widget_get_mapped (widget))
    return FALSE;

  g_object_get (widget, "text", &item_text, NULL);
  return g_strcmp0 (item_text, text) == 0;
}

/* Whether a result other than @output is selected. */
static gboolean
selected_other (InpGallery       *gallery,
                InpLibraryOutput *output)
{
  g_autoptr(InpLibraryOutput) selected = inp_gallery_get_selected (gallery);

  return selected != NULL && selected != output;
}

static gboolean
prompt_is (InpWindow  *window,
           const char *text)
{
  g_autofree char *prompt = inp_prompt_panel_dup_prompt (inp_window_get_prompt_panel (window));

  return g_strcmp0 (prompt, text) == 0;
}

static double
coverage (InpMaskCanvas *canvas)
{
  return inp_mask_get_coverage (inp_mask_canvas_get_mask (canvas));
}

static void
test_keyboard_flow (InpApplication *app)
{
  InpWindow *window = INP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GtkWindow *gtk_window = GTK_WINDOW (window);
  InpMaskCanvas *canvas = inp_window_get_canvas (window);
  InpModelPicker *picker = inp_window_get_model_picker (window);
  InpGallery *gallery = inp_window_get_gallery (window);
  GListModel *results = inp_gallery_get_model (gallery);
  GListModel *jobs = G_LIST_MODEL (inp_window_get_job_queue (window));
  InpModel *fill = inp_catalog_lookup (inp_catalog_get_default (),
                                       "black-forest-labs/flux-fill-dev");
  g_autoptr(GdkPixbuf) pixels = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
  g_autoptr(GdkTexture) picture = NULL;
  g_autoptr(InpLibraryOutput) before = NULL;
  g_autoptr(InpLibraryOutput) moved = NULL;
  GtkWidget *prompt_view;
  GtkWidget *save_item;
  GtkWindow *viewer;
  double painted;

  inp_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.use-sandbox", NULL));

  /* Open: Ctrl+V pastes the picture on the clipboard (the open dialog belongs to the desktop). */
  gdk_pixbuf_fill (pixels, 0x4477aaff);
  picture = gdk_texture_new_for_pixbuf (pixels);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (window)), picture);
  send_keys (gtk_window, "ctrl+v");
  inp_test_wait_until (inp_mask_canvas_get_image (canvas) != NULL, KEY_TIMEOUT_MS);
  inp_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (inp_mask_canvas_is_mask_empty (canvas));

  /* Paint: Tab to the canvas, pick the brush, make it bigger, put it down with Return, move it
   * with the arrows (Shift for long steps) and lift it. One stroke, one undo step. */
  tab_to (gtk_window, GTK_WIDGET (canvas), "the canvas");
  send_keys (gtk_window, "e b bracketright bracketright");
  inp_test_wait_until (inp_mask_canvas_get_tool (canvas) == INP_CANVAS_TOOL_BRUSH
                       && inp_mask_canvas_get_brush_size (canvas) > 64, KEY_TIMEOUT_MS);
  send_keys (gtk_window, "Return Right Right Right shift+Down shift+Right Return");
  inp_test_wait_until (!inp_mask_canvas_is_mask_empty (canvas)
                       && strstr (_inp_mask_canvas_get_a11y_description (canvas), "repainted"),
                       KEY_TIMEOUT_MS);
  painted = coverage (canvas);
  g_assert_cmpfloat (painted, >, 0.01);
  g_assert_cmpuint (inp_mask_get_n_undo_steps (inp_mask_canvas_get_mask (canvas)), ==, 1);

  /* The eraser takes some of it away again; Tab, with the eraser still down, lifts it as the
   * focus leaves. Ctrl+Z, back on the canvas (Shift+Tab), brings the stroke back. */
  send_keys (gtk_window, "e Return Left Left");
  inp_test_wait_until (inp_mask_in_stroke (inp_mask_canvas_get_mask (canvas)), KEY_TIMEOUT_MS);
  send_keys (gtk_window, "Tab");
  inp_test_wait_until (!inp_mask_in_stroke (inp_mask_canvas_get_mask (canvas)), KEY_TIMEOUT_MS);
  g_assert_cmpfloat (coverage (canvas), <, painted);
  send_keys (gtk_window, "shift+Tab");
  inp_test_wait_until (focus_of (gtk_window) == GTK_WIDGET (canvas), KEY_TIMEOUT_MS);
  send_keys (gtk_window, "ctrl+z");
  inp_test_wait_until (coverage (canvas) == painted, KEY_TIMEOUT_MS);
  send_keys (gtk_window, "b");
  inp_test_wait_until (inp_mask_canvas_get_tool (canvas) == INP_CANVAS_TOOL_BRUSH,
                       KEY_TIMEOUT_MS);

  /* Choose a model: Tab to the picker, open it, type a few words, Return takes the first. */
  tab_to (gtk_window, GTK_WIDGET (picker), "the model picker");
  send_keys (gtk_window, "space");
  inp_test_wait_until (gtk_widget_get_mapped (inp_model_picker_get_popover (picker)),
                       KEY_TIMEOUT_MS);
  inp_test_wait_until (focus_within (gtk_window, inp_model_picker_get_search_entry (picker)),
                       KEY_TIMEOUT_MS);
  send_keys (gtk_window, "f l u x minus f i l l minus d e v Return");
  inp_test_wait_until (inp_model_picker_get_selected_model (picker) == fill, KEY_TIMEOUT_MS);
  inp_test_wait_until (!gtk_widget_get_mapped (inp_model_picker_get_popover (picker)),
                       KEY_TIMEOUT_MS);

  /* Set a field: Tab to the prompt and type it. */
  prompt_view = find_widget (GTK_WIDGET (inp_window_get_prompt_panel (window)), is_text_view,
                             NULL);
  g_assert_nonnull (prompt_view);
  tab_to (gtk_window, prompt_view, "the prompt");
  send_keys (gtk_window, "f o x");
  inp_test_wait_until (prompt_is (window, "fox"), KEY_TIMEOUT_MS);

  /* Generate with Ctrl+Return, twice, so that there are results to move between. */
  send_keys (gtk_window, "ctrl+Return");
  inp_test_wait_until (g_list_model_get_n_items (jobs) == 1, KEY_TIMEOUT_MS);
  inp_test_wait_until (g_list_model_get_n_items (results) >= 1, 60000);
  send_keys (gtk_window, "ctrl+Return");
  inp_test_wait_until (g_list_model_get_n_items (jobs) == 2, KEY_TIMEOUT_MS);
  inp_test_wait_until (g_list_model_get_n_items (results) >= 2, 60000);

  /* Browse: Tab into the gallery, and the arrows move the selection between results. */
  tab_to (gtk_window, GTK_WIDGET (inp_gallery_get_grid_view (gallery)), "the gallery");
  before = inp_gallery_get_selected (gallery);
  send_keys (gtk_window, "Right");
  inp_test_wait_until (selected_other (gallery, before), KEY_TIMEOUT_MS);
  moved = inp_gallery_get_selected (gallery);
  send_keys (gtk_window, "Left");
  inp_test_wait_until (selected_other (gallery, moved), KEY_TIMEOUT_MS);

  /* Open the result with Return; Escape closes its window. */
  send_keys (gtk_window, "Return");
  inp_test_wait_until ((viewer = inp_test_find_toplevel (INP_TYPE_RESULT_VIEWER)) != NULL,
                       KEY_TIMEOUT_MS);
  inp_test_wait_for_frame (GTK_WIDGET (viewer));
  send_keys (viewer, "Escape");
  inp_test_wait_until (inp_test_find_toplevel (INP_TYPE_RESULT_VIEWER) == NULL, KEY_TIMEOUT_MS);

  /* Save: the result's menu (Shift+F10) offers Save As, enabled; the file chooser that it
   * opens belongs to the desktop, so the test stops there. */
  tab_to (gtk_window, GTK_WIDGET (inp_gallery_get_grid_view (gallery)), "the gallery again");
  send_keys (gtk_window, "shift+F10");
  inp_test_wait_until ((save_item = find_widget (GTK_WIDGET (gallery), is_menu_item,
                                                "Save As…")) != NULL, KEY_TIMEOUT_MS);
  g_assert_true (gtk_widget_is_sensitive (save_item));
  send_keys (gtk_window, "Escape");
  inp_test_wait_until (find_widget (GTK_WIDGET (gallery), is_menu_item, "Save As…") == NULL,
                       KEY_TIMEOUT_MS);

  inp_test_destroy_and_finalize (window);
}

/* Shortcuts window */

/* Keys that GTK's own key bindings would not show: those the canvas and the result window
 * handle in their key handlers. */
static const char * const handled_in_code[] = {
  /* The canvas: the keyboard's brush, Return puts it down and lifts it, Space pans. */
  "Left", "Right", "Up", "Down",
  "<Shift>Left", "<Shift>Right", "<Shift>Up", "<Shift>Down",
  "Return", "Escape", "space",
  /* The result window: the whole input while held. */
  "b",
};

/* Second keys for one action, made for the keypad, a keyboard layout or habit, and arrows that
 * act alike: the shortcuts window shows the first key only, which keeps its columns narrow (a
 * shortcut with two accelerators makes GTK 4.8 warn about a negative width). */
static const struct
{
  const char *alias;
  const char *shown;
} aliases[] = {
  { "KP_Enter", "Return" },
  { "<Control>KP_Enter", "<Control>Return" },
  { "KP_Add", "plus" },
  { "equal", "plus" },
  { "KP_Subtract", "minus" },
  { "KP_Delete", "Delete" },
  { "<Shift>KP_Delete", "<Shift>Delete" },
  { "BackSpace", "Delete" },
  { "Menu", "<Shift>F10" },
  { "<Control>y", "<Control><Shift>z" },
  { "<Control>1", "1" },
  { "Right", "Left" },
  { "Up", "Left" },
  { "Down", "Left" },
  { "<Shift>Right", "<Shift>Left" },
  { "<Shift>Up", "<Shift>Left" },
  { "<Shift>Down", "<Shift>Left" },
  { "<Control><Shift>Right", "<Control><Shift>Left" },
  { "<Control><Shift>Up", "<Control><Shift>Left" },
  { "<Control><Shift>Down", "<Control><Shift>Left" },
};

/* The canonical name of a key combination: lower case, Primary spelt Control. */
static char *
normalise (guint           keyval,
           GdkModifierType mods)
{
  g_autofree char *name = NULL;

  keyval = gdk_keyval_to_lower (keyval);
  name = gtk_accelerator_name (keyval, mods & gtk_accelerator_get_default_mod_mask ());
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      guint alias_key;
      GdkModifierType alias_mods;
      g_autofree char *alias_name = NULL;

      g_assert_true (gtk_accelerator_parse (aliases[i].alias, &alias_key, &alias_mods));
      alias_name = gtk_accelerator_name (alias_key, alias_mods);
      if (g_str_equal (name, alias_name))
        {
          g_assert_true (gtk_accelerator_parse (aliases[i].shown, &alias_key, &alias_mods));
          g_free (name);
          name = gtk_accelerator_name (alias_key, alias_mods);
          break;
        }
    }

  return g_steal_pointer (&name);
}

static void
add_accelerators (GHashTable *set,
                  const char *accelerators,
                  const char *where)
{
  g_auto(GStrv) list = g_strsplit (accelerators, " ", -1);

  for (guint i = 0; list[i] != NULL; i++)
    {
      guint keyval;
      GdkModifierType mods;

      if (*list[i] == '\0')
        continue;
      if (!gtk_accelerator_parse (list[i], &keyval, &mods))
        g_error ("%s: “%s” is not an accelerator", where, list[i]);
      /* A modifier alone ("hold Ctrl and scroll") names no key. */
      if (keyval != 0)
        g_hash_table_add (set, normalise (keyval, mods));
    }
}

static void
add_trigger (GHashTable         *set,
             GtkShortcutTrigger *trigger,
             const char         *where)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    {
      GtkKeyvalTrigger *key = GTK_KEYVAL_TRIGGER (trigger);

      g_hash_table_insert (set, normalise (gtk_keyval_trigger_get_keyval (key),
                                           gtk_keyval_trigger_get_modifiers (key)),
                           g_strdup (where));
    }
  else if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      add_trigger (set, gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)),
                   where);
      add_trigger (set, gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)),
                   where);
    }
}

/* Every key binding and shortcut controller of our own widgets under @widget. */
static void
collect_widget_shortcuts (GHashTable *set,
                          GtkWidget  *widget)
{
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Inp"))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
          GListModel *shortcuts;

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;

          shortcuts = G_LIST_MODEL (controller);

          for (guint j = 0; j < g_list_model_get_n_items (shortcuts); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, j);
              GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

              /* Ours activate named actions; the bindings inherited from GtkWindow, such as
               * focus movement, emit signals. */
              if (GTK_IS_NAMED_ACTION (action))
                add_trigger (set, gtk_shortcut_get_trigger (shortcut),
                             gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
            }
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widget_shortcuts (set, child);
}

/* What the shortcuts window shows: its accelerators, and the accelerators of its actions. */
static GHashTable *
overlay_accelerators (InpApplication *app,
                      GtkWindow      *overlay)
{
  GHashTable *shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, overlay);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
        {
          g_autofree char *accelerator = NULL;
          g_autofree char *action_name = NULL;

          g_object_get (widget, "accelerator", &accelerator, "action-name", &action_name, NULL);
          if (accelerator != NULL)
            add_accelerators (shown, accelerator, "help-overlay.ui");
          if (action_name != NULL)
            {
              g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                            action_name);
              g_autofree char *joined = g_strjoinv (" ", accels);

              g_assert_cmpuint (g_strv_length (accels), >, 0);
              add_accelerators (shown, joined, action_name);
            }
        }

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }

  return shown;
}

static void
test_shortcuts_window (InpApplication *app)
{
  InpWindow *window = INP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  InpGallery *gallery = inp_window_get_gallery (window);
  g_autoptr(GHashTable) registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            g_free);
  g_autoptr(GHashTable) shown = NULL;
  g_auto(GStrv) actions = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  GtkWindow *overlay;
  GtkWindow *viewer;

  inp_test_wait_for_frame (GTK_WIDGET (window));

  /* A result, so that the gallery and the result window exist with all their bindings. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.use-sandbox", NULL));
  inp_window_new_canvas (window, 64, 64);
  inp_model_picker_set_selected_model (inp_window_get_model_picker (window),
                                       inp_catalog_lookup (inp_catalog_get_default (),
                                                           "cjwbw/rembg"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL));
  inp_test_wait_until (g_list_model_get_n_items (inp_gallery_get_model (gallery)) > 0, 60000);
  inp_gallery_select (gallery, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gallery), "gallery.open", NULL));
  inp_test_wait_until ((viewer = inp_test_find_toplevel (INP_TYPE_RESULT_VIEWER)) != NULL,
                       KEY_TIMEOUT_MS);

  /* What is registered: the application's accelerators, our widgets' bindings and shortcut
   * controllers, and the keys handled in code. */
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &mods));
          g_hash_table_insert (registered, normalise (keyval, mods), g_strdup (actions[i]));
        }
    }
  collect_widget_shortcuts (registered, GTK_WIDGET (window));
  collect_widget_shortcuts (registered, GTK_WIDGET (viewer));
  for (guint i = 0; i < G_N_ELEMENTS (handled_in_code); i++)
    {
      guint keyval;
      GdkModifierType mods;

      g_assert_true (gtk_accelerator_parse (handled_in_code[i], &keyval, &mods));
      g_hash_table_insert (registered, normalise (keyval, mods), g_strdup ("a key handler"));
    }
  gtk_window_destroy (viewer);

  /* The shortcuts window opens, on each of its sections, without a warning (they are fatal
   * here: GTK 4.8 warns when a badly split group has a negative width). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  inp_test_wait_until ((overlay = inp_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)) != NULL,
                       KEY_TIMEOUT_MS);
  inp_test_wait_for_frame (GTK_WIDGET (overlay));
  g_object_set (overlay, "section-name", "keyboard-painting", NULL);
  inp_test_wait_for_frame (GTK_WIDGET (overlay));
  g_object_set (overlay, "section-name", "gallery", NULL);
  inp_test_wait_for_frame (GTK_WIDGET (overlay));
  g_object_set (overlay, "section-name", "shortcuts", NULL);
  inp_test_wait_for_frame (GTK_WIDGET (overlay));

  shown = overlay_accelerators (app, overlay);
  g_hash_table_iter_init (&iter, registered);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (shown, key))
        g_string_append_printf (missing, "  %s (%s)\n", (const char *) key,
                                (const char *) value);
    }
  g_test_message ("%u key combinations registered, %u shown",
                  g_hash_table_size (registered), g_hash_table_size (shown));
  if (missing->len > 0)
    g_error ("the shortcuts window does not show:\n%s", missing->str);

  gtk_window_destroy (overlay);
  inp_test_destroy_and_finalize (window);
}

static void
run_shortcuts_window (void)
{
  inp_test_run_in_application (test_shortcuts_window);
}

static void
run_keyboard_flow (void)
{
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("real key events need an X11 display (Xvfb)");
      return;
    }
  if (xdotool == NULL)
    {
      g_test_skip ("real key events need xdotool");
      return;
    }

  inp_test_run_in_application (test_keyboard_flow);
}

int
main (int   argc,
      char *argv[])
{
  /* Results go to a fresh data folder. */
  g_autofree char *dir = inp_test_use_temp_data_dirs ();
  int status;

  xdotool = g_find_program_in_path ("xdotool");

  inp_test_ui_init (&argc, &argv);
  inp_test_ui_add_func ("/ui/keyboard/flow", run_keyboard_flow);
  inp_test_ui_add_func ("/ui/keyboard/shortcuts-window", run_shortcuts_window);

  status = g_test_run ();
  inp_test_remove_tree (dir);
  g_free (xdotool);

  return status;
}
