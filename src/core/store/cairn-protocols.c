/* cairn-protocols.c
 *
 * The practice's protocol templates. Cairn ships some (read-only, from
 * resources); a practice duplicates one, or imports a file, to get its own,
 * which it may edit, and chooses which template it works with. Own
 * templates are stored as the JSON cairn-protocol.c checks, in practice.db,
 * and are archived rather than deleted: appointments and notes made under
 * one still name its types. Every change is one transaction with its audit
 * entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-protocols.h"
#include "cairn-rows.h"
#include "cairn-records.h"

#define ACTIVE_SETTING "protocol_template"
#define MAX_NAME_TRIES 100

G_DEFINE_QUARK (cairn-protocols-error-quark, cairn_protocols_error)

/**
 * cairn_protocol_info_free:
 * @info: (transfer full) (nullable): a list entry
 */
void
cairn_protocol_info_free (CairnProtocolInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->medicine);
  g_free (info);
}

/**
 * cairn_protocols_is_shipped:
 * @id: a template id
 *
 * Returns: whether Cairn ships a template with that id
 */
gboolean
cairn_protocols_is_shipped (const char *id)
{
  g_auto(GStrv) shipped = cairn_protocol_list_shipped ();

  g_return_val_if_fail (id != NULL, FALSE);

  return g_strv_contains ((const char * const *) shipped, id);
}

static gboolean
set_not_found (GError **error)
{
  /* The id is a UUID for the practice's own: not worth showing. */
  g_set_error_literal (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_NOT_FOUND,
                       _("This protocol template is not in the vault, or it has been archived."));
  return FALSE;
}

static gboolean
set_shipped (GError **error)
{
  g_set_error_literal (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_SHIPPED,
                       _("This protocol template comes with Cairn and cannot be changed. "
                         "Duplicate it to make one the practice can edit."));
  return FALSE;
}

/* Whether a template in use other than @except_id is called @name. The
 * shipped names count: two templates of the same name in one list could
 * not be told apart. */
static gboolean
name_taken (CairnDatabase  *db,
            const char     *name,
            const char     *except_id,
            gboolean       *taken,
            GError        **error)
{
  g_auto(GStrv) shipped = cairn_protocol_list_shipped ();
  g_autofree char *wanted = g_utf8_casefold (name, -1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *found = NULL;

  g_strstrip (wanted);
  *taken = FALSE;
  for (guint i = 0; shipped[i] != NULL; i++)
    {
      g_autoptr(CairnProtocol) protocol = cairn_protocol_load_shipped (shipped[i], NULL);
      g_autofree char *other = NULL;

      if (protocol == NULL || g_strcmp0 (shipped[i], except_id) == 0)
        continue;
      other = g_utf8_casefold (cairn_protocol_get_name (protocol), -1);
      if (g_str_equal (g_strstrip (other), wanted))
        {
          *taken = TRUE;
          return TRUE;
        }
    }

  found = cairn_database_query_text (db,
                                     "SELECT id FROM protocol_templates"
                                     " WHERE trim(name) = trim(?) COLLATE NOCASE"
                                     " AND archived_at IS NULL AND id IS NOT ?",
                                     (const char *[]) { name, except_id }, 2, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *taken = found != NULL;
  return TRUE;
}

/* @base if no template in use has that name, else "@base (2)", "(3)", … */
static char *
unique_name (CairnDatabase  *db,
             const char     *base,
             GError        **error)
{
  for (guint i = 1; i <= MAX_NAME_TRIES; i++)
    {
      /* Translators: a template's name and a number that tells it apart
       * from another of that name, such as “Our course (2)”. */
      g_autofree char *name = i == 1 ? g_strdup (base) : g_strdup_printf (_("%s (%u)"), base, i);
      gboolean taken;

      if (!name_taken (db, name, NULL, &taken, error))
        return NULL;
      if (!taken)
        return g_steal_pointer (&name);
    }

  g_set_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_INVALID,
               _("name: there are already too many templates called “%s”"), base);
  return NULL;
}

/* The row of an own template: its JSON and whether it is archived. */
static gboolean
read_own (CairnDatabase  *db,
          const char     *id,
          char          **json,
          gboolean       *archived,
          GError        **error)
{
  g_autoptr(CairnRows) rows = NULL;

  *json = NULL;
  rows = cairn_rows_prepare (db, "SELECT template, archived_at IS NOT NULL FROM protocol_templates WHERE id = ?",
                             error);
  if (rows == NULL)
    return FALSE;
  cairn_rows_bind_text (rows, 1, id);
  if (cairn_rows_next (rows))
    {
      *json = cairn_rows_dup (rows, 0);
      if (archived != NULL)
        *archived = cairn_rows_int (rows, 1) != 0;
    }
  return cairn_rows_finish (rows, error);
}

/**
 * cairn_protocols_load:
 * @practice: practice.db
 * @id: a shipped or an own template's id (an archived one too)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with
 *   %CAIRN_PROTOCOLS_ERROR_NOT_FOUND if there is none with that id
 */
CairnProtocol *
cairn_protocols_load (CairnDatabase  *practice,
                      const char     *id,
                      GError        **error)
{
  g_autofree char *json = NULL;
  CairnProtocol *protocol;

  g_return_val_if_fail (practice != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (cairn_protocols_is_shipped (id))
    return cairn_protocol_load_shipped (id, error);

  if (!read_own (practice, id, &json, NULL, error))
    return NULL;
  if (json == NULL)
    {
      set_not_found (error);
      return NULL;
    }

  protocol = cairn_protocol_new_from_data (json, -1, error);
  if (protocol == NULL)
    g_prefix_error (error, _("The practice’s protocol template “%s” cannot be read: "), id);
  return protocol;
}

/**
 * cairn_protocols_get_active_id:
 * @practice: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the id of the template the practice
 *   works with; %CAIRN_PROTOCOL_DEFAULT_ID if it has chosen none
 */
char *
cairn_protocols_get_active_id (CairnDatabase  *practice,
                               GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  char *id;

  g_return_val_if_fail (practice != NULL, NULL);

  id = cairn_database_query_text (practice, "SELECT value FROM settings WHERE key = '"
                                  ACTIVE_SETTING "'", NULL, 0, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return id != NULL ? id : g_strdup (CAIRN_PROTOCOL_DEFAULT_ID);
}

/**
 * cairn_protocols_get_active:
 * @practice: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the template the practice works
 *   with: its chosen one, or the default shipped template when it has
 *   chosen none
 */
CairnProtocol *
cairn_protocols_get_active (CairnDatabase  *practice,
                            GError        **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (practice != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = cairn_protocols_get_active_id (practice, error);
  if (id == NULL)
    return NULL;
  return cairn_protocols_load (practice, id, error);
}

static int
compare_infos (gconstpointer a,
               gconstpointer b)
{
  const CairnProtocolInfo *x = *(CairnProtocolInfo * const *) a;
  const CairnProtocolInfo *y = *(CairnProtocolInfo * const *) b;
  g_autofree char *kx = g_utf8_collate_key (x->name, -1);
  g_autofree char *ky = g_utf8_collate_key (y->name, -1);

  if (x->shipped != y->shipped)
    return x->shipped ? -1 : 1;
  return strcmp (kx, ky);
}

static CairnProtocolInfo *
info_new (const CairnProtocol *protocol,
          const char          *id,
          const char          *name,
          gboolean             shipped,
          const char          *active_id)
{
  CairnProtocolInfo *info = g_new0 (CairnProtocolInfo, 1);

  info->id = g_strdup (id);
  info->name = g_strdup (name);
  info->medicine = g_strdup (protocol != NULL ? cairn_protocol_get_medicine (protocol) : "");
  info->shipped = shipped;
  info->active = g_strcmp0 (id, active_id) == 0;
  return info;
}

/**
 * cairn_protocols_list:
 * @practice: practice.db
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnProtocolInfo) (nullable):
 *   the shipped templates, then the practice's own ones in use, each by
 *   name; one of them is marked active
 */
GPtrArray *
cairn_protocols_list (CairnDatabase  *practice,
                      GError        **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_auto(GStrv) shipped = cairn_protocol_list_shipped ();
  g_autofree char *active_id = NULL;
  g_autoptr(CairnRows) rows = NULL;

  g_return_val_if_fail (practice != NULL, NULL);

  active_id = cairn_protocols_get_active_id (practice, error);
  if (active_id == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_protocol_info_free);
  for (guint i = 0; shipped[i] != NULL; i++)
    {
      g_autoptr(CairnProtocol) protocol = cairn_protocol_load_shipped (shipped[i], error);

      if (protocol == NULL)
        return NULL;
      g_ptr_array_add (list, info_new (protocol, shipped[i], cairn_protocol_get_name (protocol),
                                       TRUE, active_id));
    }

  rows = cairn_rows_prepare (practice, "SELECT id, name, template FROM protocol_templates WHERE archived_at IS NULL",
                             error);
  if (rows == NULL)
    return NULL;
  while (cairn_rows_next (rows))
    {
      /* Checked when saved; listed even if a later Cairn could not read it. */
      g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (cairn_rows_text (rows, 2), -1, NULL);

      g_ptr_array_add (list, info_new (protocol, cairn_rows_text (rows, 0), cairn_rows_text (rows, 1),
                                       FALSE, active_id));
    }
  if (!cairn_rows_finish (rows, error))
    return NULL;

  g_ptr_array_sort (list, compare_infos);
  return g_steal_pointer (&list);
}

/* Saving {{{1 */

typedef struct
{
  CairnProtocol *protocol;
  const char    *user_id;
} SaveData;

static gboolean
save_cb (CairnDatabase  *db,
         gpointer        user_data,
         GError        **error)
{
  SaveData *data = user_data;
  const char *id = cairn_protocol_get_id (data->protocol);
  const char *name = cairn_protocol_get_name (data->protocol);
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *now = NULL;
  gboolean archived = FALSE;
  gboolean taken;

  if (!read_own (db, id, &json, &archived, error))
    return FALSE;
  if (json == NULL || archived)
    return set_not_found (error);

  if (!name_taken (db, name, id, &taken, error))
    return FALSE;
  if (taken)
    {
      g_set_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_INVALID,
                   _("name: there is already a protocol template called “%s”"), name);
      return FALSE;
    }

  text = cairn_protocol_to_data (data->protocol);
  now = cairn_record_timestamp_now ();
  return cairn_database_run (db,
                             "UPDATE protocol_templates SET name = ?, template = ?, updated_at = ?,"
                             " author = ? WHERE id = ?",
                             (const char *[]) { name, text, now, data->user_id, id }, 5, error) &&
         cairn_audit_append (db, data->user_id, "protocol.save", id, NULL, error);
}

/**
 * cairn_protocols_save_protocol:
 * @practice: practice.db
 * @protocol: an edited copy of one of the practice's own templates (same id)
 * @user_id: (nullable): who saves it
 * @error: return location for a #GError
 *
 * Replaces the practice's own template of @protocol's id. A shipped
 * template cannot be saved (%CAIRN_PROTOCOLS_ERROR_SHIPPED), nor one that
 * is archived or not in the vault (%CAIRN_PROTOCOLS_ERROR_NOT_FOUND), nor
 * one named like another template in use (%CAIRN_PROTOCOLS_ERROR_INVALID,
 * the message starting "name: ").
 *
 * Returns: %TRUE when saved
 */
gboolean
cairn_protocols_save_protocol (CairnDatabase       *practice,
                               const CairnProtocol *protocol,
                               const char          *user_id,
                               GError             **error)
{
  SaveData data = { (CairnProtocol *) protocol, user_id };

  g_return_val_if_fail (practice != NULL, FALSE);
  g_return_val_if_fail (protocol != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (cairn_protocols_is_shipped (cairn_protocol_get_id (protocol)))
    return set_shipped (error);
  return cairn_database_transaction (practice, save_cb, &data, error);
}

/**
 * cairn_protocols_save:
 * @practice: practice.db
 * @json: the edited template
 * @length: the length of @json in bytes, or -1 if it is nul-terminated
 * @user_id: (nullable): who saves it
 * @error: return location for a #GError
 *
 * Checks @json as cairn_protocol_new_from_data() does (a problem is named
 * by its field's JSON path) and saves it as cairn_protocols_save_protocol()
 * does.
 *
 * Returns: %TRUE when saved
 */
gboolean
cairn_protocols_save (CairnDatabase  *practice,
                      const char     *json,
                      gssize          length,
                      const char     *user_id,
                      GError        **error)
{
  g_autoptr(CairnProtocol) protocol = NULL;

  g_return_val_if_fail (practice != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  protocol = cairn_protocol_new_from_data (json, length, error);
  if (protocol == NULL)
    return FALSE;
  return cairn_protocols_save_protocol (practice, protocol, user_id, error);
}

/* Adding {{{1 */

typedef struct
{
  CairnProtocol *source;
  const char    *name;      /* NULL: @source's name */
  const char    *action;
  const char    *user_id;
  char          *id;        /* out */
} AddData;

static gboolean
add_cb (CairnDatabase  *db,
        gpointer        user_data,
        GError        **error)
{
  AddData *data = user_data;
  g_autoptr(CairnProtocol) copy = NULL;
  g_autofree char *id = cairn_record_new_id ();
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *now = cairn_record_timestamp_now ();

  name = unique_name (db, data->name != NULL ? data->name : cairn_protocol_get_name (data->source),
                      error);
  if (name == NULL)
    return FALSE;

  copy = cairn_protocol_duplicate (data->source, id, name, error);
  if (copy == NULL)
    return FALSE;
  text = cairn_protocol_to_data (copy);
  if (!cairn_database_run (db,
                           "INSERT INTO protocol_templates"
                           " (id, name, template, based_on, created_at, updated_at, author)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (const char *[]) { id, name, text, cairn_protocol_get_id (data->source),
                                              now, now, data->user_id }, 7, error) ||
      !cairn_audit_append (db, data->user_id, data->action, id,
                           cairn_protocol_get_id (data->source), error))
    return FALSE;

  data->id = g_steal_pointer (&id);
  return TRUE;
}

/**
 * cairn_protocols_duplicate:
 * @practice: practice.db
 * @id: a shipped or an own template's id
 * @user_id: (nullable): who duplicates it
 * @error: return location for a #GError
 *
 * Makes an own template from @id: the same content under a new id and the
 * name “Copy of …” (with a number if that is taken).
 *
 * Returns: (transfer full) (nullable): the new template's id
 */
char *
cairn_protocols_duplicate (CairnDatabase  *practice,
                           const char     *id,
                           const char     *user_id,
                           GError        **error)
{
  g_autoptr(CairnProtocol) source = NULL;
  g_autofree char *name = NULL;
  AddData data = { NULL, NULL, "protocol.duplicate", user_id, NULL };

  g_return_val_if_fail (practice != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = cairn_protocols_load (practice, id, error);
  if (source == NULL)
    return NULL;

  /* Translators: the name of a new protocol template made from another. */
  name = g_strdup_printf (_("Copy of %s"), cairn_protocol_get_name (source));
  data.source = source;
  data.name = name;
  if (!cairn_database_transaction (practice, add_cb, &data, error))
    {
      g_free (data.id);
      return NULL;
    }
  return data.id;
}

/**
 * cairn_protocols_import:
 * @practice: practice.db
 * @json: a template, as a file holds it
 * @length: the length of @json in bytes, or -1 if it is nul-terminated
 * @user_id: (nullable): who imports it
 * @error: return location for a #GError
 *
 * Checks @json as cairn_protocol_new_from_data() does (a problem is named
 * by its field's JSON path) and adds it as an own template, under a new id
 * and its own name (with a number if that is taken).
 *
 * Returns: (transfer full) (nullable): the new template's id
 */
char *
cairn_protocols_import (CairnDatabase  *practice,
                        const char     *json,
                        gssize          length,
                        const char     *user_id,
                        GError        **error)
{
  g_autoptr(CairnProtocol) source = NULL;
  AddData data = { NULL, NULL, "protocol.import", user_id, NULL };

  g_return_val_if_fail (practice != NULL, NULL);
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = cairn_protocol_new_from_data (json, length, error);
  if (source == NULL)
    return NULL;

  data.source = source;
  if (!cairn_database_transaction (practice, add_cb, &data, error))
    {
      g_free (data.id);
      return NULL;
    }
  return data.id;
}

/* Choosing and archiving {{{1 */

typedef struct
{
  const char *id;
  const char *user_id;
} IdData;

/* Whether @id is a template the practice may work with. */
static gboolean
check_in_use (CairnDatabase  *db,
              const char     *id,
              GError        **error)
{
  g_autofree char *json = NULL;
  gboolean archived = FALSE;

  if (cairn_protocols_is_shipped (id))
    return TRUE;
  if (!read_own (db, id, &json, &archived, error))
    return FALSE;
  if (json == NULL || archived)
    return set_not_found (error);
  return TRUE;
}

static gboolean
set_active_cb (CairnDatabase  *db,
               gpointer        user_data,
               GError        **error)
{
  IdData *data = user_data;
  g_autofree char *now = cairn_record_timestamp_now ();

  return check_in_use (db, data->id, error) &&
         cairn_database_run (db,
                             "INSERT INTO settings (key, value, updated_at, author)"
                             " VALUES ('" ACTIVE_SETTING "', ?, ?, ?)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                             " updated_at = excluded.updated_at, author = excluded.author",
                             (const char *[]) { data->id, now, data->user_id }, 3, error) &&
         cairn_audit_append (db, data->user_id, "protocol.activate", data->id, NULL, error);
}

/**
 * cairn_protocols_set_active:
 * @practice: practice.db
 * @id: a shipped or an own template in use
 * @user_id: (nullable): who chooses it
 * @error: return location for a #GError
 *
 * Makes @id the template the practice works with: courses planned from now
 * on follow it.
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_protocols_set_active (CairnDatabase  *practice,
                            const char     *id,
                            const char     *user_id,
                            GError        **error)
{
  IdData data = { id, user_id };
  g_autoptr(CairnProtocol) protocol = NULL;

  g_return_val_if_fail (practice != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Never choose a template that cannot be read. */
  protocol = cairn_protocols_load (practice, id, error);
  if (protocol == NULL)
    return FALSE;
  return cairn_database_transaction (practice, set_active_cb, &data, error);
}

static gboolean
archive_cb (CairnDatabase  *db,
            gpointer        user_data,
            GError        **error)
{
  IdData *data = user_data;
  g_autofree char *active = NULL;
  g_autofree char *now = cairn_record_timestamp_now ();

  if (!check_in_use (db, data->id, error))
    return FALSE;

  active = cairn_protocols_get_active_id (db, error);
  if (active == NULL)
    return FALSE;
  if (g_str_equal (active, data->id))
    {
      g_set_error_literal (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_ACTIVE,
                           _("The practice works with this protocol template. Choose another "
                             "one to use before archiving it."));
      return FALSE;
    }

  return cairn_database_run (db,
                             "UPDATE protocol_templates SET archived_at = ?, updated_at = ?,"
                             " author = ? WHERE id = ?",
                             (const char *[]) { now, now, data->user_id, data->id }, 4, error) &&
         cairn_audit_append (db, data->user_id, "protocol.archive", data->id, NULL, error);
}

/**
 * cairn_protocols_archive:
 * @practice: practice.db
 * @id: an own template in use, not the active one
 * @user_id: (nullable): who archives it
 * @error: return location for a #GError
 *
 * Takes an own template out of the list. It stays in the vault (see
 * cairn_protocols_load()). Refused for a shipped template
 * (%CAIRN_PROTOCOLS_ERROR_SHIPPED) and for the one in use
 * (%CAIRN_PROTOCOLS_ERROR_ACTIVE).
 *
 * Returns: %TRUE on success
 */
gboolean
cairn_protocols_archive (CairnDatabase  *practice,
                         const char     *id,
                         const char     *user_id,
                         GError        **error)
{
  IdData data = { id, user_id };

  g_return_val_if_fail (practice != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (cairn_protocols_is_shipped (id))
    return set_shipped (error);
  return cairn_database_transaction (practice, archive_cb, &data, error);
}
