/* bench-journey.c
 *
 * What a clinician waits for on the clinical tabs, over the demo practice:
 * the Journey tab's read (appointments, screening, notes, phone check-ins,
 * measures, the gate; every read audited) for each of its patients, the
 * Measures tab's read, and one chart with a year of measures drawn at 1280
 * and 360 px. Prints medians and the 95th percentile; asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>

#include "cairn-demo.h"
#include "cairn-instruments.h"
#include "cairn-journey.h"
#include "cairn-measure-chart.h"
#include "cairn-measures.h"
#include "cairn-patients.h"
#include "cairn-test-tree.h"
#include "cairn-vfs.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms)
{
  g_array_sort (ms, compare_doubles);
  g_print ("%-44s median %7.2f ms   p95 %7.2f ms   max %7.2f ms   (n=%u)\n", what,
           g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, MIN (ms->len - 1, ms->len * 95 / 100)),
           g_array_index (ms, double, ms->len - 1), ms->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("cairn-bench-journey-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "demo", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(CairnVault) vault = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GArray) journey_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) measures_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *user_id = NULL;
  g_autofree char *richest = NULL;
  guint most = 0;
  gint64 t0;

  if (tmp == NULL || !cairn_vfs_init (&error))
    g_error ("%s", error->message);

  t0 = g_get_monotonic_time ();
  if (!cairn_demo_create (dir, now, &error))
    g_error ("The demo practice was not made: %s", error->message);
  g_print ("%-44s %7.0f ms\n", "make the demo practice (with its records)",
           (g_get_monotonic_time () - t0) / 1000.0);

  vault = cairn_vault_unlock (dir, CAIRN_DEMO_USER, CAIRN_DEMO_PASSPHRASE, &error);
  if (vault == NULL)
    g_error ("%s", error->message);
  user_id = cairn_vault_get_user_id (vault);
  patients = cairn_patients_search (cairn_vault_get_practice (vault), NULL, FALSE, 0, &error);

  for (guint i = 0; i < patients->len; i++)
    {
      const CairnPatientSummary *patient = g_ptr_array_index (patients, i);
      g_autoptr(CairnJourney) journey = NULL;
      g_autoptr(GPtrArray) measures = NULL;
      double ms;

      t0 = g_get_monotonic_time ();
      journey = cairn_journey_load (vault, patient->id, g_date_time_to_unix (now), &error);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      if (journey == NULL)
        g_error ("%s", error->message);
      g_array_append_val (journey_ms, ms);

      t0 = g_get_monotonic_time ();
      measures = cairn_measures_list (cairn_vault_get_clinical (vault), patient->id, user_id, &error);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      if (measures == NULL)
        g_error ("%s", error->message);
      g_array_append_val (measures_ms, ms);
      if (measures->len > most)
        {
          most = measures->len;
          g_free (richest);
          richest = g_strdup (patient->id);
        }
    }
  report ("Journey tab read, per patient", journey_ms);
  report ("Measures tab read, per patient", measures_ms);

  /* The chart of the patient with the most measures. */
  {
    g_autoptr(GPtrArray) measures = cairn_measures_list (cairn_vault_get_clinical (vault), richest, user_id, &error);
    const CairnInstrument *instrument = cairn_instrument_find ("pcl-5");
    g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CairnChartPoint));
    const int widths[] = { 1280, 360 };
    CairnChartStyle style;

    cairn_measure_chart_style_init (&style, FALSE);
    for (guint i = 0; i < measures->len; i++)
      {
        const CairnMeasure *m = g_ptr_array_index (measures, i);
        GDate day;
        CairnChartPoint point;

        if (g_strcmp0 (m->instrument, "pcl-5") != 0 || m->total < 0)
          continue;
        g_date_clear (&day, 1);
        g_date_set_parse (&day, m->taken_on);
        point.julian = g_date_get_julian (&day);
        point.total = m->total;
        g_array_append_val (points, point);
      }
    for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
      {
        g_autoptr(GArray) draw_ms = g_array_new (FALSE, FALSE, sizeof (double));
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, widths[w], 320);
        g_autofree char *what = g_strdup_printf ("PCL-5 chart, %u points, %d px wide", points->len, widths[w]);

        for (guint k = 0; k < 200; k++)
          {
            cairo_t *cr = cairo_create (surface);
            double ms;

            t0 = g_get_monotonic_time ();
            cairn_measure_chart_draw (cr, widths[w], 320, instrument, &style,
                                      (const CairnChartPoint *) points->data, points->len, NULL, 0);
            cairo_surface_flush (surface);
            ms = (g_get_monotonic_time () - t0) / 1000.0;
            cairo_destroy (cr);
            g_array_append_val (draw_ms, ms);
          }
        cairo_surface_destroy (surface);
        report (what, draw_ms);
      }
  }

  g_clear_object (&vault);
  cairn_test_remove_tree (tmp);
  return 0;
}
