/* cairn-records.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cairn_record_new_id        (void);
char *cairn_record_timestamp     (GDateTime *time);
char *cairn_record_timestamp_now (void);
void  cairn_record_set_clock     (gint64     unix_usec);

G_END_DECLS
