/* cairn-print.c
 *
 * What every printout of Cairn's must do: nothing of a patient may leave
 * the vault except on paper or in the file the user chose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-print"

#include "config.h"

#include "cairn-print.h"

/* GTK's own preview renders the pages into a PDF in the temporary folder
 * and hands it to a viewer, where it outlives the print dialog. Cairn
 * takes the preview over and ends it at once: the print dialog stays, and
 * nothing is written outside the vault. */
static gboolean
end_preview_cb (gpointer user_data)
{
  gtk_print_operation_preview_end_preview (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_preview_cb (GtkPrintOperation        *operation,
               GtkPrintOperationPreview *preview,
               GtkPrintContext          *context,
               GtkWindow                *parent,
               gpointer                  user_data)
{
  /* GTK still paginates a preview it was told is taken over, and wants a
   * surface for it: a pixel in memory, drawn on by nothing. */
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  gtk_print_context_set_cairo_context (context, cr, 72, 72);
  g_object_set_data_full (G_OBJECT (operation), "cairn-preview-cairo", cr, (GDestroyNotify) cairo_destroy);
  /* Ended once GTK has finished setting the preview up. */
  g_idle_add_full (G_PRIORITY_DEFAULT, end_preview_cb, g_object_ref (preview), g_object_unref);
  return TRUE;
}

/**
 * cairn_print_operation_keep_private:
 * @operation: a print operation about to run
 *
 * Lets @operation print, and never write a preview file.
 */
void
cairn_print_operation_keep_private (GtkPrintOperation *operation)
{
  g_return_if_fail (GTK_IS_PRINT_OPERATION (operation));

  g_signal_connect (operation, "preview", G_CALLBACK (on_preview_cb), NULL);
}
