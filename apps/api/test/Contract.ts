/**
 * Checks responses against the app's own OpenAPI document: the status must be documented for the
 * operation the request matched, and the body must validate against that status's schema (ajv,
 * JSON Schema 2020-12, which OpenAPI 3.1 uses). `makeApi` runs every test request through it, so the
 * document cannot drift from the wire.
 */
import Ajv2020 from "ajv/dist/2020.js"

interface Document {
  readonly paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >
  readonly components: { readonly schemas: Record<string, object> }
}

export interface Checker {
  readonly check: (method: string, url: string, response: Response) => Promise<void>
}

const matcher = (template: string): RegExp =>
  new RegExp(
    `^${template.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === "{" || c === "}" ? c : `\\${c}`)).replace(/\{[^}]+\}/g, "[^/]+")}$`,
    template.startsWith("/CertificateManagement/") ? "i" : ""
  )

export const checker = (doc: Document): Checker => {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true })
  ajv.addSchema({ $id: "doc", components: doc.components })
  const operations = Object.entries(doc.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, re: matcher(template), template, op }))
  )
  return {
    check: async (method, url, response) => {
      const path = new URL(url, "http://x").pathname
      const found = operations.find((o) => o.method === method.toLowerCase() && o.re.test(path))
      if (found === undefined) {
        // Only the generic 404 of an unknown route may be undocumented.
        if (response.status !== 404) throw new Error(`${method} ${path}: no documented operation`)
        return
      }
      const documented = found.op.responses[String(response.status)]
      if (documented === undefined) {
        throw new Error(`${method} ${found.template}: status ${response.status} is not documented`)
      }
      const text = await response.clone().text()
      if (documented.content === undefined) {
        if (text !== "")
          throw new Error(`${method} ${found.template} ${response.status}: documented without a body`)
        return
      }
      const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim()
      const media = documented.content[type]
      if (media === undefined)
        throw new Error(`${method} ${found.template} ${response.status}: undocumented ${type}`)
      // PEM and DER bodies are documented by media type; only JSON bodies have a schema to check.
      if (!/(^|[/+])json$/.test(type)) return
      const schema = JSON.parse(
        JSON.stringify(media.schema).replaceAll('"#/components/', '"doc#/components/')
      )
      const validate = ajv.compile(schema)
      if (!validate(JSON.parse(text))) {
        throw new Error(
          `${method} ${found.template} ${response.status}: body does not match the document: ${ajv.errorsText(validate.errors)}`
        )
      }
    }
  }
}
