/**
 * What the SQL stores share beside Batch: their options, the client, retrying batch and query every store
 * runs on, and keyset pages of a table with one unique key (the rows after a key in key order, with the
 * table's row count), as the template catalog and the token store list. Infrastructure failures are
 * defects, as everywhere in the SQL stores.
 */
import type { CertificateStore } from "@certory/domain"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Batch from "./Batch.js"
import * as Rows from "./Rows.js"

type Row = Rows.Row

export interface Options {
  /** How a write's statements run atomically; a transaction unless the driver has none (D1). */
  readonly runBatch?: Batch.RunBatch
}

/** The client, its atomic batch with retries, and reads whose failures are defects. */
export const context = (options: Options) =>
  Effect.map(SqlClient.SqlClient, (sql) => ({
    sql,
    batch: Batch.withRetries(options.runBatch ?? Batch.transactionBatch(sql)),
    query: <A>(statement: Statement.Statement<A>) => Effect.orDie(statement)
  }))

const decodeInt = Schema.decodeUnknownSync(Rows.Int)

/** One keyset page of `table` ordered by its unique `key`; `table`, `key` and `select` are SQL text. */
export interface KeysetPage<A> {
  readonly table: string
  readonly key: string
  readonly select: Statement.Fragment
  /** The rows whose key sorts after this one; none: from the first. */
  readonly after: string | undefined
  readonly limit: number
  readonly decode: (row: Row) => A
}

/** The page and the table's row count, read together. */
export const keysetPage = <A>(
  sql: SqlClient.SqlClient,
  page: KeysetPage<A>
): Effect.Effect<CertificateStore.Slice<A>> => {
  const table = sql.literal(page.table)
  const key = sql.literal(page.key)
  return Effect.all({
    total: Effect.orDie(sql<Row>`SELECT count(*) AS n FROM ${table}`),
    items: Effect.orDie(
      sql<Row>`SELECT ${page.select} FROM ${table}
        WHERE ${page.after === undefined ? sql`1=1` : sql`${key} > ${page.after}`}
        ORDER BY ${key} LIMIT ${page.limit}`
    )
  }).pipe(
    Effect.map(({ items, total }) => ({
      items: items.map((row) => page.decode(row)),
      total: decodeInt(total[0]?.n)
    }))
  )
}
