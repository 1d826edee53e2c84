/* cairn-vault-rekey.c
 *
 * Re-keying: the vault gets new database keys, for when someone who left
 * may have kept a copy of the keys or of the vault folder.
 *
 * Encrypted copy, verify, atomic swap. Both databases are copied with
 * SQLite's backup API from the open connections into fresh databases in a
 * sibling folder, each under its new key: pages go from the old VFS entry
 * (decrypted in memory) to the new one (encrypted before they are written),
 * so nothing readable ever reaches the disk. The copies and the new keyring
 * are checked as a whole, then the sibling folder and the vault folder trade
 * places in one renameat2(RENAME_EXCHANGE). Until that call the vault is
 * untouched, byte for byte; after it the old files are deleted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE /* renameat2() */

#define G_LOG_DOMAIN "cairn-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cairn-audit.h"
#include "cairn-records.h"
#include "cairn-vault-private.h"

/* What every failure before the swap starts with. */
#define NOT_REKEYED "The vault was not re-keyed and is unchanged. "

/* What a vault folder holds: the old folder is deleted after the swap, so
 * anything else in it would be lost. A leftover temporary file of an
 * interrupted keyring save ("keyring.XXXXXX") holds only wrapped keys. */
static gboolean
is_vault_file (const char *name)
{
  static const char *known[] = {
    KEYRING_NAME, PRACTICE_NAME, CLINICAL_NAME, PRACTICE_NAME "-journal", CLINICAL_NAME "-journal",
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (strcmp (name, known[i]) == 0)
      return TRUE;
  return g_str_has_prefix (name, KEYRING_NAME ".") && strlen (name) == strlen (KEYRING_NAME) + 7;
}

static gboolean
check_only_vault_files (const char  *dir,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, &local_error);
  g_autoptr(GString) others = g_string_new (NULL);
  const char *name;

  if (handle == NULL)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   NOT_REKEYED "The vault folder %s cannot be read: %s", dir, local_error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (is_vault_file (name) && !g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      g_string_append_printf (others, "%s“%s”", others->len > 0 ? ", " : "", name);
    }

  if (others->len > 0)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_EXISTS,
                   NOT_REKEYED "The vault folder %s holds something that is not part of the vault (%s). "
                   "Move it out of the folder, then re-key again.", dir, others->str);
      return FALSE;
    }
  return TRUE;
}

static gboolean
keys_equal (const CairnVaultKeys *a,
            const CairnVaultKeys *b)
{
  return a->has_clinical == b->has_clinical &&
         sodium_memcmp (a->practice, b->practice, sizeof a->practice) == 0 &&
         sodium_memcmp (a->clinical, b->clinical, sizeof a->clinical) == 0;
}

/* ------------------------------------------------------------------------ */
/* The encrypted copy                                                        */

/* Copies @source into a new database at @path under @key. The backup API
 * reads pages through the source's pager (authenticated and decrypted by
 * the VFS in memory) and writes them through the destination's pager, which
 * the VFS seals under the new key. cairn_database_open() made the empty
 * destination with 4096-byte pages and 40 reserved bytes, as the source
 * has; the backup refuses pages whose reserve differs, and the VFS refuses
 * a page 1 without them. */
static CairnDatabase *
copy_database (CairnDatabase  *source,
               const char     *path,
               const guint8   *key,
               const guint8   *file_id,
               GError        **error)
{
  g_autoptr(CairnDatabase) dest = NULL;
  sqlite3 *handle;
  sqlite3_backup *backup;
  int rc;
  int finish_rc;

  dest = cairn_database_open (path, key, file_id, TRUE, error);
  if (dest == NULL)
    return NULL;
  handle = cairn_database_get_handle (dest);

  backup = sqlite3_backup_init (handle, "main", cairn_database_get_handle (source), "main");
  if (backup == NULL)
    {
      cairn_database_set_error (dest, sqlite3_extended_errcode (handle), error);
      return NULL;
    }
  rc = sqlite3_backup_step (backup, -1);
  finish_rc = sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE || finish_rc != SQLITE_OK)
    {
      cairn_database_set_error (dest, rc != SQLITE_DONE ? rc : finish_rc, error);
      return NULL;
    }

  return g_steal_pointer (&dest);
}

typedef struct
{
  const char *old_user_id;
  const char *new_user_id;
  const char *user_name;
  const char *now;
  const char *keyring_hash; /* of the new keyring */
  char       *detail;   /* out: the vault.rekey entry's detail */
} RekeyEdit;

/* The live users of @db other than @keep_id, by id. */
static GPtrArray *
list_other_users (CairnDatabase  *db,
                  const char     *keep_id,
                  GError        **error)
{
  sqlite3 *handle = cairn_database_get_handle (db);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (handle, "SELECT id FROM users WHERE deleted_at IS NULL AND id IS NOT ? ORDER BY name",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, 1, keep_id, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      cairn_database_set_error (db, sqlite3_extended_errcode (handle), error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* In the practice copy, one transaction: every user but the one re-keying
 * is marked removed (their slots are not in the new keyring), the one
 * re-keying gets a row under the id of their new slot, and the audit trail
 * says so, entry by entry, ending with vault.rekey. */
static gboolean
edit_practice_cb (CairnDatabase  *db,
                  gpointer        user_data,
                  GError        **error)
{
  RekeyEdit *edit = user_data;
  g_autoptr(GPtrArray) dropped = NULL;
  g_autofree char *was = NULL;
  const char *retire[] = { edit->now, edit->now, edit->new_user_id };
  const char *row[] = { edit->new_user_id, edit->user_name, cairn_role_to_string (CAIRN_ROLE_CLINICIAN),
                        edit->now, edit->now, edit->new_user_id };

  dropped = list_other_users (db, edit->old_user_id, error);
  if (dropped == NULL)
    return FALSE;

  /* The row under the old id stays, marked removed, so that what the user
   * did before still names them. */
  if (!cairn_database_run (db,
                           "UPDATE users SET deleted_at = ?, updated_at = ?, author = ? WHERE deleted_at IS NULL",
                           retire, G_N_ELEMENTS (retire), error) ||
      !cairn_database_run (db,
                           "INSERT INTO users (id, name, role, created_at, updated_at, author)"
                           " VALUES (?, ?, ?, ?, ?, ?)", row, G_N_ELEMENTS (row), error))
    return FALSE;

  was = g_strdup_printf ("clinician; re-key, was %s", edit->old_user_id);
  if (!cairn_audit_append (db, edit->new_user_id, "user.add", edit->new_user_id, was, error))
    return FALSE;
  for (guint i = 0; i < dropped->len; i++)
    if (!cairn_audit_append (db, edit->new_user_id, "user.remove", g_ptr_array_index (dropped, i),
                             "re-key", error))
      return FALSE;

  g_free (edit->detail);
  edit->detail = g_strdup_printf ("new database keys; users dropped: %u", dropped->len);
  return cairn_vault_record_keyring (db, edit->keyring_hash, edit->new_user_id, error) &&
         cairn_audit_append (db, edit->new_user_id, "vault.rekey", NULL, edit->detail, error);
}

static gboolean
edit_clinical_cb (CairnDatabase  *db,
                  gpointer        user_data,
                  GError        **error)
{
  RekeyEdit *edit = user_data;

  return cairn_audit_append (db, edit->new_user_id, "vault.rekey", NULL, edit->detail, error);
}

/* ------------------------------------------------------------------------ */
/* Verifying before the swap                                                 */

/* Every page authenticates under the new key, SQLite finds the file sound,
 * the audit chain holds, and it ends with the re-key. */
static gboolean
verify_copy (const char    *path,
             const guint8  *key,
             const guint8  *file_id,
             GError       **error)
{
  g_autoptr(CairnDatabase) db = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!cairn_vfs_verify_file (path, key, file_id, NULL, error))
    return FALSE;

  db = cairn_database_open (path, key, file_id, FALSE, error);
  if (db == NULL || !cairn_database_check (db, error) || !cairn_audit_verify (db, NULL, error))
    return FALSE;

  last = cairn_database_query_text (db, "SELECT action FROM audit ORDER BY seq DESC LIMIT 1", NULL, 0,
                                    &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (last, "vault.rekey") != 0)
    {
      g_autofree char *name = g_path_get_basename (path);

      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   "The re-keyed copy of %s did not read back as it was written.", name);
      return FALSE;
    }

  return TRUE;
}

/* The saved keyring opens with the passphrase and with the recovery key,
 * to the keys and file ids the copies were made with, and holds one user. */
static gboolean
verify_keyring (const char              *path,
                CairnKeyring            *expected,
                const CairnVaultKeys    *expected_keys,
                const CairnKeyringUser  *expected_user,
                const char              *passphrase,
                const char              *recovery,
                GError                 **error)
{
  g_autoptr(CairnKeyring) loaded = NULL;
  g_autoptr(CairnVaultKeys) by_passphrase = NULL;
  g_autoptr(CairnVaultKeys) by_recovery = NULL;
  g_autoptr(CairnKeyringUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;

  loaded = cairn_keyring_load (path, error);
  if (loaded == NULL ||
      (by_passphrase = cairn_keyring_unlock (loaded, expected_user->name, passphrase, &user, error)) == NULL ||
      (by_recovery = cairn_keyring_unlock_recovery (loaded, recovery, error)) == NULL)
    return FALSE;

  users = cairn_keyring_list_users (loaded);
  if (!keys_equal (by_passphrase, expected_keys) || !keys_equal (by_recovery, expected_keys) ||
      users->len != 1 || memcmp (user->id, expected_user->id, CAIRN_USER_ID_BYTES) != 0 ||
      memcmp (cairn_keyring_get_practice_id (loaded), cairn_keyring_get_practice_id (expected),
              CAIRN_VFS_FILE_ID_BYTES) != 0 ||
      memcmp (cairn_keyring_get_clinical_id (loaded), cairn_keyring_get_clinical_id (expected),
              CAIRN_VFS_FILE_ID_BYTES) != 0)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   "The new keyring did not read back as it was written.");
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */

static gboolean
notify_locked_cb (gpointer data)
{
  g_object_notify (G_OBJECT (data), "locked");
  return G_SOURCE_REMOVE;
}

/* After the swap the databases could not be opened again: the vault is
 * re-keyed on disk but this object can no longer use it. Wipe everything,
 * as locking does; the worker thread (which may be running this very call)
 * is left for cairn_vault_lock() to stop. */
static void
drop_to_locked (CairnVault *self)
{
  g_clear_pointer (&self->practice, cairn_database_close);
  g_clear_pointer (&self->clinical, cairn_database_close);
  g_clear_pointer (&self->keys, cairn_vault_keys_free);
  g_clear_pointer (&self->keyring, cairn_keyring_free);
  g_clear_pointer (&self->user, cairn_keyring_user_free);
  g_clear_pointer (&self->user_id, g_free);
  self->unlocked = FALSE;
  self->by_recovery = FALSE;

  /* Property notifications belong on the main thread. */
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, notify_locked_cb, g_object_ref (self), g_object_unref);
}

static void
wipe_string (char **text)
{
  if (*text != NULL)
    sodium_memzero (*text, strlen (*text));
  g_clear_pointer (text, g_free);
}

/* @error is never %NULL here. */
static char *
rekey_locked (CairnVault            *self,
              const char            *passphrase,
              const CairnKdfParams  *params,
              GError               **error)
{
  g_autoptr(CairnVaultKeys) checked = NULL;
  g_autoptr(CairnKeyring) new_keyring = NULL;
  g_autoptr(CairnVaultKeys) new_keys = NULL;
  g_autoptr(CairnKeyringUser) new_user = NULL;
  g_autoptr(CairnDatabase) practice_copy = NULL;
  g_autoptr(CairnDatabase) clinical_copy = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *real_dir = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *work_dir = NULL;
  g_autofree char *practice_path = NULL;
  g_autofree char *clinical_path = NULL;
  g_autofree char *keyring_path = NULL;
  g_autofree char *new_user_id = NULL;
  g_autofree char *new_keyring_hash = NULL;
  g_autofree char *now = cairn_record_timestamp_now ();
  char *recovery = NULL;
  char *resolved;
  RekeyEdit edit = { 0 };

  /* Who may. */
  if (self->keys == NULL || self->practice == NULL)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED, "The vault is locked.");
      return NULL;
    }
  if (self->by_recovery)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED,
                   "Opened with the recovery key: set a new passphrase first, then re-key the vault.");
      return NULL;
    }
  if (!self->keys->has_clinical || self->clinical == NULL || self->user == NULL)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED,
                   "Only a clinician can re-key the vault.");
      return NULL;
    }
  if (!sqlite3_get_autocommit (cairn_database_get_handle (self->practice)) ||
      !sqlite3_get_autocommit (cairn_database_get_handle (self->clinical)))
    {
      /* A copy now would carry a change that is not committed. */
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   NOT_REKEYED "Something is still being saved; try again in a moment.");
      return NULL;
    }

  checked = cairn_keyring_unlock (self->keyring, self->user->name, passphrase != NULL ? passphrase : "",
                                  NULL, error);
  if (checked == NULL)
    return NULL;
  if (!keys_equal (checked, self->keys))
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   NOT_REKEYED "The keyring no longer matches the open vault: lock it, unlock it again, "
                   "then re-key.");
      return NULL;
    }

  /* The folder is swapped where it really is, not where a link points. */
  resolved = realpath (self->dir, NULL);
  if (resolved == NULL)
    {
      int saved = errno;

      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   NOT_REKEYED "The vault folder %s cannot be found: %s", self->dir, g_strerror (saved));
      return NULL;
    }
  real_dir = g_strdup (resolved);
  free (resolved);
  parent = g_path_get_dirname (real_dir);
  if (!check_only_vault_files (real_dir, error))
    return NULL;

  work_dir = g_build_filename (parent, ".cairn-rekey-XXXXXX", NULL);
  if (g_mkdtemp_full (work_dir, 0700) == NULL)
    {
      int saved = errno;

      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   NOT_REKEYED "Re-keying needs a folder beside the vault, in %s, and it could not be made: %s. "
                   "Check that this folder is writable and has as much free space as the vault takes.",
                   parent, g_strerror (saved));
      g_clear_pointer (&work_dir, g_free);
      return NULL;
    }
  practice_path = g_build_filename (work_dir, PRACTICE_NAME, NULL);
  clinical_path = g_build_filename (work_dir, CLINICAL_NAME, NULL);
  keyring_path = g_build_filename (work_dir, KEYRING_NAME, NULL);

  /* The new keyring: new keys and file ids, this user and a recovery slot. */
  new_keyring = cairn_keyring_new (&new_keys);
  if (!cairn_keyring_add_user (new_keyring, new_keys, self->user->name, CAIRN_ROLE_CLINICIAN, passphrase,
                               params != NULL ? params : cairn_vault_default_kdf_params (), &new_user, error) ||
      (recovery = cairn_keyring_set_recovery (new_keyring, new_keys, error)) == NULL)
    goto failed;
  new_user_id = cairn_vault_format_user_id (new_user->id);
  new_keyring_hash = cairn_keyring_dup_hash (new_keyring);
  edit.keyring_hash = new_keyring_hash;

  /* The encrypted copies, and their record of the re-key. */
  edit.old_user_id = self->user_id;
  edit.new_user_id = new_user_id;
  edit.user_name = self->user->name;
  edit.now = now;
  practice_copy = copy_database (self->practice, practice_path, new_keys->practice,
                                 cairn_keyring_get_practice_id (new_keyring), error);
  if (practice_copy == NULL ||
      !cairn_database_transaction (practice_copy, edit_practice_cb, &edit, error))
    goto failed;
  clinical_copy = copy_database (self->clinical, clinical_path, new_keys->clinical,
                                 cairn_keyring_get_clinical_id (new_keyring), error);
  if (clinical_copy == NULL ||
      !cairn_database_transaction (clinical_copy, edit_clinical_cb, &edit, error))
    goto failed;
  g_clear_pointer (&practice_copy, cairn_database_close);
  g_clear_pointer (&clinical_copy, cairn_database_close);

  /* Everything is checked as written before anything is swapped. */
  if (!verify_copy (practice_path, new_keys->practice, cairn_keyring_get_practice_id (new_keyring), error) ||
      !verify_copy (clinical_path, new_keys->clinical, cairn_keyring_get_clinical_id (new_keyring), error) ||
      !cairn_keyring_save (new_keyring, keyring_path, error) ||
      !verify_keyring (keyring_path, new_keyring, new_keys, new_user, passphrase, recovery, error))
    goto failed;

  if (!cairn_vault_sync_dir (work_dir))
    {
      int saved = errno;

      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   "The re-keyed copy could not be written safely to disk: %s", g_strerror (saved));
      goto failed;
    }

  /* The swap: one step, either way round. */
  if (renameat2 (AT_FDCWD, work_dir, AT_FDCWD, real_dir, RENAME_EXCHANGE) != 0)
    {
      int saved = errno;

      if (saved == EINVAL || saved == ENOSYS || saved == EOPNOTSUPP)
        g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                     "The disk the vault is on cannot swap two folders in one step (%s), so the vault "
                     "cannot be re-keyed safely there. Move the vault to this computer's own disk and try again.",
                     g_strerror (saved));
      else
        g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                     "The re-keyed vault could not be put in place: %s", g_strerror (saved));
      goto failed;
    }
  if (!cairn_vault_sync_dir (parent))
    g_warning ("The folder holding the vault could not be synced after re-keying: %s", g_strerror (errno));

  /* From here the new vault is the vault. The old connections still point
   * at the old files, now in the working folder: close them and delete
   * those files. */
  g_clear_pointer (&self->practice, cairn_database_close);
  g_clear_pointer (&self->clinical, cairn_database_close);
  if (!cairn_vault_remove_folder (work_dir))
    g_warning ("The old copy of the vault could not be removed from %s: %s", work_dir, g_strerror (errno));

  g_clear_pointer (&self->keys, cairn_vault_keys_free);
  self->keys = g_steal_pointer (&new_keys);
  g_clear_pointer (&self->keyring, cairn_keyring_free);
  self->keyring = g_steal_pointer (&new_keyring);
  /* Same name and role; only the id of the slot is new. Updated in place,
   * so the pointer cairn_vault_get_user() gave out stays good. */
  memcpy (self->user->id, new_user->id, CAIRN_USER_ID_BYTES);
  self->user->role = CAIRN_ROLE_CLINICIAN;
  g_free (self->user_id);
  self->user_id = g_steal_pointer (&new_user_id);

  g_clear_pointer (&practice_path, g_free);
  g_clear_pointer (&clinical_path, g_free);
  practice_path = g_build_filename (self->dir, PRACTICE_NAME, NULL);
  clinical_path = g_build_filename (self->dir, CLINICAL_NAME, NULL);
  self->practice = cairn_database_open (practice_path, self->keys->practice,
                                        cairn_keyring_get_practice_id (self->keyring), FALSE, &local_error);
  if (self->practice != NULL)
    self->clinical = cairn_database_open (clinical_path, self->keys->clinical,
                                          cairn_keyring_get_clinical_id (self->keyring), FALSE, &local_error);
  if (self->practice == NULL || self->clinical == NULL)
    {
      drop_to_locked (self);
      wipe_string (&recovery);
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED,
                   "The vault was re-keyed, but could not be opened again (%s). Unlock it again with your "
                   "passphrase, then make a new recovery key: the one just made cannot be shown.",
                   local_error->message);
      return NULL;
    }

  g_debug ("Vault re-keyed");
  g_free (edit.detail);
  return recovery;

failed:
  g_clear_pointer (&practice_copy, cairn_database_close);
  g_clear_pointer (&clinical_copy, cairn_database_close);
  cairn_vault_remove_folder (work_dir);
  wipe_string (&recovery);
  g_free (edit.detail);
  if (*error == NULL)
    return NULL;
  /* SQLite's own words ("disk I/O error") say what, not what to do. A full
   * disk, a read-only folder or a damaged database already say it. */
  if (g_error_matches (*error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_FAILED) ||
      g_error_matches (*error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_IO))
    {
      char *message = g_strconcat ((*error)->message, ". Check that the disk holding the vault works and has "
                                   "room for a second copy of the vault, then try again.", NULL);

      g_free ((*error)->message);
      (*error)->message = message;
    }
  if (!g_str_has_prefix ((*error)->message, NOT_REKEYED))
    g_prefix_error (error, NOT_REKEYED);
  return NULL;
}

/**
 * cairn_vault_rekey:
 * @self: a vault unlocked by a clinician with their passphrase
 * @passphrase: the clinician's passphrase, asked for again
 * @params: (nullable): the Argon2id cost of the clinician's new slot, or
 *   %NULL for the default
 * @error: return location for a #GError
 *
 * Gives the vault new database keys, for when someone who had access (a
 * staff member who left, a lost laptop) may have kept a copy of the keys or
 * of the vault folder: from now on, what they kept opens nothing written
 * after the re-key. Both databases are copied, encrypted under the new keys,
 * into a folder beside the vault; the copies and the new keyring are checked
 * and then swapped with the vault folder in one step. A failure at any point
 * before that step leaves the vault exactly as it was.
 *
 * The other users' slots wrap the old keys under passphrases only they
 * know, so they cannot be carried over: **every other user is removed**, and
 * must be added again with a new passphrase, clinicians and front desk
 * alike. They are marked removed in the vault's user list, each with an
 * audit entry. The recovery key is replaced too: the old one stops working,
 * and the new one is returned, to be shown once.
 *
 * The clinician's own slot is new, and so is their user id
 * (cairn_vault_get_user_id() changes; their earlier actions stay under the
 * old id, whose row in the user list is kept, marked removed). The database
 * connections are reopened: pointers from cairn_vault_get_practice() and
 * cairn_vault_get_clinical() taken before the call are no longer valid.
 *
 * Blocks for three key derivations and a copy of the whole vault: call it
 * through cairn_vault_run_async(). Needs free space beside the vault for a
 * second copy of it, and a file system that can swap two folders in one
 * step (renameat2 with RENAME_EXCHANGE: ext4, btrfs, xfs, tmpfs and most
 * local file systems, but not NFS).
 *
 * Returns: (transfer full) (nullable): the new recovery key, to show once
 *   and wipe, or %NULL with @error set
 */
char *
cairn_vault_rekey (CairnVault            *self,
                   const char            *passphrase,
                   const CairnKdfParams  *params,
                   GError               **error)
{
  GError *local_error = NULL;
  char *recovery;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_rec_mutex_lock (&self->mutex);
  recovery = rekey_locked (self, passphrase, params, &local_error);
  g_rec_mutex_unlock (&self->mutex);

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return recovery;
}
