/* cairn-settings-screen.c
 *
 * What the preferences pages read and write: the Staff page's list, the
 * Practice page's hours, rooms and closed days, the Security page's
 * passphrases, users, keys and automatic lock, and the Protocols page's
 * templates (with the template editor's save). Each read is one struct
 * with its free function; each write or background call is an
 * _async/_finish pair running one job on the vault's worker, one
 * transaction with its audit entry where it writes. The errors are the
 * store's and the vault's own (a wrong passphrase, a weak one, a day in
 * the past), for the pages to show as they are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screens"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "cairn-agenda.h"
#include "cairn-schedule.h"
#include "cairn-settings-screen.h"

/* What every job answers with when there is nothing more to say. */
#define DONE GINT_TO_POINTER (TRUE)

static void
wipe_string (char *text)
{
  if (text != NULL)
    {
      sodium_memzero (text, strlen (text));
      g_free (text);
    }
}

static gboolean
finish_done (CairnVault    *vault,
             GAsyncResult  *result,
             GError       **error)
{
  return cairn_vault_run_finish (vault, result, error) != NULL;
}

/* ------------------------------------------------------------------------ */
/* Staff                                                                     */

void
cairn_staff_screen_free (CairnStaffScreen *screen)
{
  if (screen == NULL)
    return;
  g_clear_pointer (&screen->staff, g_ptr_array_unref);
  g_free (screen);
}

/**
 * cairn_staff_screen_load:
 * @vault: an unlocked vault, anyone's
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the Staff page shows
 */
CairnStaffScreen *
cairn_staff_screen_load (CairnVault  *vault,
                         GError     **error)
{
  g_autoptr(CairnStaffScreen) screen = g_new0 (CairnStaffScreen, 1);

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);

  screen->staff = cairn_practice_list_staff (cairn_vault_get_practice (vault), error);
  return screen->staff != NULL ? g_steal_pointer (&screen) : NULL;
}

static gpointer
staff_load_job (CairnVault    *vault,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return cairn_staff_screen_load (vault, error);
}

/**
 * cairn_staff_screen_load_async:
 * @vault: an unlocked vault
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Runs cairn_staff_screen_load() on the vault's worker.
 */
void
cairn_staff_screen_load_async (CairnVault          *vault,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  cairn_vault_run_async (vault, staff_load_job, NULL, NULL, (GDestroyNotify) cairn_staff_screen_free,
                         cancellable, callback, user_data);
}

/**
 * cairn_staff_screen_load_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the Staff page shows
 */
CairnStaffScreen *
cairn_staff_screen_load_finish (CairnVault    *vault,
                                GAsyncResult  *result,
                                GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

typedef struct
{
  char *id;
  char *hours;     /* NULL: clearing */
} StaffChange;

static void
staff_change_free (StaffChange *change)
{
  g_free (change->id);
  g_free (change->hours);
  g_free (change);
}

static gpointer
staff_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  StaffChange *change = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  gboolean ok;

  if (change->hours != NULL)
    ok = cairn_schedule_set_staff_hours (db, change->id, change->hours, me, error);
  else
    ok = cairn_practice_clear_staff_hours (db, change->id, me, error);
  return ok ? DONE : NULL;
}

/**
 * cairn_staff_set_hours_async:
 * @vault: an unlocked vault, anyone's
 * @staff_id: whose hours
 * @hours: (nullable): their working hours, as cairn_week_hours_parse()
 *   reads them; %NULL for whenever the practice is open
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_staff_set_hours_async (CairnVault          *vault,
                             const char          *staff_id,
                             const char          *hours,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  StaffChange *change = g_new0 (StaffChange, 1);

  change->id = g_strdup (staff_id);
  change->hours = g_strdup (hours);
  cairn_vault_run_async (vault, staff_job, change, (GDestroyNotify) staff_change_free, NULL, cancellable,
                         callback, user_data);
}

/**
 * cairn_staff_set_hours_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the hours were saved
 */
gboolean
cairn_staff_set_hours_finish (CairnVault    *vault,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_done (vault, result, error);
}

/* ------------------------------------------------------------------------ */
/* Practice                                                                  */

void
cairn_practice_screen_free (CairnPracticeScreen *screen)
{
  if (screen == NULL)
    return;
  g_free (screen->name);
  g_free (screen->zone);
  g_free (screen->hours);
  g_clear_pointer (&screen->rooms, g_ptr_array_unref);
  g_clear_pointer (&screen->closed, g_ptr_array_unref);
  g_free (screen);
}

/**
 * cairn_practice_screen_load:
 * @vault: an unlocked vault, anyone's
 * @now: the time now, seconds since the Unix epoch
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the Practice page shows
 */
CairnPracticeScreen *
cairn_practice_screen_load (CairnVault  *vault,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(CairnPracticeScreen) screen = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  GError *local_error = NULL;
  CairnDatabase *db;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);

  db = cairn_vault_get_practice (vault);
  screen = g_new0 (CairnPracticeScreen, 1);
  screen->name = cairn_vault_get_practice_name (vault);
  screen->zone = cairn_practice_get_time_zone (db, &local_error);
  if (local_error == NULL)
    screen->hours = cairn_practice_get_hours (db, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  zone = screen->zone != NULL ? g_time_zone_new_identifier (screen->zone) : NULL;
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  utc = g_date_time_new_from_unix_utc (now);
  local = g_date_time_to_timezone (utc, zone);
  g_date_clear (&screen->today, 1);
  g_date_set_dmy (&screen->today, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));

  screen->rooms = cairn_agenda_list_rooms (db, error);
  if (screen->rooms == NULL)
    return NULL;
  screen->closed = cairn_practice_list_closed_days (db, &screen->today, error);
  if (screen->closed == NULL)
    return NULL;
  return g_steal_pointer (&screen);
}

static gpointer
practice_load_job (CairnVault    *vault,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return cairn_practice_screen_load (vault, *(gint64 *) data, error);
}

/**
 * cairn_practice_screen_load_async:
 * @vault: an unlocked vault
 * @now: the time now, seconds since the Unix epoch
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Runs cairn_practice_screen_load() on the vault's worker.
 */
void
cairn_practice_screen_load_async (CairnVault          *vault,
                                  gint64               now,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  cairn_vault_run_async (vault, practice_load_job, g_memdup2 (&now, sizeof now), g_free,
                         (GDestroyNotify) cairn_practice_screen_free, cancellable, callback, user_data);
}

/**
 * cairn_practice_screen_load_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the Practice page shows
 */
CairnPracticeScreen *
cairn_practice_screen_load_finish (CairnVault    *vault,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

typedef enum
{
  PRACTICE_HOURS,
  PRACTICE_ADD_ROOM,
  PRACTICE_RENAME_ROOM,
  PRACTICE_ARCHIVE_ROOM,
  PRACTICE_CLOSE_DAY,
  PRACTICE_OPEN_DAY,
} PracticeKind;

typedef struct
{
  PracticeKind kind;
  char        *id;       /* the room */
  char        *text;     /* hours, a room's name, a closed day's reason */
  GDate        day;
  gint64       now;
} PracticeChange;

static void
practice_change_free (PracticeChange *change)
{
  g_free (change->id);
  g_free (change->text);
  g_free (change);
}

static PracticeChange *
practice_change_new (PracticeKind  kind,
                     const char   *id,
                     const char   *text)
{
  PracticeChange *change = g_new0 (PracticeChange, 1);

  change->kind = kind;
  change->id = g_strdup (id);
  change->text = g_strdup (text);
  g_date_clear (&change->day, 1);
  return change;
}

static gpointer
practice_job (CairnVault    *vault,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  PracticeChange *change = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *room = NULL;
  gboolean ok = FALSE;

  switch (change->kind)
    {
    case PRACTICE_HOURS:
      ok = cairn_schedule_set_practice_hours (db, change->text, me, error);
      break;
    case PRACTICE_ADD_ROOM:
      room = cairn_schedule_add_room (db, change->text, me, error);
      ok = room != NULL;
      break;
    case PRACTICE_RENAME_ROOM:
      ok = cairn_practice_rename_room (db, change->id, change->text, me, error);
      break;
    case PRACTICE_ARCHIVE_ROOM:
      ok = cairn_practice_archive_room (db, change->id, change->now, me, error);
      break;
    case PRACTICE_CLOSE_DAY:
      ok = cairn_practice_add_closed_day (db, &change->day, change->text, me, error);
      break;
    case PRACTICE_OPEN_DAY:
      ok = cairn_practice_remove_closed_day (db, &change->day, me, error);
      break;
    default:
      g_assert_not_reached ();
    }
  return ok ? DONE : NULL;
}

static void
practice_run (CairnVault          *vault,
              PracticeChange      *change,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  cairn_vault_run_async (vault, practice_job, change, (GDestroyNotify) practice_change_free, NULL,
                         cancellable, callback, user_data);
}

/**
 * cairn_practice_set_hours_async:
 * @vault: an unlocked vault, anyone's
 * @hours: the opening hours, as cairn_week_hours_parse() reads them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_practice_set_hours_async (CairnVault          *vault,
                                const char          *hours,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  practice_run (vault, practice_change_new (PRACTICE_HOURS, NULL, hours), cancellable, callback, user_data);
}

/**
 * cairn_practice_add_room_async:
 * @vault: an unlocked vault, anyone's
 * @name: the new room's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_practice_add_room_async (CairnVault          *vault,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  practice_run (vault, practice_change_new (PRACTICE_ADD_ROOM, NULL, name), cancellable, callback,
                user_data);
}

/**
 * cairn_practice_rename_room_async:
 * @vault: an unlocked vault, anyone's
 * @room_id: the room
 * @name: its new name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_practice_rename_room_async (CairnVault          *vault,
                                  const char          *room_id,
                                  const char          *name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  practice_run (vault, practice_change_new (PRACTICE_RENAME_ROOM, room_id, name), cancellable, callback,
                user_data);
}

/**
 * cairn_practice_archive_room_async:
 * @vault: an unlocked vault, anyone's
 * @room_id: the room
 * @now: the time now, seconds since the Unix epoch
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * A room with appointments ahead is refused, with the store's error.
 */
void
cairn_practice_archive_room_async (CairnVault          *vault,
                                   const char          *room_id,
                                   gint64               now,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  PracticeChange *change = practice_change_new (PRACTICE_ARCHIVE_ROOM, room_id, NULL);

  change->now = now;
  practice_run (vault, change, cancellable, callback, user_data);
}

/**
 * cairn_practice_close_day_async:
 * @vault: an unlocked vault, anyone's
 * @day: the day the practice is closed
 * @reason: (nullable): why
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_practice_close_day_async (CairnVault          *vault,
                                const GDate         *day,
                                const char          *reason,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  PracticeChange *change = practice_change_new (PRACTICE_CLOSE_DAY, NULL, reason);

  change->day = *day;
  practice_run (vault, change, cancellable, callback, user_data);
}

/**
 * cairn_practice_open_day_async:
 * @vault: an unlocked vault, anyone's
 * @day: a day the practice was closed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_practice_open_day_async (CairnVault          *vault,
                               const GDate         *day,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  PracticeChange *change = practice_change_new (PRACTICE_OPEN_DAY, NULL, NULL);

  change->day = *day;
  practice_run (vault, change, cancellable, callback, user_data);
}

/**
 * cairn_practice_change_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the change was made
 */
gboolean
cairn_practice_change_finish (CairnVault    *vault,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_done (vault, result, error);
}

/* ------------------------------------------------------------------------ */
/* Security                                                                  */

typedef enum
{
  SECURITY_CHANGE_PASSPHRASE,
  SECURITY_ADD_USER,
  SECURITY_REMOVE_USER,
  SECURITY_RECOVERY_KEY,
  SECURITY_REKEY,
  SECURITY_AUTO_LOCK,
} SecurityKind;

typedef struct
{
  SecurityKind   kind;
  char          *name;
  char          *old_passphrase;
  char          *passphrase;
  CairnRole      role;
  guint          seconds;
  gboolean       has_params;
  CairnKdfParams params;
} Secrets;

static void
secrets_free (Secrets *secrets)
{
  g_free (secrets->name);
  wipe_string (secrets->old_passphrase);
  wipe_string (secrets->passphrase);
  g_free (secrets);
}

static Secrets *
secrets_new (SecurityKind          kind,
             const CairnKdfParams *params)
{
  Secrets *secrets = g_new0 (Secrets, 1);

  secrets->kind = kind;
  if (params != NULL)
    {
      secrets->has_params = TRUE;
      secrets->params = *params;
    }
  return secrets;
}

/* Answers with DONE, or the new recovery key for the two that make one. */
static gpointer
security_job (CairnVault    *vault,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Secrets *s = data;
  const CairnKdfParams *params = s->has_params ? &s->params : NULL;
  gboolean ok = FALSE;

  switch (s->kind)
    {
    case SECURITY_CHANGE_PASSPHRASE:
      ok = cairn_vault_change_passphrase (vault, s->old_passphrase, s->passphrase, params, error);
      break;
    case SECURITY_ADD_USER:
      ok = cairn_vault_add_user (vault, s->name, s->role, s->passphrase, params, error);
      break;
    case SECURITY_REMOVE_USER:
      ok = cairn_vault_remove_user (vault, s->name, error);
      break;
    case SECURITY_RECOVERY_KEY:
      return cairn_vault_regenerate_recovery_key (vault, s->passphrase, error);
    case SECURITY_REKEY:
      return cairn_vault_rekey (vault, s->passphrase, params, error);
    case SECURITY_AUTO_LOCK:
      ok = cairn_vault_set_auto_lock_seconds (vault, s->seconds, error);
      break;
    default:
      g_assert_not_reached ();
    }
  return ok ? DONE : NULL;
}

static void
security_run (CairnVault          *vault,
              Secrets             *secrets,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  gboolean key = secrets->kind == SECURITY_RECOVERY_KEY || secrets->kind == SECURITY_REKEY;

  /* A key nobody took is wiped, like the passphrases. */
  cairn_vault_run_async (vault, security_job, secrets, (GDestroyNotify) secrets_free,
                         key ? (GDestroyNotify) wipe_string : NULL, cancellable, callback, user_data);
}

/**
 * cairn_security_change_passphrase_async:
 * @vault: an unlocked vault
 * @old_passphrase: the user's passphrase now
 * @new_passphrase: their new one
 * @params: (nullable): the Argon2id cost; %NULL for the real one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * A wrong @old_passphrase or a weak @new_passphrase is refused with the
 * vault's error.
 */
void
cairn_security_change_passphrase_async (CairnVault           *vault,
                                        const char           *old_passphrase,
                                        const char           *new_passphrase,
                                        const CairnKdfParams *params,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  Secrets *secrets = secrets_new (SECURITY_CHANGE_PASSPHRASE, params);

  secrets->old_passphrase = g_strdup (old_passphrase);
  secrets->passphrase = g_strdup (new_passphrase);
  security_run (vault, secrets, cancellable, callback, user_data);
}

/**
 * cairn_security_add_user_async:
 * @vault: a clinician's unlocked vault
 * @name: the new user's name
 * @role: their role
 * @passphrase: their passphrase
 * @params: (nullable): the Argon2id cost; %NULL for the real one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_security_add_user_async (CairnVault           *vault,
                               const char           *name,
                               CairnRole             role,
                               const char           *passphrase,
                               const CairnKdfParams *params,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  Secrets *secrets = secrets_new (SECURITY_ADD_USER, params);

  secrets->name = g_strdup (name);
  secrets->role = role;
  secrets->passphrase = g_strdup (passphrase);
  security_run (vault, secrets, cancellable, callback, user_data);
}

/**
 * cairn_security_remove_user_async:
 * @vault: a clinician's unlocked vault
 * @name: the user to remove
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_security_remove_user_async (CairnVault          *vault,
                                  const char          *name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Secrets *secrets = secrets_new (SECURITY_REMOVE_USER, NULL);

  secrets->name = g_strdup (name);
  security_run (vault, secrets, cancellable, callback, user_data);
}

/**
 * cairn_security_set_auto_lock_async:
 * @vault: a clinician's unlocked vault
 * @seconds: how long without use before the vault locks
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_security_set_auto_lock_async (CairnVault          *vault,
                                    guint                seconds,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Secrets *secrets = secrets_new (SECURITY_AUTO_LOCK, NULL);

  secrets->seconds = seconds;
  security_run (vault, secrets, cancellable, callback, user_data);
}

/**
 * cairn_security_change_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the change was made
 */
gboolean
cairn_security_change_finish (CairnVault    *vault,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_done (vault, result, error);
}

/**
 * cairn_security_recovery_key_async:
 * @vault: a clinician's unlocked vault
 * @passphrase: the user's passphrase, to go on
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Replaces the recovery key.
 */
void
cairn_security_recovery_key_async (CairnVault          *vault,
                                   const char          *passphrase,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Secrets *secrets = secrets_new (SECURITY_RECOVERY_KEY, NULL);

  secrets->passphrase = g_strdup (passphrase);
  security_run (vault, secrets, cancellable, callback, user_data);
}

/**
 * cairn_security_rekey_async:
 * @vault: a clinician's unlocked vault
 * @passphrase: the user's passphrase, to go on
 * @params: (nullable): the Argon2id cost; %NULL for the real one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Gives the vault new keys: everyone else's passphrase stops working.
 */
void
cairn_security_rekey_async (CairnVault           *vault,
                            const char           *passphrase,
                            const CairnKdfParams *params,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  Secrets *secrets = secrets_new (SECURITY_REKEY, params);

  secrets->passphrase = g_strdup (passphrase);
  security_run (vault, secrets, cancellable, callback, user_data);
}

/**
 * cairn_security_key_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new recovery key, for the
 *   caller to wipe once shown, or %NULL with @error
 */
char *
cairn_security_key_finish (CairnVault    *vault,
                           GAsyncResult  *result,
                           GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/* ------------------------------------------------------------------------ */
/* Protocols                                                                 */

void
cairn_protocols_screen_free (CairnProtocolsScreen *screen)
{
  if (screen == NULL)
    return;
  g_clear_pointer (&screen->templates, g_ptr_array_unref);
  g_free (screen);
}

/**
 * cairn_protocols_screen_load:
 * @vault: a clinician's unlocked vault
 * @error: return location for a #GError
 *
 * Needs the clinical key: without it, the error is the vault's one.
 *
 * Returns: (transfer full) (nullable): what the Protocols page lists
 */
CairnProtocolsScreen *
cairn_protocols_screen_load (CairnVault  *vault,
                             GError     **error)
{
  g_autoptr(CairnProtocolsScreen) screen = NULL;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);

  if (cairn_vault_require_clinical (vault, error) == NULL)
    return NULL;
  screen = g_new0 (CairnProtocolsScreen, 1);
  screen->templates = cairn_protocols_list (cairn_vault_get_practice (vault), error);
  return screen->templates != NULL ? g_steal_pointer (&screen) : NULL;
}

static gpointer
protocols_load_job (CairnVault    *vault,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return cairn_protocols_screen_load (vault, error);
}

/**
 * cairn_protocols_screen_load_async:
 * @vault: a clinician's unlocked vault
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Runs cairn_protocols_screen_load() on the vault's worker.
 */
void
cairn_protocols_screen_load_async (CairnVault          *vault,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  cairn_vault_run_async (vault, protocols_load_job, NULL, NULL, (GDestroyNotify) cairn_protocols_screen_free,
                         cancellable, callback, user_data);
}

/**
 * cairn_protocols_screen_load_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the Protocols page lists
 */
CairnProtocolsScreen *
cairn_protocols_screen_load_finish (CairnVault    *vault,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

typedef enum
{
  PROTOCOLS_USE,
  PROTOCOLS_ARCHIVE,
  PROTOCOLS_DUPLICATE,
  PROTOCOLS_OPEN,
  PROTOCOLS_IMPORT,
  PROTOCOLS_EXPORT,
  PROTOCOLS_SAVE,
} ProtocolsKind;

typedef struct
{
  ProtocolsKind  kind;
  char          *id;
  char          *json;        /* saving */
  GFile         *file;        /* importing, exporting */
  CairnProtocol *protocol;    /* exporting */
} ProtocolsAction;

static void
protocols_action_free (ProtocolsAction *action)
{
  g_free (action->id);
  g_free (action->json);
  g_clear_object (&action->file);
  g_clear_pointer (&action->protocol, cairn_protocol_unref);
  g_free (action);
}

/* The imported file's template, read back as it was kept. */
static CairnProtocol *
protocols_import (CairnDatabase  *db,
                  GFile          *file,
                  const char     *me,
                  GError        **error)
{
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, error);
  g_autofree char *id = NULL;
  const char *text;
  gsize size;

  if (bytes == NULL)
    return NULL;
  text = g_bytes_get_data (bytes, &size);
  id = cairn_protocols_import (db, text != NULL ? text : "", (gssize) size, me, error);
  return id != NULL ? cairn_protocols_load (db, id, error) : NULL;
}

static gboolean
protocols_export (CairnProtocol  *protocol,
                  GFile          *file,
                  GError        **error)
{
  g_autofree char *data = cairn_protocol_to_data (protocol);

  return g_file_replace_contents (file, data, strlen (data), NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}

/* Answers with DONE, the copy's id or a template, by what is asked. */
static gpointer
protocols_job (CairnVault    *vault,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  ProtocolsAction *action = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);

  /* The pages are shown to clinicians only; the worker checks again. */
  if (cairn_vault_require_clinical (vault, error) == NULL)
    return NULL;

  switch (action->kind)
    {
    case PROTOCOLS_USE:
      return cairn_protocols_set_active (db, action->id, me, error) ? DONE : NULL;
    case PROTOCOLS_ARCHIVE:
      return cairn_protocols_archive (db, action->id, me, error) ? DONE : NULL;
    case PROTOCOLS_DUPLICATE:
      return cairn_protocols_duplicate (db, action->id, me, error);
    case PROTOCOLS_OPEN:
      return cairn_protocols_load (db, action->id, error);
    case PROTOCOLS_IMPORT:
      return protocols_import (db, action->file, me, error);
    case PROTOCOLS_EXPORT:
      return protocols_export (action->protocol, action->file, error) ? DONE : NULL;
    case PROTOCOLS_SAVE:
      return cairn_protocols_save (db, action->json, -1, me, error) ? DONE : NULL;
    default:
      g_assert_not_reached ();
    }
}

static void
protocols_run (CairnVault          *vault,
               ProtocolsKind        kind,
               const char          *id,
               GFile               *file,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  ProtocolsAction *action = g_new0 (ProtocolsAction, 1);
  GDestroyNotify result_free = NULL;

  action->kind = kind;
  action->id = g_strdup (id);
  action->file = file != NULL ? g_object_ref (file) : NULL;
  if (kind == PROTOCOLS_DUPLICATE)
    result_free = g_free;
  else if (kind == PROTOCOLS_OPEN || kind == PROTOCOLS_IMPORT)
    result_free = (GDestroyNotify) cairn_protocol_unref;
  cairn_vault_run_async (vault, protocols_job, action, (GDestroyNotify) protocols_action_free, result_free,
                         cancellable, callback, user_data);
}

/**
 * cairn_protocols_use_async:
 * @vault: a clinician's unlocked vault
 * @id: the template the practice is to work with
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_protocols_use_async (CairnVault          *vault,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  protocols_run (vault, PROTOCOLS_USE, id, NULL, cancellable, callback, user_data);
}

/**
 * cairn_protocols_archive_async:
 * @vault: a clinician's unlocked vault
 * @id: one of the practice's own templates, not the one in use
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_protocols_archive_async (CairnVault          *vault,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  protocols_run (vault, PROTOCOLS_ARCHIVE, id, NULL, cancellable, callback, user_data);
}

/**
 * cairn_protocols_save_async:
 * @vault: a clinician's unlocked vault
 * @json: one of the practice's own templates, changed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * A template that does not validate is refused with the field at fault.
 */
void
cairn_protocols_save_async (CairnVault          *vault,
                            const char          *json,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  ProtocolsAction *action = g_new0 (ProtocolsAction, 1);

  action->kind = PROTOCOLS_SAVE;
  action->json = g_strdup (json);
  cairn_vault_run_async (vault, protocols_job, action, (GDestroyNotify) protocols_action_free, NULL,
                         cancellable, callback, user_data);
}

/**
 * cairn_protocols_export_async:
 * @vault: a clinician's unlocked vault
 * @protocol: the template
 * @file: where to write it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_protocols_export_async (CairnVault          *vault,
                              CairnProtocol       *protocol,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ProtocolsAction *action = g_new0 (ProtocolsAction, 1);

  action->kind = PROTOCOLS_EXPORT;
  action->protocol = cairn_protocol_ref (protocol);
  action->file = g_object_ref (file);
  cairn_vault_run_async (vault, protocols_job, action, (GDestroyNotify) protocols_action_free, NULL,
                         cancellable, callback, user_data);
}

/**
 * cairn_protocols_change_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the template was used, archived, saved or exported
 */
gboolean
cairn_protocols_change_finish (CairnVault    *vault,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_done (vault, result, error);
}

/**
 * cairn_protocols_duplicate_async:
 * @vault: a clinician's unlocked vault
 * @id: the template to copy
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_protocols_duplicate_async (CairnVault          *vault,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  protocols_run (vault, PROTOCOLS_DUPLICATE, id, NULL, cancellable, callback, user_data);
}

/**
 * cairn_protocols_duplicate_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the copy's id
 */
char *
cairn_protocols_duplicate_finish (CairnVault    *vault,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/**
 * cairn_protocols_open_async:
 * @vault: a clinician's unlocked vault
 * @id: a template's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_protocols_open_async (CairnVault          *vault,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  protocols_run (vault, PROTOCOLS_OPEN, id, NULL, cancellable, callback, user_data);
}

/**
 * cairn_protocols_import_async:
 * @vault: a clinician's unlocked vault
 * @file: a template file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Reads @file and keeps its template as one of the practice's own; a file
 * that cannot be read, or whose template does not validate, is refused
 * with the problem.
 */
void
cairn_protocols_import_async (CairnVault          *vault,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  protocols_run (vault, PROTOCOLS_IMPORT, NULL, file, cancellable, callback, user_data);
}

/**
 * cairn_protocols_template_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the template opened or imported
 */
CairnProtocol *
cairn_protocols_template_finish (CairnVault    *vault,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}
