/**
 * What the SQLite and PostgreSQL query-plan tests share (their `test/plans.test.ts` keep only the
 * dialect's EXPLAIN and what its plans must say): a store already holding one owner with the CA
 * certificates, built by the layer rather than by a first test so every test can run alone, and the exact
 * statements the store sends for each listing, look-up and expiry scan. Reached through the package's
 * "./QueryPlans" export; it needs no test runner, so the assertions stay in the adapters' tests.
 */
import { Certificate, CertificateStore, Ids, Owner } from "@certory/domain"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Statement from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SqlCertificateStore from "../src/SqlCertificateStore.js"

/** A compiled statement: the SQL and its parameters. */
export type Query = readonly [string, ReadonlyArray<unknown>]

/** The one owner every plan is about. */
export const owner = new Ids.IdentityStoreRef({ id: Ids.IdentityStoreId.make("d-66f1a2b3b80") })

/**
 * The store over `client`, holding `owner` with `certificates` bound (certificate ids c0, c1, ...), then
 * `prepare` run on the client (PostgreSQL: ANALYZE). Built once per test file; tests only read.
 */
export const layer = <E, R, E2, R2>(
  client: Layer.Layer<SqlClient.SqlClient, E, R>,
  certificates: Effect.Effect<ReadonlyArray<Certificate.Certificate>, E2, R2>,
  prepare: Effect.Effect<void, unknown, SqlClient.SqlClient> = Effect.void
): Layer.Layer<CertificateStore.CertificateStore | SqlClient.SqlClient, E | E2, R | R2> =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const store = yield* CertificateStore.CertificateStore
      yield* store
        .createOwner(new Owner.Owner({ ref: owner, enabled: true, createdAt: 1, createdBy: "t" }))
        .pipe(Effect.orDie)
      const items = (yield* certificates).map((certificate, i) => ({
        certificate,
        attributes: Certificate.BindingAttributes.make({}),
        certificateId: Ids.CertificateId.make(`c${i}`)
      }))
      yield* store.bind({ owner, items, boundBy: "t", boundAt: 1 }).pipe(Effect.orDie)
      yield* Effect.orDie(prepare)
    })
  ).pipe(Layer.provideMerge(Layer.provideMerge(SqlCertificateStore.layer(), client)))

/** The statements `effect` sends, compiled, in order. */
export const captured = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<Array<Query>, E, R> => {
  const statements: Array<Query> = []
  return Statement.withTransformer(effect, (self) => {
    statements.push(self.compile())
    return Effect.succeed(self)
  }).pipe(Effect.as(statements))
}

/** Each sort field's column, the second of its (owner_key, column, certificate_id) index. */
export const columns = {
  notAfter: "not_after",
  notBefore: "not_before",
  boundAt: "bound_at",
  // Subjects sort on a 256-code-point prefix (migration 2): the index is on that expression.
  subject: "subject_key"
} as const satisfies Record<CertificateStore.SortField, string>

/** Every listing order: each sort field in both directions. */
export const listings = (["notAfter", "notBefore", "boundAt", "subject"] as const).flatMap((field) =>
  (["asc", "desc"] as const).map((direction) => ({ field, direction, column: columns[field] }))
)

/** The page queries of one owner's listing in that order: the first page, then a keyset page. */
export const listingPages = (field: CertificateStore.SortField, direction: CertificateStore.SortDirection) =>
  Effect.gen(function* () {
    const store = yield* CertificateStore.CertificateStore
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
    return statements.filter(([query]) => query.includes("ORDER BY"))
  })

/** The look-up kinds, each answered by one statement. */
export const lookups = ["sha1", "spkiSha256", "serial", "sha256"] as const

/** The index each look-up must use; SHA-256 is the primary key, whose index each dialect names. */
export const lookupIndexes = (primaryKey: string): Record<(typeof lookups)[number], string> => ({
  sha1: "certificates_sha1",
  spkiSha256: "certificates_spki_sha256",
  serial: "certificates_serial_hex",
  sha256: primaryKey
})

/** The statement of a look-up by `kind`. */
export const lookup = (kind: (typeof lookups)[number]) =>
  Effect.flatMap(CertificateStore.CertificateStore, (store) =>
    captured(store.find({ keys: [{ kind, value: "00" }], limit: 10 }))
  ).pipe(Effect.map((statements) => statements.find(([query]) => query.includes("ORDER BY"))!))

/** The page query of the store-wide expiry scan. */
export const expiringPage = Effect.flatMap(CertificateStore.CertificateStore, (store) =>
  captured(store.listExpiring({ notAfterMax: 2_000_000_000_000, limit: 10 }))
).pipe(Effect.map((statements) => statements.find(([query]) => query.includes("ORDER BY"))!))

/** Every statement of the expiry scan scoped to `owner` and its identity store. */
export const scopedExpiring = Effect.flatMap(CertificateStore.CertificateStore, (store) =>
  captured(
    store.listExpiring({
      notAfterMax: 2_000_000_000_000,
      scope: { owners: [owner], identityStoreIds: [owner.id] },
      limit: 10
    })
  )
)
