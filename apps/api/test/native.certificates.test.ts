/**
 * The native API's certificates through `app.request`: one owner's list (filters, sort, cursor, ETag),
 * import (every Content-Type and JSON), one certificate (JSON / PEM / DER), unbind, look-up and the
 * expiring report; happy, errors, security.
 */
import { Certificate as C, Pem } from "@certory/domain"
import { afterEach, describe, expect, it } from "vitest"
import { expectProblem, expectStringSerials, isValidNow, request, V1 } from "./native.support.js"
import {
  ADMIN_TOKEN,
  card,
  fixture,
  guid,
  idp,
  makeApi,
  profile,
  seed,
  store,
  type TestApi
} from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

const token = ADMIN_TOKEN
const CARD = `${V1}/smartcards/${guid(1)}`

interface Item {
  certificateId: string
  owner: { key: string; path: string }
  isKeyHistory: boolean
  archivedOnCa: boolean
  certificateType: number
  use: string
  origin: string
  source: string
  boundBy: string
  boundAt: string
  boundAtMs: number
  certificate: {
    sha256: string
    sha1: string
    spkiSha256: string
    x5t: string
    x5tS256: string
    serial: { hex: string; decimal: string; windows: string }
    notBefore: string
    notBeforeMs: number
    notAfter: string
    notAfterMs: number
    validity: string
    subject: { rfc4514: string; rfc2253: string }
    template?: { oid?: string; name?: string }
    subjectAltNames: Array<{ type: string; value: string }>
  }
}
interface ListPage {
  items: Array<Item>
  total: number
  nextCursor?: string
}
interface Imported {
  created: number
  alreadyBound: number
  duplicateInInput: number
  items: Array<Item & { outcome: string }>
}

const text = (name: Parameters<typeof fixture>[0]) => fixture(name) as string
const bytes = (name: Parameters<typeof fixture>[0]) => fixture(name) as Uint8Array

const list = async (query = "", path = CARD): Promise<ListPage> => {
  const response = await request(api, "GET", `${path}/certificates${query === "" ? "" : `?${query}`}`, {
    token
  })
  expect(response.status, await response.clone().text()).toBe(200)
  return (await response.json()) as ListPage
}

describe("native certificates: /api/v1/{owner}/certificates", () => {
  describe("happy", () => {
    it("imports JSON {pem, attributes}: 201 with each outcome and the binding; again: 200 alreadyBound", async () => {
      api = makeApi()
      await seed(api, [card(1)])
      const body = { pem: text("templateName"), isKeyHistory: true, archivedOnCa: true, certificateType: 7 }
      const created = await request(api, "POST", `${CARD}/certificates`, { token, body })
      expect(created.status).toBe(201)
      const result = (await created.json()) as Imported
      expect(result).toMatchObject({ created: 1, alreadyBound: 0, duplicateInInput: 0 })
      const [item] = result.items
      expect(item).toMatchObject({
        outcome: "created",
        owner: { key: `smartcard:${guid(1)}`, path: CARD },
        isKeyHistory: true,
        archivedOnCa: true,
        certificateType: 7,
        use: "signing",
        origin: "native",
        source: "upload",
        boundBy: "bootstrap-admin",
        certificate: { template: { name: "DomainController" } }
      })
      expect(item!.certificateId).toMatch(/^[0-9a-f-]{36}$/)
      expectStringSerials(result)

      const again = await request(api, "POST", `${CARD}/certificates`, { token, body })
      expect(again.status).toBe(200)
      const second = (await again.json()) as Imported
      expect(second).toMatchObject({ created: 0, alreadyBound: 1 })
      expect(second.items[0]!.certificateId).toBe(item!.certificateId)
    })

    it("imports raw bodies by Content-Type, attributes in the query; repeats in one input are reported", async () => {
      api = makeApi()
      await seed(api, [card(1)])
      const post = (body: string | Uint8Array, type: string, query = "") =>
        request(api, "POST", `${CARD}/certificates${query}`, { token, body, type })
      const pem = await post(
        `${text("chain")}${text("rsa")}`,
        "application/x-pem-file",
        "?isKeyHistory=true&certificateType=3"
      )
      expect(pem.status).toBe(201)
      const chain = (await pem.json()) as Imported
      expect(chain.items.map((i) => i.outcome)).toEqual(["created", "created", "duplicateInInput"])
      expect(chain.items[2]!.certificateId).toBe(chain.items[0]!.certificateId)
      for (const i of chain.items) expect(i).toMatchObject({ isKeyHistory: true, certificateType: 3 })

      const cases: ReadonlyArray<readonly [string | Uint8Array, string, number]> = [
        [text("ec"), "text/plain", 201],
        [text("ed25519"), "application/pem-certificate-chain", 201],
        [bytes("adcsUserDer"), "application/pkix-cert", 201],
        [bytes("adcsDcDer"), "application/octet-stream", 201],
        [text("pkcs7"), "application/x-pkcs7-certificates", 200],
        [new TextEncoder().encode(text("pkcs7")), "application/pkcs7-mime", 200]
      ]
      for (const [body, type, status] of cases) {
        const response = await post(body, type)
        expect(response.status, type).toBe(status)
      }
      expect((await list()).total).toBe(6)
    })

    it("lists with every filter, sort and order; a cursor walks every page; serials are strings", async () => {
      api = makeApi()
      const bound = await seed(
        api,
        [card(1)],
        [
          [card(1), "templateName", { isKeyHistory: true, archivedOnCa: true }],
          [card(1), "templateOid"],
          [card(1), "adcsUserDer"],
          [card(1), "ec"],
          [card(1), "expired"],
          [card(1), "rsaPss"],
          [card(1), "ed25519"],
          [card(1), "notYetValid"]
        ]
      )
      const now = Date.now()
      const ids = (page: ListPage) => page.items.map((i) => i.certificateId)
      const expected = (keep: (b: (typeof bound)[number]) => boolean) =>
        bound
          .filter(keep)
          .sort(
            (a, b) =>
              a.certificate.notAfter - b.certificate.notAfter ||
              (a.binding.certificateId < b.binding.certificateId ? -1 : 1)
          )
          .map((b) => b.binding.certificateId)

      const all = await list()
      expect(all.total).toBe(8)
      expect(ids(all)).toEqual(expected(() => true))
      expectStringSerials(all)
      for (const item of all.items) {
        const c = bound.find((b) => b.binding.certificateId === item.certificateId)!.certificate
        expect(item.certificate).toMatchObject({
          sha256: c.sha256,
          sha1: c.sha1,
          serial: { hex: c.serial.hex, decimal: c.serial.decimal, windows: c.serial.windows },
          notBeforeMs: c.notBefore,
          notAfterMs: c.notAfter,
          validity: C.validityAt(c, now)
        })
        expect(new Date(item.certificate.notAfter).getTime()).toBe(c.notAfter)
        expect(new Date(item.certificate.notBefore).getTime()).toBe(c.notBefore)
        expect(Buffer.from(item.certificate.x5tS256, "base64url").toString("hex").toUpperCase()).toBe(
          c.sha256
        )
        expect(Buffer.from(item.certificate.x5t, "base64url").toString("hex").toUpperCase()).toBe(c.sha1)
      }
      // A 37-digit serial (above 2^53) survives exactly, as text.
      const ec = bound.find((b) =>
        b.certificate.subject.rfc4514.includes("DigiCert Global Root G3")
      )!.certificate
      const ecItem = all.items.find((i) => i.certificate.sha256 === ec.sha256)!
      expect(ecItem.certificate.serial.decimal).toBe(ec.serial.decimal)
      expect(BigInt(ecItem.certificate.serial.decimal) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true)
      const rawText = await (await request(api, "GET", `${CARD}/certificates`, { token })).text()
      expect(rawText).toContain(`"decimal":"${ec.serial.decimal}"`)

      for (const validity of ["valid", "expired", "notYetValid"] as const)
        expect(ids(await list(`validity=${validity}`)), validity).toEqual(
          expected((b) => C.validityAt(b.certificate, now) === validity)
        )
      expect(ids(await list("expiringWithin=7300%20days"))).toEqual(
        expected((b) => isValidNow(b.certificate) && b.certificate.notAfter <= now + 20 * 365 * 86_400_000)
      )
      expect(ids(await list("keyHistory=only"))).toEqual(expected((b) => b.binding.isKeyHistory))
      expect(ids(await list("keyHistory=exclude"))).toEqual(expected((b) => !b.binding.isKeyHistory))
      expect(ids(await list("archivedOnCa=true"))).toEqual(expected((b) => b.binding.archivedOnCa))
      expect(ids(await list("archivedOnCa=false"))).toEqual(expected((b) => !b.binding.archivedOnCa))
      expect(ids(await list("template=DomainController"))).toEqual(
        expected((b) => b.certificate.template?.name === "DomainController")
      )
      expect(ids(await list("template=1.2.3.4.5.6.7.8.9.0"))).toEqual(
        expected((b) => b.certificate.template?.oid === "1.2.3.4.5.6.7.8.9.0")
      )
      const desc = await list("sort=notBefore&order=desc")
      expect(desc.items.map((i) => i.certificate.notBeforeMs)).toEqual(
        bound.map((b) => b.certificate.notBefore).sort((a, b) => b - a)
      )
      const subjects = (await list("sort=subject")).items.map((i) => i.certificate.subject.rfc4514)
      expect(subjects).toEqual([...subjects].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
      const bound_ = (await list("sort=boundAt&order=desc")).items.map((i) => i.boundAtMs)
      expect(bound_).toEqual([...bound_].sort((a, b) => b - a))

      const walked: Array<string> = []
      let cursor: string | undefined
      do {
        const page = await list(
          `limit=3&sort=subject${cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`}`
        )
        expect(page.total).toBe(8)
        walked.push(...ids(page))
        cursor = page.nextCursor
      } while (cursor !== undefined)
      expect(walked).toEqual(ids(await list("sort=subject")))
    })

    it("lists carry an ETag: 304 while unchanged, a new one after an import", async () => {
      api = makeApi()
      await seed(api, [card(1)], [[card(1), "ec"]])
      const first = await request(api, "GET", `${CARD}/certificates`, { token })
      const etag = first.headers.get("etag")!
      expect(etag).toBeTruthy()
      const unchanged = await request(api, "GET", `${CARD}/certificates`, {
        token,
        headers: { "If-None-Match": etag }
      })
      expect(unchanged.status).toBe(304)
      expect(await unchanged.text()).toBe("")
      await seed(api, [], [[card(1), "rsa"]])
      const changed = await request(api, "GET", `${CARD}/certificates`, {
        token,
        headers: { "If-None-Match": etag }
      })
      expect(changed.status).toBe(200)
      expect(changed.headers.get("etag")).not.toBe(etag)
      // The ETag is of the exact body: the same list asked again has the same one.
      const same = await request(api, "GET", `${CARD}/certificates`, { token })
      expect(same.headers.get("etag")).toBe(changed.headers.get("etag"))
    })

    it("one certificate: JSON by default, canonical PEM or DER by Accept (q-values honoured)", async () => {
      api = makeApi()
      const [bound] = await seed(api, [card(1)], [[card(1), "templateName"]])
      const path = `${CARD}/certificates/${bound!.binding.certificateId}`
      const asJson = await request(api, "GET", path, { token })
      expect(asJson.status).toBe(200)
      expect(asJson.headers.get("vary")).toBe("Accept")
      const body = (await asJson.json()) as Item & { pem: string }
      expect(body.certificateId).toBe(bound!.binding.certificateId)
      expect(body.pem).toBe(Pem.certificatePem(bound!.certificate.der))
      expectStringSerials(body)
      for (const accept of [
        "application/json",
        "*/*",
        "application/*",
        "text/html;q=0.9, application/json;q=0.1"
      ]) {
        const response = await request(api, "GET", path, { token, headers: { Accept: accept } })
        expect(response.status, accept).toBe(200)
        expect(response.headers.get("content-type"), accept).toMatch(/^application\/json/)
      }

      for (const accept of ["application/x-pem-file", "application/json;q=0.5, application/x-pem-file"]) {
        const pem = await request(api, "GET", path, { token, headers: { Accept: accept } })
        expect(pem.status).toBe(200)
        expect(pem.headers.get("content-type")).toBe("application/x-pem-file")
        expect(await pem.text()).toBe(Pem.certificatePem(bound!.certificate.der))
      }
      const der = await request(api, "GET", path, {
        token,
        headers: { Accept: "application/pkix-cert" }
      })
      expect(der.status).toBe(200)
      expect(der.headers.get("content-type")).toBe("application/pkix-cert")
      expect(new Uint8Array(await der.arrayBuffer())).toEqual(bound!.certificate.der)
      // Both representations are in the document.
      const doc = (await (await api.app.request("/openapi.json")).json()) as {
        paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }> } }>
      }
      expect(
        Object.keys(
          doc.paths["/api/v1/smartcards/{guid}/certificates/{certificate_id}"]!.get.responses["200"]!.content
        )
      ).toEqual(["application/json", "application/x-pem-file", "application/pkix-cert"])
    })

    it("unbind: 200 with the binding removed; the certificate is gone from the list, another owner keeps it", async () => {
      api = makeApi()
      const [mine] = await seed(
        api,
        [card(1), card(2)],
        [
          [card(1), "ec"],
          [card(2), "ec"]
        ]
      )
      const path = `${CARD}/certificates/${mine!.binding.certificateId}`
      const removed = await request(api, "DELETE", path, { token })
      expect(removed.status).toBe(200)
      expect(await removed.json()).toMatchObject({
        certificateId: mine!.binding.certificateId,
        owner: { key: `smartcard:${guid(1)}` }
      })
      expect((await list()).total).toBe(0)
      expect((await list("", `${V1}/smartcards/${guid(2)}`)).total).toBe(1)
      await expectProblem(await request(api, "DELETE", path, { token }), 404, "certificate_not_found")
    })

    it("look-up by any spelling: which owners hold it, grouped by certificate", async () => {
      api = makeApi()
      const [held] = await seed(
        api,
        [card(1), profile(2), store("d-1"), idp("d-1", "a")],
        [
          [card(1), "ec"],
          [profile(2), "ec"],
          [idp("d-1", "a"), "ec"],
          [card(1), "rsa"]
        ]
      )
      const c = held!.certificate
      const colons = c.sha1.match(/../g)!.join(":").toLowerCase()
      for (const lookup of [
        c.sha1,
        colons,
        c.sha256.toLowerCase(),
        c.serial.decimal,
        c.serial.hex,
        c.spkiSha256
      ]) {
        const response = await request(
          api,
          "GET",
          `${V1}/certificates?lookup=${encodeURIComponent(lookup)}`,
          { token }
        )
        expect(response.status, lookup).toBe(200)
        const page = (await response.json()) as {
          items: Array<{
            certificate: { sha256: string }
            matchedBy: string
            bindings: Array<{ owner: { key: string } }>
          }>
          total: number
        }
        expect(page.items).toHaveLength(1)
        expect(page.items[0]!.certificate.sha256).toBe(c.sha256)
        expect(page.items[0]!.bindings.map((b) => b.owner.key).sort()).toEqual([
          "idp:d-1/a",
          `profile:${guid(2)}`,
          `smartcard:${guid(1)}`
        ])
        expectStringSerials(page)
      }
      const none = await request(api, "GET", `${V1}/certificates?lookup=${"AB".repeat(32)}`, { token })
      expect(await none.json()).toEqual({ items: [], total: 0 })
      const paged = (await (
        await request(api, "GET", `${V1}/certificates?lookup=${c.sha256}&limit=2`, { token })
      ).json()) as { items: Array<{ bindings: Array<unknown> }>; total: number; nextCursor?: string }
      expect(paged.total).toBe(3)
      expect(paged.items[0]!.bindings).toHaveLength(2)
      const rest = (await (
        await request(
          api,
          "GET",
          `${V1}/certificates?lookup=${c.sha256}&limit=2&cursor=${encodeURIComponent(paged.nextCursor!)}`,
          { token }
        )
      ).json()) as { items: Array<{ bindings: Array<unknown> }>; nextCursor?: string }
      expect(rest.items[0]!.bindings).toHaveLength(1)
      expect(rest.nextCursor).toBeUndefined()
    })

    it("expiring: certificates valid now expiring within the window, soonest first, across owners", async () => {
      api = makeApi()
      const bound = await seed(
        api,
        [card(1), card(2)],
        [
          [card(1), "ec"],
          [card(1), "expired"],
          [card(2), "templateOid"],
          [card(2), "rsaPss"],
          [card(2), "notYetValid"]
        ]
      )
      const now = Date.now()
      const within = 50 * 365 * 86_400_000
      const response = await request(api, "GET", `${V1}/expiring?within=18250%20days`, { token })
      expect(response.status).toBe(200)
      const page = (await response.json()) as ListPage
      expect(page.items.map((i) => i.certificateId)).toEqual(
        bound
          .filter((b) => isValidNow(b.certificate) && b.certificate.notAfter <= now + within)
          .sort((a, b) => a.certificate.notAfter - b.certificate.notAfter)
          .map((b) => b.binding.certificateId)
      )
      expectStringSerials(page)
      const defaulted = await request(api, "GET", `${V1}/expiring`, { token })
      expect(defaulted.status).toBe(200)
      const etag = defaulted.headers.get("etag")!
      expect(
        (await request(api, "GET", `${V1}/expiring`, { token, headers: { "If-None-Match": etag } })).status
      ).toBe(304)
    })
  })

  describe("errors", () => {
    it("imports: not a certificate, none at all, a bad attribute, an unsupported type", async () => {
      api = makeApi()
      await seed(api, [card(1)])
      const post = (call: Parameters<typeof request>[3]) =>
        request(api, "POST", `${CARD}/certificates`, { token, ...call })
      await expectProblem(await post({ body: { pem: "hello" } }), 400, "invalid_certificate")
      const second = await expectProblem(
        await post({
          body: `${text("ec")}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`,
          type: "text/plain"
        }),
        400,
        "invalid_certificate"
      )
      expect(second.block).toBe(2)
      await expectProblem(
        await post({ body: "", type: "application/x-pem-file" }),
        400,
        "invalid_certificate"
      )
      await expectProblem(
        await post({ body: { pem: text("ec"), certificateType: 2 ** 31 } }),
        400,
        "invalid_request"
      )
      await expectProblem(await post({ body: { pem: text("ec"), extra: 1 } }), 400, "invalid_request")
      await expectProblem(await post({ body: { isKeyHistory: true } }), 400, "invalid_request")
      await expectProblem(
        await request(api, "POST", `${CARD}/certificates?isKeyHistory=yes`, {
          token,
          body: text("rsa"),
          type: "text/plain"
        }),
        400,
        "invalid_request"
      )
      await expectProblem(await post({ body: text("ec"), type: "image/png" }), 415, "unsupported_media_type")
      await expectProblem(
        await api.app.request(`${CARD}/certificates`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}` },
          // Bytes: a string body would get text/plain from the Request constructor.
          body: new TextEncoder().encode(text("ec"))
        }),
        415,
        "unsupported_media_type"
      )
      await expectProblem(await post({ body: "{not json", type: "application/json" }), 400, "malformed_body")
      // Nothing was bound by the refused imports.
      expect((await list()).total).toBe(0)
    })

    it("an IdP: encryption certificates refused, at most 2 certificates (409), never its last valid one (409)", async () => {
      api = makeApi()
      await seed(api, [store("d-1"), idp("d-1", "a")])
      const path = `${V1}/identity-stores/d-1/idps/a`
      await expectProblem(
        await request(api, "POST", `${path}/certificates`, {
          token,
          body: { pem: text("ec"), use: "encryption" }
        }),
        400,
        "invalid_request"
      )
      const first = (await (
        await request(api, "POST", `${path}/certificates`, { token, body: { pem: text("ec") } })
      ).json()) as Imported
      await request(api, "POST", `${path}/certificates`, { token, body: { pem: text("expired") } })
      await expectProblem(
        await request(api, "POST", `${path}/certificates`, { token, body: { pem: text("ed25519") } }),
        409,
        "certificate_limit_reached"
      )
      await expectProblem(
        await request(api, "DELETE", `${path}/certificates/${first.items[0]!.certificateId}`, { token }),
        409,
        "last_valid_certificate"
      )
    })

    it("more than 1,000 PEM blocks are refused before parsing", async () => {
      api = makeApi()
      await seed(api, [card(1)])
      const many = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".repeat(1001)
      await expectProblem(
        await request(api, "POST", `${CARD}/certificates`, { token, body: many, type: "text/plain" }),
        400,
        "too_many_pem_blocks"
      )
    })

    it("lists: bad filters, limits, cursors; a cursor of another listing", async () => {
      api = makeApi()
      await seed(
        api,
        [card(1)],
        [
          [card(1), "ec"],
          [card(1), "rsa"]
        ]
      )
      for (const query of [
        "validity=soon",
        "expiringWithin=forever",
        "expiringWithin=40000%20days",
        "keyHistory=yes",
        "archivedOnCa=1",
        "sort=serial",
        "order=up",
        "limit=0",
        "limit=1001",
        "limit=ten"
      ])
        await expectProblem(
          await request(api, "GET", `${CARD}/certificates?${query}`, { token }),
          400,
          "invalid_request"
        )
      const page = await list("limit=1")
      await expectProblem(
        await request(
          api,
          "GET",
          `${CARD}/certificates?limit=1&sort=subject&cursor=${encodeURIComponent(page.nextCursor!)}`,
          {
            token
          }
        ),
        400,
        "invalid_cursor"
      )
      await expectProblem(
        await request(api, "GET", `${CARD}/certificates?cursor=x`, { token }),
        400,
        "invalid_cursor"
      )
      await expectProblem(await request(api, "GET", `${V1}/certificates`, { token }), 400, "invalid_request")
      await expectProblem(
        await request(api, "GET", `${V1}/certificates?lookup=zzz`, { token }),
        400,
        "invalid_lookup"
      )
      await expectProblem(
        await request(api, "GET", `${V1}/expiring?within=soon`, { token }),
        400,
        "invalid_request"
      )
    })

    it("one certificate: unknown id 404, unknown owner 404, malformed id 400, unsupported Accept 406", async () => {
      api = makeApi()
      const [bound] = await seed(api, [card(1)], [[card(1), "ec"]])
      const id = bound!.binding.certificateId
      await expectProblem(
        await request(api, "GET", `${CARD}/certificates/00000000-0000-4000-8000-000000000000`, { token }),
        404,
        "certificate_not_found"
      )
      await expectProblem(
        await request(api, "GET", `${V1}/smartcards/${guid(9)}/certificates/${id}`, { token }),
        404,
        "owner_not_found"
      )
      await expectProblem(
        await request(api, "GET", `${CARD}/certificates/bad%20id`, { token }),
        400,
        "invalid_path"
      )
      await expectProblem(
        await request(api, "DELETE", `${CARD}/certificates/bad%20id`, { token }),
        400,
        "invalid_path"
      )
      for (const accept of ["text/html", "application/json;q=0", "image/*"])
        await expectProblem(
          await request(api, "GET", `${CARD}/certificates/${id}`, { token, headers: { Accept: accept } }),
          406,
          "not_acceptable"
        )
      await expectProblem(
        await request(api, "GET", `${V1}/smartcards/${guid(9)}/certificates`, { token }),
        404,
        "owner_not_found"
      )
      await expectProblem(
        await request(api, "POST", `${V1}/smartcards/${guid(9)}/certificates`, {
          token,
          body: { pem: text("ec") }
        }),
        404,
        "owner_not_found"
      )
    })
  })

  describe("security", () => {
    it("the default limit is 1 MiB", async () => {
      api = makeApi()
      await seed(api, [card(1)])
      const big = new Uint8Array(1024 * 1024 + 1).fill(0x41)
      await expectProblem(
        await request(api, "POST", `${CARD}/certificates`, {
          token,
          body: big,
          type: "application/octet-stream"
        }),
        413,
        "payload_too_large"
      )
      const justUnder = new Uint8Array(1024 * 1024).fill(0x20)
      await expectProblem(
        await request(api, "POST", `${CARD}/certificates`, {
          token,
          body: justUnder,
          type: "application/octet-stream"
        }),
        400,
        "invalid_certificate"
      )
    })
  })
})
