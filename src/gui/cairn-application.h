/* cairn-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-lock-monitor.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_APPLICATION (cairn_application_get_type ())

G_DECLARE_FINAL_TYPE (CairnApplication, cairn_application, CAIRN, APPLICATION, AdwApplication)

CairnApplication *cairn_application_new          (GApplicationFlags  flags);
GSettings        *cairn_application_get_settings (CairnApplication  *self);
CairnContext     *cairn_application_get_context  (CairnApplication  *self);
const char       *cairn_application_get_vault_dir (CairnApplication *self);
void              cairn_application_set_vault_dir (CairnApplication *self,
                                                   const char       *dir);
gboolean          cairn_application_get_demo      (CairnApplication *self);
CairnVault       *cairn_application_get_vault     (CairnApplication *self);
void              cairn_application_set_vault     (CairnApplication *self,
                                                   CairnVault       *vault);
void              cairn_application_lock          (CairnApplication *self);
CairnLockMonitor *cairn_application_get_lock_monitor (CairnApplication *self);
CairnProtocol    *cairn_application_get_protocol  (CairnApplication *self);

AdwColorScheme    cairn_color_scheme_from_nick   (const char        *nick);

G_END_DECLS
