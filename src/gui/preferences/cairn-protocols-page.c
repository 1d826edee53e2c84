/* cairn-protocols-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-preferences"

#include "config.h"

#include "cairn-protocols-page.h"
