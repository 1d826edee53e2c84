/* cairn-schedule-screen.c
 *
 * The Schedule page's read: the practice's rules when the page has none
 * yet (they give the zone its days are counted in, its hours and closed
 * days) and the appointments of the day or week shown. Front desk and
 * clinicians alike; nothing in it needs a display.
 *
 * The page's other work is here too, as _async/_finish pairs on the
 * vault's worker: a move (a clash comes back as the schedule's conflict
 * error, for the page to ask for a reason), the count of what follows a
 * medicine session, the day sheet saved as a PDF, read for printing or
 * its printing recorded, a clinician's calendar exported, and the staff
 * read for the export to ask whose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screens"

#include "config.h"

#include <string.h>

#include "cairn-day-sheet.h"
#include "cairn-schedule-screen.h"

void
cairn_schedule_screen_free (CairnScheduleScreen *screen)
{
  if (screen == NULL)
    return;
  g_clear_pointer (&screen->rules, cairn_practice_rules_free);
  g_clear_pointer (&screen->items, g_ptr_array_unref);
  g_clear_pointer (&screen->clashes, g_hash_table_unref);
  g_free (screen);
}

static void
practice_day (GTimeZone *zone,
              gint64     now,
              GDate     *day)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

/**
 * cairn_schedule_screen_load:
 * @vault: an unlocked vault
 * @from: the range's start, UTC seconds
 * @to: its end (not included); no later than @from reads no appointments
 * @with_rules: whether to read the practice's rules too
 * @now: the time now, seconds since the Unix epoch: which day is today
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the Schedule page shows
 */
CairnScheduleScreen *
cairn_schedule_screen_load (CairnVault  *vault,
                            gint64       from,
                            gint64       to,
                            gboolean     with_rules,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(CairnScheduleScreen) screen = NULL;
  CairnDatabase *db;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);

  db = cairn_vault_get_practice (vault);
  screen = g_new0 (CairnScheduleScreen, 1);
  g_date_clear (&screen->today, 1);
  if (with_rules)
    {
      if ((screen->rules = cairn_practice_rules_load (db, error)) == NULL)
        return NULL;
      practice_day (cairn_practice_rules_get (screen->rules)->zone, now, &screen->today);
    }
  if (to > from && (screen->items = cairn_agenda_list (db, from, to, error)) == NULL)
    return NULL;
  if (screen->items != NULL)
    screen->clashes = cairn_agenda_find_clashes (screen->items);
  return g_steal_pointer (&screen);
}

/* ------------------------------------------------------------------------ */
/* Moves                                                                     */

typedef struct
{
  CairnProtocol *protocol;
  char          *id;
  gint64         start;
  gint64         end;
  gboolean       with_followers;
  char          *reason;
} Move;

static void
move_free (Move *move)
{
  g_clear_pointer (&move->protocol, cairn_protocol_unref);
  g_free (move->id);
  g_free (move->reason);
  g_free (move);
}

/* Answers with how many moved. */
static gpointer
move_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Move *move = data;
  g_autofree char *me = cairn_vault_get_user_id (vault);
  guint moved = 0;

  if (!cairn_schedule_move_following (cairn_vault_get_practice (vault), move->protocol, move->id, move->start,
                                      move->end, move->with_followers, move->reason, me, &moved, error))
    return NULL;
  return g_memdup2 (&moved, sizeof moved);
}

/* Answers with how many follow. */
static gpointer
count_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Move *move = data;
  int following = cairn_schedule_count_following (cairn_vault_get_practice (vault), move->id, error);

  return following >= 0 ? g_memdup2 (&following, sizeof following) : NULL;
}

/**
 * cairn_schedule_move_async:
 * @vault: an unlocked vault
 * @protocol: the template the course was planned by
 * @appointment_id: the appointment to move
 * @start: its new start, UTC seconds
 * @end: its new end
 * @with_followers: whether the later sessions of its course move by as much
 * @reason: (nullable): why it moves over a clash, kept in the audit trail
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_schedule_move_async (CairnVault          *vault,
                           CairnProtocol       *protocol,
                           const char          *appointment_id,
                           gint64               start,
                           gint64               end,
                           gboolean             with_followers,
                           const char          *reason,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Move *move = g_new0 (Move, 1);

  move->protocol = cairn_protocol_ref (protocol);
  move->id = g_strdup (appointment_id);
  move->start = start;
  move->end = end;
  move->with_followers = with_followers;
  move->reason = g_strdup (reason);
  cairn_vault_run_async (vault, move_job, move, (GDestroyNotify) move_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_schedule_move_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @n_moved: (out) (optional): how many appointments moved, itself included
 * @error: return location for a #GError: %CAIRN_SCHEDULE_ERROR_CONFLICT
 *   for a clash with no reason given
 *
 * Returns: whether it moved
 */
gboolean
cairn_schedule_move_finish (CairnVault    *vault,
                            GAsyncResult  *result,
                            guint         *n_moved,
                            GError       **error)
{
  g_autofree guint *moved = cairn_vault_run_finish (vault, result, error);

  if (n_moved != NULL)
    *n_moved = moved != NULL ? *moved : 0;
  return moved != NULL;
}

/**
 * cairn_schedule_count_following_async:
 * @vault: an unlocked vault
 * @appointment_id: a medicine session
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Counts the sessions of its course that follow it, which can move with it.
 */
void
cairn_schedule_count_following_async (CairnVault          *vault,
                                      const char          *appointment_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Move *move = g_new0 (Move, 1);

  move->id = g_strdup (appointment_id);
  cairn_vault_run_async (vault, count_job, move, (GDestroyNotify) move_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_schedule_count_following_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: how many follow, or -1 with @error
 */
int
cairn_schedule_count_following_finish (CairnVault    *vault,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_autofree int *following = cairn_vault_run_finish (vault, result, error);

  return following != NULL ? *following : -1;
}

/* ------------------------------------------------------------------------ */
/* Day sheet and calendar                                                    */

typedef enum
{
  EXPORT_DAY_SHEET,
  EXPORT_CALENDAR,
  EXPORT_PRINTED,
} ExportKind;

typedef struct
{
  ExportKind  kind;
  GDate       day;
  GHashTable *type_names;
  char       *path;
  char       *staff_id;
  gint64      from;
  gint64      to;
  gboolean    with_names;
} Export;

static void
export_free (Export *export)
{
  g_clear_pointer (&export->type_names, g_hash_table_unref);
  g_free (export->path);
  g_free (export->staff_id);
  g_free (export);
}

static Export *
export_new (ExportKind     kind,
            const GDate   *day,
            CairnProtocol *protocol,
            const char    *path)
{
  Export *export = g_new0 (Export, 1);

  export->kind = kind;
  g_date_clear (&export->day, 1);
  if (day != NULL)
    export->day = *day;
  if (protocol != NULL)
    export->type_names = cairn_protocol_dup_type_names (protocol);
  export->path = g_strdup (path);
  return export;
}

static gboolean
write_calendar (CairnVault    *vault,
                Export        *export,
                const char    *me,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *text = cairn_schedule_export_ical (cairn_vault_get_practice (vault), export->staff_id,
                                                      export->from, export->to, export->type_names,
                                                      export->with_names, me, error);
  g_autoptr(GFile) file = NULL;

  if (text == NULL)
    return FALSE;
  file = g_file_new_for_path (export->path);
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable,
                                  error);
}

/* Every audited export, by its kind; it answers with the path written
 * (an empty string for a printing). */
static gpointer
export_job (CairnVault    *vault,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Export *export = data;
  g_autofree char *me = cairn_vault_get_user_id (vault);
  CairnDatabase *db = cairn_vault_get_practice (vault);
  gboolean done = FALSE;

  switch (export->kind)
    {
    case EXPORT_DAY_SHEET:
      {
        g_autofree char *practice = cairn_vault_get_practice_name (vault);

        done = cairn_day_sheet_export (db, &export->day, practice, export->type_names, export->path, me, error);
      }
      break;
    case EXPORT_CALENDAR:
      done = write_calendar (vault, export, me, cancellable, error);
      break;
    case EXPORT_PRINTED:
      done = cairn_day_sheet_record (db, &export->day, TRUE, me, error);
      break;
    }
  return done ? g_strdup (export->path != NULL ? export->path : "") : NULL;
}

/**
 * cairn_schedule_save_day_sheet_async:
 * @vault: an unlocked vault
 * @day: the local day of the sheet
 * @protocol: the template naming the appointment types
 * @path: where to write the PDF, replacing what is there
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Answered with cairn_schedule_export_finish().
 */
void
cairn_schedule_save_day_sheet_async (CairnVault          *vault,
                                     const GDate         *day,
                                     CairnProtocol       *protocol,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Export *export = export_new (EXPORT_DAY_SHEET, day, protocol, path);

  cairn_vault_run_async (vault, export_job, export, (GDestroyNotify) export_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_schedule_export_calendar_async:
 * @vault: an unlocked vault
 * @staff_id: whose appointments
 * @from: the first, UTC seconds
 * @to: the end of the range (not included)
 * @protocol: the template naming the appointment types
 * @with_names: whether patients appear by name rather than by initials
 * @path: where to write the iCalendar file, replacing what is there
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Answered with cairn_schedule_export_finish().
 */
void
cairn_schedule_export_calendar_async (CairnVault          *vault,
                                      const char          *staff_id,
                                      gint64               from,
                                      gint64               to,
                                      CairnProtocol       *protocol,
                                      gboolean             with_names,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Export *export = export_new (EXPORT_CALENDAR, NULL, protocol, path);

  export->staff_id = g_strdup (staff_id);
  export->from = from;
  export->to = to;
  export->with_names = with_names;
  cairn_vault_run_async (vault, export_job, export, (GDestroyNotify) export_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_schedule_export_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the path written, or %NULL with @error
 */
char *
cairn_schedule_export_finish (CairnVault    *vault,
                              GAsyncResult  *result,
                              GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/**
 * cairn_schedule_record_print_async:
 * @vault: an unlocked vault
 * @day: the local day of the sheet printed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_schedule_record_print_async (CairnVault          *vault,
                                   const GDate         *day,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Export *export = export_new (EXPORT_PRINTED, day, NULL, NULL);

  cairn_vault_run_async (vault, export_job, export, (GDestroyNotify) export_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_schedule_record_print_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the printing was recorded
 */
gboolean
cairn_schedule_record_print_finish (CairnVault    *vault,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_autofree char *done = cairn_vault_run_finish (vault, result, error);

  return done != NULL;
}

void
cairn_schedule_sheet_free (CairnScheduleSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_free (sheet->practice);
  g_clear_pointer (&sheet->zone, g_time_zone_unref);
  g_clear_pointer (&sheet->rows, g_ptr_array_unref);
  g_free (sheet);
}

static gpointer
sheet_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Export *export = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autoptr(CairnScheduleSheet) sheet = g_new0 (CairnScheduleSheet, 1);

  sheet->day = export->day;
  sheet->practice = cairn_vault_get_practice_name (vault);
  sheet->rows = cairn_day_sheet_rows (db, &export->day, export->type_names, &sheet->zone, error);
  if (sheet->rows == NULL || !cairn_audit_head_read (db, &sheet->audit_head, error))
    return NULL;
  return g_steal_pointer (&sheet);
}

/**
 * cairn_schedule_read_day_sheet_async:
 * @vault: an unlocked vault
 * @day: the local day of the sheet
 * @protocol: the template naming the appointment types
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Reads the day sheet's lines for printing.
 */
void
cairn_schedule_read_day_sheet_async (CairnVault          *vault,
                                     const GDate         *day,
                                     CairnProtocol       *protocol,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Export *export = export_new (EXPORT_PRINTED, day, protocol, NULL);

  cairn_vault_run_async (vault, sheet_job, export, (GDestroyNotify) export_free,
                         (GDestroyNotify) cairn_schedule_sheet_free, cancellable, callback, user_data);
}

/**
 * cairn_schedule_read_day_sheet_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the day sheet to print
 */
CairnScheduleSheet *
cairn_schedule_read_day_sheet_finish (CairnVault    *vault,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

static gpointer
staff_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return cairn_agenda_list_staff (cairn_vault_get_practice (vault), error);
}

/**
 * cairn_schedule_list_staff_async:
 * @vault: an unlocked vault
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_schedule_list_staff_async (CairnVault          *vault,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  cairn_vault_run_async (vault, staff_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
                         user_data);
}

/**
 * cairn_schedule_list_staff_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): everyone on the staff, as #CairnNamed
 */
GPtrArray *
cairn_schedule_list_staff_finish (CairnVault    *vault,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}
