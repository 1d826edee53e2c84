/* cairn-measure-chart.h
 *
 * A chart of one instrument's totals over time, drawn with cairo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

G_END_DECLS
