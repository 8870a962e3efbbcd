/**
 * The smoke test of `pnpm dev:worker` (Node side): the real command (pnpm, wrangler, workerd, a local D1
 * migrated by `wrangler d1 migrations apply`) on a free loopback port, spoken to over HTTP like any client:
 * a smart card and an IdP with certificates made through the native API with the administrator token,
 * read back through the MIM route and the Huawei list route, then SIGTERM to pnpm stops every process it
 * started.
 */
import { spawn } from "node:child_process"
import { X509Certificate } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../../../../", import.meta.url))
const pnpm = join(root, "node_modules/pnpm/bin/pnpm.cjs")
const fixture = (name: string) => readFileSync(join(root, "packages/testing/fixtures", name), "utf8")
const TOKEN = "cty_smoke-test-bootstrap-token-0123456789abcdef"
const CARD = "6c3b5a2e-9d41-4f0a-b8e7-2a1c9d3e4f50"

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()))
    })
  })

/** Whether any process of the group is left. */
const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

const until = async (what: string, check: () => Promise<boolean> | boolean, starting = false) => {
  // Generous: only a hang fails (wrangler bundles and starts workerd on a loaded 2-core machine).
  for (let waited = 0; waited < 150_000; waited += 250) {
    if (await check()) return
    if (starting && child.exitCode !== null) throw new Error(`pnpm dev:worker exited; output:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${what} did not happen; output:\n${output}`)
}

let child: ReturnType<typeof spawn>
let base: string
let state: string
let output = ""

beforeAll(async () => {
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  state = mkdtempSync(join(tmpdir(), "certory-dev-worker-"))
  child = spawn(process.execPath, [pnpm, "dev:worker"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      CERTORY_ADMIN_TOKEN: TOKEN,
      CERTORY_WORKER_STATE: state,
      NO_COLOR: "1",
      FORCE_COLOR: "0"
    },
    // Its own process group, so the test can tell when every process it started is gone.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
  })
  child.stdout?.on("data", (chunk) => (output += chunk))
  child.stderr?.on("data", (chunk) => (output += chunk))
  await until(
    "GET /healthz answering",
    () =>
      fetch(`${base}/healthz`).then(
        (r) => r.status === 200,
        () => false
      ),
    true
  )
}, 180_000)

afterAll(() => {
  if (child?.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, "SIGKILL")
  if (state !== undefined) rmSync(state, { recursive: true, force: true })
})

const call = (method: string, path: string, body?: string, type = "application/json") =>
  fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { "Content-Type": type }) },
    ...(body === undefined ? {} : { body })
  })

it("serves the native API, MIM and Huawei from the local D1, then stops on SIGTERM", async () => {
  // The administrator token from the environment; without a token, 401.
  expect((await fetch(`${base}/api/v1/owners`)).status).toBe(401)
  expect((await call("GET", "/api/v1/owners")).status).toBe(200)

  // A smart card with a certificate (PEM as text), through the native API.
  expect((await call("PUT", `/api/v1/smartcards/${CARD}`)).status).toBe(201)
  const dc = fixture("ms-template-name-dc.pem")
  const imported = await call("POST", `/api/v1/smartcards/${CARD}/certificates`, dc, "application/x-pem-file")
  expect(imported.status, await imported.clone().text()).toBe(201)

  // MIM: the exact X509ClmCertificate, the path in another casing.
  const mim = await call(
    "GET",
    `/certificatemanagement/api/v1.0/smartcards/${CARD.toUpperCase()}/certificates`
  )
  expect(mim.status).toBe(200)
  const x509 = new X509Certificate(dc)
  expect(await mim.json()).toEqual([
    {
      IsKeyHistory: false,
      ArchivedOnCa: false,
      CertificateType: 1,
      TemplateCommonName: "DomainController",
      SerialNumber: x509.serialNumber.toUpperCase(),
      Thumbprint: x509.fingerprint.replaceAll(":", "")
    }
  ])

  // An identity store and its IdP with a signing certificate, through the native API; Huawei lists it.
  expect((await call("PUT", "/api/v1/identity-stores/d-smoke")).status).toBe(201)
  expect((await call("PUT", "/api/v1/identity-stores/d-smoke/idps/idp-smoke")).status).toBe(201)
  const rsa = fixture("rsa-cryptography-io.pem")
  const bound = await call(
    "POST",
    "/api/v1/identity-stores/d-smoke/idps/idp-smoke/certificates",
    JSON.stringify({ pem: rsa, use: "signing" })
  )
  expect(bound.status, await bound.clone().text()).toBe(201)
  const huawei = await fetch(`${base}/v1/identity-stores/d-smoke/external-idp/idp-smoke/certificate`, {
    headers: { "X-Security-Token": TOKEN }
  })
  expect(huawei.status).toBe(200)
  const listed = (await huawei.json()) as { idp_certificates: Array<Record<string, unknown>> }
  expect(listed.idp_certificates).toHaveLength(1)
  const item = listed.idp_certificates[0]!
  expect(Object.keys(item)).toEqual([
    "certificate_id",
    "issuer_name",
    "not_after",
    "not_before",
    "public_key",
    "serial_number",
    "serial_number_string",
    "signature_algorithm_name",
    "subject_name",
    "version",
    "x509_Certificate_in_pem"
  ])
  const rsaX509 = new X509Certificate(rsa)
  expect(item.serial_number_string).toBe(BigInt(`0x${rsaX509.serialNumber}`).toString())
  expect(item.not_after).toBe(Date.parse(rsaX509.validTo))

  // SIGTERM to pnpm alone: wrangler, workerd and the script all go, and the port closes.
  const pgid = child.pid!
  process.kill(pgid, "SIGTERM")
  await until("every process of pnpm dev:worker exiting", () => !groupAlive(pgid))
  await expect(fetch(`${base}/healthz`)).rejects.toThrow()
}, 180_000)
