/**
 * Huawei IAM Identity Center: external IdPs (create from SAML metadata or configuration, list, update,
 * enable / disable, delete) through `app.request`: happy, errors, security.
 */
import { parseIdpMetadata } from "@certory/saml"
import { afterEach, describe, expect, it } from "vitest"
import {
  certificates,
  delegateOf,
  expectError,
  idpPath,
  idps,
  importPem,
  listCertificates,
  listIdps,
  metadata,
  pem,
  pemAsSent,
  SAML_FIXTURES,
  send
} from "./huawei.support.js"
import { idp, makeApi, seed, store, type TestApi } from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

const S = "d-66f1a2b3b80"
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const setup = async () => {
  api = makeApi()
  await seed(api, [store(S)])
}

const create = async (body: unknown, token?: string) => send(api, "POST", idps(S), body, token)

const created = async (body: unknown) => {
  const response = await create(body)
  expect(response.status).toBe(201)
  return (await response.json()) as {
    idp_id: string
    idp_certificate_id?: string
    idp_certificate_ids: Array<string>
    hws_sp_saml_config: { acs_url: string; issuer: string; metadata: string }
  }
}

const config = {
  entity_id: "https://sts.example.com/adfs/services/trust",
  login_url: "https://sts.example.com/adfs/ls/"
}

describe("Huawei IAM Identity Center: POST .../external-idp", () => {
  describe("happy", () => {
    it.each(SAML_FIXTURES)(
      "from real metadata (%s): its configuration and signing certificates, nothing else",
      async (name) => {
        await setup()
        const xml = metadata(name)
        const parsed = parseIdpMetadata(xml)
        if (parsed._tag !== "Parsed") throw new Error(`${name}: ${parsed.error.message}`)
        const body = await created({ idp_saml_metadata: xml })
        expect(Object.keys(body)).toEqual([
          "idp_id",
          "idp_certificate_id",
          "idp_certificate_ids",
          "hws_sp_saml_config"
        ])
        expect(body.idp_id).toMatch(UUID)
        expect(body.idp_certificate_ids).toHaveLength(parsed.metadata.signingCertificates.length)
        expect(body.idp_certificate_id).toBe(body.idp_certificate_ids[0])

        const [association] = await listIdps(api, S)
        expect(association).toEqual({
          idp_id: body.idp_id,
          is_enabled: false,
          idp_saml_config: {
            entity_id: parsed.metadata.entityId,
            login_url: parsed.metadata.loginUrl,
            want_request_signed: parsed.metadata.wantAuthnRequestsSigned
          },
          idp_certificate_ids: expect.any(Array)
        })
        expect(association!.idp_certificate_ids.map((c) => c.certificate_id).sort()).toEqual(
          [...body.idp_certificate_ids].sort()
        )
        // The certificates are the signing ones, in canonical PEM (they arrived as DER in the XML).
        const listed = await listCertificates(api, S, body.idp_id)
        const signing = parsed.metadata.signingCertificates.map((der) => Buffer.from(der).toString("base64"))
        const encryptionOnly = parsed.metadata.encryptionCertificates
          .map((der) => Buffer.from(der).toString("base64"))
          .filter((b64) => !signing.includes(b64))
        const held = listed.map((c) => String(c.x509_Certificate_in_pem).replace(/-----[A-Z ]+-----|\s/g, ""))
        expect(held.sort()).toEqual([...signing].sort())
        for (const b64 of encryptionOnly) expect(held).not.toContain(b64)
        for (const c of listed) expect(c.x509_Certificate_in_pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
      }
    )

    it("from idp_saml_config + idp_certificate: the PEM reads back as sent", async () => {
      await setup()
      const sent = pemAsSent("ed25519")
      const body = await created({
        idp_saml_config: { ...config, want_request_signed: true },
        idp_certificate: sent
      })
      expect(body.idp_certificate_ids).toHaveLength(1)
      const [listed] = await listCertificates(api, S, body.idp_id)
      expect(listed!.certificate_id).toBe(body.idp_certificate_id)
      expect(listed!.x509_Certificate_in_pem).toBe(sent)
      const [association] = await listIdps(api, S)
      expect(association!.idp_saml_config).toEqual({ ...config, want_request_signed: true })
      expect(association!.idp_certificate_ids).toEqual([
        { certificate_id: body.idp_certificate_id, status: "VALID" }
      ])
    })

    it("idp_saml_config without a certificate, and Terraform's empty idp_saml_config beside metadata", async () => {
      await setup()
      const bare = await created({ idp_saml_config: config })
      expect(bare.idp_certificate_ids).toEqual([])
      expect(bare).not.toHaveProperty("idp_certificate_id")
      const withEmpty = await created({ idp_saml_metadata: metadata("okta.xml"), idp_saml_config: {} })
      expect(withEmpty.idp_certificate_ids).toHaveLength(1)
      expect(await listIdps(api, S)).toHaveLength(2)
    })

    it("hws_sp_saml_config: derived from the request's origin", async () => {
      await setup()
      const derived = await created({ idp_saml_config: config })
      expect(derived.hws_sp_saml_config).toEqual({
        acs_url: `${api.origin}/saml/acs`,
        issuer: `${api.origin}/saml/sp`,
        metadata: expect.stringContaining(`entityID="${api.origin}/saml/sp"`)
      })
      const sp = parseIdpMetadata(derived.hws_sp_saml_config.metadata)
      // Well-formed SAML metadata (of an SP, so no IdP descriptor).
      expect(sp._tag === "Failed" && sp.error.code).toBe("NoIdpDescriptor")
    })
  })

  describe("errors", () => {
    it("a DOCTYPE in idp_saml_metadata: 400 IIC.400, no IdP", async () => {
      await setup()
      const xml = metadata("okta.xml").replace(
        "<md:EntityDescriptor",
        '<!DOCTYPE x [<!ENTITY e "e">]><md:EntityDescriptor'
      )
      const body = await expectError(await create({ idp_saml_metadata: xml }), 400, "IIC.400")
      expect(body.error_msg).toMatch(/^idp_saml_metadata: DoctypeForbidden/)
      expect(await listIdps(api, S)).toEqual([])
    })

    it("metadata with three distinct signing certificates: 409 IIC.1008, no IdP", async () => {
      await setup()
      // samltest-shibboleth.xml's two signing keys and its encryption key, re-marked as signing.
      const xml = metadata("samltest-shibboleth.xml").replace(
        '<KeyDescriptor use="encryption">',
        '<KeyDescriptor use="signing">'
      )
      const parsed = parseIdpMetadata(xml)
      expect(parsed._tag === "Parsed" && parsed.metadata.signingCertificates.length).toBe(3)
      await expectError(await create({ idp_saml_metadata: xml }), 409, "IIC.1008")
      expect(await listIdps(api, S)).toEqual([])
    })

    it("bodies that are neither one form nor the other, or hold bad values: 400 IIC.400, no IdP", async () => {
      await setup()
      for (const body of [
        {},
        { idp_saml_metadata: metadata("okta.xml"), idp_saml_config: config },
        { idp_saml_metadata: metadata("okta.xml"), idp_certificate: pem("ec") },
        { idp_certificate: pem("ec") },
        { idp_saml_config: { entity_id: config.entity_id } },
        { idp_saml_config: { ...config, login_url: "http://169.254.169.254/latest/meta-data/" } },
        { idp_saml_config: { ...config, entity_id: "" } },
        { idp_saml_config: config, idp_certificate: "not a certificate" },
        { idp_saml_config: config, idp_certificate: pem("chain") },
        { idp_saml_metadata: "<a><b></a>" },
        { idp_saml_metadata: 42 }
      ]) {
        await expectError(await create(body), 400, "IIC.400")
      }
      await expectError(await send(api, "POST", idps(S), undefined, undefined, "<xml/>"), 400, "IIC.400")
      expect(await listIdps(api, S)).toEqual([])
    })

    it("an unknown identity store: 404 IIC.404; a malformed one: 400 IIC.400", async () => {
      await setup()
      await expectError(await send(api, "POST", idps("d-ghost"), { idp_saml_config: config }), 404, "IIC.404")
      await expectError(
        await send(api, "POST", idps("bad%20id"), { idp_saml_config: config }),
        400,
        "IIC.400"
      )
    })
  })

  describe("security", () => {
    it("its store's delegate creates; another store's delegate: the same 403 whether the store exists, whatever the body", async () => {
      await setup()
      await seed(api, [store("d-2")])
      const own = await api.tokenFor(delegateOf(S))
      expect((await create({ idp_saml_config: config }, own)).status).toBe(201)
      const other = await api.tokenFor(delegateOf("d-2"))
      for (const s of [S, "d-ghost"]) {
        for (const raw of [JSON.stringify({ idp_saml_metadata: metadata("okta.xml") }), "{"]) {
          await expectError(await send(api, "POST", idps(s), undefined, other, raw), 403, "IIC.1001")
        }
      }
      await expectError(await api.app.request(idps(S), { method: "POST", body: "{}" }), 401, "IIC.401")
      expect(await listIdps(api, S)).toHaveLength(1)
    })
  })
})

describe("Huawei IAM Identity Center: GET .../external-idp", () => {
  it("happy: every IdP of the store with its certificates' status by the clock; none: an empty list", async () => {
    await setup()
    expect(await listIdps(api, S)).toEqual([])
    await seed(
      api,
      [idp(S, "legacy")],
      [
        [idp(S, "legacy"), "expired"],
        [idp(S, "legacy"), "notYetValid"]
      ]
    )
    const body = await created({ idp_saml_config: config, idp_certificate: pem("ec") })
    const listed = await listIdps(api, S)
    expect(listed.map((a) => a.idp_id).sort()).toEqual([body.idp_id, "legacy"].sort())
    const legacy = listed.find((a) => a.idp_id === "legacy")!
    // Created without a configuration (as the CLI does): no idp_saml_config.
    expect(Object.keys(legacy)).toEqual(["idp_id", "is_enabled", "idp_certificate_ids"])
    expect(legacy.is_enabled).toBe(true)
    expect(legacy.idp_certificate_ids.map((c) => c.status).sort()).toEqual(["EXPIRED", "NOT_YET_VALID"])
    const fresh = listed.find((a) => a.idp_id === body.idp_id)!
    expect(Object.keys(fresh)).toEqual(["idp_id", "is_enabled", "idp_saml_config", "idp_certificate_ids"])
    expect(fresh.idp_certificate_ids).toEqual([{ certificate_id: body.idp_certificate_id, status: "VALID" }])
  })

  it("errors: an unknown store 404 IIC.404, a malformed one 400 IIC.400", async () => {
    await setup()
    await expectError(await send(api, "GET", idps("d-ghost")), 404, "IIC.404")
    await expectError(await send(api, "GET", idps("bad%20id")), 400, "IIC.400")
  })

  it("security: the store's delegate lists; another store's delegate gets the same 403 whether the store exists", async () => {
    await setup()
    await created({ idp_saml_config: config })
    await seed(api, [store("d-2")])
    const own = await api.tokenFor(delegateOf(S))
    expect((await send(api, "GET", idps(S), undefined, own)).status).toBe(200)
    const other = await api.tokenFor(delegateOf("d-2"))
    for (const s of [S, "d-ghost"])
      await expectError(await send(api, "GET", idps(s), undefined, other), 403, "IIC.1001")
    await expectError(await api.app.request(idps(S)), 401, "IIC.401")
  })
})

describe("Huawei IAM Identity Center: PUT, enable, disable, DELETE .../external-idp/{idp_id}", () => {
  describe("happy", () => {
    it("PUT changes entity_id and login_url and keeps want_request_signed unless given", async () => {
      await setup()
      const { idp_id } = await created({ idp_saml_metadata: metadata("okta.xml") })
      const changed = {
        entity_id: "http://www.okta.com/exknew",
        login_url: "https://example.okta.com/sso/saml"
      }
      const response = await send(api, "PUT", idpPath(S, idp_id), changed)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe("")
      expect((await listIdps(api, S))[0]!.idp_saml_config).toEqual({ ...changed, want_request_signed: false })
      expect(
        (await send(api, "PUT", idpPath(S, idp_id), { ...changed, want_request_signed: true })).status
      ).toBe(200)
      expect((await send(api, "PUT", idpPath(S, idp_id), changed)).status).toBe(200)
      expect((await listIdps(api, S))[0]!.idp_saml_config!.want_request_signed).toBe(true)
    })

    it("enable and disable flip is_enabled (idempotently)", async () => {
      await setup()
      const { idp_id } = await created({ idp_saml_config: config })
      expect((await listIdps(api, S))[0]!.is_enabled).toBe(false)
      for (const [action, expected] of [
        ["enable", true],
        ["enable", true],
        ["disable", false],
        ["disable", false],
        ["enable", true]
      ] as const) {
        const response = await send(api, "POST", `${idpPath(S, idp_id)}/${action}`)
        expect(response.status).toBe(200)
        expect(await response.text()).toBe("")
        expect((await listIdps(api, S))[0]!.is_enabled).toBe(expected)
      }
    })

    it("DELETE removes the IdP and its certificates", async () => {
      await setup()
      const { idp_id } = await created({ idp_saml_metadata: metadata("samltest-shibboleth.xml") })
      const kept = await created({ idp_saml_config: config, idp_certificate: pem("ec") })
      expect(await listCertificates(api, S, idp_id)).toHaveLength(2)
      const response = await send(api, "DELETE", idpPath(S, idp_id))
      expect(response.status).toBe(200)
      expect(await response.text()).toBe("")
      expect((await listIdps(api, S)).map((a) => a.idp_id)).toEqual([kept.idp_id])
      await expectError(await send(api, "GET", certificates(S, idp_id)), 404, "IIC.404")
      await expectError(await send(api, "DELETE", idpPath(S, idp_id)), 404, "IIC.404")
      expect(await listCertificates(api, S, kept.idp_id)).toHaveLength(1)
    })
  })

  describe("errors", () => {
    it("unknown IdP: 404 IIC.404 for each; bad bodies and values: 400 IIC.400", async () => {
      await setup()
      for (const [method, path] of [
        ["PUT", idpPath(S, "ghost")],
        ["POST", `${idpPath(S, "ghost")}/enable`],
        ["POST", `${idpPath(S, "ghost")}/disable`],
        ["DELETE", idpPath(S, "ghost")]
      ] as const) {
        await expectError(await send(api, method, path, config), 404, "IIC.404")
      }
      const { idp_id } = await created({ idp_saml_config: config })
      for (const body of [
        {},
        { entity_id: config.entity_id },
        { ...config, login_url: "http://[fe80::1]/sso" },
        { ...config, login_url: "ftp://idp.example/sso" },
        { ...config, entity_id: "x".repeat(1025) }
      ]) {
        await expectError(await send(api, "PUT", idpPath(S, idp_id), body), 400, "IIC.400")
      }
      await expectError(await send(api, "PUT", idpPath(S, "bad%20id"), config), 400, "IIC.400")
      expect((await listIdps(api, S))[0]!.idp_saml_config).toEqual({ ...config, want_request_signed: false })
    })
  })

  describe("security", () => {
    it("another store's delegate: the same 403 on every route whether the IdP exists; no token: 401", async () => {
      await setup()
      const { idp_id } = await created({ idp_saml_config: config, idp_certificate: pem("ec") })
      await seed(api, [store("d-2")])
      const other = await api.tokenFor(delegateOf("d-2"))
      for (const i of [idp_id, "ghost"]) {
        for (const [method, path, body] of [
          ["PUT", idpPath(S, i), config],
          ["POST", `${idpPath(S, i)}/enable`, undefined],
          ["POST", `${idpPath(S, i)}/disable`, undefined],
          ["DELETE", idpPath(S, i), undefined],
          ["GET", certificates(S, i), undefined],
          [
            "POST",
            certificates(S, i),
            { x509_certificate_in_pem: pem("ed25519"), certificate_use: "SIGNING" }
          ],
          ["DELETE", `${certificates(S, i)}/00000000-0000-4000-8000-000000000000`, undefined]
        ] as const) {
          await expectError(await send(api, method, path, body, other), 403, "IIC.1001")
          await expectError(await api.app.request(path, { method }), 401, "IIC.401")
        }
      }
      const [association] = await listIdps(api, S)
      expect(association!.is_enabled).toBe(false)
      expect(association!.idp_certificate_ids).toHaveLength(1)
      // Its own store's delegate may do all of it.
      const own = await api.tokenFor(delegateOf(S))
      expect((await send(api, "POST", `${idpPath(S, idp_id)}/enable`, undefined, own)).status).toBe(200)
      expect((await importPem(api, S, idp_id, pem("ed25519"), own)).status).toBe(200)
      expect((await send(api, "DELETE", idpPath(S, idp_id), undefined, own)).status).toBe(200)
    })
  })
})
