/* cairn-screening-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-patients.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_SCREENING_PAGE (cairn_screening_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnScreeningPage, cairn_screening_page, CAIRN, SCREENING_PAGE, GtkWidget)

/* Shows the patient's records, read on the vault's worker; the page holds
 * a reference to the vault until cleared. */
void cairn_screening_page_load  (CairnScreeningPage         *self,
                              CairnVault         *vault,
                              const CairnPatient *patient);
/* Forgets everything shown and drops the vault (on lock, or another patient). */
void cairn_screening_page_clear (CairnScreeningPage         *self);

G_END_DECLS
