/**
 * The documentation page at `/docs`: one HTML page rendered on the server from the generated OpenAPI
 * document, so it works offline and in Workers (no CDN, no script, no file read at run time) and cannot
 * drift from `/openapi.json`. Every string taken from the document is escaped, as if it were untrusted,
 * and the page is built once per app, never per request.
 */
import { Schema } from "effect"
import type { Context } from "hono"
import type { Env } from "./Http.js"
import type * as OpenApi from "./OpenApi.js"

/** The page's own entry in the registry, so the document (and the tests' checker) describe it. */
export const operation: OpenApi.Operation = {
  method: "get",
  path: "/docs",
  operationId: "docs",
  tags: ["Operations"],
  summary: "This API's documentation",
  description: "One HTML page rendered from the OpenAPI document; no scripts.",
  security: [],
  responses: { "200": { description: "the documentation page", content: { "text/html": Schema.String } } }
}

/** No script may run and nothing may load: the page is text and one inline style sheet. */
export const headers = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
  "X-Content-Type-Options": "nosniff"
} as const

// What the page reads of the document. Decoding (rather than a cast) keeps the renderer honest if the
// generator changes shape: the app then fails when it is built, not when someone opens the page.
const Media = Schema.Record({
  key: Schema.String,
  value: Schema.Struct({ schema: Schema.optional(Schema.Unknown) })
})
const OperationObject = Schema.Struct({
  operationId: Schema.String,
  tags: Schema.optional(Schema.Array(Schema.String)),
  summary: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  security: Schema.optional(Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown }))),
  parameters: Schema.optional(
    Schema.Array(
      Schema.Struct({
        name: Schema.String,
        in: Schema.String,
        required: Schema.optional(Schema.Boolean),
        description: Schema.optional(Schema.String),
        schema: Schema.optional(Schema.Unknown)
      })
    )
  ),
  requestBody: Schema.optional(Schema.Struct({ required: Schema.optional(Schema.Boolean), content: Media })),
  responses: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({
      description: Schema.String,
      headers: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
      content: Schema.optional(Media)
    })
  })
})
type OperationObject = typeof OperationObject.Type
const Document = Schema.Struct({
  info: Schema.Struct({
    title: Schema.String,
    version: Schema.String,
    description: Schema.optional(Schema.String)
  }),
  paths: Schema.Record({
    key: Schema.String,
    value: Schema.Record({ key: Schema.String, value: Schema.Unknown })
  }),
  components: Schema.Struct({
    schemas: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
    securitySchemes: Schema.optional(
      Schema.Record({
        key: Schema.String,
        value: Schema.Struct({ type: Schema.String, description: Schema.optional(Schema.String) })
      })
    )
  })
})

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const
const SCHEMAS = "#/components/schemas/"

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
}
/** Text safe in element content and in a double-quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)

/** A fragment id from any string (percent-encoded, then HTML-escaped where it is used). */
const anchor = (prefix: string, name: string) => `${prefix}-${encodeURIComponent(name)}`

const schemaLink = (name: string) =>
  `<a href="#${escapeHtml(anchor("schema", name))}">${escapeHtml(name)}</a>`

/** A component reference as a link, an array of one as "array of" it, anything else as compact JSON. */
const schemaLabel = (schema: unknown): string => {
  if (typeof schema === "object" && schema !== null) {
    const ref = (schema as { $ref?: unknown }).$ref
    if (typeof ref === "string" && ref.startsWith(SCHEMAS)) return schemaLink(ref.slice(SCHEMAS.length))
    const { type, items } = schema as { type?: unknown; items?: unknown }
    if (type === "array" && items !== undefined) return `array of ${schemaLabel(items)}`
  }
  return schema === undefined ? "" : `<code>${escapeHtml(JSON.stringify(schema))}</code>`
}

const mediaList = (content: typeof Media.Type) =>
  `<ul>${Object.entries(content)
    .map(([type, media]) => `<li><code>${escapeHtml(type)}</code> ${schemaLabel(media.schema)}</li>`)
    .join("")}</ul>`

interface Entry {
  readonly method: string
  readonly path: string
  readonly op: OperationObject
}

const renderOperation = ({ method, path, op }: Entry): string => {
  const parts: Array<string> = [
    `<section class="op" id="${escapeHtml(anchor("op", op.operationId))}">`,
    `<h3><span class="method">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>`,
    `<p class="meta">operationId <code>${escapeHtml(op.operationId)}</code></p>`
  ]
  if (op.summary !== undefined) parts.push(`<p class="summary">${escapeHtml(op.summary)}</p>`)
  if (op.description !== undefined) parts.push(`<p>${escapeHtml(op.description)}</p>`)
  const schemes = (op.security ?? []).flatMap((requirement) => Object.keys(requirement))
  parts.push(
    `<p>Security: ${
      schemes.length === 0
        ? "none"
        : schemes
            .map((name) => `<a href="#${escapeHtml(anchor("security", name))}">${escapeHtml(name)}</a>`)
            .join(", ")
    }</p>`
  )
  if (op.parameters !== undefined && op.parameters.length > 0) {
    parts.push(
      "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>",
      ...op.parameters.map(
        (p) =>
          `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required === true ? "yes" : "no"}</td>` +
          `<td>${schemaLabel(p.schema)}</td><td>${escapeHtml(p.description ?? "")}</td></tr>`
      ),
      "</table>"
    )
  }
  if (op.requestBody !== undefined) {
    parts.push(
      `<h4>Request body${op.requestBody.required === true ? " (required)" : ""}</h4>`,
      mediaList(op.requestBody.content)
    )
  }
  parts.push(
    "<h4>Responses</h4><table><tr><th>status</th><th>description</th><th>media types</th></tr>",
    ...Object.entries(op.responses).map(
      ([status, response]) =>
        `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(response.description)}` +
        (response.headers === undefined
          ? ""
          : ` (headers: ${Object.keys(response.headers)
              .map((name) => `<code>${escapeHtml(name)}</code>`)
              .join(", ")})`) +
        `</td><td>${response.content === undefined ? "no body" : mediaList(response.content)}</td></tr>`
    ),
    "</table></section>"
  )
  return parts.join("\n")
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:1rem;line-height:1.4;color:#1a1a1a}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f5f5f5;padding:.5rem;overflow-x:auto}
.op{border-top:1px solid #ccc;padding:.5rem 0}.method{display:inline-block;min-width:4.5em;font-family:ui-monospace,monospace}
.meta{color:#555;margin:0}.summary{font-weight:600}table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.2rem .4rem;vertical-align:top;text-align:left}td ul{margin:0;padding-left:1rem}`

/** The whole page for one document. Pure: the same document gives the same page. */
export const html = (document: unknown): string => {
  const doc = Schema.decodeUnknownSync(Document)(document)
  const entries: Array<Entry> = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) =>
      item[method] === undefined
        ? []
        : [{ method, path, op: Schema.decodeUnknownSync(OperationObject)(item[method]) }]
    )
  )
  // Tags in the order the document first uses them; an operation with several tags is listed under each.
  const byTag = new Map<string, Array<Entry>>()
  for (const entry of entries) {
    const tags = entry.op.tags === undefined || entry.op.tags.length === 0 ? ["default"] : entry.op.tags
    for (const tag of tags) {
      const list = byTag.get(tag) ?? []
      list.push(entry)
      byTag.set(tag, list)
    }
  }
  const title = `${doc.info.title} ${doc.info.version}`
  const schemas = Object.entries(doc.components.schemas ?? {})
  const securitySchemes = Object.entries(doc.components.securitySchemes ?? {})
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    doc.info.description === undefined ? "" : `<p>${escapeHtml(doc.info.description)}</p>`,
    '<p>The machine-readable contract: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>',
    "<nav><ul>",
    ...[...byTag].map(
      ([tag, list]) =>
        `<li><a href="#${escapeHtml(anchor("tag", tag))}">${escapeHtml(tag)}</a> (${list.length})</li>`
    ),
    '<li><a href="#security">Security schemes</a></li><li><a href="#schemas">Schemas</a></li></ul></nav>',
    ...[...byTag].flatMap(([tag, list]) => [
      `<h2 id="${escapeHtml(anchor("tag", tag))}">${escapeHtml(tag)}</h2>`,
      ...list.map(renderOperation)
    ]),
    '<h2 id="security">Security schemes</h2><dl>',
    ...securitySchemes.map(
      ([name, scheme]) =>
        `<dt id="${escapeHtml(anchor("security", name))}"><code>${escapeHtml(name)}</code> (${escapeHtml(scheme.type)})</dt>` +
        `<dd>${escapeHtml(scheme.description ?? "")}</dd>`
    ),
    '</dl><h2 id="schemas">Schemas</h2>',
    ...schemas.map(
      ([name, schema]) =>
        `<h3 id="${escapeHtml(anchor("schema", name))}">${escapeHtml(name)}</h3><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`
    ),
    "</body></html>"
  ].join("\n")
}

/** The route's handler for one app: the page is rendered here, once, and each request only sends it. */
export const handler = (document: unknown): ((c: Context<Env>) => Response) => {
  const page = html(document)
  return (c) => c.body(page, 200, headers)
}
