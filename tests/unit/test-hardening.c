/* test-hardening.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cairn-hardening.h"
#include "cairn-test-unprivileged.h"

/* Run without privileges, after the limit was set: raising it again is
 * refused. */
static gboolean
limit_stays (gpointer data)
{
  struct rlimit limit = { RLIM_INFINITY, RLIM_INFINITY };
  struct rlimit soft_only = { 1, 1 };

  if (geteuid () == 0)
    {
      g_printerr ("Still root: the check would prove nothing\n");
      return FALSE;
    }
  if (setrlimit (RLIMIT_CORE, &limit) == 0)
    {
      g_printerr ("The core size limit could be raised again\n");
      return FALSE;
    }
  if (errno != EPERM)
    {
      g_printerr ("Raising the core size limit failed, but was not refused: %s\n", g_strerror (errno));
      return FALSE;
    }
  if (setrlimit (RLIMIT_CORE, &soft_only) != -1)
    {
      g_printerr ("The core size limit could be raised to one byte\n");
      return FALSE;
    }
  return TRUE;
}

static void
test_hardening_disables_core_dumps (void)
{
  g_autoptr(GError) error = NULL;
  struct rlimit limit;

  g_assert_true (cairn_hardening_disable_core_dumps (&error));
  g_assert_no_error (error);

  g_assert_cmpint (getrlimit (RLIMIT_CORE, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_cur, ==, 0);
  g_assert_cmpuint (limit.rlim_max, ==, 0);
  g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
  g_assert_true (cairn_hardening_core_dumps_disabled ());

  /* The hard limit is zero too, so nothing later in the process (a library,
   * a crash handler) can raise it again. Root could, so as root this is
   * tried as nobody, in a child that inherits the limit. */
  cairn_test_run_unprivileged (limit_stays, NULL);
}

static void
test_hardening_crash_writes_no_core (void)
{
  g_autoptr(GError) error = NULL;
  int status = 0;
  pid_t pid;

  g_assert_true (cairn_hardening_disable_core_dumps (&error));
  g_assert_no_error (error);

  /* A child inherits the limit; when it crashes the kernel reports that no
   * core was written. */
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      raise (SIGSEGV);
      _exit (0);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGSEGV);
  g_assert_false (WCOREDUMP (status));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hardening/disables-core-dumps", test_hardening_disables_core_dumps);
  g_test_add_func ("/hardening/crash-writes-no-core", test_hardening_crash_writes_no_core);

  return g_test_run ();
}
