/**
 * Template catalog use-cases: set (register or rename), get, remove and list for administrators, and
 * resolving the names of a page of certificates, on the memory stores with the TestClock. Sections:
 * happy, errors, security.
 */
import { Errors, TemplateCatalog, Templates } from "@certory/domain"
import { MemoryTemplateCatalog } from "@certory/storage-memory"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { admin, Corpus, card, delegate, fresh, nobody, operator, reader, shared } from "../support.js"

const T0 = 1_750_000_000_000
const OID = "1.3.6.1.4.1.311.21.8.1234567.7654321.1.2"

/** A fresh memory catalog that counts `names` calls (no module state). */
const countingNames = <A, E, R>(body: (calls: { n: number }) => Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const calls = { n: 0 }
    const inner = yield* MemoryTemplateCatalog.make
    const wrapped = TemplateCatalog.TemplateCatalog.of({
      ...inner,
      names: (oids) => {
        calls.n++
        return inner.names(oids)
      }
    })
    return yield* Effect.provideService(body(calls), TemplateCatalog.TemplateCatalog, wrapped)
  })

layer(shared)("template catalog use-cases", (it) => {
  describe("happy", () => {
    it.effect("set registers a name at the clock's time by the caller; set again renames; get reads it", () =>
      fresh(
        Effect.gen(function* () {
          yield* TestClock.setTime(T0)
          const first = yield* Templates.setTemplateName(admin, { oid: OID, name: "Smartcard Logon" })
          expect({ ...first }).toEqual({
            oid: OID,
            name: "Smartcard Logon",
            updatedAt: T0,
            updatedBy: "admin"
          })
          yield* TestClock.setTime(T0 + 60_000)
          const renamed = yield* Templates.setTemplateName(admin, { oid: OID, name: "Smartcard Logon v2" })
          expect(renamed.updatedAt).toBe(T0 + 60_000)
          expect({ ...(yield* Templates.getTemplate(admin, { oid: OID })) }).toEqual({ ...renamed })
          expect((yield* Templates.listTemplates(admin)).total).toBe(1)
        })
      )
    )

    it.effect("remove deletes the entry", () =>
      fresh(
        Effect.gen(function* () {
          yield* Templates.setTemplateName(admin, { oid: OID, name: "Doomed" })
          yield* Templates.removeTemplate(admin, { oid: OID })
          expect(yield* Templates.getTemplate(admin, { oid: OID }).pipe(Effect.flip)).toEqual(
            new Errors.TemplateNotFound({ oid: OID })
          )
          expect((yield* Templates.listTemplates(admin)).total).toBe(0)
        })
      )
    )

    it.effect("list pages by OID with opaque cursors; the last page has none", () =>
      fresh(
        Effect.gen(function* () {
          const oids = [1, 2, 3, 10, 20].map((n) => `1.2.840.113556.${n}`)
          for (const oid of oids) yield* Templates.setTemplateName(admin, { oid, name: `T${oid}` })
          const seen: Array<string> = []
          let cursor: string | undefined
          let pages = 0
          do {
            const page = yield* Templates.listTemplates(admin, {
              limit: 2,
              ...(cursor === undefined ? {} : { cursor })
            })
            expect(page.total).toBe(5)
            seen.push(...page.items.map((entry) => entry.oid))
            cursor = page.nextCursor
            pages++
          } while (cursor !== undefined)
          expect(pages).toBe(3)
          // Bytewise: "1.2.840.113556.10" sorts before "1.2.840.113556.2".
          expect(seen).toEqual([1, 10, 2, 20, 3].map((n) => `1.2.840.113556.${n}`))
        })
      )
    )

    it.effect(
      "resolveTemplateNames: one catalog query per page for OID-only certificates; none when no certificate needs one",
      () =>
        fresh(
          countingNames((calls) =>
            Effect.gen(function* () {
              const corpus = yield* Corpus
              const oidOnly = corpus.one("templateOid")
              const adcsUser = corpus.one("adcsUserDer")
              const named = corpus.one("templateName")
              const ec = corpus.one("ec")
              const userOid = adcsUser.template?.oid ?? ""
              expect(oidOnly.template?.name).toBeUndefined()

              // Nothing registered: an empty map, after one query.
              expect((yield* Templates.resolveTemplateNames([oidOnly, adcsUser, named, ec])).size).toBe(0)
              expect(calls.n).toBe(1)

              yield* Templates.setTemplateName(admin, { oid: "1.2.3.4.5.6.7.8.9.0", name: "Test Template" })
              yield* Templates.setTemplateName(admin, { oid: userOid, name: "User" })
              const names = yield* Templates.resolveTemplateNames([oidOnly, adcsUser, oidOnly, named, ec])
              expect(calls.n).toBe(2)
              expect(Templates.catalogNameOf(names, oidOnly)).toBe("Test Template")
              expect(Templates.catalogNameOf(names, adcsUser)).toBe("User")
              expect(Templates.catalogNameOf(names, ec)).toBeUndefined()

              // A certificate that names its template needs no catalog, even if its OID is registered.
              if (named.template?.oid !== undefined) {
                yield* Templates.setTemplateName(admin, { oid: named.template.oid, name: "Catalog" })
              }
              const none = yield* Templates.resolveTemplateNames([named, ec, named])
              expect(none.size).toBe(0)
              expect(Templates.catalogNameOf(names, named)).toBeUndefined()
              expect(calls.n).toBe(2)
            })
          )
        )
    )
  })

  describe("errors", () => {
    it.effect("malformed OIDs and names are InvalidRequest naming the field; nothing is written", () =>
      fresh(
        Effect.gen(function* () {
          const badOids = [
            "",
            "1",
            "3.1",
            "1.40",
            "01.2",
            "1.02",
            "1.2.",
            ".1.2",
            "1..2",
            "1.2.a",
            " 1.2",
            "1.2\u0000",
            `1.2.${"3".repeat(252)}`
          ]
          for (const oid of badOids) {
            const error = yield* Templates.setTemplateName(admin, { oid, name: "x" }).pipe(Effect.flip)
            expect(error._tag, oid).toBe("InvalidRequest")
            expect(error.message, oid).toMatch(/^oid: /)
            expect((yield* Templates.removeTemplate(admin, { oid }).pipe(Effect.flip))._tag).toBe(
              "InvalidRequest"
            )
            expect((yield* Templates.getTemplate(admin, { oid }).pipe(Effect.flip))._tag).toBe(
              "InvalidRequest"
            )
          }
          // The longest OID allowed, and one over it.
          expect(
            (yield* Templates.setTemplateName(admin, { oid: `1.2.${"3".repeat(251)}`, name: "x" })).oid
          ).toHaveLength(255)
          for (const name of ["", "x".repeat(257), "a\u0000b", "lone \ud800 surrogate"]) {
            const error = yield* Templates.setTemplateName(admin, { oid: OID, name }).pipe(Effect.flip)
            expect(error._tag).toBe("InvalidRequest")
            expect(error.message).toMatch(/^name: /)
          }
          expect(
            (yield* Templates.setTemplateName(admin, { oid: OID, name: "x".repeat(256) })).name
          ).toHaveLength(256)
          expect((yield* Templates.listTemplates(admin)).total).toBe(2)
        })
      )
    )

    it.effect("removing or getting an OID nobody registered is TemplateNotFound", () =>
      fresh(
        Effect.gen(function* () {
          expect(yield* Templates.removeTemplate(admin, { oid: OID }).pipe(Effect.flip)).toEqual(
            new Errors.TemplateNotFound({ oid: OID })
          )
          expect(yield* Templates.getTemplate(admin, { oid: OID }).pipe(Effect.flip)).toEqual(
            new Errors.TemplateNotFound({ oid: OID })
          )
        })
      )
    )

    it.effect(
      "limits out of range are InvalidRequest; a cursor this listing did not issue is InvalidCursor",
      () =>
        fresh(
          Effect.gen(function* () {
            for (const limit of [0, 1001, 1.5]) {
              expect((yield* Templates.listTemplates(admin, { limit }).pipe(Effect.flip))._tag).toBe(
                "InvalidRequest"
              )
            }
            expect(
              (yield* Templates.listTemplates(admin, { cursor: "bm90IGEgY3Vyc29y" }).pipe(Effect.flip))._tag
            ).toBe("InvalidCursor")
          })
        )
    )
  })

  describe("security", () => {
    it.effect("only administrators may set, get, remove or list template names, whatever the input", () =>
      fresh(
        Effect.gen(function* () {
          yield* Templates.setTemplateName(admin, { oid: OID, name: "Kept" })
          for (const principal of [delegate("d-store1"), operator(card(1)), reader(card(1)), nobody]) {
            const denied = [
              yield* Templates.setTemplateName(principal, { oid: OID, name: "Hijacked" }).pipe(Effect.flip),
              // Refused before the input is looked at.
              yield* Templates.setTemplateName(principal, { oid: "not an oid", name: "" }).pipe(Effect.flip),
              yield* Templates.getTemplate(principal, { oid: OID }).pipe(Effect.flip),
              yield* Templates.removeTemplate(principal, { oid: OID }).pipe(Effect.flip),
              yield* Templates.removeTemplate(principal, { oid: "1.2.3.4" }).pipe(Effect.flip),
              yield* Templates.listTemplates(principal).pipe(Effect.flip)
            ]
            for (const error of denied) expect(error._tag).toBe("AccessDenied")
          }
          const entries = yield* Templates.listTemplates(admin)
          expect(entries.items.map((entry) => [entry.oid, entry.name])).toEqual([[OID, "Kept"]])
        })
      )
    )
  })
})
