/* cairn-demo-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-vault.h"

G_BEGIN_DECLS

gboolean cairn_demo_add_clinical (CairnVault  *vault,
                                  GDateTime   *now,
                                  GPtrArray   *patient_ids,
                                  GError     **error);

G_END_DECLS
