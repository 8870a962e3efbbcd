/**
 * The contract's cases about the owners' life cycle: create, get, update, remove and list, for every owner kind.
 */
import { Errors, Ids, Owner as O } from "@certory/domain"
import { describe, expect } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import {
  type Area,
  attributes,
  byText,
  encodeOwner,
  newCertificateId,
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

    it.effect(
      "an IdP needs its identity store: without it, OwnerNotFound names the store and nothing is stored",
      () =>
        Effect.gen(function* () {
          const { store } = yield* setup
          const idp = newIdp()
          const error = yield* store.createOwner(ownerOf(idp)).pipe(Effect.flip)
          expect(error).toEqual(new Errors.OwnerNotFound({ owner: `identity-store:${idp.identityStoreId}` }))
          expect(Option.isNone(yield* store.getOwner(idp))).toBe(true)
        }),
      timeout
    )

    it.effect(
      "removing an identity store removes its IdPs and their bindings in the same step",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind, findAll } = yield* setup
          const storeId = newIdentityStoreId()
          const storeRef = yield* owner(Ids.IdentityStoreRef.make({ id: storeId }))
          const idps = [yield* owner(newIdp(storeId)), yield* owner(newIdp(storeId))]
          const elsewhere = yield* owner(newIdp())
          const certificate = corpus.one("ed448")
          for (const ref of [storeRef, ...idps, elsewhere]) {
            yield* bind(ref, [{ certificate, attributes: attributes(), certificateId: newCertificateId() }])
          }
          yield* store.removeOwner(storeRef)
          for (const ref of [storeRef, ...idps]) {
            expect(Option.isNone(yield* store.getOwner(ref))).toBe(true)
            const listed = yield* store
              .listBindings({ owner: ref, sort: { field: "notAfter", direction: "asc" }, limit: 10 })
              .pipe(Effect.flip)
            expect(listed).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(ref) }))
          }
          const holders = (yield* findAll("sha256", certificate.sha256)).flatMap((f) =>
            f.bindings.map((b) => Ids.ownerKey(b.owner))
          )
          for (const ref of [storeRef, ...idps]) expect(holders).not.toContain(Ids.ownerKey(ref))
          expect(holders).toContain(Ids.ownerKey(elsewhere))
          expect((yield* store.listOwners({ identityStoreId: storeId, limit: 10 })).total).toBe(0)
        }),
      timeout
    )

    it.effect(
      "an IdP never outlives its identity store when creating it races with removing the store",
      () =>
        Effect.gen(function* () {
          const { store } = yield* setup
          for (let round = 0; round < 20; round++) {
            const storeRef = Ids.IdentityStoreRef.make({ id: newIdentityStoreId() })
            yield* store.createOwner(ownerOf(storeRef))
            const idps = [newIdp(storeRef.id), newIdp(storeRef.id)]
            yield* Effect.all(
              [
                ...idps.map((idp) => Effect.either(store.createOwner(ownerOf(idp)))),
                Effect.either(store.removeOwner(storeRef))
              ],
              { concurrency: "unbounded" }
            )
            expect(Option.isNone(yield* store.getOwner(storeRef))).toBe(true)
            for (const idp of idps) expect(Option.isNone(yield* store.getOwner(idp))).toBe(true)
          }
        }),
      timeout
    )

    it.effect(
      "concurrent creates of one owner: exactly one succeeds, the others are OwnerAlreadyExists",
      () =>
        Effect.gen(function* () {
          const { store } = yield* setup
          const ref = newProfile()
          const results = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) =>
              Effect.either(store.createOwner(ownerOf(ref, 1_700_000_000_000 + i)))
            ),
            { concurrency: "unbounded" }
          )
          expect(results.filter((r) => r._tag === "Right")).toHaveLength(1)
          for (const r of results) {
            if (r._tag === "Left")
              expect(r.left).toEqual(new Errors.OwnerAlreadyExists({ owner: Ids.ownerKey(ref) }))
          }
        }),
      timeout
    )

    it.effect(
      "listOwners with a scope: listed owners and delegated stores (the store and its IdPs) only, paged and counted",
      () =>
        Effect.gen(function* () {
          const { store, owner } = yield* setup
          const storeId = newIdentityStoreId()
          const storeRef = yield* owner(Ids.IdentityStoreRef.make({ id: storeId }))
          const idp = yield* owner(newIdp(storeId))
          const listed = [yield* owner(), yield* owner(newProfile())]
          yield* owner() // not in scope
          yield* owner(newIdp()) // another store's IdP: not in scope
          const scope = { owners: [...listed, newProfile()], identityStoreIds: [storeId] }
          const expected = [storeRef, idp, ...listed].map(Ids.ownerKey).sort(byText)
          const all = yield* store.listOwners({ scope, limit: 100 })
          expect(all.items.map((o) => Ids.ownerKey(o.ref))).toEqual(expected)
          expect(all.total).toBe(4)
          const first = yield* store.listOwners({ scope, limit: 3 })
          const second = yield* store.listOwners({
            scope,
            limit: 3,
            afterKey: Ids.ownerKey(first.items.at(-1)!.ref)
          })
          expect([...first.items, ...second.items].map((o) => Ids.ownerKey(o.ref))).toEqual(expected)
          expect(second.total).toBe(4)
          const idpsOnly = yield* store.listOwners({ scope, kind: "Idp", limit: 100 })
          expect(idpsOnly.items.map((o) => Ids.ownerKey(o.ref))).toEqual([Ids.ownerKey(idp)])
          const none = yield* store.listOwners({ scope: { owners: [], identityStoreIds: [] }, limit: 100 })
          expect(none).toEqual({ items: [], total: 0 })
        }),
      timeout
    )
  })
}
