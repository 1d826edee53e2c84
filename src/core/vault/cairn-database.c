/* cairn-database.c
 *
 * One connection to one vault database through the encrypting VFS, set up
 * so that nothing can route around it: temporary storage in memory, no
 * ATTACH of files, no extensions, defensive mode, and the settings that
 * keep a crash from losing a committed transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "cairn-database.h"
#include "cairn-vfs.h"

struct _CairnDatabase
{
  sqlite3   *db;
  char      *full_path;
  char      *name;
  GTimeZone *zone;      /* the practice's; NULL until the vault says */
};

G_DEFINE_QUARK (cairn-database-error-quark, cairn_database_error)

/* Second line of defence after the VFS's own pragma veto: this one also
 * sees pragmas aimed at the temp schema, which has no file to veto them. */
static int
authorize_cb (void       *data,
              int         action,
              const char *arg1,
              const char *arg2,
              const char *db_name,
              const char *trigger)
{
  switch (action)
    {
    case SQLITE_ATTACH:
      /* VACUUM attaches an unnamed temporary database (in memory here);
       * any named file would be an unencrypted copy. */
      return arg1 != NULL && arg1[0] == '\0' ? SQLITE_OK : SQLITE_DENY;

    case SQLITE_PRAGMA:
      if (arg2 == NULL)
        return SQLITE_OK;
      if (g_ascii_strcasecmp (arg1, "temp_store") == 0)
        return g_ascii_strcasecmp (arg2, "memory") == 0 || g_strcmp0 (arg2, "2") == 0
               ? SQLITE_OK : SQLITE_DENY;
      if (g_ascii_strcasecmp (arg1, "mmap_size") == 0)
        return g_strcmp0 (arg2, "0") == 0 ? SQLITE_OK : SQLITE_DENY;
      if (g_ascii_strcasecmp (arg1, "writable_schema") == 0 ||
          g_ascii_strcasecmp (arg1, "temp_store_directory") == 0 ||
          g_ascii_strcasecmp (arg1, "data_store_directory") == 0)
        return SQLITE_DENY;
      return SQLITE_OK;

    default:
      return SQLITE_OK;
    }
}

/**
 * cairn_database_set_error:
 * @self: a database
 * @rc: an SQLite result code
 * @error: return location for a #GError
 *
 * Turns @rc into an error that says what happened to which file.
 */
void
cairn_database_set_error (CairnDatabase  *self,
                          int             rc,
                          GError        **error)
{
  const char *name = self->name;

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_FULL,
                   "The disk is full: %s could not be written. Nothing was saved; free some space and try again.",
                   name);
      break;
    case SQLITE_READONLY:
      if (rc == SQLITE_READONLY_ROLLBACK)
        {
          g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_INTERRUPTED,
                       "%s holds a change that was interrupted (a crash or a power cut) and has "
                       "not been rolled back yet. Unlock the vault in Cairn once, which rolls it "
                       "back, then check it again.", name);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case SQLITE_PERM:
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_READ_ONLY,
                   "%s cannot be written: the vault folder or file is read-only.", name);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_IN_USE,
                   "%s is in use by another copy of Cairn.", name);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "%s is damaged (%s). Restore it from a backup.", name, sqlite3_errstr (rc));
      break;
    case SQLITE_IOERR:
      if (rc == SQLITE_IOERR_DATA)
        {
          g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                       "%s is damaged: part of it failed authentication. Restore it from a backup.",
                       name);
          break;
        }
      /* A write the disk refused (too large, an I/O fault): the transaction
       * rolls back, so nothing was saved. */
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_FAILED,
                   "%s could not be read or written (%s)", name, sqlite3_errstr (rc));
      break;
    default:
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_FAILED,
                   "%s: %s", name,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    }
}

gboolean
cairn_database_exec (CairnDatabase  *self,
                     const char     *sql,
                     GError        **error)
{
  int rc;

  g_return_val_if_fail (self != NULL && sql != NULL, FALSE);

  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      cairn_database_set_error (self, sqlite3_extended_errcode (self->db), error);
      return FALSE;
    }

  return TRUE;
}

/**
 * cairn_database_run:
 * @self: a database
 * @sql: one statement with `?` parameters
 * @values: (array length=n_values) (nullable): text values for them, in order
 *   (a %NULL element binds SQL NULL)
 * @n_values: how many
 * @error: return location for a #GError
 *
 * Runs a statement that returns no rows.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_database_run (CairnDatabase      *self,
                    const char         *sql,
                    const char * const *values,
                    guint               n_values,
                    GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (self != NULL && sql != NULL, FALSE);

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < n_values; i++)
    rc = sqlite3_bind_text (stmt, (int) i + 1, values[i], -1, SQLITE_TRANSIENT);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      cairn_database_set_error (self, sqlite3_extended_errcode (self->db), error);
      return FALSE;
    }
  return TRUE;
}

/**
 * cairn_database_query_text:
 * @self: a database
 * @sql: a query whose first row's first column is wanted, with `?` parameters
 * @values: (array length=n_values) (nullable): text values for them
 * @n_values: how many
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the value, or %NULL with no error set
 *   when there is no row or the value is NULL
 */
char *
cairn_database_query_text (CairnDatabase      *self,
                           const char         *sql,
                           const char * const *values,
                           guint               n_values,
                           GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;
  int rc;

  g_return_val_if_fail (self != NULL && sql != NULL, NULL);

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < n_values; i++)
    rc = sqlite3_bind_text (stmt, (int) i + 1, values[i], -1, SQLITE_TRANSIENT);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    cairn_database_set_error (self, sqlite3_extended_errcode (self->db), error);
  return result;
}

/**
 * cairn_database_transaction:
 * @self: a database
 * @func: the work, which may fail
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * Runs @func inside one write transaction: everything it wrote commits
 * together, or (when it fails, or the commit does) nothing does. This is
 * what a user's action is.
 *
 * Returns: %TRUE when committed
 */
gboolean
cairn_database_transaction (CairnDatabase             *self,
                            CairnDatabaseTransaction   func,
                            gpointer                   user_data,
                            GError                   **error)
{
  g_return_val_if_fail (self != NULL && func != NULL, FALSE);
  g_return_val_if_fail (sqlite3_get_autocommit (self->db), FALSE);

  if (!cairn_database_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (func (self, user_data, error) && cairn_database_exec (self, "COMMIT", error))
    return TRUE;

  /* After a failed COMMIT SQLite may already have rolled back. */
  if (!sqlite3_get_autocommit (self->db))
    cairn_database_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
file_is_empty (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) != 0 || st.st_size == 0;
}

static gboolean
query_int64 (CairnDatabase *self,
             const char    *sql,
             gint64        *out)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *out = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  return rc == SQLITE_OK;
}

/* The file must be exactly the pages its header counts: SQLite itself
 * ignores bytes and pages appended after them. */
static gboolean
cairn_database_check_length (CairnDatabase  *self,
                             GError        **error)
{
  GStatBuf st;
  gint64 pages = 0;

  if (g_stat (self->full_path, &st) != 0 || !query_int64 (self, "PRAGMA page_count", &pages))
    {
      cairn_database_set_error (self, sqlite3_extended_errcode (self->db), error);
      return FALSE;
    }

  if (st.st_size % CAIRN_VFS_PAGE_SIZE != 0 || st.st_size / CAIRN_VFS_PAGE_SIZE != pages)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "%s is damaged: it is %" G_GINT64_FORMAT " bytes long, but holds %" G_GINT64_FORMAT
                   " pages of %d bytes. Restore it from a backup.",
                   self->name, (gint64) st.st_size, pages, CAIRN_VFS_PAGE_SIZE);
      return FALSE;
    }

  return TRUE;
}

/* A database failed to open as a sound one: say which page is at fault,
 * and whether it looks like the key of another vault. Takes @found. */
static void
explain_damage (CairnDatabase  *self,
                const guint8   *key,
                const guint8   *file_id,
                GError         *found,
                GError        **error)
{
  g_autoptr(GError) detail = NULL;

  if (cairn_vfs_verify_file (self->full_path, key, file_id, NULL, &detail))
    {
      if (found != NULL)
        g_propagate_error (error, found);
      else
        cairn_database_set_error (self, SQLITE_IOERR_DATA, error);
      return;
    }

  g_clear_error (&found);
  g_set_error (error, CAIRN_DATABASE_ERROR,
               g_error_matches (detail, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_WRONG_KEY)
               ? CAIRN_DATABASE_ERROR_WRONG_KEY : CAIRN_DATABASE_ERROR_DAMAGED,
               "%s.", detail->message);
}

typedef enum
{
  OPEN_EXISTING,
  OPEN_CREATE,
  OPEN_READ_ONLY,
} OpenMode;

static CairnDatabase *
open_database (const char    *path,
               const guint8  *key,
               const guint8  *file_id,
               OpenMode       mode,
               GError       **error)
{
  g_autoptr(CairnDatabase) self = NULL;
  g_autofree char *full_path = NULL;
  g_autoptr(GError) local_error = NULL;
  int reserve = CAIRN_VFS_RESERVED_BYTES;
  gboolean create = mode == OPEN_CREATE;
  gboolean fresh;
  int flags = (mode == OPEN_READ_ONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_EXRESCODE;
  int rc;

  g_return_val_if_fail (path != NULL && key != NULL && file_id != NULL, NULL);

  full_path = cairn_vfs_full_path (path, error);
  if (full_path == NULL)
    return NULL;

  if (!create && !g_file_test (full_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *name = g_path_get_basename (path);

      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "%s is missing from the vault folder. Restore the vault folder from a backup.", name);
      return NULL;
    }

  /* Only creating makes a new database: an existing vault's database that
   * is empty or shorter than its first page has lost what it held, and
   * SQLite would take it for a new one. */
  if (!create)
    {
      g_autofree char *name = g_path_get_basename (path);
      GStatBuf st;

      if (g_stat (full_path, &st) == 0 && st.st_size < CAIRN_VFS_PAGE_SIZE)
        {
          g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                       "%s is damaged: it is %" G_GINT64_FORMAT " bytes long, shorter than its first "
                       "page, and what it held is lost. Restore the vault folder from a backup.",
                       name, (gint64) st.st_size);
          return NULL;
        }
    }
  if (create)
    {
      /* The file is made here, private whatever the process's umask:
       * SQLite would make it 0644 less the umask, and gives its journal
       * the database's mode. */
      int fd = g_open (full_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          int saved = errno;
          g_autofree char *name = g_path_get_basename (path);

          g_set_error (error, CAIRN_DATABASE_ERROR,
                       saved == ENOSPC ? CAIRN_DATABASE_ERROR_FULL : CAIRN_DATABASE_ERROR_FAILED,
                       "%s could not be made: %s", name, g_strerror (saved));
          return NULL;
        }
      close (fd);
      flags |= SQLITE_OPEN_CREATE;
    }

  if (!cairn_vfs_add_file (full_path, key, file_id, error))
    return NULL;

  self = g_new0 (CairnDatabase, 1);
  self->full_path = g_steal_pointer (&full_path);
  self->name = g_path_get_basename (path);
  fresh = create && file_is_empty (self->full_path);

  rc = sqlite3_open_v2 (self->full_path, &self->db, flags, CAIRN_VFS_NAME);
  if (rc != SQLITE_OK)
    {
      g_autofree char *problem = cairn_vfs_dup_problem (self->full_path);

      /* Recovery found the database or its journal damaged, or SQLite
       * read the header of page 1 and it failed. */
      if (problem != NULL)
        g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED, "%s", problem);
      else if (rc == SQLITE_IOERR_DATA)
        explain_damage (self, key, file_id, NULL, error);
      else if ((rc & 0xff) == SQLITE_CANTOPEN && g_access (self->full_path, F_OK) == 0)
        cairn_database_set_error (self, SQLITE_READONLY, error);
      else
        cairn_database_set_error (self, rc, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  /* The schema is trusted: "untrusted" guards against a database file
   * crafted by someone else, and nobody without the key can craft a page
   * that authenticates. The migrations' triggers keep the full-text
   * indexes in step, which an untrusted schema would forbid. */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 1, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
  sqlite3_busy_timeout (self->db, 2000);

  if (fresh)
    {
      if (!cairn_database_exec (self, "PRAGMA page_size = 4096", error))
        return NULL;
      rc = sqlite3_file_control (self->db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
      if (rc != SQLITE_OK)
        {
          cairn_database_set_error (self, rc, error);
          return NULL;
        }
    }

  /* Page 1 is first read here: a failure to authenticate it most likely
   * means a database from another vault, or a damaged header. */
  if (!cairn_database_exec (self,
                            "PRAGMA temp_store = MEMORY;"
                            "PRAGMA locking_mode = EXCLUSIVE;"
                            "PRAGMA journal_mode = TRUNCATE;"
                            "PRAGMA synchronous = FULL;"
                            /* Nothing reaches the database before the commit,
                             * so each transaction's journal is sealed once. */
                            "PRAGMA cache_spill = OFF;"
                            "PRAGMA foreign_keys = ON;"
                            "PRAGMA cell_size_check = ON;"
                            /* Every page read from disk is authenticated and
                             * decrypted (about 5 µs here), so the page cache
                             * earns more than with plain SQLite's 2 MiB: a
                             * practice's working set fits in 32 MiB. The cache
                             * is the zeroing allocator's, and goes at lock. */
                            "PRAGMA cache_size = -" G_STRINGIFY (CAIRN_DATABASE_CACHE_KIB) ";"
                            /* Takes the exclusive lock now, so that a second
                             * Cairn finds the vault busy at once. */
                            "SELECT count(*) FROM sqlite_schema;",
                            &local_error) ||
      !cairn_database_check_length (self, &local_error))
    {
      if (g_error_matches (local_error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED))
        explain_damage (self, key, file_id, g_steal_pointer (&local_error), error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!fresh)
    {
      reserve = -1;
      sqlite3_file_control (self->db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
      if (reserve != CAIRN_VFS_RESERVED_BYTES)
        {
          g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                       "%s is not a vault database.", self->name);
          return NULL;
        }
    }

  sqlite3_set_authorizer (self->db, authorize_cb, NULL);

  return g_steal_pointer (&self);
}

/**
 * cairn_database_open:
 * @path: the database file
 * @key: (array fixed-size=32): its key
 * @file_id: (array fixed-size=16): its id
 * @create: whether to create it when it does not exist
 * @error: return location for a #GError
 *
 * Opens @path through the encrypting VFS. Reads page 1 before returning, so
 * a wrong key or a damaged header is reported here. Without @create, a
 * file that is missing, empty or shorter than one page is damaged.
 *
 * Returns: (transfer full) (nullable): the open database
 */
CairnDatabase *
cairn_database_open (const char    *path,
                     const guint8  *key,
                     const guint8  *file_id,
                     gboolean       create,
                     GError       **error)
{
  return open_database (path, key, file_id, create ? OPEN_CREATE : OPEN_EXISTING, error);
}

/**
 * cairn_database_open_read_only:
 * @path: the database file
 * @key: (array fixed-size=32): its key
 * @file_id: (array fixed-size=16): its id
 * @error: return location for a #GError
 *
 * Opens an existing database without ever writing to it, for checking a
 * vault (a backup on a read-only disk included). A database left with an
 * interrupted transaction cannot be read this way: its journal must be
 * rolled back first, by opening it for writing.
 *
 * Returns: (transfer full) (nullable): the open database
 */
CairnDatabase *
cairn_database_open_read_only (const char    *path,
                               const guint8  *key,
                               const guint8  *file_id,
                               GError       **error)
{
  return open_database (path, key, file_id, OPEN_READ_ONLY, error);
}

/**
 * cairn_database_close:
 * @self: (transfer full): a database
 *
 * Closes the connection and wipes the key the VFS held for it.
 */
void
cairn_database_close (CairnDatabase *self)
{
  if (self == NULL)
    return;

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->full_path != NULL)
    cairn_vfs_remove_file (self->full_path);
  g_free (self->full_path);
  g_free (self->name);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_free (self);
}

/**
 * cairn_database_set_time_zone:
 * @self: a database
 * @zone: the practice's time zone
 *
 * What "today" means for the records of this database: a date of a past
 * event may not be later than the practice's today, wherever the machine's
 * clock is set. The vault sets it when it opens the database.
 */
void
cairn_database_set_time_zone (CairnDatabase *self,
                              GTimeZone     *zone)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (zone != NULL);

  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = g_time_zone_ref (zone);
}

/**
 * cairn_database_get_time_zone:
 * @self: a database
 *
 * Returns: (transfer none): the practice's time zone, or the machine's
 *   until the vault has set it
 */
GTimeZone *
cairn_database_get_time_zone (CairnDatabase *self)
{
  static GTimeZone *local = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->zone != NULL)
    return self->zone;
  if (g_once_init_enter (&local))
    g_once_init_leave (&local, g_time_zone_new_local ());
  return local;
}

/**
 * cairn_database_today:
 * @self: a database
 *
 * Returns: (transfer full): today in the practice's zone, "YYYY-MM-DD"
 */
char *
cairn_database_today (CairnDatabase *self)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  now = g_date_time_new_now (cairn_database_get_time_zone (self));
  return g_date_time_format (now, "%Y-%m-%d");
}

sqlite3 *
cairn_database_get_handle (CairnDatabase *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->db;
}

const char *
cairn_database_get_path (CairnDatabase *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->full_path;
}

/**
 * cairn_database_check:
 * @self: a database
 * @error: return location for a #GError
 *
 * Runs SQLite's integrity check, which reads (and so authenticates) every
 * page in use.
 *
 * Returns: %TRUE when the check says "ok"
 */
gboolean
cairn_database_check (CairnDatabase  *self,
                      GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA integrity_check(20)", -1, &stmt, NULL);
  while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", line);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      cairn_database_set_error (self, sqlite3_extended_errcode (self->db), error);
      return FALSE;
    }
  if (problems->len > 0)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_DAMAGED,
                   "%s is damaged: %s", self->name, problems->str);
      return FALSE;
    }

  return TRUE;
}
