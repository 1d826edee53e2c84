/* cairn-hardening.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CAIRN_HARDENING_ERROR (cairn_hardening_error_quark ())

typedef enum
{
  CAIRN_HARDENING_ERROR_FAILED,
} CairnHardeningError;

GQuark   cairn_hardening_error_quark        (void);
gboolean cairn_hardening_disable_core_dumps (GError **error);
gboolean cairn_hardening_core_dumps_disabled (void);

G_END_DECLS
