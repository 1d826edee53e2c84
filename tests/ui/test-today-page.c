/* test-today-page.c
 *
 * The Today page in a real window, as the front desk meets it in the
 * morning: the day's arrivals in the order they come, phone check-ins
 * apart, each room's day; checking someone in and marking a no-show with
 * one click; opening an arrival to cancel it, which needs a reason; a day
 * with nobody booked; and nothing left on the page when Cairn locks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-agenda.h"
#include "cairn-appointment-dialog.h"
#include "cairn-test-utils.h"
#include "cairn-loader.h"
#include "cairn-today-page.h"
#include "cairn-window.h"

typedef struct
{
  char *ada_visit;   /* 10:30 */
  char *ben_visit;   /* 09:00 */
  char *ben_call;    /* 16:00, by phone */
} Seed;

static Seed seed;

static GTimeZone *
zone (void)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autofree char *id = cairn_database_query_text (cairn_vault_get_practice (vault),
                                                   "SELECT time_zone FROM practice", NULL, 0, NULL);

  return g_time_zone_new_identifier (id);
}

/* 1 December 2026 at @hour:@minute where the practice is. */
static gint64
at (int hour,
    int minute)
{
  g_autoptr(GTimeZone) z = zone ();
  g_autoptr(GDateTime) t = g_date_time_new (z, 2026, 12, 1, hour, minute, 0);

  return g_date_time_to_unix (t);
}

static gpointer
seed_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *room = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *ben = NULL;
  g_autofree char *other_day = NULL;

  if ((room = cairn_schedule_add_room (db, "Room 1", me, error)) == NULL ||
      (ada = cairn_test_add_patient (db, "Adaline Quell", "Ada", me, error)) == NULL ||
      (ben = cairn_test_add_patient (db, "Bruno Okafor", NULL, me, error)) == NULL ||
      (seed.ada_visit = cairn_test_book (db, ada, "screening", at (10, 30), 120, room, me, me, error)) == NULL ||
      (seed.ben_visit = cairn_test_book (db, ben, "follow-up", at (9, 0), 90, room, NULL, me, error)) == NULL ||
      (seed.ben_call = cairn_test_book (db, ben, "phone-check-in", at (16, 0), 15, NULL, me, me, error)) == NULL ||
      /* The next day: not today's. */
      (other_day = cairn_test_book (db, ada, "screening", at (10, 30) + 86400, 120, room, me, me, error)) == NULL)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gboolean
page_settled (gpointer user_data)
{
  return !cairn_today_page_get_busy (user_data) && cairn_today_page_get_items (user_data) != NULL;
}

static void
wait_settled (CairnTodayPage *page)
{
  g_assert_true (cairn_test_wait_until (page_settled, page, 5000));
}

static gboolean
dialog_ready (gpointer user_data)
{
  GtkWindow *dialog = cairn_test_find_toplevel (CAIRN_TYPE_APPOINTMENT_DIALOG);

  return dialog != NULL &&
         g_strcmp0 (cairn_appointment_dialog_get_state (CAIRN_APPOINTMENT_DIALOG (dialog)), user_data) == 0;
}

static gboolean
dialog_gone (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_APPOINTMENT_DIALOG) == NULL;
}

static char *
status_of (const char *id)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());

  return cairn_database_query_text (cairn_vault_get_practice (vault), "SELECT status FROM appointments WHERE id = ?",
                                    (const char *[]) { id }, 1, NULL);
}

static CairnTodayPage *
open_today (gboolean with_appointments)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnVault *vault;
  GtkWindow *window;
  CairnTodayPage *page;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  g_clear_pointer (&seed.ada_visit, g_free);
  g_clear_pointer (&seed.ben_visit, g_free);
  g_clear_pointer (&seed.ben_call, g_free);
  vault = cairn_test_unlock (CAIRN_ROLE_FRONT_DESK);
  if (with_appointments)
    g_assert_nonnull (cairn_test_run_job (vault, seed_job, NULL));

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "today");
  page = CAIRN_TODAY_PAGE (cairn_test_find_descendant (GTK_WIDGET (window), CAIRN_TYPE_TODAY_PAGE, NULL));
  g_assert_nonnull (page);
  wait_settled (page);
  /* The morning of 1 December. */
  cairn_today_page_set_now (page, at (8, 0));
  wait_settled (page);
  return page;
}

static GtkWidget *
row_of (CairnTodayPage *page,
        const char     *title)
{
  return cairn_test_find_row (GTK_WIDGET (page), title);
}

static void
test_day (void)
{
  CairnTodayPage *page = open_today (TRUE);
  GPtrArray *items = cairn_today_page_get_items (page);
  GtkWidget *arrivals;
  GtkWidget *first;

  /* Three today, by time; the next day's is not among them. */
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (((CairnAgendaItem *) g_ptr_array_index (items, 0))->appointment->id, ==, seed.ben_visit);
  g_assert_cmpstr (((CairnAgendaItem *) g_ptr_array_index (items, 1))->appointment->id, ==, seed.ada_visit);

  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Tuesday, 1 December"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "2 arrivals: 0 here, 2 still to come"));

  /* Arrivals in order: Bruno at 09:00 first, then Ada. */
  first = row_of (page, "Bruno Okafor");
  arrivals = gtk_widget_get_parent (first);
  g_assert_true (gtk_widget_get_first_child (arrivals) == first);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "Bruno Okafor");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_next_sibling (first))), ==,
                   "Ada");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "09:00–10:30 · Follow-up · Room 1"));

  /* The phone check-in stands apart, with no arrival to record. */
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Phone Check-ins"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "16:00–16:15 · Phone check-in"));

  /* The room's day. */
  g_assert_nonnull (row_of (page, "Room 1"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page),
                                          "09:00–10:30 Bruno Okafor · 10:30–12:30 Ada"));
}

static void
test_check_in_and_no_show (void)
{
  CairnTodayPage *page = open_today (TRUE);
  g_autofree char *ada = NULL;
  g_autofree char *ben = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "today.check-in", "s", seed.ada_visit));
  wait_settled (page);
  ada = status_of (seed.ada_visit);
  g_assert_cmpstr (ada, ==, "checked-in");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Arrived"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "2 arrivals: 1 here, 1 still to come"));

  /* The button on Bruno's row. */
  cairn_test_click (row_of (page, "Bruno Okafor"), "No-Show");
  wait_settled (page);
  ben = status_of (seed.ben_visit);
  g_assert_cmpstr (ben, ==, "no-show");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "2 arrivals: 1 here, 0 still to come"));
}

static void
test_cancel_needs_reason (void)
{
  CairnTodayPage *page = open_today (TRUE);
  GtkWidget *dialog;
  g_autofree char *status = NULL;

  gtk_widget_activate (row_of (page, "Ada"));
  g_assert_true (cairn_test_wait_until (dialog_ready, (gpointer) "ready", 5000));
  dialog = GTK_WIDGET (cairn_test_find_toplevel (CAIRN_TYPE_APPOINTMENT_DIALOG));

  cairn_test_click (dialog, "Cancel Appointment");
  g_assert_true (cairn_test_wait_until (dialog_ready, (gpointer) "invalid", 5000));
  g_assert_nonnull (cairn_test_find_text (dialog, "Write why the appointment is cancelled."));
  status = status_of (seed.ada_visit);
  g_assert_cmpstr (status, ==, "booked");

  cairn_test_type (dialog, "Reason to cancel", "Flu");
  cairn_test_click (dialog, "Cancel Appointment");
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
  wait_settled (page);
  g_clear_pointer (&status, g_free);
  status = status_of (seed.ada_visit);
  g_assert_cmpstr (status, ==, "cancelled");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Cancelled"));
  /* A cancelled appointment no longer holds its room. */
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "09:00–10:30 Bruno Okafor"));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "10:30–12:30 Ada"));
}

static void
test_empty_day (void)
{
  CairnTodayPage *page = open_today (FALSE);

  g_assert_cmpuint (cairn_today_page_get_items (page)->len, ==, 0);
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Nobody Is Booked Today"));
}

static void
test_lock_clears (void)
{
  CairnTodayPage *page = open_today (TRUE);

  cairn_application_lock (cairn_test_get_application ());
  cairn_test_iterate (50);
  g_assert_null (cairn_today_page_get_items (page));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Bruno"));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "December"));
}

/* The day cannot be read: the page says so, with Try Again, and shows none
 * of the day read before; once the fault is gone, Try Again shows it. */
static void
test_failed_read (void)
{
  CairnTodayPage *page = open_today (TRUE);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());

  g_assert_nonnull (row_of (page, "Bruno Okafor"));
  cairn_test_exec (vault, "ALTER TABLE appointments RENAME TO appointments_away");
  cairn_today_page_set_now (page, at (9, 0));
  g_assert_true (cairn_test_wait_until (cairn_test_loader_failed, page, 10000));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Today’s Appointments Could Not Be Read"));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Bruno Okafor"));

  cairn_test_exec (vault, "ALTER TABLE appointments_away RENAME TO appointments");
  cairn_test_click (GTK_WIDGET (page), "Try Again");
  wait_settled (page);
  g_assert_false (cairn_test_loader_failed (page));
  g_assert_nonnull (row_of (page, "Bruno Okafor"));
}

static char *
status_changes_of (const char *id)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());

  return cairn_database_query_text (cairn_vault_get_practice (vault),
                                    "SELECT group_concat (detail, ' ') FROM"
                                    " (SELECT detail FROM audit WHERE action = 'appointment.status' AND entity = ?"
                                    "  ORDER BY seq)",
                                    (const char *[]) { id }, 1, NULL);
}

/* A check-in or a no-show says so with Undo; Undo sets the arrival back
 * as it was, and both changes are in the audit trail. */
static void
test_undo (void)
{
  CairnTodayPage *page = open_today (TRUE);
  g_autofree char *checked_in = NULL;
  g_autofree char *booked = NULL;
  g_autofree char *changes = NULL;

  cairn_test_click (row_of (page, "Bruno Okafor"), "Check In");
  wait_settled (page);
  checked_in = status_of (seed.ben_visit);
  g_assert_cmpstr (checked_in, ==, "checked-in");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Checked in"));

  cairn_test_click (GTK_WIDGET (page), "Undo");
  wait_settled (page);
  booked = status_of (seed.ben_visit);
  g_assert_cmpstr (booked, ==, "booked");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Undone"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "2 arrivals: 0 here, 2 still to come"));
  changes = status_changes_of (seed.ben_visit);
  g_assert_cmpstr (changes, ==, "checked-in booked");

  /* The arrival can be checked in again. */
  g_assert_nonnull (cairn_test_find_text (row_of (page, "Bruno Okafor"), "Check In"));
}

static gpointer
book_over_job (CairnVault    *vault,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *room = cairn_database_query_text (db, "SELECT id FROM rooms WHERE name = 'Room 1'", NULL, 0,
                                                      error);
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();

  if (room == NULL || (a->patient_id = cairn_test_add_patient (db, "Carys Ndlovu", NULL, me, error)) == NULL)
    return NULL;
  /* In Room 1 while Bruno is there, 09:00–10:30, booked over the warning. */
  a->type_id = g_strdup ("follow-up");
  a->start = at (9, 30);
  a->end = at (10, 0);
  a->room_id = g_steal_pointer (&room);
  if (!cairn_schedule_book (db, a, 0, TRUE, "The garden room flooded", me, error))
    return NULL;
  return g_strdup (a->id);
}

/* Two arrivals booked into one room at once are both marked, at a glance;
 * the one booked apart from them is not. */
static void
test_clashes_shown (void)
{
  CairnTodayPage *page = open_today (TRUE);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autofree char *carys = cairn_test_run_job (vault, book_over_job, NULL);

  g_assert_nonnull (carys);
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Clash: the room is booked twice at this time"));
  cairn_today_page_set_now (page, at (8, 5));
  wait_settled (page);
  g_assert_nonnull (cairn_test_find_text (row_of (page, "Carys Ndlovu"), "Clash: the room is booked twice at this time"));
  g_assert_nonnull (cairn_test_find_text (row_of (page, "Bruno Okafor"), "Clash: the room is booked twice at this time"));
  g_assert_null (cairn_test_find_text (row_of (page, "Ada"), "Clash: the room is booked twice at this time"));
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/today/day", test_day);
  g_test_add_func ("/today/check-in-and-no-show", test_check_in_and_no_show);
  g_test_add_func ("/today/undo", test_undo);
  g_test_add_func ("/today/clashes-shown", test_clashes_shown);
  g_test_add_func ("/today/cancel-needs-reason", test_cancel_needs_reason);
  g_test_add_func ("/today/empty-day", test_empty_day);
  g_test_add_func ("/today/lock-clears", test_lock_clears);
  g_test_add_func ("/today/failed-read", test_failed_read);

  return cairn_test_run ();
}
