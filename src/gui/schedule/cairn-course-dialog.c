/* cairn-course-dialog.c
 *
 * Planning a patient's whole course at once. The front desk says when it
 * may start, at what time of day, with which therapists and in which
 * rooms; Cairn proposes every session of the protocol template in the free
 * slots it finds (see cairn-course-planner.c), and lists them. Any one can
 * be moved; moving a medicine session offers to move the sessions that
 * follow from it, each keeping its wall-clock time. Sessions that could
 * not be placed without a clash say why. "Book All" books the lot in one
 * transaction, over clashes only with a written reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-agenda.h"
#include "cairn-booking-screen.h"
#include "cairn-context.h"
#include "cairn-course-dialog.h"
#include "cairn-course-planner.h"
#include "cairn-patients.h"
#include "cairn-runner.h"

struct _CairnCourseDialog
{
  AdwWindow             parent_instance;

  CairnContext         *context;
  CairnVault           *vault;
  CairnProtocol        *protocol;
  char                 *patient_id;
  CairnRunner          *runner;
  CairnPracticeRules   *rules;
  GPtrArray            *staff;          /* of CairnNamed: clinicians */
  GPtrArray            *staff_checks;
  GPtrArray            *rooms;          /* of CairnNamed */
  GPtrArray            *room_checks;
  GPtrArray            *existing;       /* of CairnAppointment, behind the bookings below */
  GArray               *bookings;       /* of CairnBooking */
  GPtrArray            *plan;           /* of CairnPlannedItem */
  GPtrArray            *plan_rows;
  char                **therapist_ids;  /* as proposed with */
  char                **room_ids;
  GDate                 start_day;
  guint                 preferred_minute;
  const char           *state;

  /* Template widgets */
  GtkLabel             *error_label;
  AdwPreferencesGroup  *plan_group;
  AdwPreferencesGroup  *reason_group;
  AdwEntryRow          *reason_row;
  AdwPreferencesGroup  *rooms_group;
  GtkLabel             *setup_problem;
  GtkSpinner           *spinner;
  AdwEntryRow          *start_row;
  AdwPreferencesGroup  *therapists_group;
  AdwEntryRow          *time_row;
  AdwWindowTitle       *window_title;
};

G_DEFINE_FINAL_TYPE (CairnCourseDialog, cairn_course_dialog, ADW_TYPE_WINDOW)

enum {
  BOOKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GTimeZone *
dialog_zone (CairnCourseDialog *self)
{
  return cairn_practice_rules_get (self->rules)->zone;
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
set_state (CairnCourseDialog *self,
           const char        *state)
{
  gboolean busy = g_str_equal (state, "loading") || g_str_equal (state, "proposing") ||
                  g_str_equal (state, "booking");

  self->state = state;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.book", !busy && self->plan != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.propose", !busy && self->rules != NULL);
}

static GStrv
checked_ids (GPtrArray *named,
             GPtrArray *checks)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; named != NULL && i < named->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      g_strv_builder_add (builder, ((CairnNamed *) g_ptr_array_index (named, i))->id);
  return g_strv_builder_end (builder);
}

static const char *
conflict_words (CairnConflictKind kind)
{
  switch (kind)
    {
    case CAIRN_CONFLICT_PATIENT:
      return _("the patient is booked then");
    case CAIRN_CONFLICT_STAFF:
      return _("a therapist is booked then");
    case CAIRN_CONFLICT_ROOM:
      return _("the room is taken then");
    case CAIRN_CONFLICT_STAFFING:
      return _("needs more therapists");
    case CAIRN_CONFLICT_NO_ROOM:
      return _("needs a room");
    case CAIRN_CONFLICT_CLOSED_DAY:
      return _("the practice is closed that day");
    case CAIRN_CONFLICT_PRACTICE_HOURS:
      return _("outside the practice’s hours");
    case CAIRN_CONFLICT_STAFF_HOURS:
      return _("outside a therapist’s hours");
    case CAIRN_CONFLICT_INVALID:
    default:
      return _("cannot be booked as it is");
    }
}

static const char *
room_name (CairnCourseDialog *self,
           const char        *id)
{
  for (guint i = 0; id != NULL && self->rooms != NULL && i < self->rooms->len; i++)
    if (g_strcmp0 (((CairnNamed *) g_ptr_array_index (self->rooms, i))->id, id) == 0)
      return ((CairnNamed *) g_ptr_array_index (self->rooms, i))->name;
  return NULL;
}

static char *
item_title (const CairnPlannedItem *item)
{
  if (item->phase == CAIRN_PHASE_INTEGRATION && item->medicine_session > 0)
    /* TRANSLATORS: a session after a medicine session, as in "Integration 2.1":
     * the first integration session after the second medicine session */
    return g_strdup_printf (_("%s %u.%u"), item->type_name, item->medicine_session, item->number);
  /* TRANSLATORS: a session of the course, as in "Preparation 2" */
  return g_strdup_printf (_("%s %u"), item->type_name, item->number);
}

static guint
count_clashes (CairnCourseDialog *self)
{
  guint n = 0;

  for (guint i = 0; self->plan != NULL && i < self->plan->len; i++)
    n += ((CairnPlannedItem *) g_ptr_array_index (self->plan, i))->conflicts->len > 0;
  return n;
}

static void present_move (CairnCourseDialog *self,
                          guint              index);

static void
on_move_clicked_cb (GtkButton         *button,
                    CairnCourseDialog *self)
{
  present_move (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")));
}

static void
show_plan (CairnCourseDialog *self)
{
  guint clashes = count_clashes (self);
  g_autofree char *description = NULL;

  for (guint i = 0; i < self->plan_rows->len; i++)
    adw_preferences_group_remove (self->plan_group, g_ptr_array_index (self->plan_rows, i));
  g_ptr_array_set_size (self->plan_rows, 0);

  for (guint i = 0; self->plan != NULL && i < self->plan->len; i++)
    {
      const CairnPlannedItem *item = g_ptr_array_index (self->plan, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (item->start);
      g_autoptr(GDateTime) from = g_date_time_to_timezone (utc, dialog_zone (self));
      g_autoptr(GDateTime) end_utc = g_date_time_new_from_unix_utc (item->end);
      g_autoptr(GDateTime) to = g_date_time_to_timezone (end_utc, dialog_zone (self));
      /* TRANSLATORS: when a planned session is, as in "Tue 1 Dec 2026, 09:00" (strftime) */
      g_autofree char *day = g_date_time_format (from, _("%a %-d %b %Y, %H:%M"));
      g_autofree char *title = item_title (item);
      GString *subtitle = g_string_new (NULL);
      const char *room = room_name (self, item->room_id);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("document-edit-symbolic");

      g_string_append_printf (subtitle, "%s–%02d:%02d", day, g_date_time_get_hour (to), g_date_time_get_minute (to));
      if (room != NULL)
        g_string_append_printf (subtitle, " · %s", room);
      for (guint c = 0; c < item->conflicts->len; c++)
        {
          const CairnConflict *conflict = g_ptr_array_index (item->conflicts, c);

          g_string_append_printf (subtitle, c == 0 ? "\n⚠ %s" : ", %s", conflict_words (conflict->kind));
        }

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      g_string_free (subtitle, TRUE);
      if (item->conflicts->len > 0)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_widget_add_css_class (icon, "warning");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        }

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      /* TRANSLATORS: the button that moves one planned session, for screen readers */
      gtk_widget_set_tooltip_text (button, _("Move"));
      g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_move_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

      adw_preferences_group_add (self->plan_group, row);
      g_ptr_array_add (self->plan_rows, row);
    }

  if (clashes == 0)
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session, each in a free slot.",
                                                "%u sessions, each in a free slot.", self->plan->len),
                                   self->plan->len);
  else
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u sessions; %u could not be placed without a clash. "
                                                "Move it, or book it anyway with a reason.",
                                                "%u sessions; %u could not be placed without a clash. "
                                                "Move them, or book them anyway with a reason.", clashes),
                                   self->plan->len, clashes);
  adw_preferences_group_set_description (self->plan_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->plan_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_group), clashes > 0);
}

/* ------------------------------------------------------------------------ */
/* Moving one session                                                        */

static CairnPlanRequest
plan_request (CairnCourseDialog *self)
{
  CairnPlanRequest request = {
    self->protocol, cairn_practice_rules_get (self->rules),
    (const CairnBooking *) self->bookings->data, self->bookings->len, self->patient_id,
    (const char * const *) self->therapist_ids, (const char * const *) self->room_ids,
    self->start_day, self->preferred_minute,
  };

  return request;
}

static void
on_move_response_cb (AdwMessageDialog  *question,
                     const char        *response,
                     CairnCourseDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (question), "index"));
  GtkEditable *date = g_object_get_data (G_OBJECT (question), "date");
  GtkEditable *time = g_object_get_data (G_OBJECT (question), "time");
  GtkCheckButton *followers = g_object_get_data (G_OBJECT (question), "followers");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  const CairnPlannedItem *item;
  CairnPlanRequest request;
  gint64 start, end;

  if (g_strcmp0 (response, "move") != 0 || self->plan == NULL || index >= self->plan->len)
    return;
  item = g_ptr_array_index (self->plan, index);
  {
    g_autofree char *length = g_strdup_printf ("%d", (int) ((item->end - item->start) / 60));

    if (!cairn_agenda_parse_when (gtk_editable_get_text (date), gtk_editable_get_text (time), length,
                                  dialog_zone (self), &start, &end, problems))
      {
        show_problem (self->error_label, ((CairnFieldProblem *) g_ptr_array_index (problems, 0))->message);
        return;
      }
  }
  show_problem (self->error_label, NULL);
  cairn_course_plan_move (self->plan, index, start, followers != NULL && gtk_check_button_get_active (followers),
                          dialog_zone (self));
  request = plan_request (self);
  cairn_course_plan_recheck (self->plan, &request);
  show_plan (self);
}

static void
present_move (CairnCourseDialog *self,
              guint              index)
{
  const CairnPlannedItem *item = g_ptr_array_index (self->plan, index);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (item->start);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, dialog_zone (self));
  g_autofree char *title = item_title (item);
  g_autofree char *heading = g_strdup_printf (_("Move %s"), title);
  g_autofree char *date_text = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *time_text = g_date_time_format (local, "%H:%M");
  GtkWidget *question, *box, *date, *time;

  question = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  date = gtk_entry_new ();
  time = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (date), date_text);
  gtk_editable_set_text (GTK_EDITABLE (time), time_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (date), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Date (year-month-day)"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (time), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Starts at (24-hour clock)"), -1);
  gtk_entry_set_activates_default (GTK_ENTRY (date), TRUE);
  gtk_entry_set_activates_default (GTK_ENTRY (time), TRUE);
  gtk_box_append (GTK_BOX (box), date);
  gtk_box_append (GTK_BOX (box), time);
  if (item->phase == CAIRN_PHASE_MEDICINE_SESSION)
    {
      guint followers = 0;
      g_autofree char *label = NULL;
      GtkWidget *check;

      for (guint i = 0; i < self->plan->len; i++)
        {
          const CairnPlannedItem *other = g_ptr_array_index (self->plan, i);

          followers += i != index && other->start > item->start &&
                       (other->medicine_session >= item->medicine_session || other->phase == CAIRN_PHASE_FOLLOW_UP);
        }
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Also move the _session that follows from it",
                                            "Also move the %u _sessions that follow from it", followers),
                               followers);
      check = gtk_check_button_new_with_mnemonic (label);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_box_append (GTK_BOX (box), check);
      g_object_set_data (G_OBJECT (question), "followers", check);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (question), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (question), "cancel", _("_Cancel"), "move", _("_Move"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (question), "move", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (question), "move");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (question), "cancel");
  g_object_set_data (G_OBJECT (question), "index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (question), "date", date);
  g_object_set_data (G_OBJECT (question), "time", time);
  g_signal_connect_object (question, "response", G_CALLBACK (on_move_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (question));
}

/* ------------------------------------------------------------------------ */
/* Proposing                                                                 */

static void
propose_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CairnCourseDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnCourseProposal) proposal = cairn_course_propose_finish (CAIRN_VAULT (source), result, &error);

  if (proposal == NULL)
    {
      set_state (self, "invalid");
      show_problem (self->error_label, error->message);
      return;
    }
  g_clear_pointer (&self->existing, g_ptr_array_unref);
  g_clear_pointer (&self->bookings, g_array_unref);
  g_clear_pointer (&self->plan, g_ptr_array_unref);
  g_clear_pointer (&self->rules, cairn_practice_rules_free);
  /* A session moved is checked again against what it was planned with. */
  self->rules = g_steal_pointer (&proposal->rules);
  self->existing = g_steal_pointer (&proposal->existing);
  self->bookings = g_steal_pointer (&proposal->bookings);
  self->plan = g_steal_pointer (&proposal->plan);
  set_state (self, "proposed");
  show_plan (self);
}

/* Reads the course's start and time of day; says what is wrong. */
static gboolean
read_setup (CairnCourseDialog *self)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  gint64 start, end;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (!cairn_agenda_parse_when (gtk_editable_get_text (GTK_EDITABLE (self->start_row)),
                                gtk_editable_get_text (GTK_EDITABLE (self->time_row)), "60", dialog_zone (self),
                                &start, &end, problems))
    {
      show_problem (self->setup_problem, ((CairnFieldProblem *) g_ptr_array_index (problems, 0))->message);
      return FALSE;
    }
  show_problem (self->setup_problem, NULL);
  utc = g_date_time_new_from_unix_utc (start);
  local = g_date_time_to_timezone (utc, dialog_zone (self));
  g_date_clear (&self->start_day, 1);
  g_date_set_dmy (&self->start_day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  self->preferred_minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  return TRUE;
}

static void
cairn_course_dialog_propose_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  CairnCourseDialog *self = CAIRN_COURSE_DIALOG (widget);

  if (self->rules == NULL || !read_setup (self))
    {
      set_state (self, "invalid");
      return;
    }
  g_strfreev (self->therapist_ids);
  self->therapist_ids = checked_ids (self->staff, self->staff_checks);
  g_strfreev (self->room_ids);
  self->room_ids = checked_ids (self->rooms, self->room_checks);
  show_problem (self->error_label, NULL);
  set_state (self, "proposing");
  cairn_course_propose_async (self->vault, self->protocol, self->patient_id,
                              (const char * const *) self->therapist_ids, (const char * const *) self->room_ids,
                              &self->start_day, self->preferred_minute,
                              cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                              cairn_runner_track (self->runner, propose_done_cb, self));
}

static void
on_setup_changed_cb (CairnCourseDialog *self)
{
  /* A plan made with other settings is not the one to book. */
  if (self->plan == NULL)
    return;
  g_clear_pointer (&self->plan, g_ptr_array_unref);
  for (guint i = 0; i < self->plan_rows->len; i++)
    adw_preferences_group_remove (self->plan_group, g_ptr_array_index (self->plan_rows, i));
  g_ptr_array_set_size (self->plan_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->plan_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_group), FALSE);
  set_state (self, "ready");
}

/* ------------------------------------------------------------------------ */
/* Booking                                                                   */

static void
book_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnCourseDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *course_id = cairn_course_book_finish (CAIRN_VAULT (source), result, &error);

  if (course_id == NULL)
    {
      set_state (self, "proposed");
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      show_problem (self->error_label, error->message);
      return;
    }
  set_state (self, "booked");
  g_signal_emit (self, signals[BOOKED], 0, course_id, self->plan->len);
  gtk_window_close (GTK_WINDOW (self));
}

static void
cairn_course_dialog_book_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CairnCourseDialog *self = CAIRN_COURSE_DIALOG (widget);
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));

  if (self->plan == NULL)
    return;
  if (count_clashes (self) > 0 && *reason == '\0')
    {
      show_problem (self->error_label, _("Some sessions clash. Move them, or write why they go ahead anyway."));
      focus_if_active (GTK_WINDOW (self), GTK_WIDGET (self->reason_row));
      set_state (self, "invalid");
      return;
    }
  show_problem (self->error_label, NULL);
  set_state (self, "booking");
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  cairn_course_book_async (self->vault, self->patient_id, self->plan, *reason != '\0' ? reason : NULL,
                           cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                           cairn_runner_track (self->runner, book_done_cb, self));
}

/* ------------------------------------------------------------------------ */
/* Setting up                                                                */

static GtkWidget *
check_row (const char *title,
           const char *subtitle,
           gboolean    active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "check", check);
  return row;
}

static void
setup_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CairnCourseDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnCourseSetup) data = cairn_course_setup_finish (CAIRN_VAULT (source), result, &error);
  g_autofree char *subtitle = NULL;
  g_autofree char *start = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) monday = NULL;
  guint needed = 0;

  if (data == NULL)
    {
      set_state (self, "invalid");
      show_problem (self->error_label, error->message);
      return;
    }

  self->rules = g_steal_pointer (&data->rules);
  self->staff = g_steal_pointer (&data->clinicians);
  self->rooms = g_steal_pointer (&data->rooms);

  /* The most therapists any session of the course needs. */
  for (guint i = 0; i < cairn_protocol_get_n_types (self->protocol); i++)
    needed = MAX (needed, cairn_protocol_get_type_nth (self->protocol, i)->staff);
  adw_preferences_group_set_description (self->therapists_group,
                                         g_dngettext (GETTEXT_PACKAGE,
                                                      "The course needs one therapist; the first chosen leads.",
                                                      "Some sessions need two therapists; the first chosen leads "
                                                      "the sessions that need one.", needed));
  for (guint i = 0; i < self->staff->len; i++)
    {
      GtkWidget *row = check_row (((CairnNamed *) g_ptr_array_index (self->staff, i))->name, NULL, i < needed);

      g_ptr_array_add (self->staff_checks, g_object_get_data (G_OBJECT (row), "check"));
      adw_preferences_group_add (self->therapists_group, row);
    }
  for (guint i = 0; i < self->rooms->len; i++)
    {
      GtkWidget *row = check_row (((CairnNamed *) g_ptr_array_index (self->rooms, i))->name, NULL, TRUE);

      g_ptr_array_add (self->room_checks, g_object_get_data (G_OBJECT (row), "check"));
      adw_preferences_group_add (self->rooms_group, row);
    }
  if (self->rooms->len == 0)
    adw_preferences_group_set_description (self->rooms_group,
                                           _("No rooms yet: add them in Preferences → Practice."));

  /* TRANSLATORS: the dialog's subtitle: the patient and the protocol template */
  subtitle = g_strdup_printf (_("%s · %s"), data->patient_name, cairn_protocol_get_name (self->protocol));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* From next Monday, at the morning's start. */
  now = g_date_time_new_now (dialog_zone (self));
  monday = g_date_time_add_days (now, 8 - g_date_time_get_day_of_week (now));
  start = g_date_time_format (monday, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), "09:00");
  set_state (self, "ready");
}

/* ------------------------------------------------------------------------ */

static void
cairn_course_dialog_dispose (GObject *object)
{
  CairnCourseDialog *self = CAIRN_COURSE_DIALOG (object);

  g_clear_object (&self->runner);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_COURSE_DIALOG);

  G_OBJECT_CLASS (cairn_course_dialog_parent_class)->dispose (object);
}

static void
cairn_course_dialog_finalize (GObject *object)
{
  CairnCourseDialog *self = CAIRN_COURSE_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_clear_pointer (&self->rules, cairn_practice_rules_free);
  g_clear_pointer (&self->staff, g_ptr_array_unref);
  g_clear_pointer (&self->staff_checks, g_ptr_array_unref);
  g_clear_pointer (&self->rooms, g_ptr_array_unref);
  g_clear_pointer (&self->room_checks, g_ptr_array_unref);
  g_clear_pointer (&self->plan, g_ptr_array_unref);
  g_clear_pointer (&self->plan_rows, g_ptr_array_unref);
  g_clear_pointer (&self->bookings, g_array_unref);
  g_clear_pointer (&self->existing, g_ptr_array_unref);
  g_strfreev (self->therapist_ids);
  g_strfreev (self->room_ids);
  g_free (self->patient_id);

  G_OBJECT_CLASS (cairn_course_dialog_parent_class)->finalize (object);
}

static void
cairn_course_dialog_constructed (GObject *object)
{
  CairnCourseDialog *self = CAIRN_COURSE_DIALOG (object);

  G_OBJECT_CLASS (cairn_course_dialog_parent_class)->constructed (object);

  g_assert (CAIRN_IS_CONTEXT (self->context));
  /* The vault and the template as they are when the dialog opens: the
   * course is planned from that template and booked in that vault. */
  /* Made by a screen of an unlocked vault; a dialog left over writes nothing. */
  g_set_object (&self->vault, cairn_context_get_vault (self->context));
  self->protocol = cairn_protocol_ref (cairn_context_get_protocol (self->context));
}

static void
cairn_course_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CairnCourseDialog *self = CAIRN_COURSE_DIALOG (object);

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
cairn_course_dialog_class_init (CairnCourseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_course_dialog_constructed;
  object_class->set_property = cairn_course_dialog_set_property;

  /**
   * CairnCourseDialog:context:
   *
   * What the dialog works in: the unlocked vault and the protocol template
   * to plan from.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_course_dialog_dispose;
  object_class->finalize = cairn_course_dialog_finalize;

  /**
   * CairnCourseDialog::booked:
   * @course_id: the new course's id
   * @n_sessions: how many appointments were booked
   */
  signals[BOOKED] = g_signal_new ("booked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/schedule/cairn-course-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, plan_group);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, reason_group);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, rooms_group);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, setup_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, therapists_group);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, CairnCourseDialog, window_title);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_changed_cb);

  gtk_widget_class_install_action (widget_class, "course.propose", NULL, cairn_course_dialog_propose_action);
  gtk_widget_class_install_action (widget_class, "course.book", NULL, cairn_course_dialog_book_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cairn_course_dialog_init (CairnCourseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->runner = cairn_runner_new ();
  self->staff_checks = g_ptr_array_new ();
  self->room_checks = g_ptr_array_new ();
  self->plan_rows = g_ptr_array_new ();
  set_state (self, "loading");
}

/**
 * cairn_course_dialog_new:
 * @context: the context, holding the unlocked vault and the protocol
 *   template to plan from
 * @patient_id: whose course
 *
 * Returns: (transfer full): the dialog, not yet shown
 */
CairnCourseDialog *
cairn_course_dialog_new (CairnContext *context,
                         const char   *patient_id)
{
  CairnCourseDialog *self;

  g_return_val_if_fail (CAIRN_IS_CONTEXT (context) && cairn_context_is_unlocked (context), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  self = g_object_new (CAIRN_TYPE_COURSE_DIALOG, "context", context, NULL);
  self->patient_id = g_strdup (patient_id);

  cairn_course_setup_async (self->vault, patient_id, cairn_runner_get_cancellable (self->runner),
                            cairn_runner_answered, cairn_runner_track (self->runner, setup_done_cb, self));
  return self;
}

/**
 * cairn_course_dialog_get_state:
 * @self: the dialog
 *
 * Returns: "loading", "ready", "proposing", "proposed", "invalid",
 *   "booking" or "booked": for tests
 */
const char *
cairn_course_dialog_get_state (CairnCourseDialog *self)
{
  g_return_val_if_fail (CAIRN_IS_COURSE_DIALOG (self), NULL);
  return self->state;
}

/**
 * cairn_course_dialog_get_plan:
 * @self: the dialog
 *
 * Returns: (transfer none) (nullable) (element-type CairnPlannedItem): the
 *   proposal as it stands
 */
GPtrArray *
cairn_course_dialog_get_plan (CairnCourseDialog *self)
{
  g_return_val_if_fail (CAIRN_IS_COURSE_DIALOG (self), NULL);
  return self->plan;
}
