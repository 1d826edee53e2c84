/* bench-week-view.c
 *
 * How long the Schedule page's week grid takes to draw a frame with a busy
 * week on it: 200 appointments over seven days, medicine sessions among
 * them, in a 1280×800 window. A frame here is what GTK does for the grid:
 * the widget's snapshot, then the render node drawn with cairo (the
 * slowest renderer, which the tests use too). Prints the median, the 95th
 * percentile and the worst of many frames; asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cairn-schedule-view.h"

#define APPOINTMENTS 200
#define FRAMES 200

static const char * const types[] = { "screening", "preparation", "integration", "phone-check-in", "follow-up" };
static const char * const names[] = { "Adaline Quell", "Bruno Okafor", "Mina", "Eun-ji Park", "Farah Haddad",
                                      "Maximiliane Konstanze Friederike von Hohenberg-Adlersfeld", "Hannah Osei" };

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean
allocated (GtkWidget *widget)
{
  return gtk_widget_get_width (widget) > 600;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_agenda_item_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261130);
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWidget *window, *scroller, *view;
  GDate monday;
  cairo_surface_t *surface;
  guint medicine = 0;

  gtk_init ();
  adw_init ();
  protocol = cairn_protocol_load_default ();

  g_date_clear (&monday, 1);
  g_date_set_dmy (&monday, 30, 11, 2026);

  /* Two medicine sessions a day on weekdays, and the rest short
   * appointments packed into the days. */
  for (guint i = 0; i < APPOINTMENTS; i++)
    {
      CairnAgendaItem *item = g_new0 (CairnAgendaItem, 1);
      CairnAppointment *a = item->appointment = cairn_appointment_new ();
      int day = i % 7;
      gboolean long_one = day < 5 && medicine < 10 && i % 20 < 2;
      int minute = long_one ? 9 * 60 : 8 * 60 + g_rand_int_range (rand, 0, 40) * 15;
      int length = long_one ? 480 : (int) (g_rand_int_range (rand, 1, 7) * 15);
      g_autoptr(GDateTime) start = g_date_time_new (zone, 2026, 11, 30, 0, 0, 0);
      g_autoptr(GDateTime) at = g_date_time_add_minutes (start, day * 24 * 60 + minute);

      medicine += long_one;
      a->id = g_strdup_printf ("a%u", i);
      a->type_id = g_strdup (long_one ? "medicine-session" : types[i % G_N_ELEMENTS (types)]);
      a->start = g_date_time_to_unix (at);
      a->end = a->start + length * 60;
      if (i % 17 == 0)
        {
          g_free (a->status);
          a->status = g_strdup ("cancelled");
        }
      item->patient = g_strdup (names[i % G_N_ELEMENTS (names)]);
      item->room = g_strdup (i % 3 == 0 ? "Garden Room" : "Room 1");
      item->staff = g_strdup ("Dr Ada Quell");
      g_ptr_array_add (items, item);
    }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  scroller = gtk_scrolled_window_new ();
  view = cairn_schedule_view_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  cairn_schedule_view_set_protocol (CAIRN_SCHEDULE_VIEW (view), protocol);
  cairn_schedule_view_set_range (CAIRN_SCHEDULE_VIEW (view), zone, &monday, 7);
  cairn_schedule_view_set_items (CAIRN_SCHEDULE_VIEW (view), items, NULL);
  gtk_window_present (GTK_WINDOW (window));
  while (!allocated (view))
    g_main_context_iteration (NULL, TRUE);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_width (view),
                                        gtk_widget_get_height (view));
  for (guint f = 0; f < FRAMES + 10; f++)
    {
      gint64 t0 = g_get_monotonic_time ();
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      cairo_t *cr;
      double ms;

      GTK_WIDGET_GET_CLASS (view)->snapshot (view, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      cr = cairo_create (surface);
      if (node != NULL)
        gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      /* The first frames warm the font caches. */
      if (f >= 10)
        g_array_append_val (times, ms);
    }
  cairo_surface_destroy (surface);

  g_array_sort (times, compare_doubles);
  g_print ("week view, %u appointments (%u medicine sessions), %d×%d px, %u frames\n", items->len, medicine,
           gtk_widget_get_width (view), gtk_widget_get_height (view), times->len);
  g_print ("frame (snapshot + cairo render): median %.2f ms, p95 %.2f ms, worst %.2f ms\n",
           g_array_index (times, double, times->len / 2), g_array_index (times, double, times->len * 95 / 100),
           g_array_index (times, double, times->len - 1));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
