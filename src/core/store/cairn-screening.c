/* cairn-screening.c
 *
 * Screening in clinical.db: what is asked and checked before a patient may
 * have a medicine session. Validation is a pure function the forms may call
 * and the store calls again before writing; every write, and every read, is
 * one transaction with its audit entry. Decisions and gate overrides are a
 * history written once; medications and tests entered by mistake get a
 * tombstone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-protocol-resources.h"
#include "cairn-records.h"
#include "cairn-rows.h"
#include "cairn-screening.h"

G_DEFINE_QUARK (cairn-screening-error-quark, cairn_screening_error)

#define SEROTONERGIC_RESOURCE "/app/cairn/Cairn/protocols/serotonergic-medicines.txt"

/* Longest text each kind of field takes, in characters. */
#define MAX_SHORT   200
#define MAX_NAME    1000
#define MAX_NOTE    5000
#define MAX_HISTORY 50000

/* ------------------------------------------------------------------------ */
/* Records                                                                   */

CairnScreening *
cairn_screening_new (const char *patient_id)
{
  CairnScreening *screening = g_new0 (CairnScreening, 1);

  screening->patient_id = g_strdup (patient_id);
  screening->exclusions = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_exclusion_record_free);
  screening->medications = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_medication_free);
  screening->pregnancy_tests = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_pregnancy_test_free);
  screening->decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_eligibility_decision_free);
  screening->overrides = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_gate_override_free);
  return screening;
}

void
cairn_screening_free (CairnScreening *screening)
{
  if (screening == NULL)
    return;
  g_free (screening->patient_id);
  cairn_screening_details_clear (&screening->details);
  g_clear_pointer (&screening->exclusions, g_ptr_array_unref);
  g_clear_pointer (&screening->medications, g_ptr_array_unref);
  g_clear_pointer (&screening->pregnancy_tests, g_ptr_array_unref);
  g_clear_pointer (&screening->decisions, g_ptr_array_unref);
  g_clear_pointer (&screening->overrides, g_ptr_array_unref);
  g_free (screening);
}

/**
 * cairn_screening_get_decision:
 * @screening: a screening
 *
 * Returns: (nullable) (transfer none): the latest eligibility decision, or
 *   %NULL when none is recorded
 */
const CairnEligibilityDecision *
cairn_screening_get_decision (const CairnScreening *screening)
{
  g_return_val_if_fail (screening != NULL, NULL);

  return screening->decisions->len > 0 ? g_ptr_array_index (screening->decisions, 0) : NULL;
}

CairnEligibility
cairn_screening_get_eligibility (const CairnScreening *screening)
{
  const CairnEligibilityDecision *decision;

  g_return_val_if_fail (screening != NULL, CAIRN_ELIGIBILITY_NONE);

  decision = cairn_screening_get_decision (screening);
  return decision != NULL ? decision->decision : CAIRN_ELIGIBILITY_NONE;
}

/**
 * cairn_screening_find_exclusion:
 * @screening: a screening
 * @exclusion_id: an exclusion id of the template
 *
 * Returns: (nullable) (transfer none): the answer, or %NULL when unanswered
 */
const CairnExclusionRecord *
cairn_screening_find_exclusion (const CairnScreening *screening,
                                const char           *exclusion_id)
{
  g_return_val_if_fail (screening != NULL && exclusion_id != NULL, NULL);

  for (guint i = 0; i < screening->exclusions->len; i++)
    {
      const CairnExclusionRecord *record = g_ptr_array_index (screening->exclusions, i);

      if (g_strcmp0 (record->exclusion_id, exclusion_id) == 0)
        return record;
    }
  return NULL;
}

CairnScreeningDetails *
cairn_screening_details_copy (const CairnScreeningDetails *details)
{
  CairnScreeningDetails *copy = g_new0 (CairnScreeningDetails, 1);

  g_return_val_if_fail (details != NULL, copy);

  *copy = *details;
  copy->diagnosis = g_strdup (details->diagnosis);
  copy->psychiatric_history = g_strdup (details->psychiatric_history);
  copy->medical_history = g_strdup (details->medical_history);
  copy->trauma_history = g_strdup (details->trauma_history);
  copy->vitals_date = g_strdup (details->vitals_date);
  copy->ecg_date = g_strdup (details->ecg_date);
  copy->labs_date = g_strdup (details->labs_date);
  copy->consent_date = g_strdup (details->consent_date);
  copy->support_person = g_strdup (details->support_person);
  copy->driver = g_strdup (details->driver);
  copy->overnight_attendant = g_strdup (details->overnight_attendant);
  copy->updated_at = g_strdup (details->updated_at);
  copy->updated_by = g_strdup (details->updated_by);
  return copy;
}

void
cairn_screening_details_clear (CairnScreeningDetails *details)
{
  g_return_if_fail (details != NULL);

  g_free (details->diagnosis);
  g_free (details->psychiatric_history);
  g_free (details->medical_history);
  g_free (details->trauma_history);
  g_free (details->vitals_date);
  g_free (details->ecg_date);
  g_free (details->labs_date);
  g_free (details->consent_date);
  g_free (details->support_person);
  g_free (details->driver);
  g_free (details->overnight_attendant);
  g_free (details->updated_at);
  g_free (details->updated_by);
  memset (details, 0, sizeof *details);
}

void
cairn_screening_details_free (CairnScreeningDetails *details)
{
  if (details == NULL)
    return;
  cairn_screening_details_clear (details);
  g_free (details);
}

CairnMedication *
cairn_medication_new (void)
{
  return g_new0 (CairnMedication, 1);
}

CairnMedication *
cairn_medication_copy (const CairnMedication *medication)
{
  CairnMedication *copy = cairn_medication_new ();

  g_return_val_if_fail (medication != NULL, copy);

  copy->id = g_strdup (medication->id);
  copy->name = g_strdup (medication->name);
  copy->dose = g_strdup (medication->dose);
  copy->serotonergic = medication->serotonergic;
  copy->taper_plan = g_strdup (medication->taper_plan);
  copy->tapered_off = g_strdup (medication->tapered_off);
  copy->updated_at = g_strdup (medication->updated_at);
  return copy;
}

void
cairn_medication_free (CairnMedication *medication)
{
  if (medication == NULL)
    return;
  g_free (medication->id);
  g_free (medication->name);
  g_free (medication->dose);
  g_free (medication->taper_plan);
  g_free (medication->tapered_off);
  g_free (medication->updated_at);
  g_free (medication);
}

void
cairn_exclusion_record_free (CairnExclusionRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->exclusion_id);
  g_free (record->note);
  g_free (record->updated_at);
  g_free (record->updated_by);
  g_free (record);
}

void
cairn_pregnancy_test_free (CairnPregnancyTest *test)
{
  if (test == NULL)
    return;
  g_free (test->id);
  g_free (test->date);
  g_free (test->recorded_by);
  g_free (test->created_at);
  g_free (test);
}

void
cairn_eligibility_decision_free (CairnEligibilityDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->id);
  g_free (decision->reason);
  g_free (decision->decided_by);
  g_free (decision->decided_on);
  g_free (decision->created_at);
  g_free (decision);
}

void
cairn_gate_override_free (CairnGateOverride *override)
{
  if (override == NULL)
    return;
  g_free (override->id);
  g_free (override->check_id);
  g_free (override->applies_on);
  g_free (override->appointment_id);
  g_free (override->reason);
  g_free (override->recorded_by);
  g_free (override->created_at);
  g_free (override);
}

/* ------------------------------------------------------------------------ */
/* Enumerations                                                              */

static const char * const eligibility_names[] = {
  [CAIRN_ELIGIBILITY_NONE] = "none",
  [CAIRN_ELIGIBILITY_ELIGIBLE] = "eligible",
  [CAIRN_ELIGIBILITY_NOT_ELIGIBLE] = "not-eligible",
  [CAIRN_ELIGIBILITY_NEEDS_REVIEW] = "needs-review",
};

static const char * const answer_names[] = {
  [CAIRN_EXCLUSION_ANSWER_UNKNOWN] = "unknown",
  [CAIRN_EXCLUSION_ANSWER_NO] = "no",
  [CAIRN_EXCLUSION_ANSWER_YES] = "yes",
};

const char *
cairn_eligibility_to_string (CairnEligibility eligibility)
{
  g_return_val_if_fail ((guint) eligibility < G_N_ELEMENTS (eligibility_names), NULL);

  return eligibility_names[eligibility];
}

gboolean
cairn_eligibility_from_string (const char       *text,
                               CairnEligibility *eligibility)
{
  g_return_val_if_fail (eligibility != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (eligibility_names); i++)
    if (g_strcmp0 (text, eligibility_names[i]) == 0)
      {
        *eligibility = (CairnEligibility) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * cairn_eligibility_get_label:
 * @eligibility: a decision
 *
 * Returns: (transfer none): the decision as shown, translated
 */
const char *
cairn_eligibility_get_label (CairnEligibility eligibility)
{
  switch (eligibility)
    {
    case CAIRN_ELIGIBILITY_ELIGIBLE:
      /* Translators: an eligibility decision */
      return _("Eligible");
    case CAIRN_ELIGIBILITY_NOT_ELIGIBLE:
      /* Translators: an eligibility decision */
      return _("Not eligible");
    case CAIRN_ELIGIBILITY_NEEDS_REVIEW:
      /* Translators: an eligibility decision */
      return _("Needs review");
    case CAIRN_ELIGIBILITY_NONE:
    default:
      /* Translators: no eligibility decision is recorded yet */
      return _("Not decided");
    }
}

const char *
cairn_exclusion_answer_to_string (CairnExclusionAnswer answer)
{
  g_return_val_if_fail ((guint) answer < G_N_ELEMENTS (answer_names), NULL);

  return answer_names[answer];
}

gboolean
cairn_exclusion_answer_from_string (const char           *text,
                                    CairnExclusionAnswer *answer)
{
  g_return_val_if_fail (answer != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (answer_names); i++)
    if (g_strcmp0 (text, answer_names[i]) == 0)
      {
        *answer = (CairnExclusionAnswer) i;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Validation                                                                */

static GPtrArray *
problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
}

/* The date as the vault stores it, "%04u-%02u-%02u"; NULL when @text is
 * blank. Only called on text already validated. */
static char *
canonical_date (const char *text)
{
  GDate date;

  if (cairn_text_is_blank (text))
    return NULL;
  if (!cairn_record_parse_day (text, &date))
    return g_strdup (text);
  return cairn_record_format_day (&date);
}

static void
replace_with_canonical_date (char **date)
{
  char *canonical = canonical_date (*date);

  g_free (*date);
  *date = canonical;
}

/* Checks a text field: valid UTF-8 and not too long. */
static gboolean
check_text (GPtrArray  *problems,
            const char *field,
            const char *value,
            guint       max_chars)
{
  if (value == NULL)
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    {
      cairn_field_problem_add (problems, field, g_strdup (_("This is not valid text.")));
      return FALSE;
    }
  if (g_utf8_strlen (value, -1) > (glong) max_chars)
    {
      cairn_field_problem_add (problems, field,
                               g_strdup_printf (_("This can be at most %u characters long."), max_chars));
      return FALSE;
    }
  return TRUE;
}

/* Checks the date of something that has happened: optional unless
 * @required, a real date, not after @today, not before 1900. */
static void
check_past_date (GPtrArray  *problems,
                 const char *field,
                 const char *value,
                 const char *today,
                 gboolean    required,
                 const char *missing_message)
{
  GDate date, today_date;

  if (cairn_text_is_blank (value))
    {
      if (required)
        cairn_field_problem_add (problems, field, g_strdup (missing_message));
      return;
    }
  if (!check_text (problems, field, value, 32))
    return;
  if (!cairn_record_parse_day (value, &date))
    cairn_field_problem_add (problems, field,
                             g_strdup_printf (_("“%s” is not a date. Write it as year-month-day, such as 2024-03-27."),
                                              value));
  else if (!cairn_record_parse_day (today, &today_date) || g_date_compare (&date, &today_date) > 0)
    cairn_field_problem_add (problems, field, g_strdup (_("This date is in the future: enter the day it happened.")));
  else if (g_date_get_year (&date) < 1900)
    cairn_field_problem_add (problems, field, g_strdup (_("This date is before 1900: check the year.")));
}

static void
check_range_uint (GPtrArray  *problems,
                  const char *field,
                  guint       value,
                  guint       min,
                  guint       max,
                  const char *unit)
{
  if (value != 0 && (value < min || value > max))
    /* Translators: e.g. "Enter a value from 60 to 260 mmHg." */
    cairn_field_problem_add (problems, field, g_strdup_printf (_("Enter a value from %u to %u %s."), min, max, unit));
}

static void
check_range_double (GPtrArray  *problems,
                    const char *field,
                    double      value,
                    double      min,
                    double      max,
                    const char *unit)
{
  if (value != 0.0 && (!isfinite (value) || value < min || value > max))
    /* Translators: e.g. "Enter a value from 32.0 to 43.0 °C." */
    cairn_field_problem_add (problems, field, g_strdup_printf (_("Enter a value from %.1f to %.1f %s."), min, max, unit));
}

/**
 * cairn_screening_validate_details:
 * @details: what the form holds
 * @parts: which parts are about to be saved
 * @today: "YYYY-MM-DD", the practice's date today
 *
 * Returns: (transfer container) (element-type CairnFieldProblem): the
 *   problems of the fields in @parts, empty when there are none
 */
GPtrArray *
cairn_screening_validate_details (const CairnScreeningDetails *details,
                                  CairnScreeningParts          parts,
                                  const char                  *today)
{
  GPtrArray *problems = problems_new ();

  g_return_val_if_fail (details != NULL && today != NULL, problems);

  if (parts & CAIRN_SCREENING_PART_HISTORY)
    {
      check_text (problems, "diagnosis", details->diagnosis, MAX_NAME);
      check_text (problems, "psychiatric_history", details->psychiatric_history, MAX_HISTORY);
      check_text (problems, "medical_history", details->medical_history, MAX_HISTORY);
      check_text (problems, "trauma_history", details->trauma_history, MAX_HISTORY);
    }

  if (parts & CAIRN_SCREENING_PART_BASELINE)
    {
      gboolean any_vital = details->systolic != 0 || details->diastolic != 0 ||
                           details->heart_rate != 0 || details->temperature != 0.0 ||
                           details->weight != 0.0;

      /* Translators: millimetres of mercury, a unit of blood pressure */
      check_range_uint (problems, "systolic", details->systolic, 60, 260, _("mmHg"));
      check_range_uint (problems, "diastolic", details->diastolic, 30, 160, _("mmHg"));
      /* Translators: beats per minute */
      check_range_uint (problems, "heart_rate", details->heart_rate, 25, 250, _("bpm"));
      check_range_double (problems, "temperature", details->temperature, 32.0, 43.0, _("°C"));
      /* Translators: kilograms */
      check_range_double (problems, "weight", details->weight, 20.0, 400.0, _("kg"));
      if ((details->systolic == 0) != (details->diastolic == 0))
        cairn_field_problem_add (problems, details->systolic == 0 ? "systolic" : "diastolic",
                                 g_strdup (_("Enter both the systolic and the diastolic pressure.")));
      else if (details->systolic >= 60 && details->systolic <= 260 &&
               details->diastolic >= 30 && details->diastolic <= 160 &&
               details->diastolic >= details->systolic)
        cairn_field_problem_add (problems, "diastolic",
                                 g_strdup (_("The diastolic pressure must be below the systolic pressure.")));

      check_past_date (problems, "vitals_date", details->vitals_date, today, any_vital,
                       _("Enter the day the vital signs were taken, such as 2024-03-27."));
      check_past_date (problems, "ecg_date", details->ecg_date, today, FALSE, NULL);
      check_past_date (problems, "labs_date", details->labs_date, today, FALSE, NULL);
    }

  if (parts & CAIRN_SCREENING_PART_CONSENT)
    {
      check_past_date (problems, "consent_date", details->consent_date, today, FALSE, NULL);
      check_text (problems, "support_person", details->support_person, MAX_NAME);
      check_text (problems, "driver", details->driver, MAX_NAME);
      check_text (problems, "overnight_attendant", details->overnight_attendant, MAX_NAME);
    }

  return problems;
}

/**
 * cairn_medication_validate:
 * @medication: what the form holds
 * @today: "YYYY-MM-DD"
 *
 * Returns: (transfer container) (element-type CairnFieldProblem): the
 *   problems, empty when there are none
 */
GPtrArray *
cairn_medication_validate (const CairnMedication *medication,
                           const char            *today)
{
  GPtrArray *problems = problems_new ();

  g_return_val_if_fail (medication != NULL && today != NULL, problems);

  if (cairn_text_is_blank (medication->name))
    cairn_field_problem_add (problems, "name", g_strdup (_("Enter the name of the medication.")));
  else
    check_text (problems, "name", medication->name, MAX_SHORT);
  check_text (problems, "dose", medication->dose, MAX_SHORT);
  check_text (problems, "taper_plan", medication->taper_plan, MAX_NOTE);
  check_past_date (problems, "tapered_off", medication->tapered_off, today, FALSE, NULL);
  return problems;
}

/* Fails with the first problem as the error, and hands the list over. */
static gboolean
refuse_if_problems (GPtrArray  *list,
                    GPtrArray **problems,
                    GError    **error)
{
  const CairnFieldProblem *first;

  if (list->len == 0)
    {
      g_ptr_array_unref (list);
      return FALSE;
    }

  first = g_ptr_array_index (list, 0);
  g_set_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_INVALID, "%s", first->message);
  if (problems != NULL)
    *problems = list;
  else
    g_ptr_array_unref (list);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Serotonergic medicines                                                    */

/* Lower case, letters and digits only, each run of anything else one space:
 * "St. John’s wort" and "st johns-wort" compare as near as they can. */
static char *
normalize_name (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
      else if (c != '\'' && c != 0x2019)
        space = TRUE;
    }
  return g_string_free (out, FALSE);
}

static GStrv
load_serotonergic_list (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;

  /* Referencing the resource keeps it linked in from the static library. */
  (void) cairn_protocols_get_resource ();
  bytes = g_resources_lookup_data (SEROTONERGIC_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);

  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}

static const char * const *
serotonergic_names (void)
{
  static GStrv names;

  if (g_once_init_enter (&names))
    g_once_init_leave (&names, load_serotonergic_list ());
  return (const char * const *) names;
}

static const char * const *
serotonergic_keys (void)
{
  static GStrv keys;

  if (g_once_init_enter (&keys))
    {
      const char * const *names = serotonergic_names ();
      GStrv list = g_new0 (char *, g_strv_length ((GStrv) names) + 1);

      for (guint i = 0; names[i] != NULL; i++)
        list[i] = normalize_name (names[i]);
      g_once_init_leave (&keys, list);
    }
  return (const char * const *) keys;
}

/**
 * cairn_screening_serotonergic_list:
 *
 * Returns: (transfer full): the shipped list of common serotonergic
 *   medicines, as written there
 */
GStrv
cairn_screening_serotonergic_list (void)
{
  return g_strdupv ((GStrv) serotonergic_names ());
}

/**
 * cairn_screening_is_serotonergic:
 * @medicine_name: (nullable): a medicine as typed, e.g. "Sertraline 50 mg"
 *
 * Whether what was typed begins with a medicine of the shipped list, in
 * any case: a suggestion for the medication's serotonergic flag.
 *
 * Returns: %TRUE when it does
 */
gboolean
cairn_screening_is_serotonergic (const char *medicine_name)
{
  const char * const *keys;
  g_autofree char *typed = NULL;

  if (medicine_name == NULL || !g_utf8_validate (medicine_name, -1, NULL))
    return FALSE;

  typed = normalize_name (medicine_name);
  if (*typed == '\0')
    return FALSE;

  keys = serotonergic_keys ();
  for (guint i = 0; keys[i] != NULL; i++)
    {
      gsize length = strlen (keys[i]);

      /* The name, then the end or anything that is not a letter:
       * "lithium carbonate" and "sertraline50mg", not "lithiumx". */
      if (length > 0 && strncmp (typed, keys[i], length) == 0 &&
          !g_unichar_isalpha (g_utf8_get_char (typed + length)))
        return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

typedef struct
{
  const char     *patient_id;
  const char     *user_id;
  CairnScreening *screening;
} LoadData;

/* Reads into @out, with @read_row, each row @sql finds for the patient
 * (its one parameter). */
static gboolean
read_for_patient (CairnDatabase  *db,
                  const char     *sql,
                  const char     *patient_id,
                  gpointer      (*read_row) (CairnRows *rows),
                  GPtrArray      *out,
                  GError        **error)
{
  g_autoptr(CairnRows) rows = cairn_rows_prepare (db, sql, error);

  if (rows == NULL)
    return FALSE;
  cairn_rows_bind_text (rows, 1, patient_id);
  while (cairn_rows_next (rows))
    g_ptr_array_add (out, read_row (rows));
  return cairn_rows_finish (rows, error);
}

static gboolean
read_details (CairnDatabase          *db,
              const char             *patient_id,
              CairnScreeningDetails  *d,
              GError                **error)
{
  g_autoptr(CairnRows) rows = cairn_rows_prepare (db,
                                                  "SELECT diagnosis, psychiatric_history, medical_history,"
                                                  " trauma_history, vitals_date, systolic, diastolic, heart_rate,"
                                                  " temperature, weight, ecg_date, labs_date, pregnancy_applicable,"
                                                  " consent_date, support_person, driver, overnight_attendant,"
                                                  " updated_at, updated_by"
                                                  " FROM screenings WHERE patient_id = ? AND deleted_at IS NULL",
                                                  error);

  if (rows == NULL)
    return FALSE;
  cairn_rows_bind_text (rows, 1, patient_id);
  if (cairn_rows_next (rows))
    {
      d->diagnosis = cairn_rows_dup (rows, 0);
      d->psychiatric_history = cairn_rows_dup (rows, 1);
      d->medical_history = cairn_rows_dup (rows, 2);
      d->trauma_history = cairn_rows_dup (rows, 3);
      d->vitals_date = cairn_rows_dup (rows, 4);
      d->systolic = (guint) cairn_rows_int (rows, 5);
      d->diastolic = (guint) cairn_rows_int (rows, 6);
      d->heart_rate = (guint) cairn_rows_int (rows, 7);
      d->temperature = cairn_rows_double (rows, 8);
      d->weight = cairn_rows_double (rows, 9);
      d->ecg_date = cairn_rows_dup (rows, 10);
      d->labs_date = cairn_rows_dup (rows, 11);
      d->pregnancy_applicable = cairn_rows_int (rows, 12) != 0;
      d->consent_date = cairn_rows_dup (rows, 13);
      d->support_person = cairn_rows_dup (rows, 14);
      d->driver = cairn_rows_dup (rows, 15);
      d->overnight_attendant = cairn_rows_dup (rows, 16);
      d->updated_at = cairn_rows_dup (rows, 17);
      d->updated_by = cairn_rows_dup (rows, 18);
    }
  return cairn_rows_finish (rows, error);
}

static gpointer
read_exclusion (CairnRows *rows)
{
  CairnExclusionRecord *record = g_new0 (CairnExclusionRecord, 1);

  record->exclusion_id = cairn_rows_dup (rows, 0);
  if (!cairn_exclusion_answer_from_string (cairn_rows_text (rows, 1), &record->answer))
    record->answer = CAIRN_EXCLUSION_ANSWER_UNKNOWN;
  record->note = cairn_rows_dup (rows, 2);
  record->updated_at = cairn_rows_dup (rows, 3);
  record->updated_by = cairn_rows_dup (rows, 4);
  return record;
}

static gpointer
read_medication (CairnRows *rows)
{
  CairnMedication *medication = cairn_medication_new ();

  medication->id = cairn_rows_dup (rows, 0);
  medication->name = cairn_rows_dup (rows, 1);
  medication->dose = cairn_rows_dup (rows, 2);
  medication->serotonergic = cairn_rows_int (rows, 3) != 0;
  medication->taper_plan = cairn_rows_dup (rows, 4);
  medication->tapered_off = cairn_rows_dup (rows, 5);
  medication->updated_at = cairn_rows_dup (rows, 6);
  return medication;
}

static gpointer
read_pregnancy_test (CairnRows *rows)
{
  CairnPregnancyTest *test = g_new0 (CairnPregnancyTest, 1);

  test->id = cairn_rows_dup (rows, 0);
  test->date = cairn_rows_dup (rows, 1);
  test->result = g_strcmp0 (cairn_rows_text (rows, 2), "negative") == 0
                 ? CAIRN_PREGNANCY_RESULT_NEGATIVE : CAIRN_PREGNANCY_RESULT_POSITIVE;
  test->recorded_by = cairn_rows_dup (rows, 3);
  test->created_at = cairn_rows_dup (rows, 4);
  return test;
}

static gpointer
read_decision (CairnRows *rows)
{
  CairnEligibilityDecision *decision = g_new0 (CairnEligibilityDecision, 1);

  decision->id = cairn_rows_dup (rows, 0);
  if (!cairn_eligibility_from_string (cairn_rows_text (rows, 1), &decision->decision))
    decision->decision = CAIRN_ELIGIBILITY_NEEDS_REVIEW;
  decision->reason = cairn_rows_dup (rows, 2);
  decision->decided_by = cairn_rows_dup (rows, 3);
  decision->decided_on = cairn_rows_dup (rows, 4);
  decision->created_at = cairn_rows_dup (rows, 5);
  return decision;
}

static gpointer
read_override (CairnRows *rows)
{
  CairnGateOverride *override = g_new0 (CairnGateOverride, 1);

  override->id = cairn_rows_dup (rows, 0);
  override->check_id = cairn_rows_dup (rows, 1);
  override->applies_on = cairn_rows_dup (rows, 2);
  override->appointment_id = cairn_rows_dup (rows, 3);
  override->reason = cairn_rows_dup (rows, 4);
  override->recorded_by = cairn_rows_dup (rows, 5);
  override->created_at = cairn_rows_dup (rows, 6);
  return override;
}

static gboolean
load_cb (CairnDatabase  *db,
         gpointer        user_data,
         GError        **error)
{
  LoadData *data = user_data;
  CairnScreening *s = data->screening;
  const char *id = data->patient_id;

  return read_details (db, id, &s->details, error) &&
         read_for_patient (db,
                           "SELECT exclusion_id, answer, note, updated_at, updated_by FROM screening_exclusions"
                           " WHERE patient_id = ? AND deleted_at IS NULL ORDER BY created_at, id",
                           id, read_exclusion, s->exclusions, error) &&
         read_for_patient (db,
                           "SELECT id, name, dose, serotonergic, taper_plan, tapered_off, updated_at"
                           " FROM medications WHERE patient_id = ? AND deleted_at IS NULL"
                           " ORDER BY name COLLATE NOCASE, created_at, id",
                           id, read_medication, s->medications, error) &&
         read_for_patient (db,
                           "SELECT id, tested_on, result, author, created_at FROM pregnancy_tests"
                           " WHERE patient_id = ? AND deleted_at IS NULL"
                           " ORDER BY tested_on DESC, created_at DESC, id",
                           id, read_pregnancy_test, s->pregnancy_tests, error) &&
         /* Newest first by when it was recorded: a decision entered later
          * with an earlier date still replaces the one before it. */
         read_for_patient (db,
                           "SELECT id, decision, reason, author, decided_on, created_at FROM eligibility_decisions"
                           " WHERE patient_id = ? ORDER BY created_at DESC, rowid DESC",
                           id, read_decision, s->decisions, error) &&
         read_for_patient (db,
                           "SELECT id, check_id, applies_on, appointment_id, reason, author, created_at"
                           " FROM gate_overrides WHERE patient_id = ? ORDER BY created_at DESC, rowid DESC",
                           id, read_override, s->overrides, error) &&
         cairn_audit_append (db, data->user_id, "screening.read", id, NULL, error);
}

/**
 * cairn_screening_load:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @user_id: (nullable): who reads
 * @error: return location for a #GError
 *
 * Reads everything screening holds for the patient, and records the read
 * in the audit trail in the same transaction.
 *
 * Returns: (transfer full) (nullable): the screening, empty when nothing is
 *   recorded yet; %NULL on error
 */
CairnScreening *
cairn_screening_load (CairnDatabase  *clinical,
                      const char     *patient_id,
                      const char     *user_id,
                      GError        **error)
{
  g_autoptr(CairnScreening) screening = NULL;
  LoadData data;

  g_return_val_if_fail (clinical != NULL, NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  screening = cairn_screening_new (patient_id);
  data.patient_id = patient_id;
  data.user_id = user_id;
  data.screening = screening;
  if (!cairn_database_transaction (clinical, load_cb, &data, error))
    return NULL;
  return g_steal_pointer (&screening);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *value)
{
  if (cairn_text_is_blank (value))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_uint_or_null (sqlite3_stmt *stmt,
                   int           index,
                   guint         value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_double_or_null (sqlite3_stmt *stmt,
                     int           index,
                     double        value)
{
  if (value == 0.0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, value);
}

static gboolean
step_done (CairnDatabase  *db,
           sqlite3_stmt   *stmt,
           GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cairn_database_set_error (db, sqlite3_extended_errcode (cairn_database_get_handle (db)), error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare_write (CairnDatabase  *db,
               const char     *sql,
               sqlite3_stmt  **stmt,
               GError        **error)
{
  int rc = sqlite3_prepare_v2 (cairn_database_get_handle (db), sql, -1, stmt, NULL);

  if (rc != SQLITE_OK)
    {
      cairn_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char                  *patient_id;
  const CairnScreeningDetails *details;
  CairnScreeningParts          parts;
  const char                  *user_id;
} DetailsData;

static gboolean
save_details_cb (CairnDatabase  *db,
                 gpointer        user_data,
                 GError        **error)
{
  DetailsData *data = user_data;
  const CairnScreeningDetails *d = data->details;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autoptr(GString) detail = g_string_new (NULL);
  const char *values[] = { data->patient_id, now, data->user_id };
  sqlite3_stmt *stmt = NULL;

  if (!cairn_database_run (db,
                           "INSERT INTO screenings (patient_id, created_at, updated_at, author, updated_by)"
                           " VALUES (?1, ?2, ?2, ?3, ?3) ON CONFLICT (patient_id) DO NOTHING",
                           values, G_N_ELEMENTS (values), error))
    return FALSE;

  if (data->parts & CAIRN_SCREENING_PART_HISTORY)
    {
      if (!prepare_write (db,
                          "UPDATE screenings SET diagnosis = ?2, psychiatric_history = ?3,"
                          " medical_history = ?4, trauma_history = ?5 WHERE patient_id = ?1",
                          &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, data->patient_id, -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 2, d->diagnosis);
      bind_text_or_null (stmt, 3, d->psychiatric_history);
      bind_text_or_null (stmt, 4, d->medical_history);
      bind_text_or_null (stmt, 5, d->trauma_history);
      if (!step_done (db, stmt, error))
        return FALSE;
      g_string_append (detail, "history");
    }

  if (data->parts & CAIRN_SCREENING_PART_BASELINE)
    {
      if (!prepare_write (db,
                          "UPDATE screenings SET vitals_date = ?2, systolic = ?3, diastolic = ?4,"
                          " heart_rate = ?5, temperature = ?6, weight = ?7, ecg_date = ?8, labs_date = ?9,"
                          " pregnancy_applicable = ?10 WHERE patient_id = ?1",
                          &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, data->patient_id, -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 2, d->vitals_date);
      bind_uint_or_null (stmt, 3, d->systolic);
      bind_uint_or_null (stmt, 4, d->diastolic);
      bind_uint_or_null (stmt, 5, d->heart_rate);
      bind_double_or_null (stmt, 6, d->temperature);
      bind_double_or_null (stmt, 7, d->weight);
      bind_text_or_null (stmt, 8, d->ecg_date);
      bind_text_or_null (stmt, 9, d->labs_date);
      sqlite3_bind_int (stmt, 10, d->pregnancy_applicable ? 1 : 0);
      if (!step_done (db, stmt, error))
        return FALSE;
      g_string_append_printf (detail, "%sbaseline", detail->len > 0 ? "," : "");
    }

  if (data->parts & CAIRN_SCREENING_PART_CONSENT)
    {
      if (!prepare_write (db,
                          "UPDATE screenings SET consent_date = ?2, support_person = ?3, driver = ?4,"
                          " overnight_attendant = ?5 WHERE patient_id = ?1",
                          &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, data->patient_id, -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 2, d->consent_date);
      bind_text_or_null (stmt, 3, d->support_person);
      bind_text_or_null (stmt, 4, d->driver);
      bind_text_or_null (stmt, 5, d->overnight_attendant);
      if (!step_done (db, stmt, error))
        return FALSE;
      g_string_append_printf (detail, "%sconsent", detail->len > 0 ? "," : "");
    }

  if (!cairn_database_run (db, "UPDATE screenings SET updated_at = ?2, updated_by = ?3 WHERE patient_id = ?1",
                           values, G_N_ELEMENTS (values), error))
    return FALSE;

  return cairn_audit_append (db, data->user_id, "screening.save", data->patient_id, detail->str, error);
}

/**
 * cairn_screening_save_details:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @details: the fields to save
 * @parts: which of them: the others keep what is stored
 * @user_id: (nullable): who saves
 * @problems: (out) (optional) (transfer container) (element-type CairnFieldProblem):
 *   the problems, when the input is refused
 * @error: return location for a #GError
 *
 * Returns: %TRUE when saved
 */
gboolean
cairn_screening_save_details (CairnDatabase                *clinical,
                              const char                   *patient_id,
                              const CairnScreeningDetails  *details,
                              CairnScreeningParts           parts,
                              const char                   *user_id,
                              GPtrArray                   **problems,
                              GError                      **error)
{
  g_autofree char *today = NULL;
  g_autoptr(CairnScreeningDetails) work = NULL;
  DetailsData data;

  g_return_val_if_fail (clinical != NULL && patient_id != NULL && details != NULL, FALSE);
  g_return_val_if_fail ((parts & CAIRN_SCREENING_PART_ALL) != 0, FALSE);

  /* "Not in the future" is the practice's today, wherever the machine is. */
  today = cairn_database_today (clinical);
  if (refuse_if_problems (cairn_screening_validate_details (details, parts, today), problems, error))
    return FALSE;

  /* The dates are written the one way the vault keeps them. */
  work = cairn_screening_details_copy (details);
  replace_with_canonical_date (&work->vitals_date);
  replace_with_canonical_date (&work->ecg_date);
  replace_with_canonical_date (&work->labs_date);
  replace_with_canonical_date (&work->consent_date);
  data = (DetailsData) { patient_id, work, parts, user_id };
  return cairn_database_transaction (clinical, save_details_cb, &data, error);
}

typedef struct
{
  const char          *patient_id;
  const char          *exclusion_id;
  CairnExclusionAnswer answer;
  const char          *note;
  const char          *user_id;
} ExclusionData;

static gboolean
set_exclusion_cb (CairnDatabase  *db,
                  gpointer        user_data,
                  GError        **error)
{
  ExclusionData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *id = cairn_record_new_id ();
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt = NULL;

  if (!prepare_write (db,
                      "INSERT INTO screening_exclusions (id, patient_id, exclusion_id, answer, note,"
                      " created_at, updated_at, author, updated_by)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?7)"
                      " ON CONFLICT (patient_id, exclusion_id) WHERE deleted_at IS NULL"
                      " DO UPDATE SET answer = excluded.answer, note = excluded.note,"
                      " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                      &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, data->patient_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, data->exclusion_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, cairn_exclusion_answer_to_string (data->answer), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 5, data->note);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, data->user_id, -1, SQLITE_STATIC);
  if (!step_done (db, stmt, error))
    return FALSE;

  detail = g_strdup_printf ("%s=%s", data->exclusion_id, cairn_exclusion_answer_to_string (data->answer));
  return cairn_audit_append (db, data->user_id, "screening.exclusion", data->patient_id, detail, error);
}

/**
 * cairn_screening_set_exclusion:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @exclusion_id: an exclusion id of the template
 * @answer: yes, no or unknown
 * @note: (nullable): what was learnt
 * @user_id: (nullable): who answers
 * @problems: (out) (optional) (transfer container): the problems, when refused
 * @error: return location for a #GError
 *
 * Answers one exclusion, or changes its answer.
 *
 * Returns: %TRUE when saved
 */
gboolean
cairn_screening_set_exclusion (CairnDatabase         *clinical,
                               const char            *patient_id,
                               const char            *exclusion_id,
                               CairnExclusionAnswer   answer,
                               const char            *note,
                               const char            *user_id,
                               GPtrArray            **problems,
                               GError               **error)
{
  GPtrArray *list = problems_new ();
  ExclusionData data = { patient_id, exclusion_id, answer, note, user_id };

  g_return_val_if_fail (clinical != NULL && patient_id != NULL, FALSE);
  g_return_val_if_fail (!cairn_text_is_blank (exclusion_id), FALSE);
  g_return_val_if_fail ((guint) answer < G_N_ELEMENTS (answer_names), FALSE);

  check_text (list, "exclusion_id", exclusion_id, MAX_SHORT);
  check_text (list, "note", note, MAX_NOTE);
  if (refuse_if_problems (list, problems, error))
    return FALSE;

  return cairn_database_transaction (clinical, set_exclusion_cb, &data, error);
}

typedef struct
{
  const char      *patient_id;
  CairnMedication *medication;
  gboolean         is_new;
  const char      *user_id;
} MedicationData;

static gboolean
save_medication_cb (CairnDatabase  *db,
                    gpointer        user_data,
                    GError        **error)
{
  MedicationData *data = user_data;
  CairnMedication *m = data->medication;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *name = g_strstrip (g_strdup (m->name));
  sqlite3_stmt *stmt = NULL;

  if (!prepare_write (db,
                      data->is_new
                      ? "INSERT INTO medications (id, patient_id, name, dose, serotonergic, taper_plan,"
                        " tapered_off, created_at, updated_at, author, updated_by)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?9)"
                      : "UPDATE medications SET name = ?3, dose = ?4, serotonergic = ?5, taper_plan = ?6,"
                        " tapered_off = ?7, updated_at = ?8, updated_by = ?9"
                        " WHERE id = ?1 AND patient_id = ?2 AND deleted_at IS NULL",
                      &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, data->patient_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 4, m->dose);
  sqlite3_bind_int (stmt, 5, m->serotonergic ? 1 : 0);
  bind_text_or_null (stmt, 6, m->taper_plan);
  bind_text_or_null (stmt, 7, m->tapered_off);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, data->user_id, -1, SQLITE_STATIC);
  if (!step_done (db, stmt, error))
    return FALSE;
  if (!data->is_new && sqlite3_changes (cairn_database_get_handle (db)) == 0)
    {
      g_set_error (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_NOT_FOUND,
                   _("This medication is no longer in the vault."));
      return FALSE;
    }

  return cairn_audit_append (db, data->user_id, data->is_new ? "medication.add" : "medication.update",
                             data->patient_id, m->id, error);
}

/**
 * cairn_screening_save_medication:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @medication: the medication; a new one (no id) is given an id
 * @user_id: (nullable): who saves
 * @problems: (out) (optional) (transfer container): the problems, when refused
 * @error: return location for a #GError
 *
 * Returns: %TRUE when saved
 */
gboolean
cairn_screening_save_medication (CairnDatabase     *clinical,
                                 const char        *patient_id,
                                 CairnMedication   *medication,
                                 const char        *user_id,
                                 GPtrArray        **problems,
                                 GError           **error)
{
  g_autofree char *today = NULL;
  g_autofree char *new_id = NULL;
  MedicationData data;

  g_return_val_if_fail (clinical != NULL && patient_id != NULL && medication != NULL, FALSE);

  data = (MedicationData) { patient_id, medication, medication->id == NULL, user_id };

  today = cairn_database_today (clinical);
  if (refuse_if_problems (cairn_medication_validate (medication, today), problems, error))
    return FALSE;
  replace_with_canonical_date (&medication->tapered_off);

  if (data.is_new)
    medication->id = new_id = cairn_record_new_id ();
  if (!cairn_database_transaction (clinical, save_medication_cb, &data, error))
    {
      if (data.is_new)
        medication->id = NULL;
      return FALSE;
    }
  g_steal_pointer (&new_id);
  return TRUE;
}

typedef struct
{
  const char *table;
  const char *action;
  const char *patient_id;
  const char *id;
  const char *user_id;
  const char *missing;
} TombstoneData;

static gboolean
tombstone_cb (CairnDatabase  *db,
              gpointer        user_data,
              GError        **error)
{
  TombstoneData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET deleted_at = ?1, updated_at = ?1, updated_by = ?4"
                                          " WHERE id = ?2 AND patient_id = ?3 AND deleted_at IS NULL",
                                          data->table);
  const char *values[] = { now, data->id, data->patient_id, data->user_id };

  if (!cairn_database_run (db, sql, values, G_N_ELEMENTS (values), error))
    return FALSE;
  if (sqlite3_changes (cairn_database_get_handle (db)) == 0)
    {
      g_set_error_literal (error, CAIRN_SCREENING_ERROR, CAIRN_SCREENING_ERROR_NOT_FOUND, data->missing);
      return FALSE;
    }
  return cairn_audit_append (db, data->user_id, data->action, data->patient_id, data->id, error);
}

/**
 * cairn_screening_remove_medication:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @medication_id: the medication's id
 * @user_id: (nullable): who removes it
 * @error: return location for a #GError
 *
 * Removes a medication from the list: it stays in the vault with a
 * tombstone.
 *
 * Returns: %TRUE when removed
 */
gboolean
cairn_screening_remove_medication (CairnDatabase  *clinical,
                                   const char     *patient_id,
                                   const char     *medication_id,
                                   const char     *user_id,
                                   GError        **error)
{
  TombstoneData data = { "medications", "medication.remove", patient_id, medication_id, user_id,
                         _("This medication is no longer in the vault.") };

  g_return_val_if_fail (clinical != NULL && patient_id != NULL && medication_id != NULL, FALSE);

  return cairn_database_transaction (clinical, tombstone_cb, &data, error);
}

typedef struct
{
  const char          *patient_id;
  const char          *id;
  const char          *date;
  CairnPregnancyResult result;
  const char          *user_id;
} PregnancyData;

static gboolean
add_pregnancy_test_cb (CairnDatabase  *db,
                       gpointer        user_data,
                       GError        **error)
{
  PregnancyData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();
  const char *values[] = {
    data->id, data->patient_id, data->date,
    data->result == CAIRN_PREGNANCY_RESULT_NEGATIVE ? "negative" : "positive",
    now, data->user_id,
  };

  if (!cairn_database_run (db,
                           "INSERT INTO pregnancy_tests (id, patient_id, tested_on, result, created_at,"
                           " updated_at, author) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                           values, G_N_ELEMENTS (values), error))
    return FALSE;
  return cairn_audit_append (db, data->user_id, "pregnancy-test.add", data->patient_id, data->id, error);
}

/**
 * cairn_screening_add_pregnancy_test:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @date: "YYYY-MM-DD", the day of the test; not in the future
 * @result: negative or positive
 * @user_id: (nullable): who records it
 * @problems: (out) (optional) (transfer container): the problems (field
 *   "date"), when refused
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new test's id
 */
char *
cairn_screening_add_pregnancy_test (CairnDatabase         *clinical,
                                    const char            *patient_id,
                                    const char            *date,
                                    CairnPregnancyResult   result,
                                    const char            *user_id,
                                    GPtrArray            **problems,
                                    GError               **error)
{
  g_autofree char *today = NULL;
  g_autofree char *id = NULL;
  g_autofree char *canonical = NULL;
  GPtrArray *list = problems_new ();
  PregnancyData data;

  g_return_val_if_fail (clinical != NULL && patient_id != NULL, NULL);
  g_return_val_if_fail (result == CAIRN_PREGNANCY_RESULT_NEGATIVE || result == CAIRN_PREGNANCY_RESULT_POSITIVE,
                        NULL);

  today = cairn_database_today (clinical);
  check_past_date (list, "date", date, today, TRUE,
                   _("Enter the day of the test, such as 2024-03-27."));
  if (refuse_if_problems (list, problems, error))
    return NULL;

  id = cairn_record_new_id ();
  canonical = canonical_date (date);
  data = (PregnancyData) { patient_id, id, canonical, result, user_id };
  if (!cairn_database_transaction (clinical, add_pregnancy_test_cb, &data, error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * cairn_screening_remove_pregnancy_test:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @test_id: the test's id
 * @user_id: (nullable): who removes it
 * @error: return location for a #GError
 *
 * Removes a test entered by mistake: it stays in the vault with a tombstone.
 *
 * Returns: %TRUE when removed
 */
gboolean
cairn_screening_remove_pregnancy_test (CairnDatabase  *clinical,
                                       const char     *patient_id,
                                       const char     *test_id,
                                       const char     *user_id,
                                       GError        **error)
{
  TombstoneData data = { "pregnancy_tests", "pregnancy-test.remove", patient_id, test_id, user_id,
                         _("This pregnancy test is no longer in the vault.") };

  g_return_val_if_fail (clinical != NULL && patient_id != NULL && test_id != NULL, FALSE);

  return cairn_database_transaction (clinical, tombstone_cb, &data, error);
}

typedef struct
{
  const char      *patient_id;
  CairnEligibility decision;
  const char      *reason;
  const char      *decided_on;
  const char      *user_id;
} DecisionData;

static gboolean
record_decision_cb (CairnDatabase  *db,
                    gpointer        user_data,
                    GError        **error)
{
  DecisionData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *id = cairn_record_new_id ();
  g_autofree char *reason = g_strstrip (g_strdup (data->reason));
  g_autofree char *detail = NULL;
  const char *values[] = {
    id, data->patient_id, cairn_eligibility_to_string (data->decision), reason, data->decided_on,
    now, data->user_id != NULL ? data->user_id : "",
  };

  if (!cairn_database_run (db,
                           "INSERT INTO eligibility_decisions (id, patient_id, decision, reason, decided_on,"
                           " created_at, updated_at, author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
                           values, G_N_ELEMENTS (values), error))
    return FALSE;

  detail = g_strdup_printf ("%s %s", cairn_eligibility_to_string (data->decision), data->decided_on);
  return cairn_audit_append (db, data->user_id, "eligibility.decide", data->patient_id, detail, error);
}

/**
 * cairn_screening_record_decision:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @decision: eligible, not eligible or needs review
 * @reason: why; required
 * @decided_on: (nullable): "YYYY-MM-DD", not in the future; %NULL for today
 * @user_id: (nullable): who decides
 * @problems: (out) (optional) (transfer container): the problems (fields
 *   "decision", "reason", "decided_on"), when refused
 * @error: return location for a #GError
 *
 * Adds a decision to the patient's history; the newest one counts.
 *
 * Returns: %TRUE when recorded
 */
gboolean
cairn_screening_record_decision (CairnDatabase     *clinical,
                                 const char        *patient_id,
                                 CairnEligibility   decision,
                                 const char        *reason,
                                 const char        *decided_on,
                                 const char        *user_id,
                                 GPtrArray        **problems,
                                 GError           **error)
{
  g_autofree char *today = NULL;
  g_autofree char *canonical = NULL;
  GPtrArray *list = problems_new ();
  DecisionData data;

  g_return_val_if_fail (clinical != NULL && patient_id != NULL, FALSE);

  today = cairn_database_today (clinical);
  data = (DecisionData) { patient_id, decision, reason, decided_on != NULL ? decided_on : today, user_id };

  if (decision != CAIRN_ELIGIBILITY_ELIGIBLE && decision != CAIRN_ELIGIBILITY_NOT_ELIGIBLE &&
      decision != CAIRN_ELIGIBILITY_NEEDS_REVIEW)
    cairn_field_problem_add (list, "decision", g_strdup (_("Choose eligible, not eligible or needs review.")));
  if (cairn_text_is_blank (reason))
    cairn_field_problem_add (list, "reason", g_strdup (_("Write the reason for this decision.")));
  else
    check_text (list, "reason", reason, MAX_NOTE);
  check_past_date (list, "decided_on", data.decided_on, today, TRUE,
                   _("Enter the day of the decision, such as 2024-03-27."));
  if (refuse_if_problems (list, problems, error))
    return FALSE;

  canonical = canonical_date (data.decided_on);
  data.decided_on = canonical;
  return cairn_database_transaction (clinical, record_decision_cb, &data, error);
}

typedef struct
{
  const char *patient_id;
  const char *check_id;
  const char *applies_on;
  const char *appointment_id;
  const char *reason;
  const char *user_id;
} OverrideData;

static gboolean
record_override_cb (CairnDatabase  *db,
                    gpointer        user_data,
                    GError        **error)
{
  OverrideData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *id = cairn_record_new_id ();
  g_autofree char *reason = g_strstrip (g_strdup (data->reason));
  g_autofree char *detail = NULL;
  const char *values[] = {
    id, data->patient_id, data->check_id, data->applies_on,
    cairn_text_is_blank (data->appointment_id) ? NULL : data->appointment_id,
    reason, now, data->user_id != NULL ? data->user_id : "",
  };

  if (!cairn_database_run (db,
                           "INSERT INTO gate_overrides (id, patient_id, check_id, applies_on, appointment_id,"
                           " reason, created_at, updated_at, author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                           values, G_N_ELEMENTS (values), error))
    return FALSE;

  /* The reason itself is in the row the entry points at; the trail says
   * which check, for which day and which medicine session. */
  detail = g_strdup_printf ("%s %s%s%s %s", data->check_id, data->applies_on,
                            cairn_text_is_blank (data->appointment_id) ? "" : " ",
                            cairn_text_is_blank (data->appointment_id) ? "" : data->appointment_id, id);
  return cairn_audit_append (db, data->user_id, "gate.override", data->patient_id, detail, error);
}

/**
 * cairn_screening_record_override:
 * @clinical: clinical.db
 * @patient_id: a patient's id
 * @check_id: the failed check, e.g. "consent"
 * @applies_on: "YYYY-MM-DD", the day the override holds
 * @appointment_id: (nullable): the medicine session it is given for
 * @reason: the written reason; required
 * @user_id: (nullable): the clinician who overrides
 * @problems: (out) (optional) (transfer container): the problems (fields
 *   "check_id", "applies_on", "reason"), when refused
 * @error: return location for a #GError
 *
 * Returns: %TRUE when recorded
 */
gboolean
cairn_screening_record_override (CairnDatabase  *clinical,
                                 const char     *patient_id,
                                 const char     *check_id,
                                 const char     *applies_on,
                                 const char     *appointment_id,
                                 const char     *reason,
                                 const char     *user_id,
                                 GPtrArray     **problems,
                                 GError        **error)
{
  GPtrArray *list = problems_new ();
  OverrideData data = { patient_id, check_id, applies_on, appointment_id, reason, user_id };
  g_autofree char *canonical = NULL;
  GDate date;

  g_return_val_if_fail (clinical != NULL && patient_id != NULL, FALSE);

  if (cairn_text_is_blank (check_id))
    cairn_field_problem_add (list, "check_id", g_strdup (_("Choose the check to override.")));
  else
    check_text (list, "check_id", check_id, MAX_SHORT);
  if (!cairn_record_parse_day (applies_on, &date))
    cairn_field_problem_add (list, "applies_on", g_strdup (_("Enter the day the override holds, such as 2024-03-27.")));
  check_text (list, "appointment_id", appointment_id, MAX_SHORT);
  if (cairn_text_is_blank (reason))
    cairn_field_problem_add (list, "reason", g_strdup (_("Write why this check may be overridden.")));
  else
    check_text (list, "reason", reason, MAX_NOTE);
  if (refuse_if_problems (list, problems, error))
    return FALSE;

  canonical = canonical_date (applies_on);
  data.applies_on = canonical;
  return cairn_database_transaction (clinical, record_override_cb, &data, error);
}
