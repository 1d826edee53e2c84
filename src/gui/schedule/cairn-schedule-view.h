/* cairn-schedule-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cairn-agenda.h"
#include "cairn-conflicts.h"
#include "cairn-protocol.h"

G_BEGIN_DECLS

/* The time grid's scale: pixels for an hour, and the width of the hours
 * down the left. */
#define CAIRN_SCHEDULE_VIEW_HOUR_HEIGHT 56
#define CAIRN_SCHEDULE_VIEW_GUTTER      56
/* Times snap to a quarter of an hour, by mouse and by keyboard alike. */
#define CAIRN_SCHEDULE_VIEW_STEP        (15 * 60)

#define CAIRN_TYPE_SCHEDULE_VIEW (cairn_schedule_view_get_type ())

G_DECLARE_FINAL_TYPE (CairnScheduleView, cairn_schedule_view, CAIRN, SCHEDULE_VIEW, GtkWidget)

GtkWidget       *cairn_schedule_view_new          (void);
void             cairn_schedule_view_set_range    (CairnScheduleView        *self,
                                                   GTimeZone                *zone,
                                                   const GDate              *first_day,
                                                   guint                     n_days);
guint            cairn_schedule_view_get_n_days   (CairnScheduleView        *self);
void             cairn_schedule_view_set_items    (CairnScheduleView        *self,
                                                   GPtrArray                *items,
                                                   GHashTable               *clashes);
GHashTable      *cairn_schedule_view_get_clashes  (CairnScheduleView        *self);
GPtrArray       *cairn_schedule_view_get_items    (CairnScheduleView        *self);
void             cairn_schedule_view_set_protocol (CairnScheduleView        *self,
                                                   CairnProtocol            *protocol);
void             cairn_schedule_view_set_rules    (CairnScheduleView        *self,
                                                   const CairnScheduleRules *rules);
void             cairn_schedule_view_set_now      (CairnScheduleView        *self,
                                                   gint64                    now);
const char      *cairn_schedule_view_get_selected (CairnScheduleView        *self);
void             cairn_schedule_view_select       (CairnScheduleView        *self,
                                                   const char               *id);
gboolean         cairn_schedule_view_locate       (CairnScheduleView        *self,
                                                   const char               *id,
                                                   graphene_rect_t          *rect);
gint64           cairn_schedule_view_time_at      (CairnScheduleView        *self,
                                                   double                    x,
                                                   double                    y);
double           cairn_schedule_view_y_for_time   (CairnScheduleView        *self,
                                                   gint64                    time);
const char      *cairn_schedule_view_get_drag_state (CairnScheduleView      *self);
void             cairn_schedule_view_clear        (CairnScheduleView        *self);

G_END_DECLS
