/* test-journey-page.c
 *
 * The patient page's clinical tabs, through the Patients page as a user
 * reaches them: a clinician opens the Journey and sees progress against
 * the template and the alerts, and an alert opens the tab that resolves
 * it; a front-desk user sees the Details and nothing else, and cannot
 * reach a clinical tab by its action either; locking empties the journey.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cairn-course-dialog.h"
#include "cairn-journey-page.h"
#include "cairn-patient-view.h"
#include "cairn-patients-page.h"
#include "cairn-schedule.h"
#include "cairn-test-utils.h"
#include "cairn-window.h"

#define DAY (24 * 3600)

typedef struct
{
  char *patient_id;
} Seed;

static void
seed_free (Seed *seed)
{
  g_free (seed->patient_id);
  g_free (seed);
}

/* 10:00 practice time, @days from today. */
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

static gboolean
book (CairnDatabase  *db,
      const char     *patient_id,
      const char     *type_id,
      int             days,
      const char     *status,
      const char     *user_id,
      GError        **error)
{
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();
  const char *staff[] = { user_id, NULL };

  a->patient_id = g_strdup (patient_id);
  a->type_id = g_strdup (type_id);
  a->start = at_ten (days);
  a->end = a->start + 90 * 60;
  a->staff_ids = g_strdupv ((char **) staff);
  if (!cairn_schedule_book (db, a, 0, FALSE, "Seeded for the test", user_id, error))
    return FALSE;
  return status == NULL || cairn_schedule_set_status (db, a->id, status, NULL, user_id, error);
}

/* A patient two preparations into the course, the third booked. */
static gpointer
seed_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  Seed *seed = g_new0 (Seed, 1);

  if ((seed->patient_id = cairn_test_add_patient (db, "Marguerite Oyelaran-Whitfield", "Maggie", me, error)) == NULL ||
      !book (db, seed->patient_id, "preparation", -15, "completed", me, error) ||
      !book (db, seed->patient_id, "preparation", -8, "completed", me, error) ||
      !book (db, seed->patient_id, "preparation", 6, NULL, me, error))
    {
      seed_free (seed);
      return NULL;
    }
  return seed;
}

static gpointer
count_audit_job (CairnVault    *vault,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return cairn_database_query_text (cairn_vault_get_clinical (vault), "SELECT count(*) FROM audit", NULL, 0, error);
}

static int
clinical_audit_count (void)
{
  g_autofree char *count = cairn_test_run_job (cairn_application_get_vault (cairn_test_get_application ()),
                                               count_audit_job, NULL);

  return atoi (count);
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
  page = cairn_test_find_descendant (GTK_WIDGET (window), CAIRN_TYPE_PATIENTS_PAGE, NULL);
  g_assert_nonnull (page);
  return CAIRN_PATIENTS_PAGE (page);
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

static CairnPatientView *
show_seeded_patient (CairnPatientsPage *page,
                     Seed             **out_seed)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  Seed *seed;

  /* A front-desk user books too: practice.db is open to both roles. */
  seed = cairn_test_run_job (vault, seed_job, NULL);
  g_assert_nonnull (seed);
  cairn_patients_page_show_patient (page, seed->patient_id);
  g_assert_true (cairn_test_wait_until (viewing_patient, page, 5000));
  *out_seed = seed;
  return CAIRN_PATIENT_VIEW (cairn_test_find_descendant (GTK_WIDGET (page), CAIRN_TYPE_PATIENT_VIEW, NULL));
}

static AdwViewStack *
view_stack (CairnPatientView *view)
{
  return ADW_VIEW_STACK (cairn_test_find_descendant (GTK_WIDGET (view), ADW_TYPE_VIEW_STACK, NULL));
}

static gboolean
journey_loaded (gpointer user_data)
{
  return cairn_journey_page_get_journey (user_data) != NULL;
}

static CairnJourneyPage *
open_journey (CairnPatientView *view)
{
  CairnJourneyPage *journey_page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "patient-view.show-tab", "s", "journey"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack (view)), ==, "journey");
  journey_page = CAIRN_JOURNEY_PAGE (cairn_test_find_descendant (GTK_WIDGET (view), CAIRN_TYPE_JOURNEY_PAGE, NULL));
  g_assert_true (cairn_test_wait_until (journey_loaded, journey_page, 10000));
  /* Shown in the callback that set it; anything else it read is done too. */
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
  return journey_page;
}

typedef struct
{
  CairnPatientView *view;
  const char       *tab;
} TabWait;

static gboolean
tab_shown (gpointer user_data)
{
  TabWait *wait = user_data;

  return g_strcmp0 (adw_view_stack_get_visible_child_name (view_stack (wait->view)), wait->tab) == 0;
}

static gboolean
journey_cleared (gpointer user_data)
{
  TabWait *wait = user_data;

  return cairn_journey_page_get_journey (CAIRN_JOURNEY_PAGE (cairn_test_find_descendant (
           GTK_WIDGET (wait->view), CAIRN_TYPE_JOURNEY_PAGE, NULL))) == NULL &&
         tab_shown (wait);
}

static void
test_journey (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_CLINICIAN);
  Seed *seed = NULL;
  CairnPatientView *view = show_seeded_patient (page, &seed);
  CairnJourneyPage *journey_page;
  const CairnJourney *journey;
  const CairnJourneyStep *prep = NULL;
  GtkWidget *alert;
  int before;

  /* Every clinical tab is there for a clinician, Details first. */
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack (view)), ==, "details");
  for (const char * const *name = (const char *[]) { "journey", "screening", "notes", "measures", NULL }; *name; name++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (view_stack (view), *name);

      g_assert_true (adw_view_stack_page_get_visible (adw_view_stack_get_page (view_stack (view), child)));
    }

  before = clinical_audit_count ();
  journey_page = open_journey (view);
  journey = cairn_journey_page_get_journey (journey_page);
  /* Screening, notes, phone check-ins and measures, each read once and
   * audited once: the gate comes with the journey, not by a read of its own. */
  g_assert_cmpint (clinical_audit_count () - before, ==, 4);
  for (guint i = 0; i < journey->steps->len; i++)
    {
      const CairnJourneyStep *step = g_ptr_array_index (journey->steps, i);

      if (step->phase == CAIRN_PHASE_PREPARATION)
        prep = step;
    }
  g_assert_nonnull (prep);
  g_assert_cmpuint (prep->done, ==, 2);
  g_assert_cmpuint (prep->booked, ==, 1);

  /* What the clinician reads: where the patient is, and what is missing. */
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (journey_page), "Preparation 2 of 3"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (journey_page), "2 of 3"));
  alert = cairn_test_find_row (GTK_WIDGET (journey_page), "Eligibility not decided");
  g_assert_nonnull (alert);

  /* The alert opens the tab that resolves it. */
  g_signal_emit_by_name (alert, "activate");
  g_assert_true (cairn_test_wait_until (tab_shown, &(TabWait) { view, "screening" }, 5000));

  seed_free (seed);
}

static void
test_front_desk_sees_details_only (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_FRONT_DESK);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  Seed *seed = NULL;
  CairnPatientView *view = show_seeded_patient (page, &seed);
  GtkWidget *squeezer;

  g_assert_null (cairn_vault_get_clinical (vault));
  for (const char * const *name = (const char *[]) { "journey", "screening", "notes", "measures", NULL }; *name; name++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (view_stack (view), *name);

      g_assert_false (adw_view_stack_page_get_visible (adw_view_stack_get_page (view_stack (view), child)));
      /* Not even by the action that the journey's alerts use. */
      gtk_widget_activate_action (GTK_WIDGET (view), "patient-view.show-tab", "s", *name);
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack (view)), ==, "details");
    }
  /* No switcher at all: the page looks as it always did. */
  squeezer = cairn_test_find_descendant (GTK_WIDGET (view), ADW_TYPE_SQUEEZER, NULL);
  g_assert_false (gtk_widget_get_visible (squeezer));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (view), "Journey"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (view), "Marguerite Oyelaran-Whitfield"));

  seed_free (seed);
}

static void
test_lock_clears (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_CLINICIAN);
  Seed *seed = NULL;
  CairnPatientView *view = show_seeded_patient (page, &seed);
  CairnJourneyPage *journey_page = open_journey (view);
  g_autoptr(CairnVault) held = g_object_ref (cairn_application_get_vault (cairn_test_get_application ()));

  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (journey_page), "Preparation 2 of 3"));
  cairn_application_lock (cairn_test_get_application ());
  g_assert_true (cairn_test_wait_until (journey_cleared, &(TabWait) { view, "details" }, 5000));
  /* What was still out when the vault locked has answered, and shown nothing. */
  cairn_test_wait_idle (held);
  g_assert_null (cairn_journey_page_get_journey (journey_page));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (journey_page), "Preparation 2 of 3"));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (journey_page), "Eligibility not decided"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack (view)), ==, "details");

  seed_free (seed);
}

static gpointer
new_patient_job (CairnVault    *vault,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *me = cairn_vault_get_user_id (vault);

  return cairn_test_add_patient (cairn_vault_get_practice (vault), "Bruno Okafor", NULL, me, error);
}

static gboolean
course_dialog_open (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_COURSE_DIALOG) != NULL;
}

/* A patient with nothing booked: the journey offers to plan the course. */
static void
test_plan_course (void)
{
  CairnPatientsPage *page = open_patients (CAIRN_ROLE_CLINICIAN);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autofree char *id = cairn_test_run_job (vault, new_patient_job, NULL);
  CairnPatientView *view;
  CairnJourneyPage *journey_page;
  GtkWindow *dialog;

  cairn_patients_page_show_patient (page, id);
  g_assert_true (cairn_test_wait_until (viewing_patient, page, 5000));
  view = CAIRN_PATIENT_VIEW (cairn_test_find_descendant (GTK_WIDGET (page), CAIRN_TYPE_PATIENT_VIEW, NULL));
  journey_page = open_journey (view);

  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (journey_page), "Nothing booked"));
  cairn_test_click (GTK_WIDGET (journey_page), "Plan Course…");
  g_assert_true (cairn_test_wait_until (course_dialog_open, NULL, 5000));
  dialog = cairn_test_find_toplevel (CAIRN_TYPE_COURSE_DIALOG);
  gtk_window_destroy (dialog);
  /* What the planner had read or asked for has answered before the next test. */
  cairn_test_wait_idle (vault);
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/journey-page/journey", test_journey);
  g_test_add_func ("/journey-page/front-desk-sees-details-only", test_front_desk_sees_details_only);
  g_test_add_func ("/journey-page/lock-clears", test_lock_clears);
  g_test_add_func ("/journey-page/plan-course", test_plan_course);

  return cairn_test_run ();
}
