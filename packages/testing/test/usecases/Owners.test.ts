/**
 * Owner use-cases: create, get, list, update, remove, with the identity-store / IdP rules.
 */
import {
  CreateOwner,
  Errors,
  GetOwner,
  Ids,
  ListOwners,
  Principal as P,
  RemoveOwner,
  UpdateOwner
} from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import {
  admin,
  card,
  counted,
  createOwners,
  delegate,
  fresh,
  identityStore,
  idp,
  operator,
  profile,
  reader,
  shared
} from "../support.js"

layer(shared)("owner use-cases", (it) => {
  describe("happy", () => {
    it.effect("createOwner stamps the clock and the principal; getOwner returns it", () =>
      fresh(
        Effect.gen(function* () {
          yield* TestClock.setTime(1_750_000_000_000)
          const created = yield* CreateOwner.createOwner(admin, {
            ref: card(1),
            displayName: "Alice's card"
          })
          expect(created.createdAt).toBe(1_750_000_000_000)
          expect(created.createdBy).toBe("admin")
          expect(created.enabled).toBe(true)
          const got = yield* GetOwner.getOwner(admin, card(1))
          expect(got.displayName).toBe("Alice's card")
        })
      )
    )

    it.effect("an IdP needs its identity store; a delegate creates IdPs of its store", () =>
      fresh(
        Effect.gen(function* () {
          const missing = yield* CreateOwner.createOwner(admin, { ref: idp("d-store1", "adfs") }).pipe(
            Effect.flip
          )
          expect(missing).toEqual(new Errors.OwnerNotFound({ owner: "identity-store:d-store1" }))
          yield* createOwners(identityStore("d-store1"))
          const created = yield* CreateOwner.createOwner(delegate("d-store1"), {
            ref: idp("d-store1", "adfs"),
            metadataUrl: "https://adfs.example/metadata.xml"
          })
          expect(created.createdBy).toBe("delegate-d-store1")
          expect(created.metadataUrl).toBe("https://adfs.example/metadata.xml")
        })
      )
    )

    it.effect("listOwners pages by cursor with totals; non-administrators see only their owners", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(
            card(1),
            card(2),
            card(3),
            profile(4),
            identityStore("d-a"),
            idp("d-a", "x"),
            identityStore("d-b")
          )
          const first = yield* ListOwners.listOwners(admin, { limit: 3 })
          expect(first.total).toBe(7)
          expect(first.items).toHaveLength(3)
          expect(first.nextCursor).toBeDefined()
          const second = yield* ListOwners.listOwners(admin, { limit: 3, cursor: first.nextCursor! })
          const third = yield* ListOwners.listOwners(admin, { limit: 3, cursor: second.nextCursor! })
          expect(third.nextCursor).toBeUndefined()
          const keys = [...first.items, ...second.items, ...third.items].map((o) => Ids.ownerKey(o.ref))
          expect(keys).toEqual([...keys].sort())
          expect(new Set(keys).size).toBe(7)

          const cards = yield* ListOwners.listOwners(admin, { kind: "SmartCard" })
          expect(cards.total).toBe(3)

          const delegated = yield* ListOwners.listOwners(delegate("d-a"))
          expect(delegated.items.map((o) => Ids.ownerKey(o.ref))).toEqual(["identity-store:d-a", "idp:d-a/x"])
          expect(delegated.total).toBe(2)

          const listed = yield* ListOwners.listOwners(reader(card(2), profile(4), card(99)), { limit: 1 })
          expect(listed.total).toBe(2)
          expect(listed.items.map((o) => Ids.ownerKey(o.ref))).toEqual([Ids.ownerKey(profile(4))])
          const next = yield* ListOwners.listOwners(reader(card(2), profile(4), card(99)), {
            limit: 1,
            cursor: listed.nextCursor!
          })
          expect(next.items.map((o) => Ids.ownerKey(o.ref))).toEqual([Ids.ownerKey(card(2))])
          expect(next.nextCursor).toBeUndefined()
        })
      )
    )

    it.effect("updateOwner disables an IdP and sets its metadata URL", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(identityStore("d-a"), idp("d-a", "x"))
          const updated = yield* UpdateOwner.updateOwner(delegate("d-a"), idp("d-a", "x"), {
            enabled: false,
            metadataUrl: "https://idp.example/m"
          })
          expect(updated.enabled).toBe(false)
          expect(updated.metadataUrl).toBe("https://idp.example/m")
          expect((yield* GetOwner.getOwner(admin, idp("d-a", "x"))).enabled).toBe(false)
        })
      )
    )

    it.effect("removing an identity store removes its IdPs", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(
            identityStore("d-a"),
            idp("d-a", "x"),
            idp("d-a", "y"),
            identityStore("d-b"),
            idp("d-b", "z")
          )
          yield* RemoveOwner.removeOwner(admin, identityStore("d-a"))
          const left = yield* ListOwners.listOwners(admin)
          expect(left.items.map((o) => Ids.ownerKey(o.ref))).toEqual(["identity-store:d-b", "idp:d-b/z"])
        })
      )
    )
  })

  describe("errors", () => {
    it.effect("getOwner, updateOwner and removeOwner of an unknown owner: OwnerNotFound", () =>
      fresh(
        Effect.gen(function* () {
          const notFound = new Errors.OwnerNotFound({ owner: Ids.ownerKey(card(7)) })
          expect(yield* GetOwner.getOwner(admin, card(7)).pipe(Effect.flip)).toEqual(notFound)
          expect(
            yield* UpdateOwner.updateOwner(admin, card(7), { displayName: "x" }).pipe(Effect.flip)
          ).toEqual(notFound)
          expect(yield* RemoveOwner.removeOwner(admin, card(7)).pipe(Effect.flip)).toEqual(notFound)
        })
      )
    )

    it.effect("creating an existing owner: OwnerAlreadyExists; disabling a smart card: InvalidRequest", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          const again = yield* CreateOwner.createOwner(admin, { ref: card(1) }).pipe(Effect.flip)
          expect(again).toEqual(new Errors.OwnerAlreadyExists({ owner: Ids.ownerKey(card(1)) }))
          const disable = yield* UpdateOwner.updateOwner(admin, card(1), { enabled: false }).pipe(Effect.flip)
          expect(disable).toBeInstanceOf(Errors.InvalidRequest)
        })
      )
    )

    it.effect("listOwners: limit out of range is InvalidRequest; a foreign cursor is InvalidCursor", () =>
      fresh(
        Effect.gen(function* () {
          expect(yield* ListOwners.listOwners(admin, { limit: 0 }).pipe(Effect.flip)).toBeInstanceOf(
            Errors.InvalidRequest
          )
          expect(yield* ListOwners.listOwners(admin, { limit: 1001 }).pipe(Effect.flip)).toBeInstanceOf(
            Errors.InvalidRequest
          )
          expect(
            yield* ListOwners.listOwners(admin, { cursor: "not-a-cursor" }).pipe(Effect.flip)
          ).toBeInstanceOf(Errors.InvalidCursor)
        })
      )
    )
  })

  describe("security", () => {
    it.effect("a reader and an operator cannot create or remove owners, even listed ones", () =>
      fresh(
        Effect.gen(function* () {
          yield* createOwners(card(1))
          const denied = yield* RemoveOwner.removeOwner(operator(card(1)), card(1)).pipe(Effect.flip)
          expect(denied).toBeInstanceOf(Errors.AccessDenied)
          const create = yield* CreateOwner.createOwner(reader(card(2)), { ref: card(2) }).pipe(Effect.flip)
          expect(create).toBeInstanceOf(Errors.AccessDenied)
          expect((yield* GetOwner.getOwner(admin, card(1))).ref).toEqual(card(1))
        })
      )
    )

    it.effect("a delegate can neither create nor remove its identity store itself", () =>
      fresh(
        Effect.gen(function* () {
          const create = yield* CreateOwner.createOwner(delegate("d-a"), { ref: identityStore("d-a") }).pipe(
            Effect.flip
          )
          expect(create).toBeInstanceOf(Errors.AccessDenied)
          yield* createOwners(identityStore("d-a"))
          const remove = yield* RemoveOwner.removeOwner(delegate("d-a"), identityStore("d-a")).pipe(
            Effect.flip
          )
          expect(remove).toBeInstanceOf(Errors.AccessDenied)
        })
      )
    )
  })

  describe("hardening", () => {
    it.effect("ensureOwner: eight concurrent calls all succeed; exactly one created the owner", () =>
      fresh(
        Effect.gen(function* () {
          const results = yield* Effect.all(
            Array.from({ length: 8 }, () =>
              CreateOwner.ensureOwner(admin, { ref: card(1), displayName: "c" })
            ),
            { concurrency: "unbounded" }
          )
          expect(results.filter((r) => r.created)).toHaveLength(1)
          expect(new Set(results.map((r) => r.owner.createdAt)).size).toBe(1)
        })
      )
    )

    it.effect("listOwners for a reader of 10,000 owners is one scoped store query, not one per grant", () =>
      counted((calls) =>
        Effect.gen(function* () {
          yield* createOwners(card(1), card(2), card(3))
          const many = P.Principal.make({
            id: "many",
            grants: [P.OwnerReader.make({ owners: Array.from({ length: 10_000 }, (_, i) => card(i + 2)) })]
          })
          calls.clear()
          const page = yield* ListOwners.listOwners(many, { limit: 10 })
          expect(page.items.map((o) => Ids.ownerKey(o.ref))).toEqual([
            Ids.ownerKey(card(2)),
            Ids.ownerKey(card(3))
          ])
          expect(page.total).toBe(2)
          expect(calls.get("listOwners")).toBe(1)
          expect(calls.get("getOwner")).toBeUndefined()
        })
      )
    )
  })
})
