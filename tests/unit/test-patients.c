/* test-patients.c
 *
 * The patient registry in a real vault: validation field by field, saving
 * and its audit entries, chart numbers, duplicates, archiving, and search
 * (prefixes, phone and chart numbers, ranking, FTS syntax typed by a user).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cairn-patients.h"
#include "cairn-schedule.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

typedef struct
{
  char       *parent;
  CairnVault *vault;
  GDate       today;
} Fixture;

static CairnDatabase *
db (Fixture *fixture)
{
  return cairn_vault_get_practice (fixture->vault);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *recovery = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-patients-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (fixture->parent, "vault", NULL);
  fixture->vault = cairn_vault_create (dir, "Quell Practice", "Europe/Berlin", "Dr Ada Quell",
                                       "lantern orchard fiddle 42", &test_params, &recovery, &error);
  g_assert_no_error (error);
  g_date_clear (&fixture->today, 1);
  g_date_set_dmy (&fixture->today, 22, G_DATE_NOVEMBER, 2026);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->vault);
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
}

static CairnPatient *
make_patient (const char *name,
              const char *date_of_birth,
              const char *phone)
{
  CairnPatient *patient = cairn_patient_new ();

  patient->legal_name = g_strdup (name);
  patient->date_of_birth = g_strdup (date_of_birth);
  patient->phone = g_strdup (phone);
  return patient;
}

static CairnPatient *
save_patient (Fixture    *fixture,
              const char *name,
              const char *date_of_birth,
              const char *phone)
{
  g_autoptr(GError) error = NULL;
  CairnPatient *patient = make_patient (name, date_of_birth, phone);

  g_assert_true (cairn_patients_save (db (fixture), patient, "user-1", &error));
  g_assert_no_error (error);
  return patient;
}

/* The one problem found for @patient, or NULL when there is none. */
static const CairnFieldProblem *
only_problem (GPtrArray *problems)
{
  g_assert_cmpuint (problems->len, <=, 1);
  return problems->len == 1 ? g_ptr_array_index (problems, 0) : NULL;
}

static void
test_validate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (201, 'a');
  struct {
    const char *field;
    const char *value;
    const char *problem_field;
    const char *message_part;
  } cases[] = {
    /* A valid patient to start from: every case changes one field. */
    { NULL, NULL, NULL, NULL },
    { "legal_name", "", "legal_name", "legal name" },
    { "legal_name", "   ", "legal_name", "legal name" },
    { "legal_name", long_name, "legal_name", "at most 200" },
    { "date_of_birth", "", "date_of_birth", "Enter the date of birth" },
    { "date_of_birth", "27.03.1984", "date_of_birth", "is not a date" },
    { "date_of_birth", "1984-02-30", "date_of_birth", "is not a date" },
    { "date_of_birth", "1984-3-7", "date_of_birth", "is not a date" },
    { "date_of_birth", "1984- 3-27", "date_of_birth", "is not a date" },
    { "date_of_birth", "+984-03-27", "date_of_birth", "is not a date" },
    { "date_of_birth", "2026-11-23", "date_of_birth", "in the future" },
    { "date_of_birth", "2026-11-22", NULL, NULL },
    { "date_of_birth", "1899-12-31", "date_of_birth", "before 1900" },
    { "date_of_birth", "1900-01-01", NULL, NULL },
    { "email", "ada.example.org", "email", "email address" },
    { "email", "ada@example", "email", "email address" },
    { "email", "ada@@example.org", "email", "email address" },
    { "email", "ada quell@example.org", "email", "email address" },
    { "email", "ada@example.org", NULL, NULL },
    { "phone", "12345", "phone", "6 to 20 digits" },
    { "phone", "123456", NULL, NULL },
    /* At most 20 digits, however they are written. */
    { "phone", "12345678901234567890", NULL, NULL },
    { "phone", "123456789012345678901", "phone", "6 to 20 digits" },
    { "phone", "+49 (30) 1234-5678 9012/3456", NULL, NULL },
    { "phone", "+49 (30) 1234-5678 9012/34567", "phone", "6 to 20 digits" },
    { "phone", "call me", "phone", "digits, spaces" },
    { "phone", "+49 (30) 1234-5678", NULL, NULL },
    { "chart_number", "", "chart_number", "chart number" },
    { "chart_number", "C 001", "chart_number", "letters, digits and hyphens" },
    { "chart_number", "C-000001", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CairnPatient) patient = make_patient ("Ada Quell", "1984-03-27", NULL);
      g_autoptr(GPtrArray) problems = NULL;
      const CairnFieldProblem *problem;
      char **member = NULL;

      patient->chart_number = g_strdup ("C-000001");
      if (g_strcmp0 (cases[i].field, "legal_name") == 0)
        member = &patient->legal_name;
      else if (g_strcmp0 (cases[i].field, "date_of_birth") == 0)
        member = &patient->date_of_birth;
      else if (g_strcmp0 (cases[i].field, "email") == 0)
        member = &patient->email;
      else if (g_strcmp0 (cases[i].field, "phone") == 0)
        member = &patient->phone;
      else if (g_strcmp0 (cases[i].field, "chart_number") == 0)
        member = &patient->chart_number;
      if (member != NULL)
        {
          g_free (*member);
          *member = g_strdup (cases[i].value);
        }

      problems = cairn_patient_validate (patient, &fixture->today);
      problem = only_problem (problems);
      g_test_message ("case %u: %s = %s → %s", i, cases[i].field, cases[i].value,
                      problem != NULL ? problem->message : "fine");
      if (cases[i].problem_field == NULL)
        g_assert_null (problem);
      else
        {
          g_assert_nonnull (problem);
          g_assert_cmpstr (problem->field, ==, cases[i].problem_field);
          g_assert_nonnull (strstr (problem->message, cases[i].message_part));
        }
    }
}

static void
test_age (void)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 27, G_DATE_MARCH, 2026);
  g_assert_cmpint (cairn_patient_age ("1984-03-27", &today), ==, 42);
  g_assert_cmpint (cairn_patient_age ("1984-03-28", &today), ==, 41);
  g_assert_cmpint (cairn_patient_age ("2000-02-29", &today), ==, 26);
  g_assert_cmpint (cairn_patient_age ("2026-03-28", &today), ==, -1);
  g_assert_cmpint (cairn_patient_age ("not a date", &today), ==, -1);
  g_assert_cmpint (cairn_patient_age (NULL, &today), ==, -1);
}

static void
test_save_and_get (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatient) patient = make_patient ("  Ada Quell ", "1984-03-27", "+49 30 1234 5678");
  g_autoptr(CairnPatient) read = NULL;
  g_autoptr(CairnPatient) second = NULL;
  g_autofree char *actions = NULL;
  g_autofree char *digits = NULL;

  patient->preferred_name = g_strdup ("Ada");
  patient->pronouns = g_strdup ("she/her");
  patient->email = g_strdup ("   ");
  patient->front_desk_notes = g_strdup ("Prefers morning appointments.");

  cairn_patients_save (db (fixture), patient, "user-1", &error);
  g_assert_no_error (error);
  /* Given an id and the first chart number; blanks stored as nothing. */
  g_assert_nonnull (patient->id);
  g_assert_cmpstr (patient->chart_number, ==, "C-000001");
  g_assert_cmpstr (patient->legal_name, ==, "Ada Quell");
  g_assert_null (patient->email);
  g_assert_nonnull (patient->updated_at);

  read = cairn_patients_get (db (fixture), patient->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->legal_name, ==, "Ada Quell");
  g_assert_cmpstr (read->preferred_name, ==, "Ada");
  g_assert_cmpstr (read->pronouns, ==, "she/her");
  g_assert_cmpstr (read->phone, ==, "+49 30 1234 5678");
  g_assert_cmpstr (read->front_desk_notes, ==, "Prefers morning appointments.");
  g_assert_null (read->email);
  g_assert_null (read->archived_at);

  digits = cairn_database_query_text (db (fixture), "SELECT phone_digits FROM patients WHERE id = ?",
                                      (const char *[]) { patient->id }, 1, &error);
  g_assert_cmpstr (digits, ==, "493012345678");

  /* Edit and save again: same row, audited as an update. */
  g_free (read->email);
  read->email = g_strdup ("ada@example.org");
  g_assert_true (cairn_patients_save (db (fixture), read, "user-2", &error));
  g_assert_no_error (error);
  g_clear_pointer (&read, cairn_patient_free);
  read = cairn_patients_get (db (fixture), patient->id, &error);
  g_assert_cmpstr (read->email, ==, "ada@example.org");

  second = save_patient (fixture, "Ben Okafor", "1990-07-01", NULL);
  g_assert_cmpstr (second->chart_number, ==, "C-000002");

  actions = cairn_database_query_text (db (fixture),
                                       "SELECT group_concat (action || ':' || entity, ' ') FROM audit"
                                       " WHERE action LIKE 'patient.%'", NULL, 0, &error);
  {
    g_autofree char *expected = g_strdup_printf ("patient.create:%s patient.update:%s patient.create:%s",
                                                 patient->id, patient->id, second->id);

    g_assert_cmpstr (actions, ==, expected);
  }
  /* The audit trail names the record, never what is in it. */
  g_assert_null (cairn_database_query_text (db (fixture),
                                            "SELECT 1 FROM audit WHERE action LIKE 'patient.%' AND"
                                            " (detail IS NOT NULL OR entity NOT IN (SELECT id FROM patients))",
                                            NULL, 0, &error));
  g_assert_no_error (error);
}

static void
test_save_bad_input (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatient) first = save_patient (fixture, "Ada Quell", "1984-03-27", NULL);
  g_autoptr(CairnPatient) invalid = make_patient ("Ben Okafor", "3000-01-01", NULL);
  g_autoptr(CairnPatient) taken = make_patient ("Ben Okafor", "1990-07-01", NULL);
  g_autoptr(CairnPatient) gone = make_patient ("Cleo Park", "1970-01-01", NULL);
  g_autofree char *count = NULL;

  g_assert_false (cairn_patients_save (db (fixture), invalid, "user-1", &error));
  g_assert_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "future"));
  g_assert_null (invalid->id);
  g_clear_error (&error);

  /* Chart numbers are unique, whatever the case. */
  taken->chart_number = g_strdup ("c-000001");
  g_assert_false (cairn_patients_save (db (fixture), taken, "user-1", &error));
  g_assert_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_CHART_TAKEN);
  g_assert_nonnull (strstr (error->message, "Ada Quell"));
  g_assert_null (taken->id);
  g_clear_error (&error);

  /* Saving a patient that is not there any more writes nothing. */
  gone->id = g_strdup ("00000000-0000-4000-8000-000000000000");
  gone->chart_number = g_strdup ("C-000099");
  g_assert_false (cairn_patients_save (db (fixture), gone, "user-1", &error));
  g_assert_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  count = cairn_database_query_text (db (fixture), "SELECT count(*) FROM patients", NULL, 0, &error);
  g_assert_cmpstr (count, ==, "1");
  g_clear_pointer (&count, g_free);
  count = cairn_database_query_text (db (fixture), "SELECT count(*) FROM audit WHERE action LIKE 'patient.%'",
                                     NULL, 0, &error);
  g_assert_cmpstr (count, ==, "1");

  g_assert_null (cairn_patients_get (db (fixture), "no-such-id", &error));
  g_assert_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_NOT_FOUND);
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatient) ada = save_patient (fixture, "Ada Quell", "1984-03-27", "030 1234 5678");
  g_autoptr(CairnPatient) other = save_patient (fixture, "Ada Quell", "1990-01-01", NULL);
  g_autoptr(CairnPatient) same_person = make_patient ("ada quell ", "1984-03-27", NULL);
  g_autoptr(CairnPatient) same_phone = make_patient ("Ben Okafor", "1990-07-01", "(030) 1234-5678");
  g_autoptr(CairnPatient) stranger = make_patient ("Cleo Park", "1984-03-27", "0176 000000");
  g_autoptr(GPtrArray) found = NULL;

  found = cairn_patients_find_duplicates (db (fixture), same_person, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CairnPatientSummary *) found->pdata[0])->id, ==, ada->id);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = cairn_patients_find_duplicates (db (fixture), same_phone, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CairnPatientSummary *) found->pdata[0])->id, ==, ada->id);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = cairn_patients_find_duplicates (db (fixture), stranger, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A patient is not their own duplicate; archived ones still count. */
  found = cairn_patients_find_duplicates (db (fixture), ada, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  g_assert_true (cairn_patients_set_archived (db (fixture), ada->id, TRUE, "user-1", &error));
  found = cairn_patients_find_duplicates (db (fixture), same_person, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (((CairnPatientSummary *) found->pdata[0])->archived);
  (void) other;
}

static guint
count_found (Fixture    *fixture,
             const char *query,
             gboolean    archived)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = cairn_patients_search (db (fixture), query, archived, 0, &error);

  g_assert_no_error (error);
  return found->len;
}

static const char *
first_found (Fixture    *fixture,
             const char *query)
{
  static char *name;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = cairn_patients_search (db (fixture), query, FALSE, 10, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);
  g_free (name);
  name = g_strdup (((CairnPatientSummary *) found->pdata[0])->legal_name);
  return name;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatient) ada = save_patient (fixture, "Ada Quell", "1984-03-27", "+49 176 5550 1234");
  g_autoptr(CairnPatient) zoe = save_patient (fixture, "Zoë Ádám-Quinn", "1979-05-05", NULL);
  g_autoptr(CairnPatient) quentin = save_patient (fixture, "Quentin Adler", "1966-12-01", "0301112222");
  g_autoptr(CairnPatient) beth = save_patient (fixture, "Elizabeth Moreno", "1999-09-09", NULL);
  g_autoptr(GPtrArray) all = NULL;

  g_free (beth->preferred_name);
  beth->preferred_name = g_strdup ("Beth");
  g_assert_true (cairn_patients_save (db (fixture), beth, "user-1", &error));

  /* Every word typed begins a word of the names. */
  g_assert_cmpuint (count_found (fixture, "ada", FALSE), ==, 2);     /* Ada Quell, Zoë Ádám-Quinn */
  g_assert_cmpuint (count_found (fixture, "ada qu", FALSE), ==, 2);
  g_assert_cmpuint (count_found (fixture, "ada que", FALSE), ==, 1);
  g_assert_cmpuint (count_found (fixture, "zoe", FALSE), ==, 1);     /* accents need not be typed */
  g_assert_cmpuint (count_found (fixture, "ell", FALSE), ==, 0);     /* not the middle of a word */
  /* The preferred name counts, after an update too. */
  g_assert_cmpstr (first_found (fixture, "beth"), ==, "Elizabeth Moreno");
  /* Chart numbers and phone digits. */
  g_assert_cmpstr (first_found (fixture, quentin->chart_number), ==, "Quentin Adler");
  g_assert_cmpstr (first_found (fixture, "0301112"), ==, "Quentin Adler");
  g_assert_cmpstr (first_found (fixture, "4917655"), ==, "Ada Quell");
  /* A name that begins with what was typed comes first. */
  g_assert_cmpstr (first_found (fixture, "q"), ==, "Quentin Adler");
  g_assert_cmpstr (first_found (fixture, "ad"), ==, "Ada Quell");

  /* What FTS5 would read as syntax is just text here. */
  g_assert_cmpuint (count_found (fixture, "\"ada", FALSE), ==, 2);
  g_assert_cmpuint (count_found (fixture, "ada OR zoe", FALSE), ==, 0);
  g_assert_cmpuint (count_found (fixture, "NEAR(ada", FALSE), ==, 0);
  g_assert_cmpuint (count_found (fixture, "*", FALSE), ==, 4);       /* no words: everyone */
  g_assert_cmpuint (count_found (fixture, "ada:quell^", FALSE), ==, 1);

  /* Archived patients leave the list and searches, unless asked for. */
  g_assert_true (cairn_patients_set_archived (db (fixture), ada->id, TRUE, "user-1", &error));
  g_assert_cmpuint (count_found (fixture, "ada", FALSE), ==, 1);
  g_assert_cmpuint (count_found (fixture, "ada", TRUE), ==, 2);
  g_assert_cmpuint (count_found (fixture, "", FALSE), ==, 3);
  g_assert_true (cairn_patients_set_archived (db (fixture), ada->id, FALSE, "user-1", &error));
  g_assert_cmpuint (count_found (fixture, "ada", FALSE), ==, 2);

  /* The empty query lists by name, and a limit holds. */
  all = cairn_patients_search (db (fixture), NULL, FALSE, 2, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((CairnPatientSummary *) all->pdata[0])->legal_name, ==, "Ada Quell");
  g_assert_cmpstr (((CairnPatientSummary *) all->pdata[1])->legal_name, ==, "Elizabeth Moreno");
  (void) zoe;
}

static char *
save_named (Fixture    *fixture,
            const char *name,
            const char *me)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatient) patient = cairn_patient_new ();

  patient->legal_name = g_strdup (name);
  patient->date_of_birth = g_strdup ("1980-01-01");
  g_assert_true (cairn_patients_save (cairn_vault_get_practice (fixture->vault), patient, me, &error));
  return g_strdup (patient->id);
}

static void
book_at (Fixture    *fixture,
         const char *patient,
         const char *type,
         gint64      start,
         const char *me)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();

  a->patient_id = g_strdup (patient);
  a->type_id = g_strdup (type);
  a->start = start;
  a->end = start + 3600;
  g_assert_true (cairn_schedule_book (cairn_vault_get_practice (fixture->vault), a, 0, FALSE, "any time", me,
                                      &error));
}

static char *
names (GPtrArray *found)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                            ((CairnPatientSummary *) g_ptr_array_index (found, i))->legal_name);
  return g_string_free (text, FALSE);
}

/* Where each is in their course: the kind of their next appointment. */
static void
test_search_by_phase (Fixture       *fixture,
                      gconstpointer  data)
{
  CairnDatabase *db = cairn_vault_get_practice (fixture->vault);
  g_autofree char *me = cairn_vault_get_user_id (fixture->vault);
  g_autofree char *ada = save_named (fixture, "Ada Okafor", me);
  g_autofree char *ben = save_named (fixture, "Ben Park", me);
  g_autofree char *cleo = save_named (fixture, "Cleo Moreno", me);
  g_autofree char *dario = save_named (fixture, "Dario Adler", me);
  gint64 now = 1796112000;   /* 2026-12-01 */
  static const char * const preparation[] = { "preparation", NULL };
  static const char * const medicine[] = { "medicine-session", NULL };
  static const char * const none[] = { NULL };
  struct {
    const char * const *kinds;
    gboolean            nothing;
    const char         *query;
    const char         *expected;
  } cases[] = {
    { preparation, FALSE, NULL, "Ada Okafor" },
    /* Ben's preparation is behind him; his medicine session is next. */
    { medicine, FALSE, NULL, "Ben Park" },
    { none, TRUE, NULL, "Cleo Moreno, Dario Adler" },
    { preparation, TRUE, NULL, "Ada Okafor, Cleo Moreno, Dario Adler" },
    { medicine, FALSE, "ada", "" },
    { preparation, FALSE, "ada", "Ada Okafor" },
  };

  book_at (fixture, ada, "preparation", now + 86400, me);
  book_at (fixture, ada, "medicine-session", now + 8 * 86400, me);
  book_at (fixture, ben, "preparation", now - 7 * 86400, me);
  book_at (fixture, ben, "medicine-session", now + 2 * 86400, me);
  /* Dario's only appointment was cancelled. */
  book_at (fixture, dario, "preparation", now + 3 * 86400, me);
  {
    g_autofree char *id = cairn_database_query_text (db, "SELECT id FROM appointments WHERE patient_id = ?",
                                                     (const char *[]) { dario }, 1, NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (cairn_schedule_set_status (db, id, "cancelled", "moved away", me, &error));
  }
  (void) cleo;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CairnPatientFilter filter = { cases[i].kinds, cases[i].nothing, now };
      g_autoptr(GPtrArray) found = cairn_patients_search_filtered (db, cases[i].query, FALSE, &filter, 0, &error);
      g_autofree char *got = NULL;

      g_assert_no_error (error);
      got = names (found);
      g_test_message ("case %u", i);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/patients/validate", test_validate);
  g_test_add_func ("/patients/age", test_age);
  ADD ("/patients/save-and-get", test_save_and_get);
  ADD ("/patients/save-bad-input", test_save_bad_input);
  ADD ("/patients/duplicates", test_duplicates);
  ADD ("/patients/search", test_search);
  ADD ("/patients/search-by-phase", test_search_by_phase);

  return g_test_run ();
}
