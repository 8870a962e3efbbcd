/**
 * Huawei Cloud IAM Identity Center, external identity providers and their certificates, wire-exact:
 *
 *   GET    /v1/identity-stores/{identity_store_id}/external-idp           200 {"associations": [...]}
 *   POST   /v1/identity-stores/{identity_store_id}/external-idp           201 {"idp_id", ...}
 *   PUT    .../external-idp/{idp_id}                                      200 (entity_id, login_url)
 *   DELETE .../external-idp/{idp_id}                                      200 (with its certificates)
 *   POST   .../external-idp/{idp_id}/enable, .../disable                  200
 *   GET    .../external-idp/{idp_id}/certificate                          200 {"idp_certificates": [...]}
 *   POST   .../external-idp/{idp_id}/certificate                          200 {"certificate_id"}
 *   DELETE .../external-idp/{idp_id}/certificate/{certificate_id}         200
 *
 * The token comes in `X-Security-Token` or `Authorization`. A write checks the caller's access to the
 * IdP before it reads the body, so a caller without access gets the same 403 whatever it sends and
 * whether or not the IdP exists. An IdP is created from its SAML metadata XML (read here by
 * @certory/saml: signing KeyDescriptors, or those without `use`, become its certificates) or from
 * `idp_saml_config` + `idp_certificate`, through the domain's `createIdp` (all or nothing); it starts
 * disabled, as the reference's (its Terraform provider enables every IdP right after creating it).
 * Certificates read back in `x509_Certificate_in_pem` exactly as they were imported when they came as
 * one PEM text; `idp_certificate_ids[].status` is VALID, EXPIRED or NOT_YET_VALID by the clock.
 *
 * Errors are `{"error_code": "IIC.xxx", "error_msg", "request_id"}` (403 adds
 * `encoded_authorization_message`), the request id also in `X-Request-Id`. The codes the reference
 * documents: IIC.400 bad request (a body over 2 MiB too), IIC.404 not found, IIC.1001 no permission
 * (403), IIC.1006 concurrency conflict (409), IIC.1007 modification failed (409). Ours where it documents
 * none: IIC.401 for a missing, unknown, revoked or expired token (401); IIC.1008 certificate limit
 * reached (409: at most 2 per IdP, also for metadata listing more); IIC.1009 last valid certificate
 * (409: deleting it would break SAML sign-in); IIC.500 for an internal error (500, the request id only).
 */
import {
  Authorization,
  CreateIdp,
  type Errors,
  GetOwner,
  Huawei,
  Ids,
  ImportCertificates,
  ListOwnerCertificates,
  ListOwners,
  type Owner,
  Page,
  RemoveOwner,
  UnbindCertificate,
  UpdateOwner
} from "@certory/domain"
import { parseIdpMetadata } from "@certory/saml"
import { Clock, Effect, Encoding, ParseResult, Schema } from "effect"
import type { Context, Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import * as Auth from "../Auth.js"
import * as Body from "../Body.js"
import { type Env, type Log, run, type Surface, type UseCase } from "../Http.js"
import type * as OpenApi from "../OpenApi.js"
import { type BadPath, certificateIdOf, DECODED, idpOf, storeOf } from "../Paths.js"
import { RouteFailure } from "../RouteFailure.js"
import type { ApiRuntime } from "../Runtime.js"

/**
 * What IdPs are told about the service provider (`hws_sp_saml_config`). certory keeps an inventory and
 * is no SAML SP itself: a deployment states its SP's values here; each one absent defaults to the
 * request's origin (`<origin>/saml/sp`, `<origin>/saml/acs`, and SP metadata made of those two).
 */
export interface ServiceProvider {
  readonly acsUrl?: string
  readonly issuer?: string
  readonly metadata?: string
}

export interface Options {
  readonly registry: OpenApi.Registry
  readonly runtime: ApiRuntime
  readonly log: Log
  readonly adminToken?: string
  readonly serviceProvider?: ServiceProvider
}

/** The largest request body: SAML metadata may be 1 MiB of UTF-8 (@certory/saml's cap), JSON-escaped. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024

/** The body is not JSON, not the operation's shape, or too large. */
class BadBody extends RouteFailure("BadBody") {}
/** `idp_saml_metadata` that @certory/saml refuses (its code and message). */
class BadMetadata extends RouteFailure("BadMetadata") {}

type Failure = Errors.DomainError | BadPath | BadBody | BadMetadata

const table = {
  BadPath: [400, "IIC.400"],
  BadBody: [400, "IIC.400"],
  BadMetadata: [400, "IIC.400"],
  InvalidRequest: [400, "IIC.400"],
  InvalidCertificate: [400, "IIC.400"],
  InvalidLookup: [400, "IIC.400"],
  InvalidCursor: [400, "IIC.400"],
  Unauthenticated: [401, "IIC.401"],
  AccessDenied: [403, "IIC.1001"],
  OwnerNotFound: [404, "IIC.404"],
  CertificateNotFound: [404, "IIC.404"],
  TokenNotFound: [404, "IIC.404"],
  TemplateNotFound: [404, "IIC.404"],
  WriteConflict: [409, "IIC.1006"],
  OwnerAlreadyExists: [409, "IIC.1007"],
  TokenAlreadyExists: [409, "IIC.1007"],
  CertificateLimitReached: [409, "IIC.1008"],
  LastValidCertificate: [409, "IIC.1009"]
} as const satisfies Record<Failure["_tag"], readonly [number, string]>

const encodeError = Schema.encodeSync(Huawei.ErrorBody)

const huaweiError = (c: Context<Env>, status: number, code: string, message: string): Response => {
  const requestId = c.get("requestId")
  const body = encodeError({
    error_code: code,
    error_msg: message,
    request_id: requestId,
    // What the caller was refused, for its administrator (the reference encodes it in base64).
    ...(status === 403
      ? { encoded_authorization_message: Encoding.encodeBase64(`${c.req.method} ${c.req.path} denied`) }
      : {})
  })
  return c.json(body, status as 400)
}

export const surface: Surface<Failure> = {
  failure: (c, error) => {
    const [status, code] = table[error._tag]
    const message =
      error._tag === "AccessDenied"
        ? "no permission to perform this operation on the resource"
        : error.message
    return huaweiError(c, status, code, message)
  },
  internal: (c) => huaweiError(c, 500, "IIC.500", `internal error (request id ${c.get("requestId")})`)
}

/** The token from `X-Security-Token` (temporary credentials), else `Authorization`. */
export const secretOf = (c: Context<Env>): string | undefined =>
  c.req.header("x-security-token") ?? Auth.authorizationSecret(c)

/** The request body decoded through the operation's schema (unknown keys ignored), or BadBody. */
const jsonBody = <A, I>(c: Context<Env>, schema: Schema.Schema<A, I>): Effect.Effect<A, BadBody> =>
  Effect.gen(function* () {
    const text = yield* Body.text(c, (message) => new BadBody(message))
    const json = yield* Body.parseJson(text, () => new BadBody("the request body is not JSON"))
    return yield* Schema.decodeUnknown(schema, { errors: "first" })(json).pipe(
      Effect.mapError((error) => {
        const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
        const where = issue === undefined || issue.path.length === 0 ? "body" : issue.path.join(".")
        return new BadBody(`${where}: ${(issue?.message ?? "invalid").replace(/\s+/g, " ").slice(0, 300)}`)
      })
    )
  })

/** Minimal SAML 2.0 SP metadata for the defaults: an entity and its POST assertion consumer service. */
const spMetadata = (issuer: string, acsUrl: string): string => {
  const attr = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
  return (
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${attr(issuer)}">` +
    `<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${attr(acsUrl)}" index="0"/>` +
    `</md:SPSSODescriptor></md:EntityDescriptor>`
  )
}

/** What one create request asks for, in the domain's terms. */
interface IdpRequest {
  readonly saml: typeof Owner.SamlConfig.Encoded
  readonly certificates: ReadonlyArray<string | Uint8Array>
  readonly source: "metadata" | "upload"
}

const EITHER = "either idp_saml_metadata, or idp_saml_config (entity_id, login_url) with idp_certificate"

/** From metadata XML (parsed here: the domain never sees XML) or from the configuration and one PEM. */
const idpRequest = (body: Huawei.CreateIdpRequest): Effect.Effect<IdpRequest, BadBody | BadMetadata> => {
  const config = body.idp_saml_config
  // The Terraform provider sends `idp_saml_config: {}` beside metadata: an empty one is no configuration.
  const configured =
    config !== undefined && (config.entity_id !== undefined || config.login_url !== undefined)
  const metadata = body.idp_saml_metadata
  if (metadata !== undefined && metadata !== "") {
    if (configured || body.idp_certificate !== undefined) return Effect.fail(new BadBody(EITHER))
    const parsed = parseIdpMetadata(metadata)
    if (parsed._tag === "Failed")
      return Effect.fail(new BadMetadata(`idp_saml_metadata: ${parsed.error.code}: ${parsed.error.message}`))
    const m = parsed.metadata
    return Effect.succeed({
      saml: { entityId: m.entityId, loginUrl: m.loginUrl, wantRequestSigned: m.wantAuthnRequestsSigned },
      certificates: m.signingCertificates,
      source: "metadata"
    })
  }
  if (!configured) return Effect.fail(new BadBody(EITHER))
  if (config.entity_id === undefined || config.login_url === undefined)
    return Effect.fail(new BadBody("idp_saml_config needs entity_id and login_url"))
  return Effect.succeed({
    saml: {
      entityId: config.entity_id,
      loginUrl: config.login_url,
      wantRequestSigned: config.want_request_signed ?? false
    },
    certificates: body.idp_certificate === undefined ? [] : [body.idp_certificate],
    source: "upload"
  })
}

const encodeList = Schema.encodeSync(Huawei.ListIdpCertificatesResponse)
const encodeIdps = Schema.encodeSync(Huawei.ListIdpsResponse)
const encodeCreated = Schema.encodeSync(Huawei.CreateIdpResponse)
const encodeImported = Schema.encodeSync(Huawei.ImportIdpCertificateResponse)

const storeParameter: OpenApi.Parameter = {
  name: "identity_store_id",
  in: "path",
  schema: Ids.IdentityStoreId,
  description: "e.g. d-66f1a2b3b80"
}
const pathParameters: ReadonlyArray<OpenApi.Parameter> = [
  storeParameter,
  { name: "idp_id", in: "path", schema: Ids.IdpId, description: "the external IdP's id" }
]

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": Huawei.ErrorBody },
  headers: { "X-Request-Id": { description: "the request id, also in the body" } }
})

/** The error statuses every route of this surface may answer. */
export const errorResponses = {
  "400": errorResponse("IIC.400: bad request"),
  "401": errorResponse("IIC.401: no valid token"),
  "403": errorResponse("IIC.1001: no permission (whether or not the resource exists)"),
  "404": errorResponse("IIC.404: not found"),
  "500": errorResponse("IIC.500: internal error")
}

const conflict = (description: string) => ({ "409": errorResponse(description) })
const CONCURRENT = "IIC.1006: lost to concurrent writes (nothing written; retry)"

/** A 200 without a body, as the reference documents its writes ("Successful"). */
const done = (description: string) => ({ "200": { description: `${description} (no body)` } })

const TAGS = ["Huawei IAM Identity Center"]
const SECURITY = ["securityToken", "bearer"]

export const register = (app: Hono<Env>, options: Options): void => {
  const { registry } = options
  const auth = Auth.authenticator(options.adminToken, secretOf)
  /** The caller, allowed `action` on the IdP the path names, checked before the body is read. */
  const idpAccess = (c: Context<Env>, action: Authorization.Action) =>
    Auth.ownerAccess(auth(c), idpOf(c), action)
  const respond = <A>(c: Context<Env>, effect: UseCase<A, Failure>, onSuccess: (value: A) => Response) =>
    run(c, options.runtime, options.log, surface, effect, onSuccess)
  const serviceProvider = (c: Context<Env>): Huawei.SpSamlConfig => {
    const origin = new URL(c.req.url).origin
    const sp = options.serviceProvider ?? {}
    const issuer = sp.issuer ?? `${origin}/saml/sp`
    const acsUrl = sp.acsUrl ?? `${origin}/saml/acs`
    return { acs_url: acsUrl, issuer, metadata: sp.metadata ?? spMetadata(issuer, acsUrl) }
  }

  app.use(
    "/v1/identity-stores/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        Body.refusedUnread(c)
        return huaweiError(c, 400, "IIC.400", `the request body exceeds ${MAX_BODY_BYTES} bytes`)
      }
    })
  )

  const IDPS = "/v1/identity-stores/{identity_store_id}/external-idp"
  const IDP = `${IDPS}/{idp_id}`

  // ---- IdPs ---------------------------------------------------------------------------------------

  app.get("/v1/identity-stores/:identity_store_id/external-idp", (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* auth(c)
        const identityStoreId = yield* storeOf(c)
        // Reading the store's record: the caller's access, and 404 for a store that does not exist.
        yield* GetOwner.getOwner(principal, Ids.IdentityStoreRef.make({ id: identityStoreId }, DECODED))
        const idps = (yield* Page.allItems((cursor) =>
          ListOwners.listOwners(principal, { kind: "Idp", identityStoreId, limit: 1000, ...Page.at(cursor) })
        )).filter((owner): owner is Owner.Owner & { readonly ref: Ids.IdpRef } => owner.ref._tag === "Idp")
        const now = yield* Clock.currentTimeMillis
        return yield* Effect.forEach(idps, (owner) =>
          ListOwnerCertificates.listOwnerCertificates(principal, {
            owner: owner.ref,
            limit: 1000,
            sort: { field: "boundAt", direction: "asc" }
          }).pipe(Effect.map((page) => Huawei.fromIdp(owner, page.items, now)))
        )
      }),
      (associations) => c.json(encodeIdps({ associations }), 200)
    )
  )
  registry.add({
    method: "get",
    path: IDPS,
    operationId: "huaweiListExternalIdps",
    tags: TAGS,
    summary: "The external identity providers of an identity store (Huawei IAM Identity Center)",
    description:
      "Wire-compatible with ListExternalIdPConfigurationsForDirectory. `idp_certificate_ids[].status` is " +
      "VALID, EXPIRED or NOT_YET_VALID at the time of the request; `idp_saml_config` is absent for an IdP " +
      "created without one (e.g. by the CLI).",
    security: SECURITY,
    parameters: [storeParameter],
    responses: {
      "200": {
        description: "the identity store's IdPs (an empty list when there are none)",
        content: { "application/json": Huawei.ListIdpsResponse }
      },
      ...errorResponses
    }
  })

  app.post("/v1/identity-stores/:identity_store_id/external-idp", (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* auth(c)
        const identityStoreId = yield* storeOf(c)
        const ref = Ids.IdpRef.make({
          identityStoreId,
          idpId: Ids.IdpId.make(globalThis.crypto.randomUUID())
        })
        yield* Authorization.authorize(principal, ref, "administer")
        const request = yield* idpRequest(yield* jsonBody(c, Huawei.CreateIdpRequest))
        const created = yield* CreateIdp.createIdp(
          principal,
          { ref, saml: request.saml, enabled: false, certificates: request.certificates },
          { origin: "external", source: request.source }
        )
        return { idpId: ref.idpId, bound: created.bound }
      }),
      ({ idpId, bound }) => {
        const ids = bound.map((b) => b.binding.certificateId)
        return c.json(
          encodeCreated({
            idp_id: idpId,
            ...(ids[0] === undefined ? {} : { idp_certificate_id: ids[0] }),
            idp_certificate_ids: ids,
            hws_sp_saml_config: serviceProvider(c)
          }),
          201
        )
      }
    )
  )
  registry.add({
    method: "post",
    path: IDPS,
    operationId: "huaweiCreateExternalIdp",
    tags: TAGS,
    summary:
      "Create an external identity provider from SAML metadata or a configuration (Huawei IAM Identity Center)",
    description:
      "Wire-compatible with CreateExternalIdPConfigurationForDirectory. Either `idp_saml_metadata` (SAML 2.0 " +
      "metadata XML; its signing KeyDescriptors, and those without `use`, become the certificates; a DOCTYPE " +
      "is refused) or `idp_saml_config` (`entity_id`, `login_url`) with `idp_certificate` (one PEM). At most 2 " +
      "certificates (IIC.1008). All or nothing. The IdP starts disabled (`/enable`).",
    security: SECURITY,
    parameters: [storeParameter],
    requestBody: { required: true, content: { "application/json": Huawei.CreateIdpRequest } },
    responses: {
      "201": { description: "created", content: { "application/json": Huawei.CreateIdpResponse } },
      ...errorResponses,
      ...conflict(`IIC.1008: more than 2 certificates; ${CONCURRENT}`)
    }
  })

  app.put("/v1/identity-stores/:identity_store_id/external-idp/:idp_id", (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* idpAccess(c, "administer")
        const body = yield* jsonBody(c, Huawei.UpdateIdpRequest)
        const wantRequestSigned =
          body.want_request_signed ??
          (yield* GetOwner.getOwner(principal, ref)).saml?.wantRequestSigned ??
          false
        yield* UpdateOwner.updateOwner(principal, ref, {
          saml: { entityId: body.entity_id, loginUrl: body.login_url, wantRequestSigned }
        })
      }),
      () => c.body(null, 200)
    )
  )
  registry.add({
    method: "put",
    path: IDP,
    operationId: "huaweiUpdateExternalIdp",
    tags: TAGS,
    summary: "Change an external identity provider's entity ID and login URL (Huawei IAM Identity Center)",
    description:
      "Wire-compatible with UpdateExternalIdPConfigurationForDirectory. `want_request_signed` (certory's " +
      "addition) keeps its value when absent.",
    security: SECURITY,
    parameters: pathParameters,
    requestBody: { required: true, content: { "application/json": Huawei.UpdateIdpRequest } },
    responses: { ...done("updated"), ...errorResponses, ...conflict(CONCURRENT) }
  })

  app.delete("/v1/identity-stores/:identity_store_id/external-idp/:idp_id", (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* idpAccess(c, "administer")
        yield* RemoveOwner.removeOwner(principal, ref)
      }),
      () => c.body(null, 200)
    )
  )
  registry.add({
    method: "delete",
    path: IDP,
    operationId: "huaweiDeleteExternalIdp",
    tags: TAGS,
    summary: "Delete an external identity provider and its certificates (Huawei IAM Identity Center)",
    description: "Wire-compatible with DeleteExternalIdPConfigurationForDirectory.",
    security: SECURITY,
    parameters: pathParameters,
    responses: { ...done("deleted"), ...errorResponses, ...conflict(CONCURRENT) }
  })

  for (const [action, enabled] of [
    ["enable", true],
    ["disable", false]
  ] as const) {
    app.post(`/v1/identity-stores/:identity_store_id/external-idp/:idp_id/${action}`, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* idpAccess(c, "administer")
          yield* UpdateOwner.updateOwner(principal, ref, { enabled })
        }),
        () => c.body(null, 200)
      )
    )
    registry.add({
      method: "post",
      path: `${IDP}/${action}`,
      operationId: enabled ? "huaweiEnableExternalIdp" : "huaweiDisableExternalIdp",
      tags: TAGS,
      summary: `${enabled ? "Enable" : "Disable"} an external identity provider (Huawei IAM Identity Center)`,
      description: `Wire-compatible with ${enabled ? "Enable" : "Disable"}ExternalIdPConfigurationForDirectory; idempotent.`,
      security: SECURITY,
      parameters: pathParameters,
      responses: { ...done(enabled ? "enabled" : "disabled"), ...errorResponses, ...conflict(CONCURRENT) }
    })
  }

  // ---- Certificates ---------------------------------------------------------------------------------

  app.get("/v1/identity-stores/:identity_store_id/external-idp/:idp_id/certificate", (c) => {
    const effect = Effect.gen(function* () {
      const principal = yield* auth(c)
      const owner = yield* idpOf(c)
      const items = yield* Page.allItems((cursor) =>
        ListOwnerCertificates.listOwnerCertificates(principal, { owner, limit: 1000, ...Page.at(cursor) })
      )
      return items.map(Huawei.fromOwnerCertificate)
    })
    return run(c, options.runtime, options.log, surface, effect, (items) =>
      c.json(encodeList({ idp_certificates: items }), 200)
    )
  })
  registry.add({
    method: "get",
    path: `${IDP}/certificate`,
    operationId: "huaweiListIdpCertificates",
    tags: TAGS,
    summary: "The certificates of an external identity provider (Huawei IAM Identity Center)",
    description:
      "Wire-compatible with Huawei Cloud IAM Identity Center's ListExternalIdPCertificates: " +
      "`serial_number` is a JSON number (lossy above 2^53, as the reference), `serial_number_string` exact; " +
      "`x509_Certificate_in_pem` is the text as imported when it came as one PEM, else the canonical PEM.",
    security: SECURITY,
    parameters: pathParameters,
    responses: {
      "200": {
        description: "the certificates (an empty list when there are none)",
        content: { "application/json": Huawei.ListIdpCertificatesResponse }
      },
      ...errorResponses
    }
  })

  app.post("/v1/identity-stores/:identity_store_id/external-idp/:idp_id/certificate", (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* idpAccess(c, "write")
        const body = yield* jsonBody(c, Huawei.ImportIdpCertificateRequest)
        const [imported] = yield* ImportCertificates.importCertificates(
          principal,
          { owner: ref, input: body.x509_certificate_in_pem, single: true },
          { origin: "external", source: "upload" }
        )
        return imported!.binding.certificateId
      }),
      (certificateId) => c.json(encodeImported({ certificate_id: certificateId }), 200)
    )
  )
  registry.add({
    method: "post",
    path: `${IDP}/certificate`,
    operationId: "huaweiImportIdpCertificate",
    tags: TAGS,
    summary: "Import a signing certificate for an external identity provider (Huawei IAM Identity Center)",
    description:
      "Wire-compatible with ImportExternalIdPCertificate: one PEM certificate, `certificate_use` SIGNING. " +
      "At most 2 per IdP (IIC.1008). A certificate the IdP already holds answers its existing id.",
    security: SECURITY,
    parameters: pathParameters,
    requestBody: { required: true, content: { "application/json": Huawei.ImportIdpCertificateRequest } },
    responses: {
      "200": {
        description: "imported",
        content: { "application/json": Huawei.ImportIdpCertificateResponse }
      },
      ...errorResponses,
      ...conflict(`IIC.1008: the IdP already holds 2 certificates; ${CONCURRENT}`)
    }
  })

  app.delete("/v1/identity-stores/:identity_store_id/external-idp/:idp_id/certificate/:certificate_id", (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* auth(c)
        const ref = yield* idpOf(c)
        const certificateId = yield* certificateIdOf(c)
        yield* UnbindCertificate.unbindCertificate(principal, ref, certificateId)
      }),
      () => c.body(null, 200)
    )
  )
  registry.add({
    method: "delete",
    path: `${IDP}/certificate/{certificate_id}`,
    operationId: "huaweiDeleteIdpCertificate",
    tags: TAGS,
    summary: "Delete a certificate of an external identity provider (Huawei IAM Identity Center)",
    description:
      "Wire-compatible with DeleteExternalIdPCertificate. The IdP's last certificate valid for the next hour " +
      "is refused (IIC.1009).",
    security: SECURITY,
    parameters: [
      ...pathParameters,
      { name: "certificate_id", in: "path", schema: Ids.CertificateId, description: "the certificate's id" }
    ],
    responses: {
      ...done("deleted"),
      ...errorResponses,
      ...conflict(`IIC.1009: the IdP's last valid certificate; ${CONCURRENT}`)
    }
  })
}
