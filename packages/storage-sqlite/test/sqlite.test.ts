/**
 * What only the SQLite adapter can get wrong: the connection set-up, the migrations and the file. The
 * behaviour of the store itself is the contract suite's job (sqlite.contract.test.ts).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate, Errors, Ids, Owner as OwnerModule, CertificateStore as Port } from "@certory/domain"
import { Batch, SqlCertificateStore } from "@certory/storage-sql"
import * as QueryPlans from "@certory/storage-sql/QueryPlans"
import { Fixtures } from "@certory/testing"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { SqliteCertificateStore } from "../src/index.js"

const tempFile = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "certory-sqlite-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => join(dir, "certory.sqlite")))

const { CertificateStore } = Port
type CertificateStore = Port.CertificateStore
const { BindingAttributes } = Certificate
const { CertificateId, IdentityStoreId, IdentityStoreRef } = Ids
const certificatesOf = (n: number) =>
  Effect.map(Fixtures.Corpus, (corpus) => corpus.cacerts.slice(0, n)).pipe(
    Effect.provide(Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer))
  )
const { Owner } = OwnerModule

const owner = new IdentityStoreRef({ id: IdentityStoreId.make("d-66f1a2b3b80") })

/** Runs `effect` against a store and its client opened on `filename`, then closes both. */
const withStore = <A, E>(
  filename: string,
  effect: Effect.Effect<A, E, CertificateStore | SqlClient.SqlClient>
) => {
  const client = SqliteCertificateStore.layerClientMigrated({ filename })
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
      expect(first).toEqual([
        { migration_id: 1, name: "init" },
        { migration_id: 2, name: "subject_sort_key" },
        { migration_id: 3, name: "tokens" },
        { migration_id: 4, name: "saml_config_submitted_pem" },
        { migration_id: 5, name: "templates" },
        { migration_id: 6, name: "jobs" }
      ])
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

  it.scoped(
    "eight processes opening one brand-new file at once all find the schema",
    () =>
      // The migrations used to be skipped as "already running" by all but one process, which then went
      // on before the tables existed (`no such table: owners`, 11 of 112 runs).
      Effect.gen(function* () {
        const filename = yield* tempFile
        const script = fileURLToPath(new URL("./open-store.ts", import.meta.url))
        const runs = yield* Effect.all(
          Array.from({ length: 8 }, () =>
            Effect.async<{ code: number | null; stderr: string }>((resume) => {
              const child = spawn(process.execPath, ["--import", "tsx", script, filename], {
                stdio: ["ignore", "ignore", "pipe"]
              })
              let stderr = ""
              child.stderr.on("data", (chunk) => {
                stderr += String(chunk)
              })
              child.on("close", (code) => resume(Effect.succeed({ code, stderr })))
            })
          ),
          { concurrency: "unbounded" }
        )
        expect(runs.filter((run) => run.code !== 0)).toEqual([])
        const owners = yield* withStore(
          filename,
          Effect.flatMap(CertificateStore, (store) => store.listOwners({ limit: 100 }))
        )
        expect(owners.total).toBe(8)
      }),
    120_000
  )

  // Live clock: the holder really holds the lock, the migrations really wait.
  it.scopedLive("the migrations outlast another connection's write lock held beyond one lock timeout", () =>
    // CI: one of eight `certory import` runs on a new file died with "database is locked" (an internal
    // error): its migration run waited out a whole busy_timeout on a loaded machine and was not retried.
    Effect.gen(function* () {
      const filename = yield* tempFile
      const holder = yield* Layer.build(SqliteCertificateStore.layerClient({ filename }))
      const sql = Context.get(holder, SqlClient.SqlClient)
      yield* sql.unsafe("BEGIN IMMEDIATE").raw
      yield* sql.unsafe("CREATE TABLE held (x integer)").raw
      yield* Effect.forkScoped(Effect.sleep("400 millis").pipe(Effect.zipRight(sql.unsafe("COMMIT").raw)))
      // Each wait gives up after 50 ms, several times, before the holder commits.
      const store = yield* Layer.build(SqliteCertificateStore.layer({ filename, busyTimeoutMillis: 50 }))
      const owners = yield* Context.get(store, CertificateStore).listOwners({ limit: 10 })
      expect(owners.total).toBe(0)
      const tables = yield* sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name = 'held'`
      expect(tables).toHaveLength(1)
    })
  )

  it.scoped("bind sends certificate rows in SHA-256 order, whatever the request's order", () =>
    // Certificate rows are shared by owners: two imports that overlap must lock them in one order, or
    // they can deadlock each other (PostgreSQL).
    Effect.gen(function* () {
      const filename = yield* tempFile
      const certificates = yield* certificatesOf(6)
      const statements = yield* withStore(
        filename,
        Effect.gen(function* () {
          const store = yield* CertificateStore
          yield* store.createOwner(new Owner({ ref: owner, enabled: true, createdAt: 1, createdBy: "t" }))
          return yield* QueryPlans.captured(
            store.bind({
              owner,
              items: [...certificates]
                .sort((a, b) => (a.sha256 < b.sha256 ? 1 : -1))
                .map((certificate) => ({
                  certificate,
                  attributes: BindingAttributes.make({}),
                  certificateId: CertificateId.make(globalThis.crypto.randomUUID())
                })),
              boundBy: "t",
              boundAt: 1
            })
          )
        })
      )
      const insert = statements.find(([query]) => query.startsWith("INSERT INTO certificates"))!
      // The rows travel as one JSON array parameter of objects (the guard's set of hashes is another).
      const rows = insert[1]
        .filter((p): p is string => typeof p === "string" && p.startsWith("[{"))
        .flatMap((p) => JSON.parse(p) as Array<{ sha256: string }>)
      const order = rows.map((row) => row.sha256)
      expect(order).toHaveLength(6)
      expect(order).toEqual([...order].sort())
    })
  )

  // Live clock: the retries really wait (jittered, from 10 ms).
  it.scopedLive(
    "a write that loses to concurrent writes is retried, then a WriteConflict; other failures are defects",
    () =>
      Effect.gen(function* () {
        const filename = yield* tempFile
        const [certificate] = yield* certificatesOf(1)
        const outcome = yield* withStore(
          filename,
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            // The real transaction, failing its first `failures` attempts with the given driver code.
            const flaky = (failures: number, code: string) => {
              let attempts = 0
              const run: Batch.RunBatch = (statements) =>
                Effect.suspend(() =>
                  ++attempts <= failures
                    ? Effect.fail(
                        new SqlError({ cause: Object.assign(new Error(code), { code }), message: code })
                      )
                    : Batch.transactionBatch(sql)(statements)
                )
              return { run, attempts: () => attempts }
            }
            const bindWith = (runBatch: Batch.RunBatch, ref: Ids.OwnerRef) =>
              Effect.flatMap(SqlCertificateStore.make({ runBatch }), (store) =>
                store.bind({
                  owner: ref,
                  items: [
                    {
                      certificate: certificate!,
                      attributes: BindingAttributes.make({}),
                      certificateId: CertificateId.make(globalThis.crypto.randomUUID())
                    }
                  ],
                  boundBy: "t",
                  boundAt: 1
                })
              )
            const store = yield* CertificateStore
            const cards = [0, 1, 2].map(() =>
              Ids.SmartCardRef.make({ id: Schema.decodeSync(Ids.Guid)(globalThis.crypto.randomUUID()) })
            )
            for (const ref of cards)
              yield* store.createOwner(new Owner({ ref, enabled: true, createdAt: 1, createdBy: "t" }))

            const twice = flaky(2, "SQLITE_BUSY")
            const retried = yield* bindWith(twice.run, cards[0]!)
            const always = flaky(1_000, "40001")
            const conflict = yield* bindWith(always.run, cards[1]!).pipe(Effect.flip)
            const broken = flaky(1, "SQLITE_CORRUPT")
            const defect = yield* bindWith(broken.run, cards[2]!).pipe(Effect.exit)
            const listed = yield* Effect.forEach(cards, (ref) =>
              store.listBindings({ owner: ref, sort: { field: "notAfter", direction: "asc" }, limit: 10 })
            )
            return {
              retried,
              retriedAttempts: twice.attempts(),
              conflict,
              conflictAttempts: always.attempts(),
              defect,
              brokenAttempts: broken.attempts(),
              totals: listed.map((page) => page.total)
            }
          })
        )
        expect(outcome.retried[0]!.created).toBe(true)
        expect(outcome.retriedAttempts).toBe(3)
        expect(outcome.conflict).toBeInstanceOf(Errors.WriteConflict)
        expect(outcome.conflictAttempts).toBe(6)
        expect(Exit.isFailure(outcome.defect) && Cause.isDie(outcome.defect.cause)).toBe(true)
        expect(outcome.brokenAttempts).toBe(1)
        expect(outcome.totals).toEqual([1, 0, 0])
      })
  )
})
