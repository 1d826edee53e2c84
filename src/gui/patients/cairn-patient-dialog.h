/* cairn-patient-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-patients.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_PATIENT_DIALOG (cairn_patient_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CairnPatientDialog, cairn_patient_dialog, CAIRN, PATIENT_DIALOG, AdwWindow)

CairnPatientDialog *cairn_patient_dialog_new (GtkWindow          *parent,
                                              CairnContext       *context,
                                              const CairnPatient *patient);

G_END_DECLS
