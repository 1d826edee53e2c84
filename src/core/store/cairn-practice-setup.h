/* cairn-practice-setup.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"
#include "cairn-schedule.h"

G_BEGIN_DECLS

/* A day the practice is closed, and why. */
typedef struct
{
  GDate  day;
  char  *reason;      /* nullable */
} CairnClosedDay;

/* Someone who works at the practice, and the hours they work. */
typedef struct
{
  char     *id;
  char     *name;
  gboolean  clinician;
  char     *hours;    /* nullable: whenever the practice is open */
} CairnStaffMember;

void        cairn_closed_day_free             (CairnClosedDay    *closed);
void        cairn_staff_member_free           (CairnStaffMember  *member);

char       *cairn_practice_get_time_zone      (CairnDatabase     *db,
                                               GError           **error);
char       *cairn_practice_get_hours          (CairnDatabase     *db,
                                               GError           **error);

GPtrArray  *cairn_practice_list_staff         (CairnDatabase     *db,
                                               GError           **error);
char       *cairn_practice_get_staff_hours    (CairnDatabase     *db,
                                               const char        *staff_id,
                                               GError           **error);
gboolean    cairn_practice_clear_staff_hours  (CairnDatabase     *db,
                                               const char        *staff_id,
                                               const char        *user_id,
                                               GError           **error);

gboolean    cairn_practice_parse_day          (const char        *text,
                                               GDate             *day,
                                               GError           **error);
char       *cairn_practice_format_day         (const GDate       *day);
GPtrArray  *cairn_practice_list_closed_days   (CairnDatabase     *db,
                                               const GDate       *since,
                                               GError           **error);
gboolean    cairn_practice_add_closed_day     (CairnDatabase     *db,
                                               const GDate       *day,
                                               const char        *reason,
                                               const char        *user_id,
                                               GError           **error);
gboolean    cairn_practice_remove_closed_day  (CairnDatabase     *db,
                                               const GDate       *day,
                                               const char        *user_id,
                                               GError           **error);

gboolean    cairn_practice_rename_room        (CairnDatabase     *db,
                                               const char        *room_id,
                                               const char        *name,
                                               const char        *user_id,
                                               GError           **error);
gboolean    cairn_practice_archive_room       (CairnDatabase     *db,
                                               const char        *room_id,
                                               gint64             now,
                                               const char        *user_id,
                                               GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnClosedDay, cairn_closed_day_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnStaffMember, cairn_staff_member_free)

G_END_DECLS
