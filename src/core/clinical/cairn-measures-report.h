/* cairn-measures-report.h
 *
 * The printable measures report of one patient (PDF): the patient's name
 * and chart number, then per instrument its chart and a table of dates,
 * totals and bands; at the foot of each page, where clinical.db's audit
 * trail ended. The same pages are printed and written as a PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "cairn-audit.h"
#include "cairn-database.h"

G_BEGIN_DECLS

typedef struct _CairnMeasuresReport CairnMeasuresReport;

/* measures: elements CairnMeasure (copied); session_days: elements
 * guint32 julian days of medicine sessions (copied; nullable);
 * audit_head: where clinical.db's audit trail ended when they were read. */
CairnMeasuresReport *cairn_measures_report_new        (const char           *patient_name,
                                                       const char           *chart_number,
                                                       GPtrArray            *measures,
                                                       GArray               *session_days,
                                                       const CairnAuditHead *audit_head);
void                 cairn_measures_report_free       (CairnMeasuresReport *report);

/* Pages for a page of width × height points (A4 is 595 × 842). */
guint                cairn_measures_report_n_pages    (CairnMeasuresReport *report,
                                                       double               width,
                                                       double               height);
void                 cairn_measures_report_draw_page  (CairnMeasuresReport *report,
                                                       cairo_t             *cr,
                                                       double               width,
                                                       double               height,
                                                       guint                page);

/* The words of the report as plain text, one piece a line (the charts'
 * labels left out); what a test can read back. */
char                *cairn_measures_report_to_text    (CairnMeasuresReport *report);

/* Writes the report as an A4 PDF at path, atomically (a temporary file
 * beside it, synced, then renamed), readable by its owner only (0600);
 * nothing is left behind on failure, and a file already at path stays as
 * it was. */
gboolean             cairn_measures_report_write_pdf  (CairnMeasuresReport *report,
                                                       const char          *path,
                                                       GError             **error);

/* Writes the PDF and appends the export to clinical.db's audit trail. */
gboolean             cairn_measures_report_export     (CairnDatabase       *clinical,
                                                       CairnMeasuresReport *report,
                                                       const char          *patient_id,
                                                       const char          *path,
                                                       const char          *user_id,
                                                       GError             **error);
/* Appends a printing of the report to clinical.db's audit trail. */
gboolean             cairn_measures_report_record_print (CairnDatabase     *clinical,
                                                         const char        *patient_id,
                                                         const char        *user_id,
                                                         GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnMeasuresReport, cairn_measures_report_free)

G_END_DECLS
