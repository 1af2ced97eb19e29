/* inp-token.h: the API token, from the environment or the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "inp-endpoint.h"

G_BEGIN_DECLS

#define INP_TOKEN_ENVIRONMENT_VARIABLE "REPLICATE_API_TOKEN"

const char *inp_token_get_from_environment (void);

void        inp_token_lookup_async         (InpEndpoint          *endpoint,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char       *inp_token_lookup_finish        (GAsyncResult         *result,
                                            GError              **error);
void        inp_token_store_async          (InpEndpoint          *endpoint,
                                            const char           *token,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    inp_token_store_finish         (GAsyncResult         *result,
                                            GError              **error);
void        inp_token_clear_async          (InpEndpoint          *endpoint,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    inp_token_clear_finish         (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
