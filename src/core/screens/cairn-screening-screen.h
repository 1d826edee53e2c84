/* cairn-screening-screen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-gate.h"
#include "cairn-protocol.h"
#include "cairn-screening.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

/* What the Screening tab shows of one patient, read in one go. */
typedef struct
{
  char           *patient_id;
  CairnScreening *screening;     /* read and audited ("screening.read") */
  CairnProtocol  *protocol;      /* the practice's template in use */
  GHashTable     *names;         /* user id → name, of the staff */
  char           *today;         /* the practice's, "YYYY-MM-DD" */
} CairnScreeningScreen;

CairnScreeningScreen *cairn_screening_screen_load (CairnVault           *vault,
                                                   const char           *patient_id,
                                                   gint64                now,
                                                   GError              **error);
void                  cairn_screening_screen_free (CairnScreeningScreen *screen);

/* What the gate view shows of one patient: the gate for the next medicine
 * session booked, evaluated on the practice's today. */
typedef struct
{
  char      *patient_id;
  GPtrArray *checks;             /* CairnGateCheck, as cairn_gate_evaluate() gives them */
  char      *today;              /* the practice's, "YYYY-MM-DD": the day an override holds */
  gboolean   has_session;        /* a medicine session is booked */
  char      *session_id;         /* the next medicine session; NULL when none */
  gint64     session_start;      /* its start, UTC seconds; 0 when none */
  guint      n_therapists;       /* clinicians assigned to it */
  GTimeZone *zone;               /* the practice's, to show the start in */
} CairnGateScreen;

CairnGateScreen      *cairn_gate_screen_load      (CairnVault           *vault,
                                                   const char           *patient_id,
                                                   gint64                now,
                                                   GError              **error);
void                  cairn_gate_screen_free      (CairnGateScreen      *screen);

/* ------------------------------------------------------------------------ */
/* The tab's writes                                                          */

typedef enum
{
  CAIRN_SCREENING_CHANGE_DETAILS,      /* details, parts */
  CAIRN_SCREENING_CHANGE_EXCLUSION,    /* exclusion_id, answer, note */
  CAIRN_SCREENING_CHANGE_MEDICATION,   /* medication (its id NULL when new) */
  CAIRN_SCREENING_CHANGE_REMOVE_MEDICATION, /* id */
  CAIRN_SCREENING_CHANGE_ADD_TEST,     /* date, result; answered with id */
  CAIRN_SCREENING_CHANGE_REMOVE_TEST,  /* id */
  CAIRN_SCREENING_CHANGE_DECISION,     /* decision, reason, date */
} CairnScreeningChangeKind;

/* One save of the Screening tab: what to write, and once answered, who
 * wrote it and what the store refused. */
typedef struct
{
  CairnScreeningChangeKind kind;
  char                  *patient_id;
  CairnScreeningDetails *details;
  CairnScreeningParts    parts;
  char                  *exclusion_id;
  CairnExclusionAnswer   answer;
  char                  *note;
  CairnMedication       *medication;
  gboolean               is_new;       /* the medication had no id */
  char                  *id;           /* the medication or test removed, the test added */
  char                  *date;         /* the test's, or the decision's */
  CairnPregnancyResult   result;
  CairnEligibility       decision;
  char                  *reason;

  /* The answer */
  char                  *user_id;      /* who saved it */
  GPtrArray             *problems;     /* CairnFieldProblem: bad input, nothing written; NULL when saved */
} CairnScreeningChange;

CairnScreeningChange *cairn_screening_change_new   (CairnScreeningChangeKind  kind,
                                                    const char               *patient_id);
void                  cairn_screening_change_free  (CairnScreeningChange     *change);

void                  cairn_screening_save_async   (CairnVault               *vault,
                                                    CairnScreeningChange     *change,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data);
CairnScreeningChange *cairn_screening_save_finish  (CairnVault               *vault,
                                                    GAsyncResult             *result,
                                                    GError                  **error);
/* Brings the screening shown in step with a change saved. */
void                  cairn_screening_change_apply (CairnScreeningChange     *change,
                                                    CairnScreening           *screening);

/* A failed gate check let pass for a day, with the clinician's reason. */
void                  cairn_gate_override_async    (CairnVault               *vault,
                                                    const char               *patient_id,
                                                    const char               *check_id,
                                                    const char               *applies_on,
                                                    const char               *appointment_id,
                                                    const char               *reason,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data);
gboolean              cairn_gate_override_finish   (CairnVault               *vault,
                                                    GAsyncResult             *result,
                                                    GPtrArray               **problems,
                                                    GError                  **error);

/* The baseline's numbers as typed and shown: empty is 0 (not taken), and
 * what is not a number adds a problem for @field to @problems (and is 0).
 * A decimal takes a point or a comma. */
guint                 cairn_screening_parse_whole    (const char *text,
                                                      const char *field,
                                                      GPtrArray  *problems);
double                cairn_screening_parse_decimal  (const char *text,
                                                      const char *field,
                                                      GPtrArray  *problems);
char                 *cairn_screening_format_whole   (guint       value);
char                 *cairn_screening_format_decimal (double      value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnScreeningScreen, cairn_screening_screen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnGateScreen, cairn_gate_screen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnScreeningChange, cairn_screening_change_free)

G_END_DECLS
