/* cairn-measure-chart-view.c
 *
 * A widget showing one instrument's chart: the core draws it on the cairo
 * context the snapshot gives, in the colours of the widget's style, so it
 * follows light, dark and high-contrast styles. Screen readers get the
 * chart as a sentence (its accessible description); the numbers
 * themselves are in the table beside it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-measures"

#include "config.h"

#include <adwaita.h>

#include "cairn-measure-chart.h"
#include "cairn-measure-chart-view.h"

#define MIN_HEIGHT     180
#define NATURAL_HEIGHT 220
#define MAX_HEIGHT     280

struct _CairnMeasureChartView
{
  GtkWidget              parent_instance;

  const CairnInstrument *instrument;
  GArray                *points;     /* CairnChartPoint */
  GArray                *sessions;   /* guint32 */
  char                  *summary;
};

G_DEFINE_FINAL_TYPE (CairnMeasureChartView, cairn_measure_chart_view, GTK_TYPE_WIDGET)

static void
to_chart_color (const GdkRGBA   *rgba,
                CairnChartColor *color)
{
  color->red = rgba->red;
  color->green = rgba->green;
  color->blue = rgba->blue;
  color->alpha = rgba->alpha;
}

static void
cairn_measure_chart_view_snapshot (GtkWidget   *widget,
                                   GtkSnapshot *snapshot)
{
  CairnMeasureChartView *self = CAIRN_MEASURE_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkStyleContext *context;
  g_autofree char *font = NULL;
  GdkRGBA color;
  CairnChartStyle style;
  cairo_t *cr;

  if (self->instrument == NULL || width <= 0 || height <= 0)
    return;

  cairn_measure_chart_style_init (&style, adw_style_manager_get_dark (manager));
  /* GTK 4.8: the style context is how a widget reads its colours
   * (gtk_widget_get_color arrives in 4.10). */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &color);
  to_chart_color (&color, &style.foreground);
  if (gtk_style_context_lookup_color (context, "accent_color", &color))
    to_chart_color (&color, &style.accent);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* The card behind shows through; dots get a ring of its colour so
   * close ones stay apart. */
  style.transparent = TRUE;
  {
    GdkRGBA card, window;

    /* In the dark style a card is a translucent white over the window. */
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    if (gtk_style_context_lookup_color (context, "card_bg_color", &card) &&
        gtk_style_context_lookup_color (context, "window_bg_color", &window))
      {
        style.background.red = card.red * card.alpha + window.red * (1 - card.alpha);
        style.background.green = card.green * card.alpha + window.green * (1 - card.alpha);
        style.background.blue = card.blue * card.alpha + window.blue * (1 - card.alpha);
        style.background.alpha = 1;
      }
    G_GNUC_END_IGNORE_DEPRECATIONS
  }
  if (adw_style_manager_get_high_contrast (manager))
    for (guint i = 0; i < CAIRN_INSTRUMENT_MAX_BANDS; i++)
      style.bands[i].alpha *= 1.6;

  {
    PangoContext *pango = gtk_widget_get_pango_context (widget);
    PangoFontDescription *description = pango_context_get_font_description (pango);

    if (description != NULL)
      {
        g_autoptr(PangoFontDescription) small = pango_font_description_copy (description);

        pango_font_description_set_size (small, pango_font_description_get_size (small) * 0.85);
        font = pango_font_description_to_string (small);
        style.font = font;
      }
  }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairn_measure_chart_draw (cr, width, height, self->instrument, &style,
                            self->points != NULL ? (const CairnChartPoint *) self->points->data : NULL,
                            self->points != NULL ? self->points->len : 0,
                            self->sessions != NULL ? (const guint32 *) self->sessions->data : NULL,
                            self->sessions != NULL ? self->sessions->len : 0);
  cairo_destroy (cr);
}

static void
cairn_measure_chart_view_measure (GtkWidget      *widget,
                                  GtkOrientation  orientation,
                                  int             for_size,
                                  int            *minimum,
                                  int            *natural,
                                  int            *minimum_baseline,
                                  int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 640;
    }
  else
    {
      /* Wide charts get more height, up to a point; narrow ones keep
       * enough for the bands to read. The minimum follows the width too:
       * a scrolled page gives its content the minimum height. */
      *minimum = for_size > 0 ? CLAMP (for_size * 2 / 5, MIN_HEIGHT, MAX_HEIGHT) : MIN_HEIGHT;
      *natural = MAX (*minimum, for_size > 0 ? *minimum : NATURAL_HEIGHT);
    }
}

static GtkSizeRequestMode
cairn_measure_chart_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
on_style_changed_cb (CairnMeasureChartView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cairn_measure_chart_view_finalize (GObject *object)
{
  CairnMeasureChartView *self = CAIRN_MEASURE_CHART_VIEW (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->sessions, g_array_unref);
  g_free (self->summary);

  G_OBJECT_CLASS (cairn_measure_chart_view_parent_class)->finalize (object);
}

static void
cairn_measure_chart_view_class_init (CairnMeasureChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cairn_measure_chart_view_finalize;
  widget_class->snapshot = cairn_measure_chart_view_snapshot;
  widget_class->measure = cairn_measure_chart_view_measure;
  widget_class->get_request_mode = cairn_measure_chart_view_get_request_mode;

  gtk_widget_class_set_css_name (widget_class, "measure-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cairn_measure_chart_view_init (CairnMeasureChartView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_style_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "notify::high-contrast", G_CALLBACK (on_style_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
cairn_measure_chart_view_new (void)
{
  return g_object_new (CAIRN_TYPE_MEASURE_CHART_VIEW, NULL);
}

static GArray *
copy_array (GArray *array,
            guint   element_size)
{
  GArray *copy = g_array_new (FALSE, FALSE, element_size);

  if (array != NULL)
    g_array_append_vals (copy, array->data, array->len);
  return copy;
}

/**
 * cairn_measure_chart_view_set_data:
 * @self: the chart
 * @instrument: whose totals
 * @points: (element-type CairnChartPoint): totals by day, oldest first
 * @sessions: (nullable) (element-type guint32): days of medicine sessions
 *
 * Shows the totals, and tells screen readers what the chart shows.
 */
void
cairn_measure_chart_view_set_data (CairnMeasureChartView *self,
                                   const CairnInstrument *instrument,
                                   GArray                *points,
                                   GArray                *sessions)
{
  g_return_if_fail (CAIRN_IS_MEASURE_CHART_VIEW (self));
  g_return_if_fail (instrument != NULL && points != NULL);

  self->instrument = instrument;
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->sessions, g_array_unref);
  self->points = copy_array (points, sizeof (CairnChartPoint));
  self->sessions = copy_array (sessions, sizeof (guint32));

  g_free (self->summary);
  self->summary = cairn_measure_chart_describe (instrument, (const CairnChartPoint *) self->points->data,
                                                self->points->len, self->sessions->len);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, instrument->name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), self->summary);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
cairn_measure_chart_view_get_summary (CairnMeasureChartView *self)
{
  g_return_val_if_fail (CAIRN_IS_MEASURE_CHART_VIEW (self), NULL);

  return self->summary;
}
