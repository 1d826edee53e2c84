/* cairn-instruments.c
 *
 * The outcome-measure instruments Cairn knows, and how each is scored.
 *
 * The item texts of the PCL-5 (a work of the US government: public
 * domain), the PHQ-9 and the GAD-7 (free to reproduce, no permission
 * required) are written here as published, with their instructions and
 * time frames. CAPS-5 (a structured interview) and BDI-II (copyrighted)
 * are recorded as totals only: none of their items may ever be added here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-clinical"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-instruments.h"

G_DEFINE_QUARK (cairn-instrument-error-quark, cairn_instrument_error)

/* ------------------------------------------------------------------------ */
/* PCL-5 (Weathers, Litz, Keane, Palmieri, Marx & Schnurr, 2013;          */
/* National Center for PTSD). The standard form without Criterion A.       */

static const char * const pcl5_items[] = {
  N_("Repeated, disturbing, and unwanted memories of the stressful experience?"),
  N_("Repeated, disturbing dreams of the stressful experience?"),
  N_("Suddenly feeling or acting as if the stressful experience were actually happening again "
     "(as if you were actually back there reliving it)?"),
  N_("Feeling very upset when something reminded you of the stressful experience?"),
  N_("Having strong physical reactions when something reminded you of the stressful experience "
     "(for example, heart pounding, trouble breathing, sweating)?"),
  N_("Avoiding memories, thoughts, or feelings related to the stressful experience?"),
  N_("Avoiding external reminders of the stressful experience (for example, people, places, "
     "conversations, activities, objects, or situations)?"),
  N_("Trouble remembering important parts of the stressful experience?"),
  N_("Having strong negative beliefs about yourself, other people, or the world (for example, having "
     "thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, "
     "the world is completely dangerous)?"),
  N_("Blaming yourself or someone else for the stressful experience or what happened after it?"),
  N_("Having strong negative feelings such as fear, horror, anger, guilt, or shame?"),
  N_("Loss of interest in activities that you used to enjoy?"),
  N_("Feeling distant or cut off from other people?"),
  N_("Trouble experiencing positive feelings (for example, being unable to feel happiness or have "
     "loving feelings for people close to you)?"),
  N_("Irritable behavior, angry outbursts, or acting aggressively?"),
  N_("Taking too many risks or doing things that could cause you harm?"),
  N_("Being “superalert” or watchful or on guard?"),
  N_("Feeling jumpy or easily startled?"),
  N_("Having difficulty concentrating?"),
  N_("Trouble falling or staying asleep?"),
};

static const CairnAnswerChoice pcl5_choices[] = {
  { 0, N_("Not at all") },
  { 1, N_("A little bit") },
  { 2, N_("Moderately") },
  { 3, N_("Quite a bit") },
  { 4, N_("Extremely") },
};

static const CairnBand pcl5_bands[] = {
  /* Translators: a PCL-5 total below the cut-off for probable PTSD */
  { "below-cutoff",  N_("Below cut-off"), 0, CAIRN_PCL5_CUTOFF - 1, 0 },
  { "probable-ptsd", N_("Probable PTSD"), CAIRN_PCL5_CUTOFF, 80, 3 },
};

/* Items 1–5 B, 6–7 C, 8–14 D, 15–20 E; the first item of each, from 0. */
static const guint pcl5_cluster_first[CAIRN_PCL5_N_CLUSTERS + 1] = { 0, 5, 7, 14, 20 };
/* Items ≥ 2 a cluster needs for the provisional DSM-5 diagnosis. */
static const guint pcl5_cluster_needed[CAIRN_PCL5_N_CLUSTERS] = { 1, 1, 2, 2 };

/* ------------------------------------------------------------------------ */
/* PHQ-9 and GAD-7 (Spitzer, Williams, Kroenke and colleagues; Pfizer:     */
/* no permission required to reproduce, translate, display or distribute). */

static const char * const phq9_items[] = {
  N_("Little interest or pleasure in doing things"),
  N_("Feeling down, depressed, or hopeless"),
  N_("Trouble falling or staying asleep, or sleeping too much"),
  N_("Feeling tired or having little energy"),
  N_("Poor appetite or overeating"),
  N_("Feeling bad about yourself — or that you are a failure or have let yourself or your family down"),
  N_("Trouble concentrating on things, such as reading the newspaper or watching television"),
  N_("Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
     "fidgety or restless that you have been moving around a lot more than usual"),
  N_("Thoughts that you would be better off dead or of hurting yourself in some way"),
};

static const char * const gad7_items[] = {
  N_("Feeling nervous, anxious or on edge"),
  N_("Not being able to stop or control worrying"),
  N_("Worrying too much about different things"),
  N_("Trouble relaxing"),
  N_("Being so restless that it is hard to sit still"),
  N_("Becoming easily annoyed or irritable"),
  N_("Feeling afraid as if something awful might happen"),
};

static const CairnAnswerChoice frequency_choices[] = {
  { 0, N_("Not at all") },
  { 1, N_("Several days") },
  { 2, N_("More than half the days") },
  { 3, N_("Nearly every day") },
};

static const CairnBand phq9_bands[] = {
  { "minimal",           N_("Minimal"),           0,  4,  0 },
  { "mild",              N_("Mild"),              5,  9,  1 },
  { "moderate",          N_("Moderate"),          10, 14, 2 },
  { "moderately-severe", N_("Moderately severe"), 15, 19, 3 },
  { "severe",            N_("Severe"),            20, 27, 4 },
};

static const CairnBand gad7_bands[] = {
  { "minimal",  N_("Minimal"),  0,  4,  0 },
  { "mild",     N_("Mild"),     5,  9,  1 },
  { "moderate", N_("Moderate"), 10, 14, 2 },
  { "severe",   N_("Severe"),   15, 21, 4 },
};

/* ------------------------------------------------------------------------ */
/* Total-only: CAPS-5 and BDI-II. Never add their items.                   */

static const CairnBand caps5_bands[] = {
  /* Translators: a CAPS-5 total below 28, the entry threshold of the MDMA trials */
  { "below-trial-entry", N_("Below trial entry"), 0, CAIRN_CAPS5_TRIAL_ENTRY - 1, 0 },
  /* Translators: a CAPS-5 total of 28 or more, moderate-to-severe PTSD as the trials required */
  { "trial-entry",       N_("Trial entry or above"), CAIRN_CAPS5_TRIAL_ENTRY, 80, 3 },
};

static const CairnBand bdi2_bands[] = {
  { "minimal",  N_("Minimal"),  0,  13, 0 },
  { "mild",     N_("Mild"),     14, 19, 1 },
  { "moderate", N_("Moderate"), 20, 28, 2 },
  { "severe",   N_("Severe"),   29, 63, 4 },
};

static const CairnInstrument instruments[] = {
  {
    .id = CAIRN_INSTRUMENT_PCL5,
    .name = "PCL-5",
    .title = N_("PTSD Checklist for DSM-5"),
    .instructions = N_("Below is a list of problems that people sometimes have in response to a very "
                       "stressful experience. Please read each problem carefully and then choose one "
                       "answer to indicate how much you have been bothered by that problem in the past "
                       "month.\n\nIn the past month, how much were you bothered by:"),
    .n_items = G_N_ELEMENTS (pcl5_items),
    .items = pcl5_items,
    .n_choices = G_N_ELEMENTS (pcl5_choices),
    .choices = pcl5_choices,
    .total_min = 0,
    .total_max = 80,
    .n_bands = G_N_ELEMENTS (pcl5_bands),
    .bands = pcl5_bands,
    .cutoff_note = N_("A total at or above the cut-off suggests probable PTSD; a change of 10 to 20 "
                      "points is clinically meaningful."),
  },
  {
    .id = CAIRN_INSTRUMENT_PHQ9,
    .name = "PHQ-9",
    .title = N_("Patient Health Questionnaire"),
    .instructions = N_("Over the last 2 weeks, how often have you been bothered by any of the following "
                       "problems?"),
    .n_items = G_N_ELEMENTS (phq9_items),
    .items = phq9_items,
    .n_choices = G_N_ELEMENTS (frequency_choices),
    .choices = frequency_choices,
    .total_min = 0,
    .total_max = 27,
    .n_bands = G_N_ELEMENTS (phq9_bands),
    .bands = phq9_bands,
    .cutoff_note = N_("Any answer above “Not at all” to item 9 needs follow-up."),
  },
  {
    .id = CAIRN_INSTRUMENT_GAD7,
    .name = "GAD-7",
    .title = N_("Generalized Anxiety Disorder scale"),
    .instructions = N_("Over the last 2 weeks, how often have you been bothered by the following problems?"),
    .n_items = G_N_ELEMENTS (gad7_items),
    .items = gad7_items,
    .n_choices = G_N_ELEMENTS (frequency_choices),
    .choices = frequency_choices,
    .total_min = 0,
    .total_max = 21,
    .n_bands = G_N_ELEMENTS (gad7_bands),
    .bands = gad7_bands,
    .cutoff_note = NULL,
  },
  {
    .id = CAIRN_INSTRUMENT_CAPS5,
    .name = "CAPS-5",
    .title = N_("Clinician-Administered PTSD Scale for DSM-5"),
    .instructions = NULL,
    .n_items = 0,
    .items = NULL,
    .n_choices = 0,
    .choices = NULL,
    .total_min = 0,
    .total_max = 80,
    .n_bands = G_N_ELEMENTS (caps5_bands),
    .bands = caps5_bands,
    .cutoff_note = N_("The MDMA trials required a total of 28 or more to enter."),
  },
  {
    .id = CAIRN_INSTRUMENT_BDI2,
    .name = "BDI-II",
    .title = N_("Beck Depression Inventory, second edition"),
    .instructions = NULL,
    .n_items = 0,
    .items = NULL,
    .n_choices = 0,
    .choices = NULL,
    .total_min = 0,
    .total_max = 63,
    .n_bands = G_N_ELEMENTS (bdi2_bands),
    .bands = bdi2_bands,
    .cutoff_note = NULL,
  },
};

static const CairnInstrument * const instrument_list[] = {
  &instruments[0], &instruments[1], &instruments[2], &instruments[3], &instruments[4], NULL,
};

/**
 * cairn_instrument_list:
 *
 * Returns: (transfer none): the instruments, NULL-terminated
 */
const CairnInstrument * const *
cairn_instrument_list (void)
{
  return instrument_list;
}

/**
 * cairn_instrument_find:
 * @id: (nullable): an instrument id, such as "phq-9"
 *
 * Returns: (transfer none) (nullable): the instrument
 */
const CairnInstrument *
cairn_instrument_find (const char *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (instruments); i++)
    if (g_str_equal (instruments[i].id, id))
      return &instruments[i];
  return NULL;
}

gboolean
cairn_instrument_is_total_only (const CairnInstrument *instrument)
{
  g_return_val_if_fail (instrument != NULL, TRUE);

  return instrument->n_items == 0;
}

const char *
cairn_instrument_title (const CairnInstrument *instrument)
{
  g_return_val_if_fail (instrument != NULL, NULL);

  return _(instrument->title);
}

/**
 * cairn_instrument_instructions:
 * @instrument: an instrument
 *
 * Returns: (nullable): its instructions with the time frame, translated;
 *   %NULL for a total-only one
 */
const char *
cairn_instrument_instructions (const CairnInstrument *instrument)
{
  g_return_val_if_fail (instrument != NULL, NULL);

  return instrument->instructions != NULL ? _(instrument->instructions) : NULL;
}

const char *
cairn_instrument_item (const CairnInstrument *instrument,
                       guint                  index)
{
  g_return_val_if_fail (instrument != NULL, NULL);
  g_return_val_if_fail (index < instrument->n_items, NULL);

  return _(instrument->items[index]);
}

/**
 * cairn_instrument_choice_label:
 * @instrument: an instrument with items
 * @value: an answer's value
 *
 * Returns: (nullable): the answer's words, translated; %NULL when no
 *   choice has that value
 */
const char *
cairn_instrument_choice_label (const CairnInstrument *instrument,
                               int                    value)
{
  g_return_val_if_fail (instrument != NULL, NULL);

  for (guint i = 0; i < instrument->n_choices; i++)
    if (instrument->choices[i].value == value)
      return _(instrument->choices[i].label);
  return NULL;
}

int
cairn_instrument_item_min (const CairnInstrument *instrument)
{
  g_return_val_if_fail (instrument != NULL && instrument->n_choices > 0, 0);

  return instrument->choices[0].value;
}

int
cairn_instrument_item_max (const CairnInstrument *instrument)
{
  g_return_val_if_fail (instrument != NULL && instrument->n_choices > 0, 0);

  return instrument->choices[instrument->n_choices - 1].value;
}

const char *
cairn_band_label (const CairnBand *band)
{
  g_return_val_if_fail (band != NULL, NULL);

  return _(band->label);
}

/**
 * cairn_instrument_band_for_total:
 * @instrument: an instrument
 * @total: a total
 *
 * Returns: (transfer none) (nullable): the band @total falls in, %NULL
 *   when it is out of the instrument's range
 */
const CairnBand *
cairn_instrument_band_for_total (const CairnInstrument *instrument,
                                 int                    total)
{
  g_return_val_if_fail (instrument != NULL, NULL);

  for (guint i = 0; i < instrument->n_bands; i++)
    if (total >= instrument->bands[i].min && total <= instrument->bands[i].max)
      return &instrument->bands[i];
  return NULL;
}

int
cairn_instrument_band_index (const CairnInstrument *instrument,
                             const CairnBand       *band)
{
  g_return_val_if_fail (instrument != NULL, -1);

  for (guint i = 0; i < instrument->n_bands; i++)
    if (&instrument->bands[i] == band)
      return (int) i;
  return -1;
}

CairnPcl5Cluster
cairn_pcl5_item_cluster (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (pcl5_items), CAIRN_PCL5_CLUSTER_E);

  for (guint c = 0; c < CAIRN_PCL5_N_CLUSTERS; c++)
    if (index < pcl5_cluster_first[c + 1])
      return (CairnPcl5Cluster) c;
  return CAIRN_PCL5_CLUSTER_E;
}

/**
 * cairn_instrument_alerts:
 * @instrument: an instrument
 * @answers: (array length=n_answers) (nullable): the answers so far, -1 unanswered
 * @n_answers: how many
 *
 * Returns: the alerts the answers given raise, whether or not the form is
 *   complete: a PHQ-9 with item 9 above 0 needs follow-up
 */
CairnMeasureAlerts
cairn_instrument_alerts (const CairnInstrument *instrument,
                         const int             *answers,
                         guint                  n_answers)
{
  CairnMeasureAlerts alerts = CAIRN_MEASURE_ALERT_NONE;

  g_return_val_if_fail (instrument != NULL, CAIRN_MEASURE_ALERT_NONE);

  if (g_str_equal (instrument->id, CAIRN_INSTRUMENT_PHQ9) && answers != NULL && n_answers >= 9 && answers[8] > 0)
    alerts |= CAIRN_MEASURE_ALERT_ITEM9;
  return alerts;
}

/**
 * cairn_instrument_partial_total:
 * @instrument: an instrument with items
 * @answers: (array length=n_answers) (nullable): the answers so far
 * @n_answers: how many
 * @n_unanswered: (out) (optional): how many items are still unanswered
 *
 * Returns: the sum of the answers given, for a running total in a form;
 *   never a score
 */
int
cairn_instrument_partial_total (const CairnInstrument *instrument,
                                const int             *answers,
                                guint                  n_answers,
                                guint                 *n_unanswered)
{
  int sum = 0;
  guint missing = 0;

  g_return_val_if_fail (instrument != NULL, 0);

  for (guint i = 0; i < instrument->n_items; i++)
    {
      int value = answers != NULL && i < n_answers ? answers[i] : -1;

      if (value < 0)
        missing++;
      else
        sum += value;
    }
  if (n_unanswered != NULL)
    *n_unanswered = missing;
  return sum;
}

/**
 * cairn_instrument_score:
 * @instrument: an instrument
 * @answers: (array length=n_answers) (nullable): every item's answer;
 *   %NULL for a total-only instrument
 * @n_answers: how many; the instrument's item count
 * @total: the total of a total-only instrument; ignored otherwise
 * @score: (out caller-allocates): the score
 * @error: return location for a #GError
 *
 * Scores a complete form: the total, its band, and for the PCL-5 its
 * cluster sums, whether it is at or above the cut-off and whether the
 * answers meet the DSM-5 symptom criteria for a provisional diagnosis
 * (an item answered 2 "Moderately" or higher counts as endorsed; it needs
 * one from B, one from C, two from D and two from E). An unanswered item
 * fails with %CAIRN_INSTRUMENT_ERROR_INCOMPLETE: an incomplete form is
 * never scored.
 *
 * Returns: whether @score was filled in
 */
gboolean
cairn_instrument_score (const CairnInstrument  *instrument,
                        const int              *answers,
                        guint                   n_answers,
                        int                     total,
                        CairnScore             *score,
                        GError                **error)
{
  CairnScore result = { 0 };

  g_return_val_if_fail (instrument != NULL && score != NULL, FALSE);

  for (guint c = 0; c < CAIRN_PCL5_N_CLUSTERS; c++)
    result.clusters[c] = -1;

  if (cairn_instrument_is_total_only (instrument))
    {
      if (total < 0)
        {
          g_set_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_INCOMPLETE,
                       _("Enter the %s total."), instrument->name);
          return FALSE;
        }
      if (total < instrument->total_min || total > instrument->total_max)
        {
          g_set_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_RANGE,
                       _("A %s total is %d to %d."), instrument->name, instrument->total_min,
                       instrument->total_max);
          return FALSE;
        }
      result.total = total;
    }
  else
    {
      int low = cairn_instrument_item_min (instrument);
      int high = cairn_instrument_item_max (instrument);

      if (answers == NULL || n_answers != instrument->n_items)
        {
          g_set_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_INCOMPLETE,
                       _("The %s has %u items; %u answers were given."), instrument->name,
                       instrument->n_items, answers != NULL ? n_answers : 0);
          return FALSE;
        }
      for (guint i = 0; i < n_answers; i++)
        {
          if (answers[i] < 0)
            {
              g_set_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_INCOMPLETE,
                           _("Item %u is unanswered."), i + 1);
              return FALSE;
            }
          if (answers[i] < low || answers[i] > high)
            {
              g_set_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_RANGE,
                           _("Item %u: an answer is %d to %d, not %d."), i + 1, low, high, answers[i]);
              return FALSE;
            }
          result.total += answers[i];
        }
    }

  result.band = cairn_instrument_band_for_total (instrument, result.total);
  g_assert (result.band != NULL);
  result.alerts = cairn_instrument_alerts (instrument, answers, n_answers);

  if (g_str_equal (instrument->id, CAIRN_INSTRUMENT_PCL5))
    {
      gboolean diagnosis = TRUE;

      result.has_clusters = TRUE;
      for (guint c = 0; c < CAIRN_PCL5_N_CLUSTERS; c++)
        {
          result.clusters[c] = 0;
          for (guint i = pcl5_cluster_first[c]; i < pcl5_cluster_first[c + 1]; i++)
            {
              result.clusters[c] += answers[i];
              if (answers[i] >= CAIRN_PCL5_SYMPTOM_THRESHOLD)
                result.endorsed[c]++;
            }
          if (result.endorsed[c] < pcl5_cluster_needed[c])
            diagnosis = FALSE;
        }
      result.provisional_diagnosis = diagnosis;
      result.above_cutoff = result.total >= CAIRN_PCL5_CUTOFF;
    }
  else if (g_str_equal (instrument->id, CAIRN_INSTRUMENT_CAPS5))
    result.above_cutoff = result.total >= CAIRN_CAPS5_TRIAL_ENTRY;

  *score = result;
  return TRUE;
}
