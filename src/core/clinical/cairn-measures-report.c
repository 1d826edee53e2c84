/* cairn-measures-report.c
 *
 * A patient's outcome measures on paper: a heading with the patient's name
 * and chart number, then for each instrument with entries its chart (the
 * same drawing as on screen, in light colours) and a table of every entry:
 * day, total, band, and notes (incomplete, item 9 alert, PCL-5 clusters).
 * The foot of each page says where clinical.db's audit trail ended when the
 * measures were read, and which page it is.
 * Pages are laid out by one pass that either counts or draws, so printing
 * and the PDF always agree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-clinical"

#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "cairn-audit.h"
#include "cairn-measure-chart.h"
#include "cairn-measures-report.h"
#include "cairn-measures.h"
#include "cairn-records.h"

#define MARGIN       42.0
#define CHART_HEIGHT 190.0
#define ROW_GAP      3.0
#define A4_WIDTH     595.0
#define A4_HEIGHT    842.0

struct _CairnMeasuresReport
{
  char      *patient_name;
  char      *chart_number;
  GPtrArray *measures;      /* CairnMeasure */
  GArray    *session_days;  /* guint32 */
  char      *printed_on;
  char      *audit_line;    /* "Audit trail: 412 entries, head 3F2A-…" */
};

/**
 * cairn_measures_report_new:
 * @patient_name: the patient's name as the report should show it
 * @chart_number: (nullable): their chart number
 * @measures: (element-type CairnMeasure): their measures, oldest first
 * @session_days: (nullable) (element-type guint32): days of their medicine sessions
 * @audit_head: where clinical.db's audit trail ended when @measures were read
 *
 * Returns: (transfer full): a report holding copies of all it shows
 */
CairnMeasuresReport *
cairn_measures_report_new (const char           *patient_name,
                           const char           *chart_number,
                           GPtrArray            *measures,
                           GArray               *session_days,
                           const CairnAuditHead *audit_head)
{
  CairnMeasuresReport *report;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_val_if_fail (patient_name != NULL && measures != NULL && audit_head != NULL, NULL);

  report = g_new0 (CairnMeasuresReport, 1);
  report->patient_name = g_strdup (patient_name);
  report->chart_number = g_strdup (chart_number);
  report->measures = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_measure_free);
  for (guint i = 0; i < measures->len; i++)
    g_ptr_array_add (report->measures, cairn_measure_copy (g_ptr_array_index (measures, i)));
  report->session_days = g_array_new (FALSE, FALSE, sizeof (guint32));
  if (session_days != NULL)
    g_array_append_vals (report->session_days, session_days->data, session_days->len);
  /* Translators: the day a report was made, in its heading; see strftime */
  report->printed_on = g_date_time_format (now, _("%e %B %Y"));
  g_strstrip (report->printed_on);
  report->audit_line = cairn_audit_head_describe (audit_head);
  return report;
}

void
cairn_measures_report_free (CairnMeasuresReport *report)
{
  if (report == NULL)
    return;
  g_free (report->patient_name);
  g_free (report->chart_number);
  g_ptr_array_unref (report->measures);
  g_array_unref (report->session_days);
  g_free (report->printed_on);
  g_free (report->audit_line);
  g_free (report);
}

/* ------------------------------------------------------------------------ */
/* Layout                                                                    */

typedef struct
{
  CairnMeasuresReport *report;
  cairo_t             *cr;          /* what draws; also measures */
  PangoLayout         *layout;
  double               width;
  double               height;
  guint                page;        /* the page being laid out */
  int                  target;      /* the page to draw, or -1 to count only */
  double               y;
  GString             *text;        /* nullable: collects the words of every page */
  gboolean             measuring;   /* laying out a row to see how tall it is */
  guint                n_pages;     /* for the footer; 0 while counting */
} Pass;

static gboolean
drawing (Pass *pass)
{
  return pass->target >= 0 && (int) pass->page == pass->target;
}

static void
set_font (Pass       *pass,
          const char *description)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (description);

  pango_layout_set_font_description (pass->layout, font);
}

/* Lays out text in a box width wide at (x, y), wrapped; draws it when this
 * page is drawn. Returns its height. */
static double
text_box (Pass       *pass,
          const char *text,
          double      x,
          double      y,
          double      width,
          gboolean    wrap)
{
  int h;

  pango_layout_set_text (pass->layout, text != NULL ? text : "", -1);
  pango_layout_set_width (pass->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (pass->layout, wrap ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap (pass->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (pass->layout, NULL, &h);
  if (pass->text != NULL && !pass->measuring && text != NULL && *text != '\0')
    {
      g_string_append (pass->text, text);
      g_string_append_c (pass->text, '\n');
    }
  if (drawing (pass))
    {
      cairo_move_to (pass->cr, x, y);
      pango_cairo_show_layout (pass->cr, pass->layout);
    }
  return h;
}

static void
rule (Pass   *pass,
      double  y,
      double  width)
{
  if (!drawing (pass))
    return;
  cairo_set_line_width (pass->cr, width);
  cairo_move_to (pass->cr, MARGIN, y);
  cairo_line_to (pass->cr, pass->width - MARGIN, y);
  cairo_stroke (pass->cr);
}

static void
page_heading (Pass *pass)
{
  const double usable = pass->width - 2 * MARGIN;
  g_autofree char *who = pass->report->chart_number != NULL
                         ? g_strdup_printf (_("%s · chart %s"), pass->report->patient_name,
                                            pass->report->chart_number)
                         : g_strdup (pass->report->patient_name);
  g_autofree char *when = g_strdup_printf (_("Made on %s"), pass->report->printed_on);

  if (drawing (pass))
    cairo_set_source_rgb (pass->cr, 0, 0, 0);
  pass->y = MARGIN;
  set_font (pass, "Sans Bold 14");
  pass->y += text_box (pass, _("Outcome measures"), MARGIN, pass->y, usable, FALSE) + 2;
  set_font (pass, "Sans 10");
  pass->y += text_box (pass, who, MARGIN, pass->y, usable, FALSE);
  set_font (pass, "Sans 8");
  pass->y += text_box (pass, when, MARGIN, pass->y, usable, FALSE) + 6;
  rule (pass, pass->y, 0.75);
  pass->y += 10;

  /* The foot: where the audit trail ended, on the left (a copy kept
   * elsewhere shows later that it was not rewritten), and the page number
   * on the right, once the pages are counted. */
  set_font (pass, "Sans 7");
  text_box (pass, pass->report->audit_line, MARGIN, pass->height - MARGIN + 13, usable * 0.75, FALSE);
  if (pass->n_pages > 0)
    {
      g_autofree char *footer = g_strdup_printf (_("Page %u of %u"), pass->page + 1, pass->n_pages);

      set_font (pass, "Sans 8");
      pango_layout_set_alignment (pass->layout, PANGO_ALIGN_RIGHT);
      text_box (pass, footer, MARGIN, pass->height - MARGIN + 12, usable, FALSE);
      pango_layout_set_alignment (pass->layout, PANGO_ALIGN_LEFT);
    }
}

static void
new_page (Pass *pass)
{
  if (drawing (pass))
    {
      /* The page drawn is done: nothing more goes on it. */
      pass->target = -2;
    }
  pass->page++;
  page_heading (pass);
}

static double
bottom (Pass *pass)
{
  return pass->height - MARGIN;
}

static const double shares[] = { 0.18, 0.10, 0.22, 0.50 };

static char *
short_date (const char *iso)
{
  GDate date;
  char buffer[64];

  if (!cairn_record_parse_day (iso, &date))
    return g_strdup (iso != NULL ? iso : "");
  /* Translators: a date in a table of measures; see strftime */
  g_date_strftime (buffer, sizeof buffer, _("%e %b %Y"), &date);
  return g_strdup (g_strstrip (buffer));
}

static char *
row_notes (const CairnMeasure *m)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  CairnScore score;

  if (m->timepoint != NULL)
    g_ptr_array_add (parts, g_strdup (m->timepoint));
  if (!m->complete)
    g_ptr_array_add (parts, g_strdup (_("Incomplete: not scored")));
  if (cairn_measure_has_item9_alert (m))
    g_ptr_array_add (parts, g_strdup (_("Item 9 answered above “Not at all”: needs follow-up")));
  if (cairn_measure_score (m, &score) && score.has_clusters)
    {
      g_ptr_array_add (parts,
                       g_strdup_printf (_("Clusters B %d, C %d, D %d, E %d"),
                                        score.clusters[CAIRN_PCL5_CLUSTER_B], score.clusters[CAIRN_PCL5_CLUSTER_C],
                                        score.clusters[CAIRN_PCL5_CLUSTER_D], score.clusters[CAIRN_PCL5_CLUSTER_E]));
      g_ptr_array_add (parts, g_strdup (score.provisional_diagnosis
                                        ? _("Provisional diagnosis: criteria met")
                                        : _("Provisional diagnosis: criteria not met")));
    }
  if (m->note != NULL)
    g_ptr_array_add (parts, g_strdup (m->note));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("; ", (char **) parts->pdata);
}

static double
table_row (Pass        *pass,
           const char **cells,
           double       y)
{
  const double usable = pass->width - 2 * MARGIN;
  double x = MARGIN;
  double tallest = 0;

  for (guint c = 0; c < G_N_ELEMENTS (shares); c++)
    {
      tallest = MAX (tallest, text_box (pass, cells[c], x, y, usable * shares[c] - 6,
                                        c == G_N_ELEMENTS (shares) - 1));
      x += usable * shares[c];
    }
  return tallest;
}

/* How tall a row is, measured without drawing. */
static double
row_height (Pass        *pass,
            const char **cells)
{
  int saved = pass->target;
  double h;

  pass->target = -1;
  pass->measuring = TRUE;
  h = table_row (pass, cells, 0);
  pass->measuring = FALSE;
  pass->target = saved;
  return h;
}

static void
table_heading (Pass *pass)
{
  const char *headings[] = { _("Date"), _("Total"), _("Band"), _("Notes") };

  set_font (pass, "Sans Bold 9");
  pass->y += table_row (pass, headings, pass->y) + 2;
  rule (pass, pass->y, 0.5);
  pass->y += 4;
  set_font (pass, "Sans 9");
}

static void
instrument_section (Pass                  *pass,
                    const CairnInstrument *instrument,
                    GPtrArray             *rows)
{
  const double usable = pass->width - 2 * MARGIN;
  g_autofree char *title = g_strdup_printf ("%s — %s", instrument->name, cairn_instrument_title (instrument));
  g_autoptr(GArray) points = cairn_measures_chart_points (pass->report->measures, instrument->id);
  double needed;

  /* The heading, the chart and the first row stay together. */
  needed = 20 + CHART_HEIGHT + 14 + 40;
  if (pass->y + needed > bottom (pass))
    new_page (pass);

  set_font (pass, "Sans Bold 11");
  if (drawing (pass))
    cairo_set_source_rgb (pass->cr, 0, 0, 0);
  pass->y += text_box (pass, title, MARGIN, pass->y, usable, FALSE) + 4;

  if (drawing (pass))
    {
      CairnChartStyle style;

      cairn_measure_chart_style_init (&style, FALSE);
      style.transparent = TRUE;   /* white paper: the rings stay white */
      style.font = "Sans 6.5";
      cairo_save (pass->cr);
      cairo_translate (pass->cr, MARGIN, pass->y);
      cairn_measure_chart_draw (pass->cr, usable, CHART_HEIGHT, instrument, &style,
                                (const CairnChartPoint *) points->data, points->len,
                                (const guint32 *) pass->report->session_days->data,
                                pass->report->session_days->len);
      cairo_restore (pass->cr);
      cairo_set_source_rgb (pass->cr, 0, 0, 0);
    }
  pass->y += CHART_HEIGHT + 2;

  set_font (pass, "Sans 7.5");
  {
    g_autoptr(GString) legend = g_string_new (_("Shaded: severity bands."));

    if (pass->report->session_days->len > 0)
      {
        g_string_append_c (legend, ' ');
        g_string_append (legend, _("Dashed lines M1, M2, …: medicine sessions."));
      }
    if (instrument->cutoff_note != NULL)
      {
        g_string_append_c (legend, ' ');
        g_string_append (legend, _(instrument->cutoff_note));
      }
    pass->y += text_box (pass, legend->str, MARGIN, pass->y, usable, TRUE) + 8;
  }

  table_heading (pass);
  for (guint i = 0; i < rows->len; i++)
    {
      const CairnMeasure *m = g_ptr_array_index (rows, i);
      const CairnBand *band = m->complete && m->total >= 0
                              ? cairn_instrument_band_for_total (instrument, m->total) : NULL;
      g_autofree char *date = short_date (m->taken_on);
      g_autofree char *total = m->complete && m->total >= 0 ? g_strdup_printf ("%d", m->total) : g_strdup ("—");
      g_autofree char *notes = row_notes (m);
      const char *cells[] = { date, total, band != NULL ? cairn_band_label (band) : "—", notes };
      double h = row_height (pass, cells);

      if (pass->y + h > bottom (pass))
        {
          g_autofree char *continued = g_strdup_printf (_("%s, continued"), instrument->name);

          new_page (pass);
          set_font (pass, "Sans Bold 11");
          if (drawing (pass))
            cairo_set_source_rgb (pass->cr, 0, 0, 0);
          pass->y += text_box (pass, continued, MARGIN, pass->y, usable, FALSE) + 4;
          table_heading (pass);
        }
      pass->y += table_row (pass, cells, pass->y) + ROW_GAP;
    }
  pass->y += 16;
}

/* One pass over the whole report; returns the number of pages. */
static guint
run_pass (CairnMeasuresReport *report,
          cairo_t             *cr,
          double               width,
          double               height,
          int                  target,
          GString             *text,
          guint                n_pages)
{
  const CairnInstrument * const *instruments = cairn_instrument_list ();
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  Pass pass = { report, cr, layout, width, height, 0, target, 0, text, FALSE, n_pages };
  gboolean any = FALSE;

  /* Sizes in the units of cr: points on paper. Metrics unhinted, so that
   * counting pages (on a scratch surface) and drawing them (on paper)
   * lay out alike. */
  {
    cairo_font_options_t *options = cairo_font_options_create ();

    cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
    cairo_font_options_destroy (options);
  }
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 72);
  pango_layout_context_changed (layout);

  page_heading (&pass);
  for (guint i = 0; instruments[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      for (guint j = 0; j < report->measures->len; j++)
        {
          const CairnMeasure *m = g_ptr_array_index (report->measures, j);

          if (g_strcmp0 (m->instrument, instruments[i]->id) == 0)
            g_ptr_array_add (rows, (gpointer) m);
        }
      if (rows->len == 0)
        continue;
      any = TRUE;
      instrument_section (&pass, instruments[i], rows);
    }
  if (!any)
    {
      set_font (&pass, "Sans 10");
      text_box (&pass, _("No measures are recorded."), MARGIN, pass.y, width - 2 * MARGIN, TRUE);
    }
  return pass.page + 1;
}

/**
 * cairn_measures_report_n_pages:
 * @report: a report
 * @width: a page's width, in points
 * @height: its height
 *
 * Returns: how many pages the report takes
 */
guint
cairn_measures_report_n_pages (CairnMeasuresReport *report,
                               double               width,
                               double               height)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n;

  g_return_val_if_fail (report != NULL, 0);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  n = run_pass (report, cr, width, height, -1, NULL, 0);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return n;
}

/**
 * cairn_measures_report_draw_page:
 * @report: a report
 * @cr: where to draw (a PDF page, a print page), in points
 * @width: the page's width
 * @height: its height
 * @page: which page, from 0
 *
 * Draws one page of the report.
 */
void
cairn_measures_report_draw_page (CairnMeasuresReport *report,
                                 cairo_t             *cr,
                                 double               width,
                                 double               height,
                                 guint                page)
{
  guint n_pages;

  g_return_if_fail (report != NULL && cr != NULL);

  n_pages = cairn_measures_report_n_pages (report, width, height);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  run_pass (report, cr, width, height, (int) page, NULL, n_pages);
  cairo_restore (cr);
}

/**
 * cairn_measures_report_to_text:
 * @report: a report
 *
 * Returns: (transfer full): the words of the report (A4), one piece a
 *   line, without the charts' labels
 */
char *
cairn_measures_report_to_text (CairnMeasuresReport *report)
{
  GString *text = g_string_new (NULL);
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (report != NULL, g_string_free (text, FALSE));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  run_pass (report, cr, A4_WIDTH, A4_HEIGHT, -1, text, 0);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return g_string_free (text, FALSE);
}

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * cairn_measures_report_write_pdf:
 * @report: a report
 * @path: where to write it; replaced atomically
 * @error: return location for a #GError
 *
 * Draws the report in memory, then writes it to a temporary file beside
 * @path and renames it over @path: nothing half-written is ever left.
 *
 * Returns: whether the PDF is in place
 */
gboolean
cairn_measures_report_write_pdf (CairnMeasuresReport *report,
                                 const char          *path,
                                 GError             **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint n_pages;

  g_return_val_if_fail (report != NULL && path != NULL, FALSE);

  n_pages = cairn_measures_report_n_pages (report, A4_WIDTH, A4_HEIGHT);
  surface = cairo_pdf_surface_create_for_stream (append_to_bytes, pdf, A4_WIDTH, A4_HEIGHT);
  /* No name or title in the metadata: the file's contents are enough. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Cairn");
  cr = cairo_create (surface);
  for (guint page = 0; page < n_pages; page++)
    {
      cairn_measures_report_draw_page (report, cr, A4_WIDTH, A4_HEIGHT, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The measures report could not be drawn: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }

  /* A temporary file beside @path, synced, then renamed over it, whether
   * @path is there or not: g_file_replace_contents() writes a new file in
   * place, and a failure halfway would leave half a report. */
  return g_file_set_contents_full (path, (const char *) pdf->data, (gssize) pdf->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

typedef struct
{
  const char          *user_id;
  const char          *action;
  const char          *patient_id;
  CairnMeasuresReport *report;      /* exporting: written to path */
  const char          *path;
  gboolean             written;
} AuditData;

/* The record first, then the file, in the record's transaction: a file
 * that cannot be written takes its record back with it. */
static gboolean
audit_cb (CairnDatabase  *db,
          gpointer        user_data,
          GError        **error)
{
  AuditData *data = user_data;

  if (!cairn_audit_append (db, data->user_id, data->action, data->patient_id, NULL, error))
    return FALSE;
  if (data->report == NULL)
    return TRUE;
  data->written = cairn_measures_report_write_pdf (data->report, data->path, error);
  return data->written;
}

/**
 * cairn_measures_report_export:
 * @clinical: clinical.db
 * @report: the report
 * @patient_id: whose it is
 * @path: where to write the PDF; replaced atomically
 * @user_id: (nullable): who exports
 * @error: return location for a #GError
 *
 * Writes the PDF and records the export in clinical.db's audit trail, in
 * one transaction: when the file cannot be written nothing is recorded,
 * and when the record cannot be kept the file is removed again: clinical
 * data leaves the vault only with its trace.
 *
 * Returns: whether the PDF is in place and recorded
 */
gboolean
cairn_measures_report_export (CairnDatabase       *clinical,
                              CairnMeasuresReport *report,
                              const char          *patient_id,
                              const char          *path,
                              const char          *user_id,
                              GError             **error)
{
  AuditData data = { user_id, "measures.export", patient_id, report, path, FALSE };

  g_return_val_if_fail (clinical != NULL && report != NULL && patient_id != NULL && path != NULL, FALSE);

  if (!cairn_database_transaction (clinical, audit_cb, &data, error))
    {
      if (data.written)
        g_unlink (path);
      return FALSE;
    }
  return TRUE;
}

/**
 * cairn_measures_report_record_print:
 * @clinical: clinical.db
 * @patient_id: whose report was printed
 * @user_id: (nullable): who printed it
 * @error: return location for a #GError
 *
 * Returns: whether the printing was recorded in the audit trail
 */
gboolean
cairn_measures_report_record_print (CairnDatabase  *clinical,
                                    const char     *patient_id,
                                    const char     *user_id,
                                    GError        **error)
{
  AuditData data = { user_id, "measures.print", patient_id, NULL, NULL, FALSE };

  g_return_val_if_fail (clinical != NULL && patient_id != NULL, FALSE);

  return cairn_database_transaction (clinical, audit_cb, &data, error);
}
