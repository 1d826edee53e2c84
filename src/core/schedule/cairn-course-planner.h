/* cairn-course-planner.h
 *
 * Proposes a whole course of treatment from a protocol template: every
 * preparation, medicine, integration and follow-up session and every phone
 * check-in, each placed in a free slot of the patient's therapists and a
 * room, inside the practice's and the staff's hours. Pure: it reads what
 * it is given and touches no database, so it is tested case by case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-conflicts.h"
#include "cairn-protocol.h"

G_BEGIN_DECLS

#define CAIRN_COURSE_PLAN_ERROR (cairn_course_plan_error_quark ())

typedef enum
{
  CAIRN_COURSE_PLAN_ERROR_STAFF,   /* fewer therapists than a session of the course needs */
  CAIRN_COURSE_PLAN_ERROR_ROOMS,   /* a session needs a room and no room is given */
} CairnCoursePlanError;

typedef struct
{
  const CairnProtocol      *protocol;
  const CairnScheduleRules *rules;            /* zone, hours, closed days, staff hours */
  const CairnBooking       *existing;         /* what is booked already (any patient) */
  guint                     n_existing;
  const char               *patient_id;
  const char * const       *therapist_ids;    /* NULL-terminated; items take the first ones */
  const char * const       *room_ids;         /* NULL-terminated, in order of preference */
  GDate                     start_day;        /* local target day of the first preparation */
  guint                     preferred_minute; /* local minutes after midnight to try first: 540 */
} CairnPlanRequest;

typedef struct
{
  char      *type_id;
  char      *type_name;        /* the template's name for the type, as its author wrote it */
  CairnPhase phase;
  guint      number;           /* 1-based within its type and medicine session */
  guint      medicine_session; /* the medicine session it follows: its own number for a medicine
                                * session, 0 for preparation and follow-up */
  guint      staff_needed;     /* from the type: what the conflict engine checks it against */
  gboolean   needs_room;
  gint64     start;            /* UTC seconds */
  gint64     end;
  char      *room_id;          /* NULL when the type needs none */
  GStrv      staff_ids;
  GPtrArray *conflicts;        /* of CairnConflict: empty when a free slot was found */
} CairnPlannedItem;

GQuark            cairn_course_plan_error_quark (void);

void              cairn_planned_item_free        (CairnPlannedItem       *item);
CairnPlannedItem *cairn_planned_item_copy        (const CairnPlannedItem *item);

GPtrArray        *cairn_course_plan              (const CairnPlanRequest *request,
                                                  GError                **error);
void              cairn_course_plan_recheck      (GPtrArray              *plan,
                                                  const CairnPlanRequest *request);
void              cairn_course_plan_move         (GPtrArray              *plan,
                                                  guint                   index,
                                                  gint64                  new_start,
                                                  gboolean                move_dependents,
                                                  GTimeZone              *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPlannedItem, cairn_planned_item_free)

G_END_DECLS
