/**
 * The MIM CM surface's tests that need the app in process (memory target only): the page size and
 * ceiling of the gathered list, a catalog that counts its queries, a store that fails on purpose.
 */
import { CertificateStore, TemplateCatalog } from "@certory/domain"
import { MemoryCertificateStore, MemoryTemplateCatalog } from "@certory/storage-memory"
import { Effect, Layer } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ADMIN_TOKEN, bearer, card, guid, makeInProcessApi, seed, type TestApi } from "../support.js"

const path = (kind: "smartcards" | "profiles", id: string) =>
  `/CertificateManagement/api/v1.0/${kind}/${id}/certificates`

let api: TestApi
afterEach(() => api?.dispose())

describe("MIM CM: GET {smartcards|profiles}/{id}/certificates (in process)", () => {
  describe("happy", () => {
    it("gathers every page into one array; a list over the ceiling is a 500 naming it, not a truncated list", async () => {
      api = makeInProcessApi({ app: { gatherPageSize: 5, mimCeiling: 12 } })
      await seed(
        api,
        [card(1), card(2)],
        [
          [card(1), "chain"],
          [card(1), "ec"],
          [card(1), "rsaPss"],
          [card(1), "ed25519"],
          [card(1), "ed448"],
          [card(1), "v1"],
          [card(1), "negativeSerial"],
          [card(1), "adcsUserDer"],
          [card(1), "templateName"],
          [card(1), "expired"],
          [card(1), "notYetValid"]
        ]
      )
      const response = await api.app.request(path("smartcards", guid(1)), { headers: bearer(ADMIN_TOKEN) })
      expect(response.status).toBe(200)
      const thumbprints = ((await response.json()) as Array<{ Thumbprint: string }>).map((i) => i.Thumbprint)
      expect(thumbprints).toHaveLength(12)
      expect(new Set(thumbprints).size).toBe(12)
      await seed(api, [], [[card(1), "adcsSerial"]])
      const over = await api.app.request(path("smartcards", guid(1)), { headers: bearer(ADMIN_TOKEN) })
      expect(over.status).toBe(500)
      const body = (await over.json()) as { Message: string }
      expect(body.Message).toContain("more than 12")
      expect(body.Message).toContain(over.headers.get("x-request-id")!)
    })

    it("names the templates with at most one catalog query per page, none for a page that needs none", async () => {
      let calls = 0
      const catalog = Layer.effect(
        TemplateCatalog.TemplateCatalog,
        Effect.map(MemoryTemplateCatalog.make, (inner) =>
          TemplateCatalog.TemplateCatalog.of({
            ...inner,
            names: (oids) => {
              calls++
              return inner.names(oids)
            }
          })
        )
      )
      api = makeInProcessApi({ catalog, app: { gatherPageSize: 2 } })
      await seed(
        api,
        [card(1)],
        [
          [card(1), "templateOid"],
          [card(1), "adcsUserDer"],
          [card(1), "ec"],
          [card(1), "rsa"],
          [card(1), "ed25519"]
        ]
      )
      const response = await api.app.request(path("smartcards", guid(1)), { headers: bearer(ADMIN_TOKEN) })
      expect(response.status).toBe(200)
      expect((await response.json()) as Array<unknown>).toHaveLength(5)
      // 3 pages; the two OID-only certificates sit on one or two of them.
      expect(calls).toBeGreaterThanOrEqual(1)
      expect(calls).toBeLessThanOrEqual(2)
    })
  })

  describe("errors", () => {
    it("a defect is a 500 with the correlation id in the Message and the log, no internals", async () => {
      const broken = Layer.effect(
        CertificateStore.CertificateStore,
        Effect.map(MemoryCertificateStore.make, (store) => ({
          ...store,
          listBindings: () => Effect.die(new Error("secret internal detail at /srv/db"))
        }))
      )
      api = makeInProcessApi({ store: broken })
      await seed(api, [card(1)])
      const response = await api.app.request(path("smartcards", guid(1)), { headers: bearer(ADMIN_TOKEN) })
      expect(response.status).toBe(500)
      const text = await response.text()
      const requestId = response.headers.get("x-request-id")!
      expect(JSON.parse(text)).toEqual({ Message: `An error has occurred (correlation id ${requestId}).` })
      expect(text).not.toContain("secret")
      const logged = api.logs.find((line) => line.level === "error")!
      expect(logged.request_id).toBe(requestId)
      expect(String(logged.cause)).toContain("secret internal detail")
    })
  })
})
