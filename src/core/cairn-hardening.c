/* cairn-hardening.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-hardening"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "cairn-hardening.h"

G_DEFINE_QUARK (cairn-hardening-error-quark, cairn_hardening_error)

/**
 * cairn_hardening_disable_core_dumps:
 * @error: return location for a #GError
 *
 * Makes sure a crash of this process never writes its memory to disk.
 *
 * Once a vault is unlocked, the process holds keys and decrypted pages; a core
 * file (or a crash reporter reading /proc/self/mem) would put them on disk in
 * the clear. This sets the core size limit to zero, hard and soft, and marks
 * the process as not dumpable, which also stops other processes of the same
 * user from attaching to it with ptrace.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_hardening_disable_core_dumps (GError **error)
{
  struct rlimit no_core = { 0, 0 };

  if (setrlimit (RLIMIT_CORE, &no_core) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CAIRN_HARDENING_ERROR, CAIRN_HARDENING_ERROR_FAILED,
                   "Could not disable core dumps: %s", g_strerror (saved_errno));
      return FALSE;
    }

  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CAIRN_HARDENING_ERROR, CAIRN_HARDENING_ERROR_FAILED,
                   "Could not mark the process as not dumpable: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * cairn_hardening_core_dumps_disabled:
 *
 * Returns: %TRUE if this process can neither write a core file nor be
 *   attached to by another unprivileged process
 */
gboolean
cairn_hardening_core_dumps_disabled (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_CORE, &limit) != 0)
    return FALSE;

  return limit.rlim_cur == 0 && limit.rlim_max == 0 &&
         prctl (PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
}
