-- practice.db, version 2: the lock policy lives inside the vault, where
-- nobody can edit it without unlocking.

CREATE INDEX audit_at ON audit (at);

INSERT OR IGNORE INTO settings (key, value, updated_at)
  VALUES ('auto_lock_seconds', '300', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
