/* test-screens-patients.c
 *
 * The Patients page's and the patient form's core calls, and the note
 * editor's and the phone check-in's writes, on the demo practice and with
 * no display:
 *
 *  - a search finds a demo patient by the start of their name, leaves out
 *    an archived one unless asked, and says when there are more than its
 *    limit;
 *  - a patient's page reads the patient and their appointments from now
 *    on, in order; an unknown patient is not found;
 *  - archiving, then restoring, reads back each time;
 *  - the next chart number is one no patient has;
 *  - a new patient with a demo patient's name and date of birth finds them
 *    as a duplicate;
 *  - a save with a bad field says which field and writes nothing; a good
 *    one reads back;
 *  - a note's draft saved reads back, signed it is refused a change, and
 *    the front desk is refused;
 *  - a phone check-in recorded reads back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cairn-agenda.h"
#include "cairn-demo.h"
#include "cairn-patients-screen.h"
#include "cairn-test-tree.h"
#include "cairn-vfs.h"

static const CairnKdfParams cheap = { 1, 8 * 1024 * 1024 };

/* One demo practice for every test here: it takes seconds to make. */
static char       *parent;
static char       *dir;
static CairnVault *demo;

static int
count (CairnDatabase *db,
       const char    *sql,
       const char    *arg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cairn_database_query_text (db, sql, &arg, arg != NULL ? 1 : 0, &error);

  g_assert_no_error (error);
  return text != NULL ? atoi (text) : 0;
}

static char *
query_text (CairnDatabase *db,
            const char    *sql,
            const char    *arg)
{
  g_autoptr(GError) error = NULL;
  char *text = cairn_database_query_text (db, sql, &arg, arg != NULL ? 1 : 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

/* A demo patient not archived, with a date of birth. */
static char *
demo_patient (void)
{
  return query_text (cairn_vault_get_practice (demo),
                     "SELECT id FROM patients WHERE archived_at IS NULL AND date_of_birth IS NOT NULL"
                     " ORDER BY chart_number LIMIT 1",
                     NULL);
}

static void
on_answered_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_answer (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
found_in (const CairnPatientsScreen *screen,
          const char                *id)
{
  for (guint i = 0; i < screen->found->len; i++)
    if (g_strcmp0 (((CairnPatientSummary *) g_ptr_array_index (screen->found, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

static CairnPatientsScreen *
search (const char *text,
        gboolean    include_archived,
        guint       limit)
{
  g_autoptr(GError) error = NULL;
  CairnPatientsQuery query = { (char *) text, include_archived, FALSE, NULL, FALSE, limit };
  CairnPatientsScreen *screen = cairn_patients_screen_load (demo, &query, g_get_real_time () / G_USEC_PER_SEC,
                                                            &error);

  g_assert_no_error (error);
  g_assert_nonnull (screen);
  return screen;
}

static void
archive (const char *id,
         gboolean    archived)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) answer = NULL;

  cairn_patients_archive_async (demo, id, archived, NULL, on_answered_cb, &answer);
  g_assert_true (cairn_patients_archive_finish (demo, wait_for_answer (&answer), &error));
  g_assert_no_error (error);
}

static void
test_search (void)
{
  g_autofree char *id = demo_patient ();
  g_autoptr(CairnPatient) patient = cairn_patients_get (cairn_vault_get_practice (demo), id, NULL);
  g_autofree char *first_name = NULL;
  g_autoptr(CairnPatientsScreen) everyone = NULL;
  g_autoptr(CairnPatientsScreen) screen = NULL;
  g_autoptr(CairnPatientsScreen) few = NULL;
  g_autoptr(CairnPatientsScreen) nobody = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  CairnPatientsQuery query = { NULL, FALSE, FALSE, NULL, FALSE, 500 };
  int n = count (cairn_vault_get_practice (demo), "SELECT count(*) FROM patients WHERE archived_at IS NULL", NULL);

  g_assert_nonnull (patient);
  first_name = g_strndup (patient->legal_name, strcspn (patient->legal_name, " "));

  /* Everyone, through the worker as the page asks. */
  cairn_patients_screen_load_async (demo, &query, NULL, on_answered_cb, &answer);
  everyone = cairn_patients_screen_load_finish (demo, wait_for_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (everyone->found->len, ==, (guint) n);
  g_assert_false (everyone->more);
  g_assert_true (everyone->any);
  g_assert_true (found_in (everyone, id));

  screen = search (first_name, FALSE, 200);
  g_assert_true (found_in (screen, id));
  g_clear_pointer (&screen, cairn_patients_screen_free);

  few = search (NULL, FALSE, 2);
  g_assert_cmpuint (few->found->len, ==, 2);
  g_assert_true (few->more);

  nobody = search ("Zzyzx Nobody", FALSE, 200);
  g_assert_cmpuint (nobody->found->len, ==, 0);

  /* Archived: out of the search, unless archived patients are asked for. */
  archive (id, TRUE);
  screen = search (first_name, FALSE, 200);
  g_assert_false (found_in (screen, id));
  g_clear_pointer (&screen, cairn_patients_screen_free);
  screen = search (first_name, TRUE, 200);
  g_assert_true (found_in (screen, id));
  g_clear_pointer (&screen, cairn_patients_screen_free);
  archive (id, FALSE);
  screen = search (first_name, FALSE, 200);
  g_assert_true (found_in (screen, id));
}

static void
test_filtered (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = query_text (cairn_vault_get_practice (demo),
                                    "SELECT patient_id FROM appointments WHERE status = 'booked'"
                                    " AND start_utc > CAST (strftime ('%s', 'now') AS INTEGER) LIMIT 1",
                                    NULL);
  char *none[] = { NULL };
  CairnPatientsQuery query = { NULL, FALSE, TRUE, none, TRUE, 500 };
  g_autoptr(CairnPatientsScreen) nothing_booked = NULL;

  /* Nothing booked: not a patient with an appointment to come. */
  nothing_booked = cairn_patients_screen_load (demo, &query, g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_false (found_in (nothing_booked, id));
}

static void
test_patient (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = query_text (cairn_vault_get_practice (demo),
                                    "SELECT patient_id FROM appointments WHERE status = 'booked'"
                                    " AND start_utc > CAST (strftime ('%s', 'now') AS INTEGER) LIMIT 1",
                                    NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(CairnPatientScreen) screen = NULL;
  g_autoptr(CairnPatientScreen) unknown = NULL;
  g_autoptr(GAsyncResult) answer = NULL;

  cairn_patient_screen_load_async (demo, id, NULL, on_answered_cb, &answer);
  screen = cairn_patient_screen_load_finish (demo, wait_for_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (screen);
  g_assert_cmpstr (screen->patient->id, ==, id);
  g_assert_nonnull (screen->patient->legal_name);
  g_assert_nonnull (screen->zone);
  g_assert_cmpuint (screen->appointments->len, >, 0);
  g_assert_cmpuint (screen->appointments->len, <=, 6);
  for (guint i = 0; i < screen->appointments->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (screen->appointments, i);

      g_assert_cmpstr (item->appointment->patient_id, ==, id);
      g_assert_cmpint (item->appointment->end, >, now - 60);
      if (i > 0)
        g_assert_cmpint (item->appointment->start, >=,
                         ((const CairnAgendaItem *) g_ptr_array_index (screen->appointments, i - 1))->appointment->start);
    }

  unknown = cairn_patient_screen_load (demo, "no-such-patient", now, &error);
  g_assert_null (unknown);
  g_assert_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_NOT_FOUND);
}

static void
test_archive (void)
{
  g_autofree char *id = demo_patient ();
  CairnDatabase *practice = cairn_vault_get_practice (demo);
  g_autoptr(CairnPatient) archived = NULL;
  g_autoptr(CairnPatient) restored = NULL;

  archive (id, TRUE);
  archived = cairn_patients_get (practice, id, NULL);
  g_assert_nonnull (archived->archived_at);
  g_assert_cmpint (count (practice, "SELECT count(*) FROM patients WHERE id = ? AND archived_at IS NOT NULL", id),
                   ==, 1);

  archive (id, FALSE);
  restored = cairn_patients_get (practice, id, NULL);
  g_assert_null (restored->archived_at);
}

static void
test_chart_number (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  g_autofree char *chart = NULL;

  cairn_patients_chart_number_async (demo, NULL, on_answered_cb, &answer);
  chart = cairn_patients_chart_number_finish (demo, wait_for_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (chart);
  g_assert_cmpstr (chart, !=, "");
  g_assert_cmpint (count (cairn_vault_get_practice (demo),
                          "SELECT count(*) FROM patients WHERE chart_number = ? COLLATE NOCASE", chart),
                   ==, 0);
}

static void
test_duplicates (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = demo_patient ();
  g_autoptr(CairnPatient) known = cairn_patients_get (cairn_vault_get_practice (demo), id, NULL);
  g_autoptr(CairnPatient) twin = cairn_patient_new ();
  g_autoptr(GAsyncResult) answer = NULL;
  g_autoptr(GPtrArray) found = NULL;
  gboolean among = FALSE;

  twin->legal_name = g_strdup (known->legal_name);
  twin->date_of_birth = g_strdup (known->date_of_birth);
  cairn_patients_duplicates_async (demo, twin, NULL, on_answered_cb, &answer);
  found = cairn_patients_duplicates_finish (demo, wait_for_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  for (guint i = 0; i < found->len; i++)
    among |= g_strcmp0 (((CairnPatientSummary *) g_ptr_array_index (found, i))->id, id) == 0;
  g_assert_true (among);
}

static CairnPatient *
save (const CairnPatient  *patient,
      char               **field,
      GError             **error)
{
  g_autoptr(GAsyncResult) answer = NULL;

  cairn_patients_save_async (demo, patient, NULL, on_answered_cb, &answer);
  return cairn_patients_save_finish (demo, wait_for_answer (&answer), field, error);
}

static void
test_save (void)
{
  g_autoptr(GError) error = NULL;
  CairnDatabase *practice = cairn_vault_get_practice (demo);
  g_autoptr(CairnPatient) bad = cairn_patient_new ();
  g_autoptr(CairnPatient) good = cairn_patient_new ();
  g_autoptr(CairnPatient) saved = NULL;
  g_autoptr(CairnPatient) taken = NULL;
  g_autoptr(CairnPatient) read = NULL;
  g_autofree char *field = NULL;
  g_autofree char *other_chart = NULL;
  int patients = count (practice, "SELECT count(*) FROM patients", NULL);
  int audited = count (practice, "SELECT count(*) FROM audit", NULL);

  /* A date of birth that is no date: said at its field, nothing written. */
  bad->legal_name = g_strdup ("Wren Okafor-Test");
  bad->date_of_birth = g_strdup ("1984-02-31");
  saved = save (bad, &field, &error);
  g_assert_null (saved);
  g_assert_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_INVALID);
  g_assert_cmpstr (field, ==, "date_of_birth");
  g_assert_cmpint (count (practice, "SELECT count(*) FROM patients", NULL), ==, patients);
  g_assert_cmpint (count (practice, "SELECT count(*) FROM audit", NULL), ==, audited);
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);

  good->legal_name = g_strdup ("Wren Okafor-Test");
  good->date_of_birth = g_strdup ("1984-02-28");
  saved = save (good, &field, &error);
  g_assert_no_error (error);
  g_assert_null (field);
  g_assert_nonnull (saved->id);
  g_assert_nonnull (saved->chart_number);
  read = cairn_patients_get (practice, saved->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->legal_name, ==, "Wren Okafor-Test");
  g_assert_cmpstr (read->date_of_birth, ==, "1984-02-28");
  g_assert_cmpint (count (practice, "SELECT count(*) FROM patients", NULL), ==, patients + 1);

  /* Another's chart number: said at the chart number. */
  other_chart = query_text (practice, "SELECT chart_number FROM patients WHERE id != ? LIMIT 1", saved->id);
  g_free (read->chart_number);
  read->chart_number = g_strdup (other_chart);
  taken = save (read, &field, &error);
  g_assert_null (taken);
  g_assert_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_CHART_TAKEN);
  g_assert_cmpstr (field, ==, "chart_number");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  parent = g_dir_make_tmp ("cairn-screens-patients-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (parent, "demo", NULL);
  if (!cairn_demo_create (dir, now, &error))
    g_error ("The demo practice could not be made: %s", error->message);
  demo = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (demo, "Test Desk", CAIRN_ROLE_FRONT_DESK, "quiet harbour lamp 3",
                                       &cheap, &error));
  g_assert_no_error (error);

  g_test_add_func ("/screens-patients/search", test_search);
  g_test_add_func ("/screens-patients/search/filtered", test_filtered);
  g_test_add_func ("/screens-patients/patient", test_patient);
  g_test_add_func ("/screens-patients/archive", test_archive);
  g_test_add_func ("/screens-patients/chart-number", test_chart_number);
  g_test_add_func ("/screens-patients/duplicates", test_duplicates);
  g_test_add_func ("/screens-patients/save", test_save);

  status = g_test_run ();
  g_clear_object (&demo);
  cairn_test_remove_tree (parent);
  g_free (dir);
  g_free (parent);
  return status;
}
