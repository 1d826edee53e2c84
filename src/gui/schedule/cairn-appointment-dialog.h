/* cairn-appointment-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-agenda.h"
#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_APPOINTMENT_DIALOG (cairn_appointment_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CairnAppointmentDialog, cairn_appointment_dialog, CAIRN, APPOINTMENT_DIALOG, AdwWindow)

CairnAppointmentDialog *cairn_appointment_dialog_new       (CairnContext          *context,
                                                            const CairnAgendaItem *item,
                                                            gint64                 start);
const char             *cairn_appointment_dialog_get_state (CairnAppointmentDialog *self);

G_END_DECLS
