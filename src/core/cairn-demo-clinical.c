/* cairn-demo-clinical.c
 *
 * The demo practice's clinical records, so that every clinical screen
 * opens on something realistic: for each patient part-way through a
 * course, a screening visit with its history, exclusions, medications,
 * tests, consent and eligibility decision; outcome measures at baseline,
 * after each medicine session and at follow-up (a few patients also have
 * monthly measures from a waiting list, up to a year back); a note for
 * every session that took place, most signed, the latest few still
 * drafts, one with an addendum; and the phone check-ins after each
 * medicine session, a few not reached and a few not recorded.
 *
 * Records are stamped with the time their events took place
 * (cairn_record_set_clock()), and everything follows the practice's
 * protocol template: a section or an exclusion the template lacks is not
 * written. Generated from a fixed seed. All of it is fiction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-demo"

#include "config.h"

#include <string.h>

#include "cairn-agenda.h"
#include "cairn-demo-private.h"
#include "cairn-instruments.h"
#include "cairn-journey.h"
#include "cairn-measures.h"
#include "cairn-notes.h"
#include "cairn-protocols.h"
#include "cairn-records.h"
#include "cairn-schedule.h"
#include "cairn-screening.h"

#define DAY (24 * 3600)

typedef struct
{
  CairnDatabase       *practice;
  CairnDatabase       *clinical;
  const CairnProtocol *protocol;
  GTimeZone           *zone;
  gint64               now;
  const char          *author;
  GRand               *rand;
  GHashTable          *staff_names;   /* user id → name */
} Demo;

/* Texts for the note sections, by section id; %s is the patient's first
 * name. Sections of another id get the general text. */
static const struct
{
  const char *id;
  const char *texts[3];
} section_texts[] = {
  { "presenting-concerns", {
      "Nightmares and intrusive memories since a road accident four years ago; avoids driving and crowded places.",
      "Hypervigilance, poor sleep and irritability since military service; strain at home and at work.",
      "Flashbacks and numbness after childhood abuse; several courses of talking therapy helped only for a while." } },
  { "history", {
      "Two earlier courses of trauma-focused therapy. No psychiatric admissions. Lives with partner.",
      "GP-managed depression for six years. No history of psychosis or mania. Works part time.",
      "Outpatient care since age 19. No self-harm in the past five years. Close friend as support." } },
  { "intentions", {
      "%s wants to be able to think of the accident without the panic coming back.",
      "%s hopes to feel safe in their own body again and to sleep through the night.",
      "%s wants to understand the anger and to be more present with the children." } },
  { "safety-plan", {
      "Agreed grounding skills (5-4-3-2-1, breathing). Support person reachable by phone all day. Crisis line on the card.",
      "Safety plan reviewed: warning signs, coping steps, people to call. Overnight attendant confirmed.",
      "Reviewed what to do if distress rises between sessions; agreed to call the practice before acting." } },
  { "alliance", {
      "Good rapport with both therapists; %s asked clear questions about the medicine session.",
      "Some guardedness at first, easing towards the end of the session.",
      "Trust building; %s said it felt easier to talk with two therapists present." } },
  { "experience", {
      "%s described waves of fear giving way to a sense of warmth and of being held.",
      "Long stretches of quiet reflection; memories came up with less fear than expected.",
      "%s met old grief for a friend who died, and cried for the first time in years." } },
  { "themes", {
      "Self-compassion; the part that kept them safe; forgiveness.",
      "Control and letting go; body sensations as a guide.",
      "Shame and belonging; the difference between then and now." } },
  { "practices", {
      "Daily journaling and a short walk each morning; sharing one insight with the support person.",
      "Breathing practice before sleep; drawing what comes up.",
      "Music from the session as a reminder; gentle yoga twice a week." } },
  { "risk-assessment", {
      "No suicidal ideation reported or observed. Sleep improving. No safety concerns.",
      "Passive thoughts of death denied. Mood stable; protective factors strong. Low risk.",
      "No self-harm urges; some tearfulness, expected after the session. Low risk." } },
  { "progress", {
      "%s reports far fewer nightmares and drives short distances again.",
      "Sleep much better; irritability down; back to full-time work.",
      "Symptoms lower than at baseline; occasional bad days, handled with the practices learnt." } },
  { "summary", {
      "Session went as planned; %s was settled and oriented at the end.",
      "A steady session with a difficult middle part, worked through with support.",
      "Calm throughout; good contact with both therapists." } },
  { "plan", {
      "Continue as planned; next session booked.",
      "Review the safety plan next time; keep the daily practices.",
      "Follow up on sleep and on the conversation with the partner." } },
};

static const char * const general_texts[] = {
  "Session as planned; nothing of concern.",
  "Covered what was planned; %s engaged well.",
  "A steady session; continue as planned.",
};

static const char *
first_name (const char *name)
{
  static char buffer[64];
  const char *space = strchr (name, ' ');
  gsize length = space != NULL ? (gsize) (space - name) : strlen (name);

  g_strlcpy (buffer, name, MIN (length + 1, sizeof buffer));
  return buffer;
}

static char *
section_text (Demo       *demo,
              const char *section_id,
              const char *patient_name)
{
  const char *text = general_texts[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (general_texts))];
  g_autoptr(GString) out = g_string_new (NULL);
  const char *mark;

  for (guint i = 0; i < G_N_ELEMENTS (section_texts); i++)
    if (g_str_equal (section_texts[i].id, section_id))
      text = section_texts[i].texts[g_rand_int_range (demo->rand, 0, 3)];
  /* The name goes where %s is; the texts are the demo's own, not formats. */
  mark = strstr (text, "%s");
  if (mark == NULL)
    return g_strdup (text);
  g_string_append_len (out, text, mark - text);
  g_string_append (out, first_name (patient_name));
  g_string_append (out, mark + 2);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
set_clock (Demo   *demo,
           gint64  utc)
{
  cairn_record_set_clock (MIN (utc, demo->now) * G_USEC_PER_SEC);
}

static char *
day_of (Demo   *demo,
        gint64  utc)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at, demo->zone);

  return g_date_time_format (local, "%Y-%m-%d");
}

/* 10:00 practice time on the weekday at or before @utc. */
static gint64
weekday_morning (Demo   *demo,
                 gint64  utc)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at, demo->zone);
  int back = MAX (0, g_date_time_get_day_of_week (local) - 5);
  g_autoptr(GDateTime) day = g_date_time_add_days (local, -back);
  g_autoptr(GDateTime) ten = g_date_time_new (demo->zone, g_date_time_get_year (day),
                                              g_date_time_get_month (day),
                                              g_date_time_get_day_of_month (day), 10, 0, 0);

  return g_date_time_to_unix (ten);
}

static const CairnAppointmentType *
type_of (Demo                   *demo,
         const CairnAppointment *a)
{
  return cairn_protocol_find_type (demo->protocol, a->type_id);
}

static char *
attendees (Demo                   *demo,
           const CairnAppointment *a)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; a->staff_ids != NULL && a->staff_ids[i] != NULL; i++)
    {
      const char *name = g_hash_table_lookup (demo->staff_names, a->staff_ids[i]);

      if (name == NULL)
        continue;
      g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "", name);
    }
  g_string_append_printf (text, "%sthe patient", text->len > 0 ? ", " : "");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
lead_of (Demo                   *demo,
         const CairnAppointment *a)
{
  return a->staff_ids != NULL && a->staff_ids[0] != NULL ? a->staff_ids[0] : demo->author;
}

/* Answers that add up to @total, spread over the items, each within the
 * instrument's range. */
static void
fill_answers (Demo         *demo,
              CairnMeasure *m,
              int           total)
{
  const CairnInstrument *instrument = cairn_instrument_find (m->instrument);
  int max = cairn_instrument_item_max (instrument);
  guint n = m->answers->len;
  int left;

  total = CLAMP (total, 0, max * (int) n);
  for (guint i = 0; i < n; i++)
    g_array_index (m->answers, int, i) = total / (int) n;
  left = total - (total / (int) n) * (int) n;
  while (left > 0)
    {
      guint i = g_rand_int_range (demo->rand, 0, n);

      if (g_array_index (m->answers, int, i) < max)
        {
          g_array_index (m->answers, int, i)++;
          left--;
        }
    }
  /* Some spread, keeping the sum. */
  for (guint k = 0; k < n; k++)
    {
      guint from = g_rand_int_range (demo->rand, 0, n);
      guint to = g_rand_int_range (demo->rand, 0, n);

      if (g_array_index (m->answers, int, from) > 0 && g_array_index (m->answers, int, to) < max)
        {
          g_array_index (m->answers, int, from)--;
          g_array_index (m->answers, int, to)++;
        }
    }
}

/* Moves item 9 of a PHQ-9 to @value, keeping the total where it can. */
static void
set_phq9_item9 (CairnMeasure *m,
                int           value)
{
  int *items = (int *) m->answers->data;
  int delta = value - items[8];

  items[8] = value;
  for (guint i = 0; i < 8 && delta != 0; i++)
    {
      if (delta > 0 && items[i] > 0)
        {
          items[i]--;
          delta--;
        }
      else if (delta < 0 && items[i] < 3)
        {
          items[i]++;
          delta++;
        }
    }
}

static gboolean
add_measure (Demo        *demo,
             const char  *patient_id,
             const char  *instrument_id,
             gint64       at,
             int          total,
             int          item9,
             const char  *timepoint,
             const char  *user_id,
             GError     **error)
{
  g_autoptr(CairnMeasure) m = cairn_measure_new (instrument_id);
  g_autofree char *id = NULL;

  if (m == NULL || at > demo->now)
    return TRUE;
  m->patient_id = g_strdup (patient_id);
  m->taken_on = day_of (demo, at);
  m->timepoint = g_strdup (timepoint);
  if (m->answers != NULL)
    {
      fill_answers (demo, m, total);
      if (item9 >= 0 && g_str_equal (instrument_id, "phq-9"))
        set_phq9_item9 (m, item9);
    }
  else
    m->total = total;
  set_clock (demo, at + 3600);
  return cairn_measures_save (demo->clinical, m, user_id, &id, NULL, error);
}

/* The course's three questionnaires, and CAPS-5 when asked for, at
 * @severity (1 = the patient's baseline, 0 = no symptoms). */
static gboolean
add_measures_at (Demo        *demo,
                 const char  *patient_id,
                 gint64       at,
                 double       severity,
                 const int    baseline[4],
                 gboolean     with_caps,
                 int          item9,
                 const char  *timepoint,
                 const char  *user_id,
                 GError     **error)
{
  double noise = 1.0 + (g_rand_double (demo->rand) - 0.5) * 0.15;
  double s = CLAMP (severity * noise, 0.0, 1.2);

  return add_measure (demo, patient_id, "pcl-5", at, (int) (baseline[0] * s), -1, timepoint, user_id, error) &&
         add_measure (demo, patient_id, "phq-9", at + 60, (int) (baseline[1] * s), item9, timepoint, user_id, error) &&
         add_measure (demo, patient_id, "gad-7", at + 120, (int) (baseline[2] * s), -1, timepoint, user_id, error) &&
         (!with_caps ||
          add_measure (demo, patient_id, "caps-5", at + 180, (int) (baseline[3] * s), -1, timepoint, user_id, error));
}

static gboolean
add_screening (Demo                   *demo,
               guint                   n,
               const char             *patient_id,
               const CairnAppointment *visit,
               gint64                  first_preparation,
               gint64                  first_medicine,
               const int               baseline[4],
               GError                **error)
{
  static const char * const medicines[] = {
    "Sertraline", "Escitalopram", "Venlafaxine", "Fluoxetine",
  };
  static const char * const doses[] = {
    "100 mg once a day", "10 mg once a day", "75 mg twice a day", "20 mg once a day",
  };
  static const char * const people[] = {
    "Jonas Becker (partner)", "Mara Lindqvist (sister)", "Ivo Petrović (friend)", "Helga Dahl (mother)",
  };
  g_autoptr(CairnScreeningDetails) details = g_new0 (CairnScreeningDetails, 1);
  const char *lead = lead_of (demo, visit);
  gint64 at = visit->start;
  gboolean decided = at + 5 * DAY <= demo->now;
  /* Patients near the start of their course show what is still open:
   * an exclusion not yet known, a decision waiting for a letter. */
  gboolean in_doubt = n == 36 && first_medicine > demo->now;

  set_clock (demo, at + 2 * 3600);
  details->diagnosis = g_strdup_printf ("PTSD, chronic. CAPS-5 total %d at screening.", baseline[3]);
  details->psychiatric_history = g_strdup (n % 2 == 0
                                           ? "Recurrent depressive episodes since early twenties; two courses of trauma-focused CBT."
                                           : "Panic attacks and avoidance since the index trauma; EMDR in 2021 helped for a year.");
  details->medical_history = g_strdup (n % 3 == 0 ? "Hypothyroidism, treated and stable. No heart disease."
                                                  : "No significant illness. No heart disease; blood pressure normal.");
  details->trauma_history = g_strdup (n % 2 == 0 ? "Road accident 2022 with a fatality; earlier childhood neglect."
                                                 : "Repeated threat and violence during deployment, 2014–2016.");
  details->vitals_date = day_of (demo, at);
  details->systolic = 112 + g_rand_int_range (demo->rand, 0, 22);
  details->diastolic = 70 + g_rand_int_range (demo->rand, 0, 14);
  details->heart_rate = 60 + g_rand_int_range (demo->rand, 0, 25);
  details->temperature = 36.4 + g_rand_int_range (demo->rand, 0, 6) / 10.0;
  details->weight = 58 + g_rand_int_range (demo->rand, 0, 40);
  details->ecg_date = day_of (demo, at + 2 * DAY);
  details->labs_date = day_of (demo, at + 2 * DAY);
  details->pregnancy_applicable = n % 3 == 1;
  details->consent_date = day_of (demo, at);
  details->support_person = g_strdup (people[n % G_N_ELEMENTS (people)]);
  details->driver = g_strdup (people[(n + 1) % G_N_ELEMENTS (people)]);
  details->overnight_attendant = g_strdup (people[n % G_N_ELEMENTS (people)]);
  if (at + 2 * DAY > demo->now)
    {
      g_clear_pointer (&details->ecg_date, g_free);
      g_clear_pointer (&details->labs_date, g_free);
    }
  if (!cairn_screening_save_details (demo->clinical, patient_id, details, CAIRN_SCREENING_PART_ALL, lead,
                                     NULL, error))
    return FALSE;

  for (guint i = 0; i < cairn_protocol_get_n_exclusions (demo->protocol); i++)
    {
      const CairnExclusion *exclusion = cairn_protocol_get_exclusion_nth (demo->protocol, i);
      CairnExclusionAnswer answer = CAIRN_EXCLUSION_ANSWER_NO;
      const char *note = NULL;

      if (in_doubt && i == cairn_protocol_get_n_exclusions (demo->protocol) / 2)
        {
          answer = CAIRN_EXCLUSION_ANSWER_UNKNOWN;
          note = "Unclear from the history; records asked for from the GP.";
        }
      if (!cairn_screening_set_exclusion (demo->clinical, patient_id, exclusion->id, answer, note, lead, NULL,
                                          error))
        return FALSE;
    }

  if (n % 2 == 0)
    {
      g_autoptr(CairnMedication) medication = cairn_medication_new ();
      gint64 off = first_preparation + 10 * DAY;

      medication->name = g_strdup (medicines[(n / 2) % G_N_ELEMENTS (medicines)]);
      medication->dose = g_strdup (doses[(n / 2) % G_N_ELEMENTS (doses)]);
      medication->serotonergic = cairn_screening_is_serotonergic (medication->name);
      medication->taper_plan = g_strdup ("Reduce by a quarter each week with the prescriber; off before the first medicine session.");
      /* One patient still takes it, a medicine session ahead. */
      if (off <= demo->now && n % 10 != 4)
        medication->tapered_off = day_of (demo, off);
      if (!cairn_screening_save_medication (demo->clinical, patient_id, medication, lead, NULL, error))
        return FALSE;
    }
  if (n % 3 == 0)
    {
      g_autoptr(CairnMedication) medication = cairn_medication_new ();

      medication->name = g_strdup ("Levothyroxine");
      medication->dose = g_strdup ("50 µg in the morning");
      medication->serotonergic = cairn_screening_is_serotonergic (medication->name);
      if (!cairn_screening_save_medication (demo->clinical, patient_id, medication, lead, NULL, error))
        return FALSE;
    }
  if (n % 3 == 1)
    {
      g_autofree char *day = day_of (demo, at);
      g_autofree char *test = cairn_screening_add_pregnancy_test (demo->clinical, patient_id, day,
                                                                  CAIRN_PREGNANCY_RESULT_NEGATIVE, lead, NULL, error);

      if (test == NULL)
        return FALSE;
    }

  if (decided)
    {
      g_autofree char *day = day_of (demo, at + 5 * DAY);

      set_clock (demo, at + 5 * DAY + 3600);
      if (n == 37)
        return cairn_screening_record_decision (demo->clinical, patient_id, CAIRN_ELIGIBILITY_NEEDS_REVIEW,
                                                "Awaiting a letter from the cardiologist about a past arrhythmia.",
                                                day, lead, NULL, error);
      return cairn_screening_record_decision (demo->clinical, patient_id, CAIRN_ELIGIBILITY_ELIGIBLE,
                                              "Meets the criteria: PTSD with CAPS-5 of 28 or more; no exclusion; "
                                              "taper plan agreed with the prescriber.",
                                              day, lead, NULL, error);
    }
  return TRUE;
}

static gboolean
add_note (Demo                   *demo,
          guint                   n,
          const char             *patient_id,
          const char             *patient_name,
          const CairnAppointment *a,
          gboolean                leave_draft,
          gboolean                with_addendum,
          GError                **error)
{
  GPtrArray *sections = cairn_protocol_get_note_sections (demo->protocol, a->type_id);
  g_autoptr(GHashTable) texts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *people = attendees (demo, a);
  g_autofree char *note_id = NULL;
  const char *lead = lead_of (demo, a);

  if (sections->len == 0)
    return TRUE;
  for (guint i = 0; i < sections->len; i++)
    {
      const CairnNoteSection *section = g_ptr_array_index (sections, i);

      /* A draft is half written. */
      if (leave_draft && i > 0 && !section->required)
        continue;
      g_hash_table_insert (texts, section->id, section_text (demo, section->id, patient_name));
    }

  set_clock (demo, a->end + 1800);
  if (!cairn_notes_save_draft (demo->clinical, patient_id, a->id, a->type_id, people, texts, lead, &note_id,
                               error))
    return FALSE;
  if (leave_draft)
    return TRUE;
  set_clock (demo, a->end + 3 * 3600);
  if (!cairn_notes_sign (demo->clinical, note_id, sections, lead, error))
    return FALSE;
  if (with_addendum)
    {
      g_autofree char *addendum = NULL;

      set_clock (demo, a->end + 2 * DAY);
      if (!cairn_notes_add_addendum (demo->clinical, note_id,
                                     "Patient phoned to add that sleep has been better since this session; no change to the plan.",
                                     lead, &addendum, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_patient_record (Demo        *demo,
                    guint        n,
                    const char  *patient_id,
                    GError     **error)
{
  g_autoptr(GPtrArray) items = cairn_agenda_list_for_patient (demo->practice, patient_id, 0, G_MAXUINT, error);
  g_autoptr(CairnAppointment) visit = NULL;
  const CairnAppointment *first_preparation = NULL;
  const CairnAppointment *last_done_note = NULL;
  const CairnAppointment *last_call = NULL;
  gint64 first_medicine = G_MAXINT64;
  const char *patient_name = NULL;
  int baseline[4];
  guint round = 0;
  gboolean addendum_done = FALSE;

  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (items, i);
      const CairnAppointmentType *type = type_of (demo, item->appointment);

      patient_name = item->patient;
      if (type == NULL)
        continue;
      if (type->phase == CAIRN_PHASE_PREPARATION && first_preparation == NULL)
        first_preparation = item->appointment;
      if (type->phase == CAIRN_PHASE_MEDICINE_SESSION)
        first_medicine = MIN (first_medicine, item->appointment->start);
    }
  if (first_preparation == NULL || patient_name == NULL)
    return TRUE;

  /* The screening visit, two weeks before the course. */
  visit = cairn_appointment_new ();
  visit->patient_id = g_strdup (patient_id);
  visit->type_id = g_strdup (cairn_protocol_find_type (demo->protocol, "screening") != NULL ? "screening"
                                                                                         : first_preparation->type_id);
  visit->start = weekday_morning (demo, first_preparation->start - 14 * DAY);
  visit->end = visit->start + 120 * 60;
  visit->room_id = g_strdup (first_preparation->room_id);
  visit->staff_ids = g_new0 (char *, 2);
  visit->staff_ids[0] = g_strdup (lead_of (demo, first_preparation));
  cairn_record_set_clock (0);
  if (!cairn_schedule_book (demo->practice, visit, 1, TRUE, "Booked by the demo practice", demo->author, error) ||
      (visit->end <= demo->now &&
       !cairn_schedule_set_status (demo->practice, visit->id, "completed", NULL, demo->author, error)))
    return FALSE;
  if (visit->start > demo->now)
    return TRUE;

  baseline[0] = 44 + g_rand_int_range (demo->rand, 0, 22);   /* PCL-5 */
  baseline[1] = 13 + g_rand_int_range (demo->rand, 0, 10);   /* PHQ-9 */
  baseline[2] = 10 + g_rand_int_range (demo->rand, 0, 8);    /* GAD-7 */
  baseline[3] = 32 + g_rand_int_range (demo->rand, 0, 20);   /* CAPS-5 */

  if (!add_screening (demo, n, patient_id, visit, first_preparation->start, first_medicine, baseline, error))
    return FALSE;

  /* A waiting list: monthly measures for up to eight months before. */
  if (n < 6)
    for (int month = 8 - (int) n; month >= 1; month--)
      if (!add_measures_at (demo, patient_id, weekday_morning (demo, visit->start - month * 30 * DAY),
                            1.05, baseline, FALSE, -1, "waiting list", visit->staff_ids[0], error))
        return FALSE;
  if (!add_measures_at (demo, patient_id, visit->start, 1.0, baseline, TRUE, n % 4 == 0 ? 1 : 0, "baseline",
                        visit->staff_ids[0], error) ||
      !add_note (demo, n, patient_id, patient_name, visit, FALSE, FALSE, error))
    return FALSE;

  /* The last session with a note, and the last phone call, decide which
   * are left as a draft and unrecorded. */
  for (guint i = 0; i < items->len; i++)
    {
      const CairnAppointment *a = ((CairnAgendaItem *) g_ptr_array_index (items, i))->appointment;
      const CairnAppointmentType *type = type_of (demo, a);

      if (type == NULL || !cairn_appointment_took_place (a, demo->now))
        continue;
      if (!type->by_phone)
        last_done_note = a;
    }
  for (guint i = 0; i < items->len; i++)
    {
      const CairnAppointment *a = ((CairnAgendaItem *) g_ptr_array_index (items, i))->appointment;
      const CairnAppointmentType *type = type_of (demo, a);

      if (type != NULL && type->by_phone && a->start <= demo->now && g_strcmp0 (a->status, "cancelled") != 0)
        last_call = a;
    }

  for (guint i = 0; i < items->len; i++)
    {
      const CairnAppointment *a = ((CairnAgendaItem *) g_ptr_array_index (items, i))->appointment;
      const CairnAppointmentType *type = type_of (demo, a);

      if (type == NULL || g_strcmp0 (a->status, "cancelled") == 0)
        continue;

      if (type->by_phone)
        {
          g_autoptr(CairnPhoneCheckIn) call = NULL;

          if (a->start > demo->now || (a == last_call && n % 6 == 3))
            continue;
          call = cairn_phone_check_in_new ();
          call->patient_id = g_strdup (patient_id);
          call->appointment_id = g_strdup (a->id);
          call->reached = g_rand_int_range (demo->rand, 0, 100) >= 8;
          call->called_at = a->start + 5 * 60;
          call->note = g_strdup (call->reached ? "Feeling tired but settled; sleeping better than expected."
                                               : "No answer; left a voicemail.");
          if (!call->reached)
            call->follow_up_action = g_strdup ("Call again tomorrow morning; text the support person if no answer.");
          set_clock (demo, call->called_at + 600);
          if (!cairn_phone_check_ins_record (demo->clinical, call, lead_of (demo, a), error))
            return FALSE;
          continue;
        }

      if (!cairn_appointment_took_place (a, demo->now))
        continue;

      if (type->phase == CAIRN_PHASE_MEDICINE_SESSION)
        {
          round++;
          if (n % 3 == 1)
            {
              g_autofree char *day = day_of (demo, a->start);
              g_autofree char *test = NULL;

              set_clock (demo, a->start - 1800);
              test = cairn_screening_add_pregnancy_test (demo->clinical, patient_id, day,
                                                         CAIRN_PREGNANCY_RESULT_NEGATIVE, lead_of (demo, a), NULL,
                                                         error);
              if (test == NULL)
                return FALSE;
            }
          /* Responders improve with each session; a few much less. A
           * few patients never sent their second round of measures. */
          if (!(n % 11 == 10 && round == 2) &&
              !add_measures_at (demo, patient_id, weekday_morning (demo, a->start + 21 * DAY),
                                1.0 - round * (n % 5 == 3 ? 0.08 : 0.22), baseline, FALSE,
                                n == 7 && round >= 1 ? 1 : 0, "after a medicine session", lead_of (demo, a), error))
            return FALSE;
        }
      if (type->phase == CAIRN_PHASE_FOLLOW_UP &&
          !add_measures_at (demo, patient_id, a->start, n % 5 == 3 ? 0.8 : 0.3, baseline, TRUE, 0, "follow-up",
                            lead_of (demo, a), error))
        return FALSE;

      if (!add_note (demo, n, patient_id, patient_name, a, a == last_done_note && n % 5 == 2,
                     !addendum_done && n % 9 == 0 && type->phase == CAIRN_PHASE_INTEGRATION, error))
        return FALSE;
      addendum_done |= n % 9 == 0 && type->phase == CAIRN_PHASE_INTEGRATION;
    }
  return TRUE;
}

/**
 * cairn_demo_add_clinical:
 * @vault: the demo vault, unlocked by a clinician
 * @now: the moment the demo is built around
 * @patient_ids: (element-type utf8): the patients with a course booked
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the records are written
 */
gboolean
cairn_demo_add_clinical (CairnVault  *vault,
                         GDateTime   *now,
                         GPtrArray   *patient_ids,
                         GError     **error)
{
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(CairnPracticeRules) rules = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GHashTable) staff_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261201);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *author = cairn_vault_get_user_id (vault);
  Demo demo = { 0 };
  gboolean ok = TRUE;

  demo.practice = cairn_vault_get_practice (vault);
  demo.clinical = cairn_vault_get_clinical (vault);
  g_return_val_if_fail (demo.clinical != NULL, FALSE);

  if ((protocol = cairn_protocols_get_active (demo.practice, error)) == NULL ||
      (rules = cairn_practice_rules_load (demo.practice, error)) == NULL ||
      (staff = cairn_agenda_list_staff (demo.practice, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < staff->len; i++)
    {
      const CairnNamed *person = g_ptr_array_index (staff, i);

      g_hash_table_insert (staff_names, person->id, person->name);
    }

  demo.protocol = protocol;
  demo.zone = cairn_practice_rules_get (rules)->zone;
  demo.now = g_date_time_to_unix (now);
  demo.author = author;
  demo.rand = rand;
  demo.staff_names = staff_names;

  /* A patient with two courses gets one record, over both. */
  for (guint n = 0; ok && n < patient_ids->len; n++)
    if (g_hash_table_add (seen, g_ptr_array_index (patient_ids, n)))
      ok = add_patient_record (&demo, n, g_ptr_array_index (patient_ids, n), error);
  cairn_record_set_clock (0);
  return ok;
}
