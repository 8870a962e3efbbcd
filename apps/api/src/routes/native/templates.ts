/**
 * The template catalog: the names administrators give template OIDs (certificate extension
 * 1.3.6.1.4.1.311.21.7), put, read, removed and listed. Administrators only, checked before the OID,
 * the query or the body is read, so every other caller gets the same 403.
 */
import { Authorization, Errors, TemplateEntry, Templates } from "@certory/domain"
import { Effect, Either, Schema } from "effect"
import type { Context } from "hono"
import type { Env } from "../../Http.js"
import * as Wire from "../../NativeWire.js"
import type * as OpenApi from "../../OpenApi.js"
import { BadPath } from "../../Paths.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import { problems } from "./Problems.js"
import { PREFIX, type Routes, SECURITY } from "./Routes.js"

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

const TemplatesQuery = Schema.Struct(Input.PageQuery)

const encodeTemplate = Schema.encodeSync(Wire.Template)

const TemplatesPage = Wire.Page(Wire.Template, "TemplatesPage")

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

/** PUT, GET and DELETE /templates/{oid}; GET /templates. */
export const register = (routes: Routes): void => {
  const { app, registry, respond, respondList, authenticate } = routes
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

  // PUT: one upsert; the catalog does not say whether the OID was registered before, so always 200.
  app.put(`${PREFIX}/templates/:oid`, (c) =>
    respond(
      c,
      Effect.gen(function* () {
        const principal = yield* catalogAccess(c)
        const oid = yield* oidOf(c)
        const { name } = yield* Input.json(c, Wire.PutTemplateBody, false)
        return encodeTemplate(Wire.fromTemplate(yield* Templates.setTemplateName(principal, { oid, name })))
      }),
      (body) => Output.json(c, body, 200)
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
    security: SECURITY,
    parameters: templateParameters,
    requestBody: { required: true, content: { [Output.JSON_TYPE]: Wire.PutTemplateBody } },
    responses: {
      "200": { description: "the entry as stored", content: { [Output.JSON_TYPE]: Wire.Template } },
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
      (body) => Output.json(c, body, 200)
    )
  )
  registry.add({
    method: "get",
    path: templatePath,
    operationId: "getTemplate",
    tags: templateTags,
    summary: "The name of a template OID (administrators)",
    security: SECURITY,
    parameters: templateParameters,
    responses: {
      "200": { description: "the entry", content: { [Output.JSON_TYPE]: Wire.Template } },
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
    security: SECURITY,
    parameters: templateParameters,
    responses: { "204": { description: "removed" }, ...problems("400", "403", "404", "409") }
  })

  app.get(`${PREFIX}/templates`, (c) =>
    respondList(
      c,
      TemplatesPage,
      Effect.gen(function* () {
        const principal = yield* catalogAccess(c)
        const query = yield* Input.query(c, TemplatesQuery)
        const result = yield* Templates.listTemplates(principal, query)
        return Output.page(result, Wire.fromTemplate)
      })
    )
  )
  registry.add({
    method: "get",
    path: `${PREFIX}/templates`,
    operationId: "listTemplates",
    tags: templateTags,
    summary: "The template catalog (administrators)",
    description: "By OID in bytewise order.",
    security: SECURITY,
    parameters: Output.pageParameters,
    responses: Output.listResponses(TemplatesPage, "400", "403")
  })
}
