/* cairn-loader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-vault.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_LOADER (cairn_loader_get_type ())

G_DECLARE_FINAL_TYPE (CairnLoader, cairn_loader, CAIRN, LOADER, GtkWidget)

/**
 * CairnLoaderRead:
 * @vault: the unlocked vault
 * @request: what to read (the loader's copy; do not keep it)
 * @now: the time now, seconds since the Unix epoch
 * @error: return location for a #GError
 *
 * A screen's read, run on the vault's worker: one core call.
 *
 * Returns: (transfer full) (nullable): what the screen shows
 */
typedef gpointer (*CairnLoaderRead) (CairnVault     *vault,
                                     gconstpointer   request,
                                     gint64          now,
                                     GError        **error);

/**
 * CairnLoaderShow:
 * @user_data: the data given with the callback
 * @result: (transfer full): what the read returned
 *
 * Shows what was read. Called on the main thread, only for the latest
 * request, and never once the vault has locked or the loader was cleared.
 */
typedef void (*CairnLoaderShow) (gpointer user_data,
                                 gpointer result);

void        cairn_loader_setup       (CairnLoader      *self,
                                      CairnLoaderRead   read,
                                      GBoxedCopyFunc    request_copy,
                                      GDestroyNotify    request_free,
                                      GDestroyNotify    result_free,
                                      CairnLoaderShow   show,
                                      gpointer          user_data);
void        cairn_loader_load        (CairnLoader      *self,
                                      CairnVault       *vault,
                                      gconstpointer     request);
void        cairn_loader_reload      (CairnLoader      *self);
void        cairn_loader_change      (CairnLoader      *self,
                                      gconstpointer     request);
void        cairn_loader_clear       (CairnLoader      *self);
void        cairn_loader_set_now     (CairnLoader      *self,
                                      gint64            now);

GtkWidget  *cairn_loader_get_child   (CairnLoader      *self);
void        cairn_loader_set_child   (CairnLoader      *self,
                                      GtkWidget        *child);
gboolean    cairn_loader_get_busy    (CairnLoader      *self);
gboolean    cairn_loader_get_failed  (CairnLoader      *self);
const char *cairn_loader_get_title   (CairnLoader      *self);
void        cairn_loader_set_title   (CairnLoader      *self,
                                      const char       *title);

G_END_DECLS
