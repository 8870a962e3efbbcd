/**
 * The native API's failures and their RFC 9457 problems (Problem.ts): ONE table from every domain error,
 * every failure of the routes and every answer the middleware gives itself to its status, stable code and
 * title; the surface `run` hands failures to; and the problem responses the OpenAPI document lists.
 */
import type { Errors } from "@certory/domain"
import { Schema } from "effect"
import type { Context } from "hono"
import type { Env, Surface } from "../../Http.js"
import type { BadPath } from "../../Paths.js"
import * as Problem from "../../Problem.js"
import { RouteFailure } from "../../RouteFailure.js"

// The routes' own failures, beside the domain's (and Paths.BadPath).
export class MalformedBody extends RouteFailure("MalformedBody") {}
export class UnsupportedMediaType extends RouteFailure("UnsupportedMediaType") {}
export class NotAcceptable extends RouteFailure("NotAcceptable") {
  constructor() {
    super("this resource is available as application/json, application/x-pem-file or application/pkix-cert")
  }
}
export class TooManyPemBlocks extends RouteFailure("TooManyPemBlocks") {}

export type Failure =
  | Errors.DomainError
  | BadPath
  | MalformedBody
  | UnsupportedMediaType
  | NotAcceptable
  | TooManyPemBlocks

/** Every answer that is not a success: the failures, and what middleware answers itself. */
type Answer = Failure["_tag"] | "PayloadTooLarge" | "RouteNotFound" | "Internal"

/** tag -> status, stable code, title. The codes are the API's contract; the titles never vary per request. */
const table = {
  BadPath: [400, "invalid_path", "Invalid path parameter"],
  MalformedBody: [400, "malformed_body", "Malformed request body"],
  InvalidRequest: [400, "invalid_request", "Invalid request"],
  InvalidCertificate: [400, "invalid_certificate", "Invalid certificate"],
  InvalidLookup: [400, "invalid_lookup", "Not a fingerprint or serial"],
  InvalidCursor: [400, "invalid_cursor", "Invalid cursor"],
  TooManyPemBlocks: [400, "too_many_pem_blocks", "Too many PEM blocks"],
  Unauthenticated: [401, "unauthenticated", "Unauthenticated"],
  AccessDenied: [403, "forbidden", "Forbidden"],
  OwnerNotFound: [404, "owner_not_found", "Owner not found"],
  CertificateNotFound: [404, "certificate_not_found", "Certificate not found"],
  TokenNotFound: [404, "token_not_found", "Token not found"],
  TemplateNotFound: [404, "template_not_found", "Template not found"],
  RouteNotFound: [404, "not_found", "Not found"],
  NotAcceptable: [406, "not_acceptable", "Not acceptable"],
  OwnerAlreadyExists: [409, "owner_exists", "Owner already exists"],
  TokenAlreadyExists: [409, "token_exists", "Token already exists"],
  CertificateLimitReached: [409, "certificate_limit_reached", "Certificate limit reached"],
  LastValidCertificate: [409, "last_valid_certificate", "Last valid certificate"],
  WriteConflict: [409, "write_conflict", "Concurrent write conflict"],
  PayloadTooLarge: [413, "payload_too_large", "Request body too large"],
  UnsupportedMediaType: [415, "unsupported_media_type", "Unsupported media type"],
  Internal: [500, "internal", "Internal server error"]
} as const satisfies Record<Answer, readonly [number, string, string]>

type Code = (typeof table)[Answer][1]
const codes = [...new Set(Object.values(table).map(([, code]) => code))] as unknown as readonly [
  Code,
  ...Array<Code>
]

export const ProblemBody = Problem.schema(codes)
const encodeProblem = Schema.encodeSync(ProblemBody) as (body: Record<string, unknown>) => unknown

export const answer = (c: Context<Env>, tag: Answer, detail?: string, block?: number): Response => {
  const [status, code, title] = table[tag]
  return Problem.respond(
    c,
    encodeProblem,
    {
      status,
      code,
      title,
      ...(detail === undefined ? {} : { detail }),
      ...(block === undefined ? {} : { block })
    },
    status === 401 ? { "WWW-Authenticate": 'Bearer realm="certory"' } : {}
  )
}

export const surface: Surface<Failure> = {
  failure: (c, error) => {
    switch (error._tag) {
      case "AccessDenied":
        // The same words whether or not the owner exists, and no principal id.
        return answer(c, error._tag, "the token's grant does not allow this request")
      case "InvalidCertificate":
        return answer(c, error._tag, error.message, error.block)
      default:
        return answer(c, error._tag, error.message)
    }
  },
  // The request id only: the cause is in the log.
  internal: (c) => answer(c, "Internal")
}

// The OpenAPI side.

const problemResponse = (status: number) => ({
  description: `problem codes: ${Object.values(table)
    .filter(([s]) => s === status)
    .map(([, code]) => `\`${code}\``)
    .join(", ")}`,
  content: { [Problem.CONTENT_TYPE]: ProblemBody },
  headers: { "X-Request-Id": { description: "the request id, also in the body" } }
})

export type ProblemStatus = "400" | "401" | "403" | "404" | "406" | "409" | "413" | "415"

/** The problems an operation may answer; 401 and 500 are always possible. */
export const problems = (...statuses: ReadonlyArray<ProblemStatus>) =>
  Object.fromEntries(
    [...statuses, "401" as const, "500" as const]
      .sort()
      .map((status) => [status, problemResponse(Number(status))])
  )
