/* fuzz-keyring.c
 *
 * The key-slot file parser. The checksum at the end of the file would stop
 * nearly every mutation at the door, so unless the input's first byte is
 * odd it is recomputed first: the mutations then reach the slots. What
 * parses must serialize to the same bytes and parse again, and opening its
 * recovery slot with a fixed key must fail cleanly (no passphrase slot is
 * opened: its cost is Argon2id's, too slow to fuzz).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sodium.h>
#include <string.h>

#include "cairn-fuzz.h"
#include "cairn-keyring.h"

#define CHECKSUM_BYTES 32

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  cairn_fuzz_init ();
  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnKeyring) keyring = NULL;
  g_autofree guint8 *file = NULL;
  gsize length;

  if (size < 1)
    return 0;

  /* The first byte chooses; the rest is the file. */
  length = size - 1;
  file = g_memdup2 (data + 1, length);
  if ((data[0] & 1) == 0 && length >= CHECKSUM_BYTES)
    crypto_generichash (file + length - CHECKSUM_BYTES, CHECKSUM_BYTES,
                        file, length - CHECKSUM_BYTES, NULL, 0);

  keyring = cairn_keyring_parse (file, length, &error);
  cairn_fuzz_check_message (error);
  if (keyring == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  {
    g_autoptr(GBytes) again = cairn_keyring_serialize (keyring);
    g_autoptr(CairnKeyring) reparsed = NULL;
    g_autoptr(GPtrArray) users = cairn_keyring_list_users (keyring);
    g_autoptr(CairnVaultKeys) keys = NULL;
    g_autoptr(GError) local_error = NULL;
    guint8 key[CAIRN_RECOVERY_KEY_BYTES] = { 0 };
    g_autofree char *recovery = cairn_recovery_key_format (key);

    if (g_bytes_get_size (again) != length || memcmp (g_bytes_get_data (again, NULL), file, length) != 0)
      g_error ("A keyring does not serialize to the bytes it was read from");
    reparsed = cairn_keyring_parse (g_bytes_get_data (again, NULL), g_bytes_get_size (again), &local_error);
    g_assert_no_error (local_error);

    for (guint i = 0; i < users->len; i++)
      {
        const CairnKeyringUser *user = g_ptr_array_index (users, i);

        g_assert_true (g_utf8_validate (user->name, -1, NULL));
      }

    keys = cairn_keyring_unlock_recovery (keyring, recovery, &local_error);
    if (keys == NULL)
      {
        g_assert_nonnull (local_error);
        cairn_fuzz_check_message (local_error);
      }
  }

  return 0;
}
