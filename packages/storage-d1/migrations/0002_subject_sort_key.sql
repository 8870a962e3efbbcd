-- Generated from @certory/storage-sql Migrations.ts: do not edit.
DROP INDEX bindings_owner_subject;

CREATE INDEX bindings_owner_subject_key ON bindings (owner_key, substr(subject, 1, 256), certificate_id);

DROP INDEX bindings_sha256;

CREATE INDEX bindings_sha256_certificate ON bindings (sha256, certificate_id);
