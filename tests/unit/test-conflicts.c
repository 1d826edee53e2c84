/* test-conflicts.c
 *
 * The conflict engine, case by case from a table: clashes of patient, staff
 * and room; staffing and rooms; closed days; practice and staff hours in
 * local time across a daylight-saving change; and bad bookings. Also the
 * reading of hours as people write them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "cairn-conflicts.h"

static GTimeZone *berlin;

/* "2026-11-23 09:00" in Berlin, as UTC seconds. */
static gint64
at (const char *local)
{
  int y, mo, d, h, mi;
  g_autoptr(GDateTime) time = NULL;

  g_assert_cmpint (sscanf (local, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), ==, 5);
  time = g_date_time_new (berlin, y, mo, d, h, mi, 0);
  return g_date_time_to_unix (time);
}

static const char * const t1[] = { "t1", NULL };
static const char * const t2[] = { "t2", NULL };
static const char * const t3[] = { "t3", NULL };
static const char * const t1_t2[] = { "t1", "t2", NULL };
static const char * const t2_t3[] = { "t2", "t3", NULL };

typedef struct
{
  const char         *name;
  const char         *id;
  const char         *patient;
  const char         *room;
  const char * const *staff;
  const char         *start;
  const char         *end;
  guint               staff_needed;
  gboolean            needs_room;
  const char         *expected;   /* the conflicts, as "KIND:other:who ..." */
} Case;

static const char *
kind_name (CairnConflictKind kind)
{
  static const char * const names[] = {
    "invalid", "patient", "staff", "room", "staffing", "no-room", "closed", "practice-hours", "staff-hours",
  };

  return names[kind];
}

static char *
describe (GPtrArray *conflicts)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < conflicts->len; i++)
    {
      const CairnConflict *c = g_ptr_array_index (conflicts, i);

      g_string_append_printf (text, "%s%s", i > 0 ? " " : "", kind_name (c->kind));
      if (c->other_id != NULL || c->who != NULL)
        g_string_append_printf (text, ":%s", c->other_id != NULL ? c->other_id : "");
      if (c->who != NULL)
        g_string_append_printf (text, ":%s", c->who);
    }
  return g_string_free (text, FALSE);
}

static void
test_table (void)
{
  CairnWeekHours practice, t1_hours;
  g_autoptr(GError) error = NULL;
  GDate closed[1];
  CairnStaffHours staff[2];
  CairnScheduleRules rules;
  CairnBooking existing[3];
  const Case cases[] = {
    { "a free slot", NULL, "p3", "r2", t2, "2026-11-23 14:00", "2026-11-23 15:30", 1, TRUE, "" },
    { "the patient is booked then", NULL, "p1", "r3", t3, "2026-11-23 09:30", "2026-11-23 10:00", 1, TRUE,
      "patient:A" },
    { "touching is not overlapping", NULL, "p1", "r3", t3, "2026-11-23 10:30", "2026-11-23 11:30", 1, TRUE, "" },
    /* Back to back with A (p1, r1, t1, 09:00-10:30): ending as it begins,
     * or beginning as it ends, is no clash for the patient, the therapist
     * or the room; one minute more is. */
    { "ends as the patient's next begins", NULL, "p1", "r3", t3, "2026-11-23 08:00", "2026-11-23 09:00", 1, TRUE,
      "" },
    { "ends as the therapist's next begins", NULL, "p4", "r3", t1, "2026-11-23 08:00", "2026-11-23 09:00", 1,
      TRUE, "" },
    { "ends as the room's next booking begins", NULL, "p4", "r1", t3, "2026-11-23 08:00", "2026-11-23 09:00", 1,
      TRUE, "" },
    { "the same three, just before", NULL, "p1", "r1", t1, "2026-11-23 08:00", "2026-11-23 09:00", 1, TRUE, "" },
    { "the therapist, just after", NULL, "p4", "r3", t1, "2026-11-23 10:30", "2026-11-23 11:00", 1, TRUE, "" },
    { "the room, just after", NULL, "p4", "r1", t3, "2026-11-23 10:30", "2026-11-23 11:00", 1, TRUE, "" },
    { "the same three, just after", NULL, "p1", "r1", t1, "2026-11-23 10:30", "2026-11-23 11:30", 1, TRUE, "" },
    { "one minute into the start", NULL, "p1", "r1", t1, "2026-11-23 08:00", "2026-11-23 09:01", 1, TRUE,
      "patient:A staff:A:t1 room:A:r1" },
    { "one minute before the end", NULL, "p1", "r1", t1, "2026-11-23 10:29", "2026-11-23 11:30", 1, TRUE,
      "patient:A staff:A:t1 room:A:r1" },
    { "a therapist is booked then", NULL, "p4", "r3", t1, "2026-11-23 10:00", "2026-11-23 10:15", 1, TRUE,
      "staff:A:t1" },
    { "both therapists are", NULL, "p4", "r3", t1_t2, "2026-11-23 10:15", "2026-11-23 10:45", 2, TRUE,
      "staff:A:t1 staff:B:t2" },
    { "the room is taken", NULL, "p4", "r1", t3, "2026-11-23 09:00", "2026-11-23 09:30", 1, TRUE,
      "room:A:r1" },
    { "a cancelled appointment blocks nothing", NULL, "p3", "r1", t1, "2026-11-23 12:00", "2026-11-23 13:00",
      1, TRUE, "" },
    { "moving an appointment does not clash with itself", "A", "p1", "r1", t1, "2026-11-23 09:30",
      "2026-11-23 10:00", 1, TRUE, "" },
    { "a medicine session needs two therapists", NULL, "p5", "r3", t3, "2026-11-24 09:00", "2026-11-24 17:00",
      2, TRUE, "staffing" },
    { "and a room", NULL, "p5", NULL, t2_t3, "2026-11-24 09:00", "2026-11-24 17:00", 2, TRUE, "no-room" },
    { "a phone check-in needs no room", NULL, "p5", NULL, t3, "2026-11-24 09:00", "2026-11-24 09:15", 1, FALSE,
      "" },
    { "closed on Christmas Eve", NULL, "p6", "r3", t3, "2026-12-24 09:00", "2026-12-24 10:00", 1, TRUE,
      "closed" },
    { "after the practice closes", NULL, "p6", "r3", t3, "2026-11-23 19:30", "2026-11-23 20:30", 1, TRUE,
      "practice-hours" },
    { "closed on Sundays", NULL, "p6", "r3", t3, "2026-11-29 10:00", "2026-11-29 11:00", 1, TRUE,
      "practice-hours" },
    { "Saturday mornings are open", NULL, "p6", "r3", t3, "2026-11-28 09:00", "2026-11-28 13:00", 1, TRUE, "" },
    { "but not the afternoon", NULL, "p6", "r3", t3, "2026-11-28 12:30", "2026-11-28 13:30", 1, TRUE,
      "practice-hours" },
    { "across midnight", NULL, "p6", "r3", t3, "2026-11-23 19:00", "2026-11-24 03:00", 1, TRUE,
      "practice-hours" },
    { "t1 does not work Fridays", NULL, "p6", "r3", t1, "2026-11-27 09:00", "2026-11-27 10:00", 1, TRUE,
      "staff-hours::t1" },
    { "nor after six", NULL, "p6", "r3", t1, "2026-11-26 17:00", "2026-11-26 18:30", 1, TRUE,
      "staff-hours::t1" },
    { "t2 has no hours of their own", NULL, "p6", "r3", t2, "2026-11-27 09:00", "2026-11-27 10:00", 1, TRUE, "" },
    /* Summer time ends in Berlin on 25 October 2026. At 08:30 local the
     * practice is open on both sides of it, though UTC reads 06:30 before
     * and 07:30 after. */
    { "08:30 in summer time", NULL, "p7", "r3", t3, "2026-10-23 08:30", "2026-10-23 09:30", 1, TRUE, "" },
    { "08:30 in winter time", NULL, "p7", "r3", t3, "2026-10-26 08:30", "2026-10-26 09:30", 1, TRUE, "" },
    { "07:30 in winter time is before opening", NULL, "p7", "r3", t3, "2026-10-26 07:30", "2026-10-26 08:30",
      1, TRUE, "practice-hours" },
    { "ends before it starts", NULL, "p8", "r3", t3, "2026-11-23 10:00", "2026-11-23 09:00", 1, TRUE,
      "invalid" },
    { "zero length", NULL, "p8", "r3", t3, "2026-11-23 10:00", "2026-11-23 10:00", 1, TRUE, "invalid" },
    { "longer than any appointment", NULL, "p1", "r1", t1, "2026-11-23 00:00", "2026-11-24 00:00", 1, TRUE,
      "invalid" },
    /* CAIRN_BOOKING_MAX_SECONDS is 16 hours: that long is a booking (and
     * outside the practice's hours), a minute more is not. */
    { "as long as an appointment may be", NULL, "p9", "r3", t3, "2026-11-24 04:00", "2026-11-24 20:00", 1, TRUE,
      "practice-hours" },
    { "a minute longer", NULL, "p9", "r3", t3, "2026-11-24 04:00", "2026-11-24 20:01", 1, TRUE, "invalid" },
    { "everything at once", NULL, "p1", NULL, t1, "2026-11-23 09:00", "2026-11-23 10:00", 2, TRUE,
      "patient:A staff:A:t1 staffing no-room" },
  };

  g_assert_true (cairn_week_hours_parse ("mon-fri 08:00-20:00; sat 09:00-13:00", &practice, &error));
  g_assert_true (cairn_week_hours_parse ("mon-thu 08:00-18:00", &t1_hours, &error));
  g_assert_no_error (error);
  g_date_clear (closed, 1);
  g_date_set_dmy (&closed[0], 24, G_DATE_DECEMBER, 2026);
  staff[0] = (CairnStaffHours) { "t1", "Dr Ada Quell", &t1_hours };
  staff[1] = (CairnStaffHours) { "t2", "Ben Okafor", NULL };
  rules = (CairnScheduleRules) { berlin, &practice, closed, 1, staff, 2 };

  existing[0] = (CairnBooking) { "A", "p1", "r1", t1, at ("2026-11-23 09:00"), at ("2026-11-23 10:30"), FALSE };
  existing[1] = (CairnBooking) { "B", "p2", "r2", t2, at ("2026-11-23 10:00"), at ("2026-11-23 11:00"), FALSE };
  existing[2] = (CairnBooking) { "C", "p3", "r1", t1_t2, at ("2026-11-23 12:00"), at ("2026-11-23 13:00"), TRUE };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      CairnBooking booking = { c->id, c->patient, c->room, c->staff, at (c->start), at (c->end), FALSE };
      g_autoptr(GPtrArray) conflicts = cairn_conflicts_find (&booking, existing, G_N_ELEMENTS (existing),
                                                             c->staff_needed, c->needs_room, &rules);
      g_autofree char *found = describe (conflicts);

      g_test_message ("%s: %s", c->name, found);
      g_assert_cmpstr (found, ==, c->expected);
    }
}

static void
test_without_rules (void)
{
  CairnBooking booking = { NULL, "p1", "r1", t1, at ("2026-11-29 23:00"), at ("2026-11-30 01:00"), FALSE };
  g_autoptr(GPtrArray) conflicts = cairn_conflicts_find (&booking, NULL, 0, 1, TRUE, NULL);

  /* With no rules, only clashes count: Sunday night is fine. */
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_hours_parse (void)
{
  CairnWeekHours hours;
  struct {
    const char *text;
    const char *message_part;   /* NULL when it is fine */
  } cases[] = {
    { "", NULL },
    { "mon-fri 08:00-12:00, 13:00-18:00\nsat 09:00-13:00", NULL },
    { "MON,wed,Fri 07:30-24:00", NULL },
    { "monday 08:00-18:00", "days are written" },
    { "fri-mon 08:00-18:00", "days are written" },
    { "mon-tue-wed 08:00-18:00", "days are written" },
    { "mon 8-18", "HH:MM-HH:MM" },
    { "mon 08:00-25:00", "HH:MM-HH:MM" },
    { "mon 08:60-09:00", "HH:MM-HH:MM" },
    { "mon 08:00-24:30", "HH:MM-HH:MM" },
    { "mon 18:00-08:00", "end before they begin" },
    { "mon 09:00-09:00", "end before they begin" },
    { "mon 08:00-12:00, 11:00-13:00", "overlap" },
    { "mon-fri", "write the days, a space" },
    { "mon 01:00-02:00, 03:00-04:00, 05:00-06:00, 07:00-08:00, 09:00-10:00", "at most four" },
    { "\xff", "not valid text" },
    { "mon 08:00-12:00\n\xc3 09:00-10:00", "not valid text" },
    /* A later entry's mistake leaves nothing of the earlier ones. */
    { "mon-fri 08:00-12:00; sat 8-9", "HH:MM-HH:MM" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = cairn_week_hours_parse (cases[i].text, &hours, &error);

      g_autofree char *shown = g_utf8_make_valid (cases[i].text, -1);

      g_test_message ("“%s”: %s", shown, error != NULL ? error->message : "fine");
      if (cases[i].message_part == NULL)
        g_assert_no_error (error);
      else
        {
          g_assert_false (ok);
          g_assert_nonnull (strstr (error->message, cases[i].message_part));
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          for (guint day = 0; day < G_N_ELEMENTS (hours.day); day++)
            g_assert_cmpuint (hours.day[day].n_hours, ==, 0);
        }
    }

  g_assert_true (cairn_week_hours_parse ("mon-fri 08:00-12:00, 13:00-18:00\nsat 09:00-13:00", &hours, NULL));
  g_assert_cmpuint (hours.day[G_DATE_MONDAY].n_hours, ==, 2);
  g_assert_cmpuint (hours.day[G_DATE_FRIDAY].hours[1].open, ==, 13 * 60);
  g_assert_cmpuint (hours.day[G_DATE_SATURDAY].hours[0].close, ==, 13 * 60);
  g_assert_cmpuint (hours.day[G_DATE_SUNDAY].n_hours, ==, 0);
  g_assert_true (cairn_week_hours_parse ("MON,wed,Fri 07:30-24:00", &hours, NULL));
  g_assert_cmpuint (hours.day[G_DATE_WEDNESDAY].hours[0].close, ==, 24 * 60);
  g_assert_cmpuint (hours.day[G_DATE_TUESDAY].n_hours, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_assert_nonnull (berlin);

  g_test_add_func ("/conflicts/table", test_table);
  g_test_add_func ("/conflicts/without-rules", test_without_rules);
  g_test_add_func ("/conflicts/hours-parse", test_hours_parse);

  return g_test_run ();
}
