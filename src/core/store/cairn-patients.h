/* cairn-patients.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"
#include "cairn-records.h"

G_BEGIN_DECLS

#define CAIRN_PATIENT_ERROR (cairn_patient_error_quark ())

typedef enum
{
  CAIRN_PATIENT_ERROR_INVALID,
  CAIRN_PATIENT_ERROR_CHART_TAKEN,
  CAIRN_PATIENT_ERROR_NOT_FOUND,
} CairnPatientError;

/* One patient as the front desk records them: no clinical data. Dates of
 * birth are "YYYY-MM-DD"; empty strings are stored as NULL. */
typedef struct
{
  char *id;                   /* NULL for a patient not yet saved */
  char *chart_number;
  char *legal_name;
  char *preferred_name;
  char *pronouns;
  char *date_of_birth;
  char *phone;
  char *email;
  char *address;
  char *emergency_contact;
  char *support_person;
  char *referring_clinician;
  char *front_desk_notes;
  char *archived_at;          /* read only: see cairn_patients_set_archived() */
  char *updated_at;           /* read only */
} CairnPatient;

/* What a search or a duplicate check shows of a patient. */
typedef struct
{
  char    *id;
  char    *chart_number;
  char    *legal_name;
  char    *preferred_name;
  char    *date_of_birth;
  char    *phone;
  gboolean archived;
} CairnPatientSummary;

/* Where patients are in their course, by their next appointment. */
typedef struct
{
  const char * const *type_ids;       /* kinds of appointment; NULL-terminated */
  gboolean            nothing_booked; /* also, or only, those with nothing to come */
  gint64              now;            /* UTC seconds */
} CairnPatientFilter;

GQuark               cairn_patient_error_quark        (void);

CairnPatient        *cairn_patient_new                (void);
CairnPatient        *cairn_patient_copy               (const CairnPatient   *patient);
void                 cairn_patient_free               (CairnPatient         *patient);
void                 cairn_patient_summary_free       (CairnPatientSummary  *summary);

GPtrArray           *cairn_patient_validate           (const CairnPatient   *patient,
                                                       GDate                *today);
int                  cairn_patient_age                (const char           *date_of_birth,
                                                       GDate                *today);
char                *cairn_phone_digits               (const char           *phone);

char                *cairn_patients_next_chart_number (CairnDatabase        *db,
                                                       GError              **error);
GPtrArray           *cairn_patients_find_duplicates   (CairnDatabase        *db,
                                                       const CairnPatient   *patient,
                                                       GError              **error);
gboolean             cairn_patients_save              (CairnDatabase        *db,
                                                       CairnPatient         *patient,
                                                       const char           *user_id,
                                                       GError              **error);
CairnPatient        *cairn_patients_get               (CairnDatabase        *db,
                                                       const char           *id,
                                                       GError              **error);
gboolean             cairn_patients_set_archived      (CairnDatabase        *db,
                                                       const char           *id,
                                                       gboolean              archived,
                                                       const char           *user_id,
                                                       GError              **error);
GPtrArray           *cairn_patients_search            (CairnDatabase        *db,
                                                       const char           *query,
                                                       gboolean              include_archived,
                                                       guint                 limit,
                                                       GError              **error);

GPtrArray           *cairn_patients_search_filtered   (CairnDatabase            *db,
                                                       const char               *query,
                                                       gboolean                  include_archived,
                                                       const CairnPatientFilter *filter,
                                                       guint                     limit,
                                                       GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPatient, cairn_patient_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPatientSummary, cairn_patient_summary_free)

G_END_DECLS
