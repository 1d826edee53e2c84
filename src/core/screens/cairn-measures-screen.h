/* cairn-measures-screen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-audit.h"
#include "cairn-measures-report.h"
#include "cairn-measures.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

/* What the Measures tab shows of one patient, read in one go. */
typedef struct
{
  char               *patient_id;
  GPtrArray          *measures;      /* CairnMeasure, oldest first */
  GArray             *session_days;  /* guint32 Julian days of the medicine sessions held */
  char               *today;         /* the practice's, "YYYY-MM-DD" */
  CairnAuditHead      audit_head;    /* clinical.db's, just after this read's own entry */
  const CairnMeasure *item9_alert;   /* in measures: the newest PHQ-9 answering item 9, when above 0 */
} CairnMeasuresScreen;

CairnMeasuresScreen *cairn_measures_screen_load (CairnVault          *vault,
                                                 const char          *patient_id,
                                                 gint64               now,
                                                 GError             **error);
void                 cairn_measures_screen_free (CairnMeasuresScreen *screen);

/* The tab's writes, each one transaction with its audit entry on the
 * vault's worker. A save or a delete answers with the measure's id. */
void                 cairn_measures_save_async          (CairnVault           *vault,
                                                         const CairnMeasure   *measure,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
void                 cairn_measures_delete_async        (CairnVault           *vault,
                                                         const char           *id,
                                                         const char           *reason,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char                *cairn_measures_save_finish         (CairnVault           *vault,
                                                         GAsyncResult         *result,
                                                         GError              **error);
/* Writes the report as a PDF at path, atomically and audited; with no
 * path, records that it is being printed. Takes report. */
void                 cairn_measures_report_write_async  (CairnVault           *vault,
                                                         CairnMeasuresReport  *report,
                                                         const char           *patient_id,
                                                         const char           *path,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean             cairn_measures_report_write_finish (CairnVault           *vault,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnMeasuresScreen, cairn_measures_screen_free)

G_END_DECLS
