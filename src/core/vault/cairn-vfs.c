/* cairn-vfs.c
 *
 * A page-encrypting SQLite VFS over the system's unix VFS.
 *
 * Every page of a vault database and every page image in its rollback
 * journal is sealed with XChaCha20-Poly1305. SQLite works with 4096-byte
 * pages and leaves the last 40 bytes of each to us (the reserved bytes): on
 * disk they hold the page's random 24-byte nonce and its 16-byte tag, so a
 * page on disk is exactly as long as the page SQLite sees and file offsets
 * need no translation. The associated data binds the file's id, the kind of
 * file and the page number: a page moved, swapped or taken from another file
 * does not authenticate.
 *
 * Fail closed: every read and write must match a pattern this file knows
 * (whole pages of the database, sub-ranges of one database page, the three
 * parts of a journal record, a journal header); anything else is an I/O
 * error. No file that is not a keyed database or its journal can be opened,
 * so temporary files, WAL files and plaintext copies (VACUUM INTO, ATTACH,
 * the backup API) fail. No other VFS stays registered.
 *
 * Known limits: an older version of a page, written under the same key,
 * can be put back without detection (replay); file sizes and write patterns
 * are visible.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-vault"

#include "config.h"

#include <gio/gio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "cairn-vfs.h"

#define PAGE       CAIRN_VFS_PAGE_SIZE
#define SEALED     (PAGE - CAIRN_VFS_RESERVED_BYTES)
#define NONCE_AT   SEALED
#define TAG_AT     (SEALED + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
/* The sector size we report. SQLite writes a journal header in pieces of
 * at least 512 bytes, each at a multiple of 512; a page image never starts
 * at one (records are 4 + page + 4 bytes long, after a header). */
#define SECTOR     PAGE
#define MIN_SECTOR 512

G_STATIC_ASSERT (crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                 crypto_aead_xchacha20poly1305_ietf_ABYTES == CAIRN_VFS_RESERVED_BYTES);
G_STATIC_ASSERT (crypto_aead_xchacha20poly1305_ietf_KEYBYTES == CAIRN_VFS_KEY_BYTES);
G_STATIC_ASSERT (crypto_kdf_KEYBYTES == CAIRN_VFS_KEY_BYTES);

G_DEFINE_QUARK (cairn-vfs-error-quark, cairn_vfs_error)

typedef enum
{
  FILE_KIND_MAIN = 1,
  FILE_KIND_JOURNAL = 2,
} FileKind;

/* A database the VFS may open: its key and id, by full path. */
typedef struct
{
  gatomicrefcount ref_count;
  char           *path;
  guint8         *key;     /* sodium_malloc: seals pages */
  guint8         *mac_key; /* sodium_malloc: authenticates journal headers */
  guint8          file_id[CAIRN_VFS_FILE_ID_BYTES];
} Entry;

typedef struct
{
  sqlite3_file   base;
  sqlite3_file  *real;
  Entry         *entry;
  FileKind       kind;
  guint8        *page; /* scratch for one page, from the zeroing allocator */
  sqlite3_int64  pgno_offset; /* where the last 4-byte journal write went */
  guint32        pgno;        /* and what it said */
  /* Rollback: the checksum seed of the journal header read last, and the
   * checksum the record whose page was just read must carry. */
  gboolean       have_seed;
  guint32        seed;
  sqlite3_int64  checksum_offset;
  guint32        checksum;
} CairnFile;

static sqlite3_vfs *unix_vfs;
static GMutex entries_lock;
static GHashTable *entries; /* path → Entry */

static const guint8 journal_magic[8] = { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 };

static Entry *
entry_ref (Entry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

static void
entry_unref (Entry *entry)
{
  if (!g_atomic_ref_count_dec (&entry->ref_count))
    return;

  sodium_free (entry->key);
  sodium_free (entry->mac_key);
  g_free (entry->path);
  g_free (entry);
}

static Entry *
lookup_entry (const char *path)
{
  Entry *entry = NULL;

  g_mutex_lock (&entries_lock);
  if (entries != NULL && path != NULL)
    entry = g_hash_table_lookup (entries, path);
  if (entry != NULL)
    entry_ref (entry);
  g_mutex_unlock (&entries_lock);

  return entry;
}

/* ------------------------------------------------------------------------ */
/* Sealing pages                                                             */

static void
make_ad (guint8        ad[29],
         const Entry  *entry,
         FileKind      kind,
         guint32       pgno)
{
  memcpy (ad, "CAIRNPG1", 8);
  memcpy (ad + 8, entry->file_id, CAIRN_VFS_FILE_ID_BYTES);
  ad[24] = (guint8) kind;
  ad[25] = (guint8) (pgno >> 24);
  ad[26] = (guint8) (pgno >> 16);
  ad[27] = (guint8) (pgno >> 8);
  ad[28] = (guint8) pgno;
}

static void
seal_page (const Entry  *entry,
           FileKind      kind,
           guint32       pgno,
           const guint8 *plain,
           guint8       *out)
{
  guint8 ad[29];

  make_ad (ad, entry, kind, pgno);
  randombytes_buf (out + NONCE_AT, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached (out, out + TAG_AT, NULL,
                                                       plain, SEALED,
                                                       ad, sizeof ad,
                                                       NULL, out + NONCE_AT, entry->key);
}

/* Opens a sealed page in place. The reserved bytes read back as zeros. */
static gboolean
open_page (const Entry *entry,
           FileKind     kind,
           guint32      pgno,
           guint8      *page)
{
  guint8 ad[29];
  guint8 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
  guint8 tag[crypto_aead_xchacha20poly1305_ietf_ABYTES];

  make_ad (ad, entry, kind, pgno);
  memcpy (nonce, page + NONCE_AT, sizeof nonce);
  memcpy (tag, page + TAG_AT, sizeof tag);

  if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached (page, NULL, page, SEALED, tag,
                                                           ad, sizeof ad, nonce, entry->key) != 0)
    {
      sodium_memzero (page, PAGE);
      return FALSE;
    }

  memset (page + SEALED, 0, CAIRN_VFS_RESERVED_BYTES);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* I/O methods                                                               */

static int
cairn_file_close (sqlite3_file *file)
{
  CairnFile *self = (CairnFile *) file;
  int rc = self->real->pMethods->xClose (self->real);

  if (self->page != NULL)
    {
      sodium_memzero (self->page, PAGE);
      sqlite3_free (self->page);
    }
  g_clear_pointer (&self->entry, entry_unref);

  return rc;
}

/* The main database: whole pages, or a slice of one page (SQLite reads
 * parts of page 1). Past the end of an empty file SQLite may read page 1's
 * header; past the end of any other file nothing is legitimate. */
static int
read_main (CairnFile     *self,
           guint8        *out,
           int            amount,
           sqlite3_int64  offset)
{
  sqlite3_int64 first = offset / PAGE;
  sqlite3_int64 last = (offset + amount - 1) / PAGE;

  if (first != last && (offset % PAGE != 0 || amount % PAGE != 0))
    return SQLITE_IOERR_READ;

  for (sqlite3_int64 p = first; p <= last; p++)
    {
      int rc = self->real->pMethods->xRead (self->real, self->page, PAGE, p * PAGE);
      sqlite3_int64 from = MAX (offset, p * PAGE);
      sqlite3_int64 to = MIN (offset + amount, (p + 1) * PAGE);

      if (rc == SQLITE_IOERR_SHORT_READ)
        {
          sqlite3_int64 size = 0;

          sodium_memzero (self->page, PAGE);
          if (self->real->pMethods->xFileSize (self->real, &size) == SQLITE_OK && size == 0)
            {
              memset (out, 0, amount);
              return SQLITE_IOERR_SHORT_READ;
            }
          g_debug ("Database read past its end at page %" G_GINT64_FORMAT, (gint64) p + 1);
          return SQLITE_IOERR_DATA;
        }
      if (rc != SQLITE_OK)
        return rc;

      if (!open_page (self->entry, FILE_KIND_MAIN, (guint32) (p + 1), self->page))
        {
          g_debug ("Database page %" G_GINT64_FORMAT " failed authentication", (gint64) p + 1);
          return SQLITE_IOERR_DATA;
        }

      memcpy (out + (from - offset), self->page + (from - p * PAGE), to - from);
      sodium_memzero (self->page, PAGE);
    }

  return SQLITE_OK;
}

static int
write_main (CairnFile     *self,
            const guint8  *in,
            int            amount,
            sqlite3_int64  offset)
{
  int rc;

  if (amount != PAGE || offset % PAGE != 0)
    return SQLITE_IOERR_WRITE;

  /* Page 1 carries the header: the reserved bytes we seal into must be
   * reserved, and the page size must be ours, or data would be lost. */
  if (offset == 0 &&
      (memcmp (in, "SQLite format 3", 16) != 0 ||
       in[16] != (PAGE >> 8) || in[17] != (PAGE & 0xff) ||
       in[20] != CAIRN_VFS_RESERVED_BYTES))
    {
      g_debug ("Refusing a database header without %d reserved bytes in %d-byte pages",
               CAIRN_VFS_RESERVED_BYTES, PAGE);
      return SQLITE_IOERR_WRITE;
    }

  seal_page (self->entry, FILE_KIND_MAIN, (guint32) (offset / PAGE + 1), in, self->page);
  rc = self->real->pMethods->xWrite (self->real, self->page, PAGE, offset);
  sodium_memzero (self->page, PAGE);

  return rc;
}

/* A rollback journal is a header at each sector boundary, then records of
 * page number (4 bytes), page image (one page) and checksum (4 bytes). Page
 * images never start on a sector boundary; headers always do. */
static int
journal_pgno (CairnFile     *self,
              sqlite3_int64  page_offset,
              guint32       *pgno)
{
  guint8 be[4];
  int rc;

  if (page_offset < 4)
    return SQLITE_IOERR_READ;

  if (self->pgno_offset == page_offset - 4)
    {
      *pgno = self->pgno;
      return SQLITE_OK;
    }

  rc = self->real->pMethods->xRead (self->real, be, 4, page_offset - 4);
  if (rc != SQLITE_OK)
    return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_IOERR_DATA : rc;

  *pgno = ((guint32) be[0] << 24) | ((guint32) be[1] << 16) | ((guint32) be[2] << 8) | be[3];
  return SQLITE_OK;
}

/* SQLite trusts a journal header's record count, checksum seed and
 * original database size: a flipped record count would make it restore
 * only some of the pages it must. We keep a MAC of the header's 28 bytes in
 * its padding, written in the same call as the header, and check it before
 * SQLite reads a header that claims to be valid. */
#define HEADER_BYTES 28
#define MAC_AT       32
#define MAC_END      ((int) (MAC_AT + crypto_generichash_BYTES))

static void
header_mac (const Entry   *entry,
            sqlite3_int64  offset,
            const guint8  *header,
            guint8        *mac)
{
  crypto_generichash_state state;
  guint8 at[8];

  for (int i = 0; i < 8; i++)
    at[i] = (guint8) ((guint64) offset >> (56 - 8 * i));

  crypto_generichash_init (&state, entry->mac_key, crypto_generichash_KEYBYTES, crypto_generichash_BYTES);
  crypto_generichash_update (&state, (const guint8 *) "CAIRNJH1", 8);
  crypto_generichash_update (&state, entry->file_id, CAIRN_VFS_FILE_ID_BYTES);
  crypto_generichash_update (&state, at, sizeof at);
  crypto_generichash_update (&state, header, HEADER_BYTES);
  crypto_generichash_final (&state, mac, crypto_generichash_BYTES);
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* What SQLite's pager_cksum() computes over a page image. */
static guint32
page_checksum (guint32       seed,
               const guint8 *page)
{
  for (int i = PAGE - 200; i > 0; i -= 200)
    seed += page[i];
  return seed;
}

/* A journal header: the magic (or zeros, until the records are synced),
 * five 32-bit numbers (record count, checksum seed, database size, sector
 * and page size), then zeros. Also the zeros that end a transaction. */
static gboolean
is_journal_header (const guint8 *in,
                   int           amount)
{
  gboolean zero_magic = TRUE;

  for (int i = 0; i < MIN (amount, 8); i++)
    zero_magic = zero_magic && in[i] == 0;
  if (!zero_magic && (amount < 8 || memcmp (in, journal_magic, 8) != 0))
    return FALSE;

  for (int i = 28; i < amount; i++)
    if (in[i] != 0)
      return FALSE;

  return TRUE;
}

static int
read_journal (CairnFile     *self,
              guint8        *out,
              int            amount,
              sqlite3_int64  offset)
{
  guint32 pgno;
  int rc;

  if (amount == PAGE && offset % MIN_SECTOR != 0)
    {
      rc = journal_pgno (self, offset, &pgno);
      if (rc != SQLITE_OK)
        return rc;

      rc = self->real->pMethods->xRead (self->real, out, PAGE, offset);
      if (rc == SQLITE_IOERR_SHORT_READ)
        return SQLITE_IOERR_DATA;
      if (rc != SQLITE_OK)
        return rc;

      if (!open_page (self->entry, FILE_KIND_JOURNAL, pgno, out))
        {
          g_debug ("Journal page image for page %u failed authentication", pgno);
          return SQLITE_IOERR_DATA;
        }

      self->checksum_offset = offset + PAGE;
      self->checksum = page_checksum (self->seed, out);
      return self->have_seed ? SQLITE_OK : SQLITE_IOERR_DATA;
    }

  if (amount > SECTOR)
    return SQLITE_IOERR_READ;

  rc = self->real->pMethods->xRead (self->real, out, amount, offset);
  if (rc != SQLITE_OK)
    return rc;

  /* The magic of a header that SQLite is about to trust. */
  if (amount == 8 && offset % MIN_SECTOR == 0 && memcmp (out, journal_magic, 8) == 0)
    {
      guint8 header[MAC_END];
      guint8 mac[crypto_generichash_BYTES];

      rc = self->real->pMethods->xRead (self->real, header, MAC_END, offset);
      if (rc != SQLITE_OK)
        return SQLITE_IOERR_DATA;
      header_mac (self->entry, offset, header, mac);
      if (sodium_memcmp (mac, header + MAC_AT, sizeof mac) != 0)
        {
          g_debug ("Journal header at %" G_GINT64_FORMAT " failed authentication", (gint64) offset);
          return SQLITE_IOERR_DATA;
        }
      self->have_seed = TRUE;
      self->seed = be32 (header + 12);
    }

  /* The checksum of the record whose page image was just read. */
  if (amount == 4 && offset == self->checksum_offset)
    {
      self->checksum_offset = -1;
      if (be32 (out) != self->checksum)
        {
          g_debug ("Journal record checksum at %" G_GINT64_FORMAT " is wrong", (gint64) offset);
          return SQLITE_IOERR_DATA;
        }
    }

  return SQLITE_OK;
}

static int
write_journal (CairnFile     *self,
               const guint8  *in,
               int            amount,
               sqlite3_int64  offset)
{
  guint32 pgno;
  int rc;

  if (amount == PAGE && offset % MIN_SECTOR != 0)
    {
      rc = journal_pgno (self, offset, &pgno);
      if (rc != SQLITE_OK)
        return rc == SQLITE_IOERR_READ ? SQLITE_IOERR_WRITE : rc;

      seal_page (self->entry, FILE_KIND_JOURNAL, pgno, in, self->page);
      rc = self->real->pMethods->xWrite (self->real, self->page, PAGE, offset);
      sodium_memzero (self->page, PAGE);
      return rc;
    }

  if (amount == 4)
    {
      rc = self->real->pMethods->xWrite (self->real, in, 4, offset);
      if (rc == SQLITE_OK)
        {
          self->pgno_offset = offset;
          self->pgno = ((guint32) in[0] << 24) | ((guint32) in[1] << 16) |
                       ((guint32) in[2] << 8) | in[3];
        }
      return rc;
    }

  if (offset % MIN_SECTOR == 0 && amount <= SECTOR && is_journal_header (in, amount))
    {
      guint8 header[MAC_END] = { 0 };

      /* Zeros that end a header (or a transaction) need no MAC: a header
       * without its magic is not read. */
      if (amount < 8 || memcmp (in, journal_magic, 8) != 0)
        {
          g_autofree guint8 *copy = NULL;

          if (amount < MAC_END)
            return self->real->pMethods->xWrite (self->real, in, amount, offset);

          /* A whole new header, its magic still zero. */
          copy = g_memdup2 (in, amount);
          header_mac (self->entry, offset, copy, copy + MAC_AT);
          return self->real->pMethods->xWrite (self->real, copy, amount, offset);
        }

      /* The magic and record count, once the records are synced: merge them
       * with the rest of the header on disk and write header and MAC in one
       * call. */
      if (amount < HEADER_BYTES)
        {
          rc = self->real->pMethods->xRead (self->real, header, HEADER_BYTES, offset);
          if (rc != SQLITE_OK)
            return SQLITE_IOERR_WRITE;
        }
      memcpy (header, in, MIN (amount, HEADER_BYTES));
      header_mac (self->entry, offset, header, header + MAC_AT);
      return self->real->pMethods->xWrite (self->real, header, MAX (amount, MAC_END), offset);
    }

  g_debug ("Refusing an unrecognised journal write of %d bytes at %" G_GINT64_FORMAT,
           amount, (gint64) offset);
  return SQLITE_IOERR_WRITE;
}

static int
cairn_file_read (sqlite3_file  *file,
                 void          *out,
                 int            amount,
                 sqlite3_int64  offset)
{
  CairnFile *self = (CairnFile *) file;

  if (amount <= 0 || offset < 0)
    return SQLITE_IOERR_READ;

  switch (self->kind)
    {
    case FILE_KIND_MAIN:
      return read_main (self, out, amount, offset);
    case FILE_KIND_JOURNAL:
      return read_journal (self, out, amount, offset);
    default:
      return SQLITE_IOERR_READ;
    }
}

static int
cairn_file_write (sqlite3_file  *file,
                  const void    *in,
                  int            amount,
                  sqlite3_int64  offset)
{
  CairnFile *self = (CairnFile *) file;

  if (amount <= 0 || offset < 0)
    return SQLITE_IOERR_WRITE;

  switch (self->kind)
    {
    case FILE_KIND_MAIN:
      return write_main (self, in, amount, offset);
    case FILE_KIND_JOURNAL:
      return write_journal (self, in, amount, offset);
    default:
      return SQLITE_IOERR_WRITE;
    }
}

static int
cairn_file_truncate (sqlite3_file  *file,
                     sqlite3_int64  size)
{
  CairnFile *self = (CairnFile *) file;

  if (self->kind == FILE_KIND_MAIN && size % PAGE != 0)
    return SQLITE_IOERR_TRUNCATE;

  self->pgno_offset = -1;
  return self->real->pMethods->xTruncate (self->real, size);
}

static int
cairn_file_sync (sqlite3_file *file,
                 int           flags)
{
  CairnFile *self = (CairnFile *) file;

  return self->real->pMethods->xSync (self->real, flags);
}

static int
cairn_file_size (sqlite3_file  *file,
                 sqlite3_int64 *size)
{
  CairnFile *self = (CairnFile *) file;

  return self->real->pMethods->xFileSize (self->real, size);
}

static int
cairn_file_lock (sqlite3_file *file,
                 int           level)
{
  CairnFile *self = (CairnFile *) file;

  return self->real->pMethods->xLock (self->real, level);
}

static int
cairn_file_unlock (sqlite3_file *file,
                   int           level)
{
  CairnFile *self = (CairnFile *) file;

  return self->real->pMethods->xUnlock (self->real, level);
}

static int
cairn_file_check_reserved_lock (sqlite3_file *file,
                                int          *out)
{
  CairnFile *self = (CairnFile *) file;

  return self->real->pMethods->xCheckReservedLock (self->real, out);
}

/* Pragmas that would put plaintext on disk, lose the reserved bytes or
 * weaken crash safety are refused here, for every connection on this VFS,
 * whatever its authorizer. Queries (no value) are always allowed. */
static const char *
pragma_refusal (const char *name,
                const char *value)
{
  static const struct {
    const char *name;
    const char *allowed[3];
  } rules[] = {
    { "temp_store", { "2", "memory", NULL } },
    { "mmap_size", { "0", NULL } },
    { "page_size", { "4096", NULL } },
    { "journal_mode", { "truncate", NULL } },
    { "locking_mode", { "exclusive", NULL } },
    { "synchronous", { "full", "2", NULL } },
    { "writable_schema", { NULL } },
    { "temp_store_directory", { NULL } },
    { "data_store_directory", { NULL } },
  };

  if (name == NULL || value == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      if (g_ascii_strcasecmp (name, rules[i].name) != 0)
        continue;
      for (guint j = 0; rules[i].allowed[j] != NULL; j++)
        if (g_ascii_strcasecmp (value, rules[i].allowed[j]) == 0)
          return NULL;
      return rules[i].name;
    }

  return NULL;
}

static int
cairn_file_control (sqlite3_file *file,
                    int           op,
                    void         *arg)
{
  CairnFile *self = (CairnFile *) file;

  switch (op)
    {
    case SQLITE_FCNTL_PRAGMA:
      {
        char **args = arg;
        const char *refused = pragma_refusal (args[1], args[2]);

        if (refused == NULL)
          return SQLITE_NOTFOUND;
        args[0] = sqlite3_mprintf ("the vault does not allow changing %s", refused);
        return SQLITE_ERROR;
      }

    case SQLITE_FCNTL_VFSNAME:
      *(char **) arg = sqlite3_mprintf ("%s", CAIRN_VFS_NAME);
      return SQLITE_OK;

    case SQLITE_FCNTL_MMAP_SIZE:
      *(sqlite3_int64 *) arg = 0;
      return SQLITE_OK;

    /* Hints and queries that touch no content. */
    case SQLITE_FCNTL_LOCKSTATE:
    case SQLITE_FCNTL_LAST_ERRNO:
    case SQLITE_FCNTL_SIZE_HINT:
    case SQLITE_FCNTL_CHUNK_SIZE:
    case SQLITE_FCNTL_HAS_MOVED:
    case SQLITE_FCNTL_SYNC:
    case SQLITE_FCNTL_COMMIT_PHASETWO:
    case SQLITE_FCNTL_POWERSAFE_OVERWRITE:
    case SQLITE_FCNTL_LOCK_TIMEOUT:
    case SQLITE_FCNTL_DATA_VERSION:
    case SQLITE_FCNTL_OVERWRITE:
    case SQLITE_FCNTL_SYNC_OMITTED:
    case SQLITE_FCNTL_BUSYHANDLER:
      return self->real->pMethods->xFileControl (self->real, op, arg);

    default:
      return SQLITE_NOTFOUND;
    }
}

static int
cairn_file_sector_size (sqlite3_file *file)
{
  return SECTOR;
}

static int
cairn_file_device_characteristics (sqlite3_file *file)
{
  CairnFile *self = (CairnFile *) file;
  int real = self->real->pMethods->xDeviceCharacteristics (self->real);

  /* Atomic batches would let SQLite skip the journal: keep its pattern known. */
  return real & (SQLITE_IOCAP_POWERSAFE_OVERWRITE | SQLITE_IOCAP_IMMUTABLE);
}

static const sqlite3_io_methods cairn_io_methods = {
  .iVersion = 1, /* no xShmMap (no WAL) and no xFetch (no mmap around our reads) */
  .xClose = cairn_file_close,
  .xRead = cairn_file_read,
  .xWrite = cairn_file_write,
  .xTruncate = cairn_file_truncate,
  .xSync = cairn_file_sync,
  .xFileSize = cairn_file_size,
  .xLock = cairn_file_lock,
  .xUnlock = cairn_file_unlock,
  .xCheckReservedLock = cairn_file_check_reserved_lock,
  .xFileControl = cairn_file_control,
  .xSectorSize = cairn_file_sector_size,
  .xDeviceCharacteristics = cairn_file_device_characteristics,
};

/* ------------------------------------------------------------------------ */
/* The VFS                                                                   */

static int
cairn_vfs_open (sqlite3_vfs  *vfs,
                sqlite3_filename name,
                sqlite3_file *file,
                int           flags,
                int          *out_flags)
{
  CairnFile *self = (CairnFile *) file;
  g_autoptr(GError) error = NULL;
  Entry *entry = NULL;
  FileKind kind;
  int rc;

  memset (self, 0, sizeof *self);
  self->real = (sqlite3_file *) (self + 1);
  self->pgno_offset = -1;
  self->checksum_offset = -1;

  if (name == NULL)
    return SQLITE_CANTOPEN;

  if (flags & SQLITE_OPEN_MAIN_DB)
    {
      kind = FILE_KIND_MAIN;
      entry = lookup_entry (name);
    }
  else if (flags & SQLITE_OPEN_MAIN_JOURNAL)
    {
      const char *db = sqlite3_filename_database (name);

      kind = FILE_KIND_JOURNAL;
      if (db != NULL && g_str_has_suffix (name, "-journal") &&
          strlen (name) == strlen (db) + strlen ("-journal") && strncmp (name, db, strlen (db)) == 0)
        entry = lookup_entry (db);
    }
  else
    {
      /* Temporary databases and journals, statement journals, WAL files,
       * super-journals: none may exist on disk. */
      g_debug ("Refusing to open a file of kind 0x%x", (guint) (flags & 0xfff00));
      return SQLITE_CANTOPEN;
    }

  if (entry == NULL)
    {
      g_debug ("Refusing to open a file that has no key");
      return SQLITE_CANTOPEN;
    }

  self->page = sqlite3_malloc (PAGE);
  if (self->page == NULL)
    {
      entry_unref (entry);
      return SQLITE_NOMEM;
    }

  rc = unix_vfs->xOpen (unix_vfs, name, self->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      sqlite3_free (self->page);
      self->page = NULL;
      entry_unref (entry);
      return rc;
    }

  self->entry = entry;
  self->kind = kind;
  self->base.pMethods = &cairn_io_methods;

  return SQLITE_OK;
}

static int
cairn_vfs_delete (sqlite3_vfs *vfs,
                  const char  *name,
                  int          sync_dir)
{
  return unix_vfs->xDelete (unix_vfs, name, sync_dir);
}

static int
cairn_vfs_access (sqlite3_vfs *vfs,
                  const char  *name,
                  int          flags,
                  int         *out)
{
  return unix_vfs->xAccess (unix_vfs, name, flags, out);
}

static int
cairn_vfs_full_pathname (sqlite3_vfs *vfs,
                         const char  *name,
                         int          n_out,
                         char        *out)
{
  return unix_vfs->xFullPathname (unix_vfs, name, n_out, out);
}

/* No extensions are ever loaded. */
static void *
cairn_vfs_dl_open (sqlite3_vfs *vfs,
                   const char  *name)
{
  return NULL;
}

static void
cairn_vfs_dl_error (sqlite3_vfs *vfs,
                    int          n,
                    char        *out)
{
  g_strlcpy (out, "extensions are not loaded in a vault", n);
}

static void (*cairn_vfs_dl_sym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  return NULL;
}

static void
cairn_vfs_dl_close (sqlite3_vfs *vfs,
                    void        *handle)
{
}

static int
cairn_vfs_randomness (sqlite3_vfs *vfs,
                      int          n,
                      char        *out)
{
  randombytes_buf (out, n);
  return n;
}

static int
cairn_vfs_sleep (sqlite3_vfs *vfs,
                 int          microseconds)
{
  return unix_vfs->xSleep (unix_vfs, microseconds);
}

static int
cairn_vfs_current_time (sqlite3_vfs *vfs,
                        double      *out)
{
  return unix_vfs->xCurrentTime (unix_vfs, out);
}

static int
cairn_vfs_get_last_error (sqlite3_vfs *vfs,
                          int          n,
                          char        *out)
{
  return unix_vfs->xGetLastError (unix_vfs, n, out);
}

static int
cairn_vfs_current_time_int64 (sqlite3_vfs   *vfs,
                              sqlite3_int64 *out)
{
  return unix_vfs->xCurrentTimeInt64 (unix_vfs, out);
}

static sqlite3_vfs cairn_vfs = {
  .iVersion = 2,
  .zName = CAIRN_VFS_NAME,
  .xOpen = cairn_vfs_open,
  .xDelete = cairn_vfs_delete,
  .xAccess = cairn_vfs_access,
  .xFullPathname = cairn_vfs_full_pathname,
  .xDlOpen = cairn_vfs_dl_open,
  .xDlError = cairn_vfs_dl_error,
  .xDlSym = cairn_vfs_dl_sym,
  .xDlClose = cairn_vfs_dl_close,
  .xRandomness = cairn_vfs_randomness,
  .xSleep = cairn_vfs_sleep,
  .xCurrentTime = cairn_vfs_current_time,
  .xGetLastError = cairn_vfs_get_last_error,
  .xCurrentTimeInt64 = cairn_vfs_current_time_int64,
};

/* ------------------------------------------------------------------------ */
/* A zeroing allocator: SQLite's page cache holds plaintext.                 */

static void *
zeroing_malloc (int size)
{
  sqlite3_int64 *block;

  if (size <= 0)
    return NULL;
  block = malloc ((size_t) size + sizeof *block);
  if (block == NULL)
    return NULL;
  block[0] = size;
  return block + 1;
}

static void
zeroing_free (void *mem)
{
  sqlite3_int64 *block;

  if (mem == NULL)
    return;
  block = (sqlite3_int64 *) mem - 1;
  sodium_memzero (block, (size_t) block[0] + sizeof *block);
  free (block);
}

static int
zeroing_size (void *mem)
{
  return mem != NULL ? (int) ((sqlite3_int64 *) mem)[-1] : 0;
}

static void *
zeroing_realloc (void *mem,
                 int   size)
{
  void *moved;

  if (mem == NULL)
    return zeroing_malloc (size);
  if (size <= 0)
    {
      zeroing_free (mem);
      return NULL;
    }

  /* Never realloc() in place: the old block would be freed unwiped. */
  moved = zeroing_malloc (size);
  if (moved == NULL)
    return NULL;
  memcpy (moved, mem, MIN (size, zeroing_size (mem)));
  zeroing_free (mem);
  return moved;
}

static int
zeroing_roundup (int size)
{
  return (size + 7) & ~7;
}

static int
zeroing_init (void *data)
{
  return SQLITE_OK;
}

static void
zeroing_shutdown (void *data)
{
}

static const sqlite3_mem_methods zeroing_methods = {
  .xMalloc = zeroing_malloc,
  .xFree = zeroing_free,
  .xRealloc = zeroing_realloc,
  .xSize = zeroing_size,
  .xRoundup = zeroing_roundup,
  .xInit = zeroing_init,
  .xShutdown = zeroing_shutdown,
};

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

static gpointer
init_once (gpointer data)
{
  GError **error = data;
  sqlite3_vfs *other;

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_INIT,
                           "The cryptography library could not start");
      return GINT_TO_POINTER (FALSE);
    }

  if (sqlite3_config (SQLITE_CONFIG_MALLOC, &zeroing_methods) != SQLITE_OK ||
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK ||
      sqlite3_config (SQLITE_CONFIG_URI, 0) != SQLITE_OK ||
      sqlite3_config (SQLITE_CONFIG_STMTJRNL_SPILL, -1) != SQLITE_OK)
    {
      g_set_error_literal (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_INIT,
                           "SQLite was started before the vault could secure it");
      return GINT_TO_POINTER (FALSE);
    }

  if (sqlite3_initialize () != SQLITE_OK ||
      (unix_vfs = sqlite3_vfs_find ("unix")) == NULL)
    {
      g_set_error_literal (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_INIT,
                           "SQLite could not start");
      return GINT_TO_POINTER (FALSE);
    }

  cairn_vfs.szOsFile = (int) sizeof (CairnFile) + unix_vfs->szOsFile;
  cairn_vfs.mxPathname = unix_vfs->mxPathname;

  /* No way around the encryption: ours becomes the only VFS. */
  while ((other = sqlite3_vfs_find (NULL)) != NULL)
    sqlite3_vfs_unregister (other);
  sqlite3_vfs_register (&cairn_vfs, 1);

  entries = g_hash_table_new (g_str_hash, g_str_equal);

  return GINT_TO_POINTER (TRUE);
}

/**
 * cairn_vfs_init:
 * @error: return location for a #GError
 *
 * Secures SQLite for this process: a zeroing allocator, no URIs, no
 * statement journals on disk, and the encrypting VFS as the only one. Must
 * run before anything else in the process uses SQLite. Safe to call again.
 *
 * Returns: %TRUE when SQLite is ready for vault databases
 */
gboolean
cairn_vfs_init (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  static GError *init_error;

  g_once (&once, init_once, &init_error);
  if (!GPOINTER_TO_INT (once.retval))
    {
      if (error != NULL)
        *error = g_error_copy (init_error);
      return FALSE;
    }

  return TRUE;
}

/**
 * cairn_vfs_full_path:
 * @path: a database path
 * @error: return location for a #GError
 *
 * Returns: (transfer full): @path as SQLite will name it when it opens it
 */
char *
cairn_vfs_full_path (const char  *path,
                     GError     **error)
{
  g_autofree char *full = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!cairn_vfs_init (error))
    return NULL;

  full = g_malloc0 (cairn_vfs.mxPathname + 1);
  if (cairn_vfs.xFullPathname (&cairn_vfs, path, cairn_vfs.mxPathname + 1, full) != SQLITE_OK)
    {
      g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_IO,
                   "The path of the database could not be resolved");
      return NULL;
    }

  return g_steal_pointer (&full);
}

/**
 * cairn_vfs_add_file:
 * @full_path: a path from cairn_vfs_full_path()
 * @key: (array fixed-size=32): the database's key
 * @file_id: (array fixed-size=16): the database's id
 * @error: return location for a #GError
 *
 * Lets the VFS open @full_path and its journal with @key. The key is copied
 * into guarded memory and wiped by cairn_vfs_remove_file().
 *
 * Returns: %TRUE unless the file is already open under a key
 */
gboolean
cairn_vfs_add_file (const char    *full_path,
                    const guint8  *key,
                    const guint8  *file_id,
                    GError       **error)
{
  Entry *entry;

  g_return_val_if_fail (full_path != NULL && g_path_is_absolute (full_path), FALSE);
  g_return_val_if_fail (key != NULL && file_id != NULL, FALSE);

  if (!cairn_vfs_init (error))
    return FALSE;

  entry = g_new0 (Entry, 1);
  g_atomic_ref_count_init (&entry->ref_count);
  entry->path = g_strdup (full_path);
  entry->key = sodium_malloc (CAIRN_VFS_KEY_BYTES);
  entry->mac_key = sodium_malloc (crypto_generichash_KEYBYTES);
  if (entry->key == NULL || entry->mac_key == NULL)
    {
      sodium_free (entry->key);
      sodium_free (entry->mac_key);
      g_free (entry->path);
      g_free (entry);
      g_set_error_literal (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_INIT,
                           "No protected memory is left for the key");
      return FALSE;
    }
  memcpy (entry->key, key, CAIRN_VFS_KEY_BYTES);
  crypto_kdf_derive_from_key (entry->mac_key, crypto_generichash_KEYBYTES, 1, "cairnjnl", key);
  memcpy (entry->file_id, file_id, CAIRN_VFS_FILE_ID_BYTES);

  g_mutex_lock (&entries_lock);
  if (g_hash_table_contains (entries, full_path))
    {
      g_mutex_unlock (&entries_lock);
      entry_unref (entry);
      g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_IN_USE,
                   "The database is already open");
      return FALSE;
    }
  g_hash_table_insert (entries, entry->path, entry);
  g_mutex_unlock (&entries_lock);

  return TRUE;
}

/**
 * cairn_vfs_remove_file:
 * @full_path: a path given to cairn_vfs_add_file()
 *
 * Forgets the key of @full_path (wiping it once no open file uses it).
 */
void
cairn_vfs_remove_file (const char *full_path)
{
  Entry *entry = NULL;

  g_return_if_fail (full_path != NULL);

  g_mutex_lock (&entries_lock);
  if (entries != NULL && g_hash_table_steal_extended (entries, full_path, NULL, (gpointer *) &entry))
    {
      g_mutex_unlock (&entries_lock);
      entry_unref (entry);
      return;
    }
  g_mutex_unlock (&entries_lock);
}

/**
 * cairn_vfs_verify_file:
 * @path: a vault database
 * @key: (array fixed-size=32): its key
 * @file_id: (array fixed-size=16): its id
 * @n_pages: (out) (optional): how many pages it has
 * @error: return location for a #GError
 *
 * Authenticates every page of @path, and checks that the file is whole
 * pages and as long as its header says. Reads the file directly; the
 * database must not be open for writing.
 *
 * Returns: %TRUE when every page is sound
 */
gboolean
cairn_vfs_verify_file (const char    *path,
                       const guint8  *key,
                       const guint8  *file_id,
                       guint         *n_pages,
                       GError       **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  Entry entry = { 0 };
  guint8 *page;
  guint64 pages = 0;
  guint32 header_pages = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (path != NULL && key != NULL && file_id != NULL, FALSE);

  if (!cairn_vfs_init (error))
    return FALSE;

  file = g_file_new_for_path (path);
  name = g_file_get_basename (file);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_IO,
                   "%s could not be read: %s", name, local_error->message);
      return FALSE;
    }

  entry.key = sodium_malloc (CAIRN_VFS_KEY_BYTES);
  page = sodium_malloc (PAGE);
  if (entry.key == NULL || page == NULL)
    {
      sodium_free (entry.key);
      sodium_free (page);
      g_set_error_literal (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_INIT,
                           "No protected memory is left for the key");
      return FALSE;
    }
  memcpy (entry.key, key, CAIRN_VFS_KEY_BYTES);
  memcpy (entry.file_id, file_id, CAIRN_VFS_FILE_ID_BYTES);

  for (;;)
    {
      gsize got = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), page, PAGE, &got, NULL, &local_error))
        {
          g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_IO,
                       "%s could not be read at page %" G_GUINT64_FORMAT ": %s",
                       name, pages + 1, local_error->message);
          ok = FALSE;
          break;
        }
      if (got == 0)
        break;
      if (got != PAGE)
        {
          g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_DAMAGED,
                       "%s is damaged: it ends %" G_GSIZE_FORMAT " bytes into page %" G_GUINT64_FORMAT,
                       name, got, pages + 1);
          ok = FALSE;
          break;
        }

      pages++;
      if (!open_page (&entry, FILE_KIND_MAIN, (guint32) pages, page))
        {
          /* Page 1 failing is what a key of another vault looks like;
           * page 2 tells: under the right key it opens. */
          if (pages == 1)
            {
              got = 0;
              if (g_input_stream_read_all (G_INPUT_STREAM (stream), page, PAGE, &got, NULL, NULL) &&
                  got == PAGE && open_page (&entry, FILE_KIND_MAIN, 2, page))
                g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_DAMAGED,
                             "%s is damaged: its first page failed authentication", name);
              else
                g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_WRONG_KEY,
                             "%s does not open with the keys of this vault’s keyring: the database or "
                             "the keyring belongs to another vault, or its first pages are damaged",
                             name);
            }
          else
            g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_DAMAGED,
                         "%s is damaged: page %" G_GUINT64_FORMAT " failed authentication",
                         name, pages);
          ok = FALSE;
          break;
        }
      if (pages == 1)
        header_pages = ((guint32) page[28] << 24) | ((guint32) page[29] << 16) |
                       ((guint32) page[30] << 8) | page[31];
    }

  if (ok && pages != header_pages)
    {
      g_set_error (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_DAMAGED,
                   "%s is damaged: it holds %" G_GUINT64_FORMAT " pages but its header says %u",
                   name, pages, header_pages);
      ok = FALSE;
    }

  sodium_free (page);
  sodium_free (entry.key);

  if (ok && n_pages != NULL)
    *n_pages = (guint) pages;

  return ok;
}
