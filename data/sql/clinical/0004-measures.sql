-- clinical.db, version 4: outcome measures.
--
-- One row per form filled in (PCL-5, PHQ-9, GAD-7 with their answers) or
-- total recorded (CAPS-5, BDI-II: licensed, their items are never kept).
-- A form marked incomplete keeps the answers given and is never scored:
-- its total is NULL. Deleting is a tombstone with a reason.

CREATE TABLE measures (
  id             TEXT PRIMARY KEY,
  patient_id     TEXT NOT NULL,
  instrument     TEXT NOT NULL
                 CHECK (instrument IN ('pcl-5', 'phq-9', 'gad-7', 'caps-5', 'bdi-ii')),
  taken_on       TEXT NOT NULL CHECK (date(taken_on) = taken_on),
  complete       INTEGER NOT NULL CHECK (complete IN (0, 1)),
  answers        TEXT CHECK (answers IS NULL OR json_type(answers) = 'array'),
  total          INTEGER CHECK (total IS NULL OR total BETWEEN 0 AND 80),
  timepoint      TEXT,
  note           TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  author         TEXT,
  deleted_at     TEXT,
  deleted_reason TEXT,
  CHECK (complete = 1 OR total IS NULL),
  CHECK (complete = 0 OR total IS NOT NULL),
  CHECK (deleted_at IS NULL OR length(trim(deleted_reason)) > 0)
);
CREATE INDEX measures_patient ON measures (patient_id, taken_on);
