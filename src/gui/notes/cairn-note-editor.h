/* cairn-note-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-agenda.h"
#include "cairn-context.h"
#include "cairn-notes.h"

G_BEGIN_DECLS

/* How long typing must pause before the draft is saved. */
#define CAIRN_NOTE_EDITOR_AUTOSAVE_MS 1000

#define CAIRN_TYPE_NOTE_EDITOR (cairn_note_editor_get_type ())

G_DECLARE_FINAL_TYPE (CairnNoteEditor, cairn_note_editor, CAIRN, NOTE_EDITOR, GtkWidget)

GtkWidget       *cairn_note_editor_new       (CairnContext          *context);
void             cairn_note_editor_open      (CairnNoteEditor       *self,
                                              GHashTable            *user_names,
                                              const char            *patient_id,
                                              const char            *attendees,
                                              const CairnAppointment *appointment,
                                              const CairnNote       *note);
gboolean         cairn_note_editor_flush     (CairnNoteEditor       *self);
void             cairn_note_editor_clear     (CairnNoteEditor       *self);

const CairnNote *cairn_note_editor_get_note  (CairnNoteEditor       *self);
gboolean         cairn_note_editor_get_busy  (CairnNoteEditor       *self);
gboolean         cairn_note_editor_get_dirty (CairnNoteEditor       *self);

G_END_DECLS
