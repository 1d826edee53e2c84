/* cairn-demo.c
 *
 * A demo practice to try Cairn with, or to show it: a throwaway vault with
 * fictional staff, rooms, opening hours and about two hundred patients,
 * some forty of them part-way through a course planned by the course
 * planner, so that the calendar around the day it is made looks like a
 * working practice's: finished sessions behind, a few no-shows and
 * cancellations, and the weeks ahead booked.
 * Its user "demo" has the passphrase "demo", which the unlock page says;
 * nothing real should ever be put into it. Generated from a fixed seed, so
 * every demo vault holds the same people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-demo"

#include "config.h"

#include "cairn-course-planner.h"
#include "cairn-demo.h"
#include "cairn-demo-private.h"
#include "cairn-agenda.h"
#include "cairn-patients.h"
#include "cairn-schedule.h"
#include "cairn-vault-private.h"

#define DEMO_PATIENTS 200

static const char * const given[] = {
  "Ada", "Ben", "Cleo", "Dario", "Elif", "Farid", "Greta", "Hana", "Ines", "Jonas", "Kemal", "Lena",
  "Mara", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Vera", "Wim", "Xenia",
  "Yusuf", "Zoë", "Amélie", "Bruno", "Chiara", "Dmitri", "Emma", "Felix", "Gustav", "Helga", "Ivo",
};

static const char * const family[] = {
  "Okafor", "Park", "Moreno", "Adler", "Becker", "Çelik", "Dahl", "Eriksen", "Fischer", "García",
  "Hoffmann", "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Meier", "Nowak", "Olsen", "Petrović",
  "Richter", "Schmidt", "Tanaka", "Ulrich", "Vogel", "Wagner", "Yilmaz", "Zimmermann", "Brandt",
};

static const char * const pronouns[] = { "she/her", "he/him", "they/them", NULL, NULL };

/* Staff other than "demo". Their passphrases are long and random: only
 * "demo" is meant to unlock this vault. */
static const struct
{
  const char *name;
  CairnRole   role;
  const char *hours;
} staff[] = {
  { "Dr Ben Okafor", CAIRN_ROLE_CLINICIAN, "mon-thu 08:00-18:00" },
  { "Chiara Costa, LMFT", CAIRN_ROLE_CLINICIAN, "tue-fri 09:00-19:00; sat 09:00-13:00" },
  { "Sam Rivera", CAIRN_ROLE_FRONT_DESK, "mon-fri 08:00-16:00" },
};

static const char * const rooms[] = { "Room 1", "Room 2", "Garden Room" };

static char *
random_passphrase (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat ("demo staff ", uuid, NULL);
}

static gboolean
add_patients (CairnDatabase  *db,
              const char     *author,
              GDateTime      *now,
              GError        **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);

  for (guint i = 0; i < DEMO_PATIENTS; i++)
    {
      g_autoptr(CairnPatient) patient = cairn_patient_new ();
      const char *first = given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))];
      const char *last = family[g_rand_int_range (rand, 0, G_N_ELEMENTS (family))];
      int age = g_rand_int_range (rand, 21, 75);

      patient->legal_name = g_strdup_printf ("%s %s", first, last);
      if (g_rand_int_range (rand, 0, 6) == 0)
        patient->preferred_name = g_strdup_printf ("%.1s.", first);
      patient->pronouns = g_strdup (pronouns[g_rand_int_range (rand, 0, G_N_ELEMENTS (pronouns))]);
      patient->date_of_birth = g_strdup_printf ("%04d-%02d-%02d", g_date_time_get_year (now) - age,
                                                g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      patient->phone = g_strdup_printf ("+49 30 555 %04d", 1000 + i);
      if (g_rand_boolean (rand))
        patient->email = g_strdup_printf ("patient%03u@example.org", i + 1);
      patient->emergency_contact = g_strdup_printf ("%s %s (partner), +49 30 555 %04d",
                                                    given[(i * 7) % G_N_ELEMENTS (given)], last, 5000 + i);
      patient->referring_clinician = g_strdup (i % 3 == 0 ? "Dr Greta Vogel, Berlin Trauma Clinic" : NULL);
      if (i % 11 == 0)
        patient->front_desk_notes = g_strdup ("Prefers appointments after 10:00.");

      if (!cairn_patients_save (db, patient, author, error))
        return FALSE;
      /* A few have finished their course long ago. */
      if (i % 20 == 19 && !cairn_patients_set_archived (db, patient->id, TRUE, author, error))
        return FALSE;
    }
  return TRUE;
}

#define DEMO_COURSES 40

/* Where each demo course stands: its first preparation this many days
 * before the demo is made (negative: after). From finished courses to
 * ones about to start. */
static int
course_offset (guint n)
{
  return 230 - (int) (n * 250 / DEMO_COURSES);
}

static gboolean
plan_and_book (CairnDatabase        *db,
               const CairnProtocol  *protocol,
               CairnPracticeRules   *rules,
               const char           *patient_id,
               const char * const   *therapists,
               const char * const   *rooms_order,
               const GDate          *start,
               const char           *author,
               GError              **error)
{
  g_autoptr(GDateTime) midnight = g_date_time_new (cairn_practice_rules_get (rules)->zone,
                                                   g_date_get_year (start), g_date_get_month (start),
                                                   g_date_get_day (start), 0, 0, 0);
  g_autoptr(GPtrArray) existing = cairn_schedule_list (db, g_date_time_to_unix (midnight) - 86400,
                                                       g_date_time_to_unix (midnight) + 300 * 86400, error);
  g_autoptr(GArray) bookings = g_array_new (FALSE, TRUE, sizeof (CairnBooking));
  g_autoptr(GPtrArray) plan = NULL;
  CairnPlanRequest request = { 0 };
  gboolean clashes = FALSE;

  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < existing->len; i++)
    {
      const CairnAppointment *a = g_ptr_array_index (existing, i);
      CairnBooking booking = { a->id, a->patient_id, a->room_id, (const char * const *) a->staff_ids,
                               a->start, a->end, g_strcmp0 (a->status, "cancelled") == 0 };

      g_array_append_val (bookings, booking);
    }

  request.protocol = protocol;
  request.rules = cairn_practice_rules_get (rules);
  request.existing = (const CairnBooking *) bookings->data;
  request.n_existing = bookings->len;
  request.patient_id = patient_id;
  request.therapist_ids = therapists;
  request.room_ids = rooms_order;
  request.start_day = *start;
  request.preferred_minute = 9 * 60;
  plan = cairn_course_plan (&request, error);
  if (plan == NULL)
    return FALSE;
  for (guint i = 0; i < plan->len; i++)
    clashes |= ((CairnPlannedItem *) g_ptr_array_index (plan, i))->conflicts->len > 0;
  /* A Sunday phone call cannot always be avoided; the demo books it as a
   * practice would, with its reason. */
  return cairn_schedule_book_course (db, patient_id, plan, clashes ? "Planned as the demo practice" : NULL,
                                     author, NULL, error);
}

/* What happened to the appointments before @now: most took place, a few
 * people did not come, a few cancelled; today's that have begun are
 * checked in. */
static gboolean
settle_past (CairnDatabase  *db,
             GDateTime      *now,
             const char     *author,
             GError        **error)
{
  gint64 t = g_date_time_to_unix (now);
  g_autoptr(GPtrArray) past = cairn_schedule_list (db, t - 400 * 86400, t, error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261130);

  if (past == NULL)
    return FALSE;
  for (guint i = 0; i < past->len; i++)
    {
      const CairnAppointment *a = g_ptr_array_index (past, i);
      int roll = g_rand_int_range (rand, 0, 100);
      const char *status = a->end > t ? "checked-in" : roll < 4 ? "no-show" : roll < 7 ? "cancelled" : "completed";

      if (!cairn_schedule_set_status (db, a->id, status,
                                      g_str_equal (status, "cancelled") ? "Unwell; rebooked by phone" : NULL,
                                      author, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_calendar (CairnDatabase  *db,
              GDateTime      *now,
              const char     *author,
              GPtrArray      *course_patients,
              GError        **error)
{
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autoptr(CairnPracticeRules) rules = cairn_practice_rules_load (db, error);
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) room_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) clinicians = g_ptr_array_new ();

  if (rules == NULL)
    return FALSE;
  people = cairn_agenda_list_staff (db, error);
  patients = people != NULL ? cairn_patients_search (db, "", FALSE, DEMO_PATIENTS, error) : NULL;
  if (patients == NULL)
    return FALSE;
  for (guint i = 0; i < people->len; i++)
    if (((CairnNamed *) g_ptr_array_index (people, i))->clinician)
      g_ptr_array_add (clinicians, ((CairnNamed *) g_ptr_array_index (people, i))->id);
  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      char *id = cairn_database_query_text (db, "SELECT id FROM rooms WHERE name = ?",
                                            (const char *[]) { rooms[i] }, 1, error);

      if (id == NULL)
        return FALSE;
      g_ptr_array_add (room_ids, id);
    }

  for (guint n = 0; n < DEMO_COURSES && n < patients->len; n++)
    {
      /* Forty patients, each with one course. */
      const CairnPatientSummary *patient = g_ptr_array_index (patients, (n * 4) % patients->len);
      const char *pair[] = { g_ptr_array_index (clinicians, n % clinicians->len),
                             g_ptr_array_index (clinicians, (n + 1) % clinicians->len), NULL };
      const char *order[G_N_ELEMENTS (rooms) + 1] = { NULL };
      GDate start;

      for (guint r = 0; r < G_N_ELEMENTS (rooms); r++)
        order[r] = g_ptr_array_index (room_ids, (n + r) % G_N_ELEMENTS (rooms));
      g_date_clear (&start, 1);
      g_date_set_dmy (&start, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                      g_date_time_get_year (now));
      if (course_offset (n) >= 0)
        g_date_subtract_days (&start, course_offset (n));
      else
        g_date_add_days (&start, -course_offset (n));
      if (!plan_and_book (db, protocol, rules, patient->id, pair, order, &start, author, error))
        return FALSE;
      g_ptr_array_add (course_patients, g_strdup (patient->id));
    }
  return settle_past (db, now, author, error);
}

/**
 * cairn_demo_create:
 * @dir: where the demo vault goes: it must not exist, or be empty
 * @now: the moment the demo's calendar is built around
 * @error: return location for a #GError
 *
 * Makes a demo vault that opens with user %CAIRN_DEMO_USER and passphrase
 * %CAIRN_DEMO_PASSPHRASE, with cheap key derivation (it guards nothing).
 *
 * Returns: %TRUE when it is ready
 */
gboolean
cairn_demo_create (const char  *dir,
                   GDateTime   *now,
                   GError     **error)
{
  static const CairnKdfParams cheap = { 1, 8 * 1024 * 1024 };
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *author = NULL;
  g_autoptr(GPtrArray) course_patients = g_ptr_array_new_with_free_func (g_free);
  CairnDatabase *db;

  g_return_val_if_fail (dir != NULL && now != NULL, FALSE);

  vault = cairn_vault_create_full (dir, "Lakeside Psychedelic Therapy (demo)", "Europe/Berlin",
                                   CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, FALSE, &cheap, &recovery, error);
  if (vault == NULL)
    return FALSE;
  db = cairn_vault_get_practice (vault);
  author = cairn_vault_get_user_id (vault);

  for (guint i = 0; i < G_N_ELEMENTS (staff); i++)
    {
      g_autofree char *passphrase = random_passphrase ();
      g_autofree char *id = NULL;

      if (!cairn_vault_add_user (vault, staff[i].name, staff[i].role, passphrase, &cheap, error))
        return FALSE;
      id = cairn_database_query_text (db, "SELECT id FROM users WHERE name = ? AND deleted_at IS NULL",
                                      (const char *[]) { staff[i].name }, 1, error);
      if (id == NULL || !cairn_schedule_set_staff_hours (db, id, staff[i].hours, author, error))
        return FALSE;
    }
  if (!cairn_schedule_set_staff_hours (db, author, "mon-fri 08:00-18:00", author, error) ||
      !cairn_schedule_set_practice_hours (db, "mon-fri 08:00-19:00; sat 09:00-13:00", author, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      g_autofree char *room = cairn_schedule_add_room (db, rooms[i], author, error);

      if (room == NULL)
        return FALSE;
    }

  return add_patients (db, author, now, error) &&
         add_calendar (db, now, author, course_patients, error) &&
         cairn_demo_add_clinical (vault, now, course_patients, error);
}
