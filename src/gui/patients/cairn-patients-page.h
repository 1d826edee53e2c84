/* cairn-patients-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

/* How many patients one search shows at most; typing narrows the list. */
#define CAIRN_PATIENTS_PAGE_LIMIT 200

#define CAIRN_TYPE_PATIENTS_PAGE (cairn_patients_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnPatientsPage, cairn_patients_page, CAIRN, PATIENTS_PAGE, GtkWidget)

void              cairn_patients_page_set_context (CairnPatientsPage *self,
                                                       CairnContext      *context);
CairnContext     *cairn_patients_page_get_context (CairnPatientsPage *self);
GListModel       *cairn_patients_page_get_model       (CairnPatientsPage *self);
const char       *cairn_patients_page_get_view        (CairnPatientsPage *self);
const char       *cairn_patients_page_get_state       (CairnPatientsPage *self);
gboolean          cairn_patients_page_get_busy        (CairnPatientsPage *self);
void              cairn_patients_page_show_patient    (CairnPatientsPage *self,
                                                       const char        *id);

G_END_DECLS
