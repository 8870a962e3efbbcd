/**
 * The native API's owners with the app in process (memory target only): a lower body limit.
 */
import { afterEach, describe, expect, it } from "vitest"
import { expectProblem, request, V1 } from "../native.support.js"
import { ADMIN_TOKEN, guid, makeInProcessApi, type TestApi } from "../support.js"

let api: TestApi
afterEach(() => api?.dispose())

const token = ADMIN_TOKEN

describe("native owners (in process)", () => {
  describe("security", () => {
    it("a body over the limit is 413 payload_too_large, with or without Content-Length", async () => {
      api = makeInProcessApi({ app: { maxBodyBytes: 64 } })
      const card = `${V1}/smartcards/${guid(1)}`
      const body = JSON.stringify({ displayName: "x".repeat(100) })
      await expectProblem(
        await request(api, "PUT", card, { token, body, type: "application/json" }),
        413,
        "payload_too_large"
      )
      const chunks = [body.slice(0, 40), body.slice(40)]
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
          controller.close()
        }
      })
      const chunked = await api.app.request(card, {
        method: "PUT",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: stream,
        duplex: "half"
      } as RequestInit)
      expect(chunked.headers.get("content-length")).toBeNull()
      await expectProblem(chunked, 413, "payload_too_large")
      // Nothing was created.
      await expectProblem(await request(api, "GET", card, { token }), 404, "owner_not_found")
      // Under the limit, a chunked body is read as usual.
      const small = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"displayName":"ok"}'))
          controller.close()
        }
      })
      const ok = await api.app.request(card, {
        method: "PUT",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: small,
        duplex: "half"
      } as RequestInit)
      expect(ok.status).toBe(201)
    })
  })
})
