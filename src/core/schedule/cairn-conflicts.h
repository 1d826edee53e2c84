/* cairn-conflicts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An appointment as the conflict engine sees it: who, where, when. Times
 * are UTC seconds since the epoch; an appointment is [start, end). */
typedef struct
{
  const char         *id;          /* nullable for one not yet booked */
  const char         *patient_id;  /* nullable for staff-only time */
  const char         *room_id;     /* nullable: no room */
  const char * const *staff_ids;   /* NULL-terminated, nullable */
  gint64              start;
  gint64              end;
  gboolean            cancelled;   /* cancelled ones conflict with nothing */
} CairnBooking;

/* Opening hours on one day of the week, in minutes after local midnight;
 * [open, close). A day with no interval is closed. */
typedef struct
{
  guint16 open;
  guint16 close;
} CairnHours;

#define CAIRN_MAX_HOURS_PER_DAY 4

typedef struct
{
  CairnHours hours[CAIRN_MAX_HOURS_PER_DAY];
  guint      n_hours;
} CairnDayHours;

/* A week of hours: index 1 = Monday … 7 = Sunday (GDateWeekday). */
typedef struct
{
  CairnDayHours day[8];
} CairnWeekHours;

typedef struct
{
  const char           *id;
  const char           *name;
  const CairnWeekHours *hours;     /* nullable: any time the practice is open */
} CairnStaffHours;

/* What the practice is like: its zone, its hours, its closed days, and
 * the working hours of its staff. */
typedef struct
{
  GTimeZone             *zone;
  const CairnWeekHours  *practice_hours;   /* nullable: always open */
  const GDate           *closed_days;      /* local dates */
  guint                  n_closed_days;
  const CairnStaffHours *staff;
  guint                  n_staff;
} CairnScheduleRules;

typedef enum
{
  CAIRN_CONFLICT_INVALID,             /* end before start, zero length, too long */
  CAIRN_CONFLICT_PATIENT,             /* the patient is booked elsewhere then */
  CAIRN_CONFLICT_STAFF,               /* a staff member is booked elsewhere then */
  CAIRN_CONFLICT_ROOM,                /* the room is taken then */
  CAIRN_CONFLICT_STAFFING,            /* fewer staff than the appointment needs */
  CAIRN_CONFLICT_NO_ROOM,             /* the appointment needs a room and has none */
  CAIRN_CONFLICT_CLOSED_DAY,          /* the practice is closed that day */
  CAIRN_CONFLICT_PRACTICE_HOURS,      /* outside the practice's hours */
  CAIRN_CONFLICT_STAFF_HOURS,         /* outside a staff member's hours */
} CairnConflictKind;

typedef struct
{
  CairnConflictKind kind;
  char             *other_id;  /* the appointment it clashes with, if any */
  char             *who;       /* the staff member or room concerned, if any */
} CairnConflict;

/* The longest appointment Cairn books, in seconds (a medicine session and
 * then some). */
#define CAIRN_BOOKING_MAX_SECONDS (16 * 3600)

void        cairn_conflict_free        (CairnConflict            *conflict);
GPtrArray  *cairn_conflicts_find       (const CairnBooking       *booking,
                                        const CairnBooking       *others,
                                        guint                     n_others,
                                        guint                     staff_needed,
                                        gboolean                  needs_room,
                                        const CairnScheduleRules *rules);
gboolean    cairn_week_hours_parse     (const char               *text,
                                        CairnWeekHours           *hours,
                                        GError                  **error);

G_END_DECLS
