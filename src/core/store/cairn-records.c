/* cairn-records.c
 *
 * What every record shares: a random UUID key (so that two machines of one
 * practice can merge their records later) and UTC times in ISO 8601 with
 * milliseconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <string.h>

#include "cairn-records.h"

char *
cairn_record_new_id (void)
{
  return g_uuid_string_random ();
}

char *
cairn_record_timestamp (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

/* Microseconds since the epoch that "now" stands at for the records, or 0
 * for the clock. Only the demo practice sets it, on one thread, while it
 * writes a past that never happened. */
static gint64 record_clock;
G_LOCK_DEFINE_STATIC (record_clock);

/**
 * cairn_record_set_clock:
 * @unix_usec: the time to stamp records with, or 0 for the clock
 *
 * For the demo practice only: it makes its records as if written when
 * their events took place. Nothing else may call this.
 */
void
cairn_record_set_clock (gint64 unix_usec)
{
  G_LOCK (record_clock);
  record_clock = unix_usec;
  G_UNLOCK (record_clock);
}

char *
cairn_record_timestamp_now (void)
{
  g_autoptr(GDateTime) now = NULL;
  gint64 fixed;

  G_LOCK (record_clock);
  fixed = record_clock;
  G_UNLOCK (record_clock);

  if (fixed == 0)
    now = g_date_time_new_now_utc ();
  else
    {
      g_autoptr(GDateTime) second = g_date_time_new_from_unix_utc (fixed / G_USEC_PER_SEC);

      now = g_date_time_add (second, fixed % G_USEC_PER_SEC);
    }
  return cairn_record_timestamp (now);
}

/**
 * cairn_record_parse_day:
 * @text: (nullable): a day as typed or stored
 * @day: (out caller-allocates): the day, when it is one; cleared otherwise
 *
 * Reads a day the one way the vault writes it: exactly "YYYY-MM-DD",
 * digits only, a real calendar day. " 9", "+9", "2025-9-30", "2025-02-30"
 * and anything after the day are not days.
 *
 * Returns: %TRUE when @text is such a day
 */
gboolean
cairn_record_parse_day (const char *text,
                        GDate      *day)
{
  guint year = 0, month = 0, date = 0;

  g_return_val_if_fail (day != NULL, FALSE);

  g_date_clear (day, 1);
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  for (guint i = 0; i < 4; i++)
    year = year * 10 + (guint) (text[i] - '0');
  month = (guint) (text[5] - '0') * 10 + (guint) (text[6] - '0');
  date = (guint) (text[8] - '0') * 10 + (guint) (text[9] - '0');
  if (!g_date_valid_dmy ((GDateDay) date, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_set_dmy (day, (GDateDay) date, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/**
 * cairn_record_format_day:
 * @day: a valid day
 *
 * Returns: (transfer full): @day the way the vault keeps it, "YYYY-MM-DD"
 */
char *
cairn_record_format_day (const GDate *day)
{
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", (guint) g_date_get_year (day), (guint) g_date_get_month (day),
                          (guint) g_date_get_day (day));
}

/**
 * cairn_text_is_blank:
 * @text: (nullable): text as typed
 *
 * Returns: %TRUE when @text is %NULL, empty or only white space
 */
gboolean
cairn_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/**
 * cairn_field_problem_add:
 * @problems: (element-type CairnFieldProblem): where to add it
 * @field: (not nullable): the field's name; static or interned, not copied
 * @message: (transfer full): what is wrong, said for the person typing
 *
 * Appends a #CairnFieldProblem for @field to @problems.
 */
void
cairn_field_problem_add (GPtrArray  *problems,
                         const char *field,
                         char       *message)
{
  CairnFieldProblem *problem;

  g_return_if_fail (problems != NULL);

  problem = g_new0 (CairnFieldProblem, 1);
  problem->field = field;
  problem->message = message;
  g_ptr_array_add (problems, problem);
}

void
cairn_field_problem_free (CairnFieldProblem *problem)
{
  g_free (problem->message);
  g_free (problem);
}
