/* cairn-protocols.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-store"

#include "config.h"

#include "cairn-protocols.h"

/* Placeholder until practices keep their own templates. */
CairnProtocol *
cairn_protocols_get_active (CairnDatabase  *practice,
                            GError        **error)
{
  g_return_val_if_fail (practice != NULL, NULL);

  return cairn_protocol_load_default ();
}
