/* test-context.c
 *
 * The context every screen works in, on a real vault: unlocking sets the
 * vault and reads the practice's template on the worker; locking turns the
 * vault NULL and says so before the keys are wiped, and the template goes
 * back to the default; "today" is the practice's day by the clock given,
 * not UTC's; midnight in the practice's zone is announced, and nothing is
 * announced while locked. A runner calls back only while its answer
 * still matters: not once cancelled, not from a vault locked since.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-context.h"
#include "cairn-protocols.h"
#include "cairn-runner.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

typedef struct
{
  char         *parent;
  char         *dir;
  CairnContext *context;
  gint64        now;
  guint         protocol_changes;
  guint         days;
  guint         locks;
  gboolean      keys_were_there;   /* when ::locked ran */
  CairnVault   *held;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->now;
}

static void
on_protocol_changed_cb (CairnContext *context,
                        Fixture      *fixture)
{
  fixture->protocol_changes++;
}

static void
on_day_changed_cb (CairnContext *context,
                   Fixture      *fixture)
{
  fixture->days++;
}

static void
on_locked_cb (CairnContext *context,
              Fixture      *fixture)
{
  g_assert_null (cairn_context_get_vault (context));
  fixture->locks++;
  fixture->keys_were_there = fixture->held != NULL && !cairn_vault_is_locked (fixture->held);
}

static CairnVault *
unlock (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CairnVault *vault = cairn_vault_unlock (fixture->dir, "Dr Ada Quell", "lantern orchard fiddle 42", &error);

  g_assert_no_error (error);
  return vault;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;
  g_autoptr(CairnVault) vault = NULL;

  fixture->parent = g_dir_make_tmp ("cairn-context-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_build_filename (fixture->parent, "vault", NULL);
  /* Auckland is twelve or thirteen hours ahead of UTC: its day is not UTC's. */
  vault = cairn_vault_create (fixture->dir, "Quell Practice", "Pacific/Auckland", "Dr Ada Quell",
                              "lantern orchard fiddle 42", &test_params, &recovery, &error);
  g_assert_no_error (error);
  cairn_vault_lock (vault);

  fixture->context = cairn_context_new (fixture->dir, FALSE);
  fixture->now = g_get_real_time () / G_USEC_PER_SEC;
  cairn_context_set_clock (fixture->context, fixture_clock, fixture, NULL);
  g_signal_connect (fixture->context, "protocol-changed", G_CALLBACK (on_protocol_changed_cb), fixture);
  g_signal_connect (fixture->context, "day-changed", G_CALLBACK (on_day_changed_cb), fixture);
  g_signal_connect (fixture->context, "locked", G_CALLBACK (on_locked_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->held);
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->dir);
}

static void
wait_for_protocol (Fixture *fixture,
                   guint    changes)
{
  while (fixture->protocol_changes < changes)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_unlock_and_lock (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = unlock (fixture);
  g_autofree char *me = cairn_vault_get_user_id (vault);

  /* The practice works with the ketamine template. */
  g_assert_true (cairn_protocols_set_active (cairn_vault_get_practice (vault), "ketamine-kap", me, &error));
  g_assert_no_error (error);

  g_assert_false (cairn_context_is_unlocked (fixture->context));
  g_assert_cmpstr (cairn_protocol_get_id (cairn_context_get_protocol (fixture->context)), ==,
                   CAIRN_PROTOCOL_DEFAULT_ID);

  cairn_context_set_vault (fixture->context, vault);
  g_assert_true (cairn_context_get_vault (fixture->context) == vault);
  g_assert_true (cairn_context_has_clinical (fixture->context));
  g_assert_cmpuint (cairn_context_get_auto_lock_seconds (fixture->context), ==,
                    cairn_vault_get_auto_lock_seconds (vault));
  wait_for_protocol (fixture, 1);
  g_assert_cmpstr (cairn_protocol_get_id (cairn_context_get_protocol (fixture->context)), ==, "ketamine-kap");

  /* Whoever listens sees the vault gone while the keys are still there to
   * be wiped after them. */
  fixture->held = g_object_ref (vault);
  cairn_context_lock (fixture->context);
  g_assert_cmpuint (fixture->locks, ==, 1);
  g_assert_true (fixture->keys_were_there);
  g_assert_true (cairn_vault_is_locked (vault));
  g_assert_null (cairn_context_get_vault (fixture->context));
  g_assert_false (cairn_context_has_clinical (fixture->context));
  g_assert_cmpuint (fixture->protocol_changes, ==, 2);
  g_assert_cmpstr (cairn_protocol_get_id (cairn_context_get_protocol (fixture->context)), ==,
                   CAIRN_PROTOCOL_DEFAULT_ID);

  /* Locking twice does nothing more. */
  cairn_context_lock (fixture->context);
  g_assert_cmpuint (fixture->locks, ==, 1);
}

/* A template read that comes in after the lock is not taken. */
static void
test_protocol_after_lock (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = unlock (fixture);
  g_autofree char *me = cairn_vault_get_user_id (vault);

  g_assert_true (cairn_protocols_set_active (cairn_vault_get_practice (vault), "ketamine-kap", me, &error));
  cairn_context_set_vault (fixture->context, vault);
  cairn_context_lock (fixture->context);
  while (cairn_vault_is_busy (vault))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (cairn_protocol_get_id (cairn_context_get_protocol (fixture->context)), ==,
                   CAIRN_PROTOCOL_DEFAULT_ID);
  g_assert_cmpuint (fixture->protocol_changes, ==, 0);
}

static gint64
unix_at (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

static void
test_today (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CairnVault) vault = unlock (fixture);
  g_autofree char *locked_today = NULL;
  g_autofree char *today = NULL;

  /* 20:00 UTC on 7 December is 09:00 on the 8th in Auckland (summer time). */
  fixture->now = unix_at ("2026-12-07T20:00:00Z");
  g_assert_cmpint (cairn_context_get_now (fixture->context), ==, fixture->now);
  cairn_context_set_vault (fixture->context, vault);
  today = cairn_context_dup_today (fixture->context);
  g_assert_cmpstr (today, ==, "2026-12-08");
  g_assert_cmpstr (g_time_zone_get_identifier (cairn_context_get_time_zone (fixture->context)), ==,
                   "Pacific/Auckland");

  cairn_context_lock (fixture->context);
  locked_today = cairn_context_dup_today (fixture->context);
  g_assert_nonnull (locked_today);
  g_assert_cmpstr (g_time_zone_get_identifier (cairn_context_get_time_zone (fixture->context)), !=,
                   "Pacific/Auckland");
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_for (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, on_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Midnight in Auckland, not in UTC, turns the day; locked, nothing turns. */
static void
test_midnight (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CairnVault) vault = unlock (fixture);

  /* 10:59:59 UTC is 23:59:59 in Auckland. */
  fixture->now = unix_at ("2026-12-07T10:59:59Z");
  cairn_context_set_vault (fixture->context, vault);
  /* The timer counts real seconds; by the time it fires, it is past midnight. */
  fixture->now = unix_at ("2026-12-07T11:00:01Z");
  {
    gboolean gave_up = FALSE;
    guint guard = g_timeout_add_seconds (10, on_timeout_cb, &gave_up);

    while (fixture->days == 0 && !gave_up)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (gave_up);
    g_source_remove (guard);
  }
  g_assert_cmpuint (fixture->days, ==, 1);
  {
    g_autofree char *today = cairn_context_dup_today (fixture->context);

    g_assert_cmpstr (today, ==, "2026-12-08");
  }

  /* By hand, as a test whose clock crossed midnight would. */
  cairn_context_day_changed (fixture->context);
  g_assert_cmpuint (fixture->days, ==, 2);

  cairn_context_lock (fixture->context);
  cairn_context_day_changed (fixture->context);
  fixture->now = unix_at ("2026-12-08T10:59:59Z");
  cairn_context_set_clock (fixture->context, fixture_clock, fixture, NULL);
  spin_for (2500);
  g_assert_cmpuint (fixture->days, ==, 2);
}

static gpointer
echo_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return g_strdup (data);
}

typedef struct
{
  guint  calls;
  char  *answer;
} Answers;

static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Answers *answers = g_object_get_data (user_data, "answers");
  g_autoptr(GError) error = NULL;

  answers->calls++;
  g_free (answers->answer);
  answers->answer = cairn_vault_run_finish (CAIRN_VAULT (source), result, &error);
  g_assert_no_error (error);
}

static void
start_echo (CairnVault  *vault,
            CairnRunner *runner,
            GObject     *owner,
            const char  *text)
{
  cairn_vault_run_async (vault, echo_job, g_strdup (text), g_free, g_free, cairn_runner_get_cancellable (runner),
                         cairn_runner_answered, cairn_runner_track (runner, answered_cb, owner));
}

static void
wait_for_runner (CairnRunner *runner)
{
  while (cairn_runner_get_n_running (runner) > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_runner (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CairnVault) vault = unlock (fixture);
  g_autoptr(CairnRunner) runner = cairn_runner_new ();
  g_autoptr(GObject) owner = g_object_new (G_TYPE_OBJECT, NULL);
  Answers answers = { 0, NULL };

  g_object_set_data (owner, "answers", &answers);
  g_object_add_weak_pointer (owner, (gpointer *) &owner);

  /* Answered: the owner is called with what the job returned. */
  start_echo (vault, runner, owner, "first");
  g_assert_cmpuint (cairn_runner_get_n_running (runner), ==, 1);
  wait_for_runner (runner);
  g_assert_cmpuint (answers.calls, ==, 1);
  g_assert_cmpstr (answers.answer, ==, "first");

  /* Cancelled: nothing calls back; work started afterwards does. */
  start_echo (vault, runner, owner, "cancelled");
  cairn_runner_cancel (runner);
  start_echo (vault, runner, owner, "after");
  wait_for_runner (runner);
  g_assert_cmpuint (answers.calls, ==, 2);
  g_assert_cmpstr (answers.answer, ==, "after");

  /* Locked before the answer came: nothing calls back. */
  start_echo (vault, runner, owner, "locked");
  cairn_vault_lock (vault);
  wait_for_runner (runner);
  g_assert_cmpuint (answers.calls, ==, 2);
  g_assert_cmpstr (answers.answer, ==, "after");
  g_free (answers.answer);

  /* The owner was kept only while answers were awaited. */
  g_object_unref (g_steal_pointer (&owner));
  g_assert_null (owner);
}

/* A runner that goes with its widget calls back nothing. */
static void
test_runner_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(CairnVault) vault = unlock (fixture);
  CairnRunner *runner = cairn_runner_new ();
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);
  Answers answers = { 0, NULL };

  g_object_set_data (owner, "answers", &answers);
  g_object_add_weak_pointer (owner, (gpointer *) &owner);
  start_echo (vault, runner, owner, "gone");
  g_object_unref (owner);
  g_assert_nonnull (owner);
  g_object_unref (runner);
  while (owner != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (answers.calls, ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)
  ADD ("/context/unlock-and-lock", test_unlock_and_lock);
  ADD ("/context/protocol-after-lock", test_protocol_after_lock);
  ADD ("/context/today", test_today);
  ADD ("/context/midnight", test_midnight);
  ADD ("/runner/answered", test_runner);
  ADD ("/runner/gone", test_runner_gone);
#undef ADD

  return g_test_run ();
}
