/* cairn-appointment-dialog.c
 *
 * Booking an appointment, and changing or cancelling one: who (found by
 * name, chart number or phone as it is typed), what kind (from the
 * protocol template, which gives its length and staffing), when, with
 * whom and where. Each change of time, staff or room is checked against
 * the vault's schedule a moment after the typing stops, and what clashes
 * is listed with the appointment it clashes with. A booking over a clash
 * needs a written reason, which the audit trail keeps.
 *
 * For an appointment already booked, the front desk checks the patient
 * in, marks a no-show, or cancels with a reason, here too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-appointment-dialog.h"
#include "cairn-booking-screen.h"
#include "cairn-context.h"
#include "cairn-patient-row.h"
#include "cairn-patients.h"
#include "cairn-runner.h"

/* How long the typing hand may rest before the schedule is checked. */
#define CHECK_DELAY_MS 300
#define MATCHES 6

struct _CairnAppointmentDialog
{
  AdwWindow             parent_instance;

  CairnContext         *context;
  CairnVault           *vault;         /* the context's, as it was when the dialog opened */
  CairnProtocol        *protocol;
  GTimeZone            *zone;
  CairnAppointment     *appointment;   /* as it was, or the new one's start */
  CairnRunner          *runner;
  char                 *patient_id;    /* the patient chosen */
  char                 *patient_name;
  GPtrArray            *staff;         /* of CairnNamed */
  GPtrArray            *staff_checks;  /* GtkCheckButton, as staff */
  GPtrArray            *rooms;         /* of CairnNamed */
  GPtrArray            *matches;       /* of CairnPatientSummary */
  guint                 search_serial;
  guint                 check_serial;
  guint                 check_id;
  guint                 last_minutes;  /* the length the kind gave */
  gboolean              clashes;
  gboolean              filling;
  const char           *state;

  /* Template widgets */
  AdwEntryRow          *cancel_reason_row;
  GtkButton            *check_in_button;
  GPtrArray            *conflict_rows;
  AdwPreferencesGroup  *conflicts_group;
  AdwEntryRow          *date_row;
  GtkLabel             *error_label;
  AdwEntryRow          *length_row;
  GtkListBox           *matches_list;
  GtkLabel             *patient_problem;
  AdwEntryRow          *patient_row;
  AdwEntryRow          *reason_row;
  AdwComboRow          *room_row;
  GtkLabel             *save_label;
  GtkSpinner           *spinner;
  AdwPreferencesGroup  *staff_group;
  AdwPreferencesGroup  *status_group;
  AdwActionRow         *status_row;
  AdwEntryRow          *time_row;
  AdwComboRow          *type_row;
  GtkLabel             *when_problem;
  AdwWindowTitle       *window_title;
};

G_DEFINE_FINAL_TYPE (CairnAppointmentDialog, cairn_appointment_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_check (CairnAppointmentDialog *self);

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_entry_text (CairnAppointmentDialog *self,
                AdwEntryRow            *row,
                const char             *text)
{
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  self->filling = FALSE;
}

/* Takes the user to the field to fill in. Only in the window they are
 * working in: a field given the focus in a window that is not active
 * never hears that it lost it (GTK 4.8 warns about it). */
static void
focus_if_active (GtkWindow *window,
                 GtkWidget *widget)
{
  if (gtk_window_is_active (window))
    gtk_widget_grab_focus (widget);
}

static void
show_problem (GtkLabel   *label,
              const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
set_state (CairnAppointmentDialog *self,
           const char             *state)
{
  gboolean busy = g_str_equal (state, "saving") || g_str_equal (state, "loading");

  self->state = state;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static const CairnAppointmentType *
chosen_type (CairnAppointmentDialog *self)
{
  guint index = adw_combo_row_get_selected (self->type_row);

  return index != GTK_INVALID_LIST_POSITION ? cairn_protocol_get_type_nth (self->protocol, index) : NULL;
}

static const char *
chosen_room (CairnAppointmentDialog *self)
{
  guint index = adw_combo_row_get_selected (self->room_row);

  /* The first choice is "No room". */
  if (self->rooms == NULL || index == GTK_INVALID_LIST_POSITION || index == 0 || index > self->rooms->len)
    return NULL;
  return ((CairnNamed *) g_ptr_array_index (self->rooms, index - 1))->id;
}

static GStrv
chosen_staff (CairnAppointmentDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; self->staff_checks != NULL && i < self->staff_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->staff_checks, i)))
      g_strv_builder_add (builder, ((CairnNamed *) g_ptr_array_index (self->staff, i))->id);
  return g_strv_builder_end (builder);
}

/* The appointment as the form has it now, or NULL with the form's
 * problems shown when it cannot be read. */
static CairnAppointment *
read_form (CairnAppointmentDialog *self,
           gboolean                show)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();
  const CairnAppointmentType *type = chosen_type (self);
  GString *when = g_string_new (NULL);
  gboolean ok;

  ok = cairn_agenda_parse_when (entry_text (self->date_row), entry_text (self->time_row),
                                entry_text (self->length_row), self->zone, &a->start, &a->end, problems);
  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (when, "%s%s", i > 0 ? "\n" : "",
                            ((CairnFieldProblem *) g_ptr_array_index (problems, i))->message);
  if (show)
    {
      g_autofree char *text = g_string_free (g_steal_pointer (&when), FALSE);

      show_problem (self->when_problem, text);
      show_problem (self->patient_problem, self->patient_id == NULL
                    ? _("Choose the patient from the list that appears as you type.") : NULL);
    }
  else
    g_string_free (when, TRUE);

  if (!ok || type == NULL)
    return NULL;
  a->id = self->appointment != NULL ? g_strdup (self->appointment->id) : NULL;
  a->patient_id = g_strdup (self->patient_id);
  a->type_id = g_strdup (type->id);
  a->room_id = g_strdup (chosen_room (self));
  g_strfreev (a->staff_ids);
  a->staff_ids = chosen_staff (self);
  if (self->appointment != NULL)
    {
      g_free (a->status);
      a->status = g_strdup (self->appointment->status);
      a->course_id = g_strdup (self->appointment->course_id);
    }
  return g_steal_pointer (&a);
}

/* ------------------------------------------------------------------------ */
/* Checking the schedule                                                     */

/* Which question an answer is to: only the latest check or search shows. */
typedef struct
{
  CairnAppointmentDialog *self;
  guint                   serial;
} Asked;

static gpointer
asked_new (CairnAppointmentDialog *self,
           guint                   serial)
{
  Asked *asked = g_new0 (Asked, 1);

  asked->self = g_object_ref (self);
  asked->serial = serial;
  return asked;
}

static void
asked_free (Asked *asked)
{
  g_object_unref (asked->self);
  g_free (asked);
}

static void
show_clashes (CairnAppointmentDialog *self,
              const char * const     *clashes)
{
  for (guint i = 0; i < self->conflict_rows->len; i++)
    adw_preferences_group_remove (self->conflicts_group, g_ptr_array_index (self->conflict_rows, i));
  g_ptr_array_set_size (self->conflict_rows, 0);
  for (guint i = 0; clashes != NULL && clashes[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), clashes[i]);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (self->conflicts_group, row);
      g_ptr_array_add (self->conflict_rows, row);
    }
  self->clashes = clashes != NULL && clashes[0] != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), self->clashes);
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Asked *asked = user_data;
  CairnAppointmentDialog *self = asked->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) clashes = cairn_booking_check_finish (CAIRN_VAULT (source), result, &error);

  if (clashes != NULL && asked->serial != self->check_serial)
    return;
  if (g_str_equal (self->state, "checking"))
    set_state (self, "ready");
  if (clashes == NULL)
    {
      show_problem (self->error_label, error->message);
      return;
    }
  show_clashes (self, (const char * const *) clashes);
  if (self->clashes)
    set_state (self, "clash");
}

static gboolean
check_now_cb (gpointer user_data)
{
  CairnAppointmentDialog *self = user_data;
  g_autoptr(CairnAppointment) a = NULL;
  const CairnAppointmentType *type;

  self->check_id = 0;
  a = read_form (self, FALSE);
  if (a == NULL)
    {
      show_clashes (self, NULL);
      return G_SOURCE_REMOVE;
    }
  type = chosen_type (self);
  set_state (self, "checking");
  cairn_booking_check_async (self->vault, a, type->staff, type->needs_room, self->protocol, self->zone,
                             cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                             cairn_runner_track_data (self->runner, check_done_cb,
                                                      asked_new (self, ++self->check_serial),
                                                      (GDestroyNotify) asked_free));
  return G_SOURCE_REMOVE;
}

static void
schedule_check (CairnAppointmentDialog *self)
{
  if (self->filling || self->staff == NULL)
    return;
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, check_now_cb, self);
}

static void
on_when_changed_cb (CairnAppointmentDialog *self)
{
  g_autoptr(CairnAppointment) read = NULL;

  if (self->filling)
    return;
  /* Say what is wrong with the time only once it can be read whole or the
   * user tries to book; the check of the schedule follows. */
  read = read_form (self, gtk_widget_get_visible (GTK_WIDGET (self->when_problem)));
  schedule_check (self);
}

static void
on_type_changed_cb (CairnAppointmentDialog *self)
{
  const CairnAppointmentType *type = chosen_type (self);
  g_autofree char *length = NULL;
  guint64 typed = 0;

  if (type == NULL || self->filling)
    return;
  /* The kind brings its length, unless the user typed another. */
  g_ascii_string_to_unsigned (entry_text (self->length_row), 10, 0, G_MAXUINT, &typed, NULL);
  if (*entry_text (self->length_row) == '\0' || typed == self->last_minutes)
    {
      length = g_strdup_printf ("%u", type->minutes);
      set_entry_text (self, self->length_row, length);
    }
  self->last_minutes = type->minutes;
  if (!type->needs_room)
    adw_combo_row_set_selected (self->room_row, 0);
  on_when_changed_cb (self);
}

static void
on_reason_changed_cb (CairnAppointmentDialog *self)
{
  show_problem (self->error_label, NULL);
}

/* ------------------------------------------------------------------------ */
/* Finding the patient                                                       */

static char *
display_name (const CairnPatientSummary *patient)
{
  g_autofree char *nickname = cairn_patient_format_nickname (patient->legal_name, patient->preferred_name);

  return nickname != NULL ? g_strdup_printf ("%s %s", patient->legal_name, nickname)
                          : g_strdup (patient->legal_name);
}

static void
choose_patient (CairnAppointmentDialog    *self,
                const CairnPatientSummary *patient)
{
  g_autofree char *name = display_name (patient);

  g_free (self->patient_id);
  self->patient_id = g_strdup (patient->id);
  g_free (self->patient_name);
  self->patient_name = g_strdup (name);
  set_entry_text (self, self->patient_row, name);
  gtk_widget_set_visible (GTK_WIDGET (self->matches_list), FALSE);
  show_problem (self->patient_problem, NULL);
  schedule_check (self);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Asked *asked = user_data;
  CairnAppointmentDialog *self = asked->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = cairn_booking_search_finish (CAIRN_VAULT (source), result, &error);
  GtkWidget *child;
  GDate today;

  if (found == NULL)
    {
      show_problem (self->patient_problem, error->message);
      return;
    }
  if (asked->serial != self->search_serial)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->matches_list))) != NULL)
    gtk_list_box_remove (self->matches_list, child);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  self->matches = g_steal_pointer (&found);
  cairn_patient_get_today (&today);
  for (guint i = 0; i < self->matches->len; i++)
    {
      const CairnPatientSummary *p = g_ptr_array_index (self->matches, i);
      g_autofree char *name = display_name (p);
      g_autofree char *born = cairn_patient_format_birth (p->date_of_birth, &today);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", p->chart_number, born != NULL ? born : "");
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->matches_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->matches_list), self->matches->len > 0);
  show_problem (self->patient_problem, self->matches->len == 0
                ? _("No patient matches. Register new patients on the Patients page.") : NULL);
}

static void
on_patient_changed_cb (CairnAppointmentDialog *self)
{
  g_autofree char *query = g_strstrip (g_strdup (entry_text (self->patient_row)));

  if (self->filling)
    return;
  /* Typing over the patient chosen is choosing again. */
  g_clear_pointer (&self->patient_id, g_free);
  self->search_serial++;
  if (*query == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->matches_list), FALSE);
      return;
    }
  cairn_booking_search_async (self->vault, query, MATCHES, cairn_runner_get_cancellable (self->runner),
                              cairn_runner_answered,
                              cairn_runner_track_data (self->runner, search_done_cb,
                                                       asked_new (self, self->search_serial),
                                                       (GDestroyNotify) asked_free));
}

static void
on_patient_activated_cb (CairnAppointmentDialog *self)
{
  if (self->patient_id == NULL && self->matches != NULL && self->matches->len > 0 &&
      gtk_widget_get_visible (GTK_WIDGET (self->matches_list)))
    choose_patient (self, g_ptr_array_index (self->matches, 0));
}

static void
on_match_activated_cb (CairnAppointmentDialog *self,
                       GtkListBoxRow          *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (self->matches != NULL && index >= 0 && (guint) index < self->matches->len)
    choose_patient (self, g_ptr_array_index (self->matches, index));
}

/* ------------------------------------------------------------------------ */
/* Staff and rooms                                                           */

static void
on_staff_toggled_cb (CairnAppointmentDialog *self)
{
  schedule_check (self);
}

static void
setup_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CairnAppointmentDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnBookingSetup) data = cairn_booking_setup_finish (CAIRN_VAULT (source), result, &error);
  g_autoptr(GtkStringList) room_names = gtk_string_list_new (NULL);
  const CairnAppointmentType *type = chosen_type (self);

  set_state (self, "ready");
  if (data == NULL)
    {
      show_problem (self->error_label, error->message);
      return;
    }

  self->staff = g_steal_pointer (&data->staff);
  self->rooms = g_steal_pointer (&data->rooms);
  self->staff_checks = g_ptr_array_new ();
  for (guint i = 0; i < self->staff->len; i++)
    {
      const CairnNamed *person = g_ptr_array_index (self->staff, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      gboolean on = self->appointment != NULL && self->appointment->id != NULL
                    ? g_strv_contains ((const char * const *) self->appointment->staff_ids, person->id)
                    : g_strcmp0 (person->id, data->me) == 0 && person->clinician && type != NULL && type->staff > 0;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), person->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), person->clinician ? _("Clinician") : _("Front desk"));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), on);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_staff_toggled_cb), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->staff_checks, check);
      adw_preferences_group_add (self->staff_group, row);
    }

  gtk_string_list_append (room_names, _("No room"));
  for (guint i = 0; i < self->rooms->len; i++)
    gtk_string_list_append (room_names, ((CairnNamed *) g_ptr_array_index (self->rooms, i))->name);
  self->filling = TRUE;
  adw_combo_row_set_model (self->room_row, G_LIST_MODEL (room_names));
  adw_combo_row_set_selected (self->room_row, 0);
  for (guint i = 0; i < self->rooms->len; i++)
    {
      const char *id = ((CairnNamed *) g_ptr_array_index (self->rooms, i))->id;

      if (self->appointment != NULL && self->appointment->id != NULL
          ? g_strcmp0 (id, self->appointment->room_id) == 0
          : i == 0 && type != NULL && type->needs_room)
        adw_combo_row_set_selected (self->room_row, i + 1);
    }
  self->filling = FALSE;
  schedule_check (self);
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnAppointmentDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cairn_booking_save_finish (CAIRN_VAULT (source), result, &error);

  if (id == NULL)
    {
      set_state (self, "ready");
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      show_problem (self->error_label, error->message);
      /* Someone may have booked the slot meanwhile: show what clashes now. */
      if (g_error_matches (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT))
        schedule_check (self);
      return;
    }
  set_state (self, "saved");
  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

/* The form waits, untouchable, for the save's answer. */
static void
start_save (CairnAppointmentDialog *self)
{
  set_state (self, "saving");
  show_problem (self->error_label, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
}

static void
cairn_appointment_dialog_save_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  CairnAppointmentDialog *self = CAIRN_APPOINTMENT_DIALOG (widget);
  g_autoptr(CairnAppointment) a = read_form (self, TRUE);
  g_autofree char *reason = g_strstrip (g_strdup (entry_text (self->reason_row)));
  const CairnAppointmentType *type = chosen_type (self);

  if (g_str_equal (self->state, "saving") || g_str_equal (self->state, "loading"))
    return;
  if (a == NULL || self->patient_id == NULL)
    {
      set_state (self, "invalid");
      return;
    }
  if (self->clashes && *reason == '\0')
    {
      show_problem (self->error_label, _("Write why it goes ahead despite the clash, or change the time, "
                                         "staff or room."));
      focus_if_active (GTK_WINDOW (self), GTK_WIDGET (self->reason_row));
      set_state (self, "invalid");
      return;
    }

  start_save (self);
  cairn_booking_save_async (self->vault, a, type->staff, type->needs_room, *reason != '\0' ? reason : NULL,
                            cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                            cairn_runner_track (self->runner, save_done_cb, self));
}

static void
cairn_appointment_dialog_status_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  CairnAppointmentDialog *self = CAIRN_APPOINTMENT_DIALOG (widget);
  g_autofree char *reason = g_strstrip (g_strdup (entry_text (self->cancel_reason_row)));
  const char *status = g_str_equal (action_name, "appointment.check-in") ? "checked-in"
                       : g_str_equal (action_name, "appointment.no-show") ? "no-show" : "cancelled";

  if (self->appointment == NULL || self->appointment->id == NULL || g_str_equal (self->state, "saving"))
    return;
  if (g_str_equal (status, "cancelled") && *reason == '\0')
    {
      show_problem (self->error_label, _("Write why the appointment is cancelled."));
      focus_if_active (GTK_WINDOW (self), GTK_WIDGET (self->cancel_reason_row));
      set_state (self, "invalid");
      return;
    }
  start_save (self);
  cairn_booking_set_status_async (self->vault, self->appointment->id, status,
                                  *reason != '\0' && g_str_equal (status, "cancelled") ? reason : NULL,
                                  cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                                  cairn_runner_track (self->runner, save_done_cb, self));
}

/* ------------------------------------------------------------------------ */

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "checked-in") == 0)
    return _("Checked in");
  if (g_strcmp0 (status, "no-show") == 0)
    return _("Did not come");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Completed");
  return _("Booked, not yet arrived");
}

static void
cairn_appointment_dialog_dispose (GObject *object)
{
  CairnAppointmentDialog *self = CAIRN_APPOINTMENT_DIALOG (object);

  g_clear_object (&self->runner);
  g_clear_handle_id (&self->check_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_APPOINTMENT_DIALOG);

  G_OBJECT_CLASS (cairn_appointment_dialog_parent_class)->dispose (object);
}

static void
cairn_appointment_dialog_finalize (GObject *object)
{
  CairnAppointmentDialog *self = CAIRN_APPOINTMENT_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->appointment, cairn_appointment_free);
  g_clear_pointer (&self->staff, g_ptr_array_unref);
  g_clear_pointer (&self->staff_checks, g_ptr_array_unref);
  g_clear_pointer (&self->rooms, g_ptr_array_unref);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->conflict_rows, g_ptr_array_unref);
  g_free (self->patient_id);
  g_free (self->patient_name);

  G_OBJECT_CLASS (cairn_appointment_dialog_parent_class)->finalize (object);
}

/* The vault, the template and the zone are the context's as they are when
 * the dialog opens: what it shows and writes stays with them. */
static void
cairn_appointment_dialog_constructed (GObject *object)
{
  CairnAppointmentDialog *self = CAIRN_APPOINTMENT_DIALOG (object);
  CairnVault *vault;

  G_OBJECT_CLASS (cairn_appointment_dialog_parent_class)->constructed (object);

  g_assert (CAIRN_IS_CONTEXT (self->context));
  vault = cairn_context_get_vault (self->context);
  self->vault = vault != NULL ? g_object_ref (vault) : NULL;
  self->protocol = cairn_protocol_ref (cairn_context_get_protocol (self->context));
  self->zone = g_time_zone_ref (cairn_context_get_time_zone (self->context));
}

static void
cairn_appointment_dialog_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  CairnAppointmentDialog *self = CAIRN_APPOINTMENT_DIALOG (object);

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
cairn_appointment_dialog_class_init (CairnAppointmentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_appointment_dialog_constructed;
  object_class->dispose = cairn_appointment_dialog_dispose;
  object_class->finalize = cairn_appointment_dialog_finalize;
  object_class->set_property = cairn_appointment_dialog_set_property;

  /**
   * CairnAppointmentDialog:context:
   *
   * What the dialog works in: the unlocked vault, the protocol template
   * (the kinds of appointment) and the practice's zone.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CairnAppointmentDialog::saved:
   * @id: the appointment's id
   *
   * The appointment was booked, changed, or its status set.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/schedule/cairn-appointment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, cancel_reason_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, check_in_button);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, length_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, matches_list);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, patient_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, patient_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, room_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, save_label);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, staff_group);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, status_group);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, when_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnAppointmentDialog, window_title);
  gtk_widget_class_bind_template_callback (widget_class, on_match_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_type_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_when_changed_cb);

  gtk_widget_class_install_action (widget_class, "appointment.save", NULL, cairn_appointment_dialog_save_action);
  gtk_widget_class_install_action (widget_class, "appointment.check-in", NULL,
                                   cairn_appointment_dialog_status_action);
  gtk_widget_class_install_action (widget_class, "appointment.no-show", NULL,
                                   cairn_appointment_dialog_status_action);
  gtk_widget_class_install_action (widget_class, "appointment.cancel-appointment", NULL,
                                   cairn_appointment_dialog_status_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "appointment.save", NULL);
}

static void
cairn_appointment_dialog_init (CairnAppointmentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->runner = cairn_runner_new ();
  self->conflict_rows = g_ptr_array_new ();
  self->state = "loading";
}

/**
 * cairn_appointment_dialog_new:
 * @context: the context, holding the unlocked vault, the protocol
 *   template (for the kinds of appointment) and the practice's zone
 * @item: (nullable): the appointment to change, or %NULL for a new one
 * @start: for a new one, when it starts (UTC seconds)
 *
 * Returns: (transfer full): the dialog, not yet shown
 */
CairnAppointmentDialog *
cairn_appointment_dialog_new (CairnContext          *context,
                              const CairnAgendaItem *item,
                              gint64                 start)
{
  CairnAppointmentDialog *self;
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  g_autofree char *length = NULL;
  const CairnAppointmentType *type = NULL;
  guint selected = 0;

  g_return_val_if_fail (CAIRN_IS_CONTEXT (context) && cairn_context_is_unlocked (context), NULL);

  self = g_object_new (CAIRN_TYPE_APPOINTMENT_DIALOG, "context", context, NULL);

  for (guint i = 0; i < cairn_protocol_get_n_types (self->protocol); i++)
    {
      const CairnAppointmentType *t = cairn_protocol_get_type_nth (self->protocol, i);

      gtk_string_list_append (kinds, t->name);
      if (item != NULL && g_strcmp0 (t->id, item->appointment->type_id) == 0)
        selected = i;
    }

  self->filling = TRUE;
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (kinds));
  adw_combo_row_set_selected (self->type_row, selected);
  type = chosen_type (self);
  self->last_minutes = type != NULL ? type->minutes : 0;

  if (item != NULL)
    {
      const CairnAppointment *a = item->appointment;
      gboolean open = g_strcmp0 (a->status, "booked") == 0 || g_strcmp0 (a->status, "checked-in") == 0;

      self->appointment = cairn_appointment_copy (a);
      self->patient_id = g_strdup (a->patient_id);
      self->patient_name = g_strdup (item->patient);
      start = a->start;
      length = g_strdup_printf ("%d", (int) ((a->end - a->start) / 60));

      adw_window_title_set_title (self->window_title, _("Appointment"));
      gtk_label_set_text_with_mnemonic (self->save_label, _("_Save"));
      gtk_widget_set_visible (GTK_WIDGET (self->status_group), TRUE);
      adw_action_row_set_subtitle (self->status_row, status_text (a->status));
      gtk_widget_set_sensitive (GTK_WIDGET (self->check_in_button), g_strcmp0 (a->status, "booked") == 0);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "appointment.no-show", g_strcmp0 (a->status, "booked") == 0);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "appointment.cancel-appointment", open);
      gtk_widget_set_visible (GTK_WIDGET (self->cancel_reason_row), open);
      /* A cancelled or finished appointment is a record: it is not moved. */
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "appointment.save", open);
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("New Appointment"));
      gtk_label_set_text_with_mnemonic (self->save_label, _("_Book"));
      length = g_strdup_printf ("%u", type != NULL ? type->minutes : 60);
    }

  utc = g_date_time_new_from_unix_utc (start);
  local = g_date_time_to_timezone (utc, self->zone);
  date = g_date_time_format (local, "%Y-%m-%d");
  time = g_date_time_format (local, "%H:%M");
  set_entry_text (self, self->date_row, date);
  set_entry_text (self, self->time_row, time);
  set_entry_text (self, self->length_row, length);
  set_entry_text (self, self->patient_row, self->patient_name);
  self->filling = FALSE;

  cairn_booking_setup_async (self->vault, cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                             cairn_runner_track (self->runner, setup_done_cb, self));
  return self;
}

/**
 * cairn_appointment_dialog_get_state:
 * @self: the dialog
 *
 * Returns: "loading", "ready", "checking", "clash", "invalid", "saving" or
 *   "saved": for tests
 */
const char *
cairn_appointment_dialog_get_state (CairnAppointmentDialog *self)
{
  g_return_val_if_fail (CAIRN_IS_APPOINTMENT_DIALOG (self), NULL);
  return self->state;
}
