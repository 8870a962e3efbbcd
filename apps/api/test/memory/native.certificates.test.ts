/**
 * The native API's certificates with the app in process (memory target only): a lower import cap
 * (DomainConfig), a store that fails on purpose, a lower body limit.
 */
import { CertificateStore, DomainConfig } from "@certory/domain"
import { MemoryCertificateStore } from "@certory/storage-memory"
import { Effect, Layer } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { expectProblem, request, V1 } from "../native.support.js"
import { ADMIN_TOKEN, card, fixture, guid, makeInProcessApi, seed, type TestApi } from "../support.js"

let api: TestApi
afterEach(() => api?.dispose())

const token = ADMIN_TOKEN
const CARD = `${V1}/smartcards/${guid(1)}`
const text = (name: Parameters<typeof fixture>[0]) => fixture(name) as string

const list = async (): Promise<{ total: number }> => {
  const response = await request(api, "GET", `${CARD}/certificates`, { token })
  expect(response.status, await response.clone().text()).toBe(200)
  return (await response.json()) as { total: number }
}

describe("native certificates: /api/v1/{owner}/certificates (in process)", () => {
  describe("errors", () => {
    it("with the domain's cap at 1: two PEM blocks are refused before parsing, a bundle of two by the domain", async () => {
      api = makeInProcessApi({
        store: Layer.merge(
          MemoryCertificateStore.layer,
          Layer.succeed(DomainConfig.DomainConfig, { ...DomainConfig.defaults, maxImportCertificates: 1 })
        ) as unknown as Layer.Layer<CertificateStore.CertificateStore>
      })
      await seed(api, [card(1)])
      const blocks = await expectProblem(
        await request(api, "POST", `${CARD}/certificates`, {
          token,
          body: text("chain"),
          type: "application/x-pem-file"
        }),
        400,
        "too_many_pem_blocks"
      )
      expect(blocks.detail).toContain("at most 1")
      // One PEM block holding a PKCS#7 bundle of 2 certificates.
      const count = await expectProblem(
        await request(api, "POST", `${CARD}/certificates`, { token, body: { pem: text("pkcs7") } }),
        400,
        "invalid_request"
      )
      expect(count.detail).toContain("at most 1")
    })

    it("a defect is a 500 internal problem with the request id only; the cause is logged", async () => {
      const broken = Layer.effect(
        CertificateStore.CertificateStore,
        Effect.map(MemoryCertificateStore.make, (s) => ({
          ...s,
          listBindings: () => Effect.die(new Error("secret internal detail at /srv/db"))
        }))
      )
      api = makeInProcessApi({ store: broken })
      await seed(api, [card(1)])
      const response = await request(api, "GET", `${CARD}/certificates`, { token })
      const text = await response.clone().text()
      const body = await expectProblem(response, 500, "internal")
      expect(body).toEqual({
        type: "https://certory.dev/problems/internal",
        title: "Internal server error",
        status: 500,
        code: "internal",
        request_id: response.headers.get("x-request-id")
      })
      expect(text).not.toContain("secret")
      const logged = api.logs.find((line) => line.level === "error")!
      expect(logged.request_id).toBe(body.request_id)
      expect(String(logged.cause)).toContain("secret internal detail")
    })
  })

  describe("security", () => {
    it("an import over the body limit is 413, also chunked; nothing is bound", async () => {
      api = makeInProcessApi({ app: { maxBodyBytes: 512 } })
      await seed(api, [card(1)])
      const pem = text("ec")
      expect(pem.length).toBeGreaterThan(512)
      await expectProblem(
        await request(api, "POST", `${CARD}/certificates`, {
          token,
          body: pem,
          type: "application/x-pem-file"
        }),
        413,
        "payload_too_large"
      )
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          const encoded = new TextEncoder().encode(pem)
          for (let i = 0; i < encoded.length; i += 256) controller.enqueue(encoded.slice(i, i + 256))
          controller.close()
        }
      })
      const chunked = await api.app.request(`${CARD}/certificates`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-pem-file" },
        body: stream,
        duplex: "half"
      } as RequestInit)
      await expectProblem(chunked, 413, "payload_too_large")
      expect((await list()).total).toBe(0)
    })
  })
})
