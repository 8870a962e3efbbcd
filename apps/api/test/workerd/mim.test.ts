/**
 * The MIM CM surface of the Worker inside workerd, on D1: the wire-exact X509ClmCertificate list (values
 * from the certificates' own facts, the reference example's shape), 204, any casing; 400, 401, 403, 404.
 */
import { describe, expect, it } from "vitest"
import mimExample from "../fixtures/mim-cm-example-response.json" with { type: "json" }
import {
  ADMIN,
  admin,
  call,
  createOwner,
  expectMimError,
  expectStatus,
  facts,
  guid,
  importFixture,
  shape,
  tokenFor
} from "./support.js"

const path = (kind: "smartcards" | "profiles", id: string) =>
  `/CertificateManagement/api/v1.0/${kind}/${id}/certificates`

describe("MIM CM in workerd", () => {
  it("a card's certificates, exactly: key order, values from the certificates, key history and type as bound", async () => {
    await createOwner(`smartcards/${guid(1)}`)
    await importFixture(
      `smartcards/${guid(1)}`,
      "templateName",
      "?isKeyHistory=true&archivedOnCa=true&certificateType=7"
    )
    await importFixture(`smartcards/${guid(1)}`, "adcsUserDer")
    const [dc] = await facts("templateName")
    const [user] = await facts("adcsUserDer")

    const response = await expectStatus(
      await call("GET", path("smartcards", guid(1)), { headers: { Authorization: `Bearer ${ADMIN}` } }),
      200
    )
    expect(response.headers.get("content-type")).toMatch(/^application\/json/)
    const body = (await response.json()) as Array<Record<string, unknown>>
    const byThumbprint = new Map(body.map((item) => [item.Thumbprint, item]))
    expect(body).toHaveLength(2)
    expect(JSON.stringify(byThumbprint.get(dc!.sha1))).toBe(
      JSON.stringify({
        IsKeyHistory: true,
        ArchivedOnCa: true,
        CertificateType: 7,
        TemplateCommonName: "DomainController",
        SerialNumber: dc!.serial.windows,
        Thumbprint: dc!.sha1
      })
    )
    // No name in the certificate: its template OID stands for it.
    expect(JSON.stringify(byThumbprint.get(user!.sha1))).toBe(
      JSON.stringify({
        IsKeyHistory: false,
        ArchivedOnCa: false,
        CertificateType: 1,
        TemplateCommonName: user!.template!.oid,
        SerialNumber: user!.serial.windows,
        Thumbprint: user!.sha1
      })
    )
    // The reference page's example, key for key and type for type.
    for (const item of body) expect(shape(item)).toEqual(shape(mimExample[0]))
  })

  it("the bare token (no Bearer), the path in any casing and braces; profiles too", async () => {
    await createOwner(`smartcards/${guid(2)}`)
    await createOwner(`profiles/${guid(3)}`)
    await importFixture(`smartcards/${guid(2)}`, "ec")
    await importFixture(`profiles/${guid(3)}`, "rsa")
    for (const url of [
      `/certificatemanagement/api/v1.0/smartcards/${guid(2)}/certificates`,
      `/CERTIFICATEMANAGEMENT/API/V1.0/SMARTCARDS/${guid(2).toUpperCase()}/CERTIFICATES`,
      `/CertificateManagement/api/v1.0/smartcards/%7B${guid(2)}%7D/certificates`,
      `/CertificateManagement/api/v1.0/Profiles/${guid(3)}/certificates`
    ]) {
      const response = await call("GET", url, { headers: { Authorization: ADMIN } })
      expect(response.status, url).toBe(200)
      expect(((await response.json()) as Array<unknown>).length, url).toBe(1)
    }
  })

  it("an owner without certificates: 204, no body, no Content-Type", async () => {
    await createOwner(`smartcards/${guid(4)}`)
    const response = await admin("GET", path("smartcards", guid(4)))
    expect(response.status).toBe(204)
    expect(response.headers.get("content-type")).toBeNull()
    expect(await response.text()).toBe("")
  })

  it("400 bad GUID, 401 no or unknown token, 404 unknown owner (administrator), 403 the same either way", async () => {
    await createOwner(`smartcards/${guid(5)}`)
    await expectMimError(await admin("GET", path("smartcards", "not-a-guid")), 400)
    await expectMimError(await call("GET", path("smartcards", guid(5))), 401)
    await expectMimError(await call("GET", path("smartcards", guid(5)), { token: "cty_unknown" }), 401)
    await expectMimError(await admin("GET", path("smartcards", guid(99))), 404)
    const reader = await tokenFor({ role: "OwnerReader", owners: [`smartcard:${guid(6)}`] })
    const existing = await expectMimError(
      await call("GET", path("smartcards", guid(5)), { token: reader }),
      403
    )
    const unknown = await expectMimError(
      await call("GET", path("smartcards", guid(98)), { token: reader }),
      403
    )
    expect(existing).toEqual(unknown)
    // The reader's own (empty) card.
    await createOwner(`smartcards/${guid(6)}`)
    expect((await call("GET", path("smartcards", guid(6)), { token: reader })).status).toBe(204)
  })
})
