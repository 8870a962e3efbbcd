/**
 * What the worker tests share: a local HTTP server on 127.0.0.1 whose answers each test sets, SAML
 * metadata documents made from real certificates of the fixture corpus, and fresh memory stores with
 * the real parser, fetcher and SAML reader.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { X509CertificateParser } from "@certory/certificate-parser"
import { MetadataFetcher } from "@certory/domain"
import { MemoryCertificateStore, MemoryJobStore } from "@certory/storage-memory"
import { Fixtures } from "@certory/testing"
import { Effect, Layer } from "effect"
import * as SamlMetadataReader from "../src/SamlMetadataReader.js"

export type Handler = (request: IncomingMessage, response: ServerResponse) => void

export interface Server {
  readonly url: (path: string) => string
  /** What the server answers on a path; unknown paths are 404. */
  readonly route: (path: string, handler: Handler) => void
  /** Every request seen: path and headers. */
  readonly requests: Array<{ readonly path: string; readonly headers: IncomingMessage["headers"] }>
}

/** A server for the scope, closed (its connections too) when the scope ends. */
export const server = Effect.acquireRelease(
  Effect.async<{ readonly server: ReturnType<typeof createServer>; readonly api: Server }>((resume) => {
    const routes = new Map<string, Handler>()
    const requests: Server["requests"] = []
    const s = createServer((request, response) => {
      const path = request.url ?? "/"
      requests.push({ path, headers: request.headers })
      const handler = routes.get(path)
      if (handler === undefined) {
        response.writeHead(404).end()
        return
      }
      handler(request, response)
    })
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo
      resume(
        Effect.succeed({
          server: s,
          api: {
            url: (path) => `http://127.0.0.1:${port}${path}`,
            route: (path, handler) => void routes.set(path, handler),
            requests
          }
        })
      )
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map(({ api }) => api))

/** A port nothing listens on (opened, then closed). */
export const closedPort = Effect.async<number>((resume) => {
  const s = createServer()
  s.listen(0, "127.0.0.1", () => {
    const { port } = s.address() as AddressInfo
    s.close(() => resume(Effect.succeed(port)))
  })
})

const base64Lines = (der: Uint8Array) =>
  (
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? []
  ).join("\n            ")

export interface MetadataOptions {
  readonly entityId?: string
  readonly validUntil?: string
  readonly cacheDuration?: string
  /** Encryption certificates (not bound: only signing ones are). */
  readonly encryption?: ReadonlyArray<Uint8Array>
}

/** SAML 2.0 IdP metadata with these signing certificates (none: no KeyDescriptor at all). */
export const metadataXml = (signing: ReadonlyArray<Uint8Array>, options: MetadataOptions = {}): string => {
  const key = (der: Uint8Array, use?: string) => `
    <md:KeyDescriptor${use === undefined ? "" : ` use="${use}"`}>
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>
            ${base64Lines(der)}
          </ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>`
  const attributes = [
    `entityID="${options.entityId ?? "https://idp.test.example/metadata"}"`,
    options.validUntil === undefined ? "" : `validUntil="${options.validUntil}"`,
    options.cacheDuration === undefined ? "" : `cacheDuration="${options.cacheDuration}"`
  ].join(" ")
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ${attributes}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${signing
    .map((der, i) => key(der, i % 2 === 0 ? "signing" : undefined))
    .join("")}${(options.encryption ?? []).map((der) => key(der, "encryption")).join("")}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`
}

/** Answers with the document, an ETag of its content, and 304 when the request's If-None-Match matches. */
export const serveXml =
  (body: () => string): Handler =>
  (request, response) => {
    const text = body()
    const etag = `"${Buffer.from(text).length}-${hash(text)}"`
    if (request.headers["if-none-match"] === etag) {
      response.writeHead(304, { etag }).end()
      return
    }
    response.writeHead(200, { "content-type": "application/samlmetadata+xml", etag }).end(text)
  }

const hash = (text: string) => {
  let h = 0
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0
  return (h >>> 0).toString(16)
}

/** The certificates of the corpus, parsed by the real parser. */
export const fixtures = Layer.merge(
  Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer),
  X509CertificateParser.layer
)

/** Short limits, so failures show within a test's time. */
export const fetcherOptions: MetadataFetcher.Options = {
  timeout: "1 second",
  retries: 1,
  backoff: "20 millis",
  maxBytes: 65_536
}

/** Fresh memory stores, the fetcher and the SAML reader for one test. */
export const freshJobs = <A, E, R>(effect: Effect.Effect<A, E, R>, fetcher = fetcherOptions) =>
  Effect.provide(
    effect,
    Layer.mergeAll(
      MemoryCertificateStore.layer,
      MemoryJobStore.layer,
      MetadataFetcher.layerFetch(fetcher),
      SamlMetadataReader.layer()
    )
  )
