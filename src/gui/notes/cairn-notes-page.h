/* cairn-notes-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-note-editor.h"
#include "cairn-context.h"
#include "cairn-patients.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_NOTES_PAGE (cairn_notes_page_get_type ())

G_DECLARE_FINAL_TYPE (CairnNotesPage, cairn_notes_page, CAIRN, NOTES_PAGE, GtkWidget)

/* Shows the patient's records, read on the worker of the context's vault
 * (the "context" property); the page holds a reference to that vault until
 * cleared. */
void cairn_notes_page_load  (CairnNotesPage         *self,
                              const CairnPatient *patient);
/* Forgets everything shown and drops the vault (on lock, or another
 * patient). A draft typed and not yet saved is saved first. */
void cairn_notes_page_clear (CairnNotesPage         *self);

/* For tests and pictures. */
void             cairn_notes_page_set_now    (CairnNotesPage *self,
                                              gint64          now);
gboolean         cairn_notes_page_get_busy   (CairnNotesPage *self);
gboolean         cairn_notes_page_get_loaded (CairnNotesPage *self);
CairnNoteEditor *cairn_notes_page_get_editor (CairnNotesPage *self);

G_END_DECLS
