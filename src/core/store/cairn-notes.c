/* cairn-notes.c
 *
 * Session notes, their addenda and phone check-ins in clinical.db.
 *
 * A note is one per appointment. It is a draft, saved again and again as
 * the clinician writes, until it is signed; from then on it never changes
 * and only dated, signed addenda can follow it. The vault holds that rule
 * itself (triggers in data/sql/clinical/0003-notes.sql); the checks here
 * come first only to say so in words. Section texts are stored by section
 * id, so a later change to the protocol template loses no text.
 *
 * Every call is one transaction, and every read and write appends its
 * audit entry in it. The audit trail names records, never what they hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-notes.h"
#include "cairn-rows.h"
#include "cairn-records.h"

G_DEFINE_QUARK (cairn-notes-error-quark, cairn_notes_error)

/* Long enough for any session; short enough that a stuck key or a pasted
 * file is refused rather than stored. */
#define MAX_SECTION_CHARS   100000
#define MAX_ATTENDEES_CHARS 1000
#define MAX_ADDENDUM_CHARS  20000
#define MAX_CALL_NOTE_CHARS 2000
/* A call "now" may be stamped by a clock a little ahead of this one. */
#define CALL_CLOCK_SLACK_SECONDS 60

/* ------------------------------------------------------------------------ */
/* Records                                                                   */

static GHashTable *
new_sections (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

CairnNote *
cairn_note_new (void)
{
  CairnNote *note = g_new0 (CairnNote, 1);

  note->state = CAIRN_NOTE_DRAFT;
  note->sections = new_sections ();
  note->addenda = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_note_addendum_free);
  return note;
}

static CairnNoteAddendum *
addendum_copy (const CairnNoteAddendum *addendum)
{
  CairnNoteAddendum *copy = g_new0 (CairnNoteAddendum, 1);

  copy->id = g_strdup (addendum->id);
  copy->text = g_strdup (addendum->text);
  copy->created_at = g_strdup (addendum->created_at);
  copy->author = g_strdup (addendum->author);
  copy->signed_by = g_strdup (addendum->signed_by);
  return copy;
}

CairnNote *
cairn_note_copy (const CairnNote *note)
{
  CairnNote *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (note != NULL, NULL);

  copy = cairn_note_new ();
  copy->id = g_strdup (note->id);
  copy->patient_id = g_strdup (note->patient_id);
  copy->appointment_id = g_strdup (note->appointment_id);
  copy->type_id = g_strdup (note->type_id);
  copy->state = note->state;
  copy->attendees = g_strdup (note->attendees);
  copy->created_at = g_strdup (note->created_at);
  copy->updated_at = g_strdup (note->updated_at);
  copy->author = g_strdup (note->author);
  copy->signed_at = g_strdup (note->signed_at);
  copy->signed_by = g_strdup (note->signed_by);
  copy->updated_by = g_strdup (note->updated_by);
  if (note->sections != NULL)
    {
      g_hash_table_iter_init (&iter, note->sections);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy->sections, g_strdup (key), g_strdup (value));
    }
  for (guint i = 0; note->addenda != NULL && i < note->addenda->len; i++)
    g_ptr_array_add (copy->addenda, addendum_copy (g_ptr_array_index (note->addenda, i)));
  return copy;
}

void
cairn_note_free (CairnNote *note)
{
  if (note == NULL)
    return;
  g_free (note->id);
  g_free (note->patient_id);
  g_free (note->appointment_id);
  g_free (note->type_id);
  g_free (note->attendees);
  g_clear_pointer (&note->sections, g_hash_table_unref);
  g_free (note->created_at);
  g_free (note->updated_at);
  g_free (note->author);
  g_free (note->signed_at);
  g_free (note->signed_by);
  g_free (note->updated_by);
  g_clear_pointer (&note->addenda, g_ptr_array_unref);
  g_free (note);
}

void
cairn_note_addendum_free (CairnNoteAddendum *addendum)
{
  if (addendum == NULL)
    return;
  g_free (addendum->id);
  g_free (addendum->text);
  g_free (addendum->created_at);
  g_free (addendum->author);
  g_free (addendum->signed_by);
  g_free (addendum);
}

void
cairn_note_problem_free (CairnNoteProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

CairnPhoneCheckIn *
cairn_phone_check_in_new (void)
{
  return g_new0 (CairnPhoneCheckIn, 1);
}

CairnPhoneCheckIn *
cairn_phone_check_in_copy (const CairnPhoneCheckIn *check_in)
{
  CairnPhoneCheckIn *copy;

  g_return_val_if_fail (check_in != NULL, NULL);

  copy = cairn_phone_check_in_new ();
  copy->id = g_strdup (check_in->id);
  copy->patient_id = g_strdup (check_in->patient_id);
  copy->appointment_id = g_strdup (check_in->appointment_id);
  copy->reached = check_in->reached;
  copy->note = g_strdup (check_in->note);
  copy->follow_up_action = g_strdup (check_in->follow_up_action);
  copy->called_at = check_in->called_at;
  copy->recorded_by = g_strdup (check_in->recorded_by);
  copy->created_at = g_strdup (check_in->created_at);
  copy->updated_at = g_strdup (check_in->updated_at);
  copy->updated_by = g_strdup (check_in->updated_by);
  return copy;
}

void
cairn_phone_check_in_free (CairnPhoneCheckIn *check_in)
{
  if (check_in == NULL)
    return;
  g_free (check_in->id);
  g_free (check_in->patient_id);
  g_free (check_in->appointment_id);
  g_free (check_in->note);
  g_free (check_in->follow_up_action);
  g_free (check_in->recorded_by);
  g_free (check_in->created_at);
  g_free (check_in->updated_at);
  g_free (check_in->updated_by);
  g_free (check_in);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static gboolean
refuse (GError     **error,
        int          code,
        const char  *message)
{
  g_set_error_literal (error, CAIRN_NOTES_ERROR, code, message);
  return FALSE;
}

static void
add_problem (GPtrArray  *problems,
             const char *field,
             const char *message)
{
  CairnNoteProblem *problem = g_new0 (CairnNoteProblem, 1);

  problem->field = g_strdup (field);
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

static GPtrArray *
new_problems (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_note_problem_free);
}

static char *
sections_to_json (GHashTable *sections)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = NULL;

  /* Sorted, so that the same note is always the same text. */
  keys = g_list_sort (g_hash_table_get_keys (sections), (GCompareFunc) strcmp);
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (sections, l->data));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
sections_from_json (const char  *json,
                    GHashTable  *sections,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!json_parser_load_from_data (parser, json != NULL ? json : "{}", -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                           _("A note in the vault is damaged."));
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      g_hash_table_insert (sections, g_strdup (name), g_strdup (json_node_get_string (value)));
  return TRUE;
}

static gint64
parse_timestamp (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return 0;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

static char *
format_timestamp (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return time != NULL ? cairn_record_timestamp (time) : NULL;
}

/* ------------------------------------------------------------------------ */
/* Pure checks                                                               */

/**
 * cairn_note_check_signable:
 * @sections: (element-type utf8 utf8): section id → text
 * @template_sections: (nullable) (element-type CairnNoteSection): the
 *   sections the protocol template gives the note's appointment type;
 *   %NULL or empty for a note of one free text
 *
 * What stands in the way of signing: a note with no text at all (said at
 * its first section), and each required section that is empty.
 *
 * Returns: (transfer container) (element-type CairnNoteProblem): the
 *   problems, empty when the note may be signed
 */
GPtrArray *
cairn_note_check_signable (GHashTable *sections,
                           GPtrArray  *template_sections)
{
  g_autoptr(GPtrArray) problems = new_problems ();
  const char *first_id = CAIRN_NOTE_FREE_TEXT_SECTION;
  gboolean any_text = FALSE;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (sections != NULL, NULL);

  g_hash_table_iter_init (&iter, sections);
  while (!any_text && g_hash_table_iter_next (&iter, NULL, &value))
    any_text = !cairn_text_is_blank (value);

  if (template_sections != NULL && template_sections->len > 0)
    first_id = ((const CairnNoteSection *) g_ptr_array_index (template_sections, 0))->id;
  if (!any_text)
    add_problem (problems, first_id, _("The note is empty. Write it before signing."));

  for (guint i = 0; template_sections != NULL && i < template_sections->len; i++)
    {
      const CairnNoteSection *section = g_ptr_array_index (template_sections, i);

      if (!section->required || !cairn_text_is_blank (g_hash_table_lookup (sections, section->id)))
        continue;
      if (!any_text && g_strcmp0 (section->id, first_id) == 0)
        continue;
      add_problem (problems, section->id, _("This section must be written before the note is signed."));
    }
  return g_steal_pointer (&problems);
}

/**
 * cairn_phone_check_in_validate:
 * @check_in: a phone check-in about to be recorded
 * @now: the time now, UTC seconds
 *
 * Returns: (transfer container) (element-type CairnNoteProblem): the
 *   problems, each at its field, empty when @check_in may be recorded
 */
GPtrArray *
cairn_phone_check_in_validate (const CairnPhoneCheckIn *check_in,
                               gint64                   now)
{
  g_autoptr(GPtrArray) problems = new_problems ();

  g_return_val_if_fail (check_in != NULL, NULL);

  if (cairn_text_is_blank (check_in->patient_id) || cairn_text_is_blank (check_in->appointment_id))
    add_problem (problems, "appointment_id", _("Choose the phone check-in this call belongs to."));
  if (check_in->called_at <= 0)
    add_problem (problems, "called_at", _("Enter when the call was made."));
  else if (check_in->called_at > now + CALL_CLOCK_SLACK_SECONDS)
    add_problem (problems, "called_at", _("The call cannot be in the future."));
  if (check_in->note != NULL && g_utf8_strlen (check_in->note, -1) > MAX_CALL_NOTE_CHARS)
    add_problem (problems, "note", _("Keep the note short: at most 2,000 characters."));
  if (!check_in->reached && cairn_text_is_blank (check_in->follow_up_action))
    add_problem (problems, "follow_up_action",
                 _("The patient was not reached: say what happens next, e.g. call again tonight."));
  else if (check_in->follow_up_action != NULL &&
           g_utf8_strlen (check_in->follow_up_action, -1) > MAX_CALL_NOTE_CHARS)
    add_problem (problems, "follow_up_action", _("Keep the follow-up action short: at most 2,000 characters."));
  return g_steal_pointer (&problems);
}

/* ------------------------------------------------------------------------ */
/* Reading notes                                                             */

#define NOTE_COLUMNS \
  "id, patient_id, appointment_id, type_id, state, attendees, sections, created_at," \
  " updated_at, author, signed_at, signed_by, updated_by"

static CairnNote *
note_from_row (CairnRows  *rows,
               GError    **error)
{
  g_autoptr(CairnNote) note = cairn_note_new ();

  note->id = cairn_rows_dup (rows, 0);
  note->patient_id = cairn_rows_dup (rows, 1);
  note->appointment_id = cairn_rows_dup (rows, 2);
  note->type_id = cairn_rows_dup (rows, 3);
  note->state = g_strcmp0 (cairn_rows_text (rows, 4), "signed") == 0
                ? CAIRN_NOTE_SIGNED : CAIRN_NOTE_DRAFT;
  note->attendees = cairn_rows_dup (rows, 5);
  if (!sections_from_json (cairn_rows_text (rows, 6), note->sections, error))
    return NULL;
  note->created_at = cairn_rows_dup (rows, 7);
  note->updated_at = cairn_rows_dup (rows, 8);
  note->author = cairn_rows_dup (rows, 9);
  note->signed_at = cairn_rows_dup (rows, 10);
  note->signed_by = cairn_rows_dup (rows, 11);
  note->updated_by = cairn_rows_dup (rows, 12);
  return g_steal_pointer (&note);
}

static gboolean
load_addenda (CairnDatabase  *db,
              CairnNote      *note,
              GError        **error)
{
  g_autoptr(CairnRows) rows = cairn_rows_prepare (db,
                                                  "SELECT id, text, created_at, author, signed_by FROM note_addenda"
                                                  " WHERE note_id = ? ORDER BY created_at, rowid", error);

  if (rows == NULL)
    return FALSE;
  cairn_rows_bind_text (rows, 1, note->id);
  while (cairn_rows_next (rows))
    {
      CairnNoteAddendum *addendum = g_new0 (CairnNoteAddendum, 1);

      addendum->id = cairn_rows_dup (rows, 0);
      addendum->text = cairn_rows_dup (rows, 1);
      addendum->created_at = cairn_rows_dup (rows, 2);
      addendum->author = cairn_rows_dup (rows, 3);
      addendum->signed_by = cairn_rows_dup (rows, 4);
      g_ptr_array_add (note->addenda, addendum);
    }
  return cairn_rows_finish (rows, error);
}

/* The notes (not set aside) where @column is @value, with their addenda. */
static GPtrArray *
select_notes (CairnDatabase  *db,
              const char     *column,
              const char     *value,
              GError        **error)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_note_free);
  g_autofree char *sql = NULL;
  g_autoptr(CairnRows) rows = NULL;

  g_assert (g_str_equal (column, "id") || g_str_equal (column, "patient_id") ||
            g_str_equal (column, "appointment_id"));

  sql = g_strdup_printf ("SELECT " NOTE_COLUMNS " FROM notes WHERE %s = ? AND deleted_at IS NULL"
                         " ORDER BY created_at DESC, id", column);
  rows = cairn_rows_prepare (db, sql, error);
  if (rows == NULL)
    return NULL;
  cairn_rows_bind_text (rows, 1, value);
  while (cairn_rows_next (rows))
    {
      CairnNote *note = note_from_row (rows, error);

      if (note == NULL)
        return NULL;
      g_ptr_array_add (notes, note);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;

  for (guint i = 0; i < notes->len; i++)
    if (!load_addenda (db, g_ptr_array_index (notes, i), error))
      return NULL;
  return g_steal_pointer (&notes);
}

typedef struct
{
  const char *column;
  const char *value;
  const char *user_id;
  const char *action;
  GPtrArray  *found;
} ReadData;

static gboolean
read_cb (CairnDatabase  *db,
         gpointer        user_data,
         GError        **error)
{
  ReadData *data = user_data;

  data->found = select_notes (db, data->column, data->value, error);
  return data->found != NULL &&
         cairn_audit_append (db, data->user_id, data->action, data->value, NULL, error);
}

static GPtrArray *
read_notes (CairnDatabase  *db,
            const char     *column,
            const char     *value,
            const char     *user_id,
            const char     *action,
            GError        **error)
{
  ReadData data = { column, value, user_id, action, NULL };

  if (!cairn_database_transaction (db, read_cb, &data, error))
    {
      g_clear_pointer (&data.found, g_ptr_array_unref);
      return NULL;
    }
  return data.found;
}

/**
 * cairn_notes_list:
 * @clinical: clinical.db
 * @patient_id: a patient
 * @user_id: (nullable): who reads
 * @error: return location for a #GError
 *
 * Reads the patient's notes, newest first, each with its addenda, and
 * notes the reading in the audit trail.
 *
 * Returns: (transfer container) (element-type CairnNote) (nullable): the
 *   notes, or %NULL with @error set
 */
GPtrArray *
cairn_notes_list (CairnDatabase  *clinical,
                  const char     *patient_id,
                  const char     *user_id,
                  GError        **error)
{
  g_return_val_if_fail (clinical != NULL && patient_id != NULL, NULL);

  return read_notes (clinical, "patient_id", patient_id, user_id, "note.list", error);
}

static CairnNote *
read_one (CairnDatabase  *db,
          const char     *column,
          const char     *value,
          const char     *user_id,
          GError        **error)
{
  g_autoptr(GPtrArray) found = read_notes (db, column, value, user_id, "note.read", error);

  if (found == NULL || found->len == 0)
    return NULL;
  return g_ptr_array_steal_index (found, 0);
}

/**
 * cairn_notes_get:
 * @clinical: clinical.db
 * @note_id: a note
 * @user_id: (nullable): who reads
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the note with its addenda; %NULL
 *   with %CAIRN_NOTES_ERROR_NOT_FOUND when there is none
 */
CairnNote *
cairn_notes_get (CairnDatabase  *clinical,
                 const char     *note_id,
                 const char     *user_id,
                 GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  CairnNote *note;

  g_return_val_if_fail (clinical != NULL && note_id != NULL, NULL);

  note = read_one (clinical, "id", note_id, user_id, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (note == NULL)
    refuse (error, CAIRN_NOTES_ERROR_NOT_FOUND, _("This note is no longer in the vault."));
  return note;
}

/**
 * cairn_notes_get_for_appointment:
 * @clinical: clinical.db
 * @appointment_id: an appointment in practice.db
 * @user_id: (nullable): who reads
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the appointment's note with its
 *   addenda; %NULL without an error when it has none yet
 */
CairnNote *
cairn_notes_get_for_appointment (CairnDatabase  *clinical,
                                 const char     *appointment_id,
                                 const char     *user_id,
                                 GError        **error)
{
  g_return_val_if_fail (clinical != NULL && appointment_id != NULL, NULL);

  return read_one (clinical, "appointment_id", appointment_id, user_id, error);
}

/* ------------------------------------------------------------------------ */
/* Writing notes                                                             */

typedef struct
{
  const char *patient_id;
  const char *appointment_id;
  const char *type_id;
  const char *attendees;
  GHashTable *sections;
  const char *user_id;
  char       *note_id;
} DraftData;

static gboolean
draft_cb (CairnDatabase  *db,
          gpointer        user_data,
          GError        **error)
{
  DraftData *data = user_data;
  g_autoptr(GPtrArray) existing = select_notes (db, "appointment_id", data->appointment_id, error);
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *json = NULL;
  g_autoptr(GHashTable) merged = new_sections ();
  CairnNote *note;
  GHashTableIter iter;
  gpointer key, value;

  if (existing == NULL)
    return FALSE;
  note = existing->len > 0 ? g_ptr_array_index (existing, 0) : NULL;

  if (note != NULL && note->state == CAIRN_NOTE_SIGNED)
    return refuse (error, CAIRN_NOTES_ERROR_SIGNED,
                   _("This note is signed and can no longer change. Add an addendum instead."));
  if (note != NULL && g_strcmp0 (note->patient_id, data->patient_id) != 0)
    return refuse (error, CAIRN_NOTES_ERROR_INVALID,
                   _("This appointment's note belongs to another patient."));

  /* Sections the caller did not send keep their text: only a section sent
   * empty is cleared. */
  if (note != NULL)
    {
      g_hash_table_iter_init (&iter, note->sections);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (merged, g_strdup (key), g_strdup (value));
    }
  if (data->sections != NULL)
    {
      g_hash_table_iter_init (&iter, data->sections);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (merged, g_strdup (key), g_strdup (value != NULL ? value : ""));
    }
  json = sections_to_json (merged);

  if (note == NULL)
    {
      g_autofree char *id = cairn_record_new_id ();
      const char *values[] = { id, data->patient_id, data->appointment_id, data->type_id,
                               data->attendees, json, now, data->user_id };

      if (!cairn_database_run (db, "INSERT INTO notes (id, patient_id, appointment_id, type_id, state,"
                                   " attendees, sections, created_at, updated_at, author, updated_by)"
                                   " VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?7, ?7, ?8, ?8)",
                               values, G_N_ELEMENTS (values), error) ||
          !cairn_audit_append (db, data->user_id, "note.create", id, data->appointment_id, error))
        return FALSE;
      data->note_id = g_steal_pointer (&id);
    }
  else
    {
      const char *values[] = { note->id, data->attendees, json, now, data->user_id };

      /* Who started the note stays its author. */
      if (!cairn_database_run (db, "UPDATE notes SET attendees = ?2, sections = ?3, updated_at = ?4,"
                                   " updated_by = ?5 WHERE id = ?1 AND state = 'draft'",
                               values, G_N_ELEMENTS (values), error) ||
          !cairn_audit_append (db, data->user_id, "note.update", note->id, NULL, error))
        return FALSE;
      data->note_id = g_strdup (note->id);
    }
  return TRUE;
}

/**
 * cairn_notes_save_draft:
 * @clinical: clinical.db
 * @patient_id: the patient
 * @appointment_id: the appointment the note is about
 * @type_id: its appointment type
 * @attendees: (nullable): who was there, as written
 * @sections: (nullable) (element-type utf8 utf8): section id → text; a
 *   section not in it keeps the text it had
 * @user_id: (nullable): who writes
 * @out_note_id: (out) (optional) (transfer full): the note's id
 * @error: return location for a #GError
 *
 * Starts the appointment's note, or saves it again while it is a draft.
 * Refuses with %CAIRN_NOTES_ERROR_SIGNED once the note is signed.
 *
 * Returns: %TRUE when saved
 */
gboolean
cairn_notes_save_draft (CairnDatabase  *clinical,
                        const char     *patient_id,
                        const char     *appointment_id,
                        const char     *type_id,
                        const char     *attendees,
                        GHashTable     *sections,
                        const char     *user_id,
                        char          **out_note_id,
                        GError        **error)
{
  DraftData data = { 0 };
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (clinical != NULL, FALSE);
  g_return_val_if_fail (patient_id != NULL && appointment_id != NULL && type_id != NULL, FALSE);

  if (attendees != NULL)
    trimmed = g_strstrip (g_strdup (attendees));
  if (trimmed != NULL && g_utf8_strlen (trimmed, -1) > MAX_ATTENDEES_CHARS)
    return refuse (error, CAIRN_NOTES_ERROR_INVALID, _("The list of attendees is too long."));
  if (trimmed != NULL && *trimmed == '\0')
    g_clear_pointer (&trimmed, g_free);
  if (sections != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, sections);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (cairn_text_is_blank (key) || (value != NULL && g_utf8_strlen (value, -1) > MAX_SECTION_CHARS))
          return refuse (error, CAIRN_NOTES_ERROR_INVALID, _("A section of the note is too long."));
    }

  data.patient_id = patient_id;
  data.appointment_id = appointment_id;
  data.type_id = type_id;
  data.attendees = trimmed;
  data.sections = sections;
  data.user_id = user_id;
  if (!cairn_database_transaction (clinical, draft_cb, &data, error))
    {
      g_free (data.note_id);
      return FALSE;
    }
  if (out_note_id != NULL)
    *out_note_id = g_steal_pointer (&data.note_id);
  g_free (data.note_id);
  return TRUE;
}

typedef struct
{
  const char *note_id;
  GPtrArray  *template_sections;
  const char *user_id;
} SignData;

static gboolean
sign_cb (CairnDatabase  *db,
         gpointer        user_data,
         GError        **error)
{
  SignData *data = user_data;
  g_autoptr(GPtrArray) found = select_notes (db, "id", data->note_id, error);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *now = cairn_record_timestamp_now ();
  CairnNote *note;

  if (found == NULL)
    return FALSE;
  if (found->len == 0)
    return refuse (error, CAIRN_NOTES_ERROR_NOT_FOUND, _("This note is no longer in the vault."));
  note = g_ptr_array_index (found, 0);
  if (note->state == CAIRN_NOTE_SIGNED)
    return refuse (error, CAIRN_NOTES_ERROR_SIGNED, _("This note is already signed."));
  if (data->user_id == NULL)
    return refuse (error, CAIRN_NOTES_ERROR_INVALID, _("A note is signed by a user of the vault."));

  problems = cairn_note_check_signable (note->sections, data->template_sections);
  if (problems->len > 0)
    return refuse (error, CAIRN_NOTES_ERROR_INVALID,
                   ((CairnNoteProblem *) g_ptr_array_index (problems, 0))->message);

  return cairn_database_run (db, "UPDATE notes SET state = 'signed', signed_at = ?2, signed_by = ?3,"
                                 " updated_at = ?2, updated_by = ?3 WHERE id = ?1 AND state = 'draft'",
                             (const char *[]) { note->id, now, data->user_id }, 3, error) &&
         cairn_audit_append (db, data->user_id, "note.sign", note->id, NULL, error);
}

/**
 * cairn_notes_sign:
 * @clinical: clinical.db
 * @note_id: a draft note
 * @template_sections: (nullable) (element-type CairnNoteSection): the
 *   sections the protocol template gives the note's type
 *   (cairn_protocol_get_note_sections()); %NULL or empty for free text
 * @user_id: who signs
 * @error: return location for a #GError
 *
 * Signs the note as it is in the vault: from then on it never changes.
 * Refuses with %CAIRN_NOTES_ERROR_INVALID (the first problem of
 * cairn_note_check_signable()) when it is empty or a required section is.
 *
 * Returns: %TRUE when signed
 */
gboolean
cairn_notes_sign (CairnDatabase  *clinical,
                  const char     *note_id,
                  GPtrArray      *template_sections,
                  const char     *user_id,
                  GError        **error)
{
  SignData data = { note_id, template_sections, user_id };

  g_return_val_if_fail (clinical != NULL && note_id != NULL, FALSE);

  return cairn_database_transaction (clinical, sign_cb, &data, error);
}

typedef struct
{
  const char *note_id;
  const char *text;
  const char *user_id;
  char       *addendum_id;
} AddendumData;

static gboolean
addendum_cb (CairnDatabase  *db,
             gpointer        user_data,
             GError        **error)
{
  AddendumData *data = user_data;
  g_autoptr(GPtrArray) found = select_notes (db, "id", data->note_id, error);
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *id = cairn_record_new_id ();
  CairnNote *note;

  if (found == NULL)
    return FALSE;
  if (found->len == 0)
    return refuse (error, CAIRN_NOTES_ERROR_NOT_FOUND, _("This note is no longer in the vault."));
  note = g_ptr_array_index (found, 0);
  if (note->state != CAIRN_NOTE_SIGNED)
    return refuse (error, CAIRN_NOTES_ERROR_NOT_SIGNED,
                   _("This note is still a draft: change it instead of adding an addendum."));

  if (!cairn_database_run (db, "INSERT INTO note_addenda (id, note_id, text, created_at, updated_at,"
                               " author, signed_by, signed_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?5, ?4)",
                           (const char *[]) { id, note->id, data->text, now, data->user_id }, 5, error) ||
      !cairn_audit_append (db, data->user_id, "note.addendum", note->id, id, error))
    return FALSE;
  data->addendum_id = g_steal_pointer (&id);
  return TRUE;
}

/**
 * cairn_notes_add_addendum:
 * @clinical: clinical.db
 * @note_id: a signed note
 * @text: the addendum; not empty
 * @user_id: who writes and signs it
 * @out_addendum_id: (out) (optional) (transfer full): its id
 * @error: return location for a #GError
 *
 * Adds a dated addendum, signed by @user_id, to a signed note. Refuses
 * with %CAIRN_NOTES_ERROR_INVALID when @text is empty, and with
 * %CAIRN_NOTES_ERROR_NOT_SIGNED when the note is still a draft.
 *
 * Returns: %TRUE when added
 */
gboolean
cairn_notes_add_addendum (CairnDatabase  *clinical,
                          const char     *note_id,
                          const char     *text,
                          const char     *user_id,
                          char          **out_addendum_id,
                          GError        **error)
{
  AddendumData data = { 0 };
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (clinical != NULL && note_id != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*trimmed == '\0')
    return refuse (error, CAIRN_NOTES_ERROR_INVALID, _("Write the addendum before signing it."));
  if (g_utf8_strlen (trimmed, -1) > MAX_ADDENDUM_CHARS)
    return refuse (error, CAIRN_NOTES_ERROR_INVALID, _("The addendum is too long."));
  if (user_id == NULL)
    return refuse (error, CAIRN_NOTES_ERROR_INVALID, _("An addendum is signed by a user of the vault."));

  data.note_id = note_id;
  data.text = trimmed;
  data.user_id = user_id;
  if (!cairn_database_transaction (clinical, addendum_cb, &data, error))
    {
      g_free (data.addendum_id);
      return FALSE;
    }
  if (out_addendum_id != NULL)
    *out_addendum_id = g_steal_pointer (&data.addendum_id);
  g_free (data.addendum_id);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Phone check-ins                                                           */

static GPtrArray *
select_check_ins (CairnDatabase  *db,
                  const char     *column,
                  const char     *value,
                  GError        **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_phone_check_in_free);
  g_autofree char *sql = NULL;
  g_autoptr(CairnRows) rows = NULL;

  g_assert (g_str_equal (column, "patient_id") || g_str_equal (column, "appointment_id"));

  sql = g_strdup_printf ("SELECT id, patient_id, appointment_id, reached, note, follow_up_action,"
                         " called_at, author, created_at, updated_at, updated_by FROM phone_check_ins"
                         " WHERE %s = ? AND deleted_at IS NULL ORDER BY called_at, id", column);
  rows = cairn_rows_prepare (db, sql, error);
  if (rows == NULL)
    return NULL;
  cairn_rows_bind_text (rows, 1, value);
  while (cairn_rows_next (rows))
    {
      CairnPhoneCheckIn *c = cairn_phone_check_in_new ();

      c->id = cairn_rows_dup (rows, 0);
      c->patient_id = cairn_rows_dup (rows, 1);
      c->appointment_id = cairn_rows_dup (rows, 2);
      c->reached = cairn_rows_int (rows, 3) != 0;
      c->note = cairn_rows_dup (rows, 4);
      c->follow_up_action = cairn_rows_dup (rows, 5);
      c->called_at = parse_timestamp (cairn_rows_text (rows, 6));
      c->recorded_by = cairn_rows_dup (rows, 7);
      c->created_at = cairn_rows_dup (rows, 8);
      c->updated_at = cairn_rows_dup (rows, 9);
      c->updated_by = cairn_rows_dup (rows, 10);
      g_ptr_array_add (found, c);
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;
  return g_steal_pointer (&found);
}

typedef struct
{
  const char *patient_id;
  const char *user_id;
  GPtrArray  *found;
} CheckInReadData;

static gboolean
check_ins_read_cb (CairnDatabase  *db,
                   gpointer        user_data,
                   GError        **error)
{
  CheckInReadData *data = user_data;

  data->found = select_check_ins (db, "patient_id", data->patient_id, error);
  return data->found != NULL &&
         cairn_audit_append (db, data->user_id, "phone-check-in.list", data->patient_id, NULL, error);
}

/**
 * cairn_phone_check_ins_list:
 * @clinical: clinical.db
 * @patient_id: a patient
 * @user_id: (nullable): who reads
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnPhoneCheckIn) (nullable):
 *   the patient's recorded phone check-ins by the time of the call, or
 *   %NULL with @error set
 */
GPtrArray *
cairn_phone_check_ins_list (CairnDatabase  *clinical,
                            const char     *patient_id,
                            const char     *user_id,
                            GError        **error)
{
  CheckInReadData data = { patient_id, user_id, NULL };

  g_return_val_if_fail (clinical != NULL && patient_id != NULL, NULL);

  if (!cairn_database_transaction (clinical, check_ins_read_cb, &data, error))
    {
      g_clear_pointer (&data.found, g_ptr_array_unref);
      return NULL;
    }
  return data.found;
}

typedef struct
{
  CairnPhoneCheckIn *check_in;
  const char        *user_id;
  char              *id;
  char              *now;
  char              *author;       /* who recorded it first */
  char              *created_at;
} RecordData;

static gboolean
record_cb (CairnDatabase  *db,
           gpointer        user_data,
           GError        **error)
{
  RecordData *data = user_data;
  CairnPhoneCheckIn *c = data->check_in;
  g_autoptr(GPtrArray) existing = select_check_ins (db, "appointment_id", c->appointment_id, error);
  g_autofree char *called_at = format_timestamp (c->called_at);
  const char *reached = c->reached ? "1" : "0";
  CairnPhoneCheckIn *old;

  if (existing == NULL)
    return FALSE;
  old = existing->len > 0 ? g_ptr_array_index (existing, 0) : NULL;
  if (old != NULL && g_strcmp0 (old->patient_id, c->patient_id) != 0)
    return refuse (error, CAIRN_NOTES_ERROR_INVALID,
                   _("This phone check-in belongs to another patient."));

  if (old == NULL)
    {
      g_autofree char *id = cairn_record_new_id ();
      const char *values[] = { id, c->patient_id, c->appointment_id, reached, c->note,
                               c->follow_up_action, called_at, data->now, data->user_id };

      if (!cairn_database_run (db, "INSERT INTO phone_check_ins (id, patient_id, appointment_id, reached,"
                                   " note, follow_up_action, called_at, created_at, updated_at, author,"
                                   " updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?9)",
                               values, G_N_ELEMENTS (values), error) ||
          !cairn_audit_append (db, data->user_id, "phone-check-in.record", id, c->appointment_id, error))
        return FALSE;
      data->id = g_steal_pointer (&id);
      data->author = g_strdup (data->user_id);
      data->created_at = g_strdup (data->now);
    }
  else
    {
      const char *values[] = { old->id, reached, c->note, c->follow_up_action, called_at,
                               data->now, data->user_id };

      /* Who recorded the call first stays its author. */
      if (!cairn_database_run (db, "UPDATE phone_check_ins SET reached = ?2, note = ?3,"
                                   " follow_up_action = ?4, called_at = ?5, updated_at = ?6, updated_by = ?7"
                                   " WHERE id = ?1",
                               values, G_N_ELEMENTS (values), error) ||
          !cairn_audit_append (db, data->user_id, "phone-check-in.update", old->id, c->appointment_id,
                               error))
        return FALSE;
      data->id = g_strdup (old->id);
      data->author = g_strdup (old->recorded_by);
      data->created_at = g_strdup (old->created_at);
    }
  return TRUE;
}

static char *
blank_to_null (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

/**
 * cairn_phone_check_ins_record:
 * @clinical: clinical.db
 * @check_in: the call: patient, appointment, reached, note, follow-up
 *   action and when it was made
 * @user_id: (nullable): who records it
 * @error: return location for a #GError
 *
 * Records the call of a phone check-in appointment, or records it again
 * (the audit trail keeps that it changed). Refuses with
 * %CAIRN_NOTES_ERROR_INVALID and the first problem of
 * cairn_phone_check_in_validate(), e.g. a call in the future. On success
 * @check_in's id, recorded_by (who recorded it first), updated_by and times are set.
 *
 * Returns: %TRUE when recorded
 */
gboolean
cairn_phone_check_ins_record (CairnDatabase      *clinical,
                              CairnPhoneCheckIn  *check_in,
                              const char         *user_id,
                              GError            **error)
{
  g_autoptr(CairnPhoneCheckIn) work = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  RecordData data = { 0 };

  g_return_val_if_fail (clinical != NULL && check_in != NULL, FALSE);

  work = cairn_phone_check_in_copy (check_in);
  g_free (work->note);
  work->note = blank_to_null (check_in->note);
  g_free (work->follow_up_action);
  work->follow_up_action = blank_to_null (check_in->follow_up_action);

  problems = cairn_phone_check_in_validate (work, g_get_real_time () / G_USEC_PER_SEC);
  if (problems->len > 0)
    return refuse (error, CAIRN_NOTES_ERROR_INVALID,
                   ((CairnNoteProblem *) g_ptr_array_index (problems, 0))->message);

  data.check_in = work;
  data.user_id = user_id;
  data.now = cairn_record_timestamp_now ();
  if (!cairn_database_transaction (clinical, record_cb, &data, error))
    {
      g_free (data.id);
      g_free (data.now);
      g_free (data.author);
      g_free (data.created_at);
      return FALSE;
    }

  g_free (check_in->id);
  check_in->id = data.id;
  g_free (check_in->recorded_by);
  check_in->recorded_by = data.author;
  g_free (check_in->created_at);
  check_in->created_at = data.created_at;
  g_free (check_in->updated_at);
  check_in->updated_at = data.now;
  g_free (check_in->updated_by);
  check_in->updated_by = g_strdup (user_id);
  return TRUE;
}
