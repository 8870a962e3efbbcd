/**
 * The one behaviour every CertificateStore adapter must show, run unchanged against memory, SQLite,
 * PostgreSQL and D1 (inside workerd: nothing here touches node: or a file system at run time).
 *
 * The store is built once per `suite` call and shared by its tests, so every test works on owners of
 * its own (random ids) and never assumes the store is empty: a test about look-ups or expiry across
 * owners checks what happened to ITS owners, plus properties that hold whatever else is stored.
 * The cases live by area under ./contract/; this module is the one entry point adapters call.
 *
 * Usage, in an adapter's test file (Node or workerd alike):
 *   CertificateStoreContract.suite("sqlite", SqliteCertificateStore.layer({ filename }))
 * The layer may be built once for the whole suite; a persistent database need not be empty.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import type { CertificateStore as Store } from "@certory/domain"
import { expect, layer } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import * as Binding from "./contract/Binding.js"
import * as Idps from "./contract/Idps.js"
import * as Inputs from "./contract/Inputs.js"
import * as Listing from "./contract/Listing.js"
import * as Lookup from "./contract/Lookup.js"
import * as Owners from "./contract/Owners.js"
import { newSmartCard, setup } from "./contract/Support.js"
import * as Unbinding from "./contract/Unbinding.js"
import { layerCorpus } from "./Fixtures.js"

export {
  newCertificateId,
  newIdentityStoreId,
  newIdp,
  newProfile,
  newSmartCard
} from "./contract/Support.js"

export interface SuiteOptions {
  /** Per-test timeout in milliseconds (remote databases are slower). Default 30 000. */
  readonly timeout?: number
}

export const suite = (
  name: string,
  storeLayer: Layer.Layer<Store.CertificateStore, unknown>,
  options: SuiteOptions = {}
): void => {
  const timeout = options.timeout ?? 30_000
  // The parser too: the inputs area runs the use-cases over the store.
  const fixtures = Layer.merge(
    Layer.provide(layerCorpus, X509CertificateParser.layer),
    X509CertificateParser.layer
  )

  layer(Layer.merge(storeLayer, fixtures), { timeout: `${timeout} millis` })(
    `CertificateStore contract: ${name}`,
    (it) => {
      const area = { it, setup, timeout }
      Owners.register(area)
      Binding.register(area)
      Listing.register(area)
      Lookup.register(area)
      Unbinding.register(area)
      Inputs.register(area)
      Idps.register(area)

      it.effect(
        "errors are the domain's tagged errors (Either-friendly)",
        () =>
          Effect.gen(function* () {
            const { store } = yield* setup
            const result = yield* store.removeOwner(newSmartCard()).pipe(Effect.either)
            expect(Either.isLeft(result) && result.left._tag).toBe("OwnerNotFound")
          }),
        timeout
      )
    }
  )
}
