/* cairn-vault-private.h
 *
 * The inside of a CairnVault, for the files that implement it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-vault.h"

G_BEGIN_DECLS

#define KEYRING_NAME  "keyring"
/* A keyring change is written here, committed (its hash in practice.db),
 * then renamed over the keyring. */
#define KEYRING_PENDING_NAME "keyring.pending"
#define PRACTICE_NAME "practice.db"
#define CLINICAL_NAME "clinical.db"

struct _CairnVault
{
  GObject           parent_instance;

  char             *dir;
  CairnKeyring     *keyring;
  CairnVaultKeys   *keys;
  CairnKeyringUser *user;
  char             *user_id;
  CairnDatabase    *practice;
  CairnDatabase    *clinical;
  gboolean          unlocked; /* the unlock is in the audit trail */
  gboolean          by_recovery;

  /* Everything that touches the keys or the connections holds this: the
   * worker's jobs, the blocking calls, and locking. */
  GRecMutex         mutex;
  GThreadPool      *worker;
  /* Jobs queued by cairn_vault_run_async() whose callback has not run yet. */
  gint              jobs;
};

/* For the crash tests: called between a keyring change's commit and the
 * rename that puts it in place. */
extern void (*cairn_vault_keyring_committed_hook) (void);

char     *cairn_vault_format_user_id (const guint8 *id);
gboolean  cairn_vault_record_keyring (CairnDatabase *practice,
                                      const char    *keyring_hash,
                                      const char    *user_id,
                                      GError       **error);
gboolean  cairn_vault_sync_dir       (const char   *dir);
gboolean  cairn_vault_remove_folder  (const char   *dir);

CairnVault *cairn_vault_create_full  (const char            *dir,
                                      const char            *practice_name,
                                      const char            *time_zone,
                                      const char            *user_name,
                                      const char            *passphrase,
                                      gboolean               check_passphrase,
                                      const CairnKdfParams  *params,
                                      char                 **out_recovery_key,
                                      GError               **error);

G_END_DECLS
