/**
 * The native API under /api/v1: owners (smart cards, profiles, identity stores and their IdPs) created
 * idempotently with PUT, read, changed and removed; one owner's certificates listed with every domain
 * filter, sort and cursor, imported (PEM / DER / PKCS#7 by Content-Type, or JSON), read one by one (JSON,
 * or PEM / DER by Accept) and unbound; look-up by any fingerprint or serial spelling; the expiring
 * report; API tokens; the template catalog (administrators only). Every operation runs domain use-cases
 * as the caller's token; the shapes are in NativeWire.ts, errors are RFC 9457 problems (Problem.ts) from
 * ONE table below.
 *
 * Owner routes check the grant right after reading the path, before any query or body is looked at, so
 * a caller without access gets the same 403 whether or not the owner exists and whatever it sent.
 * Lists carry a strong ETag of their body and answer `If-None-Match` with 304. Request bodies are capped
 * (413, chunked bodies included); token responses are never stored (`Cache-Control: no-store`, also the
 * default of every native response that does not say otherwise).
 */
import {
  Authorization,
  CreateOwner,
  DomainConfig,
  Errors,
  ExpiringCertificates,
  FindCertificates,
  GetOwner,
  GetOwnerCertificate,
  Ids,
  ImportCertificates,
  Inputs,
  ListOwnerCertificates,
  ListOwners,
  Principal as P,
  Page,
  Pem,
  RemoveOwner,
  TemplateEntry,
  Templates,
  Token,
  Tokens,
  UnbindCertificate,
  UpdateOwner
} from "@certory/domain"
import { Clock, Effect, Either, ParseResult, Schema } from "effect"
import type { Context, Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import * as ETag from "../ETag.js"
import { bearer, type Env, type Log, run, type Surface, type UseCase } from "../Http.js"
import * as Wire from "../NativeWire.js"
import type * as OpenApi from "../OpenApi.js"
import { BadPath, certificateIdOf, guidOf, idpOf, storeOf } from "../Paths.js"
import * as Problem from "../Problem.js"
import type { ApiRuntime } from "../Runtime.js"

export interface Options {
  readonly registry: OpenApi.Registry
  readonly runtime: ApiRuntime
  readonly log: Log
  readonly adminToken?: string
  /** The largest request body in bytes; a larger one is a 413. */
  readonly maxBodyBytes: number
}

const PREFIX = Wire.PREFIX

// The route's own failures, beside the domain's (and Paths.BadPath).
class MalformedBody {
  readonly _tag = "MalformedBody"
  constructor(readonly message: string) {}
}
class UnsupportedMediaType {
  readonly _tag = "UnsupportedMediaType"
  constructor(readonly message: string) {}
}
class NotAcceptable {
  readonly _tag = "NotAcceptable"
  readonly message =
    "this resource is available as application/json, application/x-pem-file or application/pkix-cert"
}
class TooManyPemBlocks {
  readonly _tag = "TooManyPemBlocks"
  constructor(readonly message: string) {}
}

type Failure =
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

const answer = (c: Context<Env>, tag: Answer, detail?: string, block?: number): Response => {
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

const surface: Surface<Failure> = {
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

/** Decodes a query or body; a mismatch is InvalidRequest naming the field (unknown body fields too). */
const decodeWith =
  <A, I>(schema: Schema.Schema<A, I>, onExcessProperty: "ignore" | "error") =>
  (input: unknown): Effect.Effect<A, Errors.InvalidRequest> =>
    Schema.decodeUnknown(schema, { errors: "first", onExcessProperty })(input).pipe(
      Effect.mapError(
        (error) =>
          new Errors.InvalidRequest({
            message: Inputs.truncate(
              ParseResult.ArrayFormatter.formatErrorSync(error)
                .map(({ path, message }) => (path.length === 0 ? message : `${path.join(".")}: ${message}`))
                .join("; ")
                .replace(/\s*\n\s*/g, " ")
            )
          })
      )
    )

const QueryInt = Schema.NumberFromString.pipe(Schema.int())
const QueryBoolean = Schema.BooleanFromString
const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

const PageQuery = { cursor: optional(Schema.String), limit: optional(QueryInt) }

const CertificatesQuery = Schema.Struct({
  validity: optional(ListOwnerCertificates.Validity),
  expiringWithin: optional(Schema.String),
  keyHistory: optional(ListOwnerCertificates.KeyHistory),
  archivedOnCa: optional(QueryBoolean),
  template: optional(Schema.String),
  sort: optional(ListOwnerCertificates.SortField),
  order: optional(ListOwnerCertificates.SortDirection),
  ...PageQuery
})
const OwnersQuery = Schema.Struct({
  kind: optional(Wire.OwnerKind),
  identityStoreId: optional(Schema.String),
  ...PageQuery
})
const LookupQuery = Schema.Struct({ lookup: Schema.String, ...PageQuery })
const ExpiringQuery = Schema.Struct({ within: optional(Schema.String), ...PageQuery })
const TokensQuery = Schema.Struct(PageQuery)
const TemplatesQuery = Schema.Struct(PageQuery)
const ImportQuery = Schema.Struct({
  isKeyHistory: optional(QueryBoolean),
  archivedOnCa: optional(QueryBoolean),
  certificateType: optional(QueryInt),
  use: optional(Schema.Literal("signing", "encryption", "authentication", "other"))
})

const queryOf = <A, I>(c: Context<Env>, schema: Schema.Schema<A, I>) =>
  decodeWith(schema, "ignore")(c.req.query())

/** The media type of the request body, lower-cased, without parameters. */
const mediaType = (c: Context<Env>): string =>
  (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase()

const isJson = (media: string) => media === "application/json" || media.endsWith("+json")

const readText = (c: Context<Env>) =>
  Effect.tryPromise({
    try: () => c.req.text(),
    catch: () => new MalformedBody("the request body could not be read")
  })

/** A JSON body through `schema`; with `emptyIsEmpty`, no body at all stands for `{}`. */
const jsonBody = <A, I>(c: Context<Env>, schema: Schema.Schema<A, I>, emptyIsEmpty: boolean) =>
  Effect.gen(function* () {
    const text = yield* readText(c)
    if (text.trim() === "" && emptyIsEmpty) return yield* decodeWith(schema, "error")({})
    if (!isJson(mediaType(c))) {
      return yield* Effect.fail(new UnsupportedMediaType("send the body as application/json"))
    }
    const parsed = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => new MalformedBody("the body is not valid JSON")
    })
    return yield* decodeWith(schema, "error")(parsed)
  })

/**
 * Raw certificate bodies. PEM types are read as text (a binding keeps the text of one submitted PEM
 * certificate); the rest as bytes, which the parser tells apart by content (PEM, DER, base64, PKCS#7).
 */
const TEXT_TYPES: ReadonlySet<string> = new Set([
  "application/x-pem-file",
  "application/pem-certificate-chain",
  "text/plain"
])
const BINARY_TYPES: ReadonlySet<string> = new Set([
  "application/pkix-cert",
  "application/pkcs7-mime",
  "application/x-pkcs7-certificates",
  "application/octet-stream"
])

const BEGIN = "-----BEGIN "
const BEGIN_BYTES = new TextEncoder().encode(BEGIN)

/** How many PEM BEGIN lines the body holds, counting no further than `stopAfter`. */
const countPemBlocks = (input: string | Uint8Array, stopAfter: number): number => {
  let count = 0
  if (typeof input === "string") {
    for (let at = input.indexOf(BEGIN); at >= 0 && count <= stopAfter; at = input.indexOf(BEGIN, at + 1))
      count++
    return count
  }
  outer: for (let i = 0; i + BEGIN_BYTES.length <= input.length && count <= stopAfter; i++) {
    for (let j = 0; j < BEGIN_BYTES.length; j++) if (input[i + j] !== BEGIN_BYTES[j]) continue outer
    count++
  }
  return count
}

/** An import's certificates and the attributes the caller states for them. */
const importBody = (c: Context<Env>, maxBlocks: number) =>
  Effect.gen(function* () {
    const media = mediaType(c)
    let input: string | Uint8Array
    let attributes: NonNullable<ImportCertificates.Input["attributes"]>
    if (isJson(media)) {
      const { pem, ...rest } = yield* jsonBody(c, Wire.ImportBody, false)
      input = pem
      attributes = rest
    } else if (TEXT_TYPES.has(media)) {
      attributes = yield* queryOf(c, ImportQuery)
      input = yield* readText(c)
    } else if (BINARY_TYPES.has(media)) {
      attributes = yield* queryOf(c, ImportQuery)
      input = new Uint8Array(
        yield* Effect.tryPromise({
          try: () => c.req.arrayBuffer(),
          catch: () => new MalformedBody("the request body could not be read")
        })
      )
    } else {
      return yield* Effect.fail(
        new UnsupportedMediaType(
          "send PEM (application/x-pem-file, text/plain), DER (application/pkix-cert), PKCS#7 " +
            "(application/pkcs7-mime, application/x-pkcs7-certificates), application/octet-stream, " +
            'or application/json {"pem": ...}'
        )
      )
    }
    // Refused before parsing: the count bounds the parser's work as the domain's cap bounds the import.
    if (countPemBlocks(input, maxBlocks) > maxBlocks) {
      return yield* Effect.fail(
        new TooManyPemBlocks(
          `the body holds more than ${maxBlocks} PEM blocks; one import takes at most ${maxBlocks}`
        )
      )
    }
    return { input, attributes }
  })

type Format = "json" | "pem" | "der"
const FORMATS: ReadonlyArray<readonly [string, Format]> = [
  ["application/json", "json"],
  ["application/x-pem-file", "pem"],
  ["application/pkix-cert", "der"]
]

/** The representation `Accept` prefers (q-values; the most specific range decides); none: undefined. */
export const negotiate = (accept: string | undefined): Format | undefined => {
  if (accept === undefined || accept.trim() === "") return "json"
  const ranges = accept.split(",").map((part) => {
    const [type = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase())
    const q = params.find((p) => p.startsWith("q="))
    const value = q === undefined ? 1 : Number(q.slice(2))
    return { type, q: Number.isFinite(value) ? value : 0 }
  })
  let best: { format: Format; q: number } | undefined
  for (const [media, format] of FORMATS) {
    const main = media.split("/")[0]
    const range =
      ranges.find((r) => r.type === media) ??
      ranges.find((r) => r.type === `${main}/*`) ??
      ranges.find((r) => r.type === "*/*")
    if (range !== undefined && range.q > 0 && (best === undefined || range.q > best.q))
      best = { format, q: range.q }
  }
  return best?.format
}

const decodeOid = Schema.decodeUnknownEither(TemplateEntry.TemplateOid)

const oidOf = (c: Context<Env>): Effect.Effect<TemplateEntry.TemplateOid, BadPath> =>
  Either.match(decodeOid(c.req.param("oid")), {
    onLeft: () =>
      Effect.fail(
        new BadPath(
          `oid must be a dotted OID such as 1.3.6.1.4.1.311.21.8.1.2 (at most ${TemplateEntry.MAX_OID_LENGTH} characters)`
        )
      ),
    onRight: Effect.succeed
  })

/** One kind of owner: its paths (Hono and OpenAPI), parameters and how the path names it. */
interface Kind {
  readonly name: string
  readonly what: string
  readonly hono: string
  readonly openapi: string
  readonly parameters: ReadonlyArray<OpenApi.Parameter>
  readonly ref: (c: Context<Env>) => Effect.Effect<Ids.OwnerRef, BadPath>
}

const guidKind = (segment: "smartcards" | "profiles"): Kind => ({
  name: segment === "smartcards" ? "SmartCard" : "Profile",
  what: segment === "smartcards" ? "smart card" : "software profile",
  hono: `${PREFIX}/${segment}/:guid`,
  openapi: `${PREFIX}/${segment}/{guid}`,
  parameters: [
    { name: "guid", in: "path", schema: Ids.Guid, description: "the GUID, in any case or with braces" }
  ],
  ref: (c) =>
    Effect.map(guidOf(c, "guid"), (id) =>
      segment === "smartcards" ? Ids.SmartCardRef.make({ id }) : Ids.ProfileRef.make({ id })
    )
})

const storeParameter: OpenApi.Parameter = {
  name: "identity_store_id",
  in: "path",
  schema: Ids.IdentityStoreId,
  description: "e.g. d-66f1a2b3b80"
}

const KINDS: ReadonlyArray<Kind> = [
  guidKind("smartcards"),
  guidKind("profiles"),
  {
    name: "IdentityStore",
    what: "identity store",
    hono: `${PREFIX}/identity-stores/:identity_store_id`,
    openapi: `${PREFIX}/identity-stores/{identity_store_id}`,
    parameters: [storeParameter],
    ref: (c) => Effect.map(storeOf(c), (id) => Ids.IdentityStoreRef.make({ id }))
  },
  {
    name: "Idp",
    what: "external identity provider",
    hono: `${PREFIX}/identity-stores/:identity_store_id/idps/:idp_id`,
    openapi: `${PREFIX}/identity-stores/{identity_store_id}/idps/{idp_id}`,
    parameters: [
      storeParameter,
      { name: "idp_id", in: "path", schema: Ids.IdpId, description: "the IdP's id within its store" }
    ],
    ref: idpOf
  }
]

const encodeOwner = Schema.encodeSync(Wire.Owner)
const encodeBinding = Schema.encodeSync(Wire.Binding)
const encodeDetail = Schema.encodeSync(Wire.CertificateDetail)
const encodeImport = Schema.encodeSync(Wire.ImportResult)
const encodeToken = Schema.encodeSync(Wire.ApiToken)
const encodeCreated = Schema.encodeSync(Wire.CreatedToken)
const encodeGrant = Schema.encodeSync(P.Grant)
const encodeTemplate = Schema.encodeSync(Wire.Template)

const OwnersPage = Wire.Page(Wire.Owner, "OwnersPage")
const CertificatesPage = Wire.Page(Wire.OwnerCertificate, "OwnerCertificatesPage")
const FoundPage = Wire.Page(Wire.Found, "FoundPage")
const TokensPage = Wire.Page(Wire.ApiToken, "TokensPage")
const TemplatesPage = Wire.Page(Wire.Template, "TemplatesPage")

const page = <A, B>(value: Page.Page<A>, f: (a: A) => B) => ({
  items: value.items.map(f),
  total: value.total,
  ...(value.nextCursor === undefined ? {} : { nextCursor: value.nextCursor })
})

/** A list body, encoded once: its exact text and the ETag of that text. */
interface Listed {
  readonly text: string
  readonly etag: string
}

const listed = <A, I>(schema: Schema.Schema<A, I>, value: A): Effect.Effect<Listed> =>
  Effect.suspend(() => {
    const text = JSON.stringify(Schema.encodeSync(schema)(value))
    return Effect.map(ETag.of(text), (etag) => ({ text, etag }))
  })

const JSON_TYPE = "application/json"

const json = (c: Context<Env>, body: unknown, status: 200 | 201, headers: Record<string, string> = {}) =>
  c.body(JSON.stringify(body), status, { "Content-Type": JSON_TYPE, ...headers })

/** 304 when the client holds this list already, else the list; lists may be revalidated, not reused. */
const sendList = (c: Context<Env>, list: Listed, cacheControl = "private, no-cache"): Response =>
  ETag.matches(c.req.header("if-none-match"), list.etag)
    ? c.body(null, 304, { ETag: list.etag, "Cache-Control": cacheControl })
    : c.body(list.text, 200, { "Content-Type": JSON_TYPE, ETag: list.etag, "Cache-Control": cacheControl })

// The OpenAPI side.

const problemResponse = (status: number) => ({
  description: `problem codes: ${Object.values(table)
    .filter(([s]) => s === status)
    .map(([, code]) => `\`${code}\``)
    .join(", ")}`,
  content: { [Problem.CONTENT_TYPE]: ProblemBody },
  headers: { "X-Request-Id": { description: "the request id, also in the body" } }
})

type ProblemStatus = "400" | "401" | "403" | "404" | "406" | "409" | "413" | "415"

/** The problems an operation may answer; 401 and 500 are always possible. */
const problems = (...statuses: ReadonlyArray<ProblemStatus>) =>
  Object.fromEntries(
    [...statuses, "401" as const, "500" as const]
      .sort()
      .map((status) => [status, problemResponse(Number(status))])
  )

const pageParameters: ReadonlyArray<OpenApi.Parameter> = [
  { name: "cursor", in: "query", schema: Schema.String, description: "`nextCursor` of the previous page" },
  { name: "limit", in: "query", schema: Page.Limit, description: "page size, 1-1000 (default 100)" }
]

const etagResponses = {
  "304": {
    description: "the list is unchanged since the ETag sent in If-None-Match (no body)",
    headers: { ETag: { description: "the list's ETag" } }
  }
}

const listHeaders = { ETag: { description: "strong ETag of the body; send it back in If-None-Match" } }

const BinarySchema = (media: string) =>
  Schema.String.annotations({ jsonSchema: { type: "string", contentMediaType: media } })

export const register = (app: Hono<Env>, options: Options): void => {
  const bootstrap = options.adminToken === undefined ? {} : { bootstrapSecret: options.adminToken }
  const authenticate = (c: Context<Env>) =>
    Tokens.authenticate(bearer(c.req.header("authorization")), bootstrap)
  const respond = <A, E extends Failure>(
    c: Context<Env>,
    effect: UseCase<A, E>,
    onSuccess: (value: A) => Response
  ): Promise<Response> => run(c, options.runtime, options.log, surface, effect, onSuccess)
  /** The caller and the owner the path names, the grant checked for `action` before anything else. */
  const ownerAccess = (c: Context<Env>, kind: Kind, action: Authorization.Action) =>
    Effect.gen(function* () {
      const principal = yield* authenticate(c)
      const ref = yield* kind.ref(c)
      yield* Authorization.authorize(principal, ref, action)
      return { principal, ref }
    })
  /**
   * The catalog is for administrators only, whatever the path: the grant is checked before the OID, the
   * query or the body is read, so every other caller gets the same 403 (the use-cases check it again).
   */
  const catalogAccess = (c: Context<Env>) =>
    Effect.gen(function* () {
      const principal = yield* authenticate(c)
      if (!Authorization.isAdministrator(principal)) {
        return yield* new Errors.AccessDenied({ message: `${principal.id} may not use the template catalog` })
      }
      return principal
    })

  app.use(
    `${PREFIX}/*`,
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) => answer(c, "PayloadTooLarge", `the request body exceeds ${options.maxBodyBytes} bytes`)
    })
  )
  app.use(`${PREFIX}/*`, async (c, next) => {
    await next()
    // Tokens are never stored by a cache; elsewhere only what a route marks revalidatable.
    if (c.req.path.startsWith(`${PREFIX}/tokens`) || !c.res.headers.has("Cache-Control"))
      c.header("Cache-Control", "no-store")
  })

  const { registry } = options
  const security = ["bearer"]

  for (const kind of KINDS) {
    const tags = [`Native: ${kind.what}s`]
    const ownerTag = kind.name

    // PUT: create if absent (201), else the existing owner unchanged (200).
    app.put(kind.hono, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* ownerAccess(c, kind, "administer")
          const body = yield* jsonBody(c, Wire.PutOwnerBody, true)
          const { owner, created } = yield* CreateOwner.ensureOwner(principal, { ref, ...body })
          return { body: encodeOwner(Wire.fromOwner(owner)), created, location: Wire.ownerPath(owner.ref) }
        }),
        ({ body, created, location }) =>
          json(c, body, created ? 201 : 200, created ? { Location: location } : {})
      )
    )
    registry.add({
      method: "put",
      path: kind.openapi,
      operationId: `put${ownerTag}`,
      tags,
      summary: `Create the ${kind.what} unless it exists`,
      description:
        "Idempotent: 201 when this call created it, 200 with the existing owner (unchanged; PATCH changes it) " +
        "otherwise. The body is optional; `metadataUrl`, `saml` and `enabled` are for IdPs only." +
        (kind.name === "Idp" ? " The IdP's identity store must exist (404 otherwise)." : ""),
      security,
      parameters: kind.parameters,
      requestBody: { required: false, content: { [JSON_TYPE]: Wire.PutOwnerBody } },
      responses: {
        "200": { description: "it existed already", content: { [JSON_TYPE]: Wire.Owner } },
        "201": {
          description: "created",
          content: { [JSON_TYPE]: Wire.Owner },
          headers: { Location: { description: "the owner's path" } }
        },
        ...problems("400", "403", "404", "409", "413", "415")
      }
    })

    app.get(kind.hono, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* ownerAccess(c, kind, "read")
          return encodeOwner(Wire.fromOwner(yield* GetOwner.getOwner(principal, ref)))
        }),
        (body) => json(c, body, 200)
      )
    )
    registry.add({
      method: "get",
      path: kind.openapi,
      operationId: `get${ownerTag}`,
      tags,
      summary: `The ${kind.what}`,
      security,
      parameters: kind.parameters,
      responses: {
        "200": { description: "the owner", content: { [JSON_TYPE]: Wire.Owner } },
        ...problems("400", "403", "404")
      }
    })

    app.patch(kind.hono, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* ownerAccess(c, kind, "administer")
          const body = yield* jsonBody(c, Wire.PatchOwnerBody, false)
          const patch: UpdateOwner.Patch = {
            ...(body.displayName === undefined ? {} : { displayName: body.displayName ?? undefined }),
            ...(body.metadataUrl === undefined ? {} : { metadataUrl: body.metadataUrl ?? undefined }),
            ...(body.saml === undefined ? {} : { saml: body.saml ?? undefined }),
            ...(body.enabled === undefined ? {} : { enabled: body.enabled })
          }
          return encodeOwner(Wire.fromOwner(yield* UpdateOwner.updateOwner(principal, ref, patch)))
        }),
        (body) => json(c, body, 200)
      )
    )
    registry.add({
      method: "patch",
      path: kind.openapi,
      operationId: `patch${ownerTag}`,
      tags,
      summary: `Change the ${kind.what}`,
      description: "An absent field is kept; `null` clears `displayName` or `metadataUrl`.",
      security,
      parameters: kind.parameters,
      requestBody: { required: true, content: { [JSON_TYPE]: Wire.PatchOwnerBody } },
      responses: {
        "200": { description: "the owner as changed", content: { [JSON_TYPE]: Wire.Owner } },
        ...problems("400", "403", "404", "409", "413", "415")
      }
    })

    app.delete(kind.hono, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* ownerAccess(c, kind, "administer")
          return yield* RemoveOwner.removeOwner(principal, ref)
        }),
        () => c.body(null, 204)
      )
    )
    registry.add({
      method: "delete",
      path: kind.openapi,
      operationId: `delete${ownerTag}`,
      tags,
      summary: `Remove the ${kind.what} and its bindings`,
      description:
        kind.name === "IdentityStore"
          ? "Its IdPs and their bindings go with it. Certificates stay (other owners may hold them)."
          : "Certificates stay (other owners may hold them).",
      security,
      parameters: kind.parameters,
      responses: { "204": { description: "removed" }, ...problems("400", "403", "404", "409") }
    })

    const certificates = `${kind.hono}/certificates`
    const certificatesPath = `${kind.openapi}/certificates`

    app.get(certificates, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* ownerAccess(c, kind, "read")
          const { sort, order, ...query } = yield* queryOf(c, CertificatesQuery)
          const result = yield* ListOwnerCertificates.listOwnerCertificates(principal, {
            owner: ref,
            ...query,
            ...(sort === undefined && order === undefined
              ? {}
              : { sort: { field: sort ?? "notAfter", direction: order ?? "asc" } })
          })
          const now = yield* Clock.currentTimeMillis
          return yield* listed(
            CertificatesPage,
            page(result, (item) => Wire.fromOwnerCertificate(item, now))
          )
        }),
        (list) => sendList(c, list)
      )
    )
    registry.add({
      method: "get",
      path: certificatesPath,
      operationId: `list${ownerTag}Certificates`,
      tags,
      summary: `The ${kind.what}'s certificates`,
      description:
        "Filtered, sorted (default `notAfter` ascending, ties by certificate id) and paged by cursor; a cursor " +
        "continues only the listing (owner, filters, sort) it came from.",
      security,
      parameters: [
        ...kind.parameters,
        {
          name: "validity",
          in: "query",
          schema: ListOwnerCertificates.Validity,
          description: "validity now (notBefore and notAfter inclusive)"
        },
        {
          name: "expiringWithin",
          in: "query",
          schema: Schema.String,
          description: 'valid now and expiring within this duration, e.g. "30 days"'
        },
        {
          name: "keyHistory",
          in: "query",
          schema: ListOwnerCertificates.KeyHistory,
          description: "default include"
        },
        { name: "archivedOnCa", in: "query", schema: Schema.Boolean },
        {
          name: "template",
          in: "query",
          schema: Schema.String,
          description: "a template name or OID, exactly"
        },
        {
          name: "sort",
          in: "query",
          schema: ListOwnerCertificates.SortField,
          description: "default notAfter"
        },
        {
          name: "order",
          in: "query",
          schema: ListOwnerCertificates.SortDirection,
          description: "default asc"
        },
        ...pageParameters
      ],
      responses: {
        "200": { description: "one page", content: { [JSON_TYPE]: CertificatesPage }, headers: listHeaders },
        ...etagResponses,
        ...problems("400", "403", "404")
      }
    })

    app.post(certificates, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* ownerAccess(c, kind, "write")
          const config = yield* DomainConfig.DomainConfig
          const { input, attributes } = yield* importBody(c, config.maxImportCertificates)
          const imported = yield* ImportCertificates.importCertificates(
            principal,
            { owner: ref, input, attributes },
            { origin: "native", source: "upload" }
          )
          const result = Wire.fromImported(imported, yield* Clock.currentTimeMillis)
          return { body: encodeImport(result), anyCreated: result.created > 0 }
        }),
        ({ body, anyCreated }) => json(c, body, anyCreated ? 201 : 200)
      )
    )
    registry.add({
      method: "post",
      path: certificatesPath,
      operationId: `import${ownerTag}Certificates`,
      tags,
      summary: `Import certificates to the ${kind.what}`,
      description:
        "The body is PEM (any number of blocks; `application/x-pem-file`, `application/pem-certificate-chain`, " +
        "`text/plain`), DER (`application/pkix-cert`), PKCS#7 (`application/pkcs7-mime`, " +
        "`application/x-pkcs7-certificates`), any of them as `application/octet-stream`, or JSON " +
        '`{"pem", "isKeyHistory", "archivedOnCa", "certificateType", "use"}`. Raw bodies take the attributes as ' +
        "query parameters. All or nothing; every certificate of the input is reported in input order as " +
        "`created`, `alreadyBound` or `duplicateInInput`. 201 when at least one binding was created, else 200.",
      security,
      parameters: [
        ...kind.parameters,
        {
          name: "isKeyHistory",
          in: "query",
          schema: Schema.Boolean,
          description: "raw bodies; default false"
        },
        {
          name: "archivedOnCa",
          in: "query",
          schema: Schema.Boolean,
          description: "raw bodies; default false"
        },
        { name: "certificateType", in: "query", schema: Schema.Int, description: "raw bodies; default 1" },
        {
          name: "use",
          in: "query",
          schema: Schema.Literal("signing", "encryption", "authentication", "other"),
          description: "raw bodies; default signing"
        }
      ],
      requestBody: {
        required: true,
        content: {
          [JSON_TYPE]: Wire.ImportBody,
          "application/x-pem-file": Schema.String,
          "application/pem-certificate-chain": Schema.String,
          "text/plain": Schema.String,
          "application/pkix-cert": BinarySchema("application/pkix-cert"),
          "application/pkcs7-mime": BinarySchema("application/pkcs7-mime"),
          "application/x-pkcs7-certificates": BinarySchema("application/x-pkcs7-certificates"),
          "application/octet-stream": BinarySchema("application/octet-stream")
        }
      },
      responses: {
        "200": {
          description: "nothing new: every certificate was bound already",
          content: { [JSON_TYPE]: Wire.ImportResult }
        },
        "201": { description: "at least one binding created", content: { [JSON_TYPE]: Wire.ImportResult } },
        ...problems("400", "403", "404", "409", "413", "415")
      }
    })

    const one = `${certificates}/:certificate_id`
    const onePath = `${certificatesPath}/{certificate_id}`
    const oneParameters: ReadonlyArray<OpenApi.Parameter> = [
      ...kind.parameters,
      {
        name: "certificate_id",
        in: "path",
        schema: Ids.CertificateId,
        description: "the binding's certificate id"
      }
    ]

    app.get(one, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* ownerAccess(c, kind, "read")
          const id = yield* certificateIdOf(c)
          const format = negotiate(c.req.header("accept"))
          if (format === undefined) return yield* Effect.fail(new NotAcceptable())
          const found = yield* GetOwnerCertificate.getOwnerCertificate(principal, {
            owner: ref,
            certificateId: id
          })
          const { der } = found.certificate
          switch (format) {
            case "pem":
              return { format, body: Pem.certificatePem(der) }
            case "der":
              return { format, body: der as Uint8Array<ArrayBuffer> }
            case "json": {
              const now = yield* Clock.currentTimeMillis
              const detail = { ...Wire.fromOwnerCertificate(found, now), pem: Pem.certificatePem(der) }
              return { format, body: encodeDetail(detail) }
            }
          }
        }),
        (answer) => {
          const vary = { Vary: "Accept" }
          switch (answer.format) {
            case "pem":
              return c.body(answer.body, 200, { "Content-Type": "application/x-pem-file", ...vary })
            case "der":
              return c.body(answer.body, 200, { "Content-Type": "application/pkix-cert", ...vary })
            case "json":
              return json(c, answer.body, 200, vary)
          }
        }
      )
    )
    registry.add({
      method: "get",
      path: onePath,
      operationId: `get${ownerTag}Certificate`,
      tags,
      summary: `One certificate of the ${kind.what}`,
      description:
        "JSON by default; `Accept: application/x-pem-file` gives canonical PEM, `application/pkix-cert` DER.",
      security,
      parameters: oneParameters,
      responses: {
        "200": {
          description: "the certificate",
          content: {
            [JSON_TYPE]: Wire.CertificateDetail,
            "application/x-pem-file": Schema.String,
            "application/pkix-cert": BinarySchema("application/pkix-cert")
          }
        },
        ...problems("400", "403", "404", "406")
      }
    })

    app.delete(one, (c) =>
      respond(
        c,
        Effect.gen(function* () {
          const { principal, ref } = yield* ownerAccess(c, kind, "write")
          const id = yield* certificateIdOf(c)
          return encodeBinding(
            Wire.fromBinding(yield* UnbindCertificate.unbindCertificate(principal, ref, id))
          )
        }),
        (body) => json(c, body, 200)
      )
    )
    registry.add({
      method: "delete",
      path: onePath,
      operationId: `unbind${ownerTag}Certificate`,
      tags,
      summary: `Remove one certificate from the ${kind.what}`,
      description:
        "Answers the binding removed. The certificate itself stays (other owners may hold it)." +
        (kind.name === "Idp" ? " An IdP keeps at least one certificate valid for the next hour (409)." : ""),
      security,
      parameters: oneParameters,
      responses: {
        "200": { description: "the binding removed", content: { [JSON_TYPE]: Wire.Binding } },
        ...problems("400", "403", "404", "409")
      }
    })
  }

  app.get(`${PREFIX}/owners`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const { kind, ...query } = yield* queryOf(c, OwnersQuery)
        const result = yield* ListOwners.listOwners(principal, {
          ...query,
          ...(kind === undefined ? {} : { kind: Wire.tagOf(kind) })
        })
        return yield* listed(OwnersPage, page(result, Wire.fromOwner))
      }),
      (list) => sendList(c, list)
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/owners`,
    operationId: "listOwners",
    tags: ["Native: owners"],
    summary: "The owners the caller may read",
    description: "By canonical key; a token sees only the owners its grant covers.",
    security,
    parameters: [
      { name: "kind", in: "query", schema: Wire.OwnerKind },
      {
        name: "identityStoreId",
        in: "query",
        schema: Ids.IdentityStoreId,
        description: "the identity store and its IdPs"
      },
      ...pageParameters
    ],
    responses: {
      "200": { description: "one page", content: { [JSON_TYPE]: OwnersPage }, headers: listHeaders },
      ...etagResponses,
      ...problems("400")
    }
  })

  app.get(`${PREFIX}/certificates`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const { lookup, ...query } = yield* queryOf(c, LookupQuery)
        const result = yield* FindCertificates.findCertificates(principal, { text: lookup, ...query })
        const now = yield* Clock.currentTimeMillis
        return yield* listed(
          FoundPage,
          page(result, (found) => Wire.fromFound(found, now))
        )
      }),
      (list) => sendList(c, list)
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/certificates`,
    operationId: "findCertificates",
    tags: ["Native: certificates"],
    summary: "Which owners hold a certificate",
    description:
      "By any spelling of a SHA-1 / SHA-256 fingerprint (of the certificate or its public key) or a serial " +
      "(hex with or without separators, decimal, base64). Only the bindings the caller may read are shown; a " +
      "certificate none of them holds is not found. A page holds up to `limit` bindings, grouped by certificate.",
    security,
    parameters: [
      {
        name: "lookup",
        in: "query",
        required: true,
        schema: Schema.String,
        description: "a fingerprint or serial"
      },
      ...pageParameters
    ],
    responses: {
      "200": { description: "one page", content: { [JSON_TYPE]: FoundPage }, headers: listHeaders },
      ...etagResponses,
      ...problems("400")
    }
  })

  app.get(`${PREFIX}/expiring`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const { within, ...query } = yield* queryOf(c, ExpiringQuery)
        const result = yield* ExpiringCertificates.expiringCertificates(principal, {
          within: within ?? "30 days",
          ...query
        })
        const now = yield* Clock.currentTimeMillis
        return yield* listed(
          CertificatesPage,
          page(result, (item) => Wire.fromOwnerCertificate(item, now))
        )
      }),
      (list) => sendList(c, list)
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/expiring`,
    operationId: "expiringCertificates",
    tags: ["Native: certificates"],
    summary: "Certificates valid now that expire within a window",
    description: "Across the owners the caller may read, soonest first.",
    security,
    parameters: [
      { name: "within", in: "query", schema: Schema.String, description: 'a duration, default "30 days"' },
      ...pageParameters
    ],
    responses: {
      "200": { description: "one page", content: { [JSON_TYPE]: CertificatesPage }, headers: listHeaders },
      ...etagResponses,
      ...problems("400")
    }
  })

  const templateTags = ["Native: templates"]
  const templatePath = `${PREFIX}/templates/{oid}`
  const templateParameters: ReadonlyArray<OpenApi.Parameter> = [
    {
      name: "oid",
      in: "path",
      schema: TemplateEntry.TemplateOid,
      description: "the template's dotted OID (certificate extension 1.3.6.1.4.1.311.21.7)"
    }
  ]

  // PUT: one upsert; the catalog does not say whether the OID was registered before, so always 200.
  app.put(`${PREFIX}/templates/:oid`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* catalogAccess(c)
        const oid = yield* oidOf(c)
        const { name } = yield* jsonBody(c, Wire.PutTemplateBody, false)
        return encodeTemplate(Wire.fromTemplate(yield* Templates.setTemplateName(principal, { oid, name })))
      }),
      (body) => json(c, body, 200)
    )
  )
  registry.add({
    method: "put",
    path: templatePath,
    operationId: "putTemplate",
    tags: templateTags,
    summary: "Name a template OID, or rename it (administrators)",
    description:
      "Idempotent upsert, 200 whether the OID was registered before or not (the catalog's one upsert does " +
      "not tell). MIM shows the name as TemplateCommonName for certificates that carry only this OID; a " +
      "certificate's own template name always wins.",
    security,
    parameters: templateParameters,
    requestBody: { required: true, content: { [JSON_TYPE]: Wire.PutTemplateBody } },
    responses: {
      "200": { description: "the entry as stored", content: { [JSON_TYPE]: Wire.Template } },
      ...problems("400", "403", "409", "413", "415")
    }
  })

  app.get(`${PREFIX}/templates/:oid`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* catalogAccess(c)
        const oid = yield* oidOf(c)
        return encodeTemplate(Wire.fromTemplate(yield* Templates.getTemplate(principal, { oid })))
      }),
      (body) => json(c, body, 200)
    )
  )
  registry.add({
    method: "get",
    path: templatePath,
    operationId: "getTemplate",
    tags: templateTags,
    summary: "The name of a template OID (administrators)",
    security,
    parameters: templateParameters,
    responses: {
      "200": { description: "the entry", content: { [JSON_TYPE]: Wire.Template } },
      ...problems("400", "403", "404")
    }
  })

  app.delete(`${PREFIX}/templates/:oid`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* catalogAccess(c)
        const oid = yield* oidOf(c)
        return yield* Templates.removeTemplate(principal, { oid })
      }),
      () => c.body(null, 204)
    )
  )
  registry.add({
    method: "delete",
    path: templatePath,
    operationId: "deleteTemplate",
    tags: templateTags,
    summary: "Forget the name of a template OID (administrators)",
    description: "Certificates carrying only this OID show the OID again.",
    security,
    parameters: templateParameters,
    responses: { "204": { description: "removed" }, ...problems("400", "403", "404", "409") }
  })

  app.get(`${PREFIX}/templates`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* catalogAccess(c)
        const query = yield* queryOf(c, TemplatesQuery)
        const result = yield* Templates.listTemplates(principal, query)
        return yield* listed(TemplatesPage, page(result, Wire.fromTemplate))
      }),
      (list) => sendList(c, list)
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/templates`,
    operationId: "listTemplates",
    tags: templateTags,
    summary: "The template catalog (administrators)",
    description: "By OID in bytewise order.",
    security,
    parameters: pageParameters,
    responses: {
      "200": { description: "one page", content: { [JSON_TYPE]: TemplatesPage }, headers: listHeaders },
      ...etagResponses,
      ...problems("400", "403")
    }
  })

  const tokenTags = ["Native: tokens"]

  app.post(`${PREFIX}/tokens`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const body = yield* jsonBody(c, Wire.CreateTokenBody, false)
        const created = yield* Tokens.createToken(principal, { ...body, grant: encodeGrant(body.grant) })
        return encodeCreated({ token: Wire.fromToken(created.token, true), secret: created.secret })
      }),
      (body) => json(c, body, 201)
    )
  )
  registry.add({
    method: "post",
    path: `${PREFIX}/tokens`,
    operationId: "createToken",
    tags: tokenTags,
    summary: "Create an API token (administrators)",
    description: "The answer holds the secret: shown this once, never again (only its SHA-256 is stored).",
    security,
    requestBody: { required: true, content: { [JSON_TYPE]: Wire.CreateTokenBody } },
    responses: {
      "201": { description: "the token and its secret", content: { [JSON_TYPE]: Wire.CreatedToken } },
      ...problems("400", "403", "409", "413", "415")
    }
  })

  app.get(`${PREFIX}/tokens`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const query = yield* queryOf(c, TokensQuery)
        const result = yield* Tokens.listTokens(principal, query)
        const now = yield* Clock.currentTimeMillis
        return yield* listed(
          TokensPage,
          page(result, (token) => Wire.fromToken(token, Token.isActive(token, now)))
        )
      }),
      (list) => sendList(c, list, "no-store")
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/tokens`,
    operationId: "listTokens",
    tags: tokenTags,
    summary: "The API tokens (administrators)",
    description: "Without secrets or their hashes; revoked and expired tokens included.",
    security,
    parameters: pageParameters,
    responses: {
      "200": { description: "one page", content: { [JSON_TYPE]: TokensPage }, headers: listHeaders },
      ...etagResponses,
      ...problems("400", "403")
    }
  })

  app.delete(`${PREFIX}/tokens/:token_id`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* authenticate(c)
        const token = yield* Tokens.revokeToken(principal, c.req.param("token_id"))
        return encodeToken(Wire.fromToken(token, Token.isActive(token, yield* Clock.currentTimeMillis)))
      }),
      (body) => json(c, body, 200)
    )
  )
  registry.add({
    method: "delete",
    path: `${PREFIX}/tokens/{token_id}`,
    operationId: "revokeToken",
    tags: tokenTags,
    summary: "Revoke an API token (administrators)",
    description: "Idempotent: revoking again answers the first revocation's instant.",
    security,
    parameters: [{ name: "token_id", in: "path", schema: Token.TokenId }],
    responses: {
      "200": { description: "the token, revoked", content: { [JSON_TYPE]: Wire.ApiToken } },
      ...problems("403", "404")
    }
  })

  // Anything else under the prefix: a problem, not the app's generic 404.
  app.all(`${PREFIX}/*`, (c) => answer(c, "RouteNotFound", "no such resource or method under /api/v1"))
}
