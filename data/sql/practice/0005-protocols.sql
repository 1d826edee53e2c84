-- practice.db, version 5: the practice's own protocol templates.
-- A template is JSON as cairn-protocol.c reads and checks it; the id and
-- name are copied out of it so they can be listed and kept unique. The
-- shipped templates are not stored here: they come with Cairn. The
-- template in use is the setting 'protocol_template', a shipped or an own
-- template's id. Templates are archived, never deleted: appointments and
-- notes made under one still name its types.

CREATE TABLE protocol_templates (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
  template    TEXT NOT NULL,
  based_on    TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  author      TEXT,
  archived_at TEXT
);
CREATE UNIQUE INDEX protocol_templates_name
  ON protocol_templates (name COLLATE NOCASE) WHERE archived_at IS NULL;

INSERT OR IGNORE INTO settings (key, value, updated_at)
  VALUES ('protocol_template', 'mdma-mapp', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
