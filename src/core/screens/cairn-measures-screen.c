/* cairn-measures-screen.c
 *
 * The Measures tab's read: a patient's measures with one audited read,
 * where clinical.db's audit trail ended after it (for the report's
 * footer), the practice's today and the days of the medicine sessions
 * held (for the chart), and which PHQ-9, if any, needs follow-up for its
 * item 9. Run on the vault's worker; nothing in it needs a display.
 *
 * Its writes are here too, as _async/_finish pairs on the vault's worker:
 * a measure saved or deleted, the report saved as a PDF or its printing
 * recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screens"

#include "config.h"

#include "cairn-instruments.h"
#include "cairn-measures-screen.h"
#include "cairn-protocols.h"

void
cairn_measures_screen_free (CairnMeasuresScreen *screen)
{
  if (screen == NULL)
    return;
  g_free (screen->patient_id);
  g_free (screen->today);
  g_clear_pointer (&screen->measures, g_ptr_array_unref);
  g_clear_pointer (&screen->session_days, g_array_unref);
  g_free (screen);
}

/* The newest PHQ-9 that answers item 9 says whether it needs follow-up: a
 * later form that leaves item 9 unanswered does not clear an alert. */
static const CairnMeasure *
find_item9_alert (GPtrArray *measures)
{
  const CairnMeasure *latest = NULL;

  for (guint i = 0; i < measures->len; i++)
    {
      const CairnMeasure *m = g_ptr_array_index (measures, i);

      if (g_strcmp0 (m->instrument, CAIRN_INSTRUMENT_PHQ9) == 0 && m->answers != NULL &&
          m->answers->len >= 9 && g_array_index (m->answers, int, 8) >= 0)
        latest = m;
    }
  return latest != NULL && cairn_measure_has_item9_alert (latest) ? latest : NULL;
}

/**
 * cairn_measures_screen_load:
 * @vault: an unlocked vault
 * @patient_id: whose measures
 * @now: the time now, seconds since the Unix epoch
 * @error: return location for a #GError
 *
 * Needs the clinical key: without it, the error is the vault's one.
 *
 * Returns: (transfer full) (nullable): what the Measures tab shows
 */
CairnMeasuresScreen *
cairn_measures_screen_load (CairnVault  *vault,
                            const char  *patient_id,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(CairnMeasuresScreen) screen = NULL;
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *me = NULL;
  CairnDatabase *clinical;
  CairnDatabase *practice;

  g_return_val_if_fail (CAIRN_IS_VAULT (vault), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  clinical = cairn_vault_require_clinical (vault, error);
  if (clinical == NULL)
    return NULL;
  practice = cairn_vault_get_practice (vault);
  me = cairn_vault_get_user_id (vault);

  screen = g_new0 (CairnMeasuresScreen, 1);
  screen->patient_id = g_strdup (patient_id);
  screen->measures = cairn_measures_list (clinical, patient_id, me, error);
  /* After the read's own audit entry: the report shows the trail with it. */
  if (screen->measures == NULL || !cairn_audit_head_read (clinical, &screen->audit_head, error))
    return NULL;
  screen->item9_alert = find_item9_alert (screen->measures);

  utc = g_date_time_new_from_unix_utc (now);
  local = g_date_time_to_timezone (utc, cairn_database_get_time_zone (clinical));
  screen->today = g_date_time_format (local, "%Y-%m-%d");

  protocol = cairn_protocols_get_active (practice, error);
  if (protocol == NULL)
    return NULL;
  screen->session_days = cairn_measures_session_days (practice, protocol, patient_id, now, error);
  if (screen->session_days == NULL)
    return NULL;
  return g_steal_pointer (&screen);
}

/* ------------------------------------------------------------------------ */
/* Writes                                                                    */

typedef struct
{
  CairnMeasure        *measure;       /* saving */
  char                *id;            /* deleting */
  char                *reason;
  CairnMeasuresReport *report;
  char                *patient_id;
  char                *path;          /* NULL: a printing */
} Write;

static void
write_free (Write *write)
{
  g_clear_pointer (&write->measure, cairn_measure_free);
  g_free (write->id);
  g_free (write->reason);
  g_clear_pointer (&write->report, cairn_measures_report_free);
  g_free (write->patient_id);
  g_free (write->path);
  g_free (write);
}

/* Every write of the tab, by what it carries; it answers with a string
 * (the measure's id for a save or a delete), or NULL with the error. */
static gpointer
write_job (CairnVault    *vault,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Write *write = data;
  g_autofree char *me = cairn_vault_get_user_id (vault);
  CairnDatabase *clinical = cairn_vault_require_clinical (vault, error);
  gboolean done;

  if (clinical == NULL)
    return NULL;
  if (write->reason != NULL)
    done = cairn_measures_delete (clinical, write->id, write->reason, me, error);
  else if (write->measure != NULL)
    done = cairn_measures_save (clinical, write->measure, me, NULL, NULL, error);
  else if (write->path != NULL)
    done = cairn_measures_report_export (clinical, write->report, write->patient_id, write->path, me, error);
  else
    done = cairn_measures_report_record_print (clinical, write->patient_id, me, error);
  if (!done)
    return NULL;
  return g_strdup (write->measure != NULL ? write->measure->id : write->id != NULL ? write->id : write->patient_id);
}

/**
 * cairn_measures_save_async:
 * @vault: an unlocked vault
 * @measure: the measure to save (copied), new or changed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_measures_save_async (CairnVault          *vault,
                           const CairnMeasure  *measure,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Write *write = g_new0 (Write, 1);

  write->measure = cairn_measure_copy (measure);
  cairn_vault_run_async (vault, write_job, write, (GDestroyNotify) write_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_measures_delete_async:
 * @vault: an unlocked vault
 * @id: the measure to delete (a tombstone)
 * @reason: why, kept in the audit trail
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 *
 * Answered with cairn_measures_save_finish().
 */
void
cairn_measures_delete_async (CairnVault          *vault,
                             const char          *id,
                             const char          *reason,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Write *write = g_new0 (Write, 1);

  write->id = g_strdup (id);
  write->reason = g_strdup (reason);
  cairn_vault_run_async (vault, write_job, write, (GDestroyNotify) write_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_measures_save_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the measure's id, or %NULL with @error
 */
char *
cairn_measures_save_finish (CairnVault    *vault,
                            GAsyncResult  *result,
                            GError       **error)
{
  return cairn_vault_run_finish (vault, result, error);
}

/**
 * cairn_measures_report_write_async:
 * @vault: an unlocked vault
 * @report: (transfer full) (nullable): the report; %NULL with no @path
 * @patient_id: whose report
 * @path: (nullable): where to write the PDF, or %NULL to record a printing
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the answer
 * @user_data: for @callback
 */
void
cairn_measures_report_write_async (CairnVault          *vault,
                                   CairnMeasuresReport *report,
                                   const char          *patient_id,
                                   const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Write *write = g_new0 (Write, 1);

  write->report = report;
  write->patient_id = g_strdup (patient_id);
  write->path = g_strdup (path);
  cairn_vault_run_async (vault, write_job, write, (GDestroyNotify) write_free, g_free, cancellable, callback,
                         user_data);
}

/**
 * cairn_measures_report_write_finish:
 * @vault: the vault
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the report was written (or its printing recorded)
 */
gboolean
cairn_measures_report_write_finish (CairnVault    *vault,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_autofree char *done = cairn_vault_run_finish (vault, result, error);

  return done != NULL;
}
