/**
 * The in-memory TemplateCatalog: the reference semantics the TemplateCatalog contract suite holds the
 * other adapters to, and the catalog of the use-case and API tests. Each write is one `Ref.modify` of an
 * immutable map, so it is atomic.
 */
import { CertificateStore, Errors, TemplateCatalog as Port, TemplateEntry } from "@certory/domain"
import { Effect, Either, Layer, Option, Ref } from "effect"

type Entries = ReadonlyMap<string, TemplateEntry.TemplateEntry>

/** Build the layer once and share it: each build is a new, empty catalog. */
export const make = Effect.gen(function* () {
  const state = yield* Ref.make<Entries>(new Map())

  return Port.TemplateCatalog.of({
    put: (oid, name, by, at) =>
      Ref.modify(state, (entries) => {
        const entry = TemplateEntry.TemplateEntry.make({ oid, name, updatedAt: at, updatedBy: by })
        return [entry, new Map(entries).set(oid, entry)] as const
      }),

    remove: (oid) =>
      Effect.flatten(
        Ref.modify(state, (entries): readonly [Either.Either<void, Errors.TemplateNotFound>, Entries] => {
          if (!entries.has(oid)) return [Either.left(new Errors.TemplateNotFound({ oid })), entries]
          const next = new Map(entries)
          next.delete(oid)
          return [Either.void, next]
        })
      ),

    get: (oid) => Ref.get(state).pipe(Effect.map((entries) => Option.fromNullable(entries.get(oid)))),

    list: (query) =>
      Ref.get(state).pipe(
        Effect.map((entries) => {
          const all = [...entries.values()].sort((a, b) => CertificateStore.compareText(a.oid, b.oid))
          const { afterOid } = query
          const page =
            afterOid === undefined
              ? all
              : all.filter((e) => CertificateStore.compareText(e.oid, afterOid) > 0)
          return { items: page.slice(0, query.limit), total: all.length }
        })
      ),

    names: (oids) =>
      Ref.get(state).pipe(
        Effect.map((entries) => {
          const names = new Map<string, string>()
          for (const oid of oids) {
            const entry = entries.get(oid)
            if (entry !== undefined) names.set(oid, entry.name)
          }
          return names
        })
      )
  })
})

/** A fresh, empty catalog per build. */
export const layer: Layer.Layer<Port.TemplateCatalog> = Layer.effect(Port.TemplateCatalog, make)
