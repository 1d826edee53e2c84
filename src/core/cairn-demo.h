/* cairn-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-vault.h"

G_BEGIN_DECLS

/* Said on the unlock page of a demo vault. */
#define CAIRN_DEMO_USER       "demo"
#define CAIRN_DEMO_PASSPHRASE "demo"

gboolean cairn_demo_create (const char  *dir,
                            GDateTime   *now,
                            GError     **error);

G_END_DECLS
