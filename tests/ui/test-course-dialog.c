/* test-course-dialog.c
 *
 * Planning a whole course in a real window, as the front desk would: the
 * proposal from the protocol template, every session of it booked in one
 * go under one course; moving a medicine session with the sessions that
 * follow from it; a session that cannot be placed without a clash, which
 * is booked only with a reason the audit trail keeps; and what the form
 * says about a start it cannot read or too few therapists. The patient's
 * page offers the planner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-course-dialog.h"
#include "cairn-course-planner.h"
#include "cairn-patients-page.h"
#include "cairn-schedule.h"
#include "cairn-schedule-page.h"
#include "cairn-test-utils.h"

typedef struct
{
  char *patient;
  char *second;      /* the second clinician */
} Seed;

static Seed seed;

static gpointer
seed_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *room = NULL;
  GDate closed;

  g_date_clear (&closed, 1);
  g_date_set_dmy (&closed, 27, 1, 2027);
  if (!cairn_vault_add_user (vault, "Dr Ben Okafor", CAIRN_ROLE_CLINICIAN, "copper willow signal 3",
                             &cairn_test_kdf_params, error) ||
      (seed.second = cairn_database_query_text (db, "SELECT id FROM users WHERE name = 'Dr Ben Okafor'", NULL, 0,
                                                error)) == NULL ||
      (room = cairn_schedule_add_room (db, "Room 1", me, error)) == NULL ||
      !cairn_schedule_set_practice_hours (db, "mon-sun 07:00-20:00", me, error) ||
      (seed.patient = cairn_test_add_patient (db, "Adaline Quell", "Ada", me, error)) == NULL ||
      (data != NULL && !cairn_schedule_set_closed_day (db, &closed, "Staff training", me, error)))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static char *
query (const char *sql)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());

  return cairn_database_query_text (cairn_vault_get_practice (vault), sql, NULL, 0, NULL);
}

static gboolean
state_is (gpointer user_data)
{
  GtkWindow *dialog = cairn_test_find_toplevel (CAIRN_TYPE_COURSE_DIALOG);

  return dialog != NULL && g_strcmp0 (cairn_course_dialog_get_state (CAIRN_COURSE_DIALOG (dialog)), user_data) == 0;
}

static void
wait_state (const char *state)
{
  if (!cairn_test_wait_until (state_is, (gpointer) state, 10000))
    {
      GtkWindow *dialog = cairn_test_find_toplevel (CAIRN_TYPE_COURSE_DIALOG);

      g_error ("the planner never became “%s” (it is “%s”)", state,
               dialog != NULL ? cairn_course_dialog_get_state (CAIRN_COURSE_DIALOG (dialog)) : "gone");
    }
}

static gboolean
dialog_gone (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_COURSE_DIALOG) == NULL;
}

/* A vault with two clinicians, a room and a patient; the dialog opened
 * by the front desk for her. */
static GtkWidget *
open_planner (gboolean closed_day)
{
  CairnVault *vault;
  CairnCourseDialog *dialog;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  g_clear_pointer (&seed.patient, g_free);
  g_clear_pointer (&seed.second, g_free);
  vault = cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  g_assert_nonnull (cairn_test_run_job (vault, seed_job, closed_day ? GINT_TO_POINTER (TRUE) : NULL));
  cairn_test_unlock (CAIRN_ROLE_FRONT_DESK);

  dialog = cairn_course_dialog_new (cairn_test_get_context (), seed.patient);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_state ("ready");
  return GTK_WIDGET (dialog);
}

static GPtrArray *
propose (GtkWidget  *dialog,
         const char *start)
{
  cairn_test_type (dialog, "First preparation on or after (year-month-day)", start);
  cairn_test_type (dialog, "Preferred start time (24-hour clock)", "09:00");
  g_assert_true (gtk_widget_activate_action (dialog, "course.propose", NULL));
  wait_state ("proposed");
  return cairn_course_dialog_get_plan (CAIRN_COURSE_DIALOG (dialog));
}

static const CairnPlannedItem *
find_item (GPtrArray  *plan,
           const char *type_id,
           guint       medicine_session,
           guint       number)
{
  for (guint i = 0; i < plan->len; i++)
    {
      const CairnPlannedItem *item = g_ptr_array_index (plan, i);

      if (g_strcmp0 (item->type_id, type_id) == 0 && item->number == number &&
          (medicine_session == 0 || item->medicine_session == medicine_session))
        return item;
    }
  g_error ("no %s %u.%u in the plan", type_id, medicine_session, number);
}

static void
test_propose_and_book (void)
{
  GtkWidget *dialog = open_planner (FALSE);
  GPtrArray *plan = propose (dialog, "2026-12-07");
  g_autofree char *count = NULL;
  g_autofree char *courses = NULL;
  g_autofree char *audited = NULL;

  /* The default template: 3 preparation, 3 medicine sessions, 9
   * integration sessions, 21 phone check-ins, a follow-up. */
  g_assert_cmpuint (plan->len, ==, 37);
  for (guint i = 0; i < plan->len; i++)
    g_assert_cmpuint (((CairnPlannedItem *) g_ptr_array_index (plan, i))->conflicts->len, ==, 0);
  g_assert_nonnull (cairn_test_find_text (dialog, "37 sessions, each in a free slot."));
  g_assert_nonnull (cairn_test_find_row (dialog, "Medicine session 2"));
  g_assert_nonnull (cairn_test_find_row (dialog, "Integration 2.1"));
  g_assert_nonnull (cairn_test_find_text (dialog, "Mon 7 Dec 2026, 09:00–10:30 · Room 1"));

  g_assert_true (gtk_widget_activate_action (dialog, "course.book", NULL));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 10000));
  count = query ("SELECT count(*) FROM appointments");
  g_assert_cmpstr (count, ==, "37");
  courses = query ("SELECT count(DISTINCT course_id) FROM appointments");
  g_assert_cmpstr (courses, ==, "1");
  audited = query ("SELECT count(*) FROM audit WHERE action LIKE 'appointment.book%' OR action LIKE 'course.%'");
  g_assert_cmpint (atoi (audited), >=, 1);
}

static gboolean
move_question_open (gpointer user_data)
{
  return cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* The planner's first medicine session starts at *user_data. */
static gboolean
medicine_starts_at (gpointer user_data)
{
  GtkWindow *dialog = cairn_test_find_toplevel (CAIRN_TYPE_COURSE_DIALOG);
  GPtrArray *plan = dialog != NULL ? cairn_course_dialog_get_plan (CAIRN_COURSE_DIALOG (dialog)) : NULL;

  return plan != NULL && find_item (plan, "medicine-session", 1, 1)->start == *(gint64 *) user_data;
}

static void
test_move_medicine_session (void)
{
  GtkWidget *dialog = open_planner (FALSE);
  GPtrArray *plan = propose (dialog, "2026-12-07");
  const CairnPlannedItem *medicine = find_item (plan, "medicine-session", 1, 1);
  gint64 medicine_was = medicine->start;
  gint64 integration_was = find_item (plan, "integration", 1, 1)->start;
  gint64 preparation_was = find_item (plan, "preparation", 0, 3)->start;
  GtkWindow *question;
  GtkWidget *date;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (medicine_was);
  g_autoptr(GTimeZone) berlin = NULL;
  g_autoptr(GDateTime) later = g_date_time_add_days (utc, 7);
  g_autofree char *later_text = NULL;
  GtkWidget *row, *button;

  /* The move button on the session's row. */
  row = cairn_test_find_row (dialog, "Medicine session 1");
  button = cairn_test_find_descendant (row, GTK_TYPE_BUTTON, "flat");
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (cairn_test_wait_until (move_question_open, NULL, 5000));
  question = cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (question), "Also move the"));

  {
    CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
    g_autofree char *zone = cairn_database_query_text (cairn_vault_get_practice (vault),
                                                       "SELECT time_zone FROM practice", NULL, 0, NULL);
    g_autoptr(GDateTime) local = NULL;

    berlin = g_time_zone_new_identifier (zone);
    local = g_date_time_to_timezone (later, berlin);
    later_text = g_date_time_format (local, "%Y-%m-%d");
  }
  date = cairn_test_find_descendant (GTK_WIDGET (question), GTK_TYPE_ENTRY, NULL);
  gtk_editable_set_text (GTK_EDITABLE (date), later_text);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "move");
  {
    gint64 moved_to = medicine_was + 7 * 86400;

    g_assert_true (cairn_test_wait_until (medicine_starts_at, &moved_to, 5000));
  }

  plan = cairn_course_dialog_get_plan (CAIRN_COURSE_DIALOG (dialog));
  /* A week later, and its integration with it; what came before stays. */
  g_assert_cmpint (find_item (plan, "medicine-session", 1, 1)->start, ==, medicine_was + 7 * 86400);
  g_assert_cmpint (find_item (plan, "integration", 1, 1)->start, ==, integration_was + 7 * 86400);
  g_assert_cmpint (find_item (plan, "preparation", 0, 3)->start, ==, preparation_was);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
}

static void
test_clash_needs_reason (void)
{
  /* Wednesday 27 January 2027 is closed: the daily phone check-ins after the
   * second medicine session cannot all be placed. */
  GtkWidget *dialog = open_planner (TRUE);
  GPtrArray *plan = propose (dialog, "2026-12-07");
  guint clashing = 0;
  g_autofree char *count = NULL;
  g_autofree char *reason = NULL;

  for (guint i = 0; i < plan->len; i++)
    clashing += ((CairnPlannedItem *) g_ptr_array_index (plan, i))->conflicts->len > 0;
  g_assert_cmpuint (clashing, ==, 1);
  g_assert_nonnull (cairn_test_find_text (dialog, "could not be placed without a clash"));
  g_assert_nonnull (cairn_test_find_text (dialog, "the practice is closed that day"));

  g_assert_true (gtk_widget_activate_action (dialog, "course.book", NULL));
  wait_state ("invalid");
  g_assert_nonnull (cairn_test_find_text (dialog, "Some sessions clash."));
  /* Refused before the worker: had anything gone to it, it is done now. */
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
  count = query ("SELECT count(*) FROM appointments");
  g_assert_cmpstr (count, ==, "0");

  cairn_test_type (dialog, "Reason to book the clashes anyway", "The on-call therapist phones from home");
  g_assert_true (gtk_widget_activate_action (dialog, "course.book", NULL));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 10000));
  g_clear_pointer (&count, g_free);
  count = query ("SELECT count(*) FROM appointments");
  g_assert_cmpstr (count, ==, "37");
  reason = query ("SELECT count(*) FROM audit WHERE detail LIKE '%on-call therapist%'");
  g_assert_cmpint (atoi (reason), >=, 1);
}

static void
test_bad_setup (void)
{
  GtkWidget *dialog = open_planner (FALSE);
  GtkWidget *row;

  cairn_test_type (dialog, "First preparation on or after (year-month-day)", "next week");
  g_assert_true (gtk_widget_activate_action (dialog, "course.propose", NULL));
  wait_state ("invalid");
  g_assert_nonnull (cairn_test_find_text (dialog, "Write the date as year-month-day"));
  g_assert_null (cairn_course_dialog_get_plan (CAIRN_COURSE_DIALOG (dialog)));

  /* One therapist for sessions that need two. */
  cairn_test_type (dialog, "First preparation on or after (year-month-day)", "2026-12-07");
  row = cairn_test_find_row (dialog, "Dr Ben Okafor");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cairn_test_find_descendant (row, GTK_TYPE_CHECK_BUTTON, NULL)),
                               FALSE);
  g_assert_true (gtk_widget_activate_action (dialog, "course.propose", NULL));
  wait_state ("invalid");
  g_assert_null (cairn_course_dialog_get_plan (CAIRN_COURSE_DIALOG (dialog)));
  g_assert_nonnull (cairn_test_find_text (dialog, "therapist"));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
}

static gboolean
patients_settled (gpointer user_data)
{
  return !cairn_patients_page_get_busy (user_data) &&
         g_list_model_get_n_items (cairn_patients_page_get_model (user_data)) > 0;
}

static gboolean
patient_shown (gpointer user_data)
{
  return g_strcmp0 (cairn_patients_page_get_view (user_data), "patient") == 0;
}

static gboolean
text_on_page (gpointer user_data)
{
  GtkWidget *window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (cairn_test_get_application ())));

  return window != NULL && cairn_test_find_text (window, user_data) != NULL;
}

static void
test_patient_page_offers_it (void)
{
  GtkWidget *dialog = open_planner (FALSE);
  GtkWindow *window;
  GtkWidget *page;

  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
  g_application_activate (G_APPLICATION (cairn_test_get_application ()));
  window = gtk_application_get_active_window (GTK_APPLICATION (cairn_test_get_application ()));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "patients");
  page = cairn_test_find_descendant (GTK_WIDGET (window), CAIRN_TYPE_PATIENTS_PAGE, NULL);
  g_assert_true (cairn_test_wait_until (patients_settled, page, 5000));

  /* The patient's page, with nothing booked yet, then its planner. */
  g_signal_emit_by_name (cairn_test_find_descendant (page, GTK_TYPE_LIST_VIEW, "patient-list"), "activate", 0);
  g_assert_true (cairn_test_wait_until (patient_shown, page, 5000));
  g_assert_true (cairn_test_wait_until (text_on_page, (gpointer) "None booked", 5000));
  cairn_test_click (page, "Plan Course…");
  wait_state ("ready");
  dialog = GTK_WIDGET (cairn_test_find_toplevel (CAIRN_TYPE_COURSE_DIALOG));
  g_assert_nonnull (cairn_test_find_text (dialog, "Ada · MDMA-assisted therapy (MAPP-style)"));

  /* As it offers: from next Monday at nine. */
  g_assert_true (gtk_widget_activate_action (dialog, "course.propose", NULL));
  wait_state ("proposed");
  g_assert_true (gtk_widget_activate_action (dialog, "course.book", NULL));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 10000));
  g_assert_true (cairn_test_wait_until (text_on_page, (gpointer) "37 sessions booked", 5000));

  /* The patient's page now says when she comes next. */
  {
    g_autofree char *zone_id = query ("SELECT time_zone FROM practice");
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_id);
    g_autoptr(GDateTime) now = g_date_time_new_now (zone);
    g_autoptr(GDateTime) monday = g_date_time_add_days (now, 8 - g_date_time_get_day_of_week (now));
    g_autofree char *day = g_date_time_format (monday, "%a %-d %b %Y");
    g_autofree char *next = g_strdup_printf ("%s, 09:00 · Preparation · Room 1", day);

    g_assert_true (cairn_test_wait_until (text_on_page, next, 5000));
  }
}

static gboolean
schedule_settled (gpointer user_data)
{
  return !cairn_schedule_page_get_busy (user_data) &&
         cairn_schedule_view_get_items (cairn_schedule_page_get_view (user_data)) != NULL;
}

static gint64
start_of (const char *id)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autofree char *text = cairn_database_query_text (cairn_vault_get_practice (vault),
                                                     "SELECT start_utc FROM appointments WHERE id = ?",
                                                     (const char *[]) { id }, 1, NULL);

  return g_ascii_strtoll (text, NULL, 10);
}

static gboolean
question_open (gpointer user_data)
{
  GtkWindow *dialog = cairn_schedule_page_get_dialog (user_data);

  return dialog != NULL && ADW_IS_MESSAGE_DIALOG (dialog);
}

typedef struct
{
  const char *id;
  gint64      was;
} Watch;

static gboolean
moved (gpointer user_data)
{
  Watch *watch = user_data;

  return start_of (watch->id) != watch->was;
}

/* On the Schedule page, a booked medicine session moved a day on takes
 * the sessions that follow from it along, when asked to. */
static void
test_move_with_followers (void)
{
  GtkWidget *dialog = open_planner (FALSE);
  GPtrArray *plan = propose (dialog, "2026-12-07");
  g_autofree char *medicine_id = NULL;
  g_autofree char *integration_id = NULL;
  g_autofree char *preparation_id = NULL;
  gint64 medicine_was, integration_was, preparation_was;
  GtkWindow *window;
  CairnSchedulePage *page;
  CairnScheduleView *view;
  GDate day;
  Watch watch;

  g_assert_cmpuint (plan->len, ==, 37);
  g_assert_true (gtk_widget_activate_action (dialog, "course.book", NULL));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 10000));
  medicine_id = query ("SELECT id FROM appointments WHERE type_id = 'medicine-session' ORDER BY start_utc LIMIT 1");
  integration_id = query ("SELECT id FROM appointments WHERE type_id = 'integration' ORDER BY start_utc LIMIT 1");
  preparation_id = query ("SELECT id FROM appointments WHERE type_id = 'preparation' ORDER BY start_utc DESC"
                          " LIMIT 1");
  medicine_was = start_of (medicine_id);
  integration_was = start_of (integration_id);
  preparation_was = start_of (preparation_id);

  g_application_activate (G_APPLICATION (cairn_test_get_application ()));
  window = gtk_application_get_active_window (GTK_APPLICATION (cairn_test_get_application ()));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "schedule");
  page = CAIRN_SCHEDULE_PAGE (cairn_test_find_descendant (GTK_WIDGET (window), CAIRN_TYPE_SCHEDULE_PAGE, NULL));
  view = cairn_schedule_page_get_view (page);
  g_assert_true (cairn_test_wait_until (schedule_settled, page, 5000));
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (medicine_was);
    g_autoptr(GDateTime) local = g_date_time_to_local (utc);

    g_date_clear (&day, 1);
    g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                    g_date_time_get_year (local));
  }
  cairn_schedule_page_go_to (page, &day);
  g_assert_true (cairn_test_wait_until (schedule_settled, page, 5000));
  cairn_schedule_view_select (view, medicine_id);
  g_assert_cmpstr (cairn_schedule_view_get_selected (view), ==, medicine_id);

  /* Ctrl+Right: a day on. Cairn asks about the 33 that follow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "grid.day-later", NULL));
  g_assert_true (cairn_test_wait_until (question_open, page, 5000));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (cairn_schedule_page_get_dialog (page)),
                                          "33 sessions of the course follow this medicine session"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (cairn_schedule_page_get_dialog (page)), "all");
  watch = (Watch) { medicine_id, medicine_was };
  g_assert_true (cairn_test_wait_until (moved, &watch, 10000));
  g_assert_true (cairn_test_wait_until (schedule_settled, page, 5000));

  g_assert_cmpint (start_of (medicine_id), ==, medicine_was + 86400);
  g_assert_cmpint (start_of (integration_id), ==, integration_was + 86400);
  g_assert_cmpint (start_of (preparation_id), ==, preparation_was);
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/course/propose-and-book", test_propose_and_book);
  g_test_add_func ("/course/move-medicine-session", test_move_medicine_session);
  g_test_add_func ("/course/clash-needs-reason", test_clash_needs_reason);
  g_test_add_func ("/course/bad-setup", test_bad_setup);
  g_test_add_func ("/course/move-with-followers", test_move_with_followers);
  g_test_add_func ("/course/patient-page-offers-it", test_patient_page_offers_it);

  return cairn_test_run ();
}
