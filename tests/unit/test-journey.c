/* test-journey.c
 *
 * The journey, computed from records made up case by case: progress
 * against the template, rounds, and each kind of alert appearing when it
 * should and not otherwise. cairn_journey_load() over a real vault is
 * tested at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cairn-gate.h"
#include "cairn-journey.h"
#include "cairn-measures.h"
#include "cairn-notes.h"
#include "cairn-patients.h"
#include "cairn-schedule.h"
#include "cairn-test-tree.h"
#include "cairn-vfs.h"

#define DAY (24 * 3600)

typedef struct
{
  CairnProtocol     *protocol;
  GTimeZone         *zone;
  gint64             now;
  GPtrArray         *appointments;
  CairnScreening    *screening;
  GPtrArray         *gate;
  GPtrArray         *notes;
  GPtrArray         *check_ins;
  GPtrArray         *measures;
  CairnJourney      *journey;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = NULL;

  f->protocol = cairn_protocol_load_default ();
  f->zone = g_time_zone_new_identifier ("Europe/Berlin");
  now = g_date_time_new (f->zone, 2026, 11, 30, 12, 0, 0);
  f->now = g_date_time_to_unix (now);
  f->appointments = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_appointment_free);
  f->screening = cairn_screening_new ("patient-1");
  f->gate = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_gate_check_free);
  f->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_note_free);
  f->check_ins = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_phone_check_in_free);
  f->measures = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_measure_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->journey, cairn_journey_free);
  g_clear_pointer (&f->protocol, cairn_protocol_unref);
  g_clear_pointer (&f->zone, g_time_zone_unref);
  g_clear_pointer (&f->appointments, g_ptr_array_unref);
  g_clear_pointer (&f->screening, cairn_screening_free);
  g_clear_pointer (&f->gate, g_ptr_array_unref);
  g_clear_pointer (&f->notes, g_ptr_array_unref);
  g_clear_pointer (&f->check_ins, g_ptr_array_unref);
  g_clear_pointer (&f->measures, g_ptr_array_unref);
}

/* An appointment @days from now (negative: past) at the same hour. */
static CairnAppointment *
add_appointment (Fixture    *f,
                 const char *type_id,
                 int         days,
                 const char *status)
{
  CairnAppointment *a = cairn_appointment_new ();
  static guint n = 0;

  a->id = g_strdup_printf ("appointment-%u", ++n);
  a->patient_id = g_strdup ("patient-1");
  a->type_id = g_strdup (type_id);
  a->start = f->now + (gint64) days * DAY;
  a->end = a->start + 90 * 60;
  g_free (a->status);
  a->status = g_strdup (status);
  a->staff_ids = g_strsplit ("staff-1,staff-2", ",", -1);
  g_ptr_array_add (f->appointments, a);
  return a;
}

static void
add_check_in (Fixture                *f,
              const CairnAppointment *a,
              gboolean                reached)
{
  CairnPhoneCheckIn *c = cairn_phone_check_in_new ();

  c->id = g_strdup_printf ("check-in-%s", a->id);
  c->patient_id = g_strdup ("patient-1");
  c->appointment_id = g_strdup (a->id);
  c->reached = reached;
  c->called_at = a->start;
  if (!reached)
    c->follow_up_action = g_strdup ("Call again tomorrow");
  g_ptr_array_add (f->check_ins, c);
}

static void
add_note (Fixture                *f,
          const CairnAppointment *a,
          CairnNoteState          state)
{
  CairnNote *note = cairn_note_new ();

  note->id = g_strdup_printf ("note-%s", a->id);
  note->patient_id = g_strdup ("patient-1");
  note->appointment_id = g_strdup (a->id);
  note->type_id = g_strdup (a->type_id);
  note->state = state;
  g_ptr_array_add (f->notes, note);
}

static char *
day_from_now (Fixture *f,
              int      days)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (f->now + (gint64) days * DAY);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, f->zone);

  return g_date_time_format (local, "%Y-%m-%d");
}

static CairnMeasure *
add_measure (Fixture    *f,
             const char *instrument,
             int         days,
             int         item_value)
{
  CairnMeasure *m = cairn_measure_new (instrument);

  m->id = g_strdup_printf ("measure-%u", f->measures->len);
  m->patient_id = g_strdup ("patient-1");
  m->taken_on = day_from_now (f, days);
  m->complete = TRUE;
  if (m->answers != NULL)
    for (guint i = 0; i < m->answers->len; i++)
      g_array_index (m->answers, int, i) = item_value;
  g_ptr_array_add (f->measures, m);
  return m;
}

static void
add_gate_check (Fixture    *f,
                const char *id,
                gboolean    passed,
                gboolean    overridden)
{
  CairnGateCheck *check = g_new0 (CairnGateCheck, 1);

  check->id = g_strdup (id);
  check->title = g_strdup (id);
  check->passed = passed;
  check->reason = g_strdup_printf ("reason for %s", id);
  check->overridden = overridden;
  if (overridden)
    check->override_reason = g_strdup ("overridden in the test");
  g_ptr_array_add (f->gate, check);
}

static void
record_decision (Fixture         *f,
                 CairnEligibility decision)
{
  CairnEligibilityDecision *d = g_new0 (CairnEligibilityDecision, 1);

  d->id = g_strdup ("decision-1");
  d->decision = decision;
  d->reason = g_strdup ("Discussed in the team meeting");
  d->decided_by = g_strdup ("user-1");
  d->decided_on = day_from_now (f, -30);
  g_ptr_array_insert (f->screening->decisions, 0, d);
}

static const CairnJourney *
compute (Fixture *f)
{
  CairnJourneyInput input = {
    .protocol = f->protocol,
    .zone = f->zone,
    .now = f->now,
    .appointments = f->appointments,
    .screening = f->screening,
    .gate = f->gate,
    .notes = f->notes,
    .check_ins = f->check_ins,
    .measures = f->measures,
  };

  g_clear_pointer (&f->journey, cairn_journey_free);
  f->journey = cairn_journey_compute (&input);
  g_assert_nonnull (f->journey);
  return f->journey;
}

static const CairnJourneyStep *
find_step (const CairnJourney *journey,
           CairnPhase          phase,
           guint               round,
           gboolean            by_phone)
{
  for (guint i = 0; i < journey->steps->len; i++)
    {
      const CairnJourneyStep *step = g_ptr_array_index (journey->steps, i);

      if (step->phase == phase && step->round == round && step->by_phone == by_phone)
        return step;
    }
  g_assert_not_reached ();
}

static guint
count_alerts (const CairnJourney   *journey,
              CairnJourneyAlertKind kind)
{
  guint n = 0;

  for (guint i = 0; i < journey->alerts->len; i++)
    n += ((CairnJourneyAlert *) g_ptr_array_index (journey->alerts, i))->kind == kind;
  return n;
}

static const CairnJourneyAlert *
find_alert (const CairnJourney   *journey,
            CairnJourneyAlertKind kind)
{
  for (guint i = 0; i < journey->alerts->len; i++)
    {
      const CairnJourneyAlert *alert = g_ptr_array_index (journey->alerts, i);

      if (alert->kind == kind)
        return alert;
    }
  return NULL;
}

/* The template's planned counts, so the tests follow the template. */
static const CairnCourseShape *
course (Fixture *f)
{
  return cairn_protocol_get_course (f->protocol);
}

static void
test_empty_course (Fixture       *f,
                   gconstpointer  data)
{
  const CairnJourney *j = compute (f);
  const CairnJourneyStep *prep = find_step (j, CAIRN_PHASE_PREPARATION, 0, FALSE);

  /* Every step the template plans, each round with its three lines. */
  g_assert_cmpuint (j->steps->len, ==, 3 + 3 * course (f)->medicine_sessions.count);
  g_assert_cmpuint (prep->planned, ==, course (f)->preparation.count);
  g_assert_cmpuint (prep->done, ==, 0);
  g_assert_cmpint (prep->state, ==, CAIRN_JOURNEY_STEP_NOT_BOOKED);
  g_assert_cmpint (j->next_start, ==, 0);
  g_assert_null (j->next_medicine_session_id);
  /* Nothing decided yet: the one alert a new patient has. */
  g_assert_cmpuint (count_alerts (j, CAIRN_JOURNEY_ALERT_ELIGIBILITY), ==, 1);
  g_assert_cmpuint (j->alerts->len, ==, 1);
  g_assert_cmpstr (find_alert (j, CAIRN_JOURNEY_ALERT_ELIGIBILITY)->tab, ==, "screening");
}

static void
test_preparation_progress (Fixture       *f,
                           gconstpointer  data)
{
  const CairnJourneyStep *prep;
  const CairnJourneyStep *screening;
  CairnAppointment *next;

  record_decision (f, CAIRN_ELIGIBILITY_ELIGIBLE);
  add_appointment (f, "screening", -30, "completed");
  add_appointment (f, "preparation", -14, "completed");
  add_appointment (f, "preparation", -7, "checked-in");
  add_appointment (f, "preparation", -3, "cancelled");
  next = add_appointment (f, "preparation", 7, "booked");
  add_appointment (f, "medicine-session", 14, "booked");
  compute (f);

  screening = find_step (f->journey, CAIRN_PHASE_SCREENING, 0, FALSE);
  g_assert_cmpint (screening->state, ==, CAIRN_JOURNEY_STEP_DONE);
  prep = find_step (f->journey, CAIRN_PHASE_PREPARATION, 0, FALSE);
  g_assert_cmpuint (prep->done, ==, 2);           /* the cancelled one does not count */
  g_assert_cmpuint (prep->booked, ==, 1);
  g_assert_cmpint (prep->next_start, ==, next->start);
  g_assert_cmpint (prep->state, ==, CAIRN_JOURNEY_STEP_UNDER_WAY);
  g_assert_cmpint (f->journey->next_start, ==, next->start);
  g_assert_cmpstr (f->journey->next_type_id, ==, "preparation");
  g_assert_cmpstr (f->journey->next_type_name, ==, "Preparation");
  g_assert_nonnull (f->journey->next_medicine_session_id);
  g_assert_cmpint (find_step (f->journey, CAIRN_PHASE_MEDICINE_SESSION, 1, FALSE)->state, ==,
                   CAIRN_JOURNEY_STEP_BOOKED);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_ELIGIBILITY), ==, 0);

  /* The third preparation takes place: the step is done. */
  g_free (next->status);
  next->status = g_strdup ("completed");
  compute (f);
  prep = find_step (f->journey, CAIRN_PHASE_PREPARATION, 0, FALSE);
  g_assert_cmpuint (prep->done, ==, course (f)->preparation.count);
  g_assert_cmpint (prep->state, ==, CAIRN_JOURNEY_STEP_DONE);
}

static void
test_rounds (Fixture       *f,
             gconstpointer  data)
{
  const CairnJourneyStep *step;

  record_decision (f, CAIRN_ELIGIBILITY_ELIGIBLE);
  add_appointment (f, "medicine-session", -40, "no-show");   /* not a round */
  add_appointment (f, "medicine-session", -35, "completed");
  add_appointment (f, "integration", -34, "completed");
  add_appointment (f, "medicine-session", -5, "completed");
  add_appointment (f, "integration", -4, "completed");
  add_appointment (f, "integration", 2, "booked");
  compute (f);

  step = find_step (f->journey, CAIRN_PHASE_MEDICINE_SESSION, 1, FALSE);
  g_assert_cmpint (step->state, ==, CAIRN_JOURNEY_STEP_DONE);
  step = find_step (f->journey, CAIRN_PHASE_INTEGRATION, 1, FALSE);
  g_assert_cmpuint (step->done, ==, 1);
  step = find_step (f->journey, CAIRN_PHASE_INTEGRATION, 2, FALSE);
  g_assert_cmpuint (step->done, ==, 1);
  g_assert_cmpuint (step->booked, ==, 1);
  g_assert_cmpint (step->state, ==, CAIRN_JOURNEY_STEP_UNDER_WAY);
  g_assert_cmpint (find_step (f->journey, CAIRN_PHASE_MEDICINE_SESSION, 3, FALSE)->state, ==,
                   CAIRN_JOURNEY_STEP_NOT_BOOKED);
}

static void
test_more_rounds_than_planned (Fixture       *f,
                               gconstpointer  data)
{
  guint planned = course (f)->medicine_sessions.count;

  for (guint i = 0; i <= planned; i++)
    add_appointment (f, "medicine-session", -100 + 28 * (int) i, "completed");
  compute (f);
  /* An extra medicine session gets its own round rather than vanishing. */
  g_assert_cmpint (find_step (f->journey, CAIRN_PHASE_MEDICINE_SESSION, planned + 1, FALSE)->state, ==,
                   CAIRN_JOURNEY_STEP_DONE);
}

static void
test_phone_check_ins (Fixture       *f,
                      gconstpointer  data)
{
  CairnAppointment *calls[6];
  const CairnJourneyStep *step;
  const CairnJourneyAlert *alert;

  record_decision (f, CAIRN_ELIGIBILITY_ELIGIBLE);
  add_appointment (f, "medicine-session", -5, "completed");
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    calls[i] = add_appointment (f, "phone-check-in", -4 + (int) i, "booked");
  add_check_in (f, calls[0], TRUE);
  add_check_in (f, calls[1], FALSE);   /* not reached, then reached the day after */
  add_check_in (f, calls[2], TRUE);
  /* calls[3], yesterday: never recorded. calls[4] is today, calls[5] tomorrow. */
  compute (f);

  step = find_step (f->journey, CAIRN_PHASE_INTEGRATION, 1, TRUE);
  g_assert_cmpuint (step->done, ==, 2);
  g_assert_cmpuint (step->missed, ==, 2);
  g_assert_cmpuint (step->booked, ==, 2);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_CHECK_IN_MISSED), ==, 1);
  alert = find_alert (f->journey, CAIRN_JOURNEY_ALERT_CHECK_IN_MISSED);
  g_assert_cmpstr (alert->tab, ==, "notes");
  /* Only the unrecorded call is named: the unreached one was made good. */
  g_assert_nonnull (strstr (alert->detail, "not recorded"));
  g_assert_null (strstr (alert->detail, "not reached"));

  /* Recording yesterday's call as reached clears the alert. */
  add_check_in (f, calls[3], TRUE);
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_CHECK_IN_MISSED), ==, 0);

  /* The last call recorded as not reached, with none reached after it. */
  add_check_in (f, calls[4], FALSE);
  compute (f);
  alert = find_alert (f->journey, CAIRN_JOURNEY_ALERT_CHECK_IN_MISSED);
  g_assert_nonnull (alert);
  g_assert_nonnull (strstr (alert->detail, "not reached"));

  /* The template plans 7; with 6 booked here, the last one reached and
   * none left to make, the check-ins are over though two were missed. */
  add_check_in (f, calls[5], TRUE);
  compute (f);
  step = find_step (f->journey, CAIRN_PHASE_INTEGRATION, 1, TRUE);
  g_assert_cmpuint (step->booked, ==, 0);
  g_assert_cmpuint (step->done + step->missed, ==, 6);
  g_assert_cmpint (step->state, ==, CAIRN_JOURNEY_STEP_UNDER_WAY);
  calls[0] = add_appointment (f, "phone-check-in", -1, "booked");
  add_check_in (f, calls[0], TRUE);
  compute (f);
  step = find_step (f->journey, CAIRN_PHASE_INTEGRATION, 1, TRUE);
  g_assert_cmpuint (step->missed, >, 0);
  g_assert_cmpint (step->state, ==, CAIRN_JOURNEY_STEP_DONE);
}

static void
test_eligibility (Fixture       *f,
                  gconstpointer  data)
{
  const CairnJourneyAlert *alert;

  record_decision (f, CAIRN_ELIGIBILITY_NEEDS_REVIEW);
  compute (f);
  alert = find_alert (f->journey, CAIRN_JOURNEY_ALERT_ELIGIBILITY);
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->detail, ==, "Discussed in the team meeting");
  g_assert_cmpint (f->journey->eligibility, ==, CAIRN_ELIGIBILITY_NEEDS_REVIEW);

  /* Not eligible: nothing to chase while nothing is booked … */
  record_decision (f, CAIRN_ELIGIBILITY_NOT_ELIGIBLE);
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_ELIGIBILITY), ==, 0);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_NOT_ELIGIBLE), ==, 0);

  /* … but urgent, and first, once a medicine session is booked. */
  add_appointment (f, "medicine-session", 10, "booked");
  compute (f);
  alert = g_ptr_array_index (f->journey->alerts, 0);
  g_assert_cmpint (alert->kind, ==, CAIRN_JOURNEY_ALERT_NOT_ELIGIBLE);
  g_assert_true (alert->urgent);

  record_decision (f, CAIRN_ELIGIBILITY_ELIGIBLE);
  compute (f);
  g_assert_cmpuint (f->journey->alerts->len, ==, 0);
}

static void
test_gate_alerts (Fixture       *f,
                  gconstpointer  data)
{
  record_decision (f, CAIRN_ELIGIBILITY_ELIGIBLE);
  add_gate_check (f, CAIRN_GATE_CHECK_EXCLUSIONS, FALSE, FALSE);
  add_gate_check (f, CAIRN_GATE_CHECK_SEROTONERGIC, FALSE, FALSE);
  add_gate_check (f, CAIRN_GATE_CHECK_CONSENT, FALSE, FALSE);
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_EXCLUSION), ==, 1);
  g_assert_cmpstr (find_alert (f->journey, CAIRN_JOURNEY_ALERT_EXCLUSION)->detail, ==, "reason for exclusions");
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_SEROTONERGIC), ==, 1);
  g_assert_true (find_alert (f->journey, CAIRN_JOURNEY_ALERT_SEROTONERGIC)->urgent);
  /* The gate goes to the page whole, consent included. */
  g_assert_cmpuint (f->journey->gate->len, ==, 3);

  /* Passed, or overridden with a reason: no alert. */
  g_ptr_array_set_size (f->gate, 0);
  add_gate_check (f, CAIRN_GATE_CHECK_EXCLUSIONS, TRUE, FALSE);
  add_gate_check (f, CAIRN_GATE_CHECK_SEROTONERGIC, FALSE, TRUE);
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_EXCLUSION), ==, 0);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_SEROTONERGIC), ==, 0);
}

static void
test_suicidality (Fixture       *f,
                  gconstpointer  data)
{
  CairnMeasure *latest;

  record_decision (f, CAIRN_ELIGIBILITY_ELIGIBLE);
  add_measure (f, "phq-9", -30, 1);     /* item 9 above 0, a month ago */
  latest = add_measure (f, "phq-9", -2, 0);
  compute (f);
  /* The latest PHQ-9 decides: none now. */
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_SUICIDALITY), ==, 0);

  g_array_index (latest->answers, int, 8) = 2;
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_SUICIDALITY), ==, 1);
  g_assert_true (find_alert (f->journey, CAIRN_JOURNEY_ALERT_SUICIDALITY)->urgent);
  g_assert_cmpstr (find_alert (f->journey, CAIRN_JOURNEY_ALERT_SUICIDALITY)->tab, ==, "measures");

  /* Marked incomplete, the answer still raises the alert. */
  latest->complete = FALSE;
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_SUICIDALITY), ==, 1);

  /* A later form that leaves item 9 unanswered does not clear it. */
  {
    CairnMeasure *later = add_measure (f, "phq-9", -1, 1);

    g_array_index (later->answers, int, 8) = -1;
    later->complete = FALSE;
    compute (f);
    g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_SUICIDALITY), ==, 1);

    /* One that answers it with 0 does. */
    g_array_index (later->answers, int, 8) = 0;
    compute (f);
    g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_SUICIDALITY), ==, 0);
  }
}

/* The first timepoint of the template for @instrument at @anchor. */
static const CairnMeasureTimepoint *
find_timepoint (Fixture    *f,
                const char *instrument,
                const char *anchor)
{
  for (guint i = 0; i < cairn_protocol_get_n_timepoints (f->protocol); i++)
    {
      const CairnMeasureTimepoint *tp = cairn_protocol_get_timepoint_nth (f->protocol, i);

      if (g_strcmp0 (tp->instrument, instrument) == 0 && g_strcmp0 (tp->anchor, anchor) == 0)
        return tp;
    }
  return NULL;
}

static gboolean
pcl5_overdue (Fixture *f)
{
  for (guint i = 0; i < f->journey->alerts->len; i++)
    {
      const CairnJourneyAlert *alert = g_ptr_array_index (f->journey->alerts, i);

      if (alert->kind == CAIRN_JOURNEY_ALERT_MEASURE_OVERDUE && strstr (alert->title, "PCL-5") != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_measure_overdue (Fixture       *f,
                      gconstpointer  data)
{
  const CairnMeasureTimepoint *tp = find_timepoint (f, "pcl-5", "medicine-session");
  int due;
  guint before;

  /* The default template asks for a PCL-5 after each medicine session. */
  g_assert_nonnull (tp);
  record_decision (f, CAIRN_ELIGIBILITY_ELIGIBLE);

  /* A medicine session whose PCL-5 falls due exactly at the end of the
   * grace today: not overdue yet. */
  due = tp->offset_days + (int) tp->grace_days;
  add_appointment (f, "medicine-session", -due, "completed");
  compute (f);
  before = count_alerts (f->journey, CAIRN_JOURNEY_ALERT_MEASURE_OVERDUE);
  g_assert_false (pcl5_overdue (f));

  /* One day later it is. */
  ((CairnAppointment *) g_ptr_array_index (f->appointments, 0))->start -= DAY;
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_MEASURE_OVERDUE), >, before);
  g_assert_true (pcl5_overdue (f));

  /* The due day is now grace + 1 days ago. A PCL-5 from the day before
   * the grace opens does not settle it, nor does an incomplete one from
   * the first day of the grace; a complete one from that day does. */
  {
    int window = 2 * (int) tp->grace_days + 1;
    CairnMeasure *m = add_measure (f, "pcl-5", -window - 1, 1);

    compute (f);
    g_assert_true (pcl5_overdue (f));

    g_free (m->taken_on);
    m->taken_on = day_from_now (f, -window);
    m->complete = FALSE;
    compute (f);
    g_assert_true (pcl5_overdue (f));

    m->complete = TRUE;
    compute (f);
    g_assert_false (pcl5_overdue (f));
  }
}

static void
test_notes_unsigned (Fixture       *f,
                     gconstpointer  data)
{
  CairnAppointment *first, *second, *medicine;
  const CairnJourneyAlert *alert;

  /* The default template takes a note for each preparation session. */
  g_assert_cmpuint (cairn_protocol_get_note_sections (f->protocol, "preparation")->len, >, 0);
  record_decision (f, CAIRN_ELIGIBILITY_ELIGIBLE);
  first = add_appointment (f, "preparation", -14, "completed");
  second = add_appointment (f, "preparation", -7, "completed");
  add_appointment (f, "preparation", 7, "booked");            /* not yet: no note due */
  medicine = add_appointment (f, "medicine-session", -3, "completed");
  add_appointment (f, "phone-check-in", -2, "completed");     /* recorded as a call */
  add_note (f, first, CAIRN_NOTE_SIGNED);
  add_note (f, medicine, CAIRN_NOTE_SIGNED);
  add_note (f, second, CAIRN_NOTE_DRAFT);
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_NOTE_UNSIGNED), ==, 1);
  alert = find_alert (f->journey, CAIRN_JOURNEY_ALERT_NOTE_UNSIGNED);
  g_assert_nonnull (strstr (alert->title, "1 session note"));
  g_assert_nonnull (strstr (alert->detail, "draft"));

  ((CairnNote *) g_ptr_array_index (f->notes, f->notes->len - 1))->state = CAIRN_NOTE_SIGNED;
  compute (f);
  g_assert_cmpuint (count_alerts (f->journey, CAIRN_JOURNEY_ALERT_NOTE_UNSIGNED), ==, 0);
}

static void
test_took_place (void)
{
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();

  a->start = 1000;
  g_free (a->status);
  a->status = g_strdup ("completed");
  g_assert_true (cairn_appointment_took_place (a, 0));
  g_free (a->status);
  a->status = g_strdup ("checked-in");
  g_assert_false (cairn_appointment_took_place (a, 999));
  g_assert_true (cairn_appointment_took_place (a, 1000));
  g_free (a->status);
  a->status = g_strdup ("booked");
  g_assert_false (cairn_appointment_took_place (a, 5000));
  g_free (a->status);
  a->status = g_strdup ("no-show");
  g_assert_false (cairn_appointment_took_place (a, 5000));
}

/* cairn_journey_load() over a real vault: each store's read is audited,
 * and the gate counts only clinicians still on the staff as therapists. */
static void
test_load (void)
{
  static const CairnKdfParams cheap = { 1, 8 * 1024 * 1024 };
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_dir_make_tmp ("cairn-journey-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (parent, "vault", NULL);
  g_autofree char *recovery = NULL;
  g_autofree char *me = NULL;
  g_autofree char *desk = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(CairnJourney) journey = NULL;
  g_autoptr(CairnPatient) patient = cairn_patient_new ();
  g_autoptr(CairnAppointment) session = cairn_appointment_new ();
  CairnDatabase *practice;
  const CairnGateCheck *therapists = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  vault = cairn_vault_create (dir, "Quell Practice", "Europe/Berlin", "Dr Ada Quell", "lantern orchard fiddle 42",
                              &cheap, &recovery, &error);
  g_assert_no_error (error);
  practice = cairn_vault_get_practice (vault);
  me = cairn_vault_get_user_id (vault);
  g_assert_true (cairn_vault_add_user (vault, "Front Desk", CAIRN_ROLE_FRONT_DESK, "saffron tunnel mosaic 7",
                                       &cheap, &error));
  desk = cairn_database_query_text (practice, "SELECT id FROM users WHERE name = 'Front Desk'", NULL, 0, &error);
  g_assert_nonnull (desk);

  patient->legal_name = g_strdup ("Adaline Quell");
  patient->date_of_birth = g_strdup ("1980-02-03");
  g_assert_true (cairn_patients_save (practice, patient, me, &error));
  patient_id = g_strdup (patient->id);

  /* A medicine session in ten days, staffed by one clinician and the front desk. */
  session->patient_id = g_strdup (patient_id);
  session->type_id = g_strdup ("medicine-session");
  session->start = now + 10 * DAY;
  session->end = session->start + 8 * 3600;
  session->staff_ids = g_new0 (char *, 3);
  session->staff_ids[0] = g_strdup (me);
  session->staff_ids[1] = g_strdup (desk);
  g_assert_true (cairn_schedule_book (practice, session, 0, FALSE, "Test", me, &error));
  g_assert_no_error (error);

  before = cairn_database_query_text (cairn_vault_get_clinical (vault), "SELECT count(*) FROM audit", NULL, 0, &error);
  journey = cairn_journey_load (vault, patient_id, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (journey);
  after = cairn_database_query_text (cairn_vault_get_clinical (vault), "SELECT count(*) FROM audit", NULL, 0, &error);
  /* Screening, notes, phone check-ins and measures: four audited reads. */
  g_assert_cmpint (atoi (after) - atoi (before), ==, 4);

  g_assert_cmpstr (journey->next_medicine_session_id, ==, session->id);
  for (guint i = 0; i < journey->gate->len; i++)
    {
      const CairnGateCheck *check = g_ptr_array_index (journey->gate, i);

      if (g_strcmp0 (check->id, CAIRN_GATE_CHECK_THERAPISTS) == 0)
        therapists = check;
    }
  g_assert_nonnull (therapists);
  g_assert_false (therapists->passed);

  /* A front-desk user has no clinical key: the journey is not theirs to read. */
  g_clear_object (&vault);
  vault = cairn_vault_unlock (dir, "Front Desk", "saffron tunnel mosaic 7", &error);
  g_assert_no_error (error);
  g_clear_pointer (&journey, cairn_journey_free);
  journey = cairn_journey_load (vault, patient_id, now, &error);
  g_assert_null (journey);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED);

  g_clear_object (&vault);
  cairn_test_remove_tree (parent);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

#define ADD(path, func) \
  g_test_add ("/journey/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("empty-course", test_empty_course);
  ADD ("preparation-progress", test_preparation_progress);
  ADD ("rounds", test_rounds);
  ADD ("more-rounds-than-planned", test_more_rounds_than_planned);
  ADD ("phone-check-ins", test_phone_check_ins);
  ADD ("eligibility", test_eligibility);
  ADD ("gate-alerts", test_gate_alerts);
  ADD ("suicidality", test_suicidality);
  ADD ("measure-overdue", test_measure_overdue);
  ADD ("notes-unsigned", test_notes_unsigned);
#undef ADD
  g_test_add_func ("/journey/took-place", test_took_place);
  g_test_add_func ("/journey/load", test_load);

  return g_test_run ();
}
