/**
 * The CertificateStore in PostgreSQL (node-postgres through @effect/sql-pg). The layer connects and
 * applies the migrations (the Migrator locks its table, so several instances may start at once).
 */
import type { CertificateStore } from "@certory/domain"
import { Migrations, SqlCertificateStore } from "@certory/storage-sql"
import type * as SqlClient from "@effect/sql/SqlClient"
import { PgClient } from "@effect/sql-pg"
import * as Config from "effect/Config"
import type { ConfigError } from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

export interface Options {
  /** `postgres://user@host:port/database`; `?options=-c search_path=...` selects a schema. */
  readonly url: string | Redacted.Redacted
}

/** The SqlClient the store runs on, migrated; exported for tests and tools (benchmarks). */
export const layerClient = (options: Options): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient> =>
  Layer.effectDiscard(Migrations.run("pg")).pipe(
    Layer.provideMerge(
      PgClient.layer({
        url: typeof options.url === "string" ? Redacted.make(options.url) : options.url,
        applicationName: "certory"
      })
    ),
    // A database that cannot be reached or migrated at start is not something a caller can handle.
    Layer.orDie
  )

export const layer = (options: Options): Layer.Layer<CertificateStore.CertificateStore> =>
  SqlCertificateStore.layer().pipe(Layer.provide(layerClient(options)))

/** The database from DATABASE_URL. */
export const layerConfig: Layer.Layer<CertificateStore.CertificateStore, ConfigError> = Layer.unwrapEffect(
  Config.redacted("DATABASE_URL").pipe(Config.map((url) => layer({ url })))
)
