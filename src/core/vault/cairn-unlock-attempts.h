/* cairn-unlock-attempts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CAIRN_UNLOCK_ATTEMPTS_NAME "unlock-attempts"

typedef struct
{
  gint64  at;    /* unix seconds */
  char   *what;  /* "passphrase of “Dr Ada Quell”", "recovery key", … */
} CairnUnlockAttempt;

void       cairn_unlock_attempt_free            (CairnUnlockAttempt *attempt);

void       cairn_unlock_attempts_set_clock      (gint64       unix_seconds);
gint64     cairn_unlock_attempts_now            (void);
GPtrArray *cairn_unlock_attempts_list           (const char  *dir);
gboolean   cairn_unlock_attempts_record         (const char  *dir,
                                                 const char  *what,
                                                 GError     **error);
void       cairn_unlock_attempts_clear          (const char  *dir);
guint      cairn_unlock_attempts_seconds_to_wait (const char *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnUnlockAttempt, cairn_unlock_attempt_free)

G_END_DECLS
