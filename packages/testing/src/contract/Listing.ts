/**
 * The contract's cases about one owner's listing (sort, keyset pages, filters, totals) and the expiry scan across owners, whole or scoped.
 */
import { Certificate as C, Errors, Ids, CertificateStore as Store } from "@certory/domain"
import { describe, expect } from "@effect/vitest"
import { Effect } from "effect"
import {
  type Area,
  attributes,
  ids,
  item,
  newIdentityStoreId,
  newIdp,
  newProfile,
  newSmartCard,
  referenceOrder
} from "./Support.js"

export const register = ({ it, setup, timeout }: Area): void => {
  describe("listing", () => {
    const sortCases: ReadonlyArray<readonly [Store.SortField, Store.SortDirection]> = (
      ["notAfter", "notBefore", "boundAt", "subject"] as const
    ).flatMap((field) => (["asc", "desc"] as const).map((direction) => [field, direction] as const))

    /** One owner holding all 62 CA certificates, bound in batches of 5 so boundAt has ties too. */
    const populated = Effect.gen(function* () {
      const env = yield* setup
      const ref = yield* env.owner()
      const { cacerts } = env.corpus
      for (let i = 0; i < cacerts.length; i += 5) {
        yield* env.bind(
          ref,
          cacerts.slice(i, i + 5).map((c) => item(c)),
          { boundAt: 1_600_000_000_000 + Math.floor(i / 10) }
        )
      }
      return { ...env, ref }
    })

    for (const [field, direction] of sortCases) {
      it.effect(
        `sorts by ${field} ${direction}, ties broken by certificateId, and pages through it exactly`,
        () =>
          Effect.gen(function* () {
            const { store, ref } = yield* populated
            const sort = { field, direction }
            const full = yield* store.listBindings({ owner: ref, sort, limit: 1000 })
            expect(full.total).toBe(62)
            const expected = [...full.items].sort(referenceOrder(field, direction))
            expect(ids(full.items)).toEqual(ids(expected))
            // The data really has ties on this field (else the tie-break is untested).
            const values = full.items.map((i) => Store.sortValue(i, field))
            expect(new Set(values).size).toBeLessThan(values.length)

            const paged: Array<C.OwnerCertificate> = []
            let after: Store.After | undefined
            for (;;) {
              const page = yield* store.listBindings({
                owner: ref,
                sort,
                limit: 7,
                ...(after === undefined ? {} : { after })
              })
              expect(page.total).toBe(62)
              paged.push(...page.items)
              if (page.items.length < 7) break
              const last = page.items.at(-1)!
              after = { value: Store.sortValue(last, field), certificateId: last.binding.certificateId }
            }
            expect(ids(paged)).toEqual(ids(full.items))
          }),
        timeout
      )
    }

    it.effect(
      "keyset pagination is stable while inserts happen: nothing present at the start repeats or is skipped",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind } = yield* setup
          const ref = yield* owner()
          const [initial, later] = [corpus.cacerts.slice(0, 40), corpus.cacerts.slice(40)]
          yield* bind(
            ref,
            initial.map((c) => item(c)),
            { boundAt: 100 }
          )
          for (const direction of ["asc", "desc"] as const) {
            const sort = { field: "notAfter" as const, direction }
            const seen: Array<C.OwnerCertificate> = []
            let after: Store.After | undefined
            let pending = direction === "asc" ? later.slice(0, 11) : later.slice(11)
            for (;;) {
              const page = yield* store.listBindings({
                owner: ref,
                sort,
                limit: 6,
                ...(after === undefined ? {} : { after })
              })
              seen.push(...page.items)
              if (page.items.length < 6) break
              const last = page.items.at(-1)!
              after = { value: last.certificate.notAfter, certificateId: last.binding.certificateId }
              // Insert between pages: some sort before the cursor, some after it.
              if (pending.length > 0) {
                yield* bind(
                  ref,
                  pending.slice(0, 2).map((c) => item(c)),
                  { boundAt: 200 }
                )
                pending = pending.slice(2)
              }
            }
            const seenHashes = seen.map((i) => i.certificate.sha256)
            expect(new Set(seenHashes).size).toBe(seenHashes.length)
            for (const c of initial) expect(seenHashes).toContain(c.sha256)
            // What was returned is in order: the keyset never goes backwards.
            expect(ids(seen)).toEqual(ids([...seen].sort(referenceOrder("notAfter", direction))))
          }
        }),
      timeout
    )

    it.effect(
      "notBefore / notAfter bounds are inclusive to the millisecond",
      () =>
        Effect.gen(function* () {
          const { corpus, owner, bind, listAll } = yield* setup
          const ref = yield* owner()
          const target = corpus.one("templateName")
          yield* bind(ref, [item(target), item(corpus.one("ec")), item(corpus.one("expired"))])
          const has = (query: Partial<Store.BindingQuery>) =>
            listAll(ref, query).pipe(
              Effect.map((s) => s.items.some((i) => i.certificate.sha256 === target.sha256))
            )
          const nb = target.notBefore
          const na = target.notAfter
          expect(yield* has({ notBeforeMin: nb })).toBe(true)
          expect(yield* has({ notBeforeMin: nb + 1 })).toBe(false)
          expect(yield* has({ notBeforeMin: nb - 1 })).toBe(true)
          expect(yield* has({ notBeforeMax: nb })).toBe(true)
          expect(yield* has({ notBeforeMax: nb - 1 })).toBe(false)
          expect(yield* has({ notBeforeMax: nb + 1 })).toBe(true)
          expect(yield* has({ notAfterMin: na })).toBe(true)
          expect(yield* has({ notAfterMin: na + 1 })).toBe(false)
          expect(yield* has({ notAfterMin: na - 1 })).toBe(true)
          expect(yield* has({ notAfterMax: na })).toBe(true)
          expect(yield* has({ notAfterMax: na - 1 })).toBe(false)
          expect(yield* has({ notAfterMax: na + 1 })).toBe(true)
          // Exactly one instant: [nb, nb] and [na, na].
          expect(yield* has({ notBeforeMin: nb, notBeforeMax: nb, notAfterMin: na, notAfterMax: na })).toBe(
            true
          )
          const exact = yield* listAll(ref, { notBeforeMin: nb, notBeforeMax: nb })
          expect(exact.total).toBe(1)
          // Valid at an instant: notBefore <= t <= notAfter.
          const validAt = (t: number) =>
            listAll(ref, { notBeforeMax: t, notAfterMin: t }).pipe(
              Effect.map((s) => s.items.map((i) => i.certificate.sha256).sort())
            )
          const expectedAt = (t: number) =>
            [target, corpus.one("ec"), corpus.one("expired")]
              .filter((c) => C.validityAt(c, t) === "valid")
              .map((c) => c.sha256)
              .sort()
          for (const t of [nb - 1, nb, na, na + 1]) expect(yield* validAt(t)).toEqual(expectedAt(t))
        }),
      timeout
    )

    it.effect(
      "isKeyHistory, archivedOnCa and template filters, with totals",
      () =>
        Effect.gen(function* () {
          const { corpus, owner, bind, listAll } = yield* setup
          const ref = yield* owner()
          const templateName = corpus.one("templateName")
          const templateOid = corpus.one("templateOid")
          const adcsUser = corpus.one("adcsUserDer")
          yield* bind(ref, [
            item(templateName, attributes({ isKeyHistory: true, archivedOnCa: true })),
            item(templateOid, attributes({ isKeyHistory: true })),
            item(adcsUser, attributes({ archivedOnCa: true })),
            item(corpus.one("ec")),
            item(corpus.one("ed25519"))
          ])
          const hashes = (query: Partial<Store.BindingQuery>) =>
            listAll(ref, query).pipe(
              Effect.tap((s) => expect(s.total).toBe(s.items.length)),
              Effect.map((s) => s.items.map((i) => i.certificate.sha256).sort())
            )
          const sorted = (...cs: ReadonlyArray<C.Certificate>) => cs.map((c) => c.sha256).sort()
          expect(yield* hashes({ isKeyHistory: true })).toEqual(sorted(templateName, templateOid))
          expect(yield* hashes({ isKeyHistory: false })).toEqual(
            sorted(adcsUser, corpus.one("ec"), corpus.one("ed25519"))
          )
          expect(yield* hashes({ archivedOnCa: true })).toEqual(sorted(templateName, adcsUser))
          expect(yield* hashes({ archivedOnCa: true, isKeyHistory: true })).toEqual(sorted(templateName))
          expect(yield* hashes({ template: "DomainController" })).toEqual(sorted(templateName))
          expect(yield* hashes({ template: "1.2.3.4.5.6.7.8.9.0" })).toEqual(sorted(templateOid))
          expect(adcsUser.template?.oid).toBeDefined()
          expect(yield* hashes({ template: adcsUser.template!.oid! })).toEqual(sorted(adcsUser))
          expect(yield* hashes({ template: "domaincontroller" })).toEqual([])
          expect(yield* hashes({ template: "1.2.3.4.5.6.7.8.9" })).toEqual([])
        }),
      timeout
    )

    it.effect(
      "total counts every match whatever the limit and cursor; listBindings of an unknown owner fails",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind } = yield* setup
          const ref = yield* owner()
          yield* bind(
            ref,
            corpus.cacerts.slice(0, 12).map((c) => item(c))
          )
          const sort = { field: "notBefore" as const, direction: "asc" as const }
          const first = yield* store.listBindings({ owner: ref, sort, limit: 5 })
          expect(first.items).toHaveLength(5)
          expect(first.total).toBe(12)
          const last = first.items.at(-1)!
          const second = yield* store.listBindings({
            owner: ref,
            sort,
            limit: 100,
            after: { value: last.certificate.notBefore, certificateId: last.binding.certificateId }
          })
          expect(second.items).toHaveLength(7)
          expect(second.total).toBe(12)
          const empty = yield* store.listBindings({ owner: yield* owner(), sort, limit: 10 })
          expect(empty).toEqual({ items: [], total: 0 })
          const unknown = newSmartCard()
          const error = yield* store.listBindings({ owner: unknown, sort, limit: 10 }).pipe(Effect.flip)
          expect(error).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(unknown) }))
        }),
      timeout
    )

    it.effect(
      "listExpiring: across owners, inclusive window, valid-at filter, ordered by (notAfter, id), keyset pages",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind } = yield* setup
          const a = yield* owner()
          const b = yield* owner(newIdp())
          const mine = new Set([Ids.ownerKey(a), Ids.ownerKey(b)])
          const dc = corpus.one("templateName") // 2024-04-19 .. 2025-04-19
          const notYet = corpus.one("notYetValid") // 2027-03-21 .. 2027-06-20
          const ms = corpus.one("adcsSerial") // 2026-03-10 .. 2026-09-06
          yield* bind(a, [item(dc), item(notYet), item(ms)])
          yield* bind(b, [item(ms), item(corpus.one("ec"))])

          const window = { notAfterMin: dc.notAfter, notAfterMax: notYet.notAfter }
          const collect = (query: Omit<Store.ExpiringQuery, "limit" | "after">, limit: number) =>
            Effect.gen(function* () {
              const items: Array<C.OwnerCertificate> = []
              let after: Store.ExpiringQuery["after"]
              let total = -1
              for (;;) {
                const page = yield* store.listExpiring({
                  ...query,
                  limit,
                  ...(after === undefined ? {} : { after })
                })
                if (total === -1) total = page.total
                expect(page.total).toBe(total)
                items.push(...page.items)
                if (page.items.length < limit) break
                const last = page.items.at(-1)!
                after = { value: last.certificate.notAfter, certificateId: last.binding.certificateId }
              }
              return { items, total }
            })
          const all = yield* collect(window, 1000)
          expect(all.total).toBe(all.items.length)
          expect(ids(all.items)).toEqual(ids([...all.items].sort(referenceOrder("notAfter", "asc"))))
          for (const i of all.items) {
            expect(i.certificate.notAfter).toBeGreaterThanOrEqual(window.notAfterMin)
            expect(i.certificate.notAfter).toBeLessThanOrEqual(window.notAfterMax)
          }
          const ofMine = (items: ReadonlyArray<C.OwnerCertificate>) =>
            items
              .filter((i) => mine.has(Ids.ownerKey(i.binding.owner)))
              .map((i) => `${Ids.ownerKey(i.binding.owner)} ${i.certificate.sha256}`)
              .sort()
          const key = (ref: Ids.OwnerRef, c: C.Certificate) => `${Ids.ownerKey(ref)} ${c.sha256}`
          expect(ofMine(all.items)).toEqual([key(a, dc), key(a, notYet), key(a, ms), key(b, ms)].sort())
          const paged = yield* collect(window, 2)
          expect(ids(paged.items)).toEqual(ids(all.items))

          // Bounds are inclusive, and notBeforeMax keeps only certificates already valid then.
          const narrow = yield* collect(
            { notAfterMin: dc.notAfter + 1, notAfterMax: notYet.notAfter - 1 },
            1000
          )
          expect(ofMine(narrow.items)).toEqual([key(a, ms), key(b, ms)].sort())
          const validThen = yield* collect({ ...window, notBeforeMax: ms.notBefore }, 1000)
          expect(ofMine(validThen.items)).toEqual([key(a, dc), key(a, ms), key(b, ms)].sort())
          const before = yield* collect({ ...window, notBeforeMax: ms.notBefore - 1 }, 1000)
          expect(ofMine(before.items)).toEqual([key(a, dc)])
          const openMin = yield* collect({ notAfterMax: dc.notAfter }, 1000)
          expect(ofMine(openMin.items)).toEqual([key(a, dc)])
        }),
      timeout
    )

    it.effect(
      "listExpiring with a scope: listed owners and identity stores (the store and its IdPs), items and total",
      () =>
        Effect.gen(function* () {
          const { store, corpus, owner, bind } = yield* setup
          const storeId = newIdentityStoreId()
          const otherStoreId = newIdentityStoreId()
          const card = yield* owner()
          const profile = yield* owner(newProfile())
          const storeOwner = yield* owner(Ids.IdentityStoreRef.make({ id: storeId }))
          const idp1 = yield* owner(newIdp(storeId))
          const idp2 = yield* owner(newIdp(storeId))
          const otherStoreOwner = yield* owner(Ids.IdentityStoreRef.make({ id: otherStoreId }))
          const otherIdp = yield* owner(newIdp(otherStoreId))
          const outsider = yield* owner()
          const dc = corpus.one("templateName")
          const ms = corpus.one("adcsSerial")
          const ec = corpus.one("ec")
          const held: ReadonlyArray<readonly [Ids.OwnerRef, ReadonlyArray<C.Certificate>]> = [
            [card, [dc, ms]],
            [profile, [ec]],
            [storeOwner, [ms]],
            [idp1, [dc, ec]],
            [idp2, [ms]],
            [otherStoreOwner, [dc]],
            [otherIdp, [ec]],
            [outsider, [dc, ms, ec]]
          ]
          for (const [ref, certificates] of held)
            yield* bind(
              ref,
              certificates.map((c) => item(c))
            )
          const window = {
            notAfterMin: Math.min(dc.notAfter, ms.notAfter, ec.notAfter),
            notAfterMax: Math.max(dc.notAfter, ms.notAfter, ec.notAfter)
          }
          const expected = (refs: ReadonlyArray<Ids.OwnerRef>) =>
            held
              .filter(([ref]) => refs.some((r) => Ids.ownerKey(r) === Ids.ownerKey(ref)))
              .flatMap(([ref, certificates]) => certificates.map((c) => `${Ids.ownerKey(ref)} ${c.sha256}`))
              .sort()
          const listed = (items: ReadonlyArray<C.OwnerCertificate>) =>
            items.map((i) => `${Ids.ownerKey(i.binding.owner)} ${i.certificate.sha256}`).sort()
          const check = (scope: Store.OwnerScope, refs: ReadonlyArray<Ids.OwnerRef>) =>
            Effect.gen(function* () {
              const all = yield* store.listExpiring({ ...window, scope, limit: 1000 })
              expect(listed(all.items)).toEqual(expected(refs))
              expect(all.total).toBe(all.items.length)
              expect(ids(all.items)).toEqual(ids([...all.items].sort(referenceOrder("notAfter", "asc"))))
              // Keyset pages of one keep the scope, and every page reports the scoped total.
              const paged: Array<C.OwnerCertificate> = []
              let after: Store.ExpiringQuery["after"]
              for (;;) {
                const page = yield* store.listExpiring({
                  ...window,
                  scope,
                  limit: 1,
                  ...(after === undefined ? {} : { after })
                })
                expect(page.total).toBe(all.total)
                paged.push(...page.items)
                const last = page.items.at(-1)
                if (last === undefined) break
                after = { value: last.certificate.notAfter, certificateId: last.binding.certificateId }
              }
              expect(ids(paged)).toEqual(ids(all.items))
            })

          yield* check({ owners: [card, profile], identityStoreIds: [] }, [card, profile])
          yield* check({ owners: [], identityStoreIds: [storeId] }, [storeOwner, idp1, idp2])
          // An owner both listed and inside a listed store counts once; an unknown owner or store adds nothing.
          yield* check(
            {
              owners: [card, otherIdp, idp1, newSmartCard()],
              identityStoreIds: [storeId, newIdentityStoreId()]
            },
            [card, otherIdp, storeOwner, idp1, idp2]
          )
          yield* check({ owners: [], identityStoreIds: [] }, [])
          const none = yield* store.listExpiring({
            ...window,
            scope: { owners: [], identityStoreIds: [] },
            limit: 10
          })
          expect(none).toEqual({ items: [], total: 0 })
          // The window still applies inside the scope.
          const narrow = yield* store.listExpiring({
            notAfterMin: ms.notAfter,
            notAfterMax: ms.notAfter,
            scope: { owners: [card], identityStoreIds: [storeId] },
            limit: 1000
          })
          expect(listed(narrow.items)).toEqual(
            [card, storeOwner, idp2].map((ref) => `${Ids.ownerKey(ref)} ${ms.sha256}`).sort()
          )
          expect(narrow.total).toBe(3)
        }),
      timeout
    )
  })
}
