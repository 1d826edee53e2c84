/* cairn-today-screen.c
 *
 * The Today page's read: the appointments of the practice's day (from its
 * midnight to the next, in its zone, whatever the machine's zone is) and
 * its rooms. Run on the vault's worker; front desk and clinicians alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screens"

#include "config.h"

#include "cairn-schedule.h"
#include "cairn-today-screen.h"

void
cairn_today_screen_free (CairnTodayScreen *screen)
{
  if (screen == NULL)
    return;
  g_clear_pointer (&screen->zone, g_time_zone_unref);
  g_clear_pointer (&screen->items, g_ptr_array_unref);
  g_clear_pointer (&screen->rooms, g_ptr_array_unref);
  g_free (screen);
}

/**
 * cairn_today_screen_load:
 * @vault: an unlocked vault
 * @now: the time now, seconds since the Unix epoch: which day it is
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the Today page shows
 */
CairnTodayScreen *
cairn_today_screen_load (CairnVault  *vault,
                         gint64       now,
                         GError     **error)
{
  g_autoptr(CairnTodayScreen) screen = NULL;
  g_autoptr(CairnPracticeRules) rules = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) next = NULL;
  CairnDatabase *db;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);

  db = cairn_vault_get_practice (vault);
  if ((rules = cairn_practice_rules_load (db, error)) == NULL)
    return NULL;
  screen = g_new0 (CairnTodayScreen, 1);
  screen->zone = g_time_zone_ref (cairn_practice_rules_get (rules)->zone);
  local = g_date_time_to_timezone (utc, screen->zone);
  midnight = g_date_time_new (screen->zone, g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), 0, 0, 0);
  next = g_date_time_add_days (midnight, 1);
  screen->start = g_date_time_to_unix (midnight);
  screen->end = g_date_time_to_unix (next);
  if ((screen->items = cairn_agenda_list (db, screen->start, screen->end, error)) == NULL ||
      (screen->rooms = cairn_agenda_list_rooms (db, error)) == NULL)
    return NULL;
  return g_steal_pointer (&screen);
}
