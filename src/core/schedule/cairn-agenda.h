/* cairn-agenda.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"
#include "cairn-schedule.h"

G_BEGIN_DECLS

/* One appointment as a calendar shows it: the appointment itself and the
 * names that go with its ids. Front-desk data only. */
typedef struct
{
  CairnAppointment *appointment;
  char             *patient;       /* preferred name, else legal name; NULL for staff time */
  char             *chart_number;
  char             *room;
  char             *staff;         /* names, comma-separated */
  guint             lane;          /* set by cairn_agenda_layout() */
  guint             n_lanes;
} CairnAgendaItem;

/* Something with an id and a name to choose from: a room, a staff member. */
typedef struct
{
  char    *id;
  char    *name;
  gboolean clinician;   /* staff: may lead a session */
} CairnNamed;

void        cairn_agenda_item_free    (CairnAgendaItem *item);
void        cairn_named_free          (CairnNamed      *named);

GPtrArray  *cairn_agenda_list         (CairnDatabase   *db,
                                       gint64           from,
                                       gint64           to,
                                       GError         **error);
GPtrArray  *cairn_agenda_list_for_patient (CairnDatabase *db,
                                           const char    *patient_id,
                                           gint64         from,
                                           guint          limit,
                                           GError       **error);
CairnAgendaItem *cairn_agenda_get    (CairnDatabase   *db,
                                      const char      *id,
                                      GError         **error);
GHashTable *cairn_agenda_find_clashes (GPtrArray       *items);
GPtrArray  *cairn_agenda_list_rooms   (CairnDatabase   *db,
                                       GError         **error);
GPtrArray  *cairn_agenda_list_staff   (CairnDatabase   *db,
                                       GError         **error);
gboolean    cairn_agenda_parse_when   (const char      *date,
                                       const char      *time,
                                       const char      *length,
                                       GTimeZone       *zone,
                                       gint64          *start,
                                       gint64          *end,
                                       GPtrArray       *problems);
void        cairn_agenda_layout       (GPtrArray       *items);
int         cairn_agenda_count_clinicians (CairnDatabase      *db,
                                           const char * const *staff_ids,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnAgendaItem, cairn_agenda_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnNamed, cairn_named_free)

G_END_DECLS
