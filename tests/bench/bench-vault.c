/* bench-vault.c
 *
 * What the encryption costs: the same workload on a vault database (through
 * the encrypting VFS, opened with cairn_database_open()) and on a plain
 * SQLite database (the stock "unix" VFS), then the time to unlock a vault
 * made with the default Argon2id parameters. Run with build-aux/bench vault.
 * Prints figures; asserts nothing about them. Fails only when something
 * fails (a query error, a missing row, results that differ between the two
 * databases).
 *
 * Three subjects run the workload:
 *
 *  - "stock": a plain database in a child process that never calls
 *    cairn_vfs_init(): SQLite exactly as any program gets it.
 *  - "plain": a plain database in this process, after cairn_vfs_init(), on
 *    the stock unix VFS registered again (see keep_unix_vfs()). It shares
 *    the process-wide settings Cairn gives SQLite (the zeroing allocator, no
 *    memory statistics, statement journals in memory), so the ratio against
 *    it is the cost of the VFS alone. This is the ratio the targets are for.
 *  - "encrypted": a vault database through cairn_database_open().
 *
 * Both plain databases get the connection settings cairn_database_open()
 * gives a vault database: page_size 4096, journal_mode TRUNCATE,
 * synchronous FULL, locking_mode EXCLUSIVE, temp_store MEMORY, foreign_keys
 * and cell_size_check on, defensive mode, trusted schema, no double-quoted
 * strings, the same busy timeout, and Cairn's cache_size
 * (CAIRN_DATABASE_CACHE_KIB) unless --cache-kib says otherwise. What still
 * differs, on purpose:
 *
 *  - a vault page keeps its last 40 bytes for the nonce and tag (reserved
 *    bytes), so it holds 1% less and the database has slightly more pages;
 *  - the VFS seals every page written to the database and to its journal
 *    (XChaCha20-Poly1305 with a fresh random nonce), opens every page read,
 *    MACs journal headers and wipes its scratch page after each use;
 *  - the vault connection has an authorizer, which runs only when a
 *    statement is prepared: the workload prepares each statement once.
 *
 * "Cold" means a fresh connection, so SQLite's page cache is empty and every
 * page comes through the VFS again; the operating system's page cache is
 * left alone (the files were just written, so it is warm). The time to open
 * the connection is not counted. "Warm" means the connection that did the
 * inserts, after one untimed pass of the same reads or queries.
 *
 * Each subject runs the whole workload --runs times, from an empty file, the
 * subjects taking turns in a rotating order; the table shows the median of
 * each phase.
 *
 * Nothing printed here is data: the notes are made of generated syllables
 * and the table shows times and counts only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cairn-database.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

#define BATCH        1000
#define N_READS      10000
#define N_QUERIES    200
#define N_WORDS      2000
#define BODY_CHARS   80
#define N_PATIENTS   1000

#define BENCH_USER       "Bench Clinician"
#define BENCH_PASSPHRASE "copper harbour lantern 58"

typedef enum
{
  PHASE_INSERT,
  PHASE_READ_WARM,
  PHASE_READ_COLD,
  PHASE_FTS_WARM,
  PHASE_FTS_COLD,
  N_PHASES
} Phase;

typedef enum
{
  SUBJECT_STOCK,
  SUBJECT_PLAIN,
  SUBJECT_ENCRYPTED,
  N_SUBJECTS
} Subject;

static const char * const subject_names[N_SUBJECTS] = { "stock", "plain", "encrypted" };

/* "×", "≤" and "–" where the terminal takes UTF-8, ASCII elsewhere. */
static const char *times_sign = "x";
static const char *at_most_sign = "<=";
static const char *range_sign = "-";

/* Everything the workload writes and asks, made from the seed, so that the
 * child process makes exactly the same. */
typedef struct
{
  guint      n_rows;
  GPtrArray *ids;      /* random UUIDs, one per note */
  GPtrArray *patients; /* random UUIDs, N_PATIENTS of them */
  GPtrArray *bodies;   /* ~80 characters of generated words */
  guint     *reads;    /* N_READS indices into ids */
  GPtrArray *queries;  /* N_QUERIES distinct words, quoted for MATCH */
} Workload;

typedef struct
{
  gint64  usec[N_PHASES];
  gint64  pages_read[N_PHASES];    /* page cache misses: pages read through the VFS */
  gint64  pages_written[N_PHASES]; /* database pages written (not counting the journal) */
  guint64 check[N_PHASES];         /* what the phase found: must match across subjects */
  gint64  db_bytes;
} Results;

typedef struct
{
  gboolean       encrypted;
  char          *path;
  guint8         key[CAIRN_VFS_KEY_BYTES];
  guint8         file_id[CAIRN_VFS_FILE_ID_BYTES];
  int            cache_kib;
  CairnDatabase *vault_db;
  sqlite3       *db;
} Target;

static const char * const onsets[] = {
  "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
  "br", "dr", "gl", "pl", "st", "tr",
};
static const char * const vowels[] = { "a", "e", "i", "o", "u", "ai", "ou" };

/* ------------------------------------------------------------------------ */
/* The workload                                                              */

static char *
random_uuid (GRand *rng)
{
  guint8 b[16];

  for (guint i = 0; i < sizeof b; i += 4)
    {
      guint32 r = g_rand_int (rng);

      memcpy (b + i, &r, 4);
    }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static char *
random_word (GRand *rng)
{
  GString *word = g_string_new (NULL);
  int n = g_rand_int_range (rng, 2, 4);

  for (int i = 0; i < n; i++)
    {
      g_string_append (word, onsets[g_rand_int_range (rng, 0, G_N_ELEMENTS (onsets))]);
      g_string_append (word, vowels[g_rand_int_range (rng, 0, G_N_ELEMENTS (vowels))]);
    }

  return g_string_free (word, FALSE);
}

static Workload *
workload_new (guint  n_rows,
              guint  seed)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Workload *w = g_new0 (Workload, 1);

  while (words->len < N_WORDS)
    {
      char *word = random_word (rng);

      if (g_hash_table_contains (seen, word))
        {
          g_free (word);
          continue;
        }
      g_hash_table_add (seen, word);
      g_ptr_array_add (words, word);
    }

  w->n_rows = n_rows;
  w->patients = g_ptr_array_new_full (N_PATIENTS, g_free);
  for (guint i = 0; i < N_PATIENTS; i++)
    g_ptr_array_add (w->patients, random_uuid (rng));

  w->ids = g_ptr_array_new_full (n_rows, g_free);
  w->bodies = g_ptr_array_new_full (n_rows, g_free);
  for (guint i = 0; i < n_rows; i++)
    {
      GString *body = g_string_new (NULL);

      g_ptr_array_add (w->ids, random_uuid (rng));
      while (body->len < BODY_CHARS)
        {
          if (body->len > 0)
            g_string_append_c (body, ' ');
          g_string_append (body, words->pdata[g_rand_int_range (rng, 0, N_WORDS)]);
        }
      g_ptr_array_add (w->bodies, g_string_free (body, FALSE));
    }

  w->reads = g_new (guint, N_READS);
  for (guint i = 0; i < N_READS; i++)
    w->reads[i] = (guint) g_rand_int_range (rng, 0, (gint32) n_rows);

  /* Distinct words: a partial shuffle of the vocabulary. */
  w->queries = g_ptr_array_new_full (N_QUERIES, g_free);
  for (guint i = 0; i < N_QUERIES; i++)
    {
      guint j = (guint) g_rand_int_range (rng, (gint32) i, N_WORDS);
      gpointer tmp = words->pdata[i];

      words->pdata[i] = words->pdata[j];
      words->pdata[j] = tmp;
      g_ptr_array_add (w->queries, g_strdup_printf ("\"%s\"", (char *) words->pdata[i]));
    }

  return w;
}

static void
workload_free (Workload *w)
{
  g_ptr_array_unref (w->ids);
  g_ptr_array_unref (w->patients);
  g_ptr_array_unref (w->bodies);
  g_ptr_array_unref (w->queries);
  g_free (w->reads);
  g_free (w);
}

/* ------------------------------------------------------------------------ */
/* Connections                                                               */

/* SQLite's messages name tables and columns, never values. */
static gboolean
sql_failed (sqlite3     *db,
            const char  *what,
            GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s (extended code %d)", what,
               db != NULL ? sqlite3_errmsg (db) : "no connection",
               db != NULL ? sqlite3_extended_errcode (db) : 0);
  return FALSE;
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_failed (db, sql, error);
  return TRUE;
}

/* The settings cairn_database_open() gives a vault connection, without the
 * VFS, the reserved bytes and the authorizer. Keep in step with it. */
static gboolean
open_plain (Target   *t,
            gboolean  create,
            GError  **error)
{
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc;

  rc = sqlite3_open_v2 (t->path, &t->db, flags, "unix");
  if (rc != SQLITE_OK)
    {
      sql_failed (t->db, "Opening the plain database", error);
      sqlite3_close_v2 (t->db);
      t->db = NULL;
      return FALSE;
    }

  sqlite3_extended_result_codes (t->db, 1);
  sqlite3_db_config (t->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (t->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 1, NULL);
  sqlite3_db_config (t->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  sqlite3_db_config (t->db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
  sqlite3_db_config (t->db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
  sqlite3_busy_timeout (t->db, 2000);

  return (!create || exec_sql (t->db, "PRAGMA page_size = 4096", error)) &&
         exec_sql (t->db,
                   "PRAGMA temp_store = MEMORY;"
                   "PRAGMA locking_mode = EXCLUSIVE;"
                   "PRAGMA journal_mode = TRUNCATE;"
                   "PRAGMA synchronous = FULL;"
                   "PRAGMA foreign_keys = ON;"
                   "PRAGMA cell_size_check = ON;"
                   "SELECT count(*) FROM sqlite_schema;",
                   error);
}

static void
target_close (Target *t)
{
  if (t->vault_db != NULL)
    g_clear_pointer (&t->vault_db, cairn_database_close);
  else if (t->db != NULL)
    sqlite3_close_v2 (t->db);
  t->db = NULL;
}

static gboolean
target_open (Target    *t,
             gboolean   create,
             GError   **error)
{
  if (t->encrypted)
    {
      t->vault_db = cairn_database_open (t->path, t->key, t->file_id, create, error);
      if (t->vault_db == NULL)
        return FALSE;
      t->db = cairn_database_get_handle (t->vault_db);
    }
  else if (!open_plain (t, create, error))
    {
      target_close (t);
      return FALSE;
    }

  if (t->cache_kib > 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%d", t->cache_kib);

      if (!exec_sql (t->db, sql, error))
        {
          target_close (t);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
prepare (Target        *t,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  if (sqlite3_prepare_v2 (t->db, sql, -1, stmt, NULL) != SQLITE_OK)
    return sql_failed (t->db, sql, error);
  return TRUE;
}

static void
reset_stats (Target *t)
{
  int cur, high;

  sqlite3_db_status (t->db, SQLITE_DBSTATUS_CACHE_MISS, &cur, &high, 1);
  sqlite3_db_status (t->db, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &high, 1);
}

static void
take_stats (Target  *t,
            Results *r,
            Phase    phase)
{
  int cur = 0, high;

  sqlite3_db_status (t->db, SQLITE_DBSTATUS_CACHE_MISS, &cur, &high, 0);
  r->pages_read[phase] = cur;
  sqlite3_db_status (t->db, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &high, 0);
  r->pages_written[phase] = cur;
}

/* ------------------------------------------------------------------------ */
/* The phases                                                                */

static gboolean
insert_notes (Target          *t,
              const Workload  *w,
              Results         *r,
              GError         **error)
{
  sqlite3_stmt *note = NULL;
  sqlite3_stmt *fts = NULL;
  gboolean ok = FALSE;
  gint64 start;

  if (!exec_sql (t->db,
                 "CREATE TABLE notes (id TEXT PRIMARY KEY, patient TEXT, body TEXT);"
                 /* External content: the index holds no copy of the bodies. */
                 "CREATE VIRTUAL TABLE notes_fts USING fts5 (body, content='notes');",
                 error) ||
      !prepare (t, "INSERT INTO notes (id, patient, body) VALUES (?1, ?2, ?3)", &note, error) ||
      !prepare (t, "INSERT INTO notes_fts (rowid, body) VALUES (?1, ?2)", &fts, error))
    goto out;

  reset_stats (t);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < w->n_rows; i += BATCH)
    {
      if (!exec_sql (t->db, "BEGIN IMMEDIATE", error))
        goto out;

      for (guint j = i; j < MIN (i + BATCH, w->n_rows); j++)
        {
          const char *body = w->bodies->pdata[j];

          sqlite3_bind_text (note, 1, w->ids->pdata[j], -1, SQLITE_STATIC);
          sqlite3_bind_text (note, 2, w->patients->pdata[j % N_PATIENTS], -1, SQLITE_STATIC);
          sqlite3_bind_text (note, 3, body, -1, SQLITE_STATIC);
          if (sqlite3_step (note) != SQLITE_DONE)
            {
              sql_failed (t->db, "Inserting a note", error);
              goto out;
            }
          sqlite3_reset (note);

          sqlite3_bind_int64 (fts, 1, sqlite3_last_insert_rowid (t->db));
          sqlite3_bind_text (fts, 2, body, -1, SQLITE_STATIC);
          if (sqlite3_step (fts) != SQLITE_DONE)
            {
              sql_failed (t->db, "Indexing a note", error);
              goto out;
            }
          sqlite3_reset (fts);
        }

      if (!exec_sql (t->db, "COMMIT", error))
        goto out;
    }

  r->usec[PHASE_INSERT] = g_get_monotonic_time () - start;
  take_stats (t, r, PHASE_INSERT);
  r->check[PHASE_INSERT] = w->n_rows;
  ok = TRUE;

out:
  if (!sqlite3_get_autocommit (t->db))
    sqlite3_exec (t->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_finalize (note);
  sqlite3_finalize (fts);
  return ok;
}

/* Reads every note of w->reads by key; the check is the bytes read. */
static gboolean
read_notes (Target          *t,
            const Workload  *w,
            gboolean         timed,
            Results         *r,
            Phase            phase,
            GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  guint64 bytes = 0;
  gint64 start;

  if (!prepare (t, "SELECT patient, body FROM notes WHERE id = ?1", &stmt, error))
    return FALSE;

  reset_stats (t);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < N_READS; i++)
    {
      int rc;

      sqlite3_bind_text (stmt, 1, w->ids->pdata[w->reads[i]], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          if (rc == SQLITE_DONE)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         "Point read %u found no note", i);
          else
            sql_failed (t->db, "Reading a note", error);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      bytes += (guint64) sqlite3_column_bytes (stmt, 0) + (guint64) sqlite3_column_bytes (stmt, 1);
      sqlite3_reset (stmt);
    }

  if (timed)
    {
      r->usec[phase] = g_get_monotonic_time () - start;
      take_stats (t, r, phase);
      r->check[phase] = bytes;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Counts the notes matching each query word; the check is the total. */
static gboolean
search_notes (Target          *t,
              const Workload  *w,
              gboolean         timed,
              Results         *r,
              Phase            phase,
              GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  guint64 hits = 0;
  gint64 start;

  if (!prepare (t, "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH ?1", &stmt, error))
    return FALSE;

  reset_stats (t);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < w->queries->len; i++)
    {
      sqlite3_bind_text (stmt, 1, w->queries->pdata[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sql_failed (t->db, "Searching the notes", error);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      hits += (guint64) sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  if (timed)
    {
      r->usec[phase] = g_get_monotonic_time () - start;
      take_stats (t, r, phase);
      r->check[phase] = hits;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
run_workload (Target          *t,
              const Workload  *w,
              Results         *r,
              GError         **error)
{
  g_autofree char *journal = NULL;
  GStatBuf st;
  gboolean ok;

  memset (r, 0, sizeof *r);

  ok = target_open (t, TRUE, error) &&
       insert_notes (t, w, r, error) &&
       read_notes (t, w, FALSE, r, PHASE_READ_WARM, error) &&
       read_notes (t, w, TRUE, r, PHASE_READ_WARM, error) &&
       search_notes (t, w, FALSE, r, PHASE_FTS_WARM, error) &&
       search_notes (t, w, TRUE, r, PHASE_FTS_WARM, error);
  target_close (t);

  ok = ok &&
       target_open (t, FALSE, error) &&
       read_notes (t, w, TRUE, r, PHASE_READ_COLD, error);
  target_close (t);

  ok = ok &&
       target_open (t, FALSE, error) &&
       search_notes (t, w, TRUE, r, PHASE_FTS_COLD, error);
  target_close (t);

  if (ok && g_stat (t->path, &st) == 0)
    r->db_bytes = st.st_size;

  /* Each run starts from an empty file; the deletion reaches the disk now,
   * not during the next subject's commits. */
  journal = g_strconcat (t->path, "-journal", NULL);
  g_unlink (t->path);
  g_unlink (journal);
  sync ();

  return ok;
}

/* ------------------------------------------------------------------------ */
/* The stock subject, in a child process                                     */

static void
print_results (const Results *r)
{
  for (int p = 0; p < N_PHASES; p++)
    g_print ("phase %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
             p, r->usec[p], r->pages_read[p], r->pages_written[p], r->check[p]);
  g_print ("bytes %" G_GINT64_FORMAT "\n", r->db_bytes);
}

static gboolean
parse_results (const char  *output,
               Results     *r,
               GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  guint found = 0;

  memset (r, 0, sizeof *r);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      guint n = g_strv_length (f);

      if (n == 6 && g_str_equal (f[0], "phase"))
        {
          gint64 p = g_ascii_strtoll (f[1], NULL, 10);

          if (p < 0 || p >= N_PHASES)
            continue;
          r->usec[p] = g_ascii_strtoll (f[2], NULL, 10);
          r->pages_read[p] = g_ascii_strtoll (f[3], NULL, 10);
          r->pages_written[p] = g_ascii_strtoll (f[4], NULL, 10);
          r->check[p] = g_ascii_strtoull (f[5], NULL, 10);
          found++;
        }
      else if (n == 2 && g_str_equal (f[0], "bytes"))
        {
          r->db_bytes = g_ascii_strtoll (f[1], NULL, 10);
        }
    }

  if (found != N_PHASES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The stock run printed %u of %d phases", found, N_PHASES);
      return FALSE;
    }
  return TRUE;
}

/* This very binary: its path as it was when we started, or, if a rebuild
 * has replaced that file since, the kernel's link to our own. (Under
 * valgrind only the path works.) */
static char *self_path;
static GStatBuf self_stat;

static void
remember_self (void)
{
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL && g_stat (self_path, &self_stat) != 0)
    g_clear_pointer (&self_path, g_free);
}

static const char *
self_binary (void)
{
  GStatBuf st;

  if (self_path != NULL && g_stat (self_path, &st) == 0 &&
      st.st_dev == self_stat.st_dev && st.st_ino == self_stat.st_ino)
    return self_path;
  return "/proc/self/exe";
}

static gboolean
run_stock_child (const char  *dir,
                 guint        n_rows,
                 guint        seed,
                 int          cache_kib,
                 Results     *r,
                 GError     **error)
{
  g_autofree char *rows_arg = g_strdup_printf ("--rows=%u", n_rows);
  g_autofree char *seed_arg = g_strdup_printf ("--seed=%u", seed);
  g_autofree char *cache_arg = g_strdup_printf ("--cache-kib=%d", cache_kib);
  g_autofree char *dir_arg = g_strdup_printf ("--stock-child=%s", dir);
  g_autofree char *output = NULL;
  const char *argv[] = { self_binary (), dir_arg, rows_arg, seed_arg, cache_arg, NULL };
  int status;

  /* The child's errors go to our stderr. */
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &output, NULL, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "the child process failed: ");
      return FALSE;
    }

  return parse_results (output, r, error);
}

/* ------------------------------------------------------------------------ */
/* Unlocking                                                                 */

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gboolean
bench_unlock (const char  *parent,
              int          runs,
              gint64      *create_usec,
              gint64      *times,
              GError     **error)
{
  g_autofree char *dir = g_build_filename (parent, "vault", NULL);
  char *recovery = NULL;
  CairnVault *vault;
  gint64 start;

  start = g_get_monotonic_time ();
  vault = cairn_vault_create (dir, "Bench Practice", "UTC", BENCH_USER, BENCH_PASSPHRASE,
                              cairn_vault_default_kdf_params (), &recovery, error);
  *create_usec = g_get_monotonic_time () - start;
  if (vault == NULL)
    return FALSE;
  sodium_memzero (recovery, strlen (recovery));
  g_free (recovery);
  cairn_vault_lock (vault);
  g_object_unref (vault);

  for (int i = 0; i < runs; i++)
    {
      start = g_get_monotonic_time ();
      vault = cairn_vault_unlock (dir, BENCH_USER, BENCH_PASSPHRASE, error);
      times[i] = g_get_monotonic_time () - start;
      if (vault == NULL)
        return FALSE;
      cairn_vault_lock (vault);
      g_object_unref (vault);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Report                                                                    */

static const char * const phase_names[N_PHASES] = {
  "insert",
  "point reads, warm",
  "point reads, cold",
  "FTS queries, warm",
  "FTS queries, cold",
};

static double
ms (gint64 usec)
{
  return usec / 1000.0;
}

static double
ratio (gint64 a,
       gint64 b)
{
  return b > 0 ? (double) a / (double) b : 0.0;
}

/* Every run of every subject must have found the same. */
static gboolean
check_same (Results * const  runs[N_SUBJECTS],
            int              n_runs,
            GError         **error)
{
  const Results *first = &runs[0][0];

  for (int s = 0; s < N_SUBJECTS; s++)
    for (int i = 0; i < n_runs; i++)
      for (int p = 0; p < N_PHASES; p++)
        if (runs[s][i].check[p] != first->check[p])
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "%s: the %s database found %" G_GUINT64_FORMAT " in run %d, "
                         "the %s one %" G_GUINT64_FORMAT " in run 1",
                         phase_names[p], subject_names[s], runs[s][i].check[p], i + 1,
                         subject_names[0], first->check[p]);
            return FALSE;
          }
  return TRUE;
}

/* The median time of each phase over the runs; the rest from the first run
 * (page counts vary little from run to run). */
static void
summarize (const Results *runs,
           int            n_runs,
           Results       *out)
{
  g_autofree gint64 *times = g_new (gint64, n_runs);

  *out = runs[0];
  for (int p = 0; p < N_PHASES; p++)
    {
      for (int i = 0; i < n_runs; i++)
        times[i] = runs[i].usec[p];
      qsort (times, n_runs, sizeof *times, compare_gint64);
      out->usec[p] = n_runs % 2 == 1 ? times[n_runs / 2] : (times[n_runs / 2 - 1] + times[n_runs / 2]) / 2;
    }
}

static void
print_table (const Workload *w,
             const Results   results[N_SUBJECTS],
             int             n_runs)
{
  const Results *stock = &results[SUBJECT_STOCK];
  const Results *plain = &results[SUBJECT_PLAIN];
  const Results *enc = &results[SUBJECT_ENCRYPTED];
  guint n_tx = (w->n_rows + BATCH - 1) / BATCH;

  g_print ("\nMedian of %d run%s, in ms:\n", n_runs, n_runs == 1 ? "" : "s");
  g_print ("%-32s %10s %10s %10s %9s %9s %17s\n",
           "workload", "stock", "plain", "encrypted", "enc/plain", "enc/stock", "enc pages in/out");
  for (int p = 0; p < N_PHASES; p++)
    {
      g_autofree char *label = NULL;
      g_autofree char *pages = NULL;

      if (p == PHASE_INSERT)
        label = g_strdup_printf ("insert %u rows (%u tx)", w->n_rows, n_tx);
      else if (p == PHASE_READ_WARM || p == PHASE_READ_COLD)
        label = g_strdup_printf ("%s (%d)", phase_names[p], N_READS);
      else
        label = g_strdup_printf ("%s (%u)", phase_names[p], w->queries->len);
      pages = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                               enc->pages_read[p], enc->pages_written[p]);

      g_print ("%-32s %10.1f %10.1f %10.1f %8.2f%s %8.2f%s %17s\n", label,
               ms (stock->usec[p]), ms (plain->usec[p]), ms (enc->usec[p]),
               ratio (enc->usec[p], plain->usec[p]), times_sign,
               ratio (enc->usec[p], stock->usec[p]), times_sign,
               pages);
    }
  g_print ("%-32s %10.1f %10.1f %10.1f\n", "database size (MiB)",
           stock->db_bytes / 1048576.0, plain->db_bytes / 1048576.0, enc->db_bytes / 1048576.0);
  g_print ("stock: plain SQLite as any program gets it; plain: plain SQLite with Cairn's process settings;\n"
           "enc pages in/out: database pages read through the VFS (cache misses) / written to it\n"
           "(journal pages not counted).\n");
}

/* ------------------------------------------------------------------------ */

/* cairn_vfs_init() unregisters every VFS but its own. Take a pointer to the
 * stock unix VFS first (which starts SQLite with its stock settings), shut
 * SQLite down again so that cairn_vfs_init() can still configure it, and
 * register unix again afterwards, not as the default. Only this benchmark
 * does that: a plain database in the same process, under the same
 * process-wide settings as the vault. */
static gboolean
keep_unix_vfs (GError **error)
{
  sqlite3_vfs *unix_vfs = sqlite3_vfs_find ("unix");

  if (unix_vfs == NULL || sqlite3_shutdown () != SQLITE_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite has no unix VFS");
      return FALSE;
    }
  if (!cairn_vfs_init (error))
    return FALSE;
  if (sqlite3_vfs_find ("unix") == NULL && sqlite3_vfs_register (unix_vfs, 0) != SQLITE_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "The unix VFS could not be registered again");
      return FALSE;
    }
  return TRUE;
}

/* The stock subject: this process, a child, uses SQLite as any program
 * would, and prints its figures for the parent. */
static int
stock_child_main (const char     *dir,
                  const Workload *w,
                  int             cache_kib)
{
  g_autoptr(GError) error = NULL;
  Target stock = { 0 };
  Results r;
  int status = 1;

  stock.path = g_build_filename (dir, "stock.db", NULL);
  stock.cache_kib = cache_kib;
  if (run_workload (&stock, w, &r, &error))
    {
      print_results (&r);
      status = 0;
    }
  else
    {
      g_printerr ("bench-vault: stock: %s\n", error->message);
    }
  g_free (stock.path);

  return status;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stock_child = NULL;
  g_autofree char *base = NULL;
  g_autofree char *dir = NULL;
  g_autofree gint64 *unlock_times = NULL;
  Results *runs[N_SUBJECTS] = { NULL };
  Results results[N_SUBJECTS];
  Workload *w = NULL;
  Target plain = { 0 };
  Target enc = { 0 };
  gint64 create_usec = 0;
  int rows = 100000;
  int n_runs = 5;
  int seed = 1;
  int cache_kib = CAIRN_DATABASE_CACHE_KIB;
  int unlock_runs = 5;
  int status = 1;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows, "Notes to insert (default 100000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs,
      "Times to run the workload on each database, from empty (default 5; the table shows medians)", "N" },
    { "unlock-runs", 0, 0, G_OPTION_ARG_INT, &unlock_runs,
      "Times to unlock the vault (default 5; 0 skips unlocking)", "N" },
    { "cache-kib", 0, 0, G_OPTION_ARG_INT, &cache_kib,
      "PRAGMA cache_size of every connection, in KiB (default: Cairn's, 32768)", "KIB" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &base,
      "Where to make the temporary folder (default: the temporary directory)", "DIR" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the generated notes (default 1)", "N" },
    { "stock-child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &stock_child, NULL, NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  if (g_get_charset (NULL))
    {
      times_sign = "×";
      at_most_sign = "≤";
      range_sign = "–";
    }

  context = g_option_context_new ("- time the encrypted vault storage against plain SQLite");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (rows < 1 || n_runs < 1 || unlock_runs < 0 || cache_kib < 0)
    {
      g_printerr ("--rows and --runs must be at least 1, --unlock-runs and --cache-kib not negative\n");
      return 2;
    }

  w = workload_new ((guint) rows, (guint) seed);

  if (stock_child != NULL)
    {
      status = stock_child_main (stock_child, w, cache_kib);
      workload_free (w);
      return status;
    }

  remember_self ();
  if (!keep_unix_vfs (&error))
    goto out;

  dir = g_build_filename (base != NULL ? base : g_get_tmp_dir (), "cairn-bench-vault-XXXXXX", NULL);
  if (g_mkdtemp_full (dir, 0700) == NULL)
    {
      int saved = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s could not be made: %s", dir, g_strerror (saved));
      g_clear_pointer (&dir, g_free);
      goto out;
    }

  g_print ("SQLite %s, libsodium %s. %u notes in transactions of %d, %d point reads, %u FTS queries.\n"
           "cache_size: %d KiB%s. Files in %s.\n",
           sqlite3_libversion (), sodium_version_string (), w->n_rows, BATCH, N_READS, w->queries->len,
           cache_kib, cache_kib == CAIRN_DATABASE_CACHE_KIB ? " (Cairn's own)" : "", dir);

  plain.path = g_build_filename (dir, "plain.db", NULL);
  plain.cache_kib = cache_kib;
  enc.encrypted = TRUE;
  enc.path = g_build_filename (dir, "encrypted.db", NULL);
  enc.cache_kib = cache_kib;
  randombytes_buf (enc.key, sizeof enc.key);
  randombytes_buf (enc.file_id, sizeof enc.file_id);
  for (int s = 0; s < N_SUBJECTS; s++)
    runs[s] = g_new0 (Results, n_runs);

  /* The subjects take turns, in a rotating order, so that whatever else
   * the machine is doing, and whatever the previous subject left to the
   * disk, weighs on all of them alike. */
  for (int i = 0; i < n_runs; i++)
    {
      g_print ("Run %d of %d:", i + 1, n_runs);
      for (int k = 0; k < N_SUBJECTS; k++)
        {
          Subject s = (Subject) ((i + k) % N_SUBJECTS);
          Results *r = &runs[s][i];
          gboolean ok;

          g_print (" %s", subject_names[s]);
          if (s == SUBJECT_STOCK)
            ok = run_stock_child (dir, w->n_rows, (guint) seed, cache_kib, r, &error);
          else
            ok = run_workload (s == SUBJECT_PLAIN ? &plain : &enc, w, r, &error);
          if (!ok)
            {
              g_prefix_error (&error, "%s: ", subject_names[s]);
              goto out;
            }
        }
      g_print ("\n");
    }

  if (!check_same (runs, n_runs, &error))
    goto out;
  for (int s = 0; s < N_SUBJECTS; s++)
    summarize (runs[s], n_runs, &results[s]);
  print_table (w, results, n_runs);

  if (unlock_runs > 0)
    {
      g_print ("\nUnlocking: Argon2id with the default parameters, opening both databases, migrations check.\n");
      unlock_times = g_new0 (gint64, unlock_runs);
      if (!bench_unlock (dir, unlock_runs, &create_usec, unlock_times, &error))
        goto out;
      qsort (unlock_times, unlock_runs, sizeof *unlock_times, compare_gint64);
      g_print ("%-32s %10.1f ms\n", "create vault (once)", ms (create_usec));
      g_print ("%-32s median %.1f ms, min %.1f ms, max %.1f ms (%d runs)\n", "unlock",
               ms (unlock_times[unlock_runs / 2]), ms (unlock_times[0]),
               ms (unlock_times[unlock_runs - 1]), unlock_runs);
    }

  g_print ("\nTargets, for reference (encrypted against plain): reads %s 1.3%s, writes %s 1.5%s, unlock 0.5%s1.5 s\n",
           at_most_sign, times_sign, at_most_sign, times_sign, range_sign);
  status = 0;

out:
  if (error != NULL)
    g_printerr ("\nbench-vault: %s\n", error->message);
  target_close (&plain);
  target_close (&enc);
  sodium_memzero (enc.key, sizeof enc.key);
  g_free (plain.path);
  g_free (enc.path);
  for (int s = 0; s < N_SUBJECTS; s++)
    g_free (runs[s]);
  if (dir != NULL)
    cairn_test_remove_tree (dir);
  g_free (self_path);
  workload_free (w);
  return status;
}
