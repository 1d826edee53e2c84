-- practice.db, version 6: the end of the audit trail is anchored, and the
-- trail is append-only.
--
-- Each entry carries the hash of the one before it, so an entry edited or
-- removed from the middle breaks the chain; but removing the newest
-- entries, or all of them, left a shorter chain that still held. The one
-- row of audit_anchor records how many entries were written and the hash of
-- the newest. The trigger below moves it with every entry, in the entry's
-- own transaction, so no code path can append without it; the others
-- refuse any other change to the anchor and any change to an entry.

CREATE TABLE audit_anchor (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  entries  INTEGER NOT NULL CHECK (entries >= 0),
  head     TEXT NOT NULL
);

-- The trail as it stands; an empty one ends at the chain's first link.
INSERT INTO audit_anchor (id, entries, head)
  VALUES (1, (SELECT count(*) FROM audit),
          coalesce ((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1),
                    '0000000000000000000000000000000000000000000000000000000000000000'));

CREATE TRIGGER audit_anchor_follows AFTER INSERT ON audit
BEGIN
  UPDATE audit_anchor SET entries = entries + 1, head = NEW.hash WHERE id = 1;
END;

CREATE TRIGGER audit_never_changes BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE (ABORT, 'An audit entry cannot change');
END;

CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit
BEGIN
  SELECT RAISE (ABORT, 'An audit entry is never deleted');
END;

-- REPLACE deletes the row it collides with without running delete
-- triggers: a new entry never takes the place of one.
CREATE TRIGGER audit_insert_never_replaces BEFORE INSERT ON audit
  WHEN EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq OR id = NEW.id)
BEGIN
  SELECT RAISE (ABORT, 'An audit entry is added after the others, never in place of one');
END;

-- The anchor moves one entry at a time, to the newest entry, and only so.
CREATE TRIGGER audit_anchor_moves_by_one BEFORE UPDATE ON audit_anchor
  WHEN NEW.id IS NOT OLD.id OR NEW.entries IS NOT OLD.entries + 1 OR NEW.head IS OLD.head OR
       NEW.head IS NOT (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1)
BEGIN
  SELECT RAISE (ABORT, 'The audit anchor moves only with a new entry');
END;

CREATE TRIGGER audit_anchor_never_deleted BEFORE DELETE ON audit_anchor
BEGIN
  SELECT RAISE (ABORT, 'The audit anchor is never removed');
END;

-- There is one anchor; REPLACE would put another in its place.
CREATE TRIGGER audit_anchor_never_added BEFORE INSERT ON audit_anchor
BEGIN
  SELECT RAISE (ABORT, 'The audit trail has one anchor');
END;
