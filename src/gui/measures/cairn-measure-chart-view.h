/* cairn-measure-chart-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cairn-instruments.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_MEASURE_CHART_VIEW (cairn_measure_chart_view_get_type ())

G_DECLARE_FINAL_TYPE (CairnMeasureChartView, cairn_measure_chart_view, CAIRN, MEASURE_CHART_VIEW, GtkWidget)

GtkWidget  *cairn_measure_chart_view_new         (void);
/* points: elements CairnChartPoint; sessions: elements guint32 julian days
 * (nullable). Both are copied. */
void        cairn_measure_chart_view_set_data    (CairnMeasureChartView *self,
                                                  const CairnInstrument *instrument,
                                                  GArray                *points,
                                                  GArray                *sessions);
/* What the chart says in words; also its accessible description. */
const char *cairn_measure_chart_view_get_summary (CairnMeasureChartView *self);

G_END_DECLS
