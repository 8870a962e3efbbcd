/**
 * `certory worker --once` end to end, against SQLite and PostgreSQL: the real CLI binary (through tsx)
 * syncs an IdP from a local metadata server on 127.0.0.1 and posts a signed expiry notice to a local
 * receiver; a second run finds the IdP not due and the notice already sent. A store that cannot be
 * opened or a bad configuration is one line on stderr and exit 1.
 *
 * The certificates are real (corpus); the threshold is computed from the certificate's remaining days
 * at test time, so the test does not depend on today's date.
 */
import { spawn } from "node:child_process"
import { createHmac } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate, CertificateParser, CertificateStore, Ids, JobStore, Owner } from "@certory/domain"
import { PgCertificateStore } from "@certory/storage-pg"
import { SqliteCertificateStore } from "@certory/storage-sqlite"
import { Fixtures } from "@certory/testing"
import * as SqlClient from "@effect/sql/SqlClient"
import { PgClient } from "@effect/sql-pg"
import { Effect, type Layer, ManagedRuntime, Option, Redacted } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { metadataXml } from "./support.js"

const DAY = 86_400_000
const bin = fileURLToPath(new URL("../../cli/src/bin.ts", import.meta.url))
const tsx = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist", "loader.mjs")
).href

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

const certory = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const merged: Record<string, string | undefined> = { ...process.env, CERTORY_STORE: undefined, ...env }
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key]
    const child = spawn(process.execPath, ["--import", tsx, bin, ...args], { env: merged })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c
    })
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c
    })
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, stdout, stderr }))
    child.stdin.end()
  })

const parse = (file: string) =>
  Effect.runPromise(
    Effect.flatMap(CertificateParser.CertificateParser, (p) => p.parse(Fixtures.input(file))).pipe(
      Effect.provide(X509CertificateParser.layer)
    )
  ).then((all) => all[0]!)

/** A metadata server and a webhook receiver on 127.0.0.1. */
const startServer = async (metadata: string) => {
  const hooks: Array<{ body: string; signature: string | undefined }> = []
  const server = createServer((request, response) => {
    if (request.url === "/metadata") {
      response.writeHead(200, { "content-type": "application/samlmetadata+xml", etag: '"v1"' }).end(metadata)
      return
    }
    if (request.url === "/hook" && request.method === "POST") {
      const chunks: Array<Buffer> = []
      request.on("data", (c: Buffer) => chunks.push(c))
      request.on("end", () => {
        const signature = request.headers["x-certory-signature"]
        hooks.push({
          body: Buffer.concat(chunks).toString("utf8"),
          signature: signature as string | undefined
        })
        response.writeHead(204).end()
      })
      return
    }
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    base: `http://127.0.0.1:${port}`,
    hooks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

const storeId = Ids.IdentityStoreId.make("d-9876543210")
const idp = Ids.IdpRef.make({ identityStoreId: storeId, idpId: Ids.IdpId.make("idp-e2e") })
const card = Ids.SmartCardRef.make({ id: "00000000-0000-4000-8000-0000000000e2" as Ids.Guid })

type Stores = CertificateStore.CertificateStore | JobStore.JobStore

/** An IdP with the metadata URL, and a smart card holding `expiring`. */
const seed = (layer: Layer.Layer<Stores>, metadataUrl: string, expiring: Certificate.Certificate) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* CertificateStore.CertificateStore
      const owner = (ref: Ids.OwnerRef, extra: { metadataUrl?: string } = {}) =>
        store.createOwner(Owner.Owner.make({ ref, enabled: true, createdAt: 0, createdBy: "test", ...extra }))
      yield* owner(Ids.IdentityStoreRef.make({ id: storeId }))
      yield* owner(idp, { metadataUrl })
      yield* owner(card)
      yield* store.bind({
        owner: card,
        items: [
          {
            certificate: expiring,
            attributes: Certificate.BindingAttributes.make({}),
            certificateId: Ids.CertificateId.make(globalThis.crypto.randomUUID())
          }
        ],
        boundBy: "test",
        boundAt: 0
      })
    }).pipe(Effect.provide(layer))
  )

/** What the store holds afterwards: the IdP's bindings and its sync record. */
const inspect = (layer: Layer.Layer<Stores>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* CertificateStore.CertificateStore
      const jobs = yield* JobStore.JobStore
      const held = yield* store.listBindings({
        owner: idp,
        sort: { field: "boundAt", direction: "asc" },
        limit: 10
      })
      return {
        held: held.items.map((i) => i.certificate.sha256),
        sync: Option.getOrThrow(yield* jobs.getIdpSync(idp))
      }
    }).pipe(Effect.provide(layer))
  )

/** Seeds the store, runs `certory worker --once` twice, checks output, store and the webhook. */
const endToEnd = async (storeUrl: string, layer: () => Layer.Layer<Stores>) => {
  const [signing, expiring] = await Promise.all([parse("ed448-server.pem"), parse("ed25519-server.pem")])
  // A threshold just past the expiring certificate's remaining days: exactly one notice is due.
  const threshold = Math.ceil((expiring.notAfter - Date.now()) / DAY) + 1
  const server = await startServer(metadataXml([signing.der], { entityId: "https://idp.e2e.example/" }))
  try {
    await seed(layer(), `${server.base}/metadata`, expiring)
    const args = [
      "worker",
      "--once",
      "--store",
      storeUrl,
      "--webhook-url",
      `${server.base}/hook`,
      "--thresholds",
      `${threshold}`
    ]
    const env = { CERTORY_WEBHOOK_SECRET: "e2e-secret" }
    const first = await certory(args, env)
    expect(first.stderr).toBe("")
    expect(first.status).toBe(0)
    expect(first.stdout).toContain(`sync ${Ids.ownerKey(idp)}: synced, HTTP 200, 1 added`)
    expect(first.stdout).toMatch(/notify: \d+ certificate\(s\) within \d+ days: 1 sent, 0 failed/)
    expect(server.hooks).toHaveLength(1)
    const hook = server.hooks[0]!
    expect(hook.signature).toBe(
      `sha256=${createHmac("sha256", "e2e-secret").update(hook.body).digest("hex")}`
    )
    expect(JSON.parse(hook.body)).toMatchObject({
      version: 1,
      type: "certificate.expiring",
      thresholdDays: threshold,
      owner: { key: Ids.ownerKey(card) },
      certificate: { sha256: expiring.sha256 }
    })
    const after = await inspect(layer())
    expect(after.held).toEqual([signing.sha256])
    expect(after.sync).toMatchObject({
      outcome: "synced",
      httpStatus: 200,
      added: [signing.sha256],
      etag: '"v1"'
    })

    const second = await certory(args, env)
    expect(second.status).toBe(0)
    expect(second.stdout).toContain("1 not due")
    expect(second.stdout).toMatch(/0 sent, 0 failed \(retried next run\), 1 already sent/)
    expect(server.hooks).toHaveLength(1)
  } finally {
    await server.close()
  }
}

const pgBase = process.env.DATABASE_URL ?? "postgres://root@127.0.0.1:5432/test"

const withPgSchema = async <A>(body: (url: string) => Promise<A>): Promise<A> => {
  const admin = ManagedRuntime.make(PgClient.layer({ url: Redacted.make(pgBase) }))
  const sql = (text: string) => admin.runPromise(Effect.flatMap(SqlClient.SqlClient, (c) => c.unsafe(text)))
  const schema = `certory_worker_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  try {
    await sql(`CREATE SCHEMA ${schema}`)
  } catch (cause) {
    await admin.dispose()
    throw new Error(`PostgreSQL at ${pgBase} is unreachable: start it or set DATABASE_URL`, { cause })
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

const dirs: Array<string> = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe("certory worker", () => {
  it("SQLite: syncs, notifies once, and finds nothing to do on the next run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "certory-worker-"))
    dirs.push(dir)
    const filename = join(dir, "certory.sqlite")
    await endToEnd(`sqlite:${filename}`, () => SqliteCertificateStore.layerStores({ filename }))
    expect(readFileSync(filename).length).toBeGreaterThan(0)
  }, 120_000)

  it("PostgreSQL: the same", async () => {
    await withPgSchema((url) => endToEnd(url, () => PgCertificateStore.layerStores({ url })))
  }, 120_000)

  it("without --once: SIGTERM during a sync lets that sync finish and record, then the process ends", async () => {
    const dir = mkdtempSync(join(tmpdir(), "certory-worker-"))
    dirs.push(dir)
    const filename = join(dir, "certory.sqlite")
    const signing = await parse("ed448-server.pem")
    const document = metadataXml([signing.der], { entityId: "https://idp.e2e.example/" })
    let fetched: () => void = () => undefined
    const fetchedOnce = new Promise<void>((resolve) => {
      fetched = resolve
    })
    const server = createServer((request, response) => {
      if (request.url !== "/metadata") return void response.writeHead(404).end()
      fetched()
      // Answer only after the signal has been sent.
      setTimeout(() => response.writeHead(200).end(document), 1500)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const { port } = server.address() as AddressInfo
      const layer = () => SqliteCertificateStore.layerStores({ filename })
      const parsedExpiring = await parse("ed25519-server.pem")
      await seed(layer(), `http://127.0.0.1:${port}/metadata`, parsedExpiring)
      const merged: Record<string, string | undefined> = { ...process.env, CERTORY_STORE: undefined }
      for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key]
      const child = spawn(
        process.execPath,
        ["--import", tsx, bin, "worker", "--store", `sqlite:${filename}`],
        {
          env: merged
        }
      )
      let stdout = ""
      child.stdout.setEncoding("utf8").on("data", (c: string) => {
        stdout += c
      })
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve))
      await fetchedOnce
      child.kill("SIGTERM")
      const status = await exited
      expect(stdout).toContain(`sync ${Ids.ownerKey(idp)}: synced, HTTP 200, 1 added`)
      expect(status).toBe(0)
      const after = await inspect(layer())
      expect(after.held).toEqual([signing.sha256])
      expect(after.sync.outcome).toBe("synced")
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }, 120_000)

  it("a store that cannot be opened, or bad settings: one line, exit 1", async () => {
    const unreachable = await certory(["worker", "--once", "--store", "postgres://certory@127.0.0.1:1/none"])
    expect(unreachable.status).toBe(1)
    expect(unreachable.stderr.trim().split("\n")).toHaveLength(1)
    expect(unreachable.stderr).toMatch(/^certory worker: /)
    const dir = mkdtempSync(join(tmpdir(), "certory-worker-"))
    dirs.push(dir)
    const store = `sqlite:${join(dir, "x.sqlite")}`
    expect((await certory(["migrate", "--store", store])).status).toBe(0)
    for (const [args, message] of [
      [["--thresholds", "90,0"], /threshold is a whole number of days from 1 to 36500/],
      [["--thresholds", "soon"], /whole numbers of days separated by commas/],
      [["--webhook-url", "ftp://x.example/"], /the webhook URL must be http\(s\)/],
      [["--sync-every", "often"], /--sync-every: not a duration/],
      [["--sync-every", "0d"], /the sync period must be longer than zero/]
    ] as const) {
      const run = await certory(["worker", "--once", "--store", store, ...args])
      expect(run.status, run.stderr).toBe(1)
      expect(run.stderr).toMatch(message)
      expect(run.stderr.trim().split("\n")).toHaveLength(1)
    }
  }, 120_000)
})
