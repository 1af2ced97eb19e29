/* inp-input-schema.h: a model's Cog/OpenAPI input schema as ordered, typed fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * InpFieldType:
 * @INP_FIELD_TYPE_STRING: text
 * @INP_FIELD_TYPE_INTEGER: a whole number
 * @INP_FIELD_TYPE_NUMBER: any number
 * @INP_FIELD_TYPE_BOOLEAN: true or false
 * @INP_FIELD_TYPE_FILE: a string with `format: uri`: an https URL or a data URI
 * @INP_FIELD_TYPE_ARRAY: a JSON array
 * @INP_FIELD_TYPE_OBJECT: a JSON object (rare; some models take a dictionary)
 */
typedef enum
{
  INP_FIELD_TYPE_STRING,
  INP_FIELD_TYPE_INTEGER,
  INP_FIELD_TYPE_NUMBER,
  INP_FIELD_TYPE_BOOLEAN,
  INP_FIELD_TYPE_FILE,
  INP_FIELD_TYPE_ARRAY,
  INP_FIELD_TYPE_OBJECT,
} InpFieldType;

/**
 * InpFieldProblem:
 * @INP_FIELD_PROBLEM_REQUIRED: a required field is missing (Replicate's `required`)
 * @INP_FIELD_PROBLEM_TYPE: the value has the wrong JSON type (`invalid_type`)
 * @INP_FIELD_PROBLEM_TOO_SMALL: below the minimum (`number_gte`)
 * @INP_FIELD_PROBLEM_TOO_LARGE: above the maximum (`number_lte`)
 * @INP_FIELD_PROBLEM_ENUM: not one of the allowed values (`enum`)
 * @INP_FIELD_PROBLEM_UNKNOWN: the schema has no such field (`additional_property_not_allowed`)
 *
 * The kinds of validation failure, as inp_input_schema_check() reports them.
 */
typedef enum
{
  INP_FIELD_PROBLEM_REQUIRED,
  INP_FIELD_PROBLEM_TYPE,
  INP_FIELD_PROBLEM_TOO_SMALL,
  INP_FIELD_PROBLEM_TOO_LARGE,
  INP_FIELD_PROBLEM_ENUM,
  INP_FIELD_PROBLEM_UNKNOWN,
} InpFieldProblem;

/**
 * InpInputIssue:
 * @field: the input's name
 * @problem: what kind of failure
 * @message: what is wrong, translated, for a person
 */
typedef struct
{
  char            *field;
  InpFieldProblem  problem;
  char            *message;
} InpInputIssue;

typedef struct _InpInputField InpInputField;

#define INP_TYPE_INPUT_FIELD (inp_input_field_get_type ())
#define INP_TYPE_INPUT_SCHEMA (inp_input_schema_get_type ())

G_DECLARE_FINAL_TYPE (InpInputSchema, inp_input_schema, INP, INPUT_SCHEMA, GObject)

GType           inp_input_field_get_type         (void) G_GNUC_CONST;
InpInputField  *inp_input_field_ref              (InpInputField        *field);
void            inp_input_field_unref            (InpInputField        *field);
const char     *inp_input_field_get_name         (const InpInputField  *field);
const char     *inp_input_field_get_title        (const InpInputField  *field);
const char     *inp_input_field_get_description  (const InpInputField  *field);
const char     *inp_input_field_get_choice_label (const InpInputField  *field,
                                                  const char           *value);
InpFieldType    inp_input_field_get_field_type   (const InpInputField  *field);
JsonNode       *inp_input_field_get_default      (const InpInputField  *field);
gboolean        inp_input_field_has_minimum      (const InpInputField  *field);
double          inp_input_field_get_minimum      (const InpInputField  *field);
gboolean        inp_input_field_has_maximum      (const InpInputField  *field);
double          inp_input_field_get_maximum      (const InpInputField  *field);
JsonArray      *inp_input_field_get_enum         (const InpInputField  *field);
gboolean        inp_input_field_is_required      (const InpInputField  *field);
int             inp_input_field_get_order        (const InpInputField  *field);

InpInputSchema *inp_input_schema_new_from_openapi (JsonObject          *openapi_schema,
                                                   GError             **error);
InpInputSchema *inp_input_schema_new_from_input   (JsonObject          *input_schema,
                                                   JsonObject          *components,
                                                   GError             **error);
void            inp_input_schema_set_translatable (InpInputSchema      *self,
                                                   gboolean             translatable);
GPtrArray      *inp_input_schema_get_fields       (InpInputSchema      *self);
InpInputField  *inp_input_schema_lookup           (InpInputSchema      *self,
                                                   const char          *name);
GPtrArray      *inp_input_schema_check            (InpInputSchema      *self,
                                                   JsonObject          *input);
gboolean        inp_input_schema_validate         (InpInputSchema      *self,
                                                   JsonObject          *input,
                                                   GError             **error);
JsonNode       *inp_input_schema_parse_value      (InpInputSchema      *self,
                                                   const char          *name,
                                                   const char          *text,
                                                   GError             **error);

void            inp_input_issue_free              (InpInputIssue       *issue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpInputField, inp_input_field_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InpInputIssue, inp_input_issue_free)

G_END_DECLS
