-- clinical.db, version 1: the audit trail of clinical work. The clinical
-- records themselves arrive with the features that write them.

CREATE TABLE audit (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  at          TEXT NOT NULL,
  user_id     TEXT,
  action      TEXT NOT NULL,
  entity      TEXT,
  detail      TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at);
