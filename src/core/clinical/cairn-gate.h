/* cairn-gate.h
 *
 * The eligibility gate: a pure function of the clinical state and the template.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

G_END_DECLS
