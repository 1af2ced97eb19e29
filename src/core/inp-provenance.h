/* inp-provenance.h: what made an image, written into PNG text chunks or a JSON sidecar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The IPTC "digital source type" for media made by a trained model: the conventional marker
 * (also used by XMP and C2PA) that an image is AI-generated. */
#define INP_PROVENANCE_DIGITAL_SOURCE_TYPE \
  "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

/**
 * InpProvenance:
 * @prompt: (nullable): the prompt
 * @model: (nullable): the model, as `owner/name`
 * @version: (nullable): the model version
 * @seed: the seed, when @has_seed
 * @has_seed: whether the seed is known
 * @inputs: (nullable): every input value, a JSON object
 * @ai_generated: whether the image was made by a model (always %TRUE for our outputs)
 * @software: (nullable): the program that wrote the file
 *
 * The provenance of one generated image.
 */
typedef struct
{
  char      *prompt;
  char      *model;
  char      *version;
  gint64     seed;
  gboolean   has_seed;
  JsonNode  *inputs;
  gboolean   ai_generated;
  char      *software;
} InpProvenance;

#define INP_TYPE_PROVENANCE (inp_provenance_get_type ())

GType          inp_provenance_get_type          (void) G_GNUC_CONST;
InpProvenance *inp_provenance_new               (const char           *model,
                                                 const char           *version,
                                                 JsonNode             *inputs);
InpProvenance *inp_provenance_copy              (const InpProvenance  *provenance);
void           inp_provenance_free              (InpProvenance        *provenance);

gboolean       inp_provenance_is_png            (const guint8         *data,
                                                 gsize                 length);
GBytes        *inp_provenance_build_png_chunks  (const InpProvenance  *provenance);
GBytes        *inp_provenance_add_to_png        (const InpProvenance  *provenance,
                                                 GBytes               *png,
                                                 GError              **error);
char          *inp_provenance_to_json           (const InpProvenance  *provenance);
InpProvenance *inp_provenance_from_json         (const char           *json,
                                                 gssize                length,
                                                 GError              **error);
char          *inp_provenance_sidecar_path      (const char           *path);
gboolean       inp_provenance_copy_sidecar      (const char           *source_path,
                                                 const char           *destination_path,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
gboolean       inp_provenance_write_file        (const InpProvenance  *provenance,
                                                 const char           *path,
                                                 GError              **error);
InpProvenance *inp_provenance_read_file         (const char           *path,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpProvenance, inp_provenance_free)

G_END_DECLS
