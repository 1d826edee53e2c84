/* cairn-test-answer.h
 *
 * Waits for the answer to an _async call in a test with no display:
 *
 *   g_autoptr(GAsyncResult) answer = NULL;
 *
 *   cairn_today_set_status_async (vault, id, "checked-in", NULL, cairn_test_answered_cb, &answer);
 *   ok = cairn_today_set_status_finish (vault, cairn_test_wait_answer (&answer), &error);
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

/* The callback to give: keeps the answer in the GAsyncResult * pointed to. */
static inline void
cairn_test_answered_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

/* Iterates the main context until the answer is in @slot; it stays there. */
static inline GAsyncResult *
cairn_test_wait_answer (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}
