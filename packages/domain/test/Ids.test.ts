/**
 * Owner references in their canonical text form, and new binding ids.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Random, Schema } from "effect"
import * as Ids from "../src/Ids.js"

const decode = Schema.decodeUnknownEither(Ids.OwnerRefFromString)

describe("Ids", () => {
  it("every owner kind round-trips through its text form; GUIDs are canonicalised", () => {
    for (const text of [
      "smartcard:5badfea3-de31-4837-99f9-8249515a5473",
      "profile:5badfea3-de31-4837-99f9-8249515a5473",
      "identity-store:d-66f1a2b3b80",
      "idp:d-66f1a2b3b80/adfs_1"
    ]) {
      const ref = Either.getOrThrow(decode(text))
      expect(Ids.ownerKey(ref)).toBe(text)
    }
    const braces = Either.getOrThrow(decode("smartcard:{5BADFEA3-DE31-4837-99F9-8249515A5473}"))
    expect(Ids.ownerKey(braces)).toBe("smartcard:5badfea3-de31-4837-99f9-8249515a5473")
  })

  it("malformed references are refused", () => {
    for (const text of [
      "smartcard",
      "smartcard:nope",
      "idp:d-1",
      "idp:d-1/x/y",
      "card:5badfea3-de31-4837-99f9-8249515a5473"
    ]) {
      expect(Either.isLeft(decode(text)), text).toBe(true)
    }
  })

  it("identityStoreOf: the store of a store or an IdP, nothing for cards and profiles", () => {
    const store = Ids.IdentityStoreId.make("d-1")
    expect(Ids.identityStoreOf(Ids.IdpRef.make({ identityStoreId: store, idpId: Ids.IdpId.make("x") }))).toBe(
      "d-1"
    )
    expect(Ids.identityStoreOf(Ids.IdentityStoreRef.make({ id: store }))).toBe("d-1")
    expect(
      Ids.identityStoreOf(Ids.SmartCardRef.make({ id: "5badfea3-de31-4837-99f9-8249515a5473" as Ids.Guid }))
    ).toBe(undefined)
  })

  it.effect("newCertificateId: random UUIDs, valid as CertificateIds, distinct", () =>
    Effect.gen(function* () {
      const ids = yield* Effect.all(Array.from({ length: 200 }, () => Ids.newCertificateId))
      for (const id of ids) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
        expect(Schema.is(Ids.CertificateId)(id)).toBe(true)
      }
      expect(new Set(ids).size).toBe(200)
    })
  )

  it.effect("newCertificateId does not depend on Effect's Random: two runs with the same seed differ", () =>
    // Two CLI processes or Worker isolates may start with the same Random seed; the ids must not repeat.
    Effect.gen(function* () {
      const draw = Effect.all(Array.from({ length: 4 }, () => Ids.newCertificateId)).pipe(
        Effect.withRandom(Random.make(42))
      )
      const first = yield* draw
      const second = yield* draw
      expect(new Set([...first, ...second]).size).toBe(8)
    })
  )
})
