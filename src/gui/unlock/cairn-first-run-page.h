/* cairn-first-run-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-vault.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_FIRST_RUN_PAGE (cairn_first_run_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnFirstRunPage, cairn_first_run_page, CAIRN, FIRST_RUN_PAGE, GtkWidget)

void cairn_first_run_page_set_dir        (CairnFirstRunPage    *self,
                                          const char           *dir);
void cairn_first_run_page_set_kdf_params (CairnFirstRunPage    *self,
                                          const CairnKdfParams *params);

G_END_DECLS
