/* cairn-secret-input.c
 *
 * Reads a passphrase from a terminal or a pipe into guarded memory, for the
 * command line. On a terminal it asks without echo; from a pipe it takes
 * the first line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cairn-secret-input.h"

#define MAX_SECRET 1024

/**
 * cairn_secret_read_line:
 * @fd: where to read from, usually 0
 * @prompt: (nullable): what to ask, on standard error, when @fd is a terminal
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the line without its line ending, in
 *   memory from sodium_malloc(); free it with cairn_secret_free()
 */
char *
cairn_secret_read_line (int          fd,
                        const char  *prompt,
                        GError     **error)
{
  struct termios saved, quiet;
  gboolean tty = isatty (fd);
  gboolean echo_off = FALSE;
  char *secret;
  gsize length = 0;

  if (tty && prompt != NULL)
    {
      fputs (prompt, stderr);
      fflush (stderr);
    }
  if (tty && tcgetattr (fd, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      echo_off = tcsetattr (fd, TCSAFLUSH, &quiet) == 0;
    }

  secret = sodium_malloc (MAX_SECRET + 1);
  for (;;)
    {
      char c;
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || c == '\n')
        break;
      if (length == MAX_SECRET)
        {
          length = MAX_SECRET + 1;
          break;
        }
      secret[length++] = c;
    }

  if (echo_off)
    {
      tcsetattr (fd, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }

  if (length > MAX_SECRET)
    {
      sodium_free (secret);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The passphrase is longer than %d bytes.", MAX_SECRET);
      return NULL;
    }
  if (length > 0 && secret[length - 1] == '\r')
    length--;
  secret[length] = '\0';
  if (length == 0)
    {
      sodium_free (secret);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "No passphrase was given on standard input.");
      return NULL;
    }

  return secret;
}

void
cairn_secret_free (char *secret)
{
  if (secret != NULL)
    sodium_free (secret);
}
