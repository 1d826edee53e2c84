/* cairn-today-screen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-agenda.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

/* What the Today page shows, read in one go: the practice's day. */
typedef struct
{
  GTimeZone *zone;     /* the practice's */
  gint64     start;    /* the day's midnight, and the next one, UTC seconds */
  gint64     end;
  GPtrArray *items;    /* CairnAgendaItem: the day's appointments, by start */
  GPtrArray *rooms;    /* CairnNamed: the rooms in use */
  GHashTable *clashes; /* of items booked over one another: id → CairnConflictKind */
} CairnTodayScreen;

CairnTodayScreen *cairn_today_screen_load (CairnVault        *vault,
                                           gint64             now,
                                           GError           **error);
void              cairn_today_screen_free (CairnTodayScreen  *screen);

/* An arrival checked in ("checked-in") or marked a no-show ("no-show"),
 * one transaction with its audit entry on the vault's worker. */
void              cairn_today_set_status_async  (CairnVault          *vault,
                                                 const char          *appointment_id,
                                                 const char          *status,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean          cairn_today_set_status_finish (CairnVault          *vault,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnTodayScreen, cairn_today_screen_free)

G_END_DECLS
