/* test-screens-screening.c
 *
 * The Screening tab's read and the gate view's, and their writes, on the
 * demo practice and with no display:
 *
 *  - the screening of a demo patient is their records as clinical.db has
 *    them (medications, decisions, consent), with the staff's names and
 *    the practice's today, and the read is audited;
 *  - the gate of every demo patient is what their records imply: the
 *    next open medicine session, the eligibility and consent checks;
 *  - a save reads back, and bad input comes back as field problems with
 *    nothing written; each change saved, applied to the screening shown,
 *    leaves it as a fresh read has it;
 *  - the baseline's numbers are read as typed, and what is not a number
 *    is a problem at its field;
 *  - an override without a reason is refused at the field, and with one
 *    it reads back as overridden and is audited;
 *  - the front desk is refused both reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cairn-demo.h"
#include "cairn-records.h"
#include "cairn-screening-screen.h"
#include "cairn-test-answer.h"
#include "cairn-test-demo.h"
#include "cairn-test-tree.h"
#include "cairn-vfs.h"

static const CairnKdfParams cheap = { 1, 8 * 1024 * 1024 };

/* One demo practice for every test here: it takes seconds to make. */
static char       *parent;
static char       *dir;
static CairnVault *demo;

static char *
text (CairnDatabase *db,
      const char    *sql,
      const char    *arg)
{
  g_autoptr(GError) error = NULL;
  char *value = cairn_database_query_text (db, sql, &arg, arg != NULL ? 1 : 0, &error);

  g_assert_no_error (error);
  return value;
}

static int
count (CairnDatabase *db,
       const char    *sql,
       const char    *arg)
{
  g_autofree char *value = text (db, sql, arg);

  return value != NULL ? atoi (value) : 0;
}

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static const CairnGateCheck *
find_check (GPtrArray  *checks,
            const char *id)
{
  for (guint i = 0; i < checks->len; i++)
    {
      const CairnGateCheck *check = g_ptr_array_index (checks, i);

      if (g_strcmp0 (check->id, id) == 0)
        return check;
    }
  g_error ("No check “%s”", id);
}

static void
test_screening_load (void)
{
  g_autoptr(GError) error = NULL;
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  /* The demo patient with the most medications. */
  g_autofree char *patient = text (clinical, "SELECT patient_id FROM medications WHERE deleted_at IS NULL"
                                   " GROUP BY patient_id ORDER BY count(*) DESC, patient_id LIMIT 1", NULL);
  int reads_before = count (clinical, "SELECT count(*) FROM audit WHERE action = 'screening.read'", NULL);
  g_autoptr(CairnScreeningScreen) screen = NULL;
  g_autofree char *consent = NULL;
  const CairnEligibilityDecision *latest;
  GDate day;

  g_assert_nonnull (patient);
  screen = cairn_screening_screen_load (demo, patient, now (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (screen);
  g_assert_cmpstr (screen->patient_id, ==, patient);
  g_assert_cmpstr (screen->screening->patient_id, ==, patient);
  g_assert_nonnull (screen->protocol);

  g_assert_cmpuint (screen->screening->medications->len, >, 0);
  g_assert_cmpint (screen->screening->medications->len, ==,
                   count (clinical, "SELECT count(*) FROM medications WHERE patient_id = ? AND deleted_at IS NULL",
                          patient));
  g_assert_cmpint (screen->screening->decisions->len, ==,
                   count (clinical, "SELECT count(*) FROM eligibility_decisions WHERE patient_id = ?", patient));
  consent = text (clinical, "SELECT consent_date FROM screenings WHERE patient_id = ? AND deleted_at IS NULL",
                  patient);
  g_assert_cmpstr (screen->screening->details.consent_date, ==, consent);

  /* Who decided is named from the staff list. */
  latest = cairn_screening_get_decision (screen->screening);
  if (latest != NULL)
    g_assert_nonnull (g_hash_table_lookup (screen->names, latest->decided_by));
  g_assert_cmpuint (g_hash_table_size (screen->names), >, 0);

  g_assert_true (cairn_record_parse_day (screen->today, &day));
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM audit WHERE action = 'screening.read'", NULL), ==,
                   reads_before + 1);
}

/* Every demo patient's gate is what their records say. */
static void
test_gate_load (void)
{
  CairnDatabase *practice = cairn_vault_get_practice (demo);
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autofree char *ids = text (practice, "SELECT group_concat (id, ' ') FROM patients", NULL);
  g_auto(GStrv) patients = g_strsplit (ids, " ", -1);
  gint64 at = now ();
  guint with_session = 0;

  g_assert_cmpuint (g_strv_length (patients), >, 1);
  for (guint i = 0; patients[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnGateScreen) gate = cairn_gate_screen_load (demo, patients[i], at, &error);
      g_autofree char *when = g_strdup_printf ("%" G_GINT64_FORMAT, at);
      g_autofree char *session_sql = g_strdup_printf ("SELECT id FROM appointments WHERE patient_id = ?"
                                                      " AND type_id = 'medicine-session'"
                                                      " AND status IN ('booked', 'checked-in') AND end_utc > %s"
                                                      " ORDER BY start_utc, id LIMIT 1", when);
      g_autofree char *session = text (practice, session_sql, patients[i]);
      g_autofree char *decision = text (clinical, "SELECT decision FROM eligibility_decisions WHERE patient_id = ?"
                                        " ORDER BY created_at DESC, rowid DESC LIMIT 1", patients[i]);
      g_autofree char *consent = text (clinical, "SELECT consent_date FROM screenings WHERE patient_id = ?"
                                       " AND deleted_at IS NULL", patients[i]);
      const CairnGateCheck *eligibility;
      const CairnGateCheck *consented;

      g_assert_no_error (error);
      g_assert_cmpstr (gate->patient_id, ==, patients[i]);
      g_assert_nonnull (gate->zone);

      /* The next open medicine session, if any. */
      g_assert_cmpint (gate->has_session, ==, session != NULL);
      g_assert_cmpstr (gate->session_id, ==, session);
      g_assert_cmpint (gate->session_start > 0, ==, session != NULL);
      with_session += session != NULL;

      eligibility = find_check (gate->checks, CAIRN_GATE_CHECK_ELIGIBILITY);
      g_assert_cmpint (eligibility->passed, ==, g_strcmp0 (decision, "eligible") == 0);
      consented = find_check (gate->checks, CAIRN_GATE_CHECK_CONSENT);
      if (consent == NULL)
        g_assert_false (consented->passed);
      if (consented->passed)
        g_assert_nonnull (consent);
      /* With no session booked, no therapist is assigned to one. */
      if (session == NULL)
        g_assert_false (find_check (gate->checks, CAIRN_GATE_CHECK_THERAPISTS)->passed);
    }
  /* The demo's patients are part-way through their courses. */
  g_assert_cmpuint (with_session, >, 0);
}

static void
test_save (void)
{
  g_autoptr(GError) error = NULL;
  CairnDatabase *practice = cairn_vault_get_practice (demo);
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autofree char *patient = text (practice, "SELECT id FROM patients ORDER BY id LIMIT 1", NULL);
  g_autofree char *me = cairn_vault_get_user_id (demo);
  g_autoptr(CairnScreeningScreen) screen = cairn_screening_screen_load (demo, patient, now (), &error);
  g_autoptr(CairnScreeningScreen) again = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GAsyncResult) added = NULL;
  CairnScreeningChange *change;
  CairnScreeningChange *answer;
  int saves_before = count (clinical, "SELECT count(*) FROM audit WHERE action = 'screening.save'", NULL);
  guint systolic_before;

  g_assert_no_error (error);
  systolic_before = screen->screening->details.systolic;

  /* The history saved, the rest kept. */
  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_DETAILS, patient);
  change->parts = CAIRN_SCREENING_PART_HISTORY;
  change->details = cairn_screening_details_copy (&screen->screening->details);
  g_free (change->details->diagnosis);
  change->details->diagnosis = g_strdup ("PTSD, chronic (as written by the test)");
  cairn_screening_save_async (demo, change, NULL, cairn_test_answered_cb, &saved);
  answer = cairn_screening_save_finish (demo, cairn_test_wait_answer (&saved), &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_null (answer->problems);
  g_assert_cmpstr (answer->user_id, ==, me);
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM audit WHERE action = 'screening.save'", NULL), ==,
                   saves_before + 1);

  again = cairn_screening_screen_load (demo, patient, now (), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->screening->details.diagnosis, ==, "PTSD, chronic (as written by the test)");
  g_assert_cmpuint (again->screening->details.systolic, ==, systolic_before);

  /* Out of range: said at the field, nothing written. */
  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_DETAILS, patient);
  change->parts = CAIRN_SCREENING_PART_BASELINE;
  change->details = cairn_screening_details_copy (&again->screening->details);
  change->details->systolic = 300;
  cairn_screening_save_async (demo, change, NULL, cairn_test_answered_cb, &refused);
  answer = cairn_screening_save_finish (demo, cairn_test_wait_answer (&refused), &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer->problems);
  g_assert_cmpuint (answer->problems->len, >, 0);
  g_assert_cmpstr (((CairnFieldProblem *) g_ptr_array_index (answer->problems, 0))->field, ==, "systolic");
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM audit WHERE action = 'screening.save'", NULL), ==,
                   saves_before + 1);

  /* A pregnancy test added answers with its id, and reads back. */
  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_ADD_TEST, patient);
  change->date = g_strdup (again->today);
  change->result = CAIRN_PREGNANCY_RESULT_NEGATIVE;
  cairn_screening_save_async (demo, change, NULL, cairn_test_answered_cb, &added);
  answer = cairn_screening_save_finish (demo, cairn_test_wait_answer (&added), &error);
  g_assert_no_error (error);
  g_assert_null (answer->problems);
  g_assert_nonnull (answer->id);
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM pregnancy_tests WHERE id = ? AND result = 'negative'",
                          answer->id), ==, 1);
}

/* Saves one change on the worker; the answer, saved. */
static CairnScreeningChange *
save (CairnScreeningChange *change,
      GAsyncResult        **slot)
{
  g_autoptr(GError) error = NULL;
  CairnScreeningChange *answer;

  cairn_screening_save_async (demo, change, NULL, cairn_test_answered_cb, slot);
  answer = cairn_screening_save_finish (demo, cairn_test_wait_answer (slot), &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_null (answer->problems);
  return answer;
}

/* What a change saved does to the screening shown is what a fresh read
 * would show. */
static void
test_apply (void)
{
  g_autoptr(GError) error = NULL;
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autofree char *patient = text (clinical, "SELECT patient_id FROM medications WHERE deleted_at IS NULL"
                                   " GROUP BY patient_id ORDER BY count(*) DESC, patient_id LIMIT 1", NULL);
  g_autoptr(CairnScreeningScreen) shown = cairn_screening_screen_load (demo, patient, now (), &error);
  g_autoptr(CairnScreeningScreen) fresh = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GAsyncResult) r5 = NULL;
  g_autoptr(GAsyncResult) r6 = NULL;
  CairnScreeningChange *change;
  CairnMedication *removed;
  const CairnExclusion *exclusion;

  g_assert_no_error (error);
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (shown->protocol), >, 0);
  exclusion = cairn_protocol_get_exclusion_nth (shown->protocol, 0);

  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_MEDICATION, patient);
  change->medication = cairn_medication_new ();
  change->medication->name = g_strdup ("  Aaa-test sertraline ");
  change->is_new = TRUE;
  cairn_screening_change_apply (save (change, &r1), shown->screening);

  removed = g_ptr_array_index (shown->screening->medications, shown->screening->medications->len - 1);
  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_REMOVE_MEDICATION, patient);
  change->id = g_strdup (removed->id);
  cairn_screening_change_apply (save (change, &r2), shown->screening);

  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_DECISION, patient);
  change->decision = CAIRN_ELIGIBILITY_NEEDS_REVIEW;
  change->reason = g_strdup (" New cardiology finding ");
  change->date = g_strdup (shown->today);
  cairn_screening_change_apply (save (change, &r3), shown->screening);

  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_ADD_TEST, patient);
  change->date = g_strdup (shown->today);
  change->result = CAIRN_PREGNANCY_RESULT_POSITIVE;
  cairn_screening_change_apply (save (change, &r4), shown->screening);

  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_EXCLUSION, patient);
  change->exclusion_id = g_strdup (exclusion->id);
  change->answer = CAIRN_EXCLUSION_ANSWER_UNKNOWN;
  change->note = g_strdup ("Ask the GP");
  cairn_screening_change_apply (save (change, &r5), shown->screening);

  change = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_DETAILS, patient);
  change->parts = CAIRN_SCREENING_PART_CONSENT;
  change->details = cairn_screening_details_copy (&shown->screening->details);
  g_free (change->details->driver);
  change->details->driver = g_strdup ("Mara Quell");
  cairn_screening_change_apply (save (change, &r6), shown->screening);

  fresh = cairn_screening_screen_load (demo, patient, now (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shown->screening->medications->len, ==, fresh->screening->medications->len);
  for (guint i = 0; i < fresh->screening->medications->len; i++)
    {
      const CairnMedication *a = g_ptr_array_index (shown->screening->medications, i);
      const CairnMedication *b = g_ptr_array_index (fresh->screening->medications, i);

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpstr (a->name, ==, b->name);
    }
  g_assert_cmpuint (shown->screening->decisions->len, ==, fresh->screening->decisions->len);
  g_assert_cmpint (cairn_screening_get_eligibility (shown->screening), ==, CAIRN_ELIGIBILITY_NEEDS_REVIEW);
  g_assert_cmpstr (cairn_screening_get_decision (shown->screening)->reason, ==,
                   cairn_screening_get_decision (fresh->screening)->reason);
  g_assert_cmpuint (shown->screening->pregnancy_tests->len, ==, fresh->screening->pregnancy_tests->len);
  for (guint i = 0; i < fresh->screening->pregnancy_tests->len; i++)
    g_assert_cmpstr (((CairnPregnancyTest *) g_ptr_array_index (shown->screening->pregnancy_tests, i))->id, ==,
                     ((CairnPregnancyTest *) g_ptr_array_index (fresh->screening->pregnancy_tests, i))->id);
  g_assert_cmpint (cairn_screening_find_exclusion (shown->screening, exclusion->id)->answer, ==,
                   cairn_screening_find_exclusion (fresh->screening, exclusion->id)->answer);
  g_assert_cmpstr (cairn_screening_find_exclusion (shown->screening, exclusion->id)->note, ==, "Ask the GP");
  g_assert_cmpstr (shown->screening->details.driver, ==, fresh->screening->details.driver);
  g_assert_cmpstr (shown->screening->details.diagnosis, ==, fresh->screening->details.diagnosis);
}

/* The baseline's numbers as typed: empty is none, a comma is a point,
 * and what is not a number is said at its field. */
static void
test_numbers (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  g_autofree char *none = cairn_screening_format_whole (0);
  g_autofree char *whole = cairn_screening_format_whole (122);
  g_autofree char *no_decimal = cairn_screening_format_decimal (0.0);
  g_autofree char *decimal = cairn_screening_format_decimal (36.8);

  g_assert_cmpuint (cairn_screening_parse_whole (NULL, "systolic", problems), ==, 0);
  g_assert_cmpuint (cairn_screening_parse_whole ("  ", "systolic", problems), ==, 0);
  g_assert_cmpuint (cairn_screening_parse_whole (" 122 ", "systolic", problems), ==, 122);
  g_assert_cmpfloat_with_epsilon (cairn_screening_parse_decimal ("36,8", "temperature", problems), 36.8, 1e-9);
  g_assert_cmpfloat_with_epsilon (cairn_screening_parse_decimal ("72.5", "weight", problems), 72.5, 1e-9);
  g_assert_cmpuint (problems->len, ==, 0);

  g_assert_cmpuint (cairn_screening_parse_whole ("fast", "heart_rate", problems), ==, 0);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((CairnFieldProblem *) g_ptr_array_index (problems, 0))->field, ==, "heart_rate");
  g_assert_cmpstr (((CairnFieldProblem *) g_ptr_array_index (problems, 0))->message, ==,
                   "Enter a whole number, such as 120.");
  g_assert_cmpuint (cairn_screening_parse_whole ("0", "systolic", problems), ==, 0);
  g_assert_cmpuint (cairn_screening_parse_whole ("12.5", "systolic", problems), ==, 0);
  g_assert_cmpfloat (cairn_screening_parse_decimal ("-1", "weight", problems), ==, 0.0);
  g_assert_cmpfloat (cairn_screening_parse_decimal ("36.8 C", "temperature", problems), ==, 0.0);
  g_assert_cmpuint (problems->len, ==, 5);
  g_assert_cmpstr (((CairnFieldProblem *) g_ptr_array_index (problems, 4))->field, ==, "temperature");
  g_assert_cmpstr (((CairnFieldProblem *) g_ptr_array_index (problems, 4))->message, ==,
                   "Enter a number, such as 36.8.");

  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (whole, ==, "122");
  g_assert_cmpstr (no_decimal, ==, "");
  g_assert_cmpstr (decimal, ==, "36.8");
}

static void
test_override (void)
{
  CairnDatabase *practice = cairn_vault_get_practice (demo);
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autofree char *ids = text (practice, "SELECT group_concat (id, ' ') FROM patients", NULL);
  g_auto(GStrv) patients = g_strsplit (ids, " ", -1);
  g_autoptr(CairnGateScreen) gate = NULL;
  g_autoptr(CairnGateScreen) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  const CairnGateCheck *failed = NULL;
  g_autofree char *check_id = NULL;
  int overrides_before = count (clinical, "SELECT count(*) FROM gate_overrides", NULL);
  int audited_before = count (clinical, "SELECT count(*) FROM audit WHERE action = 'gate.override'", NULL);

  /* A demo patient with a medicine session ahead and a check not passed. */
  for (guint i = 0; patients[i] != NULL && failed == NULL; i++)
    {
      g_clear_pointer (&gate, cairn_gate_screen_free);
      gate = cairn_gate_screen_load (demo, patients[i], now (), &error);
      g_assert_no_error (error);
      for (guint j = 0; gate->has_session && j < gate->checks->len && failed == NULL; j++)
        {
          const CairnGateCheck *check = g_ptr_array_index (gate->checks, j);

          if (!check->passed && !check->overridden)
            failed = check;
        }
    }
  g_assert_nonnull (failed);
  check_id = g_strdup (failed->id);

  /* No reason: refused at the field, nothing written. */
  cairn_gate_override_async (demo, gate->patient_id, check_id, gate->today, gate->session_id, "  ", NULL,
                             cairn_test_answered_cb, &refused);
  g_assert_false (cairn_gate_override_finish (demo, cairn_test_wait_answer (&refused), &problems, &error));
  g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (problems);
  g_assert_cmpstr (((CairnFieldProblem *) g_ptr_array_index (problems, 0))->field, ==, "reason");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM gate_overrides", NULL), ==, overrides_before);

  cairn_gate_override_async (demo, gate->patient_id, check_id, gate->today, gate->session_id,
                             "Discussed with the medical lead", NULL, cairn_test_answered_cb, &done);
  g_assert_true (cairn_gate_override_finish (demo, cairn_test_wait_answer (&done), &problems, &error));
  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM gate_overrides", NULL), ==, overrides_before + 1);
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM gate_overrides WHERE appointment_id = ?",
                          gate->session_id), >=, 1);
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM audit WHERE action = 'gate.override'", NULL), ==,
                   audited_before + 1);

  again = cairn_gate_screen_load (demo, gate->patient_id, now (), &error);
  g_assert_no_error (error);
  g_assert_true (find_check (again->checks, check_id)->overridden);
  g_assert_cmpstr (find_check (again->checks, check_id)->override_reason, ==, "Discussed with the medical lead");
}

static void
test_front_desk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = text (cairn_vault_get_practice (demo), "SELECT id FROM patients ORDER BY id LIMIT 1",
                                   NULL);
  g_autoptr(CairnVault) desk = NULL;
  g_autoptr(CairnScreeningScreen) screen = NULL;
  g_autoptr(CairnGateScreen) gate = NULL;

  /* One process opens a database once: the clinician's vault steps aside. */
  cairn_vault_lock (demo);
  desk = cairn_vault_unlock (dir, "Test Desk", "quiet harbour lamp 3", &error);
  g_assert_no_error (error);

  screen = cairn_screening_screen_load (desk, patient, now (), &error);
  g_assert_null (screen);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  gate = cairn_gate_screen_load (desk, patient, now (), &error);
  g_assert_null (gate);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  cairn_vault_lock (desk);

  g_clear_object (&demo);
  demo = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_now_utc ();
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  parent = cairn_test_demo_make ("cairn-screens-screening-XXXXXX", start, &dir);
  demo = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (demo, "Test Desk", CAIRN_ROLE_FRONT_DESK, "quiet harbour lamp 3",
                                       &cheap, &error));
  g_assert_no_error (error);

  g_test_add_func ("/screens-screening/load", test_screening_load);
  g_test_add_func ("/screens-screening/gate", test_gate_load);
  g_test_add_func ("/screens-screening/save", test_save);
  g_test_add_func ("/screens-screening/apply", test_apply);
  g_test_add_func ("/screens-screening/numbers", test_numbers);
  g_test_add_func ("/screens-screening/override", test_override);
  g_test_add_func ("/screens-screening/front-desk", test_front_desk);

  status = g_test_run ();
  g_clear_object (&demo);
  cairn_test_remove_tree (parent);
  g_free (dir);
  g_free (parent);
  return status;
}
