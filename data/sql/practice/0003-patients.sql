-- practice.db, version 3: the patient registry, as the front desk keeps it.
-- Nothing clinical lives here: that is clinical.db's.

CREATE TABLE patients (
  id                  TEXT PRIMARY KEY,
  chart_number        TEXT NOT NULL CHECK (length(chart_number) BETWEEN 1 AND 20),
  legal_name          TEXT NOT NULL CHECK (length(trim(legal_name)) > 0),
  preferred_name      TEXT,
  pronouns            TEXT,
  date_of_birth       TEXT CHECK (date_of_birth IS NULL OR date(date_of_birth) = date_of_birth),
  phone               TEXT,
  phone_digits        TEXT,   -- the phone's digits alone, for search and duplicates
  email               TEXT,
  address             TEXT,
  emergency_contact   TEXT,
  support_person      TEXT,
  referring_clinician TEXT,
  front_desk_notes    TEXT,
  archived_at         TEXT,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  author              TEXT
);
CREATE UNIQUE INDEX patients_chart_number ON patients (chart_number COLLATE NOCASE);
CREATE INDEX patients_date_of_birth ON patients (date_of_birth);
CREATE INDEX patients_phone_digits ON patients (phone_digits) WHERE phone_digits IS NOT NULL;

-- Instant search over names, chart number and phone: an FTS5 index with
-- prefix indexes, kept in step with the table by triggers. It lives in the
-- encrypted database like everything else.
CREATE VIRTUAL TABLE patient_search USING fts5 (
  names, chart, phone,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);

CREATE TRIGGER patients_search_insert AFTER INSERT ON patients BEGIN
  INSERT INTO patient_search (rowid, names, chart, phone)
    VALUES (new.rowid, new.legal_name || ' ' || coalesce(new.preferred_name, ''),
            new.chart_number, coalesce(new.phone_digits, ''));
END;

CREATE TRIGGER patients_search_update AFTER UPDATE OF legal_name, preferred_name, chart_number, phone_digits
  ON patients BEGIN
  DELETE FROM patient_search WHERE rowid = old.rowid;
  INSERT INTO patient_search (rowid, names, chart, phone)
    VALUES (new.rowid, new.legal_name || ' ' || coalesce(new.preferred_name, ''),
            new.chart_number, coalesce(new.phone_digits, ''));
END;

CREATE TRIGGER patients_search_delete AFTER DELETE ON patients BEGIN
  DELETE FROM patient_search WHERE rowid = old.rowid;
END;
