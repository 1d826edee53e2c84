/* test-patients-page.c
 *
 * The Patients page in a real window, driven as the front desk would: the
 * empty practice, a new patient through the form, every problem the form
 * points out, the duplicate warning, instant search, changing and
 * archiving a patient, and what is left on the screen when Cairn locks.
 * A clinician gets the same page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cairn-loader.h"
#include "cairn-lock-monitor.h"
#include "cairn-patient-dialog.h"
#include "cairn-patient-row.h"
#include "cairn-patients-page.h"
#include "cairn-schedule.h"
#include "cairn-test-utils.h"
#include "cairn-window.h"

/* ------------------------------------------------------------------------ */
/* Waiting for what a person would wait for                                  */

typedef struct
{
  GtkWidget  *root;
  const char *text;
  const char *title;
} Expect;

static gboolean
text_shown (gpointer user_data)
{
  Expect *expect = user_data;

  return cairn_test_find_text (expect->root, expect->text) != NULL;
}

static void
assert_text_soon (GtkWidget  *root,
                  const char *text)
{
  Expect expect = { root, text, NULL };

  if (!cairn_test_wait_until (text_shown, &expect, 5000))
    g_error ("“%s” never appeared", text);
}

static gboolean
page_settled (gpointer user_data)
{
  CairnPatientsPage *page = user_data;

  return !cairn_patients_page_get_busy (page) &&
         g_strcmp0 (cairn_patients_page_get_state (page), "blank") != 0;
}

static void
wait_settled (CairnPatientsPage *page)
{
  g_assert_true (cairn_test_wait_until (page_settled, page, 5000));
}

static gboolean
dialog_gone (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_PATIENT_DIALOG) == NULL;
}

static gboolean
viewing_patient (gpointer user_data)
{
  return g_strcmp0 (cairn_patients_page_get_view (user_data), "patient") == 0;
}

static gboolean
chart_filled (gpointer user_data)
{
  return *gtk_editable_get_text (GTK_EDITABLE (user_data)) != '\0';
}

/* ------------------------------------------------------------------------ */

static GtkWidget *
search_entry (CairnPatientsPage *page)
{
  return cairn_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY, NULL);
}

static GtkWidget *
list_view (CairnPatientsPage *page)
{
  return cairn_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW, "patient-list");
}

static const char *
row_text (GtkWidget  *dialog,
          const char *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (cairn_test_find_row (dialog, title)));
}

static CairnPatientsPage *
open_patients (CairnRole role)
{
  CairnApplication *app = cairn_test_get_application ();
  GtkWindow *window;
  GtkWidget *page;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  cairn_test_unlock (role);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CAIRN_IS_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "patients");
  g_assert_cmpstr (cairn_window_get_visible_page (CAIRN_WINDOW (window)), ==, "patients");

  page = cairn_test_find_descendant (GTK_WIDGET (window), CAIRN_TYPE_PATIENTS_PAGE, NULL);
  g_assert_nonnull (page);
  wait_settled (CAIRN_PATIENTS_PAGE (page));
  return CAIRN_PATIENTS_PAGE (page);
}

static GtkWidget *
main_window (void)
{
  /* Not the application's active window: that is the form while it is open. */
  return GTK_WIDGET (cairn_test_find_toplevel (CAIRN_TYPE_WINDOW));
}

static GtkWidget *
open_new_dialog (CairnPatientsPage *page)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patients.new", NULL));
  dialog = cairn_test_wait_for_toplevel (CAIRN_TYPE_PATIENT_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "New Patient");
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (main_window ()));
  g_assert_true (gtk_window_get_modal (dialog));
  /* The next free chart number is suggested. */
  g_assert_true (cairn_test_wait_until (chart_filled,
                                        cairn_test_find_row (GTK_WIDGET (dialog), "Chart number"),
                                        5000));
  return GTK_WIDGET (dialog);
}

static void
save_and_wait (GtkWidget *dialog)
{
  cairn_test_click (dialog, "Save");
  if (!cairn_test_wait_until (dialog_gone, NULL, 5000))
    g_error ("The form did not close");
}

/* A new patient through the form, as the front desk makes one. */
static void
add_patient (CairnPatientsPage *page,
             const char        *legal_name,
             const char        *date_of_birth)
{
  GtkWidget *dialog = open_new_dialog (page);

  cairn_test_type (dialog, "Legal name", legal_name);
  cairn_test_type (dialog, "Date of birth", date_of_birth);
  save_and_wait (dialog);
  wait_settled (page);
}

static int
find_listed (CairnPatientsPage *page,
             const char        *legal_name)
{
  GListModel *model = cairn_patients_page_get_model (page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CairnPatientRow) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (cairn_patient_row_get_legal_name (row), legal_name) == 0)
        return (int) i;
    }
  return -1;
}

static guint
n_listed (CairnPatientsPage *page)
{
  return g_list_model_get_n_items (cairn_patients_page_get_model (page));
}

static gboolean
is_listed (gpointer user_data)
{
  Expect *expect = user_data;

  return find_listed (CAIRN_PATIENTS_PAGE (expect->root), expect->text) >= 0 &&
         page_settled (expect->root);
}

static void
assert_listed_soon (CairnPatientsPage *page,
                    const char        *legal_name)
{
  Expect expect = { GTK_WIDGET (page), legal_name, NULL };

  if (!cairn_test_wait_until (is_listed, &expect, 5000))
    g_error ("“%s” never appeared in the list (%u listed, %s, %s)", legal_name, n_listed (page),
             cairn_patients_page_get_state (page),
             cairn_patients_page_get_busy (page) ? "busy" : "idle");
}

static void
open_listed (CairnPatientsPage *page,
             const char        *legal_name)
{
  int position = find_listed (page, legal_name);
  g_assert_cmpint (position, >=, 0);
  g_signal_emit_by_name (list_view (page), "activate", (guint) position);
  g_assert_true (cairn_test_wait_until (viewing_patient, page, 5000));
  assert_text_soon (GTK_WIDGET (page), legal_name);
}

static void
type_search (CairnPatientsPage *page,
             const char        *text)
{
  gtk_editable_set_text (GTK_EDITABLE (search_entry (page)), text);
}

/* The message shown right under a field of the form, or %NULL. */
static const char *
problem_under (GtkWidget  *dialog,
               const char *title)
{
  GtkWidget *row = cairn_test_find_row (dialog, title);
  GtkWidget *next = gtk_widget_get_next_sibling (row);

  if (!GTK_IS_LIST_BOX_ROW (next) || !gtk_widget_get_visible (next))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (next))));
}

static gboolean
problem_shown (gpointer user_data)
{
  Expect *expect = user_data;
  const char *problem = problem_under (expect->root, expect->title);

  return problem != NULL && strstr (problem, expect->text) != NULL &&
         gtk_widget_has_css_class (cairn_test_find_row (expect->root, expect->title), "error");
}

static void
assert_problem_soon (GtkWidget  *dialog,
                     const char *title,
                     const char *message)
{
  Expect expect = { dialog, message, title };

  if (!cairn_test_wait_until (problem_shown, &expect, 5000))
    g_error ("“%s” never appeared under %s (%s)", message, title,
             problem_under (dialog, title) != NULL ? problem_under (dialog, title) : "nothing");
}

static void
assert_no_problem (GtkWidget  *dialog,
                   const char *title)
{
  g_assert_null (problem_under (dialog, title));
  g_assert_false (gtk_widget_has_css_class (cairn_test_find_row (dialog, title), "error"));
}

static gboolean
save_sensitive (GtkWidget *dialog)
{
  return gtk_widget_is_sensitive (cairn_test_find_button (dialog, "Save"));
}

/* ------------------------------------------------------------------------ */

static void
test_format (void)
{
  GDate today;
  g_autofree char *nickname = cairn_patient_format_nickname ("Adaline Quell", " Ada ");
  g_autofree char *birth = NULL;
  g_autofree char *future = NULL;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 26, G_DATE_MARCH, 2024);

  g_assert_cmpstr (nickname, ==, "“Ada”");
  g_assert_null (cairn_patient_format_nickname ("Ada Quell", "ada quell"));
  g_assert_null (cairn_patient_format_nickname ("Ada Quell", "  "));
  g_assert_null (cairn_patient_format_nickname ("Ada Quell", NULL));

  birth = cairn_patient_format_birth ("1984-03-27", &today);
  g_assert_cmpstr (birth, ==, "1984-03-27 (age 39)");
  future = cairn_patient_format_birth ("2090-01-01", &today);
  g_assert_cmpstr (future, ==, "2090-01-01");
  g_assert_null (cairn_patient_format_birth (NULL, &today));
}

static void
test_empty_state (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  GtkWidget *dialog;

  g_assert_cmpstr (cairn_patients_page_get_state (page), ==, "empty");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "No Patients Yet"));

  /* The empty page's own button opens the form. */
  cairn_test_click (GTK_WIDGET (page), "New Patient");
  dialog = GTK_WIDGET (cairn_test_wait_for_toplevel (CAIRN_TYPE_PATIENT_DIALOG));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 1000));
  /* What the form read (the next chart number) has answered; nothing was added. */
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
  g_assert_cmpstr (cairn_patients_page_get_state (page), ==, "empty");
}

static void
test_create_patient (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  GtkWidget *dialog = open_new_dialog (page);
  GtkTextView *notes;
  GtkSingleSelection *selection;
  g_autoptr(CairnPatientRow) selected = NULL;

  g_assert_cmpstr (row_text (dialog, "Chart number"), ==, "C-000001");
  g_assert_false (save_sensitive (dialog));

  cairn_test_type (dialog, "Legal name", "Ada Quell");
  cairn_test_type (dialog, "Preferred name", "Addie");
  cairn_test_type (dialog, "Pronouns", "she/her");
  cairn_test_type (dialog, "Date of birth", "1984-03-27");
  cairn_test_type (dialog, "Phone", "+49 30 1234567");
  cairn_test_type (dialog, "Email", "ada@example.org");
  cairn_test_type (dialog, "Address", "Lindenstraße 12, Berlin");
  cairn_test_type (dialog, "Emergency contact", "Jonas Quell");
  cairn_test_type (dialog, "Support person", "Mara Lind");
  cairn_test_type (dialog, "Referring clinician", "Dr Ines Brandt");
  notes = GTK_TEXT_VIEW (cairn_test_find_descendant (dialog, GTK_TYPE_TEXT_VIEW, NULL));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (notes), "Prefers afternoons.", -1);
  {
    GDate today;
    g_autofree char *age = NULL;

    cairn_patient_get_today (&today);
    age = g_strdup_printf ("age %d", cairn_patient_age ("1984-03-27", &today));
    g_assert_nonnull (cairn_test_find_text (dialog, age));
  }
  g_assert_true (save_sensitive (dialog));
  save_and_wait (dialog);

  assert_listed_soon (page, "Ada Quell");
  g_assert_cmpstr (cairn_patients_page_get_state (page), ==, "list");
  g_assert_cmpuint (n_listed (page), ==, 1);
  assert_text_soon (main_window (), "Patient added");
  assert_text_soon (GTK_WIDGET (page), "“Addie”");
  assert_text_soon (GTK_WIDGET (page), "C-000001 · 1984-03-27");

  /* The new patient is the one picked out. */
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list_view (page))));
  selected = g_object_ref (gtk_single_selection_get_selected_item (selection));
  g_assert_cmpstr (cairn_patient_row_get_legal_name (selected), ==, "Ada Quell");

  /* Every field reached the vault. */
  open_listed (page, "Ada Quell");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "she/her"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "ada@example.org"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Lindenstraße 12, Berlin"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Jonas Quell"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Mara Lind"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Dr Ines Brandt"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Prefers afternoons."));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Chart C-000001"));
  assert_text_soon (GTK_WIDGET (page), "None booked");

  /* The next one is suggested the next number. */
  dialog = open_new_dialog (page);
  g_assert_cmpstr (row_text (dialog, "Chart number"), ==, "C-000002");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_validation (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  GtkWidget *dialog = open_new_dialog (page);

  /* Nothing is pointed at before it is typed in; Save waits for the two
   * fields that are needed. */
  g_assert_false (save_sensitive (dialog));
  assert_no_problem (dialog, "Legal name");
  assert_no_problem (dialog, "Date of birth");

  cairn_test_type (dialog, "Legal name", "Ada Quell");
  cairn_test_type (dialog, "Legal name", "");
  assert_problem_soon (dialog, "Legal name", "Enter the patient’s legal name.");

  cairn_test_type (dialog, "Date of birth", "2091-04-01");
  assert_problem_soon (dialog, "Date of birth", "The date of birth is in the future.");

  cairn_test_type (dialog, "Email", "ada@");
  assert_problem_soon (dialog, "Email", "This does not look like an email address");

  cairn_test_type (dialog, "Phone", "030 12ab");
  assert_problem_soon (dialog, "Phone", "A phone number has digits, spaces and + - ( ) / only.");

  cairn_test_type (dialog, "Chart number", "C 1");
  assert_problem_soon (dialog, "Chart number", "letters, digits and hyphens");

  /* Each message stands under its own field, and nowhere else. */
  assert_no_problem (dialog, "Preferred name");
  g_assert_false (save_sensitive (dialog));

  /* Fixed one by one: Save works only when nothing is left. */
  cairn_test_type (dialog, "Legal name", "Ada Quell");
  assert_no_problem (dialog, "Legal name");
  g_assert_false (save_sensitive (dialog));
  cairn_test_type (dialog, "Date of birth", "1984-13-01");
  assert_problem_soon (dialog, "Date of birth", "is not a date");
  cairn_test_type (dialog, "Date of birth", "1984-03-27");
  assert_no_problem (dialog, "Date of birth");
  cairn_test_type (dialog, "Email", "ada@example.org");
  assert_no_problem (dialog, "Email");
  cairn_test_type (dialog, "Phone", "12345");
  assert_problem_soon (dialog, "Phone", "6 to 20 digits");
  cairn_test_type (dialog, "Phone", "030 123456");
  assert_no_problem (dialog, "Phone");
  g_assert_false (save_sensitive (dialog));
  cairn_test_type (dialog, "Chart number", "C-000001");
  assert_no_problem (dialog, "Chart number");
  g_assert_true (save_sensitive (dialog));

  save_and_wait (dialog);
  assert_listed_soon (page, "Ada Quell");

  /* A chart number that is taken is said at the chart number. */
  dialog = open_new_dialog (page);
  cairn_test_type (dialog, "Legal name", "Bruno Okafor");
  cairn_test_type (dialog, "Date of birth", "1971-11-02");
  cairn_test_type (dialog, "Chart number", "C-000001");
  cairn_test_click (dialog, "Save");
  assert_problem_soon (dialog, "Chart number", "already belongs to");
  g_assert_false (save_sensitive (dialog));
  cairn_test_type (dialog, "Chart number", "C-000002");
  assert_no_problem (dialog, "Chart number");
  save_and_wait (dialog);
  assert_listed_soon (page, "Bruno Okafor");
}

static void
test_duplicate_warning (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  GtkWidget *dialog;
  GtkWidget *row;

  add_patient (page, "Ada Quell", "1984-03-27");

  /* The same name and date of birth: a warning, and a second click. */
  dialog = open_new_dialog (page);
  cairn_test_type (dialog, "Legal name", "ada quell");
  cairn_test_type (dialog, "Date of birth", "1984-03-27");
  cairn_test_click (dialog, "Save");
  assert_text_soon (dialog, "This may be a patient you already have");
  row = cairn_test_find_row (dialog, "Ada Quell");
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "C-000001"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "1984-03-27"));
  g_assert_nonnull (cairn_test_find_button (row, "Open"));
  g_assert_nonnull (cairn_test_find_button (dialog, "Save Anyway"));
  g_assert_null (cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpuint (n_listed (page), ==, 1);

  /* Another date of birth: the warning no longer applies. */
  cairn_test_type (dialog, "Date of birth", "1984-03-28");
  g_assert_null (cairn_test_find_text (dialog, "This may be a patient you already have"));
  g_assert_nonnull (cairn_test_find_button (dialog, "Save"));
  cairn_test_type (dialog, "Date of birth", "1984-03-27");
  cairn_test_click (dialog, "Save");
  assert_text_soon (dialog, "This may be a patient you already have");

  cairn_test_click (dialog, "Save Anyway");
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 5000));
  wait_settled (page);
  assert_listed_soon (page, "ada quell");
  g_assert_cmpuint (n_listed (page), ==, 2);

  /* Opening the one already there instead. */
  dialog = open_new_dialog (page);
  cairn_test_type (dialog, "Legal name", "Ada Quell");
  cairn_test_type (dialog, "Date of birth", "1984-03-27");
  cairn_test_click (dialog, "Save");
  assert_text_soon (dialog, "This may be a patient you already have");
  cairn_test_click (cairn_test_find_row (dialog, "Ada Quell"), "Open");
  g_assert_true (cairn_test_wait_until (dialog_gone, NULL, 1000));
  g_assert_true (cairn_test_wait_until (viewing_patient, page, 5000));
  assert_text_soon (GTK_WIDGET (page), "Chart C-000001");
  g_assert_cmpuint (n_listed (page), ==, 2);
}

static gboolean
lists_only_ada_quell (gpointer user_data)
{
  CairnPatientsPage *page = user_data;

  return page_settled (page) && n_listed (page) == 1 && find_listed (page, "Ada Quell") == 0;
}

static gboolean
shows_no_results (gpointer user_data)
{
  return page_settled (user_data) &&
         g_strcmp0 (cairn_patients_page_get_state (user_data), "no-results") == 0;
}

static gboolean
lists_two (gpointer user_data)
{
  return page_settled (user_data) && n_listed (user_data) == 2;
}

static void
test_search (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  const char *keystrokes[] = { "a", "ad", "ada", "ada ", "ada q" };

  add_patient (page, "Ada Quell", "1984-03-27");
  add_patient (page, "Ada Lovelace", "1990-12-10");
  add_patient (page, "Bruno Quell", "1971-11-02");
  g_assert_cmpuint (n_listed (page), ==, 3);

  /* One search per keystroke, each cancelling the last: the list answers
   * what the entry says at the end. */
  for (guint i = 0; i < G_N_ELEMENTS (keystrokes); i++)
    type_search (page, keystrokes[i]);
  g_assert_true (cairn_test_wait_until (lists_only_ada_quell, page, 5000));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "1 patient"));

  type_search (page, "ada");
  g_assert_true (cairn_test_wait_until (lists_two, page, 5000));

  /* Down in the search goes into the list, at its first row. */
  {
    GtkWidget *search = search_entry (page);
    GtkWidget *list = list_view (page);
    GtkSelectionModel *selection = gtk_list_view_get_model (GTK_LIST_VIEW (list));
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (search);
    gboolean handled = FALSE;
    GtkWidget *focus;

    gtk_widget_grab_focus (search);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && !handled)
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
      }
    g_assert_true (handled);
    focus = gtk_root_get_focus (GTK_ROOT (main_window ()));
    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, list));
    g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (selection)), ==, 0);
  }

  type_search (page, "xyzzy");
  g_assert_true (cairn_test_wait_until (shows_no_results, page, 5000));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "No Patients Found"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Nobody matches “xyzzy”"));

  /* Enter in the search opens the best match. */
  type_search (page, "ada q");
  g_assert_true (cairn_test_wait_until (lists_only_ada_quell, page, 5000));
  g_signal_emit_by_name (search_entry (page), "activate");
  g_assert_true (cairn_test_wait_until (viewing_patient, page, 5000));
  assert_text_soon (GTK_WIDGET (page), "Born 1984-03-27");

  /* Back, and Ctrl+F, go to the search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patients.back", NULL));
  g_assert_cmpstr (cairn_patients_page_get_view (page), ==, "list");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patients.search", NULL));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (main_window ())),
                                         search_entry (page)));
}

static gboolean
view_names (gpointer user_data)
{
  Expect *expect = user_data;

  return viewing_patient (expect->root) &&
         cairn_test_find_text (expect->root, expect->text) != NULL;
}

static void
test_edit_patient (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  GtkWidget *dialog;
  Expect expect;

  add_patient (page, "Ada Quell", "1984-03-27");
  open_listed (page, "Ada Quell");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Not recorded"));

  cairn_test_click (GTK_WIDGET (page), "Edit");
  dialog = GTK_WIDGET (cairn_test_wait_for_toplevel (CAIRN_TYPE_PATIENT_DIALOG));
  /* No patient's name in a window title. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Patient");
  g_assert_cmpstr (row_text (dialog, "Legal name"), ==, "Ada Quell");
  g_assert_cmpstr (row_text (dialog, "Date of birth"), ==, "1984-03-27");
  g_assert_true (save_sensitive (dialog));

  cairn_test_type (dialog, "Legal name", "Ada Quell-Berg");
  cairn_test_type (dialog, "Phone", "030 7654321");
  save_and_wait (dialog);

  expect = (Expect) { GTK_WIDGET (page), "Ada Quell-Berg", NULL };
  g_assert_true (cairn_test_wait_until (view_names, &expect, 5000));
  assert_text_soon (GTK_WIDGET (page), "030 7654321");
  assert_text_soon (main_window (), "Changes saved");

  gtk_widget_activate_action (GTK_WIDGET (page), "patients.back", NULL);
  assert_listed_soon (page, "Ada Quell-Berg");
  g_assert_cmpint (find_listed (page, "Ada Quell"), <, 0);
  g_assert_cmpuint (n_listed (page), ==, 1);
}

/* Like cairn_test_find_button(), for a condition: it does not fail. */
static gboolean
has_shown_button (GtkWidget  *root,
                  const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0 &&
      gtk_widget_is_visible (root) && gtk_widget_is_sensitive (root))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_shown_button (child, label))
      return TRUE;
  return FALSE;
}

static gboolean
archived_shown (gpointer user_data)
{
  /* The tag on the patient's page, with Restore instead of Archive. */
  return viewing_patient (user_data) && cairn_test_find_text (user_data, "Archived") != NULL &&
         has_shown_button (user_data, "_Restore");
}

static gboolean
not_listed (gpointer user_data)
{
  Expect *expect = user_data;

  return page_settled (expect->root) &&
         find_listed (CAIRN_PATIENTS_PAGE (expect->root), expect->text) < 0;
}

static void
test_archive (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  GtkWidget *show_archived;
  GtkWindow *confirm;
  Expect gone = { NULL, "Ada Quell", NULL };

  add_patient (page, "Ada Quell", "1984-03-27");
  add_patient (page, "Bruno Okafor", "1971-11-02");
  open_listed (page, "Ada Quell");

  /* Archiving asks first; cancelling keeps the patient. */
  cairn_test_click (GTK_WIDGET (page), "Archive…");
  confirm = cairn_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
  /* Closed, as its button would close it. */
  gtk_window_destroy (confirm);
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "Archived"));
  g_assert_cmpuint (n_listed (page), ==, 2);

  cairn_test_click (GTK_WIDGET (page), "Archive…");
  confirm = cairn_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "archive");
  g_assert_true (cairn_test_wait_until (archived_shown, page, 5000));
  assert_text_soon (main_window (), "Patient archived");

  /* Off the list, and back with "Show archived". */
  gtk_widget_activate_action (GTK_WIDGET (page), "patients.back", NULL);
  gone.root = GTK_WIDGET (page);
  g_assert_true (cairn_test_wait_until (not_listed, &gone, 5000));
  g_assert_cmpuint (n_listed (page), ==, 1);

  show_archived = cairn_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_nonnull (show_archived);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (show_archived)));
  gtk_widget_activate (show_archived);
  assert_listed_soon (page, "Ada Quell");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (show_archived)));
  g_assert_cmpuint (n_listed (page), ==, 2);
  assert_text_soon (GTK_WIDGET (page), "Archived");

  /* Restored, the patient is listed again without it. */
  open_listed (page, "Ada Quell");
  cairn_test_click (GTK_WIDGET (page), "Restore");
  assert_text_soon (main_window (), "Patient restored");
  gtk_widget_activate_action (GTK_WIDGET (page), "patients.back", NULL);
  gtk_widget_activate (show_archived);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (show_archived)));
  assert_listed_soon (page, "Ada Quell");
  g_assert_true (cairn_test_wait_until (lists_two, page, 5000));
}

/* Every label and every text field of @root, shown or not. */
static gboolean
text_anywhere (GtkWidget  *root,
               const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  if (GTK_IS_EDITABLE (root) && strstr (gtk_editable_get_text (GTK_EDITABLE (root)), text) != NULL)
    return TRUE;
  if (GTK_IS_TEXT_VIEW (root))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (root));
      GtkTextIter start, end;
      g_autofree char *content = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      content = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      if (strstr (content, text) != NULL)
        return TRUE;
    }
  if (ADW_IS_AVATAR (root) && g_strcmp0 (adw_avatar_get_text (ADW_AVATAR (root)), text) == 0)
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (root) &&
      strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), text) != NULL)
    return TRUE;
  if (ADW_IS_ACTION_ROW (root) && adw_action_row_get_subtitle (ADW_ACTION_ROW (root)) != NULL &&
      strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (root)), text) != NULL)
    return TRUE;
  if (GTK_IS_WINDOW (root) && gtk_window_get_title (GTK_WINDOW (root)) != NULL &&
      strstr (gtk_window_get_title (GTK_WINDOW (root)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (text_anywhere (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
window_in_mode (gpointer user_data)
{
  return g_strcmp0 (cairn_window_get_mode (CAIRN_WINDOW (main_window ())), user_data) == 0;
}

static gboolean
page_blank (gpointer user_data)
{
  return g_strcmp0 (cairn_patients_page_get_state (user_data), "blank") == 0 &&
         n_listed (user_data) == 0 && cairn_test_find_toplevel (CAIRN_TYPE_PATIENT_DIALOG) == NULL;
}

static void
test_lock_empties_page (void)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  GtkWidget *window = main_window ();
  g_autoptr(CairnVault) held = NULL;
  GtkWidget *dialog;

  add_patient (page, "Zora Whitfield", "1979-05-06");
  add_patient (page, "Bruno Okafor", "1971-11-02");
  type_search (page, "zora");
  open_listed (page, "Zora Whitfield");
  g_assert_true (text_anywhere (window, "Whitfield"));

  /* A form left open goes too. */
  dialog = open_new_dialog (page);
  cairn_test_type (dialog, "Legal name", "Zora Whitfield");

  held = g_object_ref (cairn_application_get_vault (app));
  cairn_application_lock (app);
  g_assert_true (cairn_test_wait_until (window_in_mode, (gpointer) "unlock", 1000));
  g_assert_true (cairn_test_wait_until (page_blank, page, 5000));
  /* What was still out when the vault locked has answered, and shown nothing. */
  cairn_test_wait_idle (held);

  g_assert_null (cairn_test_find_toplevel (CAIRN_TYPE_PATIENT_DIALOG));
  g_assert_cmpuint (n_listed (page), ==, 0);
  g_assert_cmpstr (cairn_patients_page_get_view (page), ==, "list");
  g_assert_cmpstr (cairn_patients_page_get_state (page), ==, "blank");
  g_assert_false (text_anywhere (window, "Whitfield"));
  g_assert_false (text_anywhere (window, "Okafor"));
  g_assert_false (text_anywhere (window, "zora"));
  g_assert_false (text_anywhere (window, "1979-05-06"));
  g_assert_false (text_anywhere (window, "C-00000"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "patients.new", NULL) &&
                  cairn_test_find_toplevel (CAIRN_TYPE_PATIENT_DIALOG) != NULL);

  /* Unlocking shows the list again. */
  cairn_test_unlock (CAIRN_ROLE_FRONT_DESK);
  g_assert_true (cairn_test_wait_until (window_in_mode, (gpointer) "main", 1000));
  gtk_widget_activate_action (window, "win.show-page", "s", "patients");
  assert_listed_soon (page, "Zora Whitfield");
  g_assert_true (cairn_test_wait_until (lists_two, page, 5000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (page))), ==, "");
}

static gboolean
app_is_locked (gpointer user_data)
{
  return cairn_application_get_vault (user_data) == NULL;
}

static gboolean
main_window_alone (gpointer user_data)
{
  GList *toplevels = gtk_window_list_toplevels ();
  gboolean alone = g_list_length (toplevels) == 1 && toplevels->data == user_data;

  g_list_free (toplevels);
  return alone;
}

/* Idle, with the patient's form and Preferences open over the patient's
 * page: the idle lock takes every window but the main one, which shows the
 * unlock page with nothing of the patient anywhere in it. */
static void
test_idle_lock_closes_windows (void)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnLockMonitor *monitor = cairn_application_get_lock_monitor (app);
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_CLINICIAN);
  GtkWidget *window = main_window ();
  g_autoptr(CairnVault) held = NULL;
  GtkWindow *dialog;
  GList *toplevels;

  add_patient (page, "Wilhelmina Starling", "1968-09-14");
  open_listed (page, "Wilhelmina Starling");
  /* Both over the main window, each on its own. */
  gtk_widget_activate_action (window, "app.preferences", NULL);
  cairn_test_wait_for_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patients.edit", NULL));
  dialog = cairn_test_wait_for_toplevel (CAIRN_TYPE_PATIENT_DIALOG);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_transient_for (cairn_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW)) ==
                 GTK_WINDOW (window));
  g_assert_true (text_anywhere (GTK_WIDGET (dialog), "Wilhelmina Starling"));
  g_assert_true (text_anywhere (window, "Wilhelmina Starling"));

  /* Idle for the shortest time the monitor takes; what is waited for is the
   * lock itself. */
  held = g_object_ref (cairn_application_get_vault (app));
  cairn_lock_monitor_set_timeout (monitor, 1);
  g_assert_true (cairn_test_wait_until (app_is_locked, app, 5000));
  g_assert_true (cairn_test_wait_until (window_in_mode, (gpointer) "unlock", 1000));
  g_assert_true (cairn_test_wait_until (main_window_alone, window, 5000));
  cairn_test_wait_idle (held);

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) window)
      g_error ("A %s (“%s”) is still there after the lock", G_OBJECT_TYPE_NAME (l->data),
               gtk_window_get_title (l->data));
  g_list_free (toplevels);

  g_assert_true (gtk_widget_get_visible (window));
  g_assert_nonnull (cairn_test_find_row (window, "Passphrase"));
  g_assert_false (text_anywhere (window, "Wilhelmina"));
  g_assert_false (text_anywhere (window, "Starling"));
  g_assert_false (text_anywhere (window, "1968-09-14"));
  g_assert_false (text_anywhere (window, "C-000001"));
}

static void
test_clinician_same_page (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_CLINICIAN);

  g_assert_cmpstr (cairn_patients_page_get_state (page), ==, "empty");
  add_patient (page, "Ada Quell", "1984-03-27");
  assert_listed_soon (page, "Ada Quell");
  open_listed (page, "Ada Quell");
  g_assert_nonnull (cairn_test_find_button (GTK_WIDGET (page), "Edit"));
  g_assert_nonnull (cairn_test_find_button (GTK_WIDGET (page), "Archive…"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Chart C-000001"));
}

static void
test_shortcuts (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page));
  gboolean new_patient = FALSE;
  gboolean search = FALSE;

  /* Ctrl+N and Ctrl+F are the page's, wherever the focus is in the window. */
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) !=
          GTK_SHORTCUT_SCOPE_MANAGED)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *shortcut_trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (shortcut_trigger);

          new_patient |= g_strcmp0 (trigger, "<Control>n") == 0;
          search |= g_strcmp0 (trigger, "<Control>f") == 0;
        }
    }
  g_assert_true (new_patient);
  g_assert_true (search);
}

static gpointer
seed_phases_job (CairnVault    *vault,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *ada = cairn_test_add_patient (db, "Ada Quell", NULL, me, error);
  g_autofree char *ben = ada != NULL ? cairn_test_add_patient (db, "Ben Okafor", NULL, me, error) : NULL;
  g_autofree char *visit = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) next_day = g_date_time_add_days (now, 1);
  /* Mid-day tomorrow: a visit at this hour tomorrow could run past midnight. */
  g_autoptr(GDateTime) noon = g_date_time_new_utc (g_date_time_get_year (next_day), g_date_time_get_month (next_day),
                                                   g_date_time_get_day_of_month (next_day), 11, 0, 0);
  gint64 tomorrow = g_date_time_to_unix (noon);

  if (ben == NULL || !cairn_schedule_set_practice_hours (db, "mon-sun 00:00-24:00", me, error) ||
      (visit = cairn_test_book (db, ada, "preparation", tomorrow, 90, NULL, NULL, me, error)) == NULL)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static char *
listed_names (CairnPatientsPage *page)
{
  GListModel *model = cairn_patients_page_get_model (page);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CairnPatientRow) row = g_list_model_get_item (model, i);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", cairn_patient_row_get_legal_name (row));
    }
  return g_string_free (text, FALSE);
}

/* The phase above the list narrows it to where patients are in their
 * course: the kind of their next appointment. */
static void
test_phase_filter (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  GtkWidget *phase = cairn_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, NULL);
  struct { guint choice; const char *expected; } cases[] = {
    { 2, "Ada Quell" },               /* Preparation */
    { 3, "" },                        /* Medicine session */
    { 6, "Ben Okafor" },              /* Nothing booked */
    { 0, "Ada Quell, Ben Okafor" },   /* Every phase */
  };

  g_assert_nonnull (cairn_test_run_job (cairn_application_get_vault (cairn_test_get_application ()),
                                        seed_phases_job, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *names = NULL;

      gtk_drop_down_set_selected (GTK_DROP_DOWN (phase), cases[i].choice);
      wait_settled (page);
      names = listed_names (page);
      g_assert_cmpstr (names, ==, cases[i].expected);
    }
}

/* A search that cannot be read is said so, with Try Again, and the rows of
 * the search before do not stay on screen; once the fault is gone, Try
 * Again answers the search typed. */
static void
test_failed_search (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());

  add_patient (page, "Mereana Tui", "1984-03-09");
  assert_listed_soon (page, "Mereana Tui");
  cairn_test_exec (vault, "ALTER TABLE patients RENAME TO patients_away");
  type_search (page, "Mer");
  g_assert_true (cairn_test_wait_until (cairn_test_loader_failed, page, 10000));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "The Patients Could Not Be Read"));
  g_assert_true (cairn_test_wait_until (cairn_test_unmapped, list_view (page), 5000));

  cairn_test_exec (vault, "ALTER TABLE patients_away RENAME TO patients");
  cairn_test_click (GTK_WIDGET (page), "Try Again");
  assert_listed_soon (page, "Mereana Tui");
  g_assert_false (cairn_test_loader_failed (page));
  g_assert_true (gtk_widget_get_mapped (list_view (page)));
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/patients/format", test_format);
  g_test_add_func ("/patients/empty-state", test_empty_state);
  g_test_add_func ("/patients/create", test_create_patient);
  g_test_add_func ("/patients/failed-search", test_failed_search);
  g_test_add_func ("/patients/validation", test_validation);
  g_test_add_func ("/patients/duplicate-warning", test_duplicate_warning);
  g_test_add_func ("/patients/search", test_search);
  g_test_add_func ("/patients/phase-filter", test_phase_filter);
  g_test_add_func ("/patients/edit", test_edit_patient);
  g_test_add_func ("/patients/archive", test_archive);
  g_test_add_func ("/patients/lock-empties-page", test_lock_empties_page);
  g_test_add_func ("/patients/idle-lock-closes-windows", test_idle_lock_closes_windows);
  g_test_add_func ("/patients/clinician-same-page", test_clinician_same_page);
  g_test_add_func ("/patients/shortcuts", test_shortcuts);

  return cairn_test_run ();
}
