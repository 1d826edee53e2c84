/* cairn-day-sheet.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "cairn-audit.h"
#include "cairn-database.h"

G_BEGIN_DECLS

/* One line of the front desk's day sheet. */
typedef struct
{
  gint64  start;        /* UTC seconds */
  gint64  end;
  char   *patient;      /* as the front desk calls them; NULL for staff time */
  char   *chart_number;
  char   *kind;         /* the appointment type's name */
  char   *room;
  char   *staff;        /* names, comma-separated */
  char   *status;
} CairnDayRow;

void       cairn_day_row_free          (CairnDayRow           *row);
GPtrArray *cairn_day_sheet_rows        (CairnDatabase         *db,
                                        const GDate           *day,
                                        GHashTable            *type_names,
                                        GTimeZone            **out_zone,
                                        GError               **error);
void       cairn_day_sheet_draw        (cairo_t               *cr,
                                        double                 width,
                                        double                 height,
                                        const char            *practice,
                                        const GDate           *day,
                                        GTimeZone             *zone,
                                        GPtrArray             *rows,
                                        const CairnAuditHead  *audit_head,
                                        guint                  first_row,
                                        guint                 *next_row);
gboolean   cairn_day_sheet_write_pdf   (const char            *path,
                                        const char            *practice,
                                        const GDate           *day,
                                        GTimeZone             *zone,
                                        GPtrArray             *rows,
                                        const CairnAuditHead  *audit_head,
                                        GError               **error);

gboolean   cairn_day_sheet_record      (CairnDatabase         *db,
                                        const GDate           *day,
                                        gboolean               printed,
                                        const char            *user_id,
                                        GError               **error);
gboolean   cairn_day_sheet_export      (CairnDatabase         *db,
                                        const GDate           *day,
                                        const char            *practice,
                                        GHashTable            *type_names,
                                        const char            *path,
                                        const char            *user_id,
                                        GError               **error);

G_END_DECLS
