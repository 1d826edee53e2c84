/* test-agenda.c
 *
 * What a calendar shows: a window of appointments read from a real vault
 * with the names of their patients (the preferred name first), rooms and
 * staff, and nothing outside the window; the rooms to choose from; and how
 * overlapping appointments share a day side by side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-agenda.h"
#include "cairn-patients.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

/* ------------------------------------------------------------------------ */
/* Lanes                                                                     */

static CairnAgendaItem *
item (const char *id,
      gint64      start_minute,
      gint64      end_minute)
{
  CairnAgendaItem *it = g_new0 (CairnAgendaItem, 1);

  it->appointment = cairn_appointment_new ();
  it->appointment->id = g_strdup (id);
  it->appointment->start = start_minute * 60;
  it->appointment->end = end_minute * 60;
  return it;
}

static CairnAgendaItem *
find (GPtrArray  *items,
      const char *id)
{
  for (guint i = 0; i < items->len; i++)
    {
      CairnAgendaItem *it = g_ptr_array_index (items, i);

      if (g_strcmp0 (it->appointment->id, id) == 0)
        return it;
    }
  g_assert_not_reached ();
}

static void
test_layout (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_agenda_item_free);
  struct { const char *id; guint lane, n_lanes; } expected[] = {
    { "long", 0, 3 },     /* 09:00-17:00, a medicine session */
    { "a", 1, 3 },        /* 09:00-10:30 beside it */
    { "b", 2, 3 },        /* 10:00-11:00: a third lane */
    { "c", 1, 3 },        /* 10:30-12:00: lane 1 is free again at 10:30 */
    { "alone", 0, 1 },    /* 18:00-18:15: after the cluster, on its own */
    { "touch", 0, 1 },    /* 18:15-18:30: touching is not overlapping */
  };

  /* Given out of order: the layout sorts. */
  g_ptr_array_add (items, item ("touch", 18 * 60 + 15, 18 * 60 + 30));
  g_ptr_array_add (items, item ("c", 10 * 60 + 30, 12 * 60));
  g_ptr_array_add (items, item ("a", 9 * 60, 10 * 60 + 30));
  g_ptr_array_add (items, item ("long", 9 * 60, 17 * 60));
  g_ptr_array_add (items, item ("alone", 18 * 60, 18 * 60 + 15));
  g_ptr_array_add (items, item ("b", 10 * 60, 11 * 60));

  cairn_agenda_layout (items);

  g_assert_cmpstr (((CairnAgendaItem *) g_ptr_array_index (items, 0))->appointment->id, ==, "long");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      CairnAgendaItem *it = find (items, expected[i].id);

      g_test_message ("%s", expected[i].id);
      g_assert_cmpuint (it->lane, ==, expected[i].lane);
      g_assert_cmpuint (it->n_lanes, ==, expected[i].n_lanes);
    }
}

static void
test_layout_empty (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_agenda_item_free);

  cairn_agenda_layout (items);
  g_assert_cmpuint (items->len, ==, 0);
  g_ptr_array_add (items, item ("one", 60, 120));
  cairn_agenda_layout (items);
  g_assert_cmpuint (find (items, "one")->lane, ==, 0);
  g_assert_cmpuint (find (items, "one")->n_lanes, ==, 1);
}

/* ------------------------------------------------------------------------ */
/* Reading the booking form                                                  */


/* ------------------------------------------------------------------------ */
/* Clashes among bookings made                                               */

static CairnAgendaItem *
booked (const char *id,
        const char *patient,
        const char *room,
        const char *staff,
        gint64      start_minute,
        gint64      end_minute)
{
  CairnAgendaItem *it = item (id, start_minute, end_minute);

  it->appointment->patient_id = g_strdup (patient);
  it->appointment->room_id = g_strdup (room);
  if (staff != NULL)
    it->appointment->staff_ids = g_strsplit (staff, ",", -1);
  it->appointment->status = g_strdup ("booked");
  return it;
}

static void
test_clashes (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_agenda_item_free);
  g_autoptr(GHashTable) clashes = NULL;
  g_autoptr(GHashTable) none = NULL;
  CairnAgendaItem *cancelled;

  g_ptr_array_add (items, booked ("room-a", "p1", "r1", "s1", 9 * 60, 10 * 60));
  g_ptr_array_add (items, booked ("room-b", "p2", "r1", "s2", 9 * 60 + 30, 10 * 60 + 30));
  g_ptr_array_add (items, booked ("staff-a", "p3", "r2", "s3", 11 * 60, 12 * 60));
  g_ptr_array_add (items, booked ("staff-b", "p4", "r3", "s4,s3", 11 * 60 + 45, 12 * 60 + 15));
  g_ptr_array_add (items, booked ("patient-a", "p5", "r4", "s5", 13 * 60, 14 * 60));
  g_ptr_array_add (items, booked ("patient-b", "p5", NULL, NULL, 13 * 60, 13 * 60 + 15));
  /* Back to back is no clash; neither is one that was cancelled. */
  g_ptr_array_add (items, booked ("after", "p1", "r1", "s1", 10 * 60 + 30, 11 * 60));
  cancelled = booked ("cancelled", "p6", "r2", "s3", 11 * 60, 12 * 60);
  g_free (cancelled->appointment->status);
  cancelled->appointment->status = g_strdup ("cancelled");
  g_ptr_array_add (items, cancelled);

  clashes = cairn_agenda_find_clashes (items);
  g_assert_cmpuint (g_hash_table_size (clashes), ==, 6);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (clashes, "room-a")), ==, CAIRN_CONFLICT_ROOM);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (clashes, "room-b")), ==, CAIRN_CONFLICT_ROOM);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (clashes, "staff-a")), ==, CAIRN_CONFLICT_STAFF);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (clashes, "staff-b")), ==, CAIRN_CONFLICT_STAFF);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (clashes, "patient-a")), ==, CAIRN_CONFLICT_PATIENT);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (clashes, "patient-b")), ==, CAIRN_CONFLICT_PATIENT);
  g_assert_false (g_hash_table_contains (clashes, "after"));
  g_assert_false (g_hash_table_contains (clashes, "cancelled"));

  g_ptr_array_set_size (items, 0);
  none = cairn_agenda_find_clashes (items);
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);
}

static void
test_parse_when (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  struct {
    const char *date, *time, *length;
    const char *expected;    /* "start end" as local times, or the fields with problems */
  } cases[] = {
    { "2026-12-01", "09:30", "90", "2026-12-01 09:30 11:00" },
    { " 2026-12-01 ", "9:05", "1:30", "2026-12-01 09:05 10:35" },
    { "2026-12-01", "09:00", "8:00", "2026-12-01 09:00 17:00" },
    /* Across the night the clocks go back: eight hours of real time. */
    { "2026-10-24", "20:00", "480", "2026-10-24 20:00 03:00" },
    { "", "", "", "date time length" },
    { "1.12.2026", "9.30", "an hour", "date time length" },
    { "2026-02-30", "24:00", "0:61", "date time length" },
    { "2026-12-01", "09:00", "4", "length" },
    { "2026-12-01", "09:00", "16:01", "length" },
    { "2026-12-01", "09:00", "961", "length" },
    { "2026-12-01x", "09:00x", "90x", "date time length" },
    /* 02:30 does not happen in Berlin on 2027-03-28. */
    { "2027-03-28", "02:30", "60", "time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
      gint64 start = 0, end = 0;
      gboolean ok = cairn_agenda_parse_when (cases[i].date, cases[i].time, cases[i].length, zone, &start, &end,
                                             problems);
      g_autofree char *got = NULL;

      if (ok)
        {
          g_autoptr(GDateTime) s0 = g_date_time_new_from_unix_utc (start);
          g_autoptr(GDateTime) e0 = g_date_time_new_from_unix_utc (end);
          g_autoptr(GDateTime) s1 = g_date_time_to_timezone (s0, zone);
          g_autoptr(GDateTime) e1 = g_date_time_to_timezone (e0, zone);
          g_autofree char *a = g_date_time_format (s1, "%Y-%m-%d %H:%M");
          g_autofree char *b = g_date_time_format (e1, "%H:%M");

          got = g_strdup_printf ("%s %s", a, b);
          g_assert_cmpuint (problems->len, ==, 0);
        }
      else
        {
          GString *fields = g_string_new (NULL);

          for (guint j = 0; j < problems->len; j++)
            {
              const CairnFieldProblem *p = g_ptr_array_index (problems, j);

              g_assert_true (p->message != NULL && *p->message != '\0');
              g_string_append_printf (fields, "%s%s", j > 0 ? " " : "", p->field);
            }
          got = g_string_free (fields, FALSE);
        }
      g_test_message ("%s %s %s", cases[i].date, cases[i].time, cases[i].length);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

/* ------------------------------------------------------------------------ */
/* Reading a window from the vault                                           */

static void
test_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_dir_make_tmp ("cairn-agenda-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (parent, "vault", NULL);
  g_autofree char *recovery = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_create (dir, "Quell Practice", "Europe/Berlin", "Dr Ada Quell",
                                                   "lantern orchard fiddle 42", &test_params, &recovery, &error);
  CairnDatabase *db;
  g_autofree char *me = NULL;
  g_autofree char *room = NULL;
  g_autofree char *garden = NULL;
  g_autoptr(CairnPatient) mina = cairn_patient_new ();
  g_autoptr(CairnPatient) ben = cairn_patient_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) rooms = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) nine = g_date_time_new (zone, 2026, 11, 23, 9, 0, 0);
  gint64 t = g_date_time_to_unix (nine);
  CairnAgendaItem *first, *second;

  g_assert_no_error (error);
  db = cairn_vault_get_practice (vault);
  me = cairn_vault_get_user_id (vault);
  room = cairn_schedule_add_room (db, "Room 1", me, &error);
  garden = cairn_schedule_add_room (db, "garden room", me, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_schedule_set_practice_hours (db, "mon-sun 00:00-24:00", me, &error));
  mina->legal_name = g_strdup ("Carmen Delgado");
  mina->preferred_name = g_strdup ("Mina");
  mina->date_of_birth = g_strdup ("1990-06-15");
  ben->legal_name = g_strdup ("Ben Park");
  ben->date_of_birth = g_strdup ("1971-11-02");
  g_assert_true (cairn_patients_save (db, mina, me, &error));
  g_assert_true (cairn_patients_save (db, ben, me, &error));

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CairnAppointment) a = cairn_appointment_new ();
      const char *staff[] = { me, NULL };

      a->patient_id = g_strdup (i == 1 ? ben->id : mina->id);
      a->type_id = g_strdup (i == 1 ? "integration" : "preparation");
      /* 09:00, 10:30, and the next day at 09:00 */
      a->start = t + (i == 2 ? 24 * 3600 : i * 90 * 60);
      a->end = a->start + 90 * 60;
      a->room_id = g_strdup (i == 1 ? garden : room);
      a->staff_ids = g_strdupv ((char **) staff);
      g_assert_true (cairn_schedule_book (db, a, 1, TRUE, NULL, me, &error));
      g_assert_no_error (error);
    }

  /* The first day only. */
  items = cairn_agenda_list (db, t - 9 * 3600, t + 15 * 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  first = g_ptr_array_index (items, 0);
  second = g_ptr_array_index (items, 1);
  g_assert_cmpstr (first->patient, ==, "Mina");
  g_assert_cmpstr (first->chart_number, ==, mina->chart_number);
  g_assert_cmpstr (first->room, ==, "Room 1");
  g_assert_cmpstr (first->staff, ==, "Dr Ada Quell");
  g_assert_cmpstr (first->appointment->type_id, ==, "preparation");
  g_assert_cmpint (first->appointment->start, ==, t);
  g_assert_cmpstr (first->appointment->status, ==, "booked");
  g_assert_cmpstrv (first->appointment->staff_ids, ((const char * const[]) { me, NULL }));
  g_assert_cmpstr (second->patient, ==, "Ben Park");
  g_assert_cmpstr (second->room, ==, "garden room");

  /* An appointment that began before the window still shows in it. */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = cairn_agenda_list (db, t + 3600, t + 3600 + 60, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (((CairnAgendaItem *) g_ptr_array_index (items, 0))->patient, ==, "Mina");

  {
    g_autoptr(GPtrArray) staff = NULL;

    g_assert_true (cairn_vault_add_user (vault, "Sam Rivera", CAIRN_ROLE_FRONT_DESK, "copper willow signal 3",
                                         &test_params, &error));
    g_assert_true (cairn_vault_add_user (vault, "Chiara Costa", CAIRN_ROLE_CLINICIAN, "amber heron quiet 9",
                                         &test_params, &error));
    staff = cairn_agenda_list_staff (db, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (staff->len, ==, 3);
    /* Clinicians first, then by name. */
    g_assert_cmpstr (((CairnNamed *) g_ptr_array_index (staff, 0))->name, ==, "Chiara Costa");
    g_assert_cmpstr (((CairnNamed *) g_ptr_array_index (staff, 1))->name, ==, "Dr Ada Quell");
    g_assert_cmpstr (((CairnNamed *) g_ptr_array_index (staff, 1))->id, ==, me);
    g_assert_true (((CairnNamed *) g_ptr_array_index (staff, 1))->clinician);
    g_assert_cmpstr (((CairnNamed *) g_ptr_array_index (staff, 2))->name, ==, "Sam Rivera");
    g_assert_false (((CairnNamed *) g_ptr_array_index (staff, 2))->clinician);
  }

  /* One patient's, from a moment on: one under way still counts. */
  {
    g_autoptr(GPtrArray) mine = cairn_agenda_list_for_patient (db, mina->id, t + 3600, 10, &error);
    g_autoptr(GPtrArray) later = cairn_agenda_list_for_patient (db, mina->id, t + 2 * 3600, 10, &error);
    g_autoptr(GPtrArray) one = cairn_agenda_list_for_patient (db, mina->id, 0, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (mine->len, ==, 2);
    g_assert_cmpint (((CairnAgendaItem *) g_ptr_array_index (mine, 0))->appointment->start, ==, t);
    g_assert_cmpstr (((CairnAgendaItem *) g_ptr_array_index (mine, 0))->room, ==, "Room 1");
    g_assert_cmpuint (later->len, ==, 1);
    g_assert_cmpint (((CairnAgendaItem *) g_ptr_array_index (later, 0))->appointment->start, ==, t + 24 * 3600);
    g_assert_cmpuint (one->len, ==, 1);
  }

  rooms = cairn_agenda_list_rooms (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rooms->len, ==, 2);
  g_assert_cmpstr (((CairnNamed *) g_ptr_array_index (rooms, 0))->name, ==, "garden room");
  g_assert_cmpstr (((CairnNamed *) g_ptr_array_index (rooms, 1))->id, ==, room);

  g_clear_object (&vault);
  cairn_test_remove_tree (parent);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  g_test_add_func ("/agenda/layout", test_layout);
  g_test_add_func ("/agenda/layout-empty", test_layout_empty);
  g_test_add_func ("/agenda/clashes", test_clashes);
  g_test_add_func ("/agenda/parse-when", test_parse_when);
  g_test_add_func ("/agenda/list", test_list);
  return g_test_run ();
}
