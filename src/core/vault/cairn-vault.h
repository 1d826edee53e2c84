/* cairn-vault.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cairn-database.h"
#include "cairn-keyring.h"

G_BEGIN_DECLS

#define CAIRN_VAULT_ERROR (cairn_vault_error_quark ())

typedef enum
{
  CAIRN_VAULT_ERROR_EXISTS,
  CAIRN_VAULT_ERROR_NOT_FOUND,
  CAIRN_VAULT_ERROR_INVALID,
  CAIRN_VAULT_ERROR_IO,
  CAIRN_VAULT_ERROR_LOCKED,
  CAIRN_VAULT_ERROR_NOT_ALLOWED,
  CAIRN_VAULT_ERROR_DAMAGED,
  CAIRN_VAULT_ERROR_TOO_SOON,
} CairnVaultError;

/* How long the vault may sit unused before it locks itself, in seconds. */
#define CAIRN_VAULT_AUTO_LOCK_DEFAULT 300
#define CAIRN_VAULT_AUTO_LOCK_MIN     60
#define CAIRN_VAULT_AUTO_LOCK_MAX     3600

#define CAIRN_TYPE_VAULT (cairn_vault_get_type ())

G_DECLARE_FINAL_TYPE (CairnVault, cairn_vault, CAIRN, VAULT, GObject)

/**
 * CairnVaultJob:
 * @vault: the unlocked vault, whose connections the job may use
 * @data: the job's data
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Work for the vault's worker thread. Return %NULL and set @error on failure.
 * A screen's job answers something on success (its _finish reads %NULL as
 * the error it carries); %NULL without an error is for a read that may
 * find nothing.
 *
 * Returns: (nullable): the job's result
 */
typedef gpointer (*CairnVaultJob) (CairnVault    *vault,
                                   gpointer       data,
                                   GCancellable  *cancellable,
                                   GError       **error);

GQuark                  cairn_vault_error_quark         (void);

char                   *cairn_vault_default_dir         (void);
gboolean                cairn_vault_exists              (const char            *dir);
const CairnKdfParams   *cairn_vault_default_kdf_params  (void);

CairnVault             *cairn_vault_create              (const char            *dir,
                                                         const char            *practice_name,
                                                         const char            *time_zone,
                                                         const char            *user_name,
                                                         const char            *passphrase,
                                                         const CairnKdfParams  *params,
                                                         char                 **out_recovery_key,
                                                         GError               **error);
CairnVault             *cairn_vault_unlock              (const char            *dir,
                                                         const char            *user_name,
                                                         const char            *passphrase,
                                                         GError               **error);
CairnVault             *cairn_vault_unlock_with_recovery (const char           *dir,
                                                         const char            *recovery_key,
                                                         GError               **error);
void                    cairn_vault_unlock_async        (const char            *dir,
                                                         const char            *user_name,
                                                         const char            *passphrase,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
CairnVault             *cairn_vault_unlock_finish       (GAsyncResult          *result,
                                                         GError               **error);
void                    cairn_vault_unlock_with_recovery_async (const char    *dir,
                                                         const char            *recovery_key,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
CairnVault             *cairn_vault_unlock_with_recovery_finish (GAsyncResult  *result,
                                                         GError               **error);
void                    cairn_vault_create_async        (const char            *dir,
                                                         const char            *practice_name,
                                                         const char            *time_zone,
                                                         const char            *user_name,
                                                         const char            *passphrase,
                                                         const CairnKdfParams  *params,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
CairnVault             *cairn_vault_create_finish       (GAsyncResult          *result,
                                                         char                 **out_recovery_key,
                                                         GError               **error);
void                    cairn_vault_lock                (CairnVault            *self);
gboolean                cairn_vault_is_locked           (CairnVault            *self);
gboolean                cairn_vault_is_busy             (CairnVault            *self);

const char             *cairn_vault_get_dir             (CairnVault            *self);
const CairnKeyringUser *cairn_vault_get_user            (CairnVault            *self);
gboolean                cairn_vault_has_clinical        (CairnVault            *self);
CairnDatabase          *cairn_vault_get_practice        (CairnVault            *self);
CairnDatabase          *cairn_vault_get_clinical        (CairnVault            *self);
CairnDatabase          *cairn_vault_require_clinical    (CairnVault            *self,
                                                         GError               **error);
char                   *cairn_vault_get_user_id         (CairnVault            *self);

void                    cairn_vault_run_async           (CairnVault            *self,
                                                         CairnVaultJob          job,
                                                         gpointer               data,
                                                         GDestroyNotify         data_free,
                                                         GDestroyNotify         result_free,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
void                    cairn_vault_read_async          (CairnVault            *self,
                                                         CairnVaultJob          job,
                                                         gpointer               data,
                                                         GDestroyNotify         data_free,
                                                         GDestroyNotify         result_free,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gpointer                cairn_vault_run_finish          (CairnVault            *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

const char             *cairn_role_to_string            (CairnRole              role);
GPtrArray              *cairn_vault_list_users          (const char            *dir,
                                                         GError               **error);
GPtrArray              *cairn_vault_get_users           (CairnVault            *self);
gboolean                cairn_vault_add_user            (CairnVault            *self,
                                                         const char            *name,
                                                         CairnRole              role,
                                                         const char            *passphrase,
                                                         const CairnKdfParams  *params,
                                                         GError               **error);
gboolean                cairn_vault_remove_user         (CairnVault            *self,
                                                         const char            *name,
                                                         GError               **error);
gboolean                cairn_vault_change_passphrase   (CairnVault            *self,
                                                         const char            *old_passphrase,
                                                         const char            *new_passphrase,
                                                         const CairnKdfParams  *params,
                                                         GError               **error);
gboolean                cairn_vault_reset_passphrase    (CairnVault            *self,
                                                         const char            *name,
                                                         const char            *new_passphrase,
                                                         const CairnKdfParams  *params,
                                                         GError               **error);
void                    cairn_vault_reset_passphrase_async  (CairnVault          *self,
                                                             const char          *name,
                                                             const char          *new_passphrase,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean                cairn_vault_reset_passphrase_finish (CairnVault          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
gboolean                cairn_vault_get_opened_by_recovery (CairnVault         *self);
char                   *cairn_vault_regenerate_recovery_key (CairnVault        *self,
                                                         const char            *passphrase,
                                                         GError               **error);
gboolean                cairn_vault_verify_passphrase   (CairnVault            *self,
                                                         const char            *passphrase,
                                                         GError               **error);
guint                   cairn_vault_get_auto_lock_seconds (CairnVault          *self);
gboolean                cairn_vault_set_auto_lock_seconds (CairnVault          *self,
                                                         guint                  seconds,
                                                         GError               **error);
char                   *cairn_vault_get_practice_name   (CairnVault            *self);
char                   *cairn_vault_rekey               (CairnVault            *self,
                                                         const char            *passphrase,
                                                         const CairnKdfParams  *params,
                                                         GError               **error);

gboolean                cairn_vault_check               (const char            *dir,
                                                         const char            *user_name,
                                                         const char            *passphrase,
                                                         char                 **out_report,
                                                         GError               **error);

G_END_DECLS
