/* inp-sandbox-models.c: deterministic stand-ins for the catalogue's models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each model makes pictures that a test can reason about: sizes, counts and formats follow the
 * inputs as the real model's would, the same input gives the same bytes, and image-editing models
 * change exactly what they should (inpainting: only masked pixels).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "inp-image.h"
#include "inp-sandbox-private.h"

#define NSFW_MESSAGE "NSFW content detected. Try running it again, or try a different prompt."
#define OOM_MESSAGE "E1001: The model ran out of memory."

void
inp_sandbox_output_free (InpSandboxOutput *output)
{
  if (output == NULL)
    return;

  g_clear_pointer (&output->bytes, g_bytes_unref);
  g_free (output->mime);
  g_free (output->extension);
  g_free (output);
}

/* Reading inputs, with the schema's defaults for what is absent. */

static JsonNode *
input_value (InpModel   *model,
             JsonObject *input,
             const char *name)
{
  JsonNode *node = json_object_get_member (input, name);
  InpInputField *field;

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return node;

  field = inp_input_schema_lookup (inp_model_get_schema (model), name);
  return field != NULL ? inp_input_field_get_default (field) : NULL;
}

static gint64
input_int (InpModel   *model,
           JsonObject *input,
           const char *name,
           gint64      fallback)
{
  JsonNode *node = input_value (model, input, name);
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                             : G_TYPE_INVALID;

  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

static double
input_double (InpModel   *model,
              JsonObject *input,
              const char *name,
              double      fallback)
{
  JsonNode *node = input_value (model, input, name);
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                             : G_TYPE_INVALID;

  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return fallback;
}

static const char *
input_string (InpModel   *model,
              JsonObject *input,
              const char *name,
              const char *fallback)
{
  JsonNode *node = input_value (model, input, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return fallback;
}

/**
 * inp_sandbox_input_mentions:
 *
 * Returns: whether a string input other than a data URI contains @trigger ("sandbox:nsfw").
 */
gboolean
inp_sandbox_input_mentions (JsonObject *input,
                            const char *trigger)
{
  g_autoptr(GList) names = json_object_get_members (input);

  for (const GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (input, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && !g_str_has_prefix (json_node_get_string (node), "data:")
          && strstr (json_node_get_string (node), trigger) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* FNV-1a over the inputs in name order, so that equal inputs draw equal pictures. */
static guint32
input_hash (JsonObject *input)
{
  g_autoptr(GList) names = g_list_sort (json_object_get_members (input), (GCompareFunc) g_strcmp0);
  guint32 hash = 2166136261u;

  for (const GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (input, l->data);
      g_autofree char *text = NULL;

      /* File inputs are long and do not change the picture's colours. */
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && strlen (json_node_get_string (node)) > 512)
        continue;
      text = g_strconcat (l->data, "=", NULL);
      for (const char *p = text; *p != '\0'; p++)
        hash = (hash ^ (guint8) *p) * 16777619u;
      if (JSON_NODE_HOLDS_VALUE (node))
        {
          g_autofree char *value = json_to_string (node, FALSE);

          for (const char *p = value; *p != '\0'; p++)
            hash = (hash ^ (guint8) *p) * 16777619u;
        }
    }

  return hash;
}

/**
 * inp_sandbox_count_steps:
 *
 * Returns: how many denoising steps the progress lines count to.
 */
guint
inp_sandbox_count_steps (InpModel   *model,
                         JsonObject *input)
{
  gint64 steps = input_int (model, input, "num_inference_steps",
                            input_int (model, input, "steps", 50));

  return (guint) CLAMP (steps, 1, 500);
}

/* Drawing */

static void
hue_to_rgb (double  hue,
            double  saturation,
            double  value,
            double *rgb)
{
  double h = fmod (hue, 1.0) * 6.0;
  double f = h - floor (h);
  double p = value * (1.0 - saturation);
  double q = value * (1.0 - saturation * f);
  double t = value * (1.0 - saturation * (1.0 - f));

  switch ((int) h)
    {
    case 0: rgb[0] = value; rgb[1] = t; rgb[2] = p; break;
    case 1: rgb[0] = q; rgb[1] = value; rgb[2] = p; break;
    case 2: rgb[0] = p; rgb[1] = value; rgb[2] = t; break;
    case 3: rgb[0] = p; rgb[1] = q; rgb[2] = value; break;
    case 4: rgb[0] = t; rgb[1] = p; rgb[2] = value; break;
    default: rgb[0] = value; rgb[1] = p; rgb[2] = q; break;
    }
}

/* A simulated picture that still reads as one: a sky, a sun and three ranges of hills, their
 * colours and shapes drawn from the input's hash and the output's index, so the same input always
 * gives the same picture and each output of a batch differs. @phase moves the scene, frame by
 * frame, for the animation models. */
static GdkPixbuf *
render (int     width,
        int     height,
        guint32 hash,
        guint   index,
        int     phase)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  guint32 seed = hash ^ (index * 0x9e3779b9u);
  /* Blue skies, warm suns and green hills, varied within those ranges. */
  double hue = 0.52 + 0.16 * ((seed & 0xffff) / 65536.0);
  double sun_x = 0.2 + 0.6 * (((seed >> 16) & 0xff) / 255.0) + phase * 0.004;
  double sun_y = 0.18 + 0.2 * (((seed >> 24) & 0xff) / 255.0);
  double sun_r = 0.07;
  double sky_top[3], sky_bottom[3], sun[3], hills[3][3];

  hue_to_rgb (hue, 0.55, 0.55, sky_top);
  hue_to_rgb (hue + 0.08, 0.35, 0.95, sky_bottom);
  hue_to_rgb (hue - 0.45, 0.45, 1.0, sun);
  for (int i = 0; i < 3; i++)
    hue_to_rgb (hue - 0.28 + 0.03 * i, 0.45 + 0.12 * i, 0.75 - 0.2 * i, hills[i]);

  for (int y = 0; y < height; y++)
    {
      guint8 *row = pixels + (gsize) y * stride;
      double v = (double) y / MAX (height - 1, 1);

      for (int x = 0; x < width; x++)
        {
          double u = (double) x / MAX (width - 1, 1);
          double du = (u - sun_x) * width / MAX (height, 1);
          double dv = v - sun_y;
          double rgb[3];

          for (int c = 0; c < 3; c++)
            rgb[c] = sky_top[c] + (sky_bottom[c] - sky_top[c]) * v;
          if (du * du + dv * dv < sun_r * sun_r)
            memcpy (rgb, sun, sizeof rgb);

          for (int i = 0; i < 3; i++)
            {
              double freq = 2.0 + i + ((seed >> (4 * i)) & 0x7);
              double ridge = 0.55 + 0.12 * i
                             + 0.06 * sin (u * freq + (seed >> (3 * i) & 0xff) * 0.1 + phase * 0.05 * (i + 1));

              if (v > ridge)
                memcpy (rgb, hills[i], sizeof rgb);
            }

          for (int c = 0; c < 3; c++)
            row[x * 3 + c] = (guint8) CLAMP (rgb[c] * 255.0 + 0.5, 0.0, 255.0);
        }
    }

  return pixbuf;
}

/* Masked pixels take the drawn picture; every other pixel keeps the input's exact value. */
static GdkPixbuf *
inpaint (GdkPixbuf *image,
         GdkPixbuf *mask,
         GdkPixbuf *drawn)
{
  int width = gdk_pixbuf_get_width (image);
  int height = gdk_pixbuf_get_height (image);
  g_autoptr(GdkPixbuf) binary = inp_image_binarize_mask (mask);
  GdkPixbuf *result = gdk_pixbuf_copy (image);
  int channels = gdk_pixbuf_get_n_channels (result);
  int stride = gdk_pixbuf_get_rowstride (result);
  guint8 *out = gdk_pixbuf_get_pixels (result);
  const guint8 *masked = gdk_pixbuf_read_pixels (binary);
  int masked_stride = gdk_pixbuf_get_rowstride (binary);
  const guint8 *source = gdk_pixbuf_read_pixels (drawn);
  int source_stride = gdk_pixbuf_get_rowstride (drawn);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p;

        if (masked[(gsize) y * masked_stride + x * 3] == 0)
          continue;
        p = out + (gsize) y * stride + (gsize) x * channels;
        memcpy (p, source + (gsize) y * source_stride + x * 3, 3);
        if (channels == 4)
          p[3] = 255;
      }

  return result;
}

/* Image to image: the input shows through in proportion to 1 − prompt_strength. */
static GdkPixbuf *
restyle (GdkPixbuf *image,
         GdkPixbuf *drawn,
         double     strength)
{
  int width = gdk_pixbuf_get_width (drawn);
  int height = gdk_pixbuf_get_height (drawn);
  g_autoptr(GdkPixbuf) scaled = inp_image_scale (image, width, height);
  GdkPixbuf *result = gdk_pixbuf_copy (drawn);
  guint weight = (guint) (CLAMP (strength, 0.0, 1.0) * 256);

  gdk_pixbuf_composite (scaled, result, 0, 0, width, height, 0, 0, 1, 1,
                        GDK_INTERP_NEAREST, 255 - MIN (weight, 255));
  return result;
}

static GdkPixbuf *
remove_background (GdkPixbuf *image)
{
  int width = gdk_pixbuf_get_width (image);
  int height = gdk_pixbuf_get_height (image);
  int channels = gdk_pixbuf_get_n_channels (image);
  int stride = gdk_pixbuf_get_rowstride (image);
  const guint8 *in = gdk_pixbuf_read_pixels (image);
  GdkPixbuf *result = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  int out_stride = gdk_pixbuf_get_rowstride (result);
  guint8 *out = gdk_pixbuf_get_pixels (result);
  guint8 background[3];

  /* The top-left corner's colour is the background; pixels near it become transparent. */
  memcpy (background, in, 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = in + (gsize) y * stride + (gsize) x * channels;
        guint8 *q = out + (gsize) y * out_stride + (gsize) x * 4;
        int distance = ABS (p[0] - background[0]) + ABS (p[1] - background[1])
                       + ABS (p[2] - background[2]);

        memcpy (q, p, 3);
        q[3] = distance < 48 ? 0 : 255;
      }

  return result;
}

static const char * const object_classes[] = {
  "Background", "Aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
  "cow", "dining table", "dog", "horse", "motorbike", "person", "potted plant", "sheep", "sofa",
  "train", "tv/monitor", NULL
};

static GdkPixbuf *
remove_objects (GdkPixbuf  *image,
                const char *objects,
                char      **failure)
{
  g_auto(GStrv) names = g_strsplit (objects, ",", -1);
  int width = gdk_pixbuf_get_width (image);
  int height = gdk_pixbuf_get_height (image);
  g_autoptr(GdkPixbuf) result = gdk_pixbuf_copy (image);
  g_autoptr(GdkPixbuf) middle = NULL;
  guint8 corner[4];

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!g_strv_contains (object_classes, names[i]))
        {
          *failure = g_strdup_printf ("KeyError: '%s'", names[i]);
          return NULL;
        }
    }

  /* "Remove" what sits in the middle by filling it with the corner's colour. */
  memcpy (corner, gdk_pixbuf_read_pixels (image), 3);
  corner[3] = 255;
  if (width >= 4 && height >= 4)
    {
      middle = gdk_pixbuf_new_subpixbuf (result, width / 4, height / 4, width / 2, height / 2);
      gdk_pixbuf_fill (middle, ((guint32) corner[0] << 24) | ((guint32) corner[1] << 16)
                               | ((guint32) corner[2] << 8) | 0xff);
    }

  return g_steal_pointer (&result);
}

/* Sizes */

static void
aspect_ratio_size (const char *ratio,
                   int        *width,
                   int        *height)
{
  static const struct { const char *ratio; int width, height; } sizes[] = {
    { "1:1", 1024, 1024 }, { "16:9", 1344, 768 }, { "21:9", 1536, 640 }, { "3:2", 1216, 832 },
    { "2:3", 832, 1216 }, { "4:5", 896, 1088 }, { "5:4", 1088, 896 }, { "3:4", 896, 1152 },
    { "4:3", 1152, 896 }, { "9:16", 768, 1344 }, { "9:21", 640, 1536 },
  };

  *width = *height = 1024;
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    if (g_strcmp0 (ratio, sizes[i].ratio) == 0)
      {
        *width = sizes[i].width;
        *height = sizes[i].height;
      }
}

static void
megapixel_size (InpModel   *model,
                const char *megapixels,
                int         image_width,
                int         image_height,
                int        *width,
                int        *height)
{
  const InpSizeRules *rules = inp_model_get_size_rules (model);
  double target = g_strcmp0 (megapixels, "0.25") == 0 ? 512.0 * 512 : 1024.0 * 1024;
  double scale = sqrt (target / ((double) image_width * image_height));
  InpSizeRules unbounded = *rules;

  if (g_strcmp0 (megapixels, "match_input") == 0)
    {
      inp_size_rules_fit (rules, image_width, image_height, width, height);
      return;
    }

  /* Scaled up or down to the area, then to multiples of 32 within the cap. */
  unbounded.max_side = G_MAXINT;
  inp_size_rules_fit (&unbounded, MAX (1, (int) (image_width * scale)),
                      MAX (1, (int) (image_height * scale)), width, height);
  inp_size_rules_fit (rules, *width, *height, width, height);
}

/* Running */

static GdkPixbuf *
load_input (GHashTable  *files,
            const char  *name,
            char       **failure)
{
  GBytes *bytes = files != NULL && name != NULL ? g_hash_table_lookup (files, name) : NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  if (bytes == NULL)
    return NULL;

  pixbuf = inp_image_decode (bytes, &error);
  if (pixbuf == NULL)
    *failure = g_strdup_printf ("cannot identify image file for input %s: %s", name, error->message);
  return pixbuf;
}

static InpSandboxOutput *
encode_output (GdkPixbuf   *picture,
               const char  *format,
               int          quality,
               char       **failure)
{
  g_autoptr(GError) error = NULL;
  InpSandboxOutput *output;
  GBytes *bytes;

  if (g_strcmp0 (format, "jpeg") == 0)
    format = "jpg";
  bytes = inp_image_encode (picture, format, quality, &error);
  if (bytes == NULL)
    {
      *failure = g_strdup (error->message);
      return NULL;
    }

  output = g_new0 (InpSandboxOutput, 1);
  output->bytes = bytes;
  output->mime = g_strdup (inp_image_format_to_mime (format));
  output->extension = g_strdup (format);
  return output;
}

static GPtrArray *
run_animation (InpModel   *model,
               JsonObject *input,
               guint32     hash)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_sandbox_output_free);
  gboolean animate_diff = g_str_equal (inp_model_get_id (model), "lucataco/animate-diff");
  int width = animate_diff ? 512 : (int) input_int (model, input, "width", 512);
  int height = animate_diff ? 512 : (int) input_int (model, input, "height", 512);
  guint n_frames = animate_diff ? 16 : (guint) input_int (model, input, "num_animation_frames", 10);
  gint64 fps = animate_diff ? 8 : input_int (model, input, "gif_frames_per_second", 20);
  InpSandboxOutput *output;

  for (guint i = 0; i < n_frames; i++)
    g_ptr_array_add (frames, render (width, height, hash, 0, (int) i * 12));

  output = g_new0 (InpSandboxOutput, 1);
  output->bytes = inp_image_encode_gif (frames, (guint) (100 / CLAMP (fps, 1, 100)));
  output->mime = g_strdup ("image/gif");
  output->extension = g_strdup ("gif");
  g_ptr_array_add (outputs, output);

  return g_steal_pointer (&outputs);
}

/**
 * inp_sandbox_run_model:
 * @model: the catalogue model to simulate
 * @input: the validated input
 * @files: input name → #GBytes of every file input, already fetched
 * @failure: (out): the model's error text when it fails
 *
 * Called on a worker thread.
 *
 * Returns: (transfer full) (nullable) (element-type InpSandboxOutput): the outputs, or %NULL with
 *   @failure set.
 */
GPtrArray *
inp_sandbox_run_model (InpModel    *model,
                       JsonObject  *input,
                       GHashTable  *files,
                       char       **failure)
{
  g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) inp_sandbox_output_free);
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GdkPixbuf) mask = NULL;
  const char *id = inp_model_get_id (model);
  InpModelTask task = inp_model_get_task (model);
  const char *format = input_string (model, input, "output_format", inp_model_get_output_format (model));
  int quality = (int) input_int (model, input, "output_quality", 80);
  guint32 hash = input_hash (input);
  guint n_outputs = (guint) CLAMP (input_int (model, input, "num_outputs", 1), 1, 8);
  int width = 0, height = 0;

  *failure = NULL;

  if (inp_sandbox_input_mentions (input, "sandbox:nsfw"))
    {
      *failure = g_strdup (NSFW_MESSAGE);
      return NULL;
    }
  if (inp_sandbox_input_mentions (input, "sandbox:fail"))
    {
      *failure = g_strdup (OOM_MESSAGE);
      return NULL;
    }

  if (task == INP_MODEL_TASK_ANIMATE)
    return run_animation (model, input, hash);

  image = load_input (files, inp_model_get_image_input (model), failure);
  mask = load_input (files, inp_model_get_mask_input (model), failure);
  if (*failure != NULL)
    return NULL;

  if (image == NULL && inp_model_get_image_input (model) != NULL
      && task != INP_MODEL_TASK_GENERATE && !g_str_equal (id, "stability-ai/sdxl"))
    {
      *failure = g_strdup_printf ("%s is required", inp_model_get_image_input (model));
      return NULL;
    }

  /* The output size, as each real model decides it. */
  if (g_str_equal (id, "lucataco/flux-schnell-lora") || g_str_equal (id, "lucataco/flux-dev-lora"))
    {
      if (image != NULL)
        inp_size_rules_fit (inp_model_get_size_rules (model), gdk_pixbuf_get_width (image),
                            gdk_pixbuf_get_height (image), &width, &height);
      else
        aspect_ratio_size (input_string (model, input, "aspect_ratio", "1:1"), &width, &height);
    }
  else if (g_str_equal (id, "black-forest-labs/flux-fill-dev"))
    megapixel_size (model, input_string (model, input, "megapixels", "1"),
                    gdk_pixbuf_get_width (image), gdk_pixbuf_get_height (image), &width, &height);
  else if (g_str_equal (id, "black-forest-labs/flux-fill-pro"))
    {
      if (mask != NULL && (gdk_pixbuf_get_width (mask) != gdk_pixbuf_get_width (image)
                           || gdk_pixbuf_get_height (mask) != gdk_pixbuf_get_height (image)))
        {
          *failure = g_strdup_printf ("Mask size (%dx%d) must match image size (%dx%d)",
                                      gdk_pixbuf_get_width (mask), gdk_pixbuf_get_height (mask),
                                      gdk_pixbuf_get_width (image), gdk_pixbuf_get_height (image));
          return NULL;
        }
      width = gdk_pixbuf_get_width (image);
      height = gdk_pixbuf_get_height (image);
      n_outputs = 1;
    }
  else if (image != NULL && (mask == NULL || task != INP_MODEL_TASK_INPAINT
                              || inp_model_get_size_rules (model)->width_input == NULL))
    {
      /* Image to image, object and background removal keep the input's size, and so does
       * inpainting that takes no size. */
      width = gdk_pixbuf_get_width (image);
      height = gdk_pixbuf_get_height (image);
    }
  else
    {
      width = (int) input_int (model, input, "width", 1024);
      height = (int) input_int (model, input, "height", 1024);
    }
  width = CLAMP (width, 1, 4096);
  height = CLAMP (height, 1, 4096);

  if (task == INP_MODEL_TASK_REMOVE_OBJECT || task == INP_MODEL_TASK_REMOVE_BACKGROUND)
    n_outputs = 1;

  for (guint i = 0; i < n_outputs; i++)
    {
      g_autoptr(GdkPixbuf) drawn = render (width, height, hash, i, 0);
      g_autoptr(GdkPixbuf) picture = NULL;
      InpSandboxOutput *output;

      if (task == INP_MODEL_TASK_REMOVE_BACKGROUND)
        {
          picture = remove_background (image);
          format = "png";
        }
      else if (task == INP_MODEL_TASK_REMOVE_OBJECT)
        {
          picture = remove_objects (image, input_string (model, input, "objects_to_remove", ""),
                                    failure);
          if (picture == NULL)
            return NULL;
        }
      else if (image != NULL && mask != NULL)
        {
          g_autoptr(GdkPixbuf) base = inp_image_scale (image, width, height);
          g_autoptr(GdkPixbuf) scaled_mask = inp_image_scale (mask, width, height);

          picture = inpaint (base, scaled_mask, drawn);
        }
      else if (image != NULL)
        picture = restyle (image, drawn, input_double (model, input, "prompt_strength", 0.8));
      else
        picture = g_object_ref (drawn);

      output = encode_output (picture, format != NULL ? format : "png", quality, failure);
      if (output == NULL)
        return NULL;
      g_ptr_array_add (outputs, output);
    }

  return g_steal_pointer (&outputs);
}
