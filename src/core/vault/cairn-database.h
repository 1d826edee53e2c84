/* cairn-database.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define CAIRN_DATABASE_ERROR (cairn_database_error_quark ())

/* The page cache of each vault connection, in KiB (see cairn_database_open). */
#define CAIRN_DATABASE_CACHE_KIB 32768

typedef enum
{
  CAIRN_DATABASE_ERROR_FAILED,
  CAIRN_DATABASE_ERROR_WRONG_KEY,
  CAIRN_DATABASE_ERROR_DAMAGED,
  CAIRN_DATABASE_ERROR_FULL,
  CAIRN_DATABASE_ERROR_READ_ONLY,
  CAIRN_DATABASE_ERROR_IN_USE,
  CAIRN_DATABASE_ERROR_NEWER,
  CAIRN_DATABASE_ERROR_INTERRUPTED,
} CairnDatabaseError;

typedef struct _CairnDatabase CairnDatabase;

typedef gboolean (*CairnDatabaseTransaction) (CairnDatabase  *db,
                                              gpointer        user_data,
                                              GError        **error);

GQuark         cairn_database_error_quark (void);

CairnDatabase *cairn_database_open        (const char     *path,
                                           const guint8   *key,
                                           const guint8   *file_id,
                                           gboolean        create,
                                           GError        **error);
CairnDatabase *cairn_database_open_read_only (const char   *path,
                                             const guint8 *key,
                                             const guint8 *file_id,
                                             GError      **error);
void           cairn_database_close       (CairnDatabase  *self);
sqlite3       *cairn_database_get_handle  (CairnDatabase  *self);
const char    *cairn_database_get_path    (CairnDatabase  *self);

gboolean       cairn_database_exec        (CairnDatabase  *self,
                                           const char     *sql,
                                           GError        **error);
gboolean       cairn_database_run         (CairnDatabase             *self,
                                           const char                *sql,
                                           const char * const        *values,
                                           guint                      n_values,
                                           GError                   **error);
char          *cairn_database_query_text  (CairnDatabase             *self,
                                           const char                *sql,
                                           const char * const        *values,
                                           guint                      n_values,
                                           GError                   **error);
gboolean       cairn_database_transaction (CairnDatabase             *self,
                                           CairnDatabaseTransaction   func,
                                           gpointer                   user_data,
                                           GError                   **error);
gboolean       cairn_database_check       (CairnDatabase  *self,
                                           GError        **error);
void           cairn_database_set_time_zone (CairnDatabase *self,
                                             GTimeZone     *zone);
GTimeZone     *cairn_database_get_time_zone (CairnDatabase *self);
char          *cairn_database_today         (CairnDatabase *self);
void           cairn_database_set_error   (CairnDatabase  *self,
                                           int             rc,
                                           GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnDatabase, cairn_database_close)

G_END_DECLS
