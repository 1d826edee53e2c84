/* cairn-patients-screen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-patients.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

/* What the Patients page searches for. */
typedef struct
{
  char     *query;             /* the search entry's text; blank for everyone */
  gboolean  include_archived;
  gboolean  filtered;          /* by phase: kinds and nothing_booked below */
  GStrv     kinds;             /* the phase's kinds of appointment */
  gboolean  nothing_booked;
  guint     limit;             /* at most this many found */
} CairnPatientsQuery;

/* What the Patients page lists for a query. */
typedef struct
{
  char      *query;            /* the query's text, as searched for */
  GPtrArray *found;            /* CairnPatientSummary, at most the query's limit */
  gboolean   more;             /* more than the limit match */
  gboolean   any;              /* whether the vault has any patient at all */
} CairnPatientsScreen;

/* What a patient's page shows on open: the patient, and their
 * appointments from now on in the practice's zone. */
typedef struct
{
  CairnPatient *patient;
  GPtrArray    *appointments;  /* CairnAgendaItem, the next few */
  GTimeZone    *zone;
} CairnPatientScreen;

CairnPatientsQuery  *cairn_patients_query_copy          (const CairnPatientsQuery *query);
void                 cairn_patients_query_free          (CairnPatientsQuery       *query);

CairnPatientsScreen *cairn_patients_screen_load         (CairnVault               *vault,
                                                         const CairnPatientsQuery *query,
                                                         gint64                    now,
                                                         GError                  **error);
void                 cairn_patients_screen_free         (CairnPatientsScreen      *screen);

CairnPatientScreen  *cairn_patient_screen_load          (CairnVault               *vault,
                                                         const char               *patient_id,
                                                         gint64                    now,
                                                         GError                  **error);
void                 cairn_patient_screen_free          (CairnPatientScreen       *screen);
void                 cairn_patient_screen_load_async    (CairnVault               *vault,
                                                         const char               *patient_id,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
CairnPatientScreen  *cairn_patient_screen_load_finish   (CairnVault               *vault,
                                                         GAsyncResult             *result,
                                                         GError                  **error);

/* The page's and the patient form's other work, each on the vault's
 * worker; a write is one transaction with its audit entry. */
void                 cairn_patients_archive_async       (CairnVault               *vault,
                                                         const char               *patient_id,
                                                         gboolean                  archived,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
gboolean             cairn_patients_archive_finish      (CairnVault               *vault,
                                                         GAsyncResult             *result,
                                                         GError                  **error);
void                 cairn_patients_chart_number_async  (CairnVault               *vault,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
char                *cairn_patients_chart_number_finish (CairnVault               *vault,
                                                         GAsyncResult             *result,
                                                         GError                  **error);
void                 cairn_patients_duplicates_async    (CairnVault               *vault,
                                                         const CairnPatient       *patient,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
GPtrArray           *cairn_patients_duplicates_finish   (CairnVault               *vault,
                                                         GAsyncResult             *result,
                                                         GError                  **error);
void                 cairn_patients_save_async          (CairnVault               *vault,
                                                         const CairnPatient       *patient,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
CairnPatient        *cairn_patients_save_finish         (CairnVault               *vault,
                                                         GAsyncResult             *result,
                                                         char                    **field,
                                                         GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPatientsQuery, cairn_patients_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPatientsScreen, cairn_patients_screen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPatientScreen, cairn_patient_screen_free)

G_END_DECLS
