/* cairn-context.c
 *
 * What every screen of Cairn works in: the vault while it is unlocked (and
 * through it the user and their role), the practice's protocol template,
 * its time zone and clock, and the lock policy's wait. Pages and dialogs
 * are given the context when they are made and follow its signals; none of
 * them reaches into the application for these.
 *
 * The context owns no window and knows no widget. The application keeps
 * one, and tests make their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-context"

#include "config.h"

#include "cairn-context.h"
#include "cairn-database.h"
#include "cairn-protocols.h"
#include "cairn-runner.h"

struct _CairnContext
{
  GObject         parent_instance;

  char           *vault_dir;
  gboolean        demo;
  CairnVault     *vault;            /* NULL while locked */
  CairnProtocol  *protocol;         /* the practice's; the default until read, and while locked */
  CairnRunner    *protocol_load;  /* the template read under way */
  guint           auto_lock_seconds;

  CairnContextClock  clock;
  gpointer        clock_data;
  GDestroyNotify  clock_destroy;
  guint           midnight_source;
};

G_DEFINE_FINAL_TYPE (CairnContext, cairn_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VAULT_DIR,
  PROP_DEMO,
  PROP_VAULT,
  PROP_AUTO_LOCK_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  UNLOCKED,
  LOCKED,
  PROTOCOL_CHANGED,
  DAY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* The day                                                                   */

static void arm_midnight (CairnContext *self);

static gboolean
on_midnight_cb (gpointer user_data)
{
  CairnContext *self = user_data;

  self->midnight_source = 0;
  cairn_context_day_changed (self);
  return G_SOURCE_REMOVE;
}

/* A timer to the next midnight in the practice's zone, a second after it so
 * that the new day has begun when it fires. */
static void
arm_midnight (CairnContext *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  GTimeZone *zone;
  gint64 wait;

  g_clear_handle_id (&self->midnight_source, g_source_remove);
  if (self->vault == NULL)
    return;
  /* The day in the practice's zone, not UTC's. */
  zone = cairn_context_get_time_zone (self);
  now = g_date_time_new_from_unix_utc (cairn_context_get_now (self));
  local = g_date_time_to_timezone (now, zone);
  midnight = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), 0, 0, 0);
  tomorrow = g_date_time_add_days (midnight, 1);
  wait = g_date_time_to_unix (tomorrow) - cairn_context_get_now (self);
  self->midnight_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) CLAMP (wait, 0, G_MAXUINT - 1) + 1,
                                                      on_midnight_cb, self, NULL);
  g_source_set_name_by_id (self->midnight_source, "[cairn] midnight");
}

/* ------------------------------------------------------------------------ */
/* The protocol template                                                     */

static void
set_protocol (CairnContext  *self,
              CairnProtocol *protocol)
{
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  self->protocol = protocol;
  g_signal_emit (self, signals[PROTOCOL_CHANGED], 0);
}

static gpointer
protocol_job (CairnVault    *vault,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return cairn_protocols_get_active (cairn_vault_get_practice (vault), error);
}

static void
protocol_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CairnContext *self = user_data;
  g_autoptr(GError) error = NULL;
  CairnProtocol *protocol = cairn_vault_run_finish (CAIRN_VAULT (source), result, &error);

  /* The default stays; the template's own error names what is wrong. */
  if (protocol == NULL)
    g_warning ("The practice’s protocol template could not be read: %s", error->message);
  else
    set_protocol (self, protocol);
}

/* ------------------------------------------------------------------------ */

static void
cairn_context_dispose (GObject *object)
{
  CairnContext *self = CAIRN_CONTEXT (object);

  g_clear_handle_id (&self->midnight_source, g_source_remove);
  g_clear_object (&self->protocol_load);
  /* Whoever drops the last reference locks: the keys do not outlive it. */
  if (self->vault != NULL)
    cairn_vault_lock (self->vault);
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (cairn_context_parent_class)->dispose (object);
}

static void
cairn_context_finalize (GObject *object)
{
  CairnContext *self = CAIRN_CONTEXT (object);

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_free (self->vault_dir);

  G_OBJECT_CLASS (cairn_context_parent_class)->finalize (object);
}

static void
cairn_context_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CairnContext *self = CAIRN_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_VAULT_DIR:
      g_value_set_string (value, self->vault_dir);
      break;

    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    case PROP_VAULT:
      g_value_set_object (value, self->vault);
      break;

    case PROP_AUTO_LOCK_SECONDS:
      g_value_set_uint (value, self->auto_lock_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_context_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CairnContext *self = CAIRN_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_VAULT_DIR:
      cairn_context_set_vault_dir (self, g_value_get_string (value));
      break;

    case PROP_DEMO:
      cairn_context_set_demo (self, g_value_get_boolean (value));
      break;

    case PROP_AUTO_LOCK_SECONDS:
      cairn_context_set_auto_lock_seconds (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_context_class_init (CairnContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cairn_context_dispose;
  object_class->finalize = cairn_context_finalize;
  object_class->get_property = cairn_context_get_property;
  object_class->set_property = cairn_context_set_property;

  /**
   * CairnContext:vault-dir:
   *
   * The folder of the vault: the default one, or the one given with `--vault`.
   */
  properties[PROP_VAULT_DIR] =
    g_param_spec_string ("vault-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CairnContext:demo:
   *
   * Whether the vault is a demo practice, whose user and passphrase the
   * unlock page may show.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CairnContext:vault:
   *
   * The unlocked vault, or %NULL while Cairn is locked. Whatever a screen
   * shows from it goes when it goes.
   */
  properties[PROP_VAULT] =
    g_param_spec_object ("vault", NULL, NULL, CAIRN_TYPE_VAULT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CairnContext:auto-lock-seconds:
   *
   * How long Cairn may stay idle before it locks: the vault's policy, read
   * when it is unlocked and changed in Preferences.
   */
  properties[PROP_AUTO_LOCK_SECONDS] =
    g_param_spec_uint ("auto-lock-seconds", NULL, NULL, 0, G_MAXUINT, CAIRN_VAULT_AUTO_LOCK_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CairnContext::unlocked:
   * @self: the context
   *
   * A vault was unlocked (or created); #CairnContext:vault holds it.
   */
  signals[UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CairnContext::locked:
   * @self: the context
   *
   * Cairn is locking. Emitted after #CairnContext:vault turned %NULL and
   * before the vault's keys are wiped: drop everything read from it.
   */
  signals[LOCKED] =
    g_signal_new ("locked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CairnContext::protocol-changed:
   * @self: the context
   *
   * The practice's protocol template changed: read after unlocking, chosen
   * or edited in Preferences, or back to the default on locking.
   */
  signals[PROTOCOL_CHANGED] =
    g_signal_new ("protocol-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CairnContext::day-changed:
   * @self: the context
   *
   * Midnight passed in the practice's time zone while unlocked: what a
   * screen calls "today" is another day.
   */
  signals[DAY_CHANGED] =
    g_signal_new ("day-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cairn_context_init (CairnContext *self)
{
  self->auto_lock_seconds = CAIRN_VAULT_AUTO_LOCK_DEFAULT;
  self->protocol_load = cairn_runner_new ();
}

/**
 * cairn_context_new:
 * @vault_dir: (nullable): the vault's folder, or %NULL for the default one
 * @demo: whether it holds a demo practice
 *
 * Returns: (transfer full): a locked context
 */
CairnContext *
cairn_context_new (const char *vault_dir,
                   gboolean    demo)
{
  g_autofree char *dir = vault_dir != NULL ? g_strdup (vault_dir) : cairn_vault_default_dir ();

  return g_object_new (CAIRN_TYPE_CONTEXT, "vault-dir", dir, "demo", demo, NULL);
}

const char *
cairn_context_get_vault_dir (CairnContext *self)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), NULL);

  return self->vault_dir;
}

void
cairn_context_set_vault_dir (CairnContext *self,
                             const char   *dir)
{
  g_return_if_fail (CAIRN_IS_CONTEXT (self));

  if (g_strcmp0 (self->vault_dir, dir) == 0)
    return;
  g_free (self->vault_dir);
  self->vault_dir = dir != NULL ? g_strdup (dir) : cairn_vault_default_dir ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VAULT_DIR]);
}

gboolean
cairn_context_get_demo (CairnContext *self)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), FALSE);

  return self->demo;
}

void
cairn_context_set_demo (CairnContext *self,
                        gboolean      demo)
{
  g_return_if_fail (CAIRN_IS_CONTEXT (self));

  demo = !!demo;
  if (self->demo == demo)
    return;
  self->demo = demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

/**
 * cairn_context_get_vault:
 * @self: a context
 *
 * Returns: (transfer none) (nullable): the unlocked vault, or %NULL
 */
CairnVault *
cairn_context_get_vault (CairnContext *self)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), NULL);

  return self->vault;
}

/**
 * cairn_context_is_unlocked:
 * @self: a context
 *
 * Returns: whether a vault is open
 */
gboolean
cairn_context_is_unlocked (CairnContext *self)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), FALSE);

  return self->vault != NULL;
}

/**
 * cairn_context_has_clinical:
 * @self: a context
 *
 * Returns: whether the user who unlocked holds the clinical key
 */
gboolean
cairn_context_has_clinical (CairnContext *self)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), FALSE);

  return self->vault != NULL && cairn_vault_has_clinical (self->vault);
}

/**
 * cairn_context_set_vault:
 * @self: a context
 * @vault: a vault that was just unlocked (or created)
 *
 * Cairn is unlocked from now on. A vault open before is locked first.
 * The practice's template is read on the vault's worker.
 */
void
cairn_context_set_vault (CairnContext *self,
                         CairnVault   *vault)
{
  g_return_if_fail (CAIRN_IS_CONTEXT (self));
  g_return_if_fail (CAIRN_IS_VAULT (vault));
  g_return_if_fail (!cairn_vault_is_locked (vault));

  if (self->vault == vault)
    return;
  if (self->vault != NULL)
    cairn_context_lock (self);

  self->vault = g_object_ref (vault);
  if (self->auto_lock_seconds != cairn_vault_get_auto_lock_seconds (vault))
    {
      self->auto_lock_seconds = cairn_vault_get_auto_lock_seconds (vault);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_LOCK_SECONDS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VAULT]);
  g_signal_emit (self, signals[UNLOCKED], 0);
  arm_midnight (self);
  cairn_context_reload_protocol (self);
}

/**
 * cairn_context_lock:
 * @self: a context
 *
 * Locks now. #CairnContext:vault turns %NULL and #CairnContext::locked is
 * emitted, so that every screen drops what it shows; then the keys are
 * wiped and the databases closed, and the template goes back to the
 * default. Nothing happens while locked.
 */
void
cairn_context_lock (CairnContext *self)
{
  g_autoptr(CairnVault) vault = NULL;

  g_return_if_fail (CAIRN_IS_CONTEXT (self));

  if (self->vault == NULL)
    return;

  vault = g_steal_pointer (&self->vault);
  g_clear_handle_id (&self->midnight_source, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VAULT]);
  g_signal_emit (self, signals[LOCKED], 0);
  cairn_vault_lock (vault);

  cairn_runner_cancel (self->protocol_load);
  if (self->protocol != NULL &&
      g_strcmp0 (cairn_protocol_get_id (self->protocol), CAIRN_PROTOCOL_DEFAULT_ID) != 0)
    set_protocol (self, cairn_protocol_load_default ());
}

guint
cairn_context_get_auto_lock_seconds (CairnContext *self)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), CAIRN_VAULT_AUTO_LOCK_DEFAULT);

  return self->auto_lock_seconds;
}

/**
 * cairn_context_set_auto_lock_seconds:
 * @self: a context
 * @seconds: the idle time before Cairn locks
 *
 * For after the vault's policy was changed: whoever watches for idleness
 * follows #CairnContext:auto-lock-seconds. It does not write the vault.
 */
void
cairn_context_set_auto_lock_seconds (CairnContext *self,
                                     guint         seconds)
{
  g_return_if_fail (CAIRN_IS_CONTEXT (self));

  if (self->auto_lock_seconds == seconds)
    return;
  self->auto_lock_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_LOCK_SECONDS]);
}

/**
 * cairn_context_get_protocol:
 * @self: a context
 *
 * Returns: (transfer none): the practice's protocol template, or the
 *   default one until it has been read (and while locked)
 */
CairnProtocol *
cairn_context_get_protocol (CairnContext *self)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), NULL);

  if (self->protocol == NULL)
    self->protocol = cairn_protocol_load_default ();
  return self->protocol;
}

/**
 * cairn_context_reload_protocol:
 * @self: a context
 *
 * Reads the practice's protocol template again, on the vault's worker, and
 * emits #CairnContext::protocol-changed when it is in: for after the
 * practice chose or edited its template.
 */
void
cairn_context_reload_protocol (CairnContext *self)
{
  g_return_if_fail (CAIRN_IS_CONTEXT (self));

  cairn_runner_cancel (self->protocol_load);
  if (self->vault == NULL)
    return;
  cairn_vault_read_async (self->vault, protocol_job, NULL, NULL, (GDestroyNotify) cairn_protocol_unref,
                         cairn_runner_get_cancellable (self->protocol_load), cairn_runner_answered,
                         cairn_runner_track (self->protocol_load, protocol_loaded_cb, self));
}

/**
 * cairn_context_get_time_zone:
 * @self: a context
 *
 * Returns: (transfer none): the practice's time zone while unlocked, and
 *   this computer's while locked
 */
GTimeZone *
cairn_context_get_time_zone (CairnContext *self)
{
  static GTimeZone *local;

  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), NULL);

  if (self->vault != NULL && cairn_vault_get_practice (self->vault) != NULL)
    return cairn_database_get_time_zone (cairn_vault_get_practice (self->vault));
  if (g_once_init_enter (&local))
    g_once_init_leave (&local, g_time_zone_new_local ());
  return local;
}

/**
 * cairn_context_get_now:
 * @self: a context
 *
 * Returns: the time now, in seconds since the Unix epoch: the wall clock,
 *   or the test's clock given with cairn_context_set_clock()
 */
gint64
cairn_context_get_now (CairnContext *self)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), 0);

  if (self->clock != NULL)
    return self->clock (self->clock_data);
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * cairn_context_dup_today:
 * @self: a context
 *
 * Returns: (transfer full): today in the practice's zone, "YYYY-MM-DD"
 */
char *
cairn_context_dup_today (CairnContext *self)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (CAIRN_IS_CONTEXT (self), NULL);

  utc = g_date_time_new_from_unix_utc (cairn_context_get_now (self));
  local = g_date_time_to_timezone (utc, cairn_context_get_time_zone (self));
  return g_date_time_format (local, "%Y-%m-%d");
}

/**
 * cairn_context_set_clock:
 * @self: a context
 * @clock: (nullable): the clock to read, or %NULL for the wall clock
 * @user_data: data for @clock
 * @destroy: (nullable): frees @user_data
 *
 * For tests: screens read the time from @clock. The next midnight is
 * counted from it.
 */
void
cairn_context_set_clock (CairnContext   *self,
                         CairnContextClock  clock,
                         gpointer        user_data,
                         GDestroyNotify  destroy)
{
  g_return_if_fail (CAIRN_IS_CONTEXT (self));

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  self->clock = clock;
  self->clock_data = user_data;
  self->clock_destroy = destroy;
  arm_midnight (self);
}

/**
 * cairn_context_day_changed:
 * @self: a context
 *
 * Emits #CairnContext::day-changed and counts to the next midnight: what
 * the midnight timer does, and what a test whose clock crossed a midnight
 * calls.
 */
void
cairn_context_day_changed (CairnContext *self)
{
  g_return_if_fail (CAIRN_IS_CONTEXT (self));

  if (self->vault == NULL)
    return;
  g_signal_emit (self, signals[DAY_CHANGED], 0);
  arm_midnight (self);
}
