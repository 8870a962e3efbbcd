/**
 * One owner's certificates, under each kind's path: listed with every domain filter, sort and cursor
 * (ETag, 304), imported (PEM / DER / PKCS#7 by Content-Type, or JSON; 201 when anything was bound),
 * read one by one (JSON, or PEM / DER by Accept) and unbound.
 */
import {
  DomainConfig,
  GetOwnerCertificate,
  Ids,
  ImportCertificates,
  ListOwnerCertificates,
  Pem,
  UnbindCertificate
} from "@certory/domain"
import { Clock, Effect, Schema } from "effect"
import type { Context } from "hono"
import type { Env } from "../../Http.js"
import * as Wire from "../../NativeWire.js"
import type * as OpenApi from "../../OpenApi.js"
import { certificateIdOf } from "../../Paths.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import { type Kind, ownerAccess, tagsOf } from "./owners.js"
import { NotAcceptable, problems, TooManyPemBlocks, UnsupportedMediaType } from "./Problems.js"
import { type Routes, SECURITY } from "./Routes.js"

const CertificatesQuery = Schema.Struct({
  validity: Input.optional(ListOwnerCertificates.Validity),
  expiringWithin: Input.optional(Schema.String),
  keyHistory: Input.optional(ListOwnerCertificates.KeyHistory),
  archivedOnCa: Input.optional(Input.QueryBoolean),
  template: Input.optional(Schema.String),
  sort: Input.optional(ListOwnerCertificates.SortField),
  order: Input.optional(ListOwnerCertificates.SortDirection),
  ...Input.PageQuery
})

const ImportQuery = Schema.Struct({
  isKeyHistory: Input.optional(Input.QueryBoolean),
  archivedOnCa: Input.optional(Input.QueryBoolean),
  certificateType: Input.optional(Input.QueryInt),
  use: Input.optional(Schema.Literal("signing", "encryption", "authentication", "other"))
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
    const media = Input.mediaType(c)
    let input: string | Uint8Array
    let attributes: NonNullable<ImportCertificates.Input["attributes"]>
    if (Input.isJson(media)) {
      const { pem, ...rest } = yield* Input.json(c, Wire.ImportBody, false)
      input = pem
      attributes = rest
    } else if (TEXT_TYPES.has(media)) {
      attributes = yield* Input.query(c, ImportQuery)
      input = yield* Input.text(c)
    } else if (BINARY_TYPES.has(media)) {
      attributes = yield* Input.query(c, ImportQuery)
      input = yield* Input.bytes(c)
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

const encodeBinding = Schema.encodeSync(Wire.Binding)
const encodeDetail = Schema.encodeSync(Wire.CertificateDetail)
const encodeImport = Schema.encodeSync(Wire.ImportResult)

export const CertificatesPage = Wire.Page(Wire.OwnerCertificate, "OwnerCertificatesPage")

/** The certificate routes of one kind of owner: list, import, one certificate, unbind. */
export const register = (routes: Routes, kind: Kind): void => {
  const { app, registry, respond, respondList } = routes
  const tags = tagsOf(kind)
  const ownerTag = kind.name

  const certificates = `${kind.hono}/certificates`
  const certificatesPath = `${kind.openapi}/certificates`

  app.get(certificates, (c) =>
    respondList(
      c,
      CertificatesPage,
      Effect.gen(function* () {
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "read")
        const { sort, order, ...query } = yield* Input.query(c, CertificatesQuery)
        const result = yield* ListOwnerCertificates.listOwnerCertificates(principal, {
          owner: ref,
          ...query,
          ...(sort === undefined && order === undefined
            ? {}
            : { sort: { field: sort ?? "notAfter", direction: order ?? "asc" } })
        })
        const now = yield* Clock.currentTimeMillis
        return Output.page(result, (item) => Wire.fromOwnerCertificate(item, now))
      })
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
    security: SECURITY,
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
      ...Output.pageParameters
    ],
    responses: Output.listResponses(CertificatesPage, "400", "403", "404")
  })

  app.post(certificates, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "write")
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
      ({ body, anyCreated }) => Output.json(c, body, anyCreated ? 201 : 200)
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
    security: SECURITY,
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
        [Output.JSON_TYPE]: Wire.ImportBody,
        "application/x-pem-file": Schema.String,
        "application/pem-certificate-chain": Schema.String,
        "text/plain": Schema.String,
        "application/pkix-cert": Output.BinarySchema("application/pkix-cert"),
        "application/pkcs7-mime": Output.BinarySchema("application/pkcs7-mime"),
        "application/x-pkcs7-certificates": Output.BinarySchema("application/x-pkcs7-certificates"),
        "application/octet-stream": Output.BinarySchema("application/octet-stream")
      }
    },
    responses: {
      "200": {
        description: "nothing new: every certificate was bound already",
        content: { [Output.JSON_TYPE]: Wire.ImportResult }
      },
      "201": {
        description: "at least one binding created",
        content: { [Output.JSON_TYPE]: Wire.ImportResult }
      },
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
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "read")
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
            return Output.json(c, answer.body, 200, vary)
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
    security: SECURITY,
    parameters: oneParameters,
    responses: {
      "200": {
        description: "the certificate",
        content: {
          [Output.JSON_TYPE]: Wire.CertificateDetail,
          "application/x-pem-file": Schema.String,
          "application/pkix-cert": Output.BinarySchema("application/pkix-cert")
        }
      },
      ...problems("400", "403", "404", "406")
    }
  })

  app.delete(one, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const { principal, ref } = yield* ownerAccess(routes, c, kind, "write")
        const id = yield* certificateIdOf(c)
        return encodeBinding(Wire.fromBinding(yield* UnbindCertificate.unbindCertificate(principal, ref, id)))
      }),
      (body) => Output.json(c, body, 200)
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
    security: SECURITY,
    parameters: oneParameters,
    responses: {
      "200": { description: "the binding removed", content: { [Output.JSON_TYPE]: Wire.Binding } },
      ...problems("400", "403", "404", "409")
    }
  })
}
