/* cairn-measure-chart.h
 *
 * A chart of one instrument's totals over time, drawn with cairo: the
 * severity bands shaded behind, the medicine sessions marked as vertical
 * lines, the totals as a line with a dot each. Pure drawing: no GTK, no
 * database; the widget and the PDF report both call it, each passing the
 * colours of its own style so light and dark both work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "cairn-instruments.h"

G_BEGIN_DECLS

typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} CairnChartColor;

typedef struct
{
  CairnChartColor foreground;     /* text, axes */
  CairnChartColor background;     /* filled first, and rings the dots */
  gboolean        transparent;    /* do not fill the background (a card shows through) */
  CairnChartColor accent;         /* the line and its dots */
  CairnChartColor session;        /* medicine-session markers */
  CairnChartColor bands[CAIRN_INSTRUMENT_MAX_BANDS];  /* by CairnBand.level */
  const char     *font;           /* Pango font description, e.g. "Cantarell 9"; NULL: "Sans 9" */
} CairnChartStyle;

/* One complete, scored measure: its day and total. */
typedef struct
{
  guint32 julian;                 /* g_date_get_julian() of taken_on */
  int     total;
} CairnChartPoint;

/* Colours that read in a light (dark = FALSE) or dark style; the widget
 * replaces foreground/background/accent with its own. */
void  cairn_measure_chart_style_init (CairnChartStyle        *style,
                                      gboolean                dark);

/* Draws the chart in (0, 0) … (width, height) of cr. points are sorted by
 * day (oldest first); sessions are julian days of medicine sessions. With
 * no points it draws the axes and "No entries". Legible from 300 px wide. */
void  cairn_measure_chart_draw       (cairo_t                *cr,
                                      double                  width,
                                      double                  height,
                                      const CairnInstrument  *instrument,
                                      const CairnChartStyle  *style,
                                      const CairnChartPoint  *points,
                                      guint                   n_points,
                                      const guint32          *sessions,
                                      guint                   n_sessions);

/* A sentence a screen reader can say for the chart: how many entries,
 * from when to when, the latest total and band, the change since the
 * first; translated. */
char *cairn_measure_chart_describe   (const CairnInstrument  *instrument,
                                      const CairnChartPoint  *points,
                                      guint                   n_points,
                                      guint                   n_sessions);

G_END_DECLS
