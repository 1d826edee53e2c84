/* cairn-rows.h
 *
 * Reading rows from a vault database: prepare, bind, step, typed columns,
 * and one error at the end, so that each store need not write its own.
 *
 *   g_autoptr(CairnRows) rows = cairn_rows_prepare (db, "SELECT id, name FROM rooms WHERE kind = ?", error);
 *
 *   if (rows == NULL)
 *     return NULL;
 *   cairn_rows_bind_text (rows, 1, kind);
 *   while (cairn_rows_next (rows))
 *     g_ptr_array_add (names, cairn_rows_dup (rows, 1));
 *   if (!cairn_rows_finish (rows, error))
 *     return NULL;
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"

G_BEGIN_DECLS

typedef struct _CairnRows CairnRows;

CairnRows    *cairn_rows_prepare     (CairnDatabase  *db,
                                      const char     *sql,
                                      GError        **error);
void          cairn_rows_bind_text   (CairnRows      *rows,
                                      int             index,
                                      const char     *value);
void          cairn_rows_bind_int64  (CairnRows      *rows,
                                      int             index,
                                      gint64          value);
gboolean      cairn_rows_next        (CairnRows      *rows);
gboolean      cairn_rows_finish      (CairnRows      *rows,
                                      GError        **error);
void          cairn_rows_free        (CairnRows      *rows);

const char   *cairn_rows_text        (CairnRows      *rows,
                                      int             column);
char         *cairn_rows_dup         (CairnRows      *rows,
                                      int             column);
gint64        cairn_rows_int64       (CairnRows      *rows,
                                      int             column);
int           cairn_rows_int         (CairnRows      *rows,
                                      int             column);
double        cairn_rows_double      (CairnRows      *rows,
                                      int             column);
gboolean      cairn_rows_is_null     (CairnRows      *rows,
                                      int             column);
sqlite3_stmt *cairn_rows_get_statement (CairnRows    *rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnRows, cairn_rows_free)

G_END_DECLS
