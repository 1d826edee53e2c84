/* cairn-notes-screen.c
 *
 * The Notes tab's read: the patient's appointments sorted into the
 * sessions that take a note (up to the end of the practice's today), the
 * phone check-ins and the medicine sessions they follow; the notes and
 * check-ins written, each read audited; who the staff are; the template
 * and the practice's zone. Run on the vault's worker.
 *
 * Its writes are here too, as _async/_finish pairs on the vault's worker:
 * a note's draft saved (and signed, when asked), an addendum added, a
 * phone check-in recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screens"

#include "config.h"

#include "cairn-notes-screen.h"
#include "cairn-protocols.h"
#include "cairn-schedule.h"

/* How many of the patient's appointments are read: more than any course. */
#define MAX_APPOINTMENTS 2000

void
cairn_notes_screen_free (CairnNotesScreen *screen)
{
  if (screen == NULL)
    return;
  g_free (screen->patient_id);
  g_clear_pointer (&screen->protocol, cairn_protocol_unref);
  g_clear_pointer (&screen->zone, g_time_zone_unref);
  g_clear_pointer (&screen->user_names, g_hash_table_unref);
  g_clear_pointer (&screen->sessions, g_ptr_array_unref);
  g_clear_pointer (&screen->calls, g_ptr_array_unref);
  g_clear_pointer (&screen->medicine, g_ptr_array_unref);
  g_clear_pointer (&screen->items, g_ptr_array_unref);
  g_clear_pointer (&screen->notes, g_ptr_array_unref);
  g_clear_pointer (&screen->check_ins, g_ptr_array_unref);
  g_free (screen);
}

static gboolean
is_off (const CairnAppointment *a)
{
  return g_strcmp0 (a->status, "cancelled") == 0 || g_strcmp0 (a->status, "no-show") == 0;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const CairnAgendaItem *x = *(CairnAgendaItem * const *) a;
  const CairnAgendaItem *y = *(CairnAgendaItem * const *) b;

  return x->appointment->start < y->appointment->start ? 1 : x->appointment->start > y->appointment->start ? -1 : 0;
}

static void
sort_items (CairnNotesScreen *screen,
            gint64            now)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, screen->zone);
  g_autoptr(GDateTime) midnight = g_date_time_new (screen->zone, g_date_time_get_year (local),
                                                   g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (midnight, 1);
  gint64 end_of_today = g_date_time_to_unix (tomorrow);

  screen->sessions = g_ptr_array_new ();
  screen->calls = g_ptr_array_new ();
  screen->medicine = g_ptr_array_new ();
  for (guint i = 0; i < screen->items->len; i++)
    {
      CairnAgendaItem *item = g_ptr_array_index (screen->items, i);
      const CairnAppointmentType *type = cairn_protocol_find_type (screen->protocol, item->appointment->type_id);

      if (g_strcmp0 (item->appointment->status, "cancelled") == 0)
        continue;
      if (type != NULL && type->by_phone)
        g_ptr_array_add (screen->calls, item);
      else if (!is_off (item->appointment) && item->appointment->start < end_of_today)
        g_ptr_array_add (screen->sessions, item);
      if (type != NULL && type->phase == CAIRN_PHASE_MEDICINE_SESSION && !is_off (item->appointment))
        g_ptr_array_add (screen->medicine, item);
    }
  g_ptr_array_sort (screen->sessions, compare_newest_first);
}

/**
 * cairn_notes_screen_load:
 * @vault: an unlocked vault
 * @patient_id: whose notes
 * @now: the time now, seconds since the Unix epoch: which sessions are past
 * @error: return location for a #GError
 *
 * Needs the clinical key: without it, the error is the vault's one.
 *
 * Returns: (transfer full) (nullable): what the Notes tab shows
 */
CairnNotesScreen *
cairn_notes_screen_load (CairnVault  *vault,
                         const char  *patient_id,
                         gint64       now,
                         GError     **error)
{
  g_autoptr(CairnNotesScreen) screen = NULL;
  g_autoptr(CairnPracticeRules) rules = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autofree char *me = NULL;
  CairnDatabase *practice;
  CairnDatabase *clinical;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  clinical = cairn_vault_require_clinical (vault, error);
  if (clinical == NULL)
    return NULL;
  practice = cairn_vault_get_practice (vault);
  me = cairn_vault_get_user_id (vault);

  screen = g_new0 (CairnNotesScreen, 1);
  screen->patient_id = g_strdup (patient_id);
  if ((screen->protocol = cairn_protocols_get_active (practice, error)) == NULL ||
      (rules = cairn_practice_rules_load (practice, error)) == NULL ||
      (screen->items = cairn_agenda_list_for_patient (practice, patient_id, 0, MAX_APPOINTMENTS,
                                                      error)) == NULL ||
      (staff = cairn_agenda_list_staff (practice, error)) == NULL ||
      (screen->notes = cairn_notes_list (clinical, patient_id, me, error)) == NULL ||
      (screen->check_ins = cairn_phone_check_ins_list (clinical, patient_id, me, error)) == NULL)
    return NULL;

  screen->zone = g_time_zone_ref (cairn_practice_rules_get (rules)->zone);
  screen->user_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < staff->len; i++)
    {
      const CairnNamed *named = g_ptr_array_index (staff, i);

      g_hash_table_insert (screen->user_names, g_strdup (named->id), g_strdup (named->name));
    }
  sort_items (screen, now);
  return g_steal_pointer (&screen);
}

/**
 * cairn_notes_screen_note_for:
 * @screen: what was read
 * @appointment_id: a session's appointment
 *
 * Returns: (transfer none) (nullable): the session's note, if one was written
 */
const CairnNote *
cairn_notes_screen_note_for (const CairnNotesScreen *screen,
                             const char             *appointment_id)
{
  for (guint i = 0; screen != NULL && i < screen->notes->len; i++)
    {
      const CairnNote *note = g_ptr_array_index (screen->notes, i);

      if (g_strcmp0 (note->appointment_id, appointment_id) == 0)
        return note;
    }
  return NULL;
}

/**
 * cairn_notes_screen_check_in_for:
 * @screen: what was read
 * @appointment_id: a phone check-in's appointment
 *
 * Returns: (transfer none) (nullable): what was recorded of the call
 */
const CairnPhoneCheckIn *
cairn_notes_screen_check_in_for (const CairnNotesScreen *screen,
                                 const char             *appointment_id)
{
  for (guint i = 0; screen != NULL && i < screen->check_ins->len; i++)
    {
      const CairnPhoneCheckIn *c = g_ptr_array_index (screen->check_ins, i);

      if (g_strcmp0 (c->appointment_id, appointment_id) == 0)
        return c;
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Writes                                                                    */

typedef struct
{
  CairnNoteSaved    *saved;        /* what is asked, answered in place */
  CairnProtocol     *sign_with;    /* signing: the template's sections */
  char              *addendum;     /* to add instead of saving */
  CairnPhoneCheckIn *check_in;     /* to record instead */
} Write;

void
cairn_note_saved_free (CairnNoteSaved *saved)
{
  if (saved == NULL)
    return;
  g_free (saved->note_id);
  g_free (saved->patient_id);
  g_free (saved->appointment_id);
  g_free (saved->type_id);
  g_free (saved->attendees);
  g_clear_pointer (&saved->sections, g_hash_table_unref);
  g_clear_pointer (&saved->note, cairn_note_free);
  g_free (saved);
}

static void
write_free (Write *write)
{
  g_clear_pointer (&write->saved, cairn_note_saved_free);
  g_clear_pointer (&write->sign_with, cairn_protocol_unref);
  g_free (write->addendum);
  g_clear_pointer (&write->check_in, cairn_phone_check_in_free);
  g_free (write);
}

static gboolean
write_note (CairnDatabase   *clinical,
            Write           *write,
            const char      *me,
            GError         **error)
{
  CairnNoteSaved *saved = write->saved;

  if (write->addendum != NULL)
    {
      if (!cairn_notes_add_addendum (clinical, saved->note_id, write->addendum, me, NULL, error))
        return FALSE;
    }
  else
    {
      g_clear_pointer (&saved->note_id, g_free);
      if (!cairn_notes_save_draft (clinical, saved->patient_id, saved->appointment_id, saved->type_id,
                                   saved->attendees, saved->sections, me, &saved->note_id, error))
        return FALSE;
      if (write->sign_with != NULL &&
          !cairn_notes_sign (clinical, saved->note_id,
                             cairn_protocol_get_note_sections (write->sign_with, saved->type_id), me, error))
        return FALSE;
    }
  if (write->sign_with != NULL || write->addendum != NULL)
    return (saved->note = cairn_notes_get (clinical, saved->note_id, me, error)) != NULL;
  return TRUE;
}

/* Every write of the tab, by what it carries; it answers with what it
 * carried, filled in. */
static gpointer
write_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Write *write = data;
  g_autofree char *me = cairn_vault_get_user_id (vault);
  CairnDatabase *clinical = cairn_vault_require_clinical (vault, error);

  if (clinical == NULL)
    return NULL;
  if (write->check_in != NULL)
    {
      if (!cairn_phone_check_ins_record (clinical, write->check_in, me, error))
        return NULL;
      return g_steal_pointer (&write->check_in);
    }
  if (!write_note (clinical, write, me, error))
    return NULL;
  return g_steal_pointer (&write->saved);
}

static GHashTable *
copy_sections (GHashTable *sections)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (sections == NULL)
    return copy;
  g_hash_table_iter_init (&iter, sections);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}

/**
 * cairn_notes_save_async:
 * @vault: an unlocked vault
 * @patient_id: whose note
 * @appointment_id: the session it is about (one note each)
 * @type_id: the appointment type it is written for
 * @attendees: (nullable): who was there
 * @sections: section id → text (copied)
 * @sign_with: (nullable): to sign the note once saved, against this
 *   template's sections; %NULL saves a draft
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Saves the note's draft. A note signed meanwhile is refused with
 * %CAIRN_NOTES_ERROR_SIGNED, a signing that a required section stops with
 * %CAIRN_NOTES_ERROR_INVALID (the draft is saved).
 */
void
cairn_notes_save_async (CairnVault          *vault,
                        const char          *patient_id,
                        const char          *appointment_id,
                        const char          *type_id,
                        const char          *attendees,
                        GHashTable          *sections,
                        CairnProtocol       *sign_with,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Write *write = g_new0 (Write, 1);

  write->saved = g_new0 (CairnNoteSaved, 1);
  write->saved->patient_id = g_strdup (patient_id);
  write->saved->appointment_id = g_strdup (appointment_id);
  write->saved->type_id = g_strdup (type_id);
  write->saved->attendees = g_strdup (attendees);
  write->saved->sections = copy_sections (sections);
  write->sign_with = sign_with != NULL ? cairn_protocol_ref (sign_with) : NULL;
  cairn_vault_run_async (vault, write_job, write, (GDestroyNotify) write_free,
                         (GDestroyNotify) cairn_note_saved_free, cancellable, callback, user_data);
}

/**
 * cairn_notes_add_addendum_async:
 * @vault: an unlocked vault
 * @note_id: a signed note
 * @text: the addendum
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Answered with cairn_notes_save_finish(), the note with its addendum.
 */
void
cairn_notes_add_addendum_async (CairnVault          *vault,
                                const char          *note_id,
                                const char          *text,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Write *write = g_new0 (Write, 1);

  write->saved = g_new0 (CairnNoteSaved, 1);
  write->saved->note_id = g_strdup (note_id);
  write->addendum = g_strdup (text);
  cairn_vault_run_async (vault, write_job, write, (GDestroyNotify) write_free,
                         (GDestroyNotify) cairn_note_saved_free, cancellable, callback, user_data);
}

/**
 * cairn_notes_save_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what was saved, or %NULL with @error
 */
CairnNoteSaved *
cairn_notes_save_finish (CairnVault    *vault,
                         GAsyncResult  *result,
                         GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/**
 * cairn_notes_record_check_in_async:
 * @vault: an unlocked vault
 * @check_in: the phone check-in (copied); recording it again changes the
 *   same record
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_notes_record_check_in_async (CairnVault              *vault,
                                   const CairnPhoneCheckIn *check_in,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data)
{
  Write *write = g_new0 (Write, 1);

  write->check_in = cairn_phone_check_in_copy (check_in);
  cairn_vault_run_async (vault, write_job, write, (GDestroyNotify) write_free,
                         (GDestroyNotify) cairn_phone_check_in_free, cancellable, callback, user_data);
}

/**
 * cairn_notes_record_check_in_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the phone check-in as recorded
 *   (with its id), or %NULL with @error
 */
CairnPhoneCheckIn *
cairn_notes_record_check_in_finish (CairnVault    *vault,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}
