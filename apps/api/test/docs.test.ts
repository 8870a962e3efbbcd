/**
 * The documentation page: served with a no-script CSP, listing every operation of the app's own OpenAPI
 * document, and escaping whatever text the document holds.
 */
import { Schema } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import * as Docs from "../src/Docs.js"
import * as OpenApi from "../src/OpenApi.js"
import { makeApi, type TestApi } from "./support.js"

let api: TestApi
afterEach(() => api?.dispose())

interface Doc {
  readonly paths: Record<string, Record<string, { operationId: string; summary: string }>>
  readonly components: { readonly schemas: Record<string, unknown> }
}

describe("happy", () => {
  it("GET /docs is one HTML page with a no-script CSP, every operation and schema, and a link to the document", async () => {
    api = makeApi()
    const response = await api.app.request("/docs")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; style-src 'unsafe-inline'"
    )
    expect(response.headers.get("x-content-type-options")).toBe("nosniff")
    const page = await response.text()
    expect(page).not.toMatch(/<script/i)
    expect(page).toContain('href="/openapi.json"')

    const doc = (await (await api.app.request("/openapi.json")).json()) as Doc
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method, path, ...op }))
    )
    expect(operations.map((o) => o.operationId)).toContain("docs")
    for (const op of operations) {
      expect(page).toContain(`<code>${Docs.escapeHtml(op.operationId)}</code>`)
      expect(page).toContain(`${op.method.toUpperCase()}</span> <code>${Docs.escapeHtml(op.path)}</code>`)
      expect(page).toContain(Docs.escapeHtml(op.summary))
    }
    for (const name of Object.keys(doc.components.schemas)) {
      expect(page).toContain(`id="schema-${encodeURIComponent(name)}"`)
    }
    for (const tag of ["Operations", "Security schemes", "Schemas"]) expect(page).toContain(`>${tag}</h2>`)
  })

  it("builds the page once per app, not per request", async () => {
    api = makeApi()
    const first = await (await api.app.request("/docs")).text()
    const second = await (await api.app.request("/docs")).text()
    expect(second).toBe(first)
  })
})

describe("security", () => {
  const hostile = () => {
    const registry = new OpenApi.Registry()
    registry.add({
      method: "post",
      path: "/x/{id}<img src=x>",
      operationId: 'evil"><script>alert(1)</script>',
      tags: ["<script>tag</script>"],
      summary: "<script>alert('summary')</script>",
      description: "a & b </p><iframe>",
      security: ["bearer"],
      parameters: [
        { name: "<b>id</b>", in: "path", description: "<script>p</script>", schema: Schema.String }
      ],
      requestBody: { required: true, content: { "application/<script>": Schema.String } },
      responses: {
        "200": {
          description: "<script>ok</script>",
          content: {
            "application/json": Schema.Struct({ a: Schema.String }).annotations({
              identifier: "Evil</pre><script>x</script>",
              description: "</pre><script>alert(2)</script>"
            })
          }
        }
      }
    })
    return Docs.html(OpenApi.document(registry, { title: "<script>t</script>", version: '1"' }))
  }

  it("escapes every string from the document: no markup survives, the text does", () => {
    const page = hostile()
    expect(page).not.toMatch(/<script|<img|<iframe|<b>|<\/pre><script/i)
    expect(page).toContain("&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;")
    expect(page).toContain("a &amp; b &lt;/p&gt;&lt;iframe&gt;")
    expect(page).toContain("/x/{id}&lt;img src=x&gt;")
    expect(page).toContain("&lt;script&gt;ok&lt;/script&gt;")
    expect(page).toContain("application/&lt;script&gt;")
    // Attributes are quoted and their values escaped: the operationId cannot close its id attribute.
    expect(page).not.toContain('evil">')
  })

  it("the page's headers forbid every script and sniffing", () => {
    expect(Docs.headers["Content-Security-Policy"]).toBe("default-src 'none'; style-src 'unsafe-inline'")
    expect(Docs.headers["X-Content-Type-Options"]).toBe("nosniff")
  })
})
