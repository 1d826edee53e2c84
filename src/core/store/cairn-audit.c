/* cairn-audit.c
 *
 * The audit trail of one database: who did what, when, to which record.
 * An entry is written in the same transaction as the change it records,
 * and carries the SHA-256 of the entry before it, so that removing,
 * reordering or editing an entry breaks the chain for anyone who checks it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-records.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void
hash_field (crypto_hash_sha256_state *state,
            const char               *value)
{
  guint32 length = value != NULL ? (guint32) strlen (value) : G_MAXUINT32;
  guint8 be[4] = { length >> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff };

  crypto_hash_sha256_update (state, be, sizeof be);
  if (value != NULL)
    crypto_hash_sha256_update (state, (const guint8 *) value, strlen (value));
}

static char *
entry_hash (const char *prev_hash,
            const char *id,
            const char *at,
            const char *user_id,
            const char *action,
            const char *entity,
            const char *detail)
{
  crypto_hash_sha256_state state;
  guint8 digest[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];

  crypto_hash_sha256_init (&state);
  hash_field (&state, prev_hash);
  hash_field (&state, id);
  hash_field (&state, at);
  hash_field (&state, user_id);
  hash_field (&state, action);
  hash_field (&state, entity);
  hash_field (&state, detail);
  crypto_hash_sha256_final (&state, digest);

  return g_strdup (sodium_bin2hex (hex, sizeof hex, digest, sizeof digest));
}

/**
 * cairn_audit_append:
 * @db: a database, inside a transaction
 * @user_id: (nullable): who acted
 * @action: what they did, e.g. "vault.unlock"
 * @entity: (nullable): the record it concerns
 * @detail: (nullable): anything else worth keeping (never a passphrase)
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the entry is written (and will commit with the change)
 */
gboolean
cairn_audit_append (CairnDatabase  *db,
                    const char     *user_id,
                    const char     *action,
                    const char     *entity,
                    const char     *detail,
                    GError        **error)
{
  sqlite3 *handle;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *id = cairn_record_new_id ();
  g_autofree char *at = cairn_record_timestamp_now ();
  g_autofree char *hash = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && action != NULL, FALSE);
  handle = cairn_database_get_handle (db);
  /* Outside a transaction the entry could outlive a change that failed. */
  g_return_val_if_fail (!sqlite3_get_autocommit (handle), FALSE);

  rc = sqlite3_prepare_v2 (handle, "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    prev = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cairn_database_set_error (db, sqlite3_extended_errcode (handle), error);
      return FALSE;
    }
  if (prev == NULL)
    prev = g_strdup (GENESIS);

  hash = entry_hash (prev, id, at, user_id, action, entity, detail);

  rc = sqlite3_prepare_v2 (handle,
                           "INSERT INTO audit (id, at, user_id, action, entity, detail, prev_hash, hash)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, user_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, prev, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, hash, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      cairn_database_set_error (db, sqlite3_extended_errcode (handle), error);
      return FALSE;
    }

  return TRUE;
}

/**
 * cairn_audit_verify:
 * @db: a database
 * @n_entries: (out) (optional): how many entries the chain holds
 * @error: return location for a #GError
 *
 * Recomputes every entry's hash and checks that each names the one before.
 *
 * Returns: %TRUE when the chain is whole
 */
gboolean
cairn_audit_verify (CairnDatabase  *db,
                    guint          *n_entries,
                    GError        **error)
{
  sqlite3 *handle = cairn_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = g_strdup (GENESIS);
  guint count = 0;
  int rc;

  rc = sqlite3_prepare_v2 (handle,
                           "SELECT seq, id, at, user_id, action, entity, detail, prev_hash, hash"
                           " FROM audit ORDER BY seq", -1, &stmt, NULL);
  while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *column[9];
      g_autofree char *expected = NULL;

      for (int i = 0; i < 9; i++)
        column[i] = (const char *) sqlite3_column_text (stmt, i);

      expected = entry_hash (column[7], column[1], column[2], column[3], column[4], column[5], column[6]);
      if (g_strcmp0 (column[7], prev) != 0 || g_strcmp0 (column[8], expected) != 0)
        {
          g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                       "The audit trail is broken at entry %s: it was edited, or an entry "
                       "before it was removed.", column[0]);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      g_free (prev);
      prev = g_strdup (column[8]);
      count++;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      cairn_database_set_error (db, sqlite3_extended_errcode (handle), error);
      return FALSE;
    }

  if (n_entries != NULL)
    *n_entries = count;
  return TRUE;
}
