/**
 * What only the SQLite adapter can get wrong: the connection set-up, the migrations and the file. The
 * behaviour of the store itself is the contract suite's job (sqlite.contract.test.ts).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate, Ids, Owner as OwnerModule, CertificateStore as Port } from "@certory/domain"
import { SqlCertificateStore } from "@certory/storage-sql"
import { Fixtures } from "@certory/testing"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { SqliteCertificateStore } from "../src/index.js"

const tempFile = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "certory-sqlite-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => join(dir, "certory.sqlite")))

const { CertificateStore } = Port
type CertificateStore = Port.CertificateStore
const { BindingAttributes } = Certificate
const { CertificateId, IdentityStoreId, IdpId, IdpRef } = Ids
const { Owner } = OwnerModule

const owner = new IdpRef({
  identityStoreId: IdentityStoreId.make("d-66f1a2b3b80"),
  idpId: IdpId.make("corp")
})

/** Runs `effect` against a store and its client opened on `filename`, then closes both. */
const withStore = <A, E>(
  filename: string,
  effect: Effect.Effect<A, E, CertificateStore | SqlClient.SqlClient>
) => {
  const client = SqliteCertificateStore.layerClient({ filename })
  return Effect.scoped(
    Layer.build(Layer.provideMerge(SqlCertificateStore.layer(), client)).pipe(
      Effect.flatMap((context) => Effect.provide(effect, context))
    )
  )
}

describe("SqliteCertificateStore", () => {
  it.scoped("opens the file in WAL mode with foreign keys enforced and a busy timeout", () =>
    Effect.gen(function* () {
      const filename = yield* tempFile
      const pragmas = yield* withStore(
        filename,
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          return {
            journal: yield* sql<{ journal_mode: string }>`PRAGMA journal_mode`,
            foreignKeys: yield* sql<{ foreign_keys: number }>`PRAGMA foreign_keys`,
            timeout: yield* sql<{ timeout: number }>`PRAGMA busy_timeout`
          }
        })
      )
      expect(pragmas.journal[0]?.journal_mode).toBe("wal")
      expect(pragmas.foreignKeys[0]?.foreign_keys).toBe(1)
      expect(pragmas.timeout[0]?.timeout).toBe(5000)
    })
  )

  it.scoped("layerConfig opens the file named by CERTORY_SQLITE_FILE", () =>
    Effect.gen(function* () {
      const filename = yield* tempFile
      const provider = ConfigProvider.fromMap(new Map([["CERTORY_SQLITE_FILE", filename]]))
      yield* Effect.scoped(Layer.build(SqliteCertificateStore.layerConfig)).pipe(
        Effect.withConfigProvider(provider)
      )
      expect(existsSync(filename)).toBe(true)
    })
  )

  it.scoped("applies each versioned migration once, also when the file is opened again", () =>
    Effect.gen(function* () {
      const filename = yield* tempFile
      const migrations = Effect.flatMap(
        SqlClient.SqlClient,
        (sql) =>
          sql<{
            migration_id: number
            name: string
          }>`SELECT migration_id, name FROM effect_sql_migrations ORDER BY migration_id`
      ).pipe(Effect.orDie)
      const first = yield* withStore(filename, migrations)
      const second = yield* withStore(filename, migrations)
      expect(first).toEqual([{ migration_id: 1, name: "init" }])
      expect(second).toEqual(first)
    })
  )

  it.scoped("keeps owners, certificates and bindings across a re-open of the file", () =>
    Effect.gen(function* () {
      const filename = yield* tempFile
      const [certificate] = (yield* Fixtures.Corpus).cacerts
      yield* withStore(
        filename,
        Effect.gen(function* () {
          const store = yield* CertificateStore
          yield* store.createOwner(
            new Owner({ ref: owner, enabled: true, createdAt: 1_700_000_000_000, createdBy: "test" })
          )
          yield* store.bind({
            owner,
            items: [
              {
                certificate: certificate!,
                attributes: BindingAttributes.make({}),
                certificateId: CertificateId.make("c1")
              }
            ],
            boundBy: "test",
            boundAt: 1_700_000_000_001
          })
        })
      )
      const found = yield* withStore(
        filename,
        Effect.flatMap(CertificateStore, (store) => store.getBinding(owner, CertificateId.make("c1")))
      )
      const stored = Option.getOrThrow(found)
      expect(stored.certificate).toEqual(certificate)
      expect(stored.binding.boundAt).toBe(1_700_000_000_001)
    }).pipe(Effect.provide(Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer)))
  )
})
