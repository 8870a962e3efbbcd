/**
 * Huawei Cloud IAM Identity Center, external IdP certificates, wire-exact:
 * `GET /v1/identity-stores/{identity_store_id}/external-idp/{idp_id}/certificate` -> 200
 * `{"idp_certificates": [...]}` (an empty list is `[]`, still 200). The token comes in
 * `X-Security-Token` or `Authorization`.
 *
 * Errors are `{"error_code": "IIC.xxx", "error_msg", "request_id"}` (403 adds
 * `encoded_authorization_message`), the request id also in `X-Request-Id`. The codes the reference
 * documents: IIC.400 bad request, IIC.404 not found, IIC.1001 no permission (403), IIC.1006 concurrency
 * conflict (409), IIC.1007 modification failed (409). Ours where it documents none: IIC.401 for a
 * missing, unknown, revoked or expired token (401); IIC.1008 certificate limit reached (409: at most
 * 2 per IdP); IIC.1009 last valid certificate (409: deleting it would break SAML sign-in); IIC.500 for
 * an internal error (500, the request id only).
 */
import { type Errors, Huawei, Ids, ListOwnerCertificates, Tokens } from "@certory/domain"
import { Effect, Either, Encoding, Schema } from "effect"
import type { Context, Hono } from "hono"
import { bearer, type Env, type Log, run, type Surface } from "../Http.js"
import type * as OpenApi from "../OpenApi.js"
import type { ApiRuntime } from "../Runtime.js"

export interface Options {
  readonly registry: OpenApi.Registry
  readonly runtime: ApiRuntime
  readonly log: Log
  readonly adminToken?: string
}

class BadPath {
  readonly _tag = "BadPath"
  constructor(readonly message: string) {}
}

type Failure = Errors.DomainError | BadPath

const table = {
  BadPath: [400, "IIC.400"],
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
  c.req.header("x-security-token") ?? bearer(c.req.header("authorization"))

const decodeStore = Schema.decodeUnknownEither(Ids.IdentityStoreId)
const decodeIdp = Schema.decodeUnknownEither(Ids.IdpId)

/** The IdP named by the path, or BadPath. */
export const idpOf = (c: Context<Env>): Effect.Effect<Ids.IdpRef, BadPath> => {
  const store = decodeStore(c.req.param("identity_store_id"))
  const idp = decodeIdp(c.req.param("idp_id"))
  return Either.isRight(store) && Either.isRight(idp)
    ? Effect.succeed(Ids.IdpRef.make({ identityStoreId: store.right, idpId: idp.right }))
    : Effect.fail(new BadPath("identity_store_id and idp_id must be 1-64 letters, digits, '-' or '_'"))
}

const encodeList = Schema.encodeSync(Huawei.ListIdpCertificatesResponse)

const pathParameters: ReadonlyArray<OpenApi.Parameter> = [
  { name: "identity_store_id", in: "path", schema: Ids.IdentityStoreId, description: "e.g. d-66f1a2b3b80" },
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

export const register = (app: Hono<Env>, options: Options): void => {
  const auth = (c: Context<Env>) =>
    Tokens.authenticate(
      secretOf(c),
      options.adminToken === undefined ? {} : { bootstrapSecret: options.adminToken }
    )

  app.get("/v1/identity-stores/:identity_store_id/external-idp/:idp_id/certificate", (c) => {
    const effect = Effect.gen(function* () {
      const principal = yield* auth(c)
      const owner = yield* idpOf(c)
      const items: Array<Huawei.IdpCertificate> = []
      let cursor: string | undefined
      do {
        const page = yield* ListOwnerCertificates.listOwnerCertificates(principal, {
          owner,
          limit: 1000,
          ...(cursor === undefined ? {} : { cursor })
        })
        items.push(...page.items.map(Huawei.fromOwnerCertificate))
        cursor = page.nextCursor
      } while (cursor !== undefined)
      return items
    })
    return run(c, options.runtime, options.log, surface, effect, (items) =>
      c.json(encodeList({ idp_certificates: items }), 200)
    )
  })
  options.registry.add({
    method: "get",
    path: "/v1/identity-stores/{identity_store_id}/external-idp/{idp_id}/certificate",
    operationId: "huaweiListIdpCertificates",
    tags: ["Huawei IAM Identity Center"],
    summary: "The certificates of an external identity provider (Huawei IAM Identity Center)",
    description:
      "Wire-compatible with Huawei Cloud IAM Identity Center's ListExternalIdPCertificates: " +
      "`serial_number` is a JSON number (lossy above 2^53, as the reference), `serial_number_string` exact.",
    security: ["securityToken", "bearer"],
    parameters: pathParameters,
    responses: {
      "200": {
        description: "the certificates (an empty list when there are none)",
        content: { "application/json": Huawei.ListIdpCertificatesResponse }
      },
      ...errorResponses
    }
  })
}
