/* cairn-measures.c
 *
 * Outcome measures in clinical.db: each form filled in, or each total
 * recorded for an instrument whose items Cairn may not show. A form is
 * validated as a whole before anything is written; a half-answered one is
 * saved only when marked incomplete and then keeps no total. Every read
 * and write is one transaction with its audit entry, which names the
 * record and never what it holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cairn-agenda.h"
#include "cairn-audit.h"
#include "cairn-measures.h"
#include "cairn-rows.h"
#include "cairn-patients.h"
#include "cairn-records.h"
#include "cairn-schedule.h"
#include "cairn-screening.h"

G_DEFINE_QUARK (cairn-measures-error-quark, cairn_measures_error)

#define MAX_NOTE_CHARS      4000
#define MAX_TIMEPOINT_CHARS 120

/**
 * cairn_measure_new:
 * @instrument: an instrument id
 *
 * Returns: (transfer full) (nullable): a blank form of @instrument: every
 *   item unanswered, no total, complete; %NULL for an unknown instrument
 */
CairnMeasure *
cairn_measure_new (const char *instrument)
{
  const CairnInstrument *found = cairn_instrument_find (instrument);
  CairnMeasure *measure;

  if (found == NULL)
    return NULL;

  measure = g_new0 (CairnMeasure, 1);
  measure->instrument = g_strdup (found->id);
  measure->complete = TRUE;
  measure->total = -1;
  if (!cairn_instrument_is_total_only (found))
    {
      int unanswered = -1;

      measure->answers = g_array_sized_new (FALSE, FALSE, sizeof (int), found->n_items);
      for (guint i = 0; i < found->n_items; i++)
        g_array_append_val (measure->answers, unanswered);
    }
  return measure;
}

/**
 * cairn_measure_copy:
 * @measure: a measure
 *
 * Returns: (transfer full): a deep copy
 */
CairnMeasure *
cairn_measure_copy (const CairnMeasure *measure)
{
  CairnMeasure *copy;

  g_return_val_if_fail (measure != NULL, NULL);

  copy = g_new0 (CairnMeasure, 1);
  copy->id = g_strdup (measure->id);
  copy->patient_id = g_strdup (measure->patient_id);
  copy->instrument = g_strdup (measure->instrument);
  copy->taken_on = g_strdup (measure->taken_on);
  copy->complete = measure->complete;
  if (measure->answers != NULL)
    {
      copy->answers = g_array_sized_new (FALSE, FALSE, sizeof (int), measure->answers->len);
      g_array_append_vals (copy->answers, measure->answers->data, measure->answers->len);
    }
  copy->total = measure->total;
  copy->timepoint = g_strdup (measure->timepoint);
  copy->note = g_strdup (measure->note);
  copy->created_at = g_strdup (measure->created_at);
  copy->updated_at = g_strdup (measure->updated_at);
  copy->author = g_strdup (measure->author);
  copy->updated_by = g_strdup (measure->updated_by);
  return copy;
}

void
cairn_measure_free (CairnMeasure *measure)
{
  if (measure == NULL)
    return;
  g_free (measure->id);
  g_free (measure->patient_id);
  g_free (measure->instrument);
  g_free (measure->taken_on);
  g_clear_pointer (&measure->answers, g_array_unref);
  g_free (measure->timepoint);
  g_free (measure->note);
  g_free (measure->created_at);
  g_free (measure->updated_at);
  g_free (measure->author);
  g_free (measure->updated_by);
  g_free (measure);
}

/* ------------------------------------------------------------------------ */
/* Validation and scoring                                                    */

static void
check_text (GPtrArray  *problems,
            const char *field,
            const char *text,
            guint       max_chars)
{
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    cairn_field_problem_add (problems, field, g_strdup (_("This is not valid text.")));
  else if (g_utf8_strlen (text, -1) > (glong) max_chars)
    cairn_field_problem_add (problems, field, g_strdup_printf (_("This can be at most %u characters long."), max_chars));
}

/**
 * cairn_measure_validate:
 * @measure: what the form holds
 * @today: (nullable): the date to check against; %NULL for today
 *
 * Checks every field and says, for each problem, which field it is and
 * what to do. A form with an unanswered item is a problem unless it is
 * marked incomplete; an answer or a total out of range always is.
 *
 * Returns: (transfer container) (element-type CairnFieldProblem): the
 *   problems, empty when there are none
 */
GPtrArray *
cairn_measure_validate (const CairnMeasure *measure,
                        GDate              *today)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  const CairnInstrument *instrument;
  GDate now_date, taken;

  g_return_val_if_fail (measure != NULL, problems);

  if (today == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&now_date, 1);
      g_date_set_dmy (&now_date, (GDateDay) g_date_time_get_day_of_month (now),
                      (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
      today = &now_date;
    }

  if (cairn_text_is_blank (measure->patient_id))
    cairn_field_problem_add (problems, "patient_id", g_strdup (_("Choose the patient this measure is of.")));

  instrument = cairn_instrument_find (measure->instrument);
  if (instrument == NULL)
    {
      cairn_field_problem_add (problems, "instrument",
                               g_strdup (_("Choose one of PCL-5, PHQ-9, GAD-7, CAPS-5 or BDI-II.")));
      return problems;
    }

  if (cairn_text_is_blank (measure->taken_on))
    cairn_field_problem_add (problems, "taken_on", g_strdup (_("Enter the day it was filled in, such as 2025-03-27.")));
  else if (!cairn_record_parse_day (measure->taken_on, &taken))
    cairn_field_problem_add (problems, "taken_on",
                             g_strdup_printf (_("“%s” is not a date. Write it as year-month-day, such as 2025-03-27."),
                                              measure->taken_on));
  else if (g_date_compare (&taken, today) > 0)
    cairn_field_problem_add (problems, "taken_on", g_strdup (_("This day is in the future.")));
  else if (g_date_get_year (&taken) < 1990)
    cairn_field_problem_add (problems, "taken_on", g_strdup (_("This day is before 1990: check the year.")));

  if (cairn_instrument_is_total_only (instrument))
    {
      if (measure->answers != NULL)
        cairn_field_problem_add (problems, "answers",
                                 g_strdup_printf (_("Only the %s total is recorded, never its items."), instrument->name));
      if (measure->complete)
        {
          if (measure->total < 0)
            cairn_field_problem_add (problems, "total",
                                     g_strdup_printf (_("Enter the total, %d to %d, or mark the entry as incomplete."),
                                                      instrument->total_min, instrument->total_max));
          else if (measure->total < instrument->total_min || measure->total > instrument->total_max)
            cairn_field_problem_add (problems, "total",
                                     g_strdup_printf (_("A %s total is %d to %d."), instrument->name,
                                                      instrument->total_min, instrument->total_max));
        }
      else if (measure->total >= 0)
        cairn_field_problem_add (problems, "total",
                                 g_strdup (_("An incomplete entry has no total: clear it, or switch off “Mark as incomplete”.")));
    }
  else if (measure->answers == NULL || measure->answers->len != instrument->n_items)
    {
      cairn_field_problem_add (problems, "answers",
                               g_strdup_printf (_("The %s has %u items."), instrument->name, instrument->n_items));
    }
  else
    {
      int low = cairn_instrument_item_min (instrument);
      int high = cairn_instrument_item_max (instrument);
      int first_unanswered = -1;

      for (guint i = 0; i < instrument->n_items; i++)
        {
          int value = g_array_index (measure->answers, int, i);

          if (value < 0)
            {
              if (first_unanswered < 0)
                first_unanswered = (int) i;
              if (value != -1)
                {
                  g_autofree char *field = g_strdup_printf ("item-%u", i + 1);

                  cairn_field_problem_add (problems, g_intern_string (field),
                                           g_strdup_printf (_("Item %u: an answer is %d to %d."), i + 1, low, high));
                }
            }
          else if (value > high || value < low)
            {
              g_autofree char *field = g_strdup_printf ("item-%u", i + 1);

              cairn_field_problem_add (problems, g_intern_string (field),
                                       g_strdup_printf (_("Item %u: an answer is %d to %d."), i + 1, low, high));
            }
        }
      if (first_unanswered >= 0 && measure->complete)
        cairn_field_problem_add (problems, "answers",
                                 g_strdup_printf (_("Item %d is unanswered. Answer every item, or mark the form as incomplete."),
                                                  first_unanswered + 1));
    }

  check_text (problems, "timepoint", measure->timepoint, MAX_TIMEPOINT_CHARS);
  check_text (problems, "note", measure->note, MAX_NOTE_CHARS);

  return problems;
}

/**
 * cairn_measure_score:
 * @measure: a measure
 * @score: (out caller-allocates): its score
 *
 * Returns: %TRUE when @measure is complete and valid and @score is set;
 *   an incomplete measure is never scored
 */
gboolean
cairn_measure_score (const CairnMeasure *measure,
                     CairnScore         *score)
{
  const CairnInstrument *instrument;

  g_return_val_if_fail (measure != NULL && score != NULL, FALSE);

  instrument = cairn_instrument_find (measure->instrument);
  if (instrument == NULL || !measure->complete)
    return FALSE;
  return cairn_instrument_score (instrument,
                                 measure->answers != NULL ? (const int *) measure->answers->data : NULL,
                                 measure->answers != NULL ? measure->answers->len : 0,
                                 measure->total, score, NULL);
}

CairnMeasureAlerts
cairn_measure_alerts (const CairnMeasure *measure)
{
  const CairnInstrument *instrument;

  g_return_val_if_fail (measure != NULL, CAIRN_MEASURE_ALERT_NONE);

  instrument = cairn_instrument_find (measure->instrument);
  if (instrument == NULL || measure->answers == NULL)
    return CAIRN_MEASURE_ALERT_NONE;
  return cairn_instrument_alerts (instrument, (const int *) measure->answers->data, measure->answers->len);
}

/**
 * cairn_measure_has_item9_alert:
 * @measure: a measure
 *
 * Returns: whether @measure is a PHQ-9 whose item 9 (thoughts of being
 *   better off dead or of self-harm) is answered above "Not at all",
 *   complete or not: it needs follow-up
 */
gboolean
cairn_measure_has_item9_alert (const CairnMeasure *measure)
{
  g_return_val_if_fail (measure != NULL, FALSE);

  return (cairn_measure_alerts (measure) & CAIRN_MEASURE_ALERT_ITEM9) != 0;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

static char *
answers_to_json (GArray *answers)
{
  GString *json;

  if (answers == NULL)
    return NULL;
  json = g_string_new ("[");
  for (guint i = 0; i < answers->len; i++)
    g_string_append_printf (json, "%s%d", i > 0 ? "," : "", g_array_index (answers, int, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static GArray *
answers_from_json (const char  *json,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) answers = NULL;
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    goto damaged;

  array = json_node_get_array (root);
  answers = g_array_sized_new (FALSE, FALSE, sizeof (int), json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gint64 value;
      int item;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        goto damaged;
      value = json_node_get_int (node);
      if (value < -1 || value > 100)
        goto damaged;
      item = (int) value;
      g_array_append_val (answers, item);
    }
  return g_steal_pointer (&answers);

damaged:
  g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
               _("The answers of a stored measure cannot be read."));
  return NULL;
}

#define MEASURE_COLUMNS \
  "id, patient_id, instrument, taken_on, complete, answers, total, timepoint, note," \
  " created_at, updated_at, author, updated_by"

static CairnMeasure *
read_row (CairnRows  *rows,
          GError    **error)
{
  g_autoptr(CairnMeasure) measure = g_new0 (CairnMeasure, 1);

  measure->id = cairn_rows_dup (rows, 0);
  measure->patient_id = cairn_rows_dup (rows, 1);
  measure->instrument = cairn_rows_dup (rows, 2);
  measure->taken_on = cairn_rows_dup (rows, 3);
  measure->complete = cairn_rows_int (rows, 4) != 0;
  if (!cairn_rows_is_null (rows, 5))
    {
      measure->answers = answers_from_json (cairn_rows_text (rows, 5), error);
      if (measure->answers == NULL)
        return NULL;
    }
  measure->total = !cairn_rows_is_null (rows, 6) ? cairn_rows_int (rows, 6) : -1;
  measure->timepoint = cairn_rows_dup (rows, 7);
  measure->note = cairn_rows_dup (rows, 8);
  measure->created_at = cairn_rows_dup (rows, 9);
  measure->updated_at = cairn_rows_dup (rows, 10);
  measure->author = cairn_rows_dup (rows, 11);
  measure->updated_by = cairn_rows_dup (rows, 12);
  return g_steal_pointer (&measure);
}

typedef struct
{
  const char *key;       /* patient id, or measure id */
  const char *user_id;
  GPtrArray  *found;
} ReadData;

static gboolean
read_rows (CairnDatabase  *db,
           const char     *sql,
           const char     *key,
           GPtrArray      *found,
           GError        **error)
{
  g_autoptr(CairnRows) rows = cairn_rows_prepare (db, sql, error);

  if (rows == NULL)
    return FALSE;
  cairn_rows_bind_text (rows, 1, key);
  while (cairn_rows_next (rows))
    {
      CairnMeasure *measure = read_row (rows, error);

      if (measure == NULL)
        return FALSE;
      g_ptr_array_add (found, measure);
    }
  return cairn_rows_finish (rows, error);
}

static gboolean
list_cb (CairnDatabase  *db,
         gpointer        user_data,
         GError        **error)
{
  ReadData *data = user_data;

  return read_rows (db,
                    "SELECT " MEASURE_COLUMNS " FROM measures"
                    " WHERE patient_id = ?1 AND deleted_at IS NULL"
                    " ORDER BY taken_on, created_at, id",
                    data->key, data->found, error) &&
         cairn_audit_append (db, data->user_id, "measures.read", data->key, NULL, error);
}

/**
 * cairn_measures_list:
 * @clinical: clinical.db
 * @patient_id: whose
 * @user_id: (nullable): who reads
 * @error: return location for a #GError
 *
 * Reads the patient's measures, oldest first, and records the read in the
 * audit trail in the same transaction.
 *
 * Returns: (transfer container) (element-type CairnMeasure) (nullable):
 *   the measures
 */
GPtrArray *
cairn_measures_list (CairnDatabase  *clinical,
                     const char     *patient_id,
                     const char     *user_id,
                     GError        **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_measure_free);
  ReadData data = { patient_id, user_id, found };

  g_return_val_if_fail (clinical != NULL && patient_id != NULL, NULL);

  if (!cairn_database_transaction (clinical, list_cb, &data, error))
    return NULL;
  return g_steal_pointer (&found);
}

static gboolean
get_cb (CairnDatabase  *db,
        gpointer        user_data,
        GError        **error)
{
  ReadData *data = user_data;

  if (!read_rows (db, "SELECT " MEASURE_COLUMNS " FROM measures WHERE id = ?1 AND deleted_at IS NULL",
                  data->key, data->found, error))
    return FALSE;
  if (data->found->len == 0)
    {
      g_set_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_NOT_FOUND,
                   _("This measure is no longer in the vault."));
      return FALSE;
    }
  return cairn_audit_append (db, data->user_id, "measure.read", data->key, NULL, error);
}

/**
 * cairn_measures_get:
 * @clinical: clinical.db
 * @id: a measure's id
 * @user_id: (nullable): who reads
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the measure; %NULL with
 *   %CAIRN_MEASURES_ERROR_NOT_FOUND when there is none (or it was deleted)
 */
CairnMeasure *
cairn_measures_get (CairnDatabase  *clinical,
                    const char     *id,
                    const char     *user_id,
                    GError        **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_measure_free);
  ReadData data = { id, user_id, found };

  g_return_val_if_fail (clinical != NULL && id != NULL, NULL);

  if (!cairn_database_transaction (clinical, get_cb, &data, error))
    return NULL;
  return g_ptr_array_steal_index (found, 0);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

typedef struct
{
  CairnMeasure *measure;
  const char   *user_id;
  gboolean      is_new;
} SaveData;

static gboolean
save_cb (CairnDatabase  *db,
         gpointer        user_data,
         GError        **error)
{
  SaveData *data = user_data;
  CairnMeasure *m = data->measure;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *answers = answers_to_json (m->answers);
  g_autofree char *total = m->total >= 0 ? g_strdup_printf ("%d", m->total) : NULL;
  const char *values[] = {
    m->id, m->patient_id, m->instrument, m->taken_on, m->complete ? "1" : "0",
    answers, total, m->timepoint, m->note, now, data->user_id,
  };
  const char *sql;

  sql = data->is_new
        ? "INSERT INTO measures (id, patient_id, instrument, taken_on, complete, answers, total,"
          " timepoint, note, created_at, updated_at, author, updated_by)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?11)"
        /* Who recorded it first stays: the change is the updater's. */
        : "UPDATE measures SET taken_on = ?4, complete = ?5, answers = ?6, total = ?7, timepoint = ?8,"
          " note = ?9, updated_at = ?10, updated_by = ?11"
          " WHERE id = ?1 AND patient_id = ?2 AND instrument = ?3 AND deleted_at IS NULL";

  if (!cairn_database_run (db, sql, values, G_N_ELEMENTS (values), error))
    return FALSE;
  if (!data->is_new && sqlite3_changes (cairn_database_get_handle (db)) == 0)
    {
      g_set_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_NOT_FOUND,
                   _("This measure is no longer in the vault."));
      return FALSE;
    }
  if (!cairn_audit_append (db, data->user_id, data->is_new ? "measure.create" : "measure.update",
                           m->id, m->instrument, error))
    return FALSE;

  if (data->is_new)
    {
      m->created_at = g_strdup (now);
      g_free (m->author);
      m->author = g_strdup (data->user_id);
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      g_free (m->created_at);
      m->created_at = cairn_database_query_text (db, "SELECT created_at FROM measures WHERE id = ?",
                                                 (const char *[]) { m->id }, 1, &local_error);
      g_free (m->author);
      if (local_error == NULL)
        m->author = cairn_database_query_text (db, "SELECT author FROM measures WHERE id = ?",
                                               (const char *[]) { m->id }, 1, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  g_free (m->updated_at);
  m->updated_at = g_steal_pointer (&now);
  g_free (m->updated_by);
  m->updated_by = g_strdup (data->user_id);
  return TRUE;
}

static char *
strip_or_null (const char *text)
{
  if (cairn_text_is_blank (text))
    return NULL;
  return g_strstrip (g_strdup (text));
}

/**
 * cairn_measures_save:
 * @clinical: clinical.db
 * @draft: the measure; a new one (no id) is given one
 * @user_id: (nullable): who saves
 * @out_id: (out) (optional) (transfer full): the measure's id
 * @field_problems: (out) (optional) (transfer container) (element-type CairnFieldProblem):
 *   what is wrong, when it is refused
 * @error: return location for a #GError
 *
 * Validates @draft as a whole (see cairn_measure_validate()); with any
 * problem, writes nothing and fails with %CAIRN_MEASURES_ERROR_INVALID and
 * the first problem's words. Otherwise computes the total (an incomplete
 * form keeps none), writes the measure and its audit entry in one
 * transaction, and only then updates @draft.
 *
 * Returns: %TRUE when saved
 */
gboolean
cairn_measures_save (CairnDatabase  *clinical,
                     CairnMeasure   *draft,
                     const char     *user_id,
                     char          **out_id,
                     GPtrArray     **field_problems,
                     GError        **error)
{
  g_autoptr(CairnMeasure) work = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *today_text = NULL;
  GDate today, taken;
  SaveData data;

  g_return_val_if_fail (clinical != NULL && draft != NULL, FALSE);

  work = cairn_measure_copy (draft);
  g_free (work->timepoint);
  work->timepoint = strip_or_null (draft->timepoint);
  g_free (work->note);
  work->note = strip_or_null (draft->note);
  if (work->taken_on != NULL)
    g_strstrip (work->taken_on);

  /* "Not in the future" is the practice's today, wherever the machine is. */
  today_text = cairn_database_today (clinical);
  if (!cairn_record_parse_day (today_text, &today))
    g_return_val_if_reached (FALSE);
  problems = cairn_measure_validate (work, &today);
  if (problems->len > 0)
    {
      const CairnFieldProblem *first = g_ptr_array_index (problems, 0);

      g_set_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_INVALID, "%s", first->message);
      if (field_problems != NULL)
        *field_problems = g_steal_pointer (&problems);
      return FALSE;
    }

  /* The day is written the one way the vault keeps it. */
  if (cairn_record_parse_day (work->taken_on, &taken))
    {
      g_free (work->taken_on);
      work->taken_on = cairn_record_format_day (&taken);
    }

  if (work->complete)
    {
      CairnScore score;

      if (!cairn_measure_score (work, &score))
        g_assert_not_reached ();  /* validated above */
      work->total = score.total;
    }
  else
    work->total = -1;

  data.is_new = work->id == NULL;
  if (data.is_new)
    work->id = cairn_record_new_id ();
  data.measure = work;
  data.user_id = user_id;
  if (!cairn_database_transaction (clinical, save_cb, &data, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = g_strdup (work->id);
  if (field_problems != NULL)
    *field_problems = NULL;

  /* Only now, when it is in the vault, does the caller's copy change. */
  g_free (draft->id);
  draft->id = g_strdup (work->id);
  g_free (draft->created_at);
  draft->created_at = g_strdup (work->created_at);
  g_free (draft->updated_at);
  draft->updated_at = g_strdup (work->updated_at);
  g_free (draft->author);
  draft->author = g_strdup (work->author);
  g_free (draft->updated_by);
  draft->updated_by = g_strdup (work->updated_by);
  g_free (draft->taken_on);
  draft->taken_on = g_strdup (work->taken_on);
  g_free (draft->timepoint);
  draft->timepoint = g_strdup (work->timepoint);
  g_free (draft->note);
  draft->note = g_strdup (work->note);
  draft->total = work->total;
  return TRUE;
}

typedef struct
{
  const char *id;
  const char *reason;
  const char *user_id;
} DeleteData;

static gboolean
delete_cb (CairnDatabase  *db,
           gpointer        user_data,
           GError        **error)
{
  DeleteData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();
  const char *values[] = { now, data->reason, data->user_id, data->id };

  if (!cairn_database_run (db,
                           "UPDATE measures SET deleted_at = ?1, deleted_reason = ?2, updated_at = ?1,"
                           " updated_by = ?3, deleted_by = ?3 WHERE id = ?4 AND deleted_at IS NULL",
                           values, G_N_ELEMENTS (values), error))
    return FALSE;
  if (sqlite3_changes (cairn_database_get_handle (db)) == 0)
    {
      g_set_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_NOT_FOUND,
                   _("This measure is no longer in the vault."));
      return FALSE;
    }
  return cairn_audit_append (db, data->user_id, "measure.delete", data->id, data->reason, error);
}

/**
 * cairn_measures_delete:
 * @clinical: clinical.db
 * @id: the measure
 * @reason: why; required, kept with the record and in the audit trail
 * @user_id: (nullable): who deletes
 * @error: return location for a #GError
 *
 * Marks a measure deleted: it is kept, but no longer listed or charted.
 *
 * Returns: whether it was deleted
 */
gboolean
cairn_measures_delete (CairnDatabase  *clinical,
                       const char     *id,
                       const char     *reason,
                       const char     *user_id,
                       GError        **error)
{
  g_autofree char *stripped = NULL;
  DeleteData data;

  g_return_val_if_fail (clinical != NULL && id != NULL, FALSE);

  stripped = strip_or_null (reason);
  if (stripped == NULL)
    {
      g_set_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_INVALID,
                   _("Say why this measure is deleted."));
      return FALSE;
    }
  if (!g_utf8_validate (stripped, -1, NULL) || g_utf8_strlen (stripped, -1) > MAX_NOTE_CHARS)
    {
      g_set_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_INVALID,
                   _("The reason can be at most %u characters long."), MAX_NOTE_CHARS);
      return FALSE;
    }

  data.id = id;
  data.reason = stripped;
  data.user_id = user_id;
  return cairn_database_transaction (clinical, delete_cb, &data, error);
}

/* ------------------------------------------------------------------------ */
/* For the charts                                                            */

/**
 * cairn_measures_chart_points:
 * @measures: (element-type CairnMeasure): measures, oldest first
 * @instrument: an instrument id
 *
 * Returns: (transfer full) (element-type CairnChartPoint): the complete,
 *   scored measures of @instrument, oldest first
 */
GArray *
cairn_measures_chart_points (GPtrArray  *measures,
                             const char *instrument)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (CairnChartPoint));

  g_return_val_if_fail (measures != NULL && instrument != NULL, points);

  for (guint i = 0; i < measures->len; i++)
    {
      const CairnMeasure *m = g_ptr_array_index (measures, i);
      CairnChartPoint point;
      GDate day;

      if (!m->complete || m->total < 0 || g_strcmp0 (m->instrument, instrument) != 0 ||
          !cairn_record_parse_day (m->taken_on, &day))
        continue;
      point.julian = g_date_get_julian (&day);
      point.total = m->total;
      g_array_append_val (points, point);
    }
  return points;
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/**
 * cairn_measures_session_days:
 * @practice: practice.db
 * @protocol: the protocol template (for which types are medicine sessions)
 * @patient_id: whose
 * @now: UTC seconds
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type guint32) (nullable): the
 *   practice-local days of the patient's medicine sessions that took place,
 *   oldest first
 */
GArray *
cairn_measures_session_days (CairnDatabase       *practice,
                             const CairnProtocol *protocol,
                             const char          *patient_id,
                             gint64               now,
                             GError             **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *zone_id = NULL;
  g_autoptr(GError) local_error = NULL;
  GArray *days;

  g_return_val_if_fail (practice != NULL && protocol != NULL && patient_id != NULL, NULL);

  zone_id = cairn_database_query_text (practice, "SELECT time_zone FROM practice LIMIT 1", NULL, 0, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  zone = zone_id != NULL ? g_time_zone_new_identifier (zone_id) : NULL;
  if (zone == NULL)
    zone = g_time_zone_new_local ();

  items = cairn_agenda_list_for_patient (practice, patient_id, 0, G_MAXINT, error);
  if (items == NULL)
    return NULL;

  days = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (items, i);
      const CairnAppointmentType *type = cairn_protocol_find_type (protocol, item->appointment->type_id);
      g_autoptr(GDateTime) at = NULL;
      g_autoptr(GDateTime) local = NULL;
      GDate day;
      guint32 julian;

      if (type == NULL || type->phase != CAIRN_PHASE_MEDICINE_SESSION ||
          !cairn_appointment_took_place (item->appointment, now))
        continue;
      at = g_date_time_new_from_unix_utc (item->appointment->start);
      local = g_date_time_to_timezone (at, zone);
      g_date_clear (&day, 1);
      g_date_set_dmy (&day, (GDateDay) g_date_time_get_day_of_month (local),
                      (GDateMonth) g_date_time_get_month (local), (GDateYear) g_date_time_get_year (local));
      julian = g_date_get_julian (&day);
      g_array_append_val (days, julian);
    }
  g_array_sort (days, compare_days);
  return days;
}
