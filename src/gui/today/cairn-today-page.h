/* cairn-today-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_TODAY_PAGE (cairn_today_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnTodayPage, cairn_today_page, CAIRN, TODAY_PAGE, GtkWidget)

void       cairn_today_page_set_context (CairnTodayPage   *self,
                                             CairnContext     *context);
void       cairn_today_page_set_now         (CairnTodayPage   *self,
                                             gint64            now);
gboolean   cairn_today_page_get_busy        (CairnTodayPage   *self);
GPtrArray *cairn_today_page_get_items       (CairnTodayPage   *self);

G_END_DECLS
