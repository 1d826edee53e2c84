/* test-schedule.c
 *
 * Appointments in a real vault: booking, clashes refused until a reason is
 * given (and the reason audited), moving, check-in, no-show and
 * cancellation, rooms, hours and closed days, and the bookings that can
 * never go ahead. A whole planned course booked in one transaction, or not
 * at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-day-sheet.h"
#include "cairn-ical.h"
#include "cairn-patients.h"
#include "cairn-schedule.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

typedef struct
{
  char          *parent;
  CairnVault    *vault;
  CairnDatabase *db;
  char          *me;          /* the clinician's user id */
  char          *desk;        /* a front-desk user's id, also staff */
  char          *room1;
  char          *room2;
  char          *ada;         /* patients */
  char          *ben;
  GTimeZone     *zone;
} Fixture;

/* "2026-11-23 09:00" in the practice's zone (Europe/Berlin), UTC seconds. */
static gint64
at (Fixture    *fixture,
    const char *local)
{
  int y, mo, d, h, mi;
  g_autoptr(GDateTime) time = NULL;

  g_assert_cmpint (sscanf (local, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), ==, 5);
  time = g_date_time_new (fixture->zone, y, mo, d, h, mi, 0);
  return g_date_time_to_unix (time);
}

static char *
add_patient (Fixture    *fixture,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatient) patient = cairn_patient_new ();

  patient->legal_name = g_strdup (name);
  patient->date_of_birth = g_strdup ("1980-01-01");
  g_assert_true (cairn_patients_save (fixture->db, patient, fixture->me, &error));
  return g_strdup (patient->id);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *recovery = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-schedule-XXXXXX", &error);
  dir = g_build_filename (fixture->parent, "vault", NULL);
  fixture->vault = cairn_vault_create (dir, "Quell Practice", "Europe/Berlin", "Dr Ada Quell",
                                       "lantern orchard fiddle 42", &test_params, &recovery, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (fixture->vault, "Sam Rivera", CAIRN_ROLE_FRONT_DESK,
                                       "copper willow signal 3", &test_params, &error));
  fixture->db = cairn_vault_get_practice (fixture->vault);
  fixture->me = cairn_vault_get_user_id (fixture->vault);
  fixture->desk = cairn_database_query_text (fixture->db, "SELECT id FROM users WHERE name = 'Sam Rivera'",
                                             NULL, 0, &error);
  fixture->room1 = cairn_schedule_add_room (fixture->db, "Room 1", fixture->me, &error);
  fixture->room2 = cairn_schedule_add_room (fixture->db, "Garden Room", fixture->me, &error);
  g_assert_no_error (error);
  fixture->ada = add_patient (fixture, "Ada Okafor");
  fixture->ben = add_patient (fixture, "Ben Park");
  fixture->zone = g_time_zone_new_identifier ("Europe/Berlin");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->vault);
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->me);
  g_free (fixture->desk);
  g_free (fixture->room1);
  g_free (fixture->room2);
  g_free (fixture->ada);
  g_free (fixture->ben);
  g_time_zone_unref (fixture->zone);
}

static CairnAppointment *
appointment (Fixture    *fixture,
             const char *patient,
             const char *type,
             const char *start,
             const char *end,
             const char *room,
             const char *staff)
{
  CairnAppointment *a = cairn_appointment_new ();
  const char *staff_ids[] = { staff, NULL };

  a->patient_id = g_strdup (patient);
  a->type_id = g_strdup (type);
  a->start = at (fixture, start);
  a->end = at (fixture, end);
  a->room_id = g_strdup (room);
  a->staff_ids = g_strdupv ((char **) staff_ids);
  return a;
}

static char *
last_audit (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  return cairn_database_query_text (fixture->db,
                                    "SELECT action || ' ' || coalesce (detail, '') FROM audit ORDER BY seq DESC LIMIT 1",
                                    NULL, 0, &error);
}

static void
test_book_and_clash (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) first = appointment (fixture, fixture->ada, "preparation", "2026-11-23 09:00",
                                                   "2026-11-23 10:30", fixture->room1, fixture->me);
  g_autoptr(CairnAppointment) clash = appointment (fixture, fixture->ben, "preparation", "2026-11-23 10:00",
                                                   "2026-11-23 11:30", fixture->room2, fixture->me);
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *audit = NULL;
  const CairnAppointment *read;

  g_assert_true (cairn_schedule_book (fixture->db, first, 1, TRUE, NULL, fixture->me, &error));
  g_assert_no_error (error);
  g_assert_nonnull (first->id);
  audit = last_audit (fixture);
  g_assert_cmpstr (audit, ==, "appointment.book ");

  listed = cairn_schedule_list (fixture->db, at (fixture, "2026-11-23 00:00"), at (fixture, "2026-11-24 00:00"),
                                &error);
  g_assert_cmpuint (listed->len, ==, 1);
  read = g_ptr_array_index (listed, 0);
  g_assert_cmpstr (read->id, ==, first->id);
  g_assert_cmpstr (read->type_id, ==, "preparation");
  g_assert_cmpstr (read->status, ==, "booked");
  g_assert_cmpint (read->start, ==, first->start);
  g_assert_cmpstr (read->staff_ids[0], ==, fixture->me);
  g_assert_null (read->staff_ids[1]);

  /* The therapist is booked then: refused, saying who. */
  g_assert_false (cairn_schedule_book (fixture->db, clash, 1, TRUE, NULL, fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Dr Ada Quell is already booked then."));
  g_assert_nonnull (strstr (error->message, "reason"));
  g_assert_null (clash->id);
  g_clear_error (&error);

  /* A blank reason is no reason. */
  g_assert_false (cairn_schedule_book (fixture->db, clash, 1, TRUE, "   ", fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* With a written reason it goes ahead, and the reason is kept. */
  g_assert_true (cairn_schedule_book (fixture->db, clash, 1, TRUE, "Co-therapist covers the first half hour",
                                      fixture->me, &error));
  g_assert_no_error (error);
  g_clear_pointer (&audit, g_free);
  audit = last_audit (fixture);
  g_assert_cmpstr (audit, ==, "appointment.book over 1 conflict(s): Co-therapist covers the first half hour");
}

static void
test_move_status_and_cancel (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) a = appointment (fixture, fixture->ada, "integration", "2026-11-24 09:00",
                                               "2026-11-24 10:30", fixture->room1, fixture->me);
  g_autoptr(CairnAppointment) b = appointment (fixture, fixture->ben, "integration", "2026-11-24 11:00",
                                               "2026-11-24 12:30", fixture->room1, fixture->me);
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *audit = NULL;

  g_assert_true (cairn_schedule_book (fixture->db, a, 1, TRUE, NULL, fixture->me, &error));
  g_assert_true (cairn_schedule_book (fixture->db, b, 1, TRUE, NULL, fixture->me, &error));
  g_assert_no_error (error);

  /* Moving an appointment over its own old time is no clash. */
  a->start = at (fixture, "2026-11-24 09:30");
  a->end = at (fixture, "2026-11-24 11:00");
  g_assert_true (cairn_schedule_book (fixture->db, a, 1, TRUE, NULL, fixture->me, &error));
  g_assert_no_error (error);
  audit = last_audit (fixture);
  g_assert_cmpstr (audit, ==, "appointment.move ");

  /* Onto b's time it clashes; once b is cancelled, it does not. */
  a->start = at (fixture, "2026-11-24 11:00");
  a->end = at (fixture, "2026-11-24 12:00");
  g_assert_false (cairn_schedule_book (fixture->db, a, 1, TRUE, NULL, fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "more conflict"));
  g_clear_error (&error);

  g_assert_false (cairn_schedule_set_status (fixture->db, b->id, "cancelled", "  ", fixture->desk, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_schedule_set_status (fixture->db, b->id, "postponed", NULL, fixture->desk, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_schedule_set_status (fixture->db, "no-such-id", "checked-in", NULL, fixture->desk, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cairn_schedule_set_status (fixture->db, b->id, "cancelled", "Patient unwell", fixture->desk,
                                            &error));
  g_assert_no_error (error);
  g_clear_pointer (&audit, g_free);
  audit = last_audit (fixture);
  /* The status is audited; the reason, which may say something about the
   * patient, stays in the appointment. */
  g_assert_cmpstr (audit, ==, "appointment.status cancelled");
  g_assert_true (cairn_schedule_book (fixture->db, a, 1, TRUE, NULL, fixture->me, &error));
  g_assert_no_error (error);

  g_assert_true (cairn_schedule_set_status (fixture->db, a->id, "checked-in", NULL, fixture->desk, &error));
  listed = cairn_schedule_list (fixture->db, at (fixture, "2026-11-24 00:00"), at (fixture, "2026-11-25 00:00"),
                                &error);
  g_assert_cmpuint (listed->len, ==, 2);
  for (guint i = 0; i < listed->len; i++)
    {
      const CairnAppointment *read = g_ptr_array_index (listed, i);

      if (g_strcmp0 (read->id, a->id) == 0)
        g_assert_cmpstr (read->status, ==, "checked-in");
      else
        {
          g_assert_cmpstr (read->id, ==, b->id);
          g_assert_cmpstr (read->status, ==, "cancelled");
          g_assert_cmpstr (read->status_reason, ==, "Patient unwell");
        }
    }
}

static void
test_impossible_bookings (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) backwards = appointment (fixture, fixture->ada, "preparation", "2026-11-23 10:00",
                                                       "2026-11-23 09:00", fixture->room1, fixture->me);
  g_autoptr(CairnAppointment) no_type = appointment (fixture, fixture->ada, "", "2026-11-23 09:00",
                                                     "2026-11-23 10:00", fixture->room1, fixture->me);
  g_autoptr(CairnAppointment) archived = appointment (fixture, fixture->ada, "preparation", "2026-11-23 09:00",
                                                      "2026-11-23 10:00", fixture->room1, fixture->me);
  g_autoptr(CairnAppointment) unknown = appointment (fixture, "no-such-patient", "preparation",
                                                     "2026-11-23 09:00", "2026-11-23 10:00", fixture->room1,
                                                     fixture->me);
  g_autoptr(CairnAppointment) no_staff = appointment (fixture, fixture->ben, "preparation", "2026-11-23 09:00",
                                                      "2026-11-23 10:00", fixture->room1, "nobody");
  g_autofree char *count = NULL;

  /* Whatever the reason given. */
  g_assert_false (cairn_schedule_book (fixture->db, backwards, 1, TRUE, "urgent", fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "end after it starts"));
  g_clear_error (&error);
  g_assert_false (cairn_schedule_book (fixture->db, no_type, 1, TRUE, "urgent", fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_schedule_book (fixture->db, unknown, 1, TRUE, "urgent", fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_schedule_book (fixture->db, no_staff, 1, TRUE, "urgent", fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cairn_patients_set_archived (fixture->db, fixture->ada, TRUE, fixture->me, &error));
  g_assert_false (cairn_schedule_book (fixture->db, archived, 1, TRUE, "urgent", fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "archived"));
  g_clear_error (&error);

  /* Nothing was written. */
  count = cairn_database_query_text (fixture->db, "SELECT count(*) FROM appointments", NULL, 0, &error);
  g_assert_cmpstr (count, ==, "0");
}

static void
test_rules (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) session = appointment (fixture, fixture->ada, "medicine-session",
                                                     "2026-11-27 09:00", "2026-11-27 17:00", fixture->room2,
                                                     fixture->me);
  g_autoptr(CairnPracticeRules) rules = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  GDate holiday;
  g_autofree char *text = NULL;
  char *room3;

  /* Hours as people write them, refused with the reason when wrong. */
  g_assert_false (cairn_schedule_set_practice_hours (fixture->db, "weekdays 9-5", fixture->me, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (cairn_schedule_set_practice_hours (fixture->db, "mon-fri 08:00-18:00; sat 09:00-13:00",
                                                    fixture->me, &error));
  g_assert_true (cairn_schedule_set_staff_hours (fixture->db, fixture->me, "mon-thu 08:00-18:00", fixture->me,
                                                 &error));
  g_date_clear (&holiday, 1);
  g_date_set_dmy (&holiday, 24, G_DATE_DECEMBER, 2026);
  g_assert_true (cairn_schedule_set_closed_day (fixture->db, &holiday, "Christmas Eve", fixture->me, &error));
  g_date_add_days (&holiday, 1);
  g_assert_true (cairn_schedule_set_closed_day (fixture->db, &holiday, "Christmas Day", fixture->me, &error));
  g_assert_true (cairn_schedule_set_staff_hours (fixture->db, fixture->desk, "mon-fri 07:00-15:00", fixture->me,
                                                 &error));
  g_assert_no_error (error);

  rules = cairn_practice_rules_load (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_practice_rules_get (rules)->n_closed_days, ==, 2);
  g_assert_cmpuint (cairn_practice_rules_get (rules)->n_staff, ==, 2);

  /* A medicine session on a Friday: one therapist short, and this one
   * does not work Fridays. */
  conflicts = cairn_schedule_check (fixture->db, session, 2, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 2);
  g_assert_cmpint (((CairnConflict *) conflicts->pdata[0])->kind, ==, CAIRN_CONFLICT_STAFFING);
  g_assert_cmpint (((CairnConflict *) conflicts->pdata[1])->kind, ==, CAIRN_CONFLICT_STAFF_HOURS);
  text = cairn_schedule_describe_conflict (fixture->db, conflicts->pdata[1]);
  g_assert_cmpstr (text, ==, "This is outside the working hours of Dr Ada Quell.");

  /* Rooms: unique by name among those in use. */
  g_assert_null (cairn_schedule_add_room (fixture->db, "room 1", fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cairn_schedule_add_room (fixture->db, "  ", fixture->me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  room3 = cairn_schedule_add_room (fixture->db, "Room 3", fixture->me, &error);
  g_assert_nonnull (room3);
  g_free (room3);
}

static void
test_ical_format (void)
{
  g_autofree char *padding = g_strnfill (40, 'x');
  g_autofree char *long_summary = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *initials = NULL;
  CairnIcalEvent events[2];

  long_summary = g_strconcat (padding, " Zoë; Ádám, \\ more text\nand ümlauts that go past the fold", NULL);
  events[0] = (CairnIcalEvent) { "a1", 1795507200, 1795512600, long_summary, "Room 1, upstairs", FALSE };
  events[1] = (CairnIcalEvent) { "a2", 1795514400, 1795518000, "Integration", NULL, TRUE };
  text = cairn_ical_build (events, 2, 1795400000);

  /* CRLF line ends, and no line longer than 75 octets. */
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      g_assert_null (strchr (lines[i], '\n'));
    }
  g_assert_nonnull (strstr (text, "DTSTART:20261124T080000Z\r\n"));
  g_assert_nonnull (strstr (text, "UID:a1@cairn.invalid\r\n"));
  g_assert_nonnull (strstr (text, "LOCATION:Room 1\\, upstairs\r\n"));
  g_assert_nonnull (strstr (text, "STATUS:CANCELLED\r\n"));
  {
    /* Unfolded, the summary reads back escaped. */
    g_autoptr(GString) unfolded = g_string_new (text);

    g_string_replace (unfolded, "\r\n ", "", 0);
    g_assert_nonnull (strstr (unfolded->str, " Zoë\\; Ádám\\, \\\\ more text\\nand ümlauts"));
  }

  initials = cairn_ical_initials ("Zoë  ádám-Quinn");
  g_assert_cmpstr (initials, ==, "Z. Á.");
}

static void
test_ical_export (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) mine = appointment (fixture, fixture->ada, "preparation", "2026-11-23 09:00",
                                                  "2026-11-23 10:30", fixture->room1, fixture->me);
  g_autoptr(CairnAppointment) theirs = appointment (fixture, fixture->ben, "preparation", "2026-11-23 09:00",
                                                    "2026-11-23 10:30", fixture->room2, fixture->desk);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *initials = NULL;
  g_autofree char *named = NULL;
  g_autofree char *audit = NULL;

  g_hash_table_insert (names, (gpointer) "preparation", (gpointer) "Preparation");
  g_assert_true (cairn_schedule_book (fixture->db, mine, 1, TRUE, NULL, fixture->me, &error));
  g_assert_true (cairn_schedule_book (fixture->db, theirs, 1, TRUE, NULL, fixture->me, &error));
  g_assert_no_error (error);

  initials = cairn_schedule_export_ical (fixture->db, fixture->me, at (fixture, "2026-11-23 00:00"),
                                         at (fixture, "2026-11-24 00:00"), names, FALSE, fixture->me, &error);
  g_assert_no_error (error);
  /* Only this clinician's appointments, and no patient's name by default. */
  g_assert_nonnull (strstr (initials, "SUMMARY:Preparation · A. O.\r\n"));
  g_assert_nonnull (strstr (initials, "LOCATION:Room 1\r\n"));
  g_assert_null (strstr (initials, "Garden Room"));
  g_assert_null (strstr (initials, "Okafor"));
  g_assert_null (strstr (initials, "Ben"));
  audit = last_audit (fixture);
  g_assert_cmpstr (audit, ==, "schedule.export ical, initials");

  named = cairn_schedule_export_ical (fixture->db, fixture->me, at (fixture, "2026-11-23 00:00"),
                                      at (fixture, "2026-11-24 00:00"), names, TRUE, fixture->me, &error);
  g_assert_nonnull (strstr (named, "SUMMARY:Preparation · Ada Okafor\r\n"));
  g_clear_pointer (&audit, g_free);
  audit = last_audit (fixture);
  g_assert_cmpstr (audit, ==, "schedule.export ical, with names");
}

static void
test_day_sheet (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) early = appointment (fixture, fixture->ada, "preparation", "2026-11-23 09:00",
                                                   "2026-11-23 10:30", fixture->room1, fixture->me);
  g_autoptr(CairnAppointment) late = appointment (fixture, fixture->ben, "integration", "2026-11-23 14:00",
                                                  "2026-11-23 15:30", fixture->room2, fixture->desk);
  g_autoptr(CairnAppointment) tomorrow = appointment (fixture, fixture->ben, "integration", "2026-11-24 14:00",
                                                      "2026-11-24 15:30", fixture->room2, fixture->desk);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *pdf = g_build_filename (fixture->parent, "day.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autofree char *footer = NULL;
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
  CairnAuditHead head;
  GDate day;
  int status = -1;

  g_hash_table_insert (names, (gpointer) "preparation", (gpointer) "Preparation");
  g_hash_table_insert (names, (gpointer) "integration", (gpointer) "Integration");
  g_assert_true (cairn_schedule_book (fixture->db, early, 1, TRUE, NULL, fixture->me, &error));
  g_assert_true (cairn_schedule_book (fixture->db, late, 1, TRUE, NULL, fixture->me, &error));
  g_assert_true (cairn_schedule_book (fixture->db, tomorrow, 1, TRUE, NULL, fixture->me, &error));
  g_assert_true (cairn_schedule_set_status (fixture->db, late->id, "cancelled", "Unwell", fixture->me, &error));
  g_assert_no_error (error);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 23, G_DATE_NOVEMBER, 2026);
  rows = cairn_day_sheet_rows (fixture->db, &day, names, &zone, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((CairnDayRow *) rows->pdata[0])->kind, ==, "Preparation");
  g_assert_cmpstr (((CairnDayRow *) rows->pdata[0])->staff, ==, "Dr Ada Quell");

  g_assert_true (cairn_audit_head_read (fixture->db, &head, &error));
  g_assert_no_error (error);
  g_assert_true (cairn_day_sheet_write_pdf (pdf, "Quell Practice", &day, zone, rows, &head, &error));
  g_assert_no_error (error);

  /* Read back by the stock pdftotext: local times, names, rooms, states. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, &err, &status,
                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Quell Practice"));
  g_assert_nonnull (strstr (text, "09:00–10:30"));
  g_assert_nonnull (strstr (text, "14:00–15:30"));
  g_assert_nonnull (strstr (text, "Ada Okafor · C-000001"));
  g_assert_nonnull (strstr (text, "Garden Room"));
  g_assert_nonnull (strstr (text, "Sam Rivera"));
  g_assert_nonnull (strstr (text, "Cancelled"));
  /* Tomorrow's appointment is not on today's sheet. */
  g_assert_null (strstr (text, "24 November"));
  g_assert_null (strstr (strstr (text, "14:00–15:30") + 1, "14:00–15:30"));

  /* Its foot: where practice.db's audit trail ended, as the trail itself
   * says (how many entries, the newest's hash), on its one page. */
  footer = cairn_database_query_text (fixture->db,
                                      "SELECT 'Audit trail: ' || count(*) ||"
                                      " iif (count(*) = 1, ' entry', ' entries') || ', head ' ||"
                                      " (SELECT upper (substr (hash, 1, 4) || '-' || substr (hash, 5, 4) ||"
                                      " '-' || substr (hash, 9, 4) || '-' || substr (hash, 13, 4))"
                                      "  FROM audit ORDER BY seq DESC LIMIT 1) FROM audit",
                                      NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (head.entries, >=, 5);
  g_assert_true (g_regex_match_simple ("^Audit trail: [0-9]+ entr(y|ies), head [0-9A-F]{4}(-[0-9A-F]{4}){3}$",
                                       footer, 0, 0));
  g_assert_nonnull (strstr (text, footer));
  g_assert_null (strstr (strstr (text, footer) + 1, "Audit trail:"));
}

static char *
query (Fixture    *fixture,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *text = cairn_database_query_text (fixture->db, sql, NULL, 0, &error);

  g_assert_no_error (error);
  return text;
}

/* What the vault holds: appointments, their staff and audit entries. */
static char *
counts (Fixture *fixture)
{
  return query (fixture, "SELECT (SELECT count(*) FROM appointments)"
                         " || ' ' || (SELECT count(*) FROM appointment_staff)"
                         " || ' ' || (SELECT count(*) FROM audit)");
}

/* The default template's course for @patient from Monday 2 November 2026,
 * planned as the planner page would: the vault's rules and what is booked. */
static GPtrArray *
plan_course (Fixture    *fixture,
             const char *patient)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autoptr(CairnPracticeRules) rules = cairn_practice_rules_load (fixture->db, &error);
  g_autoptr(GPtrArray) booked = NULL;
  g_autoptr(GArray) existing = g_array_new (FALSE, TRUE, sizeof (CairnBooking));
  const char *therapists[] = { fixture->me, fixture->desk, NULL };
  const char *rooms[] = { fixture->room1, fixture->room2, NULL };
  CairnPlanRequest request = { 0 };
  GPtrArray *items;

  g_assert_no_error (error);
  booked = cairn_schedule_list (fixture->db, at (fixture, "2026-11-01 00:00"),
                                at (fixture, "2027-06-01 00:00"), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < booked->len; i++)
    {
      const CairnAppointment *a = g_ptr_array_index (booked, i);
      CairnBooking b = { a->id, a->patient_id, a->room_id, (const char * const *) a->staff_ids,
                         a->start, a->end, g_strcmp0 (a->status, "cancelled") == 0 };

      g_array_append_val (existing, b);
    }

  request.protocol = protocol;
  request.rules = cairn_practice_rules_get (rules);
  request.existing = (const CairnBooking *) existing->data;
  request.n_existing = existing->len;
  request.patient_id = patient;
  request.therapist_ids = therapists;
  request.room_ids = rooms;
  g_date_clear (&request.start_day, 1);
  g_date_set_dmy (&request.start_day, 2, G_DATE_NOVEMBER, 2026);
  request.preferred_minute = 9 * 60;

  items = cairn_course_plan (&request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 37);
  return items;
}

static void
test_book_course (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *course_id = NULL;
  g_autofree char *courses = NULL;
  g_autofree char *staff = NULL;
  g_autofree char *audited = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *audit_sql = NULL;

  /* Phone check-ins fall on weekends too: open every day, so that the
   * whole plan is free. */
  g_assert_true (cairn_schedule_set_practice_hours (fixture->db, "mon-sun 08:00-18:00", fixture->me,
                                                    &error));
  g_assert_no_error (error);
  items = plan_course (fixture, fixture->ada);
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpuint (((CairnPlannedItem *) items->pdata[i])->conflicts->len, ==, 0);

  before = counts (fixture);
  g_assert_true (cairn_schedule_book_course (fixture->db, fixture->ada, items, NULL, fixture->me,
                                             &course_id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (course_id);
  g_assert_true (g_uuid_string_is_valid (course_id));

  /* All 37, as planned, with one course id. */
  listed = cairn_schedule_list (fixture->db, at (fixture, "2026-11-01 00:00"),
                                at (fixture, "2027-06-01 00:00"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 37);
  for (guint i = 0; i < listed->len; i++)
    {
      const CairnAppointment *a = g_ptr_array_index (listed, i);
      const CairnPlannedItem *item = g_ptr_array_index (items, i);

      g_assert_cmpstr (a->course_id, ==, course_id);
      g_assert_cmpstr (a->patient_id, ==, fixture->ada);
      g_assert_cmpstr (a->type_id, ==, item->type_id);
      g_assert_cmpint (a->start, ==, item->start);
      g_assert_cmpint (a->end, ==, item->end);
      g_assert_cmpstr (a->room_id, ==, item->room_id);
      g_assert_cmpstr (a->status, ==, "booked");
      g_assert_cmpuint (g_strv_length (a->staff_ids), ==, g_strv_length (item->staff_ids));
    }
  courses = query (fixture, "SELECT count(DISTINCT course_id) FROM appointments");
  g_assert_cmpstr (courses, ==, "1");
  /* 3 + 3 + 9 sessions with two therapists, 21 + 1 with one. */
  staff = query (fixture, "SELECT count(*) FROM appointment_staff");
  g_assert_cmpstr (staff, ==, "52");

  /* One audit entry per appointment, as for one booked alone, naming the
   * course. */
  audit_sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action = 'appointment.book'"
                               " AND detail = 'course %s'", course_id);
  audited = query (fixture, audit_sql);
  g_assert_cmpstr (audited, ==, "37");
  after = counts (fixture);
  {
    guint appointments, staff_rows, entries;
    g_autofree char *expected = NULL;

    g_assert_cmpint (sscanf (before, "%u %u %u", &appointments, &staff_rows, &entries), ==, 3);
    g_assert_cmpuint (appointments, ==, 0);
    expected = g_strdup_printf ("37 52 %u", entries + 37);
    g_assert_cmpstr (after, ==, expected);
  }
  g_assert_true (cairn_audit_verify (fixture->db, NULL, &error));
  g_assert_no_error (error);
}

static void
test_book_course_conflict (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(CairnAppointment) meanwhile = NULL;
  g_autoptr(CairnAppointment) later = NULL;
  g_autoptr(CairnPlannedItem) backwards = NULL;
  g_autofree char *course_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *overridden = NULL;
  g_autofree char *in_course = NULL;

  g_assert_true (cairn_schedule_set_practice_hours (fixture->db, "mon-sun 08:00-18:00", fixture->me,
                                                    &error));
  g_assert_no_error (error);
  items = plan_course (fixture, fixture->ada);

  /* Since the plan was made, the front desk has booked the clinician with
   * Ben at the time of the first integration session, and of the
   * follow-up. */
  meanwhile = appointment (fixture, fixture->ben, "integration", "2026-11-24 09:30",
                           "2026-11-24 10:00", NULL, fixture->me);
  later = appointment (fixture, fixture->ben, "integration", "2027-03-19 09:00",
                       "2027-03-19 09:30", NULL, fixture->me);
  g_assert_true (cairn_schedule_book (fixture->db, meanwhile, 1, FALSE, NULL, fixture->desk,
                                      &error));
  g_assert_true (cairn_schedule_book (fixture->db, later, 1, FALSE, NULL, fixture->desk,
                                      &error));
  g_assert_no_error (error);

  /* Refused, naming the first that clashes; nothing written. */
  before = counts (fixture);
  g_assert_false (cairn_schedule_book_course (fixture->db, fixture->ada, items, NULL, fixture->me,
                                              &course_id, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“Integration” on Tuesday 24 November 2026, 09:00: "
                                            "Dr Ada Quell is already booked then."));
  g_assert_nonnull (strstr (error->message, "1 more appointment of the course clashes too"));
  g_assert_null (course_id);
  g_clear_error (&error);
  after = counts (fixture);
  g_assert_cmpstr (after, ==, before);

  /* A blank reason is no reason. */
  g_assert_false (cairn_schedule_book_course (fixture->db, fixture->ada, items, " \t", fixture->me,
                                              NULL, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&after, g_free);
  after = counts (fixture);
  g_assert_cmpstr (after, ==, before);

  /* An impossible appointment is refused whatever the reason. */
  backwards = cairn_planned_item_copy (items->pdata[items->len - 1]);
  backwards->end = backwards->start;
  g_ptr_array_add (items, g_steal_pointer (&backwards));
  g_assert_false (cairn_schedule_book_course (fixture->db, fixture->ada, items, "Urgent",
                                              fixture->me, NULL, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“Follow-up” on Friday 19 March 2027, 09:00: "));
  g_clear_error (&error);
  g_ptr_array_remove_index (items, items->len - 1);
  g_clear_pointer (&after, g_free);
  after = counts (fixture);
  g_assert_cmpstr (after, ==, before);

  /* With a reason it is booked, and the reason is in the audit entries of
   * the two booked over a conflict. */
  g_assert_true (cairn_schedule_book_course (fixture->db, fixture->ada, items,
                                             "  Ben moves to Sam  ", fixture->me, &course_id,
                                             &error));
  g_assert_no_error (error);
  g_assert_nonnull (course_id);
  in_course = query (fixture, "SELECT count(*) FROM appointments WHERE course_id IS NOT NULL");
  g_assert_cmpstr (in_course, ==, "37");
  overridden = query (fixture, "SELECT group_concat (detail, '|') FROM audit"
                               " WHERE action = 'appointment.book' AND detail LIKE '%over%'");
  {
    /* Each clashes once: the clinician is with Ben then. */
    g_autofree char *expected = g_strdup_printf ("course %s; over 1 conflict(s): Ben moves to Sam|"
                                                 "course %s; over 1 conflict(s): Ben moves to Sam",
                                                 course_id, course_id);

    g_assert_cmpstr (overridden, ==, expected);
  }
}

/* A medicine session moved a week on, and what follows from it with it:
 * each keeps its wall-clock time, the preparation stays; over a clash only
 * with a reason, and nothing moves without one. */
static void
test_move_following (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autoptr(CairnAppointment) blocker = NULL;
  g_autofree char *course_id = NULL;
  g_autofree char *reason = NULL;
  const CairnAppointment *medicine = NULL;
  guint index = 0, moved = 0;
  int following;

  g_assert_true (cairn_schedule_set_practice_hours (fixture->db, "mon-sun 08:00-18:00", fixture->me, &error));
  items = plan_course (fixture, fixture->ada);
  g_assert_true (cairn_schedule_book_course (fixture->db, fixture->ada, items, NULL, fixture->me, &course_id,
                                             &error));
  g_assert_no_error (error);
  before = cairn_schedule_list (fixture->db, at (fixture, "2026-11-01 00:00"), at (fixture, "2027-12-01 00:00"),
                                &error);
  for (guint i = 0; i < before->len; i++)
    if (g_strcmp0 (((CairnAppointment *) before->pdata[i])->type_id, "medicine-session") == 0)
      {
        medicine = before->pdata[i];
        index = i;
        break;
      }
  g_assert_nonnull (medicine);

  /* Everything after the first medicine session follows it. */
  following = cairn_schedule_count_following (fixture->db, medicine->id, &error);
  g_assert_cmpint (following, ==, (int) (before->len - index - 1));

  /* A week on would put its last phone check-in on top of this. */
  {
    const CairnAppointment *call = NULL;
    g_autoptr(GDateTime) utc = NULL;
    g_autoptr(GDateTime) local = NULL;
    g_autoptr(GDateTime) week = NULL;
    const char *staff[] = { NULL, NULL };
    guint calls = 0;

    for (guint i = index + 1; i < before->len && calls < 7; i++)
      if (g_strcmp0 (((CairnAppointment *) before->pdata[i])->type_id, "phone-check-in") == 0 && ++calls == 7)
        call = before->pdata[i];
    g_assert_nonnull (call);
    staff[0] = call->staff_ids[0];
    utc = g_date_time_new_from_unix_utc (call->start);
    local = g_date_time_to_timezone (utc, fixture->zone);
    week = g_date_time_add_days (local, 7);
    blocker = cairn_appointment_new ();
    blocker->patient_id = g_strdup (fixture->ben);
    blocker->type_id = g_strdup ("follow-up");
    blocker->start = g_date_time_to_unix (week);
    blocker->end = blocker->start + 900;
    blocker->staff_ids = g_strdupv ((char **) staff);
    g_assert_true (cairn_schedule_book (fixture->db, blocker, 1, FALSE, NULL, fixture->me, &error));
  }

  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (medicine->start);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, fixture->zone);
    g_autoptr(GDateTime) week = g_date_time_add_days (local, 7);
    gint64 start = g_date_time_to_unix (week);

    g_assert_false (cairn_schedule_move_following (fixture->db, protocol, medicine->id, start,
                                                   start + (medicine->end - medicine->start), TRUE, NULL,
                                                   fixture->desk, &moved, &error));
    g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, "is already booked then"));
    g_clear_error (&error);
    after = cairn_schedule_list (fixture->db, at (fixture, "2026-11-01 00:00"), at (fixture, "2027-12-01 00:00"),
                                 &error);
    /* Nothing moved: the course as it was, and the blocker. */
    g_assert_cmpuint (after->len, ==, before->len + 1);
    for (guint i = 0, j = 0; i < before->len; i++, j++)
      {
        if (g_strcmp0 (((CairnAppointment *) after->pdata[j])->id, blocker->id) == 0)
          j++;
        g_assert_cmpint (((CairnAppointment *) after->pdata[j])->start, ==,
                         ((CairnAppointment *) before->pdata[i])->start);
      }
    g_clear_pointer (&after, g_ptr_array_unref);

    g_assert_true (cairn_schedule_move_following (fixture->db, protocol, medicine->id, start,
                                                  start + (medicine->end - medicine->start), TRUE,
                                                  "Ben's follow-up moves to the afternoon", fixture->desk, &moved,
                                                  &error));
    g_assert_no_error (error);
    g_assert_cmpuint (moved, ==, before->len - index);
  }

  /* Every one from the medicine session on is a week later at the same
   * local time; those before it stayed. */
  for (guint i = 0; i < before->len; i++)
    {
      const CairnAppointment *was = before->pdata[i];
      g_autoptr(CairnAppointment) now = NULL;
      g_autoptr(GPtrArray) found = cairn_schedule_list (fixture->db, was->start - 40 * 86400,
                                                        was->start + 40 * 86400, &error);
      g_autoptr(GDateTime) a = NULL;
      g_autoptr(GDateTime) b = NULL;
      g_autoptr(GDateTime) la = NULL;
      g_autoptr(GDateTime) lb = NULL;

      for (guint j = 0; j < found->len; j++)
        if (g_strcmp0 (((CairnAppointment *) found->pdata[j])->id, was->id) == 0)
          now = g_ptr_array_steal_index (found, j);
      g_assert_nonnull (now);
      if (i < index)
        {
          g_assert_cmpint (now->start, ==, was->start);
          continue;
        }
      a = g_date_time_new_from_unix_utc (was->start);
      b = g_date_time_new_from_unix_utc (now->start);
      la = g_date_time_to_timezone (a, fixture->zone);
      lb = g_date_time_to_timezone (b, fixture->zone);
      g_assert_cmpint (g_date_time_get_hour (lb), ==, g_date_time_get_hour (la));
      g_assert_cmpint (g_date_time_get_minute (lb), ==, g_date_time_get_minute (la));
      g_assert_cmpint (g_date_time_difference (lb, la) / G_TIME_SPAN_DAY, >=, 6);
      g_assert_cmpint (now->end - now->start, ==, was->end - was->start);
    }

  reason = query (fixture, "SELECT count(*) FROM audit WHERE action = 'appointment.move'"
                           " AND detail LIKE '%afternoon%'");
  g_assert_cmpstr (reason, ==, "1");
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
  ADD ("/schedule/book-and-clash", test_book_and_clash);
  ADD ("/schedule/move-status-and-cancel", test_move_status_and_cancel);
  ADD ("/schedule/impossible-bookings", test_impossible_bookings);
  ADD ("/schedule/rules", test_rules);
  ADD ("/schedule/move-following", test_move_following);
  ADD ("/schedule/ical-export", test_ical_export);
  ADD ("/schedule/day-sheet", test_day_sheet);
  ADD ("/schedule/book-course", test_book_course);
  ADD ("/schedule/book-course-conflict", test_book_course_conflict);
  g_test_add_func ("/schedule/ical-format", test_ical_format);

  return g_test_run ();
}
