/* cairn-measures-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-patients.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_MEASURES_PAGE (cairn_measures_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnMeasuresPage, cairn_measures_page, CAIRN, MEASURES_PAGE, GtkWidget)

/* Shows the patient's records, read on the worker of the context's vault
 * (the "context" property); the page holds a reference to that vault until
 * cleared. */
void cairn_measures_page_load        (CairnMeasuresPage  *self,
                                      const CairnPatient *patient);
/* Forgets everything shown and drops the vault (on lock, or another patient). */
void cairn_measures_page_clear       (CairnMeasuresPage  *self);
/* Writes the measures report shown as a PDF at file, audited; what
 * "Save Report as PDF…" does once a file is chosen. */
void cairn_measures_page_save_report (CairnMeasuresPage  *self,
                                      GFile              *file);
/* The printing of the report of the patient shown, set up and not yet run
 * (what "Print Report…" runs with the print dialog): audited for this
 * patient when printing begins, before any page is drawn, and cancelled
 * when the page forgets the patient. It releases itself when done. NULL
 * when there is nothing to print. */
GtkPrintOperation *cairn_measures_page_prepare_print (CairnMeasuresPage *self);
/* The measures shown (elements CairnMeasure, oldest first); NULL until
 * read, and after clearing. */
GPtrArray *cairn_measures_page_get_measures (CairnMeasuresPage *self);

G_END_DECLS
