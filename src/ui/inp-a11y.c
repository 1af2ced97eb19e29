/* inp-a11y.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "inp-a11y.h"

static void
tooltip_changed_cb (GtkWidget  *widget,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    tooltip, -1);
}

/* libadwaita 1.2's password row has an icon-only button to show the text; its tooltip, which
 * libadwaita translates and changes with the state, is the only name it has. */
static void
name_password_row_buttons (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_tooltip_text (widget) != NULL)
    {
      tooltip_changed_cb (widget, NULL, NULL);
      g_signal_connect (widget, "notify::tooltip-text", G_CALLBACK (tooltip_changed_cb), NULL);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_password_row_buttons (child);
}

/**
 * inp_a11y_name_inner_buttons:
 * @root: a widget whose template has been initialised
 *
 * Lets the focusable button inside each icon-only #GtkMenuButton, #GtkColorButton and
 * #GtkDropDown under @root speak the outer widget's accessible label. In GTK 4.8 that inner
 * button names itself after its content (an icon, a colour swatch, the selected item), so a
 * screen reader would say "GtkImage" when it takes the focus; the label set on the outer widget
 * in the .ui file never reaches it. Also names the show-text button of each
 * #AdwPasswordEntryRow. Call again after changing such a button's icon.
 */
void
inp_a11y_name_inner_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if ((GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_label (GTK_MENU_BUTTON (root)) == NULL)
      || GTK_IS_COLOR_BUTTON (root) || GTK_IS_DROP_DOWN (root))
    {
      GtkWidget *inner = gtk_widget_get_first_child (root);

      if (GTK_IS_BUTTON (inner))
        gtk_accessible_update_relation (GTK_ACCESSIBLE (inner),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY, root, NULL,
                                        -1);
    }

  if (ADW_IS_PASSWORD_ENTRY_ROW (root))
    {
      name_password_row_buttons (root);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    inp_a11y_name_inner_buttons (child);
}

/**
 * inp_a11y_name_list_cell:
 * @child: the widget a list item factory put into a #GtkListView or #GtkGridView cell
 *
 * Lets the cell, which takes the focus, speak @child's accessible label. GTK 4.8 has no API
 * to label a list item, and the cell otherwise names itself after its type.
 */
void
inp_a11y_name_list_cell (GtkWidget *child)
{
  GtkWidget *cell;

  g_return_if_fail (GTK_IS_WIDGET (child));

  cell = gtk_widget_get_parent (child);
  if (cell != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                    child, NULL, -1);
}
