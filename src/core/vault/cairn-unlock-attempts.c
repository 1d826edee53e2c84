/* cairn-unlock-attempts.c
 *
 * The failed unlocks of a vault since its last unlock, kept in a small file
 * beside its databases (`unlock-attempts`, 0600) so that they outlast the
 * process that saw them: the growing wait holds across windows, processes
 * and `--check-vault` runs, and the next unlock writes each attempt to the
 * audit trail and then forgets them.
 *
 * No key is known when an unlock fails, so the file cannot be sealed or
 * signed: someone who can write to the vault folder can remove it. It is a
 * record for honest use and a brake on guessing through Cairn (the
 * passphrase's Argon2id cost is what slows guessing on a copy), and says
 * only what the keyring already shows: staff names and times. A name that
 * is not on the keyring is recorded as "an unknown user", never as typed.
 *
 * One attempt a line, "SECONDS WHAT", at most MAX_ATTEMPTS lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cairn-passphrase.h"
#include "cairn-unlock-attempts.h"

#define MAX_ATTEMPTS 1000
#define MAX_WHAT     300

static gint64 fixed_now;
G_LOCK_DEFINE_STATIC (fixed_now);

void
cairn_unlock_attempt_free (CairnUnlockAttempt *attempt)
{
  if (attempt == NULL)
    return;
  g_free (attempt->what);
  g_free (attempt);
}

/**
 * cairn_unlock_attempts_set_clock:
 * @unix_seconds: the time the attempts see, or 0 for the real clock
 *
 * For tests: the wait is measured against this clock.
 */
void
cairn_unlock_attempts_set_clock (gint64 unix_seconds)
{
  G_LOCK (fixed_now);
  fixed_now = unix_seconds;
  G_UNLOCK (fixed_now);
}

/**
 * cairn_unlock_attempts_now:
 *
 * Returns: now, in unix seconds, as the attempts see it
 */
gint64
cairn_unlock_attempts_now (void)
{
  gint64 now;

  G_LOCK (fixed_now);
  now = fixed_now;
  G_UNLOCK (fixed_now);
  return now != 0 ? now : g_get_real_time () / G_USEC_PER_SEC;
}

static char *
attempts_path (const char *dir)
{
  return g_build_filename (dir, CAIRN_UNLOCK_ATTEMPTS_NAME, NULL);
}

/**
 * cairn_unlock_attempts_list:
 * @dir: a vault folder
 *
 * Lines that cannot be read are passed over.
 *
 * Returns: (transfer container) (element-type CairnUnlockAttempt): the
 *   failed unlocks since the last unlock, oldest first
 */
GPtrArray *
cairn_unlock_attempts_list (const char *dir)
{
  GPtrArray *attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_unlock_attempt_free);
  g_autofree char *path = attempts_path (dir);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return attempts;
  lines = g_strsplit (contents, "\n", MAX_ATTEMPTS + 1);
  for (guint i = 0; lines[i] != NULL && attempts->len < MAX_ATTEMPTS; i++)
    {
      char *end = NULL;
      gint64 at = g_ascii_strtoll (lines[i], &end, 10);
      CairnUnlockAttempt *attempt;

      if (end == lines[i] || *end != ' ' || at <= 0 || !g_utf8_validate (end + 1, -1, NULL) ||
          strlen (end + 1) == 0 || strlen (end + 1) > MAX_WHAT)
        continue;
      attempt = g_new0 (CairnUnlockAttempt, 1);
      attempt->at = at;
      attempt->what = g_strdup (end + 1);
      g_ptr_array_add (attempts, attempt);
    }
  return attempts;
}

/**
 * cairn_unlock_attempts_record:
 * @dir: a vault folder
 * @what: what was tried, one line of text
 * @error: return location for a #GError
 *
 * Appends a failed unlock, durably, now.
 *
 * Returns: %TRUE when it was written
 */
gboolean
cairn_unlock_attempts_record (const char  *dir,
                              const char  *what,
                              GError     **error)
{
  g_autofree char *path = attempts_path (dir);
  g_autofree char *clean = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GPtrArray) earlier = cairn_unlock_attempts_list (dir);
  int fd;

  g_return_val_if_fail (dir != NULL && what != NULL, FALSE);

  /* Bounded: a script hammering the unlock must not fill the disk. */
  if (earlier->len >= MAX_ATTEMPTS)
    return TRUE;

  clean = g_utf8_make_valid (what, MIN (strlen (what), MAX_WHAT));
  g_strdelimit (clean, "\n\r", ' ');
  line = g_strdup_printf ("%" G_GINT64_FORMAT " %s\n", cairn_unlock_attempts_now (), clean);

  fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, line, strlen (line)) != (ssize_t) strlen (line) || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "The failed unlock could not be recorded: %s", g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/**
 * cairn_unlock_attempts_clear:
 * @dir: a vault folder
 *
 * Forgets the failed unlocks, once they are in the audit trail.
 */
void
cairn_unlock_attempts_clear (const char *dir)
{
  g_autofree char *path = attempts_path (dir);

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("The record of failed unlocks could not be removed: %s", g_strerror (errno));
}

/**
 * cairn_unlock_attempts_seconds_to_wait:
 * @dir: a vault folder
 *
 * After three failed unlocks in a row the next must wait, longer each time
 * (cairn_passphrase_retry_delay()), from the last one. A clock set back
 * never makes the wait longer than the delay itself.
 *
 * Returns: seconds before the next try may be made
 */
guint
cairn_unlock_attempts_seconds_to_wait (const char *dir)
{
  g_autoptr(GPtrArray) attempts = cairn_unlock_attempts_list (dir);
  const CairnUnlockAttempt *last;
  guint delay;
  gint64 elapsed;

  if (attempts->len == 0)
    return 0;
  delay = cairn_passphrase_retry_delay (attempts->len);
  last = g_ptr_array_index (attempts, attempts->len - 1);
  elapsed = MAX (cairn_unlock_attempts_now () - last->at, 0);
  return elapsed >= delay ? 0 : (guint) (delay - elapsed);
}
