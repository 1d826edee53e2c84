/* test-demo.c
 *
 * The demo practice: it opens with demo/demo, holds fictional staff, rooms,
 * hours and two hundred patients, and is the same every time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "cairn-audit.h"
#include "cairn-demo.h"
#include "cairn-journey.h"
#include "cairn-patients.h"
#include "cairn-schedule.h"
#include "cairn-test-tree.h"
#include "cairn-vfs.h"

static char *
names_of (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);

  g_assert_no_error (error);
  return cairn_database_query_text (cairn_vault_get_practice (vault),
                                    "SELECT group_concat (legal_name, '|') FROM"
                                    " (SELECT legal_name FROM patients ORDER BY chart_number)", NULL, 0, &error);
}

static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("cairn-demo-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "one", NULL);
  g_autofree char *other = g_build_filename (tmp, "two", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 12, 0, 0);
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(CairnPracticeRules) rules = NULL;
  g_autofree char *rooms = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *report = NULL;

  cairn_demo_create (dir, now, &error);
  g_assert_no_error (error);

  vault = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_has_clinical (vault));
  users = cairn_vault_get_users (vault);
  g_assert_cmpuint (users->len, ==, 4);

  found = cairn_patients_search (cairn_vault_get_practice (vault), NULL, TRUE, 0, &error);
  g_assert_cmpuint (found->len, ==, 200);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = cairn_patients_search (cairn_vault_get_practice (vault), NULL, FALSE, 0, &error);
  g_assert_cmpuint (found->len, ==, 190);

  rooms = cairn_database_query_text (cairn_vault_get_practice (vault), "SELECT count(*) FROM rooms", NULL, 0, &error);
  g_assert_cmpstr (rooms, ==, "3");
  rules = cairn_practice_rules_load (cairn_vault_get_practice (vault), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_practice_rules_get (rules)->n_staff, ==, 4);

  /* A calendar around the day: forty courses of the default template,
   * what lies behind settled, the weeks ahead booked. */
  {
    CairnDatabase *db = cairn_vault_get_practice (vault);
    g_autofree char *t = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now));
    g_autofree char *courses = cairn_database_query_text (db, "SELECT count(DISTINCT course_id) FROM appointments",
                                                          NULL, 0, &error);
    g_autofree char *total = cairn_database_query_text (db, "SELECT count(*) FROM appointments", NULL, 0, &error);
    g_autofree char *open_past = cairn_database_query_text (db, "SELECT count(*) FROM appointments"
                                                            " WHERE end_utc <= CAST (? AS INTEGER)"
                                                            " AND status = 'booked'", (const char *[]) { t }, 1,
                                                            &error);
    g_autofree char *ahead = cairn_database_query_text (db, "SELECT count(*) FROM appointments"
                                                        " WHERE start_utc > CAST (? AS INTEGER)"
                                                        " AND status = 'booked'", (const char *[]) { t }, 1, &error);
    g_autofree char *missed = cairn_database_query_text (db, "SELECT count(*) FROM appointments"
                                                         " WHERE status IN ('no-show', 'cancelled')", NULL, 0,
                                                         &error);

    g_assert_no_error (error);
    g_assert_cmpstr (courses, ==, "40");
    /* 1480 in the courses, and a screening visit before each. */
    g_assert_cmpstr (total, ==, "1520");
    g_assert_cmpstr (open_past, ==, "0");
    g_assert_cmpint (atoi (ahead), >, 100);
    g_assert_cmpint (atoi (missed), >, 10);
  }

  /* The clinical record of every stage: each figure is what the demo's
   * seed makes, so a change shows here. */
  {
    CairnDatabase *db = cairn_vault_get_clinical (vault);
    struct { const char *sql; int at_least; } counts[] = {
      { "SELECT count(*) FROM screenings", 30 },
      { "SELECT count(*) FROM eligibility_decisions WHERE decision = 'eligible'", 25 },
      { "SELECT count(*) FROM eligibility_decisions WHERE decision = 'needs-review'", 1 },
      { "SELECT count(*) FROM screening_exclusions WHERE answer = 'unknown'", 1 },
      { "SELECT count(*) FROM medications WHERE serotonergic AND tapered_off IS NULL", 1 },
      { "SELECT count(*) FROM notes WHERE state = 'signed'", 200 },
      { "SELECT count(*) FROM notes WHERE state = 'draft'", 2 },
      { "SELECT count(*) FROM note_addenda", 1 },
      { "SELECT count(*) FROM phone_check_ins WHERE reached", 100 },
      { "SELECT count(*) FROM phone_check_ins WHERE NOT reached", 3 },
      { "SELECT count(*) FROM measures WHERE instrument = 'pcl-5'", 90 },
      { "SELECT count(*) FROM measures WHERE instrument = 'caps-5'", 30 },
      /* A year of measures for the longest waiting. */
      { "SELECT julianday (max (taken_on)) - julianday (min (taken_on)) FROM measures", 300 },
    };
    guint n_audit = 0;

    for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
      {
        g_autofree char *value = cairn_database_query_text (db, counts[i].sql, NULL, 0, &error);

        g_assert_no_error (error);
        if (atoi (value) < counts[i].at_least)
          g_error ("%s gave %s, expected at least %d", counts[i].sql, value, counts[i].at_least);
      }
    /* Stamped when the events took place, not when the demo was made. */
    {
      g_autofree char *oldest = cairn_database_query_text (db, "SELECT min (signed_at) FROM notes", NULL, 0, &error);

      g_assert_cmpstr (oldest, <, "2026-06-01");
    }
    g_assert_true (cairn_audit_verify (db, &n_audit, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_audit, >, 1000);
  }

  /* Every journey of the demo reads, and between them they raise each
   * kind of alert a clinician should see on a working practice's day. */
  {
    g_autoptr(GPtrArray) all = cairn_patients_search (cairn_vault_get_practice (vault), NULL, FALSE, 0, &error);
    guint kinds = 0;

    for (guint i = 0; i < all->len; i++)
      {
        const CairnPatientSummary *patient = g_ptr_array_index (all, i);
        g_autoptr(CairnJourney) journey = cairn_journey_load (vault, patient->id, g_date_time_to_unix (now), &error);

        g_assert_no_error (error);
        for (guint k = 0; k < journey->alerts->len; k++)
          kinds |= 1u << ((CairnJourneyAlert *) g_ptr_array_index (journey->alerts, k))->kind;
      }
    for (CairnJourneyAlertKind kind = CAIRN_JOURNEY_ALERT_ELIGIBILITY; kind <= CAIRN_JOURNEY_ALERT_NOTE_UNSIGNED; kind++)
      if (kind != CAIRN_JOURNEY_ALERT_NOT_ELIGIBLE && !(kinds & (1u << kind)))
        g_error ("No demo patient has a journey alert of kind %d", kind);
  }
  g_clear_object (&vault);

  /* Sound, and the same practice every time. */
  g_assert_true (cairn_vault_check (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &report, &error));
  g_assert_no_error (error);
  g_assert_true (cairn_demo_create (other, now, &error));
  first = names_of (dir);
  second = names_of (other);
  g_assert_cmpstr (first, ==, second);

  /* Never over an existing vault. */
  g_assert_false (cairn_demo_create (dir, now, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_EXISTS);

  cairn_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  g_test_add_func ("/demo/create", test_demo);

  return g_test_run ();
}
