/* cairn-security-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_SECURITY_PAGE (cairn_security_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnSecurityPage, cairn_security_page, CAIRN, SECURITY_PAGE, AdwPreferencesPage)

CairnSecurityPage *cairn_security_page_new (CairnContext     *context);

/* How long the vault may stay idle, as offered on the page, in minutes. */
extern const guint cairn_security_page_lock_minutes[7];

G_END_DECLS
