/**
 * importCertificateBatch: input by input the same outcome as importCertificates called for each in turn
 * (checked against that, on another owner of the same store), with the accepted inputs bound in as few
 * store writes as maxImportCertificates allows; an IdP's inputs one by one against its limit; a failure
 * about the owner fails the batch.
 */
import {
  CertificateStore,
  DomainConfig,
  Errors,
  ImportCertificates,
  ListOwnerCertificates
} from "@certory/domain"
import { expect, layer } from "@effect/vitest"
import { Effect, Either, Layer, Ref } from "effect"
import { admin, card, createOwners, fixture, fresh, identityStore, idp, nobody, shared } from "../support.js"

const batch = ImportCertificates.importCertificateBatch

/** Runs `effect` with the store's bind calls counted. */
const countingBinds = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const binds = yield* Ref.make(0)
    const result = yield* Effect.updateService(effect, CertificateStore.CertificateStore, (store) => ({
      ...store,
      bind: (request) =>
        Effect.zipRight(
          Ref.update(binds, (n) => n + 1),
          store.bind(request)
        )
    }))
    return { result, binds: yield* Ref.get(binds) }
  })

/** What a test compares: the refusal's tag, or each certificate's outcome and SHA-256. */
const shape = (
  outcome: Either.Either<ReadonlyArray<ImportCertificates.Imported>, { readonly _tag: string }>
) =>
  Either.match(outcome, {
    onLeft: (error) => error._tag,
    onRight: (imported) => imported.map((one) => `${one.outcome} ${one.certificate.sha256}`)
  })

const ec = fixture("ec") as string
const broken = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"

layer(shared)("importCertificateBatch", (it) => {
  it.effect("reports each input as importing them one by one does, in one store write", () =>
    fresh(
      Effect.gen(function* () {
        yield* createOwners(card(1), card(2))
        // Already bound before the batch: reported as such.
        yield* ImportCertificates.importCertificates(admin, {
          owner: card(1),
          input: fixture("templateName")
        })
        yield* ImportCertificates.importCertificates(admin, {
          owner: card(2),
          input: fixture("templateName")
        })
        const inputs = [
          ec,
          fixture("chain"),
          broken,
          ec, // the same certificate as the first input: already bound by then
          `${fixture("rsa") as string}${fixture("rsa") as string}`, // the chain's first, twice in one input
          fixture("adcsUserDer"),
          fixture("templateName"),
          "",
          `${fixture("ed25519") as string}${fixture("chain") as string}` // new, then two bound earlier
        ]
        const oneByOne = yield* Effect.forEach(inputs, (input) =>
          Effect.either(ImportCertificates.importCertificates(admin, { owner: card(1), input }))
        )
        const { result, binds } = yield* countingBinds(batch(admin, { owner: card(2), inputs }))
        expect(result.map(shape)).toEqual(oneByOne.map(shape))
        expect(result.map(shape)[2]).toBe("InvalidCertificate")
        expect(result.map(shape)[3]).toEqual([
          `alreadyBound ${Either.getOrThrow(oneByOne[0]!)[0]!.certificate.sha256}`
        ])
        expect(binds).toBe(1)
        // The same bindings in the end, with the attributes the surface sets.
        const listed = yield* Effect.forEach([card(1), card(2)], (owner) =>
          ListOwnerCertificates.listOwnerCertificates(admin, { owner, limit: 100 })
        )
        expect(listed[1]!.items.map((item) => item.certificate.sha256).sort()).toEqual(
          listed[0]!.items.map((item) => item.certificate.sha256).sort()
        )
        // templateName, ec, the chain's two (the first is rsa), adcsUserDer, ed25519.
        expect(listed[1]!.total).toBe(6)
      })
    )
  )

  it.effect("splits its writes at maxImportCertificates; an input over it alone is refused", () =>
    fresh(
      Effect.gen(function* () {
        yield* createOwners(card(1))
        const inputs = [
          fixture("chain"),
          ec,
          fixture("rsa"),
          `${fixture("chain") as string}${ec}`,
          fixture("ed25519")
        ]
        const { result, binds } = yield* countingBinds(batch(admin, { owner: card(1), inputs }))
        expect(result.map((outcome) => Either.isRight(outcome))).toEqual([true, true, true, false, true])
        expect(Either.getLeft(result[3]!).pipe((left) => left._tag === "Some" && left.value._tag)).toBe(
          "InvalidRequest"
        )
        // chain (2) | ec + rsa (2) | ed25519: three writes of at most two certificates.
        expect(binds).toBe(3)
      }).pipe(
        Effect.provide(
          Layer.succeed(DomainConfig.DomainConfig, { ...DomainConfig.defaults, maxImportCertificates: 2 })
        )
      )
    )
  )

  it.effect("an IdP's inputs go one by one: the one past its limit is refused, the others bound", () =>
    fresh(
      Effect.gen(function* () {
        const ref = idp("d-store", "adfs")
        yield* createOwners(identityStore("d-store"), ref)
        const result = yield* batch(admin, {
          owner: ref,
          inputs: [ec, fixture("templateName"), fixture("ed25519"), ec]
        })
        expect(result.map((outcome) => Either.isRight(outcome))).toEqual([true, true, false, true])
        expect(Either.getLeft(result[2]!)).toEqual(
          Either.getLeft(
            Either.left(new Errors.CertificateLimitReached({ owner: "idp:d-store/adfs", limit: 2 }))
          )
        )
        expect(shape(result[3]!)).toEqual([
          `alreadyBound ${Either.getOrThrow(result[0]!)[0]!.certificate.sha256}`
        ])
      })
    )
  )

  it.effect(
    "a missing owner, a principal without the right or an IdP's non-signing use fails the whole batch",
    () =>
      fresh(
        Effect.gen(function* () {
          const missing = yield* batch(admin, { owner: card(9), inputs: [ec] }).pipe(Effect.flip)
          expect(missing).toBeInstanceOf(Errors.OwnerNotFound)
          yield* createOwners(card(1))
          const denied = yield* batch(nobody, { owner: card(1), inputs: [ec] }).pipe(Effect.flip)
          expect(denied).toBeInstanceOf(Errors.AccessDenied)
          const missingIdp = yield* batch(admin, { owner: idp("d-store", "gone"), inputs: [ec] }).pipe(
            Effect.flip
          )
          expect(missingIdp).toBeInstanceOf(Errors.OwnerNotFound)
          // An IdP holds signing certificates only: the batch's attributes are refused, not each input.
          yield* createOwners(identityStore("d-store"), idp("d-store", "adfs"))
          const encryption = yield* batch(admin, {
            owner: idp("d-store", "adfs"),
            inputs: [ec, fixture("rsa")],
            attributes: { use: "encryption" }
          }).pipe(Effect.flip)
          expect(encryption).toBeInstanceOf(Errors.InvalidRequest)
        })
      )
  )
})
