/* inp-test-sandbox.h: driving the client against the sandbox in tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "inp-client.h"
#include "inp-job.h"
#include "inp-sandbox.h"

G_BEGIN_DECLS

#define INP_TEST_TOKEN "r8_test_token_0123456789"

InpSandbox *inp_test_sandbox_start          (const char  *prefix);
void        inp_test_sandbox_use_in_app     (InpSandbox  *sandbox);
InpClient  *inp_test_client_new             (InpSandbox  *sandbox);
GBytes     *inp_test_png_bytes              (int          width,
                                             int          height,
                                             gboolean     mask);
char       *inp_test_write_png              (const char  *dir,
                                             const char  *name,
                                             int          width,
                                             int          height);
GBytes     *inp_test_noise_png_bytes        (int          width,
                                             int          height);
InpJob     *inp_test_job_for_model          (InpClient   *client,
                                             InpModel    *model,
                                             const char  *output_directory);
GPtrArray  *inp_test_run_job                (InpJob      *job,
                                             GCancellable *cancellable,
                                             GError     **error);
void        inp_test_assert_token_kept      (InpSandbox  *sandbox);
guint       inp_test_count_origin           (InpSandbox  *sandbox,
                                             const char  *origin);

G_END_DECLS
