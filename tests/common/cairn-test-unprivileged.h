/* cairn-test-unprivileged.h
 *
 * Runs part of a test as a user without privileges. Root may write into a
 * read-only folder and raise any limit, so a test of such a refusal that
 * runs as root (as CI does) would otherwise prove nothing. The part runs in
 * a forked child that, when the test runs as root, first becomes "nobody";
 * it reports by its exit status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <grp.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* nobody:nogroup on Debian */
#define CAIRN_TEST_NOBODY_UID 65534
#define CAIRN_TEST_NOBODY_GID 65534

/* The child's exit status when it could not give up root. */
#define CAIRN_TEST_NO_DROP 77

/* Returns whether the check passed; on failure it says why on stderr. The
 * child must not use g_assert: its TAP output would mix with the parent's. */
typedef gboolean (*CairnTestCheck) (gpointer data);

/* The user the check runs as: the caller's, or nobody when that is root.
 * Files the check must reach are to be given to this user first. */
static inline uid_t
cairn_test_unprivileged_uid (void)
{
  return geteuid () == 0 ? CAIRN_TEST_NOBODY_UID : geteuid ();
}

static inline gid_t
cairn_test_unprivileged_gid (void)
{
  return geteuid () == 0 ? CAIRN_TEST_NOBODY_GID : getegid ();
}

/**
 * cairn_test_run_unprivileged:
 * @check: the part of the test to run without privileges
 * @data: its data
 *
 * Runs @check in a child process as cairn_test_unprivileged_uid(), and
 * fails the test unless it passes. When root cannot become nobody (in a
 * container that forbids it, say), the test is skipped, saying so.
 *
 * Returns: %TRUE when @check ran and passed; %FALSE when the test was
 *   skipped
 */
static inline gboolean
cairn_test_run_unprivileged (CairnTestCheck check,
                             gpointer       data)
{
  int status = 0;
  pid_t pid;

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (geteuid () == 0 &&
          (setgroups (0, NULL) != 0 || setgid (CAIRN_TEST_NOBODY_GID) != 0 ||
           setuid (CAIRN_TEST_NOBODY_UID) != 0 || geteuid () != CAIRN_TEST_NOBODY_UID))
        _exit (CAIRN_TEST_NO_DROP);
      _exit (check (data) ? 0 : 1);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  if (WIFEXITED (status) && WEXITSTATUS (status) == CAIRN_TEST_NO_DROP)
    {
      g_test_skip ("Running as root, and root could not become nobody (65534) to run this "
                   "check without privileges");
      return FALSE;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("The check run without privileges failed (%s %d; see its message above)",
             WIFEXITED (status) ? "exit status" : "signal",
             WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
  return TRUE;
}
