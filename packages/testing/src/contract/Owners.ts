/**
 * The contract's cases about the owners' life cycle: create, get, update, remove and list, for every owner kind.
 */
import { Errors, Ids, Owner as O } from "@certory/domain"
import { describe, expect } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import {
  type Area,
  byText,
  encodeOwner,
  newIdentityStoreId,
  newIdp,
  newProfile,
  ownerOf,
  uuid
} from "./Support.js"

export const register = ({ it, setup, timeout }: Area): void => {
  describe("owners", () => {
    it.effect(
      "create, get, update and remove round trip",
      () =>
        Effect.gen(function* () {
          const { store, parentOf } = yield* setup
          const ref = newIdp()
          yield* parentOf(ref)
          const created = O.Owner.make({
            ref,
            displayName: "Contoso ADFS",
            metadataUrl: "https://adfs.contoso.example/FederationMetadata/2007-06/FederationMetadata.xml",
            enabled: true,
            createdAt: 1_700_000_000_123,
            createdBy: "admin@contoso"
          })
          yield* store.createOwner(created)
          const got = yield* store.getOwner(ref)
          expect(Option.map(got, encodeOwner)).toEqual(Option.some(encodeOwner(created)))

          const duplicate = yield* store.createOwner(ownerOf(ref)).pipe(Effect.flip)
          expect(duplicate).toEqual(new Errors.OwnerAlreadyExists({ owner: Ids.ownerKey(ref) }))

          const disabled = yield* store.updateOwner(ref, { enabled: false })
          expect(encodeOwner(disabled)).toEqual({ ...encodeOwner(created), enabled: false })
          // An absent field is kept; a field present as undefined is cleared.
          const cleared = yield* store.updateOwner(ref, {
            displayName: undefined,
            metadataUrl: "https://idp.example/m"
          })
          expect(cleared.displayName).toBeUndefined()
          expect(cleared.metadataUrl).toBe("https://idp.example/m")
          expect(cleared.enabled).toBe(false)
          expect(cleared.createdAt).toBe(1_700_000_000_123)
          const reread = yield* store.getOwner(ref)
          expect(Option.map(reread, encodeOwner)).toEqual(Option.some(encodeOwner(cleared)))

          yield* store.removeOwner(ref)
          expect(Option.isNone(yield* store.getOwner(ref))).toBe(true)
        }),
      timeout
    )

    it.effect(
      "unknown owners: get is none, update and remove fail with OwnerNotFound",
      () =>
        Effect.gen(function* () {
          const { store } = yield* setup
          const ref = newProfile()
          expect(Option.isNone(yield* store.getOwner(ref))).toBe(true)
          const update = yield* store.updateOwner(ref, { enabled: false }).pipe(Effect.flip)
          expect(update).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(ref) }))
          const remove = yield* store.removeOwner(ref).pipe(Effect.flip)
          expect(remove).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(ref) }))
        }),
      timeout
    )

    it.effect(
      "every owner kind round trips, and the same id under two kinds is two owners",
      () =>
        Effect.gen(function* () {
          const { store, owner } = yield* setup
          const guid = Schema.decodeSync(Ids.Guid)(uuid())
          const card = yield* owner(Ids.SmartCardRef.make({ id: guid }))
          const profile = yield* owner(Ids.ProfileRef.make({ id: guid }))
          const storeRef = yield* owner(Ids.IdentityStoreRef.make({ id: newIdentityStoreId() }))
          for (const ref of [card, profile, storeRef]) {
            const got = yield* store.getOwner(ref)
            expect(Option.map(got, (o) => Ids.ownerKey(o.ref))).toEqual(Option.some(Ids.ownerKey(ref)))
            expect(Option.map(got, (o) => o.ref._tag)).toEqual(Option.some(ref._tag))
          }
        }),
      timeout
    )

    it.effect(
      "listOwners filters by identity store and kind, pages by key, and counts",
      () =>
        Effect.gen(function* () {
          const { store, owner } = yield* setup
          const storeId = newIdentityStoreId()
          const storeRef = yield* owner(Ids.IdentityStoreRef.make({ id: storeId }))
          const idps: Array<Ids.OwnerRef> = []
          for (let i = 0; i < 5; i++) idps.push(yield* owner(newIdp(storeId)))
          // Another store's IdP must not leak into this store's listing.
          yield* owner(newIdp())
          const expected = [storeRef, ...idps].map(Ids.ownerKey).sort(byText)

          const all = yield* store.listOwners({ identityStoreId: storeId, limit: 100 })
          expect(all.total).toBe(6)
          expect(all.items.map((o) => Ids.ownerKey(o.ref))).toEqual(expected)

          const onlyIdps = yield* store.listOwners({ identityStoreId: storeId, kind: "Idp", limit: 100 })
          expect(onlyIdps.total).toBe(5)
          expect(onlyIdps.items.map((o) => Ids.ownerKey(o.ref))).toEqual(idps.map(Ids.ownerKey).sort(byText))

          const pages: Array<string> = []
          let afterKey: string | undefined
          for (;;) {
            const page = yield* store.listOwners({
              identityStoreId: storeId,
              limit: 4,
              ...(afterKey === undefined ? {} : { afterKey })
            })
            expect(page.total).toBe(6)
            expect(page.items.length).toBeLessThanOrEqual(4)
            pages.push(...page.items.map((o) => Ids.ownerKey(o.ref)))
            if (page.items.length < 4) break
            afterKey = Ids.ownerKey(page.items.at(-1)!.ref)
          }
          expect(pages).toEqual(expected)

          const cards = yield* store.listOwners({ kind: "SmartCard", limit: 1000 })
          expect(cards.items.every((o) => o.ref._tag === "SmartCard")).toBe(true)
          expect(cards.total).toBeGreaterThanOrEqual(cards.items.length)
        }),
      timeout
    )
  })
}
