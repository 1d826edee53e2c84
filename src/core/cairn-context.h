/* cairn-context.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cairn-protocol.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_CONTEXT (cairn_context_get_type ())

G_DECLARE_FINAL_TYPE (CairnContext, cairn_context, CAIRN, CONTEXT, GObject)

/**
 * CairnContextClock:
 * @user_data: the data given with the clock
 *
 * Returns: the time now, in seconds since the Unix epoch (UTC)
 */
typedef gint64 (*CairnContextClock) (gpointer user_data);

CairnContext  *cairn_context_new                   (const char     *vault_dir,
                                                    gboolean        demo);

const char    *cairn_context_get_vault_dir         (CairnContext   *self);
void           cairn_context_set_vault_dir         (CairnContext   *self,
                                                    const char     *dir);
gboolean       cairn_context_get_demo              (CairnContext   *self);
void           cairn_context_set_demo              (CairnContext   *self,
                                                    gboolean        demo);

CairnVault    *cairn_context_get_vault             (CairnContext   *self);
void           cairn_context_set_vault             (CairnContext   *self,
                                                    CairnVault     *vault);
void           cairn_context_lock                  (CairnContext   *self);
gboolean       cairn_context_is_unlocked           (CairnContext   *self);
gboolean       cairn_context_has_clinical          (CairnContext   *self);

guint          cairn_context_get_auto_lock_seconds (CairnContext   *self);
void           cairn_context_set_auto_lock_seconds (CairnContext   *self,
                                                    guint           seconds);

CairnProtocol *cairn_context_get_protocol          (CairnContext   *self);
void           cairn_context_reload_protocol       (CairnContext   *self);

GTimeZone     *cairn_context_get_time_zone         (CairnContext   *self);
gint64         cairn_context_get_now               (CairnContext   *self);
char          *cairn_context_dup_today             (CairnContext   *self);
void           cairn_context_set_clock             (CairnContext   *self,
                                                    CairnContextClock  clock,
                                                    gpointer        user_data,
                                                    GDestroyNotify  destroy);
void           cairn_context_day_changed           (CairnContext   *self);

G_END_DECLS
