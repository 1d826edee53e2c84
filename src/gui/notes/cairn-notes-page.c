/* cairn-notes-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-notes"

#include "config.h"

#include "cairn-notes-page.h"

struct _CairnNotesPage
{
  GtkWidget   parent_instance;

  CairnVault *vault;
};

G_DEFINE_FINAL_TYPE (CairnNotesPage, cairn_notes_page, GTK_TYPE_WIDGET)

static void
cairn_notes_page_dispose (GObject *object)
{
  CairnNotesPage *self = CAIRN_NOTES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_NOTES_PAGE);
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (cairn_notes_page_parent_class)->dispose (object);
}

static void
cairn_notes_page_class_init (CairnNotesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_notes_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/notes/cairn-notes-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cairn_notes_page_init (CairnNotesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
cairn_notes_page_load (CairnNotesPage         *self,
                        CairnVault         *vault,
                        const CairnPatient *patient)
{
  g_return_if_fail (CAIRN_IS_NOTES_PAGE (self));
  g_return_if_fail (CAIRN_IS_VAULT (vault));
  g_return_if_fail (patient != NULL);

  g_set_object (&self->vault, vault);
}

void
cairn_notes_page_clear (CairnNotesPage *self)
{
  g_return_if_fail (CAIRN_IS_NOTES_PAGE (self));

  g_clear_object (&self->vault);
}
