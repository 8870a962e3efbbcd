/**
 * The OpenAPI 3.1 document, generated: every route registers its operation here next to its handler,
 * with the same Effect schemas that encode its responses, and the document's component schemas come
 * from `JSONSchema.fromAST` (OpenAPI 3.1 target). Nothing in it is written by hand, so it cannot drift
 * from the wire; the tests validate it with an OpenAPI validator and check every response against it.
 */
import { JSONSchema, type Schema } from "effect"

export type Method = "get" | "post" | "put" | "delete" | "patch"

export interface Parameter {
  readonly name: string
  readonly in: "path" | "query" | "header"
  readonly required?: boolean
  readonly description?: string
  readonly schema: Schema.Schema.AnyNoContext
}

export interface Response {
  readonly description: string
  /** Media type -> body schema; absent for a response without a body (204). */
  readonly content?: Readonly<Record<string, Schema.Schema.AnyNoContext>>
  readonly headers?: Readonly<Record<string, { readonly description: string }>>
}

export interface Operation {
  readonly method: Method
  /** OpenAPI form: `/v1/identity-stores/{identity_store_id}/...`. */
  readonly path: string
  readonly operationId: string
  readonly tags: ReadonlyArray<string>
  readonly summary: string
  readonly description?: string
  /** Names of `securitySchemes`, any one of which authenticates. */
  readonly security: ReadonlyArray<string>
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: {
    readonly required: boolean
    readonly content: Readonly<Record<string, Schema.Schema.AnyNoContext>>
  }
  readonly responses: Readonly<Record<string, Response>>
}

/** Collects operations while the app registers its routes (one registry per app: no module state). */
export class Registry {
  readonly operations: Array<Operation> = []
  add(operation: Operation): void {
    this.operations.push(operation)
  }
}

export const securitySchemes = {
  bearer: {
    type: "http",
    scheme: "bearer",
    description:
      "An API token (`cty_...`) or the bootstrap administrator token, as `Authorization: Bearer <token>`."
  },
  mimAuthorization: {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description: "MIM CM clients send the token in `Authorization`, with or without the `Bearer` scheme."
  },
  securityToken: {
    type: "apiKey",
    in: "header",
    name: "X-Security-Token",
    description: "Huawei clients' temporary-credential header; the token may also come in `Authorization`."
  }
} as const

const DEFINITIONS = "#/components/schemas/"

/** The OpenAPI 3.1 document of the registered operations. */
export const document = (registry: Registry, info: { readonly title: string; readonly version: string }) => {
  const definitions: Record<string, JSONSchema.JsonSchema7> = {}
  const schemaOf = (schema: Schema.Schema.AnyNoContext): JSONSchema.JsonSchema7 =>
    JSONSchema.fromAST(schema.ast, { definitions, definitionPath: DEFINITIONS, target: "openApi3.1" })
  const content = (media: Readonly<Record<string, Schema.Schema.AnyNoContext>>) =>
    Object.fromEntries(Object.entries(media).map(([type, schema]) => [type, { schema: schemaOf(schema) }]))

  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of registry.operations) {
    paths[op.path] ??= {}
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      tags: op.tags,
      summary: op.summary,
      ...(op.description === undefined ? {} : { description: op.description }),
      security: op.security.map((name) => ({ [name]: [] })),
      ...(op.parameters === undefined
        ? {}
        : {
            parameters: op.parameters.map((p) => ({
              name: p.name,
              in: p.in,
              required: p.in === "path" ? true : (p.required ?? false),
              ...(p.description === undefined ? {} : { description: p.description }),
              schema: schemaOf(p.schema)
            }))
          }),
      ...(op.requestBody === undefined
        ? {}
        : { requestBody: { required: op.requestBody.required, content: content(op.requestBody.content) } }),
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.headers === undefined
              ? {}
              : {
                  headers: Object.fromEntries(
                    Object.entries(response.headers).map(([name, h]) => [
                      name,
                      { description: h.description, schema: { type: "string" } }
                    ])
                  )
                }),
            ...(response.content === undefined ? {} : { content: content(response.content) })
          }
        ])
      )
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description:
        "certory: a certificate inventory for identities. Wire-compatible surfaces for the MIM CM REST API and " +
        "Huawei IAM Identity Center's external IdP certificates."
    },
    paths,
    components: { schemas: definitions, securitySchemes }
  }
}
