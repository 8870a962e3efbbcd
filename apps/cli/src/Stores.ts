/**
 * Store URLs: `sqlite:PATH` (the embedded default), `postgres://...` / `postgresql://...`, `memory:`.
 * The one place the CLI turns a URL into store layers (the CertificateStore, the TokenStore and the
 * TemplateCatalog on one connection), after checking that the store is there (or may be created) and its
 * schema is current (the JobStore too: `owners show` reads an IdP's last sync); a password in a PostgreSQL URL never appears in what is printed.
 */

import { closeSync, existsSync, openSync, readSync, type Stats, statSync } from "node:fs"
import { dirname } from "node:path"
import type { CertificateStore, JobStore, TemplateCatalog, TokenStore } from "@certory/domain"
import {
  MemoryCertificateStore,
  MemoryJobStore,
  MemoryTemplateCatalog,
  MemoryTokenStore
} from "@certory/storage-memory"
import { PgCertificateStore } from "@certory/storage-pg"
import {
  Migrations,
  SqlCertificateStore,
  SqlJobStore,
  SqlTemplateCatalog,
  SqlTokenStore
} from "@certory/storage-sql"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import * as SqlClient from "@effect/sql/SqlClient"
import { type Context, Data, Effect, Either, Layer, type Scope } from "effect"

export type StoreUrl =
  | { readonly _tag: "Sqlite"; readonly filename: string }
  | { readonly _tag: "Postgres"; readonly url: string }
  | { readonly _tag: "Memory" }

export const parse = (text: string): Either.Either<StoreUrl, string> => {
  const trimmed = text.trim()
  if (trimmed === "memory:") return Either.right({ _tag: "Memory" })
  if (trimmed.startsWith("sqlite:")) {
    const filename = trimmed.slice("sqlite:".length)
    return filename === ""
      ? Either.left("sqlite: needs a file name (sqlite:./certory.sqlite)")
      : Either.right({ _tag: "Sqlite", filename })
  }
  if (/^postgres(ql)?:\/\//.test(trimmed)) {
    try {
      new URL(trimmed)
    } catch {
      return Either.left("not a valid postgres:// URL")
    }
    return Either.right({ _tag: "Postgres", url: trimmed })
  }
  return Either.left(`unknown store "${display(trimmed)}": use sqlite:PATH, postgres://... or memory:`)
}

/** The URL as it may be printed: no password. */
export const display = (text: string): string => {
  try {
    const url = new URL(text)
    if (url.password !== "") url.password = "***"
    return url.protocol.startsWith("postgres") ? url.toString() : text
  } catch {
    return text.length > 200 ? `${text.slice(0, 200)}…` : text
  }
}

export const describe = (store: StoreUrl): string =>
  store._tag === "Memory"
    ? "memory: (lost on exit)"
    : store._tag === "Sqlite"
      ? `sqlite:${store.filename}`
      : display(store.url)

/** Every store `serve` needs, the JobStore included (the native API reads an IdP's last sync). */
export const layer = (
  store: StoreUrl
): Layer.Layer<
  | CertificateStore.CertificateStore
  | TokenStore.TokenStore
  | TemplateCatalog.TemplateCatalog
  | JobStore.JobStore
> => {
  switch (store._tag) {
    case "Memory":
      return Layer.mergeAll(
        MemoryCertificateStore.layer,
        MemoryTokenStore.layer,
        MemoryTemplateCatalog.layer,
        MemoryJobStore.layer
      )
    case "Sqlite":
      return SqliteCertificateStore.layerStores({ filename: store.filename })
    case "Postgres":
      return PgCertificateStore.layerStores({ url: store.url })
  }
}

/** Why a store could not be opened: one line, the URL without its password. */
export class OpenFailed extends Data.TaggedError("OpenFailed")<{ readonly message: string }> {}

/** The schema version this build of certory writes (the last migration's id). */
export const SCHEMA_VERSION: number = Migrations.migrations("sqlite").at(-1)?.id ?? 0

export interface OpenOptions {
  /** Whether a missing store may be created (`owners add`, `import`, `migrate`); otherwise it is an error. */
  readonly create: boolean
  /** Whether pending migrations are applied; otherwise an out-of-date schema is an error. */
  readonly migrate: boolean
}

export type Services =
  | CertificateStore.CertificateStore
  | TokenStore.TokenStore
  | TemplateCatalog.TemplateCatalog
  | JobStore.JobStore

export interface Opened {
  readonly context: Context.Context<Services>
  /** The schema version before this run, 0 when the store was new. */
  readonly before: number
  /** The migrations this run applied. */
  readonly applied: ReadonlyArray<number>
}

const SQLITE_HEADER = "SQLite format 3\0"

/** The first line of whatever a driver threw, with its cause (node-postgres puts the reason there). */
const reason = (defect: unknown): string => {
  const message = (value: unknown): string =>
    value instanceof Error || (typeof value === "object" && value !== null && "message" in value)
      ? String((value as { message: unknown }).message)
      : String(value)
  const own = message(defect)
  const cause =
    typeof defect === "object" && defect !== null && "cause" in defect && defect.cause !== undefined
      ? message(defect.cause)
      : ""
  const text = cause !== "" && cause !== own && !own.includes(cause) ? `${own}: ${cause}` : own
  const line = text.split("\n")[0] ?? ""
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

/**
 * What is at a SQLite path before anything opens it (opening creates the file): a missing directory, a
 * directory, or a file that is not SQLite are errors; a missing or empty file is a store only when the
 * command may create one.
 */
const checkSqlitePath = (filename: string, create: boolean): Either.Either<void, string> => {
  const noStore = `no certory store at ${filename} (certory migrate, owners add or import creates one)`
  const directory = dirname(filename)
  let stat: Stats | undefined
  try {
    stat = statSync(filename)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== "ENOENT") return Either.left(`cannot read ${filename}: ${reason(error)}`)
  }
  if (stat === undefined) {
    if (!existsSync(directory)) return Either.left(`no such directory: ${directory}`)
    return create ? Either.right(undefined) : Either.left(noStore)
  }
  if (stat.isDirectory()) return Either.left(`${filename} is a directory, not a certory store`)
  if (stat.size === 0) return create ? Either.right(undefined) : Either.left(noStore)
  try {
    const fd = openSync(filename, "r")
    try {
      const header = Buffer.alloc(16)
      const read = readSync(fd, header, 0, 16, 0)
      if (read < 16 || header.toString("latin1") !== SQLITE_HEADER)
        return Either.left(`${filename} is not a certory store (not a SQLite database)`)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    return Either.left(`cannot read ${filename}: ${reason(error)}`)
  }
  return Either.right(undefined)
}

/** The schema version recorded in the store: 0 when it has none; a foreign SQLite database is an error. */
const schemaVersion = (dialect: Migrations.Dialect, where: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    let present: boolean
    if (dialect === "sqlite") {
      const tables = yield* sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
      present = tables.some((table) => table.name === "effect_sql_migrations")
      if (!present && tables.length > 0)
        return yield* new OpenFailed({
          message: `${where} is not a certory store (a SQLite database with other tables)`
        })
    } else {
      const rows = yield* sql<{
        present: boolean
      }>`SELECT to_regclass('effect_sql_migrations') IS NOT NULL AS present`
      present = rows[0]?.present === true
    }
    if (!present) return 0
    const rows = yield* sql<{
      version: number | string | null
    }>`SELECT MAX(migration_id) AS version FROM effect_sql_migrations`
    return Number(rows[0]?.version ?? 0)
  })

/**
 * Opens the store a URL names, within the caller's scope: checks that it is there (or may be created),
 * applies pending migrations (or refuses an out-of-date schema), and builds the stores on one connection.
 * Every failure, including a driver's, is one OpenFailed line.
 */
export const open = (store: StoreUrl, options: OpenOptions): Effect.Effect<Opened, OpenFailed, Scope.Scope> =>
  Effect.gen(function* () {
    // A file is named as the user wrote it (`--db` or `sqlite:`), a server without its password.
    const where = store._tag === "Sqlite" ? store.filename : describe(store)
    const orFail = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(
        Effect.catchAllDefect((defect) =>
          Effect.fail(new OpenFailed({ message: `cannot open ${where}: ${reason(defect)}` }))
        ),
        Effect.catchAll((error) =>
          error instanceof OpenFailed
            ? Effect.fail(error)
            : Effect.fail(new OpenFailed({ message: `cannot open ${where}: ${reason(error)}` }))
        )
      )
    if (store._tag === "Memory") {
      const context = yield* orFail(
        Layer.build(
          Layer.mergeAll(
            MemoryCertificateStore.layer,
            MemoryTokenStore.layer,
            MemoryTemplateCatalog.layer,
            MemoryJobStore.layer
          )
        )
      )
      return { context, before: 0, applied: [] }
    }
    if (store._tag === "Sqlite") {
      const checked = checkSqlitePath(store.filename, options.create)
      if (Either.isLeft(checked)) return yield* new OpenFailed({ message: checked.left })
    }
    const dialect: Migrations.Dialect = store._tag === "Sqlite" ? "sqlite" : "pg"
    const client = yield* orFail(
      Layer.build(
        store._tag === "Sqlite"
          ? SqliteCertificateStore.layerClient({ filename: store.filename })
          : PgCertificateStore.layerClient({ url: store.url })
      )
    )
    const inClient = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) =>
      orFail(Effect.provide(effect, client))
    const before = yield* inClient(schemaVersion(dialect, where))
    if (before === 0 && !options.create)
      return yield* new OpenFailed({
        message: `no certory store at ${where} (certory migrate, owners add or import creates one)`
      })
    if (before > SCHEMA_VERSION)
      return yield* new OpenFailed({
        message: `${where} has schema version ${before}, newer than this certory's ${SCHEMA_VERSION}: upgrade certory`
      })
    let applied: ReadonlyArray<number> = []
    if (before < SCHEMA_VERSION) {
      if (!options.migrate)
        return yield* new OpenFailed({
          message: `${where} has schema version ${before}, this certory needs ${SCHEMA_VERSION}: run certory migrate (or drop --no-migrate)`
        })
      applied = yield* inClient(Migrations.run(dialect))
    }
    const stores = yield* orFail(
      Layer.build(
        Layer.mergeAll(
          SqlCertificateStore.layer(),
          SqlTokenStore.layer(),
          SqlTemplateCatalog.layer(),
          SqlJobStore.layer()
        ).pipe(Layer.provide(Layer.succeedContext(client)))
      )
    )
    return { context: stores, before, applied }
  })
