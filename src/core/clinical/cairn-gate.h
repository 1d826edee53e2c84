/* cairn-gate.h
 *
 * The eligibility gate: a pure function of the clinical state and the
 * template, shown before a medicine session may be started. No I/O.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-protocol.h"
#include "cairn-screening.h"

G_BEGIN_DECLS

/* The stable ids of the checks, in the order cairn_gate_evaluate() gives them. */
#define CAIRN_GATE_CHECK_ELIGIBILITY    "eligibility"
#define CAIRN_GATE_CHECK_CONSENT        "consent"
#define CAIRN_GATE_CHECK_EXCLUSIONS     "exclusions"
#define CAIRN_GATE_CHECK_SEROTONERGIC   "serotonergic"
#define CAIRN_GATE_CHECK_PREGNANCY_TEST "pregnancy-test"
#define CAIRN_GATE_CHECK_THERAPISTS     "therapists"

typedef struct
{
  char    *id;               /* one of the CAIRN_GATE_CHECK_* ids */
  char    *title;            /* shown, e.g. "Consent on file" */
  gboolean passed;
  char    *reason;           /* a sentence saying why it passed or failed */
  gboolean overridden;       /* failed, but a clinician overrode it for today */
  char    *override_reason;  /* the written reason; NULL unless overridden */
} CairnGateCheck;

typedef struct
{
  const char *today;         /* "YYYY-MM-DD", practice-local */
  guint       n_therapists;  /* assigned to the medicine session */
  gboolean    has_session;   /* a medicine session is booked */
} CairnGateContext;

/* Returns: (transfer full) CairnGateCheck elements, every check of the
 * template in a stable order; a check that does not apply (no pregnancy
 * test in the template, or not applicable to the patient) passes and
 * says so. */
GPtrArray *cairn_gate_evaluate    (const CairnScreening   *screening,
                                   const CairnProtocol    *protocol,
                                   const CairnGateContext *context);
gboolean   cairn_gate_all_clear   (GPtrArray              *checks);
void       cairn_gate_check_free  (CairnGateCheck         *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnGateCheck, cairn_gate_check_free)

G_END_DECLS
