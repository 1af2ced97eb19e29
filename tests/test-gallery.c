/* test-gallery.c: the gallery over a real library, under a real display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "inp-compare-view.h"
#include "inp-frame-animation.h"
#include "inp-gallery-item.h"
#include "inp-gallery.h"
#include "inp-image.h"
#include "inp-library-gallery.h"
#include "inp-library.h"
#include "inp-catalog.h"
#include "inp-result-viewer.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

#define RED   0xff0000ffu
#define BLUE  0x0000ffffu
#define GREEN 0x00ff00ffu

typedef struct
{
  char       *dir;
  InpLibrary *library;
  gint64      fox;         /* two PNG outputs, 256×192, and an input image */
  gint64      lighthouse;  /* one WebP output, 300×200, with a provenance sidecar */
  gint64      animation;   /* one animated GIF */
  gint64      cutout;      /* one PNG with alpha, as background removal makes */
  InpGallery *gallery;
  GtkWindow  *window;
} Fixture;

static GdkPixbuf *
solid (int      width,
       int      height,
       gboolean alpha,
       guint32  rgba)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);

  gdk_pixbuf_fill (pixbuf, rgba);
  return pixbuf;
}

static GBytes *
encode (GdkPixbuf  *pixbuf,
        const char *format)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = inp_image_encode (pixbuf, format, 90, &error);

  g_assert_no_error (error);
  return bytes;
}

static gint64
create_job (InpLibrary *library,
            const char *model,
            const char *prompt)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"prompt\": \"%s\"}", prompt);
  g_autoptr(JsonNode) inputs = json_from_string (json, NULL);
  gint64 job_id;

  job_id = inp_library_create_job (library, model, "v1", "https://api.example.com/v1", prompt,
                                   inputs, &error);
  g_assert_no_error (error);
  return job_id;
}

static void
store (InpLibrary *library,
       gint64      job_id,
       guint       index,
       const char *media_type,
       GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(InpProvenance) provenance = inp_provenance_new ("owner/model", "v1", NULL);
  g_autoptr(InpLibraryOutput) output = NULL;

  output = inp_library_store_output (library, job_id, index, media_type, stream, provenance,
                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (output);
}

static void
fill_library (Fixture *fixture)
{
  g_autoptr(GdkPixbuf) red = solid (256, 192, FALSE, RED);
  g_autoptr(GdkPixbuf) blue = solid (256, 192, FALSE, BLUE);
  g_autoptr(GdkPixbuf) green = solid (300, 200, FALSE, GREEN);
  g_autoptr(GdkPixbuf) cutout = solid (200, 200, TRUE, 0x00000000);
  g_autoptr(GdkPixbuf) opaque = solid (100, 100, TRUE, BLUE);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) red_png = NULL;
  g_autoptr(GBytes) blue_png = NULL;
  g_autoptr(GBytes) green_webp = NULL;
  g_autoptr(GBytes) gif = NULL;
  g_autoptr(GBytes) cutout_png = NULL;
  g_autoptr(GError) error = NULL;

  red_png = encode (red, "png");
  blue_png = encode (blue, "png");
  green_webp = encode (green, "webp");
  g_ptr_array_add (frames, solid (64, 64, FALSE, RED));
  g_ptr_array_add (frames, solid (64, 64, FALSE, GREEN));
  g_ptr_array_add (frames, solid (64, 64, FALSE, BLUE));
  gif = inp_image_encode_gif (frames, 10);
  gdk_pixbuf_copy_area (opaque, 0, 0, 100, 100, cutout, 50, 50);
  cutout_png = encode (cutout, "png");

  fixture->fox = create_job (fixture->library, "stability-ai/sdxl-inpainting", "a red fox");
  g_assert_true (inp_library_store_inputs (fixture->library, fixture->fox, red_png, NULL, NULL,
                                           &error));
  g_assert_no_error (error);
  store (fixture->library, fixture->fox, 0, "image/png", blue_png);
  store (fixture->library, fixture->fox, 1, "image/png", blue_png);

  fixture->lighthouse = create_job (fixture->library, "black-forest-labs/flux-fill-pro",
                                    "an old lighthouse");
  store (fixture->library, fixture->lighthouse, 0, "image/webp", green_webp);

  fixture->animation = create_job (fixture->library, "andreasjansson/stable-diffusion-animation",
                                   "a koi pond");
  store (fixture->library, fixture->animation, 0, "image/gif", gif);

  fixture->cutout = create_job (fixture->library, "cjwbw/rembg", "");
  store (fixture->library, fixture->cutout, 0, "image/png", cutout_png);
}

static GThread *main_thread;
static GMutex decode_lock;
static guint n_decodes;
static guint n_decodes_on_main;

static void
record_decode (GFile    *file,
               gpointer  user_data)
{
  g_mutex_lock (&decode_lock);
  n_decodes++;
  if (g_thread_self () == main_thread)
    n_decodes_on_main++;
  g_mutex_unlock (&decode_lock);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = inp_test_make_temp_dir ();
  path = g_build_filename (fixture->dir, "library.db", NULL);
  fixture->library = inp_library_new (path, &error);
  g_assert_no_error (error);
  if (data == NULL)
    fill_library (fixture);

  main_thread = g_thread_self ();
  n_decodes = n_decodes_on_main = 0;

  fixture->gallery = g_object_ref_sink (inp_gallery_new (fixture->library));
  inp_thumbnail_loader_set_decode_func (inp_gallery_get_thumbnail_loader (fixture->gallery),
                                        record_decode, NULL);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 700);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->gallery));
  gtk_window_present (fixture->window);
  inp_test_wait_for_frame (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  inp_test_destroy_toplevels ();
  g_assert_finalize_object (fixture->gallery);
  g_assert_finalize_object (fixture->library);
  inp_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
collect_items (GtkWidget *widget,
               GPtrArray *items)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (INP_IS_GALLERY_ITEM (child))
        g_ptr_array_add (items, child);
      else
        collect_items (child, items);
    }
}

static GPtrArray *
visible_items (Fixture *fixture)
{
  GPtrArray *items = g_ptr_array_new ();

  collect_items (GTK_WIDGET (inp_gallery_get_grid_view (fixture->gallery)), items);
  return items;
}

static const char *
caption_of (InpGalleryItem *item)
{
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (item),
                                                                INP_TYPE_GALLERY_ITEM,
                                                                "caption"));

  return gtk_label_get_label (GTK_LABEL (label));
}

static InpGalleryItem *
find_item (Fixture *fixture,
           gint64   job_id,
           guint    index)
{
  g_autoptr(GPtrArray) items = visible_items (fixture);

  for (guint i = 0; i < items->len; i++)
    {
      InpGalleryItem *item = g_ptr_array_index (items, i);
      InpLibraryOutput *output = inp_gallery_item_get_item (item);

      if (output != NULL && inp_library_output_get_job_id (output) == job_id &&
          inp_library_output_get_index (output) == index)
        return item;
    }

  g_assert_not_reached ();
}

static gboolean
all_loaded (Fixture *fixture)
{
  g_autoptr(GPtrArray) items = visible_items (fixture);
  guint n_loaded = 0;

  for (guint i = 0; i < items->len; i++)
    if (inp_gallery_item_get_loaded (g_ptr_array_index (items, i)))
      n_loaded++;

  return n_loaded == 5;
}

static void
wait_for_thumbnails (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!all_loaded (fixture))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static guint
position_of (Fixture *fixture,
             gint64   job_id,
             guint    index)
{
  GListModel *model = inp_gallery_get_model (fixture->gallery);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(InpLibraryOutput) output = g_list_model_get_item (model, i);

      if (inp_library_output_get_job_id (output) == job_id &&
          inp_library_output_get_index (output) == index)
        return i;
    }

  g_assert_not_reached ();
}

static InpLibraryOutput *
output_of (Fixture *fixture,
           gint64   job_id,
           guint    index)
{
  return g_list_model_get_item (inp_gallery_get_model (fixture->gallery),
                                position_of (fixture, job_id, index));
}

/* Waits until @animation shows another frame, failing the test after five seconds. */
static void
wait_for_next_frame (InpFrameAnimation *animation)
{
  guint first = inp_frame_animation_get_current (animation);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (inp_frame_animation_get_current (animation) == first)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_gallery_thumbnails (Fixture       *fixture,
                         gconstpointer  data)
{
  GListModel *model = inp_gallery_get_model (fixture->gallery);
  const gint64 newest_first[] = { fixture->cutout, fixture->animation, fixture->lighthouse,
                                  fixture->fox, fixture->fox };
  GdkPaintable *paintable;
  GtkWidget *stack;

  stack = gtk_widget_get_ancestor (GTK_WIDGET (inp_gallery_get_grid_view (fixture->gallery)),
                                   GTK_TYPE_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "results");

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (newest_first); i++)
    {
      g_autoptr(InpLibraryOutput) output = g_list_model_get_item (model, i);

      g_assert_cmpint (inp_library_output_get_job_id (output), ==, newest_first[i]);
    }

  wait_for_thumbnails (fixture);

  /* Decoded in worker threads, at the display size rather than in full. */
  g_mutex_lock (&decode_lock);
  g_assert_cmpuint (n_decodes, >=, 5);
  g_assert_cmpuint (n_decodes_on_main, ==, 0);
  g_mutex_unlock (&decode_lock);

  paintable = inp_gallery_item_get_paintable (find_item (fixture, fixture->fox, 0));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, INP_GALLERY_ITEM_SIZE);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 120);

  paintable = inp_gallery_item_get_paintable (find_item (fixture, fixture->lighthouse, 0));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, INP_GALLERY_ITEM_SIZE);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 107);

  /* The GIF plays in place: every frame is there, and frames advance while it is shown. */
  paintable = inp_gallery_item_get_paintable (find_item (fixture, fixture->animation, 0));
  g_assert_true (INP_IS_FRAME_ANIMATION (paintable));
  g_assert_cmpuint (inp_frame_animation_get_n_frames (INP_FRAME_ANIMATION (paintable)), ==, 3);
  wait_for_next_frame (INP_FRAME_ANIMATION (paintable));

  /* The newest output of each job starts its group; the fox's older output does not. */
  g_assert_true (inp_gallery_item_get_job_start (find_item (fixture, fixture->fox, 1)));
  g_assert_false (inp_gallery_item_get_job_start (find_item (fixture, fixture->fox, 0)));
  g_assert_true (inp_gallery_item_get_job_start (find_item (fixture, fixture->lighthouse, 0)));

  /* Captions name a catalogue model by its title, and any other by its id. */
  g_assert_cmpstr (caption_of (find_item (fixture, fixture->lighthouse, 0)), ==, "FLUX Fill Pro");
  g_assert_cmpstr (caption_of (find_item (fixture, fixture->cutout, 0)), ==,
                   "Background Removal");
  g_assert_cmpstr (caption_of (find_item (fixture, fixture->fox, 1)), ==,
                   "stability-ai/sdxl-inpainting · 2");
}

static void
test_gallery_drag (Fixture       *fixture,
                   gconstpointer  data)
{
  InpGalleryItem *item;
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GdkContentFormats) formats = NULL;
  GtkDragSource *source = NULL;
  GValue value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  GSList *files;

  wait_for_thumbnails (fixture);
  item = find_item (fixture, fixture->fox, 0);
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (item));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DRAG_SOURCE (controller))
        source = GTK_DRAG_SOURCE (controller);
    }
  g_assert_nonnull (source);

  /* What a drag offers: the file itself (with its provenance) and the pixels. */
  g_signal_emit_by_name (source, "prepare", 10.0, 10.0, &provider);
  g_assert_nonnull (provider);
  formats = gdk_content_provider_ref_formats (provider);
  g_assert_true (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST));
  g_assert_true (gdk_content_formats_contain_gtype (formats, G_TYPE_FILE));
  g_assert_true (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE));

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_assert_true (gdk_content_provider_get_value (provider, &value, &error));
  g_assert_no_error (error);
  files = gdk_file_list_get_files (g_value_get_boxed (&value));
  g_assert_cmpuint (g_slist_length (files), ==, 1);
  g_assert_true (g_file_equal (files->data,
                               inp_library_output_get_file (inp_gallery_item_get_item (item))));
  g_slist_free (files);
  g_value_unset (&value);
}

static void
test_gallery_video (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\0\0\0\x18" "ftypmp42", 12);
  g_autoptr(GPtrArray) items = NULL;
  GdkPaintable *paintable = NULL;
  gint64 job_id;

  job_id = create_job (fixture->library, "owner/video-model", "a short film");
  store (fixture->library, job_id, 0, "video/mp4", bytes);
  inp_test_wait_for_frame (GTK_WIDGET (fixture->window));

  /* Videos play in place, muted and looping, without a thumbnail decode. */
  items = visible_items (fixture);
  for (guint i = 0; i < items->len; i++)
    {
      InpLibraryOutput *output = inp_gallery_item_get_item (g_ptr_array_index (items, i));

      if (output != NULL && inp_library_output_get_job_id (output) == job_id)
        paintable = inp_gallery_item_get_paintable (g_ptr_array_index (items, i));
    }
  g_assert_true (GTK_IS_MEDIA_STREAM (paintable));
  g_assert_true (gtk_media_stream_get_loop (GTK_MEDIA_STREAM (paintable)));
  g_assert_true (gtk_media_stream_get_muted (GTK_MEDIA_STREAM (paintable)));
}

static void
test_gallery_empty (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *stack;
  GtkWidget *grid;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GdkPixbuf) blue = solid (32, 32, FALSE, BLUE);
  gint64 job_id;

  stack = gtk_widget_get_ancestor (GTK_WIDGET (inp_gallery_get_grid_view (fixture->gallery)),
                                   GTK_TYPE_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  grid = GTK_WIDGET (inp_gallery_get_grid_view (fixture->gallery));
  g_assert_false (gtk_widget_get_mapped (grid));

  /* A result stored while the gallery is shown appears at once. */
  png = encode (blue, "png");
  job_id = create_job (fixture->library, "owner/model", "a first result");
  store (fixture->library, job_id, 0, "image/png", png);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "results");
  g_assert_cmpuint (g_list_model_get_n_items (inp_gallery_get_model (fixture->gallery)), ==, 1);
  inp_test_wait_for_frame (GTK_WIDGET (fixture->window));
  g_assert_true (inp_gallery_item_get_job_start (find_item (fixture, job_id, 0)));

  /* A second output of the same job now starts the group, above the first. */
  store (fixture->library, job_id, 1, "image/png", png);
  inp_test_wait_for_frame (GTK_WIDGET (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (inp_gallery_item_get_job_start (find_item (fixture, job_id, 1)));
  g_assert_false (inp_gallery_item_get_job_start (find_item (fixture, job_id, 0)));
}

static void
clipboard_changed_cb (GdkClipboard *clipboard,
                      gboolean     *changed)
{
  *changed = TRUE;
}

static void
read_texture_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GdkTexture **texture = user_data;
  g_autoptr(GError) error = NULL;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static void
test_gallery_copy (Fixture       *fixture,
                   gconstpointer  data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->gallery));
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  gboolean changed = FALSE;
  gulong handler;

  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->fox, 0));
  handler = g_signal_connect (clipboard, "changed", G_CALLBACK (clipboard_changed_cb), &changed);
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.copy", NULL);
  inp_test_wait_for (&changed, 10000);
  g_signal_handler_disconnect (clipboard, handler);

  gdk_clipboard_read_texture_async (clipboard, NULL, read_texture_cb, &texture);
  while (texture == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Full size, not the thumbnail. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 256);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 192);
  pixels = g_malloc (256 * 192 * 4);
  gdk_texture_download (texture, pixels, 256 * 4);
  /* Cairo's ARGB32 in memory order on little-endian machines: B, G, R, A. */
  g_assert_cmpuint (pixels[0], ==, 0xff);
  g_assert_cmpuint (pixels[1], ==, 0x00);
  g_assert_cmpuint (pixels[2], ==, 0x00);
  g_assert_cmpuint (pixels[3], ==, 0xff);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  if (!inp_gallery_save_output_finish (INP_GALLERY (object), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, 0, "ok");
}

static GError *
save (Fixture          *fixture,
      InpLibraryOutput *output,
      const char       *path)
{
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  GError *error = NULL;

  inp_gallery_save_output_async (fixture->gallery, output, destination, NULL, save_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (g_error_matches (error, G_IO_ERROR, 0) && g_str_equal (error->message, "ok"))
    g_clear_error (&error);
  return error;
}

static void
assert_same_contents (const char *a,
                      const char *b)
{
  g_autofree char *contents_a = NULL;
  g_autofree char *contents_b = NULL;
  gsize length_a, length_b;

  g_assert_true (g_file_get_contents (a, &contents_a, &length_a, NULL));
  g_assert_true (g_file_get_contents (b, &contents_b, &length_b, NULL));
  g_assert_cmpmem (contents_a, length_a, contents_b, length_b);
}

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  return inp_test_find_label (widget, text) != NULL;
}

/* Whether a toast with @title is on show. */
static gboolean
toast_shown (Fixture    *fixture,
             const char *title)
{
  return find_label (GTK_WIDGET (fixture->gallery), title);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
save_with_chooser (Fixture    *fixture,
                   const char *folder,
                   const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *suggested = NULL;
  GtkWindow *dialog;
  gboolean saved = FALSE;
  gint64 deadline;

  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.save-as", NULL);
  dialog = inp_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == fixture->window);
  suggested = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));
  g_assert_true (g_str_has_prefix (suggested, "inpainter-"));

  /* Typed as a whole path, as users may; the chooser resolves it asynchronously. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GFile) chosen = NULL;

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), path);
      inp_test_wait_for_frame (GTK_WIDGET (dialog));
      chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (chosen != NULL && g_strcmp0 (g_file_peek_path (chosen), path) == 0)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("the chooser shows %s, not %s",
                 chosen != NULL ? g_file_peek_path (chosen) : "nothing", path);
    }
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  while (!saved)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
      saved = toast_shown (fixture, "Result saved");
    }
}
G_GNUC_END_IGNORE_DEPRECATIONS

static void
test_gallery_save_as (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(InpLibraryOutput) output = output_of (fixture, fixture->lighthouse, 0);
  g_autofree char *source = g_file_get_path (inp_library_output_get_file (output));
  g_autofree char *source_sidecar = inp_provenance_sidecar_path (source);
  g_autofree char *path = g_build_filename (fixture->dir, "saved lighthouse.webp", NULL);
  g_autofree char *sidecar = inp_provenance_sidecar_path (path);
  g_autofree char *bad_path = g_build_filename (fixture->dir, "missing", "x.webp", NULL);
  g_autoptr(InpProvenance) provenance = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;

  g_assert_true (g_file_test (source_sidecar, G_FILE_TEST_EXISTS));

  error = save (fixture, output, path);
  g_assert_no_error (error);
  assert_same_contents (source, path);
  assert_same_contents (source_sidecar, sidecar);
  provenance = inp_provenance_read_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (provenance->model, ==, "owner/model");

  /* Saving again replaces, as the chooser has asked the user. */
  error = save (fixture, output, path);
  g_assert_no_error (error);

  /* Where only the picture may be written, as through the document portal, it is saved and the
   * message says that its settings file is not. */
  g_assert_true (g_remove (sidecar) == 0);
  g_assert_true (g_mkdir (sidecar, 0700) == 0);
  g_assert_true (g_remove (path) == 0);
  error = save (fixture, output, path);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "was saved, but not the settings file"));
  assert_same_contents (source, path);
  g_clear_error (&error);
  g_assert_true (g_rmdir (sidecar) == 0);

  /* A folder that does not exist: a clear message naming the file, and nothing written. */
  error = save (fixture, output, bad_path);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "x.webp"));
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));

  /* Dismissing the chooser saves nothing, and the action can open it again. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->fox, 0));
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.save-as", NULL);
  dialog = inp_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (dialog);
  inp_test_wait_for_frame (GTK_WIDGET (dialog));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  while (inp_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (toast_shown (fixture, "Result saved"));

  /* The action's chooser, answered as a user would: its response saves through the same call. */
  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->fox, 0));
  save_with_chooser (fixture, fixture->dir, "chosen.png");
  {
    g_autoptr(InpLibraryOutput) fox = output_of (fixture, fixture->fox, 0);
    g_autofree char *fox_path = g_file_get_path (inp_library_output_get_file (fox));
    g_autofree char *chosen = g_build_filename (fixture->dir, "chosen.png", NULL);

    assert_same_contents (fox_path, chosen);
  }
}

static void
click_undo (GtkWidget *overlay)
{
  /* The toast's own button, pressed as a user would. */
  GtkWidget *undo = inp_test_find_button (overlay, "_Undo");

  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
}

static char *
trashed_path (Fixture          *fixture,
              InpLibraryOutput *output)
{
  GFile *files = inp_library_get_files_dir (fixture->library);
  g_autofree char *relative = g_file_get_relative_path (files, inp_library_output_get_file (output));

  return g_build_filename (g_file_peek_path (files), ".trash", "outputs", relative, NULL);
}

/* Whether the gallery binds @keyval with @modifiers to @action. */
static gboolean
has_shortcut (GtkWidget       *widget,
              guint            keyval,
              GdkModifierType  modifiers,
              const char      *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  /* The class's key bindings live in a shortcut controller of the widget. */
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) && GTK_IS_NAMED_ACTION (named) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)),
                         action) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

/* Delete removes one result of a batch; the other stays, and undo puts it back where it was. */
static void
test_gallery_delete_result (Fixture       *fixture,
                            gconstpointer  data)
{
  GListModel *model = inp_gallery_get_model (fixture->gallery);
  g_autoptr(InpLibraryOutput) deleted = output_of (fixture, fixture->fox, 1);
  g_autoptr(InpLibraryOutput) kept = output_of (fixture, fixture->fox, 0);
  g_autoptr(InpLibraryJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deleted_path = g_file_get_path (inp_library_output_get_file (deleted));
  g_autofree char *trashed = trashed_path (fixture, deleted);
  guint position = position_of (fixture, fixture->fox, 1);

  g_assert_true (has_shortcut (GTK_WIDGET (fixture->gallery), GDK_KEY_Delete, 0,
                               "gallery.delete"));
  inp_gallery_select (fixture->gallery, position);
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.delete", NULL);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(InpLibraryOutput) other = g_list_model_get_item (model, i);

      g_assert_cmpint (inp_library_output_get_id (other), !=, inp_library_output_get_id (deleted));
    }
  g_assert_cmpuint (position_of (fixture, fixture->fox, 0), ==, position);
  g_assert_false (g_file_test (deleted_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (trashed, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_query_exists (inp_library_output_get_file (kept), NULL));
  job = inp_library_get_job (fixture->library, fixture->fox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 1);
  g_assert_true (toast_shown (fixture, "Result deleted"));
  inp_test_wait_for_frame (GTK_WIDGET (fixture->window));

  /* Undo, pressed on the toast. */
  click_undo (GTK_WIDGET (fixture->gallery));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  g_assert_cmpuint (position_of (fixture, fixture->fox, 1), ==, position);
  g_assert_cmpuint (position_of (fixture, fixture->fox, 0), ==, position + 1);
  g_assert_true (g_file_test (deleted_path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (trashed, G_FILE_TEST_EXISTS));
  g_clear_object (&job);
  job = inp_library_get_job (fixture->library, fixture->fox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 2);
  g_assert_cmpuint (inp_library_job_get_n_deleted_outputs (job), ==, 0);
}

/* Delete Job (Shift+Delete) still takes the whole job, with its own undo. */
static void
test_gallery_delete_job (Fixture       *fixture,
                         gconstpointer  data)
{
  GListModel *model = inp_gallery_get_model (fixture->gallery);
  g_autoptr(InpLibraryOutput) output = output_of (fixture, fixture->fox, 1);
  g_autoptr(GFile) file = g_object_ref (inp_library_output_get_file (output));
  g_autoptr(GError) error = NULL;
  g_autoptr(InpLibraryJob) job = NULL;

  g_assert_true (has_shortcut (GTK_WIDGET (fixture->gallery), GDK_KEY_Delete, GDK_SHIFT_MASK,
                               "gallery.delete-job"));
  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->fox, 1));
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.delete-job", NULL);

  /* The whole job goes: both of its outputs, and its files. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(InpLibraryOutput) other = g_list_model_get_item (model, i);

      g_assert_cmpint (inp_library_output_get_job_id (other), !=, fixture->fox);
    }
  g_assert_false (g_file_query_exists (file, NULL));
  g_assert_true (toast_shown (fixture, "Job with 2 results deleted"));
  inp_test_wait_for_frame (GTK_WIDGET (fixture->window));

  click_undo (GTK_WIDGET (fixture->gallery));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  g_assert_true (g_file_query_exists (file, NULL));
  job = inp_library_get_job (fixture->library, fixture->fox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inp_library_job_get_n_outputs (job), ==, 2);
}

/* Inside the window's toast overlay, the toasts go there, and their undo still works. */
static void
test_gallery_delete_outer_toast (Fixture       *fixture,
                                 gconstpointer  data)
{
  GListModel *model = inp_gallery_get_model (fixture->gallery);
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  g_autoptr(InpLibraryOutput) deleted = output_of (fixture, fixture->lighthouse, 0);
  g_autofree char *path = g_file_get_path (inp_library_output_get_file (deleted));
  g_autofree char *sidecar = inp_provenance_sidecar_path (path);
  g_autofree char *trashed = trashed_path (fixture, deleted);
  g_autofree char *trashed_sidecar = inp_provenance_sidecar_path (trashed);

  gtk_window_set_child (fixture->window, NULL);
  adw_toast_overlay_set_child (overlay, GTK_WIDGET (fixture->gallery));
  gtk_window_set_child (fixture->window, GTK_WIDGET (overlay));
  inp_test_wait_for_frame (GTK_WIDGET (fixture->window));

  /* The WebP result's provenance sidecar goes to the trash with it. */
  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->lighthouse, 0));
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.delete", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (trashed_sidecar, G_FILE_TEST_IS_REGULAR));
  g_assert_false (toast_shown (fixture, "Result deleted"));
  g_assert_true (find_label (GTK_WIDGET (overlay), "Result deleted"));
  inp_test_wait_for_frame (GTK_WIDGET (fixture->window));

  click_undo (GTK_WIDGET (overlay));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (sidecar, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (trashed, G_FILE_TEST_EXISTS));
}

static void
file_cb (InpGallery *gallery,
         GFile      *file,
         GFile     **out)
{
  g_set_object (out, file);
}

static void
test_gallery_use_as (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(InpLibraryOutput) fox = output_of (fixture, fixture->fox, 0);
  g_autoptr(InpLibraryOutput) cutout = output_of (fixture, fixture->cutout, 0);
  g_autoptr(GFile) image = NULL;
  g_autoptr(GFile) mask = NULL;
  gint64 deadline;

  g_signal_connect (fixture->gallery, "use-as-image", G_CALLBACK (file_cb), &image);
  g_signal_connect (fixture->gallery, "use-as-mask", G_CALLBACK (file_cb), &mask);
  wait_for_thumbnails (fixture);

  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->fox, 0));
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.use-as-image", NULL);
  g_assert_nonnull (image);
  g_assert_true (g_file_equal (image, inp_library_output_get_file (fox)));

  /* An opaque PNG has no alpha to use as a mask. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.use-as-mask", NULL);
  g_assert_null (mask);

  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->cutout, 0));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (mask == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.use-as-mask", NULL);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (g_file_equal (mask, inp_library_output_get_file (cutout)));
}

/* Renders @widget as it is now and reads back the pixel at (@x, @y) as 0xRRGGBB. */
static guint32
pixel_at (GtkWidget *widget,
          int        x,
          int        y)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  const guchar *p;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  p = pixels + ((gsize) y * width + x) * 4;

  return ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

/* Sends a key press or release through @widget's key controller, as GTK would deliver it. */
static void
press_key (GtkWidget *widget,
           guint      keyval,
           gboolean   pressed)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      if (pressed)
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
      else
        g_signal_emit_by_name (controller, "key-released", keyval, 0, 0);
      return;
    }

  g_assert_not_reached ();
}

static void
test_gallery_menu (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *popover = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (fixture->gallery));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      popover = child;
  g_assert_nonnull (popover);

  /* The menu key opens the context menu of the result under the keyboard focus. */
  wait_for_thumbnails (fixture);
  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->lighthouse, 0));
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.menu", NULL);
  g_assert_true (gtk_widget_get_visible (popover));
  inp_test_wait_for_frame (popover);
  gtk_popover_popdown (GTK_POPOVER (popover));
  /* Let its surface go before the window does: tearing both down at once let GTK ask a gone
   * popup surface for the pointer under a loaded machine. */
  inp_test_wait_until (!gtk_widget_get_mapped (popover), 5000);
  inp_test_wait_for_frame (GTK_WIDGET (fixture->gallery));
}

static void
test_gallery_viewer_animation (Fixture       *fixture,
                               gconstpointer  data)
{
  InpResultViewer *viewer;
  GdkPaintable *paintable;

  /* A GIF opened large plays there too; it has no input, so there is nothing to compare. */
  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->animation, 0));
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.open", NULL);
  viewer = INP_RESULT_VIEWER (inp_test_find_toplevel (INP_TYPE_RESULT_VIEWER));
  g_assert_nonnull (viewer);
  g_object_ref (viewer);
  while (!inp_result_viewer_get_loaded (viewer))
    g_main_context_iteration (NULL, TRUE);

  /* Its title is the model's name, not its owner/name id. */
  g_assert_nonnull (inp_test_find_label (GTK_WIDGET (viewer), inp_catalog_get_title_for (
    inp_catalog_get_default (), "andreasjansson/stable-diffusion-animation")));
  g_assert_null (inp_test_find_label (GTK_WIDGET (viewer),
                                      "andreasjansson/stable-diffusion-animation"));

  paintable = inp_compare_view_get_after (inp_result_viewer_get_compare_view (viewer));
  g_assert_true (INP_IS_FRAME_ANIMATION (paintable));
  g_assert_null (inp_compare_view_get_before (inp_result_viewer_get_compare_view (viewer)));
  wait_for_next_frame (INP_FRAME_ANIMATION (paintable));

  gtk_window_destroy (GTK_WINDOW (viewer));
  g_assert_finalize_object (viewer);
}

static void
test_gallery_compare (Fixture       *fixture,
                      gconstpointer  data)
{
  InpResultViewer *viewer;
  GtkWidget *view;
  int width, height;

  inp_gallery_select (fixture->gallery, position_of (fixture, fixture->fox, 0));
  gtk_widget_activate_action (GTK_WIDGET (fixture->gallery), "gallery.compare", NULL);
  viewer = INP_RESULT_VIEWER (inp_test_find_toplevel (INP_TYPE_RESULT_VIEWER));
  g_assert_nonnull (viewer);
  g_object_ref (viewer);
  g_assert_true (inp_result_viewer_get_comparing (viewer));

  while (!inp_result_viewer_get_loaded (viewer))
    g_main_context_iteration (NULL, TRUE);
  inp_test_wait_for_frame (GTK_WIDGET (viewer));

  view = GTK_WIDGET (inp_result_viewer_get_compare_view (viewer));
  width = gtk_widget_get_width (view);
  height = gtk_widget_get_height (view);
  g_assert_cmpint (width, >, 100);

  /* The input (red) left of the divider, the result (blue) right of it. */
  inp_compare_view_set_position (INP_COMPARE_VIEW (view), 0.5);
  g_assert_cmphex (pixel_at (view, width / 2 - 40, height / 2), ==, 0xff0000);
  g_assert_cmphex (pixel_at (view, width / 2 + 40, height / 2), ==, 0x0000ff);

  /* Moving the divider right shows more of the input. */
  inp_compare_view_set_position (INP_COMPARE_VIEW (view), 0.9);
  g_assert_cmphex (pixel_at (view, width / 2 + 40, height / 2), ==, 0xff0000);

  /* Holding B shows the input whole; letting go shows the comparison again. */
  inp_compare_view_set_position (INP_COMPARE_VIEW (view), 0.1);
  press_key (GTK_WIDGET (viewer), GDK_KEY_b, TRUE);
  g_assert_true (inp_compare_view_get_blink (INP_COMPARE_VIEW (view)));
  g_assert_cmphex (pixel_at (view, width / 2 + 40, height / 2), ==, 0xff0000);
  press_key (GTK_WIDGET (viewer), GDK_KEY_b, FALSE);
  g_assert_false (inp_compare_view_get_blink (INP_COMPARE_VIEW (view)));
  g_assert_cmphex (pixel_at (view, width / 2 + 40, height / 2), ==, 0x0000ff);

  /* Without comparing, the result alone. */
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.compare", NULL);
  g_assert_false (inp_result_viewer_get_comparing (viewer));
  inp_compare_view_set_position (INP_COMPARE_VIEW (view), 0.9);
  g_assert_cmphex (pixel_at (view, width / 2 - 40, height / 2), ==, 0x0000ff);

  gtk_window_destroy (GTK_WINDOW (viewer));
  g_assert_finalize_object (viewer);
}

static void
no_display (void)
{
}

int
main (int   argc,
      char *argv[])
{
  inp_test_ui_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add ("/ui/gallery/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  if (gtk_is_initialized ())
    {
      ADD ("thumbnails", test_gallery_thumbnails, NULL);
      ADD ("empty", test_gallery_empty, "empty");
      ADD ("drag", test_gallery_drag, NULL);
      ADD ("video", test_gallery_video, NULL);
      ADD ("copy", test_gallery_copy, NULL);
      ADD ("save-as", test_gallery_save_as, NULL);
      ADD ("delete-result", test_gallery_delete_result, NULL);
      ADD ("delete-job", test_gallery_delete_job, NULL);
      ADD ("delete-outer-toast", test_gallery_delete_outer_toast, NULL);
      ADD ("use-as", test_gallery_use_as, NULL);
      ADD ("menu", test_gallery_menu, NULL);
      ADD ("compare", test_gallery_compare, NULL);
      ADD ("viewer-animation", test_gallery_viewer_animation, NULL);
    }
  else
    {
      inp_test_ui_add_func ("/ui/gallery/thumbnails", no_display);
    }

  return g_test_run ();
}
