/**
 * The one behaviour every CertificateStore adapter must show, run unchanged against memory, SQLite,
 * PostgreSQL and D1 (inside workerd: nothing here touches node: or a file system at run time).
 *
 * The store is built once per `suite` call and shared by its tests, so every test works on owners of
 * its own (random ids) and never assumes the store is empty: a test about look-ups or expiry across
 * owners checks what happened to ITS owners, plus properties that hold whatever else is stored.
 *
 * Usage, in an adapter's test file (Node or workerd alike):
 *   CertificateStoreContract.suite("sqlite", SqliteCertificateStore.layer({ filename }))
 * The layer may be built once for the whole suite; a persistent database need not be empty.
 */
import { X509CertificateParser } from "@certory/certificate-parser"
import { Certificate as C, Errors, Ids, Owner as O, CertificateStore as Store } from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either, Layer, Option, Schema } from "effect"
import { Corpus, layerCorpus } from "./Fixtures.js"

export interface SuiteOptions {
  /** Per-test timeout in milliseconds (remote databases are slower). Default 30 000. */
  readonly timeout?: number
}

const encodeCertificate = Schema.encodeSync(C.Certificate)
const encodeBinding = Schema.encodeSync(C.Binding)
const encodeOwner = Schema.encodeSync(O.Owner)

const uuid = (): string => globalThis.crypto.randomUUID()
/** Store-wide unique ids, as the use-cases make them. */
export const newCertificateId = (): Ids.CertificateId => Ids.CertificateId.make(uuid().replaceAll("-", ""))
export const newSmartCard = (): Ids.OwnerRef =>
  Ids.SmartCardRef.make({ id: Schema.decodeSync(Ids.Guid)(uuid()) })
export const newProfile = (): Ids.OwnerRef => Ids.ProfileRef.make({ id: Schema.decodeSync(Ids.Guid)(uuid()) })
export const newIdentityStoreId = (): Ids.IdentityStoreId =>
  Ids.IdentityStoreId.make(`d-${uuid().replaceAll("-", "").slice(0, 10)}`)
export const newIdp = (store: Ids.IdentityStoreId = newIdentityStoreId()): Ids.IdpRef =>
  Ids.IdpRef.make({ identityStoreId: store, idpId: Ids.IdpId.make(uuid()) })

const ownerOf = (ref: Ids.OwnerRef, createdAt = 1_700_000_000_000) =>
  O.Owner.make({ ref, enabled: true, createdAt, createdBy: "contract" })

const attributes = (fields: ConstructorParameters<typeof C.BindingAttributes>[0] = {}) =>
  C.BindingAttributes.make(fields)

const item = (certificate: C.Certificate, attrs: C.BindingAttributes = attributes()) => ({
  certificate,
  attributes: attrs,
  certificateId: newCertificateId()
})

const byText = (a: string, b: string) => Store.compareText(a, b)

/** The reference order of a listing: (sort value, certificateId), both in the direction. */
const referenceOrder =
  (field: Store.SortField, direction: Store.SortDirection) =>
  (a: C.OwnerCertificate, b: C.OwnerCertificate) => {
    const x = Store.sortValue(a, field)
    const y = Store.sortValue(b, field)
    const order =
      (typeof x === "number" && typeof y === "number" ? x - y : byText(String(x), String(y))) ||
      byText(a.binding.certificateId, b.binding.certificateId)
    return direction === "asc" ? order : -order
  }

const ids = (items: ReadonlyArray<C.OwnerCertificate>) => items.map((i) => i.binding.certificateId)

export const suite = (
  name: string,
  storeLayer: Layer.Layer<Store.CertificateStore, unknown>,
  options: SuiteOptions = {}
): void => {
  const timeout = options.timeout ?? 30_000
  const fixtures = Layer.provide(layerCorpus, X509CertificateParser.layer)

  layer(Layer.merge(storeLayer, fixtures), { timeout: `${timeout} millis` })(
    `CertificateStore contract: ${name}`,
    (it) => {
      const setup = Effect.gen(function* () {
        const store = yield* Store.CertificateStore
        const corpus = yield* Corpus
        const owner = (ref: Ids.OwnerRef = newSmartCard()) =>
          store.createOwner(ownerOf(ref)).pipe(Effect.as(ref))
        const bind = (
          ref: Ids.OwnerRef,
          items: Store.BindRequest["items"],
          extra: { readonly boundAt?: number; readonly maxBindings?: number } = {}
        ) =>
          store.bind({
            owner: ref,
            items,
            boundBy: "contract",
            boundAt: extra.boundAt ?? 1_700_000_000_000,
            ...(extra.maxBindings === undefined ? {} : { maxBindings: extra.maxBindings })
          })
        /** Every binding of the owner, by one query with the largest limit. */
        const listAll = (ref: Ids.OwnerRef, query: Partial<Omit<Store.BindingQuery, "owner">> = {}) =>
          store.listBindings({
            owner: ref,
            sort: { field: "notAfter", direction: "asc" },
            limit: 1000,
            ...query
          })
        return { store, corpus, owner, bind, listAll }
      })

      describe("owners", () => {
        it.effect(
          "create, get, update and remove round trip",
          () =>
            Effect.gen(function* () {
              const { store } = yield* setup
              const ref = newIdp()
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
              expect(duplicate).toBeInstanceOf(Errors.OwnerAlreadyExists)
              expect(duplicate.owner).toBe(Ids.ownerKey(ref))

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
              expect(onlyIdps.items.map((o) => Ids.ownerKey(o.ref))).toEqual(
                idps.map(Ids.ownerKey).sort(byText)
              )

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

      describe("binding", () => {
        it.effect(
          "every fact of every fixture round trips through bind, getBinding, listBindings and getCertificate",
          () =>
            Effect.gen(function* () {
              const { store, corpus, owner, bind, listAll } = yield* setup
              const ref = yield* owner()
              const certificates = [
                ...corpus.all("chain"),
                corpus.one("ec"),
                corpus.one("ed25519"),
                corpus.one("ed448"),
                corpus.one("templateOid"),
                corpus.one("templateName"),
                corpus.one("adcsUserDer"),
                corpus.one("adcsDcDer"),
                corpus.one("expired"),
                corpus.one("negativeSerial"),
                corpus.one("rsaPss"),
                corpus.one("notYetValid"),
                corpus.one("adcsSerial")
              ]
              const uses = C.CertificateUse.literals
              const items = certificates.map((certificate, i) =>
                item(
                  certificate,
                  attributes({
                    isKeyHistory: i % 2 === 0,
                    archivedOnCa: i % 3 === 0,
                    certificateType: i === 4 ? 0 : i === 5 ? 2_147_483_647 : 1 + i,
                    origin: i % 2 === 0 ? "external" : "native",
                    use: uses[i % uses.length]!,
                    source: C.Source.literals[i % C.Source.literals.length]!
                  })
                )
              )
              const results = yield* bind(ref, items, { boundAt: 1_700_000_000_789 })
              expect(results.map((r) => r.created)).toEqual(items.map(() => true))

              for (const [i, { certificate, attributes: attrs, certificateId }] of items.entries()) {
                const expected = C.Binding.make({
                  certificateId,
                  owner: ref,
                  sha256: certificate.sha256,
                  isKeyHistory: attrs.isKeyHistory,
                  archivedOnCa: attrs.archivedOnCa,
                  certificateType: attrs.certificateType,
                  origin: attrs.origin,
                  use: attrs.use,
                  source: attrs.source,
                  boundBy: "contract",
                  boundAt: 1_700_000_000_789
                })
                expect(encodeBinding(results[i]!.binding)).toEqual(encodeBinding(expected))
                const got = yield* store.getBinding(ref, certificateId)
                expect(Option.isSome(got)).toBe(true)
                const found = Option.getOrThrow(got)
                expect(encodeBinding(found.binding)).toEqual(encodeBinding(expected))
                expect(encodeCertificate(found.certificate)).toEqual(encodeCertificate(certificate))
                expect(found.certificate.der).toBeInstanceOf(Uint8Array)
                const stored = yield* store.getCertificate(certificate.sha256)
                expect(Option.map(stored, encodeCertificate)).toEqual(
                  Option.some(encodeCertificate(certificate))
                )
              }

              const listed = yield* listAll(ref)
              expect(listed.total).toBe(items.length)
              const byId = new Map(listed.items.map((i) => [i.binding.certificateId, i]))
              for (const { certificate, certificateId } of items) {
                expect(encodeCertificate(byId.get(certificateId)!.certificate)).toEqual(
                  encodeCertificate(certificate)
                )
              }
            }),
          timeout
        )

        it.effect(
          "binding is idempotent per (owner, certificate): same id back, created false, first attributes kept",
          () =>
            Effect.gen(function* () {
              const { corpus, owner, bind, listAll } = yield* setup
              const ref = yield* owner()
              const certificate = corpus.one("ec")
              const first = yield* bind(ref, [item(certificate, attributes({ isKeyHistory: true }))], {
                boundAt: 1000
              })
              const again = yield* bind(ref, [item(certificate, attributes({ isKeyHistory: false }))], {
                boundAt: 2000
              })
              expect(first[0]!.created).toBe(true)
              expect(again[0]!.created).toBe(false)
              expect(encodeBinding(again[0]!.binding)).toEqual(encodeBinding(first[0]!.binding))
              expect(again[0]!.binding.isKeyHistory).toBe(true)
              expect(again[0]!.binding.boundAt).toBe(1000)

              // Repeated within one request, and mixed with a new one.
              const other = corpus.one("ed25519")
              const mixed = yield* bind(ref, [item(other), item(certificate), item(other)])
              expect(mixed.map((r) => r.created)).toEqual([true, false, false])
              expect(mixed[2]!.binding.certificateId).toBe(mixed[0]!.binding.certificateId)
              expect(mixed[1]!.binding.certificateId).toBe(first[0]!.binding.certificateId)
              expect((yield* listAll(ref)).total).toBe(2)
            }),
          timeout
        )

        it.effect(
          "one certificate bound to several owners: one certificate row, one binding each",
          () =>
            Effect.gen(function* () {
              const { store, corpus, owner, bind } = yield* setup
              const certificate = corpus.one("templateName")
              const refs = [yield* owner(), yield* owner(newProfile()), yield* owner(newIdp())]
              const bound = []
              for (const [i, ref] of refs.entries()) {
                const [result] = yield* bind(ref, [
                  item(certificate, attributes({ certificateType: 10 + i }))
                ])
                expect(result!.created).toBe(true)
                bound.push(result!.binding)
              }
              expect(new Set(bound.map((b) => b.certificateId)).size).toBe(3)
              for (const [i, ref] of refs.entries()) {
                const got = Option.getOrThrow(yield* store.getBinding(ref, bound[i]!.certificateId))
                expect(got.binding.certificateType).toBe(10 + i)
                expect(Ids.ownerKey(got.binding.owner)).toBe(Ids.ownerKey(ref))
                // Another owner's binding id is not visible through this owner.
                const foreign = yield* store.getBinding(ref, bound[(i + 1) % 3]!.certificateId)
                expect(Option.isNone(foreign)).toBe(true)
              }
              const found = yield* store.find("sha256", certificate.sha256)
              expect(found).toHaveLength(1)
              const mine = found[0]!.bindings.filter((b) =>
                refs.some((r) => Ids.ownerKey(r) === Ids.ownerKey(b.owner))
              )
              expect(mine.map((b) => b.certificateId).sort(byText)).toEqual(
                bound.map((b) => b.certificateId).sort(byText)
              )
            }),
          timeout
        )

        it.effect(
          "bind to an unknown owner fails with OwnerNotFound and stores nothing",
          () =>
            Effect.gen(function* () {
              const { store, corpus, bind } = yield* setup
              const ref = newSmartCard()
              // v1.pem is bound by no other test, so its certificate row must not exist afterwards.
              const v1 = corpus.one("v1")
              const error = yield* bind(ref, [item(corpus.one("ec")), item(v1)]).pipe(Effect.flip)
              expect(error).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(ref) }))
              expect(Option.isNone(yield* store.getCertificate(v1.sha256))).toBe(true)
              expect(yield* store.find("sha256", v1.sha256)).toEqual([])
            }),
          timeout
        )

        it.effect(
          "maxBindings refuses the whole request (the 3rd of 3 items over the limit) and changes nothing",
          () =>
            Effect.gen(function* () {
              const { store, corpus, owner, bind, listAll } = yield* setup
              const ref = yield* owner(newIdp())
              const v1 = corpus.one("v1")
              const error = yield* bind(
                ref,
                [item(corpus.one("ec")), item(corpus.one("ed25519")), item(v1)],
                {
                  maxBindings: 2
                }
              ).pipe(Effect.flip)
              expect(error).toEqual(
                new Errors.CertificateLimitReached({ owner: Ids.ownerKey(ref), limit: 2 })
              )
              expect((yield* listAll(ref)).total).toBe(0)
              expect(Option.isNone(yield* store.getCertificate(v1.sha256))).toBe(true)

              yield* bind(ref, [item(corpus.one("ec"))], { maxBindings: 2 })
              const second = yield* bind(ref, [item(corpus.one("ed25519"))], { maxBindings: 2 })
              expect(second[0]!.created).toBe(true)
              // Already-bound certificates do not count twice.
              const repeat = yield* bind(ref, [item(corpus.one("ec")), item(corpus.one("ed25519"))], {
                maxBindings: 2
              })
              expect(repeat.map((r) => r.created)).toEqual([false, false])
              const third = yield* bind(ref, [item(corpus.one("ec")), item(corpus.one("ed448"))], {
                maxBindings: 2
              }).pipe(Effect.flip)
              expect(third).toBeInstanceOf(Errors.CertificateLimitReached)
              const after = yield* listAll(ref)
              expect(after.items.map((i) => i.certificate.sha256).sort()).toEqual(
                [corpus.one("ec").sha256, corpus.one("ed25519").sha256].sort()
              )
            }),
          timeout
        )

        it.effect(
          "8 concurrent importers of overlapping sets lose nothing and duplicate nothing",
          () =>
            Effect.gen(function* () {
              const { store, corpus, owner, bind, listAll } = yield* setup
              const ref = yield* owner()
              const others = [yield* owner(), yield* owner()]
              const certificates = corpus.cacerts.slice(0, 30)
              // Importer k takes certificates [3k, 3k + 12): each certificate is wanted by up to 4 importers.
              const sets = Array.from({ length: 8 }, (_, k) => certificates.slice(3 * k, 3 * k + 12))
              const results = yield* Effect.all(
                [
                  ...sets.map((set, k) =>
                    bind(
                      ref,
                      set.map((c) => item(c)),
                      { boundAt: 5000 + k }
                    )
                  ),
                  // Other owners racing on the same certificate rows.
                  ...others.map((other) =>
                    bind(
                      other,
                      certificates.map((c) => item(c))
                    )
                  )
                ],
                { concurrency: 8 }
              )
              const union = new Set(sets.flat().map((c) => c.sha256))
              const listed = yield* listAll(ref)
              expect(listed.total).toBe(union.size)
              expect(new Set(listed.items.map((i) => i.certificate.sha256))).toEqual(union)
              const idOf = new Map(listed.items.map((i) => [i.certificate.sha256, i.binding.certificateId]))
              const createdCount = new Map<string, number>()
              for (const result of results.slice(0, 8).flat()) {
                // Every importer got the one binding that exists.
                expect(result.binding.certificateId).toBe(idOf.get(result.binding.sha256))
                if (result.created)
                  createdCount.set(result.binding.sha256, (createdCount.get(result.binding.sha256) ?? 0) + 1)
              }
              expect([...createdCount.values()].every((n) => n === 1)).toBe(true)
              expect(createdCount.size).toBe(union.size)
              for (const other of others) expect((yield* listAll(other)).total).toBe(certificates.length)
              for (const certificate of certificates) {
                expect(yield* store.find("sha256", certificate.sha256)).toHaveLength(1)
              }
            }),
          timeout
        )
      })

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
              expect(
                yield* has({ notBeforeMin: nb, notBeforeMax: nb, notAfterMin: na, notAfterMax: na })
              ).toBe(true)
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
                  .flatMap(([ref, certificates]) =>
                    certificates.map((c) => `${Ids.ownerKey(ref)} ${c.sha256}`)
                  )
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

      describe("look-up", () => {
        it.effect(
          "find by sha1, sha256, spkiSha256 and serial returns the certificate with its bindings across owners",
          () =>
            Effect.gen(function* () {
              const { store, corpus, owner, bind } = yield* setup
              const a = yield* owner()
              const b = yield* owner(newProfile())
              const negative = corpus.one("negativeSerial")
              const adcs = corpus.one("adcsSerial")
              const [ba] = yield* bind(a, [item(negative)])
              const [bb] = yield* bind(b, [item(negative)])
              yield* bind(b, [item(adcs)])
              expect(negative.serial.hex.startsWith("-")).toBe(true)
              for (const [kind, value] of [
                ["sha1", negative.sha1],
                ["sha256", negative.sha256],
                ["spkiSha256", negative.spkiSha256],
                ["serial", negative.serial.hex]
              ] as const) {
                const found = yield* store.find(kind, value)
                const hit = found.find((f) => f.certificate.sha256 === negative.sha256)
                expect(hit, `${kind} ${value}`).toBeDefined()
                expect(encodeCertificate(hit!.certificate)).toEqual(encodeCertificate(negative))
                for (const f of found) {
                  const field = kind === "serial" ? f.certificate.serial.hex : f.certificate[kind]
                  expect(field).toBe(value)
                }
                const ownIds = hit!.bindings
                  .map((x) => x.certificateId)
                  .filter((x) => x === ba!.binding.certificateId || x === bb!.binding.certificateId)
                expect(ownIds.sort(byText)).toEqual(
                  [ba!.binding.certificateId, bb!.binding.certificateId].sort(byText)
                )
              }
              const bySerial = yield* store.find("serial", adcs.serial.hex)
              expect(bySerial.map((f) => f.certificate.sha256)).toContain(adcs.sha256)
              // Exact match only: no prefix, no other spelling.
              expect(yield* store.find("sha256", negative.sha256.slice(0, 63))).toEqual([])
              expect(yield* store.find("sha1", negative.sha1.toLowerCase())).toEqual([])
              expect(yield* store.find("serial", `${adcs.serial.windows.replace(/^0+/, "")}0`)).toEqual([])
            }),
          timeout
        )
      })

      describe("unbinding", () => {
        it.effect(
          "unbind removes one owner's binding; the certificate stays for the others",
          () =>
            Effect.gen(function* () {
              const { store, corpus, owner, bind, listAll } = yield* setup
              const a = yield* owner()
              const b = yield* owner()
              const certificate = corpus.one("ed448")
              const [ba] = yield* bind(a, [item(certificate)])
              const [bb] = yield* bind(b, [item(certificate)])
              const removed = yield* store.unbind({ owner: a, certificateId: ba!.binding.certificateId })
              expect(encodeBinding(removed)).toEqual(encodeBinding(ba!.binding))
              expect(Option.isNone(yield* store.getBinding(a, ba!.binding.certificateId))).toBe(true)
              expect((yield* listAll(a)).total).toBe(0)
              expect(Option.isSome(yield* store.getBinding(b, bb!.binding.certificateId))).toBe(true)
              expect(Option.isSome(yield* store.getCertificate(certificate.sha256))).toBe(true)
              const found = yield* store.find("sha256", certificate.sha256)
              const owners = found.flatMap((f) => f.bindings.map((x) => Ids.ownerKey(x.owner)))
              expect(owners).toContain(Ids.ownerKey(b))
              expect(owners).not.toContain(Ids.ownerKey(a))

              const again = yield* store
                .unbind({ owner: a, certificateId: ba!.binding.certificateId })
                .pipe(Effect.flip)
              expect(again).toEqual(
                new Errors.CertificateNotFound({
                  owner: Ids.ownerKey(a),
                  certificateId: ba!.binding.certificateId
                })
              )
              // b's binding id does not unbind anything through a.
              const foreign = yield* store
                .unbind({ owner: a, certificateId: bb!.binding.certificateId })
                .pipe(Effect.flip)
              expect(foreign).toBeInstanceOf(Errors.CertificateNotFound)
              const unknown = newSmartCard()
              const noOwner = yield* store
                .unbind({ owner: unknown, certificateId: bb!.binding.certificateId })
                .pipe(Effect.flip)
              expect(noOwner).toEqual(new Errors.OwnerNotFound({ owner: Ids.ownerKey(unknown) }))
              // Rebinding after an unbind creates a new binding.
              const [rebound] = yield* bind(a, [item(certificate)])
              expect(rebound!.created).toBe(true)
            }),
          timeout
        )

        it.effect(
          "keepLastValidAt refuses removing the last certificate valid at that instant (bounds inclusive)",
          () =>
            Effect.gen(function* () {
              const { store, corpus, owner, bind } = yield* setup
              const ref = yield* owner(newIdp())
              const dc = corpus.one("templateName") // 2024-04-19 .. 2025-04-19
              const ec = corpus.one("ec") // 2013 .. 2038
              const expired = corpus.one("expired") // 2016 .. 2021
              const [bdc, bec, bexpired] = yield* bind(ref, [item(dc), item(ec), item(expired)])
              const t = dc.notAfter
              // Two valid at t: removing one of them is fine... but first, an expired one is always removable.
              yield* store.unbind({
                owner: ref,
                certificateId: bexpired!.binding.certificateId,
                keepLastValidAt: t
              })
              yield* store.unbind({
                owner: ref,
                certificateId: bec!.binding.certificateId,
                keepLastValidAt: t
              })
              // dc is valid at exactly its notAfter, and now the only one.
              const refused = yield* store
                .unbind({ owner: ref, certificateId: bdc!.binding.certificateId, keepLastValidAt: t })
                .pipe(Effect.flip)
              expect(refused).toEqual(
                new Errors.LastValidCertificate({
                  owner: Ids.ownerKey(ref),
                  certificateId: bdc!.binding.certificateId
                })
              )
              expect(Option.isSome(yield* store.getBinding(ref, bdc!.binding.certificateId))).toBe(true)
              const atStart = yield* store
                .unbind({
                  owner: ref,
                  certificateId: bdc!.binding.certificateId,
                  keepLastValidAt: dc.notBefore
                })
                .pipe(Effect.flip)
              expect(atStart).toBeInstanceOf(Errors.LastValidCertificate)
              // One millisecond later it has expired, so removing it leaves nothing valid to protect.
              yield* store.unbind({
                owner: ref,
                certificateId: bdc!.binding.certificateId,
                keepLastValidAt: t + 1
              })
              expect(Option.isNone(yield* store.getBinding(ref, bdc!.binding.certificateId))).toBe(true)

              // Without keepLastValidAt the last one goes.
              const other = yield* owner()
              const [only] = yield* bind(other, [item(ec)])
              yield* store.unbind({ owner: other, certificateId: only!.binding.certificateId })
              expect(Option.isNone(yield* store.getBinding(other, only!.binding.certificateId))).toBe(true)
            }),
          timeout
        )

        it.effect(
          "removeOwner cascades to its bindings, not to certificates other owners hold",
          () =>
            Effect.gen(function* () {
              const { store, corpus, owner, bind } = yield* setup
              const gone = yield* owner()
              const stays = yield* owner()
              const certificate = corpus.one("rsaPss")
              const [bGone] = yield* bind(gone, [item(certificate), item(corpus.one("ec"))])
              const [bStays] = yield* bind(stays, [item(certificate)])
              yield* store.removeOwner(gone)
              expect(Option.isNone(yield* store.getBinding(gone, bGone!.binding.certificateId))).toBe(true)
              const error = yield* store
                .listBindings({ owner: gone, sort: { field: "boundAt", direction: "asc" }, limit: 10 })
                .pipe(Effect.flip)
              expect(error).toBeInstanceOf(Errors.OwnerNotFound)
              const found = yield* store.find("sha256", certificate.sha256)
              const owners = found.flatMap((f) => f.bindings.map((x) => Ids.ownerKey(x.owner)))
              expect(owners).not.toContain(Ids.ownerKey(gone))
              expect(owners).toContain(Ids.ownerKey(stays))
              expect(Option.isSome(yield* store.getBinding(stays, bStays!.binding.certificateId))).toBe(true)
              // The owner can be created again, empty.
              yield* owner(gone)
              const fresh = yield* store.listBindings({
                owner: gone,
                sort: { field: "boundAt", direction: "asc" },
                limit: 10
              })
              expect(fresh.total).toBe(0)
              const expiring = yield* store.listExpiring({
                notAfterMax: Number.MAX_SAFE_INTEGER,
                limit: 1_000_000
              })
              expect(expiring.items.some((i) => Ids.ownerKey(i.binding.owner) === Ids.ownerKey(gone))).toBe(
                false
              )
            }),
          timeout
        )
      })

      it.effect(
        "errors are the domain's tagged errors (Either-friendly)",
        () =>
          Effect.gen(function* () {
            const { store } = yield* setup
            const result = yield* store.removeOwner(newSmartCard()).pipe(Effect.either)
            expect(Either.isLeft(result) && result.left._tag).toBe("OwnerNotFound")
          }),
        timeout
      )
    }
  )
}
