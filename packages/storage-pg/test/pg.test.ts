/**
 * What only the PostgreSQL adapter can get wrong: BIGINT columns come back as strings, text must sort
 * bytewise, concurrent writers need the row lock, and the migrations must be versioned and idempotent.
 * The behaviour of the store itself is the contract suite's job (pg.contract.test.ts).
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate, Errors, Ids, Owner as OwnerModule, CertificateStore as Port } from "@certory/domain"
import { SqlCertificateStore } from "@certory/storage-sql"
import { Fixtures } from "@certory/testing"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { PgCertificateStore } from "../src/index.js"
import { freshSchema, urlFor } from "./database.js"

const { CertificateStore } = Port
const certificates = (n: number) =>
  Effect.map(Fixtures.Corpus, (corpus) => corpus.cacerts.slice(0, n)).pipe(
    Effect.provide(Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer))
  )
const owner = new Ids.IdentityStoreRef({ id: Ids.IdentityStoreId.make("d-66f1a2b3b80") })
const parent = owner
const idp = new Ids.IdpRef({ identityStoreId: parent.id, idpId: Ids.IdpId.make("corp") })
const makeOwner = (ref: Ids.OwnerRef, createdAt: number) =>
  new OwnerModule.Owner({ ref, enabled: true, createdAt, createdBy: "t" })
const attributes = Certificate.BindingAttributes.make({})

/** Runs `effect` against the store and its client on `url`, then disconnects. */
const withStore = <A, E>(
  url: string,
  effect: Effect.Effect<A, E, Port.CertificateStore | SqlClient.SqlClient>
) =>
  Effect.scoped(
    Layer.build(
      Layer.provideMerge(SqlCertificateStore.layer(), PgCertificateStore.layerClientMigrated({ url }))
    ).pipe(Effect.flatMap((context) => Effect.provide(effect, context)))
  )

describe("PgCertificateStore", () => {
  it.scoped("applies each versioned migration once, also when a second instance starts", () =>
    Effect.gen(function* () {
      const { url } = yield* freshSchema
      const migrations = Effect.flatMap(
        SqlClient.SqlClient,
        (sql) =>
          sql<{
            migration_id: number
            name: string
          }>`SELECT migration_id, name FROM effect_sql_migrations ORDER BY migration_id`
      ).pipe(Effect.orDie)
      const [first, second] = yield* Effect.all([withStore(url, migrations), withStore(url, migrations)], {
        concurrency: 2
      })
      const third = yield* withStore(url, migrations)
      expect(first).toEqual([
        { migration_id: 1, name: "init" },
        { migration_id: 2, name: "subject_sort_key" },
        { migration_id: 3, name: "tokens" },
        { migration_id: 4, name: "saml_config_submitted_pem" },
        { migration_id: 5, name: "templates" },
        { migration_id: 6, name: "jobs" }
      ])
      expect(second).toEqual(first)
      expect(third).toEqual(first)
    })
  )

  it.scoped("decodes BIGINT epoch milliseconds (returned as strings) beyond 32 bits and before 1970", () =>
    Effect.gen(function* () {
      const { url } = yield* freshSchema
      const [certificate] = yield* certificates(1)
      const result = yield* withStore(
        url,
        Effect.gen(function* () {
          const store = yield* CertificateStore
          const sql = yield* SqlClient.SqlClient
          yield* store.createOwner(makeOwner(owner, -631_152_000_000)) // 1950
          yield* store.bind({
            owner,
            items: [{ certificate: certificate!, attributes, certificateId: Ids.CertificateId.make("c1") }],
            boundBy: "t",
            boundAt: 4_102_444_800_123 // 2100
          })
          const raw = yield* Effect.orDie(sql<{ bound_at: unknown }>`SELECT bound_at FROM bindings`)
          return {
            raw: raw[0]?.bound_at,
            owner: Option.getOrThrow(yield* store.getOwner(owner)),
            binding: Option.getOrThrow(yield* store.getBinding(owner, Ids.CertificateId.make("c1"))),
            total: (yield* store.listBindings({
              owner,
              sort: { field: "boundAt", direction: "asc" },
              limit: 1
            })).total
          }
        })
      )
      expect(typeof result.raw).toBe("string")
      expect(result.owner.createdAt).toBe(-631_152_000_000)
      expect(result.binding.binding.boundAt).toBe(4_102_444_800_123)
      expect(result.binding.certificate).toEqual(certificate)
      expect(result.total).toBe(1)
    })
  )

  it.scoped('compares keys and subjects bytewise (COLLATE "C"), whatever the database\'s collation', () =>
    Effect.gen(function* () {
      const { schema, url } = yield* freshSchema
      const collations = yield* withStore(
        url,
        Effect.flatMap(
          SqlClient.SqlClient,
          (sql) =>
            sql<{ table_name: string; column_name: string; collation_name: string | null }>`
            SELECT table_name, column_name, collation_name FROM information_schema.columns
            WHERE table_schema = ${schema}
              AND column_name IN ('owner_key', 'certificate_id', 'subject', 'sha256')
            ORDER BY table_name, column_name`
        ).pipe(Effect.orDie)
      )
      // owners, certificates, bindings (owner_key, certificate_id, sha256, subject), idp_syncs, notifications.
      expect(collations.length).toBe(9)
      for (const column of collations) expect(column.collation_name).toBe("C")
    })
  )

  // Both settings: the guards must hold whatever the server's default isolation is (under REPEATABLE
  // READ they used to count from a snapshot taken before the owner lock was granted: 5-8 of 8 binds
  // got past a limit of 2, and 8 concurrent unbinds left no valid certificate).
  for (const isolation of ["read committed", "repeatable read"]) {
    it.scoped(`serialises concurrent binds and unbinds of one owner (default isolation ${isolation})`, () =>
      Effect.gen(function* () {
        const { schema } = yield* freshSchema
        // libpq's `options` takes a backslash before a space inside a value.
        const url = urlFor(schema, { default_transaction_isolation: isolation.replace(" ", "\\ ") })
        const certs = yield* certificates(8)
        const outcome = yield* withStore(
          url,
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const [setting] = yield* sql<{
              default_transaction_isolation: string
            }>`SHOW default_transaction_isolation`
            const store = yield* CertificateStore
            yield* store.createOwner(makeOwner(parent, 1))
            yield* store.createOwner(makeOwner(idp, 1))
            const limited = yield* Effect.all(
              certs.map((certificate, i) =>
                Effect.either(
                  store.bind({
                    owner: idp,
                    items: [{ certificate, attributes, certificateId: Ids.CertificateId.make(`c${i}`) }],
                    boundBy: "t",
                    boundAt: i,
                    maxBindings: 2
                  })
                )
              ),
              { concurrency: "unbounded" }
            )
            const same = yield* Effect.all(
              Array.from({ length: 6 }, (_, i) =>
                store.bind({
                  owner: parent,
                  items: [
                    { certificate: certs[0]!, attributes, certificateId: Ids.CertificateId.make(`s${i}`) }
                  ],
                  boundBy: "t",
                  boundAt: i
                })
              ),
              { concurrency: "unbounded" }
            )
            const listed = yield* store.listBindings({
              owner: idp,
              sort: { field: "boundAt", direction: "asc" },
              limit: 10
            })
            // Eight certificates valid at `at` on the parent store's owner; eight concurrent unbinds that
            // each keep one valid: exactly one must survive.
            const keeper = makeOwner(
              new Ids.IdpRef({ identityStoreId: parent.id, idpId: Ids.IdpId.make("keep") }),
              1
            )
            yield* store.createOwner(keeper)
            const bound = yield* store.bind({
              owner: keeper.ref,
              items: certs.map((certificate, i) => ({
                certificate,
                attributes,
                certificateId: Ids.CertificateId.make(`k${i}`)
              })),
              boundBy: "t",
              boundAt: 1
            })
            const at = Math.max(...certs.map((c) => c.notBefore))
            expect(certs.every((c) => c.notAfter >= at)).toBe(true)
            const unbinds = yield* Effect.all(
              bound.map(({ binding }) =>
                Effect.either(
                  store.unbind({
                    owner: keeper.ref,
                    certificateId: binding.certificateId,
                    keepValid: { from: at, until: at }
                  })
                )
              ),
              { concurrency: "unbounded" }
            )
            const left = yield* store.listBindings({
              owner: keeper.ref,
              sort: { field: "boundAt", direction: "asc" },
              limit: 10
            })
            return {
              setting: setting?.default_transaction_isolation,
              limited,
              same: same.flat(),
              listed,
              unbinds,
              left
            }
          })
        )
        expect(outcome.setting).toBe(isolation)
        const refused = outcome.limited.filter(Either.isLeft).map((e) => e.left)
        expect(outcome.limited.filter(Either.isRight).length).toBe(2)
        expect(refused.length).toBe(6)
        for (const error of refused) expect(error).toBeInstanceOf(Errors.CertificateLimitReached)
        expect(outcome.listed.total).toBe(2)
        expect(outcome.same.filter((r) => r.created).length).toBe(1)
        expect(new Set(outcome.same.map((r) => r.binding.certificateId)).size).toBe(1)
        expect(outcome.left.total).toBe(1)
        expect(outcome.unbinds.filter(Either.isRight).length).toBe(7)
        for (const failed of outcome.unbinds.filter(Either.isLeft)) {
          expect(failed.left).toBeInstanceOf(Errors.LastValidCertificate)
        }
      })
    )
  }

  it.scoped(
    "overlapping imports to different owners never deadlock (certificate rows in SHA-256 order)",
    () =>
      Effect.gen(function* () {
        const { url } = yield* freshSchema
        const certs = yield* certificates(60)
        const rounds = yield* withStore(
          url,
          Effect.gen(function* () {
            const store = yield* CertificateStore
            const outcomes: Array<Either.Either<unknown, unknown>> = []
            for (let round = 0; round < 40; round++) {
              // Each round, two owners import the same fresh certificates in opposite orders at once.
              const batch = certs.map((c) => ({
                ...c,
                sha256: Ids.Sha256Hex.make(uniqueSha(round, c.sha256))
              }))
              const owners = [0, 1].map(() =>
                Ids.SmartCardRef.make({ id: decodeGuid(globalThis.crypto.randomUUID()) })
              )
              for (const ref of owners) yield* store.createOwner(makeOwner(ref, 1))
              const results = yield* Effect.all(
                owners.map((ref, i) =>
                  Effect.either(
                    store.bind({
                      owner: ref,
                      items: (i === 0 ? batch : [...batch].reverse()).map((certificate) => ({
                        certificate: Certificate.Certificate.make(certificate),
                        attributes,
                        certificateId: Ids.CertificateId.make(globalThis.crypto.randomUUID())
                      })),
                      boundBy: "t",
                      boundAt: round
                    })
                  )
                ),
                { concurrency: "unbounded" }
              )
              outcomes.push(...results)
            }
            return outcomes
          })
        )
        // A deadlock would surface as a defect (or, after the retries, a WriteConflict): none may occur.
        expect(rounds.filter(Either.isLeft)).toEqual([])
        expect(rounds.length).toBe(80)
      })
  )
})

const decodeGuid = Schema.decodeSync(Ids.Guid)

/** A SHA-256-shaped key unique to a round (the rows are facts under test, not parsed certificates). */
const uniqueSha = (round: number, sha256: string): string =>
  `${round.toString(16).toUpperCase().padStart(4, "0")}${sha256.slice(4)}`
