/**
 * What the Huawei surface's tests share: its paths, request helpers, the SAML metadata fixtures and
 * PEM texts as other clients write them (all from real files).
 */
import { readFileSync } from "node:fs"
import { Principal as P } from "@certory/domain"
import { expect } from "vitest"
import { ADMIN_TOKEN, bearer, fixture, idp, type TestApi } from "./support.js"

export const idps = (s: string) => `/v1/identity-stores/${s}/external-idp`
export const idpPath = (s: string, i: string) => `${idps(s)}/${i}`
export const certificates = (s: string, i: string) => `${idpPath(s, i)}/certificate`

export const SAML_FIXTURES = [
  "adfs.xml",
  "okta.xml",
  "onelogin-sign-and-encrypt.xml",
  "samltest-shibboleth.xml",
  "testshib-providers.xml",
  "multi-signing-certs.xml"
] as const

export const metadata = (name: (typeof SAML_FIXTURES)[number]): string =>
  readFileSync(new URL(`./fixtures/saml/${name}`, import.meta.url), "utf8")

/** A PEM fixture's text. */
export const pem = (name: Parameters<typeof fixture>[0]): string => {
  const text = fixture(name)
  if (typeof text !== "string") throw new Error(`${name} is not a PEM fixture`)
  return text
}

/** A PEM as a Windows tool exports it: CRLF line ends, a trailing comment line. */
export const pemAsSent = (name: Parameters<typeof fixture>[0]): string =>
  `${pem(name).trimEnd().replaceAll("\n", "\r\n")}\r\n# exported from the IdP console\r\n`

export const send = (
  api: TestApi,
  method: string,
  path: string,
  body?: unknown,
  token: string = ADMIN_TOKEN,
  raw?: string
) =>
  api.app.request(path, {
    method,
    headers: { ...bearer(token), "Content-Type": "application/json" },
    ...(raw !== undefined ? { body: raw } : body === undefined ? {} : { body: JSON.stringify(body) })
  })

export const json = async (response: Response) => (await response.json()) as Record<string, unknown>

/** A Huawei error with the status and code, its request id the header's. */
export const expectError = async (response: Response, status: number, code: string) => {
  expect(response.status).toBe(status)
  const body = await json(response)
  expect(body.error_code).toBe(code)
  expect(body.request_id).toBe(response.headers.get("x-request-id"))
  return body
}

export const delegateOf = (store: string) =>
  P.DelegatedAdministrator.make({ identityStoreId: idp(store, "x").identityStoreId })

export const importPem = (api: TestApi, s: string, i: string, text: string, token?: string) =>
  send(api, "POST", certificates(s, i), { x509_certificate_in_pem: text, certificate_use: "SIGNING" }, token)

export const listCertificates = async (api: TestApi, s: string, i: string) => {
  const response = await send(api, "GET", certificates(s, i))
  expect(response.status).toBe(200)
  return ((await response.json()) as { idp_certificates: Array<Record<string, unknown>> }).idp_certificates
}

export interface Association {
  readonly idp_id: string
  readonly is_enabled: boolean
  readonly idp_saml_config?: { entity_id: string; login_url: string; want_request_signed: boolean }
  readonly idp_certificate_ids: ReadonlyArray<{ certificate_id: string; status: string }>
}

export const listIdps = async (api: TestApi, s: string): Promise<ReadonlyArray<Association>> => {
  const response = await send(api, "GET", idps(s))
  expect(response.status).toBe(200)
  return ((await response.json()) as { associations: Array<Association> }).associations
}
