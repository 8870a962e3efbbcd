-- Generated from @certory/storage-sql Migrations.ts: do not edit.
CREATE TABLE templates (
  oid TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
