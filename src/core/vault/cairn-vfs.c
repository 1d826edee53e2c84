/* cairn-vfs.c
 *
 * A page-encrypting SQLite VFS over the system's unix VFS.
 *
 * Every page of a vault database, and its rollback journal as a whole, is
 * sealed with XChaCha20-Poly1305. SQLite works with 4096-byte pages and
 * leaves the last 40 bytes of each to us (the reserved bytes): on disk they
 * hold the page's 24-byte nonce and its 16-byte tag, so a page on disk is
 * exactly as long as the page SQLite sees and file offsets need no
 * translation. The associated data binds the file's id, the kind of file
 * and the page number: a page moved, swapped or taken from another file
 * does not authenticate. The journal is kept in memory and reaches the disk
 * sealed whole; while a transaction may have written into the database,
 * page 1 names it, so that its journal cannot go missing unnoticed (see
 * "The journal on disk"). Opening a database recovers first: an interrupted
 * transaction is rolled back before SQLite reads a byte.
 *
 * Fail closed: every database read and write must be whole pages or a
 * slice of one page; anything else is an I/O error. No file that is not a
 * keyed database or its journal can be opened, so temporary files, WAL
 * files and plaintext copies (VACUUM INTO, ATTACH, the backup API) fail.
 * No other VFS stays registered.
 *
 * Known limits: an older version of a page, written under the same key,
 * can be put back without detection (replay); file sizes and write patterns
 * are visible.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
#define TXN_ID_BYTES 16
#define WRITE_PIECE  (64 * 1024)

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

typedef struct _CairnFile CairnFile;

/* A database the VFS may open: its key and id, by full path, and what its
 * connection's two files share about the transaction under way. */
typedef struct
{
  gatomicrefcount ref_count;
  char           *path;
  guint8         *key;     /* sodium_malloc: seals pages and the journal */
  guint8          file_id[CAIRN_VFS_FILE_ID_BYTES];

  GMutex          lock;    /* guards what follows */
  CairnFile      *main;    /* the open database file, if any */
  /* The journal on disk holds a transaction that SQLite may have begun to
   * write into the database: its id, and whether page 1 says so yet. */
  gboolean        journal_live;
  guint8          txn_id[TXN_ID_BYTES];
  gboolean        page1_marked;
  /* Page 1 as it was on disk before that transaction, sealed, for its
   * journal: SQLite journals page 1 only when it changes it, and marking
   * it is a write a power cut can tear. */
  guint8          page1_before[PAGE];
  gsize           page1_before_length;
  char           *problem; /* why the last open was refused, for the caller */
} Entry;

struct _CairnFile
{
  sqlite3_file   base;
  sqlite3_file  *real;
  Entry         *entry;
  FileKind       kind;
  gboolean       read_only;
  guint8        *page; /* scratch for one page, from the zeroing allocator */
  /* The journal: SQLite's bytes, kept here and written sealed whole. */
  guint8        *journal;
  gsize          journal_length;
  gsize          journal_size;
  gboolean       journal_dirty;
};

void (*cairn_vfs_page_written_hook) (const char *full_path,
                                     guint32     pgno);

static sqlite3_vfs *unix_vfs;
static GMutex entries_lock;
static GHashTable *entries; /* path → Entry */

/* What SQLite writes at the start of a hot journal's header. */
static const guint8 sqlite_journal_magic[8] = { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 };

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
  g_free (entry->problem);
  g_mutex_clear (&entry->lock);
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

static void set_problem (Entry      *entry,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);

/* Why an open was refused, in words for the person at the screen. */
static void
set_problem (Entry      *entry,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_mutex_lock (&entry->lock);
  g_free (entry->problem);
  entry->problem = g_strdup_vprintf (format, args);
  g_mutex_unlock (&entry->lock);
  va_end (args);
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
put_be64 (guint8  *p,
          guint64  value)
{
  for (int i = 0; i < 8; i++)
    p[i] = (guint8) (value >> (56 - 8 * i));
}

static void
put_be32 (guint8  *p,
          guint32  value)
{
  for (int i = 0; i < 4; i++)
    p[i] = (guint8) (value >> (24 - 8 * i));
}

static guint64
be64 (const guint8 *p)
{
  guint64 value = 0;

  for (int i = 0; i < 8; i++)
    value = (value << 8) | p[i];
  return value;
}

/* ------------------------------------------------------------------------ */
/* Sealing pages                                                             */

/* A page's associated data: its file, kind and number; page 1 written while
 * a transaction's journal is live also names that transaction. */
#define AD_BYTES        29
#define MARKED_AD_BYTES (AD_BYTES + TXN_ID_BYTES)
#define MARK            0x01  /* nonce[0] of a marked page 1; 0x00 otherwise */

static void
make_ad (guint8        ad[MARKED_AD_BYTES],
         const Entry  *entry,
         FileKind      kind,
         guint32       pgno,
         const guint8 *txn_id)
{
  memcpy (ad, txn_id != NULL ? "CAIRNPM1" : "CAIRNPG1", 8);
  memcpy (ad + 8, entry->file_id, CAIRN_VFS_FILE_ID_BYTES);
  ad[24] = (guint8) kind;
  ad[25] = (guint8) (pgno >> 24);
  ad[26] = (guint8) (pgno >> 16);
  ad[27] = (guint8) (pgno >> 8);
  ad[28] = (guint8) pgno;
  if (txn_id != NULL)
    memcpy (ad + AD_BYTES, txn_id, TXN_ID_BYTES);
}

/* Seals a page. Page 1 may carry the id of the transaction whose journal
 * must exist for the database to be sound: in its nonce, for the reader,
 * and in its associated data, so that it cannot be edited. */
static void
seal_page (const Entry  *entry,
           FileKind      kind,
           guint32       pgno,
           const guint8 *txn_id,
           const guint8 *plain,
           guint8       *out)
{
  guint8 ad[MARKED_AD_BYTES];
  guint8 *nonce = out + NONCE_AT;

  make_ad (ad, entry, kind, pgno, txn_id);
  randombytes_buf (nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  nonce[0] = 0x00;
  if (txn_id != NULL)
    {
      nonce[0] = MARK;
      memcpy (nonce + 1, txn_id, TXN_ID_BYTES);
    }
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached (out, out + TAG_AT, NULL,
                                                       plain, SEALED,
                                                       ad, txn_id != NULL ? MARKED_AD_BYTES : AD_BYTES,
                                                       NULL, nonce, entry->key);
}

/* Opens a sealed page in place; the reserved bytes read back as zeros. A
 * marked page 1 gives its transaction's id in @txn_id (all zeros when it
 * is not marked). Pages sealed before marks existed have a random first
 * nonce byte: a page that fails as marked is tried as unmarked. */
static gboolean
open_page_marked (const Entry *entry,
                  FileKind     kind,
                  guint32      pgno,
                  guint8      *page,
                  guint8      *txn_id)
{
  guint8 ad[MARKED_AD_BYTES];
  guint8 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
  guint8 tag[crypto_aead_xchacha20poly1305_ietf_ABYTES];
  guint8 plain[SEALED];

  memcpy (nonce, page + NONCE_AT, sizeof nonce);
  memcpy (tag, page + TAG_AT, sizeof tag);
  if (txn_id != NULL)
    memset (txn_id, 0, TXN_ID_BYTES);

  if (pgno == 1 && kind == FILE_KIND_MAIN && nonce[0] == MARK)
    {
      make_ad (ad, entry, kind, pgno, nonce + 1);
      if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached (plain, NULL, page, SEALED, tag,
                                                               ad, MARKED_AD_BYTES, nonce, entry->key) == 0)
        {
          if (txn_id != NULL)
            memcpy (txn_id, nonce + 1, TXN_ID_BYTES);
          goto opened;
        }
    }

  make_ad (ad, entry, kind, pgno, NULL);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached (plain, NULL, page, SEALED, tag,
                                                           ad, AD_BYTES, nonce, entry->key) != 0)
    {
      sodium_memzero (page, PAGE);
      return FALSE;
    }

opened:
  memcpy (page, plain, SEALED);
  sodium_memzero (plain, sizeof plain);
  memset (page + SEALED, 0, CAIRN_VFS_RESERVED_BYTES);
  return TRUE;
}

static gboolean
open_page (const Entry *entry,
           FileKind     kind,
           guint32      pgno,
           guint8      *page)
{
  return open_page_marked (entry, kind, pgno, page, NULL);
}

static gboolean
is_zero (const guint8 *bytes,
         gsize         length)
{
  guint8 any = 0;

  for (gsize i = 0; i < length; i++)
    any |= bytes[i];
  return any == 0;
}

/* Seals page 1 as it is on disk again, marked with @txn_id or not. */
static int
remark_page1 (CairnFile    *main,
              const guint8 *txn_id)
{
  sqlite3_file *real = main->real;
  sqlite3_int64 size = 0;
  int rc;

  rc = real->pMethods->xFileSize (real, &size);
  if (rc != SQLITE_OK)
    return rc;
  if (size < PAGE)
    return SQLITE_OK; /* a new database: page 1 is not written yet */

  rc = real->pMethods->xRead (real, main->page, PAGE, 0);
  if (rc != SQLITE_OK)
    return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_IOERR_DATA : rc;
  if (!open_page (main->entry, FILE_KIND_MAIN, 1, main->page))
    return SQLITE_IOERR_DATA;

  seal_page (main->entry, FILE_KIND_MAIN, 1, txn_id, main->page, main->page);
  rc = real->pMethods->xWrite (real, main->page, PAGE, 0);
  sodium_memzero (main->page, PAGE);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* The journal on disk                                                       */

/* SQLite's rollback journal never reaches the disk as SQLite wrote it: the
 * connection keeps it in memory and, each time SQLite syncs it, writes it
 * sealed whole:
 *
 *   "CAIRNJ3\0"  txn-id[16]  length:u64  before-length:u32  nonce[24]
 *   before[before-length]  sealed[length]  tag[16]
 *
 * with the first 36 bytes, the database's id and the before bytes as
 * associated data. A journal either opens whole or not at all: no record of
 * it, nor its length, nor a page number, can be changed, cut or added to.
 * "before" is page 1 exactly as it was on disk when the transaction began
 * (already sealed, so kept as it is; empty for a new database).
 *
 * Page 1 is not always SQLite's to journal: with the lock held throughout,
 * SQLite leaves it alone in a transaction that changes nothing in it, yet
 * it is marked (below). So the journal brings its own copy, which restores
 * a page 1 the power cut tore, and tells whether page 1 was touched at all:
 * a database whose page 1 is still the journal's "before", while other
 * pages may have reached the disk ahead of the mark, is rolled back.
 *
 * A journal alone cannot tell "deleted" from "never written". So, from the
 * first write into the database after its journal went to disk until the
 * transaction ends, page 1 carries the transaction's id (see seal_page()):
 * a database marked with a transaction whose journal is missing or does not
 * open is refused. Before the mark is cleared the database is synced, and
 * only then is the journal emptied; emptying it is the commit. */
#define JOURNAL_MAGIC    "CAIRNJ3"  /* and its NUL */
#define JOURNAL_AD_BYTES (8 + TXN_ID_BYTES + 8 + 4)
#define JOURNAL_HEAD     (JOURNAL_AD_BYTES + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
/* The version before, without page 1's copy: still read. */
#define JOURNAL_V2_MAGIC    "CAIRNJ2"
#define JOURNAL_V2_AD_BYTES (8 + TXN_ID_BYTES + 8)
#define JOURNAL_V2_HEAD     (JOURNAL_V2_AD_BYTES + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
#define JOURNAL_TAG      crypto_aead_xchacha20poly1305_ietf_ABYTES
/* Far beyond any transaction of a practice's: a length over it is damage. */
#define JOURNAL_MAX      ((gsize) 1 << 32)

G_STATIC_ASSERT (sizeof JOURNAL_MAGIC == 8);

/* The associated data: the head's first @head_bytes, the database's id,
 * and page 1's copy. */
static gsize
journal_ad (const Entry  *entry,
            const guint8 *head,
            gsize         head_bytes,
            const guint8 *before,
            gsize         before_length,
            guint8        ad[JOURNAL_AD_BYTES + CAIRN_VFS_FILE_ID_BYTES + PAGE])
{
  memcpy (ad, head, head_bytes);
  memcpy (ad + head_bytes, entry->file_id, CAIRN_VFS_FILE_ID_BYTES);
  if (before_length > 0)
    memcpy (ad + head_bytes + CAIRN_VFS_FILE_ID_BYTES, before, before_length);
  return head_bytes + CAIRN_VFS_FILE_ID_BYTES + before_length;
}

/* Seals @length bytes of journal under @txn_id, with page 1's copy. */
static guint8 *
seal_journal (const Entry  *entry,
              const guint8 *txn_id,
              const guint8 *before,
              gsize         before_length,
              const guint8 *plain,
              gsize         length,
              gsize        *out_length)
{
  gsize body = JOURNAL_HEAD + before_length;
  gsize total = body + length + JOURNAL_TAG;
  guint8 *out = g_malloc (total);
  guint8 ad[JOURNAL_AD_BYTES + CAIRN_VFS_FILE_ID_BYTES + PAGE];
  gsize ad_length;

  memcpy (out, JOURNAL_MAGIC, 8);
  memcpy (out + 8, txn_id, TXN_ID_BYTES);
  put_be64 (out + 8 + TXN_ID_BYTES, length);
  put_be32 (out + 8 + TXN_ID_BYTES + 8, (guint32) before_length);
  randombytes_buf (out + JOURNAL_AD_BYTES, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  if (before_length > 0)
    memcpy (out + JOURNAL_HEAD, before, before_length);
  ad_length = journal_ad (entry, out, JOURNAL_AD_BYTES, before, before_length, ad);
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached (out + body, out + body + length, NULL,
                                                       plain, length, ad, ad_length, NULL,
                                                       out + JOURNAL_AD_BYTES, entry->key);
  *out_length = total;
  return out;
}

typedef enum
{
  JOURNAL_EMPTY,      /* no journal, or an empty one */
  JOURNAL_SOUND,      /* opened whole */
  JOURNAL_UNREADABLE, /* cut short, altered, another file's, or not ours */
  JOURNAL_OLD_FORMAT, /* a hot journal from a Cairn before sealed journals */
} JournalState;

/* Reads and opens the journal at @path. A sound one gives its bytes in
 * zeroing memory (free with sodium_free), its transaction's id, and page
 * 1's copy (PAGE bytes into @before; *out_before_length 0 when it has
 * none). */
static JournalState
read_journal_file (const Entry  *entry,
                   const char   *path,
                   guint8      **out_plain,
                   gsize        *out_length,
                   guint8       *txn_id,
                   guint8       *before,
                   gsize        *out_before_length)
{
  g_autofree guint8 *data = NULL;
  gsize length = 0, head, ad_bytes, before_length = 0, ad_length;
  guint64 plain_length;
  guint8 ad[JOURNAL_AD_BYTES + CAIRN_VFS_FILE_ID_BYTES + PAGE];
  guint8 *plain;

  *out_before_length = 0;
  if (!g_file_get_contents (path, (char **) &data, &length, NULL) || length == 0)
    return JOURNAL_EMPTY;

  if (length >= 8 && memcmp (data, sqlite_journal_magic, 8) == 0)
    return JOURNAL_OLD_FORMAT;
  if (length >= 8 && memcmp (data, JOURNAL_MAGIC, 8) == 0)
    {
      head = JOURNAL_HEAD;
      ad_bytes = JOURNAL_AD_BYTES;
      if (length < head + JOURNAL_TAG)
        return JOURNAL_UNREADABLE;
      before_length = be32 (data + 8 + TXN_ID_BYTES + 8);
      if (before_length != 0 && before_length != PAGE)
        return JOURNAL_UNREADABLE;
    }
  else if (length >= 8 && memcmp (data, JOURNAL_V2_MAGIC, 8) == 0)
    {
      head = JOURNAL_V2_HEAD;
      ad_bytes = JOURNAL_V2_AD_BYTES;
    }
  else
    return JOURNAL_UNREADABLE;
  if (length < head + before_length + JOURNAL_TAG)
    return JOURNAL_UNREADABLE;

  plain_length = be64 (data + 8 + TXN_ID_BYTES);
  if (plain_length > JOURNAL_MAX || plain_length != length - head - before_length - JOURNAL_TAG)
    return JOURNAL_UNREADABLE;

  plain = sodium_malloc (MAX (plain_length, 1));
  if (plain == NULL)
    return JOURNAL_UNREADABLE;
  ad_length = journal_ad (entry, data, ad_bytes, data + head, before_length, ad);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached (plain, NULL, data + head + before_length, plain_length,
                                                           data + head + before_length + plain_length,
                                                           ad, ad_length, data + ad_bytes, entry->key) != 0)
    {
      sodium_free (plain);
      return JOURNAL_UNREADABLE;
    }

  memcpy (txn_id, data + 8, TXN_ID_BYTES);
  if (before_length > 0)
    memcpy (before, data + head, before_length);
  *out_before_length = before_length;
  *out_plain = plain;
  *out_length = plain_length;
  return JOURNAL_SOUND;
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

/* Puts back into the database what a sound journal holds, as SQLite's own
 * rollback would: each segment's header (record count, checksum seed,
 * database size in pages, sector size, page size) then its records (page
 * number, original page, checksum). The journal was sealed whole, so a
 * record that does not add up is damage, never "the journal ends here". */
static gboolean
play_back (CairnFile    *main,
           const guint8 *journal,
           gsize         length,
           const guint8 *txn_id)
{
  sqlite3_file *real = main->real;
  gsize at = 0;
  gint64 db_pages = -1;

  while (at + 28 <= length && memcmp (journal + at, sqlite_journal_magic, 8) == 0)
    {
      const guint8 *header = journal + at;
      guint32 records = be32 (header + 8);
      guint32 seed = be32 (header + 12);
      guint32 sector = be32 (header + 20);
      guint32 page_size = be32 (header + 24);

      if (page_size != PAGE || sector < MIN_SECTOR || sector % MIN_SECTOR != 0 || sector > 65536)
        return FALSE;
      if (db_pages < 0)
        db_pages = be32 (header + 16);
      at += sector;
      if (records == 0xffffffff)
        records = (guint32) ((length - MIN (at, length)) / (PAGE + 8));

      for (guint32 r = 0; r < records; r++)
        {
          const guint8 *record = journal + at;
          guint32 pgno;

          if (at + PAGE + 8 > length)
            return FALSE;
          pgno = be32 (record);
          if (pgno == 0 || be32 (record + 4 + PAGE) != page_checksum (seed, record + 4))
            return FALSE;
          if (pgno <= db_pages)
            {
              seal_page (main->entry, FILE_KIND_MAIN, pgno, pgno == 1 ? txn_id : NULL, record + 4, main->page);
              if (real->pMethods->xWrite (real, main->page, PAGE, (sqlite3_int64) (pgno - 1) * PAGE) != SQLITE_OK)
                return FALSE;
            }
          at += PAGE + 8;
        }
      at = (at + sector - 1) / sector * sector;
    }

  sodium_memzero (main->page, PAGE);
  if (db_pages >= 0 &&
      real->pMethods->xTruncate (real, db_pages * PAGE) != SQLITE_OK)
    return FALSE;
  return real->pMethods->xSync (real, SQLITE_SYNC_FULL) == SQLITE_OK;
}

static int
sync_dir_of (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return SQLITE_IOERR_DIR_FSYNC;
  fsync (fd);
  close (fd);
  return SQLITE_OK;
}

/* Empties the journal file on disk, durably. */
static int
empty_journal_file (const char *path)
{
  int fd = g_open (path, O_WRONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return errno == ENOENT ? SQLITE_OK : SQLITE_IOERR_TRUNCATE;
  if (ftruncate (fd, 0) != 0 || fsync (fd) != 0)
    {
      close (fd);
      return SQLITE_IOERR_TRUNCATE;
    }
  close (fd);
  return SQLITE_OK;
}

/* Recover first: before SQLite reads a byte of the database, put right
 * what an interrupted transaction left, so that a first page torn by a
 * power cut is restored from the journal rather than refused. Runs with
 * the database locked against any other connection. */
static int
recover (CairnFile  *main,
         const char *path)
{
  Entry *entry = main->entry;
  g_autofree char *journal_path = g_strconcat (path, "-journal", NULL);
  g_autofree char *name = g_path_get_basename (path);
  guint8 marked[TXN_ID_BYTES] = { 0 };
  guint8 journal_txn[TXN_ID_BYTES] = { 0 };
  guint8 *journal = NULL;
  gsize length = 0;
  gboolean page1_ok = FALSE, page1_marked = FALSE, page1_untouched = FALSE;
  g_autofree guint8 *on_disk = g_malloc0 (PAGE);
  g_autofree guint8 *before = g_malloc0 (PAGE);
  gsize before_length = 0;
  sqlite3_int64 size = 0;
  JournalState state;
  int rc;

  rc = main->real->pMethods->xFileSize (main->real, &size);
  if (rc != SQLITE_OK)
    return rc;
  if (size >= PAGE && main->real->pMethods->xRead (main->real, on_disk, PAGE, 0) == SQLITE_OK)
    {
      memcpy (main->page, on_disk, PAGE);
      page1_ok = open_page_marked (entry, FILE_KIND_MAIN, 1, main->page, marked);
      page1_marked = page1_ok && !is_zero (marked, sizeof marked);
      sodium_memzero (main->page, PAGE);
    }

  state = read_journal_file (entry, journal_path, &journal, &length, journal_txn, before, &before_length);
  /* Page 1 exactly as the transaction found it: other pages may have
   * reached the disk before its mark did. */
  if (state == JOURNAL_SOUND && before_length == PAGE && size >= PAGE)
    page1_untouched = memcmp (on_disk, before, PAGE) == 0;
  switch (state)
    {
    case JOURNAL_EMPTY:
      if (!page1_marked)
        return SQLITE_OK;
      set_problem (entry, "%s is damaged: it was being changed when its journal, which holds what "
                   "it must be rolled back to, was removed. Restore the vault folder from a backup.", name);
      return SQLITE_IOERR_DATA;

    case JOURNAL_OLD_FORMAT:
      set_problem (entry, "%s holds a change interrupted under an older version of Cairn. Open the "
                   "vault once with that version, which rolls it back, then with this one.", name);
      return SQLITE_IOERR_DATA;

    case JOURNAL_UNREADABLE:
      /* Torn while it was written, before the database was touched: it is
       * not needed, and goes. Altered while the database needs it: no
       * rollback could be trusted. */
      if (page1_ok && !page1_marked)
        break;
      set_problem (entry, "%s was being changed when the work stopped, and its journal (%s-journal), "
                   "which holds what it must be rolled back to, is damaged or not its own. "
                   "Restore the vault folder from a backup.", name, name);
      return SQLITE_IOERR_DATA;

    case JOURNAL_SOUND:
    default:
      /* Page 1 changed since and unmarked: the transaction ended in the
       * database (or the journal is an older transaction's, put back), so
       * there is nothing to roll back. Page 1 as the transaction found it,
       * marked by it, or torn: it may have written, and is rolled back. */
      if (page1_ok && !page1_marked && !page1_untouched)
        break;
      if (page1_marked && sodium_memcmp (marked, journal_txn, TXN_ID_BYTES) != 0)
        {
          sodium_free (journal);
          set_problem (entry, "%s was being changed when the work stopped, and the journal beside it "
                       "belongs to another change. Restore the vault folder from a backup.", name);
          return SQLITE_IOERR_DATA;
        }
      if (main->read_only)
        {
          sodium_free (journal);
          return SQLITE_READONLY_ROLLBACK;
        }
      /* Page 1 first, as it was: SQLite's records follow, and hold it too
       * when the transaction changed it. */
      if (before_length == PAGE &&
          main->real->pMethods->xWrite (main->real, before, PAGE, 0) != SQLITE_OK)
        {
          sodium_free (journal);
          return SQLITE_IOERR_WRITE;
        }
      if (!play_back (main, journal, length, journal_txn))
        {
          sodium_free (journal);
          set_problem (entry, "%s could not be rolled back from its journal. Restore the vault folder "
                       "from a backup.", name);
          return SQLITE_IOERR_DATA;
        }
      sodium_free (journal);
      journal = NULL;
      rc = remark_page1 (main, NULL);
      if (rc == SQLITE_IOERR_DATA)
        {
          set_problem (entry, "%s is damaged: its first page failed authentication, and its journal "
                       "holds no copy of it. Restore the vault folder from a backup.", name);
          return rc;
        }
      if (rc != SQLITE_OK || (rc = main->real->pMethods->xSync (main->real, SQLITE_SYNC_FULL)) != SQLITE_OK)
        return rc;
      g_message ("%s: an interrupted change was rolled back", name);
      break;
    }

  if (journal != NULL)
    sodium_free (journal);
  if (main->read_only)
    return SQLITE_OK;
  /* The database no longer needs it: the journal goes, then page 1's mark
   * of a transaction that never wrote (there is none when it was torn). */
  rc = empty_journal_file (journal_path);
  if (rc == SQLITE_OK)
    rc = sync_dir_of (journal_path);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* I/O methods                                                               */

static void
journal_clear (CairnFile *self)
{
  if (self->journal != NULL)
    sodium_free (self->journal);
  self->journal = NULL;
  self->journal_length = 0;
  self->journal_size = 0;
  self->journal_dirty = FALSE;
}

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
  journal_clear (self);
  if (self->entry != NULL && self->kind == FILE_KIND_MAIN)
    {
      g_mutex_lock (&self->entry->lock);
      if (self->entry->main == self)
        self->entry->main = NULL;
      g_mutex_unlock (&self->entry->lock);
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
  Entry *entry = self->entry;
  guint8 txn_id[TXN_ID_BYTES];
  gboolean live;
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

  /* The first write of a transaction whose journal is on disk marks page
   * 1 first (SQLite writes page 1 first, so this costs nothing but when
   * the cache spills). */
  g_mutex_lock (&entry->lock);
  live = entry->journal_live;
  memcpy (txn_id, entry->txn_id, sizeof txn_id);
  if (live && !entry->page1_marked && offset != 0)
    {
      rc = remark_page1 (self, txn_id);
      if (rc != SQLITE_OK)
        {
          g_mutex_unlock (&entry->lock);
          return rc == SQLITE_IOERR_DATA ? rc : SQLITE_IOERR_WRITE;
        }
    }
  if (live)
    entry->page1_marked = TRUE;
  g_mutex_unlock (&entry->lock);

  seal_page (entry, FILE_KIND_MAIN, (guint32) (offset / PAGE + 1), live && offset == 0 ? txn_id : NULL,
             in, self->page);
  rc = self->real->pMethods->xWrite (self->real, self->page, PAGE, offset);
  sodium_memzero (self->page, PAGE);
  if (rc == SQLITE_OK && cairn_vfs_page_written_hook != NULL)
    cairn_vfs_page_written_hook (entry->path, (guint32) (offset / PAGE + 1));

  return rc;
}

/* The journal's bytes live in memory (zeroing, guarded), and reach the
 * disk sealed whole at each sync. */
static int
read_journal (CairnFile     *self,
              guint8        *out,
              int            amount,
              sqlite3_int64  offset)
{
  gsize available = (gsize) offset < self->journal_length ? self->journal_length - (gsize) offset : 0;
  gsize n = MIN ((gsize) amount, available);

  if (n > 0)
    memcpy (out, self->journal + offset, n);
  if (n < (gsize) amount)
    {
      memset (out + n, 0, (gsize) amount - n);
      return SQLITE_IOERR_SHORT_READ;
    }
  return SQLITE_OK;
}

static gboolean
journal_reserve (CairnFile *self,
                 gsize      size)
{
  guint8 *bigger;
  gsize new_size;

  if (size <= self->journal_size)
    return TRUE;
  if (size > JOURNAL_MAX)
    return FALSE;

  new_size = MAX (size, MAX (self->journal_size * 2, 64 * 1024));
  bigger = sodium_malloc (new_size);
  if (bigger == NULL)
    return FALSE;
  memset (bigger, 0, new_size);
  if (self->journal != NULL)
    {
      memcpy (bigger, self->journal, self->journal_length);
      sodium_free (self->journal);
    }
  self->journal = bigger;
  self->journal_size = new_size;
  return TRUE;
}

static int
write_journal (CairnFile     *self,
               const guint8  *in,
               int            amount,
               sqlite3_int64  offset)
{
  gsize end = (gsize) offset + (gsize) amount;

  if (self->read_only)
    return SQLITE_READONLY;
  if (!journal_reserve (self, end))
    return SQLITE_IOERR_NOMEM;

  /* A new transaction's first bytes: it gets an id of its own. */
  if (self->journal_length == 0)
    {
      g_mutex_lock (&self->entry->lock);
      if (!self->entry->journal_live)
        randombytes_buf (self->entry->txn_id, TXN_ID_BYTES);
      g_mutex_unlock (&self->entry->lock);
    }

  memcpy (self->journal + offset, in, amount);
  self->journal_length = MAX (self->journal_length, end);
  self->journal_dirty = TRUE;
  return SQLITE_OK;
}

/* Keeps page 1 as it is on disk now, before the transaction writes into
 * the database, for its journal. Called with the entry's lock held. */
static int
take_page1_before (Entry *entry)
{
  sqlite3_file *real;
  sqlite3_int64 size = 0;
  int rc;

  entry->page1_before_length = 0;
  if (entry->main == NULL)
    return SQLITE_OK;
  real = entry->main->real;
  rc = real->pMethods->xFileSize (real, &size);
  if (rc != SQLITE_OK)
    return rc;
  if (size < PAGE)
    return SQLITE_OK; /* a new database */
  rc = real->pMethods->xRead (real, entry->page1_before, PAGE, 0);
  if (rc != SQLITE_OK)
    return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_IOERR_READ : rc;
  entry->page1_before_length = PAGE;
  return SQLITE_OK;
}

static int
sync_journal (CairnFile *self,
              int        flags)
{
  g_autofree guint8 *sealed = NULL;
  guint8 txn_id[TXN_ID_BYTES];
  gsize length = 0;
  int rc;

  if (self->journal_length == 0 || !self->journal_dirty)
    return self->real->pMethods->xSync (self->real, flags);
  /* SQLite syncs its records, then sets the header's magic and syncs
   * again, and only then writes into the database. A journal whose magic is
   * still zero is never rolled back: sealed whole, it need not reach the
   * disk until it has one. */
  if (self->journal_length >= 8 && is_zero (self->journal, 8))
    return SQLITE_OK;

  g_mutex_lock (&self->entry->lock);
  memcpy (txn_id, self->entry->txn_id, sizeof txn_id);
  if (!self->entry->journal_live)
    {
      rc = take_page1_before (self->entry);
      if (rc != SQLITE_OK)
        {
          g_mutex_unlock (&self->entry->lock);
          return rc;
        }
    }
  sealed = seal_journal (self->entry, txn_id, self->entry->page1_before, self->entry->page1_before_length,
                         self->journal, self->journal_length, &length);
  g_mutex_unlock (&self->entry->lock);
  /* In pieces: the unix VFS writes at most 128 KiB a call, as SQLite's
   * own writes never need more. */
  rc = SQLITE_OK;
  for (gsize at = 0; at < length && rc == SQLITE_OK; at += WRITE_PIECE)
    rc = self->real->pMethods->xWrite (self->real, sealed + at, (int) MIN (WRITE_PIECE, length - at),
                                       (sqlite3_int64) at);
  if (rc == SQLITE_OK)
    rc = self->real->pMethods->xTruncate (self->real, (sqlite3_int64) length);
  if (rc == SQLITE_OK)
    rc = self->real->pMethods->xSync (self->real, flags | SQLITE_SYNC_FULL);
  if (rc != SQLITE_OK)
    return rc;

  self->journal_dirty = FALSE;
  g_mutex_lock (&self->entry->lock);
  self->entry->journal_live = TRUE;
  g_mutex_unlock (&self->entry->lock);
  return SQLITE_OK;
}

/* Emptying the journal ends the transaction (commit or rollback): the
 * database's page 1 is unmarked and synced first, then the journal goes. */
static int
truncate_journal (CairnFile     *self,
                  sqlite3_int64  size)
{
  Entry *entry = self->entry;
  int rc = SQLITE_OK;

  if (size < 0 || (gsize) size > self->journal_length)
    return size < 0 ? SQLITE_IOERR_TRUNCATE : SQLITE_OK;

  if (size > 0)
    {
      sodium_memzero (self->journal + size, self->journal_length - (gsize) size);
      self->journal_length = (gsize) size;
      self->journal_dirty = TRUE;
      return SQLITE_OK;
    }

  g_mutex_lock (&entry->lock);
  if (entry->page1_marked && entry->main != NULL)
    {
      /* The file's size is the same: its data is what must be durable. */
      rc = remark_page1 (entry->main, NULL);
      if (rc == SQLITE_OK)
        rc = entry->main->real->pMethods->xSync (entry->main->real, SQLITE_SYNC_FULL | SQLITE_SYNC_DATAONLY);
      if (rc == SQLITE_OK)
        entry->page1_marked = FALSE;
    }
  g_mutex_unlock (&entry->lock);
  if (rc != SQLITE_OK)
    return rc;

  rc = self->real->pMethods->xTruncate (self->real, 0);
  if (rc != SQLITE_OK)
    return rc;
  journal_clear (self);
  g_mutex_lock (&entry->lock);
  entry->journal_live = FALSE;
  entry->page1_before_length = 0;
  g_mutex_unlock (&entry->lock);
  return SQLITE_OK;
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

  if (self->kind == FILE_KIND_JOURNAL)
    return truncate_journal (self, size);
  if (size % PAGE != 0)
    return SQLITE_IOERR_TRUNCATE;
  return self->real->pMethods->xTruncate (self->real, size);
}

static int
cairn_file_sync (sqlite3_file *file,
                 int           flags)
{
  CairnFile *self = (CairnFile *) file;

  if (self->kind == FILE_KIND_JOURNAL)
    return sync_journal (self, flags);
  return self->real->pMethods->xSync (self->real, flags);
}

static int
cairn_file_size (sqlite3_file  *file,
                 sqlite3_int64 *size)
{
  CairnFile *self = (CairnFile *) file;

  if (self->kind == FILE_KIND_JOURNAL)
    {
      *size = (sqlite3_int64) self->journal_length;
      return SQLITE_OK;
    }
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
    /* A journal is sealed whole at one sync a transaction; spilling the
     * cache mid-transaction would need a second, written over the first. */
    { "cache_spill", { "off", "0", NULL } },
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

/* The database is opened: recover first, holding the file's lock as a
 * writer would (as a reader, read-only) so that no other connection is
 * half-way through a transaction whose journal this would take for an
 * interrupted one. */
static int
open_main (CairnFile  *self,
           const char *name)
{
  Entry *entry = self->entry;
  int locked = self->read_only ? SQLITE_LOCK_SHARED : SQLITE_LOCK_EXCLUSIVE;
  int rc;

  g_mutex_lock (&entry->lock);
  if (entry->main != NULL)
    {
      g_mutex_unlock (&entry->lock);
      return SQLITE_BUSY;
    }
  g_clear_pointer (&entry->problem, g_free);
  entry->journal_live = FALSE;
  entry->page1_before_length = 0;
  entry->page1_marked = FALSE;
  g_mutex_unlock (&entry->lock);

  rc = self->real->pMethods->xLock (self->real, SQLITE_LOCK_SHARED);
  if (rc == SQLITE_OK && locked == SQLITE_LOCK_EXCLUSIVE)
    {
      rc = self->real->pMethods->xLock (self->real, SQLITE_LOCK_RESERVED);
      if (rc == SQLITE_OK)
        rc = self->real->pMethods->xLock (self->real, SQLITE_LOCK_EXCLUSIVE);
    }
  if (rc == SQLITE_OK)
    rc = recover (self, name);
  self->real->pMethods->xUnlock (self->real, SQLITE_LOCK_NONE);
  if (rc != SQLITE_OK)
    return rc;

  g_mutex_lock (&entry->lock);
  entry->main = self;
  g_mutex_unlock (&entry->lock);
  return SQLITE_OK;
}

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
  self->read_only = (flags & SQLITE_OPEN_READONLY) != 0;

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

  if (kind == FILE_KIND_MAIN)
    {
      rc = open_main (self, name);
      if (rc != SQLITE_OK)
        {
          self->real->pMethods->xClose (self->real);
          sodium_memzero (self->page, PAGE);
          sqlite3_free (self->page);
          self->page = NULL;
          g_clear_pointer (&self->entry, entry_unref);
          return rc;
        }
    }

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
  g_mutex_init (&entry->lock);
  if (entry->key == NULL)
    {
      g_mutex_clear (&entry->lock);
      g_free (entry->path);
      g_free (entry);
      g_set_error_literal (error, CAIRN_VFS_ERROR, CAIRN_VFS_ERROR_INIT,
                           "No protected memory is left for the key");
      return FALSE;
    }
  memcpy (entry->key, key, CAIRN_VFS_KEY_BYTES);
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
 * cairn_vfs_dup_problem:
 * @full_path: a path given to cairn_vfs_add_file()
 *
 * Returns: (transfer full) (nullable): why the last open of @full_path was
 *   refused when its recovery found the database or its journal damaged,
 *   in words for the person at the screen
 */
char *
cairn_vfs_dup_problem (const char *full_path)
{
  Entry *entry = lookup_entry (full_path);
  char *problem;

  if (entry == NULL)
    return NULL;
  g_mutex_lock (&entry->lock);
  problem = g_strdup (entry->problem);
  g_mutex_unlock (&entry->lock);
  entry_unref (entry);
  return problem;
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
