/**
 * The queries the store sends are index range scans: one owner's listing, by every sort field and in
 * both directions, reads its index in order (no sort step), so its cost is O(log n + page) whatever the
 * store holds; look-ups and the expiry scan (whole or scoped to a caller's owners) use their indexes too. Checked with EXPLAIN QUERY PLAN on the
 * exact SQL and parameters the store sent. The data and the statements come from @certory/storage-sql's
 * QueryPlans, shared with the PostgreSQL adapter; each test stands alone.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { SqlTemplateCatalog } from "@certory/storage-sql"
import * as QueryPlans from "@certory/storage-sql/QueryPlans"
import { Fixtures } from "@certory/testing"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { SqliteCertificateStore } from "../src/index.js"

const plan = (query: QueryPlans.Query) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.unsafe<{ detail: string }>(`EXPLAIN QUERY PLAN ${query[0]}`, [...query[1]])
  ).pipe(
    Effect.orDie,
    Effect.map((rows) => rows.map((row) => row.detail).join("\n"))
  )

const layer = QueryPlans.layer(
  SqliteCertificateStore.layerClientMigrated({ filename: ":memory:" }),
  Effect.map(Fixtures.Corpus, (corpus) => corpus.cacerts)
).pipe(Layer.provide(Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer)))

describe("query plans", () => {
  it.layer(layer)((it) => {
    for (const { field, direction, column } of QueryPlans.listings) {
      it.effect(
        `listing by ${field} ${direction} is a range scan of (owner_key, ${column}, certificate_id)`,
        () =>
          Effect.gen(function* () {
            const pages = yield* QueryPlans.listingPages(field, direction)
            expect(pages.length).toBe(2)
            for (const page of pages) {
              const detail = yield* plan(page)
              expect(detail).toContain(`USING INDEX bindings_owner_${column}`)
              expect(detail).not.toContain("TEMP B-TREE")
            }
          })
      )
    }

    it.effect("look-ups and the expiry scan use their indexes", () =>
      Effect.gen(function* () {
        const indexes = QueryPlans.lookupIndexes("sqlite_autoindex_certificates_1")
        for (const kind of QueryPlans.lookups) {
          expect(yield* plan(yield* QueryPlans.lookup(kind))).toContain(indexes[kind])
        }
        const detail = yield* plan(yield* QueryPlans.expiringPage)
        expect(detail).toContain("USING INDEX bindings_not_after")
        expect(detail).not.toContain("TEMP B-TREE")
        // Scoped to a caller's owners, it reads only their bindings in the window (per-owner index
        // searches, then a sort of those), not the whole window of the store.
        for (const statement of yield* QueryPlans.scopedExpiring) {
          const scopedDetail = yield* plan(statement)
          expect(scopedDetail).toContain("bindings_owner_not_after (owner_key=? AND not_after<?)")
          expect(scopedDetail).not.toMatch(/SCAN b\b/)
        }
      })
    )

    it.effect("the template names of a page are primary-key searches", () =>
      Effect.gen(function* () {
        const catalog = yield* SqlTemplateCatalog.make()
        const [names] = yield* QueryPlans.captured(catalog.names(["1.2.3", "1.2.4"]))
        const detail = yield* plan(names!)
        expect(detail).toContain("SEARCH templates USING INDEX sqlite_autoindex_templates_1 (oid=?)")
        expect(detail).not.toMatch(/SCAN templates/)
      })
    )
  })
})
