/* cairn-migrations.c
 *
 * Numbered SQL files, shipped as resources, bring each database from the
 * schema version it has (PRAGMA user_version) to the one this Cairn knows.
 * Each step is its own transaction: a failure leaves the database at the
 * last complete version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <gio/gio.h>

#include "cairn-migrations.h"
#include "cairn-sql-resources.h"

static const char *
kind_folder (CairnDatabaseKind kind)
{
  return kind == CAIRN_DATABASE_KIND_PRACTICE ? "practice" : "clinical";
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The migration files of @kind, in order; checks they are numbered 1..n. */
static GStrv
list_migrations (CairnDatabaseKind kind)
{
  g_autofree char *folder = g_strdup_printf ("/app/cairn/Cairn/sql/%s/", kind_folder (kind));
  g_auto(GStrv) names = NULL;

  /* Referencing the resource keeps it linked in from the static library. */
  (void) cairn_sql_get_resource ();

  names = g_resources_enumerate_children (folder, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (names != NULL);
  qsort (names, g_strv_length (names), sizeof (char *), compare_strings);
  for (guint i = 0; names[i] != NULL; i++)
    {
      char *path = g_strconcat (folder, names[i], NULL);

      g_assert (g_ascii_strtoull (names[i], NULL, 10) == i + 1);
      g_free (names[i]);
      names[i] = path;
    }

  return g_steal_pointer (&names);
}

guint
cairn_migrations_latest (CairnDatabaseKind kind)
{
  g_auto(GStrv) names = list_migrations (kind);

  return g_strv_length (names);
}

guint
cairn_migrations_version (CairnDatabase  *db,
                          GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (cairn_database_get_handle (db), "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version < 0)
    cairn_database_set_error (db, sqlite3_extended_errcode (cairn_database_get_handle (db)), error);
  return (guint) MAX (version, 0);
}

/**
 * cairn_migrations_run:
 * @db: a database
 * @kind: which of the vault's databases it is
 * @target: the version to reach, or 0 for the latest
 * @error: return location for a #GError
 *
 * Returns: %TRUE when @db is at @target; %FALSE with
 *   %CAIRN_DATABASE_ERROR_NEWER when it is already past what this Cairn knows
 */
gboolean
cairn_migrations_run (CairnDatabase      *db,
                      CairnDatabaseKind   kind,
                      guint               target,
                      GError            **error)
{
  g_auto(GStrv) migrations = list_migrations (kind);
  guint latest = g_strv_length (migrations);
  g_autoptr(GError) local_error = NULL;
  guint version;

  g_return_val_if_fail (target <= latest, FALSE);

  if (target == 0)
    target = latest;

  version = cairn_migrations_version (db, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (version > latest)
    {
      g_set_error (error, CAIRN_DATABASE_ERROR, CAIRN_DATABASE_ERROR_NEWER,
                   "This vault was last used by a newer version of Cairn (%s.db version %u; "
                   "this Cairn knows up to %u). Update Cairn to open it.",
                   kind_folder (kind), version, latest);
      return FALSE;
    }

  for (guint step = version + 1; step <= target; step++)
    {
      g_autoptr(GBytes) sql = g_resources_lookup_data (migrations[step - 1], G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autofree char *script = NULL;

      g_assert (sql != NULL);
      script = g_strdup_printf ("BEGIN IMMEDIATE;\n%.*s\nPRAGMA user_version = %u;\nCOMMIT;",
                                (int) g_bytes_get_size (sql), (const char *) g_bytes_get_data (sql, NULL),
                                step);
      if (!cairn_database_exec (db, script, error))
        {
          cairn_database_exec (db, "ROLLBACK", NULL);
          g_prefix_error (error, "Updating the vault to version %u failed: ", step);
          return FALSE;
        }
      g_debug ("Migrated %s.db to version %u", kind_folder (kind), step);
    }

  return TRUE;
}
