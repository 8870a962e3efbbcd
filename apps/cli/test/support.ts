/**
 * Running the CLI from tests: the real binary through tsx, in a temporary directory, with the sample
 * certificates; and a fresh PostgreSQL schema per test (an unreachable server fails the test loudly).
 */
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import * as SqlClient from "@effect/sql/SqlClient"
import { PgClient } from "@effect/sql-pg"
import { Effect, ManagedRuntime, Redacted } from "effect"

export const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
/** tsx's loader by absolute URL: runs from any working directory resolve it. */
const tsx = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist", "loader.mjs")
).href
export const sample = (name: string) => fileURLToPath(new URL(`../samples/${name}`, import.meta.url))

export const USER = sample("smartcard-ad-user.der") // expired 2017, template OID only
export const DC = sample("smartcard-ad-dc.pem") // expired 2025, template "DomainController"
export const IDP = sample("idp-signing.pem") // valid 2013..2038

export const SMART_CARD = "smartcard:5badfea3-de31-4837-99f9-8249515a5473"
export const IDENTITY_STORE = "identity-store:d-66f1a2b3b80"
export const IDP_OWNER = "idp:d-66f1a2b3b80/idp-azure"

export const tempDir = () => mkdtempSync(join(tmpdir(), "certory-cli-"))

/**
 * The environment a CLI run gets: the test's, as the test administrator, without the store and width
 * settings a developer's shell may hold (tables fit COLUMNS when set: a test sets it itself); then
 * `overrides`, where undefined removes a variable.
 */
export const cliEnv = (overrides: Record<string, string | undefined> = {}): Record<string, string> => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    CERTORY_PRINCIPAL: "test-admin",
    CERTORY_STORE: undefined,
    CERTORY_SQLITE_FILE: undefined,
    COLUMNS: undefined,
    ...overrides
  }
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
  return env as Record<string, string>
}

/** The command line that runs the CLI from source (node, tsx's loader, src/bin.ts, then `args`). */
export const cliArgv = (args: ReadonlyArray<string>): Array<string> => [
  process.execPath,
  "--import",
  tsx,
  bin,
  ...args
]

export interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  readonly input?: Uint8Array
  readonly env?: Record<string, string | undefined>
  readonly cwd?: string
}

/** Runs the CLI asynchronously, so independent runs go side by side. */
export const certory = (args: ReadonlyArray<string>, options: RunOptions = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const [node, ...rest] = cliArgv(args)
    const child = spawn(node!, rest, {
      cwd: options.cwd ?? fileURLToPath(new URL("..", import.meta.url)),
      env: cliEnv(options.env)
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, stdout, stderr }))
    child.stdin.end(options.input)
  })

/** One line, no stack trace. */
export const oneLine = (stderr: string): boolean =>
  stderr.trim() !== "" && stderr.trim().split("\n").length === 1 && !/\n\s+at /.test(stderr)

export const pgBase = process.env.DATABASE_URL ?? "postgres://root@127.0.0.1:5432/test"

/**
 * Runs `body` with the URL of a new, empty schema on the test server, dropped afterwards. Fails loudly
 * when the server is unreachable.
 */
export const withPgSchema = async <A>(body: (url: string) => Promise<A>): Promise<A> => {
  const admin = ManagedRuntime.make(PgClient.layer({ url: Redacted.make(pgBase) }))
  const sql = (text: string) =>
    admin.runPromise(Effect.flatMap(SqlClient.SqlClient, (client) => client.unsafe(text)))
  const schema = `certory_cli_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  try {
    await sql(`CREATE SCHEMA ${schema}`)
  } catch (cause) {
    await admin.dispose()
    throw new Error(
      `PostgreSQL at ${pgBase} is unreachable. Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL.`,
      { cause }
    )
  }
  try {
    return await body(
      `${pgBase}${pgBase.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`
    )
  } finally {
    await sql(`DROP SCHEMA ${schema} CASCADE`)
    await admin.dispose()
  }
}
