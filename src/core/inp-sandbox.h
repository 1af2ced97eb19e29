/* inp-sandbox.h: a Replicate-compatible HTTP server on loopback that simulates every catalogue model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox runs three SoupServers on 127.0.0.1 in a thread of its own, with its own
 * GMainContext, so that a held `Prefer: wait` request or image generation never stalls the
 * caller's main loop. Every public function is thread-safe.
 *
 * Listeners:
 * - the API, under a prefix ("/v1" or "/replicate/v1"): inp_sandbox_get_base_url();
 * - the output ("delivery") origin that serves output files: inp_sandbox_get_output_origin();
 * - a "decoy" origin that `urls.get`, `urls.cancel` and `urls.stream` name, as the real service
 *   does behind a relay. A correct client never calls it; it answers 404 and logs the request.
 *
 * Routes under the prefix (Bearer token required, 401 problem+json otherwise):
 * - POST /predictions {version, input}: by catalogue version hash, or by the version of a
 *   "community" model (sandbox-community/soft-inpaint, sandbox-community/pixel-sketch): models
 *   in no built-in catalogue, for adding a model by owner/name. Unknown version → 422
 *   "Invalid version or not permitted"; keys other than version, input, webhook,
 *   webhook_events_filter and stream → 422 additional_property_not_allowed.
 * - POST /models/{owner}/{name}/predictions {input}: only for the model-route models
 *   (flux-fill-dev and flux-fill-pro); a "version" key there → 422.
 * - GET /predictions/{id}, POST /predictions/{id}/cancel.
 * - GET /account, GET /models/{owner}/{name} (latest_version.openapi_schema in Cog style),
 *   POST /files (multipart, part "content") → 201, GET /files/{id} → the bytes.
 * Inputs are validated against the catalogue schema: 422 "Input validation failed" with
 * invalid_fields [{type, field: "input.<name>", description}].
 *
 * Predictions go starting → processing → succeeded over the model time, with tqdm progress
 * lines in `logs`. `Prefer: wait[=N]` holds the create answer until the prediction is done
 * (answering "processing" with data: URI outputs, like the real service) or N seconds pass
 * (answering "starting" with a null output). File inputs may be data: URIs, the sandbox's
 * /files URLs or its output URLs; anything else makes the prediction fail.
 *
 * Outputs are deterministic images that honour the inputs: width/height, aspect_ratio,
 * megapixels, num_outputs, output_format (png, jpg, webp) and output_quality; inpainting
 * changes only the masked pixels of the input image; rembg returns a PNG with real alpha;
 * the animation models return an animated GIF (also when mp4 is asked for: the sandbox has no
 * video encoder).
 *
 * Deterministic triggers, anywhere in a string input:
 * - "sandbox:nsfw": the prediction ends failed with "NSFW content detected. Try running it
 *   again, or try a different prompt.";
 * - "sandbox:fail": it ends failed with "E1001: The model ran out of memory.";
 * - "sandbox:slow": the model time is multiplied by 10.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INP_TYPE_SANDBOX (inp_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (InpSandbox, inp_sandbox, INP, SANDBOX, GObject)

/**
 * InpSandboxRoutes:
 *
 * Optional routes a relay may lack. A disabled route answers 404 with a problem+json body.
 */
typedef enum
{
  INP_SANDBOX_ROUTE_FILES   = 1 << 0,   /* POST /files (+ GET /files/{id}) */
  INP_SANDBOX_ROUTE_MODELS  = 1 << 1,   /* GET /models/{owner}/{name} */
  INP_SANDBOX_ROUTE_ACCOUNT = 1 << 2,   /* GET /account */
  INP_SANDBOX_ROUTE_ALL     = 0x7,
} InpSandboxRoutes;

/**
 * InpSandboxRoute:
 *
 * Where a fault is injected, and how requests are counted. Requests to the decoy origin are
 * logged with the route their path names but never counted or faulted.
 */
typedef enum
{
  INP_SANDBOX_ON_CREATE,    /* POST /predictions and POST /models/{o}/{n}/predictions */
  INP_SANDBOX_ON_GET,       /* GET /predictions/{id} */
  INP_SANDBOX_ON_CANCEL,    /* POST /predictions/{id}/cancel */
  INP_SANDBOX_ON_FILES,     /* POST /files (and GET /files/{id}) */
  INP_SANDBOX_ON_OUTPUT,    /* GET of an output file on the output origin */
  INP_SANDBOX_ON_ACCOUNT,   /* GET /account */
  INP_SANDBOX_ON_MODEL,     /* GET /models/{o}/{n} */
} InpSandboxRoute;

/**
 * InpSandboxFaultKind:
 *
 * Faults that replace the answer. RATE_LIMIT, SERVER_ERROR, PROBLEM and DROP_CONNECTION act
 * before the request is handled (a faulted create creates nothing); the others act on the
 * answer of a request that was handled (a faulted create did create its prediction).
 */
typedef enum
{
  INP_SANDBOX_FAULT_RATE_LIMIT,         /* 429 problem+json; Retry-After: param seconds (param 0: no header) */
  INP_SANDBOX_FAULT_SERVER_ERROR,       /* status = param (500, 502, 503, 504), problem+json */
  INP_SANDBOX_FAULT_PROBLEM,            /* status = param (400, 401, 402, 404, 413, 422) with a realistic problem+json body */
  INP_SANDBOX_FAULT_MALFORMED_JSON,     /* success status, Content-Type application/json, body not JSON */
  INP_SANDBOX_FAULT_TRUNCATED_BODY,     /* Content-Length promises more than is sent, then the connection closes
                                         * (libsoup 3.2 reads this as a short body without an error) */
  INP_SANDBOX_FAULT_DROP_CONNECTION,    /* the connection closes before any response byte */
  INP_SANDBOX_FAULT_WRONG_CONTENT_TYPE, /* success status with a text/html body */
  INP_SANDBOX_FAULT_HUGE_BODY,          /* a JSON body of param MiB (a long "logs" string) */
  INP_SANDBOX_FAULT_UNKNOWN_STATUS,     /* a prediction object whose status is "exploded" */
} InpSandboxFaultKind;

/**
 * InpSandboxRequest:
 * @route: which route the path names
 * @method: the HTTP method
 * @path: the path as received, with the query
 * @origin: "api", "output" or "decoy": which listener got it
 * @authorization: (nullable): the Authorization header as received
 * @prefer: (nullable): the Prefer header
 * @received_us: g_get_monotonic_time() on arrival
 */
typedef struct
{
  InpSandboxRoute  route;
  char            *method;
  char            *path;
  char            *origin;
  char            *authorization;
  char            *prefer;
  gint64           received_us;
} InpSandboxRequest;

InpSandbox *inp_sandbox_new               (void);
gboolean    inp_sandbox_start             (InpSandbox        *self,
                                           const char        *prefix,
                                           GError           **error);
void        inp_sandbox_stop              (InpSandbox        *self);
const char *inp_sandbox_get_base_url      (InpSandbox        *self);
const char *inp_sandbox_get_output_origin (InpSandbox        *self);
const char *inp_sandbox_get_decoy_origin  (InpSandbox        *self);
void        inp_sandbox_set_token         (InpSandbox        *self,
                                           const char        *token);
void        inp_sandbox_set_model_time    (InpSandbox        *self,
                                           guint              ms);
void        inp_sandbox_set_routes        (InpSandbox        *self,
                                           InpSandboxRoutes   routes);
void        inp_sandbox_add_fault         (InpSandbox        *self,
                                           InpSandboxRoute    route,
                                           InpSandboxFaultKind kind,
                                           int                param,
                                           guint              times);
void        inp_sandbox_clear_faults      (InpSandbox        *self);
void        inp_sandbox_expire_outputs    (InpSandbox        *self);
void        inp_sandbox_mark_done         (InpSandbox        *self,
                                           const char        *id);

void        inp_sandbox_request_free      (InpSandboxRequest *request);
GPtrArray  *inp_sandbox_dup_requests      (InpSandbox        *self);
guint       inp_sandbox_count_requests    (InpSandbox        *self,
                                           InpSandboxRoute    route);
gint64      inp_sandbox_get_completed_us  (InpSandbox        *self,
                                           const char        *prediction_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpSandboxRequest, inp_sandbox_request_free)

G_END_DECLS
