/**
 * What the use-case tests share: principals of every role, fresh memory stores per test (so tests
 * never see each other's data), the real parser, and the fixture corpus parsed once per file.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import {
  CreateOwner,
  Ids,
  ImportCertificates,
  Principal as P,
  CertificateStore as Store
} from "@certory/domain"
import { MemoryCertificateStore, MemoryTemplateCatalog, MemoryTokenStore } from "@certory/storage-memory"
import { Effect, Layer } from "effect"
import { Corpus, input, layerCorpus, names } from "../src/Fixtures.js"

export const shared = Layer.merge(
  Layer.provide(layerCorpus, X509CertificateParser.layer),
  X509CertificateParser.layer
)

/** Fresh stores (certificates, tokens, template names) for one test. */
export const fresh = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provide(
    effect,
    Layer.mergeAll(MemoryCertificateStore.layer, MemoryTokenStore.layer, MemoryTemplateCatalog.layer)
  )

export const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}` as Ids.Guid
export const card = (n: number) => Ids.SmartCardRef.make({ id: guid(n) })
export const profile = (n: number) => Ids.ProfileRef.make({ id: guid(n) })
export const storeId = (s: string) => Ids.IdentityStoreId.make(s)
export const identityStore = (s: string) => Ids.IdentityStoreRef.make({ id: storeId(s) })
export const idp = (s: string, i: string) =>
  Ids.IdpRef.make({ identityStoreId: storeId(s), idpId: Ids.IdpId.make(i) })

export const admin = P.Principal.make({ id: "admin", grants: [P.Administrator.make({})] })
export const delegate = (s: string) =>
  P.Principal.make({
    id: `delegate-${s}`,
    grants: [P.DelegatedAdministrator.make({ identityStoreId: storeId(s) })]
  })
export const operator = (...owners: ReadonlyArray<Ids.OwnerRef>) =>
  P.Principal.make({ id: "operator", grants: [P.OwnerOperator.make({ owners })] })
export const reader = (...owners: ReadonlyArray<Ids.OwnerRef>) =>
  P.Principal.make({ id: "reader", grants: [P.OwnerReader.make({ owners })] })
export const nobody = P.Principal.make({ id: "nobody", grants: [] })

export const fixture = (name: keyof typeof names) => input(names[name])

/** Creates owners as the administrator (an IdP's store first). */
export const createOwners = (...refs: ReadonlyArray<Ids.OwnerRef>) =>
  Effect.forEach(refs, (ref) => CreateOwner.createOwner(admin, { ref }), { discard: true })

/** Binds certificates as the administrator and returns the new bindings. */
export const importAs = (
  owner: Ids.OwnerRef,
  certificates: string | Uint8Array,
  attributes?: ImportCertificates.Input["attributes"],
  surface?: ImportCertificates.Surface
) =>
  ImportCertificates.importCertificates(
    admin,
    {
      owner,
      input: certificates,
      ...(attributes === undefined ? {} : { attributes })
    },
    surface
  )

export { Corpus }

/**
 * A fresh memory store that counts the calls of each store method: for properties such as "a caller
 * without grants gets its answer without touching the store". The counts are per test (no module state).
 */
export const counted = <A, E, R>(
  body: (calls: Map<string, number>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, Exclude<R, Store.CertificateStore>> =>
  Effect.gen(function* () {
    const calls = new Map<string, number>()
    const inner = yield* MemoryCertificateStore.make
    const wrapped = Object.fromEntries(
      Object.entries(inner).map(([name, method]) => [
        name,
        (...args: Array<unknown>) => {
          calls.set(name, (calls.get(name) ?? 0) + 1)
          return (method as (...a: Array<unknown>) => unknown)(...args)
        }
      ])
    ) as unknown as Store.CertificateStore["Type"]
    return yield* Effect.provideService(body(calls), Store.CertificateStore, wrapped)
  })
