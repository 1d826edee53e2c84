/* test-rekey.c
 *
 * Re-keying the vault, on real files: the data survives, the old keys,
 * the old recovery key and the other users' passphrases stop working,
 * nothing readable is left anywhere, and a refusal or a failure half-way
 * leaves the vault exactly as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cairn-audit.h"
#include "cairn-test-tree.h"
#include "cairn-vault-private.h"
#include "cairn-vault.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

/* Cheap Argon2id for tests; the real cost is measured by the benchmark. */
static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

#define CLINICIAN   "Dr Ada Quell"
#define PASSPHRASE  "lantern orchard fiddle 42"
#define DESK        "Front Desk"
#define DESK_PASS   "saffron tunnel mosaic 7"
#define CANARY      "Qvxzkw-rekey-canary-Jjqqyy"

/* Where SQLite would put temporary files, were it allowed to: a folder of
 * this test's own, scanned for canaries. */
static char *scratch_dir;

typedef struct
{
  char *parent;
  char *dir;
  char *recovery;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-rekey-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_build_filename (fixture->parent, "vault", NULL);

  vault = cairn_vault_create (fixture->dir, "Quell Practice", "Europe/Berlin", CLINICIAN, PASSPHRASE,
                              &test_params, &fixture->recovery, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vault);
  g_assert_true (cairn_vault_add_user (vault, DESK, CAIRN_ROLE_FRONT_DESK, DESK_PASS, &test_params, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->dir);
  g_free (fixture->recovery);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

/* A table of rows in both databases, holding the canary as UTF-8 text (in
 * a table and an index), as UTF-16 bytes, and in a full-text index. */
static void
write_rows (CairnDatabase *db,
            const char    *tag)
{
  g_autoptr(GError) error = NULL;
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (CANARY, -1, NULL, NULL, NULL);
  g_autofree char *text = g_strdup_printf ("%s %s", tag, CANARY);
  sqlite3 *handle = cairn_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;

  g_assert_true (cairn_database_exec (db,
                                      "CREATE TABLE IF NOT EXISTS t (x TEXT, y BLOB);"
                                      "CREATE INDEX IF NOT EXISTS t_x ON t (x);"
                                      "CREATE VIRTUAL TABLE IF NOT EXISTS t_fts USING fts5 (x);",
                                      &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "INSERT INTO t (x, y) VALUES (?, ?)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, utf16, (int) (strlen (CANARY) * 2), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "INSERT INTO t_fts (x) VALUES (?)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* The tags of the rows of @db, in order, joined by spaces. */
static char *
read_rows (CairnDatabase *db)
{
  g_autoptr(GError) error = NULL;
  char *tags = cairn_database_query_text (db,
                                          "SELECT group_concat (substr (x, 1, instr (x, ' ') - 1), ' ')"
                                          " FROM (SELECT x FROM t ORDER BY rowid)", NULL, 0, &error);
  g_autofree char *found = NULL;

  g_assert_no_error (error);
  found = cairn_database_query_text (db, "SELECT count(*) FROM t_fts WHERE t_fts MATCH ?",
                                     (const char *[]) { "\"" CANARY "\"" }, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, !=, "0");
  return tags;
}

/* The actions of the audit trail of @db, oldest first, joined by spaces. */
static char *
audit_actions (CairnDatabase *db)
{
  sqlite3_stmt *stmt = NULL;
  GString *actions = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (cairn_database_get_handle (db),
                                       "SELECT action FROM audit ORDER BY seq", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (actions, "%s%s", actions->len > 0 ? " " : "", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return g_string_free (actions, FALSE);
}

static gboolean
bytes_contain (const guint8 *data,
               gsize         size,
               const void   *needle,
               gsize         length)
{
  for (gsize i = 0; i + length <= size; i++)
    if (data[i] == *(const guint8 *) needle && memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

/* Every file under @dir, recursively. Returns how many were read. */
static guint
assert_no_canary_in (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (CANARY, -1, NULL, NULL, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          files += assert_no_canary_in (path);
          continue;
        }
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      files++;
      if (bytes_contain ((const guint8 *) contents, length, CANARY, strlen (CANARY)) ||
          bytes_contain ((const guint8 *) contents, length, utf16, strlen (CANARY) * 2))
        g_error ("The canary is readable in %s", path);
    }
  return files;
}

/* The vault's three files, to compare byte for byte. */
static GPtrArray *
snapshot (const char *dir)
{
  static const char *names[] = { "keyring", "practice.db", "clinical.db" };
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_ptr_array_add (files, g_bytes_new_take (g_steal_pointer (&contents), length));
    }
  return files;
}

static void
assert_same_files (GPtrArray *before,
                   GPtrArray *after)
{
  g_assert_cmpuint (before->len, ==, after->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (g_bytes_equal (g_ptr_array_index (before, i), g_ptr_array_index (after, i)));
}

/* Nothing beside the vault folder: no working folder left behind. */
static void
assert_only_vault_in (const char *parent)
{
  g_autoptr(GDir) handle = g_dir_open (parent, 0, NULL);

  g_assert_nonnull (handle);
  g_assert_cmpstr (g_dir_read_name (handle), ==, "vault");
  g_assert_null (g_dir_read_name (handle));
}

/* The vault folder: private, and holding the vault's files and nothing else
 * (no temporary file of the copy or of the keyring's save). */
static void
assert_vault_folder (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  GStatBuf st;
  guint n = 0;

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_assert_true (g_strv_contains ((const char *[]) { "keyring", "practice.db", "clinical.db",
                                                         "practice.db-journal", "clinical.db-journal", NULL },
                                      name));
      n++;
    }
  g_assert_cmpuint (n, >=, 3);
}

static CairnVault *
unlock_with_rows (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CairnVault *vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);

  g_assert_no_error (error);
  write_rows (cairn_vault_get_practice (vault), "before");
  write_rows (cairn_vault_get_clinical (vault), "before");
  return vault;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

static void
test_rekey (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = unlock_with_rows (fixture);
  g_autoptr(CairnVault) again = NULL;
  g_autoptr(CairnVault) by_recovery = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *old_user_id = cairn_vault_get_user_id (vault);
  g_autofree char *new_user_id = NULL;
  g_autofree char *practice_path = g_build_filename (fixture->dir, "practice.db", NULL);
  g_autofree char *clinical_path = g_build_filename (fixture->dir, "clinical.db", NULL);
  g_autofree char *report = NULL;
  const CairnKeyringUser *user_before = cairn_vault_get_user (vault);
  CairnVaultKeys *old_keys = cairn_vault_keys_new ();
  guint8 old_practice_id[CAIRN_VFS_FILE_ID_BYTES];
  guint8 old_clinical_id[CAIRN_VFS_FILE_ID_BYTES];
  guint8 new_practice_id[CAIRN_VFS_FILE_ID_BYTES];

  /* What someone who left may have kept: the keys, and the file ids. */
  memcpy (old_keys, vault->keys, sizeof *old_keys);
  memcpy (old_practice_id, cairn_keyring_get_practice_id (vault->keyring), sizeof old_practice_id);
  memcpy (old_clinical_id, cairn_keyring_get_clinical_id (vault->keyring), sizeof old_clinical_id);

  recovery = cairn_vault_rekey (vault, PASSPHRASE, &test_params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recovery);
  g_assert_cmpstr (recovery, !=, fixture->recovery);
  assert_only_vault_in (fixture->parent);
  assert_vault_folder (fixture->dir);

  /* Still unlocked, on the new files, as the same person with a new id. */
  g_assert_false (cairn_vault_is_locked (vault));
  g_assert_true (cairn_vault_get_user (vault) == user_before);
  g_assert_cmpstr (cairn_vault_get_user (vault)->name, ==, CLINICIAN);
  new_user_id = cairn_vault_get_user_id (vault);
  g_assert_cmpstr (new_user_id, !=, old_user_id);
  g_assert_false (sodium_memcmp (vault->keys->practice, old_keys->practice, CAIRN_VFS_KEY_BYTES) == 0);
  g_assert_false (sodium_memcmp (vault->keys->clinical, old_keys->clinical, CAIRN_VFS_KEY_BYTES) == 0);
  memcpy (new_practice_id, cairn_keyring_get_practice_id (vault->keyring), sizeof new_practice_id);
  {
    g_autofree char *practice_rows = read_rows (cairn_vault_get_practice (vault));
    g_autofree char *clinical_rows = read_rows (cairn_vault_get_clinical (vault));
    g_autoptr(GPtrArray) users = cairn_vault_get_users (vault);

    g_assert_cmpstr (practice_rows, ==, "before");
    g_assert_cmpstr (clinical_rows, ==, "before");
    g_assert_cmpuint (users->len, ==, 1);
  }
  write_rows (cairn_vault_get_practice (vault), "after");
  write_rows (cairn_vault_get_clinical (vault), "after");

  /* The copies carry the re-key in their audit trails, last, and the chain
   * holds. The users left behind are removed, each with an entry. */
  {
    g_autofree char *practice_actions = audit_actions (cairn_vault_get_practice (vault));
    g_autofree char *clinical_actions = audit_actions (cairn_vault_get_clinical (vault));

    g_assert_true (g_str_has_suffix (practice_actions, " user.add user.remove vault.rekey"));
    g_assert_true (g_str_has_suffix (clinical_actions, " vault.rekey"));
    g_assert_true (cairn_audit_verify (cairn_vault_get_practice (vault), NULL, &error));
    g_assert_no_error (error);
    g_assert_true (cairn_audit_verify (cairn_vault_get_clinical (vault), NULL, &error));
    g_assert_no_error (error);
  }

  cairn_vault_lock (vault);
  g_clear_object (&vault);

  /* The same passphrase opens it, with everything written before and after. */
  again = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  {
    g_autofree char *practice_rows = read_rows (cairn_vault_get_practice (again));
    g_autofree char *clinical_rows = read_rows (cairn_vault_get_clinical (again));
    g_autofree char *id = cairn_vault_get_user_id (again);
    g_autofree char *live = NULL;
    g_autofree char *old_row = NULL;
    g_autofree char *desk_row = NULL;
    g_autofree char *last = NULL;
    g_autofree char *detail = NULL;

    g_assert_cmpstr (practice_rows, ==, "before after");
    g_assert_cmpstr (clinical_rows, ==, "before after");
    g_assert_cmpstr (id, ==, new_user_id);

    /* One live user: this one, under the new id. The old rows stay, marked
     * removed, so the audit trail still names who did what. */
    live = cairn_database_query_text (cairn_vault_get_practice (again),
                                      "SELECT group_concat (id || '=' || name) FROM users WHERE deleted_at IS NULL",
                                      NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (live, new_user_id));
    g_assert_true (g_str_has_suffix (live, "=" CLINICIAN));
    old_row = cairn_database_query_text (cairn_vault_get_practice (again),
                                         "SELECT name FROM users WHERE id = ? AND deleted_at IS NOT NULL",
                                         (const char *[]) { old_user_id }, 1, &error);
    g_assert_cmpstr (old_row, ==, CLINICIAN);
    desk_row = cairn_database_query_text (cairn_vault_get_practice (again),
                                          "SELECT deleted_at FROM users WHERE name = ?",
                                          (const char *[]) { DESK }, 1, &error);
    g_assert_nonnull (desk_row);

    last = cairn_database_query_text (cairn_vault_get_practice (again),
                                      "SELECT action FROM audit WHERE action = 'vault.rekey'"
                                      " ORDER BY seq DESC LIMIT 1", NULL, 0, &error);
    g_assert_cmpstr (last, ==, "vault.rekey");
    detail = cairn_database_query_text (cairn_vault_get_practice (again),
                                        "SELECT detail FROM audit WHERE action = 'vault.rekey'",
                                        NULL, 0, &error);
    g_assert_cmpstr (detail, ==, "new database keys; users dropped: 1");
  }
  g_clear_object (&again);

  g_assert_true (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report, "users: 1; recovery key: yes"));

  /* The old keys open neither new file, with the old file ids or the new. */
  g_assert_false (cairn_vfs_verify_file (practice_path, old_keys->practice, old_practice_id, NULL, &error));
  g_assert_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_false (cairn_vfs_verify_file (practice_path, old_keys->practice, new_practice_id, NULL, &error));
  g_assert_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_false (cairn_vfs_verify_file (clinical_path, old_keys->clinical, old_clinical_id, NULL, &error));
  g_assert_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_WRONG_KEY);
  g_clear_error (&error);
  cairn_vault_keys_free (old_keys);

  /* The front desk was dropped, and must be added again. */
  g_assert_null (cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER);
  g_clear_error (&error);

  /* The old recovery key no longer works; the new one does. */
  g_assert_null (cairn_vault_unlock_with_recovery (fixture->dir, fixture->recovery, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_RECOVERY_KEY);
  g_clear_error (&error);
  by_recovery = cairn_vault_unlock_with_recovery (fixture->dir, recovery, &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_recovery);
  g_clear_object (&by_recovery);

  /* Nothing readable anywhere: not beside the vault, not in $TMPDIR. */
  g_assert_cmpuint (assert_no_canary_in (fixture->parent), >=, 3);
  assert_no_canary_in (scratch_dir);
  assert_only_vault_in (fixture->parent);
}

static void
test_wrong_passphrase (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = unlock_with_rows (fixture);
  g_autoptr(GPtrArray) before = snapshot (fixture->dir);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *rows = NULL;

  g_assert_null (cairn_vault_rekey (vault, "not my passphrase 99", &test_params, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_assert_null (cairn_vault_rekey (vault, NULL, &test_params, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  after = snapshot (fixture->dir);
  assert_same_files (before, after);
  assert_only_vault_in (fixture->parent);

  /* The connections still work. */
  rows = read_rows (cairn_vault_get_practice (vault));
  g_assert_cmpstr (rows, ==, "before");
  g_clear_object (&vault);

  vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  g_assert_no_error (error);
}

static void
test_not_allowed (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(GPtrArray) before = snapshot (fixture->dir);
  g_autoptr(GPtrArray) after = NULL;

  /* The front desk holds no clinical key, and may not. */
  vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  g_assert_no_error (error);
  g_assert_null (cairn_vault_rekey (vault, DESK_PASS, &test_params, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_clear_object (&vault);

  /* Nor may whoever holds the recovery key, before setting a passphrase. */
  vault = cairn_vault_unlock_with_recovery (fixture->dir, fixture->recovery, &error);
  g_assert_no_error (error);
  g_assert_null (cairn_vault_rekey (vault, PASSPHRASE, &test_params, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_clear_object (&vault);

  /* Nor anyone, once locked. */
  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  cairn_vault_lock (vault);
  g_assert_null (cairn_vault_rekey (vault, PASSPHRASE, &test_params, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED);
  g_clear_error (&error);
  g_clear_object (&vault);

  assert_only_vault_in (fixture->parent);

  /* Each unlock above wrote to the audit trail: compare the keyring only. */
  after = snapshot (fixture->dir);
  g_assert_true (g_bytes_equal (g_ptr_array_index (before, 0), g_ptr_array_index (after, 0)));
}

/* A write that fails half-way through the copy (here: a file size limit,
 * which fails the write the way a full disk does) leaves the vault as it
 * was, the working folder gone, and the open vault still working. */
static void
test_failure_half_way (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = unlock_with_rows (fixture);
  g_autoptr(GPtrArray) before = snapshot (fixture->dir);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *rows = NULL;
  struct rlimit saved;
  struct rlimit limit;
  void (*old_handler) (int);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = 2 * CAIRN_VFS_PAGE_SIZE;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  recovery = cairn_vault_rekey (vault, PASSPHRASE, &test_params, &error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, old_handler);

  g_assert_null (recovery);
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The vault was not re-keyed and is unchanged. "));
  g_assert_nonnull (strstr (error->message, "practice.db"));
  g_assert_nonnull (strstr (error->message, "try again"));
  g_clear_error (&error);

  after = snapshot (fixture->dir);
  assert_same_files (before, after);
  assert_only_vault_in (fixture->parent);

  /* The vault goes on as before... */
  rows = read_rows (cairn_vault_get_clinical (vault));
  g_assert_cmpstr (rows, ==, "before");
  write_rows (cairn_vault_get_practice (vault), "between");

  /* ...and a second try, with room, works. */
  recovery = cairn_vault_rekey (vault, PASSPHRASE, &test_params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recovery);
  g_clear_pointer (&rows, g_free);
  rows = read_rows (cairn_vault_get_practice (vault));
  g_assert_cmpstr (rows, ==, "before between");
  assert_only_vault_in (fixture->parent);
  assert_no_canary_in (fixture->parent);
}

/* The old folder is deleted after the swap: anything in it that is not the
 * vault's would be lost, so re-keying refuses to start. */
static void
test_stranger_in_folder (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = unlock_with_rows (fixture);
  g_autofree char *stranger = g_build_filename (fixture->dir, "letter.odt", NULL);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *recovery = NULL;

  g_assert_true (g_file_set_contents (stranger, "keep me", -1, NULL));
  before = snapshot (fixture->dir);
  g_assert_null (cairn_vault_rekey (vault, PASSPHRASE, &test_params, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "letter.odt"));
  g_clear_error (&error);
  after = snapshot (fixture->dir);
  assert_same_files (before, after);
  assert_only_vault_in (fixture->parent);

  g_assert_cmpint (g_unlink (stranger), ==, 0);
  recovery = cairn_vault_rekey (vault, PASSPHRASE, &test_params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recovery);
}

static gpointer
rekey_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return cairn_vault_rekey (vault, PASSPHRASE, &test_params, error);
}

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* How the interface calls it: on the vault's worker thread, which holds the
 * vault's lock while the job runs. */
static void
test_through_worker (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = unlock_with_rows (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *rows = NULL;

  cairn_vault_run_async (vault, rekey_job, NULL, NULL, g_free, NULL, job_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  recovery = cairn_vault_run_finish (vault, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recovery);

  rows = read_rows (cairn_vault_get_clinical (vault));
  g_assert_cmpstr (rows, ==, "before");
  cairn_vault_lock (vault);
  assert_only_vault_in (fixture->parent);
  assert_no_canary_in (fixture->parent);
}

/* The child: re-keys the vault over and over until it is killed. */
static int
rekey_child (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (dir, CLINICIAN, PASSPHRASE, &error);

  if (vault == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  for (;;)
    {
      g_autofree char *recovery = cairn_vault_rekey (vault, PASSPHRASE, &test_params, &error);

      if (recovery == NULL)
        {
          g_printerr ("child: %s\n", error->message);
          return 1;
        }
    }
}

/* Killed at any moment of a re-key, the vault opens with the passphrase,
 * whole, under the old keys or the new, with no stranger left beside it. */
static void
test_killed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const guint kills = 12;

  for (guint k = 0; k < kills; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnVault) vault = NULL;
      g_autofree char *report = NULL;
      const char *argv[] = { self_exe, "--rekey-child", fixture->dir, NULL };
      GPid pid;
      int status;

      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
      g_assert_no_error (error);
      g_usleep (g_random_int_range (50000, 400000));
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));

      vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
      if (vault == NULL)
        g_error ("Kill %u: %s", k, error->message);
      g_assert_true (cairn_vault_has_clinical (vault));
      g_clear_object (&vault);
      if (!cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error))
        g_error ("Kill %u: %s", k, error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_cmpint (sodium_init (), >=, 0);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);
  if (argc == 3 && g_strcmp0 (argv[1], "--rekey-child") == 0)
    return rekey_child (argv[2]);

  scratch_dir = g_dir_make_tmp ("cairn-rekey-tmp-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("TMPDIR", scratch_dir, TRUE);
  g_setenv ("SQLITE_TMPDIR", scratch_dir, TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rekey/rekey", test_rekey);
  ADD ("/rekey/killed", test_killed);
  ADD ("/rekey/wrong-passphrase", test_wrong_passphrase);
  ADD ("/rekey/not-allowed", test_not_allowed);
  ADD ("/rekey/failure-half-way", test_failure_half_way);
  ADD ("/rekey/stranger-in-folder", test_stranger_in_folder);
  ADD ("/rekey/through-worker", test_through_worker);
#undef ADD

  status = g_test_run ();

  cairn_test_remove_tree (scratch_dir);
  g_free (scratch_dir);
  return status;
}
