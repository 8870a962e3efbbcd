/**
 * What the API tests share: an API with an empty store per `makeApi()`, the bootstrap token, principals'
 * tokens made through the real use-cases, the log lines, and seeding through the use-cases (never by
 * writing rows). The target (CERTORY_API_TARGET, set by each vitest config) decides what the API is: the
 * app in process over fresh memory stores (`memory`, the default), or this file's real `certory serve`
 * child on SQLite or PostgreSQL (target/Serve.ts), reached over HTTP, its store emptied first. Either
 * way every response is checked against the app's own OpenAPI document.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import {
  type CertificateStore,
  CreateOwner,
  Ids,
  ImportCertificates,
  Principal as P,
  type TemplateCatalog,
  Tokens
} from "@certory/domain"
import {
  MemoryCertificateStore,
  MemoryJobStore,
  MemoryTemplateCatalog,
  MemoryTokenStore
} from "@certory/storage-memory"
import * as Fixtures from "@certory/testing/Fixtures"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { type AppOptions, createApp } from "../src/App.js"
import type { Services } from "../src/Runtime.js"
import { type Checker, checker } from "./Contract.js"
import * as Serve from "./target/Serve.js"

export const ADMIN_TOKEN = "cty_bootstrap-admin-token-for-tests-0123456789abcdef"
export const admin = P.Principal.make({ id: "test-admin", grants: [P.Administrator.make({})] })

export const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}` as Ids.Guid
export const card = (n: number) => Ids.SmartCardRef.make({ id: guid(n) })
export const profile = (n: number) => Ids.ProfileRef.make({ id: guid(n) })
export const store = (id: string) => Ids.IdentityStoreRef.make({ id: Ids.IdentityStoreId.make(id) })
export const idp = (s: string, i: string) =>
  Ids.IdpRef.make({ identityStoreId: Ids.IdentityStoreId.make(s), idpId: Ids.IdpId.make(i) })

export const fixture = (name: Fixtures.Name) => Fixtures.input(Fixtures.names[name])

export interface TestApi {
  /** Requests to the API: `app.request` in process, `fetch` to the child on the serve targets. */
  readonly app: { readonly request: (path: string, init?: RequestInit) => Promise<Response> }
  /** The origin the API sees requests on (its default SAML service provider derives from it). */
  readonly origin: string
  /** The JSON log lines of this API's requests, each there by the time its response is returned. */
  readonly logs: ReadonlyArray<Record<string, unknown>>
  /** Runs a use-case on the API's store (for seeding and for checking what a request did). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Services>) => Promise<A>
  /** A token for the grant, made through the real use-case. */
  readonly tokenFor: (grant: P.Grant) => Promise<string>
  readonly dispose: () => Promise<void>
}

const tokenFor =
  (run: TestApi["run"]) =>
  (grant: P.Grant): Promise<string> =>
    run(Tokens.createToken(admin, { name: "test", grant: Schema.encodeSync(P.Grant)(grant) })).then(
      (created) => created.secret
    )

/** The target's API with an empty store: what every test outside test/memory uses. */
export const makeApi = (): TestApi => (Serve.target() === "memory" ? makeInProcessApi() : makeServedApi())

/**
 * The app in process over fresh memory stores; the options (a store or catalog that misbehaves on purpose,
 * app limits) exist only here, so the tests using them live in test/memory, which the memory target runs.
 */
export const makeInProcessApi = (
  options: {
    readonly store?: Layer.Layer<CertificateStore.CertificateStore>
    readonly catalog?: Layer.Layer<TemplateCatalog.TemplateCatalog>
    readonly app?: Partial<Omit<AppOptions, "runtime" | "log">>
  } = {}
): TestApi => {
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      options.store ?? MemoryCertificateStore.layer,
      MemoryTokenStore.layer,
      MemoryJobStore.layer,
      options.catalog ?? MemoryTemplateCatalog.layer,
      X509CertificateParser.layer
    )
  )
  const logs: Array<Record<string, unknown>> = []
  const app = createApp({
    runtime,
    adminToken: ADMIN_TOKEN,
    ...options.app,
    log: (line) => logs.push(JSON.parse(line) as Record<string, unknown>)
  })
  const run = <A, E>(effect: Effect.Effect<A, E, Services>) => runtime.runPromise(effect)
  // Every response a test sees has been checked against the app's own OpenAPI document.
  let contract: Promise<Checker> | undefined
  const request = async (path: string, init?: RequestInit) => {
    const response = await app.request(path, init)
    contract ??= Promise.resolve(app.request("/openapi.json")).then(async (r) => checker(await r.json()))
    await (await contract).check(init?.method ?? "GET", path, response)
    return response
  }
  return {
    app: { request },
    origin: "http://localhost",
    logs,
    run,
    tokenFor: tokenFor(run),
    dispose: () => runtime.dispose()
  }
}

/**
 * This test file's `certory serve` child (target/setup.ts started it): its store is emptied before this
 * API's first use; requests go over HTTP; `run` uses the same store through the test process's connection.
 */
const makeServedApi = (): TestApi => {
  let served: Serve.Server | undefined
  let firstLog = 0
  const ready = Serve.server().then(async (server) => {
    await server.reset()
    served = server
    firstLog = server.logs.length
    return server
  })
  // Each use awaits `ready` and reports its failure; this only keeps an unused API from an unhandled rejection.
  ready.catch(() => undefined)
  let contract: Promise<Checker> | undefined
  const request = async (path: string, init?: RequestInit) => {
    const server = await ready
    const method = init?.method ?? "GET"
    const send = async (p: string, i?: RequestInit) => {
      try {
        return await fetch(`${server.url}${p}`, i)
      } catch (cause) {
        // undici reuses keep-alive connections: a socket the server closed after an earlier response
        // fails the NEXT request on it, which may belong to a later test.
        const socket =
          cause instanceof Error && (cause.cause as { code?: string } | undefined)?.code === "UND_ERR_SOCKET"
            ? " (the server closed a connection it had kept alive: did an earlier response on it leave its" +
              " request body unread without Connection: close?)"
            : ""
        throw new Error(`${method} ${p}: ${String(cause)}${socket}; ${server.describe()}`, { cause })
      }
    }
    const response = await send(path, init)
    const requestId = response.headers.get("x-request-id")
    if (requestId === null) throw new Error(`${method} ${path}: a response without X-Request-Id`)
    await server.logged(requestId)
    contract ??= send("/openapi.json").then(async (r) => checker(await r.json()))
    await (await contract).check(method, path, response)
    return response
  }
  const run = async <A, E>(effect: Effect.Effect<A, E, Services>) => (await ready).runtime.runPromise(effect)
  return {
    app: { request },
    get origin() {
      if (served === undefined) throw new Error("the served API's origin is known after its first use")
      return served.url
    },
    get logs() {
      return served === undefined ? [] : served.logs.slice(firstLog)
    },
    run,
    tokenFor: tokenFor(run),
    // The child and its store belong to the test file (target/setup.ts stops them).
    dispose: () => ready.then(() => undefined)
  }
}

/** Creates owners (a store before its IdPs) and imports fixtures as the administrator. */
export const seed = (
  api: TestApi,
  owners: ReadonlyArray<Ids.OwnerRef>,
  imports: ReadonlyArray<readonly [Ids.OwnerRef, Fixtures.Name, ImportCertificates.Input["attributes"]?]> = []
) =>
  api.run(
    Effect.gen(function* () {
      for (const ref of owners) yield* CreateOwner.createOwner(admin, { ref })
      const bound = []
      for (const [owner, name, attributes] of imports) {
        bound.push(
          ...(yield* ImportCertificates.importCertificates(admin, {
            owner,
            input: fixture(name),
            ...(attributes === undefined ? {} : { attributes })
          }))
        )
      }
      return bound
    })
  )

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
