/* cairn-runner.c
 *
 * How a widget waits for the core's background work: one place that
 * decides whether an answer still has anyone to show it to.
 *
 * A widget keeps one runner and starts every core _async call with the
 * runner's cancellable and cairn_runner_answered(), giving as user data
 * what cairn_runner_track() returns:
 *
 *   cairn_schedule_cancel_async (vault, id, reason,
 *                                cairn_runner_get_cancellable (self->runner),
 *                                cairn_runner_answered,
 *                                cairn_runner_track (self->runner, cancelled_cb, self));
 *
 * cancelled_cb() is then called with the owner (kept alive meanwhile;
 * cairn_runner_track_data() gives any data and its free function instead)
 * only when the answer still matters: not after cairn_runner_cancel()
 * (the widget went, or was cleared), and not from a vault that has
 * locked since. So a _done callback only reads its answer and shows it;
 * it never checks for cancellation itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-runner"

#include "config.h"

#include "cairn-runner.h"
#include "cairn-vault.h"

struct _CairnRunner
{
  GObject       parent_instance;

  GCancellable *cancellable;
  guint         running;
};

G_DEFINE_FINAL_TYPE (CairnRunner, cairn_runner, G_TYPE_OBJECT)

typedef struct
{
  CairnRunner         *runner;        /* weak: the runner may go first */
  GCancellable        *cancellable;   /* the runner's when started */
  GAsyncReadyCallback  done;
  gpointer             owner;
  GDestroyNotify       owner_free;
} Pending;

static void
pending_free (Pending *pending)
{
  if (pending->runner != NULL)
    {
      pending->runner->running--;
      g_object_remove_weak_pointer (G_OBJECT (pending->runner), (gpointer *) &pending->runner);
    }
  g_clear_object (&pending->cancellable);
  if (pending->owner != NULL && pending->owner_free != NULL)
    pending->owner_free (pending->owner);
  g_free (pending);
}

static void
cairn_runner_dispose (GObject *object)
{
  CairnRunner *self = CAIRN_RUNNER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cairn_runner_parent_class)->dispose (object);
}

static void
cairn_runner_class_init (CairnRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cairn_runner_dispose;
}

static void
cairn_runner_init (CairnRunner *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * cairn_runner_new:
 *
 * Returns: (transfer full): a runner with nothing running
 */
CairnRunner *
cairn_runner_new (void)
{
  return g_object_new (CAIRN_TYPE_RUNNER, NULL);
}

/**
 * cairn_runner_get_cancellable:
 * @self: a runner
 *
 * Returns: (transfer none): the cancellable to give to the work started now
 */
GCancellable *
cairn_runner_get_cancellable (CairnRunner *self)
{
  g_return_val_if_fail (CAIRN_IS_RUNNER (self), NULL);

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

/**
 * cairn_runner_track_data:
 * @self: a runner
 * @done: called with the answer, when it still matters
 * @data: (transfer full) (nullable): the user data for @done
 * @data_free: (nullable): frees @data after @done returns, or when the
 *   answer is dropped
 *
 * Returns: (transfer full): the user data to give with
 *   cairn_runner_answered() to one _async call
 */
gpointer
cairn_runner_track_data (CairnRunner         *self,
                         GAsyncReadyCallback  done,
                         gpointer             data,
                         GDestroyNotify       data_free)
{
  Pending *pending;

  g_return_val_if_fail (CAIRN_IS_RUNNER (self), NULL);
  g_return_val_if_fail (done != NULL, NULL);

  pending = g_new0 (Pending, 1);
  pending->runner = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &pending->runner);
  pending->cancellable = g_object_ref (cairn_runner_get_cancellable (self));
  pending->done = done;
  pending->owner = data;
  pending->owner_free = data_free;
  self->running++;
  return pending;
}

/**
 * cairn_runner_track:
 * @self: a runner
 * @done: called with the answer, when it still matters
 * @owner: the object @done is called with, kept alive until the answer
 *   comes
 *
 * Returns: (transfer full): the user data to give with
 *   cairn_runner_answered() to one _async call
 */
gpointer
cairn_runner_track (CairnRunner         *self,
                    GAsyncReadyCallback  done,
                    gpointer             owner)
{
  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);

  return cairn_runner_track_data (self, done, g_object_ref (owner), g_object_unref);
}

/**
 * cairn_runner_answered:
 * @source: the source object of the answer, usually the vault
 * @result: the answer
 * @pending: what cairn_runner_track() returned
 *
 * The callback to give every _async call started with a runner.
 */
void
cairn_runner_answered (GObject      *source,
                       GAsyncResult *result,
                       gpointer      pending)
{
  Pending *self = pending;
  gboolean dropped = self->runner == NULL || g_cancellable_is_cancelled (self->cancellable) ||
                     (CAIRN_IS_VAULT (source) && cairn_vault_is_locked (CAIRN_VAULT (source)));

  if (!dropped)
    self->done (source, result, self->owner);
  pending_free (self);
}

/**
 * cairn_runner_cancel:
 * @self: a runner
 *
 * Cancels everything started so far: none of it calls back. Work
 * started afterwards does.
 */
void
cairn_runner_cancel (CairnRunner *self)
{
  g_return_if_fail (CAIRN_IS_RUNNER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/**
 * cairn_runner_get_n_running:
 * @self: a runner
 *
 * Returns: how many answers are awaited, dropped ones included
 */
guint
cairn_runner_get_n_running (CairnRunner *self)
{
  g_return_val_if_fail (CAIRN_IS_RUNNER (self), 0);

  return self->running;
}
