/**
 * The versioned schema, as SQL text kept in this one module for every dialect. SQLite and D1 share the
 * `sqlite` list (D1 is SQLite); `packages/storage-d1/migrations/*.sql` are generated copies for
 * `wrangler d1 migrations apply`, and a D1 test checks they still match.
 *
 * Never edit a released migration: append a new one with the next id.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as Batch from "./Batch.js"

export interface Migration {
  readonly id: number
  readonly name: string
  /** One statement per entry: better-sqlite3 and D1 prepare one statement at a time. */
  readonly statements: ReadonlyArray<string>
}

export type Dialect = "sqlite" | "pg"

/** Column types that differ: epoch ms need 64 bits; PostgreSQL must compare text bytewise (COLLATE "C"). */
const types = {
  sqlite: { key: "TEXT", text: "TEXT", int64: "INTEGER", int: "INTEGER" },
  pg: { key: 'TEXT COLLATE "C"', text: "TEXT", int64: "BIGINT", int: "INTEGER" }
} as const

const init = (dialect: Dialect): ReadonlyArray<string> => {
  const t = types[dialect]
  return [
    `CREATE TABLE owners (
  owner_key ${t.key} PRIMARY KEY NOT NULL,
  kind ${t.text} NOT NULL,
  identity_store_id ${t.key},
  display_name ${t.text},
  metadata_url ${t.text},
  enabled ${t.int} NOT NULL,
  created_at ${t.int64} NOT NULL,
  created_by ${t.text} NOT NULL
)`,
    "CREATE INDEX owners_kind ON owners (kind, owner_key)",
    "CREATE INDEX owners_identity_store ON owners (identity_store_id, owner_key)",
    // The DER is base64 text: the one representation that round-trips unchanged through better-sqlite3,
    // node-postgres and D1 (D1 hands BLOBs back as arrays of numbers).
    `CREATE TABLE certificates (
  sha256 ${t.key} PRIMARY KEY NOT NULL,
  sha1 ${t.key} NOT NULL,
  spki_sha256 ${t.key} NOT NULL,
  serial_hex ${t.key} NOT NULL,
  not_before ${t.int64} NOT NULL,
  not_after ${t.int64} NOT NULL,
  subject ${t.key} NOT NULL,
  facts ${t.text} NOT NULL,
  der ${t.text} NOT NULL
)`,
    "CREATE INDEX certificates_sha1 ON certificates (sha1)",
    "CREATE INDEX certificates_spki_sha256 ON certificates (spki_sha256)",
    "CREATE INDEX certificates_serial_hex ON certificates (serial_hex)",
    "CREATE INDEX certificates_not_after ON certificates (not_after)",
    // Sort and filter columns are copied from the certificate so one owner's listing is a range scan of
    // one index, whatever the sort field, without touching the certificates table until the page is known.
    `CREATE TABLE bindings (
  certificate_id ${t.key} PRIMARY KEY NOT NULL,
  owner_key ${t.key} NOT NULL REFERENCES owners (owner_key) ON DELETE CASCADE,
  sha256 ${t.key} NOT NULL REFERENCES certificates (sha256),
  is_key_history ${t.int} NOT NULL,
  archived_on_ca ${t.int} NOT NULL,
  certificate_type ${t.int} NOT NULL,
  origin ${t.text} NOT NULL,
  usage ${t.text} NOT NULL,
  source ${t.text} NOT NULL,
  bound_by ${t.text} NOT NULL,
  bound_at ${t.int64} NOT NULL,
  not_before ${t.int64} NOT NULL,
  not_after ${t.int64} NOT NULL,
  subject ${t.key} NOT NULL,
  template_name ${t.text},
  template_oid ${t.text},
  UNIQUE (owner_key, sha256)
)`,
    "CREATE INDEX bindings_owner_not_after ON bindings (owner_key, not_after, certificate_id)",
    "CREATE INDEX bindings_owner_not_before ON bindings (owner_key, not_before, certificate_id)",
    "CREATE INDEX bindings_owner_bound_at ON bindings (owner_key, bound_at, certificate_id)",
    "CREATE INDEX bindings_owner_subject ON bindings (owner_key, subject, certificate_id)",
    "CREATE INDEX bindings_not_after ON bindings (not_after, certificate_id)",
    "CREATE INDEX bindings_sha256 ON bindings (sha256)"
  ]
}

/**
 * Subjects sort on their first 256 code points (CertificateStore.SUBJECT_SORT_LENGTH): a PostgreSQL
 * B-tree entry holds at most ~2.7 KB and real subjects run to tens of KB. Look-ups page by
 * (sha256, certificate_id).
 */
const subjectPrefix = (dialect: Dialect): ReadonlyArray<string> => [
  "DROP INDEX bindings_owner_subject",
  `CREATE INDEX bindings_owner_subject_key ON bindings (owner_key, ${subjectKey(dialect, "subject")}, certificate_id)`,
  "DROP INDEX bindings_sha256",
  "CREATE INDEX bindings_sha256_certificate ON bindings (sha256, certificate_id)"
]

/** The expression every subject sort and its index use (characters, i.e. code points, in both). */
export const subjectKey = (dialect: Dialect, column: string): string =>
  dialect === "pg" ? `left(${column}, 256)` : `substr(${column}, 1, 256)`

/**
 * API tokens: found by id (lists, revocation) and by the SHA-256 of the secret (every authenticated
 * request); the grant is the domain's Schema encoding as JSON text, as the facts are.
 */
const tokens = (dialect: Dialect): ReadonlyArray<string> => {
  const t = types[dialect]
  return [
    `CREATE TABLE tokens (
  token_id ${t.key} PRIMARY KEY NOT NULL,
  secret_hash ${t.key} NOT NULL UNIQUE,
  name ${t.text} NOT NULL,
  grant_json ${t.text} NOT NULL,
  created_at ${t.int64} NOT NULL,
  created_by ${t.text} NOT NULL,
  expires_at ${t.int64},
  last_used_at ${t.int64},
  revoked_at ${t.int64}
)`
  ]
}

/**
 * The template catalog: the name administrators registered for a template OID, read by primary key for
 * a page of certificates at a time (MIM's TemplateCommonName).
 */
const templates = (dialect: Dialect): ReadonlyArray<string> => {
  const t = types[dialect]
  return [
    `CREATE TABLE templates (
  oid ${t.key} PRIMARY KEY NOT NULL,
  name ${t.text} NOT NULL,
  updated_at ${t.int64} NOT NULL,
  updated_by ${t.text} NOT NULL
)`
  ]
}

/**
 * External IdPs' SAML configuration (the Schema encoding of `Owner.SamlConfig` as JSON, like the facts)
 * and the PEM text a binding was imported as (`Binding.submittedPem`); both NULL when absent. The domain
 * schemas refuse NUL, which PostgreSQL text cannot hold.
 */
const samlAndSubmittedPem = (dialect: Dialect): ReadonlyArray<string> => {
  const t = types[dialect]
  return [
    `ALTER TABLE owners ADD COLUMN saml_json ${t.text}`,
    `ALTER TABLE bindings ADD COLUMN submitted_pem ${t.text}`
  ]
}

/**
 * The background jobs' bookkeeping (JobStore): leases with an expiry, each IdP's last sync and one record
 * per (binding, threshold) notification, the records as the domain's Schema encoding in JSON. Records go
 * with their owner or binding.
 */
const jobs = (dialect: Dialect): ReadonlyArray<string> => {
  const t = types[dialect]
  return [
    `CREATE TABLE job_leases (
  name ${t.key} PRIMARY KEY NOT NULL,
  holder ${t.text} NOT NULL,
  expires_at ${t.int64} NOT NULL
)`,
    `CREATE TABLE idp_syncs (
  owner_key ${t.key} PRIMARY KEY NOT NULL REFERENCES owners (owner_key) ON DELETE CASCADE,
  record_json ${t.text} NOT NULL
)`,
    `CREATE TABLE notifications (
  certificate_id ${t.key} NOT NULL REFERENCES bindings (certificate_id) ON DELETE CASCADE,
  threshold_days ${t.int} NOT NULL,
  record_json ${t.text} NOT NULL,
  PRIMARY KEY (certificate_id, threshold_days)
)`
  ]
}

/** Every migration of a dialect, in id order. */
export const migrations = (dialect: Dialect): ReadonlyArray<Migration> => [
  { id: 1, name: "init", statements: init(dialect) },
  { id: 2, name: "subject_sort_key", statements: subjectPrefix(dialect) },
  { id: 3, name: "tokens", statements: tokens(dialect) },
  { id: 4, name: "saml_config_submitted_pem", statements: samlAndSubmittedPem(dialect) },
  { id: 5, name: "templates", statements: templates(dialect) },
  { id: 6, name: "jobs", statements: jobs(dialect) }
]

/** The file name wrangler uses for a migration (`0001_init.sql`). */
export const fileName = (migration: Migration): string =>
  `${String(migration.id).padStart(4, "0")}_${migration.name}.sql`

/** A migration as one SQL file (what `wrangler d1 migrations apply` reads). */
export const toSqlFile = (migration: Migration): string => `${migration.statements.join(";\n\n")};\n`

/** The bookkeeping table, as @effect/sql's Migrator created it (databases made by earlier versions). */
const TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS effect_sql_migrations (
  migration_id integer PRIMARY KEY NOT NULL,
  created_at datetime NOT NULL DEFAULT current_timestamp,
  name VARCHAR(255) NOT NULL
)`,
  pg: `CREATE TABLE IF NOT EXISTS effect_sql_migrations (
  migration_id integer primary key,
  created_at timestamp with time zone not null default now(),
  name text not null
)`
} as const

/** Tries of the migration run that lost its lock wait: from 50 ms, doubling, at most 1 s apart, 8 times. */
const startupRetries = Schedule.exponential("50 millis").pipe(
  Schedule.jittered,
  Schedule.either(Schedule.spaced("1 second")),
  Schedule.intersect(Schedule.recurs(8))
)

/**
 * Applies the missing migrations in ONE transaction that first takes an exclusive lock, so processes
 * starting at once on a new database queue behind the first: each either applies the migrations or
 * finds them applied, and none goes on before the tables exist. PostgreSQL: a transaction-scoped
 * advisory lock. SQLite: a write as the transaction's first statement takes the database write lock
 * (waiting out the others through busy_timeout) before anything is read. Returns the ids applied.
 * Not for D1, which has no transactions: storage-d1 runs the same list as batches.
 */
export const run = (dialect: Dialect): Effect.Effect<ReadonlyArray<number>, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // SQLite serialises DDL itself (waiting through busy_timeout); PostgreSQL's CREATE TABLE IF NOT
    // EXISTS races with itself, so there it runs under the advisory lock.
    if (dialect === "sqlite") yield* sql.unsafe(TABLE.sqlite).raw
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        if (dialect === "pg") {
          yield* sql`SELECT pg_advisory_xact_lock(hashtext('certory migrations'))`
          yield* sql.unsafe(TABLE.pg).raw
        } else {
          yield* sql`UPDATE effect_sql_migrations SET name = name WHERE migration_id = -1`
        }
        const rows = yield* sql<{
          migration_id: number | string
        }>`SELECT migration_id FROM effect_sql_migrations`
        const applied = new Set(rows.map((row) => Number(row.migration_id)))
        const ran: Array<number> = []
        for (const migration of migrations(dialect)) {
          if (applied.has(migration.id)) continue
          for (const statement of migration.statements) yield* sql.unsafe(statement).raw
          yield* sql`INSERT INTO effect_sql_migrations (migration_id, name) VALUES (${migration.id}, ${migration.name})`
          ran.push(migration.id)
        }
        return ran
      })
    )
  }).pipe(
    // Processes starting at once on a busy machine can wait out a whole lock timeout behind each
    // other (CI: "database is locked" from one of eight `certory import` runs on a new file). Nothing
    // of a failed attempt remains, so the whole run is tried again; anything else is a defect.
    Effect.retry({ schedule: startupRetries, while: Batch.isTransient }),
    Effect.orDie
  )

/**
 * The migrations as a layer of their own: provide it before the store's layer (the store layers of
 * storage-sqlite and storage-pg do) so no statement of the store runs on a schema that is not there yet.
 */
export const layer = (dialect: Dialect): Layer.Layer<never, never, SqlClient.SqlClient> =>
  Layer.effectDiscard(run(dialect))
