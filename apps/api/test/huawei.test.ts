/**
 * The Huawei IAM Identity Center surface through `app.request`: happy, errors, security.
 */
import { Principal as P } from "@certory/domain"
import { afterEach, describe, expect, it } from "vitest"
import { ADMIN_TOKEN, bearer, card, idp, makeApi, seed, store, type TestApi } from "./support.js"

const path = (s: string, i: string) => `/v1/identity-stores/${s}/external-idp/${i}/certificate`

let api: TestApi
afterEach(() => api?.dispose())

const KEYS = [
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
]

describe("Huawei IAM Identity Center: GET .../external-idp/{idp_id}/certificate", () => {
  describe("happy", () => {
    it("a delegated administrator lists its IdP's certificates, with X-Security-Token or Authorization", async () => {
      api = makeApi()
      const [bound] = await seed(
        api,
        [store("d-66f1a2b3b80"), idp("d-66f1a2b3b80", "azure")],
        [[idp("d-66f1a2b3b80", "azure"), "templateName"]]
      )
      const token = await api.tokenFor(
        P.DelegatedAdministrator.make({ identityStoreId: idp("d-66f1a2b3b80", "x").identityStoreId })
      )
      for (const headers of [{ "X-Security-Token": token }, bearer(token)]) {
        const response = await api.app.request(path("d-66f1a2b3b80", "azure"), { headers })
        expect(response.status).toBe(200)
        const body = (await response.json()) as { idp_certificates: Array<Record<string, unknown>> }
        expect(Object.keys(body)).toEqual(["idp_certificates"])
        const [item] = body.idp_certificates
        expect(Object.keys(item!)).toEqual(KEYS)
        const c = bound!.certificate
        expect(item).toEqual({
          certificate_id: bound!.binding.certificateId,
          issuer_name: c.issuer.rfc2253,
          not_after: c.notAfter,
          not_before: c.notBefore,
          public_key: c.publicKey.spki,
          serial_number: Number(c.serial.decimal),
          serial_number_string: c.serial.decimal,
          signature_algorithm_name: c.signatureAlgorithm.name,
          subject_name: c.subject.rfc2253,
          version: 3,
          x509_Certificate_in_pem: expect.stringMatching(/^-----BEGIN CERTIFICATE-----\n/)
        })
        expect(item!.certificate_id).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
        )
        expect(response.headers.get("x-request-id")).toBeTruthy()
      }
    })

    it("an IdP without certificates: 200 with an empty list", async () => {
      api = makeApi()
      await seed(api, [store("d-1"), idp("d-1", "x")])
      const response = await api.app.request(path("d-1", "x"), { headers: bearer(ADMIN_TOKEN) })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ idp_certificates: [] })
    })
  })

  describe("errors", () => {
    it("an unknown IdP: 404 IIC.404 with the request id; malformed ids: 400 IIC.400", async () => {
      api = makeApi()
      const missing = await api.app.request(path("d-1", "nope"), { headers: bearer(ADMIN_TOKEN) })
      expect(missing.status).toBe(404)
      const body = (await missing.json()) as Record<string, string>
      expect(Object.keys(body)).toEqual(["error_code", "error_msg", "request_id"])
      expect(body.error_code).toBe("IIC.404")
      expect(body.request_id).toBe(missing.headers.get("x-request-id"))
      const bad = await api.app.request(path("d-1", "bad%20id"), { headers: bearer(ADMIN_TOKEN) })
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as Record<string, string>).error_code).toBe("IIC.400")
    })
  })

  describe("security", () => {
    it("no or an unknown token: 401 IIC.401", async () => {
      api = makeApi()
      for (const headers of [{}, { "X-Security-Token": "cty_unknown" }]) {
        const response = await api.app.request(path("d-1", "x"), { headers })
        expect(response.status).toBe(401)
        expect(((await response.json()) as Record<string, string>).error_code).toBe("IIC.401")
      }
    })

    it("another store's delegate or a card's reader: the same 403 IIC.1001 whether the IdP exists or not", async () => {
      api = makeApi()
      await seed(api, [store("d-1"), idp("d-1", "x"), store("d-2"), card(1)], [[idp("d-1", "x"), "ec"]])
      for (const grant of [
        P.DelegatedAdministrator.make({ identityStoreId: idp("d-2", "y").identityStoreId }),
        P.OwnerReader.make({ owners: [card(1)] })
      ]) {
        const token = await api.tokenFor(grant)
        const existing = await api.app.request(path("d-1", "x"), { headers: bearer(token) })
        const missing = await api.app.request(path("d-1", "ghost"), { headers: bearer(token) })
        for (const response of [existing, missing]) {
          expect(response.status).toBe(403)
          const body = (await response.json()) as Record<string, string>
          expect(body.error_code).toBe("IIC.1001")
          expect(Object.keys(body)).toEqual([
            "error_code",
            "error_msg",
            "request_id",
            "encoded_authorization_message"
          ])
        }
      }
    })
  })
})
