/* cairn-fuzz.h
 *
 * What every fuzz target shares. A target defines LLVMFuzzerTestOneInput()
 * and calls cairn_fuzz_init() from LLVMFuzzerInitialize(); the same file is
 * linked with libFuzzer by build-aux/fuzz, and with fuzz-replay.c into a
 * test of the suite that runs its corpus and every crash found so far.
 *
 * A target aborts (g_error, g_assert) when a parser breaks a promise: it
 * accepts what it cannot read back, or gives a message that is not text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int  LLVMFuzzerInitialize   (int            *argc,
                             char         ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t  *data,
                             size_t          size);

/* Every GLib warning and critical is a failure, as in the test suite. */
static inline void
cairn_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* The input as a string: up to its first NUL, as a text field would hold it. */
static inline char *
cairn_fuzz_text (const uint8_t *data,
                 size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* An error shown to a person must be valid UTF-8. */
static inline void
cairn_fuzz_check_message (const GError *error)
{
  if (error != NULL && !g_utf8_validate (error->message, -1, NULL))
    g_error ("An error message is not valid UTF-8");
}

G_END_DECLS
