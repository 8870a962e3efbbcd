/**
 * getOwnerCertificate: one binding and its certificate for callers who may read the owner; which of owner
 * or certificate is missing told apart only to them. Sections: happy, errors, security.
 */
import { Errors, GetOwnerCertificate } from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import {
  admin,
  Corpus,
  card,
  counted,
  createOwners,
  delegate,
  fixture,
  fresh,
  identityStore,
  idp,
  importAs,
  nobody,
  operator,
  reader,
  shared
} from "../support.js"

const get = GetOwnerCertificate.getOwnerCertificate
const MISSING = "00000000-0000-4000-8000-00000000dead"

layer(shared)("getOwnerCertificate", (it) => {
  describe("happy", () => {
    it.effect("answers the binding and its certificate to the administrator, a reader and a delegate", () =>
      fresh(
        Effect.gen(function* () {
          const corpus = yield* Corpus
          yield* createOwners(card(1), identityStore("d-1"), idp("d-1", "a"))
          const [onCard] = yield* importAs(card(1), fixture("ec"), { isKeyHistory: true })
          const [onIdp] = yield* importAs(idp("d-1", "a"), fixture("ec"))
          const id = onCard!.binding.certificateId
          for (const principal of [admin, reader(card(1)), operator(card(1))]) {
            const found = yield* get(principal, { owner: card(1), certificateId: id })
            expect(found.binding).toEqual(onCard!.binding)
            expect(found.binding.isKeyHistory).toBe(true)
            expect(found.certificate.sha256).toBe(corpus.one("ec").sha256)
          }
          const viaStore = yield* get(delegate("d-1"), {
            owner: idp("d-1", "a"),
            certificateId: onIdp!.binding.certificateId
          })
          expect(viaStore.binding.owner).toEqual(idp("d-1", "a"))
        })
      )
    )
  })

  describe("errors", () => {
    it.effect(
      "unknown owner: OwnerNotFound; known owner, unknown id or another owner's id: CertificateNotFound",
      () =>
        fresh(
          Effect.gen(function* () {
            yield* createOwners(card(1), card(2))
            const [onTwo] = yield* importAs(card(2), fixture("ec"))
            expect(yield* get(admin, { owner: card(9), certificateId: MISSING }).pipe(Effect.flip)).toEqual(
              new Errors.OwnerNotFound({ owner: `smartcard:${card(9).id}` })
            )
            for (const certificateId of [MISSING, onTwo!.binding.certificateId]) {
              expect(yield* get(admin, { owner: card(1), certificateId }).pipe(Effect.flip)).toEqual(
                new Errors.CertificateNotFound({ owner: `smartcard:${card(1).id}`, certificateId })
              )
            }
          })
        )
    )

    it.effect("a malformed certificate id is InvalidRequest, without asking the store", () =>
      counted((calls) =>
        Effect.gen(function* () {
          for (const certificateId of ["", "-leading-dash", "has space", "x".repeat(65), "ü"]) {
            const error = yield* get(admin, { owner: card(1), certificateId }).pipe(Effect.flip)
            expect(error._tag).toBe("InvalidRequest")
          }
          expect(calls.size).toBe(0)
        })
      )
    )
  })

  describe("security", () => {
    it.effect(
      "no grant on the owner: the same AccessDenied whether it exists or not, the store untouched",
      () =>
        counted((calls) =>
          Effect.gen(function* () {
            yield* createOwners(card(1))
            calls.clear()
            const outsiders = [nobody, reader(card(2)), operator(card(2)), delegate("d-1")]
            for (const principal of outsiders) {
              const existing = yield* get(principal, { owner: card(1), certificateId: MISSING }).pipe(
                Effect.flip
              )
              const missing = yield* get(principal, { owner: card(9), certificateId: MISSING }).pipe(
                Effect.flip
              )
              // A malformed id changes nothing: the grant is checked first.
              const malformed = yield* get(principal, { owner: card(1), certificateId: "" }).pipe(Effect.flip)
              expect(existing._tag).toBe("AccessDenied")
              expect(missing._tag).toBe("AccessDenied")
              expect(malformed._tag).toBe("AccessDenied")
              expect(missing.message.replace(card(9).id, card(1).id)).toBe(existing.message)
            }
            expect(calls.size).toBe(0)
          })
        )
    )
  })
})
