/* cairn-schedule-screen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cairn-agenda.h"
#include "cairn-audit.h"
#include "cairn-protocol.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

/* What the Schedule page shows, read in one go: the practice's rules
 * (when asked for: they give the zone the range is counted in) and the
 * appointments of the range. */
typedef struct
{
  CairnPracticeRules *rules;   /* NULL unless asked for */
  GDate               today;   /* the practice's by the time given, with the rules */
  GPtrArray          *items;   /* CairnAgendaItem of the range, by start; NULL for an empty range */
  GHashTable         *clashes; /* of items booked over one another: id → CairnConflictKind */
} CairnScheduleScreen;

/* A day sheet read for printing: its lines and what its pages say. */
typedef struct
{
  GDate           day;
  char           *practice;    /* the practice's name */
  GTimeZone      *zone;        /* the practice's */
  GPtrArray      *rows;        /* CairnDayRow, by start */
  CairnAuditHead  audit_head;  /* practice.db's, when the rows were read */
} CairnScheduleSheet;

CairnScheduleScreen *cairn_schedule_screen_load         (CairnVault           *vault,
                                                         gint64                from,
                                                         gint64                to,
                                                         gboolean              with_rules,
                                                         gint64                now,
                                                         GError              **error);
void                 cairn_schedule_screen_free         (CairnScheduleScreen  *screen);

/* A move, checked before it is written: one that clashes fails with
 * CAIRN_SCHEDULE_ERROR_CONFLICT, whose message says what it clashes with,
 * unless a reason is given. */
void                 cairn_schedule_move_async          (CairnVault           *vault,
                                                         CairnProtocol        *protocol,
                                                         const char           *appointment_id,
                                                         gint64                start,
                                                         gint64                end,
                                                         gboolean              with_followers,
                                                         const char           *reason,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean             cairn_schedule_move_finish         (CairnVault           *vault,
                                                         GAsyncResult         *result,
                                                         guint                *n_moved,
                                                         GError              **error);
void                 cairn_schedule_count_following_async         (CairnVault          *vault,
                                                                   const char          *appointment_id,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
int                  cairn_schedule_count_following_finish        (CairnVault          *vault,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

/* The day sheet saved as a PDF and a calendar exported as iCalendar, each
 * written whole and audited: answered with the path written. */
void                 cairn_schedule_save_day_sheet_async          (CairnVault          *vault,
                                                                   const GDate         *day,
                                                                   CairnProtocol       *protocol,
                                                                   const char          *path,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
void                 cairn_schedule_export_calendar_async         (CairnVault          *vault,
                                                                   const char          *staff_id,
                                                                   gint64               from,
                                                                   gint64               to,
                                                                   CairnProtocol       *protocol,
                                                                   gboolean             with_names,
                                                                   const char          *path,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
char                *cairn_schedule_export_finish                 (CairnVault          *vault,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);
/* Records in the audit trail that the day sheet was printed. */
void                 cairn_schedule_record_print_async            (CairnVault          *vault,
                                                                   const GDate         *day,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
gboolean             cairn_schedule_record_print_finish           (CairnVault          *vault,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

void                 cairn_schedule_read_day_sheet_async          (CairnVault          *vault,
                                                                   const GDate         *day,
                                                                   CairnProtocol       *protocol,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
CairnScheduleSheet  *cairn_schedule_read_day_sheet_finish         (CairnVault          *vault,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);
void                 cairn_schedule_sheet_free                    (CairnScheduleSheet  *sheet);

/* Everyone on the staff (CairnNamed), for the calendar export to ask whose. */
void                 cairn_schedule_list_staff_async              (CairnVault          *vault,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
GPtrArray           *cairn_schedule_list_staff_finish             (CairnVault          *vault,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnScheduleScreen, cairn_schedule_screen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnScheduleSheet, cairn_schedule_sheet_free)

G_END_DECLS
