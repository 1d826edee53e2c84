/* test-protocols.c
 *
 * The practice's protocol templates in a real vault: the list of shipped
 * and own templates with the one in use; duplicating (a shipped or an own
 * one, names made unique); saving an edit, audited, and read back; saving
 * refused for a shipped template, invalid JSON, a bad field (named), a
 * name another template has, an archived or unknown id, with nothing
 * written; choosing the template in use, and the default when none is
 * chosen; archiving refused while in use; importing a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-protocols.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

typedef struct
{
  char          *parent;
  CairnVault    *vault;
  CairnDatabase *db;
  char          *me;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *recovery = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-protocols-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (fixture->parent, "vault", NULL);
  fixture->vault = cairn_vault_create (dir, "Quell Practice", "Europe/Berlin", "Dr Ada Quell",
                                       "lantern orchard fiddle 42", &test_params, &recovery, &error);
  g_assert_no_error (error);
  fixture->db = cairn_vault_get_practice (fixture->vault);
  fixture->me = cairn_vault_get_user_id (fixture->vault);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->vault);
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->me);
}

static char *
query (Fixture    *fixture,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *text = cairn_database_query_text (fixture->db, sql, NULL, 0, &error);

  g_assert_no_error (error);
  return text;
}

static char *
last_audit (Fixture *fixture)
{
  return query (fixture, "SELECT action || ' ' || coalesce (entity, '') || ' ' || coalesce (user_id, '')"
                         " FROM audit ORDER BY seq DESC LIMIT 1");
}

static guint
n_audit (Fixture *fixture)
{
  g_autofree char *n = query (fixture, "SELECT count(*) FROM audit");

  return (guint) g_ascii_strtoull (n, NULL, 10);
}

/* The list as "id" for a shipped template, "own:name" for the practice's,
 * "*" marking the one in use. */
static char *
describe_list (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = cairn_protocols_list (fixture->db, &error);
  GString *text = g_string_new (NULL);
  guint n_active = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      const CairnProtocolInfo *info = g_ptr_array_index (list, i);

      g_assert_cmpstr (info->medicine, !=, "");
      g_string_append_printf (text, "%s%s%s", i > 0 ? "; " : "",
                              info->shipped ? info->id : "own", info->active ? "*" : "");
      if (!info->shipped)
        g_string_append_printf (text, ":%s", info->name);
      n_active += info->active;
    }
  g_assert_cmpuint (n_active, ==, 1);
  return g_string_free (text, FALSE);
}

/* The template @id with @path (such as "course.preparation.count") set to
 * the JSON @value, as text. */
static char *
edited (Fixture    *fixture,
        const char *id,
        const char *path,
        const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocols_load (fixture->db, id, &error);
  g_autofree char *data = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object;

  g_assert_no_error (error);
  data = cairn_protocol_to_data (protocol);
  root = json_from_string (data, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  for (guint i = 0; parts[i + 1] != NULL; i++)
    {
      char *bracket = strchr (parts[i], '[');

      if (bracket != NULL)
        {
          *bracket = '\0';
          object = json_array_get_object_element (json_object_get_array_member (object, parts[i]),
                                                  g_ascii_strtoull (bracket + 1, NULL, 10));
        }
      else
        object = json_object_get_object_member (object, parts[i]);
      g_assert_nonnull (object);
    }
  json_object_set_member (object, parts[g_strv_length (parts) - 1], json_from_string (value, &error));
  g_assert_no_error (error);
  return json_to_string (root, TRUE);
}

static void
test_default (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) active = NULL;
  g_autofree char *list = NULL;
  g_autofree char *id = NULL;

  /* A new vault works with the default template. */
  active = cairn_protocols_get_active (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cairn_protocol_get_id (active), ==, CAIRN_PROTOCOL_DEFAULT_ID);
  list = describe_list (fixture);
  g_assert_cmpstr (list, ==, "ketamine-kap; mdma-mapp*");

  /* And so does a vault whose setting is gone (one made before there was one). */
  g_assert_true (cairn_database_exec (fixture->db,
                                      "DELETE FROM settings WHERE key = 'protocol_template'", &error));
  g_clear_pointer (&active, cairn_protocol_unref);
  active = cairn_protocols_get_active (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cairn_protocol_get_id (active), ==, "mdma-mapp");
  id = cairn_protocols_get_active_id (fixture->db, &error);
  g_assert_cmpstr (id, ==, "mdma-mapp");

  g_assert_true (cairn_protocols_is_shipped ("ketamine-kap"));
  g_assert_false (cairn_protocols_is_shipped ("Ketamine-kap"));
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *list = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *based_on = NULL;
  g_autoptr(CairnProtocol) shipped = cairn_protocol_load_default ();
  g_autoptr(CairnProtocol) copy = NULL;
  g_autoptr(CairnProtocol) back = NULL;

  first = cairn_protocols_duplicate (fixture->db, "mdma-mapp", fixture->me, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_true (g_uuid_string_is_valid (first));
  g_assert_false (cairn_protocols_is_shipped (first));

  audit = last_audit (fixture);
  expected = g_strdup_printf ("protocol.duplicate %s %s", first, fixture->me);
  g_assert_cmpstr (audit, ==, expected);
  based_on = query (fixture, "SELECT based_on FROM protocol_templates");
  g_assert_cmpstr (based_on, ==, "mdma-mapp");

  /* The same content under the new id and name. */
  copy = cairn_protocols_load (fixture->db, first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cairn_protocol_get_id (copy), ==, first);
  g_assert_cmpstr (cairn_protocol_get_name (copy), ==, "Copy of MDMA-assisted therapy (MAPP-style)");
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (copy), ==,
                    cairn_protocol_get_n_exclusions (shipped));
  g_assert_cmpuint (cairn_protocol_get_n_timepoints (copy), ==,
                    cairn_protocol_get_n_timepoints (shipped));
  g_assert_cmpuint (cairn_protocol_get_course (copy)->medicine_sessions.count, ==, 3);
  back = cairn_protocol_duplicate (copy, "mdma-mapp", cairn_protocol_get_name (shipped), NULL);
  {
    g_autofree char *a = cairn_protocol_to_data (back);
    g_autofree char *b = cairn_protocol_to_data (shipped);

    g_assert_cmpstr (a, ==, b);
  }

  /* Again: the name is taken, so it gets a number; an own one can be copied too. */
  second = cairn_protocols_duplicate (fixture->db, "mdma-mapp", fixture->me, &error);
  g_assert_no_error (error);
  third = cairn_protocols_duplicate (fixture->db, first, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second);

  list = describe_list (fixture);
  g_assert_cmpstr (list, ==,
                   "ketamine-kap; mdma-mapp*; "
                   "own:Copy of Copy of MDMA-assisted therapy (MAPP-style); "
                   "own:Copy of MDMA-assisted therapy (MAPP-style); "
                   "own:Copy of MDMA-assisted therapy (MAPP-style) (2)");

  /* Nothing there to copy. */
  g_assert_null (cairn_protocols_duplicate (fixture->db, "no-such", fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_NOT_FOUND);
}

static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cairn_protocols_duplicate (fixture->db, "ketamine-kap", fixture->me, &error);
  g_autofree char *json = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *list = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(CairnProtocol) back = NULL;
  g_autoptr(CairnProtocol) back2 = NULL;
  GPtrArray *sections;

  g_assert_no_error (error);

  /* A count, a note section and the name. */
  json = edited (fixture, id, "course.medicine_sessions.count", "4");
  g_assert_true (cairn_protocols_save (fixture->db, json, -1, fixture->me, &error));
  g_assert_no_error (error);
  g_free (json);
  json = edited (fixture, id, "appointment_types[3].note_sections[1].title", "\"Insights\"");
  g_assert_true (cairn_protocols_save (fixture->db, json, -1, fixture->me, &error));
  g_free (json);
  json = edited (fixture, id, "name", "\"Our ketamine course\"");
  g_assert_true (cairn_protocols_save (fixture->db, json, -1, fixture->me, &error));
  g_assert_no_error (error);

  audit = last_audit (fixture);
  expected = g_strdup_printf ("protocol.save %s %s", id, fixture->me);
  g_assert_cmpstr (audit, ==, expected);

  back = cairn_protocols_load (fixture->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_protocol_get_course (back)->medicine_sessions.count, ==, 4);
  sections = cairn_protocol_get_note_sections (back, "integration");
  g_assert_cmpstr (((CairnNoteSection *) g_ptr_array_index (sections, 1))->title, ==, "Insights");
  g_assert_cmpstr (cairn_protocol_get_name (back), ==, "Our ketamine course");
  stored = query (fixture, "SELECT name FROM protocol_templates");
  g_assert_cmpstr (stored, ==, "Our ketamine course");
  list = describe_list (fixture);
  g_assert_cmpstr (list, ==, "ketamine-kap; mdma-mapp*; own:Our ketamine course");

  /* A saved CairnProtocol does the same. */
  back2 = cairn_protocol_duplicate (back, id, "Our ketamine course, 2026", NULL);
  g_assert_true (cairn_protocols_save_protocol (fixture->db, back2, fixture->me, &error));
  g_assert_no_error (error);
  g_free (stored);
  stored = query (fixture, "SELECT name FROM protocol_templates");
  g_assert_cmpstr (stored, ==, "Our ketamine course, 2026");
}

static void
assert_save_refused (Fixture    *fixture,
                     const char *json,
                     GQuark      domain,
                     int         code,
                     const char *message_start)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = query (fixture, "SELECT group_concat (template || updated_at) FROM protocol_templates");
  g_autofree char *after = NULL;
  guint n = n_audit (fixture);

  g_assert_false (cairn_protocols_save (fixture->db, json, -1, fixture->me, &error));
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, message_start));

  /* Nothing written, nothing audited. */
  after = query (fixture, "SELECT group_concat (template || updated_at) FROM protocol_templates");
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (n_audit (fixture), ==, n);
}

static void
test_save_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cairn_protocols_duplicate (fixture->db, "mdma-mapp", fixture->me, &error);
  g_autofree char *other = cairn_protocols_duplicate (fixture->db, "mdma-mapp", fixture->me, &error);
  g_autoptr(CairnProtocol) shipped = cairn_protocol_load_default ();
  g_autofree char *shipped_json = cairn_protocol_to_data (shipped);
  g_autofree char *json = NULL;
  g_autofree char *other_name = NULL;

  g_assert_no_error (error);

  /* A shipped template is never overwritten, even with its own content. */
  assert_save_refused (fixture, shipped_json, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_SHIPPED,
                       "This protocol template comes with Cairn");
  g_assert_false (cairn_protocols_save_protocol (fixture->db, shipped, fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_SHIPPED);
  g_clear_error (&error);

  /* Not JSON; a bad field, named. */
  assert_save_refused (fixture, "{ \"format\": ", CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE,
                       "The template is not valid JSON");
  json = edited (fixture, id, "course.preparation.count", "0");
  assert_save_refused (fixture, json, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID,
                       "course.preparation.count: must be a whole number from 1 to 50");
  g_free (json);
  json = edited (fixture, id, "appointment_types[1].note_sections[0].title", "\"\"");
  assert_save_refused (fixture, json, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID,
                       "appointment_types[1].note_sections[0].title: must not be empty");
  g_free (json);
  json = edited (fixture, id, "measures[0].instrument", "\"hamd\"");
  assert_save_refused (fixture, json, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID,
                       "measures[0].instrument: ");

  /* A name another template has: own (any case) or shipped. */
  g_free (json);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT upper (name) FROM protocol_templates WHERE id = '%s'",
                                            other);

    g_free (other_name);
    other_name = query (fixture, sql);
  }
  {
    g_autofree char *value = g_strdup_printf ("\"%s\"", other_name);

    json = edited (fixture, id, "name", value);
  }
  assert_save_refused (fixture, json, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_INVALID,
                       "name: there is already a protocol template called");
  g_free (json);
  json = edited (fixture, id, "name", "\" Ketamine-assisted therapy (KAP-style)\"");
  assert_save_refused (fixture, json, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_INVALID,
                       "name: there is already a protocol template called");

  /* An id the vault does not have. */
  g_free (json);
  json = edited (fixture, id, "id", "\"made-up\"");
  assert_save_refused (fixture, json, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_NOT_FOUND,
                       "This protocol template is not in the vault");

  /* An archived one. */
  g_assert_true (cairn_protocols_archive (fixture->db, other, fixture->me, &error));
  g_assert_no_error (error);
  g_free (json);
  json = edited (fixture, other, "course.preparation.count", "2");
  assert_save_refused (fixture, json, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_NOT_FOUND,
                       "This protocol template is not in the vault");

  /* Its name is free again. */
  g_free (json);
  {
    g_autofree char *value = g_strdup_printf ("\"%s\"", other_name);

    json = edited (fixture, id, "name", value);
  }
  g_assert_true (cairn_protocols_save (fixture->db, json, -1, fixture->me, &error));
  g_assert_no_error (error);
}

static void
test_active (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cairn_protocols_duplicate (fixture->db, "mdma-mapp", fixture->me, &error);
  g_autofree char *json = NULL;
  g_autofree char *list = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(CairnProtocol) active = NULL;
  guint n;

  g_assert_no_error (error);

  /* An own template, and an edit to it, is what the practice works with. */
  g_assert_true (cairn_protocols_set_active (fixture->db, id, fixture->me, &error));
  g_assert_no_error (error);
  audit = last_audit (fixture);
  expected = g_strdup_printf ("protocol.activate %s %s", id, fixture->me);
  g_assert_cmpstr (audit, ==, expected);
  json = edited (fixture, id, "course.follow_up.first_after_days", "90");
  g_assert_true (cairn_protocols_save (fixture->db, json, -1, fixture->me, &error));
  active = cairn_protocols_get_active (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cairn_protocol_get_id (active), ==, id);
  g_assert_cmpuint (cairn_protocol_get_course (active)->follow_up.first_after_days, ==, 90);
  list = describe_list (fixture);
  g_assert_cmpstr (list, ==, "ketamine-kap; mdma-mapp; own*:Copy of MDMA-assisted therapy (MAPP-style)");

  /* Not while it is in use; not a shipped one, ever. */
  n = n_audit (fixture);
  g_assert_false (cairn_protocols_archive (fixture->db, id, fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_ACTIVE);
  g_clear_error (&error);
  g_assert_false (cairn_protocols_archive (fixture->db, "ketamine-kap", fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_SHIPPED);
  g_clear_error (&error);
  g_assert_false (cairn_protocols_archive (fixture->db, "no-such", fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cairn_protocols_set_active (fixture->db, "no-such", fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (n_audit (fixture), ==, n);

  /* A shipped one in use, the own one archived: out of the list, still readable. */
  g_assert_true (cairn_protocols_set_active (fixture->db, "ketamine-kap", fixture->me, &error));
  g_assert_true (cairn_protocols_archive (fixture->db, id, fixture->me, &error));
  g_assert_no_error (error);
  g_free (audit);
  g_free (expected);
  audit = last_audit (fixture);
  expected = g_strdup_printf ("protocol.archive %s %s", id, fixture->me);
  g_assert_cmpstr (audit, ==, expected);
  g_free (list);
  list = describe_list (fixture);
  g_assert_cmpstr (list, ==, "ketamine-kap*; mdma-mapp");
  g_clear_pointer (&active, cairn_protocol_unref);
  active = cairn_protocols_load (fixture->db, id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&active, cairn_protocol_unref);
  active = cairn_protocols_get_active (fixture->db, &error);
  g_assert_cmpstr (cairn_protocol_get_medicine (active), ==, "Ketamine");

  /* An archived template cannot be chosen, nor archived again. */
  g_assert_false (cairn_protocols_set_active (fixture->db, id, fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cairn_protocols_archive (fixture->db, id, fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_NOT_FOUND);
}

static char *
replace_once (const char *text,
              const char *old,
              const char *new)
{
  const char *at = strstr (text, old);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, new, at + strlen (old));
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) shipped = cairn_protocol_load_shipped ("ketamine-kap", NULL);
  g_autofree char *json = cairn_protocol_to_data (shipped);
  g_autofree char *id = NULL;
  g_autofree char *list = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(CairnProtocol) imported = NULL;
  guint n;

  /* Under a new id; its name is a shipped one's, so it gets a number. */
  id = cairn_protocols_import (fixture->db, json, -1, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (id));
  imported = cairn_protocols_load (fixture->db, id, &error);
  g_assert_cmpstr (cairn_protocol_get_name (imported), ==, "Ketamine-assisted therapy (KAP-style) (2)");
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (imported), ==,
                    cairn_protocol_get_n_exclusions (shipped));
  list = describe_list (fixture);
  g_assert_cmpstr (list, ==, "ketamine-kap; mdma-mapp*; own:Ketamine-assisted therapy (KAP-style) (2)");

  /* A bad file: the field named, nothing added. */
  n = n_audit (fixture);
  bad = replace_once (json, "\"minutes\" : 90", "\"minutes\" : ]");
  g_assert_null (cairn_protocols_import (fixture->db, bad, -1, fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE);
  g_clear_error (&error);
  g_free (bad);
  bad = replace_once (json, "\"minutes\" : 90", "\"minutes\" : 1");
  g_assert_null (cairn_protocols_import (fixture->db, bad, -1, fixture->me, &error));
  g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "appointment_types[0].minutes: "));
  g_assert_cmpuint (n_audit (fixture), ==, n);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/protocols/default", test_default);
  ADD ("/protocols/duplicate", test_duplicate);
  ADD ("/protocols/save", test_save);
  ADD ("/protocols/save-refused", test_save_refused);
  ADD ("/protocols/active", test_active);
  ADD ("/protocols/import", test_import);

  return g_test_run ();
}
