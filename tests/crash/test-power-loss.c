/* test-power-loss.c
 *
 * The vault after a power cut, at every point of a workload.
 *
 * A child process works on a real vault under the crash recorder
 * (cairn-crash-recorder.c, by LD_PRELOAD): it saves patients, records
 * measures in clinical.db, adds and removes a user, changes the
 * clinician's passphrase and replaces the recovery key, each an audited
 * transaction, marking in the log
 * where each began and returned. The test then replays the log and, at
 * each point between two of its file operations, rebuilds the folder as a
 * disk could hold it had the power gone there, under a model weaker than
 * ext4's (docs/vault.md, "Power cuts"):
 *
 *  - data written to a file since its last fsync may be lost, kept, kept
 *    up to some point, kept only from some point on (the disk wrote the
 *    later first), or torn: each 512-byte sector of it kept or not;
 *  - a file's creation, a rename or an unlink is kept only up to the
 *    folder's last fsync, and after it any number of them in order may be
 *    kept or lost, whatever became of the data;
 *  - what an fsync (or fdatasync) returned is on the disk.
 *
 * Each distinct image is opened as Cairn would open it, and must either
 * open sound — every operation that returned is there, the one under way
 * wholly or not at all, nothing that never began, every row as written,
 * the keyring and the users agreeing, integrity and audit chains passing —
 * or refuse with a message that names a damaged file. Some images with a
 * rollback pending get a second cut: the recovery itself is recorded and
 * cut at each of its points, and what is left must open the same way.
 *
 * The suite runs a short sweep. CAIRN_CRASH_SWEEP=long (build-aux/crash-sweep)
 * runs a longer workload, more variants of each point and a second cut
 * during many more recoveries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "cairn-crash-log.h"
#include "cairn-measures.h"
#include "cairn-patients.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

#define CLINICIAN "Dr Ada Quell"
#define LOCUM     "Locum Ines Varga"
#define LOCUM_PASSPHRASE "harbour violet sunlit 84"
static const char *const passphrases[] = { "lantern orchard fiddle 42", "copper meadow quartz 17" };

#define SECTOR 512
#define MAX_PATIENTS 32
#define MAX_MEASURES 8

/* ------------------------------------------------------------------------ */
/* The workload, and what the vault must hold after each of its steps       */

typedef enum
{
  STEP_ADD_PATIENT,
  STEP_SET_PHONE,
  STEP_ARCHIVE,
  STEP_ADD_MEASURE,
  STEP_ADD_USER,
  STEP_REMOVE_USER,
  STEP_CHANGE_PASSPHRASE,
  STEP_NEW_RECOVERY_KEY,
} StepKind;

typedef struct
{
  StepKind kind;
  int      patient;
  int      value;
} Step;

/* One round; the long sweep runs several, with patients numbered on. */
static const Step round_steps[] = {
  { STEP_ADD_PATIENT, 0, 0 },
  { STEP_ADD_PATIENT, 1, 0 },
  { STEP_ADD_MEASURE, 0, 11 },
  { STEP_ADD_USER, 0, 0 },
  { STEP_ADD_PATIENT, 2, 0 },
  { STEP_SET_PHONE, 1, 4711 },
  { STEP_CHANGE_PASSPHRASE, 0, 0 },
  { STEP_ADD_MEASURE, 2, 20 },
  { STEP_REMOVE_USER, 0, 0 },
  { STEP_ARCHIVE, 0, 0 },
  { STEP_ADD_PATIENT, 3, 0 },
  { STEP_ADD_MEASURE, 1, 5 },
  { STEP_NEW_RECOVERY_KEY, 0, 0 },
  { STEP_SET_PHONE, 3, 815 },
};

#define ROUND_STEPS G_N_ELEMENTS (round_steps)
#define ROUND_PATIENTS 4

typedef struct
{
  int      n_patients;
  struct
  {
    int      phone;  /* the number's last digits */
    gboolean archived;
    int      n_measures;
    int      totals[MAX_MEASURES];
  } patient[MAX_PATIENTS];
  gboolean locum;
  int      passphrase;
} State;

static guint rounds = 1;
static guint32 seed = 0xca1e;

static Step
step_at (guint k)
{
  Step step = round_steps[k % ROUND_STEPS];

  step.patient += (int) (k / ROUND_STEPS) * ROUND_PATIENTS;
  return step;
}

static guint
n_steps (void)
{
  return rounds * ROUND_STEPS;
}

static void
state_apply (State *state,
             Step   step)
{
  switch (step.kind)
    {
    case STEP_ADD_PATIENT:
      g_assert_cmpint (step.patient, ==, state->n_patients);
      state->patient[state->n_patients++].phone = step.patient + 1;
      break;
    case STEP_SET_PHONE:
      state->patient[step.patient].phone = step.value;
      break;
    case STEP_ARCHIVE:
      state->patient[step.patient].archived = TRUE;
      break;
    case STEP_ADD_MEASURE:
      state->patient[step.patient].totals[state->patient[step.patient].n_measures++] = step.value;
      break;
    case STEP_ADD_USER:
      state->locum = TRUE;
      break;
    case STEP_REMOVE_USER:
      state->locum = FALSE;
      break;
    case STEP_CHANGE_PASSPHRASE:
      state->passphrase = 1 - state->passphrase;
      break;
    case STEP_NEW_RECOVERY_KEY:
      break; /* the keyring changes; the check compares it with practice.db */
    }
}

/* What the vault holds once the first n steps have returned. */
static State
state_after (guint n)
{
  State state = { 0 };

  for (guint k = 0; k < n; k++)
    state_apply (&state, step_at (k));
  return state;
}

static char *
legal_name (int patient)
{
  return g_strdup_printf ("Crash Patient %02d", patient);
}

static char *
phone_text (int digits)
{
  return g_strdup_printf ("0301%06d", digits);
}

static void (*recorder_mark) (const char *text);

static void
mark (const char *what,
      guint       k)
{
  g_autofree char *text = g_strdup_printf ("%s %u", what, k);

  if (recorder_mark != NULL)
    recorder_mark (text);
}

static gboolean
run_step (CairnVault  *vault,
          GPtrArray   *ids,
          State       *state,
          Step         step,
          GError     **error)
{
  g_autofree char *user_id = cairn_vault_get_user_id (vault);
  CairnDatabase *practice = cairn_vault_get_practice (vault);

  switch (step.kind)
    {
    case STEP_ADD_PATIENT:
      {
        g_autoptr(CairnPatient) patient = cairn_patient_new ();

        patient->legal_name = legal_name (step.patient);
        patient->chart_number = g_strdup_printf ("CP-%02d", step.patient);
        patient->date_of_birth = g_strdup ("1979-04-12");
        patient->phone = phone_text (step.patient + 1);
        if (!cairn_patients_save (practice, patient, user_id, error))
          return FALSE;
        g_ptr_array_add (ids, g_strdup (patient->id));
        return TRUE;
      }
    case STEP_SET_PHONE:
      {
        g_autoptr(CairnPatient) patient = cairn_patients_get (practice, ids->pdata[step.patient], error);

        if (patient == NULL)
          return FALSE;
        g_free (patient->phone);
        patient->phone = phone_text (step.value);
        return cairn_patients_save (practice, patient, user_id, error);
      }
    case STEP_ARCHIVE:
      return cairn_patients_set_archived (practice, ids->pdata[step.patient], TRUE, user_id, error);
    case STEP_ADD_MEASURE:
      {
        g_autoptr(CairnMeasure) measure = cairn_measure_new ("bdi-ii");

        measure->patient_id = g_strdup (ids->pdata[step.patient]);
        measure->taken_on = g_strdup ("2026-11-02");
        measure->complete = TRUE;
        measure->total = step.value;
        return cairn_measures_save (cairn_vault_get_clinical (vault), measure, user_id, NULL, NULL, error);
      }
    case STEP_ADD_USER:
      return cairn_vault_add_user (vault, LOCUM, CAIRN_ROLE_FRONT_DESK, LOCUM_PASSPHRASE, &test_params, error);
    case STEP_REMOVE_USER:
      return cairn_vault_remove_user (vault, LOCUM, error);
    case STEP_CHANGE_PASSPHRASE:
      return cairn_vault_change_passphrase (vault, passphrases[state->passphrase],
                                            passphrases[1 - state->passphrase], &test_params, error);
    case STEP_NEW_RECOVERY_KEY:
      {
        g_autofree char *key = cairn_vault_regenerate_recovery_key (vault, passphrases[state->passphrase], error);

        return key != NULL;
      }
    }
  g_assert_not_reached ();
}

/* The child under the recorder. */
static int
workload (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  State state = { 0 };

  recorder_mark = (void (*) (const char *)) dlsym (RTLD_DEFAULT, "cairn_crash_recorder_mark");
  if (recorder_mark == NULL)
    {
      g_printerr ("workload: not run under the crash recorder\n");
      return 1;
    }
  vault = cairn_vault_unlock (dir, CLINICIAN, passphrases[0], &error);
  if (vault == NULL)
    {
      g_printerr ("workload: %s\n", error->message);
      return 1;
    }
  for (guint k = 0; k < n_steps (); k++)
    {
      Step step = step_at (k);

      mark ("begin", k);
      if (!run_step (vault, ids, &state, step, &error))
        {
          g_printerr ("workload, step %u: %s\n", k, error->message);
          return 1;
        }
      mark ("end", k);
      state_apply (&state, step);
    }
  cairn_vault_lock (vault);
  return 0;
}

/* Opens the vault with whichever passphrase it takes, first the one
 * expected; NULL and error set when neither opens it. */
static CairnVault *
unlock_either (const char  *dir,
               int          expected,
               int         *out_passphrase,
               GError     **error)
{
  CairnVault *vault = cairn_vault_unlock (dir, CLINICIAN, passphrases[expected], error);

  *out_passphrase = expected;
  if (vault == NULL && g_error_matches (*error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE))
    {
      g_clear_error (error);
      *out_passphrase = 1 - expected;
      vault = cairn_vault_unlock (dir, CLINICIAN, passphrases[1 - expected], error);
    }
  return vault;
}

/* The child that recovers an image under the recorder, for a second cut. */
static int
recover (const char *dir,
         int         expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  int passphrase;

  vault = unlock_either (dir, expected, &passphrase, &error);
  if (vault != NULL)
    cairn_vault_lock (vault);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* The log                                                                   */

typedef struct
{
  CairnCrashOp op;
  int          fd;
  gint64       a;
  char        *name;  /* one, for names and marks */
  char        *name2; /* two */
  GBytes      *data;  /* one, for writes */
} Op;

static void
op_clear (Op *op)
{
  g_free (op->name);
  g_free (op->name2);
  g_clear_pointer (&op->data, g_bytes_unref);
}

static GArray *
read_log (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length, at = 0;
  g_autoptr(GError) error = NULL;
  GArray *ops = g_array_new (FALSE, TRUE, sizeof (Op));

  g_array_set_clear_func (ops, (GDestroyNotify) op_clear);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  while (at < length)
    {
      CairnCrashRecord record;
      Op op = { 0 };

      g_assert_cmpuint (length - at, >=, sizeof record);
      memcpy (&record, contents + at, sizeof record);
      g_assert_cmphex (record.magic, ==, CAIRN_CRASH_RECORD_MAGIC);
      at += sizeof record;
      g_assert_cmpuint (length - at, >=, (gsize) record.one_length + record.two_length);
      op.op = record.op;
      op.fd = record.fd;
      op.a = record.a;
      if (record.op == CAIRN_CRASH_OP_WRITE)
        op.data = g_bytes_new (contents + at, record.one_length);
      else
        op.name = g_strndup (contents + at, record.one_length);
      at += record.one_length;
      if (record.two_length > 0)
        op.name2 = g_strndup (contents + at, record.two_length);
      at += record.two_length;
      if (op.op == CAIRN_CRASH_OP_UNSUPPORTED)
        g_error ("The recorder saw what it cannot replay: %s", op.name);
      g_array_append_val (ops, op);
    }
  return ops;
}

/* ------------------------------------------------------------------------ */
/* The disk                                                                  */

typedef struct
{
  gboolean truncate;
  gint64   offset; /* or the new length */
  GBytes  *data;
} Pending;

typedef struct
{
  GByteArray *current;
  GByteArray *durable;
  GArray     *pending; /* Pending, since the last fsync */
} Inode;

typedef enum
{
  DIR_CREATE,
  DIR_RENAME,
  DIR_UNLINK,
} DirOpKind;

typedef struct
{
  DirOpKind kind;
  char     *name;
  char     *to;
  Inode    *inode;
} DirOp;

typedef struct
{
  GPtrArray  *inodes;   /* owns every Inode */
  GHashTable *names;    /* name → Inode, as the running process sees it */
  GHashTable *durable;  /* name → Inode, as of the folder's last fsync */
  GArray     *dir_ops;  /* DirOp, since then */
  GHashTable *fds;      /* fd → Inode, or the disk itself for the folder */
} Disk;

static void
pending_clear (Pending *pending)
{
  g_clear_pointer (&pending->data, g_bytes_unref);
}

static Inode *
inode_new (Disk *disk)
{
  Inode *inode = g_new0 (Inode, 1);

  inode->current = g_byte_array_new ();
  inode->durable = g_byte_array_new ();
  inode->pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (inode->pending, (GDestroyNotify) pending_clear);
  g_ptr_array_add (disk->inodes, inode);
  return inode;
}

static void
inode_free (Inode *inode)
{
  g_byte_array_unref (inode->current);
  g_byte_array_unref (inode->durable);
  g_array_unref (inode->pending);
  g_free (inode);
}

static void
dir_op_clear (DirOp *op)
{
  g_free (op->name);
  g_free (op->to);
}

static void
bytes_write (GByteArray *bytes,
             gint64      offset,
             const void *data,
             gsize       length)
{
  if ((gsize) offset + length > bytes->len)
    {
      guint old = bytes->len;

      g_byte_array_set_size (bytes, (guint) (offset + length));
      memset (bytes->data + old, 0, bytes->len - old);
    }
  memcpy (bytes->data + offset, data, length);
}

static void
bytes_truncate (GByteArray *bytes,
                gint64      length)
{
  guint old = bytes->len;

  g_byte_array_set_size (bytes, (guint) length);
  if (bytes->len > old)
    memset (bytes->data + old, 0, bytes->len - old);
}

static GByteArray *
bytes_copy (GByteArray *bytes)
{
  GByteArray *copy = g_byte_array_sized_new (bytes->len);

  g_byte_array_append (copy, bytes->data, bytes->len);
  return copy;
}

static Disk *
disk_new (GHashTable *files)
{
  Disk *disk = g_new0 (Disk, 1);
  GHashTableIter iter;
  gpointer name, bytes;

  disk->inodes = g_ptr_array_new_with_free_func ((GDestroyNotify) inode_free);
  disk->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  disk->durable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  disk->dir_ops = g_array_new (FALSE, TRUE, sizeof (DirOp));
  g_array_set_clear_func (disk->dir_ops, (GDestroyNotify) dir_op_clear);
  disk->fds = g_hash_table_new (NULL, NULL);

  /* What was there before is on the disk. */
  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &name, &bytes))
    {
      Inode *inode = inode_new (disk);
      gsize length;
      const guint8 *data = g_bytes_get_data (bytes, &length);

      g_byte_array_append (inode->current, data, (guint) length);
      g_byte_array_append (inode->durable, data, (guint) length);
      g_hash_table_insert (disk->names, g_strdup (name), inode);
      g_hash_table_insert (disk->durable, g_strdup (name), inode);
    }
  return disk;
}

static void
disk_free (Disk *disk)
{
  g_hash_table_unref (disk->names);
  g_hash_table_unref (disk->durable);
  g_array_unref (disk->dir_ops);
  g_hash_table_unref (disk->fds);
  g_ptr_array_unref (disk->inodes);
  g_free (disk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Disk, disk_free)

static void
dir_op_add (Disk       *disk,
            DirOpKind   kind,
            const char *name,
            const char *to,
            Inode      *inode)
{
  DirOp op = { kind, g_strdup (name), g_strdup (to), inode };

  g_array_append_val (disk->dir_ops, op);
}

static void
pending_add (Inode  *inode,
             gboolean truncate,
             gint64   offset,
             GBytes  *data)
{
  Pending pending = { truncate, offset, data != NULL ? g_bytes_ref (data) : NULL };

  g_array_append_val (inode->pending, pending);
}

static void
copy_names (GHashTable *to,
            GHashTable *from)
{
  GHashTableIter iter;
  gpointer name, inode;

  g_hash_table_remove_all (to);
  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &name, &inode))
    g_hash_table_insert (to, g_strdup (name), inode);
}

/* What the running process did, as the disk takes it. */
static void
disk_apply (Disk     *disk,
            const Op *op)
{
  Inode *inode = g_hash_table_lookup (disk->fds, GINT_TO_POINTER (op->fd));

  switch (op->op)
    {
    case CAIRN_CRASH_OP_OPEN:
      if (op->name[0] == '\0')
        {
          g_hash_table_insert (disk->fds, GINT_TO_POINTER (op->fd), disk);
          break;
        }
      inode = g_hash_table_lookup (disk->names, op->name);
      if (inode == NULL)
        {
          g_assert_true (op->a & O_CREAT);
          inode = inode_new (disk);
          g_hash_table_insert (disk->names, g_strdup (op->name), inode);
          dir_op_add (disk, DIR_CREATE, op->name, NULL, inode);
        }
      else if ((op->a & O_TRUNC) && inode->current->len > 0)
        {
          bytes_truncate (inode->current, 0);
          pending_add (inode, TRUE, 0, NULL);
        }
      g_hash_table_insert (disk->fds, GINT_TO_POINTER (op->fd), inode);
      break;
    case CAIRN_CRASH_OP_CLOSE:
      g_hash_table_remove (disk->fds, GINT_TO_POINTER (op->fd));
      break;
    case CAIRN_CRASH_OP_WRITE:
      {
        gsize length;
        const guint8 *data = g_bytes_get_data (op->data, &length);

        g_assert_true (inode != NULL && (gpointer) inode != (gpointer) disk);
        bytes_write (inode->current, op->a, data, length);
        pending_add (inode, FALSE, op->a, op->data);
        break;
      }
    case CAIRN_CRASH_OP_TRUNCATE:
      g_assert_true (inode != NULL && (gpointer) inode != (gpointer) disk);
      bytes_truncate (inode->current, op->a);
      pending_add (inode, TRUE, op->a, NULL);
      break;
    case CAIRN_CRASH_OP_SYNC:
      g_assert_nonnull (inode);
      if ((gpointer) inode == (gpointer) disk)
        {
          copy_names (disk->durable, disk->names);
          g_array_set_size (disk->dir_ops, 0);
        }
      else
        {
          g_byte_array_unref (inode->durable);
          inode->durable = bytes_copy (inode->current);
          g_array_set_size (inode->pending, 0);
        }
      break;
    case CAIRN_CRASH_OP_RENAME:
      inode = g_hash_table_lookup (disk->names, op->name);
      g_assert_nonnull (inode);
      g_hash_table_remove (disk->names, op->name);
      g_hash_table_insert (disk->names, g_strdup (op->name2), inode);
      dir_op_add (disk, DIR_RENAME, op->name, op->name2, inode);
      break;
    case CAIRN_CRASH_OP_UNLINK:
      g_hash_table_remove (disk->names, op->name);
      dir_op_add (disk, DIR_UNLINK, op->name, NULL, NULL);
      break;
    case CAIRN_CRASH_OP_MARK:
    case CAIRN_CRASH_OP_UNSUPPORTED:
      break;
    }
}

typedef enum
{
  CUT_LOST,  /* nothing since the last fsyncs */
  CUT_KEPT,  /* everything, as after a kill */
  CUT_PART,  /* each file's writes up to some point, folder changes too */
  CUT_TORN,  /* each sector written kept or not */
  CUT_LATE,  /* each file's later writes kept, its earlier ones not */
  N_CUTS,
} Cut;

static const char *const cut_names[] = { "lost", "kept", "part", "torn", "late" };

/* The folder as the disk holds it if the power goes now: name → GBytes. */
static GHashTable *
disk_cut (Disk   *disk,
          Cut     cut,
          GRand  *rand)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  guint keep_dir_ops;
  GHashTableIter iter;
  gpointer name, value;

  copy_names (names, disk->durable);
  switch (cut)
    {
    case CUT_LOST:
      keep_dir_ops = 0;
      break;
    case CUT_KEPT:
      keep_dir_ops = disk->dir_ops->len;
      break;
    default:
      keep_dir_ops = (guint) g_rand_int_range (rand, 0, (gint32) disk->dir_ops->len + 1);
      break;
    }
  for (guint i = 0; i < keep_dir_ops; i++)
    {
      DirOp *op = &g_array_index (disk->dir_ops, DirOp, i);
      Inode *inode;

      switch (op->kind)
        {
        case DIR_CREATE:
          g_hash_table_insert (names, g_strdup (op->name), op->inode);
          break;
        case DIR_RENAME:
          inode = g_hash_table_lookup (names, op->name);
          if (inode != NULL)
            {
              g_hash_table_remove (names, op->name);
              g_hash_table_insert (names, g_strdup (op->to), inode);
            }
          break;
        case DIR_UNLINK:
          g_hash_table_remove (names, op->name);
          break;
        }
    }

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      Inode *inode = value;
      GByteArray *bytes = bytes_copy (inode->durable);
      guint keep = inode->pending->len, skip = 0;

      if (cut == CUT_LOST)
        keep = 0;
      else if (cut == CUT_PART)
        keep = (guint) g_rand_int_range (rand, 0, (gint32) inode->pending->len + 1);
      else if (cut == CUT_LATE && inode->pending->len > 0)
        skip = (guint) g_rand_int_range (rand, 1, (gint32) inode->pending->len + 1);
      for (guint i = 0; i < inode->pending->len; i++)
        {
          Pending *pending = &g_array_index (inode->pending, Pending, i);
          gsize length;
          const guint8 *data;

          if (cut != CUT_TORN && i >= keep)
            break;
          if (i < skip)
            continue;
          if (pending->truncate)
            {
              if (cut != CUT_TORN || g_rand_boolean (rand))
                bytes_truncate (bytes, pending->offset);
              continue;
            }
          data = g_bytes_get_data (pending->data, &length);
          if (cut != CUT_TORN)
            {
              bytes_write (bytes, pending->offset, data, length);
              continue;
            }
          /* Sector by sector, on the disk's own sector boundaries. */
          for (gsize at = 0; at < length;)
            {
              gint64 where = pending->offset + (gint64) at;
              gsize piece = MIN (length - at, (gsize) (SECTOR - where % SECTOR));

              if (g_rand_boolean (rand))
                bytes_write (bytes, where, data + at, piece);
              at += piece;
            }
        }
      g_hash_table_insert (files, g_strdup (name),
                           g_byte_array_free_to_bytes (bytes));
    }
  g_hash_table_unref (names);
  return files;
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
files_digest (GHashTable *files)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree gpointer *names = (gpointer *) g_hash_table_get_keys_as_array (files, NULL);
  guint n = g_hash_table_size (files);

  g_qsort_with_data (names, (gint) n, sizeof (gpointer), compare_names, NULL);
  for (guint i = 0; i < n; i++)
    {
      GBytes *bytes = g_hash_table_lookup (files, names[i]);
      gsize length;
      const guint8 *data = g_bytes_get_data (bytes, &length);
      guint64 size = length;

      g_checksum_update (checksum, (const guchar *) names[i], (gssize) strlen (names[i]) + 1);
      g_checksum_update (checksum, (const guchar *) &size, sizeof size);
      g_checksum_update (checksum, data, (gssize) length);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static GHashTable *
read_folder (const char *dir)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (folder);
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_false (g_file_test (path, G_FILE_TEST_IS_DIR));
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_hash_table_insert (files, g_strdup (name), g_bytes_new (contents, length));
    }
  return files;
}

static void
write_folder (const char *dir,
              GHashTable *files)
{
  GHashTableIter iter;
  gpointer name, bytes;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &name, &bytes))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, data, length), ==, (gssize) length);
      g_assert_cmpint (close (fd), ==, 0);
    }
}

/* ------------------------------------------------------------------------ */
/* Checking an image                                                         */

typedef enum
{
  OUTCOME_SOUND,
  OUTCOME_REFUSED,
  OUTCOME_WRONG,
  OUTCOME_LOST,
  N_OUTCOMES,
} Outcome;

static const char *const outcome_names[] = { "sound", "refused", "wrong", "lost" };

typedef struct
{
  char       *parent;
  char       *vault_dir;
  char       *recorder;
  GHashTable *seen;      /* digests of images checked */
  guint       images;    /* cut, with repeats */
  guint       counts[N_OUTCOMES];
  guint       second_cuts;
  guint       second_budget;
  GString    *problems;
  guint       serial;
} Sweep;

static gboolean
read_state (CairnVault  *vault,
            State       *state,
            GString     *why,
            GError     **error)
{
  g_autofree char *user_id = cairn_vault_get_user_id (vault);
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) users = cairn_vault_get_users (vault);

  patients = cairn_patients_search (cairn_vault_get_practice (vault), NULL, TRUE, 0, error);
  if (patients == NULL)
    return FALSE;
  memset (state, 0, sizeof *state);
  for (guint i = 0; i < patients->len; i++)
    {
      CairnPatientSummary *summary = patients->pdata[i];
      g_autoptr(GPtrArray) measures = NULL;
      int n = -1, phone = -1;

      if (sscanf (summary->legal_name, "Crash Patient %d", &n) != 1 || n < 0 || n >= MAX_PATIENTS
          || sscanf (summary->phone != NULL ? summary->phone : "", "0301%d", &phone) != 1)
        {
          g_string_append_printf (why, "a patient not written: %s; ", summary->legal_name);
          return TRUE;
        }
      state->n_patients = MAX (state->n_patients, n + 1);
      state->patient[n].phone = phone;
      state->patient[n].archived = summary->archived;
      measures = cairn_measures_list (cairn_vault_get_clinical (vault), summary->id, user_id, error);
      if (measures == NULL)
        return FALSE;
      for (guint j = 0; j < measures->len && j < MAX_MEASURES; j++)
        state->patient[n].totals[j] = ((CairnMeasure *) measures->pdata[j])->total;
      state->patient[n].n_measures = (int) measures->len;
    }
  if (patients->len != (guint) state->n_patients)
    g_string_append_printf (why, "%u patients, numbered to %d; ", patients->len, state->n_patients);
  for (guint i = 0; i < users->len; i++)
    if (g_strcmp0 (((CairnKeyringUser *) users->pdata[i])->name, LOCUM) == 0)
      state->locum = TRUE;
  return TRUE;
}

static gboolean
states_equal (const State *a,
              const State *b)
{
  if (a->n_patients != b->n_patients || a->locum != b->locum || a->passphrase != b->passphrase)
    return FALSE;
  for (int i = 0; i < a->n_patients; i++)
    {
      if (a->patient[i].phone != b->patient[i].phone
          || a->patient[i].archived != b->patient[i].archived
          || a->patient[i].n_measures != b->patient[i].n_measures)
        return FALSE;
      for (int j = 0; j < a->patient[i].n_measures && j < MAX_MEASURES; j++)
        if (a->patient[i].totals[j] != b->patient[i].totals[j])
          return FALSE;
    }
  return TRUE;
}

/* Which of the steps the vault holds: done (those that returned) and, when
 * begun, the one under way. */
static Outcome
check_image (Sweep      *sweep,
             const char *dir,
             guint       done,
             gboolean    under_way,
             GString    *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *report = NULL;
  State before = state_after (done);
  State after = state_after (done + (under_way ? 1 : 0));
  State found;
  int passphrase;

  vault = unlock_either (dir, before.passphrase, &passphrase, &error);
  if (vault == NULL)
    {
      g_string_append (why, error->message);
      return OUTCOME_REFUSED;
    }
  if (!read_state (vault, &found, why, &error))
    {
      g_string_append_printf (why, "opened, then: %s", error->message);
      return OUTCOME_WRONG;
    }
  found.passphrase = passphrase;
  cairn_vault_lock (vault);
  if (why->len > 0)
    return OUTCOME_WRONG;
  if (!states_equal (&found, &before) && !states_equal (&found, &after))
    {
      for (guint k = 0; k < done; k++)
        {
          State older = state_after (k);

          if (states_equal (&found, &older))
            {
              g_string_append_printf (why, "holds %u steps of the %u that returned", k, done);
              return OUTCOME_LOST;
            }
        }
      g_string_append_printf (why, "holds what no step left (%d patients, locum %d, passphrase %d)",
                              found.n_patients, found.locum, found.passphrase);
      return OUTCOME_WRONG;
    }
  if (!cairn_vault_check (dir, CLINICIAN, passphrases[passphrase], &report, &error))
    {
      g_string_append_printf (why, "opened, but the check says: %s", error->message);
      return OUTCOME_WRONG;
    }
  return OUTCOME_SOUND;
}

static void sweep_log (Sweep *sweep, GHashTable *base, GArray *ops, gboolean second, guint done0, gboolean under_way0);

static void
second_cut (Sweep      *sweep,
            GHashTable *image,
            const char *dir,
            guint       done,
            gboolean    under_way)
{
  g_autofree char *log = g_strdup_printf ("%s/recover-%u.log", sweep->parent, sweep->serial);
  g_autofree char *expected = g_strdup_printf ("%d", state_after (done).passphrase);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ops = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self_exe, "--recover", dir, expected, NULL };
  int status;

  env = g_environ_setenv (env, "LD_PRELOAD", sweep->recorder, TRUE);
  env = g_environ_setenv (env, "CAIRN_CRASH_DIR", dir, TRUE);
  env = g_environ_setenv (env, "CAIRN_CRASH_LOG", log, TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  ops = read_log (log);
  g_unlink (log);
  sweep->second_cuts++;
  sweep_log (sweep, image, ops, TRUE, done, under_way);
}

static void
try_image (Sweep      *sweep,
           GHashTable *files,
           guint       done,
           gboolean    under_way,
           gboolean    second,
           const char *where)
{
  g_autofree char *digest = files_digest (files);
  g_autofree char *dir = NULL;
  g_autoptr(GString) why = g_string_new (NULL);
  Outcome outcome;
  GBytes *journal = g_hash_table_lookup (files, "practice.db-journal");
  GBytes *clinical_journal = g_hash_table_lookup (files, "clinical.db-journal");
  gboolean hot = (journal != NULL && g_bytes_get_size (journal) > 0)
                 || (clinical_journal != NULL && g_bytes_get_size (clinical_journal) > 0);

  sweep->images++;
  if (!g_hash_table_add (sweep->seen, g_strdup_printf ("%u:%u:%s", done, under_way, digest)))
    return;
  dir = g_strdup_printf ("%s/image-%u", sweep->parent, sweep->serial++);
  write_folder (dir, files);
  outcome = check_image (sweep, dir, done, under_way, why);
  sweep->counts[outcome]++;
  if (outcome != OUTCOME_SOUND)
    g_string_append_printf (sweep->problems, "%s%s, %u steps returned%s: %s: %s\n",
                            second ? "second cut, " : "", where, done,
                            under_way ? " and one under way" : "", outcome_names[outcome], why->str);
  if (outcome != OUTCOME_SOUND && g_getenv ("CAIRN_CRASH_KEEP") != NULL)
    {
      /* The image as it was cut, for whoever looks into a failure. */
      g_autofree char *kept = g_strdup_printf ("%s/image-%u", g_getenv ("CAIRN_CRASH_KEEP"), sweep->serial);

      write_folder (kept, files);
      g_string_append_printf (sweep->problems, "  kept as %s\n", kept);
    }
  cairn_test_remove_tree (dir);

  /* A second cut while a rollback runs. */
  if (!second && hot && sweep->second_cuts < sweep->second_budget)
    {
      g_autofree char *again = g_strdup_printf ("%s/image-%u", sweep->parent, sweep->serial++);

      write_folder (again, files);
      second_cut (sweep, files, again, done, under_way);
      cairn_test_remove_tree (again);
    }
}

/* Cuts the power at every point of ops, as played over the folder base. */
static void
sweep_log (Sweep      *sweep,
           GHashTable *base,
           GArray     *ops,
           gboolean    second,
           guint       done0,
           gboolean    under_way0)
{
  g_autoptr(Disk) disk = disk_new (base);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed + ops->len + (second ? 1 : 0));
  guint done = done0;
  gboolean under_way = under_way0;
  gboolean long_sweep = rounds > 1;

  for (guint i = 0; i <= ops->len; i++)
    {
      const Op *op = i < ops->len ? &g_array_index (ops, Op, i) : NULL;

      if (op == NULL || op->op != CAIRN_CRASH_OP_MARK)
        for (Cut cut = 0; cut < N_CUTS; cut++)
          {
            guint tries = cut == CUT_TORN || cut == CUT_PART || cut == CUT_LATE ? (long_sweep ? 4 : 1) : 1;

            /* The short sweep cuts a second time only the simple ways. */
            if (second && !long_sweep && (cut == CUT_PART || cut == CUT_KEPT))
              continue;
            for (guint t = 0; t < tries; t++)
              {
                g_autoptr(GHashTable) files = disk_cut (disk, cut, rand);
                g_autofree char *where = g_strdup_printf ("before operation %u of %u, %s", i, ops->len,
                                                          cut_names[cut]);

                try_image (sweep, files, done, under_way, second, where);
              }
          }
      if (op == NULL)
        break;
      if (op->op == CAIRN_CRASH_OP_MARK && !second)
        {
          guint k;

          if (sscanf (op->name, "begin %u", &k) == 1)
            {
              g_assert_cmpuint (k, ==, done);
              under_way = TRUE;
            }
          else if (sscanf (op->name, "end %u", &k) == 1)
            {
              g_assert_cmpuint (k, ==, done);
              done++;
              under_way = FALSE;
            }
        }
      disk_apply (disk, op);
    }
}

/* For whoever reads a failure: the operations, one a line, on stderr. */
static void
dump_ops (GArray *ops)
{
  static const char *const op_names[] = { "", "open", "close", "write", "truncate", "sync",
                                          "rename", "unlink", "mark", "unsupported" };

  for (guint i = 0; i < ops->len; i++)
    {
      const Op *op = &g_array_index (ops, Op, i);

      g_printerr ("%4u %-8s fd %2d a %8" G_GINT64_FORMAT " %s%s%s len %" G_GSIZE_FORMAT "\n", i,
                  op_names[op->op], op->fd, op->a, op->name != NULL ? op->name : "",
                  op->name2 != NULL ? " → " : "", op->name2 != NULL ? op->name2 : "",
                  op->data != NULL ? g_bytes_get_size (op->data) : 0);
    }
}

/* The vault says each rollback it makes; here there are thousands. */
static guint rollbacks;

static void
count_rollbacks (const char     *domain,
                 GLogLevelFlags  level,
                 const char     *message,
                 gpointer        user_data)
{
  if (strstr (message, "was rolled back") != NULL)
    rollbacks++;
  else
    g_log_default_handler (domain, level, message, user_data);
}

static void
test_power_loss (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *log = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GHashTable) base = NULL;
  g_autoptr(GArray) ops = NULL;
  g_auto(GStrv) env = g_get_environ ();
  Sweep sweep = { 0 };
  const char *argv[4] = { self_exe, "--workload", NULL, NULL };
  guint syncs = 0;
  int status;

  sweep.recorder = g_strdup (g_getenv ("CAIRN_CRASH_RECORDER"));
  if (sweep.recorder == NULL || !g_file_test (sweep.recorder, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("CAIRN_CRASH_RECORDER does not name the crash recorder library (run through meson test)");
      return;
    }
  sweep.parent = g_dir_make_tmp ("cairn-power-XXXXXX", &error);
  g_assert_no_error (error);
  sweep.vault_dir = g_build_filename (sweep.parent, "vault", NULL);
  sweep.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sweep.problems = g_string_new (NULL);
  sweep.second_budget = rounds > 1 ? 60 * rounds : 6;

  {
    g_autoptr(CairnVault) vault = cairn_vault_create (sweep.vault_dir, "Quell Practice", "Europe/Berlin",
                                                      CLINICIAN, passphrases[0], &test_params,
                                                      &recovery, &error);

    g_assert_no_error (error);
    cairn_vault_lock (vault);
  }
  base = read_folder (sweep.vault_dir);

  /* The workload, recorded. */
  log = g_build_filename (sweep.parent, "workload.log", NULL);
  argv[2] = sweep.vault_dir;
  env = g_environ_setenv (env, "LD_PRELOAD", sweep.recorder, TRUE);
  env = g_environ_setenv (env, "CAIRN_CRASH_DIR", sweep.vault_dir, TRUE);
  env = g_environ_setenv (env, "CAIRN_CRASH_LOG", log, TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  ops = read_log (log);
  for (guint i = 0; i < ops->len; i++)
    syncs += g_array_index (ops, Op, i).op == CAIRN_CRASH_OP_SYNC;
  /* The workload wrote, synced and marked every step. */
  g_assert_cmpuint (syncs, >=, n_steps ());

  if (g_getenv ("CAIRN_CRASH_DUMP") != NULL)
    dump_ops (ops);
  g_log_set_handler ("cairn-vault", G_LOG_LEVEL_MESSAGE, count_rollbacks, NULL);
  sweep_log (&sweep, base, ops, FALSE, 0, FALSE);

  g_test_message ("seed %u: %u steps, %u file operations (%u fsyncs); %u images cut, %u distinct, "
                  "%u recoveries cut again, %u rollbacks: %u sound, %u refused, %u wrong, %u lost",
                  seed, n_steps (), ops->len, syncs, sweep.images, g_hash_table_size (sweep.seen),
                  sweep.second_cuts, rollbacks, sweep.counts[OUTCOME_SOUND], sweep.counts[OUTCOME_REFUSED],
                  sweep.counts[OUTCOME_WRONG], sweep.counts[OUTCOME_LOST]);
  if (sweep.problems->len > 0)
    g_test_message ("%s", sweep.problems->str);
  g_assert_cmpuint (sweep.counts[OUTCOME_LOST], ==, 0);
  g_assert_cmpuint (sweep.counts[OUTCOME_WRONG], ==, 0);
  g_assert_cmpuint (sweep.counts[OUTCOME_REFUSED], ==, 0);
  g_assert_cmpuint (sweep.counts[OUTCOME_SOUND], >, 0);
  /* Some images needed their journal. */
  g_assert_cmpuint (rollbacks, >, 0);

  cairn_test_remove_tree (sweep.parent);
  g_hash_table_unref (sweep.seen);
  g_string_free (sweep.problems, TRUE);
  g_free (sweep.parent);
  g_free (sweep.vault_dir);
  g_free (sweep.recorder);
}

int
main (int   argc,
      char *argv[])
{
  if (g_strcmp0 (g_getenv ("CAIRN_CRASH_SWEEP"), "long") == 0)
    {
      const char *n = g_getenv ("CAIRN_CRASH_ROUNDS");

      rounds = n != NULL ? (guint) CLAMP (g_ascii_strtoull (n, NULL, 10), 2, MAX_PATIENTS / ROUND_PATIENTS) : 3;
      if (g_getenv ("CAIRN_CRASH_SEED") != NULL)
        seed = (guint32) g_ascii_strtoull (g_getenv ("CAIRN_CRASH_SEED"), NULL, 10);
    }
  if (sodium_init () < 0)
    return 1;
  if (argc == 3 && g_strcmp0 (argv[1], "--workload") == 0)
    return workload (argv[2]);
  if (argc == 4 && g_strcmp0 (argv[1], "--recover") == 0)
    return recover (argv[2], atoi (argv[3]));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/power-loss/sweep", test_power_loss);
  return g_test_run ();
}
