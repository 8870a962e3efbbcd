/**
 * Huawei IAM Identity Center: importing and deleting an external IdP's certificates through
 * `app.request`: happy, errors, security.
 */
import { Principal as P } from "@certory/domain"
import { afterEach, describe, expect, it } from "vitest"
import {
  certificates,
  delegateOf,
  expectError,
  importPem,
  json,
  listCertificates,
  pem,
  pemAsSent,
  send
} from "./huawei.support.js"
import { idp, makeApi, seed, store, type TestApi } from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

const S = "d-66f1a2b3b80"
const setup = async () => {
  api = makeApi()
  await seed(api, [store(S), idp(S, "azure")])
}

describe("Huawei IAM Identity Center: POST .../external-idp/{idp_id}/certificate", () => {
  describe("happy", () => {
    it("imports one PEM and lists it back with exactly the text sent (CRLF, trailing comment)", async () => {
      await setup()
      const sent = pemAsSent("ec")
      const response = await importPem(api, S, "azure", sent)
      expect(response.status).toBe(200)
      const body = await json(response)
      expect(Object.keys(body)).toEqual(["certificate_id"])
      expect(response.headers.get("x-request-id")).toBeTruthy()
      const [listed] = await listCertificates(api, S, "azure")
      expect(listed!.certificate_id).toBe(body.certificate_id)
      expect(listed!.x509_Certificate_in_pem).toBe(sent)
    })

    it("a delegated administrator imports with X-Security-Token; a certificate already held answers its id", async () => {
      await setup()
      const token = await api.tokenFor(delegateOf(S))
      const first = await send(
        api,
        "POST",
        certificates(S, "azure"),
        { x509_certificate_in_pem: pem("ed25519"), certificate_use: "SIGNING" },
        token
      )
      expect(first.status).toBe(200)
      const again = await api.app.request(certificates(S, "azure"), {
        method: "POST",
        headers: { "X-Security-Token": token, "Content-Type": "application/json" },
        body: JSON.stringify({ x509_certificate_in_pem: pem("ed25519"), certificate_use: "SIGNING" })
      })
      expect(again.status).toBe(200)
      expect((await json(again)).certificate_id).toBe((await json(first)).certificate_id)
      expect(await listCertificates(api, S, "azure")).toHaveLength(1)
    })
  })

  describe("errors", () => {
    it("a third certificate: 409 IIC.1008, nothing bound", async () => {
      await setup()
      for (const name of ["ec", "ed25519"] as const)
        expect((await importPem(api, S, "azure", pem(name))).status).toBe(200)
      const before = await listCertificates(api, S, "azure")
      await expectError(await importPem(api, S, "azure", pem("ed448")), 409, "IIC.1008")
      expect(await listCertificates(api, S, "azure")).toEqual(before)
    })

    it("bodies that are not one signing certificate: 400 IIC.400, nothing bound", async () => {
      await setup()
      for (const [body, raw] of [
        [undefined, "{not json"],
        [{ certificate_use: "SIGNING" }, undefined],
        [{ x509_certificate_in_pem: pem("ec"), certificate_use: "ENCRYPTION" }, undefined],
        [{ x509_certificate_in_pem: pem("ec") }, undefined],
        [
          {
            x509_certificate_in_pem: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n",
            certificate_use: "SIGNING"
          },
          undefined
        ],
        // A chain is two certificates: the reference imports one.
        [{ x509_certificate_in_pem: pem("chain"), certificate_use: "SIGNING" }, undefined]
      ] as const) {
        const response = await send(api, "POST", certificates(S, "azure"), body, undefined, raw)
        const error = await expectError(response, 400, "IIC.400")
        expect(String(error.error_msg)).not.toContain("\n")
      }
      expect(await listCertificates(api, S, "azure")).toEqual([])
    })

    it("an unknown IdP: 404 IIC.404; a malformed id: 400 IIC.400", async () => {
      await setup()
      await expectError(await importPem(api, S, "ghost", pem("ec")), 404, "IIC.404")
      await expectError(await importPem(api, S, "bad%20id", pem("ec")), 400, "IIC.400")
    })

    it("a body over 2 MiB: 400 IIC.400, nothing bound; the client's next request is answered", async () => {
      await setup()
      const huge = JSON.stringify({
        x509_certificate_in_pem: "A".repeat(2 * 1024 * 1024),
        certificate_use: "SIGNING"
      })
      await expectError(
        await send(api, "POST", certificates(S, "azure"), undefined, undefined, huge),
        400,
        "IIC.400"
      )
      // Over HTTP this reuses the kept-alive connection the refusal was sent on.
      expect(await listCertificates(api, S, "azure")).toEqual([])
    })
  })

  describe("security", () => {
    it("no token: 401 IIC.401; another store's delegate or a reader: the same 403 whether the IdP exists or not", async () => {
      await setup()
      await expectError(
        await api.app.request(certificates(S, "azure"), { method: "POST", body: "{}" }),
        401,
        "IIC.401"
      )
      await seed(api, [store("d-2")])
      for (const grant of [delegateOf("d-2"), P.OwnerReader.make({ owners: [idp(S, "azure")] })]) {
        const token = await api.tokenFor(grant)
        for (const i of ["azure", "ghost"]) {
          // Even a body that is not JSON: access is checked first.
          for (const raw of [
            JSON.stringify({ x509_certificate_in_pem: pem("ec"), certificate_use: "SIGNING" }),
            "{"
          ]) {
            const body = await expectError(
              await send(api, "POST", certificates(S, i), undefined, token, raw),
              403,
              "IIC.1001"
            )
            expect(Object.keys(body)).toEqual([
              "error_code",
              "error_msg",
              "request_id",
              "encoded_authorization_message"
            ])
          }
        }
      }
      expect(await listCertificates(api, S, "azure")).toEqual([])
    })
  })
})

describe("Huawei IAM Identity Center: DELETE .../external-idp/{idp_id}/certificate/{certificate_id}", () => {
  const importOne = async (name: Parameters<typeof pem>[0]) =>
    String((await json(await importPem(api, S, "azure", pem(name)))).certificate_id)

  describe("happy", () => {
    it("deletes an expired certificate while a valid one remains: 200 without a body", async () => {
      await setup()
      const valid = await importOne("ec")
      const expired = await importOne("expired")
      const response = await send(api, "DELETE", `${certificates(S, "azure")}/${expired}`)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe("")
      expect((await listCertificates(api, S, "azure")).map((c) => c.certificate_id)).toEqual([valid])
    })

    it("deletes one of two valid certificates (rotation)", async () => {
      await setup()
      const old = await importOne("ec")
      const next = await importOne("ed25519")
      expect((await send(api, "DELETE", `${certificates(S, "azure")}/${old}`)).status).toBe(200)
      expect((await listCertificates(api, S, "azure")).map((c) => c.certificate_id)).toEqual([next])
    })
  })

  describe("errors", () => {
    it("the last valid certificate: 409 IIC.1009, kept", async () => {
      await setup()
      const valid = await importOne("ec")
      await importOne("expired")
      await expectError(await send(api, "DELETE", `${certificates(S, "azure")}/${valid}`), 409, "IIC.1009")
      expect(await listCertificates(api, S, "azure")).toHaveLength(2)
    })

    it("an unknown certificate or IdP: 404 IIC.404; a malformed certificate id: 400 IIC.400", async () => {
      await setup()
      const valid = await importOne("ec")
      await expectError(
        await send(api, "DELETE", `${certificates(S, "azure")}/00000000-0000-4000-8000-000000000000`),
        404,
        "IIC.404"
      )
      await expectError(await send(api, "DELETE", `${certificates(S, "ghost")}/${valid}`), 404, "IIC.404")
      await expectError(await send(api, "DELETE", `${certificates(S, "azure")}/bad%20id`), 400, "IIC.400")
    })
  })

  describe("security", () => {
    it("another store's delegate: the same 403 whether the IdP and certificate exist or not; no token: 401", async () => {
      await setup()
      const valid = await importOne("ec")
      await importOne("ed25519")
      await seed(api, [store("d-2")])
      const token = await api.tokenFor(delegateOf("d-2"))
      for (const path of [
        `${certificates(S, "azure")}/${valid}`,
        `${certificates(S, "ghost")}/${valid}`,
        `${certificates(S, "azure")}/00000000-0000-4000-8000-000000000000`
      ]) {
        await expectError(await send(api, "DELETE", path, undefined, token), 403, "IIC.1001")
      }
      await expectError(
        await api.app.request(`${certificates(S, "azure")}/${valid}`, { method: "DELETE" }),
        401,
        "IIC.401"
      )
      expect(await listCertificates(api, S, "azure")).toHaveLength(2)
    })
  })
})
