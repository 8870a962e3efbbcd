/**
 * listOwnerCertificates: validity relative to the TestClock (bounds inclusive), attribute and template
 * filters, stable sorts, cursors bound to their sort order, limits, and OwnerNotFound after authorization.
 */
import { type Certificate as C, Errors, ListOwnerCertificates, Pem } from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import { admin, Corpus, card, createOwners, fixture, fresh, importAs, reader, shared } from "../support.js"

const L = ListOwnerCertificates.listOwnerCertificates
const hashes = (items: ReadonlyArray<C.OwnerCertificate>) => items.map((i) => i.certificate.sha256).sort()
const pems = (certificates: ReadonlyArray<C.Certificate>) =>
  certificates.map((c) => Pem.certificatePem(c.der)).join("")

layer(shared)("listOwnerCertificates", (it) => {
  /** card(1) holds: templateName (2024-04-19..2025-04-19), ec (2013..2038), expired (2016..2021), notYetValid (2027). */
  const setup = Effect.gen(function* () {
    const corpus = yield* Corpus
    yield* createOwners(card(1))
    yield* importAs(card(1), fixture("templateName"), { isKeyHistory: true, archivedOnCa: true })
    yield* importAs(card(1), fixture("ec"))
    yield* importAs(card(1), fixture("expired"), { isKeyHistory: true })
    yield* importAs(card(1), fixture("notYetValid"), { archivedOnCa: true })
    return {
      dc: corpus.one("templateName"),
      ec: corpus.one("ec"),
      expired: corpus.one("expired"),
      notYet: corpus.one("notYetValid"),
      corpus
    }
  })

  describe("validity filters follow the clock, bounds inclusive", () => {
    it.effect("valid / expired / notYetValid at dc.notAfter, and one millisecond later", () =>
      fresh(
        Effect.gen(function* () {
          const { dc, ec, expired, notYet } = yield* setup
          yield* TestClock.setTime(dc.notAfter)
          expect(hashes((yield* L(admin, { owner: card(1), validity: "valid" })).items)).toEqual(
            [dc.sha256, ec.sha256].sort()
          )
          expect(hashes((yield* L(admin, { owner: card(1), validity: "expired" })).items)).toEqual([
            expired.sha256
          ])
          expect(hashes((yield* L(admin, { owner: card(1), validity: "notYetValid" })).items)).toEqual([
            notYet.sha256
          ])
          yield* TestClock.setTime(dc.notAfter + 1)
          expect(hashes((yield* L(admin, { owner: card(1), validity: "valid" })).items)).toEqual([ec.sha256])
          expect(hashes((yield* L(admin, { owner: card(1), validity: "expired" })).items)).toEqual(
            [dc.sha256, expired.sha256].sort()
          )
        })
      )
    )

    it.effect("notYetValid becomes valid exactly at notBefore", () =>
      fresh(
        Effect.gen(function* () {
          const { notYet } = yield* setup
          yield* TestClock.setTime(notYet.notBefore - 1)
          const before = yield* L(admin, { owner: card(1), validity: "notYetValid" })
          expect(hashes(before.items)).toEqual([notYet.sha256])
          yield* TestClock.setTime(notYet.notBefore)
          const at = yield* L(admin, { owner: card(1), validity: "notYetValid" })
          expect(at.items).toEqual([])
          const valid = yield* L(admin, { owner: card(1), validity: "valid" })
          expect(hashes(valid.items)).toContain(notYet.sha256)
        })
      )
    )

    it.effect("expiringWithin: valid now and notAfter <= now + duration (inclusive)", () =>
      fresh(
        Effect.gen(function* () {
          const { dc } = yield* setup
          const now = dc.notAfter - Duration.toMillis(Duration.days(30))
          yield* TestClock.setTime(now)
          const within30 = yield* L(admin, { owner: card(1), expiringWithin: Duration.days(30) })
          expect(hashes(within30.items)).toEqual([dc.sha256])
          const within29 = yield* L(admin, { owner: card(1), expiringWithin: "29 days" })
          expect(within29.items).toEqual([])
          const exact = yield* L(admin, {
            owner: card(1),
            expiringWithin: Duration.millis(dc.notAfter - now)
          })
          expect(exact.total).toBe(1)
          const oneShort = yield* L(admin, {
            owner: card(1),
            expiringWithin: Duration.millis(dc.notAfter - now - 1)
          })
          expect(oneShort.total).toBe(0)
          // Combined with "expired" nothing can match.
          const contradiction = yield* L(admin, {
            owner: card(1),
            validity: "expired",
            expiringWithin: Duration.days(3650)
          })
          expect(contradiction.total).toBe(0)
        })
      )
    )
  })

  describe("attribute filters", () => {
    it.effect("keyHistory include / exclude / only, archivedOnCa, template by name and OID", () =>
      fresh(
        Effect.gen(function* () {
          const { dc, ec, expired, notYet, corpus } = yield* setup
          yield* importAs(card(1), fixture("templateOid"))
          const tOid = corpus.one("templateOid")
          expect((yield* L(admin, { owner: card(1) })).total).toBe(5)
          expect((yield* L(admin, { owner: card(1), keyHistory: "include" })).total).toBe(5)
          expect(hashes((yield* L(admin, { owner: card(1), keyHistory: "only" })).items)).toEqual(
            [dc.sha256, expired.sha256].sort()
          )
          expect(hashes((yield* L(admin, { owner: card(1), keyHistory: "exclude" })).items)).toEqual(
            [ec.sha256, notYet.sha256, tOid.sha256].sort()
          )
          expect(hashes((yield* L(admin, { owner: card(1), archivedOnCa: true })).items)).toEqual(
            [dc.sha256, notYet.sha256].sort()
          )
          expect(hashes((yield* L(admin, { owner: card(1), archivedOnCa: false })).items)).toEqual(
            [ec.sha256, expired.sha256, tOid.sha256].sort()
          )
          expect(hashes((yield* L(admin, { owner: card(1), template: "DomainController" })).items)).toEqual([
            dc.sha256
          ])
          expect(
            hashes((yield* L(admin, { owner: card(1), template: "1.2.3.4.5.6.7.8.9.0" })).items)
          ).toEqual([tOid.sha256])
        })
      )
    )
  })

  describe("sorting and cursors", () => {
    it.effect("pages through every sort in both directions without repeats, in the store's order", () =>
      fresh(
        Effect.gen(function* () {
          const corpus = yield* Corpus
          yield* createOwners(card(2))
          yield* TestClock.setTime(1000)
          yield* importAs(card(2), pems(corpus.cacerts.slice(0, 20)))
          yield* TestClock.setTime(2000)
          yield* importAs(card(2), pems(corpus.cacerts.slice(20, 33)))
          for (const field of ["notAfter", "notBefore", "boundAt", "subject"] as const) {
            for (const direction of ["asc", "desc"] as const) {
              const sort = { field, direction }
              const full = yield* L(admin, { owner: card(2), sort, limit: 1000 })
              expect(full.total).toBe(33)
              expect(full.nextCursor).toBeUndefined()
              const seen: Array<string> = []
              let cursor: string | undefined
              let pages = 0
              do {
                const page = yield* L(admin, {
                  owner: card(2),
                  sort,
                  limit: 5,
                  ...(cursor ? { cursor } : {})
                })
                expect(page.total).toBe(33)
                seen.push(...page.items.map((i) => i.binding.certificateId))
                cursor = page.nextCursor
                pages++
              } while (cursor !== undefined)
              expect(pages).toBe(7)
              expect(seen).toEqual(full.items.map((i) => i.binding.certificateId))
            }
          }
          const byBoundAt = yield* L(admin, {
            owner: card(2),
            sort: { field: "boundAt", direction: "desc" },
            limit: 13
          })
          expect(byBoundAt.items.every((i) => i.binding.boundAt === 2000)).toBe(true)
        })
      )
    )

    it.effect("the default is notAfter ascending, 100 per page", () =>
      fresh(
        Effect.gen(function* () {
          const { ec, expired, dc } = yield* setup
          const page = yield* L(admin, { owner: card(1) })
          expect(page.items.map((i) => i.certificate.notAfter)).toEqual(
            [...page.items.map((i) => i.certificate.notAfter)].sort((a, b) => a - b)
          )
          expect(page.items[0]!.certificate.sha256).toBe(expired.sha256)
          expect(
            page.items.some((i) => i.certificate.sha256 === ec.sha256 || i.certificate.sha256 === dc.sha256)
          ).toBe(true)
          const corpus = yield* Corpus
          yield* createOwners(card(3))
          yield* importAs(card(3), pems(corpus.cacerts))
          const big = yield* L(admin, { owner: card(3) })
          expect(big.items).toHaveLength(62)
          const small = yield* L(admin, { owner: card(3), limit: 61 })
          expect(small.nextCursor).toBeDefined()
        })
      )
    )

    it.effect("a cursor from another sort, or not from us, is InvalidCursor", () =>
      fresh(
        Effect.gen(function* () {
          yield* setup
          const first = yield* L(admin, {
            owner: card(1),
            limit: 1,
            sort: { field: "notAfter", direction: "asc" }
          })
          const cursor = first.nextCursor!
          const otherDirection = yield* L(admin, {
            owner: card(1),
            cursor,
            sort: { field: "notAfter", direction: "desc" }
          }).pipe(Effect.flip)
          expect(otherDirection).toBeInstanceOf(Errors.InvalidCursor)
          const otherField = yield* L(admin, {
            owner: card(1),
            cursor,
            sort: { field: "subject", direction: "asc" }
          }).pipe(Effect.flip)
          expect(otherField).toBeInstanceOf(Errors.InvalidCursor)
          expect(yield* L(admin, { owner: card(1), cursor: "%%%" }).pipe(Effect.flip)).toBeInstanceOf(
            Errors.InvalidCursor
          )
          expect(
            yield* L(admin, { owner: card(1), cursor: cursor.slice(0, -3) }).pipe(Effect.flip)
          ).toBeInstanceOf(Errors.InvalidCursor)
          const same = yield* L(admin, { owner: card(1), cursor, limit: 1 })
          expect(same.items).toHaveLength(1)
        })
      )
    )
  })

  describe("errors", () => {
    it.effect("limit outside 1..1000 is InvalidRequest", () =>
      fresh(
        Effect.gen(function* () {
          yield* setup
          for (const limit of [0, -1, 1001, 1.5]) {
            expect(yield* L(admin, { owner: card(1), limit }).pipe(Effect.flip)).toBeInstanceOf(
              Errors.InvalidRequest
            )
          }
          expect((yield* L(admin, { owner: card(1), limit: 1000 })).total).toBe(4)
          expect((yield* L(admin, { owner: card(1), limit: 1 })).items).toHaveLength(1)
        })
      )
    )

    it.effect("an unknown owner is OwnerNotFound for an authorized caller, AccessDenied for others", () =>
      fresh(
        Effect.gen(function* () {
          expect(yield* L(admin, { owner: card(9) }).pipe(Effect.flip)).toEqual(
            new Errors.OwnerNotFound({ owner: "smartcard:00000000-0000-4000-8000-000000000009" })
          )
          expect(yield* L(reader(card(9)), { owner: card(9) }).pipe(Effect.flip)).toBeInstanceOf(
            Errors.OwnerNotFound
          )
          expect(yield* L(reader(card(1)), { owner: card(9) }).pipe(Effect.flip)).toBeInstanceOf(
            Errors.AccessDenied
          )
        })
      )
    )
  })
})
