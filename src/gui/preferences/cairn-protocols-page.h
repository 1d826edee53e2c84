/* cairn-protocols-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_PROTOCOLS_PAGE (cairn_protocols_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnProtocolsPage, cairn_protocols_page, CAIRN, PROTOCOLS_PAGE,
                      AdwPreferencesPage)

CairnProtocolsPage *cairn_protocols_page_new         (CairnContext       *context);
gboolean            cairn_protocols_page_get_busy    (CairnProtocolsPage *self);
void                cairn_protocols_page_import_file (CairnProtocolsPage *self,
                                                      GFile              *file);
void                cairn_protocols_page_export_file (CairnProtocolsPage *self,
                                                      const char         *id,
                                                      GFile              *file);

G_END_DECLS
