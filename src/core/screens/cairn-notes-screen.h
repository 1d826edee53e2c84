/* cairn-notes-screen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cairn-agenda.h"
#include "cairn-notes.h"
#include "cairn-protocol.h"
#include "cairn-vault.h"

G_BEGIN_DECLS

/* What the Notes tab shows of one patient, read in one go. The three
 * lists of appointments point into items. */
typedef struct
{
  char          *patient_id;
  CairnProtocol *protocol;     /* the practice's, for the kinds' names and note sections */
  GTimeZone     *zone;         /* the practice's */
  GHashTable    *user_names;   /* user id → name, for who wrote and signed */
  GPtrArray     *items;        /* CairnAgendaItem: the patient's appointments */
  GPtrArray     *sessions;     /* of items: those that take a note, up to the end of today, newest first */
  GPtrArray     *calls;        /* of items: phone check-ins, not cancelled, by time */
  GPtrArray     *medicine;     /* of items: medicine sessions held or booked, by time */
  GPtrArray     *notes;        /* CairnNote */
  GPtrArray     *check_ins;    /* CairnPhoneCheckIn */
} CairnNotesScreen;

CairnNotesScreen        *cairn_notes_screen_load         (CairnVault             *vault,
                                                          const char             *patient_id,
                                                          gint64                  now,
                                                          GError                **error);
void                     cairn_notes_screen_free         (CairnNotesScreen       *screen);
const CairnNote         *cairn_notes_screen_note_for     (const CairnNotesScreen *screen,
                                                          const char             *appointment_id);
const CairnPhoneCheckIn *cairn_notes_screen_check_in_for (const CairnNotesScreen *screen,
                                                          const char             *appointment_id);

/* What a note's save answers: the draft as saved, and, once signed or
 * added to, the note as the vault has it now. */
typedef struct
{
  char       *note_id;         /* the note saved, or added to */
  char       *patient_id;
  char       *appointment_id;
  char       *type_id;
  char       *attendees;
  GHashTable *sections;        /* section id → text, as saved; NULL for an addendum */
  CairnNote  *note;            /* signed, or with the addendum; NULL for a draft */
} CairnNoteSaved;

void                     cairn_note_saved_free           (CairnNoteSaved         *saved);

/* The tab's writes, each on the vault's worker, one transaction with its
 * audit entry; they need the clinical key. */
void                     cairn_notes_save_async          (CairnVault             *vault,
                                                          const char             *patient_id,
                                                          const char             *appointment_id,
                                                          const char             *type_id,
                                                          const char             *attendees,
                                                          GHashTable             *sections,
                                                          CairnProtocol          *sign_with,
                                                          GCancellable           *cancellable,
                                                          GAsyncReadyCallback     callback,
                                                          gpointer                user_data);
void                     cairn_notes_add_addendum_async  (CairnVault             *vault,
                                                          const char             *note_id,
                                                          const char             *text,
                                                          GCancellable           *cancellable,
                                                          GAsyncReadyCallback     callback,
                                                          gpointer                user_data);
CairnNoteSaved          *cairn_notes_save_finish         (CairnVault             *vault,
                                                          GAsyncResult           *result,
                                                          GError                **error);
void                     cairn_notes_record_check_in_async  (CairnVault              *vault,
                                                             const CairnPhoneCheckIn *check_in,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
CairnPhoneCheckIn       *cairn_notes_record_check_in_finish (CairnVault              *vault,
                                                             GAsyncResult            *result,
                                                             GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnNotesScreen, cairn_notes_screen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnNoteSaved, cairn_note_saved_free)

G_END_DECLS
