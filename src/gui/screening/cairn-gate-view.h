/* cairn-gate-view.h
 *
 * The eligibility gate for a patient's next medicine session: each check
 * with its state and reason, and "Override…" on a failed one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_GATE_VIEW (cairn_gate_view_get_type ())

G_DECLARE_FINAL_TYPE (CairnGateView, cairn_gate_view, CAIRN, GATE_VIEW, GtkWidget)

GtkWidget *cairn_gate_view_new   (CairnContext  *context);
/* Evaluates the gate for the patient's next medicine session on the
 * worker of the context's vault and shows it; holds a reference to that
 * vault until cleared. */
void       cairn_gate_view_load  (CairnGateView *self,
                                  const char    *patient_id);
/* Shows a gate the caller evaluated (see cairn_journey_load()). */
void       cairn_gate_view_show  (CairnGateView *self,
                                  const char    *patient_id,
                                  GPtrArray     *checks,
                                  const char    *today,
                                  const char    *session_id,
                                  gint64         session_start,
                                  GTimeZone     *zone);
/* Forgets everything shown and drops the vault. */
void       cairn_gate_view_clear (CairnGateView *self);

G_END_DECLS
