/**
 * What only the Worker entrypoint decides, inside workerd: it really is workerd; health, readiness, the
 * OpenAPI document and /docs; the request id; a missing D1 binding or a D1 that fails is a 503 with a
 * request id and nothing internal (and the next request tries again); without CERTORY_ADMIN_TOKEN only API
 * tokens work; a changed secret is honoured.
 */
import { env } from "cloudflare:test"
import type { D1Database } from "@cloudflare/workers-types"
import { describe, expect, it } from "vitest"
import { makeWorker, type WorkerEnv } from "../../src/worker.js"
import { ADMIN, call, expectNoInternals, expectStatus, ORIGIN, tokenFor, V1 } from "./support.js"

const get = (worker: ReturnType<typeof makeWorker>, workerEnv: WorkerEnv, path: string, token?: string) =>
  worker.fetch(
    new Request(
      `${ORIGIN}${path}`,
      token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } }
    ),
    workerEnv
  )

describe("the Worker entrypoint in workerd", () => {
  it("runs in workerd, not Node", () => {
    expect(navigator.userAgent).toBe("Cloudflare-Workers")
  })

  it("healthz, readyz (D1 reachable and migrated), the OpenAPI document, /docs; X-Request-Id kept or made", async () => {
    expect(await (await expectStatus(await call("GET", "/healthz"), 200)).json()).toEqual({ status: "ok" })
    expect(await (await expectStatus(await call("GET", "/readyz"), 200)).json()).toEqual({ status: "ready" })
    const document = (await (await expectStatus(await call("GET", "/openapi.json"), 200)).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    expect(document.openapi).toMatch(/^3\.1/)
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/CertificateManagement/api/v1.0/smartcards/{id}/certificates",
        "/v1/identity-stores/{identity_store_id}/external-idp/{idp_id}/certificate"
      ])
    )
    const docs = await expectStatus(await call("GET", "/docs"), 200)
    expect(docs.headers.get("content-type")).toMatch(/^text\/html/)
    expect(docs.headers.get("content-security-policy")).toContain("default-src 'none'")
    const kept = await call("GET", "/healthz", { headers: { "X-Request-Id": "client-id-1" } })
    expect(kept.headers.get("x-request-id")).toBe("client-id-1")
    const made = await call("GET", "/healthz", { headers: { "X-Request-Id": "bad id with spaces" } })
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("no DB binding: 503 naming a request id only", async () => {
    const response = await get(makeWorker(), {} as WorkerEnv, "/healthz")
    expect(response.status).toBe(503)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({
      status: 503,
      title: "Service Unavailable",
      request_id: response.headers.get("x-request-id")
    })
    expectNoInternals(text)
  })

  it("a D1 that fails on first use: 503 without internals, and the next request builds again", async () => {
    let calls = 0
    let failing = true
    // The real binding behind a switch: the first build's queries fail like an unreachable database.
    const flaky = new Proxy(env.DB, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown
        if (typeof value !== "function") return value
        return (...args: Array<unknown>) => {
          calls++
          if (failing) throw new Error("D1_ERROR: simulated outage")
          return (value as (...a: Array<unknown>) => unknown).apply(target, args)
        }
      }
    }) as D1Database
    const worker = makeWorker()
    const first = await get(worker, { DB: flaky, CERTORY_ADMIN_TOKEN: ADMIN }, `${V1}/owners`, ADMIN)
    expect(first.status).toBe(503)
    const text = await first.text()
    expect(text).not.toContain("simulated outage")
    expectNoInternals(text)
    expect(calls).toBeGreaterThan(0)
    failing = false
    const second = await get(worker, { DB: flaky, CERTORY_ADMIN_TOKEN: ADMIN }, `${V1}/owners`, ADMIN)
    expect(second.status).toBe(200)
  })

  it("without CERTORY_ADMIN_TOKEN only API tokens work; a changed secret is honoured", async () => {
    const apiToken = await tokenFor({ role: "Administrator" })
    const worker = makeWorker()
    expect((await get(worker, { DB: env.DB }, `${V1}/owners`, ADMIN)).status).toBe(401)
    expect((await get(worker, { DB: env.DB, CERTORY_ADMIN_TOKEN: "  " }, `${V1}/owners`, "")).status).toBe(
      401
    )
    expect((await get(worker, { DB: env.DB }, `${V1}/owners`, apiToken)).status).toBe(200)
    expect(
      (
        await get(
          worker,
          { DB: env.DB, CERTORY_ADMIN_TOKEN: "rotated-secret" },
          `${V1}/owners`,
          "rotated-secret"
        )
      ).status
    ).toBe(200)
    expect(
      (await get(worker, { DB: env.DB, CERTORY_ADMIN_TOKEN: "rotated-secret" }, `${V1}/owners`, ADMIN)).status
    ).toBe(401)
  })
})
