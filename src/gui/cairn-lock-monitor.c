/* cairn-lock-monitor.c
 *
 * Decides when the vault should lock by itself: after a stretch without
 * input in any of Cairn's windows, when the desktop's screen locks, and
 * before the computer suspends. The desktop tells the last two over D-Bus
 * (org.gnome.ScreenSaver and org.freedesktop.ScreenSaver on the session
 * bus, logind's PrepareForSleep on the system bus); where no such service
 * runs, the idle timer still works.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-lock"

#include "config.h"

#include "cairn-lock-monitor.h"
#include "cairn-runner.h"

struct _CairnLockMonitor
{
  GObject          parent_instance;

  guint            timeout_seconds;
  gboolean         armed;
  gint64           last_activity;   /* on clock (), µs */
  guint            timer_id;
  CairnClockFunc   clock;           /* g_get_monotonic_time unless a test sets one */

  CairnRunner     *runner;         /* the buses, until they answer */
  GDBusConnection *session_bus;
  GDBusConnection *system_bus;
  guint            session_subscriptions[2];
  guint            system_subscription;
};

G_DEFINE_FINAL_TYPE (CairnLockMonitor, cairn_lock_monitor, G_TYPE_OBJECT)

enum {
  LOCK_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void cairn_lock_monitor_schedule (CairnLockMonitor *self);

static void
cairn_lock_monitor_request (CairnLockMonitor *self,
                            const char       *reason)
{
  if (!self->armed)
    return;
  g_debug ("Locking: %s", reason);
  g_signal_emit (self, signals[LOCK_REQUESTED], 0, reason);
}

/* The timer has no source pending when this runs. */
static void
check_idle (CairnLockMonitor *self)
{
  gint64 idle = self->clock () - self->last_activity;

  if (idle >= (gint64) self->timeout_seconds * G_USEC_PER_SEC)
    cairn_lock_monitor_request (self, "idle");
  else
    cairn_lock_monitor_schedule (self);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  CairnLockMonitor *self = user_data;

  self->timer_id = 0;
  check_idle (self);
  return G_SOURCE_REMOVE;
}

/* One timer, set for when the idle time would run out; activity only
 * records a time, so a moving mouse costs nothing. */
static void
cairn_lock_monitor_schedule (CairnLockMonitor *self)
{
  gint64 deadline;
  gint64 remaining_ms;

  if (!self->armed || self->timer_id != 0)
    return;

  deadline = self->last_activity + (gint64) self->timeout_seconds * G_USEC_PER_SEC;
  remaining_ms = MAX (0, (deadline - self->clock ()) / 1000) + 10;
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (remaining_ms, G_MAXUINT),
                                       on_timer_cb, self, NULL);
}

static void
on_screensaver_active_changed_cb (GDBusConnection *connection,
                                  const char      *sender,
                                  const char      *path,
                                  const char      *interface,
                                  const char      *signal,
                                  GVariant        *parameters,
                                  gpointer         user_data)
{
  gboolean active = FALSE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    g_variant_get (parameters, "(b)", &active);
  if (active)
    cairn_lock_monitor_request (user_data, "screen-lock");
}

static void
on_prepare_for_sleep_cb (GDBusConnection *connection,
                         const char      *sender,
                         const char      *path,
                         const char      *interface,
                         const char      *signal,
                         GVariant        *parameters,
                         gpointer         user_data)
{
  gboolean sleeping = FALSE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    g_variant_get (parameters, "(b)", &sleeping);
  if (sleeping)
    cairn_lock_monitor_request (user_data, "suspend");
}

static void
on_session_bus_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  CairnLockMonitor *self;
  static const char * const interfaces[] = { "org.gnome.ScreenSaver", "org.freedesktop.ScreenSaver" };

  if (bus == NULL)
    {
      g_debug ("No session bus, so no screen-lock signal: %s", error->message);
      return;
    }

  self = user_data;
  self->session_bus = bus;
  for (guint i = 0; i < G_N_ELEMENTS (interfaces); i++)
    self->session_subscriptions[i] =
      g_dbus_connection_signal_subscribe (bus, NULL, interfaces[i], "ActiveChanged", NULL, NULL,
                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                          on_screensaver_active_changed_cb, self, NULL);
}

static void
on_system_bus_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  CairnLockMonitor *self;

  if (bus == NULL)
    {
      g_debug ("No system bus, so no suspend signal: %s", error->message);
      return;
    }

  self = user_data;
  self->system_bus = bus;
  self->system_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1", "org.freedesktop.login1.Manager",
                                        "PrepareForSleep", "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep_cb, self, NULL);
}

static void
cairn_lock_monitor_dispose (GObject *object)
{
  CairnLockMonitor *self = CAIRN_LOCK_MONITOR (object);

  g_clear_object (&self->runner);
  g_clear_handle_id (&self->timer_id, g_source_remove);

  for (guint i = 0; i < G_N_ELEMENTS (self->session_subscriptions); i++)
    if (self->session_subscriptions[i] != 0)
      {
        g_dbus_connection_signal_unsubscribe (self->session_bus, self->session_subscriptions[i]);
        self->session_subscriptions[i] = 0;
      }
  if (self->system_subscription != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->system_bus, self->system_subscription);
      self->system_subscription = 0;
    }
  g_clear_object (&self->session_bus);
  g_clear_object (&self->system_bus);

  G_OBJECT_CLASS (cairn_lock_monitor_parent_class)->dispose (object);
}

static void
cairn_lock_monitor_class_init (CairnLockMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cairn_lock_monitor_dispose;

  /**
   * CairnLockMonitor::lock-requested:
   * @self: the monitor
   * @reason: "idle", "screen-lock" or "suspend"
   *
   * The vault should lock now. Emitted only while armed.
   */
  signals[LOCK_REQUESTED] =
    g_signal_new ("lock-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cairn_lock_monitor_init (CairnLockMonitor *self)
{
  self->timeout_seconds = 300;
  self->clock = g_get_monotonic_time;
  self->last_activity = self->clock ();
  self->runner = cairn_runner_new ();

  /* Not kept alive by the wait: a monitor that goes first hears nothing. */
  g_bus_get (G_BUS_TYPE_SESSION, cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
             cairn_runner_track_data (self->runner, on_session_bus_cb, self, NULL));
  g_bus_get (G_BUS_TYPE_SYSTEM, cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
             cairn_runner_track_data (self->runner, on_system_bus_cb, self, NULL));
}

/**
 * cairn_lock_monitor_new:
 *
 * Returns: (transfer full): a monitor, disarmed, with a five-minute timeout
 */
CairnLockMonitor *
cairn_lock_monitor_new (void)
{
  return g_object_new (CAIRN_TYPE_LOCK_MONITOR, NULL);
}

static gboolean
on_window_event_cb (GtkEventControllerLegacy *controller,
                    GdkEvent                 *event,
                    CairnLockMonitor         *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_MOTION_NOTIFY:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      cairn_lock_monitor_poke (self);
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/**
 * cairn_lock_monitor_watch:
 * @self: a monitor
 * @window: a window whose input counts as activity
 */
void
cairn_lock_monitor_watch (CairnLockMonitor *self,
                          GtkWindow        *window)
{
  GtkEventController *controller;

  g_return_if_fail (CAIRN_IS_LOCK_MONITOR (self));
  g_return_if_fail (GTK_IS_WINDOW (window));

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (on_window_event_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

/**
 * cairn_lock_monitor_poke:
 * @self: a monitor
 *
 * Someone is using Cairn: the idle time starts again.
 */
void
cairn_lock_monitor_poke (CairnLockMonitor *self)
{
  g_return_if_fail (CAIRN_IS_LOCK_MONITOR (self));

  self->last_activity = self->clock ();
}

/**
 * cairn_lock_monitor_set_timeout:
 * @self: a monitor
 * @seconds: idle time before the vault locks
 */
void
cairn_lock_monitor_set_timeout (CairnLockMonitor *self,
                                guint             seconds)
{
  g_return_if_fail (CAIRN_IS_LOCK_MONITOR (self));
  g_return_if_fail (seconds > 0);

  self->timeout_seconds = seconds;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  cairn_lock_monitor_schedule (self);
}

guint
cairn_lock_monitor_get_timeout (CairnLockMonitor *self)
{
  g_return_val_if_fail (CAIRN_IS_LOCK_MONITOR (self), 0);

  return self->timeout_seconds;
}

/**
 * cairn_lock_monitor_set_armed:
 * @self: a monitor
 * @armed: whether there is anything to lock
 *
 * Armed while a vault is unlocked; arming starts the idle time afresh.
 */
void
cairn_lock_monitor_set_armed (CairnLockMonitor *self,
                              gboolean          armed)
{
  g_return_if_fail (CAIRN_IS_LOCK_MONITOR (self));

  self->armed = armed;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (armed)
    {
      cairn_lock_monitor_poke (self);
      cairn_lock_monitor_schedule (self);
    }
}

/**
 * cairn_lock_monitor_set_clock:
 * @self: the monitor
 * @clock: (nullable): what idle time is measured on, in µs, or %NULL for
 *   the monotonic clock
 *
 * For tests, which move a clock of their own instead of waiting.
 */
void
cairn_lock_monitor_set_clock (CairnLockMonitor *self,
                              CairnClockFunc    clock)
{
  g_return_if_fail (CAIRN_IS_LOCK_MONITOR (self));

  self->clock = clock != NULL ? clock : g_get_monotonic_time;
  self->last_activity = self->clock ();
}

/**
 * cairn_lock_monitor_check:
 * @self: the monitor
 *
 * Does now what the idle timer does when it fires: locks if the idle time
 * has run out.
 */
void
cairn_lock_monitor_check (CairnLockMonitor *self)
{
  g_return_if_fail (CAIRN_IS_LOCK_MONITOR (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  check_idle (self);
}
