/**
 * What the API tests share: an app over fresh memory stores (one per test), the bootstrap token,
 * principals' tokens made through the real use-cases, the log lines, and seeding through the
 * use-cases (never by writing rows).
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
import { MemoryCertificateStore, MemoryTemplateCatalog, MemoryTokenStore } from "@certory/storage-memory"
import * as Fixtures from "@certory/testing/Fixtures"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { type AppOptions, createApp } from "../src/App.js"
import type { Services } from "../src/Runtime.js"
import { type Checker, checker } from "./Contract.js"

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
  readonly app: ReturnType<typeof createApp>
  readonly logs: Array<Record<string, unknown>>
  /** Runs a use-case on the app's runtime (for seeding and for checking what a request did). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Services>) => Promise<A>
  /** A token for the grant, made through the real use-case. */
  readonly tokenFor: (grant: P.Grant) => Promise<string>
  readonly dispose: () => Promise<void>
}

export const makeApi = (
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
  const request: typeof app.request = async (input, init, env, ctx) => {
    const response = await app.request(input, init, env, ctx)
    contract ??= Promise.resolve(app.request("/openapi.json")).then(async (r) => checker(await r.json()))
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url
    await (await contract).check(init?.method ?? "GET", url, response)
    return response
  }
  return {
    app: Object.assign(Object.create(app) as typeof app, { request }),
    logs,
    run,
    tokenFor: (grant) =>
      run(Tokens.createToken(admin, { name: "test", grant: Schema.encodeSync(P.Grant)(grant) })).then(
        (created) => created.secret
      ),
    dispose: () => runtime.dispose()
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
