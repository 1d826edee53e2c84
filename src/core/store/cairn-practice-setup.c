/* cairn-practice-setup.c
 *
 * What a practice sets up before it books: its opening hours, its rooms,
 * the days it is closed and the hours each staff member works. The
 * preferences read them from here and change them here; booking itself
 * (cairn-schedule.c) only reads them. Every change is one transaction with
 * its audit entry, and what would leave the schedule in a muddle (a room
 * archived under appointments still to come, a day closed twice) is refused
 * with a message that says what to do instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-practice-setup.h"
#include "cairn-rows.h"
#include "cairn-records.h"

/* The longest room name and closed-day reason accepted, in characters. */
#define ROOM_NAME_MAX   60
#define REASON_MAX      200

void
cairn_closed_day_free (CairnClosedDay *closed)
{
  if (closed == NULL)
    return;
  g_free (closed->reason);
  g_free (closed);
}

void
cairn_staff_member_free (CairnStaffMember *member)
{
  if (member == NULL)
    return;
  g_free (member->id);
  g_free (member->name);
  g_free (member->hours);
  g_free (member);
}

static gboolean
refuse (GError     **error,
        int          code,
        const char  *message)
{
  g_set_error_literal (error, CAIRN_SCHEDULE_ERROR, code, message);
  return FALSE;
}

static void
day_to_text (const GDate *day,
             char         text[16])
{
  g_date_strftime (text, 16, "%Y-%m-%d", day);
}

/* ------------------------------------------------------------------------ */
/* The practice                                                              */

/**
 * cairn_practice_get_time_zone:
 * @db: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the practice's time zone, such as
 *   "Europe/Berlin", as given when the vault was made
 */
char *
cairn_practice_get_time_zone (CairnDatabase  *db,
                              GError        **error)
{
  g_return_val_if_fail (db != NULL, NULL);

  return cairn_database_query_text (db, "SELECT time_zone FROM practice LIMIT 1", NULL, 0, error);
}

/**
 * cairn_practice_get_hours:
 * @db: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the practice's opening hours as they
 *   were written, such as "mon-fri 08:00-18:00; sat 09:00-13:00"
 */
char *
cairn_practice_get_hours (CairnDatabase  *db,
                          GError        **error)
{
  g_return_val_if_fail (db != NULL, NULL);

  return cairn_database_query_text (db, "SELECT value FROM settings WHERE key = 'practice_hours'",
                                    NULL, 0, error);
}

/* ------------------------------------------------------------------------ */
/* Staff hours                                                               */

/**
 * cairn_practice_list_staff:
 * @db: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnStaffMember) (nullable):
 *   the people who work at the practice now, clinicians first, by name,
 *   each with their own hours or %NULL when they work the practice's
 */
GPtrArray *
cairn_practice_list_staff (CairnDatabase  *db,
                           GError        **error)
{
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(CairnRows) rows = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  staff = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_staff_member_free);
  rows = cairn_rows_prepare (db,
                             "SELECT u.id, u.name, u.role = 'clinician', h.hours FROM users u"
                             " LEFT JOIN staff_hours h ON h.user_id = u.id"
                             " WHERE u.deleted_at IS NULL"
                             " ORDER BY u.role = 'clinician' DESC, u.name COLLATE NOCASE",
                             error);
  if (rows == NULL)
    return NULL;
  while (cairn_rows_next (rows))
    {
      CairnStaffMember *member = g_new0 (CairnStaffMember, 1);

      member->id = cairn_rows_dup (rows, 0);
      member->name = cairn_rows_dup (rows, 1);
      member->clinician = cairn_rows_int (rows, 2) != 0;
      member->hours = cairn_rows_dup (rows, 3);
      g_ptr_array_add (staff, member);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  return g_steal_pointer (&staff);
}

/**
 * cairn_practice_get_staff_hours:
 * @db: practice.db
 * @staff_id: a user's id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the hours @staff_id works, or %NULL
 *   (with @error unset) when they work whenever the practice is open
 */
char *
cairn_practice_get_staff_hours (CairnDatabase  *db,
                                const char     *staff_id,
                                GError        **error)
{
  g_return_val_if_fail (db != NULL && staff_id != NULL, NULL);

  return cairn_database_query_text (db, "SELECT hours FROM staff_hours WHERE user_id = ?",
                                    (const char *[]) { staff_id }, 1, error);
}

typedef struct
{
  const char *staff_id;
  const char *user_id;
} ClearHours;

static gboolean
clear_hours_cb (CairnDatabase  *db,
                gpointer        user_data,
                GError        **error)
{
  ClearHours *data = user_data;
  const char *values[] = { data->staff_id };
  GError *local_error = NULL;
  g_autofree char *staff = NULL;

  staff = cairn_database_query_text (db, "SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL",
                                     values, 1, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (staff == NULL)
    return refuse (error, CAIRN_SCHEDULE_ERROR_NOT_FOUND,
                   _("This person no longer works at the practice."));
  if (!cairn_database_run (db, "DELETE FROM staff_hours WHERE user_id = ?", values, 1, error))
    return FALSE;
  /* Nothing to clear is no change, and no entry in the audit trail. */
  if (sqlite3_changes (cairn_database_get_handle (db)) == 0)
    return TRUE;
  return cairn_audit_append (db, data->user_id, "staff.hours-clear", data->staff_id, NULL, error);
}

/**
 * cairn_practice_clear_staff_hours:
 * @db: practice.db
 * @staff_id: a user's id
 * @user_id: (nullable): who clears them
 * @error: return location for a #GError
 *
 * Lets @staff_id work whenever the practice is open again, dropping the
 * hours of their own that cairn_schedule_set_staff_hours() gave them.
 *
 * Returns: %TRUE on success, also when they had no hours of their own
 */
gboolean
cairn_practice_clear_staff_hours (CairnDatabase  *db,
                                  const char     *staff_id,
                                  const char     *user_id,
                                  GError        **error)
{
  ClearHours data = { staff_id, user_id };

  g_return_val_if_fail (db != NULL && staff_id != NULL, FALSE);

  return cairn_database_transaction (db, clear_hours_cb, &data, error);
}

/* ------------------------------------------------------------------------ */
/* Closed days                                                               */

static gboolean
all_digits (const char *text,
            guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/**
 * cairn_practice_parse_day:
 * @text: a date as year-month-day, such as "2026-12-24"
 * @day: (out caller-allocates): the day
 * @error: return location for a #GError saying what is wrong with @text
 *
 * Reads the dates typed for closed days. Only the ISO form is read: "12/11"
 * is a different day on each side of the Atlantic.
 *
 * Returns: %TRUE when @text is a date that exists
 */
gboolean
cairn_practice_parse_day (const char  *text,
                          GDate       *day,
                          GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  guint year, month, date;

  g_return_val_if_fail (day != NULL, FALSE);

  g_date_clear (day, 1);
  if (*trimmed == '\0')
    return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, _("Enter the date, such as 2026-12-24."));
  if (strlen (trimmed) != 10 || trimmed[4] != '-' || trimmed[7] != '-' ||
      !all_digits (trimmed, 4) || !all_digits (trimmed + 5, 2) || !all_digits (trimmed + 8, 2))
    return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("Write the date as year-month-day, such as 2026-12-24."));

  year = (guint) g_ascii_strtoull (trimmed, NULL, 10);
  month = (guint) g_ascii_strtoull (trimmed + 5, NULL, 10);
  date = (guint) g_ascii_strtoull (trimmed + 8, NULL, 10);
  if (year < 1900 || !g_date_valid_dmy ((GDateDay) date, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("There is no such day as %s."), trimmed);
      return FALSE;
    }
  g_date_set_dmy (day, (GDateDay) date, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/**
 * cairn_practice_format_day:
 * @day: a valid date
 *
 * Returns: (transfer full): @day as a person reads it, such as
 *   "Thu 24 Dec 2026"
 */
char *
cairn_practice_format_day (const GDate *day)
{
  g_autoptr(GDateTime) midnight = NULL;

  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  midnight = g_date_time_new_utc (g_date_get_year (day), g_date_get_month (day),
                                  g_date_get_day (day), 0, 0, 0);
  /* TRANSLATORS: a closed day, as in "Thu 24 Dec 2026" (strftime) */
  return g_date_time_format (midnight, _("%a %-d %b %Y"));
}

/**
 * cairn_practice_list_closed_days:
 * @db: practice.db
 * @since: (nullable): the first day wanted, usually today; %NULL for
 *   every closed day, past ones too
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnClosedDay) (nullable):
 *   the days the practice is closed, in order
 */
GPtrArray *
cairn_practice_list_closed_days (CairnDatabase  *db,
                                 const GDate    *since,
                                 GError        **error)
{
  g_autoptr(GPtrArray) days = NULL;
  char first[16] = "0000-00-00";
  g_autoptr(CairnRows) rows = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (since == NULL || g_date_valid (since), NULL);

  days = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_closed_day_free);
  if (since != NULL)
    day_to_text (since, first);
  /* Days are stored as "YYYY-MM-DD": their text sorts as they do. */
  rows = cairn_rows_prepare (db, "SELECT day, reason FROM closed_days WHERE day >= ? ORDER BY day", error);
  if (rows == NULL)
    return NULL;
  cairn_rows_bind_text (rows, 1, first);
  while (cairn_rows_next (rows))
    {
      CairnClosedDay *closed = g_new0 (CairnClosedDay, 1);

      g_date_clear (&closed->day, 1);
      g_date_set_parse (&closed->day, cairn_rows_text (rows, 0));
      closed->reason = cairn_rows_dup (rows, 1);
      if (g_date_valid (&closed->day))
        g_ptr_array_add (days, closed);
      else
        cairn_closed_day_free (closed);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  return g_steal_pointer (&days);
}

typedef struct
{
  const GDate *day;
  const char  *reason;
  const char  *user_id;
} ClosedDayData;

static gboolean
add_closed_day_cb (CairnDatabase  *db,
                   gpointer        user_data,
                   GError        **error)
{
  ClosedDayData *data = user_data;
  char text[16];
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *taken = NULL;
  const char *values[] = { text, data->reason, now, data->user_id };
  GError *local_error = NULL;

  day_to_text (data->day, text);
  taken = cairn_database_query_text (db, "SELECT 1 FROM closed_days WHERE day = ?", values, 1,
                                     &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (taken != NULL)
    {
      g_autofree char *shown = cairn_practice_format_day (data->day);

      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("The practice is already closed on %s."), shown);
      return FALSE;
    }
  return cairn_database_run (db, "INSERT INTO closed_days (day, reason, updated_at, author)"
                             " VALUES (?, ?, ?, ?)", values, G_N_ELEMENTS (values), error) &&
         cairn_audit_append (db, data->user_id, "settings.closed-day", text, NULL, error);
}

/**
 * cairn_practice_add_closed_day:
 * @db: practice.db
 * @day: a local date the practice will be closed
 * @reason: (nullable): why, such as "Christmas Eve"
 * @user_id: (nullable): who closes it
 * @error: return location for a #GError
 *
 * Closes the practice on @day. Unlike cairn_schedule_set_closed_day(), a
 * day already closed is refused rather than given the new reason: whoever
 * adds it twice has likely mistyped the date.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_practice_add_closed_day (CairnDatabase  *db,
                               const GDate    *day,
                               const char     *reason,
                               const char     *user_id,
                               GError        **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  ClosedDayData data = { day, *trimmed != '\0' ? trimmed : NULL, user_id };

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  if (g_utf8_strlen (trimmed, -1) > REASON_MAX)
    {
      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("Keep the reason to %d characters or fewer."), REASON_MAX);
      return FALSE;
    }
  return cairn_database_transaction (db, add_closed_day_cb, &data, error);
}

static gboolean
remove_closed_day_cb (CairnDatabase  *db,
                      gpointer        user_data,
                      GError        **error)
{
  ClosedDayData *data = user_data;
  char text[16];
  const char *values[] = { text };

  day_to_text (data->day, text);
  if (!cairn_database_run (db, "DELETE FROM closed_days WHERE day = ?", values, 1, error))
    return FALSE;
  if (sqlite3_changes (cairn_database_get_handle (db)) == 0)
    {
      g_autofree char *shown = cairn_practice_format_day (data->day);

      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND,
                   _("The practice is not closed on %s."), shown);
      return FALSE;
    }
  return cairn_audit_append (db, data->user_id, "settings.closed-day-remove", text, NULL, error);
}

/**
 * cairn_practice_remove_closed_day:
 * @db: practice.db
 * @day: a day the practice is closed
 * @user_id: (nullable): who opens it again
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %CAIRN_SCHEDULE_ERROR_NOT_FOUND when the
 *   practice was not closed on @day
 */
gboolean
cairn_practice_remove_closed_day (CairnDatabase  *db,
                                  const GDate    *day,
                                  const char     *user_id,
                                  GError        **error)
{
  ClosedDayData data = { day, NULL, user_id };

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  return cairn_database_transaction (db, remove_closed_day_cb, &data, error);
}

/* ------------------------------------------------------------------------ */
/* Rooms                                                                     */

typedef struct
{
  const char *room_id;
  const char *name;
  gint64      now;
  const char *user_id;
} RoomData;

/* The name of a room in use, or a refusal. */
static char *
room_in_use (CairnDatabase  *db,
             const char     *room_id,
             GError        **error)
{
  const char *values[] = { room_id };
  GError *local_error = NULL;
  char *name;

  name = cairn_database_query_text (db, "SELECT name FROM rooms WHERE id = ?"
                                    " AND archived_at IS NULL", values, 1, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (name == NULL)
    refuse (error, CAIRN_SCHEDULE_ERROR_NOT_FOUND, _("This room is no longer in use."));
  return name;
}

static gboolean
rename_room_cb (CairnDatabase  *db,
                gpointer        user_data,
                GError        **error)
{
  RoomData *data = user_data;
  g_autofree char *current = room_in_use (db, data->room_id, error);
  g_autofree char *taken = NULL;
  g_autofree char *now = cairn_record_timestamp_now ();
  const char *values[] = { data->name, now, data->user_id, data->room_id };
  GError *local_error = NULL;

  if (current == NULL)
    return FALSE;
  /* The same name again is no change. */
  if (strcmp (current, data->name) == 0)
    return TRUE;

  taken = cairn_database_query_text (db, "SELECT 1 FROM rooms WHERE name = ? COLLATE NOCASE"
                                     " AND archived_at IS NULL AND id <> ?4",
                                     values, G_N_ELEMENTS (values), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (taken != NULL)
    {
      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("There is already a room called “%s”."), data->name);
      return FALSE;
    }
  return cairn_database_run (db, "UPDATE rooms SET name = ?1, updated_at = ?2, author = ?3"
                             " WHERE id = ?4", values, G_N_ELEMENTS (values), error) &&
         cairn_audit_append (db, data->user_id, "room.rename", data->room_id, data->name, error);
}

/**
 * cairn_practice_rename_room:
 * @db: practice.db
 * @room_id: a room in use
 * @name: its new name, unique among rooms in use
 * @user_id: (nullable): who renames it
 * @error: return location for a #GError
 *
 * Appointments keep their room: they show its new name.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_practice_rename_room (CairnDatabase  *db,
                            const char     *room_id,
                            const char     *name,
                            const char     *user_id,
                            GError        **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  RoomData data = { room_id, trimmed, 0, user_id };

  g_return_val_if_fail (db != NULL && room_id != NULL, FALSE);

  if (*trimmed == '\0' || g_utf8_strlen (trimmed, -1) > ROOM_NAME_MAX)
    return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("A room needs a name of 1 to 60 characters."));
  return cairn_database_transaction (db, rename_room_cb, &data, error);
}

static gboolean
archive_room_cb (CairnDatabase  *db,
                 gpointer        user_data,
                 GError        **error)
{
  RoomData *data = user_data;
  g_autofree char *name = room_in_use (db, data->room_id, error);
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, data->now);
  g_autofree char *count = NULL;
  const char *values[] = { now, data->user_id, data->room_id };
  GError *local_error = NULL;
  guint64 booked;

  if (name == NULL)
    return FALSE;

  /* Whatever is still to happen in the room, or happening in it now. */
  count = cairn_database_query_text (db, "SELECT count(*) FROM appointments WHERE room_id = ?"
                                     " AND status IN ('booked', 'checked-in')"
                                     " AND end_utc > CAST (? AS INTEGER)",
                                     (const char *[]) { data->room_id, after }, 2, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  booked = count != NULL ? g_ascii_strtoull (count, NULL, 10) : 0;
  if (booked > 0)
    {
      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” still has %u appointment booked from now on. Move it to "
                                "another room or cancel it, then archive the room.",
                                "“%s” still has %u appointments booked from now on. Move them to "
                                "another room or cancel them, then archive the room.",
                                (gulong) booked),
                   name, (guint) booked);
      return FALSE;
    }

  return cairn_database_run (db, "UPDATE rooms SET archived_at = ?1, updated_at = ?1, author = ?2"
                             " WHERE id = ?3", values, G_N_ELEMENTS (values), error) &&
         cairn_audit_append (db, data->user_id, "room.archive", data->room_id, NULL, error);
}

/**
 * cairn_practice_archive_room:
 * @db: practice.db
 * @room_id: a room in use
 * @now: the current time, UTC seconds
 * @user_id: (nullable): who archives it
 * @error: return location for a #GError
 *
 * Takes a room out of use: it is no longer offered for booking, and its
 * name is free for another room. Past appointments keep it. A room with
 * appointments booked or checked in that end after @now is refused with
 * %CAIRN_SCHEDULE_ERROR_CONFLICT, saying how many.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_practice_archive_room (CairnDatabase  *db,
                             const char     *room_id,
                             gint64          now,
                             const char     *user_id,
                             GError        **error)
{
  RoomData data = { room_id, NULL, now, user_id };

  g_return_val_if_fail (db != NULL && room_id != NULL, FALSE);

  return cairn_database_transaction (db, archive_room_cb, &data, error);
}
