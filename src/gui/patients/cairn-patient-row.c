/* cairn-patient-row.c
 *
 * One patient in the Patients list: what a search found of them, as an
 * object a GListModel can hold. Rows never change; a new search makes new
 * ones. The formatting helpers are pure, so that the list, the patient view
 * and the duplicate warning say a patient's name and birth the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-patients"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-patient-row.h"

struct _CairnPatientRow
{
  GObject              parent_instance;

  CairnPatientSummary *summary;
};

G_DEFINE_FINAL_TYPE (CairnPatientRow, cairn_patient_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LEGAL_NAME,
  PROP_PREFERRED_NAME,
  PROP_CHART_NUMBER,
  PROP_DATE_OF_BIRTH,
  PROP_ARCHIVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cairn_patient_row_finalize (GObject *object)
{
  CairnPatientRow *self = CAIRN_PATIENT_ROW (object);

  g_clear_pointer (&self->summary, cairn_patient_summary_free);

  G_OBJECT_CLASS (cairn_patient_row_parent_class)->finalize (object);
}

static void
cairn_patient_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CairnPatientRow *self = CAIRN_PATIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->summary->id);
      break;

    case PROP_LEGAL_NAME:
      g_value_set_string (value, self->summary->legal_name);
      break;

    case PROP_PREFERRED_NAME:
      g_value_set_string (value, self->summary->preferred_name);
      break;

    case PROP_CHART_NUMBER:
      g_value_set_string (value, self->summary->chart_number);
      break;

    case PROP_DATE_OF_BIRTH:
      g_value_set_string (value, self->summary->date_of_birth);
      break;

    case PROP_ARCHIVED:
      g_value_set_boolean (value, self->summary->archived);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_patient_row_class_init (CairnPatientRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cairn_patient_row_finalize;
  object_class->get_property = cairn_patient_row_get_property;

#define READABLE (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, READABLE);
  properties[PROP_LEGAL_NAME] = g_param_spec_string ("legal-name", NULL, NULL, NULL, READABLE);
  properties[PROP_PREFERRED_NAME] =
    g_param_spec_string ("preferred-name", NULL, NULL, NULL, READABLE);
  properties[PROP_CHART_NUMBER] = g_param_spec_string ("chart-number", NULL, NULL, NULL, READABLE);
  properties[PROP_DATE_OF_BIRTH] =
    g_param_spec_string ("date-of-birth", NULL, NULL, NULL, READABLE);
  properties[PROP_ARCHIVED] = g_param_spec_boolean ("archived", NULL, NULL, FALSE, READABLE);
#undef READABLE
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cairn_patient_row_init (CairnPatientRow *self)
{
}

/**
 * cairn_patient_row_new:
 * @summary: (transfer full): what a search found of a patient
 *
 * Returns: (transfer full): a row holding @summary
 */
CairnPatientRow *
cairn_patient_row_new (CairnPatientSummary *summary)
{
  CairnPatientRow *self;

  g_return_val_if_fail (summary != NULL, NULL);

  self = g_object_new (CAIRN_TYPE_PATIENT_ROW, NULL);
  self->summary = summary;
  return self;
}

const CairnPatientSummary *
cairn_patient_row_get_summary (CairnPatientRow *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENT_ROW (self), NULL);

  return self->summary;
}

const char *
cairn_patient_row_get_id (CairnPatientRow *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENT_ROW (self), NULL);

  return self->summary->id;
}

const char *
cairn_patient_row_get_legal_name (CairnPatientRow *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENT_ROW (self), NULL);

  return self->summary->legal_name;
}

gboolean
cairn_patient_row_get_archived (CairnPatientRow *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENT_ROW (self), FALSE);

  return self->summary->archived;
}

/* ------------------------------------------------------------------------ */
/* How a patient is written on the screen                                    */

/**
 * cairn_patient_format_nickname:
 * @legal_name: (nullable): the legal name
 * @preferred_name: (nullable): the name the patient goes by
 *
 * The preferred name, quoted, to stand next to the legal name: the list is
 * sorted by legal name, so that comes first, and the name to call the
 * patient by is right beside it.
 *
 * Returns: (transfer full) (nullable): "“Sunny”", or %NULL when there is no
 *   preferred name or it is the legal name itself
 */
char *
cairn_patient_format_nickname (const char *legal_name,
                               const char *preferred_name)
{
  g_autofree char *preferred = NULL;
  g_autofree char *folded_legal = NULL;
  g_autofree char *folded_preferred = NULL;

  if (preferred_name == NULL)
    return NULL;

  preferred = g_strstrip (g_strdup (preferred_name));
  if (*preferred == '\0')
    return NULL;

  folded_preferred = g_utf8_casefold (preferred, -1);
  folded_legal = legal_name != NULL ? g_utf8_casefold (legal_name, -1) : NULL;
  if (folded_legal != NULL && g_strcmp0 (g_strstrip (folded_legal), folded_preferred) == 0)
    return NULL;

  /* TRANSLATORS: a patient's preferred name, next to their legal name. */
  return g_strdup_printf (_("“%s”"), preferred);
}

/**
 * cairn_patient_format_birth:
 * @date_of_birth: (nullable): "YYYY-MM-DD"
 * @today: the date to count the age to
 *
 * Returns: (transfer full) (nullable): "1984-03-27 (age 40)", the date
 *   alone when it has no age, or %NULL when there is no date
 */
char *
cairn_patient_format_birth (const char *date_of_birth,
                            GDate      *today)
{
  int age;

  g_return_val_if_fail (today != NULL, NULL);

  if (date_of_birth == NULL || *date_of_birth == '\0')
    return NULL;

  age = cairn_patient_age (date_of_birth, today);
  if (age < 0)
    return g_strdup (date_of_birth);

  /* TRANSLATORS: a date of birth and the age it makes today. */
  return g_strdup_printf (_("%s (age %d)"), date_of_birth, age);
}

/**
 * cairn_patient_format_details:
 * @summary: a patient as a search found them
 * @today: the date to count the age to
 *
 * Returns: (transfer full): the line under a patient's name in a list:
 *   chart number, date of birth and age
 */
char *
cairn_patient_format_details (const CairnPatientSummary *summary,
                              GDate                     *today)
{
  g_autofree char *birth = NULL;
  GString *details;

  g_return_val_if_fail (summary != NULL, NULL);

  details = g_string_new (summary->chart_number);
  birth = cairn_patient_format_birth (summary->date_of_birth, today);
  if (birth != NULL)
    {
      if (details->len > 0)
        /* TRANSLATORS: separates the parts of a line, e.g. "C-000012 · 1984-03-27 (age 40)" */
        g_string_append (details, _(" · "));
      g_string_append (details, birth);
    }
  return g_string_free (details, FALSE);
}

/**
 * cairn_patient_get_today:
 * @today: (out caller-allocates): today's date, in the computer's time zone
 */
void
cairn_patient_get_today (GDate *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (today, 1);
  g_date_set_dmy (today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
}
