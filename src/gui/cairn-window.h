/* cairn-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_WINDOW (cairn_window_get_type ())

G_DECLARE_FINAL_TYPE (CairnWindow, cairn_window, CAIRN, WINDOW, AdwApplicationWindow)

/* The pages of the navigation, in sidebar order (screens.md). */
#define CAIRN_WINDOW_N_PAGES 6
extern const char * const cairn_window_page_names[CAIRN_WINDOW_N_PAGES];

CairnWindow *cairn_window_new                (CairnContext     *context,
                                              GtkApplication   *application);
const char  *cairn_window_get_visible_page   (CairnWindow      *self);
gboolean     cairn_window_get_folded         (CairnWindow      *self);
const char  *cairn_window_get_mode           (CairnWindow      *self);

G_END_DECLS
