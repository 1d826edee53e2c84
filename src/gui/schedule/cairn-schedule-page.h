/* cairn-schedule-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-schedule-view.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_SCHEDULE_PAGE (cairn_schedule_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnSchedulePage, cairn_schedule_page, CAIRN, SCHEDULE_PAGE, GtkWidget)

void               cairn_schedule_page_set_context (CairnSchedulePage *self,
                                                        CairnContext      *context);
CairnScheduleView *cairn_schedule_page_get_view        (CairnSchedulePage *self);
void               cairn_schedule_page_go_to           (CairnSchedulePage *self,
                                                        const GDate       *day);
gboolean           cairn_schedule_page_get_busy        (CairnSchedulePage *self);
GtkWindow         *cairn_schedule_page_get_dialog      (CairnSchedulePage *self);
void               cairn_schedule_page_save_day_sheet  (CairnSchedulePage *self,
                                                        GFile             *file);
void               cairn_schedule_page_export_calendar (CairnSchedulePage *self,
                                                        const char        *staff_id,
                                                        gboolean           with_names,
                                                        GFile             *file);

G_END_DECLS
