/* test-audit.c
 *
 * The end of the audit trail, in a real vault, in practice.db and in
 * clinical.db alike: the anchor follows every entry in its transaction;
 * the trail is append-only (no entry changed, removed or replaced, the
 * anchor neither removed, replaced nor moved but by an entry); and when
 * someone holding the key drops those triggers, the check still tells the
 * newest entries removed, the trail emptied, rolled back and written again,
 * the anchor (or its count alone) set back, or removed. A vault from before the anchor gets one
 * that matches its chain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cairn-audit.h"
#include "cairn-keyring.h"
#include "cairn-migrations.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

/* Cheap Argon2id for tests; the real cost is measured by the benchmark. */
static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

#define CLINICIAN   "Dr Ada Quell"
#define PASSPHRASE  "lantern orchard fiddle 42"
#define GENESIS     "0000000000000000000000000000000000000000000000000000000000000000"

/* The schema before the anchor, in both databases. */
#define BEFORE_ANCHOR 5

/* A test's data: NULL for an empty folder, else a CairnDatabaseKind + 1,
 * the database under test in a new vault. */
typedef struct
{
  char          *parent;
  char          *dir;
  CairnVault    *vault;
  CairnDatabase *db;      /* the database under test */
  char          *me;
} Fixture;

/* Appends @n entries to @db, each in its own transaction. */
static void
append (CairnDatabase *db,
        const char    *user_id,
        guint          n)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *detail = g_strdup_printf ("entry %u", i);

      g_assert_true (cairn_database_exec (db, "BEGIN IMMEDIATE", &error));
      g_assert_true (cairn_audit_append (db, user_id, "test.entry", NULL, detail, &error));
      g_assert_true (cairn_database_exec (db, "COMMIT", &error));
      g_assert_no_error (error);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-audit-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_build_filename (fixture->parent, "vault", NULL);
  if (data == NULL)
    return;

  fixture->vault = cairn_vault_create (fixture->dir, "Quell Practice", "Europe/Berlin", CLINICIAN, PASSPHRASE,
                                       &test_params, &recovery, &error);
  g_assert_no_error (error);
  fixture->me = cairn_vault_get_user_id (fixture->vault);
  fixture->db = GPOINTER_TO_INT (data) - 1 == CAIRN_DATABASE_KIND_PRACTICE
                ? cairn_vault_get_practice (fixture->vault) : cairn_vault_get_clinical (fixture->vault);
  g_assert_nonnull (fixture->db);
  append (fixture->db, fixture->me, 6);
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
}

static char *
query (CairnDatabase *db,
       const char    *sql)
{
  g_autoptr(GError) error = NULL;
  char *text = cairn_database_query_text (db, sql, NULL, 0, &error);

  g_assert_no_error (error);
  return text;
}

static guint
count_entries (CairnDatabase *db)
{
  g_autofree char *text = query (db, "SELECT count(*) FROM audit");

  return (guint) g_ascii_strtoull (text, NULL, 10);
}

/* The hash of the entry @back places before the newest (0: the newest). */
static char *
hash_back (CairnDatabase *db,
           guint          back)
{
  g_autofree char *sql = g_strdup_printf ("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1 OFFSET %u", back);

  return query (db, sql);
}

/* The anchor's row as "ENTRIES HEAD". */
static char *
anchor (CairnDatabase *db)
{
  return query (db, "SELECT entries || ' ' || head FROM audit_anchor");
}

static char *
fingerprint_of (const char *hash)
{
  g_autofree char *upper = g_ascii_strup (hash, 16);

  return g_strdup_printf ("%.4s-%.4s-%.4s-%.4s", upper, upper + 4, upper + 8, upper + 12);
}

/* What someone with the key and a SQLite of their own can do: drop the
 * triggers that keep the trail append-only. @keep_follow leaves the one
 * that moves the anchor with each entry. */
static void
drop_guards (CairnDatabase *db,
             gboolean       keep_follow)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cairn_database_exec (db,
                                      "DROP TRIGGER IF EXISTS audit_never_changes;"
                                      "DROP TRIGGER IF EXISTS audit_never_deleted;"
                                      "DROP TRIGGER IF EXISTS audit_insert_never_replaces;"
                                      "DROP TRIGGER IF EXISTS audit_anchor_moves_by_one;"
                                      "DROP TRIGGER IF EXISTS audit_anchor_never_deleted;"
                                      "DROP TRIGGER IF EXISTS audit_anchor_never_added;", &error));
  g_assert_no_error (error);
  if (!keep_follow)
    g_assert_true (cairn_database_exec (db, "DROP TRIGGER IF EXISTS audit_anchor_follows", &error));
  g_assert_no_error (error);
}

static void
assert_damaged (CairnDatabase *db,
                const char    *message)
{
  g_autoptr(GError) error = NULL;
  guint entries = 12345;

  g_assert_false (cairn_audit_verify (db, &entries, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (entries, ==, 12345);
}

static void
assert_intact (CairnDatabase *db,
               guint          expected)
{
  g_autoptr(GError) error = NULL;
  guint entries = 0;

  g_assert_true (cairn_audit_verify (db, &entries, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (entries, ==, expected);
}

/* @sql is refused by a trigger saying @why; nothing changes. */
static void
assert_refused (CairnDatabase *db,
                const char    *sql,
                const char    *why)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = query (db, "SELECT count(*) || ' ' || (SELECT entries || ' ' || head FROM audit_anchor)"
                                   " || ' ' || (SELECT group_concat (hash) FROM audit) FROM audit");
  g_autofree char *after = NULL;

  g_assert_false (cairn_database_exec (db, sql, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, why));
  after = query (db, "SELECT count(*) || ' ' || (SELECT entries || ' ' || head FROM audit_anchor)"
                 " || ' ' || (SELECT group_concat (hash) FROM audit) FROM audit");
  g_assert_cmpstr (after, ==, before);
}

/* ------------------------------------------------------------------------ */

static void
test_anchor_follows (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = count_entries (fixture->db);
  g_autofree char *last = hash_back (fixture->db, 0);
  g_autofree char *row = anchor (fixture->db);
  g_autofree char *expected = g_strdup_printf ("%u %s", n, last);
  g_autofree char *fingerprint = NULL;
  g_autofree char *wanted = fingerprint_of (last);
  g_autofree char *line = NULL;
  g_autofree char *line_wanted = NULL;
  CairnAuditHead head;
  guint entries = 0;

  /* The vault's own entries and ours, each counted, the newest the head. */
  g_assert_cmpuint (n, >=, 7);
  g_assert_cmpstr (row, ==, expected);
  assert_intact (fixture->db, n);

  g_assert_true (cairn_audit_get_head (fixture->db, &entries, &fingerprint, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (entries, ==, n);
  g_assert_cmpstr (fingerprint, ==, wanted);
  g_assert_true (g_regex_match_simple ("^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$", fingerprint, 0, 0));

  g_assert_true (cairn_audit_head_read (fixture->db, &head, &error));
  g_assert_cmpuint (head.entries, ==, n);
  g_assert_cmpstr (head.fingerprint, ==, wanted);
  line = cairn_audit_head_describe (&head);
  line_wanted = g_strdup_printf ("Audit trail: %u entries, head %s", n, wanted);
  g_assert_cmpstr (line, ==, line_wanted);
  g_clear_pointer (&line, g_free);
  head.entries = 1;
  line = cairn_audit_head_describe (&head);
  g_assert_true (g_str_has_prefix (line, "Audit trail: 1 entry, head "));

  /* The anchor moves in the entry's transaction: rolled back with it. */
  g_assert_true (cairn_database_exec (fixture->db, "BEGIN IMMEDIATE", &error));
  g_assert_true (cairn_audit_append (fixture->db, fixture->me, "test.rolled-back", NULL, NULL, &error));
  {
    g_autofree char *inside = anchor (fixture->db);
    g_autofree char *newest = hash_back (fixture->db, 0);
    g_autofree char *moved = g_strdup_printf ("%u %s", n + 1, newest);

    g_assert_cmpstr (inside, ==, moved);
  }
  g_assert_true (cairn_database_exec (fixture->db, "ROLLBACK", &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, g_free);
  row = anchor (fixture->db);
  g_assert_cmpstr (row, ==, expected);
  assert_intact (fixture->db, n);

  /* And committed with it. */
  append (fixture->db, fixture->me, 1);
  g_clear_pointer (&row, g_free);
  g_clear_pointer (&last, g_free);
  g_clear_pointer (&expected, g_free);
  row = anchor (fixture->db);
  last = hash_back (fixture->db, 0);
  expected = g_strdup_printf ("%u %s", n + 1, last);
  g_assert_cmpstr (row, ==, expected);
  assert_intact (fixture->db, n + 1);
}

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  guint n = count_entries (fixture->db);
  g_autofree char *older = hash_back (fixture->db, 2);
  g_autofree char *sql = NULL;

  /* No entry changes, the newest or any other. */
  assert_refused (fixture->db, "UPDATE audit SET detail = 'edited' WHERE seq = (SELECT max (seq) FROM audit)",
                  "An audit entry cannot change");
  assert_refused (fixture->db, "UPDATE audit SET hash = prev_hash", "An audit entry cannot change");

  /* None is removed: the newest, the last few, all. */
  assert_refused (fixture->db, "DELETE FROM audit WHERE seq = (SELECT max (seq) FROM audit)",
                  "An audit entry is never deleted");
  assert_refused (fixture->db, "DELETE FROM audit WHERE seq > (SELECT max (seq) - 2 FROM audit)",
                  "An audit entry is never deleted");
  assert_refused (fixture->db, "DELETE FROM audit", "An audit entry is never deleted");

  /* Nor replaced: REPLACE would delete it without a delete trigger. */
  assert_refused (fixture->db,
                  "INSERT OR REPLACE INTO audit (seq, id, at, action, prev_hash, hash)"
                  " SELECT seq, 'other', at, 'forged', prev_hash, hash FROM audit ORDER BY seq DESC LIMIT 1",
                  "never in place of one");
  assert_refused (fixture->db,
                  "INSERT OR REPLACE INTO audit (id, at, action, prev_hash, hash)"
                  " SELECT id, at, 'forged', prev_hash, hash FROM audit ORDER BY seq DESC LIMIT 1",
                  "never in place of one");

  /* The anchor is never removed or replaced... */
  assert_refused (fixture->db, "DELETE FROM audit_anchor", "The audit anchor is never removed");
  assert_refused (fixture->db, "INSERT OR REPLACE INTO audit_anchor (id, entries, head) VALUES (1, 0, '" GENESIS "')",
                  "The audit trail has one anchor");

  /* ...and moves only with a new entry: not back to an older state, not
   * forward without an entry, not to another head. */
  sql = g_strdup_printf ("UPDATE audit_anchor SET entries = entries - 2, head = '%s'", older);
  assert_refused (fixture->db, sql, "The audit anchor moves only with a new entry");
  assert_refused (fixture->db, "UPDATE audit_anchor SET entries = entries + 1",
                  "The audit anchor moves only with a new entry");
  assert_refused (fixture->db, "UPDATE audit_anchor SET head = '" GENESIS "'",
                  "The audit anchor moves only with a new entry");

  /* Rolling the trail back, tail and anchor in one transaction: refused
   * at its first step. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("BEGIN IMMEDIATE;"
                         "DELETE FROM audit WHERE seq > (SELECT max (seq) - 2 FROM audit);"
                         "UPDATE audit_anchor SET entries = entries - 2, head = '%s';"
                         "COMMIT;", older);
  assert_refused (fixture->db, sql, "An audit entry is never deleted");
  g_assert_true (cairn_database_exec (fixture->db, "ROLLBACK", NULL));

  assert_intact (fixture->db, n);
  append (fixture->db, fixture->me, 1);
  assert_intact (fixture->db, n + 1);
}

static void
test_newest_removed (Fixture       *fixture,
                     gconstpointer  data)
{
  guint n = count_entries (fixture->db);
  g_autofree char *one = NULL;
  g_autofree char *three = NULL;

  drop_guards (fixture->db, TRUE);
  g_assert_true (cairn_database_exec (fixture->db, "DELETE FROM audit WHERE seq = (SELECT max (seq) FROM audit)",
                                      NULL));
  one = g_strdup_printf ("The audit trail ends early: it holds %u entries, but %u were written. "
                         "Its newest entry was removed.", n - 1, n);
  assert_damaged (fixture->db, one);

  g_assert_true (cairn_database_exec (fixture->db, "DELETE FROM audit WHERE seq > (SELECT max (seq) - 2 FROM audit)",
                                      NULL));
  three = g_strdup_printf ("The audit trail ends early: it holds %u entries, but %u were written. "
                           "Its newest 3 entries were removed.", n - 3, n);
  assert_damaged (fixture->db, three);
}

static void
test_emptied (Fixture       *fixture,
              gconstpointer  data)
{
  guint n = count_entries (fixture->db);
  g_autofree char *message = g_strdup_printf ("The audit trail is empty, but %u entries were written. "
                                              "All its entries were removed.", n);

  drop_guards (fixture->db, TRUE);
  g_assert_true (cairn_database_exec (fixture->db, "DELETE FROM audit", NULL));
  g_assert_cmpuint (count_entries (fixture->db), ==, 0);
  assert_damaged (fixture->db, message);
}

/* The tail removed and as many entries written again in its place, each
 * chained to the one before: the count is right, the head is not. */
static void
test_rolled_back_and_rewritten (Fixture       *fixture,
                                gconstpointer  data)
{
  guint n = count_entries (fixture->db);

  drop_guards (fixture->db, FALSE);
  g_assert_true (cairn_database_exec (fixture->db, "DELETE FROM audit WHERE seq > (SELECT max (seq) - 2 FROM audit)",
                                      NULL));
  append (fixture->db, fixture->me, 2);
  g_assert_cmpuint (count_entries (fixture->db), ==, n);
  assert_damaged (fixture->db, "The audit trail's newest entry is not the one written last: the trail was rolled "
                               "back to an older state and written again from there.");
}

/* With the anchor's own trigger left in place, what is written after the
 * tail is removed still counts: the trail stays short of its anchor. */
static void
test_rolled_back_and_appended (Fixture       *fixture,
                               gconstpointer  data)
{
  guint n = count_entries (fixture->db);
  g_autofree char *message = g_strdup_printf ("The audit trail ends early: it holds %u entries, but %u were "
                                              "written. Its newest 2 entries were removed.", n, n + 2);

  drop_guards (fixture->db, TRUE);
  g_assert_true (cairn_database_exec (fixture->db, "DELETE FROM audit WHERE seq > (SELECT max (seq) - 2 FROM audit)",
                                      NULL));
  append (fixture->db, fixture->me, 2);
  assert_damaged (fixture->db, message);
}

/* The anchor alone set back to an older state of an intact trail. */
static void
test_anchor_set_back (Fixture       *fixture,
                      gconstpointer  data)
{
  guint n = count_entries (fixture->db);
  g_autofree char *older = hash_back (fixture->db, 2);
  g_autofree char *sql = g_strdup_printf ("UPDATE audit_anchor SET entries = entries - 2, head = '%s'", older);
  g_autofree char *message = g_strdup_printf ("The audit trail holds %u entries, but its anchor records only %u: "
                                              "the anchor was set back to an older state, or entries were added "
                                              "without moving it.", n, n - 2);

  drop_guards (fixture->db, FALSE);
  g_assert_true (cairn_database_exec (fixture->db, sql, NULL));
  assert_damaged (fixture->db, message);
}

/* The anchor's count alone set back by one, its head left: the count is
 * checked, not only the head. */
static void
test_anchor_count_set_back (Fixture       *fixture,
                            gconstpointer  data)
{
  guint n = count_entries (fixture->db);
  g_autofree char *message = g_strdup_printf ("The audit trail holds %u entries, but its anchor records only %u: "
                                              "the anchor was set back to an older state, or entries were added "
                                              "without moving it.", n, n - 1);

  drop_guards (fixture->db, FALSE);
  g_assert_true (cairn_database_exec (fixture->db, "UPDATE audit_anchor SET entries = entries - 1", NULL));
  assert_damaged (fixture->db, message);
}

/* Trail and anchor rolled back together leave nothing to tell them by in
 * the database: a head printed before, kept elsewhere, tells them. */
static void
test_rolled_back_whole (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = count_entries (fixture->db);
  g_autofree char *older = hash_back (fixture->db, 2);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM audit WHERE seq > (SELECT max (seq) - 2 FROM audit);"
                                          "UPDATE audit_anchor SET entries = entries - 2, head = '%s'", older);
  CairnAuditHead printed, now;

  g_assert_true (cairn_audit_head_read (fixture->db, &printed, &error));
  drop_guards (fixture->db, FALSE);
  g_assert_true (cairn_database_exec (fixture->db, sql, &error));
  g_assert_no_error (error);
  assert_intact (fixture->db, n - 2);
  g_assert_true (cairn_audit_head_read (fixture->db, &now, &error));
  g_assert_cmpuint (printed.entries, ==, n);
  g_assert_cmpuint (now.entries, ==, n - 2);
  g_assert_cmpstr (printed.fingerprint, !=, now.fingerprint);
}

static void
test_anchor_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char *message = "The audit trail's anchor is missing: the record of how many entries were "
                               "written, and of the newest, was removed, so entries removed from its end could "
                               "not be told.";
  g_autoptr(GError) error = NULL;
  guint entries = 0;

  drop_guards (fixture->db, FALSE);
  g_assert_true (cairn_database_exec (fixture->db, "DELETE FROM audit_anchor", NULL));
  assert_damaged (fixture->db, message);
  g_assert_false (cairn_audit_get_head (fixture->db, &entries, NULL, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED);
  g_clear_error (&error);

  /* The table itself dropped: the database's version still says it had one. */
  g_assert_true (cairn_database_exec (fixture->db, "DROP TABLE audit_anchor", NULL));
  assert_damaged (fixture->db, message);
  g_assert_false (cairn_audit_get_head (fixture->db, &entries, NULL, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED);
}

/* A vault made before the anchor: its chains verify as they are, and
 * upgrading anchors each where it ends (an empty one at the start). */
static void
test_upgrade (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) keyring = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;
  g_autoptr(CairnDatabase) practice = NULL;
  g_autoptr(CairnDatabase) clinical = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *practice_path = g_build_filename (fixture->dir, "practice.db", NULL);
  g_autofree char *clinical_path = g_build_filename (fixture->dir, "clinical.db", NULL);
  g_autofree char *keyring_path = g_build_filename (fixture->dir, "keyring", NULL);
  g_autofree char *last = NULL;
  g_autofree char *row = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *wanted = NULL;
  guint entries = 0;

  g_assert_cmpint (g_mkdir (fixture->dir, 0700), ==, 0);
  keyring = cairn_keyring_new (&keys);
  g_assert_true (cairn_keyring_add_user (keyring, keys, CLINICIAN, CAIRN_ROLE_CLINICIAN, PASSPHRASE,
                                         &test_params, NULL, &error));
  g_assert_true (cairn_keyring_save (keyring, keyring_path, &error));
  g_assert_no_error (error);

  /* practice.db with a chain of five, clinical.db with none. */
  practice = cairn_database_open (practice_path, keys->practice, cairn_keyring_get_practice_id (keyring),
                                  TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_migrations_run (practice, CAIRN_DATABASE_KIND_PRACTICE, BEFORE_ANCHOR, &error));
  g_assert_no_error (error);
  append (practice, NULL, 5);
  clinical = cairn_database_open (clinical_path, keys->clinical, cairn_keyring_get_clinical_id (keyring),
                                  TRUE, &error);
  g_assert_true (cairn_migrations_run (clinical, CAIRN_DATABASE_KIND_CLINICAL, BEFORE_ANCHOR, &error));
  g_assert_no_error (error);

  /* Before: no anchor yet, nothing wrong; the head is the chain's end. */
  last = hash_back (practice, 0);
  wanted = fingerprint_of (last);
  assert_intact (practice, 5);
  g_assert_true (cairn_audit_get_head (practice, &entries, &fingerprint, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (entries, ==, 5);
  g_assert_cmpstr (fingerprint, ==, wanted);

  /* After: the anchor is the chain as it stood. */
  g_assert_true (cairn_migrations_run (practice, CAIRN_DATABASE_KIND_PRACTICE, 0, &error));
  g_assert_no_error (error);
  row = anchor (practice);
  expected = g_strdup_printf ("5 %s", last);
  g_assert_cmpstr (row, ==, expected);
  assert_intact (practice, 5);
  g_clear_pointer (&fingerprint, g_free);
  g_assert_true (cairn_audit_get_head (practice, &entries, &fingerprint, &error));
  g_assert_cmpuint (entries, ==, 5);
  g_assert_cmpstr (fingerprint, ==, wanted);
  /* And it holds from the first append on. */
  assert_refused (practice, "DELETE FROM audit WHERE seq = (SELECT max (seq) FROM audit)",
                  "An audit entry is never deleted");
  g_clear_pointer (&practice, cairn_database_close);
  g_clear_pointer (&clinical, cairn_database_close);

  /* Unlocking upgrades clinical.db: its empty trail is anchored at the
   * start, and practice.db's moves on with the unlock's entry. */
  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_migrations_version (cairn_vault_get_clinical (vault), NULL), ==,
                    cairn_migrations_latest (CAIRN_DATABASE_KIND_CLINICAL));
  g_clear_pointer (&row, g_free);
  row = anchor (cairn_vault_get_clinical (vault));
  g_assert_cmpstr (row, ==, "0 " GENESIS);
  assert_intact (cairn_vault_get_clinical (vault), 0);
  g_clear_pointer (&fingerprint, g_free);
  g_assert_true (cairn_audit_get_head (cairn_vault_get_clinical (vault), &entries, &fingerprint, &error));
  g_assert_cmpuint (entries, ==, 0);
  g_assert_cmpstr (fingerprint, ==, "0000-0000-0000-0000");

  assert_intact (cairn_vault_get_practice (vault), 6);
  g_clear_pointer (&row, g_free);
  g_clear_pointer (&last, g_free);
  g_clear_pointer (&expected, g_free);
  row = anchor (cairn_vault_get_practice (vault));
  last = hash_back (cairn_vault_get_practice (vault), 0);
  expected = g_strdup_printf ("6 %s", last);
  g_assert_cmpstr (row, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

#define ADD_ONE(path, kind, func) \
  g_test_add ((path), Fixture, GINT_TO_POINTER ((kind) + 1), fixture_set_up, (func), fixture_tear_down)
#define ADD(name, func) \
  ADD_ONE ("/audit/practice/" name, CAIRN_DATABASE_KIND_PRACTICE, func); \
  ADD_ONE ("/audit/clinical/" name, CAIRN_DATABASE_KIND_CLINICAL, func)
  ADD ("anchor-follows", test_anchor_follows);
  ADD ("append-only", test_append_only);
  ADD ("newest-removed", test_newest_removed);
  ADD ("emptied", test_emptied);
  ADD ("rolled-back-and-rewritten", test_rolled_back_and_rewritten);
  ADD ("rolled-back-and-appended", test_rolled_back_and_appended);
  ADD ("anchor-set-back", test_anchor_set_back);
  ADD ("anchor-count-set-back", test_anchor_count_set_back);
  ADD ("rolled-back-whole", test_rolled_back_whole);
  ADD ("anchor-missing", test_anchor_missing);
  g_test_add ("/audit/upgrade", Fixture, NULL, fixture_set_up, test_upgrade, fixture_tear_down);

  return g_test_run ();
}
