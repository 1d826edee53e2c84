/* cairn-patients-page.c
 *
 * The Patients page, for the front desk and clinicians alike: instant
 * search over the registry, a list to pick from, and a patient's page.
 *
 * Every keystroke runs a search on the vault's worker
 * (cairn_patients_screen_load()) through the page's loader: a newer search
 * drops the answer to the one before, so the list always answers what the
 * search entry says now, and the list stays shown until the answer comes.
 * A search that fails is the loader's status page, with Try Again.
 * When Cairn locks, the page lets go of every row and of the patient
 * shown, and empties the search: nothing from the vault stays drawn, not
 * even on a page that is not visible.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-patients"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-course-dialog.h"
#include "cairn-loader.h"
#include "cairn-patient-dialog.h"
#include "cairn-patient-row.h"
#include "cairn-patient-view.h"
#include "cairn-patients-page.h"
#include "cairn-patients-screen.h"
#include "cairn-runner.h"
#include "cairn-toaster.h"

struct _CairnPatientsPage
{
  GtkWidget           parent_instance;

  CairnContext       *context;
  GSignalGroup       *context_signals;
  CairnVault         *vault;              /* the vault the rows came from */
  GListStore         *patients;
  GtkSingleSelection *selection;
  CairnLoader        *loader;             /* the search */
  gboolean            searched;           /* since the vault was given */
  CairnRunner        *open_runner;        /* the patient being opened */
  CairnRunner        *runner;             /* everything else */
  gboolean            open_first;         /* Enter was pressed before the results came */
  gboolean            show_archived;
  gboolean            quiet;              /* the search entry changes, not the user */
  char               *select_id;          /* to select when the next results come */
  CairnToaster       *toaster;

  /* Template widgets */
  GtkLabel           *count_label;
  GtkStack           *list_states;
  GtkWidget          *list_page;
  GtkListView        *list_view;
  AdwStatusPage      *no_results_page;
  CairnPatientView   *patient_view;
  GtkSearchEntry     *search_entry;
  AdwToastOverlay    *toast_overlay;
  GtkDropDown        *phase_dropdown;
  GtkWidget          *toolbar;
  GtkStack           *views;
};

G_DEFINE_FINAL_TYPE (CairnPatientsPage, cairn_patients_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SHOW_ARCHIVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cairn_patients_page_search       (CairnPatientsPage *self);
static void cairn_patients_page_load_appointments (CairnPatientsPage *self,
                                                   const char        *id);
static void on_search_activated_cb           (CairnPatientsPage *self);

static CairnVault *
page_vault (CairnPatientsPage *self)
{
  return self->context != NULL ? cairn_context_get_vault (self->context) : NULL;
}

/* The practice's protocol template, a reference. */
static CairnProtocol *
page_protocol (CairnPatientsPage *self)
{
  return self->context != NULL ? cairn_protocol_ref (cairn_context_get_protocol (self->context))
                                   : cairn_protocol_load_default ();
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Toasts                                                                    */

/* The page dismisses its toast when Cairn locks: an Undo must not outlive
 * the vault it would write to. See cairn-toaster.c. */
static void
page_toast (CairnPatientsPage *self,
            const char        *text)
{
  cairn_toaster_say (self->toaster, text);
}

static void
page_dismiss_toasts (CairnPatientsPage *self)
{
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
}

/* ------------------------------------------------------------------------ */
/* What may be done now                                                      */

static void
cairn_patients_page_sync_actions (CairnPatientsPage *self)
{
  gboolean unlocked = page_vault (self) != NULL;
  gboolean viewing = g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "patient") == 0;
  const CairnPatient *patient = cairn_patient_view_get_patient (self->patient_view);
  gboolean shown = unlocked && viewing && patient != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patients.new", unlocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patients.search", unlocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patients.back", viewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patients.edit", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patients.plan-course",
                                 shown && patient->archived_at == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patients.archive",
                                 shown && patient->archived_at == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patients.restore",
                                 shown && patient->archived_at != NULL);
}

static void
show_view (CairnPatientsPage *self,
           const char        *name)
{
  gtk_stack_set_visible_child_name (self->views, name);
  cairn_patients_page_sync_actions (self);
}

/* Shows one of the list's states; each status page gets its large icon
 * the first time it is shown, not before the first frame (see HACKING.md). */
static void
show_list_state (CairnPatientsPage *self,
                 const char        *state)
{
  static const struct
  {
    const char *state;
    const char *icon;
  } icons[] = {
    { "empty", "system-users-symbolic" },
    { "no-results", "system-search-symbolic" },
    { "all-archived", "system-users-symbolic" },
  };
  GtkWidget *child = gtk_stack_get_child_by_name (self->list_states, state);

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_strcmp0 (icons[i].state, state) == 0 &&
        adw_status_page_get_icon_name (ADW_STATUS_PAGE (child)) == NULL)
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (child), icons[i].icon);

  gtk_stack_set_visible_child (self->list_states, child);
  /* Nothing to search in a practice with no patients: the status page's
   * button is the one thing to do. */
  gtk_widget_set_visible (self->toolbar, g_strcmp0 (state, "empty") != 0);
}

/* ------------------------------------------------------------------------ */
/* The list's rows                                                           */

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *avatar = adw_avatar_new (40, NULL, TRUE);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *names = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *nickname = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);
  GtkWidget *tag = gtk_label_new (_("Archived"));

  gtk_widget_add_css_class (box, "patient-row");

  gtk_label_set_xalign (GTK_LABEL (name), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (nickname), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (nickname), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (nickname, "dim-label");
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "patient-tag");
  /* The tag goes with the name, so that a narrow row still shows the
   * whole line of details under it. */
  gtk_box_append (GTK_BOX (names), name);
  gtk_box_append (GTK_BOX (names), nickname);
  gtk_box_append (GTK_BOX (names), tag);

  gtk_label_set_xalign (GTK_LABEL (details), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");

  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (text), names);
  gtk_box_append (GTK_BOX (text), details);

  gtk_box_append (GTK_BOX (box), avatar);
  gtk_box_append (GTK_BOX (box), text);

  g_object_set_data (G_OBJECT (box), "cairn-list-item", item);
  g_object_set_data (G_OBJECT (box), "avatar", avatar);
  g_object_set_data (G_OBJECT (box), "name", name);
  g_object_set_data (G_OBJECT (box), "nickname", nickname);
  g_object_set_data (G_OBJECT (box), "details", details);
  g_object_set_data (G_OBJECT (box), "tag", tag);
  gtk_list_item_set_child (item, box);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  CairnPatientRow *row = gtk_list_item_get_item (item);
  const CairnPatientSummary *summary = cairn_patient_row_get_summary (row);
  g_autofree char *nickname = NULL;
  g_autofree char *details = NULL;
  GDate today;

  cairn_patient_get_today (&today);
  nickname = cairn_patient_format_nickname (summary->legal_name, summary->preferred_name);
  details = cairn_patient_format_details (summary, &today);

  adw_avatar_set_text (g_object_get_data (G_OBJECT (box), "avatar"), summary->legal_name);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "name"), summary->legal_name);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "nickname"),
                      nickname != NULL ? nickname : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "nickname"), nickname != NULL);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "details"), details);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "tag"), summary->archived);
}

/* A row let go keeps nothing of its patient. */
static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  adw_avatar_set_text (g_object_get_data (G_OBJECT (box), "avatar"), NULL);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "name"), "");
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "nickname"), "");
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "details"), "");
}

/* Moves the keyboard focus to the selected row (the first if none), as if
 * it had been clicked, so that the arrows go on from there. */
static gboolean
cairn_patients_page_focus_list (CairnPatientsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint position = gtk_single_selection_get_selected (self->selection);

  if (n == 0 || g_strcmp0 (gtk_stack_get_visible_child_name (self->list_states), "list") != 0)
    return FALSE;
  if (position == GTK_INVALID_LIST_POSITION || position >= n)
    position = 0;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *box = gtk_widget_get_first_child (child);
      GtkListItem *item = box != NULL ? g_object_get_data (G_OBJECT (box), "cairn-list-item")
                                      : NULL;

      if (item != NULL && gtk_list_item_get_item (item) != NULL &&
          gtk_list_item_get_position (item) == position)
        return gtk_widget_grab_focus (child);
    }
  return gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* ------------------------------------------------------------------------ */
/* Searching                                                                 */

static void
cairn_patients_page_select (CairnPatientsPage *self,
                            const char        *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->patients));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CairnPatientRow) row = g_list_model_get_item (G_LIST_MODEL (self->patients), i);

      if (g_strcmp0 (cairn_patient_row_get_id (row), id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          return;
        }
    }
}

static gpointer
read_search (CairnVault     *vault,
             gconstpointer   request,
             gint64          now,
             GError        **error)
{
  return cairn_patients_screen_load (vault, request, now, error);
}

static void
show_search (gpointer user_data,
             gpointer result)
{
  CairnPatientsPage *self = user_data;
  g_autoptr(CairnPatientsScreen) found = result;
  const char *query = found->query;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *select_id = NULL;
  guint shown;

  shown = found->found->len;
  rows = g_ptr_array_new_full (shown, g_object_unref);
  for (guint i = 0; i < shown; i++)
    {
      CairnPatientSummary *summary = g_steal_pointer (&g_ptr_array_index (found->found, i));

      g_ptr_array_add (rows, cairn_patient_row_new (summary));
    }
  g_list_store_splice (self->patients, 0, g_list_model_get_n_items (G_LIST_MODEL (self->patients)),
                       rows->pdata, rows->len);

  if (shown > 0)
    {
      g_autofree char *count = NULL;

      if (found->more)
        count = g_strdup_printf (_("The first %u patients. Type to narrow the list."), shown);
      else
        count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u patient", "%u patients", shown),
                                 shown);
      gtk_label_set_text (self->count_label, count);
      show_list_state (self, "list");
    }
  else
    {
      gtk_label_set_text (self->count_label, "");
      if (!is_blank (query))
        {
          g_autofree char *stripped = g_strstrip (g_strdup (query));
          g_autofree char *description =
            g_strdup_printf (_("Nobody matches “%s”. Search by the start of a name, a chart "
                               "number or a phone number."), stripped);

          adw_status_page_set_description (self->no_results_page, description);
          show_list_state (self, "no-results");
        }
      else if (found->any && !self->show_archived)
        show_list_state (self, "all-archived");
      else
        show_list_state (self, "empty");
    }

  if (self->open_first)
    {
      self->open_first = FALSE;
      if (shown > 0)
        on_search_activated_cb (self);
    }

  select_id = g_steal_pointer (&self->select_id);
  if (select_id != NULL)
    {
      CairnPatientRow *selected;

      cairn_patients_page_select (self, select_id);
      selected = gtk_single_selection_get_selected_item (self->selection);
      /* A new patient beyond the first rows, or one the search leaves out:
       * show them anyway, on their own page. */
      if (selected == NULL || g_strcmp0 (cairn_patient_row_get_id (selected), select_id) != 0)
        cairn_patients_page_show_patient (self, select_id);
      else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "list") == 0 &&
               gtk_widget_get_mapped (GTK_WIDGET (self)))
        cairn_patients_page_focus_list (self);
    }
}

/* The phase chosen above the list, as the search's filter: the first
 * choice is every phase, the last is nothing booked, and the ones between
 * are the phases in order, each standing for the template's kinds of
 * appointment in it. */
static void
phase_filter (CairnPatientsPage  *self,
              CairnPatientsQuery *query)
{
  guint chosen = gtk_drop_down_get_selected (self->phase_dropdown);
  guint n = g_list_model_get_n_items (gtk_drop_down_get_model (self->phase_dropdown));
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(GStrvBuilder) kinds = NULL;

  if (chosen == 0 || chosen == GTK_INVALID_LIST_POSITION)
    return;
  query->filtered = TRUE;
  if (chosen == n - 1)
    {
      query->nothing_booked = TRUE;
      query->kinds = g_new0 (char *, 1);
      return;
    }
  protocol = page_protocol (self);
  kinds = g_strv_builder_new ();
  for (guint i = 0; i < cairn_protocol_get_n_types (protocol); i++)
    {
      const CairnAppointmentType *type = cairn_protocol_get_type_nth (protocol, i);

      if ((guint) type->phase == chosen - 1)
        g_strv_builder_add (kinds, type->id);
    }
  query->kinds = g_strv_builder_end (kinds);
}

static void
on_phase_changed_cb (CairnPatientsPage *self)
{
  if (!self->quiet)
    cairn_patients_page_search (self);
}

static void
cairn_patients_page_search (CairnPatientsPage *self)
{
  CairnVault *vault = page_vault (self);
  g_autoptr(CairnPatientsQuery) query = NULL;

  if (vault == NULL)
    return;

  query = g_new0 (CairnPatientsQuery, 1);
  query->query = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  query->include_archived = self->show_archived;
  query->limit = CAIRN_PATIENTS_PAGE_LIMIT;
  phase_filter (self, query);

  /* A newer search: the answer to the one before is not shown. */
  if (cairn_loader_get_failed (self->loader) || !self->searched)
    cairn_loader_load (self->loader, vault, query);
  else
    cairn_loader_change (self->loader, query);
  self->searched = TRUE;
}

static void
on_search_changed_cb (CairnPatientsPage *self)
{
  if (!self->quiet)
    cairn_patients_page_search (self);
}

/* Enter in the search opens the best match. */
static void
on_search_activated_cb (CairnPatientsPage *self)
{
  CairnPatientRow *row = gtk_single_selection_get_selected_item (self->selection);

  if (cairn_loader_get_busy (self->loader))
    self->open_first = TRUE;
  else if (row != NULL)
    cairn_patients_page_show_patient (self, cairn_patient_row_get_id (row));
}

static gboolean
on_search_key_pressed_cb (CairnPatientsPage     *self,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) &&
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) == 0)
    return cairn_patients_page_focus_list (self);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* A patient's page                                                          */

static void
show_appointments (CairnPatientsPage  *self,
                   CairnPatientScreen *screen)
{
  cairn_patient_view_set_appointments (self->patient_view, screen->appointments);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnPatientsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatientScreen) screen = NULL;
  gboolean was_shown;

  screen = cairn_patient_screen_load_finish (CAIRN_VAULT (source), result, &error);
  if (screen == NULL)
    {
      page_toast (self, error->message);
      return;
    }

  was_shown = g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "patient") == 0;
  cairn_patient_view_set_patient (self->patient_view, screen->patient);
  show_appointments (self, screen);
  show_view (self, "patient");
  if (!was_shown)
    gtk_widget_grab_focus (GTK_WIDGET (self->patient_view));
}

/* The patient's appointments read again, for their page. */
static void
appointments_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CairnPatientsPage *self = user_data;
  const CairnPatient *shown = cairn_patient_view_get_patient (self->patient_view);
  g_autoptr(CairnPatientScreen) screen = NULL;

  screen = cairn_patient_screen_load_finish (CAIRN_VAULT (source), result, NULL);
  if (screen == NULL || shown == NULL || g_strcmp0 (shown->id, screen->patient->id) != 0)
    return;
  show_appointments (self, screen);
}

static void
cairn_patients_page_load_appointments (CairnPatientsPage *self,
                                       const char        *id)
{
  cairn_patient_screen_load_async (page_vault (self), id, cairn_runner_get_cancellable (self->runner),
                                   cairn_runner_answered,
                                   cairn_runner_track (self->runner, appointments_done_cb, self));
}

/**
 * cairn_patients_page_show_patient:
 * @self: the page
 * @id: the patient's id
 *
 * Reads the patient on the vault's worker and shows their page.
 */
void
cairn_patients_page_show_patient (CairnPatientsPage *self,
                                  const char        *id)
{
  CairnVault *vault;

  g_return_if_fail (CAIRN_IS_PATIENTS_PAGE (self));

  vault = page_vault (self);
  if (vault == NULL || id == NULL)
    return;

  /* Only the patient asked for last is shown. */
  cairn_runner_cancel (self->open_runner);
  cairn_patient_screen_load_async (vault, id, cairn_runner_get_cancellable (self->open_runner),
                                   cairn_runner_answered,
                                   cairn_runner_track (self->open_runner, open_done_cb, self));
}

static void
on_list_activated_cb (CairnPatientsPage *self,
                      guint              position)
{
  g_autoptr(CairnPatientRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row != NULL)
    {
      gtk_single_selection_set_selected (self->selection, position);
      cairn_patients_page_show_patient (self, cairn_patient_row_get_id (row));
    }
}

/* ------------------------------------------------------------------------ */
/* The form                                                                  */

static void
on_patient_saved_cb (CairnPatientsPage  *self,
                     const char         *id,
                     gboolean            created,
                     CairnPatientDialog *dialog)
{
  const CairnPatient *shown = cairn_patient_view_get_patient (self->patient_view);

  page_toast (self, created ? _("Patient added") : _("Changes saved"));

  g_free (self->select_id);
  self->select_id = g_strdup (id);

  if (created)
    {
      /* The whole list, with the new patient picked out in it. */
      show_view (self, "list");
      self->quiet = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      self->quiet = FALSE;
      cairn_patients_page_search (self);
      return;
    }

  if (shown != NULL && g_strcmp0 (shown->id, id) == 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "patient") == 0)
    cairn_patients_page_show_patient (self, id);
  cairn_patients_page_search (self);
}

static void
on_open_duplicate_cb (CairnPatientsPage  *self,
                      const char         *id,
                      CairnPatientDialog *dialog)
{
  cairn_patients_page_show_patient (self, id);
}

static void
cairn_patients_page_present_dialog (CairnPatientsPage  *self,
                                    const CairnPatient *patient)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  CairnPatientDialog *dialog;

  if (page_vault (self) == NULL)
    return;

  dialog = cairn_patient_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->context,
                                     patient);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_patient_saved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "open-patient", G_CALLBACK (on_open_duplicate_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Archive and restore                                                       */

typedef struct
{
  CairnPatientsPage *self;
  char              *id;
  gboolean           archived;
} ArchiveReply;

static void
archive_reply_free (ArchiveReply *reply)
{
  g_object_unref (reply->self);
  g_free (reply->id);
  g_free (reply);
}

static void cairn_patients_page_set_archived (CairnPatientsPage *self,
                                              const char        *id,
                                              gboolean           archived);

typedef struct
{
  CairnPatientsPage *page;   /* not held: the Undo goes with the page's toaster */
  char              *patient_id;
} Unarchive;

static void
unarchive_free (Unarchive *undo)
{
  g_free (undo->patient_id);
  g_free (undo);
}

static void
undo_archive (gpointer user_data)
{
  Unarchive *undo = user_data;

  cairn_patients_page_set_archived (undo->page, undo->patient_id, FALSE);
}

static void
archive_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ArchiveReply *reply = user_data;
  CairnPatientsPage *self = reply->self;
  const char *id = reply->id;
  gboolean archived = reply->archived;
  g_autoptr(GError) error = NULL;
  const CairnPatient *shown;

  if (!cairn_patients_archive_finish (CAIRN_VAULT (source), result, &error))
    {
      page_toast (self, error->message);
      return;
    }

  if (archived)
    {
      Unarchive *undo = g_new0 (Unarchive, 1);

      undo->page = self;
      undo->patient_id = g_strdup (id);
      cairn_toaster_say_with_action (self->toaster, _("Patient archived"), _("_Undo"), 0, undo_archive, undo,
                                     (GDestroyNotify) unarchive_free);
    }
  else
    page_toast (self, _("Patient restored"));

  shown = cairn_patient_view_get_patient (self->patient_view);
  if (shown != NULL && g_strcmp0 (shown->id, id) == 0)
    cairn_patients_page_show_patient (self, id);
  cairn_patients_page_search (self);
}

static void
cairn_patients_page_set_archived (CairnPatientsPage *self,
                                  const char        *id,
                                  gboolean           archived)
{
  CairnVault *vault = page_vault (self);
  ArchiveReply *reply;

  if (vault == NULL || id == NULL)
    return;

  reply = g_new0 (ArchiveReply, 1);
  reply->self = g_object_ref (self);
  reply->id = g_strdup (id);
  reply->archived = archived;
  cairn_patients_archive_async (vault, id, archived, cairn_runner_get_cancellable (self->runner),
                                cairn_runner_answered,
                                cairn_runner_track_data (self->runner, archive_done_cb, reply,
                                                         (GDestroyNotify) archive_reply_free));
}

static void
on_archive_response_cb (CairnPatientsPage *self,
                        const char        *response,
                        AdwMessageDialog  *dialog)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "cairn-patient-id");

  if (g_strcmp0 (response, "archive") == 0)
    cairn_patients_page_set_archived (self, id, TRUE);
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                   */

static void
cairn_patients_page_new_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  cairn_patients_page_present_dialog (CAIRN_PATIENTS_PAGE (widget), NULL);
}

static void
cairn_patients_page_search_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (widget);

  show_view (self, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
cairn_patients_page_back_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (widget);

  cairn_runner_cancel (self->open_runner);
  show_view (self, "list");
  if (!cairn_patients_page_focus_list (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
cairn_patients_page_edit_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (widget);
  const CairnPatient *patient = cairn_patient_view_get_patient (self->patient_view);

  if (patient != NULL)
    cairn_patients_page_present_dialog (self, patient);
}

static void
on_course_booked_cb (CairnPatientsPage *self,
                     const char        *course_id,
                     guint              n_sessions)
{
  const CairnPatient *shown = cairn_patient_view_get_patient (self->patient_view);
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session booked",
                                                        "%u sessions booked", n_sessions), n_sessions);

  page_toast (self, text);
  if (shown != NULL)
    cairn_patients_page_load_appointments (self, shown->id);
}

static void
cairn_patients_page_plan_course_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (widget);
  const CairnPatient *patient = cairn_patient_view_get_patient (self->patient_view);
  CairnCourseDialog *dialog;

  if (patient == NULL || page_vault (self) == NULL)
    return;
  dialog = cairn_course_dialog_new (self->context, patient->id);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (dialog, "booked", G_CALLBACK (on_course_booked_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cairn_patients_page_archive_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (widget);
  const CairnPatient *patient = cairn_patient_view_get_patient (self->patient_view);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (patient == NULL || page_vault (self) == NULL)
    return;

  body = g_strdup_printf (_("%s leaves the list and the searches. Nothing is deleted: their "
                            "details and appointments stay, and “Show archived” finds them to "
                            "restore."),
                          patient->legal_name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Archive Patient?"), body));
  /* It belongs to the application, so that it goes when Cairn locks. */
  if (GTK_IS_WINDOW (root))
    gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (root)));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "archive", _("_Archive"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "archive", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cairn-patient-id", g_strdup (patient->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_archive_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cairn_patients_page_restore_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (widget);
  const CairnPatient *patient = cairn_patient_view_get_patient (self->patient_view);

  if (patient != NULL)
    cairn_patients_page_set_archived (self, patient->id, FALSE);
}

/* Ctrl+N and Ctrl+F work wherever the focus is in the window, but only
 * while this page is shown. */
static gboolean
on_page_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  const char *action = user_data;

  if (!gtk_widget_get_mapped (widget) || page_vault (CAIRN_PATIENTS_PAGE (widget)) == NULL)
    return FALSE;
  return gtk_widget_activate_action (widget, action, NULL);
}

/* ------------------------------------------------------------------------ */
/* Following the vault                                                       */

/* Drops everything that came from the vault: rows, the patient shown, the
 * search, the toasts; and stops what is under way. */
static void
cairn_patients_page_clear (CairnPatientsPage *self)
{
  cairn_loader_clear (self->loader);
  self->searched = FALSE;
  cairn_runner_cancel (self->open_runner);
  cairn_runner_cancel (self->runner);
  self->open_first = FALSE;
  g_clear_pointer (&self->select_id, g_free);
  g_clear_object (&self->vault);

  page_dismiss_toasts (self);
  g_list_store_remove_all (self->patients);
  self->quiet = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->phase_dropdown, 0);
  self->quiet = FALSE;
  if (self->show_archived)
    {
      self->show_archived = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ARCHIVED]);
    }
  gtk_label_set_text (self->count_label, "");
  adw_status_page_set_description (self->no_results_page, NULL);
  cairn_patient_view_clear (self->patient_view);
  show_list_state (self, "blank");
  show_view (self, "list");
}

static void
cairn_patients_page_sync_vault (CairnPatientsPage *self)
{
  CairnVault *vault = page_vault (self);

  if (vault == self->vault && vault != NULL)
    return;

  cairn_patients_page_clear (self);
  if (vault != NULL)
    {
      g_set_object (&self->vault, vault);
      cairn_patients_page_search (self);
    }
  cairn_patients_page_sync_actions (self);
}

static void
on_vault_changed_cb (CairnPatientsPage *self)
{
  cairn_patients_page_sync_vault (self);
}

/* ------------------------------------------------------------------------ */

static void
cairn_patients_page_map (GtkWidget *widget)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (widget);

  GTK_WIDGET_CLASS (cairn_patients_page_parent_class)->map (widget);

  /* Coming to the page is coming to search. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "list") == 0 &&
      gtk_widget_get_visible (self->toolbar))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
cairn_patients_page_dispose (GObject *object)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (object);
  GtkWidget *child;

  /* A search under way keeps the loader alive until it answers: drop the
   * answer now, before the list it would fill goes. */
  if (self->loader != NULL)
    cairn_loader_clear (self->loader);
  g_clear_object (&self->open_runner);
  g_clear_object (&self->runner);
  page_dismiss_toasts (self);
  if (self->context_signals != NULL)
    g_signal_group_set_target (self->context_signals, NULL);
  g_clear_object (&self->context_signals);
  g_clear_object (&self->context);
  g_clear_object (&self->vault);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_PATIENTS_PAGE);
  /* The template's top widget has no binding, so nothing above unparents it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->patients);

  G_OBJECT_CLASS (cairn_patients_page_parent_class)->dispose (object);
}

static void
cairn_patients_page_finalize (GObject *object)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (object);

  g_clear_object (&self->toaster);
  g_free (self->select_id);

  G_OBJECT_CLASS (cairn_patients_page_parent_class)->finalize (object);
}

static void
cairn_patients_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_SHOW_ARCHIVED:
      g_value_set_boolean (value, self->show_archived);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_patients_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CairnPatientsPage *self = CAIRN_PATIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      cairn_patients_page_set_context (self, g_value_get_object (value));
      break;

    case PROP_SHOW_ARCHIVED:
      if (self->show_archived != g_value_get_boolean (value))
        {
          self->show_archived = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
          cairn_patients_page_search (self);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_patients_page_class_init (CairnPatientsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_patients_page_dispose;
  object_class->finalize = cairn_patients_page_finalize;
  object_class->get_property = cairn_patients_page_get_property;
  object_class->set_property = cairn_patients_page_set_property;
  widget_class->map = cairn_patients_page_map;

  /**
   * CairnPatientsPage:context:
   *
   * What the page works in: the vault it reads, which it follows being
   * locked and unlocked.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CairnPatientsPage:show-archived:
   *
   * Whether the list and the search include archived patients.
   */
  properties[PROP_SHOW_ARCHIVED] =
    g_param_spec_boolean ("show-archived", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CAIRN_TYPE_LOADER);
  g_type_ensure (CAIRN_TYPE_PATIENT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/patients/cairn-patients-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, list_page);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, list_states);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, loader);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, patient_view);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, phase_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientsPage, views);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_phase_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);

  gtk_widget_class_install_action (widget_class, "patients.new", NULL,
                                   cairn_patients_page_new_action);
  gtk_widget_class_install_action (widget_class, "patients.search", NULL,
                                   cairn_patients_page_search_action);
  gtk_widget_class_install_action (widget_class, "patients.back", NULL,
                                   cairn_patients_page_back_action);
  gtk_widget_class_install_action (widget_class, "patients.edit", NULL,
                                   cairn_patients_page_edit_action);
  gtk_widget_class_install_action (widget_class, "patients.plan-course", NULL,
                                   cairn_patients_page_plan_course_action);
  gtk_widget_class_install_action (widget_class, "patients.archive", NULL,
                                   cairn_patients_page_archive_action);
  gtk_widget_class_install_action (widget_class, "patients.restore", NULL,
                                   cairn_patients_page_restore_action);
  gtk_widget_class_install_property_action (widget_class, "patients.show-archived",
                                            "show-archived");

  /* From a patient's page: back to the list. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "patients.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "patients.back",
                                       NULL);
}

static void
cairn_patients_page_init (CairnPatientsPage *self)
{
  static const struct
  {
    guint           keyval;
    GdkModifierType modifiers;
    const char     *action;
  } shortcuts[] = {
    { GDK_KEY_n, GDK_CONTROL_MASK, "patients.new" },
    { GDK_KEY_f, GDK_CONTROL_MASK, "patients.search" },
  };
  GtkListItemFactory *factory;
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  cairn_loader_setup (self->loader, read_search, (GBoxedCopyFunc) cairn_patients_query_copy,
                      (GDestroyNotify) cairn_patients_query_free, (GDestroyNotify) cairn_patients_screen_free,
                      show_search, self);

  self->open_runner = cairn_runner_new ();
  self->runner = cairn_runner_new ();
  self->toaster = cairn_toaster_new (GTK_WIDGET (self->toast_overlay));
  self->patients = g_list_store_new (CAIRN_TYPE_PATIENT_ROW);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->patients)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  /* Typing anywhere on the list goes to the search; Down from the search
   * goes to the list. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, self->list_page);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_search_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);

  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    {
      GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (shortcuts[i].keyval,
                                                            shortcuts[i].modifiers);
      GtkShortcutAction *action = gtk_callback_action_new (on_page_shortcut_cb,
                                                           (gpointer) shortcuts[i].action, NULL);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (trigger, action));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  self->context_signals = g_signal_group_new (CAIRN_TYPE_CONTEXT);
  g_signal_group_connect_object (self->context_signals, "notify::vault",
                                 G_CALLBACK (on_vault_changed_cb), self, G_CONNECT_SWAPPED);

  show_list_state (self, "blank");
  cairn_patients_page_sync_actions (self);
}

/**
 * cairn_patients_page_set_context:
 * @self: the page
 * @context: (nullable): the context whose vault to show
 */
void
cairn_patients_page_set_context (CairnPatientsPage *self,
                                     CairnContext      *context)
{
  g_return_if_fail (CAIRN_IS_PATIENTS_PAGE (self));
  g_return_if_fail (context == NULL || CAIRN_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;

  g_signal_group_set_target (self->context_signals, context);
  cairn_patient_view_set_context (self->patient_view, context);
  cairn_patients_page_sync_vault (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

CairnContext *
cairn_patients_page_get_context (CairnPatientsPage *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENTS_PAGE (self), NULL);

  return self->context;
}

/**
 * cairn_patients_page_get_model:
 * @self: the page
 *
 * Returns: (transfer none): the rows listed, #CairnPatientRow items
 */
GListModel *
cairn_patients_page_get_model (CairnPatientsPage *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->patients);
}

/**
 * cairn_patients_page_get_view:
 * @self: the page
 *
 * Returns: (transfer none): "list", or "patient" while a patient's page
 *   is shown
 */
const char *
cairn_patients_page_get_view (CairnPatientsPage *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENTS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->views);
}

/**
 * cairn_patients_page_get_state:
 * @self: the page
 *
 * Returns: (transfer none): what the list shows: "blank" (nothing yet),
 *   "list", "empty" (no patients at all), "no-results" or "all-archived"
 */
const char *
cairn_patients_page_get_state (CairnPatientsPage *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENTS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->list_states);
}

/**
 * cairn_patients_page_get_busy:
 * @self: the page
 *
 * Returns: whether a search is under way
 */
gboolean
cairn_patients_page_get_busy (CairnPatientsPage *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENTS_PAGE (self), FALSE);

  return cairn_loader_get_busy (self->loader);
}
