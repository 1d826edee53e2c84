/* test-screening-page.c
 *
 * The Screening tab and the gate in a real window, as a clinician meets
 * them: the template's exclusions answered; a medication added, its
 * serotonergic switch set from the name as it is typed, a taper date in
 * the future refused at the field; a decision refused without a reason,
 * said at the field, then recorded; vital signs out of range or not a
 * number, and a consent date in the future, refused at the field with
 * nothing written. The gate for the next medicine session shows what
 * fails; an override is refused without a written reason, then saved and
 * audited. A front-desk user has no clinical data, and the page and the
 * gate show nothing for them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-gate-view.h"
#include "cairn-loader.h"
#include "cairn-protocol.h"
#include "cairn-schedule.h"
#include "cairn-screening.h"
#include "cairn-screening-form.h"
#include "cairn-screening-page.h"
#include "cairn-test-utils.h"

typedef struct
{
  char *patient;
  char *other;          /* nothing booked */
  char *session;        /* a medicine session the day after tomorrow, one therapist */
} Seed;

static Seed seed;

static void
seed_clear (void)
{
  g_clear_pointer (&seed.patient, g_free);
  g_clear_pointer (&seed.other, g_free);
  g_clear_pointer (&seed.session, g_free);
}

/* A day from today in the practice's zone (the test vault's is Berlin),
 * which the checks use: not the machine's. */
static char *
local_day (int days)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

  return g_date_time_format (day, "%Y-%m-%d");
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
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 2);
  g_autoptr(GDateTime) there = g_date_time_to_timezone (later, zone);
  g_autoptr(GDateTime) start = g_date_time_new (zone, g_date_time_get_year (there), g_date_time_get_month (there),
                                                g_date_time_get_day_of_month (there), 9, 0, 0);

  if ((room = cairn_schedule_add_room (db, "Room 1", me, error)) == NULL ||
      (seed.patient = cairn_test_add_patient (db, "Adaline Quell", "Ada", me, error)) == NULL ||
      (seed.other = cairn_test_add_patient (db, "Bruno Vance", NULL, me, error)) == NULL)
    return NULL;
  /* Outside the practice's hours the conflict engine would refuse it; a
   * weekend day moves it to the Monday after. */
  while (g_date_time_get_day_of_week (start) > 5)
    {
      GDateTime *next = g_date_time_add_days (start, 1);

      g_date_time_unref (start);
      start = next;
    }
  seed.session = cairn_test_book (db, seed.patient, "medicine-session", g_date_time_to_unix (start), 480, room,
                                  me, me, error);
  return seed.session != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}

static CairnPatient *
patient (const char *id)
{
  CairnPatient *p = cairn_patient_new ();

  p->id = g_strdup (id);
  p->legal_name = g_strdup ("Adaline Quell");
  return p;
}

static CairnVault *
vault (void)
{
  return cairn_application_get_vault (cairn_test_get_application ());
}

static char *
clinical_text (const char *sql)
{
  return cairn_database_query_text (cairn_vault_get_clinical (vault ()), sql, NULL, 0, NULL);
}

static guint
clinical_count (const char *sql)
{
  g_autofree char *n = clinical_text (sql);

  return (guint) g_ascii_strtoull (n, NULL, 10);
}

static GtkWindow *
window_with (GtkWidget *child)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
unlock_and_seed (CairnRole role)
{
  CairnVault *v;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  seed_clear ();
  v = cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  g_assert_nonnull (cairn_test_run_job (v, seed_job, NULL));
  if (role != CAIRN_ROLE_CLINICIAN)
    cairn_test_unlock (role);
}

/* ------------------------------------------------------------------------ */
/* Waiting for what the page shows                                           */

/* The form is shown once the page's loader has what it read. */
static gboolean
stack_shows_form (gpointer user_data)
{
  GtkWidget *stack = cairn_test_find_descendant (user_data, GTK_TYPE_STACK, NULL);
  CairnLoader *loader = CAIRN_LOADER (cairn_test_find_descendant (user_data, CAIRN_TYPE_LOADER, NULL));

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "form") == 0 &&
         !cairn_loader_get_busy (loader) && !cairn_loader_get_failed (loader);
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} WidgetText;

static gboolean
text_shown (gpointer user_data)
{
  WidgetText *wait = user_data;

  return cairn_test_find_text (wait->widget, wait->text) != NULL;
}

static void
wait_for_text (gpointer    root,
               const char *text)
{
  WidgetText wait = { root, text };

  if (!cairn_test_wait_until (text_shown, &wait, 60000))
    g_error ("“%s” is not shown", text);
}

typedef struct
{
  const char *sql;
  guint       count;
} CountWait;

static gboolean
count_reached (gpointer user_data)
{
  CountWait *wait = user_data;

  return clinical_count (wait->sql) == wait->count;
}

static void
wait_for_count (const char *sql,
                guint       count)
{
  CountWait wait = { sql, count };

  if (!cairn_test_wait_until (count_reached, &wait, 60000))
    g_error ("“%s” is not %u", sql, count);
}

static gboolean
subtitle_is (gpointer user_data)
{
  WidgetText *wait = user_data;

  return g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (wait->widget)), wait->text) == 0;
}

static void
wait_for_subtitle (GtkWidget  *expander,
                   const char *subtitle)
{
  WidgetText wait = { expander, subtitle };

  if (!cairn_test_wait_until (subtitle_is, &wait, 60000))
    g_error ("The subtitle is “%s”, not “%s”", adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)),
             subtitle);
}

static gboolean
no_dialog (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_SCREENING_DIALOG) == NULL;
}

static GtkWidget *
dialog (void)
{
  GtkWindow *found = cairn_test_find_toplevel (CAIRN_TYPE_SCREENING_DIALOG);

  g_assert_nonnull (found);
  return GTK_WIDGET (found);
}

/* The button whose content (icon and label) says @label. */
static GtkWidget *
find_content_button (GtkWidget  *root,
                     const char *label)
{
  if (GTK_IS_BUTTON (root) && ADW_IS_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (root))) &&
      g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (root)))),
                 label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_content_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static CairnScreeningPage *
open_page (const char *patient_id)
{
  CairnScreeningPage *page = g_object_new (CAIRN_TYPE_SCREENING_PAGE,
                                           "context", cairn_test_get_context (),
                                           NULL);
  g_autoptr(CairnPatient) p = patient (patient_id);

  window_with (GTK_WIDGET (page));
  cairn_screening_page_load (page, p);
  g_assert_true (cairn_test_wait_until (stack_shows_form, page, 60000));
  return page;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

static void
test_exclusions (void)
{
  g_autoptr(CairnProtocol) protocol = NULL;
  CairnScreeningPage *page;
  guint n;

  unlock_and_seed (CAIRN_ROLE_CLINICIAN);
  page = open_page (seed.patient);
  protocol = cairn_protocol_load_default ();
  n = cairn_protocol_get_n_exclusions (protocol);
  g_assert_cmpuint (n, >, 1);

  /* Every exclusion of the template has a row, not answered yet. */
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = cairn_test_find_row (GTK_WIDGET (page), cairn_protocol_get_exclusion_nth (protocol, i)->title);

      g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Not answered");
    }

  /* Answered no, one by one: each a save of its own. */
  for (guint i = 1; i < n; i++)
    {
      GtkWidget *row = cairn_test_find_row (GTK_WIDGET (page), cairn_protocol_get_exclusion_nth (protocol, i)->title);

      cairn_test_select (row, "Answer", "No");
      wait_for_count ("SELECT count(*) FROM screening_exclusions WHERE answer = 'no'", i);
    }

  /* The first: unknown, with a note applied. */
  {
    const CairnExclusion *first = cairn_protocol_get_exclusion_nth (protocol, 0);
    GtkWidget *row = cairn_test_find_row (GTK_WIDGET (page), first->title);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM screening_exclusions WHERE exclusion_id = '%s'"
                                            " AND answer = 'unknown' AND note = 'Ask the GP'", first->id);

    cairn_test_type (row, "Note", "Ask the GP");
    g_signal_emit_by_name (cairn_test_find_row (row, "Note"), "apply");
    /* No answer chosen yet: said at the note, nothing written. */
    g_assert_nonnull (cairn_test_find_text (row, "Choose no, yes or unknown first."));
    g_assert_cmpuint (clinical_count ("SELECT count(*) FROM screening_exclusions"), ==, n - 1);

    cairn_test_select (row, "Answer", "Unknown");
    wait_for_count (sql, 1);
    wait_for_subtitle (row, "Unknown — Ask the GP");
    g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Answer saved"));
    g_assert_null (cairn_test_find_text (row, "Choose no, yes or unknown first."));
  }
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM audit WHERE action = 'screening.exclusion'"), ==, n);
}

static gboolean
confirm_shown (gpointer user_data)
{
  return cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static GtkWidget *
find_button_with_tooltip (GtkWidget  *root,
                          const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0)
        return child;
      if ((found = find_button_with_tooltip (child, tooltip)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_medication (void)
{
  CairnScreeningPage *page;
  GtkWidget *add;
  GtkWidget *switch_row;
  GtkWidget *toggle;
  g_autofree char *tomorrow = local_day (1);
  g_autofree char *yesterday = local_day (-1);

  unlock_and_seed (CAIRN_ROLE_CLINICIAN);
  page = open_page (seed.patient);
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "No medications recorded"));

  add = find_content_button (GTK_WIDGET (page), "_Add…");
  g_assert_nonnull (add);
  g_signal_emit_by_name (add, "clicked");
  g_assert_nonnull (dialog ());

  /* The switch follows the name as it is typed. */
  switch_row = cairn_test_find_row (dialog (), "Serotonergic");
  toggle = cairn_test_find_descendant (switch_row, GTK_TYPE_SWITCH, NULL);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  cairn_test_type (dialog (), "Name", "Sertraline 50 mg");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  cairn_test_type (dialog (), "Name", "Paracetamol");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  cairn_test_type (dialog (), "Name", "Sertraline 50 mg");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));

  /* Tapered off tomorrow: refused at the field, nothing written. */
  cairn_test_type (dialog (), "Dose", "50 mg once a day");
  cairn_test_type (dialog (), "Tapered off on", tomorrow);
  cairn_test_click (dialog (), "Add");
  wait_for_text (dialog (), "This date is in the future");
  g_assert_cmpstr (cairn_field_set_get_message (cairn_screening_dialog_get_fields (CAIRN_SCREENING_DIALOG (dialog ())),
                                                "tapered_off"),
                   ==, "This date is in the future: enter the day it happened.");
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM medications"), ==, 0);

  cairn_test_type (dialog (), "Tapered off on", yesterday);
  cairn_test_click (dialog (), "Add");
  g_assert_true (cairn_test_wait_until (no_dialog, NULL, 60000));
  wait_for_text (page, "Medication added");
  g_assert_nonnull (cairn_test_find_row (GTK_WIDGET (page), "Sertraline 50 mg"));
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM medications WHERE name = 'Sertraline 50 mg'"
                                    " AND serotonergic = 1 AND dose = '50 mg once a day'"), ==, 1);

  /* The clinician's word counts over the list: unticked, it stays so. */
  g_signal_emit_by_name (find_content_button (GTK_WIDGET (page), "_Add…"), "clicked");
  toggle = cairn_test_find_descendant (cairn_test_find_row (dialog (), "Serotonergic"), GTK_TYPE_SWITCH, NULL);
  cairn_test_type (dialog (), "Name", "Tramadol");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  cairn_test_type (dialog (), "Name", "Tramadol 50 mg");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  cairn_test_click (dialog (), "Add");
  g_assert_true (cairn_test_wait_until (no_dialog, NULL, 60000));
  wait_for_count ("SELECT count(*) FROM medications WHERE name = 'Tramadol 50 mg' AND serotonergic = 0", 1);

  /* Removing asks first; Cancel keeps it, Remove leaves a tombstone. */
  {
    GtkWidget *row = cairn_test_find_row (GTK_WIDGET (page), "Tramadol 50 mg");
    GtkWindow *confirm;

    GtkWidget *remove = find_button_with_tooltip (row, "Remove From the List");
    g_assert_nonnull (remove);

    g_signal_emit_by_name (remove, "clicked");
    g_assert_true (cairn_test_wait_until (confirm_shown, NULL, 5000));
    confirm = cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (confirm);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
    cairn_test_iterate (100);
    g_assert_cmpuint (clinical_count ("SELECT count(*) FROM medications WHERE name = 'Tramadol 50 mg'"
                                      " AND deleted_at IS NULL"), ==, 1);

    g_signal_emit_by_name (remove, "clicked");
    g_assert_true (cairn_test_wait_until (confirm_shown, NULL, 5000));
    confirm = cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (confirm);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "remove");
    wait_for_count ("SELECT count(*) FROM medications WHERE name = 'Tramadol 50 mg' AND deleted_at IS NOT NULL", 1);
  }
}

static void
test_decision (void)
{
  CairnScreeningPage *page;
  GtkWidget *decision_row;

  unlock_and_seed (CAIRN_ROLE_CLINICIAN);
  page = open_page (seed.patient);
  decision_row = cairn_test_find_row (GTK_WIDGET (page), "Not decided");
  g_assert_nonnull (decision_row);

  cairn_test_click (GTK_WIDGET (page), "Record Decision…");
  /* No decision chosen: the form starts on none, and refuses it at the field. */
  cairn_test_type (dialog (), "Reason", "Criteria met");
  cairn_test_click (dialog (), "Record");
  wait_for_text (dialog (), "Choose eligible, not eligible or needs review.");
  g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (dialog (), "Decision"), "error"));
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM eligibility_decisions"), ==, 0);
  cairn_test_type (dialog (), "Reason", "");

  cairn_test_select (dialog (), "Decision", "Eligible");
  /* No reason: refused at the field, nothing written. */
  cairn_test_click (dialog (), "Record");
  wait_for_text (dialog (), "Write the reason for this decision.");
  g_assert_cmpstr (cairn_field_set_get_message (cairn_screening_dialog_get_fields (CAIRN_SCREENING_DIALOG (dialog ())),
                                                "reason"),
                   ==, "Write the reason for this decision.");
  g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (dialog (), "Reason"), "error"));
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM eligibility_decisions"), ==, 0);

  cairn_test_type (dialog (), "Reason", "Criteria met; cardiology cleared");
  cairn_test_click (dialog (), "Record");
  g_assert_true (cairn_test_wait_until (no_dialog, NULL, 60000));
  wait_for_text (page, "Decision recorded");
  g_assert_nonnull (cairn_test_find_row (GTK_WIDGET (page), "Eligible"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Criteria met; cardiology cleared — decided by "
                                          CAIRN_TEST_CLINICIAN));
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM eligibility_decisions WHERE decision = 'eligible'"),
                    ==, 1);

  /* A second decision: the first moves to the history. */
  cairn_test_click (GTK_WIDGET (page), "Record Decision…");
  cairn_test_select (dialog (), "Decision", "Needs review");
  cairn_test_type (dialog (), "Reason", "New cardiology finding");
  cairn_test_click (dialog (), "Record");
  g_assert_true (cairn_test_wait_until (no_dialog, NULL, 60000));
  g_assert_nonnull (cairn_test_find_row (GTK_WIDGET (page), "Needs review"));
  g_assert_true (gtk_widget_get_visible (cairn_test_find_row (GTK_WIDGET (page), "Earlier decisions")));
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM eligibility_decisions"), ==, 2);
}

/* The pregnancy test result chosen, as shown. */
static const char *
row_result (CairnScreeningPage *page)
{
  AdwComboRow *row = ADW_COMBO_ROW (cairn_test_find_row (GTK_WIDGET (page), "Result"));

  return gtk_string_object_get_string (adw_combo_row_get_selected_item (row));
}

static void
test_bad_input (void)
{
  CairnScreeningPage *page;
  g_autofree char *today = local_day (0);
  g_autofree char *tomorrow = local_day (1);
  g_autofree char *yesterday = local_day (-1);
  g_autofree char *consent = NULL;

  unlock_and_seed (CAIRN_ROLE_CLINICIAN);
  page = open_page (seed.patient);

  /* Out of range, and not a number: each said at its field. */
  cairn_test_type (GTK_WIDGET (page), "Vital signs taken on", today);
  cairn_test_type (GTK_WIDGET (page), "Systolic blood pressure (mmHg)", "300");
  cairn_test_type (GTK_WIDGET (page), "Diastolic blood pressure (mmHg)", "80");
  cairn_test_type (GTK_WIDGET (page), "Heart rate (bpm)", "fast");
  cairn_test_click (GTK_WIDGET (page), "Save Baseline");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Enter a whole number, such as 120."));
  g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (GTK_WIDGET (page), "Heart rate (bpm)"), "error"));

  cairn_test_type (GTK_WIDGET (page), "Heart rate (bpm)", "64");
  cairn_test_click (GTK_WIDGET (page), "Save Baseline");
  wait_for_text (page, "Enter a value from 60 to 260 mmHg.");
  g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (GTK_WIDGET (page),
                                                                "Systolic blood pressure (mmHg)"), "error"));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Enter a whole number, such as 120."));
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM screenings"), ==, 0);
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM audit WHERE action = 'screening.save'"), ==, 0);

  cairn_test_type (GTK_WIDGET (page), "Systolic blood pressure (mmHg)", "122");
  cairn_test_type (GTK_WIDGET (page), "Temperature (°C)", "36,8");
  cairn_test_click (GTK_WIDGET (page), "Save Baseline");
  wait_for_count ("SELECT count(*) FROM screenings WHERE systolic = 122 AND diastolic = 80 AND heart_rate = 64"
                  " AND temperature = 36.8", 1);
  wait_for_text (page, "Baseline saved");
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Enter a value from 60 to 260 mmHg."));

  /* Not a date, however near one: refused at the field, nothing written. */
  {
    static const char * const not_dates[] = { "2025- 9-30", "2025-+9-30", "2025-9-30", "2025-02-30",
                                              "2025-09-30 x" };

    for (guint i = 0; i < G_N_ELEMENTS (not_dates); i++)
      {
        g_autofree char *words = g_strdup_printf ("“%s” is not a date.", not_dates[i]);

        cairn_test_type (GTK_WIDGET (page), "Informed consent signed on", not_dates[i]);
        cairn_test_click (GTK_WIDGET (page), "Save Consent and Support");
        wait_for_text (page, words);
        g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (GTK_WIDGET (page),
                                                                      "Informed consent signed on"), "error"));
        g_assert_cmpuint (clinical_count ("SELECT count(*) FROM screenings WHERE consent_date IS NOT NULL"), ==, 0);
      }
  }

  /* A consent in the future: refused at the field, the other fields kept. */
  cairn_test_type (GTK_WIDGET (page), "Informed consent signed on", tomorrow);
  cairn_test_type (GTK_WIDGET (page), "Driver home", "Mara Quell");
  cairn_test_click (GTK_WIDGET (page), "Save Consent and Support");
  wait_for_text (page, "This date is in the future: enter the day it happened.");
  g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (GTK_WIDGET (page), "Informed consent signed on"),
                                           "error"));
  consent = clinical_text ("SELECT coalesce (consent_date, '') || coalesce (driver, '') FROM screenings");
  g_assert_cmpstr (consent, ==, "");

  cairn_test_type (GTK_WIDGET (page), "Informed consent signed on", yesterday);
  cairn_test_click (GTK_WIDGET (page), "Save Consent and Support");
  wait_for_count ("SELECT count(*) FROM screenings WHERE driver = 'Mara Quell' AND consent_date IS NOT NULL", 1);
  wait_for_text (page, "Consent and support saved");
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "This date is in the future"));
  /* Saving consent kept the baseline saved before. */
  g_assert_cmpuint (clinical_count ("SELECT systolic FROM screenings"), ==, 122);

  /* No result is recorded by default: one click records nothing. */
  g_assert_cmpstr (row_result (page), ==, "Not chosen");
  cairn_test_click (GTK_WIDGET (page), "Add Test");
  wait_for_text (page, "Choose the result the test showed.");
  g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (GTK_WIDGET (page), "Result"), "error"));
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM pregnancy_tests"), ==, 0);
  cairn_test_select (GTK_WIDGET (page), "Result", "Negative");

  /* A pregnancy test in the future is refused at the date. */
  cairn_test_type (GTK_WIDGET (page), "Test date", tomorrow);
  cairn_test_click (GTK_WIDGET (page), "Add Test");
  wait_for_text (page, "This date is in the future");
  g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (GTK_WIDGET (page), "Test date"), "error"));
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM pregnancy_tests"), ==, 0);
  cairn_test_type (GTK_WIDGET (page), "Test date", today);
  cairn_test_click (GTK_WIDGET (page), "Add Test");
  wait_for_count ("SELECT count(*) FROM pregnancy_tests WHERE result = 'negative'", 1);
  wait_for_text (page, "Pregnancy test recorded");
  g_assert_false (gtk_widget_has_css_class (cairn_test_find_row (GTK_WIDGET (page), "Test date"), "error"));
  g_assert_false (gtk_widget_has_css_class (cairn_test_find_row (GTK_WIDGET (page), "Result"), "error"));
  /* The next test's result is chosen anew. */
  g_assert_cmpstr (row_result (page), ==, "Not chosen");
}

static GtkWidget *
gate_row (CairnGateView *view,
          const char    *title)
{
  return cairn_test_find_row (GTK_WIDGET (view), title);
}

static void
test_gate (void)
{
  CairnGateView *view;
  CairnGateView *other;
  GtkWidget *row;
  g_autofree char *override_sql = NULL;

  unlock_and_seed (CAIRN_ROLE_CLINICIAN);
  view = CAIRN_GATE_VIEW (cairn_gate_view_new (cairn_test_get_context ()));
  window_with (GTK_WIDGET (view));
  cairn_gate_view_load (view, seed.patient);
  wait_for_text (view, "Next medicine session:");

  /* Nothing recorded: failures, each with its reason. */
  row = gate_row (view, "Consent on file");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "No date of informed consent is recorded.");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (view), "No eligibility decision is recorded."));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (view), "Assigned: 1 of the 2 therapists needed."));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (view), "checks are not passed."));

  /* An override needs a written reason. */
  cairn_test_click (row, "Override…");
  cairn_test_click (dialog (), "Override");
  wait_for_text (dialog (), "Write why this check may be overridden.");
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM gate_overrides"), ==, 0);

  cairn_test_type (dialog (), "Reason", "Consent given on video, signed form in the post");
  cairn_test_click (dialog (), "Override");
  g_assert_true (cairn_test_wait_until (no_dialog, NULL, 60000));
  wait_for_text (view, "Overridden today: Consent given on video, signed form in the post");

  override_sql = g_strdup_printf ("SELECT count(*) FROM gate_overrides WHERE check_id = 'consent'"
                                  " AND appointment_id = '%s'", seed.session);
  g_assert_cmpuint (clinical_count (override_sql), ==, 1);
  g_assert_cmpuint (clinical_count ("SELECT count(*) FROM audit WHERE action = 'gate.override'"), ==, 1);
  /* The overridden check offers no second override. */
  row = gate_row (view, "Consent on file");
  g_assert_null (cairn_test_find_text (row, "Override…"));

  /* Another patient, nothing booked: the checks still show. */
  other = CAIRN_GATE_VIEW (cairn_gate_view_new (cairn_test_get_context ()));
  window_with (GTK_WIDGET (other));
  cairn_gate_view_load (other, seed.other);
  wait_for_text (other, "No medicine session is booked. The checks below are as of today.");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gate_row (other, "Therapists assigned"))), ==,
                   "No medicine session is booked.");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (other), "No eligibility decision is recorded."));
  /* With no medicine session there is nothing to let go ahead. */
  g_assert_null (cairn_test_find_text (GTK_WIDGET (other), "Override…"));

  /* Cleared (on lock): nothing of the patient stays. */
  cairn_gate_view_clear (view);
  g_assert_null (cairn_test_find_text (GTK_WIDGET (view), "Overridden today"));
}

/* A medicine session staffed by a clinician and a front-desk user: the
 * front desk is no therapist. */
static gpointer
book_with_desk_job (CairnVault    *vault,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *desk = cairn_database_query_text (db, "SELECT id FROM users WHERE role = 'front-desk'",
                                                     NULL, 0, error);
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 9);
  g_autoptr(GDateTime) start = g_date_time_new (zone, g_date_time_get_year (later), g_date_time_get_month (later),
                                                g_date_time_get_day_of_month (later), 9, 0, 0);
  const char *staff[] = { me, desk, NULL };

  if (desk == NULL)
    return NULL;
  while (g_date_time_get_day_of_week (start) > 5)
    {
      GDateTime *next = g_date_time_add_days (start, 1);

      g_date_time_unref (start);
      start = next;
    }
  a->patient_id = g_strdup (seed.other);
  a->type_id = g_strdup ("medicine-session");
  a->start = g_date_time_to_unix (start);
  a->end = a->start + 8 * 3600;
  a->staff_ids = g_strdupv ((char **) staff);
  return cairn_schedule_book (db, a, 0, FALSE, "Seeded for the test", me, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
test_gate_front_desk_no_therapist (void)
{
  CairnGateView *view;

  unlock_and_seed (CAIRN_ROLE_CLINICIAN);
  g_assert_nonnull (cairn_test_run_job (vault (), book_with_desk_job, NULL));
  view = CAIRN_GATE_VIEW (cairn_gate_view_new (cairn_test_get_context ()));
  window_with (GTK_WIDGET (view));
  cairn_gate_view_load (view, seed.other);
  wait_for_text (view, "Next medicine session:");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gate_row (view, "Therapists assigned"))), ==,
                   "Assigned: 1 of the 2 therapists needed.");
  g_assert_null (cairn_test_find_text (GTK_WIDGET (view), "therapists assigned, as the protocol template asks"));
}

static void
test_front_desk (void)
{
  CairnScreeningPage *page;
  CairnGateView *view;
  g_autoptr(CairnPatient) p = NULL;
  GtkWidget *stack;

  unlock_and_seed (CAIRN_ROLE_FRONT_DESK);
  g_assert_null (cairn_vault_get_clinical (vault ()));
  g_assert_false (cairn_vault_has_clinical (vault ()));

  /* Loading for the front desk reads nothing and shows nothing, and says
   * nothing in the log (criticals are fatal in these tests). */
  page = g_object_new (CAIRN_TYPE_SCREENING_PAGE, "context", cairn_test_get_context (), NULL);
  window_with (GTK_WIDGET (page));
  p = patient (seed.patient);
  cairn_screening_page_load (page, p);
  cairn_test_iterate (200);
  stack = cairn_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_STACK, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Eligibility"));

  view = CAIRN_GATE_VIEW (cairn_gate_view_new (cairn_test_get_context ()));
  window_with (GTK_WIDGET (view));
  cairn_gate_view_load (view, seed.patient);
  cairn_test_iterate (200);
  g_assert_null (cairn_test_find_text (GTK_WIDGET (view), "Consent"));
}

static gpointer
add_medication_job (CairnVault    *vault,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(CairnMedication) m = cairn_medication_new ();
  g_autofree char *me = cairn_vault_get_user_id (vault);

  m->name = g_strdup (data);
  return cairn_screening_save_medication (cairn_vault_get_clinical (vault), seed.patient, m, me, NULL, error)
         ? data : NULL;
}

/* A read that fails is said on one page, with what failed and Try Again;
 * nothing of what was read before stays shown. Trying again once the
 * fault is gone shows the screening. The gate's read fails the same way. */
static void
test_failed_read (void)
{
  CairnScreeningPage *page;
  CairnGateView *view;
  g_autoptr(CairnPatient) p = NULL;

  unlock_and_seed (CAIRN_ROLE_CLINICIAN);
  /* Written beforehand: a toast still sliding in when the page is read
   * again would be dismissed, which libadwaita 1.2 does not survive. */
  g_assert_nonnull (cairn_test_run_job (vault (), add_medication_job, (gpointer) "Sertraline 50 mg"));
  page = open_page (seed.patient);
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Sertraline 50 mg"));

  cairn_test_exec (vault (), "clinical:ALTER TABLE medications RENAME TO medications_away");
  p = patient (seed.patient);
  cairn_screening_page_load (page, p);
  g_assert_true (cairn_test_wait_until (cairn_test_loader_failed, page, 10000));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Screening Could Not Be Read"));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Sertraline 50 mg"));

  /* Still failing: the same page again, nothing else. */
  cairn_test_click (GTK_WIDGET (page), "Try Again");
  g_assert_true (cairn_test_wait_until (cairn_test_loader_failed, page, 10000));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Sertraline 50 mg"));

  /* The gate reads the screening too: its read fails the same way. */
  view = CAIRN_GATE_VIEW (cairn_gate_view_new (cairn_test_get_context ()));
  window_with (GTK_WIDGET (view));
  cairn_gate_view_load (view, seed.patient);
  g_assert_true (cairn_test_wait_until (cairn_test_loader_failed, view, 10000));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (view), "Consent on file"));

  cairn_test_exec (vault (), "clinical:ALTER TABLE medications_away RENAME TO medications");
  cairn_test_click (GTK_WIDGET (page), "Try Again");
  g_assert_true (cairn_test_wait_until (stack_shows_form, page, 10000));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Screening Could Not Be Read"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Sertraline 50 mg"));

  cairn_test_click (GTK_WIDGET (view), "Try Again");
  wait_for_text (view, "Next medicine session:");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (view), "Consent on file"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/screening-page/exclusions", test_exclusions);
  g_test_add_func ("/screening-page/medication", test_medication);
  g_test_add_func ("/screening-page/decision", test_decision);
  g_test_add_func ("/screening-page/bad-input", test_bad_input);
  g_test_add_func ("/screening-page/gate", test_gate);
  g_test_add_func ("/screening-page/gate-front-desk-no-therapist", test_gate_front_desk_no_therapist);
  g_test_add_func ("/screening-page/front-desk", test_front_desk);
  g_test_add_func ("/screening-page/failed-read", test_failed_read);

  status = cairn_test_run ();
  seed_clear ();
  return status;
}
