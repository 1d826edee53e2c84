-- practice.db, version 4: the schedule. Rooms, the practice's hours and
-- closed days, staff working hours, and appointments with their staff.
-- Times are UTC seconds since the epoch; hours are local wall-clock times
-- in the practice's zone, written as "mon-fri 08:00-18:00".

CREATE TABLE rooms (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
  archived_at TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  author      TEXT
);
CREATE UNIQUE INDEX rooms_name ON rooms (name COLLATE NOCASE) WHERE archived_at IS NULL;

CREATE TABLE closed_days (
  day         TEXT PRIMARY KEY CHECK (date(day) = day),
  reason      TEXT,
  updated_at  TEXT NOT NULL,
  author      TEXT
);

CREATE TABLE staff_hours (
  user_id     TEXT PRIMARY KEY REFERENCES users (id),
  hours       TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  author      TEXT
);

CREATE TABLE appointments (
  id            TEXT PRIMARY KEY,
  patient_id    TEXT REFERENCES patients (id),
  type_id       TEXT NOT NULL,
  start_utc     INTEGER NOT NULL,
  end_utc       INTEGER NOT NULL CHECK (end_utc > start_utc),
  room_id       TEXT REFERENCES rooms (id),
  status        TEXT NOT NULL DEFAULT 'booked'
                CHECK (status IN ('booked', 'checked-in', 'no-show', 'cancelled', 'completed')),
  status_reason TEXT,
  course_id     TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  author        TEXT
);
CREATE INDEX appointments_start ON appointments (start_utc);
CREATE INDEX appointments_patient ON appointments (patient_id, start_utc);
CREATE INDEX appointments_room ON appointments (room_id, start_utc);

CREATE TABLE appointment_staff (
  appointment_id TEXT NOT NULL REFERENCES appointments (id),
  user_id        TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (appointment_id, user_id)
) WITHOUT ROWID;
CREATE INDEX appointment_staff_user ON appointment_staff (user_id);

INSERT OR IGNORE INTO settings (key, value, updated_at)
  VALUES ('practice_hours', 'mon-fri 08:00-18:00', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
