/* test-screens-booking.c
 *
 * What the booking dialog and the course planner ask of the vault, on the
 * demo practice, run on the vault's worker and with no display:
 *
 *  - the booking setup: every member of staff (clinicians marked) and
 *    every room, and who is asking;
 *  - the patient search: a demo patient found by the start of a name,
 *    nobody by a string no name holds;
 *  - the check: a clash with a demo appointment, named with its patient;
 *    nothing in a free slot;
 *  - the save: an appointment booked in a free slot reads back as saved;
 *    one over a clash is refused with the conflict error and not written;
 *    a status set answers with the appointment's id;
 *  - the course planner's setup: the rules, the clinicians only, the
 *    rooms and the patient's name;
 *  - a proposal: every session the protocol template's course has, most
 *    in free slots years after the demo's calendar;
 *  - booking the course: all its sessions written under one course, and
 *    the same sessions again, now clashing and with no reason, refused
 *    with none written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cairn-booking-screen.h"
#include "cairn-demo.h"
#include "cairn-test-answer.h"
#include "cairn-test-demo.h"
#include "cairn-test-tree.h"
#include "cairn-vfs.h"

/* One demo practice for every test here: it takes seconds to make. */
static char          *parent;
static CairnVault    *demo;
static CairnProtocol *protocol;

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

static char *
query (const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *text = cairn_database_query_text (cairn_vault_get_practice (demo), sql, NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

static const CairnNamed *
find_named (GPtrArray  *named,
            const char *name)
{
  for (guint i = 0; i < named->len; i++)
    if (g_str_equal (((CairnNamed *) g_ptr_array_index (named, i))->name, name))
      return g_ptr_array_index (named, i);
  return NULL;
}

/* A patient of the demo with nothing booked. */
static char *
patient_without_appointments (void)
{
  return query ("SELECT id FROM patients WHERE id NOT IN (SELECT patient_id FROM appointments"
                " WHERE patient_id IS NOT NULL) ORDER BY chart_number LIMIT 1");
}

/* A Monday at 10:00 in the practice's zone, some years after the demo's
 * calendar ends: nothing is booked then. */
static gint64
free_monday (int years)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (cairn_database_get_time_zone (cairn_vault_get_practice (demo)));
  g_autoptr(GDateTime) later = g_date_time_add_years (now, years);
  g_autoptr(GDateTime) monday = g_date_time_add_days (later, 8 - g_date_time_get_day_of_week (later));
  g_autoptr(GDateTime) ten = g_date_time_new (g_date_time_get_timezone (monday), g_date_time_get_year (monday),
                                              g_date_time_get_month (monday), g_date_time_get_day_of_month (monday),
                                              10, 0, 0);

  return g_date_time_to_unix (ten);
}

/* A one-therapist session with a room, for the demo user in Room 1. */
static CairnAppointment *
free_appointment (const CairnAppointmentType **type_out)
{
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();
  g_autofree char *me = cairn_vault_get_user_id (demo);
  const CairnAppointmentType *type = NULL;

  for (guint i = 0; i < cairn_protocol_get_n_types (protocol) && type == NULL; i++)
    {
      const CairnAppointmentType *t = cairn_protocol_get_type_nth (protocol, i);

      if (t->staff == 1 && t->needs_room && !t->by_phone)
        type = t;
    }
  g_assert_nonnull (type);
  a->patient_id = patient_without_appointments ();
  a->type_id = g_strdup (type->id);
  a->start = free_monday (3);
  a->end = a->start + 3600;
  a->room_id = query ("SELECT id FROM rooms WHERE name = 'Room 1'");
  g_strfreev (a->staff_ids);
  a->staff_ids = g_strdupv ((char *[]) { me, NULL });
  *type_out = type;
  return g_steal_pointer (&a);
}

/* Another patient at the time, in the room and with the staff of a demo
 * appointment still to come. */
static CairnAppointment *
clashing_appointment (CairnAgendaItem **other_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = query ("SELECT id FROM appointments WHERE status = 'booked' AND room_id IS NOT NULL"
                               " AND patient_id IS NOT NULL AND start_utc > strftime('%s', 'now')"
                               " ORDER BY start_utc LIMIT 1");
  CairnAgendaItem *other = cairn_agenda_get (cairn_vault_get_practice (demo), id, &error);
  g_autoptr(CairnAppointment) a = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (other);
  a = cairn_appointment_copy (other->appointment);
  g_clear_pointer (&a->id, g_free);
  g_clear_pointer (&a->course_id, g_free);
  g_free (a->patient_id);
  a->patient_id = patient_without_appointments ();
  *other_out = other;
  return g_steal_pointer (&a);
}

static void
test_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CairnBookingSetup) setup = NULL;
  g_autofree char *me = cairn_vault_get_user_id (demo);
  const char * const clinicians[] = { "Dr Ben Okafor", "Chiara Costa, LMFT" };
  const char * const rooms[] = { "Room 1", "Room 2", "Garden Room" };

  cairn_booking_setup_async (demo, NULL, cairn_test_answered_cb, &result);
  setup = cairn_booking_setup_finish (demo, cairn_test_wait_answer (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (setup);
  g_assert_cmpstr (setup->me, ==, me);
  for (guint i = 0; i < G_N_ELEMENTS (clinicians); i++)
    {
      const CairnNamed *person = find_named (setup->staff, clinicians[i]);

      g_assert_nonnull (person);
      g_assert_true (person->clinician);
    }
  g_assert_nonnull (find_named (setup->staff, "Sam Rivera"));
  g_assert_false (find_named (setup->staff, "Sam Rivera")->clinician);
  g_assert_cmpuint (setup->rooms->len, ==, G_N_ELEMENTS (rooms));
  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    g_assert_nonnull (find_named (setup->rooms, rooms[i]));
}

static GPtrArray *
search (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *found;

  cairn_booking_search_async (demo, text, 50, NULL, cairn_test_answered_cb, &result);
  found = cairn_booking_search_finish (demo, cairn_test_wait_answer (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
test_search (void)
{
  g_autofree char *id = patient_without_appointments ();
  g_autofree char *name = NULL;
  g_autofree char *part = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;
  const char *surname;
  gboolean seen = FALSE;

  name = cairn_database_query_text (cairn_vault_get_practice (demo), "SELECT legal_name FROM patients WHERE id = ?",
                                    (const char *[]) { id }, 1, NULL);
  g_assert_nonnull (name);
  surname = strrchr (name, ' ') != NULL ? strrchr (name, ' ') + 1 : name;
  part = g_utf8_substring (surname, 0, 4);

  found = search (part);
  for (guint i = 0; i < found->len; i++)
    seen |= g_str_equal (((CairnPatientSummary *) g_ptr_array_index (found, i))->id, id);
  g_assert_true (seen);

  none = search ("Qzxwvjkq");
  g_assert_cmpuint (none->len, ==, 0);
}

static GStrv
check (const CairnAppointment     *a,
       const CairnAppointmentType *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_ref (cairn_database_get_time_zone (cairn_vault_get_practice (demo)));
  GStrv clashes;

  cairn_booking_check_async (demo, a, type->staff, type->needs_room, protocol, zone, NULL, cairn_test_answered_cb, &result);
  clashes = cairn_booking_check_finish (demo, cairn_test_wait_answer (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (clashes);
  return clashes;
}

static void
test_check (void)
{
  g_autoptr(CairnAgendaItem) other = NULL;
  g_autoptr(CairnAppointment) clash = clashing_appointment (&other);
  const CairnAppointmentType *clash_type = cairn_protocol_find_type (protocol, clash->type_id);
  const CairnAppointmentType *type = NULL;
  g_autoptr(CairnAppointment) free_slot = free_appointment (&type);
  g_auto(GStrv) clashes = check (clash, clash_type);
  g_auto(GStrv) none = check (free_slot, type);
  gboolean named = FALSE;

  g_assert_cmpuint (g_strv_length (clashes), >, 0);
  /* The clash names the appointment it is with. */
  for (guint i = 0; clashes[i] != NULL; i++)
    named |= strstr (clashes[i], other->patient) != NULL;
  g_assert_true (named);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static char *
save (const CairnAppointment     *a,
      const CairnAppointmentType *type,
      GError                    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cairn_booking_save_async (demo, a, type->staff, type->needs_room, NULL, NULL, cairn_test_answered_cb, &result);
  return cairn_booking_save_finish (demo, cairn_test_wait_answer (&result), error);
}

static void
test_save (void)
{
  g_autoptr(GError) error = NULL;
  const CairnAppointmentType *type = NULL;
  g_autoptr(CairnAppointment) a = free_appointment (&type);
  g_autoptr(CairnAgendaItem) other = NULL;
  g_autoptr(CairnAppointment) clash = clashing_appointment (&other);
  g_autoptr(CairnAgendaItem) saved = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *id = NULL;
  g_autofree char *clash_id = NULL;
  g_autofree char *status_id = NULL;
  int before;

  a->start += 2 * 3600;   /* not where test_check looked */
  a->end += 2 * 3600;
  id = save (a, type, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  saved = cairn_agenda_get (cairn_vault_get_practice (demo), id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->appointment->patient_id, ==, a->patient_id);
  g_assert_cmpstr (saved->appointment->type_id, ==, a->type_id);
  g_assert_cmpstr (saved->appointment->room_id, ==, a->room_id);
  g_assert_cmpint (saved->appointment->start, ==, a->start);
  g_assert_cmpint (saved->appointment->end, ==, a->end);
  g_assert_cmpstr (saved->appointment->status, ==, "booked");
  g_assert_true (g_strv_equal ((const char * const *) saved->appointment->staff_ids,
                               (const char * const *) a->staff_ids));

  /* Over a clash, with no reason: the conflict error, and nothing written. */
  before = count ("SELECT count(*) FROM appointments", NULL);
  clash_id = save (clash, cairn_protocol_find_type (protocol, clash->type_id), &error);
  g_assert_null (clash_id);
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (count ("SELECT count(*) FROM appointments", NULL), ==, before);

  /* A status set answers with the appointment's id. */
  cairn_booking_set_status_async (demo, id, "cancelled", "The patient moved away", NULL, cairn_test_answered_cb, &result);
  status_id = cairn_booking_save_finish (demo, cairn_test_wait_answer (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status_id, ==, id);
  g_assert_cmpint (count ("SELECT count(*) FROM appointments WHERE id = ? AND status = 'cancelled'", id), ==, 1);
}

static CairnCourseSetup *
course_setup (const char *patient_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  CairnCourseSetup *setup;

  cairn_course_setup_async (demo, patient_id, NULL, cairn_test_answered_cb, &result);
  setup = cairn_course_setup_finish (demo, cairn_test_wait_answer (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (setup);
  return setup;
}

static void
test_course_setup (void)
{
  g_autofree char *patient = patient_without_appointments ();
  g_autoptr(CairnCourseSetup) setup = course_setup (patient);
  g_autofree char *name = cairn_database_query_text (cairn_vault_get_practice (demo),
                                                     "SELECT coalesce(preferred_name, legal_name) FROM patients"
                                                     " WHERE id = ?", (const char *[]) { patient }, 1, NULL);

  g_assert_nonnull (setup->rules);
  g_assert_nonnull (find_named (setup->clinicians, "Dr Ben Okafor"));
  g_assert_nonnull (find_named (setup->clinicians, "Chiara Costa, LMFT"));
  g_assert_null (find_named (setup->clinicians, "Sam Rivera"));
  for (guint i = 0; i < setup->clinicians->len; i++)
    g_assert_true (((CairnNamed *) g_ptr_array_index (setup->clinicians, i))->clinician);
  g_assert_cmpuint (setup->rooms->len, ==, 3);
  g_assert_cmpstr (setup->patient_name, ==, name);
}

/* How many sessions the template's course has. */
static guint
course_length (void)
{
  const CairnCourseShape *shape = cairn_protocol_get_course (protocol);

  return shape->preparation.count + shape->medicine_sessions.count +
         shape->medicine_sessions.count * (shape->integration.count + shape->phone_check_ins.count) +
         shape->follow_up.count;
}

static CairnCourseProposal *
propose (const char *patient_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CairnCourseSetup) setup = course_setup (patient_id);
  g_autoptr(GStrvBuilder) therapists = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) rooms = g_strv_builder_new ();
  g_auto(GStrv) therapist_ids = NULL;
  g_auto(GStrv) room_ids = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (free_monday (5));
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, cairn_practice_rules_get (setup->rules)->zone);
  CairnCourseProposal *proposal;
  GDate start;

  for (guint i = 0; i < setup->clinicians->len; i++)
    g_strv_builder_add (therapists, ((CairnNamed *) g_ptr_array_index (setup->clinicians, i))->id);
  for (guint i = 0; i < setup->rooms->len; i++)
    g_strv_builder_add (rooms, ((CairnNamed *) g_ptr_array_index (setup->rooms, i))->id);
  therapist_ids = g_strv_builder_end (therapists);
  room_ids = g_strv_builder_end (rooms);
  g_date_clear (&start, 1);
  g_date_set_dmy (&start, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));

  cairn_course_propose_async (demo, protocol, patient_id, (const char * const *) therapist_ids,
                              (const char * const *) room_ids, &start, 9 * 60, NULL, cairn_test_answered_cb, &result);
  proposal = cairn_course_propose_finish (demo, cairn_test_wait_answer (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (proposal);
  return proposal;
}

static void
test_course_propose (void)
{
  g_autofree char *patient = patient_without_appointments ();
  g_autoptr(CairnCourseProposal) proposal = propose (patient);
  const CairnCourseShape *shape = cairn_protocol_get_course (protocol);
  guint medicine = 0;
  guint placed = 0;

  g_assert_nonnull (proposal->rules);
  g_assert_cmpuint (proposal->bookings->len, ==, proposal->existing->len);
  g_assert_cmpuint (proposal->plan->len, ==, course_length ());
  for (guint i = 0; i < proposal->plan->len; i++)
    {
      const CairnPlannedItem *item = g_ptr_array_index (proposal->plan, i);

      medicine += g_str_equal (item->type_id, shape->medicine_sessions.type_id);
      placed += item->conflicts->len == 0;
      g_assert_nonnull (cairn_protocol_find_type (protocol, item->type_id));
      g_assert_cmpint (item->end, >, item->start);
    }
  g_assert_cmpuint (medicine, ==, shape->medicine_sessions.count);
  /* Years after the demo's calendar, nearly every session has a free slot
   * (a phone check-in on a fixed day may fall on a closed one). */
  g_assert_cmpuint (placed, >, proposal->plan->len / 2);
}

static char *
book (const char  *patient_id,
      GPtrArray   *plan,
      const char  *reason,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cairn_course_book_async (demo, patient_id, plan, reason, NULL, cairn_test_answered_cb, &result);
  return cairn_course_book_finish (demo, cairn_test_wait_answer (&result), error);
}

static void
test_course_book (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *patient = patient_without_appointments ();
  g_autoptr(CairnCourseProposal) proposal = propose (patient);
  g_autofree char *course_id = NULL;
  g_autofree char *again = NULL;
  int before;

  /* With a reason, as the planner asks for when a session clashes. */
  course_id = book (patient, proposal->plan, "Phone check-ins out of hours are fine", &error);
  g_assert_no_error (error);
  g_assert_nonnull (course_id);
  g_assert_cmpint (count ("SELECT count(*) FROM appointments WHERE course_id = ?", course_id), ==,
                   (int) proposal->plan->len);
  g_assert_cmpint (count ("SELECT count(*) FROM appointments WHERE patient_id = ?", patient), ==,
                   (int) proposal->plan->len);

  /* The same sessions again clash with those just booked: none is written. */
  before = count ("SELECT count(*) FROM appointments", NULL);
  again = book (patient, proposal->plan, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT);
  g_assert_cmpint (count ("SELECT count(*) FROM appointments", NULL), ==, before);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  parent = cairn_test_demo_make ("cairn-screens-booking-XXXXXX", now, &dir);
  demo = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  protocol = cairn_protocol_load_default ();

  g_test_add_func ("/screens-booking/setup", test_setup);
  g_test_add_func ("/screens-booking/search", test_search);
  g_test_add_func ("/screens-booking/check", test_check);
  g_test_add_func ("/screens-booking/save", test_save);
  g_test_add_func ("/screens-booking/course/setup", test_course_setup);
  g_test_add_func ("/screens-booking/course/propose", test_course_propose);
  g_test_add_func ("/screens-booking/course/book", test_course_book);

  status = g_test_run ();
  g_clear_pointer (&protocol, cairn_protocol_unref);
  g_clear_object (&demo);
  cairn_test_remove_tree (parent);
  g_free (parent);
  return status;
}
