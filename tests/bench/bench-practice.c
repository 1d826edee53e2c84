/* bench-practice.c
 *
 * A large practice: makes a vault with 20,000 fictional patients and
 * 400,000 appointments over ten years (--patients N, --appointments N), then
 * measures what the front desk waits for: unlocking up to the Today page's
 * data, a week of appointments, and search per keystroke (30 names typed
 * one character at a time, as the patient list searches on every
 * keystroke). It prints figures and asserts none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sodium.h>

#include "cairn-agenda.h"
#include "cairn-patients.h"
#include "cairn-schedule.h"
#include "cairn-records.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const char * const given[] = {
  "Ada", "Ben", "Cleo", "Dario", "Elif", "Farid", "Greta", "Hana", "Ines", "Jonas", "Kemal", "Lena",
  "Mara", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Vera", "Wim", "Xenia",
  "Yusuf", "Zoë", "Amélie", "Bruno", "Chiara", "Dmitri", "Emma", "Felix", "Gustav", "Helga", "Ivo",
  "Jana", "Karin", "Luca", "Mia", "Noah", "Oskar", "Paula", "Rafael", "Sofia", "Theo", "Ulla",
};

static const char * const family[] = {
  "Quell", "Okafor", "Park", "Moreno", "Adler", "Becker", "Çelik", "Dahl", "Eriksen", "Fischer",
  "García", "Hoffmann", "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Meier", "Nowak", "Olsen",
  "Petrović", "Quint", "Richter", "Schmidt", "Tanaka", "Ulrich", "Vogel", "Wagner", "Yilmaz",
  "Zimmermann", "Ahn", "Brandt", "Costa", "Dubois", "Engel", "Ferrari", "Graf", "Haas", "Ito",
};

/* Thirty names as a front desk would type them, some partial, some with
 * the family name first, one a chart number and one a phone number. */
static const char * const typed[] = {
  "ada quell", "ben okafor", "cleo park", "dario moreno", "elif adler", "farid becker", "greta celik",
  "hana dahl", "ines eriksen", "jonas fischer", "kemal garcia", "lena hoffmann", "mara ivanova",
  "nils jansen", "olga kowalski", "pavel lindqvist", "quinn meier", "rosa nowak", "sami olsen",
  "tove petrovic", "zoe quint", "richter uma", "schmidt vera", "wim tanaka", "xenia ulrich",
  "yusuf vogel", "amelie wagner", "bruno yilmaz", "C-001234", "0176 5550",
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i = (guint) (p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

static gboolean
fill (CairnDatabase  *db,
      guint           n,
      GError        **error)
{
  GRand *rand = g_rand_new_with_seed (20261122);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *now = cairn_record_timestamp_now ();
  gboolean ok = FALSE;
  int rc;

  if (!cairn_database_exec (db, "BEGIN IMMEDIATE", error))
    goto out;
  rc = sqlite3_prepare_v2 (cairn_database_get_handle (db),
                           "INSERT INTO patients (id, chart_number, legal_name, date_of_birth, phone, phone_digits,"
                           " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < n; i++)
    {
      g_autofree char *id = cairn_record_new_id ();
      g_autofree char *chart = g_strdup_printf ("C-%06u", i + 1);
      g_autofree char *name = g_strdup_printf ("%s %s", given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))],
                                               family[g_rand_int_range (rand, 0, G_N_ELEMENTS (family))]);
      g_autofree char *born = g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (rand, 1940, 2006),
                                               g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      g_autofree char *phone = g_strdup_printf ("0176 555%05d", g_rand_int_range (rand, 0, 100000));
      g_autofree char *digits = cairn_phone_digits (phone);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, chart, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, born, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, phone, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, digits, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      rc = rc == SQLITE_DONE ? sqlite3_reset (stmt) : rc;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      cairn_database_set_error (db, rc, error);
      cairn_database_exec (db, "ROLLBACK", NULL);
      goto out;
    }
  ok = cairn_database_exec (db, "COMMIT", error);

out:
  g_rand_free (rand);
  return ok;
}

static const char * const types[] = { "preparation", "integration", "phone-check-in", "medicine-session" };
static const int minutes[] = { 90, 90, 15, 480 };

/* Appointments for random patients on weekdays of the ten years around
 * @now, with staff and rooms, in one transaction. */
static gboolean
fill_appointments (CairnDatabase  *db,
                   guint           n,
                   GDateTime      *now,
                   GError        **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) staff = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rooms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *created = cairn_record_timestamp_now ();
  g_autoptr(GDateTime) first_day = g_date_time_add_years (now, -9);
  sqlite3_stmt *insert = NULL;
  sqlite3_stmt *crew = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (cairn_database_get_handle (db), "SELECT id FROM patients", -1, &stmt, NULL);
  while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (patients, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  rc = sqlite3_prepare_v2 (cairn_database_get_handle (db), "SELECT id FROM users", -1, &stmt, NULL);
  while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (staff, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("Room %u", i + 1);
      char *room = cairn_schedule_add_room (db, name, NULL, error);

      if (room == NULL)
        return FALSE;
      g_ptr_array_add (rooms, room);
    }

  if (!cairn_database_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  rc = sqlite3_prepare_v2 (cairn_database_get_handle (db),
                           "INSERT INTO appointments (id, patient_id, type_id, start_utc, end_utc, room_id,"
                           " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &insert, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (cairn_database_get_handle (db),
                             "INSERT OR IGNORE INTO appointment_staff (appointment_id, user_id) VALUES (?, ?)",
                             -1, &crew, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < n; i++)
    {
      g_autofree char *id = cairn_record_new_id ();
      int t = g_rand_int_range (rand, 0, G_N_ELEMENTS (types));
      g_autoptr(GDateTime) day = g_date_time_add_days (first_day, g_rand_int_range (rand, 0, 3650));
      g_autoptr(GDateTime) start = g_date_time_new (zone, g_date_time_get_year (day), g_date_time_get_month (day),
                                                    g_date_time_get_day_of_month (day),
                                                    g_rand_int_range (rand, 8, 17), 15 * g_rand_int_range (rand, 0, 4), 0);
      gint64 begin = g_date_time_to_unix (start);

      sqlite3_bind_text (insert, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, g_ptr_array_index (patients, g_rand_int_range (rand, 0, patients->len)), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, types[t], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 4, begin);
      sqlite3_bind_int64 (insert, 5, begin + 60 * minutes[t]);
      sqlite3_bind_text (insert, 6, g_ptr_array_index (rooms, g_rand_int_range (rand, 0, rooms->len)), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (insert, 7, created, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 8, created, -1, SQLITE_STATIC);
      rc = sqlite3_step (insert);
      rc = rc == SQLITE_DONE ? sqlite3_reset (insert) : rc;
      for (guint s = 0; rc == SQLITE_OK && s < (t == 3 ? 2u : 1u); s++)
        {
          sqlite3_bind_text (crew, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_text (crew, 2, g_ptr_array_index (staff, g_rand_int_range (rand, 0, staff->len)), -1,
                             SQLITE_STATIC);
          rc = sqlite3_step (crew);
          rc = rc == SQLITE_DONE ? sqlite3_reset (crew) : rc;
        }
    }
  sqlite3_finalize (insert);
  sqlite3_finalize (crew);
  if (rc != SQLITE_OK)
    {
      cairn_database_set_error (db, rc, error);
      cairn_database_exec (db, "ROLLBACK", NULL);
      return FALSE;
    }
  return cairn_database_exec (db, "COMMIT", error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— a large practice: unlock to Today, a week, search");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *recovery = NULL;
  const CairnKdfParams cheap = { 1, 8 * 1024 * 1024 };
  int patients = 20000;
  int appointments = 400000;
  char *keep = NULL;
  gint64 start;
  guint keystrokes = 0;
  gsize found_total = 0;
  GOptionEntry entries[] = {
    { "patients", 0, 0, G_OPTION_ARG_INT, &patients, "How many patients (default 20000)", "N" },
    { "appointments", 0, 0, G_OPTION_ARG_INT, &appointments, "How many appointments (default 400000)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Make the vault in DIR and keep it (passphrase: "
      "“lantern orchard fiddle 42”, user “Bench Clinician”)", "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || patients < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--patients must be at least 1");
      return 2;
    }
  if (!cairn_vfs_init (&error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (keep != NULL)
    dir = g_strdup (keep);
  else
    {
      tmp = g_dir_make_tmp ("cairn-bench-patients-XXXXXX", &error);
      if (tmp == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      dir = g_build_filename (tmp, "vault", NULL);
    }

  vault = cairn_vault_create (dir, "Bench Practice", "Europe/Berlin", "Bench Clinician",
                              "lantern orchard fiddle 42", &cheap, &recovery, &error);
  if (vault == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  if (!fill (cairn_vault_get_practice (vault), (guint) patients, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%d patients written in %.1f s (one transaction)\n", patients,
           (g_get_monotonic_time () - start) / 1e6);
  start = g_get_monotonic_time ();
  if (!fill_appointments (cairn_vault_get_practice (vault), (guint) MAX (appointments, 0), now, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%d appointments over ten years written in %.1f s (one transaction)\n", appointments,
           (g_get_monotonic_time () - start) / 1e6);

  /* Unlock anew, as in the morning: the key derivation here is the cheap
   * test cost, so what is timed is opening, migrations check and the
   * Today page's query, all that comes on top of Argon2id. */
  g_clear_object (&vault);
  {
    g_autoptr(GPtrArray) rows = NULL;
    g_autoptr(GPtrArray) week = NULL;
    GDate today;
    gint64 t0 = g_get_monotonic_time ();
    double unlock_ms, today_ms, week_ms;

    vault = cairn_vault_unlock (dir, "Bench Clinician", "lantern orchard fiddle 42", &error);
    if (vault == NULL)
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
    unlock_ms = (g_get_monotonic_time () - t0) / 1000.0;
    g_date_clear (&today, 1);
    g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now), (GDateMonth) g_date_time_get_month (now),
                    (GDateYear) g_date_time_get_year (now));
    t0 = g_get_monotonic_time ();
    /* What the Today page reads: the practice's rules, the day with its
     * names, and the rooms. */
    {
      g_autoptr(CairnPracticeRules) rules = cairn_practice_rules_load (cairn_vault_get_practice (vault), &error);
      g_autoptr(GDateTime) midnight = g_date_time_new (cairn_practice_rules_get (rules)->zone,
                                                       g_date_get_year (&today), g_date_get_month (&today),
                                                       g_date_get_day (&today), 0, 0, 0);
      g_autoptr(GPtrArray) rooms = cairn_agenda_list_rooms (cairn_vault_get_practice (vault), &error);

      rows = rooms != NULL ? cairn_agenda_list (cairn_vault_get_practice (vault), g_date_time_to_unix (midnight),
                                                g_date_time_to_unix (midnight) + 86400, &error) : NULL;
    }
    today_ms = (g_get_monotonic_time () - t0) / 1000.0;
    /* What the week grid reads. */
    t0 = g_get_monotonic_time ();
    week = rows != NULL ? cairn_agenda_list (cairn_vault_get_practice (vault), g_date_time_to_unix (now),
                                             g_date_time_to_unix (now) + 7 * 86400, &error) : NULL;
    week_ms = (g_get_monotonic_time () - t0) / 1000.0;
    if (week == NULL)
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
    g_print ("unlock beyond the key derivation: %.1f ms; today's %u appointments: %.1f ms "
             "(together %.1f ms, target ≤ 1000 ms)\n", unlock_ms, rows->len, today_ms, unlock_ms + today_ms);
    g_print ("a week's %u appointments with their names, as the week grid reads them: %.1f ms\n", week->len,
             week_ms);
  }

  for (guint n = 0; n < G_N_ELEMENTS (typed); n++)
    {
      glong length = g_utf8_strlen (typed[n], -1);

      for (glong k = 1; k <= length; k++)
        {
          g_autofree char *prefix = g_utf8_substring (typed[n], 0, k);
          g_autoptr(GPtrArray) found = NULL;
          gint64 t0 = g_get_monotonic_time ();
          double ms;

          found = cairn_patients_search (cairn_vault_get_practice (vault), prefix, FALSE, 200, &error);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          if (found == NULL)
            {
              g_printerr ("Searching for “%s” failed: %s\n", prefix, error->message);
              return 1;
            }
          g_array_append_val (times, ms);
          found_total += found->len;
          keystrokes++;
        }
    }

  g_array_sort (times, compare_doubles);
  g_print ("%u keystrokes over %u names, up to 200 results each (%" G_GSIZE_FORMAT " rows in all)\n",
           keystrokes, (guint) G_N_ELEMENTS (typed), found_total);
  g_print ("search per keystroke: p50 %.2f ms, p95 %.2f ms, max %.2f ms (target: p95 ≤ 10 ms)\n",
           percentile (times, 0.50), percentile (times, 0.95),
           g_array_index (times, double, times->len - 1));

  g_clear_object (&vault);
  if (tmp != NULL)
    cairn_test_remove_tree (tmp);
  else
    g_print ("The vault is in %s\n", dir);
  g_free (keep);
  return 0;
}
