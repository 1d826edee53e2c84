/* cairn-vfs.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CAIRN_VFS_NAME "cairn"

/* The on-disk page: SQLite's 4096-byte page whose last 40 bytes SQLite
 * leaves to us (reserved bytes), holding the nonce and the tag. */
#define CAIRN_VFS_PAGE_SIZE      4096
#define CAIRN_VFS_RESERVED_BYTES 40
#define CAIRN_VFS_KEY_BYTES      32
#define CAIRN_VFS_FILE_ID_BYTES  16

#define CAIRN_VFS_ERROR (cairn_vfs_error_quark ())

typedef enum
{
  CAIRN_VFS_ERROR_INIT,
  CAIRN_VFS_ERROR_IN_USE,
  CAIRN_VFS_ERROR_IO,
  CAIRN_VFS_ERROR_DAMAGED,
  CAIRN_VFS_ERROR_WRONG_KEY,
} CairnVfsError;

GQuark   cairn_vfs_error_quark   (void);

gboolean cairn_vfs_init          (GError       **error);

char    *cairn_vfs_full_path     (const char    *path,
                                  GError       **error);
gboolean cairn_vfs_add_file      (const char    *full_path,
                                  const guint8  *key,
                                  const guint8  *file_id,
                                  GError       **error);
void     cairn_vfs_remove_file   (const char    *full_path);
char    *cairn_vfs_dup_problem   (const char    *full_path);

gboolean cairn_vfs_verify_file   (const char    *path,
                                  const guint8  *key,
                                  const guint8  *file_id,
                                  guint         *n_pages,
                                  GError       **error);

/* For tests: called after each page written into a database, with the
 * database's full path and the page's number (1 for the first). */
extern void (*cairn_vfs_page_written_hook) (const char *full_path,
                                            guint32     pgno);

G_END_DECLS
