/**
 * The CertificateStore in Cloudflare D1 (@effect/sql-d1, inside a Worker). D1 has no interactive
 * transactions, so every write of the shared SQL store runs as ONE `D1Database.batch`, which D1 executes
 * as a single transaction: the guards are in the SQL, the refusals are read from the batch's own results.
 *
 * The layer applies the migrations on start with the same bookkeeping as `wrangler d1 migrations apply`
 * (the `d1_migrations` table and the file names in ../migrations), so either may run first. `layerStores`
 * provides the CertificateStore, the TokenStore, the TemplateCatalog and the JobStore over the same database, migrated
 * once.
 */

import { CertificateStore } from "@certory/domain"
import { type Batch, Migrations, SqlCertificateStore, SqlStores } from "@certory/storage-sql"
import type { D1Database } from "@cloudflare/workers-types"
import { SqlError } from "@effect/sql/SqlError"
import { D1Client } from "@effect/sql-d1"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** Runs the statements as one D1 batch (atomic: all or none) and returns each one's rows. */
export const d1Batch =
  (db: D1Database): Batch.RunBatch =>
  (statements) =>
    Effect.tryPromise({
      try: () =>
        db.batch(
          statements.map((statement) => {
            const [query, params] = statement.compile()
            return db.prepare(query).bind(...params)
          })
        ),
      catch: (cause) => new SqlError({ cause, message: "D1 batch failed" })
    }).pipe(
      Effect.map((results) =>
        results.map((result) => (result.results ?? []) as ReadonlyArray<Record<string, unknown>>)
      )
    )

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`

/**
 * Applies the missing migrations, each as one batch together with its `d1_migrations` row. Two isolates
 * starting at once may both try: the loser's batch fails whole (the tables exist, the name is unique),
 * and it goes on if the migration is recorded by then.
 */
export const migrate = (db: D1Database): Effect.Effect<ReadonlyArray<string>> =>
  Effect.promise(async () => {
    await db.prepare(MIGRATIONS_TABLE).run()
    const applied = await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()
    const done = new Set(applied.results.map((row) => row.name))
    const ran: Array<string> = []
    for (const migration of Migrations.migrations("sqlite")) {
      const name = Migrations.fileName(migration)
      if (done.has(name)) continue
      try {
        await db.batch([
          ...migration.statements.map((statement) => db.prepare(statement)),
          db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(name)
        ])
        ran.push(name)
      } catch (error) {
        const recorded = await db
          .prepare("SELECT 1 AS applied FROM d1_migrations WHERE name = ?")
          .bind(name)
          .first()
        if (recorded === null) throw error
      }
    }
    return ran
  })

export const layer = (db: D1Database): Layer.Layer<CertificateStore.CertificateStore> =>
  Layer.effect(
    CertificateStore.CertificateStore,
    Effect.zipRight(migrate(db), SqlCertificateStore.make({ runBatch: d1Batch(db) }))
  ).pipe(Layer.provide(D1Client.layer({ db })), Layer.orDie)

/** The CertificateStore, TokenStore and TemplateCatalog on one D1 database, migrated before any is built. */
export const layerStores = (db: D1Database): Layer.Layer<SqlStores.Stores> =>
  SqlStores.layer({ runBatch: d1Batch(db) }).pipe(
    Layer.provide(Layer.effectDiscard(migrate(db))),
    Layer.provide(D1Client.layer({ db })),
    Layer.orDie
  )
