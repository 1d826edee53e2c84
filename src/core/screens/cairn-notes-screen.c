/* cairn-notes-screen.c
 *
 * The Notes tab's read: the patient's appointments sorted into the
 * sessions that take a note (up to the end of the practice's today), the
 * phone check-ins and the medicine sessions they follow; the notes and
 * check-ins written, each read audited; who the staff are; the template
 * and the practice's zone. Run on the vault's worker.
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
