-- clinical.db, version 5: who made a record, and who changed it last.
--
-- "author" is who created a row and never changes. Until now an update of
-- a measure or a phone check-in, and the deletion of a measure, wrote the
-- user who did it over "author"; from now on they write "updated_by" (and
-- "deleted_by"). The audit trail names who created each row: "author" is
-- restored from it, and the last change and deletion are taken from it too.

ALTER TABLE measures ADD COLUMN updated_by TEXT;
ALTER TABLE measures ADD COLUMN deleted_by TEXT;
ALTER TABLE phone_check_ins ADD COLUMN updated_by TEXT;
ALTER TABLE notes ADD COLUMN updated_by TEXT;
ALTER TABLE pregnancy_tests ADD COLUMN updated_by TEXT;

-- For the look-ups below only: the trail is long, the records are few.
CREATE INDEX audit_entity_for_0005 ON audit (entity, action, seq);

UPDATE measures SET
  updated_by = coalesce ((SELECT user_id FROM audit
                          WHERE entity = measures.id
                            AND action IN ('measure.create', 'measure.update', 'measure.delete')
                          ORDER BY seq DESC LIMIT 1), author),
  deleted_by = CASE WHEN deleted_at IS NULL THEN NULL
                    ELSE coalesce ((SELECT user_id FROM audit
                                    WHERE entity = measures.id AND action = 'measure.delete'
                                    ORDER BY seq DESC LIMIT 1), author) END,
  author = coalesce ((SELECT user_id FROM audit WHERE entity = measures.id AND action = 'measure.create'
                      ORDER BY seq LIMIT 1), author);

UPDATE phone_check_ins SET
  updated_by = coalesce ((SELECT user_id FROM audit
                          WHERE entity = phone_check_ins.id
                            AND action IN ('phone-check-in.record', 'phone-check-in.update')
                          ORDER BY seq DESC LIMIT 1), author),
  author = coalesce ((SELECT user_id FROM audit
                      WHERE entity = phone_check_ins.id AND action = 'phone-check-in.record'
                      ORDER BY seq LIMIT 1), author);

DROP INDEX audit_entity_for_0005;

-- Notes never lost their author; a draft's last writer is known from here on.
