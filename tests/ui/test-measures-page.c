/* test-measures-page.c
 *
 * The Measures tab of a patient's page, as a clinician uses it: each form
 * filled in through its answer buttons and saved, the table and the chart
 * following; a half-answered form refused until marked incomplete, a day
 * in the future and out-of-range totals refused at their field with
 * nothing written; the PHQ-9 item 9 alert in the form and on the entry;
 * an entry deleted with a reason; the report saved as a PDF with the
 * patient's data in it; and nothing left on the page when Cairn locks.
 * A later PHQ-9 that leaves item 9 blank keeps the alert; the form's day
 * is the practice's today; printing is audited for the patient it was set
 * up for before a page is drawn, and cancelled when the page forgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn-measure-chart-view.h"
#include "cairn-measure-dialog.h"
#include "cairn-loader.h"
#include "cairn-measures-page.h"
#include "cairn-records.h"
#include "cairn-patient-view.h"
#include "cairn-patients-page.h"
#include "cairn-schedule.h"
#include "cairn-test-utils.h"
#include "cairn-window.h"

/* 10:00 in the practice's zone, @days from today. */
static gint64
at_ten (int days)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) ten = g_date_time_new (zone, g_date_time_get_year (day), g_date_time_get_month (day),
                                              g_date_time_get_day_of_month (day), 10, 0, 0);

  return g_date_time_to_unix (ten);
}

/* A day from today in the practice's zone (the test vault's is Berlin),
 * which the form and the vault check against: not the machine's. */
static char *
day_from_today (int days)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* A patient with one medicine session behind them and one to come. */
static gpointer
seed_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autoptr(CairnAppointment) done = cairn_appointment_new ();
  g_autoptr(CairnAppointment) next = cairn_appointment_new ();
  const char *staff[] = { me, NULL };
  char *patient;

  if ((patient = cairn_test_add_patient (db, "Marguerite Oyelaran-Whitfield", "Maggie", me, error)) == NULL)
    return NULL;
  done->patient_id = g_strdup (patient);
  done->type_id = g_strdup ("medicine-session");
  done->start = at_ten (-20);
  done->end = done->start + 8 * 3600;
  done->staff_ids = g_strdupv ((char **) staff);
  next->patient_id = g_strdup (patient);
  next->type_id = g_strdup ("medicine-session");
  next->start = at_ten (10);
  next->end = next->start + 8 * 3600;
  next->staff_ids = g_strdupv ((char **) staff);
  if (!cairn_schedule_book (db, done, 0, FALSE, "Seeded for the test", me, error) ||
      !cairn_schedule_set_status (db, done->id, "completed", NULL, me, error) ||
      !cairn_schedule_book (db, next, 0, FALSE, "Seeded for the test", me, error))
    {
      g_free (patient);
      return NULL;
    }
  return patient;
}

static gboolean
viewing_patient (gpointer user_data)
{
  CairnPatientsPage *page = user_data;
  CairnPatientView *view = CAIRN_PATIENT_VIEW (cairn_test_find_descendant (GTK_WIDGET (page),
                                                                           CAIRN_TYPE_PATIENT_VIEW, NULL));

  return g_strcmp0 (cairn_patients_page_get_view (page), "patient") == 0 &&
         cairn_patient_view_get_patient (view) != NULL;
}

static gboolean
measures_loaded (gpointer user_data)
{
  return cairn_measures_page_get_measures (user_data) != NULL;
}

/* Opens the seeded patient's Measures tab as a clinician. */
static CairnMeasuresPage *
open_measures (char **out_patient)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnVault *vault;
  GtkWindow *window;
  CairnPatientsPage *patients;
  CairnPatientView *view;
  CairnMeasuresPage *page;
  char *patient;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  vault = cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  patient = cairn_test_run_job (vault, seed_job, NULL);
  g_assert_nonnull (patient);

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "patients");
  patients = CAIRN_PATIENTS_PAGE (cairn_test_find_descendant (GTK_WIDGET (window), CAIRN_TYPE_PATIENTS_PAGE, NULL));
  cairn_patients_page_show_patient (patients, patient);
  g_assert_true (cairn_test_wait_until (viewing_patient, patients, 5000));
  view = CAIRN_PATIENT_VIEW (cairn_test_find_descendant (GTK_WIDGET (patients), CAIRN_TYPE_PATIENT_VIEW, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "patient-view.show-tab", "s", "measures"));
  page = CAIRN_MEASURES_PAGE (cairn_test_find_descendant (GTK_WIDGET (view), CAIRN_TYPE_MEASURES_PAGE, NULL));
  g_assert_nonnull (page);
  g_assert_true (cairn_test_wait_until (measures_loaded, page, 10000));
  cairn_test_wait_idle (vault);
  *out_patient = patient;
  return page;
}

static int
count (const char *sql)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autofree char *text = cairn_database_query_text (cairn_vault_get_clinical (vault), sql, NULL, 0, NULL);

  return text != NULL ? atoi (text) : -1;
}

static gboolean
dialog_shown (gpointer user_data)
{
  GtkWindow *dialog = cairn_test_find_toplevel (CAIRN_TYPE_MEASURE_DIALOG);

  return dialog != NULL && gtk_widget_get_visible (GTK_WIDGET (dialog));
}

static gboolean
dialog_gone (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_MEASURE_DIALOG) == NULL;
}

static GtkWidget *
open_form (CairnMeasuresPage *page,
           const char        *instrument)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "measures.add", "s", instrument));
  g_assert_true (cairn_test_wait_until (dialog_shown, NULL, 5000));
  return GTK_WIDGET (cairn_test_find_toplevel (CAIRN_TYPE_MEASURE_DIALOG));
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_toggle (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the answer @value of item @item (from 1). */
static void
answer (GtkWidget *dialog,
        guint      item,
        int        value)
{
  g_autofree char *name = g_strdup_printf ("item-%u", item);
  g_autofree char *label = g_strdup_printf ("%d", value);
  GtkWidget *row = find_named (dialog, name);
  GtkWidget *toggle;

  g_assert_nonnull (row);
  toggle = find_toggle (row, label);
  g_assert_nonnull (toggle);
  g_signal_emit_by_name (toggle, "clicked");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
}

static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  return cairn_test_find_text (root, text) != NULL;
}

/* Saves, and waits for the form to say @problem. The form refuses before
 * anything goes to the worker; should something have gone all the same,
 * it has answered by the time this returns, so that what the test then
 * finds not written was not merely slow. */
static void
save_refused (GtkWidget  *dialog,
              const char *label,
              const char *problem)
{
  cairn_test_click (dialog, label);
  cairn_test_wait_for_text (dialog, problem);
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
}

typedef struct
{
  CairnMeasuresPage *page;
  guint              n;
} MeasuresWait;

static gboolean
has_measures (gpointer user_data)
{
  MeasuresWait *wait = user_data;
  GPtrArray *measures = cairn_measures_page_get_measures (wait->page);

  return measures != NULL && measures->len == wait->n;
}

static void
save_and_wait (CairnMeasuresPage *page,
               GtkWidget         *dialog,
               guint              n_after)
{
  MeasuresWait wait = { page, n_after };

  cairn_test_click (dialog, "Save");
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
  g_assert_true (cairn_test_wait_until (has_measures, &wait, 5000));
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
}

static CairnMeasureChartView *
chart_of (CairnMeasuresPage *page,
          const char        *instrument)
{
  GtkWidget *group = find_named (GTK_WIDGET (page), instrument);

  g_assert_nonnull (group);
  return CAIRN_MEASURE_CHART_VIEW (cairn_test_find_descendant (group, CAIRN_TYPE_MEASURE_CHART_VIEW, NULL));
}

static void
test_phq9 (void)
{
  g_autofree char *patient = NULL;
  CairnMeasuresPage *page = open_measures (&patient);
  g_autofree char *tomorrow = day_from_today (1);
  g_autofree char *today = day_from_today (0);
  GtkWidget *dialog;
  CairnMeasureChartView *chart;

  /* Nothing yet. */
  g_assert_true (shows_text (GTK_WIDGET (page), "No Measures Yet"));

  dialog = open_form (page, "phq-9");
  g_assert_true (shows_text (dialog, "Over the last 2 weeks"));
  g_assert_true (shows_text (dialog, "Little interest or pleasure in doing things"));
  g_assert_true (shows_text (dialog, "3 = Nearly every day"));

  /* Eight of nine answered: refused, naming item 9, nothing written. */
  for (guint i = 1; i <= 8; i++)
    answer (dialog, i, i <= 4 ? 2 : 1);
  g_assert_true (shows_text (dialog, "12 so far; 1 item unanswered"));
  save_refused (dialog, "Save", "Item 9 is unanswered");
  g_assert_true (shows_text (dialog, "Choose an answer."));
  g_assert_false (dialog_gone (NULL));
  g_assert_cmpint (count ("SELECT count(*) FROM measures"), ==, 0);

  /* Item 9 above 0: the alert shows at once. */
  answer (dialog, 9, 1);
  g_assert_true (shows_text (dialog, "Item 9 is answered above “Not at all”"));
  g_assert_true (shows_text (dialog, "13 of 27 — Moderate"));

  /* A day in the future is refused at the date. */
  cairn_test_type (dialog, "Date", tomorrow);
  save_refused (dialog, "Save", "This day is in the future.");
  g_assert_cmpint (count ("SELECT count(*) FROM measures"), ==, 0);
  cairn_test_type (dialog, "Date", "2026-02-30");
  save_refused (dialog, "Save", "“2026-02-30” is not a date");
  g_assert_cmpint (count ("SELECT count(*) FROM measures"), ==, 0);

  cairn_test_type (dialog, "Date", today);
  cairn_test_type (dialog, "Timepoint (optional)", "Baseline");
  save_and_wait (page, dialog, 1);
  g_assert_cmpint (count ("SELECT total FROM measures WHERE instrument = 'phq-9'"), ==, 13);
  g_assert_cmpint (count ("SELECT count(*) FROM audit WHERE action = 'measure.create'"), ==, 1);

  /* The table: the entry, its band and the alert; the page's banner. */
  g_assert_false (shows_text (GTK_WIDGET (page), "No Measures Yet"));
  g_assert_true (shows_text (GTK_WIDGET (page), "13"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Moderate"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Baseline"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Item 9 above “Not at all”: needs follow-up"));
  g_assert_true (shows_text (GTK_WIDGET (page), "The latest PHQ-9"));

  /* The chart: the same data, and the medicine session that took place. */
  chart = chart_of (page, "phq-9");
  g_assert_nonnull (chart);
  g_assert_nonnull (strstr (cairn_measure_chart_view_get_summary (chart), "Latest total 13 (Moderate)"));
  g_assert_nonnull (strstr (cairn_measure_chart_view_get_summary (chart), "1 medicine session marked"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Dashed lines M1"));

  /* A second PHQ-9, lower, without the alert: the chart follows. */
  dialog = open_form (page, "phq-9");
  for (guint i = 1; i <= 9; i++)
    answer (dialog, i, i <= 3 ? 1 : 0);
  save_and_wait (page, dialog, 2);
  chart = chart_of (page, "phq-9");
  g_assert_nonnull (strstr (cairn_measure_chart_view_get_summary (chart), "Latest total 3 (Minimal)"));
  g_assert_nonnull (strstr (cairn_measure_chart_view_get_summary (chart), "2 entries"));
  /* The latest PHQ-9 has no alert: the banner goes; the entry keeps its own. */
  g_assert_false (shows_text (GTK_WIDGET (page), "The latest PHQ-9"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Item 9 above “Not at all”: needs follow-up"));
}

static void
test_incomplete_and_pcl5 (void)
{
  g_autofree char *patient = NULL;
  CairnMeasuresPage *page = open_measures (&patient);
  GtkWidget *dialog;
  GtkWidget *toggle;

  /* GAD-7, two answers, marked incomplete: saved and never scored. */
  dialog = open_form (page, "gad-7");
  answer (dialog, 1, 3);
  answer (dialog, 2, 2);
  save_refused (dialog, "Save", "Item 3 is unanswered");
  g_assert_cmpint (count ("SELECT count(*) FROM measures"), ==, 0);
  toggle = cairn_test_find_descendant (dialog, GTK_TYPE_SWITCH, NULL);
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (shows_text (dialog, "Incomplete: not scored (5 items unanswered)"));
  save_and_wait (page, dialog, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM measures WHERE complete = 0 AND total IS NULL"), ==, 1);
  g_assert_true (shows_text (GTK_WIDGET (page), "Incomplete: not scored"));
  g_assert_nonnull (strstr (cairn_measure_chart_view_get_summary (chart_of (page, "gad-7")), "no scored entries"));

  /* PCL-5, every item "Moderately": 40, probable PTSD, criteria met. */
  dialog = open_form (page, "pcl-5");
  g_assert_true (shows_text (dialog, "In the past month"));
  for (guint i = 1; i <= 20; i++)
    answer (dialog, i, 2);
  g_assert_true (shows_text (dialog, "40 of 80 — Probable PTSD"));
  g_assert_true (shows_text (dialog, "Clusters B 10, C 4, D 14, E 12"));
  save_and_wait (page, dialog, 2);
  g_assert_true (shows_text (GTK_WIDGET (page), "Probable PTSD"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Provisional diagnosis: criteria met"));
  g_assert_cmpint (count ("SELECT total FROM measures WHERE instrument = 'pcl-5'"), ==, 40);
}

static void
test_totals_only (void)
{
  g_autofree char *patient = NULL;
  CairnMeasuresPage *page = open_measures (&patient);
  GtkWidget *dialog;
  MeasuresWait wait = { page, 1 };

  /* BDI-II: no items, a total in range. */
  dialog = open_form (page, "bdi-ii");
  g_assert_null (find_named (dialog, "item-1"));
  g_assert_true (shows_text (dialog, "records its total only"));
  cairn_test_type (dialog, "Total (0–63)", "64");
  save_refused (dialog, "Save", "A BDI-II total is 0 to 63.");
  cairn_test_type (dialog, "Total (0–63)", "lots");
  save_refused (dialog, "Save", "Enter the total as a whole number from 0 to 63.");
  cairn_test_type (dialog, "Total (0–63)", "");
  save_refused (dialog, "Save", "Enter the total, 0 to 63");
  g_assert_cmpint (count ("SELECT count(*) FROM measures"), ==, 0);
  cairn_test_type (dialog, "Total (0–63)", "29");
  g_assert_true (shows_text (dialog, "29 of 63 — Severe"));
  save_and_wait (page, dialog, 1);
  g_assert_true (shows_text (GTK_WIDGET (page), "Severe"));
  g_assert_cmpint (count ("SELECT count(*) FROM measures WHERE answers IS NULL AND total = 29"), ==, 1);

  /* CAPS-5 at the trial's entry. */
  dialog = open_form (page, "caps-5");
  cairn_test_type (dialog, "Total (0–80)", "28");
  save_and_wait (page, dialog, 2);
  g_assert_true (shows_text (GTK_WIDGET (page), "Trial entry or above"));

  /* An entry opens to be deleted, which needs a reason. */
  {
    GtkWidget *group = find_named (GTK_WIDGET (page), "bdi-ii");
    GtkWidget *list = find_named (group, "entries");
    GtkListBoxRow *first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

    g_signal_emit_by_name (list, "row-activated", first);
  }
  g_assert_true (cairn_test_wait_until (dialog_shown, NULL, 5000));
  dialog = GTK_WIDGET (cairn_test_find_toplevel (CAIRN_TYPE_MEASURE_DIALOG));
  save_refused (dialog, "Delete Entry", "Write why this entry is deleted.");
  g_assert_cmpint (count ("SELECT count(*) FROM measures WHERE deleted_at IS NOT NULL"), ==, 0);
  cairn_test_type (dialog, "Reason to delete", "Entered for the wrong patient");
  cairn_test_click (dialog, "Delete Entry");
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
  g_assert_true (cairn_test_wait_until (has_measures, &wait, 5000));
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
  g_assert_null (find_named (GTK_WIDGET (page), "bdi-ii"));
  g_assert_cmpint (count ("SELECT count(*) FROM measures WHERE deleted_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM audit WHERE action = 'measure.delete'"), ==, 1);
}

static gboolean
measures_cleared (gpointer user_data)
{
  return !measures_loaded (user_data);
}

static gboolean
text_appears (gpointer user_data)
{
  gpointer *args = user_data;

  return cairn_test_find_text (args[0], args[1]) != NULL;
}

static void
test_report_and_lock (void)
{
  g_autofree char *patient = NULL;
  CairnMeasuresPage *page = open_measures (&patient);
  g_autofree char *dir = g_dir_make_tmp ("cairn-measures-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *entry = NULL;
  CairnVault *vault;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  gpointer args[2] = { page, "Saved as “report.pdf”" };
  GtkWidget *dialog;

  dialog = open_form (page, "gad-7");
  for (guint i = 1; i <= 7; i++)
    answer (dialog, i, 2);
  save_and_wait (page, dialog, 1);

  cairn_measures_page_save_report (page, file);
  g_assert_true (cairn_test_wait_until (text_appears, args, 5000));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &text, NULL, NULL, NULL));
  g_assert_nonnull (strstr (text, "Marguerite Oyelaran-Whitfield"));
  g_assert_nonnull (strstr (text, "GAD-7"));
  g_assert_nonnull (strstr (text, "Moderate"));
  g_assert_cmpint (count ("SELECT count(*) FROM audit WHERE action = 'measures.export'"), ==, 1);
  /* Its foot says where clinical.db's trail ended when the measures were
   * read: at that read's own entry, before the export's. */
  vault = cairn_application_get_vault (cairn_test_get_application ());
  entry = cairn_test_audit_footer_entry (cairn_vault_get_clinical (vault), text);
  g_assert_cmpstr (entry, ==, "measures.read");
  g_unlink (path);
  g_rmdir (dir);

  /* Locking leaves nothing of the patient on the page, even once what was
   * still out has answered. */
  g_object_ref (vault);
  cairn_application_lock (cairn_test_get_application ());
  g_assert_true (cairn_test_wait_until (measures_cleared, page, 5000));
  cairn_test_wait_idle (vault);
  g_object_unref (vault);
  g_assert_null (cairn_measures_page_get_measures (page));
  g_assert_null (find_named (GTK_WIDGET (page), "gad-7"));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Moderate"));
}

/* A later PHQ-9 that leaves item 9 unanswered does not clear the alert of
 * the one before: the newest answer to item 9 counts. */
static void
test_item9_kept (void)
{
  g_autofree char *patient = NULL;
  CairnMeasuresPage *page = open_measures (&patient);
  GtkWidget *dialog;
  GtkWidget *toggle;

  dialog = open_form (page, "phq-9");
  for (guint i = 1; i <= 9; i++)
    answer (dialog, i, i == 9 ? 2 : 1);
  save_and_wait (page, dialog, 1);
  g_assert_true (shows_text (GTK_WIDGET (page), "The latest PHQ-9"));

  /* The same day, later: three items, marked incomplete, item 9 blank. */
  dialog = open_form (page, "phq-9");
  for (guint i = 1; i <= 3; i++)
    answer (dialog, i, 0);
  toggle = cairn_test_find_descendant (dialog, GTK_TYPE_SWITCH, NULL);
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  save_and_wait (page, dialog, 2);
  g_assert_cmpint (count ("SELECT count(*) FROM measures WHERE complete = 0"), ==, 1);
  g_assert_true (shows_text (GTK_WIDGET (page), "The latest PHQ-9"));

  /* A later one that answers item 9 "Not at all" does clear it. */
  dialog = open_form (page, "phq-9");
  for (guint i = 1; i <= 9; i++)
    answer (dialog, i, 0);
  save_and_wait (page, dialog, 3);
  g_assert_false (shows_text (GTK_WIDGET (page), "The latest PHQ-9"));
}

/* The form's day and its "not in the future" are the practice's today,
 * wherever the machine's clock is. */
static void
test_practice_today (void)
{
  g_autofree char *patient = NULL;
  CairnMeasuresPage *page = open_measures (&patient);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  CairnDatabase *clinical = cairn_vault_get_clinical (vault);
  g_autoptr(GTimeZone) east = g_time_zone_new_identifier ("Pacific/Kiritimati");  /* UTC+14 */
  g_autoptr(GTimeZone) west = g_time_zone_new_identifier ("Pacific/Pago_Pago");   /* UTC−11 */
  g_autoptr(CairnPatient) shown = cairn_patient_new ();
  g_autofree char *east_today = NULL;
  GtkWidget *dialog;
  GtkWidget *date_row;

  shown->id = g_strdup (patient);
  shown->legal_name = g_strdup ("Marguerite Oyelaran-Whitfield");

  /* Far east: a new form is dated the practice's today, and it saves. */
  cairn_database_set_time_zone (clinical, east);
  east_today = cairn_database_today (clinical);
  cairn_measures_page_load (page, shown);
  g_assert_true (cairn_test_wait_until (measures_loaded, page, 10000));
  dialog = open_form (page, "gad-7");
  date_row = cairn_test_find_row (dialog, "Date");
  g_assert_nonnull (date_row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date_row)), ==, east_today);
  for (guint i = 1; i <= 7; i++)
    answer (dialog, i, 1);
  save_and_wait (page, dialog, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM measures"), ==, 1);

  /* Far west, a day or two behind: the east's today is in the future, said
   * at the date, nothing written. */
  cairn_database_set_time_zone (clinical, west);
  cairn_measures_page_load (page, shown);
  g_assert_true (cairn_test_wait_until (measures_loaded, page, 10000));
  dialog = open_form (page, "gad-7");
  for (guint i = 1; i <= 7; i++)
    answer (dialog, i, 1);
  cairn_test_type (dialog, "Date", east_today);
  save_refused (dialog, "Save", "This day is in the future.");
  g_assert_cmpint (count ("SELECT count(*) FROM measures"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
}

/* A read that fails is said on one page, with what failed and Try Again;
 * nothing of what was read before stays shown. Trying again once the
 * fault is gone shows the measures. */
static void
test_failed_read (void)
{
  g_autofree char *patient = NULL;
  CairnMeasuresPage *page = open_measures (&patient);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autoptr(CairnPatient) shown = cairn_patient_new ();
  GtkWidget *dialog;

  dialog = open_form (page, "gad-7");
  for (guint i = 1; i <= 7; i++)
    answer (dialog, i, 2);
  save_and_wait (page, dialog, 1);
  g_assert_true (shows_text (GTK_WIDGET (page), "Shaded: severity bands."));

  shown->id = g_strdup (patient);
  shown->legal_name = g_strdup ("Marguerite Oyelaran-Whitfield");
  cairn_test_exec (vault, "clinical:ALTER TABLE measures RENAME TO measures_away");
  cairn_measures_page_load (page, shown);
  g_assert_true (cairn_test_wait_until (cairn_test_loader_failed, page, 10000));
  g_assert_null (cairn_measures_page_get_measures (page));
  g_assert_true (shows_text (GTK_WIDGET (page), "The Measures Could Not Be Read"));
  g_assert_false (shows_text (GTK_WIDGET (page), "Shaded: severity bands."));

  /* Still failing: the same page again, nothing else. */
  cairn_test_click (GTK_WIDGET (page), "Try Again");
  g_assert_true (cairn_test_wait_until (cairn_test_loader_failed, page, 10000));
  g_assert_null (cairn_measures_page_get_measures (page));

  cairn_test_exec (vault, "clinical:ALTER TABLE measures_away RENAME TO measures");
  cairn_test_click (GTK_WIDGET (page), "Try Again");
  g_assert_true (cairn_test_wait_until (measures_loaded, page, 10000));
  g_assert_cmpuint (cairn_measures_page_get_measures (page)->len, ==, 1);
  g_assert_false (shows_text (GTK_WIDGET (page), "The Measures Could Not Be Read"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Shaded: severity bands."));
}

typedef struct
{
  guint draws;
  int   audited_at_first_draw;
} PrintWatch;

/* Every print operation that ended, however it was started. */
static guint prints_done;

static gboolean
print_done_hook (GSignalInvocationHint *hint,
                 guint                  n_values,
                 const GValue          *values,
                 gpointer               user_data)
{
  prints_done++;
  return TRUE;
}

static gboolean
prints_done_reach (gpointer user_data)
{
  return prints_done >= GPOINTER_TO_UINT (user_data);
}

static int
prints_of (const char *patient)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action = 'measures.print'"
                                          " AND entity = '%s'", patient);

  return count (sql);
}

static char *watched_patient;

static void
on_test_draw_page_cb (GtkPrintOperation *operation,
                      GtkPrintContext   *context,
                      int                page,
                      PrintWatch        *watch)
{
  if (watch->draws++ == 0)
    watch->audited_at_first_draw = prints_of (watched_patient);
}

static GType
print_dialog_type (void)
{
  return g_type_from_name ("GtkPrintUnixDialog");
}

static gboolean
print_dialog_shown (gpointer user_data)
{
  return print_dialog_type () != 0 && cairn_test_find_toplevel (print_dialog_type ()) != NULL;
}

static gboolean
print_dialog_gone (gpointer user_data)
{
  return !print_dialog_shown (NULL);
}

/* Printing is recorded for the patient it was set up for, before the first
 * page is drawn; if the page forgets the patient (another patient, a lock)
 * before printing begins, nothing is printed and nothing recorded. */
static void
test_print (void)
{
  g_autofree char *patient = NULL;
  CairnMeasuresPage *page = open_measures (&patient);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autofree char *dir = g_dir_make_tmp ("cairn-measures-print-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "printed.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(CairnPatient) other = cairn_patient_new ();
  g_autoptr(CairnPatient) shown = cairn_patient_new ();
  g_autoptr(GError) error = NULL;
  GtkPrintOperation *operation;
  PrintWatch watch = { 0, -1 };
  PrintWatch moved = { 0, -1 };
  GtkWidget *dialog;
  gpointer operation_class;
  guint done_hook;
  guint done_before;

  dialog = open_form (page, "gad-7");
  for (guint i = 1; i <= 7; i++)
    answer (dialog, i, 2);
  save_and_wait (page, dialog, 1);
  watched_patient = patient;
  operation_class = g_type_class_ref (GTK_TYPE_PRINT_OPERATION);
  done_hook = g_signal_add_emission_hook (g_signal_lookup ("done", GTK_TYPE_PRINT_OPERATION), 0,
                                          print_done_hook, NULL, NULL);

  /* Printed (to a file, without the dialog): recorded first. */
  operation = cairn_measures_page_prepare_print (page);
  g_assert_nonnull (operation);
  g_object_ref (operation);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_test_draw_page_cb), &watch);
  gtk_print_operation_set_export_filename (operation, path);
  g_assert_cmpint (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
                   GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  g_object_unref (operation);
  g_assert_cmpuint (watch.draws, >, 0);
  g_assert_cmpint (watch.audited_at_first_draw, ==, 1);
  g_assert_cmpint (prints_of (patient), ==, 1);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));

  /* Another patient is shown before printing begins: cancelled. */
  other->id = cairn_record_new_id ();
  other->legal_name = g_strdup ("Someone Else");
  operation = cairn_measures_page_prepare_print (page);
  g_assert_nonnull (operation);
  g_object_ref (operation);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_test_draw_page_cb), &moved);
  cairn_measures_page_load (page, other);
  gtk_print_operation_set_export_filename (operation, path);
  done_before = prints_done;
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, NULL);
  g_object_unref (operation);
  /* The operation has ended, and whatever it queued has answered. */
  g_assert_true (cairn_test_wait_until (prints_done_reach, GUINT_TO_POINTER (done_before + 1), 10000));
  cairn_test_wait_idle (vault);
  g_assert_cmpuint (moved.draws, ==, 0);
  g_assert_cmpint (prints_of (patient), ==, 1);
  g_assert_cmpint (prints_of (other->id), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM audit WHERE action = 'measures.print'"), ==, 1);

  /* The print dialog is open when Cairn locks: it closes, nothing is
   * printed or recorded. */
  shown->id = g_strdup (patient);
  shown->legal_name = g_strdup ("Marguerite Oyelaran-Whitfield");
  cairn_measures_page_load (page, shown);
  g_assert_true (cairn_test_wait_until (measures_loaded, page, 10000));
  done_before = prints_done;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "measures.print-report", NULL));
  g_assert_true (cairn_test_wait_until (print_dialog_shown, NULL, 10000));
  cairn_measures_page_clear (page);
  g_assert_true (cairn_test_wait_until (print_dialog_gone, NULL, 10000));
  g_assert_true (cairn_test_wait_until (prints_done_reach, GUINT_TO_POINTER (done_before + 1), 10000));
  cairn_test_wait_idle (vault);
  g_assert_cmpint (count ("SELECT count(*) FROM audit WHERE action = 'measures.print'"), ==, 1);
  g_signal_remove_emission_hook (g_signal_lookup ("done", GTK_TYPE_PRINT_OPERATION), done_hook);
  g_type_class_unref (operation_class);

  g_unlink (path);
  g_rmdir (dir);
  watched_patient = NULL;
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/measures-page/phq9", test_phq9);
  g_test_add_func ("/measures-page/incomplete-and-pcl5", test_incomplete_and_pcl5);
  g_test_add_func ("/measures-page/totals-only", test_totals_only);
  g_test_add_func ("/measures-page/report-and-lock", test_report_and_lock);
  g_test_add_func ("/measures-page/item9-kept", test_item9_kept);
  g_test_add_func ("/measures-page/practice-today", test_practice_today);
  g_test_add_func ("/measures-page/print", test_print);
  g_test_add_func ("/measures-page/failed-read", test_failed_read);

  return cairn_test_run ();
}
