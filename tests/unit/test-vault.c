/* test-vault.c
 *
 * The vault as a whole, on real files: creating it, unlocking it as each
 * role, managing users and the recovery key, the lock policy, migrations
 * from an older vault, the audit chain and the worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* unshare(), for a read-only mount of our own */

#include "config.h"

#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <sodium.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cairn-audit.h"
#include "cairn-journey.h"
#include "cairn-migrations.h"
#include "cairn-passphrase.h"
#include "cairn-records.h"
#include "cairn-screening.h"
#include "cairn-test-tree.h"
#include "cairn-unlock-attempts.h"
#include "cairn-vault.h"
#include "cairn-vault-private.h"
#include "cairn-vfs.h"

/* Cheap Argon2id for tests; the real cost is measured by the benchmark. */
static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

#define CLINICIAN   "Dr Ada Quell"
#define PASSPHRASE  "lantern orchard fiddle 42"
#define DESK        "Front Desk"
#define DESK_PASS   "saffron tunnel mosaic 7"

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

  fixture->parent = g_dir_make_tmp ("cairn-vault-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_build_filename (fixture->parent, "vault", NULL);

  if (data != NULL)
    return;

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

static void
test_create_and_unlock (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *name = NULL;
  g_autofree char *actions = NULL;
  g_autoptr(GPtrArray) users = NULL;
  GStatBuf st;

  /* The folder is private to its owner. */
  g_assert_cmpint (g_stat (fixture->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* Nothing but the vault's own files is left, no build folder beside it. */
  {
    g_autoptr(GDir) parent = g_dir_open (fixture->parent, 0, NULL);

    g_assert_cmpstr (g_dir_read_name (parent), ==, "vault");
    g_assert_null (g_dir_read_name (parent));
  }

  users = cairn_vault_list_users (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((CairnKeyringUser *) users->pdata[0])->name, ==, CLINICIAN);
  g_assert_cmpstr (((CairnKeyringUser *) users->pdata[1])->name, ==, DESK);

  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_false (cairn_vault_is_locked (vault));
  g_assert_true (cairn_vault_has_clinical (vault));
  g_assert_true (cairn_vault_require_clinical (vault, &error) == cairn_vault_get_clinical (vault));
  g_assert_no_error (error);
  g_assert_cmpint (cairn_vault_get_user (vault)->role, ==, CAIRN_ROLE_CLINICIAN);

  name = cairn_vault_get_practice_name (vault);
  g_assert_cmpstr (name, ==, "Quell Practice");
  g_assert_cmpuint (cairn_vault_get_auto_lock_seconds (vault), ==, CAIRN_VAULT_AUTO_LOCK_DEFAULT);

  actions = audit_actions (cairn_vault_get_practice (vault));
  g_assert_cmpstr (actions, ==, "vault.create user.add vault.unlock user.add vault.lock vault.unlock");

  cairn_vault_lock (vault);
  g_assert_true (cairn_vault_is_locked (vault));
  g_assert_null (cairn_vault_get_practice (vault));
  g_assert_null (cairn_vault_get_clinical (vault));
  g_assert_null (cairn_vault_require_clinical (vault, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_null (cairn_vault_get_user (vault));
  /* Locking twice is harmless. */
  cairn_vault_lock (vault);
}

static void
test_create_bad_input (Fixture       *fixture,
                       gconstpointer  data)
{
  struct {
    const char *practice;
    const char *zone;
    const char *user;
    const char *passphrase;
    const char *message_part;
  } cases[] = {
    { "  ", "Europe/Berlin", CLINICIAN, PASSPHRASE, "needs a name" },
    { NULL, "Europe/Berlin", CLINICIAN, PASSPHRASE, "needs a name" },  /* 201 characters, below */
    { "Quell", "Mars/Olympus_Mons", CLINICIAN, PASSPHRASE, "not a time zone" },
    { "Quell", "Europe/Berlin", CLINICIAN, "short", "at least 10 characters" },
    { "Quell", "Europe/Berlin", CLINICIAN, "password123456", "guesser" },
    { "Quell", "Europe/Berlin", " padded", PASSPHRASE, "without spaces" },
  };

  g_autofree char *too_long = g_strnfill (201, 'q');

  cases[1].practice = too_long;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *recovery = NULL;
      g_autoptr(CairnVault) vault = cairn_vault_create (fixture->dir, cases[i].practice, cases[i].zone,
                                                        cases[i].user, cases[i].passphrase,
                                                        &test_params, &recovery, &error);

      g_assert_null (vault);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      g_assert_null (recovery);
      /* Nothing half-made is left behind. */
      g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));
      {
        g_autoptr(GDir) parent = g_dir_open (fixture->parent, 0, NULL);

        g_assert_null (g_dir_read_name (parent));
      }
    }

  /* The limit is 200 characters, not bytes: 200 of "ä" take 400. */
  {
    g_autoptr(GString) longest = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *recovery = NULL;
    g_autoptr(CairnVault) vault = NULL;
    g_autofree char *name = NULL;

    for (guint i = 0; i < 200; i++)
      g_string_append (longest, "ä");
    vault = cairn_vault_create (fixture->dir, longest->str, "Europe/Berlin", CLINICIAN, PASSPHRASE, &test_params,
                                &recovery, &error);
    g_assert_no_error (error);
    name = cairn_vault_get_practice_name (vault);
    g_assert_cmpstr (name, ==, longest->str);
  }
}

/* The disk fills up half-way through: nothing half-made is left, and a
 * save that cannot be written loses nothing already committed. */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  struct rlimit saved, limit;
  void (*old_handler) (int);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *count = NULL;
  g_autofree char *big = g_strnfill (64 * 1024, 'x');

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = 3 * CAIRN_VFS_PAGE_SIZE;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  vault = cairn_vault_create (fixture->dir, "Quell Practice", "Europe/Berlin", CLINICIAN, PASSPHRASE,
                              &test_params, &recovery, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);

  g_assert_null (vault);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_null (recovery);
  {
    g_autoptr(GDir) parent = g_dir_open (fixture->parent, 0, NULL);

    g_assert_null (g_dir_read_name (parent));
  }
  g_clear_error (&error);

  /* Now a vault with something in it, and a save too big for the disk. */
  vault = cairn_vault_create (fixture->dir, "Quell Practice", "Europe/Berlin", CLINICIAN, PASSPHRASE,
                              &test_params, &recovery, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_database_exec (cairn_vault_get_practice (vault),
                                      "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept')", &error));

  limit.rlim_cur = 64 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  for (int i = 0; i < 8 && error == NULL; i++)
    {
      const char *values[] = { big };

      cairn_database_run (cairn_vault_get_practice (vault), "INSERT INTO notes VALUES (?)", values, 1, &error);
    }
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, old_handler);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_clear_object (&vault);

  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_database_check (cairn_vault_get_practice (vault), &error));
  count = cairn_database_query_text (cairn_vault_get_practice (vault),
                                     "SELECT count(*) FROM notes WHERE body = 'kept'", NULL, 0, &error);
  g_assert_cmpstr (count, ==, "1");
}

static void
test_create_over_existing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_create (fixture->dir, "Other", "UTC", "Someone Else",
                                                    PASSPHRASE, &test_params, &recovery, &error);

  g_assert_null (vault);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_EXISTS);
}

static void
test_wrong_passphrase (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *actions = NULL;

  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, "lantern orchard fiddle 43", &error);
  g_assert_null (vault);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  vault = cairn_vault_unlock (fixture->dir, "Nobody", PASSPHRASE, &error);
  g_assert_null (vault);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER);
  g_clear_error (&error);

  vault = cairn_vault_unlock (fixture->parent, CLINICIAN, PASSPHRASE, &error);
  g_assert_null (vault);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The failures could not be written without a key: they are written at
   * the next unlock, before it. */
  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  actions = audit_actions (cairn_vault_get_practice (vault));
  g_assert_true (g_str_has_suffix (actions, "vault.unlock-failed vault.unlock-failed vault.unlock"));
}

static void
test_front_desk_has_no_clinical_key (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  g_autofree char *report = NULL;

  g_assert_no_error (error);
  g_assert_false (cairn_vault_has_clinical (vault));
  g_assert_null (cairn_vault_get_clinical (vault));
  /* Work that needs clinical.db is refused one way. */
  g_assert_null (cairn_vault_require_clinical (vault, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* Nor can the front desk manage users, the recovery key or the policy. */
  g_assert_false (cairn_vault_add_user (vault, "Another", CAIRN_ROLE_CLINICIAN, PASSPHRASE, &test_params, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_null (cairn_vault_regenerate_recovery_key (vault, DESK_PASS, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (cairn_vault_set_auto_lock_seconds (vault, 600, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (cairn_vault_remove_user (vault, CLINICIAN, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_clear_object (&vault);

  /* The check says what it could not check. */
  g_assert_true (cairn_vault_check (fixture->dir, DESK, DESK_PASS, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report, "clinical.db: not checked"));
}

/* Opens clinical.db of @dir through the encrypting VFS with @key and
 * @file_id, and reads the diagnosis of @patient; NULL and @error set when
 * the file does not open. */
static char *
read_diagnosis (const char    *dir,
                const guint8  *key,
                const guint8  *file_id,
                const char    *patient,
                GError       **error)
{
  g_autofree char *path = g_build_filename (dir, "clinical.db", NULL);
  g_autoptr(CairnDatabase) db = cairn_database_open (path, key, file_id, FALSE, error);

  if (db == NULL)
    return NULL;
  return cairn_database_query_text (db, "SELECT diagnosis FROM screenings WHERE patient_id = ?",
                                    (const char *[]) { patient }, 1, error);
}

#define CLINICAL_CANARY "Canary diagnosis 5521 tern"

/* Whether @text occurs anywhere in @length bytes of @data. */
static gboolean
has_bytes (const char *data,
           gsize       length,
           const char *text)
{
  gsize n = strlen (text);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

/* What a clinician wrote in clinical.db is out of the front desk's reach by
 * every public route: the vault gives them no connection, a clinical read
 * through the vault fails, and none of their keys (the practice key
 * included) opens the file, through the VFS or around it. The same route
 * with the clinician's keys reads it, so the refusals are the keys'. */
static void
test_front_desk_cannot_read_clinical (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(CairnScreening) screening = NULL;
  g_autoptr(CairnKeyring) keyring = NULL;
  g_autoptr(CairnVaultKeys) desk_keys = NULL;
  g_autoptr(CairnVaultKeys) clinician_keys = NULL;
  g_autoptr(CairnKeyringUser) user = NULL;
  g_autofree char *patient = cairn_record_new_id ();
  g_autofree char *me = NULL;
  g_autofree char *keyring_path = g_build_filename (fixture->dir, "keyring", NULL);
  g_autofree char *clinical_path = g_build_filename (fixture->dir, "clinical.db", NULL);
  g_autofree char *diagnosis = NULL;
  g_autofree char *raw = NULL;
  gsize raw_length = 0;
  CairnScreeningDetails details = { 0 };
  CairnJourney *journey;
  sqlite3 *plain = NULL;
  const guint8 *practice_id;
  const guint8 *clinical_id;

  /* A clinician records a diagnosis. */
  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  me = cairn_vault_get_user_id (vault);
  details.diagnosis = (char *) CLINICAL_CANARY;
  g_assert_true (cairn_screening_save_details (cairn_vault_get_clinical (vault), patient, &details,
                                               CAIRN_SCREENING_PART_HISTORY, me, NULL, &error));
  g_assert_no_error (error);
  screening = cairn_screening_load (cairn_vault_get_clinical (vault), patient, me, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (screening->details.diagnosis, ==, CLINICAL_CANARY);
  g_clear_object (&vault);

  /* The front desk's vault has no clinical connection, and a clinical read
   * through it is refused. */
  vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  g_assert_no_error (error);
  g_assert_false (cairn_vault_has_clinical (vault));
  g_assert_null (cairn_vault_get_clinical (vault));
  journey = cairn_journey_load (vault, patient, g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_null (journey);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED);
  g_clear_error (&error);

  /* Their slot in the keyring holds the practice key alone. */
  keyring = cairn_keyring_load (keyring_path, &error);
  g_assert_no_error (error);
  practice_id = cairn_keyring_get_practice_id (keyring);
  clinical_id = cairn_keyring_get_clinical_id (keyring);
  desk_keys = cairn_keyring_unlock (keyring, DESK, DESK_PASS, &user, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user->role, ==, CAIRN_ROLE_FRONT_DESK);
  g_assert_false (desk_keys->has_clinical);
  g_assert_true (sodium_is_zero (desk_keys->clinical, sizeof desk_keys->clinical));

  /* Neither the practice key, nor what stands in the place of the clinical
   * one, opens clinical.db: an error, never rows. */
  g_assert_null (read_diagnosis (fixture->dir, desk_keys->practice, clinical_id, patient, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_null (read_diagnosis (fixture->dir, desk_keys->practice, practice_id, patient, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_null (read_diagnosis (fixture->dir, desk_keys->clinical, clinical_id, patient, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_WRONG_KEY);
  g_clear_error (&error);

  /* Nor does SQLite opening the path without a key, and the diagnosis is
   * nowhere in the file in the clear. */
  g_assert_cmpint (sqlite3_open_v2 (clinical_path, &plain, SQLITE_OPEN_READONLY, NULL), !=, SQLITE_OK);
  sqlite3_close_v2 (plain);
  g_assert_true (g_file_get_contents (clinical_path, &raw, &raw_length, NULL));
  g_assert_false (has_bytes (raw, raw_length, CLINICAL_CANARY));
  g_clear_object (&vault);

  /* The clinician's keys, by the same route, read the diagnosis. */
  clinician_keys = cairn_keyring_unlock (keyring, CLINICIAN, PASSPHRASE, NULL, &error);
  g_assert_no_error (error);
  diagnosis = read_diagnosis (fixture->dir, clinician_keys->clinical, clinical_id, patient, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (diagnosis, ==, CLINICAL_CANARY);
}

static void
test_change_passphrase (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  const char *new_pass = "quartz meadow lantern 9";

  g_assert_no_error (error);

  /* A wrong current passphrase, and a weak new one, change nothing. */
  g_assert_false (cairn_vault_change_passphrase (vault, "not it at all 1234", new_pass, &test_params, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_assert_false (cairn_vault_change_passphrase (vault, DESK_PASS, "abc", &test_params, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (cairn_vault_change_passphrase (vault, DESK_PASS, new_pass, &test_params, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);

  g_assert_null (cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  vault = cairn_vault_unlock (fixture->dir, DESK, new_pass, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vault);
}

static void
test_recovery (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *wrong = g_strdup (fixture->recovery);
  const char *new_pass = "harbour violin cobalt 5";

  /* One changed character is caught by the checksum, as a typo. */
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  g_assert_null (cairn_vault_unlock_with_recovery (fixture->dir, wrong, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A typo is not a guess: it is not kept as a failed unlock. A key that
   * reads but is not this vault's is. */
  {
    g_autoptr(GPtrArray) attempts = cairn_unlock_attempts_list (fixture->dir);
    g_autofree char *short_one = g_strndup (fixture->recovery, strlen (fixture->recovery) - 1);
    g_autofree char *another = NULL;
    guint8 random[CAIRN_RECOVERY_KEY_BYTES];
    guint before = attempts->len;

    g_assert_null (cairn_vault_unlock_with_recovery (fixture->dir, short_one, &error));
    g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO);
    g_clear_error (&error);
    g_clear_pointer (&attempts, g_ptr_array_unref);
    attempts = cairn_unlock_attempts_list (fixture->dir);
    g_assert_cmpuint (attempts->len, ==, before);

    randombytes_buf (random, sizeof random);
    another = cairn_recovery_key_format (random);
    g_assert_null (cairn_vault_unlock_with_recovery (fixture->dir, another, &error));
    g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_RECOVERY_KEY);
    g_clear_error (&error);
    g_clear_pointer (&attempts, g_ptr_array_unref);
    attempts = cairn_unlock_attempts_list (fixture->dir);
    g_assert_cmpuint (attempts->len, ==, before + 1);
    g_assert_cmpstr (((CairnUnlockAttempt *) g_ptr_array_index (attempts, before))->what, ==, "recovery key");
  }

  vault = cairn_vault_unlock_with_recovery (fixture->dir, fixture->recovery, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_get_opened_by_recovery (vault));
  g_assert_true (cairn_vault_has_clinical (vault));

  /* Opened by recovery, the next step is a new passphrase for someone. */
  g_assert_false (cairn_vault_change_passphrase (vault, PASSPHRASE, new_pass, &test_params, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (cairn_vault_reset_passphrase (vault, "Nobody", new_pass, &test_params, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER);
  g_clear_error (&error);

  g_assert_true (cairn_vault_reset_passphrase (vault, DESK, new_pass, &test_params, &error));
  g_assert_no_error (error);
  /* It now acts as the front desk, with the front desk's keys only. */
  g_assert_false (cairn_vault_get_opened_by_recovery (vault));
  g_assert_cmpstr (cairn_vault_get_user (vault)->name, ==, DESK);
  g_assert_false (cairn_vault_has_clinical (vault));
  g_clear_object (&vault);

  vault = cairn_vault_unlock (fixture->dir, DESK, new_pass, &error);
  g_assert_no_error (error);
  g_assert_false (cairn_vault_has_clinical (vault));
}

static void
test_regenerate_recovery_key (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_autofree char *fresh = NULL;
  g_autoptr(CairnVault) by_old = NULL;
  g_autoptr(CairnVault) by_new = NULL;

  g_assert_no_error (error);

  /* Asks for the passphrase again first. */
  g_assert_null (cairn_vault_regenerate_recovery_key (vault, "not my passphrase 99", &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  fresh = cairn_vault_regenerate_recovery_key (vault, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fresh, !=, fixture->recovery);
  g_clear_object (&vault);

  by_old = cairn_vault_unlock_with_recovery (fixture->dir, fixture->recovery, &error);
  g_assert_null (by_old);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_RECOVERY_KEY);
  g_clear_error (&error);
  by_new = cairn_vault_unlock_with_recovery (fixture->dir, fresh, &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_new);
}

static void
test_remove_user (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *deleted = NULL;

  g_assert_no_error (error);

  g_assert_false (cairn_vault_remove_user (vault, CLINICIAN, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (cairn_vault_remove_user (vault, "Nobody", &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER);
  g_clear_error (&error);

  g_assert_true (cairn_vault_remove_user (vault, DESK, &error));
  g_assert_no_error (error);
  users = cairn_vault_get_users (vault);
  g_assert_cmpuint (users->len, ==, 1);

  /* The row stays, marked removed: the audit trail still names the user. */
  deleted = cairn_database_query_text (cairn_vault_get_practice (vault),
                                       "SELECT deleted_at FROM users WHERE name = ?",
                                       (const char *[]) { DESK }, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (deleted);
  g_clear_object (&vault);

  g_assert_null (cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER);
}

static void
test_add_user_bad_input (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_autoptr(GPtrArray) users = NULL;

  g_assert_no_error (error);

  g_assert_false (cairn_vault_add_user (vault, DESK, CAIRN_ROLE_FRONT_DESK, "another fine passphrase 3",
                                        &test_params, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_USER_EXISTS);
  g_clear_error (&error);
  g_assert_false (cairn_vault_add_user (vault, "Sam Weak", CAIRN_ROLE_FRONT_DESK, "sam weak 12345",
                                        &test_params, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);

  users = cairn_vault_get_users (vault);
  g_assert_cmpuint (users->len, ==, 2);
}

static void
test_auto_lock_policy (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);

  g_assert_no_error (error);

  g_assert_false (cairn_vault_set_auto_lock_seconds (vault, 5, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_vault_set_auto_lock_seconds (vault, 24 * 3600, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);

  /* One minute and one hour are the limits, both allowed. */
  g_assert_false (cairn_vault_set_auto_lock_seconds (vault, CAIRN_VAULT_AUTO_LOCK_MIN - 1, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cairn_vault_set_auto_lock_seconds (vault, CAIRN_VAULT_AUTO_LOCK_MAX + 1, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cairn_vault_set_auto_lock_seconds (vault, CAIRN_VAULT_AUTO_LOCK_MIN, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_vault_get_auto_lock_seconds (vault), ==, CAIRN_VAULT_AUTO_LOCK_MIN);
  g_assert_true (cairn_vault_set_auto_lock_seconds (vault, CAIRN_VAULT_AUTO_LOCK_MAX, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_vault_get_auto_lock_seconds (vault), ==, CAIRN_VAULT_AUTO_LOCK_MAX);

  g_assert_true (cairn_vault_set_auto_lock_seconds (vault, 600, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);

  /* Kept inside the vault, for everyone. */
  vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_vault_get_auto_lock_seconds (vault), ==, 600);
}

static void
test_audit_chain (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  CairnDatabase *db;
  guint entries = 0;

  g_assert_no_error (error);
  db = cairn_vault_get_practice (vault);

  g_assert_true (cairn_audit_verify (db, &entries, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (entries, >=, 5);

  /* An entry appended outside a transaction could outlive a failed change. */
  g_test_expect_message ("cairn-store", G_LOG_LEVEL_CRITICAL, "*autocommit*");
  g_assert_false (cairn_audit_append (db, NULL, "x", NULL, NULL, &error));
  g_test_assert_expected_messages ();

  /* The vault refuses to edit an entry (test-audit.c tries every way);
   * someone with the key and SQLite of their own drops the triggers. */
  g_assert_false (cairn_database_exec (db, "UPDATE audit SET detail = 'edited' WHERE seq = 1", &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (cairn_database_exec (db, "DROP TRIGGER audit_never_changes; DROP TRIGGER audit_never_deleted",
                                      &error));

  /* Editing an entry breaks the chain there. */
  g_assert_true (cairn_database_exec (db, "UPDATE audit SET detail = 'edited' WHERE seq = 1", &error));
  g_assert_false (cairn_audit_verify (db, NULL, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "entry 1"));
  g_clear_error (&error);
  g_assert_true (cairn_database_exec (db, "UPDATE audit SET detail = NULL WHERE seq = 1", &error));
  g_assert_true (cairn_audit_verify (db, NULL, &error));

  /* A value that was missing is not an empty one: making it empty is an edit. */
  g_assert_true (cairn_database_exec (db, "UPDATE audit SET detail = '' WHERE seq = 1", &error));
  g_assert_false (cairn_audit_verify (db, NULL, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "entry 1"));
  g_clear_error (&error);
  g_assert_true (cairn_database_exec (db, "UPDATE audit SET detail = NULL WHERE seq = 1", &error));
  g_assert_true (cairn_audit_verify (db, NULL, &error));

  /* And so does removing one. */
  g_assert_true (cairn_database_exec (db, "DELETE FROM audit WHERE seq = 3", &error));
  g_assert_false (cairn_audit_verify (db, NULL, &error));
  g_assert_nonnull (strstr (error->message, "entry 4"));
}

/* A staff member called "recovery" is an ordinary user: afterwards every
 * passphrase, the recovery key and the check still open the vault. */
static void
test_user_named_recovery (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_autofree char *report = NULL;
  const char *pass = "quartz meadow lantern 9";

  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (vault, "recovery", CAIRN_ROLE_CLINICIAN, pass, &test_params, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);

  vault = cairn_vault_unlock (fixture->dir, "recovery", pass, &error);
  g_assert_no_error (error);
  g_assert_false (cairn_vault_get_opened_by_recovery (vault));
  g_assert_cmpstr (cairn_vault_get_user (vault)->name, ==, "recovery");
  g_assert_true (cairn_vault_has_clinical (vault));
  g_clear_object (&vault);

  vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  g_assert_no_error (error);
  g_clear_object (&vault);

  vault = cairn_vault_unlock_with_recovery (fixture->dir, fixture->recovery, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_get_opened_by_recovery (vault));
  g_clear_object (&vault);

  g_assert_true (cairn_vault_check (fixture->dir, "recovery", pass, &report, &error));
  g_assert_no_error (error);
}

static void
test_check (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  g_autofree char *clinical = g_build_filename (fixture->dir, "clinical.db", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report, "practice.db:"));
  g_assert_nonnull (strstr (report, "clinical.db:"));
  g_assert_nonnull (strstr (report, "integrity check: ok"));

  /* A user in practice.db whom the keyring has no slot for is found: one
   * is enough. */
  {
    g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);

    g_assert_no_error (error);
    g_assert_true (cairn_database_exec (cairn_vault_get_practice (vault),
                                        "INSERT INTO users (id, name, role, created_at, updated_at)"
                                        " VALUES ('00000000-0000-0000-0000-000000000000', 'Keyless',"
                                        " 'front-desk', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                        &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&report, g_free);
  g_assert_false (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "“Keyless” is a user in practice.db but has no key"));
  g_clear_error (&error);
  {
    g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);

    g_assert_no_error (error);
    g_assert_true (cairn_database_exec (cairn_vault_get_practice (vault),
                                        "DELETE FROM users WHERE name = 'Keyless'", &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&report, g_free);
  g_assert_true (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_no_error (error);

  /* A flipped bit in the last page of clinical.db is found and named. */
  g_assert_true (g_file_get_contents (clinical, &contents, &length, NULL));
  g_assert_cmpuint (length % CAIRN_VFS_PAGE_SIZE, ==, 0);
  contents[length - 100] ^= 0x04;
  g_assert_true (g_file_set_contents (clinical, contents, length, NULL));

  g_clear_pointer (&report, g_free);
  g_assert_false (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "clinical.db"));
  g_assert_nonnull (strstr (error->message, "page"));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Every file of the vault folder, name and contents, as one text. */
static char *
snapshot_folder (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *contents = NULL;
      g_autofree char *hash = NULL;
      gsize length = 0;
      GStatBuf st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      if (S_ISREG (st.st_mode))
        {
          g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
          hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
        }
      g_string_append_printf (out, "%s %" G_GSIZE_FORMAT " %s %ld.%09ld\n", (char *) g_ptr_array_index (names, i),
                              length, hash != NULL ? hash : "-", (long) st.st_mtim.tv_sec,
                              (long) st.st_mtim.tv_nsec);
    }
  return g_string_free (out, FALSE);
}

/* Only creating makes a database: an existing vault whose database is
 * empty, shorter than a page or missing is damaged, named, and left as it
 * is, and the check says so too. */
static void
test_empty_database_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  const char * const files[] = { "practice.db", "clinical.db" };
  const gsize lengths[] = { 0, 50, 4095 };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, files[f], NULL);
      g_autofree char *saved = g_strconcat (path, ".saved", NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      for (guint l = 0; l <= G_N_ELEMENTS (lengths); l++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(CairnVault) vault = NULL;
          g_autofree char *report = NULL;
          GStatBuf st;

          if (l < G_N_ELEMENTS (lengths))
            g_assert_true (g_file_set_contents (path, contents, lengths[l], NULL));
          else
            g_assert_cmpint (g_unlink (path), ==, 0);

          vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
          g_assert_null (vault);
          g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED);
          g_assert_nonnull (strstr (error->message, files[f]));
          g_assert_nonnull (strstr (error->message, "backup"));
          g_clear_error (&error);

          /* Nothing was made in its place. */
          if (l < G_N_ELEMENTS (lengths))
            {
              g_assert_cmpint (g_stat (path, &st), ==, 0);
              g_assert_cmpint (st.st_size, ==, lengths[l]);
            }
          else
            g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

          g_assert_false (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
          g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED);
          g_assert_nonnull (strstr (error->message, files[f]));
          g_assert_null (report);
        }

      g_assert_true (g_file_set_contents (path, contents, length, NULL));
    }

  /* Put back whole, the vault opens again. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);

    g_assert_no_error (error);
  }
}

/* Runs the check in a child that sees the vault folder on a read-only
 * mount (a private mount namespace: root writes through file modes). */
static int
check_on_read_only_mount (const char *dir)
{
  pid_t pid = fork ();
  int status = 0;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *report = NULL;

      if (unshare (CLONE_NEWNS) != 0 ||
          mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
          mount (dir, dir, NULL, MS_BIND, NULL) != 0 ||
          mount (NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
        _exit (77);
      if (g_file_set_contents_full (dir, "x", 1, G_FILE_SET_CONTENTS_NONE, 0600, NULL))
        _exit (78);
      if (!cairn_vault_check (dir, CLINICIAN, PASSPHRASE, &report, &error))
        {
          g_printerr ("%s\n", error->message);
          _exit (1);
        }
      _exit (strstr (report, "is sound") != NULL || strstr (report, "integrity check: ok") != NULL ? 0 : 2);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* A check opens the databases read-only and changes nothing it checks: not
 * a byte, not a modification time, not the audit trail; and it runs on a
 * read-only copy. */
static void
test_check_writes_nothing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *before = snapshot_folder (fixture->dir);
  g_autofree char *after = NULL;
  g_autofree char *report = NULL;
  g_autofree char *actions = NULL;
  int status;

  g_assert_true (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_no_error (error);
  g_clear_pointer (&report, g_free);
  g_assert_true (cairn_vault_check (fixture->dir, DESK, DESK_PASS, &report, &error));
  g_assert_no_error (error);
  after = snapshot_folder (fixture->dir);
  g_assert_cmpstr (before, ==, after);

  status = check_on_read_only_mount (fixture->dir);
  if (status == 77)
    g_test_message ("No private mount namespace here: the read-only mount was not tried");
  else
    g_assert_cmpint (status, ==, 0);

  /* Nor did either check leave an entry for the next unlock to write. */
  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  actions = audit_actions (cairn_vault_get_practice (vault));
  g_assert_null (strstr (actions, "vault.check"));
  g_assert_true (g_str_has_suffix (actions, "vault.unlock"));
}

static guint
file_mode (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* The library makes every file 0600 and the folder 0700 whatever the
 * umask; unlocking makes a vault private again, and a check says it is not. */
static void
test_files_private (Fixture       *fixture,
                    gconstpointer  data)
{
  const char * const files[] = { "keyring", "practice.db", "practice.db-journal", "clinical.db",
                                 "clinical.db-journal" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *report = NULL;
  g_autofree char *practice = g_build_filename (fixture->dir, "practice.db", NULL);
  g_autofree char *clinical = g_build_filename (fixture->dir, "clinical.db", NULL);
  mode_t old_mask = umask (022);

  vault = cairn_vault_create (fixture->dir, "Quell Practice", "Europe/Berlin", CLINICIAN, PASSPHRASE,
                              &test_params, &recovery, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (vault, DESK, CAIRN_ROLE_FRONT_DESK, DESK_PASS, &test_params, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);

  g_assert_cmpuint (file_mode (fixture->dir, ""), ==, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_test_message ("%s", files[i]);
      g_assert_cmpuint (file_mode (fixture->dir, files[i]), ==, 0600);
    }

  /* Opened up by hand: the check says so and changes nothing. */
  g_assert_cmpint (g_chmod (practice, 0644), ==, 0);
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  /* Readable by everyone but the file's group is as open. */
  g_assert_cmpint (g_chmod (clinical, 0604), ==, 0);
  g_assert_true (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report, "warning: practice.db can be read by other users"));
  g_assert_nonnull (strstr (report, "warning: the vault folder can be read by other users"));
  g_assert_nonnull (strstr (report, "warning: clinical.db can be read by other users"));
  g_assert_cmpuint (file_mode (fixture->dir, "practice.db"), ==, 0644);

  g_test_expect_message ("cairn-vault", G_LOG_LEVEL_MESSAGE, "Made * private to its user (it was mode 0755)");
  g_test_expect_message ("cairn-vault", G_LOG_LEVEL_MESSAGE, "Made *practice.db private to its user (it was mode 0644)");
  g_test_expect_message ("cairn-vault", G_LOG_LEVEL_MESSAGE, "Made *clinical.db private to its user (it was mode 0604)");
  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fixture->dir, "practice.db"), ==, 0600);
  g_assert_cmpuint (file_mode (fixture->dir, "clinical.db"), ==, 0600);
  g_assert_cmpuint (file_mode (fixture->dir, ""), ==, 0700);

  umask (old_mask);
}

/* Another vault's keyring, put in this one's place with the same user and
 * passphrase: the keyring is named, not only the database. A first page
 * damaged under the right key is told apart from that. */
static void
test_keyring_of_another_vault (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) other = NULL;
  g_autofree char *other_dir = g_build_filename (fixture->parent, "other", NULL);
  g_autofree char *other_recovery = NULL;
  g_autofree char *keyring = g_build_filename (fixture->dir, "keyring", NULL);
  g_autofree char *other_keyring = g_build_filename (other_dir, "keyring", NULL);
  g_autofree char *practice = g_build_filename (fixture->dir, "practice.db", NULL);
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *contents = NULL;
  gsize ours_length = 0, theirs_length = 0, length = 0;

  other = cairn_vault_create (other_dir, "Other Practice", "Europe/Berlin", CLINICIAN, PASSPHRASE,
                              &test_params, &other_recovery, &error);
  g_assert_no_error (error);
  g_clear_object (&other);

  g_assert_true (g_file_get_contents (keyring, &ours, &ours_length, NULL));
  g_assert_true (g_file_get_contents (other_keyring, &theirs, &theirs_length, NULL));
  g_assert_true (g_file_set_contents (keyring, theirs, theirs_length, NULL));
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_WRONG_KEY);
  g_assert_nonnull (strstr (error->message, "practice.db"));
  g_assert_nonnull (strstr (error->message, "keyring belongs to another vault"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (keyring, ours, ours_length, NULL));

  /* Only the first page damaged: that is what it says. */
  g_assert_true (g_file_get_contents (practice, &contents, &length, NULL));
  contents[200] ^= 0x10;
  g_assert_true (g_file_set_contents (practice, contents, length, NULL));
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error));
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "practice.db is damaged: its first page failed authentication"));
}

static GBytes *
file_bytes (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static void
put_file_bytes (const char *dir,
                const char *name,
                GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
}

static gboolean
has_user (CairnVault *vault,
          const char *name)
{
  g_autoptr(GPtrArray) users = cairn_vault_get_users (vault);

  for (guint i = 0; i < users->len; i++)
    if (g_strcmp0 (((CairnKeyringUser *) g_ptr_array_index (users, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

/* A keyring change and its database row go together. A crash after the
 * commit but before the new keyring is in place is completed at the next
 * unlock; one before the commit is undone. Either way the check finds the
 * keyring and the users table agreeing. */
static void
test_keyring_change_interrupted (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(GBytes) old_keyring = file_bytes (fixture->dir, "keyring");
  g_autoptr(GBytes) old_practice = file_bytes (fixture->dir, "practice.db");
  g_autoptr(GBytes) new_keyring = NULL;
  g_autoptr(GBytes) new_practice = NULL;
  g_autofree char *pending = g_build_filename (fixture->dir, "keyring.pending", NULL);
  g_autofree char *report = NULL;
  g_autofree char *actions = NULL;
  const char *pass = "quartz meadow lantern 9";

  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (vault, "Sam Added", CAIRN_ROLE_FRONT_DESK, pass, &test_params, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);
  g_assert_false (g_file_test (pending, G_FILE_TEST_EXISTS));
  new_keyring = file_bytes (fixture->dir, "keyring");
  new_practice = file_bytes (fixture->dir, "practice.db");

  /* Committed, not yet renamed: the new user can unlock, and the change is
   * put in place. */
  put_file_bytes (fixture->dir, "keyring", old_keyring);
  put_file_bytes (fixture->dir, "keyring.pending", new_keyring);
  g_assert_true (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report, "cut short after it was committed"));
  g_assert_true (g_file_test (pending, G_FILE_TEST_EXISTS));
  vault = cairn_vault_unlock (fixture->dir, "Sam Added", pass, &error);
  g_assert_no_error (error);
  g_assert_true (has_user (vault, "Sam Added"));
  actions = audit_actions (cairn_vault_get_practice (vault));
  g_assert_nonnull (strstr (actions, "user.add"));
  g_assert_true (g_str_has_suffix (actions, "vault.keyring-completed vault.unlock"));
  g_clear_object (&vault);
  g_assert_false (g_file_test (pending, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GBytes) now = file_bytes (fixture->dir, "keyring");

    g_assert_true (g_bytes_equal (now, new_keyring));
  }

  /* The same, found by someone else's unlock. */
  put_file_bytes (fixture->dir, "keyring", old_keyring);
  put_file_bytes (fixture->dir, "keyring.pending", new_keyring);
  vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  g_assert_no_error (error);
  g_assert_true (has_user (vault, "Sam Added"));
  g_clear_object (&vault);

  /* Never committed: practice.db as before, the new keyring beside it. The
   * would-be user is refused, and the change is undone. */
  put_file_bytes (fixture->dir, "practice.db", old_practice);
  put_file_bytes (fixture->dir, "keyring", old_keyring);
  put_file_bytes (fixture->dir, "keyring.pending", new_keyring);
  g_clear_pointer (&report, g_free);
  g_assert_true (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report, "cut short before it was committed"));
  g_assert_null (cairn_vault_unlock (fixture->dir, "Sam Added", pass, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_assert_nonnull (strstr (error->message, "had not finished"));
  g_clear_error (&error);
  g_assert_false (g_file_test (pending, G_FILE_TEST_EXISTS));
  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_false (has_user (vault, "Sam Added"));
  g_clear_object (&vault);

  /* An older keyring put back by hand, with no change under way: a removed
   * user's slot must not come back. */
  put_file_bytes (fixture->dir, "practice.db", new_practice);
  put_file_bytes (fixture->dir, "keyring", old_keyring);
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "older copy"));
  g_clear_error (&error);
  g_assert_false (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, NULL, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_DAMAGED);
}

/* A passphrase change committed but not in place: the old passphrase no
 * longer opens the vault, the new one does. */
static void
test_passphrase_change_interrupted (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(GBytes) old_keyring = file_bytes (fixture->dir, "keyring");
  g_autoptr(GBytes) new_keyring = NULL;
  const char *new_pass = "harbour violin cobalt 5";

  vault = cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_change_passphrase (vault, DESK_PASS, new_pass, &test_params, &error));
  g_assert_no_error (error);
  g_clear_object (&vault);
  new_keyring = file_bytes (fixture->dir, "keyring");

  put_file_bytes (fixture->dir, "keyring", old_keyring);
  put_file_bytes (fixture->dir, "keyring.pending", new_keyring);
  g_assert_null (cairn_vault_unlock (fixture->dir, DESK, DESK_PASS, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  vault = cairn_vault_unlock (fixture->dir, DESK, new_pass, &error);
  g_assert_no_error (error);
}

/* Adding and removing users in a child killed at random: after every kill
 * the vault opens and its keyring agrees with its users table. */
static guint changes_to_die_after;

static void
die_after_some_commits (void)
{
  if (changes_to_die_after > 0 && --changes_to_die_after == 0)
    kill (getpid (), SIGKILL);
}

static int
keyring_child (const char *dir,
               guint       die_after)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (dir, CLINICIAN, PASSPHRASE, &error);

  if (vault == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  /* Now and then, death between a change's commit and its rename. */
  changes_to_die_after = die_after;
  cairn_vault_keyring_committed_hook = die_after_some_commits;
  for (guint i = 0;; i++)
    {
      g_autofree char *name = g_strdup_printf ("Locum %u", i % 3);

      if (has_user (vault, name))
        cairn_vault_remove_user (vault, name, NULL);
      else
        {
          g_autoptr(GError) local_error = NULL;

          if (!cairn_vault_add_user (vault, name, CAIRN_ROLE_FRONT_DESK, "sunlit harbour violet 84",
                                     &test_params, &local_error))
            {
              g_printerr ("child: %s\n", local_error->message);
              return 1;
            }
        }
    }
  return 0;
}

static void
test_keyring_change_killed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *pending = g_build_filename (fixture->dir, "keyring.pending", NULL);
  guint with_pending = 0;
  const guint kills = 25;

  for (guint k = 0; k < kills; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnVault) vault = NULL;
      g_autofree char *report = NULL;
      /* One round in five dies between a commit and its rename. */
      g_autofree char *die_after = g_strdup_printf ("%u", k % 5 == 0 ? 1 + k % 3 : 0);
      const char *argv[] = { self_exe, "--keyring-child", fixture->dir, die_after, NULL };
      GPid pid;
      int status;

      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
      g_assert_no_error (error);
      if (k % 5 != 0)
        g_usleep (g_random_int_range (60000, 200000));
      else
        {
          /* It dies by itself within a few changes. */
          gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

          while (waitpid (pid, &status, WNOHANG) == 0 && g_get_monotonic_time () < deadline)
            g_usleep (10000);
          if (g_get_monotonic_time () >= deadline)
            g_error ("The child did not reach a keyring change");
          g_assert_true (WIFSIGNALED (status));
        }
      if (k % 5 != 0)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
        }
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));
      if (g_file_test (pending, G_FILE_TEST_EXISTS))
        with_pending++;

      /* The check reports (a change waiting to be rolled back it cannot
       * read past, being read-only), the unlock mends, and they agree. */
      if (!cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error))
        {
          if (!g_error_matches (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_INTERRUPTED))
            g_error ("Kill %u: %s", k, error->message);
          g_clear_error (&error);
        }
      vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
      g_assert_no_error (error);
      g_clear_object (&vault);
      g_clear_pointer (&report, g_free);
      g_assert_true (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, &report, &error));
      g_assert_no_error (error);
      g_assert_false (g_file_test (pending, G_FILE_TEST_EXISTS));
    }
  g_test_message ("%u kills, %u of them during a keyring change", kills, with_pending);
  g_assert_cmpuint (with_pending, >=, kills / 5);
}

/* Failed unlocks are kept beside the vault: the wait holds across
 * processes (measured on the attempts' own clock, set here), a typed name
 * not on the keyring is never kept, and the next unlock audits each one
 * and forgets them. */
static void
test_failed_unlocks_kept (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(GPtrArray) attempts = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "unlock-attempts", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *actions = NULL;
  gint64 start = 1800000000;

  cairn_unlock_attempts_set_clock (start);
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, "lantern orchard fiddle 43", &error));
  g_clear_error (&error);
  g_assert_null (cairn_vault_unlock (fixture->dir, "Jane Patient-Name", PASSPHRASE, &error));
  g_clear_error (&error);
  g_assert_false (cairn_vault_check (fixture->dir, DESK, "lantern orchard fiddle 44", NULL, &error));
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "Jane"));
  g_assert_cmpuint (file_mode (fixture->dir, "unlock-attempts"), ==, 0600);
  attempts = cairn_unlock_attempts_list (fixture->dir);
  g_assert_cmpuint (attempts->len, ==, 3);
  g_assert_cmpstr (((CairnUnlockAttempt *) g_ptr_array_index (attempts, 0))->what, ==,
                   "passphrase of “" CLINICIAN "”");
  g_assert_cmpstr (((CairnUnlockAttempt *) g_ptr_array_index (attempts, 1))->what, ==,
                   "passphrase of an unknown user");

  /* Three in a row: the next try waits 5 s, even with the right passphrase,
   * and is not counted as a guess. */
  g_assert_cmpuint (cairn_unlock_attempts_seconds_to_wait (fixture->dir), ==, 5);
  cairn_unlock_attempts_set_clock (start + 3);
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_TOO_SOON);
  g_assert_nonnull (strstr (error->message, "2 seconds"));
  g_clear_error (&error);
  g_assert_false (cairn_vault_check (fixture->dir, CLINICIAN, PASSPHRASE, NULL, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_TOO_SOON);
  g_clear_error (&error);

  /* A clock set back does not make the wait longer than it is. */
  cairn_unlock_attempts_set_clock (start - 86400);
  g_assert_cmpuint (cairn_unlock_attempts_seconds_to_wait (fixture->dir), ==, 5);

  /* A fourth waits 10 s. */
  cairn_unlock_attempts_set_clock (start + 5);
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, "lantern orchard fiddle 45", &error));
  g_clear_error (&error);
  g_assert_cmpuint (cairn_unlock_attempts_seconds_to_wait (fixture->dir), ==, 10);

  cairn_unlock_attempts_set_clock (start + 15);
  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  actions = audit_actions (cairn_vault_get_practice (vault));
  g_assert_true (g_str_has_suffix (actions, "vault.unlock-failed vault.unlock-failed vault.unlock-failed "
                                            "vault.unlock-failed vault.unlock"));
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (cairn_unlock_attempts_seconds_to_wait (fixture->dir), ==, 0);
  cairn_unlock_attempts_set_clock (0);
}

static void
test_damaged_keyring (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "keyring", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  /* Truncated. */
  g_assert_true (g_file_set_contents (path, contents, length / 2, NULL));
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_clear_error (&error);
  g_assert_null (cairn_vault_list_users (fixture->dir, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_clear_error (&error);

  /* A flipped byte. */
  contents[length / 3] ^= 0x10;
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_clear_error (&error);

  /* Gone. */
  g_unlink (path);
  g_assert_null (cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error));
  g_assert_nonnull (error);
}

/* A vault made by the previous set of migrations is brought up to date when
 * it is unlocked; one from a newer Cairn is refused with a message. */
static void
test_migrations_upgrade (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *practice_path = NULL;
  g_autofree char *clinical_path = NULL;
  g_autofree char *keyring_path = NULL;
  g_autoptr(CairnKeyring) keyring = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;
  g_autoptr(CairnDatabase) practice = NULL;
  g_autoptr(CairnDatabase) clinical = NULL;
  guint latest = cairn_migrations_latest (CAIRN_DATABASE_KIND_PRACTICE);

  g_assert_cmpuint (latest, >=, 2);
  g_assert_cmpint (g_mkdir (fixture->dir, 0700), ==, 0);
  practice_path = g_build_filename (fixture->dir, "practice.db", NULL);
  clinical_path = g_build_filename (fixture->dir, "clinical.db", NULL);
  keyring_path = g_build_filename (fixture->dir, "keyring", NULL);

  keyring = cairn_keyring_new (&keys);
  g_assert_true (cairn_keyring_add_user (keyring, keys, CLINICIAN, CAIRN_ROLE_CLINICIAN, PASSPHRASE,
                                         &test_params, NULL, &error));
  g_assert_true (cairn_keyring_save (keyring, keyring_path, &error));
  g_assert_no_error (error);

  practice = cairn_database_open (practice_path, keys->practice, cairn_keyring_get_practice_id (keyring),
                                  TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_migrations_run (practice, CAIRN_DATABASE_KIND_PRACTICE, latest - 1, &error));
  g_assert_cmpuint (cairn_migrations_version (practice, NULL), ==, latest - 1);
  g_clear_pointer (&practice, cairn_database_close);
  clinical = cairn_database_open (clinical_path, keys->clinical, cairn_keyring_get_clinical_id (keyring),
                                  TRUE, &error);
  g_assert_true (cairn_migrations_run (clinical, CAIRN_DATABASE_KIND_CLINICAL, 1, &error));
  g_clear_pointer (&clinical, cairn_database_close);

  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_migrations_version (cairn_vault_get_practice (vault), NULL), ==, latest);
  g_assert_cmpuint (cairn_migrations_version (cairn_vault_get_clinical (vault), NULL), ==,
                    cairn_migrations_latest (CAIRN_DATABASE_KIND_CLINICAL));
  /* What the newer migration adds is there. */
  g_assert_cmpuint (cairn_vault_get_auto_lock_seconds (vault), ==, CAIRN_VAULT_AUTO_LOCK_DEFAULT);
  g_assert_true (cairn_database_exec (cairn_vault_get_practice (vault), "PRAGMA user_version = 999", &error));
  g_clear_object (&vault);

  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_null (vault);
  g_assert_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, "newer version of Cairn"));
}

static gpointer
count_audit_job (CairnVault    *vault,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  /* Runs on the worker, not the thread that queued it. */
  g_assert_true (g_thread_self () != data);
  return cairn_database_query_text (cairn_vault_get_practice (vault), "SELECT count(*) FROM audit",
                                    NULL, 0, error);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* A job that takes its time, so that what is queued behind it waits. */
static gpointer
slow_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_usleep (200 * 1000);
  return GINT_TO_POINTER (TRUE);
}

static gpointer
write_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return cairn_database_exec (cairn_vault_get_practice (vault),
                              "CREATE TABLE IF NOT EXISTS test_written (x INTEGER);"
                              " INSERT INTO test_written VALUES (1)", error)
         ? GINT_TO_POINTER (TRUE) : NULL;
}

/* A write queued behind other work is written even when whoever asked for
 * it cancels before it runs (a screen cleared as Cairn locks): only its
 * answer comes back cancelled. */
static void
test_worker_cancelled_write (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) slow = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autofree char *count = NULL;

  g_assert_no_error (error);
  cairn_vault_run_async (vault, slow_job, NULL, NULL, NULL, NULL, run_done_cb, &slow);
  cairn_vault_run_async (vault, write_job, NULL, NULL, NULL, cancellable, run_done_cb, &written);
  g_cancellable_cancel (cancellable);
  while (written == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (cairn_vault_run_finish (vault, written, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  count = cairn_database_query_text (cairn_vault_get_practice (vault),
                                     "SELECT count(*) FROM test_written", NULL, 0, NULL);
  g_assert_cmpstr (count, ==, "1");
}

static gpointer
read_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  *(gboolean *) data = TRUE;
  return GINT_TO_POINTER (TRUE);
}

/* A read superseded before it began is not run at all: a lock does not
 * wait for searches nobody reads. */
static void
test_worker_cancelled_read (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) slow = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  gboolean ran = FALSE;

  g_assert_no_error (error);
  cairn_vault_run_async (vault, slow_job, NULL, NULL, NULL, NULL, run_done_cb, &slow);
  cairn_vault_read_async (vault, read_job, &ran, NULL, NULL, cancellable, run_done_cb, &read);
  g_cancellable_cancel (cancellable);
  while (read == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (cairn_vault_run_finish (vault, read, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ran);
}

static void
test_worker (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *count = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  expected = cairn_database_query_text (cairn_vault_get_practice (vault), "SELECT count(*) FROM audit",
                                        NULL, 0, &error);

  cairn_vault_run_async (vault, count_audit_job, g_thread_self (), NULL, g_free, NULL, run_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  count = cairn_vault_run_finish (vault, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (count, ==, expected);
  g_clear_object (&result);

  /* A locked vault runs nothing. */
  cairn_vault_lock (vault);
  cairn_vault_run_async (vault, count_audit_job, g_thread_self (), NULL, g_free, NULL, run_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (cairn_vault_run_finish (vault, result, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED);
}

/* The reset after a recovery unlock, on the worker: a user who is not
 * there and a weak passphrase are refused as the call says them; then
 * the vault acts as the one reset. */
static GAsyncResult *
reset_async (CairnVault    *vault,
             const char    *name,
             const char    *passphrase,
             GAsyncResult **slot)
{
  g_clear_object (slot);
  cairn_vault_reset_passphrase_async (vault, name, passphrase, NULL, run_done_cb, slot);
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_reset_async (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock_with_recovery (fixture->dir, fixture->recovery, &error);
  g_autoptr(GAsyncResult) result = NULL;
  const char *new_pass = "quartz meadow lantern 9";

  g_assert_no_error (error);
  g_assert_false (cairn_vault_reset_passphrase_finish (vault, reset_async (vault, "Nobody", new_pass, &result),
                                                       &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER);
  g_clear_error (&error);
  g_assert_false (cairn_vault_reset_passphrase_finish (vault, reset_async (vault, DESK, "desk", &result), &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cairn_vault_get_opened_by_recovery (vault));

  g_assert_true (cairn_vault_reset_passphrase_finish (vault, reset_async (vault, DESK, new_pass, &result), &error));
  g_assert_no_error (error);
  g_assert_false (cairn_vault_get_opened_by_recovery (vault));
  g_assert_cmpstr (cairn_vault_get_user (vault)->name, ==, DESK);
  cairn_vault_lock (vault);
  g_clear_object (&vault);

  vault = cairn_vault_unlock (fixture->dir, DESK, new_pass, &error);
  g_assert_no_error (error);
}

typedef struct
{
  guint         notified;
  guint         delivered;
  gboolean      busy_in_callback;
  GAsyncResult *last;
} BusyWatch;

static void
on_busy_notify_cb (CairnVault *vault,
                   GParamSpec *pspec,
                   BusyWatch  *watch)
{
  watch->notified++;
}

static void
follow_up_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BusyWatch *watch = user_data;

  watch->delivered++;
  watch->busy_in_callback = cairn_vault_is_busy (CAIRN_VAULT (source));
  g_clear_object (&watch->last);
  watch->last = g_object_ref (result);
}

/* The first job's callback queues a second, as a page reloads after a save. */
static void
first_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BusyWatch *watch = user_data;

  watch->delivered++;
  watch->busy_in_callback = cairn_vault_is_busy (CAIRN_VAULT (source));
  g_free (cairn_vault_run_finish (CAIRN_VAULT (source), result, NULL));
  cairn_vault_run_async (CAIRN_VAULT (source), count_audit_job, g_thread_self (), NULL, g_free, NULL,
                         follow_up_done_cb, watch);
}

/* Busy from the first job queued until the last callback has run, and
 * so said once each way; a job a callback queues keeps it busy. */
static void
test_worker_busy (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  BusyWatch watch = { 0 };
  g_autofree char *count = NULL;

  g_assert_no_error (error);
  g_assert_false (cairn_vault_is_busy (vault));
  g_signal_connect (vault, "notify::busy", G_CALLBACK (on_busy_notify_cb), &watch);

  cairn_vault_run_async (vault, count_audit_job, g_thread_self (), NULL, g_free, NULL, first_done_cb, &watch);
  g_assert_true (cairn_vault_is_busy (vault));
  g_assert_cmpuint (watch.notified, ==, 1);
  while (watch.delivered < 2)
    {
      g_main_context_iteration (NULL, TRUE);
      /* Between the two callbacks it stays busy. */
      if (watch.delivered == 1)
        g_assert_true (cairn_vault_is_busy (vault));
    }
  g_assert_true (watch.busy_in_callback);
  g_assert_false (cairn_vault_is_busy (vault));
  g_assert_cmpuint (watch.notified, ==, 2);
  count = cairn_vault_run_finish (vault, watch.last, &error);
  g_assert_no_error (error);
  g_assert_nonnull (count);
  g_clear_object (&watch.last);

  /* Refused by a locked vault, still busy until the refusal is delivered. */
  cairn_vault_lock (vault);
  cairn_vault_run_async (vault, count_audit_job, g_thread_self (), NULL, g_free, NULL, follow_up_done_cb, &watch);
  g_assert_true (cairn_vault_is_busy (vault));
  while (watch.delivered < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (cairn_vault_is_busy (vault));
  g_assert_cmpuint (watch.notified, ==, 4);
  g_assert_null (cairn_vault_run_finish (vault, watch.last, &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_LOCKED);
  g_clear_object (&watch.last);
}

static void
test_passphrase_strength (void)
{
  struct {
    const char *passphrase;
    const char *user;
    CairnPassphraseStrength strength;
    const char *reason_part;
  } cases[] = {
    { "", NULL, CAIRN_PASSPHRASE_WEAK, "Enter" },
    { "abc123", NULL, CAIRN_PASSPHRASE_WEAK, "10 characters" },
    { "aaaaaaaaaaaa", NULL, CAIRN_PASSPHRASE_WEAK, "repeated" },
    { "abcdefghijkl", NULL, CAIRN_PASSPHRASE_WEAK, "sequential" },
    { "MyPassword2024", NULL, CAIRN_PASSPHRASE_WEAK, "password" },
    { "quell family 2024", "Ada Quell", CAIRN_PASSPHRASE_WEAK, "own name" },
    { "ababababab", NULL, CAIRN_PASSPHRASE_WEAK, "different characters" },
    { "lollipoppy", NULL, CAIRN_PASSPHRASE_WEAK, "longer" },
    { "lantern orchard fiddle 42", NULL, CAIRN_PASSPHRASE_STRONG, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reason = NULL;
      CairnPassphraseStrength strength = cairn_passphrase_strength (cases[i].passphrase, cases[i].user, &reason);

      g_test_message ("%s", cases[i].passphrase);
      g_assert_cmpint (strength, ==, cases[i].strength);
      if (cases[i].reason_part != NULL)
        g_assert_nonnull (strstr (reason, cases[i].reason_part));
      g_assert_cmpint (cairn_passphrase_acceptable (cases[i].passphrase, cases[i].user, NULL), ==,
                       strength >= CAIRN_PASSPHRASE_FAIR);
    }
}

static void
test_stale_rekey_folder_removed (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *stale = g_build_filename (fixture->parent, ".cairn-rekey-AbC123", NULL);
  g_autofree char *inside = g_build_filename (stale, "practice.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;

  /* What a crash in the middle of a re-key leaves: the old vault, which the
   * old keys still open. The next unlock removes it. */
  g_assert_cmpint (g_mkdir (stale, 0700), ==, 0);
  g_assert_true (g_file_set_contents (inside, "old pages", -1, NULL));

  vault = cairn_vault_unlock (fixture->dir, CLINICIAN, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
}

/* The file of failed unlocks: what was tried stays on its line, and no
 * more than 1000 are kept, so that a script hammering the unlock cannot
 * fill the disk. */
static void
test_unlock_attempts_file (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) attempts = NULL;
  g_autoptr(GString) full = g_string_new (NULL);
  g_autofree char *file = g_build_filename (fixture->dir, "unlock-attempts", NULL);
  g_autofree char *contents = NULL;

  cairn_unlock_attempts_set_clock (1800000000);
  g_assert_true (cairn_unlock_attempts_record (fixture->dir, "one\n1800000000 forged\rline", &error));
  g_assert_no_error (error);
  attempts = cairn_unlock_attempts_list (fixture->dir);
  g_assert_cmpuint (attempts->len, ==, 1);
  g_assert_cmpstr (((CairnUnlockAttempt *) g_ptr_array_index (attempts, 0))->what, ==,
                   "one 1800000000 forged line");
  cairn_unlock_attempts_clear (fixture->dir);

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (full, "%u passphrase of an unknown user\n", 1700000000 + i);
  g_assert_true (g_file_set_contents (file, full->str, (gssize) full->len, &error));
  g_assert_true (cairn_unlock_attempts_record (fixture->dir, "passphrase of an unknown user", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (file, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, full->str);
  g_clear_pointer (&attempts, g_ptr_array_unref);
  attempts = cairn_unlock_attempts_list (fixture->dir);
  g_assert_cmpuint (attempts->len, ==, 1000);
  cairn_unlock_attempts_set_clock (0);
}

static void
test_retry_delay (void)
{
  static const guint expected[] = { 0, 0, 0, 5, 10, 20, 40, 60, 60 };

  for (guint failures = 0; failures < G_N_ELEMENTS (expected); failures++)
    g_assert_cmpuint (cairn_passphrase_retry_delay (failures), ==, expected[failures]);
  g_assert_cmpuint (cairn_passphrase_retry_delay (G_MAXUINT), ==, 60);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sodium_init (), >=, 0);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);
  if (argc == 4 && g_strcmp0 (argv[1], "--keyring-child") == 0)
    return keyring_child (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_EMPTY(path, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (1), fixture_set_up, func, fixture_tear_down)
  ADD ("/vault/create-and-unlock", test_create_and_unlock);
  ADD_EMPTY ("/vault/create-bad-input", test_create_bad_input);
  ADD ("/vault/create-over-existing", test_create_over_existing);
  ADD_EMPTY ("/vault/disk-full", test_disk_full);
  ADD ("/vault/wrong-passphrase", test_wrong_passphrase);
  ADD ("/vault/front-desk-has-no-clinical-key", test_front_desk_has_no_clinical_key);
  ADD ("/vault/front-desk-cannot-read-clinical", test_front_desk_cannot_read_clinical);
  ADD ("/vault/change-passphrase", test_change_passphrase);
  ADD ("/vault/recovery", test_recovery);
  ADD ("/vault/reset-async", test_reset_async);
  ADD ("/vault/regenerate-recovery-key", test_regenerate_recovery_key);
  ADD ("/vault/remove-user", test_remove_user);
  ADD ("/vault/add-user-bad-input", test_add_user_bad_input);
  ADD ("/vault/auto-lock-policy", test_auto_lock_policy);
  ADD ("/vault/audit-chain", test_audit_chain);
  ADD ("/vault/user-named-recovery", test_user_named_recovery);
  ADD ("/vault/check", test_check);
  ADD ("/vault/empty-database-refused", test_empty_database_refused);
  ADD ("/vault/check-writes-nothing", test_check_writes_nothing);
  ADD_EMPTY ("/vault/files-private", test_files_private);
  ADD ("/vault/keyring-of-another-vault", test_keyring_of_another_vault);
  ADD ("/vault/keyring-change-interrupted", test_keyring_change_interrupted);
  ADD ("/vault/passphrase-change-interrupted", test_passphrase_change_interrupted);
  ADD ("/vault/keyring-change-killed", test_keyring_change_killed);
  ADD ("/vault/failed-unlocks-kept", test_failed_unlocks_kept);
  ADD ("/vault/unlock-attempts-file", test_unlock_attempts_file);
  ADD ("/vault/damaged-keyring", test_damaged_keyring);
  ADD_EMPTY ("/vault/migrations-upgrade", test_migrations_upgrade);
  ADD ("/vault/worker", test_worker);
  ADD ("/vault/worker-cancelled-write", test_worker_cancelled_write);
  ADD ("/vault/worker-cancelled-read", test_worker_cancelled_read);
  ADD ("/vault/worker-busy", test_worker_busy);
  ADD ("/vault/stale-rekey-folder-removed", test_stale_rekey_folder_removed);
  g_test_add_func ("/vault/passphrase-strength", test_passphrase_strength);
  g_test_add_func ("/vault/retry-delay", test_retry_delay);

  return g_test_run ();
}
