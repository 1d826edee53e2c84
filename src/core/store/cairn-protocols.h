/* cairn-protocols.h
 *
 * The practice's protocol templates, kept in practice.db: the shipped
 * templates, the practice's own (copies it edits), and which one is in use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"
#include "cairn-protocol.h"

G_BEGIN_DECLS

#define CAIRN_PROTOCOLS_ERROR (cairn_protocols_error_quark ())

typedef enum
{
  CAIRN_PROTOCOLS_ERROR_INVALID,    /* a name another template has; the message starts "name: " */
  CAIRN_PROTOCOLS_ERROR_NOT_FOUND,  /* no template (in use) has that id */
  CAIRN_PROTOCOLS_ERROR_SHIPPED,    /* a shipped template cannot be changed or archived */
  CAIRN_PROTOCOLS_ERROR_ACTIVE,     /* the template in use cannot be archived */
} CairnProtocolsError;

/* One template as the list shows it. */
typedef struct
{
  char     *id;
  char     *name;
  char     *medicine;
  gboolean  shipped;   /* comes with Cairn: duplicate it to change it */
  gboolean  active;    /* the one the practice works with */
} CairnProtocolInfo;

GQuark         cairn_protocols_error_quark   (void);

void           cairn_protocol_info_free      (CairnProtocolInfo  *info);

GPtrArray     *cairn_protocols_list          (CairnDatabase      *practice,
                                              GError            **error);
CairnProtocol *cairn_protocols_load          (CairnDatabase      *practice,
                                              const char         *id,
                                              GError            **error);
gboolean       cairn_protocols_is_shipped    (const char         *id);

gboolean       cairn_protocols_save          (CairnDatabase      *practice,
                                              const char         *json,
                                              gssize              length,
                                              const char         *user_id,
                                              GError            **error);
gboolean       cairn_protocols_save_protocol (CairnDatabase      *practice,
                                              const CairnProtocol *protocol,
                                              const char         *user_id,
                                              GError            **error);
char          *cairn_protocols_duplicate     (CairnDatabase      *practice,
                                              const char         *id,
                                              const char         *user_id,
                                              GError            **error);
char          *cairn_protocols_import        (CairnDatabase      *practice,
                                              const char         *json,
                                              gssize              length,
                                              const char         *user_id,
                                              GError            **error);
gboolean       cairn_protocols_set_active    (CairnDatabase      *practice,
                                              const char         *id,
                                              const char         *user_id,
                                              GError            **error);
gboolean       cairn_protocols_archive       (CairnDatabase      *practice,
                                              const char         *id,
                                              const char         *user_id,
                                              GError            **error);

char          *cairn_protocols_get_active_id (CairnDatabase      *practice,
                                              GError            **error);
/* The template the practice works with: its chosen one, or the default
 * shipped template when it has chosen none. Never NULL without an error. */
CairnProtocol *cairn_protocols_get_active    (CairnDatabase      *practice,
                                              GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnProtocolInfo, cairn_protocol_info_free)

G_END_DECLS
