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
  g_clear_pointer (&screen->clashes, g_hash_table_unref);
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
  screen->clashes = cairn_agenda_find_clashes (screen->items);
  return g_steal_pointer (&screen);
}

typedef struct
{
  char *id;
  char *status;
} StatusChange;

static void
status_change_free (StatusChange *change)
{
  g_free (change->id);
  g_free (change->status);
  g_free (change);
}

static gpointer
status_job (CairnVault    *vault,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  StatusChange *change = data;
  g_autofree char *me = cairn_vault_get_user_id (vault);

  if (!cairn_schedule_set_status (cairn_vault_get_practice (vault), change->id, change->status, NULL, me, error))
    return NULL;
  return g_strdup (change->id);
}

/**
 * cairn_today_set_status_async:
 * @vault: an unlocked vault
 * @appointment_id: the arrival's appointment
 * @status: "checked-in" or "no-show"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_today_set_status_async (CairnVault          *vault,
                              const char          *appointment_id,
                              const char          *status,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  StatusChange *change = g_new0 (StatusChange, 1);

  change->id = g_strdup (appointment_id);
  change->status = g_strdup (status);
  cairn_vault_run_async (vault, status_job, change, (GDestroyNotify) status_change_free, g_free, cancellable,
                         callback, user_data);
}

/**
 * cairn_today_set_status_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the status was changed
 */
gboolean
cairn_today_set_status_finish (CairnVault    *vault,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_autofree char *id = cairn_vault_run_finish (vault, result, error);

  return id != NULL;
}
