/**
 * What the workerd suite shares: requests to the Worker (`SELF`, src/worker.ts as the runtime calls it,
 * over the D1 of wrangler.jsonc), the bootstrap token of vitest.workerd.config.ts, seeding through the
 * native API (never by writing rows), the error-shape checks of each surface, and the facts of the
 * fixtures as the x509 parser reads them (what the wire must show).
 */
import { env, SELF } from "cloudflare:test"
import { X509CertificateParser } from "@certory/certificate-parser"
import type { Certificate as C } from "@certory/domain"
import * as Fixtures from "@certory/testing/Fixtures"
import { Effect, Layer } from "effect"
import { expect } from "vitest"

export const ADMIN = env.CERTORY_ADMIN_TOKEN
export const ORIGIN = "https://certory.example"
export const V1 = "/api/v1"

export const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`

export interface Call {
  readonly token?: string | undefined
  /** JSON-encoded unless a string, bytes or a stream (then sent as is, with `type`). */
  readonly body?: unknown
  readonly type?: string
  readonly headers?: Record<string, string>
}

export const call = (method: string, path: string, options: Call = {}): Promise<Response> => {
  const raw =
    typeof options.body === "string" ||
    options.body instanceof Uint8Array ||
    options.body instanceof ReadableStream
  return SELF.fetch(`${ORIGIN}${path}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
      ...(options.body === undefined ? {} : { "Content-Type": options.type ?? "application/json" }),
      ...options.headers
    },
    ...(options.body === undefined
      ? {}
      : { body: raw ? (options.body as BodyInit) : JSON.stringify(options.body) })
  })
}

/** As the administrator. */
export const admin = (method: string, path: string, options: Omit<Call, "token"> = {}) =>
  call(method, path, { ...options, token: ADMIN })

/** A fixture's text (PEM) or bytes (DER). */
export const fixture = (name: Fixtures.Name) => Fixtures.input(Fixtures.names[name])
export const pem = (name: Fixtures.Name): string => {
  const input = fixture(name)
  if (typeof input !== "string") throw new Error(`${name} is not PEM`)
  return input
}

let corpus: Promise<Fixtures.Corpus["Type"]> | undefined
/** The fixtures' facts, parsed once per file by the same parser the Worker uses. */
export const facts = (name: Fixtures.Name): Promise<ReadonlyArray<C.Certificate>> => {
  corpus ??= Effect.runPromise(
    Effect.provide(Fixtures.Corpus, Layer.provide(Fixtures.layerCorpus, X509CertificateParser.layer))
  )
  return corpus.then((c) => c.all(name))
}

export const expectStatus = async (response: Response, status: number): Promise<Response> => {
  if (response.status !== status)
    expect.fail(`${response.status} (wanted ${status}): ${await response.text()}`)
  return response
}

/** Creates the owner (native PUT, 201). */
export const createOwner = async (path: string, body?: unknown) =>
  expectStatus(await admin("PUT", `${V1}/${path}`, body === undefined ? {} : { body }), 201)

export interface Imported {
  readonly items: ReadonlyArray<{
    readonly outcome: string
    readonly certificateId: string
    readonly certificate: { readonly sha1: string; readonly sha256: string }
  }>
}

/** Imports a fixture into the owner (native POST, PEM as text or DER as bytes; 201). */
export const importFixture = async (owner: string, name: Fixtures.Name, query = ""): Promise<Imported> => {
  const input = fixture(name)
  const response = await admin("POST", `${V1}/${owner}/certificates${query}`, {
    body: input,
    type: typeof input === "string" ? "application/x-pem-file" : "application/pkix-cert"
  })
  return (await (await expectStatus(response, 201)).json()) as Imported
}

/** Makes an API token for the grant through the native API (as the administrator). */
export const tokenFor = async (grant: unknown): Promise<string> => {
  const response = await admin("POST", `${V1}/tokens`, { body: { name: "workerd", grant } })
  return ((await (await expectStatus(response, 201)).json()) as { secret: string }).secret
}

/** No stack frame, source path or dependency name in what a client sees. */
export const expectNoInternals = (text: string) =>
  expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules|Error:/)

/** An RFC 9457 problem (native API). */
export const expectProblem = async (response: Response, status: number, code: string) => {
  const text = await response.text()
  expect(response.status, text).toBe(status)
  expect(response.headers.get("content-type")).toBe("application/problem+json")
  const body = JSON.parse(text) as Record<string, unknown>
  expect(body).toMatchObject({ type: `https://certory.dev/problems/${code}`, status, code })
  expect(body.request_id).toBe(response.headers.get("x-request-id"))
  expectNoInternals(text)
  return body
}

/** A Huawei error body (`error_code`, `error_msg`, `request_id`). */
export const expectHuaweiError = async (response: Response, status: number, code: string) => {
  const text = await response.text()
  expect(response.status, text).toBe(status)
  const body = JSON.parse(text) as Record<string, unknown>
  expect(body.error_code).toBe(code)
  expect(typeof body.error_msg).toBe("string")
  expect(body.request_id).toBe(response.headers.get("x-request-id"))
  expectNoInternals(text)
  return body
}

/** A MIM error body (`{"Message"}`). */
export const expectMimError = async (response: Response, status: number) => {
  const text = await response.text()
  expect(response.status, text).toBe(status)
  const body = JSON.parse(text) as Record<string, unknown>
  expect(Object.keys(body)).toEqual(["Message"])
  expectNoInternals(text)
  return body
}

/** Keys in order and the JSON type of every value, recursively (the reference examples' shape). */
export const shape = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.length === 0
      ? []
      : [shape(value[0])]
    : value !== null && typeof value === "object"
      ? Object.entries(value).map(([key, v]) => [key, shape(v)])
      : value === null
        ? "null"
        : typeof value
