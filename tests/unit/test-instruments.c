/* test-instruments.c
 *
 * The instruments and their scoring, against hand-worked examples: every
 * band edge of the PHQ-9, GAD-7 and BDI-II, the PCL-5 cut-off and the
 * CAPS-5 trial entry; PCL-5 cluster sums and the provisional diagnosis at
 * its threshold and one short in each cluster; the PHQ-9 item 9 alert; an
 * incomplete form never scored; out-of-range answers and totals refused;
 * and the licensed instruments carrying no item at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "cairn-instruments.h"

typedef struct
{
  int         answers[20];
  int         total;
  const char *band;
} Example;

static void
check_example (const CairnInstrument *instrument,
               const Example         *example)
{
  g_autoptr(GError) error = NULL;
  CairnScore score;
  int sum = 0;

  /* The example is worked by hand: its answers add up to its total. */
  for (guint i = 0; i < instrument->n_items; i++)
    sum += example->answers[i];
  g_assert_cmpint (sum, ==, example->total);

  g_assert_true (cairn_instrument_score (instrument, example->answers, instrument->n_items, -1, &score, &error));
  g_assert_no_error (error);
  g_assert_cmpint (score.total, ==, example->total);
  g_assert_nonnull (score.band);
  if (g_strcmp0 (score.band->id, example->band) != 0)
    g_error ("%s total %d: band %s, expected %s", instrument->name, example->total, score.band->id, example->band);
}

static void
test_phq9_band_edges (void)
{
  const CairnInstrument *phq9 = cairn_instrument_find ("phq-9");
  static const Example examples[] = {
    { { 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0, "minimal" },
    { { 1, 1, 1, 1, 0, 0, 0, 0, 0 }, 4, "minimal" },
    { { 1, 1, 1, 1, 1, 0, 0, 0, 0 }, 5, "mild" },
    { { 2, 2, 2, 1, 1, 1, 0, 0, 0 }, 9, "mild" },
    { { 2, 2, 2, 2, 1, 1, 0, 0, 0 }, 10, "moderate" },
    { { 2, 2, 2, 2, 2, 2, 2, 0, 0 }, 14, "moderate" },
    { { 3, 2, 2, 2, 2, 2, 2, 0, 0 }, 15, "moderately-severe" },
    { { 3, 3, 3, 3, 3, 2, 2, 0, 0 }, 19, "moderately-severe" },
    { { 3, 3, 3, 3, 3, 3, 2, 0, 0 }, 20, "severe" },
    { { 3, 3, 3, 3, 3, 3, 3, 3, 3 }, 27, "severe" },
  };

  g_assert_nonnull (phq9);
  g_assert_cmpuint (phq9->n_items, ==, 9);
  g_assert_cmpint (phq9->total_max, ==, 27);
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    check_example (phq9, &examples[i]);
}

static void
test_gad7_band_edges (void)
{
  const CairnInstrument *gad7 = cairn_instrument_find ("gad-7");
  static const Example examples[] = {
    { { 0, 0, 0, 0, 0, 0, 0 }, 0, "minimal" },
    { { 1, 1, 1, 1, 0, 0, 0 }, 4, "minimal" },
    { { 1, 1, 1, 1, 1, 0, 0 }, 5, "mild" },
    { { 2, 2, 2, 1, 1, 1, 0 }, 9, "mild" },
    { { 2, 2, 2, 2, 1, 1, 0 }, 10, "moderate" },
    { { 2, 2, 2, 2, 2, 2, 2 }, 14, "moderate" },
    { { 3, 2, 2, 2, 2, 2, 2 }, 15, "severe" },
    { { 3, 3, 3, 3, 3, 3, 3 }, 21, "severe" },
  };

  g_assert_nonnull (gad7);
  g_assert_cmpuint (gad7->n_items, ==, 7);
  g_assert_cmpint (gad7->total_max, ==, 21);
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    check_example (gad7, &examples[i]);
}

static void
test_pcl5_cutoff (void)
{
  const CairnInstrument *pcl5 = cairn_instrument_find ("pcl-5");
  g_autoptr(GError) error = NULL;
  /* 16 items at 2 = 32; one more point = 33. */
  int answers[20] = { 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0 };
  CairnScore score;

  g_assert_nonnull (pcl5);
  g_assert_cmpuint (pcl5->n_items, ==, 20);
  g_assert_cmpint (pcl5->total_max, ==, 80);
  /* The default cut-off, at the upper end of the 31–33 in the literature. */
  g_assert_cmpint (CAIRN_PCL5_CUTOFF, ==, 33);

  g_assert_true (cairn_instrument_score (pcl5, answers, 20, -1, &score, &error));
  g_assert_cmpint (score.total, ==, 32);
  g_assert_cmpstr (score.band->id, ==, "below-cutoff");
  g_assert_false (score.above_cutoff);

  answers[16] = 1;
  g_assert_true (cairn_instrument_score (pcl5, answers, 20, -1, &score, &error));
  g_assert_cmpint (score.total, ==, 33);
  g_assert_cmpstr (score.band->id, ==, "probable-ptsd");
  g_assert_cmpstr (cairn_band_label (score.band), ==, "Probable PTSD");
  g_assert_true (score.above_cutoff);

  for (guint i = 0; i < 20; i++)
    answers[i] = 4;
  g_assert_true (cairn_instrument_score (pcl5, answers, 20, -1, &score, &error));
  g_assert_cmpint (score.total, ==, 80);
  g_assert_cmpstr (score.band->id, ==, "probable-ptsd");
}

/* Every item 1 (never counts), except the items listed, at 2. */
static void
pcl5_with_endorsed (int        *answers,
                    const guint *items,
                    guint       n)
{
  for (guint i = 0; i < 20; i++)
    answers[i] = 1;
  for (guint i = 0; i < n; i++)
    answers[items[i] - 1] = 2;
}

static void
test_pcl5_clusters (void)
{
  const CairnInstrument *pcl5 = cairn_instrument_find ("pcl-5");
  g_autoptr(GError) error = NULL;
  /* Worked by hand: B = 0+1+2+3+4 = 10, C = 4+0 = 4, D = 1+1+1+1+1+1+1 = 7,
   * E = 0+0+3+3+0+0 = 6; total 27. Endorsed: B 3 (items 3, 4, 5), C 1,
   * D 0, E 2. */
  int answers[20] = { 0, 1, 2, 3, 4,  4, 0,  1, 1, 1, 1, 1, 1, 1,  0, 0, 3, 3, 0, 0 };
  CairnScore score;

  g_assert_true (cairn_instrument_score (pcl5, answers, 20, -1, &score, &error));
  g_assert_true (score.has_clusters);
  g_assert_cmpint (score.total, ==, 27);
  g_assert_cmpint (score.clusters[CAIRN_PCL5_CLUSTER_B], ==, 10);
  g_assert_cmpint (score.clusters[CAIRN_PCL5_CLUSTER_C], ==, 4);
  g_assert_cmpint (score.clusters[CAIRN_PCL5_CLUSTER_D], ==, 7);
  g_assert_cmpint (score.clusters[CAIRN_PCL5_CLUSTER_E], ==, 6);
  g_assert_cmpuint (score.endorsed[CAIRN_PCL5_CLUSTER_B], ==, 3);
  g_assert_cmpuint (score.endorsed[CAIRN_PCL5_CLUSTER_C], ==, 1);
  g_assert_cmpuint (score.endorsed[CAIRN_PCL5_CLUSTER_D], ==, 0);
  g_assert_cmpuint (score.endorsed[CAIRN_PCL5_CLUSTER_E], ==, 2);
  g_assert_false (score.provisional_diagnosis);   /* no D */

  g_assert_cmpint (cairn_pcl5_item_cluster (0), ==, CAIRN_PCL5_CLUSTER_B);
  g_assert_cmpint (cairn_pcl5_item_cluster (4), ==, CAIRN_PCL5_CLUSTER_B);
  g_assert_cmpint (cairn_pcl5_item_cluster (5), ==, CAIRN_PCL5_CLUSTER_C);
  g_assert_cmpint (cairn_pcl5_item_cluster (6), ==, CAIRN_PCL5_CLUSTER_C);
  g_assert_cmpint (cairn_pcl5_item_cluster (7), ==, CAIRN_PCL5_CLUSTER_D);
  g_assert_cmpint (cairn_pcl5_item_cluster (13), ==, CAIRN_PCL5_CLUSTER_D);
  g_assert_cmpint (cairn_pcl5_item_cluster (14), ==, CAIRN_PCL5_CLUSTER_E);
  g_assert_cmpint (cairn_pcl5_item_cluster (19), ==, CAIRN_PCL5_CLUSTER_E);
}

static void
test_pcl5_provisional_diagnosis (void)
{
  const CairnInstrument *pcl5 = cairn_instrument_find ("pcl-5");
  /* Exactly at the threshold: item 1 (B), 6 (C), 8 and 9 (D), 15 and 16 (E). */
  static const guint exact[] = { 1, 6, 8, 9, 15, 16 };
  /* One short in each cluster in turn. */
  static const guint no_b[] = { 6, 8, 9, 15, 16 };
  static const guint no_c[] = { 1, 8, 9, 15, 16 };
  static const guint one_d[] = { 1, 6, 8, 15, 16 };
  static const guint one_e[] = { 1, 6, 8, 9, 15 };
  /* The last item of each cluster counts as well as the first. */
  static const guint last_items[] = { 5, 7, 13, 14, 19, 20 };
  struct { const guint *items; guint n; gboolean met; } cases[] = {
    { exact, G_N_ELEMENTS (exact), TRUE },
    { no_b, G_N_ELEMENTS (no_b), FALSE },
    { no_c, G_N_ELEMENTS (no_c), FALSE },
    { one_d, G_N_ELEMENTS (one_d), FALSE },
    { one_e, G_N_ELEMENTS (one_e), FALSE },
    { last_items, G_N_ELEMENTS (last_items), TRUE },
    { NULL, 0, FALSE },
  };
  int answers[20];
  CairnScore score;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;

      pcl5_with_endorsed (answers, cases[c].items, cases[c].n);
      g_assert_true (cairn_instrument_score (pcl5, answers, 20, -1, &score, &error));
      if (score.provisional_diagnosis != cases[c].met)
        g_error ("case %u: provisional diagnosis %d, expected %d", c, score.provisional_diagnosis, cases[c].met);
    }

  /* At the threshold: B = 2+1+1+1+1 = 6, C = 2+1 = 3, D = 2+2+5 = 9,
   * E = 2+2+4 = 8; total 26 — below the cut-off, yet the criteria are met:
   * the two are independent. */
  pcl5_with_endorsed (answers, exact, G_N_ELEMENTS (exact));
  g_assert_true (cairn_instrument_score (pcl5, answers, 20, -1, &score, NULL));
  g_assert_cmpint (score.clusters[CAIRN_PCL5_CLUSTER_B], ==, 6);
  g_assert_cmpint (score.clusters[CAIRN_PCL5_CLUSTER_C], ==, 3);
  g_assert_cmpint (score.clusters[CAIRN_PCL5_CLUSTER_D], ==, 9);
  g_assert_cmpint (score.clusters[CAIRN_PCL5_CLUSTER_E], ==, 8);
  g_assert_cmpint (score.total, ==, 26);
  g_assert_false (score.above_cutoff);
  g_assert_true (score.provisional_diagnosis);

  /* An answer of 1 ("A little bit") never counts; 3 and 4 do. */
  for (guint i = 0; i < 20; i++)
    answers[i] = 1;
  g_assert_true (cairn_instrument_score (pcl5, answers, 20, -1, &score, NULL));
  g_assert_false (score.provisional_diagnosis);
  answers[0] = 4; answers[5] = 3; answers[7] = 4; answers[8] = 3; answers[14] = 4; answers[15] = 3;
  g_assert_true (cairn_instrument_score (pcl5, answers, 20, -1, &score, NULL));
  g_assert_true (score.provisional_diagnosis);
}

static void
test_phq9_item9_alert (void)
{
  const CairnInstrument *phq9 = cairn_instrument_find ("phq-9");
  const CairnInstrument *gad7 = cairn_instrument_find ("gad-7");
  int answers[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  int partial[9] = { -1, -1, -1, -1, -1, -1, -1, -1, 2 };
  int gad[7] = { 3, 3, 3, 3, 3, 3, 3 };
  CairnScore score;

  g_assert_true (cairn_instrument_score (phq9, answers, 9, -1, &score, NULL));
  g_assert_cmpint (score.alerts, ==, CAIRN_MEASURE_ALERT_NONE);

  /* "Several days" is enough. */
  answers[8] = 1;
  g_assert_true (cairn_instrument_score (phq9, answers, 9, -1, &score, NULL));
  g_assert_cmpint (score.total, ==, 1);
  g_assert_cmpstr (score.band->id, ==, "minimal");
  g_assert_true (score.alerts & CAIRN_MEASURE_ALERT_ITEM9);

  /* A form not yet complete raises it too: it is about the patient now. */
  g_assert_true (cairn_instrument_alerts (phq9, partial, 9) & CAIRN_MEASURE_ALERT_ITEM9);
  partial[8] = -1;
  g_assert_cmpint (cairn_instrument_alerts (phq9, partial, 9), ==, CAIRN_MEASURE_ALERT_NONE);

  /* Only the PHQ-9 has an item 9 alert. */
  g_assert_cmpint (cairn_instrument_alerts (gad7, gad, 7), ==, CAIRN_MEASURE_ALERT_NONE);
}

static void
test_incomplete_never_scored (void)
{
  const CairnInstrument *phq9 = cairn_instrument_find ("phq-9");
  int answers[9] = { 3, 3, 3, -1, 3, 3, 3, 3, 0 };
  CairnScore score = { .total = 12345 };
  g_autoptr(GError) error = NULL;
  guint missing = 0;

  g_assert_false (cairn_instrument_score (phq9, answers, 9, -1, &score, &error));
  g_assert_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (error->message, "4"));   /* names item 4 */
  g_assert_cmpint (score.total, ==, 12345);          /* untouched */
  g_clear_error (&error);

  /* Too few answers. */
  g_assert_false (cairn_instrument_score (phq9, answers, 8, -1, &score, &error));
  g_assert_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_INCOMPLETE);
  g_clear_error (&error);

  /* The running total of a form is never a score. */
  g_assert_cmpint (cairn_instrument_partial_total (phq9, answers, 9, &missing), ==, 21);
  g_assert_cmpuint (missing, ==, 1);

  /* A total-only instrument without its total. */
  g_assert_false (cairn_instrument_score (cairn_instrument_find ("bdi-ii"), NULL, 0, -1, &score, &error));
  g_assert_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_INCOMPLETE);
}

static void
test_out_of_range (void)
{
  const CairnInstrument *phq9 = cairn_instrument_find ("phq-9");
  const CairnInstrument *pcl5 = cairn_instrument_find ("pcl-5");
  int phq[9] = { 0, 0, 4, 0, 0, 0, 0, 0, 0 };
  int pcl[20] = { 0 };
  CairnScore score;
  g_autoptr(GError) error = NULL;

  g_assert_false (cairn_instrument_score (phq9, phq, 9, -1, &score, &error));
  g_assert_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "Item 3"));
  g_clear_error (&error);

  /* 4 is fine on the PCL-5, 5 is not. */
  pcl[19] = 4;
  g_assert_true (cairn_instrument_score (pcl5, pcl, 20, -1, &score, NULL));
  pcl[19] = 5;
  g_assert_false (cairn_instrument_score (pcl5, pcl, 20, -1, &score, &error));
  g_assert_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "Item 20"));
  g_clear_error (&error);

  g_assert_null (cairn_instrument_band_for_total (phq9, 28));
  g_assert_null (cairn_instrument_band_for_total (phq9, -1));
}

static void
test_bdi2_band_edges (void)
{
  const CairnInstrument *bdi2 = cairn_instrument_find ("bdi-ii");
  static const struct { int total; const char *band; } examples[] = {
    { 0, "minimal" }, { 13, "minimal" }, { 14, "mild" }, { 19, "mild" },
    { 20, "moderate" }, { 28, "moderate" }, { 29, "severe" }, { 63, "severe" },
  };
  CairnScore score;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (bdi2);
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_assert_true (cairn_instrument_score (bdi2, NULL, 0, examples[i].total, &score, &error));
      g_assert_no_error (error);
      g_assert_cmpint (score.total, ==, examples[i].total);
      g_assert_cmpstr (score.band->id, ==, examples[i].band);
      g_assert_false (score.has_clusters);
    }
  g_assert_false (cairn_instrument_score (bdi2, NULL, 0, 64, &score, &error));
  g_assert_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_RANGE);
}

static void
test_caps5_trial_entry (void)
{
  const CairnInstrument *caps5 = cairn_instrument_find ("caps-5");
  CairnScore score;
  g_autoptr(GError) error = NULL;

  g_assert_true (cairn_instrument_score (caps5, NULL, 0, 27, &score, &error));
  g_assert_cmpstr (score.band->id, ==, "below-trial-entry");
  g_assert_false (score.above_cutoff);
  g_assert_true (cairn_instrument_score (caps5, NULL, 0, 28, &score, &error));
  g_assert_cmpstr (score.band->id, ==, "trial-entry");
  g_assert_true (score.above_cutoff);
  g_assert_true (cairn_instrument_score (caps5, NULL, 0, 80, &score, &error));
  g_assert_false (cairn_instrument_score (caps5, NULL, 0, 81, &score, &error));
  g_assert_error (error, CAIRN_INSTRUMENT_ERROR, CAIRN_INSTRUMENT_ERROR_RANGE);
}

static void
test_licensed_carry_no_items (void)
{
  const char *licensed[] = { "caps-5", "bdi-ii" };

  for (guint i = 0; i < G_N_ELEMENTS (licensed); i++)
    {
      const CairnInstrument *instrument = cairn_instrument_find (licensed[i]);

      g_assert_nonnull (instrument);
      g_assert_true (cairn_instrument_is_total_only (instrument));
      g_assert_cmpuint (instrument->n_items, ==, 0);
      g_assert_null (instrument->items);
      g_assert_null (instrument->instructions);
      g_assert_cmpuint (instrument->n_choices, ==, 0);
    }
}

static void
test_definitions (void)
{
  const CairnInstrument * const *all = cairn_instrument_list ();
  const CairnInstrument *pcl5 = cairn_instrument_find ("pcl-5");
  const CairnInstrument *phq9 = cairn_instrument_find ("phq-9");
  const CairnInstrument *gad7 = cairn_instrument_find ("gad-7");
  guint n = 0;

  for (; all[n] != NULL; n++)
    {
      const CairnInstrument *instrument = all[n];

      /* The bands cover the whole range, in order, without a gap. */
      g_assert_cmpint (instrument->bands[0].min, ==, instrument->total_min);
      for (guint b = 1; b < instrument->n_bands; b++)
        g_assert_cmpint (instrument->bands[b].min, ==, instrument->bands[b - 1].max + 1);
      g_assert_cmpint (instrument->bands[instrument->n_bands - 1].max, ==, instrument->total_max);
      g_assert_cmpuint (instrument->n_bands, <=, CAIRN_INSTRUMENT_MAX_BANDS);
      for (guint b = 0; b < instrument->n_bands; b++)
        g_assert_cmpuint (instrument->bands[b].level, <, CAIRN_INSTRUMENT_MAX_BANDS);
      /* An itemised instrument's range is its items' range. */
      if (!cairn_instrument_is_total_only (instrument))
        g_assert_cmpint (instrument->total_max, ==,
                         (int) instrument->n_items * cairn_instrument_item_max (instrument));
    }
  g_assert_cmpuint (n, ==, 5);
  g_assert_null (cairn_instrument_find ("madrs"));
  g_assert_null (cairn_instrument_find (NULL));

  g_assert_nonnull (strstr (cairn_instrument_instructions (pcl5), "In the past month"));
  g_assert_nonnull (strstr (cairn_instrument_instructions (phq9), "Over the last 2 weeks"));
  g_assert_nonnull (strstr (cairn_instrument_instructions (gad7), "Over the last 2 weeks"));

  g_assert_cmpstr (cairn_instrument_item (pcl5, 0), ==,
                   "Repeated, disturbing, and unwanted memories of the stressful experience?");
  g_assert_cmpstr (cairn_instrument_item (pcl5, 19), ==, "Trouble falling or staying asleep?");
  g_assert_cmpstr (cairn_instrument_item (phq9, 0), ==, "Little interest or pleasure in doing things");
  g_assert_cmpstr (cairn_instrument_item (phq9, 8), ==,
                   "Thoughts that you would be better off dead or of hurting yourself in some way");
  g_assert_cmpstr (cairn_instrument_item (gad7, 0), ==, "Feeling nervous, anxious or on edge");
  g_assert_cmpstr (cairn_instrument_item (gad7, 6), ==, "Feeling afraid as if something awful might happen");

  g_assert_cmpstr (cairn_instrument_choice_label (pcl5, 0), ==, "Not at all");
  g_assert_cmpstr (cairn_instrument_choice_label (pcl5, 2), ==, "Moderately");
  g_assert_cmpstr (cairn_instrument_choice_label (pcl5, 4), ==, "Extremely");
  g_assert_cmpstr (cairn_instrument_choice_label (phq9, 1), ==, "Several days");
  g_assert_cmpstr (cairn_instrument_choice_label (phq9, 2), ==, "More than half the days");
  g_assert_cmpstr (cairn_instrument_choice_label (gad7, 3), ==, "Nearly every day");
  g_assert_null (cairn_instrument_choice_label (phq9, 4));
  g_assert_cmpint (cairn_instrument_item_max (pcl5), ==, 4);
  g_assert_cmpint (cairn_instrument_item_max (phq9), ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/instruments/definitions", test_definitions);
  g_test_add_func ("/instruments/licensed-carry-no-items", test_licensed_carry_no_items);
  g_test_add_func ("/instruments/phq9/band-edges", test_phq9_band_edges);
  g_test_add_func ("/instruments/phq9/item9-alert", test_phq9_item9_alert);
  g_test_add_func ("/instruments/gad7/band-edges", test_gad7_band_edges);
  g_test_add_func ("/instruments/pcl5/cutoff", test_pcl5_cutoff);
  g_test_add_func ("/instruments/pcl5/clusters", test_pcl5_clusters);
  g_test_add_func ("/instruments/pcl5/provisional-diagnosis", test_pcl5_provisional_diagnosis);
  g_test_add_func ("/instruments/bdi2/band-edges", test_bdi2_band_edges);
  g_test_add_func ("/instruments/caps5/trial-entry", test_caps5_trial_entry);
  g_test_add_func ("/instruments/incomplete-never-scored", test_incomplete_never_scored);
  g_test_add_func ("/instruments/out-of-range", test_out_of_range);

  return g_test_run ();
}
