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

char *
cairn_record_timestamp_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return cairn_record_timestamp (now);
}
