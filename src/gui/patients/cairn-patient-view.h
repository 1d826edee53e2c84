/* cairn-patient-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-agenda.h"
#include "cairn-context.h"
#include "cairn-patients.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_PATIENT_VIEW (cairn_patient_view_get_type ())

G_DECLARE_FINAL_TYPE (CairnPatientView, cairn_patient_view, CAIRN, PATIENT_VIEW, GtkWidget)

void                cairn_patient_view_set_context (CairnPatientView   *self,
                                                    CairnContext       *context);
void                cairn_patient_view_set_patient (CairnPatientView   *self,
                                                    const CairnPatient *patient);
const CairnPatient *cairn_patient_view_get_patient (CairnPatientView   *self);
void                cairn_patient_view_clear       (CairnPatientView   *self);
void                cairn_patient_view_set_appointments (CairnPatientView   *self,
                                                         GPtrArray          *items);

G_END_DECLS
