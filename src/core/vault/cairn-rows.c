/* cairn-rows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-vault"

#include "config.h"

#include "cairn-rows.h"

struct _CairnRows
{
  CairnDatabase *db;
  sqlite3_stmt  *stmt;
  int            rc;   /* the first failure, or SQLITE_OK / ROW / DONE */
};

static gboolean
failed (int rc)
{
  return rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE;
}

/**
 * cairn_rows_prepare:
 * @db: a database
 * @sql: one statement
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the statement, ready to bind and
 *   step, or %NULL with @error set when it cannot be prepared
 */
CairnRows *
cairn_rows_prepare (CairnDatabase  *db,
                    const char     *sql,
                    GError        **error)
{
  sqlite3 *handle = cairn_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  CairnRows *rows;
  int rc;

  g_return_val_if_fail (db != NULL && sql != NULL, NULL);

  rc = sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      cairn_database_set_error (db, sqlite3_extended_errcode (handle), error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  rows = g_new0 (CairnRows, 1);
  rows->db = db;
  rows->stmt = stmt;
  rows->rc = SQLITE_OK;
  return rows;
}

static void
keep_failure (CairnRows *rows,
              int        rc)
{
  if (failed (rc) && !failed (rows->rc))
    rows->rc = sqlite3_extended_errcode (cairn_database_get_handle (rows->db));
}

/* Binds @value (NULL binds NULL) to the parameter @index, from 1. A failure
 * is kept: cairn_rows_next() then gives no row, and cairn_rows_finish()
 * reports it. */
void
cairn_rows_bind_text (CairnRows  *rows,
                      int         index,
                      const char *value)
{
  keep_failure (rows, value != NULL ? sqlite3_bind_text (rows->stmt, index, value, -1, SQLITE_TRANSIENT)
                                    : sqlite3_bind_null (rows->stmt, index));
}

void
cairn_rows_bind_int64 (CairnRows *rows,
                       int        index,
                       gint64     value)
{
  keep_failure (rows, sqlite3_bind_int64 (rows->stmt, index, value));
}

/**
 * cairn_rows_next:
 * @rows: rows being read
 *
 * Steps to the next row.
 *
 * Returns: %TRUE on a row; %FALSE when there are no more, or on a
 *   failure, which cairn_rows_finish() reports
 */
gboolean
cairn_rows_next (CairnRows *rows)
{
  int rc;

  if (failed (rows->rc) || rows->rc == SQLITE_DONE)
    return FALSE;
  rc = sqlite3_step (rows->stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    rows->rc = rc;
  else
    keep_failure (rows, rc);
  return rc == SQLITE_ROW;
}

/**
 * cairn_rows_finish:
 * @rows: rows read
 * @error: return location for a #GError
 *
 * Says whether every step and bind succeeded. Rows not read are not a
 * failure: a caller may stop at the first.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
cairn_rows_finish (CairnRows  *rows,
                   GError    **error)
{
  if (!failed (rows->rc))
    return TRUE;
  cairn_database_set_error (rows->db, rows->rc, error);
  return FALSE;
}

void
cairn_rows_free (CairnRows *rows)
{
  if (rows == NULL)
    return;
  sqlite3_finalize (rows->stmt);
  g_free (rows);
}

/* The column's text, valid until the next step; NULL for SQL NULL. */
const char *
cairn_rows_text (CairnRows *rows,
                 int        column)
{
  return (const char *) sqlite3_column_text (rows->stmt, column);
}

char *
cairn_rows_dup (CairnRows *rows,
                int        column)
{
  return g_strdup (cairn_rows_text (rows, column));
}

gint64
cairn_rows_int64 (CairnRows *rows,
                  int        column)
{
  return sqlite3_column_int64 (rows->stmt, column);
}

int
cairn_rows_int (CairnRows *rows,
                int        column)
{
  return sqlite3_column_int (rows->stmt, column);
}

double
cairn_rows_double (CairnRows *rows,
                   int        column)
{
  return sqlite3_column_double (rows->stmt, column);
}

gboolean
cairn_rows_is_null (CairnRows *rows,
                    int        column)
{
  return sqlite3_column_type (rows->stmt, column) == SQLITE_NULL;
}

/* For what the reader does not cover (a blob, a column's type). */
sqlite3_stmt *
cairn_rows_get_statement (CairnRows *rows)
{
  return rows->stmt;
}
