/**
 * The queries the store sends can be answered by index range scans without a sort step: one owner's
 * listing by every sort field in both directions, the look-ups and the expiry scan. Checked with EXPLAIN
 * on the exact SQL and parameters the store sent, on a session that refuses sequential scans and sorts
 * wherever an alternative exists (the tables are too small here for the planner to prefer indexes).
 * The data and the statements come from @certory/storage-sql's QueryPlans, shared with the SQLite
 * adapter; each test stands alone.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { SqlTemplateCatalog } from "@certory/storage-sql"
import * as QueryPlans from "@certory/storage-sql/QueryPlans"
import { Fixtures } from "@certory/testing"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { PgCertificateStore } from "../src/index.js"
import { freshSchema, urlFor } from "./database.js"

/** The plan of a query; `allowSort` lets the planner sort a handful of rows found by an index. */
const plan = (query: QueryPlans.Query, allowSort = false) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.withTransaction(
      Effect.zipRight(
        allowSort ? sql`SET LOCAL enable_sort = on` : Effect.void,
        sql.unsafe<{ "QUERY PLAN": string }>(`EXPLAIN ${query[0]}`, [...query[1]])
      )
    )
  ).pipe(
    Effect.orDie,
    Effect.map((rows) => rows.map((row) => row["QUERY PLAN"]).join("\n"))
  )

const layer = QueryPlans.layer(
  Layer.unwrapScoped(
    Effect.map(freshSchema, ({ schema }) =>
      PgCertificateStore.layerClientMigrated({
        url: urlFor(schema, { enable_seqscan: "off", enable_sort: "off" })
      })
    )
  ),
  Effect.map(Fixtures.Corpus, (corpus) => corpus.cacerts),
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`ANALYZE`)
).pipe(Layer.provide(Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer)))

describe("query plans", () => {
  it.layer(layer)((it) => {
    for (const { field, direction, column } of QueryPlans.listings) {
      it.effect(`listing by ${field} ${direction} scans (owner_key, ${column}, certificate_id)`, () =>
        Effect.gen(function* () {
          const pages = yield* QueryPlans.listingPages(field, direction)
          expect(pages.length).toBe(2)
          for (const page of pages) {
            const detail = yield* plan(page)
            expect(detail).toMatch(
              new RegExp(`Index (Only )?Scan( Backward)? using bindings_owner_${column} `)
            )
            expect(detail).not.toMatch(/Sort/)
          }
        })
      )
    }

    it.effect("look-ups and the expiry scan use their indexes", () =>
      Effect.gen(function* () {
        const indexes = QueryPlans.lookupIndexes("certificates_pkey")
        for (const kind of QueryPlans.lookups) {
          expect(yield* plan(yield* QueryPlans.lookup(kind), true)).toContain(indexes[kind])
        }
        const detail = yield* plan(yield* QueryPlans.expiringPage)
        expect(detail).toContain("using bindings_not_after")
        expect(detail).not.toMatch(/Sort/)
      })
    )

    it.effect("the template names of a page are primary-key searches", () =>
      Effect.gen(function* () {
        const catalog = yield* SqlTemplateCatalog.make()
        const [names] = yield* QueryPlans.captured(catalog.names(["1.2.3", "1.2.4"]))
        expect(yield* plan(names!)).toMatch(/Index Cond: \(oid = ANY/)
      })
    )
  })
})
