/* cairn-notes.h
 *
 * Session notes, addenda and phone check-ins in clinical.db.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

G_END_DECLS
