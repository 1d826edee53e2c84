/* cairn-journey-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-journey.h"
#include "cairn-patients.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_JOURNEY_PAGE (cairn_journey_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnJourneyPage, cairn_journey_page, CAIRN, JOURNEY_PAGE, GtkWidget)

/* Shows the patient's records, read on the worker of the context's vault
 * (the "context" property); the page holds a reference to that vault until
 * cleared. */
void cairn_journey_page_load  (CairnJourneyPage         *self,
                              const CairnPatient *patient);
/* Forgets everything shown and drops the vault (on lock, or another patient). */
void cairn_journey_page_clear (CairnJourneyPage         *self);

void                cairn_journey_page_set_now     (CairnJourneyPage *self,
                                                    gint64            now);
const CairnJourney *cairn_journey_page_get_journey (CairnJourneyPage *self);

G_END_DECLS
