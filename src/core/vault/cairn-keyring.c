/* cairn-keyring.c
 *
 * The vault's key slots. Each user's slot holds the database keys their
 * role may have, sealed (XChaCha20-Poly1305) under a key derived from their
 * passphrase with Argon2id; a clinician's slot holds both keys, a front-desk
 * slot only the practice key. A recovery slot holds both under a random
 * 256-bit key shown once.
 *
 * The file is small and binary, parsed strictly:
 *
 *   "CAIRNKR\0"  version:u16  slots:u16  practice-id[16]  clinical-id[16]
 *   slot*:  kind:u8 role:u8 user-id[16] name-length:u8 name
 *           kdf:u8 opslimit:u32 memlimit-kib:u32 salt[16]
 *           nonce[24] key-count:u8 sealed[32 * key-count + 16]
 *   checksum[32]  (BLAKE2b of everything before it)
 *
 * Everything in a slot before its nonce, and the header but for the slot
 * count, is the associated data of its seal: a slot whose role, name or
 * cost was edited does not open. The checksum tells damage from a wrong
 * passphrase.
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
#include <string.h>
#include <unistd.h>

#include "cairn-keyring.h"

#define MAGIC            "CAIRNKR"  /* and its NUL: 8 bytes */
#define FORMAT_VERSION   1
#define MAX_SLOTS        64
#define MAX_NAME         200
/* Cairn writes CAIRN_KDF_DEFAULT_*; it accepts at most twice that, so that
 * a slot whose cost was raised by someone else costs a try no more than
 * about two seconds and 512 MiB before it is refused. */
#define MIN_OPSLIMIT     1
#define MAX_OPSLIMIT     (2 * CAIRN_KDF_DEFAULT_OPSLIMIT)
#define MIN_MEMLIMIT_KIB 8
#define MAX_MEMLIMIT_KIB (2 * CAIRN_KDF_DEFAULT_MEMLIMIT / 1024)
#define SALT_BYTES       crypto_pwhash_SALTBYTES
#define NONCE_BYTES      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES        crypto_aead_xchacha20poly1305_ietf_ABYTES
#define CHECKSUM_BYTES   32
#define HEADER_BYTES     (8 + 2 + 2 + 2 * CAIRN_VFS_FILE_ID_BYTES)

G_STATIC_ASSERT (SALT_BYTES == 16);
G_STATIC_ASSERT (sizeof MAGIC == 8);

typedef enum
{
  SLOT_USER = 1,
  SLOT_RECOVERY = 2,
} SlotKind;

typedef enum
{
  KDF_ARGON2ID13 = 1,
  KDF_RECOVERY = 2,
} Kdf;

typedef struct
{
  SlotKind  kind;
  CairnRole role;
  guint8    user_id[CAIRN_USER_ID_BYTES];
  char     *name;
  Kdf       kdf;
  guint32   opslimit;
  guint32   memlimit_kib;
  guint8    salt[SALT_BYTES];
  guint8    nonce[NONCE_BYTES];
  guint8    key_count;
  guint8   *sealed; /* key_count * 32 + TAG_BYTES */
} Slot;

struct _CairnKeyring
{
  guint8     practice_id[CAIRN_VFS_FILE_ID_BYTES];
  guint8     clinical_id[CAIRN_VFS_FILE_ID_BYTES];
  GPtrArray *slots;
};

G_DEFINE_QUARK (cairn-keyring-error-quark, cairn_keyring_error)

static void
slot_free (Slot *slot)
{
  g_free (slot->name);
  g_free (slot->sealed);
  g_free (slot);
}

static gsize
sealed_length (const Slot *slot)
{
  return (gsize) slot->key_count * CAIRN_VFS_KEY_BYTES + TAG_BYTES;
}

/* ------------------------------------------------------------------------ */
/* Keys in guarded memory                                                    */

CairnVaultKeys *
cairn_vault_keys_new (void)
{
  CairnVaultKeys *keys = sodium_malloc (sizeof *keys);

  if (keys == NULL)
    g_error ("No protected memory is left for the vault's keys");
  sodium_memzero (keys, sizeof *keys);
  return keys;
}

void
cairn_vault_keys_free (CairnVaultKeys *keys)
{
  if (keys != NULL)
    sodium_free (keys);
}

void
cairn_keyring_user_free (CairnKeyringUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user);
}

static CairnKeyringUser *
user_from_slot (const Slot *slot)
{
  CairnKeyringUser *user = g_new0 (CairnKeyringUser, 1);

  memcpy (user->id, slot->user_id, CAIRN_USER_ID_BYTES);
  user->name = g_strdup (slot->name);
  user->role = slot->role;
  return user;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

static void
put_u16 (GByteArray *out,
         guint16     value)
{
  guint8 be[2] = { value >> 8, value & 0xff };

  g_byte_array_append (out, be, 2);
}

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint8 be[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, be, 4);
}

static void
put_u8 (GByteArray *out,
        guint8      value)
{
  g_byte_array_append (out, &value, 1);
}

/* The header as the seals see it: no slot count. */
static void
append_header_ad (CairnKeyring *self,
                  GByteArray   *out)
{
  g_byte_array_append (out, (const guint8 *) MAGIC, 8);
  put_u16 (out, FORMAT_VERSION);
  g_byte_array_append (out, self->practice_id, CAIRN_VFS_FILE_ID_BYTES);
  g_byte_array_append (out, self->clinical_id, CAIRN_VFS_FILE_ID_BYTES);
}

static void
append_slot_fields (const Slot *slot,
                    GByteArray *out)
{
  put_u8 (out, slot->kind);
  put_u8 (out, slot->role);
  g_byte_array_append (out, slot->user_id, CAIRN_USER_ID_BYTES);
  put_u8 (out, (guint8) strlen (slot->name));
  g_byte_array_append (out, (const guint8 *) slot->name, strlen (slot->name));
  put_u8 (out, slot->kdf);
  put_u32 (out, slot->opslimit);
  put_u32 (out, slot->memlimit_kib);
  g_byte_array_append (out, slot->salt, SALT_BYTES);
}

static GByteArray *
slot_ad (CairnKeyring *self,
         const Slot   *slot)
{
  GByteArray *ad = g_byte_array_new ();

  append_header_ad (self, ad);
  append_slot_fields (slot, ad);
  return ad;
}

/**
 * cairn_keyring_serialize:
 * @self: a keyring
 *
 * Returns: (transfer full): the keyring file's bytes
 */
GBytes *
cairn_keyring_serialize (CairnKeyring *self)
{
  GByteArray *out = g_byte_array_new ();
  guint8 checksum[CHECKSUM_BYTES];

  g_return_val_if_fail (self != NULL, NULL);

  g_byte_array_append (out, (const guint8 *) MAGIC, 8);
  put_u16 (out, FORMAT_VERSION);
  put_u16 (out, (guint16) self->slots->len);
  g_byte_array_append (out, self->practice_id, CAIRN_VFS_FILE_ID_BYTES);
  g_byte_array_append (out, self->clinical_id, CAIRN_VFS_FILE_ID_BYTES);

  for (guint i = 0; i < self->slots->len; i++)
    {
      const Slot *slot = g_ptr_array_index (self->slots, i);

      append_slot_fields (slot, out);
      g_byte_array_append (out, slot->nonce, NONCE_BYTES);
      put_u8 (out, slot->key_count);
      g_byte_array_append (out, slot->sealed, sealed_length (slot));
    }

  crypto_generichash (checksum, sizeof checksum, out->data, out->len, NULL, 0);
  g_byte_array_append (out, checksum, sizeof checksum);

  return g_byte_array_free_to_bytes (out);
}

/**
 * cairn_keyring_dup_hash:
 * @self: a keyring
 *
 * What the vault's database records of the keyring it goes with: the
 * BLAKE2b-256 of the file's bytes, in hexadecimal.
 *
 * Returns: (transfer full): the hash
 */
char *
cairn_keyring_dup_hash (CairnKeyring *self)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 hash[32];
  char hex[2 * sizeof hash + 1];

  g_return_val_if_fail (self != NULL, NULL);

  bytes = cairn_keyring_serialize (self);
  crypto_generichash (hash, sizeof hash, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL, 0);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, hash, sizeof hash));
}

/**
 * cairn_keyring_save:
 * @self: a keyring
 * @path: where to write it
 * @error: return location for a #GError
 *
 * Replaces @path atomically: a temporary file beside it, synced, renamed
 * over it, and the folder synced. A failure leaves the old file whole.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_keyring_save (CairnKeyring  *self,
                    const char    *path,
                    GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  int fd;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  bytes = cairn_keyring_serialize (self);

  /* Never replace a keyring with one that would not open: what is about to
   * be written is read back first, as the next unlock will read it. */
  {
    g_autoptr(CairnKeyring) check = cairn_keyring_parse (g_bytes_get_data (bytes, NULL),
                                                         g_bytes_get_size (bytes), &local_error);

    if (check == NULL)
      {
        g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID,
                     "The keyring was not saved: what would have been written does not read back "
                     "(%s). Nothing was changed.", local_error->message);
        return FALSE;
      }
  }

  if (!g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_IO,
                   "The keyring could not be saved (%s). Nothing was changed.", local_error->message);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         at;
} Reader;

static gboolean
take (Reader        *reader,
      gsize          n,
      const guint8 **out)
{
  if (reader->length - reader->at < n)
    return FALSE;
  *out = reader->data + reader->at;
  reader->at += n;
  return TRUE;
}

static gboolean
take_u8 (Reader *reader,
         guint8 *out)
{
  const guint8 *p;

  if (!take (reader, 1, &p))
    return FALSE;
  *out = p[0];
  return TRUE;
}

static gboolean
take_u16 (Reader  *reader,
          guint16 *out)
{
  const guint8 *p;

  if (!take (reader, 2, &p))
    return FALSE;
  *out = (guint16) ((p[0] << 8) | p[1]);
  return TRUE;
}

static gboolean
take_u32 (Reader  *reader,
          guint32 *out)
{
  const guint8 *p;

  if (!take (reader, 4, &p))
    return FALSE;
  *out = ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
  return TRUE;
}

static gboolean
take_copy (Reader *reader,
           gsize   n,
           guint8 *out)
{
  const guint8 *p;

  if (!take (reader, n, &p))
    return FALSE;
  memcpy (out, p, n);
  return TRUE;
}

static gboolean
damaged (GError     **error,
         const char  *what)
{
  g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_DAMAGED,
               "The keyring is damaged (%s). Restore the vault folder from a backup, "
               "or unlock with the recovery key if only the keyring was lost.", what);
  return FALSE;
}

static Slot *
parse_slot (Reader  *reader,
            guint    index,
            GError **error)
{
  g_autoptr(GError) ignored = NULL;
  Slot *slot = g_new0 (Slot, 1);
  guint8 kind, role, name_length, kdf;
  const guint8 *name;

  if (!take_u8 (reader, &kind) || !take_u8 (reader, &role) ||
      !take_copy (reader, CAIRN_USER_ID_BYTES, slot->user_id) ||
      !take_u8 (reader, &name_length) || !take (reader, name_length, &name) ||
      !take_u8 (reader, &kdf) || !take_u32 (reader, &slot->opslimit) ||
      !take_u32 (reader, &slot->memlimit_kib) || !take_copy (reader, SALT_BYTES, slot->salt) ||
      !take_copy (reader, NONCE_BYTES, slot->nonce) || !take_u8 (reader, &slot->key_count))
    goto truncated;

  slot->kind = kind;
  slot->role = role;
  slot->kdf = kdf;

  if (name_length == 0 || name_length > MAX_NAME || !g_utf8_validate ((const char *) name, name_length, NULL) ||
      memchr (name, '\0', name_length) != NULL)
    {
      slot_free (slot);
      damaged (error, "a user name is not valid text");
      return NULL;
    }
  slot->name = g_strndup ((const char *) name, name_length);

  if (!((kind == SLOT_USER && kdf == KDF_ARGON2ID13) || (kind == SLOT_RECOVERY && kdf == KDF_RECOVERY)) ||
      !(role == CAIRN_ROLE_CLINICIAN || role == CAIRN_ROLE_FRONT_DESK) ||
      slot->key_count != (role == CAIRN_ROLE_CLINICIAN ? 2 : 1) ||
      (kind == SLOT_RECOVERY && role != CAIRN_ROLE_CLINICIAN))
    {
      g_autofree char *what = g_strdup_printf ("slot %u has an unknown kind or role", index + 1);

      slot_free (slot);
      damaged (error, what);
      return NULL;
    }

  /* A slot asking for absurd work or memory is refused before any is spent. */
  if (kdf == KDF_ARGON2ID13 &&
      (slot->opslimit < MIN_OPSLIMIT || slot->opslimit > MAX_OPSLIMIT ||
       slot->memlimit_kib < MIN_MEMLIMIT_KIB || slot->memlimit_kib > MAX_MEMLIMIT_KIB))
    {
      g_autofree char *what = g_strdup_printf ("slot %u asks for %u passes over %u KiB of memory, "
                                               "more than Cairn ever writes: this key slot was not "
                                               "made by Cairn",
                                               index + 1, slot->opslimit, slot->memlimit_kib);

      slot_free (slot);
      damaged (error, what);
      return NULL;
    }

  slot->sealed = g_malloc (sealed_length (slot));
  if (!take_copy (reader, sealed_length (slot), slot->sealed))
    goto truncated;

  return slot;

truncated:
  slot_free (slot);
  damaged (error, "it ends too early");
  return NULL;
}

/**
 * cairn_keyring_parse:
 * @data: (array length=length): a keyring file's bytes
 * @length: their length
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the keyring, or %NULL with an error
 *   that says what is wrong with it
 */
CairnKeyring *
cairn_keyring_parse (const guint8  *data,
                     gsize          length,
                     GError       **error)
{
  g_autoptr(CairnKeyring) self = NULL;
  Reader reader = { data, length, 0 };
  guint8 checksum[CHECKSUM_BYTES];
  const guint8 *magic;
  guint16 version, n_slots;
  guint n_recovery = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!take (&reader, 8, &magic) || memcmp (magic, MAGIC, 8) != 0)
    {
      damaged (error, "it is not a Cairn keyring");
      return NULL;
    }
  if (!take_u16 (&reader, &version))
    {
      damaged (error, "it ends too early");
      return NULL;
    }
  if (version > FORMAT_VERSION)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NEWER,
                   "This vault was made by a newer version of Cairn (keyring format %u). "
                   "Update Cairn to open it.", version);
      return NULL;
    }
  if (version != FORMAT_VERSION)
    {
      damaged (error, "its format version is unknown");
      return NULL;
    }

  if (length < HEADER_BYTES + CHECKSUM_BYTES)
    {
      damaged (error, "it ends too early");
      return NULL;
    }
  crypto_generichash (checksum, sizeof checksum, data, length - CHECKSUM_BYTES, NULL, 0);
  if (sodium_memcmp (checksum, data + length - CHECKSUM_BYTES, CHECKSUM_BYTES) != 0)
    {
      damaged (error, "its checksum does not match: it was cut short or altered");
      return NULL;
    }
  reader.length = length - CHECKSUM_BYTES;

  self = g_new0 (CairnKeyring, 1);
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);

  if (!take_u16 (&reader, &n_slots) ||
      !take_copy (&reader, CAIRN_VFS_FILE_ID_BYTES, self->practice_id) ||
      !take_copy (&reader, CAIRN_VFS_FILE_ID_BYTES, self->clinical_id))
    {
      damaged (error, "it ends too early");
      return NULL;
    }
  if (n_slots > MAX_SLOTS)
    {
      damaged (error, "it claims too many key slots");
      return NULL;
    }

  for (guint i = 0; i < n_slots; i++)
    {
      Slot *slot = parse_slot (&reader, i, error);

      if (slot == NULL)
        return NULL;

      for (guint j = 0; j < self->slots->len; j++)
        {
          const Slot *other = g_ptr_array_index (self->slots, j);

          /* A slot's kind, not its name, tells the recovery slot: a user
           * may be called "recovery". */
          if (memcmp (other->user_id, slot->user_id, CAIRN_USER_ID_BYTES) == 0 ||
              (other->kind == SLOT_USER && slot->kind == SLOT_USER &&
               g_utf8_collate (other->name, slot->name) == 0))
            {
              slot_free (slot);
              damaged (error, "two key slots belong to the same user");
              return NULL;
            }
        }
      if (slot->kind == SLOT_RECOVERY)
        n_recovery++;
      g_ptr_array_add (self->slots, slot);
    }

  if (reader.at != reader.length)
    {
      damaged (error, "it has bytes after its last slot");
      return NULL;
    }
  if (n_recovery > 1)
    {
      damaged (error, "it has more than one recovery slot");
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * cairn_keyring_load:
 * @path: a keyring file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the keyring
 */
CairnKeyring *
cairn_keyring_load (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        damaged (error, "the file is missing");
      else
        g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_IO,
                     "The keyring could not be read: %s", local_error->message);
      return NULL;
    }

  return cairn_keyring_parse ((const guint8 *) contents, length, error);
}

void
cairn_keyring_free (CairnKeyring *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->slots);
  g_free (self);
}

/* ------------------------------------------------------------------------ */
/* Sealing and opening slots                                                 */

/* Copies @passphrase into guarded memory, in Unicode NFC so that the same
 * words typed through different input methods give the same bytes. */
static char *
normalize_passphrase (const char *passphrase,
                      gsize      *length)
{
  char *normalized = g_utf8_normalize (passphrase, -1, G_NORMALIZE_NFC);
  char *guarded;

  if (normalized == NULL)
    return NULL;
  *length = strlen (normalized);
  guarded = sodium_malloc (*length + 1);
  if (guarded == NULL)
    g_error ("No protected memory is left for the passphrase");
  memcpy (guarded, normalized, *length + 1);
  sodium_memzero (normalized, *length);
  g_free (normalized);
  return guarded;
}

static gboolean
derive_wrapping_key (const Slot   *slot,
                     const void   *secret,
                     gsize         secret_length,
                     guint8       *wrapping_key,
                     GError      **error)
{
  if (slot->kdf == KDF_RECOVERY)
    {
      crypto_generichash_state state;

      crypto_generichash_init (&state, secret, secret_length, CAIRN_VFS_KEY_BYTES);
      crypto_generichash_update (&state, (const guint8 *) "cairn-recovery-slot", 19);
      crypto_generichash_update (&state, slot->salt, SALT_BYTES);
      crypto_generichash_final (&state, wrapping_key, CAIRN_VFS_KEY_BYTES);
      return TRUE;
    }

  if (crypto_pwhash (wrapping_key, CAIRN_VFS_KEY_BYTES, secret, secret_length, slot->salt,
                     slot->opslimit, (gsize) slot->memlimit_kib * 1024,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_IO,
                   "There is not enough memory to check the passphrase (%u MiB needed).",
                   slot->memlimit_kib / 1024);
      return FALSE;
    }

  return TRUE;
}

static gboolean
seal_slot (CairnKeyring         *self,
           Slot                 *slot,
           const CairnVaultKeys *keys,
           const guint8         *wrapping_key)
{
  g_autoptr(GByteArray) ad = slot_ad (self, slot);
  guint8 *plain = sodium_malloc (2 * CAIRN_VFS_KEY_BYTES);

  memcpy (plain, keys->practice, CAIRN_VFS_KEY_BYTES);
  if (slot->key_count == 2)
    {
      g_return_val_if_fail (keys->has_clinical, FALSE);
      memcpy (plain + CAIRN_VFS_KEY_BYTES, keys->clinical, CAIRN_VFS_KEY_BYTES);
    }

  randombytes_buf (slot->nonce, NONCE_BYTES);
  g_free (slot->sealed);
  slot->sealed = g_malloc (sealed_length (slot));
  crypto_aead_xchacha20poly1305_ietf_encrypt (slot->sealed, NULL, plain,
                                              (gsize) slot->key_count * CAIRN_VFS_KEY_BYTES,
                                              ad->data, ad->len, NULL, slot->nonce, wrapping_key);
  sodium_free (plain);
  return TRUE;
}

static CairnVaultKeys *
open_slot (CairnKeyring *self,
           const Slot   *slot,
           const guint8 *wrapping_key)
{
  g_autoptr(GByteArray) ad = slot_ad (self, slot);
  g_autoptr(CairnVaultKeys) keys = cairn_vault_keys_new ();
  guint8 *plain = sodium_malloc (2 * CAIRN_VFS_KEY_BYTES);
  unsigned long long plain_length = 0;

  if (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_length, NULL,
                                                  slot->sealed, sealed_length (slot),
                                                  ad->data, ad->len, slot->nonce, wrapping_key) != 0)
    {
      sodium_free (plain);
      return NULL;
    }

  memcpy (keys->practice, plain, CAIRN_VFS_KEY_BYTES);
  if (slot->key_count == 2)
    {
      memcpy (keys->clinical, plain + CAIRN_VFS_KEY_BYTES, CAIRN_VFS_KEY_BYTES);
      keys->has_clinical = TRUE;
    }
  sodium_free (plain);

  return g_steal_pointer (&keys);
}

static Slot *
find_user (CairnKeyring *self,
           const char   *name)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      if (slot->kind == SLOT_USER && g_utf8_collate (slot->name, name) == 0)
        return slot;
    }
  return NULL;
}

static gboolean
check_params (const CairnKdfParams  *params,
              GError               **error)
{
  if (params->opslimit < MIN_OPSLIMIT || params->opslimit > MAX_OPSLIMIT ||
      params->memlimit / 1024 < MIN_MEMLIMIT_KIB || params->memlimit / 1024 > MAX_MEMLIMIT_KIB)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID,
                   "The passphrase cost is outside what Cairn allows.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  g_autofree char *stripped = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID,
                   "The user name is not valid text.");
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (name));
  if (*stripped == '\0' || strcmp (stripped, name) != 0 || strlen (name) > MAX_NAME)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID,
                   "A user name needs 1 to %d characters, without spaces at either end.", MAX_NAME);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

/**
 * cairn_keyring_new:
 * @out_keys: (out) (transfer full): the new vault's database keys
 *
 * A keyring for a new vault: new random database keys and file ids, and no
 * slots yet.
 *
 * Returns: (transfer full): the keyring
 */
CairnKeyring *
cairn_keyring_new (CairnVaultKeys **out_keys)
{
  CairnKeyring *self = g_new0 (CairnKeyring, 1);
  CairnVaultKeys *keys = cairn_vault_keys_new ();

  g_return_val_if_fail (out_keys != NULL, NULL);

  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  randombytes_buf (self->practice_id, sizeof self->practice_id);
  randombytes_buf (self->clinical_id, sizeof self->clinical_id);
  randombytes_buf (keys->practice, sizeof keys->practice);
  randombytes_buf (keys->clinical, sizeof keys->clinical);
  keys->has_clinical = TRUE;

  *out_keys = keys;
  return self;
}

const guint8 *
cairn_keyring_get_practice_id (CairnKeyring *self)
{
  return self->practice_id;
}

const guint8 *
cairn_keyring_get_clinical_id (CairnKeyring *self)
{
  return self->clinical_id;
}

/**
 * cairn_keyring_list_users:
 * @self: a keyring
 *
 * Returns: (transfer container) (element-type CairnKeyringUser): the users
 */
GPtrArray *
cairn_keyring_list_users (CairnKeyring *self)
{
  GPtrArray *users = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_keyring_user_free);

  for (guint i = 0; i < self->slots->len; i++)
    {
      const Slot *slot = g_ptr_array_index (self->slots, i);

      if (slot->kind == SLOT_USER)
        g_ptr_array_add (users, user_from_slot (slot));
    }
  return users;
}

gboolean
cairn_keyring_has_recovery (CairnKeyring *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    if (((const Slot *) g_ptr_array_index (self->slots, i))->kind == SLOT_RECOVERY)
      return TRUE;
  return FALSE;
}

/**
 * cairn_keyring_add_user:
 * @self: a keyring
 * @keys: the vault's keys (a clinician's, to add a clinician)
 * @name: the new user's name
 * @role: their role
 * @passphrase: their passphrase
 * @params: the Argon2id cost
 * @out_user: (out) (optional) (transfer full): the new user
 * @error: return location for a #GError
 *
 * Adds a slot in memory; cairn_keyring_save() writes it.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_keyring_add_user (CairnKeyring          *self,
                        const CairnVaultKeys  *keys,
                        const char            *name,
                        CairnRole              role,
                        const char            *passphrase,
                        const CairnKdfParams  *params,
                        CairnKeyringUser     **out_user,
                        GError               **error)
{
  Slot *slot;
  char *secret;
  gsize secret_length = 0;
  guint8 *wrapping_key;

  g_return_val_if_fail (self != NULL && keys != NULL && params != NULL, FALSE);
  g_return_val_if_fail (role == CAIRN_ROLE_CLINICIAN || role == CAIRN_ROLE_FRONT_DESK, FALSE);

  if (!check_name (name, error) || !check_params (params, error))
    return FALSE;
  if (passphrase == NULL || *passphrase == '\0' || !g_utf8_validate (passphrase, -1, NULL))
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID,
                   "The passphrase is empty or not valid text.");
      return FALSE;
    }
  if (role == CAIRN_ROLE_CLINICIAN && !keys->has_clinical)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NOT_ALLOWED,
                   "Only a clinician can add a clinician.");
      return FALSE;
    }
  if (find_user (self, name) != NULL)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_USER_EXISTS,
                   "There is already a user called “%s”.", name);
      return FALSE;
    }
  if (self->slots->len >= MAX_SLOTS)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NOT_ALLOWED,
                   "A vault holds at most %d users.", MAX_SLOTS - 1);
      return FALSE;
    }

  slot = g_new0 (Slot, 1);
  slot->kind = SLOT_USER;
  slot->role = role;
  randombytes_buf (slot->user_id, CAIRN_USER_ID_BYTES);
  slot->name = g_strdup (name);
  slot->kdf = KDF_ARGON2ID13;
  slot->opslimit = (guint32) params->opslimit;
  slot->memlimit_kib = (guint32) (params->memlimit / 1024);
  randombytes_buf (slot->salt, SALT_BYTES);
  slot->key_count = role == CAIRN_ROLE_CLINICIAN ? 2 : 1;

  secret = normalize_passphrase (passphrase, &secret_length);
  wrapping_key = sodium_malloc (CAIRN_VFS_KEY_BYTES);
  if (!derive_wrapping_key (slot, secret, secret_length, wrapping_key, error))
    {
      sodium_free (secret);
      sodium_free (wrapping_key);
      slot_free (slot);
      return FALSE;
    }
  sodium_free (secret);
  seal_slot (self, slot, keys, wrapping_key);
  sodium_free (wrapping_key);

  g_ptr_array_add (self->slots, slot);
  if (out_user != NULL)
    *out_user = user_from_slot (slot);

  return TRUE;
}

/**
 * cairn_keyring_remove_user:
 * @self: a keyring
 * @name: a user's name
 * @error: return location for a #GError
 *
 * Removes the user's slot. The last clinician cannot be removed. The keys
 * the user held stay the same until the vault is re-keyed.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_keyring_remove_user (CairnKeyring  *self,
                           const char    *name,
                           GError       **error)
{
  Slot *slot = find_user (self, name);
  guint clinicians = 0;

  if (slot == NULL)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER,
                   "There is no user called “%s”.", name);
      return FALSE;
    }

  for (guint i = 0; i < self->slots->len; i++)
    {
      const Slot *other = g_ptr_array_index (self->slots, i);

      if (other->kind == SLOT_USER && other->role == CAIRN_ROLE_CLINICIAN)
        clinicians++;
    }
  if (slot->role == CAIRN_ROLE_CLINICIAN && clinicians <= 1)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NOT_ALLOWED,
                   "“%s” is the only clinician; add another clinician first.", name);
      return FALSE;
    }

  g_ptr_array_remove (self->slots, slot);
  return TRUE;
}

/**
 * cairn_keyring_unlock:
 * @self: a keyring
 * @name: the user's name
 * @passphrase: their passphrase
 * @out_user: (out) (optional) (transfer full): who unlocked
 * @error: return location for a #GError
 *
 * Runs Argon2id (about a second with the default cost): call it off the
 * main thread.
 *
 * Returns: (transfer full) (nullable): the keys the user's role holds
 */
CairnVaultKeys *
cairn_keyring_unlock (CairnKeyring      *self,
                      const char        *name,
                      const char        *passphrase,
                      CairnKeyringUser **out_user,
                      GError           **error)
{
  const Slot *slot;
  CairnVaultKeys *keys;
  char *secret;
  gsize secret_length = 0;
  guint8 *wrapping_key;

  g_return_val_if_fail (self != NULL && name != NULL && passphrase != NULL, NULL);

  slot = find_user (self, name);
  if (slot == NULL)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER,
                   "There is no user called “%s” in this vault.", name);
      return NULL;
    }

  secret = normalize_passphrase (passphrase, &secret_length);
  if (secret == NULL)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE,
                   "The passphrase is not right.");
      return NULL;
    }
  wrapping_key = sodium_malloc (CAIRN_VFS_KEY_BYTES);
  if (!derive_wrapping_key (slot, secret, secret_length, wrapping_key, error))
    {
      sodium_free (secret);
      sodium_free (wrapping_key);
      return NULL;
    }
  sodium_free (secret);

  keys = open_slot (self, slot, wrapping_key);
  sodium_free (wrapping_key);
  if (keys == NULL)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE,
                   "The passphrase is not right.");
      return NULL;
    }

  if (out_user != NULL)
    *out_user = user_from_slot (slot);
  return keys;
}

/* Seals @keys (as many as the slot's role holds) under a new salt and the
 * new passphrase; on failure the slot is left as it was. */
static gboolean
rewrap_slot (CairnKeyring          *self,
             Slot                  *slot,
             const CairnVaultKeys  *keys,
             const char            *new_passphrase,
             const CairnKdfParams  *params,
             GError               **error)
{
  char *secret;
  gsize secret_length = 0;
  guint8 *wrapping_key;
  Slot saved = *slot;

  slot->opslimit = (guint32) params->opslimit;
  slot->memlimit_kib = (guint32) (params->memlimit / 1024);
  randombytes_buf (slot->salt, SALT_BYTES);

  secret = normalize_passphrase (new_passphrase, &secret_length);
  wrapping_key = sodium_malloc (CAIRN_VFS_KEY_BYTES);
  if (!derive_wrapping_key (slot, secret, secret_length, wrapping_key, error))
    {
      slot->opslimit = saved.opslimit;
      slot->memlimit_kib = saved.memlimit_kib;
      memcpy (slot->salt, saved.salt, SALT_BYTES);
      sodium_free (secret);
      sodium_free (wrapping_key);
      return FALSE;
    }
  sodium_free (secret);
  seal_slot (self, slot, keys, wrapping_key);
  sodium_free (wrapping_key);

  return TRUE;
}

static gboolean
check_new_passphrase (const char  *new_passphrase,
                      GError     **error)
{
  if (new_passphrase == NULL || *new_passphrase == '\0' || !g_utf8_validate (new_passphrase, -1, NULL))
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_INVALID,
                   "The new passphrase is empty or not valid text.");
      return FALSE;
    }
  return TRUE;
}

/**
 * cairn_keyring_change_passphrase:
 * @self: a keyring
 * @name: the user's name
 * @old_passphrase: their current passphrase
 * @new_passphrase: the new one
 * @params: the Argon2id cost for the new one
 * @error: return location for a #GError
 *
 * Re-wraps the user's keys under the new passphrase; the databases are not
 * touched. In memory until cairn_keyring_save().
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_keyring_change_passphrase (CairnKeyring          *self,
                                 const char            *name,
                                 const char            *old_passphrase,
                                 const char            *new_passphrase,
                                 const CairnKdfParams  *params,
                                 GError               **error)
{
  g_autoptr(CairnVaultKeys) keys = NULL;

  g_return_val_if_fail (self != NULL && params != NULL, FALSE);

  if (!check_params (params, error) || !check_new_passphrase (new_passphrase, error))
    return FALSE;

  keys = cairn_keyring_unlock (self, name, old_passphrase, NULL, error);
  if (keys == NULL)
    return FALSE;

  return rewrap_slot (self, find_user (self, name), keys, new_passphrase, params, error);
}

/**
 * cairn_keyring_reset_passphrase:
 * @self: a keyring
 * @keys: the vault's keys, both of them (as the recovery key gives them)
 * @name: the user whose passphrase was forgotten
 * @new_passphrase: their new passphrase
 * @params: the Argon2id cost for it
 * @error: return location for a #GError
 *
 * Gives a user a new passphrase without the old one, after someone proved
 * they hold the vault's keys. The slot keeps its role: a front-desk slot
 * still wraps only the practice key. In memory until cairn_keyring_save().
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_keyring_reset_passphrase (CairnKeyring          *self,
                                const CairnVaultKeys  *keys,
                                const char            *name,
                                const char            *new_passphrase,
                                const CairnKdfParams  *params,
                                GError               **error)
{
  Slot *slot;

  g_return_val_if_fail (self != NULL && keys != NULL && params != NULL, FALSE);

  if (!check_params (params, error) || !check_new_passphrase (new_passphrase, error))
    return FALSE;

  slot = name != NULL ? find_user (self, name) : NULL;
  if (slot == NULL)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER,
                   "There is no user called “%s”.", name != NULL ? name : "");
      return FALSE;
    }
  if (slot->key_count == 2 && !keys->has_clinical)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NOT_ALLOWED,
                   "Only someone who holds the clinical key can reset a clinician’s passphrase.");
      return FALSE;
    }

  return rewrap_slot (self, slot, keys, new_passphrase, params, error);
}

/**
 * cairn_keyring_set_recovery:
 * @self: a keyring
 * @keys: the vault's keys (both)
 * @error: return location for a #GError
 *
 * Replaces the recovery slot with one under a new random key.
 *
 * Returns: (transfer full) (nullable): the new recovery key, formatted to
 *   be written down; show it once and wipe it
 */
char *
cairn_keyring_set_recovery (CairnKeyring          *self,
                            const CairnVaultKeys  *keys,
                            GError               **error)
{
  guint8 *recovery;
  guint8 *wrapping_key;
  Slot *slot;
  char *text;

  g_return_val_if_fail (self != NULL && keys != NULL, NULL);

  if (!keys->has_clinical)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NOT_ALLOWED,
                   "Only a clinician can make a recovery key.");
      return NULL;
    }

  for (guint i = 0; i < self->slots->len; i++)
    if (((Slot *) g_ptr_array_index (self->slots, i))->kind == SLOT_RECOVERY)
      {
        g_ptr_array_remove_index (self->slots, i);
        break;
      }

  slot = g_new0 (Slot, 1);
  slot->kind = SLOT_RECOVERY;
  slot->role = CAIRN_ROLE_CLINICIAN;
  randombytes_buf (slot->user_id, CAIRN_USER_ID_BYTES);
  slot->name = g_strdup ("recovery");
  slot->kdf = KDF_RECOVERY;
  randombytes_buf (slot->salt, SALT_BYTES);
  slot->key_count = 2;

  recovery = sodium_malloc (CAIRN_RECOVERY_KEY_BYTES);
  wrapping_key = sodium_malloc (CAIRN_VFS_KEY_BYTES);
  randombytes_buf (recovery, CAIRN_RECOVERY_KEY_BYTES);
  derive_wrapping_key (slot, recovery, CAIRN_RECOVERY_KEY_BYTES, wrapping_key, NULL);
  seal_slot (self, slot, keys, wrapping_key);
  g_ptr_array_add (self->slots, slot);

  text = cairn_recovery_key_format (recovery);
  sodium_free (wrapping_key);
  sodium_free (recovery);

  return text;
}

/**
 * cairn_keyring_unlock_recovery:
 * @self: a keyring
 * @recovery_key: the recovery key as written down
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): both database keys
 */
CairnVaultKeys *
cairn_keyring_unlock_recovery (CairnKeyring  *self,
                               const char    *recovery_key,
                               GError       **error)
{
  const Slot *slot = NULL;
  CairnVaultKeys *keys;
  guint8 *recovery;
  guint8 *wrapping_key;

  g_return_val_if_fail (self != NULL && recovery_key != NULL, NULL);

  for (guint i = 0; i < self->slots->len; i++)
    if (((Slot *) g_ptr_array_index (self->slots, i))->kind == SLOT_RECOVERY)
      slot = g_ptr_array_index (self->slots, i);
  if (slot == NULL)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_RECOVERY_KEY,
                   "This vault has no recovery key.");
      return NULL;
    }

  recovery = sodium_malloc (CAIRN_RECOVERY_KEY_BYTES);
  if (!cairn_recovery_key_parse (recovery_key, recovery, error))
    {
      sodium_free (recovery);
      return NULL;
    }

  wrapping_key = sodium_malloc (CAIRN_VFS_KEY_BYTES);
  derive_wrapping_key (slot, recovery, CAIRN_RECOVERY_KEY_BYTES, wrapping_key, NULL);
  sodium_free (recovery);
  keys = open_slot (self, slot, wrapping_key);
  sodium_free (wrapping_key);

  if (keys == NULL)
    g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_RECOVERY_KEY,
                 "This recovery key belongs to another vault, or was replaced by a newer one.");
  return keys;
}

/* ------------------------------------------------------------------------ */
/* Recovery key text: base32 (RFC 4648), 2 checksum bytes, groups of five    */

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

#define RECOVERY_CHECK_BYTES 2
#define RECOVERY_RAW_BYTES   (CAIRN_RECOVERY_KEY_BYTES + RECOVERY_CHECK_BYTES)
#define RECOVERY_CHARS       ((RECOVERY_RAW_BYTES * 8 + 4) / 5)

static void
recovery_check (const guint8 *key,
                guint8       *check)
{
  crypto_generichash (check, RECOVERY_CHECK_BYTES, key, CAIRN_RECOVERY_KEY_BYTES,
                      (const guint8 *) "cairn-recovery-check", 20);
}

/**
 * cairn_recovery_key_format:
 * @key: (array fixed-size=32): a recovery key
 *
 * Returns: (transfer full): the key as eleven groups of five characters
 *   separated by dashes, the last characters a checksum
 */
char *
cairn_recovery_key_format (const guint8 *key)
{
  guint8 raw[RECOVERY_RAW_BYTES];
  GString *out = g_string_sized_new (RECOVERY_CHARS + RECOVERY_CHARS / 5);
  guint buffer = 0, bits = 0, written = 0;

  memcpy (raw, key, CAIRN_RECOVERY_KEY_BYTES);
  recovery_check (key, raw + CAIRN_RECOVERY_KEY_BYTES);

  for (gsize i = 0; i < sizeof raw; i++)
    {
      buffer = (buffer << 8) | raw[i];
      bits += 8;
      while (bits >= 5)
        {
          if (written > 0 && written % 5 == 0)
            g_string_append_c (out, '-');
          g_string_append_c (out, base32_alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
          written++;
        }
    }
  if (bits > 0)
    {
      if (written % 5 == 0)
        g_string_append_c (out, '-');
      g_string_append_c (out, base32_alphabet[(buffer << (5 - bits)) & 31]);
    }

  sodium_memzero (raw, sizeof raw);
  return g_string_free (out, FALSE);
}

/**
 * cairn_recovery_key_parse:
 * @text: a recovery key as typed
 * @key: (out caller-allocates) (array fixed-size=32): the key
 * @error: return location for a #GError
 *
 * Accepts lower case, spaces and dashes anywhere, and the digits 0, 1 and 8
 * for the letters they are mistaken for.
 *
 * Returns: %TRUE when @text is a well-formed key with a matching checksum
 */
gboolean
cairn_recovery_key_parse (const char  *text,
                          guint8      *key,
                          GError     **error)
{
  guint8 raw[RECOVERY_RAW_BYTES + 1] = { 0 };
  guint8 check[RECOVERY_CHECK_BYTES];
  guint buffer = 0, bits = 0, chars = 0;
  gsize at = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);
      const char *found;

      if (c == ' ' || c == '-' || c == '\t' || c == '\n')
        continue;
      if (c == '0')
        c = 'O';
      else if (c == '1')
        c = 'I';
      else if (c == '8')
        c = 'B';

      found = strchr (base32_alphabet, c);
      if (found == NULL || c == '\0')
        {
          g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO,
                       "A recovery key has only the letters A to Z and the digits 2 to 7; "
                       "“%c” is not one of them.", g_ascii_isprint (*p) ? *p : '?');
          return FALSE;
        }
      if (++chars > RECOVERY_CHARS)
        break;

      buffer = (buffer << 5) | (guint) (found - base32_alphabet);
      bits += 5;
      if (bits >= 8)
        {
          raw[at++] = (guint8) (buffer >> (bits - 8));
          bits -= 8;
        }
    }

  if (chars != RECOVERY_CHARS)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO,
                   "A recovery key has %d characters; this one has %u. Check for a missing "
                   "or extra group.", RECOVERY_CHARS, chars);
      sodium_memzero (raw, sizeof raw);
      return FALSE;
    }

  recovery_check (raw, check);
  if (sodium_memcmp (check, raw + CAIRN_RECOVERY_KEY_BYTES, RECOVERY_CHECK_BYTES) != 0)
    {
      g_set_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO,
                   "The recovery key has a typing mistake: check each group against the paper.");
      sodium_memzero (raw, sizeof raw);
      return FALSE;
    }

  memcpy (key, raw, CAIRN_RECOVERY_KEY_BYTES);
  sodium_memzero (raw, sizeof raw);
  return TRUE;
}
