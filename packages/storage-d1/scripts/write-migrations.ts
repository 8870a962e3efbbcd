/**
 * Writes migrations/NNNN_name.sql from @certory/storage-sql's Migrations (the one source of the schema),
 * for `wrangler d1 migrations apply`. Run after adding a migration: `pnpm run migrations`; a test fails
 * while the files are stale.
 */
import { writeFileSync } from "node:fs"
import { Migrations } from "@certory/storage-sql"

for (const migration of Migrations.migrations("sqlite")) {
  const file = new URL(`../migrations/${Migrations.fileName(migration)}`, import.meta.url)
  writeFileSync(
    file,
    `-- Generated from @certory/storage-sql Migrations.ts: do not edit.\n${Migrations.toSqlFile(migration)}`
  )
}
