/* test-i18n.c: translated text as it is laid out, in zh_CN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-i18n.h"
#include "inp-model-picker-private.h"
#include "inp-test-models.h"
#include "inp-test-ui.h"
#include "inp-test-utils.h"

#define WORD_JOINER "\xe2\x81\xa0"

static void
assert_joined (const char *text,
               const char *expected)
{
  g_autofree char *joined = inp_i18n_keep_words_together (text);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_keep_words_together (void)
{
  assert_joined ("Stable Diffusion 局部重绘",
                 "Stable Diffusion 局" WORD_JOINER "部" WORD_JOINER "重" WORD_JOINER "绘");
  assert_joined ("图片（可选）", "图" WORD_JOINER "片（可" WORD_JOINER "选）");
  assert_joined ("FLUX 图生图", "FLUX 图" WORD_JOINER "生" WORD_JOINER "图");
  /* Latin, Korean (which has spaces between words) and a lone ideograph stay as they are. */
  assert_joined ("Background Removal", "Background Removal");
  assert_joined ("배경 제거", "배경 제거");
  assert_joined ("A 猫", "A 猫");
  assert_joined ("", "");
  /* Text that is not UTF-8 is not walked. */
  assert_joined ("bad \xff\xfe", "bad \xff\xfe");
}

static gboolean
is_ideograph (gunichar c)
{
  return g_unichar_break_type (c) == G_UNICODE_BREAK_IDEOGRAPHIC;
}

/* The first character at @p, or the last before it, skipping word joiners: they draw nothing. */
static gunichar
char_at (const char *text,
         const char *p,
         gboolean    backwards)
{
  while (TRUE)
    {
      if (backwards)
        {
          if (p == text)
            return 0;
          p = g_utf8_prev_char (p);
        }
      if (*p == '\0')
        return 0;
      if (g_utf8_get_char (p) != 0x2060)
        return g_utf8_get_char (p);
      if (!backwards)
        p = g_utf8_next_char (p);
    }
}

/* In a narrow side panel the chosen model's zh_CN title has to wrap, and it wraps at its
 * space, never between two ideographs of one word (“局部|重绘”). */
static void
test_model_picker_title (void)
{
  InpModel *model = inp_test_lookup_model ("stability-ai/stable-diffusion-inpainting");
  InpModelPicker *picker;
  GtkWidget *window;
  GtkWidget *row;
  GtkWidget *label_widget;
  GtkLabel *label;
  PangoLayout *layout;
  PangoLayoutIter *iter;
  const char *text;
  const char *title;
  int lines = 0;

  if (!inp_test_set_language ("zh_CN"))
    return;

  picker = INP_MODEL_PICKER (inp_model_picker_new ());
  g_object_ref_sink (picker);
  window = inp_test_present (GTK_WIDGET (picker), 260, 200);
  inp_model_picker_set_canvas_state (picker, TRUE, TRUE);
  inp_model_picker_set_selected_model (picker, model);
  inp_test_wait_for_frame (window);

  row = inp_model_picker_get_current_row (picker);
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_assert_true (g_str_has_prefix (title, "Stable Diffusion 局"));
  label_widget = inp_test_find_label (row, title);
  g_assert_nonnull (label_widget);
  label = GTK_LABEL (label_widget);

  layout = gtk_label_get_layout (label);
  text = pango_layout_get_text (layout);
  iter = pango_layout_get_iter (layout);
  do
    {
      const char *start = text + pango_layout_iter_get_index (iter);

      lines++;
      if (start > text)
        {
          g_test_message ("a line starts at “%s”", start);
          g_assert_false (is_ideograph (char_at (text, start, TRUE))
                          && is_ideograph (char_at (text, start, FALSE)));
        }
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  /* Otherwise the test above proved nothing. */
  g_assert_cmpint (lines, >=, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (picker);
  inp_test_set_language ("");
}

int
main (int   argc,
      char *argv[])
{
  inp_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/i18n/keep-words-together", test_keep_words_together);
  inp_test_ui_add_func ("/ui/i18n/model-picker-title", test_model_picker_title);

  return g_test_run ();
}
