/* cairn-measure-chart.c
 *
 * One instrument's totals over time. The plot is laid out from the size it
 * is given: the y axis is the instrument's whole range with a label at
 * each band's lower edge; the x axis is the days from the first entry (or
 * medicine session) to the last, with as many date labels as fit. Bands
 * are shaded and named (the colour is never the only cue), medicine
 * sessions are dashed vertical lines numbered at the top.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-clinical"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <time.h>
#include <pango/pangocairo.h>

#include "cairn-measure-chart.h"

#define PAD 6.0

static void
set_color (cairo_t               *cr,
           const CairnChartColor *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static void
set_color_faded (cairo_t               *cr,
                 const CairnChartColor *color,
                 double                 alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/**
 * cairn_measure_chart_style_init:
 * @style: (out caller-allocates): the style to fill in
 * @dark: whether the chart is drawn on a dark background
 *
 * Fills in colours that read on a light (or dark) background.
 */
void
cairn_measure_chart_style_init (CairnChartStyle *style,
                                gboolean         dark)
{
  /* Least to most severe: green, yellow, orange, red-orange, red. Tints
   * strong enough to tell apart, faint enough for the line on top. */
  static const double hues[CAIRN_INSTRUMENT_MAX_BANDS][3] = {
    { 0.18, 0.62, 0.34 },
    { 0.90, 0.72, 0.08 },
    { 0.96, 0.52, 0.10 },
    { 0.90, 0.32, 0.18 },
    { 0.80, 0.10, 0.16 },
  };

  g_return_if_fail (style != NULL);

  if (dark)
    {
      style->foreground = (CairnChartColor) { 1, 1, 1, 0.9 };
      style->background = (CairnChartColor) { 0.14, 0.14, 0.14, 1 };
      style->accent = (CairnChartColor) { 0.47, 0.68, 0.93, 1 };
      style->session = (CairnChartColor) { 0.75, 0.55, 0.95, 1 };
    }
  else
    {
      style->foreground = (CairnChartColor) { 0, 0, 0, 0.85 };
      style->background = (CairnChartColor) { 1, 1, 1, 1 };
      style->accent = (CairnChartColor) { 0.11, 0.44, 0.85, 1 };
      style->session = (CairnChartColor) { 0.51, 0.24, 0.75, 1 };
    }
  for (guint i = 0; i < CAIRN_INSTRUMENT_MAX_BANDS; i++)
    style->bands[i] = (CairnChartColor) { hues[i][0], hues[i][1], hues[i][2], dark ? 0.24 : 0.16 };
  style->transparent = FALSE;
  style->font = NULL;
}

/* Draws text with its anchor (ax, ay: 0 left/top … 1 right/bottom) at
 * (x, y). Returns its width. */
static double
text_at (cairo_t     *cr,
         PangoLayout *layout,
         const char  *text,
         double       x,
         double       y,
         double       ax,
         double       ay)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - ax * w, y - ay * h);
  pango_cairo_show_layout (cr, layout);
  return w;
}

static void
text_size (PangoLayout *layout,
           const char  *text,
           int         *w,
           int         *h)
{
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, w, h);
}

typedef struct
{
  double x0, y0, x1, y1;        /* the plot area */
  guint32 first, last;           /* days on the x axis */
  int low, high;                 /* totals on the y axis */
} Plot;

static double
plot_x (const Plot *plot,
        guint32     julian)
{
  if (plot->last == plot->first)
    return (plot->x0 + plot->x1) / 2;
  return plot->x0 + (plot->x1 - plot->x0) * ((double) julian - plot->first) / ((double) plot->last - plot->first);
}

static double
plot_y (const Plot *plot,
        double      total)
{
  return plot->y1 - (plot->y1 - plot->y0) * (total - plot->low) / (double) (plot->high - plot->low);
}

/* Steps between date labels, and how to write them. */
typedef struct
{
  guint       days;          /* step in days, or 0 … */
  guint       months;        /* … in months */
  const char *format;        /* g_date_strftime format */
} TickStep;

static void
date_label (const TickStep *step,
            guint32         julian,
            char           *buffer,
            gsize           size)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  g_date_strftime (buffer, size, step->format, &date);
  g_strstrip (buffer);
}

/* The first tick on or after julian. */
static guint32
first_tick (const TickStep *step,
            guint32         julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  if (step->days >= 7)
    {
      /* Mondays */
      while (g_date_get_weekday (&date) != G_DATE_MONDAY)
        g_date_add_days (&date, 1);
      return g_date_get_julian (&date);
    }
  if (step->days > 0)
    return julian;
  if (g_date_get_day (&date) != 1)
    {
      g_date_set_day (&date, 1);
      g_date_add_months (&date, 1);
    }
  while ((g_date_get_month (&date) - 1) % step->months != 0)
    g_date_add_months (&date, 1);
  return g_date_get_julian (&date);
}

static guint32
next_tick (const TickStep *step,
           guint32         julian)
{
  GDate date;

  if (step->days > 0)
    return julian + step->days;
  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  g_date_add_months (&date, step->months);
  return g_date_get_julian (&date);
}

static void
draw_x_axis (cairo_t               *cr,
             PangoLayout           *layout,
             const Plot            *plot,
             const CairnChartStyle *style)
{
  static const TickStep steps[] = {
    /* Translators: a date on a chart's axis, short: day and month; see strftime */
    { 1, 0, N_("%e %b") },
    { 7, 0, N_("%e %b") },
    { 14, 0, N_("%e %b") },
    /* Translators: a month on a chart's axis, short, with the year; see strftime */
    { 0, 1, N_("%b %Y") },
    { 0, 2, N_("%b %Y") },
    { 0, 3, N_("%b %Y") },
    { 0, 6, N_("%b %Y") },
    { 0, 12, N_("%Y") },
    { 0, 24, N_("%Y") },
    { 0, 60, N_("%Y") },
  };
  const double room = plot->x1 - plot->x0;
  const TickStep *step = &steps[G_N_ELEMENTS (steps) - 1];

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      const TickStep *candidate = &steps[i];
      TickStep translated = *candidate;
      char sample[64];
      int w, h;
      guint n = 0;

      translated.format = _(candidate->format);
      date_label (&translated, 2460000, sample, sizeof sample);  /* a long-ish date */
      text_size (layout, sample, &w, &h);
      for (guint32 t = first_tick (candidate, plot->first); t <= plot->last; t = next_tick (candidate, t))
        n++;
      /* Labels are centred on their tick: each needs its width and a gap. */
      if (n == 0 || (n * (w + 2 * PAD) <= room && (room / MAX (n, 1)) >= w + 2 * PAD))
        {
          step = candidate;
          break;
        }
    }

  {
    TickStep translated = *step;
    double right_edge = -G_MAXDOUBLE;

    translated.format = _(step->format);
    cairo_set_line_width (cr, 1);
    for (guint32 t = first_tick (step, plot->first); t <= plot->last; t = next_tick (step, t))
      {
        double x = round (plot_x (plot, t)) + 0.5;
        char label[64];
        int w, h;

        set_color_faded (cr, &style->foreground, 0.5);
        cairo_move_to (cr, x, plot->y1);
        cairo_line_to (cr, x, plot->y1 + 4);
        cairo_stroke (cr);

        date_label (&translated, t, label, sizeof label);
        text_size (layout, label, &w, &h);
        /* Keep labels inside the chart and apart. */
        {
          double left = CLAMP (x - w / 2.0, 0, plot->x1 + PAD - w);

          if (left < right_edge + PAD)
            continue;
          set_color_faded (cr, &style->foreground, 0.8);
          text_at (cr, layout, label, left, plot->y1 + 5, 0, 0);
          right_edge = left + w;
        }
      }
  }
}

/**
 * cairn_measure_chart_draw:
 * @cr: where to draw
 * @width: the chart's width, in the units of @cr
 * @height: its height
 * @instrument: the instrument whose totals these are
 * @style: colours and font
 * @points: (array length=n_points) (nullable): totals by day, oldest first
 * @n_points: how many
 * @sessions: (array length=n_sessions) (nullable): days of medicine sessions
 * @n_sessions: how many
 *
 * Draws the chart in (0, 0) … (@width, @height).
 */
void
cairn_measure_chart_draw (cairo_t               *cr,
                          double                 width,
                          double                 height,
                          const CairnInstrument *instrument,
                          const CairnChartStyle *style,
                          const CairnChartPoint *points,
                          guint                  n_points,
                          const guint32         *sessions,
                          guint                  n_sessions)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  Plot plot;
  int label_w, label_h;
  char number[16];
  guint32 first = G_MAXUINT32, last = 0;

  g_return_if_fail (cr != NULL && instrument != NULL && style != NULL);
  g_return_if_fail (n_points == 0 || points != NULL);
  g_return_if_fail (n_sessions == 0 || sessions != NULL);

  if (width < 40 || height < 40)
    return;

  cairo_save (cr);
  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string (style->font != NULL ? style->font : "Sans 9");
  pango_layout_set_font_description (layout, font);

  if (!style->transparent)
    {
      set_color (cr, &style->background);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }

  /* The y labels are at most the widest total; the x labels one line. */
  g_snprintf (number, sizeof number, "%d", instrument->total_max);
  text_size (layout, number, &label_w, &label_h);

  for (guint i = 0; i < n_points; i++)
    {
      first = MIN (first, points[i].julian);
      last = MAX (last, points[i].julian);
    }
  for (guint i = 0; i < n_sessions; i++)
    {
      first = MIN (first, sessions[i]);
      last = MAX (last, sessions[i]);
    }
  if (first > last)
    {
      GDate today;

      g_date_clear (&today, 1);
      g_date_set_time_t (&today, time (NULL));
      first = last = g_date_get_julian (&today);
    }
  /* A little room either side so the first and last dots are not on the edge. */
  {
    guint32 span = last - first;
    guint32 margin = MAX (3, span / 20);

    first = first > margin ? first - margin : first;
    last += margin;
  }

  plot.x0 = label_w + PAD + 2;
  plot.x1 = width - PAD;
  plot.y0 = label_h + PAD;           /* room for the session numbers */
  plot.y1 = height - label_h - PAD - 4;
  plot.first = first;
  plot.last = last;
  plot.low = instrument->total_min;
  plot.high = instrument->total_max;

  if (plot.x1 - plot.x0 < 20 || plot.y1 - plot.y0 < 20)
    {
      cairo_restore (cr);
      return;
    }

  /* Bands, each shaded from half a point below its lowest total to half a
   * point above its highest, named at the right when there is room. */
  for (guint i = 0; i < instrument->n_bands; i++)
    {
      const CairnBand *band = &instrument->bands[i];
      double top = plot_y (&plot, MIN (band->max + 0.5, plot.high));
      double bottom = plot_y (&plot, MAX (band->min - 0.5, plot.low));
      int w, h;

      set_color (cr, &style->bands[MIN (band->level, CAIRN_INSTRUMENT_MAX_BANDS - 1)]);
      cairo_rectangle (cr, plot.x0, top, plot.x1 - plot.x0, bottom - top);
      cairo_fill (cr);

      text_size (layout, cairn_band_label (band), &w, &h);
      if (bottom - top >= h + 2 && w + 2 * PAD < plot.x1 - plot.x0)
        {
          set_color_faded (cr, &style->foreground, 0.6);
          text_at (cr, layout, cairn_band_label (band), plot.x1 - 3, top + 1, 1, 0);
        }
    }

  /* The y axis: a label at each band's lower edge and at the top. */
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i <= instrument->n_bands; i++)
    {
      int value = i < instrument->n_bands ? instrument->bands[i].min : instrument->total_max;
      double y = round (plot_y (&plot, value)) + 0.5;
      double prev_y = i > 0 ? plot_y (&plot, instrument->bands[i - 1].min) : G_MAXDOUBLE;

      set_color_faded (cr, &style->foreground, 0.25);
      cairo_move_to (cr, plot.x0, y);
      cairo_line_to (cr, plot.x1, y);
      cairo_stroke (cr);
      /* Skip a label that would sit on the previous one. */
      if (prev_y - y < label_h && i > 0 && i < instrument->n_bands)
        continue;
      g_snprintf (number, sizeof number, "%d", value);
      set_color_faded (cr, &style->foreground, 0.8);
      text_at (cr, layout, number, plot.x0 - 4, CLAMP (y, plot.y0 + label_h / 2.0, plot.y1), 1, 0.5);
    }

  set_color_faded (cr, &style->foreground, 0.6);
  cairo_move_to (cr, plot.x0 + 0.5, plot.y0);
  cairo_line_to (cr, plot.x0 + 0.5, plot.y1 + 0.5);
  cairo_line_to (cr, plot.x1, plot.y1 + 0.5);
  cairo_stroke (cr);

  draw_x_axis (cr, layout, &plot, style);

  /* Medicine sessions: dashed lines, numbered in order at the top. */
  {
    static const double dash[] = { 4, 3 };
    double last_label = -G_MAXDOUBLE;

    for (guint i = 0; i < n_sessions; i++)
      {
        double x = round (plot_x (&plot, sessions[i])) + 0.5;
        int w, h;

        set_color (cr, &style->session);
        cairo_set_line_width (cr, 1.5);
        cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
        cairo_move_to (cr, x, plot.y0);
        cairo_line_to (cr, x, plot.y1);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);

        /* Translators: the mark of the n-th medicine session on a chart; keep it short */
        g_snprintf (number, sizeof number, C_("medicine session mark", "M%u"), i + 1);
        text_size (layout, number, &w, &h);
        if (x - w / 2.0 > last_label + 2)
          {
            text_at (cr, layout, number, CLAMP (x, plot.x0 + w / 2.0, plot.x1 - w / 2.0), plot.y0 - 2, 0.5, 1);
            last_label = x + w / 2.0;
          }
      }
  }

  if (n_points == 0)
    {
      set_color_faded (cr, &style->foreground, 0.7);
      text_at (cr, layout, _("No entries"), (plot.x0 + plot.x1) / 2, (plot.y0 + plot.y1) / 2, 0.5, 0.5);
      cairo_restore (cr);
      return;
    }

  /* The totals: a line, then a dot on each with a ring of background so
   * close dots stay apart. */
  set_color (cr, &style->accent);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < n_points; i++)
    {
      double x = plot_x (&plot, points[i].julian);
      double y = plot_y (&plot, CLAMP (points[i].total, plot.low, plot.high));

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);

  for (guint i = 0; i < n_points; i++)
    {
      double x = plot_x (&plot, points[i].julian);
      double y = plot_y (&plot, CLAMP (points[i].total, plot.low, plot.high));

      set_color (cr, &style->background);
      cairo_arc (cr, x, y, 4.5, 0, 2 * G_PI);
      cairo_fill (cr);
      set_color (cr, &style->accent);
      cairo_arc (cr, x, y, 3.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  cairo_restore (cr);
}

static char *
long_date (guint32 julian)
{
  GDate date;
  char buffer[128];

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  /* Translators: a date in a sentence a screen reader says; see strftime */
  g_date_strftime (buffer, sizeof buffer, _("%e %B %Y"), &date);
  return g_strdup (g_strstrip (buffer));
}

/**
 * cairn_measure_chart_describe:
 * @instrument: the instrument
 * @points: (array length=n_points) (nullable): totals by day, oldest first
 * @n_points: how many
 * @n_sessions: how many medicine sessions the chart marks
 *
 * Returns: (transfer full): what the chart shows, in words
 */
char *
cairn_measure_chart_describe (const CairnInstrument *instrument,
                              const CairnChartPoint *points,
                              guint                  n_points,
                              guint                  n_sessions)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (instrument != NULL, NULL);

  if (n_points == 0)
    {
      g_string_append_printf (text, _("%s chart: no scored entries."), instrument->name);
    }
  else
    {
      const CairnChartPoint *latest = &points[n_points - 1];
      const CairnBand *band = cairn_instrument_band_for_total (instrument, latest->total);
      g_autofree char *from = long_date (points[0].julian);
      g_autofree char *to = long_date (latest->julian);
      int change = latest->total - points[0].total;

      if (n_points == 1)
        g_string_append_printf (text, _("%s chart: one entry, on %s."), instrument->name, to);
      else
        g_string_append_printf (text,
                                g_dngettext (GETTEXT_PACKAGE, "%s chart: %u entry from %s to %s.",
                                             "%s chart: %u entries from %s to %s.", n_points),
                                instrument->name, n_points, from, to);
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Latest total %d (%s)."), latest->total,
                              band != NULL ? cairn_band_label (band) : "");
      if (n_points > 1)
        {
          g_string_append_c (text, ' ');
          if (change < 0)
            g_string_append_printf (text, _("Down %d since the first (%d)."), -change, points[0].total);
          else if (change > 0)
            g_string_append_printf (text, _("Up %d since the first (%d)."), change, points[0].total);
          else
            g_string_append_printf (text, _("The same as the first (%d)."), points[0].total);
        }
    }
  if (n_sessions > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "%u medicine session marked.",
                                           "%u medicine sessions marked.", n_sessions),
                              n_sessions);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
