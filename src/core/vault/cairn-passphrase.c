/* cairn-passphrase.c
 *
 * How hard a passphrase is to guess, roughly, and why a weak one is weak.
 * A stolen laptop is attacked offline: Argon2id slows each guess, but only
 * length and unpredictability keep the vault shut.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-vault"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cairn-passphrase.h"

#define MIN_CHARS 10

static const char * const common[] = {
  "password", "passwort", "passw0rd", "qwerty", "qwertz", "azerty", "letmein", "welcome",
  "123456", "654321", "abcdef", "iloveyou", "admin", "cairn", "therapy", "mdma",
};

static gboolean
is_run (const gunichar *chars,
        glong           n)
{
  gboolean same = TRUE, up = TRUE, down = TRUE;

  for (glong i = 1; i < n; i++)
    {
      same = same && chars[i] == chars[0];
      up = up && chars[i] == chars[i - 1] + 1;
      down = down && chars[i] + 1 == chars[i - 1];
    }
  return same || up || down;
}

/**
 * cairn_passphrase_strength:
 * @passphrase: a candidate passphrase
 * @user_name: (nullable): whose it would be
 * @reason: (out) (optional) (transfer full): why it is weak, or a hint to
 *   make it stronger; %NULL when there is nothing to say
 *
 * Returns: an estimate of the passphrase's strength
 */
CairnPassphraseStrength
cairn_passphrase_strength (const char  *passphrase,
                           const char  *user_name,
                           char       **reason)
{
  g_autofree gunichar *chars = NULL;
  g_autofree char *folded = NULL;
  glong n = 0;
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, symbol = FALSE, other = FALSE;
  g_autoptr(GHashTable) distinct = g_hash_table_new (NULL, NULL);
  double pool = 0, bits;

#define SAY(strength, text) \
  G_STMT_START { if (reason != NULL) *reason = g_strdup (text); return strength; } G_STMT_END

  /* The reasons are marked for translation but returned in English: the
   * interface translates them when it shows them. */

  if (reason != NULL)
    *reason = NULL;

  if (passphrase == NULL || *passphrase == '\0')
    SAY (CAIRN_PASSPHRASE_WEAK, N_("Enter a passphrase."));
  if (!g_utf8_validate (passphrase, -1, NULL))
    SAY (CAIRN_PASSPHRASE_WEAK, N_("The passphrase is not valid text."));

  chars = g_utf8_to_ucs4_fast (passphrase, -1, &n);
  if (n < MIN_CHARS)
    SAY (CAIRN_PASSPHRASE_WEAK,
         N_("Use at least 10 characters. A few unrelated words are long and easy to remember."));

  folded = g_utf8_casefold (passphrase, -1);
  if (user_name != NULL && g_utf8_strlen (user_name, -1) >= 3)
    {
      g_autofree char *name = g_utf8_casefold (user_name, -1);
      g_auto(GStrv) words = g_strsplit (name, " ", -1);

      for (guint i = 0; words[i] != NULL; i++)
        if (g_utf8_strlen (words[i], -1) >= 3 && strstr (folded, words[i]) != NULL)
          SAY (CAIRN_PASSPHRASE_WEAK, N_("Leave your own name out of the passphrase."));
    }

  if (is_run (chars, n))
    SAY (CAIRN_PASSPHRASE_WEAK, N_("Avoid repeated or sequential characters."));

  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    if (strstr (folded, common[i]) != NULL)
      SAY (CAIRN_PASSPHRASE_WEAK,
           N_("Avoid words every guesser tries first, such as “password” or “123456”."));

  for (glong i = 0; i < n; i++)
    {
      gunichar c = chars[i];

      g_hash_table_add (distinct, GUINT_TO_POINTER (c));
      if (c < 128 && g_ascii_islower (c))
        lower = TRUE;
      else if (c < 128 && g_ascii_isupper (c))
        upper = TRUE;
      else if (c < 128 && g_ascii_isdigit (c))
        digit = TRUE;
      else if (c < 128)
        symbol = TRUE;
      else
        other = TRUE;
    }

  if (g_hash_table_size (distinct) < 5)
    SAY (CAIRN_PASSPHRASE_WEAK, N_("Use more different characters."));

  pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
  /* Repeats add less than new characters do. */
  bits = g_hash_table_size (distinct) * log2 (pool) + (n - (glong) g_hash_table_size (distinct)) * 1.5;

  if (bits < 50)
    SAY (CAIRN_PASSPHRASE_WEAK, N_("Make it longer: add another word."));
  if (bits < 65)
    SAY (CAIRN_PASSPHRASE_FAIR, N_("Good enough; another word would make it strong."));
  if (bits < 80)
    SAY (CAIRN_PASSPHRASE_GOOD, NULL);
  SAY (CAIRN_PASSPHRASE_STRONG, NULL);

#undef SAY
}

/**
 * cairn_passphrase_acceptable:
 * @passphrase: a candidate passphrase
 * @user_name: (nullable): whose it would be
 * @reason: (out) (optional) (transfer full): why not, when it is not
 *
 * Returns: %TRUE when the passphrase is at least fair
 */
gboolean
cairn_passphrase_acceptable (const char  *passphrase,
                             const char  *user_name,
                             char       **reason)
{
  g_autofree char *why = NULL;
  gboolean ok = cairn_passphrase_strength (passphrase, user_name, &why) >= CAIRN_PASSPHRASE_FAIR;

  if (reason != NULL)
    *reason = ok ? NULL : g_steal_pointer (&why);
  return ok;
}

/**
 * cairn_passphrase_retry_delay:
 * @failures: wrong passphrases in a row
 *
 * Argon2id is what slows an attacker with a copy of the vault; this only
 * slows someone guessing at an unattended screen, without getting in the way
 * of a clinician who mistyped once or twice.
 *
 * Returns: how many seconds to wait before the next try
 */
guint
cairn_passphrase_retry_delay (guint failures)
{
  if (failures < 3)
    return 0;
  return MIN (60u, 5u << MIN (failures - 3, 4u));
}
