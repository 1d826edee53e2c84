/* test-demo.c
 *
 * The demo practice: it opens with demo/demo, holds fictional staff, rooms,
 * hours and two hundred patients, and is the same every time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "cairn-demo.h"
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

  g_assert_true (cairn_demo_create (dir, now, &error));
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
    g_assert_cmpstr (total, ==, "1480");
    g_assert_cmpstr (open_past, ==, "0");
    g_assert_cmpint (atoi (ahead), >, 100);
    g_assert_cmpint (atoi (missed), >, 10);
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
