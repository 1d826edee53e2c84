/* cairn-schedule-page.c
 *
 * The Schedule page, for the front desk and clinicians alike: a day or a
 * week of appointments on a time grid, with earlier, later and today, a
 * new appointment from the button, Ctrl+N or a double click on free time,
 * and an appointment opened by a double click or Enter.
 *
 * A move (a drag let go, or Ctrl with an arrow) is checked by the vault
 * before it is written. One that clashes goes ahead only with a written
 * reason, which the audit trail keeps; one that does not is written at
 * once, and a toast offers to put it back.
 *
 * Every read and write is a call into core (cairn-schedule-screen.c) on
 * the vault's worker, started with the page's one runner. When Cairn
 * locks, the page lets go of every appointment and closes its dialogs:
 * nothing from the vault stays drawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cairn-agenda.h"
#include "cairn-appointment-dialog.h"
#include "cairn-day-sheet.h"
#include "cairn-loader.h"
#include "cairn-print.h"
#include "cairn-runner.h"
#include "cairn-schedule-page.h"
#include "cairn-schedule-screen.h"
#include "cairn-toaster.h"

typedef struct _MoveData MoveData;

struct _CairnSchedulePage
{
  GtkWidget           parent_instance;

  CairnContext       *context;
  GSignalGroup       *context_signals;
  CairnVault         *vault;
  CairnRunner        *runner;       /* every read and write */
  CairnProtocol      *protocol;
  CairnPracticeRules *rules;
  GTimeZone          *zone;
  GDate               day;          /* the day shown, or a day of the week shown */
  char               *mode;         /* "day" or "week" */
  guint               exports;      /* under way */
  gboolean            moving;
  GtkWindow          *dialog;
  CairnToaster       *toaster;      /* its Undo puts the last move back */

  /* Template widgets */
  GtkBox             *day_header;
  GtkScrolledWindow  *scroller;
  GtkStack           *states;
  CairnLoader        *loader;
  GtkLabel           *title_label;
  AdwToastOverlay    *toast_overlay;
  CairnScheduleView  *view;
};

G_DEFINE_FINAL_TYPE (CairnSchedulePage, cairn_schedule_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cairn_schedule_page_load (CairnSchedulePage *self);

static void move_data_free (MoveData *data);
static void undo_move      (gpointer  user_data);

/* A move's toast offers Undo; see cairn-toaster.c. */
static void
page_toast (CairnSchedulePage *self,
            const char        *text,
            MoveData          *undo)
{
  if (undo == NULL)
    {
      cairn_toaster_say (self->toaster, text);
      return;
    }
  cairn_toaster_say_with_action (self->toaster, text, _("_Undo"), 0, undo_move, undo,
                                 (GDestroyNotify) move_data_free);
}

static void
page_say (CairnSchedulePage *self,
          const char        *text)
{
  page_toast (self, text, NULL);
}

/* ------------------------------------------------------------------------ */
/* The range shown                                                           */

static guint
n_days (CairnSchedulePage *self)
{
  return g_strcmp0 (self->mode, "week") == 0 ? 7 : 1;
}

static GDate
first_day (CairnSchedulePage *self)
{
  GDate first = self->day;

  if (n_days (self) == 7)
    g_date_subtract_days (&first, g_date_get_weekday (&first) - G_DATE_MONDAY);
  return first;
}

static GDateTime *
local_midnight (CairnSchedulePage *self,
                const GDate       *day)
{
  return g_date_time_new (self->zone, g_date_get_year (day), g_date_get_month (day), g_date_get_day (day),
                          0, 0, 0);
}

static void
today (CairnSchedulePage *self,
       GDate             *day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone != NULL ? self->zone : NULL);

  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static char *
format_day (CairnSchedulePage *self,
            const GDate       *day,
            const char        *format)
{
  g_autoptr(GDateTime) midnight = local_midnight (self, day);

  return g_date_time_format (midnight, format);
}

static void
sync_header (CairnSchedulePage *self)
{
  GDate first = first_day (self);
  GDate now;
  g_autofree char *title = NULL;
  GtkWidget *child;

  today (self, &now);
  if (n_days (self) == 1)
    /* TRANSLATORS: the day shown, as in "Monday, 30 November 2026" (strftime) */
    title = format_day (self, &first, _("%A, %-d %B %Y"));
  else
    {
      GDate last = first;
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;

      g_date_add_days (&last, 6);
      /* TRANSLATORS: the first day of the week shown, as in "30 November" (strftime) */
      from = format_day (self, &first, _("%-d %B"));
      /* TRANSLATORS: the last day of the week shown, as in "6 December 2026" (strftime) */
      to = format_day (self, &last, _("%-d %B %Y"));
      /* TRANSLATORS: the week shown, as in "30 November – 6 December 2026" */
      title = g_strdup_printf (_("%s – %s"), from, to);
    }
  gtk_label_set_text (self->title_label, title);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->day_header))) != NULL)
    gtk_box_remove (self->day_header, child);
  for (guint d = 0; d < n_days (self); d++)
    {
      GDate day = first;
      g_autofree char *text = NULL;
      GtkWidget *label;

      g_date_add_days (&day, d);
      /* TRANSLATORS: a day's column in the week, as in "Mon 30" (strftime) */
      text = format_day (self, &day, _("%a %-d"));
      label = gtk_label_new (text);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "caption-heading");
      if (g_date_compare (&day, &now) == 0)
        gtk_widget_add_css_class (label, "accent");
      gtk_box_append (self->day_header, label);
    }
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

static void
show_range (CairnSchedulePage *self)
{
  GDate first = first_day (self);

  cairn_schedule_view_set_range (self->view, self->zone, &first, n_days (self));
  sync_header (self);
}

/* The first answer brings the practice's rules, and with them the zone
 * the range is counted in. */
static void
show_rules (CairnSchedulePage   *self,
            CairnScheduleScreen *screen)
{
  cairn_schedule_view_set_rules (self->view, NULL);
  g_clear_pointer (&self->rules, cairn_practice_rules_free);
  self->rules = g_steal_pointer (&screen->rules);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = g_time_zone_ref (cairn_practice_rules_get (self->rules)->zone);
  cairn_schedule_view_set_rules (self->view, cairn_practice_rules_get (self->rules));
  if (!g_date_valid (&self->day))
    self->day = screen->today;
  show_range (self);
  gtk_stack_set_visible_child_name (self->states, "grid");
}

/* What the loader is asked for: the rules first, then the days shown. */
typedef struct
{
  gint64   from;
  gint64   to;
  gboolean with_rules;
} Range;

static gpointer
range_copy (gpointer range)
{
  return g_memdup2 (range, sizeof (Range));
}

static gpointer
read_screen (CairnVault     *vault,
             gconstpointer   request,
             gint64          now,
             GError        **error)
{
  const Range *range = request;

  return cairn_schedule_screen_load (vault, range->from, range->to, range->with_rules, now, error);
}

static void
show_screen (gpointer user_data,
             gpointer result)
{
  CairnSchedulePage *self = user_data;
  g_autoptr(CairnScheduleScreen) screen = result;

  if (screen->rules != NULL)
    {
      show_rules (self, screen);
      /* The range depended on the zone: read it now. */
      cairn_schedule_page_load (self);
      return;
    }
  cairn_schedule_view_set_items (self->view, screen->items, screen->clashes);
}

static void
cairn_schedule_page_load (CairnSchedulePage *self)
{
  Range range = { 0, 0, FALSE };

  if (self->vault == NULL)
    return;
  if (self->zone == NULL)
    {
      range.with_rules = TRUE;
      cairn_loader_load (self->loader, self->vault, &range);
      return;
    }

    {
      GDate first = first_day (self), last = first;
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;

      g_date_add_days (&last, n_days (self));
      start = local_midnight (self, &first);
      end = local_midnight (self, &last);
      range.from = g_date_time_to_unix (start);
      range.to = g_date_time_to_unix (end);
    }
  cairn_loader_change (self->loader, &range);
}

/* ------------------------------------------------------------------------ */
/* Moving                                                                    */

static const CairnAgendaItem *
find_shown (CairnSchedulePage *self,
            const char        *id)
{
  GPtrArray *items = cairn_schedule_view_get_items (self->view);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->appointment->id, id) == 0)
        return item;
    }
  return NULL;
}

struct _MoveData
{
  CairnAppointment *appointment;   /* as it should be */
  gint64            old_start;
  gint64            old_end;
  gboolean          followers;     /* the later sessions of its course move too */
  CairnProtocol    *protocol;
  char             *reason;        /* to move over a clash */
  CairnSchedulePage *page;         /* not held: an Undo goes with the page's toaster, an answer
                                    * with its runner */
};

static void
move_data_free (MoveData *data)
{
  g_clear_pointer (&data->appointment, cairn_appointment_free);
  g_clear_pointer (&data->protocol, cairn_protocol_unref);
  g_free (data->reason);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoveData, move_data_free)

static MoveData *
move_data_new (CairnSchedulePage      *self,
               const CairnAppointment *appointment,
               gint64                  start,
               gint64                  end,
               gboolean                followers,
               const char             *reason)
{
  MoveData *data = g_new0 (MoveData, 1);

  data->appointment = cairn_appointment_copy (appointment);
  data->old_start = appointment->start;
  data->old_end = appointment->end;
  data->appointment->start = start;
  data->appointment->end = end;
  data->followers = followers;
  data->protocol = cairn_protocol_ref (self->protocol);
  data->reason = g_strdup (reason);
  data->page = self;
  return data;
}

static void run_move (CairnSchedulePage *self,
                      MoveData          *data);

static void
undo_move (gpointer user_data)
{
  MoveData *data = user_data;
  CairnSchedulePage *self = data->page;

  /* Back again, the ones that followed with it. */
  if (self->vault != NULL)
    run_move (self, move_data_new (self, data->appointment, data->old_start, data->old_end, data->followers,
                                   NULL));
}

static void
on_reason_changed_cb (GtkEditable      *entry,
                      AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "move", *text != '\0');
}

static void
on_clash_response_cb (AdwMessageDialog  *dialog,
                      const char        *response,
                      CairnSchedulePage *self)
{
  MoveData *data = g_object_get_data (G_OBJECT (dialog), "move");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason");

  if (self->dialog == GTK_WINDOW (dialog))
    self->dialog = NULL;
  if (g_strcmp0 (response, "move") == 0 && data != NULL && self->vault != NULL)
    {
      CairnAppointment *was = cairn_appointment_copy (data->appointment);

      was->start = data->old_start;
      was->end = data->old_end;
      run_move (self, move_data_new (self, was, data->appointment->start, data->appointment->end,
                                     data->followers, gtk_editable_get_text (entry)));
      cairn_appointment_free (was);
    }
  else
    cairn_schedule_page_load (self);
}

static void
ask_reason (CairnSchedulePage *self,
            MoveData          *data,
            const char        *clash)
{
  GtkWidget *dialog, *entry;
  MoveData *kept = g_new0 (MoveData, 1);

  kept->appointment = cairn_appointment_copy (data->appointment);
  kept->old_start = data->old_start;
  kept->old_end = data->old_end;
  kept->followers = data->followers;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Move Over a Clash?"), clash);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep It Where It Was"),
                                    "move", _("_Move Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Why it goes ahead (kept in the audit trail)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason to move anyway"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_reason_changed_cb), dialog);

  g_object_set_data_full (G_OBJECT (dialog), "move", kept, (GDestroyNotify) move_data_free);
  g_object_set_data (G_OBJECT (dialog), "reason", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_clash_response_cb), self, 0);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A move written: its toast offers to put it back. */
static void
say_moved (CairnSchedulePage *self,
           MoveData          *data,
           guint              moved)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (data->appointment->start);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->zone);
  /* TRANSLATORS: where an appointment was moved, as in "Tue 1 Dec, 10:00" (strftime) */
  g_autofree char *when = g_date_time_format (local, _("%a %-d %b, %H:%M"));
  g_autofree char *text = moved > 1
                          ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Moved to %s, with the session that follows",
                                                          "Moved to %s, with the %u sessions that follow",
                                                          moved - 1), when, moved - 1)
                          : g_strdup_printf (_("Moved to %s"), when);
  MoveData *undo = g_new0 (MoveData, 1);

  undo->appointment = cairn_appointment_copy (data->appointment);
  undo->old_start = data->old_start;
  undo->old_end = data->old_end;
  undo->followers = data->followers;
  undo->page = self;
  page_toast (self, text, undo);
}

/* A clash is not a failure here: the page asks for a reason. */
static void
move_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MoveData *data = user_data;
  CairnSchedulePage *self = data->page;
  g_autoptr(GError) error = NULL;
  guint moved = 0;

  self->moving = FALSE;
  if (!cairn_schedule_move_finish (CAIRN_VAULT (source), result, &moved, &error))
    {
      if (g_error_matches (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_CONFLICT))
        {
          ask_reason (self, data, error->message);
          return;
        }
      page_say (self, error->message);
      cairn_schedule_page_load (self);
      return;
    }
  say_moved (self, data, moved);
  cairn_schedule_page_load (self);
  cairn_schedule_view_select (self->view, data->appointment->id);
}

/* Takes data. */
static void
run_move (CairnSchedulePage *self,
          MoveData          *data)
{
  self->moving = TRUE;
  data->page = self;
  if (data->protocol == NULL)
    data->protocol = cairn_protocol_ref (self->protocol);
  cairn_schedule_move_async (self->vault, data->protocol, data->appointment->id, data->appointment->start,
                             data->appointment->end, data->followers, data->reason,
                             cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                             cairn_runner_track_data (self->runner, move_done_cb, data,
                                                      (GDestroyNotify) move_data_free));
}

static void
on_followers_response_cb (AdwMessageDialog  *dialog,
                          const char        *response,
                          CairnSchedulePage *self)
{
  MoveData *data = g_object_steal_data (G_OBJECT (dialog), "move");

  if (self->dialog == GTK_WINDOW (dialog))
    self->dialog = NULL;
  if (data == NULL || self->vault == NULL || g_strcmp0 (response, "cancel") == 0)
    {
      g_clear_pointer (&data, move_data_free);
      cairn_schedule_page_load (self);
      return;
    }
  data->followers = g_strcmp0 (response, "all") == 0;
  run_move (self, data);
}

/* Moving a medicine session asks first whether what follows from it
 * moves too. */
static void
count_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  MoveData *data = user_data;
  CairnSchedulePage *self = data->page;
  g_autoptr(GError) error = NULL;
  int following = cairn_schedule_count_following_finish (CAIRN_VAULT (source), result, &error);
  MoveData *kept;
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  g_autofree char *all = NULL;

  self->moving = FALSE;
  if (following < 0)
    {
      page_say (self, error->message);
      return;
    }
  kept = g_new0 (MoveData, 1);
  kept->appointment = cairn_appointment_copy (data->appointment);
  kept->old_start = data->old_start;
  kept->old_end = data->old_end;
  kept->protocol = cairn_protocol_ref (data->protocol);
  if (following == 0)
    {
      run_move (self, kept);
      return;
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "One session of the course follows this medicine session. It can move "
                                       "by as many days, keeping its time of day.",
                                       "%d sessions of the course follow this medicine session: its integration "
                                       "sessions and phone check-ins, and what comes after. They can move by as "
                                       "many days, each keeping its time of day.", following),
                          following);
  all = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Move _Both", "Move _All %d", following + 1),
                         following + 1);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Move What Follows Too?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "one", _("Only _This One"), "all", all, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "all", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "all");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "move", kept, (GDestroyNotify) move_data_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_followers_response_cb), self, 0);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_move_requested_cb (CairnSchedulePage *self,
                      const char        *id,
                      gint64             start,
                      gint64             end)
{
  const CairnAgendaItem *item = find_shown (self, id);
  const CairnAppointmentType *type;
  MoveData *data;

  if (item == NULL || self->vault == NULL || self->moving)
    return;
  type = cairn_protocol_find_type (self->protocol, item->appointment->type_id);
  data = move_data_new (self, item->appointment, start, end, FALSE, NULL);
  if (type == NULL || type->phase != CAIRN_PHASE_MEDICINE_SESSION || item->appointment->course_id == NULL ||
      item->appointment->start == start)
    {
      run_move (self, data);
      return;
    }
  self->moving = TRUE;
  cairn_schedule_count_following_async (self->vault, data->appointment->id,
                                        cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                                        cairn_runner_track_data (self->runner, count_done_cb, data,
                                                                 (GDestroyNotify) move_data_free));
}

/* ------------------------------------------------------------------------ */
/* Dialogs                                                                   */

static void
on_dialog_saved_cb (CairnSchedulePage      *self,
                    const char             *id,
                    CairnAppointmentDialog *dialog)
{
  cairn_schedule_page_load (self);
}

static void
on_dialog_destroyed_cb (CairnSchedulePage *self,
                        GtkWindow         *dialog)
{
  if (self->dialog == dialog)
    self->dialog = NULL;
}

static void
present_dialog (CairnSchedulePage     *self,
                const CairnAgendaItem *item,
                gint64                 start)
{
  CairnAppointmentDialog *dialog;

  if (self->vault == NULL || self->zone == NULL)
    return;
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);

  dialog = cairn_appointment_dialog_new (self->context, item, start);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_dialog_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_item_activated_cb (CairnSchedulePage *self,
                      const char        *id)
{
  const CairnAgendaItem *item = find_shown (self, id);

  if (item != NULL)
    present_dialog (self, item, 0);
}

static void
on_slot_activated_cb (CairnSchedulePage *self,
                      gint64             start)
{
  present_dialog (self, NULL, start);
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                   */

static void
step (CairnSchedulePage *self,
      int                direction)
{
  if (self->zone == NULL)
    return;
  if (direction == 0)
    today (self, &self->day);
  else if (direction > 0)
    g_date_add_days (&self->day, n_days (self));
  else
    g_date_subtract_days (&self->day, n_days (self));
  show_range (self);
  cairn_schedule_page_load (self);
}

static void
cairn_schedule_page_step_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (widget);

  step (self, g_str_equal (action_name, "schedule.next") ? 1 : g_str_equal (action_name, "schedule.previous")
              ? -1 : 0);
}

/* A new appointment starts at the next quarter hour of the day shown, or
 * at nine on a day that is not today. */
static gint64
default_start (CairnSchedulePage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  GDate day = first_day (self);
  GDate now_day;
  g_autoptr(GDateTime) start = NULL;

  today (self, &now_day);
  if (n_days (self) == 1 ? g_date_compare (&day, &now_day) == 0
      : g_date_days_between (&day, &now_day) >= 0 && g_date_days_between (&day, &now_day) < 7)
    {
      int minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);

      minute = (minute + 14) / 15 * 15;
      if (minute < 23 * 60)
        {
          start = g_date_time_new (self->zone, g_date_time_get_year (now), g_date_time_get_month (now),
                                   g_date_time_get_day_of_month (now), minute / 60, minute % 60, 0);
          return g_date_time_to_unix (start);
        }
    }
  start = g_date_time_new (self->zone, g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day),
                           9, 0, 0);
  return g_date_time_to_unix (start);
}

static void
cairn_schedule_page_new_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (widget);

  if (self->zone != NULL)
    present_dialog (self, NULL, default_start (self));
}

static gboolean
on_new_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  if (!gtk_widget_get_mapped (widget) || CAIRN_SCHEDULE_PAGE (widget)->vault == NULL)
    return FALSE;
  return gtk_widget_activate_action (widget, "schedule.new", NULL);
}

/* ------------------------------------------------------------------------ */
/* Day sheet and calendar                                                    */

/* The day a day sheet is for: the day shown, or in the week view the day
 * the week was reached by (today, at first). */
static GDate
sheet_day (CairnSchedulePage *self)
{
  return self->day;
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CairnSchedulePage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cairn_schedule_export_finish (CAIRN_VAULT (source), result, &error);

  self->exports--;
  if (path == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Nothing was saved: %s"), error->message);

      page_say (self, text);
      return;
    }
  {
    g_autofree char *name = g_path_get_basename (path);
    g_autofree char *text = g_strdup_printf (_("Saved as “%s”"), name);

    page_say (self, text);
  }
}

/**
 * cairn_schedule_page_save_day_sheet:
 * @self: the page
 * @file: where to write the PDF
 *
 * Saves the day sheet of the day shown as a PDF, replacing @file whole,
 * and records it in the audit trail. A toast says how it went.
 */
void
cairn_schedule_page_save_day_sheet (CairnSchedulePage *self,
                                    GFile             *file)
{
  GDate day;
  g_autofree char *path = NULL;

  g_return_if_fail (CAIRN_IS_SCHEDULE_PAGE (self) && G_IS_FILE (file));

  if (self->vault == NULL || self->zone == NULL)
    return;
  day = sheet_day (self);
  path = g_file_get_path (file);
  self->exports++;
  cairn_schedule_save_day_sheet_async (self->vault, &day, self->protocol, path,
                                       cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                                       cairn_runner_track (self->runner, export_done_cb, self));
}

/**
 * cairn_schedule_page_export_calendar:
 * @self: the page
 * @staff_id: whose appointments
 * @with_names: whether patients appear by name rather than by initials
 * @file: where to write the iCalendar file
 *
 * Writes a staff member's appointments from the first day shown for
 * thirteen weeks, replacing @file whole; the vault audits the export.
 */
void
cairn_schedule_page_export_calendar (CairnSchedulePage *self,
                                     const char        *staff_id,
                                     gboolean           with_names,
                                     GFile             *file)
{
  GDate first;
  g_autoptr(GDateTime) midnight = NULL;
  g_autofree char *path = NULL;
  gint64 from;

  g_return_if_fail (CAIRN_IS_SCHEDULE_PAGE (self) && staff_id != NULL && G_IS_FILE (file));

  if (self->vault == NULL || self->zone == NULL)
    return;
  first = first_day (self);
  midnight = local_midnight (self, &first);
  from = g_date_time_to_unix (midnight);
  path = g_file_get_path (file);
  self->exports++;
  cairn_schedule_export_calendar_async (self->vault, staff_id, from, from + 13 * 7 * 86400, self->protocol,
                                        with_names, path, cairn_runner_get_cancellable (self->runner),
                                        cairn_runner_answered,
                                        cairn_runner_track (self->runner, export_done_cb, self));
}

static void
on_sheet_chosen_cb (GtkNativeDialog   *chooser,
                    int                response,
                    CairnSchedulePage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      cairn_schedule_page_save_day_sheet (self, file);
    }
  g_object_unref (chooser);
}

static GtkFileChooserNative *
save_chooser (CairnSchedulePage *self,
              const char        *title,
              const char        *name)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title,
                                                               GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  return chooser;
}

static void
cairn_schedule_page_save_day_sheet_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (widget);
  GDate day = sheet_day (self);
  char iso[16];
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->zone == NULL)
    return;
  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &day);
  /* TRANSLATORS: the file name offered for a day sheet; %s is the date, 2026-12-01 */
  name = g_strdup_printf (_("day-sheet-%s.pdf"), iso);
  chooser = save_chooser (self, _("Save Day Sheet"), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_sheet_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Printing: the rows are read first, then laid out page by page at the
 * printer's paper size with the same drawing as the PDF. */
static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   CairnScheduleSheet *data)
{
  cairo_surface_t *scratch = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (scratch);
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint row = 0;

  do
    {
      guint next = row;

      g_array_append_val (starts, row);
      cairn_day_sheet_draw (cr, gtk_print_context_get_width (context), gtk_print_context_get_height (context),
                            data->practice, &data->day, data->zone, data->rows, &data->audit_head, row, &next);
      if (next == row)
        break;
      row = next;
    }
  while (row < data->rows->len);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);

  g_object_set_data_full (G_OBJECT (operation), "starts", starts, (GDestroyNotify) g_array_unref);
  gtk_print_operation_set_n_pages (operation, starts->len);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page,
                 CairnScheduleSheet *data)
{
  GArray *starts = g_object_get_data (G_OBJECT (operation), "starts");
  guint next = 0;

  cairn_day_sheet_draw (gtk_print_context_get_cairo_context (context), gtk_print_context_get_width (context),
                        gtk_print_context_get_height (context), data->practice, &data->day, data->zone,
                        data->rows, &data->audit_head, g_array_index (starts, guint, page), &next);
}

static void
record_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CairnSchedulePage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cairn_schedule_record_print_finish (CAIRN_VAULT (source), result, &error))
    page_say (self, error->message);
}

static void
on_print_done_cb (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  CairnSchedulePage       *self)
{
  CairnScheduleSheet *data = g_object_get_data (G_OBJECT (operation), "data");

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      text = g_strdup_printf (_("The day sheet was not printed: %s"), error != NULL ? error->message : "");
      page_say (self, text);
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY && self->vault != NULL)
    cairn_schedule_record_print_async (self->vault, &data->day,
                                       cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                                       cairn_runner_track (self->runner, record_done_cb, self));
  g_object_unref (operation);
}

static void
read_sheet_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CairnSchedulePage *self = user_data;
  g_autoptr(GError) error = NULL;
  CairnScheduleSheet *kept = cairn_schedule_read_day_sheet_finish (CAIRN_VAULT (source), result, &error);
  GtkPrintOperation *operation;
  GtkPrintOperationResult outcome;

  self->exports--;
  if (kept == NULL)
    {
      page_say (self, error->message);
      return;
    }

  /* The operation keeps the sheet while it prints. */
  operation = gtk_print_operation_new ();
  g_object_set_data_full (G_OBJECT (operation), "data", kept, (GDestroyNotify) cairn_schedule_sheet_free);
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_job_name (operation, _("Day sheet"));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  cairn_print_operation_keep_private (operation);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), kept);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), kept);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done_cb), self, 0);
  outcome = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                     GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL);
  if (outcome != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    on_print_done_cb (operation, outcome, self);
}

static void
cairn_schedule_page_print_day_sheet_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (widget);
  GDate day;

  if (self->vault == NULL || self->zone == NULL)
    return;
  day = sheet_day (self);
  self->exports++;
  cairn_schedule_read_day_sheet_async (self->vault, &day, self->protocol,
                                       cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                                       cairn_runner_track (self->runner, read_sheet_done_cb, self));
}

/* The calendar export asks whose, and whether with names, then where. */
typedef struct
{
  CairnSchedulePage *self;
  GPtrArray         *staff;
  GtkDropDown       *who;
  GtkCheckButton    *names;
} CalendarAsk;

static void
calendar_ask_free (CalendarAsk *ask)
{
  g_clear_object (&ask->self);
  g_clear_pointer (&ask->staff, g_ptr_array_unref);
  g_free (ask);
}

static void
on_calendar_chosen_cb (GtkNativeDialog *chooser,
                       int              response,
                       CalendarAsk     *ask)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const CairnNamed *person = g_ptr_array_index (ask->staff, gtk_drop_down_get_selected (ask->who));

      cairn_schedule_page_export_calendar (ask->self, person->id, gtk_check_button_get_active (ask->names), file);
    }
  g_object_unref (chooser);
}

static void
on_calendar_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         CalendarAsk      *ask)
{
  CairnSchedulePage *self = ask->self;
  GtkFileChooserNative *chooser;

  if (self->dialog == GTK_WINDOW (dialog))
    self->dialog = NULL;
  if (g_strcmp0 (response, "export") != 0 || self->vault == NULL)
    return;
  chooser = save_chooser (self, _("Export Calendar"), _("appointments.ics"));
  /* The question goes when it is answered; the choice goes on with the
   * chooser. */
  ask = g_object_steal_data (G_OBJECT (dialog), "ask");
  g_object_set_data_full (G_OBJECT (chooser), "ask", ask, (GDestroyNotify) calendar_ask_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_calendar_chosen_cb), ask);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
staff_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CairnSchedulePage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) everyone = cairn_schedule_list_staff_finish (CAIRN_VAULT (source), result, &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  CalendarAsk *ask;
  GtkWidget *dialog, *box;
  GDate first;
  g_autofree char *from = NULL;
  g_autofree char *body = NULL;

  if (everyone == NULL)
    {
      page_say (self, error->message);
      return;
    }

  ask = g_new0 (CalendarAsk, 1);
  ask->self = g_object_ref (self);
  ask->staff = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_named_free);
  for (guint i = 0; i < everyone->len; i++)
    {
      CairnNamed *person = g_ptr_array_index (everyone, i);

      if (!person->clinician)
        continue;
      gtk_string_list_append (names, person->name);
      g_ptr_array_add (ask->staff, g_ptr_array_steal_index (everyone, i--));
    }

  first = first_day (self);
  /* TRANSLATORS: the first day of an exported calendar, as in "30 November 2026" (strftime) */
  from = format_day (self, &first, _("%-d %B %Y"));
  body = g_strdup_printf (_("Thirteen weeks of appointments from %s, as a file any calendar program opens. "
                            "Patients appear by their initials unless you choose otherwise. The export is "
                            "kept in the audit trail."), from);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Export a Clinician’s Calendar"), body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  ask->who = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (ask->who), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Clinician"), -1);
  ask->names = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("Include patients’ full _names")));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (ask->who));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (ask->names));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "export", _("_Export…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "export", ask->staff->len > 0);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "export");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ask", ask, (GDestroyNotify) calendar_ask_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_calendar_response_cb), ask);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cairn_schedule_page_export_calendar_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (widget);

  if (self->vault == NULL || self->zone == NULL)
    return;
  cairn_schedule_list_staff_async (self->vault, cairn_runner_get_cancellable (self->runner),
                                   cairn_runner_answered,
                                   cairn_runner_track (self->runner, staff_done_cb, self));
}

/* ------------------------------------------------------------------------ */
/* Following the vault                                                       */

static void
cairn_schedule_page_clear (CairnSchedulePage *self)
{
  cairn_runner_cancel (self->runner);
  cairn_loader_clear (self->loader);
  self->exports = 0;
  self->moving = FALSE;
  if (self->dialog != NULL)
    gtk_window_destroy (g_steal_pointer (&self->dialog));
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
  cairn_schedule_view_clear (self->view);
  g_clear_pointer (&self->rules, cairn_practice_rules_free);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_object (&self->vault);
  gtk_label_set_text (self->title_label, "");
  gtk_stack_set_visible_child_name (self->states, "blank");
}

static void
on_vault_changed_cb (CairnSchedulePage *self)
{
  CairnVault *vault = self->context != NULL ? cairn_context_get_vault (self->context) : NULL;

  if (vault == self->vault && vault != NULL)
    return;
  cairn_schedule_page_clear (self);
  g_date_clear (&self->day, 1);
  if (vault != NULL)
    {
      g_set_object (&self->vault, vault);
      cairn_schedule_page_load (self);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.new", vault != NULL);
}

/* The practice chose or edited its protocol template: the grid names and
 * colours appointment types by it. */
static void
on_protocol_changed_cb (CairnSchedulePage *self)
{
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  self->protocol = cairn_protocol_ref (cairn_context_get_protocol (self->context));
  cairn_schedule_view_set_protocol (self->view, self->protocol);
  if (self->vault != NULL && self->zone != NULL)
    cairn_schedule_page_load (self);
}

/* ------------------------------------------------------------------------ */

static void
cairn_schedule_page_map (GtkWidget *widget)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (widget);

  GTK_WIDGET_CLASS (cairn_schedule_page_parent_class)->map (widget);
  /* Coming back to the page shows what others booked meanwhile. */
  if (self->zone != NULL)
    cairn_schedule_page_load (self);
}

static void
cairn_schedule_page_dispose (GObject *object)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (object);

  if (self->context_signals != NULL)
    g_signal_group_set_target (self->context_signals, NULL);
  g_clear_object (&self->context_signals);
  if (self->runner != NULL)
    cairn_schedule_page_clear (self);
  g_clear_object (&self->runner);
  g_clear_object (&self->context);
  g_clear_object (&self->toaster);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_SCHEDULE_PAGE);

  G_OBJECT_CLASS (cairn_schedule_page_parent_class)->dispose (object);
}

static void
cairn_schedule_page_finalize (GObject *object)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (object);

  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_free (self->mode);

  G_OBJECT_CLASS (cairn_schedule_page_parent_class)->finalize (object);
}

static void
cairn_schedule_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_string (value, self->mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_schedule_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CairnSchedulePage *self = CAIRN_SCHEDULE_PAGE (object);

  switch (prop_id)
    {
    case PROP_MODE:
      {
        const char *mode = g_strcmp0 (g_value_get_string (value), "week") == 0 ? "week" : "day";

        if (g_strcmp0 (mode, self->mode) == 0)
          return;
        g_free (self->mode);
        self->mode = g_strdup (mode);
        if (self->zone != NULL)
          {
            show_range (self);
            cairn_schedule_page_load (self);
          }
        g_object_notify_by_pspec (object, pspec);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_schedule_page_class_init (CairnSchedulePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_schedule_page_dispose;
  object_class->finalize = cairn_schedule_page_finalize;
  object_class->get_property = cairn_schedule_page_get_property;
  object_class->set_property = cairn_schedule_page_set_property;
  widget_class->map = cairn_schedule_page_map;

  /**
   * CairnSchedulePage:mode:
   *
   * "day" or "week".
   */
  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, "week",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CAIRN_TYPE_LOADER);
  g_type_ensure (CAIRN_TYPE_SCHEDULE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/schedule/cairn-schedule-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnSchedulePage, day_header);
  gtk_widget_class_bind_template_child (widget_class, CairnSchedulePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CairnSchedulePage, states);
  gtk_widget_class_bind_template_child (widget_class, CairnSchedulePage, loader);
  gtk_widget_class_bind_template_child (widget_class, CairnSchedulePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CairnSchedulePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CairnSchedulePage, view);
  gtk_widget_class_bind_template_callback (widget_class, on_item_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_move_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_slot_activated_cb);

  gtk_widget_class_install_action (widget_class, "schedule.previous", NULL, cairn_schedule_page_step_action);
  gtk_widget_class_install_action (widget_class, "schedule.next", NULL, cairn_schedule_page_step_action);
  gtk_widget_class_install_action (widget_class, "schedule.today", NULL, cairn_schedule_page_step_action);
  gtk_widget_class_install_action (widget_class, "schedule.new", NULL, cairn_schedule_page_new_action);
  gtk_widget_class_install_property_action (widget_class, "schedule.mode", "mode");
  gtk_widget_class_install_action (widget_class, "schedule.print-day-sheet", NULL,
                                   cairn_schedule_page_print_day_sheet_action);
  gtk_widget_class_install_action (widget_class, "schedule.save-day-sheet", NULL,
                                   cairn_schedule_page_save_day_sheet_action);
  gtk_widget_class_install_action (widget_class, "schedule.export-calendar", NULL,
                                   cairn_schedule_page_export_calendar_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "schedule.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "schedule.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "schedule.today", NULL);
}

static void
cairn_schedule_page_init (CairnSchedulePage *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->toaster = cairn_toaster_new (GTK_WIDGET (self->toast_overlay));

  self->mode = g_strdup ("week");
  self->runner = cairn_runner_new ();
  cairn_loader_setup (self->loader, read_screen, range_copy, g_free, (GDestroyNotify) cairn_schedule_screen_free,
                      show_screen, self);
  self->protocol = cairn_protocol_load_default ();
  g_date_clear (&self->day, 1);
  cairn_schedule_view_set_protocol (self->view, self->protocol);

  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_n, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (on_new_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  self->context_signals = g_signal_group_new (CAIRN_TYPE_CONTEXT);
  g_signal_group_connect_object (self->context_signals, "notify::vault",
                                 G_CALLBACK (on_vault_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->context_signals, "protocol-changed",
                                 G_CALLBACK (on_protocol_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.new", FALSE);
  gtk_stack_set_visible_child_name (self->states, "blank");
}

/**
 * cairn_schedule_page_set_context:
 * @self: the page
 * @context: (nullable): the context whose vault to show
 */
void
cairn_schedule_page_set_context (CairnSchedulePage *self,
                                     CairnContext      *context)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_PAGE (self));
  g_return_if_fail (context == NULL || CAIRN_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;
  g_signal_group_set_target (self->context_signals, context);
  if (context != NULL)
    on_protocol_changed_cb (self);
  on_vault_changed_cb (self);
}

CairnScheduleView *
cairn_schedule_page_get_view (CairnSchedulePage *self)
{
  g_return_val_if_fail (CAIRN_IS_SCHEDULE_PAGE (self), NULL);
  return self->view;
}

/**
 * cairn_schedule_page_go_to:
 * @self: the page
 * @day: a local day to show (its week, in the week view)
 */
void
cairn_schedule_page_go_to (CairnSchedulePage *self,
                           const GDate       *day)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_PAGE (self));
  g_return_if_fail (day != NULL && g_date_valid (day));

  self->day = *day;
  if (self->zone != NULL)
    {
      show_range (self);
      cairn_schedule_page_load (self);
    }
}

/* Whether a read or a move is under way: for tests. */
gboolean
cairn_schedule_page_get_busy (CairnSchedulePage *self)
{
  g_return_val_if_fail (CAIRN_IS_SCHEDULE_PAGE (self), FALSE);
  return cairn_loader_get_busy (self->loader) || self->moving || self->exports > 0 ||
         (self->vault != NULL && self->zone == NULL && !cairn_loader_get_failed (self->loader));
}

/**
 * cairn_schedule_page_get_dialog:
 * @self: the page
 *
 * Returns: (transfer none) (nullable): the appointment dialog or the
 *   question about a clash, while one is open
 */
GtkWindow *
cairn_schedule_page_get_dialog (CairnSchedulePage *self)
{
  g_return_val_if_fail (CAIRN_IS_SCHEDULE_PAGE (self), NULL);
  return self->dialog;
}
