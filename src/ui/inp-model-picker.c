/* inp-model-picker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "inp-a11y.h"
#include "inp-catalog.h"
#include "inp-custom-models.h"
#include "inp-i18n.h"
#include "inp-input-roles.h"
#include "inp-model-picker-private.h"

typedef struct
{
  const char *title;
  guint       tasks;   /* bits of InpModelTask; 0 for the models added by name */
} GroupInfo;

#define TASK_BIT(task) (1u << (task))

static const GroupInfo group_infos[] = {
  /* Translators: groups of models in the picker, by what they do: repaint the masked area */
  { N_("Inpaint & Fill"), TASK_BIT (INP_MODEL_TASK_INPAINT) | TASK_BIT (INP_MODEL_TASK_FILL) },
  /* Translators: a group of models: make a new picture from a prompt alone */
  { N_("Generate"), TASK_BIT (INP_MODEL_TASK_GENERATE) },
  { N_("Image to Image"), TASK_BIT (INP_MODEL_TASK_IMAGE_TO_IMAGE) },
  { N_("Remove Object"), TASK_BIT (INP_MODEL_TASK_REMOVE_OBJECT) },
  { N_("Remove Background"), TASK_BIT (INP_MODEL_TASK_REMOVE_BACKGROUND) },
  /* Translators: a group of models: make a short animation */
  { N_("Animate"), TASK_BIT (INP_MODEL_TASK_ANIMATE) },
  { N_("Added by You"), 0 },
};

typedef struct
{
  InpModelPicker     *picker;
  const GroupInfo    *info;
  GtkWidget          *label;
  GtkWidget          *list;
  GtkCustomFilter    *filter;
  GtkFilterListModel *model;
} Group;

struct _InpModelPicker
{
  AdwBin       parent_instance;

  /* Template widgets */
  AdwActionRow *current_row;
  GtkWidget    *current_warning;
  GtkWidget    *current_tags;
  GtkWidget    *menu_button;
  GtkWidget    *popover;
  GtkWidget    *search_entry;
  GtkWidget    *groups_box;
  GtkWidget    *empty_label;
  GtkWidget    *add_entry;
  GtkWidget    *add_error_label;

  InpCatalog   *catalog;
  InpCustomModels *custom;
  InpModel     *selected;
  GSettings    *settings;
  char         *search_text;   /* casefolded */
  Group         groups[G_N_ELEMENTS (group_infos)];
  gboolean      has_image;
  gboolean      has_mask;
  gboolean      rows_built;
};

G_DEFINE_FINAL_TYPE (InpModelPicker, inp_model_picker, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SELECTED_MODEL,
  N_PROPS
};

enum {
  ADD_MODEL_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Filtering */

static gboolean
matches_search (InpModelPicker *self,
                InpModel       *model)
{
  g_autofree char *haystack = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  if (self->search_text == NULL || *self->search_text == '\0')
    return TRUE;

  haystack = g_strjoin (" ", inp_model_get_title (model), inp_model_get_id (model),
                        inp_model_get_description (model) != NULL
                        ? inp_model_get_description (model) : "",
                        NULL);
  folded = g_utf8_casefold (haystack, -1);
  words = g_strsplit_set (self->search_text, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (folded, words[i]) == NULL)
      return FALSE;

  return TRUE;
}

static gboolean
group_filter_func (gpointer item,
                   gpointer user_data)
{
  Group *group = user_data;
  InpModel *model = item;

  if (group->info->tasks != 0
      && (group->info->tasks & TASK_BIT (inp_model_get_task (model))) == 0)
    return FALSE;

  return matches_search (group->picker, model);
}

static void
update_group_visibility (InpModelPicker *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      Group *group = &self->groups[i];
      gboolean visible = g_list_model_get_n_items (G_LIST_MODEL (group->model)) > 0;

      gtk_widget_set_visible (group->label, visible);
      gtk_widget_set_visible (group->list, visible);
      any |= visible;
    }

  gtk_widget_set_visible (self->empty_label, !any);
}

static void
group_items_changed_cb (InpModelPicker *self)
{
  update_group_visibility (self);
}

/* Rows */

static GtkWidget *
new_tag (const char *text,
         const char *tooltip)
{
  GtkWidget *tag = gtk_label_new (text);

  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (tag, tooltip);
  gtk_widget_add_css_class (tag, "inp-tag");
  gtk_widget_add_css_class (tag, "caption");

  return tag;
}

/* The signs of what a model needs, in the order the user must provide them; what the canvas
 * lacks is shown in the warning colour. */
static void
fill_tags (InpModelPicker *self,
           GtkWidget      *box,
           InpModel       *model)
{
  GtkWidget *child;
  GtkWidget *tag;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);

  if (inp_model_needs_image (model))
    {
      tag = new_tag (C_("needs", "Image"), _("Needs an image"));
      if (!self->has_image)
        gtk_widget_add_css_class (tag, "warning");
      gtk_box_append (GTK_BOX (box), tag);
    }
  else if (inp_model_accepts_image (model))
    gtk_box_append (GTK_BOX (box), new_tag (C_("needs", "Image (optional)"),
                                            _("Can start from the image, or from nothing")));
  if (inp_model_needs_mask (model))
    {
      tag = new_tag (C_("needs", "Mask"), _("Needs a painted mask"));
      if (!self->has_mask)
        gtk_widget_add_css_class (tag, "warning");
      gtk_box_append (GTK_BOX (box), tag);
    }
  if (inp_model_get_output_kind (model) == INP_MODEL_OUTPUT_VIDEO)
    gtk_box_append (GTK_BOX (box), new_tag (C_("makes", "Video"), _("Makes an animation")));
}

static void
update_row (InpModelPicker *self,
            GtkWidget      *row)
{
  InpModel *model = g_object_get_data (G_OBJECT (row), "inp-model");
  GtkWidget *check = g_object_get_data (G_OBJECT (row), "inp-check");
  GtkWidget *tags = g_object_get_data (G_OBJECT (row), "inp-tags");
  g_autofree char *blocker = inp_model_picker_dup_blocker (self, model);
  g_autofree char *tooltip = NULL;

  gtk_widget_set_opacity (check, model == self->selected ? 1.0 : 0.0);
  fill_tags (self, tags, model);
  /* Translators: a tooltip: a model's id, then why it cannot run yet ("Paint a mask first") */
  tooltip = blocker != NULL ? g_strdup_printf (_("%s: %s"), inp_model_get_id (model), blocker)
                            : g_strdup (inp_model_get_id (model));
  gtk_widget_set_tooltip_text (row, tooltip);
}

static void
update_rows (InpModelPicker *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      GtkWidget *row;

      for (row = gtk_widget_get_first_child (self->groups[i].list);
           row != NULL;
           row = gtk_widget_get_next_sibling (row))
        if (g_object_get_data (G_OBJECT (row), "inp-model") != NULL)
          update_row (self, row);
    }
}

/* Fetching it again brings the latest version, which replaces the one kept. */
static void
update_clicked_cb (GtkButton *button,
                   InpModel  *model)
{
  InpModelPicker *self = g_object_get_data (G_OBJECT (button), "inp-picker");

  g_debug ("model-picker: asking to update %s", inp_model_get_id (model));
  g_signal_emit (self, signals[ADD_MODEL_REQUESTED], 0, inp_model_get_id (model));
}

static void
remove_clicked_cb (GtkButton *button,
                   InpModel  *model)
{
  InpModelPicker *self = g_object_get_data (G_OBJECT (button), "inp-picker");

  inp_model_picker_remove_model (self, model);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  Group *group = user_data;
  InpModel *model = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *tags = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  g_autofree char *title = inp_i18n_keep_words_together (inp_model_get_title (model));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (inp_model_get_description (model) != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), inp_model_get_description (model));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  /* Translators: the chosen model’s check mark */
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);

  gtk_widget_set_valign (tags, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), tags);

  if (group->info->tasks == 0)
    {
      GtkWidget *update = gtk_button_new_from_icon_name ("view-refresh-symbolic");
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      gtk_widget_set_valign (update, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (update, "flat");
      gtk_widget_set_tooltip_text (update, _("Update to the Latest Version"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (update),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Update to the Latest Version"),
                                      -1);
      g_object_set_data (G_OBJECT (update), "inp-picker", group->picker);
      g_signal_connect_object (update, "clicked", G_CALLBACK (update_clicked_cb), model, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), update);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove Model"));
      g_object_set_data (G_OBJECT (remove), "inp-picker", group->picker);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), model, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
    }

  g_object_set_data_full (G_OBJECT (row), "inp-model", g_object_ref (model), g_object_unref);
  g_object_set_data (G_OBJECT (row), "inp-check", check);
  g_object_set_data (G_OBJECT (row), "inp-tags", tags);
  update_row (group->picker, row);

  return row;
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  Group         *group)
{
  InpModel *model = g_object_get_data (G_OBJECT (row), "inp-model");

  inp_model_picker_set_selected_model (group->picker, model);
  gtk_popover_popdown (GTK_POPOVER (group->picker->popover));
}

static void
build_groups (InpModelPicker *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (group_infos); i++)
    {
      Group *group = &self->groups[i];
      GListModel *source = group_infos[i].tasks != 0 ? G_LIST_MODEL (self->catalog)
                                                     : G_LIST_MODEL (self->custom);

      group->picker = self;
      group->info = &group_infos[i];
      group->filter = gtk_custom_filter_new (group_filter_func, group, NULL);
      group->model = gtk_filter_list_model_new (g_object_ref (source),
                                                g_object_ref (GTK_FILTER (group->filter)));
      g_signal_connect_object (group->model, "items-changed",
                               G_CALLBACK (group_items_changed_cb), self, G_CONNECT_SWAPPED);

      group->label = gtk_label_new (gettext (group->info->title));
      gtk_label_set_xalign (GTK_LABEL (group->label), 0);
      gtk_widget_set_margin_top (group->label, i == 0 ? 0 : 6);
      gtk_widget_add_css_class (group->label, "heading");

      group->list = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (group->list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (group->list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (group->list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, gettext (group->info->title),
                                      -1);
      g_signal_connect (group->list, "row-activated", G_CALLBACK (row_activated_cb), group);

      gtk_box_insert_child_after (GTK_BOX (self->groups_box), group->label,
                                  i == 0 ? NULL : self->groups[i - 1].list);
      gtk_box_insert_child_after (GTK_BOX (self->groups_box), group->list, group->label);
    }

  update_group_visibility (self);
}

/* The rows live in the popover: they are made the first time it opens, not before the window's
 * first frame (a row per model was a fifth of the window's start-up). */
static void
ensure_rows (InpModelPicker *self)
{
  if (self->rows_built)
    return;

  self->rows_built = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->groups[i].list),
                             G_LIST_MODEL (self->groups[i].model), create_row_cb,
                             &self->groups[i], NULL);
}

static void
update_current (InpModelPicker *self)
{
  g_autofree char *blocker = NULL;
  g_autofree char *title = NULL;
  const char *description;

  if (self->selected == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->current_row), _("No Model Chosen"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->current_row),
                                   _("Pick a model to see what it needs and what it can do"));
      gtk_widget_set_visible (self->current_warning, FALSE);
      return;
    }

  blocker = inp_model_picker_dup_blocker (self, self->selected);
  description = inp_model_get_description (self->selected);
  title = inp_i18n_keep_words_together (inp_model_get_title (self->selected));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->current_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->current_row),
                               blocker != NULL ? blocker : description != NULL ? description : "");
  gtk_widget_set_visible (self->current_warning, blocker != NULL);
  gtk_widget_set_tooltip_text (self->current_warning, blocker);
  fill_tags (self, self->current_tags, self->selected);
}

/* Template callbacks */

static void
search_changed_cb (InpModelPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_free (self->search_text);
  self->search_text = g_utf8_casefold (text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    gtk_filter_changed (GTK_FILTER (self->groups[i].filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Enter picks the first match, so that typing a few letters is enough. */
static void
search_activate_cb (InpModelPicker *self)
{
  /* A fast typist's Enter comes before the entry's delayed search-changed: filter now. */
  search_changed_cb (self);

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      g_autoptr(InpModel) model = g_list_model_get_item (G_LIST_MODEL (self->groups[i].model), 0);

      if (model != NULL)
        {
          inp_model_picker_set_selected_model (self, model);
          gtk_popover_popdown (GTK_POPOVER (self->popover));
          return;
        }
    }
}

static void
stop_search_cb (InpModelPicker *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
popover_show_cb (InpModelPicker *self)
{
  ensure_rows (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (self->search_entry);
}

static void
add_entry_changed_cb (InpModelPicker *self)
{
  gtk_widget_set_visible (self->add_error_label, FALSE);
  gtk_widget_remove_css_class (self->add_entry, "error");
}

/* Accepts `owner/name`, also as the model's page address, which is what people copy. */
static char *
parse_model_name (const char *text)
{
  g_autofree char *name = g_strstrip (g_strdup (text));
  const char *prefixes[] = { "https://replicate.com/", "http://replicate.com/", NULL };
  const char *start = name;
  g_auto(GStrv) parts = NULL;

  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_str_has_prefix (start, prefixes[i]))
      start += strlen (prefixes[i]);

  parts = g_strsplit (start, "/", -1);
  if (g_strv_length (parts) != 2)
    return NULL;
  for (guint i = 0; i < 2; i++)
    {
      if (*parts[i] == '\0' || !g_ascii_isalnum (*parts[i]))
        return NULL;
      for (const char *c = parts[i]; *c != '\0'; c++)
        if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_' && *c != '.')
          return NULL;
    }

  return g_strdup (start);
}

static void
add_cb (InpModelPicker *self)
{
  g_autofree char *name = parse_model_name (gtk_editable_get_text (GTK_EDITABLE (self->add_entry)));

  if (name == NULL)
    {
      inp_model_picker_show_add_error (self, _("Write the model as owner/name, "
                                               "for example stability-ai/sdxl"));
      return;
    }

  g_debug ("model-picker: asking to add %s", name);
  g_signal_emit (self, signals[ADD_MODEL_REQUESTED], 0, name);
}

/* The model chosen last time, or the catalogue's first when that one is gone (or was added by
 * name and the added models are not known yet). */
static InpModel *
find_remembered (InpModelPicker *self)
{
  g_autofree char *id = g_settings_get_string (self->settings, "selected-model");
  InpModel *model = inp_catalog_lookup (self->catalog, id);
  g_autoptr(InpModel) first = NULL;

  if (model == NULL)
    model = inp_custom_models_lookup (self->custom, id);
  if (model == NULL)
    {
      /* The catalogue keeps its own reference. */
      first = g_list_model_get_item (G_LIST_MODEL (self->catalog), 0);
      model = first;
    }

  return model;
}

/* Public API */

GtkWidget *
inp_model_picker_new (void)
{
  return g_object_new (INP_TYPE_MODEL_PICKER, NULL);
}

/**
 * inp_model_picker_get_selected_model:
 *
 * Returns: (transfer none) (nullable): the chosen model.
 */
InpModel *
inp_model_picker_get_selected_model (InpModelPicker *self)
{
  g_return_val_if_fail (INP_IS_MODEL_PICKER (self), NULL);

  return self->selected;
}

/**
 * inp_model_picker_set_selected_model:
 * @model: (nullable): a model of the catalogue or one added by name
 *
 * Chooses @model and remembers the choice for the next start.
 */
void
inp_model_picker_set_selected_model (InpModelPicker *self,
                                     InpModel       *model)
{
  g_return_if_fail (INP_IS_MODEL_PICKER (self));
  g_return_if_fail (model == NULL || INP_IS_MODEL (model));

  if (!g_set_object (&self->selected, model))
    return;

  if (model != NULL)
    {
      g_debug ("model-picker: chose %s", inp_model_get_id (model));
      g_settings_set_string (self->settings, "selected-model", inp_model_get_id (model));
    }

  update_current (self);
  update_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_MODEL]);
}

/**
 * inp_model_picker_set_canvas_state:
 * @has_image: whether the canvas holds an image
 * @has_mask: whether a mask has been painted on it
 *
 * Tells the picker what the canvas can give, so that models it cannot serve say why.
 */
void
inp_model_picker_set_canvas_state (InpModelPicker *self,
                                   gboolean        has_image,
                                   gboolean        has_mask)
{
  g_return_if_fail (INP_IS_MODEL_PICKER (self));

  has_image = !!has_image;
  has_mask = !!has_mask;
  if (self->has_image == has_image && self->has_mask == has_mask)
    return;

  self->has_image = has_image;
  self->has_mask = has_mask;
  update_current (self);
  update_rows (self);
}

/**
 * inp_model_picker_dup_blocker:
 * @model: a model
 *
 * Says why the canvas, in the state last given to inp_model_picker_set_canvas_state(), cannot
 * serve @model. Such a model can still be chosen, but generating with it should be refused with
 * this text rather than fail after sending.
 *
 * Returns: (transfer full) (nullable): the reason, translated, or %NULL if nothing is missing.
 */
char *
inp_model_picker_dup_blocker (InpModelPicker *self,
                              InpModel       *model)
{
  g_return_val_if_fail (INP_IS_MODEL_PICKER (self), NULL);
  g_return_val_if_fail (INP_IS_MODEL (model), NULL);

  if (inp_model_needs_image (model) && !self->has_image)
    return g_strdup (_("Open an image first"));
  if (inp_model_needs_mask (model) && !self->has_mask)
    return g_strdup (_("Paint a mask first"));

  return NULL;
}

/**
 * inp_model_picker_add_model:
 * @model: a model fetched by name
 *
 * Lists @model among the models added by name, and chooses it. An added model of the same id is
 * replaced: fetching a model again is how it is updated to its latest version. A model of the
 * catalogue is only chosen. When the list of added models cannot be written, the picker says why.
 */
void
inp_model_picker_add_model (InpModelPicker *self,
                            InpModel       *model)
{
  g_autoptr(GError) error = NULL;
  InpModel *existing;

  g_return_if_fail (INP_IS_MODEL_PICKER (self));
  g_return_if_fail (INP_IS_MODEL (model));

  existing = inp_catalog_lookup (self->catalog, inp_model_get_id (model));
  if (existing == NULL)
    {
      if (!inp_custom_models_add (self->custom, model, &error))
        {
          inp_model_picker_show_add_error (self, error->message);
          return;
        }
      g_debug ("model-picker: added %s", inp_model_get_id (model));
      existing = model;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->add_entry), "");
  inp_model_picker_set_selected_model (self, existing);
}

/* Drops the settings the parameter form remembered for model @id. */
static void
forget_values (InpModelPicker *self,
               const char     *id)
{
  g_autoptr(GVariant) stored = g_settings_get_value (self->settings, "model-values");
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  const char *text;

  if (!g_variant_lookup (stored, id, "&s", &text))
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, stored);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &text))
    if (!g_str_equal (key, id))
      g_variant_builder_add (&builder, "{ss}", key, text);
  g_settings_set_value (self->settings, "model-values", g_variant_builder_end (&builder));
}

/**
 * inp_model_picker_remove_model:
 * @model: a model added by name
 *
 * Removes @model for good; if it was chosen, the first model of the catalogue is chosen. When
 * the list of added models cannot be written, the model stays and the picker says why.
 */
void
inp_model_picker_remove_model (InpModelPicker *self,
                               InpModel       *model)
{
  g_autoptr(InpModel) removed = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (INP_IS_MODEL_PICKER (self));
  g_return_if_fail (INP_IS_MODEL (model));

  if (inp_custom_models_lookup (self->custom, inp_model_get_id (model)) != model)
    return;

  /* The row that holds @model goes with it. */
  removed = g_object_ref (model);
  if (!inp_custom_models_remove (self->custom, inp_model_get_id (model), &error))
    {
      inp_model_picker_show_add_error (self, error->message);
      return;
    }

  g_debug ("model-picker: removed %s", inp_model_get_id (model));
  if (model == self->selected)
    {
      g_autoptr(InpModel) first = g_list_model_get_item (G_LIST_MODEL (self->catalog), 0);

      inp_model_picker_set_selected_model (self, first);
    }

  /* Removed for good: its remembered settings too, after the form has moved to another model
   * (a form remembers what it showed when it switches). */
  forget_values (self, inp_model_get_id (model));
}

/**
 * inp_model_picker_get_custom_models:
 *
 * Returns: (transfer none): the models added by name that the picker lists.
 */
InpCustomModels *
inp_model_picker_get_custom_models (InpModelPicker *self)
{
  g_return_val_if_fail (INP_IS_MODEL_PICKER (self), NULL);

  return self->custom;
}

/**
 * inp_model_picker_set_custom_models:
 * @models: the models added by name, usually the application's
 *
 * Lists @models in their own group, and keeps models added or removed there. A picker starts
 * with a list of its own that is kept for its lifetime only. If the model chosen last time is
 * among @models, it is chosen again.
 */
void
inp_model_picker_set_custom_models (InpModelPicker  *self,
                                    InpCustomModels *models)
{
  InpModel *remembered;
  InpModel *listed;
  gboolean orphaned;

  g_return_if_fail (INP_IS_MODEL_PICKER (self));
  g_return_if_fail (INP_IS_CUSTOM_MODELS (models));

  if (!g_set_object (&self->custom, models))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    if (self->groups[i].info->tasks == 0)
      gtk_filter_list_model_set_model (self->groups[i].model, G_LIST_MODEL (models));

  /* Chosen from the list given up: it is no longer offered. */
  listed = self->selected != NULL
           ? inp_custom_models_lookup (models, inp_model_get_id (self->selected)) : NULL;
  orphaned = self->selected != NULL && listed != self->selected
             && inp_catalog_lookup (self->catalog, inp_model_get_id (self->selected)) == NULL;
  remembered = find_remembered (self);
  if (orphaned || inp_custom_models_lookup (models, inp_model_get_id (remembered)) == remembered)
    inp_model_picker_set_selected_model (self, remembered);
}

/**
 * inp_model_picker_show_add_error:
 * @message: why the model could not be added, translated
 *
 * Shows, under the entry, why the model asked for with #InpModelPicker::add-model-requested could
 * not be added. The text typed is kept, to be corrected.
 */
void
inp_model_picker_show_add_error (InpModelPicker *self,
                                 const char     *message)
{
  g_return_if_fail (INP_IS_MODEL_PICKER (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_text (GTK_LABEL (self->add_error_label), message);
  gtk_widget_set_visible (self->add_error_label, TRUE);
  gtk_widget_add_css_class (self->add_entry, "error");
}

/* For tests */

GtkWidget *
inp_model_picker_get_current_row (InpModelPicker *self)
{
  return GTK_WIDGET (self->current_row);
}

GtkWidget *
inp_model_picker_get_search_entry (InpModelPicker *self)
{
  return self->search_entry;
}

GtkWidget *
inp_model_picker_get_add_entry (InpModelPicker *self)
{
  return self->add_entry;
}

GtkWidget *
inp_model_picker_get_popover (InpModelPicker *self)
{
  return self->popover;
}

guint
inp_model_picker_get_n_groups (InpModelPicker *self)
{
  return G_N_ELEMENTS (self->groups);
}

GListModel *
inp_model_picker_get_group (InpModelPicker  *self,
                            guint            index,
                            const char     **title,
                            GtkWidget      **list)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (self->groups), NULL);

  if (title != NULL)
    *title = gettext (self->groups[index].info->title);
  if (list != NULL)
    {
      ensure_rows (self);
      *list = self->groups[index].list;
    }
  return G_LIST_MODEL (self->groups[index].model);
}

/* GObject */

static void
select_remembered (InpModelPicker *self)
{
  g_set_object (&self->selected, find_remembered (self));
  update_current (self);
  update_rows (self);
}

static void
inp_model_picker_dispose (GObject *object)
{
  InpModelPicker *self = INP_MODEL_PICKER (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    if (self->groups[i].list != NULL)
      gtk_list_box_bind_model (GTK_LIST_BOX (self->groups[i].list), NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), INP_TYPE_MODEL_PICKER);

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      g_clear_object (&self->groups[i].model);
      g_clear_object (&self->groups[i].filter);
    }
  g_clear_object (&self->selected);
  g_clear_object (&self->custom);
  g_clear_object (&self->catalog);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (inp_model_picker_parent_class)->dispose (object);
}

static void
inp_model_picker_finalize (GObject *object)
{
  InpModelPicker *self = INP_MODEL_PICKER (object);

  g_free (self->search_text);

  G_OBJECT_CLASS (inp_model_picker_parent_class)->finalize (object);
}

static void
inp_model_picker_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  InpModelPicker *self = INP_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED_MODEL:
      g_value_set_object (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_model_picker_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  InpModelPicker *self = INP_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED_MODEL:
      inp_model_picker_set_selected_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
inp_model_picker_class_init (InpModelPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = inp_model_picker_dispose;
  object_class->finalize = inp_model_picker_finalize;
  object_class->get_property = inp_model_picker_get_property;
  object_class->set_property = inp_model_picker_set_property;

  /**
   * InpModelPicker:selected-model:
   *
   * The chosen model; remembered across starts.
   */
  properties[PROP_SELECTED_MODEL] =
    g_param_spec_object ("selected-model", NULL, NULL, INP_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * InpModelPicker::add-model-requested:
   * @name: the model's `owner/name`
   *
   * The user asked to add a model by name, or to update one added before to its latest version.
   * The handler fetches it and calls inp_model_picker_add_model(), or
   * inp_model_picker_show_add_error() when that fails.
   */
  signals[ADD_MODEL_REQUESTED] =
    g_signal_new ("add-model-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               INP_RESOURCE_PREFIX "/inp-model-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, current_row);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, current_warning);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, current_tags);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, menu_button);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, popover);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, groups_box);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, empty_label);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, add_entry);
  gtk_widget_class_bind_template_child (widget_class, InpModelPicker, add_error_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_entry_changed_cb);
}

static void
inp_model_picker_init (InpModelPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  inp_a11y_name_inner_buttons (GTK_WIDGET (self));

  self->catalog = g_object_ref (inp_catalog_get_default ());
  self->custom = inp_custom_models_new (NULL);
  self->settings = g_settings_new (APP_ID);
  build_groups (self);
  select_remembered (self);
}
