/* test-screening.c
 *
 * Screening in a real vault: an empty record for a new patient, every part
 * saved and read back (and a save of one part keeping the others),
 * exclusions answered and changed, medications added, changed and removed
 * with a tombstone, pregnancy tests, the decision history kept and
 * unchangeable by the vault itself, gate overrides; bad input for every
 * field refused with a message at that field and nothing written; an audit
 * entry for every read and every write; the shipped serotonergic list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cairn-audit.h"
#include "cairn-records.h"
#include "cairn-screening.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

typedef struct
{
  char          *parent;
  CairnVault    *vault;
  CairnDatabase *db;          /* clinical.db */
  char          *me;
  char          *patient;
  char          *today;
  char          *yesterday;
  char          *tomorrow;
} Fixture;

/* A day from today in the practice's zone, the one the store checks
 * against: not the machine's. */
static char *
day_from_today (CairnDatabase *db,
                int            days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (cairn_database_get_time_zone (db));
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

  return g_date_time_format (day, "%Y-%m-%d");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *recovery = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-screening-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (fixture->parent, "vault", NULL);
  fixture->vault = cairn_vault_create (dir, "Quell Practice", "Europe/Berlin", "Dr Ada Quell",
                                       "lantern orchard fiddle 42", &test_params, &recovery, &error);
  g_assert_no_error (error);
  fixture->db = cairn_vault_get_clinical (fixture->vault);
  g_assert_nonnull (fixture->db);
  fixture->me = cairn_vault_get_user_id (fixture->vault);
  /* Screening refers to practice.db by id only; any id will do here. */
  fixture->patient = cairn_record_new_id ();
  fixture->today = day_from_today (fixture->db, 0);
  fixture->yesterday = day_from_today (fixture->db, -1);
  fixture->tomorrow = day_from_today (fixture->db, 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->vault);
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->me);
  g_free (fixture->patient);
  g_free (fixture->today);
  g_free (fixture->yesterday);
  g_free (fixture->tomorrow);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static guint
count (Fixture    *fixture,
       const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  g_autofree char *n = cairn_database_query_text (fixture->db, sql, NULL, 0, NULL);

  return (guint) g_ascii_strtoull (n, NULL, 10);
}

/* Every table screening writes, and the audit trail, as one figure. */
static char *
snapshot (Fixture *fixture)
{
  return g_strdup_printf ("%u %u %u %u %u %u %u",
                          count (fixture, "screenings"), count (fixture, "screening_exclusions"),
                          count (fixture, "medications"), count (fixture, "pregnancy_tests"),
                          count (fixture, "eligibility_decisions"), count (fixture, "gate_overrides"),
                          count (fixture, "audit"));
}

static void
assert_last_audit (Fixture    *fixture,
                   const char *action,
                   const char *detail)
{
  g_autofree char *last = cairn_database_query_text (fixture->db,
                                                     "SELECT action || '|' || coalesce (entity, '') || '|' ||"
                                                     " coalesce (user_id, '') || '|' || coalesce (detail, '')"
                                                     " FROM audit ORDER BY seq DESC LIMIT 1",
                                                     NULL, 0, NULL);
  g_autofree char *expected = g_strdup_printf ("%s|%s|%s|%s", action, fixture->patient, fixture->me,
                                               detail != NULL ? detail : "");

  g_assert_cmpstr (last, ==, expected);
}

static CairnScreening *
load (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CairnScreening *screening = cairn_screening_load (fixture->db, fixture->patient, fixture->me, &error);

  g_assert_no_error (error);
  g_assert_nonnull (screening);
  assert_last_audit (fixture, "screening.read", NULL);
  return screening;
}

/* Asserts that @problems holds exactly one problem, at @field. */
static void
assert_one_problem (GPtrArray  *problems,
                    const char *field)
{
  const CairnFieldProblem *problem;

  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (problem->field, ==, field);
  g_assert_nonnull (problem->message);
  g_assert_cmpstr (problem->message, !=, "");
}

static CairnScreeningDetails *
full_details (Fixture *fixture)
{
  CairnScreeningDetails *d = g_new0 (CairnScreeningDetails, 1);

  d->diagnosis = g_strdup ("PTSD, chronic");
  d->psychiatric_history = g_strdup ("Depressive episode 2019.\nNo admissions.");
  d->medical_history = g_strdup ("Asthma, mild");
  d->trauma_history = g_strdup ("Road accident 2018");
  d->vitals_date = g_strdup (fixture->yesterday);
  d->systolic = 124;
  d->diastolic = 78;
  d->heart_rate = 66;
  d->temperature = 36.7;
  d->weight = 71.5;
  d->ecg_date = g_strdup ("2025-12-01");
  d->labs_date = g_strdup (fixture->today);
  d->pregnancy_applicable = TRUE;
  d->consent_date = g_strdup (fixture->yesterday);
  d->support_person = g_strdup ("Mara Okafor, sister");
  d->driver = g_strdup ("Mara Okafor");
  d->overnight_attendant = g_strdup ("Tom Okafor");
  return d;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

static void
test_screening_empty (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CairnScreening) screening = NULL;
  g_autoptr(GError) error = NULL;
  guint before = count (fixture, "audit");

  /* Nothing recorded: an empty screening, no error, the read audited. */
  screening = load (fixture);
  g_assert_cmpuint (count (fixture, "audit"), ==, before + 1);
  g_assert_cmpstr (screening->patient_id, ==, fixture->patient);
  g_assert_null (screening->details.consent_date);
  g_assert_null (screening->details.updated_at);
  g_assert_cmpuint (screening->details.systolic, ==, 0);
  g_assert_false (screening->details.pregnancy_applicable);
  g_assert_cmpuint (screening->exclusions->len, ==, 0);
  g_assert_cmpuint (screening->medications->len, ==, 0);
  g_assert_cmpuint (screening->pregnancy_tests->len, ==, 0);
  g_assert_cmpuint (screening->decisions->len, ==, 0);
  g_assert_cmpuint (screening->overrides->len, ==, 0);
  g_assert_null (cairn_screening_get_decision (screening));
  g_assert_cmpint (cairn_screening_get_eligibility (screening), ==, CAIRN_ELIGIBILITY_NONE);
  g_assert_cmpuint (count (fixture, "screenings"), ==, 0);
}

static void
test_screening_details (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CairnScreeningDetails) details = full_details (fixture);
  g_autoptr(CairnScreeningDetails) history_only = g_new0 (CairnScreeningDetails, 1);
  g_autoptr(CairnScreening) first = NULL;
  g_autoptr(CairnScreening) second = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  CairnScreeningDetails *d;

  g_assert_true (cairn_screening_save_details (fixture->db, fixture->patient, details, CAIRN_SCREENING_PART_ALL,
                                               fixture->me, &problems, &error));
  g_assert_no_error (error);
  g_assert_null (problems);
  assert_last_audit (fixture, "screening.save", "history,baseline,consent");

  first = load (fixture);
  d = &first->details;
  g_assert_cmpstr (d->diagnosis, ==, "PTSD, chronic");
  g_assert_cmpstr (d->psychiatric_history, ==, "Depressive episode 2019.\nNo admissions.");
  g_assert_cmpstr (d->medical_history, ==, "Asthma, mild");
  g_assert_cmpstr (d->trauma_history, ==, "Road accident 2018");
  g_assert_cmpstr (d->vitals_date, ==, fixture->yesterday);
  g_assert_cmpuint (d->systolic, ==, 124);
  g_assert_cmpuint (d->diastolic, ==, 78);
  g_assert_cmpuint (d->heart_rate, ==, 66);
  g_assert_cmpfloat_with_epsilon (d->temperature, 36.7, 1e-9);
  g_assert_cmpfloat_with_epsilon (d->weight, 71.5, 1e-9);
  g_assert_cmpstr (d->ecg_date, ==, "2025-12-01");
  g_assert_cmpstr (d->labs_date, ==, fixture->today);
  g_assert_true (d->pregnancy_applicable);
  g_assert_cmpstr (d->consent_date, ==, fixture->yesterday);
  g_assert_cmpstr (d->support_person, ==, "Mara Okafor, sister");
  g_assert_cmpstr (d->driver, ==, "Mara Okafor");
  g_assert_cmpstr (d->overnight_attendant, ==, "Tom Okafor");
  g_assert_nonnull (d->updated_at);
  g_assert_cmpstr (d->updated_by, ==, fixture->me);

  /* Saving the history alone, emptied, keeps baseline and consent. */
  history_only->diagnosis = g_strdup ("  ");
  g_assert_true (cairn_screening_save_details (fixture->db, fixture->patient, history_only,
                                               CAIRN_SCREENING_PART_HISTORY, fixture->me, NULL, &error));
  g_assert_no_error (error);
  assert_last_audit (fixture, "screening.save", "history");
  second = load (fixture);
  g_assert_null (second->details.diagnosis);
  g_assert_null (second->details.trauma_history);
  g_assert_cmpuint (second->details.systolic, ==, 124);
  g_assert_cmpstr (second->details.consent_date, ==, fixture->yesterday);
  g_assert_cmpstr (second->details.overnight_attendant, ==, "Tom Okafor");
  g_assert_cmpuint (count (fixture, "screenings"), ==, 1);

  /* A copy is a deep copy. */
  {
    g_autoptr(CairnScreeningDetails) copy = cairn_screening_details_copy (&first->details);

    g_assert_cmpstr (copy->support_person, ==, first->details.support_person);
    g_assert_true (copy->support_person != first->details.support_person);
    g_assert_cmpuint (copy->heart_rate, ==, 66);
  }
}

typedef struct
{
  const char *field;
  void      (*spoil) (CairnScreeningDetails *details, Fixture *fixture);
} BadDetails;

static void
spoil_systolic (CairnScreeningDetails *d,
                Fixture               *f)
{
  d->systolic = 300;
}

static void
spoil_systolic_low (CairnScreeningDetails *d,
                    Fixture               *f)
{
  d->systolic = 40;
}

static void
spoil_diastolic (CairnScreeningDetails *d,
                 Fixture               *f)
{
  d->diastolic = 130;
}

static void
spoil_diastolic_missing (CairnScreeningDetails *d,
                         Fixture               *f)
{
  d->diastolic = 0;
}

static void
spoil_heart_rate (CairnScreeningDetails *d,
                  Fixture               *f)
{
  d->heart_rate = 12;
}

static void
spoil_temperature (CairnScreeningDetails *d,
                   Fixture               *f)
{
  d->temperature = 45.5;
}

static void
spoil_weight (CairnScreeningDetails *d,
              Fixture               *f)
{
  d->weight = 900;
}

static void
spoil_vitals_date (CairnScreeningDetails *d,
                   Fixture               *f)
{
  g_clear_pointer (&d->vitals_date, g_free);
}

static void
spoil_vitals_future (CairnScreeningDetails *d,
                     Fixture               *f)
{
  g_free (d->vitals_date);
  d->vitals_date = g_strdup (f->tomorrow);
}

static void
spoil_ecg_future (CairnScreeningDetails *d,
                  Fixture               *f)
{
  g_free (d->ecg_date);
  d->ecg_date = g_strdup (f->tomorrow);
}

static void
spoil_labs_date (CairnScreeningDetails *d,
                 Fixture               *f)
{
  g_free (d->labs_date);
  d->labs_date = g_strdup ("2025-02-30");
}

static void
spoil_labs_text (CairnScreeningDetails *d,
                 Fixture               *f)
{
  g_free (d->labs_date);
  d->labs_date = g_strdup ("last week");
}

static void
spoil_consent_future (CairnScreeningDetails *d,
                      Fixture               *f)
{
  g_free (d->consent_date);
  d->consent_date = g_strdup (f->tomorrow);
}

static void
spoil_driver (CairnScreeningDetails *d,
              Fixture               *f)
{
  g_free (d->driver);
  d->driver = g_strnfill (1001, 'x');
}

static void
spoil_history (CairnScreeningDetails *d,
               Fixture               *f)
{
  g_free (d->trauma_history);
  d->trauma_history = g_strdup ("\xff\xfe");
}

static const BadDetails bad_details[] = {
  { "systolic", spoil_systolic },
  { "systolic", spoil_systolic_low },
  { "diastolic", spoil_diastolic },
  { "diastolic", spoil_diastolic_missing },
  { "heart_rate", spoil_heart_rate },
  { "temperature", spoil_temperature },
  { "weight", spoil_weight },
  { "vitals_date", spoil_vitals_date },
  { "vitals_date", spoil_vitals_future },
  { "ecg_date", spoil_ecg_future },
  { "labs_date", spoil_labs_date },
  { "labs_date", spoil_labs_text },
  { "consent_date", spoil_consent_future },
  { "driver", spoil_driver },
  { "trauma_history", spoil_history },
};

static void
test_screening_bad_details (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CairnScreeningDetails) good = full_details (fixture);
  g_autofree char *before = NULL;

  /* Something on file already, which a refused save must leave alone. */
  good->systolic = 118;
  g_assert_true (cairn_screening_save_details (fixture->db, fixture->patient, good, CAIRN_SCREENING_PART_ALL,
                                               fixture->me, NULL, NULL));
  before = snapshot (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (bad_details); i++)
    {
      g_autoptr(CairnScreeningDetails) details = full_details (fixture);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) pure = NULL;
      g_autofree char *after = NULL;

      g_test_message ("bad %s (case %u)", bad_details[i].field, i);
      bad_details[i].spoil (details, fixture);

      pure = cairn_screening_validate_details (details, CAIRN_SCREENING_PART_ALL, fixture->today);
      assert_one_problem (pure, bad_details[i].field);

      g_assert_false (cairn_screening_save_details (fixture->db, fixture->patient, details,
                                                    CAIRN_SCREENING_PART_ALL, fixture->me, &problems, &error));
      g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID);
      assert_one_problem (problems, bad_details[i].field);
      g_assert_cmpstr (error->message, ==, ((CairnFieldProblem *) g_ptr_array_index (problems, 0))->message);

      after = snapshot (fixture);
      g_assert_cmpstr (after, ==, before);
    }

  /* Nothing half-saved: the history part of a refused save is not written. */
  {
    g_autoptr(CairnScreeningDetails) details = full_details (fixture);
    g_autoptr(CairnScreening) screening = NULL;

    g_free (details->diagnosis);
    details->diagnosis = g_strdup ("Changed");
    details->heart_rate = 400;
    g_assert_false (cairn_screening_save_details (fixture->db, fixture->patient, details,
                                                  CAIRN_SCREENING_PART_ALL, fixture->me, NULL, NULL));
    screening = load (fixture);
    g_assert_cmpstr (screening->details.diagnosis, ==, "PTSD, chronic");
    g_assert_cmpuint (screening->details.systolic, ==, 118);
  }

  /* A part not being saved is not checked. */
  {
    g_autoptr(CairnScreeningDetails) details = full_details (fixture);
    g_autoptr(GPtrArray) problems = NULL;

    details->heart_rate = 400;
    problems = cairn_screening_validate_details (details, CAIRN_SCREENING_PART_CONSENT, fixture->today);
    g_assert_cmpuint (problems->len, ==, 0);
  }
}

static void
test_screening_exclusions (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CairnScreening) first = NULL;
  g_autoptr(CairnScreening) second = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_note = g_strnfill (5001, 'n');
  g_autofree char *before = NULL;
  const CairnExclusionRecord *record;

  g_assert_true (cairn_screening_set_exclusion (fixture->db, fixture->patient, "eating-disorder",
                                                CAIRN_EXCLUSION_ANSWER_UNKNOWN, "Ask the GP", fixture->me,
                                                NULL, &error));
  g_assert_no_error (error);
  assert_last_audit (fixture, "screening.exclusion", "eating-disorder=unknown");
  g_assert_true (cairn_screening_set_exclusion (fixture->db, fixture->patient, "bipolar-i",
                                                CAIRN_EXCLUSION_ANSWER_NO, NULL, fixture->me, NULL, &error));

  first = load (fixture);
  g_assert_cmpuint (first->exclusions->len, ==, 2);
  record = cairn_screening_find_exclusion (first, "eating-disorder");
  g_assert_nonnull (record);
  g_assert_cmpint (record->answer, ==, CAIRN_EXCLUSION_ANSWER_UNKNOWN);
  g_assert_cmpstr (record->note, ==, "Ask the GP");
  g_assert_cmpstr (record->updated_by, ==, fixture->me);
  g_assert_null (cairn_screening_find_exclusion (first, "psychotic-disorder"));

  /* Answering again changes the one row. */
  g_assert_true (cairn_screening_set_exclusion (fixture->db, fixture->patient, "eating-disorder",
                                                CAIRN_EXCLUSION_ANSWER_YES, "GP letter: anorexia 2015",
                                                fixture->me, NULL, &error));
  assert_last_audit (fixture, "screening.exclusion", "eating-disorder=yes");
  second = load (fixture);
  g_assert_cmpuint (second->exclusions->len, ==, 2);
  g_assert_cmpuint (count (fixture, "screening_exclusions"), ==, 2);
  record = cairn_screening_find_exclusion (second, "eating-disorder");
  g_assert_cmpint (record->answer, ==, CAIRN_EXCLUSION_ANSWER_YES);
  g_assert_cmpstr (record->note, ==, "GP letter: anorexia 2015");

  /* A note too long is refused at the note. */
  before = snapshot (fixture);
  g_assert_false (cairn_screening_set_exclusion (fixture->db, fixture->patient, "bipolar-i",
                                                 CAIRN_EXCLUSION_ANSWER_NO, long_note, fixture->me,
                                                 &problems, &error));
  g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID);
  assert_one_problem (problems, "note");
  {
    g_autofree char *after = snapshot (fixture);

    g_assert_cmpstr (after, ==, before);
  }

  /* Answers and decisions read back through their string forms. */
  for (guint i = 0; i <= CAIRN_EXCLUSION_ANSWER_YES; i++)
    {
      CairnExclusionAnswer back;

      g_assert_true (cairn_exclusion_answer_from_string (cairn_exclusion_answer_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
    }
}

static void
test_screening_medications (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CairnMedication) sertraline = cairn_medication_new ();
  g_autoptr(CairnMedication) ibuprofen = cairn_medication_new ();
  g_autoptr(CairnScreening) first = NULL;
  g_autoptr(CairnScreening) second = NULL;
  g_autoptr(CairnScreening) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tombstone = NULL;
  const CairnMedication *read;

  sertraline->name = g_strdup ("  Sertraline ");
  sertraline->dose = g_strdup ("100 mg once a day");
  sertraline->serotonergic = TRUE;
  sertraline->taper_plan = g_strdup ("25 mg less every two weeks");
  g_assert_true (cairn_screening_save_medication (fixture->db, fixture->patient, sertraline, fixture->me,
                                                  NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sertraline->id);
  assert_last_audit (fixture, "medication.add", sertraline->id);

  ibuprofen->name = g_strdup ("Ibuprofen");
  g_assert_true (cairn_screening_save_medication (fixture->db, fixture->patient, ibuprofen, fixture->me,
                                                  NULL, &error));

  first = load (fixture);
  g_assert_cmpuint (first->medications->len, ==, 2);
  read = g_ptr_array_index (first->medications, 1);
  g_assert_cmpstr (read->id, ==, sertraline->id);
  g_assert_cmpstr (read->name, ==, "Sertraline");
  g_assert_cmpstr (read->dose, ==, "100 mg once a day");
  g_assert_true (read->serotonergic);
  g_assert_cmpstr (read->taper_plan, ==, "25 mg less every two weeks");
  g_assert_null (read->tapered_off);
  g_assert_false (((CairnMedication *) g_ptr_array_index (first->medications, 0))->serotonergic);

  /* Tapered off yesterday: an update of the same row. */
  sertraline->tapered_off = g_strdup (fixture->yesterday);
  g_assert_true (cairn_screening_save_medication (fixture->db, fixture->patient, sertraline, fixture->me,
                                                  NULL, &error));
  assert_last_audit (fixture, "medication.update", sertraline->id);
  second = load (fixture);
  g_assert_cmpuint (count (fixture, "medications"), ==, 2);
  g_assert_cmpstr (((CairnMedication *) g_ptr_array_index (second->medications, 1))->tapered_off, ==,
                   fixture->yesterday);

  /* Removed: gone from the list, kept in the vault with a tombstone. */
  g_assert_true (cairn_screening_remove_medication (fixture->db, fixture->patient, ibuprofen->id, fixture->me,
                                                    &error));
  g_assert_no_error (error);
  assert_last_audit (fixture, "medication.remove", ibuprofen->id);
  third = load (fixture);
  g_assert_cmpuint (third->medications->len, ==, 1);
  g_assert_cmpuint (count (fixture, "medications"), ==, 2);
  tombstone = cairn_database_query_text (fixture->db, "SELECT deleted_at FROM medications WHERE id = ?",
                                         (const char *[]) { ibuprofen->id }, 1, NULL);
  g_assert_nonnull (tombstone);
  g_assert_false (cairn_database_run (fixture->db, "DELETE FROM medications", NULL, 0, NULL));

  /* Removing or changing it again: not found. */
  g_assert_false (cairn_screening_remove_medication (fixture->db, fixture->patient, ibuprofen->id, fixture->me,
                                                     &error));
  g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cairn_screening_save_medication (fixture->db, fixture->patient, ibuprofen, fixture->me,
                                                   NULL, &error));
  g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_NOT_FOUND);
}

static void
test_screening_bad_medication (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *before = snapshot (fixture);
  struct { const char *name; const char *tapered_off; const char *field; } cases[] = {
    { "", NULL, "name" },
    { "   ", NULL, "name" },
    { "Sertraline", "tomorrow", "tapered_off" },
    { "Sertraline", "2025-13-01", "tapered_off" },
    { "Sertraline", "2099-01-01", "tapered_off" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CairnMedication) medication = cairn_medication_new ();
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      medication->name = g_strdup (cases[i].name);
      medication->tapered_off = g_strdup (cases[i].tapered_off);
      g_assert_false (cairn_screening_save_medication (fixture->db, fixture->patient, medication, fixture->me,
                                                       &problems, &error));
      g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID);
      assert_one_problem (problems, cases[i].field);
      g_assert_null (medication->id);
      after = snapshot (fixture);
      g_assert_cmpstr (after, ==, before);
    }

  /* Tapered off tomorrow, in a form: refused at that field. */
  {
    g_autoptr(CairnMedication) medication = cairn_medication_new ();
    g_autoptr(GPtrArray) problems = NULL;

    medication->name = g_strdup ("Lithium");
    medication->tapered_off = g_strdup (fixture->tomorrow);
    problems = cairn_medication_validate (medication, fixture->today);
    assert_one_problem (problems, "tapered_off");
  }
}

static void
test_screening_pregnancy_tests (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CairnScreening) screening = NULL;
  g_autoptr(CairnScreening) after_removal = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old = NULL;
  g_autofree char *today = NULL;
  g_autofree char *before = NULL;
  const CairnPregnancyTest *test;

  old = cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, "2026-01-05",
                                            CAIRN_PREGNANCY_RESULT_NEGATIVE, fixture->me, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (old);
  assert_last_audit (fixture, "pregnancy-test.add", old);
  today = cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, fixture->today,
                                              CAIRN_PREGNANCY_RESULT_POSITIVE, fixture->me, NULL, &error);
  g_assert_nonnull (today);

  screening = load (fixture);
  g_assert_cmpuint (screening->pregnancy_tests->len, ==, 2);
  test = g_ptr_array_index (screening->pregnancy_tests, 0);
  g_assert_cmpstr (test->id, ==, today);
  g_assert_cmpstr (test->date, ==, fixture->today);
  g_assert_cmpint (test->result, ==, CAIRN_PREGNANCY_RESULT_POSITIVE);
  g_assert_cmpstr (test->recorded_by, ==, fixture->me);

  /* A test in the future, or with no date: refused at the date. */
  before = snapshot (fixture);
  g_assert_null (cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, fixture->tomorrow,
                                                     CAIRN_PREGNANCY_RESULT_NEGATIVE, fixture->me,
                                                     &problems, &error));
  g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID);
  assert_one_problem (problems, "date");
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_null (cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, NULL,
                                                     CAIRN_PREGNANCY_RESULT_NEGATIVE, fixture->me,
                                                     &problems, &error));
  assert_one_problem (problems, "date");
  {
    g_autofree char *after = snapshot (fixture);

    g_assert_cmpstr (after, ==, before);
  }
  g_clear_error (&error);

  /* Entered by mistake: removed with a tombstone. */
  g_assert_true (cairn_screening_remove_pregnancy_test (fixture->db, fixture->patient, today, fixture->me,
                                                        &error));
  g_assert_no_error (error);
  assert_last_audit (fixture, "pregnancy-test.remove", today);
  after_removal = load (fixture);
  g_assert_cmpuint (after_removal->pregnancy_tests->len, ==, 1);
  g_assert_cmpuint (count (fixture, "pregnancy_tests"), ==, 2);
}

static void
test_screening_decisions (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CairnScreening) screening = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *detail = NULL;
  const CairnEligibilityDecision *latest;
  const CairnEligibilityDecision *older;
  struct { CairnEligibility decision; const char *reason; const char *on; const char *field; } bad[] = {
    { CAIRN_ELIGIBILITY_ELIGIBLE, NULL, NULL, "reason" },
    { CAIRN_ELIGIBILITY_ELIGIBLE, " \n ", NULL, "reason" },
    { CAIRN_ELIGIBILITY_NONE, "No reason needed?", NULL, "decision" },
    { CAIRN_ELIGIBILITY_NOT_ELIGIBLE, "Too soon", "2099-12-31", "decided_on" },
    { CAIRN_ELIGIBILITY_NOT_ELIGIBLE, "Too soon", "31.12.2024", "decided_on" },
  };

  /* Without a reason, or with a wrong field: refused, nothing written. */
  before = snapshot (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *after = NULL;

      g_assert_false (cairn_screening_record_decision (fixture->db, fixture->patient, bad[i].decision,
                                                       bad[i].reason, bad[i].on, fixture->me, &problems,
                                                       &local_error));
      g_assert_error (local_error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID);
      assert_one_problem (problems, bad[i].field);
      after = snapshot (fixture);
      g_assert_cmpstr (after, ==, before);
    }

  g_assert_true (cairn_screening_record_decision (fixture->db, fixture->patient, CAIRN_ELIGIBILITY_NEEDS_REVIEW,
                                                  "Cardiology opinion outstanding", fixture->yesterday,
                                                  fixture->me, NULL, &error));
  g_assert_no_error (error);
  detail = g_strdup_printf ("needs-review %s", fixture->yesterday);
  assert_last_audit (fixture, "eligibility.decide", detail);
  g_assert_true (cairn_screening_record_decision (fixture->db, fixture->patient, CAIRN_ELIGIBILITY_ELIGIBLE,
                                                  "Cardiology: no objection", NULL, fixture->me, NULL, &error));
  g_assert_no_error (error);

  /* Both kept, newest first; the newest is the decision. */
  screening = load (fixture);
  g_assert_cmpuint (screening->decisions->len, ==, 2);
  latest = cairn_screening_get_decision (screening);
  g_assert_true (latest == g_ptr_array_index (screening->decisions, 0));
  g_assert_cmpint (latest->decision, ==, CAIRN_ELIGIBILITY_ELIGIBLE);
  g_assert_cmpstr (latest->reason, ==, "Cardiology: no objection");
  g_assert_cmpstr (latest->decided_on, ==, fixture->today);
  g_assert_cmpstr (latest->decided_by, ==, fixture->me);
  g_assert_cmpint (cairn_screening_get_eligibility (screening), ==, CAIRN_ELIGIBILITY_ELIGIBLE);
  older = g_ptr_array_index (screening->decisions, 1);
  g_assert_cmpint (older->decision, ==, CAIRN_ELIGIBILITY_NEEDS_REVIEW);
  g_assert_cmpstr (older->decided_on, ==, fixture->yesterday);

  /* The vault itself keeps the history: no edit, no delete. */
  g_assert_false (cairn_database_run (fixture->db, "UPDATE eligibility_decisions SET decision = 'not-eligible'",
                                      NULL, 0, NULL));
  g_assert_false (cairn_database_run (fixture->db, "DELETE FROM eligibility_decisions", NULL, 0, NULL));
  g_assert_cmpuint (count (fixture, "eligibility_decisions"), ==, 2);

  for (guint i = 0; i <= CAIRN_ELIGIBILITY_NEEDS_REVIEW; i++)
    {
      CairnEligibility back;

      g_assert_true (cairn_eligibility_from_string (cairn_eligibility_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
      g_assert_nonnull (cairn_eligibility_get_label (i));
    }
}

static void
test_screening_overrides (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CairnScreening) screening = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *appointment = cairn_record_new_id ();
  g_autofree char *last_detail = NULL;
  const CairnGateOverride *override;

  before = snapshot (fixture);
  g_assert_false (cairn_screening_record_override (fixture->db, fixture->patient, "consent", fixture->today,
                                                   appointment, "   ", fixture->me, &problems, &error));
  g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID);
  assert_one_problem (problems, "reason");
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_false (cairn_screening_record_override (fixture->db, fixture->patient, "consent", "today",
                                                   NULL, "Reason", fixture->me, &problems, &error));
  assert_one_problem (problems, "applies_on");
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_false (cairn_screening_record_override (fixture->db, fixture->patient, "", fixture->today,
                                                   NULL, "Reason", fixture->me, &problems, &error));
  assert_one_problem (problems, "check_id");
  g_clear_error (&error);
  {
    g_autofree char *after = snapshot (fixture);

    g_assert_cmpstr (after, ==, before);
  }

  g_assert_true (cairn_screening_record_override (fixture->db, fixture->patient, "consent", fixture->today,
                                                  appointment, "Consent given on video, form to follow",
                                                  fixture->me, NULL, &error));
  g_assert_no_error (error);
  screening = load (fixture);
  g_assert_cmpuint (screening->overrides->len, ==, 1);
  override = g_ptr_array_index (screening->overrides, 0);
  g_assert_cmpstr (override->check_id, ==, "consent");
  g_assert_cmpstr (override->applies_on, ==, fixture->today);
  g_assert_cmpstr (override->appointment_id, ==, appointment);
  g_assert_cmpstr (override->reason, ==, "Consent given on video, form to follow");
  g_assert_cmpstr (override->recorded_by, ==, fixture->me);

  /* The audit entry names the check, the day, the session and the row. */
  last_detail = cairn_database_query_text (fixture->db,
                                           "SELECT detail FROM audit WHERE action = 'gate.override'",
                                           NULL, 0, NULL);
  g_assert_nonnull (strstr (last_detail, "consent"));
  g_assert_nonnull (strstr (last_detail, fixture->today));
  g_assert_nonnull (strstr (last_detail, appointment));
  g_assert_nonnull (strstr (last_detail, override->id));

  g_assert_false (cairn_database_run (fixture->db, "UPDATE gate_overrides SET reason = 'x'", NULL, 0, NULL));
  g_assert_false (cairn_database_run (fixture->db, "DELETE FROM gate_overrides", NULL, 0, NULL));
}

static void
test_screening_audit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CairnScreeningDetails) details = full_details (fixture);
  g_autoptr(CairnMedication) medication = cairn_medication_new ();
  g_autoptr(CairnScreening) screening = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *test_id = NULL;
  g_autofree char *actions = NULL;
  guint n = 0;

  screening = load (fixture);
  g_assert_true (cairn_screening_save_details (fixture->db, fixture->patient, details, CAIRN_SCREENING_PART_ALL,
                                               fixture->me, NULL, &error));
  g_assert_true (cairn_screening_set_exclusion (fixture->db, fixture->patient, "x", CAIRN_EXCLUSION_ANSWER_NO,
                                                NULL, fixture->me, NULL, &error));
  medication->name = g_strdup ("Lithium");
  g_assert_true (cairn_screening_save_medication (fixture->db, fixture->patient, medication, fixture->me,
                                                  NULL, &error));
  g_assert_true (cairn_screening_save_medication (fixture->db, fixture->patient, medication, fixture->me,
                                                  NULL, &error));
  g_assert_true (cairn_screening_remove_medication (fixture->db, fixture->patient, medication->id, fixture->me,
                                                    &error));
  test_id = cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, fixture->today,
                                                CAIRN_PREGNANCY_RESULT_NEGATIVE, fixture->me, NULL, &error);
  g_assert_true (cairn_screening_remove_pregnancy_test (fixture->db, fixture->patient, test_id, fixture->me,
                                                        &error));
  g_assert_true (cairn_screening_record_decision (fixture->db, fixture->patient, CAIRN_ELIGIBILITY_ELIGIBLE,
                                                  "All clear", NULL, fixture->me, NULL, &error));
  g_assert_true (cairn_screening_record_override (fixture->db, fixture->patient, "therapists", fixture->today,
                                                  NULL, "Second therapist on call", fixture->me, NULL, &error));
  g_clear_pointer (&screening, cairn_screening_free);
  screening = load (fixture);
  g_assert_no_error (error);

  actions = cairn_database_query_text (fixture->db,
                                       "SELECT group_concat (action, ' ') FROM"
                                       " (SELECT action FROM audit WHERE entity = ? ORDER BY seq)",
                                       (const char *[]) { fixture->patient }, 1, NULL);
  g_assert_cmpstr (actions, ==,
                   "screening.read screening.save screening.exclusion medication.add medication.update"
                   " medication.remove pregnancy-test.add pregnancy-test.remove eligibility.decide"
                   " gate.override screening.read");
  g_assert_true (cairn_audit_verify (fixture->db, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 11);
}

static void
test_screening_serotonergic (void)
{
  g_auto(GStrv) list = cairn_screening_serotonergic_list ();

  g_assert_nonnull (list);
  g_assert_cmpuint (g_strv_length (list), >, 20);
  g_assert_true (g_strv_contains ((const char * const *) list, "sertraline"));
  for (guint i = 0; list[i] != NULL; i++)
    {
      g_assert_cmpstr (list[i], !=, "");
      g_assert_cmpint (list[i][0], !=, '#');
      g_assert_true (cairn_screening_is_serotonergic (list[i]));
    }

  g_assert_true (cairn_screening_is_serotonergic ("Sertraline 50 mg"));
  g_assert_true (cairn_screening_is_serotonergic ("SERTRALINE"));
  g_assert_true (cairn_screening_is_serotonergic ("  sertraline"));
  g_assert_true (cairn_screening_is_serotonergic ("Sertraline50mg"));
  g_assert_true (cairn_screening_is_serotonergic ("Lithium carbonate 400 mg"));
  g_assert_true (cairn_screening_is_serotonergic ("St. John’s Wort extract"));
  g_assert_true (cairn_screening_is_serotonergic ("st johns wort"));
  g_assert_true (cairn_screening_is_serotonergic ("Methylene blue"));
  g_assert_true (cairn_screening_is_serotonergic ("5-HTP 100 mg"));
  g_assert_true (cairn_screening_is_serotonergic ("Zoloft"));
  g_assert_false (cairn_screening_is_serotonergic ("Paracetamol 1 g"));
  g_assert_false (cairn_screening_is_serotonergic ("Lithiumx"));
  g_assert_false (cairn_screening_is_serotonergic ("Sert"));
  g_assert_false (cairn_screening_is_serotonergic ("Low-dose sertraline"));
  g_assert_false (cairn_screening_is_serotonergic (""));
  g_assert_false (cairn_screening_is_serotonergic (NULL));
  g_assert_false (cairn_screening_is_serotonergic ("\xff"));
}

/* Only "YYYY-MM-DD" in digits, a real day, is a date: every date field
 * refuses the rest at its field, writes nothing, and keeps a date as the
 * vault writes it. */
static const char * const not_dates[] = {
  "2025- 9-30", "2025-+9-30", "2025-9-30", "2025-09-3", "2025-02-30", "2025-13-01", "2025-00-10",
  "2025-09-30x", "2025-09-30 00:00", "2025/09/30", "+025-09-30", " 2025-09-3", "２０２５-09-30",
};

static void
assert_refused_date (GPtrArray  *problems,
                     GError     *error,
                     const char *field,
                     const char *words)
{
  const CairnFieldProblem *problem;

  g_assert_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID);
  assert_one_problem (problems, field);
  problem = g_ptr_array_index (problems, 0);
  g_assert_nonnull (strstr (problem->message, words));
}

static void
test_screening_strict_dates (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *before = snapshot (fixture);
  static const char * const detail_fields[] = { "vitals_date", "ecg_date", "labs_date", "consent_date" };

  for (guint i = 0; i < G_N_ELEMENTS (not_dates); i++)
    {
      g_autoptr(GPtrArray) pure = NULL;

      g_test_message ("not a date: “%s”", not_dates[i]);

      for (guint f = 0; f < G_N_ELEMENTS (detail_fields); f++)
        {
          g_autoptr(CairnScreeningDetails) details = full_details (fixture);
          g_autoptr(GPtrArray) problems = NULL;
          g_autoptr(GError) error = NULL;
          char **slot = f == 0 ? &details->vitals_date : f == 1 ? &details->ecg_date
                        : f == 2 ? &details->labs_date : &details->consent_date;

          g_free (*slot);
          *slot = g_strdup (not_dates[i]);
          g_assert_false (cairn_screening_save_details (fixture->db, fixture->patient, details,
                                                        CAIRN_SCREENING_PART_ALL, fixture->me, &problems, &error));
          assert_refused_date (problems, error, detail_fields[f], "is not a date");
        }

      {
        g_autoptr(CairnMedication) medication = cairn_medication_new ();
        g_autoptr(GPtrArray) problems = NULL;
        g_autoptr(GError) error = NULL;

        medication->name = g_strdup ("Sertraline");
        medication->serotonergic = TRUE;
        medication->tapered_off = g_strdup (not_dates[i]);
        g_assert_false (cairn_screening_save_medication (fixture->db, fixture->patient, medication, fixture->me,
                                                         &problems, &error));
        assert_refused_date (problems, error, "tapered_off", "is not a date");
        g_assert_null (medication->id);
      }
      {
        g_autoptr(GPtrArray) problems = NULL;
        g_autoptr(GError) error = NULL;

        g_assert_null (cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, not_dates[i],
                                                           CAIRN_PREGNANCY_RESULT_NEGATIVE, fixture->me,
                                                           &problems, &error));
        assert_refused_date (problems, error, "date", "is not a date");
      }
      {
        g_autoptr(GPtrArray) problems = NULL;
        g_autoptr(GError) error = NULL;

        g_assert_false (cairn_screening_record_decision (fixture->db, fixture->patient, CAIRN_ELIGIBILITY_ELIGIBLE,
                                                         "Reviewed", not_dates[i], fixture->me, &problems, &error));
        assert_refused_date (problems, error, "decided_on", "is not a date");
      }
      {
        g_autoptr(GPtrArray) problems = NULL;
        g_autoptr(GError) error = NULL;

        g_assert_false (cairn_screening_record_override (fixture->db, fixture->patient, "consent", not_dates[i],
                                                         NULL, "Form in the post", fixture->me, &problems, &error));
        assert_refused_date (problems, error, "applies_on", "such as 2024-03-27");
      }
    }

  /* Tomorrow, in the practice's zone, is refused everywhere a past day is asked. */
  {
    g_autoptr(CairnScreeningDetails) details = full_details (fixture);
    g_autoptr(CairnMedication) medication = cairn_medication_new ();
    g_autoptr(GPtrArray) p1 = NULL, p2 = NULL, p3 = NULL, p4 = NULL;
    g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;

    g_free (details->consent_date);
    details->consent_date = g_strdup (fixture->tomorrow);
    g_assert_false (cairn_screening_save_details (fixture->db, fixture->patient, details, CAIRN_SCREENING_PART_ALL,
                                                  fixture->me, &p1, &e1));
    assert_refused_date (p1, e1, "consent_date", "in the future");
    medication->name = g_strdup ("Sertraline");
    medication->tapered_off = g_strdup (fixture->tomorrow);
    g_assert_false (cairn_screening_save_medication (fixture->db, fixture->patient, medication, fixture->me,
                                                     &p2, &e2));
    assert_refused_date (p2, e2, "tapered_off", "in the future");
    g_assert_null (cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, fixture->tomorrow,
                                                       CAIRN_PREGNANCY_RESULT_NEGATIVE, fixture->me, &p3, &e3));
    assert_refused_date (p3, e3, "date", "in the future");
    g_assert_false (cairn_screening_record_decision (fixture->db, fixture->patient, CAIRN_ELIGIBILITY_ELIGIBLE,
                                                     "Reviewed", fixture->tomorrow, fixture->me, &p4, &e4));
    assert_refused_date (p4, e4, "decided_on", "in the future");
  }

  /* Nothing of it was written, not even an audit entry. */
  {
    g_autofree char *after = snapshot (fixture);

    g_assert_cmpstr (after, ==, before);
  }

  /* A date is kept exactly as written: "YYYY-MM-DD". */
  {
    g_autoptr(CairnScreeningDetails) details = full_details (fixture);
    g_autoptr(CairnScreening) screening = NULL;
    g_autofree char *stored = NULL;

    g_free (details->consent_date);
    details->consent_date = g_strdup ("2025-09-30");
    g_assert_true (cairn_screening_save_details (fixture->db, fixture->patient, details,
                                                 CAIRN_SCREENING_PART_CONSENT, fixture->me, NULL, NULL));
    stored = cairn_database_query_text (fixture->db, "SELECT consent_date FROM screenings", NULL, 0, NULL);
    g_assert_cmpstr (stored, ==, "2025-09-30");
    screening = load (fixture);
    g_assert_cmpstr (screening->details.consent_date, ==, "2025-09-30");
  }
}

/* "Today" is the practice's, wherever the machine's clock is: a day that
 * is today in the practice's zone is accepted, the next one refused. */
static void
test_screening_practice_today (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GTimeZone) east = g_time_zone_new_identifier ("Pacific/Kiritimati");  /* UTC+14 */
  g_autoptr(GTimeZone) west = g_time_zone_new_identifier ("Pacific/Pago_Pago");   /* UTC−11 */
  g_autofree char *east_today = NULL;
  g_autofree char *west_today = NULL;
  g_autofree char *west_tomorrow = NULL;

  g_assert_nonnull (east);
  g_assert_nonnull (west);

  /* Far east: the practice may already be a day ahead of the machine. */
  cairn_database_set_time_zone (fixture->db, east);
  east_today = cairn_database_today (fixture->db);
  {
    g_autoptr(CairnScreeningDetails) details = full_details (fixture);
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;

    g_free (details->consent_date);
    details->consent_date = g_strdup (east_today);
    g_assert_true (cairn_screening_save_details (fixture->db, fixture->patient, details,
                                                 CAIRN_SCREENING_PART_CONSENT, fixture->me, &problems, &error));
    g_assert_no_error (error);
    id = cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, east_today,
                                             CAIRN_PREGNANCY_RESULT_NEGATIVE, fixture->me, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (id);
    g_assert_true (cairn_screening_record_decision (fixture->db, fixture->patient, CAIRN_ELIGIBILITY_ELIGIBLE,
                                                    "Reviewed", NULL, fixture->me, NULL, &error));
    g_assert_no_error (error);
  }

  /* Far west: the practice may still be a day behind the machine; the
   * east's today is at least its tomorrow. */
  cairn_database_set_time_zone (fixture->db, west);
  west_today = cairn_database_today (fixture->db);
  west_tomorrow = day_from_today (fixture->db, 1);
  g_assert_cmpstr (west_today, <, east_today);
  {
    g_autoptr(CairnScreeningDetails) details = full_details (fixture);
    g_autoptr(CairnMedication) medication = cairn_medication_new ();
    g_autoptr(GPtrArray) p1 = NULL, p2 = NULL, p3 = NULL;
    g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
    g_autoptr(CairnScreening) screening = NULL;

    g_free (details->consent_date);
    details->consent_date = g_strdup (west_tomorrow);
    g_assert_false (cairn_screening_save_details (fixture->db, fixture->patient, details,
                                                  CAIRN_SCREENING_PART_CONSENT, fixture->me, &p1, &e1));
    assert_refused_date (p1, e1, "consent_date", "in the future");
    medication->name = g_strdup ("Sertraline");
    medication->tapered_off = g_strdup (west_tomorrow);
    g_assert_false (cairn_screening_save_medication (fixture->db, fixture->patient, medication, fixture->me,
                                                     &p2, &e2));
    assert_refused_date (p2, e2, "tapered_off", "in the future");
    g_assert_null (cairn_screening_add_pregnancy_test (fixture->db, fixture->patient, east_today,
                                                       CAIRN_PREGNANCY_RESULT_NEGATIVE, fixture->me, &p3, &e3));
    assert_refused_date (p3, e3, "date", "in the future");

    /* A decision with no day is the practice's today. */
    g_assert_true (cairn_screening_record_decision (fixture->db, fixture->patient, CAIRN_ELIGIBILITY_ELIGIBLE,
                                                    "Reviewed again", NULL, fixture->me, NULL, &e4));
    g_assert_no_error (e4);
    screening = load (fixture);
    g_assert_cmpstr (cairn_screening_get_decision (screening)->decided_on, ==, west_today);
    g_assert_cmpstr (((CairnEligibilityDecision *) g_ptr_array_index (screening->decisions, 1))->decided_on, ==,
                     east_today);
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

#define ADD(path, func) \
  g_test_add ("/screening/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("empty", test_screening_empty);
  ADD ("details", test_screening_details);
  ADD ("bad-details", test_screening_bad_details);
  ADD ("exclusions", test_screening_exclusions);
  ADD ("medications", test_screening_medications);
  ADD ("bad-medication", test_screening_bad_medication);
  ADD ("pregnancy-tests", test_screening_pregnancy_tests);
  ADD ("decisions", test_screening_decisions);
  ADD ("overrides", test_screening_overrides);
  ADD ("audit", test_screening_audit);
  ADD ("strict-dates", test_screening_strict_dates);
  ADD ("practice-today", test_screening_practice_today);
  g_test_add_func ("/screening/serotonergic", test_screening_serotonergic);

#undef ADD

  return g_test_run ();
}
