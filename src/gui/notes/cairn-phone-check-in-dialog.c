/* cairn-phone-check-in-dialog.c
 *
 * Recording one phone check-in: whether the patient was reached, when the
 * call was made, a short note and what happens next. Each problem is said
 * under its field; a call cannot be in the future, and a call that did
 * not reach the patient needs a follow-up action. Recording it again
 * changes the same record, and the audit trail keeps that it changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-notes"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-agenda.h"
#include "cairn-context.h"
#include "cairn-notes-screen.h"
#include "cairn-patients.h"
#include "cairn-phone-check-in-dialog.h"
#include "cairn-runner.h"

struct _CairnPhoneCheckInDialog
{
  AdwWindow          parent_instance;

  CairnContext      *context;
  CairnVault        *vault;
  GTimeZone         *zone;
  char              *patient_id;
  CairnAppointment  *appointment;
  gint64             now;
  const char        *state;
  CairnRunner       *runner;

  GtkWidget         *save_button;
  GtkWidget         *reached_switch;
  GtkWidget         *date_row;
  GtkWidget         *time_row;
  GtkWidget         *when_problem;
  GtkWidget         *note_row;
  GtkWidget         *note_problem;
  GtkWidget         *follow_up_row;
  GtkWidget         *follow_up_problem;
  GtkWidget         *error_label;
};

G_DEFINE_FINAL_TYPE (CairnPhoneCheckInDialog, cairn_phone_check_in_dialog, ADW_TYPE_WINDOW)

enum
{
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

static void
show_problem (GtkWidget  *label,
              const char *text)
{
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL && *text != '\0');
}

static GtkWidget *
problem_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_visible (label, FALSE);
  return label;
}

static GtkWidget *
boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static GtkWidget *
entry_row (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

static void
set_state (CairnPhoneCheckInDialog *self,
           const char              *state)
{
  self->state = state;
  gtk_widget_set_sensitive (self->save_button, g_str_equal (state, "ready"));
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */

static void
record_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CairnPhoneCheckInDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPhoneCheckIn) check_in = NULL;

  check_in = cairn_notes_record_check_in_finish (CAIRN_VAULT (source), result, &error);
  set_state (self, "ready");
  if (check_in == NULL)
    {
      show_problem (self->error_label, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, check_in);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
show_field_problem (CairnPhoneCheckInDialog *self,
                    const char              *field,
                    const char              *message)
{
  GtkWidget *label = g_str_equal (field, "note") ? self->note_problem
                     : g_str_equal (field, "follow_up_action") ? self->follow_up_problem
                     : g_str_equal (field, "date") || g_str_equal (field, "time") || g_str_equal (field, "called_at")
                     ? self->when_problem
                     : self->error_label;

  if (gtk_widget_get_visible (label))
    return FALSE;
  show_problem (label, message);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CairnPhoneCheckInDialog *self = CAIRN_PHONE_CHECK_IN_DIALOG (widget);
  g_autoptr(GPtrArray) when = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(CairnPhoneCheckIn) check_in = cairn_phone_check_in_new ();
  gint64 start = 0, end = 0;
  GtkWidget *focus = NULL;

  if (!g_str_equal (self->state, "ready") || self->vault == NULL)
    return;

  show_problem (self->when_problem, NULL);
  show_problem (self->note_problem, NULL);
  show_problem (self->follow_up_problem, NULL);
  show_problem (self->error_label, NULL);

  check_in->patient_id = g_strdup (self->patient_id);
  check_in->appointment_id = g_strdup (self->appointment->id);
  check_in->reached = gtk_switch_get_active (GTK_SWITCH (self->reached_switch));
  check_in->note = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row)));
  check_in->follow_up_action = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->follow_up_row)));
  if (cairn_agenda_parse_when (gtk_editable_get_text (GTK_EDITABLE (self->date_row)),
                               gtk_editable_get_text (GTK_EDITABLE (self->time_row)), "5", self->zone,
                               &start, &end, when))
    check_in->called_at = start;
  for (guint i = 0; i < when->len; i++)
    {
      CairnFieldProblem *p = g_ptr_array_index (when, i);

      show_field_problem (self, p->field, p->message);
      focus = focus != NULL ? focus : g_str_equal (p->field, "date") ? self->date_row : self->time_row;
    }

  /* The time is checked against the clock of this moment; it may have
   * been read above, or be a problem already. */
  problems = cairn_phone_check_in_validate (check_in, g_get_real_time () / G_USEC_PER_SEC);
  for (guint i = 0; i < problems->len; i++)
    {
      CairnNoteProblem *p = g_ptr_array_index (problems, i);

      if (g_str_equal (p->field, "called_at") && when->len > 0)
        continue;
      show_field_problem (self, p->field, p->message);
      if (focus == NULL)
        focus = g_str_equal (p->field, "note") ? self->note_row
                : g_str_equal (p->field, "follow_up_action") ? self->follow_up_row
                : self->time_row;
    }
  if (focus != NULL)
    {
      gtk_widget_grab_focus (focus);
      return;
    }

  set_state (self, "saving");
  cairn_notes_record_check_in_async (self->vault, check_in, cairn_runner_get_cancellable (self->runner),
                                     cairn_runner_answered,
                                     cairn_runner_track (self->runner, record_done_cb, self));
}

static void
on_reached_changed_cb (CairnPhoneCheckInDialog *self)
{
  gboolean reached = gtk_switch_get_active (GTK_SWITCH (self->reached_switch));

  show_problem (self->follow_up_problem, NULL);
  /* TRANSLATORS: the follow-up field's title, when the patient was not reached */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->follow_up_row),
                                 reached ? _("Follow-up action") : _("Follow-up action (required)"));
}

/* ------------------------------------------------------------------------ */
/* The dialog                                                                */

static void
cairn_phone_check_in_dialog_dispose (GObject *object)
{
  CairnPhoneCheckInDialog *self = CAIRN_PHONE_CHECK_IN_DIALOG (object);

  g_clear_object (&self->runner);
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (cairn_phone_check_in_dialog_parent_class)->dispose (object);
}

static void
cairn_phone_check_in_dialog_finalize (GObject *object)
{
  CairnPhoneCheckInDialog *self = CAIRN_PHONE_CHECK_IN_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_free (self->patient_id);
  g_clear_pointer (&self->appointment, cairn_appointment_free);

  G_OBJECT_CLASS (cairn_phone_check_in_dialog_parent_class)->finalize (object);
}

static void
cairn_phone_check_in_dialog_constructed (GObject *object)
{
  CairnPhoneCheckInDialog *self = CAIRN_PHONE_CHECK_IN_DIALOG (object);

  G_OBJECT_CLASS (cairn_phone_check_in_dialog_parent_class)->constructed (object);

  g_assert (CAIRN_IS_CONTEXT (self->context));
  /* The vault and the zone as they are when the dialog opens: the call is
   * recorded in that vault, at a time in that zone. */
  /* Made by a screen of an unlocked vault; a dialog left over writes nothing. */
  g_set_object (&self->vault, cairn_context_get_vault (self->context));
  self->zone = g_time_zone_ref (cairn_context_get_time_zone (self->context));
}

static void
cairn_phone_check_in_dialog_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  CairnPhoneCheckInDialog *self = CAIRN_PHONE_CHECK_IN_DIALOG (object);

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
cairn_phone_check_in_dialog_class_init (CairnPhoneCheckInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_phone_check_in_dialog_constructed;
  object_class->set_property = cairn_phone_check_in_dialog_set_property;

  /**
   * CairnPhoneCheckInDialog:context:
   *
   * What the dialog works in: the unlocked vault and the practice's zone.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_phone_check_in_dialog_dispose;
  object_class->finalize = cairn_phone_check_in_dialog_finalize;

  /**
   * CairnPhoneCheckInDialog::saved:
   * @check_in: (type gpointer): the phone check-in as recorded
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_install_action (widget_class, "check-in.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "check-in.save", NULL);
}

static void
cairn_phone_check_in_dialog_init (CairnPhoneCheckInDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *list;
  GtkWidget *reached_row;

  self->runner = cairn_runner_new ();
  self->state = "ready";

  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_title (GTK_WINDOW (self), _("Phone Check-in"));
  gtk_window_set_default_size (GTK_WINDOW (self), 440, 560);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 294);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->save_button), "check-in.save");
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);

  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);

  list = boxed_list ();
  reached_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reached_row), _("Patient reached"));
  self->reached_switch = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (self->reached_switch), TRUE);
  gtk_widget_set_valign (self->reached_switch, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (reached_row), self->reached_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (reached_row), self->reached_switch);
  g_signal_connect_object (self->reached_switch, "notify::active", G_CALLBACK (on_reached_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (GTK_LIST_BOX (list), reached_row);
  /* TRANSLATORS: the date of a phone call, typed as 2026-12-01 */
  self->date_row = entry_row (_("Date of call (YYYY-MM-DD)"));
  gtk_list_box_append (GTK_LIST_BOX (list), self->date_row);
  /* TRANSLATORS: the time of a phone call, typed as 14:30 */
  self->time_row = entry_row (_("Time of call (HH:MM)"));
  gtk_list_box_append (GTK_LIST_BOX (list), self->time_row);
  gtk_box_append (GTK_BOX (content), list);
  self->when_problem = problem_label ();
  gtk_box_append (GTK_BOX (content), self->when_problem);

  list = boxed_list ();
  gtk_widget_set_margin_top (list, 18);
  self->note_row = entry_row (_("Note"));
  gtk_list_box_append (GTK_LIST_BOX (list), self->note_row);
  gtk_box_append (GTK_BOX (content), list);
  self->note_problem = problem_label ();
  gtk_box_append (GTK_BOX (content), self->note_problem);

  list = boxed_list ();
  gtk_widget_set_margin_top (list, 18);
  self->follow_up_row = entry_row (_("Follow-up action"));
  gtk_list_box_append (GTK_LIST_BOX (list), self->follow_up_row);
  gtk_box_append (GTK_BOX (content), list);
  self->follow_up_problem = problem_label ();
  gtk_box_append (GTK_BOX (content), self->follow_up_problem);

  self->error_label = problem_label ();
  gtk_widget_set_margin_top (self->error_label, 18);
  gtk_box_append (GTK_BOX (content), self->error_label);

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 520);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * cairn_phone_check_in_dialog_new:
 * @context: the context, holding the unlocked vault and the practice's zone
 * @patient_id: whose call
 * @appointment: the phone check-in appointment
 * @check_in: (nullable): what was recorded before, if anything
 * @now: UTC seconds now: a call not yet recorded is put at the
 *   appointment's time if that has passed, else at @now
 *
 * Returns: (transfer none): the dialog, to present
 */
CairnPhoneCheckInDialog *
cairn_phone_check_in_dialog_new (CairnContext            *context,
                                 const char              *patient_id,
                                 const CairnAppointment  *appointment,
                                 const CairnPhoneCheckIn *check_in,
                                 gint64                   now)
{
  CairnPhoneCheckInDialog *self;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) booked = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *title;

  g_return_val_if_fail (CAIRN_IS_CONTEXT (context) && cairn_context_is_unlocked (context), NULL);
  g_return_val_if_fail (patient_id != NULL && appointment != NULL, NULL);

  self = g_object_new (CAIRN_TYPE_PHONE_CHECK_IN_DIALOG, "context", context, NULL);
  self->patient_id = g_strdup (patient_id);
  self->appointment = cairn_appointment_copy (appointment);
  self->now = now;

  utc = g_date_time_new_from_unix_utc (check_in != NULL ? check_in->called_at : MIN (appointment->start, now));
  local = g_date_time_to_timezone (utc, self->zone);
  date = g_date_time_format (local, "%Y-%m-%d");
  time = g_date_time_format (local, "%H:%M");
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
  if (check_in != NULL)
    {
      gtk_switch_set_active (GTK_SWITCH (self->reached_switch), check_in->reached);
      gtk_editable_set_text (GTK_EDITABLE (self->note_row), check_in->note != NULL ? check_in->note : "");
      gtk_editable_set_text (GTK_EDITABLE (self->follow_up_row),
                             check_in->follow_up_action != NULL ? check_in->follow_up_action : "");
    }

  booked = g_date_time_new_from_unix_utc (appointment->start);
  day = g_date_time_to_timezone (booked, self->zone);
  /* TRANSLATORS: the phone check-in's booked date and time, as in "Tue 3 Nov 2026, 14:00" (strftime) */
  subtitle = g_date_time_format (day, _("%a %-d %b %Y, %H:%M"));
  title = adw_window_title_new (_("Phone Check-in"), subtitle);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (gtk_widget_get_first_child (
                                     adw_window_get_content (ADW_WINDOW (self)))), title);
  return self;
}

/* "ready" or "saving": for tests. */
const char *
cairn_phone_check_in_dialog_get_state (CairnPhoneCheckInDialog *self)
{
  g_return_val_if_fail (CAIRN_IS_PHONE_CHECK_IN_DIALOG (self), NULL);
  return self->state;
}
