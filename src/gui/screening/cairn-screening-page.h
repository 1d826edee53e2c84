/* cairn-screening-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-patients.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_SCREENING_PAGE (cairn_screening_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnScreeningPage, cairn_screening_page, CAIRN, SCREENING_PAGE, GtkWidget)

/* Shows the patient's records, read on the worker of the context's vault
 * (the "context" property); the page holds a reference to that vault until
 * cleared. */
void cairn_screening_page_load  (CairnScreeningPage         *self,
                              const CairnPatient *patient);
/* Forgets everything shown and drops the vault (on lock, or another patient). */
void cairn_screening_page_clear (CairnScreeningPage         *self);

G_END_DECLS
