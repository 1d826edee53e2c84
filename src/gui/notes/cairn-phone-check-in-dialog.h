/* cairn-phone-check-in-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-notes.h"
#include "cairn-schedule.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_PHONE_CHECK_IN_DIALOG (cairn_phone_check_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CairnPhoneCheckInDialog, cairn_phone_check_in_dialog, CAIRN, PHONE_CHECK_IN_DIALOG, AdwWindow)

CairnPhoneCheckInDialog *cairn_phone_check_in_dialog_new       (CairnContext            *context,
                                                                const char              *patient_id,
                                                                const CairnAppointment  *appointment,
                                                                const CairnPhoneCheckIn *check_in,
                                                                gint64                   now);
const char              *cairn_phone_check_in_dialog_get_state (CairnPhoneCheckInDialog *self);

G_END_DECLS
