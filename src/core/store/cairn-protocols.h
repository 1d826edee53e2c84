/* cairn-protocols.h
 *
 * The practice's protocol templates, kept in practice.db.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"
#include "cairn-protocol.h"

G_BEGIN_DECLS

/* The template the practice works with: its chosen one, or the default
 * shipped template when it has chosen none. Never NULL without an error. */
CairnProtocol *cairn_protocols_get_active (CairnDatabase  *practice,
                                           GError        **error);

G_END_DECLS
