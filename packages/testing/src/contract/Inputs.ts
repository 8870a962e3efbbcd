/**
 * The contract's cases about hostile inputs through the use-cases: values no store can hold (NUL,
 * lone surrogates, integers past their columns, oversized text) and requests that are not what they
 * claim (a bad duration, a forged or foreign cursor) get the same typed answer on every store, and
 * leave nothing behind. PostgreSQL used to answer several of them with internal errors.
 */
import {
  CreateOwner,
  Errors,
  FindCertificates,
  Ids,
  ImportCertificates,
  ListOwnerCertificates,
  ListOwners,
  Principal as P,
  UpdateOwner
} from "@certory/domain"
import { describe, expect } from "@effect/vitest"
import { Effect, Either, Encoding, Option } from "effect"
import { type Area, newIdentityStoreId, newIdp, newSmartCard } from "./Support.js"

const admin = P.Principal.make({ id: "contract-admin", grants: [P.Administrator.make({})] })

export const register = ({ it, setup, timeout }: Area): void => {
  describe("use-case inputs", () => {
    it.effect(
      "values no store can hold are InvalidRequest, and nothing is written",
      () =>
        Effect.gen(function* () {
          const { store, corpus } = yield* setup
          const invalid = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
            effect.pipe(
              Effect.flip,
              Effect.map((error) => {
                // One line that names what is wrong, never a long quote of the input.
                const message = (error as { readonly message?: string }).message ?? ""
                expect(message).not.toContain("\n")
                expect(message.length).toBeLessThan(600)
                return error._tag
              })
            )
          const card = newSmartCard()
          const tooLong = "x".repeat(257)
          for (const displayName of ["NUL\u0000inside", "lone \uD800 surrogate", tooLong]) {
            expect(yield* invalid(CreateOwner.createOwner(admin, { ref: card, displayName }))).toBe(
              "InvalidRequest"
            )
          }
          expect(yield* invalid(CreateOwner.createOwner(admin, { ref: card, enabled: false }))).toBe(
            "InvalidRequest"
          )
          expect(Option.isNone(yield* store.getOwner(card))).toBe(true)

          const storeRef = Ids.IdentityStoreRef.make({ id: newIdentityStoreId() })
          yield* CreateOwner.createOwner(admin, { ref: storeRef })
          const idp = newIdp(storeRef.id)
          for (const metadataUrl of [
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/metadata.xml",
            "http://[::ffff:169.254.169.254]/",
            "http://2852039166/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "ftp://idp.example/metadata.xml",
            "https://user:secret@idp.example/metadata.xml",
            "not a url",
            `https://idp.example/${"a".repeat(2100)}`
          ]) {
            expect(
              yield* invalid(CreateOwner.createOwner(admin, { ref: idp, metadataUrl })),
              metadataUrl
            ).toBe("InvalidRequest")
          }
          expect(Option.isNone(yield* store.getOwner(idp))).toBe(true)
          yield* CreateOwner.createOwner(admin, { ref: idp, metadataUrl: "https://idp.example/metadata.xml" })
          expect(
            yield* invalid(UpdateOwner.updateOwner(admin, idp, { metadataUrl: "http://169.254.169.254/" }))
          ).toBe("InvalidRequest")
          expect(yield* invalid(UpdateOwner.updateOwner(admin, storeRef, { enabled: false }))).toBe(
            "InvalidRequest"
          )

          yield* CreateOwner.createOwner(admin, { ref: card })
          for (const certificateType of [2 ** 32, 2 ** 31, -(2 ** 31) - 1, 1.5, Number.NaN]) {
            expect(
              yield* invalid(
                ImportCertificates.importCertificates(admin, {
                  owner: card,
                  input: corpus.one("ec").der,
                  attributes: { certificateType }
                })
              ),
              String(certificateType)
            ).toBe("InvalidRequest")
          }
          const list = (input: Omit<ListOwnerCertificates.Input, "owner">) =>
            ListOwnerCertificates.listOwnerCertificates(admin, { owner: card, ...input })
          expect((yield* list({})).total).toBe(0)
          expect(yield* invalid(list({ expiringWithin: "30 dayz" }))).toBe("InvalidRequest")
          expect(yield* invalid(list({ expiringWithin: "1e400 days" }))).toBe("InvalidRequest")
          expect(yield* invalid(list({ template: "NUL\u0000" }))).toBe("InvalidRequest")
          expect(yield* invalid(list({ template: "t".repeat(10_000) }))).toBe("InvalidRequest")
          expect(yield* invalid(list({ limit: 1001 }))).toBe("InvalidRequest")
          expect(yield* invalid(FindCertificates.findCertificates(admin, { text: "AB\u0000CD" }))).toBe(
            "InvalidRequest"
          )
          expect(yield* invalid(ListOwners.listOwners(admin, { kind: "Nope" as never }))).toBe(
            "InvalidRequest"
          )
        }),
      timeout
    )

    it.effect(
      "a forged, oversized or foreign cursor is InvalidCursor, never a wrong page",
      () =>
        Effect.gen(function* () {
          const { corpus } = yield* setup
          const a = newSmartCard()
          const b = newSmartCard()
          for (const ref of [a, b]) {
            yield* CreateOwner.createOwner(admin, { ref })
            for (const name of ["ec", "rsa", "ed25519"] as const) {
              yield* ImportCertificates.importCertificates(admin, { owner: ref, input: corpus.one(name).der })
            }
          }
          const page = yield* ListOwnerCertificates.listOwnerCertificates(admin, { owner: a, limit: 1 })
          const cursor = page.nextCursor!
          expect(cursor).toBeDefined()
          const list = (input: Omit<ListOwnerCertificates.Input, "limit">) =>
            ListOwnerCertificates.listOwnerCertificates(admin, { limit: 1, ...input }).pipe(
              Effect.flip,
              Effect.map((error) => error._tag)
            )
          // The same cursor continues its own listing...
          const next = yield* ListOwnerCertificates.listOwnerCertificates(admin, {
            owner: a,
            limit: 1,
            cursor
          })
          expect(next.items).toHaveLength(1)
          // ...and nothing else.
          expect(yield* list({ owner: b, cursor })).toBe("InvalidCursor")
          expect(yield* list({ owner: a, cursor, validity: "valid" })).toBe("InvalidCursor")
          expect(yield* list({ owner: a, cursor, sort: { field: "subject", direction: "asc" } })).toBe(
            "InvalidCursor"
          )
          const forged = Encoding.encodeBase64Url(
            JSON.stringify({
              ...JSON.parse(Either.getOrThrow(Encoding.decodeBase64UrlString(cursor))),
              v: 2 ** 60
            })
          )
          expect(yield* list({ owner: a, cursor: forged })).toBe("InvalidCursor")
          expect(yield* list({ owner: a, cursor: "A".repeat(100_000) })).toBe("InvalidCursor")
          const error = yield* ListOwnerCertificates.listOwnerCertificates(admin, {
            owner: a,
            cursor: forged
          }).pipe(Effect.flip)
          expect(error).toBeInstanceOf(Errors.InvalidCursor)
          expect(error.message).not.toContain(forged)
        }),
      timeout
    )
  })
}
