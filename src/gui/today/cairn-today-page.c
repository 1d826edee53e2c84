/* cairn-today-page.c
 *
 * The Today page: the front desk's day at a glance. Who comes, in the
 * order they come, with a button to check each one in or mark a no-show;
 * the day's phone check-ins; and what each room holds. A row opens the
 * appointment, where it can also be cancelled with a reason.
 *
 * The page reads the day again whenever it is shown and every minute
 * while it is, so arrivals checked in at another desk appear, and the
 * list turns over at midnight. When Cairn locks it lets go of every row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-today"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-agenda.h"
#include "cairn-appointment-dialog.h"
#include "cairn-item.h"
#include "cairn-loader.h"
#include "cairn-runner.h"
#include "cairn-today-page.h"
#include "cairn-today-screen.h"
#include "cairn-toaster.h"

#define REFRESH_SECONDS 60

struct _CairnTodayPage
{
  GtkWidget           parent_instance;

  CairnContext       *context;
  GSignalGroup       *context_signals;
  CairnVault         *vault;
  CairnRunner        *runner;       /* the check-ins and no-shows */
  CairnProtocol      *protocol;
  GTimeZone          *zone;
  GPtrArray          *items;        /* of CairnAgendaItem: today's */
  GHashTable         *clashes;      /* of items: id → CairnConflictKind */
  GListStore         *day;          /* of CairnItem: items, split below */
  GtkFilterListModel *arrivals;     /* those who come in */
  GtkFilterListModel *calls;        /* the phone check-ins */
  GListStore         *rooms;        /* of CairnItem: CairnNamed, the rooms in use */
  gint64              fixed_now;    /* for tests and pictures; 0 is the clock */
  guint               refresh_id;
  GtkWindow          *dialog;

  /* Template widgets */
  GtkListBox         *arrivals_list;
  AdwPreferencesGroup *arrivals_group;
  GtkListBox         *calls_list;
  AdwPreferencesGroup *calls_group;
  GtkLabel           *day_label;
  GtkListBox         *rooms_list;
  AdwPreferencesGroup *rooms_group;
  GtkStack           *states;
  CairnLoader        *loader;
  GtkLabel           *summary_label;
  AdwToastOverlay    *toast_overlay;
  CairnToaster       *toaster;
};

G_DEFINE_FINAL_TYPE (CairnTodayPage, cairn_today_page, GTK_TYPE_WIDGET)

static void cairn_today_page_load (CairnTodayPage *self);

static gint64
page_now (CairnTodayPage *self)
{
  return self->fixed_now != 0 ? self->fixed_now : g_get_real_time () / G_USEC_PER_SEC;
}

static GDateTime *
local_time (CairnTodayPage *self,
            gint64          utc)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (utc);

  return g_date_time_to_timezone (t, self->zone);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

static gpointer
read_screen (CairnVault     *vault,
             gconstpointer   request,
             gint64          now,
             GError        **error)
{
  return cairn_today_screen_load (vault, now, error);
}

static char *
times_text (CairnTodayPage         *self,
            const CairnAppointment *a)
{
  g_autoptr(GDateTime) from = local_time (self, a->start);
  g_autoptr(GDateTime) to = local_time (self, a->end);

  return g_strdup_printf ("%02d:%02d–%02d:%02d", g_date_time_get_hour (from), g_date_time_get_minute (from),
                          g_date_time_get_hour (to), g_date_time_get_minute (to));
}

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "checked-in") == 0)
    return _("Arrived");
  if (g_strcmp0 (status, "no-show") == 0)
    return _("No-show");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Done");
  return NULL;
}

/* What an arrival booked over another is told, on its row. */
static const char *
clash_text (CairnConflictKind kind)
{
  switch (kind)
    {
    case CAIRN_CONFLICT_PATIENT:
      return _("Clash: the patient is booked twice at this time");
    case CAIRN_CONFLICT_STAFF:
      return _("Clash: a therapist is booked twice at this time");
    case CAIRN_CONFLICT_ROOM:
      return _("Clash: the room is booked twice at this time");
    default:
      return NULL;
    }
}

static GtkWidget *
status_button (const char *label,
               const char *action,
               const char *id,
               gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static gboolean
is_call (CairnTodayPage        *self,
         const CairnAgendaItem *item)
{
  const CairnAppointmentType *type = cairn_protocol_find_type (self->protocol, item->appointment->type_id);

  return type != NULL && type->by_phone;
}

static gboolean
arrival_filter (gpointer object,
                gpointer user_data)
{
  return !is_call (user_data, cairn_item_get (object));
}

static gboolean
call_filter (gpointer object,
             gpointer user_data)
{
  return is_call (user_data, cairn_item_get (object));
}

static GtkWidget *
appointment_row (gpointer object,
                 gpointer user_data)
{
  CairnTodayPage *self = user_data;
  const CairnAgendaItem *item = cairn_item_get (object);
  const CairnAppointment *a = item->appointment;
  const CairnAppointmentType *type = cairn_protocol_find_type (self->protocol, a->type_id);
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GDateTime) from = local_time (self, a->start);
  g_autofree char *hour = g_strdup_printf ("%02d:%02d", g_date_time_get_hour (from), g_date_time_get_minute (from));
  g_autofree char *times = times_text (self, a);
  GString *subtitle = g_string_new (times);
  const char *status = status_text (a->status);
  GtkWidget *time_label = gtk_label_new (hour);
  const char *clash = self->clashes != NULL
                      ? clash_text (GPOINTER_TO_UINT (g_hash_table_lookup (self->clashes, a->id)))
                      : NULL;

  g_string_append_printf (subtitle, " · %s", type != NULL ? type->name : a->type_id);
  if (item->room != NULL)
    g_string_append_printf (subtitle, " · %s", item->room);
  if (item->staff != NULL)
    g_string_append_printf (subtitle, " · %s", item->staff);
  if (clash != NULL)
    g_string_append_printf (subtitle, "\n%s", clash);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->patient != NULL ? item->patient
                                                                              : _("Staff time"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), clash != NULL ? 3 : 2);
  g_string_free (subtitle, TRUE);

  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_add_css_class (time_label, "heading");
  gtk_widget_set_valign (time_label, GTK_ALIGN_CENTER);
  if (clash == NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), time_label);
  else
    {
      /* Under the time, so that a narrow row loses no width to it. */
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, clash);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, clash, -1);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), time_label);
      gtk_box_append (GTK_BOX (box), icon);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), box);
    }

  if (status != NULL)
    {
      GtkWidget *label = gtk_label_new (status);

      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, g_strcmp0 (a->status, "checked-in") == 0 ? "success" : "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      if (g_strcmp0 (a->status, "cancelled") == 0 || g_strcmp0 (a->status, "no-show") == 0)
        gtk_widget_add_css_class (row, "dim-label");
    }
  else if (type == NULL || !type->by_phone)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), status_button (_("No-_Show"), "today.no-show", a->id, FALSE));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), status_button (_("_Check In"), "today.check-in", a->id,
                                                                       TRUE));
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (cairn_item_get_index (object)));
  return row;
}

static GtkWidget *
room_row (gpointer object,
          gpointer user_data)
{
  CairnTodayPage *self = user_data;
  const CairnNamed *room = cairn_item_get (object);
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) uses = g_string_new (NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (self->items, i);
      g_autofree char *times = NULL;

      if (g_strcmp0 (item->appointment->room_id, room->id) != 0 ||
          g_strcmp0 (item->appointment->status, "cancelled") == 0)
        continue;
      times = times_text (self, item->appointment);
      g_string_append_printf (uses, "%s%s %s", uses->len > 0 ? " · " : "", times,
                              item->patient != NULL ? item->patient : _("Staff time"));
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), room->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), uses->len > 0 ? uses->str : _("Free all day"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static void
show_day (CairnTodayPage *self,
          GPtrArray      *rooms)
{
  g_autoptr(GDateTime) now = local_time (self, page_now (self));
  /* TRANSLATORS: today's date as a heading, as in "Monday, 30 November" (strftime) */
  g_autofree char *day = g_date_time_format (now, _("%A, %-d %B"));
  guint arrivals = 0, arrived = 0, calls = 0, open = 0;
  g_autofree char *summary = NULL;

  /* The filters read the template, which may have changed since. */
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->arrivals), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->calls), GTK_FILTER_CHANGE_DIFFERENT);
  cairn_item_store_fill (self->day, self->items);
  cairn_item_store_fill (self->rooms, rooms);
  for (guint i = 0; i < self->items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (self->items, i);

      if (is_call (self, item))
        calls++;
      else
        {
          arrivals++;
          if (g_strcmp0 (item->appointment->status, "checked-in") == 0)
            arrived++;
          else if (g_strcmp0 (item->appointment->status, "booked") == 0)
            open++;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->arrivals_group), arrivals > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->calls_group), calls > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->rooms_group), rooms->len > 0);

  gtk_label_set_text (self->day_label, day);
  /* TRANSLATORS: the day's summary, as in "6 arrivals: 2 here, 3 still to come" */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u arrival: %u here, %u still to come",
                                          "%u arrivals: %u here, %u still to come", arrivals),
                             arrivals, arrived, open);
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), arrivals > 0);
  gtk_stack_set_visible_child_name (self->states, self->items->len > 0 ? "day" : "empty");
}

static void
show_screen (gpointer user_data,
             gpointer result)
{
  CairnTodayPage *self = user_data;
  g_autoptr(CairnTodayScreen) screen = result;

  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = g_steal_pointer (&screen->zone);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_steal_pointer (&screen->items);
  g_clear_pointer (&self->clashes, g_hash_table_unref);
  self->clashes = g_steal_pointer (&screen->clashes);
  show_day (self, screen->rooms);
}

/* Reads the day: anew, or again with what is shown kept until the answer
 * replaces it. */
static void
cairn_today_page_load (CairnTodayPage *self)
{
  if (self->vault == NULL)
    return;
  if (self->items == NULL)
    cairn_loader_load (self->loader, self->vault, NULL);
  else
    cairn_loader_reload (self->loader);
}

/* ------------------------------------------------------------------------ */
/* Arrivals                                                                  */

/* A check-in or no-show, and what the arrival was before: its Undo. The
 * page is not held: its runner and its toaster, which hold this, go with
 * it (and the page dismisses its toaster when it clears). */
typedef struct
{
  CairnTodayPage *self;
  char           *id;
  char           *status;      /* what it becomes */
  char           *before;      /* what it was */
} StatusChange;

static void
status_change_free (StatusChange *change)
{
  g_free (change->id);
  g_free (change->status);
  g_free (change->before);
  g_free (change);
}

static StatusChange *
status_change_new (CairnTodayPage *self,
                   const char     *id,
                   const char     *status,
                   const char     *before)
{
  StatusChange *change = g_new0 (StatusChange, 1);

  change->self = self;
  change->id = g_strdup (id);
  change->status = g_strdup (status);
  change->before = g_strdup (before);
  return change;
}

static void run_status_change (CairnTodayPage *self,
                               const char     *id,
                               const char     *status,
                               const char     *before);

static void
undo_status_change (gpointer user_data)
{
  StatusChange *change = user_data;

  /* Back as it was; the undo is a change of its own in the audit trail. */
  if (change->self->vault != NULL)
    run_status_change (change->self, change->id, change->before, NULL);
}

static void
status_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  StatusChange *change = user_data;
  CairnTodayPage *self = change->self;
  g_autoptr(GError) error = NULL;

  if (!cairn_today_set_status_finish (CAIRN_VAULT (source), result, &error))
    cairn_toaster_say (self->toaster, error->message);
  else if (change->before == NULL)
    cairn_toaster_say (self->toaster, _("Undone"));
  else
    cairn_toaster_say_with_action (self->toaster,
                                   g_str_equal (change->status, "checked-in") ? _("Checked in")
                                                                              : _("Marked as a no-show"),
                                   _("_Undo"), 0, undo_status_change,
                                   status_change_new (self, change->id, change->status, change->before),
                                   (GDestroyNotify) status_change_free);
  cairn_today_page_load (self);
}

/* Sets an arrival's status; with @before, the toast offers to set it back. */
static void
run_status_change (CairnTodayPage *self,
                   const char     *id,
                   const char     *status,
                   const char     *before)
{
  StatusChange *change = status_change_new (self, id, status, before);

  cairn_today_set_status_async (self->vault, id, status, cairn_runner_get_cancellable (self->runner),
                                cairn_runner_answered,
                                cairn_runner_track_data (self->runner, status_done_cb, change,
                                                         (GDestroyNotify) status_change_free));
}

static void
cairn_today_page_status_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CairnTodayPage *self = CAIRN_TODAY_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  const char *before = "booked";

  if (self->vault == NULL)
    return;
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (item->appointment->id, id) == 0)
        before = item->appointment->status;
    }
  run_status_change (self, id, g_str_equal (action_name, "today.check-in") ? "checked-in" : "no-show", before);
}

static void
on_dialog_saved_cb (CairnTodayPage *self)
{
  cairn_today_page_load (self);
}

static void
on_dialog_destroyed_cb (CairnTodayPage *self,
                        GtkWindow      *dialog)
{
  if (self->dialog == dialog)
    self->dialog = NULL;
}

static void
on_row_activated_cb (CairnTodayPage *self,
                     GtkListBoxRow  *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));
  CairnAppointmentDialog *dialog;

  if (self->vault == NULL || self->items == NULL || index >= self->items->len)
    return;
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  dialog = cairn_appointment_dialog_new (self->context, g_ptr_array_index (self->items, index), 0);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_dialog_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Following the vault                                                       */

static void
cairn_today_page_clear (CairnTodayPage *self)
{
  cairn_runner_cancel (self->runner);
  cairn_loader_clear (self->loader);
  if (self->dialog != NULL)
    gtk_window_destroy (g_steal_pointer (&self->dialog));
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
  g_list_store_remove_all (self->day);
  g_list_store_remove_all (self->rooms);
  gtk_label_set_text (self->day_label, "");
  gtk_label_set_text (self->summary_label, "");
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->clashes, g_hash_table_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_object (&self->vault);
  gtk_stack_set_visible_child_name (self->states, "blank");
}

static void
on_vault_changed_cb (CairnTodayPage *self)
{
  CairnVault *vault = self->context != NULL ? cairn_context_get_vault (self->context) : NULL;

  if (vault == self->vault && vault != NULL)
    return;
  cairn_today_page_clear (self);
  if (vault != NULL)
    {
      g_set_object (&self->vault, vault);
      cairn_today_page_load (self);
    }
}

static void
on_protocol_changed_cb (CairnTodayPage *self)
{
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  self->protocol = cairn_protocol_ref (cairn_context_get_protocol (self->context));
  if (self->vault != NULL && self->items != NULL)
    cairn_today_page_load (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  cairn_today_page_load (user_data);
  return G_SOURCE_CONTINUE;
}

static void
cairn_today_page_map (GtkWidget *widget)
{
  CairnTodayPage *self = CAIRN_TODAY_PAGE (widget);

  GTK_WIDGET_CLASS (cairn_today_page_parent_class)->map (widget);
  if (self->items != NULL)
    cairn_today_page_load (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

static void
cairn_today_page_unmap (GtkWidget *widget)
{
  CairnTodayPage *self = CAIRN_TODAY_PAGE (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (cairn_today_page_parent_class)->unmap (widget);
}

static void
cairn_today_page_dispose (GObject *object)
{
  CairnTodayPage *self = CAIRN_TODAY_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->context_signals != NULL)
    g_signal_group_set_target (self->context_signals, NULL);
  g_clear_object (&self->context_signals);
  if (self->runner != NULL)
    cairn_today_page_clear (self);
  g_clear_object (&self->runner);
  g_clear_object (&self->context);
  g_clear_object (&self->toaster);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_TODAY_PAGE);

  G_OBJECT_CLASS (cairn_today_page_parent_class)->dispose (object);
}

static void
cairn_today_page_finalize (GObject *object)
{
  CairnTodayPage *self = CAIRN_TODAY_PAGE (object);

  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_clear_object (&self->day);
  g_clear_object (&self->arrivals);
  g_clear_object (&self->calls);
  g_clear_object (&self->rooms);

  G_OBJECT_CLASS (cairn_today_page_parent_class)->finalize (object);
}

static void
cairn_today_page_class_init (CairnTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_today_page_dispose;

  g_type_ensure (CAIRN_TYPE_LOADER);
  object_class->finalize = cairn_today_page_finalize;
  widget_class->map = cairn_today_page_map;
  widget_class->unmap = cairn_today_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/today/cairn-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, arrivals_group);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, arrivals_list);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, calls_group);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, calls_list);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, day_label);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, rooms_group);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, rooms_list);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, states);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, loader);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CairnTodayPage, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "today.check-in", "s", cairn_today_page_status_action);
  gtk_widget_class_install_action (widget_class, "today.no-show", "s", cairn_today_page_status_action);
}

static void
cairn_today_page_init (CairnTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toaster = cairn_toaster_new (GTK_WIDGET (self->toast_overlay));
  cairn_loader_setup (self->loader, read_screen, NULL, NULL, (GDestroyNotify) cairn_today_screen_free,
                      show_screen, self);

  self->runner = cairn_runner_new ();
  self->protocol = cairn_protocol_load_default ();
  self->day = g_list_store_new (CAIRN_TYPE_ITEM);
  self->rooms = g_list_store_new (CAIRN_TYPE_ITEM);
  self->arrivals = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->day)),
                                              GTK_FILTER (gtk_custom_filter_new (arrival_filter, self, NULL)));
  self->calls = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->day)),
                                           GTK_FILTER (gtk_custom_filter_new (call_filter, self, NULL)));
  gtk_list_box_bind_model (self->arrivals_list, G_LIST_MODEL (self->arrivals), appointment_row, self, NULL);
  gtk_list_box_bind_model (self->calls_list, G_LIST_MODEL (self->calls), appointment_row, self, NULL);
  gtk_list_box_bind_model (self->rooms_list, G_LIST_MODEL (self->rooms), room_row, self, NULL);
  self->context_signals = g_signal_group_new (CAIRN_TYPE_CONTEXT);
  g_signal_group_connect_object (self->context_signals, "notify::vault",
                                 G_CALLBACK (on_vault_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->context_signals, "protocol-changed",
                                 G_CALLBACK (on_protocol_changed_cb), self, G_CONNECT_SWAPPED);
  /* At midnight, today is another day. */
  g_signal_group_connect_object (self->context_signals, "day-changed",
                                 G_CALLBACK (cairn_today_page_load), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->states, "blank");
}

/**
 * cairn_today_page_set_context:
 * @self: the page
 * @context: (nullable): the context whose vault to show
 */
void
cairn_today_page_set_context (CairnTodayPage   *self,
                                  CairnContext     *context)
{
  g_return_if_fail (CAIRN_IS_TODAY_PAGE (self));
  g_return_if_fail (context == NULL || CAIRN_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;
  g_signal_group_set_target (self->context_signals, context);
  if (context != NULL)
    on_protocol_changed_cb (self);
  on_vault_changed_cb (self);
}

/**
 * cairn_today_page_set_now:
 * @self: the page
 * @now: UTC seconds to take as now, or 0 for the clock
 *
 * For tests and pictures: which day is today.
 */
void
cairn_today_page_set_now (CairnTodayPage *self,
                          gint64          now)
{
  g_return_if_fail (CAIRN_IS_TODAY_PAGE (self));

  self->fixed_now = now;
  cairn_loader_set_now (self->loader, now);
  cairn_today_page_load (self);
}

/* Whether a read or a write is under way: for tests. */
gboolean
cairn_today_page_get_busy (CairnTodayPage *self)
{
  g_return_val_if_fail (CAIRN_IS_TODAY_PAGE (self), FALSE);
  return cairn_loader_get_busy (self->loader) || cairn_runner_get_n_running (self->runner) > 0;
}

/**
 * cairn_today_page_get_items:
 * @self: the page
 *
 * Returns: (transfer none) (nullable) (element-type CairnAgendaItem): the
 *   day's appointments as shown
 */
GPtrArray *
cairn_today_page_get_items (CairnTodayPage *self)
{
  g_return_val_if_fail (CAIRN_IS_TODAY_PAGE (self), NULL);
  return self->items;
}
