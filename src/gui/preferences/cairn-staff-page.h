/* cairn-staff-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_STAFF_PAGE (cairn_staff_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnStaffPage, cairn_staff_page, CAIRN, STAFF_PAGE, AdwPreferencesPage)

CairnStaffPage *cairn_staff_page_new      (CairnContext     *context);
gboolean        cairn_staff_page_get_busy (CairnStaffPage   *self);

G_END_DECLS
