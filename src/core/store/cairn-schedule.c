/* cairn-schedule.c
 *
 * Appointments in practice.db, and the practice's rules they are checked
 * against. Booking asks the conflict engine first: a booking that clashes
 * goes ahead only with a written reason, which the audit trail keeps. Every
 * write is one transaction with its audit entry; a whole course, planned by
 * the course planner, is one transaction too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-ical.h"
#include "cairn-records.h"
#include "cairn-rows.h"
#include "cairn-schedule.h"

G_DEFINE_QUARK (cairn-schedule-error-quark, cairn_schedule_error)

#define STAFF_SEPARATOR "\x1f"

CairnAppointment *
cairn_appointment_new (void)
{
  CairnAppointment *appointment = g_new0 (CairnAppointment, 1);

  appointment->status = g_strdup ("booked");
  return appointment;
}

/**
 * cairn_appointment_copy:
 * @appointment: an appointment
 *
 * Returns: (transfer full): a deep copy
 */
CairnAppointment *
cairn_appointment_copy (const CairnAppointment *appointment)
{
  CairnAppointment *copy;

  g_return_val_if_fail (appointment != NULL, NULL);

  copy = g_new0 (CairnAppointment, 1);
  copy->id = g_strdup (appointment->id);
  copy->patient_id = g_strdup (appointment->patient_id);
  copy->type_id = g_strdup (appointment->type_id);
  copy->start = appointment->start;
  copy->end = appointment->end;
  copy->room_id = g_strdup (appointment->room_id);
  copy->staff_ids = appointment->staff_ids != NULL ? g_strdupv (appointment->staff_ids) : g_new0 (char *, 1);
  copy->status = g_strdup (appointment->status);
  copy->status_reason = g_strdup (appointment->status_reason);
  copy->course_id = g_strdup (appointment->course_id);
  return copy;
}

void
cairn_appointment_free (CairnAppointment *appointment)
{
  if (appointment == NULL)
    return;
  g_free (appointment->id);
  g_free (appointment->patient_id);
  g_free (appointment->type_id);
  g_free (appointment->room_id);
  g_strfreev (appointment->staff_ids);
  g_free (appointment->status);
  g_free (appointment->status_reason);
  g_free (appointment->course_id);
  g_free (appointment);
}

/**
 * cairn_appointment_from_row:
 * @rows: rows on a row whose first ten columns are an appointment's id,
 *   patient, type, start, end, room, status, status reason, course and its
 *   staff's ids joined by STAFF_SEPARATOR (as the schedule and the agenda
 *   select them)
 *
 * Returns: (transfer full): the appointment
 */
CairnAppointment *
cairn_appointment_from_row (CairnRows *rows)
{
  CairnAppointment *a = g_new0 (CairnAppointment, 1);
  const char *staff = cairn_rows_text (rows, 9);

  a->id = cairn_rows_dup (rows, 0);
  a->patient_id = cairn_rows_dup (rows, 1);
  a->type_id = cairn_rows_dup (rows, 2);
  a->start = cairn_rows_int64 (rows, 3);
  a->end = cairn_rows_int64 (rows, 4);
  a->room_id = cairn_rows_dup (rows, 5);
  a->status = cairn_rows_dup (rows, 6);
  a->status_reason = cairn_rows_dup (rows, 7);
  a->course_id = cairn_rows_dup (rows, 8);
  a->staff_ids = staff != NULL ? g_strsplit (staff, STAFF_SEPARATOR, -1) : g_new0 (char *, 1);
  return a;
}

/**
 * cairn_appointment_took_place:
 * @appointment: an appointment
 * @now: UTC seconds
 *
 * An appointment took place when it was completed, or when the patient
 * arrived and its time has begun. A phone check-in takes place when it is
 * recorded as reached, which the journey reads from the check-ins.
 */
gboolean
cairn_appointment_took_place (const CairnAppointment *appointment,
                              gint64                  now)
{
  g_return_val_if_fail (appointment != NULL, FALSE);

  if (g_strcmp0 (appointment->status, "completed") == 0)
    return TRUE;
  return g_strcmp0 (appointment->status, "checked-in") == 0 && appointment->start <= now;
}

/* ------------------------------------------------------------------------ */
/* The practice's rules                                                      */

struct _CairnPracticeRules
{
  CairnScheduleRules rules;
  CairnWeekHours     practice_hours;
  GArray            *closed;     /* GDate */
  GArray            *staff;      /* CairnStaffHours */
  GPtrArray         *owned;      /* strings and hours the above point into */
};

void
cairn_practice_rules_free (CairnPracticeRules *rules)
{
  if (rules == NULL)
    return;
  g_clear_pointer (&rules->rules.zone, g_time_zone_unref);
  g_array_unref (rules->closed);
  g_array_unref (rules->staff);
  g_ptr_array_unref (rules->owned);
  g_free (rules);
}

/**
 * cairn_practice_rules_load:
 * @db: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the practice's zone, hours, closed
 *   days and staff hours
 */
CairnPracticeRules *
cairn_practice_rules_load (CairnDatabase  *db,
                           GError        **error)
{
  g_autoptr(CairnPracticeRules) self = g_new0 (CairnPracticeRules, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *hours = NULL;
  g_autoptr(CairnRows) days = NULL;
  g_autoptr(CairnRows) rows = NULL;

  self->closed = g_array_new (FALSE, TRUE, sizeof (GDate));
  self->staff = g_array_new (FALSE, TRUE, sizeof (CairnStaffHours));
  self->owned = g_ptr_array_new_with_free_func (g_free);

  zone = cairn_database_query_text (db, "SELECT time_zone FROM practice LIMIT 1", NULL, 0, &local_error);
  hours = local_error == NULL
          ? cairn_database_query_text (db, "SELECT value FROM settings WHERE key = 'practice_hours'",
                                       NULL, 0, &local_error)
          : NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  self->rules.zone = zone != NULL ? g_time_zone_new_identifier (zone) : NULL;
  if (self->rules.zone == NULL)
    self->rules.zone = g_time_zone_new_utc ();

  if (hours != NULL)
    {
      if (!cairn_week_hours_parse (hours, &self->practice_hours, error))
        {
          g_prefix_error (error, _("The practice’s hours cannot be read: "));
          return NULL;
        }
      self->rules.practice_hours = &self->practice_hours;
    }

  days = cairn_rows_prepare (db, "SELECT day FROM closed_days ORDER BY day", error);
  if (days == NULL)
    return NULL;
  while (cairn_rows_next (days))
    {
      GDate day;

      g_date_clear (&day, 1);
      g_date_set_parse (&day, cairn_rows_text (days, 0));
      if (g_date_valid (&day))
        g_array_append_val (self->closed, day);
    }
  if (!cairn_rows_finish (days, error))
    return NULL;

  rows = cairn_rows_prepare (db,
                             "SELECT h.user_id, u.name, h.hours FROM staff_hours h JOIN users u ON u.id = h.user_id"
                             " WHERE u.deleted_at IS NULL", error);
  if (rows == NULL)
    return NULL;
  while (cairn_rows_next (rows))
    {
      CairnStaffHours staff;
      CairnWeekHours *week = g_new0 (CairnWeekHours, 1);

      g_ptr_array_add (self->owned, week);
      if (!cairn_week_hours_parse (cairn_rows_text (rows, 2), week, &local_error))
        {
          g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID,
                       _("The working hours of %s cannot be read: %s"), cairn_rows_text (rows, 1),
                       local_error->message);
          return NULL;
        }
      staff.id = cairn_rows_dup (rows, 0);
      staff.name = cairn_rows_dup (rows, 1);
      staff.hours = week;
      g_ptr_array_add (self->owned, (gpointer) staff.id);
      g_ptr_array_add (self->owned, (gpointer) staff.name);
      g_array_append_val (self->staff, staff);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;

  self->rules.closed_days = (const GDate *) self->closed->data;
  self->rules.n_closed_days = self->closed->len;
  self->rules.staff = (const CairnStaffHours *) self->staff->data;
  self->rules.n_staff = self->staff->len;
  return g_steal_pointer (&self);
}

const CairnScheduleRules *
cairn_practice_rules_get (CairnPracticeRules *rules)
{
  g_return_val_if_fail (rules != NULL, NULL);

  return &rules->rules;
}

/* ------------------------------------------------------------------------ */
/* Rooms, hours and closed days                                              */

typedef struct
{
  const char         *sql;
  const char * const *values;
  guint               n_values;
  const char         *user_id;
  const char         *action;
  const char         *entity;
  const char         *detail;
} Change;

static gboolean
change_cb (CairnDatabase  *db,
           gpointer        user_data,
           GError        **error)
{
  Change *change = user_data;

  return cairn_database_run (db, change->sql, change->values, change->n_values, error) &&
         cairn_audit_append (db, change->user_id, change->action, change->entity, change->detail, error);
}

/**
 * cairn_schedule_add_room:
 * @db: practice.db
 * @name: the room's name, unique among rooms in use
 * @user_id: (nullable): who adds it
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new room's id
 */
char *
cairn_schedule_add_room (CairnDatabase  *db,
                         const char     *name,
                         const char     *user_id,
                         GError        **error)
{
  g_autofree char *id = cairn_record_new_id ();
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  g_autofree char *taken = NULL;
  const char *values[] = { id, trimmed, now, now, user_id };
  Change change = { "INSERT INTO rooms (id, name, created_at, updated_at, author) VALUES (?, ?, ?, ?, ?)",
                    values, G_N_ELEMENTS (values), user_id, "room.add", id, NULL };

  if (*trimmed == '\0' || g_utf8_strlen (trimmed, -1) > 60)
    {
      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("A room needs a name of 1 to 60 characters."));
      return NULL;
    }
  taken = cairn_database_query_text (db, "SELECT 1 FROM rooms WHERE name = ? COLLATE NOCASE AND archived_at IS NULL",
                                     (const char *[]) { trimmed }, 1, NULL);
  if (taken != NULL)
    {
      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("There is already a room called “%s”."), trimmed);
      return NULL;
    }
  if (!cairn_database_transaction (db, change_cb, &change, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
set_hours (CairnDatabase  *db,
           const char     *sql,
           const char     *staff_id,
           const char     *hours,
           const char     *user_id,
           const char     *action,
           GError        **error)
{
  g_autofree char *now = cairn_record_timestamp_now ();
  CairnWeekHours parsed;
  const char *values[] = { staff_id, hours, now, user_id };
  Change change = { sql, staff_id != NULL ? values : values + 1, staff_id != NULL ? 4 : 3,
                    user_id, action, staff_id, hours };

  if (hours == NULL || !cairn_week_hours_parse (hours, &parsed, error))
    {
      if (hours == NULL)
        g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID, _("Enter the hours."));
      return FALSE;
    }
  return cairn_database_transaction (db, change_cb, &change, error);
}

/**
 * cairn_schedule_set_practice_hours:
 * @db: practice.db
 * @hours: as cairn_week_hours_parse() reads them
 * @user_id: (nullable): who sets them
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_schedule_set_practice_hours (CairnDatabase  *db,
                                   const char     *hours,
                                   const char     *user_id,
                                   GError        **error)
{
  return set_hours (db,
                    "INSERT INTO settings (key, value, updated_at, author) VALUES ('practice_hours', ?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,"
                    " author = excluded.author",
                    NULL, hours, user_id, "settings.practice-hours", error);
}

/**
 * cairn_schedule_set_staff_hours:
 * @db: practice.db
 * @staff_id: a user's id
 * @hours: as cairn_week_hours_parse() reads them
 * @user_id: (nullable): who sets them
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_schedule_set_staff_hours (CairnDatabase  *db,
                                const char     *staff_id,
                                const char     *hours,
                                const char     *user_id,
                                GError        **error)
{
  g_return_val_if_fail (staff_id != NULL, FALSE);

  return set_hours (db,
                    "INSERT INTO staff_hours (user_id, hours, updated_at, author) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (user_id) DO UPDATE SET hours = excluded.hours,"
                    " updated_at = excluded.updated_at, author = excluded.author",
                    staff_id, hours, user_id, "staff.hours", error);
}

/**
 * cairn_schedule_set_closed_day:
 * @db: practice.db
 * @day: a local date the practice is closed
 * @reason: (nullable): why, such as "Public holiday"
 * @user_id: (nullable): who sets it
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_schedule_set_closed_day (CairnDatabase  *db,
                               const GDate    *day,
                               const char     *reason,
                               const char     *user_id,
                               GError        **error)
{
  char text[16];
  g_autofree char *now = cairn_record_timestamp_now ();
  const char *values[] = { text, reason, now, user_id };
  Change change = { "INSERT INTO closed_days (day, reason, updated_at, author) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (day) DO UPDATE SET reason = excluded.reason,"
                    " updated_at = excluded.updated_at, author = excluded.author",
                    values, G_N_ELEMENTS (values), user_id, "settings.closed-day", text, NULL };

  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  g_date_strftime (text, sizeof text, "%Y-%m-%d", day);
  return cairn_database_transaction (db, change_cb, &change, error);
}

/* ------------------------------------------------------------------------ */
/* Appointments                                                              */

/**
 * cairn_schedule_list:
 * @db: practice.db
 * @from: UTC seconds
 * @to: UTC seconds
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnAppointment) (nullable):
 *   the appointments that overlap [@from, @to), cancelled ones included,
 *   by start time
 */
GPtrArray *
cairn_schedule_list (CairnDatabase  *db,
                     gint64          from,
                     gint64          to,
                     GError        **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_appointment_free);
  g_autoptr(CairnRows) rows = NULL;

  rows = cairn_rows_prepare (db,
                             "SELECT a.id, a.patient_id, a.type_id, a.start_utc, a.end_utc, a.room_id, a.status,"
                             " a.status_reason, a.course_id,"
                             " (SELECT group_concat (s.user_id, char (31)) FROM appointment_staff s"
                             "   WHERE s.appointment_id = a.id)"
                             " FROM appointments a WHERE a.start_utc < ?2 AND a.end_utc > ?1"
                             /* No appointment is longer than this: the index on
                              * start_utc then reads only the window. */
                             " AND a.start_utc > ?1 - " G_STRINGIFY (CAIRN_BOOKING_MAX_SECONDS)
                             " ORDER BY a.start_utc, a.id", error);
  if (rows == NULL)
    return NULL;
  cairn_rows_bind_int64 (rows, 1, from);
  cairn_rows_bind_int64 (rows, 2, to);
  while (cairn_rows_next (rows))
    {
      g_ptr_array_add (found, cairn_appointment_from_row (rows));
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  return g_steal_pointer (&found);
}

/* What clashes with @appointment, against the vault's appointments and
 * @rules: read once, the rules serve every appointment of a course. */
static GPtrArray *
check_with_rules (CairnDatabase           *db,
                  CairnPracticeRules      *rules,
                  const CairnAppointment  *appointment,
                  guint                    staff_needed,
                  gboolean                 needs_room,
                  GError                 **error)
{
  g_autoptr(GPtrArray) around = NULL;
  g_autoptr(GArray) others = g_array_new (FALSE, TRUE, sizeof (CairnBooking));
  CairnBooking booking;

  around = cairn_schedule_list (db, appointment->start - CAIRN_BOOKING_MAX_SECONDS,
                                appointment->end + CAIRN_BOOKING_MAX_SECONDS, error);
  if (around == NULL)
    return NULL;

  for (guint i = 0; i < around->len; i++)
    {
      const CairnAppointment *a = g_ptr_array_index (around, i);
      CairnBooking other = { a->id, a->patient_id, a->room_id, (const char * const *) a->staff_ids,
                             a->start, a->end, g_strcmp0 (a->status, "cancelled") == 0 };

      g_array_append_val (others, other);
    }

  booking = (CairnBooking) { appointment->id, appointment->patient_id, appointment->room_id,
                             (const char * const *) appointment->staff_ids, appointment->start,
                             appointment->end, FALSE };
  return cairn_conflicts_find (&booking, (const CairnBooking *) others->data, others->len,
                               staff_needed, needs_room, cairn_practice_rules_get (rules));
}

/**
 * cairn_schedule_check:
 * @db: practice.db
 * @appointment: an appointment to book or move
 * @staff_needed: how many staff its type needs
 * @needs_room: whether its type needs a room
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnConflict) (nullable):
 *   what clashes, from the conflict engine, against the vault's appointments
 *   and rules
 */
GPtrArray *
cairn_schedule_check (CairnDatabase           *db,
                      const CairnAppointment  *appointment,
                      guint                    staff_needed,
                      gboolean                 needs_room,
                      GError                 **error)
{
  g_autoptr(CairnPracticeRules) rules = NULL;

  g_return_val_if_fail (db != NULL && appointment != NULL, NULL);

  rules = cairn_practice_rules_load (db, error);
  if (rules == NULL)
    return NULL;
  return check_with_rules (db, rules, appointment, staff_needed, needs_room, error);
}

static char *
name_of (CairnDatabase *db,
         const char    *id)
{
  char *name = cairn_database_query_text (db,
                                          "SELECT name FROM users WHERE id = ?1"
                                          " UNION ALL SELECT name FROM rooms WHERE id = ?1 LIMIT 1",
                                          (const char *[]) { id }, 1, NULL);

  return name != NULL ? name : g_strdup (_("Someone"));
}

/**
 * cairn_schedule_describe_conflict:
 * @db: practice.db, to name the staff member or room
 * @conflict: a conflict
 *
 * Returns: (transfer full): a sentence that says what is wrong, naming
 *   the staff member or room but never a patient
 */
char *
cairn_schedule_describe_conflict (CairnDatabase       *db,
                                  const CairnConflict *conflict)
{
  g_autofree char *who = conflict->who != NULL ? name_of (db, conflict->who) : NULL;

  switch (conflict->kind)
    {
    case CAIRN_CONFLICT_INVALID:
      return g_strdup (_("An appointment must end after it starts, and last at most 16 hours."));
    case CAIRN_CONFLICT_PATIENT:
      return g_strdup (_("The patient already has an appointment then."));
    case CAIRN_CONFLICT_STAFF:
      return g_strdup_printf (_("%s is already booked then."), who);
    case CAIRN_CONFLICT_ROOM:
      return g_strdup_printf (_("%s is already in use then."), who);
    case CAIRN_CONFLICT_STAFFING:
      return g_strdup (_("This kind of appointment needs more staff."));
    case CAIRN_CONFLICT_NO_ROOM:
      return g_strdup (_("This kind of appointment needs a room."));
    case CAIRN_CONFLICT_CLOSED_DAY:
      return g_strdup (_("The practice is closed that day."));
    case CAIRN_CONFLICT_PRACTICE_HOURS:
      return g_strdup (_("This is outside the practice’s hours."));
    case CAIRN_CONFLICT_STAFF_HOURS:
    default:
      return g_strdup_printf (_("This is outside the working hours of %s."), who);
    }
}

static gboolean
refuse (GError     **error,
        int          code,
        const char  *message)
{
  g_set_error_literal (error, CAIRN_SCHEDULE_ERROR, code, message);
  return FALSE;
}

/* What no reason can override: no kind of appointment, or a patient, room
 * or staff member that is not (or no longer) there. */
static gboolean
validate (CairnDatabase           *db,
          const CairnAppointment  *appointment,
          GError                 **error)
{
  if (appointment->type_id == NULL || *appointment->type_id == '\0')
    return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, _("Choose the kind of appointment."));
  if (appointment->patient_id != NULL)
    {
      g_autofree char *archived = NULL;

      archived = cairn_database_query_text (db, "SELECT coalesce (archived_at, '') FROM patients"
                                            " WHERE id = ?",
                                            (const char *[]) { appointment->patient_id }, 1, NULL);
      if (archived == NULL)
        return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID,
                       _("This patient is no longer in the vault."));
      if (*archived != '\0')
        return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID,
                       _("This patient is archived: restore them before booking."));
    }
  if (appointment->room_id != NULL)
    {
      g_autofree char *room = NULL;

      room = cairn_database_query_text (db, "SELECT 1 FROM rooms"
                                        " WHERE id = ? AND archived_at IS NULL",
                                        (const char *[]) { appointment->room_id }, 1, NULL);
      if (room == NULL)
        return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, _("This room is no longer in use."));
    }
  for (guint i = 0; appointment->staff_ids != NULL && appointment->staff_ids[i] != NULL; i++)
    {
      g_autofree char *staff = NULL;

      staff = cairn_database_query_text (db, "SELECT 1 FROM users"
                                         " WHERE id = ? AND deleted_at IS NULL",
                                         (const char *[]) { appointment->staff_ids[i] }, 1, NULL);
      if (staff == NULL)
        return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID,
                       _("A staff member chosen no longer works here."));
    }
  return TRUE;
}

typedef struct
{
  CairnAppointment *appointment;
  gboolean          is_new;
  const char       *user_id;
  char             *detail;
} BookData;

static gboolean
book_cb (CairnDatabase  *db,
         gpointer        user_data,
         GError        **error)
{
  BookData *data = user_data;
  CairnAppointment *a = data->appointment;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, a->start);
  g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, a->end);
  const char *values[] = { a->id, a->patient_id, a->type_id, start, end, a->room_id, a->status,
                           a->course_id, now, data->user_id };

  if (!cairn_database_run (db,
                           data->is_new
                           ? "INSERT INTO appointments (id, patient_id, type_id, start_utc, end_utc, room_id, status,"
                             " course_id, created_at, updated_at, author)"
                             " VALUES (?1, ?2, ?3, CAST (?4 AS INTEGER), CAST (?5 AS INTEGER), ?6, ?7, ?8, ?9, ?9, ?10)"
                           : "UPDATE appointments SET patient_id = ?2, type_id = ?3, start_utc = CAST (?4 AS INTEGER),"
                             " end_utc = CAST (?5 AS INTEGER), room_id = ?6, course_id = ?8, updated_at = ?9,"
                             " author = ?10 WHERE id = ?1",
                           values, G_N_ELEMENTS (values), error))
    return FALSE;
  if (!data->is_new && sqlite3_changes (cairn_database_get_handle (db)) == 0)
    return refuse (error, CAIRN_SCHEDULE_ERROR_NOT_FOUND, _("This appointment is no longer in the vault."));
  if (!cairn_database_run (db, "DELETE FROM appointment_staff WHERE appointment_id = ?",
                           (const char *[]) { a->id }, 1, error))
    return FALSE;
  for (guint i = 0; a->staff_ids != NULL && a->staff_ids[i] != NULL; i++)
    if (!cairn_database_run (db, "INSERT OR IGNORE INTO appointment_staff (appointment_id, user_id) VALUES (?, ?)",
                             (const char *[]) { a->id, a->staff_ids[i] }, 2, error))
      return FALSE;

  return cairn_audit_append (db, data->user_id, data->is_new ? "appointment.book" : "appointment.move",
                             a->id, data->detail, error);
}

/**
 * cairn_schedule_book:
 * @db: practice.db
 * @appointment: the appointment; a new one (no id) is given an id
 * @staff_needed: how many staff its type needs
 * @needs_room: whether its type needs a room
 * @override_reason: (nullable): why it may go ahead over its conflicts
 * @user_id: (nullable): who books
 * @error: return location for a #GError
 *
 * Books a new appointment or moves one. One that clashes is refused with
 * %CAIRN_SCHEDULE_ERROR_CONFLICT saying what clashes, unless
 * @override_reason says why it goes ahead; the reason is written to the
 * audit trail with the booking. An impossible one (end before start, an
 * unknown or archived patient, room or staff member) is refused whatever
 * the reason.
 *
 * Returns: %TRUE when booked
 */
gboolean
cairn_schedule_book (CairnDatabase     *db,
                     CairnAppointment  *appointment,
                     guint              staff_needed,
                     gboolean           needs_room,
                     const char        *override_reason,
                     const char        *user_id,
                     GError           **error)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *reason = override_reason != NULL ? g_strstrip (g_strdup (override_reason)) : NULL;
  BookData data = { appointment, appointment->id == NULL, user_id, NULL };
  gboolean ok;

  g_return_val_if_fail (db != NULL && appointment != NULL, FALSE);

  if (!validate (db, appointment, error))
    return FALSE;

  conflicts = cairn_schedule_check (db, appointment, staff_needed, needs_room, error);
  if (conflicts == NULL)
    return FALSE;
  if (conflicts->len > 0)
    {
      const CairnConflict *first = g_ptr_array_index (conflicts, 0);
      g_autofree char *what = cairn_schedule_describe_conflict (db, first);

      if (first->kind == CAIRN_CONFLICT_INVALID)
        return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, what);
      if (reason == NULL || *reason == '\0')
        {
          if (conflicts->len == 1)
            g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT,
                         _("%s Book it anyway only with a reason."), what);
          else
            g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%s There is %u more conflict; book it anyway only with a reason.",
                                      "%s There are %u more conflicts; book it anyway only with a reason.",
                                      conflicts->len - 1),
                         what, conflicts->len - 1);
          return FALSE;
        }
      data.detail = g_strdup_printf ("over %u conflict(s): %s", conflicts->len, reason);
    }

  if (data.is_new)
    appointment->id = cairn_record_new_id ();
  ok = cairn_database_transaction (db, book_cb, &data, error);
  if (!ok && data.is_new)
    g_clear_pointer (&appointment->id, g_free);
  g_free (data.detail);
  return ok;
}

typedef struct
{
  const CairnProtocol *protocol;
  const char          *id;
  gint64               start;
  gint64               end;
  gboolean             followers;
  const char          *reason;
  const char          *user_id;
  guint                n_moved;
} FollowData;

static CairnAppointment *
load_one (CairnDatabase  *db,
          const char     *id,
          GError        **error)
{
  g_autofree char *start = cairn_database_query_text (db, "SELECT start_utc FROM appointments WHERE id = ?",
                                                      (const char *[]) { id }, 1, error);
  g_autoptr(GPtrArray) around = NULL;
  gint64 t;

  if (start == NULL)
    {
      if (error != NULL && *error == NULL)
        refuse (error, CAIRN_SCHEDULE_ERROR_NOT_FOUND, _("This appointment is no longer in the vault."));
      return NULL;
    }
  t = g_ascii_strtoll (start, NULL, 10);
  around = cairn_schedule_list (db, t, t + 1, error);
  for (guint i = 0; around != NULL && i < around->len; i++)
    if (g_strcmp0 (((CairnAppointment *) g_ptr_array_index (around, i))->id, id) == 0)
      return g_ptr_array_steal_index (around, i);
  if (around != NULL)
    refuse (error, CAIRN_SCHEDULE_ERROR_NOT_FOUND, _("This appointment is no longer in the vault."));
  return NULL;
}

static gboolean
move_following_cb (CairnDatabase  *db,
                   gpointer        user_data,
                   GError        **error)
{
  FollowData *data = user_data;
  g_autoptr(CairnPracticeRules) rules = cairn_practice_rules_load (db, error);
  g_autoptr(CairnAppointment) first = NULL;
  g_autoptr(GPtrArray) moving = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_appointment_free);
  g_autoptr(GDateTime) old_day = NULL;
  g_autoptr(GDateTime) new_day = NULL;
  g_autofree char *first_clash = NULL;
  GTimeZone *zone;
  GDate from, to;
  int days;
  guint n_clashing = 0;

  if (rules == NULL || (first = load_one (db, data->id, error)) == NULL)
    return FALSE;
  zone = cairn_practice_rules_get (rules)->zone;

  /* How many days the first moves, in the practice's calendar: the ones
   * that follow move as many days and keep their own wall-clock times. */
  {
    g_autoptr(GDateTime) a = g_date_time_new_from_unix_utc (first->start);
    g_autoptr(GDateTime) b = g_date_time_new_from_unix_utc (data->start);

    old_day = g_date_time_to_timezone (a, zone);
    new_day = g_date_time_to_timezone (b, zone);
  }
  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  g_date_set_dmy (&from, g_date_time_get_day_of_month (old_day), g_date_time_get_month (old_day),
                  g_date_time_get_year (old_day));
  g_date_set_dmy (&to, g_date_time_get_day_of_month (new_day), g_date_time_get_month (new_day),
                  g_date_time_get_year (new_day));
  days = g_date_days_between (&from, &to);

  if (data->followers && first->course_id != NULL)
    {
      g_autoptr(GPtrArray) later = cairn_schedule_list (db, first->start + 1, G_MAXINT64 / 2, error);

      if (later == NULL)
        return FALSE;
      for (guint i = 0; i < later->len; i++)
        {
          CairnAppointment *a = g_ptr_array_index (later, i);

          if (g_strcmp0 (a->course_id, first->course_id) != 0 || g_strcmp0 (a->status, "booked") != 0 ||
              a->start <= first->start || g_strcmp0 (a->id, first->id) == 0)
            continue;
          {
            g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (a->start);
            g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
            g_autoptr(GDateTime) moved = g_date_time_add_days (local, days);
            gint64 length = a->end - a->start;

            a->start = g_date_time_to_unix (moved);
            a->end = a->start + length;
          }
          g_ptr_array_add (moving, g_ptr_array_steal_index (later, i--));
        }
    }
  first->start = data->start;
  first->end = data->end;
  g_ptr_array_insert (moving, 0, g_steal_pointer (&first));

  /* All are moved first and checked after, so that none clashes with
   * where another of them was. */
  for (guint i = 0; i < moving->len; i++)
    {
      CairnAppointment *a = g_ptr_array_index (moving, i);
      BookData book = { a, FALSE, data->user_id, NULL };

      if (!validate (db, a, error) || !book_cb (db, &book, error))
        return FALSE;
    }
  for (guint i = 0; i < moving->len; i++)
    {
      CairnAppointment *a = g_ptr_array_index (moving, i);
      const CairnAppointmentType *type = data->protocol != NULL
                                         ? cairn_protocol_find_type (data->protocol, a->type_id) : NULL;
      g_autoptr(GPtrArray) conflicts = check_with_rules (db, rules, a, type != NULL ? type->staff : 0,
                                                         type != NULL && type->needs_room, error);

      if (conflicts == NULL)
        return FALSE;
      if (conflicts->len == 0)
        continue;
      if (((CairnConflict *) g_ptr_array_index (conflicts, 0))->kind == CAIRN_CONFLICT_INVALID)
        {
          g_autofree char *what = cairn_schedule_describe_conflict (db, g_ptr_array_index (conflicts, 0));

          return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, what);
        }
      if (n_clashing++ == 0)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (a->start);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
          /* TRANSLATORS: when a moved appointment would start (strftime) */
          g_autofree char *when = g_date_time_format (local, _("%A %-d %B %Y, %H:%M"));
          g_autofree char *what = cairn_schedule_describe_conflict (db, g_ptr_array_index (conflicts, 0));

          first_clash = g_strdup_printf (_("“%s” on %s: %s"), type != NULL ? type->name : a->type_id, when, what);
        }
      if (data->reason != NULL)
        {
          g_autofree char *detail = g_strdup_printf ("over %u conflict(s): %s", conflicts->len, data->reason);

          if (!cairn_audit_append (db, data->user_id, "appointment.move", a->id, detail, error))
            return FALSE;
        }
    }
  if (n_clashing > 0 && data->reason == NULL)
    {
      g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT,
                   g_dngettext (GETTEXT_PACKAGE, "%s Move it anyway only with a reason.",
                                "%s %u appointments clash in all; move them anyway only with a reason.", n_clashing),
                   first_clash, n_clashing);
      return FALSE;
    }
  data->n_moved = moving->len;
  return TRUE;
}

/**
 * cairn_schedule_move_following:
 * @db: practice.db
 * @protocol: (nullable): the template, for each appointment's staffing and room
 * @appointment_id: the appointment to move
 * @start: its new start, UTC seconds
 * @end: its new end
 * @with_followers: whether the later appointments of its course move too
 * @override_reason: (nullable): why it may go ahead over clashes
 * @user_id: (nullable): who moves
 * @n_moved: (out) (optional): how many appointments moved
 * @error: return location for a #GError
 *
 * Moves an appointment and, when asked, every later appointment of the
 * same course still booked (what follows a medicine session: its
 * integration sessions and phone check-ins, the later medicine sessions,
 * the follow-up) by as many days, each keeping its wall-clock time. All
 * in one transaction: when any of them clashes and no reason is given,
 * nothing moves.
 *
 * Returns: whether they moved
 */
gboolean
cairn_schedule_move_following (CairnDatabase        *db,
                               const CairnProtocol  *protocol,
                               const char           *appointment_id,
                               gint64                start,
                               gint64                end,
                               gboolean              with_followers,
                               const char           *override_reason,
                               const char           *user_id,
                               guint                *n_moved,
                               GError              **error)
{
  g_autofree char *reason = override_reason != NULL ? g_strstrip (g_strdup (override_reason)) : NULL;
  FollowData data = { protocol, appointment_id, start, end, with_followers,
                      reason != NULL && *reason != '\0' ? reason : NULL, user_id, 0 };

  g_return_val_if_fail (db != NULL && appointment_id != NULL, FALSE);

  if (end <= start)
    return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, _("An appointment must end after it starts."));
  if (!cairn_database_transaction (db, move_following_cb, &data, error))
    return FALSE;
  if (n_moved != NULL)
    *n_moved = data.n_moved;
  return TRUE;
}

/**
 * cairn_schedule_count_following:
 * @db: practice.db
 * @appointment_id: an appointment
 * @error: return location for a #GError
 *
 * Returns: how many later appointments of its course are still booked, or
 *   -1 with @error set
 */
int
cairn_schedule_count_following (CairnDatabase  *db,
                                const char     *appointment_id,
                                GError        **error)
{
  g_autofree char *count = cairn_database_query_text (db,
                                                      "SELECT count(*) FROM appointments a, appointments f"
                                                      " WHERE f.id = ?1 AND a.course_id = f.course_id"
                                                      " AND a.start_utc > f.start_utc AND a.status = 'booked'",
                                                      (const char *[]) { appointment_id }, 1, error);

  return count != NULL ? atoi (count) : -1;
}

typedef struct
{
  const char *patient_id;
  GPtrArray  *items;       /* of CairnPlannedItem */
  const char *reason;      /* NULL when none was given */
  const char *user_id;
  const char *course_id;
} CourseData;

/* "“Integration” on Tuesday 24 November 2026, 09:00: Dr Ada Quell is
 * already booked then.": which appointment of the course, and what is
 * wrong with it. */
static char *
describe_item (CairnDatabase          *db,
               const CairnPlannedItem *item,
               GTimeZone              *zone,
               const CairnConflict    *conflict)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (item->start);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  /* TRANSLATORS: when an appointment of a course starts, as in "Tuesday 24 November 2026, 09:00"
   * (strftime) */
  g_autofree char *when = g_date_time_format (local, _("%A %-d %B %Y, %H:%M"));
  g_autofree char *what = cairn_schedule_describe_conflict (db, conflict);

  /* TRANSLATORS: an appointment of a course, when it starts and what is wrong, as in
   * "“Integration” on Tuesday 24 November 2026, 09:00: Dr Ada Quell is already booked then." */
  return g_strdup_printf (_("“%s” on %s: %s"),
                          item->type_name != NULL ? item->type_name : item->type_id, when, what);
}

static gboolean
book_course_cb (CairnDatabase  *db,
                gpointer        user_data,
                GError        **error)
{
  CourseData *data = user_data;
  g_autoptr(CairnPracticeRules) rules = NULL;
  g_autofree char *first_clash = NULL;
  guint n_clashing = 0;
  GTimeZone *zone;

  /* Read inside the transaction: what counts is the calendar as it is
   * now, not as it was when the plan was made. */
  rules = cairn_practice_rules_load (db, error);
  if (rules == NULL)
    return FALSE;
  zone = cairn_practice_rules_get (rules)->zone;

  for (guint i = 0; i < data->items->len; i++)
    {
      const CairnPlannedItem *item = g_ptr_array_index (data->items, i);
      g_autoptr(CairnAppointment) a = cairn_appointment_new ();
      g_autoptr(GPtrArray) conflicts = NULL;
      g_autofree char *detail = NULL;
      BookData book;

      a->patient_id = g_strdup (data->patient_id);
      a->type_id = g_strdup (item->type_id);
      a->start = item->start;
      a->end = item->end;
      a->room_id = g_strdup (item->room_id);
      a->staff_ids = item->staff_ids != NULL ? g_strdupv (item->staff_ids) : g_new0 (char *, 1);
      a->course_id = g_strdup (data->course_id);

      if (!validate (db, a, error))
        return FALSE;
      /* The appointments of the course booked so far are in the vault
       * already, so one clashing with another of the course shows too. */
      conflicts = check_with_rules (db, rules, a, item->staff_needed, item->needs_room, error);
      if (conflicts == NULL)
        return FALSE;

      if (conflicts->len > 0)
        {
          const CairnConflict *first = g_ptr_array_index (conflicts, 0);

          if (first->kind == CAIRN_CONFLICT_INVALID)
            {
              g_autofree char *what = describe_item (db, item, zone, first);

              return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, what);
            }
          if (n_clashing++ == 0)
            first_clash = describe_item (db, item, zone, first);
          detail = g_strdup_printf ("course %s; over %u conflict(s): %s", data->course_id,
                                    conflicts->len, data->reason != NULL ? data->reason : "");
        }
      else
        detail = g_strdup_printf ("course %s", data->course_id);

      a->id = cairn_record_new_id ();
      book = (BookData) { a, TRUE, data->user_id, detail };
      if (!book_cb (db, &book, error))
        return FALSE;
    }

  /* Refused only now, so the message can say how many clash; returning
   * FALSE rolls back what was written above. */
  if (n_clashing > 0 && data->reason == NULL)
    {
      if (n_clashing == 1)
        g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT,
                     _("%s Book the course anyway only with a reason."), first_clash);
      else
        g_set_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%s %u more appointment of the course clashes too; book the "
                                  "course anyway only with a reason.",
                                  "%s %u more appointments of the course clash too; book the "
                                  "course anyway only with a reason.",
                                  n_clashing - 1),
                     first_clash, n_clashing - 1);
      return FALSE;
    }
  return TRUE;
}

/**
 * cairn_schedule_book_course:
 * @db: practice.db
 * @patient_id: whose course it is
 * @items: (element-type CairnPlannedItem): the appointments of the course,
 *   as cairn_course_plan() proposed them and the user adjusted them
 * @override_reason: (nullable): why the course may go ahead over its
 *   conflicts
 * @user_id: (nullable): who books
 * @course_id_out: (out) (optional) (transfer full): the new course's id
 * @error: return location for a #GError
 *
 * Books a whole course in one transaction, every appointment with the same
 * new course id. Each is checked again against the vault as it is now
 * (someone may have booked since the plan was made) and against the
 * course's others. When any clashes the course is refused with
 * %CAIRN_SCHEDULE_ERROR_CONFLICT, naming the first that does, unless
 * @override_reason says why it goes ahead; the reason is written to the
 * audit entry of each appointment booked over a conflict. Each appointment
 * has its own audit entry, as cairn_schedule_book() writes, naming the
 * course. An impossible appointment is refused whatever the reason, and
 * nothing is written unless everything is.
 *
 * Returns: %TRUE when the course is booked
 */
gboolean
cairn_schedule_book_course (CairnDatabase  *db,
                            const char     *patient_id,
                            GPtrArray      *items,
                            const char     *override_reason,
                            const char     *user_id,
                            char          **course_id_out,
                            GError        **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *course_id = cairn_record_new_id ();
  CourseData data = { patient_id, items, NULL, user_id, course_id };

  g_return_val_if_fail (db != NULL && patient_id != NULL && items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (items->len == 0)
    return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID,
                   _("The course has no appointments to book."));

  if (override_reason != NULL)
    reason = g_strstrip (g_strdup (override_reason));
  data.reason = reason != NULL && *reason != '\0' ? reason : NULL;
  if (!cairn_database_transaction (db, book_course_cb, &data, error))
    return FALSE;
  if (course_id_out != NULL)
    *course_id_out = g_steal_pointer (&course_id);
  return TRUE;
}

typedef struct
{
  const char *id;
  const char *status;
  const char *reason;
  const char *user_id;
} StatusData;

static gboolean
status_cb (CairnDatabase  *db,
           gpointer        user_data,
           GError        **error)
{
  StatusData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();
  const char *values[] = { data->status, data->reason, now, data->user_id, data->id };

  if (!cairn_database_run (db, "UPDATE appointments SET status = ?, status_reason = ?, updated_at = ?, author = ?"
                           " WHERE id = ?", values, G_N_ELEMENTS (values), error))
    return FALSE;
  if (sqlite3_changes (cairn_database_get_handle (db)) == 0)
    return refuse (error, CAIRN_SCHEDULE_ERROR_NOT_FOUND, _("This appointment is no longer in the vault."));
  return cairn_audit_append (db, data->user_id, "appointment.status", data->id, data->status, error);
}

/**
 * cairn_schedule_set_status:
 * @db: practice.db
 * @appointment_id: an appointment
 * @status: "booked", "checked-in", "no-show", "cancelled" or "completed"
 * @reason: (nullable): why; required for a cancellation
 * @user_id: (nullable): who
 * @error: return location for a #GError
 *
 * Check-in, no-show and cancellation at the front desk.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_schedule_set_status (CairnDatabase  *db,
                           const char     *appointment_id,
                           const char     *status,
                           const char     *reason,
                           const char     *user_id,
                           GError        **error)
{
  static const char * const statuses[] = { "booked", "checked-in", "no-show", "cancelled", "completed", NULL };
  g_autofree char *trimmed = reason != NULL ? g_strstrip (g_strdup (reason)) : NULL;
  StatusData data = { appointment_id, status, NULL, user_id };

  g_return_val_if_fail (db != NULL && appointment_id != NULL, FALSE);

  if (status == NULL || !g_strv_contains (statuses, status))
    return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, _("That is not a state an appointment can be in."));
  if (g_strcmp0 (status, "cancelled") == 0 && (trimmed == NULL || *trimmed == '\0'))
    return refuse (error, CAIRN_SCHEDULE_ERROR_INVALID, _("Say why the appointment is cancelled."));

  data.reason = trimmed != NULL && *trimmed != '\0' ? trimmed : NULL;
  return cairn_database_transaction (db, status_cb, &data, error);
}

typedef struct
{
  const char *staff_id;
  gint64      from;
  gint64      to;
  GHashTable *type_names;
  gboolean    with_names;
  const char *user_id;
  char       *ical;
} ExportData;

static gboolean
export_cb (CairnDatabase  *db,
           gpointer        user_data,
           GError        **error)
{
  ExportData *data = user_data;
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (CairnIcalEvent));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CairnRows) rows = NULL;

  rows = cairn_rows_prepare (db,
                             "SELECT a.id, a.start_utc, a.end_utc, a.type_id, a.status,"
                             " coalesce (p.preferred_name, p.legal_name), p.legal_name, r.name"
                             " FROM appointments a"
                             " JOIN appointment_staff s ON s.appointment_id = a.id AND s.user_id = ?1"
                             " LEFT JOIN patients p ON p.id = a.patient_id"
                             " LEFT JOIN rooms r ON r.id = a.room_id"
                             " WHERE a.start_utc < ?3 AND a.end_utc > ?2"
                             " AND a.start_utc > ?2 - " G_STRINGIFY (CAIRN_BOOKING_MAX_SECONDS)
                             " ORDER BY a.start_utc, a.id",
                             error);
  if (rows == NULL)
    return FALSE;
  cairn_rows_bind_text (rows, 1, data->staff_id);
  cairn_rows_bind_int64 (rows, 2, data->from);
  cairn_rows_bind_int64 (rows, 3, data->to);
  while (cairn_rows_next (rows))
    {
      const char *type_id = cairn_rows_text (rows, 3);
      const char *type_name = data->type_names != NULL ? g_hash_table_lookup (data->type_names, type_id) : NULL;
      const char *shown = cairn_rows_text (rows, 5);
      const char *legal = cairn_rows_text (rows, 6);
      g_autofree char *who = NULL;
      CairnIcalEvent event = { 0 };
      char *uid = cairn_rows_dup (rows, 0);
      char *summary;
      char *location = cairn_rows_dup (rows, 7);

      if (legal != NULL)
        who = data->with_names ? g_strdup (shown) : cairn_ical_initials (legal);
      summary = who != NULL ? g_strdup_printf ("%s · %s", type_name != NULL ? type_name : type_id, who)
                            : g_strdup (type_name != NULL ? type_name : type_id);
      g_ptr_array_add (strings, uid);
      g_ptr_array_add (strings, summary);
      g_ptr_array_add (strings, location);
      event.uid = uid;
      event.start = cairn_rows_int64 (rows, 1);
      event.end = cairn_rows_int64 (rows, 2);
      event.summary = summary;
      event.location = location;
      event.cancelled = g_strcmp0 (cairn_rows_text (rows, 4), "cancelled") == 0;
      g_array_append_val (events, event);
    }
  if (!cairn_rows_finish (rows, error))
    return FALSE;

  /* Who took a copy of whose schedule, and whether it names patients. */
  if (!cairn_audit_append (db, data->user_id, "schedule.export", data->staff_id,
                           data->with_names ? "ical, with names" : "ical, initials", error))
    return FALSE;

  data->ical = cairn_ical_build ((const CairnIcalEvent *) events->data, events->len, g_get_real_time () / G_USEC_PER_SEC);
  return TRUE;
}

/**
 * cairn_schedule_export_ical:
 * @db: practice.db
 * @staff_id: whose appointments
 * @from: UTC seconds
 * @to: UTC seconds
 * @type_names: (nullable) (element-type utf8 utf8): appointment type ids to
 *   the names the protocol template gives them
 * @with_names: name the patients; otherwise only their initials go in
 * @user_id: (nullable): who exports
 * @error: return location for a #GError
 *
 * A staff member's appointments in [@from, @to) as an iCalendar file for
 * their own calendar program. The export is audited.
 *
 * Returns: (transfer full) (nullable): the iCalendar text
 */
char *
cairn_schedule_export_ical (CairnDatabase  *db,
                            const char     *staff_id,
                            gint64          from,
                            gint64          to,
                            GHashTable     *type_names,
                            gboolean        with_names,
                            const char     *user_id,
                            GError        **error)
{
  ExportData data = { staff_id, from, to, type_names, with_names, user_id, NULL };

  g_return_val_if_fail (db != NULL && staff_id != NULL, NULL);

  if (!cairn_database_transaction (db, export_cb, &data, error))
    {
      g_free (data.ical);
      return NULL;
    }
  return data.ical;
}
