/* test-no-leaks.c
 *
 * No patient data in the logs. Every line logged is captured, debug lines
 * included (G_MESSAGES_DEBUG=all), while a clinician goes through the main
 * flows in the real window: a new patient through the form, a search, the
 * patient's page and Journey, Today and the Schedule showing their
 * appointments, a session note written and saved, and the lock. Then no
 * line may hold the patient's names, chart number, phone number, date of
 * birth, what was searched for or the note's text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cairn-journey-page.h"
#include "cairn-note-editor.h"
#include "cairn-notes-page.h"
#include "cairn-patient-dialog.h"
#include "cairn-patient-view.h"
#include "cairn-patients-page.h"
#include "cairn-schedule-page.h"
#include "cairn-schedule.h"
#include "cairn-test-utils.h"
#include "cairn-today-page.h"
#include "cairn-window.h"

/* What the clinician types, each unlike anything else Cairn would log. */
#define LEGAL_NAME     "Zebulon Canaryfield"
#define PREFERRED_NAME "Zebbyquill"
#define CHART_NUMBER   "CNRY-7319"
#define PHONE          "+49 30 7319 2468"
#define PHONE_DIGITS   "4930731924"
#define BIRTH_DATE     "1977-07-13"
#define SEARCHED       "canaryfi"
#define NOTE_TEXT      "Heron lantern 4417: spoke of the orchard again."

static const char * const canaries[] = {
  "Zebulon", "Canaryfield", "canaryfield", PREFERRED_NAME, CHART_NUMBER, "7319 2468", PHONE_DIGITS,
  BIRTH_DATE, SEARCHED, "Heron lantern", "spoke of the orchard",
};

/* ------------------------------------------------------------------------ */
/* Every line logged, as text                                                */

static GMutex     log_mutex;
static GPtrArray *log_lines;

static void
capture_log (GLogLevelFlags   log_level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  GString *line = g_string_new (NULL);

  /* Every field, not only the message: a domain or a function name could
   * carry text too. */
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].value == NULL)
        continue;
      g_string_append_printf (line, "%s%s=", i > 0 ? " " : "", fields[i].key);
      if (fields[i].length < 0)
        g_string_append (line, fields[i].value);
      else
        g_string_append_len (line, fields[i].value, fields[i].length);
    }

  g_mutex_lock (&log_mutex);
  g_ptr_array_add (log_lines, g_string_free (line, FALSE));
  g_mutex_unlock (&log_mutex);
}

/* The first captured line holding @text, or NULL. */
static char *
logged (const char *text)
{
  char *found = NULL;

  g_mutex_lock (&log_mutex);
  for (guint i = 0; i < log_lines->len && found == NULL; i++)
    if (strstr (g_ptr_array_index (log_lines, i), text) != NULL)
      found = g_strdup (g_ptr_array_index (log_lines, i));
  g_mutex_unlock (&log_mutex);
  return found;
}

/* ------------------------------------------------------------------------ */
/* Waiting as a person would                                                 */

static GtkWidget *
main_window (void)
{
  return GTK_WIDGET (cairn_test_find_toplevel (CAIRN_TYPE_WINDOW));
}

static gboolean
dialog_gone (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_PATIENT_DIALOG) == NULL;
}

static gboolean
chart_filled (gpointer user_data)
{
  return *gtk_editable_get_text (GTK_EDITABLE (user_data)) != '\0';
}

static gboolean
patients_settled (gpointer user_data)
{
  return !cairn_patients_page_get_busy (user_data) &&
         g_strcmp0 (cairn_patients_page_get_state (user_data), "blank") != 0;
}

static gboolean
listed_alone (gpointer user_data)
{
  return !cairn_patients_page_get_busy (user_data) &&
         g_list_model_get_n_items (cairn_patients_page_get_model (user_data)) == 1;
}

static gboolean
viewing_patient (gpointer user_data)
{
  CairnPatientView *view = CAIRN_PATIENT_VIEW (cairn_test_find_descendant (user_data, CAIRN_TYPE_PATIENT_VIEW,
                                                                           NULL));

  return g_strcmp0 (cairn_patients_page_get_view (user_data), "patient") == 0 &&
         cairn_patient_view_get_patient (view) != NULL;
}

static gboolean
journey_loaded (gpointer user_data)
{
  return cairn_journey_page_get_journey (user_data) != NULL;
}

static gboolean
notes_loaded (gpointer user_data)
{
  return !cairn_notes_page_get_busy (user_data) && cairn_notes_page_get_loaded (user_data);
}

static gboolean
schedule_settled (gpointer user_data)
{
  return !cairn_schedule_page_get_busy (user_data) &&
         cairn_schedule_view_get_items (cairn_schedule_page_get_view (user_data)) != NULL;
}

static gboolean
today_listed (gpointer user_data)
{
  GPtrArray *items = cairn_today_page_get_items (user_data);

  return !cairn_today_page_get_busy (user_data) && items != NULL && items->len > 0;
}

static gboolean
editor_saved (gpointer user_data)
{
  return !cairn_note_editor_get_dirty (user_data) && !cairn_note_editor_get_busy (user_data);
}

static gboolean
editor_open (gpointer user_data)
{
  CairnNoteEditor *editor = cairn_notes_page_get_editor (user_data);

  return editor != NULL && cairn_test_find_descendant (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, NULL) != NULL;
}

static gboolean
text_shown (gpointer user_data)
{
  GtkWidget *root = g_object_get_data (user_data, "root");

  return cairn_test_find_text (root, g_object_get_data (user_data, "text")) != NULL;
}

static void
assert_text_soon (GtkWidget  *root,
                  const char *text)
{
  g_autoptr(GObject) data = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (data, "root", root);
  g_object_set_data (data, "text", (gpointer) text);
  if (!cairn_test_wait_until (text_shown, data, 5000))
    g_error ("“%s” never appeared", text);
}

static gboolean
app_is_locked (gpointer user_data)
{
  return cairn_application_get_vault (user_data) == NULL;
}

/* ------------------------------------------------------------------------ */
/* The patient's appointments                                                */

typedef struct
{
  gint64 past;      /* an integration session two days ago, 10:00 */
  gint64 today;     /* a follow-up today, 12:00 */
} Booked;

/* @hour o'clock on a day from today, in the practice's zone. */
static gint64
local_time (CairnDatabase *db,
            int            days,
            int            hour)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (cairn_database_get_time_zone (db));
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) at = g_date_time_new (cairn_database_get_time_zone (db), g_date_time_get_year (day),
                                             g_date_time_get_month (day), g_date_time_get_day_of_month (day),
                                             hour, 0, 0);

  return g_date_time_to_unix (at);
}

static gpointer
book_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Booked *booked = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *patient = NULL;
  g_autofree char *past = NULL;
  g_autofree char *today = NULL;

  booked->past = local_time (db, -2, 10);
  booked->today = local_time (db, 0, 12);
  if (!cairn_schedule_set_practice_hours (db, "mon-sun 00:00-24:00", me, error) ||
      (patient = cairn_database_query_text (db, "SELECT id FROM patients WHERE chart_number = ?",
                                            (const char *[]) { CHART_NUMBER }, 1, error)) == NULL ||
      (past = cairn_test_book (db, patient, "integration", booked->past, 90, NULL, me, me, error)) == NULL ||
      (today = cairn_test_book (db, patient, "follow-up", booked->today, 60, NULL, me, me, error)) == NULL)
    return NULL;
  return booked;
}

/* ------------------------------------------------------------------------ */

static void
test_no_patient_data_in_logs (void)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnVault *vault;
  GtkWidget *window;
  CairnPatientsPage *patients;
  CairnSchedulePage *schedule;
  CairnPatientView *view;
  CairnJourneyPage *journey;
  CairnNotesPage *notes;
  CairnNoteEditor *editor;
  GtkWidget *dialog;
  GtkWidget *text_view;
  Booked booked = { 0 };
  GDate day;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  vault = cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  g_application_activate (G_APPLICATION (app));
  window = main_window ();
  g_assert_nonnull (window);

  /* A new patient, through the form. */
  gtk_widget_activate_action (window, "win.show-page", "s", "patients");
  patients = CAIRN_PATIENTS_PAGE (cairn_test_find_descendant (window, CAIRN_TYPE_PATIENTS_PAGE, NULL));
  g_assert_true (cairn_test_wait_until (patients_settled, patients, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (patients), "patients.new", NULL));
  dialog = GTK_WIDGET (cairn_test_wait_for_toplevel (CAIRN_TYPE_PATIENT_DIALOG));
  g_assert_true (cairn_test_wait_until (chart_filled, cairn_test_find_row (dialog, "Chart number"), 5000));
  cairn_test_type (dialog, "Legal name", LEGAL_NAME);
  cairn_test_type (dialog, "Preferred name", PREFERRED_NAME);
  cairn_test_type (dialog, "Date of birth", BIRTH_DATE);
  cairn_test_type (dialog, "Phone", PHONE);
  cairn_test_type (dialog, "Chart number", CHART_NUMBER);
  cairn_test_click (dialog, "Save");
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
  assert_text_soon (window, "Patient added");

  /* Found by a search, and opened. */
  gtk_editable_set_text (GTK_EDITABLE (cairn_test_find_descendant (GTK_WIDGET (patients), GTK_TYPE_SEARCH_ENTRY,
                                                                   NULL)), SEARCHED);
  g_assert_true (cairn_test_wait_until (listed_alone, patients, 5000));
  /* Booked at the desk meanwhile: a session two days ago, and one today. */
  g_assert_nonnull (cairn_test_run_job (vault, book_job, &booked));
  g_signal_emit_by_name (cairn_test_find_descendant (GTK_WIDGET (patients), GTK_TYPE_LIST_VIEW, "patient-list"),
                         "activate", 0u);
  g_assert_true (cairn_test_wait_until (viewing_patient, patients, 5000));
  assert_text_soon (GTK_WIDGET (patients), LEGAL_NAME);
  view = CAIRN_PATIENT_VIEW (cairn_test_find_descendant (GTK_WIDGET (patients), CAIRN_TYPE_PATIENT_VIEW, NULL));

  /* The Journey reads the whole record. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "patient-view.show-tab", "s", "journey"));
  journey = CAIRN_JOURNEY_PAGE (cairn_test_find_descendant (GTK_WIDGET (view), CAIRN_TYPE_JOURNEY_PAGE, NULL));
  g_assert_true (cairn_test_wait_until (journey_loaded, journey, 10000));

  /* A note for the past session, written and saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "patient-view.show-tab", "s", "notes"));
  notes = CAIRN_NOTES_PAGE (cairn_test_find_descendant (GTK_WIDGET (view), CAIRN_TYPE_NOTES_PAGE, NULL));
  g_assert_true (cairn_test_wait_until (notes_loaded, notes, 10000));
  g_signal_emit_by_name (cairn_test_find_row (GTK_WIDGET (notes), "Integration"), "activate");
  g_assert_true (cairn_test_wait_until (editor_open, notes, 5000));
  editor = cairn_notes_page_get_editor (notes);
  text_view = cairn_test_find_descendant (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, NULL);
  g_assert_nonnull (text_view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view)), NOTE_TEXT, -1);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (cairn_test_wait_until (editor_saved, editor, 10000));
  assert_text_soon (GTK_WIDGET (notes), "Draft saved");

  /* Today, and the Schedule on the day of the past session. */
  gtk_widget_activate_action (window, "win.show-page", "s", "today");
  g_assert_true (cairn_test_wait_until (today_listed,
                                        cairn_test_find_descendant (window, CAIRN_TYPE_TODAY_PAGE, NULL), 5000));
  gtk_widget_activate_action (window, "win.show-page", "s", "schedule");
  schedule = CAIRN_SCHEDULE_PAGE (cairn_test_find_descendant (window, CAIRN_TYPE_SCHEDULE_PAGE, NULL));
  g_assert_true (cairn_test_wait_until (schedule_settled, schedule, 5000));
  {
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
    g_autoptr(GDateTime) past = g_date_time_new_from_unix_utc (booked.past);
    g_autoptr(GDateTime) there = g_date_time_to_timezone (past, zone);

    g_date_clear (&day, 1);
    g_date_set_dmy (&day, g_date_time_get_day_of_month (there), g_date_time_get_month (there),
                    g_date_time_get_year (there));
  }
  cairn_schedule_page_go_to (schedule, &day);
  g_assert_true (cairn_test_wait_until (schedule_settled, schedule, 5000));
  g_assert_cmpuint (cairn_schedule_view_get_items (cairn_schedule_page_get_view (schedule))->len, >=, 1);
  /* Drawn, with the appointments on it: whatever drawing logs is logged. */
  cairn_test_wait_painted (GTK_WIDGET (cairn_schedule_page_get_view (schedule)));
  cairn_test_wait_idle (vault);

  /* What the lock leaves to answer has answered, and logged what it logs. */
  g_object_ref (vault);
  cairn_application_lock (app);
  g_assert_true (cairn_test_wait_until (app_is_locked, app, 5000));
  cairn_test_wait_idle (vault);
  g_clear_object (&vault);

  /* The capture works, debug lines included... */
  {
    g_autofree char *migrated = logged ("Migrated practice.db to version");

    g_assert_nonnull (migrated);
  }
  /* ...and none of them holds anything the clinician typed. */
  for (guint i = 0; i < G_N_ELEMENTS (canaries); i++)
    {
      g_autofree char *line = logged (canaries[i]);

      if (line != NULL)
        g_error ("“%s” was logged: %s", canaries[i], line);
    }
  g_test_message ("%u log lines captured, none with patient data", log_lines->len);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything logs: debug lines are the likeliest to say too much. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_lines = g_ptr_array_new_with_free_func (g_free);
  cairn_test_capture_log (capture_log, NULL);
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/no-leaks/no-patient-data-in-logs", test_no_patient_data_in_logs);

  return cairn_test_run ();
}
