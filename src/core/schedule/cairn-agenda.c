/* cairn-agenda.c
 *
 * What a calendar shows: the appointments of a stretch of time with the
 * names of their patients, rooms and staff, read in one query, and how
 * overlapping ones share a day's column side by side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "cairn-agenda.h"
#include "cairn-rows.h"
#include "cairn-patients.h"

void
cairn_agenda_item_free (CairnAgendaItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->appointment, cairn_appointment_free);
  g_free (item->patient);
  g_free (item->chart_number);
  g_free (item->room);
  g_free (item->staff);
  g_free (item);
}

void
cairn_named_free (CairnNamed *named)
{
  if (named == NULL)
    return;
  g_free (named->id);
  g_free (named->name);
  g_free (named);
}

/* What a calendar needs of an appointment, with the names of its patient,
 * room and staff; read_items() reads rows of it. */
#define AGENDA_SELECT \
  "SELECT a.id, a.patient_id, a.type_id, a.start_utc, a.end_utc, a.room_id, a.status," \
  " a.status_reason, a.course_id," \
  " (SELECT group_concat (s.user_id, char (31)) FROM appointment_staff s" \
  "   WHERE s.appointment_id = a.id)," \
  " coalesce (p.preferred_name, p.legal_name), p.chart_number, r.name," \
  " (SELECT group_concat (u.name, ', ') FROM appointment_staff s" \
  "   JOIN users u ON u.id = s.user_id WHERE s.appointment_id = a.id)" \
  " FROM appointments a" \
  " LEFT JOIN patients p ON p.id = a.patient_id" \
  " LEFT JOIN rooms r ON r.id = a.room_id"

/* Runs @sql with ?1 = @one, ?2 = @two and, when given, ?3 = @text. */
static GPtrArray *
read_items (CairnDatabase  *db,
            const char     *sql,
            const char     *text,
            gint64          one,
            gint64          two,
            GError        **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_agenda_item_free);
  g_autoptr(CairnRows) rows = cairn_rows_prepare (db, sql, error);

  if (rows == NULL)
    return NULL;
  cairn_rows_bind_int64 (rows, 1, one);
  cairn_rows_bind_int64 (rows, 2, two);
  if (text != NULL)
    cairn_rows_bind_text (rows, 3, text);
  while (cairn_rows_next (rows))
    {
      CairnAgendaItem *item = g_new0 (CairnAgendaItem, 1);

      item->appointment = cairn_appointment_from_row (rows);
      item->patient = cairn_rows_dup (rows, 10);
      item->chart_number = cairn_rows_dup (rows, 11);
      item->room = cairn_rows_dup (rows, 12);
      item->staff = cairn_rows_dup (rows, 13);
      item->n_lanes = 1;
      g_ptr_array_add (items, item);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  return g_steal_pointer (&items);
}

/**
 * cairn_agenda_find_clashes:
 * @items: (element-type CairnAgendaItem): what a calendar shows
 *
 * Finds the appointments among @items that are booked over one another:
 * the same patient, a staff member or the room at the same time, as the
 * conflict engine sees a new booking. Cancelled ones clash with nothing.
 * Hours and closed days are not looked at: these are bookings made.
 *
 * Returns: (transfer full): appointment id → the #CairnConflictKind of its
 *   clash (%CAIRN_CONFLICT_PATIENT before _STAFF before _ROOM), as
 *   GUINT_TO_POINTER(); empty when nothing clashes
 */
GHashTable *
cairn_agenda_find_clashes (GPtrArray *items)
{
  GHashTable *clashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) bookings = g_array_sized_new (FALSE, TRUE, sizeof (CairnBooking), items->len);
  const CairnBooking *all;

  for (guint i = 0; i < items->len; i++)
    {
      const CairnAppointment *a = ((const CairnAgendaItem *) g_ptr_array_index (items, i))->appointment;
      CairnBooking booking = { a->id, a->patient_id, a->room_id, (const char * const *) a->staff_ids,
                               a->start, a->end, g_strcmp0 (a->status, "cancelled") == 0 };

      g_array_append_val (bookings, booking);
    }
  all = (const CairnBooking *) bookings->data;
  for (guint i = 0; i < bookings->len; i++)
    {
      g_autoptr(GPtrArray) found = NULL;
      CairnConflictKind worst = CAIRN_CONFLICT_INVALID;

      if (all[i].cancelled)
        continue;
      found = cairn_conflicts_find (&all[i], all, bookings->len, 0, FALSE, NULL);
      for (guint c = 0; c < found->len; c++)
        {
          CairnConflictKind kind = ((const CairnConflict *) g_ptr_array_index (found, c))->kind;

          if (kind >= CAIRN_CONFLICT_PATIENT && kind <= CAIRN_CONFLICT_ROOM &&
              (worst == CAIRN_CONFLICT_INVALID || kind < worst))
            worst = kind;
        }
      if (worst != CAIRN_CONFLICT_INVALID)
        g_hash_table_insert (clashes, g_strdup (all[i].id), GUINT_TO_POINTER (worst));
    }
  return clashes;
}

/**
 * cairn_agenda_list:
 * @db: practice.db
 * @from: UTC seconds
 * @to: UTC seconds
 * @error: return location for a #GError
 *
 * Reads the appointments that overlap [@from, @to), cancelled ones
 * included, with the names a calendar shows. Only the window is read: no
 * appointment is longer than %CAIRN_BOOKING_MAX_SECONDS, so the index on
 * the start time bounds the scan.
 *
 * Returns: (transfer container) (element-type CairnAgendaItem) (nullable):
 *   the appointments by start time, or %NULL with @error set
 */
GPtrArray *
cairn_agenda_list (CairnDatabase  *db,
                   gint64          from,
                   gint64          to,
                   GError        **error)
{
  g_return_val_if_fail (db != NULL, NULL);

  return read_items (db, AGENDA_SELECT
                     " WHERE a.start_utc < ?2 AND a.end_utc > ?1"
                     " AND a.start_utc > ?1 - " G_STRINGIFY (CAIRN_BOOKING_MAX_SECONDS)
                     " ORDER BY a.start_utc, a.end_utc DESC, a.id", NULL, from, to, error);
}

/**
 * cairn_agenda_list_for_patient:
 * @db: practice.db
 * @patient_id: whose
 * @from: UTC seconds: appointments that end after this
 * @limit: how many at most
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnAgendaItem) (nullable):
 *   the patient's appointments from @from on, cancelled ones included, by
 *   start time
 */
GPtrArray *
cairn_agenda_list_for_patient (CairnDatabase  *db,
                               const char     *patient_id,
                               gint64          from,
                               guint           limit,
                               GError        **error)
{
  g_return_val_if_fail (db != NULL && patient_id != NULL, NULL);

  return read_items (db, AGENDA_SELECT
                     " WHERE a.patient_id = ?3 AND a.end_utc > ?1"
                     " ORDER BY a.start_utc, a.id LIMIT ?2", patient_id, from, limit, error);
}

/**
 * cairn_agenda_get:
 * @db: practice.db
 * @id: an appointment's id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the appointment with its names, or
 *   %NULL (without an error) when there is none with that id
 */
CairnAgendaItem *
cairn_agenda_get (CairnDatabase  *db,
                  const char     *id,
                  GError        **error)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (db != NULL && id != NULL, NULL);

  items = read_items (db, AGENDA_SELECT " WHERE a.id = ?3 AND ?1 = ?2", id, 0, 0, error);
  return items != NULL && items->len > 0 ? g_ptr_array_steal_index (items, 0) : NULL;
}

/**
 * cairn_agenda_list_rooms:
 * @db: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnNamed) (nullable): the
 *   rooms in use, by name
 */
GPtrArray *
cairn_agenda_list_rooms (CairnDatabase  *db,
                         GError        **error)
{
  g_autoptr(GPtrArray) rooms = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_named_free);
  g_autoptr(CairnRows) rows = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  rows = cairn_rows_prepare (db, "SELECT id, name FROM rooms WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE",
                             error);
  if (rows == NULL)
    return NULL;
  while (cairn_rows_next (rows))
    {
      CairnNamed *room = g_new0 (CairnNamed, 1);

      room->id = cairn_rows_dup (rows, 0);
      room->name = cairn_rows_dup (rows, 1);
      g_ptr_array_add (rooms, room);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  return g_steal_pointer (&rooms);
}

/**
 * cairn_agenda_list_staff:
 * @db: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnNamed) (nullable): the
 *   people who work at the practice now, clinicians first, by name
 */
GPtrArray *
cairn_agenda_list_staff (CairnDatabase  *db,
                         GError        **error)
{
  g_autoptr(GPtrArray) staff = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_named_free);
  g_autoptr(CairnRows) rows = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  rows = cairn_rows_prepare (db, "SELECT id, name, role = 'clinician' FROM users WHERE deleted_at IS NULL"
                                 " ORDER BY role = 'clinician' DESC, name COLLATE NOCASE", error);
  if (rows == NULL)
    return NULL;
  while (cairn_rows_next (rows))
    {
      CairnNamed *person = g_new0 (CairnNamed, 1);

      person->id = cairn_rows_dup (rows, 0);
      person->name = cairn_rows_dup (rows, 1);
      person->clinician = cairn_rows_int (rows, 2) != 0;
      g_ptr_array_add (staff, person);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  return g_steal_pointer (&staff);
}

static void
add_problem (GPtrArray  *problems,
             const char *field,
             char       *message)
{
  CairnFieldProblem *problem = g_new0 (CairnFieldProblem, 1);

  problem->field = field;
  problem->message = message;
  g_ptr_array_add (problems, problem);
}

/* Reads a whole number with nothing after it. */
static gboolean
read_number (const char *text,
             guint       max,
             guint      *value)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &n, NULL))
    return FALSE;
  *value = (guint) n;
  return TRUE;
}

/**
 * cairn_agenda_parse_when:
 * @date: the local date as typed, "2026-12-01"
 * @time: the local start time as typed, "09:30" or "9:30"
 * @length: the length as typed: minutes ("90") or hours and minutes ("1:30")
 * @zone: the practice's zone
 * @start: (out): UTC seconds
 * @end: (out): UTC seconds
 * @problems: (element-type CairnFieldProblem): gains a problem for each
 *   field that cannot be read, named "date", "time" or "length"
 *
 * Reads when an appointment is, as the booking form has it. A wall-clock
 * time the clocks skip on that day is a problem, not a guess.
 *
 * Returns: whether all three could be read
 */
gboolean
cairn_agenda_parse_when (const char *date,
                         const char *time,
                         const char *length,
                         GTimeZone  *zone,
                         gint64     *start,
                         gint64     *end,
                         GPtrArray  *problems)
{
  g_autofree char *date_text = g_strstrip (g_strdup (date != NULL ? date : ""));
  g_autofree char *time_text = g_strstrip (g_strdup (time != NULL ? time : ""));
  g_autofree char *length_text = g_strstrip (g_strdup (length != NULL ? length : ""));
  guint before = problems->len;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, used = 0;
  guint minutes = 0;
  GDate day;

  g_return_val_if_fail (zone != NULL && start != NULL && end != NULL && problems != NULL, FALSE);

  g_date_clear (&day, 1);
  if (*date_text == '\0')
    add_problem (problems, "date", g_strdup (_("Enter the date.")));
  else if (sscanf (date_text, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || date_text[used] != '\0' ||
           !g_date_valid_dmy (d, mo, y) || y < 2000 || y > 2200)
    add_problem (problems, "date", g_strdup (_("Write the date as year-month-day, such as 2026-12-01.")));
  else
    g_date_set_dmy (&day, d, mo, y);

  if (*time_text == '\0')
    add_problem (problems, "time", g_strdup (_("Enter the start time.")));
  else if (sscanf (time_text, "%2d:%2d%n", &h, &mi, &used) != 2 || time_text[used] != '\0' ||
           h < 0 || h > 23 || mi < 0 || mi > 59)
    add_problem (problems, "time", g_strdup (_("Write the time on the 24-hour clock, such as 09:30.")));

  if (*length_text == '\0')
    add_problem (problems, "length", g_strdup (_("Enter how long it lasts.")));
  else
    {
      g_auto(GStrv) parts = g_strsplit (length_text, ":", -1);
      guint hours = 0, mins = 0;
      gboolean ok = g_strv_length (parts) == 1 ? read_number (parts[0], 24 * 60, &mins)
                    : g_strv_length (parts) == 2 && read_number (parts[0], 24, &hours) &&
                      strlen (parts[1]) == 2 && read_number (parts[1], 59, &mins);

      minutes = hours * 60 + mins;
      if (!ok)
        add_problem (problems, "length",
                     g_strdup (_("Write the length in minutes, such as 90, or in hours and minutes, such as 1:30.")));
      else if (minutes < 5)
        add_problem (problems, "length", g_strdup (_("An appointment lasts at least 5 minutes.")));
      else if (minutes * 60 > CAIRN_BOOKING_MAX_SECONDS)
        add_problem (problems, "length",
                     g_strdup_printf (_("An appointment lasts at most %d hours."), CAIRN_BOOKING_MAX_SECONDS / 3600));
    }

  if (problems->len == before)
    {
      g_autoptr(GDateTime) local = g_date_time_new (zone, y, mo, d, h, mi, 0);

      /* In the hour the clocks skip, GLib moves the time on; say so instead. */
      if (local == NULL || g_date_time_get_hour (local) != h || g_date_time_get_minute (local) != mi)
        {
          add_problem (problems, "time",
                       g_strdup_printf (_("There is no %02d:%02d on that day: the clocks go forward then."), h, mi));
          return FALSE;
        }
      *start = g_date_time_to_unix (local);
      *end = *start + (gint64) minutes * 60;
      return TRUE;
    }
  return FALSE;
}

static gint
compare_by_start (gconstpointer a,
                  gconstpointer b)
{
  const CairnAppointment *x = (*(CairnAgendaItem * const *) a)->appointment;
  const CairnAppointment *y = (*(CairnAgendaItem * const *) b)->appointment;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end > y->end ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

static void
close_cluster (GPtrArray *items,
               guint      first,
               guint      last,
               guint      n_lanes)
{
  for (guint i = first; i < last; i++)
    ((CairnAgendaItem *) g_ptr_array_index (items, i))->n_lanes = n_lanes;
}

/**
 * cairn_agenda_layout:
 * @items: (element-type CairnAgendaItem): appointments of one day
 *
 * Sorts @items by start and gives each a lane, so that appointments that
 * overlap in time stand side by side: each takes the first lane free at
 * its start, and every appointment of a cluster of overlapping ones
 * learns how many lanes the cluster needs. Cancelled appointments take a
 * lane like the others: the front desk still sees them.
 */
void
cairn_agenda_layout (GPtrArray *items)
{
  g_autoptr(GArray) lane_ends = g_array_new (FALSE, TRUE, sizeof (gint64));
  guint cluster_start = 0;
  gint64 cluster_end = G_MININT64;

  g_return_if_fail (items != NULL);

  g_ptr_array_sort (items, compare_by_start);
  for (guint i = 0; i < items->len; i++)
    {
      CairnAgendaItem *item = g_ptr_array_index (items, i);
      const CairnAppointment *a = item->appointment;
      guint lane;

      if (a->start >= cluster_end && i > 0)
        {
          close_cluster (items, cluster_start, i, lane_ends->len);
          g_array_set_size (lane_ends, 0);
          cluster_start = i;
        }

      for (lane = 0; lane < lane_ends->len; lane++)
        if (g_array_index (lane_ends, gint64, lane) <= a->start)
          break;
      if (lane == lane_ends->len)
        g_array_set_size (lane_ends, lane + 1);
      g_array_index (lane_ends, gint64, lane) = a->end;
      item->lane = lane;
      cluster_end = i == cluster_start ? a->end : MAX (cluster_end, a->end);
    }
  close_cluster (items, cluster_start, items->len, MAX (lane_ends->len, 1));
}

/**
 * cairn_agenda_count_clinicians:
 * @db: practice.db
 * @staff_ids: (nullable): the people on an appointment, NULL-terminated
 * @error: return location for a #GError
 *
 * How many of @staff_ids are clinicians still on the staff: a front-desk
 * user on a medicine session, or someone who has left, is no therapist.
 *
 * Returns: the count, or -1 with @error set
 */
int
cairn_agenda_count_clinicians (CairnDatabase       *db,
                               const char * const  *staff_ids,
                               GError             **error)
{
  int count = 0;

  g_return_val_if_fail (db != NULL, -1);

  for (guint i = 0; staff_ids != NULL && staff_ids[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *found = cairn_database_query_text (db, "SELECT 1 FROM users WHERE id = ?"
                                                              " AND role = 'clinician' AND deleted_at IS NULL",
                                                          &staff_ids[i], 1, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      count += found != NULL;
    }
  return count;
}
