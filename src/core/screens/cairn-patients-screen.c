/* cairn-patients-screen.c
 *
 * The Patients page's reads: the patients a search finds (by text, the
 * archived or not, a phase) and whether the vault has any patient at all;
 * and what a patient's page shows on open, the patient and their next
 * appointments. Its writes and the patient form's calls are here too, as
 * _async/_finish pairs on the vault's worker: archiving and restoring, the
 * next chart number, the duplicates of a new patient, and a save. All of
 * it is practice.db: the front desk's as much as the clinicians'.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screens"

#include "config.h"

#include "cairn-agenda.h"
#include "cairn-patients-screen.h"
#include "cairn-schedule.h"

/* How many of a patient's next appointments their page shows. */
#define NEXT_APPOINTMENTS 6

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/**
 * cairn_patients_query_copy:
 * @query: a query
 *
 * Returns: (transfer full): a copy of @query
 */
CairnPatientsQuery *
cairn_patients_query_copy (const CairnPatientsQuery *query)
{
  CairnPatientsQuery *copy = g_new0 (CairnPatientsQuery, 1);

  *copy = *query;
  copy->query = g_strdup (query->query);
  copy->kinds = g_strdupv (query->kinds);
  return copy;
}

void
cairn_patients_query_free (CairnPatientsQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->query);
  g_strfreev (query->kinds);
  g_free (query);
}

void
cairn_patients_screen_free (CairnPatientsScreen *screen)
{
  if (screen == NULL)
    return;
  g_clear_pointer (&screen->found, g_ptr_array_unref);
  g_free (screen->query);
  g_free (screen);
}

/**
 * cairn_patients_screen_load:
 * @vault: an unlocked vault
 * @query: what to search for
 * @now: the time now, seconds since the Unix epoch: what is booked from
 *   now on tells a patient's phase
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the patients the page lists
 */
CairnPatientsScreen *
cairn_patients_screen_load (CairnVault                *vault,
                            const CairnPatientsQuery  *query,
                            gint64                     now,
                            GError                   **error)
{
  CairnDatabase *db;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(CairnPatientsScreen) screen = NULL;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);
  g_return_val_if_fail (query != NULL && query->limit > 0, NULL);

  db = cairn_vault_get_practice (vault);
  /* One more than is shown, to know there are more. */
  if (query->filtered)
    {
      const char * const none[] = { NULL };
      CairnPatientFilter filter = { query->kinds != NULL ? (const char * const *) query->kinds : none,
                                    query->nothing_booked, now };

      found = cairn_patients_search_filtered (db, query->query, query->include_archived, &filter,
                                              query->limit + 1, error);
    }
  else
    found = cairn_patients_search (db, query->query, query->include_archived, query->limit + 1, error);
  if (found == NULL)
    return NULL;

  screen = g_new0 (CairnPatientsScreen, 1);
  screen->query = g_strdup (query->query);
  screen->any = found->len > 0;
  /* Nobody listed: is it that everyone is archived? */
  if (!screen->any && is_blank (query->query) && !query->include_archived)
    {
      g_autoptr(GPtrArray) archived = cairn_patients_search (db, NULL, TRUE, 1, error);

      if (archived == NULL)
        return NULL;
      screen->any = archived->len > 0;
    }
  screen->more = found->len > query->limit;
  if (screen->more)
    g_ptr_array_set_size (found, query->limit);
  screen->found = g_steal_pointer (&found);
  return g_steal_pointer (&screen);
}

void
cairn_patient_screen_free (CairnPatientScreen *screen)
{
  if (screen == NULL)
    return;
  g_clear_pointer (&screen->patient, cairn_patient_free);
  g_clear_pointer (&screen->appointments, g_ptr_array_unref);
  g_clear_pointer (&screen->zone, g_time_zone_unref);
  g_free (screen);
}

/**
 * cairn_patient_screen_load:
 * @vault: an unlocked vault
 * @patient_id: whose page
 * @now: the time now, seconds since the Unix epoch: appointments from
 *   then on are listed
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the patient's page shows on
 *   open; %CAIRN_PATIENT_ERROR_NOT_FOUND for a patient who is not there
 */
CairnPatientScreen *
cairn_patient_screen_load (CairnVault  *vault,
                           const char  *patient_id,
                           gint64       now,
                           GError     **error)
{
  CairnDatabase *db;
  g_autoptr(CairnPatientScreen) screen = NULL;
  g_autoptr(CairnPracticeRules) rules = NULL;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  db = cairn_vault_get_practice (vault);
  screen = g_new0 (CairnPatientScreen, 1);
  if ((screen->patient = cairn_patients_get (db, patient_id, error)) == NULL ||
      (rules = cairn_practice_rules_load (db, error)) == NULL ||
      (screen->appointments = cairn_agenda_list_for_patient (db, patient_id, now, NEXT_APPOINTMENTS,
                                                             error)) == NULL)
    return NULL;
  screen->zone = g_time_zone_ref (cairn_practice_rules_get (rules)->zone);
  return g_steal_pointer (&screen);
}

/* ------------------------------------------------------------------------ */
/* On the worker                                                             */

typedef enum
{
  CALL_OPEN,
  CALL_ARCHIVE,
  CALL_CHART_NUMBER,
  CALL_DUPLICATES,
  CALL_SAVE,
} Call;

typedef struct
{
  Call                kind;
  char               *patient_id;
  gboolean            archived;
  CairnPatient       *patient;
} Request;

/* A save's answer, failed or not: which field a failure is about. */
typedef struct
{
  CairnPatient *saved;
  GError       *error;
  char         *field;
} Saved;

static void
request_free (Request *request)
{
  g_free (request->patient_id);
  g_clear_pointer (&request->patient, cairn_patient_free);
  g_free (request);
}

static void
saved_free (Saved *saved)
{
  g_clear_pointer (&saved->saved, cairn_patient_free);
  g_clear_error (&saved->error);
  g_free (saved->field);
  g_free (saved);
}

/* The field a save's error is about: the chart number taken, or the
 * first problem the store found. */
static char *
failed_field (const CairnPatient *patient,
              const GError       *error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GDateTime) now = NULL;
  GDate today;

  if (g_error_matches (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_CHART_TAKEN))
    return g_strdup ("chart_number");
  if (!g_error_matches (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_INVALID))
    return NULL;

  now = g_date_time_new_now_local ();
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
  problems = cairn_patient_validate (patient, &today);
  for (guint i = 0; i < problems->len; i++)
    {
      const CairnFieldProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->message, error->message) == 0)
        return g_strdup (problem->field);
    }
  return problems->len > 0 ? g_strdup (((CairnFieldProblem *) g_ptr_array_index (problems, 0))->field) : NULL;
}

static Saved *
save (CairnVault   *vault,
      CairnPatient *patient)
{
  g_autofree char *me = cairn_vault_get_user_id (vault);
  Saved *saved = g_new0 (Saved, 1);

  if (cairn_patients_save (cairn_vault_get_practice (vault), patient, me, &saved->error))
    saved->saved = cairn_patient_copy (patient);
  else
    saved->field = failed_field (patient, saved->error);
  return saved;
}

/* Every call of the page and the form, by its kind. */
static gpointer
call_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Request *request = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *me = NULL;

  switch (request->kind)
    {

    case CALL_OPEN:
      return cairn_patient_screen_load (vault, request->patient_id, now, error);

    case CALL_ARCHIVE:
      me = cairn_vault_get_user_id (vault);
      if (!cairn_patients_set_archived (db, request->patient_id, request->archived, me, error))
        return NULL;
      return GINT_TO_POINTER (TRUE);

    case CALL_CHART_NUMBER:
      return cairn_patients_next_chart_number (db, error);

    case CALL_DUPLICATES:
      return cairn_patients_find_duplicates (db, request->patient, error);

    case CALL_SAVE:
      return save (vault, request->patient);

    default:
      g_assert_not_reached ();
    }
}

static void
call (CairnVault          *vault,
      Request             *request,
      GDestroyNotify       result_free,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  cairn_vault_run_async (vault, call_job, request, (GDestroyNotify) request_free, result_free, cancellable,
                         callback, user_data);
}

/**
 * cairn_patient_screen_load_async:
 * @vault: an unlocked vault
 * @patient_id: whose page
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * cairn_patient_screen_load() on the vault's worker, as of the time it
 * runs.
 */
void
cairn_patient_screen_load_async (CairnVault          *vault,
                                 const char          *patient_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->kind = CALL_OPEN;
  request->patient_id = g_strdup (patient_id);
  call (vault, request, (GDestroyNotify) cairn_patient_screen_free, cancellable, callback, user_data);
}

/**
 * cairn_patient_screen_load_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the patient's page shows, or
 *   %NULL with @error
 */
CairnPatientScreen *
cairn_patient_screen_load_finish (CairnVault    *vault,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/**
 * cairn_patients_archive_async:
 * @vault: an unlocked vault
 * @patient_id: who
 * @archived: %TRUE to archive, %FALSE to restore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_patients_archive_async (CairnVault          *vault,
                              const char          *patient_id,
                              gboolean             archived,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->kind = CALL_ARCHIVE;
  request->patient_id = g_strdup (patient_id);
  request->archived = archived;
  call (vault, request, NULL, cancellable, callback, user_data);
}

/**
 * cairn_patients_archive_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the patient was archived (or restored)
 */
gboolean
cairn_patients_archive_finish (CairnVault    *vault,
                               GAsyncResult  *result,
                               GError       **error)
{
  return cairn_vault_run_finish (vault, result, error) != NULL;
}

/**
 * cairn_patients_chart_number_async:
 * @vault: an unlocked vault
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * The chart number a new patient would get.
 */
void
cairn_patients_chart_number_async (CairnVault          *vault,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->kind = CALL_CHART_NUMBER;
  call (vault, request, g_free, cancellable, callback, user_data);
}

/**
 * cairn_patients_chart_number_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the next chart number, or %NULL
 *   with @error
 */
char *
cairn_patients_chart_number_finish (CairnVault    *vault,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/**
 * cairn_patients_duplicates_async:
 * @vault: an unlocked vault
 * @patient: a patient not yet saved (copied)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * The patients already there who may be the same person.
 */
void
cairn_patients_duplicates_async (CairnVault          *vault,
                                 const CairnPatient  *patient,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->kind = CALL_DUPLICATES;
  request->patient = cairn_patient_copy (patient);
  call (vault, request, (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * cairn_patients_duplicates_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): #CairnPatientSummary items, empty
 *   when there are none, or %NULL with @error
 */
GPtrArray *
cairn_patients_duplicates_finish (CairnVault    *vault,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/**
 * cairn_patients_save_async:
 * @vault: an unlocked vault
 * @patient: the patient to save (copied), new or changed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_patients_save_async (CairnVault          *vault,
                           const CairnPatient  *patient,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->kind = CALL_SAVE;
  request->patient = cairn_patient_copy (patient);
  call (vault, request, (GDestroyNotify) saved_free, cancellable, callback, user_data);
}

/**
 * cairn_patients_save_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @field: (out) (optional) (nullable): on failure, the field it is about
 *   ("chart_number" for %CAIRN_PATIENT_ERROR_CHART_TAKEN, the field of a
 *   %CAIRN_PATIENT_ERROR_INVALID), or %NULL
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the patient as saved (a new one with
 *   its id and chart number), or %NULL with @error
 */
CairnPatient *
cairn_patients_save_finish (CairnVault    *vault,
                            GAsyncResult  *result,
                            char         **field,
                            GError       **error)
{
  Saved *saved = cairn_vault_run_finish (vault, result, error);
  CairnPatient *patient = NULL;

  if (field != NULL)
    *field = NULL;
  if (saved == NULL)
    return NULL;
  if (saved->saved != NULL)
    patient = g_steal_pointer (&saved->saved);
  else
    {
      g_propagate_error (error, g_steal_pointer (&saved->error));
      if (field != NULL)
        *field = g_steal_pointer (&saved->field);
    }
  saved_free (saved);
  return patient;
}
