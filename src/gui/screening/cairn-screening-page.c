/* cairn-screening-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screening"

#include "config.h"

#include "cairn-screening-page.h"

struct _CairnScreeningPage
{
  GtkWidget   parent_instance;

  CairnVault *vault;
};

G_DEFINE_FINAL_TYPE (CairnScreeningPage, cairn_screening_page, GTK_TYPE_WIDGET)

static void
cairn_screening_page_dispose (GObject *object)
{
  CairnScreeningPage *self = CAIRN_SCREENING_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_SCREENING_PAGE);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (cairn_screening_page_parent_class)->dispose (object);
}

static void
cairn_screening_page_class_init (CairnScreeningPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_screening_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/screening/cairn-screening-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cairn_screening_page_init (CairnScreeningPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
cairn_screening_page_load (CairnScreeningPage         *self,
                        CairnVault         *vault,
                        const CairnPatient *patient)
{
  g_return_if_fail (CAIRN_IS_SCREENING_PAGE (self));
  g_return_if_fail (CAIRN_IS_VAULT (vault));
  g_return_if_fail (patient != NULL);

  g_set_object (&self->vault, vault);
}

void
cairn_screening_page_clear (CairnScreeningPage *self)
{
  g_return_if_fail (CAIRN_IS_SCREENING_PAGE (self));

  g_clear_object (&self->vault);
}
