/* cairn-notes.h
 *
 * Session notes, addenda and phone check-ins in clinical.db.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cairn-database.h"
#include "cairn-protocol.h"

G_BEGIN_DECLS

#define CAIRN_NOTES_ERROR (cairn_notes_error_quark ())

typedef enum
{
  CAIRN_NOTES_ERROR_INVALID,     /* a field problem: an empty note, a required section, a call in the future */
  CAIRN_NOTES_ERROR_SIGNED,      /* the note is signed: it can no longer change */
  CAIRN_NOTES_ERROR_NOT_SIGNED,  /* an addendum to a note that is still a draft */
  CAIRN_NOTES_ERROR_NOT_FOUND,
} CairnNotesError;

/* The section of a note whose appointment type has no sections in the
 * protocol template: one free text. */
#define CAIRN_NOTE_FREE_TEXT_SECTION "note"

typedef enum
{
  CAIRN_NOTE_DRAFT,
  CAIRN_NOTE_SIGNED,
} CairnNoteState;

/* A dated, signed addition to a signed note. Never changes once written. */
typedef struct
{
  char *id;
  char *text;
  char *created_at;        /* UTC ISO 8601 ms; also when it was signed */
  char *author;            /* user id */
  char *signed_by;         /* user id; the author */
} CairnNoteAddendum;

/* One session note: one per appointment. */
typedef struct
{
  char          *id;
  char          *patient_id;
  char          *appointment_id;
  char          *type_id;          /* the appointment type when the note was written */
  CairnNoteState state;
  char          *attendees;        /* free text, e.g. "A. Therapist, B. Therapist, the patient" */
  GHashTable    *sections;         /* section id → text (char *); never NULL. Text is kept
                                    * under its id even when the template no longer has it */
  char          *created_at;
  char          *updated_at;
  char          *author;           /* user id of who started it; never changes */
  char          *signed_at;        /* NULL while a draft */
  char          *signed_by;        /* user id; NULL while a draft */
  GPtrArray     *addenda;          /* CairnNoteAddendum, oldest first; never NULL */
  char          *updated_by;       /* user id of who saved it last; NULL before version 5 */
} CairnNote;

/* A problem with one part of a form, said so that it can stand next to it:
 * a section id of a note ("intentions", CAIRN_NOTE_FREE_TEXT_SECTION), or a
 * field of a phone check-in ("called_at", "note", "follow_up_action"), or
 * "text" for an addendum. */
typedef struct
{
  char *field;
  char *message;
} CairnNoteProblem;

/* The call after a medicine session: one per phone check-in appointment. */
typedef struct
{
  char    *id;                 /* NULL until recorded */
  char    *patient_id;
  char    *appointment_id;
  gboolean reached;
  char    *note;               /* short; may be NULL */
  char    *follow_up_action;   /* required when not reached */
  gint64   called_at;          /* UTC seconds; never in the future */
  char    *recorded_by;        /* user id of who recorded it first; read only, never changes */
  char    *created_at;         /* read only */
  char    *updated_at;         /* read only */
  char    *updated_by;         /* user id of who recorded it last; read only */
} CairnPhoneCheckIn;

GQuark              cairn_notes_error_quark          (void);

CairnNote          *cairn_note_new                   (void);
CairnNote          *cairn_note_copy                  (const CairnNote       *note);
void                cairn_note_free                  (CairnNote             *note);
void                cairn_note_addendum_free         (CairnNoteAddendum     *addendum);
void                cairn_note_problem_free          (CairnNoteProblem      *problem);
CairnPhoneCheckIn  *cairn_phone_check_in_new         (void);
CairnPhoneCheckIn  *cairn_phone_check_in_copy        (const CairnPhoneCheckIn *check_in);
void                cairn_phone_check_in_free        (CairnPhoneCheckIn     *check_in);

/* Pure checks, no vault: what stands in the way of signing @sections
 * (id → text) against the template's @template_sections (const
 * CairnNoteSection *; NULL or empty = one free-text section), and of
 * recording @check_in at @now (UTC seconds). Arrays of CairnNoteProblem,
 * empty when all is well. */
GPtrArray          *cairn_note_check_signable        (GHashTable            *sections,
                                                      GPtrArray             *template_sections);
GPtrArray          *cairn_phone_check_in_validate    (const CairnPhoneCheckIn *check_in,
                                                      gint64                 now);

/* Every read and write below appends an audit entry to @clinical in the
 * same transaction; each call is one transaction. */
GPtrArray          *cairn_notes_list                 (CairnDatabase         *clinical,
                                                      const char            *patient_id,
                                                      const char            *user_id,
                                                      GError               **error);
CairnNote          *cairn_notes_get                  (CairnDatabase         *clinical,
                                                      const char            *note_id,
                                                      const char            *user_id,
                                                      GError               **error);
CairnNote          *cairn_notes_get_for_appointment  (CairnDatabase         *clinical,
                                                      const char            *appointment_id,
                                                      const char            *user_id,
                                                      GError               **error);
gboolean            cairn_notes_save_draft           (CairnDatabase         *clinical,
                                                      const char            *patient_id,
                                                      const char            *appointment_id,
                                                      const char            *type_id,
                                                      const char            *attendees,
                                                      GHashTable            *sections,
                                                      const char            *user_id,
                                                      char                 **out_note_id,
                                                      GError               **error);
gboolean            cairn_notes_sign                 (CairnDatabase         *clinical,
                                                      const char            *note_id,
                                                      GPtrArray             *template_sections,
                                                      const char            *user_id,
                                                      GError               **error);
gboolean            cairn_notes_add_addendum         (CairnDatabase         *clinical,
                                                      const char            *note_id,
                                                      const char            *text,
                                                      const char            *user_id,
                                                      char                 **out_addendum_id,
                                                      GError               **error);

GPtrArray          *cairn_phone_check_ins_list       (CairnDatabase         *clinical,
                                                      const char            *patient_id,
                                                      const char            *user_id,
                                                      GError               **error);
gboolean            cairn_phone_check_ins_record     (CairnDatabase         *clinical,
                                                      CairnPhoneCheckIn     *check_in,
                                                      const char            *user_id,
                                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnNote, cairn_note_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnNoteAddendum, cairn_note_addendum_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnNoteProblem, cairn_note_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnPhoneCheckIn, cairn_phone_check_in_free)

G_END_DECLS
