/**
 * The one behaviour every TemplateCatalog adapter must show, run unchanged against memory, SQLite,
 * PostgreSQL and D1 (inside workerd: nothing here touches node: or a file system at run time).
 *
 * The catalog is built once per `suite` call and shared by its tests: each test works on OIDs of its own
 * (a random arc below a private arc) and never assumes the catalog is empty.
 *
 * Usage, in an adapter's test file (Node or workerd alike):
 *   TemplateCatalogContract.suite("sqlite", SqliteCertificateStore.layerStores({ filename }))
 */
import {
  CertificateStore as CertStore,
  Errors,
  TemplateCatalog as Port,
  TemplateEntry
} from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, type Layer, Option, Schema } from "effect"

export interface SuiteOptions {
  /** Per-test timeout in milliseconds (remote databases are slower). Default 30 000. */
  readonly timeout?: number
}

const encodeEntry = Schema.encodeSync(TemplateEntry.TemplateEntry)
const T0 = 1_704_067_200_000

/** A random arc: a positive 32-bit integer (no leading zero). */
const arc = (): number => (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) + 1

/** A catalog-wide unique OID under AD CS's template arc, `suffix` arcs appended. */
export const newTemplateOid = (...suffix: ReadonlyArray<number>): TemplateEntry.TemplateOid =>
  TemplateEntry.TemplateOid.make(["1.3.6.1.4.1.311.21.8", arc(), arc(), ...suffix].join("."))

export const suite = (
  name: string,
  catalogLayer: Layer.Layer<Port.TemplateCatalog, unknown>,
  options: SuiteOptions = {}
): void => {
  const timeout = options.timeout ?? 30_000

  layer(catalogLayer, { timeout: `${timeout} millis` })(`TemplateCatalog contract: ${name}`, (it) => {
    /** Every entry, through `list` (one big page). */
    const everything = Effect.flatMap(Port.TemplateCatalog, (catalog) => catalog.list({ limit: 1_000_000 }))

    describe("put and get", () => {
      it.effect(
        "put returns the entry and get reads it back, field for field",
        () =>
          Effect.gen(function* () {
            const catalog = yield* Port.TemplateCatalog
            // The longest OID and name allowed, quotes and characters outside the BMP.
            const longOid = TemplateEntry.TemplateOid.make(
              `${newTemplateOid()}.${"1".repeat(255)}`.slice(0, 255)
            )
            const cases: ReadonlyArray<readonly [TemplateEntry.TemplateOid, string, string, number]> = [
              [newTemplateOid(), "Smartcard Logon", "admin", T0],
              [newTemplateOid(2), "Ünïcødé 'quoted' \"double\" 🔑", "token:ci#1234abcd", -62_167_219_200_000],
              [longOid, "x".repeat(256), "", 253_402_300_799_999]
            ]
            for (const [oid, templateName, by, at] of cases) {
              const expected = TemplateEntry.TemplateEntry.make({
                oid,
                name: templateName,
                updatedAt: at,
                updatedBy: by
              })
              const put = yield* catalog.put(oid, templateName, by, at)
              expect(put).toBeInstanceOf(TemplateEntry.TemplateEntry)
              expect(encodeEntry(put)).toEqual(encodeEntry(expected))
              const got = yield* catalog.get(oid)
              expect(Option.map(got, encodeEntry)).toEqual(Option.some(encodeEntry(expected)))
              expect(Option.getOrThrow(got)).toBeInstanceOf(TemplateEntry.TemplateEntry)
            }
          }),
        timeout
      )

      it.effect(
        "an unknown OID is none",
        () =>
          Effect.gen(function* () {
            const catalog = yield* Port.TemplateCatalog
            expect(Option.isNone(yield* catalog.get(newTemplateOid()))).toBe(true)
          }),
        timeout
      )

      it.effect(
        "putting a registered OID renames it: one entry, the latest name, instant and principal",
        () =>
          Effect.gen(function* () {
            const catalog = yield* Port.TemplateCatalog
            const oid = newTemplateOid()
            yield* catalog.put(oid, "First", "alice", T0)
            const before = (yield* everything).total
            const renamed = yield* catalog.put(oid, "Second", "bob", T0 + 1)
            expect(encodeEntry(renamed)).toEqual({ oid, name: "Second", updatedAt: T0 + 1, updatedBy: "bob" })
            expect(Option.map(yield* catalog.get(oid), encodeEntry)).toEqual(
              Option.some(encodeEntry(renamed))
            )
            const after = yield* everything
            expect(after.total).toBe(before)
            expect(after.items.filter((entry) => entry.oid === oid)).toHaveLength(1)
            expect((yield* catalog.names([oid])).get(oid)).toBe("Second")
          }),
        timeout
      )

      it.effect(
        "8 concurrent puts of one OID end with one entry holding one of the names",
        () =>
          Effect.gen(function* () {
            const catalog = yield* Port.TemplateCatalog
            const oid = newTemplateOid()
            const results = yield* Effect.forEach(
              Array.from({ length: 8 }, (_, i) => i),
              (i) => catalog.put(oid, `racer ${i}`, `principal ${i}`, T0 + i),
              { concurrency: "unbounded" }
            )
            expect(results.map((entry) => entry.name).sort()).toEqual(
              Array.from({ length: 8 }, (_, i) => `racer ${i}`)
            )
            const stored = Option.getOrThrow(yield* catalog.get(oid))
            const i = Number(stored.name.slice("racer ".length))
            // The fields of one put, never a mix of two.
            expect(encodeEntry(stored)).toEqual({
              oid,
              name: `racer ${i}`,
              updatedAt: T0 + i,
              updatedBy: `principal ${i}`
            })
            expect((yield* everything).items.filter((entry) => entry.oid === oid)).toHaveLength(1)
          }),
        timeout
      )
    })

    describe("remove", () => {
      it.effect(
        "removes the entry; removing again, or an OID never registered, is TemplateNotFound",
        () =>
          Effect.gen(function* () {
            const catalog = yield* Port.TemplateCatalog
            const oid = newTemplateOid()
            const kept = newTemplateOid()
            yield* catalog.put(oid, "Gone soon", "admin", T0)
            yield* catalog.put(kept, "Kept", "admin", T0)
            const before = (yield* everything).total
            yield* catalog.remove(oid)
            expect(Option.isNone(yield* catalog.get(oid))).toBe(true)
            expect((yield* catalog.names([oid, kept])).has(oid)).toBe(false)
            expect((yield* everything).total).toBe(before - 1)
            expect(yield* catalog.remove(oid).pipe(Effect.flip)).toEqual(new Errors.TemplateNotFound({ oid }))
            const unknown = newTemplateOid()
            expect(yield* catalog.remove(unknown).pipe(Effect.flip)).toEqual(
              new Errors.TemplateNotFound({ oid: unknown })
            )
            expect(Option.getOrThrow(yield* catalog.get(kept)).name).toBe("Kept")
            // A removed OID can be registered again.
            yield* catalog.put(oid, "Back", "admin", T0 + 5)
            expect(Option.getOrThrow(yield* catalog.get(oid)).name).toBe("Back")
          }),
        timeout
      )
    })

    describe("list", () => {
      it.effect(
        "pages by OID in bytewise order (1.10 before 1.9); total counts every entry",
        () =>
          Effect.gen(function* () {
            const catalog = yield* Port.TemplateCatalog
            const base = newTemplateOid()
            const mine = [1, 2, 9, 10, 11, 100, 20].map((n) => TemplateEntry.TemplateOid.make(`${base}.${n}`))
            for (const oid of mine) yield* catalog.put(oid, `name of ${oid}`, "admin", T0)
            const seen: Array<TemplateEntry.TemplateEntry> = []
            let afterOid: TemplateEntry.TemplateOid | undefined
            for (;;) {
              const page: CertStore.Slice<TemplateEntry.TemplateEntry> = yield* catalog.list({
                limit: 3,
                ...(afterOid === undefined ? {} : { afterOid })
              })
              expect(page.items.length).toBeLessThanOrEqual(3)
              expect(page.total).toBeGreaterThanOrEqual(mine.length)
              seen.push(...page.items)
              const last = page.items.at(-1)
              if (page.items.length < 3 || last === undefined) break
              afterOid = last.oid
            }
            const oids = seen.map((entry) => entry.oid)
            expect([...oids].sort(CertStore.compareText)).toEqual(oids)
            expect(new Set(oids).size).toBe(oids.length)
            expect(oids.filter((oid) => oid.startsWith(`${base}.`))).toEqual(
              [1, 10, 100, 11, 2, 20, 9].map((n) => `${base}.${n}`)
            )
            const full = yield* everything
            expect(full.items.map((entry) => entry.oid)).toEqual(oids)
            expect(full.total).toBe(oids.length)
          }),
        timeout
      )

      it.effect(
        "afterOid need not be registered",
        () =>
          Effect.gen(function* () {
            const catalog = yield* Port.TemplateCatalog
            const base = newTemplateOid()
            const oid = TemplateEntry.TemplateOid.make(`${base}.5`)
            yield* catalog.put(oid, "Five", "admin", T0)
            const page = yield* catalog.list({
              afterOid: TemplateEntry.TemplateOid.make(`${base}.4`),
              limit: 1
            })
            expect(page.items.map((entry) => entry.oid)).toEqual([oid])
          }),
        timeout
      )
    })

    describe("names", () => {
      it.effect(
        "resolves many OIDs in one call; unknown OIDs, repeats and text that is no OID are simply absent",
        () =>
          Effect.gen(function* () {
            const catalog = yield* Port.TemplateCatalog
            const base = newTemplateOid()
            const registered = Array.from({ length: 60 }, (_, i) =>
              TemplateEntry.TemplateOid.make(`${base}.${i}`)
            )
            for (const oid of registered) yield* catalog.put(oid, `Template ${oid.slice(-3)}`, "admin", T0)
            const unknown = Array.from({ length: 940 }, (_, i) => `${base}.${1000 + i}`)
            const asked = [
              ...unknown.slice(0, 470),
              ...registered,
              ...registered.slice(0, 10),
              ...unknown.slice(470),
              "",
              "not an oid",
              "1.2.3'); DROP TABLE templates; --",
              '["1.2"]',
              "x".repeat(10_000)
            ]
            const names = yield* catalog.names(asked)
            expect(names.size).toBe(registered.length)
            for (const oid of registered) expect(names.get(oid)).toBe(`Template ${oid.slice(-3)}`)
            expect(yield* catalog.names([])).toEqual(new Map())
            expect(yield* catalog.names([newTemplateOid()])).toEqual(new Map())
            // Still there: the hostile text was a value, not SQL.
            expect((yield* catalog.names(registered.slice(0, 1))).size).toBe(1)
          }),
        timeout
      )
    })
  })
}
