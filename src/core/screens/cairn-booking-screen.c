/* cairn-booking-screen.c
 *
 * What the booking dialog and the course planner ask of the vault, as
 * _async/_finish pairs on the vault's worker.
 *
 * The booking dialog reads the staff and rooms when it opens, checks the
 * appointment as it is typed (each clash described with the appointment
 * it is with), finds the patient by name, chart number or phone, and
 * books, moves or sets the status of an appointment; a booking that
 * clashes fails with CAIRN_SCHEDULE_ERROR_CONFLICT, which the dialog
 * shows at the form.
 *
 * The course planner reads the practice's rules, its clinicians and rooms
 * and the patient's name; proposes a whole course around what is booked
 * already; and books the lot in one transaction, or nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screens"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-booking-screen.h"

void
cairn_booking_setup_free (CairnBookingSetup *setup)
{
  if (setup == NULL)
    return;
  g_clear_pointer (&setup->staff, g_ptr_array_unref);
  g_clear_pointer (&setup->rooms, g_ptr_array_unref);
  g_free (setup->me);
  g_free (setup);
}

void
cairn_course_setup_free (CairnCourseSetup *setup)
{
  if (setup == NULL)
    return;
  g_clear_pointer (&setup->rules, cairn_practice_rules_free);
  g_clear_pointer (&setup->clinicians, g_ptr_array_unref);
  g_clear_pointer (&setup->rooms, g_ptr_array_unref);
  g_free (setup->patient_name);
  g_free (setup);
}

void
cairn_course_proposal_free (CairnCourseProposal *proposal)
{
  if (proposal == NULL)
    return;
  g_clear_pointer (&proposal->plan, g_ptr_array_unref);
  g_clear_pointer (&proposal->bookings, g_array_unref);
  g_clear_pointer (&proposal->existing, g_ptr_array_unref);
  g_clear_pointer (&proposal->rules, cairn_practice_rules_free);
  g_free (proposal);
}

/* What any of the calls below carries to its job. */
typedef struct
{
  CairnAppointment *appointment;
  guint             staff_needed;
  gboolean          needs_room;
  char             *id;            /* an appointment's, or a patient's */
  char             *text;          /* a query, a status */
  char             *reason;
  guint             limit;
  CairnProtocol    *protocol;
  GTimeZone        *zone;
  GStrv             therapist_ids;
  GStrv             room_ids;
  GDate             start_day;
  guint             preferred_minute;
  GPtrArray        *plan;
} Request;

static void
request_free (Request *request)
{
  g_clear_pointer (&request->appointment, cairn_appointment_free);
  g_free (request->id);
  g_free (request->text);
  g_free (request->reason);
  g_clear_pointer (&request->protocol, cairn_protocol_unref);
  g_clear_pointer (&request->zone, g_time_zone_unref);
  g_strfreev (request->therapist_ids);
  g_strfreev (request->room_ids);
  g_clear_pointer (&request->plan, g_ptr_array_unref);
  g_free (request);
}

static gpointer save_job (CairnVault    *vault,
                          gpointer       data,
                          GCancellable  *cancellable,
                          GError       **error);
static gpointer book_job (CairnVault    *vault,
                          gpointer       data,
                          GCancellable  *cancellable,
                          GError       **error);

static void
run (CairnVault          *vault,
     CairnVaultJob        job,
     Request             *request,
     GDestroyNotify       result_free,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  /* Only writes run once nobody waits for them: the form's checks and
   * searches, asked again at each keystroke, are skipped when superseded. */
  if (job == save_job || job == book_job)
    cairn_vault_run_async (vault, job, request, (GDestroyNotify) request_free, result_free, cancellable, callback,
                           user_data);
  else
    cairn_vault_read_async (vault, job, request, (GDestroyNotify) request_free, result_free, cancellable,
                            callback, user_data);
}

/* ------------------------------------------------------------------------ */
/* The booking dialog                                                        */

static gpointer
booking_setup_job (CairnVault    *vault,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autoptr(CairnBookingSetup) setup = g_new0 (CairnBookingSetup, 1);

  setup->me = cairn_vault_get_user_id (vault);
  if ((setup->staff = cairn_agenda_list_staff (db, error)) == NULL ||
      (setup->rooms = cairn_agenda_list_rooms (db, error)) == NULL)
    return NULL;
  return g_steal_pointer (&setup);
}

/**
 * cairn_booking_setup_async:
 * @vault: an unlocked vault
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Reads the staff and rooms to book with.
 */
void
cairn_booking_setup_async (CairnVault          *vault,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  run (vault, booking_setup_job, g_new0 (Request, 1), (GDestroyNotify) cairn_booking_setup_free, cancellable,
       callback, user_data);
}

/**
 * cairn_booking_setup_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the staff and rooms, or %NULL with @error
 */
CairnBookingSetup *
cairn_booking_setup_finish (CairnVault    *vault,
                            GAsyncResult  *result,
                            GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/* A clash in words, with the appointment it is with when there is one. */
static char *
describe_clash (CairnDatabase       *db,
                const CairnConflict *conflict,
                CairnProtocol       *protocol,
                GTimeZone           *zone)
{
  g_autofree char *what = cairn_schedule_describe_conflict (db, conflict);
  g_autoptr(CairnAgendaItem) other = conflict->other_id != NULL ? cairn_agenda_get (db, conflict->other_id, NULL)
                                                                : NULL;
  const CairnAppointmentType *type;
  g_autoptr(GDateTime) from_utc = NULL;
  g_autoptr(GDateTime) to_utc = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;

  if (other == NULL)
    return g_steal_pointer (&what);
  type = cairn_protocol_find_type (protocol, other->appointment->type_id);
  from_utc = g_date_time_new_from_unix_utc (other->appointment->start);
  to_utc = g_date_time_new_from_unix_utc (other->appointment->end);
  from = g_date_time_to_timezone (from_utc, zone);
  to = g_date_time_to_timezone (to_utc, zone);
  /* TRANSLATORS: a clash and the appointment it is with, as in
   * "Room 1 is already in use then: Medicine session, 09:00–17:00, Bruno Okafor" */
  return g_strdup_printf (_("%s %s, %02d:%02d–%02d:%02d, %s"), what,
                          type != NULL ? type->name : other->appointment->type_id,
                          g_date_time_get_hour (from), g_date_time_get_minute (from),
                          g_date_time_get_hour (to), g_date_time_get_minute (to),
                          other->patient != NULL ? other->patient : _("staff time"));
}

static gpointer
check_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Request *request = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autoptr(GPtrArray) conflicts = cairn_schedule_check (db, request->appointment, request->staff_needed,
                                                         request->needs_room, error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (conflicts == NULL)
    return NULL;
  for (guint i = 0; i < conflicts->len; i++)
    {
      g_autofree char *clash = describe_clash (db, g_ptr_array_index (conflicts, i), request->protocol,
                                               request->zone);

      g_strv_builder_add (builder, clash);
    }
  return g_strv_builder_end (builder);
}

/**
 * cairn_booking_check_async:
 * @vault: an unlocked vault
 * @appointment: the appointment as the form has it (copied)
 * @staff_needed: how many therapists its kind needs
 * @needs_room: whether its kind needs a room
 * @protocol: the template, for the names of the kinds clashed with
 * @zone: the practice's zone, for the times clashed with
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Checks the appointment against the schedule and the practice's rules.
 */
void
cairn_booking_check_async (CairnVault             *vault,
                           const CairnAppointment *appointment,
                           guint                   staff_needed,
                           gboolean                needs_room,
                           CairnProtocol          *protocol,
                           GTimeZone              *zone,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data)
{
  Request *request = g_new0 (Request, 1);

  request->appointment = cairn_appointment_copy (appointment);
  request->staff_needed = staff_needed;
  request->needs_room = needs_room;
  request->protocol = cairn_protocol_ref (protocol);
  request->zone = g_time_zone_ref (zone);
  run (vault, check_job, request, (GDestroyNotify) g_strfreev, cancellable, callback, user_data);
}

/**
 * cairn_booking_check_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): each clash in words, empty when
 *   there is none; %NULL with @error when the check failed
 */
GStrv
cairn_booking_check_finish (CairnVault    *vault,
                            GAsyncResult  *result,
                            GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

static gpointer
search_job (CairnVault    *vault,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Request *request = data;

  return cairn_patients_search (cairn_vault_get_practice (vault), request->text, FALSE, request->limit, error);
}

/**
 * cairn_booking_search_async:
 * @vault: an unlocked vault
 * @query: part of a name, a chart number or a phone number
 * @limit: how many patients at most
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Finds the patients to book for; archived ones are left out.
 */
void
cairn_booking_search_async (CairnVault          *vault,
                            const char          *query,
                            guint                limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->text = g_strdup (query);
  request->limit = limit;
  run (vault, search_job, request, (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * cairn_booking_search_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable) (element-type CairnPatientSummary):
 *   the patients found, perhaps none; %NULL with @error
 */
GPtrArray *
cairn_booking_search_finish (CairnVault    *vault,
                             GAsyncResult  *result,
                             GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/* Books (or moves) the appointment, or sets its status when the request
 * carries one; answers with the appointment's id. */
static gpointer
save_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Request *request = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);

  if (request->text != NULL)
    return cairn_schedule_set_status (db, request->id, request->text, request->reason, me, error)
           ? g_strdup (request->id) : NULL;
  return cairn_schedule_book (db, request->appointment, request->staff_needed, request->needs_room,
                              request->reason, me, error)
         ? g_strdup (request->appointment->id) : NULL;
}

/**
 * cairn_booking_save_async:
 * @vault: an unlocked vault
 * @appointment: the appointment to book, or to change when it has an id (copied)
 * @staff_needed: how many therapists its kind needs
 * @needs_room: whether its kind needs a room
 * @reason: (nullable): why it goes ahead over a clash, kept in the audit trail
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * A clash with no @reason fails with %CAIRN_SCHEDULE_ERROR_CONFLICT.
 */
void
cairn_booking_save_async (CairnVault             *vault,
                          const CairnAppointment *appointment,
                          guint                   staff_needed,
                          gboolean                needs_room,
                          const char             *reason,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  Request *request = g_new0 (Request, 1);

  request->appointment = cairn_appointment_copy (appointment);
  request->staff_needed = staff_needed;
  request->needs_room = needs_room;
  request->reason = g_strdup (reason);
  run (vault, save_job, request, g_free, cancellable, callback, user_data);
}

/**
 * cairn_booking_set_status_async:
 * @vault: an unlocked vault
 * @appointment_id: the appointment
 * @status: "checked-in", "no-show" or "cancelled"
 * @reason: (nullable): why, for a cancellation
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Answered with cairn_booking_save_finish().
 */
void
cairn_booking_set_status_async (CairnVault          *vault,
                                const char          *appointment_id,
                                const char          *status,
                                const char          *reason,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->id = g_strdup (appointment_id);
  request->text = g_strdup (status);
  request->reason = g_strdup (reason);
  run (vault, save_job, request, g_free, cancellable, callback, user_data);
}

/**
 * cairn_booking_save_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the appointment's id, or %NULL with @error
 */
char *
cairn_booking_save_finish (CairnVault    *vault,
                           GAsyncResult  *result,
                           GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/* ------------------------------------------------------------------------ */
/* The course planner                                                        */

static gpointer
course_setup_job (CairnVault    *vault,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Request *request = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autoptr(CairnCourseSetup) setup = g_new0 (CairnCourseSetup, 1);
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(CairnPatient) patient = NULL;

  if ((setup->rules = cairn_practice_rules_load (db, error)) == NULL ||
      (staff = cairn_agenda_list_staff (db, error)) == NULL ||
      (setup->rooms = cairn_agenda_list_rooms (db, error)) == NULL ||
      (patient = cairn_patients_get (db, request->id, error)) == NULL)
    return NULL;
  setup->clinicians = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_named_free);
  for (guint i = 0; i < staff->len; i++)
    if (((CairnNamed *) g_ptr_array_index (staff, i))->clinician)
      g_ptr_array_add (setup->clinicians, g_ptr_array_steal_index (staff, i--));
  setup->patient_name = g_strdup (patient->preferred_name != NULL ? patient->preferred_name
                                                                  : patient->legal_name);
  return g_steal_pointer (&setup);
}

/**
 * cairn_course_setup_async:
 * @vault: an unlocked vault
 * @patient_id: whose course
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Reads the practice's rules, its clinicians and rooms, and the patient's name.
 */
void
cairn_course_setup_async (CairnVault          *vault,
                          const char          *patient_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->id = g_strdup (patient_id);
  run (vault, course_setup_job, request, (GDestroyNotify) cairn_course_setup_free, cancellable, callback,
       user_data);
}

/**
 * cairn_course_setup_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the planner starts from, or %NULL with @error
 */
CairnCourseSetup *
cairn_course_setup_finish (CairnVault    *vault,
                           GAsyncResult  *result,
                           GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/* What is booked from a little before the first day to the span's end,
 * as the planner reads it. */
static gboolean
read_bookings (CairnDatabase       *db,
               CairnCourseProposal *proposal,
               const GDate         *start_day,
               GError             **error)
{
  GTimeZone *zone = cairn_practice_rules_get (proposal->rules)->zone;
  g_autoptr(GDateTime) first = g_date_time_new (zone, g_date_get_year (start_day), g_date_get_month (start_day),
                                                g_date_get_day (start_day), 0, 0, 0);
  gint64 from = g_date_time_to_unix (first) - CAIRN_BOOKING_MAX_SECONDS;
  gint64 to = g_date_time_to_unix (first) + (gint64) CAIRN_BOOKING_COURSE_SPAN_DAYS * 86400;

  proposal->existing = cairn_schedule_list (db, from, to, error);
  if (proposal->existing == NULL)
    return FALSE;
  proposal->bookings = g_array_new (FALSE, TRUE, sizeof (CairnBooking));
  for (guint i = 0; i < proposal->existing->len; i++)
    {
      const CairnAppointment *a = g_ptr_array_index (proposal->existing, i);
      CairnBooking booking = { a->id, a->patient_id, a->room_id, (const char * const *) a->staff_ids,
                               a->start, a->end, g_strcmp0 (a->status, "cancelled") == 0 };

      g_array_append_val (proposal->bookings, booking);
    }
  return TRUE;
}

static gpointer
propose_job (CairnVault    *vault,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Request *request = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autoptr(CairnCourseProposal) proposal = g_new0 (CairnCourseProposal, 1);
  CairnPlanRequest plan;

  if ((proposal->rules = cairn_practice_rules_load (db, error)) == NULL ||
      !read_bookings (db, proposal, &request->start_day, error))
    return NULL;
  plan = (CairnPlanRequest) {
    request->protocol, cairn_practice_rules_get (proposal->rules),
    (const CairnBooking *) proposal->bookings->data, proposal->bookings->len, request->id,
    (const char * const *) request->therapist_ids, (const char * const *) request->room_ids,
    request->start_day, request->preferred_minute,
  };
  proposal->plan = cairn_course_plan (&plan, error);
  return proposal->plan != NULL ? g_steal_pointer (&proposal) : NULL;
}

/**
 * cairn_course_propose_async:
 * @vault: an unlocked vault
 * @protocol: the template to plan from
 * @patient_id: whose course
 * @therapist_ids: the therapists chosen, the first leading; NULL-terminated
 * @room_ids: the rooms chosen, in order of preference; NULL-terminated
 * @start_day: the practice's day of the first preparation
 * @preferred_minute: minutes after midnight to try first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Plans every session of the course in free slots around what is booked
 * in the next %CAIRN_BOOKING_COURSE_SPAN_DAYS days; what could not be
 * placed without a clash says why.
 */
void
cairn_course_propose_async (CairnVault          *vault,
                            CairnProtocol       *protocol,
                            const char          *patient_id,
                            const char * const  *therapist_ids,
                            const char * const  *room_ids,
                            const GDate         *start_day,
                            guint                preferred_minute,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->protocol = cairn_protocol_ref (protocol);
  request->id = g_strdup (patient_id);
  request->therapist_ids = g_strdupv ((GStrv) therapist_ids);
  request->room_ids = g_strdupv ((GStrv) room_ids);
  request->start_day = *start_day;
  request->preferred_minute = preferred_minute;
  run (vault, propose_job, request, (GDestroyNotify) cairn_course_proposal_free, cancellable, callback,
       user_data);
}

/**
 * cairn_course_propose_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the proposal, or %NULL with @error
 *   (%CAIRN_COURSE_PLAN_ERROR when too few therapists or no room are given)
 */
CairnCourseProposal *
cairn_course_propose_finish (CairnVault    *vault,
                             GAsyncResult  *result,
                             GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

static gpointer
book_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Request *request = data;
  g_autofree char *me = cairn_vault_get_user_id (vault);
  char *course_id = NULL;

  if (!cairn_schedule_book_course (cairn_vault_get_practice (vault), request->id, request->plan, request->reason,
                                   me, &course_id, error))
    return NULL;
  return course_id;
}

/**
 * cairn_course_book_async:
 * @vault: an unlocked vault
 * @patient_id: whose course
 * @plan: (element-type CairnPlannedItem): the sessions to book (copied)
 * @reason: (nullable): why sessions that clash go ahead, kept in the audit trail
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Books every session in one transaction, or none: a clash with no
 * @reason fails with %CAIRN_SCHEDULE_ERROR_CONFLICT.
 */
void
cairn_course_book_async (CairnVault          *vault,
                         const char          *patient_id,
                         GPtrArray           *plan,
                         const char          *reason,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  request->id = g_strdup (patient_id);
  request->plan = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_planned_item_free);
  for (guint i = 0; i < plan->len; i++)
    g_ptr_array_add (request->plan, cairn_planned_item_copy (g_ptr_array_index (plan, i)));
  request->reason = g_strdup (reason);
  run (vault, book_job, request, g_free, cancellable, callback, user_data);
}

/**
 * cairn_course_book_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new course's id, or %NULL with @error
 */
char *
cairn_course_book_finish (CairnVault    *vault,
                          GAsyncResult  *result,
                          GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}
