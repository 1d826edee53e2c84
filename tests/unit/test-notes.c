/* test-notes.c
 *
 * Session notes, addenda and phone check-ins in a real vault: drafts saved
 * again and again and surviving a writer killed with SIGKILL, section text
 * kept by id across template changes, signing refused for an empty note or
 * an empty required section, a signed note and its addenda unchangeable by
 * the vault itself (an UPDATE or DELETE in plain SQL fails), and an audit
 * entry for every read and write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cairn-audit.h"
#include "cairn-notes.h"
#include "cairn-records.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

#define USER_NAME  "Dr Ada Quell"
#define PASSPHRASE "lantern orchard fiddle 42"

typedef struct
{
  char          *parent;
  char          *dir;
  CairnVault    *vault;
  CairnDatabase *db;          /* clinical.db */
  char          *me;
  char          *patient;
  char          *appointment;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-notes-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_build_filename (fixture->parent, "vault", NULL);
  fixture->vault = cairn_vault_create (fixture->dir, "Quell Practice", "Europe/Berlin", USER_NAME,
                                       PASSPHRASE, &test_params, &recovery, &error);
  g_assert_no_error (error);
  fixture->db = cairn_vault_get_clinical (fixture->vault);
  g_assert_nonnull (fixture->db);
  fixture->me = cairn_vault_get_user_id (fixture->vault);
  /* Notes refer to practice.db by id only; any id will do here. */
  fixture->patient = cairn_record_new_id ();
  fixture->appointment = cairn_record_new_id ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->vault);
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->dir);
  g_free (fixture->me);
  g_free (fixture->patient);
  g_free (fixture->appointment);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static guint
audit_count (Fixture *fixture)
{
  g_autofree char *n = cairn_database_query_text (fixture->db, "SELECT count(*) FROM audit", NULL, 0, NULL);

  return (guint) g_ascii_strtoull (n, NULL, 10);
}

/* The action of the last audit entry, and that it names @entity. */
static void
assert_last_audit (Fixture    *fixture,
                   const char *action,
                   const char *entity)
{
  g_autofree char *last = cairn_database_query_text (fixture->db,
                                                     "SELECT action || ' ' || coalesce (entity, '') ||"
                                                     " ' ' || coalesce (user_id, '')"
                                                     " FROM audit ORDER BY seq DESC LIMIT 1",
                                                     NULL, 0, NULL);
  g_autofree char *expected = g_strdup_printf ("%s %s %s", action, entity, fixture->me);

  g_assert_cmpstr (last, ==, expected);
}

static GHashTable *
sections_new (const char *first_id,
              ...)
{
  GHashTable *sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first_id);
  for (const char *id = first_id; id != NULL; id = va_arg (args, const char *))
    g_hash_table_insert (sections, g_strdup (id), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return sections;
}

/* A template as cairn_protocol_get_note_sections() gives it. */
static CairnNoteSection template_sections[] = {
  { (char *) "intentions", (char *) "Intentions", (char *) "What the patient hopes for", TRUE },
  { (char *) "themes", (char *) "Themes", NULL, FALSE },
  { (char *) "plan", (char *) "Plan", NULL, TRUE },
};

static GPtrArray *
template_new (void)
{
  GPtrArray *sections = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (template_sections); i++)
    g_ptr_array_add (sections, &template_sections[i]);
  return sections;
}

static char *
save_draft (Fixture    *fixture,
            GHashTable *sections)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  g_assert_true (cairn_notes_save_draft (fixture->db, fixture->patient, fixture->appointment, "preparation",
                                         "A. Therapist, B. Therapist, the patient", sections, fixture->me,
                                         &id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static char *
signed_note (Fixture *fixture)
{
  g_autoptr(GHashTable) sections = sections_new ("intentions", "Feel safe in the room.",
                                                 "plan", "Second preparation session next week.", NULL);
  g_autoptr(GPtrArray) template = template_new ();
  g_autoptr(GError) error = NULL;
  char *id = save_draft (fixture, sections);

  g_assert_true (cairn_notes_sign (fixture->db, id, template, fixture->me, &error));
  g_assert_no_error (error);
  return id;
}

/* ------------------------------------------------------------------------ */
/* Drafts                                                                    */

static void
test_draft (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) first = sections_new ("intentions", "Feel safe.", "themes", "Family.", NULL);
  g_autoptr(GHashTable) second = sections_new ("intentions", "Feel safe in the room.", NULL);
  g_autoptr(CairnNote) note = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = cairn_record_new_id ();
  guint before;

  /* None yet: NULL, and no error; the reading is audited all the same. */
  before = audit_count (fixture);
  note = cairn_notes_get_for_appointment (fixture->db, fixture->appointment, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_null (note);
  g_assert_cmpuint (audit_count (fixture), ==, before + 1);
  assert_last_audit (fixture, "note.read", fixture->appointment);

  id = save_draft (fixture, first);
  assert_last_audit (fixture, "note.create", id);
  again = save_draft (fixture, second);
  g_assert_cmpstr (again, ==, id);
  assert_last_audit (fixture, "note.update", id);

  note = cairn_notes_get_for_appointment (fixture->db, fixture->appointment, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_nonnull (note);
  assert_last_audit (fixture, "note.read", fixture->appointment);
  g_assert_cmpstr (note->id, ==, id);
  g_assert_cmpint (note->state, ==, CAIRN_NOTE_DRAFT);
  g_assert_cmpstr (note->patient_id, ==, fixture->patient);
  g_assert_cmpstr (note->type_id, ==, "preparation");
  g_assert_cmpstr (note->attendees, ==, "A. Therapist, B. Therapist, the patient");
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "intentions"), ==, "Feel safe in the room.");
  /* Not sent the second time: kept. */
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "themes"), ==, "Family.");
  g_assert_null (note->signed_at);
  g_assert_cmpstr (note->author, ==, fixture->me);
  g_assert_cmpuint (note->addenda->len, ==, 0);

  /* A second appointment has its own note; the list has both, audited. */
  g_assert_true (cairn_notes_save_draft (fixture->db, fixture->patient, other, "integration", NULL,
                                         second, fixture->me, NULL, &error));
  g_assert_no_error (error);
  notes = cairn_notes_list (fixture->db, fixture->patient, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  assert_last_audit (fixture, "note.list", fixture->patient);
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = cairn_notes_list (fixture->db, "someone-else", fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 0);

  /* The appointment's note cannot be taken over by another patient. */
  before = audit_count (fixture);
  g_assert_false (cairn_notes_save_draft (fixture->db, "someone-else", fixture->appointment, "preparation",
                                          NULL, second, fixture->me, NULL, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture), ==, before);

  g_assert_true (cairn_audit_verify (fixture->db, NULL, &error));
  g_assert_no_error (error);
}

/* The template changed: text under a section id it no longer has stays;
 * a section sent empty is cleared. */
static void
test_sections_outlive_template (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) old = sections_new ("old-heading", "Written under the old template.", NULL);
  g_autoptr(GHashTable) now = sections_new ("intentions", "New text.", NULL);
  g_autoptr(GHashTable) cleared = sections_new ("intentions", "", NULL);
  g_autoptr(CairnNote) note = NULL;
  g_autofree char *id = NULL;

  id = save_draft (fixture, old);
  g_free (save_draft (fixture, now));
  note = cairn_notes_get (fixture->db, id, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "old-heading"), ==, "Written under the old template.");
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "intentions"), ==, "New text.");
  g_clear_pointer (&note, cairn_note_free);

  g_free (save_draft (fixture, cleared));
  note = cairn_notes_get (fixture->db, id, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "intentions"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "old-heading"), ==, "Written under the old template.");
  g_clear_pointer (&note, cairn_note_free);

  /* A note that is not there. */
  note = cairn_notes_get (fixture->db, "no-such-note", fixture->me, &error);
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_NOT_FOUND);
  g_assert_null (note);
}

/* ------------------------------------------------------------------------ */
/* Signing                                                                   */

static void
test_check_signable (void)
{
  g_autoptr(GPtrArray) template = template_new ();
  g_autoptr(GPtrArray) empty_template = g_ptr_array_new ();
  g_autoptr(GHashTable) nothing = sections_new (NULL);
  g_autoptr(GHashTable) blanks = sections_new ("intentions", "  \n\t", "plan", "", NULL);
  g_autoptr(GHashTable) themes_only = sections_new ("themes", "Grief.", NULL);
  g_autoptr(GHashTable) full = sections_new ("intentions", "Safety.", "plan", "Next week.", NULL);
  g_autoptr(GHashTable) free_text = sections_new (CAIRN_NOTE_FREE_TEXT_SECTION, "Talked.", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  CairnNoteProblem *p;

  /* Empty: said once at the first section, and at each other required one. */
  problems = cairn_note_check_signable (nothing, template);
  g_assert_cmpuint (problems->len, ==, 2);
  p = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (p->field, ==, "intentions");
  g_assert_nonnull (strstr (p->message, "empty"));
  p = g_ptr_array_index (problems, 1);
  g_assert_cmpstr (p->field, ==, "plan");
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Only white space is empty too. */
  problems = cairn_note_check_signable (blanks, template);
  g_assert_cmpuint (problems->len, ==, 2);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Text in an optional section: the required ones are still empty. */
  problems = cairn_note_check_signable (themes_only, template);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpstr (((CairnNoteProblem *) g_ptr_array_index (problems, 0))->field, ==, "intentions");
  g_assert_cmpstr (((CairnNoteProblem *) g_ptr_array_index (problems, 1))->field, ==, "plan");
  g_clear_pointer (&problems, g_ptr_array_unref);

  problems = cairn_note_check_signable (full, template);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* No sections in the template: one free text, which must not be empty. */
  problems = cairn_note_check_signable (nothing, empty_template);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((CairnNoteProblem *) g_ptr_array_index (problems, 0))->field, ==,
                   CAIRN_NOTE_FREE_TEXT_SECTION);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = cairn_note_check_signable (free_text, NULL);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_sign (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) template = template_new ();
  g_autoptr(GHashTable) partial = sections_new ("intentions", "Safety.", NULL);
  g_autoptr(GHashTable) rest = sections_new ("plan", "Next week.", NULL);
  g_autoptr(CairnNote) note = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before_sections = NULL;
  g_autofree char *after_sections = NULL;
  guint before;

  /* A required section is empty: refused, nothing written, not audited. */
  id = save_draft (fixture, partial);
  before = audit_count (fixture);
  before_sections = cairn_database_query_text (fixture->db, "SELECT state || sections || updated_at FROM notes",
                                               NULL, 0, NULL);
  g_assert_false (cairn_notes_sign (fixture->db, id, template, fixture->me, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_INVALID);
  g_clear_error (&error);
  after_sections = cairn_database_query_text (fixture->db, "SELECT state || sections || updated_at FROM notes",
                                              NULL, 0, NULL);
  g_assert_cmpstr (after_sections, ==, before_sections);
  g_assert_cmpuint (audit_count (fixture), ==, before);

  /* A note that is not there. */
  g_assert_false (cairn_notes_sign (fixture->db, "no-such-note", template, fixture->me, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_free (save_draft (fixture, rest));
  g_assert_true (cairn_notes_sign (fixture->db, id, template, fixture->me, &error));
  g_assert_no_error (error);
  assert_last_audit (fixture, "note.sign", id);

  note = cairn_notes_get (fixture->db, id, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpint (note->state, ==, CAIRN_NOTE_SIGNED);
  g_assert_cmpstr (note->signed_by, ==, fixture->me);
  g_assert_nonnull (note->signed_at);
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "plan"), ==, "Next week.");

  /* Signed: no more drafts, no second signature, nothing audited. */
  before = audit_count (fixture);
  g_assert_false (cairn_notes_save_draft (fixture->db, fixture->patient, fixture->appointment, "preparation",
                                          NULL, partial, fixture->me, NULL, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_SIGNED);
  g_clear_error (&error);
  g_assert_false (cairn_notes_sign (fixture->db, id, template, fixture->me, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_SIGNED);
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture), ==, before);
}

static void
test_sign_empty_free_text (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) empty = sections_new (CAIRN_NOTE_FREE_TEXT_SECTION, "   ", NULL);
  g_autoptr(GHashTable) text = sections_new (CAIRN_NOTE_FREE_TEXT_SECTION, "Talked about sleep.", NULL);
  g_autofree char *id = save_draft (fixture, empty);

  g_assert_false (cairn_notes_sign (fixture->db, id, NULL, fixture->me, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_INVALID);
  g_clear_error (&error);

  g_free (save_draft (fixture, text));
  g_assert_true (cairn_notes_sign (fixture->db, id, NULL, fixture->me, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* The vault itself keeps a signed note as it is                             */

static void
assert_sql_refused (Fixture    *fixture,
                    const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (cairn_database_exec (fixture->db, sql, &error))
    g_error ("The vault let this through: %s", sql);
  g_assert_nonnull (error);
  g_test_message ("refused: %s (%s)", sql, error->message);
}

static void
test_signed_immutable_in_sql (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = signed_note (fixture);
  g_autofree char *addendum = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *dump = "SELECT group_concat (x, '|') FROM (SELECT id || state || sections || updated_at ||"
                     " coalesce (attendees, '') || signed_at || signed_by || coalesce (deleted_at, '') AS x"
                     " FROM notes UNION ALL SELECT id || text || created_at || signed_by FROM note_addenda)";

  g_assert_true (cairn_notes_add_addendum (fixture->db, id, "Patient called to add a detail.", fixture->me,
                                           &addendum, &error));
  g_assert_no_error (error);
  before = cairn_database_query_text (fixture->db, dump, NULL, 0, NULL);

  sql = g_strdup_printf ("UPDATE notes SET sections = '{}' WHERE id = '%s'", id);
  assert_sql_refused (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE notes SET state = 'draft', signed_at = NULL, signed_by = NULL WHERE id = '%s'", id);
  assert_sql_refused (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE notes SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id = '%s'", id);
  assert_sql_refused (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM notes WHERE id = '%s'", id);
  assert_sql_refused (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE note_addenda SET text = 'changed' WHERE id = '%s'", addendum);
  assert_sql_refused (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM note_addenda WHERE id = '%s'", addendum);
  assert_sql_refused (fixture, sql);
  g_free (sql);
  /* Replacing the row is a delete too. */
  sql = g_strdup_printf ("INSERT OR REPLACE INTO note_addenda (id, note_id, text, created_at, updated_at,"
                         " author, signed_by, signed_at) SELECT id, note_id, 'changed', created_at,"
                         " updated_at, author, signed_by, signed_at FROM note_addenda WHERE id = '%s'",
                         addendum);
  assert_sql_refused (fixture, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT OR REPLACE INTO notes (id, patient_id, appointment_id, type_id, sections,"
                         " created_at, updated_at) VALUES ('z', 'p', '%s', 't', '{}', 'now', 'now')",
                         fixture->appointment);
  assert_sql_refused (fixture, sql);
  g_free (sql);
  /* A note cannot be written signed, nor signed rows slipped in. */
  assert_sql_refused (fixture, "INSERT INTO notes (id, patient_id, appointment_id, type_id, state, sections,"
                               " created_at, updated_at, signed_at, signed_by) VALUES ('x', 'p', 'a', 't',"
                               " 'signed', '{}', 'now', 'now', 'now', 'me')");
  after = cairn_database_query_text (fixture->db, dump, NULL, 0, NULL);
  g_assert_cmpstr (after, ==, before);

  /* A draft takes no addendum, even in plain SQL. */
  {
    g_autofree char *other = cairn_record_new_id ();
    g_autofree char *draft = NULL;
    g_autoptr(GHashTable) sections = sections_new ("intentions", "Draft.", NULL);

    g_assert_true (cairn_notes_save_draft (fixture->db, fixture->patient, other, "integration", NULL, sections,
                                           fixture->me, &draft, &error));
    sql = g_strdup_printf ("INSERT INTO note_addenda (id, note_id, text, created_at, updated_at, author,"
                           " signed_by, signed_at) VALUES ('y', '%s', 'text', 'now', 'now', 'me', 'me', 'now')",
                           draft);
    assert_sql_refused (fixture, sql);
    g_free (sql);
    /* A draft is never deleted either: it would get a tombstone. */
    sql = g_strdup_printf ("DELETE FROM notes WHERE id = '%s'", draft);
    assert_sql_refused (fixture, sql);
    g_free (sql);
    /* Nor moved onto the signed note's appointment, which REPLACE would delete. */
    sql = g_strdup_printf ("UPDATE OR REPLACE notes SET appointment_id = '%s' WHERE id = '%s'",
                           fixture->appointment, draft);
    assert_sql_refused (fixture, sql);
    g_clear_pointer (&sql, g_free);
  }
}

static void
test_addenda (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) sections = sections_new ("intentions", "Draft.", NULL);
  g_autoptr(CairnNote) note = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *id = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *other = cairn_record_new_id ();
  CairnNoteAddendum *a;
  guint before;

  /* Only on a signed note; not empty. Refusals write nothing. */
  g_assert_true (cairn_notes_save_draft (fixture->db, fixture->patient, other, "integration", NULL, sections,
                                         fixture->me, &draft, &error));
  before = audit_count (fixture);
  g_assert_false (cairn_notes_add_addendum (fixture->db, draft, "Too early.", fixture->me, NULL, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_NOT_SIGNED);
  g_clear_error (&error);

  id = signed_note (fixture);
  before = audit_count (fixture);
  g_assert_false (cairn_notes_add_addendum (fixture->db, id, " \n ", fixture->me, NULL, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_notes_add_addendum (fixture->db, "no-such-note", "Text.", fixture->me, NULL, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture), ==, before);

  g_assert_true (cairn_notes_add_addendum (fixture->db, id, "  First addendum.  ", fixture->me, &first, &error));
  g_assert_no_error (error);
  assert_last_audit (fixture, "note.addendum", id);
  g_assert_true (cairn_notes_add_addendum (fixture->db, id, "Second addendum.", fixture->me, &second, &error));
  g_assert_no_error (error);

  note = cairn_notes_get (fixture->db, id, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (note->addenda->len, ==, 2);
  a = g_ptr_array_index (note->addenda, 0);
  g_assert_cmpstr (a->id, ==, first);
  g_assert_cmpstr (a->text, ==, "First addendum.");
  g_assert_cmpstr (a->signed_by, ==, fixture->me);
  g_assert_cmpstr (a->author, ==, fixture->me);
  g_assert_nonnull (a->created_at);
  a = g_ptr_array_index (note->addenda, 1);
  g_assert_cmpstr (a->id, ==, second);

  /* Copies are deep. */
  {
    g_autoptr(CairnNote) copy = cairn_note_copy (note);

    g_assert_cmpuint (copy->addenda->len, ==, 2);
    g_assert_cmpstr (g_hash_table_lookup (copy->sections, "plan"), ==, "Second preparation session next week.");
  }
}

/* ------------------------------------------------------------------------ */
/* Phone check-ins                                                           */

static CairnPhoneCheckIn *
call (Fixture    *fixture,
      const char *appointment,
      gboolean    reached,
      gint64      called_at)
{
  CairnPhoneCheckIn *c = cairn_phone_check_in_new ();

  c->patient_id = g_strdup (fixture->patient);
  c->appointment_id = g_strdup (appointment);
  c->reached = reached;
  c->note = g_strdup ("Slept well, some tiredness.");
  c->called_at = called_at;
  return c;
}

static void
test_phone_check_ins (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(CairnPhoneCheckIn) first = call (fixture, fixture->appointment, TRUE, now - 3600);
  g_autoptr(CairnPhoneCheckIn) future = call (fixture, fixture->appointment, TRUE, now + 3600);
  g_autoptr(CairnPhoneCheckIn) not_reached = call (fixture, fixture->appointment, FALSE, now - 60);
  g_autoptr(CairnPhoneCheckIn) elsewhere = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *first_id = NULL;
  CairnPhoneCheckIn *c;
  guint before;

  /* Bad input: nothing written, nothing audited. */
  before = audit_count (fixture);
  g_assert_false (cairn_phone_check_ins_record (fixture->db, future, fixture->me, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "future"));
  g_clear_error (&error);
  g_assert_false (cairn_phone_check_ins_record (fixture->db, not_reached, fixture->me, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture), ==, before);
  g_assert_null (future->id);
  {
    g_autofree char *rows = cairn_database_query_text (fixture->db, "SELECT count(*) FROM phone_check_ins",
                                                       NULL, 0, NULL);
    g_assert_cmpstr (rows, ==, "0");
  }

  /* The problems, each at its field. */
  {
    g_autoptr(CairnPhoneCheckIn) bad = cairn_phone_check_in_new ();
    g_autoptr(GPtrArray) problems = NULL;

    bad->called_at = now + 7200;
    problems = cairn_phone_check_in_validate (bad, now);
    g_assert_cmpuint (problems->len, ==, 3);
    g_assert_cmpstr (((CairnNoteProblem *) g_ptr_array_index (problems, 0))->field, ==, "appointment_id");
    g_assert_cmpstr (((CairnNoteProblem *) g_ptr_array_index (problems, 1))->field, ==, "called_at");
    g_assert_cmpstr (((CairnNoteProblem *) g_ptr_array_index (problems, 2))->field, ==, "follow_up_action");
  }

  g_assert_true (cairn_phone_check_ins_record (fixture->db, first, fixture->me, &error));
  g_assert_no_error (error);
  g_assert_nonnull (first->id);
  g_assert_cmpstr (first->recorded_by, ==, fixture->me);
  assert_last_audit (fixture, "phone-check-in.record", first->id);
  first_id = g_strdup (first->id);

  /* Recorded again: the same row, changed, audited as a change. */
  not_reached->follow_up_action = g_strdup ("Call again this evening.");
  g_assert_true (cairn_phone_check_ins_record (fixture->db, not_reached, fixture->me, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (not_reached->id, ==, first_id);
  assert_last_audit (fixture, "phone-check-in.update", first_id);

  /* Another patient cannot take the appointment's call. */
  elsewhere = call (fixture, fixture->appointment, TRUE, now - 10);
  g_free (elsewhere->patient_id);
  elsewhere->patient_id = g_strdup ("someone-else");
  before = audit_count (fixture);
  g_assert_false (cairn_phone_check_ins_record (fixture->db, elsewhere, fixture->me, &error));
  g_assert_error (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (audit_count (fixture), ==, before);

  list = cairn_phone_check_ins_list (fixture->db, fixture->patient, fixture->me, &error);
  g_assert_no_error (error);
  assert_last_audit (fixture, "phone-check-in.list", fixture->patient);
  g_assert_cmpuint (list->len, ==, 1);
  c = g_ptr_array_index (list, 0);
  g_assert_cmpstr (c->id, ==, first_id);
  g_assert_false (c->reached);
  g_assert_cmpstr (c->follow_up_action, ==, "Call again this evening.");
  g_assert_cmpstr (c->note, ==, "Slept well, some tiredness.");
  g_assert_cmpint (c->called_at, ==, now - 60);
  g_assert_cmpstr (c->recorded_by, ==, fixture->me);

  /* Never deleted. */
  assert_sql_refused (fixture, "DELETE FROM phone_check_ins");

  g_assert_true (cairn_audit_verify (fixture->db, NULL, &error));
  g_assert_no_error (error);
}

/* Who started a note or recorded a call stays its author when another
 * user saves it again; that user is kept as the one who changed it. A
 * signed note stays as it is, "updated_by" too. */
static void
test_authors (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = cairn_record_new_id ();
  g_autofree char *note_id = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GHashTable) first = sections_new ("intentions", "Feel safe in the room.", NULL);
  g_autoptr(GHashTable) second = sections_new ("themes", "Grief, and a lighter mood by evening.", NULL);
  g_autoptr(CairnNote) note = NULL;
  g_autoptr(CairnNote) signed_note = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(CairnPhoneCheckIn) mine = call (fixture, fixture->appointment, TRUE, now - 3600);
  g_autoptr(CairnPhoneCheckIn) theirs = call (fixture, fixture->appointment, FALSE, now - 60);
  g_autofree char *check_in_appointment = NULL;
  const CairnPhoneCheckIn *read;

  /* A draft saved again by someone else. */
  g_assert_true (cairn_notes_save_draft (fixture->db, fixture->patient, fixture->appointment, "integration",
                                         NULL, first, fixture->me, &note_id, &error));
  g_assert_no_error (error);
  note = cairn_notes_get (fixture->db, note_id, fixture->me, &error);
  g_assert_cmpstr (note->author, ==, fixture->me);
  g_assert_cmpstr (note->updated_by, ==, fixture->me);
  g_clear_pointer (&note, cairn_note_free);
  g_assert_true (cairn_notes_save_draft (fixture->db, fixture->patient, fixture->appointment, "integration",
                                         NULL, second, other, NULL, &error));
  g_assert_no_error (error);
  note = cairn_notes_get (fixture->db, note_id, fixture->me, &error);
  g_assert_cmpstr (note->author, ==, fixture->me);
  g_assert_cmpstr (note->updated_by, ==, other);
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "themes"), ==, "Grief, and a lighter mood by evening.");

  /* Signed by the other: signer and last writer; the author stays. */
  g_assert_true (cairn_notes_sign (fixture->db, note_id, NULL, other, &error));
  g_assert_no_error (error);
  signed_note = cairn_notes_get (fixture->db, note_id, fixture->me, &error);
  g_assert_cmpstr (signed_note->author, ==, fixture->me);
  g_assert_cmpstr (signed_note->signed_by, ==, other);
  g_assert_cmpstr (signed_note->updated_by, ==, other);
  sql = g_strdup_printf ("UPDATE notes SET updated_by = 'someone' WHERE id = '%s'", note_id);
  assert_sql_refused (fixture, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE notes SET author = 'someone' WHERE id = '%s'", note_id);
  assert_sql_refused (fixture, sql);

  /* A phone check-in recorded again by someone else. */
  check_in_appointment = cairn_record_new_id ();
  g_free (mine->appointment_id);
  mine->appointment_id = g_strdup (check_in_appointment);
  g_free (theirs->appointment_id);
  theirs->appointment_id = g_strdup (check_in_appointment);
  theirs->follow_up_action = g_strdup ("Call again this evening.");
  g_assert_true (cairn_phone_check_ins_record (fixture->db, mine, fixture->me, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mine->recorded_by, ==, fixture->me);
  g_assert_cmpstr (mine->updated_by, ==, fixture->me);
  g_assert_true (cairn_phone_check_ins_record (fixture->db, theirs, other, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (theirs->id, ==, mine->id);
  g_assert_cmpstr (theirs->recorded_by, ==, fixture->me);
  g_assert_cmpstr (theirs->updated_by, ==, other);
  g_assert_cmpstr (theirs->created_at, ==, mine->created_at);

  list = cairn_phone_check_ins_list (fixture->db, fixture->patient, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  read = g_ptr_array_index (list, 0);
  g_assert_cmpstr (read->recorded_by, ==, fixture->me);
  g_assert_cmpstr (read->updated_by, ==, other);
  g_assert_false (read->reached);
  g_assert_cmpstr (read->created_at, ==, mine->created_at);
}

/* ------------------------------------------------------------------------ */
/* Drafts survive a crash                                                    */

/* The child: opens the vault and saves the same note's draft again and
 * again, its text numbered, printing each number once the save returned. */
static int
draft_child (const char *dir,
             const char *patient,
             const char *appointment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (dir, USER_NAME, PASSPHRASE, &error);
  g_autofree char *me = NULL;
  CairnDatabase *db;

  if (vault == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  db = cairn_vault_get_clinical (vault);
  me = cairn_vault_get_user_id (vault);
  for (guint64 n = 1;; n++)
    {
      g_autofree char *text = g_strdup_printf ("Draft %" G_GUINT64_FORMAT, n);
      g_autofree char *padding = g_strnfill (g_random_int_range (10, 3000), 'x');
      g_autoptr(GHashTable) sections = sections_new ("intentions", text, "themes", padding, NULL);

      if (!cairn_notes_save_draft (db, patient, appointment, "preparation", "the patient", sections, me,
                                   NULL, &error))
        {
          g_printerr ("child: %s\n", error->message);
          return 1;
        }
      printf ("%" G_GUINT64_FORMAT "\n", n);
      fflush (stdout);
    }
}

static guint64
last_reported (const char *output)
{
  const char *end = strrchr (output, '\n');
  const char *start;

  /* The last complete line: the child may be killed mid-print. */
  if (end == NULL)
    return 0;
  start = end;
  while (start > output && start[-1] != '\n')
    start--;
  return g_ascii_strtoull (start, NULL, 10);
}

static void
test_drafts_survive_sigkill (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  guint64 previous = 0;

  g_assert_nonnull (self_exe);
  /* The child opens the vault itself. */
  g_clear_object (&fixture->vault);

  for (guint k = 0; k < 12; k++)
    {
      g_autoptr(GError) error = NULL;
      const char *argv[] = { self_exe, "--draft-child", fixture->dir, fixture->patient, fixture->appointment, NULL };
      g_autoptr(GString) output = g_string_new (NULL);
      g_autoptr(CairnVault) vault = NULL;
      g_autoptr(CairnNote) note = NULL;
      g_autofree char *me = NULL;
      const char *text;
      guint64 reported, found;
      guint64 wanted = g_random_int_range (1, 40);
      GPid pid;
      int out_fd;
      int status;
      char buffer[512];

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);

      /* Let it save a random number of drafts (at least one), then kill
       * it wherever it is: mid-transaction as often as not. */
      while (last_reported (output->str) < wanted)
        {
          ssize_t n = read (out_fd, buffer, sizeof buffer);

          if (n <= 0)
            break;
          g_string_append_len (output, buffer, n);
        }
      /* Sometimes at once, sometimes a moment into the next save. */
      if (g_random_boolean ())
        g_usleep (g_random_int_range (0, 3000));
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      for (ssize_t n; (n = read (out_fd, buffer, sizeof buffer)) > 0;)
        g_string_append_len (output, buffer, n);
      close (out_fd);

      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      reported = last_reported (output->str);
      g_assert_cmpuint (reported, >=, wanted);

      /* The vault opens, is sound, and holds the last draft the child
       * reported saved, or the one it was saving when it died. */
      vault = cairn_vault_unlock (fixture->dir, USER_NAME, PASSPHRASE, &error);
      g_assert_no_error (error);
      g_assert_true (cairn_database_check (cairn_vault_get_clinical (vault), &error));
      g_assert_no_error (error);
      g_assert_true (cairn_audit_verify (cairn_vault_get_clinical (vault), NULL, &error));
      g_assert_no_error (error);
      me = cairn_vault_get_user_id (vault);
      note = cairn_notes_get_for_appointment (cairn_vault_get_clinical (vault), fixture->appointment, me, &error);
      g_assert_no_error (error);
      g_assert_nonnull (note);
      g_assert_cmpint (note->state, ==, CAIRN_NOTE_DRAFT);
      g_assert_cmpstr (note->attendees, ==, "the patient");
      text = g_hash_table_lookup (note->sections, "intentions");
      g_assert_true (g_str_has_prefix (text, "Draft "));
      found = g_ascii_strtoull (text + strlen ("Draft "), NULL, 10);
      g_assert_cmpuint (found, >=, reported);
      g_assert_cmpuint (found, <=, reported + 1);
      g_assert_nonnull (g_hash_table_lookup (note->sections, "themes"));
      g_test_message ("round %u: %" G_GUINT64_FORMAT " drafts reported saved, found draft %"
                      G_GUINT64_FORMAT, k, reported, found);
      previous += reported;
    }
  g_assert_cmpuint (previous, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);
  if (argc == 5 && g_strcmp0 (argv[1], "--draft-child") == 0)
    return draft_child (argv[2], argv[3], argv[4]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/notes/draft", test_draft);
  ADD ("/notes/sections-outlive-template", test_sections_outlive_template);
  g_test_add_func ("/notes/check-signable", test_check_signable);
  ADD ("/notes/sign", test_sign);
  ADD ("/notes/sign-empty-free-text", test_sign_empty_free_text);
  ADD ("/notes/signed-immutable-in-sql", test_signed_immutable_in_sql);
  ADD ("/notes/addenda", test_addenda);
  ADD ("/notes/phone-check-ins", test_phone_check_ins);
  ADD ("/notes/authors", test_authors);
  ADD ("/notes/drafts-survive-sigkill", test_drafts_survive_sigkill);
#undef ADD

  return g_test_run ();
}
