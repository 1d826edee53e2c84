/* cairn-unlock-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-vault.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_UNLOCK_PAGE (cairn_unlock_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnUnlockPage, cairn_unlock_page, CAIRN, UNLOCK_PAGE, GtkWidget)

void     cairn_unlock_page_set_dir     (CairnUnlockPage *self,
                                        const char      *dir);
void     cairn_unlock_page_reset       (CairnUnlockPage *self);
gboolean cairn_unlock_page_get_busy    (CairnUnlockPage *self);
void     cairn_unlock_page_set_hint    (CairnUnlockPage *self,
                                        const char      *hint,
                                        const char      *user);

G_END_DECLS
