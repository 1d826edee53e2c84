/* test-course-planner.c
 *
 * The course planner, with fixed dates in Europe/Berlin: the default
 * template's whole course on the right days; items that step around a
 * therapist's or the patient's booking, a closed day, a therapist's working
 * days and a taken room; an item with nowhere to go, proposed at its target
 * with its conflicts; nine o'clock kept across the end of summer time;
 * moving an item alone and with what depends on it; and the plans that
 * cannot be made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "cairn-course-planner.h"

static GTimeZone *berlin;

/* A short course whose lengths differ from the default template's, so a
 * length written into the code would show: two 60-minute preparations, one
 * medicine session of 7 hours, one integration session the next day. */
static const char small_template[] =
  "{ \"format\": \"cairn-protocol\", \"version\": 1, \"id\": \"small\", \"name\": \"Small\","
  "  \"medicine\": \"X\","
  "  \"appointment_types\": ["
  "    { \"id\": \"prep\", \"name\": \"Prep\", \"phase\": \"preparation\", \"minutes\": 60,"
  "      \"staff\": 2, \"room\": true, \"by_phone\": false },"
  "    { \"id\": \"dose\", \"name\": \"Dose\", \"phase\": \"medicine-session\", \"minutes\": 420,"
  "      \"staff\": 2, \"room\": true, \"by_phone\": false },"
  "    { \"id\": \"integrate\", \"name\": \"Integrate\", \"phase\": \"integration\","
  "      \"minutes\": 60, \"staff\": 1, \"room\": true, \"by_phone\": false },"
  "    { \"id\": \"call\", \"name\": \"Call\", \"phase\": \"integration\", \"minutes\": 10,"
  "      \"staff\": 1, \"room\": false, \"by_phone\": true },"
  "    { \"id\": \"after\", \"name\": \"After\", \"phase\": \"follow-up\", \"minutes\": 60,"
  "      \"staff\": 1, \"room\": true, \"by_phone\": false }"
  "  ],"
  "  \"course\": {"
  "    \"preparation\": { \"type\": \"prep\", \"count\": 2, \"first_after_days\": 0,"
  "                     \"interval_days\": 7, \"tolerance_days\": 3 },"
  "    \"medicine_sessions\": { \"type\": \"dose\", \"count\": 1, \"first_after_days\": 7,"
  "                           \"interval_days\": 28, \"tolerance_days\": 7 },"
  "    \"integration\": { \"type\": \"integrate\", \"count\": 1, \"first_after_days\": 1,"
  "                     \"interval_days\": 7, \"tolerance_days\": 3 },"
  "    \"phone_check_ins\": { \"type\": \"call\", \"count\": 0, \"first_after_days\": 1,"
  "                         \"interval_days\": 1, \"tolerance_days\": 0 },"
  "    \"follow_up\": { \"type\": \"after\", \"count\": 0, \"first_after_days\": 60,"
  "                   \"interval_days\": 0, \"tolerance_days\": 14 }"
  "  } }";

static const char * const two_therapists[] = { "t1", "t2", NULL };
static const char * const two_rooms[] = { "r1", "r2", NULL };

typedef struct
{
  CairnProtocol     *protocol;
  CairnWeekHours     practice_hours;
  CairnWeekHours     staff_hours[2];
  CairnStaffHours    staff[2];
  guint              n_staff;
  GArray            *closed;     /* GDate */
  GArray            *existing;   /* CairnBooking */
  CairnScheduleRules rules;
  CairnPlanRequest   request;
} Fixture;

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

static char *
local (gint64 utc)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) there = g_date_time_to_timezone (time, berlin);

  return g_date_time_format (there, "%Y-%m-%d %H:%M");
}

static GDate
day (int y,
     int m,
     int d)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return date;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->protocol = cairn_protocol_new_from_data (small_template, -1, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_week_hours_parse ("mon-fri 08:00-18:00", &fixture->practice_hours, &error));
  g_assert_no_error (error);
  fixture->closed = g_array_new (FALSE, TRUE, sizeof (GDate));
  fixture->existing = g_array_new (FALSE, TRUE, sizeof (CairnBooking));

  fixture->rules.zone = berlin;
  fixture->rules.practice_hours = &fixture->practice_hours;
  fixture->request.rules = &fixture->rules;
  fixture->request.patient_id = "p";
  fixture->request.therapist_ids = two_therapists;
  fixture->request.room_ids = two_rooms;
  fixture->request.start_day = day (2026, 11, 2);   /* a Monday */
  fixture->request.preferred_minute = 9 * 60;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->protocol, cairn_protocol_unref);
  g_array_unref (fixture->closed);
  g_array_unref (fixture->existing);
}

static void
use_default_template (Fixture *fixture)
{
  g_clear_pointer (&fixture->protocol, cairn_protocol_unref);
  fixture->protocol = cairn_protocol_load_default ();
}

static void
add_booking (Fixture            *fixture,
             const char         *id,
             const char         *patient,
             const char         *room,
             const char * const *staff,
             const char         *start,
             const char         *end)
{
  CairnBooking booking = { id, patient, room, staff, at (start), at (end), FALSE };

  g_array_append_val (fixture->existing, booking);
}

static void
add_staff_hours (Fixture    *fixture,
                 const char *id,
                 const char *hours)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (fixture->n_staff, <, G_N_ELEMENTS (fixture->staff));
  g_assert_true (cairn_week_hours_parse (hours, &fixture->staff_hours[fixture->n_staff], &error));
  g_assert_no_error (error);
  fixture->staff[fixture->n_staff] = (CairnStaffHours) { id, id,
                                                         &fixture->staff_hours[fixture->n_staff] };
  fixture->n_staff++;
}

/* The request as the fixture now stands. */
static const CairnPlanRequest *
request (Fixture *fixture)
{
  fixture->rules.closed_days = (const GDate *) fixture->closed->data;
  fixture->rules.n_closed_days = fixture->closed->len;
  fixture->rules.staff = fixture->staff;
  fixture->rules.n_staff = fixture->n_staff;
  fixture->request.protocol = fixture->protocol;
  fixture->request.existing = (const CairnBooking *) fixture->existing->data;
  fixture->request.n_existing = fixture->existing->len;
  return &fixture->request;
}

static GPtrArray *
plan (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = cairn_course_plan (request (fixture), &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  for (guint i = 1; i < items->len; i++)
    g_assert_cmpint (((CairnPlannedItem *) items->pdata[i - 1])->start, <=,
                     ((CairnPlannedItem *) items->pdata[i])->start);
  return items;
}

/* "dose 1/1 2026-11-23 09:00" */
static char *
describe (const CairnPlannedItem *item)
{
  g_autofree char *start = local (item->start);

  return g_strdup_printf ("%s %u/%u %s", item->type_id, item->number, item->medicine_session,
                          start);
}

/* The first item of @type_id with @number after medicine session
 * @medicine_session (0: none), and its index in @items in @index. */
static CairnPlannedItem *
find (GPtrArray  *items,
      const char *type_id,
      guint       number,
      guint       medicine_session,
      guint      *index)
{
  for (guint i = 0; i < items->len; i++)
    {
      CairnPlannedItem *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->type_id, type_id) && item->number == number &&
          item->medicine_session == medicine_session)
        {
          if (index != NULL)
            *index = i;
          return item;
        }
    }
  g_assert_not_reached ();
}

/* The item of @items that is @item of another copy of the plan. */
static CairnPlannedItem *
find_same (GPtrArray              *items,
           const CairnPlannedItem *item)
{
  return find (items, item->type_id, item->number, item->medicine_session, NULL);
}

static CairnConflictKind
kind_of (const CairnPlannedItem *item,
         guint                   index)
{
  g_assert_cmpuint (index, <, item->conflicts->len);
  return ((const CairnConflict *) g_ptr_array_index (item->conflicts, index))->kind;
}

static void
assert_item (GPtrArray  *items,
             const char *type_id,
             guint       number,
             guint       medicine_session,
             const char *start,
             const char *room,
             int         n_conflicts)   /* -1: not checked */
{
  const CairnPlannedItem *item = find (items, type_id, number, medicine_session, NULL);
  g_autofree char *when = local (item->start);

  g_assert_cmpstr (when, ==, start);
  g_assert_cmpstr (item->room_id, ==, room);
  if (n_conflicts >= 0)
    g_assert_cmpuint (item->conflicts->len, ==, (guint) n_conflicts);
}

/* The whole default course: 3 preparation, 3 medicine, 3 × 3 integration,
 * 3 × 7 phone check-ins and 1 follow-up, every one on its day. */
static const char * const default_course[] = {
  "preparation 1/0 2026-11-02 09:00",
  "preparation 2/0 2026-11-09 09:00",
  "preparation 3/0 2026-11-16 09:00",
  "medicine-session 1/1 2026-11-23 09:00",  /* a week after the last preparation */
  "integration 1/1 2026-11-24 09:00",       /* the next day, then weekly */
  "phone-check-in 1/1 2026-11-24 10:30",    /* after that day's integration session */
  "phone-check-in 2/1 2026-11-25 09:00",
  "phone-check-in 3/1 2026-11-26 09:00",
  "phone-check-in 4/1 2026-11-27 09:00",
  "phone-check-in 5/1 2026-11-28 09:00",    /* Saturday: the practice is closed */
  "phone-check-in 6/1 2026-11-29 09:00",    /* Sunday */
  "phone-check-in 7/1 2026-11-30 09:00",
  "integration 2/1 2026-12-01 09:00",
  "integration 3/1 2026-12-08 09:00",
  "medicine-session 2/2 2026-12-21 09:00",  /* four weeks after the first */
  "integration 1/2 2026-12-22 09:00",
  "phone-check-in 1/2 2026-12-22 10:30",
  "phone-check-in 2/2 2026-12-23 09:00",
  "phone-check-in 3/2 2026-12-24 09:00",
  "phone-check-in 4/2 2026-12-25 09:00",
  "phone-check-in 5/2 2026-12-26 09:00",    /* Saturday */
  "phone-check-in 6/2 2026-12-27 09:00",    /* Sunday */
  "phone-check-in 7/2 2026-12-28 09:00",
  "integration 2/2 2026-12-29 09:00",
  "integration 3/2 2027-01-05 09:00",
  "medicine-session 3/3 2027-01-18 09:00",
  "integration 1/3 2027-01-19 09:00",
  "phone-check-in 1/3 2027-01-19 10:30",
  "phone-check-in 2/3 2027-01-20 09:00",
  "phone-check-in 3/3 2027-01-21 09:00",
  "phone-check-in 4/3 2027-01-22 09:00",
  "phone-check-in 5/3 2027-01-23 09:00",    /* Saturday */
  "phone-check-in 6/3 2027-01-24 09:00",    /* Sunday */
  "phone-check-in 7/3 2027-01-25 09:00",
  "integration 2/3 2027-01-26 09:00",
  "integration 3/3 2027-02-02 09:00",
  "follow-up 1/0 2027-03-19 09:00",         /* 60 days after the last medicine session */
};

static void
test_default_course (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;

  use_default_template (fixture);
  items = plan (fixture);

  g_assert_cmpuint (items->len, ==, 3 + 3 + 9 + 21 + 1);
  g_assert_cmpuint (items->len, ==, G_N_ELEMENTS (default_course));
  for (guint i = 0; i < items->len; i++)
    {
      const CairnPlannedItem *item = g_ptr_array_index (items, i);
      const CairnAppointmentType *type = cairn_protocol_find_type (fixture->protocol,
                                                                   item->type_id);
      g_autofree char *text = describe (item);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (item->start);
      g_autoptr(GDateTime) there = g_date_time_to_timezone (utc, berlin);
      gboolean weekend = g_date_time_get_day_of_week (there) >= 6;

      g_assert_cmpstr (text, ==, default_course[i]);

      /* Length, staffing and room from the template. */
      g_assert_nonnull (type);
      g_assert_cmpstr (item->type_name, ==, type->name);
      g_assert_cmpint (item->phase, ==, type->phase);
      g_assert_cmpint (item->end - item->start, ==, (gint64) type->minutes * 60);
      g_assert_cmpuint (item->staff_needed, ==, type->staff);
      g_assert_cmpuint (g_strv_length (item->staff_ids), ==, type->staff);
      g_assert_cmpstr (item->staff_ids[0], ==, "t1");
      if (type->staff == 2)
        g_assert_cmpstr (item->staff_ids[1], ==, "t2");
      g_assert_cmpint (item->needs_room, ==, type->needs_room);
      g_assert_cmpstr (item->room_id, ==, type->needs_room ? "r1" : NULL);

      /* Check-ins fall daily, weekends too, and there they show that the
       * practice is closed; everything else found a free slot. */
      if (weekend)
        {
          g_assert_cmpstr (item->type_id, ==, "phone-check-in");
          g_assert_cmpuint (item->conflicts->len, ==, 1);
          g_assert_cmpint (kind_of (item, 0), ==, CAIRN_CONFLICT_PRACTICE_HOURS);
        }
      else
        g_assert_cmpuint (item->conflicts->len, ==, 0);
    }
}

/* The other template Cairn ships plans too, with its own counts. */
static void
test_shipped_templates (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(GStrv) ids = cairn_protocol_list_shipped ();

  g_assert_cmpuint (g_strv_length (ids), >=, 1);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) items = NULL;
      const CairnCourseShape *course;
      guint n_medicine;

      g_clear_pointer (&fixture->protocol, cairn_protocol_unref);
      fixture->protocol = cairn_protocol_load_shipped (ids[i], &error);
      g_assert_no_error (error);
      course = cairn_protocol_get_course (fixture->protocol);
      n_medicine = course->medicine_sessions.count;
      items = plan (fixture);
      g_test_message ("%s: %u items", ids[i], items->len);
      g_assert_cmpuint (items->len, ==,
                        course->preparation.count + n_medicine +
                        n_medicine * (course->integration.count + course->phone_check_ins.count) +
                        course->follow_up.count);
    }
}

/* A therapist booked with someone else, then the patient booked elsewhere:
 * the item moves later that day, in 15-minute steps. */
static void
test_busy_therapist_and_patient (Fixture       *fixture,
                                 gconstpointer  data)
{
  static const char * const t2[] = { "t2", NULL };
  static const char * const t9[] = { "t9", NULL };
  g_autoptr(GPtrArray) items = NULL;

  add_booking (fixture, "other", "q", "r2", t2, "2026-11-02 08:30", "2026-11-02 10:00");
  add_booking (fixture, "own", "p", NULL, t9, "2026-11-09 09:00", "2026-11-09 09:40");
  /* A cancelled booking is no obstacle. */
  g_array_append_vals (fixture->existing,
                       &(CairnBooking) { "gone", "q", "r1", t2, at ("2026-11-16 09:00"),
                                         at ("2026-11-16 17:00"), TRUE }, 1);
  items = plan (fixture);

  g_assert_cmpuint (items->len, ==, 4);
  assert_item (items, "prep", 1, 0, "2026-11-02 10:00", "r1", 0);
  assert_item (items, "prep", 2, 0, "2026-11-09 09:45", "r1", 0);
  assert_item (items, "dose", 1, 1, "2026-11-16 09:00", "r1", 0);
  assert_item (items, "integrate", 1, 1, "2026-11-17 09:00", "r1", 0);

  /* The whole day is taken from 09:00 on: the next free time is earlier. */
  g_array_set_size (fixture->existing, 0);
  add_booking (fixture, "day", "q", NULL, t2, "2026-11-02 09:00", "2026-11-02 18:00");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = plan (fixture);
  assert_item (items, "prep", 1, 0, "2026-11-02 08:00", "r1", 0);
}

/* Days the practice is closed push an item to the next day within its
 * tolerance, and what depends on it follows where it landed. */
static void
test_closed_days (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  GDate closed[] = { day (2026, 11, 9), day (2026, 11, 16) };

  g_array_append_vals (fixture->closed, closed, G_N_ELEMENTS (closed));
  items = plan (fixture);

  g_assert_cmpuint (items->len, ==, 4);
  assert_item (items, "prep", 1, 0, "2026-11-02 09:00", "r1", 0);
  assert_item (items, "prep", 2, 0, "2026-11-10 09:00", "r1", 0);
  /* Seven days after the preparation as placed, not as planned. */
  assert_item (items, "dose", 1, 1, "2026-11-17 09:00", "r1", 0);
  assert_item (items, "integrate", 1, 1, "2026-11-18 09:00", "r1", 0);

  /* A weekly series keeps its weekday: the third preparation of the
   * default template is back on Monday after the second slipped. */
  use_default_template (fixture);
  g_array_set_size (fixture->closed, 1);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = plan (fixture);
  assert_item (items, "preparation", 2, 0, "2026-11-10 09:00", "r1", 0);
  assert_item (items, "preparation", 3, 0, "2026-11-16 09:00", "r1", 0);
  assert_item (items, "medicine-session", 1, 1, "2026-11-23 09:00", "r1", 0);

  /* The first medicine session slips a day: its integration sessions and
   * check-ins, and the next medicine session, count from where it landed. */
  g_array_append_vals (fixture->closed, (GDate[]) { day (2026, 11, 23) }, 1);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = plan (fixture);
  assert_item (items, "medicine-session", 1, 1, "2026-11-24 09:00", "r1", 0);
  assert_item (items, "integration", 1, 1, "2026-11-25 09:00", "r1", 0);
  assert_item (items, "integration", 3, 1, "2026-12-09 09:00", "r1", 0);
  assert_item (items, "phone-check-in", 1, 1, "2026-11-25 10:30", NULL, 0);
  assert_item (items, "phone-check-in", 7, 1, "2026-12-01 09:00", NULL, 0);
  assert_item (items, "medicine-session", 2, 2, "2026-12-22 09:00", "r1", 0);
  /* Sixty days on is a Saturday: the Monday after. */
  assert_item (items, "follow-up", 1, 0, "2027-03-22 09:00", "r1", 0);
}

/* A therapist who works Tuesday to Thursday only. */
static void
test_staff_hours (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;

  add_staff_hours (fixture, "t2", "tue-thu 08:00-18:00");
  items = plan (fixture);

  assert_item (items, "prep", 1, 0, "2026-11-03 09:00", "r1", 0);   /* Tuesday */
  assert_item (items, "prep", 2, 0, "2026-11-10 09:00", "r1", 0);
  assert_item (items, "dose", 1, 1, "2026-11-17 09:00", "r1", 0);
  /* Only t1 sits in integration: Wednesday is fine for t1 anyway. */
  assert_item (items, "integrate", 1, 1, "2026-11-18 09:00", "r1", 0);

  /* Hours that end early push a long session to a day it fits on. */
  fixture->n_staff = 0;
  add_staff_hours (fixture, "t1", "mon-fri 08:00-18:00");
  add_staff_hours (fixture, "t2", "mon 08:00-18:00; tue 08:00-12:00; wed 08:00-18:00");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = plan (fixture);
  assert_item (items, "prep", 2, 0, "2026-11-09 09:00", "r1", 0);
  assert_item (items, "dose", 1, 1, "2026-11-16 09:00", "r1", 0);
  /* Monday closed, and Tuesday's hours are too short for seven: Wednesday. */
  g_array_append_vals (fixture->closed, (GDate[]) { day (2026, 11, 16) }, 1);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = plan (fixture);
  assert_item (items, "dose", 1, 1, "2026-11-18 09:00", "r1", 0);
}

/* The first room is taken: the next one. Both taken: later that day. */
static void
test_next_room (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const t3[] = { "t3", NULL };
  static const char * const t4[] = { "t4", NULL };
  g_autoptr(GPtrArray) items = NULL;

  add_booking (fixture, "in-r1", "q", "r1", t3, "2026-11-02 08:00", "2026-11-02 12:00");
  items = plan (fixture);
  assert_item (items, "prep", 1, 0, "2026-11-02 09:00", "r2", 0);

  add_booking (fixture, "in-r2", "s", "r2", t4, "2026-11-02 09:00", "2026-11-02 11:00");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = plan (fixture);
  assert_item (items, "prep", 1, 0, "2026-11-02 11:00", "r2", 0);
}

/* No free slot within the tolerance: the item is proposed at its target
 * with its conflicts, and the rest of the course is still planned. */
static void
test_nothing_free (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const t1[] = { "t1", NULL };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(CairnPlannedItem) copy = NULL;
  const CairnPlannedItem *first;
  const CairnConflict *conflict;

  /* t1 is away Monday to Thursday: tolerance 3 covers exactly those. */
  add_booking (fixture, "away-mon", NULL, NULL, t1, "2026-11-02 08:00", "2026-11-02 18:00");
  add_booking (fixture, "away-tue", NULL, NULL, t1, "2026-11-03 08:00", "2026-11-03 18:00");
  add_booking (fixture, "away-wed", NULL, NULL, t1, "2026-11-04 08:00", "2026-11-04 18:00");
  add_booking (fixture, "away-thu", NULL, NULL, t1, "2026-11-05 08:00", "2026-11-05 18:00");
  items = plan (fixture);

  g_assert_cmpuint (items->len, ==, 4);
  first = find (items, "prep", 1, 0, NULL);
  assert_item (items, "prep", 1, 0, "2026-11-02 09:00", "r1", 1);
  conflict = g_ptr_array_index (first->conflicts, 0);
  g_assert_cmpint (conflict->kind, ==, CAIRN_CONFLICT_STAFF);
  g_assert_cmpstr (conflict->other_id, ==, "away-mon");
  g_assert_cmpstr (conflict->who, ==, "t1");
  assert_item (items, "prep", 2, 0, "2026-11-09 09:00", "r1", 0);
  assert_item (items, "dose", 1, 1, "2026-11-16 09:00", "r1", 0);

  /* A copy is deep. */
  copy = cairn_planned_item_copy (first);
  g_assert_true (copy->conflicts != first->conflicts);
  g_assert_cmpuint (copy->conflicts->len, ==, 1);
  g_assert_cmpstr (((CairnConflict *) copy->conflicts->pdata[0])->other_id, ==, "away-mon");
  g_assert_true (copy->staff_ids != first->staff_ids);
  g_assert_cmpstr (copy->staff_ids[1], ==, "t2");
  g_assert_cmpstr (copy->type_name, ==, "Prep");
  g_assert_cmpint (copy->start, ==, first->start);
}

/* An item forced onto another item of the plan: both list the clash,
 * though the other was placed first. */
static void
test_forced_onto_plan (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char * const t1[] = { "t1", NULL };
  g_autoptr(GPtrArray) items = NULL;
  const CairnPlannedItem *integration, *check_in;

  use_default_template (fixture);
  /* The day after the first medicine session t1 is free only for the
   * integration session, 09:00–10:30, and the check-in has no leeway. */
  add_booking (fixture, "early", NULL, NULL, t1, "2026-11-24 08:00", "2026-11-24 09:00");
  add_booking (fixture, "late", NULL, NULL, t1, "2026-11-24 10:30", "2026-11-24 18:00");
  items = plan (fixture);

  integration = find (items, "integration", 1, 1, NULL);
  check_in = find (items, "phone-check-in", 1, 1, NULL);
  assert_item (items, "integration", 1, 1, "2026-11-24 09:00", "r1", -1);
  assert_item (items, "phone-check-in", 1, 1, "2026-11-24 09:00", NULL, -1);
  g_assert_cmpuint (check_in->conflicts->len, ==, 2);
  g_assert_cmpint (kind_of (check_in, 0), ==, CAIRN_CONFLICT_PATIENT);
  g_assert_cmpint (kind_of (check_in, 1), ==, CAIRN_CONFLICT_STAFF);
  g_assert_cmpuint (integration->conflicts->len, ==, 2);
  g_assert_cmpint (kind_of (integration, 0), ==, CAIRN_CONFLICT_PATIENT);
  g_assert_cmpint (kind_of (integration, 1), ==, CAIRN_CONFLICT_STAFF);
  g_assert_cmpstr (((CairnConflict *) integration->conflicts->pdata[1])->who, ==, "t1");
  /* The second check-in is clear. */
  assert_item (items, "phone-check-in", 2, 1, "2026-11-25 09:00", NULL, 0);
}

static int
utc_offset_hours (gint64 utc)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) there = g_date_time_to_timezone (time, berlin);

  return (int) (g_date_time_get_utc_offset (there) / G_TIME_SPAN_HOUR);
}

static int
local_hour (gint64 utc)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) there = g_date_time_to_timezone (time, berlin);

  return g_date_time_get_hour (there);
}

/* Summer time ends on Sunday 25 October 2026: a course across it keeps
 * nine o'clock on both sides. */
static void
test_daylight_saving (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  const CairnPlannedItem *before, *after;

  fixture->request.start_day = day (2026, 10, 19);
  items = plan (fixture);

  before = find (items, "prep", 1, 0, NULL);
  after = find (items, "prep", 2, 0, NULL);
  assert_item (items, "prep", 1, 0, "2026-10-19 09:00", "r1", 0);
  assert_item (items, "prep", 2, 0, "2026-10-26 09:00", "r1", 0);
  g_assert_cmpint (utc_offset_hours (before->start), ==, 2);
  g_assert_cmpint (utc_offset_hours (after->start), ==, 1);
  g_assert_cmpint (local_hour (before->start), ==, 9);
  g_assert_cmpint (local_hour (after->start), ==, local_hour (before->start));
  /* A week and an hour apart in UTC; the hour of the length unchanged. */
  g_assert_cmpint (after->start - before->start, ==, 7 * 24 * 3600 + 3600);
  g_assert_cmpint (after->end - after->start, ==, 60 * 60);
}

/* Moving a medicine session alone, then with what depends on it. */
static void
test_move (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) before = NULL;
  CairnPlannedItem *second, *integration;
  guint index;

  use_default_template (fixture);
  items = plan (fixture);
  before = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_planned_item_free);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (before, cairn_planned_item_copy (items->pdata[i]));

  /* Alone: the second medicine session a day later; nothing else moves. */
  second = find (items, "medicine-session", 2, 2, &index);
  cairn_course_plan_move (items, index, at ("2026-12-22 10:00"), FALSE, berlin);
  assert_item (items, "medicine-session", 2, 2, "2026-12-22 10:00", "r1", -1);
  g_assert_cmpint (second->end - second->start, ==, 480 * 60);
  for (guint i = 0; i < before->len; i++)
    {
      const CairnPlannedItem *was = g_ptr_array_index (before, i);
      const CairnPlannedItem *now = find_same (items, was);

      if (now != second)
        g_assert_cmpint (now->start, ==, was->start);
    }

  /* Now it clashes with its own first integration session, and the plan
   * says so on both once rechecked. */
  cairn_course_plan_recheck (items, request (fixture));
  integration = find (items, "integration", 1, 2, NULL);
  g_assert_cmpuint (second->conflicts->len, >=, 1);
  g_assert_cmpint (kind_of (second, 0), ==, CAIRN_CONFLICT_PATIENT);
  g_assert_cmpuint (integration->conflicts->len, >=, 1);
  g_assert_cmpint (kind_of (integration, 0), ==, CAIRN_CONFLICT_PATIENT);

  /* Back, then the first medicine session two days later with its
   * dependents: everything from it on moves two days, at the same local
   * time; the preparation sessions stay. */
  find (items, "medicine-session", 2, 2, &index);
  cairn_course_plan_move (items, index, at ("2026-12-21 09:00"), FALSE, berlin);
  find (items, "medicine-session", 1, 1, &index);
  cairn_course_plan_move (items, index, at ("2026-11-25 09:00"), TRUE, berlin);
  for (guint i = 1; i < items->len; i++)
    g_assert_cmpint (((CairnPlannedItem *) items->pdata[i - 1])->start, <=,
                     ((CairnPlannedItem *) items->pdata[i])->start);
  for (guint i = 0; i < before->len; i++)
    {
      const CairnPlannedItem *was = g_ptr_array_index (before, i);
      const CairnPlannedItem *now = find_same (items, was);
      gint64 shift = was->phase == CAIRN_PHASE_PREPARATION ? 0 : 2 * 24 * 3600;

      g_assert_cmpint (now->start, ==, was->start + shift);
      g_assert_cmpint (now->end - now->start, ==, was->end - was->start);
    }
  assert_item (items, "integration", 3, 3, "2027-02-04 09:00", "r1", -1);
  assert_item (items, "follow-up", 1, 0, "2027-03-21 09:00", "r1", -1);

  /* With dependents, but the last one: the earlier ones stay. */
  find (items, "medicine-session", 3, 3, &index);
  cairn_course_plan_move (items, index, at ("2027-01-27 09:00"), TRUE, berlin);
  assert_item (items, "medicine-session", 3, 3, "2027-01-27 09:00", "r1", -1);
  assert_item (items, "integration", 1, 3, "2027-01-28 09:00", "r1", -1);
  /* The clocks go forward that morning; nine o'clock is still nine. */
  assert_item (items, "follow-up", 1, 0, "2027-03-28 09:00", "r1", -1);
  assert_item (items, "medicine-session", 2, 2, "2026-12-23 09:00", "r1", -1);
  assert_item (items, "integration", 1, 2, "2026-12-24 09:00", "r1", -1);

  /* Rechecked, the moved course is clear again except where it now falls
   * on a weekend (the follow-up on a Sunday). */
  cairn_course_plan_recheck (items, request (fixture));
  assert_item (items, "medicine-session", 2, 2, "2026-12-23 09:00", "r1", 0);
  assert_item (items, "integration", 1, 2, "2026-12-24 09:00", "r1", 0);
  assert_item (items, "follow-up", 1, 0, "2027-03-28 09:00", "r1", 1);
}

/* Dependents moved across the end of summer time keep their local time. */
static void
test_move_across_daylight_saving (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  const CairnPlannedItem *integration;
  guint index;

  fixture->request.start_day = day (2026, 9, 28);
  items = plan (fixture);
  assert_item (items, "dose", 1, 1, "2026-10-12 09:00", "r1", 0);
  assert_item (items, "integrate", 1, 1, "2026-10-13 09:00", "r1", 0);
  integration = find (items, "integrate", 1, 1, NULL);
  g_assert_cmpint (utc_offset_hours (integration->start), ==, 2);

  find (items, "dose", 1, 1, &index);
  cairn_course_plan_move (items, index, at ("2026-10-26 09:00"), TRUE, berlin);
  assert_item (items, "dose", 1, 1, "2026-10-26 09:00", "r1", -1);
  assert_item (items, "integrate", 1, 1, "2026-10-27 09:00", "r1", -1);
  g_assert_cmpint (utc_offset_hours (integration->start), ==, 1);
  g_assert_cmpint (integration->end - integration->start, ==, 3600);
  assert_item (items, "prep", 2, 0, "2026-10-05 09:00", "r1", 0);
}

static void
test_cannot_plan (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const one[] = { "t1", NULL };
  static const char * const twice[] = { "t1", "t1", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  use_default_template (fixture);

  fixture->request.therapist_ids = one;
  items = cairn_course_plan (request (fixture), &error);
  g_assert_null (items);
  g_assert_error (error, CAIRN_COURSE_PLAN_ERROR, CAIRN_COURSE_PLAN_ERROR_STAFF);
  g_assert_nonnull (strstr (error->message, "need 2 therapists"));
  g_clear_error (&error);

  fixture->request.therapist_ids = NULL;
  items = cairn_course_plan (request (fixture), &error);
  g_assert_null (items);
  g_assert_error (error, CAIRN_COURSE_PLAN_ERROR, CAIRN_COURSE_PLAN_ERROR_STAFF);
  g_clear_error (&error);

  fixture->request.therapist_ids = twice;
  items = cairn_course_plan (request (fixture), &error);
  g_assert_null (items);
  g_assert_error (error, CAIRN_COURSE_PLAN_ERROR, CAIRN_COURSE_PLAN_ERROR_STAFF);
  g_assert_nonnull (strstr (error->message, "twice"));
  g_clear_error (&error);

  fixture->request.therapist_ids = two_therapists;
  fixture->request.room_ids = none;
  items = cairn_course_plan (request (fixture), &error);
  g_assert_null (items);
  g_assert_error (error, CAIRN_COURSE_PLAN_ERROR, CAIRN_COURSE_PLAN_ERROR_ROOMS);
  g_assert_nonnull (strstr (error->message, "room"));
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_assert_nonnull (berlin);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/course-planner/default-course", test_default_course);
  ADD ("/course-planner/shipped-templates", test_shipped_templates);
  ADD ("/course-planner/busy-therapist-and-patient", test_busy_therapist_and_patient);
  ADD ("/course-planner/closed-days", test_closed_days);
  ADD ("/course-planner/staff-hours", test_staff_hours);
  ADD ("/course-planner/next-room", test_next_room);
  ADD ("/course-planner/nothing-free", test_nothing_free);
  ADD ("/course-planner/forced-onto-plan", test_forced_onto_plan);
  ADD ("/course-planner/daylight-saving", test_daylight_saving);
  ADD ("/course-planner/move", test_move);
  ADD ("/course-planner/move-across-daylight-saving", test_move_across_daylight_saving);
  ADD ("/course-planner/cannot-plan", test_cannot_plan);

  status = g_test_run ();
  g_time_zone_unref (berlin);
  return status;
}
