/* cairn-records.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A problem with one field of a form, said so that it can stand next to it. */
typedef struct
{
  const char *field;          /* the member's name, e.g. "date_of_birth" */
  char       *message;
} CairnFieldProblem;


char     *cairn_record_new_id        (void);
char     *cairn_record_timestamp     (GDateTime   *time);
char     *cairn_record_timestamp_now (void);
void      cairn_record_set_clock     (gint64       unix_usec);

gboolean  cairn_record_parse_day     (const char  *text,
                                      GDate       *day);
char     *cairn_record_format_day    (const GDate *day);

gboolean  cairn_text_is_blank        (const char  *text);
void      cairn_field_problem_add    (GPtrArray   *problems,
                                      const char  *field,
                                      char        *message);
void      cairn_field_problem_free   (CairnFieldProblem *problem);

G_END_DECLS
