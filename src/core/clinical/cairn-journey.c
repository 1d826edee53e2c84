/* cairn-journey.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-clinical"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-agenda.h"
#include "cairn-conflicts.h"
#include "cairn-gate.h"
#include "cairn-journey.h"
#include "cairn-measures.h"
#include "cairn-notes.h"
#include "cairn-protocols.h"
#include "cairn-records.h"
#include "cairn-schedule.h"

void
cairn_journey_step_free (CairnJourneyStep *step)
{
  if (step == NULL)
    return;
  g_free (step->type_id);
  g_free (step->title);
  g_free (step);
}

void
cairn_journey_alert_free (CairnJourneyAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->title);
  g_free (alert->detail);
  g_free (alert);
}

void
cairn_journey_free (CairnJourney *journey)
{
  if (journey == NULL)
    return;
  g_clear_pointer (&journey->steps, g_ptr_array_unref);
  g_clear_pointer (&journey->alerts, g_ptr_array_unref);
  g_clear_pointer (&journey->gate, g_ptr_array_unref);
  g_free (journey->next_type_id);
  g_free (journey->next_type_name);
  g_free (journey->next_medicine_session_id);
  g_free (journey->gate_today);
  g_clear_pointer (&journey->zone, g_time_zone_unref);
  g_free (journey);
}

static gboolean
is_open (const CairnAppointment *appointment)
{
  return g_strcmp0 (appointment->status, "booked") == 0 ||
         g_strcmp0 (appointment->status, "checked-in") == 0;
}

/* The practice-local day of an instant, as a GDate. */
static void
local_day (GTimeZone *zone,
           gint64     utc,
           GDate     *date)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at, zone);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

static char *
format_day (const GDate *date)
{
  char text[64];

  /* TRANSLATORS: a day in an alert, e.g. "3 Dec 2026" (strftime, as g_date_strftime) */
  if (g_date_strftime (text, sizeof text, _("%-d %b %Y"), date) == 0)
    return g_strdup ("?");
  return g_strdup (text);
}

typedef struct
{
  const CairnAppointment     *appointment;
  const CairnAppointmentType *type;
  guint                       round;
} Placed;

static int
compare_placed (gconstpointer a,
                gconstpointer b)
{
  const Placed *pa = *(const Placed **) a;
  const Placed *pb = *(const Placed **) b;

  if (pa->appointment->start != pb->appointment->start)
    return pa->appointment->start < pb->appointment->start ? -1 : 1;
  return g_strcmp0 (pa->appointment->id, pb->appointment->id);
}

static const CairnPhoneCheckIn *
find_check_in (GPtrArray  *check_ins,
               const char *appointment_id)
{
  for (guint i = 0; check_ins != NULL && i < check_ins->len; i++)
    {
      const CairnPhoneCheckIn *c = g_ptr_array_index (check_ins, i);

      if (g_strcmp0 (c->appointment_id, appointment_id) == 0)
        return c;
    }
  return NULL;
}

static const CairnNote *
find_note (GPtrArray  *notes,
           const char *appointment_id)
{
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    {
      const CairnNote *n = g_ptr_array_index (notes, i);

      if (g_strcmp0 (n->appointment_id, appointment_id) == 0)
        return n;
    }
  return NULL;
}

/* Whether a phone check-in was missed at @now: recorded as not reached,
 * or never recorded once its day is over (or once the front desk marked
 * it a no-show). Its appointment's status says nothing more: the call's
 * record is the clinical fact. */
static gboolean
phone_missed (const Placed            *p,
              const CairnJourneyInput *input,
              const CairnPhoneCheckIn *record)
{
  GDate day, today;

  if (record != NULL)
    return !record->reached;
  if (g_strcmp0 (p->appointment->status, "no-show") == 0)
    return TRUE;
  local_day (input->zone, p->appointment->start, &day);
  local_day (input->zone, input->now, &today);
  return g_date_compare (&day, &today) < 0;
}

static CairnJourneyStep *
step_new (GPtrArray   *steps,
          CairnPhase   phase,
          guint        round,
          gboolean     by_phone,
          const char  *type_id,
          guint        planned,
          char        *title)
{
  CairnJourneyStep *step = g_new0 (CairnJourneyStep, 1);

  step->phase = phase;
  step->round = round;
  step->by_phone = by_phone;
  step->type_id = g_strdup (type_id);
  step->planned = planned;
  step->title = title;
  g_ptr_array_add (steps, step);
  return step;
}

static CairnJourneyStep *
find_step (GPtrArray *steps,
           CairnPhase phase,
           guint      round,
           gboolean   by_phone)
{
  for (guint i = 0; i < steps->len; i++)
    {
      CairnJourneyStep *step = g_ptr_array_index (steps, i);

      if (step->phase == phase && step->round == round && step->by_phone == by_phone)
        return step;
    }
  return NULL;
}

static const char *
first_type_of_phase (const CairnProtocol *protocol,
                     CairnPhase           phase,
                     gboolean             by_phone)
{
  for (guint i = 0; i < cairn_protocol_get_n_types (protocol); i++)
    {
      const CairnAppointmentType *type = cairn_protocol_get_type_nth (protocol, i);

      if (type->phase == phase && type->by_phone == by_phone)
        return type->id;
    }
  return NULL;
}

/* Lays out the steps the template plans, with as many rounds as it plans
 * or the patient has had, whichever is more. */
static GPtrArray *
plan_steps (const CairnProtocol *protocol,
            guint                n_rounds)
{
  const CairnCourseShape *course = cairn_protocol_get_course (protocol);
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_journey_step_free);
  guint rounds = MAX (course->medicine_sessions.count, n_rounds);

  step_new (steps, CAIRN_PHASE_SCREENING, 0, FALSE,
            first_type_of_phase (protocol, CAIRN_PHASE_SCREENING, FALSE), 1, g_strdup (_("Screening")));
  step_new (steps, CAIRN_PHASE_PREPARATION, 0, FALSE, course->preparation.type_id,
            course->preparation.count, g_strdup (_("Preparation")));
  for (guint r = 1; r <= rounds; r++)
    {
      /* TRANSLATORS: %u is its number in the course, e.g. "Medicine session 2" */
      step_new (steps, CAIRN_PHASE_MEDICINE_SESSION, r, FALSE, course->medicine_sessions.type_id, 1,
                g_strdup_printf (_("Medicine session %u"), r));
      step_new (steps, CAIRN_PHASE_INTEGRATION, r, FALSE, course->integration.type_id,
                course->integration.count, g_strdup (_("Integration")));
      step_new (steps, CAIRN_PHASE_INTEGRATION, r, TRUE, course->phone_check_ins.type_id,
                course->phone_check_ins.count, g_strdup (_("Phone check-ins")));
    }
  step_new (steps, CAIRN_PHASE_FOLLOW_UP, 0, FALSE, course->follow_up.type_id,
            course->follow_up.count, g_strdup (_("Follow-up")));
  return steps;
}

static void
add_alert (GPtrArray            *alerts,
           CairnJourneyAlertKind kind,
           gboolean              urgent,
           const char           *tab,
           char                 *title,
           char                 *detail)
{
  CairnJourneyAlert *alert = g_new0 (CairnJourneyAlert, 1);

  alert->kind = kind;
  alert->urgent = urgent;
  alert->tab = tab;
  alert->title = title;
  alert->detail = detail;
  g_ptr_array_add (alerts, alert);
}

static const CairnGateCheck *
find_check (GPtrArray  *gate,
            const char *id)
{
  for (guint i = 0; gate != NULL && i < gate->len; i++)
    {
      const CairnGateCheck *check = g_ptr_array_index (gate, i);

      if (g_strcmp0 (check->id, id) == 0)
        return check;
    }
  return NULL;
}

static void
screening_alerts (const CairnJourneyInput *input,
                  CairnJourney            *journey)
{
  const CairnEligibilityDecision *decision = NULL;
  const CairnGateCheck *check;

  if (input->screening != NULL)
    decision = cairn_screening_get_decision (input->screening);
  journey->eligibility = decision != NULL ? decision->decision : CAIRN_ELIGIBILITY_NONE;

  switch (journey->eligibility)
    {
    case CAIRN_ELIGIBILITY_NONE:
      add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_ELIGIBILITY, FALSE, "screening",
                 g_strdup (_("Eligibility not decided")),
                 g_strdup (_("No eligibility decision is recorded. A medicine session cannot start without one.")));
      break;
    case CAIRN_ELIGIBILITY_NEEDS_REVIEW:
      add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_ELIGIBILITY, FALSE, "screening",
                 g_strdup (_("Eligibility needs review")),
                 g_strdup (decision->reason != NULL ? decision->reason : ""));
      break;
    case CAIRN_ELIGIBILITY_NOT_ELIGIBLE:
      if (journey->next_medicine_session_id != NULL)
        add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_NOT_ELIGIBLE, TRUE, "screening",
                   g_strdup (_("Not eligible, yet a medicine session is booked")),
                   g_strdup (decision->reason != NULL ? decision->reason : ""));
      break;
    case CAIRN_ELIGIBILITY_ELIGIBLE:
    default:
      break;
    }

  check = find_check (input->gate, CAIRN_GATE_CHECK_EXCLUSIONS);
  if (check != NULL && !check->passed && !check->overridden)
    add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_EXCLUSION, TRUE, "screening",
               g_strdup (_("Exclusion unresolved")), g_strdup (check->reason));

  check = find_check (input->gate, CAIRN_GATE_CHECK_SEROTONERGIC);
  if (check != NULL && !check->passed && !check->overridden)
    add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_SEROTONERGIC, TRUE, "screening",
               g_strdup (_("Serotonergic medication not tapered")), g_strdup (check->reason));
}

static void
suicidality_alert (const CairnJourneyInput *input,
                   CairnJourney            *journey)
{
  const CairnMeasure *latest = NULL;
  GDate day;

  /* The measures come oldest first: the last PHQ-9 that answers item 9
   * decides. A later form left half answered does not clear the alert. */
  for (guint i = 0; input->measures != NULL && i < input->measures->len; i++)
    {
      const CairnMeasure *m = g_ptr_array_index (input->measures, i);

      if (g_strcmp0 (m->instrument, "phq-9") == 0 && m->answers != NULL && m->answers->len >= 9 &&
          g_array_index (m->answers, int, 8) >= 0)
        latest = m;
    }
  if (latest == NULL || !cairn_measure_has_item9_alert (latest) || !cairn_record_parse_day (latest->taken_on, &day))
    return;

  {
    g_autofree char *when = format_day (&day);

    add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_SUICIDALITY, TRUE, "measures",
               g_strdup (_("PHQ-9 item 9 answered above 0")),
               /* TRANSLATORS: %s is a day, e.g. "3 Dec 2026" */
               g_strdup_printf (_("The PHQ-9 of %s reports thoughts of death or self-harm. Follow up and assess the risk."),
                                when));
  }
}

static void
check_in_alerts (const CairnJourneyInput *input,
                 GPtrArray               *placed,
                 CairnJourney            *journey)
{
  guint max_round = 0;

  for (guint i = 0; i < placed->len; i++)
    max_round = MAX (max_round, ((Placed *) g_ptr_array_index (placed, i))->round);

  for (guint r = 1; r <= max_round; r++)
    {
      g_autoptr(GString) days = g_string_new (NULL);
      guint n_missed = 0;

      for (guint i = 0; i < placed->len; i++)
        {
          const Placed *p = g_ptr_array_index (placed, i);
          const CairnPhoneCheckIn *record;
          gboolean reached_later = FALSE;
          GDate day;
          g_autofree char *when = NULL;

          if (p->round != r || !p->type->by_phone)
            continue;
          record = find_check_in (input->check_ins, p->appointment->id);
          if (!phone_missed (p, input, record))
            continue;
          /* A call not reached is made good by a later call that reached
           * the patient; a call never recorded stays a gap in the record. */
          if (record != NULL)
            for (guint j = i + 1; j < placed->len && !reached_later; j++)
              {
                const Placed *q = g_ptr_array_index (placed, j);
                const CairnPhoneCheckIn *later;

                if (q->round != r || !q->type->by_phone)
                  continue;
                later = find_check_in (input->check_ins, q->appointment->id);
                reached_later = later != NULL && later->reached;
              }
          if (reached_later)
            continue;

          local_day (input->zone, p->appointment->start, &day);
          when = format_day (&day);
          if (days->len > 0)
            g_string_append (days, _(", "));
          g_string_append_printf (days, record != NULL
                                        /* TRANSLATORS: a phone check-in's day, e.g. "3 Dec 2026 (not reached)" */
                                        ? _("%s (not reached)")
                                        /* TRANSLATORS: a phone check-in's day, e.g. "3 Dec 2026 (not recorded)" */
                                        : _("%s (not recorded)"), when);
          n_missed++;
        }
      if (n_missed == 0)
        continue;
      add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_CHECK_IN_MISSED, FALSE, "notes",
                 /* TRANSLATORS: %u is the medicine session's number in the course */
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Phone check-in missed after medicine session %u",
                                               "Phone check-ins missed after medicine session %u", n_missed), r),
                 g_string_free (g_steal_pointer (&days), FALSE));
    }
}

static gboolean
measure_taken_between (GPtrArray   *measures,
                       const char  *instrument,
                       const GDate *from,
                       const GDate *to)
{
  for (guint i = 0; measures != NULL && i < measures->len; i++)
    {
      const CairnMeasure *m = g_ptr_array_index (measures, i);
      GDate day;

      if (!m->complete || g_strcmp0 (m->instrument, instrument) != 0 || !cairn_record_parse_day (m->taken_on, &day))
        continue;
      if (g_date_compare (&day, from) >= 0 && g_date_compare (&day, to) <= 0)
        return TRUE;
    }
  return FALSE;
}

static const char *
instrument_title (const char *id)
{
  const CairnInstrument *instrument = cairn_instrument_find (id);

  return instrument != NULL ? instrument->name : id;
}

/* For each timepoint of the template and each anchor that has taken place
 * (or, for a measure due before a medicine session, that is booked), the
 * measure is due offset_days after the anchor's day and overdue grace_days
 * later, unless one was taken from grace_days before the due day on. One
 * alert per instrument names the latest overdue day. */
static void
measure_alerts (const CairnJourneyInput *input,
                GPtrArray               *placed,
                CairnJourney            *journey)
{
  g_autoptr(GHashTable) overdue = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  GDate today;

  local_day (input->zone, input->now, &today);
  for (guint t = 0; t < cairn_protocol_get_n_timepoints (input->protocol); t++)
    {
      const CairnMeasureTimepoint *tp = cairn_protocol_get_timepoint_nth (input->protocol, t);
      CairnPhase anchor;

      if (!cairn_phase_from_string (tp->anchor, &anchor))
        continue;
      for (guint i = 0; i < placed->len; i++)
        {
          const Placed *p = g_ptr_array_index (placed, i);
          GDate due, late, from;

          if (p->type->phase != anchor || p->type->by_phone)
            continue;
          if (!cairn_appointment_took_place (p->appointment, input->now) &&
              !(tp->offset_days < 0 && is_open (p->appointment)))
            continue;
          local_day (input->zone, p->appointment->start, &due);
          if (tp->offset_days >= 0)
            g_date_add_days (&due, tp->offset_days);
          else
            g_date_subtract_days (&due, -tp->offset_days);
          late = due;
          g_date_add_days (&late, tp->grace_days);
          if (g_date_compare (&today, &late) <= 0)
            continue;
          from = due;
          g_date_subtract_days (&from, tp->grace_days);
          if (measure_taken_between (input->measures, tp->instrument, &from, &today))
            continue;

          {
            GDate *known = g_hash_table_lookup (overdue, tp->instrument);

            if (known == NULL)
              {
                g_hash_table_insert (overdue, tp->instrument, g_memdup2 (&due, sizeof due));
                g_ptr_array_add (order, tp->instrument);
              }
            else if (g_date_compare (&due, known) > 0)
              *known = due;
          }
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      const char *instrument = g_ptr_array_index (order, i);
      g_autofree char *when = format_day (g_hash_table_lookup (overdue, instrument));

      add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_MEASURE_OVERDUE, FALSE, "measures",
                 /* TRANSLATORS: %s is an instrument, e.g. "PCL-5 overdue" */
                 g_strdup_printf (_("%s overdue"), instrument_title (instrument)),
                 /* TRANSLATORS: %s is a day, e.g. "3 Dec 2026" */
                 g_strdup_printf (_("It was due on %s and none has been recorded since."), when));
    }
}

static void
note_alerts (const CairnJourneyInput *input,
             GPtrArray               *placed,
             CairnJourney            *journey)
{
  g_autoptr(GString) days = g_string_new (NULL);
  guint n_unsigned = 0;

  for (guint i = 0; i < placed->len; i++)
    {
      const Placed *p = g_ptr_array_index (placed, i);
      const CairnNote *note;
      GPtrArray *sections;
      GDate day;
      g_autofree char *when = NULL;

      /* Phone check-ins have their own record. */
      if (p->type->by_phone || !cairn_appointment_took_place (p->appointment, input->now))
        continue;
      sections = cairn_protocol_get_note_sections (input->protocol, p->type->id);
      if (sections == NULL || sections->len == 0)
        continue;
      note = find_note (input->notes, p->appointment->id);
      if (note != NULL && note->state == CAIRN_NOTE_SIGNED)
        continue;

      local_day (input->zone, p->appointment->start, &day);
      when = format_day (&day);
      if (days->len > 0)
        g_string_append (days, _(", "));
      /* TRANSLATORS: a session without a signed note, e.g. "Integration, 3 Dec 2026 (draft)" */
      g_string_append_printf (days, note != NULL ? _("%s, %s (draft)")
                                    /* TRANSLATORS: a session without a note, e.g. "Integration, 3 Dec 2026 (no note)" */
                                                 : _("%s, %s (no note)"), p->type->name, when);
      n_unsigned++;
    }
  if (n_unsigned > 0)
    add_alert (journey->alerts, CAIRN_JOURNEY_ALERT_NOTE_UNSIGNED, FALSE, "notes",
               g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session note not signed",
                                             "%u session notes not signed", n_unsigned), n_unsigned),
               g_string_free (g_steal_pointer (&days), FALSE));
}

static int
compare_alerts (gconstpointer a,
                gconstpointer b)
{
  const CairnJourneyAlert *aa = *(const CairnJourneyAlert **) a;
  const CairnJourneyAlert *ab = *(const CairnJourneyAlert **) b;

  if (aa->urgent != ab->urgent)
    return aa->urgent ? -1 : 1;
  return (int) aa->kind - (int) ab->kind;
}

/**
 * cairn_journey_compute:
 * @input: what the patient's record holds
 *
 * Returns: (transfer full): the journey
 */
CairnJourney *
cairn_journey_compute (const CairnJourneyInput *input)
{
  g_autoptr(GPtrArray) placed = g_ptr_array_new_with_free_func (g_free);
  CairnJourney *journey;
  guint round = 0;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (input->protocol != NULL, NULL);
  g_return_val_if_fail (input->zone != NULL, NULL);

  journey = g_new0 (CairnJourney, 1);
  journey->zone = g_time_zone_ref (input->zone);
  journey->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_journey_alert_free);
  journey->gate = input->gate != NULL ? g_ptr_array_ref (input->gate)
                                      : g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_gate_check_free);

  /* Place each appointment the template knows, by start; the rounds are
   * counted by the medicine sessions not cancelled and not missed. */
  for (guint i = 0; input->appointments != NULL && i < input->appointments->len; i++)
    {
      const CairnAppointment *a = g_ptr_array_index (input->appointments, i);
      const CairnAppointmentType *type = cairn_protocol_find_type (input->protocol, a->type_id);
      Placed *p;

      if (type == NULL || g_strcmp0 (a->status, "cancelled") == 0)
        continue;
      p = g_new0 (Placed, 1);
      p->appointment = a;
      p->type = type;
      g_ptr_array_add (placed, p);
    }
  g_ptr_array_sort (placed, compare_placed);
  for (guint i = 0; i < placed->len; i++)
    {
      Placed *p = g_ptr_array_index (placed, i);

      if (p->type->phase == CAIRN_PHASE_MEDICINE_SESSION && g_strcmp0 (p->appointment->status, "no-show") != 0)
        round++;
      if (p->type->phase == CAIRN_PHASE_MEDICINE_SESSION || p->type->phase == CAIRN_PHASE_INTEGRATION)
        p->round = MAX (round, 1);
    }

  journey->steps = plan_steps (input->protocol, round);
  for (guint i = 0; i < placed->len; i++)
    {
      const Placed *p = g_ptr_array_index (placed, i);
      const CairnAppointment *a = p->appointment;
      CairnJourneyStep *step = find_step (journey->steps, p->type->phase, p->round, p->type->by_phone);
      gboolean future = is_open (a) && a->start > input->now;

      if (future && (journey->next_start == 0 || a->start < journey->next_start))
        {
          journey->next_start = a->start;
          g_free (journey->next_type_id);
          journey->next_type_id = g_strdup (a->type_id);
          g_free (journey->next_type_name);
          journey->next_type_name = g_strdup (p->type->name);
        }
      if (future && p->type->phase == CAIRN_PHASE_MEDICINE_SESSION && journey->next_medicine_session_id == NULL)
        {
          journey->next_medicine_session_id = g_strdup (a->id);
          journey->next_medicine_session_start = a->start;
        }
      if (step == NULL)
        continue;

      if (p->type->by_phone)
        {
          const CairnPhoneCheckIn *record = find_check_in (input->check_ins, a->id);

          if (record != NULL && record->reached)
            {
              step->done++;
              step->last_done = MAX (step->last_done, record->called_at);
            }
          else if (phone_missed (p, input, record))
            step->missed++;
          else
            {
              step->booked++;
              if (step->next_start == 0)
                step->next_start = a->start;
            }
          continue;
        }

      if (cairn_appointment_took_place (a, input->now))
        {
          step->done++;
          step->last_done = MAX (step->last_done, a->start);
        }
      else if (g_strcmp0 (a->status, "no-show") == 0)
        step->missed++;
      else if (future)
        {
          step->booked++;
          if (step->next_start == 0)
            step->next_start = a->start;
        }
    }

  for (guint i = 0; i < journey->steps->len; i++)
    {
      CairnJourneyStep *step = g_ptr_array_index (journey->steps, i);

      /* A call that was missed cannot be made again: the check-ins are
       * over when none is left to make. Missed sessions are rebooked. */
      if (step->planned > 0 && (step->done >= step->planned ||
                                (step->by_phone && step->booked == 0 && step->done + step->missed >= step->planned)))
        step->state = CAIRN_JOURNEY_STEP_DONE;
      else if (step->done > 0)
        step->state = CAIRN_JOURNEY_STEP_UNDER_WAY;
      else if (step->booked > 0)
        step->state = CAIRN_JOURNEY_STEP_BOOKED;
      else
        step->state = CAIRN_JOURNEY_STEP_NOT_BOOKED;
    }

  screening_alerts (input, journey);
  suicidality_alert (input, journey);
  check_in_alerts (input, placed, journey);
  measure_alerts (input, placed, journey);
  note_alerts (input, placed, journey);
  g_ptr_array_sort (journey->alerts, compare_alerts);

  return journey;
}

/**
 * cairn_journey_load:
 * @vault: an unlocked vault that opens clinical.db
 * @patient_id: whose
 * @now: UTC seconds
 * @error: return location for a #GError
 *
 * Reads the patient's appointments, screening, notes, phone check-ins and
 * measures (each read audited by its store), evaluates the gate for the
 * next medicine session and computes the journey. Runs on the vault's
 * worker.
 *
 * Returns: (transfer full) (nullable): the journey, or %NULL with @error set
 */
CairnJourney *
cairn_journey_load (CairnVault  *vault,
                    const char  *patient_id,
                    gint64       now,
                    GError     **error)
{
  CairnDatabase *practice;
  CairnDatabase *clinical;
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(CairnPracticeRules) rules = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) appointments = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_appointment_free);
  g_autoptr(CairnScreening) screening = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) check_ins = NULL;
  g_autoptr(GPtrArray) measures = NULL;
  g_autoptr(GPtrArray) gate = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *today = NULL;
  CairnGateContext context = { 0 };
  CairnJourneyInput input = { 0 };
  CairnJourney *journey;
  GDate day;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  practice = cairn_vault_get_practice (vault);
  clinical = cairn_vault_get_clinical (vault);
  if (practice == NULL || clinical == NULL)
    {
      g_set_error_literal (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED,
                           _("Clinical records are not open to this user."));
      return NULL;
    }
  user_id = cairn_vault_get_user_id (vault);

  if ((protocol = cairn_protocols_get_active (practice, error)) == NULL ||
      (rules = cairn_practice_rules_load (practice, error)) == NULL ||
      (items = cairn_agenda_list_for_patient (practice, patient_id, 0, G_MAXUINT, error)) == NULL ||
      (screening = cairn_screening_load (clinical, patient_id, user_id, error)) == NULL ||
      (notes = cairn_notes_list (clinical, patient_id, user_id, error)) == NULL ||
      (check_ins = cairn_phone_check_ins_list (clinical, patient_id, user_id, error)) == NULL ||
      (measures = cairn_measures_list (clinical, patient_id, user_id, error)) == NULL)
    return NULL;

  for (guint i = 0; i < items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (items, i);

      g_ptr_array_add (appointments, cairn_appointment_copy (item->appointment));
    }

  input.protocol = protocol;
  input.zone = cairn_practice_rules_get (rules)->zone;
  input.now = now;
  input.appointments = appointments;
  input.screening = screening;
  input.notes = notes;
  input.check_ins = check_ins;
  input.measures = measures;

  /* The gate is for the next medicine session booked, on the day it is
   * looked at: an override is given for a day. */
  local_day (input.zone, now, &day);
  today = cairn_record_format_day (&day);
  context.today = today;
  if (!cairn_gate_context_for_next_session (practice, protocol, appointments, now, &context, NULL, error))
    return NULL;
  gate = cairn_gate_evaluate (screening, protocol, &context);
  input.gate = gate;

  journey = cairn_journey_compute (&input);
  journey->gate_today = g_steal_pointer (&today);
  return journey;
}

/**
 * cairn_gate_context_for_next_session:
 * @practice: practice.db
 * @protocol: the practice's template
 * @appointments: (element-type CairnAppointment): the patient's appointments
 * @now: UTC seconds
 * @context: the context to fill (its today is left as it is)
 * @session: (out) (optional) (transfer none): the next medicine session, or %NULL
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set when the staff could not be read
 */
gboolean
cairn_gate_context_for_next_session (CairnDatabase           *practice,
                                     const CairnProtocol     *protocol,
                                     GPtrArray               *appointments,
                                     gint64                   now,
                                     CairnGateContext        *context,
                                     const CairnAppointment **session,
                                     GError                 **error)
{
  const CairnAppointment *next = NULL;

  g_return_val_if_fail (practice != NULL && protocol != NULL && context != NULL, FALSE);

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      const CairnAppointment *a = g_ptr_array_index (appointments, i);
      const CairnAppointmentType *type = cairn_protocol_find_type (protocol, a->type_id);

      if (type != NULL && type->phase == CAIRN_PHASE_MEDICINE_SESSION && is_open (a) && a->end > now &&
          (next == NULL || a->start < next->start))
        next = a;
    }

  context->has_session = next != NULL;
  context->n_therapists = 0;
  if (next != NULL)
    {
      /* A front-desk user on the session, or someone who left, is no therapist. */
      int n = cairn_agenda_count_clinicians (practice, (const char * const *) next->staff_ids, error);

      if (n < 0)
        return FALSE;
      context->n_therapists = (guint) n;
    }
  if (session != NULL)
    *session = next;
  return TRUE;
}
