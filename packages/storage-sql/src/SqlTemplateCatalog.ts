/**
 * The TemplateCatalog port over an @effect/sql client: one implementation for SQLite, PostgreSQL and
 * Cloudflare D1, on the `templates` table of migration 5. Each write is ONE statement whose outcome is
 * read from its own RETURNING rows, run through the same atomic batch, retries and WriteConflict as the
 * other SQL stores; `names` is one query whatever the number of OIDs (they travel as one JSON
 * parameter: D1 binds at most 100). Infrastructure failures and undecodable rows are defects.
 */
import { Errors, TemplateCatalog, TemplateEntry } from "@certory/domain"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Rows from "./Rows.js"
import * as SqlStore from "./SqlStore.js"

type Row = Rows.Row

export type Options = SqlStore.Options

const decodeEntry = Schema.decodeUnknownSync(Rows.TemplateRow)
const encodeEntry = Schema.encodeSync(Rows.TemplateRow)
const NameRow = Schema.Struct({ oid: Schema.String, name: Schema.String })
const decodeNameRow = Schema.decodeUnknownSync(NameRow)

export const make = (
  options: Options = {}
): Effect.Effect<TemplateCatalog.TemplateCatalog["Type"], never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const { sql, batch, query } = yield* SqlStore.context(options)
    const names = Rows.templateColumns.map(([name]) => name)
    const columns = sql.literal(names.join(", "))
    const one = (rows: ReadonlyArray<Row>) => Option.map(Option.fromNullable(rows[0]), decodeEntry)

    // One upsert statement: concurrent puts of one OID never meet a unique violation (each waits for the
    // other's row and then updates it), and the row ends as exactly one put wrote it.
    const put = (oid: TemplateEntry.TemplateOid, name: string, by: string, at: number) => {
      const row = encodeEntry(TemplateEntry.TemplateEntry.make({ oid, name, updatedAt: at, updatedBy: by }))
      const values = sql.csv(names.map((column) => sql`${(row as Row)[column]}`))
      return batch([
        sql<Row>`INSERT INTO templates (${columns}) VALUES (${values})
          ON CONFLICT (oid) DO UPDATE SET
            name = excluded.name, updated_at = excluded.updated_at, updated_by = excluded.updated_by
          RETURNING ${columns}`
      ]).pipe(
        Effect.flatMap(([rows]) =>
          Option.match(one(rows ?? []), {
            onNone: () => Effect.dieMessage("the template upsert returned no row"),
            onSome: Effect.succeed
          })
        )
      )
    }

    const remove = (oid: TemplateEntry.TemplateOid) =>
      batch([sql<Row>`DELETE FROM templates WHERE oid = ${oid} RETURNING oid`]).pipe(
        Effect.flatMap(([rows]) =>
          rows?.length === 1 ? Effect.void : Effect.fail(new Errors.TemplateNotFound({ oid }))
        )
      )

    const get = (oid: TemplateEntry.TemplateOid) =>
      query(sql<Row>`SELECT ${columns} FROM templates WHERE oid = ${oid}`).pipe(Effect.map(one))

    const list = (q: TemplateCatalog.TemplateQuery) =>
      SqlStore.keysetPage(sql, {
        table: "templates",
        key: "oid",
        select: columns,
        after: q.afterOid,
        limit: q.limit,
        decode: decodeEntry
      })

    // The OIDs as one JSON array parameter, looked up through the primary key (on PostgreSQL as an
    // array: `IN (SELECT ...)` over a set-returning function is planned as a hash join over the table).
    const namesOf = (oids: ReadonlyArray<string>) => {
      const distinct = [...new Set(oids)]
      if (distinct.length === 0) return Effect.succeed(new Map<string, string>())
      const set = JSON.stringify(distinct)
      return query(
        sql<Row>`SELECT oid, name FROM templates WHERE ${sql.onDialectOrElse({
          pg: () => sql`oid = ANY(ARRAY(SELECT jsonb_array_elements_text(CAST(${set} AS jsonb))))`,
          orElse: () => sql`oid IN (SELECT value FROM json_each(${set}))`
        })}`
      ).pipe(
        Effect.map(
          (rows) =>
            new Map(
              rows.map((row) => {
                const { oid, name } = decodeNameRow(row)
                return [oid, name] as const
              })
            )
        )
      )
    }

    return TemplateCatalog.TemplateCatalog.of({ put, remove, get, list, names: namesOf })
  })

/** The catalog over whatever SqlClient is provided; the caller runs the migrations first. */
export const layer = (
  options: Options = {}
): Layer.Layer<TemplateCatalog.TemplateCatalog, never, SqlClient.SqlClient> =>
  Layer.effect(TemplateCatalog.TemplateCatalog, make(options))
