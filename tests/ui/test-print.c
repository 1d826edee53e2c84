/* test-print.c
 *
 * A printout's preview must not leave the pages in the temporary folder:
 * GTK's own preview writes them there as a PDF for a viewer. With
 * cairn_print_operation_keep_private() the preview ends at once and no
 * file is made; without it, the test's own control shows that one is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cairn-print.h"
#include "cairn-test-utils.h"

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                gpointer           user_data)
{
  gtk_print_operation_set_n_pages (operation, 1);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              gpointer           user_data)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);

  cairo_move_to (cr, 72, 72);
  cairo_show_text (cr, "Adaline Quell, PCL-5 41");
}

static guint
count_previews (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "preview") && g_str_has_suffix (name, ".pdf");
  return n;
}

static void
on_done (GtkPrintOperation       *operation,
         GtkPrintOperationResult  result,
         gboolean                *done)
{
  *done = TRUE;
}

static gboolean
is_done (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static guint
preview (gboolean keep_private)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GError) error = NULL;
  guint before = count_previews ();
  GtkPrintOperationResult result;
  gboolean done = FALSE;

  if (keep_private)
    cairn_print_operation_keep_private (operation);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), NULL);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), NULL);
  g_signal_connect (operation, "done", G_CALLBACK (on_done), &done);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PREVIEW, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, !=, GTK_PRINT_OPERATION_RESULT_ERROR);
  /* The preview has ended: whatever it writes is written. */
  g_assert_true (cairn_test_wait_until (is_done, &done, 10000));
  cairn_test_wait_idle (NULL);
  return count_previews () - before;
}

static void
test_preview_writes_nothing (void)
{
  g_assert_cmpuint (preview (TRUE), ==, 0);
}

/* The control: GTK alone does write the pages out. */
static void
test_gtk_preview_writes_a_file (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_cmpuint (preview (FALSE), ==, 1);
  /* Clean up after GTK, which leaves it for the viewer. */
  dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "preview") && g_str_has_suffix (name, ".pdf"))
      {
        g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

        g_unlink (path);
      }
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/print/preview-writes-nothing", test_preview_writes_nothing);
  g_test_add_func ("/print/gtk-preview-writes-a-file", test_gtk_preview_writes_a_file);

  return cairn_test_run ();
}
