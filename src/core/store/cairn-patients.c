/* cairn-patients.c
 *
 * The patient registry in practice.db: who the practice's patients are and
 * how to reach them. Validation is a pure function the forms call as the
 * user types and the store calls again before writing; every write is one
 * transaction with its audit entry. Search runs on an FTS5 index with
 * prefix indexes, so that it stays instant with tens of thousands of
 * patients.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-patients.h"
#include "cairn-rows.h"
#include "cairn-records.h"

G_DEFINE_QUARK (cairn-patient-error-quark, cairn_patient_error)

/* The text members of CairnPatient that the table stores, in column order. */
static const struct
{
  const char *column;
  gsize       offset;
  guint       max_chars;
} columns[] = {
  { "id", G_STRUCT_OFFSET (CairnPatient, id), 64 },
  { "chart_number", G_STRUCT_OFFSET (CairnPatient, chart_number), 20 },
  { "legal_name", G_STRUCT_OFFSET (CairnPatient, legal_name), 200 },
  { "preferred_name", G_STRUCT_OFFSET (CairnPatient, preferred_name), 200 },
  { "pronouns", G_STRUCT_OFFSET (CairnPatient, pronouns), 40 },
  { "date_of_birth", G_STRUCT_OFFSET (CairnPatient, date_of_birth), 10 },
  { "phone", G_STRUCT_OFFSET (CairnPatient, phone), 40 },
  { "email", G_STRUCT_OFFSET (CairnPatient, email), 254 },
  { "address", G_STRUCT_OFFSET (CairnPatient, address), 1000 },
  { "emergency_contact", G_STRUCT_OFFSET (CairnPatient, emergency_contact), 1000 },
  { "support_person", G_STRUCT_OFFSET (CairnPatient, support_person), 1000 },
  { "referring_clinician", G_STRUCT_OFFSET (CairnPatient, referring_clinician), 1000 },
  { "front_desk_notes", G_STRUCT_OFFSET (CairnPatient, front_desk_notes), 10000 },
  { "archived_at", G_STRUCT_OFFSET (CairnPatient, archived_at), 64 },
  { "updated_at", G_STRUCT_OFFSET (CairnPatient, updated_at), 64 },
};

#define MEMBER(patient, i) (*(char **) G_STRUCT_MEMBER_P ((patient), columns[i].offset))

CairnPatient *
cairn_patient_new (void)
{
  return g_new0 (CairnPatient, 1);
}

CairnPatient *
cairn_patient_copy (const CairnPatient *patient)
{
  CairnPatient *copy = cairn_patient_new ();

  g_return_val_if_fail (patient != NULL, copy);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    MEMBER (copy, i) = g_strdup (MEMBER ((CairnPatient *) patient, i));
  return copy;
}

void
cairn_patient_free (CairnPatient *patient)
{
  if (patient == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_free (MEMBER (patient, i));
  g_free (patient);
}

void
cairn_patient_summary_free (CairnPatientSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->id);
  g_free (summary->chart_number);
  g_free (summary->legal_name);
  g_free (summary->preferred_name);
  g_free (summary->date_of_birth);
  g_free (summary->phone);
  g_free (summary);
}

/* ------------------------------------------------------------------------ */
/* Validation                                                                */

/**
 * cairn_phone_digits:
 * @phone: (nullable): a phone number as typed
 *
 * Returns: (transfer full) (nullable): its digits alone (a leading + kept),
 *   or %NULL when it has none
 */
char *
cairn_phone_digits (const char *phone)
{
  GString *digits;

  if (phone == NULL)
    return NULL;

  digits = g_string_new (NULL);
  for (const char *p = phone; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  if (digits->len == 0)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }
  return g_string_free (digits, FALSE);
}

/* Digits only: "1984- 3-27" is not a date, whatever sscanf thinks. */
static gboolean
parse_iso_date (const char *text,
                GDate      *date)
{
  return cairn_record_parse_day (text, date);
}

/**
 * cairn_patient_age:
 * @date_of_birth: (nullable): "YYYY-MM-DD"
 * @today: the date to count to
 *
 * Returns: the age in whole years on @today, or -1 when the date of birth
 *   is missing or not a date
 */
int
cairn_patient_age (const char *date_of_birth,
                   GDate      *today)
{
  GDate born;
  int age;

  g_return_val_if_fail (today != NULL && g_date_valid (today), -1);

  if (!parse_iso_date (date_of_birth, &born) || g_date_compare (&born, today) > 0)
    return -1;

  age = g_date_get_year (today) - g_date_get_year (&born);
  if (g_date_get_month (today) < g_date_get_month (&born) ||
      (g_date_get_month (today) == g_date_get_month (&born) && g_date_get_day (today) < g_date_get_day (&born)))
    age--;
  return age;
}

static gboolean
email_is_plausible (const char *email)
{
  const char *at = strchr (email, '@');
  const char *dot;

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>')
      return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && dot[1] != '.';
}

/**
 * cairn_patient_validate:
 * @patient: what the form holds
 * @today: the date to check dates against
 *
 * Checks every field, and says for each problem which field it is and what
 * to do about it. A pure function: the form calls it as the user types, and
 * the store again before writing.
 *
 * Returns: (transfer container) (element-type CairnFieldProblem): the
 *   problems, empty when there are none
 */
GPtrArray *
cairn_patient_validate (const CairnPatient *patient,
                        GDate              *today)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  GDate born;

  g_return_val_if_fail (patient != NULL && today != NULL, problems);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const char *value = MEMBER ((CairnPatient *) patient, i);

      if (value != NULL && !g_utf8_validate (value, -1, NULL))
        cairn_field_problem_add (problems, columns[i].column, g_strdup (_("This is not valid text.")));
      else if (value != NULL && g_utf8_strlen (value, -1) > (glong) columns[i].max_chars)
        cairn_field_problem_add (problems, columns[i].column,
                                 g_strdup_printf (_("This can be at most %u characters long."), columns[i].max_chars));
    }
  if (problems->len > 0)
    return problems;

  if (cairn_text_is_blank (patient->legal_name))
    cairn_field_problem_add (problems, "legal_name", g_strdup (_("Enter the patient’s legal name.")));

  if (cairn_text_is_blank (patient->date_of_birth))
    cairn_field_problem_add (problems, "date_of_birth", g_strdup (_("Enter the date of birth, such as 1984-03-27.")));
  else if (!parse_iso_date (patient->date_of_birth, &born))
    cairn_field_problem_add (problems, "date_of_birth",
                             g_strdup_printf (_("“%s” is not a date. Write it as year-month-day, such as 1984-03-27."),
                                              patient->date_of_birth));
  else if (g_date_compare (&born, today) > 0)
    cairn_field_problem_add (problems, "date_of_birth", g_strdup (_("The date of birth is in the future.")));
  else if (g_date_get_year (&born) < 1900)
    cairn_field_problem_add (problems, "date_of_birth", g_strdup (_("The date of birth is before 1900: check the year.")));

  if (!cairn_text_is_blank (patient->email) && !email_is_plausible (patient->email))
    cairn_field_problem_add (problems, "email",
                             g_strdup (_("This does not look like an email address, such as name@example.org.")));

  if (!cairn_text_is_blank (patient->phone))
    {
      g_autofree char *digits = cairn_phone_digits (patient->phone);
      gboolean other = FALSE;

      for (const char *p = patient->phone; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p) && strchr (" +-()/.", *p) == NULL)
          other = TRUE;
      if (other)
        cairn_field_problem_add (problems, "phone", g_strdup (_("A phone number has digits, spaces and + - ( ) / only.")));
      else if (digits == NULL || strlen (digits) < 6 || strlen (digits) > 20)
        cairn_field_problem_add (problems, "phone", g_strdup (_("A phone number has 6 to 20 digits.")));
    }

  if (cairn_text_is_blank (patient->chart_number))
    cairn_field_problem_add (problems, "chart_number", g_strdup (_("Enter a chart number, or keep the one suggested.")));
  else
    for (const char *p = patient->chart_number; *p != '\0'; p++)
      if (!g_ascii_isalnum (*p) && *p != '-')
        {
          cairn_field_problem_add (problems, "chart_number",
                                   g_strdup (_("A chart number has letters, digits and hyphens only.")));
          break;
        }

  return problems;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

/**
 * cairn_patients_get:
 * @db: practice.db
 * @id: a patient's id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the patient
 */
CairnPatient *
cairn_patients_get (CairnDatabase  *db,
                    const char     *id,
                    GError        **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(CairnPatient) patient = NULL;
  g_autoptr(CairnRows) rows = NULL;

  g_return_val_if_fail (db != NULL && id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", columns[i].column);
  g_string_append (sql, " FROM patients WHERE id = ?");

  rows = cairn_rows_prepare (db, sql->str, error);
  if (rows == NULL)
    return NULL;
  cairn_rows_bind_text (rows, 1, id);
  if (cairn_rows_next (rows))
    {
      patient = cairn_patient_new ();
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        MEMBER (patient, i) = cairn_rows_dup (rows, (int) i);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  if (patient == NULL)
    {
      g_set_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_NOT_FOUND,
                   _("This patient is no longer in the vault."));
      return NULL;
    }
  return g_steal_pointer (&patient);
}

static GPtrArray *
collect_summaries (CairnRows  *rows,
                   GError    **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_patient_summary_free);

  while (cairn_rows_next (rows))
    {
      CairnPatientSummary *summary = g_new0 (CairnPatientSummary, 1);

      summary->id = cairn_rows_dup (rows, 0);
      summary->chart_number = cairn_rows_dup (rows, 1);
      summary->legal_name = cairn_rows_dup (rows, 2);
      summary->preferred_name = cairn_rows_dup (rows, 3);
      summary->date_of_birth = cairn_rows_dup (rows, 4);
      summary->phone = cairn_rows_dup (rows, 5);
      summary->archived = !cairn_rows_is_null (rows, 6);
      g_ptr_array_add (found, summary);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  return g_steal_pointer (&found);
}

#define SUMMARY_COLUMNS \
  "p.id, p.chart_number, p.legal_name, p.preferred_name, p.date_of_birth, p.phone, p.archived_at"

/* Each word the user typed becomes a prefix term; characters that mean
 * something to FTS5 cannot reach it, because every term is quoted and only
 * letters and digits go into one. */
static char *
build_match (const char *query)
{
  g_autofree char *folded = g_utf8_casefold (query, -1);
  GString *match = g_string_new (NULL);
  GString *term = g_string_new (NULL);

  for (const char *p = folded; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (term, c);
          continue;
        }
      if (term->len > 0)
        {
          g_string_append_printf (match, "%s\"%s\"*", match->len > 0 ? " AND " : "", term->str);
          g_string_truncate (term, 0);
        }
      if (c == 0)
        break;
    }
  g_string_free (term, TRUE);

  return g_string_free (match, match->len == 0);
}

/**
 * cairn_patients_search:
 * @db: practice.db
 * @query: what was typed: parts of names, a chart number, a phone number
 * @include_archived: whether archived patients count
 * @limit: how many at most
 * @error: return location for a #GError
 *
 * Every word typed must begin a word of the patient's names, chart number
 * or phone digits ("ada qu" finds Ada Quell). Best matches first: a name
 * that begins with the query, then by relevance, then by name. An empty
 * query lists patients by name.
 *
 * Returns: (transfer container) (element-type CairnPatientSummary) (nullable):
 *   the patients found
 */
GPtrArray *
cairn_patients_search (CairnDatabase  *db,
                       const char     *query,
                       gboolean        include_archived,
                       guint           limit,
                       GError        **error)
{
  return cairn_patients_search_filtered (db, query, include_archived, NULL, limit, error);
}

/* Where a patient is now: the kind of their next appointment still to
 * come, compared with the filter's kinds (a JSON array); or that nothing
 * is booked for them at all. */
#define PHASE_FILTER \
  " AND (?6 IS NULL OR" \
  "      (?8 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id" \
  "                          AND a.status IN ('booked', 'checked-in') AND a.end_utc > ?7))" \
  "      OR (SELECT a.type_id FROM appointments a WHERE a.patient_id = p.id" \
  "          AND a.status IN ('booked', 'checked-in') AND a.end_utc > ?7" \
  "          ORDER BY a.start_utc LIMIT 1) IN (SELECT value FROM json_each (?6)))"

/**
 * cairn_patients_search_filtered:
 * @db: practice.db
 * @query: (nullable): what was typed
 * @include_archived: whether archived patients are found too
 * @filter: (nullable): only patients whose next appointment is of one of
 *   these kinds, or who have nothing booked
 * @limit: how many at most, 0 for all
 * @error: return location for a #GError
 *
 * As cairn_patients_search(), narrowed to where patients are in their
 * course: the phase of their next appointment.
 *
 * Returns: (transfer container) (element-type CairnPatientSummary) (nullable):
 *   the patients found, best first
 */
GPtrArray *
cairn_patients_search_filtered (CairnDatabase            *db,
                                const char               *query,
                                gboolean                  include_archived,
                                const CairnPatientFilter *filter,
                                guint                     limit,
                                GError                  **error)
{
  g_autofree char *match = NULL;
  g_autofree char *starts = NULL;
  g_autofree char *kinds = NULL;
  g_autoptr(CairnRows) rows = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  match = query != NULL ? build_match (query) : NULL;
  if (match == NULL)
    {
      rows = cairn_rows_prepare (db,
                                 "SELECT " SUMMARY_COLUMNS " FROM patients p"
                                 " WHERE (?1 OR p.archived_at IS NULL)" PHASE_FILTER
                                 " ORDER BY p.legal_name COLLATE NOCASE, p.id LIMIT ?2",
                                 error);
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (query, -1);

      starts = g_strconcat (g_strstrip (folded), "%", NULL);
      rows = cairn_rows_prepare (db,
                                 "SELECT " SUMMARY_COLUMNS " FROM patient_search s"
                                 " JOIN patients p ON p.rowid = s.rowid"
                                 " WHERE patient_search MATCH ?3 AND (?1 OR p.archived_at IS NULL)" PHASE_FILTER
                                 " ORDER BY (lower (p.legal_name) LIKE ?4 OR lower (p.preferred_name) LIKE ?4"
                                 "           OR lower (p.chart_number) = lower (?5)) DESC,"
                                 "          bm25 (patient_search, 10.0, 5.0, 1.0),"
                                 "          p.legal_name COLLATE NOCASE, p.id"
                                 " LIMIT ?2",
                                 error);
    }
  if (rows == NULL)
    return NULL;

  cairn_rows_bind_int64 (rows, 1, include_archived);
  cairn_rows_bind_int64 (rows, 2, limit > 0 ? limit : G_MAXINT);
  if (match != NULL)
    {
      cairn_rows_bind_text (rows, 3, match);
      cairn_rows_bind_text (rows, 4, starts);
      cairn_rows_bind_text (rows, 5, query);
    }
  if (filter != NULL)
    {
      g_autoptr(GString) json = g_string_new ("[");

      for (guint i = 0; filter->type_ids != NULL && filter->type_ids[i] != NULL; i++)
        {
          g_autofree char *quoted = g_strescape (filter->type_ids[i], NULL);

          g_string_append_printf (json, "%s\"%s\"", i > 0 ? "," : "", quoted);
        }
      g_string_append_c (json, ']');
      kinds = g_string_free (g_steal_pointer (&json), FALSE);
      cairn_rows_bind_text (rows, 6, kinds);
      cairn_rows_bind_int64 (rows, 7, filter->now);
      cairn_rows_bind_int64 (rows, 8, filter->nothing_booked);
    }
  return collect_summaries (rows, error);
}

/**
 * cairn_patients_find_duplicates:
 * @db: practice.db
 * @patient: a patient about to be saved
 * @error: return location for a #GError
 *
 * Other patients who are likely the same person: the same legal name and
 * date of birth, or the same phone number. Archived ones count too: a
 * returning patient should get their old record back, not a second one.
 *
 * Returns: (transfer container) (element-type CairnPatientSummary) (nullable):
 *   the likely duplicates
 */
GPtrArray *
cairn_patients_find_duplicates (CairnDatabase       *db,
                                const CairnPatient  *patient,
                                GError             **error)
{
  g_autofree char *name = NULL;
  g_autofree char *digits = NULL;
  g_autoptr(CairnRows) rows = NULL;

  g_return_val_if_fail (db != NULL && patient != NULL, NULL);

  name = patient->legal_name != NULL ? g_strstrip (g_utf8_casefold (patient->legal_name, -1)) : NULL;
  digits = cairn_phone_digits (patient->phone);
  if (digits != NULL && strlen (digits) < 6)
    g_clear_pointer (&digits, g_free);

  rows = cairn_rows_prepare (db,
                             "SELECT " SUMMARY_COLUMNS " FROM patients p"
                             " WHERE p.id IS NOT ?1 AND"
                             " ((?2 IS NOT NULL AND ?3 IS NOT NULL AND lower (trim (p.legal_name)) = ?2"
                             "   AND p.date_of_birth = ?3)"
                             "  OR (?4 IS NOT NULL AND p.phone_digits = ?4))"
                             " ORDER BY p.legal_name COLLATE NOCASE LIMIT 20",
                             error);
  if (rows == NULL)
    return NULL;
  cairn_rows_bind_text (rows, 1, patient->id);
  cairn_rows_bind_text (rows, 2, name);
  cairn_rows_bind_text (rows, 3, patient->date_of_birth);
  cairn_rows_bind_text (rows, 4, digits);
  return collect_summaries (rows, error);
}

/**
 * cairn_patients_next_chart_number:
 * @db: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the next free chart number of the
 *   form C-000123, to suggest for a new patient
 */
char *
cairn_patients_next_chart_number (CairnDatabase  *db,
                                  GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *last = cairn_database_query_text (db,
                                                     "SELECT max (CAST (substr (chart_number, 3) AS INTEGER))"
                                                     " FROM patients WHERE chart_number GLOB 'C-[0-9]*'",
                                                     NULL, 0, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_strdup_printf ("C-%06" G_GINT64_FORMAT, (last != NULL ? g_ascii_strtoll (last, NULL, 10) : 0) + 1);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

typedef struct
{
  CairnPatient *patient;
  const char   *user_id;
  gboolean      is_new;
} SaveData;

static char *
blank_to_null (char *text)
{
  if (cairn_text_is_blank (text))
    {
      g_free (text);
      return NULL;
    }
  return g_strstrip (text);
}

static gboolean
save_cb (CairnDatabase  *db,
         gpointer        user_data,
         GError        **error)
{
  SaveData *data = user_data;
  CairnPatient *p = data->patient;
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *digits = cairn_phone_digits (p->phone);
  g_autofree char *holder = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *values[16];
  guint n = 0;
  const char *sql;

  holder = cairn_database_query_text (db,
                                      "SELECT legal_name FROM patients"
                                      " WHERE chart_number = ? COLLATE NOCASE AND id IS NOT ?",
                                      (const char *[]) { p->chart_number, p->id }, 2, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (holder != NULL)
    {
      g_set_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_CHART_TAKEN,
                   _("Chart number %s already belongs to %s."), p->chart_number, holder);
      return FALSE;
    }

  values[n++] = p->chart_number;
  values[n++] = p->legal_name;
  values[n++] = p->preferred_name;
  values[n++] = p->pronouns;
  values[n++] = p->date_of_birth;
  values[n++] = p->phone;
  values[n++] = digits;
  values[n++] = p->email;
  values[n++] = p->address;
  values[n++] = p->emergency_contact;
  values[n++] = p->support_person;
  values[n++] = p->referring_clinician;
  values[n++] = p->front_desk_notes;
  values[n++] = now;
  values[n++] = data->user_id;
  values[n++] = p->id;

  sql = data->is_new
        ? "INSERT INTO patients (chart_number, legal_name, preferred_name, pronouns, date_of_birth, phone,"
          " phone_digits, email, address, emergency_contact, support_person, referring_clinician,"
          " front_desk_notes, updated_at, author, id, created_at)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?14)"
        : "UPDATE patients SET chart_number = ?1, legal_name = ?2, preferred_name = ?3, pronouns = ?4,"
          " date_of_birth = ?5, phone = ?6, phone_digits = ?7, email = ?8, address = ?9,"
          " emergency_contact = ?10, support_person = ?11, referring_clinician = ?12,"
          " front_desk_notes = ?13, updated_at = ?14, author = ?15 WHERE id = ?16";

  if (!cairn_database_run (db, sql, values, n, error))
    return FALSE;
  if (!data->is_new && sqlite3_changes (cairn_database_get_handle (db)) == 0)
    {
      g_set_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_NOT_FOUND,
                   _("This patient is no longer in the vault."));
      return FALSE;
    }

  /* The audit trail names the record, never what it holds. */
  if (!cairn_audit_append (db, data->user_id, data->is_new ? "patient.create" : "patient.update",
                           p->id, NULL, error))
    return FALSE;

  g_free (p->updated_at);
  p->updated_at = g_steal_pointer (&now);
  return TRUE;
}

/**
 * cairn_patients_save:
 * @db: practice.db
 * @patient: the patient; a new one (no id) is given an id, and a chart
 *   number if it has none
 * @user_id: (nullable): who saves
 * @error: return location for a #GError
 *
 * Validates @patient (the first problem becomes the error, with
 * %CAIRN_PATIENT_ERROR_INVALID), then writes it and its audit entry in one
 * transaction. Empty fields are stored as nothing.
 *
 * Returns: %TRUE when saved
 */
gboolean
cairn_patients_save (CairnDatabase  *db,
                     CairnPatient   *patient,
                     const char     *user_id,
                     GError        **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *chart = NULL;
  g_autoptr(CairnPatient) work = NULL;
  GDate today;
  SaveData data;

  g_return_val_if_fail (db != NULL && patient != NULL, FALSE);

  work = cairn_patient_copy (patient);
  for (guint i = 1; i < G_N_ELEMENTS (columns) - 2; i++)
    MEMBER (work, i) = blank_to_null (MEMBER (work, i));
  if (work->chart_number == NULL && work->id == NULL)
    {
      chart = cairn_patients_next_chart_number (db, error);
      if (chart == NULL)
        return FALSE;
      work->chart_number = g_steal_pointer (&chart);
    }

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
  problems = cairn_patient_validate (work, &today);
  if (problems->len > 0)
    {
      const CairnFieldProblem *first = g_ptr_array_index (problems, 0);

      g_set_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_INVALID, "%s", first->message);
      return FALSE;
    }

  data.is_new = work->id == NULL;
  if (data.is_new)
    work->id = cairn_record_new_id ();
  data.patient = work;
  data.user_id = user_id;
  if (!cairn_database_transaction (db, save_cb, &data, error))
    return FALSE;

  /* Only now, when it is in the vault, does the caller's copy change. */
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_free (MEMBER (patient, i));
      MEMBER (patient, i) = g_steal_pointer (&MEMBER (work, i));
    }
  return TRUE;
}

typedef struct
{
  const char *id;
  gboolean    archived;
  const char *user_id;
} ArchiveData;

static gboolean
archive_cb (CairnDatabase  *db,
            gpointer        user_data,
            GError        **error)
{
  ArchiveData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();
  const char *values[] = { data->archived ? now : NULL, now, data->user_id, data->id };

  if (!cairn_database_run (db, "UPDATE patients SET archived_at = ?, updated_at = ?, author = ? WHERE id = ?",
                           values, G_N_ELEMENTS (values), error))
    return FALSE;
  if (sqlite3_changes (cairn_database_get_handle (db)) == 0)
    {
      g_set_error (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_NOT_FOUND,
                   _("This patient is no longer in the vault."));
      return FALSE;
    }
  return cairn_audit_append (db, data->user_id, data->archived ? "patient.archive" : "patient.restore",
                             data->id, NULL, error);
}

/**
 * cairn_patients_set_archived:
 * @db: practice.db
 * @id: a patient's id
 * @archived: archive (the patient leaves the list and searches) or restore
 * @user_id: (nullable): who does it
 * @error: return location for a #GError
 *
 * Patients are archived, never deleted: their appointments and clinical
 * records still name them.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_patients_set_archived (CairnDatabase  *db,
                             const char     *id,
                             gboolean        archived,
                             const char     *user_id,
                             GError        **error)
{
  ArchiveData data = { id, archived, user_id };

  g_return_val_if_fail (db != NULL && id != NULL, FALSE);

  return cairn_database_transaction (db, archive_cb, &data, error);
}
