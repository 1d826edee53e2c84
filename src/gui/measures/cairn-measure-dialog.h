/* cairn-measure-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-measures.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_MEASURE_DIALOG (cairn_measure_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CairnMeasureDialog, cairn_measure_dialog, CAIRN, MEASURE_DIALOG, AdwWindow)

/* A form for a new measure of the instrument (measure NULL), or for
 * changing (and deleting) one. @today is the practice's date,
 * "YYYY-MM-DD" (cairn_database_today()): a new measure's day, and the
 * latest day one may have; NULL for the machine's. Emits "saved" or
 * "deleted" with the measure's id, then closes. */
CairnMeasureDialog *cairn_measure_dialog_new (CairnContext       *context,
                                              const char         *patient_id,
                                              const char         *instrument,
                                              const CairnMeasure *measure,
                                              const char         *today);

G_END_DECLS
