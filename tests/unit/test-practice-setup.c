/* test-practice-setup.c
 *
 * Setting up a practice in a real vault: reading its zone and hours, each
 * staff member's own hours and clearing them, closed days (a mistyped date,
 * a day closed twice, past days only on request), renaming rooms, and
 * archiving a room refused while appointments are still to come in it.
 * Every change leaves one audit entry and the chain still verifies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cairn-agenda.h"
#include "cairn-audit.h"
#include "cairn-patients.h"
#include "cairn-practice-setup.h"
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
  char          *me;          /* the clinician */
  char          *desk;        /* a front-desk user */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *recovery = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-practice-setup-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (fixture->parent, "vault", NULL);
  fixture->vault = cairn_vault_create (dir, "Quell Practice", "Europe/Berlin", "Dr Ada Quell",
                                       "lantern orchard fiddle 42", &test_params, &recovery,
                                       &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (fixture->vault, "Sam Rivera", CAIRN_ROLE_FRONT_DESK,
                                       "copper willow signal 3", &test_params, &error));
  fixture->db = cairn_vault_get_practice (fixture->vault);
  fixture->me = cairn_vault_get_user_id (fixture->vault);
  fixture->desk = cairn_database_query_text (fixture->db,
                                             "SELECT id FROM users WHERE name = 'Sam Rivera'",
                                             NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->desk);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cairn_audit_verify (fixture->db, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->vault);
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->me);
  g_free (fixture->desk);
}

static guint
audit_count (Fixture    *fixture,
             const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = cairn_database_query_text (fixture->db,
                                                      "SELECT count(*) FROM audit WHERE action = ?",
                                                      (const char *[]) { action }, 1, &error);

  g_assert_no_error (error);
  return (guint) g_ascii_strtoull (count, NULL, 10);
}

static GDate
day (const char *text)
{
  GDate d;

  g_date_clear (&d, 1);
  g_assert_true (cairn_practice_parse_day (text, &d, NULL));
  return d;
}

/* ------------------------------------------------------------------------ */

static void
test_zone_and_hours (Fixture       *fixture,
                     gconstpointer  data)
{
  CairnDatabase *db = fixture->db;
  const char *me = fixture->me;
  g_autoptr(GError) error = NULL;
  g_autofree char *zone = cairn_practice_get_time_zone (db, &error);
  g_autofree char *hours = cairn_practice_get_hours (db, &error);
  g_autofree char *changed = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (zone, ==, "Europe/Berlin");
  /* A new vault opens on weekdays until it is told otherwise. */
  g_assert_cmpstr (hours, ==, "mon-fri 08:00-18:00");

  /* The text is kept as it was written. */
  g_assert_true (cairn_schedule_set_practice_hours (db, "mon-fri 08:00-18:00; sat 09:00-13:00",
                                                    me, &error));
  changed = cairn_practice_get_hours (db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed, ==, "mon-fri 08:00-18:00; sat 09:00-13:00");
}

static CairnStaffMember *
member (GPtrArray  *staff,
        const char *id)
{
  for (guint i = 0; i < staff->len; i++)
    {
      CairnStaffMember *m = g_ptr_array_index (staff, i);

      if (g_strcmp0 (m->id, id) == 0)
        return m;
    }
  g_assert_not_reached ();
}

static void
test_staff_hours (Fixture       *fixture,
                  gconstpointer  data)
{
  CairnDatabase *db = fixture->db;
  const char *me = fixture->me;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = cairn_practice_list_staff (db, &error);
  g_autofree char *hours = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (staff->len, ==, 2);
  /* Clinicians first. */
  g_assert_cmpstr (((CairnStaffMember *) g_ptr_array_index (staff, 0))->name, ==, "Dr Ada Quell");
  g_assert_true (((CairnStaffMember *) g_ptr_array_index (staff, 0))->clinician);
  g_assert_cmpstr (((CairnStaffMember *) g_ptr_array_index (staff, 1))->name, ==, "Sam Rivera");
  g_assert_false (((CairnStaffMember *) g_ptr_array_index (staff, 1))->clinician);
  g_assert_null (member (staff, fixture->desk)->hours);
  hours = cairn_practice_get_staff_hours (db, fixture->desk, &error);
  g_assert_no_error (error);
  g_assert_null (hours);

  g_assert_true (cairn_schedule_set_staff_hours (db, fixture->desk, "mon,wed 09:00-17:00", me,
                                                 &error));
  g_clear_pointer (&staff, g_ptr_array_unref);
  staff = cairn_practice_list_staff (db, &error);
  g_assert_cmpstr (member (staff, fixture->desk)->hours, ==, "mon,wed 09:00-17:00");
  g_assert_null (member (staff, me)->hours);
  hours = cairn_practice_get_staff_hours (db, fixture->desk, &error);
  g_assert_cmpstr (hours, ==, "mon,wed 09:00-17:00");
  g_clear_pointer (&hours, g_free);

  /* Cleared: the practice's hours again, and one audit entry. */
  g_assert_true (cairn_practice_clear_staff_hours (db, fixture->desk, me, &error));
  g_assert_no_error (error);
  hours = cairn_practice_get_staff_hours (db, fixture->desk, &error);
  g_assert_no_error (error);
  g_assert_null (hours);
  g_assert_cmpuint (audit_count (fixture, "staff.hours-clear"), ==, 1);

  /* Clearing nothing is no change, and nothing is audited. */
  g_assert_true (cairn_practice_clear_staff_hours (db, fixture->desk, me, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (audit_count (fixture, "staff.hours-clear"), ==, 1);

  g_assert_false (cairn_practice_clear_staff_hours (db, "no-such-person", me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND);
}

static void
test_parse_day (void)
{
  struct {
    const char *text;
    const char *expected;    /* the day read, or part of the message */
  } cases[] = {
    { "2026-12-24", "2026-12-24" },
    { "  2028-02-29 ", "2028-02-29" },
    { "", "Enter the date" },
    { "   ", "Enter the date" },
    { "24.12.2026", "year-month-day" },
    { "2026-12-4", "year-month-day" },
    { "2026/12/24", "year-month-day" },
    { "2026-12-24x", "year-month-day" },
    { "Christmas", "year-month-day" },
    { "2026-02-29", "There is no such day as 2026-02-29." },
    { "2026-13-01", "There is no such day" },
    { "2026-00-10", "There is no such day" },
    { "0000-01-01", "There is no such day" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GDate d;

      g_test_message ("“%s”", cases[i].text);
      if (cairn_practice_parse_day (cases[i].text, &d, &error))
        {
          char text[16];

          g_assert_no_error (error);
          g_date_strftime (text, sizeof text, "%Y-%m-%d", &d);
          g_assert_cmpstr (text, ==, cases[i].expected);
        }
      else
        {
          g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
          g_assert_false (g_date_valid (&d));
          g_assert_nonnull (strstr (error->message, cases[i].expected));
        }
    }
}

static void
test_format_day (void)
{
  GDate d = day ("2026-12-24");
  g_autofree char *text = cairn_practice_format_day (&d);

  /* The tests run in the C locale. */
  g_assert_cmpstr (text, ==, "Thu 24 Dec 2026");

  if (g_test_undefined ())
    {
      GDate invalid;
      char *none;

      g_date_clear (&invalid, 1);
      g_test_expect_message ("cairn-store", G_LOG_LEVEL_CRITICAL, "*g_date_valid*");
      none = cairn_practice_format_day (&invalid);
      g_test_assert_expected_messages ();
      g_assert_null (none);
    }
}

static void
test_closed_days (Fixture       *fixture,
                  gconstpointer  data)
{
  CairnDatabase *db = fixture->db;
  const char *me = fixture->me;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autofree char *long_reason = g_strnfill (201, 'x');
  GDate christmas_eve = day ("2026-12-24");
  GDate boxing_day = day ("2026-12-26");
  GDate last_year = day ("2025-12-24");
  GDate today = day ("2026-06-01");
  CairnClosedDay *first;

  g_assert_true (cairn_practice_add_closed_day (db, &boxing_day, "  ", me, &error));
  g_assert_true (cairn_practice_add_closed_day (db, &christmas_eve, " Christmas Eve ", me, &error));
  g_assert_true (cairn_practice_add_closed_day (db, &last_year, "Christmas Eve", me, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (audit_count (fixture, "settings.closed-day"), ==, 3);

  /* A day closed twice is likely a mistyped date: refused, saying which. */
  g_assert_false (cairn_practice_add_closed_day (db, &christmas_eve, "Again", me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The practice is already closed on Thu 24 Dec 2026.");
  g_clear_error (&error);
  g_assert_false (cairn_practice_add_closed_day (db, &today, long_reason, me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture, "settings.closed-day"), ==, 3);

  /* From a day on, in order; a blank reason is none. */
  days = cairn_practice_list_closed_days (db, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 2);
  first = g_ptr_array_index (days, 0);
  g_assert_cmpint (g_date_compare (&first->day, &christmas_eve), ==, 0);
  g_assert_cmpstr (first->reason, ==, "Christmas Eve");
  g_assert_cmpint (g_date_compare (&((CairnClosedDay *) g_ptr_array_index (days, 1))->day,
                                   &boxing_day), ==, 0);
  g_assert_null (((CairnClosedDay *) g_ptr_array_index (days, 1))->reason);
  g_clear_pointer (&days, g_ptr_array_unref);

  /* The day itself counts as "from". */
  days = cairn_practice_list_closed_days (db, &boxing_day, &error);
  g_assert_cmpuint (days->len, ==, 1);
  g_clear_pointer (&days, g_ptr_array_unref);

  /* Past ones too, on request. */
  days = cairn_practice_list_closed_days (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 3);
  g_assert_cmpint (g_date_compare (&((CairnClosedDay *) g_ptr_array_index (days, 0))->day,
                                   &last_year), ==, 0);
  g_clear_pointer (&days, g_ptr_array_unref);

  /* The conflict engine sees what is closed. */
  {
    g_autoptr(CairnPracticeRules) rules = cairn_practice_rules_load (db, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cairn_practice_rules_get (rules)->n_closed_days, ==, 3);
  }

  g_assert_true (cairn_practice_remove_closed_day (db, &christmas_eve, me, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (audit_count (fixture, "settings.closed-day-remove"), ==, 1);
  days = cairn_practice_list_closed_days (db, &today, &error);
  g_assert_cmpuint (days->len, ==, 1);

  g_assert_false (cairn_practice_remove_closed_day (db, &christmas_eve, me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The practice is not closed on Thu 24 Dec 2026.");
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture, "settings.closed-day-remove"), ==, 1);

  /* Open again, it can be closed again. */
  g_assert_true (cairn_practice_add_closed_day (db, &christmas_eve, NULL, me, &error));
  g_assert_no_error (error);
}

static void
test_rename_room (Fixture       *fixture,
                  gconstpointer  data)
{
  CairnDatabase *db = fixture->db;
  const char *me = fixture->me;
  g_autoptr(GError) error = NULL;
  g_autofree char *one = cairn_schedule_add_room (db, "Room 1", me, &error);
  g_autofree char *garden = cairn_schedule_add_room (db, "Garden Room", me, &error);
  g_autofree char *name = NULL;
  g_autofree char *too_long = g_strnfill (61, 'r');
  g_autoptr(GPtrArray) rooms = NULL;
  gint64 now;

  g_assert_no_error (error);
  g_assert_true (cairn_practice_rename_room (db, one, "  Quiet Room  ", me, &error));
  g_assert_no_error (error);
  name = cairn_database_query_text (db, "SELECT name FROM rooms WHERE id = ?",
                                    (const char *[]) { one }, 1,
                                    &error);
  g_assert_cmpstr (name, ==, "Quiet Room");
  g_assert_cmpuint (audit_count (fixture, "room.rename"), ==, 1);

  /* The same name is no change; another case of it is. */
  g_assert_true (cairn_practice_rename_room (db, one, "Quiet Room", me, &error));
  g_assert_cmpuint (audit_count (fixture, "room.rename"), ==, 1);
  g_assert_true (cairn_practice_rename_room (db, one, "quiet room", me, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (audit_count (fixture, "room.rename"), ==, 2);

  /* Another room's name, in any case, is taken. */
  g_assert_false (cairn_practice_rename_room (db, one, "GARDEN ROOM", me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "There is already a room called “GARDEN ROOM”.");
  g_clear_error (&error);
  g_assert_false (cairn_practice_rename_room (db, one, "   ", me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_practice_rename_room (db, one, too_long, me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_practice_rename_room (db, "no-such-room", "Attic", me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture, "room.rename"), ==, 2);

  /* An archived room's name is free again, and the archived room cannot be renamed. */
  now = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_true (cairn_practice_archive_room (db, garden, now, me, &error));
  g_assert_no_error (error);
  g_assert_true (cairn_practice_rename_room (db, one, "Garden Room", me, &error));
  g_assert_no_error (error);
  g_assert_false (cairn_practice_rename_room (db, garden, "Old Garden", me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND);

  rooms = cairn_agenda_list_rooms (db, NULL);
  g_assert_cmpuint (rooms->len, ==, 1);
  g_assert_cmpstr (((CairnNamed *) g_ptr_array_index (rooms, 0))->id, ==, one);
  g_assert_cmpstr (((CairnNamed *) g_ptr_array_index (rooms, 0))->name, ==, "Garden Room");
}

static char *
book (Fixture    *fixture,
      const char *patient,
      gint64      start,
      const char *room)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();
  const char *me = fixture->me;
  const char *staff[] = { me, NULL };

  a->patient_id = g_strdup (patient);
  a->type_id = g_strdup ("integration");
  a->start = start;
  a->end = start + 3600;
  a->room_id = g_strdup (room);
  a->staff_ids = g_strdupv ((char **) staff);
  /* With a reason: near midnight an hour-long visit runs into the next
   * day, outside the practice's hours, and the test is not about hours. */
  g_assert_true (cairn_schedule_book (fixture->db, a, 1, TRUE, "Booked for the test", me, &error));
  g_assert_no_error (error);
  return g_strdup (a->id);
}

static void
test_archive_room (Fixture       *fixture,
                   gconstpointer  data)
{
  CairnDatabase *db = fixture->db;
  const char *me = fixture->me;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatient) patient = cairn_patient_new ();
  g_autofree char *room = cairn_schedule_add_room (db, "Room 1", me, &error);
  g_autofree char *past = NULL;
  g_autofree char *now_running = NULL;
  g_autofree char *next_week = NULL;
  g_autofree char *cancelled = NULL;
  g_autofree char *archived = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GPtrArray) rooms = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_assert_true (cairn_schedule_set_practice_hours (db, "mon-sun 00:00-24:00", me, &error));
  patient->legal_name = g_strdup ("Carmen Delgado");
  patient->date_of_birth = g_strdup ("1990-06-15");
  g_assert_true (cairn_patients_save (db, patient, me, &error));

  /* What happened in the room before keeps nothing from archiving it. */
  past = book (fixture, patient->id, now - 10 * 86400, room);
  g_assert_true (cairn_schedule_set_status (db, past, "completed", NULL, me, &error));
  cancelled = book (fixture, patient->id, now + 3 * 86400, room);
  g_assert_true (cairn_schedule_set_status (db, cancelled, "cancelled", "Ill", me, &error));

  /* A session under way now, checked in, and one next week do. */
  now_running = book (fixture, patient->id, now - 1800, room);
  g_assert_true (cairn_schedule_set_status (db, now_running, "checked-in", NULL, me, &error));
  next_week = book (fixture, patient->id, now + 7 * 86400, room);
  g_assert_no_error (error);

  g_assert_false (cairn_practice_archive_room (db, room, now, me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "“Room 1” still has 2 appointments booked from now on. Move them to another "
                                       "room or cancel them, then archive the room.");
  g_clear_error (&error);

  g_assert_true (cairn_schedule_set_status (db, now_running, "completed", NULL, me, &error));
  g_assert_false (cairn_practice_archive_room (db, room, now, me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "“Room 1” still has 1 appointment booked from now on. Move it to another "
                                       "room or cancel it, then archive the room.");
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture, "room.archive"), ==, 0);

  /* Seen from after it, the booking is past. */
  g_assert_true (cairn_practice_archive_room (db, room, now + 8 * 86400, me, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (audit_count (fixture, "room.archive"), ==, 1);
  archived = cairn_database_query_text (db,
                                        "SELECT archived_at IS NOT NULL FROM rooms WHERE id = ?",
                                        (const char *[]) { room }, 1, &error);
  g_assert_cmpstr (archived, ==, "1");
  rooms = cairn_agenda_list_rooms (db, &error);
  g_assert_cmpuint (rooms->len, ==, 0);

  /* Archived once is archived. */
  g_assert_false (cairn_practice_archive_room (db, room, now, me, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Its name is free for a new room. */
  again = cairn_schedule_add_room (db, "Room 1", me, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  g_test_add_func ("/practice-setup/parse-day", test_parse_day);
  g_test_add_func ("/practice-setup/format-day", test_format_day);
  g_test_add ("/practice-setup/zone-and-hours", Fixture, NULL,
              fixture_set_up, test_zone_and_hours, fixture_tear_down);
  g_test_add ("/practice-setup/staff-hours", Fixture, NULL,
              fixture_set_up, test_staff_hours, fixture_tear_down);
  g_test_add ("/practice-setup/closed-days", Fixture, NULL,
              fixture_set_up, test_closed_days, fixture_tear_down);
  g_test_add ("/practice-setup/rename-room", Fixture, NULL,
              fixture_set_up, test_rename_room, fixture_tear_down);
  g_test_add ("/practice-setup/archive-room", Fixture, NULL,
              fixture_set_up, test_archive_room, fixture_tear_down);
  return g_test_run ();
}
