/* cairn-audit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-database.h"

G_BEGIN_DECLS

/* "3F2A-91C0-77DE-0B14": the first 16 hex digits of the newest entry's
 * hash, in groups of four, to read out or print. */
#define CAIRN_AUDIT_FINGERPRINT_LENGTH 19

/* Where an audit trail ended when a report was made from its database. */
typedef struct
{
  guint entries;
  char  fingerprint[CAIRN_AUDIT_FINGERPRINT_LENGTH + 1];
} CairnAuditHead;

gboolean cairn_audit_append        (CairnDatabase         *db,
                                    const char            *user_id,
                                    const char            *action,
                                    const char            *entity,
                                    const char            *detail,
                                    GError               **error);
gboolean cairn_audit_verify        (CairnDatabase         *db,
                                    guint                 *n_entries,
                                    GError               **error);
gboolean cairn_audit_get_head      (CairnDatabase         *db,
                                    guint                 *n_entries,
                                    char                 **fingerprint,
                                    GError               **error);
gboolean cairn_audit_head_read     (CairnDatabase         *db,
                                    CairnAuditHead        *head,
                                    GError               **error);
char    *cairn_audit_head_describe (const CairnAuditHead  *head);

G_END_DECLS
