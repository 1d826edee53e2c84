/* cairn-screening-screen.c
 *
 * The Screening tab's read and the gate view's: a patient's screening with
 * one audited read, the template in use, the staff's names (who decided)
 * and the practice's today; and the gate for the patient's next medicine
 * session, evaluated on that day. Run on the vault's worker; nothing in
 * them needs a display.
 *
 * Their writes are here too, as _async/_finish pairs on the vault's
 * worker: each save of the tab (one transaction with its audit entry in
 * the store), and a gate check overridden with its reason. What the store
 * refuses as bad input comes back as field problems, for the form; and
 * what a change saved does to the screening shown. The baseline's numbers
 * are read from what was typed here too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screens"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-agenda.h"
#include "cairn-journey.h"
#include "cairn-protocols.h"
#include "cairn-records.h"
#include "cairn-schedule.h"
#include "cairn-screening-screen.h"

/* How far ahead the gate looks for the next medicine session, in appointments. */
#define LOOK_AHEAD 200

void
cairn_screening_screen_free (CairnScreeningScreen *screen)
{
  if (screen == NULL)
    return;
  g_free (screen->patient_id);
  g_clear_pointer (&screen->screening, cairn_screening_free);
  g_clear_pointer (&screen->protocol, cairn_protocol_unref);
  g_clear_pointer (&screen->names, g_hash_table_unref);
  g_free (screen->today);
  g_free (screen);
}

void
cairn_gate_screen_free (CairnGateScreen *screen)
{
  if (screen == NULL)
    return;
  g_free (screen->patient_id);
  g_clear_pointer (&screen->checks, g_ptr_array_unref);
  g_free (screen->today);
  g_free (screen->session_id);
  g_clear_pointer (&screen->zone, g_time_zone_unref);
  g_free (screen);
}

/* The practice's zone and its day at @now. */
static gboolean
practice_day (CairnDatabase  *practice,
              gint64          now,
              GTimeZone     **zone,
              char          **today,
              GError        **error)
{
  g_autoptr(CairnPracticeRules) rules = cairn_practice_rules_load (practice, error);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (rules == NULL)
    return FALSE;
  utc = g_date_time_new_from_unix_utc (now);
  local = g_date_time_to_timezone (utc, cairn_practice_rules_get (rules)->zone);
  *today = g_date_time_format (local, "%Y-%m-%d");
  if (zone != NULL)
    *zone = g_time_zone_ref (cairn_practice_rules_get (rules)->zone);
  return TRUE;
}

static GHashTable *
staff_names (CairnDatabase  *practice,
             GError        **error)
{
  g_autoptr(GPtrArray) staff = cairn_agenda_list_staff (practice, error);
  GHashTable *names;

  if (staff == NULL)
    return NULL;
  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < staff->len; i++)
    {
      CairnNamed *named = g_ptr_array_index (staff, i);

      g_hash_table_insert (names, g_strdup (named->id), g_strdup (named->name));
    }
  return names;
}

/**
 * cairn_screening_screen_load:
 * @vault: an unlocked vault
 * @patient_id: whose screening
 * @now: the time now, seconds since the Unix epoch
 * @error: return location for a #GError
 *
 * Needs the clinical key: without it, the error is the vault's one.
 *
 * Returns: (transfer full) (nullable): what the Screening tab shows
 */
CairnScreeningScreen *
cairn_screening_screen_load (CairnVault  *vault,
                             const char  *patient_id,
                             gint64       now,
                             GError     **error)
{
  g_autoptr(CairnScreeningScreen) screen = NULL;
  g_autofree char *me = NULL;
  CairnDatabase *clinical;
  CairnDatabase *practice;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  clinical = cairn_vault_require_clinical (vault, error);
  if (clinical == NULL)
    return NULL;
  practice = cairn_vault_get_practice (vault);
  me = cairn_vault_get_user_id (vault);

  screen = g_new0 (CairnScreeningScreen, 1);
  screen->patient_id = g_strdup (patient_id);
  if ((screen->protocol = cairn_protocols_get_active (practice, error)) == NULL ||
      !practice_day (practice, now, NULL, &screen->today, error) ||
      (screen->names = staff_names (practice, error)) == NULL ||
      (screen->screening = cairn_screening_load (clinical, patient_id, me, error)) == NULL)
    return NULL;
  return g_steal_pointer (&screen);
}

/**
 * cairn_gate_screen_load:
 * @vault: an unlocked vault
 * @patient_id: whose gate
 * @now: the time now, seconds since the Unix epoch
 * @error: return location for a #GError
 *
 * Reads the patient's screening (audited) and the appointments ahead,
 * and evaluates the gate for the next medicine session booked, as of the
 * practice's today. Needs the clinical key: without it, the error is the
 * vault's one.
 *
 * Returns: (transfer full) (nullable): what the gate view shows
 */
CairnGateScreen *
cairn_gate_screen_load (CairnVault  *vault,
                        const char  *patient_id,
                        gint64       now,
                        GError     **error)
{
  g_autoptr(CairnGateScreen) screen = NULL;
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(CairnScreening) screening = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) appointments = g_ptr_array_new ();
  g_autofree char *me = NULL;
  const CairnAppointment *session = NULL;
  CairnGateContext context = { 0 };
  CairnDatabase *clinical;
  CairnDatabase *practice;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  clinical = cairn_vault_require_clinical (vault, error);
  if (clinical == NULL)
    return NULL;
  practice = cairn_vault_get_practice (vault);
  me = cairn_vault_get_user_id (vault);

  screen = g_new0 (CairnGateScreen, 1);
  screen->patient_id = g_strdup (patient_id);
  if ((protocol = cairn_protocols_get_active (practice, error)) == NULL ||
      !practice_day (practice, now, &screen->zone, &screen->today, error) ||
      (items = cairn_agenda_list_for_patient (practice, patient_id, now, LOOK_AHEAD, error)) == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (appointments, ((CairnAgendaItem *) g_ptr_array_index (items, i))->appointment);

  context.today = screen->today;
  if (!cairn_gate_context_for_next_session (practice, protocol, appointments, now, &context, &session, error))
    return NULL;
  screen->has_session = context.has_session;
  screen->n_therapists = context.n_therapists;
  if (session != NULL)
    {
      screen->session_id = g_strdup (session->id);
      screen->session_start = session->start;
    }

  screening = cairn_screening_load (clinical, patient_id, me, error);
  if (screening == NULL)
    return NULL;
  screen->checks = cairn_gate_evaluate (screening, protocol, &context);
  return g_steal_pointer (&screen);
}

/* ------------------------------------------------------------------------ */
/* Writes                                                                    */

/**
 * cairn_screening_change_new:
 * @kind: what the change writes
 * @patient_id: whose screening
 *
 * Returns: (transfer full): an empty change, for the caller to fill in
 */
CairnScreeningChange *
cairn_screening_change_new (CairnScreeningChangeKind  kind,
                            const char               *patient_id)
{
  CairnScreeningChange *change = g_new0 (CairnScreeningChange, 1);

  change->kind = kind;
  change->patient_id = g_strdup (patient_id);
  return change;
}

void
cairn_screening_change_free (CairnScreeningChange *change)
{
  if (change == NULL)
    return;
  g_free (change->patient_id);
  g_clear_pointer (&change->details, cairn_screening_details_free);
  g_free (change->exclusion_id);
  g_free (change->note);
  g_clear_pointer (&change->medication, cairn_medication_free);
  g_free (change->id);
  g_free (change->date);
  g_free (change->reason);
  g_free (change->user_id);
  g_clear_pointer (&change->problems, g_ptr_array_unref);
  g_free (change);
}

static gboolean
write_change (CairnDatabase         *db,
              CairnScreeningChange  *c,
              GError               **error)
{
  switch (c->kind)
    {
    case CAIRN_SCREENING_CHANGE_DETAILS:
      return cairn_screening_save_details (db, c->patient_id, c->details, c->parts, c->user_id, &c->problems,
                                           error);
    case CAIRN_SCREENING_CHANGE_EXCLUSION:
      return cairn_screening_set_exclusion (db, c->patient_id, c->exclusion_id, c->answer, c->note, c->user_id,
                                            &c->problems, error);
    case CAIRN_SCREENING_CHANGE_MEDICATION:
      return cairn_screening_save_medication (db, c->patient_id, c->medication, c->user_id, &c->problems, error);
    case CAIRN_SCREENING_CHANGE_REMOVE_MEDICATION:
      return cairn_screening_remove_medication (db, c->patient_id, c->id, c->user_id, error);
    case CAIRN_SCREENING_CHANGE_ADD_TEST:
      g_clear_pointer (&c->id, g_free);
      c->id = cairn_screening_add_pregnancy_test (db, c->patient_id, c->date, c->result, c->user_id,
                                                  &c->problems, error);
      return c->id != NULL;
    case CAIRN_SCREENING_CHANGE_REMOVE_TEST:
      return cairn_screening_remove_pregnancy_test (db, c->patient_id, c->id, c->user_id, error);
    case CAIRN_SCREENING_CHANGE_DECISION:
      return cairn_screening_record_decision (db, c->patient_id, c->decision, c->reason, c->date, c->user_id,
                                              &c->problems, error);
    default:
      g_assert_not_reached ();
    }
}

/* Bad input comes back as problems, for the fields; anything else fails. */
static gpointer
save_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  CairnScreeningChange *change = data;
  CairnDatabase *db = cairn_vault_require_clinical (vault, error);
  g_autoptr(GError) local_error = NULL;

  if (db == NULL)
    return NULL;
  g_free (change->user_id);
  change->user_id = cairn_vault_get_user_id (vault);
  g_clear_pointer (&change->problems, g_ptr_array_unref);
  if (write_change (db, change, &local_error) || change->problems != NULL)
    return change;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * cairn_screening_save_async:
 * @vault: an unlocked vault
 * @change: (transfer full): what to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Writes one change of the Screening tab, one transaction with its audit
 * entry. Answered with cairn_screening_save_finish().
 */
void
cairn_screening_save_async (CairnVault           *vault,
                            CairnScreeningChange *change,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_return_if_fail (CAIRN_IS_VAULT (vault));
  g_return_if_fail (change != NULL);

  /* The change is the answer: it is freed with the task, and a copy of
   * nothing is needed. */
  cairn_vault_run_async (vault, save_job, change, (GDestroyNotify) cairn_screening_change_free, NULL,
                         cancellable, callback, user_data);
}

/**
 * cairn_screening_save_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * The change comes back with who saved it (user_id) and, for bad input,
 * the field problems (problems, nothing written); a test added also with
 * its id. A medication saved has its id set.
 *
 * Returns: (transfer none) (nullable): the change answered, owned by
 *   @result; or %NULL with @error when the vault failed
 */
CairnScreeningChange *
cairn_screening_save_finish (CairnVault    *vault,
                             GAsyncResult  *result,
                             GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

typedef struct
{
  char      *patient_id;
  char      *check_id;
  char      *applies_on;
  char      *appointment_id;
  char      *reason;
  GPtrArray *problems;
} Override;

static void
override_free (Override *override)
{
  g_free (override->patient_id);
  g_free (override->check_id);
  g_free (override->applies_on);
  g_free (override->appointment_id);
  g_free (override->reason);
  g_clear_pointer (&override->problems, g_ptr_array_unref);
  g_free (override);
}

static gpointer
override_job (CairnVault    *vault,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Override *override = data;
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autoptr(GError) local_error = NULL;
  CairnDatabase *clinical = cairn_vault_require_clinical (vault, error);

  if (clinical == NULL)
    return NULL;
  if (cairn_screening_record_override (clinical, override->patient_id, override->check_id, override->applies_on,
                                       override->appointment_id, override->reason, me, &override->problems,
                                       &local_error) ||
      override->problems != NULL)
    return override;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * cairn_gate_override_async:
 * @vault: an unlocked vault
 * @patient_id: whose gate
 * @check_id: the failed check, a CAIRN_GATE_CHECK_* id
 * @applies_on: the day it holds for, "YYYY-MM-DD"
 * @appointment_id: (nullable): the medicine session it is given for
 * @reason: the clinician's written reason; required
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Records the override, audited ("gate.override").
 */
void
cairn_gate_override_async (CairnVault          *vault,
                           const char          *patient_id,
                           const char          *check_id,
                           const char          *applies_on,
                           const char          *appointment_id,
                           const char          *reason,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Override *override = g_new0 (Override, 1);

  override->patient_id = g_strdup (patient_id);
  override->check_id = g_strdup (check_id);
  override->applies_on = g_strdup (applies_on);
  override->appointment_id = g_strdup (appointment_id);
  override->reason = g_strdup (reason);
  cairn_vault_run_async (vault, override_job, override, (GDestroyNotify) override_free, NULL, cancellable,
                         callback, user_data);
}

/**
 * cairn_gate_override_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @problems: (out) (optional) (transfer full): for bad input, the field
 *   problems (CairnFieldProblem); %NULL otherwise
 * @error: return location for a #GError
 *
 * Bad input (no reason) writes nothing and fails with
 * %CAIRN_SCREENING_ERROR_INVALID, its problems in @problems.
 *
 * Returns: whether the override was recorded
 */
gboolean
cairn_gate_override_finish (CairnVault    *vault,
                            GAsyncResult  *result,
                            GPtrArray    **problems,
                            GError       **error)
{
  Override *override = cairn_vault_run_finish (vault, result, error);

  if (problems != NULL)
    *problems = NULL;
  if (override == NULL)
    return FALSE;
  if (override->problems == NULL)
    return TRUE;
  g_set_error_literal (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID,
                       ((CairnFieldProblem *) g_ptr_array_index (override->problems, 0))->message);
  if (problems != NULL)
    *problems = g_ptr_array_ref (override->problems);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* What a saved change does to the screening shown                           */

static void
take (char **to,
      char **from)
{
  g_free (*to);
  *to = g_steal_pointer (from);
}

/* Only the parts saved change: the others may hold unsaved input. */
static void
apply_details (CairnScreeningDetails *mine,
               CairnScreeningDetails *saved,
               CairnScreeningParts    parts)
{
  if (parts & CAIRN_SCREENING_PART_HISTORY)
    {
      take (&mine->diagnosis, &saved->diagnosis);
      take (&mine->psychiatric_history, &saved->psychiatric_history);
      take (&mine->medical_history, &saved->medical_history);
      take (&mine->trauma_history, &saved->trauma_history);
    }
  if (parts & CAIRN_SCREENING_PART_BASELINE)
    {
      take (&mine->vitals_date, &saved->vitals_date);
      mine->systolic = saved->systolic;
      mine->diastolic = saved->diastolic;
      mine->heart_rate = saved->heart_rate;
      mine->temperature = saved->temperature;
      mine->weight = saved->weight;
      take (&mine->ecg_date, &saved->ecg_date);
      take (&mine->labs_date, &saved->labs_date);
      mine->pregnancy_applicable = saved->pregnancy_applicable;
    }
  if (parts & CAIRN_SCREENING_PART_CONSENT)
    {
      take (&mine->consent_date, &saved->consent_date);
      take (&mine->support_person, &saved->support_person);
      take (&mine->driver, &saved->driver);
      take (&mine->overnight_attendant, &saved->overnight_attendant);
    }
}

static void
apply_exclusion (CairnScreening       *screening,
                 CairnScreeningChange *change)
{
  CairnExclusionRecord *record = (CairnExclusionRecord *) cairn_screening_find_exclusion (screening,
                                                                                         change->exclusion_id);

  if (record == NULL)
    {
      record = g_new0 (CairnExclusionRecord, 1);
      record->exclusion_id = g_strdup (change->exclusion_id);
      g_ptr_array_add (screening->exclusions, record);
    }
  record->answer = change->answer;
  take (&record->note, &change->note);
  g_free (record->updated_by);
  record->updated_by = g_strdup (change->user_id);
}

static void
remove_medication (GPtrArray  *list,
                   const char *id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (((CairnMedication *) g_ptr_array_index (list, i))->id, id) == 0)
      {
        g_ptr_array_remove_index (list, i);
        return;
      }
}

static void
remove_test (GPtrArray  *list,
             const char *id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (((CairnPregnancyTest *) g_ptr_array_index (list, i))->id, id) == 0)
      {
        g_ptr_array_remove_index (list, i);
        return;
      }
}

static int
compare_medications (gconstpointer a,
                     gconstpointer b)
{
  const CairnMedication *ma = *(const CairnMedication * const *) a;
  const CairnMedication *mb = *(const CairnMedication * const *) b;

  return g_ascii_strcasecmp (ma->name, mb->name);
}

/* Newest first, as the store reads them. */
static int
compare_tests (gconstpointer a,
               gconstpointer b)
{
  const CairnPregnancyTest *ta = *(const CairnPregnancyTest * const *) a;
  const CairnPregnancyTest *tb = *(const CairnPregnancyTest * const *) b;
  int by_date = g_strcmp0 (tb->date, ta->date);

  return by_date != 0 ? by_date : g_strcmp0 (tb->created_at, ta->created_at);
}

static void
apply_medication (CairnScreening       *screening,
                  CairnScreeningChange *change)
{
  remove_medication (screening->medications, change->medication->id);
  g_strstrip (change->medication->name);
  g_ptr_array_add (screening->medications, g_steal_pointer (&change->medication));
  g_ptr_array_sort (screening->medications, compare_medications);
}

static void
apply_test (CairnScreening       *screening,
            CairnScreeningChange *change)
{
  CairnPregnancyTest *test = g_new0 (CairnPregnancyTest, 1);

  test->id = g_strdup (change->id);
  test->date = g_steal_pointer (&change->date);
  test->result = change->result;
  test->recorded_by = g_strdup (change->user_id);
  test->created_at = cairn_record_timestamp_now ();
  g_ptr_array_add (screening->pregnancy_tests, test);
  g_ptr_array_sort (screening->pregnancy_tests, compare_tests);
}

static void
apply_decision (CairnScreening       *screening,
                CairnScreeningChange *change)
{
  CairnEligibilityDecision *decision = g_new0 (CairnEligibilityDecision, 1);

  decision->decision = change->decision;
  decision->reason = g_strstrip (g_steal_pointer (&change->reason));
  decision->decided_by = g_strdup (change->user_id);
  decision->decided_on = g_steal_pointer (&change->date);
  decision->created_at = cairn_record_timestamp_now ();
  g_ptr_array_insert (screening->decisions, 0, decision);
}

/**
 * cairn_screening_change_apply:
 * @change: a change answered by cairn_screening_save_finish(), saved
 * @screening: the screening shown, of the same patient
 *
 * Brings @screening in step with what @change saved, as a fresh read
 * would have it, without reading again: only what the change wrote
 * changes (the screen may hold unsaved input elsewhere). Takes what it
 * keeps from @change (the details, the note, the medication, the
 * reason and the date); its kind, parts, ids and flags stay.
 */
void
cairn_screening_change_apply (CairnScreeningChange *change,
                              CairnScreening       *screening)
{
  g_return_if_fail (change != NULL && change->problems == NULL);
  g_return_if_fail (screening != NULL);

  switch (change->kind)
    {
    case CAIRN_SCREENING_CHANGE_DETAILS:
      apply_details (&screening->details, change->details, change->parts);
      break;
    case CAIRN_SCREENING_CHANGE_EXCLUSION:
      apply_exclusion (screening, change);
      break;
    case CAIRN_SCREENING_CHANGE_MEDICATION:
      apply_medication (screening, change);
      break;
    case CAIRN_SCREENING_CHANGE_REMOVE_MEDICATION:
      remove_medication (screening->medications, change->id);
      break;
    case CAIRN_SCREENING_CHANGE_ADD_TEST:
      apply_test (screening, change);
      break;
    case CAIRN_SCREENING_CHANGE_REMOVE_TEST:
      remove_test (screening->pregnancy_tests, change->id);
      break;
    case CAIRN_SCREENING_CHANGE_DECISION:
      apply_decision (screening, change);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------ */
/* The baseline's numbers as typed                                          */

/* NULL for nothing but space. */
static char *
text_or_null (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *copy != '\0' ? g_steal_pointer (&copy) : NULL;
}

/**
 * cairn_screening_parse_whole:
 * @text: (nullable): as typed
 * @field: the field's name, for a problem
 * @problems: (element-type CairnFieldProblem): where a problem is added
 *
 * Returns: the whole number typed, 1 to 10000; 0 for nothing or not a number
 */
guint
cairn_screening_parse_whole (const char *text,
                             const char *field,
                             GPtrArray  *problems)
{
  g_autofree char *typed = text_or_null (text);
  guint64 value = 0;

  if (typed == NULL)
    return 0;
  if (!g_ascii_string_to_unsigned (typed, 10, 1, 10000, &value, NULL))
    {
      cairn_field_problem_add (problems, field, g_strdup (_("Enter a whole number, such as 120.")));
      return 0;
    }
  return (guint) value;
}

/**
 * cairn_screening_parse_decimal:
 * @text: (nullable): as typed, with a decimal point or comma
 * @field: the field's name, for a problem
 * @problems: (element-type CairnFieldProblem): where a problem is added
 *
 * Returns: the number typed, above 0; 0 for nothing or not a number
 */
double
cairn_screening_parse_decimal (const char *text,
                               const char *field,
                               GPtrArray  *problems)
{
  g_autofree char *typed = text_or_null (text);
  char *end = NULL;
  double value;

  if (typed == NULL)
    return 0.0;
  g_strdelimit (typed, ",", '.');
  value = g_ascii_strtod (typed, &end);
  if (end == typed || *end != '\0' || value <= 0.0)
    {
      cairn_field_problem_add (problems, field, g_strdup (_("Enter a number, such as 36.8.")));
      return 0.0;
    }
  return value;
}

/**
 * cairn_screening_format_whole:
 * @value: a whole number, 0 for none
 *
 * Returns: (transfer full): it as shown in its field; empty for 0
 */
char *
cairn_screening_format_whole (guint value)
{
  return value == 0 ? g_strdup ("") : g_strdup_printf ("%u", value);
}

/**
 * cairn_screening_format_decimal:
 * @value: a number, 0 for none
 *
 * Returns: (transfer full): it as shown in its field, one decimal; empty for 0
 */
char *
cairn_screening_format_decimal (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == 0.0)
    return g_strdup ("");
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
}
