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
#include "cairn-notes-page.h"
#include "cairn-notes.h"
#include "cairn-phone-check-in-dialog.h"
#include "cairn-protocols.h"

/* How many of the patient's appointments are read: more than any course. */
#define MAX_APPOINTMENTS 2000

struct _CairnNotesPage
{
  GtkWidget                parent_instance;

  CairnVault              *vault;
  GCancellable            *cancellable;
  char                    *patient_id;
  char                    *patient_name;
  gint64                   fixed_now;
  guint                    loads;
  gboolean                 loaded;

  CairnProtocol           *protocol;
  GTimeZone               *zone;
  GHashTable              *user_names;    /* user id → name */
  GPtrArray               *items;         /* CairnAgendaItem: the patient's appointments */
  GPtrArray               *sessions;      /* of items: take a note, newest first */
  GPtrArray               *calls;         /* CairnAgendaItem: phone check-ins, by time */
  GPtrArray               *medicine;      /* CairnAgendaItem: medicine sessions, by time */
  GPtrArray               *notes;         /* CairnNote */
  GPtrArray               *check_ins;     /* CairnPhoneCheckIn */
  GtkWindow               *dialog;
  AdwToast                *toast;

  /* Template widgets */
  GtkBox                  *calls_box;
  CairnNoteEditor         *editor;
  GtkScrolledWindow       *editor_scroller;
  GtkLabel                *notes_empty;
  GtkListBox              *notes_list;
  GtkStack                *states;
  AdwToastOverlay         *toast_overlay;
};

G_DEFINE_FINAL_TYPE (CairnNotesPage, cairn_notes_page, GTK_TYPE_WIDGET)

static void load (CairnNotesPage *self);

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
  g_autoptr(GDateTime) local = g_date_time_to_timezone (t, self->zone);

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
  local = g_date_time_to_timezone (t, self->zone);
  /* TRANSLATORS: a date, as in "3 Nov 2026" (strftime) */
  return g_date_time_format (local, _("%-d %b %Y"));
}

static void
page_toast (CairnNotesPage *self,
            const char     *text)
{
  /* One toast, its words changed in place: libadwaita 1.2 must not see a
   * toast dismissed while it slides in. */
  if (self->toast != NULL)
    {
      adw_toast_set_title (self->toast, text);
      return;
    }
  self->toast = adw_toast_new (text);
  g_object_add_weak_pointer (G_OBJECT (self->toast), (gpointer *) &self->toast);
  adw_toast_overlay_add_toast (self->toast_overlay, self->toast);
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

static const CairnNote *
note_for (CairnNotesPage *self,
          const char     *appointment_id)
{
  for (guint i = 0; self->notes != NULL && i < self->notes->len; i++)
    {
      const CairnNote *note = g_ptr_array_index (self->notes, i);

      if (g_strcmp0 (note->appointment_id, appointment_id) == 0)
        return note;
    }
  return NULL;
}

static const CairnPhoneCheckIn *
check_in_for (CairnNotesPage *self,
              const char     *appointment_id)
{
  for (guint i = 0; self->check_ins != NULL && i < self->check_ins->len; i++)
    {
      const CairnPhoneCheckIn *c = g_ptr_array_index (self->check_ins, i);

      if (g_strcmp0 (c->appointment_id, appointment_id) == 0)
        return c;
    }
  return NULL;
}

static const char *
type_name (CairnNotesPage *self,
           const char     *type_id)
{
  const CairnAppointmentType *type = cairn_protocol_find_type (self->protocol, type_id);

  return type != NULL ? type->name : type_id;
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

typedef struct
{
  char               *patient_id;
  CairnProtocol      *protocol;
  CairnPracticeRules *rules;
  GPtrArray          *items;
  GPtrArray          *staff;
  GPtrArray          *notes;
  GPtrArray          *check_ins;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->patient_id);
  g_clear_pointer (&data->protocol, cairn_protocol_unref);
  g_clear_pointer (&data->rules, cairn_practice_rules_free);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->staff, g_ptr_array_unref);
  g_clear_pointer (&data->notes, g_ptr_array_unref);
  g_clear_pointer (&data->check_ins, g_ptr_array_unref);
  g_free (data);
}

static gpointer
load_job (CairnVault    *vault,
          gpointer       user_data,
          GCancellable  *cancellable,
          GError       **error)
{
  LoadData *data = user_data;
  CairnDatabase *practice = cairn_vault_get_practice (vault);
  CairnDatabase *clinical = cairn_vault_require_clinical (vault, error);
  g_autofree char *me = cairn_vault_get_user_id (vault);

  if (clinical == NULL)
    return NULL;
  if ((data->protocol = cairn_protocols_get_active (practice, error)) == NULL ||
      (data->rules = cairn_practice_rules_load (practice, error)) == NULL ||
      (data->items = cairn_agenda_list_for_patient (practice, data->patient_id, 0, MAX_APPOINTMENTS,
                                                    error)) == NULL ||
      (data->staff = cairn_agenda_list_staff (practice, error)) == NULL ||
      (data->notes = cairn_notes_list (clinical, data->patient_id, me, error)) == NULL ||
      (data->check_ins = cairn_phone_check_ins_list (clinical, data->patient_id, me, error)) == NULL)
    return NULL;
  return data;
}

static gboolean
is_off (const CairnAppointment *a)
{
  return g_strcmp0 (a->status, "cancelled") == 0 || g_strcmp0 (a->status, "no-show") == 0;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const CairnAgendaItem *x = *(CairnAgendaItem * const *) a;
  const CairnAgendaItem *y = *(CairnAgendaItem * const *) b;

  return x->appointment->start < y->appointment->start ? 1 : x->appointment->start > y->appointment->start ? -1 : 0;
}

/* Sorts the patient's appointments into the sessions that take a note
 * (up to the end of today), the phone check-ins and the medicine sessions. */
static void
sort_items (CairnNotesPage *self,
            GPtrArray      *items)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (page_now (self));
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->zone);
  g_autoptr(GDateTime) midnight = g_date_time_new (self->zone, g_date_time_get_year (local),
                                                   g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (midnight, 1);
  gint64 end_of_today = g_date_time_to_unix (tomorrow);

  self->sessions = g_ptr_array_new ();
  self->calls = g_ptr_array_new ();
  self->medicine = g_ptr_array_new ();
  for (guint i = 0; i < items->len; i++)
    {
      CairnAgendaItem *item = g_ptr_array_index (items, i);
      const CairnAppointmentType *type = cairn_protocol_find_type (self->protocol, item->appointment->type_id);

      if (g_strcmp0 (item->appointment->status, "cancelled") == 0)
        continue;
      if (type != NULL && type->by_phone)
        g_ptr_array_add (self->calls, item);
      else if (!is_off (item->appointment) && item->appointment->start < end_of_today)
        g_ptr_array_add (self->sessions, item);
      if (type != NULL && type->phase == CAIRN_PHASE_MEDICINE_SESSION && !is_off (item->appointment))
        g_ptr_array_add (self->medicine, item);
    }
  g_ptr_array_sort (self->sessions, compare_newest_first);
}

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
session_row (CairnNotesPage        *self,
             const CairnAgendaItem *item,
             guint                  index)
{
  const CairnAppointment *a = item->appointment;
  const CairnNote *note = note_for (self, a->id);
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
  const CairnPhoneCheckIn *c = check_in_for (self, a->id);
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

  for (guint i = 0; i < self->medicine->len; i++)
    {
      const CairnAgendaItem *m = g_ptr_array_index (self->medicine, i);

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

  for (guint i = 0; i < self->calls->len; i++)
    {
      const CairnAgendaItem *call = g_ptr_array_index (self->calls, i);

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
  if (self->calls->len == 0)
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
  for (guint m = self->medicine->len; m-- > 0;)
    add_call_group (self, g_ptr_array_index (self->medicine, m));
  add_call_group (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->calls_box), TRUE);
}

static void
show_list (CairnNotesPage *self)
{
  clear_list (GTK_WIDGET (self->notes_list));
  for (guint i = 0; i < self->sessions->len; i++)
    gtk_list_box_append (self->notes_list, session_row (self, g_ptr_array_index (self->sessions, i), i));
  gtk_widget_set_visible (GTK_WIDGET (self->notes_list), self->sessions->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_empty), self->sessions->len == 0);
  show_calls (self);

  /* A note being written stays on screen. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->states), "editor") == 0)
    return;
  gtk_stack_set_visible_child_name (self->states,
                                    self->sessions->len == 0 && self->calls->len == 0 ? "empty" : "list");
}

static void
forget_records (CairnNotesPage *self)
{
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->calls, g_ptr_array_unref);
  g_clear_pointer (&self->medicine, g_ptr_array_unref);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->check_ins, g_ptr_array_unref);
  g_clear_pointer (&self->user_names, g_hash_table_unref);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CairnNotesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *data = cairn_vault_run_finish (CAIRN_VAULT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->vault != CAIRN_VAULT (source))
    return;
  self->loads--;
  if (data == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The session notes could not be read: %s"), error->message);

      page_toast (self, text);
      return;
    }

  forget_records (self);
  self->protocol = g_steal_pointer (&data->protocol);
  self->zone = g_time_zone_ref (cairn_practice_rules_get (data->rules)->zone);
  self->user_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < data->staff->len; i++)
    {
      const CairnNamed *named = g_ptr_array_index (data->staff, i);

      g_hash_table_insert (self->user_names, g_strdup (named->id), g_strdup (named->name));
    }
  self->notes = g_steal_pointer (&data->notes);
  self->check_ins = g_steal_pointer (&data->check_ins);
  /* The three lists point into the items. */
  self->items = g_steal_pointer (&data->items);
  sort_items (self, self->items);
  self->loaded = TRUE;
  show_list (self);
}

static void
load (CairnNotesPage *self)
{
  LoadData *data;

  if (self->vault == NULL || self->patient_id == NULL)
    return;
  data = g_new0 (LoadData, 1);
  data->patient_id = g_strdup (self->patient_id);
  self->loads++;
  cairn_vault_run_async (self->vault, load_job, data, (GDestroyNotify) load_data_free, NULL,
                         self->cancellable, load_done_cb, g_object_ref (self));
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

  if (self->vault == NULL || self->sessions == NULL || index >= self->sessions->len)
    return;
  item = g_ptr_array_index (self->sessions, index);

  /* Who was booked, and the patient. */
  attendees = g_string_new (item->staff);
  if (self->patient_name != NULL)
    g_string_append_printf (attendees, "%s%s", attendees->len > 0 ? ", " : "", self->patient_name);

  cairn_note_editor_open (self->editor, self->vault, self->protocol, self->zone, self->user_names,
                          self->patient_id, attendees->str, item->appointment,
                          note_for (self, item->appointment->id));
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
  gtk_stack_set_visible_child_name (self->states, "list");
  load (self);
}

/* ------------------------------------------------------------------------ */
/* Phone check-ins                                                           */

static void
on_check_in_saved_cb (CairnNotesPage          *self,
                      const CairnPhoneCheckIn *check_in)
{
  page_toast (self, check_in->reached ? _("Phone check-in recorded: reached")
                                      : _("Phone check-in recorded: not reached"));
  load (self);
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

  if (self->vault == NULL || self->calls == NULL || index >= self->calls->len)
    return;
  item = g_ptr_array_index (self->calls, index);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  dialog = cairn_phone_check_in_dialog_new (self->vault, self->zone, self->patient_id, item->appointment,
                                            check_in_for (self, item->appointment->id), page_now (self));
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

  if (self->cancellable != NULL)
    cairn_notes_page_clear (self);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_NOTES_PAGE);

  G_OBJECT_CLASS (cairn_notes_page_parent_class)->dispose (object);
}

static void
cairn_notes_page_class_init (CairnNotesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_notes_page_dispose;

  g_type_ensure (CAIRN_TYPE_NOTE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/notes/cairn-notes-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, calls_box);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, editor);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, editor_scroller);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, notes_empty);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, notes_list);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, states);
  gtk_widget_class_bind_template_child (widget_class, CairnNotesPage, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_back_cb);
}

static void
cairn_notes_page_init (CairnNotesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->states, "blank");
}

/**
 * cairn_notes_page_load:
 * @self: the page
 * @vault: the unlocked vault, held until the page is cleared
 * @patient: whose notes
 *
 * Reads the patient's sessions, notes and phone check-ins on the vault's
 * worker and shows them.
 */
void
cairn_notes_page_load (CairnNotesPage     *self,
                       CairnVault         *vault,
                       const CairnPatient *patient)
{
  g_return_if_fail (CAIRN_IS_NOTES_PAGE (self));
  g_return_if_fail (CAIRN_IS_VAULT (vault));
  g_return_if_fail (patient != NULL && patient->id != NULL);

  if (self->vault != vault || g_strcmp0 (self->patient_id, patient->id) != 0)
    cairn_notes_page_clear (self);
  g_set_object (&self->vault, vault);
  g_free (self->patient_id);
  self->patient_id = g_strdup (patient->id);
  g_free (self->patient_name);
  self->patient_name = g_strdup (patient->preferred_name != NULL && *patient->preferred_name != '\0'
                                 ? patient->preferred_name : patient->legal_name);
  load (self);
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
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loads = 0;
  self->loaded = FALSE;
  if (self->dialog != NULL)
    gtk_window_destroy (g_steal_pointer (&self->dialog));
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  if (self->notes_list != NULL)
    {
      clear_list (GTK_WIDGET (self->notes_list));
      clear_list (GTK_WIDGET (self->calls_box));
      gtk_stack_set_visible_child_name (self->states, "blank");
    }
  forget_records (self);
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
  load (self);
}

/* Whether a read or a save is under way: for tests. */
gboolean
cairn_notes_page_get_busy (CairnNotesPage *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTES_PAGE (self), FALSE);
  return self->loads > 0 || cairn_note_editor_get_busy (self->editor);
}

/* Whether the patient's records are shown: for tests. */
gboolean
cairn_notes_page_get_loaded (CairnNotesPage *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTES_PAGE (self), FALSE);
  return self->loaded;
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
