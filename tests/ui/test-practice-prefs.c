/* test-practice-prefs.c
 *
 * Preferences → Practice and Staff, driven as a person would: the practice's
 * name and zone shown, opening hours saved or refused with the parser's
 * message (and then nothing stored), rooms added, renamed and archived (and
 * archiving refused while a booking is still to come), closed days added
 * and removed (a mistyped date said so), a staff member's own hours set
 * and cleared, the front desk seeing both pages, and the window closing
 * when Cairn locks. What was stored is read back through the core, on the
 * vault's worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-practice-page.h"
#include "cairn-practice-setup.h"
#include "cairn-preferences-window.h"
#include "cairn-staff-page.h"
#include "cairn-test-utils.h"
#include "cairn-window.h"

/* ------------------------------------------------------------------------ */
/* Finding and waiting                                                       */

static GtkWidget *
find_titled_row (GtkWidget  *root,
                 const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_titled_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_group (GtkWidget  *root,
            const char *title)
{
  if (ADW_IS_PREFERENCES_GROUP (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_group (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_icon_button (GtkWidget  *root,
                  const char *icon_name)
{
  if (GTK_IS_BUTTON (root) &&
      g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), icon_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_icon_button (child, icon_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Shown;

static gboolean
text_shown (gpointer user_data)
{
  Shown *shown = user_data;

  return cairn_test_find_text (shown->root, shown->text) != NULL;
}

static gboolean
text_gone (gpointer user_data)
{
  return !text_shown (user_data);
}

static void
assert_text_soon (GtkWidget  *root,
                  const char *text)
{
  Shown shown = { root, text };

  if (!cairn_test_wait_until (text_shown, &shown, 5000))
    g_error ("“%s” never appeared", text);
}

static gboolean
row_shown (gpointer user_data)
{
  Shown *shown = user_data;

  return find_titled_row (shown->root, shown->text) != NULL;
}

static gboolean
row_gone (gpointer user_data)
{
  return !row_shown (user_data);
}

static void
assert_row_soon (GtkWidget  *root,
                 const char *title)
{
  Shown shown = { root, title };

  if (!cairn_test_wait_until (row_shown, &shown, 5000))
    g_error ("No row “%s” appeared", title);
}

static void
assert_row_gone_soon (GtkWidget  *root,
                      const char *title)
{
  Shown shown = { root, title };

  if (!cairn_test_wait_until (row_gone, &shown, 5000))
    g_error ("The row “%s” stayed", title);
}

/* Shown, and done reading what it shows. */
static gboolean
page_ready (gpointer user_data)
{
  if (!gtk_widget_get_mapped (user_data))
    return FALSE;
  return CAIRN_IS_PRACTICE_PAGE (user_data) ? !cairn_practice_page_get_busy (user_data)
                                            : !cairn_staff_page_get_busy (user_data);
}

static void
show_page (GtkWidget  *preferences,
           const char *page_name)
{
  gboolean staff = g_strcmp0 (page_name, "staff") == 0;
  GType type = staff ? CAIRN_TYPE_STAFF_PAGE : CAIRN_TYPE_PRACTICE_PAGE;
  GtkWidget *page = cairn_test_find_descendant (preferences, type, NULL);

  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), page_name);
  g_assert_true (cairn_test_wait_until (page_ready, page, 5000));
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
}

/* Opens the preferences as @role on @page_name, once it has read the vault. */
static GtkWidget *
open_preferences (CairnRole   role,
                  const char *page_name)
{
  CairnApplication *app = cairn_test_get_application ();
  GtkWindow *window;
  GtkWindow *preferences;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  cairn_test_unlock (role);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL);
  preferences = cairn_test_wait_for_toplevel (CAIRN_TYPE_PREFERENCES_WINDOW);
  show_page (GTK_WIDGET (preferences), page_name);
  return GTK_WIDGET (preferences);
}

static void
apply (GtkWidget  *root,
       const char *title,
       const char *text)
{
  cairn_test_type (root, title, text);
  g_signal_emit_by_name (cairn_test_find_row (root, title), "apply");
}

static const char *
row_text (GtkWidget  *root,
          const char *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (cairn_test_find_row (root, title)));
}

/* Answers a question as its button would: the answer, and it closes. */
static void
answer (GtkWindow  *dialog,
        const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
}

/* Clicks the bin by the row called @title. */
static void
click_bin (GtkWidget  *root,
           const char *title)
{
  GtkWidget *bin = find_icon_button (cairn_test_find_row (root, title), "user-trash-symbolic");

  g_assert_nonnull (bin);
  g_signal_emit_by_name (bin, "clicked");
}

static CairnVault *
vault (void)
{
  return cairn_application_get_vault (cairn_test_get_application ());
}

/* ------------------------------------------------------------------------ */
/* Reading back through the core, on the vault's worker                      */

static gpointer
hours_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return cairn_practice_get_hours (cairn_vault_get_practice (vault), error);
}

static gpointer
staff_hours_job (CairnVault    *vault,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *id = cairn_database_query_text (db, "SELECT id FROM users WHERE name = ?",
                                                   (const char *[]) { data }, 1, error);

  return id != NULL ? cairn_practice_get_staff_hours (db, id, error) : NULL;
}

/* The names of the rooms in use, "|"-separated, or "" */
static gpointer
rooms_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return cairn_database_query_text (cairn_vault_get_practice (vault),
                                    "SELECT coalesce (group_concat (name, '|'), '') FROM"
                                    " (SELECT name FROM rooms WHERE archived_at IS NULL"
                                    "  ORDER BY name)", NULL, 0, error);
}

/* A patient booked in the room called @data, two days from now. */
static gpointer
book_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *room = NULL;
  g_autofree char *patient = NULL;
  gint64 start = (g_get_real_time () / G_USEC_PER_SEC / 3600 + 48) * 3600;

  if (!cairn_schedule_set_practice_hours (db, "mon-sun 00:00-24:00", me, error))
    return NULL;
  room = cairn_database_query_text (db, "SELECT id FROM rooms WHERE name = ?"
                                    " AND archived_at IS NULL", (const char *[]) { data }, 1,
                                    error);
  patient = cairn_test_add_patient (db, "Carmen Delgado", "Mina", me, error);
  if (room == NULL || patient == NULL)
    return NULL;
  return cairn_test_book (db, patient, "integration", start, 60, room, me, me, error);
}

static gpointer
cancel_job (CairnVault    *vault,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);

  return cairn_schedule_set_status (db, data, "cancelled", "Moved online", me, error)
         ? GINT_TO_POINTER (TRUE) : NULL;
}

/* The closed days from @data (a GDate) on, as "YYYY-MM-DD reason|…" */
static gpointer
closed_job (CairnVault    *vault,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autoptr(GPtrArray) days = cairn_practice_list_closed_days (db, data, error);
  GString *text;

  if (days == NULL)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < days->len; i++)
    {
      CairnClosedDay *closed = g_ptr_array_index (days, i);
      char day[16];

      g_date_strftime (day, sizeof day, "%Y-%m-%d", &closed->day);
      g_string_append_printf (text, "%s%s %s", i > 0 ? "|" : "", day,
                              closed->reason != NULL ? closed->reason : "");
    }
  return g_string_free (text, FALSE);
}

static gboolean
stored_hours_are (gpointer user_data)
{
  g_autofree char *hours = cairn_test_run_job (vault (), hours_job, NULL);

  return g_strcmp0 (hours, user_data) == 0;
}

/* ------------------------------------------------------------------------ */

static void
test_practice_shown (void)
{
  GtkWidget *preferences = open_preferences (CAIRN_ROLE_CLINICIAN, "practice");

  g_assert_nonnull (cairn_test_find_text (preferences, "Quell Practice"));
  g_assert_nonnull (cairn_test_find_text (preferences, "Europe/Berlin"));
  g_assert_cmpstr (row_text (preferences, "Opening hours"), ==,
                   "mon-fri 08:00-18:00");
  /* No rooms yet: the group says how to add one. */
  g_assert_nonnull (cairn_test_find_text (preferences, "No rooms yet."));
  g_assert_nonnull (cairn_test_find_text (preferences, "No closed days ahead."));
  cairn_test_remove_vault ();
}

static void
test_opening_hours (void)
{
  GtkWidget *preferences = open_preferences (CAIRN_ROLE_CLINICIAN, "practice");
  GtkWidget *hours_row = cairn_test_find_row (preferences, "Opening hours");
  g_autofree char *stored = NULL;

  /* A mistake is said under the row, in the parser's words, and nothing is stored. */
  apply (preferences, "Opening hours", "mon-fry 08:00-18:00");
  g_assert_nonnull (cairn_test_find_text (preferences,
                                          "“mon-fry 08:00-18:00”: days are written mon, tue"));
  g_assert_true (gtk_widget_has_css_class (hours_row, "error"));
  stored = cairn_test_run_job (vault (), hours_job, NULL);
  g_assert_cmpstr (stored, ==, "mon-fri 08:00-18:00");
  g_clear_pointer (&stored, g_free);

  apply (preferences, "Opening hours", "mon-fri 18:00-08:00");
  g_assert_nonnull (cairn_test_find_text (preferences, "the hours end before they begin"));
  apply (preferences, "Opening hours", "  ");
  g_assert_nonnull (cairn_test_find_text (preferences, "Enter the opening hours"));
  stored = cairn_test_run_job (vault (), hours_job, NULL);
  g_assert_cmpstr (stored, ==, "mon-fri 08:00-18:00");
  g_clear_pointer (&stored, g_free);

  /* Typing again takes the message away. */
  cairn_test_type (preferences, "Opening hours", "mon-fri 08:00-18:00; sat 09:00-13:00");
  g_assert_null (cairn_test_find_text (preferences, "Enter the opening hours"));
  g_assert_false (gtk_widget_has_css_class (hours_row, "error"));
  g_signal_emit_by_name (cairn_test_find_row (preferences, "Opening hours"), "apply");
  assert_text_soon (preferences, "Opening hours saved");
  g_assert_true (cairn_test_wait_until (stored_hours_are,
                                        (gpointer) "mon-fri 08:00-18:00; sat 09:00-13:00", 5000));
  cairn_test_remove_vault ();
}

static void
test_rooms (void)
{
  GtkWidget *preferences = open_preferences (CAIRN_ROLE_CLINICIAN, "practice");
  GtkWidget *row;
  GtkWidget *rename;
  GtkWindow *dialog;
  g_autofree char *rooms = NULL;
  g_autofree char *booking = NULL;
  Shown empty = { preferences, "No rooms yet." };

  apply (preferences, "Add room", "Room 1");
  assert_row_soon (preferences, "Room 1");
  g_assert_true (cairn_test_wait_until (text_gone, &empty, 1000));
  g_assert_cmpstr (row_text (preferences, "Add room"), ==, "");
  apply (preferences, "Add room", "Garden Room");
  assert_row_soon (preferences, "Garden Room");

  /* A name in use, in any case, is refused by the vault. */
  apply (preferences, "Add room", "room 1");
  assert_text_soon (preferences, "There is already a room called “room 1”.");

  /* Renaming, in the popover by the row. */
  row = cairn_test_find_row (preferences, "Room 1");
  rename = cairn_test_find_descendant (row, GTK_TYPE_MENU_BUTTON, NULL);
  gtk_menu_button_popup (GTK_MENU_BUTTON (rename));
  assert_row_soon (preferences, "New name");
  g_assert_cmpstr (row_text (preferences, "New name"), ==,
                   "Room 1");
  apply (preferences, "New name", "garden room");
  assert_text_soon (preferences, "There is already a room called “garden room”.");
  apply (preferences, "New name", "Quiet Room");
  assert_row_soon (preferences, "Quiet Room");
  assert_row_gone_soon (preferences, "Room 1");
  rooms = cairn_test_run_job (vault (), rooms_job, NULL);
  g_assert_cmpstr (rooms, ==, "Garden Room|Quiet Room");
  g_clear_pointer (&rooms, g_free);

  /* Archiving asks first; with a booking still to come it is refused, saying how many. */
  booking = cairn_test_run_job (vault (), book_job, (gpointer) "Quiet Room");
  g_assert_nonnull (booking);
  click_bin (preferences, "Quiet Room");
  dialog = cairn_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  answer (dialog, "cancel");
  cairn_test_wait_idle (vault ());
  g_assert_nonnull (cairn_test_find_row (preferences, "Quiet Room"));
  rooms = cairn_test_run_job (vault (), rooms_job, NULL);
  g_assert_cmpstr (rooms, ==, "Garden Room|Quiet Room");
  g_clear_pointer (&rooms, g_free);

  click_bin (preferences, "Quiet Room");
  dialog = cairn_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  answer (dialog, "archive");
  assert_text_soon (preferences, "“Quiet Room” still has 1 appointment booked from now on.");
  g_assert_nonnull (cairn_test_find_row (preferences, "Quiet Room"));

  /* With the booking cancelled, it goes. */
  cairn_test_run_job (vault (), cancel_job, booking);
  click_bin (preferences, "Quiet Room");
  dialog = cairn_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  answer (dialog, "archive");
  assert_row_gone_soon (preferences, "Quiet Room");
  assert_text_soon (preferences, "“Quiet Room” archived");
  g_assert_null (cairn_test_find_text (preferences, "still has"));
  rooms = cairn_test_run_job (vault (), rooms_job, NULL);
  g_assert_cmpstr (rooms, ==, "Garden Room");
  cairn_test_remove_vault ();
}

static void
test_closed_days (void)
{
  GtkWidget *preferences = open_preferences (CAIRN_ROLE_CLINICIAN, "practice");
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 30);
  g_autofree char *typed = g_date_time_format (later, "%Y-%m-%d");
  g_autofree char *shown = NULL;
  g_autofree char *title = NULL;
  g_autofree char *stored = NULL;
  GDate today;
  GDate day;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  g_assert_true (cairn_practice_parse_day (typed, &day, NULL));
  shown = cairn_practice_format_day (&day);
  title = g_strdup_printf ("%s — Team retreat", shown);

  /* Dates that cannot be closed are said so under the rows. */
  cairn_test_click (preferences, "Close Day");
  g_assert_nonnull (cairn_test_find_text (preferences, "Enter the date, such as 2026-12-24."));
  cairn_test_type (preferences, "Date (year-month-day)", "24.12.2026");
  g_assert_null (cairn_test_find_text (preferences, "Enter the date"));
  cairn_test_click (preferences, "Close Day");
  g_assert_nonnull (cairn_test_find_text (preferences, "Write the date as year-month-day"));
  cairn_test_type (preferences, "Date (year-month-day)", "2031-02-30");
  cairn_test_click (preferences, "Close Day");
  g_assert_nonnull (cairn_test_find_text (preferences, "There is no such day as 2031-02-30."));
  cairn_test_type (preferences, "Date (year-month-day)", "2020-01-01");
  cairn_test_click (preferences, "Close Day");
  g_assert_nonnull (cairn_test_find_text (preferences, "has passed"));
  stored = cairn_test_run_job (vault (), closed_job, NULL);
  g_assert_cmpstr (stored, ==, "");
  g_clear_pointer (&stored, g_free);

  cairn_test_type (preferences, "Date (year-month-day)", typed);
  cairn_test_type (preferences, "Reason (optional)", "Team retreat");
  cairn_test_click (preferences, "Close Day");
  assert_row_soon (preferences, title);
  g_assert_cmpstr (row_text (preferences, "Date (year-month-day)"),
                   ==, "");
  stored = cairn_test_run_job (vault (), closed_job, &today);
  g_assert_cmpstr (g_strrstr (stored, "Team retreat"), !=, NULL);
  g_clear_pointer (&stored, g_free);

  /* The same day again is refused by the vault. */
  cairn_test_type (preferences, "Date (year-month-day)", typed);
  cairn_test_click (preferences, "Close Day");
  assert_text_soon (preferences, "The practice is already closed on");

  /* Removed, and put back from the toast. */
  click_bin (preferences, title);
  assert_row_gone_soon (preferences, title);
  stored = cairn_test_run_job (vault (), closed_job, &today);
  g_assert_cmpstr (stored, ==, "");
  g_clear_pointer (&stored, g_free);
  assert_text_soon (preferences, "The practice is open again on");
  cairn_test_click (preferences, "Undo");
  assert_row_soon (preferences, title);
  stored = cairn_test_run_job (vault (), closed_job, &today);
  g_assert_cmpstr (g_strrstr (stored, "Team retreat"), !=, NULL);
  cairn_test_remove_vault ();
}

static gboolean
stored_staff_hours_are (gpointer user_data)
{
  g_autofree char *hours = NULL;

  hours = cairn_test_run_job (vault (), staff_hours_job, (gpointer) CAIRN_TEST_DESK);

  return g_strcmp0 (hours, user_data) == 0;
}

static void
test_staff_hours (void)
{
  GtkWidget *preferences = open_preferences (CAIRN_ROLE_CLINICIAN, "staff");
  GtkWidget *desk = find_group (preferences, CAIRN_TEST_DESK);
  GtkWidget *clinician = find_group (preferences, CAIRN_TEST_CLINICIAN);
  GtkWidget *clear;

  g_assert_nonnull (desk);
  g_assert_nonnull (clinician);
  g_assert_nonnull (cairn_test_find_text (clinician,
                                          "Clinician · works whenever the practice is open"));
  g_assert_nonnull (cairn_test_find_text (desk,
                                          "Front desk · works whenever the practice is open"));
  g_assert_cmpstr (row_text (desk, "Working hours"), ==, "");

  apply (desk, "Working hours", "mon,wed 09:00-25:00");
  g_assert_nonnull (cairn_test_find_text (desk, "hours are written HH:MM-HH:MM"));
  g_assert_null (cairn_test_find_text (clinician, "hours are written"));
  g_assert_true (stored_staff_hours_are (NULL));

  apply (desk, "Working hours", "mon,wed 09:00-17:00");
  assert_text_soon (preferences, "Working hours of Front Desk saved");
  g_assert_true (cairn_test_wait_until (stored_staff_hours_are, (gpointer) "mon,wed 09:00-17:00",
                                        5000));
  assert_text_soon (desk, "Front desk · own working hours");
  g_assert_null (cairn_test_find_text (desk, "hours are written"));

  /* Cleared with the button: the practice's hours again. */
  clear = find_icon_button (desk, "edit-clear-symbolic");
  g_assert_nonnull (clear);
  g_assert_true (gtk_widget_get_visible (clear));
  g_signal_emit_by_name (clear, "clicked");
  assert_text_soon (preferences, "Front Desk works whenever the practice is open again");
  g_assert_true (cairn_test_wait_until (stored_staff_hours_are, NULL, 5000));
  assert_text_soon (desk, "Front desk · works whenever the practice is open");
  g_assert_cmpstr (row_text (desk, "Working hours"), ==, "");
  g_assert_false (gtk_widget_get_visible (clear));

  /* And by emptying the row. */
  apply (desk, "Working hours", "tue 10:00-14:00");
  g_assert_true (cairn_test_wait_until (stored_staff_hours_are, (gpointer) "tue 10:00-14:00",
                                        5000));
  assert_text_soon (desk, "Front desk · own working hours");
  apply (desk, "Working hours", "");
  g_assert_true (cairn_test_wait_until (stored_staff_hours_are, NULL, 5000));
  cairn_test_remove_vault ();
}

static void
test_front_desk (void)
{
  GtkWidget *preferences = open_preferences (CAIRN_ROLE_FRONT_DESK, "practice");

  /* The front desk runs the schedule: both pages are theirs. */
  g_assert_nonnull (cairn_test_find_text (preferences, "Quell Practice"));
  apply (preferences, "Add room", "Room 1");
  assert_row_soon (preferences, "Room 1");

  show_page (preferences, "staff");
  g_assert_nonnull (find_group (preferences, CAIRN_TEST_DESK));
  apply (find_group (preferences, CAIRN_TEST_CLINICIAN), "Working hours", "mon-thu 09:00-16:00");
  assert_text_soon (preferences, "Working hours of Dr Ada Quell saved");
  cairn_test_remove_vault ();
}

/* Set when the vault's worker reaches it: what was queued before it is done. */
static gint fence_reached;

static gpointer
fence_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  g_atomic_int_set (&fence_reached, TRUE);
  return GINT_TO_POINTER (TRUE);
}

/* Whether a row called @title is anywhere below @root, shown or not. */
static gboolean
has_row (GtkWidget  *root,
         const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_row (child, title))
      return TRUE;
  return FALSE;
}

static void
test_lock_closes_window (void)
{
  CairnApplication *app = cairn_test_get_application ();
  GtkWidget *preferences = open_preferences (CAIRN_ROLE_CLINICIAN, "practice");
  GtkWindow *window = GTK_WINDOW (cairn_test_find_toplevel (CAIRN_TYPE_WINDOW));
  g_autoptr(GtkWidget) old_page = NULL;
  g_autoptr(CairnVault) held = NULL;
  g_autofree char *rooms = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_assert_nonnull (preferences);
  old_page = g_object_ref (cairn_test_find_descendant (preferences, CAIRN_TYPE_PRACTICE_PAGE, NULL));
  g_assert_nonnull (cairn_test_find_text (old_page, "Quell Practice"));

  /* A change under way when Cairn locks: the vault has written it, but its
   * answer has not reached the window (the main loop has not run since). */
  g_atomic_int_set (&fence_reached, FALSE);
  apply (preferences, "Add room", "Room 1");
  cairn_vault_run_async (vault (), fence_job, NULL, NULL, NULL, NULL, NULL, NULL);
  while (!g_atomic_int_get (&fence_reached) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_true (g_atomic_int_get (&fence_reached));
  held = g_object_ref (vault ());
  cairn_application_lock (app);
  cairn_test_wait_toplevel_gone (CAIRN_TYPE_PREFERENCES_WINDOW);
  /* The answer has reached the page now. */
  cairn_test_wait_idle (held);

  /* The answer is dropped: the page, which is kept here past its window,
   * shows nothing from the vault, neither what it showed nor the change. */
  g_assert_null (cairn_test_find_text (old_page, "Quell Practice"));
  g_assert_null (cairn_test_find_text (old_page, "Europe/Berlin"));
  g_assert_null (cairn_test_find_text (old_page, "“Room 1” added"));
  g_assert_false (has_row (old_page, "Room 1"));
  g_clear_object (&old_page);

  /* Nor is it shown later. Unlocked again, the room is there, once: the
   * vault finishes what it was given before it locks, so nothing written
   * is lost. The window opened again lists it and says nothing of the
   * change. */
  cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  rooms = cairn_test_run_job (vault (), rooms_job, NULL);
  g_assert_cmpstr (rooms, ==, "Room 1");
  gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL);
  preferences = GTK_WIDGET (cairn_test_wait_for_toplevel (CAIRN_TYPE_PREFERENCES_WINDOW));
  show_page (preferences, "practice");
  assert_row_soon (preferences, "Room 1");
  cairn_test_wait_idle (vault ());
  g_assert_null (cairn_test_find_text (preferences, "“Room 1” added"));
  g_assert_cmpstr (row_text (preferences, "Add room"), ==, "");
  cairn_test_remove_vault ();
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/practice-prefs/practice-shown", test_practice_shown);
  g_test_add_func ("/practice-prefs/opening-hours", test_opening_hours);
  g_test_add_func ("/practice-prefs/rooms", test_rooms);
  g_test_add_func ("/practice-prefs/closed-days", test_closed_days);
  g_test_add_func ("/practice-prefs/staff-hours", test_staff_hours);
  g_test_add_func ("/practice-prefs/front-desk", test_front_desk);
  g_test_add_func ("/practice-prefs/lock-closes-window", test_lock_closes_window);

  return cairn_test_run ();
}
