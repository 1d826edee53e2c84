-- practice.db, version 1: the practice, its users and settings, and the
-- audit trail of what was done in this database.
-- Keys are random UUIDs; times are UTC ISO 8601 with milliseconds.

CREATE TABLE practice (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
  time_zone   TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  author      TEXT
);

CREATE TABLE users (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('clinician', 'front-desk')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  author      TEXT,
  deleted_at  TEXT
);
CREATE UNIQUE INDEX users_name ON users (name) WHERE deleted_at IS NULL;

CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  author      TEXT
);

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
