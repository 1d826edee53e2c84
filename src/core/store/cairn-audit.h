/* cairn-audit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-database.h"

G_BEGIN_DECLS

gboolean cairn_audit_append (CairnDatabase  *db,
                             const char     *user_id,
                             const char     *action,
                             const char     *entity,
                             const char     *detail,
                             GError        **error);
gboolean cairn_audit_verify (CairnDatabase  *db,
                             guint          *n_entries,
                             GError        **error);

G_END_DECLS
