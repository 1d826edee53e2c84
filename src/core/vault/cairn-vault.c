/* cairn-vault.c
 *
 * A vault is a folder (mode 0700) holding the keyring and two encrypted
 * databases: practice.db (people, schedule, users, settings) and
 * clinical.db (everything clinical). A CairnVault is that folder unlocked
 * by one user: the keys their role holds, and a connection to each
 * database those keys open. Locking wipes the keys and closes the
 * connections.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "cairn-audit.h"
#include "cairn-migrations.h"
#include "cairn-passphrase.h"
#include "cairn-records.h"
#include "cairn-unlock-attempts.h"
#include "cairn-vault-private.h"

G_DEFINE_FINAL_TYPE (CairnVault, cairn_vault, G_TYPE_OBJECT)

G_DEFINE_QUARK (cairn-vault-error-quark, cairn_vault_error)

enum {
  PROP_0,
  PROP_LOCKED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void (*cairn_vault_keyring_committed_hook) (void);

static const CairnKdfParams default_params = { CAIRN_KDF_DEFAULT_OPSLIMIT, CAIRN_KDF_DEFAULT_MEMLIMIT };

static void
cairn_vault_finalize (GObject *object)
{
  CairnVault *self = CAIRN_VAULT (object);

  cairn_vault_lock (self);
  g_free (self->dir);
  g_rec_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cairn_vault_parent_class)->finalize (object);
}

static void
cairn_vault_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CairnVault *self = CAIRN_VAULT (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, cairn_vault_is_locked (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, cairn_vault_is_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_vault_class_init (CairnVaultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cairn_vault_finalize;
  object_class->get_property = cairn_vault_get_property;

  /**
   * CairnVault:locked:
   *
   * Whether the vault has been locked: its keys wiped and its databases
   * closed. A locked vault cannot be unlocked again; unlock the folder anew.
   */
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CairnVault:busy:
   *
   * Whether a job queued with cairn_vault_run_async() has yet to hand its
   * result to its callback. It turns %FALSE after the last callback has
   * run, so whatever that callback showed or queued next is already there
   * (a job queued by a callback keeps the vault busy). Locking does not
   * change it: the jobs queued before still finish, and their callbacks
   * still run.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cairn_vault_init (CairnVault *self)
{
  g_rec_mutex_init (&self->mutex);
}

/* ------------------------------------------------------------------------ */

char *
cairn_vault_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "cairn", NULL);
}

gboolean
cairn_vault_exists (const char *dir)
{
  g_autofree char *keyring = g_build_filename (dir, KEYRING_NAME, NULL);

  return g_file_test (keyring, G_FILE_TEST_EXISTS);
}

const CairnKdfParams *
cairn_vault_default_kdf_params (void)
{
  return &default_params;
}

char *
cairn_vault_format_user_id (const guint8 *id)
{
  char hex[2 * CAIRN_USER_ID_BYTES + 1];

  sodium_bin2hex (hex, sizeof hex, id, CAIRN_USER_ID_BYTES);
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/**
 * cairn_role_to_string:
 * @role: a role
 *
 * Returns: the name the vault stores for @role
 */
const char *
cairn_role_to_string (CairnRole role)
{
  return role == CAIRN_ROLE_CLINICIAN ? "clinician" : "front-desk";
}

/* Makes a rename or a new file in @dir durable. */
gboolean
cairn_vault_sync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

/* Removes a folder of plain files (a vault's, or one being built). */
gboolean
cairn_vault_remove_folder (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  return g_rmdir (dir) == 0 || errno == ENOENT;
}

/* ------------------------------------------------------------------------ */
/* Opening with keys in hand                                                 */

/* Failed unlocks cannot be written to the audit trail without a key: they
 * wait beside the vault (cairn-unlock-attempts.c) and go into it at the
 * next successful unlock. A name not on the keyring is not kept as typed:
 * it may be anything, a patient's name included. */
static void
record_failure (const char   *dir,
                CairnKeyring *keyring,
                const char   *user_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;

  if (user_name == NULL)
    what = g_strdup ("recovery key");
  else
    {
      g_autoptr(GPtrArray) users = cairn_keyring_list_users (keyring);
      gboolean known = FALSE;

      for (guint i = 0; i < users->len && !known; i++)
        known = g_strcmp0 (((CairnKeyringUser *) g_ptr_array_index (users, i))->name, user_name) == 0;
      what = known ? g_strdup_printf ("passphrase of “%s”", user_name) : g_strdup ("passphrase of an unknown user");
    }
  if (!cairn_unlock_attempts_record (dir, what, &error))
    g_warning ("%s", error->message);
}

static gboolean
write_pending_failures (CairnDatabase  *practice,
                        const char     *dir,
                        GError        **error)
{
  g_autoptr(GPtrArray) attempts = cairn_unlock_attempts_list (dir);

  for (guint i = 0; i < attempts->len; i++)
    {
      const CairnUnlockAttempt *attempt = g_ptr_array_index (attempts, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (attempt->at);
      g_autofree char *when = at != NULL ? g_date_time_format_iso8601 (at) : g_strdup ("?");
      g_autofree char *detail = g_strdup_printf ("%s at %s", attempt->what, when);

      if (!cairn_audit_append (practice, NULL, "vault.unlock-failed", NULL, detail, error))
        return FALSE;
    }
  return TRUE;
}

/* After three wrong passphrases the next try waits, in every process. */
static gboolean
check_not_too_soon (const char  *dir,
                    GError     **error)
{
  guint seconds = cairn_unlock_attempts_seconds_to_wait (dir);

  if (seconds == 0)
    return TRUE;
  g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_TOO_SOON,
               "After several wrong tries, the next must wait: try again in %u seconds.", seconds);
  return FALSE;
}

/**
 * cairn_vault_record_keyring:
 * @practice: practice.db, inside a transaction
 * @keyring_hash: from cairn_keyring_dup_hash()
 * @user_id: (nullable): who changed it
 * @error: return location for a #GError
 *
 * Records in practice.db which keyring it goes with, in the transaction of
 * the change (a user added or removed, a passphrase or the recovery key
 * changed) that made that keyring.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_vault_record_keyring (CairnDatabase *practice,
                            const char    *keyring_hash,
                            const char    *user_id,
                            GError       **error)
{
  g_autofree char *now = cairn_record_timestamp_now ();
  const char *values[] = { keyring_hash, now, user_id };

  return cairn_database_run (practice,
                             "INSERT INTO settings (key, value, updated_at, author)"
                             " VALUES ('keyring_hash', ?, ?, ?)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                             " updated_at = excluded.updated_at, author = excluded.author",
                             values, G_N_ELEMENTS (values), error);
}

typedef enum
{
  KEYRING_IN_STEP,       /* the keyring is the one practice.db records */
  KEYRING_ADOPT,         /* practice.db records none yet (an older vault) */
  KEYRING_COMPLETE,      /* a committed change waits in keyring.pending */
  KEYRING_DISCARD,       /* keyring.pending holds a change that never committed */
  KEYRING_NOT_IN_STEP,   /* neither is the keyring practice.db records */
} KeyringState;

/* Which keyring is the vault's, from the hash practice.db holds. */
static KeyringState
keyring_state (CairnKeyring *keyring,
               CairnKeyring *pending,
               const char   *recorded)
{
  g_autofree char *keyring_hash = cairn_keyring_dup_hash (keyring);
  g_autofree char *pending_hash = pending != NULL ? cairn_keyring_dup_hash (pending) : NULL;

  if (recorded != NULL && g_strcmp0 (recorded, pending_hash) == 0)
    return KEYRING_COMPLETE;
  if (recorded == NULL)
    return pending != NULL ? KEYRING_DISCARD : KEYRING_ADOPT;
  if (g_strcmp0 (recorded, keyring_hash) == 0)
    return pending != NULL ? KEYRING_DISCARD : KEYRING_IN_STEP;
  return KEYRING_NOT_IN_STEP;
}

static char *
recorded_keyring_hash (CairnDatabase  *practice,
                       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  char *hash = cairn_database_query_text (practice, "SELECT value FROM settings WHERE key = 'keyring_hash'",
                                          NULL, 0, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return hash;
}

static void
set_keyring_not_in_step (GError **error)
{
  g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_DAMAGED,
               "The keyring is not the one practice.db was last changed with: it may have been "
               "put back from an older copy, which could bring back a removed user's passphrase. "
               "Restore the whole vault folder from one backup.");
}

/* What decides which keyring is the vault's: the hash practice.db holds,
 * the keyring, and keyring.pending if there is one that reads. */
static gboolean
read_keyrings (const char     *dir,
               CairnDatabase  *practice,
               char          **recorded,
               CairnKeyring  **on_disk,
               CairnKeyring  **pending,
               GError        **error)
{
  g_autofree char *keyring_path = g_build_filename (dir, KEYRING_NAME, NULL);
  g_autofree char *pending_path = g_build_filename (dir, KEYRING_PENDING_NAME, NULL);
  g_autoptr(GError) local_error = NULL;

  *recorded = recorded_keyring_hash (practice, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *on_disk = cairn_keyring_load (keyring_path, error);
  if (*on_disk == NULL)
    return FALSE;
  *pending = g_file_test (pending_path, G_FILE_TEST_EXISTS) ? cairn_keyring_load (pending_path, NULL) : NULL;
  return TRUE;
}

/* A keyring change that a crash cut short is completed or undone, as
 * practice.db says it went; inside the unlock's transaction. When the
 * keyring the user was let in by is not the vault's after all, their
 * passphrase or recovery key must open the vault's too. */
static gboolean
reconcile_keyring (CairnVault  *self,
                   const char  *passphrase,
                   const char  *recovery_key,
                   GError     **error)
{
  g_autofree char *keyring_path = g_build_filename (self->dir, KEYRING_NAME, NULL);
  g_autofree char *pending_path = g_build_filename (self->dir, KEYRING_PENDING_NAME, NULL);
  g_autoptr(CairnKeyring) on_disk = NULL;
  g_autoptr(CairnKeyring) pending = NULL;
  g_autofree char *recorded = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  CairnKeyring *vaults;
  KeyringState state;

  if (!read_keyrings (self->dir, self->practice, &recorded, &on_disk, &pending, error))
    return FALSE;
  /* Cut short while it was written: the change never committed. */
  if (pending == NULL && g_file_test (pending_path, G_FILE_TEST_EXISTS) && g_unlink (pending_path) != 0)
    g_warning ("An unfinished keyring change could not be removed: %s", g_strerror (errno));

  state = keyring_state (on_disk, pending, recorded);
  switch (state)
    {
    case KEYRING_NOT_IN_STEP:
      set_keyring_not_in_step (error);
      return FALSE;

    case KEYRING_ADOPT:
      theirs = cairn_keyring_dup_hash (on_disk);
      if (!cairn_vault_record_keyring (self->practice, theirs, self->user_id, error))
        return FALSE;
      break;

    case KEYRING_COMPLETE:
      if (g_rename (pending_path, keyring_path) != 0)
        {
          int saved = errno;

          g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                       "A change to the keyring could not be completed: %s", g_strerror (saved));
          return FALSE;
        }
      cairn_vault_sync_dir (self->dir);
      if (!cairn_audit_append (self->practice, self->user_id, "vault.keyring-completed", NULL,
                               "a committed change, cut short before it was in place", error))
        return FALSE;
      break;

    case KEYRING_DISCARD:
      if (g_unlink (pending_path) != 0)
        g_warning ("An unfinished keyring change could not be removed: %s", g_strerror (errno));
      if (!cairn_audit_append (self->practice, self->user_id, "vault.keyring-discarded", NULL,
                               "a change that never committed", error))
        return FALSE;
      break;

    case KEYRING_IN_STEP:
    default:
      break;
    }

  /* The user was let in by one keyring; is it the vault's? */
  vaults = state == KEYRING_COMPLETE ? pending : on_disk;
  ours = cairn_keyring_dup_hash (self->keyring);
  theirs = (g_free (theirs), cairn_keyring_dup_hash (vaults));
  if (g_strcmp0 (ours, theirs) != 0)
    {
      g_autoptr(CairnVaultKeys) keys = NULL;
      g_autoptr(CairnKeyringUser) user = NULL;

      if (passphrase != NULL)
        keys = cairn_keyring_unlock (vaults, self->user->name, passphrase, &user, NULL);
      else if (recovery_key != NULL)
        keys = cairn_keyring_unlock_recovery (vaults, recovery_key, NULL);
      if (keys == NULL)
        {
          g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE,
                       passphrase != NULL
                       ? "This passphrase was part of a change to the vault’s users or passphrases that "
                         "Cairn had not finished when it stopped: unlock with the passphrase as it was "
                         "before."
                       : "The recovery key was being replaced when Cairn stopped: use the key that "
                         "was shown last.");
          return FALSE;
        }
      cairn_keyring_free (self->keyring);
      self->keyring = state == KEYRING_COMPLETE ? g_steal_pointer (&pending) : g_steal_pointer (&on_disk);
    }

  return TRUE;
}

static CairnVault *
open_with_keys (const char        *dir,
                CairnKeyring      *keyring,
                CairnVaultKeys    *keys,
                CairnKeyringUser  *user,
                const char        *how,
                const char        *passphrase,
                const char        *recovery_key,
                GError           **error)
{
  g_autoptr(CairnVault) self = g_object_new (CAIRN_TYPE_VAULT, NULL);
  g_autofree char *practice_path = g_build_filename (dir, PRACTICE_NAME, NULL);
  g_autofree char *clinical_path = g_build_filename (dir, CLINICAL_NAME, NULL);

  self->dir = g_strdup (dir);
  self->keyring = keyring;
  self->keys = keys;
  self->user = user;
  self->user_id = cairn_vault_format_user_id (user->id);

  self->practice = cairn_database_open (practice_path, keys->practice,
                                        cairn_keyring_get_practice_id (keyring), FALSE, error);
  if (self->practice == NULL ||
      !cairn_migrations_run (self->practice, CAIRN_DATABASE_KIND_PRACTICE, 0, error))
    return NULL;

  if (keys->has_clinical)
    {
      self->clinical = cairn_database_open (clinical_path, keys->clinical,
                                            cairn_keyring_get_clinical_id (keyring), FALSE, error);
      if (self->clinical == NULL ||
          !cairn_migrations_run (self->clinical, CAIRN_DATABASE_KIND_CLINICAL, 0, error))
        return NULL;
    }

  /* "Today", for the records' dates, is the practice's. */
  {
    g_autofree char *zone_id = cairn_database_query_text (self->practice, "SELECT time_zone FROM practice LIMIT 1",
                                                          NULL, 0, NULL);
    g_autoptr(GTimeZone) zone = zone_id != NULL ? g_time_zone_new_identifier (zone_id) : NULL;

    if (zone != NULL)
      {
        cairn_database_set_time_zone (self->practice, zone);
        if (self->clinical != NULL)
          cairn_database_set_time_zone (self->clinical, zone);
      }
  }

  if (!cairn_database_exec (self->practice, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!reconcile_keyring (self, passphrase, recovery_key, error) ||
      !write_pending_failures (self->practice, dir, error) ||
      !cairn_audit_append (self->practice, self->user_id, "vault.unlock", NULL, how, error) ||
      !cairn_database_exec (self->practice, "COMMIT", error))
    {
      cairn_database_exec (self->practice, "ROLLBACK", NULL);
      return NULL;
    }
  /* In the audit trail now; should this fail, they are written twice, never lost. */
  cairn_unlock_attempts_clear (dir);
  self->unlocked = TRUE;

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------ */
/* Creating                                                                  */

static gboolean
check_new_vault_dir (const char  *dir,
                     GError     **error)
{
  g_autoptr(GDir) handle = NULL;

  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    return TRUE;

  if (cairn_vault_exists (dir))
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_EXISTS,
                   "There is already a vault in %s.", dir);
      return FALSE;
    }

  handle = g_dir_open (dir, 0, NULL);
  if (handle == NULL || g_dir_read_name (handle) != NULL)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_EXISTS,
                   "%s is not an empty folder: choose another place for the vault.", dir);
      return FALSE;
    }

  return TRUE;
}

static gboolean
build_vault (const char            *build_dir,
             CairnKeyring          *keyring,
             const CairnVaultKeys  *keys,
             const CairnKeyringUser *user,
             const char            *practice_name,
             const char            *time_zone,
             GError               **error)
{
  g_autofree char *practice_path = g_build_filename (build_dir, PRACTICE_NAME, NULL);
  g_autofree char *clinical_path = g_build_filename (build_dir, CLINICAL_NAME, NULL);
  g_autofree char *keyring_path = g_build_filename (build_dir, KEYRING_NAME, NULL);
  g_autofree char *user_id = cairn_vault_format_user_id (user->id);
  g_autofree char *practice_id = cairn_record_new_id ();
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autoptr(CairnDatabase) practice = NULL;
  g_autoptr(CairnDatabase) clinical = NULL;
  const char *practice_row[] = { practice_id, practice_name, time_zone, now, now, user_id };
  const char *user_row[] = { user_id, user->name, cairn_role_to_string (user->role), now, now, user_id };
  g_autofree char *keyring_hash = cairn_keyring_dup_hash (keyring);

  practice = cairn_database_open (practice_path, keys->practice, cairn_keyring_get_practice_id (keyring),
                                  TRUE, error);
  if (practice == NULL ||
      !cairn_migrations_run (practice, CAIRN_DATABASE_KIND_PRACTICE, 0, error) ||
      !cairn_database_exec (practice, "BEGIN IMMEDIATE", error) ||
      !cairn_database_run (practice,
                           "INSERT INTO practice (id, name, time_zone, created_at, updated_at, author)"
                           " VALUES (?, ?, ?, ?, ?, ?)", practice_row, G_N_ELEMENTS (practice_row), error) ||
      !cairn_database_run (practice,
                           "INSERT INTO users (id, name, role, created_at, updated_at, author)"
                           " VALUES (?, ?, ?, ?, ?, ?)", user_row, G_N_ELEMENTS (user_row), error) ||
      !cairn_audit_append (practice, user_id, "vault.create", practice_id, NULL, error) ||
      !cairn_audit_append (practice, user_id, "user.add", user_id, cairn_role_to_string (user->role), error) ||
      !cairn_vault_record_keyring (practice, keyring_hash, user_id, error) ||
      !cairn_database_exec (practice, "COMMIT", error))
    return FALSE;

  clinical = cairn_database_open (clinical_path, keys->clinical, cairn_keyring_get_clinical_id (keyring),
                                  TRUE, error);
  if (clinical == NULL ||
      !cairn_migrations_run (clinical, CAIRN_DATABASE_KIND_CLINICAL, 0, error) ||
      !cairn_database_exec (clinical, "BEGIN IMMEDIATE", error) ||
      !cairn_audit_append (clinical, user_id, "vault.create", practice_id, NULL, error) ||
      !cairn_database_exec (clinical, "COMMIT", error))
    return FALSE;

  g_clear_pointer (&practice, cairn_database_close);
  g_clear_pointer (&clinical, cairn_database_close);

  return cairn_keyring_save (keyring, keyring_path, error);
}

/**
 * cairn_vault_create:
 * @dir: the vault folder: it must not exist, or be empty
 * @practice_name: the practice's name
 * @time_zone: the practice's time zone (an IANA identifier)
 * @user_name: the first clinician's name
 * @passphrase: their passphrase
 * @params: (nullable): the Argon2id cost, or %NULL for the default
 * @out_recovery_key: (out) (transfer full): the recovery key, to show once
 * @error: return location for a #GError
 *
 * Builds the vault in a temporary folder beside @dir and renames it into
 * place, so that a failure half-way leaves nothing behind.
 *
 * Returns: (transfer full) (nullable): the new vault, unlocked
 */
CairnVault *
cairn_vault_create (const char            *dir,
                    const char            *practice_name,
                    const char            *time_zone,
                    const char            *user_name,
                    const char            *passphrase,
                    const CairnKdfParams  *params,
                    char                 **out_recovery_key,
                    GError               **error)
{
  return cairn_vault_create_full (dir, practice_name, time_zone, user_name, passphrase, TRUE, params,
                                  out_recovery_key, error);
}

/* cairn_vault_create(), optionally without the passphrase rules: for the
 * demo vault, whose passphrase is printed on the unlock page anyway. */
CairnVault *
cairn_vault_create_full (const char            *dir,
                         const char            *practice_name,
                         const char            *time_zone,
                         const char            *user_name,
                         const char            *passphrase,
                         gboolean               check_passphrase,
                         const CairnKdfParams  *params,
                         char                 **out_recovery_key,
                         GError               **error)
{
  g_autoptr(CairnKeyring) keyring = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;
  g_autoptr(CairnKeyringUser) user = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *build_dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *reason = NULL;
  CairnVault *self;

  g_return_val_if_fail (dir != NULL && out_recovery_key != NULL, NULL);

  name = practice_name != NULL ? g_strstrip (g_strdup (practice_name)) : g_strdup ("");
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > 200)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID,
                   "The practice needs a name of 1 to 200 characters.");
      return NULL;
    }
  if (time_zone == NULL || (zone = g_time_zone_new_identifier (time_zone)) == NULL)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID,
                   "“%s” is not a time zone this computer knows, such as Europe/Berlin.",
                   time_zone != NULL ? time_zone : "");
      return NULL;
    }
  if (check_passphrase && !cairn_passphrase_acceptable (passphrase, user_name, &reason))
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID, "%s", reason);
      return NULL;
    }
  if (passphrase == NULL || *passphrase == '\0')
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID, "Enter a passphrase.");
      return NULL;
    }
  if (!check_new_vault_dir (dir, error))
    return NULL;

  parent = g_path_get_dirname (dir);
  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   "The folder %s could not be made: %s", parent, g_strerror (saved));
      return NULL;
    }
  build_dir = g_build_filename (parent, ".cairn-new-XXXXXX", NULL);
  if (g_mkdtemp_full (build_dir, 0700) == NULL)
    {
      int saved = errno;

      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   "The vault could not be made in %s: %s", parent, g_strerror (saved));
      return NULL;
    }

  keyring = cairn_keyring_new (&keys);
  if (!cairn_keyring_add_user (keyring, keys, user_name, CAIRN_ROLE_CLINICIAN, passphrase,
                               params != NULL ? params : &default_params, &user, error) ||
      (recovery = cairn_keyring_set_recovery (keyring, keys, error)) == NULL ||
      !build_vault (build_dir, keyring, keys, user, name, time_zone, error))
    {
      cairn_vault_remove_folder (build_dir);
      return NULL;
    }

  if (!cairn_vault_sync_dir (build_dir) || g_rename (build_dir, dir) != 0)
    {
      int saved = errno;

      cairn_vault_remove_folder (build_dir);
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_IO,
                   "The vault could not be put in place at %s: %s", dir, g_strerror (saved));
      return NULL;
    }
  cairn_vault_sync_dir (parent);

  self = open_with_keys (dir, g_steal_pointer (&keyring), g_steal_pointer (&keys),
                         g_steal_pointer (&user), "created", passphrase, NULL, error);
  if (self != NULL)
    *out_recovery_key = g_steal_pointer (&recovery);
  else if (recovery != NULL)
    sodium_memzero (recovery, strlen (recovery));

  return self;
}

static int
compare_users (gconstpointer a,
               gconstpointer b)
{
  const CairnKeyringUser *user_a = *(CairnKeyringUser * const *) a;
  const CairnKeyringUser *user_b = *(CairnKeyringUser * const *) b;

  return g_utf8_collate (user_a->name, user_b->name);
}

/* ------------------------------------------------------------------------ */
/* Unlocking                                                                 */

static CairnKeyring *
load_keyring (const char  *dir,
              GError     **error)
{
  g_autofree char *path = g_build_filename (dir, KEYRING_NAME, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_FOUND,
                   "There is no vault at %s.", dir);
      return NULL;
    }
  return cairn_keyring_load (path, error);
}

/* The vault folder and its files are their user's alone. A copy made with
 * a careless umask, or a folder restored by hand, may not be: unlocking puts
 * that right (and says so on the terminal, naming no content), and a check,
 * which changes nothing, reports it. */
static void
keep_private (const char *dir,
              GString    *report)
{
  static const char * const names[] = {
    "", KEYRING_NAME, PRACTICE_NAME, PRACTICE_NAME "-journal", CLINICAL_NAME, CLINICAL_NAME "-journal",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      guint mode = i == 0 ? 0700 : 0600;
      GStatBuf st;

      if (g_lstat (path, &st) != 0 || (st.st_mode & 077) == 0)
        continue;

      if (report != NULL)
        g_string_append_printf (report, "warning: %s can be read by other users of this computer "
                                "(mode %04o); unlocking the vault makes it private again\n",
                                i == 0 ? "the vault folder" : names[i], (guint) (st.st_mode & 07777));
      else if (g_chmod (path, (int) mode) == 0)
        g_message ("Made %s private to its user (it was mode %04o)", path, (guint) (st.st_mode & 07777));
      else
        g_warning ("%s can be read by other users and could not be made private: %s",
                   path, g_strerror (errno));
    }
}

/* A re-key interrupted by a crash leaves a ".cairn-rekey-XXXXXX" folder
 * beside the vault: before the swap it holds the unfinished new copy, after
 * it the old vault, which the old keys still open. Whoever holds the
 * vault's databases (as an unlocked vault does, exclusively) knows no
 * re-key is running, and removes them. */
static void
remove_stale_rekey_folders (const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autoptr(GDir) handle = g_dir_open (parent, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, ".cairn-rekey-"))
      {
        g_autofree char *path = g_build_filename (parent, name, NULL);

        g_message ("Removing an interrupted re-key’s leftover folder %s", path);
        cairn_vault_remove_folder (path);
      }
}

/* A keyring change cut short by a crash may hold the only slot that opens
 * for this passphrase (a passphrase just changed, a user just added): the
 * unlock then tries it, and reconcile_keyring() decides which is the
 * vault's once practice.db can be read. */
static void
try_pending_keyring (const char         *dir,
                     CairnKeyring      **keyring,
                     const char         *user_name,
                     const char         *passphrase,
                     const char         *recovery_key,
                     CairnVaultKeys    **keys,
                     CairnKeyringUser  **user,
                     GError            **error)
{
  g_autofree char *path = g_build_filename (dir, KEYRING_PENDING_NAME, NULL);
  g_autoptr(CairnKeyring) pending = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS) || (pending = cairn_keyring_load (path, NULL)) == NULL)
    return;
  *keys = passphrase != NULL ? cairn_keyring_unlock (pending, user_name, passphrase, user, NULL)
                             : cairn_keyring_unlock_recovery (pending, recovery_key, NULL);
  if (*keys == NULL)
    return;
  g_clear_error (error);
  cairn_keyring_free (*keyring);
  *keyring = g_steal_pointer (&pending);
}

/**
 * cairn_vault_unlock:
 * @dir: the vault folder
 * @user_name: who is unlocking
 * @passphrase: their passphrase
 * @error: return location for a #GError
 *
 * Blocks for about a second (Argon2id): see cairn_vault_unlock_async().
 *
 * Returns: (transfer full) (nullable): the unlocked vault
 */
CairnVault *
cairn_vault_unlock (const char  *dir,
                    const char  *user_name,
                    const char  *passphrase,
                    GError     **error)
{
  g_autoptr(CairnKeyring) keyring = NULL;
  g_autoptr(GError) local_error = NULL;
  CairnKeyringUser *user = NULL;
  CairnVaultKeys *keys;
  CairnVault *vault;

  g_return_val_if_fail (dir != NULL && user_name != NULL && passphrase != NULL, NULL);

  keyring = load_keyring (dir, error);
  if (keyring == NULL)
    return NULL;
  keep_private (dir, NULL);
  if (!check_not_too_soon (dir, error))
    return NULL;

  keys = cairn_keyring_unlock (keyring, user_name, passphrase, &user, &local_error);
  if (keys == NULL)
    try_pending_keyring (dir, &keyring, user_name, passphrase, NULL, &keys, &user, &local_error);
  if (keys == NULL)
    {
      if (g_error_matches (local_error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE) ||
          g_error_matches (local_error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER))
        record_failure (dir, keyring, user_name);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  vault = open_with_keys (dir, g_steal_pointer (&keyring), keys, user, "passphrase", passphrase, NULL, error);
  if (vault != NULL)
    remove_stale_rekey_folders (dir);
  return vault;
}

/**
 * cairn_vault_unlock_with_recovery:
 * @dir: the vault folder
 * @recovery_key: the recovery key as written down
 * @error: return location for a #GError
 *
 * Unlocks as the recovery user, who holds both keys. The caller must make
 * someone set a new passphrase before going on.
 *
 * Returns: (transfer full) (nullable): the unlocked vault
 */
CairnVault *
cairn_vault_unlock_with_recovery (const char  *dir,
                                  const char  *recovery_key,
                                  GError     **error)
{
  g_autoptr(CairnKeyring) keyring = NULL;
  g_autoptr(GError) local_error = NULL;
  CairnKeyringUser *user;
  CairnVaultKeys *keys;
  CairnVault *self;

  g_return_val_if_fail (dir != NULL && recovery_key != NULL, NULL);

  keyring = load_keyring (dir, error);
  if (keyring == NULL)
    return NULL;
  keep_private (dir, NULL);
  if (!check_not_too_soon (dir, error))
    return NULL;

  keys = cairn_keyring_unlock_recovery (keyring, recovery_key, &local_error);
  if (keys == NULL)
    try_pending_keyring (dir, &keyring, NULL, NULL, recovery_key, &keys, NULL, &local_error);
  if (keys == NULL)
    {
      /* A typing mistake the checksum caught is not a guess. */
      if (!g_error_matches (local_error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO))
        record_failure (dir, keyring, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  user = g_new0 (CairnKeyringUser, 1);
  user->name = g_strdup ("recovery");
  user->role = CAIRN_ROLE_CLINICIAN;
  self = open_with_keys (dir, g_steal_pointer (&keyring), keys, user, "recovery key", NULL, recovery_key, error);
  if (self != NULL)
    self->by_recovery = TRUE;
  return self;
}

/* The blocking ways to open a vault, run on a worker thread. Secrets are
 * copied into guarded memory for the trip. */
typedef enum
{
  OPEN_UNLOCK,
  OPEN_RECOVERY,
  OPEN_CREATE,
} OpenHow;

typedef struct
{
  OpenHow  how;
  char    *dir;
  char    *user_name;
  char    *secret;     /* sodium_malloc: the passphrase or recovery key */
  char    *practice_name;
  char    *time_zone;
  gboolean has_params;
  CairnKdfParams params;
} OpenData;

typedef struct
{
  CairnVault *vault;
  char       *recovery_key;
} CreateResult;

static void
open_data_free (OpenData *data)
{
  g_free (data->dir);
  g_free (data->user_name);
  sodium_free (data->secret);
  g_free (data->practice_name);
  g_free (data->time_zone);
  g_free (data);
}

static void
create_result_free (CreateResult *result)
{
  g_clear_object (&result->vault);
  if (result->recovery_key != NULL)
    sodium_memzero (result->recovery_key, strlen (result->recovery_key));
  g_free (result->recovery_key);
  g_free (result);
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  CairnVault *vault = NULL;
  CreateResult *created;

  switch (data->how)
    {
    case OPEN_UNLOCK:
      vault = cairn_vault_unlock (data->dir, data->user_name, data->secret, &error);
      break;

    case OPEN_RECOVERY:
      vault = cairn_vault_unlock_with_recovery (data->dir, data->secret, &error);
      break;

    case OPEN_CREATE:
      created = g_new0 (CreateResult, 1);
      created->vault = cairn_vault_create (data->dir, data->practice_name, data->time_zone, data->user_name,
                                           data->secret, data->has_params ? &data->params : NULL,
                                           &created->recovery_key, &error);
      if (created->vault != NULL)
        g_task_return_pointer (task, created, (GDestroyNotify) create_result_free);
      else
        {
          create_result_free (created);
          g_task_return_error (task, error);
        }
      return;
    }

  if (vault != NULL)
    g_task_return_pointer (task, vault, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
open_in_thread (OpenData            *data,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

static char *
guarded_copy (const char *secret)
{
  gsize length = strlen (secret);
  char *copy = sodium_malloc (length + 1);

  memcpy (copy, secret, length + 1);
  return copy;
}

/**
 * cairn_vault_unlock_async:
 * @dir: the vault folder
 * @user_name: who is unlocking
 * @passphrase: their passphrase (copied into guarded memory)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * cairn_vault_unlock() on a worker thread.
 */
void
cairn_vault_unlock_async (const char          *dir,
                          const char          *user_name,
                          const char          *passphrase,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  OpenData *data = g_new0 (OpenData, 1);

  g_return_if_fail (dir != NULL && user_name != NULL && passphrase != NULL);

  data->how = OPEN_UNLOCK;
  data->dir = g_strdup (dir);
  data->user_name = g_strdup (user_name);
  data->secret = guarded_copy (passphrase);
  open_in_thread (data, cairn_vault_unlock_async, cancellable, callback, user_data);
}

CairnVault *
cairn_vault_unlock_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cairn_vault_unlock_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cairn_vault_unlock_with_recovery_async:
 * @dir: the vault folder
 * @recovery_key: the recovery key as typed (copied into guarded memory)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * cairn_vault_unlock_with_recovery() on a worker thread.
 */
void
cairn_vault_unlock_with_recovery_async (const char          *dir,
                                        const char          *recovery_key,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  OpenData *data = g_new0 (OpenData, 1);

  g_return_if_fail (dir != NULL && recovery_key != NULL);

  data->how = OPEN_RECOVERY;
  data->dir = g_strdup (dir);
  data->secret = guarded_copy (recovery_key);
  open_in_thread (data, cairn_vault_unlock_with_recovery_async, cancellable, callback, user_data);
}

CairnVault *
cairn_vault_unlock_with_recovery_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cairn_vault_unlock_with_recovery_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cairn_vault_create_async:
 * @dir: the vault folder
 * @practice_name: the practice's name
 * @time_zone: the practice's time zone
 * @user_name: the first clinician's name
 * @passphrase: their passphrase (copied into guarded memory)
 * @params: (nullable): the Argon2id cost, or %NULL for the default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * cairn_vault_create() on a worker thread.
 */
void
cairn_vault_create_async (const char            *dir,
                          const char            *practice_name,
                          const char            *time_zone,
                          const char            *user_name,
                          const char            *passphrase,
                          const CairnKdfParams  *params,
                          GCancellable          *cancellable,
                          GAsyncReadyCallback    callback,
                          gpointer               user_data)
{
  OpenData *data = g_new0 (OpenData, 1);

  g_return_if_fail (dir != NULL && passphrase != NULL);

  data->how = OPEN_CREATE;
  data->dir = g_strdup (dir);
  data->practice_name = g_strdup (practice_name);
  data->time_zone = g_strdup (time_zone);
  data->user_name = g_strdup (user_name);
  data->secret = guarded_copy (passphrase);
  if (params != NULL)
    {
      data->has_params = TRUE;
      data->params = *params;
    }
  open_in_thread (data, cairn_vault_create_async, cancellable, callback, user_data);
}

/**
 * cairn_vault_create_finish:
 * @result: the result passed to the callback
 * @out_recovery_key: (out) (transfer full): the recovery key, to show once
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new vault, unlocked
 */
CairnVault *
cairn_vault_create_finish (GAsyncResult  *result,
                           char         **out_recovery_key,
                           GError       **error)
{
  CreateResult *created;
  CairnVault *vault;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cairn_vault_create_async, NULL);
  g_return_val_if_fail (out_recovery_key != NULL, NULL);

  created = g_task_propagate_pointer (G_TASK (result), error);
  if (created == NULL)
    return NULL;

  vault = g_steal_pointer (&created->vault);
  *out_recovery_key = g_steal_pointer (&created->recovery_key);
  create_result_free (created);
  return vault;
}

/**
 * cairn_vault_lock:
 * @self: a vault
 *
 * Records the lock, closes both databases and wipes every key. Safe to call
 * on a locked vault.
 */
void
cairn_vault_lock (CairnVault *self)
{
  GThreadPool *worker;

  g_return_if_fail (CAIRN_IS_VAULT (self));

  /* Work already queued is finished first: a save the user asked for is
   * not dropped because the screen locked. The pool is freed outside the
   * mutex, or its running job could never take it. */
  worker = g_steal_pointer (&self->worker);
  if (worker != NULL)
    g_thread_pool_free (worker, FALSE, TRUE);

  g_rec_mutex_lock (&self->mutex);
  if (self->keys == NULL)
    {
      g_rec_mutex_unlock (&self->mutex);
      return;
    }

  if (self->unlocked && self->practice != NULL &&
      cairn_database_exec (self->practice, "BEGIN IMMEDIATE", NULL))
    {
      if (cairn_audit_append (self->practice, self->user_id, "vault.lock", NULL, NULL, NULL))
        cairn_database_exec (self->practice, "COMMIT", NULL);
      else
        cairn_database_exec (self->practice, "ROLLBACK", NULL);
    }

  g_clear_pointer (&self->practice, cairn_database_close);
  g_clear_pointer (&self->clinical, cairn_database_close);
  g_clear_pointer (&self->keys, cairn_vault_keys_free);
  g_clear_pointer (&self->keyring, cairn_keyring_free);
  g_clear_pointer (&self->user, cairn_keyring_user_free);
  g_clear_pointer (&self->user_id, g_free);
  self->unlocked = FALSE;
  self->by_recovery = FALSE;
  g_rec_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

gboolean
cairn_vault_is_locked (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), TRUE);

  return self->keys == NULL;
}

/**
 * cairn_vault_is_busy:
 * @self: a vault
 *
 * Returns: the #CairnVault:busy property: whether a job queued with
 *   cairn_vault_run_async() has not yet handed its result to its callback
 */
gboolean
cairn_vault_is_busy (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);

  return g_atomic_int_get (&self->jobs) > 0;
}

const char *
cairn_vault_get_dir (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);

  return self->dir;
}

const CairnKeyringUser *
cairn_vault_get_user (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);

  return self->user;
}

char *
cairn_vault_get_user_id (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);

  return g_strdup (self->user_id);
}

gboolean
cairn_vault_has_clinical (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);

  return self->clinical != NULL;
}

CairnDatabase *
cairn_vault_get_practice (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);

  return self->practice;
}

/**
 * cairn_vault_get_clinical:
 * @self: a vault
 *
 * Returns: (nullable) (transfer none): the clinical database, or %NULL when
 *   the user's role holds no key to it (or the vault is locked)
 */
CairnDatabase *
cairn_vault_get_clinical (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);

  return self->clinical;
}

/**
 * cairn_vault_require_clinical:
 * @self: a vault
 * @error: return location for a #GError
 *
 * clinical.db, for work that needs a clinician's key: the one check, and
 * the one error (%CAIRN_VAULT_ERROR_NOT_ALLOWED), for a user who holds
 * none or a vault that is locked.
 *
 * Returns: (transfer none) (nullable): clinical.db, or %NULL with @error set
 */
CairnDatabase *
cairn_vault_require_clinical (CairnVault  *self,
                              GError     **error)
{
  CairnDatabase *clinical = cairn_vault_get_clinical (self);

  if (clinical == NULL)
    g_set_error_literal (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED,
                         _("Clinical records open with a clinician's key only."));
  return clinical;
}

/* ------------------------------------------------------------------------ */
/* Checking                                                                  */

static gboolean
check_database (CairnDatabase  *db,
                const char     *path,
                const guint8   *key,
                const guint8   *file_id,
                GString        *report,
                GError        **error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *fingerprint = NULL;
  guint pages = 0;
  guint entries = 0;

  /* The read-only connection holds its lock (no writer can commit, and it
   * opened only because no interrupted change waits to be rolled back)
   * while the file is read page by page. */
  if (!cairn_vfs_verify_file (path, key, file_id, &pages, error) ||
      !cairn_database_check (db, error) ||
      !cairn_audit_verify (db, &entries, error) ||
      !cairn_audit_get_head (db, NULL, &fingerprint, error))
    return FALSE;

  /* The head, to compare with one printed or written down before. */
  g_string_append_printf (report, "%s: pages authenticated: %u; integrity check: ok; "
                          "audit trail intact, entries: %u, head %s\n", name, pages, entries, fingerprint);
  return TRUE;
}

/* Opens one of the vault's databases read-only and checks it whole. */
static gboolean
check_database_file (const char         *dir,
                     const char         *file_name,
                     CairnDatabaseKind   kind,
                     const guint8       *key,
                     const guint8       *file_id,
                     GString            *report,
                     GError            **error)
{
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr(CairnDatabase) db = cairn_database_open_read_only (path, key, file_id, error);
  guint version, latest = cairn_migrations_latest (kind);

  if (db == NULL)
    return FALSE;

  version = cairn_migrations_version (db, error);
  if (version == 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                     "%s holds no tables: it is not a vault database. Restore the vault folder from a backup.",
                     file_name);
      return FALSE;
    }
  if (version > latest)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_NEWER,
                   "%s was written by a newer version of Cairn (schema %u; this one knows %u). "
                   "Check it with that version.", file_name, version, latest);
      return FALSE;
    }

  if (!check_database (db, path, key, file_id, report, error))
    return FALSE;
  if (version < latest)
    g_string_append_printf (report, "%s: schema %u; the next unlock brings it to %u\n", file_name, version, latest);
  return TRUE;
}

/* The keyring and practice.db's users must agree: everyone who can unlock
 * is a user, and every user can unlock. */
static gboolean
check_users (CairnDatabase  *practice,
             CairnKeyring   *keyring,
             GError        **error)
{
  g_autoptr(GPtrArray) slots = cairn_keyring_list_users (keyring);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (cairn_database_get_handle (practice),
                           "SELECT id, name, role FROM users WHERE deleted_at IS NULL", -1, &stmt, NULL);
  while (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup_printf ("%s\n%s", sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      cairn_database_set_error (practice, rc, error);
      return FALSE;
    }

  for (guint i = 0; i < slots->len; i++)
    {
      const CairnKeyringUser *user = g_ptr_array_index (slots, i);
      g_autofree char *id = cairn_vault_format_user_id (user->id);
      g_autofree char *expected = g_strdup_printf ("%s\n%s", user->name, cairn_role_to_string (user->role));
      const char *row = g_hash_table_lookup (rows, id);

      if (g_strcmp0 (row, expected) != 0)
        {
          g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_DAMAGED,
                       "The keyring and practice.db’s users disagree: “%s” can unlock the vault but is %s "
                       "in practice.db. Restore the vault folder from a backup.", user->name,
                       row == NULL ? "not a user" : "another user, or has another role,");
          return FALSE;
        }
      g_hash_table_remove (rows, id);
    }

  if (g_hash_table_size (rows) > 0)
    {
      g_autoptr(GList) left = g_hash_table_get_values (rows);
      g_auto(GStrv) parts = g_strsplit (left->data, "\n", 2);

      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_DAMAGED,
                   "The keyring and practice.db’s users disagree: “%s” is a user in practice.db but "
                   "has no key to the vault. Restore the vault folder from a backup.", parts[0]);
      return FALSE;
    }
  return TRUE;
}

/* Which keyring practice.db goes with, and whether its users are the
 * keyring's; read-only, so an interrupted change is reported, not mended. */
static gboolean
check_keyring (const char        *dir,
               CairnKeyring      *keyring,
               CairnVaultKeys    *keys,
               GString           *report,
               GError           **error)
{
  g_autofree char *practice_path = g_build_filename (dir, PRACTICE_NAME, NULL);
  g_autofree char *pending_path = g_build_filename (dir, KEYRING_PENDING_NAME, NULL);
  g_autoptr(CairnDatabase) practice = NULL;
  g_autoptr(CairnKeyring) on_disk = NULL;
  g_autoptr(CairnKeyring) pending = NULL;
  g_autofree char *recorded = NULL;

  practice = cairn_database_open_read_only (practice_path, keys->practice,
                                            cairn_keyring_get_practice_id (keyring), error);
  if (practice == NULL || !read_keyrings (dir, practice, &recorded, &on_disk, &pending, error))
    return FALSE;

  switch (keyring_state (on_disk, pending, recorded))
    {
    case KEYRING_NOT_IN_STEP:
      set_keyring_not_in_step (error);
      return FALSE;
    case KEYRING_ADOPT:
      g_string_append (report, "keyring: not yet recorded in practice.db; the next unlock records it\n");
      break;
    case KEYRING_COMPLETE:
      g_string_append (report, "keyring: a change was cut short after it was committed; "
                               "the next unlock puts it in place\n");
      return check_users (practice, pending, error);
    case KEYRING_DISCARD:
      g_string_append (report, "keyring: a change was cut short before it was committed; "
                               "the next unlock removes it\n");
      break;
    case KEYRING_IN_STEP:
    default:
      if (g_file_test (pending_path, G_FILE_TEST_EXISTS))
        g_string_append (report, "keyring: an unfinished change was cut short; the next unlock removes it\n");
      break;
    }
  return check_users (practice, on_disk, error);
}

/**
 * cairn_vault_check:
 * @dir: the vault folder
 * @user_name: who is checking
 * @passphrase: their passphrase
 * @out_report: (out) (optional) (transfer full): what was checked
 * @error: return location for a #GError
 *
 * Authenticates every page of each database the user's keys open, runs
 * SQLite's integrity check and verifies the audit chains. It writes
 * nothing: the databases are opened read-only, so that a copy on a
 * read-only disk can be checked and a check changes nothing it checks.
 *
 * Returns: %TRUE when everything is sound
 */
gboolean
cairn_vault_check (const char  *dir,
                   const char  *user_name,
                   const char  *passphrase,
                   char       **out_report,
                   GError     **error)
{
  g_autoptr(CairnKeyring) keyring = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;
  g_autoptr(CairnKeyringUser) user = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (dir != NULL && user_name != NULL && passphrase != NULL, FALSE);

  keyring = load_keyring (dir, error);
  if (keyring == NULL)
    return FALSE;
  if (!check_not_too_soon (dir, error))
    return FALSE;
  keys = cairn_keyring_unlock (keyring, user_name, passphrase, &user, &local_error);
  if (keys == NULL)
    try_pending_keyring (dir, &keyring, user_name, passphrase, NULL, &keys, &user, &local_error);
  if (keys == NULL)
    {
      /* Written beside the vault even by a check: a guess is a guess. */
      if (g_error_matches (local_error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE) ||
          g_error_matches (local_error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER))
        record_failure (dir, keyring, user_name);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  users = cairn_keyring_list_users (keyring);
  g_string_append_printf (report, "keyring: sound; users: %u; recovery key: %s\n", users->len,
                          cairn_keyring_has_recovery (keyring) ? "yes" : "no");
  keep_private (dir, report);
  if (!check_keyring (dir, keyring, keys, report, error))
    return FALSE;
  if (!check_database_file (dir, PRACTICE_NAME, CAIRN_DATABASE_KIND_PRACTICE, keys->practice,
                            cairn_keyring_get_practice_id (keyring), report, error))
    return FALSE;
  if (keys->has_clinical)
    {
      if (!check_database_file (dir, CLINICAL_NAME, CAIRN_DATABASE_KIND_CLINICAL, keys->clinical,
                                cairn_keyring_get_clinical_id (keyring), report, error))
        return FALSE;
    }
  else
    g_string_append (report, "clinical.db: not checked; a front-desk user holds no key to it\n");

  if (out_report != NULL)
    *out_report = g_string_free (g_steal_pointer (&report), FALSE);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The worker                                                                */

typedef struct
{
  CairnVaultJob        job;
  gpointer             data;
  GDestroyNotify       data_free;
  GDestroyNotify       result_free;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
  gboolean             skippable;   /* a read nobody waits for any more is not run */
} Job;

static void
job_free (Job *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
worker_run (gpointer item,
            gpointer pool_data)
{
  g_autoptr(GTask) task = item;
  CairnVault *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result;

  /* A job queued runs, even when its cancellable was cancelled meanwhile
   * (the screen that asked went, or Cairn is locking): a save the user
   * asked for is written. The cancellable only decides whether its answer
   * is delivered. A read superseded before it began is skipped, so that a
   * lock does not wait for stale searches. */
  if (job->skippable && g_task_return_error_if_cancelled (task))
    return;
  g_rec_mutex_lock (&self->mutex);
  if (self->keys == NULL)
    {
      g_rec_mutex_unlock (&self->mutex);
      g_task_return_new_error (task, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED,
                               "The vault is locked.");
      return;
    }
  result = job->job (self, job->data, g_task_get_cancellable (task), &error);
  g_rec_mutex_unlock (&self->mutex);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);
}

/* Every job comes back through here, on the caller's main context: its
 * own callback first, then the count of jobs still out. */
static void
job_delivered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CairnVault *self = CAIRN_VAULT (source);
  Job *job = g_task_get_task_data (G_TASK (result));

  if (job->callback != NULL)
    job->callback (source, result, job->user_data);
  if (g_atomic_int_dec_and_test (&self->jobs))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
run_job_async (CairnVault          *self,
               CairnVaultJob        job,
               gpointer             data,
               GDestroyNotify       data_free,
               GDestroyNotify       result_free,
               gboolean             skippable,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *item;

  g_return_if_fail (CAIRN_IS_VAULT (self));
  g_return_if_fail (job != NULL);

  if (g_atomic_int_add (&self->jobs, 1) == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  task = g_task_new (self, cancellable, job_delivered_cb, NULL);
  g_task_set_source_tag (task, cairn_vault_run_async);
  item = g_new0 (Job, 1);
  item->job = job;
  item->data = data;
  item->data_free = data_free;
  item->result_free = result_free;
  item->callback = callback;
  item->user_data = user_data;
  item->skippable = skippable;
  g_task_set_task_data (task, item, (GDestroyNotify) job_free);

  g_rec_mutex_lock (&self->mutex);
  if (self->keys == NULL)
    {
      g_rec_mutex_unlock (&self->mutex);
      g_task_return_new_error (task, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED,
                               "The vault is locked.");
      return;
    }
  if (self->worker == NULL)
    self->worker = g_thread_pool_new (worker_run, NULL, 1, FALSE, NULL);
  g_thread_pool_push (self->worker, g_steal_pointer (&task), NULL);
  g_rec_mutex_unlock (&self->mutex);
}

/**
 * cairn_vault_run_async:
 * @self: an unlocked vault
 * @job: the work: it runs on the vault's worker thread, one job at a time,
 *   in the order they were queued, and may use both databases
 * @data: (nullable): data for @job
 * @data_free: (nullable): frees @data once the job is done
 * @result_free: (nullable): frees what @job returns, if nobody takes it
 * @cancellable: (nullable): a #GCancellable: once cancelled, the answer
 *   comes as %G_IO_ERROR_CANCELLED; the job still runs (a save asked for
 *   is written)
 * @callback: called on the calling thread's main context when done
 * @user_data: data for @callback
 *
 * How the interface reaches the vault without freezing: queries and
 * saves, and everything that runs Argon2id.
 */
void
cairn_vault_run_async (CairnVault          *self,
                       CairnVaultJob        job,
                       gpointer             data,
                       GDestroyNotify       data_free,
                       GDestroyNotify       result_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  run_job_async (self, job, data, data_free, result_free, FALSE, cancellable, callback, user_data);
}

/**
 * cairn_vault_read_async:
 * @self: an unlocked vault
 * @job: a read, run on the vault's worker
 * @data: (nullable): data for @job
 * @data_free: (nullable): frees @data once the job is done
 * @result_free: (nullable): frees what @job returns, if nobody takes it
 * @cancellable: (nullable): a #GCancellable: once cancelled, the read is
 *   not run if it has not begun, and its answer comes as
 *   %G_IO_ERROR_CANCELLED
 * @callback: called on the calling thread's main context when done
 * @user_data: data for @callback
 *
 * Like cairn_vault_run_async(), for a read that a newer one may
 * supersede (a search as it is typed, the next week): answered with
 * cairn_vault_run_finish().
 */
void
cairn_vault_read_async (CairnVault          *self,
                        CairnVaultJob        job,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        GDestroyNotify       result_free,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  run_job_async (self, job, data, data_free, result_free, TRUE, cancellable, callback, user_data);
}

/**
 * cairn_vault_run_finish:
 * @self: a vault
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the job returned
 */
gpointer
cairn_vault_run_finish (CairnVault    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cairn_vault_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Users, passphrases, the recovery key and the lock policy                   */

static gboolean
require_unlocked (CairnVault  *self,
                  GError     **error)
{
  if (self->keys == NULL)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED, "The vault is locked.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_clinician (CairnVault  *self,
                   GError     **error)
{
  if (!require_unlocked (self, error))
    return FALSE;
  if (!self->keys->has_clinical)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED,
                   "Only a clinician can manage users and the recovery key.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_passphrase_quality (const char  *passphrase,
                          const char  *user_name,
                          GError     **error)
{
  g_autofree char *reason = NULL;

  if (!cairn_passphrase_acceptable (passphrase, user_name, &reason))
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID, "%s", reason);
      return FALSE;
    }
  return TRUE;
}

/* The keyring changes in memory first; the vault's record of the change
 * and its audit entry are written in one transaction, and the keyring file
 * is replaced inside that transaction, just before the commit. If the file
 * cannot be written, the transaction rolls back and the old keyring is
 * reloaded, so the file, the memory and the database agree. */
typedef struct
{
  CairnVault         *self;
  const char         *sql;
  const char * const *values;
  guint               n_values;
  const char         *action;
  const char         *entity;
  const char         *detail;
} KeyringChange;

static gboolean
keyring_change_cb (CairnDatabase  *db,
                   gpointer        user_data,
                   GError        **error)
{
  KeyringChange *change = user_data;
  g_autofree char *pending = g_build_filename (change->self->dir, KEYRING_PENDING_NAME, NULL);
  g_autofree char *hash = cairn_keyring_dup_hash (change->self->keyring);

  if (change->sql != NULL &&
      !cairn_database_run (db, change->sql, change->values, change->n_values, error))
    return FALSE;

  /* The new keyring goes beside the old one, durably, before the commit
   * that records its hash; only after the commit is it put in place. */
  return cairn_audit_append (db, change->self->user_id, change->action, change->entity,
                             change->detail, error) &&
         cairn_vault_record_keyring (db, hash, change->self->user_id, error) &&
         cairn_keyring_save (change->self->keyring, pending, error);
}

static gboolean
commit_keyring_change (CairnVault    *self,
                       KeyringChange *change,
                       GError       **error)
{
  g_autofree char *path = NULL;
  CairnKeyring *reloaded;

  g_autofree char *pending = g_build_filename (self->dir, KEYRING_PENDING_NAME, NULL);

  change->self = self;
  path = g_build_filename (self->dir, KEYRING_NAME, NULL);
  if (cairn_database_transaction (self->practice, keyring_change_cb, change, error))
    {
      /* Committed: from here the change stands, and a crash before the
       * rename is completed at the next unlock. */
      if (cairn_vault_keyring_committed_hook != NULL)
        cairn_vault_keyring_committed_hook ();
      if (g_rename (pending, path) != 0)
        g_warning ("The new keyring could not be put in place yet (%s); the next unlock will",
                   g_strerror (errno));
      cairn_vault_sync_dir (self->dir);
      return TRUE;
    }

  /* Undo the change in memory: the file on disk is the truth. */
  g_unlink (pending);
  reloaded = cairn_keyring_load (path, NULL);
  if (reloaded != NULL)
    {
      cairn_keyring_free (self->keyring);
      self->keyring = reloaded;
    }
  return FALSE;
}

/**
 * cairn_vault_list_users:
 * @dir: a vault folder, locked or not
 * @error: return location for a #GError
 *
 * The names and roles on the keyring, for the unlock page. Staff names are
 * readable without a passphrase; nothing about patients is.
 *
 * Returns: (transfer container) (element-type CairnKeyringUser) (nullable):
 *   the users, sorted by name
 */
GPtrArray *
cairn_vault_list_users (const char  *dir,
                        GError     **error)
{
  g_autoptr(CairnKeyring) keyring = NULL;
  GPtrArray *users;

  g_return_val_if_fail (dir != NULL, NULL);

  keyring = load_keyring (dir, error);
  if (keyring == NULL)
    return NULL;

  users = cairn_keyring_list_users (keyring);
  g_ptr_array_sort (users, compare_users);
  return users;
}

/**
 * cairn_vault_get_users:
 * @self: an unlocked vault
 *
 * Returns: (transfer container) (element-type CairnKeyringUser): the users
 *   on the keyring, sorted by name
 */
GPtrArray *
cairn_vault_get_users (CairnVault *self)
{
  GPtrArray *users;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  users = self->keyring != NULL ? cairn_keyring_list_users (self->keyring)
                                : g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_keyring_user_free);
  g_rec_mutex_unlock (&self->mutex);
  g_ptr_array_sort (users, compare_users);
  return users;
}

/**
 * cairn_vault_add_user:
 * @self: a vault unlocked by a clinician
 * @name: the new user's name
 * @role: their role: a front-desk user gets no key to clinical data
 * @passphrase: their first passphrase
 * @params: (nullable): the Argon2id cost, or %NULL for the default
 * @error: return location for a #GError
 *
 * Blocks for the key derivation: call it through cairn_vault_run_async().
 *
 * Returns: %TRUE when the user is on the keyring and in the vault
 */
gboolean
cairn_vault_add_user (CairnVault            *self,
                      const char            *name,
                      CairnRole              role,
                      const char            *passphrase,
                      const CairnKdfParams  *params,
                      GError               **error)
{
  g_autoptr(CairnKeyringUser) user = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *now = cairn_record_timestamp_now ();
  const char *values[6];
  KeyringChange change = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (require_clinician (self, error) &&
      check_passphrase_quality (passphrase, name, error) &&
      cairn_keyring_add_user (self->keyring, self->keys, name, role, passphrase,
                              params != NULL ? params : &default_params, &user, error))
    {
      user_id = cairn_vault_format_user_id (user->id);
      values[0] = user_id;
      values[1] = user->name;
      values[2] = cairn_role_to_string (role);
      values[3] = now;
      values[4] = now;
      values[5] = self->user_id;
      change.sql = "INSERT INTO users (id, name, role, created_at, updated_at, author)"
                   " VALUES (?, ?, ?, ?, ?, ?)";
      change.values = values;
      change.n_values = G_N_ELEMENTS (values);
      change.action = "user.add";
      change.entity = user_id;
      change.detail = cairn_role_to_string (role);
      ok = commit_keyring_change (self, &change, error);
    }
  g_rec_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * cairn_vault_remove_user:
 * @self: a vault unlocked by a clinician
 * @name: the user to remove
 * @error: return location for a #GError
 *
 * Removes the user's slot: their passphrase no longer opens the vault. The
 * database keys stay the same; re-key the vault if they may have copied
 * the keys or the vault folder.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_vault_remove_user (CairnVault  *self,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *now = cairn_record_timestamp_now ();
  g_autofree char *user_id = NULL;
  KeyringChange change = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (!require_clinician (self, error))
    goto out;
  if (self->user != NULL && g_strcmp0 (self->user->name, name) == 0)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED,
                   "You cannot remove yourself; ask another clinician to do it.");
      goto out;
    }

  user_id = cairn_database_query_text (self->practice,
                                       "SELECT id FROM users WHERE name = ? AND deleted_at IS NULL",
                                       (const char *[]) { name }, 1, NULL);
  if (!cairn_keyring_remove_user (self->keyring, name, error))
    goto out;

  change.sql = "UPDATE users SET deleted_at = ?, updated_at = ?, author = ?"
               " WHERE name = ? AND deleted_at IS NULL";
  change.values = (const char *[]) { now, now, self->user_id, name };
  change.n_values = 4;
  change.action = "user.remove";
  change.entity = user_id;
  ok = commit_keyring_change (self, &change, error);

out:
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

/**
 * cairn_vault_change_passphrase:
 * @self: an unlocked vault
 * @old_passphrase: the user's current passphrase
 * @new_passphrase: the new one
 * @params: (nullable): the Argon2id cost, or %NULL for the default
 * @error: return location for a #GError
 *
 * Re-wraps the user's keys; the databases are not re-encrypted. Blocks for
 * two key derivations.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_vault_change_passphrase (CairnVault            *self,
                               const char            *old_passphrase,
                               const char            *new_passphrase,
                               const CairnKdfParams  *params,
                               GError               **error)
{
  KeyringChange change = { .action = "user.passphrase-change" };
  gboolean ok = FALSE;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (require_unlocked (self, error) && !self->by_recovery &&
      check_passphrase_quality (new_passphrase, self->user->name, error) &&
      cairn_keyring_change_passphrase (self->keyring, self->user->name, old_passphrase, new_passphrase,
                                       params != NULL ? params : &default_params, error))
    {
      change.entity = self->user_id;
      ok = commit_keyring_change (self, &change, error);
    }
  else if (self->by_recovery)
    g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED,
                 "Opened with the recovery key: choose whose passphrase to reset.");
  g_rec_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * cairn_vault_reset_passphrase:
 * @self: a vault opened with the recovery key
 * @name: the user who forgot their passphrase
 * @new_passphrase: their new passphrase
 * @params: (nullable): the Argon2id cost, or %NULL for the default
 * @error: return location for a #GError
 *
 * After a recovery unlock, someone must set a new passphrase before going
 * on: this does that, and from then on the vault acts as that user.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_vault_reset_passphrase (CairnVault            *self,
                              const char            *name,
                              const char            *new_passphrase,
                              const CairnKdfParams  *params,
                              GError               **error)
{
  g_autoptr(GPtrArray) users = NULL;
  KeyringChange change = { .action = "user.passphrase-reset" };
  gboolean ok = FALSE;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (!require_unlocked (self, error))
    goto out;
  if (!self->by_recovery)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED,
                   "A passphrase can be reset only after opening the vault with the recovery key.");
      goto out;
    }
  if (!check_passphrase_quality (new_passphrase, name, error) ||
      !cairn_keyring_reset_passphrase (self->keyring, self->keys, name, new_passphrase,
                                       params != NULL ? params : &default_params, error))
    goto out;

  change.entity = name;
  if (!commit_keyring_change (self, &change, error))
    goto out;

  /* From now on the vault acts as that user, with only their role's keys. */
  users = cairn_keyring_list_users (self->keyring);
  for (guint i = 0; i < users->len; i++)
    {
      CairnKeyringUser *user = g_ptr_array_index (users, i);

      if (g_utf8_collate (user->name, name) != 0)
        continue;
      g_clear_pointer (&self->user, cairn_keyring_user_free);
      g_free (self->user_id);
      self->user = g_ptr_array_steal_index (users, i);
      self->user_id = cairn_vault_format_user_id (self->user->id);
      if (self->user->role != CAIRN_ROLE_CLINICIAN)
        {
          g_clear_pointer (&self->clinical, cairn_database_close);
          sodium_memzero (self->keys->clinical, sizeof self->keys->clinical);
          self->keys->has_clinical = FALSE;
        }
      break;
    }
  self->by_recovery = FALSE;
  ok = TRUE;

out:
  g_rec_mutex_unlock (&self->mutex);
  return ok;
}

typedef struct
{
  char *name;
  char *passphrase;
} Reset;

static void
reset_free (Reset *reset)
{
  g_free (reset->name);
  if (reset->passphrase != NULL)
    sodium_memzero (reset->passphrase, strlen (reset->passphrase));
  g_free (reset->passphrase);
  g_free (reset);
}

static gpointer
reset_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Reset *reset = data;

  if (!cairn_vault_reset_passphrase (vault, reset->name, reset->passphrase, NULL, error))
    return NULL;
  return g_strdup (reset->name);
}

/**
 * cairn_vault_reset_passphrase_async:
 * @self: a vault opened with the recovery key
 * @name: the user who forgot their passphrase
 * @new_passphrase: their new passphrase (copied, and wiped when done)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * cairn_vault_reset_passphrase() on the vault's worker, at the default
 * Argon2id cost.
 */
void
cairn_vault_reset_passphrase_async (CairnVault          *self,
                                    const char          *name,
                                    const char          *new_passphrase,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Reset *reset = g_new0 (Reset, 1);

  reset->name = g_strdup (name);
  reset->passphrase = g_strdup (new_passphrase);
  cairn_vault_run_async (self, reset_job, reset, (GDestroyNotify) reset_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_vault_reset_passphrase_finish:
 * @self: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the passphrase was reset
 */
gboolean
cairn_vault_reset_passphrase_finish (CairnVault    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_autofree char *name = cairn_vault_run_finish (self, result, error);

  return name != NULL;
}

/**
 * cairn_vault_get_opened_by_recovery:
 * @self: a vault
 *
 * Returns: %TRUE when the vault was opened with the recovery key and nobody
 *   has set a new passphrase yet
 */
gboolean
cairn_vault_get_opened_by_recovery (CairnVault *self)
{
  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);

  return self->by_recovery;
}

/**
 * cairn_vault_regenerate_recovery_key:
 * @self: a vault unlocked by a clinician
 * @passphrase: the clinician's passphrase, asked for again
 * @error: return location for a #GError
 *
 * Replaces the recovery key: the old one stops working.
 *
 * Returns: (transfer full) (nullable): the new recovery key, to show once
 */
char *
cairn_vault_regenerate_recovery_key (CairnVault  *self,
                                     const char  *passphrase,
                                     GError     **error)
{
  KeyringChange change = { .action = "vault.recovery-key-replaced" };
  g_autoptr(CairnVaultKeys) checked = NULL;
  char *recovery = NULL;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (require_clinician (self, error) &&
      (checked = cairn_keyring_unlock (self->keyring, self->user->name, passphrase != NULL ? passphrase : "",
                                       NULL, error)) != NULL &&
      (recovery = cairn_keyring_set_recovery (self->keyring, self->keys, error)) != NULL &&
      !commit_keyring_change (self, &change, error))
    {
      sodium_memzero (recovery, strlen (recovery));
      g_clear_pointer (&recovery, g_free);
    }
  g_rec_mutex_unlock (&self->mutex);

  return recovery;
}

/**
 * cairn_vault_verify_passphrase:
 * @self: an unlocked vault
 * @passphrase: what the user typed
 * @error: return location for a #GError
 *
 * Asks again before something sensitive. Blocks for a key derivation.
 *
 * Returns: %TRUE when @passphrase is the current user's
 */
gboolean
cairn_vault_verify_passphrase (CairnVault  *self,
                               const char  *passphrase,
                               GError     **error)
{
  g_autoptr(CairnVaultKeys) keys = NULL;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (require_unlocked (self, error) && self->user != NULL && !self->by_recovery)
    keys = cairn_keyring_unlock (self->keyring, self->user->name, passphrase != NULL ? passphrase : "",
                                 NULL, error);
  g_rec_mutex_unlock (&self->mutex);

  return keys != NULL;
}

/**
 * cairn_vault_get_auto_lock_seconds:
 * @self: an unlocked vault
 *
 * The lock policy lives inside the vault, where nobody can loosen it
 * without unlocking.
 *
 * Returns: how long the vault may stay idle before it locks itself
 */
guint
cairn_vault_get_auto_lock_seconds (CairnVault *self)
{
  g_autofree char *value = NULL;
  guint64 seconds = CAIRN_VAULT_AUTO_LOCK_DEFAULT;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), CAIRN_VAULT_AUTO_LOCK_DEFAULT);

  g_rec_mutex_lock (&self->mutex);
  if (self->practice != NULL)
    value = cairn_database_query_text (self->practice,
                                       "SELECT value FROM settings WHERE key = 'auto_lock_seconds'",
                                       NULL, 0, NULL);
  g_rec_mutex_unlock (&self->mutex);

  if (value != NULL &&
      g_ascii_string_to_unsigned (value, 10, CAIRN_VAULT_AUTO_LOCK_MIN, CAIRN_VAULT_AUTO_LOCK_MAX,
                                  &seconds, NULL))
    return (guint) seconds;
  return CAIRN_VAULT_AUTO_LOCK_DEFAULT;
}

typedef struct
{
  CairnVault *self;
  const char *value;
  const char *now;
} SettingChange;

static gboolean
set_auto_lock_cb (CairnDatabase  *db,
                  gpointer        user_data,
                  GError        **error)
{
  SettingChange *change = user_data;
  const char *values[] = { change->value, change->now, change->self->user_id };

  return cairn_database_run (db,
                             "INSERT INTO settings (key, value, updated_at, author)"
                             " VALUES ('auto_lock_seconds', ?, ?, ?)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                             " updated_at = excluded.updated_at, author = excluded.author",
                             values, G_N_ELEMENTS (values), error) &&
         cairn_audit_append (db, change->self->user_id, "settings.auto-lock", NULL, change->value, error);
}

/**
 * cairn_vault_set_auto_lock_seconds:
 * @self: a vault unlocked by a clinician
 * @seconds: from %CAIRN_VAULT_AUTO_LOCK_MIN to %CAIRN_VAULT_AUTO_LOCK_MAX
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_vault_set_auto_lock_seconds (CairnVault  *self,
                                   guint        seconds,
                                   GError     **error)
{
  g_autofree char *value = g_strdup_printf ("%u", seconds);
  g_autofree char *now = cairn_record_timestamp_now ();
  SettingChange change = { self, value, now };
  gboolean ok = FALSE;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), FALSE);

  if (seconds < CAIRN_VAULT_AUTO_LOCK_MIN || seconds > CAIRN_VAULT_AUTO_LOCK_MAX)
    {
      g_set_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID,
                   "The vault must lock itself after 1 to 60 minutes without use.");
      return FALSE;
    }

  g_rec_mutex_lock (&self->mutex);
  if (require_clinician (self, error))
    ok = cairn_database_transaction (self->practice, set_auto_lock_cb, &change, error);
  g_rec_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * cairn_vault_get_practice_name:
 * @self: an unlocked vault
 *
 * Returns: (transfer full) (nullable): the practice's name
 */
char *
cairn_vault_get_practice_name (CairnVault *self)
{
  char *name = NULL;

  g_return_val_if_fail (CAIRN_IS_VAULT (self), NULL);

  g_rec_mutex_lock (&self->mutex);
  if (self->practice != NULL)
    name = cairn_database_query_text (self->practice, "SELECT name FROM practice LIMIT 1", NULL, 0, NULL);
  g_rec_mutex_unlock (&self->mutex);

  return name;
}
