/* cairn-journey.h
 *
 * Where a patient is in the course, and what needs a clinician: the
 * course as the template shapes it (screening, preparation, each medicine
 * session with its integration sessions and phone check-ins, follow-up),
 * with what has taken place against what the template plans, and the
 * alerts that come from the clinical record.
 *
 * cairn_journey_compute() is pure: it sees only what it is given, so each
 * rule is tested without a vault. cairn_journey_load() reads what it needs
 * from both databases (audited) and computes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-gate.h"
#include "cairn-protocol.h"
#include "cairn-schedule.h"
#include "cairn-screening.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

typedef enum
{
  CAIRN_JOURNEY_STEP_NOT_BOOKED,   /* nothing has taken place, nothing booked */
  CAIRN_JOURNEY_STEP_BOOKED,       /* nothing has taken place yet; booked */
  CAIRN_JOURNEY_STEP_UNDER_WAY,    /* some have taken place, not all */
  CAIRN_JOURNEY_STEP_DONE,         /* as many as the template plans */
} CairnJourneyStepState;

/* One line of the course, e.g. "Preparation 2 of 3". */
typedef struct
{
  CairnPhase            phase;
  guint                 round;       /* 1-based medicine session it belongs to; 0 outside the rounds */
  gboolean              by_phone;    /* the phone check-ins of a round */
  char                 *type_id;     /* the appointment type counted */
  char                 *title;       /* e.g. "Medicine session 2", "Phone check-ins" */
  guint                 done;        /* took place */
  guint                 planned;     /* what the template plans */
  guint                 booked;      /* still to come */
  guint                 missed;      /* no-shows, phone check-ins not reached or not recorded */
  gint64                next_start;  /* UTC seconds of the next booked one; 0 when none */
  gint64                last_done;   /* UTC seconds of the last that took place; 0 when none */
  CairnJourneyStepState state;
} CairnJourneyStep;

typedef enum
{
  CAIRN_JOURNEY_ALERT_ELIGIBILITY,     /* no decision, or it needs review */
  CAIRN_JOURNEY_ALERT_NOT_ELIGIBLE,    /* decided not eligible, yet sessions are booked */
  CAIRN_JOURNEY_ALERT_EXCLUSION,       /* an exclusion unanswered, unknown or yes */
  CAIRN_JOURNEY_ALERT_SEROTONERGIC,    /* a serotonergic medicine not tapered off */
  CAIRN_JOURNEY_ALERT_SUICIDALITY,     /* the latest PHQ-9 has item 9 above 0 */
  CAIRN_JOURNEY_ALERT_CHECK_IN_MISSED, /* a phone check-in not reached, or not recorded */
  CAIRN_JOURNEY_ALERT_MEASURE_OVERDUE, /* a measure the template asks for is overdue */
  CAIRN_JOURNEY_ALERT_NOTE_UNSIGNED,   /* a session took place and its note is not signed */
} CairnJourneyAlertKind;

typedef struct
{
  CairnJourneyAlertKind kind;
  char                 *title;       /* short, e.g. "Eligibility not decided" */
  char                 *detail;      /* a sentence saying what and since when */
  const char           *tab;         /* the patient page's tab that resolves it */
  gboolean              urgent;      /* shown first and marked as an error */
} CairnJourneyAlert;

typedef struct
{
  GPtrArray *steps;           /* CairnJourneyStep, in course order */
  GPtrArray *alerts;          /* CairnJourneyAlert, urgent first */
  GPtrArray *gate;            /* CairnGateCheck for the next medicine session; never NULL */
  gint64     next_start;      /* the patient's next booked appointment; 0 when none */
  char      *next_type_id;    /* its type; NULL when none */
  char      *next_type_name;  /* its type's name; NULL when none */
  char      *next_medicine_session_id; /* the next booked medicine session; NULL when none */
  gint64     next_medicine_session_start; /* its start, UTC seconds; 0 when none */
  char      *gate_today;      /* the practice-local day the gate was evaluated for */
  CairnEligibility eligibility;
  GTimeZone *zone;            /* the practice's, to show the times in */
} CairnJourney;

/* What cairn_journey_compute() works from. Arrays may be NULL (nothing
 * recorded); elements are the stores' own records. */
typedef struct
{
  const CairnProtocol  *protocol;
  GTimeZone            *zone;          /* the practice's */
  gint64                now;           /* UTC seconds */
  GPtrArray            *appointments;  /* CairnAppointment, every one of the patient's */
  const CairnScreening *screening;
  GPtrArray            *gate;          /* CairnGateCheck, as cairn_gate_evaluate() gives them */
  GPtrArray            *notes;         /* CairnNote */
  GPtrArray            *check_ins;     /* CairnPhoneCheckIn */
  GPtrArray            *measures;      /* CairnMeasure */
} CairnJourneyInput;

CairnJourney *cairn_journey_compute      (const CairnJourneyInput *input);
CairnJourney *cairn_journey_load         (CairnVault              *vault,
                                          const char              *patient_id,
                                          gint64                   now,
                                          GError                 **error);
void          cairn_journey_free         (CairnJourney            *journey);
void          cairn_journey_step_free    (CairnJourneyStep        *step);
void          cairn_journey_alert_free   (CairnJourneyAlert       *alert);

/* Fills @context for the gate of the patient's next medicine session among
 * @appointments (CairnAppointment): booked or checked in, not yet over.
 * Only clinicians still on the staff count as therapists. @session, when
 * given, is set to that appointment or NULL. */
gboolean      cairn_gate_context_for_next_session (CairnDatabase           *practice,
                                                   const CairnProtocol     *protocol,
                                                   GPtrArray               *appointments,
                                                   gint64                   now,
                                                   CairnGateContext        *context,
                                                   const CairnAppointment **session,
                                                   GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnJourney, cairn_journey_free)

G_END_DECLS
