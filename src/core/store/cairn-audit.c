/* cairn-audit.c
 *
 * The audit trail of one database: who did what, when, to which record.
 * An entry is written in the same transaction as the change it records,
 * and carries the SHA-256 of the entry before it, so that removing,
 * reordering or editing an entry breaks the chain for anyone who checks it.
 *
 * The end of the chain is anchored: the one row of audit_anchor holds how
 * many entries were written and the hash of the newest. A trigger moves it
 * with every entry, in the entry's transaction, and triggers refuse any
 * other change to it and any change to an entry (0006-audit-anchor.sql), so
 * that entries removed from the end, or all of them, are found too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-migrations.h"
#include "cairn-records.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The migration that adds the anchor: version 6 of practice.db and of
 * clinical.db alike. A database before it has a chain but no anchor yet. */
#define ANCHOR_VERSION 6

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

/* The anchor's row. @anchored is %FALSE for a database from before the
 * anchor; a later one without it is damaged. */
static gboolean
read_anchor (CairnDatabase  *db,
             gboolean       *anchored,
             guint          *entries,
             char          **head,
             GError        **error)
{
  sqlite3 *handle = cairn_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *tables = NULL;
  gboolean found = FALSE;
  int rc;

  *anchored = FALSE;
  tables = cairn_database_query_text (db, "SELECT count(*) FROM sqlite_schema"
                                      " WHERE type = 'table' AND name = 'audit_anchor'", NULL, 0, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (tables, "0") == 0)
    {
      guint version = cairn_migrations_version (db, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (version < ANCHOR_VERSION)
        return TRUE;
    }
  else
    {
      rc = sqlite3_prepare_v2 (handle, "SELECT entries, head FROM audit_anchor WHERE id = 1", -1, &stmt, NULL);
      if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          sqlite3_int64 n = sqlite3_column_int64 (stmt, 0);

          *entries = (guint) CLAMP (n, 0, G_MAXUINT);
          *head = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          found = TRUE;
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          cairn_database_set_error (db, sqlite3_extended_errcode (handle), error);
          return FALSE;
        }
    }

  if (!found)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "The audit trail's anchor is missing: the record of how many entries were written, "
                   "and of the newest, was removed, so entries removed from its end could not be told.");
      return FALSE;
    }
  *anchored = TRUE;
  return TRUE;
}

/* How many entries the chain holds and the newest one's hash, read from
 * the chain itself. */
static gboolean
read_chain_end (CairnDatabase  *db,
                guint          *entries,
                char          **head,
                GError        **error)
{
  sqlite3 *handle = cairn_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (handle,
                           "SELECT count(*), coalesce ((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), '"
                           GENESIS "') FROM audit", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *entries = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
      *head = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      cairn_database_set_error (db, sqlite3_extended_errcode (handle), error);
      return FALSE;
    }
  return TRUE;
}

static const char *
plural (guint       n,
        const char *one,
        const char *many)
{
  return n == 1 ? one : many;
}

/* A whole chain of @count entries ending in @last against its anchor. */
static gboolean
check_anchor (guint        count,
              const char  *last,
              guint        anchor_entries,
              const char  *anchor_head,
              GError     **error)
{
  if (count == 0 && anchor_entries > 0)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "The audit trail is empty, but %u %s written. All its entries were removed.",
                   anchor_entries, plural (anchor_entries, "entry was", "entries were"));
      return FALSE;
    }
  if (count < anchor_entries)
    {
      guint missing = anchor_entries - count;
      g_autofree char *removed = missing == 1 ? g_strdup ("Its newest entry was removed.")
                                              : g_strdup_printf ("Its newest %u entries were removed.", missing);

      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "The audit trail ends early: it holds %u %s, but %u were written. %s",
                   count, plural (count, "entry", "entries"), anchor_entries, removed);
      return FALSE;
    }
  if (count > anchor_entries)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "The audit trail holds %u %s, but its anchor records only %u: the anchor was set back "
                   "to an older state, or entries were added without moving it.",
                   count, plural (count, "entry", "entries"), anchor_entries);
      return FALSE;
    }
  if (g_strcmp0 (last, anchor_head) != 0)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "The audit trail's newest entry is not the one written last: the trail was rolled back "
                   "to an older state and written again from there.");
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
 * Recomputes every entry's hash and checks that each names the one before,
 * then that the chain ends where its anchor says: as many entries as were
 * written, the newest the one written last. A database from before the
 * anchor (a check does not migrate) has its chain checked alone.
 *
 * Returns: %TRUE when the chain is whole; %FALSE with
 *   %CAIRN_DATABASE_ERROR_DAMAGED saying what is wrong when it is not
 */
gboolean
cairn_audit_verify (CairnDatabase  *db,
                    guint          *n_entries,
                    GError        **error)
{
  sqlite3 *handle = cairn_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = g_strdup (GENESIS);
  g_autofree char *anchor_head = NULL;
  gboolean anchored = FALSE;
  guint anchor_entries = 0;
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

  if (!read_anchor (db, &anchored, &anchor_entries, &anchor_head, error) ||
      (anchored && !check_anchor (count, prev, anchor_entries, anchor_head, error)))
    return FALSE;

  if (n_entries != NULL)
    *n_entries = count;
  return TRUE;
}

/**
 * cairn_audit_get_head:
 * @db: a database
 * @n_entries: (out) (optional): how many entries were written
 * @fingerprint: (out) (optional) (transfer full): the newest entry's hash,
 *   short, e.g. "3F2A-91C0-77DE-0B14" ("0000-0000-0000-0000" for none)
 * @error: return location for a #GError
 *
 * Where the trail ends, as its anchor records it, to print on a report: a
 * copy kept elsewhere shows later that the trail then held @n_entries
 * entries, the last of them with this hash. A database from before the
 * anchor gives its chain's end. Nothing is verified here (see
 * cairn_audit_verify()).
 *
 * Returns: %TRUE on success; %FALSE with %CAIRN_DATABASE_ERROR_DAMAGED
 *   when the anchor is missing
 */
gboolean
cairn_audit_get_head (CairnDatabase  *db,
                      guint          *n_entries,
                      char          **fingerprint,
                      GError        **error)
{
  gboolean anchored = FALSE;
  guint count = 0;
  g_autofree char *head = NULL;
  char *digits;

  g_return_val_if_fail (db != NULL, FALSE);

  if (!read_anchor (db, &anchored, &count, &head, error))
    return FALSE;
  if (!anchored && !read_chain_end (db, &count, &head, error))
    return FALSE;

  if (head == NULL || strspn (head, "0123456789abcdefABCDEF") < 16)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "The audit trail's anchor is damaged: it does not hold the hash of an entry.");
      return FALSE;
    }

  digits = g_ascii_strup (head, 16);
  if (n_entries != NULL)
    *n_entries = count;
  if (fingerprint != NULL)
    *fingerprint = g_strdup_printf ("%.4s-%.4s-%.4s-%.4s", digits, digits + 4, digits + 8, digits + 12);
  g_free (digits);
  return TRUE;
}

/**
 * cairn_audit_head_read:
 * @db: a database
 * @head: (out caller-allocates): where its trail ends
 * @error: return location for a #GError
 *
 * cairn_audit_get_head() into a #CairnAuditHead, which a report keeps.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_audit_head_read (CairnDatabase   *db,
                       CairnAuditHead  *head,
                       GError         **error)
{
  g_autofree char *fingerprint = NULL;
  guint entries = 0;

  g_return_val_if_fail (db != NULL && head != NULL, FALSE);

  if (!cairn_audit_get_head (db, &entries, &fingerprint, error))
    return FALSE;
  head->entries = entries;
  g_strlcpy (head->fingerprint, fingerprint, sizeof head->fingerprint);
  return TRUE;
}

/**
 * cairn_audit_head_describe:
 * @head: where a trail ended
 *
 * Returns: (transfer full): the line a printed report carries, e.g.
 *   "Audit trail: 412 entries, head 3F2A-91C0-77DE-0B14"
 */
char *
cairn_audit_head_describe (const CairnAuditHead *head)
{
  g_return_val_if_fail (head != NULL, NULL);

  /* Translators: the footer of a printed report; %u is how many entries the
   * database's audit trail held, %s a short fingerprint of the newest one,
   * e.g. 3F2A-91C0-77DE-0B14 (keep it as it is) */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Audit trail: %u entry, head %s",
                                       "Audit trail: %u entries, head %s", head->entries),
                          head->entries, head->fingerprint);
}
