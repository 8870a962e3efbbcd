/**
 * How the SQL stores run a write: a list of statements executed atomically (a transaction on SQLite and
 * PostgreSQL, one `D1Database.batch` on D1), tried again when it lost to concurrent writes, and then
 * reported as a WriteConflict with nothing written. Shared by SqlCertificateStore and SqlTokenStore.
 */
import { Errors } from "@certory/domain"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type * as Rows from "./Rows.js"

type Row = Rows.Row

/** Runs statements atomically (all or none) and returns each statement's rows, in order. */
export type RunBatch = (
  statements: ReadonlyArray<Statement.Statement<Row>>
) => Effect.Effect<ReadonlyArray<ReadonlyArray<Row>>, SqlError>

/**
 * The default batch: the statements in order inside one transaction. On PostgreSQL the transaction is
 * READ COMMITTED whatever the server's `default_transaction_isolation`: the guards rely on each
 * statement seeing what was committed before the owner lock was granted (under REPEATABLE READ they
 * would count from a snapshot taken before it, and let two concurrent binds past the IdP limit).
 */
export const transactionBatch =
  (sql: SqlClient.SqlClient): RunBatch =>
  (statements) =>
    sql.withTransaction(
      Effect.zipRight(
        sql.onDialectOrElse({
          pg: () => sql`SET TRANSACTION ISOLATION LEVEL READ COMMITTED`,
          orElse: () => Effect.void
        }),
        Effect.forEach(statements, (statement) => statement)
      )
    )

/**
 * Failures another attempt can cure: PostgreSQL serialization failures and deadlocks, SQLite's lock wait
 * running out. Anything else is a defect.
 */
export const isTransient = (error: SqlError): boolean => {
  const code = (error.cause as { readonly code?: unknown } | null | undefined)?.code
  return (
    code === "40001" ||
    code === "40P01" ||
    (typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")))
  )
}

/** How often a write that lost to concurrent writes is tried again before it is a WriteConflict. */
const retries = Schedule.exponential("10 millis").pipe(
  Schedule.jittered,
  Schedule.intersect(Schedule.recurs(5))
)

/**
 * A write that loses to concurrent writes is tried again a few times, then reported; nothing of a
 * failed attempt remains (each is one transaction or one D1 batch). Other failures are defects.
 */
export const withRetries =
  (runBatch: RunBatch) =>
  (
    statements: ReadonlyArray<Statement.Statement<Row>>
  ): Effect.Effect<ReadonlyArray<ReadonlyArray<Row>>, Errors.WriteConflict> =>
    runBatch(statements).pipe(
      Effect.retry({ schedule: retries, while: isTransient }),
      Effect.catchAll((error) =>
        isTransient(error)
          ? Effect.fail(
              new Errors.WriteConflict({
                message: "the write lost to concurrent writes; nothing was written, try again"
              })
            )
          : Effect.die(error)
      )
    )
