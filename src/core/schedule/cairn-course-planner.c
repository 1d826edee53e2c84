/* cairn-course-planner.c
 *
 * Proposes a patient's whole course from the protocol template, so that
 * nobody has to book thirty-odd appointments one by one and count weeks on
 * a wall calendar. Each item is placed on a day counted from where the item
 * it depends on landed (the last preparation for the first medicine
 * session, each medicine session for its integration sessions and phone
 * check-ins, the last one for the follow-up), at the first time of that day
 * or a few days later that the conflict engine finds free. Nothing is
 * hard-coded: counts, spacing, leeway, lengths and staffing all come from
 * the template.
 *
 * Days are local dates and times local wall-clock times in the practice's
 * zone: nine o'clock stays nine o'clock across a daylight-saving change.
 * An item with no free slot within its leeway is still proposed, at its
 * target, with its conflicts listed: the person planning sees them and
 * decides, which is better than a plan that silently leaves a session out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-course-planner.h"

#define MINUTES_PER_DAY (24 * 60)
/* How far apart the start times tried on a day are. */
#define STEP_MINUTES    15

G_DEFINE_QUARK (cairn-course-plan-error-quark, cairn_course_plan_error)

/* Items {{{1 */

/**
 * cairn_planned_item_free:
 * @item: (nullable): an item of a plan
 */
void
cairn_planned_item_free (CairnPlannedItem *item)
{
  if (item == NULL)
    return;
  g_free (item->type_id);
  g_free (item->type_name);
  g_free (item->room_id);
  g_strfreev (item->staff_ids);
  g_clear_pointer (&item->conflicts, g_ptr_array_unref);
  g_free (item);
}

static GPtrArray *
new_conflicts (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_conflict_free);
}

/**
 * cairn_planned_item_copy:
 * @item: an item of a plan
 *
 * Returns: (transfer full): a deep copy of @item, its conflicts included
 */
CairnPlannedItem *
cairn_planned_item_copy (const CairnPlannedItem *item)
{
  CairnPlannedItem *copy;

  g_return_val_if_fail (item != NULL, NULL);

  copy = g_new0 (CairnPlannedItem, 1);
  *copy = *item;
  copy->type_id = g_strdup (item->type_id);
  copy->type_name = g_strdup (item->type_name);
  copy->room_id = g_strdup (item->room_id);
  copy->staff_ids = g_strdupv (item->staff_ids);
  copy->conflicts = new_conflicts ();
  for (guint i = 0; item->conflicts != NULL && i < item->conflicts->len; i++)
    {
      const CairnConflict *conflict = g_ptr_array_index (item->conflicts, i);
      CairnConflict *same = g_new0 (CairnConflict, 1);

      same->kind = conflict->kind;
      same->other_id = g_strdup (conflict->other_id);
      same->who = g_strdup (conflict->who);
      g_ptr_array_add (copy->conflicts, same);
    }
  return copy;
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const CairnPlannedItem *x = *(CairnPlannedItem * const *) a;
  const CairnPlannedItem *y = *(CairnPlannedItem * const *) b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->phase != y->phase)
    return x->phase < y->phase ? -1 : 1;
  if (x->medicine_session != y->medicine_session)
    return x->medicine_session < y->medicine_session ? -1 : 1;
  if (x->number != y->number)
    return x->number < y->number ? -1 : 1;
  return g_strcmp0 (x->type_id, y->type_id);
}

/* Local time {{{1 */

/* @minute after local midnight on @day, as UTC seconds. @exists is set to
 * FALSE when that wall-clock time does not occur that day (it falls in the
 * hour skipped when the clocks go forward); the time returned is then the
 * one GLib moves it to. */
static gint64
local_time (GTimeZone   *zone,
            const GDate *day,
            guint        minute,
            gboolean    *exists)
{
  g_autoptr(GDateTime) time = g_date_time_new (zone, g_date_get_year (day), g_date_get_month (day),
                                               g_date_get_day (day), (int) (minute / 60),
                                               (int) (minute % 60), 0);

  g_assert (time != NULL);
  if (exists != NULL)
    *exists = g_date_time_get_day_of_month (time) == g_date_get_day (day) &&
              g_date_time_get_hour (time) == (int) (minute / 60) &&
              g_date_time_get_minute (time) == (int) (minute % 60);
  return g_date_time_to_unix (time);
}

static GDateTime *
local_date_time (GTimeZone *zone,
                 gint64     utc)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (utc);

  return g_date_time_to_timezone (time, zone);
}

static void
local_date (GTimeZone *zone,
            gint64     utc,
            GDate     *day)
{
  g_autoptr(GDateTime) time = local_date_time (zone, utc);
  int y, m, d;

  g_date_time_get_ymd (time, &y, &m, &d);
  g_date_clear (day, 1);
  g_date_set_dmy (day, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* Conflicts {{{1 */

static CairnBooking
booking_of (const CairnPlannedItem *item,
            const char             *patient_id)
{
  return (CairnBooking) { NULL, patient_id, item->room_id, (const char * const *) item->staff_ids,
                          item->start, item->end, FALSE };
}

/* Into @out, everything booked or planned that overlaps [@from, @to) other
 * than @skip: all a booking inside that window can clash with, and far
 * less to look through than the practice's whole calendar. */
static void
collect_others (const CairnPlanRequest *request,
                GPtrArray              *plan,
                gint64                  from,
                gint64                  to,
                const CairnPlannedItem *skip,
                GArray                 *out)
{
  g_array_set_size (out, 0);
  for (guint i = 0; i < request->n_existing; i++)
    if (request->existing[i].start < to && from < request->existing[i].end)
      g_array_append_val (out, request->existing[i]);
  for (guint i = 0; i < plan->len; i++)
    {
      const CairnPlannedItem *item = g_ptr_array_index (plan, i);

      if (item != skip && item->start < to && from < item->end)
        {
          CairnBooking booking = booking_of (item, request->patient_id);

          g_array_append_val (out, booking);
        }
    }
}

static GPtrArray *
find_conflicts (const CairnPlanRequest *request,
                const CairnPlannedItem *item,
                GArray                 *others)
{
  CairnBooking booking = booking_of (item, request->patient_id);

  return cairn_conflicts_find (&booking, (const CairnBooking *) others->data, others->len,
                               item->staff_needed, item->needs_room, request->rules);
}

/* Placing {{{1 */

typedef struct
{
  const CairnPlanRequest *request;
  GTimeZone              *zone;
  GPtrArray              *plan;     /* of CairnPlannedItem, in the order placed */
  GArray                 *others;   /* of CairnBooking, scratch */
} Planner;

/* The start times to try on a day, in minutes: the preferred one, then
 * later, then earlier, each leaving the item inside the day. */
static GArray *
candidate_minutes (guint preferred,
                   guint minutes)
{
  GArray *candidates = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint m = preferred; m + minutes <= MINUTES_PER_DAY; m += STEP_MINUTES)
    g_array_append_val (candidates, m);
  for (guint m = preferred; m >= STEP_MINUTES;)
    {
      m -= STEP_MINUTES;
      if (m + minutes <= MINUTES_PER_DAY)
        g_array_append_val (candidates, m);
    }
  return candidates;
}

/* Whether @item, at @start, is free in one of the rooms; if so the first
 * free room is kept in @item. */
static gboolean
try_slot (Planner          *planner,
          CairnPlannedItem *item,
          gint64            start,
          gint64            length)
{
  const char * const *rooms = planner->request->room_ids;

  item->start = start;
  item->end = start + length;

  for (guint r = 0; !item->needs_room || rooms[r] != NULL; r++)
    {
      g_autoptr(GPtrArray) conflicts = NULL;
      gboolean room_taken = FALSE;

      g_free (item->room_id);
      item->room_id = item->needs_room ? g_strdup (rooms[r]) : NULL;
      conflicts = find_conflicts (planner->request, item, planner->others);
      if (conflicts->len == 0)
        return TRUE;

      /* Only a clash over the room is mended by another room. */
      for (guint i = 0; i < conflicts->len; i++)
        {
          const CairnConflict *conflict = g_ptr_array_index (conflicts, i);

          room_taken |= conflict->kind == CAIRN_CONFLICT_ROOM;
        }
      if (!item->needs_room || !room_taken)
        break;
    }

  g_clear_pointer (&item->room_id, g_free);
  return FALSE;
}

static CairnPlannedItem *
place (Planner                    *planner,
       const CairnAppointmentType *type,
       guint                       number,
       guint                       medicine_session,
       const GDate                *target,
       guint                       tolerance_days)
{
  const CairnPlanRequest *request = planner->request;
  g_autoptr(CairnPlannedItem) item = g_new0 (CairnPlannedItem, 1);
  g_autoptr(GArray) minutes = candidate_minutes (request->preferred_minute, type->minutes);
  gint64 length = (gint64) type->minutes * 60;

  item->type_id = g_strdup (type->id);
  item->type_name = g_strdup (type->name);
  item->phase = type->phase;
  item->number = number;
  item->medicine_session = medicine_session;
  item->staff_needed = type->staff;
  item->needs_room = type->needs_room;
  item->staff_ids = g_new0 (char *, type->staff + 1);
  for (guint s = 0; s < type->staff; s++)
    item->staff_ids[s] = g_strdup (request->therapist_ids[s]);

  for (guint d = 0; d <= tolerance_days; d++)
    {
      GDate day = *target;
      GDate next;

      g_date_add_days (&day, d);
      next = day;
      g_date_add_days (&next, 1);
      collect_others (request, planner->plan, local_time (planner->zone, &day, 0, NULL),
                      local_time (planner->zone, &next, 0, NULL), NULL, planner->others);

      for (guint i = 0; i < minutes->len; i++)
        {
          guint minute = g_array_index (minutes, guint, i);
          gboolean exists;
          gint64 start = local_time (planner->zone, &day, minute, &exists);

          if (exists && try_slot (planner, item, start, length))
            {
              item->conflicts = new_conflicts ();
              g_ptr_array_add (planner->plan, item);
              return g_steal_pointer (&item);
            }
        }
    }

  /* Nothing free: at the target, with what is wrong there for the person
   * planning to see and mend. */
  item->start = local_time (planner->zone, target, request->preferred_minute, NULL);
  item->end = item->start + length;
  item->room_id = item->needs_room ? g_strdup (request->room_ids[0]) : NULL;
  collect_others (request, planner->plan, item->start, item->end, NULL, planner->others);
  item->conflicts = find_conflicts (request, item, planner->others);
  g_ptr_array_add (planner->plan, item);
  return g_steal_pointer (&item);
}

/* Places @step's items on the days @anchor + first_after_days +
 * k × interval_days, each at least a day after the one before, and returns
 * in @last_day (when not %NULL) the local day the last one landed on;
 * @last_day is left cleared when the step has no items. */
static void
place_series (Planner               *planner,
              const CairnCourseStep *step,
              const GDate           *anchor,
              guint                  medicine_session,
              GDate                 *last_day)
{
  const CairnAppointmentType *type;
  GDate previous;

  type = cairn_protocol_find_type (planner->request->protocol, step->type_id);

  g_assert (type != NULL);
  g_date_clear (&previous, 1);

  for (guint k = 0; k < step->count; k++)
    {
      GDate target = *anchor;
      const CairnPlannedItem *item;

      g_date_add_days (&target, step->first_after_days + k * step->interval_days);
      if (g_date_valid (&previous) && g_date_compare (&target, &previous) <= 0)
        {
          target = previous;
          g_date_add_days (&target, 1);
        }
      item = place (planner, type, k + 1, medicine_session, &target, step->tolerance_days);
      local_date (planner->zone, item->start, &previous);
    }

  if (last_day != NULL)
    *last_day = previous;
}

/* Whether the therapists and rooms given can staff the course at all:
 * otherwise every session would carry the same conflict, and the person
 * planning had better hear it once. */
static gboolean
check_request (const CairnPlanRequest *request,
               GError                **error)
{
  const CairnCourseShape *course = cairn_protocol_get_course (request->protocol);
  const CairnCourseStep *steps[] = {
    &course->preparation, &course->medicine_sessions, &course->integration,
    &course->phone_check_ins, &course->follow_up,
  };
  guint staff_needed = 0;
  guint n_therapists = 0;
  gboolean room_needed = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      const CairnAppointmentType *type;

      type = cairn_protocol_find_type (request->protocol, steps[i]->type_id);
      g_assert (type != NULL);
      if (steps[i]->count == 0)
        continue;
      staff_needed = MAX (staff_needed, type->staff);
      room_needed |= type->needs_room;
    }

  for (const char * const *id = request->therapist_ids; id != NULL && *id != NULL; id++)
    {
      for (guint j = 0; j < n_therapists; j++)
        if (g_str_equal (request->therapist_ids[j], *id))
          {
            g_set_error_literal (error, CAIRN_COURSE_PLAN_ERROR, CAIRN_COURSE_PLAN_ERROR_STAFF,
                                 _("The same therapist is assigned twice: choose different "
                                   "therapists."));
            return FALSE;
          }
      n_therapists++;
    }

  if (n_therapists < staff_needed)
    {
      g_set_error (error, CAIRN_COURSE_PLAN_ERROR, CAIRN_COURSE_PLAN_ERROR_STAFF,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Sessions of this course need %u therapist: assign one before "
                                "planning it.",
                                "Sessions of this course need %u therapists: assign as many before "
                                "planning it.",
                                staff_needed),
                   staff_needed);
      return FALSE;
    }

  if (room_needed && (request->room_ids == NULL || request->room_ids[0] == NULL))
    {
      g_set_error_literal (error, CAIRN_COURSE_PLAN_ERROR, CAIRN_COURSE_PLAN_ERROR_ROOMS,
                           _("Sessions of this course need a room, and there is none: add a "
                             "room first."));
      return FALSE;
    }

  return TRUE;
}

/* API {{{1 */

/**
 * cairn_course_plan:
 * @request: the patient, template, therapists, rooms, rules and what is
 *   booked already
 * @error: return location for a #GError
 *
 * Proposes the whole course of @request's template for the patient:
 * preparation from @request's start day; the first medicine session after
 * the last preparation, each next one after the one before; integration
 * sessions and phone check-ins after each medicine session; follow-up after
 * the last. Each item is tried on its target day and then each later day
 * within its step's tolerance, at the preferred minute, then later in
 * 15-minute steps, then earlier, with the first therapists the type needs
 * and the first free room. An item with no free slot is placed at its
 * target day and preferred time, with its conflicts listed.
 *
 * Returns: (transfer container) (element-type CairnPlannedItem) (nullable):
 *   the items, by start time; %NULL with %CAIRN_COURSE_PLAN_ERROR_STAFF when
 *   fewer (different) therapists are given than a session needs, or
 *   %CAIRN_COURSE_PLAN_ERROR_ROOMS when a session needs a room and none is
 *   given
 */
GPtrArray *
cairn_course_plan (const CairnPlanRequest  *request,
                   GError                 **error)
{
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GArray) others = NULL;
  g_autoptr(GArray) medicine_days = NULL;
  const CairnCourseShape *course;
  const CairnAppointmentType *medicine;
  Planner planner;
  GDate last_preparation;
  GDate anchor;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (request->protocol != NULL, NULL);
  g_return_val_if_fail (request->rules != NULL && request->rules->zone != NULL, NULL);
  g_return_val_if_fail (request->existing != NULL || request->n_existing == 0, NULL);
  g_return_val_if_fail (g_date_valid (&request->start_day), NULL);
  g_return_val_if_fail (request->preferred_minute < MINUTES_PER_DAY, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_request (request, error))
    return NULL;

  plan = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_planned_item_free);
  others = g_array_new (FALSE, FALSE, sizeof (CairnBooking));
  medicine_days = g_array_new (FALSE, FALSE, sizeof (GDate));
  planner = (Planner) { request, request->rules->zone, plan, others };
  course = cairn_protocol_get_course (request->protocol);

  place_series (&planner, &course->preparation, &request->start_day, 0, &last_preparation);

  /* Medicine sessions first among what follows: they are the longest and
   * need the most people, so they get the first pick of the days, and
   * each is counted from where the one before landed. */
  medicine = cairn_protocol_find_type (request->protocol, course->medicine_sessions.type_id);
  g_assert (medicine != NULL);
  anchor = g_date_valid (&last_preparation) ? last_preparation : request->start_day;
  g_date_add_days (&anchor, course->medicine_sessions.first_after_days);
  for (guint m = 0; m < course->medicine_sessions.count; m++)
    {
      const CairnPlannedItem *item;
      GDate day;

      if (m > 0)
        {
          anchor = g_array_index (medicine_days, GDate, m - 1);
          g_date_add_days (&anchor, course->medicine_sessions.interval_days);
        }
      item = place (&planner, medicine, m + 1, m + 1, &anchor,
                    course->medicine_sessions.tolerance_days);
      local_date (planner.zone, item->start, &day);
      g_array_append_val (medicine_days, day);
    }

  for (guint m = 0; m < medicine_days->len; m++)
    {
      const GDate *day = &g_array_index (medicine_days, GDate, m);

      place_series (&planner, &course->integration, day, m + 1, NULL);
      place_series (&planner, &course->phone_check_ins, day, m + 1, NULL);
    }

  if (medicine_days->len > 0)
    place_series (&planner, &course->follow_up,
                  &g_array_index (medicine_days, GDate, medicine_days->len - 1), 0, NULL);

  /* An item placed over its conflicts may clash with one placed before
   * it: recheck so that both show it. */
  cairn_course_plan_recheck (plan, request);
  g_ptr_array_sort (plan, compare_items);
  return g_steal_pointer (&plan);
}

/**
 * cairn_course_plan_recheck:
 * @plan: (element-type CairnPlannedItem): a plan from cairn_course_plan()
 * @request: the request it was made from, with what is booked now
 *
 * Recomputes every item's conflicts against @request's existing bookings
 * and rules and the plan's other items, after the person planning has
 * moved items or the calendar has changed.
 */
void
cairn_course_plan_recheck (GPtrArray              *plan,
                           const CairnPlanRequest *request)
{
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (CairnBooking));

  g_return_if_fail (plan != NULL);
  g_return_if_fail (request != NULL);
  g_return_if_fail (request->existing != NULL || request->n_existing == 0);

  for (guint i = 0; i < plan->len; i++)
    {
      CairnPlannedItem *item = g_ptr_array_index (plan, i);

      collect_others (request, plan, item->start, item->end, item, others);
      g_clear_pointer (&item->conflicts, g_ptr_array_unref);
      item->conflicts = find_conflicts (request, item, others);
    }
}

/* Moves @item by @days local days, keeping its local wall-clock time and
 * its length. */
static void
shift_days (CairnPlannedItem *item,
            gint              days,
            GTimeZone        *zone)
{
  g_autoptr(GDateTime) local = local_date_time (zone, item->start);
  g_autoptr(GDateTime) moved = NULL;
  gint64 length = item->end - item->start;
  GDate day;

  local_date (zone, item->start, &day);
  if (days > 0)
    g_date_add_days (&day, (guint) days);
  else
    g_date_subtract_days (&day, (guint) -days);
  moved = g_date_time_new (zone, g_date_get_year (&day), g_date_get_month (&day),
                           g_date_get_day (&day), g_date_time_get_hour (local),
                           g_date_time_get_minute (local), g_date_time_get_second (local));
  item->start = g_date_time_to_unix (moved);
  item->end = item->start + length;
}

/**
 * cairn_course_plan_move:
 * @plan: (element-type CairnPlannedItem): a plan from cairn_course_plan()
 * @index: the item to move
 * @new_start: its new start, UTC seconds; it keeps its length
 * @move_dependents: when the item is a medicine session, also move what
 *   depends on it
 * @zone: the practice's zone
 *
 * Moves one item. With @move_dependents, moving a medicine session moves
 * its integration sessions and phone check-ins, the later medicine sessions
 * and theirs, and the follow-up by as many local days as it moved, each at
 * its own local wall-clock time. The plan is sorted by start again, so
 * indices may change (the items are the same pointers). Conflicts are not
 * recomputed: call cairn_course_plan_recheck() next.
 */
void
cairn_course_plan_move (GPtrArray *plan,
                        guint      index,
                        gint64     new_start,
                        gboolean   move_dependents,
                        GTimeZone *zone)
{
  CairnPlannedItem *item;
  GDate before, after;
  gint days;

  g_return_if_fail (plan != NULL);
  g_return_if_fail (index < plan->len);
  g_return_if_fail (zone != NULL);

  item = g_ptr_array_index (plan, index);
  local_date (zone, item->start, &before);
  local_date (zone, new_start, &after);
  days = g_date_days_between (&before, &after);
  item->end = new_start + (item->end - item->start);
  item->start = new_start;

  if (move_dependents && item->phase == CAIRN_PHASE_MEDICINE_SESSION && days != 0)
    {
      for (guint i = 0; i < plan->len; i++)
        {
          CairnPlannedItem *other = g_ptr_array_index (plan, i);

          if (other != item &&
              (other->phase == CAIRN_PHASE_FOLLOW_UP ||
               (other->medicine_session != 0 && other->medicine_session >= item->medicine_session)))
            shift_days (other, days, zone);
        }
    }

  g_ptr_array_sort (plan, compare_items);
}
