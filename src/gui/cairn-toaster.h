/* cairn-toaster.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CAIRN_TYPE_TOASTER (cairn_toaster_get_type ())

G_DECLARE_FINAL_TYPE (CairnToaster, cairn_toaster, CAIRN, TOASTER, GObject)

/**
 * CairnToastAction:
 * @user_data: the data given with the toast
 *
 * What a toast's button does (Undo).
 */
typedef void (*CairnToastAction) (gpointer user_data);

CairnToaster *cairn_toaster_new             (GtkWidget        *target);
void          cairn_toaster_say             (CairnToaster     *self,
                                             const char       *text);
void          cairn_toaster_say_with_action (CairnToaster     *self,
                                             const char       *text,
                                             const char       *button_label,
                                             guint             timeout,
                                             CairnToastAction  action,
                                             gpointer          user_data,
                                             GDestroyNotify    destroy);
void          cairn_toaster_dismiss         (CairnToaster     *self);
AdwToast     *cairn_toaster_get_toast       (CairnToaster     *self);

G_END_DECLS
