-- clinical.db, version 3: session notes, addenda and phone check-ins.
--
-- A note is a draft until it is signed; from then on neither it nor its
-- addenda change, and the triggers below hold that here, in the vault,
-- whatever code writes to it. Clinical rows are never deleted: a draft
-- that is set aside gets a tombstone (deleted_at).

CREATE TABLE notes (
  id              TEXT PRIMARY KEY,
  patient_id      TEXT NOT NULL,
  appointment_id  TEXT NOT NULL,
  type_id         TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'signed')),
  attendees       TEXT,
  -- section id -> text, a JSON object: text stays under its id when the
  -- protocol template later drops or renames the section.
  sections        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (sections) AND json_type (sections) = 'object'),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  author          TEXT,
  signed_at       TEXT,
  signed_by       TEXT,
  deleted_at      TEXT,
  CHECK ((state = 'signed') = (signed_at IS NOT NULL AND signed_by IS NOT NULL))
);
CREATE UNIQUE INDEX notes_appointment ON notes (appointment_id) WHERE deleted_at IS NULL;
CREATE INDEX notes_patient ON notes (patient_id);

CREATE TRIGGER notes_insert_as_draft BEFORE INSERT ON notes
  WHEN NEW.state <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'A note is written as a draft and signed afterwards');
END;

-- REPLACE deletes the row it collides with without running delete
-- triggers: a new row never takes the place of a note.
CREATE TRIGGER notes_insert_never_replaces BEFORE INSERT ON notes
  WHEN EXISTS (SELECT 1 FROM notes WHERE id = NEW.id OR
               (appointment_id = NEW.appointment_id AND deleted_at IS NULL AND NEW.deleted_at IS NULL))
BEGIN
  SELECT RAISE (ABORT, 'The appointment already has a note');
END;

-- What a note is about never changes, and a note set aside stays so: no
-- update can collide with (and so REPLACE) another note.
CREATE TRIGGER notes_identity_unchanged BEFORE UPDATE ON notes
  WHEN NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR
       NEW.appointment_id IS NOT OLD.appointment_id OR OLD.deleted_at IS NOT NULL
BEGIN
  SELECT RAISE (ABORT, 'A note stays with its patient and appointment');
END;

CREATE TRIGGER notes_signed_unchanged BEFORE UPDATE ON notes
  WHEN OLD.state = 'signed'
BEGIN
  SELECT RAISE (ABORT, 'A signed note cannot change: add an addendum');
END;

CREATE TRIGGER notes_never_deleted BEFORE DELETE ON notes
BEGIN
  SELECT RAISE (ABORT, 'A note is never deleted');
END;

-- Dated, signed additions to a signed note: written once, never changed.
CREATE TABLE note_addenda (
  id              TEXT PRIMARY KEY,
  note_id         TEXT NOT NULL REFERENCES notes (id),
  text            TEXT NOT NULL CHECK (length (trim (text)) > 0),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  author          TEXT NOT NULL,
  signed_by       TEXT NOT NULL,
  signed_at       TEXT NOT NULL
);
CREATE INDEX note_addenda_note ON note_addenda (note_id, created_at);

CREATE TRIGGER note_addenda_to_signed BEFORE INSERT ON note_addenda
  WHEN (SELECT state FROM notes WHERE id = NEW.note_id AND deleted_at IS NULL) IS NOT 'signed'
BEGIN
  SELECT RAISE (ABORT, 'An addendum is added to a signed note only');
END;

CREATE TRIGGER note_addenda_insert_never_replaces BEFORE INSERT ON note_addenda
  WHEN EXISTS (SELECT 1 FROM note_addenda WHERE id = NEW.id)
BEGIN
  SELECT RAISE (ABORT, 'An addendum cannot change');
END;

CREATE TRIGGER note_addenda_unchanged BEFORE UPDATE ON note_addenda
BEGIN
  SELECT RAISE (ABORT, 'An addendum cannot change');
END;

CREATE TRIGGER note_addenda_never_deleted BEFORE DELETE ON note_addenda
BEGIN
  SELECT RAISE (ABORT, 'An addendum is never deleted');
END;

-- The calls after a medicine session: one per phone check-in appointment.
-- Recording it again updates the row; the audit trail keeps each change.
CREATE TABLE phone_check_ins (
  id                TEXT PRIMARY KEY,
  patient_id        TEXT NOT NULL,
  appointment_id    TEXT NOT NULL,
  reached           INTEGER NOT NULL CHECK (reached IN (0, 1)),
  note              TEXT,
  follow_up_action  TEXT,
  called_at         TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  author            TEXT,
  deleted_at        TEXT
);
CREATE UNIQUE INDEX phone_check_ins_appointment ON phone_check_ins (appointment_id) WHERE deleted_at IS NULL;
CREATE INDEX phone_check_ins_patient ON phone_check_ins (patient_id);

CREATE TRIGGER phone_check_ins_insert_never_replaces BEFORE INSERT ON phone_check_ins
  WHEN EXISTS (SELECT 1 FROM phone_check_ins WHERE id = NEW.id OR
               (appointment_id = NEW.appointment_id AND deleted_at IS NULL AND NEW.deleted_at IS NULL))
BEGIN
  SELECT RAISE (ABORT, 'The phone check-in is already recorded: update it');
END;

CREATE TRIGGER phone_check_ins_identity_unchanged BEFORE UPDATE ON phone_check_ins
  WHEN NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR
       NEW.appointment_id IS NOT OLD.appointment_id OR OLD.deleted_at IS NOT NULL
BEGIN
  SELECT RAISE (ABORT, 'A phone check-in stays with its patient and appointment');
END;

CREATE TRIGGER phone_check_ins_never_deleted BEFORE DELETE ON phone_check_ins
BEGIN
  SELECT RAISE (ABORT, 'A phone check-in is never deleted');
END;
