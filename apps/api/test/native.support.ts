/**
 * What the native API tests share beside support.ts: requests with a token and a JSON or raw body,
 * the problem+json check, a request that skips the document check (PEM / DER bodies, which the
 * checker would read as JSON), and a seeded inventory.
 */
import { Certificate as C, Ids, Principal as P } from "@certory/domain"
import { expect } from "vitest"
import { bearer, card, idp, seed, store, type TestApi } from "./support.js"

export const V1 = "/api/v1"

export interface Call {
  readonly token?: string
  /** JSON-encoded unless a string or bytes (then sent as is, with `type`). */
  readonly body?: unknown
  readonly type?: string
  readonly headers?: Record<string, string>
}

const init = (method: string, call: Call): RequestInit => {
  const raw = typeof call.body === "string" || call.body instanceof Uint8Array
  return {
    method,
    headers: {
      ...(call.token === undefined ? {} : bearer(call.token)),
      ...(call.body === undefined ? {} : { "Content-Type": call.type ?? "application/json" }),
      ...call.headers
    },
    ...(call.body === undefined ? {} : { body: raw ? (call.body as BodyInit) : JSON.stringify(call.body) })
  }
}

/** A request through the checked app (every response validated against the OpenAPI document). */
export const request = async (
  api: TestApi,
  method: string,
  path: string,
  call: Call = {}
): Promise<Response> => await api.app.request(path, init(method, call))

export interface ProblemBody {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail?: string
  readonly code: string
  readonly request_id: string
  readonly block?: number
}

/** The response is an RFC 9457 problem with this status and code, naming the request id. */
export const expectProblem = async (
  response: Response,
  status: number,
  code: string
): Promise<ProblemBody> => {
  const text = await response.text()
  expect(response.status, text).toBe(status)
  expect(response.headers.get("content-type")).toBe("application/problem+json")
  const body = JSON.parse(text) as ProblemBody
  expect(body).toMatchObject({ type: `https://certory.dev/problems/${code}`, status, code })
  expect(body.request_id).toBe(response.headers.get("x-request-id"))
  // No internals: no stack frame, no source path.
  expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules/)
  return body
}

/** Every `serial` object in a body: its three spellings must be strings. */
export const serialsOf = (value: unknown): Array<unknown> => {
  if (Array.isArray(value)) return value.flatMap(serialsOf)
  if (value === null || typeof value !== "object") return []
  return Object.entries(value).flatMap(([key, v]) => (key === "serial" ? [v] : serialsOf(v)))
}

export const expectStringSerials = (body: unknown): void => {
  const serials = serialsOf(body)
  expect(serials.length).toBeGreaterThan(0)
  for (const serial of serials) {
    expect(Object.keys(serial as object).sort()).toEqual(["decimal", "hex", "windows"])
    for (const spelling of Object.values(serial as object)) expect(typeof spelling).toBe("string")
  }
}

export const guidOf = (n: number) => card(n).id

/** card(1), card(2), store d-1 with IdP a, store d-2 with IdP b; certificates on each. */
export const seedInventory = async (api: TestApi) => {
  const owners = {
    card1: card(1),
    card2: card(2),
    store1: store("d-1"),
    idp1: idp("d-1", "a"),
    store2: store("d-2"),
    idp2: idp("d-2", "b")
  }
  const bound = await seed(
    api,
    [owners.card1, owners.card2, owners.store1, owners.idp1, owners.store2, owners.idp2],
    [
      [owners.card1, "ec"],
      [owners.card2, "ec"],
      [owners.store1, "ec"],
      [owners.idp1, "ec"],
      [owners.idp1, "ed25519"],
      [owners.idp2, "ec"],
      [owners.idp2, "ed25519"]
    ]
  )
  const idOf = (owner: (typeof owners)[keyof typeof owners]) =>
    bound.find((b) => Ids.ownerKey(b.binding.owner) === Ids.ownerKey(owner))!.binding.certificateId
  return { owners, bound, idOf }
}

export const grants = {
  Administrator: P.Administrator.make({}),
  DelegatedAdministrator: P.DelegatedAdministrator.make({ identityStoreId: store("d-1").id }),
  OwnerOperator: P.OwnerOperator.make({ owners: [card(1)] }),
  OwnerReader: P.OwnerReader.make({ owners: [card(1)] })
}

export const isValidNow = (certificate: C.Certificate) => C.validityAt(certificate, Date.now()) === "valid"
