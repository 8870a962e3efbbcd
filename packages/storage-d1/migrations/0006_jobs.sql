-- Generated from @certory/storage-sql Migrations.ts: do not edit.
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY NOT NULL,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE idp_syncs (
  owner_key TEXT PRIMARY KEY NOT NULL REFERENCES owners (owner_key) ON DELETE CASCADE,
  record_json TEXT NOT NULL
);

CREATE TABLE notifications (
  certificate_id TEXT NOT NULL REFERENCES bindings (certificate_id) ON DELETE CASCADE,
  threshold_days INTEGER NOT NULL,
  record_json TEXT NOT NULL,
  PRIMARY KEY (certificate_id, threshold_days)
);
