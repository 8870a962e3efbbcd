/**
 * The queries the store sends are index range scans: one owner's listing, by every sort field and in
 * both directions, reads its index in order (no sort step), so its cost is O(log n + page) whatever the
 * store holds; look-ups and the expiry scan (whole or scoped to a caller's owners) use their indexes too. Checked with EXPLAIN QUERY PLAN on the
 * exact SQL and parameters the store sent.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate, Ids, Owner as OwnerModule, CertificateStore as Port } from "@certory/domain"
import { SqlCertificateStore } from "@certory/storage-sql"
import { Fixtures } from "@certory/testing"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Statement from "@effect/sql/Statement"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { SqliteCertificateStore } from "../src/index.js"

const { CertificateStore } = Port
const owner = new Ids.IdentityStoreRef({ id: Ids.IdentityStoreId.make("d-66f1a2b3b80") })

/** The statements `effect` sends, compiled, in order. */
const captured = <A, E, R>(effect: Effect.Effect<A, E, R>) => {
  const statements: Array<readonly [string, ReadonlyArray<unknown>]> = []
  return Statement.withTransformer(effect, (self) => {
    statements.push(self.compile())
    return Effect.succeed(self)
  }).pipe(Effect.as(statements))
}

const plan = (query: readonly [string, ReadonlyArray<unknown>]) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.unsafe<{ detail: string }>(`EXPLAIN QUERY PLAN ${query[0]}`, [...query[1]])
  ).pipe(
    Effect.orDie,
    Effect.map((rows) => rows.map((row) => row.detail).join("\n"))
  )

const layer = Layer.mergeAll(
  Layer.provideMerge(
    SqlCertificateStore.layer(),
    SqliteCertificateStore.layerClient({ filename: ":memory:" })
  ),
  Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer)
)

describe("query plans", () => {
  it.layer(layer)((it) => {
    it.effect("set up: one owner with the CA certificates", () =>
      Effect.gen(function* () {
        const store = yield* CertificateStore
        const corpus = yield* Fixtures.Corpus
        yield* store.createOwner(
          new OwnerModule.Owner({ ref: owner, enabled: true, createdAt: 1, createdBy: "t" })
        )
        const items = corpus.cacerts.map((certificate, i) => ({
          certificate,
          attributes: Certificate.BindingAttributes.make({}),
          certificateId: Ids.CertificateId.make(`c${i}`)
        }))
        yield* store.bind({ owner, items, boundBy: "t", boundAt: 1 })
      })
    )

    const columns = {
      notAfter: "not_after",
      notBefore: "not_before",
      boundAt: "bound_at",
      subject: "subject"
    }
    for (const field of ["notAfter", "notBefore", "boundAt", "subject"] as const) {
      for (const direction of ["asc", "desc"] as const) {
        it.effect(
          `listing by ${field} ${direction} is a range scan of (owner_key, ${columns[field]}, certificate_id)`,
          () =>
            Effect.gen(function* () {
              const store = yield* CertificateStore
              const after = {
                value: field === "subject" ? "CN=M" : 1_000_000_000_000,
                certificateId: Ids.CertificateId.make("c5")
              }
              const statements = yield* captured(
                Effect.all([
                  store.listBindings({ owner, sort: { field, direction }, limit: 10 }),
                  store.listBindings({ owner, sort: { field, direction }, limit: 10, after })
                ])
              )
              const pages = statements.filter(([query]) => query.includes("ORDER BY"))
              expect(pages.length).toBe(2)
              for (const page of pages) {
                const detail = yield* plan(page)
                expect(detail).toContain(`USING INDEX bindings_owner_${columns[field]}`)
                expect(detail).not.toContain("TEMP B-TREE")
              }
            })
        )
      }
    }

    it.effect("look-ups and the expiry scan use their indexes", () =>
      Effect.gen(function* () {
        const store = yield* CertificateStore
        const expected = {
          sha1: "certificates_sha1",
          spkiSha256: "certificates_spki_sha256",
          serial: "certificates_serial_hex",
          sha256: "sqlite_autoindex_certificates_1"
        } as const
        for (const kind of ["sha1", "spkiSha256", "serial", "sha256"] as const) {
          const statements = yield* captured(store.find(kind, "00"))
          expect(yield* plan(statements[0]!)).toContain(expected[kind])
        }
        const expiring = yield* captured(store.listExpiring({ notAfterMax: 2_000_000_000_000, limit: 10 }))
        const page = expiring.find(([query]) => query.includes("ORDER BY"))!
        const detail = yield* plan(page)
        expect(detail).toContain("USING INDEX bindings_not_after")
        expect(detail).not.toContain("TEMP B-TREE")
        // Scoped to a caller's owners, it reads only their bindings in the window (per-owner index
        // searches, then a sort of those), not the whole window of the store.
        const scoped = yield* captured(
          store.listExpiring({
            notAfterMax: 2_000_000_000_000,
            scope: { owners: [owner], identityStoreIds: [owner.id] },
            limit: 10
          })
        )
        for (const statement of scoped) {
          const scopedDetail = yield* plan(statement)
          expect(scopedDetail).toContain("bindings_owner_not_after (owner_key=? AND not_after<?)")
          expect(scopedDetail).not.toMatch(/SCAN b\b/)
        }
      })
    )
  })
})
