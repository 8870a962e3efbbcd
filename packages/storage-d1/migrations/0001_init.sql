-- Generated from @certory/storage-sql Migrations.ts: do not edit.
CREATE TABLE owners (
  owner_key TEXT PRIMARY KEY NOT NULL,
  kind TEXT NOT NULL,
  identity_store_id TEXT,
  display_name TEXT,
  metadata_url TEXT,
  enabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);

CREATE INDEX owners_kind ON owners (kind, owner_key);

CREATE INDEX owners_identity_store ON owners (identity_store_id, owner_key);

CREATE TABLE certificates (
  sha256 TEXT PRIMARY KEY NOT NULL,
  sha1 TEXT NOT NULL,
  spki_sha256 TEXT NOT NULL,
  serial_hex TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  subject TEXT NOT NULL,
  facts TEXT NOT NULL,
  der TEXT NOT NULL
);

CREATE INDEX certificates_sha1 ON certificates (sha1);

CREATE INDEX certificates_spki_sha256 ON certificates (spki_sha256);

CREATE INDEX certificates_serial_hex ON certificates (serial_hex);

CREATE INDEX certificates_not_after ON certificates (not_after);

CREATE TABLE bindings (
  certificate_id TEXT PRIMARY KEY NOT NULL,
  owner_key TEXT NOT NULL REFERENCES owners (owner_key) ON DELETE CASCADE,
  sha256 TEXT NOT NULL REFERENCES certificates (sha256),
  is_key_history INTEGER NOT NULL,
  archived_on_ca INTEGER NOT NULL,
  certificate_type INTEGER NOT NULL,
  origin TEXT NOT NULL,
  usage TEXT NOT NULL,
  source TEXT NOT NULL,
  bound_by TEXT NOT NULL,
  bound_at INTEGER NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  subject TEXT NOT NULL,
  template_name TEXT,
  template_oid TEXT,
  UNIQUE (owner_key, sha256)
);

CREATE INDEX bindings_owner_not_after ON bindings (owner_key, not_after, certificate_id);

CREATE INDEX bindings_owner_not_before ON bindings (owner_key, not_before, certificate_id);

CREATE INDEX bindings_owner_bound_at ON bindings (owner_key, bound_at, certificate_id);

CREATE INDEX bindings_owner_subject ON bindings (owner_key, subject, certificate_id);

CREATE INDEX bindings_not_after ON bindings (not_after, certificate_id);

CREATE INDEX bindings_sha256 ON bindings (sha256);
