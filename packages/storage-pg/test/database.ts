/**
 * A fresh schema per test run on the real PostgreSQL (DATABASE_URL, or the local server): created before,
 * dropped after, so concurrent runs never see each other. An unreachable server fails loudly.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { PgClient } from "@effect/sql-pg"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

export const baseUrl = process.env.DATABASE_URL ?? "postgres://root@127.0.0.1:5432/test"

const unreachable = (cause: unknown) =>
  new Error(
    `PostgreSQL at ${baseUrl} is unreachable or refused the test schema. Start it ` +
      "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL.",
    { cause }
  )

/** The URL of `schema` on the test server: node-postgres passes `options` to the server at connect. */
export const urlFor = (schema: string, settings: Record<string, string> = {}): string => {
  const options = Object.entries({ search_path: schema, ...settings })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ")
  return `${baseUrl}${baseUrl.includes("?") ? "&" : "?"}options=${encodeURIComponent(options)}`
}

/** Creates a uniquely named schema and drops it (with everything in it) when the scope closes. */
export const freshSchema = Effect.gen(function* () {
  const admin = yield* Layer.build(PgClient.layer({ url: Redacted.make(baseUrl) })).pipe(
    Effect.orDieWith(unreachable)
  )
  const sql = yield* Effect.provide(SqlClient.SqlClient, admin)
  const schema = `certory_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  yield* Effect.acquireRelease(Effect.orDieWith(sql`CREATE SCHEMA ${sql(schema)}`, unreachable), () =>
    Effect.orDie(sql`DROP SCHEMA ${sql(schema)} CASCADE`)
  )
  return { schema, url: urlFor(schema) }
})

/** A layer whose building makes a fresh schema and whose release drops it: for `it.layer`. */
export const withFreshSchema = <A, E, R>(make: (url: string) => Layer.Layer<A, E, R>): Layer.Layer<A, E, R> =>
  Layer.unwrapScoped(Effect.map(freshSchema, ({ url }) => make(url)))
