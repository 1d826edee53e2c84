-- clinical.db, version 2: screening and the eligibility decision.
--
-- Clinical rows are never deleted: a medication or a pregnancy test entered
-- by mistake gets a tombstone (deleted_at). Decisions and gate overrides
-- are a history: written once, never changed.

-- The one-per-patient fields: histories, baseline, consent and support.
CREATE TABLE screenings (
  patient_id            TEXT PRIMARY KEY,
  diagnosis             TEXT,
  psychiatric_history   TEXT,
  medical_history       TEXT,
  trauma_history        TEXT,
  vitals_date           TEXT,
  systolic              INTEGER CHECK (systolic IS NULL OR systolic BETWEEN 60 AND 260),
  diastolic             INTEGER CHECK (diastolic IS NULL OR diastolic BETWEEN 30 AND 160),
  heart_rate            INTEGER CHECK (heart_rate IS NULL OR heart_rate BETWEEN 25 AND 250),
  temperature           REAL CHECK (temperature IS NULL OR temperature BETWEEN 32.0 AND 43.0),
  weight                REAL CHECK (weight IS NULL OR weight BETWEEN 20.0 AND 400.0),
  ecg_date              TEXT,
  labs_date             TEXT,
  pregnancy_applicable  INTEGER NOT NULL DEFAULT 0 CHECK (pregnancy_applicable IN (0, 1)),
  consent_date          TEXT,
  support_person        TEXT,
  driver                TEXT,
  overnight_attendant   TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  author                TEXT,
  updated_by            TEXT,
  deleted_at            TEXT
);

-- One answer per patient and exclusion of the template; answering again
-- updates the row, the audit trail keeps each change.
CREATE TABLE screening_exclusions (
  id            TEXT PRIMARY KEY,
  patient_id    TEXT NOT NULL,
  exclusion_id  TEXT NOT NULL,
  answer        TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'unknown')),
  note          TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  author        TEXT,
  updated_by    TEXT,
  deleted_at    TEXT
);
CREATE UNIQUE INDEX screening_exclusions_answer
  ON screening_exclusions (patient_id, exclusion_id) WHERE deleted_at IS NULL;

CREATE TABLE medications (
  id            TEXT PRIMARY KEY,
  patient_id    TEXT NOT NULL,
  name          TEXT NOT NULL CHECK (length (trim (name)) > 0),
  dose          TEXT,
  serotonergic  INTEGER NOT NULL CHECK (serotonergic IN (0, 1)),
  taper_plan    TEXT,
  tapered_off   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  author        TEXT,
  updated_by    TEXT,
  deleted_at    TEXT
);
CREATE INDEX medications_patient ON medications (patient_id);

CREATE TABLE pregnancy_tests (
  id            TEXT PRIMARY KEY,
  patient_id    TEXT NOT NULL,
  tested_on     TEXT NOT NULL,
  result        TEXT NOT NULL CHECK (result IN ('negative', 'positive')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  author        TEXT,
  deleted_at    TEXT
);
CREATE INDEX pregnancy_tests_patient ON pregnancy_tests (patient_id, tested_on);

CREATE TABLE eligibility_decisions (
  id            TEXT PRIMARY KEY,
  patient_id    TEXT NOT NULL,
  decision      TEXT NOT NULL CHECK (decision IN ('eligible', 'not-eligible', 'needs-review')),
  reason        TEXT NOT NULL CHECK (length (trim (reason)) > 0),
  decided_on    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  author        TEXT NOT NULL
);
CREATE INDEX eligibility_decisions_patient ON eligibility_decisions (patient_id, created_at);

CREATE TABLE gate_overrides (
  id              TEXT PRIMARY KEY,
  patient_id      TEXT NOT NULL,
  check_id        TEXT NOT NULL,
  applies_on      TEXT NOT NULL,
  appointment_id  TEXT,
  reason          TEXT NOT NULL CHECK (length (trim (reason)) > 0),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  author          TEXT NOT NULL
);
CREATE INDEX gate_overrides_patient ON gate_overrides (patient_id, applies_on);

CREATE TRIGGER eligibility_decisions_unchanged BEFORE UPDATE ON eligibility_decisions
BEGIN
  SELECT RAISE (ABORT, 'An eligibility decision cannot change: record a new one');
END;

CREATE TRIGGER eligibility_decisions_never_deleted BEFORE DELETE ON eligibility_decisions
BEGIN
  SELECT RAISE (ABORT, 'An eligibility decision is never deleted');
END;

CREATE TRIGGER gate_overrides_unchanged BEFORE UPDATE ON gate_overrides
BEGIN
  SELECT RAISE (ABORT, 'A gate override cannot change');
END;

CREATE TRIGGER gate_overrides_never_deleted BEFORE DELETE ON gate_overrides
BEGIN
  SELECT RAISE (ABORT, 'A gate override is never deleted');
END;

CREATE TRIGGER screenings_never_deleted BEFORE DELETE ON screenings
BEGIN
  SELECT RAISE (ABORT, 'A screening record is never deleted');
END;

CREATE TRIGGER medications_never_deleted BEFORE DELETE ON medications
BEGIN
  SELECT RAISE (ABORT, 'A medication is never deleted: it gets a tombstone');
END;

CREATE TRIGGER pregnancy_tests_never_deleted BEFORE DELETE ON pregnancy_tests
BEGIN
  SELECT RAISE (ABORT, 'A pregnancy test is never deleted: it gets a tombstone');
END;

CREATE TRIGGER screening_exclusions_never_deleted BEFORE DELETE ON screening_exclusions
BEGIN
  SELECT RAISE (ABORT, 'An exclusion answer is never deleted');
END;
