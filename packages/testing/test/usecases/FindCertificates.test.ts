/**
 * findCertificates: every spelling finds the certificate across owners; the caller sees only the
 * bindings it may read, and a certificate with none of those is not revealed.
 */

import { Errors, FindCertificates, Ids, type Principal as P } from "@certory/domain"
import { expect, layer } from "@effect/vitest"
import { Effect, Encoding } from "effect"
import {
  admin,
  Corpus,
  card,
  counted,
  createOwners,
  fixture,
  fresh,
  importAs,
  nobody,
  profile,
  reader,
  shared
} from "../support.js"

/** The first page's certificates (every test here fits on one page). */
const F = (principal: P.Principal, text: string) =>
  FindCertificates.findCertificates(principal, { text }).pipe(Effect.map((page) => page.items))

const hexToBytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((b) => Number.parseInt(b, 16)))

layer(shared)("findCertificates", (it) => {
  it.effect("finds by SHA-1, SHA-256, SPKI SHA-256 and serial in many spellings, across owners", () =>
    fresh(
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const c = corpus.one("adcsSerial")
        yield* createOwners(card(1), profile(2))
        yield* importAs(card(1), fixture("adcsSerial"))
        yield* importAs(profile(2), fixture("adcsSerial"))
        yield* importAs(profile(2), fixture("ec"))
        const spellings = [
          c.sha1,
          c.sha1.toLowerCase().match(/../g)!.join(":"),
          c.sha256,
          `x5t#S256:${Encoding.encodeBase64Url(hexToBytes(c.sha256))}`,
          c.spkiSha256,
          c.serial.hex,
          c.serial.decimal
        ]
        for (const text of spellings) {
          const found = yield* F(admin, text)
          expect(
            found.map((f) => f.certificate.sha256),
            text
          ).toEqual([c.sha256])
          expect(found[0]!.bindings.map((b) => Ids.ownerKey(b.owner)).sort(), text).toEqual(
            [Ids.ownerKey(card(1)), Ids.ownerKey(profile(2))].sort()
          )
        }
        expect((yield* F(admin, c.spkiSha256))[0]!.matchedBy).toBe("spkiSha256")
        expect((yield* F(admin, c.sha256))[0]!.matchedBy).toBe("sha256")
        expect(yield* F(admin, "00".repeat(32))).toEqual([])
      })
    )
  )

  it.effect("a reader sees only its owners' bindings, and nothing of certificates it cannot see", () =>
    fresh(
      Effect.gen(function* () {
        const corpus = yield* Corpus
        yield* createOwners(card(1), card(2))
        yield* importAs(card(1), fixture("ec"))
        yield* importAs(card(2), fixture("ec"))
        yield* importAs(card(2), fixture("ed25519"))
        const mine = yield* F(reader(card(1)), corpus.one("ec").sha256)
        expect(mine).toHaveLength(1)
        expect(mine[0]!.bindings.map((b) => Ids.ownerKey(b.owner))).toEqual([Ids.ownerKey(card(1))])
        expect(yield* F(reader(card(1)), corpus.one("ed25519").sha256)).toEqual([])
        expect(yield* F(reader(card(3)), corpus.one("ec").sha256)).toEqual([])
      })
    )
  )

  it.effect("text that is no fingerprint or serial is InvalidLookup", () =>
    fresh(
      Effect.gen(function* () {
        expect(yield* F(admin, "").pipe(Effect.flip)).toBeInstanceOf(Errors.InvalidLookup)
        expect(yield* F(admin, "certainly not hex!").pipe(Effect.flip)).toBeInstanceOf(Errors.InvalidLookup)
      })
    )
  )

  it.effect(
    "a caller without grants gets an empty page without a store query (its timing reveals nothing)",
    () =>
      counted((calls) =>
        Effect.gen(function* () {
          const corpus = yield* Corpus
          yield* createOwners(card(1))
          yield* importAs(card(1), fixture("ec"))
          calls.clear()
          const page = yield* FindCertificates.findCertificates(nobody, { text: corpus.one("ec").sha256 })
          expect(page).toEqual({ items: [], total: 0 })
          expect(calls.get("find")).toBeUndefined()
          expect([...calls.keys()]).toEqual([])
          // A reader is answered by one scoped store query, whatever the certificate.
          yield* FindCertificates.findCertificates(reader(card(2)), { text: corpus.one("ec").sha256 })
          expect(calls.get("find")).toBe(1)
        })
      )
  )

  it.effect(
    "one certificate held by 120 owners: pages of 50 bindings, grouped by certificate, each once",
    () =>
      fresh(
        Effect.gen(function* () {
          const corpus = yield* Corpus
          const owners = Array.from({ length: 120 }, (_, i) => card(i + 1))
          yield* createOwners(...owners)
          for (const owner of owners) yield* importAs(owner, fixture("ec"))
          const seen: Array<string> = []
          let cursor: string | undefined
          let pages = 0
          do {
            const page = yield* FindCertificates.findCertificates(admin, {
              text: corpus.one("ec").sha1,
              limit: 50,
              ...(cursor === undefined ? {} : { cursor })
            })
            pages++
            expect(page.total).toBe(120)
            expect(page.items).toHaveLength(1)
            expect(page.items[0]!.matchedBy).toBe("sha1")
            seen.push(...page.items[0]!.bindings.map((b) => Ids.ownerKey(b.owner)))
            cursor = page.nextCursor
          } while (cursor !== undefined)
          expect(pages).toBe(3)
          expect(new Set(seen).size).toBe(120)
          // A cursor is bound to its look-up: another text is InvalidCursor.
          const first = yield* FindCertificates.findCertificates(admin, {
            text: corpus.one("ec").sha1,
            limit: 50
          })
          const other = yield* FindCertificates.findCertificates(admin, {
            text: corpus.one("ec").sha256,
            cursor: first.nextCursor!
          }).pipe(Effect.flip)
          expect(other).toBeInstanceOf(Errors.InvalidCursor)
        })
      )
  )
})
