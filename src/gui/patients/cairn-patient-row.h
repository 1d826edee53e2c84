/* cairn-patient-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cairn-patients.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_PATIENT_ROW (cairn_patient_row_get_type ())

G_DECLARE_FINAL_TYPE (CairnPatientRow, cairn_patient_row, CAIRN, PATIENT_ROW, GObject)

CairnPatientRow           *cairn_patient_row_new            (CairnPatientSummary *summary);
const CairnPatientSummary *cairn_patient_row_get_summary    (CairnPatientRow     *self);
const char                *cairn_patient_row_get_id         (CairnPatientRow     *self);
const char                *cairn_patient_row_get_legal_name (CairnPatientRow     *self);
gboolean                   cairn_patient_row_get_archived   (CairnPatientRow     *self);

char *cairn_patient_format_nickname (const char                *legal_name,
                                     const char                *preferred_name);
char *cairn_patient_format_birth    (const char                *date_of_birth,
                                     GDate                     *today);
char *cairn_patient_format_details  (const CairnPatientSummary *summary,
                                     GDate                     *today);
void  cairn_patient_get_today       (GDate                     *today);

G_END_DECLS
