/* bench-baseline-window.c
 *
 * The yardstick for bench-startup: an empty AdwApplicationWindow in a
 * single-instance AdwApplication, as large as Cairn's window opens, which
 * prints the same first-frame stamp as Cairn and quits. Whatever Cairn
 * takes beyond this is Cairn's own: painting a window of that size is not
 * (with the cairo renderer it is some 60 ms of the first frame here).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "cairn-window-geometry.h"

static void
on_after_paint_cb (GdkFrameClock *clock,
                   GApplication  *app)
{
  g_print ("cairn-first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, app);
  g_application_quit (app);
}

static void
on_realize_cb (GtkWidget    *window,
               GApplication *app)
{
  g_signal_connect_after (gtk_widget_get_frame_clock (window), "after-paint",
                          G_CALLBACK (on_after_paint_cb), app);
}

static void
on_activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), CAIRN_WINDOW_DEFAULT_WIDTH, CAIRN_WINDOW_DEFAULT_HEIGHT);

  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("app.cairn.BenchBaseline",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
