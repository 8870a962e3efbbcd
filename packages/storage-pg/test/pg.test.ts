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
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { PgCertificateStore } from "../src/index.js"
import { freshSchema } from "./database.js"

const { CertificateStore } = Port
const certificates = (n: number) =>
  Effect.map(Fixtures.Corpus, (corpus) => corpus.cacerts.slice(0, n)).pipe(
    Effect.provide(Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer))
  )
const owner = new Ids.IdpRef({
  identityStoreId: Ids.IdentityStoreId.make("d-66f1a2b3b80"),
  idpId: Ids.IdpId.make("corp")
})
const makeOwner = (createdAt: number) =>
  new OwnerModule.Owner({ ref: owner, enabled: true, createdAt, createdBy: "t" })
const attributes = Certificate.BindingAttributes.make({})

/** Runs `effect` against the store and its client on `url`, then disconnects. */
const withStore = <A, E>(
  url: string,
  effect: Effect.Effect<A, E, Port.CertificateStore | SqlClient.SqlClient>
) =>
  Effect.scoped(
    Layer.build(
      Layer.provideMerge(SqlCertificateStore.layer(), PgCertificateStore.layerClient({ url }))
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
      expect(first).toEqual([{ migration_id: 1, name: "init" }])
      expect(second).toEqual(first)
      expect(third).toEqual(first)
    })
  )

  it.scoped("layerConfig connects to DATABASE_URL and migrates it", () =>
    Effect.gen(function* () {
      const { url } = yield* freshSchema
      const provider = ConfigProvider.fromMap(new Map([["DATABASE_URL", url]]))
      yield* Effect.flatMap(CertificateStore, (store) => store.createOwner(makeOwner(1))).pipe(
        Effect.provide(PgCertificateStore.layerConfig),
        Effect.withConfigProvider(provider)
      )
      const found = yield* withStore(
        url,
        Effect.flatMap(CertificateStore, (store) => store.getOwner(owner))
      )
      expect(Option.isSome(found)).toBe(true)
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
          yield* store.createOwner(makeOwner(-631_152_000_000)) // 1950
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
      expect(collations.length).toBe(7)
      for (const column of collations) expect(column.collation_name).toBe("C")
    })
  )

  it.scoped("serialises concurrent binds to one owner: the limit holds and a binding is created once", () =>
    Effect.gen(function* () {
      const { url } = yield* freshSchema
      const certs = yield* certificates(8)
      const store2 = new Ids.IdentityStoreRef({ id: owner.identityStoreId })
      const outcome = yield* withStore(
        url,
        Effect.gen(function* () {
          const store = yield* CertificateStore
          yield* store.createOwner(makeOwner(1))
          yield* store.createOwner(
            new OwnerModule.Owner({ ref: store2, enabled: true, createdAt: 1, createdBy: "t" })
          )
          const limited = yield* Effect.all(
            certs.map((certificate, i) =>
              Effect.either(
                store.bind({
                  owner,
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
                owner: store2,
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
            owner,
            sort: { field: "boundAt", direction: "asc" },
            limit: 10
          })
          return { limited, same: same.flat(), listed }
        })
      )
      const refused = outcome.limited.filter(Either.isLeft).map((e) => e.left)
      expect(outcome.limited.filter(Either.isRight).length).toBe(2)
      expect(refused.length).toBe(6)
      for (const error of refused) expect(error).toBeInstanceOf(Errors.CertificateLimitReached)
      expect(outcome.listed.total).toBe(2)
      expect(outcome.same.filter((r) => r.created).length).toBe(1)
      expect(new Set(outcome.same.map((r) => r.binding.certificateId)).size).toBe(1)
    })
  )
})
