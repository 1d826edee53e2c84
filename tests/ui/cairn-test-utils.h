/* cairn-test-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-application.h"

G_BEGIN_DECLS

typedef gboolean (*CairnTestCondition) (gpointer user_data);

void              cairn_test_init_gtk        (int                *argc,
                                              char             ***argv);
int               cairn_test_run             (void);
CairnApplication *cairn_test_get_application (void);
void              cairn_test_reset           (void);
gboolean          cairn_test_wait_until      (CairnTestCondition  condition,
                                              gpointer            user_data,
                                              guint               timeout_ms);
void              cairn_test_iterate         (guint               ms);
GtkWindow        *cairn_test_find_toplevel   (GType               type);
GtkWidget        *cairn_test_find_descendant (GtkWidget          *root,
                                              GType               type,
                                              const char         *css_class);

G_END_DECLS
