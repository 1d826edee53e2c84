/* cairn-keyring.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-vfs.h"

G_BEGIN_DECLS

#define CAIRN_KEYRING_ERROR (cairn_keyring_error_quark ())

typedef enum
{
  CAIRN_KEYRING_ERROR_DAMAGED,
  CAIRN_KEYRING_ERROR_NEWER,
  CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE,
  CAIRN_KEYRING_ERROR_WRONG_RECOVERY_KEY,
  CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO,
  CAIRN_KEYRING_ERROR_NO_SUCH_USER,
  CAIRN_KEYRING_ERROR_USER_EXISTS,
  CAIRN_KEYRING_ERROR_INVALID,
  CAIRN_KEYRING_ERROR_NOT_ALLOWED,
  CAIRN_KEYRING_ERROR_IO,
} CairnKeyringError;

typedef enum
{
  CAIRN_ROLE_CLINICIAN = 1,
  CAIRN_ROLE_FRONT_DESK = 2,
} CairnRole;

/* Argon2id cost. The defaults take 0.6 s here (build-aux/bench vault); tests
 * use less. */
typedef struct
{
  guint64 opslimit;
  gsize   memlimit;
} CairnKdfParams;

#define CAIRN_KDF_DEFAULT_OPSLIMIT 4
#define CAIRN_KDF_DEFAULT_MEMLIMIT (256 * 1024 * 1024)

#define CAIRN_USER_ID_BYTES 16
#define CAIRN_RECOVERY_KEY_BYTES 32

/* The database keys a slot unwraps. Lives in guarded memory. */
typedef struct
{
  guint8   practice[CAIRN_VFS_KEY_BYTES];
  guint8   clinical[CAIRN_VFS_KEY_BYTES];
  gboolean has_clinical;
} CairnVaultKeys;

typedef struct
{
  guint8     id[CAIRN_USER_ID_BYTES];
  char      *name;
  CairnRole  role;
} CairnKeyringUser;

typedef struct _CairnKeyring CairnKeyring;

GQuark            cairn_keyring_error_quark        (void);

CairnVaultKeys   *cairn_vault_keys_new             (void);
void              cairn_vault_keys_free            (CairnVaultKeys        *keys);
void              cairn_keyring_user_free          (CairnKeyringUser      *user);

CairnKeyring     *cairn_keyring_new                (CairnVaultKeys       **out_keys);
CairnKeyring     *cairn_keyring_load               (const char            *path,
                                                    GError               **error);
CairnKeyring     *cairn_keyring_parse              (const guint8          *data,
                                                    gsize                  length,
                                                    GError               **error);
GBytes           *cairn_keyring_serialize          (CairnKeyring          *self);
char             *cairn_keyring_dup_hash           (CairnKeyring          *self);
gboolean          cairn_keyring_save               (CairnKeyring          *self,
                                                    const char            *path,
                                                    GError               **error);
void              cairn_keyring_free               (CairnKeyring          *self);

const guint8     *cairn_keyring_get_practice_id    (CairnKeyring          *self);
const guint8     *cairn_keyring_get_clinical_id    (CairnKeyring          *self);
GPtrArray        *cairn_keyring_list_users         (CairnKeyring          *self);
gboolean          cairn_keyring_has_recovery       (CairnKeyring          *self);

gboolean          cairn_keyring_add_user           (CairnKeyring          *self,
                                                    const CairnVaultKeys  *keys,
                                                    const char            *name,
                                                    CairnRole              role,
                                                    const char            *passphrase,
                                                    const CairnKdfParams  *params,
                                                    CairnKeyringUser     **out_user,
                                                    GError               **error);
gboolean          cairn_keyring_remove_user        (CairnKeyring          *self,
                                                    const char            *name,
                                                    GError               **error);
CairnVaultKeys   *cairn_keyring_unlock             (CairnKeyring          *self,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    CairnKeyringUser     **out_user,
                                                    GError               **error);
gboolean          cairn_keyring_change_passphrase  (CairnKeyring          *self,
                                                    const char            *name,
                                                    const char            *old_passphrase,
                                                    const char            *new_passphrase,
                                                    const CairnKdfParams  *params,
                                                    GError               **error);

gboolean          cairn_keyring_reset_passphrase   (CairnKeyring          *self,
                                                    const CairnVaultKeys  *keys,
                                                    const char            *name,
                                                    const char            *new_passphrase,
                                                    const CairnKdfParams  *params,
                                                    GError               **error);

char             *cairn_keyring_set_recovery       (CairnKeyring          *self,
                                                    const CairnVaultKeys  *keys,
                                                    GError               **error);
CairnVaultKeys   *cairn_keyring_unlock_recovery    (CairnKeyring          *self,
                                                    const char            *recovery_key,
                                                    GError               **error);

char             *cairn_recovery_key_format        (const guint8          *key);
gboolean          cairn_recovery_key_parse         (const char            *text,
                                                    guint8                *key,
                                                    GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnKeyring, cairn_keyring_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnVaultKeys, cairn_vault_keys_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnKeyringUser, cairn_keyring_user_free)

G_END_DECLS
