/**
 * The embedded default: the CertificateStore in one SQLite file (better-sqlite3 through
 * @effect/sql-sqlite-node). `layerClient` opens the file and sets the connection up; the migrations
 * are a layer of their own (`Migrations.layer("sqlite")` from @certory/storage-sql); `layer` composes
 * the three, and `layerStores` adds the TokenStore, the TemplateCatalog and the JobStore on the same connection. Which file to open is the application's choice (an option, never an environment variable
 * read here).
 */
import type { CertificateStore } from "@certory/domain"
import { Migrations, SqlCertificateStore, SqlStores } from "@certory/storage-sql"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export interface Options {
  readonly filename: string
  /**
   * How long a statement waits for another process's lock before it fails (default 5,000 ms). Writes
   * and the migrations are tried again after that (Batch.withRetries, Migrations.run), so this bounds
   * one wait, not the whole operation.
   */
  readonly busyTimeoutMillis?: number | undefined
}

const DEFAULT_BUSY_TIMEOUT_MILLIS = 5_000

// WAL lets readers (the API) run beside a writer (the sync job). synchronous=NORMAL is the documented
// WAL pairing: still never corrupt, a power loss may only drop the last commits, and commits skip an
// fsync each. busy_timeout makes a second process wait for the write lock instead of failing at once.
const setUp = (options: Options) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const busy = options.busyTimeoutMillis ?? DEFAULT_BUSY_TIMEOUT_MILLIS
    if (!Number.isSafeInteger(busy) || busy < 0)
      return yield* Effect.dieMessage("busyTimeoutMillis: not a whole number of milliseconds")
    yield* sql`PRAGMA foreign_keys = ON`
    yield* sql.unsafe(`PRAGMA busy_timeout = ${busy}`)
    yield* sql`PRAGMA synchronous = NORMAL`
    // 64 MiB of page cache instead of 2 MiB: the indexes of a large inventory stay in memory.
    yield* sql`PRAGMA cache_size = -65536`
  }).pipe(Effect.orDie)

/** The connection, set up but not migrated. */
export const layerClient = (options: Options): Layer.Layer<SqliteClient.SqliteClient | SqlClient.SqlClient> =>
  Layer.effectDiscard(setUp(options)).pipe(
    Layer.provideMerge(SqliteClient.layer({ filename: options.filename })),
    Layer.orDie
  )

/** The connection with the migrations applied (for tools and tests that issue SQL themselves). */
export const layerClientMigrated = (
  options: Options
): Layer.Layer<SqliteClient.SqliteClient | SqlClient.SqlClient> =>
  Layer.provideMerge(Migrations.layer("sqlite"), layerClient(options))

/** The store on a file whose schema is already current (no migration step). */
export const layerWithoutMigrations = (options: Options): Layer.Layer<CertificateStore.CertificateStore> =>
  SqlCertificateStore.layer().pipe(Layer.provide(layerClient(options)))

/** The store on a file, migrated first: no statement of the store runs before the schema is current. */
export const layer = (options: Options): Layer.Layer<CertificateStore.CertificateStore> =>
  SqlCertificateStore.layer().pipe(Layer.provide(layerClientMigrated(options)))

/** The CertificateStore, TokenStore and TemplateCatalog on ONE connection to a file, migrated first. */
export const layerStores = (options: Options): Layer.Layer<SqlStores.Stores> =>
  SqlStores.layer().pipe(Layer.provide(layerClientMigrated(options)))
