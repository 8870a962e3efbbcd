/**
 * The embedded default: the CertificateStore in one SQLite file (better-sqlite3 through
 * @effect/sql-sqlite-node). The layer opens the file, sets the connection up and applies the migrations.
 */
import type { CertificateStore } from "@certory/domain"
import { Migrations, SqlCertificateStore } from "@certory/storage-sql"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as Config from "effect/Config"
import type { ConfigError } from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export interface Options {
  readonly filename: string
}

// WAL lets readers (the API) run beside a writer (the sync job). synchronous=NORMAL is the documented
// WAL pairing: still never corrupt, a power loss may only drop the last commits, and commits skip an
// fsync each. busy_timeout makes a second process wait for the write lock instead of failing at once.
const setUp = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`PRAGMA foreign_keys = ON`
  yield* sql`PRAGMA busy_timeout = 5000`
  yield* sql`PRAGMA synchronous = NORMAL`
  // 64 MiB of page cache instead of 2 MiB: the indexes of a large inventory stay in memory.
  yield* sql`PRAGMA cache_size = -65536`
}).pipe(Effect.orDie)

/** The SqlClient the store runs on, set up and migrated; exported for tests and tools (benchmarks). */
export const layerClient = (options: Options): Layer.Layer<SqliteClient.SqliteClient | SqlClient.SqlClient> =>
  Layer.effectDiscard(Effect.zipRight(setUp, Migrations.run("sqlite"))).pipe(
    Layer.provideMerge(SqliteClient.layer({ filename: options.filename })),
    Layer.orDie
  )

export const layer = (options: Options): Layer.Layer<CertificateStore.CertificateStore> =>
  SqlCertificateStore.layer().pipe(Layer.provide(layerClient(options)))

/** The file from CERTORY_SQLITE_FILE, `./certory.sqlite` by default. */
export const layerConfig: Layer.Layer<CertificateStore.CertificateStore, ConfigError> = Layer.unwrapEffect(
  Config.string("CERTORY_SQLITE_FILE").pipe(
    Config.withDefault("./certory.sqlite"),
    Effect.map((filename) => layer({ filename }))
  )
)
