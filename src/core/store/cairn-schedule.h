/* cairn-schedule.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-conflicts.h"
#include "cairn-course-planner.h"
#include "cairn-database.h"
#include "cairn-rows.h"

G_BEGIN_DECLS

#define CAIRN_SCHEDULE_ERROR (cairn_schedule_error_quark ())

typedef enum
{
  CAIRN_SCHEDULE_ERROR_INVALID,
  CAIRN_SCHEDULE_ERROR_CONFLICT,
  CAIRN_SCHEDULE_ERROR_NOT_FOUND,
} CairnScheduleError;

typedef struct
{
  char    *id;             /* NULL until booked */
  char    *patient_id;
  char    *type_id;        /* an appointment type of the protocol template */
  gint64   start;          /* UTC seconds */
  gint64   end;
  char    *room_id;
  GStrv    staff_ids;
  char    *status;         /* "booked", "checked-in", "no-show", "cancelled", "completed" */
  char    *status_reason;
  char    *course_id;
} CairnAppointment;

/* The practice's rules as the conflict engine needs them, read from the
 * vault: its zone, hours, closed days and staff hours. */
typedef struct _CairnPracticeRules CairnPracticeRules;

GQuark                    cairn_schedule_error_quark        (void);

CairnAppointment         *cairn_appointment_new             (void);
CairnAppointment         *cairn_appointment_copy            (const CairnAppointment *appointment);
CairnAppointment         *cairn_appointment_from_row        (CairnRows              *rows);
gboolean                  cairn_appointment_took_place      (const CairnAppointment *appointment,
                                                             gint64                  now);
void                      cairn_appointment_free            (CairnAppointment   *appointment);

CairnPracticeRules       *cairn_practice_rules_load         (CairnDatabase      *db,
                                                             GError            **error);
const CairnScheduleRules *cairn_practice_rules_get          (CairnPracticeRules *rules);
void                      cairn_practice_rules_free         (CairnPracticeRules *rules);

char                     *cairn_schedule_add_room           (CairnDatabase      *db,
                                                             const char         *name,
                                                             const char         *user_id,
                                                             GError            **error);
gboolean                  cairn_schedule_set_practice_hours (CairnDatabase      *db,
                                                             const char         *hours,
                                                             const char         *user_id,
                                                             GError            **error);
gboolean                  cairn_schedule_set_staff_hours    (CairnDatabase      *db,
                                                             const char         *staff_id,
                                                             const char         *hours,
                                                             const char         *user_id,
                                                             GError            **error);
gboolean                  cairn_schedule_set_closed_day     (CairnDatabase      *db,
                                                             const GDate        *day,
                                                             const char         *reason,
                                                             const char         *user_id,
                                                             GError            **error);

GPtrArray                *cairn_schedule_list               (CairnDatabase      *db,
                                                             gint64              from,
                                                             gint64              to,
                                                             GError            **error);
GPtrArray                *cairn_schedule_check              (CairnDatabase      *db,
                                                             const CairnAppointment *appointment,
                                                             guint               staff_needed,
                                                             gboolean            needs_room,
                                                             GError            **error);
char                     *cairn_schedule_describe_conflict  (CairnDatabase      *db,
                                                             const CairnConflict *conflict);
gboolean                  cairn_schedule_book               (CairnDatabase      *db,
                                                             CairnAppointment   *appointment,
                                                             guint               staff_needed,
                                                             gboolean            needs_room,
                                                             const char         *override_reason,
                                                             const char         *user_id,
                                                             GError            **error);
gboolean                  cairn_schedule_book_course        (CairnDatabase      *db,
                                                             const char         *patient_id,
                                                             GPtrArray          *items,
                                                             const char         *override_reason,
                                                             const char         *user_id,
                                                             char              **course_id_out,
                                                             GError            **error);
gboolean                  cairn_schedule_move_following     (CairnDatabase      *db,
                                                             const CairnProtocol *protocol,
                                                             const char         *appointment_id,
                                                             gint64              start,
                                                             gint64              end,
                                                             gboolean            with_followers,
                                                             const char         *override_reason,
                                                             const char         *user_id,
                                                             guint              *n_moved,
                                                             GError            **error);
int                       cairn_schedule_count_following    (CairnDatabase      *db,
                                                             const char         *appointment_id,
                                                             GError            **error);
gboolean                  cairn_schedule_set_status         (CairnDatabase      *db,
                                                             const char         *appointment_id,
                                                             const char         *status,
                                                             const char         *reason,
                                                             const char         *user_id,
                                                             GError            **error);

char                     *cairn_schedule_export_ical        (CairnDatabase      *db,
                                                             const char         *staff_id,
                                                             gint64              from,
                                                             gint64              to,
                                                             GHashTable         *type_names,
                                                             gboolean            with_names,
                                                             const char         *user_id,
                                                             GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnAppointment, cairn_appointment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPracticeRules, cairn_practice_rules_free)

G_END_DECLS
