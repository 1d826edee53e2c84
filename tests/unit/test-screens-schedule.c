/* test-screens-schedule.c
 *
 * The Schedule page's read and its background work, on the demo practice
 * and with no display, each run on the vault's worker as the page runs it:
 *
 *  - the read: the practice's rules and today only when asked for, the
 *    appointments of the range (every one overlapping it, none outside),
 *    none for an empty range;
 *  - a move onto a colleague's appointment of the same clinician refused
 *    as a conflict, nothing written; with a reason written and read back;
 *    back again without one;
 *  - the count of the booked sessions that follow one of a course;
 *  - the day sheet saved as a PDF and its export audited, read for
 *    printing with the audit head after it, its printing recorded;
 *  - a clinician's calendar written as iCalendar and its export audited;
 *  - the staff, with the clinicians marked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-day-sheet.h"
#include "cairn-demo.h"
#include "cairn-schedule-screen.h"
#include "cairn-test-answer.h"
#include "cairn-test-demo.h"
#include "cairn-test-tree.h"
#include "cairn-vfs.h"

#define DAY (24 * 60 * 60)

/* One demo practice for every test here: it takes seconds to make. */
static char       *parent;
static char       *dir;
static CairnVault *demo;
static gint64      now;

static int
count (const char *sql,
       const char *arg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cairn_database_query_text (cairn_vault_get_practice (demo), sql, &arg,
                                                     arg != NULL ? 1 : 0, &error);

  g_assert_no_error (error);
  return text != NULL ? atoi (text) : 0;
}

static int
audited (const char *action)
{
  return count ("SELECT count(*) FROM audit WHERE action = ?", action);
}

static CairnScheduleScreen *
load (gint64   from,
      gint64   to,
      gboolean with_rules)
{
  g_autoptr(GError) error = NULL;
  CairnScheduleScreen *screen = cairn_schedule_screen_load (demo, from, to, with_rules, now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (screen);
  return screen;
}

static const CairnAppointment *
find (GPtrArray  *items,
      const char *id)
{
  for (guint i = 0; i < items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->appointment->id, id) == 0)
        return item->appointment;
    }
  return NULL;
}

static void
test_load (void)
{
  g_autoptr(CairnScheduleScreen) first = NULL;
  g_autoptr(CairnScheduleScreen) week = NULL;
  g_autoptr(CairnScheduleScreen) empty = NULL;
  g_autofree char *from_text = g_strdup_printf ("%" G_GINT64_FORMAT, now - 7 * DAY);
  g_autofree char *to_text = g_strdup_printf ("%" G_GINT64_FORMAT, now + 7 * DAY);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = NULL;
  int expected;

  /* The first read: the rules, and today in the practice's zone. */
  first = load (0, 0, TRUE);
  g_assert_nonnull (first->rules);
  g_assert_null (first->items);
  local = g_date_time_to_timezone (utc, cairn_practice_rules_get (first->rules)->zone);
  g_assert_true (g_date_valid (&first->today));
  g_assert_cmpint (g_date_get_year (&first->today), ==, g_date_time_get_year (local));
  g_assert_cmpint (g_date_get_month (&first->today), ==, g_date_time_get_month (local));
  g_assert_cmpint (g_date_get_day (&first->today), ==, g_date_time_get_day_of_month (local));

  /* A fortnight around now: every appointment overlapping it. */
  week = load (now - 7 * DAY, now + 7 * DAY, FALSE);
  g_assert_null (week->rules);
  g_assert_false (g_date_valid (&week->today));
  g_assert_nonnull (week->items);
  {
    g_autofree char *query = g_strdup_printf ("SELECT count(*) FROM appointments WHERE start_utc < %s"
                                              " AND end_utc > %s", to_text, from_text);

    expected = count (query, NULL);
  }
  g_assert_cmpint (expected, >, 0);
  g_assert_cmpint ((int) week->items->len, ==, expected);
  for (guint i = 0; i < week->items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (week->items, i);

      g_assert_cmpint (item->appointment->start, <, now + 7 * DAY);
      g_assert_cmpint (item->appointment->end, >, now - 7 * DAY);
    }

  empty = load (now, now, FALSE);
  g_assert_null (empty->items);
}

static gboolean
move (const CairnAppointment *appointment,
      gint64                  start,
      const char             *reason,
      guint                  *moved,
      GError                **error)
{
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autoptr(GAsyncResult) answer = NULL;

  cairn_schedule_move_async (demo, protocol, appointment->id, start,
                             start + appointment->end - appointment->start, FALSE, reason, NULL,
                             cairn_test_answered_cb, &answer);
  return cairn_schedule_move_finish (demo, cairn_test_wait_answer (&answer), moved, error);
}

/* Some demo courses were booked over clashes: one that stays where it is
 * without a reason has a slot of its own to go back to. */
static gboolean
clashes_in_place (const CairnAppointment *appointment)
{
  g_autoptr(GError) error = NULL;

  return !move (appointment, appointment->start, NULL, NULL, &error);
}

/* Two booked appointments a day or more ahead with a clinician in common,
 * the first in a slot of its own. */
static void
find_pair (GPtrArray               *items,
           const CairnAppointment **a,
           const CairnAppointment **b)
{
  for (guint i = 0; i < items->len; i++)
    for (guint j = 0; j < items->len; j++)
      {
        const CairnAppointment *x = ((CairnAgendaItem *) g_ptr_array_index (items, i))->appointment;
        const CairnAppointment *y = ((CairnAgendaItem *) g_ptr_array_index (items, j))->appointment;

        if (i == j || x->start < now + DAY || y->start < now + DAY || g_strcmp0 (x->status, "booked") != 0 ||
            g_strcmp0 (y->status, "booked") != 0 || x->staff_ids == NULL || y->staff_ids == NULL ||
            x->staff_ids[0] == NULL || !g_strv_contains ((const char * const *) y->staff_ids, x->staff_ids[0]) ||
            g_strcmp0 (x->patient_id, y->patient_id) == 0 || clashes_in_place (x))
          continue;
        *a = x;
        *b = y;
        return;
      }
  g_assert_not_reached ();
}

static void
test_move (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnScheduleScreen) screen = load (now, now + 28 * DAY, FALSE);
  g_autoptr(CairnScheduleScreen) after = NULL;
  g_autoptr(CairnScheduleScreen) back = NULL;
  g_autoptr(CairnAppointment) a = NULL;
  const CairnAppointment *found_a = NULL, *found_b = NULL;
  gint64 target;
  guint moved = 0;
  int moves_before;

  find_pair (screen->items, &found_a, &found_b);
  moves_before = audited ("appointment.move");
  a = cairn_appointment_copy (found_a);
  target = found_b->start;

  /* Onto the clinician's other appointment: a clash, and nothing moves. */
  g_assert_false (move (a, target, NULL, &moved, &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpuint (moved, ==, 0);
  g_clear_error (&error);
  g_assert_cmpint (audited ("appointment.move"), ==, moves_before);

  /* With a reason it goes ahead, and the read shows it there. */
  g_assert_true (move (a, target, "The co-therapist takes the other", &moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (moved, ==, 1);
  after = load (now, now + 28 * DAY, FALSE);
  g_assert_cmpint (find (after->items, a->id)->start, ==, target);
  g_assert_cmpint (find (after->items, a->id)->end, ==, target + a->end - a->start);
  /* The reason is in the trail, on the appointment moved. */
  g_assert_cmpint (audited ("appointment.move"), >, moves_before);
  g_assert_cmpint (count ("SELECT count(*) FROM audit WHERE action = 'appointment.move' AND entity = ?"
                          " AND detail LIKE '%: The co-therapist takes the other'", a->id), ==, 1);

  /* Back where it was, where nothing clashes: no reason needed. */
  g_assert_true (move (a, a->start, NULL, &moved, &error));
  g_assert_no_error (error);
  back = load (now, now + 28 * DAY, FALSE);
  g_assert_cmpint (find (back->items, a->id)->start, ==, a->start);
}

static void
test_count_following (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnScheduleScreen) screen = load (now - 365 * DAY, now + 365 * DAY, FALSE);
  const CairnAppointment *first = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  int expected = 0;
  int following;

  /* The first booked session of a course with booked sessions after it. */
  for (guint i = 0; i < screen->items->len && first == NULL; i++)
    {
      const CairnAppointment *a = ((CairnAgendaItem *) g_ptr_array_index (screen->items, i))->appointment;

      for (guint j = 0; a->course_id != NULL && j < screen->items->len; j++)
        {
          const CairnAppointment *b = ((CairnAgendaItem *) g_ptr_array_index (screen->items, j))->appointment;

          if (g_strcmp0 (b->course_id, a->course_id) == 0 && b->start > a->start &&
              g_strcmp0 (b->status, "booked") == 0)
            expected++;
        }
      if (expected > 0)
        first = a;
    }
  g_assert_nonnull (first);

  cairn_schedule_count_following_async (demo, first->id, NULL, cairn_test_answered_cb, &answer);
  following = cairn_schedule_count_following_finish (demo, cairn_test_wait_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_cmpint (following, ==, expected);
}

/* The practice's day of the booked appointment nearest now. */
static void
busy_day (GDate *day)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *start = cairn_database_query_text (cairn_vault_get_practice (demo),
                                                      "SELECT start_utc FROM appointments WHERE status = 'booked'"
                                                      " ORDER BY abs (start_utc - strftime ('%s', 'now')) LIMIT 1",
                                                      NULL, 0, &error);
  g_autoptr(CairnScheduleScreen) rules = load (0, 0, TRUE);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (start);
  utc = g_date_time_new_from_unix_utc (g_ascii_strtoll (start, NULL, 10));
  local = g_date_time_to_timezone (utc, cairn_practice_rules_get (rules->rules)->zone);
  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

static void
test_day_sheet (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autofree char *sheet_dir = g_dir_make_tmp ("cairn-sheet-XXXXXX", &error);
  g_autofree char *path = g_build_filename (sheet_dir, "day-sheet.pdf", NULL);
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GAsyncResult) printed = NULL;
  g_autoptr(CairnScheduleSheet) sheet = NULL;
  g_autofree char *written = NULL;
  g_autofree char *pdf = NULL;
  gsize length = 0;
  guint entries = 0;
  int exports_before = audited ("day-sheet.export");
  int prints_before = audited ("day-sheet.print");
  GDate day;

  g_assert_no_error (error);
  busy_day (&day);

  cairn_schedule_save_day_sheet_async (demo, &day, protocol, path, NULL, cairn_test_answered_cb, &saved);
  written = cairn_schedule_export_finish (demo, cairn_test_wait_answer (&saved), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (written, ==, path);
  g_assert_true (g_file_get_contents (path, &pdf, &length, NULL));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_cmpint (audited ("day-sheet.export"), ==, exports_before + 1);

  /* Read for printing: its lines, and the trail as it stands after them. */
  cairn_schedule_read_day_sheet_async (demo, &day, protocol, NULL, cairn_test_answered_cb, &read);
  sheet = cairn_schedule_read_day_sheet_finish (demo, cairn_test_wait_answer (&read), &error);
  g_assert_no_error (error);
  g_assert_nonnull (sheet);
  g_assert_cmpint (g_date_compare (&sheet->day, &day), ==, 0);
  g_assert_nonnull (sheet->practice);
  g_assert_nonnull (sheet->zone);
  g_assert_cmpuint (sheet->rows->len, >, 0);
  g_assert_true (cairn_audit_get_head (cairn_vault_get_practice (demo), &entries, NULL, &error));
  g_assert_cmpuint (sheet->audit_head.entries, ==, entries);

  cairn_schedule_record_print_async (demo, &day, NULL, cairn_test_answered_cb, &printed);
  g_assert_true (cairn_schedule_record_print_finish (demo, cairn_test_wait_answer (&printed), &error));
  g_assert_no_error (error);
  g_assert_cmpint (audited ("day-sheet.print"), ==, prints_before + 1);
  cairn_test_remove_tree (sheet_dir);
}

static GPtrArray *
list_staff (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  GPtrArray *staff;

  cairn_schedule_list_staff_async (demo, NULL, cairn_test_answered_cb, &answer);
  staff = cairn_schedule_list_staff_finish (demo, cairn_test_wait_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (staff);
  return staff;
}

static void
test_staff (void)
{
  g_autoptr(GPtrArray) staff = list_staff ();
  guint clinicians = 0;

  g_assert_cmpint ((int) staff->len, ==, count ("SELECT count(*) FROM users WHERE deleted_at IS NULL", NULL));
  for (guint i = 0; i < staff->len; i++)
    {
      const CairnNamed *person = g_ptr_array_index (staff, i);

      g_assert_nonnull (person->id);
      g_assert_nonnull (person->name);
      g_assert_cmpint (person->clinician, ==,
                       count ("SELECT count(*) FROM users WHERE id = ? AND role = 'clinician'", person->id));
      clinicians += person->clinician;
    }
  g_assert_cmpuint (clinicians, >, 0);
}

static void
test_calendar (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autoptr(GPtrArray) staff = list_staff ();
  g_autofree char *ics_dir = g_dir_make_tmp ("cairn-ics-XXXXXX", &error);
  g_autofree char *path = g_build_filename (ics_dir, "appointments.ics", NULL);
  g_autoptr(GAsyncResult) answer = NULL;
  g_autofree char *written = NULL;
  g_autofree char *ics = NULL;
  const CairnNamed *clinician = NULL;
  int exports_before = audited ("schedule.export");

  g_assert_no_error (error);
  for (guint i = 0; i < staff->len && clinician == NULL; i++)
    if (((CairnNamed *) g_ptr_array_index (staff, i))->clinician)
      clinician = g_ptr_array_index (staff, i);
  g_assert_nonnull (clinician);

  cairn_schedule_export_calendar_async (demo, clinician->id, now - 7 * DAY, now + 13 * 7 * DAY, protocol,
                                        FALSE, path, NULL, cairn_test_answered_cb, &answer);
  written = cairn_schedule_export_finish (demo, cairn_test_wait_answer (&answer), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (written, ==, path);
  g_assert_true (g_file_get_contents (path, &ics, NULL, NULL));
  g_assert_true (g_str_has_prefix (ics, "BEGIN:VCALENDAR"));
  g_assert_nonnull (strstr (ics, "BEGIN:VEVENT"));
  g_assert_nonnull (strstr (ics, "END:VCALENDAR"));
  g_assert_cmpint (audited ("schedule.export"), ==, exports_before + 1);
  cairn_test_remove_tree (ics_dir);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) clock = g_date_time_new_now_utc ();
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  now = g_date_time_to_unix (clock);
  parent = cairn_test_demo_make ("cairn-screens-schedule-XXXXXX", clock, &dir);
  demo = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);

  g_test_add_func ("/screens-schedule/load", test_load);
  g_test_add_func ("/screens-schedule/move", test_move);
  g_test_add_func ("/screens-schedule/count-following", test_count_following);
  g_test_add_func ("/screens-schedule/day-sheet", test_day_sheet);
  g_test_add_func ("/screens-schedule/staff", test_staff);
  g_test_add_func ("/screens-schedule/calendar", test_calendar);

  status = g_test_run ();
  g_clear_object (&demo);
  cairn_test_remove_tree (parent);
  g_free (dir);
  g_free (parent);
  return status;
}
