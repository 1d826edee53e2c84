/* cairn-migrations.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-database.h"

G_BEGIN_DECLS

typedef enum
{
  CAIRN_DATABASE_KIND_PRACTICE,
  CAIRN_DATABASE_KIND_CLINICAL,
} CairnDatabaseKind;

guint    cairn_migrations_latest     (CairnDatabaseKind   kind);
guint    cairn_migrations_version    (CairnDatabase      *db,
                                      GError            **error);
gboolean cairn_migrations_run        (CairnDatabase      *db,
                                      CairnDatabaseKind   kind,
                                      guint               target,
                                      GError            **error);

G_END_DECLS
