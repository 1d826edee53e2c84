/* cairn-instruments.h
 *
 * Outcome-measure instruments: items, answer choices, scoring, severity bands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

G_END_DECLS
