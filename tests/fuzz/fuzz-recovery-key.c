/* fuzz-recovery-key.c
 *
 * The recovery key as a person types it from paper. A key it takes must
 * format back to a text that reads as the same key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sodium.h>
#include <string.h>

#include "cairn-fuzz.h"
#include "cairn-keyring.h"

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
  g_autofree char *text = cairn_fuzz_text (data, size);
  guint8 key[CAIRN_RECOVERY_KEY_BYTES];
  guint8 again[CAIRN_RECOVERY_KEY_BYTES];
  g_autofree char *formatted = NULL;

  if (!cairn_recovery_key_parse (text, key, &error))
    {
      g_assert_nonnull (error);
      cairn_fuzz_check_message (error);
      return 0;
    }

  formatted = cairn_recovery_key_format (key);
  if (!cairn_recovery_key_parse (formatted, again, &error))
    g_error ("A recovery key does not read back: %s", error->message);
  g_assert_cmpmem (key, sizeof key, again, sizeof again);

  return 0;
}
