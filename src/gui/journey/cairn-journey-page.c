/* cairn-journey-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-journey"

#include "config.h"

#include "cairn-journey-page.h"

struct _CairnJourneyPage
{
  GtkWidget   parent_instance;

  CairnVault *vault;
};

G_DEFINE_FINAL_TYPE (CairnJourneyPage, cairn_journey_page, GTK_TYPE_WIDGET)

static void
cairn_journey_page_dispose (GObject *object)
{
  CairnJourneyPage *self = CAIRN_JOURNEY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_JOURNEY_PAGE);
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (cairn_journey_page_parent_class)->dispose (object);
}

static void
cairn_journey_page_class_init (CairnJourneyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_journey_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/journey/cairn-journey-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cairn_journey_page_init (CairnJourneyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
cairn_journey_page_load (CairnJourneyPage         *self,
                        CairnVault         *vault,
                        const CairnPatient *patient)
{
  g_return_if_fail (CAIRN_IS_JOURNEY_PAGE (self));
  g_return_if_fail (CAIRN_IS_VAULT (vault));
  g_return_if_fail (patient != NULL);

  g_set_object (&self->vault, vault);
}

void
cairn_journey_page_clear (CairnJourneyPage *self)
{
  g_return_if_fail (CAIRN_IS_JOURNEY_PAGE (self));

  g_clear_object (&self->vault);
}
