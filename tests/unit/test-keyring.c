/* test-keyring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "cairn-keyring.h"
#include "cairn-test-unprivileged.h"

/* Cheap Argon2id for tests; the real cost is measured by the benchmark. */
static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

typedef struct
{
  CairnKeyring   *keyring;
  CairnVaultKeys *keys;
  char           *recovery;
  char           *dir;
  char           *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->keyring = cairn_keyring_new (&fixture->keys);
  g_assert_true (cairn_keyring_add_user (fixture->keyring, fixture->keys, "Dr Ada Quell",
                                         CAIRN_ROLE_CLINICIAN, "correct horse battery staple",
                                         &test_params, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cairn_keyring_add_user (fixture->keyring, fixture->keys, "Front Desk",
                                         CAIRN_ROLE_FRONT_DESK, "desk passphrase here",
                                         &test_params, NULL, &error));
  g_assert_no_error (error);
  fixture->recovery = cairn_keyring_set_recovery (fixture->keyring, fixture->keys, &error);
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("cairn-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "keyring", NULL);
  g_assert_true (cairn_keyring_save (fixture->keyring, fixture->path, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_chmod (fixture->dir, 0700);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->recovery);
  cairn_vault_keys_free (fixture->keys);
  cairn_keyring_free (fixture->keyring);
}

static void
test_unlock_by_role (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) loaded = cairn_keyring_load (fixture->path, &error);
  g_autoptr(CairnVaultKeys) clinician = NULL;
  g_autoptr(CairnVaultKeys) desk = NULL;
  g_autoptr(CairnKeyringUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;

  g_assert_no_error (error);

  clinician = cairn_keyring_unlock (loaded, "Dr Ada Quell", "correct horse battery staple", &user, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user->role, ==, CAIRN_ROLE_CLINICIAN);
  g_assert_true (clinician->has_clinical);
  g_assert_cmpmem (clinician->practice, 32, fixture->keys->practice, 32);
  g_assert_cmpmem (clinician->clinical, 32, fixture->keys->clinical, 32);

  /* The front desk's slot does not hold the clinical key at all. */
  desk = cairn_keyring_unlock (loaded, "Front Desk", "desk passphrase here", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (desk->has_clinical);
  g_assert_cmpmem (desk->practice, 32, fixture->keys->practice, 32);
  for (guint i = 0; i < 32; i++)
    g_assert_cmpuint (desk->clinical[i], ==, 0);

  users = cairn_keyring_list_users (loaded);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_true (cairn_keyring_has_recovery (loaded));
  g_assert_cmpmem (cairn_keyring_get_practice_id (loaded), 16,
                   cairn_keyring_get_practice_id (fixture->keyring), 16);
}

static void
test_wrong_passphrase (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;

  keys = cairn_keyring_unlock (fixture->keyring, "Dr Ada Quell", "correct horse battery stapler", NULL, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_assert_null (keys);
  g_clear_error (&error);

  /* Another user's passphrase does not open this user's slot. */
  keys = cairn_keyring_unlock (fixture->keyring, "Dr Ada Quell", "desk passphrase here", NULL, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  keys = cairn_keyring_unlock (fixture->keyring, "Nobody", "x", NULL, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER);
}

static void
test_unicode_passphrase (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;

  /* "café" typed precomposed, then with a combining accent. */
  g_assert_true (cairn_keyring_add_user (fixture->keyring, fixture->keys, "Zoë", CAIRN_ROLE_FRONT_DESK,
                                         "caf\xc3\xa9 au lait", &test_params, NULL, &error));
  g_assert_no_error (error);
  keys = cairn_keyring_unlock (fixture->keyring, "Zoë", "cafe\xcc\x81 au lait", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (keys);
}

static void
test_recovery (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;
  g_autofree char *sloppy = NULL;
  g_autofree char *typo = g_strdup (fixture->recovery);
  g_autofree char *old = NULL;
  g_auto(GStrv) groups = g_strsplit (fixture->recovery, "-", -1);

  /* Eleven groups of five, the last one short. */
  g_assert_cmpuint (g_strv_length (groups), ==, 11);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (strlen (groups[i]), ==, 5);

  keys = cairn_keyring_unlock_recovery (fixture->keyring, fixture->recovery, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (keys->clinical, 32, fixture->keys->clinical, 32);
  g_clear_pointer (&keys, cairn_vault_keys_free);

  /* Lower case, spaces instead of dashes. */
  sloppy = g_ascii_strdown (fixture->recovery, -1);
  g_strdelimit (sloppy, "-", ' ');
  keys = cairn_keyring_unlock_recovery (fixture->keyring, sloppy, &error);
  g_assert_no_error (error);
  g_clear_pointer (&keys, cairn_vault_keys_free);

  /* One character wrong: the checksum catches it as a typo. */
  typo[7] = typo[7] == 'A' ? 'B' : 'A';
  keys = cairn_keyring_unlock_recovery (fixture->keyring, typo, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO);
  g_clear_error (&error);

  keys = cairn_keyring_unlock_recovery (fixture->keyring, "ABCDE-FGHIJ", &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO);
  g_assert_nonnull (strstr (error->message, "characters"));
  g_clear_error (&error);

  keys = cairn_keyring_unlock_recovery (fixture->keyring, "ABCDE-FGH!J", &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO);
  g_assert_nonnull (strstr (error->message, "!"));
  g_clear_error (&error);

  /* A new recovery key replaces the old one. */
  old = g_steal_pointer (&fixture->recovery);
  fixture->recovery = cairn_keyring_set_recovery (fixture->keyring, fixture->keys, &error);
  g_assert_no_error (error);
  keys = cairn_keyring_unlock_recovery (fixture->keyring, old, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_RECOVERY_KEY);
  g_assert_null (keys);
}

static void
test_recovery_key_text_round_trip (void)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      guint8 key[CAIRN_RECOVERY_KEY_BYTES];
      guint8 parsed[CAIRN_RECOVERY_KEY_BYTES];
      g_autofree char *text = NULL;

      randombytes_buf (key, sizeof key);
      text = cairn_recovery_key_format (key);
      g_assert_cmpuint (strlen (text), ==, 55 + 10);
      g_assert_true (cairn_recovery_key_parse (text, parsed, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (parsed, sizeof parsed, key, sizeof key);
    }
}

static void
test_change_passphrase (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;
  g_autoptr(CairnKeyring) loaded = NULL;

  g_assert_false (cairn_keyring_change_passphrase (fixture->keyring, "Dr Ada Quell", "wrong",
                                                   "new one", &test_params, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  g_assert_true (cairn_keyring_change_passphrase (fixture->keyring, "Dr Ada Quell",
                                                  "correct horse battery staple",
                                                  "a brand new passphrase", &test_params, &error));
  g_assert_no_error (error);
  g_assert_true (cairn_keyring_save (fixture->keyring, fixture->path, &error));
  loaded = cairn_keyring_load (fixture->path, &error);
  g_assert_no_error (error);

  keys = cairn_keyring_unlock (loaded, "Dr Ada Quell", "correct horse battery staple", NULL, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  /* Same database keys: nothing needs re-encrypting. */
  keys = cairn_keyring_unlock (loaded, "Dr Ada Quell", "a brand new passphrase", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (keys->clinical, 32, fixture->keys->clinical, 32);
}

static void
test_users (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVaultKeys) desk = NULL;

  g_assert_false (cairn_keyring_add_user (fixture->keyring, fixture->keys, "Front Desk",
                                          CAIRN_ROLE_FRONT_DESK, "x", &test_params, NULL, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_USER_EXISTS);
  g_clear_error (&error);

  g_assert_false (cairn_keyring_add_user (fixture->keyring, fixture->keys, "  padded ",
                                          CAIRN_ROLE_FRONT_DESK, "x", &test_params, NULL, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (cairn_keyring_add_user (fixture->keyring, fixture->keys, "Empty",
                                          CAIRN_ROLE_FRONT_DESK, "", &test_params, NULL, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID);
  g_clear_error (&error);

  /* A name is up to 200 bytes long. */
  {
    g_autofree char *longest = g_strnfill (200, 'n');
    g_autofree char *longer = g_strnfill (201, 'n');

    g_assert_true (cairn_keyring_add_user (fixture->keyring, fixture->keys, longest,
                                           CAIRN_ROLE_FRONT_DESK, "x", &test_params, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (cairn_keyring_add_user (fixture->keyring, fixture->keys, longer,
                                            CAIRN_ROLE_FRONT_DESK, "x", &test_params, NULL, &error));
    g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_true (cairn_keyring_remove_user (fixture->keyring, longest, &error));
    g_assert_no_error (error);
  }

  /* A front-desk user holds no clinical key, so cannot make a clinician. */
  desk = cairn_keyring_unlock (fixture->keyring, "Front Desk", "desk passphrase here", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cairn_keyring_add_user (fixture->keyring, desk, "Dr Two", CAIRN_ROLE_CLINICIAN,
                                          "pass", &test_params, NULL, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* The last clinician stays. */
  g_assert_false (cairn_keyring_remove_user (fixture->keyring, "Dr Ada Quell", &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_true (cairn_keyring_remove_user (fixture->keyring, "Front Desk", &error));
  g_assert_no_error (error);
  g_assert_null (cairn_keyring_unlock (fixture->keyring, "Front Desk", "desk passphrase here", NULL, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER);
}

/* 64 key slots: 63 users and the recovery slot; the keyring they make
 * saves and reads back. */
static void
test_at_most_63_users (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) loaded = NULL;
  g_autoptr(GPtrArray) users = NULL;

  for (guint i = 3; i <= 63; i++)
    {
      g_autofree char *name = g_strdup_printf ("User %u", i);

      g_assert_true (cairn_keyring_add_user (fixture->keyring, fixture->keys, name, CAIRN_ROLE_FRONT_DESK,
                                             "desk passphrase here", &test_params, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_false (cairn_keyring_add_user (fixture->keyring, fixture->keys, "User 64", CAIRN_ROLE_FRONT_DESK,
                                          "desk passphrase here", &test_params, NULL, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "at most 63 users"));
  g_clear_error (&error);

  g_assert_true (cairn_keyring_save (fixture->keyring, fixture->path, &error));
  g_assert_no_error (error);
  loaded = cairn_keyring_load (fixture->path, &error);
  g_assert_no_error (error);
  users = cairn_keyring_list_users (loaded);
  g_assert_cmpuint (users->len, ==, 63);
  g_assert_true (cairn_keyring_has_recovery (loaded));
}

static GBytes *
serialized (Fixture *fixture)
{
  return cairn_keyring_serialize (fixture->keyring);
}

/* Every flipped byte is reported as damage, and so is every truncation. */
static void
test_damage_detected (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) bytes = serialized (fixture);
  gsize length = g_bytes_get_size (bytes);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), length);

  for (gsize i = 0; i < length; i++)
    for (guint bit = 0; bit < 8; bit++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CairnKeyring) parsed = NULL;

        copy[i] ^= 1u << bit;
        parsed = cairn_keyring_parse (copy, length, &error);
        copy[i] ^= 1u << bit;
        g_assert_null (parsed);
        /* A flip in the version field may read as a newer version. */
        if (!g_error_matches (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NEWER))
          g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
      }

  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnKeyring) parsed = cairn_keyring_parse (copy, cut, &error);

      g_assert_null (parsed);
      g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
    }
}

/* Rewrites a field and fixes up the checksum, as an attacker could. */
static guint8 *
edited (GBytes *bytes,
        gsize   offset,
        guint8  value,
        gsize  *length)
{
  guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  *length = g_bytes_get_size (bytes);
  copy[offset] = value;
  crypto_generichash (copy + *length - 32, 32, copy, *length - 32, NULL, 0);
  return copy;
}

static void
test_edited_slot_does_not_open (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GBytes) bytes = serialized (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) parsed = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;
  g_autofree guint8 *copy = NULL;
  /* Header 44 bytes; slot 1 starts with kind, role. The second slot is the
   * front desk: promote it to clinician by role byte alone and it must
   * not open (its key count no longer fits the role, either). */
  gsize first_slot_length = 1 + 1 + 16 + 1 + strlen ("Dr Ada Quell") + 1 + 4 + 4 + 16 + 24 + 1 + 64 + 16;
  gsize desk_role = 44 + first_slot_length + 1;
  gsize length;

  copy = edited (bytes, desk_role, CAIRN_ROLE_CLINICIAN, &length);
  parsed = cairn_keyring_parse (copy, length, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_clear_error (&error);
  g_clear_pointer (&copy, g_free);

  /* A changed salt byte in the clinician's slot: the checksum is fixed up,
   * but the seal's associated data no longer matches. */
  copy = edited (bytes, 44 + 1 + 1 + 16 + 1 + strlen ("Dr Ada Quell") + 1 + 4 + 4, 0x5a, &length);
  parsed = cairn_keyring_parse (copy, length, &error);
  g_assert_no_error (error);
  keys = cairn_keyring_unlock (parsed, "Dr Ada Quell", "correct horse battery staple", NULL, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_assert_null (keys);
}

/* Bytes put after the last slot, under a checksum fixed up to cover them,
 * are damage: the file is exactly its slots. */
static void
test_bytes_after_last_slot (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) bytes = serialized (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) parsed = NULL;
  gsize length = g_bytes_get_size (bytes);
  gsize body = length - 32;
  g_autofree guint8 *copy = g_malloc0 (length + 4);

  memcpy (copy, g_bytes_get_data (bytes, NULL), body);
  crypto_generichash (copy + body + 4, 32, copy, body + 4, NULL, 0);
  parsed = cairn_keyring_parse (copy, length + 4, &error);
  g_assert_null (parsed);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "bytes after its last slot"));
}

static void
test_absurd_kdf_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) bytes = serialized (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) parsed = NULL;
  g_autofree guint8 *copy = NULL;
  gsize memlimit_at = 44 + 1 + 1 + 16 + 1 + strlen ("Dr Ada Quell") + 1 + 4;
  gsize length;

  /* 64 GiB = 0x04000000 KiB. */
  copy = edited (bytes, memlimit_at, 0x04, &length);
  copy[memlimit_at + 1] = copy[memlimit_at + 2] = copy[memlimit_at + 3] = 0;
  crypto_generichash (copy + length - 32, 32, copy, length - 32, NULL, 0);
  parsed = cairn_keyring_parse (copy, length, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "67108864 KiB"));
  g_assert_nonnull (strstr (error->message, "not made by Cairn"));
  g_clear_error (&error);

  /* Within what the format can say, but more than Cairn writes: 1 GiB, and
   * twenty passes over 8 MiB, each cost a try seconds before "wrong
   * passphrase". Twice the default is the most a slot may ask. */
  copy[memlimit_at] = 0x00;
  copy[memlimit_at + 1] = 0x10; /* 0x00100000 KiB = 1 GiB */
  crypto_generichash (copy + length - 32, 32, copy, length - 32, NULL, 0);
  parsed = cairn_keyring_parse (copy, length, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "not made by Cairn"));
  g_clear_error (&error);

  copy[memlimit_at + 1] = 0x08; /* 512 MiB: twice the default */
  crypto_generichash (copy + length - 32, 32, copy, length - 32, NULL, 0);
  parsed = cairn_keyring_parse (copy, length, &error);
  g_assert_no_error (error);
  g_clear_pointer (&parsed, cairn_keyring_free);

  copy[memlimit_at + 1] = 0x00;
  copy[memlimit_at + 2] = 0x20; /* back to 8 MiB */
  copy[memlimit_at - 1] = 20;   /* twenty passes */
  crypto_generichash (copy + length - 32, 32, copy, length - 32, NULL, 0);
  parsed = cairn_keyring_parse (copy, length, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_clear_error (&error);
  copy[memlimit_at - 1] = 1;

  /* Zero passes, over 8 MiB. */
  copy[memlimit_at - 1] = 0;
  crypto_generichash (copy + length - 32, 32, copy, length - 32, NULL, 0);
  parsed = cairn_keyring_parse (copy, length, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "asks for 0 passes over 8192 KiB"));
  g_clear_error (&error);

  {
    const CairnKdfParams absurd = { 1, (gsize) 64 * 1024 * 1024 * 1024 };

    g_assert_false (cairn_keyring_add_user (fixture->keyring, fixture->keys, "Greedy",
                                            CAIRN_ROLE_FRONT_DESK, "x", &absurd, NULL, &error));
    g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID);
  }
}

static void
test_newer_version (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) bytes = serialized (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) parsed = NULL;
  g_autofree guint8 *copy = NULL;
  gsize length;

  copy = edited (bytes, 9, 2, &length);
  parsed = cairn_keyring_parse (copy, length, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, "newer version of Cairn"));
}

/* Run without privileges: saving into the read-only folder fails, saying
 * so, and leaves the keyring as it was. */
static gboolean
save_refused (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length = 0;
  gsize after_length = 0;

  if (geteuid () == 0)
    {
      g_printerr ("Still root: the check would prove nothing\n");
      return FALSE;
    }
  if (!g_file_get_contents (fixture->path, &before, &before_length, &error))
    {
      g_printerr ("Cannot read the keyring: %s\n", error->message);
      return FALSE;
    }
  if (cairn_keyring_save (fixture->keyring, fixture->path, &error))
    {
      g_printerr ("The keyring was saved into a read-only folder\n");
      return FALSE;
    }
  if (!g_error_matches (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_IO))
    {
      g_printerr ("Saving failed, but not as an I/O error: %s\n", error->message);
      return FALSE;
    }
  if (!g_file_get_contents (fixture->path, &after, &after_length, NULL) || after_length != before_length ||
      memcmp (after, before, before_length) != 0)
    {
      g_printerr ("The failed save changed the keyring\n");
      return FALSE;
    }
  return TRUE;
}

static void
test_missing_and_read_only (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) loaded = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length = 0;
  gsize after_length = 0;
  g_autofree char *missing = g_build_filename (fixture->dir, "nope", NULL);
  gboolean ran;

  loaded = cairn_keyring_load (missing, &error);
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);

  /* A read-only folder. Root writes into one all the same, so the save is
   * tried by an unprivileged user who owns the folder and the keyring. */
  g_assert_true (g_file_get_contents (fixture->path, &before, &before_length, NULL));
  /* A new recovery key, so that a save would change the file; kept in the
   * fixture, where the child's leak check finds it too. */
  g_free (fixture->recovery);
  fixture->recovery = cairn_keyring_set_recovery (fixture->keyring, fixture->keys, NULL);
  g_assert_nonnull (fixture->recovery);
  g_assert_cmpint (chown (fixture->dir, cairn_test_unprivileged_uid (), cairn_test_unprivileged_gid ()), ==, 0);
  g_assert_cmpint (chown (fixture->path, cairn_test_unprivileged_uid (), cairn_test_unprivileged_gid ()), ==, 0);
  g_assert_cmpint (g_chmod (fixture->dir, 0500), ==, 0);
  ran = cairn_test_run_unprivileged (save_refused, fixture);
  g_assert_cmpint (g_chmod (fixture->dir, 0700), ==, 0);
  if (!ran)
    return;
  g_assert_true (g_file_get_contents (fixture->path, &after, &after_length, NULL));
  g_assert_cmpmem (after, after_length, before, before_length);

  /* Writable again, the same save goes through. */
  g_assert_true (cairn_keyring_save (fixture->keyring, fixture->path, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (fixture->path, &after, &after_length, NULL));
  g_assert_false (after_length == before_length && memcmp (after, before, before_length) == 0);
}

static void
test_save_leaves_no_temporary_files (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint count = 0;
  GStatBuf st;

  for (guint i = 0; i < 5; i++)
    g_assert_true (cairn_keyring_save (fixture->keyring, fixture->path, &error));

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_cmpstr (name, ==, "keyring");
      count++;
    }
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* The recovery slot is told by its kind, never by its name: a user may be
 * called "recovery", and the vault still opens for everyone. */
static void
test_user_named_recovery (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) loaded = NULL;
  g_autoptr(CairnVaultKeys) keys = NULL;
  g_autoptr(CairnKeyringUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;

  g_assert_true (cairn_keyring_add_user (fixture->keyring, fixture->keys, "recovery",
                                         CAIRN_ROLE_FRONT_DESK, "a desk named recovery",
                                         &test_params, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cairn_keyring_save (fixture->keyring, fixture->path, &error));
  g_assert_no_error (error);

  loaded = cairn_keyring_load (fixture->path, &error);
  g_assert_no_error (error);
  users = cairn_keyring_list_users (loaded);
  g_assert_cmpuint (users->len, ==, 3);
  g_assert_true (cairn_keyring_has_recovery (loaded));

  keys = cairn_keyring_unlock (loaded, "recovery", "a desk named recovery", &user, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->name, ==, "recovery");
  g_assert_cmpint (user->role, ==, CAIRN_ROLE_FRONT_DESK);
  g_assert_false (keys->has_clinical);
  g_clear_pointer (&keys, cairn_vault_keys_free);

  keys = cairn_keyring_unlock (loaded, "Dr Ada Quell", "correct horse battery staple", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (keys->has_clinical);
  g_clear_pointer (&keys, cairn_vault_keys_free);

  keys = cairn_keyring_unlock_recovery (loaded, fixture->recovery, &error);
  g_assert_no_error (error);
  g_assert_true (keys->has_clinical);

  /* Two users still cannot share a name. */
  g_assert_false (cairn_keyring_add_user (loaded, fixture->keys, "recovery", CAIRN_ROLE_FRONT_DESK,
                                          "another one", &test_params, NULL, &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_USER_EXISTS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/keyring/unlock-by-role", test_unlock_by_role);
  ADD ("/keyring/wrong-passphrase", test_wrong_passphrase);
  ADD ("/keyring/unicode-passphrase", test_unicode_passphrase);
  ADD ("/keyring/recovery", test_recovery);
  g_test_add_func ("/keyring/recovery-key-text", test_recovery_key_text_round_trip);
  ADD ("/keyring/change-passphrase", test_change_passphrase);
  ADD ("/keyring/users", test_users);
  ADD ("/keyring/at-most-63-users", test_at_most_63_users);
  ADD ("/keyring/user-named-recovery", test_user_named_recovery);
  ADD ("/keyring/damage-detected", test_damage_detected);
  ADD ("/keyring/edited-slot-does-not-open", test_edited_slot_does_not_open);
  ADD ("/keyring/bytes-after-last-slot", test_bytes_after_last_slot);
  ADD ("/keyring/absurd-kdf-refused", test_absurd_kdf_refused);
  ADD ("/keyring/newer-version", test_newer_version);
  ADD ("/keyring/missing-and-read-only", test_missing_and_read_only);
  ADD ("/keyring/save-leaves-no-temporary-files", test_save_leaves_no_temporary_files);

#undef ADD

  return g_test_run ();
}
