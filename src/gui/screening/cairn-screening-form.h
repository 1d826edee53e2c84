/* cairn-screening-form.h
 *
 * What the screening forms share: a problem shown right under the field it
 * is about (CairnFieldSet), and a small modal form with Cancel and one
 * action (CairnScreeningDialog) for medications, decisions and overrides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Field name (as CairnFieldProblem names it) → its row and the line under it. */
typedef struct _CairnFieldSet CairnFieldSet;

CairnFieldSet *cairn_field_set_new        (void);
void           cairn_field_set_free       (CairnFieldSet *set);
/* @row is a row already in a GtkListBox: a problem line is put under it. */
void           cairn_field_set_add_row    (CairnFieldSet *set,
                                           const char    *field,
                                           GtkWidget     *row);
/* @widget shows the field (e.g. a text view's card); @label is the line for its problem. */
void           cairn_field_set_add_label  (CairnFieldSet *set,
                                           const char    *field,
                                           GtkWidget     *widget,
                                           GtkLabel      *label);
void           cairn_field_set_clear      (CairnFieldSet *set);
/* Shows each problem (CairnFieldProblem) at its field; returns the message
 * of the first problem whose field is not in @set, or NULL. */
const char    *cairn_field_set_show       (CairnFieldSet *set,
                                           GPtrArray     *problems);
/* As cairn_field_set_show(), for some fields only (NULL-terminated): the
 * others keep what they show. */
const char    *cairn_field_set_show_some  (CairnFieldSet       *set,
                                           const char * const  *fields,
                                           GPtrArray           *problems);
/* The message shown at @field, or NULL. */
const char    *cairn_field_set_get_message (CairnFieldSet *set,
                                            const char    *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnFieldSet, cairn_field_set_free)

#define CAIRN_TYPE_SCREENING_DIALOG (cairn_screening_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CairnScreeningDialog, cairn_screening_dialog, CAIRN, SCREENING_DIALOG, AdwWindow)

CairnScreeningDialog *cairn_screening_dialog_new           (GtkWidget            *parent,
                                                            const char           *title,
                                                            const char           *action_label);
AdwPreferencesGroup  *cairn_screening_dialog_add_group     (CairnScreeningDialog *self,
                                                            const char           *title,
                                                            const char           *description);
/* Adds @row to @group; its problems show under it. */
void                  cairn_screening_dialog_add_field     (CairnScreeningDialog *self,
                                                            AdwPreferencesGroup  *group,
                                                            const char           *field,
                                                            GtkWidget            *row);
/* Shows the problems at their fields, and any other message at the top. */
void                  cairn_screening_dialog_show_problems (CairnScreeningDialog *self,
                                                            GPtrArray            *problems,
                                                            const char           *message);
void                  cairn_screening_dialog_set_busy      (CairnScreeningDialog *self,
                                                            gboolean              busy);
gboolean              cairn_screening_dialog_get_busy      (CairnScreeningDialog *self);
CairnFieldSet        *cairn_screening_dialog_get_fields    (CairnScreeningDialog *self);

G_END_DECLS
