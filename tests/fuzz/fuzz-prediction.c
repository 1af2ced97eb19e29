/* fuzz-prediction.c: libFuzzer target for prediction objects and progress lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "inp-prediction.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(InpPrediction) prediction = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  int percent, current, total;

  prediction = inp_prediction_new_from_data ((const char *) data, size, &error);
  g_assert ((prediction == NULL) != (error == NULL));

  if (prediction != NULL)
    {
      g_autoptr(GPtrArray) files = inp_prediction_dup_file_outputs (prediction);
      double progress = inp_prediction_get_progress (prediction);

      g_assert (progress == -1 || (progress >= 0 && progress <= 1));
      g_assert (inp_prediction_get_id (prediction) != NULL);
      (void) inp_prediction_has_output (prediction);
      (void) inp_prediction_get_predict_time (prediction);
      (void) files;
    }

  /* The logs parser also sees raw text, such as a model's own output. */
  if (inp_parse_progress (text, &percent, &current, &total))
    g_assert (percent >= 0 && percent <= 100 && total > 0 && current <= total);

  return 0;
}
