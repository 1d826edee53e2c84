/* cairn-screening.h
 *
 * Screening records in clinical.db: histories, the template's exclusions
 * answered, medications, baseline vital signs and tests, consent and the
 * people who support the patient, the eligibility decision and the gate's
 * overrides. Every read and every write is audited in its own transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"
#include "cairn-patients.h"

G_BEGIN_DECLS

#define CAIRN_SCREENING_ERROR (cairn_screening_error_quark ())

typedef enum
{
  CAIRN_SCREENING_ERROR_INVALID,     /* bad input: see the field problems */
  CAIRN_SCREENING_ERROR_NOT_FOUND,   /* no such patient, medication or test */
} CairnScreeningError;

/* The answer to one exclusion of the template. An exclusion that has no
 * row is unanswered. */
typedef enum
{
  CAIRN_EXCLUSION_ANSWER_UNKNOWN,
  CAIRN_EXCLUSION_ANSWER_NO,
  CAIRN_EXCLUSION_ANSWER_YES,
} CairnExclusionAnswer;

typedef enum
{
  CAIRN_ELIGIBILITY_NONE,            /* no decision recorded yet */
  CAIRN_ELIGIBILITY_ELIGIBLE,
  CAIRN_ELIGIBILITY_NOT_ELIGIBLE,
  CAIRN_ELIGIBILITY_NEEDS_REVIEW,
} CairnEligibility;

typedef enum
{
  CAIRN_PREGNANCY_RESULT_NEGATIVE,
  CAIRN_PREGNANCY_RESULT_POSITIVE,
} CairnPregnancyResult;

/* Which parts of CairnScreeningDetails a save writes; the others are kept. */
typedef enum
{
  CAIRN_SCREENING_PART_HISTORY  = 1 << 0, /* diagnosis and the three histories */
  CAIRN_SCREENING_PART_BASELINE = 1 << 1, /* vital signs, ECG and lab dates, pregnancy applicable */
  CAIRN_SCREENING_PART_CONSENT  = 1 << 2, /* consent date and the three people */
  CAIRN_SCREENING_PART_ALL      = 0x7,
} CairnScreeningParts;

/* The one-per-patient fields. Text may be NULL; empty text is stored as
 * NULL. Dates are "YYYY-MM-DD" or NULL. A vital sign of 0 is not recorded.
 * Field names in problems are the member names. */
typedef struct
{
  /* history */
  char    *diagnosis;
  char    *psychiatric_history;
  char    *medical_history;
  char    *trauma_history;

  /* baseline */
  char    *vitals_date;          /* when the vital signs below were taken */
  guint    systolic;             /* mmHg, 60 … 260 */
  guint    diastolic;            /* mmHg, 30 … 160, below systolic */
  guint    heart_rate;           /* bpm, 25 … 250 */
  double   temperature;          /* °C, 32.0 … 43.0 */
  double   weight;               /* kg, 20 … 400 */
  char    *ecg_date;
  char    *labs_date;
  gboolean pregnancy_applicable;

  /* consent and support */
  char    *consent_date;
  char    *support_person;
  char    *driver;
  char    *overnight_attendant;

  char    *updated_at;           /* read only; NULL when nothing is saved yet */
  char    *updated_by;           /* read only: a user id */
} CairnScreeningDetails;

typedef struct
{
  char                *exclusion_id;   /* an exclusion id of the template */
  CairnExclusionAnswer answer;
  char                *note;           /* may be NULL */
  char                *updated_at;     /* read only */
  char                *updated_by;     /* read only */
} CairnExclusionRecord;

typedef struct
{
  char    *id;                   /* NULL until saved */
  char    *name;                 /* e.g. "Sertraline" */
  char    *dose;                 /* free text, e.g. "50 mg once a day"; may be NULL */
  gboolean serotonergic;
  char    *taper_plan;           /* may be NULL */
  char    *tapered_off;          /* "YYYY-MM-DD" or NULL while still taken */
  char    *updated_at;           /* read only */
} CairnMedication;

typedef struct
{
  char                *id;
  char                *date;     /* "YYYY-MM-DD" */
  CairnPregnancyResult result;
  char                *recorded_by;
  char                *created_at;
} CairnPregnancyTest;

typedef struct
{
  char            *id;
  CairnEligibility decision;
  char            *reason;
  char            *decided_by;   /* a user id */
  char            *decided_on;   /* "YYYY-MM-DD" */
  char            *created_at;
} CairnEligibilityDecision;

/* A clinician's written reason to let a failed gate check pass on one day. */
typedef struct
{
  char *id;
  char *check_id;                /* a CairnGateCheck id, e.g. "consent" */
  char *applies_on;              /* "YYYY-MM-DD" */
  char *appointment_id;          /* the medicine session it was given for; may be NULL */
  char *reason;
  char *recorded_by;             /* a user id */
  char *created_at;
} CairnGateOverride;

/* Everything screening knows of one patient. Arrays are never NULL. */
typedef struct
{
  char                  *patient_id;
  CairnScreeningDetails  details;
  GPtrArray             *exclusions;       /* CairnExclusionRecord, in the order answered */
  GPtrArray             *medications;      /* CairnMedication, live ones, by name */
  GPtrArray             *pregnancy_tests;  /* CairnPregnancyTest, newest first */
  GPtrArray             *decisions;        /* CairnEligibilityDecision, newest first */
  GPtrArray             *overrides;        /* CairnGateOverride, newest first */
} CairnScreening;

GQuark                          cairn_screening_error_quark        (void);

CairnScreening                 *cairn_screening_new                (const char                  *patient_id);
void                            cairn_screening_free               (CairnScreening              *screening);
const CairnEligibilityDecision *cairn_screening_get_decision       (const CairnScreening        *screening);
CairnEligibility                cairn_screening_get_eligibility    (const CairnScreening        *screening);
const CairnExclusionRecord     *cairn_screening_find_exclusion     (const CairnScreening        *screening,
                                                                    const char                  *exclusion_id);

CairnScreeningDetails          *cairn_screening_details_copy       (const CairnScreeningDetails *details);
void                            cairn_screening_details_clear      (CairnScreeningDetails       *details);
void                            cairn_screening_details_free       (CairnScreeningDetails       *details);
CairnMedication                *cairn_medication_new               (void);
CairnMedication                *cairn_medication_copy              (const CairnMedication       *medication);
void                            cairn_medication_free              (CairnMedication             *medication);
void                            cairn_exclusion_record_free        (CairnExclusionRecord        *record);
void                            cairn_pregnancy_test_free          (CairnPregnancyTest          *test);
void                            cairn_eligibility_decision_free    (CairnEligibilityDecision    *decision);
void                            cairn_gate_override_free           (CairnGateOverride           *override);

const char                     *cairn_eligibility_to_string        (CairnEligibility             eligibility);
gboolean                        cairn_eligibility_from_string      (const char                  *text,
                                                                    CairnEligibility            *eligibility);
const char                     *cairn_eligibility_get_label        (CairnEligibility             eligibility);
const char                     *cairn_exclusion_answer_to_string   (CairnExclusionAnswer         answer);
gboolean                        cairn_exclusion_answer_from_string (const char                  *text,
                                                                    CairnExclusionAnswer        *answer);

/* Pure checks, also run by the saves: each returns the problems
 * (CairnFieldProblem), empty when there are none. @today is "YYYY-MM-DD",
 * the practice's date (the saves use cairn_database_today()). */
GPtrArray                      *cairn_screening_validate_details   (const CairnScreeningDetails *details,
                                                                    CairnScreeningParts          parts,
                                                                    const char                  *today);
GPtrArray                      *cairn_medication_validate          (const CairnMedication       *medication,
                                                                    const char                  *today);

/* The shipped list of common serotonergic medicines, one name each. */
GStrv                           cairn_screening_serotonergic_list  (void);
gboolean                        cairn_screening_is_serotonergic    (const char                  *medicine_name);

/* An audited read ("screening.read"). A patient with nothing recorded
 * gives an empty CairnScreening. */
CairnScreening                 *cairn_screening_load               (CairnDatabase               *clinical,
                                                                    const char                  *patient_id,
                                                                    const char                  *user_id,
                                                                    GError                     **error);

/* The saves. Each is one transaction with its audit entry. On bad input
 * they write nothing, fail with %CAIRN_SCREENING_ERROR_INVALID and, when
 * @problems is not NULL, set it to the CairnFieldProblem list. */
gboolean                        cairn_screening_save_details       (CairnDatabase               *clinical,
                                                                    const char                  *patient_id,
                                                                    const CairnScreeningDetails *details,
                                                                    CairnScreeningParts          parts,
                                                                    const char                  *user_id,
                                                                    GPtrArray                  **problems,
                                                                    GError                     **error);
gboolean                        cairn_screening_set_exclusion      (CairnDatabase               *clinical,
                                                                    const char                  *patient_id,
                                                                    const char                  *exclusion_id,
                                                                    CairnExclusionAnswer         answer,
                                                                    const char                  *note,
                                                                    const char                  *user_id,
                                                                    GPtrArray                  **problems,
                                                                    GError                     **error);
/* Adds @medication when its id is NULL (and sets the id), else updates it. */
gboolean                        cairn_screening_save_medication    (CairnDatabase               *clinical,
                                                                    const char                  *patient_id,
                                                                    CairnMedication             *medication,
                                                                    const char                  *user_id,
                                                                    GPtrArray                  **problems,
                                                                    GError                     **error);
gboolean                        cairn_screening_remove_medication  (CairnDatabase               *clinical,
                                                                    const char                  *patient_id,
                                                                    const char                  *medication_id,
                                                                    const char                  *user_id,
                                                                    GError                     **error);
/* Returns the new test's id, or NULL. */
char                           *cairn_screening_add_pregnancy_test (CairnDatabase               *clinical,
                                                                    const char                  *patient_id,
                                                                    const char                  *date,
                                                                    CairnPregnancyResult         result,
                                                                    const char                  *user_id,
                                                                    GPtrArray                  **problems,
                                                                    GError                     **error);
gboolean                        cairn_screening_remove_pregnancy_test (CairnDatabase            *clinical,
                                                                    const char                  *patient_id,
                                                                    const char                  *test_id,
                                                                    const char                  *user_id,
                                                                    GError                     **error);
/* Appends to the decision history; decided_by is @user_id. @decided_on is
 * "YYYY-MM-DD", not in the future; NULL means today. A reason is required
 * (field "reason"), as is a decision other than NONE (field "decision"). */
gboolean                        cairn_screening_record_decision    (CairnDatabase               *clinical,
                                                                    const char                  *patient_id,
                                                                    CairnEligibility             decision,
                                                                    const char                  *reason,
                                                                    const char                  *decided_on,
                                                                    const char                  *user_id,
                                                                    GPtrArray                  **problems,
                                                                    GError                     **error);
/* Records that a failed gate check (@check_id) is overridden on
 * @applies_on ("YYYY-MM-DD"), optionally for one appointment; the reason
 * is required (field "reason"). */
gboolean                        cairn_screening_record_override    (CairnDatabase               *clinical,
                                                                    const char                  *patient_id,
                                                                    const char                  *check_id,
                                                                    const char                  *applies_on,
                                                                    const char                  *appointment_id,
                                                                    const char                  *reason,
                                                                    const char                  *user_id,
                                                                    GPtrArray                  **problems,
                                                                    GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnScreening, cairn_screening_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnScreeningDetails, cairn_screening_details_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnMedication, cairn_medication_free)

G_END_DECLS
