/**
 * The Huawei IAM Identity Center surface of the Worker inside workerd, on D1: every route's happy path
 * (IdPs from SAML metadata and from a configuration, list, update, enable/disable, delete; certificates
 * list, import, delete), the wire shape of the reference example, the PEM as sent; IIC.401, IIC.1001,
 * IIC.404, IIC.1008 and the 2 MiB body limit.
 */
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import huaweiExample from "../fixtures/huawei-example-response.json" with { type: "json" }
import {
  ADMIN,
  call,
  createOwner,
  expectHuaweiError,
  expectStatus,
  facts,
  ORIGIN,
  pem,
  shape,
  tokenFor
} from "./support.js"

const S = "d-1"
const idps = (store: string) => `/v1/identity-stores/${store}/external-idp`
const certificates = (store: string, idp: string) => `${idps(store)}/${idp}/certificate`

const send = (method: string, path: string, body?: unknown, token = ADMIN) =>
  call(method, path, {
    headers: { "X-Security-Token": token },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    type: "application/json"
  })

const config = {
  entity_id: "https://sts.example.com/adfs/services/trust",
  login_url: "https://sts.example.com/adfs/ls/"
}

/** A PEM as a Windows tool exports it: CRLF line ends and a trailing comment, to be read back verbatim. */
const asSent = (text: string) =>
  `${text.trimEnd().replaceAll("\n", "\r\n")}\r\n# exported from the IdP console\r\n`

interface Created {
  idp_id: string
  idp_certificate_id?: string
  idp_certificate_ids: Array<string>
  hws_sp_saml_config: { acs_url: string; issuer: string; metadata: string }
}

const create = async (body: unknown): Promise<Created> =>
  (await (await expectStatus(await send("POST", idps(S), body), 201)).json()) as Created

const list = async (store: string, idp: string) =>
  (
    (await (await expectStatus(await send("GET", certificates(store, idp)), 200)).json()) as {
      idp_certificates: Array<Record<string, unknown>>
    }
  ).idp_certificates

describe("Huawei IAM Identity Center in workerd", () => {
  it("IdPs: from metadata and from a configuration; list, update, enable, disable, delete", async () => {
    await createOwner(`identity-stores/${S}`)
    const fromMetadata = await create({ idp_saml_metadata: env.ADFS_METADATA })
    expect(Object.keys(fromMetadata)).toEqual([
      "idp_id",
      "idp_certificate_id",
      "idp_certificate_ids",
      "hws_sp_saml_config"
    ])
    expect(fromMetadata.idp_certificate_ids).toHaveLength(1)
    expect(fromMetadata.hws_sp_saml_config.acs_url).toBe(`${ORIGIN}/saml/acs`)
    const fromConfig = await create({ idp_saml_config: config, idp_certificate: pem("ed25519") })

    const listed = await expectStatus(await send("GET", idps(S)), 200)
    const { associations } = (await listed.json()) as {
      associations: Array<{ idp_id: string; is_enabled: boolean; idp_saml_config: unknown }>
    }
    expect(associations.map((a) => a.idp_id).sort()).toEqual([fromMetadata.idp_id, fromConfig.idp_id].sort())
    const adfs = associations.find((a) => a.idp_id === fromMetadata.idp_id)!
    expect(adfs).toMatchObject({
      is_enabled: false,
      idp_saml_config: {
        entity_id: "http://adfs.server.url/adfs/services/trust",
        login_url: "https://adfs.server.url/adfs/ls/"
      }
    })

    const idp = `${idps(S)}/${fromConfig.idp_id}`
    const changed = { entity_id: "https://idp.example.org/saml", login_url: "https://idp.example.org/sso" }
    expect(await (await expectStatus(await send("PUT", idp, changed), 200)).text()).toBe("")
    await expectStatus(await send("POST", `${idp}/enable`), 200)
    const afterEnable = (await (await send("GET", idps(S))).json()) as {
      associations: Array<{ idp_id: string; is_enabled: boolean; idp_saml_config: Record<string, unknown> }>
    }
    expect(afterEnable.associations.find((a) => a.idp_id === fromConfig.idp_id)).toMatchObject({
      is_enabled: true,
      idp_saml_config: changed
    })
    await expectStatus(await send("POST", `${idp}/disable`), 200)
    await expectStatus(await send("DELETE", idp), 200)
    await expectHuaweiError(await send("GET", certificates(S, fromConfig.idp_id)), 404, "IIC.404")
  })

  it("certificates: import (PEM read back as sent), the reference example's shape, delete", async () => {
    await createOwner(`identity-stores/${S}`)
    const { idp_id } = await create({ idp_saml_config: config })
    const sent = asSent(pem("rsa"))
    const imported = await expectStatus(
      await send("POST", certificates(S, idp_id), {
        x509_certificate_in_pem: sent,
        certificate_use: "SIGNING"
      }),
      200
    )
    const { certificate_id } = (await imported.json()) as { certificate_id: string }

    const response = await expectStatus(await send("GET", certificates(S, idp_id)), 200)
    const text = await response.text()
    const body = JSON.parse(text) as { idp_certificates: Array<Record<string, unknown>> }
    expect(shape(body)).toEqual(shape(huaweiExample))
    const [rsa] = await facts("rsa")
    const [item] = body.idp_certificates
    expect(item).toMatchObject({
      certificate_id,
      not_after: rsa!.notAfter,
      not_before: rsa!.notBefore,
      serial_number_string: rsa!.serial.decimal,
      version: 3,
      x509_Certificate_in_pem: sent
    })
    // serial_number is a JSON number on the wire, as Huawei sends it.
    expect(text).toMatch(/"serial_number":\d/)

    await expectStatus(await send("DELETE", `${certificates(S, idp_id)}/${certificate_id}`), 200)
    expect(await list(S, idp_id)).toEqual([])
  })

  it("IIC.401 without a valid token, IIC.1001 (403) the same whether the IdP exists, IIC.404 for administrators", async () => {
    await createOwner(`identity-stores/${S}`)
    const { idp_id } = await create({ idp_saml_config: config })
    await expectHuaweiError(await call("GET", certificates(S, idp_id)), 401, "IIC.401")
    await expectHuaweiError(
      await send("GET", certificates(S, idp_id), undefined, "cty_unknown"),
      401,
      "IIC.401"
    )
    const other = await tokenFor({ role: "DelegatedAdministrator", identityStoreId: "d-2" })
    const existing = await expectHuaweiError(
      await send("GET", certificates(S, idp_id), undefined, other),
      403,
      "IIC.1001"
    )
    const missing = await expectHuaweiError(
      await send("GET", certificates(S, "ghost"), undefined, other),
      403,
      "IIC.1001"
    )
    expect(Object.keys(existing)).toEqual(Object.keys(missing))
    await expectHuaweiError(await send("GET", certificates(S, "ghost")), 404, "IIC.404")
    await expectHuaweiError(await send("GET", idps("d-404")), 404, "IIC.404")
  })

  it("limits: a third certificate is IIC.1008; a body over 2 MiB is IIC.400", async () => {
    await createOwner(`identity-stores/${S}`)
    const { idp_id } = await create({ idp_saml_config: config })
    for (const name of ["rsa", "ed25519"] as const) {
      await expectStatus(
        await send("POST", certificates(S, idp_id), {
          x509_certificate_in_pem: pem(name),
          certificate_use: "SIGNING"
        }),
        200
      )
    }
    await expectHuaweiError(
      await send("POST", certificates(S, idp_id), {
        x509_certificate_in_pem: pem("ec"),
        certificate_use: "SIGNING"
      }),
      409,
      "IIC.1008"
    )
    const huge = JSON.stringify({
      x509_certificate_in_pem: "A".repeat(2 * 1024 * 1024),
      certificate_use: "SIGNING"
    })
    await expectHuaweiError(await send("POST", certificates(S, idp_id), huge), 400, "IIC.400")
    expect(await list(S, idp_id)).toHaveLength(2)
  })
})
