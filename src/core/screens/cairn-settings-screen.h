/* cairn-settings-screen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-practice-setup.h"
#include "cairn-protocols.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* Preferences → Staff                                                       */

/* Everyone who works at the practice, read in one go. */
typedef struct
{
  GPtrArray *staff;     /* CairnStaffMember, as cairn_practice_list_staff() orders them */
} CairnStaffScreen;

CairnStaffScreen    *cairn_staff_screen_load              (CairnVault           *vault,
                                                           GError              **error);
void                 cairn_staff_screen_free              (CairnStaffScreen     *screen);
void                 cairn_staff_screen_load_async        (CairnVault           *vault,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
CairnStaffScreen    *cairn_staff_screen_load_finish       (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* hours NULL: whenever the practice is open again. */
void                 cairn_staff_set_hours_async          (CairnVault           *vault,
                                                           const char           *staff_id,
                                                           const char           *hours,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             cairn_staff_set_hours_finish         (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* ------------------------------------------------------------------------ */
/* Preferences → Practice                                                    */

/* What the Practice page shows, read in one go. */
typedef struct
{
  char      *name;
  char      *zone;      /* the practice's time zone, as given when the vault was made */
  char      *hours;     /* the opening hours, as typed */
  GPtrArray *rooms;     /* CairnNamed, the rooms not archived */
  GPtrArray *closed;    /* CairnClosedDay, from today on */
  GDate      today;     /* in the practice's zone */
} CairnPracticeScreen;

CairnPracticeScreen *cairn_practice_screen_load           (CairnVault           *vault,
                                                           gint64                now,
                                                           GError              **error);
void                 cairn_practice_screen_free           (CairnPracticeScreen  *screen);
void                 cairn_practice_screen_load_async     (CairnVault           *vault,
                                                           gint64                now,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
CairnPracticeScreen *cairn_practice_screen_load_finish    (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* The page's writes, each answered with cairn_practice_change_finish(). */
void                 cairn_practice_set_hours_async       (CairnVault           *vault,
                                                           const char           *hours,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_practice_add_room_async        (CairnVault           *vault,
                                                           const char           *name,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_practice_rename_room_async     (CairnVault           *vault,
                                                           const char           *room_id,
                                                           const char           *name,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_practice_archive_room_async    (CairnVault           *vault,
                                                           const char           *room_id,
                                                           gint64                now,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_practice_close_day_async       (CairnVault           *vault,
                                                           const GDate          *day,
                                                           const char           *reason,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_practice_open_day_async        (CairnVault           *vault,
                                                           const GDate          *day,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             cairn_practice_change_finish         (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* ------------------------------------------------------------------------ */
/* Preferences → Security                                                    */

/* Each runs Argon2id with params (%NULL: the real cost) on the vault's
 * worker; all but the two that make a key answer with
 * cairn_security_change_finish(). */
void                 cairn_security_change_passphrase_async (CairnVault         *vault,
                                                           const char           *old_passphrase,
                                                           const char           *new_passphrase,
                                                           const CairnKdfParams *params,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_security_add_user_async        (CairnVault           *vault,
                                                           const char           *name,
                                                           CairnRole             role,
                                                           const char           *passphrase,
                                                           const CairnKdfParams *params,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_security_remove_user_async     (CairnVault           *vault,
                                                           const char           *name,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_security_set_auto_lock_async   (CairnVault           *vault,
                                                           guint                 seconds,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             cairn_security_change_finish         (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* These two answer with the new recovery key, with cairn_security_key_finish(). */
void                 cairn_security_recovery_key_async    (CairnVault           *vault,
                                                           const char           *passphrase,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_security_rekey_async           (CairnVault           *vault,
                                                           const char           *passphrase,
                                                           const CairnKdfParams *params,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
char                *cairn_security_key_finish            (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* ------------------------------------------------------------------------ */
/* Preferences → Protocols, and the template editor: clinicians only        */

/* The templates the practice may work with, read in one go. */
typedef struct
{
  GPtrArray *templates;   /* CairnProtocolInfo */
} CairnProtocolsScreen;

CairnProtocolsScreen *cairn_protocols_screen_load         (CairnVault           *vault,
                                                           GError              **error);
void                 cairn_protocols_screen_free          (CairnProtocolsScreen *screen);
void                 cairn_protocols_screen_load_async    (CairnVault           *vault,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
CairnProtocolsScreen *cairn_protocols_screen_load_finish  (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* Use and archive answer with cairn_protocols_change_finish(); duplicate
 * with cairn_protocols_duplicate_finish() (the copy's id). */
void                 cairn_protocols_use_async            (CairnVault           *vault,
                                                           const char           *id,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_protocols_archive_async        (CairnVault           *vault,
                                                           const char           *id,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             cairn_protocols_change_finish        (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                 cairn_protocols_duplicate_async      (CairnVault           *vault,
                                                           const char           *id,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
char                *cairn_protocols_duplicate_finish     (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* A template to edit or export; an imported file's template, as it now
 * is (its id the practice's own): both answer with
 * cairn_protocols_template_finish(). */
void                 cairn_protocols_open_async           (CairnVault           *vault,
                                                           const char           *id,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                 cairn_protocols_import_async         (CairnVault           *vault,
                                                           GFile                *file,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
CairnProtocol       *cairn_protocols_template_finish      (CairnVault           *vault,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* Writes protocol to file, replacing it; answered with
 * cairn_protocols_change_finish(). */
void                 cairn_protocols_export_async         (CairnVault           *vault,
                                                           CairnProtocol        *protocol,
                                                           GFile                *file,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* The editor's: a template of the practice's own, as JSON; answered with
 * cairn_protocols_change_finish(). */
void                 cairn_protocols_save_async           (CairnVault           *vault,
                                                           const char           *json,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnStaffScreen, cairn_staff_screen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPracticeScreen, cairn_practice_screen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnProtocolsScreen, cairn_protocols_screen_free)

G_END_DECLS
