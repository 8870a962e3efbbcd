/**
 * The CertificateStore in PostgreSQL (node-postgres through @effect/sql-pg). `layerClient` connects;
 * the migrations are a layer of their own (`Migrations.layer("pg")` from @certory/storage-sql, under an
 * advisory lock so several instances may start at once); `layer` composes the three, and `layerStores`
 * adds the TokenStore, the TemplateCatalog and the JobStore on the same pool. Where to connect
 * is the application's choice (an option, never an environment variable read here).
 */
import type { CertificateStore } from "@certory/domain"
import { Migrations, SqlCertificateStore, SqlStores } from "@certory/storage-sql"
import type * as SqlClient from "@effect/sql/SqlClient"
import { PgClient } from "@effect/sql-pg"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

export interface Options {
  /** `postgres://user@host:port/database`; `?options=-c search_path=...` selects a schema. */
  readonly url: string | Redacted.Redacted
}

/** The connection pool, not migrated. */
export const layerClient = (options: Options): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient> =>
  PgClient.layer({
    url: typeof options.url === "string" ? Redacted.make(options.url) : options.url,
    applicationName: "certory"
  }).pipe(
    // A database that cannot be reached at start is not something a caller can handle.
    Layer.orDie
  )

/** The pool with the migrations applied (for tools and tests that issue SQL themselves). */
export const layerClientMigrated = (options: Options): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient> =>
  Layer.provideMerge(Migrations.layer("pg"), layerClient(options))

/** The store on a database whose schema is already current (no migration step). */
export const layerWithoutMigrations = (options: Options): Layer.Layer<CertificateStore.CertificateStore> =>
  SqlCertificateStore.layer().pipe(Layer.provide(layerClient(options)))

/** The store, migrated first: no statement of the store runs before the schema is current. */
export const layer = (options: Options): Layer.Layer<CertificateStore.CertificateStore> =>
  SqlCertificateStore.layer().pipe(Layer.provide(layerClientMigrated(options)))

/** The CertificateStore, TokenStore and TemplateCatalog on ONE pool, migrated first. */
export const layerStores = (options: Options): Layer.Layer<SqlStores.Stores> =>
  SqlStores.layer().pipe(Layer.provide(layerClientMigrated(options)))
