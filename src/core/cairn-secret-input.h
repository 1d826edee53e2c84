/* cairn-secret-input.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cairn_secret_read_line (int          fd,
                              const char  *prompt,
                              GError     **error);
void  cairn_secret_free      (char        *secret);


G_END_DECLS
