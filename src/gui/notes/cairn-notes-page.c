/* cairn-notes-page.c
 *
 * The Notes tab of a patient's page: the sessions that take a note (past
 * ones and today's, newest first), each with whether its note is still to
 * be written, a draft or signed; and the phone check-ins after each
 * medicine session, recorded or not, overdue ones marked. A session opens
 * its note in the editor; a phone check-in opens a small form.
 *
 * Everything is read on the vault's worker, each read in the audit trail.
 * Leaving a note (back to the list, another patient, Cairn locking) saves
 * its draft first: see cairn-note-editor.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-notes"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-agenda.h"
#include "cairn-context.h"
#include "cairn-item.h"
#include "cairn-loader.h"
#include "cairn-notes-page.h"
#include "cairn-notes-screen.h"
#include "cairn-notes.h"
#include "cairn-phone-check-in-dialog.h"
#include "cairn-toaster.h"

struct _CairnNotesPage
{
  GtkWidget                parent_instance;

  CairnContext            *context;
  CairnVault              *vault;
  char                    *patient_id;
  char                    *patient_name;
  gint64                   fixed_now;
  CairnNotesScreen        *screen;        /* what is shown; NULL until read */
  GtkWindow               *dialog;
  CairnToaster            *toaster;

  /* Template widgets */
  GtkBox                  *calls_box;
  CairnNoteEditor         *editor;        /* made with the context, in editor_clamp */
  AdwClamp                *editor_clamp;
  GtkScrolledWindow       *editor_scroller;
  GtkStack                *lists;
  CairnLoader             *loader;
  GtkLabel                *notes_empty;
  GtkListBox              *notes_list;
  GListStore              *sessions;        /* of CairnItem: the screen's sessions */
  GtkStack                *states;
  AdwToastOverlay         *toast_overlay;
};

G_DEFINE_FINAL_TYPE (CairnNotesPage, cairn_notes_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (CairnNotesPage *self);

static gint64
page_now (CairnNotesPage *self)
{
  return self->fixed_now != 0 ? self->fixed_now : g_get_real_time () / G_USEC_PER_SEC;
}

static char *
format_local (CairnNotesPage *self,
              gint64          utc)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (t, self->screen->zone);

  /* TRANSLATORS: a date and time, as in "Tue 3 Nov 2026, 14:02" (strftime) */
  return g_date_time_format (local, _("%a %-d %b %Y, %H:%M"));
}

static char *
format_day (CairnNotesPage *self,
            const char     *timestamp)
{
  g_autoptr(GDateTime) t = timestamp != NULL ? g_date_time_new_from_iso8601 (timestamp, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (t == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (t, self->screen->zone);
  /* TRANSLATORS: a date, as in "3 Nov 2026" (strftime) */
  return g_date_time_format (local, _("%-d %b %Y"));
}

static void
page_toast (CairnNotesPage *self,
            const char     *text)
{
  cairn_toaster_say (self->toaster, text);
}

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    {
      if (GTK_IS_LIST_BOX (list))
        gtk_list_box_remove (GTK_LIST_BOX (list), child);
      else
        gtk_box_remove (GTK_BOX (list), child);
    }
}

static const char *
type_name (CairnNotesPage *self,
           const char     *type_id)
{
  const CairnAppointmentType *type = cairn_protocol_find_type (self->screen->protocol, type_id);

  return type != NULL ? type->name : type_id;
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

static GtkWidget *
state_label (const char *text,
             const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  /* As wide as it needs, wrapped only when the row is narrow. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_add_css_class (label, "caption");
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

static void on_session_activated_cb (CairnNotesPage *self,
                                     AdwActionRow   *row);
static void on_call_activated_cb    (CairnNotesPage *self,
                                     AdwActionRow   *row);

static GtkWidget *
session_row (gpointer object,
             gpointer user_data)
{
  CairnNotesPage *self = user_data;
  const CairnAgendaItem *item = cairn_item_get (object);
  guint index = cairn_item_get_index (object);
  const CairnAppointment *a = item->appointment;
  const CairnNote *note = cairn_notes_screen_note_for (self->screen, a->id);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = format_local (self, a->start);
  guint minutes = (guint) MAX (0, (a->end - a->start) / 60);
  /* TRANSLATORS: a session's date and length, as in "Tue 3 Nov 2026, 10:00 · 90 min" */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %u min"), when, minutes);
  g_autofree char *signed_text = NULL;
  GtkWidget *label;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), type_name (self, a->type_id));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (note == NULL)
    label = state_label (_("No note"), "dim-label");
  else if (note->state == CAIRN_NOTE_DRAFT)
    label = state_label (_("Draft"), "warning");
  else
    {
      g_autofree char *day = format_day (self, note->signed_at);

      /* TRANSLATORS: a note's state, as in "Signed on 3 Nov 2026" */
      signed_text = g_strdup_printf (_("Signed on %s"), day);
      label = state_label (signed_text, "success");
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (index));
  g_signal_connect_object (row, "activated", G_CALLBACK (on_session_activated_cb), self, G_CONNECT_SWAPPED);
  return row;
}

static GtkWidget *
call_row (CairnNotesPage        *self,
          const CairnAgendaItem *item,
          guint                  index)
{
  const CairnAppointment *a = item->appointment;
  const CairnPhoneCheckIn *c = cairn_notes_screen_check_in_for (self->screen, a->id);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = format_local (self, a->start);
  GtkWidget *label;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when);
  if (c != NULL)
    {
      label = c->reached ? state_label (_("Reached"), "success") : state_label (_("Not reached"), "warning");
      if (!c->reached && c->follow_up_action != NULL)
        {
          /* TRANSLATORS: under a phone check-in that did not reach the patient */
          g_autofree char *text = g_strdup_printf (_("Follow-up: %s"), c->follow_up_action);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
        }
      else if (c->note != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), c->note);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
    }
  else if (a->end < page_now (self))
    label = state_label (_("Overdue"), "error");
  else
    label = state_label (_("Not recorded yet"), "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (index));
  g_signal_connect_object (row, "activated", G_CALLBACK (on_call_activated_cb), self, G_CONNECT_SWAPPED);
  return row;
}

/* The medicine session a phone check-in follows: the last one before it. */
static const CairnAgendaItem *
session_before (CairnNotesPage        *self,
                const CairnAgendaItem *call)
{
  const CairnAgendaItem *found = NULL;

  for (guint i = 0; i < self->screen->medicine->len; i++)
    {
      const CairnAgendaItem *m = g_ptr_array_index (self->screen->medicine, i);

      if (m->appointment->start <= call->appointment->start)
        found = m;
    }
  return found;
}

/* One group of phone check-ins: those after @session, or those after no
 * medicine session at all. */
static void
add_call_group (CairnNotesPage        *self,
                const CairnAgendaItem *session)
{
  GtkWidget *group = NULL;

  for (guint i = 0; i < self->screen->calls->len; i++)
    {
      const CairnAgendaItem *call = g_ptr_array_index (self->screen->calls, i);

      if (session_before (self, call) != session)
        continue;
      if (group == NULL)
        {
          group = adw_preferences_group_new ();
          if (session != NULL)
            {
              g_autofree char *when = format_local (self, session->appointment->start);
              /* TRANSLATORS: a group of phone check-ins, as in "After the Medicine session";
               * the date is under it */
              g_autofree char *title = g_strdup_printf (_("After the %s"),
                                                        type_name (self, session->appointment->type_id));

              adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
              adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), when);
            }
          else
            adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Other Phone Check-ins"));
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), call_row (self, call, i));
    }
  if (group != NULL)
    gtk_box_append (self->calls_box, group);
}

static void
show_calls (CairnNotesPage *self)
{
  GtkWidget *heading;

  clear_list (GTK_WIDGET (self->calls_box));
  if (self->screen->calls->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->calls_box), FALSE);
      return;
    }

  heading = gtk_label_new (_("Phone Check-ins"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "title-4");
  gtk_accessible_update_property (GTK_ACCESSIBLE (heading), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_box_append (self->calls_box, heading);

  /* The newest medicine session first, then calls that follow none. */
  for (guint m = self->screen->medicine->len; m-- > 0;)
    add_call_group (self, g_ptr_array_index (self->screen->medicine, m));
  add_call_group (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->calls_box), TRUE);
}

static void
show_list (CairnNotesPage *self)
{
  cairn_item_store_fill (self->sessions, self->screen->sessions);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_list), self->screen->sessions->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_empty), self->screen->sessions->len == 0);
  show_calls (self);

  gtk_stack_set_visible_child_name (self->lists,
                                    self->screen->sessions->len == 0 && self->screen->calls->len == 0 ? "empty" : "list");
}

static gpointer
read_screen (CairnVault     *vault,
             gconstpointer   request,
             gint64          now,
             GError        **error)
{
  return cairn_notes_screen_load (vault, request, now, error);
}

static void
show_screen (gpointer user_data,
             gpointer result)
{
  CairnNotesPage *self = user_data;
  g_autoptr(CairnNotesScreen) screen = result;

  if (g_strcmp0 (screen->patient_id, self->patient_id) != 0)
    return;
  /* The rows shown point into the screen before: it goes after them. */
  screen = g_steal_pointer (&self->screen);
  self->screen = result;
  show_list (self);
}

/* Reads again what is shown (after a note was saved or a call recorded):
 * the list stays until the answer replaces it, and a note being written
 * stays on screen. */
static void
reload (CairnNotesPage *self)
{
  cairn_loader_reload (self->loader);
}

/* ------------------------------------------------------------------------ */
/* Notes                                                                     */

static void
on_session_activated_cb (CairnNotesPage *self,
                         AdwActionRow   *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));
  const CairnAgendaItem *item;
  GString *attendees;

  if (self->vault == NULL || self->screen == NULL || index >= self->screen->sessions->len)
    return;
  item = g_ptr_array_index (self->screen->sessions, index);

  /* Who was booked, and the patient. */
  attendees = g_string_new (item->staff);
  if (self->patient_name != NULL)
    g_string_append_printf (attendees, "%s%s", attendees->len > 0 ? ", " : "", self->patient_name);

  cairn_note_editor_open (self->editor, self->screen->user_names, self->patient_id, attendees->str, item->appointment,
                          cairn_notes_screen_note_for (self->screen, item->appointment->id));
  g_string_free (attendees, TRUE);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->editor_scroller), 0);
  gtk_stack_set_visible_child_name (self->states, "editor");
  gtk_widget_child_focus (GTK_WIDGET (self->editor), GTK_DIR_TAB_FORWARD);
}

static void
on_editor_back_cb (CairnNotesPage *self)
{
  /* The draft is saved first; the list is read after it, on the same
   * worker, so it shows the note as saved. */
  cairn_note_editor_clear (self->editor);
  gtk_stack_set_visible_child_name (self->states, "records");
  reload (self);
}

/* ------------------------------------------------------------------------ */
/* Phone check-ins                                                           */

static void
on_check_in_saved_cb (CairnNotesPage          *self,
                      const CairnPhoneCheckIn *check_in)
{
  page_toast (self, check_in->reached ? _("Phone check-in recorded: reached")
                                      : _("Phone check-in recorded: not reached"));
  reload (self);
}

static void
on_dialog_destroyed_cb (CairnNotesPage *self,
                        GtkWindow      *dialog)
{
  if (self->dialog == dialog)
    self->dialog = NULL;
}

static void
on_call_activated_cb (CairnNotesPage *self,
                      AdwActionRow   *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));
  const CairnAgendaItem *item;
  CairnPhoneCheckInDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->vault == NULL || self->screen == NULL || index >= self->screen->calls->len)
    return;
  item = g_ptr_array_index (self->screen->calls, index);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  dialog = cairn_phone_check_in_dialog_new (self->context, self->patient_id, item->appointment,
                                            cairn_notes_screen_check_in_for (self->screen, item->appointment->id),
                                            page_now (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_check_in_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* The widget                                                                */

static void
cairn_notes_page_dispose (GObject *object)
{
  CairnNotesPage *self = CAIRN_NOTES_PAGE (object);

  if (self->loader != NULL)
    cairn_notes_page_clear (self);
  g_clear_object (&self->toaster);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_NOTES_PAGE);
  self->editor = NULL;   /* gone with the template's clamp */
  g_clear_object (&self->sessions);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_notes_page_parent_class)->dispose (object);
}

static void
cairn_notes_page_constructed (GObject *object)
{
  CairnNotesPage *self = CAIRN_NOTES_PAGE (object);
  GtkWidget *editor;

  G_OBJECT_CLASS (cairn_notes_page_parent_class)->constructed (object);

  g_assert (CAIRN_IS_CONTEXT (self->context));
  editor = cairn_note_editor_new (self->context);
  gtk_widget_set_margin_top (editor, 18);
  gtk_widget_set_margin_bottom (editor, 24);
  gtk_widget_set_margin_start (editor, 12);
  gtk_widget_set_margin_end (editor, 12);
  g_signal_connect_object (editor, "back", G_CALLBACK (on_editor_back_cb), self, G_CONNECT_SWAPPED);
  adw_clamp_set_child (self->editor_clamp, editor);
  self->editor = CAIRN_NOTE_EDITOR (editor);
}

static void
cairn_notes_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CairnNotesPage *self = CAIRN_NOTES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_notes_page_class_init (CairnNotesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_notes_page_constructed;
  object_class->set_property = cairn_notes_page_set_property;

  /**
   * CairnNotesPage:context:
   *
   * What the tab works in: the unlocked vault, read from when the tab is
   * given a patient.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_notes_page_dispose;

  g_type_ensure (CAIRN_TYPE_LOADER);
  g_type_ensure (CAIRN_TYPE_NOTE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/notes/cairn-notes-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, calls_box);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, editor_clamp);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, editor_scroller);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, lists);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, loader);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, notes_empty);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, notes_list);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, states);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, toast_overlay);
}

static void
cairn_notes_page_init (CairnNotesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toaster = cairn_toaster_new (GTK_WIDGET (self->toast_overlay));
  self->sessions = g_list_store_new (CAIRN_TYPE_ITEM);
  gtk_list_box_bind_model (self->notes_list, G_LIST_MODEL (self->sessions), session_row, self, NULL);
  cairn_loader_setup (self->loader, read_screen, (GBoxedCopyFunc) g_strdup, g_free,
                      (GDestroyNotify) cairn_notes_screen_free, show_screen, self);
  gtk_stack_set_visible_child_name (self->states, "blank");
}

/**
 * cairn_notes_page_load:
 * @self: the page
 * @patient: whose notes
 *
 * Reads the patient's sessions, notes and phone check-ins on the vault's
 * worker and shows them. The context's vault is held until the page is
 * cleared.
 */
void
cairn_notes_page_load (CairnNotesPage     *self,
                       const CairnPatient *patient)
{
  CairnVault *vault;

  g_return_if_fail (CAIRN_IS_NOTES_PAGE (self));
  g_return_if_fail (patient != NULL && patient->id != NULL);
  vault = cairn_context_get_vault (self->context);
  g_return_if_fail (vault != NULL);

  g_free (self->patient_name);
  self->patient_name = g_strdup (patient->preferred_name != NULL && *patient->preferred_name != '\0'
                                 ? patient->preferred_name : patient->legal_name);
  if (self->vault == vault && g_strcmp0 (self->patient_id, patient->id) == 0)
    {
      reload (self);
      return;
    }
  {
    g_autofree char *name = g_steal_pointer (&self->patient_name);

    cairn_notes_page_clear (self);
    self->patient_name = g_steal_pointer (&name);
  }
  g_set_object (&self->vault, vault);
  self->patient_id = g_strdup (patient->id);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->states), "editor") != 0)
    gtk_stack_set_visible_child_name (self->states, "records");
  cairn_loader_load (self->loader, vault, patient->id);
}

/**
 * cairn_notes_page_clear:
 * @self: the page
 *
 * Saves a draft being written (while the vault is still open: Cairn
 * clears its pages before it locks), then forgets everything shown and
 * drops the vault.
 */
void
cairn_notes_page_clear (CairnNotesPage *self)
{
  g_return_if_fail (CAIRN_IS_NOTES_PAGE (self));

  if (self->editor != NULL)
    cairn_note_editor_clear (self->editor);
  cairn_loader_clear (self->loader);
  if (self->dialog != NULL)
    gtk_window_destroy (g_steal_pointer (&self->dialog));
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
  if (self->notes_list != NULL)
    {
      g_list_store_remove_all (self->sessions);
      clear_list (GTK_WIDGET (self->calls_box));
      gtk_stack_set_visible_child_name (self->states, "blank");
    }
  g_clear_pointer (&self->screen, cairn_notes_screen_free);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->patient_name, g_free);
  g_clear_object (&self->vault);
}

/**
 * cairn_notes_page_set_now:
 * @self: the page
 * @now: UTC seconds to take as now, or 0 for the clock
 *
 * For tests and pictures: which sessions are past, which calls overdue.
 */
void
cairn_notes_page_set_now (CairnNotesPage *self,
                          gint64          now)
{
  g_return_if_fail (CAIRN_IS_NOTES_PAGE (self));

  self->fixed_now = now;
  cairn_loader_set_now (self->loader, now);
  reload (self);
}

/* Whether a read or a save is under way: for tests. */
gboolean
cairn_notes_page_get_busy (CairnNotesPage *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTES_PAGE (self), FALSE);
  return cairn_loader_get_busy (self->loader) || cairn_note_editor_get_busy (self->editor);
}

/* Whether the patient's records are shown: for tests. */
gboolean
cairn_notes_page_get_loaded (CairnNotesPage *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTES_PAGE (self), FALSE);
  return self->screen != NULL;
}

/**
 * cairn_notes_page_get_editor:
 * @self: the page
 *
 * Returns: (transfer none): the note editor
 */
CairnNoteEditor *
cairn_notes_page_get_editor (CairnNotesPage *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTES_PAGE (self), NULL);
  return self->editor;
}
