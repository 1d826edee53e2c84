/* cairn-records.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *cairn_record_new_id        (void);
char     *cairn_record_timestamp     (GDateTime   *time);
char     *cairn_record_timestamp_now (void);
void      cairn_record_set_clock     (gint64       unix_usec);

gboolean  cairn_record_parse_day     (const char  *text,
                                      GDate       *day);
char     *cairn_record_format_day    (const GDate *day);

gboolean  cairn_text_is_blank        (const char  *text);
/* Appends a CairnFieldProblem (see cairn-patients.h) to @problems. */
void      cairn_field_problem_add    (GPtrArray   *problems,
                                      const char  *field,
                                      char        *message);

G_END_DECLS
