/* test-records.c
 *
 * What every store shares: the strict reading of a stored day
 * ("YYYY-MM-DD" in digits, a real calendar day, nothing else), writing a
 * day back the same way, blank text, and field problems. The stores' own
 * tests check that each date field refuses what is not a day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-patients.h"
#include "cairn-records.h"

static void
test_parse_day (void)
{
  static const char * const not_days[] = {
    "2025- 9-30", "2025-+9-30", "2025-9-30", "2025-09-3", "2025-02-30", "2025-13-01", "2025-00-10",
    "2025-09-30x", "2025-09-30 00:00", "2025-09-30T10:00", "2025/09/30", "+025-09-30", " 2025-09-3",
    "２０２５-09-30", "2025-02-29", "", "0000-01-01",
  };
  GDate day;

  g_assert_true (cairn_record_parse_day ("2024-02-29", &day));
  g_assert_cmpuint (g_date_get_year (&day), ==, 2024);
  g_assert_cmpuint (g_date_get_month (&day), ==, G_DATE_FEBRUARY);
  g_assert_cmpuint (g_date_get_day (&day), ==, 29);

  g_assert_true (cairn_record_parse_day ("1900-01-01", &day));
  g_assert_cmpuint (g_date_get_year (&day), ==, 1900);

  g_assert_false (cairn_record_parse_day (NULL, &day));
  g_assert_false (g_date_valid (&day));

  for (guint i = 0; i < G_N_ELEMENTS (not_days); i++)
    {
      g_test_message ("not a day: “%s”", not_days[i]);
      g_assert_true (cairn_record_parse_day ("2024-02-29", &day));
      g_assert_false (cairn_record_parse_day (not_days[i], &day));
      /* Nothing of the day before stays behind. */
      g_assert_false (g_date_valid (&day));
    }
}

static void
test_format_day (void)
{
  GDate day;
  g_autofree char *text = NULL;
  g_autofree char *early = NULL;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 3, G_DATE_DECEMBER, 2026);
  text = cairn_record_format_day (&day);
  g_assert_cmpstr (text, ==, "2026-12-03");

  g_date_set_dmy (&day, 9, G_DATE_JANUARY, 987);
  early = cairn_record_format_day (&day);
  g_assert_cmpstr (early, ==, "0987-01-09");

  /* What is written is read back as the same day. */
  g_assert_true (cairn_record_parse_day (early, &day));
  g_assert_cmpuint (g_date_get_year (&day), ==, 987);
}

static void
test_text_is_blank (void)
{
  g_assert_true (cairn_text_is_blank (NULL));
  g_assert_true (cairn_text_is_blank (""));
  g_assert_true (cairn_text_is_blank (" \t\n"));
  g_assert_true (cairn_text_is_blank ("\u3000\u00a0 "));  /* ideographic and no-break spaces */
  g_assert_false (cairn_text_is_blank ("a"));
  g_assert_false (cairn_text_is_blank ("  x  "));
}

static void
test_field_problem_add (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  const CairnFieldProblem *problem;

  cairn_field_problem_add (problems, "taken_on", g_strdup ("This day is in the future."));
  cairn_field_problem_add (problems, "total", g_strdup ("A total."));

  g_assert_cmpuint (problems->len, ==, 2);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (problem->field, ==, "taken_on");
  g_assert_cmpstr (problem->message, ==, "This day is in the future.");
  problem = g_ptr_array_index (problems, 1);
  g_assert_cmpstr (problem->field, ==, "total");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/records/parse-day", test_parse_day);
  g_test_add_func ("/records/format-day", test_format_day);
  g_test_add_func ("/records/text-is-blank", test_text_is_blank);
  g_test_add_func ("/records/field-problem-add", test_field_problem_add);

  return g_test_run ();
}
