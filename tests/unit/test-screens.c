/* test-screens.c
 *
 * Each screen's read, on the demo practice and with no display: what the
 * screen would show, read in one call, as the store has it.
 *
 *  - Measures: every measure not deleted, oldest first; one audited read,
 *    and the audit head taken after it; the practice's today by the time
 *    given, in the practice's zone; the medicine sessions held; the PHQ-9
 *    item 9 alert from the newest form that answers item 9, which a later
 *    form leaving it unanswered does not clear and a later "Not at all"
 *    does; and a user without the clinical key refused. Its writes, run
 *    on the worker: a save answers with the id, a delete tombstones, the
 *    report is written as a PDF and its export audited.
 *  - Notes: the sessions that take a note, newest first and none after
 *    today; the phone check-ins apart, all by phone; every note and call
 *    found from its appointment; both reads in the trail.
 *  - Today: the practice's day, midnight to midnight in its zone even when
 *    UTC is already on the next day; its appointments in order, none
 *    outside it; its rooms. A check-in is read back by the next read and
 *    audited; an appointment that has gone is said so. A list model of a
 *    screen's array keeps the array alive while a row is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-demo.h"
#include "cairn-item.h"
#include "cairn-measures-screen.h"
#include "cairn-notes-screen.h"
#include "cairn-schedule.h"
#include "cairn-today-screen.h"
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

/* The demo patient with the most measures. */
static char *
busiest_patient (void)
{
  g_autoptr(GError) error = NULL;
  char *id = cairn_database_query_text (cairn_vault_get_clinical (demo),
                                        "SELECT patient_id FROM measures WHERE deleted_at IS NULL"
                                        " GROUP BY patient_id ORDER BY count(*) DESC, patient_id LIMIT 1",
                                        NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
test_measures (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = busiest_patient ();
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  int reads_before = count (clinical, "SELECT count(*) FROM audit WHERE action = 'measures.read'", NULL);
  g_autoptr(CairnMeasuresScreen) screen = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint entries = 0;

  screen = cairn_measures_screen_load (demo, patient, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (screen);
  g_assert_cmpstr (screen->patient_id, ==, patient);

  g_assert_cmpint ((int) screen->measures->len, ==,
                   count (clinical, "SELECT count(*) FROM measures WHERE patient_id = ? AND deleted_at IS NULL",
                          patient));
  g_assert_cmpuint (screen->measures->len, >, 2);
  for (guint i = 1; i < screen->measures->len; i++)
    {
      const CairnMeasure *a = g_ptr_array_index (screen->measures, i - 1);
      const CairnMeasure *b = g_ptr_array_index (screen->measures, i);

      g_assert_cmpstr (a->patient_id, ==, patient);
      g_assert_cmpint (g_strcmp0 (a->taken_on, b->taken_on), <=, 0);
    }

  /* One read, in the trail, and the head taken after it. */
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM audit WHERE action = 'measures.read'", NULL), ==,
                   reads_before + 1);
  g_assert_true (cairn_audit_get_head (clinical, &entries, NULL, &error));
  g_assert_cmpuint (screen->audit_head.entries, ==, entries);
  g_assert_cmpuint (strlen (screen->audit_head.fingerprint), ==, CAIRN_AUDIT_FINGERPRINT_LENGTH);

  /* The demo's patients with measures are part-way through a course. */
  g_assert_nonnull (screen->session_days);
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, cairn_database_get_time_zone (clinical));
    g_autofree char *today = g_date_time_format (local, "%Y-%m-%d");

    g_assert_cmpstr (screen->today, ==, today);
  }
}

/* "Today" is the practice's by the time given, not the machine's. */
static void
test_measures_today (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = busiest_patient ();
  g_autoptr(GTimeZone) east = g_time_zone_new_identifier ("Pacific/Kiritimati");  /* UTC+14 */
  g_autoptr(GDateTime) evening = g_date_time_new_utc (2026, 12, 7, 20, 0, 0);
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autoptr(GTimeZone) zone = g_time_zone_ref (cairn_database_get_time_zone (clinical));
  g_autoptr(CairnMeasuresScreen) screen = NULL;

  cairn_database_set_time_zone (clinical, east);
  screen = cairn_measures_screen_load (demo, patient, g_date_time_to_unix (evening), &error);
  cairn_database_set_time_zone (clinical, zone);
  g_assert_no_error (error);
  g_assert_cmpstr (screen->today, ==, "2026-12-08");
}

static char *
add_phq9 (const char *patient,
          const char *taken_on,
          int         item9,
          gboolean    complete)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) m = cairn_measure_new ("phq-9");
  g_autofree char *me = cairn_vault_get_user_id (demo);
  char *id = NULL;

  m->patient_id = g_strdup (patient);
  m->taken_on = g_strdup (taken_on);
  m->complete = complete;
  for (guint i = 0; i < 9; i++)
    g_array_index (m->answers, int, i) = i < 8 ? 1 : item9;
  g_assert_true (cairn_measures_save (cairn_vault_get_clinical (demo), m, me, &id, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static const CairnMeasure *
alert_of (const char *patient)
{
  g_autoptr(GError) error = NULL;
  static CairnMeasuresScreen *screen;

  g_clear_pointer (&screen, cairn_measures_screen_free);
  screen = cairn_measures_screen_load (demo, patient, g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  return screen->item9_alert;
}

static void
test_measures_item9 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *raised = NULL;
  g_autofree char *unanswered = NULL;
  g_autofree char *cleared = NULL;
  const CairnMeasure *alert;

  /* A demo patient with no PHQ-9 at all. */
  patient = cairn_database_query_text (cairn_vault_get_practice (demo),
                                       "SELECT id FROM patients ORDER BY chart_number LIMIT 1", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_database_run (cairn_vault_get_clinical (demo),
                                     "UPDATE measures SET deleted_at = '2026-01-01T00:00:00.000Z'"
                                     " WHERE patient_id = ?", (const char *[]) { patient }, 1, &error));
  g_assert_no_error (error);
  g_assert_null (alert_of (patient));

  raised = add_phq9 (patient, "2026-10-01", 2, TRUE);
  alert = alert_of (patient);
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->id, ==, raised);

  /* A later form that leaves item 9 unanswered does not clear it. */
  unanswered = add_phq9 (patient, "2026-10-15", -1, FALSE);
  alert = alert_of (patient);
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->id, ==, raised);

  /* A later "Not at all" does. */
  cleared = add_phq9 (patient, "2026-11-01", 0, TRUE);
  g_assert_null (alert_of (patient));
}

static void
test_notes (void)
{
  g_autoptr(GError) error = NULL;
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autofree char *patient = cairn_database_query_text (clinical,
                                                        "SELECT patient_id FROM notes GROUP BY patient_id"
                                                        " ORDER BY count(*) DESC, patient_id LIMIT 1", NULL, 0, &error);
  int lists_before = count (clinical, "SELECT count(*) FROM audit WHERE action = 'phone-check-in.list'", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(CairnNotesScreen) screen = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (patient);
  screen = cairn_notes_screen_load (demo, patient, now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (screen->patient_id, ==, patient);
  local = g_date_time_to_timezone (utc, screen->zone);
  midnight = g_date_time_new (screen->zone, g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), 0, 0, 0);
  tomorrow = g_date_time_add_days (midnight, 1);

  g_assert_cmpuint (screen->sessions->len, >, 0);
  for (guint i = 0; i < screen->sessions->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (screen->sessions, i);
      const CairnAppointmentType *type = cairn_protocol_find_type (screen->protocol, item->appointment->type_id);

      g_assert_cmpint (item->appointment->start, <, g_date_time_to_unix (tomorrow));
      g_assert_true (type == NULL || !type->by_phone);
      g_assert_cmpstr (item->appointment->patient_id, ==, patient);
      if (i > 0)
        g_assert_cmpint (((const CairnAgendaItem *) g_ptr_array_index (screen->sessions, i - 1))->appointment->start,
                         >=, item->appointment->start);
    }
  for (guint i = 0; i < screen->calls->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (screen->calls, i);

      g_assert_true (cairn_protocol_find_type (screen->protocol, item->appointment->type_id)->by_phone);
    }
  g_assert_cmpint ((int) screen->notes->len, ==,
                   count (clinical, "SELECT count(*) FROM notes WHERE patient_id = ?", patient));
  for (guint i = 0; i < screen->notes->len; i++)
    {
      const CairnNote *note = g_ptr_array_index (screen->notes, i);

      g_assert_true (cairn_notes_screen_note_for (screen, note->appointment_id) == note);
      g_assert_nonnull (g_hash_table_lookup (screen->user_names, note->author));
    }
  for (guint i = 0; i < screen->check_ins->len; i++)
    {
      const CairnPhoneCheckIn *c = g_ptr_array_index (screen->check_ins, i);

      g_assert_true (cairn_notes_screen_check_in_for (screen, c->appointment_id) == c);
    }
  g_assert_null (cairn_notes_screen_note_for (screen, "no such appointment"));
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM audit WHERE action = 'phone-check-in.list'", NULL), ==,
                   lists_before + 1);
}

static void
check_day (gint64 now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnTodayScreen) screen = cairn_today_screen_load (demo, now, &error);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) start = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (screen);
  local = g_date_time_to_timezone (utc, screen->zone);
  start = g_date_time_new_from_unix_utc (screen->start);
  {
    g_autoptr(GDateTime) start_local = g_date_time_to_timezone (start, screen->zone);

    g_assert_cmpint (g_date_time_get_hour (start_local), ==, 0);
    g_assert_cmpint (g_date_time_get_minute (start_local), ==, 0);
    g_assert_cmpint (g_date_time_get_day_of_month (start_local), ==, g_date_time_get_day_of_month (local));
  }
  g_assert_cmpint (screen->start, <=, now);
  g_assert_cmpint (now, <, screen->end);
  g_assert_cmpint (screen->end - screen->start, >=, 23 * 3600);
  g_assert_cmpint (screen->end - screen->start, <=, 25 * 3600);
  for (guint i = 0; i < screen->items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (screen->items, i);

      g_assert_cmpint (item->appointment->start, <, screen->end);
      g_assert_cmpint (item->appointment->end, >, screen->start);
      if (i > 0)
        g_assert_cmpint (((const CairnAgendaItem *) g_ptr_array_index (screen->items, i - 1))->appointment->start,
                         <=, item->appointment->start);
    }
  g_assert_cmpuint (screen->rooms->len, >, 0);
  /* What clashes is among the day's own, and is never a cancelled one. */
  g_assert_nonnull (screen->clashes);
  for (guint i = 0; i < screen->items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (screen->items, i);

      if (g_strcmp0 (item->appointment->status, "cancelled") == 0)
        g_assert_false (g_hash_table_contains (screen->clashes, item->appointment->id));
    }
  {
    GHashTableIter iter;
    gpointer id;
    guint found = 0;

    g_hash_table_iter_init (&iter, screen->clashes);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      for (guint i = 0; i < screen->items->len; i++)
        if (g_str_equal (((const CairnAgendaItem *) g_ptr_array_index (screen->items, i))->appointment->id, id))
          found++;
    g_assert_cmpuint (found, ==, g_hash_table_size (screen->clashes));
  }
}

static void
test_today (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnTodayScreen) screen = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint busiest = 0;

  check_day (now);
  /* The demo's working week has days with arrivals on them. */
  for (int d = -3; d <= 3; d++)
    {
      g_autoptr(CairnTodayScreen) day = cairn_today_screen_load (demo, now + d * 86400, &error);

      g_assert_no_error (error);
      busiest = MAX (busiest, day->items->len);
    }
  g_assert_cmpuint (busiest, >, 0);

  /* Late in the practice's evening, or early in its morning, UTC has
   * another date: the day is still the practice's. */
  screen = cairn_today_screen_load (demo, now, &error);
  g_assert_no_error (error);
  for (int hour = 0; hour < 24; hour += 5)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, screen->zone);
      g_autoptr(GDateTime) at = g_date_time_new (screen->zone, g_date_time_get_year (local),
                                                 g_date_time_get_month (local),
                                                 g_date_time_get_day_of_month (local), hour, 30, 0);

      check_day (g_date_time_to_unix (at));
    }
}

static void
test_measures_writes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = busiest_patient ();
  CairnDatabase *clinical = cairn_vault_get_clinical (demo);
  g_autoptr(CairnMeasure) m = cairn_measure_new ("caps-5");
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) deleted = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(CairnMeasuresScreen) screen = NULL;
  g_autofree char *id = NULL;
  g_autofree char *deleted_id = NULL;
  g_autofree char *report_dir = g_dir_make_tmp ("cairn-report-XXXXXX", &error);
  g_autofree char *path = g_build_filename (report_dir, "report.pdf", NULL);
  g_autofree char *pdf = NULL;
  gsize length = 0;
  int exports_before = count (clinical, "SELECT count(*) FROM audit WHERE action = 'measures.export'", NULL);

  m->patient_id = g_strdup (patient);
  m->taken_on = g_strdup ("2026-11-02");
  m->total = 31;
  cairn_measures_save_async (demo, m, NULL, cairn_test_answered_cb, &saved);
  id = cairn_measures_save_finish (demo, cairn_test_wait_answer (&saved), &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (count (clinical, "SELECT total FROM measures WHERE id = ? AND deleted_at IS NULL", id), ==, 31);

  cairn_measures_delete_async (demo, id, "Entered for the wrong patient", NULL, cairn_test_answered_cb, &deleted);
  deleted_id = cairn_measures_save_finish (demo, cairn_test_wait_answer (&deleted), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (deleted_id, ==, id);
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM measures WHERE id = ? AND deleted_at IS NOT NULL", id),
                   ==, 1);

  screen = cairn_measures_screen_load (demo, patient, g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  cairn_measures_report_write_async (demo,
                                     cairn_measures_report_new ("A Patient", "C-1", screen->measures,
                                                                screen->session_days, &screen->audit_head),
                                     patient, path, NULL, cairn_test_answered_cb, &written);
  g_assert_true (cairn_measures_report_write_finish (demo, cairn_test_wait_answer (&written), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &pdf, &length, NULL));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_cmpint (count (clinical, "SELECT count(*) FROM audit WHERE action = 'measures.export'", NULL), ==,
                   exports_before + 1);
  cairn_test_remove_tree (report_dir);
}

/* A check-in or a no-show at the front desk is read back by the next
 * read of the day, with its audit entry; an appointment that has gone
 * is said so. */
static void
test_today_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) checked_in = NULL;
  g_autoptr(GAsyncResult) gone = NULL;
  g_autoptr(CairnTodayScreen) before = NULL;
  g_autoptr(CairnTodayScreen) after = NULL;
  CairnDatabase *practice = cairn_vault_get_practice (demo);
  const CairnAgendaItem *booked = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *id = NULL;
  int audited;

  for (int d = 0; d < 14 && booked == NULL; d++)
    {
      g_clear_pointer (&before, cairn_today_screen_free);
      before = cairn_today_screen_load (demo, now + d * 86400, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < before->items->len && booked == NULL; i++)
        {
          const CairnAgendaItem *item = g_ptr_array_index (before->items, i);

          if (g_strcmp0 (item->appointment->status, "booked") == 0 && item->patient != NULL)
            {
              booked = item;
              now += d * 86400;
            }
        }
    }
  g_assert_nonnull (booked);
  id = g_strdup (booked->appointment->id);
  audited = count (practice, "SELECT count(*) FROM audit WHERE action = 'appointment.status' AND entity = ?", id);

  cairn_today_set_status_async (demo, id, "checked-in", NULL, cairn_test_answered_cb, &checked_in);
  g_assert_true (cairn_today_set_status_finish (demo, cairn_test_wait_answer (&checked_in), &error));
  g_assert_no_error (error);
  after = cairn_today_screen_load (demo, now, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < after->items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (after->items, i);

      if (g_str_equal (item->appointment->id, id))
        g_assert_cmpstr (item->appointment->status, ==, "checked-in");
    }
  g_assert_cmpint (count (practice, "SELECT count(*) FROM audit WHERE action = 'appointment.status' AND entity = ?",
                          id), ==, audited + 1);

  cairn_today_set_status_async (demo, "no such appointment", "no-show", NULL, cairn_test_answered_cb, &gone);
  g_assert_false (cairn_today_set_status_finish (demo, cairn_test_wait_answer (&gone), &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cairn_schedule_set_status (practice, id, "booked", NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A list model of a screen's array: one item per element, in order; the
 * array lives as long as an item does; a fill replaces what was there. */
static void
test_items (void)
{
  g_autoptr(GListStore) store = g_list_store_new (CAIRN_TYPE_ITEM);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CairnItem) kept = NULL;

  g_ptr_array_add (names, g_strdup ("Room 1"));
  g_ptr_array_add (names, g_strdup ("Room 2"));
  cairn_item_store_fill (store, names);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  kept = g_list_model_get_item (G_LIST_MODEL (store), 1);
  g_ptr_array_unref (names);
  g_assert_cmpstr (cairn_item_get (kept), ==, "Room 2");
  g_assert_cmpuint (cairn_item_get_index (kept), ==, 1);

  cairn_item_store_fill (store, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpstr (cairn_item_get (kept), ==, "Room 2");
}

static void
test_measures_front_desk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = busiest_patient ();
  g_autoptr(CairnVault) desk = NULL;
  g_autoptr(CairnMeasuresScreen) screen = NULL;

  /* One process opens a database once: the clinician's vault steps aside. */
  cairn_vault_lock (demo);
  desk = cairn_vault_unlock (dir, "Test Desk", "quiet harbour lamp 3", &error);
  g_assert_no_error (error);
  screen = cairn_measures_screen_load (desk, patient, g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_null (screen);
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
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  parent = cairn_test_demo_make ("cairn-screens-XXXXXX", now, &dir);
  demo = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (demo, "Test Desk", CAIRN_ROLE_FRONT_DESK, "quiet harbour lamp 3",
                                       &cheap, &error));
  g_assert_no_error (error);

  g_test_add_func ("/screens/measures", test_measures);
  g_test_add_func ("/screens/measures/today", test_measures_today);
  g_test_add_func ("/screens/measures/item9", test_measures_item9);
  g_test_add_func ("/screens/measures/writes", test_measures_writes);
  g_test_add_func ("/screens/notes", test_notes);
  g_test_add_func ("/screens/today", test_today);
  g_test_add_func ("/screens/today/status", test_today_status);
  g_test_add_func ("/screens/items", test_items);
  g_test_add_func ("/screens/measures/front-desk", test_measures_front_desk);

  status = g_test_run ();
  g_clear_object (&demo);
  cairn_test_remove_tree (parent);
  g_free (dir);
  g_free (parent);
  return status;
}
