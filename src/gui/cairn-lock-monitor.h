/* cairn-lock-monitor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CAIRN_TYPE_LOCK_MONITOR (cairn_lock_monitor_get_type ())

G_DECLARE_FINAL_TYPE (CairnLockMonitor, cairn_lock_monitor, CAIRN, LOCK_MONITOR, GObject)

typedef gint64 (*CairnClockFunc) (void);

CairnLockMonitor *cairn_lock_monitor_new          (void);
void              cairn_lock_monitor_watch        (CairnLockMonitor *self,
                                                   GtkWindow        *window);
void              cairn_lock_monitor_poke         (CairnLockMonitor *self);
void              cairn_lock_monitor_set_timeout  (CairnLockMonitor *self,
                                                   guint             seconds);
guint             cairn_lock_monitor_get_timeout  (CairnLockMonitor *self);
void              cairn_lock_monitor_set_armed    (CairnLockMonitor *self,
                                                   gboolean          armed);
void              cairn_lock_monitor_set_clock    (CairnLockMonitor *self,
                                                   CairnClockFunc    clock);
void              cairn_lock_monitor_check        (CairnLockMonitor *self);

G_END_DECLS
