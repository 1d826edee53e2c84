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
#include "cairn-notes-screen.h"
#include "cairn-patients-screen.h"
#include "cairn-protocols.h"
#include "cairn-test-answer.h"
#include "cairn-test-demo.h"
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

  cairn_patients_archive_async (demo, id, archived, NULL, cairn_test_answered_cb, &answer);
  g_assert_true (cairn_patients_archive_finish (demo, cairn_test_wait_answer (&answer), &error));
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
  g_autoptr(GError) error = NULL;
  CairnPatientsQuery query = { NULL, FALSE, FALSE, NULL, FALSE, 500 };
  int n = count (cairn_vault_get_practice (demo), "SELECT count(*) FROM patients WHERE archived_at IS NULL", NULL);

  g_assert_nonnull (patient);
  first_name = g_strndup (patient->legal_name, strcspn (patient->legal_name, " "));

  /* Everyone. */
  everyone = cairn_patients_screen_load (demo, &query, g_get_real_time () / G_USEC_PER_SEC, &error);
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

  cairn_patient_screen_load_async (demo, id, NULL, cairn_test_answered_cb, &answer);
  screen = cairn_patient_screen_load_finish (demo, cairn_test_wait_answer (&answer), &error);
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
      const CairnAgendaItem *before = i > 0 ? g_ptr_array_index (screen->appointments, i - 1) : NULL;

      g_assert_cmpstr (item->appointment->patient_id, ==, id);
      g_assert_cmpint (item->appointment->end, >, now - 60);
      if (before != NULL)
        g_assert_cmpint (item->appointment->start, >=, before->appointment->start);
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

  cairn_patients_chart_number_async (demo, NULL, cairn_test_answered_cb, &answer);
  chart = cairn_patients_chart_number_finish (demo, cairn_test_wait_answer (&answer), &error);
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
  cairn_patients_duplicates_async (demo, twin, NULL, cairn_test_answered_cb, &answer);
  found = cairn_patients_duplicates_finish (demo, cairn_test_wait_answer (&answer), &error);
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

  cairn_patients_save_async (demo, patient, NULL, cairn_test_answered_cb, &answer);
  return cairn_patients_save_finish (demo, cairn_test_wait_answer (&answer), field, error);
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

/* A past appointment of a demo patient with no note, and its type. */
static char *
appointment_without_note (char **patient_id,
                          char **type_id)
{
  g_autoptr(GError) error = NULL;
  CairnDatabase *practice = cairn_vault_get_practice (demo);
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autoptr(CairnRows) rows = NULL;
  char *found = NULL;

  rows = cairn_rows_prepare (practice,
                             "SELECT id, patient_id, type_id FROM appointments WHERE patient_id IS NOT NULL"
                             " AND status != 'cancelled' AND start_utc < CAST (strftime ('%s', 'now') AS INTEGER)"
                             " ORDER BY start_utc DESC",
                             &error);
  g_assert_no_error (error);
  while (found == NULL && cairn_rows_next (rows))
    {
      const char *id = cairn_rows_text (rows, 0);

      if (count (clinical, "SELECT count(*) FROM notes WHERE appointment_id = ?", id) == 0 &&
          count (clinical, "SELECT count(*) FROM phone_check_ins WHERE appointment_id = ?", id) == 0)
        {
          found = g_strdup (id);
          *patient_id = g_strdup (cairn_rows_text (rows, 1));
          *type_id = g_strdup (cairn_rows_text (rows, 2));
        }
    }
  g_assert_true (cairn_rows_finish (rows, &error));
  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static CairnNoteSaved *
save_note (CairnVault    *vault,
           const char    *patient_id,
           const char    *appointment_id,
           const char    *type_id,
           GHashTable    *sections,
           CairnProtocol *sign_with,
           GError       **error)
{
  g_autoptr(GAsyncResult) answer = NULL;

  cairn_notes_save_async (vault, patient_id, appointment_id, type_id, "A. Therapist, the patient", sections,
                          sign_with, NULL, cairn_test_answered_cb, &answer);
  return cairn_notes_save_finish (vault, cairn_test_wait_answer (&answer), error);
}

static void
test_note_save (void)
{
  g_autoptr(GError) error = NULL;
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autofree char *patient_id = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *appointment_id = appointment_without_note (&patient_id, &type_id);
  g_autoptr(GHashTable) sections = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CairnNoteSaved) saved = NULL;
  g_autoptr(CairnNoteSaved) again = NULL;
  g_autoptr(CairnNote) read = NULL;
  g_autofree char *signed_note = NULL;
  g_autofree char *signed_appointment = NULL;
  g_autofree char *signed_patient = NULL;
  g_autofree char *signed_type = NULL;
  g_autofree char *signed_sections = NULL;
  g_autofree char *signed_sections_after = NULL;

  g_hash_table_insert (sections, (char *) CAIRN_NOTE_FREE_TEXT_SECTION, (char *) "Settled, slept well.");
  saved = save_note (demo, patient_id, appointment_id, type_id, sections, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved->note_id);
  g_assert_null (saved->note);
  g_assert_cmpstr (g_hash_table_lookup (saved->sections, CAIRN_NOTE_FREE_TEXT_SECTION), ==, "Settled, slept well.");
  read = cairn_notes_get (clinical, saved->note_id, CAIRN_DEMO_USER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->appointment_id, ==, appointment_id);
  g_assert_cmpstr (read->attendees, ==, "A. Therapist, the patient");
  g_assert_cmpstr (g_hash_table_lookup (read->sections, CAIRN_NOTE_FREE_TEXT_SECTION), ==, "Settled, slept well.");
  g_assert_cmpint (read->state, ==, CAIRN_NOTE_DRAFT);

  /* A note signed meanwhile: refused, as the editor says it. */
  signed_note = query_text (clinical, "SELECT id FROM notes WHERE state = 'signed' LIMIT 1", NULL);
  signed_appointment = query_text (clinical, "SELECT appointment_id FROM notes WHERE id = ?", signed_note);
  signed_patient = query_text (clinical, "SELECT patient_id FROM notes WHERE id = ?", signed_note);
  signed_type = query_text (clinical, "SELECT type_id FROM notes WHERE id = ?", signed_note);
  signed_sections = query_text (clinical, "SELECT sections FROM notes WHERE id = ?", signed_note);
  again = save_note (demo, signed_patient, signed_appointment, signed_type, sections, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_SIGNED);
  g_free (signed_sections_after);
  signed_sections_after = query_text (clinical, "SELECT sections FROM notes WHERE id = ?", signed_note);
  g_assert_cmpstr (signed_sections_after, ==, signed_sections);
}

static void
test_note_sign (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *appointment_id = appointment_without_note (&patient_id, &type_id);
  g_autoptr(CairnProtocol) protocol = cairn_protocols_get_active (cairn_vault_get_practice (demo), &error);
  g_autoptr(GHashTable) sections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  GPtrArray *wanted;
  g_autoptr(CairnNoteSaved) saved = NULL;
  g_autoptr(CairnNoteSaved) added = NULL;
  g_autoptr(GAsyncResult) answer = NULL;

  g_assert_no_error (error);
  wanted = cairn_protocol_get_note_sections (protocol, type_id);
  if (wanted == NULL || wanted->len == 0)
    g_hash_table_insert (sections, (char *) CAIRN_NOTE_FREE_TEXT_SECTION, (char *) "All well.");
  for (guint i = 0; wanted != NULL && i < wanted->len; i++)
    g_hash_table_insert (sections, ((CairnNoteSection *) g_ptr_array_index (wanted, i))->id, (char *) "All well.");

  saved = save_note (demo, patient_id, appointment_id, type_id, sections, protocol, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved->note);
  g_assert_cmpint (saved->note->state, ==, CAIRN_NOTE_SIGNED);
  g_assert_cmpint (count (cairn_vault_get_clinical (demo),
                          "SELECT count(*) FROM notes WHERE id = ? AND state = 'signed'", saved->note_id),
                   ==, 1);

  cairn_notes_add_addendum_async (demo, saved->note_id, "Called back the next day.", NULL, cairn_test_answered_cb, &answer);
  added = cairn_notes_save_finish (demo, cairn_test_wait_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (added->note);
  g_assert_cmpuint (added->note->addenda->len, ==, 1);
  g_assert_cmpstr (((CairnNoteAddendum *) g_ptr_array_index (added->note->addenda, 0))->text, ==,
                   "Called back the next day.");
}

static void
test_check_in (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *appointment_id = appointment_without_note (&patient_id, &type_id);
  g_autoptr(CairnPhoneCheckIn) check_in = cairn_phone_check_in_new ();
  g_autoptr(CairnPhoneCheckIn) recorded = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  gboolean found = FALSE;

  check_in->patient_id = g_strdup (patient_id);
  check_in->appointment_id = g_strdup (appointment_id);
  check_in->reached = FALSE;
  check_in->note = g_strdup ("Voicemail.");
  check_in->follow_up_action = g_strdup ("Call again tomorrow morning.");
  check_in->called_at = g_get_real_time () / G_USEC_PER_SEC - 3600;
  cairn_notes_record_check_in_async (demo, check_in, NULL, cairn_test_answered_cb, &answer);
  recorded = cairn_notes_record_check_in_finish (demo, cairn_test_wait_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (recorded->id);

  listed = cairn_phone_check_ins_list (cairn_vault_get_clinical (demo), patient_id, CAIRN_DEMO_USER, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < listed->len; i++)
    {
      const CairnPhoneCheckIn *c = g_ptr_array_index (listed, i);

      if (g_strcmp0 (c->id, recorded->id) != 0)
        continue;
      found = TRUE;
      g_assert_cmpstr (c->appointment_id, ==, appointment_id);
      g_assert_false (c->reached);
      g_assert_cmpstr (c->follow_up_action, ==, "Call again tomorrow morning.");
      g_assert_cmpint (c->called_at, ==, check_in->called_at);
    }
  g_assert_true (found);
}

static void
test_front_desk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *appointment_id = appointment_without_note (&patient_id, &type_id);
  g_autoptr(GHashTable) sections = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CairnVault) desk = NULL;
  g_autoptr(CairnNoteSaved) saved = NULL;
  g_autoptr(CairnPhoneCheckIn) check_in = cairn_phone_check_in_new ();
  g_autoptr(CairnPhoneCheckIn) recorded = NULL;
  g_autoptr(GAsyncResult) answer = NULL;

  g_hash_table_insert (sections, (char *) CAIRN_NOTE_FREE_TEXT_SECTION, (char *) "Not the desk's to write.");
  /* One process opens a database once: the clinician's vault steps aside. */
  cairn_vault_lock (demo);
  desk = cairn_vault_unlock (dir, "Test Desk", "quiet harbour lamp 3", &error);
  g_assert_no_error (error);
  saved = save_note (desk, patient_id, appointment_id, type_id, sections, NULL, &error);
  g_assert_null (saved);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  check_in->patient_id = g_strdup (patient_id);
  check_in->appointment_id = g_strdup (appointment_id);
  check_in->reached = TRUE;
  check_in->called_at = g_get_real_time () / G_USEC_PER_SEC - 60;
  cairn_notes_record_check_in_async (desk, check_in, NULL, cairn_test_answered_cb, &answer);
  recorded = cairn_notes_record_check_in_finish (desk, cairn_test_wait_answer (&answer), &error);
  g_assert_null (recorded);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  cairn_vault_lock (desk);

  g_clear_object (&demo);
  demo = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  /* Nothing was written for that appointment. */
  g_assert_cmpint (count (cairn_vault_get_clinical (demo), "SELECT count(*) FROM notes WHERE appointment_id = ?",
                          appointment_id), ==, 0);
  g_assert_cmpint (count (cairn_vault_get_clinical (demo),
                          "SELECT count(*) FROM phone_check_ins WHERE appointment_id = ?", appointment_id), ==, 0);
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

  parent = cairn_test_demo_make ("cairn-screens-patients-XXXXXX", now, &dir);
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
  g_test_add_func ("/screens-patients/note/save", test_note_save);
  g_test_add_func ("/screens-patients/note/sign", test_note_sign);
  g_test_add_func ("/screens-patients/check-in", test_check_in);
  g_test_add_func ("/screens-patients/front-desk", test_front_desk);

  status = g_test_run ();
  g_clear_object (&demo);
  cairn_test_remove_tree (parent);
  g_free (dir);
  g_free (parent);
  return status;
}
