/**
 * The serve targets of the request suite: ONE real `certory serve` process per test file (apps/cli's
 * bin through tsx, `--port 0`, `--no-demo`, the tests' bootstrap token) on a SQLite file or a fresh
 * PostgreSQL schema, and the same store opened in the test process through the same store layers, for
 * seeding (`run`) and for emptying every table before each test's first request. Requests go over real
 * HTTP; the log lines are the child's stderr JSON lines. `setup.ts` starts and stops it per file.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { X509CertificateParser } from "@certory/certificate-parser"
import { PgCertificateStore } from "@certory/storage-pg"
import { SqlStores } from "@certory/storage-sql"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, ManagedRuntime } from "effect"
import type { Services } from "../../src/Runtime.js"

export type Target = "memory" | "sqlite" | "postgres"

/** CERTORY_API_TARGET, set by the vitest config of each target; memory when unset. */
export const target = (): Target => {
  const value = process.env.CERTORY_API_TARGET ?? "memory"
  if (value === "memory" || value === "sqlite" || value === "postgres") return value
  throw new Error(`CERTORY_API_TARGET=${value}: expected memory, sqlite or postgres`)
}

const BIN = fileURLToPath(new URL("../../../cli/src/bin.ts", import.meta.url))
const CLI_DIR = fileURLToPath(new URL("../../../cli/", import.meta.url))
/** How long a response's log line may take to arrive on the child's stderr before the test fails. */
const LOG_WAIT_MS = 30_000

export const postgresBaseUrl = () => process.env.DATABASE_URL ?? "postgres://root@127.0.0.1:5432/test"

export interface Server {
  readonly url: string
  /** The test process's own connection to the child's store: the use-cases, for seeding. */
  readonly runtime: ManagedRuntime.ManagedRuntime<Services | SqlClient.SqlClient, never>
  /** Every JSON line the child wrote on stderr so far. */
  readonly logs: ReadonlyArray<Record<string, unknown>>
  /** Waits until the child has logged the request with this id (every response is logged). */
  readonly logged: (requestId: string) => Promise<void>
  /** Empties every table but the migrations' bookkeeping, through the test process's connection. */
  readonly reset: () => Promise<void>
  /** What the child said, for failure messages. */
  readonly describe: () => string
  readonly stop: () => Promise<void>
}

/** The store layers the CLI composes for a URL (`layerStores`), keeping the SqlClient for `reset`. */
const storeLayer = (client: Layer.Layer<SqlClient.SqlClient>) =>
  Layer.mergeAll(SqlStores.layer().pipe(Layer.provideMerge(client)), X509CertificateParser.layer)

const emptyTables = (dialect: "sqlite" | "pg") =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const tables =
      dialect === "sqlite"
        ? (yield* sql<{ name: string }>`SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'effect_sql_migrations'`).map(
            (t) => t.name
          )
        : (yield* sql<{ name: string }>`SELECT tablename AS name FROM pg_tables
            WHERE schemaname = current_schema() AND tablename <> 'effect_sql_migrations'`).map((t) => t.name)
    if (tables.length === 0) return yield* Effect.dieMessage("no tables to empty: is the store migrated?")
    if (dialect === "pg") {
      yield* sql.unsafe(`TRUNCATE ${tables.map((t) => `"${t}"`).join(", ")}`)
      return
    }
    // Foreign keys are checked at commit, when every table is empty.
    yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`PRAGMA defer_foreign_keys = ON`
        for (const table of tables) yield* sql.unsafe(`DELETE FROM "${table}"`)
      })
    )
  }).pipe(Effect.orDie)

const unreachable = (cause: unknown) =>
  new Error(
    `PostgreSQL at ${postgresBaseUrl()} is unreachable or refused the test schema. Start it ` +
      "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL.",
    { cause }
  )

/** A fresh schema on the test server; `drop` removes it with everything in it. */
const freshSchema = async () => {
  const base = postgresBaseUrl()
  const admin = ManagedRuntime.make(PgCertificateStore.layerClient({ url: base }))
  const sql = (text: string) =>
    admin.runPromise(Effect.flatMap(SqlClient.SqlClient, (client) => client.unsafe(text)))
  const schema = `certory_api_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  try {
    await sql(`CREATE SCHEMA ${schema}`)
  } catch (cause) {
    await admin.dispose()
    throw unreachable(cause)
  }
  return {
    url: `${base}${base.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      try {
        await sql(`DROP SCHEMA ${schema} CASCADE`)
      } finally {
        await admin.dispose()
      }
    }
  }
}

const spawnServe = (store: string, adminToken: string) =>
  new Promise<{
    child: ChildProcess
    url: string
    lines: Array<Record<string, unknown>>
    other: Array<string>
    onLine: Set<() => void>
    exited: Promise<number | null>
  }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--no-demo", "--store", store],
      { cwd: CLI_DIR, env: { ...process.env, CERTORY_ADMIN_TOKEN: adminToken }, stdio: "pipe" }
    )
    const lines: Array<Record<string, unknown>> = []
    const other: Array<string> = []
    const onLine = new Set<() => void>()
    let stdout = ""
    let pending = ""
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)))
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk
      const complete = pending.split("\n")
      pending = complete.pop()!
      for (const text of complete) {
        try {
          const parsed: unknown = JSON.parse(text)
          if (parsed !== null && typeof parsed === "object") lines.push(parsed as Record<string, unknown>)
          else other.push(text)
        } catch {
          if (text.trim() !== "") other.push(text)
        }
      }
      for (const wake of onLine) wake()
    })
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
      const url = /certory API on (http:\/\/\S+)/.exec(stdout)?.[1]
      if (url !== undefined) resolve({ child, url, lines, other, onLine, exited })
    })
    exited.then((code) =>
      reject(new Error(`certory serve exited ${code} before listening: ${other.join("\n")}\n${stdout}`))
    )
  })

/** Starts `certory serve` on a new store of the target's kind, and opens that store here too. */
export const start = async (kind: "sqlite" | "postgres", adminToken: string): Promise<Server> => {
  let store: string
  let client: Layer.Layer<SqlClient.SqlClient>
  let cleanUp: () => Promise<void>
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "certory-api-"))
    const filename = join(dir, "certory.sqlite")
    store = `sqlite:${filename}`
    client = SqliteCertificateStore.layerClientMigrated({ filename })
    cleanUp = async () => rmSync(dir, { recursive: true, force: true })
  } else {
    const schema = await freshSchema()
    store = schema.url
    client = PgCertificateStore.layerClientMigrated({ url: schema.url })
    cleanUp = schema.drop
  }
  // The child migrates the store before it listens; the test process opens it only then.
  const child = await spawnServe(store, adminToken).catch(async (error) => {
    await cleanUp()
    throw error
  })
  const runtime = ManagedRuntime.make(storeLayer(client))
  const dialect = kind === "sqlite" ? "sqlite" : "pg"
  const describe = () =>
    `certory serve (${kind}) exit code ${child.child.exitCode ?? "none yet"}; stderr: ${child.other.slice(-20).join("\n")}`
  let stopping: Promise<void> | undefined
  return {
    url: child.url,
    runtime,
    logs: child.lines,
    describe,
    logged: (requestId) =>
      new Promise<void>((resolve, reject) => {
        const found = () => child.lines.some((line) => line.request_id === requestId && "status" in line)
        if (found()) return resolve()
        const timer = setTimeout(() => {
          child.onLine.delete(check)
          reject(new Error(`no log line for request ${requestId} within ${LOG_WAIT_MS} ms; ${describe()}`))
        }, LOG_WAIT_MS)
        const check = () => {
          if (!found()) return
          clearTimeout(timer)
          child.onLine.delete(check)
          resolve()
        }
        child.onLine.add(check)
      }),
    reset: () => runtime.runPromise(emptyTables(dialect)),
    stop: () => {
      stopping ??= (async () => {
        try {
          await runtime.dispose()
        } finally {
          if (child.child.exitCode === null) {
            child.child.kill("SIGTERM")
            const timer = setTimeout(() => child.child.kill("SIGKILL"), 15_000)
            await child.exited
            clearTimeout(timer)
          }
          await cleanUp()
        }
      })()
      return stopping
    }
  }
}

let current: Promise<Server> | undefined

/** Starts this test file's server (once); `setup.ts` calls it before the file's tests. */
export const startForFile = (adminToken: string): Promise<Server> => {
  const kind = target()
  if (kind === "memory") throw new Error("the memory target runs in process; no server to start")
  current ??= start(kind, adminToken)
  return current
}

/** This test file's server; the serve configs' setup file started it. */
export const server = (): Promise<Server> => {
  if (current === undefined)
    throw new Error(`CERTORY_API_TARGET=${target()} but no server was started: run through its vitest config`)
  return current
}

export const stopForFile = async (): Promise<void> => {
  const running = current
  current = undefined
  // A server that failed to start has failed the file's tests already; there is nothing to stop.
  const server = await running?.catch(() => undefined)
  if (server !== undefined) await server.stop()
}
