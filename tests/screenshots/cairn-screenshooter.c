/* cairn-screenshooter.c
 *
 * Writes a PNG of every top-level page and dialog of Cairn, in light and
 * dark style, wide (1280×800) and narrow (360 px), into a folder. Run it with
 * build-aux/screenshots, which gives it its own X server and D-Bus session.
 *
 * Each window is drawn by GTK's own renderer from the live widget tree, so the
 * picture is exactly what the window shows, without the X server's
 * surroundings. Every file written is read back and checked, so the meson
 * test that runs this fails when a screen does not render.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cairn-application.h"
#include "cairn-first-run-page.h"
#include "cairn-patient-dialog.h"
#include "cairn-patient-row.h"
#include "cairn-patients-page.h"
#include "cairn-appointment-dialog.h"
#include "cairn-course-dialog.h"
#include "cairn-demo.h"
#include "cairn-journey.h"
#include "cairn-journey-page.h"
#include "cairn-loader.h"
#include "cairn-measure-dialog.h"
#include "cairn-measures-page.h"
#include "cairn-notes-page.h"
#include "cairn-patient-view.h"
#include "cairn-protocols-page.h"
#include "cairn-screening-form.h"
#include "cairn-screening-page.h"
#include "cairn-schedule-page.h"
#include "cairn-today-page.h"
#include "cairn-test-utils.h"
#include "cairn-unlock-page.h"
#include "cairn-window.h"

typedef struct
{
  const char *name;
  int         width;
  int         height;
} Size;

static const Size sizes[] = {
  { "wide", 1280, 800 },
  { "narrow", 360, 720 },
};

static const char *styles[] = { "light", "dark" };

static guint n_written;
static guint n_failed;

static void
iterate (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static gboolean
wait_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  /* Let layout, icon loading and the first frames settle. */
  iterate (300);

  return gtk_widget_get_mapped (widget);
}

static void
save_window (GtkWidget  *window,
             const char *dir,
             const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", dir, name);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) reread = NULL;
  g_autoptr(GError) error = NULL;
  GtkSnapshot *snapshot;
  int width;
  int height;

  if (!wait_mapped (window))
    {
      g_printerr ("%s: the window never appeared\n", name);
      n_failed++;
      return;
    }

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_printerr ("%s: nothing was drawn\n", name);
      n_failed++;
      return;
    }

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_printerr ("%s: could not write %s\n", name, path);
      n_failed++;
      return;
    }

  reread = gdk_texture_new_from_filename (path, &error);
  if (reread == NULL ||
      gdk_texture_get_width (reread) != width || gdk_texture_get_height (reread) != height)
    {
      g_printerr ("%s: %s does not read back as a %d×%d image%s%s\n", name, path, width, height,
                  error ? ": " : "", error ? error->message : "");
      n_failed++;
      return;
    }

  g_print ("%s (%d×%d)\n", path, width, height);
  n_written++;
}

static void
close_all_windows (void)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (toplevels);
  iterate (50);
}

static GtkWidget *
find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);

  return found;
}

static void
shoot_dialog (GtkWidget  *main_window,
              const char *dir,
              const char *action,
              GType       type,
              const char *name)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (main_window, action, NULL);
  iterate (100);
  dialog = find_toplevel (type);
  if (dialog == NULL)
    {
      g_printerr ("%s: %s opened no window\n", name, action);
      n_failed++;
      return;
    }

  save_window (dialog, dir, name);
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate (50);
}

static gboolean
page_idle (gpointer user_data)
{
  return !cairn_unlock_page_get_busy (user_data);
}

static GtkWidget *
open_window (CairnApplication *app,
             const Size       *size)
{
  GSettings *settings = cairn_application_get_settings (app);

  close_all_windows ();
  g_settings_set (settings, "window-size", "(ii)", size->width, size->height);
  g_application_activate (G_APPLICATION (app));
  return GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

/* The first-run assistant, step by step, with a mistake shown on the way. */
static void
shoot_first_run (CairnApplication *app,
                 const char       *dir,
                 const Size       *size,
                 const char       *style)
{
  GtkWidget *window;
  GtkWidget *page;
  g_autofree char *practice = g_strdup_printf ("first-run-practice-%s-%s", size->name, style);
  g_autofree char *mistake = g_strdup_printf ("first-run-mistake-%s-%s", size->name, style);
  g_autofree char *clinician = g_strdup_printf ("first-run-clinician-%s-%s", size->name, style);
  g_autofree char *recovery = g_strdup_printf ("first-run-recovery-%s-%s", size->name, style);

  cairn_test_remove_vault ();
  window = open_window (app, size);
  page = cairn_test_find_descendant (window, CAIRN_TYPE_FIRST_RUN_PAGE, NULL);
  cairn_first_run_page_set_kdf_params (CAIRN_FIRST_RUN_PAGE (page), &cairn_test_kdf_params);
  save_window (window, dir, practice);

  cairn_test_type (page, "Practice name", "Lakeside Integrative Psychiatry and Psychedelic Therapy Collective");
  cairn_test_type (page, "Time zone", "Europe/Atlantis");
  cairn_test_click (page, "Next");
  save_window (window, dir, mistake);

  cairn_test_type (page, "Time zone", "Europe/Berlin");
  cairn_test_click (page, "Next");
  cairn_test_type (page, "Your name", "Dr Ada Quell");
  cairn_test_type (page, "Passphrase", "quell2024");
  save_window (window, dir, clinician);

  cairn_test_type (page, "Passphrase", "lantern orchard fiddle 42");
  cairn_test_type (page, "Passphrase again", "lantern orchard fiddle 42");
  cairn_test_click (page, "Create Vault");
  iterate (1500);
  save_window (window, dir, recovery);

  /* Leave no vault behind: the next pictures make their own. */
  close_all_windows ();
  cairn_test_remove_vault ();
}

static void
shoot_unlock (CairnApplication *app,
              const char       *dir,
              const Size       *size,
              const char       *style)
{
  GtkWidget *window;
  GtkWidget *page;
  g_autofree char *plain = g_strdup_printf ("unlock-%s-%s", size->name, style);
  g_autofree char *wrong = g_strdup_printf ("unlock-wrong-%s-%s", size->name, style);
  g_autofree char *recovery = g_strdup_printf ("unlock-recovery-%s-%s", size->name, style);
  g_autofree char *reset = g_strdup_printf ("unlock-new-passphrase-%s-%s", size->name, style);

  cairn_application_lock (app);
  window = open_window (app, size);
  page = cairn_test_find_descendant (window, CAIRN_TYPE_UNLOCK_PAGE, NULL);
  save_window (window, dir, plain);

  cairn_test_type (page, "Passphrase", "not the passphrase");
  cairn_test_click (page, "Unlock");
  cairn_test_wait_until (page_idle, page, 5000);
  save_window (window, dir, wrong);

  cairn_test_click (page, "Use Recovery Key…");
  save_window (window, dir, recovery);
  cairn_test_click (page, "Back");
}

/* Preferences → Security, and its change-passphrase form with a mistake. */
static void
shoot_security (GtkWidget  *main_window,
                const char *dir,
                const char *style)
{
  g_autofree char *page_name = g_strdup_printf ("preferences-security-%s", style);
  g_autofree char *form_name = g_strdup_printf ("change-passphrase-%s", style);
  GtkWidget *preferences;
  GtkWidget *form = NULL;
  GList *toplevels;

  gtk_widget_activate_action (main_window, "app.preferences", NULL);
  iterate (100);
  preferences = find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "security");
  save_window (preferences, dir, page_name);

  g_signal_emit_by_name (cairn_test_find_row (preferences, "Change Passphrase…"), "activated");
  iterate (100);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (g_strcmp0 (gtk_window_get_title (l->data), "Change Passphrase") == 0)
      form = l->data;
  g_list_free (toplevels);
  if (form == NULL)
    {
      g_printerr ("%s: the form did not open\n", form_name);
      n_failed++;
      return;
    }
  cairn_test_type (form, "Current passphrase", "lantern orchard fiddle 42");
  cairn_test_type (form, "New passphrase", "meadow quartz");
  cairn_test_type (form, "New passphrase again", "meadow quartz 2");
  cairn_test_click (form, "Change");
  save_window (form, dir, form_name);
  gtk_window_destroy (GTK_WINDOW (form));
  gtk_window_destroy (GTK_WINDOW (preferences));
  iterate (50);
}

/* ------------------------------------------------------------------------ */
/* Patients                                                                  */

/* Fictional patients for the pictures: a long name, a preferred name, and
 * one archived. */
static const struct
{
  const char *legal_name;
  const char *preferred_name;
  const char *pronouns;
  const char *date_of_birth;
  const char *phone;
  gboolean    archived;
} demo_patients[] = {
  { "Adaline Quell", "Ada", "she/her", "1984-03-27", "+49 30 1234 5678", FALSE },
  { "Bruno Okafor", NULL, "he/him", "1971-11-02", "030 555 0192", FALSE },
  { "Carmen Delgado", "Mina", NULL, "1990-06-15", NULL, FALSE },
  { "Maximiliane Konstanze Friederike von Hohenberg-Adlersfeld", "Maxi", "she/her", "1962-09-08",
    NULL, FALSE },
  { "Eun-ji Park", NULL, "they/them", "2001-01-09", "0176 2345 6789", FALSE },
  { "Farah Haddad", NULL, NULL, "1965-08-30", NULL, FALSE },
  { "Gustav Lindqvist", NULL, "he/him", "1958-12-24", NULL, TRUE },
  { "Hannah Osei", NULL, NULL, "1996-04-04", NULL, FALSE },
};

static gpointer
seed_patients_job (CairnVault    *vault,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *user_id = cairn_vault_get_user_id (vault);

  for (guint i = 0; i < G_N_ELEMENTS (demo_patients); i++)
    {
      g_autoptr(CairnPatient) patient = cairn_patient_new ();

      patient->legal_name = g_strdup (demo_patients[i].legal_name);
      patient->preferred_name = g_strdup (demo_patients[i].preferred_name);
      patient->pronouns = g_strdup (demo_patients[i].pronouns);
      patient->date_of_birth = g_strdup (demo_patients[i].date_of_birth);
      patient->phone = g_strdup (demo_patients[i].phone);
      if (i == 0)
        {
          patient->email = g_strdup ("ada.quell@example.org");
          patient->address = g_strdup ("Lindenstraße 12, 10969 Berlin");
          patient->emergency_contact = g_strdup ("Jonas Quell (brother), +49 30 9876 5432");
          patient->support_person = g_strdup ("Mara Lind (partner)");
          patient->referring_clinician = g_strdup ("Dr. Ines Brandt, Praxis am Kanal");
          patient->front_desk_notes = g_strdup ("Prefers afternoon appointments. Uses a "
                                                "wheelchair: book the ground-floor room.");
        }
      if (!cairn_patients_save (db, patient, user_id, error))
        return NULL;
      if (demo_patients[i].archived &&
          !cairn_patients_set_archived (db, patient->id, TRUE, user_id, error))
        return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} JobWait;

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  JobWait *wait = user_data;

  cairn_vault_run_finish (CAIRN_VAULT (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
job_finished (gpointer user_data)
{
  return ((JobWait *) user_data)->done;
}

static gboolean
seed_patients (CairnApplication *app)
{
  JobWait wait = { FALSE, NULL };

  cairn_vault_run_async (cairn_application_get_vault (app), seed_patients_job, NULL, NULL, NULL,
                         NULL, job_done_cb, &wait);
  cairn_test_wait_until (job_finished, &wait, 10000);
  if (wait.error != NULL)
    {
      g_printerr ("The pictures' patients were not saved: %s\n", wait.error->message);
      g_clear_error (&wait.error);
      n_failed++;
      return FALSE;
    }
  return wait.done;
}

static gboolean
patients_settled (gpointer user_data)
{
  CairnPatientsPage *page = user_data;

  return !cairn_patients_page_get_busy (page) &&
         g_strcmp0 (cairn_patients_page_get_state (page), "blank") != 0;
}

static gboolean
patient_shown (gpointer user_data)
{
  return g_strcmp0 (cairn_patients_page_get_view (user_data), "patient") == 0;
}

static gboolean
text_shown (gpointer user_data)
{
  GtkWidget *root = g_object_get_data (user_data, "root");

  return cairn_test_find_text (root, g_object_get_data (user_data, "text")) != NULL;
}

static gboolean
wait_for_text (GtkWidget  *root,
               const char *text)
{
  g_autoptr(GObject) data = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (data, "root", root);
  g_object_set_data (data, "text", (gpointer) text);
  if (cairn_test_wait_until (text_shown, data, 5000))
    return TRUE;
  g_printerr ("“%s” never appeared\n", text);
  n_failed++;
  return FALSE;
}

static gboolean
chart_filled (gpointer user_data)
{
  return *gtk_editable_get_text (user_data) != '\0';
}

static GtkWidget *
open_patient_dialog (GtkWidget  *page,
                     const Size *size)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (page, "patients.new", NULL);
  iterate (100);
  dialog = find_toplevel (CAIRN_TYPE_PATIENT_DIALOG);
  if (dialog == NULL)
    {
      g_printerr ("patients.new opened no dialog\n");
      n_failed++;
      return NULL;
    }
  if (size->width < 520)
    gtk_window_set_default_size (GTK_WINDOW (dialog), size->width, size->height);
  /* The suggested chart number comes from the vault. */
  cairn_test_wait_until (chart_filled, cairn_test_find_row (dialog, "Chart number"), 5000);
  return dialog;
}

/* The Patients page: empty, listed, searched for nonsense; the form with
 * problems and with a likely duplicate; a patient's page. */
static void
shoot_patients (CairnApplication *app,
                GtkWidget        *window,
                const char       *dir,
                const Size       *size,
                const char       *style)
{
  g_autofree char *empty = g_strdup_printf ("patients-empty-%s-%s", size->name, style);
  g_autofree char *list = g_strdup_printf ("patients-list-%s-%s", size->name, style);
  g_autofree char *archived = g_strdup_printf ("patients-archived-%s-%s", size->name, style);
  g_autofree char *nothing = g_strdup_printf ("patients-no-results-%s-%s", size->name, style);
  g_autofree char *problems = g_strdup_printf ("patient-dialog-problems-%s-%s", size->name, style);
  g_autofree char *duplicate = g_strdup_printf ("patient-dialog-duplicate-%s-%s", size->name,
                                                style);
  g_autofree char *view = g_strdup_printf ("patient-view-%s-%s", size->name, style);
  GtkWidget *page;
  GtkWidget *search;
  GtkWidget *dialog;
  GtkWidget *list_view;
  GListModel *model;

  gtk_widget_activate_action (window, "win.show-page", "s", "patients");
  page = cairn_test_find_descendant (window, CAIRN_TYPE_PATIENTS_PAGE, NULL);
  cairn_test_wait_until (patients_settled, page, 5000);
  save_window (window, dir, empty);

  /* Unlocking again reads the new patients, as a real unlock would. */
  if (!seed_patients (app))
    return;
  cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  gtk_widget_activate_action (window, "win.show-page", "s", "patients");
  cairn_test_wait_until (patients_settled, page, 5000);
  save_window (window, dir, list);

  gtk_widget_activate_action (page, "patients.show-archived", NULL);
  cairn_test_wait_until (patients_settled, page, 5000);
  save_window (window, dir, archived);
  gtk_widget_activate_action (page, "patients.show-archived", NULL);
  cairn_test_wait_until (patients_settled, page, 5000);

  search = cairn_test_find_descendant (page, GTK_TYPE_SEARCH_ENTRY, NULL);
  gtk_editable_set_text (GTK_EDITABLE (search), "zebra quokka");
  cairn_test_wait_until (patients_settled, page, 5000);
  save_window (window, dir, nothing);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  cairn_test_wait_until (patients_settled, page, 5000);

  dialog = open_patient_dialog (page, size);
  if (dialog != NULL)
    {
      cairn_test_type (dialog, "Legal name", "x");
      cairn_test_type (dialog, "Legal name", "");
      cairn_test_type (dialog, "Date of birth", "2091-04-01");
      cairn_test_type (dialog, "Phone", "030 12ab");
      cairn_test_type (dialog, "Email", "ada.quell@");
      /* Let the field being typed in show its problem too. */
      iterate (900);
      save_window (dialog, dir, problems);
      gtk_window_destroy (GTK_WINDOW (dialog));
      iterate (50);
    }

  dialog = open_patient_dialog (page, size);
  if (dialog != NULL)
    {
      cairn_test_type (dialog, "Legal name", "Adaline Quell");
      cairn_test_type (dialog, "Date of birth", "1984-03-27");
      cairn_test_click (dialog, "Save");
      if (wait_for_text (dialog, "This may be a patient you already have"))
        save_window (dialog, dir, duplicate);
      gtk_window_destroy (GTK_WINDOW (dialog));
      iterate (50);
    }

  model = cairn_patients_page_get_model (CAIRN_PATIENTS_PAGE (page));
  list_view = cairn_test_find_descendant (page, GTK_TYPE_LIST_VIEW, "patient-list");
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CairnPatientRow) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (cairn_patient_row_get_legal_name (row), "Adaline Quell") == 0)
        g_signal_emit_by_name (list_view, "activate", i);
    }
  if (cairn_test_wait_until (patient_shown, page, 5000))
    save_window (window, dir, view);
  else
    {
      g_printerr ("%s: the patient's page never opened\n", view);
      n_failed++;
    }
  gtk_widget_activate_action (page, "patients.back", NULL);
}

/* ------------------------------------------------------------------------ */
/* Schedule                                                                  */

/* The week of Monday 30 November 2026, with the pictures' patients: two
 * medicine sessions drawn whole, appointments side by side, a phone
 * check-in, a check-in, a no-show and a cancellation. */
static const struct
{
  const char *patient;
  const char *type;
  int         day;       /* of December 2026, or 30 for 30 November */
  int         hour;
  int         minute;
  int         minutes;
  const char *room;
  const char *status;
} demo_appointments[] = {
  { "Adaline Quell", "screening", 30, 9, 0, 120, "Room 1", "checked-in" },
  { "Eun-ji Park", "follow-up", 30, 14, 0, 90, "Room 1", "no-show" },
  { "Bruno Okafor", "medicine-session", 1, 9, 0, 480, "Garden Room", NULL },
  { "Carmen Delgado", "integration", 1, 9, 30, 90, "Room 1", "checked-in" },
  { "Eun-ji Park", "phone-check-in", 1, 11, 30, 15, NULL, NULL },
  { "Maximiliane Konstanze Friederike von Hohenberg-Adlersfeld", "preparation", 1, 14, 0, 90, "Room 1", NULL },
  { "Farah Haddad", "follow-up", 2, 10, 0, 90, "Room 1", NULL },
  { "Bruno Okafor", "phone-check-in", 2, 9, 0, 15, NULL, NULL },
  { "Hannah Osei", "medicine-session", 3, 9, 0, 480, "Garden Room", NULL },
  { "Carmen Delgado", "preparation", 3, 13, 0, 90, "Room 1", "cancelled" },
  { "Adaline Quell", "preparation", 4, 15, 30, 90, "Room 1", NULL },
};

static gpointer
seed_schedule_job (CairnVault    *vault,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *zone_id = cairn_database_query_text (db, "SELECT time_zone FROM practice", NULL, 0, error);
  g_autoptr(GTimeZone) zone = zone_id != NULL ? g_time_zone_new_identifier (zone_id) : NULL;
  g_autofree char *room1 = NULL;
  g_autofree char *garden = NULL;

  /* A second clinician: medicine sessions and a course need two. */
  if (zone == NULL ||
      !cairn_vault_add_user (vault, "Dr Ben Okafor", CAIRN_ROLE_CLINICIAN, "copper willow signal 3",
                             &cairn_test_kdf_params, error) ||
      (room1 = cairn_schedule_add_room (db, "Room 1", me, error)) == NULL ||
      (garden = cairn_schedule_add_room (db, "Garden Room", me, error)) == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (demo_appointments); i++)
    {
      g_autoptr(CairnAppointment) a = cairn_appointment_new ();
      g_autoptr(GDateTime) start = g_date_time_new (zone, 2026, demo_appointments[i].day == 30 ? 11 : 12,
                                                    demo_appointments[i].day, demo_appointments[i].hour,
                                                    demo_appointments[i].minute, 0);
      const char *staff[] = { me, NULL };
      const char *room = demo_appointments[i].room;

      a->patient_id = cairn_database_query_text (db, "SELECT id FROM patients WHERE legal_name = ?",
                                                 (const char *[]) { demo_appointments[i].patient }, 1, error);
      if (a->patient_id == NULL)
        return NULL;
      a->type_id = g_strdup (demo_appointments[i].type);
      a->start = g_date_time_to_unix (start);
      a->end = a->start + demo_appointments[i].minutes * 60;
      a->room_id = g_strdup (room == NULL ? NULL : g_str_equal (room, "Room 1") ? room1 : garden);
      a->staff_ids = g_strdupv ((char **) staff);
      /* The pictures' practice has one clinician: book over the staffing. */
      if (!cairn_schedule_book (db, a, 0, FALSE, "pictures", me, error))
        return NULL;
      if (demo_appointments[i].status != NULL &&
          !cairn_schedule_set_status (db, a->id, demo_appointments[i].status,
                                      g_str_equal (demo_appointments[i].status, "cancelled")
                                      ? "Unwell, will call to rebook" : NULL, me, error))
        return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

static gboolean
schedule_settled (gpointer user_data)
{
  CairnSchedulePage *page = user_data;

  return !cairn_schedule_page_get_busy (page) &&
         cairn_schedule_view_get_items (cairn_schedule_page_get_view (page)) != NULL;
}

static gboolean
course_dialog_is (gpointer user_data)
{
  GtkWidget *dialog = find_toplevel (CAIRN_TYPE_COURSE_DIALOG);

  return dialog != NULL && g_strcmp0 (cairn_course_dialog_get_state (CAIRN_COURSE_DIALOG (dialog)), user_data) == 0;
}

/* The course planner's proposal for a patient with nothing booked. */
static void
shoot_course (CairnApplication *app,
              const char       *dir,
              const Size       *size,
              const char       *style)
{
  CairnVault *vault = cairn_application_get_vault (app);
  g_autofree char *name = g_strdup_printf ("course-dialog-%s-%s", size->name, style);
  g_autofree char *patient = cairn_database_query_text (cairn_vault_get_practice (vault),
                                                        "SELECT id FROM patients WHERE legal_name = 'Hannah Osei'",
                                                        NULL, 0, NULL);
  CairnCourseDialog *dialog;

  if (patient == NULL)
    return;
  dialog = cairn_course_dialog_new (cairn_application_get_context (app), patient);
  if (size->width < 640)
    gtk_window_set_default_size (GTK_WINDOW (dialog), size->width, size->height);
  gtk_window_present (GTK_WINDOW (dialog));
  if (!cairn_test_wait_until (course_dialog_is, (gpointer) "ready", 5000))
    {
      g_printerr ("%s: the planner never became ready\n", name);
      n_failed++;
      gtk_window_destroy (GTK_WINDOW (dialog));
      return;
    }
  cairn_test_type (GTK_WIDGET (dialog), "First preparation on or after (year-month-day)", "2026-12-07");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "course.propose", NULL);
  if (cairn_test_wait_until (course_dialog_is, (gpointer) "proposed", 5000))
    {
      GtkWidget *scroller = cairn_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW, NULL);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

      iterate (100);
      /* Down to where the proposal begins. */
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * 0.28);
      iterate (100);
      save_window (GTK_WIDGET (dialog), dir, name);
    }
  else
    {
      g_printerr ("%s: nothing was proposed\n", name);
      n_failed++;
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate (50);
}

static gboolean
today_settled (gpointer user_data)
{
  return !cairn_today_page_get_busy (user_data) && cairn_today_page_get_items (user_data) != NULL;
}

static gboolean
appointment_dialog_ready (gpointer user_data)
{
  GtkWidget *dialog = find_toplevel (CAIRN_TYPE_APPOINTMENT_DIALOG);
  const char *state = dialog != NULL ? cairn_appointment_dialog_get_state (CAIRN_APPOINTMENT_DIALOG (dialog))
                                     : NULL;

  return g_strcmp0 (state, user_data) == 0;
}

/* The Schedule page: the week, a day, the booking form with a clash, and
 * an appointment opened. */
static void
shoot_schedule (CairnApplication *app,
                GtkWidget        *window,
                const char       *dir,
                const Size       *size,
                const char       *style)
{
  g_autofree char *week = g_strdup_printf ("schedule-week-%s-%s", size->name, style);
  g_autofree char *day_name = g_strdup_printf ("schedule-day-%s-%s", size->name, style);
  g_autofree char *booking = g_strdup_printf ("appointment-dialog-clash-%s-%s", size->name, style);
  g_autofree char *opened = g_strdup_printf ("appointment-dialog-%s-%s", size->name, style);
  g_autofree char *today = g_strdup_printf ("today-booked-%s-%s", size->name, style);
  GtkWidget *page, *view, *dialog;
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 12, 1, 10, 40, 0);
  GDate day;

  {
    JobWait wait = { FALSE, NULL };

    cairn_vault_run_async (cairn_application_get_vault (app), seed_schedule_job, NULL, NULL, NULL, NULL,
                           job_done_cb, &wait);
    cairn_test_wait_until (job_finished, &wait, 10000);
    if (wait.error != NULL)
      {
        g_printerr ("The pictures' appointments were not booked: %s\n", wait.error->message);
        g_clear_error (&wait.error);
        n_failed++;
        return;
      }
  }

  gtk_widget_activate_action (window, "win.show-page", "s", "schedule");
  page = cairn_test_find_descendant (window, CAIRN_TYPE_SCHEDULE_PAGE, NULL);
  view = GTK_WIDGET (cairn_schedule_page_get_view (CAIRN_SCHEDULE_PAGE (page)));
  cairn_test_wait_until (schedule_settled, page, 5000);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, 12, 2026);
  cairn_schedule_view_set_now (CAIRN_SCHEDULE_VIEW (view), g_date_time_to_unix (now));
  gtk_widget_activate_action (page, "schedule.mode", "s", size->width < 600 ? "day" : "week");
  cairn_schedule_page_go_to (CAIRN_SCHEDULE_PAGE (page), &day);
  cairn_test_wait_until (schedule_settled, page, 5000);
  iterate (100);
  save_window (window, dir, size->width < 600 ? day_name : week);

  if (size->width >= 600)
    {
      gtk_widget_activate_action (page, "schedule.mode", "s", "day");
      cairn_test_wait_until (schedule_settled, page, 5000);
      iterate (100);
      save_window (window, dir, day_name);
      gtk_widget_activate_action (page, "schedule.mode", "s", "week");
      cairn_test_wait_until (schedule_settled, page, 5000);
    }

  /* A booking that clashes with Carmen's integration in Room 1. */
  gtk_widget_activate_action (page, "schedule.new", NULL);
  /* Sized before it first draws: a shown window keeps its size here. */
  dialog = find_toplevel (CAIRN_TYPE_APPOINTMENT_DIALOG);
  if (dialog != NULL && size->width < 520)
    gtk_window_set_default_size (GTK_WINDOW (dialog), size->width, size->height);
  if (cairn_test_wait_until (appointment_dialog_ready, (gpointer) "ready", 5000))
    {
      dialog = find_toplevel (CAIRN_TYPE_APPOINTMENT_DIALOG);
      gtk_editable_set_text (GTK_EDITABLE (cairn_test_find_row (dialog, "Patient (name, chart number or phone)")),
                             "farah");
      if (wait_for_text (dialog, "Farah Haddad"))
        g_signal_emit_by_name (cairn_test_find_row (dialog, "Patient (name, chart number or phone)"),
                               "entry-activated");
      cairn_test_select (dialog, "Kind", "Integration");
      cairn_test_type (dialog, "Date (year-month-day)", "2026-12-01");
      cairn_test_type (dialog, "Starts at (24-hour clock)", "10:00");
      cairn_test_select (dialog, "Room", "Room 1");
      if (cairn_test_wait_until (appointment_dialog_ready, (gpointer) "clash", 5000))
        save_window (dialog, dir, booking);
      else
        {
          g_printerr ("%s: the clash was never shown\n", booking);
          n_failed++;
        }
      gtk_window_destroy (GTK_WINDOW (dialog));
      iterate (50);
    }

  /* Carmen's integration, opened. */
  gtk_widget_activate_action (page, "schedule.mode", "s", "day");
  cairn_test_wait_until (schedule_settled, page, 5000);
  {
    GPtrArray *items = cairn_schedule_view_get_items (CAIRN_SCHEDULE_VIEW (view));

    for (guint i = 0; items != NULL && i < items->len; i++)
      {
        const CairnAgendaItem *item = g_ptr_array_index (items, i);

        if (g_strcmp0 (item->appointment->type_id, "preparation") == 0)
          cairn_schedule_view_select (CAIRN_SCHEDULE_VIEW (view), item->appointment->id);
      }
  }
  gtk_widget_activate_action (view, "grid.open", NULL);
  /* Sized before it first draws: a shown window keeps its size here. */
  dialog = find_toplevel (CAIRN_TYPE_APPOINTMENT_DIALOG);
  if (dialog != NULL && size->width < 520)
    gtk_window_set_default_size (GTK_WINDOW (dialog), size->width, size->height);
  if (cairn_test_wait_until (appointment_dialog_ready, (gpointer) "ready", 5000))
    {
      dialog = find_toplevel (CAIRN_TYPE_APPOINTMENT_DIALOG);
      iterate (400);
      save_window (dialog, dir, opened);
      gtk_window_destroy (GTK_WINDOW (dialog));
      iterate (50);
    }
  gtk_widget_activate_action (page, "schedule.mode", "s", "week");
  cairn_schedule_view_set_now (CAIRN_SCHEDULE_VIEW (view), 0);

  shoot_course (app, dir, size, style);

  /* The front desk's Tuesday morning. */
  gtk_widget_activate_action (window, "win.show-page", "s", "today");
  page = cairn_test_find_descendant (window, CAIRN_TYPE_TODAY_PAGE, NULL);
  cairn_today_page_set_now (CAIRN_TODAY_PAGE (page), g_date_time_to_unix (now));
  cairn_test_wait_until (today_settled, page, 5000);
  iterate (100);
  save_window (window, dir, today);
  cairn_today_page_set_now (CAIRN_TODAY_PAGE (page), 0);
  cairn_test_wait_until (today_settled, page, 5000);
}

/* ------------------------------------------------------------------------ */
/* Preferences → Practice and Staff                                          */

/* A third room, closed days ahead and the front desk's own hours. */
static gpointer
seed_practice_job (CairnVault    *vault,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *desk = NULL;
  g_autofree char *room = cairn_schedule_add_room (db, "Ground-floor Room (step-free)", me, NULL);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) retreat = g_date_time_add_days (now, 14);
  int month = g_date_time_get_month (now);
  int year = g_date_time_get_year (now) + (month == 12 && g_date_time_get_day_of_month (now) > 24);
  GDate day;

  desk = cairn_database_query_text (db, "SELECT id FROM users WHERE role = 'front-desk'", NULL, 0,
                                    error);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (retreat), g_date_time_get_month (retreat),
                  g_date_time_get_year (retreat));
  if (!cairn_schedule_set_closed_day (db, &day, "Team retreat", me, error))
    return NULL;
  g_date_set_dmy (&day, 24, G_DATE_DECEMBER, year);
  if (!cairn_schedule_set_closed_day (db, &day, "Christmas Eve", me, error))
    return NULL;
  g_date_set_dmy (&day, 25, G_DATE_DECEMBER, year);
  if (!cairn_schedule_set_closed_day (db, &day, "Christmas Day", me, error))
    return NULL;
  if (desk == NULL || !cairn_schedule_set_staff_hours (db, desk, "mon-thu 08:00-16:00", me, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
scroll_page (GtkWidget *page,
             gboolean   to_end)
{
  GtkWidget *scroller = cairn_test_find_descendant (page, GTK_TYPE_SCROLLED_WINDOW, NULL);
  GtkAdjustment *adjustment;

  if (scroller == NULL)
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adjustment, to_end ? gtk_adjustment_get_upper (adjustment) : 0);
}

/* Both pages wide and narrow; the Practice page scrolled down to its closed
 * days, with a mistake in the hours, and (narrow) a room being renamed. */
static void
shoot_practice_prefs (GtkWidget  *main_window,
                      const char *dir,
                      const char *style)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (main_window));
  CairnVault *vault = cairn_application_get_vault (CAIRN_APPLICATION (app));

  cairn_test_run_job (vault, seed_practice_job, NULL);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      const char *size = sizes[s].name;
      g_autofree char *practice = g_strdup_printf ("preferences-practice-%s-%s", size, style);
      g_autofree char *closed = g_strdup_printf ("preferences-practice-closed-%s-%s", size, style);
      g_autofree char *mistake = g_strdup_printf ("preferences-practice-wrong-%s-%s", size, style);
      g_autofree char *rename = g_strdup_printf ("preferences-practice-rename-%s-%s", size, style);
      g_autofree char *staff = g_strdup_printf ("preferences-staff-%s-%s", size, style);
      GtkWidget *preferences;
      AdwPreferencesWindow *window;
      GtkWidget *page;
      GtkWidget *row;
      GtkWidget *button;
      graphene_rect_t bounds;

      gtk_widget_activate_action (main_window, "app.preferences", NULL);
      iterate (100);
      preferences = find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
      if (preferences == NULL)
        {
          g_printerr ("%s: the preferences did not open\n", practice);
          n_failed++;
          return;
        }
      window = ADW_PREFERENCES_WINDOW (preferences);
      /* Wide is the window's own size; narrow is a phone's width. */
      if (sizes[s].width < 600)
        gtk_window_set_default_size (GTK_WINDOW (preferences), sizes[s].width, sizes[s].height);

      adw_preferences_window_set_visible_page_name (window, "practice");
      page = GTK_WIDGET (adw_preferences_window_get_visible_page (window));
      if (!wait_for_text (preferences, "Ground-floor Room (step-free)"))
        {
          gtk_window_destroy (GTK_WINDOW (preferences));
          return;
        }
      save_window (preferences, dir, practice);

      scroll_page (page, TRUE);
      save_window (preferences, dir, closed);
      scroll_page (page, FALSE);

      /* A popover points at its button, which must be on the screen: the
       * rooms are, in the narrow window. */
      row = cairn_test_find_row (preferences, "Garden Room");
      button = cairn_test_find_descendant (row, GTK_TYPE_MENU_BUTTON, NULL);
      if (gtk_widget_compute_bounds (button, preferences, &bounds) && bounds.origin.y >= 0 &&
          bounds.origin.y + bounds.size.height <= gtk_widget_get_height (preferences))
        {
          GtkWidget *popover;
          GtkWidget *entry;

          gtk_menu_button_popup (GTK_MENU_BUTTON (button));
          cairn_test_type (preferences, "New name", "Room 1");
          entry = cairn_test_find_row (preferences, "New name");
          g_signal_emit_by_name (entry, "apply");
          popover = gtk_widget_get_ancestor (entry, GTK_TYPE_POPOVER);
          /* The popover is a surface of its own. */
          if (wait_for_text (preferences, "There is already a room called"))
            save_window (popover, dir, rename);
          gtk_popover_popdown (GTK_POPOVER (popover));
        }

      cairn_test_type (preferences, "Opening hours", "mon-fri 08:00-18:00; sat 9-13");
      g_signal_emit_by_name (cairn_test_find_row (preferences, "Opening hours"), "apply");
      save_window (preferences, dir, mistake);

      adw_preferences_window_set_visible_page_name (window, "staff");
      if (wait_for_text (preferences, "own working hours"))
        save_window (preferences, dir, staff);

      gtk_window_destroy (GTK_WINDOW (preferences));
      iterate (50);
    }
}

/* ------------------------------------------------------------------------ */
/* The patient page's clinical tabs, over the demo practice's records        */

static char *demo_dir;

typedef struct
{
  char *rich;      /* the patient with the most measures: a year of them */
  char *alerts;    /* the patient with the most alerts */
} DemoPatients;

static gpointer
find_demo_patients_job (CairnVault    *vault,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CairnDatabase *clinical = cairn_vault_get_clinical (vault);
  g_autoptr(GPtrArray) all = cairn_patients_search (cairn_vault_get_practice (vault), NULL, FALSE, 0, error);
  DemoPatients *found = data;
  guint most = 0;

  found->rich = cairn_database_query_text (clinical, "SELECT patient_id FROM measures GROUP BY patient_id"
                                                     " ORDER BY count(*) DESC, patient_id LIMIT 1", NULL, 0, error);
  if (found->rich == NULL || all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    {
      const CairnPatientSummary *patient = g_ptr_array_index (all, i);
      g_autoptr(CairnJourney) journey = cairn_journey_load (vault, patient->id,
                                                            g_get_real_time () / G_USEC_PER_SEC, NULL);

      if (journey != NULL && journey->alerts->len > most)
        {
          most = journey->alerts->len;
          g_free (found->alerts);
          found->alerts = g_strdup (patient->id);
        }
    }
  return found;
}

static gboolean
no_spinner (gpointer user_data)
{
  GtkWidget *spinner = cairn_test_find_descendant (user_data, GTK_TYPE_SPINNER, NULL);

  for (; spinner != NULL; spinner = NULL)
    if (gtk_widget_is_drawable (spinner) && gtk_spinner_get_spinning (GTK_SPINNER (spinner)))
      return FALSE;
  return TRUE;
}

static void
shoot_tab (GtkWidget  *window,
           GtkWidget  *view,
           const char *tab,
           const char *dir,
           const char *name)
{
  if (!gtk_widget_activate_action (view, "patient-view.show-tab", "s", tab))
    {
      g_printerr ("No tab %s\n", tab);
      n_failed++;
      return;
    }
  iterate (300);
  cairn_test_wait_until (no_spinner, view, 10000);
  iterate (200);
  save_window (window, dir, name);
}

/* The window that opened over @main_window, pictured and closed. */
static void
shoot_opened (GtkWidget  *main_window,
              GType       type,
              const char *dir,
              const char *name)
{
  GtkWidget *dialog;

  iterate (300);
  dialog = find_toplevel (type);
  if (dialog == NULL || dialog == main_window)
    {
      g_printerr ("%s: no window opened\n", name);
      n_failed++;
      return;
    }
  save_window (dialog, dir, name);
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate (50);
}

/* The scrolled window on screen under @root (a stack may hold others). */
static GtkWidget *
drawable_scrolled_window (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_SCROLLED_WINDOW (child) && gtk_widget_is_drawable (child))
        return child;
      if ((found = drawable_scrolled_window (child)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
first_activatable_row (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_ACTION_ROW (child) && gtk_widget_is_drawable (child) &&
          gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (child)))
        return child;
      if ((found = first_activatable_row (child)) != NULL)
        return found;
    }
  return NULL;
}

/* The clinical dialogs, each opened the way a clinician opens it. */
static void
shoot_clinical_dialogs (GtkWidget  *window,
                        GtkWidget  *view,
                        const char *dir,
                        const char *size,
                        const char *style)
{
  g_autofree char *note = g_strdup_printf ("patient-note-editor-%s-%s", size, style);
  g_autofree char *measure = g_strdup_printf ("measure-dialog-%s-%s", size, style);
  g_autofree char *decision = g_strdup_printf ("screening-decision-%s-%s", size, style);
  g_autofree char *protocols = g_strdup_printf ("preferences-protocols-%s-%s", size, style);
  GtkWidget *page;
  GtkWidget *row;
  GtkWidget *preferences;

  /* The newest session's note, in the editor. */
  gtk_widget_activate_action (view, "patient-view.show-tab", "s", "notes");
  iterate (200);
  page = cairn_test_find_descendant (view, CAIRN_TYPE_NOTES_PAGE, NULL);
  row = page != NULL ? first_activatable_row (page) : NULL;
  if (row != NULL)
    {
      g_signal_emit_by_name (row, "activated");
      iterate (500);
      cairn_test_wait_until (no_spinner, view, 10000);
      save_window (window, dir, note);
    }
  else
    {
      g_printerr ("%s: no session to open\n", note);
      n_failed++;
    }

  /* A PHQ-9 form. */
  gtk_widget_activate_action (view, "patient-view.show-tab", "s", "measures");
  iterate (200);
  page = cairn_test_find_descendant (view, CAIRN_TYPE_MEASURES_PAGE, NULL);
  gtk_widget_activate_action (page, "measures.add", "s", "phq-9");
  shoot_opened (window, CAIRN_TYPE_MEASURE_DIALOG, dir, measure);

  /* The eligibility decision form. */
  gtk_widget_activate_action (view, "patient-view.show-tab", "s", "screening");
  iterate (300);
  page = cairn_test_find_descendant (view, CAIRN_TYPE_SCREENING_PAGE, NULL);
  cairn_test_click (page, "Record Decision…");
  shoot_opened (window, CAIRN_TYPE_SCREENING_DIALOG, dir, decision);

  /* Preferences → Protocols. */
  gtk_widget_activate_action (window, "app.preferences", NULL);
  iterate (200);
  preferences = find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  if (preferences != NULL)
    {
      GtkWidget *protocols_page = cairn_test_find_descendant (preferences, CAIRN_TYPE_PROTOCOLS_PAGE, NULL);

      if (g_str_equal (size, "narrow"))
        gtk_window_set_default_size (GTK_WINDOW (preferences), 360, 720);
      adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                               ADW_PREFERENCES_PAGE (protocols_page));
      iterate (500);
      save_window (preferences, dir, protocols);
      gtk_window_destroy (GTK_WINDOW (preferences));
      iterate (50);
    }
  else
    {
      g_printerr ("%s: the preferences did not open\n", protocols);
      n_failed++;
    }
}

static gpointer
exec_clinical_job (CairnVault    *vault,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return cairn_database_exec (cairn_vault_get_clinical (vault), data, error) ? data : NULL;
}

static gboolean
loader_failed (gpointer user_data)
{
  CairnLoader *loader = CAIRN_LOADER (cairn_test_find_descendant (user_data, CAIRN_TYPE_LOADER, NULL));

  return loader != NULL && cairn_loader_get_failed (loader) && !cairn_loader_get_busy (loader);
}

/* The Measures tab when its read fails: the status page with Try Again.
 * The fault is a table moved out of the way, and put back after. */
static void
shoot_failed_read (GtkWidget  *window,
                   GtkWidget  *view,
                   CairnVault *vault,
                   const char *dir,
                   const char *name)
{
  GtkWidget *page;

  gtk_widget_activate_action (view, "patient-view.show-tab", "s", "measures");
  iterate (200);
  page = cairn_test_find_descendant (view, CAIRN_TYPE_MEASURES_PAGE, NULL);
  cairn_test_run_job (vault, exec_clinical_job, (gpointer) "ALTER TABLE measures RENAME TO measures_away");
  cairn_measures_page_load (CAIRN_MEASURES_PAGE (page),
                            cairn_patient_view_get_patient (CAIRN_PATIENT_VIEW (view)));
  if (!cairn_test_wait_until (loader_failed, page, 10000))
    {
      g_printerr ("%s: the read did not fail\n", name);
      n_failed++;
    }
  else
    {
      iterate (300);
      save_window (window, dir, name);
    }
  cairn_test_run_job (vault, exec_clinical_job, (gpointer) "ALTER TABLE measures_away RENAME TO measures");
  cairn_measures_page_load (CAIRN_MEASURES_PAGE (page),
                            cairn_patient_view_get_patient (CAIRN_PATIENT_VIEW (view)));
  cairn_test_wait_idle (vault);
}

static void
shoot_clinical (CairnApplication *app,
                const char       *dir,
                const Size       *size,
                const char       *style)
{
  static const char * const tabs[] = { "journey", "screening", "notes", "measures" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  DemoPatients found = { NULL, NULL };
  JobWait wait = { FALSE, NULL };
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *view;

  if (demo_dir == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      demo_dir = g_build_filename (g_get_user_data_dir (), "cairn-demo-pictures", NULL);
      if (!cairn_demo_create (demo_dir, now, &error))
        {
          g_printerr ("The demo practice was not made: %s\n", error->message);
          n_failed++;
          return;
        }
    }
  cairn_application_lock (app);
  cairn_application_set_vault_dir (app, demo_dir);
  vault = cairn_vault_unlock (demo_dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  if (vault == NULL)
    {
      g_printerr ("The demo practice did not open: %s\n", error->message);
      n_failed++;
      return;
    }
  cairn_application_set_vault (app, vault);

  cairn_vault_run_async (vault, find_demo_patients_job, &found, NULL, NULL, NULL, job_done_cb, &wait);
  cairn_test_wait_until (job_finished, &wait, 60000);
  if (wait.error != NULL || found.rich == NULL || found.alerts == NULL)
    {
      g_printerr ("No demo patient to show: %s\n", wait.error != NULL ? wait.error->message : "none found");
      g_clear_error (&wait.error);
      n_failed++;
      return;
    }

  window = open_window (app, size);
  gtk_widget_activate_action (window, "win.show-page", "s", "patients");
  page = cairn_test_find_descendant (window, CAIRN_TYPE_PATIENTS_PAGE, NULL);
  view = cairn_test_find_descendant (window, CAIRN_TYPE_PATIENT_VIEW, NULL);

  for (guint k = 0; k < 2; k++)
    {
      const char *id = k == 0 ? found.rich : found.alerts;

      cairn_patients_page_show_patient (CAIRN_PATIENTS_PAGE (page), id);
      cairn_test_wait_until (patient_shown, page, 5000);
      iterate (200);
      for (guint t = 0; t < G_N_ELEMENTS (tabs); t++)
        {
          g_autofree char *name = NULL;

          /* The second patient is there for the journey's alerts. */
          if (k == 1 && t > 0)
            break;
          name = g_strdup_printf ("patient-%s%s-%s-%s", tabs[t], k == 1 ? "-alerts" : "", size->name, style);
          shoot_tab (window, view, tabs[t], dir, name);
        }
      if (k == 0)
        {
          g_autofree char *failed = g_strdup_printf ("patient-measures-failed-%s-%s", size->name, style);

          shoot_clinical_dialogs (window, view, dir, size->name, style);
          shoot_failed_read (window, view, vault, dir, failed);
        }
      gtk_widget_activate_action (view, "patient-view.show-tab", "s", "details");
    }

  /* Further down the Journey: the course, phase by phase. */
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *name = g_strdup_printf ("patient-journey-course%s-%s-%s", k == 1 ? "-alerts" : "",
                                               size->name, style);
      GtkWidget *scrolled;

      cairn_patients_page_show_patient (CAIRN_PATIENTS_PAGE (page), k == 0 ? found.rich : found.alerts);
      cairn_test_wait_until (patient_shown, page, 5000);
      iterate (200);
      gtk_widget_activate_action (view, "patient-view.show-tab", "s", "journey");
      iterate (300);
      cairn_test_wait_until (no_spinner, view, 10000);
      iterate (200);
      scrolled = drawable_scrolled_window (cairn_test_find_descendant (view, CAIRN_TYPE_JOURNEY_PAGE, NULL));
      if (scrolled == NULL)
        {
          g_printerr ("%s: nothing to scroll\n", name);
          n_failed++;
          continue;
        }
      {
        GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

        /* Where the course begins: the top of the page's last group. */
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
        iterate (300);
        save_window (window, dir, name);
        gtk_adjustment_set_value (adjustment, 0);
      }
    }

  g_free (found.rich);
  g_free (found.alerts);
  cairn_application_lock (app);
  cairn_application_set_vault_dir (app, cairn_test_vault_dir ());
}

static void
shoot_style (CairnApplication *app,
             const char       *dir,
             const char       *style)
{
  GSettings *settings = cairn_application_get_settings (app);

  g_settings_set_string (settings, "color-scheme", style);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      GtkWidget *window;

      shoot_first_run (app, dir, &sizes[s], style);
      cairn_test_ensure_vault ();
      shoot_unlock (app, dir, &sizes[s], style);

      cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
      window = open_window (app, &sizes[s]);

      if (s == 1)
        {
          /* Folded, the window first shows the sidebar alone. */
          g_autofree char *name = g_strdup_printf ("sidebar-%s-%s", sizes[s].name, style);

          save_window (window, dir, name);
        }

      for (guint p = 0; p < CAIRN_WINDOW_N_PAGES; p++)
        {
          g_autofree char *name = g_strdup_printf ("%s-%s-%s", cairn_window_page_names[p],
                                                   sizes[s].name, style);

          gtk_widget_activate_action (window, "win.show-page", "s", cairn_window_page_names[p]);
          save_window (window, dir, name);
        }

      shoot_patients (app, window, dir, &sizes[s], style);
      shoot_schedule (app, window, dir, &sizes[s], style);
      shoot_clinical (app, dir, &sizes[s], style);
      cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
      window = open_window (app, &sizes[s]);

      if (s == 0)
        {
          g_autofree char *preferences = g_strdup_printf ("preferences-%s", style);
          g_autofree char *about = g_strdup_printf ("about-%s", style);
          g_autofree char *shortcuts = g_strdup_printf ("shortcuts-%s", style);
          g_autofree char *front_desk = g_strdup_printf ("today-front-desk-%s-%s", sizes[s].name, style);

          gtk_widget_activate_action (window, "win.show-page", "s", "today");
          shoot_dialog (window, dir, "app.preferences", ADW_TYPE_PREFERENCES_WINDOW, preferences);
          shoot_security (window, dir, style);
          shoot_practice_prefs (window, dir, style);
          shoot_dialog (window, dir, "app.about", ADW_TYPE_ABOUT_WINDOW, about);
          shoot_dialog (window, dir, "win.show-help-overlay", GTK_TYPE_SHORTCUTS_WINDOW, shortcuts);

          /* The front desk's window: no clinical pages in the sidebar. */
          cairn_test_unlock (CAIRN_ROLE_FRONT_DESK);
          window = open_window (app, &sizes[s]);
          save_window (window, dir, front_desk);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CairnApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  const char *dir;

  if (argc != 2)
    {
      g_printerr ("Usage: %s DIR\n", argv[0]);
      return 2;
    }
  dir = argv[1];

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr ("Could not create %s: %s\n", dir, g_strerror (errno));
      return 1;
    }

  /* A home of its own: the vault in the pictures is a throwaway one, and
   * nobody's real vault is ever opened. */
  cairn_test_init_gtk (&argc, &argv);

  /* Pictures of the final state, not of a transition half-way. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = g_object_ref (cairn_test_get_application ());
  cairn_application_set_vault_dir (app, cairn_test_vault_dir ());

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    shoot_style (app, dir, styles[i]);

  cairn_application_lock (app);
  close_all_windows ();
  cairn_test_run ();

  g_print ("%u screenshots written to %s, %u failed\n", n_written, dir, n_failed);

  return n_failed == 0 && n_written > 0 ? 0 : 1;
}
