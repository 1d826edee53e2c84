/* cairn-instruments.h
 *
 * Outcome-measure instruments: items, answer choices, scoring, severity bands.
 *
 * PCL-5, PHQ-9 and GAD-7 are shipped in full (their texts are in the public
 * domain or free to reproduce). CAPS-5 and BDI-II are licensed: Cairn
 * records their totals only and never ships an item of them.
 *
 * Everything here is pure: no database, no display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CAIRN_INSTRUMENT_ERROR (cairn_instrument_error_quark ())

typedef enum
{
  CAIRN_INSTRUMENT_ERROR_UNKNOWN,     /* no instrument has that id */
  CAIRN_INSTRUMENT_ERROR_RANGE,       /* an answer or a total out of range */
  CAIRN_INSTRUMENT_ERROR_INCOMPLETE,  /* an item unanswered, or no total */
} CairnInstrumentError;

/* The ids, as stored in measures.instrument. */
#define CAIRN_INSTRUMENT_PCL5  "pcl-5"
#define CAIRN_INSTRUMENT_PHQ9  "phq-9"
#define CAIRN_INSTRUMENT_GAD7  "gad-7"
#define CAIRN_INSTRUMENT_CAPS5 "caps-5"
#define CAIRN_INSTRUMENT_BDI2  "bdi-ii"

/* PCL-5: the total at and above which PTSD is probable. The literature
 * gives 31–33 (Bovin et al. 2016; the National Center for PTSD suggests
 * 31–33); Cairn uses the upper end by default so as not to overcall. */
#define CAIRN_PCL5_CUTOFF 33

/* PCL-5: an item answered at or above this ("Moderately") counts as a
 * symptom endorsed for the provisional DSM-5 diagnosis. */
#define CAIRN_PCL5_SYMPTOM_THRESHOLD 2

/* CAPS-5: the total trials required to enter (moderate-to-severe PTSD). */
#define CAIRN_CAPS5_TRIAL_ENTRY 28

/* The most bands an instrument has. */
#define CAIRN_INSTRUMENT_MAX_BANDS 5

/* PCL-5's DSM-5 symptom clusters. */
typedef enum
{
  CAIRN_PCL5_CLUSTER_B,   /* intrusion, items 1–5 */
  CAIRN_PCL5_CLUSTER_C,   /* avoidance, items 6–7 */
  CAIRN_PCL5_CLUSTER_D,   /* negative alterations in cognition and mood, items 8–14 */
  CAIRN_PCL5_CLUSTER_E,   /* alterations in arousal and reactivity, items 15–20 */
  CAIRN_PCL5_N_CLUSTERS,
} CairnPcl5Cluster;

/* Alerts a scored or partly answered form raises. */
typedef enum
{
  CAIRN_MEASURE_ALERT_NONE  = 0,
  CAIRN_MEASURE_ALERT_ITEM9 = 1 << 0,  /* PHQ-9 item 9 (thoughts of self-harm) above 0 */
} CairnMeasureAlerts;

/* One answer choice. The label is an untranslated msgid: show it through
 * cairn_instrument_choice_label(). */
typedef struct
{
  int         value;
  const char *label;
} CairnAnswerChoice;

/* A severity band: totals min … max, both included. */
typedef struct
{
  const char *id;         /* stable, e.g. "moderately-severe" */
  const char *label;      /* untranslated msgid: see cairn_band_label() */
  int         min;
  int         max;
  guint       level;      /* 0 = least severe; picks the shading */
} CairnBand;

/* An instrument. Texts are untranslated msgids; the accessors below give
 * them translated. n_items is 0 for a total-only instrument. */
typedef struct
{
  const char               *id;            /* "pcl-5", … */
  const char               *name;          /* "PCL-5" (not translated) */
  const char               *title;         /* "PTSD Checklist for DSM-5" */
  const char               *instructions;  /* the instructions and time frame; NULL for total-only */
  guint                     n_items;
  const char * const       *items;         /* n_items texts */
  guint                     n_choices;
  const CairnAnswerChoice  *choices;       /* each item's choices, lowest first */
  int                       total_min;
  int                       total_max;
  guint                     n_bands;
  const CairnBand          *bands;         /* lowest first, covering total_min … total_max */
  const char               *cutoff_note;   /* what the cut-off means; nullable */
} CairnInstrument;

/* What scoring a complete form gives. */
typedef struct
{
  int                 total;
  const CairnBand    *band;
  gboolean            has_clusters;                       /* PCL-5 only */
  int                 clusters[CAIRN_PCL5_N_CLUSTERS];    /* sum of the cluster's items */
  guint               endorsed[CAIRN_PCL5_N_CLUSTERS];    /* items ≥ CAIRN_PCL5_SYMPTOM_THRESHOLD */
  gboolean            provisional_diagnosis;              /* PCL-5: 1 B + 1 C + 2 D + 2 E endorsed */
  gboolean            above_cutoff;                       /* PCL-5 ≥ cut-off; CAPS-5 ≥ trial entry */
  CairnMeasureAlerts  alerts;
} CairnScore;

GQuark                  cairn_instrument_error_quark   (void);

/* The shipped instruments, in the order to offer them; NULL-terminated. */
const CairnInstrument * const *cairn_instrument_list   (void);
/* NULL when no instrument has that id. */
const CairnInstrument  *cairn_instrument_find          (const char            *id);

gboolean                cairn_instrument_is_total_only (const CairnInstrument *instrument);
const char             *cairn_instrument_title         (const CairnInstrument *instrument);
const char             *cairn_instrument_instructions  (const CairnInstrument *instrument);
/* index counts from 0; the text shown is numbered from 1. */
const char             *cairn_instrument_item          (const CairnInstrument *instrument,
                                                        guint                  index);
const char             *cairn_instrument_choice_label  (const CairnInstrument *instrument,
                                                        int                    value);
int                     cairn_instrument_item_min      (const CairnInstrument *instrument);
int                     cairn_instrument_item_max      (const CairnInstrument *instrument);
const char             *cairn_band_label               (const CairnBand       *band);

/* The band a total falls in; NULL when out of range. */
const CairnBand        *cairn_instrument_band_for_total (const CairnInstrument *instrument,
                                                         int                    total);
/* Index of band in instrument->bands, or -1. */
int                     cairn_instrument_band_index    (const CairnInstrument *instrument,
                                                        const CairnBand       *band);

/* PCL-5: the cluster an item (index from 0) belongs to. */
CairnPcl5Cluster        cairn_pcl5_item_cluster        (guint                  index);

/* Scores a complete form. For an instrument with items, answers holds
 * n_items values (n_answers must equal n_items) and total is ignored; for a
 * total-only one, answers is NULL and total is the recorded total.
 * Fails with CAIRN_INSTRUMENT_ERROR_INCOMPLETE when an item is unanswered
 * (< 0), and _RANGE when a value is out of range; the message names the
 * item. An incomplete form is never scored. */
gboolean                cairn_instrument_score         (const CairnInstrument *instrument,
                                                        const int             *answers,
                                                        guint                  n_answers,
                                                        int                    total,
                                                        CairnScore            *score,
                                                        GError               **error);

/* Alerts from the answers given so far (partly answered forms too). */
CairnMeasureAlerts      cairn_instrument_alerts        (const CairnInstrument *instrument,
                                                        const int             *answers,
                                                        guint                  n_answers);

/* The sum of the answers given so far (unanswered count 0), and how many
 * are unanswered; for a live total in a form. */
int                     cairn_instrument_partial_total (const CairnInstrument *instrument,
                                                        const int             *answers,
                                                        guint                  n_answers,
                                                        guint                 *n_unanswered);

G_END_DECLS
