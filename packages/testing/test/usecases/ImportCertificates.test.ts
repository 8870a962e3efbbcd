/**
 * importCertificates: every input encoding, duplicates reported, attributes applied to new bindings
 * only, all-or-nothing, and the external-IdP rules (signing only, at most maxIdpCertificates).
 */
import { DomainConfig, Errors, Ids, ImportCertificates, ListOwnerCertificates } from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import {
  admin,
  Corpus,
  card,
  createOwners,
  fixture,
  fresh,
  identityStore,
  idp,
  importAs,
  operator,
  shared
} from "../support.js"

const I = ImportCertificates.importCertificates
const count = (owner: Ids.OwnerRef) =>
  ListOwnerCertificates.listOwnerCertificates(admin, { owner }).pipe(Effect.map((p) => p.total))

layer(shared)("importCertificates", (it) => {
  describe("happy", () => {
    it.effect("PEM, DER, PKCS#7 and multi-PEM inputs bind every certificate", () =>
      fresh(
        Effect.gen(function* () {
          const corpus = yield* Corpus
          yield* createOwners(card(1), card(2), card(3))
          yield* TestClock.setTime(1_760_000_000_000)
          const pem = yield* I(operator(card(1)), { owner: card(1), input: fixture("ec") })
          expect(pem.map((r) => r.outcome)).toEqual(["created"])
          expect(pem[0]!.binding.boundBy).toBe("operator")
          expect(pem[0]!.binding.boundAt).toBe(1_760_000_000_000)
          expect(pem[0]!.certificate.sha256).toBe(corpus.one("ec").sha256)

          const der = yield* I(admin, { owner: card(1), input: fixture("adcsUserDer") })
          expect(der[0]!.certificate.sha256).toBe(corpus.one("adcsUserDer").sha256)

          const pkcs7 = yield* I(admin, { owner: card(2), input: fixture("pkcs7") })
          expect(pkcs7.map((r) => r.certificate.sha256).sort()).toEqual(
            corpus
              .all("chain")
              .map((c) => c.sha256)
              .sort()
          )
          expect(pkcs7.map((r) => r.outcome)).toEqual(["created", "created"])

          const chain = yield* I(admin, { owner: card(3), input: fixture("chain") })
          expect(chain.map((r) => r.certificate.sha256)).toEqual(corpus.all("chain").map((c) => c.sha256))
          expect(yield* count(card(3))).toBe(2)
        })
      )
    )

    it.effect("a version 4 certificate (read by the parser, with a warning) is imported as version 4", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          const [imported] = yield* I(admin, { owner: card(1), input: fixture("v4") })
          expect(imported!.outcome).toBe("created")
          expect(imported!.certificate.version).toBe(4)
          const page = yield* ListOwnerCertificates.listOwnerCertificates(admin, { owner: card(1) })
          expect(page.items.map((item) => item.certificate.version)).toEqual([4])
        })
      )
    )

    it.effect("duplicates within the input and already-bound certificates are reported as such", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          const first = yield* importAs(card(1), fixture("rsa"))
          const input = `${fixture("chain") as string}\n${fixture("ec") as string}\n${fixture("ec") as string}`
          const results = yield* importAs(card(1), input)
          // chain = [rsa (already bound), intermediate], then ec twice.
          expect(results.map((r) => r.outcome)).toEqual([
            "alreadyBound",
            "created",
            "created",
            "duplicateInInput"
          ])
          expect(results[0]!.binding.certificateId).toBe(first[0]!.binding.certificateId)
          expect(results[3]!.binding.certificateId).toBe(results[2]!.binding.certificateId)
          expect(yield* count(card(1))).toBe(3)
        })
      )
    )

    it.effect("attributes apply to new bindings, not to existing ones", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          yield* importAs(card(1), fixture("ec"))
          const results = yield* importAs(
            card(1),
            `${fixture("ec") as string}${fixture("templateName") as string}`,
            {
              isKeyHistory: true,
              archivedOnCa: true,
              certificateType: 7
            },
            { origin: "native", source: "file" }
          )
          expect(results[0]!.outcome).toBe("alreadyBound")
          expect(results[0]!.binding.isKeyHistory).toBe(false)
          expect(results[1]!.outcome).toBe("created")
          expect(results[1]!.binding).toMatchObject({
            isKeyHistory: true,
            archivedOnCa: true,
            certificateType: 7,
            source: "file",
            origin: "native",
            use: "signing"
          })
        })
      )
    )
  })

  describe("external IdPs", () => {
    it.effect("hold at most 2 certificates by default; the refused import binds nothing", () =>
      fresh(
        Effect.gen(function* () {
          const ref = idp("d-store", "adfs")
          yield* createOwners(identityStore("d-store"), ref)
          const three = `${fixture("ec") as string}${fixture("templateName") as string}${fixture("ed25519") as string}`
          const refused = yield* I(admin, { owner: ref, input: three }).pipe(Effect.flip)
          expect(refused).toEqual(new Errors.CertificateLimitReached({ owner: "idp:d-store/adfs", limit: 2 }))
          expect(yield* count(ref)).toBe(0)
          yield* I(admin, { owner: ref, input: fixture("ec") })
          yield* I(admin, { owner: ref, input: fixture("templateName") })
          expect(yield* I(admin, { owner: ref, input: fixture("ed25519") }).pipe(Effect.flip)).toBeInstanceOf(
            Errors.CertificateLimitReached
          )
          // Re-importing a held one is still fine.
          const again = yield* I(admin, { owner: ref, input: fixture("ec") })
          expect(again[0]!.outcome).toBe("alreadyBound")
          // Smart cards have no such limit.
          yield* createOwners(card(1))
          yield* I(admin, { owner: card(1), input: three })
          expect(yield* count(card(1))).toBe(3)
        })
      )
    )

    it.effect("the limit comes from DomainConfig", () =>
      fresh(
        Effect.gen(function* () {
          const ref = idp("d-store", "adfs")
          yield* createOwners(identityStore("d-store"), ref)
          const three = `${fixture("ec") as string}${fixture("templateName") as string}${fixture("ed25519") as string}`
          const results = yield* I(admin, { owner: ref, input: three })
          expect(results).toHaveLength(3)
          expect(yield* I(admin, { owner: ref, input: fixture("ed448") }).pipe(Effect.flip)).toEqual(
            new Errors.CertificateLimitReached({ owner: "idp:d-store/adfs", limit: 3 })
          )
        }).pipe(
          Effect.provide(
            Layer.succeed(DomainConfig.DomainConfig, { ...DomainConfig.defaults, maxIdpCertificates: 3 })
          )
        )
      )
    )

    it.effect(
      "one import carries at most DomainConfig.maxImportCertificates certificates; beyond, none is bound",
      () =>
        fresh(
          Effect.gen(function* () {
            yield* createOwners(card(1))
            const error = yield* I(admin, { owner: card(1), input: fixture("chain") }).pipe(Effect.flip)
            expect(error).toBeInstanceOf(Errors.InvalidRequest)
            expect(error.message).toContain("at most 1")
            const listed = yield* ListOwnerCertificates.listOwnerCertificates(admin, { owner: card(1) })
            expect(listed.total).toBe(0)
          }).pipe(
            Effect.provide(
              Layer.succeed(DomainConfig.DomainConfig, { ...DomainConfig.defaults, maxImportCertificates: 1 })
            )
          )
        )
    )

    it.effect("the caller cannot set where a binding came from: origin and source are the surface's", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          const [result] = yield* I(admin, {
            owner: card(1),
            input: fixture("ec"),
            // What a hostile API body might add: ignored, the schema has no such fields.
            attributes: { source: "metadata", origin: "external" } as never
          })
          expect(result!.binding).toMatchObject({ source: "upload", origin: "native" })
        })
      )
    )

    it.effect("only signing certificates", () =>
      fresh(
        Effect.gen(function* () {
          const ref = idp("d-store", "adfs")
          yield* createOwners(identityStore("d-store"), ref)
          const refused = yield* I(admin, {
            owner: ref,
            input: fixture("ec"),
            attributes: { use: "encryption" }
          }).pipe(Effect.flip)
          expect(refused).toBeInstanceOf(Errors.InvalidRequest)
          expect(yield* count(ref)).toBe(0)
          const signing = yield* I(admin, {
            owner: ref,
            input: fixture("ec"),
            attributes: { use: "signing" }
          })
          expect(signing[0]!.binding.use).toBe("signing")
        })
      )
    )
  })

  describe("errors", () => {
    it.effect("input that is not a certificate fails whole with InvalidCertificate; nothing is bound", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          const broken = `${fixture("ec") as string}-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n`
          const error = yield* importAs(card(1), broken).pipe(Effect.flip)
          expect(error).toBeInstanceOf(Errors.InvalidCertificate)
          expect((error as Errors.InvalidCertificate).block).toBe(2)
          expect(yield* count(card(1))).toBe(0)
          expect(yield* importAs(card(1), "").pipe(Effect.flip)).toBeInstanceOf(Errors.InvalidCertificate)
          expect(
            yield* importAs(card(1), new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])).pipe(Effect.flip)
          ).toBeInstanceOf(Errors.InvalidCertificate)
        })
      )
    )

    it.effect("an unknown owner is OwnerNotFound, before the input is even parsed", () =>
      fresh(
        Effect.gen(function* () {
          const error = yield* importAs(card(5), "garbage").pipe(Effect.flip)
          expect(error).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(card(5)) }))
        })
      )
    )

    it.effect("invalid attributes are InvalidRequest", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          const error = yield* importAs(card(1), fixture("ec"), { certificateType: 1.5 }).pipe(Effect.flip)
          expect(error).toBeInstanceOf(Errors.InvalidRequest)
          expect(yield* count(card(1))).toBe(0)
        })
      )
    )
  })
})
