/* cairn-test-demo.h
 *
 * The demo practice for a test program that needs no display: made once
 * in main(), in a temporary folder, and unlocked as its clinician.
 *
 *   parent = cairn_test_demo_make ("cairn-screens-XXXXXX", now, &dir);
 *   demo = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
 *   …
 *   cairn_test_remove_tree (parent);
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-demo.h"
#include "cairn-vault.h"

/* Makes the demo practice as of @now in a new temporary folder named after
 * @name_template (ending in XXXXXX), in its "demo" folder; returns the
 * temporary folder and, in @dir, the vault's. */
static inline char *
cairn_test_demo_make (const char  *name_template,
                      GDateTime   *now,
                      char       **dir)
{
  g_autoptr(GError) error = NULL;
  char *parent = g_dir_make_tmp (name_template, &error);

  g_assert_no_error (error);
  *dir = g_build_filename (parent, "demo", NULL);
  if (!cairn_demo_create (*dir, now, &error))
    g_error ("The demo practice could not be made: %s", error->message);
  return parent;
}
