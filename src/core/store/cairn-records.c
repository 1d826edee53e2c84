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
