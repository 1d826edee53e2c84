/* fuzz-dates.c
 *
 * The day and time parsers behind every date field: the records' strict day
 * (dates of birth, screening dates), the practice's closed days, and the
 * booking form's date, time and length. The input is up to three lines:
 * date, time, length. A day that is taken must format back to a text that
 * reads as the same day; an appointment that is taken must end after it
 * starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cairn-agenda.h"
#include "cairn-fuzz.h"
#include "cairn-patients.h"
#include "cairn-practice-setup.h"
#include "cairn-records.h"

static GTimeZone *zone;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  cairn_fuzz_init ();
  /* A zone with a daylight-saving change, so that skipped times occur. */
  zone = g_time_zone_new_identifier ("Europe/Berlin");
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  return 0;
}

static void
check_record_day (const char *text)
{
  GDate day;
  g_autofree char *formatted = NULL;
  GDate again;

  g_date_clear (&day, 1);
  if (!cairn_record_parse_day (text, &day))
    return;
  g_assert_true (g_date_valid (&day));
  formatted = cairn_record_format_day (&day);
  g_date_clear (&again, 1);
  if (!cairn_record_parse_day (formatted, &again) || g_date_compare (&day, &again) != 0)
    g_error ("A day does not read back");
}

static void
check_practice_day (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  char formatted[32];
  GDate day, again;

  g_date_clear (&day, 1);
  if (!cairn_practice_parse_day (text, &day, &error))
    {
      g_assert_nonnull (error);
      cairn_fuzz_check_message (error);
      return;
    }
  g_assert_true (g_date_valid (&day));
  /* Shown to a person, and written back as year-month-day. */
  shown = cairn_practice_format_day (&day);
  g_assert_true (g_utf8_validate (shown, -1, NULL));
  g_assert_cmpuint (g_date_strftime (formatted, sizeof formatted, "%Y-%m-%d", &day), ==, 10);
  g_date_clear (&again, 1);
  if (!cairn_practice_parse_day (formatted, &again, &error) || g_date_compare (&day, &again) != 0)
    g_error ("A closed day does not read back");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = cairn_fuzz_text (data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 3);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  guint n = g_strv_length (lines);
  const char *date = n > 0 ? lines[0] : "";
  const char *start_time = n > 1 ? lines[1] : "09:00";
  const char *length = n > 2 ? lines[2] : "60";
  gint64 start = 0, end = 0;

  check_record_day (text);
  check_record_day (date);
  check_practice_day (date);

  if (cairn_agenda_parse_when (date, start_time, length, zone, &start, &end, problems))
    {
      g_assert_cmpuint (problems->len, ==, 0);
      g_assert_cmpint (end, >, start);
    }
  else
    {
      g_assert_cmpuint (problems->len, >, 0);
      for (guint i = 0; i < problems->len; i++)
        {
          const CairnFieldProblem *problem = g_ptr_array_index (problems, i);

          g_assert_true (g_utf8_validate (problem->message, -1, NULL));
        }
    }

  return 0;
}
