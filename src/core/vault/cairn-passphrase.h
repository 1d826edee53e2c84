/* cairn-passphrase.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CAIRN_PASSPHRASE_WEAK,
  CAIRN_PASSPHRASE_FAIR,
  CAIRN_PASSPHRASE_GOOD,
  CAIRN_PASSPHRASE_STRONG,
} CairnPassphraseStrength;

CairnPassphraseStrength cairn_passphrase_strength   (const char  *passphrase,
                                                     const char  *user_name,
                                                     char       **reason);
gboolean                cairn_passphrase_acceptable (const char  *passphrase,
                                                     const char  *user_name,
                                                     char       **reason);
guint                   cairn_passphrase_retry_delay (guint       failures);

G_END_DECLS
