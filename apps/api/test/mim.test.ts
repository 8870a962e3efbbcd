/**
 * The MIM CM surface through `app.request`: happy, errors, security.
 */
import { type Certificate, Principal as P, Templates } from "@certory/domain"
import { afterEach, describe, expect, it } from "vitest"
import { ADMIN_TOKEN, admin, bearer, card, guid, makeApi, profile, seed, type TestApi } from "./support.js"

const path = (kind: "smartcards" | "profiles", id: string) =>
  `/CertificateManagement/api/v1.0/${kind}/${id}/certificates`

let api: TestApi
afterEach(() => api?.dispose())

describe("MIM CM: GET {smartcards|profiles}/{id}/certificates", () => {
  describe("happy", () => {
    it("a card's certificates as X509ClmCertificate, in the reference's key order, one per binding", async () => {
      api = makeApi()
      const bound = await seed(
        api,
        [card(1)],
        [
          [card(1), "templateName", { isKeyHistory: true, archivedOnCa: true, certificateType: 7 }],
          [card(1), "adcsUserDer"]
        ]
      )
      const response = await api.app.request(path("smartcards", guid(1)), { headers: bearer(ADMIN_TOKEN) })
      expect(response.status).toBe(200)
      expect(response.headers.get("content-type")).toMatch(/^application\/json/)
      const body = (await response.json()) as Array<Record<string, unknown>>
      expect(body).toHaveLength(2)
      for (const item of body) {
        expect(Object.keys(item)).toEqual([
          "IsKeyHistory",
          "ArchivedOnCa",
          "CertificateType",
          "TemplateCommonName",
          "SerialNumber",
          "Thumbprint"
        ])
      }
      const byThumbprint = new Map(body.map((item) => [item.Thumbprint, item]))
      const dc = bound.find((b) => b.certificate.template?.name === "DomainController")!.certificate
      expect(byThumbprint.get(dc.sha1)).toEqual({
        IsKeyHistory: true,
        ArchivedOnCa: true,
        CertificateType: 7,
        TemplateCommonName: "DomainController",
        SerialNumber: dc.serial.windows,
        Thumbprint: dc.sha1
      })
      const user = bound.find((b) => b.certificate.sha1 !== dc.sha1)!.certificate
      // No name in the certificate: the template OID stands for it.
      expect(byThumbprint.get(user.sha1)).toMatchObject({
        IsKeyHistory: false,
        ArchivedOnCa: false,
        CertificateType: 1,
        TemplateCommonName: user.template!.oid
      })
    })

    it("the path matches in any casing, the GUID in any case or with braces; profiles too", async () => {
      api = makeApi()
      await seed(
        api,
        [card(1), profile(2)],
        [
          [card(1), "ec"],
          [profile(2), "rsa"]
        ]
      )
      for (const url of [
        `/certificatemanagement/api/v1.0/smartcards/${guid(1)}/certificates`,
        `/CERTIFICATEMANAGEMENT/API/V1.0/SMARTCARDS/${guid(1).toUpperCase()}/CERTIFICATES`,
        `/CertificateManagement/api/v1.0/smartcards/%7B${guid(1)}%7D/certificates`,
        `/CertificateManagement/api/v1.0/Profiles/${guid(2)}/certificates`
      ]) {
        const response = await api.app.request(url, { headers: bearer(ADMIN_TOKEN) })
        expect(response.status, url).toBe(200)
        expect(((await response.json()) as Array<unknown>).length, url).toBe(1)
      }
    })

    it("an owner with no certificate: 204 with no body and no Content-Type", async () => {
      api = makeApi()
      await seed(api, [card(1)])
      const response = await api.app.request(path("smartcards", guid(1)), { headers: bearer(ADMIN_TOKEN) })
      expect(response.status).toBe(204)
      expect(response.headers.get("content-type")).toBeNull()
      expect(await response.text()).toBe("")
    })

    it("a certificate carrying only a template OID shows the OID, then the name an administrator registers", async () => {
      api = makeApi()
      const bound = await seed(
        api,
        [card(1)],
        [
          [card(1), "templateOid"],
          [card(1), "templateName"],
          [card(1), "ec"]
        ]
      )
      const templateNames = async () => {
        const response = await api.app.request(path("smartcards", guid(1)), { headers: bearer(ADMIN_TOKEN) })
        expect(response.status).toBe(200)
        const body = (await response.json()) as Array<{
          Thumbprint: string
          TemplateCommonName: string | null
        }>
        return new Map(body.map((item) => [item.Thumbprint, item.TemplateCommonName]))
      }
      const [oidOnly, dc, ec] = [0, 1, 2].map((i) => bound[i]!.certificate) as [
        Certificate.Certificate,
        Certificate.Certificate,
        Certificate.Certificate
      ]
      expect(oidOnly.template).toMatchObject({ oid: "1.2.3.4.5.6.7.8.9.0" })
      expect(oidOnly.template?.name).toBeUndefined()
      expect(await templateNames()).toEqual(
        new Map([
          [oidOnly.sha1, "1.2.3.4.5.6.7.8.9.0"],
          [dc.sha1, "DomainController"],
          [ec.sha1, null]
        ])
      )

      await api.run(Templates.setTemplateName(admin, { oid: "1.2.3.4.5.6.7.8.9.0", name: "Test Template" }))
      // The certificate's own name still wins where there is one, even if its OID is registered.
      const dcOid = dc.template?.oid
      if (dcOid !== undefined)
        await api.run(Templates.setTemplateName(admin, { oid: dcOid, name: "Renamed" }))
      expect(await templateNames()).toEqual(
        new Map([
          [oidOnly.sha1, "Test Template"],
          [dc.sha1, "DomainController"],
          [ec.sha1, null]
        ])
      )

      await api.run(Templates.removeTemplate(admin, { oid: "1.2.3.4.5.6.7.8.9.0" }))
      expect((await templateNames()).get(oidOnly.sha1)).toBe("1.2.3.4.5.6.7.8.9.0")
    })
  })

  describe("errors", () => {
    it("an id that is not a GUID: 400; an unknown owner asked by an administrator: 404", async () => {
      api = makeApi()
      const bad = await api.app.request(path("smartcards", "not-a-guid"), { headers: bearer(ADMIN_TOKEN) })
      expect(bad.status).toBe(400)
      expect(Object.keys((await bad.json()) as object)).toEqual(["Message"])
      const unknown = await api.app.request(path("smartcards", guid(9)), { headers: bearer(ADMIN_TOKEN) })
      expect(unknown.status).toBe(404)
      expect(((await unknown.json()) as { Message: string }).Message).toContain(guid(9))
    })
  })

  describe("security", () => {
    it("no token, a wrong token, a revoked or expired one: 401 with ASP.NET's message", async () => {
      api = makeApi()
      await seed(api, [card(1)], [[card(1), "ec"]])
      for (const headers of [{}, bearer("cty_wrong"), bearer(`${ADMIN_TOKEN}x`), { Authorization: "" }]) {
        const response = await api.app.request(path("smartcards", guid(1)), { headers })
        expect(response.status).toBe(401)
        expect(await response.json()).toEqual({ Message: "Authorization has been denied for this request." })
      }
      // The bare secret (no scheme) is accepted, as MIM clients send it.
      const bare = await api.app.request(path("smartcards", guid(1)), {
        headers: { Authorization: ADMIN_TOKEN }
      })
      expect(bare.status).toBe(200)
    })

    it("a reader of another owner: the same 403 whether the owner exists or not", async () => {
      api = makeApi()
      await seed(api, [card(1), card(2)], [[card(1), "ec"]])
      const token = await api.tokenFor(P.OwnerReader.make({ owners: [card(2)] }))
      const existing = await api.app.request(path("smartcards", guid(1)), { headers: bearer(token) })
      const missing = await api.app.request(path("smartcards", guid(77)), { headers: bearer(token) })
      expect(existing.status).toBe(403)
      expect(missing.status).toBe(403)
      expect(await existing.json()).toEqual(await missing.json())
      const own = await api.app.request(path("smartcards", guid(2)), { headers: bearer(token) })
      expect(own.status).toBe(204)
    })

    it("every response has X-Request-Id and nosniff, and one JSON log line", async () => {
      api = makeApi()
      await seed(api, [card(1)])
      const response = await api.app.request(path("smartcards", guid(1)), {
        headers: { ...bearer(ADMIN_TOKEN), "X-Request-Id": "client-123" }
      })
      expect(response.headers.get("x-request-id")).toBe("client-123")
      expect(response.headers.get("x-content-type-options")).toBe("nosniff")
      const line = api.logs.find((l) => l.request_id === "client-123")!
      expect(line).toMatchObject({
        request_id: "client-123",
        method: "GET",
        route: "/certificatemanagement/api/v1.0/smartcards/:id/certificates",
        status: 204
      })
      expect(typeof line.duration_ms).toBe("number")
      const forged = await api.app.request(path("smartcards", guid(1)), {
        headers: { ...bearer(ADMIN_TOKEN), "X-Request-Id": "<script>" }
      })
      expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
    })
  })
})
