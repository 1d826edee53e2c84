/* cairn-measures.h
 *
 * Outcome measures in clinical.db. Every read and write is one transaction
 * with its audit entry. A half-answered form is saved only when marked
 * incomplete, and an incomplete one is never scored (total -1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"
#include "cairn-instruments.h"
#include "cairn-measure-chart.h"
#include "cairn-protocol.h"

G_BEGIN_DECLS

#define CAIRN_MEASURES_ERROR (cairn_measures_error_quark ())

typedef enum
{
  CAIRN_MEASURES_ERROR_INVALID,    /* field problems: see the save's field_problems */
  CAIRN_MEASURES_ERROR_NOT_FOUND,
} CairnMeasuresError;

/* One outcome measure as recorded. */
typedef struct
{
  char     *id;           /* NULL until saved */
  char     *patient_id;
  char     *instrument;   /* an instrument id: "pcl-5", "phq-9", "gad-7", "caps-5", "bdi-ii" */
  char     *taken_on;     /* "YYYY-MM-DD", the day it was filled in; not in the future */
  gboolean  complete;     /* FALSE: marked incomplete, never scored */
  GArray   *answers;      /* of int, one per item, -1 unanswered; NULL for a total-only instrument */
  int       total;        /* -1 when not scored; for a total-only instrument, the total entered */
  char     *timepoint;    /* nullable, e.g. "baseline", "after medicine session 2" */
  char     *note;         /* nullable */
  char     *created_at;   /* read only */
  char     *updated_at;   /* read only */
  char     *author;       /* read only: the user id who recorded it first; never changes */
  char     *updated_by;   /* read only: the user id who saved it last */
} CairnMeasure;

GQuark        cairn_measures_error_quark     (void);

/* A blank form of the instrument: every item unanswered, total -1,
 * complete TRUE, taken_on NULL. NULL for an unknown instrument. */
CairnMeasure *cairn_measure_new              (const char          *instrument);
CairnMeasure *cairn_measure_copy             (const CairnMeasure  *measure);
void          cairn_measure_free             (CairnMeasure        *measure);

/* The field problems of a draft (elements CairnFieldProblem, from
 * cairn-patients.h), empty when it may be saved. Fields: "taken_on",
 * "total", "answers" (with a message naming the first unanswered item),
 * "item-N" (N from 1, an answer out of range), "instrument", "note",
 * "timepoint". today NULL means the machine's date now; the save checks
 * against the practice's (cairn_database_today()). */
GPtrArray    *cairn_measure_validate         (const CairnMeasure  *measure,
                                              GDate               *today);

/* Scores a complete measure through the instruments API; FALSE (score
 * untouched) when it is incomplete, of an unknown instrument or invalid. */
gboolean      cairn_measure_score            (const CairnMeasure  *measure,
                                              CairnScore          *score);
/* The alerts the answers raise, complete or not. */
CairnMeasureAlerts cairn_measure_alerts      (const CairnMeasure  *measure);
/* PHQ-9 item 9 answered above 0: needs follow-up. */
gboolean      cairn_measure_has_item9_alert  (const CairnMeasure  *measure);

/* The patient's measures, not deleted, oldest first (taken_on, then
 * created_at); elements CairnMeasure. One audited read. */
GPtrArray    *cairn_measures_list            (CairnDatabase       *clinical,
                                              const char          *patient_id,
                                              const char          *user_id,
                                              GError             **error);
/* One measure by id (audited read); NOT_FOUND when none or deleted. */
CairnMeasure *cairn_measures_get             (CairnDatabase       *clinical,
                                              const char          *id,
                                              const char          *user_id,
                                              GError             **error);

/* Saves a new measure (draft->id NULL) or changes one. Validates first:
 * with problems, fails with CAIRN_MEASURES_ERROR_INVALID, sets
 * *field_problems (if given) and writes nothing. Computes the total of an
 * itemised form itself; an incomplete one is stored with total -1. On
 * success sets draft->id, created_at, updated_at, author, updated_by, total, and
 * *out_id (if given) to a copy of the id. One transaction with its audit entry. */
gboolean      cairn_measures_save            (CairnDatabase       *clinical,
                                              CairnMeasure        *draft,
                                              const char          *user_id,
                                              char               **out_id,
                                              GPtrArray          **field_problems,
                                              GError             **error);
/* Tombstones a measure; reason is required (kept in the audit trail). */
gboolean      cairn_measures_delete          (CairnDatabase       *clinical,
                                              const char          *id,
                                              const char          *reason,
                                              const char          *user_id,
                                              GError             **error);

/* The complete, scored measures of one instrument as chart points, oldest
 * first; elements CairnChartPoint. */
GArray       *cairn_measures_chart_points    (GPtrArray           *measures,
                                              const char          *instrument);

/* The days (julian, in the practice's zone, oldest first; elements
 * guint32) of the patient's medicine sessions that took place: appointments
 * of a medicine-session type of the protocol template, completed or
 * checked in, starting before now. Reads practice.db (front-desk data). */
GArray       *cairn_measures_session_days    (CairnDatabase       *practice,
                                              const CairnProtocol *protocol,
                                              const char          *patient_id,
                                              gint64               now,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnMeasure, cairn_measure_free)

G_END_DECLS
