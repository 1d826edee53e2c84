/* cairn-print.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void cairn_print_operation_keep_private (GtkPrintOperation *operation);

G_END_DECLS
