/**
 * expiringCertificates: valid now and expiring within the duration, across the owners the caller may
 * read, soonest first, paginated with totals.
 */
import { type Certificate as C, Errors, ExpiringCertificates, Ids, Pem } from "@certory/domain"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import {
  admin,
  Corpus,
  card,
  createOwners,
  delegate,
  fresh,
  identityStore,
  idp,
  importAs,
  reader,
  shared
} from "../support.js"

const E = ExpiringCertificates.expiringCertificates
const pems = (certificates: ReadonlyArray<C.Certificate>) =>
  certificates.map((c) => Pem.certificatePem(c.der)).join("")

layer(shared)("expiringCertificates", (it) => {
  it.effect("window, order, pages and visibility", () =>
    fresh(
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const owners = [card(1), card(2), idp("d-s", "x")]
        yield* createOwners(card(1), card(2), identityStore("d-s"), idp("d-s", "x"))
        yield* importAs(card(1), pems(corpus.cacerts.slice(0, 30)))
        yield* importAs(card(2), pems(corpus.cacerts.slice(20, 50)))
        const now = Date.UTC(2019, 0, 1)
        yield* TestClock.setTime(now)
        const within = Duration.days(365 * 12)
        const horizon = now + Duration.toMillis(within)
        const idpSet = corpus.cacerts
          .filter((c) => c.notBefore <= now && c.notAfter >= now && c.notAfter <= horizon)
          .slice(-1)
        yield* importAs(idp("d-s", "x"), pems(idpSet))
        const expected = (visible: (ref: Ids.OwnerRef) => boolean) =>
          owners
            .filter(visible)
            .flatMap((ref) => {
              const set =
                ref._tag === "Idp"
                  ? idpSet
                  : Ids.ownerKey(ref) === Ids.ownerKey(card(1))
                    ? corpus.cacerts.slice(0, 30)
                    : corpus.cacerts.slice(20, 50)
              return set
                .filter((c) => c.notBefore <= now && c.notAfter >= now && c.notAfter <= horizon)
                .map((c) => `${Ids.ownerKey(ref)} ${c.sha256}`)
            })
            .sort()
        const collect = (principal: Parameters<typeof E>[0]) =>
          Effect.gen(function* () {
            const items: Array<C.OwnerCertificate> = []
            let cursor: string | undefined
            let total = -1
            do {
              const page = yield* E(principal, { within, limit: 4, ...(cursor ? { cursor } : {}) })
              total = page.total
              items.push(...page.items)
              cursor = page.nextCursor
            } while (cursor !== undefined)
            return { items, total }
          })
        for (const [principal, visible] of [
          [admin, () => true],
          [reader(card(2)), (r: Ids.OwnerRef) => Ids.ownerKey(r) === Ids.ownerKey(card(2))],
          [delegate("d-s"), (r: Ids.OwnerRef) => r._tag === "Idp"]
        ] as const) {
          const { items, total } = yield* collect(principal)
          const want = expected(visible)
          expect(want.length).toBeGreaterThan(0)
          expect(total).toBe(want.length)
          expect(items.map((i) => `${Ids.ownerKey(i.binding.owner)} ${i.certificate.sha256}`).sort()).toEqual(
            want
          )
          const afters = items.map((i) => i.certificate.notAfter)
          expect(afters).toEqual([...afters].sort((a, b) => a - b))
        }
        expect((yield* E(reader(card(9)), { within })).items).toEqual([])
      })
    )
  )

  it.effect("the window is inclusive at now + duration and excludes certificates not yet valid", () =>
    fresh(
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const dc = corpus.one("templateName")
        const notYet = corpus.one("notYetValid")
        yield* createOwners(card(1))
        yield* importAs(card(1), pems([dc, notYet]))
        const now = dc.notAfter - 10_000
        yield* TestClock.setTime(now)
        expect((yield* E(admin, { within: Duration.millis(10_000) })).total).toBe(1)
        expect((yield* E(admin, { within: Duration.millis(9_999) })).total).toBe(0)
        yield* TestClock.setTime(notYet.notBefore - 1)
        expect(
          (yield* E(admin, { within: Duration.days(3650) })).items.map((i) => i.certificate.sha256)
        ).not.toContain(notYet.sha256)
      })
    )
  )

  it.effect("bad cursors and limits", () =>
    fresh(
      Effect.gen(function* () {
        expect(yield* E(admin, { within: "1 day", cursor: "xyz" }).pipe(Effect.flip)).toBeInstanceOf(
          Errors.InvalidCursor
        )
        expect(yield* E(admin, { within: "1 day", limit: 0 }).pipe(Effect.flip)).toBeInstanceOf(
          Errors.InvalidRequest
        )
        expect(yield* E(reader(card(1)), { within: "1 day", limit: 1001 }).pipe(Effect.flip)).toBeInstanceOf(
          Errors.InvalidRequest
        )
      })
    )
  )
})
