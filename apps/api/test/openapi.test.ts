/**
 * The OpenAPI document: generated from the routes' schemas, valid OpenAPI 3.1 by a real validator, and
 * covering every route the app serves.
 */
import { Validator } from "@seriousme/openapi-schema-validator"
import { afterEach, expect, it } from "vitest"
import { makeApi, type TestApi } from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

it("GET /openapi.json is a valid OpenAPI 3.1 document with every route and its error shapes", async () => {
  api = makeApi()
  const response = await api.app.request("/openapi.json")
  expect(response.status).toBe(200)
  const doc = (await response.json()) as {
    openapi: string
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
    components: { schemas: Record<string, unknown> }
  }
  expect(doc.openapi).toBe("3.1.0")
  const result = await new Validator().validate(doc)
  expect(result.errors).toBeUndefined()
  expect(result.valid).toBe(true)
  expect(Object.keys(doc.paths).sort()).toEqual([
    "/CertificateManagement/api/v1.0/profiles/{id}/certificates",
    "/CertificateManagement/api/v1.0/smartcards/{id}/certificates",
    "/api/v1/certificates",
    "/api/v1/expiring",
    "/api/v1/identity-stores/{identity_store_id}",
    "/api/v1/identity-stores/{identity_store_id}/certificates",
    "/api/v1/identity-stores/{identity_store_id}/certificates/{certificate_id}",
    "/api/v1/identity-stores/{identity_store_id}/idps/{idp_id}",
    "/api/v1/identity-stores/{identity_store_id}/idps/{idp_id}/certificates",
    "/api/v1/identity-stores/{identity_store_id}/idps/{idp_id}/certificates/{certificate_id}",
    "/api/v1/identity-stores/{identity_store_id}/idps/{idp_id}/sync",
    "/api/v1/owners",
    "/api/v1/profiles/{guid}",
    "/api/v1/profiles/{guid}/certificates",
    "/api/v1/profiles/{guid}/certificates/{certificate_id}",
    "/api/v1/smartcards/{guid}",
    "/api/v1/smartcards/{guid}/certificates",
    "/api/v1/smartcards/{guid}/certificates/{certificate_id}",
    "/api/v1/templates",
    "/api/v1/templates/{oid}",
    "/api/v1/tokens",
    "/api/v1/tokens/{token_id}",
    "/docs",
    "/healthz",
    "/openapi.json",
    "/readyz",
    "/v1/identity-stores/{identity_store_id}/external-idp",
    "/v1/identity-stores/{identity_store_id}/external-idp/{idp_id}",
    "/v1/identity-stores/{identity_store_id}/external-idp/{idp_id}/certificate",
    "/v1/identity-stores/{identity_store_id}/external-idp/{idp_id}/certificate/{certificate_id}",
    "/v1/identity-stores/{identity_store_id}/external-idp/{idp_id}/disable",
    "/v1/identity-stores/{identity_store_id}/external-idp/{idp_id}/enable"
  ])
  expect(Object.keys(doc.components.schemas)).toEqual(
    expect.arrayContaining(["X509ClmCertificate", "MimCmError", "IdpCertificate", "HuaweiError"])
  )
  expect(
    Object.keys(doc.paths["/CertificateManagement/api/v1.0/smartcards/{id}/certificates"]!.get!.responses)
  ).toEqual(["200", "204", "400", "401", "403", "404", "500"])
})

it("the checker every test request goes through refuses a response the document does not describe", async () => {
  api = makeApi()
  // A 404 of an unknown route is the one undocumented answer allowed; a documented route's body is checked.
  const unknown = await api.app.request("/nope")
  expect(unknown.status).toBe(404)
  const { checker } = await import("./Contract.js")
  const doc = await (await api.app.request("/openapi.json")).json()
  const check = checker(doc)
  const wrong = new Response(JSON.stringify([{ IsKeyHistory: "no" }]), {
    status: 200,
    headers: { "content-type": "application/json" }
  })
  await expect(
    check.check(
      "GET",
      `/CertificateManagement/api/v1.0/smartcards/00000000-0000-4000-8000-000000000001/certificates`,
      wrong
    )
  ).rejects.toThrow(/does not match the document/)
  const undocumented = new Response(null, { status: 418 })
  await expect(check.check("GET", "/healthz", undocumented)).rejects.toThrow(/not documented/)
})
