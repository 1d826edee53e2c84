/* cairn-ical.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *uid;
  gint64      start;       /* UTC seconds */
  gint64      end;
  const char *summary;
  const char *location;    /* nullable */
  gboolean    cancelled;
} CairnIcalEvent;

char *cairn_ical_build    (const CairnIcalEvent *events,
                           guint                 n_events,
                           gint64                stamp);
char *cairn_ical_initials (const char           *name);

G_END_DECLS
