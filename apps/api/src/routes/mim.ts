/**
 * The MIM Certificate Management REST API, wire-exact: `GET /CertificateManagement/api/v1.0/
 * {smartcards|profiles}/{id}/certificates`, matched case-insensitively (IIS does; the reference page
 * itself uses two casings), the id a GUID in any case or with braces.
 *
 * A bare JSON array of X509ClmCertificate in the reference's key order; 204 with no body and no
 * Content-Type when the owner holds none. MIM returns the whole list, so the route gathers every page
 * up to `mimCeiling`. Errors are ASP.NET Web API's `{"Message": ...}`: 400 for an id that is not a GUID,
 * 401 without a valid token, 403 when the caller may not read the owner (whether or not it exists),
 * 404 when an administrator asks for an owner that does not exist (MIM answers an unknown card the same
 * way), 500 with the request id as the correlation id (also in the log line), never a stack trace.
 * TemplateCommonName of a certificate carrying only a template OID is the name administrators
 * registered for it in the template catalog, else the OID.
 */
import { type Errors, Ids, ListOwnerCertificates, MimCm, Page, Templates } from "@certory/domain"
import { Effect, Either, Schema } from "effect"
import type { Context, Hono } from "hono"
import * as Auth from "../Auth.js"
import { type Env, type Log, run, type Surface } from "../Http.js"
import type * as OpenApi from "../OpenApi.js"
import { DECODED } from "../Paths.js"
import type { ApiRuntime } from "../Runtime.js"

export interface Options {
  readonly registry: OpenApi.Registry
  readonly runtime: ApiRuntime
  readonly log: Log
  readonly adminToken?: string
  /** The most certificates one MIM list returns; a larger list is a 500 naming this ceiling. */
  readonly mimCeiling: number
  /** Certificates fetched per store query while gathering the list. */
  readonly pageSize: number
}

/** Lower-cased before routing: only this prefix is case-insensitive. */
export const PREFIX = "/certificatemanagement/api/v1.0"

class CeilingExceeded {
  readonly _tag = "CeilingExceeded"
  constructor(readonly ceiling: number) {}
}
class NotAGuid {
  readonly _tag = "NotAGuid"
}

type Failure = Errors.DomainError | CeilingExceeded | NotAGuid

const status = {
  AccessDenied: 403,
  Unauthenticated: 401,
  OwnerNotFound: 404,
  CertificateNotFound: 404,
  TokenNotFound: 404,
  TemplateNotFound: 404,
  OwnerAlreadyExists: 409,
  TokenAlreadyExists: 409,
  CertificateLimitReached: 409,
  LastValidCertificate: 409,
  WriteConflict: 409,
  InvalidCertificate: 400,
  InvalidLookup: 400,
  InvalidCursor: 400,
  InvalidRequest: 400,
  NotAGuid: 400,
  CeilingExceeded: 500
} as const satisfies Record<Failure["_tag"], number>

const message = (error: Failure, requestId: string): string => {
  switch (error._tag) {
    case "Unauthenticated":
      return "Authorization has been denied for this request."
    case "AccessDenied":
      return "Access to this resource is denied."
    case "NotAGuid":
      return "The request is invalid: the id is not a GUID."
    case "CeilingExceeded":
      return `An error has occurred: the list holds more than ${error.ceiling} certificates; use /api/v1 to page through it (correlation id ${requestId}).`
    default:
      return error.message
  }
}

const mimError = (c: Context<Env>, code: number, text: string): Response =>
  c.json(Schema.encodeSync(MimCm.ErrorBody)({ Message: text }), code as 400)

const surface: Surface<Failure> = {
  failure: (c, error) => mimError(c, status[error._tag], message(error, c.get("requestId"))),
  internal: (c) => mimError(c, 500, `An error has occurred (correlation id ${c.get("requestId")}).`)
}

const decodeGuid = Schema.decodeUnknownEither(Ids.Guid)
const encodeList = Schema.encodeSync(MimCm.X509ClmCertificateList)

export const register = (app: Hono<Env>, options: Options): void => {
  const authenticate = Auth.authenticator(options.adminToken)
  const list = (kind: "SmartCard" | "Profile") => (c: Context<Env>) => {
    const effect = Effect.gen(function* () {
      const principal = yield* authenticate(c)
      const id = decodeGuid(c.req.param("id"))
      if (Either.isLeft(id)) return yield* Effect.fail(new NotAGuid())
      const owner =
        kind === "SmartCard"
          ? Ids.SmartCardRef.make({ id: id.right }, DECODED)
          : Ids.ProfileRef.make({ id: id.right }, DECODED)
      const items: Array<MimCm.X509ClmCertificate> = []
      yield* Page.forEachPage(
        (cursor) =>
          ListOwnerCertificates.listOwnerCertificates(principal, {
            owner,
            limit: options.pageSize,
            ...Page.at(cursor)
          }),
        (page) =>
          Effect.gen(function* () {
            if (page.total > options.mimCeiling)
              return yield* Effect.fail(new CeilingExceeded(options.mimCeiling))
            // One catalog query per page names the templates of certificates that carry only an OID.
            const names = yield* Templates.resolveTemplateNames(page.items.map((item) => item.certificate))
            items.push(
              ...page.items.map((item) =>
                MimCm.fromOwnerCertificate(item, Templates.catalogNameOf(names, item.certificate))
              )
            )
          })
      )
      return items
    })
    return run(c, options.runtime, options.log, surface, effect, (items) =>
      items.length === 0 ? c.body(null, 204) : c.json(encodeList(items), 200)
    )
  }
  app.get(`${PREFIX}/smartcards/:id/certificates`, list("SmartCard"))
  app.get(`${PREFIX}/profiles/:id/certificates`, list("Profile"))
  for (const [kind, what] of [
    ["smartcards", "smart card"],
    ["profiles", "software profile"]
  ] as const) {
    const error = (description: string) => ({ description, content: { "application/json": MimCm.ErrorBody } })
    options.registry.add({
      method: "get",
      path: `/CertificateManagement/api/v1.0/${kind}/{id}/certificates`,
      operationId: kind === "smartcards" ? "mimListSmartCardCertificates" : "mimListProfileCertificates",
      tags: ["MIM CM"],
      summary: `The certificates of a ${what} (MIM CM REST API)`,
      description:
        "Wire-compatible with Microsoft Identity Manager Certificate Management. The path matches in any " +
        "casing. The whole list in one array (no paging), up to the server's ceiling.",
      security: ["mimAuthorization"],
      parameters: [{ name: "id", in: "path", schema: Ids.Guid, description: `the ${what}'s GUID` }],
      responses: {
        "200": {
          description: "the certificates",
          content: { "application/json": MimCm.X509ClmCertificateList }
        },
        "204": { description: `the ${what} holds no certificate (no body)` },
        "400": error("the id is not a GUID"),
        "401": error("no valid token"),
        "403": error("the caller may not read this owner (whether or not it exists)"),
        "404": error("no such owner (administrators)"),
        "500": error("internal error; the Message carries the correlation id")
      }
    })
  }
}
