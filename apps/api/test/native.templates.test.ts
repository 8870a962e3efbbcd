/**
 * The native API's template catalog through `app.request`: name an OID (PUT, an upsert), read it, list
 * the catalog (pages, ETag), forget it; happy, errors, security (administrators only). The end-to-end
 * check: a name put here is what MIM shows for a certificate that carries only that template OID.
 */
import { afterEach, describe, expect, it } from "vitest"
import { expectProblem, grants, request, V1 } from "./native.support.js"
import { ADMIN_TOKEN, bearer, card, guid, makeApi, seed, type TestApi } from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

const token = ADMIN_TOKEN
const OID = "1.3.6.1.4.1.311.21.8.1234567.7654321.1.2"
/** The template OID of the `templateOid` fixture (it names no template). */
const FIXTURE_OID = "1.2.3.4.5.6.7.8.9.0"

interface TemplateBody {
  oid: string
  name: string
  updatedAt: string
  updatedAtMs: number
  updatedBy: string
}

const put = async (oid: string, name: string) => {
  const response = await request(api, "PUT", `${V1}/templates/${oid}`, { token, body: { name } })
  expect(response.status, await response.clone().text()).toBe(200)
  return (await response.json()) as TemplateBody
}

describe("native templates: /api/v1/templates", () => {
  describe("happy", () => {
    it("PUT registers (200), PUT again renames (200), GET reads it back, DELETE forgets it (204)", async () => {
      api = makeApi()
      const first = await put(OID, "Smartcard Logon")
      expect(first).toMatchObject({ oid: OID, name: "Smartcard Logon", updatedBy: "bootstrap-admin" })
      expect(new Date(first.updatedAt).getTime()).toBe(first.updatedAtMs)

      const renamed = await put(OID, "Smartcard Logon v2")
      expect(renamed).toMatchObject({ oid: OID, name: "Smartcard Logon v2" })

      const read = await request(api, "GET", `${V1}/templates/${OID}`, { token })
      expect(read.status).toBe(200)
      expect(read.headers.get("cache-control")).toBe("no-store")
      expect(await read.json()).toEqual(renamed)

      const removed = await request(api, "DELETE", `${V1}/templates/${OID}`, { token })
      expect(removed.status).toBe(204)
      expect(await removed.text()).toBe("")
      await expectProblem(
        await request(api, "GET", `${V1}/templates/${OID}`, { token }),
        404,
        "template_not_found"
      )
    })

    it("the list pages by OID with totals and a strong ETag (304 when unchanged, new after a change)", async () => {
      api = makeApi()
      const oids = ["1.2.3", "1.2.3.4", "2.5.29.1", "1.3.6.1.4.1.311.21.8.1"]
      for (const oid of oids) await put(oid, `name of ${oid}`)
      const seen: Array<string> = []
      let cursor: string | undefined
      do {
        const response = await request(
          api,
          "GET",
          `${V1}/templates?limit=3${cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
          { token }
        )
        expect(response.status).toBe(200)
        expect(response.headers.get("etag")).toMatch(/^"[^"]+"$/)
        expect(response.headers.get("cache-control")).toBe("private, no-cache")
        const body = (await response.json()) as {
          items: Array<TemplateBody>
          total: number
          nextCursor?: string
        }
        expect(body.total).toBe(4)
        seen.push(...body.items.map((item) => item.oid))
        cursor = body.nextCursor
      } while (cursor !== undefined)
      expect(seen).toEqual([...oids].sort())

      const first = await request(api, "GET", `${V1}/templates`, { token })
      const etag = first.headers.get("etag")!
      const again = await request(api, "GET", `${V1}/templates`, {
        token,
        headers: { "If-None-Match": etag }
      })
      expect(again.status).toBe(304)
      expect(again.headers.get("etag")).toBe(etag)
      await put("1.2.3", "renamed")
      const changed = await request(api, "GET", `${V1}/templates`, {
        token,
        headers: { "If-None-Match": etag }
      })
      expect(changed.status).toBe(200)
      expect(changed.headers.get("etag")).not.toBe(etag)
    })

    it("end to end: after PUT, MIM shows the name for a certificate carrying only that template OID", async () => {
      api = makeApi()
      const [bound] = await seed(api, [card(1)], [[card(1), "templateOid"]])
      expect(bound!.certificate.template).toMatchObject({ oid: FIXTURE_OID })
      expect(bound!.certificate.template?.name).toBeUndefined()
      const mim = async () => {
        const response = await api.app.request(
          `/CertificateManagement/api/v1.0/smartcards/${guid(1)}/certificates`,
          { headers: bearer(token) }
        )
        expect(response.status).toBe(200)
        const [item] = (await response.json()) as Array<{ Thumbprint: string; TemplateCommonName: string }>
        expect(item!.Thumbprint).toBe(bound!.certificate.sha1)
        return item!.TemplateCommonName
      }
      expect(await mim()).toBe(FIXTURE_OID)
      await put(FIXTURE_OID, "Smartcard User")
      expect(await mim()).toBe("Smartcard User")
      // Forgotten: the OID stands for it again.
      expect((await request(api, "DELETE", `${V1}/templates/${FIXTURE_OID}`, { token })).status).toBe(204)
      expect(await mim()).toBe(FIXTURE_OID)
    })
  })

  describe("errors", () => {
    it("a malformed OID in the path is 400 invalid_path on every operation", async () => {
      api = makeApi()
      for (const oid of [
        "not-an-oid",
        "1",
        "3.1",
        "1.40.1",
        "1.02.3",
        "1..2",
        "1.2.",
        `1.${"1".repeat(300)}`
      ]) {
        for (const [method, body] of [
          ["GET", undefined],
          ["PUT", { name: "x" }],
          ["DELETE", undefined]
        ] as const) {
          const response = await request(api, method, `${V1}/templates/${encodeURIComponent(oid)}`, {
            token,
            ...(body === undefined ? {} : { body })
          })
          const problem = await expectProblem(response, 400, "invalid_path")
          expect(problem.detail).toContain("dotted OID")
        }
      }
    })

    it("unknown OID: GET and DELETE 404 template_not_found", async () => {
      api = makeApi()
      for (const method of ["GET", "DELETE"]) {
        await expectProblem(
          await request(api, method, `${V1}/templates/${OID}`, { token }),
          404,
          "template_not_found"
        )
      }
    })

    it("PUT bodies: missing, empty, too long or unsafe name and unknown fields 400; not JSON 400 / 415", async () => {
      api = makeApi()
      for (const body of [
        {},
        { name: "" },
        { name: "x".repeat(257) },
        { name: "a\u0000b" },
        { name: 7 },
        { name: "ok", extra: true }
      ]) {
        await expectProblem(
          await request(api, "PUT", `${V1}/templates/${OID}`, { token, body }),
          400,
          "invalid_request"
        )
      }
      await expectProblem(
        await request(api, "PUT", `${V1}/templates/${OID}`, {
          token,
          body: "{nope",
          type: "application/json"
        }),
        400,
        "malformed_body"
      )
      await expectProblem(
        await request(api, "PUT", `${V1}/templates/${OID}`, { token, body: "name=x", type: "text/plain" }),
        415,
        "unsupported_media_type"
      )
      // Nothing was stored by any of them.
      await expectProblem(
        await request(api, "GET", `${V1}/templates/${OID}`, { token }),
        404,
        "template_not_found"
      )
    })

    it("the list: limit out of range or not a number 400 invalid_request, a foreign cursor 400 invalid_cursor", async () => {
      api = makeApi()
      for (const query of ["limit=0", "limit=1001", "limit=abc"]) {
        await expectProblem(
          await request(api, "GET", `${V1}/templates?${query}`, { token }),
          400,
          "invalid_request"
        )
      }
      await expectProblem(
        await request(api, "GET", `${V1}/templates?cursor=garbage`, { token }),
        400,
        "invalid_cursor"
      )
    })
  })

  describe("security", () => {
    const operations = (oid: string) =>
      [
        ["PUT", `${V1}/templates/${oid}`, { name: "x" }],
        ["GET", `${V1}/templates/${oid}`, undefined],
        ["DELETE", `${V1}/templates/${oid}`, undefined],
        ["GET", `${V1}/templates?limit=abc`, undefined]
      ] as const

    it("every grant but Administrator gets the same 403, whatever the OID, query or body; nothing changes", async () => {
      api = makeApi()
      await put(OID, "kept")
      for (const grant of ["DelegatedAdministrator", "OwnerOperator", "OwnerReader"] as const) {
        const secret = await api.tokenFor(grants[grant])
        const details = new Set<string | undefined>()
        for (const oid of [OID, "9.9.9", "not-an-oid"]) {
          for (const [method, path, body] of operations(oid)) {
            const response = await request(api, method, path, {
              token: secret,
              ...(body === undefined ? {} : { body })
            })
            details.add((await expectProblem(response, 403, "forbidden")).detail)
          }
          // A body that is not even JSON changes nothing either.
          const raw = await request(api, "PUT", `${V1}/templates/${oid}`, {
            token: secret,
            body: "{nope",
            type: "text/plain"
          })
          details.add((await expectProblem(raw, 403, "forbidden")).detail)
        }
        expect([...details]).toHaveLength(1)
      }
      const read = await request(api, "GET", `${V1}/templates/${OID}`, { token })
      expect(await read.json()).toMatchObject({ oid: OID, name: "kept" })
    })

    it("no token, or an unknown one: 401 with a Bearer challenge on every operation", async () => {
      api = makeApi()
      for (const credentials of [{}, { token: "cty_unknown" }]) {
        for (const [method, path, body] of operations(OID)) {
          const response = await request(api, method, path, {
            ...credentials,
            ...(body === undefined ? {} : { body })
          })
          await expectProblem(response, 401, "unauthenticated")
          expect(response.headers.get("www-authenticate")).toBe('Bearer realm="certory"')
        }
      }
    })
  })
})
