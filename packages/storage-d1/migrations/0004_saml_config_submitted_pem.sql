-- Generated from @certory/storage-sql Migrations.ts: do not edit.
ALTER TABLE owners ADD COLUMN saml_json TEXT;

ALTER TABLE bindings ADD COLUMN submitted_pem TEXT;
