/**
 * unbindCertificate: external IdPs keep their last certificate that stays valid for the grace period
 * (per the TestClock); other owners may remove anything.
 */
import { DomainConfig, Errors, ListOwnerCertificates, UnbindCertificate } from "@certory/domain"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import {
  admin,
  Corpus,
  card,
  createOwners,
  delegate,
  fixture,
  fresh,
  identityStore,
  idp,
  importAs,
  shared
} from "../support.js"

const U = UnbindCertificate.unbindCertificate
const GRACE = DomainConfig.defaults.validityGraceMillis

layer(shared)("unbindCertificate", (it) => {
  it.effect("an IdP cannot lose its last valid certificate; an expired one can always go", () =>
    fresh(
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const ref = idp("d-s", "x")
        yield* createOwners(identityStore("d-s"), ref)
        const dc = corpus.one("templateName") // 2024-04-19 .. 2025-04-19
        const [current] = yield* importAs(ref, fixture("templateName"))
        const [old] = yield* importAs(ref, fixture("expired"))
        // Valid for the whole grace period (1 hour by default) from now: protected.
        yield* TestClock.setTime(dc.notAfter - GRACE)
        const refused = yield* U(delegate("d-s"), ref, current!.binding.certificateId).pipe(Effect.flip)
        expect(refused).toEqual(
          new Errors.LastValidCertificate({
            owner: "idp:d-s/x",
            certificateId: current!.binding.certificateId
          })
        )
        const removed = yield* U(delegate("d-s"), ref, old!.binding.certificateId)
        expect(removed.certificateId).toBe(old!.binding.certificateId)
        // Expiring within the grace period (1 ms later), it no longer counts as valid: it can go.
        yield* TestClock.setTime(dc.notAfter - GRACE + 1)
        yield* U(delegate("d-s"), ref, current!.binding.certificateId)
        const left = yield* ListOwnerCertificates.listOwnerCertificates(admin, { owner: ref })
        expect(left.total).toBe(0)
      })
    )
  )

  it.effect("a certificate expiring within the grace period is no replacement for the last valid one", () =>
    fresh(
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const ref = idp("d-s", "x")
        yield* createOwners(identityStore("d-s"), ref)
        const ec = corpus.one("ec")
        const dc = corpus.one("templateName")
        const [current] = yield* importAs(ref, fixture("ec"))
        yield* importAs(ref, fixture("templateName"))
        // templateName expires this very millisecond; ec stays valid long after.
        expect(ec.notBefore).toBeLessThan(dc.notAfter)
        expect(ec.notAfter).toBeGreaterThan(dc.notAfter + GRACE)
        yield* TestClock.setTime(dc.notAfter)
        const refused = yield* U(admin, ref, current!.binding.certificateId).pipe(Effect.flip)
        expect(refused).toBeInstanceOf(Errors.LastValidCertificate)
        // With a grace period of 0 (DomainConfig), a certificate valid this millisecond counts again.
        const removed = yield* U(admin, ref, current!.binding.certificateId).pipe(
          Effect.provide(
            Layer.succeed(DomainConfig.DomainConfig, { ...DomainConfig.defaults, validityGraceMillis: 0 })
          )
        )
        expect(removed.certificateId).toBe(current!.binding.certificateId)
      })
    )
  )

  it.effect("rotation: with the next certificate imported, the previous valid one can go", () =>
    fresh(
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const ref = idp("d-s", "x")
        yield* createOwners(identityStore("d-s"), ref)
        const [a] = yield* importAs(ref, fixture("templateName"))
        yield* importAs(ref, fixture("ec"))
        yield* TestClock.setTime(corpus.one("templateName").notBefore)
        const removed = yield* U(admin, ref, a!.binding.certificateId)
        expect(removed.sha256).toBe(corpus.one("templateName").sha256)
      })
    )
  )

  it.effect("a smart card may lose its last certificate; unknown ids are CertificateNotFound", () =>
    fresh(
      Effect.gen(function* () {
        yield* createOwners(card(1))
        const [only] = yield* importAs(card(1), fixture("ec"))
        yield* TestClock.setTime(1_760_000_000_000)
        yield* U(admin, card(1), only!.binding.certificateId)
        const again = yield* U(admin, card(1), only!.binding.certificateId).pipe(Effect.flip)
        expect(again).toBeInstanceOf(Errors.CertificateNotFound)
        const noOwner = yield* U(admin, card(2), only!.binding.certificateId).pipe(Effect.flip)
        expect(noOwner).toBeInstanceOf(Errors.OwnerNotFound)
      })
    )
  )
})
