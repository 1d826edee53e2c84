/* cairn-demo.c
 *
 * A demo practice to try Cairn with, or to show it: a throwaway vault with
 * fictional staff, rooms, opening hours and about two hundred patients.
 * Its user "demo" has the passphrase "demo", which the unlock page says;
 * nothing real should ever be put into it. Generated from a fixed seed, so
 * every demo vault holds the same people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-demo"

#include "config.h"

#include "cairn-demo.h"
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

  return add_patients (db, author, now, error);
}
