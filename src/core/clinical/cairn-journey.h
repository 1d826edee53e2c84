/* cairn-journey.h
 *
 * Where a patient is in the course, and what needs a clinician.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

G_END_DECLS
