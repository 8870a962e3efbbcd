/**
 * `certory serve` end to end: a real process on a loopback port, over SQLite with the demo inventory and
 * over memory: without it; both compatibility surfaces answer; the demo IdP is the one its SAML metadata
 * describes; SIGTERM stops it cleanly (exit 0); a bad store URL, a port in use or out of range is one
 * line and exit 1.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { type AddressInfo, createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseIdpMetadata } from "@certory/saml"
import * as SqlClient from "@effect/sql/SqlClient"
import { PgClient } from "@effect/sql-pg"
import { Effect, ManagedRuntime, Redacted } from "effect"
import { afterEach, describe, expect, it } from "vitest"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const sample = (file: string) => readFileSync(new URL(`../samples/${file}`, import.meta.url), "utf8")

/** The demo IdP as Huawei's list-IdPs route shows it: the configuration and certificate of its metadata. */
const expectIdpFromMetadata = async (url: string, token: string) => {
  const parsed = parseIdpMetadata(sample("idp-metadata.xml"))
  if (parsed._tag !== "Parsed") throw new Error(`idp-metadata.xml: ${parsed.error.message}`)
  const listed = await fetch(`${url}/v1/identity-stores/d-66f1a2b3b80/external-idp`, {
    headers: { "X-Security-Token": token }
  })
  expect(listed.status).toBe(200)
  const { associations } = (await listed.json()) as {
    associations: Array<{ idp_id: string; idp_saml_config?: unknown; idp_certificate_ids: Array<unknown> }>
  }
  expect(associations).toHaveLength(1)
  expect(associations[0]).toMatchObject({
    idp_id: "idp-azure",
    idp_saml_config: {
      entity_id: parsed.metadata.entityId,
      login_url: parsed.metadata.loginUrl,
      want_request_signed: parsed.metadata.wantAuthnRequestsSigned
    },
    idp_certificate_ids: [{ status: "VALID" }]
  })
  // The metadata's one signing certificate is the sample PEM.
  const certificates = await fetch(
    `${url}/v1/identity-stores/d-66f1a2b3b80/external-idp/idp-azure/certificate`,
    { headers: { "X-Security-Token": token } }
  )
  const { idp_certificates } = (await certificates.json()) as {
    idp_certificates: Array<{ x509_Certificate_in_pem: string }>
  }
  const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, "")
  expect(idp_certificates.map((c) => body(c.x509_Certificate_in_pem))).toEqual([
    body(sample("idp-signing.pem"))
  ])
  expect(parsed.metadata.signingCertificates).toHaveLength(1)
}

interface Server {
  readonly child: ChildProcess
  readonly url: string
  readonly token: string
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exited: Promise<number | null>
}

const children: Array<ChildProcess> = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL")
})

const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", bin, "serve", ...args], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { ...process.env, CERTORY_ADMIN_TOKEN: "", ...env }
    })
    children.push(child)
    let stdout = ""
    let stderr = ""
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)))
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
      const url = /certory API on (http:\/\/\S+)/.exec(stdout)?.[1]
      const token = /(cty_[A-Za-z0-9_-]{43})|token: (\$CERTORY_ADMIN_TOKEN)/.exec(stdout)
      if (url !== undefined && token !== null && stdout.includes("Ctrl-C stops the server")) {
        resolve({
          child,
          url,
          token: token[1] ?? env.CERTORY_ADMIN_TOKEN ?? "",
          stdout: () => stdout,
          stderr: () => stderr,
          exited
        })
      }
    })
    exited.then((code) => reject(new Error(`serve exited ${code} before listening: ${stderr}`)))
  })

describe("certory serve", { timeout: 120_000 }, () => {
  it("serves the demo inventory on SQLite to both surfaces, and stops on SIGTERM with exit 0", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "certory-serve-")), "certory.sqlite")
    const server = await start(["--port", "0", "--db", db])
    expect(server.stdout()).toContain("DEMO inventory loaded")
    const mim = await fetch(
      `${server.url}/CertificateManagement/api/v1.0/smartcards/5badfea3-de31-4837-99f9-8249515a5473/certificates`,
      { headers: { Authorization: `Bearer ${server.token}` } }
    )
    expect(mim.status).toBe(200)
    const items = (await mim.json()) as Array<{ IsKeyHistory: boolean }>
    expect(items.map((i) => i.IsKeyHistory).sort()).toEqual([false, true])
    const huawei = await fetch(
      `${server.url}/v1/identity-stores/d-66f1a2b3b80/external-idp/idp-azure/certificate`,
      {
        headers: { "X-Security-Token": server.token }
      }
    )
    expect(huawei.status).toBe(200)
    expect(((await huawei.json()) as { idp_certificates: Array<unknown> }).idp_certificates).toHaveLength(1)
    const unauthorized = await fetch(
      `${server.url}/v1/identity-stores/d-66f1a2b3b80/external-idp/idp-azure/certificate`
    )
    expect(unauthorized.status).toBe(401)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    await expectIdpFromMetadata(server.url, server.token)
    // One JSON line per request on stderr.
    const lines = server
      .stderr()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { status: number })
    expect(lines.map((l) => l.status)).toEqual([200, 200, 401, 200, 200, 200])
    server.child.kill("SIGTERM")
    expect(await server.exited).toBe(0)
  })

  it("PostgreSQL: a fresh schema is migrated at start, the demo is served, and a restart reuses it", async () => {
    const base = process.env.DATABASE_URL ?? "postgres://root@127.0.0.1:5432/test"
    const schema = `certory_serve_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
    const admin = ManagedRuntime.make(PgClient.layer({ url: Redacted.make(base) }))
    const sql = (text: string) =>
      admin.runPromise(Effect.flatMap(SqlClient.SqlClient, (client) => client.unsafe(text)))
    await sql(`CREATE SCHEMA ${schema}`)
    try {
      const url = `${base}${base.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`
      for (const round of [1, 2]) {
        const server = await start(["--port", "0", "--store", url])
        const response = await fetch(
          `${server.url}/CertificateManagement/api/v1.0/smartcards/5badfea3-de31-4837-99f9-8249515a5473/certificates`,
          { headers: { Authorization: `Bearer ${server.token}` } }
        )
        expect(response.status, `round ${round}`).toBe(200)
        expect(((await response.json()) as Array<unknown>).length).toBe(2)
        // The second start reuses the IdP its metadata created: still one, unchanged.
        await expectIdpFromMetadata(server.url, server.token)
        server.child.kill("SIGTERM")
        expect(await server.exited).toBe(0)
      }
      const tables = (await sql(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' ORDER BY table_name`
      )) as ReadonlyArray<{ table_name: string }>
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(["bindings", "certificates", "owners", "tokens"])
      )
    } finally {
      await sql(`DROP SCHEMA ${schema} CASCADE`)
      await admin.dispose()
    }
  })

  it("memory: without the demo, with CERTORY_ADMIN_TOKEN; PORT is honoured when --port is absent", async () => {
    const server = await start(["--store", "memory:", "--no-demo"], {
      CERTORY_ADMIN_TOKEN: "cty_fixed-admin-token"
    })
    expect(server.stdout()).not.toContain("DEMO")
    expect(server.stdout()).not.toContain("cty_fixed-admin-token")
    const response = await fetch(
      `${server.url}/CertificateManagement/api/v1.0/smartcards/5badfea3-de31-4837-99f9-8249515a5473/certificates`,
      { headers: { Authorization: "Bearer cty_fixed-admin-token" } }
    )
    expect(response.status).toBe(404)
    server.child.kill("SIGINT")
    expect(await server.exited).toBe(0)
  })

  it("a bad store URL, an unreachable server, a port in use or out of range: one line on stderr (no password) and exit 1", async () => {
    const run = async (store: string, ...args: ReadonlyArray<string>) => {
      const child = spawn(process.execPath, ["--import", "tsx", bin, "serve", "--store", store, ...args], {
        cwd: fileURLToPath(new URL("..", import.meta.url))
      })
      children.push(child)
      let stderr = ""
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk
      })
      const code = await new Promise((done) => child.on("close", done))
      return { code, lines: stderr.trim().split("\n") }
    }
    expect(await run("mysql://x")).toEqual({
      code: 1,
      lines: ['certory serve: unknown store "mysql://x": use sqlite:PATH, postgres://... or memory:']
    })
    const unreachable = await run("postgres://certory:hunter2@127.0.0.1:1/none")
    expect(unreachable.code).toBe(1)
    expect(unreachable.lines).toHaveLength(1)
    expect(unreachable.lines[0]).toMatch(
      /^certory serve: cannot open postgres:\/\/certory:\*\*\*@127\.0\.0\.1:1\/none: /
    )
    expect(unreachable.lines[0]).not.toContain("hunter2")

    // A port another process holds: one line naming it (it was "internal error: Error: listen EADDRINUSE").
    const holder = createServer()
    await new Promise<void>((done) => holder.listen(0, "127.0.0.1", done))
    const taken = (holder.address() as AddressInfo).port
    try {
      expect(await run("memory:", "--no-demo", "--port", String(taken))).toEqual({
        code: 1,
        lines: [
          `certory serve: cannot listen on 127.0.0.1:${taken}: the port is already in use (--port, or PORT)`
        ]
      })
    } finally {
      holder.close()
    }
    expect(await run("memory:", "--no-demo", "--port", "99999")).toEqual({
      code: 1,
      lines: ["certory serve: --port: 99999 is not a port number (0 to 65535; 0 picks a free one)"]
    })
  })
})
