/* cairn-conflicts.c
 *
 * The one place that decides whether a booking clashes with anything: the
 * patient, a staff member or the room already booked then; fewer staff than
 * the appointment needs, or no room for one that needs a room; a closed
 * day; outside the practice's or a staff member's hours. A pure function of
 * its arguments, so the booking dialog, the planner and the calendar's
 * drag feedback all get the same answer, and the tests can list cases.
 *
 * Hours are local wall-clock times in the practice's zone: a booking at
 * 09:00 in winter and one at 09:00 in summer are both at nine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cairn-conflicts.h"

void
cairn_conflict_free (CairnConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->other_id);
  g_free (conflict->who);
  g_free (conflict);
}

static void
add (GPtrArray         *conflicts,
     CairnConflictKind  kind,
     const char        *other_id,
     const char        *who)
{
  CairnConflict *conflict = g_new0 (CairnConflict, 1);

  conflict->kind = kind;
  conflict->other_id = g_strdup (other_id);
  conflict->who = g_strdup (who);
  g_ptr_array_add (conflicts, conflict);
}

static guint
count_staff (const char * const *staff)
{
  return staff != NULL ? g_strv_length ((char **) staff) : 0;
}

static gboolean
has_staff (const char * const *staff,
           const char         *id)
{
  return staff != NULL && g_strv_contains (staff, id);
}

/* Whether [from, to) minutes of a day lie inside one of its intervals. */
static gboolean
within (const CairnDayHours *day,
        guint                from,
        guint                to)
{
  for (guint i = 0; i < day->n_hours; i++)
    if (day->hours[i].open <= from && to <= day->hours[i].close)
      return TRUE;
  return FALSE;
}

typedef struct
{
  GDate        date;
  GDateWeekday weekday;
  guint        from;     /* minutes after local midnight */
  guint        to;
  gboolean     one_day;  /* starts and ends on the same local day */
} LocalSpan;

static void
local_span (const CairnBooking *booking,
            GTimeZone          *zone,
            LocalSpan          *span)
{
  g_autoptr(GDateTime) utc_start = g_date_time_new_from_unix_utc (booking->start);
  g_autoptr(GDateTime) utc_end = g_date_time_new_from_unix_utc (booking->end);
  g_autoptr(GDateTime) start = g_date_time_to_timezone (utc_start, zone);
  g_autoptr(GDateTime) end = g_date_time_to_timezone (utc_end, zone);
  int start_y, start_m, start_d, end_y, end_m, end_d;

  g_date_time_get_ymd (start, &start_y, &start_m, &start_d);
  g_date_time_get_ymd (end, &end_y, &end_m, &end_d);

  g_date_clear (&span->date, 1);
  g_date_set_dmy (&span->date, (GDateDay) start_d, (GDateMonth) start_m, (GDateYear) start_y);
  span->weekday = g_date_get_weekday (&span->date);
  span->from = (guint) (g_date_time_get_hour (start) * 60 + g_date_time_get_minute (start));
  span->to = (guint) (g_date_time_get_hour (end) * 60 + g_date_time_get_minute (end));
  span->one_day = start_y == end_y && start_m == end_m && start_d == end_d;

  /* Ending at midnight is ending on the same day, at 24:00. */
  if (!span->one_day && span->to == 0 && g_date_time_get_second (end) == 0)
    {
      GDate next = span->date;

      g_date_add_days (&next, 1);
      if (g_date_get_year (&next) == (GDateYear) end_y && g_date_get_month (&next) == (GDateMonth) end_m &&
          g_date_get_day (&next) == (GDateDay) end_d)
        {
          span->one_day = TRUE;
          span->to = 24 * 60;
        }
    }
}

/**
 * cairn_conflicts_find:
 * @booking: the appointment to check
 * @others: (array length=n_others): the appointments already booked around it
 * @n_others: how many
 * @staff_needed: how many staff the appointment type needs (a medicine
 *   session, two therapists)
 * @needs_room: whether the appointment type needs a room
 * @rules: (nullable): the practice's zone, hours and closed days, or %NULL
 *   to check clashes only
 *
 * Returns: (transfer container) (element-type CairnConflict): everything
 *   wrong with @booking, in the order of #CairnConflictKind; empty when it
 *   can be booked. An invalid booking (end not after start, longer than
 *   %CAIRN_BOOKING_MAX_SECONDS) gets only %CAIRN_CONFLICT_INVALID.
 */
GPtrArray *
cairn_conflicts_find (const CairnBooking       *booking,
                      const CairnBooking       *others,
                      guint                     n_others,
                      guint                     staff_needed,
                      gboolean                  needs_room,
                      const CairnScheduleRules *rules)
{
  GPtrArray *conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_conflict_free);
  LocalSpan span;

  g_return_val_if_fail (booking != NULL, conflicts);
  g_return_val_if_fail (others != NULL || n_others == 0, conflicts);

  if (booking->end <= booking->start || booking->end - booking->start > CAIRN_BOOKING_MAX_SECONDS)
    {
      add (conflicts, CAIRN_CONFLICT_INVALID, NULL, NULL);
      return conflicts;
    }

  for (guint i = 0; i < n_others; i++)
    {
      const CairnBooking *other = &others[i];

      if (other->cancelled || (booking->id != NULL && g_strcmp0 (booking->id, other->id) == 0) ||
          !(other->start < booking->end && booking->start < other->end))
        continue;

      if (booking->patient_id != NULL && g_strcmp0 (booking->patient_id, other->patient_id) == 0)
        add (conflicts, CAIRN_CONFLICT_PATIENT, other->id, NULL);
      for (guint s = 0; s < count_staff (booking->staff_ids); s++)
        if (has_staff (other->staff_ids, booking->staff_ids[s]))
          add (conflicts, CAIRN_CONFLICT_STAFF, other->id, booking->staff_ids[s]);
      if (booking->room_id != NULL && g_strcmp0 (booking->room_id, other->room_id) == 0)
        add (conflicts, CAIRN_CONFLICT_ROOM, other->id, booking->room_id);
    }

  if (count_staff (booking->staff_ids) < staff_needed)
    add (conflicts, CAIRN_CONFLICT_STAFFING, NULL, NULL);
  if (needs_room && booking->room_id == NULL)
    add (conflicts, CAIRN_CONFLICT_NO_ROOM, NULL, NULL);

  if (rules == NULL || rules->zone == NULL)
    return conflicts;

  local_span (booking, rules->zone, &span);

  for (guint i = 0; i < rules->n_closed_days; i++)
    if (g_date_compare (&span.date, &rules->closed_days[i]) == 0)
      {
        add (conflicts, CAIRN_CONFLICT_CLOSED_DAY, NULL, NULL);
        break;
      }

  if (rules->practice_hours != NULL &&
      (!span.one_day || !within (&rules->practice_hours->day[span.weekday], span.from, span.to)))
    add (conflicts, CAIRN_CONFLICT_PRACTICE_HOURS, NULL, NULL);

  for (guint s = 0; s < count_staff (booking->staff_ids); s++)
    for (guint i = 0; i < rules->n_staff; i++)
      if (g_strcmp0 (rules->staff[i].id, booking->staff_ids[s]) == 0 && rules->staff[i].hours != NULL &&
          (!span.one_day || !within (&rules->staff[i].hours->day[span.weekday], span.from, span.to)))
        add (conflicts, CAIRN_CONFLICT_STAFF_HOURS, NULL, booking->staff_ids[s]);

  return conflicts;
}

/* ------------------------------------------------------------------------ */
/* Hours as people write them: "mon-fri 08:00-18:00; sat 09:00-13:00"        */

static const char * const day_names[] = { NULL, "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static int
parse_day (const char *text)
{
  for (int i = 1; i <= 7; i++)
    if (g_ascii_strcasecmp (text, day_names[i]) == 0)
      return i;
  return 0;
}

static gboolean
parse_time (const char *text,
            guint      *minutes)
{
  guint hour, minute;
  char tail;

  if (strlen (text) != 5 || text[2] != ':' ||
      sscanf (text, "%2u:%2u%c", &hour, &minute, &tail) != 2 ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[3]) ||
      minute > 59 || hour > 24 || (hour == 24 && minute != 0))
    return FALSE;
  *minutes = hour * 60 + minute;
  return TRUE;
}

static gboolean
bad_hours (GError     **error,
           const char  *part,
           const char  *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("“%s”: %s"), part, why);
  return FALSE;
}

static gboolean
parse_week_hours (const char      *text,
                  CairnWeekHours  *hours,
                  GError         **error)
{
  g_auto(GStrv) entries = NULL;

  memset (hours, 0, sizeof *hours);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The hours are not valid text (UTF-8)."));
      return FALSE;
    }
  entries = g_strsplit_set (text, ";\n", -1);

  for (guint e = 0; entries[e] != NULL; e++)
    {
      g_autofree char *entry = g_strstrip (g_strdup (entries[e]));
      g_auto(GStrv) days = NULL;
      g_auto(GStrv) spans = NULL;
      gboolean selected[8] = { FALSE };
      char *space;

      if (*entry == '\0')
        continue;
      space = strchr (entry, ' ');
      if (space == NULL)
        return bad_hours (error, entry, _("write the days, a space, then the hours, such as “mon-fri 08:00-18:00”."));
      *space = '\0';
      days = g_strsplit (entry, ",", -1);
      spans = g_strsplit (g_strstrip (space + 1), ",", -1);
      *space = ' ';

      for (guint d = 0; days[d] != NULL; d++)
        {
          g_auto(GStrv) range = g_strsplit (g_strstrip (days[d]), "-", 3);
          int first = range[0] != NULL ? parse_day (range[0]) : 0;
          int last = range[0] != NULL && range[1] != NULL ? parse_day (range[1]) : first;

          if (first == 0 || last == 0 || (range[0] != NULL && range[1] != NULL && range[2] != NULL) || last < first)
            return bad_hours (error, entry, _("days are written mon, tue, wed, thu, fri, sat, sun, or a range such "
                                              "as mon-fri."));
          for (int day = first; day <= last; day++)
            selected[day] = TRUE;
        }

      for (guint s = 0; spans[s] != NULL; s++)
        {
          g_auto(GStrv) ends = g_strsplit (g_strstrip (spans[s]), "-", 3);
          guint open, close;

          if (ends[0] == NULL || ends[1] == NULL || ends[2] != NULL ||
              !parse_time (g_strstrip (ends[0]), &open) || !parse_time (g_strstrip (ends[1]), &close))
            return bad_hours (error, entry, _("hours are written HH:MM-HH:MM, such as 08:00-18:00."));
          if (close <= open)
            return bad_hours (error, entry, _("the hours end before they begin."));

          for (int day = 1; day <= 7; day++)
            {
              CairnDayHours *dh = &hours->day[day];

              if (!selected[day])
                continue;
              if (dh->n_hours == CAIRN_MAX_HOURS_PER_DAY)
                return bad_hours (error, entry, _("a day can have at most four spans of hours."));
              for (guint k = 0; k < dh->n_hours; k++)
                if (open < dh->hours[k].close && dh->hours[k].open < close)
                  return bad_hours (error, entry, _("these hours overlap hours already given for that day."));
              dh->hours[dh->n_hours].open = (guint16) open;
              dh->hours[dh->n_hours].close = (guint16) close;
              dh->n_hours++;
            }
        }
    }

  return TRUE;
}

/**
 * cairn_week_hours_parse:
 * @text: hours as "DAYS HH:MM-HH:MM[, HH:MM-HH:MM]" entries separated by
 *   ";" or new lines, where DAYS is a day ("mon"), a range ("mon-fri") or a
 *   list ("mon,wed"); an empty text means closed all week
 * @hours: (out caller-allocates): the hours
 * @error: return location for a #GError naming the entry that is wrong
 *
 * Returns: %TRUE when @text could be read; %FALSE with
 *   %G_IO_ERROR_INVALID_DATA otherwise (text that is not UTF-8 included),
 *   with @hours then closed all week
 */
gboolean
cairn_week_hours_parse (const char      *text,
                        CairnWeekHours  *hours,
                        GError         **error)
{
  g_return_val_if_fail (text != NULL && hours != NULL, FALSE);

  if (!parse_week_hours (text, hours, error))
    {
      memset (hours, 0, sizeof *hours);
      return FALSE;
    }
  return TRUE;
}
