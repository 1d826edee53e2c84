/* cairn-test-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-application.h"

G_BEGIN_DECLS

typedef gboolean (*CairnTestCondition) (gpointer user_data);
typedef void     (*CairnTestLogFunc)   (GLogLevelFlags   log_level,
                                        const GLogField *fields,
                                        gsize            n_fields,
                                        gpointer         user_data);

#define CAIRN_TEST_CLINICIAN        "Dr Ada Quell"
#define CAIRN_TEST_PASSPHRASE       "lantern orchard fiddle 42"
#define CAIRN_TEST_DESK             "Front Desk"
#define CAIRN_TEST_DESK_PASSPHRASE  "saffron tunnel mosaic 7"

extern const CairnKdfParams cairn_test_kdf_params;

void              cairn_test_init_gtk        (int                *argc,
                                              char             ***argv);
int               cairn_test_run             (void);
void              cairn_test_capture_log     (CairnTestLogFunc    func,
                                              gpointer            user_data);
CairnApplication *cairn_test_get_application (void);
CairnContext     *cairn_test_get_context     (void);
void              cairn_test_reset           (void);
gboolean          cairn_test_wait_until      (CairnTestCondition  condition,
                                              gpointer            user_data,
                                              guint               timeout_ms);
void              cairn_test_iterate         (guint               ms);
void              cairn_test_wait_idle       (CairnVault         *vault);
void              cairn_test_wait_painted    (GtkWidget          *widget);
GtkWindow        *cairn_test_find_toplevel   (GType               type);
GtkWindow        *cairn_test_wait_for_toplevel (GType             type);
void              cairn_test_wait_toplevel_gone (GType            type);
GtkWidget        *cairn_test_find_descendant (GtkWidget          *root,
                                              GType               type,
                                              const char         *css_class);

const char       *cairn_test_vault_dir       (void);
void              cairn_test_ensure_vault    (void);
void              cairn_test_remove_vault    (void);
CairnVault       *cairn_test_unlock          (CairnRole           role);
gpointer          cairn_test_run_job         (CairnVault         *vault,
                                              CairnVaultJob       job,
                                              gpointer            data);
void              cairn_test_exec            (CairnVault         *vault,
                                              const char         *sql);
gboolean          cairn_test_loader_failed   (gpointer            root);
gboolean          cairn_test_unmapped        (gpointer            widget);
char             *cairn_test_add_patient     (CairnDatabase      *db,
                                              const char         *legal_name,
                                              const char         *preferred_name,
                                              const char         *user_id,
                                              GError            **error);
char             *cairn_test_book            (CairnDatabase      *db,
                                              const char         *patient_id,
                                              const char         *type_id,
                                              gint64              start,
                                              int                 minutes,
                                              const char         *room_id,
                                              const char         *staff_id,
                                              const char         *user_id,
                                              GError            **error);

char             *cairn_test_audit_footer_entry (CairnDatabase   *db,
                                                 const char      *text);

GtkWidget        *cairn_test_find_button     (GtkWidget          *root,
                                              const char         *label);
GtkWidget        *cairn_test_find_row        (GtkWidget          *root,
                                              const char         *title);
GtkWidget        *cairn_test_find_text       (GtkWidget          *root,
                                              const char         *text);
GtkWidget        *cairn_test_wait_for_text   (GtkWidget          *root,
                                              const char         *text);
void              cairn_test_type            (GtkWidget          *root,
                                              const char         *title,
                                              const char         *text);
void              cairn_test_click           (GtkWidget          *root,
                                              const char         *label);
void              cairn_test_select          (GtkWidget          *root,
                                              const char         *title,
                                              const char         *item);

G_END_DECLS
