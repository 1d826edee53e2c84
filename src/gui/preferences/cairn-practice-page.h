/* cairn-practice-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_PRACTICE_PAGE (cairn_practice_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnPracticePage, cairn_practice_page, CAIRN, PRACTICE_PAGE,
                      AdwPreferencesPage)

CairnPracticePage *cairn_practice_page_new      (CairnContext      *context);
gboolean           cairn_practice_page_get_busy (CairnPracticePage *self);

G_END_DECLS
