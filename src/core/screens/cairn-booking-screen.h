/* cairn-booking-screen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-agenda.h"
#include "cairn-course-planner.h"
#include "cairn-patients.h"
#include "cairn-schedule.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

/* How far ahead a course proposal looks at what is booked already. */
#define CAIRN_BOOKING_COURSE_SPAN_DAYS 400

/* What the booking dialog reads when it opens. */
typedef struct
{
  GPtrArray *staff;   /* CairnNamed, every member of staff */
  GPtrArray *rooms;   /* CairnNamed */
  char      *me;      /* the user's id: a new appointment is theirs */
} CairnBookingSetup;

/* What the course planner reads when it opens. */
typedef struct
{
  CairnPracticeRules *rules;
  GPtrArray          *clinicians;    /* CairnNamed: the staff who may lead a session */
  GPtrArray          *rooms;         /* CairnNamed */
  char               *patient_name;  /* preferred name, else legal name */
} CairnCourseSetup;

/* A course proposed, with what it was planned around: move a session of
 * the plan and recheck it against bookings and rules. */
typedef struct
{
  CairnPracticeRules *rules;      /* as planned with */
  GPtrArray          *existing;   /* CairnAppointment, behind bookings */
  GArray             *bookings;   /* CairnBooking, of existing */
  GPtrArray          *plan;       /* CairnPlannedItem */
} CairnCourseProposal;

void                 cairn_booking_setup_free            (CairnBookingSetup       *setup);
void                 cairn_course_setup_free             (CairnCourseSetup        *setup);
void                 cairn_course_proposal_free          (CairnCourseProposal     *proposal);

/* The booking dialog: its setup read, the check as the form is typed,
 * the patient search, and the save (or a status set). */
void                 cairn_booking_setup_async           (CairnVault              *vault,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
CairnBookingSetup   *cairn_booking_setup_finish          (CairnVault              *vault,
                                                          GAsyncResult            *result,
                                                          GError                 **error);
void                 cairn_booking_check_async           (CairnVault              *vault,
                                                          const CairnAppointment  *appointment,
                                                          guint                    staff_needed,
                                                          gboolean                 needs_room,
                                                          CairnProtocol           *protocol,
                                                          GTimeZone               *zone,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
GStrv                cairn_booking_check_finish          (CairnVault              *vault,
                                                          GAsyncResult            *result,
                                                          GError                 **error);
void                 cairn_booking_search_async          (CairnVault              *vault,
                                                          const char              *query,
                                                          guint                    limit,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
GPtrArray           *cairn_booking_search_finish         (CairnVault              *vault,
                                                          GAsyncResult            *result,
                                                          GError                 **error);
void                 cairn_booking_save_async            (CairnVault              *vault,
                                                          const CairnAppointment  *appointment,
                                                          guint                    staff_needed,
                                                          gboolean                 needs_room,
                                                          const char              *reason,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
void                 cairn_booking_set_status_async      (CairnVault              *vault,
                                                          const char              *appointment_id,
                                                          const char              *status,
                                                          const char              *reason,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
char                *cairn_booking_save_finish           (CairnVault              *vault,
                                                          GAsyncResult            *result,
                                                          GError                 **error);

/* The course planner: its setup read, the proposal, and the booking of
 * the whole course in one transaction. */
void                 cairn_course_setup_async            (CairnVault              *vault,
                                                          const char              *patient_id,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
CairnCourseSetup    *cairn_course_setup_finish           (CairnVault              *vault,
                                                          GAsyncResult            *result,
                                                          GError                 **error);
void                 cairn_course_propose_async          (CairnVault              *vault,
                                                          CairnProtocol           *protocol,
                                                          const char              *patient_id,
                                                          const char * const      *therapist_ids,
                                                          const char * const      *room_ids,
                                                          const GDate             *start_day,
                                                          guint                    preferred_minute,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
CairnCourseProposal *cairn_course_propose_finish         (CairnVault              *vault,
                                                          GAsyncResult            *result,
                                                          GError                 **error);
void                 cairn_course_book_async             (CairnVault              *vault,
                                                          const char              *patient_id,
                                                          GPtrArray               *plan,
                                                          const char              *reason,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
char                *cairn_course_book_finish            (CairnVault              *vault,
                                                          GAsyncResult            *result,
                                                          GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnBookingSetup, cairn_booking_setup_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnCourseSetup, cairn_course_setup_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnCourseProposal, cairn_course_proposal_free)

G_END_DECLS
